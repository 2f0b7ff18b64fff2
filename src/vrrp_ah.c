/* SPDX-License-Identifier: MIT */
/* keepalived-compatible IPsec AH (HMAC-MD5-96) for VRRPv2 adverts; see
 * vrrp_ah.h for the layout. Only mbedtls's generic md API is used, which
 * mbedtls 2.28 and 3.x share. */
#include "vrrp_ah.h"

#include <string.h>

#include <mbedtls/md.h>

#define MD5_LEN 16
#define IP4_MAX_HDR 60			/* 15 words */

/* Offsets in the IPv4 header (RFC 791 3.1) and in AH (RFC 2402 2). */
#define IP_TOS 1
#define IP_FRAG 6
#define IP_TTL 8
#define IP_CSUM 10
#define IP_SRC 12
#define AH_NEXT 0
#define AH_PLEN 1
#define AH_SPI 4
#define AH_SEQ 8
#define AH_ICV 12
/* RFC 2402 2.2: AH length in 32-bit words minus 2. */
#define AH_PLEN_VALUE (AH_LEN / 4 - 2)

/* Set up once, so that no packet allocates: mbedtls_md_setup() allocates,
 * and mbedtls_md_hmac() would do so on every call. */
static mbedtls_md_context_t md;
static bool md_ready;

int ah_open(void)
{
	const mbedtls_md_info_t *info;

	if (md_ready)
		return 0;
	info = mbedtls_md_info_from_type(MBEDTLS_MD_MD5);
	if (!info)
		return -1;
	mbedtls_md_init(&md);
	if (mbedtls_md_setup(&md, info, 1) != 0) {
		mbedtls_md_free(&md);
		return -1;
	}
	md_ready = true;
	return 0;
}

void ah_close(void)
{
	if (!md_ready)
		return;
	mbedtls_md_free(&md);
	md_ready = false;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* The ICV of the datagram pkt (len bytes, IPv4 header of hl bytes, then
 * AH): the header and AH are copied so that their mutable fields can be
 * zeroed (RFC 2402 3.3.3.1) without touching pkt. TTL is mutable on the
 * way to a unicast peer (it may be routed); keepalived keeps it in the ICV
 * for multicast, where it must be 255 anyway. Header options are covered
 * as they are, as keepalived does. */
static int icv(const uint8_t *pkt, size_t hl, size_t len, const uint8_t key[AH_KEY_LEN],
	       bool unicast, uint8_t out[MD5_LEN])
{
	uint8_t head[IP4_MAX_HDR + AH_LEN];

	if (!md_ready || hl < IP4_HDR_LEN || hl > IP4_MAX_HDR || len < hl + AH_LEN)
		return -1;
	memcpy(head, pkt, hl + AH_LEN);
	head[IP_TOS] = 0;
	memset(head + IP_FRAG, 0, 2);
	memset(head + IP_CSUM, 0, 2);
	if (unicast)
		head[IP_TTL] = 0;
	memset(head + hl + AH_ICV, 0, AH_ICV_LEN);
	if (mbedtls_md_hmac_starts(&md, key, AH_KEY_LEN) != 0 ||
	    mbedtls_md_hmac_update(&md, head, hl + AH_LEN) != 0 ||
	    mbedtls_md_hmac_update(&md, pkt + hl + AH_LEN, len - hl - AH_LEN) != 0 ||
	    mbedtls_md_hmac_finish(&md, out) != 0)
		return -1;
	return 0;
}

int ah_encode(uint8_t *pkt, size_t len, uint32_t seq, const uint8_t key[AH_KEY_LEN], bool unicast)
{
	uint8_t *ah = pkt + IP4_HDR_LEN;
	uint8_t digest[MD5_LEN];

	if (len < IP4_HDR_LEN + AH_LEN)
		return -1;
	ah[AH_NEXT] = VRRP_PROTO;
	ah[AH_PLEN] = AH_PLEN_VALUE;
	ah[2] = ah[3] = 0;
	/* keepalived: the sender picks the SPI (no SA negotiation on a
	 * multicast group) as its own address, unique on the link. */
	memcpy(ah + AH_SPI, pkt + IP_SRC, 4);
	put32(ah + AH_SEQ, seq);
	memset(ah + AH_ICV, 0, AH_ICV_LEN);
	if (icv(pkt, IP4_HDR_LEN, len, key, unicast, digest) < 0)
		return -1;
	/* RFC 2404 2: HMAC-MD5-96, the first 96 bits. */
	memcpy(ah + AH_ICV, digest, AH_ICV_LEN);
	return 0;
}

enum vrrp_drop ah_verify(const uint8_t *pkt, size_t len, const uint8_t key[AH_KEY_LEN],
			 bool unicast, uint32_t *seq)
{
	uint8_t digest[MD5_LEN];
	unsigned diff = 0;
	size_t hl;
	const uint8_t *ah;

	*seq = 0;
	if (len < IP4_HDR_LEN)
		return DROP_LENGTH;
	hl = (size_t)(pkt[0] & 0x0f) * 4;
	if (hl < IP4_HDR_LEN || len < hl + AH_LEN)
		return DROP_LENGTH;
	ah = pkt + hl;
	if (ah[AH_NEXT] != VRRP_PROTO || ah[AH_PLEN] != AH_PLEN_VALUE)
		return DROP_PROTO;
	if (icv(pkt, hl, len, key, unicast, digest) < 0)
		return DROP_AUTH;
	/* Constant time: timing must not tell how much of a forged ICV was right. */
	for (int i = 0; i < AH_ICV_LEN; i++)
		diff |= (unsigned)(ah[AH_ICV + i] ^ digest[i]);
	if (diff)
		return DROP_AUTH;
	/* keepalived checks the SPI after the ICV, as the source address the
	 * SPI stands for. */
	if (memcmp(ah + AH_SPI, pkt + IP_SRC, 4) != 0)
		return DROP_AUTH;
	*seq = get32(ah + AH_SEQ);
	return DROP_NONE;
}
