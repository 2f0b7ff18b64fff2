/* SPDX-License-Identifier: MIT */
/* Runtime VRRP instances: binds each configured instance to its interface,
 * socket and timer, feeds the state machine and carries out its actions. */
#ifndef TINYVRRP_INSTANCE_H
#define TINYVRRP_INSTANCE_H

#include <stdbool.h>
#include <stdint.h>

#include "conf.h"

struct inst_opts {
	bool keep_vips;		/* -V: leave VIPs in place on exit */
};

/* Resolve interfaces and addresses and open sockets. Touches nothing on the
 * system yet. Returns 0, or -1 after logging why. */
int inst_setup(const struct config *cf, const struct inst_opts *o);
/* Start every instance (Initialize -> Backup/Master), after delay_ms
 * (vrrp_startup_delay) when it is not 0. */
void inst_start_all(uint32_t delay_ms);
/* Cancel a start still waiting for its delay; true if there was one
 * (a reload or a stop ends the wait). */
bool inst_start_delayed(void);
/* Graceful stop: masters send priority 0 and release their VIPs. */
void inst_stop_all(void);
/* Free sockets and memory. */
void inst_teardown(void);

#endif
