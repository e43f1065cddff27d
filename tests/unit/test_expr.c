/*
** tests/unit/test_expr.c: expression semantics through the real compiler and runtime.
**
** Each case is a SQL expression over one input row (given as a JSON line). The harness
** wraps it in a script (source t -> sink o with one TEXT column), compiles it with
** arroyo_compile_sql, builds the .so with the tcc backend (cc_build), loads it, decodes the
** row with the source's decoder, runs the pipeline's process() with an RtApi whose emit
** captures the sink row, and compares the text result ("NULL" for NULL) or the error.
** So NULL rules, three-valued logic, implicit casts and overflow are checked exactly as a
** pipeline computes them. A second pass compiles all non-error cases into one query with
** the gcc backend and checks it agrees with tcc.
*/
#include <stdlib.h>
#include <string.h>
#include <dlfcn.h>
#include <unistd.h>
#include "unit.h"
#include "compiler.h"
#include "runtime.h"

static const char *table_ddl =
  "CREATE TABLE t (a BIGINT, b BIGINT, i INT, u BIGINT UNSIGNED, x DOUBLE, f FLOAT, "
  "s TEXT, s2 TEXT, ts TIMESTAMP, ok BOOLEAN, j JSON) WITH (connector = 'single_file', "
  "path = '/dev/null', type = 'source', format = 'json');\n";

static char captured[64][256];   /* text of each captured column */
static int ncaptured;
static const RtSchema *sink_schema;

static void no_watermark(RtCtx *ctx, int input, int64_t wm) { (void)ctx; (void)input; (void)wm; }

static int capture_emit(RtCtx *ctx, int port, const void *row) {
  (void)ctx; (void)port;
  const RtSchema *sc = sink_schema;
  for (uint32_t c = 0; c < sc->ncols && c < 64; c++) {
    const RtColumn *col = &sc->cols[c];
    const char *base = row;
    if (col->null_offset != UINT32_MAX && base[col->null_offset]) {
      snprintf(captured[c], sizeof captured[c], "NULL");
      continue;
    }
    const RtStr *s = (const RtStr *)(base + col->offset);
    snprintf(captured[c], sizeof captured[c], "%.*s", (int)s->len, s->ptr);
  }
  ncaptured++;
  return 0;
}

typedef struct Loaded {
  void *dl;
  const RtPipeline *p;
  char so[64];
} Loaded;

/* Compile `sql` with `backend` and load it; returns 0, or -1 with diag. */
static int load(const char *sql, const char *backend, Loaded *L, char **diag) {
  static RtApi api;
  api = *rt_api();
  api.emit = capture_emit;
  api.source_watermark = no_watermark;
  char *c = NULL, *plan = NULL;
  CompileOptions opt = { "expr.sql", NULL, 0, 0 };
  if (arroyo_compile_sql(&opt, sql, strlen(sql), &c, &plan, diag) < 0) return -1;
  snprintf(L->so, sizeof L->so, "/tmp/arroyo-test-expr-%d.so", (int)getpid());
  if (cc_build(backend, c, NULL, L->so, diag) < 0) { free(c); free(plan); return -1; }
  free(c); free(plan);
  L->dl = dlopen(L->so, RTLD_NOW | RTLD_LOCAL);
  unlink(L->so);
  if (!L->dl) { *diag = strdup(dlerror()); return -1; }
  RtEntryFn entry = (RtEntryFn)dlsym(L->dl, RT_ENTRY_SYMBOL);
  L->p = entry(&api);
  sink_schema = L->p->sinks[0].schema;
  return 0;
}

/* Run one input row through a loaded pipeline. Returns process()'s result; err gets the
** runtime error text. */
static int run_row(Loaded *L, const char *row_json, char *err, size_t errlen) {
  const RtConnector *src = &L->p->sources[0];
  char derr[256];
  Decoder *d = dec_new(src, derr, sizeof derr);
  if (!d) { snprintf(err, errlen, "decoder: %s", derr); return -1; }
  uint32_t rs = src->schema->row_size;
  char *rows = calloc(2, rs);
  Arena a;
  arena_init(&a, 4096);
  int n = dec_record(d, row_json, strlen(row_json), rows, &a, derr, sizeof derr);
  if (n != 1) { snprintf(err, errlen, "bad row: %s", derr); free(rows); arena_free(&a); dec_free(d); return -1; }
  RtCtx *ctx = rt_ctx_new();
  RtBatch b = { rows, 1, rs, 0 };
  ncaptured = 0;
  /* a stateless script is one stage whose input 0 is the source and output 0 the sink */
  int rc = L->p->stages[0].process(ctx, 0, &b);
  snprintf(err, errlen, "%s", ctx->err);
  rt_ctx_free(ctx);
  free(rows);
  arena_free(&a);
  dec_free(d);
  return rc;
}

