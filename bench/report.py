# SPDX-License-Identifier: MIT
"""Rows, cells and the side-by-side table of `make bench`.

A Row holds one Cell per daemon.  A Cell holds the samples of one figure
(median, min and max are printed when there is more than one), or the
reason it has none ("n/a (not built)").  Budgets come from DESIGN.md
section 7; a budget is a function of both cells returning (text, verdict).
"""
import statistics

IMPLS = ("tinyvrrp", "keepalived")


class Cell:
    def __init__(self):
        self.values = []
        self.na = None
        self.note = ""

    def add(self, v):
        self.values.append(v)

    def ok(self):
        return bool(self.values)

    def median(self):
        return statistics.median(self.values) if self.values else None


class Row:
    """kind: bytes | kb | ms | count | rate | smin | text."""

    def __init__(self, key, label, kind, budget=None, note=""):
        self.key, self.label, self.kind = key, label, kind
        self.budget = budget
        self.note = note
        self.cells = {i: Cell() for i in IMPLS}
        self.failed = None      # bench code broke while measuring this row

    def cell(self, impl):
        return self.cells[impl]

    def set_na(self, impl, reason):
        c = self.cells[impl]
        if not c.values and not c.na:
            c.na = reason

    def done(self):
        """Every cell has numbers or a documented reason."""
        return self.failed is None and all(c.values or c.na for c in self.cells.values())


# ------------------------------------------------------------ formatting

def _grp(n):
    return "{:,}".format(int(round(n)))


def fmt(kind, v):
    if v is None:
        return "—"
    if kind == "bytes":
        return "%s KB" % _grp(v / 1024.0) if v < 10 * 1024 * 1024 else "%.1f MB" % (v / 1048576.0)
    if kind == "kb":
        return "%s KB" % _grp(v) if v < 10240 else "%.1f MB" % (v / 1024.0)
    if kind == "ms":
        if v >= 100:
            return "%.1f ms" % v
        return "%.2f ms" % v if v >= 1 else "%.3f ms" % v
    if kind == "count":
        return _grp(v)
    if kind == "rate":
        return "%.2f /s" % v
    if kind == "smin":
        return "%.3f s/min" % v if v < 1 else "%.2f s/min" % v
    if kind == "s":
        return "%.3f s" % v
    return str(v)


def cell_text(row, impl):
    c = row.cells[impl]
    if not c.values:
        return "n/a (%s)" % (c.na or "not measured").replace("|", "/")
    m = fmt(row.kind, c.median())
    if len(c.values) > 1:
        lo, hi = min(c.values), max(c.values)
        strip = lambda s: s.rsplit(" ", 1)[0] if " " in s else s
        m += " (%s–%s)" % (strip(fmt(row.kind, lo)), strip(fmt(row.kind, hi)))
    if c.note:
        m += " " + c.note
    return m


def ratio_text(row):
    t, k = row.cells["tinyvrrp"].median(), row.cells["keepalived"].median()
    if t is None or k is None or k == 0:
        return "—"
    r = t / k
    return "%.2fx" % r if r >= 0.1 else "%.3fx" % r


def budget_text(row):
    if row.budget is None:
        return "—", ""
    return row.budget(row.cells["tinyvrrp"], row.cells["keepalived"])


# ------------------------------------------------------------ budgets

def at_most(limit, kind, what=""):
    """tinyvrrp's median must be <= limit (in the row's unit)."""
    def b(t, _k):
        text = "≤ %s%s" % (fmt(kind, limit), what)
        v = t.median()
        if v is None:
            return text, "n/a"
        if v <= limit:
            return text, "ok"
        return text, "MISSED by %s (%.1fx)" % (fmt(kind, v - limit), v / limit)
    return b


def at_most_fraction_of_keepalived(frac, label):
    def b(t, k):
        text = "≤ %s of keepalived" % label
        tv, kv = t.median(), k.median()
        if tv is None or kv is None:
            return text, "n/a"
        limit = kv * frac
        text += " (%s)" % fmt("count", limit)
        if tv <= limit:
            return text, "ok"
        return text, "MISSED by %s (%.1fx the budget)" % (fmt("count", tv - limit), tv / limit)
    return b


def protocol_limit(limit_ms, slack_ms, name):
    """Failover: within slack_ms of the protocol limit."""
    def b(t, _k):
        text = "%s %.1f ms + ≤ %d ms" % (name, limit_ms, slack_ms)
        v = t.median()
        if v is None:
            return text, "n/a"
        d = v - limit_ms
        if d <= slack_ms:
            return text, "ok (%s%+.1f ms)" % (name, d)
        return text, "MISSED by %.1f ms (%s%+.1f ms)" % (d - slack_ms, name, d)
    return b


# ------------------------------------------------------------ table

HEADER = ("what", "tinyvrrp", "keepalived", "tinyvrrp / keepalived", "budget (DESIGN 7)",
          "verdict")


def table(rows):
    out = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for r in rows:
        btext, verdict = budget_text(r)
        if r.failed:
            verdict = "BENCH ERROR: %s" % r.failed
        out.append("| %s | %s | %s | %s | %s | %s |" % (
            r.label, cell_text(r, "tinyvrrp"), cell_text(r, "keepalived"), ratio_text(r),
            btext, verdict or "—"))
    return "\n".join(out)


def missed(rows):
    """Lines naming each budget that is missed, and by how much."""
    lines = []
    for r in rows:
        _b, verdict = budget_text(r)
        if verdict.startswith("MISSED"):
            lines.append("- %s: %s" % (r.label, verdict))
    return lines


# ------------------------------------------------------------ run context

class Ctx:
    """What every row family needs: rows, knobs, which daemons can run."""

    def __init__(self, out, smoke, rows):
        self.out, self.smoke = out, smoke
        self.rows = {r.key: r for r in rows}
        self.unusable = {i: None for i in IMPLS}
        self.notes = []
        self.log = print

    def impls(self):
        return [i for i in IMPLS if not self.unusable[i]]

    def na(self, keys, impl, reason):
        for k in keys:
            if k in self.rows:
                self.rows[k].set_na(impl, reason)

    def add(self, key, impl, value):
        if key in self.rows:
            self.rows[key].cell(impl).add(value)
