/*
** tests/unit/test_state.c: unit tests for runtime/state.c (keyed state tables and timers).
**
** Tables are made with st_new and reached the way generated code reaches them: through the
** st_* / timer_* members of rt_api() with a ctx whose tables/ntables point at them. Covered:
** lookups and inserts (zeroed, aligned values, stable key copies), forced hash collisions and
** keys with arbitrary bytes, a randomized model check through growth past 1M entries (with
** incremental index migration), bucket order and dropping (memory flat over many windows),
** touched visits (removal during and before the visit, early stop), timers (order, ties,
** re-adding inside fire, bucket-0 value), TTL expiry and its access order (restore order sorted), hash-range visits that partition the
** key space, unindexed appends (st_append) and their snapshot, RtObj freeing, the bounds check
** on the table index, and compact tables (many keys, deletes and slot reuse, the hash check, one
** bucket, hash ranges, snapshot and restore whole and split, ttl expiry in access order, visits,
** no-ttl tables with objects).
** It does not measure speed (bench/state does).
*/
#include <stdlib.h>
#include "runtime.h"
#include "agg.h"
#include "unit.h"

static const RtApi *A;
static RtCtx *ctx;
static StateTable *tabs[4];

static uint64_t H(uint64_t k) { return rt_hash_mix(0x1234, k); }

static StateTable *mk(uint32_t value_size, int64_t ttl, uint32_t nobjs, const uint32_t *offs) {
  RtStateDesc d;
  memset(&d, 0, sizeof d);
  d.name = "test";
  d.value_size = value_size;
  d.ttl_ns = ttl;
  d.nobjs = nobjs;
  d.obj_offsets = offs;
  StateTable *t = st_new(&d);
  CHECK(t != NULL);
  return t;
}

/* Make t the only table (index 0) of ctx. */
static void use(StateTable *t) {
  tabs[0] = t;
  ctx->tables = tabs;
  ctx->ntables = 1;
}

static void done(StateTable *t) {
  st_free(t);
  ctx->tables = NULL;
  ctx->ntables = 0;
}

static int64_t stat_entries(StateTable *t) { StStats s; st_stats(t, &s); return s.entries; }
static int64_t stat_bytes(StateTable *t) { StStats s; st_stats(t, &s); return s.bytes; }
static int64_t stat_buckets(StateTable *t) { StStats s; st_stats(t, &s); return s.buckets; }

typedef struct Val { int64_t a; int64_t b; double c; } Val;   /* 24 bytes */

static Val *get(int64_t bucket, uint64_t k, int create, int *created) {
  return A->st_get(ctx, 0, bucket, H(k), &k, sizeof k, create, created, NULL);
}

/* ---- basics ------------------------------------------------------------------------- */

static void test_basic(void) {
  StateTable *t = mk(sizeof(Val), 0, 0, NULL);
  use(t);
  int created = -1;
  for (uint64_t k = 0; k < 1000; k++) {
    const void *kc = NULL;
    Val *v = A->st_get(ctx, 0, 0, H(k), &k, sizeof k, 1, &created, &kc);
    CHECK(v != NULL);
    CHECK(created == 1);
    CHECK(((uintptr_t)v & 15) == 0);
    CHECK(v->a == 0 && v->b == 0 && v->c == 0);
    CHECK(kc && memcmp(kc, &k, sizeof k) == 0);
    v->a = (int64_t)k * 3;
  }
  CHECK_I64(stat_entries(t), 1000);
  for (uint64_t k = 0; k < 1000; k++) {
    Val *v = get(0, k, 1, &created);
    CHECK(v && created == 0 && v->a == (int64_t)k * 3);
    CHECK(get(0, k, 0, NULL) == v);
  }
  for (uint64_t k = 1000; k < 1100; k++) CHECK(get(0, k, 0, &created) == NULL && created == 0);
  CHECK(get(7, 1, 0, NULL) == NULL);              /* other bucket: absent */
  CHECK_I64(stat_entries(t), 1000);
  CHECK_I64(stat_buckets(t), 1);
  CHECK(!ctx->failed);

  /* same key, other bucket: a separate entry */
  uint64_t k = 5;
  Val *v5 = get(9, k, 1, &created);
  CHECK(created == 1 && v5 != get(0, k, 0, NULL) && v5->a == 0);

  /* remove */
  CHECK_I64(A->st_remove(ctx, 0, 0, H(k), &k, sizeof k), 1);
  CHECK_I64(A->st_remove(ctx, 0, 0, H(k), &k, sizeof k), 0);
  CHECK(get(0, 5, 0, NULL) == NULL);
  CHECK(get(9, 5, 0, NULL) == v5);
  CHECK_I64(stat_entries(t), 1000);

  /* value_size 0 and empty keys */
  StateTable *z = mk(0, 0, 0, NULL);
  tabs[1] = z;
  ctx->ntables = 2;
  const void *kc = NULL;
  void *e = A->st_get(ctx, 1, 0, 99, NULL, 0, 1, &created, &kc);
  CHECK(e != NULL && created == 1 && kc != NULL);
  CHECK(A->st_get(ctx, 1, 0, 99, "", 0, 0, NULL, NULL) == e);
  CHECK_I64(A->st_remove(ctx, 1, 0, 99, NULL, 0), 1);
  st_free(z);
  done(t);
}

static void test_bad_table(void) {
  StateTable *t = mk(8, 0, 0, NULL);
  use(t);
  CHECK(!ctx->failed);
  CHECK(A->st_get(ctx, 3, 0, 1, "k", 1, 1, NULL, NULL) == NULL);
  CHECK(ctx->failed);
  CHECK(strstr(ctx->err, "state table 3 does not exist") != NULL);
  ctx->failed = 0;
  ctx->err[0] = 0;
  CHECK_I64(A->st_first_bucket(ctx, -1), INT64_MAX);
  CHECK(ctx->failed);
  ctx->failed = 0;
  ctx->err[0] = 0;
  CHECK_I64(A->timer_add(ctx, 1, 0, 0, "k", 1), RT_ERR);
  ctx->failed = 0;
  ctx->err[0] = 0;
  done(t);

  /* invalid descriptors */
  RtStateDesc d;
  memset(&d, 0, sizeof d);
  uint32_t off = 20;
  d.value_size = 24;
  d.nobjs = 1;
  d.obj_offsets = &off;                           /* 20 + 8 > 24 */
  CHECK(st_new(&d) == NULL);
  d.obj_offsets = NULL;
  CHECK(st_new(&d) == NULL);
}

/* ---- collisions and arbitrary bytes --------------------------------------------------- */

