/*
** tests/unit/test_nexmark.c: the Nexmark generator (connectors/nexmark_gen.c) and the nexmark
** source (connectors/nexmark.c, driven through its SourceOps directly).
**
** - schema: the registry's default columns, compiled by the real compiler (tcc backend) into
**   a pipeline .so; its source schema is Arroyo's (names, types, nullability) and is what the
**   source fills below. A hand-written schema with a field subset in another order, nullable
**   fields and only a bid column checks that fields are found by name.
** - determinism: the same base time and event count give the same rows, byte for byte (every
**   column, null flag, number and string content), twice at parallelism 1, and at parallelism
**   3 once the three subtasks' rows are merged and sorted by event time (= event id order).
** - proportions: 100 cycles of 50 events hold exactly 1 person, 3 auctions, 46 bids each, in
**   that order, and every row has exactly one non-NULL struct.
** - ids: persons and auctions are numbered 1000, 1001, ... in order; every bid's auction and
**   bidder and every auction's seller follow the hot-key rules (the hot id, or a random one in
**   the allowed window); hot shares are near 1/2 and 3/4; categories, prices, reserves,
**   expiry, channels and string shapes are within the specification.
** - time: header ts = the event's datetime = base + n * floor(1e9 / event_rate).
** - options: runtime, max_events, unthrottled, default base time shared by subtasks, pacing
**   by the wall clock, and the error messages for bad values.
** - checkpoints: runs checkpointed after random progress per subtask and restored at other
**   parallelisms (several times in a row) give every event exactly once; positions are never
**   -1 at the same parallelism and never after the end; the defaulted base time and the pace
**   come back after a restore; positions of another stream are refused.
** - speed: events per second of the generator alone and of fill (printed, not asserted).
*/
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "unit.h"
#include "runtime.h"
#include "compiler.h"
#include "../../connectors/nexmark_gen.h"


#define BASE_NS INT64_C(1672531200000000000)   /* 2023-01-01T00:00:00Z */

/* ---- the compiled schema ------------------------------------------------------------------ */

static void *so_handle;
static const RtSchema *compiled;   /* source schema of the compiled pipeline */

static int compile_schema(void) {
  const char *sql =
    "CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '1000');\n"
    "SELECT * FROM nexmark;\n";
  char *c = NULL, *plan = NULL, *diag = NULL;
  CompileOptions opt = { "nexmark.sql", NULL, 0, 0 };
  if (arroyo_compile_sql(&opt, sql, strlen(sql), &c, &plan, &diag) < 0) {
    fprintf(stderr, "compile: %s\n", diag);
    return -1;
  }
  char so[64];
  snprintf(so, sizeof so, "/tmp/arroyo-test-nexmark-%d.so", (int)getpid());
  int rc = cc_build("tcc", c, NULL, so, &diag);
  free(c);
  free(plan);
  if (rc < 0) { fprintf(stderr, "cc: %s\n", diag); return -1; }
  so_handle = dlopen(so, RTLD_NOW | RTLD_LOCAL);
  unlink(so);
  if (!so_handle) { fprintf(stderr, "dlopen: %s\n", dlerror()); return -1; }
  RtEntryFn entry = (RtEntryFn)dlsym(so_handle, RT_ENTRY_SYMBOL);
  const RtPipeline *p = entry(rt_api());
  if (!p || p->nsources != 1) return -1;
  compiled = p->sources[0].schema;
  return 0;
}

typedef struct Want {
  const char *name;
  uint8_t type;
} Want;

static const Want want_person[] = {
  { "id", RT_I64 }, { "name", RT_TEXT }, { "email_address", RT_TEXT },
  { "credit_card", RT_TEXT }, { "city", RT_TEXT }, { "state", RT_TEXT },
  { "datetime", RT_TIMESTAMP }, { "extra", RT_TEXT } };
static const Want want_auction[] = {
  { "id", RT_I64 }, { "description", RT_TEXT }, { "item_name", RT_TEXT },
  { "initial_bid", RT_I64 }, { "reserve", RT_I64 }, { "datetime", RT_TIMESTAMP },
  { "expires", RT_TIMESTAMP }, { "seller", RT_I64 }, { "category", RT_I64 },
  { "extra", RT_TEXT } };
static const Want want_bid[] = {
  { "auction", RT_I64 }, { "bidder", RT_I64 }, { "price", RT_I64 }, { "channel", RT_TEXT },
  { "url", RT_TEXT }, { "datetime", RT_TIMESTAMP }, { "extra", RT_TEXT } };

static void check_struct(const RtColumn *c, const char *name, const Want *w, uint32_t n) {
  CHECK_STR(c->name, name);
  CHECK(c->type == RT_STRUCT && c->nullable && c->fields);
  if (!c->fields) return;
  CHECK_I64(c->fields->ncols, n);
  for (uint32_t i = 0; i < n && i < c->fields->ncols; i++) {
    CHECK_STR(c->fields->cols[i].name, w[i].name);
    CHECK_I64(c->fields->cols[i].type, w[i].type);
    CHECK(!c->fields->cols[i].nullable);                 /* Arroyo: NOT NULL fields */
  }
}

static void test_schema(void) {
  const ConnSpec *spec = conn_lookup("nexmark");
  CHECK(spec && (spec->roles & CONN_SOURCE) && spec->default_columns);
  CHECK_I64(compiled->ncols, 3);
  if (compiled->ncols != 3) return;
  check_struct(&compiled->cols[0], "person", want_person, 8);
  check_struct(&compiled->cols[1], "auction", want_auction, 10);
  check_struct(&compiled->cols[2], "bid", want_bid, 7);
}

/* ---- running the source ------------------------------------------------------------------ */

typedef struct Opt {
  const char *key, *value;
} Opt;

/* One source subtask over `schema` with the given options (NULL-terminated pairs). */
typedef struct Src {
  RtConnector conn;
  RtOption opts[8];
  Source s;
  SrcBatch b;
  int opened;
} Src;

