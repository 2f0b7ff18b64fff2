# SPDX-License-Identifier: MIT
"""Event probe of `make bench`: runs inside one network namespace and prints
one line per event, flushed at once, so the bench can wait on events and
compare their times.

    <epoch-ns> ready
    <epoch-ns> vrrp <dir> <src> <vrid> <prio> <version>    dir: in | out
    <epoch-ns> garp <dir> <ip>                             sender == target
    <epoch-ns> na <dir> <ip>                               unsolicited NA
    <epoch-ns> addr <add|del> <ip>/<plen> <ifindex>

Every time is CLOCK_REALTIME in nanoseconds: packets carry the kernel's
receive/transmit stamp (SO_TIMESTAMPNS, the clock pcap files use), address
events the time the netlink message was read.  The bench stamps its own
actions (exec, kill) with time.time_ns(), the same clock.

Usage: probe.py [--if IFNAME] [--no-packets] [--no-addr]; ends on SIGTERM.
"""
import select
import signal
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
SO_TIMESTAMPNS = 35
PACKET_OUTGOING = 4
RTMGRP_IPV4_IFADDR = 0x10
RTMGRP_IPV6_IFADDR = 0x100
RTM_NEWADDR, RTM_DELADDR = 20, 21
IFA_ADDRESS, IFA_LOCAL = 1, 2


def out(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def packet_socket(ifname):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind((ifname, 0))
    return s


def netlink_socket():
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind((0, RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR))
    return s


def parse_frame(buf):
    """(kind, fields) of an interesting Ethernet frame, or None."""
    if len(buf) < 14:
        return None
    etype = struct.unpack_from("!H", buf, 12)[0]
    p = 14
    if etype == 0x8100 and len(buf) >= 18:
        etype = struct.unpack_from("!H", buf, 16)[0]
        p = 18
    if etype == 0x0800 and len(buf) >= p + 20:
        ihl = (buf[p] & 0x0F) * 4
        if buf[p + 9] != 112 or len(buf) < p + ihl + 4:
            return None
        src = socket.inet_ntop(socket.AF_INET, buf[p + 12:p + 16])
        v = p + ihl
        return "vrrp", "%s %d %d %d" % (src, buf[v + 1], buf[v + 2], buf[v] >> 4)
    if etype == 0x86DD and len(buf) >= p + 40:
        nxt = buf[p + 6]
        src = socket.inet_ntop(socket.AF_INET6, buf[p + 8:p + 24])
        v = p + 40
        if nxt == 112 and len(buf) >= v + 4:
            return "vrrp", "%s %d %d %d" % (src, buf[v + 1], buf[v + 2], buf[v] >> 4)
        # ICMPv6 neighbour advertisement (type 136) without Solicited flag.
        if nxt == 58 and len(buf) >= v + 24 and buf[v] == 136 and not buf[v + 4] & 0x40:
            return "na", socket.inet_ntop(socket.AF_INET6, buf[v + 8:v + 24])
        return None
    if etype == 0x0806 and len(buf) >= p + 28:
        spa = buf[p + 14:p + 18]
        tpa = buf[p + 24:p + 28]
        if spa == tpa:
            return "garp", socket.inet_ntop(socket.AF_INET, spa)
    return None


def on_packet(s):
    buf, anc, _flags, addr = s.recvmsg(2048, socket.CMSG_SPACE(16))
    ts = None
    for level, typ, data in anc:
        if level == socket.SOL_SOCKET and typ == SO_TIMESTAMPNS and len(data) >= 16:
            sec, nsec = struct.unpack("qq", data[:16])
            ts = sec * 1000000000 + nsec
    if ts is None:
        ts = time.time_ns()
    ev = parse_frame(buf)
    if ev:
        direction = "out" if addr[2] == PACKET_OUTGOING else "in"
        out("%d %s %s %s" % (ts, ev[0], direction, ev[1]))


def on_netlink(s):
    data = s.recv(1 << 20)
    ts = time.time_ns()
    p = 0
    while p + 16 <= len(data):
        length, typ = struct.unpack_from("=IH", data, p)
        if length < 16 or p + length > len(data):
            break
        if typ in (RTM_NEWADDR, RTM_DELADDR) and length >= 24:
            fam, plen, _fl, _sc, idx = struct.unpack_from("=BBBBI", data, p + 16)
            addrs = {}
            a = p + 24
            while a + 4 <= p + length:
                alen, atyp = struct.unpack_from("=HH", data, a)
                if alen < 4:
                    break
                addrs[atyp] = data[a + 4:a + alen]
                a += (alen + 3) & ~3
            raw = addrs.get(IFA_LOCAL) or addrs.get(IFA_ADDRESS)
            if raw and fam in (socket.AF_INET, socket.AF_INET6):
                ip = socket.inet_ntop(fam, raw)
                what = "add" if typ == RTM_NEWADDR else "del"
                out("%d addr %s %s/%d %d" % (ts, what, ip, plen, idx))
        p += (length + 3) & ~3


def main(argv):
    ifname = "eth0"
    want_pkt = want_addr = True
    i = 0
    while i < len(argv):
        if argv[i] == "--if":
            ifname = argv[i + 1]
            i += 1
        elif argv[i] == "--no-packets":
            want_pkt = False
        elif argv[i] == "--no-addr":
            want_addr = False
        else:
            sys.exit("probe: unknown argument %s" % argv[i])
        i += 1
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    handlers = {}
    if want_pkt:
        s = packet_socket(ifname)
        handlers[s.fileno()] = (s, on_packet)
    if want_addr:
        s = netlink_socket()
        handlers[s.fileno()] = (s, on_netlink)
    poller = select.poll()
    for fd in handlers:
        poller.register(fd, select.POLLIN)
    out("%d ready" % time.time_ns())
    try:
        while True:
            for fd, _ev in poller.poll():
                sock, fn = handlers[fd]
                fn(sock)
    except (KeyboardInterrupt, BrokenPipeError):
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
