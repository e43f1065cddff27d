/* bench/nexmark/udf_count_char.c: Nexmark q14's count_char(text, char) UDF (Flink's CountChar):
 * how many times the first byte of c occurs in s. */
/* ARROYO_UDF count_char(TEXT, TEXT) -> BIGINT */
int64_t count_char(RtStr s, RtStr c) {
  if (c.len < 1) return 0;
  int64_t n = 0;
  for (int64_t i = 0; i < s.len; i++) n += s.ptr[i] == c.ptr[0];
  return n;
}
