/* SPDX-License-Identifier: MIT */
/* Runtime instances: the glue between the pure state machine and the
 * kernel (sockets, netlink, packet socket). Everything is allocated in
 * inst_setup(); receiving and sending adverts allocates nothing. */
#include "instance.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "announce.h"
#include "check_tcp.h"
#include "group.h"
#include "inst_int.h"
#include "log.h"
#include "loop.h"
#include "nl.h"
#include "track_file.h"
#include "track_if.h"
#include "notify.h"
#include "track_script.h"
#include "vrrp_ah.h"

struct rt rt;

static int ifs_cap;

static void iface_fill(struct iface *ifp, const struct nl_link *l)
{
	ifp->ifindex = l->ifindex;
	memcpy(ifp->mac, l->mac, 6);
	ifp->running = l->up && l->running;
}

/* The entry of interface NAME, made at setup whether or not the interface
 * exists: an instance on a missing interface waits in FAULT for it. NULL
 * only when the table (sized by inst_setup) is full. */
struct iface *iface_get(const char *name)
{
	struct nl_link l;

	for (int i = 0; i < rt.n_ifs; i++)
		if (strcmp(rt.ifs[i].name, name) == 0)
			return &rt.ifs[i];
	if (rt.n_ifs >= ifs_cap)
		return NULL;
	struct iface *ifp = &rt.ifs[rt.n_ifs++];

	memset(ifp, 0, sizeof(*ifp));
	snprintf(ifp->name, sizeof(ifp->name), "%s", name);
	ifp->sock[0].lfd.fd = ifp->sock[1].lfd.fd = ifp->ah_sock.lfd.fd = -1;
	ifp->sock[0].lfd.slot = ifp->sock[1].lfd.slot = ifp->ah_sock.lfd.slot = -1;
	if (nl_link_get(name, &l) == 0)
		iface_fill(ifp, &l);
	return ifp;
}

static void on_sock(struct loop_fd *f, short revents);
static void on_ah_sock(struct loop_fd *f, short revents);

/* The socket of the instance's family and protocol on ifp, opened at first
 * use. As keepalived, an interface whose instances all use AH has no
 * protocol-112 socket: adverts without AH are not even seen there. */
static struct vsock *iface_sock(struct iface *ifp, uint8_t fam, bool ah, const struct vaddr *group)
{
	struct vsock *s = ah ? &ifp->ah_sock : &ifp->sock[fam == FAM_V6];

	if (s->lfd.fd >= 0)
		return s;
	if (vsock_open_proto(s, fam, ah ? AH_PROTO : VRRP_PROTO, ifp->ifindex, ifp->name, group) < 0)
		return NULL;
	s->lfd.cb = ah ? on_ah_sock : on_sock;
	if (loop_fd_add(&s->lfd) < 0)
		return NULL;
	return s;
}

/* Say once per reason why an instance waits in FAULT for its interfaces
 * or its source address: "(VI_1) WHAT WHY; staying in FAULT until UNTIL". */
static int unbound(struct inst *in, const char *why, const char *what, const char *until)
{
	if (in->unbound_why != why)
		log_info("(%s) %s %s; staying in FAULT until %s", in->c->name, what, why, until);
	in->unbound_why = why;
	return -1;
}

/* The advert source: unicast_src_ip / mcast_src_ip as configured, else
 * the interface's primary IPv4 address or IPv6 link-local. A configured
 * one must be an address of this host, on any interface (it may live on
 * a loopback or dummy): until it is, the instance could send but would
 * not hear its peers' unicast replies, and a deaf backup becomes a second
 * master (keepalived #1847), so it waits in FAULT. */
