#!/usr/bin/env python3
"""bench/join/check.py: the worker and baseline.c compute the same join results.

bench.py compares output row counts only (the blackhole sink keeps no values; the updating
variants write to /dev/null). This script runs the benchmark's queries on smaller inputs and
compares values, with both backends at --parallelism 1 and 2:
  windowed join, K = 1000 and 1000000, CHECK_ROWS events (4000000: 2 s of event time per
    source, so a window closes mid-stream): the query with its blackhole sink and INSERT
    removed, so its rows go to stdout as JSON; every row (k, c, s) is folded into
    baseline.c's order-independent checksum and compared with `baseline window`.
  updating join, CHECK_UPD_ROWS events (400000): the query writing debezium_json to a file;
    its lines, sorted, must equal the sorted lines `baseline updating ... out FILE` writes.
Exit 1 on any mismatch. Not part of run.sh's timed runs; run.sh runs it when BENCH_CHECK=1.
"""
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
import bench  # noqa: E402  (its helpers; importing runs nothing)

ROWS = int(os.environ.get("CHECK_ROWS", "4000000"))
UPD_ROWS = int(os.environ.get("CHECK_UPD_ROWS", "400000"))
M64 = (1 << 64) - 1


def out_row(x, y, z):
    """baseline.c's out_row, in 64-bit unsigned arithmetic."""
    h = (x * 0x9E3779B97F4A7C15) & M64
    h = ((h ^ y) * 0xC2B2AE3D27D4EB4F) & M64
    h = ((h ^ z) * 0x165667B19E3779F9) & M64
    return h ^ (h >> 29)


def to_stdout(sql):
    """The query without its sink: a plain SELECT, whose rows the worker prints."""
    sql = re.sub(r"^CREATE TABLE out .*$\n", "", sql, flags=re.M)
    return re.sub(r"^INSERT INTO out\n", "", sql, flags=re.M)


def run_worker(so, p):
    return subprocess.run([os.path.join(bench.BIN, "arroyo-worker"), so, "--parallelism", str(p)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def main():
    work = os.path.join(bench.WORK, "check")
    os.makedirs(work, exist_ok=True)
    baseline = bench.build_baseline(work)
    print("code: " + bench.snapshot_bin(work))
    bad = 0
    for k in (1000, 1000000):
        b = subprocess.run([baseline, "window", str(ROWS), str(k)], stdout=subprocess.PIPE,
                           text=True, check=True).stdout
        want = dict(f.split("=") for f in b.split())
        for p in (1, 2):
            for be in ("tcc", "gcc"):
                so = bench.compile_sql(work, "window_k%d_p%d" % (k, p),
                                       to_stdout(bench.window_sql(ROWS, k, p)), be)
                r = run_worker(so, p)
                n, cs = 0, 0
                for line in r.stdout.splitlines():
                    o = json.loads(line)
                    cs = (cs + out_row(o["k"], o["c"], o["s"])) & M64
                    n += 1
                ok = r.returncode == 0 and n == int(want["rows_out"]) and "%016x" % cs == want["checksum"]
                bad += not ok
                print("window K=%-7d p=%d %s: %d rows, checksum %016x; baseline %s rows, %s: %s"
                      % (k, p, be, n, cs, want["rows_out"], want["checksum"],
                         "ok" if ok else "MISMATCH (exit %d)\n%s" % (r.returncode, r.stderr[-1000:])),
                      flush=True)
    bfile = os.path.join(work, "updating_baseline.json")
    subprocess.run([baseline, "updating", str(UPD_ROWS), str(bench.TTL_MS), "out", bfile],
                   stdout=subprocess.PIPE, check=True)
    with open(bfile) as f:
        want = sorted(f.read().splitlines())
    for p in (1, 2):
        for be in ("tcc", "gcc"):
            wfile = os.path.join(work, "updating_p%d_%s.json" % (p, be))
            so = bench.compile_sql(work, "updating_p%d" % p, bench.updating_sql(UPD_ROWS, p, path=wfile), be)
            r = run_worker(so, p)
            got = []
            if r.returncode == 0 and os.path.exists(wfile):
                with open(wfile) as f:
                    got = sorted(f.read().splitlines())
            ok = r.returncode == 0 and got == want
            bad += not ok
            print("updating p=%d %s: %d lines, baseline %d lines: %s"
                  % (p, be, len(got), len(want),
                     "ok" if ok else "MISMATCH (exit %d)\n%s" % (r.returncode, r.stderr[-1000:])),
                  flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
