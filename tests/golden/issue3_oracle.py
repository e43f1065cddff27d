#!/usr/bin/env python3
"""tests/golden/issue3_oracle.py: inputs and expected outputs of the golden tests for event
time, watermarks and windowed / updating aggregation (the win_*, agg_*, wm_*, upd_*, nest_*,
null_* and udaf_* tests in tests/golden/queries/).

The expected outputs are computed here INDEPENDENTLY of arroyo-c, from the input files as
written to disk:
  - SQLite (python's sqlite3) for everything SQL can say directly: GROUP BY, count, count
    DISTINCT, sum, avg, min, max, FILTER (WHERE ...), HAVING. Tumbling windows are the
    expression (ts / w) * w over epoch nanoseconds (the epoch-aligned floor); hopping windows
    are a table of (row, window end) pairs built in Python (ends at multiples of the slide with
    end - width <= ts < end), joined and grouped in SQLite.
  - plain Python for what SQLite lacks: session windows (merge intervals [ts, ts + gap) that
    overlap), median, variance / standard deviation (the statistics module, exact), bit_and /
    bit_or / bit_xor, bool_and / bool_or, string_agg and first_value / last_value (input order),
    the user-defined aggregates, and the replay of debezium (c/u/d) input to its final table.
  - round(x, 4) as DataFusion does it: (x * 10^4).round() / 10^4, halves away from zero.
  - watermarks (wm_* tests): a row is late when its event time is < the watermark; the
    watermark is max(event time) - delay over the rows of EARLIER source batches. The script
    does not assume where batches end: it checks that every row the query keeps is late (or
    on time) for every batching in which a batch holds at most MAX_BATCH_SPAN rows, i.e. with
    the watermark anywhere between max over rows >= MAX_BATCH_SPAN positions back and max over
    all earlier rows. Rows whose fate would depend on batching are filtered out by the query.

Output encoding (peer README): json sink TIMESTAMP as "YYYY-MM-DDTHH:MM:SS[.fff]",
debezium_json goldens hold one "c" record per row of the final state (only the final state
is compared), integers as integers, DOUBLE as floats, NULL as null.

Run it from anywhere: python3 tests/golden/issue3_oracle.py [--check]. Without --check it
(re)writes the inputs and goldens it owns; with --check it only compares and exits 1 on a
difference (the committed files must be what this script produces).
"""

import json
import math
import os
import sqlite3
import statistics

from oracle_lib import HERE, GOLDEN, INPUTS, CHECK, lines, put, finish, load, SEC, ts_ns, fmt_ts


MAX_BATCH_SPAN = 1500   # rows per source batch assumed at most (the worker aims at ~1024)


# ---- encoding helpers -------------------------------------------------------------------

def df_round4(x):
    """DataFusion round(x, 4): (x * 10000).round() / 10000 with Rust's f64::round."""
    if x is None:
        return None
    y = x * 10000.0
    r = math.floor(abs(y) + 0.5)
    # keep clear of ties, where a one-ulp difference in x could change the result
    assert abs(abs(y) - math.floor(abs(y)) - 0.5) > 1e-6, x
    return math.copysign(r, y) / 10000.0


def write_input(name, rows):
    put(os.path.join(INPUTS, name), lines(rows))


def write_golden(test, rows, sort_key=None):
    rows = sorted(rows, key=sort_key or (lambda r: json.dumps(r, sort_keys=True)))
    put(os.path.join(GOLDEN, test + ".json"), lines(rows))


def write_debezium_golden(test, rows, sort_key=None):
    rows = sorted(rows, key=sort_key or (lambda r: json.dumps(r, sort_keys=True)))
    put(os.path.join(GOLDEN, test + ".json"),
        lines({"before": None, "after": r, "op": "c"} for r in rows))


