/*
** bench/window_agg/baseline.c: hand-written C doing the work of the window_agg queries,
** single-threaded, as the reference the generated pipelines are measured against.
**
**   baseline MODE N K [P]
**
** The input is the impulse source of the queries, generated inline: counter c = 0..N-1,
** event time ts = c microseconds (start_time 0, event_time_interval 1 us), key = c % K,
** v = c % 997. P > 1 gives the input of the worker at --parallelism P instead (see
** EVENTS_BEGIN); the benchmark uses P = 1 and check.py P = 2. MODEs:
**   tumble        GROUP BY key, tumble(10 s): count(*), sum(v), max(v)
**   tumble_count  GROUP BY key, tumble(10 s): count(*) only
**   hop           GROUP BY key, hop(2 s, 10 s): count(*), sum(v), max(v), with per-slide
**                 panes: every event updates one (pane, key) accumulator; a window is the
**                 merge of its 5 panes when it closes
**   hop_ring      the same result with another state layout (diagnostic): one map by key
**                 whose entry holds the key's 6 most recent panes in a ring, so an event is
**                 one lookup and closing a window is one pass over the map
**
** Watermark and window closing as the worker does them for this query: the watermark trails
** the largest event time seen by 1 s (the default delay); a window [s, e) is emitted and its
** memory freed once the watermark reaches e; when the input ends every open window is
** flushed in order. State per window (tumble) or pane (hop) is an open-addressing hash map
** keyed by the key, one map per window/pane, i.e. keyed by (window, key); a new map starts
** at the capacity its predecessor ended with (what a C programmer would do to avoid regrowing
** it every window). sum() is overflow-checked as SQL requires. Every output row (window
** start, key, count, sum, max) is folded into an order-independent checksum that is printed
** with the row count, so nothing is optimised away; the worker's blackhole sink reports its
** row count, which must match.
**
** Output on stdout: "rows_in=N rows_out=M checksum=X".
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEC 1000000000LL
#define DELAY (1 * SEC)          /* default watermark delay */
#define TUMBLE (10 * SEC)
#define SLIDE (2 * SEC)
#define WIDTH (10 * SEC)
#define NPANES (WIDTH / SLIDE)   /* panes per hop window */
#define VMOD 997

static uint64_t rows_out, checksum;

#define ALWAYS_INLINE inline __attribute__((always_inline))

