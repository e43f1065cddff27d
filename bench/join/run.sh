#!/bin/sh
# bench/join/run.sh: windowed and updating joins against hand-written C (issue 4). See
# bench.py for the method and the BENCH_* environment variables (defaults: windowed join 20 M
# events at K = 1000 and 1000000, updating join 10 M events, memory with 1 M live keys per
# side, 3 interleaved runs; about 25 minutes on 2 busy vCPUs, most of it the worker at
# K = 1000000).
# BENCH_CHECK=1 first checks that the worker's values equal the baseline's (check.py, ~2 min);
# BENCH_PROFILE=1 also prints callgrind instructions per event by function and perf time
# shares (profile.py; needs valgrind/perf, takes 10-20 minutes).
# Needs bin/ from `make` (bench/run.sh builds it).
set -eu
cd "$(dirname "$0")/../.."
if [ "${BENCH_CHECK:-0}" = 1 ]; then
  python3 bench/join/check.py
  echo
fi
python3 bench/join/bench.py
if [ "${BENCH_PROFILE:-0}" = 1 ]; then
  echo
  python3 bench/join/profile.py
fi
