/* SPDX-License-Identifier: MIT */
/* Carrying out the state machine's actions: adverts, VIPs, GARP/NA bursts,
 * log lines in keepalived's wording, and reacting to netlink events. */
#include <errno.h>
#include <string.h>

#include "announce.h"
#include "group.h"
#include "inst_int.h"
#include "log.h"
#include "nl.h"
#include "track_if.h"
#include "notify.h"
#include "status.h"
#include "vrrp_ah.h"

/* Unicast: one copy per peer, never to the group; each copy has its own
 * v3/IPv4 checksum since the pseudo-header holds the peer. buf has room
 * for the IPv4 header before the message. Returns 0 or -1. */
static int send_plain(struct inst *in, uint8_t *buf, size_t cap, const struct vrrp_adv *adv)
{
	const struct conf_instance *c = in->c;
	int n = c->n_peers ? c->n_peers : 1;

	for (int i = 0; i < n; i++) {
		const struct vaddr *dst = c->n_peers ? &c->peers[i].addr : &in->group;
		size_t len = vrrp_encode(buf + IP4_HDR_LEN, cap - IP4_HDR_LEN, adv, &in->self, dst,
					 !c->v3_checksum_as_v2);

		if (len == 0 || vsock_send(in->sock, buf + IP4_HDR_LEN, len, &in->self, dst) < 0)
			return -1;
	}
	return 0;
}

/* keepalived's IPsec AH advert, to each peer or to the group: IPv4 header
 * (protocol 51), AH, the VRRP message. One sequence number and one IPv4 id
 * per advert, the same in every unicast copy, as keepalived; each copy has
 * its own ICV since that covers the destination. Returns 0 or -1. */
static int send_ah(struct inst *in, uint8_t *buf, size_t cap, const struct vrrp_adv *adv)
{
	const struct conf_instance *c = in->c;
	int n = c->n_peers ? c->n_peers : 1;
	size_t len = vrrp_encode(buf + IP4_HDR_LEN + AH_LEN, cap - IP4_HDR_LEN - AH_LEN, adv,
				 NULL, NULL, false);
	uint32_t seq = ah_seq_next(&in->ah_seq);

	if (len == 0)
		return -1;
	/* keepalived: the id goes 1, 2, ..., skipping 0, which would ask the
	 * kernel to pick one after the ICV was computed. */
	if (++in->ip_id == 0)
		in->ip_id = 1;
	for (int i = 0; i < n; i++) {
		const struct vaddr *dst = c->n_peers ? &c->peers[i].addr : &in->group;
		size_t tot = IP4_HDR_LEN + AH_LEN + len;

		ip4_encode_hdr(buf, &in->self, dst, VRRP_TTL, in->ip_id, AH_PROTO, AH_LEN + len);
		if (ah_encode(buf, tot, seq, c->auth_pass, c->n_peers > 0) < 0 ||
		    vsock_send_ip4(in->sock, buf, tot, dst) < 0)
			return -1;
	}
	return 0;
}

static void send_advert(struct inst *in, uint8_t prio)
{
	static uint8_t buf[IP4_HDR_LEN + AH_LEN + VRRP_MAX_LEN];
	const struct conf_instance *c = in->c;
	/* conf_check leaves authentication on VRRPv2 only; enum conf_auth
	 * has the RFC 2338 wire values. With AH the auth data stays zero. */
	struct vrrp_adv adv = {
		.version = (uint8_t)c->version,
		.type = 1,
		.vrid = (uint8_t)c->vrid,
		.prio = prio,
		.naddr = (uint8_t)c->n_vips,
		.auth_type = c->version == 2 ? (uint8_t)c->auth_type : 0,
		.intv_cs = vrrp_adv_cs(&in->sm),
		.fam = c->family,
		.addrs = in->addrs,
	};
	if (adv.auth_type == AUTH_PASS)
		memcpy(adv.auth, c->auth_pass, VRRP_AUTH_LEN);
	if (!in->sock)
		return;		/* interface gone: FAULT, nothing to send on */

	if ((adv.auth_type == AUTH_AH ? send_ah(in, buf, sizeof(buf), &adv) :
	     send_plain(in, buf, sizeof(buf), &adv)) < 0) {
		/* Expected while the link is down; the state machine goes on. */
		if (in->ifp->running)
			log_warn("(%s) sending advert on %s", c->name, in->ifp->name);
		return;
	}
	in->tx++;
	if (prio == 0) {
		in->prio0_tx++;
		log_detailx("(%s) sent 0 priority", c->name);
	}
}

