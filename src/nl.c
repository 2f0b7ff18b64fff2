/* SPDX-License-Identifier: MIT */
/* rtnetlink through libmnl: links and addresses, read and changed.
 *
 * The request socket joins no group, so all it reads are answers to us; each
 * request carries NLM_F_ACK and a fresh sequence number, and we read until
 * that sequence's ACK, error or DONE, skipping anything else (a late answer
 * to a request that timed out). The kernel answers inside sendmsg(), so the
 * wait is short; NL_TIMEOUT_MS bounds it anyway.
 * The event socket joins the link and address groups. Its buffer is not the
 * request buffer, so an event callback may make requests (re-read a link). */
#include "nl.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

/* linux/if.h clashes with net/if.h on some libcs; this is its value. */
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif
/* Older UAPI headers: the kernel ignores mask bits it does not know. */
#ifndef RTEXT_FILTER_SKIP_STATS
#define RTEXT_FILTER_SKIP_STATS (1 << 3)
#endif
#ifndef INFINITY_LIFE_TIME
#define INFINITY_LIFE_TIME 0xFFFFFFFFu
#endif

enum {
	NL_TIMEOUT_MS = 1000,		/* whole request, send to ACK */
	NL_RXBUF = 32768,		/* >= the kernel's largest dump skb */
	NL_TXBUF = 512,			/* our requests are a few attributes */
	NL_EV_RCVBUF = 1 << 20,		/* event bursts on link flaps */
	NL_EV_MAX_RECV = 256,		/* recv()s per nl_event_read call */
	NL_DUMP_TRIES = 3,		/* retries of an interrupted dump */
};

static struct mnl_socket *req_nl, *ev_nl;
static uint32_t req_seq;
static bool dump_intr;		/* the last dump saw its table change */
static _Alignas(struct nlmsghdr) char req_buf[NL_RXBUF];
static _Alignas(struct nlmsghdr) char ev_buf[NL_RXBUF];
static _Alignas(struct nlmsghdr) char tx_buf[NL_TXBUF];

static int fail(int e)
{
	errno = e;
	return -1;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Called for each data message of our request; returns 0 or -1 + errno. */
typedef int (*reply_cb)(const struct nlmsghdr *nlh, void *data);

/* Parse one buffer of replies to sequence seq. Returns 1 when the request is
 * finished (*err holds 0 or an errno), 0 when more is to come. */
static int reply_parse(const char *buf, size_t len, uint32_t seq,
		       reply_cb cb, void *data, int *err)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	int n = (int)len;

	for (; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
		if (nlh->nlmsg_seq != seq)
			continue;	/* stale answer to an earlier request */
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			dump_intr = true;
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

			if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e))
				*err = EBADMSG;
			else if (e->error < 0 && !*err)
				*err = -e->error;
			return 1;	/* ACK (error 0) or failure */
		}
		if (nlh->nlmsg_type == NLMSG_DONE) {
			/* A dump that failed in the kernel ends with DONE
			 * carrying the negative errno. */
			int e = 0;

			if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(e))
				memcpy(&e, mnl_nlmsg_get_payload(nlh), sizeof(e));
			if (e < 0 && !*err)
				*err = -e;
			return 1;
		}
		if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
			continue;	/* NOOP, OVERRUN */
		/* Keep reading to the end after a callback error so the
		 * next request does not meet the rest of this answer. */
		if (cb && !*err && cb(nlh, data) < 0)
			*err = errno ? errno : EINVAL;
	}
	return 0;
}

/* Send nlh (NLM_F_ACK added, fresh sequence) and read until it is answered.
 * Returns 0, or -1 with errno: the kernel's error, the callback's, or
 * ETIMEDOUT when no answer came within NL_TIMEOUT_MS. */
