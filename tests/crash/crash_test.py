#!/usr/bin/env python3
"""tests/crash/crash_test.py: exactly-once under crashes. The worker is killed with SIGKILL at
random moments (some of them while a checkpoint is being written), restored from its newest
complete checkpoint each time, sometimes at another parallelism, until the job completes; its
output must then equal an uninterrupted run's: the same multiset of windowed rows and the same
final state of the updating (debezium) outputs, no row lost and none duplicated.

Parts (each prints PASS/FAIL lines; the last line is "N passed, M failed"):
  kills     a generated input (--rows lines, in event-time order, so no row is ever late and
            the result does not depend on where batches or stops fall) through one pipeline
            with three sinks: a 1-second tumble count per group (append-only JSON), an
            updating count per key (debezium), and an updating count over 50,000 keys
            whose HAVING is never true (no output; it makes every checkpoint carry a few MB
            of state, so that kills land while one is being written). Checkpoints every
            --interval; at least --kills SIGKILLs: random ones, then ones timed to land in the
            middle of the next checkpoint (after the previous one's log line, the interval and
            part of its duration) until one provably did (a ckpt-* directory without a
            manifest right after the kill). Each restart picks parallelism 1, 2 or 3 (the
            stateful stages move their state by key hash), or starts afresh when no checkpoint
            is complete yet.
  corrupt   after a run stopped with --stop-after (so two checkpoints exist), the newest
            checkpoint's state file is damaged (truncated; bytes flipped): --restore must warn,
            naming that file, fall back to the previous checkpoint, and still end with the
            right output.
  s3        the kills part, shorter, with the checkpoints in an S3 bucket on the test server
            (tests/s3/server.js, s3rver behind a SigV4-checking wrapper). Skipped with a
            message when node or the server is not installed (tests/s3/install.sh).
  nexmark   a bounded, unthrottled nexmark source (--nexmark-events events) through a
            100 ms tumble count (append-only JSON) and an updating aggregate (debezium),
            checkpointed every --interval, is stopped and restored at changing parallelism:
            1, SIGTERM (final checkpoint), 2, SIGKILL, 3, SIGTERM, 2, SIGKILL, then 3 to the
            end, each stop at a random moment. The nexmark subtasks share one stream of event
            numbers, so a restore at another parallelism must merge the old subtasks'
            positions (connectors/nexmark.c); the output must equal an uninterrupted run's
            at parallelism 1.

Usage: tests/crash/crash_test.py [--bin DIR] [--rows N] [--kills N] [--interval 200ms]
       [--seed N] [--parts kills,corrupt,s3,nexmark] [--nexmark-events N] [--keep]
Python 3 standard library only; the comparison logic is the peer runner's
(tests/peer/run_peer.py: compare_rows, replay).
"""

import argparse
import glob
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "peer"))
import run_peer  # noqa: E402  (comparison semantics of the peer README)

SQL = """
CREATE TABLE src (
  ts TIMESTAMP NOT NULL,
  k TEXT NOT NULL,
  g BIGINT NOT NULL,
  h BIGINT NOT NULL,
  v BIGINT NOT NULL,
  WATERMARK FOR ts
) WITH (connector = 'single_file', path = '{input}', format = 'json', type = 'source');
CREATE TABLE win_out WITH (connector = 'single_file', path = '{out}/win.json', format = 'json',
  type = 'sink');
CREATE TABLE upd_out (h BIGINT PRIMARY KEY, n BIGINT, s BIGINT) WITH (connector = 'single_file',
  path = '{out}/upd.json', format = 'debezium_json', type = 'sink');
CREATE TABLE big_out (k TEXT PRIMARY KEY, n BIGINT) WITH (connector = 'single_file',
  path = '{out}/big.json', format = 'debezium_json', type = 'sink');
INSERT INTO win_out SELECT window.start AS ws, g, n, s FROM (
  SELECT tumble(interval '1 second') AS window, g, count(*) AS n, sum(v) AS s FROM src GROUP BY 1, 2);
INSERT INTO upd_out SELECT h, count(*) AS n, sum(v) AS s FROM src GROUP BY h;
INSERT INTO big_out SELECT k, count(*) AS n FROM src GROUP BY k HAVING count(*) > 1000000;
"""

