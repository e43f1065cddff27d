/*
** bench/state/bench_state.c: micro-benchmark of the runtime state tables (runtime/state.c).
**
**   bench_state [SIZES] [RUNS]      SIZES: comma list of key counts (default
**                                   1000,100000,1000000,10000000), RUNS: repeats (default 3)
**
** For each size N it fills a table with N keys and measures, per operation, through the RtApi
** function pointers exactly as generated code calls them (the key hash computed in the loop):
**   insert   st_get(create) of N new keys (and the worst 1024-insert stretch, which shows
**            whether index growth pauses)
**   hit      st_get of existing keys in a scrambled order, updating the 24-byte value
**   miss     st_get(create = 0) of absent keys
**   bytes    StStats.bytes / N (entry slabs + index + lists), for an 8-byte key and a 24-byte
**            value (count, sum, max): key + value = 32 bytes
** and the same for the baseline: a hand-written open-addressing map specialised to 8-byte keys
** with the value stored inline in the slot (what a C programmer would write for one job, with
** no buckets, order, stable pointers or variable keys). Hit/miss ns are the best of RUNS.
** Then a tumbling-window pattern: W windows of R rows over K keys, each row st_get(bucket =
** window, create) + update; at each window end the bucket is visited and dropped. It reports
** ns per row and the table's bytes after every window (flat = memory is reused).
** Every result feeds a checksum that is printed, so nothing is optimised away; wrong counts
** (a hit that misses, a miss that hits) make it exit 1. It does not test correctness further
** (tests/unit/test_state.c does).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "runtime.h"

typedef struct Val { int64_t count; int64_t sum; int64_t max; } Val;

static const RtApi *A;
static RtCtx *ctx;
static uint64_t checksum;
static int failures;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* CPU time of this thread: the insert-stretch measure must not count preemption (the
** benchmark machines are shared), but does count page faults and zeroing. */
static double cpu_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* A bijection on 64-bit values (splitmix64's finalizer): key i of a run is key_of(i). */
static inline uint64_t key_of(uint64_t i) {
  uint64_t z = i + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static inline uint64_t hash_of(uint64_t k) { return rt_hash_mix(0, k); }

/* Visit 0..n-1 in a scrambled order: j += step (mod n) with step coprime to n. */
static uint64_t scramble_step(uint64_t n) {
  uint64_t s = (uint64_t)(n * 0.6180339887) | 1;
  while (s > 1) {
    uint64_t a = n, b = s;
    while (b) { uint64_t r = a % b; a = b; b = r; }
    if (a == 1) break;
    s += 2;
  }
  return s % n ? s % n : 1;
}

/* ---- baseline: open addressing, 8-byte keys, value inline, load <= 1/2 ------------------- */

typedef struct BSlot { uint64_t key; Val v; } BSlot;     /* key UINT64_MAX = empty */
typedef struct BMap { BSlot *s; uint64_t mask; uint64_t n; } BMap;

static void bmap_init(BMap *m, uint64_t cap) {
  m->s = malloc(cap * sizeof(BSlot));
  if (!m->s) { perror("malloc"); exit(1); }
  for (uint64_t i = 0; i < cap; i++) m->s[i].key = UINT64_MAX;
  m->mask = cap - 1;
  m->n = 0;
}

static Val *bmap_get(BMap *m, uint64_t key, uint64_t h, int create);

static void bmap_grow(BMap *m) {
  BMap o = *m;
  bmap_init(m, (o.mask + 1) * 2);
  for (uint64_t i = 0; i <= o.mask; i++)
    if (o.s[i].key != UINT64_MAX) *bmap_get(m, o.s[i].key, hash_of(o.s[i].key), 1) = o.s[i].v;
  free(o.s);
}

static Val *bmap_get(BMap *m, uint64_t key, uint64_t h, int create) {
  for (;;) {
    uint64_t p = h & m->mask;
    while (m->s[p].key != UINT64_MAX) {
      if (m->s[p].key == key) return &m->s[p].v;
      p = (p + 1) & m->mask;
    }
    if (!create) return NULL;
    if ((m->n + 1) * 2 > m->mask + 1) { bmap_grow(m); continue; }
    m->s[p].key = key;
    memset(&m->s[p].v, 0, sizeof(Val));
    m->n++;
    return &m->s[p].v;
  }
}

/* ---- one size ----------------------------------------------------------------------------- */

typedef struct Result {
  double insert_ns, hit_ns, miss_ns, bytes_per;
  double worst_stretch_us;   /* slowest 1024 consecutive inserts, thread CPU time */
} Result;

static StateTable *new_table(void) {
  RtStateDesc d;
  memset(&d, 0, sizeof d);
  d.name = "bench";
  d.value_size = sizeof(Val);
  return st_new(&d);
}

static void run_ours(uint64_t n, int runs, Result *r) {
  StateTable *t = new_table();
  ctx->tables = &t;
  ctx->ntables = 1;
  double worst = 0, t0 = now(), ts = cpu_now();
  for (uint64_t i = 0; i < n; i++) {
    uint64_t k = key_of(i);
    int created;
    Val *v = A->st_get(ctx, 0, 0, hash_of(k), &k, sizeof k, 1, &created, NULL);
    v->count = 1;
    if (!created) failures++;
    if ((i & 1023) == 1023) {
      double tn = cpu_now();
      if (tn - ts > worst) worst = tn - ts;
      ts = tn;
    }
  }
  r->insert_ns = (now() - t0) * 1e9 / (double)n;
  r->worst_stretch_us = worst * 1e6;
  uint64_t step = scramble_step(n);
  r->hit_ns = r->miss_ns = 1e30;
  for (int run = 0; run < runs; run++) {
    uint64_t j = 0, sum = 0;
    t0 = now();
    for (uint64_t i = 0; i < n; i++) {
      uint64_t k = key_of(j);
      Val *v = A->st_get(ctx, 0, 0, hash_of(k), &k, sizeof k, 0, NULL, NULL);
      if (!v) { failures++; continue; }
      v->count++;
      v->sum += (int64_t)i;
      sum += (uint64_t)v->count;
      j += step;
      if (j >= n) j -= n;
    }
    double ns = (now() - t0) * 1e9 / (double)n;
    if (ns < r->hit_ns) r->hit_ns = ns;
    checksum += sum;
    j = 0;
    t0 = now();
    for (uint64_t i = 0; i < n; i++) {
      uint64_t k = key_of(n + j);
      if (A->st_get(ctx, 0, 0, hash_of(k), &k, sizeof k, 0, NULL, NULL)) failures++;
      j += step;
      if (j >= n) j -= n;
    }
    ns = (now() - t0) * 1e9 / (double)n;
    if (ns < r->miss_ns) r->miss_ns = ns;
  }
  StStats s;
  st_stats(t, &s);
  if ((uint64_t)s.entries != n) failures++;
  r->bytes_per = (double)s.bytes / (double)n;
  st_free(t);
  ctx->tables = NULL;
  ctx->ntables = 0;
}

static void run_base(uint64_t n, int runs, Result *r) {
  BMap m;
  bmap_init(&m, 16);
  double worst = 0, t0 = now(), ts = cpu_now();
  for (uint64_t i = 0; i < n; i++) {
    uint64_t k = key_of(i);
    Val *v = bmap_get(&m, k, hash_of(k), 1);
    v->count = 1;
    if ((i & 1023) == 1023) {
      double tn = cpu_now();
      if (tn - ts > worst) worst = tn - ts;
      ts = tn;
    }
  }
  r->insert_ns = (now() - t0) * 1e9 / (double)n;
  r->worst_stretch_us = worst * 1e6;
  uint64_t step = scramble_step(n);
  r->hit_ns = r->miss_ns = 1e30;
  for (int run = 0; run < runs; run++) {
    uint64_t j = 0, sum = 0;
    t0 = now();
    for (uint64_t i = 0; i < n; i++) {
      uint64_t k = key_of(j);
      Val *v = bmap_get(&m, k, hash_of(k), 0);
      if (!v) { failures++; continue; }
      v->count++;
      v->sum += (int64_t)i;
      sum += (uint64_t)v->count;
      j += step;
      if (j >= n) j -= n;
    }
    double ns = (now() - t0) * 1e9 / (double)n;
    if (ns < r->hit_ns) r->hit_ns = ns;
    checksum += sum;
    j = 0;
    t0 = now();
    for (uint64_t i = 0; i < n; i++) {
      uint64_t k = key_of(n + j);
      if (bmap_get(&m, k, hash_of(k), 0)) failures++;
      j += step;
      if (j >= n) j -= n;
    }
    ns = (now() - t0) * 1e9 / (double)n;
    if (ns < r->miss_ns) r->miss_ns = ns;
  }
  r->bytes_per = (double)((m.mask + 1) * sizeof(BSlot)) / (double)n;
  free(m.s);
}

/* ---- tumbling windows ------------------------------------------------------------------- */

static int emit_row(RtCtx *c, void *arg, int64_t bucket, const void *key, uint32_t keylen,
                    void *value) {
  const Val *v = value;
  *(uint64_t *)arg += (uint64_t)v->count * 31 + (uint64_t)v->sum + (uint64_t)bucket;
  return 0;
}

static void run_tumble(int windows, uint64_t rows, uint64_t keys) {
  StateTable *t = new_table();
  ctx->tables = &t;
  ctx->ntables = 1;
  int64_t bmin = INT64_MAX, bmax = 0, first = 0;
  uint64_t step = scramble_step(keys), j = 0, sum = 0;
  double t0 = now(), emit = 0;
  for (int w = 0; w < windows; w++) {
    for (uint64_t i = 0; i < rows; i++) {
      uint64_t k = key_of(j + (uint64_t)w * 7);    /* the key set drifts a little per window */
      Val *v = A->st_get(ctx, 0, w, hash_of(k), &k, sizeof k, 1, NULL, NULL);
      v->count++;
      v->sum += (int64_t)i;
      if ((int64_t)i > v->max) v->max = (int64_t)i;
      j += step;
      if (j >= keys) j -= keys;
    }
    StStats s;
    st_stats(t, &s);                                 /* window w is full: the peak */
    if ((uint64_t)s.entries != keys) failures++;
    if (w == 0) first = s.bytes;
    if (s.bytes < bmin) bmin = s.bytes;
    if (s.bytes > bmax) bmax = s.bytes;
    double te = now();
    int64_t b;
    while ((b = A->st_first_bucket(ctx, 0)) <= w) {   /* the watermark passed window w */
      A->st_visit_bucket(ctx, 0, b, emit_row, &sum);
      A->st_drop_bucket(ctx, 0, b);
    }
    emit += now() - te;
  }
  double total = now() - t0;
  checksum += sum;
  printf("tumble: %d windows x %llu rows over %llu keys: %.1f ns/row (emit+drop %.1f ns/row); "
         "bytes at each window's end: first %.1f MB, min %.1f MB, max %.1f MB\n",
         windows, (unsigned long long)rows, (unsigned long long)keys,
         total * 1e9 / ((double)windows * (double)rows),
         emit * 1e9 / ((double)windows * (double)rows), first / 1e6, bmin / 1e6, bmax / 1e6);
  st_free(t);
  ctx->tables = NULL;
  ctx->ntables = 0;
}

int main(int argc, char **argv) {
  const char *sizes = argc > 1 ? argv[1] : "1000,100000,1000000,10000000";
  int runs = argc > 2 ? atoi(argv[2]) : 3;
  if (runs < 1) runs = 1;
  A = rt_api();
  ctx = rt_ctx_new();
  printf("state tables: 8-byte keys, 24-byte values, hash computed per op, best of %d runs\n",
         runs);
  printf("| keys | ours insert ns | ours hit ns | ours miss ns | ours bytes/entry | "
         "ours worst 1024 inserts us | base hit ns | base miss ns | base bytes/entry | "
         "hit ours/base |\n");
  printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  char *list = strdup(sizes);
  for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
    uint64_t n = strtoull(tok, NULL, 10);
    if (n < 2) continue;
    Result o, b;
    run_ours(n, runs, &o);
    run_base(n, runs, &b);
    printf("| %llu | %.1f | %.1f | %.1f | %.1f | %.0f | %.1f | %.1f | %.1f | %.2f |\n",
           (unsigned long long)n, o.insert_ns, o.hit_ns, o.miss_ns, o.bytes_per,
           o.worst_stretch_us, b.hit_ns, b.miss_ns, b.bytes_per, o.hit_ns / b.hit_ns);
    fflush(stdout);
  }
  free(list);
  run_tumble(20, 1000000, 100000);
  printf("checksum %llu\n", (unsigned long long)checksum);
  rt_ctx_free(ctx);
  if (failures) {
    fprintf(stderr, "bench_state: %d wrong results\n", failures);
    return 1;
  }
  return 0;
}
