#!/usr/bin/env python3
"""bench/window_agg/bench.py: windowed aggregates against hand-written C (issue 3; run.sh calls it).

Queries (query.sql, query_count.sql): an unthrottled, bounded impulse source (event time =
counter microseconds, start_time 0, so windows close as the watermark advances) ->
key = counter % K, v = counter % 997 -> GROUP BY key and a window -> blackhole sink:
  tumble        count(*), sum(v), max(v) per key, tumble(interval '10 seconds')
  hop           the same per key, hop(interval '2 seconds', interval '10 seconds')
  tumble count  count(*) only per key, tumble 10 s: the target of issue 3
for K in BENCH_KEYS (1000 and 1000000), compiled with tcc and gcc, run by bin/arroyo-worker
at --parallelism 1 and 2, against baseline.c (gcc -O2, single-threaded, the same
aggregation with a hash map per window / per-slide pane). A diagnostic row runs the
baseline's hop with another state layout (hop_ring: one map by key with a ring of panes).

Every variant processes the same BENCH_ROWS events and must write the baseline's number of
output rows. The impulse source runs one generator per subtask with message_count rows each
and shared event times, so --parallelism 2 uses message_count = N/2 with a 2 us event-time
step: the same N events over the same span of event time, hence the same windows and keys
and the same output row count (count per key and window too; sum and max differ).

Method: BENCH_RUNS rounds; each round runs every variant once, starting at a different
variant each round (interleaved); medians. events/s = events / wall seconds; events/s per
core = events / CPU seconds (user + sys of all threads of the process); "x baseline" is
ours / baseline of the same window and K in the same run, on wall and on CPU time. The
compiler and worker are copied from bin/ at the start (others rebuild it meanwhile). Targets
are reported, never asserted: gcc at parallelism 1 >= 5 M events/s per core for the tumble
count (issue 3), gcc within 2x and tcc within 3x of the hand-written C (DESIGN.md).

Environment: BENCH_ROWS (20000000, even), BENCH_KEYS (1000,1000000), BENCH_RUNS (3),
BENCH_WINDOWS (tumble,hop,count: which groups), BENCH_PARALLEL (1,2), BENCH_WORK (scratch
directory, default $TMPDIR/arroyo-bench/window_agg), BENCH_OUT (also append the report there).
"""
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.dont_write_bytecode = True   # no __pycache__ in the tree
sys.path.insert(0, os.path.join(ROOT, "bench", "lib"))
import benchlib  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "20000000"))
KEYS = [int(k) for k in os.environ.get("BENCH_KEYS", "1000,1000000").split(",") if k]
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
WINDOWS = [w for w in os.environ.get("BENCH_WINDOWS", "tumble,hop,count").split(",") if w]
PARALLEL = [int(p) for p in os.environ.get("BENCH_PARALLEL", "1,2").split(",") if p]
WORK = os.environ.get("BENCH_WORK") or os.path.join(
    os.environ.get("TMPDIR", "/tmp"), "arroyo-bench", "window_agg")
BIN = os.path.join(ROOT, "bin")   # snapshot_bin() points this at copies

PER_CORE_TARGET = 5e6      # issue 3: >= 5 M events/s per core, 10 s tumble count, gcc
GCC_TARGET_RATIO = 2.0     # DESIGN.md: gcc within 2x of hand-written C
TCC_TARGET_RATIO = 3.0     # DESIGN.md: tcc within 3x

WINDOW_SQL = {
    "tumble": "tumble(interval '10 seconds')",
    "hop": "hop(interval '2 seconds', interval '10 seconds')",
    "count": "tumble(interval '10 seconds')",
}
TEMPLATE = {"tumble": "query.sql", "hop": "query.sql", "count": "query_count.sql"}
BASE_MODE = {"tumble": "tumble", "hop": "hop", "count": "tumble_count"}
GROUP_NAME = {"tumble": "tumble 10s count/sum/max", "hop": "hop 2s/10s count/sum/max",
              "count": "tumble 10s count only"}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def check(cmd, what):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        raise SystemExit("bench/window_agg: %s failed:\n%s\n%s" % (what, " ".join(cmd), p.stdout))


def build_baseline(work):
    exe = os.path.join(work, "baseline")
    check(["gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-o", exe,
           os.path.join(HERE, "baseline.c")], "building baseline.c")
    return exe


