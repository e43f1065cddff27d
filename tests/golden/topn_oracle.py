#!/usr/bin/env python3
"""tests/golden/topn_oracle.py: inputs and expected outputs of the golden tests for window
functions without windows (issue 6): the updating top-N tests (tests/golden/queries/topn_*.sql,
ROW_NUMBER() filtered by rn <= N) and the window frame tests (over_*.sql, agg(x) OVER (...
ROWS BETWEEN ... AND CURRENT ROW)).

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
An updating result's final state is the result of the query over all rows (the goldens hold
one "c" record per row of it; run_peer.py compares only final states, keyed by the whole row).
The window frame tests over an updating input read inputs/over_cdc.json (debezium changes,
written here): Python replays the changes to the final table and SQLite runs the frame query
over it; over_topn feeds a frame with an updating top-N and SQLite nests the two queries.
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


# debezium changes of table c (id, k, v): creates out of id order, updates that move a row
# within and between partitions, deletes in the middle and at the ends of partitions
CDC = [
    ("c", None, (3, "p", 30)), ("c", None, (1, "p", 10)), ("c", None, (5, "p", 50)),
    ("c", None, (2, "q", 20)), ("c", None, (4, "p", None)), ("c", None, (7, "q", 70)),
    ("c", None, (6, "p", 60)), ("u", (3, "p", 30), (3, "p", 33)), ("d", (1, "p", 10), None),
    ("c", None, (8, "q", 5)), ("u", (5, "p", 50), (5, "q", 55)), ("c", None, (9, None, 90)),
    ("c", None, (10, "p", 1)), ("d", (7, "q", 70), None), ("u", (2, "q", 20), (2, "q", None)),
    ("c", None, (11, "q", 110)), ("d", (6, "p", 60), None), ("c", None, (12, None, 12)),
]

# over_* test name -> (SQLite query, output column names); t is the rows table, c the final
# table of the debezium changes
OVER_TESTS = {
    # in ORDER BY order (ts grows with id): one insertion per row; NULL a is not summed
    "over_sum_preceding": ("""SELECT id, k, a, sum(a) OVER (PARTITION BY k ORDER BY ts, id
                              ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM t""",
                           ["id", "k", "a", "s"]),
    # ORDER BY a DESC (NULLs first), out of arrival order: rows land in the middle and every
    # later row's count changes; ties keep arrival order
    "over_count_unbounded": ("""SELECT id, g, a, count(*) OVER (PARTITION BY g ORDER BY a DESC NULLS FIRST,
                                id ROWS UNBOUNDED PRECEDING) FROM t""",
                             ["id", "g", "a", "n"]),
    # ORDER BY a TEXT column with NULLs (last for ASC), max over 1 preceding row
    "over_max_text_order": ("""SELECT id, k, b, max(a) OVER (PARTITION BY k ORDER BY b ASC NULLS LAST, id
                               ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t""",
                            ["id", "k", "b", "m"]),
    # several calls sharing one OVER clause (one stage), ORDER BY a TEXT column DESC (NULLs
    # first); min of a timestamp (Unix ms in debezium), avg of integers
    "over_multi": ("""SELECT id, k, a,
                        sum(a) OVER w, count(a) OVER w, count(*) OVER w, min(ts) OVER w * 1000,
                        max(a) OVER w, avg(a) OVER w
                      FROM t WINDOW w AS (PARTITION BY k ORDER BY b DESC NULLS FIRST, id
                                          ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)""",
                   ["id", "k", "a", "s", "n", "rows_in_frame", "first_ts", "mx", "av"]),
    # over an updating (debezium) input: min over 1 preceding row and the current one
    "over_min_cdc": ("""SELECT id, k, v, min(v) OVER (PARTITION BY k ORDER BY id
                        ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM c""",
                     ["id", "k", "v", "m"]),
    # over an updating top-2 per (k, g): avg of the kept rows' a over 3 preceding rows per k
    "over_topn": ("""SELECT id, k, avg(a) OVER (PARTITION BY k ORDER BY id
                     ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) FROM (
                     SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k, g
                       ORDER BY a DESC NULLS FIRST, id) AS rn FROM t) WHERE rn <= 2)""",
                  ["id", "k", "avg_a"]),
}


def write_cdc():
    lines = []
    for i, (op, before, after) in enumerate(CDC, 1):
        img = lambda r: None if r is None else {"id": r[0], "k": r[1], "v": r[2]}
        lines.append(json.dumps({"before": img(before), "after": img(after), "op": op, "ts_ms": i},
                                separators=(",", ":")))
    return "\n".join(lines) + "\n"


def replay_cdc():
    table = {}
    for op, before, after in CDC:
        if before is not None:
            assert table.pop(before[0]) == before
        if after is not None:
            assert after[0] not in table
            table[after[0]] = after
    return sorted(table.values())


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
    db.execute("CREATE TABLE c (id INTEGER, k TEXT, v INTEGER)")
    db.executemany("INSERT INTO c VALUES (?, ?, ?)", replay_cdc())
    files = {INPUT: write_input(), os.path.join(HERE, "inputs", "over_cdc.json"): write_cdc()}
    for name, (sql, names) in list(TESTS.items()) + list(OVER_TESTS.items()):
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