static void test_collisions(void) {
  StateTable *t = mk(16, 0, 0, NULL);
  use(t);
  enum { N = 600 };
  static char keys[N][40];
  static uint32_t lens[N];
  void *vals[N];
  /* Every key gets the same hash; keys are prefixes of each other, contain zero bytes, or
  ** differ only in their last byte. */
  for (int i = 0; i < N; i++) {
    lens[i] = (uint32_t)(i % 40);
    memset(keys[i], 0, sizeof keys[i]);
    for (uint32_t j = 0; j < lens[i]; j++) keys[i][j] = (char)((i / 40) * (j & 1));
    if (lens[i]) keys[i][lens[i] - 1] = (char)(i / 40);
  }
  /* dedupe: identical (len, bytes) pairs would be the same key */
  int distinct = 0;
  for (int i = 0; i < N; i++) {
    int dup = 0;
    for (int j = 0; j < i && !dup; j++)
      dup = lens[j] == lens[i] && memcmp(keys[i], keys[j], lens[i]) == 0;
    int created = 0;
    vals[i] = A->st_get(ctx, 0, 0, 42, keys[i], lens[i], 1, &created, NULL);
    CHECK(vals[i] != NULL);
    CHECK(created == !dup);
    if (!dup) { distinct++; memcpy(vals[i], &i, sizeof i); }
  }
  CHECK_I64(stat_entries(t), distinct);
  for (int i = 0; i < N; i++) {
    void *v = A->st_get(ctx, 0, 0, 42, keys[i], lens[i], 0, NULL, NULL);
    CHECK(v == vals[i]);
  }
  /* remove every other distinct key; the rest must stay reachable (backward shift) */
  int removed = 0;
  for (int i = 0; i < N; i += 2) removed += A->st_remove(ctx, 0, 0, 42, keys[i], lens[i]);
  CHECK_I64(stat_entries(t), distinct - removed);
  for (int i = 1; i < N; i += 2) {
    void *v = A->st_get(ctx, 0, 0, 42, keys[i], lens[i], 0, NULL, NULL);
    int first;
    memcpy(&first, vals[i], sizeof first);
    CHECK(v == vals[i] && lens[first] == lens[i] && memcmp(keys[first], keys[i], lens[i]) == 0);
  }
  /* a key with a zero byte in the middle is not its prefix */
  char a[3] = { 'a', 0, 'b' };
  CHECK(A->st_get(ctx, 0, 0, 7, a, 3, 1, NULL, NULL) != NULL);
  CHECK(A->st_get(ctx, 0, 0, 7, a, 1, 0, NULL, NULL) == NULL);
  CHECK(A->st_get(ctx, 0, 0, 7, a, 2, 0, NULL, NULL) == NULL);
  done(t);

  /* hashes whose entropy is only in the high half, and hashes sharing their low half */
  t = mk(8, 0, 0, NULL);
  use(t);
  for (uint64_t k = 0; k < 20000; k++) {
    uint64_t h = k << 32;
    int64_t *v = A->st_get(ctx, 0, 0, h, &k, sizeof k, 1, NULL, NULL);
    *v = (int64_t)k;
  }
  int ok = 1;
  for (uint64_t k = 0; k < 20000; k++) {
    int64_t *v = A->st_get(ctx, 0, 0, k << 32, &k, sizeof k, 0, NULL, NULL);
    if (!v || *v != (int64_t)k) ok = 0;
  }
  CHECK(ok);
  done(t);
}

/* ---- randomized model check through growth ------------------------------------------ */

static uint64_t rng = 88172645463325252ull;
static uint64_t rnd(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }

static void test_model(void) {
  /* Keys 0..K-1 of 8..24 bytes (the length is part of the key); model[k] = expected value,
  ** or -1 when absent. Inserts dominate so the table passes 1M entries, through several
  ** incremental migrations, with removals and lookups of present and absent keys between. */
  enum { K = 1500000 };
  int64_t *model = malloc(K * sizeof(int64_t));
  for (int i = 0; i < K; i++) model[i] = -1;
  StateTable *t = mk(sizeof(Val), 0, 0, NULL);
  use(t);
  int64_t live = 0, bad = 0, maxlive = 0;
  for (int64_t step = 0; step < 5000000; step++) {
    uint64_t r = rnd();
    uint64_t k = (r >> 8) % K;
    char key[24];
    memset(key, 0, sizeof key);
    memcpy(key, &k, sizeof k);
    uint32_t len = 8 + (uint32_t)(k % 17);
    uint64_t h = H(k);
    int op = (int)(r & 15);
    if (op < 11) {                                  /* insert or update */
      int created;
      Val *v = A->st_get(ctx, 0, 0, h, key, len, 1, &created, NULL);
      if (created != (model[k] < 0)) bad++;
      if (!created && v->a != model[k]) bad++;
      if (created) live++;
      v->a = step;
      model[k] = step;
    } else if (op < 13) {                           /* remove */
      int rc = A->st_remove(ctx, 0, 0, h, key, len);
      if (rc != (model[k] >= 0)) bad++;
      if (rc) live--;
      model[k] = -1;
    } else {                                        /* lookup */
      Val *v = A->st_get(ctx, 0, 0, h, key, len, 0, NULL, NULL);
      if ((v != NULL) != (model[k] >= 0) || (v && v->a != model[k])) bad++;
    }
    if (live > maxlive) maxlive = live;
  }
  CHECK_I64(bad, 0);
  CHECK_MSG(maxlive > 1000000, "max live %lld", (long long)maxlive);
  CHECK_I64(stat_entries(t), live);
  int64_t found = 0;
  for (int i = 0; i < K; i++) {
    uint64_t k = (uint64_t)i;
    char key[24];
    memset(key, 0, sizeof key);
    memcpy(key, &k, sizeof k);
    Val *v = A->st_get(ctx, 0, 0, H(k), key, 8 + (uint32_t)(k % 17), 0, NULL, NULL);
    if ((v != NULL) != (model[i] >= 0) || (v && v->a != model[i])) bad++;
    found += v != NULL;
  }
  CHECK_I64(bad, 0);
  CHECK_I64(found, live);
  StStats s;
  st_stats(t, &s);
  printf("model: %lld live entries, %.1f bytes/entry\n", (long long)s.entries,
         (double)s.bytes / (double)s.entries);
  done(t);
  free(model);
}

/* ---- buckets -------------------------------------------------------------------------- */

typedef struct Seen { int n; uint64_t keys[64]; int64_t bucket[64]; int stop_at; } Seen;

static int collect(RtCtx *c, void *arg, int64_t bucket, const void *key, uint32_t keylen,
                   void *value) {
  Seen *s = arg;
  uint64_t k = 0;
  memcpy(&k, key, keylen < 8 ? keylen : 8);
  if (s->n < 64) { s->keys[s->n] = k; s->bucket[s->n] = bucket; }
  s->n++;
  return s->stop_at && s->n == s->stop_at ? 77 : 0;
}

