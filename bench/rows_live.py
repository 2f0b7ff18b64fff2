# SPDX-License-Identifier: MIT
"""Rows measured on running daemons: memory, wakeups, CPU at 255
instances, startup.  Failover lives in rows_failover.py, callgrind in
rows_cg.py.

Each family takes a Ctx (report.py) and fills its rows for every daemon
that can run; a daemon that does not do what the scenario needs turns its
cells into "n/a (reason)" (DaemonFailed), the bench itself carries on.
"""
import os
import time

import confgen
from daemons import Daemon
from netns import (NODE_IP, VIP, DaemonFailed, Probe, Topo, expect, is_addr, is_vrrp,
                   wait_until)


def _sleep_until(t_ns):
    d = (t_ns - time.time_ns()) / 1e9
    if d > 0:
        time.sleep(d)


def start(ctx, topo, node, impl, conf, tag, ready_s=10, **kw):
    """Start a daemon on a clean interface; DaemonFailed unless its VRRP
    pid file appears."""
    topo.reset_addrs(node)
    d = Daemon(topo, node, impl, conf, ctx.out, "%s-%s" % (tag, impl), **kw)
    if not d.wait_ready(ready_s):
        tail = d.log_tail(1).strip()[-120:]
        if d.running():
            d.kill()
        raise DaemonFailed("did not start" + (": " + tail if tail else ""))
    return d


def each_impl(ctx, keys, fn):
    """fn(impl) for every runnable daemon; DaemonFailed -> n/a cells."""
    for impl in ctx.impls():
        try:
            fn(impl)
        except DaemonFailed as e:
            ctx.log("  %s: n/a: %s" % (impl, e))
            ctx.na(keys, impl, str(e))


# ------------------------------------------------------------ precheck

def precheck(ctx, impl):
    """None if impl runs as an owner (advert + VIP within 3 s), else why."""
    topo = Topo(("r1",))
    try:
        probe = Probe(topo, "r1")
        conf = confgen.one(os.path.join(ctx.out, "pre.conf"), "r1", 255, 1, 2, "MASTER")
        t0 = time.time_ns()
        try:
            d = start(ctx, topo, "r1", impl, conf, "pre")
        except DaemonFailed as e:
            return str(e)
        why = None
        try:
            if not probe.wait(is_vrrp(src=NODE_IP["r1"], nonzero=True), 3, t0):
                why = "no advert within 3 s of start"
            elif not probe.wait(is_addr("add", VIP), 3, t0):
                why = "no VIP within 3 s of start"
        finally:
            stopped = not d.running() or d.stop(5) is not None
        return why or (None if stopped else "still running 5 s after SIGTERM")
    finally:
        topo.close()


# ------------------------------------------------------------ memory, wakeups

MEM1 = ("mem1_pss", "mem1_rss", "procs", "wakeups")


def mem_wakeups(ctx):
    """One idle master (the owner: master at once; v2, advert_int 1, alone):
    PSS/RSS ctx.settle s after exec, then voluntary context switches of the
    VRRP process over windows."""
    topo = Topo(("r1",))
    conf = confgen.one(os.path.join(ctx.out, "mem1.conf"), "r1", 255, 1, 2, "MASTER")

    def one(impl):
        d = start(ctx, topo, "r1", impl, conf, "mem1")
        try:
            expect(wait_until(lambda: topo.has_addr("r1", VIP), 10, 0.02),
                   "no VIP within 10 s")
            _sleep_until(d.t_start + int(ctx.settle * 1e9))
            expect(d.running(), "exited")
            pss, rss = d.memory_kb()
            ctx.add("mem1_pss", impl, pss)
            ctx.add("mem1_rss", impl, rss)
            ctx.add("procs", impl, len(d.pids()))
            pid = d.vrrp_pid()
            for _ in range(ctx.windows):
                c0, t0 = d.vol_ctxt(pid), time.monotonic()
                time.sleep(ctx.wk_window)
                c1, t1 = d.vol_ctxt(pid), time.monotonic()
                ctx.add("wakeups", impl, (c1 - c0) / (t1 - t0))
            expect(topo.has_addr("r1", VIP), "lost its VIP while idle")
        finally:
            if d.running():
                d.stop(5)
        ctx.log("  %s: PSS %d kB, RSS %d kB, %s/s" % (
            impl, pss, rss, ctx.rows["wakeups"].cell(impl).values))

    try:
        each_impl(ctx, MEM1, one)
    finally:
        topo.close()


# ------------------------------------------------------------ 255 instances

