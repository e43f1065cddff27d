/*
** tests/unit/test_text.c: timestamp and number text conversions (runtime/timefmt.c,
** runtime/numfmt.c).
**
** Covers RFC 3339 parsing (zones, fractions, space separator, date only, errors, range
** limits), ts_format's shortest-exact fractions and pre-1970 values, the civil calendar
** round trip, integer formatting, and float formatting: a table of known outputs in the
** lexical/arrow-json layout the peer goldens use, plus random round trips (the text reads
** back to the same bits, and has no more digits than the shortest correctly rounded text).
** It does not test the codecs (test_codec.c).
*/
#include <math.h>
#include <stdlib.h>
#include "../../runtime/runtime.h"
#include "unit.h"

#define NS INT64_C(1000000000)

static int64_t parse_ok(const char *s) {
  int64_t v = INT64_MIN;
  if (ts_parse(s, strlen(s), &v) != 0) {
    fprintf(stderr, "ts_parse failed on \"%s\"\n", s);
    return INT64_MIN;
  }
  return v;
}

static int parse_fails(const char *s) {
  int64_t v;
  return ts_parse(s, strlen(s), &v) != 0;
}

static const char *fmt_ts(int64_t ns) {
  static char buf[64];
  ts_format(ns, buf);
  return buf;
}

static void test_ts_parse(void) {
  CHECK_I64(parse_ok("2023-09-18T14:23:10Z"), 1695046990 * NS);
  CHECK_I64(parse_ok("2023-10-09T17:13:20+00:00"), 1696871600 * NS);
  CHECK_I64(parse_ok("2023-10-09T17:13:20.200+00:00"), 1696871600 * NS + 200000000);
  CHECK_I64(parse_ok("2023-10-09T19:13:20+02:00"), 1696871600 * NS);
  CHECK_I64(parse_ok("2023-10-09T11:43:20-05:30"), 1696871600 * NS);
  CHECK_I64(parse_ok("2023-10-09T19:13:20+0200"), 1696871600 * NS);
  CHECK_I64(parse_ok("2023-10-09 17:13:20"), 1696871600 * NS);
  CHECK_I64(parse_ok("2023-10-09t17:13:20z"), 1696871600 * NS);
  CHECK_I64(parse_ok("2023-10-09T17:13:20"), 1696871600 * NS);
  CHECK_I64(parse_ok("2023-10-09T17:13"), 1696871600 * NS - 20 * NS);
  CHECK_I64(parse_ok("2023-10-09"), (1696871600 - (17 * 3600 + 13 * 60 + 20)) * NS);
  CHECK_I64(parse_ok("2023-10-09T17:13:20.123456789Z"), 1696871600 * NS + 123456789);
  CHECK_I64(parse_ok("2023-10-09T17:13:20.1234567899Z"), 1696871600 * NS + 123456789);
  CHECK_I64(parse_ok("2023-10-09T17:13:20.5"), 1696871600 * NS + 500000000);
  CHECK_I64(parse_ok("1970-01-01T00:00:00Z"), 0);
  CHECK_I64(parse_ok("1969-12-31T23:59:59.5Z"), -500000000);
  CHECK_I64(parse_ok("1900-03-01T00:00:00Z"), INT64_C(-2203891200) * NS);
  CHECK_I64(parse_ok("2024-02-29"), parse_ok("2024-03-01") - 86400 * NS);
  CHECK_I64(parse_ok("2000-02-29"), parse_ok("2000-03-01") - 86400 * NS);
  CHECK_I64(parse_ok("2262-04-11T23:47:16.854775807Z"), INT64_MAX);
  CHECK_I64(parse_ok("1677-09-21T00:12:43.145224192Z"), INT64_MIN);
  CHECK(parse_fails("2262-04-11T23:47:16.854775808Z"));
  CHECK(parse_fails("1677-09-21T00:12:43.145224191Z"));
  CHECK(parse_fails("2023-02-29"));
  CHECK(parse_fails("1900-02-29"));
  CHECK(parse_fails("2023-13-01"));
  CHECK(parse_fails("2023-00-01"));
  CHECK(parse_fails("2023-04-31"));
  CHECK(parse_fails("2023-10-09T24:00:00"));
  CHECK(parse_fails("2023-10-09T17:60:00"));
  CHECK(parse_fails("2023-10-09T17:13:61"));
  CHECK(parse_fails("2023-10-09T17:13:20+"));
  CHECK(parse_fails("2023-10-09T17:13:20+2"));
  CHECK(parse_fails("2023-10-09T17:13:20."));
  CHECK(parse_fails("2023-10-09T17:13:20Zjunk"));
  CHECK(parse_fails("2023-10-09X17:13:20"));
  CHECK(parse_fails("2023-1-09"));
  CHECK(parse_fails("abc"));
  CHECK(parse_fails(""));
  CHECK(parse_fails("1696871600"));
}

