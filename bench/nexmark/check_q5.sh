#!/bin/bash
# bench/nexmark/check_q5.sh: checks that baseline_q5.c computes what our q5 computes. Runs
# queries/q5.sql (its blackhole sink replaced by a json file, and the nexmark source at
# event_rate 10,000: 100 us of event time per event, so a small run spans many 2 s panes and
# 10 s windows) with both backends, and baseline_q5 over the same events with
# --inter-event-ns 100000 --print; the (auction, num) rows must be equal as multisets.
# Environment: Q5_CHECK_EVENTS (default 300000: 30 s of event time, 19 windows).
# Needs bin/ from `make`. Exit 0 when equal, 1 otherwise.
set -eu
cd "$(dirname "$0")/../.."
EVENTS=${Q5_CHECK_EVENTS:-300000}
TMP=$(mktemp -d /tmp/q5-check.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
gcc -O2 -Iconnectors bench/nexmark/baseline_q5.c connectors/nexmark_gen.c -lpthread -lm -o "$TMP/baseline_q5"
"$TMP/baseline_q5" "$EVENTS" --inter-event-ns 100000 --print 2>/dev/null | sort >"$TMP/base.txt"
status=0
for b in tcc gcc; do
  sed -e "s/\\\$max_events/$EVENTS/g" \
      -e "s/event_rate = '0'/event_rate = '10000'/" \
      -e "s|CREATE TABLE out WITH (connector = 'blackhole', type = 'sink');|CREATE TABLE out (auction BIGINT, num BIGINT) WITH (connector = 'single_file', path = '$TMP/out_$b.json', format = 'json', type = 'sink');|" \
      bench/nexmark/queries/q5.sql >"$TMP/q5_$b.sql"
  grep -q "single_file" "$TMP/q5_$b.sql" || { echo "check_q5: could not rewrite the sink of q5.sql" >&2; exit 1; }
  bin/arroyo-compile "$TMP/q5_$b.sql" -o "$TMP/q5_$b.so" --backend "$b"
  bin/arroyo-worker "$TMP/q5_$b.so" 2>"$TMP/worker_$b.err" >/dev/null
  python3 -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    print(r["auction"], r["num"])' "$TMP/out_$b.json" | sort >"$TMP/ours_$b.txt"
  if cmp -s "$TMP/base.txt" "$TMP/ours_$b.txt"; then
    echo "q5 $b: $(wc -l <"$TMP/base.txt") rows, equal to baseline_q5 ($EVENTS events)"
  else
    echo "q5 $b: DIFFERS from baseline_q5 ($EVENTS events):"
    diff "$TMP/base.txt" "$TMP/ours_$b.txt" | head -10
    status=1
  fi
done
exit $status
