/*
** runtime/json_scan.c: the JSON scanner shared by the json and debezium_json codecs.
**
** Entry points (json_scan.h): js_string, js_number, js_num_f64, js_num_f32, js_decimal,
** js_skip, js_utf8_valid, js_escape, and the error helpers. There is no DOM: the decoder in
** codec_json.c calls these directly on the record bytes and stores values into row structs.
**
** Strings are scanned 16 bytes at a time (SSE2) for '"', '\\' and control characters; a
** string without escapes is returned as a pointer into the record. Numbers are parsed in one
** pass into (mantissa, exponent); to double they go by, in order:
**   1. Clinger's exact path: mantissa <= 2^53 and |exp10| <= 22, one multiply or divide;
**   2. a 128-bit power-of-five table and an interval test: the table entry is 5^q truncated
**      to 128 bits, so the true product mantissa x 5^q lies in [P, P + mantissa); when both
**      ends round to the same double, that double is the correctly rounded result (rounding
**      is monotonic). This is the idea behind the Eisel-Lemire algorithm, with the simplest
**      possible (and conservative) acceptance test;
**   3. strtod on a copy, for everything else (more than 19 digits, subnormals, ties).
** The table is computed once at first use from exact big-integer arithmetic (5^q by repeated
** multiplication, 2^1024 / 5^n by repeated exact division), so no constants are copied.
**
** It does NOT know about schemas, rows or options (codec_json.c does).
*/
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "json_scan.h"

/* ORDER RtType */
const char *const js_type_names[RT_TYPE_COUNT] = {
  "?", "BOOLEAN", "INT", "BIGINT", "INT UNSIGNED", "BIGINT UNSIGNED", "FLOAT", "DOUBLE",
  "DECIMAL", "TEXT", "TIMESTAMP", "BYTEA", "JSON" };

/* ---- errors ---------------------------------------------------------------------------- */

const char *js_syntax_error(JsIn *in, const char *at, const char *what) {
  if (in->errlen)
    snprintf(in->err, in->errlen, "malformed JSON at column %zu: %s",
             (size_t)(at - in->start) + 1, what);
  return NULL;
}

const char *js_field_error(JsIn *in, const char *field, const char *fmt, ...) {
  if (!in->errlen) return NULL;
  int n = snprintf(in->err, in->errlen, "field '%s': ", field);
  if (n >= 0 && (size_t)n < in->errlen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(in->err + n, in->errlen - (size_t)n, fmt, ap);
    va_end(ap);
  }
  return NULL;
}

void js_describe(JsIn *in, const char *p, char *buf, size_t buflen) {
  const char *end = in->end;
  if (p >= end) { snprintf(buf, buflen, "end of record"); return; }
  switch (*p) {
  case '"': {
    const char *q = p + 1;
    while (q < end && *q != '"') q += (*q == '\\' && q + 1 < end) ? 2 : 1;
    size_t n = (size_t)(q - p - 1);
    if (n > 40) snprintf(buf, buflen, "string \"%.40s...\"", p + 1);
    else snprintf(buf, buflen, "string \"%.*s\"", (int)n, p + 1);
    return;
  }
  case '{': snprintf(buf, buflen, "object"); return;
  case '[': snprintf(buf, buflen, "array"); return;
  case 't': snprintf(buf, buflen, "true"); return;
  case 'f': snprintf(buf, buflen, "false"); return;
  case 'n': snprintf(buf, buflen, "null"); return;
  default: {
    const char *q = p;
    while (q < end && q - p < 40 && (strchr("+-.eE", *q) || (*q >= '0' && *q <= '9'))) q++;
    snprintf(buf, buflen, "number %.*s", (int)(q - p), p);
  }
  }
}

/* ---- UTF-8 ----------------------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (n bytes available), 0 if invalid. Rejects
** overlong forms, surrogates and code points above U+10FFFF. */
static int utf8_seq(const unsigned char *s, size_t n) {
  unsigned c = s[0];
  if (c < 0x80) return 1;
  if (c < 0xC2) return 0;
  if (c < 0xE0) return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
  if (c < 0xF0) {
    if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && s[1] < 0xA0) return 0;         /* overlong */
    if (c == 0xED && s[1] >= 0xA0) return 0;        /* surrogate */
    return 3;
  }
  if (c < 0xF5) {
    if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
      return 0;
    if (c == 0xF0 && s[1] < 0x90) return 0;         /* overlong */
    if (c == 0xF4 && s[1] >= 0x90) return 0;        /* > U+10FFFF */
    return 4;
  }
  return 0;
}

