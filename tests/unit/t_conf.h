/* SPDX-License-Identifier: MIT */
/* Config tests: load a config from a string and look at what the reader
 * said about it (diagnostics are captured as "FILE:LINE: [warning: ]MSG"). */
#ifndef TINYVRRP_T_CONF_H
#define TINYVRRP_T_CONF_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "conf.h"

static char said_buf[32768];
static size_t said_len;

static void capture(int level, const struct conf_pos *pos, const char *msg)
{
	int n = snprintf(said_buf + said_len, sizeof(said_buf) - said_len, "%s:%d: %s%s\n",
			 pos->file, pos->line, level <= 3 ? "" : "warning: ", msg);

	if (n > 0)
		said_len += (size_t)n < sizeof(said_buf) - said_len ? (size_t)n : sizeof(said_buf) - said_len - 1;
}

/* TEXT as file "t.conf", with config id ID for @ID lines. */
static struct config *tconf_id(const char *text, const char *id)
{
	struct conf_opts o = { .config_id = id, .diag = capture };

	said_len = 0;
	said_buf[0] = '\0';
	return conf_load_string("t.conf", text, &o);
}

static inline struct config *tconf(const char *text)
{
	return tconf_id(text, "node1");
}

/* Did a diagnostic contain S? Says what was said when not. */
static inline bool said(const char *s)
{
	bool ok = strstr(said_buf, s) != NULL;

	if (!ok)
		fprintf(stderr, "expected diagnostic \"%s\"; got:\n%s", s, said_buf);
	return ok;
}

#endif
