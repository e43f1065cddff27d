#!/usr/bin/env python3
"""bench/nexmark/memory.py: does each Nexmark query's memory stay flat over a long run? (issue 6)

For each query of bench/nexmark/queries/ (NEXMARK_MEM_QUERIES, default every one that
compiles), compiled with gcc, run by bin/arroyo-worker --parallelism 1 over
NEXMARK_MEM_EVENTS events (100 M: 10 s of event time at the generator's 100 ns per event;
NEXMARK_MEM_EVENT_RATE=1000000 makes it 1 us per event, 100 s, so that 10 s windows close),
sampling the worker's resident set every NEXMARK_MEM_SAMPLE seconds (bench/lib/rss.py).
Reported per query: wall and CPU seconds, events per CPU second, peak RSS, RSS at the end of
warm-up, min / max after warm-up, the growth (max of the second half of the post-warm-up
samples minus the max of the first half), the slope, and the verdict of bench/lib/rss.py
(flat / grows). Warm-up is the first NEXMARK_MEM_WARMUP of the wall time (default 0.25).

A run is cut off when it exceeds NEXMARK_MEM_TIMEOUT seconds (default 600) or
NEXMARK_MEM_LIMIT_MB of RSS (default 4096: the machine is shared), and reported as such with
the curve up to then. Memory that grows with the number of events is not always a leak: a
query whose result needs state proportional to the input (an interval join that must keep
every bid of a 10 s bound when 10 s hold 100 M events; an updating join of all auctions
without a TTL) grows by design; the report shows bytes per event for those so the cost can be
compared. It measures; nothing is asserted (exit 1 only when a worker fails).

Usage: bench/nexmark/memory.py [q0 q1 ...]   (or NEXMARK_MEM_QUERIES="q0 q1")
Needs bin/ from `make`.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(ROOT, "bench", "lib"))
import benchlib  # noqa: E402
import rss  # noqa: E402

EVENTS = int(os.environ.get("NEXMARK_MEM_EVENTS", "100000000"))
# event time per event: the queries' unthrottled source steps 100 ns (10 M events per second of
# event time), so 100 M events are 10 s and no 10 s window closes before the end; a rate of
# 1,000,000 (1 us) makes them 100 s, ten 10 s windows. 0 keeps the queries' own 100 ns.
EVENT_RATE = int(os.environ.get("NEXMARK_MEM_EVENT_RATE", "0"))
SAMPLE = float(os.environ.get("NEXMARK_MEM_SAMPLE", "0.5"))
WARMUP = float(os.environ.get("NEXMARK_MEM_WARMUP", "0.25"))
TIMEOUT = float(os.environ.get("NEXMARK_MEM_TIMEOUT", "600"))
LIMIT_KB = int(os.environ.get("NEXMARK_MEM_LIMIT_MB", "4096")) * 1024
BIN = os.path.join(ROOT, "bin")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def queries():
    names = sys.argv[1:] or os.environ.get("NEXMARK_MEM_QUERIES", "").split()
    if names:
        return names
    found = [f[:-4] for f in os.listdir(os.path.join(HERE, "queries"))
             if re.fullmatch(r"q\d+\.sql", f)]
    return sorted(found, key=lambda q: int(q[1:]))


def compile_query(work, q):
    """The query's .so (gcc), or (None, error text)."""
    with open(os.path.join(HERE, "queries", q + ".sql")) as f:
        sql = f.read().replace("$max_events", str(EVENTS))
    if EVENT_RATE:
        sql = sql.replace("event_rate = '0'", "event_rate = '%d'" % EVENT_RATE)
    path = os.path.join(work, q + ".sql")
    with open(path, "w") as f:
        f.write(sql)
    so = os.path.join(work, q + ".so")
    cmd = [os.path.join(BIN, "arroyo-compile"), path, "-o", so, "--backend", "gcc"]
    if q == "q14":
        cmd += ["--udf", os.path.join(HERE, "udf_count_char.c")]
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if p.returncode != 0:
        return None, (p.stderr.strip().splitlines() or ["exit %d" % p.returncode])[0]
    return so, None


