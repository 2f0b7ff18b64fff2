/* SPDX-License-Identifier: MIT */
/* Health-check bookkeeping (see check_count.h): rise/fall as keepalived's
 * vrrp_script, retry as keepalived's TCP_CHECK (check_tcp.c's
 * tcp_check_thread: a failure with retries left is retried after
 * delay_before_retry; the last one declares the service down). */
#include "check_count.h"

bool check_count_feed(struct check_count *c, bool ok, enum check_next *next)
{
	enum track_state was = c->state;

	*next = CHECK_NEXT_INTERVAL;
	if (ok) {
		c->ko = 0;
		c->tries = 0;
		if (c->ok < c->rise)
			c->ok++;
		if (c->state == TRACK_UNKNOWN || c->ok >= c->rise)
			c->state = TRACK_UP;
		return c->state != was;
	}
	c->ok = 0;
	if (c->tries < c->retry) {
		/* keepalived also retries a service that is already down */
		c->tries++;
		*next = CHECK_NEXT_RETRY;
		return false;
	}
	c->tries = 0;
	if (c->ko < c->fall)
		c->ko++;
	if (c->state == TRACK_UNKNOWN || c->ko >= c->fall)
		c->state = TRACK_DOWN;
	return c->state != was;
}
