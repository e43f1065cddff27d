/*
** tests/unit/test_argmax.c: which joins compiler/argmax.c rewrites into an argmax join.
**
** Each case compiles a script (EXPLAIN on) and checks that the plan names the argmax join
** ("(argmax join") or keeps the interval join. The accepted shapes: Nexmark q7's (the bids and
** the maximum of their own price per 10 s tumble, joined ON price = max AND ts BETWEEN end -
** 10 s AND end), the sides swapped, MIN, a narrower interval, the window's start read from
** the aggregate side, projections over the rows. Refused (the interval join stays): a residual,
** a filter on either side, another aggregate's column on the aggregate side, a float column,
** a cast key, a GROUP BY key, a hop, an interval reaching past the window (a 1 s tumble with
** the 10 s bound, or a bound after the window's end), a maximum of another column, the maximum
** over another table's rows. Outputs are checked by the goldens (tests/golden/queries/join_argmax_*.sql).
*/
#include <stdlib.h>
#include "unit.h"
#include "../../compiler/compiler.h"

#define SRC \
  "CREATE TABLE bids (ts TIMESTAMP NOT NULL, id BIGINT, price BIGINT, fprice DOUBLE, k BIGINT, " \
  "  WATERMARK FOR ts) WITH (connector = 'single_file', path = 'x.json', format = 'json', type = 'source');\n" \
  "CREATE TABLE other (ts TIMESTAMP NOT NULL, id BIGINT, price BIGINT, fprice DOUBLE, k BIGINT, " \
  "  WATERMARK FOR ts) WITH (connector = 'single_file', path = 'y.json', format = 'json', type = 'source');\n" \
  "CREATE TABLE out WITH (connector = 'blackhole', type = 'sink');\n"

/* 1 argmax join, 0 interval join (or another plan), -1 the compile failed */
static int planned_argmax(const char *body) {
  size_t n = strlen(SRC) + strlen(body) + 1;
  char *sql = malloc(n);
  snprintf(sql, n, "%s%s", SRC, body);
  char *c = NULL, *plan = NULL, *diag = NULL;
  CompileOptions opt = { "argmax.sql", NULL, 0, 1 };
  int rc = arroyo_compile_sql(&opt, sql, strlen(sql), &c, &plan, &diag);
  int r = rc < 0 ? -1 : strstr(plan, "(argmax join") != NULL;
  if (rc < 0) fprintf(stderr, "compile failed: %s\n", diag);
  free(sql);
  free(c);
  free(plan);
  free(diag);
  return r;
}

/* A maximum view `m` (window end wend, the aggregate as best) and the join of bids with it. */
static int q7(const char *agg, const char *win, const char *on_extra) {
  char body[2048];
  snprintf(body, sizeof body,
           "CREATE VIEW m AS SELECT window.end AS wend, window.start AS wstart, best FROM "
           "(SELECT %s AS window, %s AS best FROM bids GROUP BY 1);\n"
           "INSERT INTO out SELECT B.id, B.price, M.wend, M.wstart, M.best FROM bids AS B JOIN m AS M "
           "ON B.price = M.best AND B.ts BETWEEN M.wend - INTERVAL '10' SECOND AND M.wend%s;\n",
           win, agg, on_extra);
  return planned_argmax(body);
}

static const char *T10 = "tumble(INTERVAL '10' SECOND)";

static void test_accepted(void) {
  CHECK_I64(q7("max(price)", T10, ""), 1);
  CHECK_I64(q7("min(price)", T10, ""), 1);
  CHECK_I64(planned_argmax(   /* sides swapped, bounds as two comparisons */
    "CREATE VIEW m AS SELECT window.end AS wend, best FROM "
    "(SELECT tumble(INTERVAL '10' SECOND) AS window, max(price) AS best FROM bids GROUP BY 1);\n"
    "INSERT INTO out SELECT B.id, M.wend FROM m AS M JOIN bids AS B "
    "ON M.best = B.price AND M.wend >= B.ts AND B.ts >= M.wend - INTERVAL '10' SECOND;\n"), 1);
  CHECK_I64(planned_argmax(   /* a narrower interval, strict */
    "CREATE VIEW m AS SELECT window.end AS wend, best FROM "
    "(SELECT tumble(INTERVAL '10' SECOND) AS window, max(price) AS best FROM bids GROUP BY 1);\n"
    "INSERT INTO out SELECT B.id FROM bids AS B JOIN m AS M "
    "ON B.price = M.best AND B.ts > M.wend - INTERVAL '4' SECOND AND B.ts < M.wend - INTERVAL '1' SECOND;\n"), 1);
  CHECK_I64(planned_argmax(   /* projections over the rows (one shared view node) */
    "CREATE VIEW b2 AS SELECT ts, price, id + 1 AS id1 FROM bids;\n"
    "CREATE VIEW m AS SELECT window.end AS wend, best FROM "
    "(SELECT tumble(INTERVAL '10' SECOND) AS window, max(price) AS best FROM b2 GROUP BY 1);\n"
    "INSERT INTO out SELECT B.id1, M.wend FROM b2 AS B JOIN m AS M "
    "ON B.price = M.best AND B.ts BETWEEN M.wend - INTERVAL '10' SECOND AND M.wend;\n"), 1);
}

