#!/usr/bin/env python3
"""tests/golden/issue4_oracle.py: inputs and expected outputs of the golden tests for joins
(issue 4): the join_* tests and the peer_updating_* tests in tests/golden/queries/.

The expected outputs are computed here INDEPENDENTLY of arroyo-c, from the input files as
written to disk, with SQLite (python's sqlite3, 3.39 or later for RIGHT and FULL JOIN) running
the same join as the test's SQL:
  - updating joins (no windows) over append-only json inputs: the SQL join of all input rows;
  - updating joins over updating inputs: Python replays the debezium_json changes (c/u/d) to
    the final table, and an updating GROUP BY is the GROUP BY over the final table; the
    expected result is the SQL join of those final tables;
  - windowed joins: each side's windowed aggregate is a SQLite GROUP BY (ts / w) * w, keys
    (epoch-aligned tumbling windows over epoch nanoseconds; hop windows as a table of (row,
    window end) pairs built in Python), and the two are joined ON the window AND the query's
    keys (rows meet only within the same window);
  - late rows (join_win_late): a row is late when its event time is < the watermark, the
    max event time over EARLIER source batches (WATERMARK FOR ts, no delay). As in
    issue3_oracle.py, the script does not assume where batches end: it asserts that every row
    is late for every batching with at most MAX_BATCH_SPAN rows per batch, or on time for
    every batching, and drops the late rows before aggregating.
SQL's join semantics do the rest: a NULL key never equals anything (outer joins keep such a
row padded with NULLs), duplicate keys on both sides give every pair.

Output encoding (peer README): json sink TIMESTAMP as "YYYY-MM-DDTHH:MM:SS[.fff]";
debezium_json goldens hold one "c" record per row of the final state (only the final state
is compared, keyed by the test's --pk or the whole row), integers as integers, NULL as null.

Run it from anywhere: python3 tests/golden/issue4_oracle.py [--check]. Without --check it
(re)writes the inputs and goldens it owns; with --check it only compares and exits 1 on a
difference (the committed files must be what this script produces).
"""

import json
import os
import sqlite3

from oracle_lib import HERE, GOLDEN, INPUTS, CHECK, lines, put, finish, load, on_time, SEC, ts_ns, fmt_ts

PEER_INPUTS = os.path.join(HERE, "..", "..", "..", "shared", "peer-tests", "arroyo", "inputs")

# Rows per source batch assumed at most, for the late-row test. The worker's batches hold up
# to 8192 rows (--batch-rows), but single_file's first read is 64 KB, about 1900 rows of
# join_win_late.json, so the first filler (which advances the watermark) and the late rows
# 3000 rows (102 KB) into the file are never in one batch.
MAX_BATCH_SPAN = 2900


assert sqlite3.sqlite_version_info >= (3, 39, 0), "RIGHT/FULL JOIN need SQLite 3.39"


# ---- encoding helpers -------------------------------------------------------------------

def write_input(name, rows):
    put(os.path.join(INPUTS, name), lines(rows))


def canon(r):
    return json.dumps(r, sort_keys=True)


def write_golden(test, rows):
    put(os.path.join(GOLDEN, test + ".json"), lines(sorted(rows, key=canon)))


def write_debezium_golden(test, rows, pk=None):
    """The final state as "c" records. The rows must be unique under the test's --pk (or as
    whole rows without one): that is what makes the final state comparable."""
    keys = [tuple(r[c] for c in pk) if pk else canon(r) for r in rows]
    assert len(set(keys)) == len(keys), (test, "final state not unique under pk", pk)
    put(os.path.join(GOLDEN, test + ".json"),
        lines({"before": None, "after": r, "op": "c"} for r in sorted(rows, key=canon)))


def table(db, name, rows, cols):
    """CREATE TABLE name(cols) holding rows (dicts); columns named ts hold nanoseconds."""
    db.execute("CREATE TABLE %s (%s)" % (name, ", ".join(cols)))
    for r in rows:
        vals = [ts_ns(r[c]) if c == "ts" and r.get(c) is not None else r.get(c) for c in cols]
        db.execute("INSERT INTO %s VALUES (%s)" % (name, ",".join("?" * len(cols))), vals)


