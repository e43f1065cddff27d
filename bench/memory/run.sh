#!/bin/sh
# bench/memory/run.sh: the worker's RSS over a long tumbling count (issue 3): 100 M events,
# 1 M keys, gcc backend, sampled every 0.25 s, against the hand-written baseline. Fails only
# if memory clearly keeps growing after warm-up (a leak). See bench.py for the BENCH_MEM_*
# variables. About 1 minute (the worker takes 15-40 s for 100 M events on 2 busy vCPUs).
# Needs bin/ from `make` (bench/run.sh builds it).
set -eu
cd "$(dirname "$0")/../.."
python3 bench/memory/bench.py
