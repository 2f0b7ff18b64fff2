/* SPDX-License-Identifier: MIT */
/* Minimal unit-test helpers: CHECK records a failure and goes on; each test
 * binary ends with "N passed, N failed" and exits non-zero on any failure. */
#ifndef TINYVRRP_T_H
#define TINYVRRP_T_H

#include <stdio.h>
#include <string.h>

static int t_pass, t_fail;

#define CHECK(cond) do { \
	if (cond) t_pass++; \
	else { t_fail++; fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)

#define CHECK_EQ(a, b) do { \
	long long t_a_ = (long long)(a), t_b_ = (long long)(b); \
	if (t_a_ == t_b_) t_pass++; \
	else { t_fail++; fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n", \
		__FILE__, __LINE__, #a, #b, t_a_, t_b_); } \
} while (0)

#define CHECK_MEM(a, b, n) do { \
	if (memcmp((a), (b), (n)) == 0) t_pass++; \
	else { t_fail++; fprintf(stderr, "%s:%d: %s and %s differ\n", __FILE__, __LINE__, #a, #b); } \
} while (0)

#define CHECK_STR(a, b) do { \
	const char *t_a_ = (a), *t_b_ = (b); \
	if (t_a_ && t_b_ && strcmp(t_a_, t_b_) == 0) t_pass++; \
	else { t_fail++; fprintf(stderr, "%s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__, \
		t_a_ ? t_a_ : "(null)", t_b_ ? t_b_ : "(null)"); } \
} while (0)

static inline int t_done(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, t_pass, t_fail);
	return t_fail ? 1 : 0;
}

#endif
