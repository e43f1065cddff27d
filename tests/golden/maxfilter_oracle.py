#!/usr/bin/env python3
"""tests/golden/maxfilter_oracle.py: input and expected outputs of the goldens for the rows equal
to their window's maximum (tests/golden/queries/maxfilter_*.sql and join_win_max_residual.sql):
Nexmark q5's shape, a windowed aggregate A joined on the window with the MAX (or MIN) of one of
its columns per window (an aggregate over A grouped by A's window only), keeping the rows of A
that reach it. compiler/maxfilter.c plans that as one operator (P_MAXFILTER, EXPLAIN "rows
equal to their window's max(...)"); join_win_max_residual adds a residual condition that is
always true on this input, so it keeps the windowed join and must give the same rows as
maxfilter_hop.

The expected outputs are computed here INDEPENDENTLY of arroyo-c, with SQLite (python's
sqlite3): a tumble window is ts / 60 s, a hop(1 min, 2 min) row belongs to the windows starting
at its minute and the minute before (expanded here in Python), GROUP BY computes the counts,
sums, maxima and minima, and the join keeps the rows with `n >= max` / `s = max` / `s <= min`.
SQL gives the edge cases: sum() of only NULLs is NULL, max()/min() ignore NULLs and are NULL
for a window of only NULLs, a NULL never compares true (those windows have no rows), ties give
one row each.

maxfilter_late reads join_win_late.json (written by issue4_oracle.py): rows late at the source
(behind the watermark, classified for every batching as issue4_oracle.py does) are dropped by
the tumble aggregate and never reach the maximum; kept, they would change the result.

Run it from anywhere: python3 tests/golden/maxfilter_oracle.py [--check] (without --check it
rewrites the input and goldens; with --check it compares and exits 1 on a difference).
"""
import json
import os
import random
import sqlite3

from oracle_lib import HERE, GOLDEN, INPUTS, lines, put, finish, load, on_time, SEC, ts_ns, fmt_ts

MIN = 60 * SEC
MAX_BATCH_SPAN = 2900   # as issue4_oracle.py: join_win_late.json's late rows and first filler
                        # are never in one source batch


BASE = ts_ns("2024-03-01T10:00:00Z")
ROWS = []


def ev(sec, k, tag, v):
    ROWS.append({"ts": fmt_ts(BASE + int(round(sec * 1000)) * 1_000_000) + "Z", "k": k, "tag": tag, "v": v})


# hand-made windows (seconds after 10:00:00; rows in time order, so none is late)
ev(5, "a", "x", 1); ev(10, "b", "x", 2); ev(15, "a", "y", 3); ev(20, "b", "y", None)
ev(25, "c", "x", 5); ev(30, "b", "x", 4); ev(40, "a", "x", None)
#   10:00: counts a 3, b 3, c 1 (a tie); sums (a,x) 1, (b,x) 6, (a,y) 3, (b,y) NULL, (c,x) 5
ev(90, "d", "z", 7)                                   # 10:01: one row, its own max and min
ev(130, "e", "x", None); ev(140, "f", "x", None)      # 10:02: sums all NULL: no max, no rows
ev(185, "a", "x", 5); ev(190, "b", "x", 2); ev(191, "b", "x", 3); ev(200, "c", "y", 5)
ev(210, "d", "x", -2); ev(220, "e", "y", -2)          # 10:03: max 5 three times, min -2 twice
# 10:04 .. 10:12: random rows, few distinct keys and values (ties), some NULL values
rng = random.Random(11)
t = 240.0
while t < 780:
    t += rng.choice([0.5, 1, 2, 5, 9])
    ev(round(t, 3), rng.choice("abcdef"), rng.choice("xy"), None if rng.random() < 0.1 else rng.choice([-3, 1, 2, 4, 9]))


def db_of(rows):
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE ev (ts, k, tag, v)")
    db.execute("CREATE TABLE hw (ws, k, tag, v)")   # hop(1 min, 2 min): one row per window
    for r in rows:
        ns = ts_ns(r["ts"])
        db.execute("INSERT INTO ev VALUES (?, ?, ?, ?)", (ns, r.get("k"), r.get("tag"), r.get("v")))
        m = ns // MIN * MIN
        for ws in (m - MIN, m):
            db.execute("INSERT INTO hw VALUES (?, ?, ?, ?)", (ws, r.get("k"), r.get("tag"), r.get("v")))
    return db


def golden(db, tests, sql, ts_cols):
    cur = db.execute(sql)
    names = [d[0] for d in cur.description]
    out = [dict(zip(names, r)) for r in cur.fetchall()]
    for r in out:
        for c in ts_cols:
            r[c] = fmt_ts(r[c])
    out.sort(key=lambda r: json.dumps(r, sort_keys=True))
    for t in tests:
        put(os.path.join(GOLDEN, t + ".json"), lines(out))
    return len(out)


put(os.path.join(INPUTS, "maxfilter.json"), lines(ROWS))
db = db_of(ROWS)
W = 2 * MIN
n = golden(db, ["maxfilter_hop", "join_win_max_residual"], """
WITH c AS (SELECT ws, k, count(*) AS n FROM hw GROUP BY ws, k),
     m AS (SELECT ws, max(n) AS maxn FROM c GROUP BY ws)
SELECT c.ws AS ws, c.ws + %d AS we, c.k AS k, c.n AS n, m.maxn AS maxn, m.ws + %d AS twe
FROM c JOIN m ON c.ws = m.ws AND c.n >= m.maxn""" % (W, W), ["ws", "we", "twe"])
golden(db, ["maxfilter_tumble_eq"], """
WITH s AS (SELECT ts / %d * %d AS ws, k, tag, sum(v) AS s FROM ev GROUP BY 1, 2, 3),
     b AS (SELECT max(s) AS m, ws FROM s GROUP BY ws)
SELECT b.ws AS ws, a.k AS k, a.tag AS tag, a.s AS s, b.m AS m
FROM b JOIN s a ON b.ws = a.ws AND b.m = a.s""" % (MIN, MIN), ["ws"])
golden(db, ["maxfilter_min"], """
WITH s AS (SELECT ts / %d * %d AS ws, k, tag, sum(v) AS s FROM ev GROUP BY 1, 2, 3),
     m AS (SELECT ws, min(s) AS mn FROM s GROUP BY ws)
SELECT a.k AS k, a.tag AS tag, a.s AS s, m.mn AS mn, m.ws + %d AS we
FROM s a JOIN m ON a.ws = m.ws AND m.mn >= a.s""" % (MIN, MIN, MIN), ["we"])

# late rows: join_win_late.json (issue4_oracle.py), rows with s set, sum(v) per k and minute
late = load("join_win_late.json")
kept = [r for r, ok in zip(late, on_time([ts_ns(r["ts"]) for r in late], MAX_BATCH_SPAN)) if ok and r.get("s")]
golden(db_of(kept), ["maxfilter_late"], """
WITH s AS (SELECT ts / %d * %d AS ws, k, sum(v) AS sv FROM ev GROUP BY 1, 2),
     m AS (SELECT ws, max(sv) AS mx FROM s GROUP BY ws)
SELECT s.ws AS ws, s.k AS k, s.sv AS sv FROM s JOIN m ON s.ws = m.ws AND s.sv >= m.mx""" % (MIN, MIN), ["ws"])

finish("maxfilter_oracle")
print("maxfilter_oracle: %d input rows, %d rows in maxfilter_hop" % (len(ROWS), n))
