/*
** runtime/agg_stats.c: finalizers of the moment accumulators (RtMoments, RtCoMoments in abi.h)
** for var_samp/var_pop, stddev_samp/stddev_pop, covar_samp/covar_pop, corr and regr_*.
**
** The accumulators are updated inline by generated code (rt_moments_add and friends); these
** functions only turn them into the SQL result, following DataFusion's evaluate() code step by
** step (same divisions in the same order) so that round(x, 4) agrees with Arroyo's goldens:
**   var:    NULL for no rows; one row: var_pop 0 (NaN if the value was NaN), var_samp NULL;
**           else m2 / n or m2 / (n - 1).             stddev: sqrt of that.
**   covar:  c / n or c / (n - 1); NULL when that divisor is 0.
**   corr:   NaN when both means are NaN; NULL when one is, or fewer than 2 rows, or a standard
**           deviation is 0 (PostgreSQL and current DataFusion; older DataFusion returned 0);
**           else (c / n) / sqrt(m2_a / n) / sqrt(m2_b / n).
**   regr_*: as DataFusion's RegrAccumulator, with a = x and b = y.
** It does not update accumulators or handle NULL inputs (generated code skips those rows).
*/
#include <math.h>
#include "agg.h"

int astat_var_final(RtCtx *ctx, const RtMoments *m, int sample, double *out) {
  (void)ctx;
  if (m->count <= 0) return RT_NULL;
  if (m->count == 1) {
    if (isnan(m->m2)) { *out = NAN; return RT_OK; }
    if (sample) return RT_NULL;
    *out = 0.0;
    return RT_OK;
  }
  *out = m->m2 / (double)(sample ? m->count - 1 : m->count);
  return RT_OK;
}

int astat_stddev_final(RtCtx *ctx, const RtMoments *m, int sample, double *out) {
  double v;
  int rc = astat_var_final(ctx, m, sample, &v);
  if (rc != RT_OK) return rc;
  *out = sqrt(v);
  return RT_OK;
}

int astat_covar_final(RtCtx *ctx, const RtCoMoments *m, int sample, double *out) {
  (void)ctx;
  int64_t n = m->count;
  if (sample && n > 0) n--;
  if (n <= 0) return RT_NULL;
  *out = m->c / (double)n;
  return RT_OK;
}

int astat_corr_final(RtCtx *ctx, const RtCoMoments *m, double *out) {
  (void)ctx;
  if (m->count > 0 && isnan(m->mean_a) && isnan(m->mean_b)) { *out = NAN; return RT_OK; }
  if (m->count < 2 || isnan(m->mean_a) || isnan(m->mean_b)) return RT_NULL;
  double n = (double)m->count;
  double covar = m->c / n;
  double s1 = sqrt(m->m2_a / n), s2 = sqrt(m->m2_b / n);
  if (s1 == 0.0 || s2 == 0.0) return RT_NULL;
  *out = covar / s1 / s2;
  return RT_OK;
}

int astat_regr_final(RtCtx *ctx, const RtCoMoments *m, int what, double *out) {
  double n = (double)m->count;
  double cov_pop = m->c / n, var_x = m->m2_a / n, var_y = m->m2_b / n;
  switch (what) {
  case RT_REGR_SLOPE:
    if (m->count <= 1 || var_x == 0.0) return RT_NULL;
    *out = cov_pop / var_x;
    return RT_OK;
  case RT_REGR_INTERCEPT:
    if (m->count <= 1 || var_x == 0.0) return RT_NULL;
    *out = m->mean_b - cov_pop / var_x * m->mean_a;
    return RT_OK;
  case RT_REGR_COUNT:
    *out = m->count > 0 ? n : 0.0;
    return RT_OK;
  case RT_REGR_R2:
    if (m->count <= 1 || var_x == 0.0 || var_y == 0.0) return RT_NULL;
    *out = cov_pop * cov_pop / (var_x * var_y);
    return RT_OK;
  case RT_REGR_AVGX: if (m->count < 1) return RT_NULL; *out = m->mean_a; return RT_OK;
  case RT_REGR_AVGY: if (m->count < 1) return RT_NULL; *out = m->mean_b; return RT_OK;
  case RT_REGR_SXX: if (m->count < 1) return RT_NULL; *out = m->m2_a; return RT_OK;
  case RT_REGR_SYY: if (m->count < 1) return RT_NULL; *out = m->m2_b; return RT_OK;
  case RT_REGR_SXY: if (m->count < 1) return RT_NULL; *out = m->c; return RT_OK;
  default:
    return rt_error(ctx, NULL, "internal: agg_regr_final: unknown regression function %d", what);
  }
}
