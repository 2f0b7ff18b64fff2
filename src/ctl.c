/* SPDX-License-Identifier: MIT */
/* Data and stats dumps in keepalived's format. */
#include "ctl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "inst_int.h"
#include "log.h"

/* keepalived's way (fopen_safe): write a private temporary file, then
 * rename it over the name. Readers never see half a file, and a symlink
 * planted at the well-known name in a shared /tmp is replaced, not
 * followed. The file is 0600, as keepalived's. */
static void write_file(const char *name, void (*print)(FILE *))
{
	const char *dir = getenv("TMPDIR");
	char path[256], tmp[sizeof(path) + 8];
	FILE *f = NULL;
	int fd;

	/* keepalived: $TMPDIR when it is absolute, else /tmp. */
	if (!dir || dir[0] != '/')
		dir = "/tmp";
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		log_warn("writing %s", path);
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		return;
	}
	print(f);
	if (fclose(f) != 0 || rename(tmp, path) < 0) {
		log_warn("writing %s", path);
		unlink(tmp);
	}
}

void ctl_write_data(void)
{
	write_file("keepalived.data", ctl_print_data);
}

void ctl_write_stats(void)
{
	write_file("keepalived.stats", ctl_print_stats);
}

void ctl_clear_stats(void)
{
	ctl_write_stats();
	for (int i = 0; i < rt.n_inst; i++) {
		struct inst *in = &rt.inst[i];

		in->rx = in->tx = in->prio0_rx = in->prio0_tx = 0;
		in->became_master = in->released_master = 0;
		memset(in->drops, 0, sizeof(in->drops));
	}
	memset(rt.drops, 0, sizeof(rt.drops));
}

void ctl_write_json(void)
{
	write_file("keepalived.json", ctl_print_json);
}

static void counter(FILE *f, const char *name, uint64_t v)
{
	fprintf(f, "    %s: %llu\n", name, (unsigned long long)v);
}

void ctl_print_stats(FILE *f)
{
	for (int i = 0; i < rt.n_inst; i++) {
		const struct inst *in = &rt.inst[i];
		const uint64_t *d = in->drops;

		fprintf(f, "VRRP Instance: %s\n", in->c->name);
		fprintf(f, "  Advertisements:\n");
		counter(f, "Received", in->rx);
		counter(f, "Sent", in->tx);
		fprintf(f, "  Became master: %llu\n", (unsigned long long)in->became_master);
		fprintf(f, "  Released master: %llu\n", (unsigned long long)in->released_master);
		fprintf(f, "  Packet Errors:\n");
		counter(f, "Length", d[DROP_LENGTH]);
		counter(f, "TTL", d[DROP_TTL]);
		counter(f, "Invalid Type", d[DROP_TYPE]);
		counter(f, "Advertisement Interval", d[DROP_INTERVAL]);
		counter(f, "Address List", d[DROP_ADDRS]);
		/* Not in keepalived's file; readers that go by name skip them. */
		counter(f, "Version", d[DROP_VERSION]);
		counter(f, "Checksum", d[DROP_CHECKSUM]);
		counter(f, "Source", d[DROP_SOURCE]);
		counter(f, "Protocol", d[DROP_PROTO]);
		fprintf(f, "  Authentication Errors:\n");
		counter(f, "Invalid Type", d[DROP_AUTH_TYPE]);
		counter(f, "Type Mismatch", 0);
		counter(f, "Failure", d[DROP_AUTH]);
		fprintf(f, "  Priority Zero:\n");
		counter(f, "Received", in->prio0_rx);
		counter(f, "Sent", in->prio0_tx);
	}
	/* Packets that named no instance of ours. */
	fprintf(f, "Global:\n");
	counter(f, "Unknown VRID", rt.drops[DROP_VRID]);
	for (int r = DROP_LENGTH; r < DROP__COUNT; r++)
		if (r != DROP_VRID)
			counter(f, vrrp_drop_name((enum vrrp_drop)r), rt.drops[r]);
}

void ctl_print_data(FILE *f)
{
	char a[ADDR_STRLEN];
	time_t now = time(NULL);
	struct tm tm;
	char when[64];

	localtime_r(&now, &tm);
	strftime(when, sizeof(when), "%a %b %e %H:%M:%S %Y", &tm);
	fprintf(f, "------< VRRP Topology >------\n");
	for (int i = 0; i < rt.n_inst; i++) {
		const struct inst *in = &rt.inst[i];
		const struct conf_instance *c = in->c;

		fprintf(f, " VRRP Instance = %s\n", c->name);
		fprintf(f, "   VRRP Version = %d\n", c->version);
		fprintf(f, "   State = %s\n", vrrp_state_name(in->sm.state));
		if (in->sm.state == VRRP_MASTER)
			fprintf(f, "   Master router = %s\n", addr_str(&in->self, a));
		else if (in->sm.master.fam)
			fprintf(f, "   Master router = %s\n", addr_str(&in->sm.master, a));
		if (in->sm.master.fam || in->sm.state == VRRP_MASTER)
			fprintf(f, "   Master priority = %d\n",
				in->sm.state == VRRP_MASTER ? in->sm.prio : in->sm.master_prio);
		fprintf(f, "   Wantstate = %s\n", c->state == WANT_MASTER ? "MASTER" : "BACKUP");
		fprintf(f, "   Interface = %s\n", c->ifname);
		fprintf(f, "   Using src_ip = %s\n", addr_str(&in->self, a));
		fprintf(f, "   Virtual Router ID = %d\n", c->vrid);
		fprintf(f, "   Priority = %d\n", c->priority);
		fprintf(f, "   Effective priority = %d\n", in->sm.prio);
		fprintf(f, "   Advert interval = %u milli-sec\n", c->adv_cs * 10u);
		fprintf(f, "   Preempt = %s\n", c->nopreempt ? "disabled" : "enabled");
		fprintf(f, "   Virtual IP = %d\n", c->n_vips);
		for (int v = 0; v < c->n_vips; v++)
			fprintf(f, "     %s/%u dev %s\n", addr_str(&c->vips[v].addr, a), c->vips[v].plen,
				c->vips[v].dev[0] ? c->vips[v].dev : c->ifname);
	}
	fprintf(f, "Dumped at %s\n", when);
}