def q(db, sql, *args):
    cur = db.execute(sql, args)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


MIN = 60 * SEC


def T(hms, day="2024-03-01"):
    return "%sT%sZ" % (day, hms)


def debezium_final(name, pk="id"):
    """Replay a debezium_json input file to its final table (checking its invariants)."""
    state = {}
    for rec in load(name):
        if rec["op"] == "c":
            assert rec["after"][pk] not in state
            state[rec["after"][pk]] = rec["after"]
        elif rec["op"] == "u":
            assert state.pop(rec["before"][pk]) == rec["before"]
            assert rec["after"][pk] not in state
            state[rec["after"][pk]] = rec["after"]
        elif rec["op"] == "d":
            assert state.pop(rec["before"][pk]) == rec["before"]
        else:
            raise ValueError(rec)
    return list(state.values())


# ---- 1. the peer tests Arroyo rejects (impulse.json, copied from the peer suite) ---------------

src = os.path.join(PEER_INPUTS, "impulse.json")
if os.path.exists(src):
    put(os.path.join(INPUTS, "impulse.json"), open(src, encoding="utf-8").read())
impulse = load("impulse.json")


def peer_updating(test, join):
    db = sqlite3.connect(":memory:")
    table(db, "impulse", impulse, ["ts", "counter", "subtask_index"])
    # the query verbatim but for SQLite's spelling: counter is BIGINT UNSIGNED >= 0, so
    # SQLite's % (sign of the dividend) and the cast to BIGINT UNSIGNED change nothing
    rows = q(db, """SELECT counter AS left_counter, counter_mod_2, right_count
                    FROM impulse %s JOIN
                      (SELECT counter %% 2 AS counter_mod_2, count(*) AS right_count
                       FROM impulse WHERE counter < 3 GROUP BY 1)
                    ON counter = right_count
                    WHERE counter < 3""" % join)
    write_debezium_golden(test, rows, ["left_counter", "counter_mod_2"])


peer_updating("peer_updating_left_join", "LEFT")
peer_updating("peer_updating_right_join", "RIGHT")
peer_updating("peer_updating_full_join", "FULL OUTER")
peer_updating("peer_updating_inner_join_with_updating", "INNER")


# ---- 2. updating joins over append-only inputs (join_left.json, join_right.json) --------------
#  k: 'a' three rows left x four right (12 pairs), 'b' two x two, 'd' one x one, 'c' left only,
#  'e' right only, NULL keys on both sides (never match). k2 (INT left, BIGINT right) is the
#  second key of the multi-column test; v / w feed the residual condition.

LEFT = [
    # id  k     k2    v
    (1, "a", 1, 10),
    (2, "a", 2, 20),
    (3, "b", 1, 5),
    (4, "c", 1, 7),
    (5, None, 1, 3),
    (6, None, None, 4),
    (7, "a", None, 30),
    (8, "d", 2, None),
    (9, "b", 1, 50),
]
RIGHT = [
    # id   k     k2    w
    (101, "a", 1, 15),
    (102, "a", 1, 25),
    (103, "a", 2, 5),
    (104, "b", 1, 40),
    (105, "e", 1, 1),
    (106, None, 1, 9),
    (107, "d", 2, 100),
    (108, "b", None, 8),
    (109, "a", None, 12),
]
THIRD = [
    # rid   label
    (101, "x"),
    (104, "y"),
    (104, "y2"),
    (107, "z"),
    (999, "nomatch"),
    (None, "nullrid"),
]
write_input("join_left.json", [{"ts": T("09:00:%02d" % i), "id": id_, "k": k, "k2": k2, "v": v}
                               for i, (id_, k, k2, v) in enumerate(LEFT)])
write_input("join_right.json", [{"ts": T("09:00:%02d" % (30 + i)), "id": id_, "k": k, "k2": k2,
                                 "w": w} for i, (id_, k, k2, w) in enumerate(RIGHT)])
write_input("join_third.json", [{"rid": rid, "label": lab} for rid, lab in THIRD])


def append_db():
    db = sqlite3.connect(":memory:")
    table(db, "l", load("join_left.json"), ["ts", "id", "k", "k2", "v"])
    table(db, "r", load("join_right.json"), ["ts", "id", "k", "k2", "w"])
    table(db, "c", load("join_third.json"), ["rid", "label"])
    return db


