/*
** runtime/agg_sketch.c: the approximate aggregates' sketches, as DataFusion computes them.
**
** HyperLogLog (approx_distinct): DataFusion's parameters: 2^14 registers of one byte, register
** index = low 14 bits of a 64-bit hash, rank = 1 + trailing zeros of the remaining 50 bits, and
** Ertl's improved estimator ("New cardinality estimation algorithms for HyperLogLog sketches",
** arXiv:1702.01284) with the same floating-point steps, rounded to an integer. The hash is ours
** (aobj_hash over the value bytes; DataFusion uses ahash, which we do not reproduce), so
** estimates agree statistically, and exactly whenever no two values share a register (small
** cardinalities). Below HLL_SPARSE_MAX touched registers the sketch is a sorted array of
** (index, rank) pairs instead of 16 KB of registers; the estimate is the same either way.
**
** t-digest (approx_percentile_cont, approx_percentile_cont_with_weight, approx_median): a
** re-implementation of DataFusion's TDigest (itself from Facebook Folly's): centroids compressed
** with the k_to_q scale function and max_size (default 100), quantiles interpolated between
** neighbouring centroid means and clamped to [min, max]. Two ingest paths, as in DataFusion:
**   unweighted: a sorted batch is merged into the digest (merge_sorted_f64);
**   weighted:   each (value, weight) row becomes a one-centroid digest and the batch of them is
**               merged with the current digest (merge_digests). DataFusion counts ROWS, not
**               weights, in the digest's count, which drives both the compression limits and
**               the quantile rank; we keep that (it is why the every_aggregate golden's weighted
**               median is 105, not ~150).
** DataFusion folds one input batch at a time; we buffer values and fold them TD_BATCH at a time
** (DataFusion's default batch size), and a query folds a copy of the pending buffer, so results
** never depend on when they are queried. No retraction (the compiler rejects these aggregates
** over updating input).
** It does not implement approx_percentile_cont's DISTINCT form or any other sketch.
**
** Serialized payloads:
**   HLL:     [u8 dense] then dense: 16384 register bytes; sparse: [u32 n][u32 idx<<8|rank]*n
**   t-digest:[u8 mode][u64 max_size][f64 sum][u64 count][f64 max][f64 min][u64 ncentroids]
**            [f64 mean, f64 weight]*n [u64 nbuf][f64]*nbuf (weighted: value, weight pairs)
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "agg.h"

/* ---- HyperLogLog --------------------------------------------------------------------------- */

#define HLL_P 14
#define HLL_M (1u << HLL_P)          /* registers */
#define HLL_Q (64 - HLL_P)           /* hash bits left for the rank */
#define HLL_SPARSE_MAX 1024          /* sparse entries before switching to dense registers */

typedef struct Hll {
  RtObj h;            /* kind RT_OBJ_HLL; sub = 1 when dense */
  uint32_t n;         /* sparse: entries used */
  uint32_t cap;       /* sparse: entries allocated */
  uint32_t *sparse;   /* sparse: idx << 8 | rank, sorted by idx */
  uint8_t *regs;      /* dense: HLL_M registers */
} Hll;

static Hll *hll_new(void) {
  Hll *s = aobj_alloc(sizeof *s);
  aobj_init(&s->h, RT_OBJ_HLL, sizeof *s);
  return s;
}

void hll_free(void *obj) {
  Hll *s = obj;
  aobj_grow(&s->h, -s->h.bytes);
  free(s->sparse);
  free(s->regs);
  free(s);
}

static void hll_densify(Hll *s) {
  s->regs = aobj_alloc(HLL_M);
  for (uint32_t i = 0; i < s->n; i++) s->regs[s->sparse[i] >> 8] = (uint8_t)(s->sparse[i] & 0xff);
  aobj_grow(&s->h, (int64_t)HLL_M - (int64_t)s->cap * 4);
  free(s->sparse);
  s->sparse = NULL;
  s->n = s->cap = 0;
  s->h.sub = 1;
}

