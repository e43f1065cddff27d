#!/usr/bin/env python3
"""tests/golden/join_outer_oracle.py: inputs and expected outputs of the goldens for outer joins
with conditions beyond the key (issue 4), and for interval joins whose time columns are not
event times:
  - join_upd_left_residual, join_upd_full_residual: updating LEFT / FULL joins of the
    append-only join_left.json / join_right.json (written by issue4_oracle.py, read here)
    ON l.k = r.k AND l.v < r.w;
  - join_cdc_left_residual, join_cdc_right_residual, join_cdc_full_residual: the same ON over
    two debezium_json sources (outer_cdc_left.json, outer_cdc_right.json) whose updates and
    deletes, on both sides, make pairs pass and fail the residual along the way;
  - join_cdc_dup_residual: a LEFT join of those sources through a GROUP BY that reads no id,
    so rows with equal (k, v) or (k, w) are stored as identical packed rows;
  - join_cdc_self_residual: a FULL self join of outer_cdc_left.json ON x.k = y.k AND x.v < y.v;
  - join_upd_interval_no_event_time: an interval-shaped ON over a TIMESTAMP column `at` that is
    not the event time (the source's watermark is on ts): an updating join, nothing is late;
  - join_interval_one_event_time: the same with r.ts (the event time) bounded by l.at: a
    time-bounded join in which left rows are never late;
  - join_interval_left_late, join_interval_full_late: outer versions of join_interval_late;
  - join_tbound_left, join_tbound_full, join_tbound_open_left: outer versions of the
    time-bounded goldens (tbound.json, written by join_tbound_oracle.py, read here);
  - join_outer_interval_full: a FULL interval join of join_left.json / join_right.json, where
    no row is late (run at parallelism 3 and with checkpoints too);
  - join_outer_window_end: a LEFT interval join of raw rows with a tumbling aggregate's
    window end (join_win_left.json, join_win_right.json; no row is late).

The expected outputs are computed here INDEPENDENTLY of arroyo-c, with SQLite (python's
sqlite3, 3.39 or later for RIGHT and FULL JOIN) running the test's join:
  - updating joins: over the inputs' final tables (debezium changes replayed in Python); the
    final state of an updating join is the join of its inputs' final states;
  - interval and time-bounded joins: Python classifies every row as late (event time < the
    watermark, the max event time over EARLIER source batches, WATERMARK FOR ts without delay)
    or on time, for every batching with at most MAX_BATCH_SPAN rows per batch (asserting that
    the class does not depend on the batching), exactly as issue4_oracle.py does. SQLite joins
    the on-time rows; a late row of a preserved side is then added padded with NULLs (the
    engine does not join late rows but, like Flink's interval join for a late row that found
    no partner, emits a preserved one padded at once); a late row of the other side is
    dropped. Rows of a side that is never late (see codegen/cg_join.c) are always kept.
SQL's join semantics do the rest: a NULL key or a NULL in the residual never matches (outer
joins keep such a row padded), duplicate rows on both sides give every pair.

Run it from anywhere: python3 tests/golden/join_outer_oracle.py [--check] (without --check it
rewrites the inputs and goldens it owns; with --check it compares and exits 1 on a difference).
"""
import json
import os
import sqlite3

from oracle_lib import HERE, GOLDEN, INPUTS, CHECK, lines, put, finish, load, on_time, SEC, ts_ns, fmt_ts

MAX_BATCH_SPAN = 2900   # see issue4_oracle.py (single_file's first read is 64 KB)

assert sqlite3.sqlite_version_info >= (3, 39, 0), "RIGHT/FULL JOIN need SQLite 3.39"


def T(hms):
    return None if hms is None else "2024-03-01T%sZ" % hms


def canon(r):
    return json.dumps(r, sort_keys=True)


def write_golden(test, rows):
    put(os.path.join(GOLDEN, test + ".json"), lines(sorted(rows, key=canon)))


def write_debezium_golden(test, rows, pk):
    keys = [tuple(r[c] for c in pk) for r in rows]
    assert len(set(keys)) == len(keys), (test, "final state not unique under pk", pk)
    put(os.path.join(GOLDEN, test + ".json"),
        lines({"before": None, "after": r, "op": "c"} for r in sorted(rows, key=canon)))