def upd_append(test, join):
    rows = q(append_db(), """SELECT l.id AS l_id, l.k AS lk, l.v AS v, r.id AS r_id, r.k AS rk,
                                    r.w AS w
                             FROM l %s JOIN r ON l.k = r.k""" % join)
    write_debezium_golden(test, rows, ["l_id", "r_id"])


upd_append("join_upd_inner", "INNER")
upd_append("join_upd_left", "LEFT")
upd_append("join_upd_right", "RIGHT")
upd_append("join_upd_full", "FULL")


def multi_key():
    rows = q(append_db(), """SELECT l.id AS l_id, r.id AS r_id, l.k AS k, l.k2 AS lk2,
                                    r.k2 AS rk2
                             FROM l LEFT JOIN r ON l.k = r.k AND r.k2 = l.k2""")
    write_debezium_golden("join_multi_key", rows, ["l_id", "r_id"])


def residual():
    rows = q(append_db(), """SELECT l.id AS l_id, r.id AS r_id, l.v AS v, r.w AS w
                             FROM l JOIN r ON l.k = r.k AND l.v < r.w""")
    write_debezium_golden("join_residual", rows, ["l_id", "r_id"])


def self_join():
    rows = q(append_db(), """WITH lv AS (SELECT id, k, v FROM l WHERE v IS NOT NULL)
                             SELECT x.id AS x_id, y.id AS y_id, x.k AS k, x.v + y.v AS vv
                             FROM lv x JOIN lv y ON x.k = y.k AND x.id < y.id""")
    write_debezium_golden("join_self_view", rows, ["x_id", "y_id"])


def three_way():
    rows = q(append_db(), """SELECT a.id AS a_id, b.id AS b_id, c.label AS label, a.k AS k
                             FROM l a JOIN r b ON a.k = b.k LEFT JOIN c ON b.id = c.rid""")
    write_debezium_golden("join_three_way", rows, ["a_id", "b_id", "label"])


multi_key()
residual()
self_join()
three_way()


# ---- 3. updating joins over updating inputs: debezium_json sources and GROUP BY -----------------

def row(id_, k, x, col):
    return {"id": id_, "k": k, col: x}


def changes(col, chs):
    out = []
    for i, (op, before, after) in enumerate(chs):
        b = row(*before, col) if before else None
        a = row(*after, col) if after else None
        out.append({"before": b, "after": a, "op": op, "ts_ms": i + 1})
    return out


CDC_LEFT = [
    ("c", None, (1, "a", 10)),
    ("c", None, (2, "a", 20)),
    ("c", None, (3, "b", 30)),
    ("c", None, (4, "c", 40)),
    ("c", None, (5, None, 50)),
    ("u", (2, "a", 20), (2, "b", 21)),      # key a -> b
    ("c", None, (6, "d", 60)),
    ("d", (4, "c", 40), None),              # c's only left row deleted
    ("u", (1, "a", 10), (1, "a", 11)),      # value change, same key
    ("c", None, (7, "e", 70)),
    ("u", (5, None, 50), (5, "e", 51)),     # NULL key becomes e
    ("d", (6, "d", 60), None),              # d's only left row deleted
    ("c", None, (8, None, 80)),
    ("u", (7, "e", 70), (7, "f", 70)),      # e -> f
]
CDC_RIGHT = [
    ("c", None, (101, "a", 1)),
    ("c", None, (102, "b", 2)),
    ("c", None, (103, "d", 3)),
    ("c", None, (104, "e", 4)),
    ("c", None, (105, "b", 5)),
    ("u", (101, "a", 1), (101, "a", 100)),
    ("d", (104, "e", 4), None),             # e's only right row deleted
    ("c", None, (106, "g", 6)),             # g: right only
    ("u", (102, "b", 2), (102, "c", 2)),    # b loses a row; c has no left row any more
    ("c", None, (107, None, 7)),
    ("c", None, (108, "e", 8)),             # e back ...
    ("d", (108, "e", 8), None),             # ... and gone again
    ("c", None, (109, "a", 9)),
]
write_input("join_cdc_left.json", changes("v", CDC_LEFT))
write_input("join_cdc_right.json", changes("w", CDC_RIGHT))


