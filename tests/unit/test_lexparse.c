/*
** tests/unit/test_lexparse.c: lexer and parser unit tests.
** Tokens with their kinds, text and line:col; comments, quoted identifiers, string escapes;
** statement shapes (CREATE TABLE with WATERMARK / PRIMARY KEY / GENERATED, views, INSERT,
** UNION ALL chains, subqueries) and syntax errors at the right position. Runs the lexer and
** parser directly on a compile context, catching diag_error's longjmp.
*/
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "compiler.h"

static Cx *new_cx(void) {
  Cx *cx = calloc(1, sizeof *cx);
  arena_init(&cx->arena, 4096);
  cx->filename = "t.sql";
  cx->cat = cx_alloc(cx, sizeof(Catalog));
  return cx;
}
static void free_cx(Cx *cx) { buf_free(&cx->diag); arena_free(&cx->arena); free(cx); }

static void test_tokens(void) {
  Cx *cx = new_cx();
  const char *src = "SELECT a.\"Mixed Case\", 'it''s', 1.5e3, 42 -- c\n /* x\n y */ ->> -> :: <> != == || <=";
  Lexer lx;
  if (setjmp(cx->fail)) { CHECK_MSG(0, "lexer failed: %s", buf_cstr(&cx->diag)); free_cx(cx); return; }
  lex_init(&lx, cx, src, strlen(src));
  Tok t = lex_next(&lx);
  CHECK(t.kind == TK_IDENT && !strcmp(t.text, "select") && t.line == 1 && t.col == 1);
  t = lex_next(&lx); CHECK(t.kind == TK_IDENT && !strcmp(t.text, "a") && t.col == 8);
  t = lex_next(&lx); CHECK(t.kind == TK_DOT);
  t = lex_next(&lx); CHECK(t.kind == TK_QIDENT && !strcmp(t.text, "Mixed Case"));
  t = lex_next(&lx); CHECK(t.kind == TK_COMMA);
  t = lex_next(&lx); CHECK(t.kind == TK_STRING && !strcmp(t.text, "it's") && t.textlen == 4);
  t = lex_next(&lx); t = lex_next(&lx); CHECK(t.kind == TK_FLOAT && !strcmp(t.text, "1.5e3"));
  t = lex_next(&lx); t = lex_next(&lx); CHECK(t.kind == TK_INT && !strcmp(t.text, "42"));
  t = lex_next(&lx); CHECK(t.kind == TK_ARROW2 && t.line == 3 && t.col == 7);
  t = lex_next(&lx); CHECK(t.kind == TK_ARROW);
  t = lex_next(&lx); CHECK(t.kind == TK_CAST2);
  t = lex_next(&lx); CHECK(t.kind == TK_NE);
  t = lex_next(&lx); CHECK(t.kind == TK_NE);
  t = lex_next(&lx); CHECK(t.kind == TK_EQEQ);
  t = lex_next(&lx); CHECK(t.kind == TK_CONCAT);
  t = lex_next(&lx); CHECK(t.kind == TK_LE);
  t = lex_next(&lx); CHECK(t.kind == TK_EOF);
  free_cx(cx);
}

/* Parse `src`; on error return the diagnostic (static buffer), else NULL. */
static const char *parse_err(const char *src, Script **out) {
  static char msg[512];
  Cx *cx = new_cx();
  if (setjmp(cx->fail)) {
    snprintf(msg, sizeof msg, "%s", buf_cstr(&cx->diag));
    free_cx(cx);
    return msg;
  }
  Script *s = parse_script(cx, src, strlen(src));
  if (out) *out = s;   /* only inspected before free in callers that pass out = NULL */
  free_cx(cx);
  return NULL;
}

