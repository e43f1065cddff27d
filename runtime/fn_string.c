/*
** runtime/fn_string.c: SQL string functions (lower, upper, initcap, reverse, char_length,
** substr, concat, trim, replace, starts_with, ends_with, strpos, split_part, lpad/rpad, repeat,
** left, right, ascii, chr, to_hex, md5, LIKE/ILIKE) and the byte hash behind rt->hash_bytes.
**
** Semantics follow DataFusion and PostgreSQL: positions and lengths count UTF-8 characters
** (code points), not bytes. Inputs are assumed to be valid UTF-8 (RT_TEXT's invariant); malformed
** bytes never cause reads out of bounds, each one just counts as one character.
** Results are slices of the argument where possible (substr, trim, left, split_part, lower of
** an already lower-case string, ...) and otherwise allocated in the per-batch scratch arena.
** Case mapping is a built-in simple (1:1) table, never the C library's locale (see
** fn_cp_lower); full Unicode special casing is not implemented except upper('ß') = 'SS' and
** the Greek final sigma in lower(), which DataFusion (Rust's str::to_lowercase) has.
** Regular expressions are in fn_regex.c.
*/
#include <string.h>
#include "fn.h"

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

static inline uint64_t load64(const void *p) { uint64_t w; memcpy(&w, p, 8); return w; }
static inline void store64(void *p, uint64_t w) { memcpy(p, &w, 8); }

/* Number of code points in p[0..n): bytes that are not continuation bytes (10xxxxxx). */
static int64_t utf8_count(const char *p, int64_t n) {
  int64_t i = 0, cont = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w = load64(p + i);
    if (w & HIGHS) cont += __builtin_popcountll(w & ~(w << 1) & HIGHS);
  }
  for (; i < n; i++) cont += ((unsigned char)p[i] & 0xC0) == 0x80;
  return n - cont;
}

/* Advance k code points from p (not past e). */
static const char *utf8_skip(const char *p, const char *e, int64_t k) {
  while (k > 0 && p < e) {
    if (k >= 8 && e - p >= 8 && !(load64(p) & HIGHS)) { p += 8; k -= 8; continue; }
    p += fn_utf8_len((unsigned char)*p);
    k--;
  }
  return p < e ? p : e;
}

/* Step back k code points from e (not before b). */
static const char *utf8_back(const char *b, const char *e, int64_t k) {
  while (k > 0 && e > b) {
    e--;
    while (e > b && ((unsigned char)*e & 0xC0) == 0x80) e--;
    k--;
  }
  return e;
}

static RtStr slice(const char *p, const char *e) { return rt_str(p, e - p); }

static const char *end_of(RtStr s) { return s.ptr + s.len; }

/* ---- case mapping ------------------------------------------------------------------------ */

/* Upper -> lower ranges. alt == 0: every code point in [lo, hi] maps to cp + delta.
** alt == 1: lo, lo+2, ..., hi are upper case and map to cp + 1 (Latin Extended pairs).
** The reverse direction (upper()) uses the same table backwards. Every mapping keeps or
** shrinks the UTF-8 length, so lower/upper can size their output as the input. */
typedef struct CaseRange {
  uint32_t lo, hi;   /* upper-case code points */
  int32_t delta;     /* lower = upper + delta */
  uint8_t alt;       /* alternating upper/lower pairs */
} CaseRange;

static const CaseRange case_ranges[] = {
  {0xC0, 0xD6, 32, 0},      {0xD8, 0xDE, 32, 0},       {0x100, 0x12E, 1, 1},
  {0x132, 0x136, 1, 1},     {0x139, 0x147, 1, 1},      {0x14A, 0x176, 1, 1},
  {0x178, 0x178, -121, 0},  {0x179, 0x17D, 1, 1},      {0x1CD, 0x1DB, 1, 1},
  {0x1DE, 0x1EE, 1, 1},     {0x1F8, 0x21E, 1, 1},      {0x222, 0x232, 1, 1},
  {0x246, 0x24E, 1, 1},     {0x386, 0x386, 38, 0},     {0x388, 0x38A, 37, 0},
  {0x38C, 0x38C, 64, 0},    {0x38E, 0x38F, 63, 0},     {0x391, 0x3A1, 32, 0},
  {0x3A3, 0x3AB, 32, 0},    {0x3D8, 0x3EE, 1, 1},      {0x400, 0x40F, 80, 0},
  {0x410, 0x42F, 32, 0},    {0x460, 0x480, 1, 1},      {0x48A, 0x4BE, 1, 1},
  {0x4C0, 0x4C0, 15, 0},    {0x4C1, 0x4CD, 1, 1},      {0x4D0, 0x52E, 1, 1},
  {0x531, 0x556, 48, 0},    {0x10A0, 0x10C5, 7264, 0}, {0x1E00, 0x1E94, 1, 1},
  {0x1EA0, 0x1EFE, 1, 1},   {0x2160, 0x216F, 16, 0},   {0x24B6, 0x24CF, 26, 0},
  {0xFF21, 0xFF3A, 32, 0},  {0x10400, 0x10427, 40, 0},
};
#define NCASE (sizeof case_ranges / sizeof *case_ranges)

