/*
** tests/unit/test_snapshot.c: unit tests for state table snapshots (runtime/snapshot.c and the
** restore helpers of runtime/state.c).
**
** Tables are filled the way generated code fills them (the st_* / agg_* members of rt_api()
** with a ctx whose tables point at them), snapshotted with st_snapshot and restored with
** st_restore. Covered: round trips of plain values over several buckets with removals (same
** entries, same order, byte-identical re-snapshot), values with aggregate objects (DISTINCT
** sets, multisets, lists, string boxes, NULL slots) and keyref strings pointing into the key,
** empty tables and zero-size values, ttl stamps (kept, dropped, or "before any watermark"
** depending on both sides), timers (firing order, long keys, ties), redistribution from N old
** subtasks to M new ones (1->3, 3->2, 2->5, 4->1) including hashes on range boundaries, with
** every entry and timer in exactly the subtask rt_hash_owner names, unchanged; refusal of
** another layout (value_size, object and keyref offsets), keyrefs outside the key at
** snapshot time, duplicate keys, every truncated prefix, trailing bytes, and random byte
** corruption (must fail cleanly or restore something consistent, never crash: run this binary
** under make asan). It prints the time of snapshot and restore of 1M entries (a measurement,
** not a check; bench/ owns performance targets).
*/
#include <stddef.h>
#include <stdlib.h>
#include <time.h>
#include "runtime.h"
#include "agg.h"
#include "unit.h"

static const RtApi *A;
static RtCtx *ctx;
static StateTable *tabs[1];

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void) {           /* xorshift64* */
  rng ^= rng >> 12; rng ^= rng << 25; rng ^= rng >> 27;
  return rng * 2685821657736338717ULL;
}

/* Wall clock and this thread's CPU time (the machine may be shared: both are printed). */
typedef struct Clock { double wall, cpu; } Clock;

static Clock now_c(void) {
  struct timespec w, c;
  clock_gettime(CLOCK_MONOTONIC, &w);
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c);
  Clock r = { (double)w.tv_sec + (double)w.tv_nsec * 1e-9,
              (double)c.tv_sec + (double)c.tv_nsec * 1e-9 };
  return r;
}

/* "W ns (cpu C ns)" per entry between a and b, for n entries. */
static const char *per(Clock a, Clock b, uint64_t n, char *buf) {
  snprintf(buf, 64, "%.1f ns (cpu %.1f)", (b.wall - a.wall) * 1e9 / (double)n,
           (b.cpu - a.cpu) * 1e9 / (double)n);
  return buf;
}

static void use(StateTable *t) {
  tabs[0] = t;
  ctx->tables = tabs;
  ctx->ntables = 1;
}

static int64_t entries_of(StateTable *t) { StStats s; st_stats(t, &s); return s.entries; }
static int64_t timers_of(StateTable *t) { StStats s; st_stats(t, &s); return s.timers; }

static StateTable *mk(const char *name, uint32_t value_size, int64_t ttl, uint32_t nobjs,
                      const uint32_t *offs, uint32_t nrefs, const uint32_t *refs) {
  RtStateDesc d;
  memset(&d, 0, sizeof d);
  d.name = name;
  d.value_size = value_size;
  d.ttl_ns = ttl;
  d.nobjs = nobjs;
  d.obj_offsets = offs;
  d.nkeyrefs = nrefs;
  d.keyref_offsets = refs;
  StateTable *t = st_new(&d);
  CHECK(t != NULL);
  return t;
}

/* Snapshot t into a fresh buffer (caller frees). */
static Buf snap(StateTable *t) {
  Buf b = { 0 };
  CHECK_I64(st_snapshot(t, &b), 0);
  return b;
}

static int same_buf(const Buf *a, const Buf *b) {
  return a->len == b->len && memcmp(a->p, b->p, a->len) == 0;
}

/* ---- the test value: plain data, four objects, two keyref strings ---------------------- */

typedef struct V {
  int64_t n;          /* plain */
  void *dset;         /* DISTINCT set (NULL for some keys) */
  RtStr digits;       /* keyref: the digits inside the key */
  void *mset;         /* multiset of int64 or of strings */
  double x;           /* plain */
  void *list;         /* value list with NULL elements */
  RtStr whole;        /* keyref: the whole key, or empty */
  void *sbox;         /* string box (NULL slot for some keys) */
  uint8_t flag;       /* plain */
} V;

static const uint32_t V_OBJS[] = { offsetof(V, dset), offsetof(V, mset), offsetof(V, list),
                                   offsetof(V, sbox) };
static const uint32_t V_REFS[] = { offsetof(V, digits), offsetof(V, whole) };

static StateTable *mk_v(int64_t ttl) { return mk("v table", sizeof(V), ttl, 4, V_OBJS, 2, V_REFS); }

/* Key number k: "k<digits>/" then k % 23 'x's (variable length, up to 33 bytes). */
static uint32_t key_of(uint64_t k, char *buf) {
  int n = snprintf(buf, 64, "k%llu/", (unsigned long long)k);
  for (uint64_t i = 0; i < k % 23; i++) buf[n++] = 'x';
  return (uint32_t)n;
}

static int64_t bucket_of(uint64_t k) { return (int64_t)(k % 3) * 60000000000LL - 60000000000LL; }

/* Hashes on range boundaries are forced for a few keys (redistribution); else the key's hash. */
static uint64_t forced[64];
static uint32_t nforced;
static uint64_t hash_of(uint64_t k, const char *key, uint32_t klen) {
  return k < nforced ? forced[k] : A->hash_bytes(key, klen, 0);
}

