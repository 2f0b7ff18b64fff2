/* SPDX-License-Identifier: MIT */
/* Telling a supervisor where the daemon is, without its libraries:
 * s6's notification fd (a newline, then close: s6-supervise's readiness
 * protocol) and systemd's NOTIFY_SOCKET datagrams (sd_notify(3) text). */
#ifndef TINYVRRP_READY_H
#define TINYVRRP_READY_H

/* The fd given with --ready-fd, or -1; NOTIFY_SOCKET is read from the
 * environment and then removed from it so scripts do not inherit it. */
void ready_init(int fd);
/* Every instance has started: the s6 fd gets its newline (once), systemd
 * READY=1. Also the end of a reload. */
void ready_up(void);
/* systemd only: RELOADING=1 (with MONOTONIC_USEC, as systemd 253 wants
 * for Type=notify-reload) and STOPPING=1. */
void ready_reloading(void);
void ready_stopping(void);

#endif
