/*
** compiler/over.c: planning of window function calls (`fn(...) OVER (...)`).
**
** over_bind_topn: ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ...) becomes a P_TOPN node over
**   the SELECT's input; its output is the input's columns plus the row number. Two forms:
**   - PARTITION BY includes a window column: the rows of a window are numbered once the
**     watermark closes it (append-only output; codegen/cg_topn.c, windowed part);
**   - no window: an updating top-N. It needs a filter `rn <= N` (or `rn < N`, `rn = 1`) on
**     the row number in the enclosing query, found by over_finish() once the plan's parent
**     links exist; only the first N rows of each partition are kept.
** over_finish: after plan_link_parents, finds the limit N of every unbounded top-N and whether
**   the row number is read above the limit filter (then rows whose rank changes are retracted
**   and re-emitted; otherwise only rows entering and leaving the top N are).
** over_bind_frame: sum/avg/count/min/max(x) OVER (PARTITION BY ... ORDER BY ... ROWS BETWEEN
**   n PRECEDING | UNBOUNDED PRECEDING AND CURRENT ROW) becomes a P_OVER node (updating output,
**   any input; codegen/cg_over.c).
** Not here: C emission (codegen/cg_topn.c, cg_over.c), RANK/DENSE_RANK, top-N over an input
** that retracts, RANGE frames, frames that end after the current row.
*/
#include <string.h>
#include "compiler.h"

/* The kept rows of a partition live in one state entry (an array of N rows), so N is bounded. */
#define OVER_MAX_TOPN 10000

/* Whether p's rows are all insertions. An inner join without windows is an updating join (so
** its result cannot go to an append-only sink, as in Arroyo), but over inputs that only insert
** it only inserts too: a row is emitted when its partner arrives and never retracted. */
int over_only_inserts(const Plan *p) {
  if (!p->updating) return 1;
  switch (p->kind) {
    case P_FILTER: case P_PROJECT: case P_UNNEST:
      return over_only_inserts(p->inputs[0]);
    case P_UNION:
      for (int i = 0; i < p->ninputs; i++) if (!over_only_inserts(p->inputs[i])) return 0;
      return 1;
    case P_JOIN:
      return p->join == J_INNER && over_only_inserts(p->inputs[0]) && over_only_inserts(p->inputs[1]);
    case P_LOOKUP:
      /* the table never changes, so even a LEFT lookup's padded rows are never retracted */
      return over_only_inserts(p->inputs[0]);
    default:
      return 0;
  }
}

/* ROW_NUMBER() OVER (...): a P_TOPN over the scope's input. */
Plan *over_bind_topn(Cx *cx, Scope *sc, Expr *e) {
  if (strcmp(e->name, "row_number") != 0)
    diag_error(cx, e->line, e->col, "window function '%s' is not supported (only row_number())", e->name);
  if (e->nlist != 0) diag_error(cx, e->line, e->col, "row_number() takes no arguments");
  if (e->frame_rows) diag_error(cx, e->frame_line, e->frame_col, "row_number() takes no window frame");
  Plan *in = sc->input;
  Plan *t = plan_new(cx, P_TOPN, in->ncols + 1);
  memcpy(t->cols, in->cols, sizeof(PCol) * (size_t)in->ncols);
  t->cols[in->ncols].name = "row_number";
  t->cols[in->ncols].t = type_make(RT_U64);
  t->nkeys = e->npartition;
  t->exprs = cx_alloc(cx, sizeof(BExpr *) * (size_t)(e->npartition ? e->npartition : 1));
  t->wincol = -1;
  t->over_line = e->line;
  t->over_col = e->col;
  for (int i = 0; i < e->npartition; i++) {
    t->exprs[i] = bind_expr(cx, sc, e->partition[i]);
    if (t->exprs[i]->t.kind == T_WINDOW && t->exprs[i]->kind == B_COL && t->wincol < 0) t->wincol = i;
  }
  t->norder = e->norder;
  t->order = cx_alloc(cx, sizeof(BExpr *) * (size_t)(e->norder ? e->norder : 1));
  t->order_desc = e->order_desc;
  t->order_nulls_first = cx_alloc(cx, (size_t)(e->norder ? e->norder : 1));
  for (int i = 0; i < e->norder; i++) {
    /* PostgreSQL's and DataFusion's default: NULLs sort as if larger than every value */
    t->order_nulls_first[i] = e->order_nulls[i] ? e->order_nulls[i] == 1 : e->order_desc[i];
    t->order[i] = bind_expr(cx, sc, e->order[i]);
    if (t->order[i]->t.kind == T_WINDOW || t->order[i]->t.kind == T_INTERVAL)
      diag_error(cx, e->order[i]->line, e->order[i]->col, "cannot ORDER BY a %s value",
                 type_name(t->order[i]->t));
  }
  if (!over_only_inserts(in))
    diag_error(cx, e->line, e->col,
               "row_number() over an updating input (an updating aggregate, an outer join, or a debezium "
               "source) is not supported: the top-N keeps only the first N rows of a partition, so it "
               "could not promote the next row when one is retracted");
  /* without a window the result changes as rows arrive: an updating stream */
  t->updating = t->wincol < 0;
  return t;
}

