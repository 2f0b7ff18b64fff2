/* SPDX-License-Identifier: MIT */
/* poll() loop with a binary heap of timers: O(log n) per re-arm, so 255
 * instances at 10 ms cost no more per advert than one. The heap and the poll
 * set only grow at start-up; steady state allocates nothing. */
#include "loop.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

static struct pollfd *pfds;
static struct loop_fd **fds;
static int nfds, capfds;

static struct loop_timer **heap;
static int nheap, capheap;

static bool quitting;

static struct loop_fd sigfd = { .fd = -1, .slot = -1 };
static void (*sig_cb)(int sig);

int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int grow(void **arr, int *cap, size_t elem)
{
	int ncap = *cap ? *cap * 2 : 16;
	void *p = realloc(*arr, (size_t)ncap * elem);

	if (!p)
		return -1;
	*arr = p;
	*cap = ncap;
	return 0;
}

int loop_fd_add(struct loop_fd *f)
{
	if (nfds == capfds) {
		int c = capfds;

		if (grow((void **)&pfds, &c, sizeof(*pfds)) < 0 ||
		    grow((void **)&fds, &capfds, sizeof(*fds)) < 0)
			return -1;
	}
	pfds[nfds] = (struct pollfd){ .fd = f->fd, .events = f->events };
	fds[nfds] = f;
	f->slot = nfds++;
	return 0;
}

void loop_fd_del(struct loop_fd *f)
{
	int i = f->slot;

	if (i < 0)
		return;
	nfds--;
	pfds[i] = pfds[nfds];
	fds[i] = fds[nfds];
	fds[i]->slot = i;
	f->slot = -1;
}

static void heap_swap(int a, int b)
{
	struct loop_timer *t = heap[a];

	heap[a] = heap[b];
	heap[b] = t;
	heap[a]->slot = a;
	heap[b]->slot = b;
}

static void heap_up(int i)
{
	while (i > 0 && heap[(i - 1) / 2]->at > heap[i]->at) {
		heap_swap(i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void heap_down(int i)
{
	for (;;) {
		int l = 2 * i + 1, r = l + 1, m = i;

		if (l < nheap && heap[l]->at < heap[m]->at)
			m = l;
		if (r < nheap && heap[r]->at < heap[m]->at)
			m = r;
		if (m == i)
			return;
		heap_swap(i, m);
		i = m;
	}
}

void loop_timer_cancel(struct loop_timer *t)
{
	int i = t->slot;

	if (i < 0)
		return;
	t->slot = -1;
	if (i != --nheap) {
		heap[i] = heap[nheap];
		heap[i]->slot = i;
		heap_down(i);
		heap_up(i);
	}
}

void loop_timer_set(struct loop_timer *t, int64_t at)
{
	if (at == INT64_MAX) {
		loop_timer_cancel(t);
		return;
	}
	if (t->slot < 0) {
		/* Start-up sizes the heap; a failure here would lose a protocol
		 * timer, which is worse than dying: abort. */
		if (nheap == capheap && grow((void **)&heap, &capheap, sizeof(*heap)) < 0)
			abort();
		t->slot = nheap;
		heap[nheap++] = t;
	}
	t->at = at;
	heap_down(t->slot);
	heap_up(t->slot);
}

static void on_signalfd(struct loop_fd *f, short revents)
{
	struct signalfd_siginfo si;

	while (read(f->fd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		sig_cb((int)si.ssi_signo);
}

int loop_signals(const int *sigs, int n, void (*cb)(int sig))
{
	sigset_t set;

	sigemptyset(&set);
	for (int i = 0; i < n; i++)
		sigaddset(&set, sigs[i]);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	sigfd.fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sigfd.fd < 0)
		return -1;
	sigfd.events = POLLIN;
	sigfd.cb = on_signalfd;
	sig_cb = cb;
	return loop_fd_add(&sigfd);
}

void loop_quit(void)
{
	quitting = true;
}

static void run_timers(int64_t now)
{
	/* A callback may re-arm its own timer or others; re-check the top each time. */
	while (nheap > 0 && heap[0]->at <= now && !quitting) {
		struct loop_timer *t = heap[0];

		loop_timer_cancel(t);
		t->cb(t, now);
	}
}

/* Poll with timeout tp (NULL: none) and run the callbacks of ready fds.
 * -1 on a poll error other than EINTR. */
static int poll_fds(const struct timespec *tp)
{
	int n = ppoll(pfds, (nfds_t)nfds, tp, NULL);

	if (n < 0)
		return errno == EINTR ? 0 : -1;
	/* Walk backwards: a callback may remove its own fd (swap with last). */
	for (int i = nfds - 1; i >= 0 && n > 0 && !quitting; i--) {
		if (i >= nfds || !pfds[i].revents)
			continue;
		short rev = pfds[i].revents;

		pfds[i].revents = 0;
		n--;
		fds[i]->cb(fds[i], rev);
	}
	return 0;
}

/* Timers this late mean the process was off the CPU (a long start-up, a
 * stalled machine): what arrived meanwhile is read first, so that an
 * advert that came in time is not overtaken by the Master_Down_Timer it
 * should have reset. On time, the timers go first, with no extra poll. */
#define LATE_US 2000

int loop_run(void)
{
	static const struct timespec zero;

	quitting = false;
	while (!quitting) {
		struct timespec ts, *tp = NULL;

		int64_t now = now_us();

		if (nheap > 0 && heap[0]->at < now - LATE_US) {
			if (poll_fds(&zero) < 0)
				return -1;
			now = now_us();
		}
		run_timers(now);
		if (quitting)
			break;
		if (nheap > 0) {
			int64_t d = heap[0]->at - now_us();

			if (d < 0)
				d = 0;
			ts.tv_sec = d / 1000000;
			ts.tv_nsec = (d % 1000000) * 1000;
			tp = &ts;
		}
		if (poll_fds(tp) < 0)
			return -1;
	}
	return 0;
}
