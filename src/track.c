/* SPDX-License-Identifier: MIT */
/* Tracker arithmetic (keepalived's vrrp_track.c rules, re-derived). */
#include "track.h"

static bool is_down(const struct tracker *t)
{
	return t->state == TRACK_DOWN || (t->state == TRACK_UNKNOWN && t->init_down);
}

int track_priority(int base, const struct track_ref *refs, int n, bool *fault)
{
	int64_t prio = base;

	*fault = false;
	for (int i = 0; i < n; i++) {
		const struct track_ref *r = &refs[i];
		const struct tracker *t = r->t;

		if (t->is_value) {
			/* keepalived: weight 0 means a non-zero value is a fault. */
			if (r->weight == 0) {
				if (t->value != 0)
					*fault = true;
				continue;
			}
			int64_t v = t->value * r->weight;

			prio += r->reverse ? -v : v;
			continue;
		}
		/* keepalived: reverse negates the weight. */
		int w = r->reverse ? -r->weight : r->weight;
		bool down = is_down(t);

		if (w == 0) {
			if (down)
				*fault = true;
		} else if (w > 0 ? !down : down) {
			prio += w;
		}
	}
	if (base == 255)
		return 255;		/* an owner is never moved by trackers */
	/* keepalived: a file tracker pushing below -253 means FAULT. */
	if (prio < -253)
		*fault = true;
	return prio < 1 ? 1 : prio > 254 ? 254 : (int)prio;
}