/* Open subtask `sub` of `par`, restoring from the old run's `nold` positions `old` (NULL:
** a fresh start). */
static int src_open_at(Src *x, const RtSchema *schema, const Opt *opts, int sub, int par,
                       int batch_rows, const CkPos *old, int nold, char *err, size_t errlen) {
  memset(x, 0, sizeof *x);
  uint32_t n = 0;
  for (; opts && opts[n].key; n++) {
    x->opts[n].key = opts[n].key;
    x->opts[n].value = opts[n].value;
  }
  x->conn.table = "nexmark";
  x->conn.connector = "nexmark";
  x->conn.nopts = n;
  x->conn.opts = x->opts;
  x->conn.schema = schema;
  x->conn.event_time_col = -1;
  x->s.conn = &x->conn;
  x->s.ops = &src_nexmark;
  x->s.subtask = sub;
  x->s.parallelism = par;
  x->s.batch_rows = batch_rows;
  x->s.limit = -1;
  if (old) {
    x->s.resume = sub < nold ? &old[sub] : NULL;
    x->s.resume_all = old;
    x->s.resume_n = nold;
  }
  x->b.row_size = schema->row_size;
  arena_init(&x->b.arena, 64 * 1024);
  err[0] = 0;
  if (src_nexmark.open(&x->s, err, errlen) < 0) {
    arena_free(&x->b.arena);
    return -1;
  }
  x->opened = 1;
  return 0;
}

static int src_open(Src *x, const RtSchema *schema, const Opt *opts, int sub, int par,
                    int batch_rows, char *err, size_t errlen) {
  return src_open_at(x, schema, opts, sub, par, batch_rows, NULL, 0, err, errlen);
}

static void src_close(Src *x) {
  if (x->opened) src_nexmark.close(&x->s);
  x->opened = 0;
  free(x->b.rows);
  arena_free(&x->b.arena);
}

/* One fill into an emptied batch. */
static int src_fill(Src *x) {
  char err[256];
  x->b.n = 0;
  arena_reset(&x->b.arena);
  int rc = src_nexmark.fill(&x->s, &x->b, err, sizeof err);
  if (rc == SRC_ERR) fprintf(stderr, "fill: %s\n", err);
  return rc;
}

/* A row's values as text: ts, then per column NULL or every field (numbers in decimal,
** strings as length:bytes), so equal text means equal values byte for byte. */
static void ser_row(Buf *o, const RtSchema *sc, const char *row) {
  int64_t ts;
  memcpy(&ts, row, 8);
  buf_printf(o, "%lld", (long long)ts);
  for (uint32_t i = 0; i < sc->ncols; i++) {
    const RtColumn *c = &sc->cols[i];
    if (row[c->null_offset]) { buf_puts(o, "|null"); continue; }
    buf_printf(o, "|%s{", c->name);
    const char *sv = row + c->offset;
    for (uint32_t f = 0; f < c->fields->ncols; f++) {
      const RtColumn *fc = &c->fields->cols[f];
      if (fc->nullable && sv[fc->null_offset]) { buf_puts(o, ",NULL"); continue; }
      if (fc->type == RT_TEXT) {
        RtStr s;
        memcpy(&s, sv + fc->offset, sizeof s);
        buf_printf(o, ",%lld:", (long long)s.len);
        buf_put(o, s.ptr, (size_t)s.len);
      } else {
        int64_t v;
        memcpy(&v, sv + fc->offset, 8);
        buf_printf(o, ",%lld", (long long)v);
      }
    }
    buf_puts(o, "}");
  }
}

typedef struct Line {
  int64_t ts;
  char *text;
} Line;

typedef struct Lines {
  Line *v;
  size_t n, cap;
  int bad_fill;            /* a fill returned SRC_ERR */
} Lines;

static void lines_add(Lines *l, int64_t ts, const char *text, size_t len) {
  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 1024;
    l->v = realloc(l->v, l->cap * sizeof *l->v);
  }
  l->v[l->n].ts = ts;
  l->v[l->n].text = strndup(text, len);
  l->n++;
}

static void lines_free(Lines *l) {
  for (size_t i = 0; i < l->n; i++) free(l->v[i].text);
  free(l->v);
  memset(l, 0, sizeof *l);
}

static int by_ts(const void *a, const void *b) {
  const Line *x = a, *y = b;
  return x->ts < y->ts ? -1 : x->ts > y->ts;
}

/* Serialize the rows of x's batch into out. */
static void collect(Src *x, Lines *out) {
  Buf t = {0};
  for (int64_t i = 0; i < x->b.n; i++) {
    const char *row = x->b.rows + (size_t)i * x->b.row_size;
    int64_t ts;
    memcpy(&ts, row, 8);
    t.len = 0;
    ser_row(&t, x->conn.schema, row);
    lines_add(out, ts, t.p, t.len);
  }
  buf_free(&t);
}

/* Fill until SRC_END, serializing every row into out. */
static void drain(Src *x, Lines *out) {
  for (int guard = 0; guard < 1000000; guard++) {
    int rc = src_fill(x);
    if (rc == SRC_ERR) { out->bad_fill = 1; break; }
    collect(x, out);
    if (rc == SRC_END) break;
  }
}

/* The whole stream at parallelism `par` (subtasks run one after another), merged by ts. */
static int run_all(const RtSchema *sc, const Opt *opts, int par, int batch_rows, Lines *out) {
  char err[256];
  for (int i = 0; i < par; i++) {
    Src x;
    if (src_open(&x, sc, opts, i, par, batch_rows, err, sizeof err) < 0) {
      fprintf(stderr, "open: %s\n", err);
      return -1;
    }
    drain(&x, out);
    src_close(&x);
  }
  if (out->n) qsort(out->v, out->n, sizeof *out->v, by_ts);
  return out->bad_fill ? -1 : 0;
}

static int same_lines(const Lines *a, const Lines *b) {
  if (a->n != b->n) return 0;
  for (size_t i = 0; i < a->n; i++)
    if (a->v[i].ts != b->v[i].ts || strcmp(a->v[i].text, b->v[i].text) != 0) return 0;
  return 1;
}

static const Opt opts_5000[] = {
  { "event_rate", "1000000" }, { "max_events", "5000" }, { "unthrottled", "true" },
  { "base_time", "2023-01-01T00:00:00Z" }, { NULL, NULL } };

