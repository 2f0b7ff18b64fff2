/* SPDX-License-Identifier: MIT */
/* The loop's order of events: timers on time go first; timers found late
 * (the process was off the CPU) go after the input that waited meanwhile,
 * so an advert that came in time is read before the Master_Down_Timer it
 * resets. Real pipes, the real clock; no root needed. */
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"
#include "t.h"

static char order[8];
static int n_order;
static struct loop_fd rd;
static struct loop_timer tm;

static void note(char c)
{
	if (n_order < (int)sizeof(order) - 1)
		order[n_order++] = c;
}

static void on_read(struct loop_fd *f, short rev)
{
	char b[16];

	(void)rev;
	(void)!read(f->fd, b, sizeof(b));
	note('r');
	/* as an advert does: push the timer out */
	if (tm.slot >= 0)
		loop_timer_set(&tm, now_us() + 1000000);
	loop_quit();
}

static void on_timer(struct loop_timer *t, int64_t now)
{
	(void)t;
	(void)now;
	note('t');
	loop_quit();
}

static void sleep_ms(int ms)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = ms * 1000000L };

	nanosleep(&ts, NULL);
}

int main(void)
{
	int p[2];

	CHECK(pipe(p) == 0);
	rd = (struct loop_fd){ .fd = p[0], .events = POLLIN, .cb = on_read, .slot = -1 };
	tm = (struct loop_timer){ .cb = on_timer, .slot = -1 };
	CHECK(loop_fd_add(&rd) == 0);

	/* Late: the timer was due 20 ms ago and input waits. Input first; it
	 * re-arms the timer, which then does not fire at all. */
	loop_timer_set(&tm, now_us() + 5000);
	CHECK(write(p[1], "x", 1) == 1);
	sleep_ms(25);
	CHECK_EQ(loop_run(), 0);
	CHECK_STR(order, "r");
	CHECK(tm.slot >= 0 && tm.at > now_us());

	/* On time: nothing waits; the timer fires alone. */
	memset(order, 0, sizeof(order));
	n_order = 0;
	loop_timer_set(&tm, now_us() + 5000);
	CHECK_EQ(loop_run(), 0);
	CHECK_STR(order, "t");

	loop_fd_del(&rd);
	close(p[0]);
	close(p[1]);
	return t_done("loop");
}
