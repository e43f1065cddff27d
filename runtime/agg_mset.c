/*
** runtime/agg_mset.c: sorted multiset of doubles, int64s, uint64s or strings, with
** multiplicities and retraction: min/max/median/percentile_cont (and their DISTINCT forms)
** over updating input.
**
** Representation: a treap (binary search tree ordered by key, heap-ordered by a priority) whose
** nodes carry a key, its multiplicity, and two subtree sums: values counted with multiplicity
** and distinct keys. Insert, remove and "k-th smallest" (by either sum) are O(log n) expected.
** Priorities are a hash of the key, so the tree shape depends only on the set of keys, never on
** insertion order or on allocation addresses (deterministic snapshots and behaviour).
** Doubles are stored as int64 under the IEEE total-order mapping (the one Rust's f64::total_cmp
** and DataFusion's sorts use), so both numeric kinds compare as signed integers; the mapping
** is its own inverse; uint64s are stored with the top bit flipped, for the same reason. Strings
** compare byte-wise; their bytes are allocated with the node.
**
** Semantics follow DataFusion: median of an even count is the mean of the two middle values,
** truncated toward zero for integers (overflow-safe); percentile_cont interpolates linearly at
** p * (n - 1) with a fraction quantized to 1e-6.
** It does not interpret decimals (generated code passes their scaled int64) or floats narrower
** than double (widened by generated code).
**
** Serialized payload: [u8 key type][u64 ndistinct] then, in key order, per key: the key (u64 for
** numbers, [u32 len][bytes] for strings) and [u64 count].
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "agg.h"

enum { MS_F64 = 1, MS_I64 = 2, MS_STR = 3, MS_U64 = 4 };
static const char *const ms_type_names[] = { "?", "DOUBLE", "BIGINT", "TEXT", "BIGINT UNSIGNED" };

typedef struct MNode {
  struct MNode *l, *r;  /* children */
  uint64_t prio;        /* heap priority: hash of the key */
  int64_t cnt;          /* multiplicity of this key (> 0) */
  int64_t tot;          /* sum of cnt over the subtree */
  int64_t dn;           /* nodes (distinct keys) in the subtree */
  int64_t k;            /* numeric key (doubles in total-order form), or string length */
  char s[];             /* string keys: the bytes */
} MNode;

typedef struct MSet {
  RtObj h;              /* kind RT_OBJ_MSET, sub = MS_* */
  MNode *root;          /* NULL when empty (the object is then freed by remove) */
} MSet;

/* A key being looked up. */
typedef struct MKey {
  int64_t k;            /* numeric key, or string length */
  const char *s;        /* string bytes (MS_STR) */
} MKey;

/* IEEE total order as a signed integer order: flip the magnitude bits of negatives. */
static inline int64_t f64_key(double d) {
  int64_t b;
  memcpy(&b, &d, 8);
  return b ^ (int64_t)(((uint64_t)(b >> 63)) >> 1);
}
/* uint64 order as a signed order: flip the top bit. */
static inline int64_t u64_key(uint64_t v) { return (int64_t)(v ^ ((uint64_t)1 << 63)); }
static inline uint64_t key_u64(int64_t k) { return (uint64_t)k ^ ((uint64_t)1 << 63); }
static inline double key_f64(int64_t b) {
  b ^= (int64_t)(((uint64_t)(b >> 63)) >> 1);
  double d;
  memcpy(&d, &b, 8);
  return d;
}

static inline int64_t tot(const MNode *t) { return t ? t->tot : 0; }
static inline int64_t dn(const MNode *t) { return t ? t->dn : 0; }
static inline void upd(MNode *t) {
  t->tot = t->cnt + tot(t->l) + tot(t->r);
  t->dn = 1 + dn(t->l) + dn(t->r);
}

static int cmp_key(int type, const MKey *a, const MNode *t) {
  if (type != MS_STR) return a->k < t->k ? -1 : a->k > t->k;
  int64_t n = a->k < t->k ? a->k : t->k;
  int c = n ? memcmp(a->s, t->s, (size_t)n) : 0;
  if (c) return c < 0 ? -1 : 1;
  return a->k < t->k ? -1 : a->k > t->k;
}

static uint64_t key_prio(int type, const MKey *k) {
  if (type == MS_STR) return aobj_hash(k->s, k->k);
  return aobj_hash(&k->k, 8);
}

static MNode *node_new(MSet *m, const MKey *k, int64_t c) {
  size_t sz = sizeof(MNode) + (m->h.sub == MS_STR ? (size_t)k->k : 0);
  MNode *t = aobj_alloc(sz);
  t->prio = key_prio(m->h.sub, k);
  t->cnt = c;
  t->k = k->k;
  if (m->h.sub == MS_STR && k->k) memcpy(t->s, k->s, (size_t)k->k);
  upd(t);
  aobj_grow(&m->h, (int64_t)sz);
  return t;
}