def cdc_db():
    db = sqlite3.connect(":memory:")
    table(db, "l", debezium_final("join_cdc_left.json"), ["id", "k", "v"])
    table(db, "r", debezium_final("join_cdc_right.json"), ["id", "k", "w"])
    table(db, "la", load("join_left.json"), ["ts", "id", "k", "k2", "v"])
    return db


def upd_cdc(test, join):
    rows = q(cdc_db(), """SELECT l.id AS l_id, l.k AS lk, l.v AS v, r.id AS r_id, r.k AS rk,
                                 r.w AS w
                          FROM l %s JOIN r ON l.k = r.k""" % join)
    write_debezium_golden(test, rows, ["l_id", "r_id"])


upd_cdc("join_cdc_inner", "INNER")
upd_cdc("join_cdc_left", "LEFT")
upd_cdc("join_cdc_right", "RIGHT")
upd_cdc("join_cdc_full", "FULL")


def groupby_inner():
    # append-only left (join_left.json) x GROUP BY k over the debezium right (final table)
    rows = q(cdc_db(), """SELECT la.id AS l_id, la.k AS k, g.n AS n, g.total AS total
                          FROM la JOIN (SELECT k, count(*) AS n, sum(w) AS total
                                        FROM r GROUP BY k) g
                          ON la.k = g.k""")
    write_debezium_golden("join_groupby_inner", rows, ["l_id"])


def groupby_full():
    # GROUP BY k on both debezium sources (final tables), FULL JOIN on the group keys; each
    # side has a NULL-key group, which matches nothing: two padded rows with both keys NULL
    rows = q(cdc_db(), """SELECT gl.k AS lk, gl.n AS ln, gl.sv AS sv, gr.k AS rk, gr.n AS rn,
                                 gr.sw AS sw
                          FROM (SELECT k, count(*) AS n, sum(v) AS sv FROM l GROUP BY k) gl
                          FULL JOIN (SELECT k, count(*) AS n, sum(w) AS sw FROM r GROUP BY k) gr
                          ON gl.k = gr.k""")
    write_debezium_golden("join_groupby_full", rows)


def cdc_self():
    # LEFT self join of the debezium table: every change hits both sides, so pairs made
    # earlier are retracted by updates and deletes of either side
    rows = q(cdc_db(), """SELECT x.id AS x_id, y.id AS y_id, x.k AS k, x.v + y.v AS vv
                          FROM l x LEFT JOIN l y ON x.k = y.k""")
    write_debezium_golden("join_cdc_self", rows, ["x_id", "y_id"])


groupby_inner()
groupby_full()
cdc_self()


# ---- 4. windowed joins (join_win_left.json, join_win_right.json), tumble 1 minute -------------
#  10:00 both sides: a (2 left groups x 3 right groups), b (1 x 1), c left only, NULL keys on
#        both sides
#  10:01 left rows only; 10:02 right rows only (c here must not meet 10:00's c); 10:03 nothing
#  10:04 both sides, no common key; 10:05 both, a matches

WIN_LEFT = [
    # ts              k     tag  v
    ("10:00:05", "a", "x", 1),
    ("10:00:10", "a", "y", 2),
    ("10:00:15", "a", "x", 3),
    ("10:00:20", "b", "x", 4),
    ("10:00:25", None, "x", 5),
    ("10:00:30", "c", "x", 6),
    ("10:01:10", "a", "x", 7),
    ("10:01:20", "b", "y", 8),
    ("10:04:05", "d", "x", 9),
    ("10:04:30", None, "y", 10),
    ("10:05:00", "a", "x", 11),
]
WIN_RIGHT = [
    ("10:00:01", "a", "p", 100),
    ("10:00:02", "a", "q", 200),
    ("10:00:40", "a", "r", 300),
    ("10:00:41", "a", "p", 400),
    ("10:00:50", None, "p", 500),
    ("10:00:59.999", "b", "p", 600),
    ("10:02:00", "a", "p", 700),
    ("10:02:30", "c", "q", 800),
    ("10:04:10", "e", "p", 900),
    ("10:04:20", "c", "p", 1000),
    ("10:05:59.999", "a", "q", 1100),
]
write_input("join_win_left.json", [{"ts": T(t), "k": k, "tag": g, "v": v}
                                   for t, k, g, v in WIN_LEFT])
