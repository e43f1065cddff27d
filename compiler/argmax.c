/*
** compiler/argmax.c: the argmax join rewrite: "rows equal to their window's maximum".
**
** Nexmark q7 joins the bids with the per-window maximum of their own price:
**     bid B JOIN (SELECT window.end AS e, max(price) AS m FROM bid GROUP BY tumble(W)) S
**       ON B.price = S.m AND B.t BETWEEN S.e - W AND S.e
** Planned as written, the interval join keeps every bid of a window (the dense side) until the
** window's maximum arrives. argmax_rewrite (called by join_bind once the join is planned as an
** INNER interval join) recognises the shape and turns the P_JOIN node, in place, into a
** P_ARGMAX node whose only input is the dense side: codegen/cg_argmax.c keeps per window the
** running maximum and the rows tied with it, which is the same result with O(ties) state.
**
** Accepted, exactly (anything else keeps the interval join, unchanged):
**   - INNER interval join, one key equality, no residual but the interval's own time bounds;
**   - one side S reaches, through projections that copy columns (or take a window's start or
**     end), a windowed TUMBLE aggregate AG without GROUP BY keys and not updating; no filter
**     on the way (a HAVING would drop windows). Every column of S is AG's window start or end,
**     or the MAX (MIN) aggregate the key compares with, so every S column of an output row
**     can be produced from the window end and the row's value;
**   - that aggregate is max(c) or min(c) without FILTER or DISTINCT, c a plain column of AG's
**     input A of an integer or TIMESTAMP type (floats are refused: -0.0 = 0.0 and NaN make
**     "equal to the maximum" differ from the join's byte equality of keys);
**   - the other side D has the same rows as A: D's key column and c are one column of one
**     node, reached through projections that copy it (plan_same_column; no filter: the
**     maximum is over A's rows and only D's rows are compared; every FROM of a source table
**     reads its one scan node), so D's key is c unchanged (no cast);
**   - S's time column is the window end E, D's is its event time t (the interval join checked
**     is_event_time), and the interval bounds E - t to [lo, hi] with 0 <= lo <= hi <= W: a row
**     can then match only its own window (E - t in (0, W]) and, when t is a window end and
**     lo = 0, the window ending at t (E - t = 0, the inclusive BETWEEN boundary).
** Not here: the run-time algorithm, lateness and ordering (codegen/cg_argmax.c).
*/
#include <string.h>
#include "compiler.h"

/* What an S column is, in terms of AG (ArgmaxInfo.scols): see compiler.h. Returns -1 when the
** column is not one of those, and sets *ag to the aggregate reached. */
static int s_column_kind(const Plan *p, int c, const Plan **ag) {
  int field;   /* window.start (0) / window.end (1) taken on the way, or -1 */
  const Plan *g = agg_behind(p, &c, &field);
  if (!g) return -1;
  *ag = g;
  /* (the window column itself never gets here: join_bind refuses a windowed side joined
  ** with a non-windowed one) */
  if (c == g->wincol) return field < 0 ? -1 : field ? AMX_WEND : AMX_WSTART;
  if (field >= 0 || c < g->nkeys + 1) return -1;
  return AMX_AGG0 + (c - g->nkeys - 1);
}

/* e as `column [+/- interval]` over the join's output: the column, or -1. */
static int time_operand(const BExpr *e) {
  if (e->kind == B_COL) return e->colidx;
  if (e->kind == B_OP && (e->op == OP_ADD || e->op == OP_SUB) && e->nargs == 2 &&
      e->args[0]->kind == B_COL && e->args[1]->kind == B_LIT && e->args[1]->t.kind == T_INTERVAL &&
      e->args[1]->iv.months == 0)
    return e->args[0]->colidx;
  return -1;
}

/* A conjunct that is one of the interval's own time bounds: `x op y`, op one of < <= > >=,
** x and y `column [+/- interval]` of the two time columns (one each). */
static int is_time_bound(const BExpr *c, int lcol, int rcol) {
  if (c->kind != B_OP || c->nargs != 2) return 0;
  if (c->op != OP_LT && c->op != OP_LE && c->op != OP_GT && c->op != OP_GE) return 0;
  int a = time_operand(c->args[0]), b = time_operand(c->args[1]);
  return (a == lcol && b == rcol) || (a == rcol && b == lcol);
}

static int argmax_type_ok(SqlType t) {
  switch (t.kind) {
    case RT_I32: case RT_I64: case RT_U32: case RT_U64: case RT_TIMESTAMP: return 1;
    default: return 0;
  }
}

