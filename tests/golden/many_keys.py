#!/usr/bin/env python3
"""tests/golden/many_keys.py: "very many keys" test of windowed and updating aggregation.

The golden runner compares against committed files, and a million-key input does not belong
in the repository, so this script generates it at test time (tests/out/many_keys/), runs two
pipelines through bin/arroyo-compile and bin/arroyo-worker with both backends (tcc, gcc) at
parallelism 1 and 3, and checks every output row against counts computed here in Python from
the same generator, independently of arroyo-c:

  input   N = 1,000,000 distinct keys k = 0 .. N-1 (BIGINT). Every key has one row in the
          minute 10:00; keys with k % 20 == 0 have two more rows in 10:00; keys with
          k % 10 == 0 have one row in 10:01. 1,200,000 rows in event-time order.
  tumble  SELECT window.start, k, count(*) ... GROUP BY tumble(1 minute), k  (json sink)
          expected: 1,100,000 rows; (10:00, k) -> 3 if k % 20 == 0 else 1; (10:01, k) -> 1
          for k % 10 == 0. Checked row by row: no missing, extra or duplicate (window, key),
          every count right, and the total of the counts is 1,200,000.
  update  SELECT k, count(*) ... GROUP BY k  (debezium_json sink)
          the debezium records are replayed (c: key absent; u: before present and equal;
          d: before present) and the final state must hold all N keys with
          k % 20 == 0 -> 4, k % 10 == 0 -> 2, else 1 (sum 1,200,000).

Usage: python3 tests/golden/many_keys.py [--keys N] [--backend tcc|gcc|both]
       [--parallelism 1,3] [--bin DIR] [--timeout SECONDS] [--keep]
Prints one PASS/FAIL line per run and a closing "N passed, M failed"; exit status 1 on any
failure. Needs the binaries built (make). --keep leaves the generated files in
tests/out/many_keys/ (by default the large input and outputs are removed at the end).
"""

import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(ROOT, "tests", "out", "many_keys")

W1 = "2024-03-01T10:00:00"
W2 = "2024-03-01T10:01:00"

SOURCE = """CREATE TABLE t (
  ts TIMESTAMP NOT NULL,
  k BIGINT NOT NULL,
  WATERMARK FOR ts AS ts - INTERVAL '1 hour'
) WITH (
  connector = 'single_file',
  path = '%(input)s',
  format = 'json',
  type = 'source'
);
"""

TUMBLE = SOURCE + """
CREATE TABLE out WITH (
  connector = 'single_file',
  path = '%(output)s',
  format = 'json',
  type = 'sink'
);

INSERT INTO out
SELECT window.start AS ws, k, n
FROM (
  SELECT tumble(interval '1 minute') AS window, k, count(*) AS n
  FROM t
  GROUP BY 1, 2
);
"""

UPDATE = SOURCE + """
CREATE TABLE out WITH (
  connector = 'single_file',
  path = '%(output)s',
  format = 'debezium_json',
  type = 'sink'
);

INSERT INTO out
SELECT k, count(*) AS n
FROM t
GROUP BY k;
"""