static void test_buckets(void) {
  StateTable *t = mk(sizeof(Val), 0, 0, NULL);
  use(t);
  CHECK_I64(A->st_first_bucket(ctx, 0), INT64_MAX);
  int64_t ids[] = { 30, 10, 20, -5, INT64_MIN, INT64_MAX - 1 };
  for (int i = 0; i < 6; i++)
    for (uint64_t k = 10; k > 0; k--) get(ids[i], k * 7 + (uint64_t)i, 1, NULL);
  CHECK_I64(stat_buckets(t), 6);
  CHECK_I64(A->st_first_bucket(ctx, 0), INT64_MIN);
  CHECK_I64(A->st_drop_bucket(ctx, 0, INT64_MIN), 10);
  CHECK_I64(A->st_first_bucket(ctx, 0), -5);
  CHECK_I64(A->st_drop_bucket(ctx, 0, -5), 10);
  CHECK_I64(A->st_drop_bucket(ctx, 0, -5), 0);
  CHECK_I64(A->st_first_bucket(ctx, 0), 10);
  /* insertion order inside a bucket, whatever the keys */
  Seen s;
  memset(&s, 0, sizeof s);
  CHECK_I64(A->st_visit_bucket(ctx, 0, 20, collect, &s), 0);
  CHECK_I64(s.n, 10);
  int ordered = 1;
  for (int i = 0; i < 10; i++) ordered &= s.keys[i] == (uint64_t)(10 - i) * 7 + 2 && s.bucket[i] == 20;
  CHECK(ordered);
  /* removing from the middle keeps the order of the rest; re-inserting goes last */
  uint64_t mid = 5 * 7 + 2;
  CHECK_I64(A->st_remove(ctx, 0, 20, H(mid), &mid, 8), 1);
  get(20, mid, 1, NULL);
  memset(&s, 0, sizeof s);
  A->st_visit_bucket(ctx, 0, 20, collect, &s);
  CHECK_I64(s.n, 10);
  CHECK(s.keys[4] == 6 * 7 + 2 && s.keys[5] == 4 * 7 + 2 && s.keys[9] == mid);
  /* early stop returns fn's value */
  memset(&s, 0, sizeof s);
  s.stop_at = 3;
  CHECK_I64(A->st_visit_bucket(ctx, 0, 20, collect, &s), 77);
  CHECK_I64(s.n, 3);
  memset(&s, 0, sizeof s);
  CHECK_I64(A->st_visit_bucket(ctx, 0, 12345, collect, &s), 0);
  CHECK_I64(s.n, 0);
  /* a bucket emptied by st_remove is skipped (and freed) by st_first_bucket */
  for (uint64_t k = 10; k > 0; k--) {
    uint64_t key = k * 7 + 1;
    CHECK_I64(A->st_remove(ctx, 0, 10, H(key), &key, 8), 1);
  }
  CHECK_I64(A->st_first_bucket(ctx, 0), 20);
  CHECK_I64(stat_buckets(t), 3);
  done(t);

  /* drop frees: a tumbling pattern keeps memory flat */
  t = mk(sizeof(Val), 0, 0, NULL);
  use(t);
  int64_t b1 = 0, bmax = 0;
  for (int64_t w = 0; w < 40; w++) {
    for (uint64_t k = 0; k < 50000; k++) get(w, k + (uint64_t)w * 1000, 1, NULL)->a++;
    if (w > 0) CHECK_I64(A->st_drop_bucket(ctx, 0, w - 1), 50000);
    if (w == 2) b1 = stat_bytes(t);        /* from here on no index grows */
    if (w >= 2 && stat_bytes(t) > bmax) bmax = stat_bytes(t);
  }
  CHECK_I64(stat_entries(t), 50000);
  CHECK_MSG(bmax <= b1, "bytes grew from %lld to %lld", (long long)b1, (long long)bmax);
  CHECK_I64(A->st_drop_bucket(ctx, 0, 39), 50000);
  CHECK_I64(stat_entries(t), 0);
  CHECK_I64(stat_buckets(t), 0);
  CHECK_I64(A->st_first_bucket(ctx, 0), INT64_MAX);
  done(t);
}

/* ---- touched ------------------------------------------------------------------------ */

static int remove_visited(RtCtx *c, void *arg, int64_t bucket, const void *key,
                          uint32_t keylen, void *value) {
  Seen *s = arg;
  uint64_t k;
  memcpy(&k, key, 8);
  if (s->n < 64) { s->keys[s->n] = k; s->bucket[s->n] = bucket; }
  s->n++;
  if (k % 2 == 0) CHECK_I64(A->st_remove(c, 0, bucket, H(k), &k, 8), 1);
  if (k == 3) A->st_touch(c, 0, value);         /* re-touch: seen by the next call */
  return 0;
}

static void test_touched(void) {
  StateTable *t = mk(sizeof(Val), 0, 0, NULL);
  use(t);
  Val *v[10];
  for (uint64_t k = 0; k < 10; k++) v[k] = get(k < 5 ? 1 : 2, k, 1, NULL);
  uint64_t order[] = { 7, 3, 3, 0, 9, 7, 4, 2, 8, 6 };
  for (int i = 0; i < 10; i++) A->st_touch(ctx, 0, v[order[i]]);
  /* touched then removed: not visited, freed by the visit */
  uint64_t k9 = 9;
  CHECK_I64(A->st_remove(ctx, 0, 2, H(k9), &k9, 8), 1);
  Seen s;
  memset(&s, 0, sizeof s);
  CHECK_I64(A->st_visit_touched(ctx, 0, remove_visited, &s), 0);
  uint64_t want[] = { 7, 3, 0, 4, 2, 8, 6 };
  CHECK_I64(s.n, 7);
  int ok = 1;
  for (int i = 0; i < 7 && i < s.n; i++) ok &= s.keys[i] == want[i] && s.bucket[i] == (want[i] < 5 ? 1 : 2);
  CHECK(ok);
  CHECK_I64(stat_entries(t), 10 - 1 - 5);          /* 9 removed, then 0 4 2 8 6 by fn */
  /* only 3 (re-touched inside fn) is pending */
  memset(&s, 0, sizeof s);
  CHECK_I64(A->st_visit_touched(ctx, 0, collect, &s), 0);
  CHECK(s.n == 1 && s.keys[0] == 3);
  memset(&s, 0, sizeof s);
  CHECK_I64(A->st_visit_touched(ctx, 0, collect, &s), 0);
  CHECK_I64(s.n, 0);

  /* early stop: the rest stays pending, ahead of newer touches */
  Val *w[6];
  for (uint64_t k = 100; k < 106; k++) w[k - 100] = get(3, k, 1, NULL);
  for (int i = 0; i < 4; i++) A->st_touch(ctx, 0, w[i]);
  memset(&s, 0, sizeof s);
  s.stop_at = 2;
  CHECK_I64(A->st_visit_touched(ctx, 0, collect, &s), 77);
  A->st_touch(ctx, 0, w[5]);
  A->st_touch(ctx, 0, w[2]);                        /* still pending: no-op */
  memset(&s, 0, sizeof s);
  CHECK_I64(A->st_visit_touched(ctx, 0, collect, &s), 0);
  CHECK(s.n == 3 && s.keys[0] == 102 && s.keys[1] == 103 && s.keys[2] == 105);

  /* touched entries of a dropped bucket are not visited (and not leaked: ASan) */
  A->st_touch(ctx, 0, w[0]);
  A->st_touch(ctx, 0, get(1, 1, 0, NULL));
  CHECK_I64(A->st_drop_bucket(ctx, 0, 3), 6);
  memset(&s, 0, sizeof s);
  CHECK_I64(A->st_visit_touched(ctx, 0, collect, &s), 0);
  CHECK(s.n == 1 && s.keys[0] == 1);
  /* the zombie's slot is free again: six new entries need no new slab */
  int64_t before = stat_bytes(t);
  for (uint64_t k = 200; k < 206; k++) get(3, k, 1, NULL);
  CHECK_MSG(stat_bytes(t) <= before + 128, "bytes %lld -> %lld", (long long)before,
            (long long)stat_bytes(t));
  done(t);
}

/* ---- timers --------------------------------------------------------------------------- */

typedef struct Fired {
  int n;
  int64_t time[64];
  uint64_t key[64];
  void *value[64];
  int64_t readd_upto;   /* fn adds a timer at time + 5 for keys below 3, once */
} Fired;

