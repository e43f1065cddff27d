/*
** runtime/fn.h: prototypes of the SQL scalar functions behind RtApi (fn_string.c, fn_regex.c,
** fn_math.c, fn_cast.c, fn_time.c, fn_json.c) and the small helpers they share.
**
** Only runtime/api.c (which fills the RtApi table) and the fn_*.c files include this header.
** Generated code never calls these by name: it goes through the table in abi.h, whose comments
** are the contract for each function. Conventions (from abi.h): RT_OK / RT_NULL / RT_ERR,
** strings returned are allocated with rt_alloc (per-batch scratch) or point into an argument.
**
** Where these functions knowingly differ from DataFusion (details in each file's comments):
**   replace(s, '', x) returns s (PostgreSQL), not x between every character (Rust);
**   lower/upper/initcap use a built-in simple case table (Latin, Greek, Cyrillic, Armenian,
**     fullwidth), not all of Unicode; upper('ß') = 'SS' and the final sigma are kept;
**   regexes are POSIX ERE underneath: leftmost-longest alternation, byte-wise '.', no lazy
**     quantifiers in regexp_replace, no look-around or \p{..} (errors, not silent changes);
**   CAST(text AS DECIMAL) rounds extra fractional digits half away from zero;
**   CAST(interval AS TEXT) of a zero interval is "0 secs" (Arrow prints an empty string);
**   round(x, d) returns x where DataFusion's x * 10^d would overflow to inf/NaN;
**   JSONPath results follow document order for objects (serde_json may sort keys).
*/
#ifndef ARROYO_FN_H
#define ARROYO_FN_H

#include "runtime.h"

/* ---- fn_string.c ------------------------------------------------------------------------ */
int fn_lower(RtCtx *ctx, RtStr s, RtStr *out);
int fn_upper(RtCtx *ctx, RtStr s, RtStr *out);
int fn_initcap(RtCtx *ctx, RtStr s, RtStr *out);
int fn_reverse(RtCtx *ctx, RtStr s, RtStr *out);
int fn_char_length(RtCtx *ctx, RtStr s, int64_t *out);
int fn_substr(RtCtx *ctx, RtStr s, int64_t start, int64_t len, int has_len, RtStr *out);
int fn_concat(RtCtx *ctx, const RtStr *args, const uint8_t *nulls, int n, RtStr *out);
int fn_trim(RtCtx *ctx, RtStr s, RtStr chars, int has_chars, int where, RtStr *out);
int fn_replace(RtCtx *ctx, RtStr s, RtStr from, RtStr to, RtStr *out);
int fn_starts_with(RtCtx *ctx, RtStr s, RtStr prefix, uint8_t *out);
int fn_ends_with(RtCtx *ctx, RtStr s, RtStr suffix, uint8_t *out);
int fn_strpos(RtCtx *ctx, RtStr s, RtStr sub, int64_t *out);
int fn_split_part(RtCtx *ctx, RtStr s, RtStr delim, int64_t n, RtStr *out);
int fn_pad(RtCtx *ctx, RtStr s, int64_t n, RtStr fill, int has_fill, int left, RtStr *out);
int fn_repeat(RtCtx *ctx, RtStr s, int64_t n, RtStr *out);
int fn_left(RtCtx *ctx, RtStr s, int64_t n, RtStr *out);
int fn_right(RtCtx *ctx, RtStr s, int64_t n, RtStr *out);
int fn_ascii(RtCtx *ctx, RtStr s, int32_t *out);
int fn_chr(RtCtx *ctx, int64_t code, RtStr *out);
int fn_to_hex(RtCtx *ctx, int64_t v, RtStr *out);
int fn_md5(RtCtx *ctx, RtStr s, RtStr *out);
int fn_like(RtCtx *ctx, RtStr s, RtStr pattern, int escape, int ci, uint8_t *out);
uint64_t fn_hash_bytes(const void *p, int64_t n, uint64_t seed);

/* Simple (one code point to one code point) case mapping used by lower/upper/ILIKE. Covers
** ASCII, Latin-1, Latin Extended-A and most of -B and Additional, Greek, Cyrillic, Armenian
** and fullwidth Latin; other code points map to themselves. */
uint32_t fn_cp_lower(uint32_t cp);
uint32_t fn_cp_upper(uint32_t cp);

/* ---- fn_regex.c ------------------------------------------------------------------------- */
int fn_regexp_like(RtCtx *ctx, RtStr s, RtStr pattern, RtStr flags, int has_flags, uint8_t *out);
int fn_regexp_replace(RtCtx *ctx, RtStr s, RtStr pattern, RtStr repl, RtStr flags, int has_flags,
                      RtStr *out);

/* ---- fn_math.c -------------------------------------------------------------------------- */
double m_round(double x, int64_t digits);

