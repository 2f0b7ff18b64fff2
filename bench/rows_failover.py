# SPDX-License-Identifier: MIT
"""Failover rows: r1 (priority 200, state MASTER) and r2 (priority 100) run
the same daemon; c1 is the client.

crash:    the master's VRRP process is frozen (SIGSTOP; keepalived: its VRRP
          child).  Measured from the last advert r1 sent (kernel stamp in
          c1) to the VIP added on r2 (netlink event in r2) and to the first
          gratuitous ARP for the VIP seen in c1.  Protocol limit:
          Master_Down_Interval = 3 x interval + Skew_Time (RFC 5798 6.1).
graceful: the master gets SIGTERM.  Measured from its priority-0 advert to
          the VIP on r2 (limit: Skew_Time, RFC 5798 6.4.2), and from the
          signal to the process being gone (pidfd).
"""
import os
import signal
import time

import confgen
from netns import (NODE_IP, VIP, DaemonFailed, Probe, Topo, expect, is_addr, is_garp,
                   is_vrrp, kill, wait_until)
from rows_live import start

# name: (version, advert_int string, interval in ms)
VARIANTS = {"v2": (2, "1", 1000), "v3": (3, "0.1", 100)}
BACKUP_PRIO = 100


def skew_ms(interval_ms, prio=BACKUP_PRIO):
    """RFC 5798 6.1: Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256."""
    return (256 - prio) * interval_ms / 256.0


def mdi_ms(interval_ms, prio=BACKUP_PRIO):
    """RFC 5798 6.1: Master_Down_Interval = 3 * Master_Adver_Interval + Skew_Time."""
    return 3 * interval_ms + skew_ms(interval_ms, prio)


def keys(variant):
    return ("crash_vip_" + variant, "crash_garp_" + variant, "grace_vip_" + variant, "gone")


def _pair(ctx, topo, probe_c, impl, variant, tag):
    """Start r1 and r2; return both once r1 holds the VIP and r2 has heard
    r1's adverts for a few intervals without taking it."""
    ver, intv, ims = VARIANTS[variant]
    c1 = confgen.one(os.path.join(ctx.out, "fo-%s-r1.conf" % variant), "r1", 200, intv, ver,
                     "MASTER")
    c2 = confgen.one(os.path.join(ctx.out, "fo-%s-r2.conf" % variant), "r2", BACKUP_PRIO,
                     intv, ver)
    d1 = start(ctx, topo, "r1", impl, c1, tag + "-r1")
    try:
        d2 = start(ctx, topo, "r2", impl, c2, tag + "-r2")
    except DaemonFailed:
        d1.kill()
        raise
    try:
        expect(wait_until(lambda: topo.has_addr("r1", VIP), 5 + 5 * ims / 1000.0, 0.01),
               "r1 did not take the VIP")
        t = time.time_ns()
        for _ in range(ctx.heard):
            e = expect(probe_c.wait(is_vrrp(src=NODE_IP["r1"], nonzero=True),
                                    3 * ims / 1000.0 + 1, t + 1), "r1 stopped advertising")
            t = e[0]
        expect(not topo.has_addr("r2", VIP), "r2 holds the VIP next to a live master")
    except DaemonFailed:
        d1.kill()
        d2.kill()
        raise
    return d1, d2


def crash(ctx, topo, pc, p2, impl, variant):
    _ver, _intv, ims = VARIANTS[variant]
    d1, d2 = _pair(ctx, topo, pc, impl, variant, "crash-" + variant)
    try:
        tf = time.time_ns()
        kill([d1.vrrp_pid()], signal.SIGSTOP)
        v = expect(p2.wait(is_addr("add", VIP), 2 * mdi_ms(ims) / 1000.0 + 3, tf),
                   "backup never took the VIP")
        g = expect(pc.wait(is_garp(VIP), 3, tf), "no gratuitous ARP at the client")
        sent = [e for e in pc.select(is_vrrp(src=NODE_IP["r1"])) if e[0] <= tf]
        expect(sent, "no advert from r1 before the freeze")
        last = sent[-1][0]
        ctx.add("crash_vip_" + variant, impl, (v[0] - last) / 1e6)
        ctx.add("crash_garp_" + variant, impl, (g[0] - last) / 1e6)
    finally:
        d1.kill()
        if d2.running():
            d2.stop(5)


def graceful(ctx, topo, pc, p2, impl, variant):
    d1, d2 = _pair(ctx, topo, pc, impl, variant, "grace-" + variant)
    try:
        ts = time.time_ns()
        gone = d1.stop(10)
        expect(gone is not None, "still running 10 s after SIGTERM")
        z = expect(pc.wait(is_vrrp(src=NODE_IP["r1"], prio=0), 2, ts),
                   "no priority-0 advert on SIGTERM")
        v = expect(p2.wait(is_addr("add", VIP), 5, ts), "backup never took the VIP")
        ctx.add("grace_vip_" + variant, impl, (v[0] - z[0]) / 1e6)
        ctx.add("gone", impl, gone / 1e6)
    finally:
        if d1.running():
            d1.kill()
        if d2.running():
            d2.stop(5)


def failover(ctx, variants=("v2", "v3"), kinds=("crash", "graceful")):
    """Runs alternate daemons (and crash/graceful) so drift hits both."""
    topo = Topo(("r1", "r2", "c1"))
    failed = {}
    try:
        pc = Probe(topo, "c1", ["--no-addr"])
        p2 = Probe(topo, "r2", ["--no-packets"])
        for variant in variants:
            for _ in range(ctx.runs):
                for impl in ctx.impls():
                    for kind in kinds:
                        if (impl, variant) in failed:
                            continue
                        try:
                            (crash if kind == "crash" else graceful)(ctx, topo, pc, p2, impl,
                                                                     variant)
                        except DaemonFailed as e:
                            failed[(impl, variant)] = str(e)
                            ctx.log("  %s %s %s: n/a: %s" % (impl, variant, kind, e))
                            ctx.na(keys(variant), impl, str(e))
            for impl in ctx.impls():
                figs = ["%s %s ms" % (key.split("_")[0], ["%.1f" % x for x in
                                                         ctx.rows[key].cell(impl).values])
                        for key in ("crash_vip_" + variant, "grace_vip_" + variant)
                        if key in ctx.rows]
                ctx.log("  %s %s: %s" % (impl, variant, ", ".join(figs)))
    finally:
        topo.close()