static void test_determinism(void) {
  Lines a = {0}, b = {0}, c = {0}, d = {0};
  CHECK(run_all(compiled, opts_5000, 1, 8192, &a) == 0);
  CHECK(run_all(compiled, opts_5000, 1, 77, &b) == 0);      /* other batch boundaries */
  CHECK(run_all(compiled, opts_5000, 3, 100, &c) == 0);
  CHECK(run_all(compiled, opts_5000, 7, 1000, &d) == 0);
  CHECK_I64(a.n, 5000);
  CHECK(same_lines(&a, &b));
  CHECK(same_lines(&a, &c));
  CHECK(same_lines(&a, &d));
  /* the same base time given as integer nanoseconds */
  Lines e = {0};
  static const Opt opts_ns[] = {
    { "event_rate", "1000000" }, { "max_events", "5000" }, { "unthrottled", "true" },
    { "base_time", "1672531200000000000" }, { NULL, NULL } };
  CHECK(run_all(compiled, opts_ns, 2, 512, &e) == 0);
  CHECK(same_lines(&a, &e));
  /* a different base time moves every timestamp and nothing else */
  Lines f = {0};
  static const Opt opts_later[] = {
    { "event_rate", "1000000" }, { "max_events", "5000" }, { "unthrottled", "true" },
    { "base_time", "2023-01-01T00:00:01Z" }, { NULL, NULL } };
  CHECK(run_all(compiled, opts_later, 1, 8192, &f) == 0);
  CHECK_I64(f.n, 5000);
  if (f.n == 5000) {
    CHECK_I64(f.v[0].ts - a.v[0].ts, 1000000000);
    CHECK(strcmp(f.v[4999].text, a.v[4999].text) != 0);
  }
  lines_free(&a); lines_free(&b); lines_free(&c); lines_free(&d); lines_free(&e);
  lines_free(&f);
}

/* ---- the rows' contents ----------------------------------------------------------------- */

static int col_index(const RtSchema *sc, const char *name) {
  for (uint32_t i = 0; i < sc->ncols; i++) if (!strcmp(sc->cols[i].name, name)) return (int)i;
  return -1;
}

static int64_t fld_i64(const RtSchema *sc, const char *row, int col, const char *name) {
  const RtColumn *c = &sc->cols[col];
  for (uint32_t f = 0; f < c->fields->ncols; f++)
    if (!strcmp(c->fields->cols[f].name, name)) {
      int64_t v;
      memcpy(&v, row + c->offset + c->fields->cols[f].offset, 8);
      return v;
    }
  return INT64_MIN;
}

static RtStr fld_str(const RtSchema *sc, const char *row, int col, const char *name) {
  const RtColumn *c = &sc->cols[col];
  RtStr s = { NULL, -1 };
  for (uint32_t f = 0; f < c->fields->ncols; f++)
    if (!strcmp(c->fields->cols[f].name, name))
      memcpy(&s, row + c->offset + c->fields->cols[f].offset, sizeof s);
  return s;
}

static int all_in(RtStr s, const char *set) {
  for (int64_t i = 0; i < s.len; i++) if (!strchr(set, s.ptr[i])) return 0;
  return 1;
}

