#!/usr/bin/env python3
"""tests/golden/join_tbound_oracle.py: input and expected outputs of the time-bounded join
goldens (tests/golden/queries/join_tbound_*.sql): joins whose ON bounds one side's event time
by columns of the other side, `b.ts BETWEEN a.<lo> AND a.expires` (Nexmark q4, q6, q9).

The expected outputs are computed here INDEPENDENTLY of arroyo-c: Python decides which rows
are late, SQLite (python's sqlite3) runs the test's join over the rows that are kept.
  - join_tbound_q4 (lo = a.ts, a's event time): a row of either side is late when its event
    time ts is < the watermark, the max ts over EARLIER source batches (WATERMARK FOR ts, no
    delay). As in issue4_oracle.py the script does not assume where batches end: it asserts
    that every row is late for every batching with at most MAX_BATCH_SPAN rows per batch, or
    on time for every batching, and drops the late rows.
  - join_tbound_swapped: join_tbound_q4 with the bids as the left input and the bounds as
    `a.expires >= b.ts AND b.ts >= a.ts`; the same rows.
  - join_tbound_open (lo = a.opens, not an event time): auction rows are never late there (no
    lower bound from their event time, see codegen/cg_join.c), bids are classified as above.
SQL's semantics do the rest: BETWEEN is inclusive, a NULL key or bound matches nothing,
duplicate rows on both sides give every pair.

Run it from anywhere: python3 tests/golden/join_tbound_oracle.py [--check] (without --check it
rewrites the input and goldens; with --check it compares and exits 1 on a difference).
"""
import json
import os
import sqlite3

from oracle_lib import HERE, GOLDEN, CHECK, lines, put, finish, on_time, ts_ns, fmt_ts

INPUT = os.path.join(HERE, "inputs", "tbound.json")   # not join_*: issue4_oracle.py caps those
MAX_BATCH_SPAN = 2900   # see issue4_oracle.py: single_file's first read (64 KB) is ~1700 rows here


def T(hms):
    return None if hms is None else "2024-03-01T%sZ" % hms


# s: A auction (id, opens, expires, v), B bid (id = its auction, v), F filler
def A(ts, id_, opens, expires, v):
    return {"ts": T(ts), "s": "A", "id": id_, "opens": T(opens), "expires": T(expires), "v": v}


def B(ts, id_, v):
    return {"ts": T(ts), "s": "B", "id": id_, "v": v}


ROWS = [
    # phase 1, on time
    A("10:00:00", 1, "09:59:00", "10:00:30", 100),
    B("10:00:05", 1, 1),                        # A100
    B("10:00:05", 1, 1),                        # the same bid again: every pair twice
    A("10:00:06", 1, "10:00:06", "10:00:20", 101),   # a second auction of id 1
    B("10:00:10", 1, 2),                        # A100 and A101
    B("10:00:25", 1, 3),                        # A100 only (after A101 expires)
    B("10:00:40", 1, 4),                        # after both: no pair
    B("10:00:41", 2, 5),                        # before its auction arrives (same time)
    A("10:00:41", 2, "10:00:41", "10:00:50", 102),   # meets the stored bid 5
    A("10:00:42", 3, "10:00:42", None, 103),    # NULL expires: matches nothing
    B("10:00:43", 3, 6),
    B("10:00:44", None, 7),                     # NULL keys
    A("10:00:44", None, "10:00:00", "10:01:00", 109),
    B("10:00:50", 2, 8),                        # at expires: BETWEEN is inclusive
    B("10:00:50.001", 2, 9),                    # just after: no pair
    A("10:00:55", 4, "10:00:55", "10:04:00", 104),
    A("10:01:00", 5, "10:01:00", "10:06:00", 105),   # lives past the fillers' watermark
]
ROWS += [{"ts": T("10:05:00"), "s": "F"} for i in range(3000)]
ROWS += [
    # late: behind the 10:05:00 watermark
    B("10:02:00", 5, 20),                       # would meet A105
    B("10:03:00", 4, 21),                       # would meet A104
    A("10:04:00", 6, "10:04:00", "10:10:00", 106),   # late auction (kept by join_tbound_open)
    # phase 2, on time
    B("10:05:10", 4, 31),                       # A104 expired at 10:04
    B("10:05:20", 5, 30),                       # A105, stored since 10:01
    B("10:05:30", 6, 32),                       # A106 was late (join_tbound_q4)
    A("10:05:40", 7, "10:05:00", "10:06:00", 107),
    B("10:05:40", 7, 33),
    B("10:05:40", 7, 33),
    A("10:05:40", 7, "10:05:40", "10:05:50", 108),
    B("10:05:55", 7, 34),                       # A107 only
    B("10:06:30", 7, 35),                       # after both
    B("10:06:31", 8, 36),                       # before its auction's ts: no pair (q4)
    A("10:06:32", 8, "10:06:00", "10:07:00", 110),   # ... but after its opens (open)
]


def kept(rows, never_late):
    ok = on_time([ts_ns(r["ts"]) for r in rows], MAX_BATCH_SPAN)
    return [r for r, r_ok in zip(rows, ok) if r_ok or r["s"] in never_late]


Q4_JOIN = """FROM (SELECT * FROM ev WHERE s = 'A') a
JOIN (SELECT * FROM ev WHERE s = 'B') b
ON a.id = b.id AND b.ts BETWEEN a.%s AND a.expires"""
# the same join with the bids on the left, written as two comparisons with the time column
# on either side
SWAPPED_JOIN = """FROM (SELECT * FROM ev WHERE s = 'B') b
JOIN (SELECT * FROM ev WHERE s = 'A') a
ON a.expires >= b.ts AND b.id = a.id AND b.ts >= a.ts"""


def golden(test, lo, never_late, join=Q4_JOIN):
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE ev (ts, s, id, opens, expires, v)")
    for r in kept(ROWS, never_late):
        db.execute("INSERT INTO ev VALUES (?, ?, ?, ?, ?, ?)",
                   [ts_ns(r[c]) if c in ("ts", "opens", "expires") and r.get(c) else r.get(c)
                    for c in ("ts", "s", "id", "opens", "expires", "v")])
    cur = db.execute("SELECT a.id AS id, a.v AS av, b.v AS bv, a.ts AS ats, b.ts AS bts\n" +
                     (join % lo if "%s" in join else join))
    names = [d[0] for d in cur.description]
    out = [dict(zip(names, r)) for r in cur.fetchall()]
    for r in out:
        r["ats"], r["bts"] = fmt_ts(r["ats"]), fmt_ts(r["bts"])
    out.sort(key=lambda r: json.dumps(r, sort_keys=True))
    put(os.path.join(GOLDEN, test + ".json"), lines(out))


put(INPUT, lines(ROWS))
golden("join_tbound_q4", "ts", ())
golden("join_tbound_open", "opens", ("A",))
golden("join_tbound_swapped", "ts", (), SWAPPED_JOIN)

finish("join_tbound_oracle")