/* Raise register idx to at least rank. */
static void hll_set(Hll *s, uint32_t idx, uint8_t rank) {
  if (s->h.sub) { if (s->regs[idx] < rank) s->regs[idx] = rank; return; }
  uint32_t lo = 0, hi = s->n;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    if ((s->sparse[mid] >> 8) < idx) lo = mid + 1; else hi = mid;
  }
  if (lo < s->n && (s->sparse[lo] >> 8) == idx) {
    if ((s->sparse[lo] & 0xff) < rank) s->sparse[lo] = idx << 8 | rank;
    return;
  }
  if (s->n == HLL_SPARSE_MAX) { hll_densify(s); s->regs[idx] = rank; return; }
  if (s->n == s->cap) {
    uint32_t nc = s->cap ? s->cap * 2 : 8;
    s->sparse = aobj_realloc(s->sparse, nc * 4);
    aobj_grow(&s->h, (int64_t)(nc - s->cap) * 4);
    s->cap = nc;
  }
  memmove(s->sparse + lo + 1, s->sparse + lo, (s->n - lo) * 4);
  s->sparse[lo] = idx << 8 | rank;
  s->n++;
}

int hll_add(RtCtx *ctx, void **obj, const void *p, int64_t n) {
  (void)ctx;
  if (!*obj) *obj = hll_new();
  uint64_t h = aobj_hash(p, n < 0 ? 0 : n);
  uint64_t w = (h >> HLL_P) | ((uint64_t)1 << HLL_Q);
  hll_set(*obj, (uint32_t)(h & (HLL_M - 1)), (uint8_t)(__builtin_ctzll(w) + 1));
  return RT_OK;
}

static double hll_sigma(double x) {
  if (x == 1.0) return INFINITY;
  double y = 1.0, z = x, zp;
  do {
    x *= x;
    zp = z;
    z += x * y;
    y += y;
  } while (zp != z);
  return z;
}

static double hll_tau(double x) {
  if (x == 0.0 || x == 1.0) return 0.0;
  double y = 1.0, z = 1.0 - x, zp;
  do {
    x = sqrt(x);
    zp = z;
    y *= 0.5;
    z -= (1.0 - x) * (1.0 - x) * y;
  } while (zp != z);
  return z / 3.0;
}

int64_t hll_count(const void *obj) {
  const Hll *s = obj;
  if (!s) return 0;
  uint32_t hist[HLL_Q + 2] = { 0 };
  if (s->h.sub) {
    for (uint32_t i = 0; i < HLL_M; i++) hist[s->regs[i]]++;
  } else {
    hist[0] = HLL_M - s->n;
    for (uint32_t i = 0; i < s->n; i++) hist[s->sparse[i] & 0xff]++;
  }
  double m = HLL_M;
  double z = m * hll_tau((m - hist[HLL_Q + 1]) / m);
  for (int i = HLL_Q; i >= 1; i--) {
    z += hist[i];
    z *= 0.5;
  }
  z += m * hll_sigma(hist[0] / m);
  return (int64_t)round(0.5 / log(2.0) * m * m / z);
}

int hll_merge(RtCtx *ctx, void **dst, const void *src) {
  (void)ctx;
  const Hll *s = src;
  if (!s) return RT_OK;
  if (!*dst) *dst = hll_new();
  Hll *d = *dst;
  if (s->h.sub) {
    if (!d->h.sub) hll_densify(d);
    for (uint32_t i = 0; i < HLL_M; i++) if (d->regs[i] < s->regs[i]) d->regs[i] = s->regs[i];
  } else {
    for (uint32_t i = 0; i < s->n; i++)
      hll_set(d, s->sparse[i] >> 8, (uint8_t)(s->sparse[i] & 0xff));
  }
  return RT_OK;
}

