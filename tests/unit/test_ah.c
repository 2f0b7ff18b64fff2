/* SPDX-License-Identifier: MIT */
/* keepalived's IPsec AH (src/vrrp_ah.c) against adverts captured from
 * keepalived 2.2.7 (tests/data/captures/ah-*.pcap, key "s3cret"): each
 * verifies, and is rebuilt from scratch byte for byte; every covered byte
 * matters, the mutable ones do not; old sequence numbers are refused; the
 * TTL counts for multicast only. Also what the config reader makes of
 * 'auth_type AH', in builds with and without CONFIG_AUTH_AH. */
#include "conf.h"
#include "pkt_vectors.h"
#include "t.h"
#include "t_conf.h"
#include "vrrp_ah.h"

#if CONFIG_AUTH_AH
#include <mbedtls/md.h>
#endif

static const uint8_t key[AH_KEY_LEN] = { 's', '3', 'c', 'r', 'e', 't' };

/* One captured advert: what tshark shows of it. */
struct ah_frame {
	const char *src, *dst;
	uint16_t id;
	uint32_t seq;
	uint8_t prio;
};

struct ah_case {
	const char *file;
	bool unicast;
	struct ah_frame f[4];
};

static const struct ah_case ah_cases[] = {
	/* r1 (150) master, its priority-0 goodbye, then r2 (100) taking over
	 * with the next number after the last one it accepted. */
	{ "ah-multicast", false, {
		{ "198.18.1.1", "224.0.0.18", 1, 1, 150 },
		{ "198.18.1.1", "224.0.0.18", 2, 2, 150 },
		{ "198.18.1.1", "224.0.0.18", 5, 5, 0 },
		{ "198.18.1.2", "224.0.0.18", 1, 6, 100 } } },
	{ "ah-unicast", true, {
		{ "198.18.1.1", "198.18.1.2", 1, 1, 150 },
		{ "198.18.1.1", "198.18.1.2", 2, 2, 150 },
		{ "198.18.1.2", "198.18.1.1", 1, 5, 100 },
		{ "198.18.1.2", "198.18.1.1", 2, 6, 100 } } },
};
#define N_AH_CASES (sizeof(ah_cases) / sizeof(ah_cases[0]))

/* The IPv4 datagram of frame i (Ethernet header and padding removed). */
static bool datagram(const struct capture *cap, size_t i, uint8_t *out, size_t *len)
{
	struct vrrp_ip ip;
	const uint8_t *f = cap->f[i];

	if (cap->len[i] < ETH_HDR_LEN ||
	    vrrp_ip4_decode(f + ETH_HDR_LEN, cap->len[i] - ETH_HDR_LEN, &ip) != DROP_NONE)
		return false;
	*len = (size_t)(ip.payload - (f + ETH_HDR_LEN)) + ip.len;
	memcpy(out, f + ETH_HDR_LEN, *len);
	return ip.proto == AH_PROTO;
}

/* The advert keepalived sent, encoded from what a config says. */
static size_t build(const struct ah_frame *fr, bool unicast, uint32_t seq, uint8_t *buf, size_t cap)
{
	struct vaddr vip = A("198.18.1.100"), src = A(fr->src), dst = A(fr->dst);
	struct vrrp_adv adv = {
		.version = 2, .type = 1, .vrid = 51, .prio = fr->prio, .naddr = 1,
		.auth_type = AUTH_AH, .intv_cs = 100, .fam = FAM_V4, .addrs = vip.b,
	};
	size_t len = vrrp_encode(buf + IP4_HDR_LEN + AH_LEN, cap - IP4_HDR_LEN - AH_LEN, &adv,
				 NULL, NULL, false);

	if (!len)
		return 0;
	ip4_encode_hdr(buf, &src, &dst, VRRP_TTL, fr->id, AH_PROTO, AH_LEN + len);
	if (ah_encode(buf, IP4_HDR_LEN + AH_LEN + len, seq, key, unicast) < 0)
		return 0;
	return IP4_HDR_LEN + AH_LEN + len;
}

/* Fields outside the ICV (RFC 2402 3.3.3.1.1.1, as keepalived zeroes them):
 * TOS, flags + fragment offset, header checksum; TTL towards unicast peers. */
static bool mutable_byte(size_t at, bool unicast)
{
	return at == 1 || at == 6 || at == 7 || at == 10 || at == 11 || (unicast && at == 8);
}

