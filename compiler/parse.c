/*
** compiler/parse.c: recursive-descent parser from tokens to the AST (Script, Stmt, Select,
** Expr). It checks syntax only: names and types are resolved by bind.c. Each rule function
** opens with its grammar production. Errors are "syntax error near \"tok\"" style diagnostics
** at the offending token; the parser never recurses without consuming input except through
** parenthesised nesting, which is depth-limited.
*/
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include "compiler.h"

#define MAX_DEPTH 200

typedef struct Parser {
  Cx *cx;
  Tok *toks; int ntoks; int pos;  /* whole token stream, ends with TK_EOF */
  int depth;                      /* expression nesting */
} Parser;

static Expr *parse_expr(Parser *ps);
static Select *parse_query(Parser *ps);

/* ---- token helpers ------------------------------------------------------------------ */
static Tok *peek(Parser *ps) { return &ps->toks[ps->pos]; }
static Tok *peek_at(Parser *ps, int k) {
  int i = ps->pos + k;
  return &ps->toks[i < ps->ntoks ? i : ps->ntoks - 1];
}
static Tok *advance(Parser *ps) {
  Tok *t = &ps->toks[ps->pos];
  if (t->kind != TK_EOF) ps->pos++;
  return t;
}
static int is_kw(Tok *t, const char *kw) { return t->kind == TK_IDENT && strcmp(t->text, kw) == 0; }
static int accept_kw(Parser *ps, const char *kw) {
  if (is_kw(peek(ps), kw)) { advance(ps); return 1; }
  return 0;
}
static int accept(Parser *ps, TokKind k) {
  if (peek(ps)->kind == k) { advance(ps); return 1; }
  return 0;
}

static void __attribute__((noreturn)) syntax_error(Parser *ps, Tok *t, const char *expected) {
  if (t->kind == TK_EOF)
    diag_error(ps->cx, t->line, t->col, "syntax error: expected %s, found end of input", expected);
  diag_error(ps->cx, t->line, t->col, "syntax error: expected %s near \"%.*s\"", expected,
             t->len > 40 ? 40 : t->len, t->p);
}

static void expect(Parser *ps, TokKind k, const char *what) {
  if (!accept(ps, k)) syntax_error(ps, peek(ps), what);
}
static void expect_kw(Parser *ps, const char *kw) {
  if (!accept_kw(ps, kw)) {
    char buf[64];
    snprintf(buf, sizeof buf, "%s", kw);
    for (char *p = buf; *p; p++) if (*p >= 'a' && *p <= 'z') *p -= 32;
    syntax_error(ps, peek(ps), buf);
  }
}

/* Words that end an expression list or cannot be an implicit alias. */
static const char *const reserved[] = {
  "select", "from", "where", "group", "having", "union", "as", "on", "join", "inner", "left",
  "right", "full", "outer", "cross", "order", "limit", "and", "or", "not", "is", "in",
  "between", "like", "ilike", "case", "when", "then", "else", "end", "with", "insert", "into",
  "create", "table", "view", "by", "distinct", "all", "null", "true", "false", "filter",
  "over", "escape", "window", "natural", "using", "values", "set", "similar", NULL };
static int is_reserved(Tok *t) {
  if (t->kind != TK_IDENT) return 0;
  for (int i = 0; reserved[i]; i++) if (strcmp(t->text, reserved[i]) == 0) return 1;
  return 0;
}

/* name -> IDENT | QIDENT (reserved words allowed only when quoted) */
static const char *parse_name(Parser *ps, const char *what) {
  Tok *t = peek(ps);
  if (t->kind == TK_QIDENT || (t->kind == TK_IDENT && !is_reserved(t))) {
    advance(ps);
    return t->text;
  }
  syntax_error(ps, t, what);
}

/* Column names may be words such as "timestamp", "count", "end", "start". */
static const char *parse_column_name(Parser *ps) {
  Tok *t = peek(ps);
  if (t->kind == TK_QIDENT || t->kind == TK_IDENT) { advance(ps); return t->text; }
  syntax_error(ps, t, "a column name");
}

static Expr *new_expr(Parser *ps, ExprKind k, Tok *at) {
  Expr *e = cx_alloc(ps->cx, sizeof *e);
  e->kind = k;
  e->line = at->line;
  e->col = at->col;
  return e;
}

/* ---- types -------------------------------------------------------------------------- */
/* type -> BOOLEAN | INT [UNSIGNED] | BIGINT [UNSIGNED] | SMALLINT | FLOAT | REAL | DOUBLE
**         [PRECISION] | DECIMAL ['(' p [, s] ')'] | TEXT | VARCHAR ['(' n ')'] | TIMESTAMP
**         ['(' p ')'] [WITHOUT TIME ZONE] | BYTEA | JSON */
static TypeName parse_type(Parser *ps) {
  Tok *t = peek(ps);
  TypeName tn;
  memset(&tn, 0, sizeof tn);
  tn.line = t->line;
  tn.col = t->col;
  if (t->kind != TK_IDENT) syntax_error(ps, t, "a type name");
  advance(ps);
  const char *w = t->text;
  int k = 0;
  if (!strcmp(w, "boolean") || !strcmp(w, "bool")) k = RT_BOOL;
  else if (!strcmp(w, "int") || !strcmp(w, "integer") || !strcmp(w, "int4") ||
           !strcmp(w, "smallint") || !strcmp(w, "int2") || !strcmp(w, "tinyint")) k = RT_I32;
  else if (!strcmp(w, "bigint") || !strcmp(w, "int8")) k = RT_I64;
  else if (!strcmp(w, "float") || !strcmp(w, "real") || !strcmp(w, "float4")) k = RT_F32;
  else if (!strcmp(w, "double") || !strcmp(w, "float8")) { k = RT_F64; accept_kw(ps, "precision"); }
  else if (!strcmp(w, "decimal") || !strcmp(w, "numeric")) k = RT_DECIMAL;
  else if (!strcmp(w, "text") || !strcmp(w, "varchar") || !strcmp(w, "string") ||
           !strcmp(w, "char") || !strcmp(w, "character")) {
    k = RT_TEXT;
    accept_kw(ps, "varying");
  } else if (!strcmp(w, "timestamp") || !strcmp(w, "datetime")) k = RT_TIMESTAMP;
  else if (!strcmp(w, "bytea") || !strcmp(w, "bytes") || !strcmp(w, "binary")) k = RT_BYTEA;
  else if (!strcmp(w, "json") || !strcmp(w, "jsonb")) k = RT_JSON;
  else if (!strcmp(w, "struct")) {
    /* STRUCT<name TYPE [NOT NULL], ...> */
    expect(ps, TK_LT, "'<'");
    StructField fields[64];
    int n = 0;
    do {
      if (n == 64) syntax_error(ps, peek(ps), "at most 64 struct fields");
      Tok *ft = peek(ps);
      fields[n].name = parse_column_name(ps);
      for (int i = 0; i < n; i++)
        if (!strcmp(fields[i].name, fields[n].name))
          diag_error(ps->cx, ft->line, ft->col, "struct field '%s' is declared twice", fields[n].name);
      fields[n].t = parse_type(ps).t;
      fields[n].nullable = 1;
      if (is_kw(peek(ps), "not") && is_kw(peek_at(ps, 1), "null")) { advance(ps); advance(ps); fields[n].nullable = 0; }
      n++;
    } while (accept(ps, TK_COMMA));
    expect(ps, TK_GT, "'>'");
    tn.t = struct_type(ps->cx, fields, n);
    return tn;
  }
  else diag_error(ps->cx, t->line, t->col, "unknown type \"%s\"", t->text);
  tn.t = type_make(k);
  if (k == RT_DECIMAL) {
    int prec = 38, scale = 0;
    if (accept(ps, TK_LP)) {
      Tok *p = peek(ps);
      expect(ps, TK_INT, "a precision");
      prec = atoi(p->text);
      if (accept(ps, TK_COMMA)) {
        Tok *s = peek(ps);
        expect(ps, TK_INT, "a scale");
        scale = atoi(s->text);
      }
      expect(ps, TK_RP, "')'");
    }
    if (prec > 18 || prec < 1 || scale > prec)
      diag_error(ps->cx, t->line, t->col,
                 "DECIMAL(%d,%d) is not supported: precision must be 1..18 and scale <= precision",
                 prec, scale);
    tn.t.prec = (uint8_t)prec;
    tn.t.scale = (uint8_t)scale;
  } else if ((k == RT_TEXT || k == RT_TIMESTAMP) && accept(ps, TK_LP)) {
    expect(ps, TK_INT, "a length");
    expect(ps, TK_RP, "')'");
  }
  if (k == RT_I32 || k == RT_I64) {
    if (accept_kw(ps, "unsigned")) tn.t.kind = (uint8_t)(k == RT_I32 ? RT_U32 : RT_U64);
  }
  if (k == RT_TIMESTAMP && is_kw(peek(ps), "without")) {
    advance(ps); expect_kw(ps, "time"); expect_kw(ps, "zone");
  }
  if (accept(ps, TK_LBRACKET) || is_kw(peek(ps), "array"))
    diag_error(ps->cx, t->line, t->col, "array types are not supported yet");
  return tn;
}

