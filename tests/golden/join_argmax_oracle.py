#!/usr/bin/env python3
"""tests/golden/join_argmax_oracle.py: inputs and expected outputs of the argmax join goldens
(tests/golden/queries/join_argmax_*.sql): rows joined with the MAX (MIN) of their own column over
their 10 s tumbling window, ON value = max AND ts BETWEEN window end - 10 s AND window end (or a
narrower interval), which compiler/argmax.c rewrites into a P_ARGMAX node (codegen/cg_argmax.c).

The expected outputs are computed here INDEPENDENTLY of arroyo-c, with SQLite (python's
sqlite3), from the join as written: the tumbling aggregate is a GROUP BY ts / 10 s over the
rows (window end = start + 10 s), joined with the rows. SQL gives the edge cases: max() and
min() ignore NULLs and are NULL for a window of only NULLs, a NULL never equals anything,
BETWEEN is inclusive (a row at exactly a window's end, the first instant of the next window,
meets that window's maximum too), ties give one pair each, a window without rows has no row.

rowmax.json: WATERMARK FOR ts AS ts - 15 s; rows arrive out of order by less than that, so
none is late for any batching (asserted). It has, in 10 s windows from 10:00:00: ties of the
maximum, NULLs, boundary rows at exactly a window's end that tie the previous window's maximum
(one arriving before the row that raises that maximum to its value, so it is kept while the
maximum is lower), a boundary row above the previous window's final maximum, a window of only
NULLs followed by a boundary row, an empty window, ties of the minimum with a boundary row
that ties it, then 3 minutes of rows with few distinct values, shuffled by up to 4 s.
rowmax_late.json: zero watermark delay; on-time rows, 3000 NULL fillers at 10:01:40 that push
the watermark there, then rows behind it (late: dropped, they change no maximum and are not
output), then on-time rows, among them one at exactly 10:01:40 that ties the maximum of the
window [10:01:30, 10:01:40), which closed when the watermark reached 10:01:40.
(oracle_lib.on_time: late or on time for every batching with at most MAX_BATCH_SPAN rows.)

Run it from anywhere: python3 tests/golden/join_argmax_oracle.py [--check].
"""
import json
import os
import random
import sqlite3

from oracle_lib import HERE, GOLDEN, INPUTS, lines, put, finish, on_time, SEC, ts_ns, fmt_ts

W = 10 * SEC
DELAY = 15 * SEC        # rowmax.json's watermark delay
MAX_BATCH_SPAN = 2900   # rows per source batch assumed at most (see issue4_oracle.py)


BASE = ts_ns("2024-03-01T10:00:00Z")


def row_ns(r):
    """A row's time: the inputs' timestamps carry no offset (UTC, as the json source reads them)."""
    return ts_ns(r["ts"] + "Z")


def make(rows, sec, price):
    rows.append({"ts": fmt_ts(BASE + int(round(sec * 1000)) * 1_000_000), "id": len(rows) + 1, "price": price})


# ---- rowmax.json ---------------------------------------------------------------------------
ROWS = []
b = lambda sec, price: make(ROWS, sec, price)
b(1, 5); b(2, 9); b(3, None); b(4, 9); b(5, 3); b(9.999, 3)   # [0, 10): max 9 twice, min 3 twice
b(10, 9)                     # at the end of [0, 10): ties its max 9; [10, 20)'s first row
b(11, 20); b(12, 7)          # [10, 20): max 20, min 7
b(20, 20)                    # at the end of [10, 20): ties its max 20
b(31, 4)                     # [30, 40) so far: max 4
b(40, 15)                    # at the end of [30, 40), above its max so far: kept ...
b(35, 15); b(36, 12)         # ... and [30, 40)'s max rises to 15: the row at 40 matches it
b(41, 3)                     # [40, 50): max 15 (the row at 40, at its start), min 3
b(51, 6)                     # [50, 60): max 6
b(60, 30)                    # above [50, 60)'s final max: no match there; [60, 70)'s max
b(61, 2)
b(70, 1); b(72, 8)           # at the end of [60, 70) below its max; [70, 80): max 8, min 1
#                              [80, 90) is empty
b(90, None); b(95, None)     # [90, 100): only NULLs, max NULL
b(100, 4)                    # at the end of [90, 100), whose max is NULL: no match there
b(111, 50)                   # [110, 120): min 50 so far
b(120, 7)                    # at the end of [110, 120), below its min so far: kept for MIN ...
b(115, 7)                    # ... and [110, 120)'s min falls to 7: the row at 120 matches
b(125, 9)                    # [120, 130): min 7 (the row at 120), max 9
rng = random.Random(11)
t, tail = 130.0, []
while t < 310:
    t += rng.choice([0.25, 0.5, 1, 1.5, 2])
    t = round(t, 3)
    if rng.random() < 0.1:
        t = float(int(t / 10) * 10 + 10)   # exactly a window end now and then
    tail.append((t + rng.uniform(-4, 4) * (rng.random() < 0.3), t))
