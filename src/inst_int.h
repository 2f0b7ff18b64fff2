/* SPDX-License-Identifier: MIT */
/* Internal to instance.c and inst_act.c: the runtime objects. */
#ifndef TINYVRRP_INST_INT_H
#define TINYVRRP_INST_INT_H

#include <stdint.h>
#include <stdio.h>

#include "conf.h"
#include "instance.h"
#include "loop.h"
#include "nl.h"
#include "track.h"
#include "vrrp.h"
#include "vrrp_pkt.h"
#include "vrrp_sock.h"

struct inst;

struct iface {
	char name[CONF_IFNAME_MAX];
	int ifindex;
	uint8_t mac[6];
	bool running;
	struct vsock sock[2];			/* [0] IPv4, [1] IPv6 */
	struct vsock ah_sock;			/* IPv4 protocol 51, for auth_type AH */
	struct inst *by_vrid[2][256];		/* demultiplexing, per family */
};

struct inst {
	const struct conf_instance *c;
	struct vrrp_sm sm;
	struct iface *ifp;
	struct vsock *sock;
	struct vaddr self;			/* advert source and tie-break */
	struct vaddr group;			/* advert destination */
	struct vaddr last_src;
	/* Interface, source address, socket and every VIP's dev resolved;
	 * false = FAULT until they are (instance.c, interfaces come and go). */
	bool bound;
	const char *unbound_why;		/* logged once per reason */
	int *vip_ifindex;			/* vips then vips_ex */
	uint8_t *addrs;				/* VIPs as they go in adverts */
	bool vips_up;
	struct loop_timer timer;
	int64_t burst_at;			/* second GARP/NA burst */
	int64_t refresh_at;			/* periodic GARP/NA refresh */
	/* IPsec AH: the last sequence number sent or accepted, one counter
	 * for both as keepalived keeps it; and the IPv4 id, which AH covers. */
	uint32_t ah_seq;
	uint16_t ip_id;
	/* trackers (track_script, track_interface, ...): inst_track.c */
	struct track_ref *trk;
	int n_trk, cap_trk;
	/* counters, keepalived's stats names */
	uint64_t rx, tx, prio0_rx, prio0_tx, became_master, released_master;
	bool deleting;				/* removed by a reload: stopping now */
	int64_t changed_at;			/* wall clock µs of the last transition, 0 = none */
	uint64_t drops[DROP__COUNT];
	int64_t drop_logged[DROP__COUNT];
};

struct rt {
	struct inst_opts opts;
	struct inst *inst;
	int n_inst;
	struct iface *ifs;
	int n_ifs;
	struct loop_fd nlfd;
	uint64_t drops[DROP__COUNT];		/* not attributable to an instance */
	int64_t drop_logged[DROP__COUNT];
};

extern struct rt rt;

static inline const struct conf_vip *vip_at(const struct inst *in, int i)
{
	return conf_vip_at(in->c, i);
}

/* inst_track.c: trackers feed the effective priority and FAULT. */
int inst_track_add(struct inst *in, struct tracker *t, int weight, bool reverse);
/* Why the instance takes no weighted trackers, in keepalived's words
 * ("SYNC group", "address_owner"), or NULL when it does. */
const char *inst_no_weights(const struct inst *in);
/* Recompute priority and FAULT of one instance (or all) and act on it. */
void inst_reevaluate(struct inst *in, int64_t now);
void inst_track_changed(void);

/* instance.c: interfaces are followed by name, as keepalived does; an
 * entry with ifindex 0 is one that does not exist (now). */
struct iface *iface_get(const char *name);
void iface_appeared(struct iface *ifp, const struct nl_link *l);
void iface_lost(struct iface *ifp, const char *why);
void iface_retry_bind(struct iface *ifp);
void iface_link_up(struct iface *ifp);
/* Addresses: an instance's source may come, go or change. */
void iface_addr_changed(const struct nl_event *ev);
void iface_sources_check(void);
/* Initialize -> Backup/Master (or FAULT) for one instance. */
void inst_start_one(struct inst *in, int64_t now);

/* inst_act.c */
void inst_apply(struct inst *in, const struct vrrp_out *out, int64_t now);
void inst_on_timer(struct loop_timer *t, int64_t now);
void inst_on_netlink(struct loop_fd *f, short revents);
void vips_apply(struct inst *in, bool add);
/* One VIP, the i-th of vip_at(). */
void vip_apply(const struct inst *in, int i, bool add);

#endif