/* Every row of one parallelism-1 run of 5000 events (100 cycles of 50), checked field by
** field against the specification (docs/nexmark.md). */
static void test_contents(void) {
  const RtSchema *sc = compiled;
  int cp = col_index(sc, "person"), ca = col_index(sc, "auction"), cb = col_index(sc, "bid");
  Src x;
  char err[256];
  CHECK(src_open(&x, sc, opts_5000, 0, 1, 8192, err, sizeof err) == 0);
  const int64_t delay = 1000;                       /* 1e9 / 1e6 */
  int64_t n = 0, kinds[3] = { 0, 0, 0 }, bad_kind = 0, bad_one = 0, bad_ts = 0, prev_ts = 0;
  int64_t next_person = 1000, next_auction = 1000, bad_ids = 0;
  int64_t hot_auction = 0, hot_bidder = 0, bad_bid = 0, bad_auction = 0, hot_seller = 0;
  int64_t bad_person = 0, hot_channel = 0, urls_with_id = 0;
  const char *lower_sp = "abcdefghijklmnopqrstuvwxyz ";
  int rc;
  do {
    rc = src_fill(&x);
    for (int64_t i = 0; i < x.b.n; i++, n++) {
      const char *row = x.b.rows + (size_t)i * x.b.row_size;
      int64_t ts;
      memcpy(&ts, row, 8);
      bad_ts += ts != BASE_NS + n * delay || (n > 0 && ts <= prev_ts);
      prev_ts = ts;
      int isp = !row[sc->cols[cp].null_offset], isa = !row[sc->cols[ca].null_offset],
          isb = !row[sc->cols[cb].null_offset];
      bad_one += isp + isa + isb != 1;
      int64_t off = n % 50, epoch = n / 50;
      int want = off < 1 ? NX_PERSON : off < 4 ? NX_AUCTION : NX_BID;
      int got = isp ? NX_PERSON : isa ? NX_AUCTION : NX_BID;
      bad_kind += want != got;
      kinds[got]++;
      int64_t last_p = epoch;                                   /* base-0 newest person */
      int64_t last_a = off < 1 ? epoch * 3 - 1 : off < 4 ? epoch * 3 + off - 1 : epoch * 3 + 2;
      if (isp) {
        bad_ids += fld_i64(sc, row, cp, "id") != next_person++;
        bad_ts += fld_i64(sc, row, cp, "datetime") != ts;
        RtStr name = fld_str(sc, row, cp, "name"), mail = fld_str(sc, row, cp, "email_address");
        RtStr cc = fld_str(sc, row, cp, "credit_card"), st = fld_str(sc, row, cp, "state");
        RtStr city = fld_str(sc, row, cp, "city"), ex = fld_str(sc, row, cp, "extra");
        bad_person += !memchr(name.ptr, ' ', (size_t)name.len);
        bad_person += mail.len < 5 || !memchr(mail.ptr, '@', (size_t)mail.len) ||
                      memcmp(mail.ptr + mail.len - 4, ".com", 4) != 0;
        bad_person += cc.len != 19 || !all_in(cc, "0123456789 ") || cc.ptr[4] != ' ';
        bad_person += st.len != 2 || city.len < 4;
        int64_t size = 8 + name.len + mail.len + cc.len + city.len + st.len + ex.len;
        bad_person += size < 160 || size > 240 || !all_in(ex, "abcdefghijklmnopqrstuvwxyz");
      } else if (isa) {
        bad_ids += fld_i64(sc, row, ca, "id") != next_auction++;
        bad_ids += fld_i64(sc, row, ca, "id") != last_a + 1000;
        bad_ts += fld_i64(sc, row, ca, "datetime") != ts;
        int64_t seller = fld_i64(sc, row, ca, "seller") - 1000;
        int64_t hot = last_p / 100 * 100, num = last_p + 1, active = num < 1000 ? num : 1000;
        hot_seller += seller == hot;
        bad_auction += seller != hot && (seller < num - active || seller >= num + 10);
        int64_t cat = fld_i64(sc, row, ca, "category");
        int64_t ib = fld_i64(sc, row, ca, "initial_bid"), res = fld_i64(sc, row, ca, "reserve");
        int64_t exp = fld_i64(sc, row, ca, "expires");
        bad_auction += cat < 10 || cat > 14 || ib < 100 || ib > 100000000 || res < ib + 100;
        /* expires: 1 .. 2 * 1666 events after the auction, in event time */
        bad_auction += exp <= ts || exp > ts + 1 + 2 * 1666 * delay;
        RtStr in = fld_str(sc, row, ca, "item_name"), de = fld_str(sc, row, ca, "description");
        bad_auction += in.len > 19 || de.len > 99 || !all_in(in, lower_sp) || !all_in(de, lower_sp);
        bad_auction += (in.len && (in.ptr[0] == ' ' || in.ptr[in.len - 1] == ' '));
        RtStr ex = fld_str(sc, row, ca, "extra");
        int64_t size = 8 + in.len + de.len + 40 + ex.len;
        bad_auction += size < 400 || size > 600;
      } else {
        bad_ts += fld_i64(sc, row, cb, "datetime") != ts;
        int64_t auction = fld_i64(sc, row, cb, "auction") - 1000;
        int64_t hot_a = last_a / 100 * 100, min_a = last_a - 100 < 0 ? 0 : last_a - 100;
        hot_auction += auction == hot_a;
        bad_bid += auction != hot_a && (auction < min_a || auction > last_a + 10);
        int64_t bidder = fld_i64(sc, row, cb, "bidder") - 1000;
        int64_t hot_p = last_p / 100 * 100 + 1, num = last_p + 1, active = num < 1000 ? num : 1000;
        hot_bidder += bidder == hot_p;
        bad_bid += bidder != hot_p && (bidder < num - active || bidder >= num + 10);
        int64_t price = fld_i64(sc, row, cb, "price");
        bad_bid += price < 100 || price > 100000000;
        RtStr ch = fld_str(sc, row, cb, "channel"), url = fld_str(sc, row, cb, "url");
        int hot = (ch.len == 6 && !memcmp(ch.ptr, "Google", 6)) ||
                  (ch.len == 8 && !memcmp(ch.ptr, "Facebook", 8)) ||
                  (ch.len == 5 && !memcmp(ch.ptr, "Baidu", 5)) ||
                  (ch.len == 5 && !memcmp(ch.ptr, "Apple", 5));
        hot_channel += hot;
        bad_bid += !hot && (ch.len < 9 || memcmp(ch.ptr, "channel-", 8) != 0);
        bad_bid += url.len < 40 || memcmp(url.ptr, "https://www.nexmark.com/", 24) != 0;
        urls_with_id += memmem(url.ptr, (size_t)url.len, "&channel_id=", 12) != NULL;
        RtStr ex = fld_str(sc, row, cb, "extra");
        bad_bid += ex.len < 54 || ex.len > 81 || !all_in(ex, "abcdefghijklmnopqrstuvwxyz");
      }
    }
  } while (rc == SRC_MORE);
  CHECK(rc == SRC_END);
  CHECK_I64(n, 5000);
  CHECK_I64(kinds[NX_PERSON], 100);
  CHECK_I64(kinds[NX_AUCTION], 300);
  CHECK_I64(kinds[NX_BID], 4600);
  CHECK_I64(bad_kind, 0);
  CHECK_I64(bad_one, 0);
  CHECK_I64(bad_ts, 0);
  CHECK_I64(bad_ids, 0);
  CHECK_I64(bad_person, 0);
  CHECK_I64(bad_auction, 0);
  CHECK_I64(bad_bid, 0);
  /* hot shares: auctions 1/2 (plus random picks that hit the hot id), bidders 3/4, sellers
  ** 3/4, hot channels 1/2; ordinary channel URLs carry channel_id 9 times in 10 */
  CHECK_MSG(hot_auction > 4600 * 45 / 100 && hot_auction < 4600 * 60 / 100, "%lld", (long long)hot_auction);
  CHECK_MSG(hot_bidder > 4600 * 70 / 100 && hot_bidder < 4600 * 82 / 100, "%lld", (long long)hot_bidder);
  CHECK_MSG(hot_seller > 300 * 65 / 100 && hot_seller < 300 * 88 / 100, "%lld", (long long)hot_seller);
  CHECK_MSG(hot_channel > 4600 * 45 / 100 && hot_channel < 4600 * 55 / 100, "%lld", (long long)hot_channel);
  int64_t ordinary = 4600 - hot_channel;
  CHECK_MSG(urls_with_id > ordinary * 85 / 100 && urls_with_id < ordinary * 95 / 100, "%lld of %lld",
            (long long)urls_with_id, (long long)ordinary);
  src_close(&x);
}

