/*
** runtime/fn_cast.c: CAST between TEXT and the other SQL types (the cast_* members of RtApi),
** and fn_parse_f64, the locale-free float parser shared with fn_json.c.
**
** Text to number/bool/timestamp/decimal trims surrounding ASCII whitespace (as PostgreSQL does)
** and fails with RT_ERR and a message naming the value and the target type; overflow is an
** error, never a wrap. Values to text use the shared formatters of numfmt.c / timefmt.c
** (fmt_*, ts_format), so casts print exactly what the JSON encoder writes.
** Casts between numeric types are inline in generated code, not here.
*/
#include <locale.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "fn.h"

static int is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

static RtStr trim_ws(RtStr s) {
  const char *p = s.ptr, *e = s.ptr + s.len;
  if (s.len == 0) return s;
  while (p < e && is_space((unsigned char)*p)) p++;
  while (e > p && is_space((unsigned char)e[-1])) e--;
  return rt_str(p, e - p);
}

/* ASCII case-insensitive equality of s with a lower-case literal. */
static int eq_nocase(RtStr s, const char *lit) {
  size_t n = strlen(lit);
  if ((size_t)s.len != n) return 0;
  for (size_t i = 0; i < n; i++)
    if (fn_ascii_lower((unsigned char)s.ptr[i]) != (unsigned char)lit[i]) return 0;
  return 1;
}

static RtStr str_dup(RtCtx *ctx, const char *p, size_t n) {
  char *d = rt_alloc(ctx, (int64_t)n);
  memcpy(d, p, n);
  return rt_str(d, (int64_t)n);
}

/* ---- text -> integers ------------------------------------------------------------------ */

/* Parse [+-]digits from t (already trimmed). Magnitude goes to *mag, sign to *neg.
** Returns 0 ok, -1 malformed, -2 magnitude above `limit`. */
static int parse_uint(RtStr t, uint64_t limit, uint64_t *mag, int *neg) {
  const char *p = t.ptr, *e = t.ptr + t.len;
  uint64_t v = 0;
  *neg = 0;
  if (p < e && (*p == '+' || *p == '-')) { *neg = *p == '-'; p++; }
  if (p == e) return -1;
  if (e - p <= 18) {                             /* 18 digits cannot overflow: no checks */
    for (; p < e; p++) {
      unsigned d = (unsigned char)*p - '0';
      if (d > 9) return -1;
      v = v * 10 + d;
    }
    *mag = v;
    return v > limit ? -2 : 0;
  }
  for (; p < e; p++) {
    unsigned d = (unsigned char)*p - '0';
    if (d > 9) return -1;
    if (v > (limit - d) / 10) {
      /* keep validating so "99999999999999999999x" is reported as malformed */
      for (p++; p < e; p++) if ((unsigned)((unsigned char)*p - '0') > 9) return -1;
      return -2;
    }
    v = v * 10 + d;
  }
  *mag = v;
  return 0;
}

int cast_text_to_i64(RtCtx *ctx, RtStr s, int64_t *out) {
  RtStr t = trim_ws(s);
  uint64_t mag;
  int neg;
  /* the limit allows INT64_MIN's magnitude; positive values are checked below */
  int rc = parse_uint(t, (uint64_t)INT64_MAX + 1, &mag, &neg);
  if (rc == 0 && !neg && mag > (uint64_t)INT64_MAX) rc = -2;
  if (rc == -1) return rt_error(ctx, NULL, "cannot cast '%.*s' to BIGINT: invalid integer", FN_QUOTE(s));
  if (rc == -2) return rt_error(ctx, NULL, "cannot cast '%.*s' to BIGINT: out of range", FN_QUOTE(s));
  *out = neg ? (int64_t)(0 - mag) : (int64_t)mag;
  return RT_OK;
}

