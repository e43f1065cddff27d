/*
** compiler/agg.c: binding of aggregating SELECTs (GROUP BY, aggregate calls, HAVING,
** tumble/hop/session windows) into a P_AGGREGATE plan node.
**
** agg_bind_select builds, over the (WHERE-filtered) input:
**     P_AGGREGATE (keys, window, aggregate calls)  ->  [P_FILTER having]  ->  P_PROJECT items
** The aggregate node's output columns are the GROUP BY keys, then the window (type WINDOW,
** read as window.start / window.end), then one column per distinct aggregate call. While the
** select list and HAVING are bound, bind_expr first asks agg_bind_special whether the
** expression is an aggregate call, a GROUP BY expression or the window, and binds it to that
** output column; any other column reference there is an error (it must be grouped).
** Not here: what the aggregates compute at run time (codegen/cg_agg.c and the runtime).
*/
#include <stdlib.h>
#include <string.h>
#include "compiler.h"

struct AggCtx {
  Scope in;                 /* the aggregate's input scope (no agg) */
  Expr **group;             /* GROUP BY expressions (positions/aliases resolved), non-window */
  int ngroup;
  Expr *window;             /* the tumble/hop/session call, or NULL */
  const char *window_alias; /* select alias of the window call, if any */
  Plan *agg;                /* the node being built */
  int nkeys;
  AggCall *aggs;            /* discovered aggregate calls */
  Expr **agg_src;           /* their AST, to reuse identical calls */
  int naggs, cap;
};

/* ORDER AggFn */
static const struct { const char *name; AggFn fn; int min_args, max_args; } agg_table[] = {
  { "", A_NONE, 0, 0 },
  { "count", A_COUNT_STAR, 0, 0 }, { "count", A_COUNT, 1, 1 }, { "sum", A_SUM, 1, 1 },
  { "avg", A_AVG, 1, 1 }, { "min", A_MIN, 1, 1 }, { "max", A_MAX, 1, 1 },
  { "bit_and", A_BIT_AND, 1, 1 }, { "bit_or", A_BIT_OR, 1, 1 }, { "bit_xor", A_BIT_XOR, 1, 1 },
  { "bool_and", A_BOOL_AND, 1, 1 }, { "bool_or", A_BOOL_OR, 1, 1 },
  { "median", A_MEDIAN, 1, 1 }, { "stddev_samp", A_STDDEV_SAMP, 1, 1 },
  { "stddev_pop", A_STDDEV_POP, 1, 1 }, { "var_samp", A_VAR_SAMP, 1, 1 },
  { "var_pop", A_VAR_POP, 1, 1 }, { "corr", A_CORR, 2, 2 }, { "covar_samp", A_COVAR_SAMP, 2, 2 },
  { "covar_pop", A_COVAR_POP, 2, 2 }, { "regr_slope", A_REGR_SLOPE, 2, 2 },
  { "regr_intercept", A_REGR_INTERCEPT, 2, 2 }, { "regr_count", A_REGR_COUNT, 2, 2 },
  { "regr_r2", A_REGR_R2, 2, 2 }, { "regr_avgx", A_REGR_AVGX, 2, 2 },
  { "regr_avgy", A_REGR_AVGY, 2, 2 }, { "regr_sxx", A_REGR_SXX, 2, 2 },
  { "regr_syy", A_REGR_SYY, 2, 2 }, { "regr_sxy", A_REGR_SXY, 2, 2 },
  { "approx_distinct", A_APPROX_DISTINCT, 1, 1 }, { "approx_median", A_APPROX_MEDIAN, 1, 1 },
  { "approx_percentile_cont", A_APPROX_PCT, 1, 2 },
  { "approx_percentile_cont_with_weight", A_APPROX_PCT_W, 2, 3 },
  { "array_agg", A_ARRAY_AGG, 1, 1 }, { "string_agg", A_STRING_AGG, 2, 2 },
  { "first_value", A_FIRST_VALUE, 1, 1 }, { "last_value", A_LAST_VALUE, 1, 1 },
  { "", A_UDAF, 0, 0 },
};

static const struct { const char *alias; AggFn fn; } agg_aliases[] = {
  { "stddev", A_STDDEV_SAMP }, { "var", A_VAR_SAMP }, { "variance", A_VAR_SAMP },
  { "variance_samp", A_VAR_SAMP }, { "variance_pop", A_VAR_POP }, { "mean", A_AVG },
  { "every", A_BOOL_AND }, { "any_value", A_FIRST_VALUE },
};

