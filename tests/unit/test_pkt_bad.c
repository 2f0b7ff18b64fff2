/* SPDX-License-Identifier: MIT */
/* Codec robustness: the captured adverts truncated at every length, every
 * bit flipped, wrong version and type, padded, and IPv4 headers with
 * options, fragments and bad lengths. Build with -fsanitize=address,undefined
 * (or run under valgrind) to prove no read goes past the given length. */
#include "pkt_vectors.h"
#include "t.h"

static struct sample samples[NCASES];

/* As decode_exact, for the IPv4 layer. */
static enum vrrp_drop ip4_exact(const uint8_t *p, size_t len, struct vrrp_ip *ip)
{
	uint8_t *b = malloc(len ? len : 1);
	enum vrrp_drop d;

	if (!b)
		exit(2);
	memcpy(b, p, len);
	d = vrrp_ip4_decode(b, len, ip);
	ip->payload = NULL;	/* points into freed memory */
	free(b);
	return d;
}

static void test_truncation(void)
{
	struct vrrp_adv adv;
	struct vrrp_ip ip;

	for (size_t ci = 0; ci < NCASES; ci++) {
		const struct sample *s = &samples[ci];

		for (size_t l = 0; l < s->len; l++)
			CHECK_EQ(decode_exact(s->msg, l, s, cases[ci].fam, &adv), DROP_LENGTH);
		CHECK_EQ(decode_exact(s->msg, s->len, s, cases[ci].fam, &adv), DROP_NONE);
		for (size_t l = 0; l < s->ip4_len; l++)
			CHECK_EQ(ip4_exact(s->ip4, l, &ip), DROP_LENGTH);
		if (s->ip4_len)
			CHECK_EQ(ip4_exact(s->ip4, s->ip4_len, &ip), DROP_NONE);
	}
}

/* Every single-bit error in the message is caught, and by the check that
 * owns the field. A flip in the checksum field itself is a checksum error. */
static void test_bit_flips(void)
{
	uint8_t b[64];
	struct vrrp_adv adv;

	for (size_t ci = 0; ci < NCASES; ci++) {
		const struct sample *s = &samples[ci];

		for (size_t i = 0; i < s->len * 8; i++) {
			enum vrrp_drop d, want = DROP_CHECKSUM;

			memcpy(b, s->msg, s->len);
			b[i / 8] ^= (uint8_t)(1u << (i % 8));
			d = vrrp_decode(b, s->len, cases[ci].fam, &s->src, &s->dst, &adv);
			if (i / 8 == 0)
				want = i % 8 >= 4 ? DROP_VERSION : DROP_TYPE;
			if (i / 8 == 3 && d == DROP_LENGTH)
				want = DROP_LENGTH;	/* count grew past the data */
			if (i == 4 && d == DROP_LENGTH)
				want = DROP_LENGTH;	/* v3 read as v2 needs auth data */
			if (i == 4 && d == DROP_CHECKSUM)
				want = DROP_CHECKSUM;	/* v2 <-> v3: same length or shorter */
			if (d != want)
				fprintf(stderr, "%s: bit %zu: %s\n", cases[ci].file, i, vrrp_drop_name(d));
			CHECK_EQ(d, want);
		}
		/* The pseudo-header covers the addresses of the IP layer. */
		for (size_t i = 0; i < addr_len(cases[ci].fam) * 8 * 2; i++) {
			struct vaddr src = s->src, dst = s->dst;
			size_t bits = addr_len(cases[ci].fam) * 8;
			struct vaddr *a = i < bits ? &src : &dst;
			size_t j = i % bits;

			a->b[j / 8] ^= (uint8_t)(1u << (j % 8));
			CHECK_EQ(vrrp_decode(s->msg, s->len, cases[ci].fam, &src, &dst, &adv),
				 cases[ci].version == 2 && cases[ci].fam == FAM_V4 ? DROP_NONE : DROP_CHECKSUM);
		}
	}
}