void vip_apply(const struct inst *in, int i, bool add)
{
	char a[ADDR_STRLEN];
	const struct conf_vip *v = vip_at(in, i);
	struct nl_addr na = {
		.ifindex = in->vip_ifindex[i],
		.addr = v->addr,
		.plen = v->plen,
		.scope = v->scope,
		.has_brd = v->has_brd,
		.brd = v->brd,
		.label = v->label,
		.nodad = v->nodad,
		/* keepalived: /128 VIPs are not to be picked as a source address. */
		.deprecated = v->addr.fam == FAM_V6 && v->plen == 128,
	};

	if ((add ? nl_addr_add(&na) : nl_addr_del(&na)) < 0)
		log_warn("(%s) %s VIP %s/%u", in->c->name, add ? "adding" : "removing",
			 addr_str(&v->addr, a), v->plen);
}

void vips_apply(struct inst *in, bool add)
{
	for (int i = 0; i < in->c->n_vips + in->c->n_vips_ex; i++)
		vip_apply(in, i, add);
	in->vips_up = add;
}

/* The NA's Router flag: IPv6 forwarding on the interface, read once per
 * burst and only when there is an IPv6 address to announce (excluded VIPs
 * may be IPv6 in an IPv4 instance). */
static bool na_router(const struct inst *in)
{
	for (int i = 0; i < in->c->n_vips + in->c->n_vips_ex; i++)
		if (vip_at(in, i)->addr.fam == FAM_V6)
			return announce_is_router(in->ifp->name);
	return false;
}

/* One round: one GARP or NA per VIP (RFC 5798 6.4.2). */
static void announce_round(struct inst *in, bool logit, bool router)
{
	char a[ADDR_STRLEN];
	const struct conf_instance *c = in->c;

	for (int i = 0; i < c->n_vips + c->n_vips_ex; i++) {
		const struct conf_vip *v = vip_at(in, i);
		int ifx = in->vip_ifindex[i];
		const uint8_t *mac = in->ifp->mac;

		if (ifx != in->ifp->ifindex)
			continue;	/* other links: keepalived's garp_extra_if, not done */
		if (announce_send(ifx, mac, &v->addr, router) < 0 && in->ifp->running)
			log_warn("(%s) announcing %s", c->name, addr_str(&v->addr, a));
		else if (logit)
			log_detailx("Sending %s on %s for %s",
				    v->addr.fam == FAM_V6 ? "unsolicited Neighbour Advert" :
				    "gratuitous ARP", in->ifp->name, addr_str(&v->addr, a));
	}
}

static void announce_burst(struct inst *in, int repeat)
{
	bool router = repeat > 0 && na_router(in);

	for (int r = 0; r < repeat; r++)
		announce_round(in, r == 0, router);
}

static void rearm(struct inst *in)
{
	int64_t at = vrrp_next_due(&in->sm);

	if (in->burst_at < at)
		at = in->burst_at;
	if (in->refresh_at < at)
		at = in->refresh_at;
	loop_timer_set(&in->timer, at);
}