static void node_free(MSet *m, MNode *t) {
  aobj_grow(&m->h, -(int64_t)(sizeof(MNode) + (m->h.sub == MS_STR ? (size_t)t->k : 0)));
  free(t);
}

static MNode *rot_right(MNode *t) {
  MNode *l = t->l;
  t->l = l->r; l->r = t;
  upd(t); upd(l);
  return l;
}
static MNode *rot_left(MNode *t) {
  MNode *r = t->r;
  t->r = r->l; r->l = t;
  upd(t); upd(r);
  return r;
}

static MNode *ins(MSet *m, MNode *t, const MKey *k, int64_t c) {
  if (!t) return node_new(m, k, c);
  int d = cmp_key(m->h.sub, k, t);
  if (d == 0) { t->cnt += c; t->tot += c; return t; }
  if (d < 0) {
    t->l = ins(m, t->l, k, c);
    if (t->l->prio > t->prio) return rot_right(t);
  } else {
    t->r = ins(m, t->r, k, c);
    if (t->r->prio > t->prio) return rot_left(t);
  }
  upd(t);
  return t;
}

/* Join two treaps whose keys are all smaller in a than in b. */
static MNode *join(MNode *a, MNode *b) {
  if (!a) return b;
  if (!b) return a;
  if (a->prio > b->prio) { a->r = join(a->r, b); upd(a); return a; }
  b->l = join(a, b->l);
  upd(b);
  return b;
}

/* Remove one occurrence of k (absent: unchanged). */
static MNode *del(MSet *m, MNode *t, const MKey *k) {
  if (!t) return NULL;
  int d = cmp_key(m->h.sub, k, t);
  if (d < 0) t->l = del(m, t->l, k);
  else if (d > 0) t->r = del(m, t->r, k);
  else if (t->cnt > 1) t->cnt--;
  else {
    MNode *j = join(t->l, t->r);
    node_free(m, t);
    return j;
  }
  upd(t);
  return t;
}

static void free_tree(MSet *m, MNode *t) {
  while (t) {                        /* recurse left, loop right: depth stays O(log n) */
    free_tree(m, t->l);
    MNode *r = t->r;
    node_free(m, t);
    t = r;
  }
}

void mset_free(void *obj) {
  MSet *m = obj;
  free_tree(m, m->root);
  aobj_grow(&m->h, -m->h.bytes);
  free(m);
}

static MSet *mset_new(int type) {
  MSet *m = aobj_alloc(sizeof *m);
  aobj_init(&m->h, RT_OBJ_MSET, sizeof *m);
  m->h.sub = (uint8_t)type;
  return m;
}

static int type_error(RtCtx *ctx, const MSet *m, int type) {
  return rt_error(ctx, NULL, "internal: multiset holds %s values, got a %s value",
                  ms_type_names[m->h.sub], ms_type_names[type]);
}

static int add_key(RtCtx *ctx, void **obj, int type, const MKey *k) {
  if (!*obj) *obj = mset_new(type);
  MSet *m = *obj;
  if (m->h.sub != type) return type_error(ctx, m, type);
  m->root = ins(m, m->root, k, 1);
  return RT_OK;
}

static int remove_key(RtCtx *ctx, void **obj, int type, const MKey *k) {
  MSet *m = *obj;
  if (!m) return RT_OK;
  if (m->h.sub != type) return type_error(ctx, m, type);
  m->root = del(m, m->root, k);
  if (!m->root) { mset_free(m); *obj = NULL; }
  return RT_OK;
}

int mset_add_f64(RtCtx *ctx, void **obj, double v) {
  MKey k = { f64_key(v), NULL };
  return add_key(ctx, obj, MS_F64, &k);
}
int mset_add_i64(RtCtx *ctx, void **obj, int64_t v) {
  MKey k = { v, NULL };
  return add_key(ctx, obj, MS_I64, &k);
}
int mset_add_u64(RtCtx *ctx, void **obj, uint64_t v) {
  MKey k = { u64_key(v), NULL };
  return add_key(ctx, obj, MS_U64, &k);
}
int mset_add_str(RtCtx *ctx, void **obj, RtStr v) {
  MKey k = { v.len < 0 ? 0 : v.len, v.ptr };
  return add_key(ctx, obj, MS_STR, &k);
}
int mset_remove_f64(RtCtx *ctx, void **obj, double v) {
  MKey k = { f64_key(v), NULL };
  return remove_key(ctx, obj, MS_F64, &k);
}
int mset_remove_i64(RtCtx *ctx, void **obj, int64_t v) {
  MKey k = { v, NULL };
  return remove_key(ctx, obj, MS_I64, &k);
}
int mset_remove_u64(RtCtx *ctx, void **obj, uint64_t v) {
  MKey k = { u64_key(v), NULL };
  return remove_key(ctx, obj, MS_U64, &k);
}
int mset_remove_str(RtCtx *ctx, void **obj, RtStr v) {
  MKey k = { v.len < 0 ? 0 : v.len, v.ptr };
  return remove_key(ctx, obj, MS_STR, &k);
}

