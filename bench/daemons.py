# SPDX-License-Identifier: MIT
"""The two daemons under test, started the same way from the same configs.

tinyvrrp:   tinyvrrp -n -l -D -f CONF -p PID -r VRRPPID
keepalived: keepalived -P -n -l -D -G -f CONF -p PID -r VRRPPID -c .. -b ..
            (-P VRRP only, -G no syslog: both daemons log to stderr only)

Daemon.pids() is the whole process tree (keepalived: parent + VRRP child);
Daemon.vrrp_pid() is the process doing VRRP (keepalived's child).
"""
import os
import signal
import subprocess
import time

from netns import (ROOT, BenchError, alive, descendants, kill, popen,
                   proc_stat, wait_exit, wait_until)

IMPLS = ("tinyvrrp", "keepalived")
# TINYVRRP= / KEEPALIVED= in the environment bench other binaries.
PATHS = {"tinyvrrp": os.environ.get("TINYVRRP") or os.path.join(ROOT, "tinyvrrp"),
         "keepalived": os.environ.get("KEEPALIVED") or "/usr/sbin/keepalived"}
CLK_TCK = os.sysconf("SC_CLK_TCK")

# Exec time stamp: taken by bash inside the namespace, right before exec.
STAMP = ['bash', '-c', 'echo ${EPOCHREALTIME/./} >"$0"; exec "$@"']


def argv_of(impl, conf, d):
    p = lambda n: os.path.join(d, n)
    if impl == "tinyvrrp":
        # A control socket per daemon: the namespaces share one /run.
        return [PATHS[impl], "-n", "-l", "-D", "-f", conf, "-p", p("main.pid"),
                "-r", p("vrrp.pid"), "--control-socket=" + p("ctl.sock")]
    return [PATHS[impl], "-P", "-n", "-l", "-D", "-G", "-f", conf, "-p", p("main.pid"),
            "-r", p("vrrp.pid"), "-c", p("checkers.pid"), "-b", p("bfd.pid")]


class Daemon:
    def __init__(self, topo, node, impl, conf, workdir, tag, wrap=(), stamp=False):
        self.impl, self.node = impl, node
        self.dir = os.path.join(workdir, tag)
        os.makedirs(self.dir, exist_ok=True)
        for f in os.listdir(self.dir):
            if f.endswith(".pid") or f == "exec.stamp":
                os.unlink(os.path.join(self.dir, f))
        self.logpath = os.path.join(self.dir, "log")
        argv = list(wrap) + argv_of(impl, conf, self.dir)
        if stamp:
            argv = STAMP + [os.path.join(self.dir, "exec.stamp")] + argv
        self.log = open(self.logpath, "ab")
        self.log.write(("#### %s\n" % " ".join(argv)).encode())
        self.log.flush()
        self.t_start = time.time_ns()
        # `ip netns exec` and bash both exec in place: p.pid is the daemon.
        self.p = popen(topo.argv(node, argv), stdout=self.log, stderr=subprocess.STDOUT)
        self.pid = self.p.pid
        self.stopped_in = None

    def exec_ns(self):
        """CLOCK_REALTIME (ns) just before exec (needs stamp=True)."""
        try:
            with open(os.path.join(self.dir, "exec.stamp")) as f:
                return int(f.read().strip()) * 1000
        except (OSError, ValueError):
            return None

    def _pidfile(self, name):
        try:
            with open(os.path.join(self.dir, name)) as f:
                return int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def vrrp_pid(self):
        p = self._pidfile("vrrp.pid")
        return p if p and alive(p) else self.pid

    def running(self):
        return self.p.poll() is None

    def wait_ready(self, timeout=10):
        """True once the VRRP pid file names a live process."""
        def ready():
            if not self.running():
                return "dead"
            p = self._pidfile("vrrp.pid")
            return bool(p and alive(p))
        return wait_until(ready, timeout, 0.005) is True

    def pids(self):
        return descendants(self.pid) if self.running() else []

    def logged(self, text):
        try:
            with open(self.logpath, errors="replace") as f:
                return text in f.read()
        except OSError:
            return False

    def log_tail(self, n=15):
        try:
            with open(self.logpath, errors="replace") as f:
                return "".join([x for x in f if not x.startswith("####")][-n:])
        except OSError:
            return ""

    def stop(self, timeout=5):
        """SIGTERM the main process; seconds (ns) until it is gone, or None."""
        if not self.running():
            return None
        t0 = time.time_ns()
        kill([self.pid], signal.SIGTERM)
        ok = wait_exit(self.pid, timeout)
        t1 = time.time_ns()
        if not ok:
            self.kill()
            return None
        self.p.wait(5)
        self.log.close()
        self.stopped_in = t1 - t0
        return self.stopped_in

    def kill(self):
        """SIGKILL the whole tree (a frozen master at the end of a run)."""
        pids = self.pids()
        kill(pids, signal.SIGKILL)
        try:
            self.p.wait(5)
        except subprocess.TimeoutExpired:
            raise BenchError("%s pid %d survived SIGKILL" % (self.impl, self.pid))
        for p in pids:
            wait_exit(p, 2)
        if not self.log.closed:
            self.log.close()

    # -------------------------------------------------------- measurements

    def memory_kb(self):
        """(PSS, RSS) in kB summed over the process tree (smaps_rollup)."""
        pss = rss = 0
        for p in self.pids():
            try:
                with open("/proc/%d/smaps_rollup" % p) as f:
                    for line in f:
                        k = line.split()
                        if k[0] == "Pss:":
                            pss += int(k[1])
                        elif k[0] == "Rss:":
                            rss += int(k[1])
            except OSError:
                pass
        return pss, rss

    def cpu_ticks(self):
        """utime + stime (clock ticks) summed over the process tree."""
        t = 0
        for p in self.pids():
            try:
                st = proc_stat(p)
                t += int(st[11]) + int(st[12])
            except (OSError, IndexError, ValueError):
                pass
        return t

    def vol_ctxt(self, pid=None):
        pid = pid or self.vrrp_pid()
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("voluntary_ctxt_switches:"):
                    return int(line.split()[1])
        raise BenchError("no voluntary_ctxt_switches for pid %d" % pid)


def usable(impl):
    """None if impl can run here, else the reason (for an n/a cell)."""
    path = PATHS[impl]
    if not os.access(path, os.X_OK):
        return "not built" if impl == "tinyvrrp" else "not installed"
    return None
