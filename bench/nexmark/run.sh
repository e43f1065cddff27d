#!/bin/bash
# bench/nexmark/run.sh: the Nexmark suite (issue 6). For each query in bench/nexmark/queries/
# and each backend (tcc, gcc): compile it (wall time of arroyo-compile), run it with
# arroyo-worker --parallelism 1 under /usr/bin/time -v, and print one table row: wall
# seconds, events/s, events/s per core (events / (user + sys) CPU seconds: generator
# included), peak RSS and compile time. Then the hand-written baselines (baseline_qN.c, gcc -O2,
# one thread) and the ratio ours/baseline of events per CPU second. (check_q5.sh checks that
# baseline_q5.c computes our q5's rows.)
#
# Environment: NEXMARK_EVENTS (default 20000000), NEXMARK_QUERIES (default: every
# queries/q*.sql, e.g. "q0 q1 q2"), NEXMARK_BACKENDS (default "tcc gcc"), NEXMARK_TIMEOUT
# (seconds per worker run, default 30; a run cut off is reported as "timeout"), NEXMARK_BIN
# (directory of the arroyo-compile and arroyo-worker to measure, default bin/; set
# ARROYO_RUNTIME_DIR too when it is another build's, so its queries see that build's abi.h).
# A query that fails to compile or run gets a row with its status (see README.md for why).
# Needs bin/ from `make`. Run from anywhere; paths are relative to the repository root.
set -u
cd "$(dirname "$0")/../.."
EVENTS=${NEXMARK_EVENTS:-20000000}
BACKENDS=${NEXMARK_BACKENDS:-tcc gcc}
TIMEOUT=${NEXMARK_TIMEOUT:-30}
if [ -n "${NEXMARK_QUERIES:-}" ]; then
  QUERIES=$NEXMARK_QUERIES
else
  QUERIES=$(ls bench/nexmark/queries/ | sed -n 's/^\(q[0-9]*\)\.sql$/\1/p' | sort -t q -k 2 -n)
fi
BIN=${NEXMARK_BIN:-bin}
[ -x "$BIN/arroyo-compile" ] && [ -x "$BIN/arroyo-worker" ] || { echo "run make first" >&2; exit 1; }
# q13's bounded side input (as Beam's Nexmark: 10,000 rows, key 0..9999, value the key as
# text), read by its lookup join from this path (relative to the repository root): generated
# when missing, not committed.
SIDE_INPUT=bench/nexmark/side_input.json
[ -s "$SIDE_INPUT" ] || awk 'BEGIN { for (i = 0; i < 10000; i++) printf "{\"key\":%d,\"value\":\"%d\"}\n", i, i }' >"$SIDE_INPUT"
TMP=$(mktemp -d /tmp/nexmark-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

now_ns() { date +%s%N; }

# run_timed OUT CMD...: runs CMD under /usr/bin/time -v; echoes "wall cpu rss_kb status".
run_timed() {
  local out=$1; shift
  /usr/bin/time -v -o "$out.time" "$@" >"$out.stdout" 2>"$out.stderr"
  local rc=$?
  awk -v rc=$rc -F': ' '
    /User time/ {u=$2} /System time/ {s=$2} /Maximum resident/ {m=$2}
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0;
      for (i = 1; i <= n; i++) w = w * 60 + p[i] }
    END { printf "%.3f %.3f %d %d\n", w, u + s, m, rc }' "$out.time"
}

row() { # query backend events wall cpu rss_kb compile_ms
  awk -v q="$1" -v b="$2" -v e="$3" -v w="$4" -v c="$5" -v m="$6" -v cm="$7" 'BEGIN {
    printf "%-5s %-8s %10d %8.2f %12.0f %14.0f %8.1f %10s\n", q, b, e, w,
      (w > 0 ? e / w : 0), (c > 0 ? e / c : 0), m / 1024, cm }'
}

echo "Nexmark, $EVENTS events, parallelism 1; $(nproc) CPUs: $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
# the commit of the checkout the binaries were built in (NEXMARK_BIN may be another build)
bin_head=$(git -C "$(dirname "$BIN/arroyo-worker")/.." rev-parse --short HEAD 2>/dev/null || echo unknown)
echo "binaries: $BIN (HEAD $bin_head of the checkout they are in, load average $(cut -d" " -f1-3 /proc/loadavg))"
printf "%-5s %-8s %10s %8s %12s %14s %8s %10s\n" query backend events seconds "events/s" \
  "events/s/core" "RSS MB" "compile ms"
declare -A OURS BASE
for q in $QUERIES; do
  sql=$TMP/$q.sql
  sed "s/\\\$max_events/$EVENTS/g" bench/nexmark/queries/$q.sql >"$sql"
  udf=()
  [ "$q" = q14 ] && udf=(--udf bench/nexmark/udf_count_char.c)
  for b in $BACKENDS; do
    t0=$(now_ns)
    if ! "$BIN/arroyo-compile" "$sql" -o "$TMP/$q.$b.so" --backend "$b" "${udf[@]}" \
        2>"$TMP/$q.$b.cerr"; then
      printf "%-5s %-8s compile error: %s\n" "$q" "$b" "$(head -1 "$TMP/$q.$b.cerr" | sed 's/^[^ ]*: error: //')"
      continue
    fi
    cms=$(( ($(now_ns) - t0) / 1000000 ))
    read -r wall cpu rss rc < <(run_timed "$TMP/$q.$b" timeout -k 2 "$TIMEOUT" "$BIN/arroyo-worker" "$TMP/$q.$b.so" --parallelism 1)
    [ "$rc" = 137 ] && rc=124   # timeout -k: SIGKILL after SIGTERM was not enough
    if [ "$rc" = 124 ]; then
      printf "%-5s %-8s timeout: not done after %s s (%.0f MB peak RSS)\n" "$q" "$b" "$TIMEOUT" "$((rss / 1024))"
      continue
    elif [ "$rc" != 0 ]; then
      printf "%-5s %-8s run error (exit %s): %s\n" "$q" "$b" "$rc" "$(grep -v '^\s' "$TMP/$q.$b.stderr" | grep -v 'Command' | tail -1)"
      continue
    fi
    row "$q" "$b" "$EVENTS" "$wall" "$cpu" "$rss" "$cms"
    [ "$b" = gcc ] && OURS[$q]=$cpu
  done
  rm -f "$TMP/$q".*.so
done

for q in $QUERIES; do
  src=bench/nexmark/baseline_$q.c
  [ -f "$src" ] || continue
  t0=$(now_ns)
  gcc -O2 -Iconnectors "$src" connectors/nexmark_gen.c -lpthread -lm -o "$TMP/baseline_$q" || continue
  cms=$(( ($(now_ns) - t0) / 1000000 ))
  read -r wall cpu rss rc < <(run_timed "$TMP/base_$q" "$TMP/baseline_$q" "$EVENTS")
  row "$q" baseline "$EVENTS" "$wall" "$cpu" "$rss" "$cms"
  BASE[$q]=$cpu
done

echo
echo "ours (gcc) / baseline, events per CPU second (target >= 0.5):"
for q in $QUERIES; do
  if [ -n "${BASE[$q]:-}" ] && [ -n "${OURS[$q]:-}" ]; then
    awk -v q="$q" -v o="${OURS[$q]}" -v b="${BASE[$q]}" 'BEGIN {
      printf "%-5s %.2f  (ours %.2f s CPU, baseline %.2f s CPU)\n", q, b / o, o, b }'
  fi
done
