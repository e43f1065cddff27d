#!/usr/bin/env python3
"""bench/filter_project/profile.py: instructions per row, by function, under callgrind.

Run after bench.py (it reuses its scratch directory: baseline, probe, compiled .so files are
rebuilt here at a smaller size). Needs valgrind. Prints one table per variant: the functions
with >= 1% of the instructions, as instructions per input row. Instruction counts are exact
and do not depend on machine load, which makes them the stable complement of the noisy
timings; they do not show cache misses, syscalls' cost or waiting.

Caveat: valgrind counts one instruction per byte for `rep stosb`/`rep movsb`, so memset/memcpy
of large blocks look far more expensive than they are (impulse's batch memset: 40 "instructions"
per 40-byte row, about one cycle in reality).

Environment: PROFILE_ROWS (impulse rows, 2000000), PROFILE_JSON_ROWS (200000), BENCH_WORK.
"""
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WORK = os.environ.get("BENCH_WORK") or os.path.join(
    os.environ.get("TMPDIR", "/tmp"), "arroyo-bench", "filter_project")
ROWS = int(os.environ.get("PROFILE_ROWS", "2000000"))
JSON_ROWS = int(os.environ.get("PROFILE_JSON_ROWS", "200000"))
BIN = os.path.join(ROOT, "bin")


def sh(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def sql(template, name, subst):
    text = open(os.path.join(HERE, template)).read()
    for k, v in subst.items():
        text = text.replace("$" + k, v)
    path = os.path.join(WORK, name)
    open(path, "w").write(text)
    return path


LINE_RE = re.compile(r"^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*)$")


def profile(name, cmd, rows):
    out = os.path.join(WORK, "callgrind.%s" % re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_"))
    r = sh(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out] + cmd)
    if r.returncode != 0:
        print("%s: callgrind run failed:\n%s" % (name, r.stderr[-2000:]))
        return
    ann = sh(["callgrind_annotate", "--auto=no", "--threshold=99", out]).stdout
    total = None
    funcs = []
    for line in ann.splitlines():
        m = LINE_RE.match(line)
        if not m:
            continue
        n = int(m.group(1).replace(",", ""))
        what = m.group(2)
        if "PROGRAM TOTALS" in what:
            total = n
        elif total is not None and not what.startswith("*"):
            # "file:function [object]" -> "function (object basename)"
            fm = re.match(r"(.*?):([^:\[]+?)(?: \[(.*)\])?$", what)
            fn, obj = (fm.group(2).strip(), os.path.basename(fm.group(3) or "")) if fm else (what, "")
            funcs.append((n, fn, obj))
    print("%s: %.1f instructions per input row (%d rows)" % (name, total / rows, rows))
    for n, fn, obj in funcs:
        if n * 100 >= total:
            print("  %8.1f  %s (%s)" % (n / rows, fn, obj or "inlined from a header"))
    print()


def main():
    if not shutil.which("valgrind"):
        print("profile.py: valgrind not installed; skipped")
        return 0
    os.makedirs(WORK, exist_ok=True)
    baseline, probe = os.path.join(WORK, "baseline"), os.path.join(WORK, "probe")
    if not os.path.exists(baseline):
        print("profile.py: run bench/filter_project/run.sh first (it builds %s)" % baseline)
        return 1
    orders = os.path.join(WORK, "orders-profile-%d.json" % JSON_ROWS)
    if not os.path.exists(orders):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_json.py"), str(JSON_ROWS), orders],
                       check=True)
    q_imp = sql("query_impulse.sql", "profile_impulse.sql", {"rows": str(ROWS)})
    q_json = sql("query_json.sql", "profile_json.sql", {"path": orders})
    so = {}
    for q, path in (("impulse", q_imp), ("json", q_json)):
        for be in ("tcc", "gcc"):
            so[(q, be)] = os.path.join(WORK, "profile_%s_%s.so" % (q, be))
            r = sh([os.path.join(BIN, "arroyo-compile"), path, "-o", so[(q, be)], "--backend", be])
            if r.returncode != 0:
                print(r.stderr)
                return 1
    worker = os.path.join(BIN, "arroyo-worker")
    profile("impulse baseline", [baseline, "impulse", str(ROWS)], ROWS)
    profile("impulse ours gcc (worker)", [worker, so[("impulse", "gcc")]], ROWS)
    profile("impulse ours tcc (worker)", [worker, so[("impulse", "tcc")]], ROWS)
    if os.path.exists(probe):
        profile("impulse gcc code, probe driver (1 thread, 3-instruction emit)",
                [probe, "driver", so[("impulse", "gcc")], str(ROWS)], ROWS)
    profile("json baseline", [baseline, "json", orders], JSON_ROWS)
    profile("json ours gcc (worker)", [worker, so[("json", "gcc")]], JSON_ROWS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