def db_of(rows, cols):
    """An in-memory SQLite table t(cols) holding the rows; ts columns as nanoseconds."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (seq INTEGER, %s)" % ", ".join(cols))
    for i, r in enumerate(rows):
        vals = [i]
        for c in cols:
            v = r.get(c)
            if c == "ts" and v is not None:
                v = ts_ns(v)
            vals.append(v)
        db.execute("INSERT INTO t VALUES (%s)" % ",".join("?" * (len(cols) + 1)), vals)
    return db


def q(db, sql, *args):
    cur = db.execute(sql, args)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


MIN = 60 * SEC
HOUR = 60 * MIN


def T(hms, day="2024-03-01"):
    return "%sT%sZ" % (day, hms)


# ---- win_events.json: a small keyed stream, in event-time order -------------------------------

WIN_EVENTS = [
    (T("10:00:05"), "alice", 3),
    (T("10:00:20"), "bob", 5),
    (T("10:00:31"), "alice", None),
    (T("10:00:59.500"), "alice", 4),
    (T("10:01:00"), "alice", 10),
    (T("10:01:30"), "bob", -2),
    (T("10:01:45"), "bob", 7),
    (T("10:01:50"), "carol", 5),
    (T("10:01:55"), "bob", 7),
    # 10:02 and 10:03: no events
    (T("10:04:10"), "carol", 1),
    (T("10:04:20"), "Carol", 2),
    (T("10:04:30"), None, 8),
    (T("10:04:50"), "alice", 2),
    (T("10:05:00"), "dave", None),
    (T("10:05:59.999"), "alice", 6),
]
write_input("win_events.json", [{"ts": t, "name": n, "v": v} for t, n, v in WIN_EVENTS])
ev = load("win_events.json")
EVCOLS = ["ts", "name", "v"]


def tumble_keyed():
    db = db_of(ev, EVCOLS)
    w = MIN
    rows = q(db, """SELECT (ts / ?) * ? AS ws, name, count(*) AS cnt, count(v) AS n_v,
                           sum(v) AS total, min(v) AS lo, max(v) AS hi, avg(v) AS mean
                    FROM t GROUP BY 1, 2""", w, w)
    out = []
    for r in rows:
        out.append({"ws": fmt_ts(r["ws"]), "we": fmt_ts(r["ws"] + w), "name": r["name"],
                    "cnt": r["cnt"], "n_v": r["n_v"], "total": r["total"], "lo": r["lo"],
                    "hi": r["hi"], "mean": None if r["mean"] is None else float(r["mean"])})
    write_golden("win_tumble_keyed", out)


def hop_windows(ts, slide, width):
    """Window ends e (multiples of slide) with e - width <= ts < e."""
    first = (ts // slide) * slide + slide
    return [e for e in range(first, ts + width + 1, slide) if e - width <= ts < e]


def db_with_hops(rows, cols, slide, width):
    db = db_of(rows, cols)
    db.execute("CREATE TABLE h (seq INTEGER, we INTEGER)")
    for seq, ts in db.execute("SELECT seq, ts FROM t").fetchall():
        for e in hop_windows(ts, slide, width):
            db.execute("INSERT INTO h VALUES (?, ?)", (seq, e))
    return db


def hop_keyed():
    slide, width = 30 * SEC, MIN
    db = db_with_hops(ev, EVCOLS, slide, width)
    rows = q(db, """SELECT h.we AS we, t.name AS name, count(*) AS cnt, sum(t.v) AS total
                    FROM t JOIN h ON t.seq = h.seq GROUP BY 1, 2""")
    write_golden("win_hop_keyed", [
        {"ws": fmt_ts(r["we"] - width), "we": fmt_ts(r["we"]), "name": r["name"],
         "cnt": r["cnt"], "total": r["total"]} for r in rows])


def group_by_alias():
    db = db_of(ev, EVCOLS)
    w = 2 * MIN
    rows = q(db, """SELECT (ts / ?) * ? AS ws, name AS who, count(*) AS n, sum(v) AS total
                    FROM t GROUP BY 1, 2""", w, w)
    write_golden("agg_group_by_alias", [
        {"ws": fmt_ts(r["ws"]), "who": r["who"], "n": r["n"], "total": r["total"]}
        for r in rows])


def group_by_expr():
    db = db_of(ev, EVCOLS)
    w = MIN
    # SQLite's % truncates toward zero like DataFusion's (sign of the dividend)
    rows = q(db, """SELECT (ts / ?) * ? AS ws, lower(name) AS lname, v % 2 AS parity,
                           count(*) AS n, max(v) AS top
                    FROM t GROUP BY 1, lower(name), v % 2""", w, w)
    write_golden("agg_group_by_expr", [
        {"ws": fmt_ts(r["ws"]), "we": fmt_ts(r["ws"] + w), "lname": r["lname"],
         "parity": r["parity"], "n": r["n"], "top": r["top"]} for r in rows])


def having():
    db = db_of(ev, EVCOLS)
    w = MIN
    rows = q(db, """SELECT (ts / ?) * ? AS ws, name, count(*) AS cnt, sum(v) AS total
                    FROM t GROUP BY 1, 2
                    HAVING count(*) >= 2 OR max(v) >= 6""", w, w)
    write_golden("agg_having", [
        {"ws": fmt_ts(r["ws"]), "name": r["name"], "cnt": r["cnt"], "total": r["total"]}
        for r in rows])


def filter_clause():
    db = db_of(ev, EVCOLS)
    w = MIN
    rows = q(db, """SELECT (ts / ?) * ? AS ws, count(*) AS all_rows,
                           count(v) FILTER (WHERE name = 'bob') AS bob_vals,
                           sum(v) FILTER (WHERE name = 'bob') AS bob_sum,
                           max(v) FILTER (WHERE name <> 'alice') AS max_other,
                           avg(v) FILTER (WHERE v > 2) AS avg_big
                    FROM t GROUP BY 1""", w, w)
    write_golden("agg_filter", [
        {"ws": fmt_ts(r["ws"]), "all_rows": r["all_rows"], "bob_vals": r["bob_vals"],
         "bob_sum": r["bob_sum"], "max_other": r["max_other"],
         "avg_big": None if r["avg_big"] is None else float(r["avg_big"])} for r in rows])
    rows = q(db, """SELECT (ts / ?) * ? AS ws, name, count(*) AS all_rows,
                           count(*) FILTER (WHERE v > 0) AS pos,
                           count(*) FILTER (WHERE v IS NULL) AS nulls
                    FROM t GROUP BY 1, 2""", w, w)
    write_golden("agg_filter_count_star", [
        {"ws": fmt_ts(r["ws"]), "name": r["name"], "all_rows": r["all_rows"], "pos": r["pos"],
         "nulls": r["nulls"]} for r in rows])


def count_distinct():
    db = db_of(ev, EVCOLS)
    w = 2 * MIN
    rows = q(db, """SELECT (ts / ?) * ? AS ws, count(*) AS n_rows, count(v) AS n_v,
                           count(DISTINCT v) AS d_v, count(DISTINCT name) AS d_name
                    FROM t GROUP BY 1""", w, w)
    write_golden("agg_count_distinct", [
        {"ws": fmt_ts(r["ws"]), "we": fmt_ts(r["ws"] + w), "n_rows": r["n_rows"],
         "n_v": r["n_v"], "d_v": r["d_v"], "d_name": r["d_name"]} for r in rows])


def nested():
    db = db_of(ev, EVCOLS)
    w = MIN
    db.execute("""CREATE TABLE inner1 AS SELECT (ts / %d) * %d AS ws, name, count(*) AS n
                  FROM t GROUP BY 1, 2""" % (w, w))
    rows = q(db, """SELECT ws, count(*) AS names, sum(n) AS total_rows, max(n) AS busiest
                    FROM inner1 GROUP BY ws""")
    write_golden("nest_same_window", [
        {"ws": fmt_ts(r["ws"]), "we": fmt_ts(r["ws"] + w), "names": r["names"],
         "total_rows": r["total_rows"], "busiest": r["busiest"]} for r in rows])
    rows = q(db, """SELECT ws, n, count(*) AS names FROM inner1 GROUP BY ws, n""")
    write_golden("nest_regroup", [
        {"ws": fmt_ts(r["ws"]), "n": r["n"], "names": r["names"]} for r in rows])


def updating_append():
    db = db_of(ev, EVCOLS)
    rows = q(db, """SELECT name, count(*) AS cnt, count(v) AS n_v, sum(v) AS total,
                           min(v) AS lo, max(v) AS hi, avg(v) AS mean,
                           count(DISTINCT v) AS d_v
                    FROM t GROUP BY name""")
    for r in rows:
        if r["mean"] is not None:
            r["mean"] = float(r["mean"])
    write_debezium_golden("upd_append_source", rows)


tumble_keyed()
hop_keyed()
group_by_alias()
group_by_expr()
having()
filter_clause()
count_distinct()
nested()
updating_append()


# ---- win_sparse.json: unkeyed, sparse, with long gaps ----------------------------------------

SPARSE = [
    (T("09:58:30"), 1),
    (T("10:01:00"), 2),
    (T("10:03:59.999"), 3),
    (T("10:04:00"), 4),          # 10:04:00 is a multiple of 7 minutes since the epoch
    (T("10:09:10"), 5),
    (T("10:10:59.250"), 6),
    (T("10:11:00"), 7),
    # 10:11:00 .. 10:55:00: nothing
    (T("10:55:00"), 8),
    (T("11:02:30"), 9),
    (T("11:02:31"), None),
]
write_input("win_sparse.json", [{"ts": t, "v": v} for t, v in SPARSE])
sparse = load("win_sparse.json")


def tumble_epoch_aligned():
    db = db_of(sparse, ["ts", "v"])
    w = 7 * MIN
    rows = q(db, """SELECT (ts / ?) * ? AS ws, count(*) AS n, sum(v) AS total, max(ts) AS last
                    FROM t GROUP BY 1""", w, w)
    write_golden("win_tumble_epoch_aligned", [
        {"ws": fmt_ts(r["ws"]), "we": fmt_ts(r["ws"] + w), "n": r["n"], "total": r["total"]}
        for r in rows])


def hop_gaps():
    slide, width = 2 * MIN, 6 * MIN
    db = db_with_hops(sparse, ["ts", "v"], slide, width)
    rows = q(db, """SELECT h.we AS we, count(*) AS n, min(t.v) AS lo, max(t.v) AS hi
                    FROM t JOIN h ON t.seq = h.seq GROUP BY 1""")
    write_golden("win_hop_gaps", [
        {"ws": fmt_ts(r["we"] - width), "we": fmt_ts(r["we"]), "n": r["n"], "lo": r["lo"],
         "hi": r["hi"]} for r in rows])


tumble_epoch_aligned()
hop_gaps()


# ---- sessions -----------------------------------------------------------------------------------

def sessions(items, gap):
    """items: (ts, payload) in any order -> list of (start, end, [payload...]) where the
    intervals [ts, ts + gap) of one session overlap transitively; end = last ts + gap."""
    out = []
    for ts, p in sorted(items, key=lambda x: x[0]):
        if out and ts < out[-1][1]:
            s = out[-1]
            s[1] = max(s[1], ts + gap)
            s[2].append(p)
        else:
            out.append([ts, ts + gap, [p]])
    # no two sessions may touch exactly: the boundary case is not what these tests check
    for a, b in zip(out, out[1:]):
        assert b[0] != a[1]
    return out


SESS = [
    (T("12:00:00"), "alice", 1),
    (T("12:00:01.500"), "carol", 2),
    (T("12:00:03"), "bob", 3),
    (T("12:00:05"), "alice", 4),
    (T("12:00:12.250"), "alice", 5),
    (T("12:00:15"), "bob", 6),
    (T("12:00:24"), "bob", 7),
    (T("12:00:40"), "alice", 8),
]
write_input("win_sessions.json", [{"ts": t, "name": n, "v": v} for t, n, v in SESS])


def session_keyed():
    rows = load("win_sessions.json")
    gap = 10 * SEC
    out = []
    for name in sorted({r["name"] for r in rows}):
        items = [(ts_ns(r["ts"]), r["v"]) for r in rows if r["name"] == name]
        for s, e, vs in sessions(items, gap):
            out.append({"ws": fmt_ts(s), "we": fmt_ts(e), "name": name, "n": len(vs),
                        "total": sum(vs)})
    write_golden("win_session_keyed", out)


# File order is NOT event-time order: 13:00:13 arrives after 13:00:25 (12 s behind, within
# the 1 minute watermark delay) and bridges the sessions [13:00:00, 13:00:15) and
# [13:00:22, 13:00:35) into one.
SESS_MERGE = [
    (T("13:00:00"), 1),
    (T("13:00:05"), 2),
    (T("13:00:22"), 3),
    (T("13:00:25"), 4),
    (T("13:00:13"), 5),
    (T("13:01:00"), 6),
    (T("13:01:04"), 7),
    (T("13:02:00.500"), 8),
]
write_input("win_session_merge.json", [{"ts": t, "v": v} for t, v in SESS_MERGE])


def session_merge():
    rows = load("win_session_merge.json")
    gap = 10 * SEC
    # every row is within the 1 minute delay of the max before it: nothing is late
    mx = None
    for r in rows:
        t = ts_ns(r["ts"])
        assert mx is None or t >= mx - MIN
        mx = t if mx is None else max(mx, t)
    out = []
    for s, e, vs in sessions([(ts_ns(r["ts"]), r["v"]) for r in rows], gap):
        out.append({"ws": fmt_ts(s), "we": fmt_ts(e), "n": len(vs), "total": sum(vs),
                    "lo": min(vs)})
    write_golden("win_session_merge", out)


session_keyed()
session_merge()


# ---- wm_stream.json: watermarks, out-of-order and late rows ------------------------------------
# Phase A: 5 rows (k a) in window 10:00. Phase B: 3000 filler rows (k f, v null) from 10:05:00
# every 10 ms (to 10:05:29.990). Phase C, right after the fillers:
#   L0 09:50:00    k a  behind by > 10 min: late for every delay tested
#   L1 10:00:30    k a  late with delay 0 and 1 s, on time with delay 10 min
#   L2 10:04:59    k b  likewise
#   O1 10:05:29.49 k o  0.5 s behind the max: on time with delay 1 s and 10 min; with delay 0
#                       its fate depends on batching, so wm_late_dropped filters k = 'o' out
#   N1 10:05:40    k a  on time (ahead of the max)
#   N2 10:07:00    k a  on time

WM_ROWS = [{"ts": T("10:00:%02d" % s), "k": "a", "v": i + 1} for i, s in enumerate(range(10, 60, 10))]
base = ts_ns(T("10:05:00"))
for i in range(3000):
    ns = base + i * 10_000_000
    WM_ROWS.append({"ts": fmt_ts(ns) + "Z", "k": "f"})
WM_ROWS += [
    {"ts": T("09:50:00"), "k": "a", "v": 100},
    {"ts": T("10:00:30"), "k": "a", "v": 10},
    {"ts": T("10:04:59"), "k": "b", "v": 20},
    {"ts": T("10:05:29.490"), "k": "o", "v": 30},
    {"ts": T("10:05:40"), "k": "a", "v": 1000},
    {"ts": T("10:07:00"), "k": "a", "v": 2000},
]
write_input("wm_stream.json", WM_ROWS)


def wm_test(test, delay_ns, keep):
    rows = load("wm_stream.json")
    assert os.path.getsize(os.path.join(INPUTS, "wm_stream.json")) < 200_000
    ts = [ts_ns(r["ts"]) for r in rows]
    kept = []
    for i, r in enumerate(rows):
        if not keep(r):
            continue
        prefix_max = max(ts[:i]) if i else None                        # latest possible watermark
        far = ts[:max(0, i - MAX_BATCH_SPAN)]
        far_max = max(far) if far else None                          # earliest possible watermark
        late_surely = far_max is not None and ts[i] < far_max - delay_ns
        on_time_surely = prefix_max is None or ts[i] >= prefix_max - delay_ns
        assert late_surely or on_time_surely, (test, r)
        if on_time_surely:
            kept.append(r)
    db = db_of(kept, ["ts", "k", "v"])
    rows = q(db, """SELECT (ts / ?) * ? AS ws, k, count(*) AS n, sum(v) AS total
                    FROM t GROUP BY 1, 2""", MIN, MIN)
    write_golden(test, [{"ws": fmt_ts(r["ws"]), "k": r["k"], "n": r["n"], "total": r["total"]}
                        for r in rows])


wm_test("wm_late_dropped", 0, lambda r: r["k"] != "o")
wm_test("wm_default_delay", SEC, lambda r: True)
wm_test("wm_out_of_order", 10 * MIN, lambda r: True)


# ---- upd_orders.json: debezium_json changes (c/u/d) -------------------------------------------

def row(id, cat, name, qty):
    return {"id": id, "cat": cat, "name": name, "qty": qty}


CHANGES = [
    ("c", None, row(1, "A", "ann", 5)),
    ("c", None, row(2, "A", "bob", 3)),
    ("c", None, row(3, "B", "ann", 7)),
    ("c", None, row(4, "C", "cy", 1)),
    ("c", None, row(6, "D", "dee", 4)),
    ("u", row(2, "A", "bob", 3), row(2, "B", "bob", 4)),     # moves from A to B
    ("d", row(4, "C", "cy", 1), None),                        # C becomes empty
    ("u", row(1, "A", "ann", 5), row(1, "A", "ann", 8)),
    ("u", row(6, "D", "dee", 4), row(6, "A", "dee", 2)),     # D becomes empty by an update
    ("c", None, row(7, "B", "bob", 9)),
    ("d", row(3, "B", "ann", 7), None),
    ("c", None, row(8, "E", "eve", None)),
    ("u", row(7, "B", "bob", 9), row(7, "B", "bob", 1)),     # retracts B's max
]
write_input("upd_orders.json", [{"before": b, "after": a, "op": op, "ts_ms": i + 1}
                                for i, (op, b, a) in enumerate(CHANGES)])


def debezium_final(name):
    state = {}
    for rec in load(name):
        if rec["op"] == "c":
            assert rec["after"]["id"] not in state
            state[rec["after"]["id"]] = rec["after"]
        elif rec["op"] == "u":
            assert state.pop(rec["before"]["id"]) == rec["before"]
            state[rec["after"]["id"]] = rec["after"]
        elif rec["op"] == "d":
            assert state.pop(rec["before"]["id"]) == rec["before"]
        else:
            raise ValueError(rec)
    return list(state.values())


def updating_debezium():
    final = debezium_final("upd_orders.json")
    db = db_of(final, ["id", "cat", "name", "qty"])
    rows = q(db, """SELECT cat, count(*) AS cnt, count(qty) AS n_qty, sum(qty) AS total,
                           min(qty) AS lo, max(qty) AS hi, avg(qty) AS mean,
                           count(DISTINCT name) AS names
                    FROM t GROUP BY cat""")
    for r in rows:
        if r["mean"] is not None:
            r["mean"] = float(r["mean"])
    write_debezium_golden("upd_debezium_source", rows)
    rows = q(db, """SELECT cat, count(*) AS cnt, sum(qty) AS total FROM t GROUP BY cat
                    HAVING sum(qty) >= 6""")
    write_debezium_golden("upd_having_debezium", rows)


updating_debezium()


# ---- agg_nulls.json: NULLs in every aggregate ---------------------------------------------------

NULLS = [
    # g        i     d      s        b
    ("mixed", 7, None, None, True),
    ("mixed", None, 1.5, "pear", None),
    ("allnull", None, None, None, None),
    ("mixed", -3, -0.25, "apple", False),
    ("one", 6, 2.5, "solo", True),
    ("mixed", 12, 4.0, None, True),
    ("allnull", None, None, None, None),
    ("mixed", 4, None, "fig", None),
    ("mixed", None, 2.5, "kiwi", True),
]
write_input("agg_nulls.json", [
    {"ts": "2024-03-01T10:%02d:00Z" % (i * 5), "g": g, "i": i_, "d": d, "s": s, "b": b}
    for i, (g, i_, d, s, b) in enumerate(NULLS)])


def nn(xs):
    return [x for x in xs if x is not None]


def null_tests():
    rows = load("agg_nulls.json")
    groups = {}
    for r in rows:
        groups.setdefault(r["g"], []).append(r)
    ws = "2024-03-01T10:00:00"       # every row is in the hour 10:00 (tumble 1 hour)

    basic, bits, stats, strs, firsts = [], [], [], [], []
    for g, rs in groups.items():
        I, D, S, B = ([r[c] for r in rs] for c in ("i", "d", "s", "b"))
        i, d, s, b = nn(I), nn(D), nn(S), nn(B)
        basic.append({
            "ws": ws, "g": g, "n_rows": len(rs), "n_i": len(i), "n_d": len(d), "n_s": len(s),
            "sum_i": sum(i) if i else None, "sum_d": float(sum(d)) if d else None,
            "avg_i": sum(i) / len(i) if i else None, "avg_d": sum(d) / len(d) if d else None,
            "min_i": min(i) if i else None, "max_i": max(i) if i else None,
            "min_d": min(d) if d else None, "max_d": max(d) if d else None,
            "min_s": min(s) if s else None, "max_s": max(s) if s else None})

        def fold(xs, f):
            if not xs:
                return None
            acc = xs[0]
            for x in xs[1:]:
                acc = f(acc, x)
            return acc
        bits.append({
            "g": g, "band": fold(i, lambda a, x: a & x), "bor": fold(i, lambda a, x: a | x),
            "bxor": fold(i, lambda a, x: a ^ x), "all_b": fold(b, lambda a, x: a and x),
            "any_b": fold(b, lambda a, x: a or x)})

        def int_median(xs):
            # DataFusion's median of integers stays an integer: (lo + hi) / 2, truncated
            xs = sorted(xs)
            n = len(xs)
            if n % 2:
                return xs[n // 2]
            return int((xs[n // 2 - 1] + xs[n // 2]) / 2)

        def samp(f, xs):
            return f(xs) if len(xs) >= 2 else None

        def pop(f, xs):
            return float(f(xs)) if len(xs) >= 1 else None
        stats.append({
            "g": g,
            "med_i": int_median(i) if i else None,
            "med_d": float(statistics.median(d)) if d else None,
            "sd_d": df_round4(samp(statistics.stdev, d)),
            "sds_d": df_round4(samp(statistics.stdev, d)),
            "sdp_d": df_round4(pop(statistics.pstdev, d)),
            "var_d": df_round4(samp(statistics.variance, d)),
            "vars_d": df_round4(samp(statistics.variance, d)),
            "varp_d": df_round4(pop(statistics.pvariance, d)),
            "var_i": df_round4(samp(lambda x: float(statistics.variance(x)), i)),
            "sdp_i": df_round4(pop(statistics.pstdev, i))})
        strs.append({"g": g, "names": ",".join(s) if s else None,
                     "dashed": "-".join(s) if s else None})
        firsts.append({"g": g, "first_s": S[0], "last_s": S[-1], "first_i": I[0],
                       "last_i": I[-1], "first_d": D[0], "last_d": D[-1]})
    write_golden("null_basic", basic)
    write_golden("null_bits_bools", bits)
    write_golden("null_stats", stats)
    write_golden("null_string_agg", strs)
    write_golden("null_first_last", firsts)


null_tests()


# ---- udaf_in.json: user-defined aggregates (tests/udfs/udafs.c, tests/udfs/golden_udafs.c) -----

UDAF = [
    # k    a     b     i     x     w
    ("p", 5, 2, 3, 1.0, 1.0),
    ("q", 7, None, None, 2.0, 0.0),
    ("p", 1, 10, -7, 3.0, 3.0),
    ("p", 9, 1, 12, None, 2.0),
    ("r", None, 4, None, None, None),
    ("p", 4, 0, None, 5.0, 0.0),
]
write_input("udaf_in.json", [
    {"ts": "2024-03-01T10:%02d:00Z" % i, "k": k, "a": a, "b": b, "i": i_, "x": x, "w": w}
    for i, (k, a, b, i_, x, w) in enumerate(UDAF)])


def udaf():
    rows = load("udaf_in.json")
    out = []
    for k in sorted({r["k"] for r in rows}):
        rs = [r for r in rows if r["k"] == k]
        a = sorted(nn(r["a"] for r in rs))
        ab = [(r["a"], r["b"]) for r in rs if r["a"] is not None and r["b"] is not None]
        i = nn(r["i"] for r in rs)
        xw = [(r["x"], r["w"]) for r in rs if r["x"] is not None and r["w"] is not None]
        med = None
        if a:
            n = len(a)
            med = float(a[n // 2]) if n % 2 else (a[n // 2 - 1] + a[n // 2]) / 2.0
        sw = sum(w for _, w in xw)
        out.append({
            "ws": "2024-03-01T10:00:00", "k": k, "med": med,
            "maxprod": max(x * y for x, y in ab) if ab else None,
            "nothing": None,
            "spread": max(i) - min(i) if i else None,
            "wavg": (sum(x * w for x, w in xw) / sw if sw != 0 else None) if xw else None})
    write_golden("udaf_window", out)


udaf()


finish("issue3_oracle")
