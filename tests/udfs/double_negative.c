/*
** tests/udfs/double_negative.c: the peer suite's scalar UDF double_negative(u64) -> i64 = -2*x.
**
** Passed to every test compile with --udf (see tests/peer/run_peer.py). The comment line below
** declares the SQL signature; the C function after it implements it (types: docs/udf.md).
** The result wraps modulo 2^64 for x >= 2^62, where the Rust original would overflow.
*/

/* ARROYO_UDF double_negative(BIGINT UNSIGNED) -> BIGINT */
int64_t double_negative(uint64_t x) {
  /* unsigned arithmetic wraps instead of overflowing a signed int (undefined behaviour) */
  return (int64_t)(0 - 2 * x);
}
