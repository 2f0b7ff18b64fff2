/* SPDX-License-Identifier: MIT */
/* The keepalived 2.2.7 captures in tests/data/captures as test vectors: a
 * classic pcap reader and what tshark -V shows for each advert. Read from the
 * repository root, or from $TINYVRRP_TESTDATA/captures when that is set to
 * the tests/data directory. */
#ifndef TINYVRRP_PKT_VECTORS_H
#define TINYVRRP_PKT_VECTORS_H

#include "vrrp_pkt.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FRAMES 8
#define MAX_FRAME 128
#define MAX_FILE 4096

struct capture {
	size_t n;
	size_t len[MAX_FRAMES];
	uint8_t f[MAX_FRAMES][MAX_FRAME];
};

static inline uint32_t get32(const uint8_t *p, bool be)
{
	if (be)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static inline uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Classic pcap (not pcapng), either byte order, micro- or nanosecond magic,
 * Ethernet link type. Returns 0, or -1 on anything unexpected. */
static inline int pcap_parse(const uint8_t *b, size_t size, struct capture *c)
{
	static const uint8_t magic_us[4] = { 0xa1, 0xb2, 0xc3, 0xd4 };
	static const uint8_t magic_ns[4] = { 0xa1, 0xb2, 0x3c, 0x4d };
	size_t off = 24;
	bool be;

	memset(c, 0, sizeof(*c));
	if (size < 24)
		return -1;
	if (!memcmp(b, magic_us, 4) || !memcmp(b, magic_ns, 4))
		be = true;
	else if (get32(b, false) == 0xa1b2c3d4 || get32(b, false) == 0xa1b23c4d)
		be = false;
	else
		return -1;
	if (get32(b + 20, be) != 1)
		return -1;
	while (off < size) {
		size_t incl;

		if (c->n == MAX_FRAMES || size - off < 16)
			return -1;
		incl = get32(b + off + 8, be);
		if (incl > MAX_FRAME || incl > size - off - 16)
			return -1;
		memcpy(c->f[c->n], b + off + 16, incl);
		c->len[c->n++] = incl;
		off += 16 + incl;
	}
	return 0;
}

static inline size_t read_file(const char *name, uint8_t *buf, size_t cap)
{
	const char *dir = getenv("TINYVRRP_TESTDATA");
	char path[512];
	size_t n;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/captures/%s.pcap", dir ? dir : "tests/data", name);
	fp = fopen(path, "rb");
	if (!fp) {
		fprintf(stderr, "%s: cannot open\n", path);
		return 0;
	}
	n = fread(buf, 1, cap, fp);
	fclose(fp);
	return n < cap ? n : 0;
}

static inline int load(const char *name, struct capture *c)
{
	static uint8_t buf[MAX_FILE];
	size_t n = read_file(name, buf, sizeof(buf));

	memset(c, 0, sizeof(*c));
	return n ? pcap_parse(buf, n, c) : -1;
}

static inline struct vaddr A(const char *s)
{
	struct vaddr a;

	if (addr_parse(s, &a) < 0) {
		fprintf(stderr, "bad address %s\n", s);
		exit(2);
	}
	return a;
}

/* What tshark -V shows for the first frame of each advert capture. */
struct advert_case {
	const char *file;
	size_t frames;
	uint8_t fam, version, prio, auth_type;
	uint16_t intv_cs, csum, first_id;
	const char *src, *dst, *vip, *auth;
};

static const struct advert_case cases[] = {
	{ "vrrpv2-ipv4-multicast", 4, FAM_V4, 2, 100, 1, 100, 0x7639, 1,
	  "198.18.1.1", "224.0.0.18", "198.18.1.100", "s3cret" },
	{ "vrrpv2-ipv4-prio0", 1, FAM_V4, 2, 0, 1, 100, 0xda39, 9,
	  "198.18.1.1", "224.0.0.18", "198.18.1.100", "s3cret" },
	{ "vrrpv2-ipv4-unicast", 4, FAM_V4, 2, 100, 1, 100, 0x7639, 1,
	  "198.18.1.1", "198.18.1.2", "198.18.1.100", "s3cret" },
	{ "vrrpv3-ipv4-multicast", 4, FAM_V4, 3, 100, 0, 10, 0xfba7, 1,
	  "198.18.1.1", "224.0.0.18", "198.18.1.100", NULL },
	{ "vrrpv3-ipv6-multicast", 4, FAM_V6, 3, 100, 0, 100, 0x3d8e, 0,
	  "fe80::ff:fe00:101", "ff02::12", "2001:db8:1::100", NULL },
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* The first advert of a capture, as the daemon's receive path sees it. */
struct sample {
	uint8_t msg[64], ip4[64];
	size_t len, ip4_len;
	struct vaddr src, dst;
};

/* The adverts as a configuration would describe them, encoded from scratch. */
static inline void adv_from_case(const struct advert_case *c, struct vrrp_adv *a, struct vaddr *vip)
{
	memset(a, 0, sizeof(*a));
	*vip = A(c->vip);
	a->version = c->version;
	a->type = 1;
	a->vrid = 51;
	a->prio = c->prio;
	a->naddr = 1;
	a->auth_type = c->auth_type;
	a->intv_cs = c->intv_cs;
	a->fam = c->fam;
	a->addrs = vip->b;
	if (c->auth)
		memcpy(a->auth, c->auth, strlen(c->auth));
}

/* IPv6 adverts reach the daemon without their IPv6 header; peel it here. */
static inline bool ip6_peel(const uint8_t *f, size_t flen, struct vrrp_ip *ip)
{
	size_t plen;

	if (flen < ETH_HDR_LEN + 40 || f[14] >> 4 != 6)
		return false;
	plen = get16(f + 18);
	if (plen > flen - ETH_HDR_LEN - 40)
		return false;
	ip->proto = f[20];
	ip->ttl = f[21];
	addr_set(&ip->src, FAM_V6, f + 22);
	addr_set(&ip->dst, FAM_V6, f + 38);
	ip->payload = f + 54;
	ip->len = plen;
	return true;
}

/* The first advert of case ci; returns 0, or -1 if it cannot be read. */
static inline int sample_load(size_t ci, struct sample *s)
{
	static struct capture cap;
	struct vrrp_ip ip;
	const uint8_t *f = cap.f[0];

	memset(s, 0, sizeof(*s));
	if (load(cases[ci].file, &cap) < 0 || cap.n == 0 || cap.len[0] < ETH_HDR_LEN)
		return -1;
	if (cases[ci].fam == FAM_V4) {
		if (vrrp_ip4_decode(f + ETH_HDR_LEN, cap.len[0] - ETH_HDR_LEN, &ip) != DROP_NONE ||
		    IP4_HDR_LEN + ip.len > sizeof(s->ip4))
			return -1;
		s->ip4_len = IP4_HDR_LEN + ip.len;
		memcpy(s->ip4, f + ETH_HDR_LEN, s->ip4_len);
	} else if (!ip6_peel(f, cap.len[0], &ip)) {
		return -1;
	}
	if (ip.len > sizeof(s->msg))
		return -1;
	memcpy(s->msg, ip.payload, ip.len);
	s->len = ip.len;
	s->src = ip.src;
	s->dst = ip.dst;
	return 0;
}

/* Decode len bytes from a heap copy of exactly that size, so that a read
 * past the end is caught by AddressSanitizer or valgrind. */
static inline enum vrrp_drop decode_exact(const uint8_t *p, size_t len, const struct sample *s,
					  uint8_t fam, struct vrrp_adv *out)
{
	uint8_t *b = malloc(len ? len : 1);
	enum vrrp_drop d;

	if (!b)
		exit(2);
	memcpy(b, p, len);
	d = vrrp_decode(b, len, fam, &s->src, &s->dst, out);
	free(b);
	return d;
}

#endif
