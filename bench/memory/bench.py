#!/usr/bin/env python3
"""bench/memory/bench.py: does the worker's memory stay flat once windows come and go? (issue 3)

Runs the 10 s tumbling count per key (bench/window_agg/query_count.sql: unthrottled bounded
impulse, 1 us of event time per event, key = counter % K) with the gcc backend over
BENCH_MEM_ROWS events (100 M: 100 s of event time, 10 windows) and K = BENCH_MEM_KEYS (1 M)
keys, and samples the worker's resident set (VmRSS in /proc/PID/status) every
BENCH_MEM_SAMPLE seconds until it exits. Then the same for the hand-written baseline
(bench/window_agg/baseline.c tumble_count), for scale.

Expected shape: state grows while the first window fills (1 M keys), peaks when the second
window opens while the first waits 1 s for the watermark (2 M entries live), and stays flat
from then on, because a closed window's entries are freed and their memory reused. Reported:
peak RSS (the kernel's high-water mark, from wait4), min / median / max RSS after warm-up,
the growth after warm-up (max RSS over the second half of those samples minus the max over
the first half, and a least-squares slope), an ASCII chart and a table of the curve.
Warm-up is the first BENCH_MEM_WARMUP_ROWS events (25 M: the first window, then the second
until the first closes, plus half a window), taken as that fraction of the wall time (the
rate is steady; the progress of a running worker cannot be read from outside). With 100 M
events that leaves 7.5 windows, so each half holds several window periods and a sawtooth (the
baseline frees each window's map) does not read as growth. Samples in the last 2 % of the
run (the final flush and exit, which free everything) are left out of those statistics but
shown in the curve.

Verdict: "flat" when growth <= max(2 % of peak, 8 MB); "WARNING: grows" up to max(10 % of
peak, 32 MB); above that the benchmark FAILS (exit 1): memory that keeps growing with a
constant number of keys is a leak, which is something wrong, not a missed target.

Environment: BENCH_MEM_ROWS (100000000), BENCH_MEM_KEYS (1000000), BENCH_MEM_SAMPLE (0.25),
BENCH_MEM_WARMUP_ROWS (25000000), BENCH_MEM_BASELINE (1; 0 skips the baseline run), BENCH_WORK
(scratch, default $TMPDIR/arroyo-bench/memory), BENCH_OUT (also append the report there).
"""
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(ROOT, "bench", "window_agg"))
sys.path.insert(0, os.path.join(ROOT, "bench", "lib"))
import benchlib  # noqa: E402
import bench as wa  # noqa: E402  (bench/window_agg/bench.py: query templates, baseline build)
import rss  # noqa: E402  (bench/lib/rss.py: RSS sampling and curve statistics)