static void test_vectors(void)
{
	static struct capture cap;
	uint8_t pkt[MAX_FRAME], mine[MAX_FRAME];
	size_t len, mlen;
	uint32_t seq;

	for (size_t c = 0; c < N_AH_CASES; c++) {
		const struct ah_case *k = &ah_cases[c];

		if (load(k->file, &cap) < 0) {
			CHECK(!"capture readable");
			continue;
		}
		CHECK_EQ(cap.n, 4);
		for (size_t i = 0; i < cap.n && i < 4; i++) {
			const struct ah_frame *fr = &k->f[i];

			CHECK(datagram(&cap, i, pkt, &len));
			CHECK_EQ(len, IP4_HDR_LEN + AH_LEN + VRRP_HDR_LEN + 4 + VRRP_AUTH_LEN);
			CHECK_EQ(ah_verify(pkt, len, key, k->unicast, &seq), DROP_NONE);
			CHECK_EQ(seq, fr->seq);
			CHECK_EQ(get16(pkt + 4), fr->id);
			CHECK_EQ(pkt[8], VRRP_TTL);	/* sent with 255, unicast too */
			/* VRRP auth type 2, auth data zero (RFC 2338 5.3.6.3). */
			CHECK_EQ(pkt[IP4_HDR_LEN + AH_LEN + 4], 2);
			CHECK_MEM(pkt + len - VRRP_AUTH_LEN, "\0\0\0\0\0\0\0\0", VRRP_AUTH_LEN);

			/* The encoder, given the same inputs, gives the same bytes. */
			mlen = build(fr, k->unicast, fr->seq, mine, sizeof(mine));
			CHECK_EQ(mlen, len);
			CHECK_MEM(mine, pkt, len);

			/* The wrong key, or the TTL rule of the other mode, fails. */
			uint8_t bad[AH_KEY_LEN] = { 's', '3', 'c', 'r', 'e', 'u' };

			CHECK_EQ(ah_verify(pkt, len, bad, k->unicast, &seq), DROP_AUTH);
			CHECK_EQ(seq, 0);
			CHECK_EQ(ah_verify(pkt, len, key, !k->unicast, &seq), DROP_AUTH);

			/* Every bit of every byte: covered ones break the ICV
			 * (or the header parse), mutable ones do not. */
			int wrong = 0;

			for (size_t at = 0; at < len; at++) {
				for (int b = 0; b < 8; b++) {
					bool ok;

					pkt[at] ^= (uint8_t)(1u << b);
					ok = ah_verify(pkt, len, key, k->unicast, &seq) == DROP_NONE;
					pkt[at] ^= (uint8_t)(1u << b);
					if (ok != mutable_byte(at, k->unicast)) {
						if (!wrong++)
							fprintf(stderr, "%s frame %zu: flipping bit %d of byte %zu: %s\n",
								k->file, i, b, at, ok ? "still verifies" : "fails");
					}
				}
			}
			CHECK_EQ(wrong, 0);
			/* A truncated datagram never verifies. */
			CHECK(ah_verify(pkt, len - 1, key, k->unicast, &seq) != DROP_NONE);
		}
	}
}

/* TTL is in the ICV of multicast adverts (where it must be 255 anyway) and
 * out of it for unicast ones, which may have crossed routers. */
static void test_ttl(void)
{
	const struct ah_frame fr = { "198.18.1.1", "198.18.1.2", 7, 42, 150 };
	uint8_t pkt[MAX_FRAME];
	size_t len;
	uint32_t seq;

	for (int unicast = 0; unicast < 2; unicast++) {
		len = build(&fr, unicast, 42, pkt, sizeof(pkt));
		CHECK(len > 0);
		CHECK_EQ(ah_verify(pkt, len, key, unicast, &seq), DROP_NONE);
		CHECK_EQ(seq, 42);
		pkt[8] = 64;	/* three routers later */
		CHECK_EQ(ah_verify(pkt, len, key, unicast, &seq), unicast ? DROP_NONE : DROP_AUTH);
	}
}

