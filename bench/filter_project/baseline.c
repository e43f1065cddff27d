/*
** bench/filter_project/baseline.c: hand-written C doing the work of the benchmark queries,
** single-threaded, as the reference the generated pipelines are measured against.
**
**   baseline impulse N     the loop of query_impulse.sql: counter = 0..N-1, keep rows with
**                          counter % 10 <> 3, compute a = counter * 3 + 7 (overflow-checked,
**                          as SQL requires), b = counter % 1000, parity = 'even' / 'odd'
**   baseline json FILE     the work of query_json.sql over a JSON-lines file: read it in
**                          1 MB blocks, parse every line with a small hand-written parser
**                          (below), apply the same filter and projection
**
** Every output row is folded into a checksum that is printed, so the compiler cannot drop the
** work; the row count is printed too (it must match the worker's "rows written" line).
** Output on stdout: "rows_in=N rows_out=M checksum=X".
**
** The JSON parser is what a C programmer would write for this one file shape: keys in any
** order, unknown keys skipped (numbers, strings, true/false/null only: no nested values),
** strings without escapes taken as pointer + length, timestamps in the fixed form
** YYYY-MM-DDTHH:MM:SS[.fff]Z. It validates little, unlike the project's decoder (codec_json.c),
** which checks types, ranges, UTF-8, NOT NULL and escapes: that is part of what the ratio
** of the json variant measures.
*/
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint64_t mix(uint64_t h, uint64_t v) { return (h ^ v) * 0x100000001b3ULL; }

/* ---- impulse variant ---------------------------------------------------------------------- */

static int run_impulse(uint64_t n) {
  uint64_t sum = 0, out = 0;
  for (uint64_t counter = 0; counter < n; counter++) {
    if (counter % 10 == 3) continue;
    uint64_t a;
    if (__builtin_mul_overflow(counter, (uint64_t)3, &a) ||
        __builtin_add_overflow(a, (uint64_t)7, &a)) {
      fprintf(stderr, "baseline: overflow\n");
      return 1;
    }
    uint64_t b = counter % 1000;
    const char *parity = counter % 2 == 0 ? "even" : "odd";
    size_t plen = counter % 2 == 0 ? 4 : 3;
    sum = mix(sum, counter + a + b + plen + (uint8_t)parity[0]);
    out++;
  }
  printf("rows_in=%llu rows_out=%llu checksum=%016llx\n", (unsigned long long)n,
         (unsigned long long)out, (unsigned long long)sum);
  return 0;
}

/* ---- json variant ------------------------------------------------------------------------- */

typedef struct Rec {
  int64_t id, user_id, qty;
  double price;
  const char *category; size_t category_len;
  int64_t ts;            /* ns since epoch */
  int active;
} Rec;

static const char *skip_ws(const char *p) {
  while (*p == ' ' || *p == '\t') p++;
  return p;
}

static const char *parse_i64(const char *p, int64_t *out) {
  int neg = 0;
  int64_t v = 0;
  if (*p == '-') { neg = 1; p++; }
  if (*p < '0' || *p > '9') return NULL;
  while (*p >= '0' && *p <= '9') v = v * 10 + (*p++ - '0');
  *out = neg ? -v : v;
  return p;
}

static const char *parse_f64(const char *p, double *out) {
  char *end;
  *out = strtod(p, &end);
  return end == p ? NULL : end;
}

/* A string without escapes: pointer just past the opening quote, and its length. */
static const char *parse_str(const char *p, const char **s, size_t *len) {
  if (*p != '"') return NULL;
  const char *q = strchr(p + 1, '"');   /* lines are NUL-terminated */
  if (!q) return NULL;
  *s = p + 1;
  *len = (size_t)(q - p - 1);
  return q + 1;
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int64_t)doe - 719468;
}

