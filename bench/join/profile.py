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
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
import bench  # noqa: E402
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "lib"))
import profiling  # noqa: E402  (bench/lib/profiling.py: callgrind and perf reports)

ROWS = int(os.environ.get("PROFILE_ROWS", "2000000"))
UPD_ROWS = int(os.environ.get("PROFILE_UPD_ROWS", "1000000"))
PERF = os.environ.get("PROFILE_PERF", "1") == "1"
WORK = os.path.join(bench.WORK, "profile")


def main():
    os.makedirs(WORK, exist_ok=True)
    baseline = bench.build_baseline(WORK)
    print("code: " + bench.snapshot_bin(WORK) + "\n")
    worker = os.path.join(bench.BIN, "arroyo-worker")
    if shutil.which("valgrind"):
        for k in (1000, 1000000):
            profiling.callgrind(WORK, "window K=%d baseline" % k,
                                [baseline, "window", str(ROWS), str(k)], ROWS)
            so = bench.compile_sql(WORK, "window_k%d" % k, bench.window_sql(ROWS, k, 1), "gcc", emit=True)
            profiling.callgrind(WORK, "window K=%d ours gcc (worker)" % k, [worker, so], ROWS)
        for mode in ("none", "out"):
            profiling.callgrind(WORK, "updating %s baseline" % mode,
                                [baseline, "updating", str(UPD_ROWS), str(bench.TTL_MS), mode, "/dev/null"], UPD_ROWS)
            so = bench.compile_sql(WORK, "updating_%s" % mode, bench.updating_sql(
                UPD_ROWS, 1, bench.RESIDUAL_NONE if mode == "none" else ""), "gcc", emit=True)
            profiling.callgrind(WORK, "updating %s ours gcc (worker)" % mode, [worker, so],
                                UPD_ROWS)
    else:
        print("profile.py: valgrind not installed; callgrind part skipped\n")
    if PERF and shutil.which("perf"):
        so = bench.compile_sql(WORK, "window_k1000000_full", bench.window_sql(bench.ROWS, 1000000, 1), "gcc")
        profiling.perf(WORK, "window K=1000000 ours gcc (worker), %d events" % bench.ROWS,
                       [worker, so])
        so = bench.compile_sql(WORK, "updating_none_full", bench.updating_sql(
            bench.UPD_ROWS, 1, bench.RESIDUAL_NONE), "gcc")
        profiling.perf(WORK, "updating none ours gcc (worker), %d events" % bench.UPD_ROWS,
                       [worker, so])
        profiling.perf(WORK, "updating none baseline, %d events" % bench.UPD_ROWS,
                       [baseline, "updating", str(bench.UPD_ROWS), str(bench.TTL_MS), "none", "/dev/null"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