static void test_ts_format(void) {
  CHECK_STR(fmt_ts(0), "1970-01-01T00:00:00");
  CHECK_STR(fmt_ts(1696871600 * NS + 200000000), "2023-10-09T17:13:20.200");
  CHECK_STR(fmt_ts(1696871600 * NS + 123000), "2023-10-09T17:13:20.000123");
  CHECK_STR(fmt_ts(1696871600 * NS + 1), "2023-10-09T17:13:20.000000001");
  CHECK_STR(fmt_ts(1696871600 * NS + 120), "2023-10-09T17:13:20.000000120");
  CHECK_STR(fmt_ts(1695046990 * NS), "2023-09-18T14:23:10");
  CHECK_STR(fmt_ts(-500000000), "1969-12-31T23:59:59.500");
  CHECK_STR(fmt_ts(-1), "1969-12-31T23:59:59.999999999");
  CHECK_STR(fmt_ts(INT64_C(-2203891200) * NS), "1900-03-01T00:00:00");
  CHECK_STR(fmt_ts(INT64_MAX), "2262-04-11T23:47:16.854775807");
  CHECK_STR(fmt_ts(INT64_MIN), "1677-09-21T00:12:43.145224192");
  CHECK_I64(ts_format(1696871600 * NS + 200000000, (char[64]){0}), 23);
  /* parse(format(x)) == x over the whole range */
  srand(7);
  int bad = 0;
  for (int i = 0; i < 200000; i++) {
    int64_t x = (int64_t)(((uint64_t)rand() << 42) ^ ((uint64_t)rand() << 21) ^ (uint64_t)rand());
    if (i % 3 == 0) x = x / NS * NS;
    if (i % 3 == 1) x = x / 1000000 * 1000000;
    char buf[64];
    int64_t back;
    size_t n = ts_format(x, buf);
    if (ts_parse(buf, n, &back) != 0 || back != x) {
      if (bad++ < 5) fprintf(stderr, "ts round trip failed: %" PRId64 " -> %s\n", x, buf);
    }
  }
  CHECK_I64(bad, 0);
}

static void test_civil(void) {
  int bad = 0;
  for (int64_t z = -800000; z <= 800000; z += 7) {
    int64_t y;
    unsigned m, d;
    civil_from_days(z, &y, &m, &d);
    if (days_from_civil(y, m, d) != z || m < 1 || m > 12 || d < 1 || d > 31) bad++;
  }
  CHECK_I64(bad, 0);
  CHECK_I64(days_from_civil(1970, 1, 1), 0);
  CHECK_I64(days_from_civil(2000, 3, 1), 11017);
  CHECK_I64(days_from_civil(1969, 12, 31), -1);
  CHECK_I64(days_from_civil(-1, 12, 31), -719529);
  int64_t y;
  unsigned m, d;
  civil_from_days(19639, &y, &m, &d);             /* 2023-10-09 */
  CHECK(y == 2023 && m == 10 && d == 9);
}