/* The generator's own functions agree with the rows (and with the spec's formulas). */
static void test_generator(void) {
  NxConfig c;
  nx_config_init(&c, BASE_NS, 1000);
  char *buf = malloc(nx_max_event_bytes(&c)), *buf2 = malloc(nx_max_event_bytes(&c));
  NxEvent e, e2;
  int bad = 0;
  for (uint64_t n = 0; n < 100000; n++) {
    size_t u = nx_event(&c, n, &e, buf);
    bad += e.id != n || e.ts != BASE_NS + (int64_t)n * 1000 || u > nx_max_event_bytes(&c);
    bad += e.kind != nx_event_kind(&c, n);
    bad += nx_last_person(&c, n) != (int64_t)(n / 50);
    int64_t off = (int64_t)(n % 50), ep = (int64_t)(n / 50);
    bad += nx_last_auction(&c, n) != (off < 1 ? ep * 3 - 1 : off < 4 ? ep * 3 + off - 1 : ep * 3 + 2);
    /* the same event again, into another buffer: equal values */
    nx_event(&c, n, &e2, buf2);
    if (e.kind == NX_BID)
      bad += e2.u.bid.price != e.u.bid.price || e2.u.bid.extra.len != e.u.bid.extra.len ||
             memcmp(e2.u.bid.extra.ptr, e.u.bid.extra.ptr, (size_t)e.u.bid.extra.len) != 0;
  }
  CHECK_I64(bad, 0);
  /* large ids: the division by multiplication stays exact */
  uint64_t big[] = { UINT64_C(1) << 40, UINT64_C(1) << 53, (UINT64_C(1) << 62) + 49,
                     UINT64_MAX / 2, UINT64_MAX - 1 };
  for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
    uint64_t id = big[i], off = id % 50;
    CHECK(nx_event_kind(&c, id) == (off < 1 ? NX_PERSON : off < 4 ? NX_AUCTION : NX_BID));
    CHECK(nx_last_person(&c, id) == (int64_t)(id / 50));
  }
  /* out-of-order groups permute ids within each group */
  NxConfig g = c;
  char err[128];
  g.out_of_order_group = 50;
  CHECK(nx_config_prepare(&g, err, sizeof err) == 0);
  int seen[50] = {0}, in_group = 1;
  for (uint64_t n = 100; n < 150; n++) {
    uint64_t id = nx_event_id(&g, n);
    in_group &= id >= 100 && id < 150;
    if (id >= 100 && id < 150) seen[id - 100]++;
  }
  int perm = in_group;
  for (int i = 0; i < 50; i++) perm &= seen[i] == 1;
  CHECK(perm);
  /* config checks */
  NxConfig z = c;
  z.person_proportion = 0;
  CHECK(nx_config_prepare(&z, err, sizeof err) < 0 && strstr(err, "proportion"));
  /* another seed: another stream with the same structure */
  NxConfig sd = c;
  sd.seed = 42;
  CHECK(nx_config_prepare(&sd, err, sizeof err) == 0);
  nx_event(&c, 10, &e, buf);
  nx_event(&sd, 10, &e2, buf2);
  CHECK(e.kind == e2.kind && e.ts == e2.ts && e.u.bid.price != e2.u.bid.price);
  free(buf);
  free(buf2);
}

/* ---- a hand-written schema: a field subset, another order, nullable fields ------------- */

typedef struct MiniBid {
  RtStr url;
  int64_t price;
  int64_t auction;
  struct { uint8_t url, price; } _null;
} MiniBid;

typedef struct MiniRow {
  RtRowHeader h;
  MiniBid bid;
  int64_t generated;                 /* a column the source does not know (row_size covers it) */
  struct { uint8_t bid; } _null;
} MiniRow;

static const RtColumn mini_fields[] = {
  { "url", RT_TEXT, 1, 0, 0, offsetof(MiniBid, url), offsetof(MiniBid, _null.url), NULL },
  { "price", RT_I64, 1, 0, 0, offsetof(MiniBid, price), offsetof(MiniBid, _null.price), NULL },
  { "auction", RT_I64, 0, 0, 0, offsetof(MiniBid, auction), UINT32_MAX, NULL },
};
static const RtSchema mini_bid = { "mini_bid", sizeof(MiniBid), 3, mini_fields };
static const RtColumn mini_cols[] = {
  { "bid", RT_STRUCT, 1, 0, 0, offsetof(MiniRow, bid), offsetof(MiniRow, _null.bid), &mini_bid },
};
static const RtSchema mini = { "mini", sizeof(MiniRow), 1, mini_cols };

static void test_subset_schema(void) {
  Lines full = {0};
  CHECK(run_all(compiled, opts_5000, 1, 8192, &full) == 0);
  Src x;
  char err[256];
  CHECK(src_open(&x, &mini, opts_5000, 0, 1, 8192, err, sizeof err) == 0);
  int64_t n = 0, bids = 0, bad = 0;
  int rc;
  do {
    rc = src_fill(&x);
    for (int64_t i = 0; i < x.b.n; i++, n++) {
      const MiniRow *r = (const MiniRow *)(x.b.rows + (size_t)i * sizeof(MiniRow));
      bad += r->generated != 0 || r->h.hash != 0 || r->h.retract != 0;
      bad += r->h.ts != BASE_NS + n * 1000;
      if (n % 50 < 4) { bad += r->_null.bid != 1; continue; }
      bids++;
      bad += r->_null.bid != 0 || r->bid._null.url != 0 || r->bid._null.price != 0;
      /* the same values as the full row of this event */
      if ((size_t)n < full.n) {
        const char *t = full.v[n].text, *bid = strstr(t, "|bid{,");
        long long a = -1, bidder = -1, price = -1;
        bad += !bid || sscanf(bid, "|bid{,%lld,%lld,%lld,", &a, &bidder, &price) != 3;
        bad += a != r->bid.auction || price != r->bid.price;
        bad += memmem(t, strlen(t), r->bid.url.ptr, (size_t)r->bid.url.len) == NULL;
      }
    }
  } while (rc == SRC_MORE);
  CHECK_I64(n, 5000);
  CHECK_I64(bids, 4600);
  CHECK_I64(bad, 0);
  src_close(&x);
  lines_free(&full);
}

/* ---- options ------------------------------------------------------------------------------ */

static int64_t count_rows(const RtSchema *sc, const Opt *opts, int par) {
  Lines l = {0};
  if (run_all(sc, opts, par, 1000, &l) < 0) { lines_free(&l); return -1; }
  int64_t n = (int64_t)l.n;
  lines_free(&l);
  return n;
}

static void expect_error(const RtSchema *sc, const Opt *opts, const char *needle) {
  Src x;
  char err[256];
  int rc = src_open(&x, sc, opts, 0, 1, 100, err, sizeof err);
  CHECK_MSG(rc < 0 && strstr(err, needle), "want error with '%s', got rc %d '%s'", needle, rc, err);
  if (rc == 0) src_close(&x);
}