/* bench/nexmark/queries/q7.sql: the bid view (struct fields projected from the nexmark
** source) is the aggregate's input and the join's rows alike */
static void test_nexmark_q7(void) {
  const char *sql =
    "CREATE TABLE nexmark WITH (connector = 'nexmark', event_rate = '0', unthrottled = 'true');\n"
    "CREATE VIEW bid AS SELECT bid.auction AS auction, bid.bidder AS bidder, bid.price AS price, "
    "bid.datetime AS datetime, bid.extra AS extra FROM nexmark WHERE bid IS NOT NULL;\n"
    "CREATE TABLE out WITH (connector = 'blackhole', type = 'sink');\n"
    "CREATE VIEW max_price AS SELECT window.end AS datetime, maxprice FROM "
    "(SELECT tumble(INTERVAL '10' SECOND) AS window, max(price) AS maxprice FROM bid GROUP BY 1);\n"
    "INSERT INTO out SELECT B.auction, B.price, B.bidder, B.datetime, B.extra FROM bid AS B "
    "JOIN max_price AS B1 ON B.price = B1.maxprice "
    "AND B.datetime BETWEEN B1.datetime - INTERVAL '10' SECOND AND B1.datetime;\n";
  char *c = NULL, *plan = NULL, *diag = NULL;
  CompileOptions opt = { "q7.sql", NULL, 0, 1 };
  CHECK(arroyo_compile_sql(&opt, sql, strlen(sql), &c, &plan, &diag) == 0);
  CHECK(plan && strstr(plan, "(argmax join") != NULL);
  free(c);
  free(plan);
  free(diag);
}

static void test_refused(void) {
  CHECK_I64(q7("max(price)", T10, " AND B.id <> 3"), 0);                    /* residual */
  CHECK_I64(q7("max(price)", T10, " AND B.ts <> M.wstart"), 0);             /* residual on times */
  CHECK_I64(q7("max(fprice)", T10, ""), 0);                                 /* float (key is cast) */
  CHECK_I64(q7("max(k)", T10, ""), 0);                                      /* maximum of another column */
  CHECK_I64(q7("max(price)", "tumble(INTERVAL '1' SECOND)", ""), 0);        /* reaches past the window */
  CHECK_I64(q7("max(price)", "hop(INTERVAL '5' SECOND, INTERVAL '10' SECOND)", ""), 0);
  CHECK_I64(planned_argmax(   /* another aggregate's column on the aggregate side */
    "CREATE VIEW m AS SELECT window.end AS wend, best, n FROM "
    "(SELECT tumble(INTERVAL '10' SECOND) AS window, max(price) AS best, count(*) AS n FROM bids GROUP BY 1);\n"
    "INSERT INTO out SELECT B.id FROM bids AS B JOIN m AS M "
    "ON B.price = M.best AND B.ts BETWEEN M.wend - INTERVAL '10' SECOND AND M.wend;\n"), 0);
  CHECK_I64(planned_argmax(   /* a filter on the rows side */
    "CREATE VIEW m AS SELECT window.end AS wend, best FROM "
    "(SELECT tumble(INTERVAL '10' SECOND) AS window, max(price) AS best FROM bids GROUP BY 1);\n"
    "INSERT INTO out SELECT B.id FROM (SELECT * FROM bids WHERE id > 3) AS B JOIN m AS M "
    "ON B.price = M.best AND B.ts BETWEEN M.wend - INTERVAL '10' SECOND AND M.wend;\n"), 0);
  CHECK_I64(planned_argmax(   /* a filter (HAVING) on the aggregate side */
    "CREATE VIEW m AS SELECT window.end AS wend, best FROM "
    "(SELECT tumble(INTERVAL '10' SECOND) AS window, max(price) AS best FROM bids GROUP BY 1 HAVING max(price) > 3);\n"
    "INSERT INTO out SELECT B.id FROM bids AS B JOIN m AS M "
    "ON B.price = M.best AND B.ts BETWEEN M.wend - INTERVAL '10' SECOND AND M.wend;\n"), 0);
  CHECK_I64(planned_argmax(   /* GROUP BY a key: one maximum per key and window */
    "CREATE VIEW m AS SELECT window.end AS wend, k, best FROM "
    "(SELECT tumble(INTERVAL '10' SECOND) AS window, k, max(price) AS best FROM bids GROUP BY 1, 2);\n"
    "INSERT INTO out SELECT B.id FROM bids AS B JOIN m AS M "
    "ON B.price = M.best AND B.ts BETWEEN M.wend - INTERVAL '10' SECOND AND M.wend;\n"), 0);
  CHECK_I64(planned_argmax(   /* the maximum over another table's rows */
    "CREATE VIEW m AS SELECT window.end AS wend, best FROM "
    "(SELECT tumble(INTERVAL '10' SECOND) AS window, max(price) AS best FROM other GROUP BY 1);\n"
    "INSERT INTO out SELECT B.id FROM bids AS B JOIN m AS M "
    "ON B.price = M.best AND B.ts BETWEEN M.wend - INTERVAL '10' SECOND AND M.wend;\n"), 0);
  CHECK_I64(planned_argmax(   /* a bound after the window's end: rows of the next window too */
    "CREATE VIEW m AS SELECT window.end AS wend, best FROM "
    "(SELECT tumble(INTERVAL '10' SECOND) AS window, max(price) AS best FROM bids GROUP BY 1);\n"
    "INSERT INTO out SELECT B.id FROM bids AS B JOIN m AS M "
    "ON B.price = M.best AND B.ts BETWEEN M.wend - INTERVAL '5' SECOND AND M.wend + INTERVAL '1' SECOND;\n"), 0);
  CHECK_I64(planned_argmax(   /* a computed key */
    "CREATE VIEW m AS SELECT window.end AS wend, best FROM "
    "(SELECT tumble(INTERVAL '10' SECOND) AS window, max(price) AS best FROM bids GROUP BY 1);\n"
    "INSERT INTO out SELECT B.id FROM bids AS B JOIN m AS M "
    "ON B.price + 0 = M.best AND B.ts BETWEEN M.wend - INTERVAL '10' SECOND AND M.wend;\n"), 0);
}

UNIT_MAIN({
  test_accepted();
  test_nexmark_q7();
  test_refused();
})
