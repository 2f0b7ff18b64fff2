/* SPDX-License-Identifier: MIT */
/* Daemon status as `tinyvrrp status` and keepalived's JSON dump show it. */
#ifndef TINYVRRP_STATUS_H
#define TINYVRRP_STATUS_H

#include <stdint.h>
#include <time.h>

/* Wall clock, µs since the epoch: the time of a state transition, which
 * status shows as a date (timers use the monotonic clock). */
static inline int64_t status_wall_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

#endif
