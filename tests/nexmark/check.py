#!/usr/bin/env python3
"""tests/nexmark/check.py: Nexmark queries checked against an independent SQLite computation.

1. A pass-through script dumps the generated events (nexmark source, unthrottled, base time
   2023-01-01T00:00:00Z, --events events, 100 ns apart) to a JSON-lines file; the events are
   loaded into an in-memory SQLite database as tables person, auction and bid, each with a
   ts column holding the event time in integer nanoseconds since the epoch.
2. Each tests/nexmark/queries/qN.sql (our dialect; '$output_path' and '$max_events' are
   substituted) is compiled with both backends (tcc, gcc) and run with bin/arroyo-worker,
   and the tcc build is also run at --parallelism 3. Each output is compared, as a multiset
   of rows with strict JSON values (floats to 12 significant digits), with the result of the
   query's SQL computed here in SQLite over the dumped events. Windows are computed from the
   ns timestamps with integer division (tumble: ts / W * W; hop: ends at multiples of the
   slide S with end - W <= ts < end). Debezium outputs (q3) are replayed to their final state.

Prints "PASS name" / "FAIL name: reason" per run and a closing "N passed, M failed" line.
Usage: python3 tests/nexmark/check.py [--bin bin] [--events 30000] [--only q0 q5 ...]
"""

import argparse
import calendar
import datetime
import json
import os
import sqlite3
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BASE_TIME = "2023-01-01T00:00:00Z"

TUMBLE = 100_000          # 100 microseconds (q7, q8)
HOP_SLIDE = 50_000        # 50 microseconds (q5)
HOP_WIDTH = 200_000       # 200 microseconds (q5)

DUMP_SQL = """
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true',
  max_events = '{n}', base_time = '{base}');
CREATE TABLE ev WITH (connector = 'single_file', path = '{path}', format = 'json', type = 'sink');
INSERT INTO ev SELECT * FROM nexmark;
"""


# ---- timestamps -------------------------------------------------------------------------------

def ts_ns(s):
    """'YYYY-MM-DDTHH:MM:SS[.f{1,9}]' (UTC, optional Z) -> integer ns since the epoch."""
    s = s.rstrip("Z")
    frac = 0
    if "." in s:
        s, f = s.split(".")
        frac = int((f + "000000000")[:9])
    secs = calendar.timegm(time.strptime(s, "%Y-%m-%dT%H:%M:%S"))
    return secs * 1_000_000_000 + frac


