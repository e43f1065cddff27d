/*
** bench/nexmark/baseline_q5.c: hand-written C baseline for Nexmark q5 (hot items): per
** hop(2 s, 10 s) window the bid count of every auction, and the auctions whose count is the
** window's maximum (the query: the per-auction counts joined on the window with their
** per-window max, num >= maxn). Output rows (auction, num), one per hot auction per window.
** Same stream as the query's nexmark source (standard config, base time 2023-01-01T00:00:00Z,
** 100 ns between events, events 0 .. N-1) from connectors/nexmark_gen.c, one thread.
**
** The tightest loop we could write: windows are built from panes of one slide (2 s,
** epoch-aligned, as the engine does), so a bid costs one hash-map increment in its pane's map
** (open addressing, auction -> count). Events come in time order, so when a bid lands in a
** later pane, every window that ends at or before that pane's start is complete: its counts
** are the sum of its 5 panes' maps, its maximum is found and the auctions with that count are
** emitted; panes no open window needs are cleared for reuse. At the end of the stream the
** windows still open (every window containing a bid) are emitted the same way. "Write" = count
** the row and add a mix of (auction, num) to an order-independent checksum; --print also
** prints each row as "auction num" (bench/nexmark/check_q5.sh compares that with our q5).
**
** Build: gcc -O2 -Iconnectors bench/nexmark/baseline_q5.c connectors/nexmark_gen.c -lpthread -lm
** Run:   baseline_q5 [EVENTS] [--print] [--inter-event-ns NS]   (prints "rows=<n> checksum=<x>"
**        last; NS is the event-time step, default 100 as in run.sh's queries; check_q5.sh uses a
**        larger one so that a small run spans many panes and windows)
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "nexmark_gen.h"

#define SLIDE_NS INT64_C(2000000000)
#define PANES 5                                  /* width 10 s / slide 2 s */

/* auction -> count; an empty slot has count 0 (counts are >= 1 once inserted) */
typedef struct Map { int64_t *key, *count; uint64_t cap, n; } Map;

static void map_init(Map *m, uint64_t cap) {
  m->cap = cap;
  m->n = 0;
  m->key = malloc(cap * sizeof *m->key);
  m->count = calloc(cap, sizeof *m->count);
  if (!m->key || !m->count) { fprintf(stderr, "baseline_q5: out of memory\n"); exit(1); }
}

static void map_clear(Map *m) {
  if (m->n) memset(m->count, 0, m->cap * sizeof *m->count);
  m->n = 0;
}

static inline uint64_t slot_of(int64_t key, uint64_t cap) {
  return ((uint64_t)key * UINT64_C(0x9e3779b97f4a7c15)) >> 32 & (cap - 1);
}

static void map_add(Map *m, int64_t key, int64_t c);

static void map_grow(Map *m) {
  Map g;
  map_init(&g, m->cap * 2);
  for (uint64_t i = 0; i < m->cap; i++)
    if (m->count[i]) map_add(&g, m->key[i], m->count[i]);
  free(m->key);
  free(m->count);
  *m = g;
}

static void map_add(Map *m, int64_t key, int64_t c) {
  uint64_t i = slot_of(key, m->cap);
  while (m->count[i] && m->key[i] != key) i = (i + 1) & (m->cap - 1);
  if (!m->count[i]) {
    m->key[i] = key;
    m->n++;
    m->count[i] = c;
    if (m->n * 4 > m->cap * 3) map_grow(m);
    return;
  }
  m->count[i] += c;
}

static Map panes[PANES];        /* pane q lives in panes[q % PANES] while pane_id[...] == q */
static int64_t pane_id[PANES];
static Map win;                 /* scratch: one window's counts */
static uint64_t rows, sink;
static int print;

static void emit(int64_t auction, int64_t num) {
  rows++;
  uint64_t h = (uint64_t)auction * UINT64_C(0x9e3779b97f4a7c15) ^ (uint64_t)num * UINT64_C(0xbf58476d1ce4e5b9);
  sink += h ^ (h >> 29);
  if (print) printf("%lld %lld\n", (long long)auction, (long long)num);
}

/* The window whose last pane is q: panes q - 4 .. q. */
static void close_window(int64_t q) {
  const Map *one = NULL;
  int present = 0;
  for (int64_t p = q - PANES + 1; p <= q; p++) {
    int s = (int)(((p % PANES) + PANES) % PANES);
    if (pane_id[s] == p && panes[s].n) { present++; one = &panes[s]; }
  }
  if (!present) return;
  if (present > 1) {            /* sum the panes (a single pane is used as it is) */
    map_clear(&win);
    for (int64_t p = q - PANES + 1; p <= q; p++) {
      int s = (int)(((p % PANES) + PANES) % PANES);
      if (pane_id[s] != p) continue;
      for (uint64_t i = 0; i < panes[s].cap; i++)
        if (panes[s].count[i]) map_add(&win, panes[s].key[i], panes[s].count[i]);
    }
    one = &win;
  }
  int64_t max = 0;
  for (uint64_t i = 0; i < one->cap; i++) if (one->count[i] > max) max = one->count[i];
  for (uint64_t i = 0; i < one->cap; i++) if (one->count[i] == max) emit(one->key[i], max);
}

int main(int argc, char **argv) {
  uint64_t events = 20000000;
  int64_t step = 100;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--print")) print = 1;
    else if (!strcmp(argv[i], "--inter-event-ns") && i + 1 < argc) step = strtoll(argv[++i], NULL, 10);
    else events = strtoull(argv[i], NULL, 10);
  }
  NxConfig cfg;
  nx_config_init(&cfg, INT64_C(1672531200) * 1000000000, step);
  char *buf = malloc(nx_max_event_bytes(&cfg));
  if (!buf) return 1;
  for (int s = 0; s < PANES; s++) { map_init(&panes[s], 1024); pane_id[s] = INT64_MIN; }
  map_init(&win, 1024);
  int64_t cur = INT64_MIN;      /* pane of the latest bid */
  Map *m = NULL;
  NxEvent ev;
  for (uint64_t n = 0; n < events; n++) {
    nx_event(&cfg, n, &ev, buf);
    if (ev.kind != NX_BID) continue;
    int64_t t = ev.u.bid.datetime;
    int64_t q = t / SLIDE_NS - (t % SLIDE_NS < 0);
    if (q != cur) {             /* a later pane: windows ending by its start are complete */
      if (cur != INT64_MIN) {
        int64_t last = q - 1 < cur + PANES - 1 ? q - 1 : cur + PANES - 1;   /* later ones are empty */
        for (int64_t w = cur; w <= last; w++) close_window(w);
      }
      int s = (int)(((q % PANES) + PANES) % PANES);
      map_clear(&panes[s]);     /* pane q - 5 (if it was there) belongs to no open window now */
      pane_id[s] = q;
      for (int k = 0; k < PANES; k++)   /* panes before q - 4 after a gap */
        if (pane_id[k] != INT64_MIN && pane_id[k] < q - PANES + 1) { map_clear(&panes[k]); pane_id[k] = INT64_MIN; }
      m = &panes[s];
      cur = q;
    }
    map_add(m, ev.u.bid.auction, 1);
  }
  if (cur != INT64_MIN)
    for (int64_t w = cur; w < cur + PANES; w++) close_window(w);
  fprintf(print ? stderr : stdout, "rows=%llu checksum=%llx\n", (unsigned long long)rows,
          (unsigned long long)sink);
  return 0;
}