int js_utf8_valid(const char *p, size_t n) {
  const unsigned char *s = (const unsigned char *)p;
  size_t i = 0;
  while (i < n) {
    if (s[i] < 0x80) { i++; continue; }
    int l = utf8_seq(s + i, n - i);
    if (!l) return 0;
    i += (size_t)l;
  }
  return 1;
}

/* ---- strings --------------------------------------------------------------------------- */

static int hex4(const char *p, unsigned *out) {
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    unsigned c = (unsigned char)p[i], d;
    if (c - '0' < 10) d = c - '0';
    else if ((c | 0x20) - 'a' < 6) d = (c | 0x20) - 'a' + 10;
    else return -1;
    v = v << 4 | d;
  }
  *out = v;
  return 0;
}

/* First byte in [q, end) that is '"', '\\' or a control character; end if none.
** *high gets bit 7 set if any byte before it is non-ASCII. */
static inline const char *scan_special(const char *q, const char *end, unsigned *high) {
#ifdef __SSE2__
  const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
  const __m128i c1f = _mm_set1_epi8(0x1f);
  while (end - q >= 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)q);
    __m128i sp = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)),
                              _mm_cmpeq_epi8(_mm_min_epu8(v, c1f), v));
    unsigned m = (unsigned)_mm_movemask_epi8(sp);
    unsigned h = (unsigned)_mm_movemask_epi8(v);
    if (m) {
      unsigned pos = (unsigned)__builtin_ctz(m);
      if (h & ((1u << pos) - 1)) *high |= 0x80;
      return q + pos;
    }
    if (h) *high |= 0x80;
    q += 16;
  }
#endif
  for (; q < end; q++) {
    unsigned char c = (unsigned char)*q;
    if (c == '"' || c == '\\' || c < 0x20) return q;
    *high |= c;
  }
  return end;
}

/* Validate the escape at q (q[0] == '\\'); returns the byte after it or NULL. */
static const char *check_escape(JsIn *in, const char *q) {
  if (q + 1 >= in->end) return js_syntax_error(in, q, "unterminated string");
  switch (q[1]) {
  case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
    return q + 2;
  case 'u': {
    unsigned u;
    if (in->end - q < 6 || hex4(q + 2, &u) < 0) return js_syntax_error(in, q, "bad \\u escape");
    return q + 6;
  }
  default:
    return js_syntax_error(in, q, "bad escape");
  }
}

static char *put_utf8(char *o, unsigned cp) {
  if (cp < 0x80) { *o++ = (char)cp; }
  else if (cp < 0x800) { *o++ = (char)(0xC0 | cp >> 6); *o++ = (char)(0x80 | (cp & 0x3F)); }
  else if (cp < 0x10000) {
    *o++ = (char)(0xE0 | cp >> 12); *o++ = (char)(0x80 | (cp >> 6 & 0x3F));
    *o++ = (char)(0x80 | (cp & 0x3F));
  } else {
    *o++ = (char)(0xF0 | cp >> 18); *o++ = (char)(0x80 | (cp >> 12 & 0x3F));
    *o++ = (char)(0x80 | (cp >> 6 & 0x3F)); *o++ = (char)(0x80 | (cp & 0x3F));
  }
  return o;
}