static int on_timer(RtCtx *c, void *arg, int64_t time, const void *key, uint32_t keylen,
                    void *value) {
  Fired *f = arg;
  uint64_t k = 0;
  memcpy(&k, key, keylen < 8 ? keylen : 8);
  if (f->n < 64) { f->time[f->n] = time; f->key[f->n] = k; f->value[f->n] = value; }
  f->n++;
  if (f->readd_upto && k < 3 && time < 100) {
    uint64_t nk = k + 10;
    A->timer_add(c, 0, time + 5, H(nk), &nk, 8);
  }
  return 0;
}

static void test_timers(void) {
  StateTable *t = mk(sizeof(Val), 0, 0, NULL);
  use(t);
  /* (time, key) added in this order; ties fire in insertion order */
  int64_t times[] = { 50, 10, 30, 10, 20, 30, 10, 70 };
  for (uint64_t k = 0; k < 8; k++) CHECK_I64(A->timer_add(ctx, 0, times[k], H(k), &k, 8), RT_OK);
  uint64_t dup = 1;
  A->timer_add(ctx, 0, 10, H(dup), &dup, 8);         /* duplicates are allowed */
  Val *v3 = get(0, 3, 1, NULL);                       /* key 3 has a bucket-0 entry */
  StStats st;
  st_stats(t, &st);
  CHECK_I64(st.timers, 9);
  Fired f;
  memset(&f, 0, sizeof f);
  CHECK_I64(A->timer_fire(ctx, 0, 5, on_timer, &f), 0);
  CHECK_I64(f.n, 0);
  CHECK_I64(A->timer_fire(ctx, 0, 30, on_timer, &f), 0);
  uint64_t wk[] = { 1, 3, 6, 1, 4, 2, 5 };
  int64_t wt[] = { 10, 10, 10, 10, 20, 30, 30 };
  CHECK_I64(f.n, 7);
  int ok = 1;
  for (int i = 0; i < 7; i++) ok &= f.key[i] == wk[i] && f.time[i] == wt[i];
  CHECK(ok);
  CHECK(f.value[1] == v3 && f.value[0] == NULL);
  /* re-adding inside fire: 0 fires at 50 and adds 10 @55 (fires now); 7 @70 stays */
  memset(&f, 0, sizeof f);
  f.readd_upto = 1;
  CHECK_I64(A->timer_fire(ctx, 0, 60, on_timer, &f), 0);
  CHECK(f.n == 2 && f.key[0] == 0 && f.time[0] == 50 && f.key[1] == 10 && f.time[1] == 55);
  st_stats(t, &st);
  CHECK_I64(st.timers, 1);
  /* long keys (stored outside the heap item) and timer_visit_range */
  char big[100];
  for (int i = 0; i < 100; i++) big[i] = (char)i;
  A->timer_add(ctx, 0, 65, 0, big, sizeof big);
  A->timer_add(ctx, 0, 65, UINT64_MAX, big, 17);
  memset(&f, 0, sizeof f);
  CHECK_I64(A->timer_fire(ctx, 0, 65, on_timer, &f), 0);
  CHECK(f.n == 2 && f.time[0] == 65);
  A->timer_add(ctx, 0, 90, 0, big, sizeof big);     /* left pending: st_free frees it */
  done(t);
}

/* ---- ttl ------------------------------------------------------------------------------ */

static int on_expire(RtCtx *c, void *arg, int64_t bucket, const void *key, uint32_t keylen,
                     void *value) {
  return collect(c, arg, bucket, key, keylen, value);
}

static void test_ttl(void) {
  StateTable *t = mk(sizeof(Val), 100, 0, NULL);
  use(t);
  ctx->watermark = INT64_MIN;
  get(0, 1, 1, NULL);                                 /* before any watermark */
  ctx->watermark = 0;
  get(0, 2, 1, NULL);
  get(5, 3, 1, NULL);
  Seen s;
  memset(&s, 0, sizeof s);
  CHECK_I64(st_expire(t, ctx, 0, on_expire, &s), 0);  /* key 1 now counts from 0 */
  CHECK_I64(s.n, 0);
  ctx->watermark = 50;
  CHECK(get(0, 2, 0, NULL) != NULL);                  /* a hit is an access */
  ctx->watermark = 60;
  A->st_touch(ctx, 0, get(5, 3, 0, NULL));            /* so is a touch (get at 60 too) */
  CHECK_I64(st_expire(t, ctx, 99, on_expire, &s), 0);
  CHECK_I64(s.n, 0);
  CHECK_I64(st_expire(t, ctx, 100, on_expire, &s), 0);
  CHECK(s.n == 1 && s.keys[0] == 1 && s.bucket[0] == 0);
  CHECK(get(0, 1, 0, NULL) == NULL);
  ctx->watermark = 100;
  CHECK_I64(st_expire(t, ctx, 149, on_expire, &s), 0);
  CHECK_I64(s.n, 1);
  CHECK_I64(st_expire(t, ctx, 150, on_expire, &s), 0);
  CHECK(s.n == 2 && s.keys[1] == 2);
  CHECK_I64(st_expire(t, ctx, 159, on_expire, &s), 0);
  CHECK_I64(s.n, 2);
  CHECK_I64(st_expire(t, ctx, 160, NULL, NULL), 0);   /* key 3 (touched, pending) */
  CHECK_I64(stat_entries(t), 0);
  StStats st;
  st_stats(t, &st);
  CHECK_I64(st.expired, 3);
  memset(&s, 0, sizeof s);
  CHECK_I64(A->st_visit_touched(ctx, 0, collect, &s), 0);   /* the zombie is not visited */
  CHECK_I64(s.n, 0);

  /* churn: create/remove cycles leave stale heap items that must not pile up */
  int64_t b0 = 0, removed = 0;
  for (int64_t i = 0; i < 200000; i++) {
    ctx->watermark = 1000 + i / 1000;
    uint64_t k = (uint64_t)i;
    get(0, k, 1, NULL);
    removed += A->st_remove(ctx, 0, 0, H(k), &k, 8);
    if (i % 10000 == 0) st_expire(t, ctx, ctx->watermark, NULL, NULL);
    if (i == 20000) b0 = stat_bytes(t);
  }
  CHECK_I64(removed, 200000);
  CHECK_MSG(stat_bytes(t) <= b0 + 64 * 1024, "bytes %lld -> %lld", (long long)b0,
            (long long)stat_bytes(t));
  /* final watermark: everything stamped expires */
  get(0, 1, 1, NULL);
  CHECK_I64(st_expire(t, ctx, INT64_MAX, NULL, NULL), 0);
  CHECK_I64(stat_entries(t), 0);
  /* a non-zero on_expire stops after that entry */
  ctx->watermark = 0;
  for (uint64_t k = 0; k < 5; k++) get(0, k, 1, NULL);
  memset(&s, 0, sizeof s);
  s.stop_at = 2;
  CHECK_I64(st_expire(t, ctx, 1000, on_expire, &s), 77);
  CHECK_I64(stat_entries(t), 3);
  CHECK_I64(st_expire(t, ctx, 1000, NULL, NULL), 0);
  CHECK_I64(stat_entries(t), 0);
  ctx->watermark = INT64_MIN;
  done(t);
}

