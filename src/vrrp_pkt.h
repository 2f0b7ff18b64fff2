/* SPDX-License-Identifier: MIT */
/* VRRP codec: encode, decode and validate adverts (v2 RFC 3768, v3 RFC 5798 /
 * RFC 9568), plus the IPv4 header we send with IP_HDRINCL and the Ethernet
 * frames of gratuitous ARP and unsolicited NA. Pure: bytes in, bytes out. */
#ifndef TINYVRRP_VRRP_PKT_H
#define TINYVRRP_VRRP_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

#define VRRP_PROTO 112
#define VRRP_TTL 255
#define VRRP_AUTH_LEN 8
#define VRRP_HDR_LEN 8
/* Largest VRRP message: v3 IPv6, 255 addresses. */
#define VRRP_MAX_LEN (VRRP_HDR_LEN + 255 * 16)
#define IP4_HDR_LEN 20
#define ETH_HDR_LEN 14
#define GARP_FRAME_LEN 42		/* Ethernet + ARP, unpadded as keepalived sends it */
#define UNA_FRAME_LEN 86		/* Ethernet + IPv6 + NA + target LL option */

/* Why a packet was dropped. Every reason has a counter. */
enum vrrp_drop {
	DROP_NONE = 0,
	DROP_LENGTH,		/* truncated, count vs length, IP length */
	DROP_TTL,		/* TTL / hop limit not 255 */
	DROP_VERSION,
	DROP_TYPE,
	DROP_CHECKSUM,
	DROP_VRID,		/* no instance for this VRID on this interface */
	DROP_AUTH_TYPE,		/* v2 auth type differs from ours */
	DROP_AUTH,		/* v2 password mismatch */
	DROP_INTERVAL,		/* v2 advert interval differs from ours */
	DROP_ADDRS,		/* address list mismatch (when dropping is chosen) */
	DROP_SOURCE,		/* our own packet, or not an allowed source */
	DROP_PROTO,		/* IP header: not proto 112, fragments, options too long */
	DROP__COUNT
};

const char *vrrp_drop_name(enum vrrp_drop d);

struct vrrp_adv {
	uint8_t version;	/* 2 or 3 */
	uint8_t type;		/* 1 = advertisement */
	uint8_t vrid;
	uint8_t prio;
	uint8_t naddr;
	uint8_t auth_type;	/* v2 only */
	uint16_t intv_cs;	/* v2: Adver Int * 100; v3: Max Adver Int (12 bits) */
	uint8_t fam;		/* FAM_V4 / FAM_V6: family of the addresses */
	const uint8_t *addrs;	/* naddr * addr_len(fam) bytes */
	uint8_t auth[VRRP_AUTH_LEN]; /* v2/IPv4 authentication data */
	bool csum_pseudo;	/* decode, v3/IPv4: the checksum that matched had the pseudo-header */
};

/* What the IP layer carried. */
struct vrrp_ip {
	struct vaddr src, dst;
	uint8_t ttl;		/* TTL or hop limit */
	uint8_t proto;
	const uint8_t *payload;
	size_t len;		/* payload length, padding removed */
};

/* An IPv4 datagram as read from a raw socket (header included): header length,
 * version, total length (Ethernet padding after it is tolerated), fragments.
 * Fills ip; the payload points into pkt. */
enum vrrp_drop vrrp_ip4_decode(const uint8_t *pkt, size_t len, struct vrrp_ip *ip);

/* A VRRP message of family fam between src and dst (for the checksum):
 * version 2 or 3, type 1, length against count (trailing bytes beyond the
 * message are tolerated as padding), checksum (v3/IPv4: with or without the
 * pseudo-header, reported in csum_pseudo). out->addrs points into p. */
enum vrrp_drop vrrp_decode(const uint8_t *p, size_t len, uint8_t fam,
			   const struct vaddr *src, const struct vaddr *dst,
			   struct vrrp_adv *out);

/* Encode adv into buf; returns the length, 0 if cap is too small.
 * pseudo: v3/IPv4 checksum over the pseudo-header (keepalived's default);
 * v3/IPv6 always uses it, v2 never. */
size_t vrrp_encode(uint8_t *buf, size_t cap, const struct vrrp_adv *adv,
		   const struct vaddr *src, const struct vaddr *dst, bool pseudo);

/* 20-byte IPv4 header as keepalived builds it: TOS 0xc0, no DF, the given
 * TTL and id, header checksum filled in. Returns IP4_HDR_LEN. */
size_t ip4_encode_hdr(uint8_t *buf, const struct vaddr *src, const struct vaddr *dst,
		      uint8_t ttl, uint16_t id, uint8_t proto, size_t payload_len);

/* RFC 1071 sum helpers: csum_add accumulates, csum_fold finishes. */
uint32_t csum_add(uint32_t sum, const void *data, size_t len);
uint16_t csum_fold(uint32_t sum);
uint32_t csum_pseudo(const struct vaddr *src, const struct vaddr *dst, uint8_t proto, uint32_t len);

/* Gratuitous ARP request: broadcast, sender = target = vip, sender MAC mac,
 * target MAC ff:ff:ff:ff:ff:ff. Returns GARP_FRAME_LEN. */
size_t garp_encode(uint8_t *frame, const uint8_t mac[6], const struct vaddr *vip);
/* Unsolicited NA from vip to ff02::1 (33:33:00:00:00:01), hop limit 255,
 * Override set, Solicited clear, Router as given, target LL option = mac.
 * Returns UNA_FRAME_LEN. */
size_t una_encode(uint8_t *frame, const uint8_t mac[6], const struct vaddr *vip, bool router);

#endif
