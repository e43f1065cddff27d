#!/usr/bin/env python3
"""bench/window_agg/check.py: the worker and baseline.c compute the same values.

bench.py compares only output row counts (the blackhole sink keeps no values). This script
runs the benchmark's aggregations on a smaller input with a stdout sink that also selects
window.start, folds every row into baseline.c's checksum (out_row: window start in ns, key,
count, sum, max; order-independent) and compares it with the baseline's, for tumble, hop and
the count-only tumble, K = 1000 and 100000, both backends, --parallelism 1 and 2 (baseline
run with P = 2 for the latter). CHECK_ROWS (12000000: more than 11 s of event time, so a
tumbling window closes mid-stream) sets the size. Exit 1 on any mismatch. Not part of
run.sh's timed runs; run.sh runs it when BENCH_CHECK=1.
"""
import calendar
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
import bench  # noqa: E402  (its helpers; importing runs nothing)

ROWS = int(os.environ.get("CHECK_ROWS", "12000000"))
M64 = (1 << 64) - 1

SQL = """CREATE TABLE src WITH (
  connector = 'impulse', event_rate = '0', message_count = '%(count)s',
  event_time_interval = '%(interval)s', start_time = '0'
);
CREATE VIEW events AS SELECT counter %% %(keys)d AS key, counter %% 997 AS v FROM src;
SELECT window.start AS ws, key, %(cols)s
FROM (SELECT %(window)s AS window, key, %(aggs)s FROM events GROUP BY window, key);
"""


def out_row(start, key, count, s, m):
    """baseline.c's out_row, in 64-bit unsigned arithmetic."""
    h = (start & M64) * 0x9E3779B97F4A7C15 & M64
    h = (h ^ key) * 0xC2B2AE3D27D4EB4F & M64
    h = (h ^ (count & M64)) * 0x165667B19E3779F9 & M64
    h = (h ^ s) * 0x9E3779B97F4A7C15 & M64
    h = (h ^ m) * 0xC2B2AE3D27D4EB4F & M64
    return h ^ (h >> 29)


def ts_ns(text):
    """'1969-12-31T23:59:52[.fff]' (UTC) -> ns since the epoch."""
    base, _, frac = text.rstrip("Z").partition(".")
    secs = calendar.timegm(time.strptime(base, "%Y-%m-%dT%H:%M:%S"))
    return secs * 1000000000 + (int((frac + "000000000")[:9]) if frac else 0)


def main():
    work = os.path.join(bench.WORK, "check")
    os.makedirs(work, exist_ok=True)
    baseline = bench.build_baseline(work)
    print("code: " + bench.snapshot_bin(work))
    bad = 0
    for kind in ("tumble", "hop", "count"):
        for k in (1000, 100000):
            for p in (1, 2):
                b = subprocess.run([baseline, bench.BASE_MODE[kind], str(ROWS), str(k), str(p)],
                                   stdout=subprocess.PIPE, text=True, check=True).stdout
                want = dict(f.split("=") for f in b.split())
                for be in ("tcc", "gcc"):
                    sql = os.path.join(work, "%s_k%d_p%d.sql" % (kind, k, p))
                    with open(sql, "w") as f:
                        f.write(SQL % dict(bench.source_subst(ROWS, p), keys=k,
                                           window=bench.WINDOW_SQL[kind],
                                           cols="c" if kind == "count" else "c, s, m",
                                           aggs="count(*) AS c" if kind == "count" else
                                           "count(*) AS c, sum(v) AS s, max(v) AS m"))
                    so = sql[:-4] + "_" + be + ".so"
                    bench.check([os.path.join(bench.BIN, "arroyo-compile"), sql, "-o", so,
                                 "--backend", be], "arroyo-compile")
                    r = subprocess.run([os.path.join(bench.BIN, "arroyo-worker"), so,
                                        "--parallelism", str(p)],
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                    n, cs = 0, 0
                    for line in r.stdout.splitlines():
                        o = json.loads(line)
                        cs = (cs + out_row(ts_ns(o["ws"]), o["key"], o["c"], o.get("s", 0),
                                           o.get("m", 0))) & M64
                        n += 1
                    ok = r.returncode == 0 and n == int(want["rows_out"]) and \
                        "%016x" % cs == want["checksum"]
                    bad += not ok
                    print("%-6s K=%-6d p=%d %s: %d rows, checksum %016x, baseline %s rows %s: %s"
                          % (kind, k, p, be, n, cs, want["rows_out"], want["checksum"],
                             "ok" if ok else "MISMATCH (exit %d)\n%s" % (r.returncode, r.stderr[-1000:])),
                          flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
