"""bench/lib/profiling.py: where a benchmark's time goes, for the bench/*/profile.py drivers.

- callgrind(workdir, name, cmd, rows, symbols): run cmd under valgrind's callgrind and print
  its instructions per input row by function (>= 1 % of the total). Exact and independent of
  load; blind to cache misses and waiting.
- perf(workdir, name, cmd): run cmd under `perf record` (cpu-clock) and print the share of
  samples per function, where cache misses show up.
- tcc_symbols(so, c_file, runtime_dir): address -> name for a tcc-built .so (tcc writes no
  symbol table), from a `tcc -shared -g` rebuild of the same C.

It prints measurements; it asserts nothing.
"""
import os
import re
import shutil
import subprocess


LINE_RE = re.compile(r"^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*)$")


def sh(cmd):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def tcc_symbols(so, c_file, runtime_dir):
    """tcc writes no symbol table into the .so; rebuild the emitted C with `tcc -shared -g`
    (same compiler, same input, hence the same layout) and map addresses to names."""
    if not shutil.which("tcc") or not os.path.exists(c_file):
        return {}
    dbg = so[:-3] + "_symbols.so"
    inc = os.environ.get("ARROYO_RUNTIME_DIR") or runtime_dir
    r = sh(["tcc", "-shared", "-g", "-I" + inc, "-o", dbg, c_file])
    if r.returncode != 0:
        return {}
    names = {}
    for line in sh(["nm", dbg]).stdout.splitlines():
        f = line.split()
        if len(f) == 3 and f[1] in "tT":
            names[int(f[0], 16)] = f[2]
    return names


def callgrind(workdir, name, cmd, rows, symbols=None):
    """Instructions per input row by function (>= 1 % of the total), printed; symbols maps
    addresses to names for code without a symbol table (tcc_symbols)."""
    out = os.path.join(workdir, "callgrind." + re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_"))
    r = sh(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out] + cmd)
    if r.returncode != 0:
        print("%s: callgrind run failed:\n%s" % (name, r.stderr[-2000:]))
        return
    ann = sh(["callgrind_annotate", "--auto=no", "--threshold=99", out]).stdout
    total, funcs = None, []
    for line in ann.splitlines():
        m = LINE_RE.match(line)
        if not m:
            continue
        n, what = int(m.group(1).replace(",", "")), m.group(2)
        if "PROGRAM TOTALS" in what:
            total = n
        elif total is not None and not what.startswith("*"):
            fm = re.match(r"(.*?):([^:\[]+?)(?: \[(.*)\])?$", what)
            fn, obj = (fm.group(2).strip(), os.path.basename(fm.group(3) or "")) if fm else (what, "")
            if symbols and re.match(r"^0x[0-9a-f]+$", fn) and int(fn, 16) in symbols:
                fn = symbols[int(fn, 16)] + " [by address]"
            funcs.append((n, fn, obj))
    if not total:
        print("%s: no totals from callgrind_annotate" % name)
        return
    print("%s: %.1f instructions per input event (%d events)" % (name, total / rows, rows))
    for n, fn, obj in funcs:
        if n * 100 >= total:
            print("  %9.1f  %s (%s)" % (n / rows, fn, obj or "inlined from a header"))
    print(flush=True)


def perf(workdir, name, cmd):
    """Share of cpu-clock samples per function (all threads, >= 1.5 %), printed."""
    data = os.path.join(workdir, "perf." + re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_"))
    r = sh(["perf", "record", "-q", "-e", "cpu-clock", "-F", "2000", "-o", data, "--"] + cmd)
    if r.returncode != 0:
        print("%s: perf record failed (perf_event_paranoid?):\n%s" % (name, r.stderr[-500:]))
        return
    rep = sh(["perf", "report", "-i", data, "--stdio", "--no-children", "--sort", "sym",
              "--percent-limit", "1.5"]).stdout
    print("%s: share of cpu-clock samples (all threads)" % name)
    for line in rep.splitlines():
        m = re.match(r"^\s+([\d.]+)%\s+\[([.k])\]\s+(.*)$", line)
        if m:
            print("  %5.1f %%  %s%s" % (float(m.group(1)), m.group(3).strip(),
                                        " (kernel)" if m.group(2) == "k" else ""))
    print(flush=True)
