/* SPDX-License-Identifier: MIT */
/* Raw sockets for VRRP (IP protocol 112, or 51 for IPsec AH). */
#include "vrrp_sock.h"

#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Not in every libc's headers yet (Linux 2.6.31 / 4.20). */
#ifndef IP_MULTICAST_ALL
#define IP_MULTICAST_ALL 49
#endif
#ifndef IPV6_MULTICAST_ALL
#define IPV6_MULTICAST_ALL 29
#endif

#define VSOCK_RCVBUF (1 << 20)

static int setopt(int fd, int level, int name, int val)
{
	return setsockopt(fd, level, name, &val, sizeof(val));
}

static int open4(int fd, int ifindex, const struct vaddr *group)
{
	struct ip_mreqn mr = { .imr_ifindex = ifindex };

	memcpy(&mr.imr_multiaddr, group->b, 4);
	if (setopt(fd, IPPROTO_IP, IP_HDRINCL, 1) < 0 ||
	    setopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0)
		return -1;
	/* Only our group, not every group some other socket joined. */
	setopt(fd, IPPROTO_IP, IP_MULTICAST_ALL, 0);
	return 0;
}

static int open6(int fd, int ifindex, const struct vaddr *group)
{
	struct ipv6_mreq mr = { .ipv6mr_interface = (unsigned)ifindex };

	memcpy(&mr.ipv6mr_multiaddr, group->b, 16);
	/* RFC 5798 5.1.2.3: hop limit 255, unicast as well (keepalived sends 64). */
	if (setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, VRRP_TTL) < 0 ||
	    setopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, VRRP_TTL) < 0 ||
	    setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0) < 0 ||
	    setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, ifindex) < 0 ||
	    setopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1) < 0 ||
	    setopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0)
		return -1;
	setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_ALL, 0);
	return 0;
}

int vsock_open_proto(struct vsock *s, uint8_t fam, uint8_t proto, int ifindex,
		     const char *ifname, const struct vaddr *group)
{
	int af = fam == FAM_V6 ? AF_INET6 : AF_INET;
	int fd = socket(af, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);

	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname) + 1) < 0 ||
	    (fam == FAM_V6 ? open6(fd, ifindex, group) : open4(fd, ifindex, group)) < 0) {
		int err = errno;

		close(fd);
		errno = err;
		return -1;
	}
	/* A flood of forged adverts must not push the master's real ones out
	 * of the queue while the loop is briefly off the CPU: the default
	 * (~200 KB) holds some 20 ms of 10,000 small packets per second, 1 MiB
	 * about 100 ms. Beyond rmem_max as root; best effort otherwise. */
	if (setopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, VSOCK_RCVBUF) < 0)
		(void)setopt(fd, SOL_SOCKET, SO_RCVBUF, VSOCK_RCVBUF);
	s->lfd.fd = fd;
	s->lfd.events = POLLIN;
	s->lfd.slot = -1;
	s->fam = fam;
	s->proto = proto;
	s->ifindex = ifindex;
	s->group = *group;
	return 0;
}

int vsock_open(struct vsock *s, uint8_t fam, int ifindex, const char *ifname,
	       const struct vaddr *group)
{
	return vsock_open_proto(s, fam, VRRP_PROTO, ifindex, ifname, group);
}

void vsock_close(struct vsock *s)
{
	if (s->lfd.fd < 0)
		return;
	loop_fd_del(&s->lfd);
	close(s->lfd.fd);
	s->lfd.fd = -1;
}

static int recv4(struct vsock *s, uint8_t *buf, size_t cap, struct vrrp_ip *ip, enum vrrp_drop *drop)
{
	ssize_t n = recv(s->lfd.fd, buf, cap, 0);

	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	*drop = vrrp_ip4_decode(buf, (size_t)n, ip);
	return 1;
}

static int recv6(struct vsock *s, uint8_t *buf, size_t cap, struct vrrp_ip *ip, enum vrrp_drop *drop)
{
	struct sockaddr_in6 from;
	union {
		char b[CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = buf, .iov_len = cap };
	struct msghdr mh = {
		.msg_name = &from, .msg_namelen = sizeof(from),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.b, .msg_controllen = sizeof(ctl.b),
	};
	ssize_t n = recvmsg(s->lfd.fd, &mh, 0);

	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	memset(ip, 0, sizeof(*ip));
	addr_set(&ip->src, FAM_V6, &from.sin6_addr);
	ip->proto = VRRP_PROTO;
	ip->payload = buf;
	ip->len = (size_t)n;
	*drop = DROP_NONE;
	bool have_hl = false, have_dst = false;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != IPPROTO_IPV6)
			continue;
		if (c->cmsg_type == IPV6_HOPLIMIT && c->cmsg_len >= CMSG_LEN(sizeof(int))) {
			int hl;

			memcpy(&hl, CMSG_DATA(c), sizeof(hl));
			ip->ttl = (uint8_t)hl;
			have_hl = true;
		} else if (c->cmsg_type == IPV6_PKTINFO &&
			   c->cmsg_len >= CMSG_LEN(sizeof(struct in6_pktinfo))) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			addr_set(&ip->dst, FAM_V6, &pi.ipi6_addr);
			have_dst = true;
		}
	}
	if (!have_hl || !have_dst || mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC))
		*drop = DROP_LENGTH;
	return 1;
}

int vsock_recv(struct vsock *s, uint8_t *buf, size_t cap, struct vrrp_ip *ip, enum vrrp_drop *drop)
{
	return s->fam == FAM_V6 ? recv6(s, buf, cap, ip, drop) : recv4(s, buf, cap, ip, drop);
}

int vsock_send_ip4(struct vsock *s, const uint8_t *pkt, size_t len, const struct vaddr *dst)
{
	struct sockaddr_in to = { .sin_family = AF_INET };

	memcpy(&to.sin_addr, dst->b, 4);
	return sendto(s->lfd.fd, pkt, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0 ? -1 : 0;
}

static int send4(struct vsock *s, uint8_t *msg, size_t len, const struct vaddr *src,
		 const struct vaddr *dst)
{
	static uint16_t ip_id;
	uint8_t *pkt = msg - IP4_HDR_LEN;

	ip4_encode_hdr(pkt, src, dst, VRRP_TTL, ++ip_id, VRRP_PROTO, len);
	return vsock_send_ip4(s, pkt, len + IP4_HDR_LEN, dst);
}

static int send6(struct vsock *s, uint8_t *msg, size_t len, const struct vaddr *src,
		 const struct vaddr *dst)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_scope_id = (uint32_t)s->ifindex };
	union {
		char b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = msg, .iov_len = len };
	struct msghdr mh = {
		.msg_name = &to, .msg_namelen = sizeof(to),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.b, .msg_controllen = sizeof(ctl.b),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	struct in6_pktinfo pi = { .ipi6_ifindex = (unsigned)s->ifindex };

	memset(ctl.b, 0, sizeof(ctl.b));
	memcpy(&to.sin6_addr, dst->b, 16);
	memcpy(&pi.ipi6_addr, src->b, 16);
	c->cmsg_level = IPPROTO_IPV6;
	c->cmsg_type = IPV6_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	return sendmsg(s->lfd.fd, &mh, 0) < 0 ? -1 : 0;
}

int vsock_send(struct vsock *s, uint8_t *msg, size_t len, const struct vaddr *src,
	       const struct vaddr *dst)
{
	return s->fam == FAM_V6 ? send6(s, msg, len, src, dst) : send4(s, msg, len, src, dst);
}