typedef struct Case {
  const char *expr;   /* SQL expression over t */
  const char *row;    /* input row */
  const char *want;   /* expected text, "NULL", or "!error substring" */
} Case;

static const char *R1 = "{\"a\":7,\"b\":2,\"i\":5,\"u\":10,\"x\":2.5,\"f\":1.5,\"s\":\"Hello\",\"s2\":\"world\","
                        "\"ts\":\"2023-09-18T14:23:10.250Z\",\"ok\":true,\"j\":{\"k\":[1,{\"m\":\"v\"}],\"n\":null}}";
#define RNULL "{}"
static const char *RBIG = "{\"a\":9223372036854775807,\"b\":-9223372036854775808,\"i\":2147483647,\"u\":18446744073709551615}";

static const Case cases[] = {
  /* arithmetic and integer semantics */
  { "a + b", NULL, "9" }, { "a - b * 3", NULL, "1" }, { "a / b", NULL, "3" },
  { "-a / b", NULL, "-3" }, { "a % b", NULL, "1" }, { "-a % b", NULL, "-1" },
  { "a / 0", NULL, "!division by zero" }, { "a % 0", NULL, "!division by zero" },
  { "x / 0", NULL, "!division by zero" },
  { "a + 1", "BIG", "!overflow" }, { "b - 1", "BIG", "!overflow" }, { "a * 2", "BIG", "!overflow" },
  { "-b", "BIG", "!overflow" }, { "b / -1", "BIG", "!overflow" }, { "b % -1", "BIG", "0" },
  { "i + 1", "BIG", "!INT overflow" }, { "i + 1", NULL, "6" }, { "u + 1", "BIG", "!overflow" },
  { "u * 2", NULL, "20" }, { "u % 3", NULL, "1" }, { "abs(b)", "BIG", "!overflow" },
  { "a + x", NULL, "9.5" }, { "a * 1.0", NULL, "7.0" }, { "x * 2", NULL, "5.0" },
  { "f + 1", NULL, "2.5" }, { "a + NULL", NULL, "NULL" }, { "a + b", RNULL, "NULL" },
  { "CAST(u AS BIGINT)", "BIG", "!out of range" }, { "CAST(a AS INT)", "BIG", "!out of range" },
  { "CAST(a AS INT)", NULL, "7" }, { "CAST(x AS BIGINT)", NULL, "2" },
  { "round(x)", NULL, "3.0" }, { "round(2.345, 2)", NULL, "2.35" }, { "floor(-x)", NULL, "-3.0" },
  { "ceil(x)", NULL, "3.0" }, { "sqrt(16)", NULL, "4.0" }, { "power(2, 10)", NULL, "1024.0" },
  { "mod(a, b)", NULL, "1" }, { "abs(-3)", NULL, "3" }, { "ln(1)", NULL, "0.0" }, { "log10(1000)", NULL, "3.0" },
  { "exp(0)", NULL, "1.0" },
  /* comparisons and three-valued logic */
  { "a > b", NULL, "true" }, { "a = 7 AND s = 'Hello'", NULL, "true" }, { "a == 7", NULL, "true" },
  { "a <> 7 OR s != 'Hello'", NULL, "false" },
  { "a > 1 AND b > 1", RNULL, "NULL" }, { "NULL AND false", NULL, "false" }, { "NULL AND true", NULL, "NULL" },
  { "NULL OR true", NULL, "true" }, { "NULL OR false", NULL, "NULL" }, { "NOT (a > b)", RNULL, "NULL" },
  { "a IS NULL", RNULL, "true" }, { "a IS NOT NULL", RNULL, "false" },
  { "a IS DISTINCT FROM b", RNULL, "false" }, { "a IS DISTINCT FROM 1", RNULL, "true" },
  { "a IS NOT DISTINCT FROM 7", NULL, "true" }, { "ok IS TRUE", RNULL, "false" }, { "ok IS NOT FALSE", NULL, "true" },
  { "a IN (1, 7)", NULL, "true" }, { "a IN (1, 2)", NULL, "false" }, { "a IN (1, NULL)", NULL, "NULL" },
  { "a NOT IN (1, 2)", NULL, "true" }, { "a IN (7, NULL)", NULL, "true" }, { "a IN (1)", RNULL, "NULL" },
  { "a BETWEEN 1 AND 7", NULL, "true" }, { "a NOT BETWEEN 1 AND 7", NULL, "false" },
  { "s < s2", NULL, "true" }, { "s >= 'Hello'", NULL, "true" },
  { "CASE WHEN a > 5 THEN 'big' WHEN a > 1 THEN 'mid' END", NULL, "big" },
  { "CASE WHEN a > 50 THEN 'big' END", NULL, "NULL" }, { "CASE a WHEN 7 THEN 1 ELSE 0 END", NULL, "1" },
  { "CASE WHEN a IS NULL THEN 'none' ELSE 'some' END", RNULL, "none" },
  { "coalesce(a, b, 42)", RNULL, "42" }, { "coalesce(s, 'x')", NULL, "Hello" }, { "nullif(a, 7)", NULL, "NULL" },
  { "nullif(a, 1)", NULL, "7" }, { "greatest(a, b, 3)", NULL, "7" }, { "least(a, b)", NULL, "2" },
  /* strings */
  { "lower(s) || upper(s2)", NULL, "helloWORLD" }, { "s || NULL", NULL, "NULL" },
  { "concat(s, NULL, '!', a)", NULL, "Hello!7" }, { "length(s)", NULL, "5" }, { "char_length('héllo')", NULL, "5" },
  { "substr(s, 2, 3)", NULL, "ell" }, { "substring(s FROM 2)", NULL, "ello" }, { "substr(s, 0, 2)", NULL, "H" },
  { "trim('  a b  ')", NULL, "a b" }, { "ltrim('xxa', 'x')", NULL, "a" }, { "trim(BOTH 'x' FROM 'xax')", NULL, "a" },
  { "replace(s, 'l', 'L')", NULL, "HeLLo" }, { "starts_with(s, 'He')", NULL, "true" }, { "strpos(s, 'llo')", NULL, "3" },
  { "split_part('a,b,c', ',', 2)", NULL, "b" }, { "lpad(s, 7, '*')", NULL, "**Hello" }, { "rpad(s, 3)", NULL, "Hel" },
  { "s LIKE 'H%o'", NULL, "true" }, { "s LIKE 'h%'", NULL, "false" }, { "s ILIKE 'h%'", NULL, "true" },
  { "s NOT LIKE '_ello'", NULL, "false" }, { "s LIKE NULL", NULL, "NULL" },
  { "regexp_like(s, '^H.*o$')", NULL, "true" }, { "regexp_replace(s, 'l+', 'L')", NULL, "HeLo" },
  /* casts */
  { "CAST(a AS TEXT)", NULL, "7" }, { "CAST('42' AS BIGINT) + 1", NULL, "43" },
  { "CAST('x42' AS BIGINT)", NULL, "!x42" }, { "CAST(x AS TEXT)", NULL, "2.5" }, { "CAST(a AS DOUBLE)", NULL, "7.0" },
  { "CAST(ok AS TEXT)", NULL, "true" }, { "CAST('true' AS BOOLEAN)", NULL, "true" }, { "a::text", NULL, "7" },
  { "CAST(ts AS TEXT)", NULL, "2023-09-18T14:23:10.250" },
  { "CAST('2023-01-02T03:04:05Z' AS TIMESTAMP)", NULL, "2023-01-02T03:04:05" },
  /* time */
  { "ts + INTERVAL '1 hour'", NULL, "2023-09-18T15:23:10.250" }, { "ts - INTERVAL '1' DAY", NULL, "2023-09-17T14:23:10.250" },
  { "ts + INTERVAL '1 month'", NULL, "2023-10-18T14:23:10.250" }, { "date_trunc('hour', ts)", NULL, "2023-09-18T14:00:00" },
  { "extract(hour FROM ts)", NULL, "14.0" }, { "date_part('minute', ts)", NULL, "23.0" },
  { "ts > TIMESTAMP '2023-01-01 00:00:00'", NULL, "true" }, { "ts > '2023-01-01T00:00:00Z'", NULL, "true" },
  { "to_timestamp('2023-09-18T14:23:10Z')", NULL, "2023-09-18T14:23:10" },
  /* JSON */
  { "j->'k'", NULL, "[1,{\"m\":\"v\"}]" }, { "j->'k'->1->'m'", NULL, "\"v\"" }, { "j->'zz'", NULL, "null" },
  { "j->'k'->1->>'m'", NULL, "v" }, { "j->>'zz'", NULL, "NULL" }, { "json_get_int(j, 'k', 0)", NULL, "1" },
  { "json_get_str(j, 'k', 1, 'm')", NULL, "v" }, { "extract_json_string(j, '$.k[1].m')", NULL, "v" },
};

