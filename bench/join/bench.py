#!/usr/bin/env python3
"""bench/join/bench.py: joins against hand-written C (issue 4; run.sh calls it).

Throughput (every variant: unthrottled, bounded impulse sources; events = rows of both
sources together):
  window K      query_window.sql: per source a 1 s tumbling aggregate by k = e % K, e the
                event number (count(*) / sum(e % 997)), the two joined on window and key ->
                blackhole; K in BENCH_KEYS (1000: the join sees 1000 rows per side per
                window; 1000000: every event is its own group, so the join sees 1 M rows per
                side per window). BENCH_ROWS events (20 M: 10 s of event time per source).
  updating out  query_updating.sql: l JOIN r ON l.k = r.k, k = event number (unique, the
                same on both sides: every row meets exactly one partner), SET updating_ttl
                '1 second' (so about 1 M live keys per side), every pair written as debezium
                JSON to /dev/null (single_file sink: the blackhole sink refuses updating
                results). BENCH_UPD_ROWS events (10 M).
  updating none the same with `AND l.c > r.c + 1000` in ON: a residual condition (not an
                equality, so not part of the join key) that is never true, evaluated on
                every candidate pair: the join's own cost (store, probe, evaluate the pair,
                expire) with no output rows.
Each compiled with tcc and gcc, run by bin/arroyo-worker at --parallelism 1 and 2
(BENCH_PARALLEL), against baseline.c (gcc -O2, one thread, the same work: hash maps per window
and side / per side from key to rows, see its header).

Raw (non-aggregated) windowed rows cannot be joined today: tumble() is only accepted in a
GROUP BY ("tumble() in the select list must also appear in GROUP BY") and compiler/join.c
makes a join windowed only when both inputs carry a window column, i.e. are windowed
aggregates. So there is no raw windowed variant.

Parallelism: the impulse source runs one generator per subtask with message_count rows each
and shared event times, so --parallelism P uses message_count = N/(2P) per source, a P us
event-time step, and the event number e = counter * P + subtask_index (e = counter at P = 1)
in place of the counter: the same N events with the same values in the same windows, so every
P must give exactly the baseline's output (row count checked here, values by check.py).

Memory (issue 4's target: memory per live join row <= 2x its payload): the updating join with
BENCH_MEM_KEYS (1 M) rows per side, keys e and e + 10^12 (no matches: every row
stays live; the default 1 day TTL never fires), gcc, parallelism 1; (peak RSS - peak RSS of the
same query with 1 row per side) / live rows, against the 32 bytes of a row's columns (k, a, b,
c: BIGINT UNSIGNED each). The worker's own "state: ... KB" summary splits that into the state
table and the per-key row lists (RtObj lists, malloc'd). baseline.c memory does the same
with its maps, for scale.

Method: BENCH_RUNS rounds; each round runs every variant once, starting at a different
variant each round (interleaved); medians. events/s = events / wall seconds; events/s per
core = events / CPU seconds (user + sys of all threads); "x baseline" = ours / baseline of
the same group in the same run. A variant must write the baseline's number of output rows,
and every process must exit 0; otherwise the benchmark FAILS. Targets are reported, never
asserted: windowed join with gcc at parallelism 1 >= 2 M events/s per core (issue 4);
memory per live row <= 2x the payload (issue 4); gcc within 2x and tcc within 3x of the
baseline (DESIGN.md). The compiler and worker are copied from bin/ at the start (others
rebuild it meanwhile).

Environment: BENCH_ROWS (20000000), BENCH_UPD_ROWS (10000000), BENCH_KEYS (1000,1000000),
BENCH_RUNS (3), BENCH_PARALLEL (1,2), BENCH_GROUPS (window,out,none,memory: which groups),
BENCH_MEM_KEYS (1000000), BENCH_WORK (scratch, default $TMPDIR/arroyo-bench/join), BENCH_OUT
(also append the report there), BENCH_BIN (measure the arroyo-compile/arroyo-worker of another
directory, e.g. a clean build of HEAD, instead of bin/), BENCH_BEFORE (a directory holding
arroyo-compile, arroyo-worker and runtime/abi.h of an older build: its tcc and gcc variants at
parallelism 1 run in the same interleaved rounds, labelled "before: ...", so a change is
measured before and after under the same load; its queries compile with ARROYO_RUNTIME_DIR
pointing at its runtime/).
"""
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.dont_write_bytecode = True   # no __pycache__ in the tree
sys.path.insert(0, os.path.join(ROOT, "bench", "lib"))
import benchlib  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "20000000"))
UPD_ROWS = int(os.environ.get("BENCH_UPD_ROWS", "10000000"))
KEYS = [int(k) for k in os.environ.get("BENCH_KEYS", "1000,1000000").split(",") if k]
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
PARALLEL = [int(p) for p in os.environ.get("BENCH_PARALLEL", "1,2").split(",") if p]
GROUPS = [g for g in os.environ.get("BENCH_GROUPS", "window,out,none,memory").split(",") if g]
MEM_KEYS = int(os.environ.get("BENCH_MEM_KEYS", "1000000"))
WORK = os.environ.get("BENCH_WORK") or os.path.join(
    os.environ.get("TMPDIR", "/tmp"), "arroyo-bench", "join")