SqlType parse_type_text(Cx *cx, const char *text, int line, int col) {
  Parser ps;
  memset(&ps, 0, sizeof ps);
  ps.cx = cx;
  Lexer lx;
  lex_init(&lx, cx, text, strlen(text));
  Tok toks[16];
  int n = 0;
  for (;;) {
    Tok t = lex_next(&lx);
    t.line = line;
    t.col = col;
    if (n < 15) toks[n++] = t;
    if (t.kind == TK_EOF) break;
  }
  toks[n - 1].kind = TK_EOF;
  ps.toks = toks;
  ps.ntoks = n;
  TypeName tn = parse_type(&ps);
  if (peek(&ps)->kind != TK_EOF) syntax_error(&ps, peek(&ps), "end of type");
  return tn.t;
}

/* ---- literals ----------------------------------------------------------------------- */
/* Parse '1 hour 30 minutes', '2' DAY, '1.5 seconds' into an interval. */
static int unit_interval(const char *u, size_t n, double v, RtInterval *iv) {
  char w[16];
  if (n == 0 || n >= sizeof w) return -1;
  for (size_t i = 0; i < n; i++) w[i] = (char)(u[i] >= 'A' && u[i] <= 'Z' ? u[i] + 32 : u[i]);
  w[n] = 0;
  if (n > 1 && w[n - 1] == 's' && strcmp(w, "ms") != 0 && strcmp(w, "us") != 0 &&
      strcmp(w, "ns") != 0) w[n - 1] = 0;
  /* the amount in the unit the interval keeps it in (months, days or nanoseconds) */
  const double S = 1e9;
  double months = 0, days = 0, nanos = 0;
  if (!strcmp(w, "year") || !strcmp(w, "y")) months = v * 12;
  else if (!strcmp(w, "month") || !strcmp(w, "mon")) months = v;
  else if (!strcmp(w, "week") || !strcmp(w, "w")) days = v * 7;
  else if (!strcmp(w, "day") || !strcmp(w, "d")) days = v;
  else if (!strcmp(w, "hour") || !strcmp(w, "h") || !strcmp(w, "hr")) nanos = v * 3600 * S;
  else if (!strcmp(w, "minute") || !strcmp(w, "m") || !strcmp(w, "min")) nanos = v * 60 * S;
  else if (!strcmp(w, "second") || !strcmp(w, "s") || !strcmp(w, "sec")) nanos = v * S;
  else if (!strcmp(w, "millisecond") || !strcmp(w, "ms")) nanos = v * 1000000;
  else if (!strcmp(w, "microsecond") || !strcmp(w, "us")) nanos = v * 1000;
  else if (!strcmp(w, "nanosecond") || !strcmp(w, "ns")) nanos = v;
  else return -1;
  /* out of range (or NaN) is malformed too: never a silent wrap */
  if (!(months > -2147483648.0 && months < 2147483647.0) || !(days > -2147483648.0 && days < 2147483647.0) ||
      !(nanos > -9.2e18 && nanos < 9.2e18))
    return -1;
  if (__builtin_add_overflow(iv->months, (int32_t)months, &iv->months) ||
      __builtin_add_overflow(iv->days, (int32_t)days, &iv->days) ||
      __builtin_add_overflow(iv->nanos, (int64_t)nanos, &iv->nanos))
    return -1;
  return 0;
}

/* Parse interval text such as '1 hour 30 minutes'; 0 ok, -1 malformed. */
int interval_from_text(const char *s, RtInterval *iv) {
  memset(iv, 0, sizeof *iv);
  const char *p = s;
  int any = 0;
  while (*p) {
    while (*p == ' ') p++;
    if (!*p) break;
    char *endp;
    double v = strtod(p, &endp);
    if (endp == p) return -1;
    p = endp;
    while (*p == ' ') p++;
    const char *u = p;
    while (*p && *p != ' ' && !(*p >= '0' && *p <= '9') && *p != '-' && *p != '.') p++;
    if (p == u || unit_interval(u, (size_t)(p - u), v, iv) < 0) return -1;
    any = 1;
  }
  return any ? 0 : -1;
}