ROWS = int(os.environ.get("BENCH_MEM_ROWS", "100000000"))
KEYS = int(os.environ.get("BENCH_MEM_KEYS", "1000000"))
SAMPLE = float(os.environ.get("BENCH_MEM_SAMPLE", "0.25"))
WARMUP_ROWS = int(os.environ.get("BENCH_MEM_WARMUP_ROWS", "25000000"))
WARMUP = min(0.9, WARMUP_ROWS / ROWS)   # fraction of the run
WITH_BASELINE = os.environ.get("BENCH_MEM_BASELINE", "1") == "1"
WORK = os.environ.get("BENCH_WORK") or os.path.join(
    os.environ.get("TMPDIR", "/tmp"), "arroyo-bench", "memory")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def main():
    os.makedirs(WORK, exist_ok=True)
    code = wa.snapshot_bin(WORK)
    so = wa.compile_query(WORK, "count", KEYS, "gcc", 1, rows=ROWS)
    baseline = wa.build_baseline(WORK)
    log("memory: worker, %d events, %d keys (sampling every %.2f s)" % (ROWS, KEYS, SAMPLE))
    load_before = wa.loadavg()
    ours = rss.run_sampled([os.path.join(wa.BIN, "arroyo-worker"), so], WORK, SAMPLE)
    base = None
    if WITH_BASELINE:
        log("memory: baseline")
        base = rss.run_sampled([baseline, "tumble_count", str(ROWS), str(KEYS)], WORK, SAMPLE)

    failed = []
    lines = ["memory: %s, 10 s tumbling count per key, gcc, --parallelism 1, %d events (%.0f s of "
             "event time, %d windows), K = %d keys, RSS sampled every %.2f s; load average %s "
             "before, %s after" % (time.strftime("%Y-%m-%d %H:%M"), ROWS, ROWS / 1e6,
                                   (ROWS + 9999999) // 10000000, KEYS, SAMPLE, load_before,
                                   wa.loadavg()), "code: " + code, ""]
    t = benchlib.Table(["run", "rows out", "wall s", "events/s", "CPU s", "events/s per core",
                        "peak RSS", "after warm-up: min", "median", "max",
                        "growth (2nd half - 1st half)", "slope"],
                       right=set(range(1, 12)))
    verdicts = []
    for name, r in (("worker (gcc)", ours), ("baseline (hand-written C)", base)):
        if r is None:
            continue
        if r.rc != 0:
            failed.append("%s: exit %d\n%s" % (name, r.rc, r.err[-2000:]))
            continue
        m = wa.ROWS_WRITTEN_RE.search(r.err) or wa.ROWS_OUT_RE.search(r.out)
        st = rss.curve_stats(r, WARMUP)
        if st is None:
            failed.append("%s: too few RSS samples (%d); lower BENCH_MEM_SAMPLE" % (name, len(r.samples)))
            continue
        lo, med, hi, growth, slope = st
        t.add(name, m.group(1) if m else "-", "%.2f" % r.wall, benchlib.fmt_rate(ROWS / r.wall),
              "%.2f" % r.cpu, benchlib.fmt_rate(ROWS / r.cpu), benchlib.fmt_kb(r.maxrss_kb),
              benchlib.fmt_kb(lo), benchlib.fmt_kb(med), benchlib.fmt_kb(hi),
              ("+" if growth >= 0 else "-") + benchlib.fmt_kb(abs(growth)),
              "%+.2f MB/s" % (slope / 1024))
        v, flat, leak = rss.verdict(growth, r.maxrss_kb)
        if leak:
            failed.append("%s: RSS grew by %s after warm-up" % (name, benchlib.fmt_kb(growth)))
        verdicts.append("%s: memory after warm-up %s (growth %s, limit for flat %s)"
                        % (name, v, benchlib.fmt_kb(max(growth, 0)), benchlib.fmt_kb(flat)))
    lines.append(t.render())
    lines.append("")
    if base is not None and base.rc == 0 and ours.rc == 0:
        mo = wa.ROWS_WRITTEN_RE.search(ours.err)
        mb = wa.ROWS_OUT_RE.search(base.out)
        if mo and mb and mo.group(1) != mb.group(1):
            failed.append("worker wrote %s rows, baseline %s" % (mo.group(1), mb.group(1)))
        lines.append("peak RSS, worker / baseline: %.2fx" % (ours.maxrss_kb / max(1, base.maxrss_kb)))
    st = STATE_LINE.search(ours.err) if ours.rc == 0 else None
    if st:
        lines.append("worker's state table at exit: %s" % st.group(0))
    lines.extend(verdicts)
    if ours.samples:
        lines.append("")
        lines.append("worker RSS over time:")
        lines.extend(["    " + x for x in rss.ascii_chart(ours, WARMUP)])
        lines.append("")
        lines.append(rss.curve_table(ours))
    if base is not None and base.samples:
        lines.append("")
        lines.append("baseline RSS over time (it frees each closed window's map, and glibc returns "
                     "such large blocks to the kernel):")
        lines.extend(["    " + x for x in rss.ascii_chart(base, WARMUP, height=8)])
    report = "\n".join(lines)
    benchlib.publish(report)
    with open(os.path.join(WORK, "rss_worker.tsv"), "w") as f:
        f.write("seconds\trss_kb\n" + "".join("%.3f\t%d\n" % s for s in ours.samples))
    if base is not None:
        with open(os.path.join(WORK, "rss_baseline.tsv"), "w") as f:
            f.write("seconds\trss_kb\n" + "".join("%.3f\t%d\n" % s for s in base.samples))
    if failed:
        print("\nFAILED:\n" + "\n".join(failed))
        return 1
    return 0


STATE_LINE = re.compile(r"stage '[^']*': [^\n]*state: [^\n)]*")

if __name__ == "__main__":
    sys.exit(main())