def side_input():
    """q13's lookup table, as run.sh writes it (10,000 rows; not committed)."""
    path = os.path.join(HERE, "side_input.json")
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        with open(path, "w") as f:
            f.write("".join('{"key":%d,"value":"%d"}\n' % (i, i) for i in range(10000)))


def main():
    os.chdir(ROOT)              # queries name files relative to the repository root
    side_input()
    work = tempfile.mkdtemp(prefix="nexmark-mem.")
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                          capture_output=True, text=True).stdout.strip()
    step = 1e9 / EVENT_RATE if EVENT_RATE else 100.0   # ns of event time per event
    lines = ["Nexmark memory: %s, HEAD %s, gcc, --parallelism 1, %d events (%.1f s of event "
             "time), RSS every %.2f s, warm-up %.0f %% of the run, limits %.0f s and %s; "
             "load average %s" % (time.strftime("%Y-%m-%d %H:%M"), head, EVENTS, EVENTS * step * 1e-9,
                                  SAMPLE, WARMUP * 100, TIMEOUT, benchlib.fmt_kb(LIMIT_KB),
                                  open("/proc/loadavg").read().split()[0]), ""]
    t = benchlib.Table(["query", "status", "wall s", "CPU s", "events/s per core", "peak RSS",
                        "RSS at warm-up end", "after warm-up: min", "max", "growth", "slope",
                        "verdict"], right=set(range(2, 11)))
    failed = False
    charts = []
    for q in queries():
        so, err = compile_query(work, q)
        if so is None:
            t.add(q, "does not compile: " + err.replace(work + "/", "")[:70], *["-"] * 10)
            continue
        log("memory: %s" % q)

        def stop(now, kb):
            if now > TIMEOUT:
                return "timeout (%.0f s)" % TIMEOUT
            if kb > LIMIT_KB:
                return "RSS above %s" % benchlib.fmt_kb(LIMIT_KB)
            return None
        r = rss.run_sampled([os.path.join(BIN, "arroyo-worker"), so], work, SAMPLE, stop)
        status = r.stopped or ("ok" if r.rc == 0 else "exit %d" % r.rc)
        if r.rc != 0 and not r.stopped:
            failed = True
            log("%s: %s" % (q, r.err[-1500:]))
        warm = [kb for s, kb in r.samples if s <= r.wall * WARMUP]
        st = rss.curve_stats(r, WARMUP) if not r.stopped else None
        rate = benchlib.fmt_rate(EVENTS / r.cpu) if r.cpu > 0 and not r.stopped else "-"
        if st is None:
            t.add(q, status, "%.2f" % r.wall, "%.2f" % r.cpu, rate, benchlib.fmt_kb(r.maxrss_kb),
                  benchlib.fmt_kb(warm[-1]) if warm else "-", "-", "-", "-", "-", "-")
        else:
            lo, _, hi, growth, slope = st
            v, _, _ = rss.verdict(growth, r.maxrss_kb)
            t.add(q, status, "%.2f" % r.wall, "%.2f" % r.cpu, rate, benchlib.fmt_kb(r.maxrss_kb),
                  benchlib.fmt_kb(warm[-1]) if warm else "-", benchlib.fmt_kb(lo),
                  benchlib.fmt_kb(hi), ("+" if growth >= 0 else "-") + benchlib.fmt_kb(abs(growth)),
                  "%+.2f MB/s" % (slope / 1024), v)
        if r.samples and (st is None or rss.verdict(st[3], r.maxrss_kb)[0] != "flat"):
            per_event = r.maxrss_kb * 1024 / EVENTS if not r.stopped else None
            charts.append("%s RSS over time (%s%s):" % (
                q, status, ", %.0f bytes of peak RSS per event" % per_event if per_event else ""))
            charts.extend("    " + x for x in rss.ascii_chart(r, WARMUP, height=8))
    lines.append(t.render())
    if charts:
        lines += ["", "Queries whose memory is not flat:"] + charts
    print("\n".join(lines))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
