/*
** tests/unit/test_agg.c: the aggregate library (runtime/agg_*.c), called the way generated code
** calls it: the inline accumulators from abi.h and the agg_* members of the RtApi table.
**
** Covers: the moment accumulators and their finalizers (DataFusion's documented examples, NULL
** rules, retraction back to "never added", merge = one accumulator); the DISTINCT set, sorted
** multiset, HyperLogLog, t-digest, value list, string box and join rows (operations, retraction sequences,
** merge, randomized checks against a plain reference); rt_obj_serialize/deserialize round trips
** and every truncated prefix of each serialization; the per-kind memory counters returning to
** zero. Finally it recomputes the every_aggregate peer test over ../shared's cars.json grouped by
** event_type and compares round(x, 4) with the last golden row per group (skipped with a note
** when the peer suite is missing).
** It does not test code generation or state tables.
*/
#include <math.h>
#include <stdlib.h>
#include "runtime.h"
#include "agg.h"
#include "unit.h"

static const RtApi *A;
static RtCtx *C;

static RtStr S(const char *s) { return rt_str(s, (int64_t)strlen(s)); }

static int near(double got, double want, double rel) {
  if (isnan(got) || isnan(want)) return isnan(got) && isnan(want);
  double d = fabs(got - want), m = fabs(want) > 1 ? fabs(want) : 1;
  return d <= rel * m;
}
#define CHECK_NEAR(got, want, rel) do { double g__ = (got), w__ = (want); \
  CHECK_MSG(near(g__, w__, rel), "%s = %.17g, want %.17g", #got, g__, w__); } while (0)

static uint64_t rng = 0x853c49e6748fea9bULL;
static uint64_t rnd(void) {           /* xorshift64* */
  rng ^= rng >> 12; rng ^= rng << 25; rng ^= rng >> 27;
  return rng * 2685821657736338717ULL;
}

/* Round trip through rt_obj_serialize / rt_obj_deserialize; also feeds every truncated prefix
** to the deserializer (must fail cleanly). Returns the copy (caller frees) and its bytes. */
static void *roundtrip(const void *obj, Buf *out) {
  Buf b = { 0 };
  size_t n = rt_obj_serialize(obj, &b), used = 99;
  CHECK(n == b.len);
  void *copy = rt_obj_deserialize(b.p, b.len, &used);
  CHECK_I64(used, b.len);
  size_t step = b.len > 4000 ? b.len / 97 : 1, accepted = 0, first_bad = 0;
  for (size_t k = 0; k < b.len; k += step) {
    size_t u = 99;
    void *bad = rt_obj_deserialize(b.p, k, &u);
    if (bad != NULL || u != 0) { if (!accepted++) first_bad = k; }
    rt_obj_free(bad);
  }
  CHECK_MSG(accepted == 0, "%zu truncated prefixes accepted (first: %zu of %zu bytes)", accepted,
            first_bad, b.len);
  if (out) *out = b; else buf_free(&b);
  return copy;
}

/* Serialize both and compare bytes (equal state => equal bytes for our formats). */
static int same_bytes(const void *x, const void *y) {
  Buf a = { 0 }, b = { 0 };
  rt_obj_serialize(x, &a);
  rt_obj_serialize(y, &b);
  int eq = a.len == b.len && memcmp(a.p, b.p, a.len) == 0;
  buf_free(&a);
  buf_free(&b);
  return eq;
}

/* ---- moments ---------------------------------------------------------------------------- */

static void test_moments(void) {
  RtMoments m = { 0 };
  double o;
  CHECK_I64(A->agg_var_final(C, &m, 0, &o), RT_NULL);
  CHECK_I64(A->agg_stddev_final(C, &m, 1, &o), RT_NULL);
  rt_moments_add(&m, 7.0);
  CHECK(A->agg_var_final(C, &m, 0, &o) == RT_OK && o == 0.0);
  CHECK_I64(A->agg_var_final(C, &m, 1, &o), RT_NULL);
  double xs[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
  memset(&m, 0, sizeof m);
  for (int i = 0; i < 8; i++) rt_moments_add(&m, xs[i]);
  CHECK(A->agg_var_final(C, &m, 0, &o) == RT_OK && o == 4.0);
  CHECK(A->agg_stddev_final(C, &m, 0, &o) == RT_OK && o == 2.0);
  CHECK(A->agg_var_final(C, &m, 1, &o) == RT_OK && near(o, 32.0 / 7, 1e-15));
  CHECK(A->agg_stddev_final(C, &m, 1, &o) == RT_OK && near(o, sqrt(32.0 / 7), 1e-15));
  /* NaN input: var_pop of one NaN is NaN (DataFusion) */
  RtMoments nm = { 0 };
  rt_moments_add(&nm, NAN);
  CHECK(A->agg_var_final(C, &nm, 0, &o) == RT_OK && isnan(o));

  /* retraction: add extras, retract them (any order) -> same results as never added */
  RtMoments base = { 0 }, r = { 0 };
  double ys[200];
  for (int i = 0; i < 200; i++) ys[i] = (double)(rnd() % 100000) / 7.0 - 3000;
  for (int i = 0; i < 100; i++) { rt_moments_add(&base, ys[i]); rt_moments_add(&r, ys[i]); }
  for (int i = 100; i < 200; i++) rt_moments_add(&r, ys[i]);
  for (int i = 199; i >= 100; i -= 2) rt_moments_retract(&r, ys[i]);
  for (int i = 100; i < 200; i += 2) rt_moments_retract(&r, ys[i]);
  double a1, a2;
  CHECK_I64(r.count, 100);
  CHECK(A->agg_var_final(C, &base, 1, &a1) == RT_OK && A->agg_var_final(C, &r, 1, &a2) == RT_OK);
  CHECK_NEAR(a2, a1, 1e-9);
  CHECK_NEAR(r.mean, base.mean, 1e-12);
  for (int i = 0; i < 100; i++) rt_moments_retract(&r, ys[i]);
  CHECK(r.count == 0 && r.mean == 0.0 && r.m2 == 0.0);           /* exactly "never added" */
  CHECK_I64(A->agg_var_final(C, &r, 0, &o), RT_NULL);

  /* merge of two halves = one accumulator (up to rounding); merging into empty copies */
  RtMoments h1 = { 0 }, h2 = { 0 }, all = { 0 }, e = { 0 };
  for (int i = 0; i < 200; i++) {
    rt_moments_add(&all, ys[i]);
    rt_moments_add(i < 77 ? &h1 : &h2, ys[i]);
  }
  rt_moments_merge(&e, &h1);
  CHECK(e.count == h1.count && e.mean == h1.mean && e.m2 == h1.m2);
  rt_moments_merge(&h1, &h2);
  CHECK_I64(h1.count, 200);
  CHECK_NEAR(h1.mean, all.mean, 1e-12);
  CHECK_NEAR(h1.m2, all.m2, 1e-10);
  RtMoments z = { 0 };
  rt_moments_merge(&h1, &z);
  CHECK_I64(h1.count, 200);
}

static void test_comoments(void) {
  RtCoMoments m = { 0 };
  double o;
  CHECK_I64(A->agg_covar_final(C, &m, 0, &o), RT_NULL);
  CHECK_I64(A->agg_corr_final(C, &m, &o), RT_NULL);
  for (int r = 0; r <= RT_REGR_SXY; r++)
    CHECK_I64(A->agg_regr_final(C, &m, r, &o), r == RT_REGR_COUNT ? RT_OK : RT_NULL);
  /* covariance / correlation of (1,2),(2,4),(3,6) */
  for (int i = 1; i <= 3; i++) rt_comoments_add(&m, i, 2 * i);
  CHECK(A->agg_covar_final(C, &m, 1, &o) == RT_OK && o == 2.0);
  CHECK(A->agg_covar_final(C, &m, 0, &o) == RT_OK && near(o, 4.0 / 3, 1e-15));
  CHECK(A->agg_corr_final(C, &m, &o) == RT_OK && near(o, 1.0, 1e-15));
  RtCoMoments one = { 0 };
  rt_comoments_add(&one, 1, 2);
  CHECK_I64(A->agg_covar_final(C, &one, 1, &o), RT_NULL);
  CHECK(A->agg_covar_final(C, &one, 0, &o) == RT_OK && o == 0.0);
  CHECK_I64(A->agg_corr_final(C, &one, &o), RT_NULL);           /* fewer than 2 rows */
  RtCoMoments flat = { 0 };
  for (int i = 1; i <= 3; i++) rt_comoments_add(&flat, i, 5);
  CHECK_I64(A->agg_corr_final(C, &flat, &o), RT_NULL);          /* zero standard deviation */
  CHECK_I64(A->agg_regr_final(C, &flat, RT_REGR_R2, &o), RT_NULL);
  CHECK(A->agg_regr_final(C, &flat, RT_REGR_SLOPE, &o) == RT_OK && o == 0.0);
  RtCoMoments nn = { 0 };
  rt_comoments_add(&nn, NAN, NAN);
  rt_comoments_add(&nn, NAN, NAN);
  CHECK(A->agg_corr_final(C, &nn, &o) == RT_OK && isnan(o));

  /* DataFusion's documented regr_* examples: regr_*(y, x) feeds (x, y) */
  RtCoMoments w = { 0 };
  double sig[] = { 60, 65, 70, 75, 80 };
  for (int d = 1; d <= 5; d++) rt_comoments_add(&w, d, sig[d - 1]);
  CHECK(A->agg_regr_final(C, &w, RT_REGR_SLOPE, &o) == RT_OK && near(o, 5.0, 1e-14));
  CHECK(A->agg_regr_final(C, &w, RT_REGR_INTERCEPT, &o) == RT_OK && near(o, 55.0, 1e-13));
  CHECK(A->agg_regr_final(C, &w, RT_REGR_R2, &o) == RT_OK && near(o, 1.0, 1e-14));
  CHECK(A->agg_regr_final(C, &w, RT_REGR_COUNT, &o) == RT_OK && o == 5.0);
  RtCoMoments sh = { 0 };
  double hours[] = { 2, 4, 6, 8, 10 }, score[] = { 55, 65, 75, 85, 95 };
  for (int i = 0; i < 5; i++) rt_comoments_add(&sh, hours[i], score[i]);
  CHECK(A->agg_regr_final(C, &sh, RT_REGR_SXX, &o) == RT_OK && o == 40.0);
  RtCoMoments ep = { 0 };
  for (int i = 1; i <= 3; i++) rt_comoments_add(&ep, i, 55 + 5 * i);
  CHECK(A->agg_regr_final(C, &ep, RT_REGR_SYY, &o) == RT_OK && o == 50.0);
  CHECK(A->agg_regr_final(C, &ep, RT_REGR_SXY, &o) == RT_OK && o == 10.0);
  RtCoMoments sales = { 0 };   /* (1,100),(2,150),(3,200),(5,250); the NULL row is skipped */
  double day[] = { 1, 2, 3, 5 }, tot[] = { 100, 150, 200, 250 };
  for (int i = 0; i < 4; i++) rt_comoments_add(&sales, day[i], tot[i]);
  CHECK(A->agg_regr_final(C, &sales, RT_REGR_AVGX, &o) == RT_OK && o == 2.75);
  CHECK(A->agg_regr_final(C, &sales, RT_REGR_AVGY, &o) == RT_OK && o == 175.0);
  CHECK_I64(A->agg_regr_final(C, &sales, 99, &o), RT_ERR);
  C->failed = 0; C->err[0] = 0;

  /* retraction and merge */
  RtCoMoments base = { 0 }, r = { 0 }, h1 = { 0 }, h2 = { 0 };
  double xs[300], ys[300];
  for (int i = 0; i < 300; i++) {
    xs[i] = 1.6e9 + (double)(rnd() % 100000);
    ys[i] = (double)(rnd() % 101) + 100;
  }
  for (int i = 0; i < 150; i++) rt_comoments_add(&base, xs[i], ys[i]);
  for (int i = 0; i < 300; i++) rt_comoments_add(&r, xs[i], ys[i]);
  for (int i = 299; i >= 150; i--) rt_comoments_retract(&r, xs[i], ys[i]);
  CHECK_I64(r.count, 150);
  for (int k = 0; k <= RT_REGR_SXY; k++) {
    double g, want;
    CHECK(A->agg_regr_final(C, &r, k, &g) == RT_OK && A->agg_regr_final(C, &base, k, &want) == RT_OK);
    CHECK_MSG(near(g, want, 1e-6), "regr %d after retraction: %.17g vs %.17g", k, g, want);
  }
  for (int i = 149; i >= 0; i--) rt_comoments_retract(&r, xs[i], ys[i]);
  CHECK(r.count == 0 && r.mean_a == 0 && r.mean_b == 0 && r.m2_a == 0 && r.m2_b == 0 && r.c == 0);
  for (int i = 0; i < 150; i++) rt_comoments_add(i < 40 ? &h1 : &h2, xs[i], ys[i]);
  rt_comoments_merge(&h1, &h2);
  CHECK_I64(h1.count, 150);
  CHECK_NEAR(h1.mean_a, base.mean_a, 1e-15);
  CHECK_NEAR(h1.m2_a, base.m2_a, 1e-9);
  CHECK_NEAR(h1.m2_b, base.m2_b, 1e-9);
  CHECK_NEAR(h1.c, base.c, 1e-7);
  RtCoMoments e = { 0 };
  rt_comoments_merge(&e, &base);
  CHECK(memcmp(&e, &base, sizeof e) == 0);
}

static void test_bits(void) {
  RtBitCounts b = { 0 };
  uint64_t vs[] = { 0xF0F0, 0xFF00, 0x0FF0, 0xF000 };
  for (int i = 0; i < 4; i++) rt_bits_update(&b, vs[i], 1);
  CHECK(rt_bits_and(&b) == (0xF0F0 & 0xFF00 & 0x0FF0 & 0xF000));
  CHECK(rt_bits_or(&b) == (0xF0F0 | 0xFF00 | 0x0FF0 | 0xF000));
  rt_bits_update(&b, 0x0FF0, -1);
  CHECK(rt_bits_and(&b) == (0xF0F0 & 0xFF00 & 0xF000));
  CHECK(rt_bits_or(&b) == (0xF0F0 | 0xFF00 | 0xF000));
}

/* ---- DISTINCT set ----------------------------------------------------------------------- */

static int sum_visit(void *arg, const void *p, int64_t n, int64_t count) {
  int64_t v;
  if (n != 8) return -1;
  memcpy(&v, p, 8);
  ((int64_t *)arg)[0] += v;
  ((int64_t *)arg)[1] += count;
  return 0;
}

static void test_distinct(void) {
  void *d = NULL;
  int first = -1, last = -1;
  CHECK_I64(A->agg_distinct_count(NULL), 0);
  CHECK(A->agg_distinct_add(C, &d, "apple", 5, &first) == RT_OK && first == 1 && d);
  CHECK(A->agg_distinct_add(C, &d, "apple", 5, &first) == RT_OK && first == 0);
  CHECK(A->agg_distinct_add(C, &d, "pear", 4, &first) == RT_OK && first == 1);
  CHECK(A->agg_distinct_add(C, &d, "", 0, &first) == RT_OK && first == 1);
  CHECK_I64(A->agg_distinct_count(d), 3);
  CHECK(A->agg_distinct_remove(C, &d, "apple", 5, &last) == RT_OK && last == 0);
  CHECK_I64(A->agg_distinct_count(d), 3);
  CHECK(A->agg_distinct_remove(C, &d, "apple", 5, &last) == RT_OK && last == 1);
  CHECK(A->agg_distinct_remove(C, &d, "apple", 5, &last) == RT_OK && last == 0);  /* absent */
  CHECK(A->agg_distinct_remove(C, &d, "kiwi", 4, NULL) == RT_OK);
  CHECK_I64(A->agg_distinct_count(d), 2);
  CHECK(A->agg_distinct_remove(C, &d, "pear", 4, &last) == RT_OK && last == 1);
  CHECK(A->agg_distinct_remove(C, &d, "", 0, &last) == RT_OK && last == 1 && d == NULL);
  CHECK(A->agg_distinct_remove(C, &d, "", 0, &last) == RT_OK && last == 0 && d == NULL);

  /* randomized against a reference count array; keys are int64 in [0, 5000) */
  static int64_t ref[5000];
  memset(ref, 0, sizeof ref);
  int64_t live = 0, bad = 0;
  for (int i = 0; i < 200000; i++) {
    int64_t k = (int64_t)(rnd() % 5000);
    int add = ref[k] == 0 || rnd() % 3 != 0;
    if (add) {
      bad += A->agg_distinct_add(C, &d, &k, 8, &first) != RT_OK || first != (ref[k] == 0);
      live += ref[k]++ == 0;
    } else {
      bad += A->agg_distinct_remove(C, &d, &k, 8, &last) != RT_OK || last != (ref[k] == 1);
      live -= --ref[k] == 0;
    }
  }
  CHECK_I64(bad, 0);
  CHECK_I64(A->agg_distinct_count(d), live);
  int64_t acc[2] = { 0, 0 }, want_sum = 0, want_cnt = 0;
  for (int k = 0; k < 5000; k++) if (ref[k]) { want_sum += k; want_cnt += ref[k]; }
  CHECK_I64(A->agg_distinct_visit(C, d, sum_visit, acc), 0);
  CHECK_I64(acc[0], want_sum);
  CHECK_I64(acc[1], want_cnt);

  void *copy = roundtrip(d, NULL);
  CHECK_I64(A->agg_distinct_count(copy), live);
  int64_t acc2[2] = { 0, 0 };
  A->agg_distinct_visit(C, copy, sum_visit, acc2);
  CHECK(acc2[0] == want_sum && acc2[1] == want_cnt);

  /* merge: split the values into two sets, merge = everything */
  void *a = NULL, *b = NULL, *m = NULL;
  for (int k = 0; k < 5000; k++)
    for (int64_t c = 0; c < ref[k]; c++) {
      int64_t kk = k;
      A->agg_distinct_add(C, (c + k) % 2 ? &a : &b, &kk, 8, NULL);
    }
  CHECK(A->agg_distinct_merge(C, &m, a) == RT_OK);
  CHECK(A->agg_distinct_merge(C, &m, b) == RT_OK);
  CHECK(A->agg_distinct_merge(C, &m, NULL) == RT_OK);
  int64_t acc3[2] = { 0, 0 };
  A->agg_distinct_visit(C, m, sum_visit, acc3);
  CHECK(A->agg_distinct_count(m) == live && acc3[0] == want_sum && acc3[1] == want_cnt);
  /* retract everything: the set frees itself */
  for (int k = 0; k < 5000; k++)
    while (ref[k]) { int64_t kk = k; A->agg_distinct_remove(C, &d, &kk, 8, NULL); ref[k]--; }
  CHECK(d == NULL);
  A->agg_free(copy); A->agg_free(a); A->agg_free(b); A->agg_free(m);
}

/* ---- multiset --------------------------------------------------------------------------- */

static int cmp_i64(const void *x, const void *y) {
  int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
  return a < b ? -1 : a > b;
}

static void test_mset(void) {
  void *m = NULL;
  double f;
  int64_t i;
  RtStr s;
  CHECK_I64(A->agg_mset_median_i64(C, NULL, 0, &i), RT_NULL);
  CHECK_I64(A->agg_mset_nth_f64(C, NULL, 0, 0, &f), RT_NULL);
  /* median as DataFusion: odd -> middle, even -> mean truncated toward zero */
  int64_t v1[] = { 5, 1, 3 };
  for (int k = 0; k < 3; k++) A->agg_mset_add_i64(C, &m, v1[k]);
  CHECK(A->agg_mset_median_i64(C, m, 0, &i) == RT_OK && i == 3);
  A->agg_mset_add_i64(C, &m, 4);
  CHECK(A->agg_mset_median_i64(C, m, 0, &i) == RT_OK && i == 3);      /* (3 + 4) / 2 = 3 */
  A->agg_free(m); m = NULL;
  A->agg_mset_add_i64(C, &m, -3);
  A->agg_mset_add_i64(C, &m, -2);
  CHECK(A->agg_mset_median_i64(C, m, 0, &i) == RT_OK && i == -2);     /* -5 / 2 = -2 */
  A->agg_free(m); m = NULL;
  A->agg_mset_add_i64(C, &m, INT64_MAX);
  A->agg_mset_add_i64(C, &m, INT64_MAX - 2);
  CHECK(A->agg_mset_median_i64(C, m, 0, &i) == RT_OK && i == INT64_MAX - 1);   /* no overflow */
  A->agg_free(m); m = NULL;
  A->agg_mset_add_i64(C, &m, INT64_MIN);
  A->agg_mset_add_i64(C, &m, INT64_MIN + 1);
  CHECK(A->agg_mset_median_i64(C, m, 0, &i) == RT_OK && i == INT64_MIN + 1); /* -(2^63 - 0.5) */
  A->agg_free(m); m = NULL;
  /* DISTINCT forms: values 1,1,1,2,10 */
  int64_t v2[] = { 1, 1, 1, 2, 10 };
  for (int k = 0; k < 5; k++) A->agg_mset_add_i64(C, &m, v2[k]);
  CHECK(A->agg_mset_median_i64(C, m, 0, &i) == RT_OK && i == 1);
  CHECK(A->agg_mset_median_i64(C, m, 1, &i) == RT_OK && i == 2);
  CHECK_I64(A->agg_mset_count(m, 0), 5);
  CHECK_I64(A->agg_mset_count(m, 1), 3);
  CHECK(A->agg_mset_nth_i64(C, m, -1, 0, &i) == RT_OK && i == 10);
  CHECK(A->agg_mset_nth_i64(C, m, 3, 0, &i) == RT_OK && i == 2);
  CHECK(A->agg_mset_nth_i64(C, m, 1, 1, &i) == RT_OK && i == 2);
  CHECK_I64(A->agg_mset_nth_i64(C, m, 5, 0, &i), RT_NULL);
  CHECK_I64(A->agg_mset_nth_i64(C, m, -6, 0, &i), RT_NULL);
  CHECK(A->agg_mset_nth_f64(C, m, 0, 0, &f) == RT_OK && f == 1.0);   /* i64 read as f64 */
  /* percentile_cont over 1,1,1,2,10: p*(n-1) */
  CHECK(A->agg_mset_percentile(C, m, 0.5, 0, &f) == RT_OK && f == 1.0);
  CHECK(A->agg_mset_percentile(C, m, 0.9, 0, &f) == RT_OK && near(f, 2 + 8 * 0.6, 1e-12));
  CHECK(A->agg_mset_percentile(C, m, 1.0, 0, &f) == RT_OK && f == 10.0);
  CHECK(A->agg_mset_percentile(C, m, 0.0, 1, &f) == RT_OK && f == 1.0);
  CHECK(A->agg_mset_percentile(C, m, 0.25, 1, &f) == RT_OK && f == 1.5);
  CHECK_I64(A->agg_mset_percentile(C, m, 1.5, 0, &f), RT_ERR);
  C->failed = 0; C->err[0] = 0;
  /* type mismatch is an error */
  CHECK_I64(A->agg_mset_add_f64(C, &m, 1.0), RT_ERR);
  CHECK(strstr(C->err, "BIGINT") != NULL);
  C->failed = 0; C->err[0] = 0;
  /* retraction back to empty frees */
  for (int k = 0; k < 5; k++) A->agg_mset_remove_i64(C, &m, v2[k]);
  CHECK(m == NULL);

  /* doubles: IEEE total order */
  double fv[] = { 3.5, -0.0, 0.0, -INFINITY, NAN, -1e300, 2.0 };
  for (int k = 0; k < 7; k++) A->agg_mset_add_f64(C, &m, fv[k]);
  CHECK(A->agg_mset_nth_f64(C, m, 0, 0, &f) == RT_OK && f == -INFINITY);
  CHECK(A->agg_mset_nth_f64(C, m, 1, 0, &f) == RT_OK && f == -1e300);
  CHECK(A->agg_mset_nth_f64(C, m, 2, 0, &f) == RT_OK && f == 0.0 && signbit(f));
  CHECK(A->agg_mset_nth_f64(C, m, 3, 0, &f) == RT_OK && f == 0.0 && !signbit(f));
  CHECK(A->agg_mset_nth_f64(C, m, -1, 0, &f) == RT_OK && isnan(f));
  CHECK(A->agg_mset_median_f64(C, m, 0, &f) == RT_OK && f == 0.0 && !signbit(f));
  A->agg_mset_remove_f64(C, &m, NAN);
  CHECK(A->agg_mset_median_f64(C, m, 0, &f) == RT_OK && f == 0.0);   /* (-0 + 0) / 2 */
  CHECK(A->agg_mset_nth_f64(C, m, -1, 0, &f) == RT_OK && f == 3.5);
  void *fc = roundtrip(m, NULL);
  CHECK(same_bytes(fc, m));
  A->agg_free(fc);
  A->agg_free(m); m = NULL;

  /* BIGINT UNSIGNED: order above INT64_MAX, overflow-safe median rounding down */
  uint64_t u;
  A->agg_mset_add_u64(C, &m, UINT64_MAX);
  A->agg_mset_add_u64(C, &m, UINT64_MAX - 1);
  A->agg_mset_add_u64(C, &m, 5);
  CHECK(A->agg_mset_nth_u64(C, m, 0, 0, &u) == RT_OK && u == 5);
  CHECK(A->agg_mset_nth_u64(C, m, -1, 0, &u) == RT_OK && u == UINT64_MAX);
  CHECK(A->agg_mset_median_u64(C, m, 0, &u) == RT_OK && u == UINT64_MAX - 1);
  A->agg_mset_remove_u64(C, &m, 5);
  CHECK(A->agg_mset_median_u64(C, m, 0, &u) == RT_OK && u == UINT64_MAX - 1);  /* floor(x.5) */
  CHECK(A->agg_mset_nth_f64(C, m, 0, 0, &f) == RT_OK && f == 18446744073709551614.0);
  CHECK(A->agg_mset_percentile(C, m, 1.0, 0, &f) == RT_OK && f == 18446744073709551615.0);
  CHECK_I64(A->agg_mset_median_i64(C, m, 0, &i), RT_ERR);
  C->failed = 0; C->err[0] = 0;
  void *uc = roundtrip(m, NULL);
  CHECK(same_bytes(uc, m) && A->agg_mset_nth_u64(C, uc, 1, 0, &u) == RT_OK && u == UINT64_MAX);
  A->agg_free(uc);
  A->agg_mset_remove_u64(C, &m, UINT64_MAX);
  A->agg_mset_remove_u64(C, &m, UINT64_MAX - 1);
  CHECK(m == NULL);
  A->agg_mset_add_u64(C, &m, 3);
  A->agg_mset_add_u64(C, &m, 4);
  CHECK(A->agg_mset_median_u64(C, m, 0, &u) == RT_OK && u == 3);
  A->agg_free(m); m = NULL;

  /* strings: byte order, min/max, retraction */
  const char *words[] = { "pear", "apple", "Zebra", "äpfel", "apple", "" };
  for (int k = 0; k < 6; k++) A->agg_mset_add_str(C, &m, S(words[k]));
  CHECK(A->agg_mset_nth_str(C, m, 0, 0, &s) == RT_OK && s.len == 0);
  CHECK(A->agg_mset_nth_str(C, m, 1, 0, &s) == RT_OK && rt_str_eq(s, S("Zebra")));
  CHECK(A->agg_mset_nth_str(C, m, -1, 0, &s) == RT_OK && rt_str_eq(s, S("äpfel")));
  CHECK(A->agg_mset_nth_str(C, m, 2, 1, &s) == RT_OK && rt_str_eq(s, S("apple")));
  A->agg_mset_remove_str(C, &m, S("äpfel"));
  CHECK(A->agg_mset_nth_str(C, m, -1, 0, &s) == RT_OK && rt_str_eq(s, S("pear")));
  A->agg_mset_remove_str(C, &m, S("apple"));
  CHECK_I64(A->agg_mset_count(m, 0), 4);
  CHECK_I64(A->agg_mset_median_i64(C, m, 0, &i), RT_ERR);
  CHECK_I64(A->agg_mset_percentile(C, m, 0.5, 0, &f), RT_ERR);
  C->failed = 0; C->err[0] = 0;
  void *sc = roundtrip(m, NULL);
  CHECK(same_bytes(sc, m));
  CHECK(A->agg_mset_nth_str(C, sc, 1, 0, &s) == RT_OK && rt_str_eq(s, S("Zebra")));
  A->agg_free(sc);
  A->agg_free(m); m = NULL;

  /* randomized: adds and removes against a sorted reference array */
  enum { N = 3000 };
  static int64_t ref[N];
  int64_t n = 0;
  for (int it = 0; it < 40000; it++) {
    if (n == 0 || rnd() % 5 < 3) {
      if (n == N) continue;
      int64_t v = (int64_t)(rnd() % 2000) - 1000;
      ref[n++] = v;
      A->agg_mset_add_i64(C, &m, v);
    } else {
      int64_t at = (int64_t)(rnd() % (uint64_t)n), v = ref[at];
      ref[at] = ref[--n];
      A->agg_mset_remove_i64(C, &m, v);
    }
    if (it % 997 == 0 && n > 0) {
      int64_t sorted[N];
      memcpy(sorted, ref, (size_t)n * 8);
      qsort(sorted, (size_t)n, 8, cmp_i64);
      int64_t med = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
      CHECK(A->agg_mset_median_i64(C, m, 0, &i) == RT_OK && i == med);
      CHECK(A->agg_mset_nth_i64(C, m, 0, 0, &i) == RT_OK && i == sorted[0]);
      CHECK(A->agg_mset_nth_i64(C, m, -1, 0, &i) == RT_OK && i == sorted[n - 1]);
      int64_t k = (int64_t)(rnd() % (uint64_t)n);
      CHECK(A->agg_mset_nth_i64(C, m, k, 0, &i) == RT_OK && i == sorted[k]);
      CHECK_I64(A->agg_mset_count(m, 0), n);
    }
  }
  /* merge of two halves = one multiset; the tree (and so the bytes) is canonical */
  void *h1 = NULL, *h2 = NULL, *mm = NULL;
  for (int64_t k = 0; k < n; k++) A->agg_mset_add_i64(C, k % 3 ? &h1 : &h2, ref[k]);
  A->agg_mset_merge(C, &mm, h1);
  A->agg_mset_merge(C, &mm, h2);
  CHECK(same_bytes(mm, m));
  void *mc = roundtrip(m, NULL);
  CHECK(same_bytes(mc, m));
  A->agg_free(mc); A->agg_free(h1); A->agg_free(h2); A->agg_free(mm); A->agg_free(m);
}

/* ---- HyperLogLog ------------------------------------------------------------------------ */

static void test_hll(void) {
  void *h = NULL;
  CHECK_I64(A->agg_hll_count(NULL), 0);
  for (int64_t v = 0; v < 1; v++) A->agg_hll_add(C, &h, &v, 8);
  CHECK_I64(A->agg_hll_count(h), 1);
  for (int k = 0; k < 10; k++) { int64_t v = 0; A->agg_hll_add(C, &h, &v, 8); }
  CHECK_I64(A->agg_hll_count(h), 1);
  A->agg_free(h); h = NULL;
  /* small cardinalities come out exact when no two values share a register */
  int exact = 0;
  for (int64_t v = 1; v <= 100; v++) A->agg_hll_add(C, &h, &v, 8);
  exact = A->agg_hll_count(h) == 100;
  CHECK_MSG(exact, "100 values -> %lld", (long long)A->agg_hll_count(h));
  void *hc = roundtrip(h, NULL);                                   /* sparse form */
  CHECK(A->agg_hll_count(hc) == A->agg_hll_count(h) && same_bytes(hc, h));
  A->agg_free(hc);
  /* large: within 3 standard errors (0.81% each) */
  int64_t sizes[] = { 1000, 10000, 200000 };
  void *prev = NULL;
  for (int s = 0; s < 3; s++) {
    void *x = NULL;
    for (int64_t v = 0; v < sizes[s]; v++) {
      char key[32];
      int n = snprintf(key, sizeof key, "user-%lld", (long long)v);
      A->agg_hll_add(C, &x, key, n);
    }
    double got = (double)A->agg_hll_count(x);
    CHECK_MSG(fabs(got - sizes[s]) <= 0.025 * sizes[s], "%lld values -> %.0f", (long long)sizes[s], got);
    if (s == 2) {
      void *xc = roundtrip(x, NULL);                               /* dense form */
      CHECK(A->agg_hll_count(xc) == A->agg_hll_count(x) && same_bytes(xc, x));
      A->agg_free(xc);
      /* merge: the 10000 set is a subset of the 200000 one */
      void *mm = NULL;
      A->agg_hll_merge(C, &mm, prev);
      CHECK_I64(A->agg_hll_count(mm), A->agg_hll_count(prev));
      A->agg_hll_merge(C, &mm, x);
      CHECK(same_bytes(mm, x));
      A->agg_free(mm);
    }
    A->agg_free(prev);
    prev = x;
  }
  A->agg_free(prev);
  /* sparse + sparse merge that crosses into dense equals adding everything */
  void *p1 = NULL, *p2 = NULL, *all = NULL;
  for (int64_t v = 0; v < 1500; v++) {
    A->agg_hll_add(C, v % 2 ? &p1 : &p2, &v, 8);
    A->agg_hll_add(C, &all, &v, 8);
  }
  A->agg_hll_merge(C, &p1, p2);
  CHECK(same_bytes(p1, all));
  CHECK_I64(A->agg_hll_count(p1), A->agg_hll_count(all));
  A->agg_free(p1); A->agg_free(p2); A->agg_free(all); A->agg_free(h);
}

/* ---- t-digest --------------------------------------------------------------------------- */

static void test_tdigest(void) {
  void *t = NULL;
  double q;
  CHECK_I64(A->agg_tdigest_quantile(C, NULL, 0.5, &q), RT_NULL);
  A->agg_tdigest_add(C, &t, 42.0, 0);
  CHECK(A->agg_tdigest_quantile(C, t, 0.5, &q) == RT_OK && q == 42.0);
  CHECK(A->agg_tdigest_quantile(C, t, 0.0, &q) == RT_OK && q == 42.0);
  CHECK_I64(A->agg_tdigest_add_weighted(C, &t, 1.0, 2.0, 0), RT_ERR);
  CHECK_I64(A->agg_tdigest_quantile(C, t, 1.5, &q), RT_ERR);
  C->failed = 0; C->err[0] = 0;
  A->agg_free(t); t = NULL;
  /* DataFusion's own tests: 1..1000 uniform, within 1% */
  for (int v = 1; v <= 1000; v++) A->agg_tdigest_add(C, &t, (double)(1001 - v), 0);
  double qs[] = { 0.1, 0.5, 0.9 }, want[] = { 100, 500, 900 };
  for (int k = 0; k < 3; k++)
    CHECK(A->agg_tdigest_quantile(C, t, qs[k], &q) == RT_OK && fabs(q - want[k]) / want[k] < 0.01);
  /* a query does not change the object: same answer twice, and same bytes */
  Buf b1 = { 0 }, b2 = { 0 };
  rt_obj_serialize(t, &b1);
  double q1, q2;
  A->agg_tdigest_quantile(C, t, 0.37, &q1);
  A->agg_tdigest_quantile(C, t, 0.37, &q2);
  rt_obj_serialize(t, &b2);
  CHECK(q1 == q2 && b1.len == b2.len && memcmp(b1.p, b2.p, b1.len) == 0);
  buf_free(&b1); buf_free(&b2);
  void *tc = roundtrip(t, NULL);                                   /* pending buffer */
  CHECK(A->agg_tdigest_quantile(C, tc, 0.37, &q2) == RT_OK && q2 == q1);
  A->agg_free(tc);
  A->agg_free(t); t = NULL;
  /* 1..1,000,000 (folded every 8192 values): DataFusion's error bounds */
  for (int v = 1; v <= 1000000; v++) A->agg_tdigest_add(C, &t, (double)v, 0);
  struct { double q, want, err; } big[] = {
    { 1.0, 1e6, 0.01 }, { 0.99, 990000, 0.01 }, { 0.01, 10000, 0.01 }, { 0.0, 1, 0.01 },
    { 0.5, 500000, 0.01 } };
  for (int k = 0; k < 5; k++) {
    CHECK(A->agg_tdigest_quantile(C, t, big[k].q, &q) == RT_OK);
    CHECK_MSG(fabs(q - big[k].want) / big[k].want < big[k].err, "q%g = %g", big[k].q, q);
  }
  void *tc2 = roundtrip(t, NULL);
  CHECK(same_bytes(tc2, t));
  A->agg_free(tc2);
  /* merge: 100 digests of 1..1000 (DataFusion's test_merge_digests bounds) */
  void *parts = NULL;
  for (int d = 0; d < 100; d++) {
    void *one = NULL;
    for (int v = 1; v <= 1000; v++) A->agg_tdigest_add(C, &one, (double)v, 0);
    A->agg_tdigest_merge(C, &parts, one);
    A->agg_free(one);
  }
  struct { double q, want, err; } mq[] = {
    { 1.0, 1000, 0.01 }, { 0.99, 990, 0.01 }, { 0.01, 10, 0.2 }, { 0.0, 1, 0.01 }, { 0.5, 500, 0.01 } };
  for (int k = 0; k < 5; k++) {
    CHECK(A->agg_tdigest_quantile(C, parts, mq[k].q, &q) == RT_OK);
    CHECK_MSG(fabs(q - mq[k].want) / mq[k].want < mq[k].err, "merged q%g = %g", mq[k].q, q);
  }
  A->agg_free(parts);
  A->agg_free(t); t = NULL;
  /* weighted: DataFusion counts rows, not weights (see agg_sketch.c); equal weights behave as
  ** the unweighted digest's rank */
  for (int v = 1; v <= 9; v++) A->agg_tdigest_add_weighted(C, &t, (double)v, 1.0, 0);
  CHECK(A->agg_tdigest_quantile(C, t, 0.5, &q) == RT_OK && q == 5.0);
  void *wc = roundtrip(t, NULL);
  CHECK(A->agg_tdigest_quantile(C, wc, 0.5, &q) == RT_OK && q == 5.0);
  A->agg_free(wc);
  /* weighted merge: halves of 1..2000 with weight 2 */
  void *w1 = NULL, *w2 = NULL, *wm = NULL;
  for (int v = 1; v <= 2000; v++) A->agg_tdigest_add_weighted(C, v % 2 ? &w1 : &w2, v, 2.0, 0);
  CHECK_I64(A->agg_tdigest_merge(C, &wm, w1), RT_OK);
  CHECK_I64(A->agg_tdigest_merge(C, &wm, w2), RT_OK);
  void *plain = NULL;
  A->agg_tdigest_add(C, &plain, 1.0, 0);
  CHECK_I64(A->agg_tdigest_merge(C, &wm, plain), RT_ERR);          /* weighted vs unweighted */
  C->failed = 0; C->err[0] = 0;
  A->agg_free(plain);
  CHECK(A->agg_tdigest_quantile(C, wm, 0.25, &q) == RT_OK && fabs(q - 250) < 10);
  A->agg_free(w1); A->agg_free(w2); A->agg_free(wm);
  A->agg_free(t); t = NULL;
}

/* ---- list and string box ---------------------------------------------------------------- */

static void test_list(void) {
  void *l = NULL;
  RtStr s;
  int found;
  CHECK_I64(A->agg_list_len(NULL), 0);
  CHECK_I64(A->agg_list_join(C, NULL, S(","), &s), RT_NULL);
  const char *vals[] = { "a", "bb", NULL, "a", "" };
  for (int k = 0; k < 5; k++)
    A->agg_list_add(C, &l, vals[k], vals[k] ? (int64_t)strlen(vals[k]) : 0, vals[k] == NULL);
  CHECK_I64(A->agg_list_len(l), 5);
  CHECK(A->agg_list_get(C, l, 1, &s) == RT_OK && rt_str_eq(s, S("bb")));
  CHECK_I64(A->agg_list_get(C, l, 2, &s), RT_NULL);
  CHECK_I64(A->agg_list_get(C, l, 5, &s), RT_ERR);
  C->failed = 0; C->err[0] = 0;
  CHECK(A->agg_list_join(C, l, S(", "), &s) == RT_OK && rt_str_eq(s, S("a, bb, a, ")));
  /* remove takes the LAST equal element: add x then remove x restores the list */
  A->agg_list_add(C, &l, "bb", 2, 0);
  A->agg_list_remove(C, &l, "bb", 2, 0, &found);
  CHECK(found == 1);
  CHECK(A->agg_list_join(C, l, S("|"), &s) == RT_OK && rt_str_eq(s, S("a|bb|a|")));
  A->agg_list_remove(C, &l, "a", 1, 0, &found);
  CHECK(A->agg_list_join(C, l, S("|"), &s) == RT_OK && rt_str_eq(s, S("a|bb|")));
  A->agg_list_remove(C, &l, NULL, 0, 1, &found);
  CHECK(found == 1 && A->agg_list_len(l) == 3);
  A->agg_list_remove(C, &l, "zz", 2, 0, &found);
  CHECK(found == 0 && A->agg_list_len(l) == 3);
  /* arrays for UDAFs: strings */
  void *vv;
  uint8_t *nulls;
  int64_t n;
  CHECK(A->agg_list_array(C, l, 0, &vv, &nulls, &n) == RT_OK && n == 3);
  CHECK(rt_str_eq(((RtStr *)vv)[1], S("bb")) && nulls[0] == 0);
  CHECK_I64(A->agg_list_array(C, l, 8, &vv, &nulls, &n), RT_ERR);   /* sizes differ */
  C->failed = 0; C->err[0] = 0;
  void *lc = roundtrip(l, NULL);
  CHECK(same_bytes(lc, l));
  A->agg_free(lc);
  while (A->agg_list_len(l)) {
    RtStr last = { 0 };
    int rc = A->agg_list_get(C, l, A->agg_list_len(l) - 1, &last);
    A->agg_list_remove(C, &l, last.ptr, last.len, rc == RT_NULL, NULL);
  }
  CHECK(l == NULL);

  /* fixed-size elements (a UDAF over BIGINT UNSIGNED), NULLs, merge, compaction */
  void *a = NULL, *b = NULL, *m = NULL;
  for (uint64_t v = 0; v < 20000; v++) A->agg_list_add(C, v < 7000 ? &a : &b, &v, 8, 0);
  A->agg_list_add(C, &b, NULL, 0, 1);
  A->agg_list_merge(C, &m, a);
  A->agg_list_merge(C, &m, b);
  CHECK(A->agg_list_array(C, m, 8, &vv, &nulls, &n) == RT_OK && n == 20001);
  int ok = 1;
  for (int64_t k = 0; k < 20000; k++) ok &= ((uint64_t *)vv)[k] == (uint64_t)k && !nulls[k];
  CHECK(ok && nulls[20000] == 1 && ((uint64_t *)vv)[20000] == 0);
  for (uint64_t v = 0; v < 20000; v += 2) A->agg_list_remove(C, &m, &v, 8, 0, NULL);
  CHECK(A->agg_list_array(C, m, 8, &vv, NULL, &n) == RT_OK && n == 10001);
  ok = 1;
  for (int64_t k = 0; k < 10000; k++) ok &= ((uint64_t *)vv)[k] == (uint64_t)(2 * k + 1);
  CHECK(ok);
  void *mc = roundtrip(m, NULL);
  CHECK(same_bytes(mc, m));
  A->agg_free(mc); A->agg_free(a); A->agg_free(b); A->agg_free(m);
}

/* Ordered lists (window frames): insert and delete at positions, in-place writes, 8-byte
** alignment of 8-byte-multiple elements across compaction and a snapshot round trip. A model
** array of values checks the order after every step. */
static void test_list_ordered(void) {
  void *l = NULL;
  int64_t model[4000];
  int64_t n = 0;
  CHECK(A->agg_list_bytes(NULL, 0) == NULL);
  CHECK_I64(A->agg_list_insert(C, &l, 1, "x", 1), RT_ERR);   /* past the end of an empty list */
  C->failed = 0; C->err[0] = 0;
  int ok = 1;
  uint64_t r = 0x9e3779b97f4a7c15ULL;   /* own generator: leaves rnd()'s sequence to the others */
  for (int step = 0; step < 20000; step++) {
    r ^= r >> 12; r ^= r << 25; r ^= r >> 27;
    if (n < 4000 && (n == 0 || r % 3 != 0)) {
      int64_t at = (int64_t)((r >> 8) % (uint64_t)(n + 1)), v[2] = { step, -step };
      ok &= A->agg_list_insert(C, &l, at, v, 16) == RT_OK;
      memmove(model + at + 1, model + at, (size_t)(n - at) * sizeof model[0]);
      model[at] = step;
      n++;
    } else {
      int64_t at = (int64_t)((r >> 8) % (uint64_t)n);
      ok &= A->agg_list_delete(C, &l, at) == RT_OK;
      memmove(model + at, model + at + 1, (size_t)(n - at - 1) * sizeof model[0]);
      n--;
      ok &= (n == 0) == (l == NULL);
    }
    if (step % 997 == 0 || n < 3)
      for (int64_t k = 0; k < n; k++) {
        int64_t *e = A->agg_list_bytes(l, k);
        ok &= e != NULL && ((uintptr_t)e & 7) == 0 && e[0] == model[k] && e[1] == -model[k];
      }
  }
  CHECK(ok);
  CHECK_I64(A->agg_list_len(l), n);
  CHECK_I64(A->agg_list_delete(C, &l, n), RT_ERR);
  C->failed = 0; C->err[0] = 0;
  if (n > 0) {   /* writes in place survive a snapshot */
    int64_t *e = A->agg_list_bytes(l, 0);
    e[1] = 42;
    void *lc = roundtrip(l, NULL);
    CHECK(same_bytes(lc, l));
    int64_t *ec = A->agg_list_bytes(lc, 0);
    CHECK(ec[1] == 42 && ((uintptr_t)ec & 7) == 0);
    A->agg_free(lc);
  }
  A->agg_free(l);
}

static void test_strbox(void) {
  void *first = NULL, *last = NULL, *mn = NULL, *mx = NULL;
  RtStr s;
  int ch;
  const char *in[] = { "m", "z", NULL, "a", "k" };
  for (int k = 0; k < 5; k++) {
    RtStr v = in[k] ? S(in[k]) : rt_str(NULL, 0);
    A->agg_str_set(C, &first, v, in[k] == NULL, RT_SBOX_FIRST, NULL);
    A->agg_str_set(C, &last, v, in[k] == NULL, RT_SBOX_LAST, NULL);
    if (in[k]) {
      A->agg_str_set(C, &mn, v, 0, RT_SBOX_MIN, NULL);
      A->agg_str_set(C, &mx, v, 0, RT_SBOX_MAX, NULL);
    }
  }
  CHECK(A->agg_str_get(C, first, &s) == RT_OK && rt_str_eq(s, S("m")));
  CHECK(A->agg_str_get(C, last, &s) == RT_OK && rt_str_eq(s, S("k")));
  CHECK(A->agg_str_get(C, mn, &s) == RT_OK && rt_str_eq(s, S("a")));
  CHECK(A->agg_str_get(C, mx, &s) == RT_OK && rt_str_eq(s, S("z")));
  CHECK_I64(A->agg_str_get(C, NULL, &s), RT_NULL);
  A->agg_str_set(C, &mx, S("b"), 0, RT_SBOX_MAX, &ch);
  CHECK(ch == 0);
  A->agg_str_set(C, &mx, S("zz"), 0, RT_SBOX_MAX, &ch);
  CHECK(ch == 1);
  A->agg_str_set(C, &last, rt_str(NULL, 0), 1, RT_SBOX_LAST, &ch);
  CHECK(ch == 1 && A->agg_str_get(C, last, &s) == RT_NULL);          /* last_value keeps NULL */
  /* merge: src is the later input */
  void *m = NULL;
  A->agg_str_merge(C, &m, first, RT_SBOX_LAST);
  A->agg_str_merge(C, &m, mn, RT_SBOX_LAST);
  CHECK(A->agg_str_get(C, m, &s) == RT_OK && rt_str_eq(s, S("a")));
  A->agg_str_merge(C, &m, mx, RT_SBOX_MIN);
  CHECK(A->agg_str_get(C, m, &s) == RT_OK && rt_str_eq(s, S("a")));
  A->agg_str_merge(C, &m, mx, RT_SBOX_MAX);
  CHECK(A->agg_str_get(C, m, &s) == RT_OK && rt_str_eq(s, S("zz")));
  CHECK_I64(A->agg_str_set(C, &m, S("x"), 0, 9, NULL), RT_ERR);
  C->failed = 0; C->err[0] = 0;
  void *c1 = roundtrip(m, NULL), *c2 = roundtrip(last, NULL);
  CHECK(same_bytes(c1, m) && same_bytes(c2, last) && A->agg_str_get(C, c2, &s) == RT_NULL);
  A->agg_free(c1); A->agg_free(c2);
  A->agg_free(first); A->agg_free(last); A->agg_free(mn); A->agg_free(mx); A->agg_free(m);
}

/* ---- join rows (join_rows.c) ----------------------------------------------------------- */

/* The rows of a join-rows object, as "len:bytes" joined by '|'. */
static char *jr_text(const void *obj, char *buf) {
  uint32_t pos = 0, len = 0;
  const unsigned char *p;
  char *at = buf;
  *at = 0;
  while ((p = A->jrows_next(obj, &pos, &len)) != NULL)
    at += sprintf(at, "%s%u:%.*s", at == buf ? "" : "|", len, (int)len, (const char *)p);
  return buf;
}

static void test_join_rows(void) {
  void *o = NULL;
  char t[4096], fb[16];
  uint32_t fl = 0;
  CHECK(A->jrows_next(NULL, &(uint32_t){ 0 }, &fl) == NULL);
  CHECK_I64(A->jrows_remove(C, &o, "x", 1), 0);
  CHECK_I64(A->jrows_add(C, &o, "ab", 2), RT_OK);
  CHECK_I64(A->jrows_add(C, &o, "", 0), RT_OK);
  CHECK_I64(A->jrows_add(C, &o, "ab", 2), RT_OK);
  CHECK_I64(A->jrows_add(C, &o, "cde", 3), RT_OK);
  CHECK_STR(jr_text(o, t), "2:ab|0:|2:ab|3:cde");
  void *copy = roundtrip(o, NULL);
  CHECK(copy && same_bytes(o, copy));
  rt_obj_free(copy);
  CHECK_I64(A->jrows_remove(C, &o, "ab", 2), 1);          /* the last equal row */
  CHECK_STR(jr_text(o, t), "2:ab|0:|3:cde");
  CHECK_I64(A->jrows_remove(C, &o, "zz", 2), 0);
  CHECK_I64(A->jrows_take_first(C, &o, fb, 1, &fl), 0);    /* does not fit: stays */
  CHECK_I64(A->jrows_take_first(C, &o, fb, sizeof fb, &fl), 1);
  CHECK(fl == 2 && memcmp(fb, "ab", 2) == 0);
  CHECK_STR(jr_text(o, t), "0:|3:cde");
  copy = roundtrip(o, NULL);                               /* the dead front is not serialized */
  CHECK_STR(jr_text(copy, t), "0:|3:cde");
  rt_obj_free(copy);
  CHECK_I64(A->jrows_take_first(C, &o, fb, sizeof fb, &fl), 1);
  CHECK_I64(fl, 0);
  CHECK_I64(A->jrows_remove(C, &o, "cde", 3), 1);          /* empties: freed */
  CHECK(o == NULL);
  /* randomized against a plain array: adds, removes of a random present row, take_first */
  enum { M = 3000 };
  static char ref[M][8];
  static uint32_t rlen[M];
  int n = 0;
  for (int step = 0; step < 20000; step++) {
    uint64_t r = rnd();
    if (n == 0 || r % 3 != 0) {
      if (n == M) continue;
      uint32_t len = (uint32_t)(r >> 8) % 8;
      for (uint32_t i = 0; i < len; i++) ref[n][i] = (char)('a' + (r >> (16 + 2 * i)) % 3);
      rlen[n] = len;
      CHECK_I64(A->jrows_add(C, &o, ref[n], len), RT_OK);
      n++;
    } else if (r % 2) {
      int k = (int)((r >> 8) % (uint64_t)n), last = k;
      for (int j = 0; j < n; j++)
        if (rlen[j] == rlen[k] && memcmp(ref[j], ref[k], rlen[k]) == 0) last = j;
      CHECK_I64(A->jrows_remove(C, &o, ref[k], rlen[k]), 1);
      memmove(ref[last], ref[last + 1], (size_t)(n - last - 1) * 8);
      memmove(rlen + last, rlen + last + 1, (size_t)(n - last - 1) * sizeof rlen[0]);
      n--;
    } else {
      CHECK_I64(A->jrows_take_first(C, &o, fb, sizeof fb, &fl), 1);
      CHECK(fl == rlen[0] && memcmp(fb, ref[0], fl) == 0);
      memmove(ref[0], ref[1], (size_t)(n - 1) * 8);
      memmove(rlen, rlen + 1, (size_t)(n - 1) * sizeof rlen[0]);
      n--;
    }
    CHECK((n == 0) == (o == NULL));
  }
  uint32_t pos = 0, len = 0;
  int i = 0, bad = 0;
  const unsigned char *p;
  while ((p = A->jrows_next(o, &pos, &len)) != NULL) {
    if (i >= n || len != rlen[i] || memcmp(p, ref[i], len)) bad++;
    i++;
  }
  CHECK(bad == 0 && i == n);
  copy = roundtrip(o, NULL);
  CHECK(same_bytes(o, copy));
  rt_obj_free(copy);
  rt_obj_free(o);
}

static void test_obj_common(void) {
  size_t used = 7;
  Buf b = { 0 };
  CHECK_I64(rt_obj_serialize(NULL, &b), 1);
  CHECK(rt_obj_deserialize(b.p, b.len, &used) == NULL && used == 1);
  const char junk[] = { 9, 1, 0, 0 };
  CHECK(rt_obj_deserialize(junk, sizeof junk, &used) == NULL && used == 0);
  const char badver[] = { RT_OBJ_LIST, 77, 0, 0, 0, 0, 0, 0, 0, 0 };
  CHECK(rt_obj_deserialize(badver, sizeof badver, &used) == NULL && used == 0);
  buf_free(&b);
  CHECK(strcmp(aobj_kind_name(RT_OBJ_TDIGEST), "tdigest") == 0);
  A->agg_free(NULL);
}

/* ---- the every_aggregate peer test ------------------------------------------------------- */

static char *read_text(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *p = malloc((size_t)n + 1);
  if (fread(p, 1, (size_t)n, f) != (size_t)n) n = 0;
  p[n] = 0;
  fclose(f);
  return p;
}

static char *peer_file(const char *rel) {
  static const char *roots[] = { "../shared/peer-tests/arroyo/", "../../shared/peer-tests/arroyo/",
                                 "/work/shared/peer-tests/arroyo/" };
  for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
    char path[512];
    snprintf(path, sizeof path, "%s%s", roots[i], rel);
    char *t = read_text(path);
    if (t) return t;
  }
  return NULL;
}

typedef struct Car {
  RtRowHeader h;
  int64_t ts;        uint8_t ts_null;
  int64_t driver;    uint8_t driver_null;
  RtStr event;       uint8_t event_null;
  RtStr location;    uint8_t location_null;
} Car;

/* What the generated accumulator for every_aggregate holds per event_type. */
typedef struct EveryAgg {
  double sum_f;           /* avg: DataFusion coerces BIGINT to DOUBLE */
  int64_t n_avg, cnt, sum;
  int64_t band, bor, bxor; int has_bits;
  int bool_and, bool_or;
  void *mset;             /* max/min/median (updating aggregate: retractable multiset) */
  RtCoMoments cov;        /* covar/corr(driver_id, epoch) */
  RtCoMoments regr;       /* regr_*(driver_id, epoch): fed (epoch, driver_id) */
  RtMoments var;          /* stddev/var(driver_id) */
  void *hll, *td, *tdw;   /* approx_distinct, approx_median + approx_percentile_cont, weighted */
} EveryAgg;

/* Value of "key" in the JSON object text obj: number (as double) or true/false (1/0). */
static int json_num(const char *obj, const char *key, double *out) {
  char pat[64];
  snprintf(pat, sizeof pat, "\"%s\":", key);
  const char *p = strstr(obj, pat);
  if (!p) return 0;
  p += strlen(pat);
  while (*p == ' ') p++;
  if (!strncmp(p, "true", 4)) { *out = 1; return 1; }
  if (!strncmp(p, "false", 5)) { *out = 0; return 1; }
  char *end;
  *out = strtod(p, &end);
  return end != p;
}

static void test_every_aggregate_golden(void) {
  char *cars = peer_file("inputs/cars.json"), *golden = peer_file("golden_outputs/every_aggregate.json");
  if (!cars || !golden) {
    fprintf(stderr, "note: ../shared/peer-tests/arroyo not found, every_aggregate golden check skipped\n");
    free(cars); free(golden);
    return;
  }
  static const RtColumn cols[] = {
    { "timestamp", RT_TIMESTAMP, 0, 0, 0, offsetof(Car, ts), UINT32_MAX },
    { "driver_id", RT_I64, 1, 0, 0, offsetof(Car, driver), offsetof(Car, driver_null) },
    { "event_type", RT_TEXT, 1, 0, 0, offsetof(Car, event), offsetof(Car, event_null) },
    { "location", RT_TEXT, 1, 0, 0, offsetof(Car, location), offsetof(Car, location_null) },
  };
  static const RtSchema schema = { "cars", sizeof(Car), 4, cols };
  RtConnector conn;
  memset(&conn, 0, sizeof conn);
  conn.table = "cars";
  conn.connector = "single_file";
  conn.schema = &schema;
  conn.event_time_col = 0;
  char err[256];
  Decoder *dec = dec_new(&conn, err, sizeof err);
  CHECK_MSG(dec != NULL, "%s", err);
  if (!dec) return;
  Arena arena;
  arena_init(&arena, 1 << 16);
  const char *names[2] = { "pickup", "dropoff" };
  EveryAgg g[2];
  memset(g, 0, sizeof g);
  for (int k = 0; k < 2; k++) { g[k].bool_and = 1; g[k].band = -1; }
  int64_t rows = 0, bad_rows = 0;
  for (char *line = cars; *line; ) {
    char *nl = strchr(line, '\n');
    size_t len = nl ? (size_t)(nl - line) : strlen(line);
    Car r[2];
    if (len && dec_record(dec, line, len, r, &arena, err, sizeof err) == 1 && !r[0].event_null) {
      int k = rt_str_eq(r[0].event, S("pickup")) ? 0 : rt_str_eq(r[0].event, S("dropoff")) ? 1 : -1;
      if (k >= 0) {
        EveryAgg *a = &g[k];
        rows++;
        a->cnt++;
        if (!r[0].driver_null) {
          int64_t d = r[0].driver;
          double epoch, df = (double)d;
          int64_t chars;
          if (A->fn_date_part(C, S("epoch"), r[0].ts, &epoch) != RT_OK) bad_rows++;
          a->sum_f += df; a->n_avg++; a->sum += d;
          a->band &= d; a->bor |= d; a->bxor ^= d; a->has_bits = 1;
          a->bool_and = a->bool_and && d > 0; a->bool_or = a->bool_or || d > 0;
          A->agg_mset_add_i64(C, &a->mset, d);
          rt_comoments_add(&a->cov, df, epoch);
          rt_comoments_add(&a->regr, epoch, df);
          rt_moments_add(&a->var, df);
          A->agg_hll_add(C, &a->hll, &d, 8);
          A->agg_tdigest_add(C, &a->td, df, 0);
          if (!r[0].location_null && A->fn_char_length(C, r[0].location, &chars) == RT_OK)
            A->agg_tdigest_add_weighted(C, &a->tdw, df, (double)chars, 0);
        }
      }
    }
    arena_reset(&arena);
    line = nl ? nl + 1 : line + len;
  }
  CHECK_I64(rows, 7932);
  CHECK_I64(bad_rows, 0);

  /* the last "after" object per event_type in the golden */
  const char *final[2] = { NULL, NULL };
  for (const char *p = golden; (p = strstr(p, "\"after\":{")) != NULL; p++) {
    const char *e = strstr(p, "\"event_type\":\"");
    if (!e) break;
    e += 14;
    for (int k = 0; k < 2; k++) if (!strncmp(e, names[k], strlen(names[k]))) final[k] = p + 8;
  }
  int matched = 0, total = 0;
  for (int k = 0; k < 2; k++) {
    EveryAgg *a = &g[k];
    CHECK_MSG(final[k] != NULL, "no golden row for %s", names[k]);
    if (!final[k]) continue;
    char obj[4096];
    const char *end = strchr(final[k], '}');
    size_t n = (size_t)(end - final[k]) + 1;
    memcpy(obj, final[k], n < sizeof obj ? n : sizeof obj - 1);
    obj[n < sizeof obj ? n : sizeof obj - 1] = 0;
    struct { const char *col; double v; int rc; } got[40];
    int ng = 0;
#define PUT(c, val, r) do { got[ng].col = (c); got[ng].v = (val); got[ng].rc = (r); ng++; } while (0)
#define R4(x) A->m_round((x), 4)
    double o = 0;
    int64_t i = 0;
    int rc;
    PUT("avg_driver", R4(a->sum_f / (double)a->n_avg), RT_OK);
    PUT("bit_and_driver", (double)a->band, RT_OK);
    PUT("bit_or_driver", (double)a->bor, RT_OK);
    PUT("bit_xor_driver", (double)a->bxor, RT_OK);
    PUT("bool_and_driver", a->bool_and, RT_OK);
    PUT("bool_or_driver", a->bool_or, RT_OK);
    PUT("cnt", (double)a->cnt, RT_OK);
    rc = A->agg_mset_nth_i64(C, a->mset, -1, 0, &i); PUT("max_driver", (double)i, rc);
    rc = A->agg_mset_median_i64(C, a->mset, 0, &i); PUT("median_driver", (double)i, rc);
    rc = A->agg_mset_nth_i64(C, a->mset, 0, 0, &i); PUT("min_driver", (double)i, rc);
    PUT("sum_driver", (double)a->sum, RT_OK);
    rc = A->agg_corr_final(C, &a->cov, &o); PUT("corr_driver_ts", R4(o), rc);
    rc = A->agg_covar_final(C, &a->cov, 0, &o); PUT("covar_pop_driver_ts", R4(o), rc);
    rc = A->agg_covar_final(C, &a->cov, 1, &o); PUT("covar_samp_driver_ts", R4(o), rc);
    rc = A->agg_stddev_final(C, &a->var, 1, &o); PUT("stddev_driver", R4(o), rc);
    rc = A->agg_stddev_final(C, &a->var, 0, &o); PUT("stddev_pop_driver", R4(o), rc);
    rc = A->agg_var_final(C, &a->var, 1, &o); PUT("var_driver", R4(o), rc);
    rc = A->agg_var_final(C, &a->var, 0, &o); PUT("var_pop_driver", R4(o), rc);
    static const struct { const char *col; int what; } regr[] = {
      { "regr_slope", RT_REGR_SLOPE }, { "regr_avgx", RT_REGR_AVGX }, { "regr_avgy", RT_REGR_AVGY },
      { "regr_count", RT_REGR_COUNT }, { "regr_intercept", RT_REGR_INTERCEPT },
      { "regr_r2", RT_REGR_R2 }, { "regr_sxx", RT_REGR_SXX }, { "regr_syy", RT_REGR_SYY },
      { "regr_sxy", RT_REGR_SXY } };
    for (int r = 0; r < 9; r++) {
      rc = A->agg_regr_final(C, &a->regr, regr[r].what, &o);
      PUT(regr[r].col, R4(o), rc);
    }
    PUT("approx_distinct_driver", R4((double)A->agg_hll_count(a->hll)), RT_OK);
    /* integer input: the SQL result is the estimate truncated to BIGINT, then round() */
    rc = A->agg_tdigest_quantile(C, a->td, 0.5, &o);
    PUT("approx_median_driver", R4((double)(int64_t)o), rc);
    PUT("approx_percentile_cont_driver", R4((double)(int64_t)o), rc);
    rc = A->agg_tdigest_quantile(C, a->tdw, 0.5, &o);
    PUT("approx_percentile_cont_weighted_driver", R4((double)(int64_t)o), rc);
    for (int c = 0; c < ng; c++) {
      double want;
      total++;
      if (!json_num(obj, got[c].col, &want)) { CHECK_MSG(0, "golden lacks %s", got[c].col); continue; }
      int ok = got[c].rc == RT_OK && got[c].v == want && signbit(got[c].v) == signbit(want);
      matched += ok;
      CHECK_MSG(ok, "every_aggregate %s.%s: got %.17g (rc %d), golden %.17g", names[k],
                got[c].col, got[c].v, got[c].rc, want);
    }
    A->agg_free(a->mset); A->agg_free(a->hll); A->agg_free(a->td); A->agg_free(a->tdw);
  }
  fprintf(stderr, "note: every_aggregate golden: %d of %d values match\n", matched, total);
  arena_free(&arena);
  dec_free(dec);
  free(cars);
  free(golden);
}

static void test_memory_returns_to_zero(int64_t before) {
  CHECK_I64(aobj_mem_bytes(RT_OBJ_NONE), before);
  for (int k = 1; k < RT_OBJ_KIND_COUNT; k++)
    CHECK_MSG(aobj_mem_bytes(k) == 0, "%s still holds %lld bytes", aobj_kind_name(k),
              (long long)aobj_mem_bytes(k));
}

UNIT_MAIN({
  A = rt_api();
  C = rt_ctx_new();
  rt_ctx_begin_batch(C);
  int64_t before = aobj_mem_bytes(RT_OBJ_NONE);
  test_moments();
  test_comoments();
  test_bits();
  test_distinct();
  test_mset();
  test_hll();
  test_tdigest();
  test_list();
  test_list_ordered();
  test_strbox();
  test_join_rows();
  test_obj_common();
  test_every_aggregate_golden();
  test_memory_returns_to_zero(before);
  rt_ctx_free(C);
})
