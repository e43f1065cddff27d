/*
** tests/unit/unit.h: the tiny unit-test harness every tests/unit/test_*.c includes.
**
** CHECK(cond) and friends count passes and failures; each failure prints file:line and the
** expression. UNIT_MAIN(body) runs the checks and prints the closing line
** "N passed, M failed" that tests/run_all.sh sums up. Exit status is 1 if anything failed.
*/
#ifndef ARROYO_UNIT_H
#define ARROYO_UNIT_H
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <inttypes.h>

static int unit_passed, unit_failed;

#define CHECK(cond) do { if (cond) unit_passed++; else { unit_failed++; \
  fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); } } while (0)
#define CHECK_MSG(cond, ...) do { if (cond) unit_passed++; else { unit_failed++; \
  fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
  fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)
#define CHECK_STR(got, want) do { const char *g_ = (got), *w_ = (want); \
  if (g_ && w_ && strcmp(g_, w_) == 0) unit_passed++; else { unit_failed++; \
  fprintf(stderr, "FAIL %s:%d: %s: got \"%s\", want \"%s\"\n", __FILE__, __LINE__, #got, \
          g_ ? g_ : "(null)", w_ ? w_ : "(null)"); } } while (0)
#define CHECK_I64(got, want) do { int64_t g_ = (int64_t)(got), w_ = (int64_t)(want); \
  if (g_ == w_) unit_passed++; else { unit_failed++; \
  fprintf(stderr, "FAIL %s:%d: %s: got %" PRId64 ", want %" PRId64 "\n", __FILE__, __LINE__, \
          #got, g_, w_); } } while (0)

#define UNIT_MAIN(body) int main(void) { body; \
  printf("%d passed, %d failed\n", unit_passed, unit_failed); return unit_failed ? 1 : 0; }

#endif