def fmt_ts(ns):
    """Integer ns -> the json sink's TIMESTAMP text: no fraction, .fff, .ffffff or .fffffffff."""
    secs, frac = divmod(ns, 1_000_000_000)
    text = datetime.datetime.fromtimestamp(secs, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    if frac == 0:
        return text
    if frac % 1_000_000 == 0:
        return "%s.%03d" % (text, frac // 1_000_000)
    if frac % 1_000 == 0:
        return "%s.%06d" % (text, frac // 1_000)
    return "%s.%09d" % (text, frac)


# ---- running the engine -------------------------------------------------------------------------

def run(cmd, cwd=None):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       timeout=300)
    return p.returncode, p.stdout, p.stderr


def compile_and_run(binp, sql_text, workdir, tag, backend, parallelism, output):
    """Write the script, compile it, run it; returns an error string or None."""
    sql_path = os.path.join(workdir, tag + ".sql")
    so_path = os.path.join(workdir, tag + "." + backend + ".so")
    with open(sql_path, "w") as f:
        f.write(sql_text)
    for p in (so_path, output):
        if os.path.exists(p):
            os.remove(p)
    rc, _, err = run([os.path.join(binp, "arroyo-compile"), sql_path, "-o", so_path,
                      "--backend", backend])
    if rc != 0:
        return "compile failed (exit %d): %s" % (rc, err.strip()[-500:])
    rc, _, err = run([os.path.join(binp, "arroyo-worker"), so_path,
                      "--parallelism", str(parallelism)], cwd=workdir)
    if rc != 0:
        return "worker failed (exit %d): %s" % (rc, err.strip()[-500:])
    if not os.path.exists(output):
        return "no output file"
    return None


# ---- the events in SQLite -----------------------------------------------------------------------

PERSON = ["id", "name", "email_address", "credit_card", "city", "state", "datetime", "extra"]
AUCTION = ["id", "description", "item_name", "initial_bid", "reserve", "datetime", "expires",
           "seller", "category", "extra"]
BID = ["auction", "bidder", "price", "channel", "url", "datetime", "extra"]


def load_events(path):
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE person (%s, ts INTEGER)" % ", ".join(PERSON))
    db.execute("CREATE TABLE auction (%s, ts INTEGER, expires_ns INTEGER)" % ", ".join(AUCTION))
    db.execute("CREATE TABLE bid (%s, ts INTEGER)" % ", ".join(BID))
    rows = {"person": [], "auction": [], "bid": []}
    n = 0
    with open(path) as f:
        for line in f:
            ev = json.loads(line)
            n += 1
            kinds = [k for k in ("person", "auction", "bid") if ev.get(k) is not None]
            if len(kinds) != 1:
                raise SystemExit("event with %d non-null kinds: %s" % (len(kinds), line[:200]))
            k = kinds[0]
            cols = {"person": PERSON, "auction": AUCTION, "bid": BID}[k]
            rec = ev[k]
            rows[k].append([rec[c] for c in cols] + [ts_ns(rec["datetime"])]
                           + ([ts_ns(rec["expires"])] if k == "auction" else []))
    for k, cols in (("person", PERSON), ("auction", AUCTION), ("bid", BID)):
        extra = 2 if k == "auction" else 1
        db.executemany("INSERT INTO %s VALUES (%s)" % (k, ",".join("?" * (len(cols) + extra))),
                       rows[k])
    return db, n, {k: len(v) for k, v in rows.items()}


# ---- the oracle: each query's expected rows as dicts ------------------------------------------

def q(db, sql, names, ts_cols=()):
    out = []
    for r in db.execute(sql):
        d = dict(zip(names, r))
        for c in ts_cols:
            d[c] = fmt_ts(d[c])
        out.append(d)
    return out


def expect_q0(db):
    return q(db, "SELECT auction, bidder, price, channel, url, datetime, extra FROM bid",
             ["auction", "bidder", "price", "channel", "url", "datetime", "extra"])


def expect_q1(db):
    return q(db, "SELECT auction, bidder, 0.908 * price, datetime, extra FROM bid",
             ["auction", "bidder", "price", "datetime", "extra"])


def expect_q2(db):
    return q(db, "SELECT auction, price FROM bid WHERE auction % 123 = 0", ["auction", "price"])


def expect_q3(db):
    return q(db, """SELECT p.name, p.city, p.state, a.id FROM auction a JOIN person p
                    ON a.seller = p.id
                    WHERE a.category = 10 AND p.state IN ('OR', 'ID', 'CA')""",
             ["name", "city", "state", "id"])


def expect_q4(db):
    return q(db, """SELECT category, avg(final) FROM (
                      SELECT a.id, a.category, max(b.price) AS final
                      FROM auction a JOIN bid b ON a.id = b.auction
                        AND b.ts >= a.ts AND b.ts <= a.expires_ns
                      GROUP BY a.id, a.category)
                    GROUP BY category""", ["category", "avg_final"])


def expect_q5(db):
    s, w = HOP_SLIDE, HOP_WIDTH
    db.execute("DROP TABLE IF EXISTS hop_off")
    db.execute("CREATE TABLE hop_off (j INTEGER)")
    db.executemany("INSERT INTO hop_off VALUES (?)", [(j,) for j in range(1, w // s + 1)])
    # every window end e = (ts / s + j) * s, j = 1 .. w / s, satisfies e - w <= ts < e
    sql = """
      WITH hb AS (SELECT (b.ts / {s} + o.j) * {s} - {w} AS ws, b.auction AS auction
                  FROM bid b, hop_off o),
           cnt AS (SELECT ws, auction, count(*) AS num FROM hb GROUP BY ws, auction),
           mx AS (SELECT ws, max(num) AS maxn FROM cnt GROUP BY ws)
      SELECT c.ws, c.auction, c.num FROM cnt c JOIN mx m ON c.ws = m.ws AND c.num >= m.maxn
    """.format(s=s, w=w)
    return q(db, sql, ["starttime", "auction", "num"], ts_cols=["starttime"])


def expect_q7(db):
    t = TUMBLE
    sql = """
      WITH mx AS (SELECT ts / {t} AS w, max(price) AS maxprice FROM bid GROUP BY ts / {t})
      SELECT m.w * {t}, b.auction, b.price, b.bidder, b.datetime, b.extra
      FROM bid b JOIN mx m ON b.ts / {t} = m.w AND b.price = m.maxprice
    """.format(t=t)
    return q(db, sql, ["wstart", "auction", "price", "bidder", "datetime", "extra"],
             ts_cols=["wstart"])


def expect_q8(db):
    t = TUMBLE
    sql = """
      WITH p AS (SELECT DISTINCT ts / {t} AS w, id, name FROM person),
           a AS (SELECT DISTINCT ts / {t} AS w, seller FROM auction)
      SELECT p.id, p.name, p.w * {t} FROM p JOIN a ON p.id = a.seller AND p.w = a.w
    """.format(t=t)
    return q(db, sql, ["id", "name", "stime"], ts_cols=["stime"])


SESSION_GAP = 200_000     # 200 microseconds (q11)


def expect_q11(db):
    """Sessions per bidder in Python: a bid joins the bidder's session when its time is before
    the session's end (last bid + gap, half-open), else it opens a new one."""
    out = []
    sessions = {}
    for bidder, ts in db.execute("SELECT bidder, ts FROM bid ORDER BY bidder, ts"):
        cur = sessions.get(bidder)
        if cur is not None and ts < cur[1]:
            cur[1] = ts + SESSION_GAP
            cur[2] += 1
        else:
            if cur is not None:
                out.append((bidder, cur))
            sessions[bidder] = [ts, ts + SESSION_GAP, 1]
    out.extend(sessions.items())
    return [{"bidder": b, "bid_count": c[2], "window": {"start": fmt_ts(c[0]), "end": fmt_ts(c[1])}}
            for b, c in out]


def expect_q6(db):
    return q(db, """SELECT seller, avg(price) OVER (PARTITION BY seller ORDER BY bts
                                      ROWS BETWEEN 10 PRECEDING AND CURRENT ROW)
                    FROM (SELECT a.seller AS seller, b.price AS price, b.ts AS bts,
                            ROW_NUMBER() OVER (PARTITION BY a.id, a.seller
                                               ORDER BY b.price DESC, b.ts ASC) AS rn
                          FROM auction a JOIN bid b ON a.id = b.auction
                            AND b.ts >= a.ts AND b.ts <= a.expires_ns)
                    WHERE rn <= 1""", ["seller", "avg_price"])


def expect_q9(db):
    # the debezium sink writes TIMESTAMP as Unix milliseconds
    return q(db, """SELECT id, item_name, seller, bidder, price, bts / 1000000, bextra FROM (
                      SELECT a.id AS id, a.item_name AS item_name, a.seller AS seller,
                        b.bidder AS bidder, b.price AS price, b.ts AS bts, b.extra AS bextra,
                        ROW_NUMBER() OVER (PARTITION BY a.id ORDER BY b.price DESC, b.ts ASC) AS rn
                      FROM auction a JOIN bid b ON a.id = b.auction
                        AND b.ts >= a.ts AND b.ts <= a.expires_ns)
                    WHERE rn <= 1""",
             ["id", "item_name", "seller", "bidder", "price", "bid_datetime", "bid_extra"])


def expect_q18(db):
    return q(db, """SELECT auction, bidder, price, channel, url, ts / 1000000, extra FROM (
                      SELECT *, ROW_NUMBER() OVER (PARTITION BY bidder, auction ORDER BY ts DESC) AS rn
                      FROM bid)
                    WHERE rn <= 1""",
             ["auction", "bidder", "price", "channel", "url", "datetime", "extra"])


def expect_q19(db):
    return q(db, """SELECT auction, bidder, price, channel, url, ts / 1000000, extra, rn FROM (
                      SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC, ts ASC) AS rn
                      FROM bid)
                    WHERE rn <= 10""",
             ["auction", "bidder", "price", "channel", "url", "datetime", "extra", "rank_number"])


QUERIES = [  # name, oracle, output is debezium (compare the final state)
    ("q0", expect_q0, False),
    ("q1", expect_q1, False),
    ("q2", expect_q2, False),
    ("q3", expect_q3, True),
    ("q4", expect_q4, True),
    ("q5", expect_q5, False),
    ("q7", expect_q7, False),
    ("q8", expect_q8, False),
    ("q11", expect_q11, False),
    ("q6", expect_q6, True),
    ("q9", expect_q9, True),
    ("q18", expect_q18, True),
    ("q19", expect_q19, True),
]


# ---- comparison ---------------------------------------------------------------------------------

def canon(v):
    """A hashable, type-strict form of a JSON value (1 is not 1.0; floats to 12 digits)."""
    if isinstance(v, bool):
        return ("b", v)
    if isinstance(v, int):
        return ("i", v)
    if isinstance(v, float):
        return ("f", float("%.12g" % v))
    if isinstance(v, str):
        return ("s", v)
    if v is None:
        return ("n",)
    if isinstance(v, list):
        return ("l", tuple(canon(x) for x in v))
    if isinstance(v, dict):
        return ("d", tuple(sorted((k, canon(x)) for k, x in v.items())))
    raise TypeError(repr(v))


def read_output(path, debezium):
    rows = []
    with open(path) as f:
        lines = [l for l in f if l.strip()]
    if not debezium:
        return [json.loads(l) for l in lines]
    state, rows_by_key = {}, {}
    for l in lines:
        rec = json.loads(l)
        op = rec.get("op")
        if op in ("d", "u") and rec.get("before") is not None:
            key = canon(rec["before"])
            if state.get(key, 0) == 0:
                raise ValueError("retraction of a row not present: %s" % l.strip())
            state[key] -= 1
        if op in ("c", "u", "r") and rec.get("after") is not None:
            key = canon(rec["after"])
            state[key] = state.get(key, 0) + 1
            rows_by_key[key] = rec["after"]
    for key, n in state.items():
        rows.extend([rows_by_key[key]] * n)
    return rows



def multiset(rows):
    m = {}
    for r in rows:
        k = canon(r)
        m[k] = m.get(k, 0) + 1
    return m


def diff(expected, actual):
    """None when equal as multisets, else a short description."""
    me, ma = multiset(expected), multiset(actual)
    if me == ma:
        return None
    missing = [(k, n - ma.get(k, 0)) for k, n in me.items() if n > ma.get(k, 0)]
    extra = [(k, n - me.get(k, 0)) for k, n in ma.items() if n > me.get(k, 0)]
    show = lambda k: json.dumps(uncanon(k))[:300]
    parts = ["%d expected rows, %d output rows; %d missing, %d unexpected"
             % (len(expected), len(actual), sum(n for _, n in missing), sum(n for _, n in extra))]
    for k, n in missing[:3]:
        parts.append("  missing x%d: %s" % (n, show(k)))
    for k, n in extra[:3]:
        parts.append("  unexpected x%d: %s" % (n, show(k)))
    return "\n".join(parts)


def uncanon(c):
    t = c[0]
    if t == "n":
        return None
    if t == "l":
        return [uncanon(x) for x in c[1]]
    if t == "d":
        return {k: uncanon(x) for k, x in c[1]}
    return c[1]


# ---- main ---------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "bin"))
    ap.add_argument("--events", type=int, default=30000)
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--backends", default="tcc,gcc")
    args = ap.parse_args()
    binp = os.path.abspath(args.bin)
    workdir = os.path.join(ROOT, "tests", "out", "nexmark")
    os.makedirs(workdir, exist_ok=True)

    passed = failed = 0

    def report(name, err):
        nonlocal passed, failed
        if err is None:
            passed += 1
            print("PASS %s" % name)
        else:
            failed += 1
            print("FAIL %s: %s" % (name, err))
        sys.stdout.flush()

    # 1. the events
    ev_path = os.path.join(workdir, "events.json")
    err = compile_and_run(binp, DUMP_SQL.format(n=args.events, base=BASE_TIME, path=ev_path),
                          workdir, "dump", "tcc", 1, ev_path)
    if err:
        report("dump", err)
        print("%d passed, %d failed" % (passed, failed))
        return 1
    db, n, counts = load_events(ev_path)
    if n != args.events:
        report("dump", "%d events written, %d expected" % (n, args.events))
    else:
        report("dump", None)
    print("events: %d (%s)" % (n, ", ".join("%s %d" % kv for kv in sorted(counts.items()))))

    # 2. the queries
    for name, oracle, debezium in QUERIES:
        if args.only and name not in args.only:
            continue
        expected = oracle(db)
        with open(os.path.join(HERE, "queries", name + ".sql")) as f:
            template = f.read()
        runs = [(b, 1) for b in args.backends.split(",")] + [("tcc", 3)]
        for backend, par in runs:
            tag = "%s[%s%s]" % (name, backend, ",p%d" % par if par > 1 else "")
            out = os.path.join(workdir, "%s.%s.p%d.out" % (name, backend, par))
            sql = template.replace("$output_path", out).replace("$max_events", str(args.events))
            err = compile_and_run(binp, sql, workdir, name, backend, par, out)
            if err is None:
                try:
                    err = diff(expected, read_output(out, debezium))
                except (ValueError, KeyError) as e:
                    err = "bad output: %s" % e
            if err is None and len(expected) == 0:
                err = "the oracle gives no rows (the check would be vacuous)"
            if err is None:
                tag += " (%d rows)" % len(expected)
            report(tag, err)

    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
