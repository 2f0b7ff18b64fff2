/* SPDX-License-Identifier: MIT */
/* The bookkeeping of a health check, pure: how attempt results turn into
 * UP/DOWN. Two flavours in one rule set:
 * - vrrp_script style (rise/fall): `rise` successes in a row make it UP,
 *   `fall` failures in a row DOWN; from UNKNOWN the first result counts at
 *   once, as keepalived's track scripts do;
 * - keepalived's checkers (retry): a failure is tried again `retry` more
 *   times, delay_before_retry apart, before it counts; one success is UP. */
#ifndef TINYVRRP_CHECK_COUNT_H
#define TINYVRRP_CHECK_COUNT_H

#include <stdbool.h>

#include "track.h"

struct check_count {
	int rise, fall;			/* >= 1 */
	int retry;			/* >= 0; 0 for rise/fall checks */
	enum track_state state;
	int ok, ko;			/* successes / counted failures in a row */
	int tries;			/* retries spent on the current failure */
};

enum check_next {
	CHECK_NEXT_INTERVAL,		/* next attempt after the check's period */
	CHECK_NEXT_RETRY,		/* after delay_before_retry */
};

/* Feed one attempt's result. Returns true when the state changed;
 * *next says when to try again. */
bool check_count_feed(struct check_count *c, bool ok, enum check_next *next);

#endif
