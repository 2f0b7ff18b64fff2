/* SPDX-License-Identifier: MIT */
/* The one event loop: fd watchers, one-shot timers on the monotonic clock
 * (integer microseconds), and signals delivered as ordinary events. Objects
 * embed a struct loop_fd / loop_timer and find themselves with container_of. */
#ifndef TINYVRRP_LOOP_H
#define TINYVRRP_LOOP_H

#include <stddef.h>
#include <stdint.h>

#define container_of(ptr, type, member) ((type *)(void *)((char *)(ptr) - offsetof(type, member)))

struct loop_fd {
	int fd;
	short events;			/* POLLIN ... */
	void (*cb)(struct loop_fd *f, short revents);
	int slot;			/* internal: index in the poll set, -1 if not watched */
};

struct loop_timer {
	int64_t at;			/* monotonic µs */
	void (*cb)(struct loop_timer *t, int64_t now);
	int slot;			/* internal: heap index, -1 if not armed */
};

int64_t now_us(void);

/* Watching needs no allocation once the set has grown to its size. */
int loop_fd_add(struct loop_fd *f);
void loop_fd_del(struct loop_fd *f);

/* Arm (or re-arm) a timer at an absolute time; INT64_MAX disarms. */
void loop_timer_set(struct loop_timer *t, int64_t at);
void loop_timer_cancel(struct loop_timer *t);

/* Signals: the listed ones are blocked and delivered to cb in the loop. */
int loop_signals(const int *sigs, int n, void (*cb)(int sig));

/* Run until loop_quit(). Returns 0, or -1 with errno on a poll failure. */
int loop_run(void);
void loop_quit(void);

#endif