static const char *row_for(const Case *c) {
  if (!c->row) return R1;
  if (strcmp(c->row, "BIG") == 0) return RBIG;
  return c->row;
}

static void run_case(const Case *c) {
  char *sql = NULL;
  size_t n = strlen(table_ddl) + strlen(c->expr) + 256;
  sql = malloc(n);
  snprintf(sql, n, "%sCREATE TABLE o (v TEXT) WITH (connector = 'blackhole');\n"
                   "INSERT INTO o SELECT CAST(%s AS TEXT) FROM t;\n", table_ddl, c->expr);
  Loaded L;
  char *diag = NULL;
  if (load(sql, "tcc", &L, &diag) < 0) {
    CHECK_MSG(0, "%s: compile failed: %s", c->expr, diag ? diag : "?");
    free(diag); free(sql);
    return;
  }
  char err[1100];
  int rc = run_row(&L, row_for(c), err, sizeof err);
  if (c->want[0] == '!') {
    CHECK_MSG(rc < 0 && strstr(err, c->want + 1), "%s: want error containing '%s', got rc=%d err='%s' value='%s'",
              c->expr, c->want + 1, rc, err, ncaptured ? captured[0] : "(none)");
  } else {
    CHECK_MSG(rc == 0 && ncaptured == 1 && strcmp(captured[0], c->want) == 0,
              "%s: want '%s', got rc=%d err='%s' value='%s'", c->expr, c->want, rc, err,
              ncaptured ? captured[0] : "(none)");
  }
  dlclose(L.dl);
  free(sql);
}