/* The objects key k holds, built into the four slots (same calls give the same objects). */
static void fill_objs(uint64_t k, void **dset, void **mset, void **list, void **sbox) {
  if (k % 6 != 0)
    for (uint64_t j = 0; j < k % 4 + 1; j++) {
      int64_t x = (int64_t)(k * 31 + j);
      CHECK(A->agg_distinct_add(ctx, dset, &x, 8, NULL) == RT_OK);
    }
  if (k % 2)
    for (uint64_t j = 0; j < 3; j++)
      CHECK(A->agg_mset_add_i64(ctx, mset, (int64_t)(k - j)) == RT_OK);
  else if (k % 4 == 0)
    CHECK(A->agg_mset_add_str(ctx, mset, rt_str("zebra", 5)) == RT_OK);
  for (uint64_t j = 0; j < k % 4; j++) {
    char s[32];
    int n = snprintf(s, sizeof s, "e%llu", (unsigned long long)(k + j));
    CHECK(A->agg_list_add(ctx, list, s, n, j == 1) == RT_OK);
  }
  if (k % 7) {
    char s[32];
    int n = snprintf(s, sizeof s, "box-%llu", (unsigned long long)k);
    CHECK(A->agg_str_set(ctx, sbox, rt_str(s, n), 0, RT_SBOX_LAST, NULL) == RT_OK);
  }
}

/* Digits of key k start at byte 1 and end before the '/'. */
static int64_t digits_len(const char *key) { return (int64_t)(strchr(key, '/') - key - 1); }

/* Create entry k in ctx's table 0 (a V table). */
static void put_v(uint64_t k) {
  char key[64];
  uint32_t klen = key_of(k, key);
  int created = 0;
  const void *kc = NULL;
  V *v = A->st_get(ctx, 0, bucket_of(k), hash_of(k, key, klen), key, klen, 1, &created, &kc);
  CHECK(v != NULL && created);
  if (!v) return;
  v->n = (int64_t)k * 7 - 3;
  v->x = (double)k / 3.0;
  v->flag = (uint8_t)(k % 2);
  v->digits = rt_str((const char *)kc + 1, digits_len(key));
  v->whole = k % 5 ? rt_str(kc, klen) : rt_str(k % 10 ? NULL : "dangling is fine", 0);
  fill_objs(k, &v->dset, &v->mset, &v->list, &v->sbox);
}

/* A DISTINCT set's values and counts, sorted: its serialized form follows its hash table's
** slot order, which depends on the insertion history (a restored set inserts in the old slot
** order into a table of its own size), so equal sets may serialize differently. */
typedef struct Items { char *v[64]; int n; } Items;

static int item_add(void *arg, const void *p, int64_t n, int64_t count) {
  Items *it = arg;
  if (it->n == 64) return 1;
  char *s = malloc(40 + 2 * (size_t)n);
  int l = snprintf(s, 40, "%lld:", (long long)count);
  for (int64_t i = 0; i < n; i++) sprintf(s + l + 2 * i, "%02x", ((const unsigned char *)p)[i]);
  s[l + 2 * n] = 0;
  it->v[it->n++] = s;
  return 0;
}