/* ---- aggregates over window frames ------------------------------------------------- */

/* agg(x) OVER (PARTITION BY ... ORDER BY ... ROWS BETWEEN n PRECEDING AND CURRENT ROW): a P_OVER
** over the scope's input. sum, avg, count, min and max of integers, floats (and timestamps for
** min/max); one output value per input row, updating (codegen/cg_over.c). */
/* Which aggregate a window call is, after checking its form (argument count, ORDER BY, frame). */
static AggFn frame_fn(Cx *cx, Expr *e) {
  static const struct { const char *name; AggFn fn; } fns[] = {
    { "sum", A_SUM }, { "avg", A_AVG }, { "mean", A_AVG }, { "count", A_COUNT },
    { "min", A_MIN }, { "max", A_MAX } };
  AggFn fn = A_NONE;
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
    if (strcmp(fns[i].name, e->name) == 0) fn = fns[i].fn;
  if (fn == A_NONE)
    diag_error(cx, e->line, e->col,
               "window function '%s' is not supported (row_number(), and sum, avg, count, min, max "
               "over a ROWS frame)", e->name);
  if (e->distinct) diag_error(cx, e->line, e->col, "%s(DISTINCT ...) OVER (...) is not supported", e->name);
  if (e->filter) diag_error(cx, e->line, e->col, "FILTER is not supported with OVER");
  int star = e->nlist == 1 && e->list[0]->kind == E_STAR;
  if (fn == A_COUNT && (e->nlist == 0 || star)) fn = A_COUNT_STAR;
  else if (star) diag_error(cx, e->line, e->col, "'*' is only allowed in count(*)");
  if (fn != A_COUNT_STAR && e->nlist != 1)
    diag_error(cx, e->line, e->col, "%s() OVER (...) takes one argument", e->name);
  if (!e->norder)
    diag_error(cx, e->line, e->col,
               "%s() OVER (...) needs ORDER BY and a ROWS frame (a frame over the whole partition is "
               "not supported)", e->name);
  if (!e->frame_rows)
    diag_error(cx, e->line, e->col,
               "%s() OVER (... ORDER BY ...) needs an explicit ROWS BETWEEN ... AND CURRENT ROW frame "
               "(the default RANGE frame, where rows that tie under ORDER BY share a frame, is not "
               "supported)", e->name);
  return fn;
}