/* Compile errors: the message names the position and the problem. */
typedef struct ErrCase { const char *sql; const char *want; } ErrCase;
static const ErrCase errs[] = {
  { "SELECT nope FROM t", "expr.sql:2:8: error: unknown column 'nope'" },
  { "SELECT a +", "expr.sql:2:11: error: syntax error" },
  { "SELECT lower(a, b) FROM t", "2:8: error: function lower takes 1 argument" },
  { "SELECT frob(a) FROM t", "2:8: error: unknown function 'frob'" },
  { "SELECT 'x' + 1 FROM t", "2:12: error: cannot apply '+' to TEXT and BIGINT" },
  { "SELECT a FROM t WHERE a", "2:23: error: a WHERE condition must be BOOLEAN" },
  { "SELECT a FROM nope", "2:15: error: unknown table 'nope'" },
  { "SELECT CAST(ts AS BOOLEAN) FROM t", "2:8: error: cannot cast TIMESTAMP to BOOLEAN" },
  { "SELECT a FROM t ORDER BY a", "ORDER BY is not supported" },
  { "SELECT 'unterminated FROM t", "2:8: error: unterminated string literal" },
  { "SELECT a FROM t; SELECT #", "2:25: error: unexpected character '#'" },
  { "CREATE TABLE z (q INT) WITH (connector = 'nosuch')", "2:30: error: unknown connector 'nosuch'" },
  { "CREATE TABLE z (q INT) WITH (connector = 'single_file', path = 'x', type = 'source', colour = 'red')",
    "2:86: error: unknown option 'colour' for connector 'single_file'" },
  { "CREATE TABLE z (q INT) WITH (connector = 'single_file', path = 'x', type = 'source', format = 'xml')",
    "invalid value 'xml' for option 'format'" },
  { "CREATE TABLE z (q INT) WITH (connector = 'single_file', type = 'source')", "requires option 'path'" },
  { "CREATE TABLE z (q BIGINT) WITH (connector = 'single_file', path = 'x', type = 'sink');\n"
    "INSERT INTO z SELECT s FROM t", "cannot write TEXT value" },
  { "CREATE TABLE z (q TEXT) WITH (connector = 'single_file', path = 'x', type = 'sink', format = 'json');\n"
    "CREATE TABLE d (id INT PRIMARY KEY) WITH (connector = 'single_file', path = 'y', type = 'source', format = 'debezium_json');\n"
    "INSERT INTO z SELECT CAST(id AS TEXT) FROM d", "append-only" },
  { "CREATE TABLE d (id INT) WITH (connector = 'single_file', path = 'y', type = 'source', format = 'debezium_json')",
    "needs a PRIMARY KEY" },
  { "SELECT a FROM t UNION ALL SELECT a, b FROM t", "UNION ALL branches have 1 and 2 columns" },
  { "CREATE TABLE m (q INT);\nINSERT INTO m SELECT q FROM m", "cycle" },
};