SCALE = ("mem255_pss", "mem255_rss", "cpu255_master", "cpu255_backup")


def scale255(ctx):
    """255 VRIDs x 4 VIPs, v3, advert_int 0.1, one interface.  The master
    (r1) runs alone for ctx.settle s (memory); then a backup of the same
    daemon joins (r2) and both are timed over windows (utime+stime)."""
    topo = Topo(("r1", "r2"))
    n, per = ctx.scale_n, 4
    c1 = confgen.many(os.path.join(ctx.out, "s255-r1.conf"), "r1", 200, n, per, state="MASTER")
    c2 = confgen.many(os.path.join(ctx.out, "s255-r2.conf"), "r2", 100, n, per)
    total = n * per + 1   # VIPs plus the node's own address

    def one(impl):
        d1 = start(ctx, topo, "r1", impl, c1, "s255-r1")
        d2 = None
        try:
            expect(wait_until(lambda: topo.count_addrs("r1") >= total, 30, 0.05),
                   "r1 holds %d of %d VIPs after 30 s" % (topo.count_addrs("r1") - 1, n * per))
            _sleep_until(d1.t_start + int(ctx.settle * 1e9))
            pss, rss = d1.memory_kb()
            ctx.add("mem255_pss", impl, pss)
            ctx.add("mem255_rss", impl, rss)
            d2 = start(ctx, topo, "r2", impl, c2, "s255-r2")
            # Past the backup's start-up: a few advert intervals.
            time.sleep(ctx.scale_join)
            expect(topo.count_addrs("r2") == 1, "backup took VIPs from a live master")
            hz = os.sysconf("SC_CLK_TCK")
            for _ in range(ctx.windows):
                a1, a2, t0 = d1.cpu_ticks(), d2.cpu_ticks(), time.monotonic()
                time.sleep(ctx.cpu_window)
                b1, b2, t1 = d1.cpu_ticks(), d2.cpu_ticks(), time.monotonic()
                scale = 60.0 / (t1 - t0) / hz
                ctx.add("cpu255_master", impl, (b1 - a1) * scale)
                ctx.add("cpu255_backup", impl, (b2 - a2) * scale)
            expect(d1.running() and d2.running(), "a daemon exited")
            expect(topo.count_addrs("r1") >= total and topo.count_addrs("r2") == 1,
                   "VIPs moved during the steady-state window")
        finally:
            for d in (d2, d1):
                if d and d.running():
                    d.stop(10)
        ctx.log("  %s: PSS %d kB RSS %d kB, CPU master %s backup %s s/min" % (
            impl, pss, rss, ["%.2f" % v for v in ctx.rows["cpu255_master"].cell(impl).values],
            ["%.2f" % v for v in ctx.rows["cpu255_backup"].cell(impl).values]))

    try:
        each_impl(ctx, SCALE, one)
    finally:
        topo.close()


# ------------------------------------------------------------ startup

START = ("start_advert", "start_vip")


def startup(ctx):
    """Owner (priority 255, v2, advert_int 1): exec -> first advert on r1's
    eth0 (kernel transmit stamp) and exec -> VIP added (netlink event).
    Runs alternate between the daemons."""
    topo = Topo(("r1",))
    conf = confgen.one(os.path.join(ctx.out, "start.conf"), "r1", 255, 1, 2, "MASTER")
    failed = {}
    try:
        probe = Probe(topo, "r1")
        for _ in range(ctx.runs):
            for impl in ctx.impls():
                if impl in failed:
                    continue
                try:
                    since = time.time_ns()
                    d = start(ctx, topo, "r1", impl, conf, "start", stamp=True)
                    try:
                        a = expect(probe.wait(is_vrrp(src=NODE_IP["r1"], nonzero=True), 5,
                                              since), "no advert within 5 s")
                        v = expect(probe.wait(is_addr("add", VIP), 5, since),
                                   "no VIP within 5 s")
                        x = expect(d.exec_ns(), "no exec stamp")
                    finally:
                        if d.running():
                            d.stop(5)
                    ctx.add("start_advert", impl, (a[0] - x) / 1e6)
                    ctx.add("start_vip", impl, (v[0] - x) / 1e6)
                except DaemonFailed as e:
                    failed[impl] = str(e)
                    ctx.na(START, impl, str(e))
        for impl in ctx.impls():
            ctx.log("  %s: first advert %s ms, VIP %s ms" % (
                impl, ["%.2f" % v for v in ctx.rows["start_advert"].cell(impl).values],
                ["%.2f" % v for v in ctx.rows["start_vip"].cell(impl).values]))
    finally:
        topo.close()