static void parse_interval_text(Parser *ps, Tok *at, const char *s, const char *unit, RtInterval *iv) {
  memset(iv, 0, sizeof *iv);
  const char *p = s;
  int any = 0;
  while (*p) {
    while (*p == ' ') p++;
    if (!*p) break;
    char *endp;
    errno = 0;
    double v = strtod(p, &endp);
    if (endp == p) goto bad;
    p = endp;
    while (*p == ' ') p++;
    const char *u = p;
    while (*p && *p != ' ' && !(*p >= '0' && *p <= '9') && *p != '-' && *p != '.') p++;
    if (p == u) {
      if (!unit || unit_interval(unit, strlen(unit), v, iv) < 0) goto bad;
      unit = NULL;
    } else if (unit_interval(u, (size_t)(p - u), v, iv) < 0) goto bad;
    any = 1;
  }
  if (!any) goto bad;
  return;
bad:
  diag_error(ps->cx, at->line, at->col, "invalid interval literal '%s'", s);
}

static const char *const interval_units[] = {
  "year", "years", "month", "months", "week", "weeks", "day", "days", "hour", "hours",
  "minute", "minutes", "second", "seconds", "millisecond", "milliseconds", "microsecond",
  "microseconds", "nanosecond", "nanoseconds", NULL };

/* interval -> INTERVAL string [unit] */
static Expr *parse_interval(Parser *ps, Tok *kw) {
  Tok *s = peek(ps);
  expect(ps, TK_STRING, "an interval string such as '1 hour'");
  const char *unit = NULL;
  Tok *u = peek(ps);
  if (u->kind == TK_IDENT)
    for (int i = 0; interval_units[i]; i++)
      if (!strcmp(u->text, interval_units[i])) { unit = u->text; advance(ps); break; }
  Expr *e = new_expr(ps, E_INTERVAL, kw);
  parse_interval_text(ps, s, s->text, unit, &e->iv);
  e->sval = s->text;
  return e;
}

/* ---- expressions -------------------------------------------------------------------- */
static Expr **parse_expr_list(Parser *ps, int *n, TokKind close) {
  Expr **v = NULL;
  int cap = 0;
  *n = 0;
  if (peek(ps)->kind == close) return NULL;
  do {
    if (*n == cap) {
      cap = cap ? cap * 2 : 4;
      Expr **nv = cx_alloc(ps->cx, sizeof(Expr *) * (size_t)cap);
      if (*n) memcpy(nv, v, sizeof(Expr *) * (size_t)*n);
      v = nv;
    }
    v[(*n)++] = parse_expr(ps);
  } while (accept(ps, TK_COMMA));
  return v;
}

static Expr *make_call(Parser *ps, Tok *at, const char *name, Expr **args, int n) {
  Expr *e = new_expr(ps, E_CALL, at);
  e->name = name;
  e->list = args;
  e->nlist = n;
  return e;
}

/* case -> CASE [operand] (WHEN expr THEN expr)+ [ELSE expr] END */
static Expr *parse_case(Parser *ps, Tok *kw) {
  Expr *e = new_expr(ps, E_CASE, kw);
  if (!is_kw(peek(ps), "when")) e->a = parse_expr(ps);
  int cap = 8, n = 0;
  e->list = cx_alloc(ps->cx, sizeof(Expr *) * (size_t)cap);
  while (accept_kw(ps, "when")) {
    if (n + 2 > cap) {
      Expr **nv = cx_alloc(ps->cx, sizeof(Expr *) * (size_t)cap * 2);
      memcpy(nv, e->list, sizeof(Expr *) * (size_t)n);
      e->list = nv;
      cap *= 2;
    }
    e->list[n++] = parse_expr(ps);
    expect_kw(ps, "then");
    e->list[n++] = parse_expr(ps);
  }
  if (n == 0) syntax_error(ps, peek(ps), "WHEN");
  e->nlist = n;
  if (accept_kw(ps, "else")) e->else_ = parse_expr(ps);
  expect_kw(ps, "end");
  return e;
}

/* frame_bound -> UNBOUNDED PRECEDING | INTEGER PRECEDING | CURRENT ROW: rows before the
** current one (-1: all of them), or -2 for a bound after the current row (refused by the
** caller with the bound's position). */
static int64_t parse_frame_bound(Parser *ps) {
  Tok *t = peek(ps);
  if (accept_kw(ps, "current")) { expect_kw(ps, "row"); return 0; }
  int64_t n;
  if (accept_kw(ps, "unbounded")) n = -1;
  else if (t->kind == TK_INT) {
    advance(ps);
    errno = 0;
    unsigned long long v = strtoull(t->text, NULL, 10);
    if (errno == ERANGE || v > 1000000000ULL)
      diag_error(ps->cx, t->line, t->col, "window frame of %s rows is too large", t->text);
    n = (int64_t)v;
  }
  else syntax_error(ps, t, "UNBOUNDED, a row count or CURRENT ROW");
  if (accept_kw(ps, "following")) return -2;
  expect_kw(ps, "preceding");
  return n;
}

/* rows_frame -> ROWS frame_bound | ROWS BETWEEN frame_bound AND frame_bound. Only frames that
** end at the current row are supported: e->frame_preceding gets the start bound. */
static void parse_rows_frame(Parser *ps, Expr *e) {
  Tok *rows = peek(ps);
  advance(ps);
  e->frame_rows = 1;
  e->frame_line = rows->line;
  e->frame_col = rows->col;
  int between = accept_kw(ps, "between");
  Tok *st = peek(ps);
  int64_t start = parse_frame_bound(ps);
  if (start == -2)
    diag_error(ps->cx, st->line, st->col, "a window frame that starts after the current row is not supported");
  if (between) {
    expect_kw(ps, "and");
    Tok *en = peek(ps);
    int64_t end = parse_frame_bound(ps);
    if (end != 0)
      diag_error(ps->cx, en->line, en->col,
                 "only window frames that end at the CURRENT ROW are supported");
  }
  e->frame_preceding = start;
}

