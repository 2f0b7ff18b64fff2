/* SPDX-License-Identifier: MIT */
/* Address text conversion: the one place that uses libc's inet_pton/ntop. */
#include "addr.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

int addr_parse(const char *s, struct vaddr *a)
{
	memset(a, 0, sizeof(*a));
	if (strchr(s, ':')) {
		if (inet_pton(AF_INET6, s, a->b) != 1)
			return -1;
		a->fam = FAM_V6;
		return 0;
	}
	/* inet_pton(AF_INET) takes only dotted quads: no "1.2.3" or octal forms. */
	if (inet_pton(AF_INET, s, a->b) != 1)
		return -1;
	a->fam = FAM_V4;
	return 0;
}

int addr_parse_prefix(const char *s, struct vaddr *a, uint8_t *plen, bool *has_plen)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (addr_parse(buf, a) < 0)
		return -1;
	*has_plen = slash != NULL;
	*plen = (uint8_t)(addr_len(a->fam) * 8);
	if (slash) {
		const char *p = slash + 1;
		unsigned long v;
		char *end;

		if (*p < '0' || *p > '9')
			return -1;
		v = strtoul(p, &end, 10);
		if (*end != '\0' || v > addr_len(a->fam) * 8)
			return -1;
		*plen = (uint8_t)v;
	}
	return 0;
}

const char *addr_str(const struct vaddr *a, char *buf)
{
	if (a->fam == FAM_V4)
		inet_ntop(AF_INET, a->b, buf, ADDR_STRLEN);
	else if (a->fam == FAM_V6)
		inet_ntop(AF_INET6, a->b, buf, ADDR_STRLEN);
	else
		strcpy(buf, "none");
	return buf;
}

int addr_cmp(const struct vaddr *a, const struct vaddr *b)
{
	if (a->fam != b->fam)
		return a->fam < b->fam ? -1 : 1;
	return memcmp(a->b, b->b, addr_len(a->fam));
}

bool addr_eq(const struct vaddr *a, const struct vaddr *b)
{
	return addr_cmp(a, b) == 0;
}

bool addr_is_v6_linklocal(const struct vaddr *a)
{
	return a->fam == FAM_V6 && a->b[0] == 0xfe && (a->b[1] & 0xc0) == 0x80;
}

bool addr_is_multicast(const struct vaddr *a)
{
	if (a->fam == FAM_V4)
		return (a->b[0] & 0xf0) == 0xe0;
	return a->fam == FAM_V6 && a->b[0] == 0xff;
}

void addr_set(struct vaddr *a, uint8_t fam, const void *bytes)
{
	memset(a, 0, sizeof(*a));
	a->fam = fam;
	memcpy(a->b, bytes, addr_len(fam));
}