int cast_text_to_u64(RtCtx *ctx, RtStr s, uint64_t *out) {
  RtStr t = trim_ws(s);
  uint64_t mag;
  int neg;
  int rc = parse_uint(t, UINT64_MAX, &mag, &neg);
  if (rc == 0 && neg && mag != 0) rc = -2;          /* "-0" is 0; any other negative is out of range */
  if (rc == -1)
    return rt_error(ctx, NULL, "cannot cast '%.*s' to BIGINT UNSIGNED: invalid integer", FN_QUOTE(s));
  if (rc == -2)
    return rt_error(ctx, NULL, "cannot cast '%.*s' to BIGINT UNSIGNED: out of range", FN_QUOTE(s));
  *out = mag;
  return RT_OK;
}

/* ---- text -> float --------------------------------------------------------------------- */

/* strtod is locale-sensitive (the decimal point), so it runs under a private "C" locale. */
static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;
static void c_locale_init(void) { c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0); }

static const double pow10_exact[23] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
  1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

int fn_parse_f64(const char *p, size_t n, double *out) {
  const char *s = p, *e = p + n;
  int neg = 0, ndig = 0, sig = 0, dropped = 0;
  uint64_t w = 0;
  int64_t exp10 = 0;
  if (p < e && (*p == '+' || *p == '-')) { neg = *p == '-'; p++; }
  for (; p < e && (unsigned)(*p - '0') <= 9; p++, ndig++) {
    if (w == 0 && *p == '0') continue;                  /* leading zeros are not significant */
    if (sig < 19) { w = w * 10 + (uint64_t)(*p - '0'); sig++; } else { dropped = 1; exp10++; }
  }
  if (p < e && *p == '.') {
    for (p++; p < e && (unsigned)(*p - '0') <= 9; p++, ndig++) {
      if (w == 0 && *p == '0') { exp10--; continue; }
      if (sig < 19) { w = w * 10 + (uint64_t)(*p - '0'); sig++; exp10--; } else dropped = 1;
    }
  }
  if (ndig == 0) return -1;
  if (p < e && (*p == 'e' || *p == 'E')) {
    int eneg = 0, edig = 0;
    int64_t ev = 0;
    p++;
    if (p < e && (*p == '+' || *p == '-')) { eneg = *p == '-'; p++; }
    for (; p < e && (unsigned)(*p - '0') <= 9; p++, edig++) if (ev < 100000) ev = ev * 10 + (*p - '0');
    if (edig == 0) return -1;
    exp10 += eneg ? -ev : ev;
  }
  if (p != e) return -1;
  /* Clinger's fast path: both w and 10^|exp10| are exact doubles, so one IEEE operation gives
  ** the correctly rounded result. */
  if (!dropped && w <= ((uint64_t)1 << 53) && exp10 >= -22 && exp10 <= 22) {
    double d = (double)w;
    d = exp10 < 0 ? d / pow10_exact[-exp10] : d * pow10_exact[exp10];
    *out = neg ? -d : d;
    return 0;
  }
  if (w == 0) { *out = neg ? -0.0 : 0.0; return 0; }
  /* slow path: strtod on a NUL-terminated copy (syntax already validated above); numbers
  ** over 511 characters, which no real data has, pay for a malloc */
  char stack[512], *buf = n < sizeof stack ? stack : malloc(n + 1);
  if (!buf) return -1;
  memcpy(buf, s, n);
  buf[n] = 0;
  pthread_once(&c_locale_once, c_locale_init);
  *out = c_locale ? strtod_l(buf, NULL, c_locale) : strtod(buf, NULL);
  if (buf != stack) free(buf);
  return 0;
}

int cast_text_to_f64(RtCtx *ctx, RtStr s, double *out) {
  RtStr t = trim_ws(s);
  if (fn_parse_f64(t.ptr, (size_t)t.len, out) == 0) return RT_OK;
  /* special values, as PostgreSQL and Rust accept them */
  RtStr u = t;
  int neg = 0;
  if (u.len > 0 && (u.ptr[0] == '+' || u.ptr[0] == '-')) { neg = u.ptr[0] == '-'; u.ptr++; u.len--; }
  if (eq_nocase(u, "nan")) { *out = neg ? -__builtin_nan("") : __builtin_nan(""); return RT_OK; }
  if (eq_nocase(u, "inf") || eq_nocase(u, "infinity")) {
    *out = neg ? -__builtin_inf() : __builtin_inf();
    return RT_OK;
  }
  return rt_error(ctx, NULL, "cannot cast '%.*s' to DOUBLE: invalid number", FN_QUOTE(s));
}

