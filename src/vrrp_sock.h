/* SPDX-License-Identifier: MIT */
/* Raw VRRP sockets: one per (interface, family, protocol), joined to the
 * group, used both to receive and to send. IPv4 carries our own header
 * (IP_HDRINCL, as keepalived); IPv6 gets its header from the kernel, hop
 * limit 255. Protocol 112, or 51 for keepalived's IPsec AH (IPv4 only). */
#ifndef TINYVRRP_VRRP_SOCK_H
#define TINYVRRP_VRRP_SOCK_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "loop.h"
#include "vrrp_pkt.h"

struct vsock {
	struct loop_fd lfd;
	uint8_t fam;
	uint8_t proto;			/* VRRP_PROTO, or 51 (IPsec AH) */
	int ifindex;
	struct vaddr group;
};

/* Open, bind to the interface and join group. Returns 0 or -1 with errno. */
int vsock_open(struct vsock *s, uint8_t fam, int ifindex, const char *ifname,
	       const struct vaddr *group);
/* The same for another IP protocol (51: IPsec AH, IPv4). */
int vsock_open_proto(struct vsock *s, uint8_t fam, uint8_t proto, int ifindex,
		     const char *ifname, const struct vaddr *group);
void vsock_close(struct vsock *s);

/* Read one datagram. Returns 1 with ip filled (ip->payload points into buf)
 * and *drop set (DROP_NONE when the IP layer was fine), 0 when there is
 * nothing more to read, -1 on error (errno). */
int vsock_recv(struct vsock *s, uint8_t *buf, size_t cap, struct vrrp_ip *ip,
	       enum vrrp_drop *drop);

/* Send a VRRP message. IPv4: msg is preceded in its buffer by IP4_HDR_LEN
 * bytes of room that this call fills (so pass msg = buf + IP4_HDR_LEN).
 * IPv6: src selects the source address (the link-local). Returns 0 or -1. */
int vsock_send(struct vsock *s, uint8_t *msg, size_t len, const struct vaddr *src,
	       const struct vaddr *dst);
/* Send a whole IPv4 datagram of len bytes, header included and left as it
 * is (IPsec AH covers the header, so the caller builds it). */
int vsock_send_ip4(struct vsock *s, const uint8_t *pkt, size_t len, const struct vaddr *dst);

#endif