int64_t mset_count(const void *obj, int distinct) {
  const MSet *m = obj;
  if (!m) return 0;
  return distinct ? dn(m->root) : tot(m->root);
}

/* The node holding the k-th smallest value (0-based), counting multiplicities unless distinct. */
static const MNode *select_nth(const MNode *t, int64_t k, int distinct) {
  while (t) {
    int64_t left = distinct ? dn(t->l) : tot(t->l), here = distinct ? 1 : t->cnt;
    if (k < left) t = t->l;
    else if (k < left + here) return t;
    else { k -= left + here; t = t->r; }
  }
  return NULL;
}

/* Resolve k (negative: from the end) and check the type; NULL node = out of range. */
static int nth_node(RtCtx *ctx, const void *obj, int type, int64_t k, int distinct,
                    const MNode **out) {
  const MSet *m = obj;
  *out = NULL;
  if (!m) return RT_NULL;
  if (m->h.sub != type && !(type == MS_F64 && (m->h.sub == MS_I64 || m->h.sub == MS_U64)))
    return type_error(ctx, m, type);
  int64_t n = mset_count(m, distinct);
  if (k < 0) k += n;
  if (k < 0 || k >= n) return RT_NULL;
  *out = select_nth(m->root, k, distinct);
  return *out ? RT_OK : RT_NULL;
}

/* Numeric value of a node as a double (integer objects convert). */
static double node_f64(const MSet *m, const MNode *t) {
  if (m->h.sub == MS_F64) return key_f64(t->k);
  return m->h.sub == MS_U64 ? (double)key_u64(t->k) : (double)t->k;
}

int mset_nth_f64(RtCtx *ctx, const void *obj, int64_t k, int distinct, double *out) {
  const MNode *t;
  int rc = nth_node(ctx, obj, MS_F64, k, distinct, &t);
  if (rc == RT_OK) *out = node_f64(obj, t);
  return rc;
}

int mset_nth_i64(RtCtx *ctx, const void *obj, int64_t k, int distinct, int64_t *out) {
  const MNode *t;
  int rc = nth_node(ctx, obj, MS_I64, k, distinct, &t);
  if (rc == RT_OK) *out = t->k;
  return rc;
}

int mset_nth_u64(RtCtx *ctx, const void *obj, int64_t k, int distinct, uint64_t *out) {
  const MNode *t;
  int rc = nth_node(ctx, obj, MS_U64, k, distinct, &t);
  if (rc == RT_OK) *out = key_u64(t->k);
  return rc;
}

int mset_nth_str(RtCtx *ctx, const void *obj, int64_t k, int distinct, RtStr *out) {
  const MNode *t;
  int rc = nth_node(ctx, obj, MS_STR, k, distinct, &t);
  if (rc == RT_OK) *out = rt_str(t->s, t->k);
  return rc;
}

int mset_median_f64(RtCtx *ctx, const void *obj, int distinct, double *out) {
  const MSet *m = obj;
  if (!m) return RT_NULL;
  if (m->h.sub != MS_F64) return type_error(ctx, m, MS_F64);
  int64_t n = mset_count(m, distinct);
  if (n == 0) return RT_NULL;
  const MNode *hi = select_nth(m->root, n / 2, distinct);
  if (n % 2) { *out = key_f64(hi->k); return RT_OK; }
  const MNode *lo = select_nth(m->root, n / 2 - 1, distinct);
  *out = (key_f64(lo->k) + key_f64(hi->k)) / 2;
  return RT_OK;
}

int mset_median_i64(RtCtx *ctx, const void *obj, int distinct, int64_t *out) {
  const MSet *m = obj;
  if (!m) return RT_NULL;
  if (m->h.sub != MS_I64) return type_error(ctx, m, MS_I64);
  int64_t n = mset_count(m, distinct);
  if (n == 0) return RT_NULL;
  const MNode *hi = select_nth(m->root, n / 2, distinct);
  if (n % 2) { *out = hi->k; return RT_OK; }
  int64_t a = select_nth(m->root, n / 2 - 1, distinct)->k, b = hi->k, s;
  if (!rt_add_i64(a, b, &s)) *out = s / 2;             /* C and Rust both truncate toward 0 */
  else *out = a / 2 + b / 2 + (a % 2 + b % 2) / 2;     /* DataFusion's overflow-safe form */
  return RT_OK;
}

