/*
** compiler/lookup.c: binding of a lookup join, `JOIN t FOR SYSTEM_TIME AS OF expr ON ...`,
** into a P_LOOKUP plan node.
**
** The right side must be a bounded, append-only source table (a single_file source with an
** append-only format). It is not a stream input of the plan: every subtask that runs the
** left side reads the whole table into a hash map the first time it needs it (runtime
** lookup.c) and probes it with each left row (codegen/cg_lookup.c). So the table is read
** once, at start, and has one version: the AS OF time is bound (it must be a TIMESTAMP over
** the left side) but selects nothing.
** The node's output is the left input's columns followed by the table's, each carrying its
** qualifier. ON is split at its top-level ANDs as for stream joins (join.c): each `l = r`
** with l over the left side only and r over the table only is a key pair, the rest is the
** residual predicate over the output columns. INNER and LEFT only; NULL keys never match;
** duplicate table keys give one output row each. The output is updating only if the left
** input is (a retraction meets the same table rows as its insertion did).
** Not here: the hash map and the probe (runtime/lookup.c, codegen/cg_lookup.c).
*/
#include <string.h>
#include "compiler.h"

/* The right side of FOR SYSTEM_TIME AS OF must be a table the worker can read whole. */
static void check_table(Cx *cx, Table *t, FromItem *f) {
  const char *why = NULL;
  if (f->sub) why = "a subquery";
  else if (!t) diag_error(cx, f->line, f->col, "unknown table '%s'", f->table);
  else if (t->kind == TB_VIEW) why = cx_printf(cx, "'%s' is a view", t->name);
  else if (t->kind == TB_MEMORY) why = cx_printf(cx, "'%s' is a memory table", t->name);
  else if (t->kind == TB_SINK) why = cx_printf(cx, "'%s' is a sink", t->name);
  else if (!t->spec->bounded || strcmp(t->connector, "single_file") != 0)
    why = cx_printf(cx, "'%s' is an unbounded source (connector '%s')", t->name, t->connector);
  else if (t->updating) why = cx_printf(cx, "'%s' is an updating (debezium_json) source", t->name);
  if (why)
    diag_error(cx, f->line, f->col,
               "FOR SYSTEM_TIME AS OF needs a bounded, append-only table (a single_file source "
               "with format 'json') on the right of a lookup join, but %s", why);
}

Plan *lookup_bind(Cx *cx, Plan *left, const char *lqual, Table *t, FromItem *f) {
  check_table(cx, t, f);
  if (f->join != J_INNER && f->join != J_LEFT)
    diag_error(cx, f->join_line, f->join_col,
               "a lookup join (FOR SYSTEM_TIME AS OF) is INNER or LEFT, not %s",
               f->join == J_RIGHT ? "RIGHT" : "FULL");
  /* AS OF: a time over the left side; the table has one version, so it selects nothing */
  Scope lsc = { left, lqual, NULL };
  BExpr *as_of = bind_expr(cx, &lsc, f->as_of);
  if (as_of->t.kind != RT_TIMESTAMP)
    diag_error(cx, f->as_of->line, f->as_of->col,
               "FOR SYSTEM_TIME AS OF takes a TIMESTAMP, not %s", type_name(as_of->t));

  int nl = left->ncols, nr = t->ncols;
  const char *rqual = f->alias ? f->alias : t->name;
  Plan *j = plan_new(cx, P_LOOKUP, nl + nr);
  j->join = f->join;
  j->table = t;
  j->updating = left->updating;
  j->lookup_slot = cx->cat->nlookups++;
  for (int i = 0; i < nl; i++) {
    j->cols[i] = left->cols[i];
    if (lqual) j->cols[i].qual = lqual;
  }
  for (int i = 0; i < nr; i++) {
    j->cols[nl + i].name = t->cols[i].name;
    j->cols[nl + i].t = t->cols[i].t;
    j->cols[nl + i].nullable = t->cols[i].nullable || f->join == J_LEFT;
    j->cols[nl + i].qual = rqual;
  }
  plan_add_input(cx, j, left);
  t->used = t->used ? t->used : 1;

  BExpr **conj;
  join_bind_on(cx, j, f->on, nl, 1, &conj);
  if (j->nkeys == 0)
    diag_error(cx, f->on->line, f->on->col,
               "a lookup join needs at least one equality between a left-side expression and a "
               "column of '%s' in ON (the table is probed by key)", t->name);
  return j;
}