BIN = os.path.join(ROOT, "bin")   # snapshot_bin() points this at copies
BEFORE = os.environ.get("BENCH_BEFORE", "")

PER_CORE_TARGET = 2e6      # issue 4: windowed join >= 2 M events/s per core, gcc
MEM_TARGET = 2.0           # issue 4: memory per live join row <= 2x its payload
PAYLOAD = 32               # bytes of columns per stored row: 4 x BIGINT UNSIGNED
GCC_TARGET_RATIO = 2.0     # DESIGN.md
TCC_TARGET_RATIO = 3.0
TTL = "1 second"           # updating throughput: SET updating_ttl
TTL_MS = 1000
RESIDUAL_NONE = " AND l.c > r.c + 1000"    # never true: l.c < 1000 <= r.c + 1000


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def check(cmd, what):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if p.returncode != 0:
        raise SystemExit("bench/join: %s failed:\n%s\n%s" % (what, " ".join(cmd), p.stdout))


def build_baseline(work):
    exe = os.path.join(work, "baseline")
    check(["gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-o", exe,
           os.path.join(HERE, "baseline.c")], "building baseline.c")
    return exe


def sql_text(template, subst):
    with open(os.path.join(HERE, template)) as f:
        text = f.read()
    for k in sorted(subst, key=len, reverse=True):   # longest name first
        text = text.replace("$" + k, subst[k])
    return text