/* The ttl list is in access order: expiry pops entries oldest access first, an access moves an
** entry behind every other, and stamps that arrive out of order (a restore: st_insert with the
** snapshot's stamps, a watermark behind them) are sorted before the next expiry. */
static void test_ttl_order(void) {
  StateTable *t = mk(sizeof(Val), 10, 0, NULL);
  use(t);
  Seen s;
  /* created at 0, 1, ..., 9; then keys 0, 3, 6 are read at 20 */
  for (uint64_t k = 0; k < 10; k++) {
    ctx->watermark = (int64_t)k;
    get(0, k, 1, NULL);
  }
  ctx->watermark = 20;
  CHECK(get(0, 0, 0, NULL) && get(0, 3, 0, NULL) && get(0, 6, 0, NULL));
  CHECK(get(0, 6, 0, NULL) != NULL);                 /* the same stamp again: no move */
  memset(&s, 0, sizeof s);
  CHECK_I64(st_expire(t, ctx, 14, on_expire, &s), 0); /* accesses <= 4, not the re-read 0, 3 */
  CHECK_I64(s.n, 3);
  CHECK(s.keys[0] == 1 && s.keys[1] == 2 && s.keys[2] == 4);
  CHECK_I64(st_expire(t, ctx, 29, on_expire, &s), 0);
  CHECK_I64(s.n, 7);
  CHECK(s.keys[3] == 5 && s.keys[4] == 7 && s.keys[5] == 8 && s.keys[6] == 9);
  CHECK_I64(st_expire(t, ctx, 30, on_expire, &s), 0); /* the three read at 20, in read order */
  CHECK(s.n == 10 && s.keys[7] == 0 && s.keys[8] == 3 && s.keys[9] == 6);
  CHECK_I64(stat_entries(t), 0);
  done(t);

  /* restore order: stamps 50, 10, 30, 10, 40 inserted in that order, then a new entry at 35
  ** (the restored watermark is behind the newest stamp); expiry must go by stamp */
  t = mk(sizeof(Val), 10, 0, NULL);
  use(t);
  const int64_t stamps[5] = { 50, 10, 30, 10, 40 };
  for (uint64_t k = 0; k < 5; k++) {
    void *v;
    CHECK_I64(st_insert(t, 0, H(k), &k, sizeof k, stamps[k], &v, NULL), 0);
  }
  ctx->watermark = 35;
  get(0, 5, 1, NULL);
  memset(&s, 0, sizeof s);
  CHECK_I64(st_expire(t, ctx, 40, on_expire, &s), 0); /* stamps <= 30: keys 1 and 3 (stable), 2 */
  CHECK(s.n == 3 && s.keys[0] == 1 && s.keys[1] == 3 && s.keys[2] == 2);
  CHECK_I64(st_expire(t, ctx, 50, on_expire, &s), 0); /* 35 (key 5), 40 (key 4) */
  CHECK(s.n == 5 && s.keys[3] == 5 && s.keys[4] == 4);
  CHECK_I64(st_expire(t, ctx, 60, on_expire, &s), 0);
  CHECK(s.n == 6 && s.keys[5] == 0);
  done(t);

  /* a removed entry leaves the list: removing the head, the tail and a middle entry, and then
  ** 100 K create/access/remove rounds, keep expiry exact */
  t = mk(sizeof(Val), 10, 0, NULL);
  use(t);
  ctx->watermark = 0;
  for (uint64_t k = 0; k < 5; k++) get(0, k, 1, NULL);
  CHECK_I64(A->st_remove(ctx, 0, 0, H(0), &(uint64_t){ 0 }, 8), 1);
  CHECK_I64(A->st_remove(ctx, 0, 0, H(4), &(uint64_t){ 4 }, 8), 1);
  CHECK_I64(A->st_remove(ctx, 0, 0, H(2), &(uint64_t){ 2 }, 8), 1);
  for (int64_t i = 0; i < 100000; i++) {
    uint64_t k = 100 + (uint64_t)(i % 1000);
    ctx->watermark = 1 + i / 10000;
    get(0, k, 1, NULL);
    if (i % 3 == 0) A->st_remove(ctx, 0, 0, H(k), &k, 8);
  }
  memset(&s, 0, sizeof s);
  CHECK_I64(st_expire(t, ctx, 10, on_expire, &s), 0); /* stamp 0: keys 1 and 3 only */
  CHECK(s.n == 2 && s.keys[0] == 1 && s.keys[1] == 3);
  int64_t live = stat_entries(t);
  CHECK_I64(st_expire(t, ctx, 19, NULL, NULL), 0);     /* all were read at 10 */
  CHECK_I64(stat_entries(t), live);
  CHECK_I64(st_expire(t, ctx, 20, NULL, NULL), 0);
  CHECK_I64(stat_entries(t), 0);
  ctx->watermark = INT64_MIN;
  done(t);
}

/* ---- hash ranges ---------------------------------------------------------------------- */

typedef struct RangeAcc { uint8_t *seen; int64_t n; int dupes; uint32_t owner, nparts; int wrong;
                          uint64_t lo, hi; int outside; } RangeAcc;

static int range_fn(void *arg, int64_t bucket, uint64_t hash, const void *key, uint32_t keylen,
                    void *value) {
  RangeAcc *r = arg;
  uint32_t i;
  memcpy(&i, key, sizeof i);
  if (r->seen[i]) r->dupes++;
  r->seen[i] = 1;
  r->n++;
  if (r->nparts && rt_hash_owner(hash, r->nparts) != r->owner) r->wrong++;
  if (hash < r->lo || (r->hi && hash >= r->hi)) r->outside++;
  if (((Val *)value)->a != (int64_t)i || bucket != (int64_t)(i % 3) * 1000) r->wrong++;
  return 0;
}

typedef struct TimerAcc { int n, bad; int64_t last_time; uint32_t last_i, owner; uint8_t seen[100]; } TimerAcc;

static int timer_fn(void *arg, int64_t time, uint64_t hash, const void *key, uint32_t keylen,
                    void *value) {
  TimerAcc *a = arg;
  uint32_t i;
  memcpy(&i, key, 4);
  /* times 1000 - i/2: pairs (2j, 2j+1) tie and must come in insertion order */
  if (time < a->last_time || (time == a->last_time && i < a->last_i)) a->bad++;
  if (time != 1000 - (int64_t)(i / 2) || value != NULL || keylen != 4) a->bad++;
  if (rt_hash_owner(hash, 3) != a->owner || a->seen[i]++) a->bad++;
  a->last_time = time;
  a->last_i = i;
  a->n++;
  return 0;
}