int mset_median_u64(RtCtx *ctx, const void *obj, int distinct, uint64_t *out) {
  const MSet *m = obj;
  if (!m) return RT_NULL;
  if (m->h.sub != MS_U64) return type_error(ctx, m, MS_U64);
  int64_t n = mset_count(m, distinct);
  if (n == 0) return RT_NULL;
  uint64_t b = key_u64(select_nth(m->root, n / 2, distinct)->k);
  if (n % 2) { *out = b; return RT_OK; }
  uint64_t a = key_u64(select_nth(m->root, n / 2 - 1, distinct)->k);
  if (a <= UINT64_MAX - b) *out = (a + b) / 2;
  else *out = a / 2 + b / 2 + (a % 2 + b % 2) / 2;
  return RT_OK;
}

int mset_percentile(RtCtx *ctx, const void *obj, double p, int distinct, double *out) {
  const MSet *m = obj;
  if (!(p >= 0.0 && p <= 1.0))
    return rt_error(ctx, NULL, "percentile must be between 0 and 1, got %g", p);
  if (!m) return RT_NULL;
  if (m->h.sub == MS_STR) return type_error(ctx, m, MS_F64);
  int64_t n = mset_count(m, distinct);
  if (n == 0) return RT_NULL;
  if (n == 1 || p == 0.0) { *out = node_f64(m, select_nth(m->root, 0, distinct)); return RT_OK; }
  if (p == 1.0) { *out = node_f64(m, select_nth(m->root, n - 1, distinct)); return RT_OK; }
  double index = p * (double)(n - 1);
  int64_t lo = (int64_t)floor(index), hi = (int64_t)ceil(index);
  double lv = node_f64(m, select_nth(m->root, lo, distinct));
  if (lo == hi) { *out = lv; return RT_OK; }
  double hv = node_f64(m, select_nth(m->root, hi, distinct));
  double fraction = index - (double)lo;
  double weight = (double)(uint64_t)(fraction * 1000000.0) / 1000000.0;
  *out = lv + (hv - lv) * weight;
  return RT_OK;
}

static void merge_tree(MSet *dst, const MNode *t) {
  while (t) {
    merge_tree(dst, t->l);
    MKey k = { t->k, t->s };
    dst->root = ins(dst, dst->root, &k, t->cnt);
    t = t->r;
  }
}

int mset_merge(RtCtx *ctx, void **dst, const void *src) {
  const MSet *s = src;
  if (!s || !s->root) return RT_OK;
  if (!*dst) *dst = mset_new(s->h.sub);
  MSet *d = *dst;
  if (d->h.sub != s->h.sub) return type_error(ctx, d, s->h.sub);
  merge_tree(d, s->root);
  return RT_OK;
}

static void ser_tree(const MSet *m, const MNode *t, Buf *out) {
  while (t) {
    ser_tree(m, t->l, out);
    if (m->h.sub == MS_STR) {
      aobj_put_u32(out, (uint32_t)t->k);
      buf_put(out, t->s, (size_t)t->k);
    } else {
      aobj_put_u64(out, (uint64_t)t->k);
    }
    aobj_put_u64(out, (uint64_t)t->cnt);
    t = t->r;
  }
}

void mset_serialize(const void *obj, Buf *out) {
  const MSet *m = obj;
  aobj_put_u8(out, m->h.sub);
  aobj_put_u64(out, (uint64_t)dn(m->root));
  ser_tree(m, m->root, out);
}

void *mset_deserialize(AobjReader *r) {
  uint8_t type = aobj_get_u8(r);
  uint64_t n = aobj_get_u64(r);
  if (r->bad || type < MS_F64 || type > MS_U64) { r->bad = 1; return NULL; }
  MSet *m = mset_new(type);
  int64_t total = 0;   /* corrupt input must not overflow the subtree counts (signed) */
  for (uint64_t i = 0; i < n && !r->bad; i++) {
    MKey k = { 0, NULL };
    if (type == MS_STR) {
      k.k = aobj_get_u32(r);
      k.s = aobj_get_bytes(r, (size_t)k.k);
    } else {
      k.k = (int64_t)aobj_get_u64(r);
    }
    int64_t c = (int64_t)aobj_get_u64(r);
    if (r->bad || c <= 0 || c > INT64_MAX - total) { r->bad = 1; break; }
    total += c;
    m->root = ins(m, m->root, &k, c);
  }
  return m;
}
