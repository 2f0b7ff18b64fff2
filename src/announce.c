/* SPDX-License-Identifier: MIT */
/* The frames come from the codec (garp_encode, una_encode); this file only
 * owns the packet socket that puts them on the wire. */
#include "announce.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <arpa/inet.h>
#include <net/ethernet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vrrp_pkt.h"

static int pfd = -1;

int announce_open(void)
{
	/* Protocol 0: this socket sends only and never queues received frames. */
	pfd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	return pfd < 0 ? -1 : 0;
}

void announce_close(void)
{
	if (pfd >= 0)
		close(pfd);
	pfd = -1;
}

int announce_send(int ifindex, const uint8_t mac[6], const struct vaddr *vip, bool router)
{
	uint8_t frame[UNA_FRAME_LEN > GARP_FRAME_LEN ? UNA_FRAME_LEN : GARP_FRAME_LEN];
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_ifindex = ifindex, .sll_halen = 6 };
	size_t len;

	if (vip->fam == FAM_V6) {
		len = una_encode(frame, mac, vip, router);
		to.sll_protocol = htons(ETH_P_IPV6);
	} else {
		len = garp_encode(frame, mac, vip);
		to.sll_protocol = htons(ETH_P_ARP);
	}
	memcpy(to.sll_addr, frame, 6);	/* the frame's destination */
	return sendto(pfd, frame, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0 ? -1 : 0;
}

bool announce_is_router(const char *ifname)
{
	char path[96], c = '0';
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/forwarding", ifname);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (read(fd, &c, 1) != 1)
		c = '0';
	close(fd);
	return c == '1';
}