static void test_options(void) {
  const RtSchema *sc = compiled;
  /* runtime: floor(event_rate * runtime) events in all, at any parallelism */
  static const Opt rt[] = { { "event_rate", "100" }, { "runtime", "0.55" },
                            { "unthrottled", "true" }, { NULL, NULL } };
  CHECK_I64(count_rows(sc, rt, 1), 55);
  CHECK_I64(count_rows(sc, rt, 4), 55);
  /* max_events and runtime together: the smaller */
  static const Opt both[] = { { "event_rate", "100" }, { "runtime", "10" },
                              { "max_events", "7" }, { "unthrottled", "true" }, { NULL, NULL } };
  CHECK_I64(count_rows(sc, both, 1), 7);
  /* fewer events than subtasks: the extra subtasks end at once */
  static const Opt two[] = { { "event_rate", "100" }, { "max_events", "2" },
                             { "unthrottled", "true" }, { NULL, NULL } };
  CHECK_I64(count_rows(sc, two, 3), 2);
  static const Opt zero[] = { { "event_rate", "100" }, { "max_events", "0" }, { NULL, NULL } };
  CHECK_I64(count_rows(sc, zero, 2), 0);
  /* unthrottled without event_rate, or event_rate = 0: events 100 ns apart (10 M/s of
  ** event time), generated without waiting */
  static const Opt unth[] = { { "unthrottled", "true" }, { "max_events", "10" },
                              { "base_time", "0" }, { NULL, NULL } };
  static const Opt rate0[] = { { "event_rate", "0" }, { "max_events", "10" },
                               { "base_time", "0" }, { NULL, NULL } };
  Lines l = {0}, l0 = {0};
  CHECK(run_all(sc, unth, 1, 100, &l) == 0);
  CHECK(l.n == 10 && l.v[9].ts == 900);
  CHECK(run_all(sc, rate0, 1, 100, &l0) == 0);
  CHECK(same_lines(&l, &l0));
  lines_free(&l);
  lines_free(&l0);
  /* a huge stream unthrottled: the first fill returns a full batch at once */
  static const Opt fast[] = { { "event_rate", "10" }, { "unthrottled", "true" }, { NULL, NULL } };
  Src f;
  char ferr[256];
  CHECK(src_open(&f, sc, fast, 0, 1, 500, ferr, sizeof ferr) == 0);
  CHECK(src_fill(&f) == SRC_MORE && f.b.n == 500);
  src_close(&f);
  CHECK(src_open(&f, sc, fast, 2, 3, 500, ferr, sizeof ferr) == 0);   /* unbounded, subtask 2 of 3 */
  CHECK(src_fill(&f) == SRC_MORE && f.b.n == 500);
  CHECK(src_fill(&f) == SRC_MORE && f.b.n == 500);
  src_close(&f);

  /* paced: 2000 events at 100,000/s take about 20 ms of wall clock */
  static const Opt paced[] = { { "event_rate", "100000" }, { "max_events", "2000" },
                               { NULL, NULL } };
  int64_t t0 = rt_wall_clock_ns();
  CHECK_I64(count_rows(sc, paced, 1), 2000);
  int64_t took = rt_wall_clock_ns() - t0;
  CHECK_MSG(took >= 19000000 && took < 2000000000, "took %lld ns", (long long)took);

  /* unbounded and paced: a fill returns what is due (not a full batch), then more */
  static const Opt unb[] = { { "event_rate", "1000" }, { NULL, NULL } };
  Src x;
  char err[256];
  CHECK(src_open(&x, sc, unb, 0, 1, 8192, err, sizeof err) == 0);
  int64_t got = 0;
  for (int i = 0; i < 20 && got < 20; i++) {
    CHECK(src_fill(&x) == SRC_MORE);
    got += x.b.n;
  }
  CHECK_MSG(got >= 20 && got < 8192, "%lld rows", (long long)got);
  src_close(&x);

  /* default base time: one value for all subtasks of the table, near now */
  static const Opt nobase[] = { { "event_rate", "1000000" }, { "max_events", "6" },
                                { "unthrottled", "true" }, { NULL, NULL } };
  Src s[3];
  int64_t first[3] = { 0, 0, 0 };
  RtConnector shared;
  for (int i = 0; i < 3; i++) {
    CHECK(src_open(&s[i], sc, nobase, i, 3, 100, err, sizeof err) == 0);
    if (i == 0) shared = s[0].conn;
  }
  /* subtasks of one table share its RtConnector: point all three at subtask 0's */
  for (int i = 0; i < 3; i++) src_nexmark.close(&s[i].s);
  for (int i = 0; i < 3; i++) {
    s[i].s.conn = &shared;
    CHECK(src_nexmark.open(&s[i].s, err, sizeof err) == 0);
    usleep(2000);                             /* opens apart in time */
  }
  for (int i = 0; i < 3; i++) {
    CHECK(src_fill(&s[i]) == SRC_END && s[i].b.n == 2);
    memcpy(&first[i], s[i].b.rows, 8);
  }
  CHECK_I64(first[1] - first[0], 1000);
  CHECK_I64(first[2] - first[0], 2000);
  int64_t now = rt_wall_clock_ns();
  CHECK(first[0] <= now && first[0] > now - 5000000000LL);
  for (int i = 0; i < 3; i++) src_close(&s[i]);

  /* errors */
  static const Opt e1[] = { { "event_rate", "fast" }, { NULL, NULL } };
  expect_error(sc, e1, "event_rate must be a non-negative number of events per second");
  static const Opt e2[] = { { "max_events", "10" }, { NULL, NULL } };
  expect_error(sc, e2, "option event_rate is required");
  static const Opt e3[] = { { "event_rate", "-5" }, { NULL, NULL } };
  expect_error(sc, e3, "event_rate must be a non-negative number");
  static const Opt e4[] = { { "event_rate", "2e9" }, { NULL, NULL } };
  expect_error(sc, e4, "at most 1e9");
  static const Opt e5[] = { { "event_rate", "10" }, { "unthrottled", "yes" }, { NULL, NULL } };
  expect_error(sc, e5, "unthrottled must be 'true' or 'false'");
  static const Opt e6[] = { { "event_rate", "10" }, { "runtime", "-1" }, { NULL, NULL } };
  expect_error(sc, e6, "runtime must be a non-negative number of seconds");
  static const Opt e7[] = { { "event_rate", "10" }, { "max_events", "1.5" }, { NULL, NULL } };
  expect_error(sc, e7, "max_events must be a non-negative integer");
  static const Opt e8[] = { { "event_rate", "10" }, { "base_time", "yesterday" }, { NULL, NULL } };
  expect_error(sc, e8, "base_time must be an RFC 3339 timestamp");
  /* schemas the source cannot fill */
  static const RtColumn bad_cols[] = {
    { "bid", RT_I64, 1, 0, 0, 24, 32, NULL } };
  static const RtSchema bad_type = { "bad", 40, 1, bad_cols };
  static const Opt ok[] = { { "event_rate", "10" }, { NULL, NULL } };
  expect_error(&bad_type, ok, "column 'bid' must be a STRUCT");
  static const RtColumn other_cols[] = {
    { "counter", RT_I64, 0, 0, 0, 24, UINT32_MAX, NULL } };
  static const RtSchema other = { "other", 32, 1, other_cols };
  expect_error(&other, ok, "nexmark has no column 'counter'");
  static const RtColumn wrong_fields[] = {
    { "price", RT_TEXT, 0, 0, 0, 0, UINT32_MAX, NULL } };
  static const RtSchema wrong_struct = { "w", 16, 1, wrong_fields };
  static const RtColumn wrong_cols[] = {
    { "bid", RT_STRUCT, 1, 0, 0, 24, 40, &wrong_struct } };
  static const RtSchema wrong = { "wrong", 48, 1, wrong_cols };
  expect_error(&wrong, ok, "field bid.price must be BIGINT");
  static const RtColumn unknown_fields[] = {
    { "colour", RT_TEXT, 0, 0, 0, 0, UINT32_MAX, NULL } };
  static const RtSchema unknown_struct = { "u", 16, 1, unknown_fields };
  static const RtColumn unknown_cols[] = {
    { "person", RT_STRUCT, 1, 0, 0, 24, 40, &unknown_struct } };
  static const RtSchema unknown = { "unknown", 48, 1, unknown_cols };
  expect_error(&unknown, ok, "has no field 'colour'");
}

