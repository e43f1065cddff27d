/*
** compiler/plan.c: the logical plan DAG: node construction, parent links, source port
** assignment, and the EXPLAIN text (also embedded at the top of the generated C).
** Plans are DAGs because a view or memory table read twice is one shared node; code
** generation walks from each source scan up through parents[] (produce/consume).
*/
#include <string.h>
#include "compiler.h"

Plan *plan_new(Cx *cx, PlanKind kind, int ncols) {
  Plan *p = cx_alloc(cx, sizeof *p);
  p->kind = kind;
  p->id = ++cx->cat->next_plan_id;
  p->ncols = ncols;
  p->cols = cx_alloc(cx, sizeof(PCol) * (size_t)(ncols ? ncols : 1));
  return p;
}

void plan_add_input(Cx *cx, Plan *p, Plan *in) {
  Plan **n = cx_alloc(cx, sizeof(Plan *) * (size_t)(p->ninputs + 1));
  if (p->ninputs) memcpy(n, p->inputs, sizeof(Plan *) * (size_t)p->ninputs);
  n[p->ninputs++] = in;
  p->inputs = n;
}

static void add_parent(Cx *cx, Plan *child, Plan *parent) {
  for (int i = 0; i < child->nparents; i++) if (child->parents[i] == parent) return;
  if (child->nparents == child->parents_cap) {
    child->parents_cap = child->parents_cap ? child->parents_cap * 2 : 2;
    Plan **n = cx_alloc(cx, sizeof(Plan *) * (size_t)child->parents_cap);
    if (child->nparents) memcpy(n, child->parents, sizeof(Plan *) * (size_t)child->nparents);
    child->parents = n;
  }
  child->parents[child->nparents++] = parent;
}

static void link(Cx *cx, Plan *p, char *visited) {
  if (visited[p->id]) return;
  visited[p->id] = 1;
  if (p->kind == P_SCAN) p->table->used = 2;    /* 2: reachable from a sink */
  for (int i = 0; i < p->ninputs; i++) {
    add_parent(cx, p->inputs[i], p);
    link(cx, p->inputs[i], visited);
  }
}

void plan_link_parents(Cx *cx) {
  Catalog *cat = cx->cat;
  char *visited = cx_alloc(cx, (size_t)cat->next_plan_id + 1);
  for (int i = 0; i < cat->nsink_plans; i++) link(cx, cat->sink_plans[i], visited);
  /* Ports in declaration order, only for sources some sink depends on. */
  for (int i = 0; i < cat->ntables; i++) {
    Table *t = cat->tables[i];
    if (t->kind != TB_SOURCE || t->used != 2) continue;
    t->port = cat->nsources;
    Table **n = cx_alloc(cx, sizeof(Table *) * (size_t)(cat->nsources + 1));
    if (cat->nsources) memcpy(n, cat->sources, sizeof(Table *) * (size_t)cat->nsources);
    n[cat->nsources++] = t;
    cat->sources = n;
  }
}

const Plan *plan_copied_from(const Plan *p, int *c) {
  while (p->kind == P_PROJECT && p->exprs[*c]->kind == B_COL) {
    *c = p->exprs[*c]->colidx;
    p = p->inputs[0];
  }
  return p;
}

int plan_same_column(const Plan *a, int ca, const Plan *b, int cb) {
  const Plan *x = plan_copied_from(a, &ca), *y = plan_copied_from(b, &cb);
  return x == y && ca == cb;
}

/* ---- expression text ----------------------------------------------------------------- */
static const char *op_text(OpKind op) {
  switch (op) {
    case OP_ADD: return "+"; case OP_SUB: return "-"; case OP_MUL: return "*";
    case OP_DIV: return "/"; case OP_MOD: return "%"; case OP_CONCAT: return "||";
    case OP_EQ: return "="; case OP_NE: return "<>"; case OP_LT: return "<";
    case OP_LE: return "<="; case OP_GT: return ">"; case OP_GE: return ">=";
    case OP_AND: return "AND"; case OP_OR: return "OR"; case OP_NOT: return "NOT";
    case OP_NEG: return "-"; default: return "?";
  }
}

