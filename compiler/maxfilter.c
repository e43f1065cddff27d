/*
** compiler/maxfilter.c: the planner rewrite "rows equal to their window's maximum".
**
** Nexmark q5 (hot items) joins a windowed aggregate A with M, the maximum of one of A's
** columns per window, and keeps the rows of A that reach it:
**   A JOIN (SELECT window, max(c) AS m FROM A GROUP BY window) M
**     ON A.window = M.window AND A.c >= M.m
** As a windowed join that keeps every row of A until its window closes, only to keep the few
** equal to the window's maximum. maxfilter_rewrite recognises the shape on the freshly bound
** P_JOIN and turns that node (in place: same id, same output columns) into a P_MAXFILTER over
** A alone, which keeps per window the running maximum of c and only the rows of A tied with it
** (codegen/cg_maxfilter.c). The rewrite applies only when all of this holds:
**   - the join is INNER and windowed (join.c: both sides carry a window column);
**   - one side, M, is (through projections whose every column copies a column) an aggregate
**     that groups by its input's window column only (W_INPUT, no GROUP BY keys, no HAVING)
**     with one aggregate, MAX(c) or MIN(c) (no DISTINCT, no FILTER), c a plain column of an
**     integer, DECIMAL or TIMESTAMP type (no floats: NaN and -0 order differently in the
**     aggregate and in a comparison; no strings), and every column of M is its window or
**     that aggregate;
**   - the aggregate reads A's rows: its input is the other side, A, or both reach one node
**     through projections that copy the window and c (Nexmark q5 as Flink writes it spells
**     the per-auction counts twice; share.c makes them one aggregate node, read through two
**     projections), and the window it groups by is A's window column (the join's);
**   - the ON is exactly the window equality (A's window = M's window) and one comparison of
**     A.c with M's aggregate column: `A.c >= M.m` (or `M.m <= A.c`) or `A.c = M.m` for MAX,
**     `A.c <= M.m` (or `M.m >= A.c`) or `A.c = M.m` for MIN, each operand a bare column (no
**     cast), and nothing else.
** Then every output row of the join is a row of A whose c equals its window's maximum (c >=
** max holds only with equality), paired with M's row of that window, whose columns are A's
** window and A.c: the P_MAXFILTER's exprs[i] says which column of A each output column is.
** A NULL c never matches (the comparison is NULL) and does not count toward the maximum; a
** window whose c values are all NULL has a NULL maximum and no rows. M keeps being computed
** for its other parents, if any; otherwise nothing reads it any more and it is not generated.
** Anything else keeps the windowed join.
** Not here: the operator (codegen/cg_maxfilter.c), the join's own planning (join.c).
*/
#include "compiler.h"

/* The aggregate M's columns all come from, or NULL when some column is computed. */
static const Plan *plain_aggregate(const Plan *m) {
  const Plan *g = NULL;
  for (int i = 0; i < m->ncols; i++) {
    int c = i;
    const Plan *q = agg_behind(m, &c, NULL);
    if (!q || (g && q != g)) return NULL;
    g = q;
  }
  return g;
}

static int orderable(SqlType t) {
  return type_is_int(t) || t.kind == RT_DECIMAL || t.kind == RT_TIMESTAMP;
}

/* Whether comparison `e` (over the join's columns) is `A.c op M.m` as the aggregate `fn`
** needs: A.c is join column ac, M.m join column mc. */
static int tie_condition(const BExpr *e, AggFn fn, int ac, int mc) {
  if (e->kind != B_OP || e->nargs != 2) return 0;
  const BExpr *x = e->args[0], *y = e->args[1];
  if (x->kind != B_COL || y->kind != B_COL) return 0;
  OpKind op = e->op;
  if (x->colidx == mc && y->colidx == ac) {   /* M.m op A.c: mirror it */
    const BExpr *t = x; x = y; y = t;
    op = op == OP_LE ? OP_GE : op == OP_GE ? OP_LE : op;
  }
  if (x->colidx != ac || y->colidx != mc) return 0;
  return op == OP_EQ || op == (fn == A_MAX ? OP_GE : OP_LE);
}

