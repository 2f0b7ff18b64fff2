/* SPDX-License-Identifier: MIT */
/* VRRP codec: adverts (v2 RFC 3768, v3 RFC 5798 / RFC 9568), the IPv4 header
 * we send with IP_HDRINCL, gratuitous ARP and unsolicited NA frames.
 *
 * Every multi-byte field is read and written one byte at a time in network
 * order, so the code gives the same bytes on big- and little-endian hosts and
 * never makes an unaligned access. Nothing here reads past the length given. */
#include "vrrp_pkt.h"

#include <string.h>

#define VRRP_TYPE_ADVERT 1
#define IP4_FRAG_MASK 0x3fff		/* MF flag and fragment offset */
#define ETHERTYPE_IP4 0x0800
#define ETHERTYPE_ARP 0x0806
#define ETHERTYPE_IP6 0x86dd
#define IP6_HDR_LEN 40
#define ICMP6_PROTO 58
#define NA_LEN 32			/* NA header + target + one 8-byte option */

static const char *const drop_names[DROP__COUNT] = {
	[DROP_NONE] = "none",
	[DROP_LENGTH] = "length",
	[DROP_TTL] = "ttl",
	[DROP_VERSION] = "version",
	[DROP_TYPE] = "type",
	[DROP_CHECKSUM] = "checksum",
	[DROP_VRID] = "vrid",
	[DROP_AUTH_TYPE] = "auth_type",
	[DROP_AUTH] = "auth",
	[DROP_INTERVAL] = "interval",
	[DROP_ADDRS] = "addr_list",
	[DROP_SOURCE] = "source",
	[DROP_PROTO] = "proto",
};