static void test_ranges(void) {
  StateTable *t = mk(sizeof(Val), 0, 0, NULL);
  use(t);
  enum { N = 20000 };
  for (uint32_t i = 0; i < N; i++) {
    uint64_t h = i < 4 ? (uint64_t[]){ 0, UINT64_MAX, 1ull << 63, (1ull << 63) - 1 }[i] : rnd();
    Val *v = A->st_get(ctx, 0, (int64_t)(i % 3) * 1000, h, &i, sizeof i, 1, NULL, NULL);
    v->a = i;
  }
  uint8_t *seen = calloc(N, 1);
  RangeAcc r;
  memset(&r, 0, sizeof r);
  r.seen = seen;
  CHECK_I64(st_visit_all(t, range_fn, &r), 0);
  CHECK(r.n == N && r.dupes == 0 && r.wrong == 0);
  uint32_t parts[] = { 1, 2, 3, 7, 16, 1000 };
  for (int p = 0; p < 6; p++) {
    memset(seen, 0, N);
    int64_t total = 0;
    int dupes = 0, wrong = 0, outside = 0;
    for (uint32_t i = 0; i < parts[p]; i++) {
      memset(&r, 0, sizeof r);
      r.seen = seen;
      r.owner = i;
      r.nparts = parts[p];
      st_owner_range(i, parts[p], &r.lo, &r.hi);
      CHECK_I64(st_visit_range(t, r.lo, r.hi, range_fn, &r), 0);
      total += r.n;
      dupes += r.dupes;
      wrong += r.wrong;
      outside += r.outside;
    }
    CHECK_MSG(total == N && dupes == 0 && wrong == 0 && outside == 0,
              "n=%u: total %lld dupes %d wrong %d outside %d", parts[p], (long long)total, dupes,
              wrong, outside);
  }
  /* owner ranges agree with rt_hash_owner at their edges */
  int edge_ok = 1;
  for (uint32_t n = 1; n < 50; n++)
    for (uint32_t i = 0; i < n; i++) {
      uint64_t lo, hi;
      st_owner_range(i, n, &lo, &hi);
      edge_ok &= rt_hash_owner(lo, n) == i;
      if (lo) edge_ok &= rt_hash_owner(lo - 1, n) == i - 1;
      if (hi) edge_ok &= rt_hash_owner(hi - 1, n) == i && rt_hash_owner(hi, n) == i + 1;
      else edge_ok &= i == n - 1 && rt_hash_owner(UINT64_MAX, n) == i;
    }
  CHECK(edge_ok);
  /* timers split the same way, each range in firing order */
  for (uint32_t i = 0; i < 100; i++) A->timer_add(ctx, 0, 1000 - i / 2, i < 4 ? 0 : rnd(), &i, 4);
  TimerAcc ta;
  memset(&ta, 0, sizeof ta);
  for (uint32_t i = 0; i < 3; i++) {
    uint64_t lo, hi;
    st_owner_range(i, 3, &lo, &hi);
    ta.last_time = INT64_MIN;
    ta.last_i = 0;
    ta.owner = i;
    CHECK_I64(timer_visit_range(t, lo, hi, timer_fn, &ta), 0);
  }
  CHECK(ta.n == 100 && ta.bad == 0);
  free(seen);
  done(t);
}

/* ---- one hot key, many rows (rt_hash_unique) -------------------------------------------- */

/* Buffered join and top-N rows of one key are entries keyed by (key, seq); rt_hash_unique keeps
** their owner and spreads them over the index (with the bare key hash they all shared one probe
** chain and inserting n rows took n^2 / 2 key comparisons). */
static void test_hot_key(void) {
  StateTable *t = mk(sizeof(Val), 0, 0, NULL);
  use(t);
  uint64_t base = H(7);
  int owner_ok = 1, created = 0;
  enum { N = 100000 };
  for (int64_t seq = 0; seq < N; seq++) {
    uint64_t h = rt_hash_unique(base, seq);
    for (uint32_t n = 1; n <= 16; n++) owner_ok &= rt_hash_owner(h, n) == rt_hash_owner(base, n);
    struct { uint64_t k; int64_t seq; } key = { 7, seq };
    Val *v = A->st_get(ctx, 0, 1, h, &key, sizeof key, 1, &created, NULL);
    CHECK(v && created == 1);
    v->a = seq;
  }
  CHECK(owner_ok);
  CHECK_I64(stat_entries(t), N);
  int found = 1;
  for (int64_t seq = 0; seq < N; seq += 97) {
    struct { uint64_t k; int64_t seq; } key = { 7, seq };
    Val *v = A->st_get(ctx, 0, 1, rt_hash_unique(base, seq), &key, sizeof key, 0, NULL, NULL);
    found &= v && v->a == seq;
  }
  CHECK(found);
  done(t);
}

/* ---- RtObj pointers in values ----------------------------------------------------------- */

typedef struct ObjVal { int64_t n; void *set; void *list; } ObjVal;

static void add_objs(ObjVal *v, int64_t k) {
  int first;
  CHECK_I64(dset_add(ctx, &v->set, &k, sizeof k, &first), RT_OK);
  CHECK_I64(alist_add(ctx, &v->list, "some text", 9, 0), RT_OK);
}

static void test_objs(void) {
  int64_t base = aobj_mem_bytes(RT_OBJ_NONE);
  uint32_t offs[] = { 8, 16 };
  StateTable *t = mk(sizeof(ObjVal), 100, 2, offs);
  use(t);
  ctx->watermark = 0;
  for (uint64_t k = 0; k < 100; k++) {
    ObjVal *v = A->st_get(ctx, 0, (int64_t)(k % 4), H(k), &k, 8, 1, NULL, NULL);
    add_objs(v, (int64_t)k);
    if (k % 10 == 0) A->st_touch(ctx, 0, v);
  }
  CHECK(aobj_mem_bytes(RT_OBJ_NONE) > base);
  /* each way an entry dies frees its objects: remove (also while touched), drop, expire */
  for (uint64_t k = 0; k < 100; k += 4) CHECK_I64(A->st_remove(ctx, 0, 0, H(k), &k, 8), 1);
  CHECK_I64(A->st_drop_bucket(ctx, 0, 1), 25);
  ctx->watermark = 50;
  for (uint64_t k = 2; k < 100; k += 4) get(2, k, 0, NULL);
  CHECK_I64(st_expire(t, ctx, 120, NULL, NULL), 0);   /* bucket 3 idle since 0 */
  CHECK_I64(stat_entries(t), 25);
  Seen s;
  memset(&s, 0, sizeof s);
  A->st_visit_touched(ctx, 0, collect, &s);
  CHECK_I64(s.n, 5);              /* 10 30 50 70 90 (bucket 2); 0 20 .. 80 were removed */
  done(t);
  CHECK_I64(aobj_mem_bytes(RT_OBJ_NONE), base);
}

/* ---- unindexed appends (st_append: an interval join's log) ----------------------------- */

