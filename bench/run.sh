#!/bin/sh
# bench/run.sh: run the benchmarks (`make bench` calls this).
#   bench/run.sh            every bench/*/run.sh, in name order
#   bench/run.sh NAME...    only bench/NAME/run.sh, e.g. `bench/run.sh window_agg` (tumble/hop
#                           aggregates, ~5 min) or `bench/run.sh memory` (RSS over 100 M
#                           events, ~1 min); see docs/benchmarks.md for what each measures
# Builds the binaries the benchmarks use first. Each benchmark prints its own tables; a
# benchmark fails only when something did not run or produced wrong output, never because a
# performance target was missed (those are reported). Exit status: number of failed benchmarks
# (capped at 1 when any failed). Environment variables of each benchmark: see its run.sh.
set -u
cd "$(dirname "$0")/.."
# Others may be mid-change in a shared checkout: if the build fails but binaries exist, say
# so and measure those (they may be older than the sources).
if ! make -s bin/arroyo-compile bin/arroyo-worker build/libruntime.a build/connectors/registry.o; then
  if [ -x bin/arroyo-compile ] && [ -x bin/arroyo-worker ]; then
    echo "bench/run.sh: WARNING: build failed; benchmarking the existing bin/ (may be stale)" >&2
  else
    echo "bench/run.sh: build failed" >&2
    exit 1
  fi
fi
if [ $# -gt 0 ]; then
  list=""
  for n in "$@"; do list="$list bench/$n/run.sh"; done
else
  list=$(ls bench/*/run.sh 2>/dev/null | sort)
fi
failed=""
for r in $list; do
  name=$(basename "$(dirname "$r")")
  if [ ! -f "$r" ]; then
    echo "bench/run.sh: no $r" >&2
    failed="$failed $name"
    continue
  fi
  echo "== $name =="
  if sh "$r"; then :; else failed="$failed $name"; fi
  echo
done
if [ -n "$failed" ]; then
  echo "bench/run.sh: failed:$failed" >&2
  exit 1
fi
exit 0
