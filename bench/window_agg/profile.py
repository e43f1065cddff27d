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
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
import bench  # noqa: E402

ROWS = int(os.environ.get("PROFILE_ROWS", "10000000"))
CASES = [(c.split(":")[0], int(c.split(":")[1])) for c in os.environ.get(
    "PROFILE_CASES", "tumble:1000,tumble:1000000,hop:1000,hop:1000000").split(",") if c]
PERF = os.environ.get("PROFILE_PERF", "1") == "1"
WORK = os.path.join(bench.WORK, "profile")

LINE_RE = re.compile(r"^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*)$")


def sh(cmd):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def tcc_symbols(so, c_file):
    """tcc writes no symbol table into the .so; rebuild the emitted C with `tcc -shared -g`
    (same compiler, same input, hence the same layout) and map addresses to names."""
    if not shutil.which("tcc") or not os.path.exists(c_file):
        return {}
    dbg = so[:-3] + "_symbols.so"
    inc = os.environ.get("ARROYO_RUNTIME_DIR") or os.path.join(bench.ROOT, "runtime")
    r = sh(["tcc", "-shared", "-g", "-I" + inc, "-o", dbg, c_file])
    if r.returncode != 0:
        return {}
    names = {}
    for line in sh(["nm", dbg]).stdout.splitlines():
        f = line.split()
        if len(f) == 3 and f[1] in "tT":
            names[int(f[0], 16)] = f[2]
    return names


def callgrind(name, cmd, rows, symbols=None):
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
            if symbols and re.match(r"^0x[0-9a-f]+$", fn) and int(fn, 16) in symbols:
                fn = symbols[int(fn, 16)] + " [by address]"
            funcs.append((n, fn, obj))
    if not total:
        print("%s: no totals from callgrind_annotate" % name)
        return
    print("%s: %.1f instructions per input event (%d events)" % (name, total / rows, rows))
    for n, fn, obj in funcs:
        if n * 100 >= total:
            print("  %8.1f  %s (%s)" % (n / rows, fn, obj or "inlined from a header"))
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
        for kind, k in CASES:
            callgrind("%s K=%d baseline" % (kind, k),
                      [baseline, bench.BASE_MODE[kind], str(ROWS), str(k)], ROWS)
            for be in ("gcc", "tcc"):
                if be == "tcc" and k != 1000:
                    continue          # tcc: the code-quality gap shows at K = 1000 already
                so = bench.compile_query(WORK, kind, k, be, 1, rows=ROWS, emit=True)
                syms = tcc_symbols(so, so[:-3] + ".c") if be == "tcc" else None
                callgrind("%s K=%d ours %s (worker)" % (kind, k, be), [worker, so], ROWS, syms)
    else:
        print("profile.py: valgrind not installed; callgrind part skipped\n")
    if PERF and shutil.which("perf"):
        for kind in ("tumble", "hop"):
            k = 1000000
            so = bench.compile_query(WORK, kind, k, "gcc", 1)
            perf("%s K=%d ours gcc (worker), %d events" % (kind, k, bench.ROWS), [worker, so])
            perf("%s K=%d baseline, %d events" % (kind, k, bench.ROWS),
                 [baseline, bench.BASE_MODE[kind], str(bench.ROWS), str(k)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
