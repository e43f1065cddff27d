"""tests/golden/oracle_lib.py: what every tests/golden/*_oracle.py shares.

The oracles compute golden outputs independently of arroyo-c (SQLite, plain Python). Run
without arguments an oracle (re)writes the inputs and goldens it owns; with --check it only
compares them with what it computes, and finish() prints "<name>: OK" or the differences and
exits 1 on any (tests/golden/check_oracles.sh runs every oracle that way in the test suite).
This module holds the paths, the JSON-lines encoding the goldens use, the timestamp text of
the inputs and the json sink, and that write-or-compare step; the queries and inputs stay in
each oracle.
"""

import calendar
import datetime
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
INPUTS = os.path.join(HERE, "inputs")
GOLDEN = os.path.join(HERE, "golden_outputs")
CHECK = "--check" in sys.argv[1:]
problems = []
SEC = 1_000_000_000   # nanoseconds


def lines(rows):
    """JSON lines as the goldens hold them: compact separators, one object per line."""
    return "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in rows)


def ts_ns(s):
    """RFC 3339 text in UTC (Z or +00:00) -> integer nanoseconds since the epoch."""
    if s.endswith("+00:00"):
        s = s[:-6] + "Z"
    assert s.endswith("Z"), s
    body, frac_ns = s[:-1], 0
    if "." in body:
        body, frac = body.split(".")
        frac_ns = int((frac + "000000000")[:9])
    dt = datetime.datetime.strptime(body, "%Y-%m-%dT%H:%M:%S")
    return calendar.timegm(dt.timetuple()) * SEC + frac_ns


def fmt_ts(ns):
    """Nanoseconds -> the json sink's TIMESTAMP text: no fraction when whole seconds, else 3, 6
    or 9 digits, the fewest that are exact (None stays None)."""
    if ns is None:
        return None
    secs, frac = divmod(ns, SEC)
    s = (datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=secs)).strftime("%Y-%m-%dT%H:%M:%S")
    if frac == 0:
        return s
    if frac % 1_000_000 == 0:
        return s + ".%03d" % (frac // 1_000_000)
    if frac % 1000 == 0:
        return s + ".%06d" % (frac // 1000)
    return s + ".%09d" % frac


def put(path, text):
    """Write path, or with --check note a difference from what is there."""
    if CHECK:
        old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if old != text:
            problems.append(os.path.relpath(path, HERE) + " differs from what the oracle computes")
        return
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def load(name):
    """The rows of inputs/<name> (JSON lines; blank lines skipped)."""
    with open(os.path.join(INPUTS, name), encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]


def on_time(ts, max_batch_span):
    """Lateness of each row of one source with zero watermark delay, ts its event times in file
    order: the watermark a row meets is the largest event time of the source's earlier batches,
    and a batch holds at most max_batch_span rows, so it lies between the maximum of the rows
    more than max_batch_span back and the maximum of all earlier rows. True when the row is on
    time for every such batching, False when late for every one; a row whose fate depends on
    the batching fails the assertion (the test's input must not have one)."""
    out = []
    for i in range(len(ts)):
        prefix_max = max(ts[:i]) if i else None                 # latest possible watermark
        far = ts[:max(0, i - max_batch_span)]
        far_max = max(far) if far else None                    # earliest possible watermark
        late_surely = far_max is not None and ts[i] < far_max
        on_time_surely = prefix_max is None or ts[i] >= prefix_max
        assert late_surely or on_time_surely, "row %d (line %d) is late for some batchings only" % (i, i + 1)
        out.append(on_time_surely)
    return out


def finish(name):
    """With --check: print the differences and OK or their count, and exit 1 on any."""
    if CHECK:
        for p in problems:
            print("%s: %s" % (name, p))
        print("%s: %s" % (name, "OK" if not problems else "%d differences" % len(problems)))
        sys.exit(1 if problems else 0)