def write_sql(work, template, name, subst):
    with open(os.path.join(HERE, template)) as f:
        text = f.read()
    for k, v in subst.items():
        text = text.replace("$" + k, v)
    path = os.path.join(work, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def source_subst(rows, parallelism):
    """message_count and event_time_interval that give `rows` events in all over the same
    event-time span (rows microseconds) at this parallelism."""
    if rows % parallelism:
        raise SystemExit("bench/window_agg: BENCH_ROWS must be a multiple of every parallelism")
    return {"count": str(rows // parallelism), "interval": str(parallelism)}


def compile_query(work, kind, keys, backend, parallelism, rows=ROWS, emit=False):
    """Compile one variant's query; returns the .so path."""
    name = "%s_k%d_p%d" % (kind, keys, parallelism)
    subst = dict(source_subst(rows, parallelism), keys=str(keys), window=WINDOW_SQL[kind])
    sql = write_sql(work, TEMPLATE[kind], name + ".sql", subst)
    so = os.path.join(work, "%s_%s.so" % (name, backend))
    cmd = [os.path.join(BIN, "arroyo-compile"), sql, "-o", so, "--backend", backend]
    if emit:
        cmd += ["--emit-c", os.path.join(work, "%s_%s.c" % (name, backend))]
    check(cmd, "arroyo-compile %s --backend %s" % (name, backend))
    return so


ROWS_WRITTEN_RE = re.compile(r"sink '[^']*' \(blackhole\): (\d+) rows written")
ROWS_OUT_RE = re.compile(r"rows_out=(\d+)")
STATE_RE = re.compile(r"state: (\d+) entries, (\d+) KB")


def rows_out(r):
    m = ROWS_WRITTEN_RE.search(r.err) or ROWS_OUT_RE.search(r.out)
    return int(m.group(1)) if m else None


def code_state():
    """Which code was measured (benchlib.code_state of this checkout)."""
    return benchlib.code_state(ROOT)


def snapshot_bin(work):
    """Copy the binaries and runtime/abi.h into work/bin (benchlib.snapshot_bin) and use the
    copies from now on (BIN): others rebuild bin/ and edit abi.h while a benchmark runs.
    Returns the code state at the time of the copy."""
    global BIN
    BIN, state = benchlib.snapshot_bin(ROOT, work)
    return state


loadavg = benchlib.loadavg


def main():
    os.makedirs(WORK, exist_ok=True)
    benchlib.build_runstat(WORK)
    baseline = build_baseline(WORK)
    code = snapshot_bin(WORK)
    worker = os.path.join(BIN, "arroyo-worker")

    # (group, label, kind, argv); kind: base | ours | diag. group = (window kind, K).
    variants = []
    log("compiling %d queries" % (len(WINDOWS) * len(KEYS) * 2 * len(PARALLEL)))
    for kind in WINDOWS:
        for k in KEYS:
            g = (kind, k)
            variants.append((g, "baseline (hand-written C, gcc -O2)", "base",
                             [baseline, BASE_MODE[kind], str(ROWS), str(k)]))
            if kind == "hop":
                variants.append((g, "diag: baseline, hop_ring layout (one map by key, ring of panes)",
                                 "diag", [baseline, "hop_ring", str(ROWS), str(k)]))
            # the count-only group exists for the gcc target: gcc, and tcc for reference
            for p in PARALLEL if kind != "count" else [1]:
                for be in ("tcc", "gcc"):
                    so = compile_query(WORK, kind, k, be, p, emit=(p == 1))
                    cmd = [worker, so] + (["--parallelism", str(p)] if p > 1 else [])
                    variants.append((g, "ours, %s, parallelism %d" % (be, p), "ours", cmd))

    results = {i: [] for i in range(len(variants))}
    failures, warnings = [], []
    load_before = loadavg()
    t_start = time.time()
    for r in range(RUNS):
        log("run %d/%d (%d variants)" % (r + 1, RUNS, len(variants)))
        order = list(range(len(variants)))
        k = (r * max(1, len(order) // RUNS)) % len(order)
        for i in order[k:] + order[:k]:
            res = benchlib.run(variants[i][3])
            if res.rc != 0:
                (warnings if variants[i][2] == "diag" else failures).append(
                    "%s / %s: exit %d\n%s" % (variants[i][0], variants[i][1], res.rc, res.err[-2000:]))
            results[i].append(res)
    elapsed = time.time() - t_start

    expect = {}
    for i, v in enumerate(variants):
        if v[2] == "base":
            expect[v[0]] = rows_out(results[i][0])
    for i, v in enumerate(variants):
        for res in results[i]:
            n = rows_out(res)
            if res.rc == 0 and n != expect[v[0]]:
                (warnings if v[2] == "diag" else failures).append(
                    "%s / %s: %s output rows, expected %s" % (v[0], v[1], n, expect[v[0]]))

    lines = []
    lines.append("window_agg: %s, %d events per variant (impulse, 1 us of event time per event), "
                 "medians of %d interleaved runs, %.0f s; load average %s before, %s after"
                 % (time.strftime("%Y-%m-%d %H:%M"), ROWS, RUNS, elapsed, load_before, loadavg()))
    lines.append("code: " + code)
    lines.append("")
    t = benchlib.Table(["variant", "K", "rows out", "wall s", "events/s", "x baseline (wall)",
                        "CPU s", "events/s per core", "x baseline (CPU)", "peak RSS"],
                       right={1, 2, 3, 4, 5, 6, 7, 8, 9})
    base_wall, base_cpu, summary = {}, {}, {}
    for i, v in enumerate(variants):
        g, label, kind = v[:3]
        ok = [x for x in results[i] if x.rc == 0]
        wall = benchlib.median([x.wall for x in ok])
        cpu = benchlib.median([x.cpu for x in ok])
        rss = benchlib.median([x.maxrss_kb for x in ok])
        if kind == "base":
            base_wall[g], base_cpu[g] = wall, cpu
        rw = wall / base_wall[g] if g in base_wall else float("nan")
        rc = cpu / base_cpu[g] if g in base_cpu else float("nan")
        summary[(g, label)] = (wall, cpu, rw, rc)
        t.add("%s: %s" % (GROUP_NAME[g[0]], label), g[1],
              expect[g] if expect[g] is not None else "-", "%.3f" % wall,
              benchlib.fmt_rate(ROWS / wall if wall > 0 else float("nan")), "%.2f" % rw,
              "%.3f" % cpu, benchlib.fmt_rate(ROWS / cpu if cpu > 0 else float("nan")),
              "%.2f" % rc, benchlib.fmt_kb(rss) if rss == rss else "-")
    lines.append(t.render())
    lines.append("")

    busy = set()
    for i, v in enumerate(variants):
        if v[2] != "base":
            continue
        ok = [x for x in results[i] if x.rc == 0]
        w, c = benchlib.median([x.wall for x in ok]), benchlib.median([x.cpu for x in ok])
        if c > 0 and w / c > 1.2:
            busy.add(v[0])
            lines.append("WARNING: machine busy: %s K=%d baseline wall %.3f s vs CPU %.3f s (x%.2f; "
                         "a single-threaded run should be ~1.0): wall ratios of this group are "
                         "unreliable in this run; compare CPU ratios." % (v[0][0], v[0][1], w, c, w / c))
    for kind in WINDOWS:
        for k in KEYS:
            g = (kind, k)
            note = " (machine busy: wall unreliable)" if g in busy else ""
            if kind == "count":
                key = (g, "ours, gcc, parallelism 1")
                if key in summary:
                    wall, cpu, rw, rc = summary[key]
                    rate = ROWS / cpu if cpu > 0 else float("nan")
                    lines.append("target tumble count K=%d gcc >= %s events/s per core: %s (%s per core, "
                                 "%s wall)" % (k, benchlib.fmt_rate(PER_CORE_TARGET),
                                               "met" if rate >= PER_CORE_TARGET else "MISSED",
                                               benchlib.fmt_rate(rate), benchlib.fmt_rate(ROWS / wall)))
                continue
            for be, target in (("gcc", GCC_TARGET_RATIO), ("tcc", TCC_TARGET_RATIO)):
                key = (g, "ours, %s, parallelism 1" % be)
                if key not in summary:
                    continue
                wall, cpu, rw, rc = summary[key]
                lines.append("target %s K=%d %s within %.0fx of baseline: %s (CPU %.2fx, wall %.2fx)%s"
                             % (kind, k, be, target, "met" if rc <= target else "MISSED", rc, rw, note))
    report = "\n".join(lines)
    benchlib.publish(report)
    if warnings:
        print("\nWARNING: diagnostic runs failed:\n" + "\n".join(sorted(set(warnings))))
    if failures:
        print("\nFAILED:\n" + "\n".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
