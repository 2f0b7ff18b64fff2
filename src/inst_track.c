/* SPDX-License-Identifier: MIT */
/* Trackers and the instance's own link decide the effective priority and
 * FAULT; this file turns a change of either into state-machine events. */
#include <stdlib.h>

#include "group.h"
#include "inst_int.h"
#include "log.h"

int inst_track_add(struct inst *in, struct tracker *t, int weight, bool reverse)
{
	if (in->n_trk == in->cap_trk) {
		int cap = in->cap_trk ? in->cap_trk * 2 : 4;
		struct track_ref *p = realloc(in->trk, (size_t)cap * sizeof(*p));

		if (!p)
			return -1;
		in->trk = p;
		in->cap_trk = cap;
	}
	in->trk[in->n_trk++] = (struct track_ref){ .t = t, .weight = weight, .reverse = reverse };
	return 0;
}

const char *inst_no_weights(const struct inst *in)
{
	/* keepalived: members of a group would disagree on priorities; an
	 * owner's never changes. */
	if (group_fixes_prio(in))
		return "SYNC group";
	return in->c->priority == 255 ? "address_owner" : NULL;
}

void inst_reevaluate(struct inst *in, int64_t now)
{
	const struct conf_instance *c = in->c;
	bool fault;
	int prio = track_priority(c->priority, in->trk, in->n_trk, &fault);
	struct vrrp_out out;

	if (!c->dont_track_primary && !in->ifp->running)
		fault = true;
	if (!in->bound)
		fault = true;		/* interface, address or a VIP's dev missing */
	fault = group_fault(in, fault, now);	/* a sync group faults as one */
	if (in->sm.state == VRRP_INIT)
		return;		/* not started yet, or stopped */
	if (prio != in->sm.prio) {
		log_info("(%s) Changing effective priority from %d to %d", c->name, in->sm.prio, prio);
		vrrp_set_prio(&in->sm, (uint8_t)prio, now, &out);
		inst_apply(in, &out, now);
	}
	if (fault != (in->sm.state == VRRP_FAULT)) {
		vrrp_set_fault(&in->sm, fault, now, &out);
		inst_apply(in, &out, now);
	}
}

void inst_track_changed(void)
{
	int64_t now = now_us();

	for (int i = 0; i < rt.n_inst; i++)
		inst_reevaluate(&rt.inst[i], now);
}
