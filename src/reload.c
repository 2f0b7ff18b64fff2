/* SPDX-License-Identifier: MIT */
/* SIGHUP: replace the running configuration. The whole new file is read
 * and checked before anything changes; with an error the running one stays
 * as it is. Then the runtime is rebuilt from the new configuration while
 * what the network sees is carried over: an instance that keeps its name,
 * interface, VRID and family keeps its state, timers, counters and VIPs
 * (no advert, no GARP, no notify); only the difference of its VIP list is
 * applied. Removed instances release (priority 0, VIPs removed); new ones
 * start as at start-up. Script and TCP check results carry over by name,
 * so a reload cannot move a priority by forgetting a failing check. */
#include "reload.h"

#include <stdlib.h>
#include <string.h>

#include "check_tcp.h"
#include "inst_int.h"
#include "log.h"
#include "notify.h"
#include "proc.h"
#include "track_script.h"

/* What one old instance hands over to its successor. */
struct carry {
	struct inst in;			/* the old runtime object, copied */
	bool taken;			/* an instance of the new config matched it */
};

/* A tracker's result, by kind and name (strings of the old config). */
struct carry_trk {
	const char *kind, *name;
	enum track_state state;
};

static bool same_instance(const struct conf_instance *a, const struct conf_instance *b)
{
	return !strcmp(a->name, b->name) && !strcmp(a->ifname, b->ifname) &&
	       a->vrid == b->vrid && a->family == b->family;
}

static bool same_vip(const struct conf_vip *a, const struct conf_vip *b)
{
	return addr_eq(&a->addr, &b->addr) && a->plen == b->plen && a->scope == b->scope &&
	       a->has_brd == b->has_brd && (!a->has_brd || addr_eq(&a->brd, &b->brd)) &&
	       !strcmp(a->dev, b->dev) && !strcmp(a->label, b->label) && a->nodad == b->nodad;
}

static bool has_vip(const struct conf_instance *c, const struct conf_vip *v)
{
	for (int i = 0; i < conf_vip_count(c); i++)
		if (same_vip(conf_vip_at(c, i), v))
			return true;
	return false;
}

/* Every VIP of a is in b. */
static bool vips_within(const struct conf_instance *a, const struct conf_instance *b)
{
	for (int i = 0; i < conf_vip_count(a); i++)
		if (!has_vip(b, conf_vip_at(a, i)))
			return false;
	return true;
}

static const struct conf_instance *find_conf(const struct config *cf, const struct conf_instance *c)
{
	for (int i = 0; i < cf->n_inst; i++)
		if (same_instance(&cf->inst[i], c))
			return &cf->inst[i];
	return NULL;
}

/* Before the runtime goes: removed instances release, kept masters drop
 * the VIPs the new config no longer has, and everything is copied. */
static struct carry *hand_over(const struct config *nc, int64_t now)
{
	struct carry *cv = calloc((size_t)rt.n_inst + 1, sizeof(*cv));

	if (!cv)
		return NULL;
	for (int i = 0; i < rt.n_inst; i++) {
		struct inst *in = &rt.inst[i];
		const struct conf_instance *to = find_conf(nc, in->c);
		struct vrrp_out out;

		if (!to) {
			log_info("(%s) no longer configured: releasing", in->c->name);
			in->deleting = true;
			vrrp_stop(&in->sm, now, &out);
			inst_apply(in, &out, now);
			notify_flush_instance(in->c);
		} else if (in->vips_up) {
			for (int k = 0; k < conf_vip_count(in->c); k++)
				if (!has_vip(to, vip_at(in, k)))
					vip_apply(in, k, false);
		}
		loop_timer_cancel(&in->timer);
		cv[i].in = *in;
	}
	return cv;
}

static struct carry_trk *save_trackers(int *n)
{
	int cap = 0;
	struct carry_trk *ct;

	for (int i = 0; i < rt.n_inst; i++)
		cap += rt.inst[i].n_trk;
	ct = calloc((size_t)cap + 1, sizeof(*ct));
	*n = 0;
	if (!ct)
		return NULL;
	/* Interfaces and files are read again from the system; scripts and
	 * TCP checks would start from unknown. */
	for (int i = 0; i < rt.n_inst; i++)
		for (int k = 0; k < rt.inst[i].n_trk; k++) {
			const struct tracker *t = rt.inst[i].trk[k].t;

			if (strcmp(t->kind, "script") && strcmp(t->kind, "tcp"))
				continue;
			ct[(*n)++] = (struct carry_trk){ t->kind, t->name, t->state };
		}
	return ct;
}