const char *agg_name(AggFn fn) { return fn < A_COUNT_ ? agg_table[fn].name : "?"; }

static AggFn agg_lookup(const char *name) {
  if (strcmp(name, "count") == 0) return A_COUNT;    /* count(*) is told apart by its argument */
  for (int i = 1; i < A_COUNT_; i++)
    if (agg_table[i].name[0] && strcmp(agg_table[i].name, name) == 0) return agg_table[i].fn;
  for (size_t i = 0; i < sizeof agg_aliases / sizeof agg_aliases[0]; i++)
    if (strcmp(agg_aliases[i].alias, name) == 0) return agg_aliases[i].fn;
  return A_NONE;
}

int agg_is_aggregate_name(const char *name) { return agg_lookup(name) != A_NONE; }

static Udf *find_udaf(Cx *cx, const char *name) {
  Catalog *cat = cx->cat;
  for (int i = 0; i < cat->nudfs; i++)
    if (cat->udfs[i].aggregate && strcmp(cat->udfs[i].name, name) == 0) return &cat->udfs[i];
  return NULL;
}

static int is_window_call(const Expr *e) {
  return e && e->kind == E_CALL && !e->has_over &&
         (!strcmp(e->name, "tumble") || !strcmp(e->name, "hop") || !strcmp(e->name, "session"));
}

static int is_aggregate_call(Cx *cx, const Expr *e) {
  return e->kind == E_CALL && !e->has_over && (agg_is_aggregate_name(e->name) || find_udaf(cx, e->name));
}

int expr_has_aggregate(Cx *cx, const Expr *e) {
  if (!e) return 0;
  if (is_aggregate_call(cx, e)) return 1;
  if (is_window_call(e)) return 1;
  if (expr_has_aggregate(cx, e->a) || expr_has_aggregate(cx, e->b) || expr_has_aggregate(cx, e->c) ||
      expr_has_aggregate(cx, e->else_))
    return 1;
  for (int i = 0; i < e->nlist; i++) if (expr_has_aggregate(cx, e->list[i])) return 1;
  return 0;
}

/* ---- structural equality of expressions (GROUP BY matching) -------------------------- */
static int column_index_of(AggCtx *ac, const Expr *e) {
  if (e->qual && ac->in.qual && strcmp(e->qual, ac->in.qual) != 0) return -1;
  for (int i = 0; i < ac->in.input->ncols; i++) {
    PCol *c = &ac->in.input->cols[i];
    /* over a join the columns carry their own qualifiers */
    if (e->qual && !ac->in.qual && (!c->qual || strcmp(c->qual, e->qual) != 0)) continue;
    if (strcmp(c->name, e->name) == 0) return i;
  }
  return -1;
}

static int expr_equal(AggCtx *ac, const Expr *a, const Expr *b) {
  if (a == b) return 1;
  if (!a || !b) return 0;
  if (a->kind == E_COLUMN && b->kind == E_COLUMN) {
    int x = column_index_of(ac, a), y = column_index_of(ac, b);
    return x >= 0 && x == y;
  }
  if (a->kind != b->kind || a->op != b->op || a->negate != b->negate || a->ci != b->ci ||
      a->distinct != b->distinct || a->nlist != b->nlist)
    return 0;
  switch (a->kind) {
    case E_INT: return a->ival == b->ival && a->is_u64 == b->is_u64;
    case E_FLOAT: return a->fval == b->fval;
    case E_STRING: case E_TYPED_LIT:
      return a->slen == b->slen && memcmp(a->sval, b->sval, (size_t)a->slen) == 0;
    case E_BOOL: return a->ival == b->ival;
    case E_NULL: return 1;
    case E_INTERVAL: return memcmp(&a->iv, &b->iv, sizeof a->iv) == 0;
    case E_CALL: case E_EXTRACT:
      if (strcmp(a->name, b->name) != 0) return 0;
      break;
    case E_CAST:
      if (!type_eq(a->cast.t, b->cast.t)) return 0;
      break;
    default: break;
  }
  if (!expr_equal(ac, a->a, b->a) || !expr_equal(ac, a->b, b->b) || !expr_equal(ac, a->c, b->c) ||
      !expr_equal(ac, a->else_, b->else_) || !expr_equal(ac, a->filter, b->filter) ||
      !expr_equal(ac, a->within, b->within))
    return 0;
  for (int i = 0; i < a->nlist; i++) if (!expr_equal(ac, a->list[i], b->list[i])) return 0;
  return 1;
}

