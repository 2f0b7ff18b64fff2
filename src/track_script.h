/* SPDX-License-Identifier: MIT */
/* vrrp_script trackers: one runtime object per script that some instance
 * tracks (keepalived runs no other), run every interval, never two runs at
 * once, killed at the timeout; rise/fall decide its tracker's state. */
#ifndef TINYVRRP_TRACK_SCRIPT_H
#define TINYVRRP_TRACK_SCRIPT_H

#include <stdbool.h>

#include "conf.h"
#include "track.h"

/* keepalived's rise/fall counter (vrrp_script result): *r runs from 0 to
 * rise + fall - 1 and the script is up while *r >= rise. From fully up it
 * takes fall failures in a row to go down, from down rise successes in a
 * row to go up. An unknown state takes the first result at once. Returns
 * the new state. Pure. */
static inline enum track_state script_rise_fall(int *r, int rise, int fall, enum track_state cur,
						bool ok)
{
	int full = rise + fall - 1;

	if (cur == TRACK_UNKNOWN) {
		*r = ok ? full : 0;
		return ok ? TRACK_UP : TRACK_DOWN;
	}
	if (ok) {
		if (*r < rise - 1) {
			(*r)++;
			return TRACK_DOWN;
		}
		*r = full;
		return TRACK_UP;
	}
	if (*r > rise) {
		(*r)--;
		return TRACK_UP;
	}
	*r = 0;
	return TRACK_DOWN;
}

/* At the end of inst_setup(): build the trackers, register them with the
 * instances. 0, or -1 after logging (out of memory). */
int track_script_setup(const struct config *cf);
void track_script_start(void);
void track_script_stop(void);
void track_script_teardown(void);
/* -t: would keepalived report a script security error (exit code for
 * security)? Logs its reasons. */
bool track_script_security_error(const struct config *cf);

#endif
