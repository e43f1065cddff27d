/*
** bench/json_ingest/gen.c: writes the JSON-lines input of the ingest benchmark.
**
** Usage: gen ROWS OUT.json
** Each line is one object with 13 typed columns, like an event stream:
**   id BIGINT, user_id BIGINT, amount DOUBLE (2 decimals), score DOUBLE (a random double in
**   [0, 1) printed with its shortest round-trip digits, 15-17 of them), name TEXT,
**   city TEXT (null in 1 of 10 rows), ts TIMESTAMP (RFC 3339 with ms and 'Z'),
**   active BOOLEAN, qty BIGINT (null in 1 of 5 rows), lat DOUBLE and lon DOUBLE
**   (6 decimals), note TEXT (an escaped quote or \u00e9 in 1 of 8 rows), category TEXT.
** Deterministic (fixed seed), so the file and the checksums are the same on every run.
** It does not measure anything (decode.c and duckdb.mjs do).
*/
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include "../../runtime/runtime.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next(void) {            /* xorshift64* */
  rng ^= rng >> 12; rng ^= rng << 25; rng ^= rng >> 27;
  return rng * 0x2545F4914F6CDD1Dull;
}

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: gen ROWS OUT.json\n"); return 2; }
  long rows = atol(argv[1]);
  FILE *f = fopen(argv[2], "w");
  if (!f) { perror(argv[2]); return 1; }
  static const char *names[] = { "Alice Smith", "Bob Jones", "Carla Diaz", "Deepak Rao",
    "Eve Martin", "Farid Haddad", "Grace Lee", "Hiro Tanaka", "Ines Costa", "Jon Berg" };
  static const char *cities[] = { "San Francisco", "Berlin", "Tokyo", "Lagos", "Lima",
    "Oslo", "Pune", "Austin" };
  static const char *cats[] = { "books", "electronics", "garden", "toys", "grocery", "sports" };
  setvbuf(f, NULL, _IOFBF, 1 << 20);
  int64_t ts = INT64_C(1696871600000) * 1000000;   /* 2023-10-09T17:13:20Z */
  for (long i = 0; i < rows; i++) {
    uint64_t r = next();
    char score[40], tsb[48];
    fmt_f64((double)(next() >> 11) / 9007199254740992.0, score);
    ts += (int64_t)(r % 1000) * 1000000;
    ts_format(ts, tsb);
    fprintf(f, "{\"id\":%ld,\"user_id\":%llu,\"amount\":%llu.%02llu,\"score\":%s,\"name\":\"%s\",",
            i, (unsigned long long)(r >> 40) % 1000000, (unsigned long long)(r >> 20) % 5000,
            (unsigned long long)(r >> 8) % 100, score, names[r % 10]);
    if (i % 10 == 3) fprintf(f, "\"city\":null,");
    else fprintf(f, "\"city\":\"%s\",", cities[(r >> 5) % 8]);
    fprintf(f, "\"ts\":\"%.23sZ\",\"active\":%s,", tsb, (r >> 9) & 1 ? "true" : "false");
    if (i % 5 == 1) fprintf(f, "\"qty\":null,");
    else fprintf(f, "\"qty\":%llu,", (unsigned long long)(r >> 30) % 100);
    fprintf(f, "\"lat\":%s%llu.%06llu,\"lon\":%s%llu.%06llu,", (r >> 3) & 1 ? "-" : "",
            (unsigned long long)(r >> 17) % 90, (unsigned long long)(r >> 23) % 1000000,
            (r >> 4) & 1 ? "-" : "", (unsigned long long)(r >> 29) % 180,
            (unsigned long long)(r >> 37) % 1000000);
    if (i % 8 == 5) fprintf(f, "\"note\":\"said \\\"hello\\\" at the caf\\u00e9\",");
    else fprintf(f, "\"note\":\"order %ld shipped\",", i * 7);
    fprintf(f, "\"category\":\"%s\"}\n", cats[(r >> 13) % 6]);
  }
  if (fclose(f) != 0) { perror(argv[2]); return 1; }
  return 0;
}
