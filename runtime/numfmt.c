/*
** runtime/numfmt.c: number -> text for the codecs and the casts.
**
** Entry points (runtime.h, "text conversions"): fmt_i64, fmt_u64, fmt_f64, fmt_f32.
**
** Floats. Arroyo writes JSON through arrow-json, which formats floats with the `lexical`
** crate's defaults. Its output is what the peer goldens contain (for example
** "2.344763531113588e11" in every_aggregate.json), so we produce the same text:
**   - the shortest digit string that reads back (as f64, or as f32 for fmt_f32) to the
**     same value;
**   - plain notation when the decimal exponent E (value = d.ddd x 10^E) is in -5..9:
**     "1.0", "123456789.0", "0.001234", "320.1";
**   - otherwise scientific with at least one fraction digit and no '+':
**     "1.0e21", "2.344763531113588e11", "5.0e-324", "1.0e-7";
**   - "NaN", "inf", "-inf" for non-finite values (the JSON encoder writes null instead).
** serde_json/ryu would print some of these differently ("1e21", "234476353111.3588"); JSON
** readers (and the peer comparison, which parses floats as f64) see the same value.
**
** How the shortest digits are found, without a Ryu/Dragonbox table:
**   1. fast path: for k = 0, 1, 2, ... while v * 10^k < 2^52 (f64) take m = round(v * 10^k)
**      and test m / 10^k == v. Both m and 10^k (k <= 22) are exact doubles and IEEE division
**      is correctly rounded, so the test is exactly "the decimal m e-k reads back as v". Below
**      2^52 the rounding interval of v is narrower than 10^-k, so m is the only candidate and
**      the first k that works gives the shortest digits. Values with a few decimals (prices,
**      readings, integers) finish here in a handful of multiplications.
**   2. otherwise one snprintf("%.39e") for 40 correctly rounded digits; candidates with 15,
**      16, 17 significant digits are rounded from those and checked with strtod (a binary
**      search below 15 when 15 already reads back); snprintf("%.16e") is the last resort.
** f32 uses the same scheme; its fast-path test runs in double and rejects candidates that
** land within one double ulp of an f32 rounding boundary, so it never accepts wrongly.
**
** It does NOT parse numbers (see json_scan.c) or format DECIMAL (the encoder does that).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "runtime.h"

static const char digit_pairs[201] =
  "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
  "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
  "8081828384858687888990919293949596979899";

size_t fmt_u64(uint64_t v, char *buf) {
  char tmp[24];
  char *p = tmp + sizeof tmp;
  while (v >= 100) {
    unsigned r = (unsigned)(v % 100);
    v /= 100;
    p -= 2; memcpy(p, digit_pairs + 2 * r, 2);
  }
  if (v >= 10) { p -= 2; memcpy(p, digit_pairs + 2 * v, 2); }
  else *--p = (char)('0' + v);
  size_t n = (size_t)(tmp + sizeof tmp - p);
  memcpy(buf, p, n);
  buf[n] = 0;
  return n;
}

size_t fmt_i64(int64_t v, char *buf) {
  if (v >= 0) return fmt_u64((uint64_t)v, buf);
  buf[0] = '-';
  return 1 + fmt_u64(-(uint64_t)v, buf + 1);   /* unsigned negate: INT64_MIN is fine */
}

static const double pow10_tab[23] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

/* Shortest decimal digits of a finite v > 0: digits (ASCII, no leading or trailing zeros)
** into d, returns their count; *sci_exp = E with v = d[0].d[1..] x 10^E. */
typedef int (*ReadsBack)(const char *text, double v);

static int reads_back_f64(const char *text, double v) { return strtod(text, NULL) == v; }
static int reads_back_f32(const char *text, double v) { return strtof(text, NULL) == (float)v; }

/* Parse snprintf's "d.ddde[+-]XX" into digits/exponent, dropping trailing zeros. */
static int from_e_format(const char *t, char *d, int *sci_exp) {
  int n = 0;
  d[n++] = t[0];
  const char *p = t + 1;
  if (*p == '.') for (p++; *p >= '0' && *p <= '9'; p++) d[n++] = *p;
  *sci_exp = atoi(p + 1);                                   /* p points at 'e' */
  while (n > 1 && d[n - 1] == '0') n--;
  return n;
}

/* The first p of the 40 correctly rounded digits in all[], rounded half-up to p digits,
** as "d.ddde<exp>" text (for strtod) in t and as bare digits in d. Rounding an already
** rounded 40-digit string differs from rounding the exact value only when digits p+1..40
** read 5000...; the caller's read-back test catches that (and falls back). */
static int round_digits(const char *all, int e, int p, char *d, int *sci_exp, char *t) {
  memcpy(d, all, (size_t)p);
  if (all[p] >= '5') {
    int i = p - 1;
    while (i >= 0 && d[i] == '9') d[i--] = '0';
    if (i >= 0) d[i]++;
    else { d[0] = '1'; e++; }                       /* 999.. -> 1000.. */
  }
  int n = p;
  while (n > 1 && d[n - 1] == '0') n--;
  *sci_exp = e;
  char *q = t;
  *q++ = d[0];
  *q++ = '.';
  memcpy(q, d + 1, (size_t)n - 1);
  q += n - 1;
  if (n == 1) *q++ = '0';
  snprintf(q, 16, "e%d", e);
  return n;
}