/* primary -> literal | name ['.' name] | name '(' args ')' [FILTER ...] [OVER ...]
**          | '(' expr ')' | CASE | CAST '(' expr AS type ')' | EXTRACT '(' field FROM expr ')'
**          | INTERVAL string [unit] | TIMESTAMP string | SUBSTRING(x FROM a [FOR b])
**          | TRIM([BOTH|LEADING|TRAILING] [chars] FROM x) | POSITION(a IN b) */
static Expr *parse_primary(Parser *ps) {
  Tok *t = peek(ps);
  switch (t->kind) {
    case TK_INT: {
      advance(ps);
      Expr *e = new_expr(ps, E_INT, t);
      errno = 0;
      unsigned long long v = strtoull(t->text, NULL, 10);
      if (errno == ERANGE)
        diag_error(ps->cx, t->line, t->col, "integer literal %s is out of range", t->text);
      if (v > (unsigned long long)INT64_MAX) e->is_u64 = 1;
      e->ival = (int64_t)v;
      return e;
    }
    case TK_FLOAT: {
      advance(ps);
      Expr *e = new_expr(ps, E_FLOAT, t);
      e->fval = strtod(t->text, NULL);
      e->sval = t->text;
      return e;
    }
    case TK_STRING: {
      advance(ps);
      Expr *e = new_expr(ps, E_STRING, t);
      e->sval = t->text;
      e->slen = t->textlen;
      return e;
    }
    case TK_LP: {
      advance(ps);
      if (is_kw(peek(ps), "select"))
        diag_error(ps->cx, t->line, t->col, "scalar subqueries are not supported");
      Expr *e = parse_expr(ps);
      expect(ps, TK_RP, "')'");
      return e;
    }
    case TK_STAR: {
      advance(ps);
      return new_expr(ps, E_STAR, t);
    }
    case TK_QIDENT:
    case TK_IDENT: break;
    default: syntax_error(ps, t, "an expression");
  }
  if (t->kind == TK_IDENT) {
    const char *w = t->text;
    if (!strcmp(w, "null")) { advance(ps); return new_expr(ps, E_NULL, t); }
    if (!strcmp(w, "true") || !strcmp(w, "false")) {
      advance(ps);
      Expr *e = new_expr(ps, E_BOOL, t);
      e->ival = w[0] == 't';
      return e;
    }
    if (!strcmp(w, "case")) { advance(ps); return parse_case(ps, t); }
    if ((!strcmp(w, "cast") || !strcmp(w, "try_cast")) && peek_at(ps, 1)->kind == TK_LP) {
      advance(ps); advance(ps);
      Expr *e = new_expr(ps, E_CAST, t);
      e->try_cast = w[0] == 't';
      e->a = parse_expr(ps);
      expect_kw(ps, "as");
      e->cast = parse_type(ps);
      expect(ps, TK_RP, "')'");
      return e;
    }
    if (!strcmp(w, "interval") && peek_at(ps, 1)->kind == TK_STRING) {
      advance(ps);
      return parse_interval(ps, t);
    }
    if ((!strcmp(w, "timestamp") || !strcmp(w, "date")) && peek_at(ps, 1)->kind == TK_STRING) {
      advance(ps);
      Tok *s = advance(ps);
      Expr *e = new_expr(ps, E_TYPED_LIT, t);
      e->cast.t = type_make(RT_TIMESTAMP);
      e->sval = s->text;
      e->slen = s->textlen;
      return e;
    }
    if (!strcmp(w, "extract") && peek_at(ps, 1)->kind == TK_LP) {
      advance(ps); advance(ps);
      Tok *f = peek(ps);
      if (f->kind != TK_IDENT && f->kind != TK_STRING) syntax_error(ps, f, "a date part");
      advance(ps);
      expect_kw(ps, "from");
      Expr *e = new_expr(ps, E_EXTRACT, t);
      e->name = f->text;
      e->a = parse_expr(ps);
      expect(ps, TK_RP, "')'");
      return e;
    }
    if ((!strcmp(w, "substring") || !strcmp(w, "substr")) && peek_at(ps, 1)->kind == TK_LP) {
      advance(ps); advance(ps);
      Expr *s = parse_expr(ps);
      if (accept_kw(ps, "from")) {
        Expr *args[3] = { s, parse_expr(ps), NULL };
        int n = 2;
        if (accept_kw(ps, "for")) args[n++] = parse_expr(ps);
        expect(ps, TK_RP, "')'");
        Expr **v = cx_alloc(ps->cx, sizeof(Expr *) * 3);
        memcpy(v, args, sizeof args);
        return make_call(ps, t, "substr", v, n);
      }
      int n = 1;
      Expr **v = cx_alloc(ps->cx, sizeof(Expr *) * 3);
      v[0] = s;
      while (accept(ps, TK_COMMA)) {
        if (n == 3) syntax_error(ps, peek(ps), "')'");
        v[n++] = parse_expr(ps);
      }
      expect(ps, TK_RP, "')'");
      return make_call(ps, t, "substr", v, n);
    }
    if (!strcmp(w, "trim") && peek_at(ps, 1)->kind == TK_LP) {
      advance(ps); advance(ps);
      const char *fn = "btrim";
      if (accept_kw(ps, "both")) fn = "btrim";
      else if (accept_kw(ps, "leading")) fn = "ltrim";
      else if (accept_kw(ps, "trailing")) fn = "rtrim";
      Expr **v = cx_alloc(ps->cx, sizeof(Expr *) * 2);
      int n;
      if (accept_kw(ps, "from")) { v[0] = parse_expr(ps); n = 1; }
      else {
        Expr *first = parse_expr(ps);
        if (accept_kw(ps, "from")) { v[0] = parse_expr(ps); v[1] = first; n = 2; }
        else if (accept(ps, TK_COMMA)) { v[0] = first; v[1] = parse_expr(ps); n = 2; }
        else { v[0] = first; n = 1; }
      }
      expect(ps, TK_RP, "')'");
      return make_call(ps, t, fn, v, n);
    }
    if (!strcmp(w, "position") && peek_at(ps, 1)->kind == TK_LP) {
      advance(ps); advance(ps);
      Expr **v = cx_alloc(ps->cx, sizeof(Expr *) * 2);
      ps->depth += 1000;              /* inside POSITION( a IN b ), IN is not a predicate */
      v[1] = parse_expr(ps);
      ps->depth -= 1000;
      expect_kw(ps, "in");
      v[0] = parse_expr(ps);
      expect(ps, TK_RP, "')'");
      return make_call(ps, t, "strpos", v, 2);
    }
  }
  /* name, qualified name, or function call */
  advance(ps);
  if (t->kind == TK_IDENT && is_reserved(t) && strcmp(t->text, "window") != 0 &&
      strcmp(t->text, "left") != 0 && strcmp(t->text, "right") != 0)
    syntax_error(ps, t, "an expression");
  if (peek(ps)->kind == TK_LP) {
    advance(ps);
    Expr *e = new_expr(ps, E_CALL, t);
    e->name = t->text;
    if (accept_kw(ps, "distinct")) e->distinct = 1;
    else accept_kw(ps, "all");
    e->list = parse_expr_list(ps, &e->nlist, TK_RP);
    expect(ps, TK_RP, "')'");
    if (accept_kw(ps, "filter")) {
      expect(ps, TK_LP, "'('");
      expect_kw(ps, "where");
      e->filter = parse_expr(ps);
      expect(ps, TK_RP, "')'");
    }
    /* agg(...) WITHIN GROUP (ORDER BY expr) */
    if (is_kw(peek(ps), "within") && is_kw(peek_at(ps, 1), "group")) {
      advance(ps); advance(ps);
      expect(ps, TK_LP, "'('");
      expect_kw(ps, "order");
      expect_kw(ps, "by");
      e->within = parse_expr(ps);
      if (!accept_kw(ps, "asc") && is_kw(peek(ps), "desc"))
        diag_error(ps->cx, peek(ps)->line, peek(ps)->col, "WITHIN GROUP (ORDER BY ... DESC) is not supported");
      expect(ps, TK_RP, "')'");
    }
    /* fn(...) OVER ([PARTITION BY expr, ...] [ORDER BY expr [ASC|DESC], ...]) */
    if (accept_kw(ps, "over")) {
      e->has_over = 1;
      expect(ps, TK_LP, "'('");
      if (is_kw(peek(ps), "partition")) {
        advance(ps);
        expect_kw(ps, "by");
        e->partition = parse_expr_list(ps, &e->npartition, TK_RP);
      }
      if (is_kw(peek(ps), "order")) {
        advance(ps);
        expect_kw(ps, "by");
        int cap = 8;
        e->order = cx_alloc(ps->cx, sizeof(Expr *) * (size_t)cap);
        e->order_desc = cx_alloc(ps->cx, (size_t)cap);
        e->order_nulls = cx_alloc(ps->cx, (size_t)cap);
        do {
          if (e->norder == cap) syntax_error(ps, peek(ps), "at most 8 ORDER BY items");
          e->order[e->norder] = parse_expr(ps);
          if (accept_kw(ps, "desc")) e->order_desc[e->norder] = 1;
          else accept_kw(ps, "asc");
          if (accept_kw(ps, "nulls")) {
            if (accept_kw(ps, "first")) e->order_nulls[e->norder] = 1;
            else { expect_kw(ps, "last"); e->order_nulls[e->norder] = 2; }
          }
          e->norder++;
        } while (accept(ps, TK_COMMA));
      }
      if (is_kw(peek(ps), "range") || is_kw(peek(ps), "groups"))
        diag_error(ps->cx, peek(ps)->line, peek(ps)->col,
                   "%s window frames are not supported (only ROWS frames)", peek(ps)->text);
      if (is_kw(peek(ps), "rows")) parse_rows_frame(ps, e);
      expect(ps, TK_RP, "')'");
    }
    return e;
  }
  Expr *e = new_expr(ps, E_COLUMN, t);
  e->name = t->text;
  if (peek(ps)->kind == TK_DOT) {
    advance(ps);
    if (accept(ps, TK_STAR)) {
      e->kind = E_STAR;
      e->qual = t->text;
      e->name = NULL;
      return e;
    }
    e->qual = t->text;
    e->name = parse_column_name(ps);
    if (peek(ps)->kind == TK_DOT) {      /* t.col.field: a field of a struct column */
      advance(ps);
      e->field = parse_column_name(ps);
      if (peek(ps)->kind == TK_DOT)
        diag_error(ps->cx, peek(ps)->line, peek(ps)->col, "field access deeper than table.column.field is not supported");
    }
  }
  return e;
}

