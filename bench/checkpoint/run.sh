#!/bin/sh
# bench/checkpoint/run.sh: what checkpoints cost (issue 5): throughput of the 1 M-key tumble
# aggregate with --checkpoint-interval 10s vs without (interleaved runs, medians, ratio),
# bytes and duration of every checkpoint, and the time a restore of 1 M keys takes until the
# first rows are processed again. See bench.py for the method and the BENCH_* environment
# variables (defaults: 200 M events, 3 runs per variant, 3 restores; 5-10 minutes on 2
# busy vCPUs). Needs bin/ from `make` (bench/run.sh builds it).
set -eu
cd "$(dirname "$0")/../.."
python3 bench/checkpoint/bench.py
