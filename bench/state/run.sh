#!/bin/sh
# bench/state/run.sh: micro-benchmark of the runtime state tables (runtime/state.c).
#
#   bench/state/run.sh [SIZES] [RUNS]     (defaults: 1000,100000,1000000,10000000 keys, 3 runs)
#
# Builds build/libruntime.a (make) and bench_state.c into $TMPDIR/arroyo-bench/state/, then
# prints one table: st_get insert / hit / miss ns per op and bytes per entry at each size, for
# our tables (called through RtApi like generated code) and for a hand-written open-addressing
# baseline measured in the same run, plus a tumbling-window run (insert into the current
# bucket, visit and drop closed ones) with its memory after each window. See bench_state.c
# for the method. Fails only if the program fails (wrong lookup results), never on timings.
# Needs about 2 GB of RAM at 10M keys. Environment: CC (default cc).
# POSIX sh (bench/run.sh runs it with sh).
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
sizes="${1:-1000,100000,1000000,10000000}"
runs="${2:-3}"
cc="${CC:-cc}"
out="${TMPDIR:-/tmp}/arroyo-bench/state"
cflags="-std=gnu11 -O2 -g -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter -pthread"

make -C "$root" -s build/libruntime.a build/connectors/registry.o >/dev/null
mkdir -p "$out"
$cc $cflags -I"$root/runtime" -o "$out/bench_state" "$here/bench_state.c" \
  "$root/build/connectors/registry.o" "$root/build/libruntime.a" -lpthread -ldl -lm -lzstd -lcurl
"$out/bench_state" "$sizes" "$runs"
