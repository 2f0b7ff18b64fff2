/* SPDX-License-Identifier: MIT */
/* notify_* scripts, `notify` with keepalived's four extra arguments, and the
 * notify FIFO. Per instance (and per group) notifications are delivered in
 * order: one runs at a time, the next waits, none is lost. */
#ifndef TINYVRRP_NOTIFY_H
#define TINYVRRP_NOTIFY_H

#include "conf.h"

/* state: "MASTER", "BACKUP", "FAULT", "STOP", "DELETED" (keepalived's words). */
void notify_instance(const struct conf_instance *c, const char *state, int prio);
/* A reload removes c, and its queue with the old configuration: what the
 * queue still holds starts now, all at once (as keepalived starts its
 * scripts), each script on its own. */
void notify_flush_instance(const struct conf_instance *c);
void notify_group(const struct conf_group *g, const char *state);
/* Read global settings (fifo, script_user); 0 or -1 after logging. */
int notify_setup(const struct config *cf);
void notify_teardown(void);
/* Reload: keep the waiting notifications over notify_teardown; the next
 * notify_setup gives them to the queues of the same names. */
void notify_hold(void);

#endif