static void restore_trackers(const struct carry_trk *ct, int n)
{
	for (int i = 0; i < rt.n_inst; i++)
		for (int k = 0; k < rt.inst[i].n_trk; k++) {
			struct tracker *t = rt.inst[i].trk[k].t;

			for (int j = 0; j < n; j++)
				if (!strcmp(t->kind, ct[j].kind) && !strcmp(t->name, ct[j].name))
					t->state = ct[j].state;
		}
}

/* The successor takes over its predecessor's state; its parameters and
 * addresses are the new config's. */
static void take_over(struct inst *in, struct carry *from, int64_t now)
{
	const struct inst *old = &from->in;
	struct vrrp_params p = in->sm.p;
	struct vaddr self = in->sm.self;
	bool vips_changed = !vips_within(old->c, in->c) || !vips_within(in->c, old->c);
	struct vrrp_out out = { .from = old->sm.state, .to = old->sm.state };

	from->taken = true;
	in->sm = old->sm;
	in->sm.p = p;
	in->sm.self = self;
	in->last_src = old->last_src;
	in->ah_seq = old->ah_seq;
	in->ip_id = old->ip_id;
	in->burst_at = old->burst_at;
	in->refresh_at = old->refresh_at;
	in->changed_at = old->changed_at;
	in->rx = old->rx;
	in->tx = old->tx;
	in->prio0_rx = old->prio0_rx;
	in->prio0_tx = old->prio0_tx;
	in->became_master = old->became_master;
	in->released_master = old->released_master;
	memcpy(in->drops, old->drops, sizeof(in->drops));
	memcpy(in->drop_logged, old->drop_logged, sizeof(in->drop_logged));
	in->vips_up = old->vips_up;
	/* Adding a VIP that is there is a no-op (nl_addr_add): the new ones
	 * go in; only they make news worth a GARP/NA burst. */
	if (in->vips_up)
		out.acts = ACT_ADD_VIPS;
	if (in->vips_up && vips_changed) {
		log_info("(%s) VIP list changed: applying the difference", in->c->name);
		out.acts |= ACT_ANNOUNCE;
	}
	/* No transition: no log line, no notify; the timer is armed again. */
	inst_apply(in, &out, now);
	inst_reevaluate(in, now);
}

static int rebuild(const struct config *cf, const struct inst_opts *o, struct carry *cv, int n_old,
		   const struct carry_trk *ct, int n_ct)
{
	int64_t now = now_us();

	if (inst_setup(cf, o) < 0)
		return -1;
	restore_trackers(ct, n_ct);
	for (int i = 0; i < rt.n_inst; i++) {
		struct inst *in = &rt.inst[i];
		int k = 0;

		while (k < n_old && (cv[k].taken || !same_instance(cv[k].in.c, in->c)))
			k++;
		if (k < n_old && cv[k].in.sm.state != VRRP_INIT)
			take_over(in, &cv[k], now);
		else
			inst_start_one(in, now);
	}
	track_script_start();
	tcp_check_start();
	return 0;
}

/* Down to nothing, but what was running keeps running: nothing may outlive
 * the objects it points into. */
static void quiesce(void)
{
	track_script_stop();
	tcp_check_stop();
	notify_hold();
	proc_forget_all();
	inst_teardown();
}

int reload(struct config **cur, struct config *nc)
{
	int64_t now = now_us();
	int n_old = rt.n_inst, n_ct;
	struct inst_opts o = rt.opts;		/* inst_teardown clears rt */
	struct carry *cv = hand_over(nc, now);
	struct carry_trk *ct = save_trackers(&n_ct);
	int rc = 0;

	if (!cv || !ct)
		fatal(EXIT_NO_MEMORY, "reload");
	/* A reload within vrrp_startup_delay starts everything now. */
	if (inst_start_delayed())
		log_info("Reload: the startup delay ends here");
	quiesce();
	if (rebuild(nc, &o, cv, n_old, ct, n_ct) < 0) {
		/* A system failure, not the file: go back to what ran. */
		log_warnx("Reload: cannot set up the new configuration; going back to the running one");
		quiesce();
		for (int i = 0; i < n_old; i++)
			cv[i].taken = false;
		if (rebuild(*cur, &o, cv, n_old, ct, n_ct) < 0)
			fatalx(EXIT_FATAL, "cannot set up the running configuration again");
		conf_free(nc);
		rc = -1;
	} else {
		conf_free(*cur);
		*cur = nc;
	}
	free(cv);
	free(ct);
	return rc;
}