void hll_serialize(const void *obj, Buf *out) {
  const Hll *s = obj;
  aobj_put_u8(out, s->h.sub);
  if (s->h.sub) { buf_put(out, s->regs, HLL_M); return; }
  aobj_put_u32(out, s->n);
  for (uint32_t i = 0; i < s->n; i++) aobj_put_u32(out, s->sparse[i]);
}

void *hll_deserialize(AobjReader *r) {
  uint8_t dense = aobj_get_u8(r);
  if (r->bad) return NULL;
  Hll *s = hll_new();
  if (dense) {
    const uint8_t *p = aobj_get_bytes(r, HLL_M);
    if (!p) return s;
    hll_densify(s);
    memcpy(s->regs, p, HLL_M);
    for (uint32_t i = 0; i < HLL_M; i++) if (s->regs[i] > HLL_Q + 1) r->bad = 1;
    return s;
  }
  uint32_t n = aobj_get_u32(r);
  for (uint32_t i = 0; i < n && !r->bad; i++) {
    uint32_t e = aobj_get_u32(r);
    if (r->bad || (e >> 8) >= HLL_M || (e & 0xff) > HLL_Q + 1) { r->bad = 1; break; }
    hll_set(s, e >> 8, (uint8_t)(e & 0xff));
  }
  return s;
}

/* ---- t-digest ------------------------------------------------------------------------------ */

#define TD_DEFAULT_MAX_SIZE 100
#define TD_BATCH 8192                /* values buffered before folding them into the digest */
enum { TD_UNSET = 0, TD_PLAIN = 1, TD_WEIGHTED = 2 };

typedef struct Centroid {
  double mean;
  double weight;
} Centroid;

/* A digest (DataFusion's TDigest fields). */
typedef struct Dig {
  Centroid *c;        /* centroids sorted by mean (total order) */
  int64_t n;          /* centroids */
  int64_t cap;        /* allocated */
  int64_t max_size;   /* compression parameter */
  double sum;         /* sum of mean * weight */
  uint64_t count;     /* values (unweighted) or rows (weighted) folded in */
  double max, min;    /* extremes; NaN when empty */
} Dig;

typedef struct TDig {
  RtObj h;            /* kind RT_OBJ_TDIGEST; sub = TD_* mode */
  Dig d;              /* the digest */
  double *buf;        /* pending values (plain) or value, weight pairs (weighted) */
  int64_t nbuf;       /* pending entries */
  int64_t bcap;       /* entries allocated */
} TDig;

static void dig_init(Dig *d, int64_t max_size) {
  memset(d, 0, sizeof *d);
  d->max_size = max_size;
  d->max = d->min = NAN;
}

static void dig_push(Dig *d, Centroid c) {
  if (d->n == d->cap) {
    d->cap = d->cap ? d->cap * 2 : 16;
    d->c = aobj_realloc(d->c, (size_t)d->cap * sizeof(Centroid));
  }
  d->c[d->n++] = c;
}

/* Total order of doubles as signed integers (f64::total_cmp). */
static inline int64_t tkey(double d) {
  int64_t b;
  memcpy(&b, &d, 8);
  return b ^ (int64_t)(((uint64_t)(b >> 63)) >> 1);
}

/* Stable merge sort of centroids by mean (total order), as Rust's Vec::sort. */
static void sort_centroids(Centroid *a, int64_t n) {
  int64_t i;
  for (i = 1; i < n && tkey(a[i - 1].mean) <= tkey(a[i].mean); i++) {}
  if (i >= n) return;                                /* the common case: already sorted */
  Centroid *tmp = aobj_alloc((size_t)n * sizeof *tmp);
  for (int64_t w = 1; w < n; w *= 2) {
    for (int64_t lo = 0; lo < n; lo += 2 * w) {
      int64_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
      int64_t x = lo, y = mid, k = lo;
      while (x < mid && y < hi) tmp[k++] = tkey(a[y].mean) < tkey(a[x].mean) ? a[y++] : a[x++];
      while (x < mid) tmp[k++] = a[x++];
      while (y < hi) tmp[k++] = a[y++];
    }
    memcpy(a, tmp, (size_t)n * sizeof *a);
  }
  free(tmp);
}

