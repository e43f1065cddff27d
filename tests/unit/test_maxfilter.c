/*
** tests/unit/test_maxfilter.c: which joins compiler/maxfilter.c rewrites into "rows equal to
** their window's maximum" (P_MAXFILTER) and which keep the windowed join. Each case compiles a
** script and looks at its EXPLAIN text; the results of the rewritten plans are checked end to
** end by the maxfilter_* goldens (tests/golden/maxfilter_oracle.py) and tests/nexmark (q5 in Flink's
** form), not here.
*/
#include <stdlib.h>
#include "../../compiler/compiler.h"
#include "unit.h"

static const char *ddl =
  "CREATE TABLE ev (ts TIMESTAMP NOT NULL, k TEXT, v BIGINT, f DOUBLE, WATERMARK FOR ts)\n"
  "  WITH (connector = 'single_file', path = 'x.json', format = 'json', type = 'source');\n"
  "CREATE TABLE out WITH (connector = 'blackhole', type = 'sink');\n"
  "CREATE VIEW a AS SELECT tumble(INTERVAL '1' MINUTE) AS window, k, count(*) AS n, sum(v) AS s,\n"
  "  max(f) AS mf FROM ev GROUP BY 1, 2;\n";

typedef struct Case {
  const char *sql;      /* after ddl */
  int rewritten;        /* 1: EXPLAIN names the rewrite */
  const char *what;
} Case;

static const Case cases[] = {
  { "INSERT INTO out SELECT a.k, a.n FROM a JOIN (SELECT window, max(n) AS m FROM a GROUP BY 1) b "
    "ON a.window = b.window AND a.n >= b.m;", 1, ">= with the maximum on the right" },
  { "INSERT INTO out SELECT a.k, b.m FROM (SELECT max(n) AS m, window FROM a GROUP BY window) b JOIN a "
    "ON b.window = a.window AND b.m <= a.n;", 1, "<= mirrored, the maximum on the left" },
  { "INSERT INTO out SELECT a.k FROM a JOIN (SELECT window, max(s) AS m FROM a GROUP BY 1) b "
    "ON a.window = b.window AND a.s = b.m;", 1, "= (a key pair)" },
  { "INSERT INTO out SELECT a.k FROM a JOIN (SELECT window, min(s) AS m FROM a GROUP BY 1) b "
    "ON a.window = b.window AND a.s <= b.m;", 1, "MIN with <=" },
  { "INSERT INTO out SELECT x.k, x.n FROM (SELECT tumble(INTERVAL '1' MINUTE) AS window, k, count(*) AS n "
    "FROM ev GROUP BY 1, 2) x JOIN (SELECT window, max(n) AS m FROM (SELECT tumble(INTERVAL '1' MINUTE) AS window, "
    "k, count(*) AS n FROM ev GROUP BY 1, 2) y GROUP BY 1) b ON x.window = b.window AND x.n >= b.m;", 1,
    "the counts spelled twice (Flink's q5: one shared aggregate, two projections)" },
  { "INSERT INTO out SELECT x.k, x.n FROM (SELECT tumble(INTERVAL '1' MINUTE) AS window, k, count(*) AS n "
    "FROM ev GROUP BY 1, 2) x JOIN (SELECT window, max(n) AS m FROM (SELECT tumble(INTERVAL '1' MINUTE) AS window, "
    "k, count(v) AS n FROM ev GROUP BY 1, 2) y GROUP BY 1) b ON x.window = b.window AND x.n >= b.m;", 0,
    "the maximum of another aggregate's counts" },
  { "INSERT INTO out SELECT a.k FROM a JOIN (SELECT window, min(s) AS m FROM a GROUP BY 1) b "
    "ON a.window = b.window AND a.s >= b.m;", 0, "MIN with >= (every row)" },
  { "INSERT INTO out SELECT a.k FROM a JOIN (SELECT window, max(n) AS m FROM a GROUP BY 1) b "
    "ON a.window = b.window AND a.n > b.m;", 0, "> (no row)" },
  { "INSERT INTO out SELECT a.k FROM a JOIN (SELECT window, max(n) AS m FROM a GROUP BY 1) b "
    "ON a.window = b.window AND a.n >= b.m AND a.k <> 'x';", 0, "another residual" },
  { "INSERT INTO out SELECT a.k FROM a LEFT JOIN (SELECT window, max(n) AS m FROM a GROUP BY 1) b "
    "ON a.window = b.window AND a.n >= b.m;", 0, "LEFT JOIN" },
  { "INSERT INTO out SELECT a.k FROM a JOIN (SELECT window, max(n) AS m FROM a GROUP BY 1 HAVING max(n) > 1) b "
    "ON a.window = b.window AND a.n >= b.m;", 0, "HAVING on the maximum" },
  { "INSERT INTO out SELECT a.k FROM a JOIN (SELECT window, max(n) AS m, count(*) AS c FROM a GROUP BY 1) b "
    "ON a.window = b.window AND a.n >= b.m;", 0, "a second aggregate" },
  { "INSERT INTO out SELECT a.k FROM a JOIN (SELECT window, max(n) + 0 AS m FROM a GROUP BY 1) b "
    "ON a.window = b.window AND a.n >= b.m;", 0, "a computed maximum" },
  { "INSERT INTO out SELECT a.k FROM a JOIN (SELECT window, max(n) AS m FROM a WHERE k <> 'x' GROUP BY 1) b "
    "ON a.window = b.window AND a.n >= b.m;", 0, "the maximum over filtered rows" },
  { "INSERT INTO out SELECT a.k FROM a JOIN (SELECT window, k, max(n) AS m FROM a GROUP BY 1, 2) b "
    "ON a.window = b.window AND a.k = b.k AND a.n >= b.m;", 0, "a GROUP BY key besides the window" },
  { "INSERT INTO out SELECT a.k FROM a JOIN (SELECT window, max(s) AS m FROM a GROUP BY 1) b "
    "ON a.window = b.window AND a.n >= b.m;", 0, "the maximum of another column" },
  { "INSERT INTO out SELECT a.k FROM a JOIN (SELECT window, max(mf) AS m FROM a GROUP BY 1) b "
    "ON a.window = b.window AND a.mf >= b.m;", 0, "a DOUBLE column" },
};

static void run_cases(void) {
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t n = strlen(ddl) + strlen(cases[i].sql) + 1;
    char *sql = malloc(n);
    snprintf(sql, n, "%s%s", ddl, cases[i].sql);
    char *c = NULL, *plan = NULL, *diag = NULL;
    int rc = arroyo_compile_sql(NULL, sql, strlen(sql), &c, &plan, &diag);
    CHECK_MSG(rc == 0, "%s: %s", cases[i].what, diag ? diag : "");
    if (rc == 0) {
      int got = strstr(plan, "(maxfilter: replaces") != NULL;
      CHECK_MSG(got == cases[i].rewritten, "%s: want %s, plan:\n%s", cases[i].what,
                cases[i].rewritten ? "the rewrite" : "the windowed join", plan);
      if (!cases[i].rewritten) CHECK_MSG(strstr(plan, "windowed inner join") || strstr(plan, "windowed left join"),
                                         "%s: plan:\n%s", cases[i].what, plan);
    }
    free(c); free(plan); free(diag); free(sql);
  }
}

UNIT_MAIN(run_cases())
