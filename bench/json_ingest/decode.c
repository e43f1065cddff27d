/*
** bench/json_ingest/decode.c: our side of the JSON ingest benchmark.
**
** Usage: decode FILE.json [REPEAT]
** Reads the file with read(2) in 4 MB blocks (the time includes reading), splits lines,
** and decodes every line through the runtime's Decoder interface (dec_new / dec_record, as
** the single_file source does) into batches of 1024 typed rows, on one thread. To keep the
** work honest it folds every column of every row into checksums (the same aggregates the
** DuckDB side computes). Prints one line per run:
**   ours rows=N bytes=B seconds=S rows_per_s=R mb_per_s=M checksum=...
** and exits non-zero on a decode error. It does not generate data (gen.c does).
*/
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <stddef.h>
#include "../../runtime/runtime.h"

typedef struct Row {
  RtRowHeader h;
  int64_t id;
  int64_t user_id;    uint8_t user_id_null;
  double amount;      uint8_t amount_null;
  double score;       uint8_t score_null;
  RtStr name;         uint8_t name_null;
  RtStr city;         uint8_t city_null;
  int64_t ts;         uint8_t ts_null;
  uint8_t active;     uint8_t active_null;
  int64_t qty;        uint8_t qty_null;
  double lat;         uint8_t lat_null;
  double lon;         uint8_t lon_null;
  RtStr note;         uint8_t note_null;
  RtStr category;     uint8_t category_null;
} Row;

#define C(nm, ty, f) { #nm, ty, 1, 0, 0, offsetof(Row, f), offsetof(Row, f##_null) }
static const RtColumn cols[] = {
  { "id", RT_I64, 0, 0, 0, offsetof(Row, id), UINT32_MAX },
  C(user_id, RT_I64, user_id), C(amount, RT_F64, amount), C(score, RT_F64, score),
  C(name, RT_TEXT, name), C(city, RT_TEXT, city), C(ts, RT_TIMESTAMP, ts),
  C(active, RT_BOOL, active), C(qty, RT_I64, qty), C(lat, RT_F64, lat), C(lon, RT_F64, lon),
  C(note, RT_TEXT, note), C(category, RT_TEXT, category),
};
static const RtSchema schema = { "bench_row", sizeof(Row), 13, cols };

typedef struct Sums {
  int64_t n, id, user_id, qty, qty_n, city_n, active, strlen;
  double amount, score, lat, lon;
  int64_t ts_max;
} Sums;

static void fold(Sums *s, const Row *r, int64_t n) {
  for (int64_t i = 0; i < n; i++, r++) {
    s->n++;
    s->id += r->id;
    s->user_id += r->user_id;
    s->amount += r->amount;
    s->score += r->score;
    s->strlen += r->name.len + r->note.len + r->category.len;
    if (!r->city_null) { s->city_n++; s->strlen += r->city.len; }
    if (r->ts > s->ts_max) s->ts_max = r->ts;
    s->active += r->active;
    if (!r->qty_null) { s->qty_n++; s->qty += r->qty; }
    s->lat += r->lat;
    s->lon += r->lon;
  }
}

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int run(const char *path, Decoder *d) {
  enum { BATCH = 1024, BLOCK = 4 << 20 };
  static Row rows[BATCH + 2];
  char err[512];
  Arena arena;
  Sums s;
  memset(&s, 0, sizeof s);
  arena_init(&arena, 256 * 1024);
  char *buf = malloc(2 * BLOCK);
  size_t have = 0, cap = 2 * BLOCK;
  int64_t nrows = 0, nbytes = 0, lineno = 0;
  double t0 = now_s();
  int fd = open(path, O_RDONLY);
  if (fd < 0) { perror(path); return 1; }
  for (;;) {
    if (cap - have < BLOCK) { cap *= 2; buf = realloc(buf, cap); }
    ssize_t got = read(fd, buf + have, BLOCK);
    if (got < 0) { perror("read"); return 1; }
    have += (size_t)got;
    nbytes += got;
    /* decode the whole lines now in buf; keep the partial last line */
    char *p = buf, *end = buf + have;
    int64_t k = 0;
    for (;;) {
      char *nl = memchr(p, '\n', (size_t)(end - p));
      if (!nl) {
        if (got > 0 || p == end) break;
        nl = end;                                   /* last line without '\n' */
      }
      lineno++;
      int n = dec_record(d, p, (size_t)(nl - p), &rows[k], &arena, err, sizeof err);
      if (n < 0) { fprintf(stderr, "%s:%lld: %s\n", path, (long long)lineno, err); return 1; }
      k += n;
      if (k >= BATCH) { fold(&s, rows, k); nrows += k; k = 0; arena_reset(&arena); }
      p = nl < end ? nl + 1 : end;
    }
    fold(&s, rows, k);
    nrows += k;
    arena_reset(&arena);
    memmove(buf, p, (size_t)(end - p));
    have = (size_t)(end - p);
    if (got == 0) break;
  }
  close(fd);
  double secs = now_s() - t0;
  printf("ours rows=%lld bytes=%lld seconds=%.3f rows_per_s=%.0f mb_per_s=%.1f "
         "checksum=%lld/%lld/%lld/%.2f/%.6f/%lld/%lld/%lld/%lld/%lld\n",
         (long long)nrows, (long long)nbytes, secs, (double)nrows / secs,
         (double)nbytes / secs / 1e6, (long long)s.id, (long long)s.user_id, (long long)s.qty,
         s.amount, s.score, (long long)s.qty_n, (long long)s.city_n, (long long)s.active,
         (long long)s.strlen, (long long)(s.ts_max / 1000000000));
  free(buf);
  arena_free(&arena);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) { fprintf(stderr, "usage: decode FILE.json [REPEAT]\n"); return 2; }
  int repeat = argc > 2 ? atoi(argv[2]) : 1;
  RtConnector c;
  memset(&c, 0, sizeof c);
  c.table = "bench";
  c.connector = "single_file";
  c.schema = &schema;
  c.event_time_col = 6;
  char err[256];
  Decoder *d = dec_new(&c, err, sizeof err);
  if (!d) { fprintf(stderr, "dec_new: %s\n", err); return 1; }
  for (int i = 0; i < repeat; i++)
    if (run(argv[1], d)) return 1;
  dec_free(d);
  return 0;
}