static const char *f64s(double v) { static char b[64]; fmt_f64(v, b); return b; }
static const char *f32s(float v) { static char b[64]; fmt_f32(v, b); return b; }
static const char *i64s(int64_t v) { static char b[64]; fmt_i64(v, b); return b; }
static const char *u64s(uint64_t v) { static char b[64]; fmt_u64(v, b); return b; }

static void test_ints(void) {
  CHECK_STR(i64s(0), "0");
  CHECK_STR(i64s(7), "7");
  CHECK_STR(i64s(-7), "-7");
  CHECK_STR(i64s(10), "10");
  CHECK_STR(i64s(99), "99");
  CHECK_STR(i64s(100), "100");
  CHECK_STR(i64s(-1234567890123), "-1234567890123");
  CHECK_STR(i64s(INT64_MAX), "9223372036854775807");
  CHECK_STR(i64s(INT64_MIN), "-9223372036854775808");
  CHECK_STR(u64s(UINT64_MAX), "18446744073709551615");
  CHECK_STR(u64s(1000000), "1000000");
  char b[32];
  CHECK_I64(fmt_i64(-42, b), 3);
  CHECK_I64(fmt_u64(12345, b), 5);
}

/* Digits in the mantissa of a formatted float ("1.25e3" -> 3, "0.001" -> 1). */
static int sig_digits(const char *s) {
  int n = 0, started = 0, zeros = 0;
  for (; *s && *s != 'e'; s++) {
    if (*s < '0' || *s > '9') continue;
    if (*s == '0' && !started) continue;
    started = 1;
    if (*s == '0') zeros++; else { n += zeros + 1; zeros = 0; }
  }
  return n ? n : 1;
}

/* Fewest significant digits of a correctly rounded text that reads back. */
static int shortest_len(double v, int is_f32) {
  char b[64];
  for (int p = 1; p <= 17; p++) {
    snprintf(b, sizeof b, "%.*e", p - 1, v);
    if (is_f32 ? strtof(b, NULL) == (float)v : strtod(b, NULL) == v) return p;
  }
  return 17;
}