/* The input: N events. With P copies (the worker's impulse at --parallelism P, one generator
** per subtask with message_count N/P and a P us event-time step), counter c = 0..N/P-1 occurs
** P times at event time c * P us; P = 1 is the plain 0..N-1 at c us. The loops below are
** instantiated with P = 1 as a constant, so the benchmarked path has no inner loop. */
#define EVENTS_BEGIN(n, copies)                                         \
  for (uint64_t c = 0; c < (n) / (copies); c++) {                       \
    int64_t ts = (int64_t)(c * (copies)) * 1000;                        \
    for (uint64_t rep_ = 0; rep_ < (copies); rep_++) {
#define EVENTS_END }}

static void *xcalloc(size_t n, size_t sz) {
  void *p = calloc(n, sz);
  if (!p) { fprintf(stderr, "baseline: out of memory\n"); exit(1); }
  return p;
}

/* Order-independent checksum of one output row (the worker emits in insertion order, we in
** slot order). */
static void out_row(int64_t start, uint64_t key, int64_t count, uint64_t sum, uint64_t max) {
  uint64_t h = (uint64_t)start * 0x9E3779B97F4A7C15ULL;
  h = (h ^ key) * 0xC2B2AE3D27D4EB4FULL;
  h = (h ^ (uint64_t)count) * 0x165667B19E3779F9ULL;
  h = (h ^ sum) * 0x9E3779B97F4A7C15ULL;
  h = (h ^ max) * 0xC2B2AE3D27D4EB4FULL;
  checksum += h ^ (h >> 29);
  rows_out++;
}

/* Fibonacci hashing: the top `bits` bits of key * 2^64/phi. */
static inline uint64_t home(uint64_t key, unsigned bits) {
  return (key * 0x9E3779B97F4A7C15ULL) >> (64 - bits);
}

/* ---- one map per window or pane: key -> (count, sum, max) ------------------------------- */

typedef struct Acc {    /* 32 bytes: a slot never straddles a cache line */
  uint64_t key;
  int64_t count;       /* 0: empty slot (a live key has counted at least one row) */
  uint64_t sum;
  uint64_t max;
} Acc;

typedef struct Map {
  int64_t start;       /* window / pane start */
  Acc *s;
  unsigned bits;
  uint64_t n;
  int64_t *emitted_for; /* hop: per slot, end of the window the entry was last merged into;
                           allocated when the pane is first emitted (it is complete then) */
} Map;

static void map_init(Map *m, int64_t start, unsigned bits) {
  m->start = start;
  m->bits = bits;
  m->n = 0;
  m->s = xcalloc((size_t)1 << bits, sizeof(Acc));
  m->emitted_for = NULL;
}

static Acc *map_find(const Map *m, uint64_t key) {
  uint64_t mask = ((uint64_t)1 << m->bits) - 1;
  for (uint64_t p = home(key, m->bits);; p = (p + 1) & mask) {
    Acc *a = &m->s[p];
    if (a->count == 0) return NULL;
    if (a->key == key) return a;
  }
}

static void map_grow(Map *m);

/* The key's accumulator, created (count 0, to be incremented by the caller) if absent. */
static inline Acc *map_upsert(Map *m, uint64_t key) {
  uint64_t mask = ((uint64_t)1 << m->bits) - 1;
  for (uint64_t p = home(key, m->bits);; p = (p + 1) & mask) {
    Acc *a = &m->s[p];
    if (a->count == 0) {
      if ((m->n + 1) * 2 > mask + 1) {     /* keep the load <= 1/2 */
        map_grow(m);
        return map_upsert(m, key);
      }
      m->n++;
      a->key = key;
      a->sum = 0;
      a->max = 0;
      return a;
    }
    if (a->key == key) return a;
  }
}

static void map_grow(Map *m) {
  Acc *old = m->s;
  uint64_t cap = (uint64_t)1 << m->bits;
  m->bits++;
  m->s = xcalloc((size_t)1 << m->bits, sizeof(Acc));
  uint64_t mask = ((uint64_t)1 << m->bits) - 1;
  for (uint64_t i = 0; i < cap; i++) {
    if (old[i].count == 0) continue;
    uint64_t p = home(old[i].key, m->bits);
    while (m->s[p].count != 0) p = (p + 1) & mask;
    m->s[p] = old[i];
  }
  free(old);
}

static inline void acc_add(Acc *a, uint64_t v) {
  a->count++;
  if (__builtin_add_overflow(a->sum, v, &a->sum)) {
    fprintf(stderr, "baseline: overflow in sum()\n");
    exit(1);
  }
  if (v > a->max || a->count == 1) a->max = v;
}

/* ---- open windows / panes: a queue ordered by start ------------------------------------- */

#define MAXOPEN 64

typedef struct Open {
  Map m[MAXOPEN];      /* ring of open maps, oldest at head */
  unsigned head, n;
  unsigned hint_bits;  /* capacity of the last map freed, for the next one */
} Open;

static Map *open_at(Open *o, unsigned i) { return &o->m[(o->head + i) % MAXOPEN]; }

/* The map of window/pane `start`: in-order input makes it the newest (or a new one). */
static inline Map *open_get(Open *o, int64_t start) {
  if (o->n > 0) {
    Map *last = open_at(o, o->n - 1);
    if (last->start == start) return last;
    for (unsigned i = o->n; i-- > 0;) {            /* out-of-order input: rare */
      Map *m = open_at(o, i);
      if (m->start == start) return m;
      if (m->start < start) break;
    }
    if (last->start > start) {
      fprintf(stderr, "baseline: input out of order (the generator never does this)\n");
      exit(1);
    }
  }
  if (o->n == MAXOPEN) { fprintf(stderr, "baseline: too many open windows\n"); exit(1); }
  Map *m = open_at(o, o->n++);
  map_init(m, start, o->hint_bits);
  return m;
}

static void open_pop(Open *o) {
  Map *m = open_at(o, 0);
  o->hint_bits = m->bits;
  free(m->s);
  free(m->emitted_for);
  m->s = NULL;
  m->emitted_for = NULL;
  o->head = (o->head + 1) % MAXOPEN;
  o->n--;
}

static inline int64_t floor_to(int64_t ts, int64_t step) {
  int64_t q = ts / step;
  if (ts % step < 0) q--;
  return q * step;
}

/* ---- tumble ------------------------------------------------------------------------------ */

static void emit_tumble(const Map *m, int with_sum_max) {
  uint64_t cap = (uint64_t)1 << m->bits;
  for (uint64_t i = 0; i < cap; i++) {
    const Acc *a = &m->s[i];
    if (a->count == 0) continue;
    if (with_sum_max) out_row(m->start, a->key, a->count, a->sum, a->max);
    else out_row(m->start, a->key, a->count, 0, 0);
  }
}

/* The loops keep the current window's map and bounds, and the watermark at which the next
** window closes, so the per-event path is: bounds check, map upsert, update, one compare. */
static ALWAYS_INLINE void tumble_loop(uint64_t n, uint64_t k, int with_sum_max, uint64_t copies) {
  Open o = { .hint_bits = 10 };
  Map *cur = NULL;
  int64_t lo = INT64_MAX, hi = INT64_MIN;   /* cur's window [lo, hi) */
  int64_t due = INT64_MAX;                  /* watermark that closes the oldest window */
  EVENTS_BEGIN(n, copies)
    if (ts < lo || ts >= hi) {
      lo = floor_to(ts, TUMBLE);
      hi = lo + TUMBLE;
      cur = open_get(&o, lo);
      due = open_at(&o, 0)->start + TUMBLE;
    }
    Acc *a = map_upsert(cur, c % k);
    if (with_sum_max) acc_add(a, c % VMOD);
    else a->count++;
    if (ts - DELAY >= due) {                /* the watermark is ts - DELAY (in-order input) */
      while (o.n > 0 && open_at(&o, 0)->start + TUMBLE <= ts - DELAY) {
        emit_tumble(open_at(&o, 0), with_sum_max);
        open_pop(&o);
      }
      due = o.n > 0 ? open_at(&o, 0)->start + TUMBLE : INT64_MAX;
    }
  EVENTS_END
  while (o.n > 0) {            /* end of input: final watermark */
    emit_tumble(open_at(&o, 0), with_sum_max);
    open_pop(&o);
  }
}

static void run_tumble(uint64_t n, uint64_t k, int with_sum_max, uint64_t copies) {
  if (copies != 1) tumble_loop(n, k, with_sum_max, copies);
  else if (with_sum_max) tumble_loop(n, k, 1, 1);
  else tumble_loop(n, k, 0, 1);
}

/* ---- hop with per-slide panes -------------------------------------------------------------- */

/* Emit the window [end - WIDTH, end): the open panes in it are the first `np` of the queue.
** Each key is merged once: visiting the panes oldest first, a key not yet stamped with this
** window is looked up in the later panes, merged, stamped there, and emitted. */
static void emit_hop(Open *o, int64_t end) {
  Map *ps[NPANES];
  int np = 0;
  for (unsigned i = 0; i < o->n && np < NPANES; i++) {
    Map *m = open_at(o, i);
    if (m->start >= end) break;
    if (m->start >= end - WIDTH) ps[np++] = m;
  }
  for (int i = 0; i < np; i++) {
    uint64_t cap = (uint64_t)1 << ps[i]->bits;
    if (!ps[i]->emitted_for) {
      ps[i]->emitted_for = xcalloc(cap, sizeof(int64_t));
      for (uint64_t j = 0; j < cap; j++) ps[i]->emitted_for[j] = INT64_MIN;
    }
  }
  for (int i = 0; i < np; i++) {
    uint64_t cap = (uint64_t)1 << ps[i]->bits;
    for (uint64_t j = 0; j < cap; j++) {
      Acc *a = &ps[i]->s[j];
      if (a->count == 0 || ps[i]->emitted_for[j] == end) continue;
      int64_t count = a->count;
      uint64_t sum = a->sum, max = a->max;
      for (int q = i + 1; q < np; q++) {
        Acc *b = map_find(ps[q], a->key);
        if (!b) continue;
        ps[q]->emitted_for[b - ps[q]->s] = end;
        count += b->count;
        if (__builtin_add_overflow(sum, b->sum, &sum)) {
          fprintf(stderr, "baseline: overflow in sum()\n");
          exit(1);
        }
        if (b->max > max) max = b->max;
      }
      out_row(end - WIDTH, a->key, count, sum, max);
    }
  }
}

/* Close every window ending at or before `wm`: the earliest one not yet emitted ends one
** slide after the oldest open pane (or after the last emitted end). Panes no later window
** needs are freed. */
static void close_hop(Open *o, int64_t wm, int64_t *next_end) {
  while (o->n > 0) {
    int64_t end = open_at(o, 0)->start + SLIDE;
    if (*next_end > end) end = *next_end;
    if (end > wm) break;
    emit_hop(o, end);
    *next_end = end + SLIDE;
    while (o->n > 0 && open_at(o, 0)->start < *next_end - WIDTH) open_pop(o);
  }
}

static ALWAYS_INLINE void hop_loop(uint64_t n, uint64_t k, uint64_t copies) {
  Open o = { .hint_bits = 10 };
  Map *cur = NULL;
  int64_t lo = INT64_MAX, hi = INT64_MIN;   /* cur's pane [lo, hi) */
  int64_t next_end = INT64_MIN;             /* end of the next window to emit, once known */
  int64_t due = INT64_MAX;                  /* watermark at which that window closes */
  EVENTS_BEGIN(n, copies)
    if (ts < lo || ts >= hi) {
      lo = floor_to(ts, SLIDE);
      hi = lo + SLIDE;
      cur = open_get(&o, lo);
      due = open_at(&o, 0)->start + SLIDE;
      if (next_end > due) due = next_end;
    }
    acc_add(map_upsert(cur, c % k), c % VMOD);
    if (ts - DELAY >= due) {
      close_hop(&o, ts - DELAY, &next_end);
      due = o.n > 0 ? open_at(&o, 0)->start + SLIDE : INT64_MAX;
      if (next_end > due) due = next_end;
    }
  EVENTS_END
  close_hop(&o, INT64_MAX, &next_end);
}

static void run_hop(uint64_t n, uint64_t k, uint64_t copies) {
  if (copies == 1) hop_loop(n, k, 1);
  else hop_loop(n, k, copies);
}

/* ---- hop, one map by key with a ring of the key's panes (diagnostic) --------------------- */

typedef struct Pane {
  int64_t start;       /* INT64_MIN: unused */
  int64_t count;
  uint64_t sum;
  uint64_t max;
} Pane;

/* A window's panes plus one: when the first row of a pane arrives, the watermark (1 s
** behind) has not yet closed the window that ends where this pane starts, so the pane a ring
** of NPANES would overwrite is still needed. */
#define RING (NPANES + 1)

typedef struct RingEnt {
  uint64_t key;
  int64_t state;       /* 0 empty, 1 live, 2 deleted (tombstone) */
  Pane p[RING];        /* pane with start s lives at (s / SLIDE) % RING */
} RingEnt;

typedef struct Ring {
  RingEnt *s;
  unsigned bits;
  uint64_t live, used;   /* live entries; live + tombstones */
} Ring;

static void ring_rebuild(Ring *r, unsigned bits) {
  RingEnt *old = r->s;
  uint64_t cap = old ? (uint64_t)1 << r->bits : 0;
  r->bits = bits;
  r->s = xcalloc((size_t)1 << bits, sizeof(RingEnt));
  uint64_t mask = ((uint64_t)1 << bits) - 1;
  for (uint64_t i = 0; i < cap; i++) {
    if (old[i].state != 1) continue;
    uint64_t p = home(old[i].key, bits);
    while (r->s[p].state != 0) p = (p + 1) & mask;
    r->s[p] = old[i];
  }
  r->used = r->live;
  free(old);
}

static inline RingEnt *ring_upsert(Ring *r, uint64_t key) {
  uint64_t mask = ((uint64_t)1 << r->bits) - 1;
  RingEnt *tomb = NULL;
  for (uint64_t p = home(key, r->bits);; p = (p + 1) & mask) {
    RingEnt *e = &r->s[p];
    if (e->state == 0) {
      if (!tomb && (r->used + 1) * 2 > mask + 1) {
        ring_rebuild(r, r->live * 4 > mask + 1 ? r->bits + 1 : r->bits);
        return ring_upsert(r, key);
      }
      if (tomb) e = tomb; else r->used++;
      e->key = key;
      e->state = 1;
      for (int i = 0; i < RING; i++) e->p[i].start = INT64_MIN;
      r->live++;
      return e;
    }
    if (e->state == 2) { if (!tomb) tomb = e; continue; }
    if (e->key == key) return e;
  }
}

/* Emit windows ending at or before wm; a key whose panes all precede the next window is
** deleted (tombstone), and the map is rebuilt when tombstones pile up. */
static void ring_close(Ring *r, int64_t wm, int64_t *next_end, int64_t newest_pane) {
  for (;;) {
    int64_t end = *next_end;
    if (end == INT64_MIN) return;
    if (end > wm || end - WIDTH > newest_pane) return;
    uint64_t cap = (uint64_t)1 << r->bits;
    for (uint64_t i = 0; i < cap; i++) {
      RingEnt *e = &r->s[i];
      if (e->state != 1) continue;
      int64_t count = 0;
      uint64_t sum = 0, max = 0;
      int keep = 0;
      for (int j = 0; j < RING; j++) {
        const Pane *p = &e->p[j];
        if (p->start == INT64_MIN) continue;
        if (p->start >= end - WIDTH + SLIDE) keep = 1;   /* needed by the next window */
        if (p->start < end - WIDTH || p->start >= end) continue;
        if (count == 0 || p->max > max) max = p->max;
        count += p->count;
        if (__builtin_add_overflow(sum, p->sum, &sum)) {
          fprintf(stderr, "baseline: overflow in sum()\n");
          exit(1);
        }
      }
      if (count) out_row(end - WIDTH, e->key, count, sum, max);
      if (!keep) { e->state = 2; r->live--; }
    }
    if (r->used - r->live > ((uint64_t)1 << r->bits) / 4) ring_rebuild(r, r->bits);
    *next_end = end + SLIDE;
  }
}

static ALWAYS_INLINE void hop_ring_loop(uint64_t n, uint64_t k, uint64_t copies) {
  Ring r = { 0 };
  ring_rebuild(&r, 10);
  int64_t wm = INT64_MIN, next_end = INT64_MIN, newest = INT64_MIN;
  EVENTS_BEGIN(n, copies)
    int64_t ps = floor_to(ts, SLIDE);
    if (ps > newest) {
      newest = ps;
      if (next_end == INT64_MIN) next_end = ps + SLIDE;
    }
    RingEnt *e = ring_upsert(&r, c % k);
    Pane *p = &e->p[((ps / SLIDE) % RING + RING) % RING];
    if (p->start != ps) {          /* the slot held a pane RING slides older: reuse it */
      if (p->start != INT64_MIN && p->start >= next_end - WIDTH) {
        fprintf(stderr, "baseline: hop_ring: pane still needed (ring too small)\n");
        exit(1);
      }
      p->start = ps;
      p->count = 0;
      p->sum = 0;
      p->max = 0;
    }
    uint64_t v = c % VMOD;
    p->count++;
    if (__builtin_add_overflow(p->sum, v, &p->sum)) {
      fprintf(stderr, "baseline: overflow in sum()\n");
      exit(1);
    }
    if (v > p->max || p->count == 1) p->max = v;
    if (ts - DELAY > wm) {
      wm = ts - DELAY;
      if (next_end != INT64_MIN && next_end <= wm) ring_close(&r, wm, &next_end, newest);
    }
  EVENTS_END
  ring_close(&r, INT64_MAX, &next_end, newest);
  free(r.s);
}

static void run_hop_ring(uint64_t n, uint64_t k, uint64_t copies) {
  if (copies == 1) hop_ring_loop(n, k, 1);
  else hop_ring_loop(n, k, copies);
}

int main(int argc, char **argv) {
  if (argc != 4 && argc != 5) {
    fprintf(stderr, "usage: baseline tumble|tumble_count|hop|hop_ring N K [P]\n");
    return 2;
  }
  uint64_t n = strtoull(argv[2], NULL, 10), k = strtoull(argv[3], NULL, 10);
  uint64_t copies = argc == 5 ? strtoull(argv[4], NULL, 10) : 1;
  if (k == 0 || copies == 0 || n % copies) {
    fprintf(stderr, "baseline: K and P must be > 0, and N a multiple of P\n");
    return 2;
  }
  if (strcmp(argv[1], "tumble") == 0) run_tumble(n, k, 1, copies);
  else if (strcmp(argv[1], "tumble_count") == 0) run_tumble(n, k, 0, copies);
  else if (strcmp(argv[1], "hop") == 0) run_hop(n, k, copies);
  else if (strcmp(argv[1], "hop_ring") == 0) run_hop_ring(n, k, copies);
  else { fprintf(stderr, "baseline: unknown mode %s\n", argv[1]); return 2; }
  printf("rows_in=%llu rows_out=%llu checksum=%016llx\n", (unsigned long long)n,
         (unsigned long long)rows_out, (unsigned long long)checksum);
  return 0;
}
