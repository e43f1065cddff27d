#!/usr/bin/env bash
# tests/run_all.sh: run every test suite and print one closing line "N passed, M failed".
#
# Parts (each prints its own "N passed, M failed", summed here):
#   unit     every unit-test binary $BUILD/tests/test_* (built by make from tests/unit/)
#   compare  python unit tests of the peer runner's comparison logic (tests/peer/test_*.py)
#   golden   tests/golden with both backends (tcc and gcc), deterministic --emit-c, the compile
#            error contract, and the multi-case error file tests/golden/errors/*.sql; the
#            topn_*, over_*, join_upd_*, join_cdc_*, join_outer_*, join_ilog_*, join_argmax_*,
#            join_win_*, maxfilter_* (not the late-row ones) and join_many_windowed tests also at
#            parallelism 3 and with checkpoint/restore; and every tests/golden/*_oracle.py with --check (the goldens
#            are what the independent oracles compute)
#   peer     the Arroyo peer suite ($PEER_DIR); only tests in tests/peer/expected_pass.txt
#            count as failures, the others are reported
#   peer-ckpt  the peer suite's mode (b): checkpoint and stop, restore at parallelism 2, stop,
#            restore at 3 to the end (run_peer.py --checkpoints), the same expected tests
#   crash    tests/crash/crash_test.py: SIGKILL at random moments (also during checkpoint
#            writes), restore at random parallelism until done, output = uninterrupted run's;
#            a damaged newest checkpoint falls back; the same with S3 checkpoints; a nexmark
#            query stopped and restored at parallelism 1, 2, 3 (merged source positions)
#   nexmark  tests/nexmark/check.py: Nexmark queries against SQLite over the generated events
#   fuzz     libFuzzer on arroyo_compile_sql for $FUZZ_SECONDS (skipped without libFuzzer)
# Environment: BUILD (default build), BIN (default bin), PEER_DIR (default
# ../shared/peer-tests/arroyo), FUZZ_SECONDS (default 30), VERBOSE=0 to drop failure details,
# PARTS="unit golden" to run a subset. Logs go to tests/out/<part>.log.
# Exit status: 0 when nothing failed, 1 otherwise. Needs the binaries built first (make).
set -uo pipefail
cd "$(dirname "$0")/.."

export BUILD=${BUILD:-build}
export BIN=${BIN:-bin}
PEER_DIR=${PEER_DIR:-../shared/peer-tests/arroyo}
FUZZ_SECONDS=${FUZZ_SECONDS:-30}
PARTS=${PARTS:-unit compare golden many_keys nexmark peer peer-ckpt crash fuzz}   # peer includes the parallelism-3 run
JOBS=${JOBS:-2}
verbose=(--verbose)
[ "${VERBOSE:-1}" = 0 ] && verbose=()
mkdir -p tests/out

total_pass=0
total_fail=0
summary=()

# add NAME PASSED FAILED [NOTE]: record one part's counts.
add() {
  total_pass=$((total_pass + $2))
  total_fail=$((total_fail + $3))
  summary+=("$(printf '  %-8s %d passed, %d failed%s' "$1" "$2" "$3" "${4:+  ($4)}")")
}

# counts_of LOG: the last "N passed, M failed" line of LOG as "N M", or nothing.
counts_of() {
  grep -E '^([A-Za-z_-]+: )?[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1 |
    sed -E 's/^([A-Za-z_-]+: )?([0-9]+) passed, ([0-9]+) failed.*/\2 \3/'
}

# part NAME CMD...: run CMD, show and log its output, and add its counts. A part that exits
# non-zero without reporting a failure counts one failure; so does one with no counts line.
part() {
  local name=$1 log=tests/out/$1.log rc counts p f note=""
  shift
  echo "=== $name: $*"
  "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  counts=$(counts_of "$log")
  if [ -z "$counts" ]; then
    p=0 f=1 note="no result line, exit $rc"
  else
    read -r p f <<<"$counts"
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1 note="exit $rc"; fi
  fi
  add "$name" "$p" "$f" "$note"
}