/* ---- windows ---------------------------------------------------------------------- */
/* A GROUP BY item naming a WINDOW column of the input: the aggregate keeps that window. */
static int is_window_column(AggCtx *ac, const Expr *e) {
  if (!e || e->kind != E_COLUMN) return 0;
  int c = column_index_of(ac, e);
  return c >= 0 && ac->in.input->cols[c].t.kind == T_WINDOW;
}
static int64_t interval_ns(Cx *cx, Expr *e, const char *fn, const char *what) {
  if (!e || e->kind != E_INTERVAL)
    diag_error(cx, e ? e->line : 0, e ? e->col : 0, "%s() needs an INTERVAL literal for its %s", fn, what);
  if (e->iv.months != 0)
    diag_error(cx, e->line, e->col, "%s() %s cannot be given in months or years (they vary in length); use days",
               fn, what);
  int64_t ns = (int64_t)e->iv.days * 86400000000000LL + e->iv.nanos;
  if (ns <= 0) diag_error(cx, e->line, e->col, "%s() %s must be positive", fn, what);
  return ns;
}

static void window_spec(Cx *cx, Expr *w, WindowSpec *ws) {
  memset(ws, 0, sizeof *ws);
  if (!strcmp(w->name, "tumble")) {
    if (w->nlist != 1) diag_error(cx, w->line, w->col, "tumble() takes one INTERVAL argument");
    ws->kind = W_TUMBLE;
    ws->width = ws->slide = interval_ns(cx, w->list[0], "tumble", "width");
  } else if (!strcmp(w->name, "hop")) {
    if (w->nlist != 2) diag_error(cx, w->line, w->col, "hop() takes two INTERVAL arguments: slide, width");
    ws->slide = interval_ns(cx, w->list[0], "hop", "slide");
    ws->width = interval_ns(cx, w->list[1], "hop", "width");
    if (ws->width % ws->slide != 0)
      diag_error(cx, w->line, w->col,
                 "Error during planning: hop() width %llds currently must be a multiple of slide %llds",
                 (long long)(ws->width / 1000000000LL), (long long)(ws->slide / 1000000000LL));
    ws->kind = ws->width == ws->slide ? W_TUMBLE : W_HOP;
  } else {
    if (w->nlist != 1) diag_error(cx, w->line, w->col, "session() takes one INTERVAL argument (the gap)");
    ws->kind = W_SESSION;
    ws->gap = interval_ns(cx, w->list[0], "session", "gap");
  }
}

