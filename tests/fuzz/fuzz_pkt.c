/* SPDX-License-Identifier: MIT */
/* libFuzzer harness for the receive path's codec (src/vrrp_pkt.h): whatever
 * bytes arrive, decoding neither crashes nor reads outside the packet, the
 * pointers it returns stay inside it, and what decodes re-encodes to the same
 * message. Each input is tried in every way the daemon can meet it:
 *
 *   A. as an IPv4 datagram from a raw socket: vrrp_ip4_decode, then
 *      vrrp_decode of its payload (v2 or v3, pseudo-header or not);
 *   B. as IPv6: bytes 0-15 source, 16-31 destination, the rest the message;
 *   C. as a bare IPv4 message: bytes 0-3 source, 4-7 destination, the rest
 *      the message; also once without addresses (no pseudo-header possible).
 *
 * A mutated advert almost never carries a valid checksum, which would keep
 * the fuzzer in front of the checksum test; so each message is also decoded
 * once more with its checksum recomputed (via the public csum_* helpers),
 * which lets it reach the field checks and the round trip.
 *
 * The AH verifier (src/vrrp_ah.h) is fed too when this build has it. */
#include "vrrp_pkt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__has_include)
#if __has_include("vrrp_ah.h")
#include "vrrp_ah.h"
#define FUZZ_AH 1
#endif
#endif
#ifndef FUZZ_AH
#define FUZZ_AH 0
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken promise of the codec: report it and abort, so libFuzzer keeps
 * the input as a crash. */
