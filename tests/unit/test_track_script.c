/* SPDX-License-Identifier: MIT */
/* keepalived's rise/fall counter of a vrrp_script (script_rise_fall). */
#include "t.h"
#include "track_script.h"

/* Feed results ("1" success, "0" failure) and return the states seen as a
 * string of U/D, one per result. */
static const char *feed(int rise, int fall, enum track_state st, const char *results)
{
	static char out[64];
	int r = 0, i;

	if (st == TRACK_DOWN)
		r = 0;
	for (i = 0; results[i] && i < 63; i++) {
		st = script_rise_fall(&r, rise, fall, st, results[i] == '1');
		out[i] = st == TRACK_UP ? 'U' : st == TRACK_DOWN ? 'D' : '?';
	}
	out[i] = '\0';
	return out;
}

int main(void)
{
	/* unknown: the first result applies at once, whatever rise/fall say */
	CHECK_STR(feed(3, 3, TRACK_UNKNOWN, "1"), "U");
	CHECK_STR(feed(3, 3, TRACK_UNKNOWN, "0"), "D");
	/* rise 1 fall 1: every result counts */
	CHECK_STR(feed(1, 1, TRACK_UNKNOWN, "1010011"), "UDUDDUU");
	/* fall 2: two failures in a row to go down; a success in between resets */
	CHECK_STR(feed(1, 2, TRACK_UNKNOWN, "10100"), "UUUUD");
	/* rise 3: three successes in a row to come back */
	CHECK_STR(feed(3, 1, TRACK_UNKNOWN, "0110111"), "DDDDDDU");
	/* init_fail: starts down, needs rise successes */
	CHECK_STR(feed(2, 2, TRACK_DOWN, "11"), "DU");
	CHECK_STR(feed(2, 2, TRACK_DOWN, "1011"), "DDDU");
	/* up with rise 2 fall 3: three failures, then two successes */
	CHECK_STR(feed(2, 3, TRACK_UNKNOWN, "1000011"), "UUUDDDU");
	/* the counter stays within 0 .. rise + fall - 1 */
	{
		int r = 0;
		enum track_state st = TRACK_UNKNOWN;

		for (int i = 0; i < 20; i++) {
			st = script_rise_fall(&r, 2, 3, st, i % 7 != 3);
			CHECK(r >= 0 && r <= 4);
			CHECK((st == TRACK_UP) == (r >= 2));
		}
	}
	return t_done("test_track_script");
}