const char *vrrp_drop_name(enum vrrp_drop d)
{
	if ((unsigned)d >= DROP__COUNT)
		return "unknown";
	return drop_names[d];
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* RFC 1071: the sum is over 16-bit big-endian words taken from the bytes, so
 * the result does not depend on the host byte order; csum_fold's result is
 * stored with put16. An odd trailing byte is padded with a zero (RFC 1071
 * 4.1); only the last piece of a multi-part sum may have an odd length. The
 * partial sum is folded often enough that 32 bits never overflow. */
uint32_t csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;

	sum = (sum & 0xffff) + (sum >> 16);
	while (len >= 2) {
		/* 0x8000 words of at most 0xffff stay below 2^31. */
		size_t n = len / 2 > 0x8000 ? 0x8000 : len / 2;

		len -= 2 * n;
		while (n--) {
			sum += get16(p);
			p += 2;
		}
		sum = (sum & 0xffff) + (sum >> 16);
	}
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The pseudo-header of RFC 8200 8.1 (IPv6) or RFC 768/793 (IPv4). Both sum
 * to the same words: the addresses, the length (32 bits for IPv6, 16 for
 * IPv4, where a larger value cannot occur) and the protocol number. */
uint32_t csum_pseudo(const struct vaddr *src, const struct vaddr *dst, uint8_t proto, uint32_t len)
{
	uint32_t sum = csum_add(0, src->b, addr_len(src->fam));

	sum = csum_add(sum, dst->b, addr_len(dst->fam));
	return sum + (len >> 16) + (len & 0xffff) + proto;
}

/* The kernel has already verified the IPv4 header checksum before a raw
 * socket sees the datagram (ip_rcv), so it is not checked again here. */
enum vrrp_drop vrrp_ip4_decode(const uint8_t *pkt, size_t len, struct vrrp_ip *ip)
{
	size_t hl, tot;

	memset(ip, 0, sizeof(*ip));
	if (len < IP4_HDR_LEN)
		return DROP_LENGTH;
	if (pkt[0] >> 4 != 4)
		return DROP_PROTO;
	hl = (size_t)(pkt[0] & 0x0f) * 4;
	if (hl < IP4_HDR_LEN)
		return DROP_PROTO;
	if (hl > len)
		return DROP_LENGTH;
	/* Bytes past the total length are Ethernet padding of short frames
	 * (keepalived 2.3.2 tolerates them too); fewer bytes is truncation. */
	tot = get16(pkt + 2);
	if (tot > len || tot < hl)
		return DROP_LENGTH;
	/* An advert always fits one frame: a fragment is a forgery or
	 * something else, and reassembly is not ours to do. */
	if (get16(pkt + 6) & IP4_FRAG_MASK)
		return DROP_PROTO;
	ip->ttl = pkt[8];
	ip->proto = pkt[9];
	addr_set(&ip->src, FAM_V4, pkt + 12);
	addr_set(&ip->dst, FAM_V4, pkt + 16);
	ip->payload = pkt + hl;
	ip->len = tot - hl;
	return DROP_NONE;
}

/* Message length for version ver, family fam, n addresses: RFC 3768 5.1
 * (v2: 8 header + addresses + 8 auth data) or RFC 5798 5.1 (v3). keepalived's
 * non-standard v2 over IPv6 has no auth data. */
static size_t msg_len(uint8_t ver, uint8_t fam, unsigned n)
{
	size_t l = VRRP_HDR_LEN + n * addr_len(fam);

	if (ver == 2 && fam == FAM_V4)
		l += VRRP_AUTH_LEN;
	return l;
}

/* Over IPv6 the checksum always includes the pseudo-header: keepalived lets
 * the kernel compute it (IPV6_CHECKSUM, RFC 3542 3.1), for its non-standard
 * v2 over IPv6 as well as for v3 (RFC 5798 5.2.8). */
static bool always_pseudo(uint8_t fam)
{
	return fam == FAM_V6;
}

enum vrrp_drop vrrp_decode(const uint8_t *p, size_t len, uint8_t fam,
			   const struct vaddr *src, const struct vaddr *dst,
			   struct vrrp_adv *out)
{
	uint8_t ver;
	size_t need;
	uint32_t sum;
	bool pseudo = false;

	memset(out, 0, sizeof(*out));
	if (fam != FAM_V4 && fam != FAM_V6)
		return DROP_PROTO;
	if (len < VRRP_HDR_LEN)
		return DROP_LENGTH;
	ver = p[0] >> 4;
	if (ver != 2 && ver != 3)
		return DROP_VERSION;
	if ((p[0] & 0x0f) != VRRP_TYPE_ADVERT)
		return DROP_TYPE;
	need = msg_len(ver, fam, p[3]);
	if (len < need)
		return DROP_LENGTH;

	/* The sum covers the message only: trailing bytes are padding. */
	sum = csum_add(0, p, need);
	if (always_pseudo(fam)) {
		/* RFC 5798 5.2.8: IPv6 pseudo-header of RFC 8200 8.1. */
		if (!src || !dst || csum_fold(sum + csum_pseudo(src, dst, VRRP_PROTO, (uint32_t)need)))
			return DROP_CHECKSUM;
		pseudo = true;
	} else if (ver == 2) {
		/* RFC 3768 5.3.8: the VRRP message alone. */
		if (csum_fold(sum))
			return DROP_CHECKSUM;
	} else {
		/* v3/IPv4: keepalived and FRR add an IPv4 pseudo-header
		 * (RFC 5798 5.2.8 as Linux reads it); RFC 9568 5.2.8, Cisco,
		 * Juniper and Arista do not. Accept either, say which. */
		if (src && dst && !csum_fold(sum + csum_pseudo(src, dst, VRRP_PROTO, (uint32_t)need)))
			pseudo = true;
		else if (csum_fold(sum))
			return DROP_CHECKSUM;
	}

	out->version = ver;
	out->type = VRRP_TYPE_ADVERT;
	out->vrid = p[1];
	out->prio = p[2];
	out->naddr = p[3];
	out->fam = fam;
	out->addrs = p + VRRP_HDR_LEN;
	out->csum_pseudo = pseudo;
	if (ver == 2) {
		out->auth_type = p[4];
		out->intv_cs = (uint16_t)(p[5] * 100);
		if (fam == FAM_V4)
			memcpy(out->auth, p + need - VRRP_AUTH_LEN, VRRP_AUTH_LEN);
	} else {
		/* RFC 5798 5.2.6: 4 reserved bits, then 12 bits of centiseconds. */
		out->intv_cs = get16(p + 4) & 0x0fff;
	}
	return DROP_NONE;
}

/* The message is always written with type 1: an advertisement is the only
 * VRRP message there is (RFC 5798 5.2.2). Returns 0 for a version or family
 * that cannot be encoded, as for a buffer that is too small. */
size_t vrrp_encode(uint8_t *buf, size_t cap, const struct vrrp_adv *adv,
		   const struct vaddr *src, const struct vaddr *dst, bool pseudo)
{
	uint8_t ver = adv->version, fam = adv->fam;
	size_t need, alen = addr_len(fam) * adv->naddr;
	uint32_t sum;

	if ((ver != 2 && ver != 3) || (fam != FAM_V4 && fam != FAM_V6))
		return 0;
	need = msg_len(ver, fam, adv->naddr);
	if (cap < need)
		return 0;
	if (always_pseudo(fam))
		pseudo = true;
	else if (ver == 2)
		pseudo = false;
	if (pseudo && (!src || !dst))
		return 0;

	buf[0] = (uint8_t)(ver << 4 | VRRP_TYPE_ADVERT);
	buf[1] = adv->vrid;
	buf[2] = adv->prio;
	buf[3] = adv->naddr;
	if (ver == 2) {
		/* RFC 3768 5.3.7: whole seconds in 8 bits. */
		unsigned s = adv->intv_cs / 100;

		buf[4] = adv->auth_type;
		buf[5] = (uint8_t)(s > 255 ? 255 : s);
	} else {
		/* RFC 5798 5.2.6: reserved bits sent as zero. */
		put16(buf + 4, adv->intv_cs & 0x0fff);
	}
	put16(buf + 6, 0);
	if (alen)
		memcpy(buf + VRRP_HDR_LEN, adv->addrs, alen);
	if (ver == 2 && fam == FAM_V4)
		memcpy(buf + VRRP_HDR_LEN + alen, adv->auth, VRRP_AUTH_LEN);

	sum = csum_add(0, buf, need);
	if (pseudo)
		sum += csum_pseudo(src, dst, VRRP_PROTO, (uint32_t)need);
	put16(buf + 6, csum_fold(sum));
	return need;
}

/* The header keepalived builds by hand (see the captures): TOS 0xc0 (CS6,
 * network control, RFC 4594), no DF, no options. */
size_t ip4_encode_hdr(uint8_t *buf, const struct vaddr *src, const struct vaddr *dst,
		      uint8_t ttl, uint16_t id, uint8_t proto, size_t payload_len)
{
	buf[0] = 0x45;
	buf[1] = 0xc0;
	put16(buf + 2, (uint16_t)(IP4_HDR_LEN + payload_len));
	put16(buf + 4, id);
	put16(buf + 6, 0);
	buf[8] = ttl;
	buf[9] = proto;
	put16(buf + 10, 0);
	memcpy(buf + 12, src->b, 4);
	memcpy(buf + 16, dst->b, 4);
	put16(buf + 10, csum_fold(csum_add(0, buf, IP4_HDR_LEN)));
	return IP4_HDR_LEN;
}

static uint8_t *put_eth(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	put16(f + 12, type);
	return f + ETH_HDR_LEN;
}

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* RFC 5227 3 / RFC 5798 6.4.2: an ARP request announcing vip, the form
 * keepalived sends (vrrp_arp.c), 42 bytes; the NIC pads it to 60. */
size_t garp_encode(uint8_t *frame, const uint8_t mac[6], const struct vaddr *vip)
{
	uint8_t *a = put_eth(frame, bcast, mac, ETHERTYPE_ARP);

	put16(a, 1);			/* hardware: Ethernet */
	put16(a + 2, ETHERTYPE_IP4);	/* protocol: IPv4 */
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, 1);		/* request */
	memcpy(a + 8, mac, 6);
	memcpy(a + 14, vip->b, 4);
	memcpy(a + 18, bcast, 6);
	memcpy(a + 24, vip->b, 4);
	return GARP_FRAME_LEN;
}

