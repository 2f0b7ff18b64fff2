/* SPDX-License-Identifier: MIT */
/* Logging to syslog or stderr. keepalived's wording is kept by the callers;
 * this file only decides where lines go. */
#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

bool log_detail;
static enum log_target target = LOG_TO_STDERR;

void log_open(const char *ident, enum log_target to, int facility, bool detail)
{
	target = to;
	log_detail = detail;
	if (to == LOG_TO_SYSLOG)
		openlog(ident, LOG_PID | LOG_NDELAY, facility);
}

/* Leaves errno as it found it: a caller may log, then return -1 with the
 * errno of the failure for its own caller to report. */
static void vlog(int prio, const char *fmt, va_list ap, int err)
{
	int saved = errno;
	char msg[512];
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);

	if (err && n >= 0 && (size_t)n < sizeof(msg))
		snprintf(msg + n, sizeof(msg) - (size_t)n, ": %s", strerror(err));
	if (target == LOG_TO_SYSLOG) {
		syslog(prio, "%s", msg);
		errno = saved;
		return;
	}
	/* Wall-clock stamp with milliseconds, as keepalived -l prints. */
	struct timespec ts;
	struct tm tm;
	char stamp[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%a %b %e %H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ld: %s\n", stamp, ts.tv_nsec / 1000000, msg);
	errno = saved;
}

#define LOG_BODY(prio, err) do { va_list ap; va_start(ap, fmt); vlog(prio, fmt, ap, err); va_end(ap); } while (0)

void log_info(const char *fmt, ...) { LOG_BODY(LOG_INFO, 0); }
void log_notice(const char *fmt, ...) { LOG_BODY(LOG_NOTICE, 0); }
void log_warnx(const char *fmt, ...) { LOG_BODY(LOG_WARNING, 0); }

void log_warn(const char *fmt, ...)
{
	int err = errno;

	LOG_BODY(LOG_WARNING, err);
}

void log_detailx(const char *fmt, ...)
{
	if (!log_detail)
		return;
	LOG_BODY(LOG_INFO, 0);
}

void fatal(int code, const char *fmt, ...)
{
	int err = errno;

	LOG_BODY(LOG_ERR, err);
	exit(code);
}

void fatalx(int code, const char *fmt, ...)
{
	LOG_BODY(LOG_ERR, 0);
	exit(code);
}