/* postfix -> primary ('::' type | '[' expr ']')* */
static Expr *parse_postfix(Parser *ps) {
  Expr *e = parse_primary(ps);
  for (;;) {
    Tok *t = peek(ps);
    if (t->kind == TK_CAST2) {
      advance(ps);
      Expr *c = new_expr(ps, E_CAST, t);
      c->a = e;
      c->cast = parse_type(ps);
      e = c;
    } else if (t->kind == TK_LBRACKET) {
      diag_error(ps->cx, t->line, t->col, "array subscripts are not supported yet");
    } else {
      return e;
    }
  }
}

/* unary -> ('-' | '+') unary | postfix */
static Expr *parse_unary(Parser *ps) {
  Tok *t = peek(ps);
  if (t->kind == TK_MINUS || t->kind == TK_PLUS) {
    if (++ps->depth > MAX_DEPTH) diag_error(ps->cx, t->line, t->col, "expression nested too deeply");
    advance(ps);
    Expr *a = parse_unary(ps);
    ps->depth--;
    if (t->kind == TK_PLUS) return a;
    if (a->kind == E_INT && !a->is_u64) {   /* -(INT64_MIN) is 2^63: an unsigned literal */
      if (a->ival == INT64_MIN) a->is_u64 = 1; else a->ival = -a->ival;
      a->line = t->line; a->col = t->col; return a;
    }
    if (a->kind == E_INT && a->is_u64 && (uint64_t)a->ival == (uint64_t)INT64_MAX + 1) {
      a->is_u64 = 0; a->ival = INT64_MIN; a->line = t->line; a->col = t->col; return a;
    }
    if (a->kind == E_FLOAT) { a->fval = -a->fval; a->line = t->line; a->col = t->col; return a; }
    Expr *e = new_expr(ps, E_UNARY, t);
    e->op = OP_NEG;
    e->a = a;
    return e;
  }
  return parse_postfix(ps);
}

static Expr *binary(Parser *ps, Tok *at, OpKind op, Expr *a, Expr *b) {
  Expr *e = new_expr(ps, E_BINARY, at);
  e->op = op;
  e->a = a;
  e->b = b;
  return e;
}

/* mul -> unary (('*' | '/' | '%') unary)* */
static Expr *parse_mul(Parser *ps) {
  Expr *e = parse_unary(ps);
  for (;;) {
    Tok *t = peek(ps);
    OpKind op = t->kind == TK_STAR ? OP_MUL : t->kind == TK_SLASH ? OP_DIV
              : t->kind == TK_PERCENT ? OP_MOD : OP_NONE;
    if (op == OP_NONE) return e;
    advance(ps);
    e = binary(ps, t, op, e, parse_unary(ps));
  }
}

/* add -> mul (('+' | '-') mul)* */
static Expr *parse_add(Parser *ps) {
  Expr *e = parse_mul(ps);
  for (;;) {
    Tok *t = peek(ps);
    OpKind op = t->kind == TK_PLUS ? OP_ADD : t->kind == TK_MINUS ? OP_SUB : OP_NONE;
    if (op == OP_NONE) return e;
    advance(ps);
    e = binary(ps, t, op, e, parse_mul(ps));
  }
}

/* other -> add (('||' | '->' | '->>') add)*   (PostgreSQL's "any other operator" level) */
static Expr *parse_other(Parser *ps) {
  Expr *e = parse_add(ps);
  for (;;) {
    Tok *t = peek(ps);
    OpKind op = t->kind == TK_CONCAT ? OP_CONCAT : t->kind == TK_ARROW ? OP_ARROW
              : t->kind == TK_ARROW2 ? OP_ARROW2 : OP_NONE;
    if (op == OP_NONE) return e;
    advance(ps);
    e = binary(ps, t, op, e, parse_add(ps));
  }
}