/* Slow path of js_string: the string starting at s has an escape at q. Find its end
** (validating escapes), then unescape into the arena. Unescaped text is never longer than
** the escaped text (\uXXXX is 6 bytes for at most 3; a surrogate pair 12 for 4). */
static const char *unescape(JsIn *in, const char *s, const char *q, RtStr *out,
                            int check_utf8, unsigned high) {
  const char *end = in->end;
  while (*q != '"') {
    if (*q == '\\') {
      if (!(q = check_escape(in, q))) return NULL;
    } else if ((unsigned char)*q < 0x20) {
      return js_syntax_error(in, q, "control character in string");
    } else {
      q++;
    }
    q = scan_special(q, end, &high);
    if (q >= end) return js_syntax_error(in, s - 1, "unterminated string");
  }
  char *buf = arena_alloc(in->arena, (size_t)(q - s) + 1), *o = buf;
  const char *r = s;
  while (r < q) {
    const char *bs = memchr(r, '\\', (size_t)(q - r));
    if (!bs) bs = q;
    memcpy(o, r, (size_t)(bs - r));
    o += bs - r;
    r = bs;
    if (r >= q) break;
    char c = r[1];
    r += 2;
    switch (c) {
    case 'b': *o++ = '\b'; break;
    case 'f': *o++ = '\f'; break;
    case 'n': *o++ = '\n'; break;
    case 'r': *o++ = '\r'; break;
    case 't': *o++ = '\t'; break;
    case 'u': {
      unsigned cp = 0, lo = 0;
      hex4(r, &cp);                        /* validated by check_escape */
      r += 4;
      if (cp >= 0xD800 && cp < 0xDC00) {
        if (q - r < 6 || r[0] != '\\' || r[1] != 'u' || hex4(r + 2, &lo) < 0 ||
            lo < 0xDC00 || lo >= 0xE000)
          return js_syntax_error(in, r - 6, "lone surrogate in \\u escape");
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        r += 6;
      } else if (cp >= 0xDC00 && cp < 0xE000) {
        return js_syntax_error(in, r - 6, "lone surrogate in \\u escape");
      }
      o = put_utf8(o, cp);
      break;
    }
    default: *o++ = c; break;              /* '"', '\\', '/' */
    }
  }
  out->ptr = buf;
  out->len = o - buf;
  /* escapes produce valid UTF-8; raw bytes still need checking */
  if (check_utf8 && (high & 0x80) && !js_utf8_valid(s, (size_t)(q - s)))
    return js_syntax_error(in, s - 1, "invalid UTF-8 in string");
  return q + 1;
}

const char *js_string(JsIn *in, const char *p, RtStr *out, int check_utf8) {
  const char *s = p + 1;
  unsigned high = 0;
  const char *q = scan_special(s, in->end, &high);
  if (q >= in->end) return js_syntax_error(in, p, "unterminated string");
  if (*q == '"') {
    out->ptr = s;
    out->len = q - s;
    if (check_utf8 && (high & 0x80) && !js_utf8_valid(s, (size_t)(q - s)))
      return js_syntax_error(in, p, "invalid UTF-8 in string");
    return q + 1;
  }
  if (*q == '\\') return unescape(in, s, q, out, check_utf8, high);
  return js_syntax_error(in, q, "control character in string");
}

static const char *skip_string(JsIn *in, const char *p) {
  unsigned high = 0;
  const char *q = p + 1;
  for (;;) {
    q = scan_special(q, in->end, &high);
    if (q >= in->end) return js_syntax_error(in, p, "unterminated string");
    if (*q == '"') return q + 1;
    if (*q != '\\') return js_syntax_error(in, q, "control character in string");
    if (!(q = check_escape(in, q))) return NULL;
  }
}

/* ---- numbers --------------------------------------------------------------------------- */

/* If the 8 bytes at p are all digits, their value; else UINT64_MAX. SWAR: check every byte
** is in '0'..'9' (high nibble 3, and still below 0x3A after adding 6), then combine digit
** pairs, pairs of pairs and the two halves with three multiply-shift steps. */
static inline uint64_t eight_digits(const char *p) {
  uint64_t x;
  memcpy(&x, p, 8);
  if ((((x & UINT64_C(0xF0F0F0F0F0F0F0F0)) | (((x + UINT64_C(0x0606060606060606)) &
        UINT64_C(0xF0F0F0F0F0F0F0F0)) >> 4)) != UINT64_C(0x3333333333333333)))
    return UINT64_MAX;
  x -= UINT64_C(0x3030303030303030);
  x = (x * 10 + (x >> 8)) & UINT64_C(0x00FF00FF00FF00FF);        /* 4 values < 100 */
  x = (x * 100 + (x >> 16)) & UINT64_C(0x0000FFFF0000FFFF);      /* 2 values < 10000 */
  return (x * 10000 + (x >> 32)) & UINT64_C(0xFFFFFFFF);         /* little endian: p[0] first */
}

