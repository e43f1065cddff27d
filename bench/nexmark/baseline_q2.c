/*
** bench/nexmark/baseline_q2.c: hand-written C baseline for Nexmark q2 (selection): bids with auction % 123 == 0; auction and price go to the sink.
** The same stream as the query's nexmark source (standard config, base time
** 2023-01-01T00:00:00Z, 100 ns between events, events 0 .. N-1) from connectors/nexmark_gen.c,
** one thread, and the tightest loop we could write: generate, keep bids, compute, "write" =
** count the row and fold its fields into a checksum (the blackhole sink only counts rows).
**
** Build: gcc -O2 -Iconnectors bench/nexmark/baseline_q2.c connectors/nexmark_gen.c -lpthread -lm
** Run:   baseline_q2 [EVENTS]   (prints "rows=<n> checksum=<x>")
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "nexmark_gen.h"

int main(int argc, char **argv) {
  uint64_t events = argc > 1 ? strtoull(argv[1], NULL, 10) : 20000000;
  NxConfig cfg;
  nx_config_init(&cfg, INT64_C(1672531200) * 1000000000, 100);
  char *buf = malloc(nx_max_event_bytes(&cfg));
  if (!buf) return 1;
  uint64_t rows = 0, sink = 0;
  NxEvent ev;
  for (uint64_t n = 0; n < events; n++) {
    nx_event(&cfg, n, &ev, buf);
    if (ev.kind == NX_BID) {
      const NxBid *b = &ev.u.bid;
      if (b->auction % 123 != 0) continue;
      rows++;
      sink ^= (uint64_t)b->auction + (uint64_t)b->price * 5;
    }
  }
  printf("rows=%llu checksum=%llx\n", (unsigned long long)rows, (unsigned long long)sink);
  free(buf);
  return 0;
}