static int slow_digits(double v, int lo, int hi, ReadsBack ok, char *d, int *sci_exp) {
  /* one correctly rounded 40-digit expansion, then the smallest precision p whose rounding
  ** reads back (lo, lo+1, ..., hi; below lo by binary search when lo already does) */
  char t[80], all[48], cand[48];
  snprintf(t, sizeof t, "%.39e", v);
  all[0] = t[0];
  memcpy(all + 1, t + 2, 39);                       /* t = "d.ddd...de[+-]XX" */
  all[40] = '0';
  int e = atoi(t + 42), n;
  n = round_digits(all, e, lo, d, sci_exp, cand);
  if (ok(cand, v)) {
    int a = 1, b = lo;                              /* invariant: b reads back */
    while (a < b) {
      int mid = (a + b) / 2, se;
      char dd[48];
      round_digits(all, e, mid, dd, &se, cand);
      if (ok(cand, v)) b = mid; else a = mid + 1;
    }
    return round_digits(all, e, b, d, sci_exp, cand);
  }
  for (int p = lo + 1; p <= hi; p++) {
    n = round_digits(all, e, p, d, sci_exp, cand);
    if (ok(cand, v)) return n;
  }
  snprintf(t, sizeof t, "%.*e", hi - 1, v);        /* always reads back */
  return from_e_format(t, d, sci_exp);
}

/* Digits of integer m > 0 with value m x 10^-k: returns count, sets *sci_exp. */
static int int_digits(uint64_t m, int k, char *d, int *sci_exp) {
  int tz = 0;
  while (m % 10 == 0) { m /= 10; tz++; }
  char tmp[24];
  int n = (int)fmt_u64(m, tmp);
  memcpy(d, tmp, (size_t)n);
  *sci_exp = n - 1 + tz - k;
  return n;
}

static int shortest_f64(double v, char *d, int *sci_exp) {
  if (v >= 1e-7 && v < 4503599627370496.0) {      /* 2^52 */
    for (int k = 0; k <= 22; k++) {
      double t = v * pow10_tab[k];
      if (t >= 4503599627370496.0) break;
      uint64_t m = (uint64_t)(t + 0.5);
      if (m && (double)m / pow10_tab[k] == v) return int_digits(m, k, d, sci_exp);
    }
  }
  return slow_digits(v, 15, 17, reads_back_f64, d, sci_exp);
}

static int shortest_f32(float f, char *d, int *sci_exp) {
  double v = f;
  if (v >= 1e-7 && v < 8388608.0 && isnormal(f)) {   /* 2^23 */
    /* f's rounding interval is (lo_mid, hi_mid); both midpoints are exact doubles */
    double lo_mid = (v + (double)nextafterf(f, 0.0f)) / 2;
    double hi_mid = (v + (double)nextafterf(f, INFINITY)) / 2;
    for (int k = 0; k <= 15; k++) {
      double t = v * pow10_tab[k];
      if (t >= 8388608.0) break;
      uint64_t m = (uint64_t)(t + 0.5);
      if (!m) continue;
      double q = (double)m / pow10_tab[k];          /* within half a double ulp of m e-k */
      if (q > nextafter(lo_mid, INFINITY) && q < nextafter(hi_mid, 0.0))
        return int_digits(m, k, d, sci_exp);
      if (q >= lo_mid && q <= hi_mid) break;        /* too close to a boundary to decide */
    }
  }
  return slow_digits(v, 6, 9, reads_back_f32, d, sci_exp);
}

/* Lay digits out the way lexical does (see the file comment). */
static size_t layout(int neg, const char *d, int nd, int e, char *buf) {
  char *p = buf;
  if (neg) *p++ = '-';
  if (e < -5 || e > 9) {
    *p++ = d[0];
    *p++ = '.';
    if (nd > 1) { memcpy(p, d + 1, (size_t)nd - 1); p += nd - 1; }
    else *p++ = '0';
    *p++ = 'e';
    p += fmt_i64(e, p);
  } else if (e >= 0) {
    if (nd <= e + 1) {
      memcpy(p, d, (size_t)nd); p += nd;
      for (int i = nd; i <= e; i++) *p++ = '0';
      *p++ = '.'; *p++ = '0';
    } else {
      memcpy(p, d, (size_t)e + 1); p += e + 1;
      *p++ = '.';
      memcpy(p, d + e + 1, (size_t)(nd - e - 1)); p += nd - e - 1;
    }
  } else {
    *p++ = '0'; *p++ = '.';
    for (int i = -1; i > e; i--) *p++ = '0';
    memcpy(p, d, (size_t)nd); p += nd;
  }
  *p = 0;
  return (size_t)(p - buf);
}

static size_t non_finite(double v, char *buf) {
  const char *s = isnan(v) ? "NaN" : v > 0 ? "inf" : "-inf";
  size_t n = strlen(s);
  memcpy(buf, s, n + 1);
  return n;
}

size_t fmt_f64(double v, char *buf) {
  if (!isfinite(v)) return non_finite(v, buf);
  int neg = signbit(v) != 0;
  if (v == 0) return layout(neg, "0", 1, 0, buf);
  char d[32];
  int e, nd = shortest_f64(fabs(v), d, &e);
  return layout(neg, d, nd, e, buf);
}

size_t fmt_f32(float v, char *buf) {
  if (!isfinite(v)) return non_finite(v, buf);
  int neg = signbit(v) != 0;
  if (v == 0) return layout(neg, "0", 1, 0, buf);
  char d[32];
  int e, nd = shortest_f32(fabsf(v), d, &e);
  return layout(neg, d, nd, e, buf);
}
