/* SPDX-License-Identifier: MIT */
/* Logging: log_warn adds strerror(errno), log_warnx does not; fatal* exit. */
#ifndef TINYVRRP_LOG_H
#define TINYVRRP_LOG_H

#include <stdbool.h>

#define PRINTF(a, b) __attribute__((format(printf, a, b)))

enum log_target { LOG_TO_STDERR, LOG_TO_SYSLOG };

/* keepalived's exit codes (enum exit_code in keepalived/include/main.h,
 * as keepalived 2.2.7 exits), so supervisors and scripts that know
 * keepalived read ours the same way. */
enum {
	EXIT_OK = 0,
	EXIT_NO_MEMORY = 1,
	EXIT_PROGRAM_ERROR = 2,
	EXIT_FATAL = 3,
	EXIT_CONFIG = 4,
	EXIT_CONFIG_TEST = 5,
	EXIT_CONFIG_TEST_SECURITY = 6,
	EXIT_NO_CONFIG = 7,
};

void log_open(const char *ident, enum log_target to, int facility, bool detail);
/* -D: extra lines keepalived prints only with --log-detail. */
extern bool log_detail;

void log_info(const char *fmt, ...) PRINTF(1, 2);
void log_notice(const char *fmt, ...) PRINTF(1, 2);
void log_warn(const char *fmt, ...) PRINTF(1, 2);
void log_warnx(const char *fmt, ...) PRINTF(1, 2);
void log_detailx(const char *fmt, ...) PRINTF(1, 2);
void fatal(int code, const char *fmt, ...) PRINTF(2, 3) __attribute__((noreturn));
void fatalx(int code, const char *fmt, ...) PRINTF(2, 3) __attribute__((noreturn));

#ifndef LOG_DEBUG_ON
#define LOG_DEBUG_ON 0
#endif
/* Compiled out unless LOG_DEBUG_ON, but always format-checked. */
#define log_debug(...) do { if (LOG_DEBUG_ON) log_detailx(__VA_ARGS__); } while (0)

#endif
