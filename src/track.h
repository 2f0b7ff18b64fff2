/* SPDX-License-Identifier: MIT */
/* Trackers and what they do to an instance's priority, keepalived's rules:
 * a tracker with weight 0 puts the instance in FAULT while it is down; a
 * positive weight is added while it is up, a negative one while it is
 * down (reverse swaps up and down); a file tracker adds value x weight.
 * The result is clamped to 1..254, and an owner (255) never changes. Pure. */
#ifndef TINYVRRP_TRACK_H
#define TINYVRRP_TRACK_H

#include <stdbool.h>
#include <stdint.h>

enum track_state { TRACK_UNKNOWN = 0, TRACK_UP, TRACK_DOWN };

struct tracker {
	const char *name;
	const char *kind;		/* "script", "interface", "file", "tcp" for logs */
	enum track_state state;
	int64_t value;			/* file trackers: the number in the file */
	bool is_value;			/* value x weight instead of up/down */
	bool init_down;			/* unknown counts as down (init_fail) */
};

struct track_ref {
	struct tracker *t;
	int weight;
	bool reverse;
};

/* Effective priority of an instance with base priority base and these
 * trackers; *fault is set when a tracker says FAULT. */
int track_priority(int base, const struct track_ref *refs, int n, bool *fault);

#endif