/* Append the digits at p to *m (at most `room` of them, stopping at a non-digit).
** Returns the number of digits consumed. */
static inline int take_digits(const char *p, const char *end, uint64_t *m, int room) {
  const char *q = p;
  uint64_t v = *m;
  while (room >= 8 && end - q >= 8) {
    uint64_t e = eight_digits(q);
    if (e == UINT64_MAX) break;
    v = v * 100000000 + e;
    q += 8;
    room -= 8;
  }
  for (; room > 0 && q < end && (unsigned)(*q - '0') <= 9; q++, room--) v = v * 10 + (unsigned)(*q - '0');
  *m = v;
  return (int)(q - p);
}

/* Slow tail of the digit runs: digits beyond the 19 taken fast. Keeps a 20th digit when it
** fits in 64 bits; later digits only move the exponent (integer part) or are dropped
** (fraction), marking the number inexact when they are not zero. */
static const char *more_digits(const char *p, const char *end, uint64_t *m, int *nd,
                               int *exp10, int frac, uint8_t *inexact) {
  for (; p < end && (unsigned)(*p - '0') <= 9; p++) {
    unsigned d = (unsigned)(*p - '0');
    if (*nd == 19 && *m <= (UINT64_MAX - d) / 10) {
      *m = *m * 10 + d;
      ++*nd;
      if (frac) --*exp10;
    } else {
      if (!frac) ++*exp10;
      if (d) *inexact = 1;
      *nd = 20;
    }
  }
  return p;
}

/* number -> '-'? ('0' | [1-9][0-9]*) ('.' [0-9]+)? ([eE] [+-]? [0-9]+)? */
const char *js_number(JsIn *in, const char *p, JsNum *num) {
  const char *s = p, *end = in->end;
  uint64_t m = 0;
  int nd = 0, exp10 = 0;
  num->neg = 0;
  num->is_int = 1;
  num->inexact = 0;
  if (p < end && *p == '-') { num->neg = 1; p++; }
  if (p >= end || (unsigned)(*p - '0') > 9) return js_syntax_error(in, s, "invalid number");
  if (*p == '0') {
    p++;
  } else {
    nd = take_digits(p, end, &m, 19);
    p += nd;
    if (nd == 19 && p < end && (unsigned)(*p - '0') <= 9)
      p = more_digits(p, end, &m, &nd, &exp10, 0, &num->inexact);
  }
  if (p < end && *p == '.') {
    num->is_int = 0;
    p++;
    if (p >= end || (unsigned)(*p - '0') > 9) return js_syntax_error(in, p, "invalid number");
    if (m == 0)                         /* leading zeros of 0.000123 are not significant */
      while (p < end && *p == '0') { p++; exp10--; }
    if (nd < 19) {
      int k = take_digits(p, end, &m, 19 - nd);
      if (m) nd += k;                   /* (only zeros so far keep nd at 0) */
      exp10 -= k;
      p += k;
    }
    if (p < end && (unsigned)(*p - '0') <= 9)
      p = more_digits(p, end, &m, &nd, &exp10, 1, &num->inexact);
  }
  if (p < end && (*p | 0x20) == 'e') {
    int eneg = 0, e = 0;
    num->is_int = 0;
    p++;
    if (p < end && (*p == '+' || *p == '-')) eneg = *p++ == '-';
    if (p >= end || (unsigned)(*p - '0') > 9) return js_syntax_error(in, p, "invalid number");
    for (; p < end && (unsigned)(*p - '0') <= 9; p++)
      if (e < 100000) e = e * 10 + (*p - '0');
    exp10 += eneg ? -e : e;
  }
  num->mant = m;
  num->exp10 = exp10;
  num->text = s;
  num->len = (size_t)(p - s);
  return p;
}

static const double pow10_tab[23] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

/* 5^q ~= (hi:lo) x 2^s for q in [POW5_MIN, POW5_MAX], hi:lo truncated, top bit set. */
#define POW5_MIN (-342)
#define POW5_MAX 308
typedef struct Pow5 { uint64_t hi, lo; int32_t s; } Pow5;
static Pow5 pow5_tab[POW5_MAX - POW5_MIN + 1];
static pthread_once_t pow5_once = PTHREAD_ONCE_INIT;

#define BIG_LIMBS 34   /* 32-bit limbs: 2^1024 and 5^308 (716 bits) both fit */

static int big_bitlen(const uint32_t *b) {
  for (int i = BIG_LIMBS - 1; i >= 0; i--)
    if (b[i]) return i * 32 + 32 - __builtin_clz(b[i]);
  return 0;
}