/* The rewrite for one choice of dense side; 1 when j became a P_ARGMAX node. */
static int try_side(Cx *cx, Plan *j, BExpr **conj, int nconj, int dside) {
  int nl = j->inputs[0]->ncols;
  Plan *D = j->inputs[dside], *S = j->inputs[!dside];
  int soff = dside ? 0 : nl;   /* S's first column in j's output */
  /* the key: a plain column on each side, no cast */
  const BExpr *dk = dside ? j->rkeys[0] : j->exprs[0], *sk = dside ? j->exprs[0] : j->rkeys[0];
  if (dk->kind != B_COL || sk->kind != B_COL) return 0;
  int dcol = dk->colidx, scol = sk->colidx;   /* over D's and S's own columns */
  /* S: every column is known in terms of one keyless tumbling aggregate */
  const Plan *AG = NULL;
  int *kinds = cx_alloc(cx, sizeof(int) * (size_t)(S->ncols ? S->ncols : 1));
  for (int c = 0; c < S->ncols; c++) {
    const Plan *ag = NULL;
    kinds[c] = s_column_kind(S, c, &ag);
    if (kinds[c] < 0 || (AG && ag != AG)) return 0;
    AG = ag;
  }
  if (!AG || AG->win.kind != W_TUMBLE || AG->nkeys != 0 || AG->updating || AG->wincol < 0 ||
      AG->win.width <= 0 || AG->win.slide != AG->win.width)
    return 0;
  int ai = kinds[scol] - AMX_AGG0;
  if (ai < 0 || ai >= AG->naggs) return 0;
  const AggCall *a = &AG->aggs[ai];
  if (!agg_is_minmax_of_column(a) || !argmax_type_ok(a->args[0]->t)) return 0;
  for (int c = 0; c < S->ncols; c++)   /* other aggregates cannot be produced */
    if (kinds[c] >= AMX_AGG0 && kinds[c] != kinds[scol]) return 0;
  /* D: the aggregate's own input rows, and the key is the aggregated column */
  const Plan *A = AG->inputs[0];
  if (!plan_same_column(D, dcol, A, a->args[0]->colidx) || !type_eq(D->cols[dcol].t, a->args[0]->t))
    return 0;
  /* times: S's is the window end, D's its event time (checked by the interval join) */
  int dt = dside ? j->ircol : j->ilcol, st = dside ? j->ilcol : j->ircol;
  if (kinds[st] != AMX_WEND) return 0;
  int64_t lo = dside ? -j->ihi : j->ilo, hi = dside ? -j->ilo : j->ihi;   /* bounds on E - t */
  int64_t W = AG->win.width;
  if (lo < 0 || hi > W || lo > hi) return 0;
  /* nothing but the key and the time bounds in ON */
  int lt = j->ilcol, rt_ = nl + j->ircol, nkeyconj = 0;
  for (int i = 0; i < nconj; i++) {
    const BExpr *c = conj[i];
    if (c->kind == B_OP && c->op == OP_EQ && nkeyconj == 0 &&
        ((c->args[0] == j->exprs[0]) || (c->args[1] == j->exprs[0]))) { nkeyconj++; continue; }
    if (!is_time_bound(c, lt, rt_)) return 0;
  }
  if (nkeyconj != 1) return 0;

  ArgmaxInfo *x = cx_alloc(cx, sizeof *x);
  x->dside = dside;
  x->soff = soff;
  x->doff = dside ? j->inputs[0]->ncols : 0;
  x->col = dcol;
  x->tcol = dt;
  x->is_min = a->fn == A_MIN;
  x->width = W;
  x->lo = lo;
  x->hi = hi;
  x->nscols = S->ncols;
  x->scols = kinds;
  x->agg_id = AG->id;
  x->agg_text = cx_printf(cx, "%s(%s)", a->fn == A_MIN ? "min" : "max", bexpr_text(cx, a->args[0]));
  j->kind = P_ARGMAX;
  j->amx = x;
  j->inputs = cx_alloc(cx, sizeof(Plan *));
  j->inputs[0] = D;
  j->ninputs = 1;
  j->updating = 0;
  return 1;
}

int argmax_rewrite(Cx *cx, Plan *j, BExpr **conj, int nconj) {
  if (j->kind != P_JOIN || j->join != J_INNER || !j->interval || j->lwin >= 0 || j->nkeys != 1)
    return 0;
  if (j->inputs[0]->updating || j->inputs[1]->updating) return 0;
  for (int dside = 0; dside < 2; dside++)
    if (try_side(cx, j, conj, nconj, dside)) return 1;
  return 0;
}