uint32_t fn_cp_lower(uint32_t cp) {
  if (cp < 0x80) return fn_ascii_lower((unsigned char)cp);
  if (cp < 0xC0) return cp;
  if (cp == 0x130) return 'i';            /* İ: simple mapping (full mapping adds U+0307) */
  if (cp == 0x1E9E) return 0xDF;          /* ẞ -> ß */
  for (size_t i = 0; i < NCASE; i++) {
    const CaseRange *r = &case_ranges[i];
    if (cp < r->lo) break;                /* table is sorted by lo */
    if (cp > r->hi) continue;
    if (!r->alt) return (uint32_t)((int32_t)cp + r->delta);
    return ((cp - r->lo) & 1) ? cp : cp + 1;
  }
  return cp;
}

uint32_t fn_cp_upper(uint32_t cp) {
  if (cp < 0x80) return cp >= 'a' && cp <= 'z' ? cp - 32 : cp;
  switch (cp) {                           /* lower-case letters outside the ranges' images */
  case 0xB5: return 0x39C;                /* µ -> Μ */
  case 0x131: return 'I';                 /* dotless ı */
  case 0x17F: return 'S';                 /* long s */
  case 0x3C2: return 0x3A3;               /* final sigma */
  }
  if (cp < 0xE0) return cp;
  for (size_t i = 0; i < NCASE; i++) {
    const CaseRange *r = &case_ranges[i];
    if (r->alt) {
      if (cp > r->lo && cp <= r->hi + 1 && ((cp - r->lo) & 1)) return cp - 1;
    } else {
      uint32_t lo = (uint32_t)((int32_t)r->lo + r->delta), hi = (uint32_t)((int32_t)r->hi + r->delta);
      if (cp >= lo && cp <= hi) return (uint32_t)((int32_t)cp - r->delta);
    }
  }
  return cp;
}

static int is_cased(uint32_t cp) { return fn_cp_lower(cp) != cp || fn_cp_upper(cp) != cp; }

/* Greek capital sigma lowers to final sigma (ς) at the end of a word: preceded by a cased
** letter and not followed by one (Unicode's Final_Sigma, without case-ignorable skipping). */
static uint32_t lower_sigma(const char *b, const char *at, const char *next, const char *e) {
  int n;
  const char *prev = utf8_back(b, at, 1);
  if (prev == at) return 0x3C3;
  if (!is_cased(fn_utf8_decode((const unsigned char *)prev, (const unsigned char *)at, &n)))
    return 0x3C3;
  if (next < e && is_cased(fn_utf8_decode((const unsigned char *)next, (const unsigned char *)e, &n)))
    return 0x3C3;
  return 0x3C2;
}

/* Per-byte mask (0x80 in each byte) of ASCII letters in [lo_ch, hi_ch]; w must be all ASCII.
** Adding (0x80 - c) to a byte below 0x80 sets its high bit iff byte >= c, with no carries. */
static inline uint64_t ascii_range_mask(uint64_t w, unsigned char lo_ch, unsigned char hi_ch) {
  uint64_t ge_lo = w + ONES * (0x80 - lo_ch);
  uint64_t gt_hi = w + ONES * (0x80 - hi_ch - 1);
  return ge_lo & ~gt_hi & HIGHS;
}

/* Shared body of lower() and upper(). Returns the argument itself when nothing changes. */
static int change_case(RtCtx *ctx, RtStr s, int to_upper, RtStr *out) {
  const char *p = s.ptr, *e = end_of(s);
  unsigned char lo_ch = to_upper ? 'a' : 'A', hi_ch = to_upper ? 'z' : 'Z';
  int64_t i = 0;
  /* find the first byte that may change */
  for (; i + 8 <= s.len; i += 8) {
    uint64_t w = load64(p + i);
    if ((w & HIGHS) || ascii_range_mask(w, lo_ch, hi_ch)) break;
  }
  for (; i < s.len; i++) {
    unsigned char c = (unsigned char)p[i];
    if (c >= 0x80 || (c >= lo_ch && c <= hi_ch)) break;
  }
  if (i == s.len) { *out = s; return RT_OK; }
  char *d = rt_alloc(ctx, s.len), *o = d + i;
  memcpy(d, p, (size_t)i);
  const char *q = p + i;
  while (q < e) {
    if (e - q >= 8) {
      uint64_t w = load64(q);
      if (!(w & HIGHS)) {
        store64(o, w ^ (ascii_range_mask(w, lo_ch, hi_ch) >> 2));   /* flip bit 0x20 */
        q += 8; o += 8;
        continue;
      }
    }
    unsigned char c = (unsigned char)*q;
    if (c < 0x80) {
      *o++ = (char)(c >= lo_ch && c <= hi_ch ? c ^ 0x20 : c);
      q++;
      continue;
    }
    int n;
    uint32_t cp = fn_utf8_decode((const unsigned char *)q, (const unsigned char *)e, &n), m;
    if (to_upper && cp == 0xDF) { o[0] = 'S'; o[1] = 'S'; o += 2; q += n; continue; }  /* ß */
    if (!to_upper && cp == 0x3A3) m = lower_sigma(p, q, q + n, e);
    else m = to_upper ? fn_cp_upper(cp) : fn_cp_lower(cp);
    if (m == cp) { memcpy(o, q, (size_t)n); o += n; }     /* keeps malformed bytes as they were */
    else o += fn_utf8_encode(m, o);
    q += n;
  }
  *out = rt_str(d, o - d);
  return RT_OK;
}