static int cmp_total(const void *x, const void *y) {
  int64_t a = tkey(*(const double *)x), b = tkey(*(const double *)y);
  return a < b ? -1 : a > b;
}

static double k_to_q(uint64_t k, int64_t d) {
  double kd = (double)k / (double)d;
  if (kd >= 0.5) {
    double base = 1.0 - kd;
    return 1.0 - 2.0 * base * base;
  }
  return 2.0 * kd * kd;
}

/* Centroid::add: fold (sum, weight) into c; returns the new sum. */
static double centroid_add(Centroid *c, double sum, double weight) {
  double new_sum = sum + c->weight * c->mean;
  double new_weight = c->weight + weight;
  c->weight = new_weight;
  c->mean = new_sum / new_weight;
  return new_sum;
}

/* DataFusion's TDigest::merge_sorted_f64: out = d + sorted values (out is initialized here). */
static void dig_merge_sorted(const Dig *d, const double *v, int64_t nv, Dig *out) {
  dig_init(out, d->max_size);
  if (nv == 0) {
    *out = *d;
    out->c = NULL; out->n = out->cap = 0;
    for (int64_t i = 0; i < d->n; i++) dig_push(out, d->c[i]);
    return;
  }
  out->count = d->count + (uint64_t)nv;
  if (d->count > 0) { out->min = fmin(d->min, v[0]); out->max = fmax(d->max, v[nv - 1]); }
  else { out->min = v[0]; out->max = v[nv - 1]; }

  uint64_t k_limit = 1;
  double q_limit = k_to_q(k_limit, d->max_size) * (double)out->count;
  k_limit++;
  int64_t ci = 0, vi = 0;
  Centroid curr;
  if (ci < d->n && d->c[ci].mean < v[vi]) curr = d->c[ci++];
  else curr = (Centroid){ v[vi++], 1.0 };
  double weight_so_far = curr.weight, sums = 0.0, weights = 0.0;
  while (ci < d->n || vi < nv) {
    Centroid next;
    if (ci < d->n && (vi >= nv || d->c[ci].mean < v[vi])) next = d->c[ci++];
    else next = (Centroid){ v[vi++], 1.0 };
    double next_sum = next.mean * next.weight;
    weight_so_far += next.weight;
    if (weight_so_far <= q_limit) {
      sums += next_sum;
      weights += next.weight;
    } else {
      out->sum += centroid_add(&curr, sums, weights);
      sums = weights = 0.0;
      dig_push(out, curr);
      q_limit = k_to_q(k_limit, d->max_size) * (double)out->count;
      k_limit++;
      curr = next;
    }
  }
  out->sum += centroid_add(&curr, sums, weights);
  dig_push(out, curr);
  sort_centroids(out->c, out->n);
}

/* DataFusion's TDigest::merge_digests over the concatenation `c` (n centroids, in digest
** order) of digests whose counts sum to `count` and extremes are min/max. Takes ownership of c
** (it is sorted in place and freed). */
static void dig_compress(Centroid *c, int64_t n, uint64_t count, double min, double max,
                         int64_t max_size, Dig *out) {
  if (n == 0) { free(c); dig_init(out, max_size); return; }
  dig_init(out, max_size);
  sort_centroids(c, n);
  uint64_t k_limit = 1;
  double q_limit = k_to_q(k_limit, max_size) * (double)count;
  Centroid curr = c[0];
  double weight_so_far = curr.weight, sums = 0.0, weights = 0.0;
  for (int64_t i = 1; i < n; i++) {
    weight_so_far += c[i].weight;
    if (weight_so_far <= q_limit) {
      sums += c[i].mean * c[i].weight;
      weights += c[i].weight;
    } else {
      out->sum += centroid_add(&curr, sums, weights);
      sums = weights = 0.0;
      dig_push(out, curr);
      q_limit = k_to_q(k_limit, max_size) * (double)count;
      k_limit++;
      curr = c[i];
    }
  }
  out->sum += centroid_add(&curr, sums, weights);
  dig_push(out, curr);
  sort_centroids(out->c, out->n);
  out->count = count;
  out->min = min;
  out->max = max;
  free(c);
}

