/* SPDX-License-Identifier: MIT */
/* nl.c against a real kernel. Runs inside the network namespace tests/sys/run
 * builds: IF0 and IF1 are a veth pair; IF0 has MAC 02:74:76:00:00:01,
 * 198.51.100.1/24 (primary) and 198.51.100.2/24 (secondary) and ordinary
 * DAD; IF1 has no IPv4 and DAD that outlasts the test, so its addresses stay
 * tentative unless added with nodad. `ip -o addr` is the independent witness
 * for what nl.c does not report (labels, broadcast, tentative, deprecated). */
#include "../unit/t.h"

#include "addr.h"
#include "nl.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

static const char *if0 = "tvnl0", *if1 = "tvnl1";
static int idx0, idx1;
static const uint8_t mac0[6] = { 0x02, 0x74, 0x76, 0x00, 0x00, 0x01 };

enum { WAIT_MS = 3000, NOLINK = 999999 };

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Does some line of `ip -o ... show dev IF` contain every needle given? */
static bool ip_line(const char *args, const char *ifname, const char *n1,
		    const char *n2, const char *n3)
{
	char cmd[256], line[1024];
	bool hit = false;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "ip -o %s show dev %s", args, ifname);
	f = popen(cmd, "r");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, n1) && (!n2 || strstr(line, n2)) && (!n3 || strstr(line, n3)))
			hit = true;
	pclose(f);
	return hit;
}

static const char *with_plen(const struct vaddr *a, int plen, char *buf, size_t len)
{
	char s[ADDR_STRLEN];

	/* Trailing space: 198.51.100.1/24 must not match 198.51.100.10/24. */
	snprintf(buf, len, " %s/%d ", addr_str(a, s), plen);
	return buf;
}

/* ---- events ---- */

struct want {
	int type;
	int ifindex;
	const struct vaddr *addr;	/* NL_EV_ADDR_*: NULL = any */
	int plen;			/* -1 = any */
	int up, running;		/* NL_EV_LINK: -1 = any */
	bool seen;
};

static void want_one(struct want *w, const struct nl_event *ev)
{
	if ((int)ev->type != w->type)
		return;
	if (ev->type == NL_EV_ADDR_ADD || ev->type == NL_EV_ADDR_DEL) {
		if (ev->ifindex != w->ifindex || (w->addr && !addr_eq(&ev->addr, w->addr)) ||
		    (w->plen >= 0 && ev->plen != w->plen))
			return;
	} else {
		if (ev->link.ifindex != w->ifindex)
			return;
		if ((w->up >= 0 && ev->link.up != w->up) ||
		    (w->running >= 0 && ev->link.running != w->running))
			return;
	}
	w->seen = true;
}

struct wants {
	struct want *w;
	int n;
};

static void want_cb(void *ctx, const struct nl_event *ev)
{
	struct wants *ws = ctx;
	int i;

	for (i = 0; i < ws->n; i++)
		want_one(&ws->w[i], ev);
}

/* Read events until all n of w[] are seen, or WAIT_MS pass. One read may
 * bring several, so they are awaited together. */
static bool wait_events(struct want *w, int n)
{
	long long deadline = now_ms() + WAIT_MS;
	struct wants ws = { w, n };
	int i;

	for (i = 0; i < n; i++)
		w[i].seen = false;
	for (;;) {
		struct pollfd pfd = { .fd = nl_event_fd(), .events = POLLIN };
		long long left;
		bool all = true;

		if (nl_event_read(want_cb, &ws) < 0)
			fprintf(stderr, "nl_event_read: %s\n", strerror(errno));
		for (i = 0; i < n; i++)
			all = all && w[i].seen;
		if (all)
			return true;
		left = deadline - now_ms();
		if (left <= 0)
			return false;
		poll(&pfd, 1, (int)left);
	}
}

static bool wait_event(struct want *w)
{
	return wait_events(w, 1);
}

static void ignore_cb(void *ctx, const struct nl_event *ev)
{
	(void)ctx;
	(void)ev;
}

/* Everything so far is old news: start the next test from an empty socket. */
static void drain(void)
{
	int i;

	for (i = 0; i < 8 && nl_event_read(ignore_cb, NULL) < 0; i++)
		;
}

/* ---- tests ---- */