/* Bind and type the call (its argument over scope sc) into a. */
static void bind_frame_call(Cx *cx, Scope *sc, Expr *e, AggFn fn, AggCall *a) {
  memset(a, 0, sizeof *a);
  a->fn = fn;
  a->text = e->name;
  if (fn != A_COUNT_STAR) {
    a->nargs = 1;
    a->args = cx_alloc(cx, sizeof(BExpr *));
    a->args[0] = bind_expr(cx, sc, e->list[0]);
  }
  SqlType at = a->nargs ? a->args[0]->t : type_make(RT_I64);
  a->nullable = 1;
  switch (fn) {
    case A_COUNT_STAR: case A_COUNT:
      a->t = type_make(RT_I64);
      a->nullable = 0;
      break;
    case A_SUM:
      if (type_is_float(at)) a->t = type_make(RT_F64);
      else if (at.kind == RT_U64 || at.kind == RT_U32) a->t = type_make(RT_U64);
      else if (type_is_int(at)) a->t = type_make(RT_I64);
      else diag_error(cx, e->line, e->col, "sum() OVER (...) needs an integer or floating-point argument, not %s",
                      type_name(at));
      break;
    case A_AVG:
      if (!type_is_int(at) && !type_is_float(at))
        diag_error(cx, e->line, e->col, "avg() OVER (...) needs an integer or floating-point argument, not %s",
                   type_name(at));
      a->t = type_make(RT_F64);
      break;
    default:   /* min, max */
      if (!type_is_int(at) && !type_is_float(at) && at.kind != RT_TIMESTAMP)
        diag_error(cx, e->line, e->col, "%s() OVER (...) needs a number or a timestamp, not %s", e->name,
                   type_name(at));
      a->t = at;
      break;
  }
}

/* Append call a to P_OVER t as a new output column. */
static void add_call(Cx *cx, Plan *t, const AggCall *a, const char *name) {
  AggCall *na = cx_alloc(cx, sizeof(AggCall) * (size_t)(t->naggs + 1));
  if (t->naggs) memcpy(na, t->aggs, sizeof(AggCall) * (size_t)t->naggs);
  na[t->naggs++] = *a;
  t->aggs = na;
  PCol *nc = cx_alloc(cx, sizeof(PCol) * (size_t)(t->ncols + 1));
  memcpy(nc, t->cols, sizeof(PCol) * (size_t)t->ncols);
  memset(&nc[t->ncols], 0, sizeof nc[0]);
  nc[t->ncols].name = name;
  nc[t->ncols].t = a->t;
  nc[t->ncols].nullable = a->nullable;
  t->cols = nc;
  t->ncols++;
}

Plan *over_bind_frame(Cx *cx, Scope *sc, Expr *e) {
  AggFn fn = frame_fn(cx, e);
  Plan *in = sc->input;
  Plan *t = plan_new(cx, P_OVER, in->ncols);
  memcpy(t->cols, in->cols, sizeof(PCol) * (size_t)in->ncols);
  t->over_line = e->line;
  t->over_col = e->col;
  t->frame_preceding = e->frame_preceding;
  t->nkeys = e->npartition;
  t->exprs = cx_alloc(cx, sizeof(BExpr *) * (size_t)(e->npartition ? e->npartition : 1));
  for (int i = 0; i < e->npartition; i++) {
    t->exprs[i] = bind_expr(cx, sc, e->partition[i]);
    if (t->exprs[i]->kind != B_COL)
      diag_error(cx, e->partition[i]->line, e->partition[i]->col, "PARTITION BY of a window function must name columns");
    if (t->exprs[i]->t.kind == T_WINDOW)
      diag_error(cx, e->partition[i]->line, e->partition[i]->col,
                 "PARTITION BY a window is not supported for %s() OVER (...)", e->name);
  }
  t->norder = e->norder;
  t->order = cx_alloc(cx, sizeof(BExpr *) * (size_t)e->norder);
  t->order_desc = e->order_desc;
  t->order_nulls_first = cx_alloc(cx, (size_t)e->norder);
  for (int i = 0; i < e->norder; i++) {
    t->order_nulls_first[i] = e->order_nulls[i] ? e->order_nulls[i] == 1 : e->order_desc[i];
    t->order[i] = bind_expr(cx, sc, e->order[i]);
    if (t->order[i]->kind != B_COL)
      diag_error(cx, e->order[i]->line, e->order[i]->col, "ORDER BY of a window function must name columns");
    if (t->order[i]->t.kind == T_WINDOW || t->order[i]->t.kind == T_INTERVAL ||
        t->order[i]->t.kind == T_ARRAY || t->order[i]->t.kind == RT_STRUCT)
      diag_error(cx, e->order[i]->line, e->order[i]->col, "cannot ORDER BY a %s value",
                 type_name(t->order[i]->t));
  }
  AggCall a;
  bind_frame_call(cx, sc, e, fn, &a);
  add_call(cx, t, &a, e->name);
  /* a row arriving out of ORDER BY order, or a retraction, changes the frames of the rows after
  ** it: the output retracts and re-emits them, so it is always updating */
  t->updating = 1;
  return t;
}

