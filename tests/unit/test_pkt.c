/* SPDX-License-Identifier: MIT */
/* Codec conformance: every advert keepalived 2.2.7 sent in the captures
 * decodes to what tshark shows and encodes back to the same bytes; GARP and
 * NA frames match byte for byte; checksum variants, intervals, counts. */
#include "pkt_vectors.h"
#include "t.h"

static const uint8_t r1_mac[6] = { 0x02, 0, 0, 0, 0x01, 0x01 };

static void check_advert(size_t ci, const uint8_t *f, size_t flen, size_t fi)
{
	const struct advert_case *c = &cases[ci];
	struct vrrp_ip ip;
	struct vrrp_adv adv, cfg;
	struct vaddr vip;
	uint8_t buf[VRRP_MAX_LEN], hdr[IP4_HDR_LEN];
	static const uint8_t zero8[8];
	uint8_t auth[8] = { 0 };
	size_t n;

	if (c->fam == FAM_V4) {
		CHECK_EQ(get16(f + 12), 0x0800);
		CHECK_EQ(vrrp_ip4_decode(f + ETH_HDR_LEN, flen - ETH_HDR_LEN, &ip), DROP_NONE);
		/* keepalived's header, rebuilt with the capture's id. */
		CHECK_EQ(ip4_encode_hdr(hdr, &ip.src, &ip.dst, ip.ttl, get16(f + 18), ip.proto, ip.len),
			 IP4_HDR_LEN);
		CHECK_MEM(hdr, f + ETH_HDR_LEN, IP4_HDR_LEN);
		if (fi == 0)
			CHECK_EQ(get16(f + 18), c->first_id);
	} else {
		CHECK_EQ(get16(f + 12), 0x86dd);
		CHECK(ip6_peel(f, flen, &ip));
		CHECK(addr_is_v6_linklocal(&ip.src));
	}
	CHECK_EQ(ip.ttl, 255);
	CHECK_EQ(ip.proto, VRRP_PROTO);
	{
		struct vaddr s = A(c->src), d = A(c->dst);

		CHECK(addr_eq(&ip.src, &s));
		CHECK(addr_eq(&ip.dst, &d));
	}

	CHECK_EQ(vrrp_decode(ip.payload, ip.len, c->fam, &ip.src, &ip.dst, &adv), DROP_NONE);
	CHECK_EQ(adv.version, c->version);
	CHECK_EQ(adv.type, 1);
	CHECK_EQ(adv.vrid, 51);
	CHECK_EQ(adv.prio, c->prio);
	CHECK_EQ(adv.naddr, 1);
	CHECK_EQ(adv.auth_type, c->auth_type);
	CHECK_EQ(adv.intv_cs, c->intv_cs);
	CHECK_EQ(adv.fam, c->fam);
	CHECK_EQ(get16(ip.payload + 6), c->csum);
	vip = A(c->vip);
	CHECK(adv.addrs == ip.payload + VRRP_HDR_LEN);
	CHECK_MEM(adv.addrs, vip.b, addr_len(c->fam));
	if (c->auth)
		memcpy(auth, c->auth, strlen(c->auth));
	CHECK_MEM(adv.auth, c->auth ? auth : zero8, 8);
	/* v3/IPv4 from keepalived carries the IPv4 pseudo-header; IPv6 always. */
	CHECK_EQ(adv.csum_pseudo, c->version == 3);

	/* Re-encoding what was decoded gives the same message. */
	n = vrrp_encode(buf, sizeof(buf), &adv, &ip.src, &ip.dst, adv.csum_pseudo);
	CHECK_EQ(n, ip.len);
	CHECK_MEM(buf, ip.payload, ip.len);
	/* So does encoding from the configuration, keepalived's default. */
	adv_from_case(c, &cfg, &vip);
	n = vrrp_encode(buf, sizeof(buf), &cfg, &ip.src, &ip.dst, true);
	CHECK_EQ(n, ip.len);
	CHECK_MEM(buf, ip.payload, ip.len);
}

static void test_captures(void)
{
	struct capture cap;

	for (size_t ci = 0; ci < NCASES; ci++) {
		CHECK_EQ(load(cases[ci].file, &cap), 0);
		CHECK_EQ(cap.n, cases[ci].frames);
		for (size_t i = 0; i < cap.n; i++)
			check_advert(ci, cap.f[i], cap.len[i], i);
	}
}

