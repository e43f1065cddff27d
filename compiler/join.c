/*
** compiler/join.c: binding of JOIN ... ON into a P_JOIN plan node.
**
** The node's output is the left input's columns followed by the right input's, each carrying
** the qualifier (alias or table name) of its side, so later expressions can say a.x or b.x.
** The ON condition is split at its top-level ANDs: each `l = r` whose sides reference only the
** left and only the right input becomes a key pair (the join is an equi-join on all pairs);
** the rest is the residual predicate, evaluated on candidate pairs.
** Streaming kinds: when both inputs carry a window column (they come from windowed
** aggregates) the join is windowed: rows meet only within the same window and the result is
** append-only, emitted when the window closes. Otherwise it is an updating join (results are
** retracted when input rows are). Outer joins pad the missing side with NULLs.
** Not here: the run-time algorithms (codegen/cg_join.c).
*/
#include <string.h>
#include "compiler.h"

/* 1: references left columns (index < nl), 2: right columns, 3: both, 0: none. */
static int sides_of(const BExpr *e, int nl) {
  if (!e) return 0;
  int m = 0;
  if (e->kind == B_COL) m |= e->colidx < nl ? 1 : 2;
  for (int i = 0; i < e->nargs; i++) m |= sides_of(e->args[i], nl);
  m |= sides_of(e->else_, nl) | sides_of(e->operand, nl);
  return m;
}

/* A copy of e with every column index shifted by delta (right keys over the right input). */
static BExpr *shift_cols(Cx *cx, const BExpr *e, int delta) {
  if (!e) return NULL;
  BExpr *c = cx_alloc(cx, sizeof *c);
  *c = *e;
  if (c->kind == B_COL) c->colidx += delta;
  if (e->nargs) {
    c->args = cx_alloc(cx, sizeof(BExpr *) * (size_t)e->nargs);
    for (int i = 0; i < e->nargs; i++) c->args[i] = shift_cols(cx, e->args[i], delta);
  }
  c->else_ = shift_cols(cx, e->else_, delta);
  c->operand = shift_cols(cx, e->operand, delta);
  return c;
}

static void split_and(Cx *cx, BExpr *e, BExpr ***v, int *n, int *cap) {
  if (e->kind == B_OP && e->op == OP_AND) {
    split_and(cx, e->args[0], v, n, cap);
    split_and(cx, e->args[1], v, n, cap);
    return;
  }
  if (*n == *cap) {
    *cap = *cap ? *cap * 2 : 8;
    BExpr **nv = cx_alloc(cx, sizeof(BExpr *) * (size_t)*cap);
    if (*n) memcpy(nv, *v, sizeof(BExpr *) * (size_t)*n);
    *v = nv;
  }
  (*v)[(*n)++] = e;
}

static int window_col(Plan *p) {
  for (int i = 0; i < p->ncols; i++) if (p->cols[i].t.kind == T_WINDOW) return i;
  return -1;
}

static const char *join_name(JoinType j) {
  switch (j) {
    case J_LEFT: return "LEFT";
    case J_RIGHT: return "RIGHT";
    case J_FULL: return "FULL";
    default: return "INNER";
  }
}

Plan *join_bind(Cx *cx, Plan *left, const char *lqual, Plan *right, const char *rqual, FromItem *f) {
  int nl = left->ncols, nr = right->ncols;
  Plan *j = plan_new(cx, P_JOIN, nl + nr);
  j->join = f->join;
  for (int i = 0; i < nl; i++) {
    j->cols[i] = left->cols[i];
    if (lqual) j->cols[i].qual = lqual;
    if (f->join == J_RIGHT || f->join == J_FULL) j->cols[i].nullable = 1;
  }
  for (int i = 0; i < nr; i++) {
    j->cols[nl + i] = right->cols[i];
    j->cols[nl + i].qual = rqual;
    if (f->join == J_LEFT || f->join == J_FULL) j->cols[nl + i].nullable = 1;
  }
  plan_add_input(cx, j, left);
  plan_add_input(cx, j, right);

  Scope sc = { j, NULL, NULL };
  BExpr *on = bind_expr(cx, &sc, f->on);
  if (on->t.kind != RT_BOOL)
    diag_error(cx, f->on->line, f->on->col, "the ON condition must be BOOLEAN, not %s", type_name(on->t));
  BExpr **conj = NULL;
  int nconj = 0, cap = 0;
  split_and(cx, on, &conj, &nconj, &cap);
  j->exprs = cx_alloc(cx, sizeof(BExpr *) * (size_t)nconj);
  j->rkeys = cx_alloc(cx, sizeof(BExpr *) * (size_t)nconj);
  BExpr *residual = NULL;
  for (int i = 0; i < nconj; i++) {
    BExpr *c = conj[i];
    if (c->kind == B_OP && c->op == OP_EQ) {
      int a = sides_of(c->args[0], nl), b = sides_of(c->args[1], nl);
      if ((a == 1 && b == 2) || (a == 2 && b == 1)) {
        BExpr *l = a == 1 ? c->args[0] : c->args[1];
        BExpr *r = a == 1 ? c->args[1] : c->args[0];
        if (l->t.kind == T_ARRAY || l->t.kind == T_INTERVAL)
          diag_error(cx, c->line, c->col, "cannot join on a %s value", type_name(l->t));
        j->exprs[j->nkeys] = l;
        j->rkeys[j->nkeys] = shift_cols(cx, r, -nl);
        j->nkeys++;
        continue;
      }
    }
    if (!residual) { residual = c; continue; }
    BExpr *and_ = bnew(cx, B_OP, NULL);
    and_->op = OP_AND;
    and_->t = type_make(RT_BOOL);
    and_->nargs = 2;
    and_->args = cx_alloc(cx, sizeof(BExpr *) * 2);
    and_->args[0] = residual;
    and_->args[1] = c;
    and_->nullable = residual->nullable || c->nullable;
    residual = and_;
  }
  j->pred = residual;
  if (j->nkeys == 0)
    diag_error(cx, f->on->line, f->on->col,
               "a streaming join needs at least one equality between the two sides in ON "
               "(a cross product of unbounded streams cannot be computed)");

  j->lwin = window_col(left);
  j->rwin = window_col(right);
  if ((j->lwin >= 0) != (j->rwin >= 0))
    diag_error(cx, f->join_line, f->join_col,
               "%s JOIN of a windowed input with a non-windowed one is not supported; "
               "window both sides the same way", join_name(f->join));
  if (j->lwin >= 0) {
    if (left->updating || right->updating)
      diag_error(cx, f->join_line, f->join_col, "a windowed join of an updating input is not supported");
    j->updating = 0;
  } else {
    j->updating = 1;
  }
  return j;
}
