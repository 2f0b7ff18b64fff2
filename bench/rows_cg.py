# SPDX-License-Identifier: MIT
"""Instructions per advertisement (valgrind --tool=callgrind), steady state.

One instance, VRRPv2, advert_int 1.  The daemon runs under callgrind
(--trace-children=yes: keepalived forks its VRRP child) in r1:
  sent:     r1 is the master, alone;
  received: r1 is the backup of a master of the same daemon run natively
            in r2.
Windows are cut with `callgrind_control -z` (zero) and `-d` (dump, which
also zeroes), each issued right after an advert was seen on the wire (c1):
vgdb needs ~0.1-0.4 s to reach the process, far less than the 1 s interval,
so every window holds exactly the adverts seen between its two cuts.  The
figure is callgrind's "summary:" (user-space instructions, libraries
included) of the VRRP process divided by those adverts.
"""
import glob
import os
import shutil
import subprocess
import time

import confgen
from netns import NODE_IP, VIP, BenchError, DaemonFailed, Probe, Topo, expect, is_vrrp, wait_until
from rows_live import start

KEYS = ("cg_sent", "cg_recv")


def _ctl(flag, pid):
    t0 = time.time_ns()
    r = subprocess.run(["callgrind_control", flag, str(pid)], capture_output=True, text=True,
                       timeout=20)
    t1 = time.time_ns()
    if r.returncode != 0 or "OK" not in r.stdout:
        raise DaemonFailed("callgrind_control %s failed: %s" % (flag, (r.stdout + r.stderr)
                                                                 .strip()[-100:]))
    return t0, t1


def _summary(outdir, pid, before):
    """summary: of the dump file of pid that was not in `before`."""
    new = sorted(set(glob.glob(os.path.join(outdir, "cg.%d.*" % pid))) - before,
                 key=lambda p: int(p.rsplit(".", 1)[1]))
    if not new:
        raise BenchError("callgrind wrote no dump for pid %d" % pid)
    with open(new[-1]) as f:
        for line in f:
            if line.startswith("summary:"):
                return int(line.split()[1]), new[-1]
    raise BenchError("no summary line in %s" % new[-1])


def _windows(ctx, d, probe, src, key, impl):
    pid = d.vrrp_pid()
    pred = is_vrrp(src=src, nonzero=True)
    outdir = d.dir
    # Warm-up: a few adverts after start-up, then cut just after one.
    t = time.time_ns()
    for _ in range(ctx.cg_warm + 1):
        e = expect(probe.wait(pred, 5, t + 1), "no advert from %s" % src)
        t = e[0]
    _z0, start_ns = _ctl("-z", pid)
    for _ in range(ctx.cg_windows):
        t = start_ns
        for _ in range(ctx.cg_per):
            e = expect(probe.wait(pred, 5, t + 1), "adverts stopped under callgrind")
            t = e[0]
        before = set(glob.glob(os.path.join(outdir, "cg.%d.*" % pid)))
        d0, d1 = _ctl("-d", pid)
        n = len([e for e in probe.select(pred) if start_ns < e[0] < d0])
        late = [e for e in probe.select(pred) if d0 <= e[0] <= d1]
        expect(not late, "an advert fell inside the dump command (%d ms)" % ((d1 - d0) / 1e6))
        instr, _path = _summary(outdir, pid, before)
        ctx.add(key, impl, instr / float(n))
        start_ns = d1


def cpu_advert(ctx):
    if not shutil.which("callgrind_control"):
        for impl in ctx.impls():
            ctx.na(KEYS, impl, "valgrind not installed")
        return
    topo = Topo(("r1", "r2", "c1"))
    m = confgen.one(os.path.join(ctx.out, "cg-master.conf"), "r1", 200, 1, 2, "MASTER")
    b = confgen.one(os.path.join(ctx.out, "cg-backup.conf"), "r1", 100, 1, 2)
    m2 = confgen.one(os.path.join(ctx.out, "cg-r2.conf"), "r2", 200, 1, 2, "MASTER")
    failed = {}

    def wrap(tag, impl):
        d = os.path.join(ctx.out, "%s-%s" % (tag, impl))
        os.makedirs(d, exist_ok=True)
        for f in glob.glob(os.path.join(d, "cg.*")):
            os.unlink(f)
        return ["valgrind", "--tool=callgrind", "--trace-children=yes",
                "--callgrind-out-file=%s/cg.%%p" % d]

    try:
        pc = Probe(topo, "c1", ["--no-addr"])
        for role, key in (("master", "cg_sent"), ("backup", "cg_recv")):
            for impl in ctx.impls():
                if (impl, role) in failed:
                    continue
                tag = "cg-" + role
                ds = []
                try:
                    if role == "master":
                        d = start(ctx, topo, "r1", impl, m, tag, ready_s=60, wrap=wrap(tag, impl))
                        ds.append(d)
                        expect(wait_until(lambda: topo.has_addr("r1", VIP), 30, 0.05),
                               "no VIP under callgrind within 30 s")
                        src = NODE_IP["r1"]
                    else:
                        ds.append(start(ctx, topo, "r2", impl, m2, "cg-peer"))
                        expect(wait_until(lambda: topo.has_addr("r2", VIP), 10, 0.02),
                               "master r2 took no VIP")
                        d = start(ctx, topo, "r1", impl, b, tag, ready_s=60, wrap=wrap(tag, impl))
                        ds.append(d)
                        src = NODE_IP["r2"]
                    _windows(ctx, d, pc, src, key, impl)
                    expect(not (role == "backup" and topo.has_addr("r1", VIP)),
                           "backup under callgrind took the VIP")
                except DaemonFailed as e:
                    failed[(impl, role)] = str(e)
                    ctx.log("  %s %s: n/a: %s" % (impl, role, e))
                    ctx.na([key], impl, str(e))
                finally:
                    for x in reversed(ds):
                        if x.running():
                            x.stop(15)
                ctx.log("  %s %s: %s instructions/advert" % (
                    impl, role, ["%.0f" % v for v in ctx.rows[key].cell(impl).values]))
    finally:
        topo.close()