static void test_announce(void)
{
	struct capture cap;
	struct vaddr vip4 = A("198.18.1.100"), vip6 = A("2001:db8:1::100");
	uint8_t f[UNA_FRAME_LEN], r[UNA_FRAME_LEN];

	CHECK_EQ(load("garp-ipv4", &cap), 0);
	CHECK_EQ(cap.n, 5);
	CHECK_EQ(garp_encode(f, r1_mac, &vip4), GARP_FRAME_LEN);
	for (size_t i = 0; i < cap.n; i++) {
		CHECK_EQ(cap.len[i], GARP_FRAME_LEN);
		CHECK_MEM(f, cap.f[i], GARP_FRAME_LEN);
	}

	CHECK_EQ(load("unsolicited-na-ipv6", &cap), 0);
	CHECK_EQ(cap.n, 5);
	CHECK_EQ(una_encode(f, r1_mac, &vip6, false), UNA_FRAME_LEN);
	for (size_t i = 0; i < cap.n; i++) {
		CHECK_EQ(cap.len[i], UNA_FRAME_LEN);
		CHECK_MEM(f, cap.f[i], UNA_FRAME_LEN);
	}
	/* Router flag: only the flags byte and the checksum change, and the
	 * checksum still verifies over the pseudo-header. */
	CHECK_EQ(una_encode(r, r1_mac, &vip6, true), UNA_FRAME_LEN);
	CHECK_EQ(r[58], 0xa0);
	CHECK_MEM(r, f, 56);
	CHECK_MEM(r + 59, f + 59, UNA_FRAME_LEN - 59);
	CHECK(get16(r + 56) != get16(f + 56));
	{
		struct vaddr all = A("ff02::1");

		CHECK_EQ(csum_fold(csum_add(csum_pseudo(&vip6, &all, 58, 32), r + 54, 32)), 0);
	}
}

/* A big-endian copy of a little-endian pcap must read the same. */
static void test_pcap_byte_order(void)
{
	static uint8_t le[MAX_FILE], be[MAX_FILE];
	struct capture a, b;
	size_t n = read_file("vrrpv2-ipv4-multicast", le, sizeof(le)), off = 24;
	static const size_t hdr_fields[] = { 0, 8, 12, 16, 20 };

	CHECK(n > 24);
	if (n <= 24)
		return;
	memcpy(be, le, n);
	for (size_t i = 0; i < 5; i++)
		for (size_t k = 0; k < 4; k++)
			be[hdr_fields[i] + k] = le[hdr_fields[i] + 3 - k];
	for (size_t k = 0; k < 2; k++) {	/* two 16-bit version fields */
		be[4 + 2 * k] = le[5 + 2 * k];
		be[5 + 2 * k] = le[4 + 2 * k];
	}
	for (int guard = 0; off + 16 <= n && guard < MAX_FRAMES; guard++) {
		size_t incl = get32(le + off + 8, false);

		for (size_t w = 0; w < 16; w += 4)
			for (size_t k = 0; k < 4; k++)
				be[off + w + k] = le[off + w + 3 - k];
		off += 16 + incl;
	}
	CHECK_EQ(pcap_parse(le, n, &a), 0);
	CHECK_EQ(pcap_parse(be, n, &b), 0);
	CHECK_EQ(a.n, 4);
	CHECK_EQ(b.n, a.n);
	CHECK_MEM(&a, &b, sizeof(a));
	be[0] = 0;
	CHECK_EQ(pcap_parse(be, n, &b), -1);
}

/* v3/IPv4: RFC 9568 and Cisco leave out the pseudo-header, keepalived and
 * FRR put it in; with it, each unicast peer gets its own checksum. */
