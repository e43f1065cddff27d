/*
** tests/udfs/async_double_negative.c: async_double_negative(u64) -> i64 = -2*x.
**
** Arroyo's peer suite defines this as an async Rust UDF (no peer query calls it). Here it is an
** ordinary synchronous C UDF under the async name, so a script using it plans and runs.
*/

/* ARROYO_UDF async_double_negative(BIGINT UNSIGNED) -> BIGINT */
int64_t async_double_negative(uint64_t x) {
  /* unsigned arithmetic wraps instead of overflowing a signed int (undefined behaviour) */
  return (int64_t)(0 - 2 * x);
}
