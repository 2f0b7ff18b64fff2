# SPDX-License-Identifier: MIT
"""Namespaces, daemons and event probes of `make bench`.

Topology (Topo): a bridge br0 in namespace "sw" and one veth per node:

    r1 eth0 198.18.2.1  ─┐
    r2 eth0 198.18.2.2  ─┼─ br0 (sw)
    c1 eth0 198.18.2.10 ─┘

Every namespace is named tvb<PID>-NODE; cleanup() (called on exit and on
SIGINT/SIGTERM/SIGHUP) ends every process started here and every process
left inside those namespaces, by pid, then deletes the namespaces.
"""
import atexit
import os
import select
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PY = "/usr/bin/python3"
PREFIX = "tvb%d-" % os.getpid()
NODE_IP = {"r1": "198.18.2.1", "r2": "198.18.2.2", "c1": "198.18.2.10"}
VIP = "198.18.2.100"

_namespaces = []
_procs = []


class BenchError(Exception):
    """The bench code (not a daemon) could not do its job."""


class DaemonFailed(Exception):
    """A daemon did not do what the scenario needs: its cells become n/a."""


def expect(cond, reason):
    if not cond:
        raise DaemonFailed(reason)
    return cond


def run(argv, timeout=60, check=True, **kw):
    kw.setdefault("stdout", subprocess.PIPE)
    kw.setdefault("stderr", subprocess.STDOUT)
    r = subprocess.run(argv, timeout=timeout, text=True, **kw)
    if check and r.returncode != 0:
        raise BenchError("%s: exit %d: %s" % (" ".join(argv), r.returncode,
                                               (r.stdout or "").strip()[-300:]))
    return r


def wait_until(cond, timeout, step=0.005):
    """Poll cond() until true or timeout seconds pass; returns its value."""
    end = time.monotonic() + timeout
    while True:
        v = cond()
        if v or time.monotonic() >= end:
            return v
        time.sleep(step)


# ------------------------------------------------------------ processes

def alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            st = f.read().rsplit(")", 1)[1].split()[0]
        return st not in ("Z", "X")
    except (OSError, IndexError):
        return False


def proc_stat(pid):
    """Fields of /proc/PID/stat after the command name (field 3 is [0])."""
    with open("/proc/%d/stat" % pid) as f:
        return f.read().rsplit(")", 1)[1].split()


def descendants(pid):
    """pid and every live descendant (found through /proc/*/stat ppid)."""
    kids = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            ppid = int(proc_stat(int(d))[1])
        except (OSError, IndexError, ValueError):
            continue
        kids.setdefault(ppid, []).append(int(d))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        if alive(p):
            out.append(p)
        todo.extend(kids.get(p, []))
    return out


def wait_exit(pid, timeout):
    """Wait until pid exits (pidfd: exact, no polling step); True if it did."""
    try:
        fd = os.pidfd_open(pid)
    except OSError:
        return True
    try:
        p = select.poll()
        p.register(fd, select.POLLIN)
        return bool(p.poll(int(timeout * 1000)))
    finally:
        os.close(fd)


def kill(pids, sig):
    for p in pids:
        try:
            os.kill(p, sig)
        except OSError:
            pass


def popen(argv, **kw):
    kw.setdefault("stdin", subprocess.DEVNULL)
    p = subprocess.Popen(argv, start_new_session=True, **kw)
    _procs.append(p)
    return p


def reap(p, timeout=5):
    """Stop a Popen (TERM, then KILL), bounded."""
    if p.poll() is None:
        kill(descendants(p.pid), signal.SIGTERM)
        if not wait_exit(p.pid, timeout):
            kill(descendants(p.pid), signal.SIGKILL)
    try:
        p.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


# ------------------------------------------------------------ namespaces

def ns_pids(ns):
    r = run(["ip", "netns", "pids", ns], check=False, timeout=10)
    return [int(x) for x in r.stdout.split() if x.isdigit()]


def _del_ns(ns):
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = ns_pids(ns)
        if not pids:
            break
        kill(pids, sig)
        wait_until(lambda: not ns_pids(ns), 2, 0.05)
    run(["ip", "netns", "del", ns], check=False, timeout=10)


def cleanup():
    for p in _procs:
        if p.poll() is None:
            reap(p, 2)
    del _procs[:]
    for ns in reversed(_namespaces):
        _del_ns(ns)
    del _namespaces[:]


def _on_signal(sig, _frame):
    cleanup()
    sys.exit(128 + sig)


atexit.register(cleanup)
for _s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    signal.signal(_s, _on_signal)


