/* SPDX-License-Identifier: MIT */
/* TCP checks at run time, without a single fork: a non-blocking connect
 * watched by the loop (POLLOUT + SO_ERROR), a loop timer for the timeout
 * and the period. vrrp_tcp_check blocks are trackers of the instances
 * whose track_script names them; the TCP_CHECKs of virtual_server blocks
 * run notify_up / notify_down. Stubs when CONFIG_TCP_CHECK is off. */
#ifndef TINYVRRP_CHECK_TCP_H
#define TINYVRRP_CHECK_TCP_H

#include "conf.h"

#if CONFIG_TCP_CHECK
/* Create the checks of cf and register the trackers with the instances
 * (after inst_setup has made them). 0, or -1 after logging why. */
int tcp_check_setup(const struct config *cf);
/* First attempts now; results arrive in the loop. */
void tcp_check_start(void);
/* Stop probing: close sockets, cancel timers (results no longer change
 * priorities). */
void tcp_check_stop(void);
void tcp_check_teardown(void);
#else
#include "log.h"
/* vrrp_tcp_check is refused by the parser; LVS blocks are read anyway. */
static inline int tcp_check_setup(const struct config *cf)
{
	if (cf->n_real_servers)
		log_warnx("%s:%d: virtual_server TCP_CHECKs need CONFIG_TCP_CHECK, which this build lacks; not run",
			  cf->real_servers[0].pos.file, cf->real_servers[0].pos.line);
	return 0;
}
static inline void tcp_check_start(void) {}
static inline void tcp_check_stop(void) {}
static inline void tcp_check_teardown(void) {}
#endif

#endif