static void test_v3_ip4_checksums(void)
{
	const struct advert_case *c = &cases[3];
	struct vaddr src = A("198.18.1.1"), mc = A("224.0.0.18");
	struct vaddr p1 = A("198.18.1.2"), p2 = A("198.18.1.3"), vip;
	struct vrrp_adv cfg, adv;
	uint8_t m[16], u1[16], u2[16];

	adv_from_case(c, &cfg, &vip);
	CHECK_EQ(vrrp_encode(m, sizeof(m), &cfg, &src, &mc, false), 12);
	CHECK(get16(m + 6) != c->csum);
	CHECK_EQ(csum_fold(csum_add(0, m, 12)), 0);
	CHECK_EQ(vrrp_decode(m, 12, FAM_V4, &src, &mc, &adv), DROP_NONE);
	CHECK_EQ(adv.csum_pseudo, false);
	CHECK_EQ(vrrp_decode(m, 12, FAM_V4, &src, &p1, &adv), DROP_NONE);
	CHECK_EQ(adv.csum_pseudo, false);
	/* No addresses needed for the variant without the pseudo-header. */
	CHECK_EQ(vrrp_encode(u1, sizeof(u1), &cfg, NULL, NULL, false), 12);
	CHECK_MEM(u1, m, 12);
	CHECK_EQ(vrrp_decode(m, 12, FAM_V4, NULL, NULL, &adv), DROP_NONE);
	CHECK_EQ(vrrp_encode(u1, sizeof(u1), &cfg, NULL, NULL, true), 0);

	CHECK_EQ(vrrp_encode(u1, sizeof(u1), &cfg, &src, &p1, true), 12);
	CHECK_EQ(vrrp_encode(u2, sizeof(u2), &cfg, &src, &p2, true), 12);
	CHECK(get16(u1 + 6) != get16(u2 + 6));
	CHECK_EQ(vrrp_decode(u1, 12, FAM_V4, &src, &p1, &adv), DROP_NONE);
	CHECK_EQ(adv.csum_pseudo, true);
	CHECK_EQ(vrrp_decode(u1, 12, FAM_V4, &src, &p2, &adv), DROP_CHECKSUM);
	CHECK_EQ(vrrp_decode(u2, 12, FAM_V4, &src, &p2, &adv), DROP_NONE);
	CHECK_EQ(vrrp_decode(u1, 12, FAM_V4, NULL, NULL, &adv), DROP_CHECKSUM);
	/* v2 never uses the pseudo-header, whatever the flag says. */
	adv_from_case(&cases[0], &cfg, &vip);
	CHECK_EQ(vrrp_encode(m, sizeof(m), &cfg, &src, &mc, true), 0);	/* needs 20 */
	{
		struct sample s;
		uint8_t v2[32];

		CHECK_EQ(sample_load(0, &s), 0);
		CHECK_EQ(vrrp_encode(v2, sizeof(v2), &cfg, &src, &p1, true), 20);
		CHECK_MEM(v2, s.msg, 20);
	}
}

/* Count 255 over IPv6: the largest message there is. */
static void test_count_255(void)
{
	static uint8_t addrs[255 * 16], b[VRRP_MAX_LEN + 8], b2[VRRP_MAX_LEN];
	struct vaddr src = A("fe80::ff:fe00:101"), dst = A("ff02::12"), base = A("2001:db8:1::");
	struct vrrp_adv cfg = { .version = 3, .type = 1, .vrid = 255, .prio = 254, .naddr = 255,
				.intv_cs = 100, .fam = FAM_V6, .addrs = addrs };
	struct vrrp_adv adv;

	for (size_t i = 0; i < 255; i++) {
		memcpy(addrs + i * 16, base.b, 16);
		addrs[i * 16 + 15] = (uint8_t)(i + 1);
	}
	CHECK_EQ(vrrp_encode(b, VRRP_MAX_LEN - 1, &cfg, &src, &dst, true), 0);
	CHECK_EQ(vrrp_encode(b, VRRP_MAX_LEN, &cfg, &src, &dst, true), VRRP_MAX_LEN);
	CHECK_EQ(vrrp_decode(b, VRRP_MAX_LEN, FAM_V6, &src, &dst, &adv), DROP_NONE);
	CHECK_EQ(adv.naddr, 255);
	CHECK_EQ(adv.vrid, 255);
	CHECK_EQ(adv.prio, 254);
	CHECK_MEM(adv.addrs, addrs, sizeof(addrs));
	CHECK_EQ(vrrp_encode(b2, sizeof(b2), &adv, &src, &dst, adv.csum_pseudo), VRRP_MAX_LEN);
	CHECK_MEM(b2, b, VRRP_MAX_LEN);
	CHECK_EQ(decode_exact(b, VRRP_MAX_LEN - 1, &(struct sample){ .src = src, .dst = dst },
			      FAM_V6, &adv), DROP_LENGTH);
	memset(b + VRRP_MAX_LEN, 0, 8);
	CHECK_EQ(vrrp_decode(b, VRRP_MAX_LEN + 8, FAM_V6, &src, &dst, &adv), DROP_NONE);
	/* v2/IPv4 with 255 addresses: 16 + 4 * 255 bytes. */
	cfg.version = 2;
	cfg.fam = FAM_V4;
	src = A("198.18.1.1");
	dst = A("224.0.0.18");
	CHECK_EQ(vrrp_encode(b, sizeof(b), &cfg, &src, &dst, false), 16 + 4 * 255);
	CHECK_EQ(vrrp_decode(b, 16 + 4 * 255, FAM_V4, &src, &dst, &adv), DROP_NONE);
	CHECK_EQ(adv.naddr, 255);
	CHECK_EQ(vrrp_decode(b, 15 + 4 * 255, FAM_V4, &src, &dst, &adv), DROP_LENGTH);
}