/* predicate -> other [cmp other | IS [NOT] (NULL|TRUE|FALSE|DISTINCT FROM other)
**              | [NOT] IN '(' list ')' | [NOT] BETWEEN other AND other
**              | [NOT] (LIKE|ILIKE) other [ESCAPE string]] */
static Expr *parse_predicate(Parser *ps) {
  Expr *e = parse_other(ps);
  for (;;) {
    Tok *t = peek(ps);
    OpKind op = OP_NONE;
    switch (t->kind) {
      case TK_EQ: case TK_EQEQ: op = OP_EQ; break;
      case TK_NE: op = OP_NE; break;
      case TK_LT: op = OP_LT; break;
      case TK_LE: op = OP_LE; break;
      case TK_GT: op = OP_GT; break;
      case TK_GE: op = OP_GE; break;
      default: break;
    }
    if (op != OP_NONE) {
      advance(ps);
      e = binary(ps, t, op, e, parse_other(ps));
      continue;
    }
    if (is_kw(t, "is")) {
      advance(ps);
      int neg = accept_kw(ps, "not");
      Tok *w = peek(ps);
      if (accept_kw(ps, "null")) {
        Expr *n = new_expr(ps, E_ISNULL, t);
        n->a = e; n->negate = neg; e = n;
      } else if (is_kw(w, "true") || is_kw(w, "false")) {
        advance(ps);
        Expr *n = new_expr(ps, E_ISTRUE, t);
        n->a = e; n->negate = neg; n->ival = w->text[0] == 't'; e = n;
      } else if (accept_kw(ps, "distinct")) {
        expect_kw(ps, "from");
        Expr *n = new_expr(ps, E_DISTINCT, t);
        n->a = e; n->b = parse_other(ps); n->negate = neg; e = n;
      } else syntax_error(ps, w, "NULL, TRUE, FALSE or DISTINCT FROM");
      continue;
    }
    int neg = 0;
    Tok *kw = t;
    if (is_kw(t, "not") && (is_kw(peek_at(ps, 1), "in") || is_kw(peek_at(ps, 1), "between") ||
                            is_kw(peek_at(ps, 1), "like") || is_kw(peek_at(ps, 1), "ilike"))) {
      advance(ps);
      neg = 1;
      kw = peek(ps);
    }
    if (is_kw(kw, "in") && ps->depth < 1000) {
      advance(ps);
      expect(ps, TK_LP, "'('");
      if (is_kw(peek(ps), "select"))
        diag_error(ps->cx, peek(ps)->line, peek(ps)->col, "IN (subquery) is not supported");
      Expr *n = new_expr(ps, E_IN, kw);
      n->a = e;
      n->negate = neg;
      n->list = parse_expr_list(ps, &n->nlist, TK_RP);
      if (n->nlist == 0) syntax_error(ps, peek(ps), "a value");
      expect(ps, TK_RP, "')'");
      e = n;
      continue;
    }
    if (is_kw(kw, "between")) {
      advance(ps);
      Expr *n = new_expr(ps, E_BETWEEN, kw);
      n->a = e;
      n->negate = neg;
      accept_kw(ps, "symmetric");
      n->b = parse_other(ps);
      expect_kw(ps, "and");
      n->c = parse_other(ps);
      e = n;
      continue;
    }
    if (is_kw(kw, "like") || is_kw(kw, "ilike")) {
      advance(ps);
      Expr *n = new_expr(ps, E_LIKE, kw);
      n->a = e;
      n->negate = neg;
      n->ci = kw->text[0] == 'i';
      n->b = parse_other(ps);
      if (accept_kw(ps, "escape")) n->c = parse_other(ps);
      e = n;
      continue;
    }
    if (neg) syntax_error(ps, kw, "IN, BETWEEN or LIKE");
    return e;
  }
}

/* not -> NOT not | predicate */
static Expr *parse_not(Parser *ps) {
  Tok *t = peek(ps);
  if (is_kw(t, "not")) {
    if (++ps->depth > MAX_DEPTH) diag_error(ps->cx, t->line, t->col, "expression nested too deeply");
    advance(ps);
    Expr *e = new_expr(ps, E_UNARY, t);
    e->op = OP_NOT;
    e->a = parse_not(ps);
    ps->depth--;
    return e;
  }
  return parse_predicate(ps);
}

/* and -> not (AND not)* */
static Expr *parse_and(Parser *ps) {
  Expr *e = parse_not(ps);
  while (is_kw(peek(ps), "and")) {
    Tok *t = advance(ps);
    e = binary(ps, t, OP_AND, e, parse_not(ps));
  }
  return e;
}

/* expr -> and (OR and)* */
static Expr *parse_expr(Parser *ps) {
  Tok *t = peek(ps);
  if (++ps->depth > MAX_DEPTH && ps->depth < 1000)
    diag_error(ps->cx, t->line, t->col, "expression nested too deeply");
  Expr *e = parse_and(ps);
  while (is_kw(peek(ps), "or")) {
    Tok *o = advance(ps);
    e = binary(ps, o, OP_OR, e, parse_and(ps));
  }
  ps->depth--;
  return e;
}

/* ---- SELECT ------------------------------------------------------------------------- */
/* from_item -> name [FOR SYSTEM_TIME AS OF expr] [[AS] alias] | '(' query ')' [AS] alias */
static void parse_from_item(Parser *ps, FromItem *f) {
  Tok *t = peek(ps);
  f->line = t->line;
  f->col = t->col;
  if (accept(ps, TK_LP)) {
    if (++ps->depth > MAX_DEPTH) diag_error(ps->cx, t->line, t->col, "query nested too deeply");
    f->sub = parse_query(ps);
    ps->depth--;
    expect(ps, TK_RP, "')'");
  } else {
    f->table = parse_name(ps, "a table name");
    /* lookup table -> name FOR SYSTEM_TIME AS OF expr (before the alias, as in Flink) */
    Tok *ft = peek(ps);
    if (is_kw(ft, "for") && is_kw(peek_at(ps, 1), "system_time")) {
      advance(ps);
      advance(ps);
      expect_kw(ps, "as");
      expect_kw(ps, "of");
      f->as_of_line = ft->line;
      f->as_of_col = ft->col;
      f->as_of = parse_expr(ps);
    }
  }
  if (accept_kw(ps, "as")) f->alias = parse_name(ps, "an alias");
  else if (peek(ps)->kind == TK_QIDENT || (peek(ps)->kind == TK_IDENT && !is_reserved(peek(ps))))
    f->alias = parse_name(ps, "an alias");
}

/* join_op -> [INNER] JOIN | LEFT [OUTER] JOIN | RIGHT [OUTER] JOIN | FULL [OUTER] JOIN;
** returns J_NONE when the next tokens are not a join */
static JoinType parse_join_op(Parser *ps) {
  Tok *t = peek(ps);
  if (t->kind == TK_COMMA)
    diag_error(ps->cx, t->line, t->col, "comma joins (cross products) are not supported; use JOIN ... ON");
  if (is_kw(t, "cross") || is_kw(t, "natural"))
    diag_error(ps->cx, t->line, t->col, "%s joins are not supported; use JOIN ... ON", is_kw(t, "cross") ? "CROSS" : "NATURAL");
  JoinType j = J_NONE;
  if (accept_kw(ps, "join")) return J_INNER;
  if (accept_kw(ps, "inner")) j = J_INNER;
  else if (accept_kw(ps, "left")) j = J_LEFT;
  else if (accept_kw(ps, "right")) j = J_RIGHT;
  else if (accept_kw(ps, "full")) j = J_FULL;
  else return J_NONE;
  if (j != J_INNER) accept_kw(ps, "outer");
  expect_kw(ps, "join");
  return j;
}

