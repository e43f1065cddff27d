"""bench/lib/rss.py: a process's resident set over time, for the memory benchmarks.

- run_sampled(cmd, workdir, sample, stop): run cmd to completion (stdout/stderr in workdir),
  sampling VmRSS from /proc/PID/status every `sample` seconds; peak RSS and CPU from wait4;
  `stop` may cut the run off (a time or memory limit).
- curve_stats(r, warmup, teardown): min, median, max, growth (max of the second half of the
  post-warm-up samples minus the max of the first half) and least-squares slope, over the
  samples between `warmup` and 1 - `teardown` (fractions of the wall time).
- verdict(growth_kb, peak_kb): "flat", "WARNING: grows" or "GROWS (leak?)" (the thresholds the
  memory benchmarks share: flat <= max(2 % of peak, 8 MB), leak > max(10 %, 32 MB)).
- ascii_chart(r, warmup), curve_table(r): the curve for a report.

It measures; it asserts nothing (drivers decide what a result means).
"""
import os
import statistics
import subprocess
import time

import benchlib

def vmrss_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


class Sampled:
    def __init__(self, samples, wall, user, sys_, maxrss_kb, rc, out, err):
        self.samples = samples          # [(seconds since start, RSS KB)]
        self.wall, self.user, self.sys, self.cpu = wall, user, sys_, user + sys_
        self.maxrss_kb, self.rc, self.out, self.err = maxrss_kb, rc, out, err


def run_sampled(cmd, workdir, sample=0.25, stop=None):
    """Run cmd, sampling its VmRSS every `sample` s; peak RSS and CPU from wait4.

    stop(seconds, rss_kb), when given, is called with every sample; if it returns a reason
    (a string) the process is killed and the reason is kept in the result's `stopped`."""
    fo = open(os.path.join(workdir, "stdout.txt"), "w+")
    fe = open(os.path.join(workdir, "stderr.txt"), "w+")
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=fo, stderr=fe)
    samples = []
    rusage = None
    status = 0
    stopped = None
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        now = time.monotonic() - t0
        if pid == p.pid:
            rusage = ru
            break
        kb = vmrss_kb(p.pid)
        if kb is not None:
            samples.append((now, kb))
            if stop is not None and stopped is None:
                stopped = stop(now, kb)
                if stopped:
                    p.kill()
        time.sleep(sample)
    wall = time.monotonic() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    fo.seek(0)
    fe.seek(0)
    out, err = fo.read(), fe.read()
    fo.close()
    fe.close()
    r = Sampled(samples, wall, rusage.ru_utime, rusage.ru_stime, rusage.ru_maxrss,
                p.returncode, out, err)
    r.stopped = stopped
    return r


def after_warmup(r, warmup, teardown=0.02):
    lo, hi = r.wall * warmup, r.wall * (1 - teardown)
    return [s for s in r.samples if lo <= s[0] < hi]


def curve_stats(r, warmup, teardown=0.02):
    """(min, median, max, growth, slope KB/s) of the samples after warm-up."""
    post = after_warmup(r, warmup, teardown)
    if len(post) < 3:
        return None
    kbs = [kb for _, kb in post]
    half = len(post) // 2
    growth = max(kbs[half:]) - max(kbs[:half])
    n = len(post)
    mt = sum(t for t, _ in post) / n
    mk = sum(kbs) / n
    var = sum((t - mt) ** 2 for t, _ in post)
    slope = sum((t - mt) * (kb - mk) for t, kb in post) / var if var > 0 else 0.0
    return min(kbs), statistics.median(kbs), max(kbs), growth, slope


def ascii_chart(r, warmup, width=64, height=12):
    """RSS over time: one column per time slice (its max sample), '#' up to the value."""
    if not r.samples:
        return ["(no samples)"]
    top = max(kb for _, kb in r.samples)
    cols = []
    for i in range(width):
        lo, hi = r.wall * i / width, r.wall * (i + 1) / width
        vals = [kb for t, kb in r.samples if lo <= t < hi]
        cols.append(max(vals) if vals else (cols[-1] if cols else 0))
    lines = []
    for row in range(height, 0, -1):
        level = top * row / height
        label = benchlib.fmt_kb(level) if row in (height, height // 2) else ""
        lines.append("%10s |%s" % (label, "".join("#" if c >= level - top / (2 * height) else " "
                                                   for c in cols)))
    lines.append("%10s +%s" % ("0", "-" * width))
    warm = int(width * warmup)
    lines.append("%10s  %s^ end of warm-up (%.0f%% of the run)" % ("", " " * warm, warmup * 100))
    lines.append("%10s  0 s%s%.1f s" % ("", " " * (width - 8), r.wall))
    return lines


def curve_table(r, rows=16):
    """Every k-th sample so that about `rows` lines show the whole curve."""
    t = benchlib.Table(["t s", "RSS"], right={0, 1})
    step = max(1, len(r.samples) // rows)
    picked = r.samples[::step]
    if r.samples and picked[-1] is not r.samples[-1]:
        picked.append(r.samples[-1])
    for ts, kb in picked:
        t.add("%.2f" % ts, benchlib.fmt_kb(kb))
    return t.render()


def verdict(growth_kb, peak_kb):
    """The shared reading of a post-warm-up growth: (verdict, flat limit KB, is_leak)."""
    flat = max(0.02 * peak_kb, 8 * 1024)
    leak = max(0.10 * peak_kb, 32 * 1024)
    if growth_kb <= flat:
        return "flat", flat, False
    if growth_kb <= leak:
        return "WARNING: grows", flat, False
    return "GROWS (leak?)", flat, True