static void run_err(const ErrCase *e) {
  size_t n = strlen(table_ddl) + strlen(e->sql) + 8;
  char *sql = malloc(n);
  snprintf(sql, n, "%s%s", table_ddl, e->sql);
  char *c = NULL, *plan = NULL, *diag = NULL;
  CompileOptions opt = { "expr.sql", NULL, 0, 0 };
  int rc = arroyo_compile_sql(&opt, sql, strlen(sql), &c, &plan, &diag);
  CHECK_MSG(rc < 0 && diag && strstr(diag, e->want), "%s: want '%s', got rc=%d '%s'", e->sql, e->want, rc,
            diag ? diag : "(none)");
  free(c); free(plan); free(diag); free(sql);
}

/* Same SQL gives byte-identical C. */
static void determinism(void) {
  const char *sql = "CREATE TABLE t (a BIGINT, s TEXT) WITH (connector = 'single_file', path = 'x', type = 'source');\n"
                    "SELECT a + 1 AS b, upper(s) FROM t WHERE a > 3 OR s LIKE 'x%';";
  char *c1, *c2, *p, *d;
  CHECK(arroyo_compile_sql(NULL, sql, strlen(sql), &c1, &p, &d) == 0);
  free(p);
  CHECK(arroyo_compile_sql(NULL, sql, strlen(sql), &c2, &p, &d) == 0);
  free(p);
  CHECK(strcmp(c1, c2) == 0);
  free(c1); free(c2);
}

/* The layout hash the generated C declares (the pipeline's "layout hash" line), or 0. */
static unsigned long long layout_hash_of(const char *sql) {
  char *c = NULL, *p = NULL, *d = NULL;
  unsigned long long h = 0;
  if (arroyo_compile_sql(NULL, sql, strlen(sql), &c, &p, &d) == 0) {
    const char *at = strstr(c, "/* layout hash */");
    const char *lit = at ? at : c;
    while (lit > c && lit[-1] != '\n') lit--;
    lit = strstr(lit, "UINT64_C(0x");
    if (at && lit && lit < at) h = strtoull(lit + 11, NULL, 16);
  }
  free(c); free(p); free(d);
  return h;
}