/* A further window call of the same SELECT: it must have t's OVER clause; it becomes another
** output column of t (its argument is bound over t's input). */
void over_add_frame(Cx *cx, Scope *sc, Plan *t, Expr *e) {
  AggFn fn = frame_fn(cx, e);
  Scope s2 = *sc;
  s2.input = t->inputs[0];
  int same = e->npartition == t->nkeys && e->norder == t->norder &&
             e->frame_preceding == t->frame_preceding;
  for (int i = 0; same && i < t->nkeys; i++) {
    BExpr *b = bind_expr(cx, &s2, e->partition[i]);
    same = b->kind == B_COL && b->colidx == t->exprs[i]->colidx;
  }
  for (int i = 0; same && i < t->norder; i++) {
    BExpr *b = bind_expr(cx, &s2, e->order[i]);
    int nf = e->order_nulls[i] ? e->order_nulls[i] == 1 : e->order_desc[i];
    same = b->kind == B_COL && b->colidx == t->order[i]->colidx && e->order_desc[i] == t->order_desc[i] &&
           nf == t->order_nulls_first[i];
  }
  if (!same)
    diag_error(cx, e->line, e->col,
               "window function calls in one SELECT must share one OVER clause (the same PARTITION BY, "
               "ORDER BY and frame); use a subquery for another");
  AggCall a;
  bind_frame_call(cx, &s2, e, fn, &a);
  add_call(cx, t, &a, e->name);
}

/* ---- limits of unbounded top-N ------------------------------------------------------ */

static int refers_to(const BExpr *e, int col) {
  if (!e) return 0;
  if (e->kind == B_COL) return e->colidx == col;
  for (int i = 0; i < e->nargs; i++) if (refers_to(e->args[i], col)) return 1;
  return refers_to(e->else_, col) || refers_to(e->operand, col);
}

static int lit_int(const BExpr *e, int64_t *v) {
  if (!e || e->kind != B_LIT || e->is_null || !type_is_int(e->t)) return 0;
  if (e->t.kind == RT_U64) {
    if (e->uval > (uint64_t)INT64_MAX) return 0;
    *v = (int64_t)e->uval;
  } else *v = e->ival;
  return 1;
}

/* `col <= n`, `col < n`, `col = n` (or mirrored): the largest row number it admits, or -1. */
static int64_t limit_of(const BExpr *e, int col) {
  if (!e || e->kind != B_OP || e->nargs != 2) return -1;
  const BExpr *a = e->args[0], *b = e->args[1];
  OpKind op = e->op;
  while (a->kind == B_CAST && a->nargs == 1) a = a->args[0];
  while (b->kind == B_CAST && b->nargs == 1) b = b->args[0];
  int64_t n;
  if (b->kind == B_COL && b->colidx == col && lit_int(a, &n)) {   /* n >= col */
    const BExpr *t = a; a = b; b = t;
    op = op == OP_GE ? OP_LE : op == OP_GT ? OP_LT : op;
  }
  if (a->kind != B_COL || a->colidx != col || !lit_int(b, &n)) return -1;
  switch (op) {
    case OP_LE: return n;
    case OP_LT: return n - 1;
    case OP_EQ: return n == 1 ? 1 : -1;   /* rn = 1 only: rn = 3 alone is not a top-N */
    default: return -1;
  }
}