write_input("join_win_right.json", [{"ts": T(t), "k": k, "tag": g, "v": v}
                                    for t, k, g, v in WIN_RIGHT])


def win_db(left_rows=None, right_rows=None):
    db = sqlite3.connect(":memory:")
    table(db, "wl", left_rows if left_rows is not None else load("join_win_left.json"),
          ["ts", "k", "tag", "v"])
    table(db, "wr", right_rows if right_rows is not None else load("join_win_right.json"),
          ["ts", "k", "tag", "v"])
    return db


WIN_AGGS = """WITH l AS (SELECT (ts / %(w)d) * %(w)d AS ws, k, tag, count(*) AS n, sum(v) AS s
                         FROM wl GROUP BY 1, 2, 3),
                   r AS (SELECT (ts / %(w)d) * %(w)d AS ws, k, tag, count(*) AS n, max(v) AS m
                         FROM wr GROUP BY 1, 2, 3)
"""


def win_join(test, join, extra=""):
    rows = q(win_db(), WIN_AGGS % {"w": MIN} + """
                SELECT l.ws AS lws, r.ws AS rws, l.k AS lk, l.tag AS ltag, l.n AS ln, l.s AS ls,
                       r.k AS rk, r.tag AS rtag, r.n AS rn, r.m AS rm
                FROM l %s JOIN r ON l.ws = r.ws AND l.k = r.k %s""" % (join, extra))
    for r in rows:
        r["lws"] = fmt_ts(r["lws"])
        r["rws"] = fmt_ts(r["rws"])
    write_golden(test, rows)


win_join("join_win_inner", "INNER")
win_join("join_win_left", "LEFT")
win_join("join_win_right", "RIGHT")
win_join("join_win_full", "FULL")
win_join("join_win_left_residual", "LEFT", "AND l.n < r.n")
win_join("join_win_full_residual", "FULL", "AND l.n < r.n")
# l.w is a copy of l.window: the extra key only makes the join keep window keys in its key bytes
win_join("join_win_window_keys", "FULL", "AND l.ws = r.ws")


# ---- 5. late rows in a windowed join (join_win_late.json, one source, side s = L / R) ---------
#  Phase A (on time): 10:00 L a, R a, L b; 10:01 R c.
#  Phase B: 3000 filler rows (ts only: s NULL, filtered out by both sides) every 10 ms from
#  10:05:00.
#  Phase C, 3000 rows (more than MAX_BATCH_SPAN) after the first filler pushed the watermark
#  to 10:05:00: rows for windows 10:00, 10:01 and 10:04, all late (dropped): each would have
#  changed the result (b and c would match, a's count would be 2, e would appear).
#  Phase D (on time): 10:05 L d, R d; 10:06 L f.

LATE = [("10:00:10", "L", "a", 1), ("10:00:20", "R", "a", 10), ("10:00:30", "L", "b", 2),
        ("10:01:30", "R", "c", 20)]
base = ts_ns(T("10:05:00"))
FILLERS = [(fmt_ts(base + i * 10_000_000)[11:], "F", None, None) for i in range(3000)]
LATE_C = [("10:00:40", "R", "b", 30), ("10:00:50", "L", "a", 3), ("10:01:40", "L", "c", 4),
          ("10:04:59", "L", "e", 5), ("10:04:58", "R", "e", 6)]
LATE_D = [("10:05:30", "L", "d", 7), ("10:05:40", "R", "d", 70), ("10:06:10", "L", "f", 8)]
late_rows = []
for t, s, k, v in LATE + FILLERS + LATE_C + LATE_D:
    r = {"ts": T(t)}                 # filler rows: ts only (s, k, v NULL), to keep them short
    if s != "F":
        r.update({"s": s, "k": k, "v": v})
    late_rows.append(r)
write_input("join_win_late.json", late_rows)