static void test_version_type(void)
{
	static const uint8_t bad_ver[] = { 0x01, 0x11, 0x41, 0x61, 0xf1 };
	static const uint8_t bad_type[] = { 0, 2, 3, 15 };
	uint8_t b[64];
	struct vrrp_adv adv;

	for (size_t ci = 0; ci < NCASES; ci++) {
		const struct sample *s = &samples[ci];

		memcpy(b, s->msg, s->len);
		for (size_t i = 0; i < sizeof(bad_ver); i++) {
			b[0] = bad_ver[i];
			CHECK_EQ(vrrp_decode(b, s->len, cases[ci].fam, &s->src, &s->dst, &adv), DROP_VERSION);
		}
		for (size_t i = 0; i < sizeof(bad_type); i++) {
			b[0] = (uint8_t)(cases[ci].version << 4 | bad_type[i]);
			CHECK_EQ(vrrp_decode(b, s->len, cases[ci].fam, &s->src, &s->dst, &adv), DROP_TYPE);
		}
		CHECK_EQ(vrrp_decode(s->msg, s->len, FAM_NONE, &s->src, &s->dst, &adv), DROP_PROTO);
	}
}

/* Ethernet pads short frames to 60 bytes; some stacks pad inside the IP
 * length. Neither the padding nor its contents may matter. */
static void test_padding(void)
{
	uint8_t b[128];
	struct vrrp_adv adv;
	struct vrrp_ip ip;

	for (size_t ci = 0; ci < NCASES; ci++) {
		const struct sample *s = &samples[ci];
		uint8_t fam = cases[ci].fam;

		for (size_t pad = 1; pad <= 20; pad += 3) {
			memcpy(b, s->msg, s->len);
			memset(b + s->len, pad & 1 ? 0xa5 : 0, pad);
			CHECK_EQ(decode_exact(b, s->len + pad, s, fam, &adv), DROP_NONE);
			CHECK_EQ(adv.prio, cases[ci].prio);
			CHECK_EQ(adv.intv_cs, cases[ci].intv_cs);
		}
		if (!s->ip4_len)
			continue;
		/* Padding after the IP total length, up to a 60-byte frame. */
		memcpy(b, s->ip4, s->ip4_len);
		memset(b + s->ip4_len, 0, 46 - s->ip4_len);
		CHECK_EQ(vrrp_ip4_decode(b, 46, &ip), DROP_NONE);
		CHECK_EQ(ip.len, s->len);
		CHECK_EQ(vrrp_decode(ip.payload, ip.len, fam, &ip.src, &ip.dst, &adv), DROP_NONE);
		/* Padding inside the IP total length. */
		ip4_encode_hdr(b, &s->src, &s->dst, 255, 7, VRRP_PROTO, s->len + 6);
		memcpy(b + IP4_HDR_LEN, s->msg, s->len);
		memset(b + IP4_HDR_LEN + s->len, 0, 6);
		CHECK_EQ(vrrp_ip4_decode(b, IP4_HDR_LEN + s->len + 6, &ip), DROP_NONE);
		CHECK_EQ(ip.len, s->len + 6);
		CHECK_EQ(vrrp_decode(ip.payload, ip.len, fam, &ip.src, &ip.dst, &adv), DROP_NONE);
		CHECK_EQ(adv.naddr, 1);
	}
}

static void ip4_build(uint8_t *b, size_t hl, const struct sample *s)
{
	size_t tot = hl + s->len;
	uint16_t c;

	memcpy(b, s->ip4, IP4_HDR_LEN);
	b[0] = (uint8_t)(0x40 | hl / 4);
	b[2] = (uint8_t)(tot >> 8);
	b[3] = (uint8_t)tot;
	memset(b + IP4_HDR_LEN, 1, hl - IP4_HDR_LEN);	/* NOP options */
	if (hl > IP4_HDR_LEN) {				/* RFC 2113 router alert */
		b[20] = 0x94;
		b[21] = 4;
		b[22] = b[23] = 0;
	}
	b[10] = b[11] = 0;
	c = csum_fold(csum_add(0, b, hl));
	b[10] = (uint8_t)(c >> 8);
	b[11] = (uint8_t)c;
	memcpy(b + hl, s->msg, s->len);
}