static void test_statements(void) {
  Cx *cx = new_cx();
  const char *src =
    "CREATE TABLE cars (ts TIMESTAMP NOT NULL, id BIGINT UNSIGNED, d DECIMAL(10, 2),\n"
    "  v DOUBLE PRECISION, g BIGINT GENERATED ALWAYS AS (id * 2) STORED,\n"
    "  WATERMARK FOR ts AS ts - INTERVAL '1 minute', PRIMARY KEY (id)\n"
    ") WITH (connector = 'single_file', 'json.unstructured' = 'false', json.timestamp_format = 'rfc3339');\n"
    "CREATE VIEW v AS (SELECT id FROM cars WHERE id > 3);\n"
    "INSERT INTO out SELECT * FROM (SELECT id FROM v) AS q UNION ALL SELECT id FROM cars UNION ALL SELECT 1 FROM cars;\n"
    "SELECT a.b, x AS y, z w FROM t;";
  if (setjmp(cx->fail)) { CHECK_MSG(0, "parse failed: %s", buf_cstr(&cx->diag)); free_cx(cx); return; }
  Script *s = parse_script(cx, src, strlen(src));
  CHECK_I64(s->nstmts, 4);
  Stmt *ct = &s->stmts[0];
  CHECK(ct->kind == S_CREATE_TABLE && !strcmp(ct->name, "cars"));
  CHECK_I64(ct->ncols, 5);
  CHECK(ct->cols[0].not_null && ct->cols[0].type.t.kind == RT_TIMESTAMP);
  CHECK(ct->cols[1].type.t.kind == RT_U64);
  CHECK(ct->cols[2].type.t.kind == RT_DECIMAL && ct->cols[2].type.t.prec == 10 && ct->cols[2].type.t.scale == 2);
  CHECK(ct->cols[3].type.t.kind == RT_F64);
  CHECK(ct->cols[4].generated && ct->cols[4].generated->kind == E_BINARY);
  CHECK(ct->wm_col && !strcmp(ct->wm_col, "ts") && ct->wm_expr);
  CHECK_I64(ct->npk, 1);
  CHECK_I64(ct->nopts, 3);
  CHECK_STR(ct->opts[1].key, "json.unstructured");
  CHECK_STR(ct->opts[2].key, "json.timestamp_format");
  CHECK(s->stmts[1].kind == S_CREATE_VIEW);
  Stmt *ins = &s->stmts[2];
  CHECK(ins->kind == S_INSERT && ins->query->union_next && ins->query->union_next->union_next);
  CHECK(ins->query->from[0].sub && !strcmp(ins->query->from[0].alias, "q"));
  Select *sel = s->stmts[3].query;
  CHECK_I64(sel->nitems, 3);
  CHECK(!strcmp(sel->items[0].e->qual, "a") && !strcmp(sel->items[0].e->name, "b"));
  CHECK_STR(sel->items[1].alias, "y");
  CHECK_STR(sel->items[2].alias, "w");
  free_cx(cx);
}

static void test_precedence(void) {
  Cx *cx = new_cx();
  const char *src = "SELECT 1 + 2 * 3 = 7 AND NOT a OR b || 'x' LIKE 'y%' FROM t";
  if (setjmp(cx->fail)) { CHECK_MSG(0, "parse failed: %s", buf_cstr(&cx->diag)); free_cx(cx); return; }
  Script *s = parse_script(cx, src, strlen(src));
  Expr *e = s->stmts[0].query->items[0].e;
  CHECK(e->kind == E_BINARY && e->op == OP_OR);              /* OR binds loosest */
  CHECK(e->a->op == OP_AND);
  CHECK(e->a->a->op == OP_EQ && e->a->a->a->op == OP_ADD && e->a->a->a->b->op == OP_MUL);
  CHECK(e->a->b->kind == E_UNARY && e->a->b->op == OP_NOT);
  CHECK(e->b->kind == E_LIKE && e->b->a->op == OP_CONCAT);   /* || binds tighter than LIKE */
  free_cx(cx);
}

static void test_errors(void) {
  const char *m;
  m = parse_err("SELECT a FROM t WHERE", NULL);
  CHECK_MSG(m && strstr(m, "t.sql:1:22: error: syntax error: expected an expression, found end of input"), "%s", m);
  m = parse_err("SELECT a,, b FROM t", NULL);
  CHECK_MSG(m && strstr(m, "t.sql:1:10: error: syntax error: expected an expression near \",\""), "%s", m);
  m = parse_err("CREATE TABLE x (a FOO)", NULL);
  CHECK_MSG(m && strstr(m, "1:19: error: unknown type \"foo\""), "%s", m);
  m = parse_err("SELECT 'abc", NULL);
  CHECK_MSG(m && strstr(m, "1:8: error: unterminated string literal"), "%s", m);
  m = parse_err("SELECT a /* never closed", NULL);
  CHECK_MSG(m && strstr(m, "1:10: error: unterminated comment"), "%s", m);
  m = parse_err("SELECT 12abc FROM t", NULL);
  CHECK_MSG(m && strstr(m, "malformed number"), "%s", m);
  m = parse_err("\n\n  DROP TABLE x", NULL);
  CHECK_MSG(m && strstr(m, "3:3: error: syntax error: expected CREATE, INSERT, SELECT or SET"), "%s", m);
  m = parse_err("SELECT a FROM t UNION SELECT b FROM t", NULL);
  CHECK_MSG(m && strstr(m, "UNION without ALL"), "%s", m);
  m = parse_err("", NULL);
  CHECK_MSG(m && strstr(m, "no statements"), "%s", m);
  /* deep nesting is refused, not a stack overflow */
  char deep[5000];
  strcpy(deep, "SELECT ");
  for (int i = 0; i < 1000; i++) strcat(deep, "(");
  m = parse_err(deep, NULL);
  CHECK_MSG(m && strstr(m, "nested too deeply"), "%s", m);
  /* random bytes never crash */
  unsigned seed = 12345;
  for (int k = 0; k < 2000; k++) {
    char buf[64];
    int n = 1 + (int)((seed = seed * 1103515245 + 12345) % 63);
    static const char alphabet[] = "SELECT FROM a,b()'\"*+-/<>=|;:.0123 \n\x80\x01";
    for (int i = 0; i < n; i++)
      buf[i] = alphabet[(seed = seed * 1103515245 + 12345) % (sizeof alphabet - 1)];
    buf[n] = 0;
    parse_err(buf, NULL);
  }
  CHECK(1);
}

UNIT_MAIN({
  test_tokens();
  test_statements();
  test_precedence();
  test_errors();
})
