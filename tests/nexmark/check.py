#!/usr/bin/env python3
"""tests/nexmark/check.py: Nexmark queries checked against an independent SQLite computation.

1. A pass-through script dumps the generated events (nexmark source, unthrottled, base time
   2023-01-01T00:00:00Z unless the query gives another, --events events, 100 ns apart) to a
   JSON-lines file; the events are loaded into an in-memory SQLite database as tables
   person, auction and bid, each with a ts column holding the event time in integer
   nanoseconds since the epoch. A few queries use another base time (q14: the events straddle
   08:00 UTC; q15-q17: midnight; q7_boundary, q7_wide: bids at window ends), dumped once each.
2. Each tests/nexmark/queries/qN.sql (our dialect; '$output_path', '$max_events',
   '$base_time' and '$side_input' are substituted) is compiled with both backends (tcc, gcc;
   q14 with --udf bench/nexmark/udf_count_char.c) and run with bin/arroyo-worker, and the tcc
   build is also run at --parallelism 3. Each output is compared, as a multiset of rows with
   strict JSON values (floats to 12 significant digits), with the query's result computed
   here independently, in SQLite or Python over the dumped events (never from our output).
   Windows are computed from the ns timestamps with integer division (tumble: ts / W * W;
   hop: ends at multiples of the slide S with end - W <= ts < end). Debezium outputs (q3, q4,
   q6, q9, q15-q20) are replayed to their final state. An oracle with no rows fails (the
   check would be vacuous).

Prints "PASS name" / "FAIL name: reason" per run and a closing "N passed, M failed" line.
Usage: python3 tests/nexmark/check.py [--bin bin] [--events 30000] [--only q0 q5 ...]
"""

import argparse
import calendar
import datetime
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
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

_MINUTE_SECS = {}   # 'YYYY-MM-DDTHH:MM' -> its seconds since the epoch (parsed once)


def ts_ns(s):
    """'YYYY-MM-DDTHH:MM:SS[.f{1,9}]' (UTC, optional Z) -> integer ns since the epoch."""
    s = s.rstrip("Z")
    minute, secs = s[:16], s[17:]
    base = _MINUTE_SECS.get(minute)
    if base is None:
        base = _MINUTE_SECS[minute] = calendar.timegm(time.strptime(minute, "%Y-%m-%dT%H:%M"))
    whole, _, frac = secs.partition(".")
    if s[16] != ":" or len(whole) != 2 or len(frac) > 9:
        raise ValueError("bad timestamp %r" % s)
    return (base + int(whole)) * 1_000_000_000 + int((frac + "000000000")[:9])


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


def compile_and_run(binp, sql_text, workdir, tag, backend, parallelism, output, compile_args=()):
    """Write the script, compile it (with compile_args, e.g. --udf FILE), run it; returns an
    error string or None."""
    sql_path = os.path.join(workdir, tag + ".sql")
    so_path = os.path.join(workdir, tag + "." + backend + ".so")
    with open(sql_path, "w") as f:
        f.write(sql_text)
    for p in (so_path, output):
        if os.path.exists(p):
            os.remove(p)
    rc, _, err = run([os.path.join(binp, "arroyo-compile"), sql_path, "-o", so_path,
                      "--backend", backend] + list(compile_args))
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

class Vacuous(Exception):
    """Raised by an oracle whose rows would not exercise what its query is there to check."""


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


def q7_rows(db, price, bound=TUMBLE):
    """The standard q7 with the bid price given by the SQL expression price: for each window
    end E that has bids, every bid with E - bound <= ts <= E (inclusive on both ends: a bid
    exactly at E, which belongs to the next window, also matches window E's maximum) whose
    price equals the maximum price of the bids in [E - W, E) (W = TUMBLE; the standard q7
    has bound = W). Also returns how many of the rows are bids at exactly E."""
    t = TUMBLE
    sql = """
      WITH p AS (SELECT auction, {price} AS price, bidder, datetime, extra, ts FROM bid),
           mx AS (SELECT (ts / {t} + 1) * {t} AS e, max(price) AS maxprice FROM p
                  GROUP BY ts / {t})
      SELECT b.auction, b.price, b.bidder, b.datetime, b.extra, b.ts = m.e
      FROM mx m JOIN p b ON b.price = m.maxprice AND b.ts >= m.e - {bound} AND b.ts <= m.e
    """.format(t=t, price=price, bound=bound)
    rows = q(db, sql, ["auction", "price", "bidder", "datetime", "extra", "at_end"])
    return rows, sum(r.pop("at_end") for r in rows)