static void test_header_checks(void)
{
	const struct ah_frame fr = { "198.18.1.1", "224.0.0.18", 1, 1, 150 };
	uint8_t pkt[MAX_FRAME];
	size_t len = build(&fr, false, 1, pkt, sizeof(pkt));
	uint32_t seq;

	CHECK(len > 0);
	CHECK_EQ(pkt[IP4_HDR_LEN], VRRP_PROTO);		/* next header */
	CHECK_EQ(pkt[IP4_HDR_LEN + 1], 4);		/* 24 bytes */
	CHECK_MEM(pkt + IP4_HDR_LEN + 4, pkt + 12, 4);	/* SPI = source */
	/* AH protecting something else is not an advert. */
	pkt[IP4_HDR_LEN] = 6;
	CHECK_EQ(ah_verify(pkt, len, key, false, &seq), DROP_PROTO);
	pkt[IP4_HDR_LEN] = VRRP_PROTO;
	pkt[IP4_HDR_LEN + 1] = 5;
	CHECK_EQ(ah_verify(pkt, len, key, false, &seq), DROP_PROTO);
	pkt[IP4_HDR_LEN + 1] = 4;
	CHECK_EQ(ah_verify(pkt, len, key, false, &seq), DROP_NONE);
	/* Too short for the IPv4 header, or for AH after it. */
	CHECK_EQ(ah_verify(pkt, IP4_HDR_LEN - 1, key, false, &seq), DROP_LENGTH);
	CHECK_EQ(ah_verify(pkt, IP4_HDR_LEN + AH_LEN - 1, key, false, &seq), DROP_LENGTH);
	pkt[0] = 0x44;
	CHECK_EQ(ah_verify(pkt, len, key, false, &seq), DROP_LENGTH);
	pkt[0] = 0x45;
	CHECK_EQ(ah_encode(pkt, IP4_HDR_LEN + AH_LEN - 1, 1, key, false), -1);

#if CONFIG_AUTH_AH
	/* A correct ICV over an SPI that is not the source address: refused
	 * all the same (keepalived: "invalid IPSEC SPI value"). */
	uint8_t m[MAX_FRAME], d[16];

	pkt[IP4_HDR_LEN + 7] ^= 1;
	memcpy(m, pkt, len);
	m[1] = 0;
	memset(m + 6, 0, 2);
	memset(m + 10, 0, 2);
	memset(m + IP4_HDR_LEN + 12, 0, AH_ICV_LEN);
	CHECK_EQ(mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_MD5), key, AH_KEY_LEN, m, len, d), 0);
	memcpy(pkt + IP4_HDR_LEN + 12, d, AH_ICV_LEN);
	CHECK_EQ(ah_verify(pkt, len, key, false, &seq), DROP_AUTH);
	pkt[IP4_HDR_LEN + 7] ^= 1;
	memcpy(m + IP4_HDR_LEN + 4, pkt + 12, 4);
	CHECK_EQ(mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_MD5), key, AH_KEY_LEN, m, len, d), 0);
	memcpy(pkt + IP4_HDR_LEN + 12, d, AH_ICV_LEN);
	CHECK_EQ(ah_verify(pkt, len, key, false, &seq), DROP_NONE);

	/* Header options are covered as they are (keepalived copies the
	 * whole header): a 24-byte header with a NOP+EOL option word. */
	uint8_t o[MAX_FRAME];

	memcpy(o, pkt, IP4_HDR_LEN);
	memcpy(o + 24, pkt + IP4_HDR_LEN, len - IP4_HDR_LEN);
	o[0] = 0x46;
	memcpy(o + IP4_HDR_LEN, "\x01\x00\x00\x00", 4);
	memcpy(m, o, len + 4);
	m[1] = 0;
	memset(m + 6, 0, 2);
	memset(m + 10, 0, 2);
	memset(m + 24 + 12, 0, AH_ICV_LEN);
	CHECK_EQ(mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_MD5), key, AH_KEY_LEN, m, len + 4, d), 0);
	memcpy(o + 24 + 12, d, AH_ICV_LEN);
	CHECK_EQ(ah_verify(o, len + 4, key, false, &seq), DROP_NONE);
	CHECK_EQ(seq, 1);
	o[IP4_HDR_LEN] = 7;
	CHECK_EQ(ah_verify(o, len + 4, key, false, &seq), DROP_AUTH);
#endif
}

/* One counter per instance for what was sent and what was accepted, as
 * keepalived: replays and old numbers are refused. */
static void test_sequence_pure(void)
{
	uint32_t last = 0;

	CHECK(ah_seq_accept(&last, 1));
	CHECK_EQ(last, 1);
	CHECK(!ah_seq_accept(&last, 1));	/* replayed */
	CHECK(!ah_seq_accept(&last, 0));	/* old */
	CHECK(ah_seq_accept(&last, 7));		/* gaps are fine */
	CHECK(!ah_seq_accept(&last, 6));
	CHECK_EQ(last, 7);
	CHECK_EQ(ah_seq_next(&last), 8);
	CHECK(!ah_seq_accept(&last, 8));	/* what we sent ourselves */
	ah_seq_adopt(&last, 20);
	CHECK_EQ(last, 21);
	CHECK_EQ(ah_seq_next(&last), 22);	/* keepalived sends seq + 2 */
	ah_seq_adopt(&last, 3);			/* never backwards */
	CHECK_EQ(last, 22);
	last = AH_SEQ_MAX - 1;
	CHECK_EQ(ah_seq_next(&last), AH_SEQ_MAX);
	CHECK_EQ(ah_seq_next(&last), AH_SEQ_MAX);	/* stops, never wraps to 0 */
	ah_seq_adopt(&last, 0xffffffffu);
	CHECK_EQ(last, AH_SEQ_MAX);
}