want() { case " $PARTS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

# ---- unit: each binary prints "N passed, M failed" ------------------------------------------
if want unit; then
  echo "=== unit: $BUILD/tests/test_*"
  up=0 uf=0 n=0 note=""
  for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] && [ -f "$t" ] || continue
    n=$((n + 1))
    log=tests/out/unit_$(basename "$t").log
    timeout 300 "$t" >"$log" 2>&1
    rc=$?
    counts=$(counts_of "$log")
    if [ -z "$counts" ]; then
      p=0 f=1
    else
      read -r p f <<<"$counts"
      [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
    fi
    if [ "$f" -ne 0 ]; then
      echo "FAIL  $(basename "$t") (exit $rc):"
      tail -n 20 "$log" | sed 's/^/    | /'
    else
      echo "PASS  $(basename "$t"): $p checks"
    fi
    up=$((up + p)) uf=$((uf + f))
  done
  [ "$n" -eq 0 ] && note="no unit-test binaries in $BUILD/tests (run make)"
  [ -n "$note" ] && echo "unit: $note"
  add unit "$up" "$uf" "$note"
fi

# ---- compare: unittest prints "Ran N tests" then "OK" or "FAILED (failures=F, errors=E)" ----
if want compare; then
  echo "=== compare: python3 -m unittest discover -s tests/peer -p 'test_*.py'"
  log=tests/out/compare.log
  python3 -m unittest discover -s tests/peer -p 'test_*.py' >"$log" 2>&1
  rc=$?
  cat "$log"
  ran=$(sed -nE 's/^Ran ([0-9]+) tests?.*/\1/p' "$log" | tail -n 1)
  bad=$(sed -nE 's/^FAILED \((.*)\)/\1/p' "$log" | grep -oE '(failures|errors)=[0-9]+' |
        awk -F= '{ s += $2 } END { print s + 0 }')
  ran=${ran:-0} bad=${bad:-0}
  if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then bad=1; fi
  add compare $((ran > bad ? ran - bad : 0)) "$bad"
fi

# ---- golden: our own end-to-end tests ---------------------------------------------------------
if want golden; then
  part oracles sh tests/golden/check_oracles.sh
  part golden python3 tests/peer/run_peer.py --suite tests/golden --label golden --backend both \
    --check-determinism --check-contracts --jobs "$JOBS" "${verbose[@]}"
  # the updating top-N, window-frame and join goldens (keyed state, retractions) also at
  # parallelism 3, and with checkpoints: stop, restore at parallelism 2, stop, restore at 3 to the
  # end (not the late-row tests: which rows are late depends on the other source subtasks then)
  keyed=$(cd tests/golden/queries && ls topn_*.sql over_*.sql join_upd_*.sql join_cdc_*.sql join_outer_*.sql join_ilog_*.sql \
                                          join_argmax_*.sql join_win_*.sql join_many_windowed.sql maxfilter_*.sql 2>/dev/null |
          grep -v '_late\.sql$' | sed 's/\.sql$//')
  part golden-p3 python3 tests/peer/run_peer.py --suite tests/golden --label golden-p3 --parallelism 3 \
    --only $keyed --jobs "$JOBS" "${verbose[@]}"
  part golden-ckpt python3 tests/peer/run_peer.py --suite tests/golden --label golden-ckpt --checkpoints \
    --only $keyed --jobs "$JOBS" "${verbose[@]}"
fi

# ---- many_keys: 1,000,000 keys through a tumble and an updating count, checked independently ----
if want many_keys; then
  part many_keys python3 tests/golden/many_keys.py --bin "$BIN"
fi

# ---- nexmark: Nexmark queries (both backends, parallelism 1 and 3) checked against SQLite ----------
want nexmark && part nexmark python3 tests/nexmark/check.py --bin "$BIN"

# ---- peer: the Arroyo peer suite ----------------------------------------------------------------
if want peer; then
  if [ -d "$PEER_DIR/queries" ]; then
    part peer python3 tests/peer/run_peer.py --suite "$PEER_DIR" --label peer --backend both \
      --expected tests/peer/expected_pass.txt --jobs "$JOBS" "${verbose[@]}"
    # the same tests at parallelism 3 (keyed shuffles, several subtasks per stage)
    part peer-p3 python3 tests/peer/run_peer.py --suite "$PEER_DIR" --label peer --parallelism 3 \
      --expected tests/peer/expected_pass.txt --jobs "$JOBS" "${verbose[@]}"
  elif [ "${CI:-}" = true ]; then
    echo "=== peer: suite not found at $PEER_DIR"
    add peer 0 1 "suite not found at $PEER_DIR"
  else
    echo "=== peer: skipped: suite not found at $PEER_DIR (set PEER_DIR)"
    add peer 0 0 "skipped: suite not found"
  fi
fi

# ---- peer-ckpt: the peer suite with checkpoints, stops and restores (README mode (b)) -----------
if want peer-ckpt; then
  if [ -d "$PEER_DIR/queries" ]; then
    part peer-ckpt python3 tests/peer/run_peer.py --suite "$PEER_DIR" --label peer-ckpt \
      --checkpoints --expected tests/peer/expected_pass.txt --jobs "$JOBS" "${verbose[@]}"
  elif [ "${CI:-}" = true ]; then
    add peer-ckpt 0 1 "suite not found at $PEER_DIR"
  fi
fi

# ---- crash: kill -9 during runs and checkpoints, restore, compare with an uninterrupted run --------
want crash && part crash python3 tests/crash/crash_test.py --bin "$BIN"

# ---- fuzz ---------------------------------------------------------------------------------------
if want fuzz; then
  part fuzz tests/fuzz/run_fuzz.sh "$FUZZ_SECONDS"
fi

echo "=== summary"
printf '%s\n' "${summary[@]}"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