static int inst_source(struct inst *in)
{
	const struct conf_instance *c = in->c;
	char what[24 + ADDR_STRLEN];

	if (!c->has_src) {
		if (nl_addr_primary(in->ifp->ifindex, c->family, &in->self) == 0)
			return 0;
		return unbound(in, c->family == FAM_V6 ? "has no IPv6 link-local address" :
			       "has no IPv4 address", c->ifname, "it has one");
	}
	if (nl_addr_present(0, &c->src) == 1) {
		in->self = c->src;
		return 0;
	}
	snprintf(what, sizeof(what), "%s ", c->n_peers ? "unicast_src_ip" : "mcast_src_ip");
	addr_str(&c->src, what + strlen(what));
	return unbound(in, "is not an address of this host", what, "it is");
}

/* Resolve what the instance needs from its interfaces: ifindex, source
 * address (keepalived: the primary IPv4 address, or the IPv6 link-local),
 * the VRRP socket and every VIP's dev. Returns 0 when bound, -1 when
 * something is missing (logged once; the instance stays in FAULT). */
static int inst_bind(struct inst *in)
{
	const struct conf_instance *c = in->c;

	if (in->bound)
		return 0;
	if (!in->ifp->ifindex)
		return unbound(in, "does not exist", c->ifname, "it appears");
	for (int i = 0; i < c->n_vips + c->n_vips_ex; i++) {
		const struct conf_vip *v = vip_at(in, i);
		const struct iface *d = v->dev[0] ? iface_get(v->dev) : in->ifp;

		if (!d || !d->ifindex)
			return unbound(in, "does not exist", v->dev, "it appears");
		in->vip_ifindex[i] = d->ifindex;
	}
	if (inst_source(in) < 0)
		return -1;
	/* conf_check leaves AH on VRRPv2/IPv4 instances only. */
	in->sock = iface_sock(in->ifp, c->family, c->auth_type == AUTH_AH, &in->group);
	if (!in->sock) {
		log_warn("(%s) cannot open a VRRP socket on %s", c->name, c->ifname);
		in->unbound_why = NULL;
		return -1;
	}
	in->sm.self = in->self;
	in->bound = true;
	if (in->unbound_why)
		log_info("(%s) %s is ready (ifindex %d)", c->name, c->ifname, in->ifp->ifindex);
	in->unbound_why = NULL;
	return 0;
}

static bool inst_uses(const struct inst *in, const struct iface *ifp)
{
	if (in->ifp == ifp)
		return true;
	for (int i = 0; i < in->c->n_vips + in->c->n_vips_ex; i++)
		if (strcmp(vip_at(in, i)->dev, ifp->name) == 0)
			return true;
	return false;
}

/* Interface NAME (again) exists, as l says: bind what waited for it. */
void iface_appeared(struct iface *ifp, const struct nl_link *l)
{
	log_info("Interface %s added (ifindex %d)", ifp->name, l->ifindex);
	iface_fill(ifp, l);
	iface_retry_bind(ifp);
}

/* ifp appeared, came up again, or events were lost: try the instances
 * waiting for it (addresses: iface_addr_changed). */
void iface_retry_bind(struct iface *ifp)
{
	int64_t now = now_us();

	for (int i = 0; i < rt.n_inst; i++) {
		struct inst *in = &rt.inst[i];

		if (!in->bound && inst_uses(in, ifp) && inst_bind(in) == 0)
			inst_reevaluate(in, now);
	}
}

/* Bind again; lost = what the instance was bound with is gone, so the
 * reason it waits now is news. */
static void rebind(struct inst *in, bool lost, int64_t now)
{
	if (lost) {
		in->bound = false;
		in->unbound_why = NULL;
	}
	inst_bind(in);
	inst_reevaluate(in, now);
}

/* An address came or went (ev). One that an instance sends from going
 * away unbinds it: without a configured source the interface's next
 * primary address takes over at once; a configured one must come back
 * (on any interface), and the instance waits in FAULT meanwhile. An
 * address coming may be the one an instance waits for. */
void iface_addr_changed(const struct nl_event *ev)
{
	int64_t now = now_us();

	for (int i = 0; i < rt.n_inst; i++) {
		struct inst *in = &rt.inst[i];

		if (in->bound && ev->type == NL_EV_ADDR_DEL && addr_eq(&ev->addr, &in->self))
			rebind(in, true, now);
		else if (!in->bound && ev->type == NL_EV_ADDR_ADD)
			rebind(in, false, now);
	}
}