tail.sort()
for _, sec in sorted(tail, key=lambda p: p[0]):   # shuffled by up to 4 s
    b(sec, None if rng.random() < 0.08 else rng.choice([3, 5, 8, 8, 13, 13, 21]))

ts_list = [row_ns(r) for r in ROWS]
for i in range(1, len(ts_list)):   # out of order by less than the delay: never late
    assert ts_list[i] >= max(ts_list[:i]) - DELAY, i

# ---- rowmax_late.json -----------------------------------------------------------------------
LATE = []
lb = lambda sec, price: make(LATE, sec, price)
lb(1, 5); lb(4, 9); lb(12, 7); lb(95, 42); lb(97, 40)          # on time
for i in range(3000):                                          # fillers: push the watermark to 100 s
    LATE.append({"ts": fmt_ts(BASE + 100 * SEC), "id": len(LATE) + 1, "price": None})
lb(2, 9); lb(5, 11); lb(13, 7); lb(96, 42); lb(98, 50); lb(99.999, 42)   # late: dropped
lb(100, 42)                  # at the end of [90, 100), closed at watermark 100: ties its max 42
lb(101, 6); lb(105, 6); lb(110, 3); lb(112, 6)
late_ok = on_time([row_ns(r) for r in LATE], MAX_BATCH_SPAN)
assert sum(1 for ok in late_ok if not ok) == 6


def join(rows, agg, lo, hi, extra_cols=""):
    """rows JOIN (their 10 s tumbling agg(price)) ON price = it AND ts BETWEEN end - lo AND end - hi
    (lo, hi in ns; hi may be given as a SQL comparison string for strict bounds)."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE bids (ts, id, price)")
    for r in rows:
        db.execute("INSERT INTO bids VALUES (?, ?, ?)", (row_ns(r), r["id"], r["price"]))
    cur = db.execute("""SELECT b.id AS id, b.price AS price, b.ts AS ts, m.wend AS wend{extra}
        FROM bids b JOIN (SELECT (ts / {w}) * {w} + {w} AS wend, {agg}(price) AS best
                          FROM bids GROUP BY ts / {w}) m
        ON b.price = m.best AND {cond}""".format(w=W, agg=agg, extra=extra_cols,
                                               cond=lo if isinstance(lo, str) else
                                               "b.ts BETWEEN m.wend - %d AND m.wend - %d" % (lo, hi)))
    names = [d[0] for d in cur.description]
    out = [dict(zip(names, r)) for r in cur.fetchall()]
    for r in out:
        for k in ("ts", "wend", "wstart"):
            if k in r:
                r[k] = fmt_ts(r[k])
    out.sort(key=lambda r: json.dumps(r, sort_keys=True))
    return out


def golden(name, out):
    put(os.path.join(GOLDEN, name + ".json"), lines(out))
    return len(out)


put(os.path.join(INPUTS, "rowmax.json"), lines(ROWS))
put(os.path.join(INPUTS, "rowmax_late.json"), lines(LATE))
n = golden("join_argmax_max", join(ROWS, "max", 10 * SEC, 0, ", m.wend - %d AS wstart, m.best AS maxprice" % W))
golden("join_argmax_min_swapped", join(ROWS, "min", 10 * SEC, 0))
golden("join_argmax_narrow", join(ROWS, "max", 5 * SEC, 0))
golden("join_argmax_strict", join(ROWS, "max", "b.ts > m.wend - %d AND b.ts < m.wend" % W, None))
golden("join_argmax_late", join([r for r, ok in zip(LATE, late_ok) if ok], "max", 10 * SEC, 0))

finish("join_argmax_oracle")
print("join_argmax_oracle: %d + %d input rows, %d join_argmax_max rows" % (len(ROWS), len(LATE), n))