static void test_open(void)
{
	int fd, fl, rcv = 0;
	socklen_t len = sizeof(rcv);

	CHECK_EQ(nl_open(), 0);
	fd = nl_event_fd();
	CHECK(fd >= 0);
	fl = fcntl(fd, F_GETFL);
	CHECK(fl >= 0 && (fl & O_NONBLOCK));
	fl = fcntl(fd, F_GETFD);
	CHECK(fl >= 0 && (fl & FD_CLOEXEC));
	/* Room for bursts: 1 MiB asked (the kernel reports it doubled). */
	CHECK_EQ(getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, &len), 0);
	CHECK(rcv >= 1 << 20);
	CHECK_EQ(nl_open(), 0);		/* already open: no-op */
	CHECK_EQ(nl_event_fd(), fd);
}

static void test_link(void)
{
	struct nl_link l;
	char longname[40];

	memset(&l, 0xa5, sizeof(l));
	CHECK_EQ(nl_link_get(if0, &l), 0);
	CHECK_EQ(l.ifindex, idx0);
	CHECK_STR(l.name, if0);
	CHECK_MEM(l.mac, mac0, 6);
	CHECK(l.up);
	CHECK(l.running);

	memset(&l, 0, sizeof(l));
	CHECK_EQ(nl_link_get_index(idx1, &l), 0);
	CHECK_EQ(l.ifindex, idx1);
	CHECK_STR(l.name, if1);
	CHECK(l.up && l.running);

	errno = 0;
	CHECK_EQ(nl_link_get("tvnl-none", &l), -1);
	CHECK_EQ(errno, ENODEV);
	errno = 0;
	CHECK_EQ(nl_link_get_index(NOLINK, &l), -1);
	CHECK_EQ(errno, ENODEV);
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	errno = 0;
	CHECK_EQ(nl_link_get(longname, &l), -1);
	CHECK_EQ(errno, ENODEV);
}

static void test_primary(void)
{
	struct vaddr a, want4;
	char buf[64];
	long long deadline = now_ms() + 5000;
	int r;

	addr_parse("198.51.100.1", &want4);
	CHECK_EQ(nl_addr_primary(idx0, FAM_V4, &a), 0);
	CHECK(addr_eq(&a, &want4));

	/* IF0's link-local leaves DAD about a second after link up; the
	 * kernel announces that with RTM_NEWADDR, so wait on events. */
	while ((r = nl_addr_primary(idx0, FAM_V6, &a)) < 0 && errno == EADDRNOTAVAIL &&
	       now_ms() < deadline) {
		struct pollfd pfd = { .fd = nl_event_fd(), .events = POLLIN };

		poll(&pfd, 1, (int)(deadline - now_ms()));
		drain();
	}
	CHECK_EQ(r, 0);
	CHECK(addr_is_v6_linklocal(&a));
	CHECK(ip_line("-6 addr", if0, with_plen(&a, 64, buf, sizeof(buf)), "scope link", NULL));
	CHECK(!ip_line("-6 addr", if0, buf, "tentative", NULL));

	/* IF1's link-local is tentative (precondition), so it is not usable. */
	CHECK(ip_line("-6 addr", if1, "fe80::", "tentative", NULL));
	errno = 0;
	CHECK_EQ(nl_addr_primary(idx1, FAM_V6, &a), -1);
	CHECK_EQ(errno, EADDRNOTAVAIL);
	errno = 0;
	CHECK_EQ(nl_addr_primary(idx1, FAM_V4, &a), -1);
	CHECK_EQ(errno, EADDRNOTAVAIL);
	CHECK_EQ(nl_addr_primary(NOLINK, FAM_V4, &a), -1);
	CHECK_EQ(nl_addr_present(idx0, &want4), 1);
	CHECK_EQ(nl_addr_present(idx1, &want4), 0);
	/* 0: on any link (a configured unicast_src_ip may be on another). */
	CHECK_EQ(nl_addr_present(0, &want4), 1);
}