/* ---- text -> bool, timestamp ------------------------------------------------------------ */

int cast_text_to_bool(RtCtx *ctx, RtStr s, uint8_t *out) {
  static const char *const yes[] = {"true", "t", "yes", "y", "on", "1"};
  static const char *const no[] = {"false", "f", "no", "n", "off", "0"};
  RtStr t = trim_ws(s);
  for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
    if (eq_nocase(t, yes[i])) { *out = 1; return RT_OK; }
    if (eq_nocase(t, no[i])) { *out = 0; return RT_OK; }
  }
  return rt_error(ctx, NULL, "cannot cast '%.*s' to BOOLEAN", FN_QUOTE(s));
}

int cast_text_to_timestamp(RtCtx *ctx, RtStr s, int64_t *out) {
  RtStr t = trim_ws(s);
  if (t.len > 0 && ts_parse(t.ptr, (size_t)t.len, out) == 0) return RT_OK;
  return rt_error(ctx, NULL, "cannot cast '%.*s' to TIMESTAMP", FN_QUOTE(s));
}

/* ---- text -> decimal ------------------------------------------------------------------- */

/* DECIMAL text: [+-] digits [. digits] [(e|E) [+-] digits]. The value is the digit string D
** (integer and fraction digits run together) times 10^(exp - fraction digits); the result is
** round(value * 10^scale) with ties away from zero, as PostgreSQL's numeric does. Extra
** fractional digits are rounded, not rejected. Only int64 overflow is checked here: the
** declared precision is the caller's business. */
int cast_text_to_decimal(RtCtx *ctx, RtStr s, int scale, int64_t *out) {
  RtStr t = trim_ws(s);
  const char *p = t.ptr, *e = t.ptr + t.len;
  const char *ip, *fp = NULL;
  int64_t ni = 0, nf = 0, exp10 = 0;
  int neg = 0;
  if (p < e && (*p == '+' || *p == '-')) { neg = *p == '-'; p++; }
  ip = p;
  while (p < e && (unsigned)(*p - '0') <= 9) p++;
  ni = p - ip;
  if (p < e && *p == '.') {
    fp = ++p;
    while (p < e && (unsigned)(*p - '0') <= 9) p++;
    nf = p - fp;
  }
  if (ni + nf == 0) goto bad;
  if (p < e && (*p == 'e' || *p == 'E')) {
    int eneg = 0;
    const char *ep;
    p++;
    if (p < e && (*p == '+' || *p == '-')) { eneg = *p == '-'; p++; }
    ep = p;
    for (; p < e && (unsigned)(*p - '0') <= 9; p++) if (exp10 < 100000) exp10 = exp10 * 10 + (*p - '0');
    if (p == ep) goto bad;
    if (eneg) exp10 = -exp10;
  }
  if (p != e) goto bad;
  {
    int64_t total = ni + nf;
    int64_t shift = (int64_t)scale + exp10 - nf;   /* result = D * 10^shift, rounded */
    int64_t keep = shift >= 0 ? total : total + shift;   /* leading digits of D that survive */
    uint64_t limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX, v = 0;
    int64_t k;
#define DIGIT(k) ((unsigned)((k) < ni ? ip[k] : fp[(k) - ni]) - '0')
    for (k = 0; k < keep; k++) {
      unsigned d = DIGIT(k);
      if (v > (limit - d) / 10) goto range;
      v = v * 10 + d;
    }
    if (keep >= 0 && keep < total && DIGIT(keep) >= 5) {   /* first dropped digit: round */
      if (v == limit) goto range;
      v++;
    }
#undef DIGIT
    for (k = 0; k < shift && v != 0; k++) {
      if (v > limit / 10) goto range;
      v *= 10;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return RT_OK;
  }
bad:
  return rt_error(ctx, NULL, "cannot cast '%.*s' to DECIMAL: invalid number", FN_QUOTE(s));
range:
  return rt_error(ctx, NULL, "cannot cast '%.*s' to DECIMAL with scale %d: out of range",
                  FN_QUOTE(s), scale);
}

/* ---- values -> text -------------------------------------------------------------------- */

int cast_i64_to_text(RtCtx *ctx, int64_t v, RtStr *out) {
  char buf[32];
  *out = str_dup(ctx, buf, fmt_i64(v, buf));
  return RT_OK;
}

int cast_u64_to_text(RtCtx *ctx, uint64_t v, RtStr *out) {
  char buf[32];
  *out = str_dup(ctx, buf, fmt_u64(v, buf));
  return RT_OK;
}

int cast_f64_to_text(RtCtx *ctx, double v, RtStr *out) {
  char buf[40];
  *out = str_dup(ctx, buf, fmt_f64(v, buf));
  return RT_OK;
}

int cast_f32_to_text(RtCtx *ctx, float v, RtStr *out) {
  char buf[40];
  *out = str_dup(ctx, buf, fmt_f32(v, buf));
  return RT_OK;
}

int cast_bool_to_text(RtCtx *ctx, uint8_t v, RtStr *out) {
  *out = v ? rt_str("true", 4) : rt_str("false", 5);     /* static text: lives forever */
  return RT_OK;
}

int cast_timestamp_to_text(RtCtx *ctx, int64_t ns, RtStr *out) {
  char buf[48];
  *out = str_dup(ctx, buf, ts_format(ns, buf));
  return RT_OK;
}

/* Exactly `scale` fractional digits: 12345 scale 2 -> "123.45", -5 scale 2 -> "-0.05". */
int cast_decimal_to_text(RtCtx *ctx, int64_t v, int scale, RtStr *out) {
  char digits[24], buf[64];
  uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
  int nd = 0, n = 0;
  if (scale < 0) scale = 0;
  if (scale > 38) scale = 38;
  do { digits[nd++] = (char)('0' + mag % 10); mag /= 10; } while (mag);   /* reversed */
  if (v < 0) buf[n++] = '-';
  if (nd <= scale) buf[n++] = '0';
  else for (int i = nd - 1; i >= scale; i--) buf[n++] = digits[i];
  if (scale > 0) {
    buf[n++] = '.';
    for (int i = scale - 1; i >= 0; i--) buf[n++] = i < nd ? digits[i] : '0';
  }
  *out = str_dup(ctx, buf, (size_t)n);
  return RT_OK;
}

/* Arrow's display of month_day_nano intervals, which DataFusion uses for CAST(iv AS TEXT):
** non-zero parts only, "1 mons 2 days 3 hours 4 mins 5.000000000 secs". Seconds always carry
** nine fractional digits; a zero interval prints "0 secs" (Arrow prints nothing). */
int cast_interval_to_text(RtCtx *ctx, RtInterval v, RtStr *out) {
  char buf[160];
  int n = 0;
  const char *sep = "";
  if (v.months) { n += snprintf(buf + n, sizeof buf - n, "%d mons", v.months); sep = " "; }
  if (v.days) { n += snprintf(buf + n, sizeof buf - n, "%s%d days", sep, v.days); sep = " "; }
  if (v.nanos) {
    int64_t secs = v.nanos / 1000000000, frac = v.nanos % 1000000000;
    int64_t mins = secs / 60, hours = mins / 60;
    secs -= mins * 60;
    mins -= hours * 60;
    if (hours) { n += snprintf(buf + n, sizeof buf - n, "%s%lld hours", sep, (long long)hours); sep = " "; }
    if (mins) { n += snprintf(buf + n, sizeof buf - n, "%s%lld mins", sep, (long long)mins); sep = " "; }
    if (secs || frac)
      n += snprintf(buf + n, sizeof buf - n, "%s%s%lld.%09lld secs", sep,
                    secs < 0 || frac < 0 ? "-" : "", (long long)(secs < 0 ? -secs : secs),
                    (long long)(frac < 0 ? -frac : frac));
  }
  if (n == 0) n = snprintf(buf, sizeof buf, "0 secs");
  *out = str_dup(ctx, buf, (size_t)n);
  return RT_OK;
}