def win_late():
    rows = load("join_win_late.json")
    kept = [r for r, ok in zip(rows, on_time([ts_ns(r["ts"]) for r in rows], MAX_BATCH_SPAN)) if ok]
    assert len(rows) - len(kept) == len(LATE_C)
    left = [r for r in kept if r.get("s") == "L"]
    right = [r for r in kept if r.get("s") == "R"]
    for r in left + right:
        r.setdefault("tag", None)
    db = win_db(left, right)
    out = q(db, """WITH l AS (SELECT (ts / ?) * ? AS ws, k, count(*) AS n, sum(v) AS s
                              FROM wl GROUP BY 1, 2),
                        r AS (SELECT (ts / ?) * ? AS ws, k, count(*) AS n, sum(v) AS s
                              FROM wr GROUP BY 1, 2)
                   SELECT l.ws AS lws, r.ws AS rws, l.k AS lk, l.n AS ln, l.s AS ls, r.k AS rk,
                          r.n AS rn, r.s AS rs
                   FROM l FULL JOIN r ON l.ws = r.ws AND l.k = r.k""", MIN, MIN, MIN, MIN)
    for r in out:
        r["lws"] = fmt_ts(r["lws"])
        r["rws"] = fmt_ts(r["rws"])
    write_golden("join_win_late", out)


win_late()


# ---- 5b. late rows in an interval join (join_win_late.json again, raw rows) ----------------
# The join drops a row whose event time is < its watermark (the same classification as
# above: every row is surely late or surely on time), then joins the kept rows:
# l.k = r.k AND r.ts BETWEEN l.ts - 30 s AND l.ts + 20 s. Kept pairs: a (10:00:10, 10:00:20)
# and d (10:05:30, 10:05:40); the late rows would have added b (10:00:30 L with 10:00:40 R),
# a (10:00:50 L with 10:00:20 R) and e (10:04:59 L with 10:04:58 R).
def interval_late():
    rows = load("join_win_late.json")
    kept = [r for r, ok in zip(rows, on_time([ts_ns(r["ts"]) for r in rows], MAX_BATCH_SPAN)) if ok]
    db = sqlite3.connect(":memory:")
    table(db, "ev", kept, ["ts", "s", "k", "v"])
    out = q(db, """SELECT l.k AS k, l.v AS lv, r.v AS rv, l.ts AS lts, r.ts AS rts
                   FROM (SELECT * FROM ev WHERE s = 'L') l
                   JOIN (SELECT * FROM ev WHERE s = 'R') r
                   ON l.k = r.k AND r.ts BETWEEN l.ts - ? AND l.ts + ?""", 30 * SEC, 20 * SEC)
    for r in out:
        r["lts"] = fmt_ts(r["lts"])
        r["rts"] = fmt_ts(r["rts"])
    write_golden("join_interval_late", out)


interval_late()

# ---- 6. key types and expression keys (join_types_left.json, join_types_right.json) ----------
#  Keys of type DOUBLE, TIMESTAMP, BOOLEAN and TEXT. Equal values written differently must
#  match: 1.5 / 1.50, "...T10:00:00Z" / "...T10:00:00.000+00:00", ".5Z" / ".500Z"; '' is a
#  value (matches ''), NULL is not; "X" <> "x"; a microsecond or 1e-7 apart is different.

TYPES_LEFT = [
    '{"id":1,"d":1.5,"ts":"2024-03-01T10:00:00Z","b":true,"s":"x"}',
    '{"id":2,"d":1.5,"ts":"2024-03-01T10:00:00Z","b":false,"s":"x"}',
    '{"id":3,"d":2.25,"ts":"2024-03-01T10:00:00.5Z","b":true,"s":""}',
    '{"id":4,"d":1.5,"ts":"2024-03-01T10:00:00Z","b":true,"s":null}',
    '{"id":5,"d":1e15,"ts":"2024-03-01T10:00:00Z","b":true,"s":"X"}',
    '{"id":6,"d":null,"ts":"2024-03-01T10:00:00Z","b":true,"s":"x"}',
]
TYPES_RIGHT = [
    '{"id":101,"d":1.50,"ts":"2024-03-01T10:00:00.000+00:00","b":true,"s":"x"}',
    '{"id":102,"d":1.5,"ts":"2024-03-01T10:00:00Z","b":false,"s":"x"}',
    '{"id":103,"d":2.25,"ts":"2024-03-01T10:00:00.500Z","b":true,"s":""}',
    '{"id":104,"d":1.5,"ts":"2024-03-01T10:00:00Z","b":true,"s":null}',
    '{"id":105,"d":1e15,"ts":"2024-03-01T10:00:00Z","b":true,"s":"x"}',
    '{"id":106,"d":1.5000001,"ts":"2024-03-01T10:00:00Z","b":true,"s":"x"}',
    '{"id":107,"d":1.5,"ts":"2024-03-01T10:00:00.000001Z","b":true,"s":"x"}',
    '{"id":108,"d":null,"ts":"2024-03-01T10:00:00Z","b":true,"s":"x"}',
]
put(os.path.join(INPUTS, "join_types_left.json"), "".join(l + "\n" for l in TYPES_LEFT))
put(os.path.join(INPUTS, "join_types_right.json"), "".join(l + "\n" for l in TYPES_RIGHT))


