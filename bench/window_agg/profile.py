#!/usr/bin/env python3
"""bench/window_agg/profile.py: where the time of the window aggregates goes.

1. callgrind (valgrind): instructions per input event by function, for the baseline and the
   worker (gcc and tcc .so), tumble and hop, K = 1000 and 1000000, on PROFILE_ROWS events
   (10000000: one full 10 s tumbling window, so each key sees as many rows per window as in
   the timed runs). Exact and independent of load; blind to cache misses and waiting.
2. perf (if installed and allowed): cpu-clock samples of the gcc worker on the timed size
   (BENCH_ROWS), K = 1000000, tumble and hop: the share of time per function, which is where
   cache misses show up (no hardware counters in this VM, so no miss counts).

Caveat: valgrind counts one instruction per byte for `rep stosb`/`rep movsb` (impulse's batch
memset: 40 "instructions" per 40-byte row, about one cycle in reality).

Environment: PROFILE_ROWS (10000000), PROFILE_CASES (comma list of kind:K, default
tumble:1000,tumble:1000000,hop:1000,hop:1000000), PROFILE_PERF (1; 0 skips perf),
BENCH_ROWS, BENCH_WORK. Takes 5-10 minutes (callgrind runs ~50x slower than native).
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

ROWS = int(os.environ.get("PROFILE_ROWS", "10000000"))
CASES = [(c.split(":")[0], int(c.split(":")[1])) for c in os.environ.get(
    "PROFILE_CASES", "tumble:1000,tumble:1000000,hop:1000,hop:1000000").split(",") if c]
PERF = os.environ.get("PROFILE_PERF", "1") == "1"
WORK = os.path.join(bench.WORK, "profile")


def main():
    os.makedirs(WORK, exist_ok=True)
    baseline = bench.build_baseline(WORK)
    print("code: " + bench.snapshot_bin(WORK) + "\n")
    worker = os.path.join(bench.BIN, "arroyo-worker")
    if shutil.which("valgrind"):
        for kind, k in CASES:
            profiling.callgrind(WORK, "%s K=%d baseline" % (kind, k),
                                [baseline, bench.BASE_MODE[kind], str(ROWS), str(k)], ROWS)
            for be in ("gcc", "tcc"):
                if be == "tcc" and k != 1000:
                    continue          # tcc: the code-quality gap shows at K = 1000 already
                so = bench.compile_query(WORK, kind, k, be, 1, rows=ROWS, emit=True)
                syms = None
                if be == "tcc":
                    syms = profiling.tcc_symbols(so, so[:-3] + ".c",
                                                 os.path.join(bench.ROOT, "runtime"))
                profiling.callgrind(WORK, "%s K=%d ours %s (worker)" % (kind, k, be), [worker, so],
                                    ROWS, syms)
    else:
        print("profile.py: valgrind not installed; callgrind part skipped\n")
    if PERF and shutil.which("perf"):
        for kind in ("tumble", "hop"):
            k = 1000000
            so = bench.compile_query(WORK, kind, k, "gcc", 1)
            profiling.perf(WORK, "%s K=%d ours gcc (worker), %d events" % (kind, k, bench.ROWS),
                           [worker, so])
            profiling.perf(WORK, "%s K=%d baseline, %d events" % (kind, k, bench.ROWS),
                           [baseline, bench.BASE_MODE[kind], str(bench.ROWS), str(k)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