/* A checkpoint is restored only by code with the same state layout: the layout hash changes
** with what a stateful stage stores (a join's stored columns, a top-N's kept rows, an
** aggregate's accumulators) and stays when only stateless parts change (a filter). */
static void layout_hash(void) {
  const char *ddl =
      "CREATE TABLE l (id BIGINT PRIMARY KEY, k BIGINT, a BIGINT, s TEXT) WITH (connector = 'single_file', path = 'x', "
      "format = 'debezium_json', type = 'source');\n"
      "CREATE TABLE r (id BIGINT PRIMARY KEY, k BIGINT, b BIGINT, t TEXT) WITH (connector = 'single_file', path = 'y', "
      "format = 'debezium_json', type = 'source');\n"
      "CREATE TABLE o WITH (connector = 'single_file', path = 'z', format = 'debezium_json', "
      "type = 'sink');\n";
  char q[5][1024];
  snprintf(q[0], sizeof q[0], "%sINSERT INTO o SELECT l.a, r.b FROM l JOIN r ON l.k = r.k WHERE l.a > 1;", ddl);
  snprintf(q[1], sizeof q[1], "%sINSERT INTO o SELECT l.a, r.b FROM l JOIN r ON l.k = r.k WHERE l.a > 7;", ddl);
  snprintf(q[2], sizeof q[2], "%sINSERT INTO o SELECT l.a, r.b FROM l JOIN r ON l.k = r.k AND l.s < r.t WHERE l.a > 1;", ddl);
  snprintf(q[3], sizeof q[3], "%sINSERT INTO o SELECT k, count(*) FROM l GROUP BY k;", ddl);
  snprintf(q[4], sizeof q[4], "%sINSERT INTO o SELECT l.a, r.b FROM l LEFT JOIN r ON l.k = r.k AND l.s < r.t WHERE l.a > 1;", ddl);
  unsigned long long h[5];
  for (int i = 0; i < 5; i++) {
    h[i] = layout_hash_of(q[i]);
    CHECK_MSG(h[i] != 0, "no layout hash in the C of query %d", i);
  }
  CHECK_MSG(h[0] == h[1], "a filter change altered the layout hash (%llx, %llx)", h[0], h[1]);
  CHECK_MSG(h[0] != h[2], "a join storing two more columns (for its residual; same sink) kept the "
            "layout hash %llx", h[0]);
  CHECK(h[0] != h[3]);
  CHECK_MSG(h[2] != h[4], "a LEFT join whose left rows carry a match count (residual) kept the inner join's "
            "layout hash %llx", h[2]);
  /* what the hash covers of an updating join: its stored values (first row inline, rows 2.. in
  ** tables 2 and 3), the key bytes' format and the tables' count, all in the hashed types text
  ** or stage list; its tables are compact (key_hash given) */
  char *c = NULL, *p = NULL, *d = NULL;
  CHECK(arroyo_compile_sql(NULL, q[0], strlen(q[0]), &c, &p, &d) == 0);
  if (c) {
    const char *lk = strstr(c, "typedef struct n"), *fmt = strstr(c, "key bytes: the key values alone");
    const char *funcs = strstr(c, "_keyhash_l(const void *key, uint32_t kl) {");
    CHECK_MSG(lk && fmt && funcs && lk < funcs && fmt < funcs, "join value types and key format not in the types");
    CHECK(strstr(c, "rows 2.. by key") != NULL && strstr(c, "_keyhash_r }") != NULL);
  }
  free(c); free(p); free(d);
}

/* All non-error cases as one query per row kind with gcc: results must equal tcc's. */
static void gcc_agrees(void) {
  Buf sql = {0};
  buf_puts(&sql, table_ddl);
  int ncols = 0;
  const Case *picked[64];
  buf_puts(&sql, "CREATE TABLE o (");
  size_t ncase = sizeof cases / sizeof cases[0];
  for (size_t i = 0; i < ncase && ncols < 60; i++) {
    if (cases[i].want[0] == '!' || cases[i].row) continue;
    buf_printf(&sql, "%sc%d TEXT", ncols ? ", " : "", ncols);
    picked[ncols++] = &cases[i];
  }
  buf_puts(&sql, ") WITH (connector = 'blackhole');\nINSERT INTO o SELECT ");
  for (int i = 0; i < ncols; i++) buf_printf(&sql, "%sCAST(%s AS TEXT)", i ? ", " : "", picked[i]->expr);
  buf_puts(&sql, " FROM t;\n");
  Loaded L;
  char *diag = NULL;
  if (load(buf_cstr(&sql), "gcc", &L, &diag) < 0) {
    CHECK_MSG(0, "gcc compile failed: %s", diag ? diag : "?");
    free(diag); buf_free(&sql);
    return;
  }
  char err[1100];
  CHECK(run_row(&L, R1, err, sizeof err) == 0);
  for (int i = 0; i < ncols; i++)
    CHECK_MSG(strcmp(captured[i], picked[i]->want) == 0, "gcc: %s: want '%s' got '%s'", picked[i]->expr,
              picked[i]->want, captured[i]);
  dlclose(L.dl);
  buf_free(&sql);
}

UNIT_MAIN({
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) run_case(&cases[i]);
  for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++) run_err(&errs[i]);
  determinism();
  layout_hash();
  gcc_agrees();
})
