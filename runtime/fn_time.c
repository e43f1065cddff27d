/*
** runtime/fn_time.c: date and time functions on TIMESTAMP values (int64 nanoseconds since the
** Unix epoch, UTC): date_trunc, date_part/extract, timestamp +/- interval, to_timestamp(text),
** from_unixtime and to_char.
**
** All arithmetic is proleptic Gregorian in UTC with floor division, so timestamps before 1970
** (negative) truncate and extract like any other; there are no time zones or leap seconds.
** Calendar conversion is civil_from_days / days_from_civil and text parsing is ts_parse, all
** from timefmt.c; this file does not parse or print RFC 3339 itself.
** Units and fields are matched ASCII case-insensitively, singular or plural ('hour', 'HOURS').
*/
#include <string.h>
#include "fn.h"

#define NS_PER_SEC 1000000000LL
#define NS_PER_DAY 86400000000000LL

static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}
static int64_t floor_mod(int64_t a, int64_t b) { int64_t r = a % b; return r < 0 ? r + b : r; }

/* Broken-down UTC time. */
typedef struct Tm {
  int64_t year;        /* astronomical year (0 = 1 BC) */
  unsigned month;      /* 1..12 */
  unsigned day;        /* 1..31 */
  int64_t days;        /* days since 1970-01-01 */
  int hour, min, sec;  /* time of day */
  int64_t nanos;       /* 0..999999999 within the second */
  int64_t nod;         /* ns since midnight */
} Tm;

static void tm_from_ts(int64_t ts, Tm *t) {
  int64_t nod = floor_mod(ts, NS_PER_DAY);
  t->days = floor_div(ts, NS_PER_DAY);     /* (days * NS_PER_DAY may not fit: never computed) */
  t->nod = nod;
  civil_from_days(t->days, &t->year, &t->month, &t->day);
  t->hour = (int)(nod / (3600 * NS_PER_SEC));
  t->min = (int)(nod / (60 * NS_PER_SEC) % 60);
  t->sec = (int)(nod / NS_PER_SEC % 60);
  t->nanos = nod % NS_PER_SEC;
}

