/* SPDX-License-Identifier: MIT */
/* keepalived's JSON dump (its vrrp_json.c, as keepalived 2.2.7 writes it):
 * a compact array with one {"data":{...},"stats":{...}} per instance. Key
 * names, order and types are keepalived's, since readers such as OpenWrt's
 * LuCI status page (iname, ifp_ifname, state, last_transition,
 * advert_sent/advert_rcvd, become_master/release_master) take them as
 * they are. Features we lack are written as keepalived writes them unset. */
#include "ctl.h"

#include <inttypes.h>
#include <string.h>

#include "inst_int.h"
#include "status_fmt.h"

static void kv_uint(FILE *f, const char *k, uint64_t v)
{
	fprintf(f, ",\"%s\":%" PRIu64, k, v);
}

static void kv_bool(FILE *f, const char *k, bool v)
{
	fprintf(f, ",\"%s\":%s", k, v ? "true" : "false");
}

static void kv_str(FILE *f, const char *k, const char *v)
{
	fprintf(f, ",\"%s\":", k);
	json_str(f, v);
}

/* keepalived prints its floats with %g: 5, 0.5, 1. */
static void kv_fixed(FILE *f, const char *k, int64_t v, int digits)
{
	fprintf(f, ",\"%s\":", k);
	json_fixed(f, v, digits, false);
}

static const char *scope_name(uint8_t s)
{
	switch (s) {
	case SCOPE_SITE: return "site";
	case SCOPE_LINK: return "link";
	case SCOPE_HOST: return "host";
	case SCOPE_NOWHERE: return "nowhere";
	default: return "global";
	}
}

/* keepalived's text of an address: "198.18.1.100/24 dev eth0 scope global set". */
static void vip_str(FILE *f, const struct inst *in, const struct conf_vip *v)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN], buf[256];
	int n;

	n = snprintf(buf, sizeof(buf), "%s/%u", addr_str(&v->addr, a), v->plen);
	if (v->has_brd)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, " brd %s", addr_str(&v->brd, b));
	n += snprintf(buf + n, sizeof(buf) - (size_t)n, " dev %s scope %s",
		      v->dev[0] ? v->dev : in->c->ifname, scope_name(v->scope));
	if (v->label[0])
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, " label %s", v->label);
	if (v->addr.fam == FAM_V6)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, " preferred_lft %s",
			      v->plen == 128 ? "0" : "forever");
	if (v->no_track)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, " no_track");
	if (in->vips_up)
		snprintf(buf + n, sizeof(buf) - (size_t)n, " set");
	json_str(f, buf);
}

static void vip_list(FILE *f, const char *k, const struct inst *in, const struct conf_vip *v, int n)
{
	if (n == 0)
		return;		/* keepalived leaves empty lists out */
	fprintf(f, ",\"%s\":[", k);
	for (int i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		vip_str(f, in, &v[i]);
	}
	fputc(']', f);
}

/* A notify command as keepalived's cmd_str shows it: 'arg' 'arg'. */
static void script_str(FILE *f, const char *k, const struct conf_cmd *cmd)
{
	char buf[512];
	size_t n = 0;

	if (!cmd->argv)
		return;
	buf[0] = '\0';
	for (int i = 0; i < cmd->argc && n < sizeof(buf); i++) {
		int w = snprintf(buf + n, sizeof(buf) - n, "%s'%s'", i ? " " : "", cmd->argv[i]);

		if (w < 0)
			break;
		n += (size_t)w;
	}
	kv_str(f, k, buf);
}

/* Trackers of one or two kinds, by name (keepalived writes script
 * commands and interface names; a name is what we have for every kind). */
static void track_list(FILE *f, const char *k, const struct inst *in, const char *kind,
		       const char *kind2)
{
	bool any = false;

	for (int t = 0; t < in->n_trk; t++) {
		const char *tk = in->trk[t].t->kind;

		if (strcmp(tk, kind) != 0 && (!kind2 || strcmp(tk, kind2) != 0))
			continue;
		fprintf(f, any ? "," : ",\"%s\":[", k);
		json_str(f, in->trk[t].t->name);
		any = true;
	}
	if (any)
		fputc(']', f);
}