/* Events were lost: an instance whose source address is gone rebinds. */
void iface_sources_check(void)
{
	int64_t now = now_us();

	for (int i = 0; i < rt.n_inst; i++) {
		struct inst *in = &rt.inst[i];

		if (in->bound && nl_addr_present(0, &in->self) == 0)
			rebind(in, true, now);
	}
}

/* The link came up: the source address is looked up again, since the
 * kernel drops IPv6 addresses (the link-local too) on link down and makes
 * them afresh; none yet means FAULT until the address event comes. */
void iface_link_up(struct iface *ifp)
{
	for (int i = 0; i < rt.n_inst; i++) {
		struct inst *in = &rt.inst[i];

		if (in->ifp == ifp && in->bound && !in->c->has_src)
			in->bound = false;
	}
	iface_retry_bind(ifp);
}

/* The interface was deleted or renamed away: its instances go to FAULT
 * (a master still tries its priority-0 advert and drops its VIPs), then
 * its sockets are closed; a new interface of that name binds afresh. */
void iface_lost(struct iface *ifp, const char *why)
{
	int64_t now = now_us();

	if (!ifp->ifindex)
		return;
	log_info("Interface %s %s", ifp->name, why);
	ifp->running = false;
	for (int i = 0; i < rt.n_inst; i++) {
		struct inst *in = &rt.inst[i];

		if (!inst_uses(in, ifp))
			continue;
		in->bound = false;
		in->unbound_why = NULL;
		inst_reevaluate(in, now);
	}
	vsock_close(&ifp->sock[0]);
	vsock_close(&ifp->sock[1]);
	vsock_close(&ifp->ah_sock);
	for (int i = 0; i < rt.n_inst; i++)
		if (rt.inst[i].ifp == ifp)
			rt.inst[i].sock = NULL;
	ifp->ifindex = 0;
}

static int setup_one(struct inst *in, const struct conf_instance *c)
{
	in->c = c;
	in->ifp = iface_get(c->ifname);
	in->group = c->mcast_group;
	in->vip_ifindex = calloc((size_t)(c->n_vips + c->n_vips_ex) + 1, sizeof(int));
	if (!in->vip_ifindex)
		goto oom;
	/* inst_setup sized the table for every interface named. */
	if (!in->ifp)
		return -1;
	for (int i = 0; i < c->n_vips + c->n_vips_ex; i++)
		if (vip_at(in, i)->dev[0] && !iface_get(vip_at(in, i)->dev))
			return -1;
	struct inst **slot = &in->ifp->by_vrid[c->family == FAM_V6][c->vrid];

	if (*slot) {
		/* conf_check refuses this; a second line of defence. */
		log_warnx("(%s) VRID %d already used on %s by %s", c->name, c->vrid, c->ifname,
			  (*slot)->c->name);
		return -1;
	}
	*slot = in;

	in->addrs = malloc((size_t)c->n_vips * addr_len(c->family) + 1);
	if (!in->addrs)
		goto oom;
	for (int i = 0; i < c->n_vips; i++)
		memcpy(in->addrs + i * addr_len(c->family), c->vips[i].addr.b, addr_len(c->family));

	struct vrrp_params p = {
		.version = (uint8_t)c->version,
		.prio = (uint8_t)c->priority,
		.adv_cs = c->adv_cs,
		.preempt = !c->nopreempt,
		.preempt_delay_ms = c->preempt_delay_ms,
		.down_timer_adverts = (uint8_t)c->down_timer_adverts,
		.lower_prio_no_advert = c->lower_prio_no_advert,
		.higher_prio_send_advert = c->higher_prio_send_advert,
	};
	vrrp_init(&in->sm, &p, &in->self);
	in->timer.slot = -1;
	in->timer.cb = inst_on_timer;
	in->burst_at = in->refresh_at = TIME_NEVER;
	/* Missing interfaces or addresses are not fatal: FAULT until they
	 * come (keepalived); a socket that cannot be opened is. */
	if (inst_bind(in) < 0 && !in->unbound_why)
		return -1;
	return 0;
oom:
	log_warn("(%s) setting up", c->name);
	return -1;
}

