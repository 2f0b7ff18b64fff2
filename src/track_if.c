/* SPDX-License-Identifier: MIT */
/* track_interface trackers. Interfaces are followed by name through the
 * instance layer's interface table (instance.c), so a tracked interface
 * that is missing at start, deleted or re-created needs nothing here but
 * a look at its entry after each link event. */
#include "track_if.h"

#include <stdlib.h>
#include <string.h>

#include "group.h"
#include "inst_int.h"
#include "log.h"

struct iftrack {
	struct tracker t;
	struct iface *ifp;
};

static struct iftrack *trk;
static int n_trk;

static enum track_state if_state(const struct iface *ifp)
{
	return ifp->ifindex && ifp->running ? TRACK_UP : TRACK_DOWN;
}

/* One tracker per interface, shared by every instance tracking it. */
static struct iftrack *tracker_for(const char *name, int cap)
{
	for (int i = 0; i < n_trk; i++)
		if (strcmp(trk[i].ifp->name, name) == 0)
			return &trk[i];
	if (n_trk == cap)
		return NULL;
	struct iface *ifp = iface_get(name);

	if (!ifp)
		return NULL;
	struct iftrack *t = &trk[n_trk++];

	t->ifp = ifp;
	t->t.name = ifp->name;
	t->t.kind = "interface";
	t->t.state = if_state(ifp);
	return t;
}

int track_if_setup(void)
{
	int cap = 0;

	for (int i = 0; i < rt.n_inst; i++)
		cap += rt.inst[i].c->n_track_if;
	if (!cap)
		return 0;
	/* Entries never move: instances keep pointers to their trackers. */
	trk = calloc((size_t)cap, sizeof(*trk));
	if (!trk) {
		log_warn("track_interface");
		return -1;
	}
	for (int i = 0; i < rt.n_inst; i++) {
		struct inst *in = &rt.inst[i];

		for (int k = 0; k < in->c->n_track_if; k++) {
			const struct conf_track *ct = &in->c->track_if[k];
			struct iftrack *t = tracker_for(ct->name, cap);

			int w = ct->weight;

			/* keepalived: no floating priorities in a sync group (the
			 * members would disagree), none for an address owner. */
			if (w && in->c->priority == 255) {
				log_info("(%s) ignoring tracked interface %s due to address owner",
					 in->c->name, ct->name);
				continue;
			}
			if (w && group_fixes_prio(in) && !ct->from_group) {
				log_info("(%s) ignoring %s tracked interface weight due to SYNC group",
					 in->c->name, ct->name);
				w = 0;
			}
			if (!t || inst_track_add(in, &t->t, w, ct->reverse) < 0) {
				log_warn("(%s) track_interface %s", in->c->name, ct->name);
				return -1;
			}
			if (!t->ifp->ifindex)
				log_info("(%s) tracked interface %s does not exist (yet)", in->c->name,
					 ct->name);
		}
	}
	return 0;
}

void track_if_update(void)
{
	bool changed = false;

	for (int i = 0; i < n_trk; i++) {
		enum track_state s = if_state(trk[i].ifp);

		if (s == trk[i].t.state)
			continue;
		trk[i].t.state = s;
		changed = true;
		log_info("Tracked interface %s is %s", trk[i].ifp->name, s == TRACK_UP ? "UP" : "DOWN");
	}
	if (changed)
		inst_track_changed();
}

void track_if_teardown(void)
{
	free(trk);
	trk = NULL;
	n_trk = 0;
}