NEXMARK_SQL = """
CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '1000000', unthrottled = 'true',
  max_events = '{events}', base_time = '2023-01-01T00:00:00Z');
CREATE TABLE win_out WITH (connector = 'single_file', path = '{out}/win.json', format = 'json',
  type = 'sink');
CREATE TABLE upd_out (a BIGINT PRIMARY KEY, n BIGINT, s BIGINT, m BIGINT) WITH (
  connector = 'single_file', path = '{out}/upd.json', format = 'debezium_json', type = 'sink');
INSERT INTO win_out SELECT window.start AS ws, n, bids, people, s FROM (
  SELECT tumble(interval '100 millisecond') AS window, count(*) AS n, count(bid.price) AS bids,
         count(person.id) AS people, sum(bid.price) AS s FROM nexmark GROUP BY 1);
INSERT INTO upd_out SELECT bid.auction % 10 AS a, count(*) AS n, sum(bid.price) AS s,
  max(bid.bidder) AS m FROM nexmark WHERE bid IS NOT NULL GROUP BY 1;
"""
NEXMARK_OUTPUTS = (("win.json", None), ("upd.json", ["a"]))
# (parallelism, how the run ends): each run but the first restores the previous one's checkpoint
NEXMARK_RUNS = ((1, "term"), (2, "kill"), (3, "term"), (2, "kill"), (3, "end"))

BALLAST_KEYS = 50000      # keys of the updating count that is never output (checkpoint weight)
OUTPUTS = (("win.json", None), ("upd.json", ["h"]), ("big.json", ["k"]))


class Fail(Exception):
    pass


def log(msg):
    print(msg, flush=True)


def gen_input(path, rows):
    """rows JSON lines 1 ms apart in event time from 2024-01-01 (at most 86,400,000 rows, one
    day): k cycles through BALLAST_KEYS keys, g through 64, h through 100."""
    assert rows <= 86400000
    with open(path, "w") as f:
        chunk = []
        for i in range(rows):
            s = i // 1000
            chunk.append('{"ts":"2024-01-01T%02d:%02d:%02d.%03dZ","k":"k%d","g":%d,"h":%d,"v":%d}\n'
                         % (s // 3600, s // 60 % 60, s % 60, i % 1000, (i * 7919) % BALLAST_KEYS,
                            i % 64, i % 100, i))
            if len(chunk) == 10000:
                f.write("".join(chunk))
                chunk = []
        f.write("".join(chunk))


