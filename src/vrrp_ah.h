/* SPDX-License-Identifier: MIT */
/* keepalived's IPsec AH authentication of VRRPv2 adverts (RFC 2338 5.3.6.3,
 * RFC 2402): a 24-byte AH header between the IPv4 header (protocol 51) and
 * the VRRP message, HMAC-MD5-96 keyed with the 8-byte padded auth_pass.
 * Interoperates with keepalived only. Pure: bytes in, bytes out over the
 * caller's buffer; the HMAC goes through mbedtls's generic md API.
 *
 * What keepalived 2.2.7 puts on the wire (checked against its packets,
 * tests/data/captures/ah-*.pcap):
 *   AH: next header 112, payload length 4, reserved 0, SPI = the IPv4
 *   source address, sequence number, 12-byte ICV.
 *   ICV = first 12 bytes of HMAC-MD5(key, IPv4 header with TOS, fragment
 *   field and header checksum zeroed and, when unicast peers are
 *   configured, TTL zeroed too | AH with the ICV zeroed | VRRP message).
 *   One sequence counter per instance, shared by sending and receiving:
 *   the first advert sent carries 1; an advert is accepted only if its
 *   sequence number is above the counter, which it then becomes. */
#ifndef TINYVRRP_VRRP_AH_H
#define TINYVRRP_VRRP_AH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vrrp_pkt.h"

#define AH_PROTO 51
#define AH_LEN 24			/* RFC 2402 2: 12 fixed bytes + 96-bit ICV */
#define AH_ICV_LEN 12
#define AH_KEY_LEN VRRP_AUTH_LEN	/* auth_pass, zero padded */
/* keepalived stops counting here (vrrp_update_pkt): 2^32 - 3 adverts,
 * 136 years at the shortest VRRPv2 interval, so never in practice. */
#define AH_SEQ_MAX 0xfffffffeu

#if CONFIG_AUTH_AH
/* Prepare the HMAC context (allocates once). Idempotent. Returns 0, or -1
 * when this mbedtls has no MD5. */
int ah_open(void);
void ah_close(void);

/* pkt is an IPv4 datagram of len bytes being built: a 20-byte header
 * already filled in (protocol 51, total length len), AH_LEN bytes of room,
 * then the VRRP message. Fills the AH header (SPI from the header's source
 * address) and its ICV. unicast: the TTL is left out of the ICV, as
 * keepalived does for instances with unicast peers. Returns 0, or -1 if
 * len is too short or ah_open() has not succeeded. */
int ah_encode(uint8_t *pkt, size_t len, uint32_t seq, const uint8_t key[AH_KEY_LEN],
	      bool unicast);

/* pkt is a received IPv4 datagram, header included, len = its total length
 * (no Ethernet padding). Checks that an AH for VRRP follows the header
 * (else DROP_PROTO: some other IPsec traffic), the ICV (DROP_AUTH) and that
 * the SPI is the source address (DROP_AUTH). The sequence number is
 * returned in *seq and not judged here: see ah_seq_accept(). */
enum vrrp_drop ah_verify(const uint8_t *pkt, size_t len, const uint8_t key[AH_KEY_LEN],
			 bool unicast, uint32_t *seq);
#else
/* Built without CONFIG_AUTH_AH: the config parser refuses 'auth_type AH',
 * so these are never reached; they fail if they are. */
static inline int ah_open(void)
{
	return -1;
}

static inline void ah_close(void)
{
}

static inline int ah_encode(uint8_t *pkt, size_t len, uint32_t seq,
			    const uint8_t key[AH_KEY_LEN], bool unicast)
{
	return -1;
}

static inline enum vrrp_drop ah_verify(const uint8_t *pkt, size_t len,
				       const uint8_t key[AH_KEY_LEN], bool unicast,
				       uint32_t *seq)
{
	*seq = 0;
	return DROP_AUTH;
}
#endif

/* Anti-replay (RFC 2402 3.4.3, keepalived's single window): accept seq
 * only above *last, which then becomes seq. */
static inline bool ah_seq_accept(uint32_t *last, uint32_t seq)
{
	if (seq <= *last)
		return false;
	*last = seq;
	return true;
}

/* The sequence number of the next advert sent; it becomes *last. */
static inline uint32_t ah_seq_next(uint32_t *last)
{
	if (*last < AH_SEQ_MAX)
		++*last;
	return *last;
}

/* keepalived: a master hearing a lower-priority advert (whose sequence
 * number it has just accepted) continues from that number + 1, so that its
 * next advert is above what the other router has seen. */
static inline void ah_seq_adopt(uint32_t *last, uint32_t seq)
{
	uint32_t s = seq < AH_SEQ_MAX ? seq + 1 : AH_SEQ_MAX;

	if (s > *last)
		*last = s;
}

#endif
