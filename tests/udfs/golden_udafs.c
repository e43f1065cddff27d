/*
** tests/udfs/golden_udafs.c: user-defined aggregates for tests/golden/queries/udaf_window.sql.
** A UDAF gets, once per group, one array per argument (rows with a NULL argument left out)
** and the row count n >= 1; see docs/udf.md.
*/

/* ARROYO_UDAF udaf_spread(BIGINT) -> BIGINT */
int64_t udaf_spread(const int64_t *v, int64_t n) {
  int64_t lo = v[0], hi = v[0], i;
  for (i = 1; i < n; i++) {
    if (v[i] < lo) lo = v[i];
    if (v[i] > hi) hi = v[i];
  }
  return hi - lo;
}

/* ARROYO_UDAF udaf_wavg(DOUBLE, DOUBLE) -> DOUBLE NULLABLE */
double udaf_wavg(const double *x, const double *w, int64_t n, uint8_t *is_null) {
  double sxw = 0, sw = 0;
  int64_t i;
  for (i = 0; i < n; i++) {
    sxw += x[i] * w[i];
    sw += w[i];
  }
  if (sw == 0) {
    *is_null = 1;
    return 0;
  }
  return sxw / sw;
}
