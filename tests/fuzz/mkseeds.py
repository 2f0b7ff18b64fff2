#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Regenerate the seed corpora of the fuzz harnesses (run from anywhere):

  tests/fuzz/corpus/pkt/   from the keepalived captures in tests/data/captures,
                           in the three layouts fuzz_pkt.c reads (an IPv4
                           datagram; IPv6 src+dst+message; IPv4 src+dst+message),
                           plus hand-made edge cases;
  tests/fuzz/corpus/conf/  the configs of tests/conf/corpus and tests/conf/bad,
                           plus includes of the harness's sandbox files;
  tests/fuzz/conf.dict     the keywords the config reader knows (libFuzzer -dict).

Files already in the corpus directories that this script did not write (for
instance inputs that once crashed a harness) are left alone."""
import glob
import os
import re
import struct
import sys

from scapy.all import IP, IPv6, rdpcap  # Debian's python3-scapy

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def csum(data):
    """RFC 1071 Internet checksum."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def pseudo(src, dst, length):
    if len(src) == 16:
        return src + dst + struct.pack("!IxxxB", length, 112)
    return src + dst + struct.pack("!xBH", 112, length)


def advert(ver, vrid, prio, addrs, src, dst, intv=100, auth=b"", auth_type=0, use_pseudo=True):
    """A VRRP message with a correct checksum."""
    if ver == 2:
        hdr = struct.pack("!BBBBBBH", 0x21, vrid, prio, len(addrs), auth_type, intv // 100, 0)
    else:
        hdr = struct.pack("!BBBBHH", 0x31, vrid, prio, len(addrs), intv & 0xFFF, 0)
    msg = hdr + b"".join(addrs) + auth
    if len(src) == 16 or (ver == 3 and use_pseudo):
        c = csum(pseudo(src, dst, len(msg)) + msg)
    else:
        c = csum(msg)
    return msg[:6] + struct.pack("!H", c) + msg[8:]


def ip4(src, dst, payload, ttl=255, options=b"", frag=0):
    ihl = 5 + len(options) // 4
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0xC0, 20 + len(options) + len(payload),
                    1, frag, ttl, 112, 0, src, dst) + options
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload


def write(d, name, data, made):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)
    made.append(name)


def pkt_seeds():
    d = os.path.join(HERE, "corpus", "pkt")
    made = []
    for pcap in sorted(glob.glob(os.path.join(ROOT, "tests/data/captures/vrrp*.pcap"))):
        base = os.path.basename(pcap)[:-5]
        for i, p in enumerate(rdpcap(pcap)):
            if IP in p and p[IP].proto == 112:
                raw = bytes(p[IP])
                write(d, "%s-%d.ip4" % (base, i), raw, made)
                hl = (raw[0] & 15) * 4
                write(d, "%s-%d.msg4" % (base, i), raw[12:20] + raw[hl:p[IP].len], made)
            elif IPv6 in p and p[IPv6].nh == 112:
                v6 = p[IPv6]
                write(d, "%s-%d.msg6" % (base, i),
                      bytes(v6)[8:40] + bytes(v6.payload)[:v6.plen], made)

    a4 = [bytes([198, 51, 100, 1]), bytes([198, 51, 100, 2])]
    g4 = bytes([224, 0, 0, 18])
    s4 = bytes([198, 51, 100, 10])
    ll = bytes.fromhex("fe80000000000000000000fffe00010a")
    g6 = bytes.fromhex("ff020000000000000000000000000012")
    v6addr = [bytes.fromhex("20010db8000100000000000000000100") for _ in range(255)]
    pw = b"s3cret\0\0"
    edge = {
        # v2 with PASS auth, two addresses, behind IP options and padding.
        "v2-options-padded.ip4": ip4(s4, g4, advert(2, 51, 150, a4, s4, g4, 100, pw, 1),
                                     options=b"\x94\x04\0\0") + b"\0" * 6,
        # v3/IPv4 with the RFC 9568 checksum (no pseudo-header).
        "v3-nopseudo.ip4": ip4(s4, g4, advert(3, 51, 100, a4, s4, g4, 100, use_pseudo=False)),
        # A fragment and a wrong TTL: dropped at the IP layer / counted.
        "v2-fragment.ip4": ip4(s4, g4, advert(2, 51, 100, a4, s4, g4, 100, pw, 1), frag=0x2000),
        "v2-ttl64.ip4": ip4(s4, g4, advert(2, 51, 100, a4, s4, g4, 100, pw, 1), ttl=64),
        # The largest message there is: v3/IPv6 with 255 addresses.
        "v3-255addrs.msg6": ll + g6 + advert(3, 255, 254, v6addr, ll, g6, 4095),
        # keepalived's own v2 over IPv6: no auth data, pseudo-header checksum.
        "v2-ipv6.msg6": ll + g6 + advert(2, 7, 100, v6addr[:1], ll, g6, 300),
        # Priority 0, no addresses.
        "v3-prio0-noaddr.msg4": s4 + g4 + advert(3, 1, 0, [], s4, g4, 1),
        "v2-noaddr.msg4": s4 + g4 + advert(2, 1, 255, [], s4, g4, 25500, b"\0" * 8, 0),
    }
    for name, data in edge.items():
        write(d, name, data, made)
    return d, made