/* Walk the AND-tree of a filter: the tightest limit on col, and whether any other conjunct
** reads col. */
static void scan_conjuncts(const BExpr *e, int col, int64_t *limit, int *other) {
  if (e->kind == B_OP && e->op == OP_AND && e->nargs == 2) {
    scan_conjuncts(e->args[0], col, limit, other);
    scan_conjuncts(e->args[1], col, limit, other);
    return;
  }
  int64_t n = limit_of(e, col);
  if (n >= 0) { if (*limit < 0 || n < *limit) *limit = n; }
  else if (refers_to(e, col)) *other = 1;
}

/* Whether column col of p's output is read by anything above p (conservative: any node other
** than projections and filters counts as reading every column). */
static int used_above(const Plan *p, int col) {
  for (int i = 0; i < p->nparents; i++) {
    const Plan *q = p->parents[i];
    if (q->kind == P_PROJECT) {
      for (int k = 0; k < q->ncols; k++) {
        const BExpr *x = q->exprs[k];
        if (x->kind == B_COL && x->colidx == col) { if (used_above(q, k)) return 1; }
        else if (refers_to(x, col)) return 1;
      }
    } else if (q->kind == P_FILTER) {
      if (refers_to(q->pred, col) || used_above(q, col)) return 1;
    } else {
      return 1;
    }
  }
  return 0;
}

static void finish_topn(Cx *cx, Plan *t) {
  const Plan *cur = t;
  int col = t->ncols - 1;
  for (;;) {
    if (cur->nparents != 1 || col < 0)
      break;
    const Plan *q = cur->parents[0];
    int next = -1;
    if (q->kind == P_PROJECT) {
      for (int k = 0; k < q->ncols; k++)
        if (q->exprs[k]->kind == B_COL && q->exprs[k]->colidx == col) { next = k; break; }
      for (int k = 0; k < q->ncols; k++)
        if (k != next && refers_to(q->exprs[k], col)) t->rank_out = 1;
    } else if (q->kind == P_FILTER) {
      int64_t limit = -1;
      int other = 0;
      scan_conjuncts(q->pred, col, &limit, &other);
      if (limit >= 0) {
        if (limit < 1)
          diag_error(cx, t->over_line, t->over_col,
                     "row_number() is filtered to keep no row at all (the limit is below 1)");
        if (limit > OVER_MAX_TOPN)
          diag_error(cx, t->over_line, t->over_col,
                     "an updating top-N keeps at most %d rows per partition (the filter asks for %lld)",
                     OVER_MAX_TOPN, (long long)limit);
        t->limit = limit;
        if (other || used_above(q, col)) t->rank_out = 1;
        return;
      }
      if (other) t->rank_out = 1;
      next = col;
    } else {
      break;
    }
    cur = q;
    col = next;
  }
  diag_error(cx, t->over_line, t->over_col,
             "row_number() without a window in PARTITION BY needs a filter on its result in the "
             "enclosing query, such as WHERE rn <= N (or rn < N, rn = 1): an updating top-N keeps "
             "the first N rows of each partition; numbering every row of an unbounded partition "
             "is not supported");
}

static void visit(Cx *cx, Plan *p, char *seen) {
  if (seen[p->id]) return;
  seen[p->id] = 1;
  for (int i = 0; i < p->ninputs; i++) visit(cx, p->inputs[i], seen);
  if (p->kind == P_TOPN && p->wincol < 0) finish_topn(cx, p);
}

void over_finish(Cx *cx) {
  Catalog *cat = cx->cat;
  char *seen = cx_alloc(cx, (size_t)cat->next_plan_id + 1);
  for (int i = 0; i < cat->nsink_plans; i++) visit(cx, cat->sink_plans[i], seen);
}