def types_db():
    db = sqlite3.connect(":memory:")
    cols = ["id", "d", "ts", "b", "s"]
    table(db, "l", load("join_types_left.json"), cols)
    table(db, "r", load("join_types_right.json"), cols)
    return db


def key_types():
    rows = q(types_db(), """SELECT l.id AS l_id, r.id AS r_id
                            FROM l FULL JOIN r
                            ON l.d = r.d AND l.ts = r.ts AND l.b = r.b AND l.s = r.s""")
    write_debezium_golden("join_key_types", rows, ["l_id", "r_id"])


def expr_keys():
    # SQLite's lower() is ASCII-only, like the data; booleans are 0/1 on both sides
    rows = q(types_db(), """SELECT l.id AS l_id, r.id AS r_id, lower(l.s) AS s
                            FROM l JOIN r ON lower(l.s) = lower(r.s) AND l.b = r.b""")
    write_debezium_golden("join_expr_keys", rows, ["l_id", "r_id"])


key_types()
expr_keys()


# ---- 7. an aggregate over an updating join; a windowed self join ---------------------------------

def join_then_agg():
    rows = q(cdc_db(), """SELECT l.k AS k, count(*) AS n, count(r.id) AS pairs, sum(l.v) AS sv,
                                 sum(r.w) AS sw
                          FROM l LEFT JOIN r ON l.k = r.k GROUP BY l.k""")
    write_debezium_golden("join_then_agg", rows, ["k"])


def win_self():
    rows = q(win_db(), """WITH a AS (SELECT (ts / ?) * ? AS ws, k, tag, count(*) AS n
                                     FROM wl GROUP BY 1, 2, 3)
                          SELECT x.ws AS ws, x.k AS k, x.tag AS xtag, x.n AS xn, y.tag AS ytag,
                                 y.n AS yn
                          FROM a x LEFT JOIN a y
                          ON x.ws = y.ws AND x.k = y.k AND x.tag < y.tag""", MIN, MIN)
    for r in rows:
        r["ws"] = fmt_ts(r["ws"])
    write_golden("join_win_self", rows)


join_then_agg()
win_self()


# ---- 8. many keys (join_many.json, one source, s = L / R): spread over the join subtasks -------
#  10:00  L keys 0..199, R keys 100..299;  10:01  L keys 50..249, R keys 0..99 and 200..299.
#  Rows go through the file in an interleaved order (L and R alternating, keys shuffled by a
#  fixed permutation) so each side's rows arrive mixed with the other's.

many = []
for w, lkeys, rkeys in ((0, range(0, 200), range(100, 300)),
                        (1, range(50, 250), list(range(0, 100)) + list(range(200, 300)))):
    ls = [("L", k) for k in lkeys]
    rs = [("R", k) for k in rkeys]
    ls = [ls[(i * 37) % len(ls)] for i in range(len(ls))]      # 37 is prime to 200
    rs = [rs[(i * 53) % len(rs)] for i in range(len(rs))]
    inter = [x for pair in zip(ls, rs) for x in pair]
    for i, (side, k) in enumerate(inter):
        ns = ts_ns(T("10:%02d:00" % w)) + i * 100_000_000          # 0.1 s apart, < 1 min
        many.append({"ts": fmt_ts(ns) + "Z", "id": len(many), "s": side, "k": k,
                     "v": (k * 7 + w) % 10})