int inst_setup(const struct config *cf, const struct inst_opts *o)
{
	rt.opts = *o;
	rt.inst = calloc((size_t)cf->n_inst + 1, sizeof(*rt.inst));
	/* Every interface named anywhere gets an entry: instances, VIP devs,
	 * track_interface. Entries never move, so pointers to them last. */
	ifs_cap = 1;
	for (int i = 0; i < cf->n_inst; i++)
		ifs_cap += 1 + cf->inst[i].n_vips + cf->inst[i].n_vips_ex + cf->inst[i].n_track_if;
	rt.ifs = calloc((size_t)ifs_cap, sizeof(*rt.ifs));
	if (!rt.inst || !rt.ifs) {
		log_warn("setting up instances");
		return -1;
	}
	/* Only now: inst_teardown walks n_inst entries of rt.inst. */
	rt.n_inst = cf->n_inst;
	for (int i = 0; i < cf->n_inst; i++) {
		if (setup_one(&rt.inst[i], &cf->inst[i]) < 0)
			return -1;
		if (cf->inst[i].auth_type == AUTH_AH && ah_open() < 0) {
			log_warnx("(%s) auth_type AH: this mbedtls has no HMAC-MD5", cf->inst[i].name);
			return -1;
		}
	}
	/* Groups first: members' tracker weights follow keepalived's rules. */
	if (group_setup(cf) < 0 || track_if_setup() < 0 || track_file_setup(cf) < 0)
		return -1;
	if (announce_open() < 0) {
		log_warn("cannot open the packet socket for gratuitous ARP / NA");
		return -1;
	}
	rt.nlfd.fd = nl_event_fd();
	rt.nlfd.events = POLLIN;
	rt.nlfd.cb = inst_on_netlink;
	rt.nlfd.slot = -1;
	if (notify_setup(cf) < 0 || track_script_setup(cf) < 0) {
		log_warn("setting up scripts");
		return -1;
	}
	if (tcp_check_setup(cf) < 0)
		return -1;
	return loop_fd_add(&rt.nlfd);
}

void inst_start_one(struct inst *in, int64_t now)
{
	struct vrrp_out out;

	/* VIPs left by a daemon that died must not make us a second
	 * holder while we are backup. */
	if (in->c->priority != 255 && in->bound)
		vips_apply(in, false);
	/* keepalived: an instance whose interface is missing, without
	 * its address, or down starts in FAULT, "(init)". */
	if (!in->bound || (!in->c->dont_track_primary && !in->ifp->running)) {
		vrrp_set_fault(&in->sm, true, now, &out);
		out.note = NOTE_INIT;
	} else {
		vrrp_start(&in->sm, now, &out);
	}
	inst_apply(in, &out, now);
	/* A link already down or a tracker already failed: FAULT at once. */
	inst_reevaluate(in, now);
}

static void start_now(struct loop_timer *t, int64_t now)
{
	for (int i = 0; i < rt.n_inst; i++)
		inst_start_one(&rt.inst[i], now);
	track_script_start();
	tcp_check_start();
}

/* vrrp_startup_delay: instances stay in Initialize (sockets open, adverts
 * ignored) until it has passed, for a box whose network comes up late. */
static struct loop_timer start_timer = { .cb = start_now, .slot = -1 };

void inst_start_all(uint32_t delay_ms)
{
	int64_t now = now_us();

	if (!delay_ms) {
		start_now(&start_timer, now);
		return;
	}
	log_info("Delaying startup for %u.%03u seconds", delay_ms / 1000, delay_ms % 1000);
	loop_timer_set(&start_timer, now + (int64_t)delay_ms * 1000);
}

bool inst_start_delayed(void)
{
	bool pending = start_timer.slot >= 0;

	loop_timer_cancel(&start_timer);
	return pending;
}