/* select -> SELECT [DISTINCT|ALL] item (',' item)* [FROM from_item] [WHERE expr]
**           [GROUP BY expr (',' expr)*] [HAVING expr] */
static Select *parse_select_core(Parser *ps) {
  Tok *t = peek(ps);
  if (accept(ps, TK_LP)) {
    if (++ps->depth > MAX_DEPTH) diag_error(ps->cx, t->line, t->col, "query nested too deeply");
    Select *s = parse_query(ps);
    ps->depth--;
    expect(ps, TK_RP, "')'");
    return s;
  }
  expect_kw(ps, "select");
  Select *s = cx_alloc(ps->cx, sizeof *s);
  s->line = t->line;
  s->col = t->col;
  if (accept_kw(ps, "distinct")) s->distinct = 1;
  else accept_kw(ps, "all");
  int cap = 8;
  s->items = cx_alloc(ps->cx, sizeof(SelectItem) * (size_t)cap);
  do {
    if (s->nitems == cap) {
      SelectItem *ni = cx_alloc(ps->cx, sizeof(SelectItem) * (size_t)cap * 2);
      memcpy(ni, s->items, sizeof(SelectItem) * (size_t)cap);
      s->items = ni;
      cap *= 2;
    }
    SelectItem *it = &s->items[s->nitems++];
    Tok *st = peek(ps);
    it->line = st->line;
    it->col = st->col;
    Expr *e = parse_expr(ps);
    if (e->kind == E_STAR) {
      it->star = 1;
      it->star_qual = e->qual;
      continue;
    }
    it->e = e;
    if (accept_kw(ps, "as")) it->alias = parse_column_name(ps);
    else if (peek(ps)->kind == TK_QIDENT || (peek(ps)->kind == TK_IDENT && !is_reserved(peek(ps))))
      it->alias = parse_column_name(ps);
  } while (accept(ps, TK_COMMA));
  if (accept_kw(ps, "from")) {
    /* from -> from_item (join_op from_item ON expr)* */
    int cap = 4;
    s->from = cx_alloc(ps->cx, sizeof(FromItem) * (size_t)cap);
    parse_from_item(ps, &s->from[0]);
    s->nfrom = 1;
    for (;;) {
      Tok *jt = peek(ps);
      JoinType j = parse_join_op(ps);
      if (j == J_NONE) break;
      if (s->nfrom == cap) {
        FromItem *nf = cx_alloc(ps->cx, sizeof(FromItem) * (size_t)cap * 2);
        memcpy(nf, s->from, sizeof(FromItem) * (size_t)cap);
        s->from = nf;
        cap *= 2;
      }
      FromItem *f = &s->from[s->nfrom++];
      parse_from_item(ps, f);
      f->join = j;
      f->join_line = jt->line;
      f->join_col = jt->col;
      if (is_kw(peek(ps), "using"))
        diag_error(ps->cx, peek(ps)->line, peek(ps)->col, "JOIN ... USING is not supported; use ON");
      expect_kw(ps, "on");
      f->on = parse_expr(ps);
    }
  }
  if (accept_kw(ps, "where")) s->where = parse_expr(ps);
  if (is_kw(peek(ps), "group")) {
    advance(ps);
    expect_kw(ps, "by");
    s->group = parse_expr_list(ps, &s->ngroup, TK_EOF);
  }
  if (accept_kw(ps, "having")) s->having = parse_expr(ps);
  Tok *o = peek(ps);
  if (is_kw(o, "order") || is_kw(o, "limit"))
    diag_error(ps->cx, o->line, o->col,
               "%s is not supported on an unbounded stream", is_kw(o, "order") ? "ORDER BY" : "LIMIT");
  return s;
}

/* query -> select (UNION ALL select)* */
static Select *parse_query(Parser *ps) {
  Select *first = parse_select_core(ps), *last = first;
  while (last->union_next) last = last->union_next;
  while (is_kw(peek(ps), "union")) {
    Tok *u = advance(ps);
    if (!accept_kw(ps, "all"))
      diag_error(ps->cx, u->line, u->col, "UNION without ALL is not supported; use UNION ALL");
    Select *next = parse_select_core(ps);
    last->union_next = next;
    while (last->union_next) last = last->union_next;
  }
  return first;
}

/* ---- statements --------------------------------------------------------------------- */
/* options -> WITH '(' key '=' value (',' key '=' value)* ')' ; key is a name or string */
static void parse_options(Parser *ps, Stmt *st) {
  expect(ps, TK_LP, "'('");
  int cap = 8;
  st->opts = cx_alloc(ps->cx, sizeof(OptionDef) * (size_t)cap);
  if (peek(ps)->kind == TK_RP) { advance(ps); return; }
  do {
    if (st->nopts == cap) {
      OptionDef *n = cx_alloc(ps->cx, sizeof(OptionDef) * (size_t)cap * 2);
      memcpy(n, st->opts, sizeof(OptionDef) * (size_t)cap);
      st->opts = n;
      cap *= 2;
    }
    OptionDef *o = &st->opts[st->nopts++];
    Tok *k = peek(ps);
    o->line = k->line;
    o->col = k->col;
    if (k->kind == TK_STRING || k->kind == TK_QIDENT) {
      advance(ps);
      o->key = cx_lower(ps->cx, k->text);
    } else if (k->kind == TK_IDENT) {
      advance(ps);
      /* dotted keys written without quotes: json.unstructured */
      Buf b = {0};
      buf_puts(&b, k->text);
      while (peek(ps)->kind == TK_DOT && peek_at(ps, 1)->kind == TK_IDENT) {
        advance(ps);
        buf_putc(&b, '.');
        buf_puts(&b, advance(ps)->text);
      }
      o->key = cx_strndup(ps->cx, buf_cstr(&b), b.len);
      buf_free(&b);
    } else syntax_error(ps, k, "an option name");
    expect(ps, TK_EQ, "'='");
    Tok *v = peek(ps);
    if (v->kind == TK_STRING || v->kind == TK_INT || v->kind == TK_FLOAT) {
      advance(ps);
      o->value = v->text;
    } else if (v->kind == TK_IDENT) {
      advance(ps);
      o->value = v->text;
    } else syntax_error(ps, v, "an option value");
  } while (accept(ps, TK_COMMA));
  expect(ps, TK_RP, "')'");
}