/* ---- aggregate calls -------------------------------------------------------------- */
static void type_agg(Cx *cx, AggCall *a, Expr *src) {
  SqlType at = a->nargs > 0 ? a->args[0]->t : type_make(RT_I64);
  const char *name = src->name;
  a->nullable = 1;
  switch (a->fn) {
    case A_COUNT_STAR: case A_COUNT:
      a->t = type_make(RT_I64);
      a->nullable = 0;
      break;
    case A_SUM:
      if (type_is_float(at)) a->t = type_make(RT_F64);
      else if (at.kind == RT_U64 || at.kind == RT_U32) a->t = type_make(RT_U64);
      else if (at.kind == RT_DECIMAL) a->t = at;
      else if (type_is_int(at)) a->t = type_make(RT_I64);
      else diag_error(cx, src->line, src->col, "sum() needs a numeric argument, not %s", type_name(at));
      break;
    case A_AVG: case A_STDDEV_SAMP: case A_STDDEV_POP: case A_VAR_SAMP: case A_VAR_POP:
    case A_CORR: case A_COVAR_SAMP: case A_COVAR_POP: case A_REGR_SLOPE: case A_REGR_INTERCEPT:
    case A_REGR_R2: case A_REGR_AVGX: case A_REGR_AVGY: case A_REGR_SXX: case A_REGR_SYY:
    case A_REGR_SXY: case A_REGR_COUNT:
      for (int i = 0; i < a->nargs; i++)
        if (!type_is_numeric(a->args[i]->t))
          diag_error(cx, src->line, src->col, "%s() needs numeric arguments, not %s", name,
                     type_name(a->args[i]->t));
      a->t = type_make(a->fn == A_REGR_COUNT ? RT_U64 : RT_F64);
      if (a->fn == A_REGR_COUNT) a->nullable = 0;
      break;
    case A_MIN: case A_MAX: case A_FIRST_VALUE: case A_LAST_VALUE:
      if (at.kind == T_INTERVAL || at.kind == T_WINDOW)
        diag_error(cx, src->line, src->col, "%s() of %s is not supported", name, type_name(at));
      a->t = at;
      break;
    case A_BIT_AND: case A_BIT_OR: case A_BIT_XOR:
      if (!type_is_int(at)) diag_error(cx, src->line, src->col, "%s() needs an integer argument", name);
      a->t = at;
      break;
    case A_BOOL_AND: case A_BOOL_OR:
      if (at.kind != RT_BOOL) diag_error(cx, src->line, src->col, "%s() needs a BOOLEAN argument", name);
      a->t = at;
      break;
    case A_MEDIAN: case A_APPROX_MEDIAN: case A_APPROX_PCT: case A_APPROX_PCT_W:
      if (!type_is_numeric(at)) diag_error(cx, src->line, src->col, "%s() needs a numeric argument", name);
      a->t = at.kind == RT_F32 ? type_make(RT_F64) : at;
      break;
    case A_APPROX_DISTINCT:
      a->t = type_make(RT_U64);
      a->nullable = 0;
      break;
    case A_STRING_AGG:
      a->t = type_make(RT_TEXT);
      break;
    case A_UDAF:
      a->t = a->udaf->ret;
      break;
    case A_ARRAY_AGG:
      if (at.kind >= RT_TYPE_COUNT || at.kind == RT_DECIMAL)
        diag_error(cx, src->line, src->col, "array_agg() of %s is not supported", type_name(at));
      a->t = type_make(T_ARRAY);
      a->t.prec = at.kind;
      break;
    default:
      diag_error(cx, src->line, src->col, "aggregate %s() is not supported", name);
  }
}