static int nl_talk(struct nlmsghdr *nlh, reply_cb cb, void *data)
{
	int64_t deadline;
	uint32_t seq;
	int err = 0;

	dump_intr = false;
	if (!req_nl)
		return fail(EBADF);
	seq = ++req_seq;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(req_nl, nlh, nlh->nlmsg_len) < 0)
		return -1;

	deadline = now_ms() + NL_TIMEOUT_MS;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(req_nl, req_buf, sizeof(req_buf));

		if (n < 0) {
			struct pollfd pfd = { .fd = mnl_socket_get_fd(req_nl), .events = POLLIN };
			int64_t left = deadline - now_ms();

			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				return -1;
			if (left <= 0)
				return fail(ETIMEDOUT);
			if (poll(&pfd, 1, (int)left) < 0 && errno != EINTR)
				return -1;
			continue;
		}
		if (reply_parse(req_buf, (size_t)n, seq, cb, data, &err))
			break;
		if (now_ms() > deadline)	/* data, but never our end */
			return fail(ETIMEDOUT);
	}
	if (err)
		return fail(err);
	return 0;
}

/* ---- links ---- */

struct link_attrs {
	const struct nlattr *name, *mac;
};

static int link_attr_cb(const struct nlattr *attr, void *data)
{
	struct link_attrs *la = data;

	if (mnl_attr_type_valid(attr, IFLA_MAX) < 0)
		return MNL_CB_OK;	/* newer kernel: skip */
	switch (mnl_attr_get_type(attr)) {
	case IFLA_IFNAME:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0 &&
		    mnl_attr_get_payload_len(attr) <= IFNAMSIZ)
			la->name = attr;
		break;
	case IFLA_ADDRESS:
		if (mnl_attr_validate2(attr, MNL_TYPE_BINARY, 6) == 0)
			la->mac = attr;
		break;
	}
	return MNL_CB_OK;
}

/* RTM_NEWLINK / RTM_DELLINK into *out. Returns 0, or -1 (EBADMSG) when the
 * message is not a plain (AF_UNSPEC) link message. */
static int link_parse(const struct nlmsghdr *nlh, struct nl_link *out)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct link_attrs la = { 0 };

	/* AF_BRIDGE messages describe bridge ports, not the link itself. */
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi) || ifi->ifi_family != AF_UNSPEC ||
	    mnl_attr_parse(nlh, sizeof(*ifi), link_attr_cb, &la) < 0)
		return fail(EBADMSG);
	memset(out, 0, sizeof(*out));
	out->ifindex = ifi->ifi_index;
	out->up = (ifi->ifi_flags & IFF_UP) != 0;
	out->running = (ifi->ifi_flags & (IFF_RUNNING | IFF_LOWER_UP)) != 0;
	if (la.name)
		memcpy(out->name, mnl_attr_get_str(la.name), mnl_attr_get_payload_len(la.name));
	if (la.mac && ifi->ifi_type == ARPHRD_ETHER)
		memcpy(out->mac, mnl_attr_get_payload(la.mac), 6);
	return 0;
}

static int link_reply_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_link *out = data;

	if (nlh->nlmsg_type != RTM_NEWLINK || out->ifindex)
		return 0;
	return link_parse(nlh, out);
}

static int link_get(const char *ifname, int ifindex, struct nl_link *out)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(tx_buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	if (ifname)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	/* Counters make the answer several times larger; we need none. */
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	out->ifindex = 0;
	if (nl_talk(nlh, link_reply_cb, out) < 0)
		return -1;
	if (!out->ifindex)
		return fail(ENODEV);
	return 0;
}

int nl_link_get(const char *ifname, struct nl_link *out)
{
	if (!ifname || !*ifname || strlen(ifname) >= IFNAMSIZ)
		return fail(ENODEV);		/* no link can have that name */
	return link_get(ifname, 0, out);
}

int nl_link_get_index(int ifindex, struct nl_link *out)
{
	if (ifindex <= 0)
		return fail(ENODEV);
	return link_get(NULL, ifindex, out);
}

/* ---- addresses ---- */