def generate(path, n):
    """Write the input; rows are in event-time order (and the watermark delay is 1 hour)."""
    with open(path, "w") as f:
        w = f.write
        # every key once in 10:00 (10:00:00.000 .. 10:00:49.999, 50 us apart)
        for k in range(n):
            us = k * 50
            w('{"ts":"2024-03-01T10:00:%02d.%06dZ","k":%d}\n' % (us // 1_000_000, us % 1_000_000, k))
        # keys k % 20 == 0 twice more in 10:00 (from 10:00:55)
        j = 0
        for rep in range(2):
            for k in range(0, n, 20):
                us = 55_000_000 + j
                j += 1
                w('{"ts":"2024-03-01T10:00:%02d.%06dZ","k":%d}\n' % (us // 1_000_000, us % 1_000_000, k))
        # keys k % 10 == 0 once in 10:01
        j = 0
        for k in range(0, n, 10):
            us = j
            j += 1
            w('{"ts":"2024-03-01T10:01:%02d.%06dZ","k":%d}\n' % (us // 1_000_000, us % 1_000_000, k))
    return n + 2 * len(range(0, n, 20)) + len(range(0, n, 10))


def check_tumble(out_path, n, total_rows):
    """Every (window, key) exactly once with the right count."""
    seen1 = bytearray(n)
    seen2 = bytearray(n)
    rows = 0
    total = 0
    with open(out_path) as f:
        for i, line in enumerate(f, 1):
            r = json.loads(line)
            if set(r) != {"ws", "k", "n"}:
                return "line %d: unexpected columns %s" % (i, sorted(r))
            k, c, ws = r["k"], r["n"], r["ws"]
            if not (isinstance(k, int) and 0 <= k < n and isinstance(c, int)):
                return "line %d: bad row %s" % (i, line.strip())
            if ws == W1:
                want, seen = (3 if k % 20 == 0 else 1), seen1
            elif ws == W2 and k % 10 == 0:
                want, seen = 1, seen2
            else:
                return "line %d: row for a window/key that has no input: %s" % (i, line.strip())
            if seen[k]:
                return "line %d: duplicate (window, key): %s" % (i, line.strip())
            seen[k] = 1
            if c != want:
                return "line %d: count %d, expected %d: %s" % (i, c, want, line.strip())
            rows += 1
            total += c
    want_rows = n + len(range(0, n, 10))
    if rows != want_rows:
        missing = next((("10:00", k) for k in range(n) if not seen1[k]), None) or \
            next((("10:01", k) for k in range(0, n, 10) if not seen2[k]), None)
        return "%d rows, expected %d (first missing: %s)" % (rows, want_rows, missing)
    if total != total_rows:
        return "sum of counts %d, expected %d" % (total, total_rows)
    return None


def check_update(out_path, n, total_rows):
    """Replay the debezium records; the final state must be k -> expected count, all keys."""
    state = [0] * n                     # 0 = absent (counts are >= 1)
    with open(out_path) as f:
        for i, line in enumerate(f, 1):
            r = json.loads(line)
            op = r.get("op")
            b, a = r.get("before"), r.get("after")
            if op in ("u", "d"):
                if not isinstance(b, dict) or state[b["k"]] != b["n"]:
                    return "line %d: op %s retracts a row not in the state: %s" % (i, op, line.strip())
                state[b["k"]] = 0
            if op in ("c", "u"):
                if not isinstance(a, dict) or set(a) != {"k", "n"}:
                    return "line %d: bad after image: %s" % (i, line.strip())
                if state[a["k"]] != 0:
                    return "line %d: op %s inserts a key already present: %s" % (i, op, line.strip())
                state[a["k"]] = a["n"]
            if op not in ("c", "u", "d"):
                return "line %d: unknown op: %s" % (i, line.strip())
    keys = 0
    total = 0
    for k in range(n):
        want = 4 if k % 20 == 0 else 2 if k % 10 == 0 else 1
        if state[k] != want:
            return "final state: key %d has count %d, expected %d" % (k, state[k], want)
        keys += 1
        total += state[k]
    if total != total_rows:
        return "final state: sum of counts %d, expected %d" % (total, total_rows)
    return None


def run(argv, timeout):
    t0 = time.time()
    try:
        p = subprocess.run(argv, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, "", "timed out after %gs" % timeout, time.time() - t0
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"), \
        time.time() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keys", type=int, default=1_000_000)
    ap.add_argument("--backend", default="both", choices=["tcc", "gcc", "both"])
    ap.add_argument("--parallelism", default="1,3")
    ap.add_argument("--bin", default=os.environ.get("BIN", "bin"))
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    bindir = args.bin if os.path.isabs(args.bin) else os.path.join(ROOT, args.bin)
    backends = ["tcc", "gcc"] if args.backend == "both" else [args.backend]
    pars = [int(p) for p in args.parallelism.split(",")]

    os.makedirs(OUT, exist_ok=True)
    inp = os.path.join(OUT, "keys.json")
    total_rows = generate(inp, args.keys)
    print("many_keys: %d keys, %d input rows (%.1f MB)" % (args.keys, total_rows,
                                                           os.path.getsize(inp) / 1e6), flush=True)
    passed = failed = 0
    for qname, sql, check in (("tumble", TUMBLE, check_tumble), ("update", UPDATE, check_update)):
        for backend in backends:
            base = os.path.join(OUT, "%s_%s" % (qname, backend))
            outp = base + ".json"
            with open(base + ".sql", "w") as f:
                f.write(sql % {"input": inp, "output": outp})
            if os.path.exists(base + ".so"):
                os.remove(base + ".so")
            rc, _, err, _ = run([os.path.join(bindir, "arroyo-compile"), base + ".sql", "-o",
                                 base + ".so", "--backend", backend], args.timeout)
            for par in pars:
                label = "many_keys_%s[%s,p%d]" % (qname, backend, par)
                if rc != 0:
                    print("FAIL  %s: compile failed: %s" % (label, err.strip()[:300]), flush=True)
                    failed += 1
                    continue
                if os.path.exists(outp):
                    os.remove(outp)
                wrc, _, werr, secs = run([os.path.join(bindir, "arroyo-worker"), base + ".so",
                                          "--parallelism", str(par)], args.timeout)
                if wrc != 0:
                    print("FAIL  %s: worker %s: %s" % (label, "timed out" if wrc is None else
                                                       "exit %d" % wrc, werr.strip()[-300:]),
                          flush=True)
                    failed += 1
                    continue
                problem = check(outp, args.keys, total_rows) if os.path.exists(outp) else \
                    "no output file"
                late = [l for l in werr.splitlines() if "late rows dropped" in l and
                        not l.split(": ", 2)[-1].startswith("0 late")]
                if problem is None and late:
                    problem = "rows dropped as late: " + late[0]
                if problem:
                    print("FAIL  %s: %s" % (label, problem), flush=True)
                    failed += 1
                else:
                    print("PASS  %s (%.1fs)" % (label, secs), flush=True)
                    passed += 1
    if not args.keep:
        for f in os.listdir(OUT):
            if f.endswith(".json"):
                os.remove(os.path.join(OUT, f))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