def expect_q7(db):
    return q7_rows(db, "price")[0]


def expect_q7_boundary(db):
    rows, at_end = q7_rows(db, "price % 5")
    if at_end == 0:
        raise Vacuous("no bid at exactly a window's end meets that window's maximum")
    return rows


def expect_q7_wide(db):
    return q7_rows(db, "price % 5", bound=2 * TUMBLE)[0]


def expect_q7_windowed(db):
    """q7 as a windowed join: the bids of each window whose price is the window's maximum."""
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


SESSION_GAP = 20_000      # 20 microseconds (q11)


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


def to_char_utc(ns, fmt):
    """What to_char(ts, fmt) must give for '%Y-%m-%d' / '%H:%M': the UTC date or time of ns."""
    return datetime.datetime.fromtimestamp(ns // 1_000_000_000, datetime.timezone.utc).strftime(fmt)


def expect_q12(db):
    t = TUMBLE
    return q(db, """SELECT bidder, count(*), ts / {t} * {t}, (ts / {t} + 1) * {t} FROM bid
                    GROUP BY bidder, ts / {t}""".format(t=t),
             ["bidder", "bid_count", "starttime", "endtime"], ts_cols=["starttime", "endtime"])


def write_side_input(path):
    """q13's side input: keys 0..9999 except the multiples of 3, value the key as text."""
    with open(path, "w") as f:
        for k in range(10000):
            if k % 3 != 0:
                f.write(json.dumps({"key": k, "value": str(k)}) + "\n")


def expect_q13(db, side_input):
    db.execute("DROP TABLE IF EXISTS side_input")
    db.execute("CREATE TABLE side_input (key INTEGER, value TEXT)")
    with open(side_input) as f:
        db.executemany("INSERT INTO side_input VALUES (?, ?)",
                       [(r["key"], r["value"]) for r in map(json.loads, f)])
    return q(db, """SELECT b.auction, b.bidder, b.price, b.datetime, s.value
                    FROM bid b JOIN side_input s ON b.auction % 10000 = s.key""",
             ["auction", "bidder", "price", "datetime", "value"])


def expect_q14(db):
    out = []
    for auction, bidder, price, ts, dt, extra in db.execute(
            "SELECT auction, bidder, price, ts, datetime, extra FROM bid"):
        euros = 0.908 * price
        if not 1000000 < euros < 50000000:
            continue
        hour = ts // 3_600_000_000_000 % 24
        kind = ("dayTime" if 8 <= hour <= 18 else
                "nightTime" if hour <= 6 or hour >= 20 else "otherTime")
        out.append({"auction": auction, "bidder": bidder, "price": euros, "bid_time_type": kind,
                    "datetime": dt, "extra": extra, "c_counts": extra.count("c")})
    return out


RANKS = [lambda p: p < 10000, lambda p: 10000 <= p < 1000000, lambda p: p >= 1000000]


def bid_statistics(db, key_of):
    """q15 / q16: per group key (key_of(channel, ts)), the bid, bidder and auction counts in all
    and per price rank (distinct bidders and auctions counted once), and the latest '%H:%M'."""
    groups = {}
    for channel, ts, price, bidder, auction in db.execute(
            "SELECT channel, ts, price, bidder, auction FROM bid"):
        g = groups.setdefault(key_of(channel, ts), {
            "bids": [0] * 4, "bidders": [set() for _ in range(4)],
            "auctions": [set() for _ in range(4)], "minute": ""})
        for i in [0] + [r + 1 for r, f in enumerate(RANKS) if f(price)]:
            g["bids"][i] += 1
            g["bidders"][i].add(bidder)
            g["auctions"][i].add(auction)
        g["minute"] = max(g["minute"], to_char_utc(ts, "%H:%M"))
    return groups


def statistics_columns(g):
    cols = {}
    for what in ("bids", "bidders", "auctions"):
        for i, prefix in enumerate(("total", "rank1", "rank2", "rank3")):
            v = g[what][i]
            cols["%s_%s" % (prefix, what)] = v if what == "bids" else len(v)
    return cols


def expect_q15(db):
    groups = bid_statistics(db, lambda channel, ts: to_char_utc(ts, "%Y-%m-%d"))
    return [dict({"day": day}, **statistics_columns(g)) for day, g in groups.items()]


def expect_q16(db):
    groups = bid_statistics(db, lambda channel, ts: (channel, to_char_utc(ts, "%Y-%m-%d")))
    return [dict({"channel": k[0], "day": k[1], "minute": g["minute"]}, **statistics_columns(g))
            for k, g in groups.items()]


def expect_q17(db):
    groups = {}
    for auction, ts, price in db.execute("SELECT auction, ts, price FROM bid"):
        groups.setdefault((auction, to_char_utc(ts, "%Y-%m-%d")), []).append(price)
    out = []
    for (auction, day), prices in groups.items():
        out.append({"auction": auction, "day": day, "total_bids": len(prices),
                    "rank1_bids": sum(1 for p in prices if RANKS[0](p)),
                    "rank2_bids": sum(1 for p in prices if RANKS[1](p)),
                    "rank3_bids": sum(1 for p in prices if RANKS[2](p)),
                    "min_price": min(prices), "max_price": max(prices),
                    "avg_price": sum(prices) / len(prices), "sum_price": sum(prices)})
    return out


def expect_q20(db):
    # the debezium sink writes TIMESTAMP as Unix milliseconds
    return q(db, """SELECT b.auction, b.bidder, b.price, b.channel, b.url, b.ts / 1000000, b.extra,
                      a.item_name, a.description, a.initial_bid, a.reserve, a.ts / 1000000,
                      a.expires_ns / 1000000, a.seller, a.category, a.extra
                    FROM bid b JOIN auction a ON b.auction = a.id AND a.category = 10""",
             ["auction", "bidder", "price", "channel", "url", "bid_datetime", "bid_extra",
              "item_name", "description", "initial_bid", "reserve", "auction_datetime",
              "expires", "seller", "category", "auction_extra"])


CHANNEL_IDS = {"apple": "0", "google": "1", "facebook": "2", "baidu": "3"}


def expect_q21(db):
    """Flink's definition: REGEXP_EXTRACT(url, '(&|^)channel_id=([^&]*)', 2), NULL without a
    match, unless the channel is one of the four named ones."""
    out = []
    for auction, bidder, price, channel, url in db.execute(
            "SELECT auction, bidder, price, channel, url FROM bid"):
        m = re.search(r"(&|^)channel_id=([^&]*)", url)
        url_id = m.group(2) if m else None
        named = CHANNEL_IDS.get(channel.lower())
        if url_id is None and named is None:
            continue
        out.append({"auction": auction, "bidder": bidder, "price": price, "channel": channel,
                    "channel_id": named if named is not None else url_id})
    return out


def expect_q22(db):
    """Flink's SPLIT_INDEX(url, '/', i) for i = 3, 4, 5, with '' (split_part's value) past
    the end."""
    out = []
    for auction, bidder, price, channel, url in db.execute(
            "SELECT auction, bidder, price, channel, url FROM bid"):
        parts = url.split("/") + [""] * 6
        out.append({"auction": auction, "bidder": bidder, "price": price, "channel": channel,
                    "dir1": parts[3], "dir2": parts[4], "dir3": parts[5]})
    return out


BASE_MIDNIGHT = "2022-12-31T23:59:59.9985Z"   # the 3 ms straddle midnight UTC (q15-q17)
BASE_EIGHT = "2023-01-01T07:59:59.9985Z"      # the 3 ms straddle 08:00 UTC (q14)
BASE_Q7_BOUNDARY = "1672531199999999600"     # 400 ns before 2023-01-01: bids at window ends
Q14_UDF = os.path.join(ROOT, "bench", "nexmark", "udf_count_char.c")

# name, oracle, output is debezium (compare the final state), options: base (the events' base
# time, '$base_time' in the query), udf (a C file passed with --udf), side_input (the oracle
# also takes the path of q13's side input, '$side_input' in the query)
QUERIES = [
    ("q0", expect_q0, False, {}),
    ("q1", expect_q1, False, {}),
    ("q2", expect_q2, False, {}),
    ("q3", expect_q3, True, {}),
    ("q4", expect_q4, True, {}),
    ("q5", expect_q5, False, {}),
    ("q5_flink", expect_q5, False, {}),
    ("q7", expect_q7, False, {}),
    ("q7_boundary", expect_q7_boundary, False, {"base": BASE_Q7_BOUNDARY}),
    ("q7_wide", expect_q7_wide, False, {"base": BASE_Q7_BOUNDARY}),
    ("q7_windowed", expect_q7_windowed, False, {}),
    ("q8", expect_q8, False, {}),
    ("q11", expect_q11, False, {}),
    ("q6", expect_q6, True, {}),
    ("q9", expect_q9, True, {}),
    ("q18", expect_q18, True, {}),
    ("q19", expect_q19, True, {}),
    ("q12", expect_q12, False, {}),
    ("q13", expect_q13, False, {"side_input": True}),
    ("q14", expect_q14, False, {"base": BASE_EIGHT, "udf": Q14_UDF}),
    ("q15", expect_q15, True, {"base": BASE_MIDNIGHT}),
    ("q16", expect_q16, True, {"base": BASE_MIDNIGHT}),
    ("q17", expect_q17, True, {"base": BASE_MIDNIGHT}),
    ("q20", expect_q20, True, {}),
    ("q21", expect_q21, False, {}),
    ("q22", expect_q22, False, {}),
]


# ---- comparison ---------------------------------------------------------------------------------

def canon(v):
    """A hashable, type-strict form of a JSON value (1 is not 1.0; floats to 12 digits):
    int, str and None stand for themselves, a float is ("f", x), a bool ("b", x), an object
    ("d", its (key, value) pairs sorted), an array ("l", its values). Dispatches on the exact
    type: bool is not taken for int."""
    t = type(v)
    if t is int or t is str or v is None:
        return v
    if t is float:
        return ("f", float("%.12g" % v))
    if t is dict:
        return ("d", tuple(sorted([(k, canon(x)) for k, x in v.items()])))
    if t is bool:
        return ("b", v)
    if t is list:
        return ("l", tuple([canon(x) for x in v]))
    raise TypeError(repr(v))


def _canon_object(pairs):
    """json object_pairs_hook: an object straight into canon's form (its floats already are,
    by _canon_float; arrays are not, and make the row unhashable: parse_canon falls back)."""
    if bool in map(type, dict(pairs).values()):
        pairs = [(k, ("b", v) if type(v) is bool else v) for k, v in pairs]
    return ("d", tuple(sorted(pairs)))


def _canon_float(text):
    return ("f", float("%.12g" % float(text)))


CANON_DECODER = json.JSONDecoder(object_pairs_hook=_canon_object, parse_float=_canon_float)


def parse_canon(line):
    """canon(json.loads(line)), mostly done inside the json decoder (an output has up to
    27600 rows, read 3 times per query)."""
    v = CANON_DECODER.decode(line)
    try:
        hash(v)
        return v
    except TypeError:  # an array somewhere
        return canon(json.loads(line))


def read_output(path, debezium):
    """The output file as a multiset {canon(row): count}; a debezium output replayed to its
    final state (a retraction of a row not present is an error)."""
    state = {}
    with open(path) as f:
        lines = [l for l in f if l.strip()]
    if not debezium:
        for l in lines:
            key = parse_canon(l)
            state[key] = state.get(key, 0) + 1
        return state
    for l in lines:
        rec = dict(parse_canon(l)[1])
        op = rec.get("op")
        if op in ("d", "u") and rec.get("before") is not None:
            key = rec["before"]
            if state.get(key, 0) == 0:
                raise ValueError("retraction of a row not present: %s" % l.strip())
            state[key] -= 1
        if op in ("c", "u", "r") and rec.get("after") is not None:
            key = rec["after"]
            state[key] = state.get(key, 0) + 1
    return {k: n for k, n in state.items() if n}


def multiset(rows):
    m = {}
    for r in rows:
        k = canon(r)
        m[k] = m.get(k, 0) + 1
    return m


def diff(me, ma):
    """None when the multisets me (expected) and ma (actual) are equal, else a short
    description."""
    if me == ma:
        return None
    missing = [(k, n - ma.get(k, 0)) for k, n in me.items() if n > ma.get(k, 0)]
    extra = [(k, n - me.get(k, 0)) for k, n in ma.items() if n > me.get(k, 0)]
    show = lambda k: json.dumps(uncanon(k))[:300]
    parts = ["%d expected rows, %d output rows; %d missing, %d unexpected"
             % (sum(me.values()), sum(ma.values()), sum(n for _, n in missing),
                sum(n for _, n in extra))]
    for k, n in missing[:3]:
        parts.append("  missing x%d: %s" % (n, show(k)))
    for k, n in extra[:3]:
        parts.append("  unexpected x%d: %s" % (n, show(k)))
    return "\n".join(parts)


def uncanon(c):
    if type(c) is not tuple:
        return c
    if c[0] == "l":
        return [uncanon(x) for x in c[1]]
    if c[0] == "d":
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

    # 1. the events, dumped once per base time that the selected queries use
    dbs = {}

    def events(base):
        if base in dbs:
            return dbs[base]
        tag = "dump" if base == BASE_TIME else "dump[%s]" % base
        ev_path = os.path.join(workdir, "events.json" if base == BASE_TIME
                               else "events.%s.json" % base.replace(":", ""))
        err = compile_and_run(binp, DUMP_SQL.format(n=args.events, base=base, path=ev_path),
                              workdir, "dump", "tcc", 1, ev_path)
        if err:
            report(tag, err)
            dbs[base] = None
            return None
        db, n, counts = load_events(ev_path)
        report(tag, None if n == args.events else
               "%d events written, %d expected" % (n, args.events))
        print("events: %d (%s)" % (n, ", ".join("%s %d" % kv for kv in sorted(counts.items()))))
        dbs[base] = db
        return db

    # 2. the queries
    with tempfile.TemporaryDirectory(prefix="nexmark-check.") as tmpdir:
        side_input = os.path.join(tmpdir, "side_input.json")
        write_side_input(side_input)
        for name, oracle, debezium, opts in QUERIES:
            if args.only and name not in args.only:
                continue
            base = opts.get("base", BASE_TIME)
            db = events(base)
            if db is None:
                report(name, "no events for base time %s" % base)
                continue
            try:
                expected = oracle(db, side_input) if opts.get("side_input") else oracle(db)
            except Vacuous as e:
                report(name, "the check would be vacuous: %s" % e)
                continue
            expected_ms = multiset(expected)
            compile_args = ["--udf", opts["udf"]] if "udf" in opts else []
            with open(os.path.join(HERE, "queries", name + ".sql")) as f:
                template = f.read()
            runs = [(b, 1) for b in args.backends.split(",")] + [("tcc", 3)]
            for backend, par in runs:
                tag = "%s[%s%s]" % (name, backend, ",p%d" % par if par > 1 else "")
                out = os.path.join(workdir, "%s.%s.p%d.out" % (name, backend, par))
                sql = (template.replace("$output_path", out)
                       .replace("$max_events", str(args.events))
                       .replace("$base_time", base).replace("$side_input", side_input))
                err = compile_and_run(binp, sql, workdir, name, backend, par, out, compile_args)
                if err is None:
                    try:
                        err = diff(expected_ms, read_output(out, debezium))
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