/* The digest of t with its pending buffer folded in (t is unchanged; out is initialized). */
static void tdig_folded(const TDig *t, Dig *out) {
  const Dig *d = &t->d;
  if (t->h.sub == TD_PLAIN || t->nbuf == 0) {            /* nothing pending: a plain copy */
    double *v = aobj_alloc((size_t)(t->nbuf ? t->nbuf : 1) * sizeof(double));
    memcpy(v, t->buf, (size_t)t->nbuf * sizeof(double));
    qsort(v, (size_t)t->nbuf, sizeof(double), cmp_total);
    dig_merge_sorted(d, v, t->nbuf, out);
    free(v);
    return;
  }
  /* weighted: one single-centroid digest per row, then the current digest (in that order, as
  ** ApproxPercentileAccumulator::merge_digests chains them) */
  int64_t n = t->nbuf + d->n;
  Centroid *c = aobj_alloc((size_t)(n ? n : 1) * sizeof *c);
  double min = INFINITY, max = -INFINITY;
  uint64_t count = 0;
  for (int64_t i = 0; i < t->nbuf; i++) {
    c[i] = (Centroid){ t->buf[2 * i], t->buf[2 * i + 1] };
    min = fmin(min, c[i].mean);
    max = fmax(max, c[i].mean);
    count++;
  }
  if (d->count > 0) {
    memcpy(c + t->nbuf, d->c, (size_t)d->n * sizeof *c);
    min = fmin(min, d->min);
    max = fmax(max, d->max);
    count += d->count;
  } else {
    n = t->nbuf;
  }
  dig_compress(c, n, count, min, max, d->max_size, out);
}

static void tdig_account(TDig *t, int64_t before) {
  int64_t now = (int64_t)sizeof *t + t->d.cap * (int64_t)sizeof(Centroid) +
                t->bcap * (int64_t)sizeof(double) * (t->h.sub == TD_WEIGHTED ? 2 : 1);
  aobj_grow(&t->h, now - before);
}

/* Replace t's digest by the folded one and release the buffer (a group that saw 8192 values
** may never see another: do not keep 64 KB per group around for it). */
static void tdig_fold(TDig *t) {
  int64_t before = t->h.bytes;
  Dig nd;
  tdig_folded(t, &nd);
  free(t->d.c);
  t->d = nd;
  free(t->buf);
  t->buf = NULL;
  t->nbuf = t->bcap = 0;
  tdig_account(t, before);
}

void tdig_free(void *obj) {
  TDig *t = obj;
  aobj_grow(&t->h, -t->h.bytes);
  free(t->d.c);
  free(t->buf);
  free(t);
}

static TDig *tdig_new(int mode, int64_t max_size) {
  TDig *t = aobj_alloc(sizeof *t);
  aobj_init(&t->h, RT_OBJ_TDIGEST, sizeof *t);
  t->h.sub = (uint8_t)mode;
  dig_init(&t->d, max_size > 0 ? max_size : TD_DEFAULT_MAX_SIZE);
  return t;
}

