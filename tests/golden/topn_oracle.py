#!/usr/bin/env python3
"""tests/golden/topn_oracle.py: input and expected outputs of the updating top-N golden tests
(tests/golden/queries/topn_*.sql: ROW_NUMBER() without a window, issue 6).

The input (inputs/topn_rows.json) is written here from a fixed list: rows with a partition key
k (TEXT, some NULL), a second key g, order keys a (BIGINT, NULLs and many ties) and b (TEXT,
NULLs), and an event time. The expected final state of each test's debezium output is computed
INDEPENDENTLY of arroyo-c by SQLite (python's sqlite3, 3.30 or later for NULLS FIRST/LAST)
running the test's ROW_NUMBER() query over all input rows, with two adjustments that make it
the same query:
  - NULL ordering is spelled out: PostgreSQL's and DataFusion's default (NULLs sort as larger
    than every value: last for ASC, first for DESC), where SQLite's default is the opposite;
  - rows that tie under the query's ORDER BY keep their arrival order, so `id` (the row's
    position in the file) is appended to ORDER BY as the last key.
An updating top-N's final state is the result of the query over all rows (the goldens hold
one "c" record per row of it; run_peer.py compares only final states, keyed by the whole row).
Timestamps in a debezium_json sink are Unix milliseconds.

Run it from anywhere: python3 tests/golden/topn_oracle.py [--check]. Without --check it
(re)writes the input and the goldens it owns; with --check it only compares and exits 1 on a
difference.
"""

import calendar
import json
import os
import sqlite3
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
INPUT = os.path.join(HERE, "inputs", "topn_rows.json")

# id, k, g, a, b, ts (seconds after 2023-01-01T00:00:00Z); id = arrival order
ROWS = [
    (1, "x", 1, 10, "m", 0), (2, "x", 1, 30, "c", 1), (3, "y", 1, 20, "q", 2),
    (4, "x", 2, 30, "a", 3), (5, None, 1, 5, "z", 4), (6, "y", 2, None, "e", 5),
    (7, "x", 1, 20, None, 6), (8, "z", 1, 7, "k", 7), (9, "x", 2, 30, "c", 8),
    (10, "y", 1, 20, "b", 9), (11, None, 2, 9, None, 10), (12, "x", 1, None, "d", 11),
    (13, "y", 2, 25, "r", 12), (14, "x", 2, 5, "y", 13), (15, "z", 2, 7, "k", 14),
    (16, "y", 1, 20, "q", 15), (17, "x", 1, 40, "n", 16), (18, None, 1, 5, "a", 17),
    (19, "y", 2, None, None, 18), (20, "x", 2, 30, "b", 19), (21, "z", 1, 8, "j", 20),
    (22, "y", 1, 1, "t", 21), (23, "x", 1, 10, "m", 22), (24, "z", 2, 6, None, 23),
    (25, "y", 2, 25, "a", 24), (26, "x", 2, 35, "e", 25), (27, None, 2, None, "w", 26),
    (28, "y", 1, 30, "u", 27), (29, "z", 1, 7, "l", 28), (30, "x", 1, 20, "f", 29),
]
BASE = calendar.timegm(time.strptime("2023-01-01T00:00:00", "%Y-%m-%dT%H:%M:%S"))

# test name -> (SQLite query over table t, output column names); keep in step with the
# test's SQL (tests/golden/queries/<name>.sql)
TESTS = {
    # top-1 per k by a DESC (NULLs first for DESC), row number not selected
    "topn_top1": ("""SELECT id, k, a FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k
                     ORDER BY a DESC NULLS FIRST, id) AS rn FROM t) WHERE rn = 1""",
                  ["id", "k", "a"]),
    # top 3 per k by a ASC (NULLs last), b DESC (NULLs first), with the row number
    "topn_rank": ("""SELECT k, id, a, b, rn FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k
                     ORDER BY a ASC NULLS LAST, b DESC NULLS FIRST, id) AS rn FROM t)
                     WHERE rn <= 3""",
                  ["k", "id", "a", "b", "rn"]),
    # rn < 3 per (k, g) by a DESC NULLS LAST, without the row number: entering/leaving rows
    "topn_norank": ("""SELECT id, k, g, b FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k, g
                       ORDER BY a DESC NULLS LAST, id) AS rn FROM t) WHERE rn < 3""",
                    ["id", "k", "g", "b"]),
    # ties: ORDER BY a only (many equal values): ties keep arrival order; row number selected
    "topn_ties": ("""SELECT k, a, id, rn FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k
                     ORDER BY a NULLS LAST, id) AS rn FROM t) WHERE rn <= 2 AND a IS NOT NULL""",
                  ["k", "a", "id", "rnk"]),
    # deduplication: the latest row per (k, g) (q18's form), timestamps as Unix ms
    "topn_dedup": ("""SELECT k, g, id, b, ts * 1000 FROM (SELECT *, ROW_NUMBER() OVER
                      (PARTITION BY k, g ORDER BY ts DESC, id) AS rn FROM t) WHERE rn <= 1""",
                   ["k", "g", "id", "b", "ts"]),
}


def write_input():
    lines = []
    for (i, k, g, a, b, ts) in ROWS:
        t = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(BASE + ts))
        lines.append(json.dumps({"id": i, "k": k, "g": g, "a": a, "b": b, "ts": t},
                                separators=(",", ":")))
    return "\n".join(lines) + "\n"


def expected(db, sql, names):
    out = []
    for r in db.execute(sql):
        after = dict(zip(names, r))
        out.append(json.dumps({"before": None, "after": after, "op": "c"}, separators=(",", ":")))
    out.sort()
    return "\n".join(out) + "\n"


def main():
    check = "--check" in sys.argv[1:]
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (id INTEGER, k TEXT, g INTEGER, a INTEGER, b TEXT, ts INTEGER)")
    db.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)",
                   [(i, k, g, a, b, BASE + ts) for (i, k, g, a, b, ts) in ROWS])
    files = {INPUT: write_input()}
    for name, (sql, names) in TESTS.items():
        files[os.path.join(HERE, "golden_outputs", name + ".json")] = expected(db, sql, names)
    bad = 0
    for path, text in sorted(files.items()):
        if check:
            try:
                with open(path) as f:
                    same = f.read() == text
            except OSError:
                same = False
            if not same:
                print("differs: %s" % os.path.relpath(path, HERE))
                bad += 1
        else:
            with open(path, "w") as f:
                f.write(text)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