TIME_COLS = ("ts", "at", "opens", "expires")


def table(db, name, rows, cols):
    db.execute("CREATE TABLE %s (%s)" % (name, ", ".join(cols)))
    for r in rows:
        vals = [ts_ns(r[c]) if c in TIME_COLS and r.get(c) is not None else r.get(c) for c in cols]
        db.execute("INSERT INTO %s VALUES (%s)" % (name, ",".join("?" * len(cols))), vals)


def q(db, sql, *args):
    cur = db.execute(sql, args)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def rows_on_time(rows):
    """Per row: True when on time for every batching, False when late for every batching."""
    return on_time([ts_ns(r["ts"]) for r in rows], MAX_BATCH_SPAN)


# ---- 1. updating outer joins with a residual over append-only inputs ------------------------

def append_db():
    db = sqlite3.connect(":memory:")
    table(db, "l", load("join_left.json"), ["ts", "id", "k", "k2", "v"])
    table(db, "r", load("join_right.json"), ["ts", "id", "k", "k2", "w"])
    return db


def residual_join(test, db, join):
    """`l <join> JOIN r ON l.k = r.k AND l.v < r.w` over db's final tables l and r."""
    rows = q(db, """SELECT l.id AS l_id, l.k AS lk, l.v AS v, r.id AS r_id, r.k AS rk, r.w AS w
                    FROM l %s JOIN r ON l.k = r.k AND l.v < r.w""" % join)
    write_debezium_golden(test, rows, ["l_id", "r_id"])


residual_join("join_upd_left_residual", append_db(), "LEFT")
residual_join("join_upd_full_residual", append_db(), "FULL")


# ---- 2. updating outer joins with a residual over updating inputs ---------------------------
#  ON l.k = r.k AND l.v < r.w. Along the way: a's left rows 1, 2 (v 10, identical but for id)
#  pair with 101, 102 (w 20, identical), then 1 moves to v 40 (fails against w 20: padded
#  again only if no other partner), 101 moves to w 50 (pairs with 1 and 2), 2 and 102 are
#  deleted, 109 (w 41) comes and goes; b's 3 (v 50) fails against 103 until it moves to v 5;
#  9 duplicates 3's first values; c's 5 pairs with 104 (w 3) after moving to v 1 until 104
#  moves to w 0; e's 10 pairs with 108 until it moves to v 30; NULL key and NULL v on the
#  left, NULL key and a right-only key (f) on the right, d's rows never pass.

def changes(col, chs):
    out = []
    for i, (op, before, after) in enumerate(chs):
        mk = lambda t: {"id": t[0], "k": t[1], col: t[2]} if t else None
        out.append({"before": mk(before), "after": mk(after), "op": op, "ts_ms": i + 1})
    return out


CDC_LEFT = [
    ("c", None, (1, "a", 10)),
    ("c", None, (2, "a", 10)),
    ("c", None, (3, "b", 50)),
    ("c", None, (4, None, 1)),
    ("c", None, (5, "c", 5)),
    ("c", None, (6, "a", 100)),
    ("u", (1, "a", 10), (1, "a", 40)),
    ("c", None, (9, "b", 50)),
    ("d", (2, "a", 10), None),
    ("u", (3, "b", 50), (3, "b", 5)),
    ("c", None, (7, "d", 1)),
    ("u", (5, "c", 5), (5, "c", 1)),
    ("d", (7, "d", 1), None),
    ("c", None, (8, "a", None)),
    ("c", None, (10, "e", 3)),
    ("u", (10, "e", 3), (10, "e", 30)),
]
CDC_RIGHT = [
    ("c", None, (101, "a", 20)),
    ("c", None, (102, "a", 20)),
    ("c", None, (103, "b", 40)),
    ("c", None, (104, "c", 3)),
    ("c", None, (105, None, 99)),
    ("c", None, (106, "f", 1)),
    ("u", (101, "a", 20), (101, "a", 50)),
    ("d", (102, "a", 20), None),
    ("c", None, (107, "d", 0)),
    ("u", (104, "c", 3), (104, "c", 0)),
    ("c", None, (108, "e", 10)),
    ("c", None, (109, "a", 41)),
    ("d", (109, "a", 41), None),
    ("c", None, (110, "b", 40)),
]
put(os.path.join(INPUTS, "outer_cdc_left.json"), lines(changes("v", CDC_LEFT)))
put(os.path.join(INPUTS, "outer_cdc_right.json"), lines(changes("w", CDC_RIGHT)))