static int tdig_push(RtCtx *ctx, void **obj, int mode, double v, double w, int64_t max_size) {
  if (!*obj) *obj = tdig_new(mode, max_size);
  TDig *t = *obj;
  if (t->h.sub != mode)
    return rt_error(ctx, NULL, "internal: t-digest is %s, got a %s value",
                    t->h.sub == TD_WEIGHTED ? "weighted" : "unweighted",
                    mode == TD_WEIGHTED ? "weighted" : "unweighted");
  int per = mode == TD_WEIGHTED ? 2 : 1;
  if (t->nbuf == t->bcap) {
    int64_t before = t->h.bytes, nc = t->bcap ? t->bcap * 2 : 64;
    if (nc > TD_BATCH) nc = TD_BATCH;
    t->buf = aobj_realloc(t->buf, (size_t)(nc * per) * sizeof(double));
    t->bcap = nc;
    tdig_account(t, before);
  }
  t->buf[t->nbuf * per] = v;
  if (per == 2) t->buf[t->nbuf * 2 + 1] = w;
  if (++t->nbuf == TD_BATCH) tdig_fold(t);
  return RT_OK;
}

int tdig_add(RtCtx *ctx, void **obj, double v, int64_t max_size) {
  return tdig_push(ctx, obj, TD_PLAIN, v, 1.0, max_size);
}

int tdig_add_weighted(RtCtx *ctx, void **obj, double v, double w, int64_t max_size) {
  return tdig_push(ctx, obj, TD_WEIGHTED, v, w, max_size);
}

/* DataFusion's TDigest::estimate_quantile (d not empty). */
static double dig_quantile(const Dig *d, double q) {
  if (d->n == 0) return 0.0;
  double rank = q * (double)d->count, t;
  int64_t pos;
  if (q > 0.5) {
    if (q >= 1.0) return d->max;
    pos = 0;
    t = (double)d->count;
    for (int64_t k = d->n - 1; k >= 0; k--) {
      t -= d->c[k].weight;
      if (rank >= t) { pos = k; break; }
    }
  } else {
    if (q <= 0.0) return d->min;
    pos = d->n - 1;
    t = 0.0;
    for (int64_t k = 0; k < d->n; k++) {
      if (rank < t + d->c[k].weight) { pos = k; break; }
      t += d->c[k].weight;
    }
  }
  double delta = 0.0, min = d->min, max = d->max;
  if (d->n > 1) {
    if (pos == 0) {
      delta = d->c[pos + 1].mean - d->c[pos].mean;
      max = d->c[pos + 1].mean;
    } else if (pos == d->n - 1) {
      delta = d->c[pos].mean - d->c[pos - 1].mean;
      min = d->c[pos - 1].mean;
    } else {
      delta = (d->c[pos + 1].mean - d->c[pos - 1].mean) / 2.0;
      min = d->c[pos - 1].mean;
      max = d->c[pos + 1].mean;
    }
  }
  double value = d->c[pos].mean + ((rank - t) / d->c[pos].weight - 0.5) * delta;
  if (!isfinite(min) && !signbit(min)) min = -INFINITY;
  if (!isfinite(max) && signbit(max)) max = INFINITY;
  if (isnan(min) || isnan(max)) return value;
  if (value < min) value = min;
  if (value > max) value = max;
  return value;
}

int tdig_quantile(RtCtx *ctx, const void *obj, double q, double *out) {
  if (!(q >= 0.0 && q <= 1.0))
    return rt_error(ctx, NULL, "percentile must be between 0 and 1, got %g", q);
  const TDig *t = obj;
  if (!t) return RT_NULL;
  if (t->nbuf == 0) {
    if (t->d.count == 0) return RT_NULL;
    *out = dig_quantile(&t->d, q);
    return RT_OK;
  }
  Dig d;
  tdig_folded(t, &d);
  *out = dig_quantile(&d, q);
  free(d.c);
  return RT_OK;
}

