/* SPDX-License-Identifier: MIT */
/* SIGHUP: from the running configuration to a new one that has been read
 * and checked without errors; see reload.c for what carries over. */
#ifndef TINYVRRP_RELOAD_H
#define TINYVRRP_RELOAD_H

#include "conf.h"

/* *cur is running; nc has no errors. On success *cur is freed and becomes
 * nc; if the system refuses the new setup (a socket, say), the running
 * configuration is set up again, nc is freed and -1 is returned. */
int reload(struct config **cur, struct config *nc);

#endif