static int big_bit(const uint32_t *b, int pos) {
  return pos >= 0 && (b[pos / 32] >> (pos % 32) & 1);
}

/* Store the top 128 bits of b as a table entry: value(b) ~= (hi:lo) x 2^(len - 128). */
static void big_top128(const uint32_t *b, Pow5 *t, int extra_shift) {
  int len = big_bitlen(b);
  uint64_t hi = 0, lo = 0;
  for (int i = 0; i < 64; i++) hi = hi << 1 | (uint64_t)big_bit(b, len - 1 - i);
  for (int i = 64; i < 128; i++) lo = lo << 1 | (uint64_t)big_bit(b, len - 1 - i);
  t->hi = hi;
  t->lo = lo;
  t->s = len - 128 + extra_shift;
}

static void pow5_build(void) {
  uint32_t b[BIG_LIMBS];
  /* q >= 0: exact 5^q, truncated to its top 128 bits */
  memset(b, 0, sizeof b);
  b[0] = 1;
  for (int q = 0; q <= POW5_MAX; q++) {
    big_top128(b, &pow5_tab[q - POW5_MIN], 0);
    uint64_t carry = 0;
    for (int i = 0; i < BIG_LIMBS; i++) {
      uint64_t v = (uint64_t)b[i] * 5 + carry;
      b[i] = (uint32_t)v;
      carry = v >> 32;
    }
  }
  /* q < 0: floor(2^1024 / 5^n) by exact repeated division (floor(floor(a/b)/c) =
  ** floor(a/(bc))); 5^-n = that x 2^-1024, up to less than one unit of the last place,
  ** so the truncated top 128 bits X satisfy X <= 5^-n / 2^s < X + 1. */
  memset(b, 0, sizeof b);
  b[32] = 1;                                   /* 2^1024 */
  for (int n = 1; n <= -POW5_MIN; n++) {
    uint64_t rem = 0;
    for (int i = BIG_LIMBS - 1; i >= 0; i--) {
      uint64_t v = rem << 32 | b[i];
      b[i] = (uint32_t)(v / 5);
      rem = v % 5;
    }
    big_top128(b, &pow5_tab[-n - POW5_MIN], -1024);
  }
}

/* Round the 192-bit integer (p2:p1:p0), p2 != 0, to 53 bits: *e such that value ~= m x 2^e. */
static uint64_t round192(uint64_t p2, uint64_t p1, uint64_t p0, int *e) {
  int sh = __builtin_clzll(p2);
  uint64_t top = sh ? (p2 << sh | p1 >> (64 - sh)) : p2;
  uint64_t rest = (sh ? p1 << sh : p1) | p0;
  uint64_t m = top >> 11;
  int round = (int)(top >> 10 & 1);
  int sticky = (top & 0x3FF) != 0 || rest != 0;
  *e = 192 - sh - 53;
  if (round && (sticky || (m & 1))) {
    m++;
    if (m == (UINT64_C(1) << 53)) { m >>= 1; ++*e; }
  }
  return m;
}

/* w x 10^q for w != 0, or 0 when the interval test cannot decide. */
static int f64_interval(uint64_t w, int q, double *out) {
  if (q < POW5_MIN || q > POW5_MAX) return 0;
  pthread_once(&pow5_once, pow5_build);
  const Pow5 *t = &pow5_tab[q - POW5_MIN];
  int lz = __builtin_clzll(w);
  uint64_t wn = w << lz;
  /* P = wn x (hi:lo), 192 bits; true product in [P, P + wn) */
  unsigned __int128 a = (unsigned __int128)wn * t->lo, b = (unsigned __int128)wn * t->hi;
  uint64_t p0 = (uint64_t)a;
  unsigned __int128 mid = (a >> 64) + (uint64_t)b;
  uint64_t p1 = (uint64_t)mid, p2 = (uint64_t)(b >> 64) + (uint64_t)(mid >> 64);
  uint64_t u0 = p0 + wn, c0 = u0 < p0;
  uint64_t u1 = p1 + c0, c1 = u1 < p1;
  uint64_t u2 = p2 + c1;                       /* P + wn < 2^192: no overflow */
  int e1, e2;
  uint64_t m1 = round192(p2, p1, p0, &e1), m2 = round192(u2, u1, u0, &e2);
  if (m1 != m2 || e1 != e2) return 0;
  /* value = wn x 5^q x 2^q x 2^-lz = m x 2^(e1 + s + q - lz) */
  int e = e1 + t->s + q - lz;
  int be = e + 52 + 1023;
  if (be < 1 || be > 2046) return 0;           /* subnormal or overflow: strtod decides */
  uint64_t bits = (uint64_t)be << 52 | (m1 & ((UINT64_C(1) << 52) - 1));
  memcpy(out, &bits, sizeof bits);
  return 1;
}