static void test_vip4(void)
{
	struct nl_addr v = { .ifindex = idx0, .plen = 24, .has_brd = true };
	struct vaddr prim, want1;
	struct want w = { .type = NL_EV_ADDR_ADD, .ifindex = idx0, .addr = &v.addr, .plen = 24 };
	char label[IFNAMSIZ + 8], pfx[64];

	snprintf(label, sizeof(label), "%s:vip", if0);
	v.label = label;
	addr_parse("198.51.100.10", &v.addr);
	addr_parse("198.51.100.255", &v.brd);
	addr_parse("198.51.100.1", &want1);
	with_plen(&v.addr, 24, pfx, sizeof(pfx));

	drain();
	CHECK_EQ(nl_addr_present(idx0, &v.addr), 0);
	CHECK_EQ(nl_addr_add(&v), 0);
	CHECK(wait_event(&w));
	CHECK_EQ(nl_addr_present(idx0, &v.addr), 1);
	CHECK(ip_line("-4 addr", if0, pfx, "brd 198.51.100.255", label));
	CHECK_EQ(nl_addr_add(&v), 0);		/* EEXIST is success */
	/* The VIP joined as a secondary: the advert source stays put. */
	CHECK_EQ(nl_addr_primary(idx0, FAM_V4, &prim), 0);
	CHECK(addr_eq(&prim, &want1));

	drain();
	CHECK_EQ(nl_addr_del(&v), 0);
	w.type = NL_EV_ADDR_DEL;
	CHECK(wait_event(&w));
	CHECK_EQ(nl_addr_present(idx0, &v.addr), 0);
	CHECK(!ip_line("-4 addr", if0, pfx, NULL, NULL));
	CHECK_EQ(nl_addr_del(&v), 0);		/* gone already */

	/* A delete names the prefix length: another /32 is not ours. */
	v.label = NULL;
	v.has_brd = false;
	CHECK_EQ(nl_addr_add(&v), 0);
	v.plen = 32;
	CHECK_EQ(nl_addr_del(&v), 0);
	CHECK_EQ(nl_addr_present(idx0, &v.addr), 1);
	v.plen = 24;
	CHECK_EQ(nl_addr_del(&v), 0);
	CHECK_EQ(nl_addr_present(idx0, &v.addr), 0);

	/* Errors that are not "already done". */
	v.label = "tvnl0:much-too-long-label";
	errno = 0;
	CHECK_EQ(nl_addr_add(&v), -1);
	CHECK_EQ(errno, EINVAL);
	v.label = NULL;
	v.ifindex = NOLINK;
	errno = 0;
	CHECK_EQ(nl_addr_add(&v), -1);
	CHECK_EQ(errno, ENODEV);
	CHECK_EQ(nl_addr_del(&v), 0);		/* no link, so no address */
	v.plen = 33;
	v.ifindex = idx0;
	errno = 0;
	CHECK_EQ(nl_addr_add(&v), -1);
	CHECK_EQ(errno, EINVAL);
}

static void test_vip6(void)
{
	struct nl_addr v = { .ifindex = idx1, .plen = 64, .nodad = true };
	struct nl_addr dad = { .ifindex = idx1, .plen = 64 };
	struct nl_addr dep = { .ifindex = idx1, .plen = 64, .nodad = true, .deprecated = true };
	struct want w = { .type = NL_EV_ADDR_DEL, .ifindex = idx1, .addr = &v.addr, .plen = 64 };
	struct vaddr ll;
	char p1[64], p2[64], p3[64];

	addr_parse("2001:db8::10", &v.addr);
	addr_parse("2001:db8::11", &dad.addr);
	addr_parse("2001:db8::12", &dep.addr);
	with_plen(&v.addr, 64, p1, sizeof(p1));
	with_plen(&dad.addr, 64, p2, sizeof(p2));
	with_plen(&dep.addr, 64, p3, sizeof(p3));

	CHECK_EQ(nl_addr_add(&v), 0);
	CHECK_EQ(nl_addr_add(&v), 0);
	CHECK_EQ(nl_addr_present(idx1, &v.addr), 1);
	CHECK(ip_line("-6 addr", if1, p1, "scope global", NULL));
	CHECK(!ip_line("-6 addr", if1, p1, "tentative", NULL));
	/* Control: on this link an address without nodad is tentative. */
	CHECK_EQ(nl_addr_add(&dad), 0);
	CHECK(ip_line("-6 addr", if1, p2, "tentative", NULL));
	/* Tentative: present, but not yet an address to send from. */
	CHECK_EQ(nl_addr_present(idx1, &dad.addr), 0);
	CHECK_EQ(nl_addr_present(0, &dad.addr), 0);
	CHECK_EQ(nl_addr_present(0, &v.addr), 1);
	CHECK_EQ(nl_addr_add(&dep), 0);
	CHECK(ip_line("-6 addr", if1, p3, "deprecated", NULL));
	CHECK(!ip_line("-6 addr", if1, p3, "tentative", NULL));
	CHECK(!ip_line("-6 addr", if1, p1, "deprecated", NULL));
	/* None of these is link-local: still no advert source on IF1. */
	errno = 0;
	CHECK_EQ(nl_addr_primary(idx1, FAM_V6, &ll), -1);
	CHECK_EQ(errno, EADDRNOTAVAIL);

	drain();
	CHECK_EQ(nl_addr_del(&v), 0);
	CHECK(wait_event(&w));
	CHECK_EQ(nl_addr_present(idx1, &v.addr), 0);
	CHECK_EQ(nl_addr_del(&v), 0);
	CHECK_EQ(nl_addr_del(&dad), 0);
	CHECK_EQ(nl_addr_del(&dep), 0);
	CHECK(!ip_line("-6 addr", if1, "2001:db8::", NULL, NULL));
}