struct addr_attrs {
	size_t alen;
	const struct nlattr *local, *address, *flags;
};

static int addr_attr_cb(const struct nlattr *attr, void *data)
{
	struct addr_attrs *aa = data;

	if (mnl_attr_type_valid(attr, IFA_MAX) < 0)
		return MNL_CB_OK;
	switch (mnl_attr_get_type(attr)) {
	case IFA_LOCAL:
	case IFA_ADDRESS:
		if (mnl_attr_validate2(attr, MNL_TYPE_BINARY, aa->alen) == 0)
			*(mnl_attr_get_type(attr) == IFA_LOCAL ? &aa->local : &aa->address) = attr;
		break;
	case IFA_FLAGS:
		if (mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
			aa->flags = attr;
		break;
	}
	return MNL_CB_OK;
}

/* RTM_NEWADDR / RTM_DELADDR into out's ifindex, addr (IFA_LOCAL, else
 * IFA_ADDRESS) and plen, and *flags. Returns 0, or -1 (EBADMSG) for a
 * malformed message or a family we do not handle. */
static int addr_parse_msg(const struct nlmsghdr *nlh, struct nl_event *out, uint32_t *flags)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct addr_attrs aa = { 0 };
	const struct nlattr *which;
	uint8_t fam;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifa))
		return fail(EBADMSG);
	fam = ifa->ifa_family == AF_INET ? FAM_V4 : ifa->ifa_family == AF_INET6 ? FAM_V6 : FAM_NONE;
	aa.alen = addr_len(fam);
	if (!aa.alen || mnl_attr_parse(nlh, sizeof(*ifa), addr_attr_cb, &aa) < 0)
		return fail(EBADMSG);
	/* IFA_LOCAL is our end of a point-to-point address; IPv6 usually
	 * sends only IFA_ADDRESS. */
	which = aa.local ? aa.local : aa.address;
	if (!which)
		return fail(EBADMSG);
	out->ifindex = (int)ifa->ifa_index;
	out->plen = ifa->ifa_prefixlen;
	/* IFA_FLAGS carries the flags that do not fit in 8 bits. */
	*flags = aa.flags ? mnl_attr_get_u32(aa.flags) : ifa->ifa_flags;
	addr_set(&out->addr, fam, mnl_attr_get_payload(which));
	return 0;
}

/* Walks a dump of one family's addresses on one link. */
struct addr_walk {
	int ifindex;
	uint8_t fam;
	const struct vaddr *want;	/* nl_addr_present */
	struct vaddr *primary;		/* nl_addr_primary */
	bool found;
};

static int addr_walk_cb(const struct nlmsghdr *nlh, void *data)
{
	struct addr_walk *w = data;
	struct nl_event ia;
	uint32_t flags;

	if (w->found || nlh->nlmsg_type != RTM_NEWADDR)
		return 0;
	if (addr_parse_msg(nlh, &ia, &flags) < 0)
		return 0;		/* not ours to judge: skip */
	/* Kernels before 5.0 (or without strict checking) ignore the
	 * ifindex filter of a dump. */
	if ((w->ifindex && ia.ifindex != w->ifindex) || ia.addr.fam != w->fam)
		return 0;
	/* An IPv6 address still in (or failed) DAD cannot be a source. */
	if (w->fam == FAM_V6 && (flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED)))
		return 0;
	if (w->want) {
		w->found = addr_eq(&ia.addr, w->want);
		return 0;
	}
	/* RFC 5798 5.1.1.1: IPv4 adverts come from the primary address. */
	if (w->fam == FAM_V4 && (flags & IFA_F_SECONDARY))
		return 0;
	/* RFC 5798 5.1.2.1: IPv6 adverts come from the link-local address. */
	if (w->fam == FAM_V6 && !addr_is_v6_linklocal(&ia.addr))
		return 0;
	*w->primary = ia.addr;
	w->found = true;
	return 0;
}