def compile_query(bindir, sql_path, so_path):
    r = subprocess.run([os.path.join(bindir, "arroyo-compile"), sql_path, "-o", so_path],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise Fail("compile failed: %s" % r.stderr.strip())


def read_rows(path):
    with open(path, encoding="utf-8") as f:
        return run_peer.parse_json_lines(f.read(), path)


_reference = {}


def final_rows(path, pk, what):
    """An output as compared: append-only rows as they are, debezium rows replayed into the
    final state (a broken invariant, e.g. a key inserted twice, raises CompareError)."""
    rows = read_rows(path)
    return run_peer.replay(rows, pk, what) if pk is not None else rows


def compare_outputs(got_dir, want_dir, outputs=OUTPUTS):
    """None when every output matches the reference run's, else the reason."""
    for name, pk in outputs:
        key = os.path.join(want_dir, name)
        try:
            if key not in _reference:
                _reference[key] = final_rows(key, pk, name + " (reference)")
            got = final_rows(os.path.join(got_dir, name), pk, name + " (crash run)")
        except run_peer.CompareError as e:
            return str(e)           # e.g. a key inserted twice: a duplicated row
        why = run_peer.compare_rows(got, _reference[key])
        if why:
            return "%s: %s" % (name, why)
    return None


def complete_epochs(ckdir):
    return sorted(int(m.group(1)) for d in glob.glob(os.path.join(ckdir, "ckpt-*"))
                  for m in [re.search(r"ckpt-(\d+)$", d)]
                  if m and os.path.exists(os.path.join(d, "manifest.json")))


def partial_checkpoints(ckdir):
    """Checkpoint directories with files but no manifest: ones that were being written."""
    return {d for d in glob.glob(os.path.join(ckdir, "ckpt-*"))
            if not os.path.exists(os.path.join(d, "manifest.json")) and os.listdir(d)}


class Job:
    """The worker runs of one kills scenario."""

    def __init__(self, args, so, ckurl, ckdir, env, tag):
        self.args, self.so, self.ckurl, self.ckdir, self.env, self.tag = \
            args, so, ckurl, ckdir, env, tag
        self.rng = random.Random(args.seed)
        self.kills = self.mid_write = self.runs = 0
        self.pars = []

    def has_checkpoint(self):
        if self.ckdir is not None:
            return bool(complete_epochs(self.ckdir))
        return self.ever_checkpointed

    def start(self, par):
        restore = self.runs > 0 and self.has_checkpoint()
        argv = [os.path.join(self.args.bin, "arroyo-worker"), self.so, "--parallelism", str(par),
                "--checkpoint-dir", self.ckurl, "--checkpoint-interval", self.args.interval,
                "--checkpoint-keep", "2"]
        if restore:
            argv.append("--restore")
        self.errpath = os.path.join(self.args.work, "%s-run%d.err" % (self.tag, self.runs))
        self.errf = open(self.errpath, "w")
        self.p = subprocess.Popen(argv, cwd=self.args.work, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=self.errf, env=self.env)
        self.t0 = time.monotonic()
        self.partial = partial_checkpoints(self.ckdir) if self.ckdir is not None else set()
        self.runs += 1
        self.pars.append(par)

    def stderr(self):
        with open(self.errpath, encoding="utf-8", errors="replace") as f:
            return f.read()

    def wait_until(self, deadline):
        """True when the run exited before the deadline (monotonic)."""
        while time.monotonic() < deadline:
            if self.p.poll() is not None:
                return True
            time.sleep(0.002)
        return self.p.poll() is not None

    def kill(self):
        self.p.send_signal(signal.SIGKILL)
        self.p.wait()
        self.errf.close()
        self.kills += 1
        if self.ckdir is not None and partial_checkpoints(self.ckdir) - self.partial:
            self.mid_write += 1

    def finished(self):
        self.errf.close()
        if self.p.returncode != 0:
            raise Fail("%s run %d (p=%d) exited %d: %s" % (self.tag, self.runs, self.pars[-1],
                                                          self.p.returncode,
                                                          self.stderr().strip()[-2000:]))
        if "checkpoint " in self.stderr():
            self.ever_checkpointed = True

    ever_checkpointed = False

    def run(self, want_kills, want_mid):
        """Kill runs until want_kills kills (and want_mid landed mid-write, when the store is a
        local directory), then let the last run complete."""
        while True:
            par = self.rng.choice([1, 2, 3])
            self.start(par)
            random_phase = self.kills < want_kills
            targeted = not random_phase and self.ckdir is not None and self.mid_write < want_mid \
                and self.kills < max(want_kills, 0) + 12
            if random_phase:
                delay = self.rng.uniform(0.1, 0.35)
                if self.wait_until(self.t0 + delay):
                    self.finished()
                    return
                self.kill()
                if "checkpoint " in self.stderr():
                    self.ever_checkpointed = True
            elif targeted:
                # land in the middle of a checkpoint: after a checkpoint's log line, wait the
                # interval plus part of that checkpoint's duration, then kill
                seen = 0
                while True:
                    if self.p.poll() is not None:
                        self.finished()
                        return
                    lines = re.findall(r"checkpoint (\d+): .*?, (\d+) ms", self.stderr())
                    if len(lines) > seen:
                        seen = len(lines)
                        ms = int(lines[-1][1])
                        t = time.monotonic() + self.interval_s + self.rng.uniform(0.1, 0.8) * ms / 1000
                        if self.wait_until(t):
                            self.finished()
                            return
                        self.kill()
                        break
                    if time.monotonic() - self.t0 > 20:
                        self.kill()
                        break
                    time.sleep(0.002)
            else:
                if not self.wait_until(self.t0 + 120):
                    self.kill()
                    raise Fail("%s: the last run did not finish in 120 s" % self.tag)
                self.finished()
                return


def parse_interval(s):
    m = re.fullmatch(r"(\d+)(ms|s)", s)
    if not m:
        raise SystemExit("--interval: use e.g. 200ms or 1s")
    return int(m.group(1)) / (1000.0 if m.group(2) == "ms" else 1.0)


# Jobs a kills scenario may start before it has its kills. A job that completes before enough
# kills is checked and followed by a fresh one, so a faster worker (each job shorter than the
# random kill delays) needs more jobs, not fewer kills: 5 was too few once the aggregates
# prefetched their lookups (9 kills in 5 jobs on an idle machine).
MAX_JOBS = 12


def kills_scenario(args, ref_dir, tag, ckurl, ckdir, env, want_kills, want_mid):
    """Jobs (each from scratch, each checked against the reference) until want_kills kills,
    want_mid of them during a checkpoint write, have happened: a job may complete first."""
    sql, so = os.path.join(args.work, tag + ".sql"), os.path.join(args.work, tag + ".so")
    out = os.path.join(args.work, tag)
    with open(sql, "w") as f:
        f.write(SQL.format(input=args.input, out=out))
    compile_query(args.bin, sql, so)
    kills = mid = runs = 0
    pars = []
    t0 = time.monotonic()
    for n in range(1, MAX_JOBS + 1):
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        url = ckurl + "/job%d" % n
        local = os.path.join(ckdir, "job%d" % n) if ckdir is not None else None
        job = Job(args, so, url, local, env, "%s-job%d" % (tag, n))
        job.rng = random.Random(args.seed * 7 + n)
        job.interval_s = parse_interval(args.interval)
        job.run(want_kills - kills, want_mid - mid)
        kills, mid, runs = kills + job.kills, mid + job.mid_write, runs + job.runs
        pars.append("".join(str(p) for p in job.pars))
        detail = "%d job%s, %d runs, %d SIGKILLs (%d during a checkpoint write), parallelism %s, " \
                 "%.1f s" % (n, "s" if n > 1 else "", runs, kills, mid, "/".join(pars),
                             time.monotonic() - t0)
        why = compare_outputs(out, ref_dir)
        if why:
            raise Fail("%s: job %d's output differs from the uninterrupted run (%s): %s"
                       % (tag, n, detail, why))
        if kills >= want_kills and mid >= want_mid:
            return detail
    raise Fail("%s: %d kills (%d during a checkpoint write) in %d jobs, wanted %d (%d); use more "
               "--rows" % (tag, kills, mid, MAX_JOBS, want_kills, want_mid))


def part_kills(args, ref_dir):
    ckdir = os.path.join(args.work, "kills.ck")
    shutil.rmtree(ckdir, ignore_errors=True)
    return kills_scenario(args, ref_dir, "kills", ckdir, ckdir, None, args.kills, 1)


def part_corrupt(args, ref_dir):
    details = []
    for how in ("truncate", "flip"):
        tag = "corrupt-" + how
        out = os.path.join(args.work, tag)
        ckdir = os.path.join(args.work, tag + ".ck")
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(ckdir, ignore_errors=True)
        os.makedirs(out)
        sql, so = os.path.join(args.work, tag + ".sql"), os.path.join(args.work, tag + ".so")
        with open(sql, "w") as f:
            f.write(SQL.format(input=args.input, out=out))
        compile_query(args.bin, sql, so)
        worker = os.path.join(args.bin, "arroyo-worker")
        base = [worker, so, "--checkpoint-dir", ckdir, "--checkpoint-keep", "5"]
        third = args.rows // 3
        for extra in (["--stop-after", str(third)], ["--restore", "--stop-after", str(third)]):
            r = subprocess.run(base + extra, capture_output=True, text=True, cwd=args.work)
            if r.returncode != 0:
                raise Fail("%s: %s exited %d: %s" % (tag, " ".join(extra), r.returncode,
                                                     r.stderr.strip()[-1500:]))
        epochs = complete_epochs(ckdir)
        if len(epochs) < 2:
            raise Fail("%s: expected two checkpoints, found %s" % (tag, epochs))
        newest = os.path.join(ckdir, "ckpt-%010d" % epochs[-1])
        files = sorted(f for f in os.listdir(newest) if f.startswith("stage-"))
        victim = os.path.join(newest, max(files, key=lambda f: os.path.getsize(os.path.join(newest, f))))
        size = os.path.getsize(victim)
        with open(victim, "r+b") as f:
            if how == "truncate":
                f.truncate(size // 2)
            else:
                f.seek(size // 2)
                b = f.read(4)
                f.seek(size // 2)
                f.write(bytes(x ^ 0xff for x in b))
        r = subprocess.run(base + ["--restore", "--parallelism", "2"], capture_output=True,
                           text=True, cwd=args.work)
        if r.returncode != 0:
            raise Fail("%s: the restore exited %d: %s" % (tag, r.returncode, r.stderr.strip()[-1500:]))
        name = os.path.basename(victim)
        warn = [l for l in r.stderr.splitlines() if "warning" in l and name in l and "ckpt-%010d" % epochs[-1] in l]
        if not warn:
            raise Fail("%s: no warning naming %s/%s: %s" % (tag, os.path.basename(newest), name,
                                                              r.stderr.strip()[-1500:]))
        if "restored checkpoint %d " % epochs[-2] not in r.stderr:
            raise Fail("%s: did not restore checkpoint %d: %s" % (tag, epochs[-2], r.stderr.strip()[-1500:]))
        why = compare_outputs(out, ref_dir)
        if why:
            raise Fail("%s: output differs from the uninterrupted run: %s" % (tag, why))
        details.append("%s: %s" % (how, warn[0].split("warning: ", 1)[-1][:160]))
    return "; ".join(details)


def part_nexmark(args):
    """The nexmark source stopped (SIGTERM, SIGKILL) and restored at changing parallelism."""
    worker = os.path.join(args.bin, "arroyo-worker")
    tag = "nexmark"
    ref, out = os.path.join(args.work, tag + "-ref"), os.path.join(args.work, tag)
    ckdir = os.path.join(args.work, tag + ".ck")
    for d in (ref, out, ckdir):
        shutil.rmtree(d, ignore_errors=True)
    os.makedirs(ref)
    os.makedirs(out)
    sos = {}
    for name, d in (("ref", ref), ("run", out)):
        sql, so = os.path.join(args.work, "%s-%s.sql" % (tag, name)), \
            os.path.join(args.work, "%s-%s.so" % (tag, name))
        with open(sql, "w") as f:
            f.write(NEXMARK_SQL.format(events=args.nexmark_events, out=d))
        compile_query(args.bin, sql, so)
        sos[name] = so
    t0 = time.monotonic()
    r = subprocess.run([worker, sos["ref"]], capture_output=True, text=True, cwd=args.work)
    if r.returncode != 0:
        raise Fail("%s: the reference run exited %d: %s" % (tag, r.returncode, r.stderr.strip()))
    ref_s = time.monotonic() - t0
    rng = random.Random(args.seed * 13 + 5)
    steps = []
    for i, (par, how) in enumerate(NEXMARK_RUNS):
        argv = [worker, sos["run"], "--parallelism", str(par), "--checkpoint-dir", ckdir,
                "--checkpoint-interval", args.interval, "--checkpoint-keep", "2"]
        if i > 0:
            argv.append("--restore")
        errpath = os.path.join(args.work, "%s-run%d.err" % (tag, i))
        with open(errpath, "w") as errf:
            p = subprocess.Popen(argv, cwd=args.work, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=errf)
            if how == "kill":
                # after this run's first checkpoint (so that the next restore starts from a
                # checkpoint taken at this parallelism), at a random moment of the next interval
                deadline = time.monotonic() + 20
                while p.poll() is None and time.monotonic() < deadline:
                    with open(errpath, encoding="utf-8", errors="replace") as f:
                        if re.search(r"^arroyo-worker: checkpoint \d+:", f.read(), re.M):
                            break
                    time.sleep(0.005)
                time.sleep(rng.uniform(0, 0.1))
            elif how == "term":
                # a random moment within a tenth of a reference run's time, so that four stops
                # leave work for the last run
                time.sleep(rng.uniform(0.05, 0.05 + ref_s / 10))
            if how != "end":
                if p.poll() is not None:
                    raise Fail("%s: run %d (p=%d) ended before its %s; use more --nexmark-events"
                               % (tag, i, par, how))
                p.send_signal(signal.SIGTERM if how == "term" else signal.SIGKILL)
            try:
                rc = p.wait(timeout=120)
            except subprocess.TimeoutExpired:
                p.kill()
                raise Fail("%s: run %d (p=%d) did not finish in 120 s" % (tag, i, par))
        with open(errpath, encoding="utf-8", errors="replace") as f:
            err = f.read()
        if (how == "kill" and rc != -signal.SIGKILL) or (how != "kill" and rc != 0):
            raise Fail("%s: run %d (p=%d, %s) exited %d: %s" % (tag, i, par, how, rc,
                                                               err.strip()[-2000:]))
        m = re.search(r"restored checkpoint (\d+) \(parallelism (\d+)", err)
        if i > 0 and not m:
            raise Fail("%s: run %d (p=%d) did not restore a checkpoint: %s"
                       % (tag, i, par, err.strip()[-1500:]))
        steps.append("p%d %s%s" % (par, how, " from ckpt %s@p%s" % m.groups() if m else ""))
    why = compare_outputs(out, ref, NEXMARK_OUTPUTS)
    if why:
        raise Fail("%s: output differs from the uninterrupted run (%s): %s"
                   % (tag, ", ".join(steps), why))
    return "%d events; %s" % (args.nexmark_events, ", ".join(steps))


def start_s3():
    """(process, endpoint) of tests/s3/server.js, or (None, why)."""
    s3dir = os.path.join(ROOT, "tests", "s3")
    if shutil.which("node") is None:
        return None, "node is not installed"
    if not os.path.exists(os.path.join(s3dir, "node_modules", "s3rver", "package.json")):
        r = subprocess.run([os.path.join(s3dir, "install.sh")], capture_output=True, text=True)
        if r.returncode != 0:
            return None, "tests/s3/install.sh failed: %s" % r.stderr.strip()[-300:]
    data = tempfile.mkdtemp(prefix="crash-s3-")
    p = subprocess.Popen(["node", os.path.join(s3dir, "server.js"), "--dir", data, "--bucket",
                          "crash"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    line = p.stdout.readline()
    m = re.match(r"listening 127\.0\.0\.1:(\d+)", line)
    if not m:
        p.kill()
        return None, "the S3 test server did not start: %r" % line
    p.data_dir = data
    return p, "http://127.0.0.1:%s" % m.group(1)


def part_s3(args, ref_dir):
    p, endpoint = start_s3()
    if p is None:
        return None, endpoint
    try:
        env = dict(os.environ)
        for k in ("AWS_ENDPOINT_URL_S3", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION"):
            env.pop(k, None)
        env.update(AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID="S3RVER",
                   AWS_SECRET_ACCESS_KEY="S3RVER", AWS_REGION="us-east-1")
        detail = kills_scenario(args, ref_dir, "s3", "s3://crash/%d" % args.seed, None, env,
                                max(3, args.kills // 3), 0)
        return detail, None
    finally:
        p.stdin.close()
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
        shutil.rmtree(p.data_dir, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=os.environ.get("BIN", "bin"))
    ap.add_argument("--rows", type=int, default=1500000)
    ap.add_argument("--kills", type=int, default=12)
    ap.add_argument("--interval", default="100ms")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--parts", default="kills,corrupt,s3,nexmark")
    ap.add_argument("--nexmark-events", type=int, default=8000000)
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    args = ap.parse_args()
    args.bin = args.bin if os.path.isabs(args.bin) else os.path.join(ROOT, args.bin)
    if args.seed is None:
        args.seed = random.randrange(1 << 30)
    args.work = os.path.join(ROOT, "tests", "out", "crash")
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    log("crash test: %d rows, checkpoints every %s, seed %d (--seed to repeat), work dir %s"
        % (args.rows, args.interval, args.seed, os.path.relpath(args.work, ROOT)))
    args.input = os.path.join(args.work, "input.json")
    gen_input(args.input, args.rows)

    # the reference: one uninterrupted run without checkpoints
    ref = os.path.join(args.work, "ref")
    os.makedirs(ref)
    with open(os.path.join(args.work, "ref.sql"), "w") as f:
        f.write(SQL.format(input=args.input, out=ref))
    compile_query(args.bin, os.path.join(args.work, "ref.sql"), os.path.join(args.work, "ref.so"))
    r = subprocess.run([os.path.join(args.bin, "arroyo-worker"), os.path.join(args.work, "ref.so")],
                       capture_output=True, text=True)
    if r.returncode != 0:
        log("FAIL  reference run exited %d: %s" % (r.returncode, r.stderr.strip()))
        log("0 passed, 1 failed")
        return 1

    passed = failed = 0
    for part in [x for x in args.parts.split(",") if x]:
        t0 = time.monotonic()
        try:
            if part == "kills":
                detail = part_kills(args, ref)
            elif part == "corrupt":
                detail = part_corrupt(args, ref)
            elif part == "nexmark":
                detail = part_nexmark(args)
            elif part == "s3":
                detail, skipped = part_s3(args, ref)
                if detail is None:
                    log("SKIP  s3: %s" % skipped)
                    continue
            else:
                raise SystemExit("unknown part %r" % part)
            log("PASS  %s: %s (%.1f s)" % (part, detail, time.monotonic() - t0))
            passed += 1
        except Fail as e:
            log("FAIL  %s: %s" % (part, e))
            failed += 1
    if not failed and not args.keep:
        shutil.rmtree(args.work, ignore_errors=True)
    log("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
