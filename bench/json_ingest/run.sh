#!/bin/sh
# bench/json_ingest/run.sh: JSON-lines ingest, our Decoder vs DuckDB, one thread each.
#
#   bench/json_ingest/run.sh [ROWS] [RUNS]      (defaults: 1000000 rows, best of 5 runs)
#
# 1. builds build/libruntime.a (make) and the two C programs here (gen, decode);
# 2. generates data/events_ROWS.json once (13 typed columns, see gen.c; ~250 bytes a row);
# 3. installs @duckdb/node-api into node_modules/ if missing (npm, not committed);
# 4. runs ours and DuckDB alternately RUNS times each, both reading the whole file and
#    materializing every column (checksums must agree), and prints rows/s, MB/s and the
#    ratio ours/duckdb from the best run of each (the machine is shared: best-of is the
#    least noisy estimate of what each can do).
# Environment: CC (default cc), KEEP_DATA=0 to delete the generated file afterwards.
# POSIX sh (bench/run.sh runs it with sh).
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rows="${1:-1000000}"
runs="${2:-5}"
cc="${CC:-cc}"
cflags="-std=gnu11 -O2 -g -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter -pthread"

make -C "$root" -s build/libruntime.a >/dev/null
mkdir -p "$here/bin" "$here/data"
$cc $cflags -o "$here/bin/gen" "$here/gen.c" "$root/build/libruntime.a" -lm
$cc $cflags -o "$here/bin/decode" "$here/decode.c" "$root/build/libruntime.a" -lm

data="$here/data/events_${rows}.json"
if [ ! -s "$data" ]; then
  echo "generating $rows rows into $data"
  "$here/bin/gen" "$rows" "$data.tmp" && mv "$data.tmp" "$data"
fi

if [ ! -d "$here/node_modules/@duckdb/node-api" ]; then
  if ! (cd "$here" && npm install --no-save --no-package-lock --silent @duckdb/node-api >/dev/null); then
    echo "json_ingest: could not install @duckdb/node-api with npm; no comparison" >&2
    exit 1
  fi
fi

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
best_ours=""; best_duck=""; sum_ours=""; sum_duck=""
for i in $(seq 1 "$runs"); do
  o="$("$here/bin/decode" "$data")"
  d="$(cd "$here" && node duckdb.mjs "$data")"
  echo "  $o"
  echo "  $d"
  so="$(echo "$o" | field seconds)"; sd="$(echo "$d" | field seconds)"
  if [ -z "$best_ours" ] || awk "BEGIN{exit !($so < $best_ours)}"; then best_ours="$so"; fi
  if [ -z "$best_duck" ] || awk "BEGIN{exit !($sd < $best_duck)}"; then best_duck="$sd"; fi
  sum_ours="$(echo "$o" | field checksum)"; sum_duck="$(echo "$d" | field checksum)"
done

bytes="$(stat -c %s "$data")"
if [ "$sum_ours" != "$sum_duck" ]; then
  echo "CHECKSUM MISMATCH: ours $sum_ours, duckdb $sum_duck" >&2
  exit 1
fi
awk -v r="$rows" -v b="$bytes" -v o="$best_ours" -v d="$best_duck" 'BEGIN {
  printf "json_ingest (%d rows, %.1f MB, 1 thread, best of runs)\n", r, b / 1e6;
  printf "  ours:   %10.0f rows/s  %7.1f MB/s  (%.3f s)\n", r / o, b / o / 1e6, o;
  printf "  duckdb: %10.0f rows/s  %7.1f MB/s  (%.3f s)\n", r / d, b / d / 1e6, d;
  printf "  ratio ours/duckdb: %.2f\n", d / o;
}'
if [ "${KEEP_DATA:-1}" = "0" ]; then rm -f "$data"; fi