static int addr_dump(struct addr_walk *w)
{
	int tries;

	if (w->fam != FAM_V4 && w->fam != FAM_V6)
		return fail(EAFNOSUPPORT);
	/* A dump that met a change of the table may have missed entries:
	 * ask again; if it keeps changing, the last view is the best. */
	for (tries = 0; tries < NL_DUMP_TRIES; tries++) {
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(tx_buf);
		struct ifaddrmsg *ifa;

		nlh->nlmsg_type = RTM_GETADDR;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
		ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
		ifa->ifa_family = w->fam == FAM_V4 ? AF_INET : AF_INET6;
		ifa->ifa_index = (uint32_t)w->ifindex;
		w->found = false;
		if (nl_talk(nlh, addr_walk_cb, w) < 0)
			return -1;
		if (!dump_intr)
			break;
	}
	return 0;
}

int nl_addr_primary(int ifindex, uint8_t fam, struct vaddr *out)
{
	struct addr_walk w = { .ifindex = ifindex, .fam = fam, .primary = out };

	if (addr_dump(&w) < 0)
		return -1;
	if (!w.found)
		return fail(EADDRNOTAVAIL);
	return 0;
}

int nl_addr_present(int ifindex, const struct vaddr *a)
{
	struct addr_walk w = { .ifindex = ifindex, .fam = a->fam, .want = a };

	if (addr_dump(&w) < 0)
		return -1;
	return w.found ? 1 : 0;
}

/* RTM_NEWADDR or RTM_DELADDR for *a, shaped as iproute2 shapes them. */
static int addr_change(uint16_t type, uint16_t flags, const struct nl_addr *a)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(tx_buf);
	struct ifaddrmsg *ifa;
	size_t alen = addr_len(a->addr.fam);
	bool v4 = a->addr.fam == FAM_V4;
	bool add = type == RTM_NEWADDR;

	if (!alen || a->plen > alen * 8)
		return fail(EINVAL);
	if (add && v4 && a->label && strlen(a->label) >= IFNAMSIZ)
		return fail(EINVAL);		/* the kernel keeps IFNAMSIZ - 1 */
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = v4 ? AF_INET : AF_INET6;
	ifa->ifa_prefixlen = a->plen;
	ifa->ifa_scope = a->scope;
	ifa->ifa_index = (uint32_t)a->ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, alen, a->addr.b);
	/* IPv4 deletes match IFA_ADDRESS with the prefix length, so the
	 * same local address with another prefix is left alone. */
	if (v4)
		mnl_attr_put(nlh, IFA_ADDRESS, alen, a->addr.b);
	if (add) {
		uint32_t ifa_flags = 0;

		if (v4 && a->has_brd && a->brd.fam == FAM_V4)
			mnl_attr_put(nlh, IFA_BROADCAST, 4, a->brd.b);
		if (v4 && a->label && *a->label)
			mnl_attr_put_strz(nlh, IFA_LABEL, a->label);
		if (!v4 && a->nodad)
			ifa_flags |= IFA_F_NODAD;
		if (a->deprecated) {
			/* Preferred lifetime 0: never chosen as a source,
			 * still answered (keepalived's "preferred_lft 0"). */
			struct ifa_cacheinfo ci = {
				.ifa_prefered = 0, .ifa_valid = INFINITY_LIFE_TIME,
			};

			mnl_attr_put(nlh, IFA_CACHEINFO, sizeof(ci), &ci);
		}
		ifa->ifa_flags = (uint8_t)ifa_flags;
		/* Kernels since 3.14 read the flags from IFA_FLAGS when
		 * present; older ones ignore it and use ifa_flags. */
		if (ifa_flags)
			mnl_attr_put_u32(nlh, IFA_FLAGS, ifa_flags);
	}
	return nl_talk(nlh, NULL, NULL);
}

int nl_addr_add(const struct nl_addr *a)
{
	if (addr_change(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, a) == 0)
		return 0;
	return errno == EEXIST ? 0 : -1;
}