write_input("join_many.json", many)


def many_db():
    db = sqlite3.connect(":memory:")
    rows = load("join_many.json")
    table(db, "ml", [r for r in rows if r["s"] == "L"], ["ts", "id", "k", "v"])
    table(db, "mr", [r for r in rows if r["s"] == "R"], ["ts", "id", "k", "v"])
    return db


def many_windowed():
    rows = q(many_db(), """WITH l AS (SELECT (ts / ?) * ? AS ws, k, count(*) AS n, sum(v) AS s
                                      FROM ml GROUP BY 1, 2),
                                r AS (SELECT (ts / ?) * ? AS ws, k, count(*) AS n, sum(v) AS s
                                      FROM mr GROUP BY 1, 2)
                           SELECT l.ws AS lws, r.ws AS rws, l.k AS lk, l.s AS ls, r.k AS rk,
                                  r.s AS rs
                           FROM l FULL JOIN r ON l.ws = r.ws AND l.k = r.k""", MIN, MIN, MIN, MIN)
    for r in rows:
        r["lws"] = fmt_ts(r["lws"])
        r["rws"] = fmt_ts(r["rws"])
    write_golden("join_many_windowed", rows)


def many_updating():
    # TIMESTAMP columns in a debezium_json sink are Unix milliseconds
    rows = q(many_db(), """SELECT l.id AS l_id, r.id AS r_id, l.k AS lk, r.k AS rk,
                                  l.ts / 1000000 AS lts, r.ts / 1000000 AS rts, l.v + r.v AS vv
                           FROM ml l FULL JOIN mr r ON l.k = r.k""")
    write_debezium_golden("join_many_updating", rows, ["l_id", "r_id"])


many_windowed()
many_updating()

# ---- 9. hop windows, an aggregate over a windowed join, GROUP BY a qualified column ---------------

def hop_ends(ts, slide, width):
    """Window ends e (multiples of slide) with e - width <= ts < e."""
    first = (ts // slide) * slide + slide
    return [e for e in range(first, ts + width + 1, slide) if e - width <= ts < e]


def win_hop():
    slide, width = MIN, 2 * MIN
    db = win_db()
    for side in ("wl", "wr"):
        db.execute("CREATE TABLE %s_h (we INTEGER, k, tag, v)" % side)
        for ts, k, tag, v in db.execute("SELECT ts, k, tag, v FROM %s" % side).fetchall():
            for e in hop_ends(ts, slide, width):
                db.execute("INSERT INTO %s_h VALUES (?, ?, ?, ?)" % side, (e, k, tag, v))
    rows = q(db, """WITH l AS (SELECT we, k, count(*) AS n FROM wl_h GROUP BY 1, 2),
                         r AS (SELECT we, k, max(v) AS m FROM wr_h GROUP BY 1, 2)
                    SELECT l.we AS we, l.k AS k, l.n AS ln, r.m AS rm
                    FROM l JOIN r ON l.we = r.we AND l.k = r.k""")
    write_golden("join_win_hop", [{"ws": fmt_ts(r["we"] - width), "we": fmt_ts(r["we"]),
                                   "k": r["k"], "ln": r["ln"], "rm": r["rm"]} for r in rows])


def win_then_agg():
    rows = q(win_db(), WIN_AGGS % {"w": MIN} + """
                SELECT l.ws AS ws, count(*) AS pairs, sum(l.n) AS sn, max(r.m) AS mm
                FROM l JOIN r ON l.ws = r.ws AND l.k = r.k GROUP BY l.ws""")
    for r in rows:
        r["ws"] = fmt_ts(r["ws"])
    write_golden("join_win_then_agg", rows)


def group_by_qualified():
    rows = q(append_db(), """SELECT l.k AS k, count(*) AS n, sum(r.w) AS sw
                             FROM l JOIN r ON l.k = r.k GROUP BY l.k""")
    write_debezium_golden("join_group_by_qualified", rows, ["k"])


win_hop()
win_then_agg()
group_by_qualified()

total = sum(os.path.getsize(os.path.join(INPUTS, f)) for f in os.listdir(INPUTS)
            if f.startswith("join_"))
assert total < 200_000, total

finish("issue4_oracle")
