# SPDX-License-Identifier: MIT
"""Rows that need no running daemon: build, binary sizes, config load."""
import os
import re
import shutil
import subprocess

import confgen
from daemons import PATHS
from netns import ROOT, BenchError, Topo, run

SIZES = ("bin_stripped", "bin_text", "bin_libs")
STATIC = ("static_all", "static_core")
# DESIGN.md 7, "core only": v2/v3, IPv4/6, unicast, scripts, iface, TCP check.
CORE = {"VRRP_V3", "IPV6", "UNICAST", "TRACK_SCRIPT", "TRACK_INTERFACE", "TCP_CHECK"}


def _make(directory, args, log):
    """make in directory with only the variables given here: a `make bench
    SYSROOT=...` must not leak into the host build through MAKEFLAGS."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "SYSROOT", "STATIC", "TARGET")}
    with open(log, "w") as f:
        return subprocess.run([os.environ.get("MAKE", "make"), "--no-print-directory",
                               "-C", directory] + args, stdout=f, stderr=subprocess.STDOUT,
                              env=env, timeout=600)


def build(ctx):
    """`make all` from the repo root; None if ./tinyvrrp is fresh, else why."""
    log = os.path.join(ctx.out, "build.log")
    r = _make(ROOT, ["all"], log)
    if r.returncode != 0:
        with open(log, errors="replace") as f:
            err = [x.strip() for x in f if "error" in x.lower()]
        return "build failed" + (": " + err[0][-90:] if err else "")
    return None


def _stripped(path, dest):
    shutil.copyfile(path, dest)
    run(["strip", "-o", dest, path])
    return os.path.getsize(dest)


def _text(path):
    out = run(["size", path]).stdout.splitlines()
    return int(out[1].split()[0])


def _libs(path):
    """[(soname, real path)] of every shared library ldd says path loads."""
    r = run(["ldd", path], check=False)
    libs = []
    for line in r.stdout.splitlines():
        m = re.search(r"(\S+) => (/\S+)", line) or re.match(r"\s*(/\S+) \(", line)
        if m:
            p = m.group(m.lastindex)
            libs.append((m.group(1), os.path.realpath(p)))
    return libs


def sizes(ctx):
    for impl in ("tinyvrrp", "keepalived"):
        reason = ctx.unusable[impl]
        if reason:
            ctx.na(SIZES, impl, reason)
            continue
        path = PATHS[impl]
        try:
            s = _stripped(path, os.path.join(ctx.out, impl + ".stripped"))
            text = _text(path)
        except BenchError:
            ctx.na(SIZES, impl, "not an ELF binary strip/size can read")
            continue
        libs = _libs(path)
        ctx.add("bin_stripped", impl, s)
        ctx.add("bin_text", impl, text)
        ctx.add("bin_libs", impl, s + sum(os.path.getsize(p) for _n, p in set(libs)))
        ctx.rows["bin_libs"].cell(impl).note = "[%d libs]" % len(set(libs))
        ctx.log("  %s: stripped %d, text %d, %d shared libraries" % (
            impl, s, text, len(set(libs))))
    static(ctx)


def _toggles():
    with open(os.path.join(ROOT, "config.mk")) as f:
        return re.findall(r"^CONFIG_(\w+)\s*\?=\s*[yn]", f.read(), re.M)


def _static_build(ctx, name, toggles):
    """Fully static musl build in a copy of the tree (./tinyvrrp untouched)."""
    d = os.path.join(ctx.out, "static-" + name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for x in ("Makefile", "config.mk"):
        shutil.copy(os.path.join(ROOT, x), d)
    for x in ("src", "targets"):
        shutil.copytree(os.path.join(ROOT, x), os.path.join(d, x))
    args = ["STATIC=1", "TARGET=x86_64-musl", "SYSROOT=" + os.environ["SYSROOT"]]
    args += ["CONFIG_%s=%s" % (t, v) for t, v in toggles.items()]
    log = os.path.join(d, "build.log")
    r = _make(d, args + ["tinyvrrp"], log)
    if r.returncode != 0:
        return None, "static build failed, see %s" % os.path.relpath(log, ROOT)
    binary = os.path.join(d, "tinyvrrp")
    dyn = run(["readelf", "-d", binary], check=False).stdout
    note = "" if "NEEDED" not in dyn else "[not static: has NEEDED entries]"
    return _stripped(binary, binary + ".stripped"), note


def static(ctx):
    for k in STATIC:
        ctx.na([k], "keepalived", "Debian ships no static build")
    if not os.environ.get("SYSROOT"):
        ctx.na(STATIC, "tinyvrrp", "SYSROOT unset: make bench SYSROOT=DIR")
        return
    names = _toggles()
    variants = {
        "static_all": {t: ("n" if t == "TLS_CHECK" else "y") for t in names},
        "static_core": {t: ("y" if t in CORE else "n") for t in names},
    }
    for key, toggles in variants.items():
        size, note = _static_build(ctx, key, toggles)
        if size is None:
            ctx.na([key], "tinyvrrp", note)
        else:
            ctx.add(key, "tinyvrrp", size)
            ctx.rows[key].cell("tinyvrrp").note = note
        ctx.log("  %s: %s %s" % (key, size, note))


# ------------------------------------------------------------ config load

CONF_T = ['bash', '-c', 't0=${EPOCHREALTIME/./}; "$@" >/dev/null 2>"$0"; rc=$?; '
          't1=${EPOCHREALTIME/./}; echo "$rc $((t1 - t0))"']


def config_load(ctx):
    """`-t -f CONF` of a generated 10,000-line config, timed inside the
    namespace that holds its interfaces (eth0..eth3), so both daemons
    check it without warnings."""
    topo = Topo(("r1",), extra_links=4)
    conf = os.path.join(ctx.out, "big.conf")
    n = confgen.big(conf, 10000, 4)
    ctx.rows["conf10k"].note = "%d instances" % n
    bad = {}
    try:
        for _ in range(ctx.runs):
            for impl in ctx.impls():
                if impl in bad:
                    continue
                err = os.path.join(ctx.out, "conf-%s.err" % impl)
                r = run(topo.argv("r1", CONF_T + [err, PATHS[impl], "-t", "-f", conf]),
                        timeout=120)
                rc, us = (int(x) for x in r.stdout.split()[-2:])
                if rc != 0:
                    with open(err, errors="replace") as f:
                        first = f.readline().strip()[:80]
                    bad[impl] = "-t exit %d%s" % (rc, ": " + first if first else "")
                    ctx.na(["conf10k"], impl, bad[impl])
                    continue
                ctx.add("conf10k", impl, us / 1000.0)
        for impl in ctx.impls():
            ctx.log("  %s: %s ms" % (impl, ["%.1f" % v for v in
                                             ctx.rows["conf10k"].cell(impl).values]))
    finally:
        topo.close()