void inst_stop_all(void)
{
	int64_t now = now_us();

	track_script_stop();
	tcp_check_stop();
	for (int i = 0; i < rt.n_inst; i++) {
		struct inst *in = &rt.inst[i];
		struct vrrp_out out;

		vrrp_stop(&in->sm, now, &out);
		if (rt.opts.keep_vips)
			out.acts &= ~(unsigned)ACT_DEL_VIPS;
		inst_apply(in, &out, now);
		loop_timer_cancel(&in->timer);
	}
}

void inst_teardown(void)
{
	for (int i = 0; i < rt.n_ifs; i++) {
		vsock_close(&rt.ifs[i].sock[0]);
		vsock_close(&rt.ifs[i].sock[1]);
		vsock_close(&rt.ifs[i].ah_sock);
	}
	ah_close();
	track_if_teardown();
	track_file_teardown();
	group_teardown();
	track_script_teardown();
	tcp_check_teardown();
	notify_teardown();
	for (int i = 0; i < rt.n_inst; i++) {
		free(rt.inst[i].vip_ifindex);
		free(rt.inst[i].addrs);
		free(rt.inst[i].trk);
	}
	loop_fd_del(&rt.nlfd);
	announce_close();
	free(rt.inst);
	free(rt.ifs);
	memset(&rt, 0, sizeof(rt));
}

/* ---- receive path ---- */

/* Count a dropped packet and log it, rate-limited; detail, when not NULL,
 * says more than the reason's name. */
static void drop_log_why(struct inst *in, enum vrrp_drop why, const struct vaddr *src,
			 const char *detail)
{
	char a[ADDR_STRLEN];
	uint64_t *cnt = in ? in->drops : rt.drops;
	int64_t *last = in ? &in->drop_logged[why] : &rt.drop_logged[why];
	int64_t now = now_us();

	cnt[why]++;
	/* One line per reason per instance every 10 s at most (RFC 9568 asks
	 * for rate-limited logging; keepalived 2.3.3+ does the same). */
	if (*last && now - *last < 10 * 1000000)
		return;
	*last = now;
	log_warnx("%s%s%sdropped advert from %s: %s%s%s (%llu so far)", in ? "(" : "",
		  in ? in->c->name : "", in ? ") " : "", addr_str(src, a), vrrp_drop_name(why),
		  detail ? ", " : "", detail ? detail : "", (unsigned long long)cnt[why]);
}

static void drop_log(struct inst *in, enum vrrp_drop why, const struct vaddr *src)
{
	drop_log_why(in, why, src, NULL);
}

static bool auth_ok(const struct inst *in, const struct vrrp_adv *adv)
{
	unsigned diff = 0;

	/* Constant time: a timing side channel would leak the password. */
	for (int i = 0; i < VRRP_AUTH_LEN; i++)
		diff |= (unsigned)(adv->auth[i] ^ in->c->auth_pass[i]);
	return diff == 0;
}

static bool addrs_match(const struct inst *in, const struct vrrp_adv *adv)
{
	size_t n = addr_len(in->c->family) * (size_t)in->c->n_vips;

	return adv->naddr == in->c->n_vips && memcmp(adv->addrs, in->addrs, n) == 0;
}

/* keepalived's IPsec AH check of the datagram pkt (len bytes from its IPv4
 * header): ICV and SPI, then the sequence number against the instance's
 * single counter, which it advances (keepalived does so here, before the
 * checks that follow). *seq: the advert's sequence number. */
static enum vrrp_drop ah_check(struct inst *in, const uint8_t *pkt, size_t len, uint32_t *seq,
			       const char **detail)
{
	static char msg[80];
	uint32_t last = in->ah_seq;
	enum vrrp_drop why = ah_verify(pkt, len, in->c->auth_pass, in->c->n_peers > 0, seq);

	if (why != DROP_NONE) {
		if (why == DROP_AUTH)
			*detail = "IPSEC-AH: invalid HMAC-MD5 value (wrong auth_pass or altered packet)";
		return why;
	}
	if (!ah_seq_accept(&in->ah_seq, *seq)) {
		/* RFC 2402 3.4.3: a replay, or a router that has not caught up. */
		snprintf(msg, sizeof(msg), "IPSEC-AH: sequence number %lu already processed, ours %lu",
			 (unsigned long)*seq, (unsigned long)last);
		*detail = msg;
		return DROP_AUTH;
	}
	return DROP_NONE;
}