class Topo:
    """sw (bridge) + nodes; nodes named in NODE_IP."""

    def __init__(self, nodes=("r1", "r2", "c1"), extra_links=0):
        self.nodes = list(nodes)
        sw = self.ns("sw")
        self._add_ns(sw)
        run(["ip", "-n", sw, "link", "add", "br0", "type", "bridge", "stp_state", "0",
             "forward_delay", "0", "mcast_snooping", "0"])
        run(["ip", "-n", sw, "link", "set", "br0", "up"])
        for n in self.nodes:
            ns = self.ns(n)
            self._add_ns(ns)
            run(["ip", "-n", sw, "link", "add", "p-" + n, "type", "veth",
                 "peer", "name", "eth0", "netns", ns])
            run(["ip", "-n", sw, "link", "set", "p-" + n, "master", "br0", "up"])
            run(["ip", "-n", ns, "addr", "add", NODE_IP[n] + "/24", "dev", "eth0"])
            run(["ip", "-n", ns, "link", "set", "eth0", "up"])
            # Extra links (config-load row): instances spread over ethN.
            for i in range(1, extra_links):
                run(["ip", "-n", ns, "link", "add", "eth%d" % i, "type", "veth",
                     "peer", "name", "peer%d" % i])
                run(["ip", "-n", ns, "link", "set", "peer%d" % i, "up"])
                run(["ip", "-n", ns, "addr", "add", "198.18.%d.1/24" % (10 + i),
                     "dev", "eth%d" % i])
                run(["ip", "-n", ns, "link", "set", "eth%d" % i, "up"])

    @staticmethod
    def ns(node):
        return PREFIX + node

    def _add_ns(self, ns):
        run(["ip", "netns", "add", ns])
        _namespaces.append(ns)
        # IPv4 only: no IPv6 router/MLD chatter in captures and CPU figures.
        run(["ip", "netns", "exec", ns, "sysctl", "-q", "-w",
             "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"])
        run(["ip", "-n", ns, "link", "set", "lo", "up"])

    def argv(self, node, argv):
        return ["ip", "netns", "exec", self.ns(node)] + list(argv)

    def close(self):
        for n in self.nodes + ["sw"]:
            ns = self.ns(n)
            if ns in _namespaces:
                _del_ns(ns)
                _namespaces.remove(ns)

    def reset_addrs(self, node):
        """Remove every VIP a previous run left (a killed master keeps its
        VIPs): the next daemon starts from a clean interface."""
        ns = self.ns(node)
        if self.has_addr(node, VIP):
            run(["ip", "-n", ns, "addr", "del", VIP + "/24", "dev", "eth0"], check=False)
        run(["ip", "-n", ns, "addr", "flush", "dev", "eth0", "to", "198.19.0.0/16"],
            check=False)

    def has_addr(self, node, ip):
        r = run(["ip", "-n", self.ns(node), "-o", "addr", "show", "dev", "eth0"],
                check=False, timeout=10)
        return (" %s/" % ip) in r.stdout

    def count_addrs(self, node):
        r = run(["ip", "-n", self.ns(node), "-o", "-4", "addr", "show", "dev", "eth0"],
                check=False, timeout=10)
        return r.stdout.count("\n")


# ------------------------------------------------------------ probe

class Probe:
    """bench/probe.py running in a node; events as (ns, kind, [fields])."""

    def __init__(self, topo, node, args=()):
        self.p = popen(topo.argv(node, [PY, os.path.join(HERE, "probe.py")] + list(args)),
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.events = []
        self.cv = threading.Condition()
        threading.Thread(target=self._reader, daemon=True).start()
        if not self.wait(lambda e: e[1] == "ready", 10):
            reap(self.p)
            raise BenchError("probe in %s did not start" % node)

    def _reader(self):
        for line in self.p.stdout:
            f = line.split()
            if len(f) >= 2 and f[0].isdigit():
                with self.cv:
                    self.events.append((int(f[0]), f[1], f[2:]))
                    self.cv.notify_all()

    def wait(self, pred, timeout, since=0):
        """First event with time >= since matching pred, waiting up to timeout s."""
        end = time.monotonic() + timeout
        i = 0
        with self.cv:
            while True:
                while i < len(self.events):
                    e = self.events[i]
                    i += 1
                    if e[0] >= since and pred(e):
                        return e
                left = end - time.monotonic()
                if left <= 0:
                    return None
                self.cv.wait(left)

    def select(self, pred):
        with self.cv:
            return [e for e in self.events if pred(e)]

    def close(self):
        reap(self.p)


def is_vrrp(src=None, prio=None, nonzero=False):
    def pred(e):
        if e[1] != "vrrp":
            return False
        if src is not None and e[2][1] != src:
            return False
        p = int(e[2][3])
        if prio is not None and p != prio:
            return False
        return not (nonzero and p == 0)
    return pred


def is_addr(op, ip):
    return lambda e: e[1] == "addr" and e[2][0] == op and e[2][1].split("/")[0] == ip


def is_garp(ip):
    return lambda e: e[1] == "garp" and e[2][1] == ip