/* Log entries sit in their bucket's order with indexed ones, are invisible to st_get and
** st_remove, are dropped with the bucket, and a snapshot restored by hash ranges brings each
** back exactly once (indexed, since their keys are unique). */
static void test_append(void) {
  StateTable *t = mk(sizeof(Val), 0, 0, NULL);
  use(t);
  for (uint64_t k = 1; k <= 6; k++) {
    if (k == 3) get(10, 100, 1, NULL);                 /* an indexed entry in between */
    void *kc = NULL;
    Val *v = A->st_append(ctx, 0, k % 2 ? 10 : 20, H(k), k == 5 ? NULL : &k, 8, &kc);
    CHECK(v != NULL && kc != NULL && v->a == 0 && v->b == 0);
    if (k == 5) memcpy(kc, &k, 8);                     /* key NULL: the caller writes it */
    v->a = (int64_t)k;
  }
  CHECK_I64(stat_entries(t), 7);
  CHECK(get(10, 1, 0, NULL) == NULL && get(20, 2, 0, NULL) == NULL);   /* not indexed */
  uint64_t one = 1;
  CHECK_I64(A->st_remove(ctx, 0, 10, H(1), &one, 8), 0);
  Seen s;
  memset(&s, 0, sizeof s);
  CHECK_I64(A->st_visit_bucket(ctx, 0, 10, collect, &s), 0);
  CHECK(s.n == 4 && s.keys[0] == 1 && s.keys[1] == 100 && s.keys[2] == 3 && s.keys[3] == 5);
  CHECK_I64(A->st_first_bucket(ctx, 0), 10);
  CHECK_I64(A->st_next_bucket(ctx, 0, 10), 20);
  /* snapshot, then restore in three hash ranges: each entry once, in order, values intact */
  for (uint64_t k = 7; k < 3000; k++) {
    Val *v = A->st_append(ctx, 0, 20, rnd(), &k, 8, NULL);
    v->a = (int64_t)k;
  }
  Buf b = { 0 };
  CHECK_I64(st_snapshot(t, &b), 0);
  int64_t total = 0, bad = 0;
  for (uint32_t i = 0; i < 3; i++) {
    StateTable *r = mk(sizeof(Val), 0, 0, NULL);
    uint64_t lo, hi;
    char err[256];
    st_owner_range(i, 3, &lo, &hi);
    CHECK_I64(st_restore(r, b.p, b.len, lo, hi, err, sizeof err), 0);
    use(r);
    memset(&s, 0, sizeof s);
    A->st_visit_bucket(ctx, 0, 20, collect, &s);
    total += s.n;
    for (int j = 1; j < s.n && j < 64; j++) bad += s.keys[j] <= s.keys[j - 1];
    done(r);
  }
  use(t);
  CHECK_I64(bad, 0);
  CHECK_I64(total, 2996);   /* bucket 20: 2, 4, 6 and 7 .. 2999 */
  buf_free(&b);
  CHECK_I64(A->st_drop_bucket(ctx, 0, 20), 2996);
  CHECK_I64(A->st_drop_bucket(ctx, 0, 10), 4);
  CHECK_I64(stat_entries(t), 0);
  done(t);
  /* a ttl table refuses: st_expire could not find the entry */
  t = mk(sizeof(Val), 1000, 0, NULL);
  use(t);
  uint64_t k = 1;
  CHECK(A->st_append(ctx, 0, 0, H(k), &k, 8, NULL) == NULL);
  done(t);
}

/* ---- compact tables (desc.key_hash) --------------------------------------------------- */

/* The updating join's shape: an 8-byte key, an 11-byte value (flags, a packed row), a ttl. */
typedef struct CVal { uint8_t more; uint8_t len; uint8_t row[9]; } CVal;

static uint64_t key_hash8(const void *key, uint32_t keylen) {
  uint64_t k = 0;
  memcpy(&k, key, keylen < 8 ? keylen : 8);
  return H(k) ^ keylen;
}
static uint64_t CH(uint64_t k) { return key_hash8(&k, 8); }

static StateTable *mk_compact(int64_t ttl, uint32_t nobjs, const uint32_t *offs, uint32_t vsize) {
  RtStateDesc d;
  memset(&d, 0, sizeof d);
  d.name = "compact";
  d.value_size = vsize;
  d.ttl_ns = ttl;
  d.nobjs = nobjs;
  d.obj_offsets = offs;
  d.key_hash = key_hash8;
  StateTable *t = st_new(&d);
  CHECK(t != NULL);
  return t;
}

static CVal *cget(uint64_t k, int create) {
  return A->st_get(ctx, 0, 0, CH(k), &k, 8, create, NULL, NULL);
}

