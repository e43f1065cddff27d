/*
** tests/unit/test_share.c: identical plan nodes are shared (compiler/share.c, bind.c's one scan
** per source).
**
** Each case compiles a script with arroyo_compile_sql and counts the distinct aggregate nodes
** in its EXPLAIN text (a shared node is printed under each parent with the same [nN] id).
** What the shared plans compute is checked end to end by the golden and Nexmark tests.
*/
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "compiler.h"

static const char *ddl =
  "CREATE TABLE bids (datetime TIMESTAMP, auction BIGINT, price BIGINT) WITH (connector = "
  "'single_file', path = '/dev/null', format = 'json', type = 'source', event_time_field = 'datetime');\n"
  "CREATE TABLE o WITH (connector = 'blackhole', type = 'sink');\n";

/* Distinct node ids on EXPLAIN lines that contain `what`; -1 if the script does not compile. */
static int distinct_nodes(const char *body, const char *what) {
  size_t n = strlen(ddl) + strlen(body) + 1;
  char *sql = malloc(n);
  snprintf(sql, n, "%s%s", ddl, body);
  char *c = NULL, *plan = NULL, *diag = NULL;
  int rc = arroyo_compile_sql(NULL, sql, strlen(sql), &c, &plan, &diag);
  int count = -1;
  if (rc == 0 && plan) {
    int seen[256] = {0};
    count = 0;
    for (const char *line = plan; line && *line; ) {
      const char *end = strchr(line, '\n');
      size_t len = end ? (size_t)(end - line) : strlen(line);
      const char *id = memchr(line, '[', len);
      const char *hit = strstr(line, what);
      if (id && hit && hit < line + len && id[1] == 'n') {
        int k = atoi(id + 2);
        if (k > 0 && k < 256 && !seen[k]) { seen[k] = 1; count++; }
      }
      line = end ? end + 1 : NULL;
    }
  } else fprintf(stderr, "compile failed: %s\n", diag ? diag : "(no message)");
  free(c); free(plan); free(diag); free(sql);
  return count;
}

/* Nexmark q5 as Flink writes it: the per-auction counts spelled twice, over one table. */
static const char *q5_flink =
  "INSERT INTO o SELECT AuctionBids.auction, AuctionBids.num FROM (\n"
  "  SELECT auction, count(*) AS num, hop(interval '2 second', interval '10 seconds') AS window\n"
  "  FROM bids GROUP BY auction, window) AS AuctionBids\n"
  "JOIN (SELECT max(CountBids.num) AS maxn, CountBids.window FROM (\n"
  "  SELECT count(*) AS num, hop(interval '2 second', interval '10 seconds') AS window\n"
  "  FROM bids GROUP BY auction, window) AS CountBids GROUP BY CountBids.window) AS MaxBids\n"
  "ON AuctionBids.window = MaxBids.window AND AuctionBids.num >= MaxBids.maxn;\n";

static void shared(void) {
  CHECK_I64(distinct_nodes(q5_flink, "scan bids"), 1);
  CHECK_I64(distinct_nodes(q5_flink, "hop aggregate"), 1);
  /* the same aggregate in two INSERTs */
  CHECK_I64(distinct_nodes("INSERT INTO o SELECT auction, count(*) FROM bids GROUP BY auction;\n"
                           "INSERT INTO o SELECT auction, count(*) AS n FROM bids GROUP BY auction;\n",
                           "aggregate"), 1);
  CHECK_I64(distinct_nodes("INSERT INTO o SELECT count(*) FROM bids GROUP BY price < 5;\n"
                           "INSERT INTO o SELECT count(*) FROM bids GROUP BY price < 5;\n",
                           "aggregate"), 1);   /* an expression key: shared */
}

static void not_shared(void) {
  /* different calls, keys, windows or inputs: two nodes */
  CHECK_I64(distinct_nodes("INSERT INTO o SELECT auction, count(*) FROM bids GROUP BY auction;\n"
                           "INSERT INTO o SELECT auction, sum(price) FROM bids GROUP BY auction;\n",
                           "aggregate"), 2);
  CHECK_I64(distinct_nodes("INSERT INTO o SELECT auction, count(*) FROM bids GROUP BY auction;\n"
                           "INSERT INTO o SELECT price, count(*) FROM bids GROUP BY price;\n",
                           "aggregate"), 2);
  CHECK_I64(distinct_nodes("INSERT INTO o SELECT tumble(interval '1 second') AS w, count(*) FROM bids GROUP BY 1;\n"
                           "INSERT INTO o SELECT tumble(interval '2 second') AS w, count(*) FROM bids GROUP BY 1;\n",
                           "aggregate"), 2);
  CHECK_I64(distinct_nodes("INSERT INTO o SELECT auction, count(*) FROM bids WHERE price > 1 GROUP BY auction;\n"
                           "INSERT INTO o SELECT auction, count(*) FROM bids WHERE price > 1 GROUP BY auction;\n",
                           "aggregate"), 2);   /* filters are not shared, so neither are their parents */
  CHECK_I64(distinct_nodes("INSERT INTO o SELECT auction, count(*), sum(price) FROM bids GROUP BY auction;\n"
                           "INSERT INTO o SELECT auction, sum(price), count(*) FROM bids GROUP BY auction;\n",
                           "aggregate"), 2);   /* calls in another order: columns at other positions */
}

UNIT_MAIN(shared(); not_shared())