def debezium_final(name):
    state = {}
    for rec in load(name):
        if rec["op"] in ("u", "d"):
            assert state.pop(rec["before"]["id"]) == rec["before"]
        if rec["op"] in ("c", "u"):
            assert rec["after"]["id"] not in state
            state[rec["after"]["id"]] = rec["after"]
    return list(state.values())


def cdc_db():
    db = sqlite3.connect(":memory:")
    table(db, "l", debezium_final("outer_cdc_left.json"), ["id", "k", "v"])
    table(db, "r", debezium_final("outer_cdc_right.json"), ["id", "k", "w"])
    return db


residual_join("join_cdc_left_residual", cdc_db(), "LEFT")
residual_join("join_cdc_right_residual", cdc_db(), "RIGHT")
residual_join("join_cdc_full_residual", cdc_db(), "FULL")


def cdc_dup():
    rows = q(cdc_db(), """SELECT l.k AS k, l.v AS v, count(*) AS n, count(r.w) AS pairs,
                                 sum(r.w) AS sw
                          FROM l LEFT JOIN r ON l.k = r.k AND l.v < r.w
                          GROUP BY l.k, l.v""")
    write_debezium_golden("join_cdc_dup_residual", rows, ["k", "v"])


cdc_dup()


def cdc_self_residual():
    # FULL self join of the left change file: each change reaches both sides of the join
    rows = q(cdc_db(), """SELECT x.id AS x_id, y.id AS y_id, x.k AS k, x.v AS xv, y.v AS yv
                          FROM l x FULL JOIN l y ON x.k = y.k AND x.v < y.v""")
    write_debezium_golden("join_cdc_self_residual", rows, ["x_id", "y_id"])


cdc_self_residual()


# ---- 3. interval-shaped ON over a column that is not the event time --------------------------
#  One source (outer_at.json, WATERMARK FOR ts): s = L / R rows with a TIMESTAMP `at` that is
#  not the event time; ts rises throughout (no row is late), but `at` of the phase C rows lies
#  far behind the watermark that the 3000 fillers (s NULL) push to 10:05:00. Phase A: L a at
#  09:00:10, R a at 09:00:20 (pair), L b at 09:00:30. Phase C (after the fillers): R b at
#  09:00:40 (pairs with phase A's L b, stored long before), L a at 09:00:50 (pairs with phase
#  A's R a), L e 10:04:59 / R e 10:04:58 (pair), R x with a NULL at, L d at 11:00:00 and R d
#  at 11:00:30 (no pair: 30 s > 20 s), R d at 11:00:15 (pair), L with a NULL key; for the
#  time-bounded variant (r.ts within [l.at - 30 s, l.at + 20 s]) L a at 10:00:05 (meets phase
#  A's R a, ts 10:00:01) and L e at 10:06:20 (meets phase C's R e, ts 10:06:03). A join that
#  took `at` as the event time would drop phase C's rows as late and phase A's as expired.

AT_A = [("L", "a", "09:00:10", 1), ("R", "a", "09:00:20", 10), ("L", "b", "09:00:30", 2)]
AT_C = [("R", "b", "09:00:40", 30), ("L", "a", "09:00:50", 3), ("L", "e", "10:04:59", 5),
        ("R", "e", "10:04:58", 6), ("R", "x", None, 7), ("L", "d", "11:00:00", 8),
        ("R", "d", "11:00:30", 80), ("R", "d", "11:00:15", 81), ("L", None, "09:00:20", 9),
        ("L", "a", "10:00:05", 10), ("L", "e", "10:06:20", 11)]