/* Overflow the event socket: nl_event_read must say ENOBUFS once, having
 * drained, so the caller knows to resync. */
static void test_enobufs(void)
{
	struct nl_addr v = { .ifindex = idx0, .plen = 24 };
	int fd = nl_event_fd(), small = 1, big = 1 << 20, i, ok = 0;
	long long t0;

	drain();
	CHECK_EQ(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)), 0);
	addr_parse("198.51.100.100", &v.addr);
	for (i = 0; i < 64; i++) {
		v.addr.b[3] = (uint8_t)(100 + i);
		ok += nl_addr_add(&v) == 0;
	}
	CHECK_EQ(ok, 64);
	errno = 0;
	CHECK_EQ(nl_event_read(ignore_cb, NULL), -1);
	CHECK_EQ(errno, ENOBUFS);
	/* Drained: the next read finds nothing and returns at once. */
	t0 = now_ms();
	CHECK_EQ(nl_event_read(ignore_cb, NULL), 0);
	CHECK(now_ms() - t0 < 100);

	CHECK_EQ(setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)), 0);
	for (i = 0, ok = 0; i < 64; i++) {
		v.addr.b[3] = (uint8_t)(100 + i);
		ok += nl_addr_del(&v) == 0;
	}
	CHECK_EQ(ok, 64);
	CHECK_EQ(nl_event_read(ignore_cb, NULL), 0);	/* 1 MiB holds 64 */
}

static void test_link_events(void)
{
	struct want w[2] = {
		{ .type = NL_EV_LINK, .ifindex = idx0, .up = 0, .running = 0 },
		/* veth: the peer loses carrier but stays administratively up. */
		{ .type = NL_EV_LINK, .ifindex = idx1, .up = 1, .running = 0 },
	};
	struct want del = { .type = NL_EV_LINK_DEL, .ifindex = idx1, .up = -1, .running = -1 };
	struct nl_link l;
	char cmd[128];

	drain();
	snprintf(cmd, sizeof(cmd), "ip link set dev %s down", if0);
	CHECK_EQ(system(cmd), 0);
	CHECK(wait_events(w, 2));
	CHECK_EQ(nl_link_get(if0, &l), 0);
	CHECK(!l.up && !l.running);
	CHECK_EQ(nl_link_get(if1, &l), 0);
	CHECK(l.up && !l.running);

	drain();
	snprintf(cmd, sizeof(cmd), "ip link del dev %s", if1);
	CHECK_EQ(system(cmd), 0);
	CHECK(wait_event(&del));
	errno = 0;
	CHECK_EQ(nl_link_get_index(idx1, &l), -1);
	CHECK_EQ(errno, ENODEV);
}

static void test_close(void)
{
	struct nl_link l;

	nl_close();
	CHECK_EQ(nl_event_fd(), -1);
	errno = 0;
	CHECK_EQ(nl_link_get(if0, &l), -1);
	CHECK_EQ(errno, EBADF);
	nl_close();			/* twice is harmless */
}

int main(int argc, char **argv)
{
	if (argc > 2) {
		if0 = argv[1];
		if1 = argv[2];
	}
	idx0 = (int)if_nametoindex(if0);
	idx1 = (int)if_nametoindex(if1);
	if (!idx0 || !idx1) {
		fprintf(stderr, "test_nl: %s and %s must exist (run tests/sys/run)\n", if0, if1);
		CHECK(idx0 && idx1);
		return t_done("nl");
	}
	test_open();
	test_link();
	test_primary();
	test_vip4();
	test_vip6();
	test_enobufs();
	test_link_events();
	test_close();
	return t_done("nl");
}
