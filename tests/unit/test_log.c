/* SPDX-License-Identifier: MIT */
/* log.c leaves errno as it found it, even when writing the line fails: a
 * caller logs, then returns -1 for its own caller to report errno. */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "log.h"
#include "t.h"

int main(void)
{
	int out = dup(STDERR_FILENO);

	log_open("test_log", LOG_TO_STDERR, 0, true);
	/* stderr closed: every line fails to be written (EBADF). */
	CHECK(out >= 0);
	close(STDERR_FILENO);
	errno = ENOMEM;
	log_info("info %d", 1);
	CHECK_EQ(errno, ENOMEM);
	errno = ENOMEM;
	log_warn("warn");
	CHECK_EQ(errno, ENOMEM);
	errno = EADDRNOTAVAIL;
	log_warnx("warnx %s", "x");
	CHECK_EQ(errno, EADDRNOTAVAIL);
	errno = EINVAL;
	log_detailx("detail");
	CHECK_EQ(errno, EINVAL);
	dup2(out, STDERR_FILENO);
	close(out);
	return t_done("test_log");
}