static void render(Buf *b, const BExpr *e) {
  switch (e->kind) {
    case B_LIT:
      if (e->is_null) { buf_puts(b, "NULL"); break; }
      switch (e->t.kind) {
        case RT_BOOL: buf_puts(b, e->ival ? "true" : "false"); break;
        case RT_TEXT: case RT_JSON: case RT_BYTEA:
          buf_putc(b, '\'');
          for (int i = 0; i < e->slen; i++) {
            if (e->sval[i] == '\'') buf_putc(b, '\'');
            buf_putc(b, e->sval[i]);
          }
          buf_putc(b, '\'');
          break;
        case RT_F32: case RT_F64:
          if (e->sval) buf_puts(b, e->sval); else buf_printf(b, "%.17g", e->fval);
          break;
        case RT_U64: buf_printf(b, "%llu", (unsigned long long)e->uval); break;
        case T_INTERVAL: buf_printf(b, "INTERVAL '%s'", e->sval ? e->sval : "?"); break;
        case RT_TIMESTAMP: buf_printf(b, "TIMESTAMP '%s'", e->sval ? e->sval : "?"); break;
        default: buf_printf(b, "%lld", (long long)e->ival); break;
      }
      break;
    case B_COL: buf_puts(b, e->text ? e->text : "?"); break;
    case B_OP:
      if (e->nargs == 1) {
        buf_puts(b, op_text(e->op));
        buf_puts(b, e->op == OP_NOT ? " " : "");
        render(b, e->args[0]);
      } else {
        buf_putc(b, '(');
        render(b, e->args[0]);
        buf_printf(b, " %s ", op_text(e->op));
        render(b, e->args[1]);
        buf_putc(b, ')');
      }
      break;
    case B_CALL: case B_UDF:
      buf_puts(b, e->kind == B_UDF ? e->udf->name : fn_info(e->fn)->name);
      buf_putc(b, '(');
      for (int i = 0; i < e->nargs; i++) {
        if (i) buf_puts(b, ", ");
        if (e->args[i]) render(b, e->args[i]);
      }
      buf_putc(b, ')');
      break;
    case B_CAST:
      buf_puts(b, "CAST(");
      render(b, e->args[0]);
      buf_printf(b, " AS %s)", type_name(e->t));
      break;
    case B_CASE:
      buf_puts(b, "CASE");
      for (int i = 0; i < e->nargs; i += 2) {
        buf_puts(b, " WHEN ");
        render(b, e->args[i]);
        buf_puts(b, " THEN ");
        render(b, e->args[i + 1]);
      }
      if (e->else_) { buf_puts(b, " ELSE "); render(b, e->else_); }
      buf_puts(b, " END");
      break;
    case B_ISNULL:
      render(b, e->args[0]);
      buf_puts(b, e->negate ? " IS NOT NULL" : " IS NULL");
      break;
    case B_ISTRUE:
      render(b, e->args[0]);
      buf_printf(b, " IS %s%s", e->negate ? "NOT " : "", e->istrue_value ? "TRUE" : "FALSE");
      break;
    case B_DISTINCT:
      render(b, e->args[0]);
      buf_puts(b, e->negate ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ");
      render(b, e->args[1]);
      break;
    case B_IN:
      render(b, e->args[0]);
      buf_puts(b, e->negate ? " NOT IN (" : " IN (");
      for (int i = 1; i < e->nargs; i++) {
        if (i > 1) buf_puts(b, ", ");
        render(b, e->args[i]);
      }
      buf_putc(b, ')');
      break;
    case B_FIELD:
      if (e->args[0]->t.kind == RT_STRUCT) { buf_puts(b, e->text ? e->text : "?"); break; }
      render(b, e->args[0]);
      buf_puts(b, e->field ? ".end" : ".start");
      break;
    case B_LIKE:
      render(b, e->args[0]);
      buf_printf(b, " %s%s ", e->negate ? "NOT " : "", e->ci ? "ILIKE" : "LIKE");
      render(b, e->args[1]);
      break;
  }
}

char *bexpr_text(Cx *cx, const BExpr *e) {
  Buf b = {0};
  render(&b, e);
  char *s = cx_strndup(cx, b.p ? b.p : "", b.len);
  buf_free(&b);
  return s;
}

/* ---- EXPLAIN ------------------------------------------------------------------------ */
/* ns as "10s", "250ms", "100us" or "7ns": the largest of those units that divides it */
static const char *duration_text(Cx *cx, int64_t ns) {
  if (ns % 1000000000LL == 0) return cx_printf(cx, "%llds", (long long)(ns / 1000000000LL));
  if (ns % 1000000LL == 0) return cx_printf(cx, "%lldms", (long long)(ns / 1000000LL));
  if (ns % 1000LL == 0) return cx_printf(cx, "%lldus", (long long)(ns / 1000LL));
  return cx_printf(cx, "%lldns", (long long)ns);
}

static void explain_node(Cx *cx, Buf *b, Plan *p, int depth) {
  for (int i = 0; i < depth; i++) buf_puts(b, "  ");
  switch (p->kind) {
    case P_SCAN: {
      const char *fmt = NULL;
      for (int i = 0; i < p->table->nopts; i++)
        if (!strcmp(p->table->opts[i].key, "format")) fmt = p->table->opts[i].value;
      buf_printf(b, "[n%d] scan %s (%s%s%s)%s", p->id, p->table->name, p->table->connector,
                 fmt ? ", " : "", fmt ? fmt : "", p->updating ? " updating" : "");
      break;
    }
    case P_FILTER: buf_printf(b, "[n%d] filter %s", p->id, bexpr_text(cx, p->pred)); break;
    case P_PROJECT:
      buf_printf(b, "[n%d] project ", p->id);
      for (int i = 0; i < p->ncols; i++) {
        const char *t = bexpr_text(cx, p->exprs[i]);
        buf_printf(b, "%s%s", i ? ", " : "", t);
        if (strcmp(t, p->cols[i].name) != 0) buf_printf(b, " AS %s", p->cols[i].name);
      }
      break;
    case P_UNION: buf_printf(b, "[n%d] union all", p->id); break;
    case P_UNNEST:
      buf_printf(b, "[n%d] unnest %s", p->id, bexpr_text(cx, p->exprs[0]));
      break;
    case P_JOIN: {
      static const char *const jn[] = { "", "inner", "left", "right", "full" };
      buf_printf(b, "[n%d] %s %s join on ", p->id, p->lwin >= 0 ? "windowed" : p->interval ? "interval" : p->tbound ? "time-bounded" : "updating",
                 jn[p->join]);
      for (int i = 0; i < p->nkeys; i++)
        buf_printf(b, "%s%s = %s", i ? " AND " : "", bexpr_text(cx, p->exprs[i]), bexpr_text(cx, p->rkeys[i]));
      if (p->pred) buf_printf(b, " AND %s", bexpr_text(cx, p->pred));
      if (p->interval)
        buf_printf(b, " (right time - left time in [%s, %s])", duration_text(cx, p->ilo), duration_text(cx, p->ihi));
      if (p->interval && p->logside >= 0)
        buf_printf(b, " (%s rows kept as a log: the %s side has at most one row per window)",
                   p->logside ? "right" : "left", p->logside ? "left" : "right");
      if (p->tbound)
        buf_printf(b, " (%s rows expire %s)", p->tside ? "right" : "left",
                   p->tlo_etcol >= 0 ? "by the watermark" : "by the updating TTL");
      break;
    }
    case P_MAXFILTER:
      buf_printf(b, "[n%d] rows equal to their window's %s(%s) (maxfilter: replaces the windowed inner join on %s)",
                 p->id, p->mf_min ? "min" : "max", p->inputs[0]->cols[p->mf_col].name, p->label);
      break;
    case P_ARGMAX: {
      const ArgmaxInfo *x = p->amx;
      buf_printf(b, "[n%d] rows equal to their window's %s (argmax join: replaces the interval join with [n%d] "
                 "tumble(%s)): window end - %s in [%s, %s]", p->id, x->agg_text, x->agg_id, duration_text(cx, x->width),
                 p->cols[x->doff + x->tcol].name, duration_text(cx, x->lo), duration_text(cx, x->hi));
      break;
    }
    case P_LOOKUP:
      buf_printf(b, "[n%d] lookup %s join %s (%s, read whole) on ", p->id,
                 p->join == J_LEFT ? "left" : "inner", p->table->name, p->table->connector);
      for (int i = 0; i < p->nkeys; i++)
        buf_printf(b, "%s%s = %s", i ? " AND " : "", bexpr_text(cx, p->exprs[i]), bexpr_text(cx, p->rkeys[i]));
      if (p->pred) buf_printf(b, " AND %s", bexpr_text(cx, p->pred));
      break;
    case P_TOPN:
      buf_printf(b, "[n%d] row_number() over (partition by ", p->id);
      for (int i = 0; i < p->nkeys; i++) buf_printf(b, "%s%s", i ? ", " : "", bexpr_text(cx, p->exprs[i]));
      if (p->norder) buf_puts(b, " order by ");
      for (int i = 0; i < p->norder; i++)
        buf_printf(b, "%s%s%s", i ? ", " : "", bexpr_text(cx, p->order[i]), p->order_desc[i] ? " desc" : "");
      buf_puts(b, ")");
      break;
    case P_OVER:
      buf_printf(b, "[n%d] ", p->id);
      for (int i = 0; i < p->naggs; i++)
        buf_printf(b, "%s%s(%s)", i ? ", " : "", p->aggs[i].text,
                   p->aggs[i].nargs ? bexpr_text(cx, p->aggs[i].args[0]) : "*");
      buf_puts(b, " over (partition by ");
      for (int i = 0; i < p->nkeys; i++) buf_printf(b, "%s%s", i ? ", " : "", bexpr_text(cx, p->exprs[i]));
      buf_puts(b, " order by ");
      for (int i = 0; i < p->norder; i++)
        buf_printf(b, "%s%s%s", i ? ", " : "", bexpr_text(cx, p->order[i]), p->order_desc[i] ? " desc" : "");
      if (p->frame_preceding < 0) buf_puts(b, " rows between unbounded preceding and current row)");
      else buf_printf(b, " rows between %lld preceding and current row)", (long long)p->frame_preceding);
      break;
    case P_AGGREGATE: {
      static const char *const wk[] = { "", "tumble", "hop", "session", "input-window" };
      buf_printf(b, "[n%d] %s aggregate", p->id, p->win.kind == W_NONE ? "updating" : wk[p->win.kind]);
      if (p->win.kind == W_TUMBLE) buf_printf(b, "(%s)", duration_text(cx, p->win.width));
      if (p->win.kind == W_HOP)
        buf_printf(b, "(slide %s, width %s)", duration_text(cx, p->win.slide), duration_text(cx, p->win.width));
      if (p->win.kind == W_SESSION) buf_printf(b, "(gap %s)", duration_text(cx, p->win.gap));
      buf_puts(b, " by ");
      for (int i = 0; i < p->nkeys; i++) buf_printf(b, "%s%s", i ? ", " : "", bexpr_text(cx, p->exprs[i]));
      if (p->nkeys == 0) buf_puts(b, "()");
      buf_puts(b, ":");
      for (int i = 0; i < p->naggs; i++) {
        AggCall *a = &p->aggs[i];
        buf_printf(b, "%s %s(%s", i ? "," : "", agg_name(a->fn), a->distinct ? "DISTINCT " : "");
        for (int k = 0; k < a->nargs; k++) buf_printf(b, "%s%s", k ? ", " : "", bexpr_text(cx, a->args[k]));
        if (a->fn == A_COUNT_STAR) buf_putc(b, '*');
        buf_putc(b, ')');
        if (a->filter) buf_printf(b, " FILTER (WHERE %s)", bexpr_text(cx, a->filter));
      }
      break;
    }
    case P_MEMORY: buf_printf(b, "[n%d] memory table %s (union of its inserts)", p->id, p->table->name); break;
    case P_SINK: {
      const char *fmt = NULL;
      for (int i = 0; i < p->table->nopts; i++)
        if (!strcmp(p->table->opts[i].key, "format")) fmt = p->table->opts[i].value;
      buf_printf(b, "[n%d] sink %s (%s%s%s) port %d", p->id, p->table->name, p->table->connector,
                 fmt ? ", " : "", fmt ? fmt : "", p->table->port);
      for (int i = 0; i < p->ncols; i++) {
        const char *t = bexpr_text(cx, p->exprs[i]);
        buf_printf(b, "%s%s", i ? ", " : ": ", t);
        if (strcmp(t, p->cols[i].name) != 0) buf_printf(b, " AS %s", p->cols[i].name);
      }
      break;
    }
  }
  buf_putc(b, '\n');
  for (int i = 0; i < p->ninputs; i++) explain_node(cx, b, p->inputs[i], depth + 1);
}

char *plan_explain(Cx *cx) {
  Buf b = {0};
  Catalog *cat = cx->cat;
  for (int i = 0; i < cat->nsink_plans; i++) explain_node(cx, &b, cat->sink_plans[i], 0);
  char *s = cx_strndup(cx, b.p ? b.p : "", b.len);
  buf_free(&b);
  return s;
}