int maxfilter_rewrite(Cx *cx, Plan *j, BExpr **conj, int nconj) {
  if (j->join != J_INNER || j->lwin < 0 || j->rwin < 0 || nconj != 2) return 0;
  int nl = j->inputs[0]->ncols;
  for (int ms = 0; ms < 2; ms++) {   /* ms: the side that is M */
    Plan *A = j->inputs[!ms], *M = j->inputs[ms];
    int abase = ms ? 0 : nl, mbase = ms ? nl : 0;
    int awin = ms ? j->lwin : j->rwin;
    const Plan *g = plain_aggregate(M);
    if (!g || g->win.kind != W_INPUT || g->nkeys != 0 || g->naggs != 1 || g->wincol < 0) continue;
    const AggCall *a = &g->aggs[0];
    if (!agg_is_minmax_of_column(a) || !orderable(a->args[0]->t) || g->winexpr->kind != B_COL) continue;
    /* A.c is column ca of A: the maximum's column and the window must be A's own */
    int ca = -1;
    for (int c = 0; c < A->ncols && ca < 0; c++)
      if (plan_same_column(A, c, g->inputs[0], a->args[0]->colidx)) ca = c;
    if (ca < 0 || !plan_same_column(A, awin, g->inputs[0], g->winexpr->colidx)) continue;
    int aggcol = g->nkeys + 1;   /* output columns: keys, the window, then the aggregates */
    /* every column of M is g's window or its aggregate; the same for M's window column */
    int ok = 1;
    for (int i = 0; i < M->ncols && ok; i++) {
      int c = i;
      plan_copied_from(M, &c);
      ok = c == g->wincol || c == aggcol;
    }
    int mwin = ms ? j->rwin : j->lwin, c = mwin;
    plan_copied_from(M, &c);
    if (!ok || c != g->wincol) continue;
    /* the ON: the window equality, and the tie condition (a key too when it is `=`) */
    int ac = abase + ca;
    int has_window = 0, has_tie = 0, other = 0;
    for (int k = 0; k < j->nkeys; k++) {
      const BExpr *l = j->exprs[k], *r = j->rkeys[k];
      if (l->kind != B_COL || r->kind != B_COL) { other = 1; continue; }
      int lc = l->colidx, rc = nl + r->colidx;   /* over the join's columns */
      int ca = ms ? lc : rc, cm = ms ? rc : lc;
      int mcol = cm - mbase;
      plan_copied_from(M, &mcol);
      if (ca == abase + awin && mcol == g->wincol) has_window++;
      else if (ca == ac && mcol == aggcol) has_tie++;
      else other = 1;
    }
    if (j->pred) {
      const BExpr *e = j->pred;
      int found = 0;
      for (int i = 0; i < M->ncols && !found; i++) {
        int mc = i;
        plan_copied_from(M, &mc);
        if (mc == aggcol && tie_condition(e, a->fn, ac, mbase + i)) found = 1;
      }
      if (found) has_tie++;
      else other = 1;
    }
    if (other || has_window != 1 || has_tie != 1) continue;

    /* rewrite: j reads A alone; output column i is A's column exprs[i] */
    j->label = cx_printf(cx, "%s AND %s", bexpr_text(cx, conj[0]), bexpr_text(cx, conj[1]));
    BExpr **exprs = cx_alloc(cx, sizeof(BExpr *) * (size_t)j->ncols);
    for (int i = 0; i < j->ncols; i++) {
      BExpr *e = bnew(cx, B_COL, NULL);
      int from;
      if (i >= abase && i < abase + A->ncols) from = i - abase;
      else {
        int mc = i - mbase;
        plan_copied_from(M, &mc);
        from = mc == g->wincol ? awin : ca;
      }
      e->colidx = from;
      e->t = A->cols[from].t;
      e->nullable = A->cols[from].nullable;
      e->text = A->cols[from].name;
      exprs[i] = e;
    }
    j->kind = P_MAXFILTER;
    j->inputs[0] = A;
    j->ninputs = 1;
    j->exprs = exprs;
    j->nkeys = 0;
    j->rkeys = NULL;
    j->pred = NULL;
    j->wincol = awin;
    j->mf_col = ca;
    j->mf_min = a->fn == A_MIN;
    j->lwin = j->rwin = -1;
    j->updating = 0;
    return 1;
  }
  return 0;
}
