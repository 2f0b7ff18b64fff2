# SPDX-License-Identifier: MIT
"""bench/results.md: the table of a full `make bench` with where and how
it was measured, and a short table ready to paste into the README."""
import report
import rows_failover as fo

METHOD = """\
- Both daemons run in network namespaces of their own (a bridge and veths:
  r1, r2 routers, c1 client), from the same generated keepalived.conf
  files; tinyvrrp as `tinyvrrp -n -l -D -f CONF -p P -r P`, keepalived as
  `keepalived -P -n -l -D -G -f CONF -p P -r P -c P -b P` (VRRP only,
  stderr logging only, like tinyvrrp).  Runs alternate between the two
  daemons, so drift of this shared machine hits both alike.
- Times: one clock, CLOCK_REALTIME.  Packets carry kernel timestamps
  (SO_TIMESTAMPNS on a packet socket, bench/probe.py), address events
  the time their netlink message was read, the bench's own actions
  (exec, signals) time.time_ns(); exec is stamped by bash right before
  `exec` inside the namespace.
- Sizes: `strip` of a copy; text from `size`; shared libraries from `ldd`
  (real files, summed).  Static rows: `make STATIC=1 TARGET=x86_64-musl
  SYSROOT=...` in a copy of the tree, toggles set on the command line.
- Memory: PSS and RSS from /proc/PID/smaps_rollup summed over the whole
  process tree (keepalived: parent and VRRP child), 10 s after exec.  PSS
  shares library pages among every process mapping them, so it drops
  when other programs using the same libraries run; RSS does not.
- Instructions per advert: valgrind --tool=callgrind --trace-children=yes,
  VRRP process only, VRRPv2 advert_int 1; windows cut with
  `callgrind_control -z`/`-d` just after an advert was seen, so each holds
  exactly the adverts counted on the wire; user-space instructions
  including libc/libmnl.  Backup: the master is the same daemon, run
  natively.
- CPU at 255 instances: utime+stime (clock ticks, /proc/PID/stat) of the
  whole tree over {windows} windows of {cpu_window:.0f} s, scaled to one
  minute; master and backup are the same daemon, measured at once.
- Wakeups: voluntary_ctxt_switches of the VRRP process (keepalived: the
  child) over {windows} windows of {wk_window:.0f} s, one master alone.
- Failover: crash = SIGSTOP of the master's VRRP process; from the last
  advert it sent to the VIP added on the backup and to the first
  gratuitous ARP seen by the client.  Graceful = SIGTERM; from the
  priority-0 advert to the VIP on the backup.  Backup priority 100, so
  MDI = 3 x interval + (256-100)/256 x interval (RFC 5798 6.1).
- Config load: a generated 10,000-line file, `-t -f FILE`, timed inside
  the namespace that holds its interfaces (eth0-eth3) so both daemons
  accept it without warnings.
- Timings are medians of {runs} runs with (min-max); single figures are
  one measurement.  Ratio = tinyvrrp / keepalived, medians."""


def _pick(rows, key):
    for r in rows:
        if r.key == key:
            return r
    return None


def readme(rows, meta):
    """Short size/memory/failover table for the README."""
    ka = meta["keepalived"].split()
    ka = "keepalived " + ka[1].lstrip("v") if len(ka) > 1 else "keepalived"
    lines = ["| | tinyvrrp | %s |" % ka, "|---|---|---|"]
    for key, label in (("bin_stripped", "binary, stripped"),
                       ("bin_libs", "binary + shared libraries"),
                       ("static_all", "static musl binary (x86_64)"),
                       ("procs", "processes"),
                       ("mem1_pss", "memory (PSS), 1 instance"),
                       ("mem255_pss", "memory (PSS), 255 instances x 4 VIPs"),
                       ("crash_vip_v3", "failover, master crash, advert_int 0.1 s"),
                       ("grace_vip_v3", "failover, master stopped, advert_int 0.1 s"),
                       ("gone", "SIGTERM to exit")):
        r = _pick(rows, key)
        if r is None or not any(r.cell(i).ok() for i in report.IMPLS):
            continue
        cells = []
        for impl in report.IMPLS:
            c = r.cell(impl)
            cells.append(report.fmt(r.kind, c.median()) + (" " + c.note if c.note else "")
                         if c.ok() else "—")
        lines.append("| %s | %s | %s |" % (label, cells[0], cells[1]))
    lines.append("")
    lines.append("Measured with `make bench` (%s; %s; commit %s; medians of %d runs; "
                 "details in bench/results.md). Failover cannot beat the protocol: after a "
                 "crash the backup waits 3 x advert_int + skew = %.1f ms, after a clean stop "
                 "the skew, %.1f ms (priority 100, advert_int 0.1 s)." % (
                     meta["date"], meta["machine"], meta["commit"], meta["knobs"].runs,
                     fo.mdi_ms(100), fo.skew_ms(100)))
    return "\n".join(lines)


def write(path, rows, table, missed, meta):
    k = meta["knobs"]
    text = ["<!-- SPDX-License-Identifier: MIT -->",
            "# tinyvrrp and keepalived side by side",
            "",
            "Written by `make bench` (bench/run); rerun it to refresh.",
            "",
            "- date: %s (the bench took %s)" % (meta["date"], meta["elapsed"]),
            "- commit: %s" % meta["commit"],
            "- machine: %s" % meta["machine"],
            "- tinyvrrp: %s" % meta["tinyvrrp"],
            "- keepalived: %s" % meta["keepalived"],
            "",
            "## Results",
            "",
            table,
            "",
            "## Budgets (DESIGN.md section 7)",
            ""]
    text += missed or ["Every budget that could be measured is met."]
    na = [r for r in rows if not r.cell("tinyvrrp").ok()]
    if na:
        text += ["", "Not measured for tinyvrrp: " +
                 "; ".join("%s (%s)" % (r.label, r.cell("tinyvrrp").na) for r in na) + "."]
    text += ["", "## How each row is measured", "",
             METHOD.format(runs=k.runs, windows=k.windows, cpu_window=k.cpu_window,
                           wk_window=k.wk_window),
             "", "## For the README", "", readme(rows, meta), ""]
    with open(path, "w") as f:
        f.write("\n".join(text))
