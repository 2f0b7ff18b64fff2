/* SPDX-License-Identifier: MIT */
/* rtnetlink through libmnl: link facts, interface addresses, VIP add/delete,
 * and the event stream (links and addresses changing behind our back).
 * Requests carry NLM_F_ACK and are matched by sequence number; rtnetlink
 * answers them synchronously, so a request costs one sendmsg + one recv. */
#ifndef TINYVRRP_NL_H
#define TINYVRRP_NL_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"

struct nl_link {
	int ifindex;
	char name[16];
	uint8_t mac[6];
	bool up;			/* IFF_UP */
	bool running;			/* IFF_RUNNING: carrier */
	bool forwarding;		/* unused by nl.c; filled by callers if needed */
};

struct nl_addr {
	int ifindex;
	struct vaddr addr;
	uint8_t plen;
	uint8_t scope;			/* RT_SCOPE_* */
	bool has_brd;
	struct vaddr brd;
	const char *label;		/* IPv4 only; NULL or "" = none */
	bool nodad;			/* IPv6: IFA_F_NODAD */
	bool deprecated;		/* IPv6: preferred lifetime 0 */
};

/* Open the request socket and the event socket (link, IPv4 and IPv6 address
 * groups). Returns 0 or -1 with errno. */
int nl_open(void);
void nl_close(void);
/* The event socket, for poll(). */
int nl_event_fd(void);

/* Link by name. Returns 0, or -1 with errno (ENODEV: no such link). */
int nl_link_get(const char *ifname, struct nl_link *out);
/* Link by index. */
int nl_link_get_index(int ifindex, struct nl_link *out);

/* The address a VRRP router sends from on ifindex: the primary (first,
 * non-secondary) IPv4 address, or the IPv6 link-local address.
 * Returns 0, or -1 with errno EADDRNOTAVAIL when there is none. */
int nl_addr_primary(int ifindex, uint8_t fam, struct vaddr *out);
/* Is this exact address configured on ifindex (0: on any link), and for
 * IPv6 past DAD? 1 yes, 0 no, -1 error. */
int nl_addr_present(int ifindex, const struct vaddr *a);

/* Add / delete an address. Adding one that exists, or deleting one that is
 * gone, is success. Returns 0 or -1 with errno. */
int nl_addr_add(const struct nl_addr *a);
int nl_addr_del(const struct nl_addr *a);

struct nl_event {
	enum { NL_EV_LINK, NL_EV_LINK_DEL, NL_EV_ADDR_ADD, NL_EV_ADDR_DEL } type;
	struct nl_link link;		/* NL_EV_LINK*: ifindex, name, flags, mac */
	int ifindex;			/* NL_EV_ADDR_* */
	struct vaddr addr;
	uint8_t plen;
};
typedef void (*nl_event_cb)(void *ctx, const struct nl_event *ev);
/* Drain the event socket without blocking, calling cb for each event.
 * Returns 0, or -1 with errno; ENOBUFS means events were lost (resync). */
int nl_event_read(nl_event_cb cb, void *ctx);

#endif
