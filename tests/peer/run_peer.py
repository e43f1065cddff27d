#!/usr/bin/env python3
"""tests/peer/run_peer.py: run an Arroyo-style SQL test suite against bin/arroyo-compile and
bin/arroyo-worker, and compare the outputs with the suite's goldens.

Runs the peer suite (../shared/peer-tests/arroyo, the default) and our own golden tests
(tests/golden, with --suite). Both use the same layout, described in the peer suite's README:

  queries/<name>.sql          one SQL script per test; the FIRST line may be a directive:
                              --fail=<text> / --fail   planning or the run must fail, and stderr
                                                       must contain <text>
                              --pk=<col>[,<col>...]    primary key for debezium comparison
  inputs/*.json               source data; the script names it as '$input_dir/<file>'
  golden_outputs/<name>.json  expected sink output (JSON lines)

For each test: $input_dir (absolute path of inputs/ with a trailing '/') and then $output_path
(a scratch file under tests/out/<label>/<backend>/) are substituted, the script is compiled
with bin/arroyo-compile (--udf for every tests/udfs/*.c, --backend tcc|gcc) and run with
bin/arroyo-worker under a timeout. The output is compared with the golden using the README's
"Comparison semantics" (see compare_outputs below). Extension used by our golden tests only: a
script that never mentions $output_path is compared on the worker's stdout instead (plain
SELECT scripts, whose rows go to stdout). Another: each "-- stderr: <text>" line of a script
names a text the worker's stderr must contain in a plain run at parallelism 1 (e.g. a sink's
summary counts); other modes do not check it.

Optional checks used for tests/golden (off for the peer suite, whose README does not ask them):
  --check-determinism  compile each passing-kind test twice with --emit-c; the C must be
                       byte-identical.
  --check-contracts    a failed compile must print "QUERY.sql:LINE:COL: error: ..." and must
                       not write the -o file.
  <suite>/errors/*.sql multi-case files of bad queries with expected "LINE:COL: error: ..."
                       prefixes (format in tests/golden/README.md), checked whenever present.

With --expected FILE, only the tests listed there count as failures when they fail (the rest are
reported as "not expected yet"); an unlisted test that passes is reported with a note to list
it. The closing line is "N passed, M failed" (N = passing runs, M = counted failures); the exit
status is 1 when M > 0.

Python 3 standard library only.
"""

import argparse
import collections
import concurrent.futures
import glob
import json
import os
import shutil
import re
import signal
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DEFAULT_SUITE = os.path.join(ROOT, "..", "shared", "peer-tests", "arroyo")


# ---- comparison (the peer README's "Comparison semantics") ----------------------------------

class CompareError(Exception):
    """An output or golden file that cannot be compared: not JSON, not an object, a broken
    debezium invariant. The message says which file and line."""


def parse_json_lines(text, what):
    """Parse JSON lines into a list of dicts. Every line must be a JSON object; a final newline
    is allowed (str.splitlines drops it)."""
    rows = []
    for i, line in enumerate(text.splitlines(), 1):
        try:
            v = json.loads(line)
        except ValueError as e:
            raise CompareError("%s line %d: not JSON (%s): %s" % (what, i, e, shorten(line)))
        if not isinstance(v, dict):
            raise CompareError("%s line %d: not a JSON object: %s" % (what, i, shorten(line)))
        rows.append(v)
    return rows