/* Bind an aggregate call: arguments over the aggregate's input; identical calls share one
** output column. Returns the output column index. */
static int bind_agg_call(Cx *cx, AggCtx *ac, Expr *e) {
  for (int i = 0; i < ac->naggs; i++) if (expr_equal(ac, ac->agg_src[i], e)) return i;
  AggFn fn = agg_lookup(e->name);
  Udf *udaf = fn == A_NONE ? find_udaf(cx, e->name) : NULL;
  if (udaf) fn = A_UDAF;
  if (fn == A_NONE) diag_error(cx, e->line, e->col, "unknown aggregate function '%s'", e->name);
  if (e->has_over)
    diag_error(cx, e->line, e->col, "window function calls (OVER) are not supported in an aggregating SELECT");
  AggCall a;
  memset(&a, 0, sizeof a);
  a.distinct = e->distinct;
  int star = e->nlist == 1 && e->list[0]->kind == E_STAR;
  if (fn == A_COUNT && (e->nlist == 0 || star)) fn = A_COUNT_STAR;
  if (star && fn != A_COUNT_STAR)
    diag_error(cx, e->line, e->col, "'*' is only allowed in count(*)");
  if (fn == A_COUNT_STAR && e->distinct)
    diag_error(cx, e->line, e->col, "count(DISTINCT *) is not supported");
  a.fn = fn;
  int nargs = fn == A_COUNT_STAR ? 0 : e->nlist;
  if (udaf && e->distinct) diag_error(cx, e->line, e->col, "DISTINCT is not supported for user-defined aggregates");
  /* approx_percentile_cont(p) WITHIN GROUP (ORDER BY x): x is the value, p a literal */
  Expr *argv[32];
  int nav = 0;
  if (fn == A_APPROX_PCT || fn == A_APPROX_PCT_W) {
    if (!e->within)
      diag_error(cx, e->line, e->col, "%s() needs WITHIN GROUP (ORDER BY value)", e->name);
    Expr *p = e->list[nargs - 1];
    if (p->kind != E_FLOAT && p->kind != E_INT)
      diag_error(cx, p->line, p->col, "%s(): the percentile must be a numeric literal", e->name);
    a.param = p->kind == E_FLOAT ? p->fval : (double)p->ival;
    if (a.param < 0 || a.param > 1)
      diag_error(cx, p->line, p->col, "%s(): the percentile must be between 0 and 1", e->name);
    argv[nav++] = e->within;
    if (fn == A_APPROX_PCT_W) argv[nav++] = e->list[0];
  } else if (fn == A_UDAF) {
    if (e->within) diag_error(cx, e->line, e->col, "WITHIN GROUP is not allowed for %s()", e->name);
    if (nargs != udaf->nargs)
      diag_error(cx, e->line, e->col, "%s() takes %d argument%s, got %d", e->name, udaf->nargs,
                 udaf->nargs == 1 ? "" : "s", nargs);
    for (int i = 0; i < nargs; i++) argv[nav++] = e->list[i];
  } else {
    if (e->within) diag_error(cx, e->line, e->col, "WITHIN GROUP is not allowed for %s()", e->name);
    if (nargs < agg_table[fn].min_args || nargs > agg_table[fn].max_args)
      diag_error(cx, e->line, e->col, "%s() takes %d argument%s, got %d", e->name,
                 agg_table[fn].min_args, agg_table[fn].min_args == 1 ? "" : "s", nargs);
    for (int i = 0; i < nargs; i++) argv[nav++] = e->list[i];
  }
  if (fn == A_APPROX_MEDIAN) a.param = 0.5;
  a.nargs = nav;
  a.args = cx_alloc(cx, sizeof(BExpr *) * (size_t)(nav ? nav : 1));
  for (int i = 0; i < nav; i++) {
    if (expr_has_aggregate(cx, argv[i]))
      diag_error(cx, argv[i]->line, argv[i]->col, "aggregate calls cannot be nested");
    a.args[i] = bind_expr(cx, &ac->in, argv[i]);
    if (a.args[i]->t.kind == T_NULL)
      a.args[i] = bind_cast(cx, a.args[i], type_make(RT_I64), argv[i]->line, argv[i]->col, 0);
  }
  if (fn == A_UDAF) {
    a.udaf = udaf;
    for (int i = 0; i < nav; i++) {
      SqlType want = udaf->args[i], got = a.args[i]->t;
      if (!type_eq(want, got) && !(type_is_numeric(want) && type_is_numeric(got)))
        diag_error(cx, argv[i]->line, argv[i]->col, "argument %d of %s must be %s, not %s", i + 1,
                   udaf->name, type_name(want), type_name(got));
      a.args[i] = bind_cast(cx, a.args[i], want, argv[i]->line, argv[i]->col, 0);
    }
  }
  if (fn == A_STRING_AGG) {
    a.args[0] = bind_cast(cx, a.args[0], type_make(RT_TEXT), argv[0]->line, argv[0]->col, 0);
    if (argv[1]->kind != E_STRING)
      diag_error(cx, argv[1]->line, argv[1]->col, "string_agg(): the separator must be a string literal");
  }
  if (e->filter) {
    if (expr_has_aggregate(cx, e->filter))
      diag_error(cx, e->filter->line, e->filter->col, "FILTER cannot contain aggregate calls");
    a.filter = bind_expr(cx, &ac->in, e->filter);
    if (a.filter->t.kind != RT_BOOL)
      diag_error(cx, e->filter->line, e->filter->col, "FILTER (WHERE ...) must be BOOLEAN, not %s",
                 type_name(a.filter->t));
  }
  type_agg(cx, &a, e);
  if (a.distinct && fn != A_COUNT && fn != A_SUM && fn != A_AVG && fn != A_MIN && fn != A_MAX)
    diag_error(cx, e->line, e->col, "DISTINCT is not supported for %s()", e->name);
  a.text = e->name;
  if (fn == A_UDAF && ac->in.input->updating)
    diag_error(cx, e->line, e->col, "user-defined aggregate %s() over an updating input is not supported yet",
               e->name);
  if (ac->naggs == ac->cap) {
    ac->cap = ac->cap ? ac->cap * 2 : 8;
    AggCall *na = cx_alloc(cx, sizeof(AggCall) * (size_t)ac->cap);
    Expr **ns = cx_alloc(cx, sizeof(Expr *) * (size_t)ac->cap);
    if (ac->naggs) {
      memcpy(na, ac->aggs, sizeof(AggCall) * (size_t)ac->naggs);
      memcpy(ns, ac->agg_src, sizeof(Expr *) * (size_t)ac->naggs);
    }
    ac->aggs = na;
    ac->agg_src = ns;
  }
  ac->aggs[ac->naggs] = a;
  ac->agg_src[ac->naggs] = e;
  return ac->naggs++;
}

