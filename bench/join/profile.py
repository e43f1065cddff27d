#!/usr/bin/env python3
"""bench/join/profile.py: where the time of the joins goes.

1. callgrind (valgrind): instructions per input event by function (>= 1 % of the total) for
   the baseline and the worker with the gcc .so, on smaller inputs: the windowed join at
   K = 1000 and 1000000 (PROFILE_ROWS, 2000000 events: 1 s of event time per source, one
   window, so at K = 1000000 the join sorts and merges 1 M rows per side once), the updating join with and without output (PROFILE_UPD_ROWS, 1000000). Exact
   and independent of load; blind to cache misses and to waiting. valgrind counts
   `rep stosb/movsb` one instruction per byte.
2. perf (if installed and allowed): cpu-clock samples of the gcc worker on the timed sizes
   (BENCH_ROWS / BENCH_UPD_ROWS): the windowed join at K = 1000000 and the updating join
   without output: the share of time per function, where cache misses show up (no hardware
   counters in this VM).

Environment: PROFILE_ROWS, PROFILE_UPD_ROWS, PROFILE_PERF (1; 0 skips perf), BENCH_ROWS,
BENCH_UPD_ROWS, BENCH_WORK, BENCH_BIN. Takes 10-20 minutes (callgrind runs ~50x slower).
"""
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
import bench  # noqa: E402

ROWS = int(os.environ.get("PROFILE_ROWS", "2000000"))
UPD_ROWS = int(os.environ.get("PROFILE_UPD_ROWS", "1000000"))
PERF = os.environ.get("PROFILE_PERF", "1") == "1"
WORK = os.path.join(bench.WORK, "profile")

LINE_RE = re.compile(r"^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*)$")


def sh(cmd):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def callgrind(name, cmd, events):
    out = os.path.join(WORK, "callgrind." + re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_"))
    r = sh(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out] + cmd)
    if r.returncode != 0:
        print("%s: callgrind run failed:\n%s" % (name, r.stderr[-2000:]))
        return
    ann = sh(["callgrind_annotate", "--auto=no", "--threshold=99", out]).stdout
    total, funcs = None, []
    for line in ann.splitlines():
        m = LINE_RE.match(line)
        if not m:
            continue
        n, what = int(m.group(1).replace(",", "")), m.group(2)
        if "PROGRAM TOTALS" in what:
            total = n
        elif total is not None and not what.startswith("*"):
            fm = re.match(r"(.*?):([^:\[]+?)(?: \[(.*)\])?$", what)
            fn, obj = (fm.group(2).strip(), os.path.basename(fm.group(3) or "")) if fm else (what, "")
            funcs.append((n, fn, obj))
    if not total:
        print("%s: no totals from callgrind_annotate" % name)
        return
    print("%s: %.1f instructions per input event (%d events)" % (name, total / events, events))
    for n, fn, obj in funcs:
        if n * 100 >= total:
            print("  %9.1f  %s (%s)" % (n / events, fn, obj or "inlined from a header"))
    print(flush=True)


def perf(name, cmd):
    data = os.path.join(WORK, "perf." + re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_"))
    r = sh(["perf", "record", "-q", "-e", "cpu-clock", "-F", "2000", "-o", data, "--"] + cmd)
    if r.returncode != 0:
        print("%s: perf record failed (perf_event_paranoid?):\n%s" % (name, r.stderr[-500:]))
        return
    rep = sh(["perf", "report", "-i", data, "--stdio", "--no-children", "--sort", "sym",
              "--percent-limit", "1.5"]).stdout
    print("%s: share of cpu-clock samples (all threads)" % name)
    for line in rep.splitlines():
        m = re.match(r"^\s+([\d.]+)%\s+\[([.k])\]\s+(.*)$", line)
        if m:
            print("  %5.1f %%  %s%s" % (float(m.group(1)), m.group(3).strip(),
                                        " (kernel)" if m.group(2) == "k" else ""))
    print(flush=True)


def main():
    os.makedirs(WORK, exist_ok=True)
    baseline = bench.build_baseline(WORK)
    print("code: " + bench.snapshot_bin(WORK) + "\n")
    worker = os.path.join(bench.BIN, "arroyo-worker")
    if shutil.which("valgrind"):
        for k in (1000, 1000000):
            callgrind("window K=%d baseline" % k, [baseline, "window", str(ROWS), str(k)], ROWS)
            so = bench.compile_sql(WORK, "window_k%d" % k, bench.window_sql(ROWS, k, 1), "gcc", emit=True)
            callgrind("window K=%d ours gcc (worker)" % k, [worker, so], ROWS)
        for mode in ("none", "out"):
            callgrind("updating %s baseline" % mode,
                      [baseline, "updating", str(UPD_ROWS), str(bench.TTL_MS), mode, "/dev/null"], UPD_ROWS)
            so = bench.compile_sql(WORK, "updating_%s" % mode, bench.updating_sql(
                UPD_ROWS, 1, bench.RESIDUAL_NONE if mode == "none" else ""), "gcc", emit=True)
            callgrind("updating %s ours gcc (worker)" % mode, [worker, so], UPD_ROWS)
    else:
        print("profile.py: valgrind not installed; callgrind part skipped\n")
    if PERF and shutil.which("perf"):
        so = bench.compile_sql(WORK, "window_k1000000_full", bench.window_sql(bench.ROWS, 1000000, 1), "gcc")
        perf("window K=1000000 ours gcc (worker), %d events" % bench.ROWS, [worker, so])
        so = bench.compile_sql(WORK, "updating_none_full", bench.updating_sql(
            bench.UPD_ROWS, 1, bench.RESIDUAL_NONE), "gcc")
        perf("updating none ours gcc (worker), %d events" % bench.UPD_ROWS, [worker, so])
        perf("updating none baseline, %d events" % bench.UPD_ROWS,
             [baseline, "updating", str(bench.UPD_ROWS), str(bench.TTL_MS), "none", "/dev/null"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