def json_equal(a, b):
    """Strict JSON value equality with serde_json's semantics: an integer never equals a float
    (1 != 1.0), booleans are not numbers, floats compare exactly as parsed f64, object key order
    is irrelevant and a missing key differs from null."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, int) or isinstance(b, int):
        return isinstance(a, int) and isinstance(b, int) and a == b
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, float) and isinstance(b, float) and a == b
    if isinstance(a, dict) or isinstance(b, dict):
        if not (isinstance(a, dict) and isinstance(b, dict)) or a.keys() != b.keys():
            return False
        return all(json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) or isinstance(b, list):
        if not (isinstance(a, list) and isinstance(b, list)) or len(a) != len(b):
            return False
        return all(json_equal(x, y) for x, y in zip(a, b))
    return a == b  # str / None


def _normalize(v):
    # -0.0 == 0.0 as f64, so both must get the same canonical text.
    if isinstance(v, float) and v == 0.0:
        return 0.0
    if isinstance(v, dict):
        return {k: _normalize(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_normalize(x) for x in v]
    return v


def canonical(v):
    """Canonical text of a JSON value: keys sorted (at every level), compact separators. Two
    values have the same canonical text exactly when json_equal holds (Python's json keeps
    1 and 1.0 apart and prints floats in shortest round-trip form)."""
    return json.dumps(_normalize(v), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def is_debezium(rows):
    """Debezium mode iff the FIRST output line has a string member "op"."""
    return bool(rows) and isinstance(rows[0].get("op"), str)


_MISSING = object()


def row_key(row, pk):
    """Replay key: the --pk column values (JSON-serialized), or the whole row (canonical)."""
    if not pk:
        return canonical(row)
    return "\x1f".join("<missing>" if row.get(c, _MISSING) is _MISSING else canonical(row[c])
                       for c in pk)


def replay(rows, pk, what, ordered=True):
    """Replay debezium records into key -> row and return the final rows. Raises CompareError
    on an unknown op or a broken invariant (c: key absent; u: before's key present, after's key
    absent once before is removed; d: before's key present).

    ordered=False is for runs at parallelism > 1: the changes of one --pk key can then come
    from different subtasks whose outputs interleave in any order (e.g. an outer join's padded
    row retracted by the subtask of its old join key while the subtask of the new key pads it
    again), so a key may hold several rows for a while. Then each key holds a multiset of rows;
    a retraction must find its exact row; and at the end every key holds at most one row."""
    if not ordered:
        return replay_unordered(rows, pk, what)
    state = {}

    def image(r, field, i):
        return debezium_image(r, field, i, what)

    for i, r in enumerate(rows, 1):
        op = r.get("op")
        if op == "c":
            after = image(r, "after", i)
            k = row_key(after, pk)
            if k in state:
                raise CompareError("%s line %d: op c inserts key %s, which already exists"
                                   % (what, i, shorten(k)))
            state[k] = after
        elif op == "u":
            before, after = image(r, "before", i), image(r, "after", i)
            k = row_key(before, pk)
            if k not in state:
                raise CompareError("%s line %d: op u removes key %s, which does not exist"
                                   % (what, i, shorten(k)))
            del state[k]
            k2 = row_key(after, pk)
            if k2 in state:
                raise CompareError("%s line %d: op u inserts key %s, which already exists"
                                   % (what, i, shorten(k2)))
            state[k2] = after
        elif op == "d":
            before = image(r, "before", i)
            k = row_key(before, pk)
            if k not in state:
                raise CompareError("%s line %d: op d removes key %s, which does not exist"
                                   % (what, i, shorten(k)))
            del state[k]
        else:
            raise CompareError("%s line %d: unknown op %s" % (what, i, json.dumps(op)))
    return list(state.values())


def debezium_image(r, field, i, what):
    """The `before` / `after` object of debezium record r (line i), or CompareError."""
    v = r.get(field)
    if not isinstance(v, dict):
        raise CompareError("%s line %d: op %r needs an object in %r, got %s"
                           % (what, i, r.get("op"), field, shorten(json.dumps(v))))
    return v


def replay_unordered(rows, pk, what):
    """replay() for outputs of several subtasks: key -> multiset of rows (see replay)."""
    state = collections.defaultdict(collections.Counter)
    image_of = {}

    def remove(before, i, op):
        k, c = row_key(before, pk), canonical(before)
        if state[k][c] <= 0:
            raise CompareError("%s line %d: op %s removes row %s, which is not there"
                               % (what, i, op, shorten(c)))
        state[k][c] -= 1

    def insert(after):
        c = canonical(after)
        state[row_key(after, pk)][c] += 1
        image_of[c] = after

    for i, r in enumerate(rows, 1):
        op = r.get("op")
        if op == "c":
            insert(debezium_image(r, "after", i, what))
        elif op == "u":
            remove(debezium_image(r, "before", i, what), i, op)
            insert(debezium_image(r, "after", i, what))
        elif op == "d":
            remove(debezium_image(r, "before", i, what), i, op)
        else:
            raise CompareError("%s line %d: unknown op %s" % (what, i, json.dumps(op)))
    final = []
    for k, rows_of_key in state.items():
        live = [c for c, n in rows_of_key.items() for _ in range(n)]
        if len(live) > 1:
            raise CompareError("%s: key %s holds %d rows in the final state, e.g. %s"
                               % (what, shorten(k), len(live), shorten(live[0])))
        final.extend(image_of[c] for c in live)
    return final


def multiset_diff(got, want, limit=5):
    """Lines describing rows only in `got` (+) and only in `want` (-), at most `limit` each."""
    g = collections.Counter(canonical(r) for r in got)
    w = collections.Counter(canonical(r) for r in want)
    out = []
    extra = sorted((g - w).elements())
    missing = sorted((w - g).elements())
    for s in extra[:limit]:
        out.append("  + " + shorten(s, 200))
    if len(extra) > limit:
        out.append("  + ... %d more unexpected rows" % (len(extra) - limit))
    for s in missing[:limit]:
        out.append("  - " + shorten(s, 200))
    if len(missing) > limit:
        out.append("  - ... %d more missing rows" % (len(missing) - limit))
    return out


def compare_rows(got, want):
    """Multiset equality: equal counts, then rows sorted by canonical text compared pairwise
    with json_equal. Returns None when equal, else a short reason naming one row on each side
    that has no partner."""
    if len(got) != len(want):
        reason = "%d rows, golden has %d" % (len(got), len(want))
    else:
        gs, ws = sorted(got, key=canonical), sorted(want, key=canonical)
        if all(json_equal(g, w) for g, w in zip(gs, ws)):
            return None
        reason = "rows differ"
    g = collections.Counter(canonical(r) for r in got)
    w = collections.Counter(canonical(r) for r in want)
    extra, missing = sorted((g - w).elements()), sorted((w - g).elements())
    if extra:
        reason += "; %d not in golden, e.g. %s" % (len(extra), shorten(extra[0], 120))
    if missing:
        reason += "; %d missing, e.g. %s" % (len(missing), shorten(missing[0], 120))
    return reason


def compare_outputs(out_text, golden_text, pk=None, ordered=True):
    """Compare an output file's text with a golden's. Returns (ok, reason, diff_lines):
    reason is a short explanation of a failure, diff_lines a multiset diff for --verbose.
    ordered=False: the output came from several subtasks (replay's unordered mode)."""
    try:
        got = parse_json_lines(out_text, "output")
        if not got:
            return False, "empty output", []
        want = parse_json_lines(golden_text, "golden")
        if is_debezium(got):
            got_final = replay(got, pk, "output", ordered)
            want_final = replay(want, pk, "golden")
            reason = compare_rows(got_final, want_final)
            if reason:
                return False, "debezium final state: " + reason, multiset_diff(got_final, want_final)
            return True, "", []
        reason = compare_rows(got, want)
        if reason:
            return False, reason, multiset_diff(got, want)
        return True, "", []
    except CompareError as e:
        return False, str(e), []


def shorten(s, n=160):
    s = s.replace("\n", "\\n")
    return s if len(s) <= n else s[:n - 3] + "..."


# ---- test discovery ------------------------------------------------------------------------

class Test:
    def __init__(self, name, sql_path, suite):
        self.name = name
        self.sql_path = sql_path
        with open(sql_path, encoding="utf-8") as f:
            self.sql = f.read()
        self.fail_text, self.pk = parse_directive(self.sql)
        self.golden = os.path.join(suite, "golden_outputs", name + ".json")
        self.missing_inputs = sorted(
            f for f in set(re.findall(r"\$input_dir/*([A-Za-z0-9_.\-/]+)", self.sql))
            if not os.path.exists(os.path.join(suite, "inputs", f)))
        self.uses_stdout = "$output_path" not in self.sql
        # our extension: "-- stderr: <text>" lines in the script; a plain run at parallelism 1
        # must print each <text> on the worker's stderr (e.g. a sink's summary counts)
        self.stderr_texts = [m.strip() for m in re.findall(r"^-- stderr: (.+)$", self.sql, re.M)]
        self.suite = suite

    def input_files(self):
        """The input files the script reads (for sizing checkpoint-mode stops)."""
        names = set(re.findall(r"\$input_dir/*([A-Za-z0-9_.\-/]+)", self.sql))
        return [os.path.join(self.suite, "inputs", f) for f in sorted(names)
                if os.path.exists(os.path.join(self.suite, "inputs", f))]


def parse_directive(sql):
    """First-line directive -> (fail_text or None, pk list or None). A bare --fail gives ""."""
    first = sql.split("\n", 1)[0].rstrip()
    if first.startswith("--fail"):
        rest = first[len("--fail"):]
        if rest.startswith("="):
            return rest[1:], None
        if rest.strip() == "":
            return "", None
    if first.startswith("--pk="):
        cols = [c.strip() for c in first[len("--pk="):].split(",") if c.strip()]
        return None, cols or None
    return None, None


def parse_error_cases(path):
    """A multi-case file: each case starts with a line "-- case NAME: EXPECTED" and its SQL is
    every line up to the next case header; line 1 is the line right after the header."""
    cases, cur = [], None
    with open(path, encoding="utf-8") as f:
        for line in f.read().splitlines():
            m = re.match(r"^-- case ([A-Za-z0-9_]+): (.+)$", line)
            if m:
                cur = [m.group(1), m.group(2).rstrip(), []]
                cases.append(cur)
            elif cur is not None:
                cur[2].append(line)
    names = [c[0] for c in cases]
    dups = {n for n in names if names.count(n) > 1}
    if dups:
        raise SystemExit("%s: duplicate case names: %s" % (path, ", ".join(sorted(dups))))
    return [(n, exp, "\n".join(lines).rstrip("\n") + "\n") for n, exp, lines in cases]


# ---- running -------------------------------------------------------------------------------

def run_cmd(argv, timeout, cwd=ROOT):
    """Run argv with no stdin; returns (exit status or None on timeout, stdout, stderr). On a
    timeout the whole process group is killed."""
    try:
        p = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, start_new_session=True)
    except OSError as e:
        return 127, "", "cannot run %s: %s (build it with make)\n" % (argv[0], e.strerror)
    try:
        out, err = p.communicate(timeout=timeout)
        rc = p.returncode
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = p.communicate()
        rc = None
    return rc, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def describe_exit(rc, timeout):
    if rc is None:
        return "timed out after %gs" % timeout
    if rc < 0:
        try:
            return "killed by %s" % signal.Signals(-rc).name
        except ValueError:
            return "killed by signal %d" % -rc
    return "exit %d" % rc


def first_line(text):
    for line in text.splitlines():
        if line.strip():
            return shorten(line.strip(), 200)
    return "(no output)"


def tail(text, n=15):
    lines = text.rstrip().splitlines()
    return ["    | " + l for l in lines[-n:]]


class Result:
    def __init__(self, label, status, reason="", details=None):
        self.label = label          # "name" or "name[gcc]"
        self.status = status        # "PASS", "FAIL", "SKIP"
        self.reason = reason
        self.details = details or []


class Runner:
    def __init__(self, args):
        self.args = args
        self.suite = os.path.abspath(args.suite)
        self.bin = os.path.join(ROOT, args.bin) if not os.path.isabs(args.bin) else args.bin
        self.compile_bin = os.path.join(self.bin, "arroyo-compile")
        self.worker_bin = os.path.join(self.bin, "arroyo-worker")
        self.out_root = os.path.join(ROOT, "tests", "out", args.label +
                                     ("" if args.parallelism == 1 else "-p%d" % args.parallelism))
        self.udfs = sorted(glob.glob(os.path.join(ROOT, "tests", "udfs", "*.c")))
        self.input_dir = os.path.join(self.suite, "inputs") + "/"

    def rel(self, path):
        """Paths handed to the tools are relative to the repo root (their cwd) when inside it,
        so diagnostics stay short."""
        r = os.path.relpath(path, ROOT)
        return path if r.startswith("..") else r

    def compile(self, sql_path, so_path, backend, emit_c=None):
        argv = [self.compile_bin, self.rel(sql_path), "-o", self.rel(so_path),
                "--backend", backend]
        for u in self.udfs:
            argv += ["--udf", self.rel(u)]
        if emit_c:
            argv += ["--emit-c", self.rel(emit_c)]
        return run_cmd(argv, self.args.timeout)

    def contract_problem(self, sql_path, so_path, stderr):
        """--check-contracts: what a failed compile must look like."""
        if os.path.exists(so_path):
            return "compile failed but wrote %s" % self.rel(so_path)
        pat = re.compile(r"^%s:\d+:\d+: error: " % re.escape(self.rel(sql_path)), re.M)
        if not pat.search(stderr):
            return "compile error not in the form %s:LINE:COL: error: ... (got: %s)" % (
                self.rel(sql_path), first_line(stderr))
        return None

    def run_checkpointed(self, test, so_path, base):
        ckdir = base + ".ckpt"
        shutil.rmtree(ckdir, ignore_errors=True)
        rows = 0
        for path in test.input_files():
            with open(path, "rb") as f:
                rows += sum(1 for _ in f)
        step = max(1, rows // 3)
        plan = [(1, step), (1 if test.pk else 2, step), (1 if test.pk else 3, None)]
        errs = []
        for i, (par, stop) in enumerate(plan):
            argv = [self.worker_bin, self.rel(so_path), "--parallelism", str(par),
                    "--checkpoint-dir", self.rel(ckdir), "--checkpoint-interval", "1h"]
            if i > 0:
                argv.append("--restore")
            if stop is not None:
                argv += ["--stop-after", str(stop)]
            rc, wout, werr = run_cmd(argv, self.args.timeout)
            errs.append("run %d (p=%d%s): %s" % (i + 1, par, ", stop after %d rows" % stop if stop else "",
                                                 first_line(werr)))
            if rc != 0:
                return rc, wout, "\n".join(errs) + "\n" + werr
        return 0, wout, "\n".join(errs)

    def run_test(self, test, backend, first_backend):
        label = test.name if len(self.args.backends) == 1 else "%s[%s]" % (test.name, backend)
        if test.missing_inputs:
            return Result(label, "SKIP", "input %s missing" % ", ".join(test.missing_inputs))
        if test.fail_text is None and not os.path.exists(test.golden):
            return Result(label, "FAIL", "golden %s missing" % self.rel(test.golden))
        d = os.path.join(self.out_root, backend)
        os.makedirs(d, exist_ok=True)
        base = os.path.join(d, test.name)
        sql_path, so_path, out_path = base + ".sql", base + ".so", base + ".json"
        c_path = base + ".c"
        for p in (so_path, out_path, c_path, base + ".2.so", base + ".2.c"):
            if os.path.exists(p):
                os.remove(p)
        sql = test.sql.replace("$input_dir", self.input_dir).replace("$output_path", out_path)
        with open(sql_path, "w", encoding="utf-8") as f:
            f.write(sql)

        want_c = self.args.check_determinism and test.fail_text is None and first_backend
        rc, _, cerr = self.compile(sql_path, so_path, backend, c_path if want_c else None)
        if rc != 0:
            if test.fail_text is not None:
                if rc is None or rc < 0 or rc == 127:
                    return Result(label, "FAIL", "compile %s (a crash or timeout is not an "
                                  "expected failure)" % describe_exit(rc, self.args.timeout),
                                  tail(cerr))
                if test.fail_text not in cerr:
                    return Result(label, "FAIL", "compile failed without %r: %s"
                                  % (test.fail_text, first_line(cerr)), tail(cerr))
                if self.args.check_contracts:
                    prob = self.contract_problem(sql_path, so_path, cerr)
                    if prob:
                        return Result(label, "FAIL", prob, tail(cerr))
                return Result(label, "PASS", "compile failed as expected")
            return Result(label, "FAIL", "compile %s: %s" % (describe_exit(rc, self.args.timeout),
                                                             first_line(cerr)), tail(cerr))
        if not os.path.exists(so_path):
            return Result(label, "FAIL", "compile exited 0 but wrote no %s" % self.rel(so_path))

        if want_c:
            if not os.path.exists(c_path) or os.path.getsize(c_path) == 0:
                return Result(label, "FAIL", "--emit-c wrote no C to %s" % self.rel(c_path))
            rc2, _, cerr2 = self.compile(sql_path, base + ".2.so", backend, base + ".2.c")
            if rc2 != 0:
                return Result(label, "FAIL", "second compile %s: %s"
                              % (describe_exit(rc2, self.args.timeout), first_line(cerr2)))
            with open(c_path, "rb") as f1, open(base + ".2.c", "rb") as f2:
                if f1.read() != f2.read():
                    return Result(label, "FAIL", "generated C differs between two compiles: "
                                  "diff %s %s" % (self.rel(c_path), self.rel(base + ".2.c")))

        wargv = [self.worker_bin, self.rel(so_path)]
        if self.args.parallelism != 1:
            wargv += ["--parallelism", str(self.args.parallelism)]
        if self.args.checkpoints and test.fail_text is None and not test.uses_stdout:
            # The peer README's mode (b): run with checkpoints, stop, restore at parallelism 2,
            # stop again, restore at parallelism 3 and run to the end (no parallelism changes
            # when --pk is set). The sink is truncated back to each checkpoint on restore, so
            # the final file must still equal the golden.
            rc, wout, werr = self.run_checkpointed(test, so_path, base)
        else:
            rc, wout, werr = run_cmd(wargv, self.args.timeout)
        if test.fail_text is not None:
            if rc == 0:
                return Result(label, "FAIL", "expected failure containing %r, but compile and "
                              "run succeeded" % test.fail_text)
            if rc is None or rc < 0:
                return Result(label, "FAIL", "worker %s (a crash or timeout is not an expected "
                              "failure)" % describe_exit(rc, self.args.timeout), tail(werr))
            if test.fail_text not in werr:
                return Result(label, "FAIL", "run failed (%s) without %r: %s"
                              % (describe_exit(rc, self.args.timeout), test.fail_text,
                                 first_line(werr)), tail(werr))
            return Result(label, "PASS", "run failed as expected")
        if rc != 0:
            return Result(label, "FAIL", "worker %s: %s" % (describe_exit(rc, self.args.timeout),
                                                            first_line(werr)), tail(werr))
        if test.uses_stdout:
            out_text = wout
            with open(out_path, "w", encoding="utf-8") as f:
                f.write(wout)
        elif not os.path.exists(out_path):
            return Result(label, "FAIL", "no output file %s" % self.rel(out_path))
        else:
            with open(out_path, encoding="utf-8", errors="replace") as f:
                out_text = f.read()
        with open(test.golden, encoding="utf-8") as f:
            golden_text = f.read()
        # at parallelism > 1 (also mode (b)'s restores at 2 and 3) one key's changes can come
        # from several subtasks: the debezium replay then checks the final state only
        ordered = self.args.parallelism == 1 and not self.args.checkpoints
        ok, reason, diff = compare_outputs(out_text, golden_text, test.pk, ordered)
        if ok and ordered:
            for want in test.stderr_texts:
                if want not in werr:
                    return Result(label, "FAIL", "worker stderr lacks %r" % want, tail(werr))
        if ok:
            return Result(label, "PASS")
        return Result(label, "FAIL", reason, diff)

    def run_error_case(self, file_label, name, expected, sql):
        label = "%s/%s" % (file_label, name)
        d = os.path.join(self.out_root, "errors")
        os.makedirs(d, exist_ok=True)
        sql_path, so_path = os.path.join(d, name + ".sql"), os.path.join(d, name + ".so")
        if os.path.exists(so_path):
            os.remove(so_path)
        with open(sql_path, "w", encoding="utf-8") as f:
            f.write(sql)
        rc, _, err = self.compile(sql_path, so_path, self.args.backends[0])
        want = "%s:%s" % (self.rel(sql_path), expected)
        if rc == 0:
            return Result(label, "FAIL", "compiled, expected %r" % want)
        if rc is None or rc < 0:
            return Result(label, "FAIL", "compile " + describe_exit(rc, self.args.timeout),
                          tail(err))
        if want not in err:
            return Result(label, "FAIL", "expected %r, got: %s" % (want, first_line(err)),
                          tail(err))
        if os.path.exists(so_path):
            return Result(label, "FAIL", "compile failed but wrote %s" % self.rel(so_path))
        return Result(label, "PASS")


# ---- main ----------------------------------------------------------------------------------

def read_expected(path):
    names = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                names.append(line)
    return names


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--suite", default=None,
                    help="suite directory (default: the peer suite, ../shared/peer-tests/arroyo)")
    ap.add_argument("--label", default=None,
                    help="name for messages and tests/out/<label>/ (default: peer, or the "
                         "suite directory's name)")
    ap.add_argument("--only", nargs="+", metavar="NAME", help="run only these tests")
    ap.add_argument("--backend", default="tcc", choices=["tcc", "gcc", "both"])
    ap.add_argument("--expected", metavar="FILE",
                    help="only the tests listed here count as failures when they fail")
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="on failure show stderr tails and the first differing rows")
    ap.add_argument("--bin", default=os.environ.get("BIN", "bin"),
                    help="directory of arroyo-compile and arroyo-worker (default $BIN or bin)")
    ap.add_argument("--timeout", type=float, default=60.0,
                    help="seconds allowed for each compile and each run (default 60)")
    ap.add_argument("--jobs", "-j", type=int, default=1, help="tests run in parallel")
    ap.add_argument("--parallelism", "-p", type=int, default=1,
                    help="run the worker with --parallelism N (default 1)")
    ap.add_argument("--checkpoints", action="store_true",
                    help="the peer README's mode (b): checkpoint, stop, restore at parallelism 2, "
                         "stop, restore at 3, run to the end")
    ap.add_argument("--check-determinism", action="store_true",
                    help="compile twice with --emit-c and require byte-identical C")
    ap.add_argument("--check-contracts", action="store_true",
                    help="a failed compile must print FILE:LINE:COL: error: and write no -o")
    args = ap.parse_args(argv)

    if args.suite is None:
        args.suite = DEFAULT_SUITE
        args.label = args.label or "peer"
    args.label = args.label or os.path.basename(os.path.normpath(args.suite))
    args.backends = ["tcc", "gcc"] if args.backend == "both" else [args.backend]

    qdir = os.path.join(args.suite, "queries")
    if not os.path.isdir(qdir):
        print("%s: no queries/ directory in %s" % (args.label, args.suite), file=sys.stderr)
        return 2
    all_names = sorted(os.path.splitext(os.path.basename(p))[0]
                       for p in glob.glob(os.path.join(qdir, "*.sql")))
    names = all_names
    if args.only:
        unknown = [n for n in args.only if n not in all_names]
        if unknown:
            print("%s: unknown test(s): %s" % (args.label, " ".join(unknown)), file=sys.stderr)
            return 2
        names = [n for n in all_names if n in args.only]
    expected = None
    bad_expected = []
    if args.expected:
        expected = set(read_expected(args.expected))
        bad_expected = sorted(n for n in expected if n not in all_names)

    runner = Runner(args)
    tests = [Test(n, os.path.join(qdir, n + ".sql"), args.suite) for n in names]
    tasks = [(t, b, i == 0) for t in tests for i, b in enumerate(args.backends)]
    error_files = [] if args.only else sorted(glob.glob(os.path.join(args.suite, "errors", "*.sql")))

    passed = failed = skipped = xfail = 0
    notes = []

    def report(res, counts):
        tag = res.status
        if res.status == "FAIL" and not counts:
            tag = "XFAIL"
        line = "%-5s %s" % (tag, res.label)
        if res.reason:
            line += ": " + res.reason
        if tag == "XFAIL":
            line += " (not expected to pass yet)"
        print(line, flush=True)
        if res.status == "FAIL" and counts and args.verbose:
            for d in res.details:
                print(d)

    def run_task(task):
        t, b, first = task
        try:
            return runner.run_test(t, b, first)
        except Exception as e:  # a runner bug must not hide the other results
            return Result("%s[%s]" % (t.name, b), "FAIL", "runner error: %r" % e)

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as ex:
        for (t, b, _), res in zip(tasks, ex.map(run_task, tasks)):
            listed = expected is None or t.name in expected
            if res.status == "PASS":
                passed += 1
                note = "note: %s passes but is not in %s: add it" % (t.name, args.expected)
                if not listed and note not in notes:
                    notes.append(note)
                report(res, True)
            elif res.status == "SKIP":
                if expected is not None and t.name in expected:
                    failed += 1
                    res = Result(res.label, "FAIL", res.reason + " (but listed in %s)"
                                 % args.expected)
                    report(res, True)
                else:
                    skipped += 1
                    report(res, True)
            else:
                if listed:
                    failed += 1
                else:
                    xfail += 1
                report(res, listed)

    nerr = 0
    for path in error_files:
        flabel = "errors/" + os.path.splitext(os.path.basename(path))[0]
        for name, exp, sql in parse_error_cases(path):
            res = runner.run_error_case(flabel, name, exp, sql)
            nerr += 1
            if res.status == "PASS":
                passed += 1
            else:
                failed += 1
            report(res, True)

    for n in bad_expected:
        print("FAIL  %s: listed in %s but there is no such test" % (n, args.expected))
        failed += 1
    for n in notes:
        print(n)
    total = len(tasks) + nerr
    summary = "%s: %d/%d passed" % (args.label, passed, total)
    extras = []
    if skipped:
        extras.append("%d skipped" % skipped)
    if xfail:
        extras.append("%d failing but not expected to pass yet" % xfail)
    if extras:
        summary += " (" + ", ".join(extras) + ")"
    print(summary)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