/* ---- checkpoints: position and resume ------------------------------------------------------ */

static uint64_t rng_state = 0x243F6A8885A308D3ull;
static uint32_t rnd(uint32_t n) {               /* xorshift64*, uniform enough for tests */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return (uint32_t)(((rng_state * 0x2545F4914F6CDD1Dull) >> 32) % n);
}

/* One run at parallelism `par` of `opts`, restored from `old` (nold positions; NULL: fresh):
** each subtask fills a random number of batches of random size (0..max_fills; max_fills < 0:
** to the end), then fills on while its position is -1 (as the worker does before a barrier).
** Rows go to out, positions to pos[par]. Returns the number of positions of -1 seen. */
static int run_phase(const RtSchema *sc, const Opt *opts, int par, const CkPos *old, int nold,
                     int max_fills, Lines *out, CkPos *pos) {
  int owed = 0;
  char err[256];
  for (int i = 0; i < par; i++) {
    Src x;
    if (src_open_at(&x, sc, opts, i, par, 1 + (int)rnd(300), old, nold, err, sizeof err) < 0) {
      CHECK_MSG(0, "open subtask %d of %d: %s", i, par, err);
      out->bad_fill = 1;
      continue;
    }
    int fills = max_fills < 0 ? 1000000 : (int)rnd((uint32_t)max_fills + 1);
    int rc = x.s.finished ? SRC_END : SRC_MORE;
    for (int f = 0; f < fills && rc == SRC_MORE; f++) {
      x.s.batch_rows = 1 + (int)rnd(300);
      rc = src_fill(&x);
      if (rc == SRC_ERR) { out->bad_fill = 1; break; }
      collect(&x, out);
    }
    for (int guard = 0; guard < 100000; guard++) {
      memset(&pos[i], 0, sizeof pos[i]);
      src_nexmark.position(&x.s, &pos[i]);
      if (pos[i].n >= 0) break;
      CHECK(rc == SRC_MORE);                    /* never -1 once the stream ended */
      owed++;
      rc = src_fill(&x);
      if (rc == SRC_ERR) { out->bad_fill = 1; break; }
      collect(&x, out);
    }
    CHECK_I64(pos[i].n, 3);
    CHECK_I64(pos[i].v[2], par);
    CHECK_I64(pos[i].v[0] % par, i);
    src_close(&x);
  }
  return owed;
}

/* A stream checkpointed and restored at the parallelisms seq[0], seq[1], ... (the last runs
** to the end) gives every event exactly once: the same rows as an uninterrupted run. */
static void check_restores(const Lines *want, const Opt *opts, const int *seq, int nseq,
                           int max_fills, int *owed) {
  Lines got = {0};
  CkPos pos[2][16];
  const CkPos *old = NULL;
  int nold = 0;
  for (int k = 0; k < nseq; k++) {
    CkPos *cur = pos[k % 2];
    *owed += run_phase(compiled, opts, seq[k], old, nold, k == nseq - 1 ? -1 : max_fills, &got,
                       cur);
    old = cur;
    nold = seq[k];
  }
  if (got.n) qsort(got.v, got.n, sizeof *got.v, by_ts);
  CHECK_MSG(!got.bad_fill && same_lines(want, &got), "parallelisms %d..%d (%d phases): %zu rows, "
            "want %zu", seq[0], seq[nseq - 1], nseq, got.n, want->n);
  lines_free(&got);
}

