/*
** compiler/share.c: identical plan nodes become one shared node.
**
** A query that spells the same aggregate twice (Nexmark q5 as Flink writes it: the per-auction
** counts once for the rows and once inside the per-window maximum) would otherwise compute and
** store it twice. share_aggregate() returns an earlier P_AGGREGATE node with the same input
** node, GROUP BY keys, window and aggregate calls, in the same order, so the plan is a DAG
** with one node (as a view read twice is already). Scans need no help here: bind.c makes one
** P_SCAN per source table.
** Equality is structural (bexpr_same): same operators, functions, columns and literal values.
** Never shared: volatile calls (random(), now()) and UDF/UDAF calls, whose purity we cannot
** know.
** Output column names need not match: after binding, parents read columns by position.
** Not here: sharing of filters and projections (cheap, and their columns carry qualifiers that
** name resolution depends on), or of subtrees over different scans.
*/
#include <string.h>
#include "compiler.h"

static int type_same(SqlType a, SqlType b) {
  return a.kind == b.kind && a.prec == b.prec && a.scale == b.scale;
}

/* 1 if a and b compute the same value from the same input row (both NULL: same). */
int bexpr_same(const BExpr *a, const BExpr *b) {
  if (!a || !b) return a == b;
  if (a->kind != b->kind || !type_same(a->t, b->t) || a->nullable != b->nullable) return 0;
  switch (a->kind) {
    case B_LIT:
      if (a->is_null != b->is_null || a->ival != b->ival || a->uval != b->uval ||
          a->slen != b->slen || memcmp(&a->iv, &b->iv, sizeof a->iv) != 0)
        return 0;
      if (a->fval != b->fval && !(a->fval != a->fval && b->fval != b->fval)) return 0;
      if (a->slen && memcmp(a->sval, b->sval, (size_t)a->slen) != 0) return 0;
      if (!a->slen && (a->sval == NULL) != (b->sval == NULL)) return 0;
      return 1;
    case B_COL: return a->colidx == b->colidx;
    case B_UDF: return 0;
    case B_CALL: if (a->fn != b->fn || a->fn == F_RANDOM || a->fn == F_NOW) return 0; break;
    default: break;
  }
  if (a->op != b->op || a->negate != b->negate || a->ci != b->ci ||
      a->istrue_value != b->istrue_value || a->try_cast != b->try_cast || a->field != b->field ||
      a->nargs != b->nargs)
    return 0;
  for (int i = 0; i < a->nargs; i++) if (!bexpr_same(a->args[i], b->args[i])) return 0;
  return bexpr_same(a->else_, b->else_) && bexpr_same(a->operand, b->operand);
}

static int agg_call_same(const AggCall *a, const AggCall *b) {
  if (a->fn != b->fn || a->fn == A_UDAF || a->distinct != b->distinct || a->nargs != b->nargs ||
      a->param != b->param || !type_same(a->t, b->t) || a->nullable != b->nullable)
    return 0;
  for (int i = 0; i < a->nargs; i++) if (!bexpr_same(a->args[i], b->args[i])) return 0;
  return bexpr_same(a->filter, b->filter);
}

static int aggregate_same(const Plan *a, const Plan *b) {
  if (a->ninputs != 1 || b->ninputs != 1 || a->inputs[0] != b->inputs[0]) return 0;
  if (a->nkeys != b->nkeys || a->naggs != b->naggs || a->ncols != b->ncols ||
      a->wincol != b->wincol || a->updating != b->updating)
    return 0;
  if (a->win.kind != b->win.kind || a->win.width != b->win.width ||
      a->win.slide != b->win.slide || a->win.gap != b->win.gap ||
      !bexpr_same(a->winexpr, b->winexpr))
    return 0;
  for (int i = 0; i < a->nkeys; i++) if (!bexpr_same(a->exprs[i], b->exprs[i])) return 0;
  for (int i = 0; i < a->naggs; i++) if (!agg_call_same(&a->aggs[i], &b->aggs[i])) return 0;
  for (int i = 0; i < a->ncols; i++)
    if (!type_same(a->cols[i].t, b->cols[i].t) || a->cols[i].nullable != b->cols[i].nullable)
      return 0;
  return 1;
}

Plan *share_aggregate(Cx *cx, Plan *agg) {
  Catalog *cat = cx->cat;
  for (int i = 0; i < cat->naggregates; i++)
    if (aggregate_same(cat->aggregates[i], agg)) return cat->aggregates[i];
  if (cat->naggregates == cat->aggregates_cap) {
    cat->aggregates_cap = cat->aggregates_cap ? cat->aggregates_cap * 2 : 8;
    Plan **n = cx_alloc(cx, sizeof(Plan *) * (size_t)cat->aggregates_cap);
    if (cat->naggregates) memcpy(n, cat->aggregates, sizeof(Plan *) * (size_t)cat->naggregates);
    cat->aggregates = n;
  }
  cat->aggregates[cat->naggregates++] = agg;
  return agg;
}
