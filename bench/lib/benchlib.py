"""bench/lib/benchlib.py: helpers shared by the benchmark drivers in bench/*/.

- build_runstat(dir): compile runstat.c (once per directory); call before run().
- run(cmd): run a process to completion through runstat, stdout/stderr in files; returns
  wall seconds (fork..wait, so process start is included), user+sys CPU seconds of the
  process and all its threads, peak RSS and the output text.
- median(xs), fmt_rate(x), fmt_bytes(kb): small formatting helpers.
- Table: a Markdown table whose columns are padded so it also reads well on a terminal.

No timing assertions live here: drivers report ratios measured in the same run.
"""
import os
import statistics
import subprocess
import tempfile


class Result:
    """One measured process run."""

    def __init__(self, cmd, rc, wall, user, sys, maxrss_kb, out, err):
        self.cmd = cmd            # argv list
        self.rc = rc              # exit status (negative: killed by signal)
        self.wall = wall          # seconds, wall clock
        self.user = user          # seconds of user CPU, all threads
        self.sys = sys            # seconds of system CPU, all threads
        self.cpu = user + sys
        self.maxrss_kb = maxrss_kb  # peak resident set size, KB
        self.out = out            # stdout text
        self.err = err            # stderr text


_runstat = None


def build_runstat(workdir):
    """Compile bench/lib/runstat.c into workdir (skipped when up to date)."""
    global _runstat
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "runstat.c")
    exe = os.path.join(workdir, "runstat")
    if not os.path.exists(exe) or os.path.getmtime(exe) < os.path.getmtime(src):
        subprocess.run(["cc", "-O2", "-Wall", "-Wextra", "-Werror", "-o", exe, src], check=True)
    _runstat = exe


def run(cmd, env=None, cwd=None):
    """Run cmd (argv list) through runstat; returns a Result."""
    if _runstat is None:
        raise RuntimeError("benchlib.build_runstat(dir) first")
    with tempfile.TemporaryFile() as fo, tempfile.TemporaryFile() as fe, \
            tempfile.NamedTemporaryFile("r") as fs:
        p = subprocess.run([_runstat, fs.name] + list(cmd), stdout=fo, stderr=fe, env=env, cwd=cwd)
        fo.seek(0)
        fe.seek(0)
        out = fo.read().decode(errors="replace")
        err = fe.read().decode(errors="replace")
        stat = fs.read().split()
        if p.returncode != 0 or len(stat) != 5:
            return Result(cmd, 127, float("nan"), float("nan"), float("nan"), 0, out, err)
        rc, wall, user, sys_, rss = int(stat[0]), float(stat[1]), float(stat[2]), float(stat[3]), int(stat[4])
        return Result(cmd, rc, wall, user, sys_, rss, out, err)


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def fmt_rate(x):
    if x != x:
        return "-"
    for unit, div in (("G", 1e9), ("M", 1e6), ("K", 1e3)):
        if x >= div:
            return "%.1f %s" % (x / div, unit)
    return "%.0f" % x


def fmt_kb(kb):
    return "%.1f MB" % (kb / 1024.0) if kb >= 1024 else "%d KB" % kb


class Table:
    """Markdown table, columns padded for terminals. right: set of right-aligned columns."""

    def __init__(self, headers, right=()):
        self.headers = list(headers)
        self.right = set(right)
        self.rows = []

    def add(self, *cells):
        self.rows.append([str(c) for c in cells])

    def render(self):
        w = [len(h) for h in self.headers]
        for r in self.rows:
            for i, c in enumerate(r):
                w[i] = max(w[i], len(c))

        def line(cells):
            out = []
            for i, c in enumerate(cells):
                out.append(c.rjust(w[i]) if i in self.right else c.ljust(w[i]))
            return "| " + " | ".join(out) + " |"

        sep = "|" + "|".join(("-" * (w[i] + 1) + ":") if i in self.right else ("-" * (w[i] + 2))
                             for i in range(len(w))) + "|"
        return "\n".join([line(self.headers), sep] + [line(r) for r in self.rows])