static void test_checkpoints(void) {
  Lines want = {0};
  CHECK(run_all(compiled, opts_5000, 1, 8192, &want) == 0);
  CHECK_I64(want.n, 5000);
  static const int seqs[][5] = {
    { 1, 2, 3, 0 }, { 3, 2, 1, 0 }, { 2, 3, 5, 0 }, { 4, 4, 1, 0 }, { 3, 1, 2, 0 },
    { 5, 3, 7, 2, 0 }, { 2, 2, 2, 0 }, { 7, 1, 0 }, { 1, 7, 3, 0 }, { 6, 4, 0 },
  };
  int owed = 0;
  for (int round = 0; round < 4; round++)
    for (size_t q = 0; q < sizeof seqs / sizeof seqs[0]; q++) {
      int n = 0;
      while (n < 5 && seqs[q][n]) n++;
      check_restores(&want, opts_5000, seqs[q], n, round == 0 ? 3 : 10 * round, &owed);
    }
  CHECK_MSG(owed > 0, "no restore at another parallelism owed rows: the test is too easy");

  /* same parallelism: each subtask just continues; position is never -1 */
  {
    Lines got = {0};
    CkPos a[3], b[3];
    CHECK_I64(run_phase(compiled, opts_5000, 3, NULL, 0, 5, &got, a), 0);
    CHECK_I64(run_phase(compiled, opts_5000, 3, a, 3, 5, &got, b), 0);
    CHECK_I64(run_phase(compiled, opts_5000, 3, b, 3, -1, &got, a), 0);
    qsort(got.v, got.n, sizeof *got.v, by_ts);
    CHECK(same_lines(&want, &got));
    lines_free(&got);
  }

  /* A restored subtask with nothing left ends at open (Source.finished). */
  {
    CkPos done[2] = { { 3, { 5000, BASE_NS, 2, 0 } }, { 3, { 5001, BASE_NS, 2, 0 } } };
    char err[256];
    Src x;
    CHECK(src_open_at(&x, compiled, opts_5000, 2, 3, 100, done, 2, err, sizeof err) == 0);
    CHECK(x.s.finished);
    src_close(&x);
  }

  /* The defaulted base time comes back from the position, not from the new start. */
  {
    static const Opt nobase[] = { { "event_rate", "1000000" }, { "max_events", "100" },
                                  { "unthrottled", "true" }, { NULL, NULL } };
    char err[256];
    Src x;
    CHECK(src_open(&x, compiled, nobase, 0, 1, 10, err, sizeof err) == 0);
    CHECK(src_fill(&x) == SRC_MORE && x.b.n == 10);
    int64_t ts0;
    memcpy(&ts0, x.b.rows, 8);
    CkPos p;
    src_nexmark.position(&x.s, &p);
    src_close(&x);
    CHECK_I64(p.n, 3);
    CHECK_I64(p.v[0], 10);
    CHECK_I64(p.v[1], ts0);
    usleep(3000);
    CHECK(src_open_at(&x, compiled, nobase, 0, 1, 10, &p, 1, err, sizeof err) == 0);
    CHECK(src_fill(&x) == SRC_MORE && x.b.n == 10);
    int64_t ts10;
    memcpy(&ts10, x.b.rows, 8);
    CHECK_I64(ts10, ts0 + 10 * 1000);
    src_close(&x);
  }

  /* Paced: the rest is paced from the restore on, as if the checkpointed events had been
  ** emitted on schedule up to then (300 events at 1000/s, 100 before: about 0.2 s more). */
  {
    static const Opt paced[] = { { "event_rate", "1000" }, { "max_events", "300" },
                                 { "base_time", "0" }, { NULL, NULL } };
    CkPos p = { 3, { 100, 0, 1, 0 } };
    char err[256];
    Src x;
    int64_t t0 = rt_wall_clock_ns();
    CHECK(src_open_at(&x, compiled, paced, 0, 1, 1000, &p, 1, err, sizeof err) == 0);
    int64_t rows = 0, first_ts = -1;
    for (int guard = 0; guard < 10000; guard++) {
      int rc = src_fill(&x);
      if (x.b.n > 0 && first_ts < 0) memcpy(&first_ts, x.b.rows, 8);
      rows += x.b.n;
      if (rc != SRC_MORE) break;
    }
    int64_t took = rt_wall_clock_ns() - t0;
    src_close(&x);
    CHECK_I64(rows, 200);
    CHECK_I64(first_ts, 100 * 1000000LL);
    CHECK_MSG(took >= 180000000 && took < 3000000000LL, "took %lld ns", (long long)took);
  }

  /* Positions that are not this stream's are refused with a message. */
  {
    char err[256];
    Src x;
    CkPos bad[2] = { { 3, { 4, BASE_NS, 2, 0 } }, { 3, { 3, BASE_NS, 2, 0 } } };
    CHECK(src_open_at(&x, compiled, opts_5000, 0, 1, 10, bad, 2, err, sizeof err) == 0);
    src_close(&x);
    CkPos wrong[2] = { { 3, { 4, BASE_NS, 2, 0 } }, { 3, { 4, BASE_NS, 2, 0 } } };
    int rc = src_open_at(&x, compiled, opts_5000, 0, 1, 10, wrong, 2, err, sizeof err);
    CHECK_MSG(rc < 0 && strstr(err, "position of nexmark subtask 1 of 2"), "rc %d '%s'", rc, err);
    if (rc == 0) src_close(&x);
    CkPos old[1] = { { 2, { 4, BASE_NS, 0, 0 } } };
    rc = src_open_at(&x, compiled, opts_5000, 0, 1, 10, old, 1, err, sizeof err);
    CHECK_MSG(rc < 0 && strstr(err, "not { next event number"), "rc %d '%s'", rc, err);
    if (rc == 0) src_close(&x);
  }
  lines_free(&want);
}

/* ---- speed (printed, not asserted) --------------------------------------------------------- */

static double cpu_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void test_speed(void) {
  const uint64_t N = 4000000;
  NxConfig c;
  nx_config_init(&c, BASE_NS, 100);
  size_t cap = 1 << 20, at = 0, bytes = 0;
  char *buf = malloc(cap + nx_max_event_bytes(&c));
  NxEvent e;
  double t = cpu_seconds();
  for (uint64_t n = 0; n < N; n++) {
    if (at > cap) at = 0;
    size_t u = nx_event(&c, n, &e, buf + at);
    at += u;
    bytes += u;
  }
  double gen = cpu_seconds() - t;
  free(buf);
  static const Opt opts[] = { { "unthrottled", "true" }, { "max_events", "4000000" },
                              { "base_time", "0" }, { NULL, NULL } };
  Src x;
  char err[256];
  CHECK(src_open(&x, compiled, opts, 0, 1, 1598, err, sizeof err) == 0);  /* 512 KB batches */
  int64_t rows = 0;
  t = cpu_seconds();
  while (src_fill(&x) == SRC_MORE) rows += x.b.n;
  rows += x.b.n;
  double fill = cpu_seconds() - t;
  src_close(&x);
  CHECK_I64(rows, (int64_t)N);
  printf("nexmark speed: generator %.1f M events/s (%.0f string bytes/event), fill %.1f M rows/s "
         "(%u-byte rows), CPU time of one thread\n", (double)N / gen / 1e6, (double)bytes / (double)N,
         (double)N / fill / 1e6, compiled->row_size);
}

UNIT_MAIN({
  if (compile_schema() < 0) {
    CHECK(!"nexmark default columns compile");
  } else {
    test_schema();
    test_generator();
    test_determinism();
    test_contents();
    test_subset_schema();
    test_options();
    test_checkpoints();
    test_speed();
  }
})