/* Checks that need the instance (RFC 3768 7.1, RFC 5798 7.1), in
 * keepalived's order. pkt: the IPv4 datagram of an AH advert, else NULL;
 * *seq gets its sequence number. Returns the reason to drop, or DROP_NONE;
 * *detail may then say more. */
static enum vrrp_drop validate(struct inst *in, const struct vrrp_ip *ip, const struct vrrp_adv *adv,
			       const uint8_t *pkt, uint32_t *seq, const char **detail)
{
	const struct conf_instance *c = in->c;
	enum vrrp_drop why;

	if (adv->version != c->version)
		return DROP_VERSION;
	if (addr_eq(&ip->src, &in->self))
		return DROP_SOURCE;
	if (c->version == 2) {
		/* enum conf_auth has the RFC 2338 wire values. */
		if (adv->auth_type != c->auth_type)
			return DROP_AUTH_TYPE;
		if (c->auth_type == AUTH_PASS && !auth_ok(in, adv))
			return DROP_AUTH;
		if (c->auth_type == AUTH_AH && pkt &&
		    (why = ah_check(in, pkt, (size_t)(ip->payload - pkt) + ip->len, seq, detail)) != DROP_NONE)
			return why;
		if (adv->intv_cs != c->adv_cs)
			return DROP_INTERVAL;
	}
	/* RFC 5798 7.1 and keepalived >= 2.3.3: a differing address list is
	 * logged and counted, not dropped: a backup that drops its master's
	 * adverts becomes a second master. */
	if (!(c->skip_check_adv_addr && addr_eq(&ip->src, &in->sm.master)) && !addrs_match(in, adv))
		drop_log(in, DROP_ADDRS, &ip->src);
	return DROP_NONE;
}

static const struct conf_peer *peer_of(const struct inst *in, const struct vaddr *src)
{
	for (int i = 0; i < in->c->n_peers; i++)
		if (addr_eq(&in->c->peers[i].addr, src))
			return &in->c->peers[i];
	return NULL;
}

/* How the advert travelled: multicast with TTL 255 (RFC 5798 7.1), or
 * unicast from a peer. keepalived does not check the TTL of unicast adverts
 * (they may be routed) unless min_ttl / max_ttl are given. */
static enum vrrp_drop check_path(const struct inst *in, const struct vrrp_ip *ip)
{
	bool mcast = addr_is_multicast(&ip->dst);

	if (!in->c->n_peers)
		return mcast && ip->ttl != VRRP_TTL ? DROP_TTL : DROP_NONE;
	if (mcast)
		return DROP_SOURCE;	/* expected unicast, got multicast */
	const struct conf_peer *p = peer_of(in, &ip->src);

	if (!p)
		return in->c->check_unicast_src ? DROP_SOURCE : DROP_NONE;
	if ((p->min_ttl && ip->ttl < p->min_ttl) || (p->max_ttl && ip->ttl > p->max_ttl))
		return DROP_TTL;
	return DROP_NONE;
}

/* One datagram; pkt is where it starts (IPv4: its header; IPv6: the
 * message), ip what the IP layer said about it. */