static double slow_f64(const JsNum *n) {
  char tmp[128], *buf = n->len < sizeof tmp ? tmp : malloc(n->len + 1);
  if (!buf) { fprintf(stderr, "arroyo: out of memory\n"); abort(); }
  memcpy(buf, n->text, n->len);
  buf[n->len] = 0;
  double v = strtod(buf, NULL);
  if (buf != tmp) free(buf);
  return v;
}

double js_num_f64(const JsNum *n) {
  double v;
  uint64_t w = n->mant;
  int q = n->exp10;
  if (n->inexact) return slow_f64(n);
  if (w == 0) v = 0.0;
  else if (w <= (UINT64_C(1) << 53) && q >= -22 && q <= 22)
    v = q >= 0 ? (double)w * pow10_tab[q] : (double)w / pow10_tab[-q];
  else if (!f64_interval(w, q, &v)) return slow_f64(n);
  return n->neg ? -v : v;
}

/* decimal -> double -> float is correct unless the double is exactly halfway between two
** floats (the decimal's nearest double cannot be on the other side of a float midpoint,
** because that midpoint is itself a double). Those cases, and float subnormals/overflow,
** go through strtof. */
float js_num_f32(const JsNum *n) {
  double d = js_num_f64(n);
  double a = fabs(d);
  if (a == 0 || (a >= 1.1754943508222875e-38 && a <= 3.4028234663852886e38)) {
    float f = (float)d;
    if ((double)f == d) return f;
    float g = (double)f < d ? nextafterf(f, INFINITY) : nextafterf(f, -INFINITY);
    if (((double)f + (double)g) / 2 != d) return f;
  }
  char tmp[128], *buf = n->len < sizeof tmp ? tmp : malloc(n->len + 1);
  if (!buf) { fprintf(stderr, "arroyo: out of memory\n"); abort(); }
  memcpy(buf, n->text, n->len);
  buf[n->len] = 0;
  float f = strtof(buf, NULL);
  if (buf != tmp) free(buf);
  return f;
}