static void log_note(const struct inst *in, const struct vrrp_out *out)
{
	char a[ADDR_STRLEN];
	const char *n = in->c->name;
	const char *src;

	/* The packet path: most calls have nothing to say, and formatting an
	 * address costs more than the rest of receiving an advert. */
	if (out->note == NOTE_NONE || (!log_detail && (out->note == NOTE_DOWN_TIMEOUT ||
	    out->note == NOTE_PRIO0_BACKUP || out->note == NOTE_DISCARD_LOWER ||
	    out->note == NOTE_MASTER_CHANGED)))
		return;
	src = addr_str(&in->last_src, a);

	switch (out->note) {
	case NOTE_DOWN_TIMEOUT:
		log_detailx("(%s) Receive advertisement timeout", n);
		break;
	case NOTE_HIGHER_PRIO:
		log_info("(%s) Master received advert from %s with higher priority %d, ours %d",
			 n, src, out->rx_prio, in->sm.prio);
		break;
	case NOTE_SAME_PRIO_HIGHER_ADDR:
		log_info("(%s) Master received advert from %s with same priority %d but higher IP address than ours",
			 n, src, out->rx_prio);
		break;
	case NOTE_LOWER_PRIO:
		log_info("(%s) Received advert from %s with lower priority %d, ours %d%s", n, src,
			 out->rx_prio, in->sm.prio,
			 in->c->lower_prio_no_advert ? "" : ", forcing new election");
		break;
	case NOTE_PRIO0_BACKUP:
		log_detailx("(%s) Backup received priority 0 advertisement", n);
		break;
	case NOTE_DISCARD_LOWER:
		log_detailx("(%s) received lower priority (%d) advert from %s - discarding", n,
			    out->rx_prio, src);
		break;
	case NOTE_MASTER_CHANGED:
		log_detailx("(%s) master changed to %s", n, src);
		break;
	default:
		break;
	}
}

void inst_apply(struct inst *in, const struct vrrp_out *out, int64_t now)
{
	const struct conf_instance *c = in->c;

	log_note(in, out);
	if (out->to != out->from)
		in->changed_at = status_wall_us();
	if (out->to != out->from && out->to != VRRP_INIT)
		log_info("(%s) Entering %s STATE%s", c->name, vrrp_state_name(out->to),
			 out->note == NOTE_INIT ? " (init)" : "");
	if (out->acts & ACT_SEND_PRIO0)
		send_advert(in, 0);
	if (out->acts & ACT_DEL_VIPS && in->vips_up) {
		log_detailx("(%s) removing VIPs.", c->name);
		vips_apply(in, false);
	}
	if (out->acts & ACT_ADD_VIPS) {
		log_detailx("(%s) setting VIPs.", c->name);
		vips_apply(in, true);
	}
	if (out->acts & ACT_SEND_ADVERT)
		send_advert(in, in->sm.prio);
	if (out->acts & ACT_ANNOUNCE) {
		announce_burst(in, c->garp.repeat);
		in->burst_at = c->garp.delay_ms ? now + (int64_t)c->garp.delay_ms * 1000 : TIME_NEVER;
		in->refresh_at = c->garp.refresh_ms ? now + (int64_t)c->garp.refresh_ms * 1000 : TIME_NEVER;
	}
	if (out->acts & ACT_ANNOUNCE_LOWER)
		announce_burst(in, c->garp.lower_prio_repeat);
	if (out->to == VRRP_MASTER && out->from != VRRP_MASTER)
		in->became_master++;
	if (out->from == VRRP_MASTER && out->to != VRRP_MASTER) {
		in->released_master++;
		in->burst_at = in->refresh_at = TIME_NEVER;
	}
	/* keepalived: notify once the state is entered (VIPs set, first
	 * GARPs out); stopping (to INIT) is notify_stop, or, for an instance
	 * a reload removed, FAULT (DELETED with notify_deleted). */
	if (out->to != out->from) {
		static const char *const word[] = { [VRRP_MASTER] = "MASTER", [VRRP_BACKUP] = "BACKUP",
						     [VRRP_FAULT] = "FAULT", [VRRP_INIT] = "STOP" };
		const char *w = word[out->to];

		if (in->deleting)
			w = c->notify_deleted_set ? "DELETED" : "FAULT";
		notify_instance(c, w, in->sm.prio);
	}
	rearm(in);
	group_after(in, out, now);
}

void inst_on_timer(struct loop_timer *t, int64_t now)
{
	struct inst *in = container_of(t, struct inst, timer);
	struct vrrp_out out;

	if (vrrp_next_due(&in->sm) <= now) {
		vrrp_tick(&in->sm, now, &out);
		inst_apply(in, &out, now);
	}
	if (in->burst_at <= now) {
		in->burst_at = TIME_NEVER;
		announce_burst(in, in->c->garp.repeat);
	}
	if (in->refresh_at <= now) {
		in->refresh_at = now + (int64_t)in->c->garp.refresh_ms * 1000;
		announce_burst(in, in->c->garp.refresh_repeat);
	}
	rearm(in);
}

