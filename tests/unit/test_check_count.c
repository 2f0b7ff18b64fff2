/* SPDX-License-Identifier: MIT */
/* Health-check bookkeeping: rise/fall as keepalived's vrrp_script, retry as
 * keepalived's TCP_CHECK. */
#include "check_count.h"
#include "t.h"

/* Feed a string of results ('+' success, '-' failure); returns the number
 * of state changes; *retries counts CHECK_NEXT_RETRY answers. */
static int feed(struct check_count *c, const char *s, int *retries)
{
	int changes = 0;
	enum check_next next;

	*retries = 0;
	for (; *s; s++) {
		changes += check_count_feed(c, *s == '+', &next);
		*retries += next == CHECK_NEXT_RETRY;
	}
	return changes;
}

int main(void)
{
	struct check_count c;
	enum check_next next;
	int r;

	/* from UNKNOWN, the first result applies at once, whatever rise/fall */
	c = (struct check_count){ .rise = 3, .fall = 3 };
	CHECK(check_count_feed(&c, true, &next));
	CHECK_EQ(c.state, TRACK_UP);
	CHECK_EQ(next, CHECK_NEXT_INTERVAL);
	c = (struct check_count){ .rise = 3, .fall = 3 };
	CHECK(check_count_feed(&c, false, &next));
	CHECK_EQ(c.state, TRACK_DOWN);
	CHECK_EQ(c.ko, 1);

	/* fall 2: one failure is forgiven, two in a row are not */
	c = (struct check_count){ .rise = 2, .fall = 2, .state = TRACK_UP };
	CHECK_EQ(feed(&c, "-+-+-+", &r), 0);
	CHECK_EQ(c.state, TRACK_UP);
	CHECK_EQ(feed(&c, "--", &r), 1);
	CHECK_EQ(c.state, TRACK_DOWN);
	CHECK_EQ(c.ko, 2);
	CHECK_EQ(r, 0);
	/* more failures change nothing and the count stays at fall */
	CHECK_EQ(feed(&c, "-----", &r), 0);
	CHECK_EQ(c.ko, 2);
	/* rise 2: one success is not enough, two in a row are */
	CHECK_EQ(feed(&c, "+-+-", &r), 0);
	CHECK_EQ(c.state, TRACK_DOWN);
	CHECK_EQ(feed(&c, "++", &r), 1);
	CHECK_EQ(c.state, TRACK_UP);
	CHECK_EQ(c.ok, 2);

	/* rise 1, fall 1: every flip is a change */
	c = (struct check_count){ .rise = 1, .fall = 1, .state = TRACK_UP };
	CHECK_EQ(feed(&c, "-+-+", &r), 4);

	/* retry 3 (keepalived's TCP_CHECK): three retries, then DOWN on the
	 * fourth failure in a row */
	c = (struct check_count){ .rise = 1, .fall = 1, .retry = 3, .state = TRACK_UP };
	CHECK_EQ(feed(&c, "---", &r), 0);
	CHECK_EQ(r, 3);
	CHECK_EQ(c.tries, 3);
	CHECK(check_count_feed(&c, false, &next));
	CHECK_EQ(c.state, TRACK_DOWN);
	CHECK_EQ(next, CHECK_NEXT_INTERVAL);
	CHECK_EQ(c.tries, 0);
	/* a success during the retries starts over */
	c = (struct check_count){ .rise = 1, .fall = 1, .retry = 2, .state = TRACK_UP };
	CHECK_EQ(feed(&c, "--+--", &r), 0);
	CHECK_EQ(c.state, TRACK_UP);
	CHECK_EQ(r, 4);
	CHECK_EQ(feed(&c, "-", &r), 1);
	CHECK_EQ(c.state, TRACK_DOWN);
	/* already down: keepalived still retries before the next period */
	CHECK_EQ(feed(&c, "---", &r), 0);
	CHECK_EQ(r, 2);
	/* one success brings it back */
	CHECK(check_count_feed(&c, true, &next));
	CHECK_EQ(c.state, TRACK_UP);
	CHECK_EQ(next, CHECK_NEXT_INTERVAL);
	/* retry 0: the first failure counts */
	c = (struct check_count){ .rise = 1, .fall = 1, .retry = 0, .state = TRACK_UP };
	CHECK(check_count_feed(&c, false, &next));
	CHECK_EQ(next, CHECK_NEXT_INTERVAL);

	return t_done("check_count");
}