int tdig_merge(RtCtx *ctx, void **dst, const void *src) {
  const TDig *s = src;
  if (!s || (s->nbuf == 0 && s->d.count == 0)) return RT_OK;
  if (!*dst) *dst = tdig_new(s->h.sub, s->d.max_size);
  TDig *t = *dst;
  if (t->h.sub != s->h.sub)
    return rt_error(ctx, NULL, "internal: merging a %s t-digest into a %s one",
                    s->h.sub == TD_WEIGHTED ? "weighted" : "unweighted",
                    t->h.sub == TD_WEIGHTED ? "weighted" : "unweighted");
  /* ApproxPercentileAccumulator::merge_batch: merge_digests(other, self) */
  Dig sd;
  tdig_folded(s, &sd);
  if (t->nbuf) tdig_fold(t);
  int64_t before = t->h.bytes, n = 0;
  Centroid *c = aobj_alloc((size_t)(sd.n + t->d.n + 1) * sizeof *c);
  double min = INFINITY, max = -INFINITY;
  uint64_t count = 0;
  const Dig *parts[2] = { &sd, &t->d };
  for (int i = 0; i < 2; i++) {
    if (parts[i]->count == 0) continue;
    memcpy(c + n, parts[i]->c, (size_t)parts[i]->n * sizeof *c);
    n += parts[i]->n;
    min = fmin(min, parts[i]->min);
    max = fmax(max, parts[i]->max);
    count += parts[i]->count;
  }
  Dig nd;
  dig_compress(c, n, count, min, max, sd.max_size, &nd);
  free(sd.c);
  free(t->d.c);
  t->d = nd;
  tdig_account(t, before);
  return RT_OK;
}

void tdig_serialize(const void *obj, Buf *out) {
  const TDig *t = obj;
  aobj_put_u8(out, t->h.sub);
  aobj_put_u64(out, (uint64_t)t->d.max_size);
  aobj_put_f64(out, t->d.sum);
  aobj_put_u64(out, t->d.count);
  aobj_put_f64(out, t->d.max);
  aobj_put_f64(out, t->d.min);
  aobj_put_u64(out, (uint64_t)t->d.n);
  for (int64_t i = 0; i < t->d.n; i++) {
    aobj_put_f64(out, t->d.c[i].mean);
    aobj_put_f64(out, t->d.c[i].weight);
  }
  int per = t->h.sub == TD_WEIGHTED ? 2 : 1;
  aobj_put_u64(out, (uint64_t)t->nbuf);
  for (int64_t i = 0; i < t->nbuf * per; i++) aobj_put_f64(out, t->buf[i]);
}

void *tdig_deserialize(AobjReader *r) {
  uint8_t mode = aobj_get_u8(r);
  int64_t max_size = (int64_t)aobj_get_u64(r);
  if (r->bad || mode < TD_PLAIN || mode > TD_WEIGHTED || max_size <= 0) { r->bad = 1; return NULL; }
  TDig *t = tdig_new(mode, max_size);
  int64_t before = t->h.bytes;
  t->d.sum = aobj_get_f64(r);
  t->d.count = aobj_get_u64(r);
  t->d.max = aobj_get_f64(r);
  t->d.min = aobj_get_f64(r);
  uint64_t n = aobj_get_u64(r);
  if (n > r->n / 16) r->bad = 1;
  for (uint64_t i = 0; i < n && !r->bad; i++) {
    Centroid c;
    c.mean = aobj_get_f64(r);
    c.weight = aobj_get_f64(r);
    dig_push(&t->d, c);
  }
  int per = mode == TD_WEIGHTED ? 2 : 1;
  uint64_t nb = aobj_get_u64(r);
  if (nb >= TD_BATCH) r->bad = 1;
  if (!r->bad && nb) {
    t->buf = aobj_alloc((size_t)nb * (size_t)per * sizeof(double));
    t->bcap = (int64_t)nb;
    for (uint64_t i = 0; i < nb * (uint64_t)per; i++) t->buf[i] = aobj_get_f64(r);
    t->nbuf = (int64_t)nb;
  }
  tdig_account(t, before);
  return t;
}
