# SPDX-License-Identifier: MIT
"""keepalived.conf files of `make bench`: one text feeds both daemons.

Only the common core syntax is used (global_defs, vrrp_instance with state,
interface, virtual_router_id, priority, advert_int, version,
virtual_ipaddress), so each file is valid for keepalived -t and tinyvrrp -t.
"""


def _global(router_id):
    return ["# SPDX-License-Identifier: MIT",
            "global_defs {",
            "    router_id %s" % router_id,
            "}"]


def instance(name, vrid, prio, interval, version, vips, state="BACKUP", iface="eth0"):
    lines = ["vrrp_instance %s {" % name,
             "    state %s" % state,
             "    interface %s" % iface,
             "    virtual_router_id %d" % vrid,
             "    priority %d" % prio,
             "    advert_int %s" % interval,
             "    version %d" % version,
             "    virtual_ipaddress {"]
    lines += ["        %s dev %s" % (v, iface) for v in vips]
    return lines + ["    }", "}"]


def write(path, lines):
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


def one(path, router_id, prio, interval, version, state="BACKUP", vip="198.18.2.100/24"):
    """One instance (VRID 51) with one VIP."""
    return write(path, _global(router_id) +
                 instance("VI_1", 51, prio, interval, version, [vip], state))


def many_vips(i, per):
    """VIPs of instance i (1..255): 198.19.K.i/32, K = 0..per-1."""
    return ["198.19.%d.%d/32" % (k, i) for k in range(per)]


def many(path, router_id, prio, n=255, per=4, interval="0.1", version=3, state="BACKUP"):
    """n instances (VRID 1..n) x per VIPs on eth0."""
    lines = _global(router_id)
    for i in range(1, n + 1):
        lines += instance("VI_%d" % i, i, prio, interval, version, many_vips(i, per), state)
    return write(path, lines)


def big(path, nlines=10000, links=4):
    """Exactly nlines lines: instances over eth0..eth{links-1} (VRIDs 1..255
    per link), each with 1..8 VIPs; the last lines are comment padding."""
    lines = _global("bench_big")
    n = 0
    while True:
        link, vrid = divmod(n, 255)
        if link >= links:
            break
        nvip = 1 + n % 8
        vips = ["198.19.%d.%d/32" % (link * 8 + k, vrid + 1) for k in range(nvip)]
        block = instance("VI_%d_%d" % (link, vrid + 1), vrid + 1, 100, 1, 2, vips,
                         iface="eth%d" % link)
        if len(lines) + len(block) > nlines:
            break
        lines += block
        n += 1
    while len(lines) < nlines:
        lines.append("# padding")
    write(path, lines)
    return n
