#!/usr/bin/env python3
"""tests/golden/join_ilog_oracle.py: input and expected outputs of the goldens for interval
joins with a sparse side (tests/golden/queries/join_ilog_*.sql): Nexmark q7's shape, bids
joined with the per-window maximum of their price, where the planner keeps the bids (the dense
side) as an unindexed log and the per-window maxima (a windowed aggregate without GROUP BY
keys: at most one row per window) indexed by key (codegen/cg_join.c).

The expected outputs are computed here INDEPENDENTLY of arroyo-c, with SQLite (python's
sqlite3): the 10 s tumbling maximum is a GROUP BY ts / 10 s over the bids (window end =
start + 10 s), joined with the bids ON price = max AND ts BETWEEN end - 10 s AND end. SQL's
semantics give the edge cases: max() ignores NULL prices and is NULL for a window of only
NULLs, a NULL never equals anything, BETWEEN is inclusive (a bid at exactly a window's end,
the first instant of the next window, meets that window's maximum too), duplicate maxima give
one pair each. join_ilog_narrow is the same join over a 1 s tumble: ten windows within
the 10 s bound, too many for the log (both sides stay indexed). join_ilog_q7 and
join_ilog_swapped are planned as argmax joins (compiler/argmax.c: rows equal to their own
window's maximum); join_ilog_residual adds `b.id % 3 <> 0` to ON, a residual the argmax join
does not take, so it keeps the log plan. Every row is on time (ts never decreases), so no row is late anywhere.

Run it from anywhere: python3 tests/golden/join_ilog_oracle.py [--check] (without --check it
rewrites the input and goldens; with --check it compares and exits 1 on a difference).
"""
import json
import os
import random
import sqlite3

from oracle_lib import HERE, GOLDEN, CHECK, lines, put, finish, SEC, ts_ns, fmt_ts

INPUT = os.path.join(HERE, "inputs", "ilog.json")


BASE = ts_ns("2024-03-01T10:00:00Z")
ROWS = []


def bid(sec, price):
    ROWS.append({"ts": fmt_ts(BASE + int(round(sec * 1000)) * 1_000_000) + "Z", "id": len(ROWS) + 1,
                 "price": price})


# hand-made windows (seconds after 10:00:00)
bid(0, 5); bid(1, 9); bid(2, None); bid(3, 9); bid(9.999, 3)   # [0, 10): max 9, twice
bid(10, 9)                     # at the end of [0, 10): meets its max 9 (and [10, 20)'s is 20)
bid(11, 20); bid(12, 7)        # [10, 20): max 20
bid(21, None); bid(25, None)   # [20, 30): only NULLs: max NULL, matches nothing
bid(31, 15); bid(32, 20)       # [30, 40): max 20 again; the 20 at 11 s is out of its range
bid(45, 1)                     # [40, 50): a single bid, its own max
# [50, 60) is empty; then many bids with few distinct prices (duplicated maxima), some NULL
rng = random.Random(7)
t = 60.0
while t < 240:
    t += rng.choice([0.25, 0.5, 1, 1.5, 2])
    bid(round(t, 3), None if rng.random() < 0.08 else rng.choice([3, 5, 8, 8, 13, 13, 21]))

JOIN = """SELECT b.id AS id, b.price AS price, b.ts AS ts, m.wend AS wend
FROM bids b JOIN (SELECT (ts / {w}) * {w} + {w} AS wend, max(price) AS maxprice
                  FROM bids GROUP BY ts / {w}) m
ON b.price = m.maxprice AND b.ts BETWEEN m.wend - {span} AND m.wend{extra}"""


def golden(tests, window_s, extra=""):
    """The join with a tumble of window_s seconds and the 10 s bound (and `extra`, more of the
    ON condition), for each test name."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE bids (ts, id, price)")
    for r in ROWS:
        db.execute("INSERT INTO bids VALUES (?, ?, ?)", (ts_ns(r["ts"]), r["id"], r["price"]))
    cur = db.execute(JOIN.format(w=window_s * SEC, span=10 * SEC, extra=extra))
    names = [d[0] for d in cur.description]
    out = [dict(zip(names, r)) for r in cur.fetchall()]
    for r in out:
        r["ts"], r["wend"] = fmt_ts(r["ts"]), fmt_ts(r["wend"])
    out.sort(key=lambda r: json.dumps(r, sort_keys=True))
    for t in tests:
        put(os.path.join(GOLDEN, t + ".json"), lines(out))
    return len(out)


put(INPUT, lines(ROWS))
n = golden(["join_ilog_q7", "join_ilog_swapped"], 10)   # the same join, sides swapped
golden(["join_ilog_narrow"], 1)
golden(["join_ilog_residual", "join_ilog_residual_swapped"], 10, " AND b.id % 3 <> 0")

finish("join_ilog_oracle")
print("join_ilog_oracle: %d input rows, %d output rows" % (len(ROWS), n))