/* Fix up the checksum of a v3/IPv4 message after editing it by hand. */
static void resum(uint8_t *m, size_t len, const struct vaddr *src, const struct vaddr *dst)
{
	uint16_t c;

	m[6] = m[7] = 0;
	c = csum_fold(csum_add(csum_pseudo(src, dst, VRRP_PROTO, (uint32_t)len), m, len));
	m[6] = (uint8_t)(c >> 8);
	m[7] = (uint8_t)c;
}

static void test_intervals_and_counts(void)
{
	struct vaddr src = A("198.18.1.1"), dst = A("224.0.0.18"), vip;
	struct vrrp_adv cfg, adv;
	uint8_t m[32];

	adv_from_case(&cases[3], &cfg, &vip);
	cfg.intv_cs = 4095;
	CHECK_EQ(vrrp_encode(m, sizeof(m), &cfg, &src, &dst, true), 12);
	CHECK_EQ(m[4], 0x0f);
	CHECK_EQ(m[5], 0xff);
	CHECK_EQ(vrrp_decode(m, 12, FAM_V4, &src, &dst, &adv), DROP_NONE);
	CHECK_EQ(adv.intv_cs, 4095);
	/* Reserved bits: never sent, ignored on receipt (RFC 5798 5.2.5). */
	cfg.intv_cs = 0xffff;
	CHECK_EQ(vrrp_encode(m, sizeof(m), &cfg, &src, &dst, true), 12);
	CHECK_EQ(m[4], 0x0f);
	m[4] = 0xf0;
	m[5] = 10;
	resum(m, 12, &src, &dst);
	CHECK_EQ(vrrp_decode(m, 12, FAM_V4, &src, &dst, &adv), DROP_NONE);
	CHECK_EQ(adv.intv_cs, 10);
	m[4] = 0xaf;
	m[5] = 0xff;
	resum(m, 12, &src, &dst);
	CHECK_EQ(vrrp_decode(m, 12, FAM_V4, &src, &dst, &adv), DROP_NONE);
	CHECK_EQ(adv.intv_cs, 4095);

	/* v2: whole seconds. */
	adv_from_case(&cases[0], &cfg, &vip);
	cfg.intv_cs = 25500;
	CHECK_EQ(vrrp_encode(m, sizeof(m), &cfg, &src, &dst, false), 20);
	CHECK_EQ(m[5], 255);
	CHECK_EQ(vrrp_decode(m, 20, FAM_V4, &src, &dst, &adv), DROP_NONE);
	CHECK_EQ(adv.intv_cs, 25500);
	cfg.intv_cs = 300;
	CHECK_EQ(vrrp_encode(m, sizeof(m), &cfg, &src, &dst, false), 20);
	CHECK_EQ(m[5], 3);
	cfg.intv_cs = 40000;		/* does not fit 8 bits: the longest there is */
	CHECK_EQ(vrrp_encode(m, sizeof(m), &cfg, &src, &dst, false), 20);
	CHECK_EQ(m[5], 255);

	/* Count 0 is the caller's policy, not the codec's. */
	adv_from_case(&cases[3], &cfg, &vip);
	cfg.naddr = 0;
	CHECK_EQ(vrrp_encode(m, sizeof(m), &cfg, &src, &dst, true), 8);
	CHECK_EQ(vrrp_decode(m, 8, FAM_V4, &src, &dst, &adv), DROP_NONE);
	CHECK_EQ(adv.naddr, 0);
	adv_from_case(&cases[0], &cfg, &vip);
	cfg.naddr = 0;
	CHECK_EQ(vrrp_encode(m, sizeof(m), &cfg, &src, &dst, false), 16);
	CHECK_EQ(vrrp_decode(m, 16, FAM_V4, &src, &dst, &adv), DROP_NONE);
	CHECK_MEM(adv.auth, "s3cret\0", 8);

	/* Nothing to encode for a version or family that does not exist. */
	cfg.version = 4;
	CHECK_EQ(vrrp_encode(m, sizeof(m), &cfg, &src, &dst, false), 0);
	cfg.version = 3;
	cfg.fam = FAM_NONE;
	CHECK_EQ(vrrp_encode(m, sizeof(m), &cfg, &src, &dst, false), 0);
}