static int dig(const char *s, int n) {
  int v = 0;
  for (int i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
  return v;
}

/* "YYYY-MM-DDTHH:MM:SS[.fff...]Z" */
static int parse_ts(const char *s, size_t n, int64_t *out) {
  if (n < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
    return -1;
  int64_t secs = days_from_civil(dig(s, 4), (unsigned)dig(s + 5, 2), (unsigned)dig(s + 8, 2)) * 86400 +
                 dig(s + 11, 2) * 3600 + dig(s + 14, 2) * 60 + dig(s + 17, 2);
  int64_t frac = 0;
  size_t i = 19;
  if (s[i] == '.') {
    int64_t scale = 100000000;
    for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, scale /= 10) frac += (s[i] - '0') * scale;
  }
  *out = secs * 1000000000LL + frac;
  return 0;
}

static int parse_line(const char *p, Rec *r) {
  memset(r, 0, sizeof *r);
  p = skip_ws(p);
  if (*p++ != '{') return -1;
  for (;;) {
    p = skip_ws(p);
    if (*p == '}') return 0;
    const char *k; size_t kn;
    if (!(p = parse_str(p, &k, &kn))) return -1;
    p = skip_ws(p);
    if (*p++ != ':') return -1;
    p = skip_ws(p);
#define KEY(s) (kn == sizeof(s) - 1 && memcmp(k, s, kn) == 0)
    if (KEY("id")) p = parse_i64(p, &r->id);
    else if (KEY("user_id")) p = parse_i64(p, &r->user_id);
    else if (KEY("qty")) p = parse_i64(p, &r->qty);
    else if (KEY("price")) p = parse_f64(p, &r->price);
    else if (KEY("category")) p = parse_str(p, &r->category, &r->category_len);
    else if (KEY("ts")) {
      const char *s; size_t sn;
      if (!(p = parse_str(p, &s, &sn)) || parse_ts(s, sn, &r->ts) < 0) return -1;
    } else if (KEY("active")) {
      if (memcmp(p, "true", 4) == 0) { r->active = 1; p += 4; }
      else if (memcmp(p, "false", 5) == 0) { r->active = 0; p += 5; }
      else return -1;
    } else {   /* unknown key: skip a scalar */
      if (*p == '"') { const char *s; size_t sn; p = parse_str(p, &s, &sn); }
      else while (*p && *p != ',' && *p != '}') p++;
    }
#undef KEY
    if (!p) return -1;
    p = skip_ws(p);
    if (*p == ',') p++;
    else if (*p != '}') return -1;
  }
}

static int run_json(const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) { perror(path); return 1; }
  size_t cap = 1 << 20, len = 0;
  char *buf = malloc(cap + 1);
  uint64_t sum = 0, in = 0, out = 0, line_no = 0;
  for (;;) {
    ssize_t got = read(fd, buf + len, cap - len);
    if (got < 0) { perror("read"); return 1; }
    len += (size_t)got;
    buf[len] = 0;
    char *p = buf, *end = buf + len;
    for (;;) {
      char *nl = memchr(p, '\n', (size_t)(end - p));
      if (!nl) {
        if (got == 0 && p < end) nl = end;   /* last line without a newline */
        else break;
      }
      *nl = 0;
      line_no++;
      if (nl > p) {
        Rec r;
        if (parse_line(p, &r) < 0) {
          fprintf(stderr, "%s:%llu: bad line\n", path, (unsigned long long)line_no);
          return 1;
        }
        in++;
        /* WHERE active AND price >= 10.0 AND category <> 'toys' */
        if (r.active && r.price >= 10.0 &&
            !(r.category_len == 4 && memcmp(r.category, "toys", 4) == 0)) {
          int64_t bucket = r.user_id % 100;
          double total = r.price * (double)r.qty;
          int bulk = r.qty > 5;
          int64_t hour = (r.ts / 3600000000000LL) % 24;
          uint64_t tb;
          memcpy(&tb, &total, 8);
          sum = mix(sum, (uint64_t)r.id + (uint64_t)bucket + tb + (uint64_t)bulk +
                         (uint64_t)hour + r.category_len + (uint8_t)r.category[0] +
                         (uint64_t)r.ts);
          out++;
        }
      }
      p = nl + 1;
      if (p >= end) break;
    }
    if (got == 0) break;
    len = (size_t)(end > p ? end - p : 0);
    memmove(buf, p, len);
    if (len == cap) { cap *= 2; buf = realloc(buf, cap + 1); }
  }
  close(fd);
  printf("rows_in=%llu rows_out=%llu checksum=%016llx\n", (unsigned long long)in,
         (unsigned long long)out, (unsigned long long)sum);
  free(buf);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "impulse") == 0)
    return run_impulse(strtoull(argv[2], NULL, 10));
  if (argc == 3 && strcmp(argv[1], "json") == 0) return run_json(argv[2]);
  fprintf(stderr, "usage: baseline impulse N | baseline json FILE\n");
  return 2;
}