static void test_sequence(void)
{
	static struct capture cap;
	uint8_t pkt[MAX_FRAME], mine[MAX_FRAME];
	size_t len;
	uint32_t last = 0, seq;

	/* r2 in the multicast capture: accepts r1's 1, 2 and goodbye 5, takes
	 * over, and its first advert is the next number: byte for byte. */
	if (load("ah-multicast", &cap) < 0 || cap.n < 4) {
		CHECK(!"capture readable");
		return;
	}
	for (size_t i = 0; i < 3; i++) {
		CHECK(datagram(&cap, i, pkt, &len));
		CHECK_EQ(ah_verify(pkt, len, key, false, &seq), DROP_NONE);
		CHECK(ah_seq_accept(&last, seq));
		CHECK(!ah_seq_accept(&last, seq));	/* the same frame again */
	}
	CHECK(datagram(&cap, 3, pkt, &len));
	CHECK_EQ(build(&ah_cases[0].f[3], false, ah_seq_next(&last), mine, sizeof(mine)), len);
	CHECK_MEM(mine, pkt, len);
	/* An earlier frame replayed later still verifies, but is old. */
	CHECK(datagram(&cap, 1, pkt, &len));
	CHECK_EQ(ah_verify(pkt, len, key, false, &seq), DROP_NONE);
	CHECK(!ah_seq_accept(&last, seq));
}

#define AH_INST(before, after) "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n" \
	before " authentication {\n  auth_type AH\n  auth_pass s3cret\n }\n" after "}\n"

static void test_conf(void)
{
	struct config *c = tconf(AH_INST(" state MASTER\n priority 100\n",
					" virtual_ipaddress { 198.51.100.1 }\n"));

	if (!CONFIG_AUTH_AH) {
		CHECK_EQ(c->n_errors, 1);
		CHECK(said("t.conf:7: 'auth_type AH' needs CONFIG_AUTH_AH, which this build lacks"));
		conf_free(c);
		return;
	}
	CHECK_EQ(c->n_errors, 0);
	CHECK_EQ(c->inst[0].auth_type, AUTH_AH);
	CHECK_MEM(c->inst[0].auth_pass, "s3cret\0\0", 8);
	/* keepalived: "Initial state master is incompatible with AH
	 * authentication - clearing": learn a sequence number first. */
	CHECK_EQ(c->inst[0].state, WANT_BACKUP);
	CHECK(said("t.conf:4: warning: AH authentication: 'VI_1' starts as BACKUP"));
	conf_free(c);

	/* The address owner starts as master all the same. */
	c = tconf(AH_INST(" state MASTER\n priority 255\n", " virtual_ipaddress { 198.51.100.1 }\n"));
	CHECK_EQ(c->n_errors, 0);
	CHECK_EQ(c->n_warnings, 0);
	CHECK_EQ(c->inst[0].state, WANT_MASTER);
	conf_free(c);

	/* VRRPv3 has no authentication: warned, and the instance sends none. */
	if (CONFIG_VRRP_V3) {
		c = tconf(AH_INST(" version 3\n", " virtual_ipaddress { 198.51.100.1 }\n"));
		CHECK_EQ(c->n_errors, 0);
		CHECK_EQ(c->inst[0].auth_type, AUTH_NONE);
		CHECK(said("t.conf:6: warning: VRRPv3 has no authentication (RFC 5798): authentication of 'VI_1' ignored"));
		conf_free(c);
	}
	/* IPv6 instances are VRRPv3, so the same holds (keepalived: "Cannot
	 * use AH authentication with IPv6 - ignoring"). */
	if (CONFIG_IPV6) {
		c = tconf(AH_INST("", " virtual_ipaddress { 2001:db8::1 }\n"));
		CHECK_EQ(c->n_errors, 0);
		CHECK_EQ(c->inst[0].family, FAM_V6);
		CHECK_EQ(c->inst[0].auth_type, AUTH_NONE);
		CHECK(said("authentication of 'VI_1' ignored"));
		conf_free(c);
	}
}

int main(void)
{
	if (CONFIG_AUTH_AH) {
		CHECK_EQ(ah_open(), 0);
		CHECK_EQ(ah_open(), 0);		/* idempotent */
		test_vectors();
		test_ttl();
		test_header_checks();
	} else {
		uint8_t pkt[64] = { 0x45 };
		uint32_t seq = 1;

		/* The stubs fail, whatever they are given. */
		CHECK_EQ(ah_open(), -1);
		CHECK_EQ(ah_encode(pkt, sizeof(pkt), 1, key, false), -1);
		CHECK(ah_verify(pkt, sizeof(pkt), key, false, &seq) != DROP_NONE);
		CHECK_EQ(seq, 0);
	}
	test_sequence_pure();
	if (CONFIG_AUTH_AH)
		test_sequence();
	test_conf();
	ah_close();
	return t_done("test_ah");
}
