/* SPDX-License-Identifier: MIT */
/* The control socket behind `tinyvrrp status [--json]`: a unix stream
 * socket, root only, served from the poll loop without ever blocking it.
 *
 * Protocol: the client sends one line, "status\n" or "status json\n"; the
 * daemon answers with the text (table or JSON) and closes the connection.
 * Anything else gets "error: unknown request\n". */
#ifndef TINYVRRP_STATUS_H
#define TINYVRRP_STATUS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define STATUS_SOCKET_DEFAULT "/run/tinyvrrp.sock"

/* Start-up: listen on path (mode 0600), replacing a stale socket. Returns
 * 0; -1 after logging why (another daemon answers there, bind failed). */
int status_open(const char *path);
/* Shutdown: close every connection, remove the socket. */
void status_close(void);

/* The client side: ask the daemon at path, print the answer on stdout.
 * Returns 0, or -1 after a one-line message on stderr. */
int status_client(const char *path, bool json);

/* Wall clock, µs since the epoch: the time of a state transition, which
 * status shows as a date (timers use the monotonic clock). */
static inline int64_t status_wall_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

#endif