def conf_seeds():
    d = os.path.join(HERE, "corpus", "conf")
    made = []
    srcs = (glob.glob(os.path.join(ROOT, "tests/conf/corpus/*.conf")) +
            glob.glob(os.path.join(ROOT, "tests/conf/corpus/*/keepalived.conf")) +
            glob.glob(os.path.join(ROOT, "tests/conf/corpus/*/conf.d/*.conf")) +
            glob.glob(os.path.join(ROOT, "tests/conf/bad/*.conf")))
    for f in sorted(srcs):
        rel = os.path.relpath(f, os.path.join(ROOT, "tests/conf"))
        with open(f, "rb") as fh:
            write(d, rel.replace("/", "-"), fh.read(), made)
    # Includes of the files fuzz_conf.c puts in its sandbox, and escapes
    # that its glob fence must refuse.
    inc = {
        "include-sandbox.conf": b"include a.conf\ninclude conf.d/*.conf\n"
                                b"include empty.conf dir.conf/*\n",
        "include-loop.conf": b"include self.conf\n",
        "include-exec.conf": b"include exec.conf\ninclude dir.conf\n",
        "include-escape.conf": b"include /etc/*\ninclude ../*\ninclude {/,}etc/passwd\n"
                               b"include \\/etc/hostname\ninclude .[.]/*\n",
        "include-deep.conf": b"include conf.d/b.conf\n@node1 include a.conf\n@other include a.conf\n",
    }
    for name, data in inc.items():
        write(d, name, data, made)
    return d, made


def conf_dict():
    words = set()
    for f in glob.glob(os.path.join(ROOT, "src/conf_*.c")):
        with open(f) as fh:
            words.update(re.findall(r'\{\s*"([A-Za-z_0-9@]+)"', fh.read()))
    words.update(["{", "}", "include", "@node1", "$VAR", "${VAR}", "$VAR=", "!", "#", "\"",
                  "198.51.100.1/24", "2001:db8::1/64", "fe80::1", "224.0.0.18", "dev",
                  "scope", "label", "brd", "MASTER", "BACKUP", "PASS", "AH", "weight",
                  "reverse", "no_track", "-nodad", "min_ttl", "max_ttl"])
    path = os.path.join(HERE, "conf.dict")
    with open(path, "w") as fh:
        fh.write("# SPDX-License-Identifier: MIT\n# Written by tests/fuzz/mkseeds.py.\n")
        for w in sorted(words):
            fh.write('"%s"\n' % w.replace("\\", "\\\\").replace('"', '\\"'))
    return path, len(words)


def main():
    for what in (pkt_seeds, conf_seeds):
        d, made = what()
        print("%s: %d seeds" % (os.path.relpath(d, ROOT), len(made)))
    path, n = conf_dict()
    print("%s: %d words" % (os.path.relpath(path, ROOT), n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