static int csnap_cmp(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

typedef struct CAcc { uint64_t *keys; int64_t n; int bad; uint32_t owner, nparts; } CAcc;

static int crange_fn(void *arg, int64_t bucket, uint64_t hash, const void *key, uint32_t keylen,
                     void *value) {
  CAcc *a = arg;
  uint64_t k;
  memcpy(&k, key, 8);
  const CVal *v = value;
  if (keylen != 8 || hash != CH(k) || bucket != 0 || v->len != 9 || v->row[0] != (uint8_t)k ||
      (a->nparts && rt_hash_owner(hash, a->nparts) != a->owner)) a->bad++;
  a->keys[a->n++] = k;
  return 0;
}

static void test_compact(void) {
  enum { N = 300000 };
  ctx->watermark = 0;
  ctx->failed = 0; ctx->err[0] = 0;
  StateTable *t = mk_compact(1000, 0, NULL, sizeof(CVal));
  StateTable *o = mk(sizeof(CVal), 1000, 0, NULL);   /* the same in an ordinary table */
  tabs[0] = t; tabs[1] = o;
  ctx->tables = tabs;
  ctx->ntables = 2;
  int created = 0, bad = 0;
  for (uint64_t k = 0; k < N; k++) {
    ctx->watermark = (int64_t)(k / 1000);
    CVal *v = A->st_get(ctx, 0, 0, CH(k), &k, 8, 1, &created, NULL);
    if (!v || !created || ((uintptr_t)v & 7) || v->len) { bad++; continue; }
    v->len = 9;
    memset(v->row, (uint8_t)k, 9);
    CVal *w = A->st_get(ctx, 1, 0, CH(k), &k, 8, 1, NULL, NULL);
    *w = *v;
  }
  CHECK_I64(bad, 0);
  CHECK_I64(stat_entries(t), N);
  /* 40-byte slots (16 ttl + 12 value + 4 klen + 8 key) against 80: the index is the same */
  int64_t bc = stat_bytes(t), bo = stat_bytes(o);
  CHECK_MSG(bc < bo - (int64_t)N * 20, "compact %lld bytes, ordinary %lld", (long long)bc,
            (long long)bo);
  CHECK_MSG(bc < (int64_t)N * 40 + ((int64_t)8 << 20) + (4 << 20), "compact %lld bytes",
            (long long)bc);
  /* deletes (every third key), then lookups */
  for (uint64_t k = 0; k < N; k += 3) CHECK_I64(A->st_remove(ctx, 0, 0, CH(k), &k, 8), 1);
  for (uint64_t k = 0; k < N; k++) {
    CVal *v = cget(k, 0);
    if ((k % 3 == 0) != (v == NULL) || (v && v->row[8] != (uint8_t)k)) bad++;
  }
  CHECK_I64(bad, 0);
  CHECK_I64(stat_entries(t), N - (N + 2) / 3);
  /* freed slots are reused: reinserting the deleted keys does not grow the table */
  int64_t before = stat_bytes(t);
  for (uint64_t k = 0; k < N; k += 3) {
    CVal *v = cget(k, 1);
    v->len = 9;
    memset(v->row, (uint8_t)k, 9);
  }
  CHECK_I64(stat_bytes(t), before);
  CHECK_I64(stat_entries(t), N);

  /* a wrong hash on insert and a second bucket are errors; lookups of absent keys are not */
  uint64_t k0 = N + 5;
  CHECK(A->st_get(ctx, 0, 0, 12345, &k0, 8, 0, NULL, NULL) == NULL && !ctx->failed);
  StateTable *w = mk_compact(1000, 0, NULL, sizeof(CVal));   /* checked: its first inserts */
  tabs[2] = w;
  ctx->ntables = 3;
  CHECK(A->st_get(ctx, 2, 0, 12345, &k0, 8, 1, NULL, NULL) == NULL);
  CHECK(ctx->failed && strstr(ctx->err, "key_hash") != NULL);
  ctx->failed = 0; ctx->err[0] = 0;
  ctx->ntables = 2;
  st_free(w);
  CHECK(A->st_get(ctx, 0, 7, CH(k0), &k0, 8, 1, NULL, NULL) == NULL);
  CHECK(ctx->failed && strstr(ctx->err, "one bucket") != NULL);
  ctx->failed = 0; ctx->err[0] = 0;
  CHECK(A->st_get(ctx, 0, 7, CH(k0), &k0, 8, 0, NULL, NULL) == NULL && !ctx->failed);
  CHECK(A->st_append(ctx, 0, 0, CH(k0), &k0, 8, NULL) == NULL && ctx->failed);   /* all indexed */
  ctx->failed = 0; ctx->err[0] = 0;

  /* hash ranges (restore at another parallelism): every entry once, with its key_hash */
  uint64_t *keys = malloc(sizeof(uint64_t) * N);
  CAcc a;
  memset(&a, 0, sizeof a);
  a.keys = keys;
  for (uint32_t i = 0; i < 3; i++) {
    uint64_t lo, hi;
    st_owner_range(i, 3, &lo, &hi);
    a.owner = i; a.nparts = 3;
    CHECK_I64(st_visit_range(t, lo, hi, crange_fn, &a), 0);
  }
  CHECK_I64(a.n, N);
  CHECK_I64(a.bad, 0);
  qsort(keys, N, sizeof *keys, csnap_cmp);
  for (uint64_t k = 0; k < N; k++) bad += keys[k] != k;
  CHECK_I64(bad, 0);

  /* snapshot and restore, whole and split in three: the same entries, stamps and order */
  Buf b;
  memset(&b, 0, sizeof b);
  CHECK_I64(st_snapshot(t, &b), 0);
  char err[256] = "";
  StateTable *r = mk_compact(1000, 0, NULL, sizeof(CVal));
  CHECK_MSG(st_restore(r, b.p, b.len, 0, 0, err, sizeof err) == 0, "%s", err);
  CHECK_I64(stat_entries(r), N);
  Buf b2;
  memset(&b2, 0, sizeof b2);
  CHECK_I64(st_snapshot(r, &b2), 0);
  CHECK(b.len == b2.len && memcmp(b.p, b2.p, b.len) == 0);
  int64_t split = 0;
  for (uint32_t i = 0; i < 3; i++) {
    uint64_t lo, hi;
    st_owner_range(i, 3, &lo, &hi);
    StateTable *p = mk_compact(1000, 0, NULL, sizeof(CVal));
    CHECK_MSG(st_restore(p, b.p, b.len, lo, hi, err, sizeof err) == 0, "%s", err);
    memset(&a, 0, sizeof a);
    a.keys = keys; a.owner = i; a.nparts = 3;
    st_visit_all(p, crange_fn, &a);
    CHECK_I64(a.bad, 0);
    split += a.n;
    st_free(p);
  }
  CHECK_I64(split, N);
  buf_free(&b); buf_free(&b2);

  /* ttl: access order, counted; restored stamps expire alike */
  CHECK_I64(st_expire(t, ctx, INT64_MAX, NULL, NULL), 0);
  CHECK_I64(stat_entries(t), 0);
  st_free(r);
  for (uint64_t k = 0; k < 3000; k++) {
    ctx->watermark = 1000 + (int64_t)(k / 1000);
    CVal *v = cget(k, 1);
    v->len = 9;
    memset(v->row, (uint8_t)k, 9);
  }
  uint64_t hot = 5;
  CHECK(cget(hot, 0) != NULL);                 /* a hit at 1002 refreshes key 5 */
  memset(&b, 0, sizeof b);
  CHECK_I64(st_snapshot(t, &b), 0);
  r = mk_compact(1000, 0, NULL, sizeof(CVal));
  CHECK_MSG(st_restore(r, b.p, b.len, 0, 0, err, sizeof err) == 0, "%s", err);
  buf_free(&b);
  Seen s;
  memset(&s, 0, sizeof s);
  CHECK_I64(st_expire(t, ctx, 2000, on_expire, &s), 0);   /* stamp 1000 is due */
  CHECK_I64(s.n, 999);
  int order_ok = 1;
  for (int i = 0; i < 64; i++) order_ok &= s.keys[i] == (uint64_t)i + (i >= 5);
  CHECK(order_ok);
  CHECK(cget(hot, 0) != NULL && cget(4, 0) == NULL && cget(1000, 0) != NULL);
  StStats st;
  st_stats(t, &st);
  CHECK_I64(st.expired, 300000 + 999);
  CHECK_I64(st_expire(r, ctx, 2000, NULL, NULL), 0);
  CHECK_I64(stat_entries(r), 2001);
  CHECK_I64(st_expire(r, ctx, 2001, NULL, NULL), 0);
  CHECK_I64(stat_entries(r), 1001);             /* stamped 1002, the hot key among them */
  CHECK_I64(st_expire(t, ctx, INT64_MAX, NULL, NULL), 0);
  CHECK_I64(stat_entries(t), 0);
  int64_t wm = 1002;
  /* visits follow the ttl list: insertion order while nothing is re-accessed */
  ctx->watermark = wm + 1;
  for (uint64_t k = 10; k > 0; k--) cget(k, 1)->len = 9;
  memset(&s, 0, sizeof s);
  CHECK_I64(A->st_visit_bucket(ctx, 0, 0, collect, &s), 0);
  CHECK(s.n == 10 && s.keys[0] == 10 && s.keys[9] == 1);
  /* an emptied bucket may be replaced by another one; dropping frees everything */
  for (uint64_t k = 1; k <= 10; k++) CHECK_I64(A->st_remove(ctx, 0, 0, CH(k), &k, 8), 1);
  CHECK(A->st_get(ctx, 0, 9, CH(k0), &k0, 8, 1, NULL, NULL) != NULL && !ctx->failed);
  CHECK_I64(A->st_drop_bucket(ctx, 0, 9), 1);
  CHECK_I64(stat_entries(t), 0);
  free(keys);
  st_free(r);
  st_free(o);
  done(t);

  /* no ttl: still listed (visits, snapshots), objects freed with their entries */
  uint32_t off = 0;
  int64_t base = aobj_mem_bytes(RT_OBJ_NONE);
  StateTable *z = mk_compact(0, 1, &off, 16);
  use(z);
  for (uint64_t k = 0; k < 1000; k++) {
    void **v = A->st_get(ctx, 0, 0, CH(k), &k, 8, 1, NULL, NULL);
    CHECK_I64(A->agg_list_add(ctx, v, &k, 8, 0), 0);
  }
  memset(&s, 0, sizeof s);
  CHECK_I64(A->st_visit_bucket(ctx, 0, 0, collect, &s), 0);
  CHECK(s.n == 1000 && s.keys[0] == 0 && s.keys[63] == 63);
  for (uint64_t k = 0; k < 1000; k += 2) CHECK_I64(A->st_remove(ctx, 0, 0, CH(k), &k, 8), 1);
  CHECK_I64(st_expire(z, ctx, INT64_MAX, NULL, NULL), 0);   /* no ttl: nothing expires */
  CHECK_I64(stat_entries(z), 500);
  done(z);
  CHECK_I64(aobj_mem_bytes(RT_OBJ_NONE), base);
  ctx->watermark = INT64_MIN;
}

UNIT_MAIN(
  A = rt_api();
  ctx = rt_ctx_new();
  ctx->watermark = INT64_MIN;
  test_basic();
  test_bad_table();
  test_collisions();
  test_buckets();
  test_touched();
  test_timers();
  test_ttl();
  test_ttl_order();
  test_ranges();
  test_hot_key();
  test_append();
  test_objs();
  test_compact();
  test_model();
  rt_ctx_free(ctx);
)