/* RFC 4861 4.4 and 7.2.6: unsolicited NA to all-nodes, Override set,
 * Solicited clear, Router set when the box forwards; RFC 5798 6.4.2. */
size_t una_encode(uint8_t *frame, const uint8_t mac[6], const struct vaddr *vip, bool router)
{
	static const uint8_t all_nodes_mac[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	struct vaddr all_nodes = { .fam = FAM_V6, .b = { 0xff, 0x02, [15] = 1 } };
	uint8_t *ip = put_eth(frame, all_nodes_mac, mac, ETHERTYPE_IP6);
	uint8_t *na = ip + IP6_HDR_LEN;

	/* Version 6, traffic class 0, flow label 0, as keepalived sends it. */
	memset(ip, 0, 4);
	ip[0] = 0x60;
	put16(ip + 4, NA_LEN);
	ip[6] = ICMP6_PROTO;
	ip[7] = 255;			/* RFC 4861 7.1.2: hop limit 255 */
	memcpy(ip + 8, vip->b, 16);
	memcpy(ip + 24, all_nodes.b, 16);

	na[0] = 136;			/* Neighbor Advertisement */
	na[1] = 0;
	put16(na + 2, 0);
	na[4] = (uint8_t)((router ? 0x80 : 0) | 0x20);	/* R, S = 0, O */
	memset(na + 5, 0, 3);
	memcpy(na + 8, vip->b, 16);
	na[24] = 2;			/* Target Link-Layer Address */
	na[25] = 1;			/* 8 bytes */
	memcpy(na + 26, mac, 6);
	put16(na + 2, csum_fold(csum_add(csum_pseudo(vip, &all_nodes, ICMP6_PROTO, NA_LEN),
					 na, NA_LEN)));
	return UNA_FRAME_LEN;
}