/* ---- netlink events ---- */

static void vip_deleted(struct inst *in, const struct nl_event *ev)
{
	char a[ADDR_STRLEN];
	const struct conf_instance *c = in->c;

	if (!in->vips_up || in->sm.state != VRRP_MASTER)
		return;
	for (int i = 0; i < c->n_vips + c->n_vips_ex; i++) {
		const struct conf_vip *v = vip_at(in, i);

		if (in->vip_ifindex[i] != ev->ifindex || !addr_eq(&v->addr, &ev->addr) || v->no_track)
			continue;
		/* Something (netifd, NetworkManager, an operator) took our VIP:
		 * the master must keep holding it. */
		log_info("(%s) VIP %s was removed from %s; adding it again", c->name,
			 addr_str(&v->addr, a), in->ifp->name);
		vips_apply(in, true);
		announce_burst(in, 1);
		return;
	}
}

static void link_changed(struct iface *ifp, bool running)
{
	int64_t now = now_us();

	if (ifp->running == running)
		return;
	ifp->running = running;
	log_info("Netlink reports %s %s", ifp->name, running ? "up" : "down");
	if (running)
		iface_link_up(ifp);
	for (int i = 0; i < rt.n_inst; i++)
		if (rt.inst[i].ifp == ifp)
			inst_reevaluate(&rt.inst[i], now);
}

/* Interfaces are followed by name, as keepalived does: a link that takes
 * a configured name is that interface (created, re-created with a new
 * ifindex, or renamed to it); one that loses the name is lost. */
static void link_event(const struct nl_event *ev)
{
	const struct nl_link *l = &ev->link;
	bool del = ev->type == NL_EV_LINK_DEL;

	for (int i = 0; i < rt.n_ifs; i++) {
		struct iface *ifp = &rt.ifs[i];
		bool named = strcmp(ifp->name, l->name) == 0;

		if (ifp->ifindex && ifp->ifindex == l->ifindex) {
			if (del) {
				iface_lost(ifp, "deleted");
				continue;
			}
			if (!named) {
				log_info("Interface name has changed from %s to %s", ifp->name, l->name);
				iface_lost(ifp, "renamed away");
				continue;
			}
			memcpy(ifp->mac, l->mac, 6);
			link_changed(ifp, l->up && l->running);
		} else if (named && !del) {
			/* A missed RTM_DELLINK: the old one is gone. */
			if (ifp->ifindex)
				iface_lost(ifp, "replaced");
			iface_appeared(ifp, l);
		}
	}
}

static void on_event(void *ctx, const struct nl_event *ev)
{
	switch (ev->type) {
	case NL_EV_ADDR_DEL:
		for (int i = 0; i < rt.n_inst; i++)
			vip_deleted(&rt.inst[i], ev);
		iface_addr_changed(ev);
		break;
	case NL_EV_ADDR_ADD:
		iface_addr_changed(ev);
		break;
	case NL_EV_LINK:
	case NL_EV_LINK_DEL:
		link_event(ev);
		track_if_update();
		break;
	default:
		break;
	}
}

/* Events were lost: look at the kernel's state again. */
static void resync(void)
{
	for (int i = 0; i < rt.n_ifs; i++) {
		struct iface *ifp = &rt.ifs[i];
		struct nl_link l;

		if (nl_link_get(ifp->name, &l) < 0) {
			iface_lost(ifp, "deleted");
		} else if (ifp->ifindex != l.ifindex) {
			iface_lost(ifp, "replaced");
			iface_appeared(ifp, &l);
		} else {
			link_changed(ifp, l.up && l.running);
			iface_retry_bind(ifp);
		}
	}
	iface_sources_check();
	track_if_update();
	for (int i = 0; i < rt.n_inst; i++) {
		struct inst *in = &rt.inst[i];

		if (in->vips_up && in->sm.state == VRRP_MASTER)
			vips_apply(in, true);
	}
}

void inst_on_netlink(struct loop_fd *f, short revents)
{
	if (nl_event_read(on_event, NULL) < 0) {
		if (errno == ENOBUFS) {
			log_warnx("netlink events were lost; re-reading interface state");
			resync();
		} else {
			log_warn("reading netlink events");
		}
	}
}
