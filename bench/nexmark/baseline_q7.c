/*
** bench/nexmark/baseline_q7.c: hand-written C baseline for Nexmark q7 (highest bid): the bids
** whose price is the maximum of their 10 s tumbling window (the query: bids with
** B.datetime BETWEEN end - 10 s AND end joined on price = the max of the window ending at end).
** Same stream as the query's nexmark source (standard config, base time 2023-01-01T00:00:00Z,
** 100 ns between events, events 0 .. N-1) from connectors/nexmark_gen.c, one thread.
** The tightest loop we could write: per window, the running maximum and the bids that equal
** it (a higher price empties the list); a window is emitted when a bid at or past its end
** arrives (events are in time order), and a bid exactly at the end of the previous window
** with its maximum price also matches (BETWEEN is inclusive). "Write" = count the row and
** fold its fields into a checksum.
**
** Build: gcc -O2 -Iconnectors bench/nexmark/baseline_q7.c connectors/nexmark_gen.c -lpthread -lm
** Run:   baseline_q7 [EVENTS]   (prints "rows=<n> checksum=<x>")
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "nexmark_gen.h"

#define WINDOW_NS INT64_C(10000000000)

typedef struct Cand { int64_t auction, price, bidder, datetime, extra_len; } Cand;

static uint64_t rows, sink;

static void emit(const Cand *c) {
  rows++;
  sink ^= (uint64_t)c->auction + (uint64_t)c->price * 5 + (uint64_t)c->bidder * 3 +
          (uint64_t)c->datetime * 7 + (uint64_t)c->extra_len;
}

int main(int argc, char **argv) {
  uint64_t events = argc > 1 ? strtoull(argv[1], NULL, 10) : 20000000;
  NxConfig cfg;
  nx_config_init(&cfg, INT64_C(1672531200) * 1000000000, 100);
  char *buf = malloc(nx_max_event_bytes(&cfg));
  size_t cap = 1024, n_cand = 0;
  Cand *cand = malloc(cap * sizeof *cand);
  if (!buf || !cand) return 1;
  int64_t win_end = INT64_MIN, max = -1;       /* current window [win_end - W, win_end) */
  int64_t prev_end = INT64_MIN, prev_max = -1; /* the window emitted last */
  NxEvent ev;
  for (uint64_t n = 0; n < events; n++) {
    nx_event(&cfg, n, &ev, buf);
    if (ev.kind != NX_BID) continue;
    const NxBid *b = &ev.u.bid;
    if (b->datetime >= win_end) {              /* close the window: emit its maximum bids */
      for (size_t i = 0; i < n_cand; i++) emit(&cand[i]);
      if (n_cand) { prev_end = win_end; prev_max = max; }
      win_end = b->datetime - b->datetime % WINDOW_NS + WINDOW_NS;
      max = -1;
      n_cand = 0;
    }
    Cand c = { b->auction, b->price, b->bidder, b->datetime, b->extra.len };
    if (b->datetime == prev_end && b->price == prev_max) emit(&c);
    if (b->price < max) continue;
    if (b->price > max) { max = b->price; n_cand = 0; }
    if (n_cand == cap) {
      cap *= 2;
      cand = realloc(cand, cap * sizeof *cand);
      if (!cand) return 1;
    }
    cand[n_cand++] = c;
  }
  for (size_t i = 0; i < n_cand; i++) emit(&cand[i]);
  printf("rows=%llu checksum=%llx\n", (unsigned long long)rows, (unsigned long long)sink);
  free(cand);
  free(buf);
  return 0;
}
