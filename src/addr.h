/* SPDX-License-Identifier: MIT */
/* IP addresses as plain bytes, so pure modules need no socket headers. */
#ifndef TINYVRRP_ADDR_H
#define TINYVRRP_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { FAM_NONE = 0, FAM_V4 = 4, FAM_V6 = 6 };

/* Longest text form: IPv6 with embedded IPv4, plus NUL. */
#define ADDR_STRLEN 46

struct vaddr {
	uint8_t fam;		/* FAM_V4, FAM_V6 or FAM_NONE */
	uint8_t b[16];		/* network order; IPv4 uses b[0..3] */
};

static inline size_t addr_len(uint8_t fam) { return fam == FAM_V6 ? 16 : fam == FAM_V4 ? 4 : 0; }

/* Parse text (no prefix length) into *a. Returns 0, or -1 if not an address. */
int addr_parse(const char *s, struct vaddr *a);
/* Parse "ADDR[/LEN]"; *plen gets LEN, or the full length when absent.
 * Returns 0, or -1 on a bad address or prefix length. */
int addr_parse_prefix(const char *s, struct vaddr *a, uint8_t *plen, bool *has_plen);
/* Text form into buf (ADDR_STRLEN bytes); returns buf. */
const char *addr_str(const struct vaddr *a, char *buf);
/* memcmp-style order: family first, then bytes as unsigned big-endian. */
int addr_cmp(const struct vaddr *a, const struct vaddr *b);
bool addr_eq(const struct vaddr *a, const struct vaddr *b);
bool addr_is_v6_linklocal(const struct vaddr *a);
bool addr_is_multicast(const struct vaddr *a);
void addr_set(struct vaddr *a, uint8_t fam, const void *bytes);

#endif