/* ---- fn_cast.c -------------------------------------------------------------------------- */
int cast_text_to_i64(RtCtx *ctx, RtStr s, int64_t *out);
int cast_text_to_u64(RtCtx *ctx, RtStr s, uint64_t *out);
int cast_text_to_f64(RtCtx *ctx, RtStr s, double *out);
int cast_text_to_bool(RtCtx *ctx, RtStr s, uint8_t *out);
int cast_text_to_timestamp(RtCtx *ctx, RtStr s, int64_t *out);
int cast_text_to_decimal(RtCtx *ctx, RtStr s, int scale, int64_t *out);
int cast_i64_to_text(RtCtx *ctx, int64_t v, RtStr *out);
int cast_u64_to_text(RtCtx *ctx, uint64_t v, RtStr *out);
int cast_f64_to_text(RtCtx *ctx, double v, RtStr *out);
int cast_f32_to_text(RtCtx *ctx, float v, RtStr *out);
int cast_bool_to_text(RtCtx *ctx, uint8_t v, RtStr *out);
int cast_timestamp_to_text(RtCtx *ctx, int64_t ns, RtStr *out);
int cast_decimal_to_text(RtCtx *ctx, int64_t v, int scale, RtStr *out);
int cast_interval_to_text(RtCtx *ctx, RtInterval v, RtStr *out);

/* Parse a decimal floating-point number: [+-] digits [. digits] [(e|E) [+-] digits], with at
** least one digit in the mantissa; nothing else (no spaces, no hex, no NaN/inf). Locale-free
** and correctly rounded. Returns 0 ok, -1 malformed. */
int fn_parse_f64(const char *p, size_t n, double *out);

/* ---- fn_time.c -------------------------------------------------------------------------- */
int fn_date_trunc(RtCtx *ctx, RtStr unit, int64_t ts, int64_t *out);
int fn_date_part(RtCtx *ctx, RtStr field, int64_t ts, double *out);
int fn_ts_add_interval(RtCtx *ctx, int64_t ts, RtInterval iv, int sign, int64_t *out);
int fn_to_timestamp_text(RtCtx *ctx, RtStr s, int64_t *out);
int fn_from_unixtime(RtCtx *ctx, RtStr fmt_unused, int64_t secs, int64_t *out);
int fn_to_char(RtCtx *ctx, int64_t ts, RtStr format, RtStr *out);

/* ---- fn_json.c -------------------------------------------------------------------------- */
#define FN_JSON_PATH_ARGS const RtStr *keys, const int64_t *idx, const uint8_t *is_index, int n
int fn_json_get(RtCtx *ctx, RtStr json, FN_JSON_PATH_ARGS, RtStr *out);
int fn_json_get_text(RtCtx *ctx, RtStr json, FN_JSON_PATH_ARGS, RtStr *out);
int fn_json_get_str(RtCtx *ctx, RtStr json, FN_JSON_PATH_ARGS, RtStr *out);
int fn_json_get_int(RtCtx *ctx, RtStr json, FN_JSON_PATH_ARGS, int64_t *out);
int fn_json_get_float(RtCtx *ctx, RtStr json, FN_JSON_PATH_ARGS, double *out);
int fn_json_get_bool(RtCtx *ctx, RtStr json, FN_JSON_PATH_ARGS, uint8_t *out);
int fn_json_length(RtCtx *ctx, RtStr json, FN_JSON_PATH_ARGS, int64_t *out);
int fn_json_contains(RtCtx *ctx, RtStr json, FN_JSON_PATH_ARGS, uint8_t *out);
int fn_extract_json_string(RtCtx *ctx, RtStr json, RtStr path, RtStr *out);
int fn_get_first_json_object(RtCtx *ctx, RtStr json, RtStr path, RtStr *out);

/* ---- shared helpers --------------------------------------------------------------------- */

/* Error messages quote values; long ones are cut to FN_QUOTE_MAX bytes:
** rt_error(ctx, NULL, "...'%.*s'...", FN_QUOTE(s)) */
#define FN_QUOTE_MAX 120
#define FN_QUOTE(s) (int)((s).len < FN_QUOTE_MAX ? (s).len : FN_QUOTE_MAX), ((s).ptr ? (s).ptr : "")

/* Byte length of the UTF-8 sequence whose lead byte is b (1 for stray continuation bytes and
** invalid lead bytes, so scanning always moves forward over malformed input). */
static inline int fn_utf8_len(unsigned char b) {
  return b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : b < 0xF8 ? 4 : 1;
}

/* Decode one code point at p (p < end). Sets *n to the bytes consumed (clamped to end). */
static inline uint32_t fn_utf8_decode(const unsigned char *p, const unsigned char *end, int *n) {
  unsigned char b = p[0];
  int k = fn_utf8_len(b), i;
  uint32_t cp;
  if (k == 1) { *n = 1; return b; }
  if (end - p < k) { *n = (int)(end - p); return 0xFFFD; }
  cp = b & (0x7F >> k);
  for (i = 1; i < k; i++) cp = (cp << 6) | (p[i] & 0x3F);
  *n = k;
  return cp;
}

/* Encode cp (<= 0x10FFFF) at p; returns bytes written (1..4). */
static inline int fn_utf8_encode(uint32_t cp, char *p) {
  if (cp < 0x80) { p[0] = (char)cp; return 1; }
  if (cp < 0x800) { p[0] = (char)(0xC0 | (cp >> 6)); p[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
  if (cp < 0x10000) {
    p[0] = (char)(0xE0 | (cp >> 12)); p[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    p[2] = (char)(0x80 | (cp & 0x3F)); return 3;
  }
  p[0] = (char)(0xF0 | (cp >> 18)); p[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  p[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); p[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

static inline unsigned char fn_ascii_lower(unsigned char c) {
  return (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
}

#endif /* ARROYO_FN_H */