def source_subst(rows, parallelism):
    """message_count, event_time_interval and the event number for `rows` events over both
    sources in all, over the same event-time span (rows/2 microseconds) at this parallelism."""
    if rows % (2 * parallelism):
        raise SystemExit("bench/join: event counts must be multiples of 2 * every parallelism")
    return {"count": str(rows // (2 * parallelism)), "interval": str(parallelism),
            "event": "counter" if parallelism == 1 else
            "counter * %d + subtask_index" % parallelism}


def window_sql(rows, keys, parallelism, template="query_window.sql"):
    return sql_text(template, dict(source_subst(rows, parallelism), keys=str(keys)))


def updating_sql(rows, parallelism, residual="", path="/dev/null", ttl=TTL, rkey_offset=0):
    return sql_text("query_updating.sql", dict(
        source_subst(rows, parallelism), ttl=ttl, lkey="e",
        rkey="e" if not rkey_offset else "e + %d" % rkey_offset,
        residual=residual, path=path))


def compile_sql(work, name, text, backend, emit=False, before=False):
    """Write the query and compile it (with BENCH_BEFORE's compiler and abi.h if before);
    returns the .so path."""
    if before:
        name = "before_" + name
    sql = os.path.join(work, name + ".sql")
    with open(sql, "w") as f:
        f.write(text)
    so = os.path.join(work, "%s_%s.so" % (name, backend))
    cmd = [os.path.join(BEFORE if before else BIN, "arroyo-compile"), sql, "-o", so, "--backend", backend]
    if emit:
        cmd += ["--emit-c", so[:-3] + ".c"]
    env = dict(os.environ, ARROYO_RUNTIME_DIR=os.path.join(BEFORE, "runtime")) if before else None
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    if p.returncode != 0:
        raise SystemExit("bench/join: arroyo-compile %s --backend %s failed:\n%s\n%s"
                         % (name, backend, " ".join(cmd), p.stdout))
    return so


def before_variants(g, name, text, events):
    """BENCH_BEFORE's tcc and gcc variants of one query at parallelism 1 (none without it)."""
    if not BEFORE:
        return []
    return [(g, "before: ours, %s, parallelism 1" % be, "ours",
             [os.path.join(BEFORE, "arroyo-worker"), compile_sql(WORK, name, text, be, before=True)], events)
            for be in ("tcc", "gcc")]


ROWS_WRITTEN_RE = re.compile(r"sink '[^']*' \([a-z_]+\): (\d+) rows written")
ROWS_OUT_RE = re.compile(r"rows_out=(\d+)")
STATE_RE = re.compile(r"stage '([^']*)':.*state: (\d+) entries, (\d+) KB")


def rows_out(r):
    """Rows written by all sinks of a worker run, or the baseline's rows_out."""
    n = ROWS_WRITTEN_RE.findall(r.err)
    if n:
        return sum(int(x) for x in n)
    m = ROWS_OUT_RE.search(r.out)
    return int(m.group(1)) if m else None


def state_kb(r, stage_part):
    """The 'state: ... KB' of the worker's summary lines of the stages whose name contains
    stage_part (summed), or None. The worker reports the state tables' allocated bytes at
    exit; slabs are kept until then, so this is about their peak."""
    kb = [int(m.group(3)) for m in STATE_RE.finditer(r.err) if stage_part in m.group(1)]
    return sum(kb) if kb else None


def snapshot_bin(work):
    """Copy arroyo-compile and arroyo-worker into work/bin and use the copies from now on:
    others rebuild bin/ while a benchmark runs. BENCH_BIN names another bin/ directory to
    measure (e.g. a build of a clean checkout). Returns the code state at the time of copy."""
    global BIN
    src = os.environ.get("BENCH_BIN") or os.path.join(ROOT, "bin")
    BIN = src
    state = benchlib.code_state(ROOT) if not os.environ.get("BENCH_BIN") else "binaries from %s" % src
    dst = os.path.join(work, "bin")
    os.makedirs(dst, exist_ok=True)
    for exe in ("arroyo-compile", "arroyo-worker"):
        shutil.copy2(os.path.join(src, exe), os.path.join(dst, exe + ".tmp"))
        os.replace(os.path.join(dst, exe + ".tmp"), os.path.join(dst, exe))
    BIN = dst
    return state


loadavg = benchlib.loadavg


def machine():
    model, cpus = "?", os.cpu_count()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return "%d vCPUs (%s)" % (cpus or 0, model)


GROUP_NAME = {"window": "windowed join", "out": "updating join, pairs to debezium_json",
              "none": "updating join, no output rows"}


def throughput_variants(work, baseline):
    """[(group, label, kind, argv, events)], kind: base | ours | diag (the aggregates
    without the join: twice the baseline's rows)."""
    v = []
    if "window" in GROUPS:
        for k in KEYS:
            g = ("window", k)
            v.append((g, "baseline (hand-written C, gcc -O2)", "base",
                      [baseline, "window", str(ROWS), str(k)], ROWS))
            for p in PARALLEL:
                for be in ("tcc", "gcc"):
                    so = compile_sql(work, "window_k%d_p%d" % (k, p), window_sql(ROWS, k, p), be,
                                     emit=(p == 1))
                    v.append((g, "ours, %s, parallelism %d" % (be, p), "ours",
                              [os.path.join(BIN, "arroyo-worker"), so] +
                              (["--parallelism", str(p)] if p > 1 else []), ROWS))
            v += before_variants(g, "window_k%d_p1" % k, window_sql(ROWS, k, 1), ROWS)
            so = compile_sql(work, "window_aggs_k%d_p1" % k,
                             window_sql(ROWS, k, 1, "query_window_aggs.sql"), "gcc")
            v.append((g, "diag: the two aggregates without the join, gcc, parallelism 1", "diag",
                      [os.path.join(BIN, "arroyo-worker"), so], ROWS))
    for mode in ("out", "none"):
        if mode not in GROUPS:
            continue
        g = (mode, UPD_ROWS)
        v.append((g, "baseline (hand-written C, gcc -O2)", "base",
                  [baseline, "updating", str(UPD_ROWS), str(TTL_MS), mode, "/dev/null"], UPD_ROWS))
        for p in PARALLEL:
            for be in ("tcc", "gcc"):
                so = compile_sql(work, "updating_%s_p%d" % (mode, p),
                                 updating_sql(UPD_ROWS, p, RESIDUAL_NONE if mode == "none" else ""),
                                 be, emit=(p == 1))
                v.append((g, "ours, %s, parallelism %d" % (be, p), "ours",
                          [os.path.join(BIN, "arroyo-worker"), so] +
                          (["--parallelism", str(p)] if p > 1 else []), UPD_ROWS))
        v += before_variants(g, "updating_%s_p1" % mode,
                             updating_sql(UPD_ROWS, 1, RESIDUAL_NONE if mode == "none" else ""), UPD_ROWS)
    return v


def interleaved(variants, runs, what):
    """Run every variant `runs` times, interleaved, rotating the start. Returns
    {index: [Result]} and the elapsed seconds."""
    results = {i: [] for i in range(len(variants))}
    t0 = time.time()
    for r in range(runs):
        log("%s: run %d/%d (%d variants)" % (what, r + 1, runs, len(variants)))
        order = list(range(len(variants)))
        k = (r * max(1, len(order) // runs)) % len(order)
        for i in order[k:] + order[:k]:
            results[i].append(benchlib.run(variants[i][3]))
    return results, time.time() - t0


def fmt_rate(x):
    return benchlib.fmt_rate(x) if x == x else "-"


def throughput(work, baseline, lines, failures):
    variants = throughput_variants(work, baseline)
    if not variants:
        return
    results, elapsed = interleaved(variants, RUNS, "throughput")
    expect = {}
    for i, v in enumerate(variants):
        if v[2] == "base":
            expect[v[0]] = rows_out(results[i][0])
    for i, v in enumerate(variants):
        for res in results[i]:
            if res.rc != 0:
                failures.append("%s / %s: exit %d\n%s" % (v[0], v[1], res.rc, res.err[-2000:]))
                continue
            n = rows_out(res)
            want = expect[v[0]] * 2 if v[2] == "diag" and expect[v[0]] is not None else expect[v[0]]
            if n != want:
                failures.append("%s / %s: %s output rows, expected %s" % (v[0], v[1], n, want))

    lines.append("throughput: medians of %d interleaved runs, %.0f s" % (RUNS, elapsed))
    lines.append("")
    t = benchlib.Table(["variant", "events", "rows out", "wall s", "events/s", "x baseline (wall)",
                        "CPU s", "events/s per core", "x baseline (CPU)", "peak RSS"],
                       right=set(range(1, 10)))
    base_wall, base_cpu, summary = {}, {}, {}
    busy = []
    for i, v in enumerate(variants):
        g, label, kind, _, events = v
        ok = [x for x in results[i] if x.rc == 0]
        wall = benchlib.median([x.wall for x in ok])
        cpu = benchlib.median([x.cpu for x in ok])
        rss = benchlib.median([x.maxrss_kb for x in ok])
        if kind == "base":
            base_wall[g], base_cpu[g] = wall, cpu
            if cpu > 0 and wall / cpu > 1.2:
                busy.append(g)
        rw = wall / base_wall[g] if base_wall.get(g) else float("nan")
        rc = cpu / base_cpu[g] if base_cpu.get(g) else float("nan")
        summary[(g, label)] = (wall, cpu, rw, rc, events)
        name = "%s K=%d" % (GROUP_NAME[g[0]], g[1]) if g[0] == "window" else GROUP_NAME[g[0]]
        n_out = expect[g] * (2 if kind == "diag" else 1) if expect[g] is not None else "-"
        t.add("%s: %s" % (name, label), events, n_out,
              "%.3f" % wall, fmt_rate(events / wall if wall > 0 else float("nan")), "%.2f" % rw,
              "%.3f" % cpu, fmt_rate(events / cpu if cpu > 0 else float("nan")), "%.2f" % rc,
              benchlib.fmt_kb(rss) if rss == rss else "-")
    lines.append(t.render())
    lines.append("")
    for g in busy:
        lines.append("WARNING: machine busy: the %s baseline's wall time exceeds its CPU time by "
                     "over 20 %%: wall ratios of that group are unreliable in this run; compare "
                     "CPU ratios." % (g,))
    for (g, label), (wall, cpu, rw, rc, events) in summary.items():
        if g[0] == "window" and label == "ours, gcc, parallelism 1":
            rate = events / cpu if cpu > 0 else float("nan")
            lines.append("target windowed join K=%d gcc >= %s events/s per core: %s (%s per core, "
                         "%s wall)" % (g[1], fmt_rate(PER_CORE_TARGET),
                                       "met" if rate >= PER_CORE_TARGET else "MISSED",
                                       fmt_rate(rate), fmt_rate(events / wall)))
    for (g, label), (wall, cpu, rw, rc, events) in summary.items():
        for be, target in (("gcc", GCC_TARGET_RATIO), ("tcc", TCC_TARGET_RATIO)):
            if label == "ours, %s, parallelism 1" % be:
                name = "%s K=%d" % (g[0], g[1]) if g[0] == "window" else "updating " + g[0]
                lines.append("target %s %s within %.0fx of baseline: %s (CPU %.2fx, wall %.2fx)"
                             % (name, be, target, "met" if rc <= target else "MISSED", rc, rw))
    lines.append("")


def memory(work, baseline, lines, failures):
    if "memory" not in GROUPS:
        return
    full, empty = 2 * MEM_KEYS, 2
    so_full = compile_sql(work, "memory_full", updating_sql(full, 1, ttl="1 day",
                                                           rkey_offset=10 ** 12), "gcc")
    so_empty = compile_sql(work, "memory_empty", updating_sql(empty, 1, ttl="1 day",
                                                             rkey_offset=10 ** 12), "gcc")
    worker = os.path.join(BIN, "arroyo-worker")
    variants = [(("mem", "ours"), "ours, gcc, %d rows per side" % MEM_KEYS, "full", [worker, so_full], full),
                (("mem", "ours"), "ours, gcc, 1 row per side (empty run)", "empty", [worker, so_empty], empty),
                (("mem", "base"), "baseline, %d rows per side" % MEM_KEYS, "full",
                 [baseline, "memory", str(full)], full),
                (("mem", "base"), "baseline, 1 row per side (empty run)", "empty",
                 [baseline, "memory", str(empty)], empty)]
    results, elapsed = interleaved(variants, RUNS, "memory")
    for i, v in enumerate(variants):
        for res in results[i]:
            if res.rc != 0:
                failures.append("memory / %s: exit %d\n%s" % (v[1], res.rc, res.err[-2000:]))
            elif rows_out(res) != 0:
                failures.append("memory / %s: %s output rows, expected 0" % (v[1], rows_out(res)))
    med = {}
    for i, v in enumerate(variants):
        ok = [x for x in results[i] if x.rc == 0]
        med[i] = (benchlib.median([x.maxrss_kb for x in ok]), benchlib.median([x.wall for x in ok]),
                  benchlib.median([x.cpu for x in ok]),
                  benchlib.median([state_kb(x, "join") or 0 for x in ok]) if v[0][1] == "ours" else None)
    lines.append("memory: updating join, %d live rows (%d per side, no matches), payload %d bytes "
                 "per row (k, a, b, c: BIGINT UNSIGNED); medians of %d interleaved runs, %.0f s"
                 % (full, MEM_KEYS, PAYLOAD, RUNS, elapsed))
    lines.append("")
    t = benchlib.Table(["variant", "live rows", "peak RSS", "wall s", "CPU s", "join state (summary)"],
                       right={1, 2, 3, 4, 5})
    for i, v in enumerate(variants):
        rss, wall, cpu, skb = med[i]
        t.add(v[1], v[4] if v[2] == "full" else 0, benchlib.fmt_kb(rss), "%.3f" % wall, "%.3f" % cpu,
              benchlib.fmt_kb(skb) if skb else "-")
    lines.append(t.render())
    lines.append("")
    for who, fi, ei in (("ours, gcc", 0, 1), ("baseline", 2, 3)):
        per_row = (med[fi][0] - med[ei][0]) * 1024.0 / full
        line = ("%s: (peak RSS - empty run) / live rows = %.1f bytes per live row = %.2fx the "
                "%d-byte payload" % (who, per_row, per_row / PAYLOAD, PAYLOAD))
        if med[fi][3]:
            st = med[fi][3] * 1024.0 / full
            line += " (state table %.1f bytes per row, the rest %.1f: row lists and heap)" % (st, per_row - st)
        lines.append(line)
        if who == "ours, gcc":
            lines.append("target memory per live join row <= %.0fx payload (%d bytes): %s"
                         % (MEM_TARGET, MEM_TARGET * PAYLOAD,
                            "met" if per_row <= MEM_TARGET * PAYLOAD else "MISSED"))
    lines.append("")


def main():
    os.makedirs(WORK, exist_ok=True)
    benchlib.build_runstat(WORK)
    baseline = build_baseline(WORK)
    code = snapshot_bin(WORK)
    lines = ["join: %s, %s; load average %s before" % (time.strftime("%Y-%m-%d %H:%M"), machine(), loadavg()),
             "code: " + code] + (["before: binaries and runtime/abi.h from " + BEFORE] if BEFORE else []) + [
             "events: windowed %d, updating %d (both sources together)" % (ROWS, UPD_ROWS), ""]
    failures = []
    throughput(WORK, baseline, lines, failures)
    memory(WORK, baseline, lines, failures)
    lines.append("load average after: %s" % loadavg())
    report = "\n".join(lines)
    benchlib.publish(report)
    if failures:
        print("\nFAILED:\n" + "\n".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
