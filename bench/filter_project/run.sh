#!/bin/sh
# bench/filter_project/run.sh: compile-and-run benchmark (issue 2). See bench.py for the method
# and the BENCH_* environment variables. BENCH_PROFILE=1 also prints callgrind instruction
# counts per row and function (profile.py; needs valgrind, takes about a minute).
# Needs bin/ and build/libruntime.a from `make` (bench/run.sh builds them).
set -eu
cd "$(dirname "$0")/../.."
python3 bench/filter_project/bench.py
if [ "${BENCH_PROFILE:-0}" = 1 ]; then
  echo
  python3 bench/filter_project/profile.py
fi