static const char **parse_name_list(Parser *ps, int *n) {
  const char **v = cx_alloc(ps->cx, sizeof(char *) * 64);
  *n = 0;
  expect(ps, TK_LP, "'('");
  do {
    if (*n == 64) syntax_error(ps, peek(ps), "at most 64 names");
    v[(*n)++] = parse_column_name(ps);
  } while (accept(ps, TK_COMMA));
  expect(ps, TK_RP, "')'");
  return v;
}

/* create_table -> CREATE TABLE name ['(' element (',' element)* ')'] [WITH options]
** element -> name type constraint* | WATERMARK FOR name [AS expr] | PRIMARY KEY '(' names ')'
** constraint -> NOT NULL | NULL | PRIMARY KEY | GENERATED ALWAYS AS '(' expr ')' [STORED] */
static void parse_create_table(Parser *ps, Stmt *st) {
  st->kind = S_CREATE_TABLE;
  if (accept_kw(ps, "if")) { expect_kw(ps, "not"); expect_kw(ps, "exists"); }
  st->name = parse_name(ps, "a table name");
  if (accept(ps, TK_LP)) {
    st->declared_columns = 1;
    int cap = 8;
    st->cols = cx_alloc(ps->cx, sizeof(ColumnDef) * (size_t)cap);
    do {
      Tok *t = peek(ps);
      if (is_kw(t, "watermark") && is_kw(peek_at(ps, 1), "for")) {
        advance(ps); advance(ps);
        st->wm_line = t->line;
        st->wm_col_pos = t->col;
        st->wm_col = parse_column_name(ps);
        if (accept_kw(ps, "as")) st->wm_expr = parse_expr(ps);
        continue;
      }
      if (is_kw(t, "primary") && is_kw(peek_at(ps, 1), "key")) {
        advance(ps); advance(ps);
        st->pk = parse_name_list(ps, &st->npk);
        continue;
      }
      if (st->ncols == cap) {
        ColumnDef *n = cx_alloc(ps->cx, sizeof(ColumnDef) * (size_t)cap * 2);
        memcpy(n, st->cols, sizeof(ColumnDef) * (size_t)cap);
        st->cols = n;
        cap *= 2;
      }
      ColumnDef *c = &st->cols[st->ncols++];
      c->line = t->line;
      c->col = t->col;
      c->name = parse_column_name(ps);
      c->type = parse_type(ps);
      for (;;) {
        if (is_kw(peek(ps), "not") && is_kw(peek_at(ps, 1), "null")) {
          advance(ps); advance(ps); c->not_null = 1;
        } else if (accept_kw(ps, "null")) {
          c->not_null = 0;
        } else if (is_kw(peek(ps), "primary")) {
          advance(ps); expect_kw(ps, "key"); c->primary_key = 1;
        } else if (accept_kw(ps, "generated")) {
          expect_kw(ps, "always");
          expect_kw(ps, "as");
          expect(ps, TK_LP, "'('");
          c->generated = parse_expr(ps);
          expect(ps, TK_RP, "')'");
          if (!accept_kw(ps, "stored")) accept_kw(ps, "virtual");
        } else break;
      }
    } while (accept(ps, TK_COMMA));
    expect(ps, TK_RP, "')'");
  }
  if (accept_kw(ps, "with")) parse_options(ps, st);
}

/* statement -> create_table | CREATE VIEW name AS query | INSERT INTO name query
**            | query | SET name ['='|TO] value */
static void parse_statement(Parser *ps, Stmt *st) {
  Tok *t = peek(ps);
  st->line = t->line;
  st->col = t->col;
  if (accept_kw(ps, "create")) {
    if (accept_kw(ps, "table")) { parse_create_table(ps, st); return; }
    if (accept_kw(ps, "view")) {
      st->kind = S_CREATE_VIEW;
      st->name = parse_name(ps, "a view name");
      expect_kw(ps, "as");
      st->query = parse_query(ps);
      return;
    }
    syntax_error(ps, peek(ps), "TABLE or VIEW");
  }
  if (accept_kw(ps, "insert")) {
    st->kind = S_INSERT;
    expect_kw(ps, "into");
    st->name = parse_name(ps, "a table name");
    if (peek(ps)->kind == TK_LP && !is_kw(peek_at(ps, 1), "select"))
      diag_error(ps->cx, peek(ps)->line, peek(ps)->col,
                 "INSERT with a column list is not supported; columns map by position");
    st->query = parse_query(ps);
    return;
  }
  if (accept_kw(ps, "set")) {
    st->kind = S_SET;
    st->name = parse_name(ps, "a setting name");
    if (!accept(ps, TK_EQ)) expect_kw(ps, "to");
    Tok *v = advance(ps);
    if (v->kind == TK_EOF) syntax_error(ps, v, "a value");
    st->set_value = v->text;
    return;
  }
  if (is_kw(t, "select") || t->kind == TK_LP) {
    st->kind = S_SELECT;
    st->query = parse_query(ps);
    return;
  }
  syntax_error(ps, t, "CREATE, INSERT, SELECT or SET");
}

Script *parse_script(Cx *cx, const char *src, size_t len) {
  Parser ps;
  memset(&ps, 0, sizeof ps);
  ps.cx = cx;
  Lexer lx;
  lex_init(&lx, cx, src, len);
  /* Tokens live in the arena, so a lexer error can longjmp out without leaking. */
  int cap = 256;
  ps.toks = cx_alloc(cx, sizeof(Tok) * (size_t)cap);
  for (;;) {
    if (ps.ntoks == cap) {
      Tok *n = cx_alloc(cx, sizeof(Tok) * (size_t)cap * 2);
      memcpy(n, ps.toks, sizeof(Tok) * (size_t)cap);
      ps.toks = n;
      cap *= 2;
    }
    Tok t = lex_next(&lx);
    ps.toks[ps.ntoks++] = t;
    if (t.kind == TK_EOF) break;
  }

  Script *s = cx_alloc(cx, sizeof *s);
  int scap = 8;
  s->stmts = cx_alloc(cx, sizeof(Stmt) * (size_t)scap);
  for (;;) {
    while (accept(&ps, TK_SEMI)) {}
    if (peek(&ps)->kind == TK_EOF) break;
    if (s->nstmts == scap) {
      Stmt *n = cx_alloc(cx, sizeof(Stmt) * (size_t)scap * 2);
      memcpy(n, s->stmts, sizeof(Stmt) * (size_t)scap);
      s->stmts = n;
      scap *= 2;
    }
    parse_statement(&ps, &s->stmts[s->nstmts++]);
    if (peek(&ps)->kind != TK_EOF && peek(&ps)->kind != TK_SEMI)
      syntax_error(&ps, peek(&ps), "';' or end of statement");
  }
  if (s->nstmts == 0) diag_error(cx, 1, 1, "the script contains no statements");
  return s;
}
