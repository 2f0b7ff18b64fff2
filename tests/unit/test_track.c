/* SPDX-License-Identifier: MIT */
#include "t.h"
#include "track.h"

static struct tracker up = { .state = TRACK_UP }, down = { .state = TRACK_DOWN },
	unknown = { .state = TRACK_UNKNOWN }, unknown_fail = { .state = TRACK_UNKNOWN, .init_down = true };

static int prio(int base, struct tracker *t, int weight, bool reverse, bool *fault)
{
	struct track_ref r = { .t = t, .weight = weight, .reverse = reverse };

	return track_priority(base, &r, 1, fault);
}

int main(void)
{
	bool f;

	/* weight 0: FAULT while down, nothing while up */
	CHECK_EQ(prio(100, &down, 0, false, &f), 100); CHECK(f);
	CHECK_EQ(prio(100, &up, 0, false, &f), 100); CHECK(!f);
	/* positive weight added while up; negative subtracted while down */
	CHECK_EQ(prio(100, &up, 20, false, &f), 120); CHECK(!f);
	CHECK_EQ(prio(100, &down, 20, false, &f), 100);
	CHECK_EQ(prio(100, &down, -20, false, &f), 80);
	CHECK_EQ(prio(100, &up, -20, false, &f), 100);
	/* reverse negates the weight */
	CHECK_EQ(prio(100, &down, 20, true, &f), 80);
	CHECK_EQ(prio(100, &up, 20, true, &f), 100);
	CHECK_EQ(prio(100, &up, -20, true, &f), 120);
	/* unknown counts as up unless init_fail */
	CHECK_EQ(prio(100, &unknown, -20, false, &f), 100);
	CHECK_EQ(prio(100, &unknown_fail, -20, false, &f), 80);
	/* clamped to 1..254; owners never move */
	CHECK_EQ(prio(250, &up, 50, false, &f), 254);
	CHECK_EQ(prio(10, &down, -50, false, &f), 1); CHECK(!f);
	CHECK_EQ(prio(255, &down, -50, false, &f), 255);
	CHECK_EQ(prio(255, &down, 0, false, &f), 255); CHECK(f);
	/* file trackers: value x weight, weight 0 = FAULT on non-zero */
	struct tracker file = { .is_value = true, .value = 3 };

	CHECK_EQ(prio(100, &file, 5, false, &f), 115); CHECK(!f);
	CHECK_EQ(prio(100, &file, 5, true, &f), 85);
	CHECK_EQ(prio(100, &file, 0, false, &f), 100); CHECK(f);
	file.value = -100;
	CHECK_EQ(prio(100, &file, 4, false, &f), 1); CHECK(f);	/* below -253: FAULT */
	/* several trackers add up */
	struct track_ref refs[] = { { &up, 10, false }, { &down, -30, false }, { &up, 0, false } };

	CHECK_EQ(track_priority(100, refs, 3, &f), 80); CHECK(!f);
	return t_done("track");
}