static void process(struct iface *ifp, int fi, const uint8_t *pkt, const struct vrrp_ip *ip)
{
	struct vrrp_ip v = *ip;		/* v.payload: the VRRP message */
	bool ah = !fi && ip->proto == AH_PROTO;
	struct vrrp_adv adv;
	enum vrrp_drop why;
	struct inst *in = NULL;
	const char *detail = NULL;
	uint32_t seq = 0;

	if (ah) {
		/* RFC 2402 2.1: AH protecting something else is other
		 * IPsec traffic, not ours to judge: count it quietly. */
		if (v.len >= 1 && v.payload[0] != VRRP_PROTO) {
			rt.drops[DROP_PROTO]++;
			return;
		}
		if (v.len < AH_LEN + VRRP_HDR_LEN) {
			drop_log(NULL, DROP_LENGTH, &ip->src);
			return;
		}
		v.payload += AH_LEN;
		v.len -= AH_LEN;
	}
	if (v.len >= 2)
		in = ifp->by_vrid[fi][v.payload[1]];
	if (in && !in->bound)
		in = NULL;	/* waiting in FAULT for its address or a VIP's dev */
	if (!ah && ip->proto != VRRP_PROTO) {
		drop_log(in, DROP_PROTO, &ip->src);
		return;
	}
	/* keepalived: IP protocol 51 if and only if auth_type AH; either
	 * mismatch is an authentication type error. */
	if (in && ah != (in->c->auth_type == AUTH_AH)) {
		drop_log_why(in, DROP_AUTH_TYPE, &ip->src,
			     ah ? "IPsec AH header but auth_type is not AH" : "no IPsec AH header but auth_type is AH");
		return;
	}
	why = in ? check_path(in, &v) : (v.ttl == VRRP_TTL ? DROP_NONE : DROP_TTL);
	if (why != DROP_NONE) {
		drop_log(in, why, &ip->src);
		return;
	}
	why = vrrp_decode(v.payload, v.len, fi ? FAM_V6 : FAM_V4, &v.src, &v.dst, &adv);
	if (why == DROP_NONE && !in)
		why = DROP_VRID;
	if (why == DROP_NONE)
		why = validate(in, &v, &adv, ah ? pkt : NULL, &seq, &detail);
	if (why != DROP_NONE) {
		/* Unknown VRIDs are other routers' business: count, stay quiet. */
		if (why == DROP_VRID)
			rt.drops[DROP_VRID]++;
		else
			drop_log_why(in, why, &ip->src, detail);
		return;
	}
	int64_t now = now_us();
	struct vrrp_out out;

	in->rx++;
	if (adv.prio == 0)
		in->prio0_rx++;
	vrrp_recv(&in->sm, &adv, &ip->src, now, &out);
	if (ah && out.note == NOTE_LOWER_PRIO) {
		/* keepalived: a master hearing a lower priority continues from
		 * that router's sequence number + 1, so that the advert it
		 * sends now is above everything the other has seen. */
		ah_seq_adopt(&in->ah_seq, seq);
		log_detailx("(%s) IPSEC-AH: syncing sequence number to %lu", in->c->name,
			    (unsigned long)in->ah_seq);
	}
	in->last_src = ip->src;
	inst_apply(in, &out, now);
}

static void drain(struct iface *ifp, struct vsock *s)
{
	int fi = s->fam == FAM_V6;
	static uint8_t buf[IP4_HDR_LEN + 60 + AH_LEN + VRRP_MAX_LEN + 64];

	/* Bounded, so one busy interface cannot starve the timers. */
	for (int i = 0; i < 64; i++) {
		struct vrrp_ip ip = { .ttl = 0 };
		enum vrrp_drop why;
		int r = vsock_recv(s, buf, sizeof(buf), &ip, &why);

		if (r <= 0) {
			if (r < 0)
				log_warn("receiving on %s", ifp->name);
			return;
		}
		if (why != DROP_NONE) {
			drop_log(NULL, why, &ip.src);
			continue;
		}
		process(ifp, fi, buf, &ip);
	}
}

static void on_sock(struct loop_fd *f, short revents)
{
	struct vsock *s = container_of(f, struct vsock, lfd);

	drain(container_of(s - (s->fam == FAM_V6), struct iface, sock[0]), s);
}

static void on_ah_sock(struct loop_fd *f, short revents)
{
	struct vsock *s = container_of(f, struct vsock, lfd);

	drain(container_of(s, struct iface, ah_sock), s);
}