int js_decimal(const char *s, size_t n, int scale, int64_t *out) {
  size_t i = 0;
  int neg = 0, ndig = 0, frac = 0, e = 0, seen_digit = 0;
  char dig[64];               /* significant digits kept (beyond 40 only zeros can matter) */
  int extra = 0;              /* integer digits dropped beyond the buffer (overflow anyway) */
  if (i < n && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
  for (; i < n && (unsigned)(s[i] - '0') <= 9; i++) {
    seen_digit = 1;
    if (ndig == 0 && s[i] == '0') continue;
    if (ndig < 60) dig[ndig++] = s[i]; else extra++;
  }
  if (i < n && s[i] == '.') {
    i++;
    for (; i < n && (unsigned)(s[i] - '0') <= 9; i++) {
      seen_digit = 1;
      frac++;
      if (ndig == 0 && s[i] == '0') continue;
      if (ndig < 60) dig[ndig++] = s[i];
      else frac--;            /* dropped fraction digit: beyond any int64 scale */
    }
  }
  if (!seen_digit) return -2;
  if (i < n && (s[i] | 0x20) == 'e') {
    int eneg = 0, any = 0;
    i++;
    if (i < n && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
    for (; i < n && (unsigned)(s[i] - '0') <= 9; i++) { any = 1; if (e < 10000) e = e * 10 + (s[i] - '0'); }
    if (!any) return -2;
    if (eneg) e = -e;
  }
  if (i != n) return -2;
  if (extra) return -1;
  /* value = digits x 10^(e - frac); scaled = digits x 10^shift */
  int shift = e - frac + scale;
  int keep = ndig + shift;    /* digits that end up left of the decimal point */
  uint64_t v = 0;
  for (int k = 0; k < keep; k++) {
    unsigned d = k < ndig ? (unsigned)(dig[k] - '0') : 0;
    if (v > (UINT64_C(9223372036854775807) - d) / 10) return -1;
    v = v * 10 + d;
  }
  if (keep >= 0 && keep < ndig && dig[keep] >= '5') {   /* half away from zero */
    if (v == UINT64_C(9223372036854775807)) return -1;
    v++;
  }
  *out = neg ? -(int64_t)v : (int64_t)v;
  return 0;
}

/* ---- skipping -------------------------------------------------------------------------- */

#define JS_MAX_DEPTH 128   /* as serde_json's recursion limit */

static const char *skip_rec(JsIn *in, const char *p, int depth) {
  const char *end = in->end;
  if (p >= end) return js_syntax_error(in, p, "expected a value");
  switch (*p) {
  case '"':
    return skip_string(in, p);
  case '{':
  case '[': {
    char close = *p == '{' ? '}' : ']';
    int obj = *p == '{';
    if (depth >= JS_MAX_DEPTH) return js_syntax_error(in, p, "nesting too deep");
    p = js_ws(p + 1, end);
    if (p < end && *p == close) return p + 1;
    for (;;) {
      if (obj) {
        if (p >= end || *p != '"') return js_syntax_error(in, p, "expected a key string");
        if (!(p = skip_string(in, p))) return NULL;
        p = js_ws(p, end);
        if (p >= end || *p != ':') return js_syntax_error(in, p, "expected ':'");
        p = js_ws(p + 1, end);
      }
      if (!(p = skip_rec(in, p, depth + 1))) return NULL;
      p = js_ws(p, end);
      if (p < end && *p == ',') { p = js_ws(p + 1, end); continue; }
      if (p < end && *p == close) return p + 1;
      return js_syntax_error(in, p, obj ? "expected ',' or '}'" : "expected ',' or ']'");
    }
  }
  case 't':
    if (end - p >= 4 && memcmp(p, "true", 4) == 0) return p + 4;
    break;
  case 'f':
    if (end - p >= 5 && memcmp(p, "false", 5) == 0) return p + 5;
    break;
  case 'n':
    if (end - p >= 4 && memcmp(p, "null", 4) == 0) return p + 4;
    break;
  default:
    if (*p == '-' || (unsigned)(*p - '0') <= 9) {
      JsNum num;
      return js_number(in, p, &num);
    }
  }
  return js_syntax_error(in, p, "expected a value");
}

const char *js_skip(JsIn *in, const char *p) { return skip_rec(in, p, 0); }

/* ---- encoding -------------------------------------------------------------------------- */

/* 1: byte needs escaping in a JSON string (serde_json's set: controls, '"', '\\'). */
static const unsigned char needs_escape[256] = {
  1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1, 1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,
  0,0,1,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
  0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 0,0,0,0,0,0,0,0,0,0,0,0,1,0,0,0,
};

char *js_escape(char *dst, const char *src, size_t n, int bytes_as_latin1) {
  static const char hex[] = "0123456789abcdef";
  const unsigned char *s = (const unsigned char *)src;
  size_t i = 0;
  *dst++ = '"';
  while (i < n) {
    size_t j = i;
    if (bytes_as_latin1) while (j < n && !needs_escape[s[j]] && s[j] < 0x80) j++;
    else while (j < n && !needs_escape[s[j]]) j++;
    memcpy(dst, s + i, j - i);
    dst += j - i;
    i = j;
    if (i >= n) break;
    unsigned c = s[i];
    if (c >= 0x80) {                    /* BYTEA: keep valid UTF-8, map other bytes to U+00XX */
      int l = utf8_seq(s + i, n - i);
      if (l) { memcpy(dst, s + i, (size_t)l); dst += l; i += (size_t)l; continue; }
    }
    i++;
    *dst++ = '\\';
    switch (c) {
    case '"': *dst++ = '"'; break;
    case '\\': *dst++ = '\\'; break;
    case '\n': *dst++ = 'n'; break;
    case '\r': *dst++ = 'r'; break;
    case '\t': *dst++ = 't'; break;
    case '\b': *dst++ = 'b'; break;
    case '\f': *dst++ = 'f'; break;
    default:
      *dst++ = 'u'; *dst++ = '0'; *dst++ = '0';
      *dst++ = hex[c >> 4]; *dst++ = hex[c & 15];
    }
  }
  *dst++ = '"';
  return dst;
}