static void test_floats(void) {
  /* the lexical (arrow-json) layout: plain for decimal exponents -5..9, else d.ddde[-]x */
  CHECK_STR(f64s(0.1), "0.1");
  CHECK_STR(f64s(1.0), "1.0");
  CHECK_STR(f64s(-1.5), "-1.5");
  CHECK_STR(f64s(0.0), "0.0");
  CHECK_STR(f64s(-0.0), "-0.0");
  CHECK_STR(f64s(100.0), "100.0");
  CHECK_STR(f64s(123456789.0), "123456789.0");
  CHECK_STR(f64s(1e9), "1000000000.0");
  CHECK_STR(f64s(1e10), "1.0e10");
  CHECK_STR(f64s(12345678901.0), "1.2345678901e10");
  CHECK_STR(f64s(1e21), "1.0e21");
  CHECK_STR(f64s(5e-324), "5.0e-324");
  CHECK_STR(f64s(1.7976931348623157e308), "1.7976931348623157e308");
  CHECK_STR(f64s(2.2250738585072014e-308), "2.2250738585072014e-308");
  CHECK_STR(f64s(2.344763531113588e11), "2.344763531113588e11");   /* every_aggregate golden */
  CHECK_STR(f64s(1695067737.1303), "1695067737.1303");
  CHECK_STR(f64s(-53573.8328), "-53573.8328");
  CHECK_STR(f64s(0.30000000000000004), "0.30000000000000004");
  CHECK_STR(f64s(1e-5), "0.00001");
  CHECK_STR(f64s(1.5e-5), "0.000015");
  CHECK_STR(f64s(1e-6), "1.0e-6");
  CHECK_STR(f64s(1.234e-7), "1.234e-7");
  CHECK_STR(f64s(392.25), "392.25");
  CHECK_STR(f64s(9007199254740993.0), "9.007199254740992e15");
  CHECK_STR(f64s(4503599627370497.0), "4.503599627370497e15");
  CHECK_STR(f64s(123456.789), "123456.789");
  CHECK_STR(f64s(987654321.5), "987654321.5");
  CHECK_STR(f64s(1e15), "1.0e15");
  CHECK_STR(f64s(1e100), "1.0e100");
  CHECK_STR(f64s(1.0 / 3), "0.3333333333333333");
  CHECK_STR(f64s(2.0 / 3), "0.6666666666666666");
  CHECK_STR(f64s(NAN), "NaN");
  CHECK_STR(f64s(INFINITY), "inf");
  CHECK_STR(f64s(-INFINITY), "-inf");
  CHECK_STR(f32s(320.1f), "320.1");
  CHECK_STR(f32s(0.1f), "0.1");
  CHECK_STR(f32s(1.0f), "1.0");
  CHECK_STR(f32s(-2.5f), "-2.5");
  CHECK_STR(f32s(16777216.0f), "16777216.0");
  CHECK_STR(f32s(3.4028235e38f), "3.4028235e38");
  CHECK_STR(f32s(1.17549435e-38f), "1.1754944e-38");
  CHECK_STR(f32s(1e-45f), "1.0e-45");
  CHECK_STR(f32s(1797.72f), "1797.72");
  CHECK_STR(f32s(NAN), "NaN");
  CHECK_STR(f32s(-INFINITY), "-inf");

  /* random bit patterns: reads back exactly, and is as short as the shortest */
  srand(11);
  int bad_rt = 0, bad_len = 0, bad32_rt = 0, bad32_len = 0;
  for (int i = 0; i < 200000; i++) {
    uint64_t bits = ((uint64_t)rand() << 40) ^ ((uint64_t)rand() << 20) ^ (uint64_t)rand();
    bits ^= (uint64_t)rand() << 62;
    double v;
    memcpy(&v, &bits, 8);
    if (i % 4 == 1) v = (double)(rand() % 100000) / 100.0;       /* prices */
    if (i % 4 == 2) v = (double)rand() / RAND_MAX * pow(10, rand() % 40 - 20);
    if (!isfinite(v)) continue;
    char b[64];
    fmt_f64(v, b);
    double back = strtod(b, NULL);
    if (memcmp(&back, &v, 8) != 0 && !(v == 0 && back == 0)) {
      if (bad_rt++ < 5) fprintf(stderr, "f64 round trip: %.17g -> %s\n", v, b);
    }
    if (v != 0 && sig_digits(b) > shortest_len(v, 0)) {
      if (bad_len++ < 5) fprintf(stderr, "f64 not shortest: %.17g -> %s\n", v, b);
    }
    uint32_t fb = (uint32_t)bits;
    float f;
    memcpy(&f, &fb, 4);
    if (i % 4 == 1) f = (float)(rand() % 100000) / 10.0f;
    if (!isfinite(f)) continue;
    fmt_f32(f, b);
    float fback = strtof(b, NULL);
    if (memcmp(&fback, &f, 4) != 0 && !(f == 0 && fback == 0)) {
      if (bad32_rt++ < 5) fprintf(stderr, "f32 round trip: %.9g -> %s\n", f, b);
    }
    if (f != 0 && sig_digits(b) > shortest_len(f, 1)) {
      if (bad32_len++ < 5) fprintf(stderr, "f32 not shortest: %.9g -> %s\n", f, b);
    }
  }
  CHECK_I64(bad_rt, 0);
  CHECK_I64(bad_len, 0);
  CHECK_I64(bad32_rt, 0);
  CHECK_I64(bad32_len, 0);
}

UNIT_MAIN(
  test_ts_parse();
  test_ts_format();
  test_civil();
  test_ints();
  test_floats();
)