static void data(FILE *f, const struct inst *in)
{
	const struct conf_instance *c = in->c;
	const struct vrrp_sm *sm = &in->sm;
	int state = (int)sm->state;	/* the same numbering: INIT 0 BACKUP 1 MASTER 2 FAULT 3 */
	int want = state == VRRP_BACKUP || state == VRRP_MASTER ? state :
		   c->state == WANT_MASTER ? VRRP_MASTER : VRRP_BACKUP;

	fputs("\"data\":{\"iname\":", f);
	json_str(f, c->name);
	kv_uint(f, "dont_track_primary", c->dont_track_primary);
	kv_uint(f, "skip_check_adv_addr", c->skip_check_adv_addr);
	kv_uint(f, "strict_mode", c->strict);
	kv_str(f, "vmac_ifname", "");
	kv_str(f, "ifp_ifname", c->ifname);
	kv_uint(f, "master_priority", sm->state == VRRP_BACKUP && sm->master.fam ? sm->master_prio : 0);
	/* seconds since the epoch with microseconds, keepalived's "%f" */
	fputs(",\"last_transition\":", f);
	json_fixed(f, in->changed_at, 6, true);
	kv_fixed(f, "garp_delay", c->garp.delay_ms, 3);
	kv_uint(f, "garp_refresh", c->garp.refresh_ms / 1000);
	kv_uint(f, "garp_rep", (uint64_t)c->garp.repeat);
	kv_uint(f, "garp_refresh_rep", (uint64_t)c->garp.refresh_repeat);
	kv_uint(f, "garp_lower_prio_delay", c->garp.lower_prio_delay_ms / 1000);
	kv_uint(f, "garp_lower_prio_rep", (uint64_t)c->garp.lower_prio_repeat);
	kv_uint(f, "lower_prio_no_advert", c->lower_prio_no_advert);
	kv_uint(f, "higher_prio_send_advert", c->higher_prio_send_advert);
	kv_uint(f, "vrid", (uint64_t)c->vrid);
	kv_uint(f, "base_priority", (uint64_t)c->priority);
	kv_uint(f, "effective_priority", sm->prio);
	kv_bool(f, "vipset", in->vips_up);
	kv_bool(f, "promote_secondaries", false);
	kv_fixed(f, "adver_int", c->adv_cs, 2);
	kv_fixed(f, "master_adver_int", sm->master_adv_cs ? sm->master_adv_cs : c->adv_cs, 2);
	kv_uint(f, "accept", c->accept);
	kv_bool(f, "nopreempt", c->nopreempt);
	kv_uint(f, "preempt_delay", c->preempt_delay_ms / 1000);
	kv_uint(f, "state", (uint64_t)state);
	kv_uint(f, "wantstate", (uint64_t)want);
	kv_uint(f, "version", (uint64_t)c->version);
	kv_bool(f, "smtp_alert", false);
	kv_bool(f, "notify_deleted", false);
	script_str(f, "script_backup", &c->notify_backup);
	script_str(f, "script_master", &c->notify_master);
	script_str(f, "script_fault", &c->notify_fault);
	script_str(f, "script_stop", &c->notify_stop);
	script_str(f, "script", &c->notify);
	vip_list(f, "vips", in, c->vips, c->n_vips);
	vip_list(f, "evips", in, c->vips_ex, c->n_vips_ex);
	track_list(f, "track_ifp", in, "interface", NULL);
	/* a vrrp_tcp_check is named in track_script too */
	track_list(f, "track_script", in, "script", "tcp");
	kv_uint(f, "auth_type", (uint64_t)c->auth_type);
	if (c->auth_type != AUTH_NONE) {
		char pass[sizeof(c->auth_pass) + 1] = { 0 };

		memcpy(pass, c->auth_pass, sizeof(c->auth_pass));
		kv_str(f, "auth_data", pass);
	}
	fputc('}', f);
}

static void stats(FILE *f, const struct inst *in)
{
	const uint64_t *d = in->drops;

	fprintf(f, "\"stats\":{\"advert_rcvd\":%" PRIu64, in->rx);
	kv_uint(f, "advert_sent", in->tx);
	kv_uint(f, "become_master", in->became_master);
	kv_uint(f, "release_master", in->released_master);
	kv_uint(f, "packet_len_err", d[DROP_LENGTH]);
	kv_uint(f, "advert_interval_err", d[DROP_INTERVAL]);
	kv_uint(f, "ip_ttl_err", d[DROP_TTL]);
	kv_uint(f, "invalid_type_rcvd", d[DROP_TYPE]);
	kv_uint(f, "addr_list_err", d[DROP_ADDRS]);
	kv_uint(f, "invalid_authtype", d[DROP_AUTH_TYPE]);
	kv_uint(f, "authtype_mismatch", 0);
	kv_uint(f, "auth_failure", d[DROP_AUTH]);
	kv_uint(f, "pri_zero_rcvd", in->prio0_rx);
	kv_uint(f, "pri_zero_sent", in->prio0_tx);
	fputc('}', f);
}

void ctl_print_json(FILE *f)
{
	fputc('[', f);
	for (int i = 0; i < rt.n_inst; i++) {
		fputs(i ? ",{" : "{", f);
		data(f, &rt.inst[i]);
		fputc(',', f);
		stats(f, &rt.inst[i]);
		fputc('}', f);
	}
	fputs("]\n", f);
}