static int str_order(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void canon_dset(const void *obj, Buf *out) {
  Items it = { { 0 }, 0 };
  A->agg_distinct_visit(ctx, obj, item_add, &it);
  qsort(it.v, (size_t)it.n, sizeof(char *), str_order);
  for (int i = 0; i < it.n; i++) { buf_puts(out, it.v[i]); buf_putc(out, '|'); free(it.v[i]); }
}

static int same_obj(const void *x, const void *y) {
  Buf a = { 0 }, b = { 0 };
  if (x && y && ((const RtObj *)x)->kind == RT_OBJ_DISTINCT) {
    canon_dset(x, &a);
    canon_dset(y, &b);
  } else {
    rt_obj_serialize(x, &a);
    rt_obj_serialize(y, &b);
  }
  int eq = same_buf(&a, &b) && (x == NULL) == (y == NULL);
  buf_free(&a);
  buf_free(&b);
  return eq;
}

/* Entry k in ctx's table 0: 0 absent, 1 present and exactly as put_v made it, -1 different. */
static int check_v(uint64_t k) {
  char key[64];
  uint32_t klen = key_of(k, key);
  const void *kcv = NULL;
  V *v = A->st_get(ctx, 0, bucket_of(k), hash_of(k, key, klen), key, klen, 0, NULL, &kcv);
  if (!v) return 0;
  const char *kc = kcv;
  int ok = v->n == (int64_t)k * 7 - 3 && v->x == (double)k / 3.0 && v->flag == k % 2;
  ok &= v->digits.ptr == kc + 1 && v->digits.len == digits_len(key) &&
        memcmp(v->digits.ptr, key + 1, (size_t)v->digits.len) == 0;
  if (k % 5) ok &= v->whole.ptr == kc && v->whole.len == klen;
  else ok &= v->whole.len == 0 && (v->whole.ptr == NULL || k % 10 == 0);  /* restored: NULL */
  void *d = NULL, *m = NULL, *l = NULL, *s = NULL;
  fill_objs(k, &d, &m, &l, &s);
  ok &= same_obj(v->dset, d) && same_obj(v->mset, m) && same_obj(v->list, l) &&
        same_obj(v->sbox, s);
  rt_obj_free(d); rt_obj_free(m); rt_obj_free(l); rt_obj_free(s);
  return ok ? 1 : -1;
}

/* ---- visit sequences (order checks) ---------------------------------------------------- */

typedef struct Seq { Buf b; int64_t bucket_only; int filter; } Seq;

static int seq_add(void *arg, int64_t bucket, uint64_t hash, const void *key, uint32_t keylen,
                   void *value) {
  Seq *s = arg;
  if (s->filter && bucket != s->bucket_only) return 0;
  buf_put(&s->b, &bucket, 8);
  buf_put(&s->b, &hash, 8);
  buf_put(&s->b, &keylen, 4);
  buf_put(&s->b, key, keylen);
  return 0;
}

/* ---- round trips ----------------------------------------------------------------------- */

typedef struct P { int64_t a; uint64_t b; double c; } P;   /* plain 24-byte value */

static void test_plain_roundtrip(void) {
  StateTable *t = mk("plain", sizeof(P), 0, 0, NULL, 0, NULL);
  use(t);
  for (uint64_t k = 0; k < 20000; k++) {
    int64_t bucket = (int64_t)(k % 5) * 1000 - 2000;
    P *v = A->st_get(ctx, 0, bucket, rt_hash_mix(1, k), &k, 8, 1, NULL, NULL);
    v->a = (int64_t)k; v->b = ~k; v->c = (double)k * 0.5;
  }
  for (uint64_t k = 0; k < 20000; k += 3)    /* holes in the insertion lists */
    CHECK_I64(A->st_remove(ctx, 0, (int64_t)(k % 5) * 1000 - 2000, rt_hash_mix(1, k), &k, 8), 1);
  CHECK_I64(A->st_drop_bucket(ctx, 0, 0), 2667);   /* a whole bucket gone: k % 5 == 2 */
  Buf b = snap(t);
  StSnapInfo in;
  char err[256] = "";
  CHECK_I64(st_snapshot_info(b.p, b.len, &in, err, sizeof err), 0);
  CHECK_I64(in.entries, entries_of(t));
  CHECK_I64(in.buckets, 4);
  CHECK_I64(in.timers, 0);
  CHECK_I64(in.size, b.len);
  CHECK_I64(in.value_size, sizeof(P));
  CHECK(in.name_len == 5 && memcmp(in.name, "plain", 5) == 0);

  StateTable *r = mk("plain", sizeof(P), 0, 0, NULL, 0, NULL);
  CHECK_MSG(st_restore(r, b.p, b.len, 0, 0, err, sizeof err) == 0, "%s", err);
  CHECK_I64(entries_of(r), entries_of(t));
  Seq s1 = { { 0 }, 0, 0 }, s2 = { { 0 }, 0, 0 };
  st_visit_all(t, seq_add, &s1);
  st_visit_all(r, seq_add, &s2);
  CHECK(same_buf(&s1.b, &s2.b));            /* same entries in the same order */
  Buf b2 = snap(r);
  CHECK(same_buf(&b, &b2));                 /* and byte-identical again */
  use(r);
  int bad = 0;
  for (uint64_t k = 0; k < 20000; k++) {
    P *v = A->st_get(ctx, 0, (int64_t)(k % 5) * 1000 - 2000, rt_hash_mix(1, k), &k, 8, 0, NULL,
                     NULL);
    int want = k % 3 != 0 && k % 5 != 2;
    if (want != (v != NULL) || (v && (v->a != (int64_t)k || v->b != ~k || v->c != k * 0.5))) bad++;
  }
  CHECK_I64(bad, 0);
  /* the restored table keeps working: inserts, removes, growth */
  for (uint64_t k = 20000; k < 30000; k++)
    CHECK(A->st_get(ctx, 0, 0, rt_hash_mix(1, k), &k, 8, 1, NULL, NULL) != NULL);
  CHECK_I64(entries_of(r), entries_of(t) + 10000);
  buf_free(&s1.b); buf_free(&s2.b); buf_free(&b); buf_free(&b2);
  st_free(t);
  st_free(r);
}

static void test_objects_keyrefs(void) {
  int64_t mem0 = aobj_mem_bytes(RT_OBJ_NONE);
  StateTable *t = mk_v(0);
  use(t);
  const uint64_t N = 3000;
  for (uint64_t k = 0; k < N; k++) put_v(k);
  int bad = 0;
  for (uint64_t k = 0; k < N; k++) bad += check_v(k) != 1;
  CHECK_I64(bad, 0);                        /* the checker agrees with the original */
  Buf b = snap(t);
  StateTable *r = mk_v(0);
  char err[256] = "";
  CHECK_MSG(st_restore(r, b.p, b.len, 0, 0, err, sizeof err) == 0, "%s", err);
  CHECK_I64(entries_of(r), (int64_t)N);
  use(r);
  bad = 0;
  for (uint64_t k = 0; k < N; k++) bad += check_v(k) != 1;
  CHECK_I64(bad, 0);
  /* objects are new copies, not shared with the original */
  char key[64];
  uint32_t klen = key_of(1, key);
  V *vr = A->st_get(ctx, 0, bucket_of(1), hash_of(1, key, klen), key, klen, 0, NULL, NULL);
  use(t);
  V *vt = A->st_get(ctx, 0, bucket_of(1), hash_of(1, key, klen), key, klen, 0, NULL, NULL);
  CHECK(vr && vt && vr->dset && vr->dset != vt->dset && vr->list != vt->list);
  /* the same bytes again, up to the order inside DISTINCT sets (see canon_dset) */
  Buf b2 = snap(r);
  CHECK_I64(b2.len, b.len);
  /* freeing the original does not disturb the copy */
  st_free(t);
  use(r);
  bad = 0;
  for (uint64_t k = 0; k < N; k += 7) bad += check_v(k) != 1;
  CHECK_I64(bad, 0);
  st_free(r);
  CHECK_I64(aobj_mem_bytes(RT_OBJ_NONE), mem0);   /* every object freed */
  buf_free(&b); buf_free(&b2);
}

static void test_empty(void) {
  StateTable *t = mk_v(0);
  Buf b = snap(t);
  StSnapInfo in;
  char err[256] = "";
  CHECK_I64(st_snapshot_info(b.p, b.len, &in, err, sizeof err), 0);
  CHECK(in.entries == 0 && in.buckets == 0 && in.timers == 0 && in.size == b.len);
  StateTable *r = mk_v(0);
  CHECK_MSG(st_restore(r, b.p, b.len, 0, 0, err, sizeof err) == 0, "%s", err);
  CHECK_I64(entries_of(r), 0);
  StStats s;
  st_stats(r, &s);
  CHECK_I64(s.buckets, 0);
  Buf b2 = snap(r);
  CHECK(same_buf(&b, &b2));
  buf_free(&b); buf_free(&b2);
  st_free(t); st_free(r);

  /* zero-size values and empty keys (an unkeyed count, a "seen" set) */
  StateTable *z = mk("zero", 0, 0, 0, NULL, 0, NULL);
  use(z);
  CHECK(A->st_get(ctx, 0, 0, 42, NULL, 0, 1, NULL, NULL) != NULL);
  CHECK(A->st_get(ctx, 0, 5, 42, NULL, 0, 1, NULL, NULL) != NULL);
  CHECK(A->st_get(ctx, 0, 5, 43, "a", 1, 1, NULL, NULL) != NULL);
  b = snap(z);
  StateTable *zr = mk("zero", 0, 0, 0, NULL, 0, NULL);
  CHECK_MSG(st_restore(zr, b.p, b.len, 0, 0, err, sizeof err) == 0, "%s", err);
  CHECK_I64(entries_of(zr), 3);
  use(zr);
  CHECK(A->st_get(ctx, 0, 0, 42, "", 0, 0, NULL, NULL) != NULL);
  CHECK(A->st_get(ctx, 0, 5, 43, "a", 1, 0, NULL, NULL) != NULL);
  b2 = snap(zr);
  CHECK(same_buf(&b, &b2));
  buf_free(&b); buf_free(&b2);
  st_free(z); st_free(zr);
}

/* ---- ttl --------------------------------------------------------------------------------- */

/* Last-access stamps by key number (a lookup would itself be an access, so visit). */
typedef struct Stamps { StateTable *t; int64_t at[1000]; } Stamps;

static int stamp_of(void *arg, int64_t bucket, uint64_t hash, const void *key, uint32_t keylen,
                    void *value) {
  Stamps *s = arg;
  uint64_t k;
  memcpy(&k, key, 8);
  if (k < 1000) s->at[k] = st_access(s->t, value);
  return 0;
}

static Stamps *stamps(StateTable *t) {
  static Stamps s[2];
  static int which;
  Stamps *x = &s[which ^= 1];
  x->t = t;
  for (int i = 0; i < 1000; i++) x->at[i] = INT64_MAX;
  st_visit_all(t, stamp_of, x);
  return x;
}

static void test_ttl(void) {
  const int64_t TTL = 1000;
  StateTable *t = mk("ttl", sizeof(P), TTL, 0, NULL, 0, NULL);
  use(t);
  ctx->watermark = INT64_MIN;                /* created before the first watermark */
  for (uint64_t k = 0; k < 100; k++) A->st_get(ctx, 0, 0, rt_hash_mix(2, k), &k, 8, 1, NULL, NULL);
  for (uint64_t k = 100; k < 1000; k++) {
    ctx->watermark = (int64_t)k * 10;
    P *v = A->st_get(ctx, 0, 0, rt_hash_mix(2, k), &k, 8, 1, NULL, NULL);
    v->a = (int64_t)k;
  }
  for (uint64_t k = 100; k < 1000; k += 5) { /* later hits move the stamp */
    ctx->watermark = 20000 + (int64_t)k;
    A->st_get(ctx, 0, 0, rt_hash_mix(2, k), &k, 8, 0, NULL, NULL);
  }
  ctx->watermark = INT64_MIN;
  Buf b = snap(t);
  StSnapInfo in;
  char err[256] = "";
  CHECK_I64(st_snapshot_info(b.p, b.len, &in, err, sizeof err), 0);
  CHECK_I64(in.ttl_ns, TTL);

  StateTable *r = mk("ttl", sizeof(P), TTL, 0, NULL, 0, NULL);
  CHECK_MSG(st_restore(r, b.p, b.len, 0, 0, err, sizeof err) == 0, "%s", err);
  Stamps *st = stamps(t), *sr = stamps(r);
  CHECK(memcmp(st->at, sr->at, sizeof st->at) == 0);
  CHECK_I64(sr->at[0], INT64_MIN);
  CHECK_I64(sr->at[101], 1010);
  CHECK_I64(sr->at[105], 20105);
  Buf b2 = snap(r);
  CHECK(same_buf(&b, &b2));
  /* expiry behaves the same on both: first call stamps the INT64_MIN ones, then by age */
  int64_t now[] = { 5000, 9000, 20600, 21500 };
  for (int i = 0; i < 4; i++) {
    CHECK_I64(st_expire(t, ctx, now[i], NULL, NULL), 0);
    CHECK_I64(st_expire(r, ctx, now[i], NULL, NULL), 0);
    CHECK_I64(entries_of(r), entries_of(t));
    Seq s1 = { { 0 }, 0, 0 }, s2 = { { 0 }, 0, 0 };
    st_visit_all(t, seq_add, &s1);
    st_visit_all(r, seq_add, &s2);
    CHECK(same_buf(&s1.b, &s2.b));
    buf_free(&s1.b); buf_free(&s2.b);
  }
  CHECK(entries_of(t) > 0 && entries_of(t) < 1000);

  /* a ttl snapshot into a table without ttl: stamps dropped */
  StateTable *nt = mk("ttl", sizeof(P), 0, 0, NULL, 0, NULL);
  CHECK_MSG(st_restore(nt, b.p, b.len, 0, 0, err, sizeof err) == 0, "%s", err);
  CHECK_I64(entries_of(nt), 1000);
  CHECK_I64(stamps(nt)->at[500], INT64_MIN);
  /* and back into a ttl table: no stamps, so "before the first watermark" */
  Buf b3 = snap(nt);
  CHECK_I64(st_snapshot_info(b3.p, b3.len, &in, err, sizeof err), 0);
  CHECK_I64(in.ttl_ns, 0);
  StateTable *tt = mk("ttl", sizeof(P), TTL, 0, NULL, 0, NULL);
  CHECK_MSG(st_restore(tt, b3.p, b3.len, 0, 0, err, sizeof err) == 0, "%s", err);
  CHECK_I64(stamps(tt)->at[500], INT64_MIN);
  CHECK_I64(st_expire(tt, ctx, 100000, NULL, NULL), 0);    /* counts from the first call */
  CHECK_I64(entries_of(tt), 1000);
  CHECK_I64(st_expire(tt, ctx, 100000 + TTL, NULL, NULL), 0);
  CHECK_I64(entries_of(tt), 0);
  buf_free(&b); buf_free(&b2); buf_free(&b3);
  st_free(t); st_free(r); st_free(nt); st_free(tt);
}

/* ---- timers ------------------------------------------------------------------------------ */

typedef struct Fired { Buf b; int with_value; } Fired;

static int on_fire(RtCtx *c, void *arg, int64_t time, const void *key, uint32_t keylen,
                   void *value) {
  Fired *f = arg;
  buf_put(&f->b, &time, 8);
  buf_put(&f->b, &keylen, 4);
  buf_put(&f->b, key, keylen);
  if (value) f->with_value++;
  return 0;
}

static void test_timers(void) {
  StateTable *t = mk("timers", sizeof(P), 0, 0, NULL, 0, NULL);
  use(t);
  char key[64];
  for (uint64_t i = 0; i < 600; i++) {
    uint32_t klen = (uint32_t)(i % 4 == 0 ? 0 : i % 4 == 1 ? 8 : i % 4 == 2 ? 17 : 40);
    for (uint32_t j = 0; j < klen; j++) key[j] = (char)('a' + (i + j) % 26);
    int64_t time = (int64_t)(rnd() % 50) - 25;      /* many ties */
    CHECK_I64(A->timer_add(ctx, 0, time, A->hash_bytes(key, klen, 0), key, klen), RT_OK);
    if (i % 10 == 1)                                 /* session state lives in bucket 0 */
      A->st_get(ctx, 0, 0, A->hash_bytes(key, klen, 0), key, klen, 1, NULL, NULL);
  }
  Buf b = snap(t);
  StSnapInfo in;
  char err[256] = "";
  CHECK_I64(st_snapshot_info(b.p, b.len, &in, err, sizeof err), 0);
  CHECK_I64(in.timers, 600);
  StateTable *r = mk("timers", sizeof(P), 0, 0, NULL, 0, NULL);
  CHECK_MSG(st_restore(r, b.p, b.len, 0, 0, err, sizeof err) == 0, "%s", err);
  CHECK_I64(timers_of(r), 600);
  Buf b2 = snap(r);
  CHECK(same_buf(&b, &b2));
  Fired f1 = { { 0 }, 0 }, f2 = { { 0 }, 0 };
  use(t);
  CHECK_I64(A->timer_fire(ctx, 0, INT64_MAX, on_fire, &f1), 0);
  use(r);
  CHECK_I64(A->timer_fire(ctx, 0, INT64_MAX, on_fire, &f2), 0);
  CHECK(f1.b.len > 0 && same_buf(&f1.b, &f2.b));   /* same timers in the same firing order */
  CHECK(f1.with_value == f2.with_value && f1.with_value >= 60);
  CHECK_I64(timers_of(r), 0);
  buf_free(&b); buf_free(&b2); buf_free(&f1.b); buf_free(&f2.b);
  st_free(t); st_free(r);
}

/* ---- redistribution ---------------------------------------------------------------------- */

typedef struct TimerSeen { uint32_t j, m; int64_t n, wrong; } TimerSeen;

static int timer_owner(void *arg, int64_t time, uint64_t hash, const void *key, uint32_t keylen,
                       void *value) {
  TimerSeen *s = arg;
  s->n++;
  if (rt_hash_owner(hash, s->m) != s->j) s->wrong++;
  /* the timer time encodes its key number */
  uint64_t k = (uint64_t)(time - 7);
  char buf[64];
  uint32_t kl = key_of(k, buf);
  if (kl != keylen || memcmp(buf, key, kl) != 0 || hash != hash_of(k, buf, kl)) s->wrong++;
  return 0;
}

static void redistribute(uint32_t N, uint32_t M) {
  const uint64_t K = 4000;
  /* hashes on both parallelisms' range boundaries, just below them, and the extremes */
  nforced = 0;
  forced[nforced++] = 0;
  forced[nforced++] = UINT64_MAX;
  for (uint32_t j = 1; j < N || j < M; j++) {
    uint64_t lo, hi;
    for (int side = 0; side < 2; side++) {
      uint32_t par = side ? M : N;
      if (j >= par) continue;
      st_owner_range(j, par, &lo, &hi);
      forced[nforced++] = lo;
      forced[nforced++] = lo - 1;
    }
  }
  StateTable *old[8], *neu[8];
  Buf snaps[8];
  for (uint32_t i = 0; i < N; i++) old[i] = mk_v(0);
  for (uint64_t k = 0; k < K; k++) {
    char key[64];
    uint32_t klen = key_of(k, key);
    uint64_t h = hash_of(k, key, klen);
    use(old[rt_hash_owner(h, N)]);
    put_v(k);
    if (k % 3 == 0) CHECK_I64(A->timer_add(ctx, 0, (int64_t)k + 7, h, key, klen), RT_OK);
  }
  for (uint32_t i = 0; i < N; i++) snaps[i] = snap(old[i]);

  char err[256] = "";
  int64_t total = 0, timers = 0;
  for (uint32_t j = 0; j < M; j++) {
    neu[j] = mk_v(0);
    uint64_t lo, hi;
    st_owner_range(j, M, &lo, &hi);
    for (uint32_t i = 0; i < N; i++)
      CHECK_MSG(st_restore(neu[j], snaps[i].p, snaps[i].len, lo, hi, err, sizeof err) == 0,
                "%u->%u: %s", N, M, err);
    total += entries_of(neu[j]);
    TimerSeen ts = { j, M, 0, 0 };
    timer_visit_range(neu[j], 0, 0, timer_owner, &ts);
    CHECK_MSG(ts.wrong == 0, "%u->%u: subtask %u has %lld wrong timers", N, M, j,
              (long long)ts.wrong);
    timers += ts.n;
  }
  CHECK_MSG(total == (int64_t)K, "%u->%u: %lld entries after, %llu before", N, M,
            (long long)total, (unsigned long long)K);
  CHECK_I64(timers, (K + 2) / 3);

  /* every key in exactly its owner, unchanged */
  int64_t misplaced = 0, changed = 0;
  for (uint64_t k = 0; k < K; k++) {
    char key[64];
    uint32_t klen = key_of(k, key);
    uint32_t owner = rt_hash_owner(hash_of(k, key, klen), M);
    for (uint32_t j = 0; j < M; j++) {
      use(neu[j]);
      int c = check_v(k);
      if ((c != 0) != (j == owner)) misplaced++;
      if (c < 0) changed++;
    }
  }
  CHECK_MSG(misplaced == 0 && changed == 0, "%u->%u: %lld misplaced, %lld changed", N, M,
            (long long)misplaced, (long long)changed);

  /* order: per bucket, old subtask 0's entries of the range, then subtask 1's, ... */
  int order_ok = 1;
  for (uint32_t j = 0; j < M; j++) {
    uint64_t lo, hi;
    st_owner_range(j, M, &lo, &hi);
    Seq got = { { 0 }, 0, 0 }, want = { { 0 }, 0, 1 };
    st_visit_all(neu[j], seq_add, &got);
    for (int64_t bk = -60000000000LL; bk <= 60000000000LL; bk += 60000000000LL) {
      want.bucket_only = bk;
      for (uint32_t i = 0; i < N; i++) st_visit_range(old[i], lo, hi, seq_add, &want);
    }
    order_ok &= same_buf(&got.b, &want.b);
    buf_free(&got.b); buf_free(&want.b);
  }
  CHECK_MSG(order_ok, "%u->%u: restored order differs", N, M);

  for (uint32_t i = 0; i < N; i++) { st_free(old[i]); buf_free(&snaps[i]); }
  for (uint32_t j = 0; j < M; j++) st_free(neu[j]);
  nforced = 0;
}

static void test_redistribution(void) {
  int64_t mem0 = aobj_mem_bytes(RT_OBJ_NONE);
  redistribute(1, 3);
  redistribute(3, 2);
  redistribute(2, 5);
  redistribute(4, 1);
  redistribute(3, 3);
  CHECK_I64(aobj_mem_bytes(RT_OBJ_NONE), mem0);
}

/* ---- refusals and bad input -------------------------------------------------------------- */

static void test_mismatch(void) {
  StateTable *t = mk_v(0);
  use(t);
  for (uint64_t k = 0; k < 50; k++) put_v(k);
  Buf b = snap(t);
  char err[512] = "";

  StateTable *r = mk("bigger", sizeof(V) + 8, 0, 4, V_OBJS, 2, V_REFS);
  CHECK(st_restore(r, b.p, b.len, 0, 0, err, sizeof err) < 0);
  char want[128];
  snprintf(want, sizeof want, "%zu-byte values but table 'bigger' has %zu-byte values", sizeof(V),
           sizeof(V) + 8);
  CHECK_MSG(strstr(err, want) != NULL, "%s", err);
  CHECK_I64(entries_of(r), 0);
  st_free(r);

  uint32_t objs2[] = { offsetof(V, dset), offsetof(V, mset), offsetof(V, list) };
  r = mk("fewer objects", sizeof(V), 0, 3, objs2, 2, V_REFS);
  CHECK(st_restore(r, b.p, b.len, 0, 0, err, sizeof err) < 0);
  CHECK_MSG(strstr(err, "object fields") != NULL, "%s", err);
  st_free(r);

  uint32_t objs3[] = { offsetof(V, dset), offsetof(V, list), offsetof(V, mset), offsetof(V, sbox) };
  r = mk("moved objects", sizeof(V), 0, 4, objs3, 2, V_REFS);
  CHECK(st_restore(r, b.p, b.len, 0, 0, err, sizeof err) < 0);
  CHECK_MSG(strstr(err, "object fields") != NULL, "%s", err);
  st_free(r);

  uint32_t refs2[] = { offsetof(V, digits) };
  r = mk("fewer refs", sizeof(V), 0, 4, V_OBJS, 1, refs2);
  CHECK(st_restore(r, b.p, b.len, 0, 0, err, sizeof err) < 0);
  CHECK_MSG(strstr(err, "key-string fields") != NULL, "%s", err);
  st_free(r);

  /* st_new refuses descriptors snapshots could not handle */
  uint32_t bad_ref[] = { sizeof(V) - 8 }, over_obj[] = { offsetof(V, dset) - 8 };
  RtStateDesc d = { "bad", sizeof(V), 4, V_OBJS, 0, 1, bad_ref };
  CHECK(st_new(&d) == NULL);
  d.keyref_offsets = over_obj;               /* overlaps the first object field */
  CHECK(st_new(&d) == NULL);
  d.keyref_offsets = NULL;
  CHECK(st_new(&d) == NULL);

  /* the same state twice: the second restore finds the keys present */
  r = mk_v(0);
  CHECK(st_restore(r, b.p, b.len, 0, 0, err, sizeof err) == 0);
  CHECK(st_restore(r, b.p, b.len, 0, 0, err, sizeof err) < 0);
  CHECK_MSG(strstr(err, "already has that key") != NULL, "%s", err);
  CHECK_I64(entries_of(r), 50);
  st_free(r);
  buf_free(&b);
  st_free(t);
}

static void test_bad_keyref(void) {
  StateTable *t = mk_v(0);
  use(t);
  for (uint64_t k = 0; k < 10; k++) put_v(k);
  char key[64];
  uint32_t klen = key_of(4, key);
  V *v = A->st_get(ctx, 0, bucket_of(4), hash_of(4, key, klen), key, klen, 0, NULL, NULL);
  RtStr keep = v->whole;
  Buf b = { 0 };
  buf_puts(&b, "prefix");
  fprintf(stderr, "(two messages about strings outside a key are expected)\n");
  v->whole = rt_str("elsewhere", 9);        /* not in the key: a code generation bug */
  CHECK_I64(st_snapshot(t, &b), -1);
  CHECK_I64(b.len, 6);                       /* out left as it was */
  v->whole = rt_str(keep.ptr + 1, keep.len); /* one byte past the key's end */
  CHECK_I64(st_snapshot(t, &b), -1);
  CHECK_I64(b.len, 6);
  v->whole = rt_str(keep.ptr + keep.len, 0); /* empty at the end: fine */
  CHECK_I64(st_snapshot(t, &b), 0);
  v->whole = keep;
  /* snapshots concatenate: info gives each one's size */
  size_t first = b.len;
  CHECK_I64(st_snapshot(t, &b), 0);
  StSnapInfo in;
  char err[256] = "";
  CHECK_I64(st_snapshot_info(b.p + 6, b.len - 6, &in, err, sizeof err), 0);
  CHECK_I64(in.size, first - 6);
  StateTable *r = mk_v(0);
  CHECK_MSG(st_restore(r, b.p + first, b.len - first, 0, 0, err, sizeof err) == 0, "%s", err);
  use(r);
  int bad = 0;
  for (uint64_t k = 0; k < 10; k++) bad += check_v(k) != 1;
  CHECK_I64(bad, 0);
  st_free(r);
  buf_free(&b);
  st_free(t);
}

/* Restore p[0..n) into a fresh V table (ttl as given). On success the result must snapshot
** again and be as big as the input says. Returns st_restore's result. */
static int try_restore(const char *p, size_t n, int64_t ttl, char *err, size_t errlen) {
  StateTable *r = mk_v(ttl);
  err[0] = 0;
  int rc = st_restore(r, p, n, 0, 0, err, errlen);
  if (rc == 0) {
    StSnapInfo in;
    CHECK(st_snapshot_info(p, n, &in, err, errlen) == 0);
    CHECK(entries_of(r) == (int64_t)in.entries && timers_of(r) == (int64_t)in.timers);
    Buf again = { 0 };
    CHECK(st_snapshot(r, &again) == 0);
    buf_free(&again);
  } else {
    CHECK(err[0] != 0);
  }
  st_free(r);
  return rc;
}

static void test_corrupt(void) {
  int64_t mem0 = aobj_mem_bytes(RT_OBJ_NONE);
  StateTable *t = mk_v(500);
  use(t);
  for (uint64_t k = 0; k < 40; k++) {
    ctx->watermark = (int64_t)k;
    put_v(k);
    char key[64];
    uint32_t klen = key_of(k, key);
    if (k % 4 == 0) A->timer_add(ctx, 0, (int64_t)k, hash_of(k, key, klen), key, klen);
  }
  ctx->watermark = INT64_MIN;
  Buf b = snap(t);
  char err[512];
  CHECK_I64(try_restore(b.p, b.len, 500, err, sizeof err), 0);

  /* every truncated prefix fails, with a message */
  int accepted = 0;
  for (size_t k = 0; k < b.len; k++) accepted += try_restore(b.p, k, 500, err, sizeof err) == 0;
  CHECK_I64(accepted, 0);
  /* trailing bytes */
  Buf c = { 0 };
  buf_put(&c, b.p, b.len);
  buf_putc(&c, 0);
  CHECK(try_restore(c.p, c.len, 500, err, sizeof err) < 0);
  CHECK_MSG(strstr(err, "trailing bytes") != NULL, "%s", err);
  buf_free(&c);
  CHECK(try_restore(b.p, b.len - 1, 500, err, sizeof err) < 0);
  CHECK_MSG(strstr(err, "truncated") != NULL, "%s", err);
  CHECK(try_restore("hello", 5, 500, err, sizeof err) < 0);
  CHECK_MSG(strstr(err, "not a state snapshot") != NULL, "%s", err);
  /* a newer version */
  Buf v2 = { 0 };
  buf_put(&v2, b.p, b.len);
  v2.p[8] = 2;
  CHECK(try_restore(v2.p, v2.len, 500, err, sizeof err) < 0);
  CHECK_MSG(strstr(err, "format version 2") != NULL, "%s", err);
  buf_free(&v2);

  /* random damage: 1-3 flipped bytes, or a word overwritten with an extreme value */
  int ok = 0, failed = 0;
  Buf d = { 0 };
  for (int it = 0; it < 4000; it++) {
    d.len = 0;
    buf_put(&d, b.p, b.len);
    int kind = (int)(rnd() % 3);
    if (kind < 2) {
      for (uint64_t m = rnd() % 3 + 1; m > 0; m--) d.p[rnd() % d.len] ^= (char)(1u << (rnd() % 8));
    } else {
      static const uint64_t extreme[] = { 0, 1, 0x7fffffff, 0xffffffff, 0x8000000000000000ull,
                                          UINT64_MAX, 1ull << 40 };
      size_t at = rnd() % (d.len - 7);
      uint64_t x = extreme[rnd() % 7];
      memcpy(d.p + at, &x, (rnd() & 1) ? 8 : 4);
    }
    if (try_restore(d.p, d.len, 500, err, sizeof err) == 0) ok++; else failed++;
  }
  buf_free(&d);
  printf("corruption: %d restored (damage in plain data), %d refused\n", ok, failed);
  CHECK(failed > 1000);
  /* noise with a valid header prefix */
  Buf z = { 0 };
  for (int it = 0; it < 500; it++) {
    z.len = 0;
    size_t keep = 72 + rnd() % 100;
    buf_put(&z, b.p, keep < b.len ? keep : b.len);
    size_t more = rnd() % 400;
    for (size_t i = 0; i < more; i++) buf_putc(&z, (char)rnd());
    uint64_t size = z.len;
    if (z.len >= 24 && (rnd() & 1)) memcpy(z.p + 16, &size, 8);   /* make the size agree */
    try_restore(z.p, z.len, 500, err, sizeof err);
  }
  buf_free(&z);
  buf_free(&b);
  st_free(t);
  CHECK_I64(aobj_mem_bytes(RT_OBJ_NONE), mem0);
}

/* ---- 1M entries: timings (printed, not checked) ------------------------------------------ */

typedef struct KS { int64_t count; int64_t sum; RtStr name; } KS;   /* with a keyref */

static void test_million(void) {
  const uint64_t N = 1000000;
  char err[256] = "";
  StateTable *t = mk("million", sizeof(P), 0, 0, NULL, 0, NULL);
  use(t);
  for (uint64_t k = 0; k < N; k++) {
    P *v = A->st_get(ctx, 0, 0, rt_hash_mix(3, k), &k, 8, 1, NULL, NULL);
    v->a = (int64_t)k;
  }
  Clock t0 = now_c();
  Buf b = snap(t);
  Clock t1 = now_c();
  StateTable *r = mk("million", sizeof(P), 0, 0, NULL, 0, NULL);
  CHECK_MSG(st_restore(r, b.p, b.len, 0, 0, err, sizeof err) == 0, "%s", err);
  Clock t2 = now_c();
  CHECK_I64(entries_of(r), (int64_t)N);
  /* a quarter of it: one new subtask of 4 scans everything, keeps its range */
  uint64_t lo, hi;
  st_owner_range(1, 4, &lo, &hi);
  StateTable *q = mk("million", sizeof(P), 0, 0, NULL, 0, NULL);
  Clock t3 = now_c();
  CHECK(st_restore(q, b.p, b.len, lo, hi, err, sizeof err) == 0);
  Clock t4 = now_c();
  CHECK(entries_of(q) > (int64_t)N / 4 - 5000 && entries_of(q) < (int64_t)N / 4 + 5000);
  use(r);
  int bad = 0;
  for (uint64_t k = 0; k < N; k += 97) {
    P *v = A->st_get(ctx, 0, 0, rt_hash_mix(3, k), &k, 8, 0, NULL, NULL);
    bad += !v || v->a != (int64_t)k;
  }
  CHECK_I64(bad, 0);
  char p1[64], p2[64], p3[64];
  printf("1M entries, 8-byte keys, 24-byte values, one bucket (%.1f MB): per entry: snapshot %s, "
         "restore %s, restore of a quarter range %s per entry scanned\n", b.len / 1e6,
         per(t0, t1, N, p1), per(t1, t2, N, p2), per(t3, t4, N, p3));
  st_free(t); st_free(r); st_free(q);
  buf_free(&b);

  /* string keys of 12-20 bytes with a keyref to the key, 4 buckets */
  static const uint32_t refs[] = { offsetof(KS, name) };
  t = mk("million strings", sizeof(KS), 0, 0, NULL, 1, refs);
  use(t);
  for (uint64_t k = 0; k < N; k++) {
    char key[32];
    int kl = snprintf(key, sizeof key, "user-%llu-%llu", (unsigned long long)k,
                      (unsigned long long)(k % 1000));
    const void *kc;
    KS *v = A->st_get(ctx, 0, (int64_t)(k & 3), A->hash_bytes(key, kl, 0), key, (uint32_t)kl, 1,
                      NULL, &kc);
    v->count = 1;
    v->name = rt_str(kc, kl);
  }
  t0 = now_c();
  b = snap(t);
  t1 = now_c();
  r = mk("million strings", sizeof(KS), 0, 0, NULL, 1, refs);
  CHECK_MSG(st_restore(r, b.p, b.len, 0, 0, err, sizeof err) == 0, "%s", err);
  t2 = now_c();
  CHECK_I64(entries_of(r), (int64_t)N);
  printf("1M entries, 12-20 byte string keys, 32-byte values with a keyref, 4 buckets (%.1f MB): "
         "per entry: snapshot %s, restore %s\n", b.len / 1e6, per(t0, t1, N, p1),
         per(t1, t2, N, p2));
  st_free(t); st_free(r);
  buf_free(&b);
}

UNIT_MAIN(
  A = rt_api();
  ctx = rt_ctx_new();
  ctx->watermark = INT64_MIN;
  test_plain_roundtrip();
  test_objects_keyrefs();
  test_empty();
  test_ttl();
  test_timers();
  test_redistribution();
  test_mismatch();
  test_bad_keyref();
  test_corrupt();
  test_million();
  rt_ctx_free(ctx);
)
