"""bench/lib/benchlib.py: helpers shared by the benchmark drivers in bench/*/.

- build_runstat(dir): compile runstat.c (once per directory); call before run().
- run(cmd): run a process to completion through runstat, stdout/stderr in files; returns
  wall seconds (fork..wait, so process start is included), user+sys CPU seconds of the
  process and all its threads, peak RSS and the output text.
- median(xs), fmt_rate(x), fmt_bytes(kb): small formatting helpers.
- Table: a Markdown table whose columns are padded so it also reads well on a terminal.
- publish(report): print a report, and append it to the file BENCH_OUT names.
- code_state(root), snapshot_bin(root, work), loadavg(): which code was measured, a private
  copy of bin/ to measure (others rebuild bin/ meanwhile), the load average. (bench/join keeps
  its own snapshot_bin: it honours BENCH_BIN and copies no abi.h.)

No timing assertions live here: drivers report ratios measured in the same run.
"""
import os
import shutil
import statistics
import subprocess
import tempfile
import time


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


def publish(report):
    """Print a finished report and, when BENCH_OUT names a file, append it there too."""
    print(report)
    out = os.environ.get("BENCH_OUT")
    if out:
        with open(out, "a") as f:
            f.write(report + "\n")


def code_state(root):
    """Which code was measured: HEAD, uncommitted changes under the directories the worker and
    the compiler are built from, and when bin/ was built."""
    def git(*args):
        p = subprocess.run(["git", "-C", root] + list(args), stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True)
        return p.stdout.rstrip("\n") if p.returncode == 0 else ""
    head = git("rev-parse", "--short", "HEAD").strip() or "?"
    dirty = git("status", "--porcelain", "--", "runtime", "connectors", "compiler", "codegen")
    dirs = sorted({line[3:].split("/")[0] for line in dirty.splitlines() if line[3:]})
    try:
        built = time.strftime("%H:%M", time.localtime(os.path.getmtime(
            os.path.join(root, "bin", "arroyo-worker"))))
    except OSError:
        built = "?"
    return "HEAD %s%s, bin/arroyo-worker built %s" % (
        head, " + uncommitted changes in " + ", ".join(d + "/" for d in dirs) if dirs else "", built)


def snapshot_bin(root, work):
    """Copy bin/arroyo-compile, bin/arroyo-worker and runtime/abi.h (which the compiler reads
    at every compile) into work/bin, point ARROYO_RUNTIME_DIR at the copied header, and return
    (that bin directory, code_state at the time of the copy): others rebuild bin/ while a
    benchmark runs, and medians over a mix of binaries would compare nothing."""
    state = code_state(root)
    dst = os.path.join(work, "bin")
    inc = os.path.join(dst, "runtime")
    os.makedirs(inc, exist_ok=True)
    for src, to in ((os.path.join(root, "bin", "arroyo-compile"), os.path.join(dst, "arroyo-compile")),
                    (os.path.join(root, "bin", "arroyo-worker"), os.path.join(dst, "arroyo-worker")),
                    (os.path.join(root, "runtime", "abi.h"), os.path.join(inc, "abi.h"))):
        shutil.copy2(src, to + ".tmp")
        os.replace(to + ".tmp", to)
    if os.path.getmtime(os.path.join(root, "runtime", "abi.h")) > \
            os.path.getmtime(os.path.join(root, "bin", "arroyo-worker")):
        state += " (WARNING: runtime/abi.h is newer than bin/arroyo-worker: run make)"
    os.environ["ARROYO_RUNTIME_DIR"] = inc
    return dst, state


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"
