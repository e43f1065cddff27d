#!/usr/bin/env bash
# tests/fuzz/run_fuzz.sh [SECONDS]: build the fuzz target and fuzz arroyo_compile_sql() for
# SECONDS (default $FUZZ_SECONDS, else 30) starting from the seed corpus: tests/fuzz/corpus/,
# our golden queries and error cases, and the peer suite's queries and planner queries when
# ../shared/peer-tests/arroyo is present (read in place, never copied into the repo).
# New corpus entries and crash artifacts go to tests/out/fuzz/. Prints "N passed, M failed"
# (one check: the fuzz run) and exits 1 on a crash, a leak, a timeout or a build failure.
# Exits 0 with "skipped" when clang's libFuzzer is not available.
set -uo pipefail
cd "$(dirname "$0")/../.."
SECONDS_TO_RUN=${1:-${FUZZ_SECONDS:-30}}
BUILD=${BUILD:-build}
PEER_DIR=${PEER_DIR:-../shared/peer-tests/arroyo}
OUT=tests/out/fuzz

fail() { echo "fuzz: $*"; echo "0 passed, 1 failed"; exit 1; }

# Is clang's libFuzzer runtime there? Link a trivial target to find out.
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' >"$probe/p.c"
if ! command -v clang >/dev/null 2>&1 ||
   ! clang -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" >/dev/null 2>&1; then
  echo "fuzz: skipped: clang with libFuzzer not available (scripts/setup.sh installs it)"
  echo "0 passed, 0 failed"
  exit 0
fi

mkdir -p tests/out
make -s -f tests/fuzz/Makefile BUILD="$BUILD" >"$OUT.build.log" 2>&1 ||
  { mkdir -p "$OUT"; tail -n 30 "$OUT.build.log"; fail "build failed (log: $OUT.build.log)"; }

rm -rf "$OUT"
mkdir -p "$OUT/corpus" "$OUT/seeds" "$OUT/artifacts"
cp tests/fuzz/corpus/* "$OUT/seeds/" 2>/dev/null || true
i=0
for f in tests/golden/queries/*.sql tests/golden/errors/*.sql \
         "$PEER_DIR"/queries/*.sql "$PEER_DIR"/planner_queries/*.sql; do
  [ -f "$f" ] || continue
  i=$((i + 1))
  cp "$f" "$OUT/seeds/seed_$i.sql"
done
echo "fuzz: $(ls "$OUT/seeds" | wc -l) seeds, ${SECONDS_TO_RUN}s"

# The first corpus directory receives new inputs; the seeds stay read-only.
"$BUILD/fuzz/fuzz_compile" "$OUT/corpus" "$OUT/seeds" -max_total_time="$SECONDS_TO_RUN" \
  -timeout=20 -rss_limit_mb=4096 -max_len=8192 -print_final_stats=1 \
  -artifact_prefix="$OUT/artifacts/" >"$OUT/fuzz.log" 2>&1
rc=$?
grep -E '^(Done|stat::number_of_executed_units|#[0-9]+ +DONE)' "$OUT/fuzz.log" | head -n 3
if [ $rc -ne 0 ]; then
  grep -E 'ERROR|SUMMARY|==[0-9]+==|Test unit written' "$OUT/fuzz.log" | head -n 20
  fail "crash (exit $rc); log: $OUT/fuzz.log, reproducer in $OUT/artifacts/"
fi
echo "1 passed, 0 failed"
