/* SPDX-License-Identifier: MIT */
/* Readiness for s6 and systemd; see ready.h. */
#include "ready.h"

#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static int s6_fd = -1;
static int sd_fd = -1;
static struct sockaddr_un sd_addr;
static socklen_t sd_len;

static void sd_open(void)
{
	const char *path = getenv("NOTIFY_SOCKET");
	size_t n;

	if (!path || !path[0])
		return;
	n = strlen(path);
	/* '@' names an abstract socket (sd_notify(3)); anything else must be
	 * an absolute path. */
	if ((path[0] != '/' && path[0] != '@') || n >= sizeof(sd_addr.sun_path)) {
		log_warnx("NOTIFY_SOCKET=%s: not a usable socket address; not notifying", path);
		return;
	}
	memset(&sd_addr, 0, sizeof(sd_addr));
	sd_addr.sun_family = AF_UNIX;
	memcpy(sd_addr.sun_path, path, n);
	if (path[0] == '@')
		sd_addr.sun_path[0] = '\0';
	sd_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
	sd_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sd_fd < 0)
		log_warn("NOTIFY_SOCKET");
}

void ready_init(int fd)
{
	/* A bad fd is the supervisor's configuration error: say so, run on. */
	if (fd >= 0 && fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		log_warn("--ready-fd %d", fd);
	else
		s6_fd = fd;
	sd_open();
	unsetenv("NOTIFY_SOCKET");
}

static void sd_send(const char *msg)
{
	if (sd_fd >= 0 && sendto(sd_fd, msg, strlen(msg), MSG_NOSIGNAL,
				 (const struct sockaddr *)&sd_addr, sd_len) < 0)
		log_warn("NOTIFY_SOCKET: %s", msg);
}

void ready_up(void)
{
	char msg[48];

	if (s6_fd >= 0) {
		if (write(s6_fd, "\n", 1) != 1)
			log_warn("--ready-fd %d", s6_fd);
		close(s6_fd);
		s6_fd = -1;
	}
	snprintf(msg, sizeof(msg), "READY=1\nMAINPID=%d", (int)getpid());
	sd_send(msg);
}

void ready_reloading(void)
{
	struct timespec ts;
	char msg[64];

	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(msg, sizeof(msg), "RELOADING=1\nMONOTONIC_USEC=%lld",
		 (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
	sd_send(msg);
}

void ready_stopping(void)
{
	sd_send("STOPPING=1");
}