#define MUST(cond)                                                              \
	do {                                                                    \
		if (!(cond)) {                                                  \
			fprintf(stderr, "fuzz_pkt: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                \
		}                                                               \
	} while (0)

/* Room for the largest IPv4 datagram the daemon reads plus slack. */
#define BUF_CAP (65536 + 64)
static uint8_t work[BUF_CAP];
static uint8_t enc[VRRP_MAX_LEN + 64];

/* Message length the header announces: RFC 3768 5.1 / RFC 5798 5.1 (and
 * keepalived's v2 over IPv6, which has no auth data). 0 if not a v2/v3. */
static size_t announced_len(const uint8_t *p, size_t len, uint8_t fam)
{
	uint8_t ver;
	size_t l;

	if (len < VRRP_HDR_LEN)
		return 0;
	ver = p[0] >> 4;
	if (ver != 2 && ver != 3)
		return 0;
	l = VRRP_HDR_LEN + (size_t)p[3] * addr_len(fam);
	if (ver == 2 && fam == FAM_V4)
		l += VRRP_AUTH_LEN;
	return l;
}

/* Recompute the checksum of the message at p in place, as a sender would:
 * IPv6 always with the pseudo-header, v2/IPv4 never, v3/IPv4 as asked.
 * Returns false when the message is too short to hold one. */
static bool fix_checksum(uint8_t *p, size_t len, uint8_t fam, const struct vaddr *src,
			 const struct vaddr *dst, bool pseudo)
{
	size_t need = announced_len(p, len, fam);
	uint32_t sum;

	if (!need || need > len)
		return false;
	if (fam == FAM_V6)
		pseudo = true;
	else if (p[0] >> 4 == 2)
		pseudo = false;
	if (pseudo && (!src || !dst))
		return false;
	p[6] = p[7] = 0;
	sum = csum_add(0, p, need);
	if (pseudo)
		sum += csum_pseudo(src, dst, VRRP_PROTO, (uint32_t)need);
	sum = csum_fold(sum);
	p[6] = (uint8_t)(sum >> 8);
	p[7] = (uint8_t)sum;
	return true;
}

static bool same_checksum(uint16_t a, uint16_t b)
{
	/* One's complement has two zeros: a sender may write 0xffff where
	 * the fold gives 0x0000 (RFC 1071 2), and both verify. */
	return a == b || ((a == 0 || a == 0xffff) && (b == 0 || b == 0xffff));
}

static bool same_adv(const struct vrrp_adv *a, const struct vrrp_adv *b)
{
	size_t alen = (size_t)a->naddr * addr_len(a->fam);

	return a->version == b->version && a->type == b->type && a->vrid == b->vrid &&
	       a->prio == b->prio && a->naddr == b->naddr && a->auth_type == b->auth_type &&
	       a->intv_cs == b->intv_cs && a->fam == b->fam && a->csum_pseudo == b->csum_pseudo &&
	       !memcmp(a->auth, b->auth, VRRP_AUTH_LEN) && !memcmp(a->addrs, b->addrs, alen);
}

/* A decoded advert: its pointers stay inside the message, its fields are
 * what the header says, and re-encoding it gives the same bytes (but for
 * v3's reserved bits, sent as zero) that decode to the same advert. */
static void check_advert(const uint8_t *p, size_t len, uint8_t fam, const struct vaddr *src,
			 const struct vaddr *dst, const struct vrrp_adv *adv)
{
	size_t need = announced_len(p, len, fam), n, alen;
	struct vrrp_adv again;
	uint8_t want[VRRP_HDR_LEN];

	MUST(need && need <= len);
	MUST(adv->version == p[0] >> 4 && adv->type == 1 && adv->fam == fam);
	MUST(adv->vrid == p[1] && adv->prio == p[2] && adv->naddr == p[3]);
	alen = (size_t)adv->naddr * addr_len(fam);
	MUST(adv->addrs == p + VRRP_HDR_LEN);
	MUST(alen <= len - VRRP_HDR_LEN);
	if (adv->version == 3)
		MUST(adv->intv_cs <= 0x0fff);
	if (fam == FAM_V6)
		MUST(adv->csum_pseudo);
	else if (adv->version == 2)
		MUST(!adv->csum_pseudo);

	n = vrrp_encode(enc, sizeof(enc), adv, src, dst, adv->csum_pseudo);
	MUST(n == need);
	/* Too small a buffer is refused, not overrun. */
	MUST(vrrp_encode(enc, need - 1, adv, src, dst, adv->csum_pseudo) == 0);
	memcpy(want, p, VRRP_HDR_LEN);
	if (adv->version == 3)
		want[4] &= 0x0f;	/* RFC 5798 5.2.6: reserved, sent as zero */
	MUST(!memcmp(enc, want, 6));
	MUST(!memcmp(enc + VRRP_HDR_LEN, p + VRRP_HDR_LEN, need - VRRP_HDR_LEN));
	if (want[4] == p[4])
		MUST(same_checksum((uint16_t)(enc[6] << 8 | enc[7]), (uint16_t)(p[6] << 8 | p[7])));
	MUST(vrrp_decode(enc, n, fam, src, dst, &again) == DROP_NONE);
	MUST(same_adv(adv, &again));
}

/* One message of family fam: decode it as it is, then with a good checksum. */
static void try_msg(const uint8_t *p, size_t len, uint8_t fam, const struct vaddr *src,
		    const struct vaddr *dst, bool pseudo)
{
	struct vrrp_adv adv;
	enum vrrp_drop d;
	uint8_t *copy;

	d = vrrp_decode(p, len, fam, src, dst, &adv);
	MUST((unsigned)d < DROP__COUNT && vrrp_drop_name(d));
	if (d == DROP_NONE)
		check_advert(p, len, fam, src, dst, &adv);

	/* An exact-size heap copy, so ASan sees any read past the end. */
	copy = malloc(len ? len : 1);
	if (!copy)
		return;
	memcpy(copy, p, len);
	if (fix_checksum(copy, len, fam, src, dst, pseudo)) {
		d = vrrp_decode(copy, len, fam, src, dst, &adv);
		/* Version and length are right and the checksum is good: only
		 * the type can still be wrong. */
		MUST(d == ((copy[0] & 0x0f) == 1 ? DROP_NONE : DROP_TYPE));
		if (d == DROP_NONE)
			check_advert(copy, len, fam, src, dst, &adv);
	}
	free(copy);
}

/* A: the datagram as a raw IPv4 socket hands it over. */
static void try_ip4(const uint8_t *data, size_t size)
{
	struct vrrp_ip ip, again;
	uint8_t *pkt;
	enum vrrp_drop d;

	pkt = malloc(size ? size : 1);
	if (!pkt)
		return;
	memcpy(pkt, data, size);
	d = vrrp_ip4_decode(pkt, size, &ip);
	MUST((unsigned)d < DROP__COUNT);
	if (d == DROP_NONE) {
		MUST(ip.src.fam == FAM_V4 && ip.dst.fam == FAM_V4);
		MUST(ip.payload >= pkt + IP4_HDR_LEN && ip.payload <= pkt + size);
		MUST(ip.len <= (size_t)(pkt + size - ip.payload));
		try_msg(ip.payload, ip.len, FAM_V4, &ip.src, &ip.dst, true);

		/* The header we send decodes to what it was built from. */
		if (ip.len <= BUF_CAP - IP4_HDR_LEN) {
			MUST(ip4_encode_hdr(work, &ip.src, &ip.dst, ip.ttl, 0x1234, ip.proto,
					    ip.len) == IP4_HDR_LEN);
			memcpy(work + IP4_HDR_LEN, ip.payload, ip.len);
			MUST(csum_fold(csum_add(0, work, IP4_HDR_LEN)) == 0);
			if (IP4_HDR_LEN + ip.len <= 0xffff) {
				MUST(vrrp_ip4_decode(work, IP4_HDR_LEN + ip.len, &again) == DROP_NONE);
				MUST(addr_eq(&again.src, &ip.src) && addr_eq(&again.dst, &ip.dst));
				MUST(again.ttl == ip.ttl && again.proto == ip.proto && again.len == ip.len);
			}
		}
	}
	free(pkt);
}

/* The frames we announce VIPs with are well formed for any address. */
static void try_announce(const uint8_t *data, size_t size)
{
	uint8_t frame[UNA_FRAME_LEN];
	struct vaddr vip;
	uint8_t mac[6];

	if (size < 22)
		return;
	memcpy(mac, data, 6);
	addr_set(&vip, FAM_V6, data + 6);
	MUST(una_encode(frame, mac, &vip, data[0] & 1) == UNA_FRAME_LEN);
	/* ICMPv6 checksum over the pseudo-header verifies (RFC 4443 2.3). */
	{
		struct vaddr dst = { .fam = FAM_V6, .b = { 0xff, 0x02, [15] = 1 } };
		uint32_t s = csum_pseudo(&vip, &dst, 58, 32);

		MUST(csum_fold(csum_add(s, frame + ETH_HDR_LEN + 40, 32)) == 0);
	}
	addr_set(&vip, FAM_V4, data + 6);
	MUST(garp_encode(frame, mac, &vip) == GARP_FRAME_LEN);
	MUST(!memcmp(frame + ETH_HDR_LEN + 14, vip.b, 4) && !memcmp(frame + ETH_HDR_LEN + 24, vip.b, 4));
}

#if FUZZ_AH
/* The AH verifier (vrrp_ah.h): any datagram is judged without a crash; one
 * signed by ah_encode verifies with its sequence number; changing any byte
 * the ICV covers makes it fail (RFC 2402 3.3.3.1: all but TOS, fragment
 * field, header checksum and, towards unicast peers, TTL). */
static void fuzz_ah(const uint8_t *data, size_t size)
{
	static const uint8_t key[AH_KEY_LEN] = { 's', '3', 'c', 'r', 'e', 't' };
	uint8_t *pkt;
	uint32_t seq, got;

	if (!CONFIG_AUTH_AH || ah_open() < 0)
		return;
	pkt = malloc(size ? size : 1);
	if (!pkt)
		return;
	memcpy(pkt, data, size);
	for (int unicast = 0; unicast < 2; unicast++) {
		enum vrrp_drop d = ah_verify(pkt, size, key, unicast, &got);

		MUST((unsigned)d < DROP__COUNT);
		if (d != DROP_NONE)
			MUST(got == 0);
	}
	if (size >= IP4_HDR_LEN + AH_LEN + 2) {
		bool unicast = data[size - 1] & 1;
		size_t at = data[size - 2] % size;
		uint8_t flip = (uint8_t)(data[size - 1] | 1);

		pkt[0] = 0x45;	/* ah_encode writes AH right after 20 bytes */
		seq = (uint32_t)data[1] << 24 | (uint32_t)data[2] << 16 | (uint32_t)data[3] << 8 | data[4];
		MUST(ah_encode(pkt, size, seq, key, unicast) == 0);
		MUST(ah_verify(pkt, size, key, unicast, &got) == DROP_NONE && got == seq);
		pkt[at] ^= flip;
		if (at == 1 || at == 6 || at == 7 || at == 10 || at == 11 || (unicast && at == 8))
			MUST(ah_verify(pkt, size, key, unicast, &got) == DROP_NONE);
		else
			MUST(ah_verify(pkt, size, key, unicast, &got) != DROP_NONE);
	}
	free(pkt);
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vaddr src, dst;

	if (size > BUF_CAP)
		return 0;
	try_ip4(data, size);
	if (size >= 32) {
		addr_set(&src, FAM_V6, data);
		addr_set(&dst, FAM_V6, data + 16);
		try_msg(data + 32, size - 32, FAM_V6, &src, &dst, true);
	}
	if (size >= 8) {
		addr_set(&src, FAM_V4, data);
		addr_set(&dst, FAM_V4, data + 4);
		try_msg(data + 8, size - 8, FAM_V4, &src, &dst, false);
		try_msg(data + 8, size - 8, FAM_V4, NULL, NULL, false);
	}
	try_announce(data, size);
#if FUZZ_AH
	fuzz_ah(data, size);
#endif
	return 0;
}