static BExpr *out_col(Cx *cx, AggCtx *ac, Expr *src, int idx, SqlType t, int nullable, const char *text) {
  (void)ac;
  BExpr *b = bnew(cx, B_COL, src);
  b->colidx = idx;
  b->t = t;
  b->nullable = nullable;
  b->text = text;
  return b;
}

static int win_col(AggCtx *ac) { return ac->nkeys; }
static int agg_col(AggCtx *ac, int i) { return ac->nkeys + (ac->window ? 1 : 0) + i; }

BExpr *agg_bind_special(Cx *cx, Scope *sc, Expr *e) {
  AggCtx *ac = sc->agg;
  if (is_aggregate_call(cx, e)) {
    int i = bind_agg_call(cx, ac, e);
    return out_col(cx, ac, e, agg_col(ac, i), ac->aggs[i].t, ac->aggs[i].nullable,
                   cx_printf(cx, "%s(...)", e->name));
  }
  if (is_window_call(e)) {
    if (!ac->window || !expr_equal(ac, ac->window, e))
      diag_error(cx, e->line, e->col, "%s() in the select list must also appear in GROUP BY", e->name);
    return out_col(cx, ac, e, win_col(ac), type_make(T_WINDOW), 0, "window");
  }
  if (ac->window && ac->window->kind == E_COLUMN && expr_equal(ac, ac->window, e))
    return out_col(cx, ac, e, win_col(ac), type_make(T_WINDOW), 0, "window");
  for (int k = 0; k < ac->ngroup; k++)
    if (expr_equal(ac, ac->group[k], e))
      return out_col(cx, ac, e, k, ac->agg->cols[k].t, ac->agg->cols[k].nullable, ac->agg->cols[k].name);
  if (e->kind == E_COLUMN) {
    /* window.start / window.end of the window alias */
    if (e->qual && ac->window && ac->window_alias && !strcmp(e->qual, ac->window_alias) &&
        (!strcmp(e->name, "start") || !strcmp(e->name, "end"))) {
      BExpr *w = out_col(cx, ac, e, win_col(ac), type_make(T_WINDOW), 0, "window");
      BExpr *f = bnew(cx, B_FIELD, e);
      f->field = !strcmp(e->name, "end");
      f->t = type_make(RT_TIMESTAMP);
      f->nargs = 1;
      f->args = cx_alloc(cx, sizeof(BExpr *));
      f->args[0] = w;
      f->text = cx_printf(cx, "window.%s", e->name);
      return f;
    }
    if (ac->window_alias && !e->qual && !strcmp(e->name, ac->window_alias))
      return out_col(cx, ac, e, win_col(ac), type_make(T_WINDOW), 0, "window");
    int ci = column_index_of(ac, e);
    if (ci < 0) resolve_column(cx, &ac->in, e);   /* reports unknown column */
    diag_error(cx, e->line, e->col,
               "column '%s' must appear in the GROUP BY clause or be used in an aggregate function",
               e->name);
  }
  return NULL;
}

/* Resolve GROUP BY item: a position (1-based select item), a select alias, or an expression. */
static Expr *resolve_group_item(Cx *cx, Select *s, AggCtx *ac, Expr *g, const char **alias) {
  *alias = NULL;
  if (g->kind == E_INT) {
    if (g->ival < 1 || g->ival > s->nitems)
      diag_error(cx, g->line, g->col, "GROUP BY position %lld is not in the select list (1..%d)",
                 (long long)g->ival, s->nitems);
    SelectItem *it = &s->items[g->ival - 1];
    if (it->star) diag_error(cx, g->line, g->col, "GROUP BY position %lld refers to '*'", (long long)g->ival);
    *alias = it->alias;
    return it->e;
  }
  if (g->kind == E_COLUMN && !g->qual && column_index_of(ac, g) < 0) {
    for (int i = 0; i < s->nitems; i++)
      if (s->items[i].alias && !strcmp(s->items[i].alias, g->name)) {
        *alias = s->items[i].alias;
        return s->items[i].e;
      }
  }
  for (int i = 0; i < s->nitems; i++)
    if (s->items[i].e && s->items[i].alias && expr_equal(ac, s->items[i].e, g)) *alias = s->items[i].alias;
  return g;
}