/* keepalived's v2 over IPv6: no auth data, the kernel's pseudo-header sum. */
static void test_v2_ip6(void)
{
	/* Not fe80::1: its one's complement sum equals that of fe80::ff:fe00:101. */
	struct vaddr src = A("fe80::ff:fe00:101"), dst = A("ff02::12"), other = A("fe80::2");
	struct vaddr vip = A("2001:db8:1::100");
	struct vrrp_adv cfg = { .version = 2, .type = 1, .vrid = 51, .prio = 100, .naddr = 1,
				.auth_type = 0, .intv_cs = 100, .fam = FAM_V6, .addrs = vip.b };
	struct vrrp_adv adv;
	uint8_t m[32];

	CHECK_EQ(vrrp_encode(m, sizeof(m), &cfg, &src, &dst, false), 24);
	CHECK_EQ(m[0], 0x21);
	CHECK_EQ(m[5], 1);
	CHECK_EQ(vrrp_decode(m, 24, FAM_V6, &src, &dst, &adv), DROP_NONE);
	CHECK_EQ(adv.version, 2);
	CHECK_EQ(adv.intv_cs, 100);
	CHECK_MEM(adv.addrs, vip.b, 16);
	CHECK_EQ(adv.csum_pseudo, true);
	CHECK_EQ(vrrp_decode(m, 24, FAM_V6, &other, &dst, &adv), DROP_CHECKSUM);
	CHECK_EQ(vrrp_decode(m, 23, FAM_V6, &src, &dst, &adv), DROP_LENGTH);
}

static uint16_t ref_csum(const uint8_t *p, size_t len)
{
	unsigned long long s = 0;

	for (size_t i = 0; i < len; i++)
		s += i & 1 ? p[i] : (unsigned long long)p[i] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void test_csum(void)
{
	/* RFC 1071 3: these bytes sum to 0xddf2. */
	static const uint8_t rfc[8] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	static uint8_t big[200001];
	uint32_t lcg = 1;

	CHECK_EQ(csum_fold(csum_add(0, rfc, 8)), 0xffff & ~0xddf2);
	CHECK_EQ(csum_fold(csum_add(csum_add(0, rfc, 4), rfc + 4, 4)), 0xffff & ~0xddf2);
	CHECK_EQ(csum_fold(csum_add(0, "\x12\x34", 2)), 0xedcb);
	CHECK_EQ(csum_fold(csum_add(0, "\x12\x34\x56", 3)), 0xffff & ~(0x1234 + 0x5600));
	CHECK_EQ(csum_fold(csum_add(0, rfc, 0)), 0xffff);
	memset(big, 0xff, sizeof(big));
	CHECK_EQ(csum_fold(csum_add(0, big, sizeof(big) - 1)), 0);
	/* A saturated starting sum must not overflow either. */
	CHECK_EQ(csum_fold(csum_add(0xffffffffu, big, sizeof(big) - 1)), 0);
	for (size_t i = 0; i < sizeof(big); i++) {
		lcg = lcg * 1103515245u + 12345u;
		big[i] = (uint8_t)(lcg >> 16);
	}
	for (size_t len = sizeof(big) - 3; len <= sizeof(big); len++)
		CHECK_EQ(csum_fold(csum_add(0, big, len)), ref_csum(big, len));
	CHECK_EQ(csum_fold(csum_add(0, big, 41)), ref_csum(big, 41));
	{
		struct vaddr s4 = A("198.18.1.1"), d4 = A("224.0.0.18");

		/* c612 + 0101 + e000 + 0012 + 0070 + 000c */
		CHECK_EQ(csum_fold(csum_pseudo(&s4, &d4, 112, 12)),
			 0xffff & ~(0xc612 + 0x0101 + 0xe000 + 0x0012 + 0x0070 + 0x000c - 0xffff));
	}
	{
		/* RFC 8200 8.1: the IPv6 upper-layer length is 32 bits. */
		struct vaddr z = A("::");

		CHECK_EQ(csum_fold(csum_pseudo(&z, &z, 0, 0x12345)), 0xffff & ~(0x0001 + 0x2345));
	}
}

static void test_drop_names(void)
{
	static const char *const want[DROP__COUNT] = {
		"none", "length", "ttl", "version", "type", "checksum", "vrid",
		"auth_type", "auth", "interval", "addr_list", "source", "proto",
	};

	for (int d = 0; d < DROP__COUNT; d++)
		CHECK_STR(vrrp_drop_name((enum vrrp_drop)d), want[d]);
	CHECK_STR(vrrp_drop_name(DROP__COUNT), "unknown");
	CHECK_STR(vrrp_drop_name((enum vrrp_drop)200), "unknown");
}

int main(void)
{
	test_captures();
	test_announce();
	test_pcap_byte_order();
	test_v3_ip4_checksums();
	test_count_255();
	test_intervals_and_counts();
	test_v2_ip6();
	test_csum();
	test_drop_names();
	return t_done("test_pkt");
}
