#!/bin/sh
# tests/golden/check_oracles.sh: runs every tests/golden/*_oracle.py with --check, so the
# committed inputs and goldens are exactly what the independent oracles compute (a golden
# edited by hand, or an oracle changed without rewriting its goldens, fails here). Prints
# one line per oracle and the closing "N passed, M failed". Needs python3 (sqlite3 module).
cd "$(dirname "$0")" || exit 1
pass=0 fail=0
for f in *_oracle.py; do
  if out=$(python3 "$f" --check 2>&1); then
    echo "PASS  $f"
    pass=$((pass + 1))
  else
    echo "FAIL  $f"
    echo "$out" | tail -n 20
    fail=$((fail + 1))
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