Plan *agg_bind_select(Cx *cx, Select *s, Plan *in, const char *qual) {
  AggCtx *ac = cx_alloc(cx, sizeof *ac);
  ac->in.input = in;
  ac->in.qual = qual;
  ac->group = cx_alloc(cx, sizeof(Expr *) * (size_t)(s->ngroup + 1));
  const char **key_alias = cx_alloc(cx, sizeof(char *) * (size_t)(s->ngroup + 1));
  for (int i = 0; i < s->ngroup; i++) {
    const char *alias;
    Expr *g = resolve_group_item(cx, s, ac, s->group[i], &alias);
    if (is_window_call(g) || is_window_column(ac, g)) {
      if (ac->window && !expr_equal(ac, ac->window, g))
        diag_error(cx, g->line, g->col, "GROUP BY has more than one window");
      ac->window = g;
      ac->window_alias = alias ? alias : g->kind == E_COLUMN ? g->name : NULL;
      continue;
    }
    if (g->kind == E_CALL && is_aggregate_call(cx, g))
      diag_error(cx, g->line, g->col, "GROUP BY cannot contain an aggregate call");
    int dup = 0;
    for (int k = 0; k < ac->ngroup; k++) if (expr_equal(ac, ac->group[k], g)) dup = 1;
    if (dup) continue;
    key_alias[ac->ngroup] = alias;
    ac->group[ac->ngroup++] = g;
  }
  /* a window call in the select list that is not grouped is an error (agg_bind_special) */
  for (int i = 0; i < s->nitems; i++)
    if (s->items[i].e && is_window_call(s->items[i].e) && !ac->window)
      diag_error(cx, s->items[i].e->line, s->items[i].e->col,
                 "%s() in the select list must also appear in GROUP BY", s->items[i].e->name);
  for (int i = 0; i < s->nitems; i++)
    if (s->items[i].star)
      diag_error(cx, s->items[i].line, s->items[i].col, "SELECT * cannot be used with GROUP BY");

  /* the node: keys first (their types are needed while binding the select list) */
  ac->nkeys = ac->ngroup;
  Plan *agg = plan_new(cx, P_AGGREGATE, 0);
  ac->agg = agg;
  int maxcols = ac->nkeys + 1 + 64;
  agg->cols = cx_alloc(cx, sizeof(PCol) * (size_t)maxcols);
  agg->exprs = cx_alloc(cx, sizeof(BExpr *) * (size_t)(ac->nkeys ? ac->nkeys : 1));
  agg->nkeys = ac->nkeys;
  for (int k = 0; k < ac->nkeys; k++) {
    BExpr *b = bind_expr(cx, &ac->in, ac->group[k]);
    if (b->t.kind == T_NULL) b = bind_cast(cx, b, type_make(RT_TEXT), b->line, b->col, 0);
    if (b->t.kind == T_INTERVAL)
      diag_error(cx, ac->group[k]->line, ac->group[k]->col, "cannot GROUP BY an INTERVAL");
    agg->exprs[k] = b;
    agg->cols[k].name = key_alias[k] ? key_alias[k] :
                        ac->group[k]->kind == E_COLUMN ? ac->group[k]->name : cx_printf(cx, "key_%d", k + 1);
    agg->cols[k].t = b->t;
    agg->cols[k].nullable = b->nullable;
  }
  if (ac->window && ac->window->kind == E_COLUMN) {
    agg->win.kind = W_INPUT;
    agg->winexpr = bind_expr(cx, &ac->in, ac->window);
    agg->wincol = ac->nkeys;
    agg->cols[ac->nkeys].name = ac->window_alias ? ac->window_alias : "window";
    agg->cols[ac->nkeys].t = type_make(T_WINDOW);
    if (agg->winexpr->kind == B_COL) {   /* the same window as the input's */
      PCol *src = &ac->in.input->cols[agg->winexpr->colidx];
      agg->cols[ac->nkeys].winkind = src->winkind;
      agg->cols[ac->nkeys].width = src->width;
      agg->cols[ac->nkeys].slide = src->slide;
    }
  } else if (ac->window) {
    window_spec(cx, ac->window, &agg->win);
    agg->cols[ac->nkeys].winkind = agg->win.kind;
    agg->cols[ac->nkeys].width = agg->win.kind == W_SESSION ? agg->win.gap : agg->win.width;
    agg->cols[ac->nkeys].slide = agg->win.slide;
    agg->wincol = ac->nkeys;
    agg->cols[ac->nkeys].name = ac->window_alias ? ac->window_alias : "window";
    agg->cols[ac->nkeys].t = type_make(T_WINDOW);
  } else {
    agg->win.kind = W_NONE;
    agg->wincol = -1;
  }

  /* select list and HAVING over the aggregate's output */
  Scope out = { agg, NULL, ac };
  int n = s->nitems;
  BExpr **items = cx_alloc(cx, sizeof(BExpr *) * (size_t)n);
  for (int i = 0; i < n; i++) items[i] = bind_expr(cx, &out, s->items[i].e);
  BExpr *having = NULL;
  if (s->having) {
    having = bind_expr(cx, &out, s->having);
    if (having->t.kind != RT_BOOL)
      diag_error(cx, s->having->line, s->having->col, "HAVING must be BOOLEAN, not %s", type_name(having->t));
  }
  if (ac->naggs > 64) diag_error(cx, s->line, s->col, "at most 64 aggregate calls per SELECT");
  agg->aggs = ac->aggs;
  agg->naggs = ac->naggs;
  agg->ncols = agg_col(ac, ac->naggs);
  for (int i = 0; i < ac->naggs; i++) {
    PCol *c = &agg->cols[agg_col(ac, i)];
    c->name = cx_printf(cx, "%s_%d", agg_name(ac->aggs[i].fn), i + 1);
    c->t = ac->aggs[i].t;
    c->nullable = ac->aggs[i].nullable;
  }
  agg->updating = agg->win.kind == W_NONE;
  if (in->updating && agg->win.kind != W_NONE)
    diag_error(cx, ac->window->line, ac->window->col,
               "a windowed aggregate over an updating input is not supported; aggregate without a window");
  if (in->updating)
    for (int i = 0; i < ac->naggs; i++) {
      AggFn f = ac->aggs[i].fn;
      if (f == A_APPROX_DISTINCT || f == A_APPROX_MEDIAN || f == A_APPROX_PCT || f == A_APPROX_PCT_W ||
          f == A_FIRST_VALUE || f == A_LAST_VALUE)
        diag_error(cx, ac->agg_src[i]->line, ac->agg_src[i]->col,
                   "%s() cannot take an updating input (its rows may be retracted)", agg_name(f));
    }
  plan_add_input(cx, agg, in);
  agg = share_aggregate(cx, agg);   /* the same aggregate spelled twice is computed once */
  Plan *top = agg;
  if (having) {
    Plan *f = plan_new(cx, P_FILTER, agg->ncols);
    memcpy(f->cols, agg->cols, sizeof(PCol) * (size_t)agg->ncols);
    f->pred = having;
    f->updating = agg->updating;
    plan_add_input(cx, f, agg);
    top = f;
  }
  Plan *p = plan_new(cx, P_PROJECT, n);
  p->exprs = items;
  for (int i = 0; i < n; i++) {
    SelectItem *it = &s->items[i];
    p->cols[i].name = it->alias ? it->alias :
                      it->e->kind == E_COLUMN ? it->e->name :
                      it->e->kind == E_CALL ? it->e->name : cx_printf(cx, "column_%d", i + 1);
    p->cols[i].t = items[i]->t;
    p->cols[i].nullable = items[i]->nullable;
    if (items[i]->kind == B_COL && items[i]->t.kind == T_WINDOW) {
      p->cols[i].winkind = agg->cols[items[i]->colidx].winkind;
      p->cols[i].width = agg->cols[items[i]->colidx].width;
      p->cols[i].slide = agg->cols[items[i]->colidx].slide;
    }
  }
  p->updating = agg->updating;
  plan_add_input(cx, p, top);
  return p;
}

/* ---- an aggregate seen through projections (the join rewrites maxfilter.c, argmax.c) ---- */
const Plan *agg_behind(const Plan *p, int *c, int *field) {
  if (field) *field = -1;
  while (p->kind == P_PROJECT) {
    const BExpr *e = p->exprs[*c];
    if (e->kind == B_COL) *c = e->colidx;
    else if (field && *field < 0 && e->kind == B_FIELD && e->nargs == 1 && e->args[0]->kind == B_COL &&
             e->args[0]->t.kind == T_WINDOW) {
      *field = e->field;
      *c = e->args[0]->colidx;
    } else return NULL;
    p = p->inputs[0];
  }
  return p->kind == P_AGGREGATE ? p : NULL;
}

int agg_is_minmax_of_column(const AggCall *a) {
  return (a->fn == A_MAX || a->fn == A_MIN) && a->nargs == 1 && !a->distinct && !a->filter &&
         a->args[0]->kind == B_COL;
}