int nl_addr_del(const struct nl_addr *a)
{
	if (addr_change(RTM_DELADDR, 0, a) == 0)
		return 0;
	/* Gone already, or its link is: either way it is not there. */
	if (errno == EADDRNOTAVAIL || errno == ENOENT || errno == ENODEV)
		return 0;
	return -1;
}

/* ---- events ---- */

static void ev_dispatch(const struct nlmsghdr *nlh, nl_event_cb cb, void *ctx)
{
	struct nl_event ev;
	uint32_t flags;

	memset(&ev, 0, sizeof(ev));
	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		if (link_parse(nlh, &ev.link) < 0)
			return;
		ev.type = nlh->nlmsg_type == RTM_NEWLINK ? NL_EV_LINK : NL_EV_LINK_DEL;
		ev.ifindex = ev.link.ifindex;
		break;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		if (addr_parse_msg(nlh, &ev, &flags) < 0)
			return;
		ev.type = nlh->nlmsg_type == RTM_NEWADDR ? NL_EV_ADDR_ADD : NL_EV_ADDR_DEL;
		break;
	default:
		return;
	}
	cb(ctx, &ev);
}

int nl_event_read(nl_event_cb cb, void *ctx)
{
	bool lost = false;
	int i;

	if (!ev_nl)
		return fail(EBADF);
	/* Bounded: if events keep coming, the fd stays readable and the
	 * poll loop calls again. */
	for (i = 0; i < NL_EV_MAX_RECV; i++) {
		ssize_t n = mnl_socket_recvfrom(ev_nl, ev_buf, sizeof(ev_buf));
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)ev_buf;
		int len;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			/* ENOBUFS: the kernel dropped events; ENOSPC
			 * (MSG_TRUNC): we cut one. Our view is stale. */
			if (errno == ENOBUFS || errno == ENOSPC) {
				lost = true;
				continue;
			}
			return -1;
		}
		len = (int)n;
		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len))
			ev_dispatch(nlh, cb, ctx);
	}
	if (lost)
		return fail(ENOBUFS);
	return 0;
}

/* ---- sockets ---- */

static struct mnl_socket *nl_sock(void)
{
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (!nl)
		return NULL;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(nl);	/* close() keeps errno on success */
		return NULL;
	}
	return nl;
}

int nl_open(void)
{
	static const unsigned int groups[] = {
		RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR,
	};
	int one = 1, rcv = NL_EV_RCVBUF, e;
	size_t i;

	if (req_nl)
		return 0;
	req_nl = nl_sock();
	if (!req_nl)
		return -1;
	/* Kernels since 4.20 then filter dumps by ifindex themselves; older
	 * ones refuse the option, and addr_walk_cb filters anyway. */
	(void)mnl_socket_setsockopt(req_nl, NETLINK_GET_STRICT_CHK, &one, sizeof(one));

	ev_nl = nl_sock();
	if (!ev_nl)
		goto err;
	/* A link flap with many VIPs is a burst of events: give the kernel
	 * room, past rmem_max when we may (CAP_NET_ADMIN). */
	if (setsockopt(mnl_socket_get_fd(ev_nl), SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)) < 0)
		(void)setsockopt(mnl_socket_get_fd(ev_nl), SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		int g = (int)groups[i];

		if (g == RTNLGRP_IPV6_IFADDR && !CONFIG_IPV6)
			continue;
		if (mnl_socket_setsockopt(ev_nl, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g)) < 0)
			goto err;
	}
	return 0;
err:
	e = errno;
	nl_close();
	errno = e;
	return -1;
}

void nl_close(void)
{
	if (req_nl)
		mnl_socket_close(req_nl);
	if (ev_nl)
		mnl_socket_close(ev_nl);
	req_nl = ev_nl = NULL;
}

int nl_event_fd(void)
{
	return ev_nl ? mnl_socket_get_fd(ev_nl) : -1;
}