int fn_lower(RtCtx *ctx, RtStr s, RtStr *out) { return change_case(ctx, s, 0, out); }
int fn_upper(RtCtx *ctx, RtStr s, RtStr *out) { return change_case(ctx, s, 1, out); }

/* Letters and digits for initcap's word boundaries: ASCII alphanumerics, and non-ASCII code
** points except the common punctuation, symbol and space blocks (an approximation of
** Unicode's Alphabetic|Numeric that needs no tables). */
static int is_word_cp(uint32_t cp) {
  if (cp < 0x80) return (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
  if (cp < 0xC0) return cp == 0xAA || cp == 0xB5 || cp == 0xBA || cp == 0xB2 || cp == 0xB3 || cp == 0xB9;
  if (cp == 0xD7 || cp == 0xF7) return 0;
  if (cp >= 0x2000 && cp <= 0x2BFF) return 0;        /* punctuation, symbols, arrows, math */
  if (cp >= 0x3000 && cp <= 0x303F) return 0;        /* CJK symbols and punctuation */
  if (cp >= 0xFE30 && cp <= 0xFE4F) return 0;
  if (cp >= 0xFF00 && cp <= 0xFF0F) return 0;        /* fullwidth punctuation */
  if (cp >= 0xFF1A && cp <= 0xFF20) return 0;
  if (cp >= 0xFF3B && cp <= 0xFF40) return 0;
  if (cp >= 0xFF5B && cp <= 0xFF65) return 0;
  if (cp >= 0x1F000 && cp <= 0x1FAFF) return 0;      /* emoji and pictographs */
  return 1;
}

/* initcap: the first letter of each word upper case, the rest lower case; a word is a run
** of letters/digits (DataFusion: c.is_alphanumeric()). */
int fn_initcap(RtCtx *ctx, RtStr s, RtStr *out) {
  const char *q = s.ptr, *e = end_of(s);
  char *d = rt_alloc(ctx, s.len), *o = d;
  int in_word = 0;
  while (q < e) {
    unsigned char c = (unsigned char)*q;
    if (c < 0x80) {
      int w = is_word_cp(c);
      if (w) c = in_word ? fn_ascii_lower(c) : (unsigned char)(c >= 'a' && c <= 'z' ? c - 32 : c);
      *o++ = (char)c;
      in_word = w;
      q++;
      continue;
    }
    int n;
    uint32_t cp = fn_utf8_decode((const unsigned char *)q, (const unsigned char *)e, &n);
    uint32_t m = in_word ? (cp == 0x3A3 ? lower_sigma(s.ptr, q, q + n, e) : fn_cp_lower(cp))
                         : fn_cp_upper(cp);
    if (m == cp) { memcpy(o, q, (size_t)n); o += n; } else o += fn_utf8_encode(m, o);
    in_word = is_word_cp(cp);
    q += n;
  }
  *out = rt_str(d, o - d);
  return RT_OK;
}

/* reverse: by code point (DataFusion reverses chars; combining marks are not kept together). */
int fn_reverse(RtCtx *ctx, RtStr s, RtStr *out) {
  const char *q = s.ptr, *e = end_of(s);
  char *d = rt_alloc(ctx, s.len), *o = d + s.len;
  while (q < e) {
    int n = fn_utf8_len((unsigned char)*q);
    if (n > e - q) n = (int)(e - q);
    o -= n;
    memcpy(o, q, (size_t)n);
    q += n;
  }
  *out = rt_str(d, s.len);
  return RT_OK;
}

int fn_char_length(RtCtx *ctx, RtStr s, int64_t *out) {
  *out = utf8_count(s.ptr, s.len);
  return RT_OK;
}

/* substr(s, start [, len]), PostgreSQL semantics: the result is the characters at positions
** [start, start + len) intersected with [1, char_length]. A start before 1 still "uses up"
** length for the positions before the string: substr('abc', 0, 2) = 'a', substr('abc', -1, 3)
** = 'a'. A negative len is an error, as in PostgreSQL and DataFusion. */
int fn_substr(RtCtx *ctx, RtStr s, int64_t start, int64_t len, int has_len, RtStr *out) {
  const char *e = end_of(s), *b;
  if (!has_len) {
    b = start > 1 ? utf8_skip(s.ptr, e, start - 1) : s.ptr;
    *out = slice(b, e);
    return RT_OK;
  }
  if (len < 0)
    return rt_error(ctx, NULL, "substr: negative substring length not allowed: %lld", (long long)len);
  int64_t stop;                                  /* exclusive end position, saturating */
  if (rt_add_i64(start, len, &stop)) stop = INT64_MAX;
  if (start < 1) start = 1;
  if (stop <= start) { *out = rt_str(s.ptr, 0); return RT_OK; }
  b = utf8_skip(s.ptr, e, start - 1);
  *out = slice(b, utf8_skip(b, e, stop - start));
  return RT_OK;
}

int fn_concat(RtCtx *ctx, const RtStr *args, const uint8_t *nulls, int n, RtStr *out) {
  int64_t total = 0;
  for (int i = 0; i < n; i++) if (!(nulls && nulls[i])) total += args[i].len;
  char *d = rt_alloc(ctx, total), *o = d;
  for (int i = 0; i < n; i++) {
    if ((nulls && nulls[i]) || args[i].len == 0) continue;
    memcpy(o, args[i].ptr, (size_t)args[i].len);
    o += args[i].len;
  }
  *out = rt_str(d, total);
  return RT_OK;
}

/* Characters to strip: ASCII ones in a bitmap, others compared by code point. */
typedef struct CharSet {
  uint8_t ascii[16];     /* bit per ASCII code */
  RtStr rest;            /* the whole set text when it has non-ASCII characters, else empty */
} CharSet;

static void charset_init(CharSet *cs, RtStr chars) {
  memset(cs, 0, sizeof *cs);
  for (int64_t i = 0; i < chars.len; i++) {
    unsigned char c = (unsigned char)chars.ptr[i];
    if (c < 0x80) cs->ascii[c >> 3] |= (uint8_t)(1u << (c & 7));
    else cs->rest = chars;
  }
}

static int charset_has(const CharSet *cs, const char *q, const char *e, int *n) {
  unsigned char c = (unsigned char)*q;
  if (c < 0x80) { *n = 1; return (cs->ascii[c >> 3] >> (c & 7)) & 1; }
  uint32_t cp = fn_utf8_decode((const unsigned char *)q, (const unsigned char *)e, n);
  const char *r = cs->rest.ptr, *re = end_of(cs->rest);
  while (r < re) {
    int k;
    if (fn_utf8_decode((const unsigned char *)r, (const unsigned char *)re, &k) == cp) return 1;
    r += k;
  }
  return 0;
}

int fn_trim(RtCtx *ctx, RtStr s, RtStr chars, int has_chars, int where, RtStr *out) {
  const char *b = s.ptr, *e = end_of(s);
  if (!has_chars) {                               /* default: spaces only (not tabs/newlines) */
    if (where != 2) while (b < e && *b == ' ') b++;
    if (where != 1) while (e > b && e[-1] == ' ') e--;
    *out = slice(b, e);
    return RT_OK;
  }
  CharSet cs;
  charset_init(&cs, chars);
  int n;
  if (where != 2) while (b < e && charset_has(&cs, b, e, &n)) b += n;
  if (where != 1) {
    while (e > b) {
      const char *c = utf8_back(b, e, 1);
      if (!charset_has(&cs, c, e, &n)) break;
      e = c;
    }
  }
  *out = slice(b, e);
  return RT_OK;
}

/* replace(s, from, to): every non-overlapping occurrence, left to right. An empty `from`
** leaves s unchanged (PostgreSQL; DataFusion/Rust would insert `to` between all chars). */
int fn_replace(RtCtx *ctx, RtStr s, RtStr from, RtStr to, RtStr *out) {
  const char *e = end_of(s), *q;
  int64_t count = 0;
  if (from.len == 0 || from.len > s.len) { *out = s; return RT_OK; }
  for (q = s.ptr; (q = memmem(q, (size_t)(e - q), from.ptr, (size_t)from.len)); q += from.len) count++;
  if (count == 0) { *out = s; return RT_OK; }
  int64_t total = s.len + count * (to.len - from.len);
  char *d = rt_alloc(ctx, total), *o = d;
  const char *p = s.ptr;
  while ((q = memmem(p, (size_t)(e - p), from.ptr, (size_t)from.len))) {
    memcpy(o, p, (size_t)(q - p)); o += q - p;
    if (to.len) { memcpy(o, to.ptr, (size_t)to.len); o += to.len; }
    p = q + from.len;
  }
  memcpy(o, p, (size_t)(e - p));
  *out = rt_str(d, total);
  return RT_OK;
}

int fn_starts_with(RtCtx *ctx, RtStr s, RtStr prefix, uint8_t *out) {
  *out = prefix.len <= s.len && (prefix.len == 0 || memcmp(s.ptr, prefix.ptr, (size_t)prefix.len) == 0);
  return RT_OK;
}

int fn_ends_with(RtCtx *ctx, RtStr s, RtStr suffix, uint8_t *out) {
  *out = suffix.len <= s.len &&
         (suffix.len == 0 || memcmp(end_of(s) - suffix.len, suffix.ptr, (size_t)suffix.len) == 0);
  return RT_OK;
}

/* strpos(s, sub): 1-based character position of the first occurrence, 0 if absent; an empty
** sub is found at position 1. */
int fn_strpos(RtCtx *ctx, RtStr s, RtStr sub, int64_t *out) {
  if (sub.len == 0) { *out = 1; return RT_OK; }
  const char *q = sub.len > s.len ? NULL : memmem(s.ptr, (size_t)s.len, sub.ptr, (size_t)sub.len);
  *out = q ? utf8_count(s.ptr, q - s.ptr) + 1 : 0;
  return RT_OK;
}

/* split_part(s, delim, n): the n-th field (1-based); n < 0 counts from the end (PostgreSQL
** 14). Fields are found left to right, so overlapping delimiters split as PostgreSQL does.
** Out of range gives ''; an empty delimiter makes the whole string the only field; n = 0 is
** an error. */
int fn_split_part(RtCtx *ctx, RtStr s, RtStr delim, int64_t n, RtStr *out) {
  const char *e = end_of(s), *p = s.ptr, *q;
  if (n == 0) return rt_error(ctx, NULL, "split_part: field position must not be zero");
  if (s.len == 0) { *out = s; return RT_OK; }
  if (delim.len == 0) { *out = (n == 1 || n == -1) ? s : rt_str(s.ptr, 0); return RT_OK; }
  if (n < 0) {                                   /* count fields, then index from the front */
    int64_t fields = 1;
    for (q = p; (q = memmem(q, (size_t)(e - q), delim.ptr, (size_t)delim.len)); q += delim.len) fields++;
    if (n < -fields) { *out = rt_str(s.ptr, 0); return RT_OK; }
    n = fields + n + 1;
  }
  for (int64_t field = 1;; field++) {
    q = memmem(p, (size_t)(e - p), delim.ptr, (size_t)delim.len);
    if (field == n) { *out = slice(p, q ? q : e); return RT_OK; }
    if (!q) { *out = rt_str(s.ptr, 0); return RT_OK; }
    p = q + delim.len;
  }
}

#define FN_MAX_RESULT ((int64_t)1 << 30)   /* bigger results are an error (PostgreSQL: 1 GB) */

/* lpad/rpad(s, n, fill): a result of exactly n characters. A string longer than n is cut to
** its first n characters (on both sides, as PostgreSQL and DataFusion do); n <= 0 gives '';
** an empty fill cannot pad, so s is returned (cut to n). */
int fn_pad(RtCtx *ctx, RtStr s, int64_t n, RtStr fill, int has_fill, int left, RtStr *out) {
  if (!has_fill) fill = rt_str(" ", 1);
  if (n <= 0) { *out = rt_str(s.ptr, 0); return RT_OK; }
  int64_t slen = utf8_count(s.ptr, s.len);
  if (slen >= n) { *out = slice(s.ptr, utf8_skip(s.ptr, end_of(s), n)); return RT_OK; }
  int64_t need = n - slen, fchars = utf8_count(fill.ptr, fill.len);
  if (fchars == 0) { *out = s; return RT_OK; }    /* empty fill (or only stray continuation bytes) */
  int64_t whole = need / fchars, part = need % fchars;
  const char *part_end = utf8_skip(fill.ptr, end_of(fill), part);
  if (whole > FN_MAX_RESULT / fill.len)
    return rt_error(ctx, NULL, "%s: requested length too large: %lld", left ? "lpad" : "rpad", (long long)n);
  int64_t padbytes = whole * fill.len + (part_end - fill.ptr);
  if (padbytes + s.len > FN_MAX_RESULT)
    return rt_error(ctx, NULL, "%s: requested length too large: %lld", left ? "lpad" : "rpad", (long long)n);
  char *d = rt_alloc(ctx, padbytes + s.len), *o = d;
  if (!left) { memcpy(o, s.ptr, (size_t)s.len); o += s.len; }
  for (int64_t i = 0; i < whole; i++) { memcpy(o, fill.ptr, (size_t)fill.len); o += fill.len; }
  memcpy(o, fill.ptr, (size_t)(part_end - fill.ptr)); o += part_end - fill.ptr;
  if (left && s.len) { memcpy(o, s.ptr, (size_t)s.len); o += s.len; }
  *out = rt_str(d, o - d);
  return RT_OK;
}

int fn_repeat(RtCtx *ctx, RtStr s, int64_t n, RtStr *out) {
  if (n <= 0 || s.len == 0) { *out = rt_str(s.ptr, 0); return RT_OK; }
  if (n > FN_MAX_RESULT / s.len)
    return rt_error(ctx, NULL, "repeat: requested length too large: %lld copies of %lld bytes",
                    (long long)n, (long long)s.len);
  int64_t total = n * s.len, have = s.len;
  char *d = rt_alloc(ctx, total);
  memcpy(d, s.ptr, (size_t)s.len);
  while (have < total) {                         /* double the filled prefix */
    int64_t k = have < total - have ? have : total - have;
    memcpy(d + have, d, (size_t)k);
    have += k;
  }
  *out = rt_str(d, total);
  return RT_OK;
}

/* left(s, n): first n characters; n < 0: all but the last -n. */
int fn_left(RtCtx *ctx, RtStr s, int64_t n, RtStr *out) {
  const char *e = end_of(s);
  if (n >= 0) *out = slice(s.ptr, utf8_skip(s.ptr, e, n));
  else *out = slice(s.ptr, utf8_back(s.ptr, e, n == INT64_MIN ? INT64_MAX : -n));
  return RT_OK;
}

/* right(s, n): last n characters; n < 0: all but the first -n. */
int fn_right(RtCtx *ctx, RtStr s, int64_t n, RtStr *out) {
  const char *e = end_of(s);
  if (n >= 0) *out = slice(utf8_back(s.ptr, e, n), e);
  else *out = slice(utf8_skip(s.ptr, e, n == INT64_MIN ? INT64_MAX : -n), e);
  return RT_OK;
}

/* ascii(s): code point of the first character; 0 for ''. */
int fn_ascii(RtCtx *ctx, RtStr s, int32_t *out) {
  int n;
  *out = s.len ? (int32_t)fn_utf8_decode((const unsigned char *)s.ptr, (const unsigned char *)end_of(s), &n) : 0;
  return RT_OK;
}

int fn_chr(RtCtx *ctx, int64_t code, RtStr *out) {
  if (code == 0) return rt_error(ctx, NULL, "chr: null character not permitted");
  if (code < 0 || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
    return rt_error(ctx, NULL, "chr: requested character not valid for encoding: %lld", (long long)code);
  char *d = rt_alloc(ctx, 4);
  *out = rt_str(d, fn_utf8_encode((uint32_t)code, d));
  return RT_OK;
}

static const char hexdig[] = "0123456789abcdef";

/* to_hex(v): lower-case hex of v as an unsigned 64-bit value (to_hex(-1) = 'ffffffffffffffff',
** as DataFusion and PostgreSQL's bigint version do). */
int fn_to_hex(RtCtx *ctx, int64_t v, RtStr *out) {
  char buf[16];
  uint64_t u = (uint64_t)v;
  int n = 16;
  do { buf[--n] = hexdig[u & 15]; u >>= 4; } while (u);
  char *d = rt_alloc(ctx, 16 - n);
  memcpy(d, buf + n, (size_t)(16 - n));
  *out = rt_str(d, 16 - n);
  return RT_OK;
}

/* ---- md5 (RFC 1321) ------------------------------------------------------------------------ */

static const uint32_t md5_k[64] = {
  0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
  0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
  0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
  0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
  0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
  0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
  0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
  0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};
static const uint8_t md5_r[64] = {
  7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20,
  5, 9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
  6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
};

static inline uint32_t rotl32(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }

/* One 64-byte block. The four rounds are separate, unrolled loops (constant shifts and word
** indexes, no per-step branch on the round);
** each step computes b + rotl(a + f(b,c,d) + m[g] + k[i], r[i]) and rotates the registers. */
static void md5_block(uint32_t h[4], const unsigned char *blk) {
  uint32_t m[16], a = h[0], b = h[1], c = h[2], d = h[3], t;
  for (int i = 0; i < 16; i++)        /* little-endian words, independent of host order */
    m[i] = (uint32_t)blk[4 * i] | (uint32_t)blk[4 * i + 1] << 8 | (uint32_t)blk[4 * i + 2] << 16 |
           (uint32_t)blk[4 * i + 3] << 24;
#define MD5_STEP(fexpr, g, i) \
  t = a + (fexpr) + m[g] + md5_k[i]; a = d; d = c; c = b; b = b + rotl32(t, md5_r[i]);
  _Pragma("GCC unroll 16")
  for (int i = 0; i < 16; i++) { MD5_STEP((b & c) | (~b & d), i, i) }
  _Pragma("GCC unroll 16")
  for (int i = 16; i < 32; i++) { MD5_STEP((d & b) | (~d & c), (5 * i + 1) & 15, i) }
  _Pragma("GCC unroll 16")
  for (int i = 32; i < 48; i++) { MD5_STEP(b ^ c ^ d, (3 * i + 5) & 15, i) }
  _Pragma("GCC unroll 16")
  for (int i = 48; i < 64; i++) { MD5_STEP(c ^ (b | ~d), (7 * i) & 15, i) }
#undef MD5_STEP
  h[0] += a; h[1] += b; h[2] += c; h[3] += d;
}

int fn_md5(RtCtx *ctx, RtStr s, RtStr *out) {
  uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  const unsigned char *p = (const unsigned char *)s.ptr;
  int64_t n = s.len, i;
  unsigned char tail[128];
  for (i = 0; i + 64 <= n; i += 64) md5_block(h, p + i);
  int64_t rest = n - i;
  memset(tail, 0, sizeof tail);
  if (rest) memcpy(tail, p + i, (size_t)rest);
  tail[rest] = 0x80;                              /* padding: 1 bit, zeros, 64-bit bit length */
  int tlen = rest < 56 ? 64 : 128;
  uint64_t bits = (uint64_t)n * 8;
  for (int k = 0; k < 8; k++) tail[tlen - 8 + k] = (unsigned char)(bits >> (8 * k));
  md5_block(h, tail);
  if (tlen == 128) md5_block(h, tail + 64);
  char *d = rt_alloc(ctx, 32);
  for (int w = 0; w < 4; w++)
    for (int k = 0; k < 4; k++) {
      unsigned byte = (h[w] >> (8 * k)) & 0xFF;
      d[w * 8 + k * 2] = hexdig[byte >> 4];
      d[w * 8 + k * 2 + 1] = hexdig[byte & 15];
    }
  *out = rt_str(d, 32);
  return RT_OK;
}

/* ---- hash_bytes ----------------------------------------------------------------------------- */

/* A 64-bit hash for hash tables and shuffles (not for security): 16-byte blocks are mixed by a
** folded 64x64->128 multiply. Deterministic across runs and hosts (little-endian loads are
** made explicit), so key hashes can be stored in checkpoints. */
static inline uint64_t fold_mul(uint64_t a, uint64_t b) {
  unsigned __int128 r = (unsigned __int128)a * b;
  return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t load64_le(const unsigned char *p) {
  return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
         (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

uint64_t fn_hash_bytes(const void *data, int64_t n, uint64_t seed) {
  const uint64_t k0 = 0xa0761d6478bd642full, k1 = 0xe7037ed1a0b428dbull, k2 = 0x8ebc6af09c88c6e3ull;
  const unsigned char *p = data;
  uint64_t h = seed ^ k0, a, b;
  int64_t i = 0;
  if (n < 0) n = 0;
  for (; i + 16 <= n; i += 16) h = fold_mul(load64_le(p + i) ^ k1, load64_le(p + i + 8) ^ h);
  a = b = 0;
  for (int64_t j = 0; i + j < n; j++) {          /* 0..15 tail bytes */
    if (j < 8) a |= (uint64_t)p[i + j] << (8 * j);
    else b |= (uint64_t)p[i + j] << (8 * (j - 8));
  }
  h = fold_mul(a ^ k1 ^ h, b ^ k2);
  return fold_mul(h ^ (uint64_t)n, k0 ^ k2);
}

/* ---- LIKE / ILIKE ---------------------------------------------------------------------------- */

/* Compare one pattern literal character with one subject character. */
static inline int like_char_eq(const char *a, int an, const char *b, int bn, int ci) {
  if (an == 1 && bn == 1)
    return ci ? fn_ascii_lower((unsigned char)*a) == fn_ascii_lower((unsigned char)*b) : *a == *b;
  if (!ci) return an == bn && memcmp(a, b, (size_t)an) == 0;
  int x, y;
  uint32_t ca = fn_utf8_decode((const unsigned char *)a, (const unsigned char *)a + an, &x);
  uint32_t cb = fn_utf8_decode((const unsigned char *)b, (const unsigned char *)b + bn, &y);
  return fn_cp_lower(ca) == fn_cp_lower(cb);
}

static inline int char_len_at(const char *p, const char *e) {
  int n = fn_utf8_len((unsigned char)*p);
  return n > e - p ? (int)(e - p) : n;
}

/* Byte length of the escape character if p starts with it, else 0 (escape < 0: none). */
static inline int at_escape(const char *p, const char *pe, int escape) {
  if (escape < 0) return 0;
  if (escape < 0x80) return (unsigned char)*p == (unsigned)escape;
  int n;
  return fn_utf8_decode((const unsigned char *)p, (const unsigned char *)pe, &n) == (uint32_t)escape ? n : 0;
}

static int is_ascii(const char *p, int64_t n) {
  int64_t i = 0;
  uint64_t acc = 0;
  for (; i + 8 <= n; i += 8) acc |= load64(p + i);
  for (; i < n; i++) acc |= (unsigned char)p[i];
  return !(acc & HIGHS);
}

/* Byte comparison, ASCII case-folded when ci. */
static int bytes_eq(const char *a, const char *b, int64_t n, int ci) {
  if (!ci) return n == 0 || memcmp(a, b, (size_t)n) == 0;
  for (int64_t i = 0; i < n; i++)
    if (fn_ascii_lower((unsigned char)a[i]) != fn_ascii_lower((unsigned char)b[i])) return 0;
  return 1;
}

/* First occurrence of needle[0..k) in [q, e), ASCII case-folded when ci. */
static const char *bytes_find(const char *q, const char *e, const char *needle, int64_t k, int ci) {
  if (!ci) return memmem(q, (size_t)(e - q), needle, (size_t)k);
  unsigned char lo = fn_ascii_lower((unsigned char)needle[0]);
  for (; e - q >= k; q++)
    if (fn_ascii_lower((unsigned char)*q) == lo && bytes_eq(q + 1, needle + 1, k - 1, 1)) return q;
  return NULL;
}

/* Patterns made of literal runs and '%' only: greedy leftmost search of each run is exact (no
** backtracking needed). ci folds ASCII case; the caller uses it only when pattern and subject
** are ASCII, where that equals the code point folding of the general matcher. */
static int like_percent_only(RtStr s, RtStr pat, int ci) {
  const char *p = pat.ptr, *pe = end_of(pat), *q = s.ptr, *e = end_of(s);
  const char *run = p;
  while (run < pe && *run != '%') run++;
  int64_t k = run - p;                           /* leading run must be a prefix */
  if (run == pe) return s.len == pat.len && bytes_eq(s.ptr, pat.ptr, k, ci);
  if (k > s.len || !bytes_eq(q, p, k, ci)) return 0;
  q += k;
  p = run;
  for (;;) {
    while (p < pe && *p == '%') p++;
    if (p == pe) return 1;                       /* trailing '%' matches the rest */
    run = p;
    while (run < pe && *run != '%') run++;
    k = run - p;
    if (run == pe) return e - q >= k && bytes_eq(e - k, p, k, ci);   /* last run: a suffix */
    const char *f = bytes_find(q, e, p, k, ci);
    if (!f) return 0;
    q = f + k;
    p = run;
  }
}

/* s LIKE pattern [ESCAPE c]: '%' any run of characters, '_' one character; with an escape
** character, it makes the next pattern character literal. ILIKE (ci) folds case by code point.
** A pattern ending in the escape character is an error (PostgreSQL). */
int fn_like(RtCtx *ctx, RtStr s, RtStr pattern, int escape, int ci, uint8_t *out) {
  const char *pb = pattern.ptr, *pe = end_of(pattern), *sb = s.ptr, *se = end_of(s);
  int simple = 1;                                /* only literals and '%' */
  for (const char *p = pb; p < pe; p++) {
    int en = at_escape(p, pe, escape);
    if (en) {
      if (p + en == pe)
        return rt_error(ctx, NULL, "LIKE pattern must not end with escape character: '%.*s'",
                        FN_QUOTE(pattern));
      simple = 0;
      p += en;                                   /* skip the escaped character's first byte */
    } else if (*p == '_') simple = 0;
  }
  if (simple && (!ci || (is_ascii(pb, pattern.len) && is_ascii(sb, s.len)))) {
    *out = (uint8_t)like_percent_only(s, pattern, ci);
    return RT_OK;
  }

  /* Wildcard matching with one backtrack point: on mismatch, let the last '%' absorb one more
  ** character. This is complete for LIKE (a later '%' can absorb anything an earlier one
  ** could). Linear in practice, O(len(s) * len(pattern)) worst case. */
  const char *p = pb, *q = sb, *star_p = NULL, *star_q = NULL;
  int star_lit = -1;             /* ASCII literal byte that must follow the last '%', or -1 */
  while (q < se) {
    if (p < pe) {
      unsigned char c = (unsigned char)*p;
      int en = at_escape(p, pe, escape);
      if (en) {
        const char *lit = p + en;
        int ln = char_len_at(lit, pe), sn = char_len_at(q, se);
        if (like_char_eq(lit, ln, q, sn, ci)) { p = lit + ln; q += sn; continue; }
      } else if (c == '%') {
        while (p < pe && *p == '%') p++;
        star_p = p;
        star_q = q;
        star_lit = p < pe && (unsigned char)*p < 0x80 && *p != '_' && !at_escape(p, pe, escape) ? *p : -1;
        if (ci && (star_lit | 0x20) >= 'a' && (star_lit | 0x20) <= 'z') star_lit = -1;   /* two cases */
        continue;
      } else if (c == '_') {
        p++;
        q += char_len_at(q, se);
        continue;
      } else {
        int ln = char_len_at(p, pe), sn = char_len_at(q, se);
        if (like_char_eq(p, ln, q, sn, ci)) { p += ln; q += sn; continue; }
      }
    }
    if (!star_p) { *out = 0; return RT_OK; }
    star_q += char_len_at(star_q, se);
    if (star_lit >= 0) {       /* jump to the next place the literal after '%' can match */
      star_q = memchr(star_q, star_lit, (size_t)(se - star_q));
      if (!star_q) { *out = 0; return RT_OK; }
    }
    q = star_q;
    p = star_p;
  }
  while (p < pe && *p == '%') p++;
  *out = p == pe;
  return RT_OK;
}
