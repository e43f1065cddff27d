/*
** runtime/timefmt.c: timestamp text conversions shared by the codecs and the casts.
**
** Entry points (declared in runtime.h, "text conversions"):
**   ts_parse          RFC 3339 text -> int64 ns since the Unix epoch (UTC)
**   ts_format         int64 ns -> "YYYY-MM-DDTHH:MM:SS[.fff|.ffffff|.fffffffff]", no zone
**   days_from_civil   proleptic Gregorian (y, m, d) -> days since 1970-01-01
**   civil_from_days   the inverse
**
** The calendar arithmetic follows Howard Hinnant's public-domain description of the
** "days from civil" algorithms: shift the year to start in March so the leap day is the
** last day of the year, then split into 400-year eras of 146097 days.
**
** It does NOT handle named time zones, SQL interval text or chrono-style format strings
** (to_char); those belong to the fn_* date functions.
*/
#include <string.h>
#include "runtime.h"

#define NS_PER_SEC INT64_C(1000000000)
#define SECS_PER_DAY INT64_C(86400)

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);                       /* [0, 399] */
  unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
  return era * 146097 + (int64_t)doe - 719468;
}

void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned)(z - era * 146097);                            /* [0, 146096] */
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;   /* [0, 399] */
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                 /* [0, 365] */
  unsigned mp = (5 * doy + 2) / 153;                                      /* [0, 11] */
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static unsigned days_in_month(int64_t y, unsigned m) {
  static const unsigned char dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Read exactly n decimal digits at s[*i]; -1 if any is not a digit. */
static int digits(const char *s, size_t len, size_t *i, int n) {
  int v = 0;
  if (*i + (size_t)n > len) return -1;
  for (int k = 0; k < n; k++) {
    unsigned c = (unsigned char)s[*i + k] - '0';
    if (c > 9) return -1;
    v = v * 10 + (int)c;
  }
  *i += (size_t)n;
  return v;
}

/* date      -> YYYY '-' MM '-' DD
** date_time -> date [ ('T' | 't' | ' ') HH ':' MM [ ':' SS [ '.' frac ] ] [ zone ] ]
** zone      -> 'Z' | 'z' | ('+' | '-') HH [ [':'] MM ]
** Fractions longer than 9 digits are truncated to nanoseconds. Out-of-range fields and
** results outside int64 nanoseconds (years 1677..2262) are errors. */
int ts_parse(const char *s, size_t n, int64_t *ns_out) {
  size_t i = 0;
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;  /* tolerate trailing blanks */
  while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
  int y = digits(s, n, &i, 4);
  if (y < 0 || i >= n || s[i++] != '-') return -1;
  int mo = digits(s, n, &i, 2);
  if (mo < 1 || mo > 12 || i >= n || s[i++] != '-') return -1;
  int d = digits(s, n, &i, 2);
  if (d < 1 || (unsigned)d > days_in_month(y, (unsigned)mo)) return -1;
  int64_t hh = 0, mi = 0, ss = 0, frac = 0, off = 0;
  if (i < n) {
    if (s[i] != 'T' && s[i] != 't' && s[i] != ' ') return -1;
    i++;
    hh = digits(s, n, &i, 2);
    if (hh < 0 || hh > 23 || i >= n || s[i++] != ':') return -1;
    mi = digits(s, n, &i, 2);
    if (mi < 0 || mi > 59) return -1;
    if (i < n && s[i] == ':') {
      i++;
      ss = digits(s, n, &i, 2);
      if (ss < 0 || ss > 59) return -1;
      if (i < n && s[i] == '.') {
        int nd = 0;
        i++;
        while (i < n && (unsigned)(s[i] - '0') <= 9) {
          if (nd < 9) { frac = frac * 10 + (s[i] - '0'); nd++; }
          i++;
        }
        if (nd == 0) return -1;
        for (; nd < 9; nd++) frac *= 10;
      }
    }
    if (i < n) {
      char c = s[i++];
      if (c == 'Z' || c == 'z') {
        /* UTC */
      } else if (c == '+' || c == '-') {
        int oh = digits(s, n, &i, 2), om = 0;
        if (oh < 0 || oh > 23) return -1;
        if (i < n) {
          if (s[i] == ':') i++;
          om = digits(s, n, &i, 2);
          if (om < 0 || om > 59) return -1;
        }
        off = (int64_t)(oh * 60 + om) * 60;
        if (c == '-') off = -off;
      } else {
        return -1;
      }
    }
    if (i != n) return -1;
  }
  /* Local time minus offset = UTC. Years are 4 digits, so seconds fit easily in int64;
  ** only the conversion to nanoseconds can overflow. */
  int64_t secs = days_from_civil(y, (unsigned)mo, (unsigned)d) * SECS_PER_DAY
                 + hh * 3600 + mi * 60 + ss - off;
  if (secs < 0 && frac > 0) { secs++; frac -= NS_PER_SEC; }   /* so INT64_MIN is reachable */
  if (secs > INT64_MAX / NS_PER_SEC || secs < INT64_MIN / NS_PER_SEC) return -1;
  int64_t ns = secs * NS_PER_SEC;
  if (frac > 0 ? ns > INT64_MAX - frac : ns < INT64_MIN - frac) return -1;
  *ns_out = ns + frac;
  return 0;
}

static char *put2(char *p, unsigned v) { p[0] = (char)('0' + v / 10); p[1] = (char)('0' + v % 10); return p + 2; }

size_t ts_format(int64_t ns, char *buf) {
  /* floor division: 1969-12-31T23:59:59.5 is -0.5 s = secs -1, frac 500000000 */
  int64_t secs = ns / NS_PER_SEC, frac = ns % NS_PER_SEC;
  if (frac < 0) { frac += NS_PER_SEC; secs--; }
  int64_t days = secs / SECS_PER_DAY, sod = secs % SECS_PER_DAY;
  if (sod < 0) { sod += SECS_PER_DAY; days--; }
  int64_t y;
  unsigned m, d;
  civil_from_days(days, &y, &m, &d);
  char *p = buf;
  if (y < 0 || y > 9999) {
    /* int64 ns spans 1677..2262, so this only guards callers passing odd values */
    p += fmt_i64(y, p);
  } else {
    p[0] = (char)('0' + y / 1000); p[1] = (char)('0' + y / 100 % 10);
    p[2] = (char)('0' + y / 10 % 10); p[3] = (char)('0' + y % 10);
    p += 4;
  }
  *p++ = '-'; p = put2(p, m); *p++ = '-'; p = put2(p, d);
  *p++ = 'T'; p = put2(p, (unsigned)(sod / 3600)); *p++ = ':';
  p = put2(p, (unsigned)(sod / 60 % 60)); *p++ = ':'; p = put2(p, (unsigned)(sod % 60));
  if (frac) {
    /* shortest of milli/micro/nano that is exact (chrono's AutoSi) */
    int nd = 9;
    if (frac % 1000000 == 0) { frac /= 1000000; nd = 3; }
    else if (frac % 1000 == 0) { frac /= 1000; nd = 6; }
    *p++ = '.';
    for (int k = nd - 1; k >= 0; k--) { p[k] = (char)('0' + frac % 10); frac /= 10; }
    p += nd;
  }
  *p = 0;
  return (size_t)(p - buf);
}