static int is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static unsigned days_in_month(int64_t y, unsigned m) {
  static const unsigned char dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

static int dow_sun0(int64_t days) { return (int)floor_mod(days + 4, 7); }   /* 1970-01-01: Thu */

/* ISO 8601 week-numbering year and week of a day. */
static void iso_week(int64_t days, int64_t *iso_year, int *week) {
  int wd = dow_sun0(days);
  int64_t thursday = days + (3 - (wd + 6) % 7);   /* the Thursday of the same Mon..Sun week */
  int64_t y;
  unsigned m, d;
  civil_from_days(thursday, &y, &m, &d);
  *iso_year = y;
  *week = (int)((thursday - days_from_civil(y, 1, 1)) / 7 + 1);
}

/* Lower-case a unit name into buf and drop a plural 's'. Returns 0 if it cannot be a unit. */
static int unit_name(RtStr u, char *buf, size_t cap) {
  size_t n = 0;
  if (u.len <= 0 || (size_t)u.len >= cap) return 0;
  for (int64_t i = 0; i < u.len; i++) buf[n++] = (char)fn_ascii_lower((unsigned char)u.ptr[i]);
  if (n > 2 && buf[n - 1] == 's') n--;
  buf[n] = 0;
  return 1;
}

/* ---- date_trunc ------------------------------------------------------------------------- */

/* "date_trunc: result out of range for 1677-09-21T00:12:43.145224192" */
static int trunc_range(RtCtx *ctx, int64_t ts) {
  char buf[48];
  ts_format(ts, buf);
  return rt_error(ctx, NULL, "date_trunc: result out of range for %s", buf);
}

static int trunc_to(RtCtx *ctx, int64_t ts, int64_t unit, int64_t *out) {
  if (rt_sub_i64(ts, floor_mod(ts, unit), out)) return trunc_range(ctx, ts);
  return RT_OK;
}

static int days_to_ts(RtCtx *ctx, int64_t ts, int64_t days, int64_t *out) {
  if (rt_mul_i64(days, NS_PER_DAY, out)) return trunc_range(ctx, ts);
  return RT_OK;
}

/* date_trunc(unit, ts): microsecond millisecond second minute hour day week (starting
** Monday, as ISO weeks and DataFusion do) month quarter year. */
int fn_date_trunc(RtCtx *ctx, RtStr unit, int64_t ts, int64_t *out) {
  char u[24];
  if (!unit_name(unit, u, sizeof u)) goto bad;
  if (!strcmp(u, "microsecond")) return trunc_to(ctx, ts, 1000, out);
  if (!strcmp(u, "millisecond")) return trunc_to(ctx, ts, 1000000, out);
  if (!strcmp(u, "second")) return trunc_to(ctx, ts, NS_PER_SEC, out);
  if (!strcmp(u, "minute")) return trunc_to(ctx, ts, 60 * NS_PER_SEC, out);
  if (!strcmp(u, "hour")) return trunc_to(ctx, ts, 3600 * NS_PER_SEC, out);
  if (!strcmp(u, "day")) return trunc_to(ctx, ts, NS_PER_DAY, out);
  int64_t days = floor_div(ts, NS_PER_DAY);
  if (!strcmp(u, "week")) return days_to_ts(ctx, ts, days - (dow_sun0(days) + 6) % 7, out);
  Tm t;
  tm_from_ts(ts, &t);
  if (!strcmp(u, "month")) return days_to_ts(ctx, ts, days_from_civil(t.year, t.month, 1), out);
  if (!strcmp(u, "quarter"))
    return days_to_ts(ctx, ts, days_from_civil(t.year, (t.month - 1) / 3 * 3 + 1, 1), out);
  if (!strcmp(u, "year")) return days_to_ts(ctx, ts, days_from_civil(t.year, 1, 1), out);
bad:
  return rt_error(ctx, NULL, "date_trunc: unsupported unit '%.*s'", FN_QUOTE(unit));
}

/* ---- date_part / extract ---------------------------------------------------------------- */

/* date_part(field, ts) as double. second/millisecond/microsecond include the fraction
** (PostgreSQL: extract(second) of 10:00:05.5 is 5.5, millisecond 5500); nanosecond is
** seconds * 1e9 + nanos (DataFusion). dow: Sunday = 0; isodow: Monday = 1 .. Sunday = 7;
** week and isoyear follow ISO 8601; epoch is seconds since 1970 with fraction. */
int fn_date_part(RtCtx *ctx, RtStr field, int64_t ts, double *out) {
  char f[24];
  Tm t;
  if (!unit_name(field, f, sizeof f)) goto bad;
  tm_from_ts(ts, &t);
  int64_t sec_ns = (int64_t)t.sec * NS_PER_SEC + t.nanos;   /* ns within the minute */
  switch (f[0]) {
  case 'y': if (!strcmp(f, "year")) { *out = (double)t.year; return RT_OK; } break;
  case 'q': if (!strcmp(f, "quarter")) { *out = (double)((t.month - 1) / 3 + 1); return RT_OK; } break;
  case 'm':
    if (!strcmp(f, "month")) { *out = t.month; return RT_OK; }
    if (!strcmp(f, "minute")) { *out = t.min; return RT_OK; }
    if (!strcmp(f, "millisecond")) { *out = (double)sec_ns / 1e6; return RT_OK; }
    if (!strcmp(f, "microsecond")) { *out = (double)sec_ns / 1e3; return RT_OK; }
    break;
  case 'd':
    if (!strcmp(f, "day")) { *out = t.day; return RT_OK; }
    if (!strcmp(f, "dow")) { *out = dow_sun0(t.days); return RT_OK; }
    if (!strcmp(f, "doy")) { *out = (double)(t.days - days_from_civil(t.year, 1, 1) + 1); return RT_OK; }
    break;
  case 'h': if (!strcmp(f, "hour")) { *out = t.hour; return RT_OK; } break;
  case 's': if (!strcmp(f, "second")) { *out = (double)sec_ns / 1e9; return RT_OK; } break;
  case 'n': if (!strcmp(f, "nanosecond")) { *out = (double)sec_ns; return RT_OK; } break;
  case 'i':
    if (!strcmp(f, "isodow")) { int d = dow_sun0(t.days); *out = d ? d : 7; return RT_OK; }
    if (!strcmp(f, "isoyear")) { int64_t y; int w; iso_week(t.days, &y, &w); *out = (double)y; return RT_OK; }
    break;
  case 'w':
    if (!strcmp(f, "week")) { int64_t y; int w; iso_week(t.days, &y, &w); *out = w; return RT_OK; }
    break;
  case 'e':
    if (!strcmp(f, "epoch")) {
      /* whole seconds and fraction separately: (double)ts / 1e9 would round twice */
      *out = (double)floor_div(ts, NS_PER_SEC) + (double)floor_mod(ts, NS_PER_SEC) / 1e9;
      return RT_OK;
    }
    break;
  }
bad:
  return rt_error(ctx, NULL, "date_part: unsupported field '%.*s'", FN_QUOTE(field));
}

/* ---- timestamp +/- interval ------------------------------------------------------------- */

/* ts + sign * interval, as Arrow/DataFusion add month_day_nano intervals: months first, on
** the calendar, with the day clamped to the end of the target month (Jan 31 + 1 month =
** Feb 28/29); then days (exactly 24 h: UTC has no DST); then nanoseconds. So
** (ts + 1 month) - 1 month is not always ts. Overflow is an error. */
int fn_ts_add_interval(RtCtx *ctx, int64_t ts, RtInterval iv, int sign, int64_t *out) {
  int64_t months = (int64_t)iv.months, days = (int64_t)iv.days, nanos = iv.nanos, d, ts0 = ts;
  if (sign < 0) {
    months = -months;
    days = -days;
    if (nanos == INT64_MIN) goto range;
    nanos = -nanos;
  }
  if (months) {
    Tm t;
    tm_from_ts(ts, &t);
    int64_t nod = t.nod;
    int64_t m0 = t.year * 12 + (int64_t)(t.month - 1) + months;
    int64_t y = floor_div(m0, 12);
    unsigned m = (unsigned)(m0 - y * 12) + 1;
    unsigned day = t.day;
    if (day > days_in_month(y, m)) day = days_in_month(y, m);
    if (rt_mul_i64(days_from_civil(y, m, day), NS_PER_DAY, &ts) || rt_add_i64(ts, nod, &ts)) goto range;
  }
  if (days && (rt_mul_i64(days, NS_PER_DAY, &d) || rt_add_i64(ts, d, &ts))) goto range;
  if (nanos && rt_add_i64(ts, nanos, &ts)) goto range;
  *out = ts;
  return RT_OK;
range: {
    char buf[48];
    ts_format(ts0, buf);
    return rt_error(ctx, NULL, "timestamp %s interval: result out of range (%s %s %d months %d days %lld ns)",
                    sign < 0 ? "-" : "+", buf, sign < 0 ? "-" : "+", iv.months, iv.days, (long long)iv.nanos);
  }
}

/* ---- parsing and conversion ------------------------------------------------------------- */

/* to_timestamp(text): RFC 3339, 'YYYY-MM-DD HH:MM:SS[.f]' or a date (ts_parse's forms);
** surrounding spaces are ignored. Anything else is an error naming the text. */
int fn_to_timestamp_text(RtCtx *ctx, RtStr s, int64_t *out) {
  const char *b = s.ptr, *e = s.ptr + s.len;
  while (b < e && (*b == ' ' || *b == '\t')) b++;
  while (e > b && (e[-1] == ' ' || e[-1] == '\t')) e--;
  if (e > b && ts_parse(b, (size_t)(e - b), out) == 0) return RT_OK;
  return rt_error(ctx, NULL, "to_timestamp: cannot parse '%.*s' as a timestamp", FN_QUOTE(s));
}

/* from_unixtime(secs): seconds since the epoch to a timestamp. */
int fn_from_unixtime(RtCtx *ctx, RtStr fmt_unused, int64_t secs, int64_t *out) {
  if (rt_mul_i64(secs, NS_PER_SEC, out))
    return rt_error(ctx, NULL, "from_unixtime: %lld seconds is out of the timestamp range", (long long)secs);
  return RT_OK;
}

/* ---- to_char ---------------------------------------------------------------------------- */

static const char *const month_names[12] = {
  "January", "February", "March", "April", "May", "June", "July", "August", "September",
  "October", "November", "December",
};
static const char *const day_names[7] = {
  "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
};

/* Write v padded to width with pad ('0', ' ', or 0 for none); a sign goes before zeros. */
static char *put_num(char *o, int64_t v, int width, char pad) {
  char tmp[24];
  int n = 0, neg = v < 0;
  uint64_t u = neg ? 0 - (uint64_t)v : (uint64_t)v;
  do { tmp[n++] = (char)('0' + u % 10); u /= 10; } while (u);
  int len = n + neg;
  if (pad == ' ') while (len < width) { *o++ = ' '; len++; }
  if (neg) *o++ = '-';
  if (pad == '0') while (len < width) { *o++ = '0'; len++; }
  while (n) *o++ = tmp[--n];
  return o;
}

static char *put_str(char *o, const char *s, size_t n) { memcpy(o, s, n); return o + n; }

static char *put_frac(char *o, int64_t nanos, int digits) {
  int64_t v = nanos;
  for (int i = 9; i > digits; i--) v /= 10;
  return put_num(o, v, digits, '0');
}

/* Expand one chrono specifier (after '%' and an optional pad modifier). Returns the new
** output position, or NULL for an unknown specifier. `spec` points at the specifier, and
** *used receives how many format bytes it took. */
static char *fmt_one(char *o, const Tm *t, int64_t ts, const char *spec, const char *fe, char padmod,
                     int *used) {
  char c = *spec;
  *used = 1;
#define PAD(def) (padmod == '-' ? 0 : padmod ? padmod : (def))
  switch (c) {
  case 'Y':
    if (t->year >= 0 && t->year <= 9999) return put_num(o, t->year, 4, PAD('0'));
    if (t->year > 9999) *o++ = '+';
    return put_num(o, t->year, 5, PAD('0'));      /* chrono: sign and at least 4 digits */
  case 'C': return put_num(o, floor_div(t->year, 100), 2, PAD('0'));
  case 'y': return put_num(o, floor_mod(t->year, 100), 2, PAD('0'));
  case 'm': return put_num(o, t->month, 2, PAD('0'));
  case 'd': return put_num(o, t->day, 2, PAD('0'));
  case 'e': return put_num(o, t->day, 2, PAD(' '));
  case 'H': return put_num(o, t->hour, 2, PAD('0'));
  case 'k': return put_num(o, t->hour, 2, PAD(' '));
  case 'I': return put_num(o, (t->hour + 11) % 12 + 1, 2, PAD('0'));
  case 'l': return put_num(o, (t->hour + 11) % 12 + 1, 2, PAD(' '));
  case 'M': return put_num(o, t->min, 2, PAD('0'));
  case 'S': return put_num(o, t->sec, 2, PAD('0'));
  case 'j': return put_num(o, t->days - days_from_civil(t->year, 1, 1) + 1, 3, PAD('0'));
  case 'w': return put_num(o, dow_sun0(t->days), 1, PAD('0'));
  case 'u': { int d = dow_sun0(t->days); return put_num(o, d ? d : 7, 1, PAD('0')); }
  case 'U': case 'W': {
    int64_t yday = t->days - days_from_civil(t->year, 1, 1);
    int wd = dow_sun0(t->days);
    if (c == 'W') wd = (wd + 6) % 7;             /* weeks start Monday */
    return put_num(o, (yday + 7 - wd) / 7, 2, PAD('0'));
  }
  case 'G': case 'g': case 'V': {
    int64_t y;
    int w;
    iso_week(t->days, &y, &w);
    if (c == 'V') return put_num(o, w, 2, PAD('0'));
    if (c == 'g') return put_num(o, floor_mod(y, 100), 2, PAD('0'));
    if (y > 9999) *o++ = '+';
    return put_num(o, y, y >= 0 && y <= 9999 ? 4 : 5, PAD('0'));
  }
  case 'b': case 'h': return put_str(o, month_names[t->month - 1], 3);
  case 'B': return put_str(o, month_names[t->month - 1], strlen(month_names[t->month - 1]));
  case 'a': return put_str(o, day_names[dow_sun0(t->days)], 3);
  case 'A': { const char *n = day_names[dow_sun0(t->days)]; return put_str(o, n, strlen(n)); }
  case 'p': return put_str(o, t->hour < 12 ? "AM" : "PM", 2);
  case 'P': return put_str(o, t->hour < 12 ? "am" : "pm", 2);
  case 'f': return put_frac(o, t->nanos, 9);      /* chrono: nanoseconds, 9 digits */
  case '.':
    if (spec + 1 < fe && spec[1] == 'f') {          /* %.f: .fff/.ffffff/.fffffffff or nothing */
      *used = 2;
      if (t->nanos == 0) return o;
      *o++ = '.';
      return put_frac(o, t->nanos, t->nanos % 1000000 == 0 ? 3 : t->nanos % 1000 == 0 ? 6 : 9);
    }
    if (spec + 2 < fe && (spec[1] == '3' || spec[1] == '6' || spec[1] == '9') && spec[2] == 'f') {
      *used = 3;
      *o++ = '.';
      return put_frac(o, t->nanos, spec[1] - '0');
    }
    return NULL;
  case '3': case '6': case '9':
    if (spec + 1 < fe && spec[1] == 'f') { *used = 2; return put_frac(o, t->nanos, c - '0'); }
    return NULL;
  case 's': return put_num(o, floor_div(ts, NS_PER_SEC), 1, 0);
  case 'Z': return put_str(o, "UTC", 3);
  case 'z': return put_str(o, "+0000", 5);
  case ':':
    if (spec + 1 < fe && spec[1] == 'z') { *used = 2; return put_str(o, "+00:00", 6); }
    return NULL;
  case 't': *o++ = '\t'; return o;
  case 'n': *o++ = '\n'; return o;
  case '%': *o++ = '%'; return o;
  }
#undef PAD
  return NULL;
}

/* Composite specifiers expand to a sub-format. */
static const char *composite(char c) {
  switch (c) {
  case 'D': case 'x': return "%m/%d/%y";
  case 'F': return "%Y-%m-%d";
  case 'v': return "%e-%b-%Y";
  case 'R': return "%H:%M";
  case 'T': case 'X': return "%H:%M:%S";
  case 'r': return "%I:%M:%S %p";
  case 'c': return "%a %b %e %H:%M:%S %Y";
  case '+': return "%Y-%m-%dT%H:%M:%S%.f+00:00";
  }
  return NULL;
}

/* Expand fmt into o (sized by the caller: at most 24 bytes per format byte + 64).
** Returns the end, or NULL with *bad pointing at the offending specifier. */
static char *fmt_run(char *o, const Tm *t, int64_t ts, const char *f, const char *fe, const char **bad) {
  while (f < fe) {
    const char *pct = memchr(f, '%', (size_t)(fe - f));
    if (!pct) return put_str(o, f, (size_t)(fe - f));
    o = put_str(o, f, (size_t)(pct - f));
    const char *spec = pct + 1;
    char padmod = 0;
    if (spec < fe && (*spec == '-' || *spec == '_' || *spec == '0')) {
      padmod = *spec == '_' ? ' ' : *spec;
      spec++;
    }
    if (spec >= fe) { *bad = pct; return NULL; }
    const char *sub = composite(*spec);
    int used;
    if (sub) {
      o = fmt_run(o, t, ts, sub, sub + strlen(sub), bad);
      used = 1;
    } else {
      o = fmt_one(o, t, ts, spec, fe, padmod, &used);
      if (!o) { *bad = pct; return NULL; }
    }
    f = spec + used;
  }
  return o;
}

/* to_char(ts, format): chrono strftime-style specifiers (%Y %m %d %H %M %S %f %.f %.3f %j %a
** %A %b %B %e %y %p %s %Z %z %F %T %+ ... with '-', '_', '0' padding modifiers), in UTC. An
** unknown specifier is an error naming it. */
int fn_to_char(RtCtx *ctx, int64_t ts, RtStr format, RtStr *out) {
  Tm t;
  char stack[512], *buf;
  int64_t bound = format.len * 24 + 64;
  const char *bad = NULL;
  tm_from_ts(ts, &t);
  buf = bound <= (int64_t)sizeof stack ? stack : rt_alloc(ctx, bound);
  char *end = fmt_run(buf, &t, ts, format.ptr, format.ptr + format.len, &bad);
  if (!end) {
    const char *fe = format.ptr + format.len;
    int n = bad + 1 < fe && (bad[1] == '-' || bad[1] == '_' || bad[1] == '0') ? 3 : 2;
    if (n > fe - bad) n = (int)(fe - bad);
    return rt_error(ctx, NULL, "to_char: invalid format specifier '%.*s' in '%.*s'", n, bad, FN_QUOTE(format));
  }
  if (buf == stack) {
    char *d = rt_alloc(ctx, end - buf);
    memcpy(d, buf, (size_t)(end - buf));
    *out = rt_str(d, end - buf);
  } else {
    *out = rt_str(buf, end - buf);
  }
  return RT_OK;
}
