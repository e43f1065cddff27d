/*
** tests/udfs/udafs.c: the peer suite's user-defined aggregates, ported to C.
** A UDAF gets, once per group, one array per argument (the rows' values, NULL rows left out)
** and the row count; see docs/udf.md.
*/

/* ARROYO_UDAF my_median(BIGINT UNSIGNED) -> DOUBLE */
double my_median(const uint64_t *vals, int64_t n) {
  /* the values arrive in input order: sort a copy (insertion sort keeps this file libc-free) */
  uint64_t *v = (uint64_t *)vals;
  int64_t i, j;
  for (i = 1; i < n; i++) {
    uint64_t x = v[i];
    for (j = i - 1; j >= 0 && v[j] > x; j--) v[j + 1] = v[j];
    v[j + 1] = x;
  }
  if (n % 2 == 1) return (double)v[n / 2];
  return ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2.0;
}

/* ARROYO_UDAF none_udf(BIGINT UNSIGNED) -> DOUBLE NULLABLE */
double none_udf(const uint64_t *vals, int64_t n, uint8_t *is_null) {
  (void)vals; (void)n;
  *is_null = 1;
  return 0;
}

/* ARROYO_UDAF max_product(BIGINT UNSIGNED, BIGINT UNSIGNED) -> BIGINT UNSIGNED */
uint64_t max_product(const uint64_t *a, const uint64_t *b, int64_t n) {
  uint64_t best = 0;
  int64_t i;
  for (i = 0; i < n; i++) if (a[i] * b[i] > best) best = a[i] * b[i];
  return best;
}
