/* SPDX-License-Identifier: MIT */
/* Gratuitous ARP and unsolicited Neighbour Advertisements, sent as whole
 * Ethernet frames through one packet socket. */
#ifndef TINYVRRP_ANNOUNCE_H
#define TINYVRRP_ANNOUNCE_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"

int announce_open(void);
void announce_close(void);
/* One GARP (IPv4) or unsolicited NA (IPv6) for vip out of ifindex with the
 * interface's mac. Returns 0 or -1 with errno. */
int announce_send(int ifindex, const uint8_t mac[6], const struct vaddr *vip, bool router);
/* IPv6 forwarding on ifname (the NA's Router flag). */
bool announce_is_router(const char *ifname);

#endif
