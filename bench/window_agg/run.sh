#!/bin/sh
# bench/window_agg/run.sh: tumbling and hopping window aggregates against hand-written C
# (issue 3). See bench.py for the method and the BENCH_* environment variables (defaults:
# 20 M events, K = 1000 and 1000000, 3 interleaved runs; about 5 minutes on 2 busy vCPUs).
# BENCH_CHECK=1 first checks that the worker's values equal the baseline's (check.py, ~2 min);
# BENCH_PROFILE=1 also prints callgrind instructions per event by function and perf time
# shares (profile.py; needs valgrind/perf, takes 10-20 minutes).
# Needs bin/ from `make` (bench/run.sh builds it).
set -eu
cd "$(dirname "$0")/../.."
if [ "${BENCH_CHECK:-0}" = 1 ]; then
  python3 bench/window_agg/check.py
  echo
fi
python3 bench/window_agg/bench.py
if [ "${BENCH_PROFILE:-0}" = 1 ]; then
  echo
  python3 bench/window_agg/profile.py
fi