at_rows = []
for i, (s, k, at, v) in enumerate(AT_A):
    at_rows.append({"ts": T("10:00:%02d" % i), "s": s, "k": k, "at": T(at), "v": v})
at_rows += [{"ts": fmt_ts(ts_ns(T("10:05:00")) + i * 10_000_000) + "Z"} for i in range(3000)]
for i, (s, k, at, v) in enumerate(AT_C):
    at_rows.append({"ts": T("10:06:%02d" % i), "s": s, "k": k, "at": T(at), "v": v})
put(os.path.join(INPUTS, "outer_at.json"), lines(at_rows))
assert all(rows_on_time(at_rows)), "outer_at.json: no row may be late by ts"


def at_db():
    db = sqlite3.connect(":memory:")
    table(db, "ev", [r for r in load("outer_at.json") if r.get("s")], ["ts", "s", "k", "at", "v"])
    return db


def no_event_time():
    rows = q(at_db(), """SELECT l.v AS lv, r.v AS rv, l.k AS k, l.at AS lat, r.at AS rat
                         FROM (SELECT * FROM ev WHERE s = 'L') l
                         JOIN (SELECT * FROM ev WHERE s = 'R') r
                         ON l.k = r.k AND r.at BETWEEN l.at - ? AND l.at + ?""", 30 * SEC, 20 * SEC)
    for r in rows:
        # a debezium_json sink writes TIMESTAMP as Unix milliseconds
        r["lat"] //= 1_000_000
        r["rat"] //= 1_000_000
    write_debezium_golden("join_upd_interval_no_event_time", rows, ["lv", "rv"])


def one_event_time():
    # r.ts (the event time; nothing is late) within [l.at - 30 s, l.at + 20 s]
    rows = q(at_db(), """SELECT l.v AS lv, r.v AS rv, l.k AS k, l.at AS lat, r.ts AS rts
                         FROM (SELECT * FROM ev WHERE s = 'L') l
                         JOIN (SELECT * FROM ev WHERE s = 'R') r
                         ON l.k = r.k AND r.ts BETWEEN l.at - ? AND l.at + ?""", 30 * SEC, 20 * SEC)
    for r in rows:
        r["lat"], r["rts"] = fmt_ts(r["lat"]), fmt_ts(r["rts"])
    write_golden("join_interval_one_event_time", rows)


no_event_time()
one_event_time()


# ---- 4. outer interval joins with late rows (join_win_late.json, see join_interval_late) ------

def timed_outer(test, rows, cols, left_sql, right_sql, on, select, join, preserved,
                never_late=(), fix=None, args=()):
    """The outer join of the rows' on-time part, plus each late row of a preserved side padded.
    left_sql / right_sql select a side from table ev; `preserved` lists the sides (L, R) kept;
    rows whose side is in never_late are never late."""
    ok = rows_on_time(rows)
    db = sqlite3.connect(":memory:")
    side_of = {}
    kept, late = [], []
    for r, o in zip(rows, ok):
        (kept if o or r.get("s") in never_late else late).append(r)
    table(db, "ev", kept, cols)
    table(db, "late", late, cols)
    out = q(db, "SELECT %s FROM (%s) l %s JOIN (%s) r ON %s" % (select, left_sql, join, right_sql, on), *args)
    if "L" in preserved:
        out += q(db, "SELECT %s FROM (%s) l LEFT JOIN (SELECT * FROM (%s) WHERE 0) r ON 1"
                 % (select, left_sql.replace("FROM ev", "FROM late"), right_sql))
    if "R" in preserved:
        out += q(db, "SELECT %s FROM (SELECT * FROM (%s) WHERE 0) l RIGHT JOIN (%s) r ON 1"
                 % (select, left_sql, right_sql.replace("FROM ev", "FROM late")))
    for r in out:
        for c in r:
            if c.endswith("ts"):
                r[c] = fmt_ts(r[c])
    write_golden(test, out)
    del side_of