static void test_ip4(void)
{
	const struct sample *s = &samples[0];
	struct vrrp_adv adv;
	struct vrrp_ip ip;
	uint8_t b[128];

	for (size_t hl = 24; hl <= 60; hl += 36) {
		ip4_build(b, hl, s);
		CHECK_EQ(vrrp_ip4_decode(b, hl + s->len, &ip), DROP_NONE);
		CHECK(ip.payload == b + hl);
		CHECK_EQ(ip.len, s->len);
		CHECK_EQ(vrrp_decode(ip.payload, ip.len, FAM_V4, &ip.src, &ip.dst, &adv), DROP_NONE);
		for (size_t l = 0; l < hl + s->len; l++)
			CHECK_EQ(ip4_exact(b, l, &ip), DROP_LENGTH);
	}
	ip4_build(b, 20, s);
	CHECK_EQ(vrrp_ip4_decode(b, s->ip4_len, &ip), DROP_NONE);
	CHECK_EQ(ip.ttl, 255);
	CHECK_EQ(ip.proto, 112);
	b[0] = 0x44;			/* IHL below 5 */
	CHECK_EQ(vrrp_ip4_decode(b, s->ip4_len, &ip), DROP_PROTO);
	b[0] = 0x65;			/* not IPv4 */
	CHECK_EQ(vrrp_ip4_decode(b, s->ip4_len, &ip), DROP_PROTO);
	b[0] = 0x4f;			/* 60-byte header in a 40-byte datagram */
	CHECK_EQ(vrrp_ip4_decode(b, s->ip4_len, &ip), DROP_LENGTH);
	b[0] = 0x46;			/* total length shorter than the header */
	b[2] = 0;
	b[3] = 22;
	CHECK_EQ(vrrp_ip4_decode(b, s->ip4_len, &ip), DROP_LENGTH);

	/* Fragments: MF, any offset. DF and the reserved bit are harmless. */
	ip4_build(b, 20, s);
	b[6] = 0x20;
	CHECK_EQ(vrrp_ip4_decode(b, s->ip4_len, &ip), DROP_PROTO);
	b[6] = 0x00;
	b[7] = 0x01;
	CHECK_EQ(vrrp_ip4_decode(b, s->ip4_len, &ip), DROP_PROTO);
	b[6] = 0x1f;
	b[7] = 0xff;
	CHECK_EQ(vrrp_ip4_decode(b, s->ip4_len, &ip), DROP_PROTO);
	b[6] = 0x40;
	b[7] = 0;
	CHECK_EQ(vrrp_ip4_decode(b, s->ip4_len, &ip), DROP_NONE);
	b[6] = 0x80;
	CHECK_EQ(vrrp_ip4_decode(b, s->ip4_len, &ip), DROP_NONE);

	/* AH (51) and anything else: recorded, the caller decides. */
	ip4_encode_hdr(b, &s->src, &s->dst, 64, 0, 51, s->len);
	CHECK_EQ(csum_fold(csum_add(0, b, IP4_HDR_LEN)), 0);
	CHECK_EQ(vrrp_ip4_decode(b, s->ip4_len, &ip), DROP_NONE);
	CHECK_EQ(ip.proto, 51);
	CHECK_EQ(ip.ttl, 64);
	CHECK_EQ(b[1], 0xc0);
	CHECK_EQ(b[6] | b[7], 0);
}

int main(void)
{
	for (size_t ci = 0; ci < NCASES; ci++) {
		CHECK_EQ(sample_load(ci, &samples[ci]), 0);
		CHECK(samples[ci].len > 0);
	}
	test_truncation();
	test_bit_flips();
	test_version_type();
	test_padding();
	test_ip4();
	return t_done("test_pkt_bad");
}