LATE_ROWS = load("join_win_late.json")
INTERVAL_SELECT = "l.k AS lk, r.k AS rk, l.v AS lv, r.v AS rv, l.ts AS lts, r.ts AS rts"
INTERVAL_ON = "l.k = r.k AND r.ts BETWEEN l.ts - ? AND l.ts + ?"
for test, join, pres in (("join_interval_left_late", "LEFT", "L"), ("join_interval_full_late", "FULL", "LR")):
    timed_outer(test, LATE_ROWS, ["ts", "s", "k", "v"], "SELECT * FROM ev WHERE s = 'L'",
                "SELECT * FROM ev WHERE s = 'R'", INTERVAL_ON, INTERVAL_SELECT, join, pres,
                args=(30 * SEC, 20 * SEC))


# ---- 5. outer time-bounded joins (tbound.json, see join_tbound_q4) ----------------------------

TB_ROWS = load("tbound.json")
TB_COLS = ["ts", "s", "id", "opens", "expires", "v"]
TB_SELECT = "l.id AS aid, r.id AS bid, l.v AS av, r.v AS bv, l.ts AS ats, r.ts AS bts"
for test, join, pres, lo, never in (("join_tbound_left", "LEFT", "L", "ts", ()),
                                    ("join_tbound_full", "FULL", "LR", "ts", ()),
                                    ("join_tbound_open_left", "LEFT", "L", "opens", ("A",))):
    timed_outer(test, TB_ROWS, TB_COLS, "SELECT * FROM ev WHERE s = 'A'", "SELECT * FROM ev WHERE s = 'B'",
                "l.id = r.id AND r.ts BETWEEN l.%s AND l.expires" % lo, TB_SELECT, join, pres, never)


# ---- 6. an outer interval join without late rows (deterministic at any parallelism) ----------
#  join_left.json (ts 09:00:00 + i s for row i) and join_right.json (09:00:30 + j s), each a
#  source with WATERMARK FOR ts; each file's ts rise, so no row is ever behind its join's
#  watermark. ON l.k = r.k AND r.ts within [l.ts + 28 s, l.ts + 31 s]: left row i meets right
#  row j of its key when i - 2 <= j <= i + 1 (left 7 and right 109, both a, meet no one).

def outer_interval_full():
    rows = q(append_db(), """SELECT l.id AS l_id, r.id AS r_id, l.k AS lk, r.k AS rk, l.ts AS lts,
                                    r.ts AS rts
                             FROM l FULL JOIN r
                             ON l.k = r.k AND r.ts BETWEEN l.ts + ? AND l.ts + ?""", 28 * SEC, 31 * SEC)
    for r in rows:
        r["lts"], r["rts"] = fmt_ts(r["lts"]), fmt_ts(r["rts"])
    write_golden("join_outer_interval_full", rows)


outer_interval_full()


# ---- 7. a LEFT interval join with a windowed aggregate's window end (Nexmark q7's shape) --------
#  join_win_left.json's rows (wl) meet the per-minute, per-k max of join_win_right.json (wr)
#  whose window end lies in [ts, ts + 1 minute] (the window holding ts, and the one before when
#  ts is a window end). window.end counts as an event time (never below its rows' event time).

def outer_window_end():
    db = sqlite3.connect(":memory:")
    table(db, "wl", load("join_win_left.json"), ["ts", "k", "tag", "v"])
    table(db, "wr", load("join_win_right.json"), ["ts", "k", "tag", "v"])
    MIN = 60 * SEC
    rows = q(db, """WITH m AS (SELECT (ts / ?) * ? + ? AS wend, k, max(v) AS mx FROM wr GROUP BY 1, 2)
                    SELECT b.k AS k, b.v AS v, b.ts AS ts, m.wend AS wend, m.mx AS mx
                    FROM wl b LEFT JOIN m ON b.k = m.k AND b.ts BETWEEN m.wend - ? AND m.wend""",
             MIN, MIN, MIN, MIN)
    for r in rows:
        r["ts"], r["wend"] = fmt_ts(r["ts"]), fmt_ts(r["wend"])
    write_golden("join_outer_window_end", rows)


outer_window_end()

finish("join_outer_oracle")
