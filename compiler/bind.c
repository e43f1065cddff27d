/*
** compiler/bind.c: the binder. Walks the parsed script in order and builds
**   - the catalog: tables (sources, sinks, memory tables), views, UDFs, settings,
**   - the logical plan: a DAG of Plan nodes (scan, filter, project, union, memory, sink)
**     with bound, typed expressions (BExpr),
** checking every name, type and connector option, with line:col diagnostics.
** Views and memory tables are inlined: a view's plan node is shared by every query that
** reads it; a memory table becomes the union of everything inserted into it.
** Not here: builtin function typing (funcs.c), EXPLAIN text (plan.c), C emission (codegen/).
*/
#include <stdlib.h>
#include <string.h>
#include "compiler.h"

static Plan *bind_query(Cx *cx, Select *s);

/* ---- catalog ------------------------------------------------------------------------ */
static Table *find_table(Cx *cx, const char *name) {
  Catalog *cat = cx->cat;
  for (int i = 0; i < cat->ntables; i++)
    if (strcmp(cat->tables[i]->name, name) == 0) return cat->tables[i];
  return NULL;
}

static void add_table(Cx *cx, Table *t) {
  Catalog *cat = cx->cat;
  if (cat->ntables == cat->cap) {
    cat->cap = cat->cap ? cat->cap * 2 : 16;
    Table **n = cx_alloc(cx, sizeof(Table *) * (size_t)cat->cap);
    if (cat->ntables) memcpy(n, cat->tables, sizeof(Table *) * (size_t)cat->ntables);
    cat->tables = n;
  }
  cat->tables[cat->ntables++] = t;
}

static const char *opt_value(Table *t, const char *key) {
  for (int i = 0; i < t->nopts; i++)
    if (strcmp(t->opts[i].key, key) == 0) return t->opts[i].value;
  return NULL;
}
static OptionDef *opt_def(Table *t, const char *key) {
  for (int i = 0; i < t->nopts; i++)
    if (strcmp(t->opts[i].key, key) == 0) return &t->opts[i];
  return NULL;
}

static int column_index(Table *t, const char *name) {
  for (int i = 0; i < t->ncols; i++) if (strcmp(t->cols[i].name, name) == 0) return i;
  return -1;
}

/* Columns a connector supplies when the table declares none (e.g. impulse). */
static void default_columns(Cx *cx, Table *t, const char *sql, int line, int col) {
  char *text = cx_printf(cx, "CREATE TABLE x (%s)", sql);
  Script *s = parse_script(cx, text, strlen(text));
  Stmt *st = &s->stmts[0];
  t->ncols = st->ncols;
  t->cols = cx_alloc(cx, sizeof(Column) * (size_t)st->ncols);
  for (int i = 0; i < st->ncols; i++) {
    t->cols[i].name = st->cols[i].name;
    t->cols[i].t = st->cols[i].type.t;
    t->cols[i].nullable = !st->cols[i].not_null;
  }
  (void)line; (void)col;
}

static void check_options(Cx *cx, Table *t, Stmt *st) {
  for (int i = 0; i < t->nopts; i++) {
    OptionDef *o = &t->opts[i];
    for (int j = 0; j < i; j++)
      if (strcmp(t->opts[j].key, o->key) == 0)
        diag_error(cx, o->line, o->col, "option '%s' is given twice", o->key);
    int ok = conn_is_common_option(o->key);
    for (int k = 0; !ok && t->spec->options[k]; k++)
      if (strcmp(t->spec->options[k], o->key) == 0) ok = 1;
    if (!ok)
      diag_error(cx, o->line, o->col, "unknown option '%s' for connector '%s'", o->key,
                 t->spec->name);
    if (!t->spec->needs_format &&
        (!strcmp(o->key, "format") || !strncmp(o->key, "json.", 5) || !strcmp(o->key, "bad_data")))
      diag_error(cx, o->line, o->col, "connector '%s' does not take option '%s'",
                 t->spec->name, o->key);
    const char *const *vals = conn_option_values(o->key);
    if (vals) {
      int found = 0;
      for (int k = 0; vals[k]; k++) if (strcmp(vals[k], o->value) == 0) found = 1;
      if (!found) {
        Buf b = {0};
        for (int k = 0; vals[k]; k++) buf_printf(&b, "%s'%s'", k ? ", " : "", vals[k]);
        char *msg = cx_strndup(cx, buf_cstr(&b), b.len);
        buf_free(&b);
        diag_error(cx, o->line, o->col, "invalid value '%s' for option '%s' (expected one of %s)",
                   o->value, o->key, msg);
      }
    }
  }
  for (int k = 0; t->spec->required[k]; k++)
    if (!opt_value(t, t->spec->required[k]))
      diag_error(cx, st->line, st->col, "table '%s': connector '%s' requires option '%s'",
                 t->name, t->spec->name, t->spec->required[k]);
}

/* Sort options by key so the descriptor is deterministic and lookups can bisect. */
static int cmp_opt(const void *a, const void *b) {
  return strcmp(((const OptionDef *)a)->key, ((const OptionDef *)b)->key);
}

static void bind_create_table(Cx *cx, Stmt *st) {
  if (find_table(cx, st->name))
    diag_error(cx, st->line, st->col, "table '%s' is already defined", st->name);
  Table *t = cx_alloc(cx, sizeof *t);
  t->name = st->name;
  t->line = st->line;
  t->col = st->col;
  t->stmt = st;
  t->opts = st->opts;
  t->nopts = st->nopts;
  t->port = -1;
  t->event_time_col = -1;
  t->declared_columns = st->declared_columns && st->ncols > 0;
  t->ncols = st->ncols;
  t->cols = cx_alloc(cx, sizeof(Column) * (size_t)(st->ncols ? st->ncols : 1));
  for (int i = 0; i < st->ncols; i++) {
    ColumnDef *cd = &st->cols[i];
    for (int j = 0; j < i; j++)
      if (strcmp(st->cols[j].name, cd->name) == 0)
        diag_error(cx, cd->line, cd->col, "column '%s' is declared twice", cd->name);
    t->cols[i].name = cd->name;
    t->cols[i].t = cd->type.t;
    t->cols[i].nullable = !cd->not_null && !cd->primary_key;
    t->cols[i].pk = cd->primary_key;
    t->cols[i].generated = cd->generated;
  }
  for (int i = 0; i < st->npk; i++) {
    int ci = column_index(t, st->pk[i]);
    if (ci < 0) diag_error(cx, st->line, st->col, "PRIMARY KEY names unknown column '%s'", st->pk[i]);
    t->cols[ci].pk = 1;
    t->cols[ci].nullable = 0;
  }
  OptionDef *conn = opt_def(t, "connector");
  if (!conn) {
    if (t->nopts > 0)
      diag_error(cx, t->opts[0].line, t->opts[0].col,
                 "table '%s' has options but no connector (a memory table takes no WITH options)",
                 t->name);
    if (!t->declared_columns)
      diag_error(cx, st->line, st->col, "memory table '%s' must declare its columns", t->name);
    t->kind = TB_MEMORY;
    add_table(cx, t);
    return;
  }
  t->connector = conn->value;
  t->spec = conn_lookup(conn->value);
  if (!t->spec) diag_error(cx, conn->line, conn->col, "unknown connector '%s'", conn->value);
  check_options(cx, t, st);
  const char *type = opt_value(t, "type");
  if (type) {
    int want = strcmp(type, "source") == 0 ? CONN_SOURCE : CONN_SINK;
    if (!(t->spec->roles & want)) {
      OptionDef *o = opt_def(t, "type");
      diag_error(cx, o->line, o->col, "connector '%s' cannot be a %s", t->spec->name, type);
    }
    t->kind = want == CONN_SOURCE ? TB_SOURCE : TB_SINK;
  } else if (t->spec->roles == CONN_SOURCE) t->kind = TB_SOURCE;
  else if (t->spec->roles == CONN_SINK) t->kind = TB_SINK;
  else diag_error(cx, conn->line, conn->col,
                  "table '%s': connector '%s' needs type = 'source' or type = 'sink'",
                  t->name, t->spec->name);
  const char *fmt = opt_value(t, "format");
  if (t->spec->needs_format && !fmt) fmt = "json";
  int debezium = fmt && strcmp(fmt, "debezium_json") == 0;
  const char *unstructured = opt_value(t, "json.unstructured");
  if (unstructured && strcmp(unstructured, "true") == 0) {
    if (!t->declared_columns) {
      t->ncols = 1;
      t->cols[0].name = "value";
      t->cols[0].t = type_make(RT_JSON);
      t->cols[0].nullable = 0;
      t->declared_columns = 1;
    } else if (t->ncols != 1 || t->cols[0].t.kind != RT_JSON)
      diag_error(cx, st->line, st->col,
                 "table '%s': with 'json.unstructured' = 'true' the table has exactly one JSON column",
                 t->name);
  }
  if (!t->declared_columns && t->spec->default_columns)
    default_columns(cx, t, t->spec->default_columns, st->line, st->col);
  if (t->kind == TB_SOURCE) {
    if (t->ncols == 0)
      diag_error(cx, st->line, st->col, "source table '%s' must declare its columns", t->name);
    for (int i = 0; i < t->ncols && t->spec->needs_format; i++)
      if (t->cols[i].t.kind == RT_STRUCT)
        diag_error(cx, st->line, st->col, "table '%s': STRUCT column '%s' in a %s source is not supported yet",
                   t->name, t->cols[i].name, fmt ? fmt : "json");
    if (debezium) {
      int haspk = 0;
      for (int i = 0; i < t->ncols; i++) haspk |= t->cols[i].pk;
      if (!haspk)
        diag_error(cx, st->line, st->col,
                   "debezium_json source '%s' needs a PRIMARY KEY", t->name);
      t->updating = 1;
    }
    const char *etf = opt_value(t, "event_time_field");
    const char *wm = st->wm_col;
    if (etf && wm && strcmp(etf, wm) != 0)
      diag_error(cx, st->wm_line, st->wm_col_pos,
                 "event_time_field '%s' and WATERMARK FOR '%s' disagree", etf, wm);
    const char *etcol = wm ? wm : etf;
    if (etcol) {
      int ci = column_index(t, etcol);
      int line = wm ? st->wm_line : opt_def(t, "event_time_field")->line;
      int col = wm ? st->wm_col_pos : opt_def(t, "event_time_field")->col;
      if (ci < 0) diag_error(cx, line, col, "event time column '%s' is not a column of '%s'",
                             etcol, t->name);
      if (t->cols[ci].t.kind != RT_TIMESTAMP)
        diag_error(cx, line, col, "event time column '%s' must be TIMESTAMP, not %s", etcol,
                   type_name(t->cols[ci].t));
      t->event_time_col = ci;
    }
  } else {
    if (st->wm_col)
      diag_error(cx, st->wm_line, st->wm_col_pos, "a sink table cannot declare a WATERMARK");
    t->updating = debezium;
    for (int i = 0; i < t->ncols; i++)
      if (t->cols[i].generated)
        diag_error(cx, st->cols[i].line, st->cols[i].col,
                   "generated column '%s' is only allowed in a source table", t->cols[i].name);
  }
  if (t->nopts > 1) qsort(t->opts, (size_t)t->nopts, sizeof(OptionDef), cmp_opt);
  add_table(cx, t);

  /* Generated columns are bound over the table's own columns (non-generated ones). */
  if (t->kind == TB_SOURCE) {
    Plan *fake = plan_new(cx, P_SCAN, t->ncols);
    fake->id = 0;
    cx->cat->next_plan_id--;
    for (int i = 0; i < t->ncols; i++) {
      fake->cols[i].name = t->cols[i].generated ? "" : t->cols[i].name;
      fake->cols[i].t = t->cols[i].t;
      fake->cols[i].nullable = t->cols[i].nullable;
    }
    Scope sc = { fake, t->name, NULL };
    for (int i = 0; i < t->ncols; i++) {
      if (!t->cols[i].generated) continue;
      BExpr *b = bind_expr(cx, &sc, t->cols[i].generated);
      t->cols[i].gen_bound = bind_cast(cx, b, t->cols[i].t, st->cols[i].line, st->cols[i].col, 0);
      t->cols[i].nullable = t->cols[i].gen_bound->nullable;
    }
    /* WATERMARK FOR col AS expr: the watermark candidate of each row (generated columns may
    ** be used: bind over all columns) */
    if (st->wm_expr) {
      for (int i = 0; i < t->ncols; i++) fake->cols[i].name = t->cols[i].name;
      BExpr *w = bind_expr(cx, &sc, st->wm_expr);
      if (w->t.kind != RT_TIMESTAMP)
        diag_error(cx, st->wm_expr->line, st->wm_expr->col,
                   "the WATERMARK expression must be a TIMESTAMP, not %s", type_name(w->t));
      t->wm_bound = w;
    } else if (st->wm_col) {
      /* WATERMARK FOR col: zero delay, the event time itself */
      BExpr *w = bnew(cx, B_COL, NULL);
      w->colidx = t->event_time_col;
      w->t = type_make(RT_TIMESTAMP);
      w->nullable = t->cols[t->event_time_col].nullable;
      w->text = t->cols[t->event_time_col].name;
      t->wm_bound = w;
    }
  }
}

/* ---- scopes and plans ------------------------------------------------------------- */
static Plan *scan_plan(Cx *cx, Table *t) {
  t->used = 1;
  if (t->scan) return t->scan;   /* one node per source: identical subtrees over it can be shared */
  Plan *p = t->scan = plan_new(cx, P_SCAN, t->ncols);
  p->table = t;
  p->updating = t->updating;
  for (int i = 0; i < t->ncols; i++) {
    p->cols[i].name = t->cols[i].name;
    p->cols[i].t = t->cols[i].t;
    p->cols[i].nullable = t->cols[i].nullable;
  }
  t->used = 1;
  return p;
}

static Plan *memory_plan(Cx *cx, Table *t) {
  if (!t->mem_union) {
    Plan *p = plan_new(cx, P_MEMORY, t->ncols);
    p->table = t;
    for (int i = 0; i < t->ncols; i++) {
      p->cols[i].name = t->cols[i].name;
      p->cols[i].t = t->cols[i].t;
      p->cols[i].nullable = t->cols[i].nullable;
    }
    t->mem_union = p;
  }
  t->used = 1;
  return t->mem_union;
}

static Plan *bind_from(Cx *cx, FromItem *f, const char **qual) {
  if (f->sub) {
    *qual = f->alias;
    return bind_query(cx, f->sub);
  }
  Table *t = find_table(cx, f->table);
  if (!t) diag_error(cx, f->line, f->col, "unknown table '%s'", f->table);
  *qual = f->alias ? f->alias : t->name;
  switch (t->kind) {
    case TB_SOURCE: return scan_plan(cx, t);
    case TB_VIEW: return t->view;
    case TB_MEMORY: return memory_plan(cx, t);
    case TB_SINK:
      diag_error(cx, f->line, f->col, "table '%s' is a sink (type = 'sink') and cannot be read",
                 t->name);
  }
  return NULL;
}

/* Columns carry the alias of the table they come from (PCol.qual) once joined; a scope over a
** single FROM item has sc->qual instead. */
static int join_scope(Scope *sc) {
  if (sc->qual) return 0;
  for (int i = 0; i < sc->input->ncols; i++) if (sc->input->cols[i].qual) return 1;
  return 0;
}

int resolve_column(Cx *cx, Scope *sc, Expr *e) {
  if (!sc || !sc->input)
    diag_error(cx, e->line, e->col, "unknown column '%s' (the query has no FROM)", e->name);
  if (join_scope(sc)) {
    int found = -1, qual_seen = 0;
    for (int i = 0; i < sc->input->ncols; i++) {
      PCol *c = &sc->input->cols[i];
      if (e->qual) {
        if (!c->qual || strcmp(c->qual, e->qual) != 0) continue;
        qual_seen = 1;
      }
      if (strcmp(c->name, e->name) == 0) {
        if (found >= 0)
          diag_error(cx, e->line, e->col, "column reference '%s' is ambiguous (qualify it with its table)",
                     e->name);
        found = i;
      }
    }
    if (found < 0) {
      if (e->qual && !qual_seen)
        diag_error(cx, e->line, e->col, "unknown table or alias '%s' in column reference '%s.%s'",
                   e->qual, e->qual, e->name);
      if (e->qual) diag_error(cx, e->line, e->col, "unknown column '%s.%s'", e->qual, e->name);
      diag_error(cx, e->line, e->col, "unknown column '%s'", e->name);
    }
    return found;
  }
  if (e->qual && (!sc->qual || strcmp(e->qual, sc->qual) != 0))
    diag_error(cx, e->line, e->col, "unknown table or alias '%s' in column reference '%s.%s'",
               e->qual, e->qual, e->name);
  int found = -1;
  for (int i = 0; i < sc->input->ncols; i++) {
    if (strcmp(sc->input->cols[i].name, e->name) == 0) {
      if (found >= 0)
        diag_error(cx, e->line, e->col, "column reference '%s' is ambiguous", e->name);
      found = i;
    }
  }
  if (found < 0) {
    if (e->qual) diag_error(cx, e->line, e->col, "unknown column '%s.%s'", e->qual, e->name);
    diag_error(cx, e->line, e->col, "unknown column '%s'", e->name);
  }
  return found;
}

/* ---- expressions ------------------------------------------------------------------ */
BExpr *bnew(Cx *cx, BExprKind k, Expr *src) {
  BExpr *b = cx_alloc(cx, sizeof *b);
  b->kind = k;
  if (src) { b->line = src->line; b->col = src->col; }
  return b;
}

static BExpr *blit_int(Cx *cx, Expr *src, int64_t v) {
  BExpr *b = bnew(cx, B_LIT, src);
  b->t = type_make(RT_I64);
  b->ival = v;
  return b;
}

static int int_lit_fits(const BExpr *e, SqlType t) {
  if (e->kind != B_LIT || e->is_null || !type_is_int(e->t)) return 0;
  if (e->t.kind == RT_U64) return t.kind == RT_U64;
  int64_t v = e->ival;
  switch (t.kind) {
    case RT_I32: return v >= INT32_MIN && v <= INT32_MAX;
    case RT_I64: return 1;
    case RT_U32: return v >= 0 && v <= (int64_t)UINT32_MAX;
    case RT_U64: return v >= 0;
    default: return 0;
  }
}

static int rank_int(int k) {
  return k == RT_I32 ? 1 : k == RT_U32 ? 2 : k == RT_I64 ? 3 : k == RT_U64 ? 4 : 0;
}

/* The type two numeric operands are brought to (DataFusion-style promotion). Integer
** literals adapt to the other side's type when they fit, so `u64col % 10` stays unsigned. */
static SqlType numeric_common(BExpr *a, BExpr *b) {
  SqlType x = a->t, y = b->t;
  if (x.kind == T_NULL) return y;
  if (y.kind == T_NULL) return x;
  if (type_is_int(x) && type_is_int(y)) {
    if (x.kind == y.kind) return x;
    if (int_lit_fits(b, x)) return x;
    if (int_lit_fits(a, y)) return y;
    int sx = type_is_signed_int(x), sy = type_is_signed_int(y);
    if (sx == sy) return rank_int(x.kind) > rank_int(y.kind) ? x : y;
    return type_make(RT_I64);   /* mixed signedness: signed 64-bit */
  }
  if (x.kind == RT_F32 && y.kind == RT_F32) return x;
  if (x.kind == RT_DECIMAL && type_eq(x, y)) return x;
  if (x.kind == RT_DECIMAL && type_is_int(y) && b->kind == B_LIT) return x;
  if (y.kind == RT_DECIMAL && type_is_int(x) && a->kind == B_LIT) return y;
  return type_make(RT_F64);
}

/* Common type for comparison, CASE branches, IN lists, UNION columns, COALESCE. Returns
** kind 0 when there is none. */
static SqlType common_type(BExpr *a, BExpr *b) {
  SqlType x = a->t, y = b->t;
  if (x.kind == T_NULL) return y;
  if (y.kind == T_NULL) return x;
  if (type_eq(x, y)) return x;
  if (type_is_numeric(x) && type_is_numeric(y)) return numeric_common(a, b);
  if (type_is_stringy(x) && type_is_stringy(y)) return type_make(RT_TEXT);
  if (x.kind == RT_TIMESTAMP && y.kind == RT_TEXT && b->kind == B_LIT) return x;
  if (y.kind == RT_TIMESTAMP && x.kind == RT_TEXT && a->kind == B_LIT) return y;
  return type_make(0);
}

static const char *op_sql(OpKind op) {
  switch (op) {
    case OP_ADD: return "+"; case OP_SUB: return "-"; case OP_MUL: return "*";
    case OP_DIV: return "/"; case OP_MOD: return "%"; case OP_CONCAT: return "||";
    case OP_EQ: return "="; case OP_NE: return "<>"; case OP_LT: return "<";
    case OP_LE: return "<="; case OP_GT: return ">"; case OP_GE: return ">=";
    case OP_AND: return "AND"; case OP_OR: return "OR"; case OP_NOT: return "NOT";
    case OP_NEG: return "-"; case OP_ARROW: return "->"; case OP_ARROW2: return "->>";
    default: return "?";
  }
}

static BExpr *bop(Cx *cx, Expr *src, OpKind op, SqlType t, BExpr *a, BExpr *b) {
  BExpr *e = bnew(cx, B_OP, src);
  e->op = op;
  e->t = t;
  e->nargs = b ? 2 : 1;
  e->args = cx_alloc(cx, sizeof(BExpr *) * 2);
  e->args[0] = a;
  e->args[1] = b;
  e->nullable = a->nullable || (b && b->nullable);
  return e;
}

static BExpr *require_bool(Cx *cx, BExpr *e, const char *what) {
  if (e->t.kind == T_NULL) return bind_cast(cx, e, type_make(RT_BOOL), e->line, e->col, 0);
  if (e->t.kind != RT_BOOL)
    diag_error(cx, e->line, e->col, "%s must be BOOLEAN, not %s", what, type_name(e->t));
  return e;
}

static BExpr *bind_compare(Cx *cx, Expr *src, OpKind op, BExpr *a, BExpr *b) {
  SqlType ct = common_type(a, b);
  if (ct.kind == 0 || ct.kind == T_INTERVAL || (a->t.kind == T_NULL && b->t.kind == T_NULL)) {
    if (a->t.kind == T_NULL && b->t.kind == T_NULL) ct = type_make(RT_BOOL);
    else
      diag_error(cx, src->line, src->col, "cannot compare %s with %s using '%s'",
                 type_name(a->t), type_name(b->t), op_sql(op));
  }
  a = bind_cast(cx, a, ct, a->line, a->col, 0);
  b = bind_cast(cx, b, ct, b->line, b->col, 0);
  return bop(cx, src, op, type_make(RT_BOOL), a, b);
}

static BExpr *bind_arith(Cx *cx, Expr *src, OpKind op, BExpr *a, BExpr *b) {
  SqlType x = a->t, y = b->t;
  if (x.kind == T_NULL && y.kind == T_NULL) {
    BExpr *n = bnew(cx, B_LIT, src);
    n->t = type_make(T_NULL); n->is_null = 1; n->nullable = 1;
    return n;
  }
  /* timestamp +/- interval, interval + timestamp */
  if ((x.kind == RT_TIMESTAMP && y.kind == T_INTERVAL && (op == OP_ADD || op == OP_SUB)) ||
      (x.kind == T_INTERVAL && y.kind == RT_TIMESTAMP && op == OP_ADD)) {
    if (x.kind == T_INTERVAL) { BExpr *t = a; a = b; b = t; }
    return bop(cx, src, op, type_make(RT_TIMESTAMP), a, b);
  }
  if (x.kind == RT_TIMESTAMP && y.kind == RT_TIMESTAMP && op == OP_SUB)
    return bop(cx, src, op, type_make(T_INTERVAL), a, b);
  if (x.kind == T_INTERVAL && y.kind == T_INTERVAL && (op == OP_ADD || op == OP_SUB))
    return bop(cx, src, op, x, a, b);
  if (x.kind == T_INTERVAL && type_is_int(y) && op == OP_MUL)
    return bop(cx, src, op, x, a, bind_cast(cx, b, type_make(RT_I64), b->line, b->col, 0));
  if (y.kind == T_INTERVAL && type_is_int(x) && op == OP_MUL)
    return bop(cx, src, op, y, b, bind_cast(cx, a, type_make(RT_I64), a->line, a->col, 0));
  if (!(type_is_numeric(x) || x.kind == T_NULL) || !(type_is_numeric(y) || y.kind == T_NULL))
    diag_error(cx, src->line, src->col, "cannot apply '%s' to %s and %s", op_sql(op),
               type_name(x), type_name(y));
  SqlType ct = numeric_common(a, b);
  if (ct.kind == RT_DECIMAL && op != OP_ADD && op != OP_SUB) ct = type_make(RT_F64);
  a = bind_cast(cx, a, ct, a->line, a->col, 0);
  b = bind_cast(cx, b, ct, b->line, b->col, 0);
  BExpr *e = bop(cx, src, op, ct, a, b);
  if ((op == OP_DIV || op == OP_MOD) && !type_is_float(ct)) e->nullable = a->nullable || b->nullable;
  return e;
}

static BExpr *text_arg(Cx *cx, BExpr *e) {
  if (e->t.kind == RT_TEXT) return e;
  return bind_cast(cx, e, type_make(RT_TEXT), e->line, e->col, 1);
}

static BExpr *bind_json_arrow(Cx *cx, Expr *src, BExpr *a, Expr *key) {
  if (a->t.kind != RT_JSON && a->t.kind != RT_TEXT)
    diag_error(cx, src->line, src->col, "operator '%s' needs a JSON or TEXT value on its left, not %s",
               op_sql(src->op), type_name(a->t));
  BExpr *k;
  if (key->kind == E_INT) k = blit_int(cx, key, key->ival);
  else if (key->kind == E_STRING) {
    k = bnew(cx, B_LIT, key);
    k->t = type_make(RT_TEXT);
    k->sval = key->sval;
    k->slen = key->slen;
  } else
    diag_error(cx, key->line, key->col,
               "the right side of '%s' must be a string key or an integer index literal",
               op_sql(src->op));
  BExpr *e = bnew(cx, B_CALL, src);
  e->fn = src->op == OP_ARROW ? F_JSON_GET : F_JSON_GET_TEXT;
  e->nargs = 2;
  e->args = cx_alloc(cx, sizeof(BExpr *) * 2);
  e->args[0] = a;
  e->args[1] = k;
  e->t = type_make(RT_TEXT);   /* both yield text: -> the JSON text of the value, ->> unquoted */
  e->nullable = src->op == OP_ARROW ? a->nullable : 1;
  return e;
}


static BExpr *bind_call(Cx *cx, Scope *sc, Expr *e) {
  if (agg_is_aggregate_name(e->name))
    diag_error(cx, e->line, e->col, "aggregate function '%s' is not allowed here", e->name);
  if (!strcmp(e->name, "tumble") || !strcmp(e->name, "hop") || !strcmp(e->name, "session"))
    diag_error(cx, e->line, e->col,
               "window function '%s' is only allowed in the select list and GROUP BY of an aggregating query",
               e->name);
  if (!strcmp(e->name, "unnest"))
    diag_error(cx, e->line, e->col, "unnest() is only allowed as a whole select-list item");
  if (!strcmp(e->name, "row_number"))
    diag_error(cx, e->line, e->col, "row_number() needs an OVER (PARTITION BY ...) clause");
  if (e->has_over)
    diag_error(cx, e->line, e->col, "window function calls (OVER) are not supported here");
  if (e->distinct || e->filter)
    diag_error(cx, e->line, e->col, "DISTINCT and FILTER apply only to aggregate functions");
  BExpr **args = cx_alloc(cx, sizeof(BExpr *) * (size_t)(e->nlist ? e->nlist : 1));
  for (int i = 0; i < e->nlist; i++) {
    if (e->list[i]->kind == E_STAR)
      diag_error(cx, e->list[i]->line, e->list[i]->col, "'*' is not allowed as an argument of %s",
                 e->name);
    args[i] = bind_expr(cx, sc, e->list[i]);
  }
  Catalog *cat = cx->cat;
  for (int u = 0; u < cat->nudfs; u++) {
    Udf *f = &cat->udfs[u];
    if (strcmp(f->name, e->name) != 0) continue;
    if (f->aggregate)
      diag_error(cx, e->line, e->col, "user-defined aggregate %s() is only allowed in an aggregating SELECT",
                 f->name);
    if (e->nlist != f->nargs)
      diag_error(cx, e->line, e->col, "function %s takes %d argument%s, got %d", f->name,
                 f->nargs, f->nargs == 1 ? "" : "s", e->nlist);
    BExpr *b = bnew(cx, B_UDF, e);
    b->udf = f;
    b->nargs = f->nargs;
    b->args = args;
    b->t = f->ret;
    b->nullable = f->nullable;
    for (int i = 0; i < f->nargs; i++) {
      SqlType at = args[i]->t;
      int ok = type_eq(at, f->args[i]) || at.kind == T_NULL ||
               (type_is_numeric(at) && type_is_numeric(f->args[i])) ||
               (type_is_stringy(at) && type_is_stringy(f->args[i]));
      if (!ok)
        diag_error(cx, args[i]->line, args[i]->col,
                   "argument %d of %s must be %s, not %s", i + 1, f->name,
                   type_name(f->args[i]), type_name(at));
      args[i] = bind_cast(cx, args[i], f->args[i], args[i]->line, args[i]->col, 0);
      b->nullable |= args[i]->nullable;
    }
    return b;
  }
  const FnInfo *fi = fn_lookup(e->name);
  if (!fi) diag_error(cx, e->line, e->col, "unknown function '%s'", e->name);
  if (e->nlist < fi->min_args || (fi->max_args >= 0 && e->nlist > fi->max_args)) {
    if (fi->min_args == fi->max_args)
      diag_error(cx, e->line, e->col, "function %s takes %d argument%s, got %d", fi->name,
                 fi->min_args, fi->min_args == 1 ? "" : "s", e->nlist);
    diag_error(cx, e->line, e->col, "function %s takes %d to %d arguments, got %d", fi->name,
               fi->min_args, fi->max_args < 0 ? 99 : fi->max_args, e->nlist);
  }
  BExpr *b = bnew(cx, B_CALL, e);
  b->fn = fi->id;
  b->args = args;
  b->nargs = e->nlist;
  fn_bind(cx, b, e);
  return b;
}

BExpr *bind_expr(Cx *cx, Scope *sc, Expr *e) {
  BExpr *b;
  if (sc && sc->agg && (b = agg_bind_special(cx, sc, e))) return b;
  switch (e->kind) {
    case E_INT:
      b = bnew(cx, B_LIT, e);
      b->t = type_make(e->is_u64 ? RT_U64 : RT_I64);
      b->ival = e->ival;
      b->uval = (uint64_t)e->ival;
      return b;
    case E_FLOAT:
      b = bnew(cx, B_LIT, e);
      b->t = type_make(RT_F64);
      b->fval = e->fval;
      b->sval = e->sval;
      return b;
    case E_STRING:
      b = bnew(cx, B_LIT, e);
      b->t = type_make(RT_TEXT);
      b->sval = e->sval;
      b->slen = e->slen;
      return b;
    case E_BOOL:
      b = bnew(cx, B_LIT, e);
      b->t = type_make(RT_BOOL);
      b->ival = e->ival;
      return b;
    case E_NULL:
      b = bnew(cx, B_LIT, e);
      b->t = type_make(T_NULL);
      b->is_null = 1;
      b->nullable = 1;
      return b;
    case E_INTERVAL:
      b = bnew(cx, B_LIT, e);
      b->t = type_make(T_INTERVAL);
      b->iv = e->iv;
      b->sval = e->sval;
      return b;
    case E_TYPED_LIT: {
      int64_t ns;
      if (ts_parse(e->sval, (size_t)e->slen, &ns) < 0)
        diag_error(cx, e->line, e->col, "invalid TIMESTAMP literal '%s'", e->sval);
      b = bnew(cx, B_LIT, e);
      b->t = type_make(RT_TIMESTAMP);
      b->ival = ns;
      b->sval = e->sval;
      return b;
    }
    case E_COLUMN: {
      /* s.f / t.s.f: a field of a STRUCT column s */
      {
        int sci = -1;
        const char *fname = NULL;
        if (e->field) {
          Expr col = *e;
          col.field = NULL;
          int ci = resolve_column(cx, sc, &col);
          if (sc->input->cols[ci].t.kind == RT_STRUCT) { sci = ci; fname = e->field; }
        } else if (e->qual && sc && sc->input) {
          int qual_is_table = sc->qual ? !strcmp(sc->qual, e->qual) : 0;
          for (int i = 0; i < sc->input->ncols && !qual_is_table; i++)
            if (sc->input->cols[i].qual && !strcmp(sc->input->cols[i].qual, e->qual)) qual_is_table = 1;
          if (!qual_is_table) {
            Expr col = *e;
            col.qual = NULL;
            col.name = e->qual;
            for (int i = 0; i < sc->input->ncols; i++)
              if (sc->input->cols[i].t.kind == RT_STRUCT && !strcmp(sc->input->cols[i].name, e->qual)) {
                sci = resolve_column(cx, sc, &col);
                fname = e->name;
                break;
              }
          }
        }
        if (sci >= 0) {
          SqlType st = sc->input->cols[sci].t;
          int fi = struct_field(cx, st, fname);
          if (fi < 0) diag_error(cx, e->line, e->col, "struct column '%s' has no field '%s'",
                                 sc->input->cols[sci].name, fname);
          StructField *f = &struct_def(cx, st)->fields[fi];
          BExpr *w = bnew(cx, B_COL, e);
          w->colidx = sci;
          w->t = st;
          w->nullable = sc->input->cols[sci].nullable;
          w->text = sc->input->cols[sci].name;
          b = bnew(cx, B_FIELD, e);
          b->field = fi;
          b->t = f->t;
          b->nullable = w->nullable || f->nullable;
          b->nargs = 1;
          b->args = cx_alloc(cx, sizeof(BExpr *));
          b->args[0] = w;
          b->text = cx_printf(cx, "%s.%s", w->text, fname);
          return b;
        }
      }
      /* t.w.start / t.w.end: a field of the window column t.w */
      if (e->field) {
        Expr col = *e;
        col.field = NULL;
        int ci = resolve_column(cx, sc, &col);
        if (sc->input->cols[ci].t.kind != T_WINDOW || (strcmp(e->field, "start") && strcmp(e->field, "end")))
          diag_error(cx, e->line, e->col, "'%s.%s' has no field '%s' (only window columns have start and end)",
                     e->qual, e->name, e->field);
        BExpr *w = bnew(cx, B_COL, e);
        w->colidx = ci;
        w->t = type_make(T_WINDOW);
        w->nullable = sc->input->cols[ci].nullable;
        w->text = cx_printf(cx, "%s.%s", e->qual, e->name);
        b = bnew(cx, B_FIELD, e);
        b->field = !strcmp(e->field, "end");
        b->t = type_make(RT_TIMESTAMP);
        b->nullable = w->nullable;
        b->nargs = 1;
        b->args = cx_alloc(cx, sizeof(BExpr *));
        b->args[0] = w;
        b->text = cx_printf(cx, "%s.%s.%s", e->qual, e->name, e->field);
        return b;
      }
      /* w.start / w.end where w is a WINDOW column of the input */
      if (e->qual && sc && sc->input && (!sc->qual || strcmp(e->qual, sc->qual) != 0) &&
          (!strcmp(e->name, "start") || !strcmp(e->name, "end"))) {
        int nwin = 0;
        for (int i = 0; i < sc->input->ncols; i++)
          if (sc->input->cols[i].t.kind == T_WINDOW && !strcmp(sc->input->cols[i].name, e->qual)) nwin++;
        if (nwin > 1)
          diag_error(cx, e->line, e->col, "'%s' is ambiguous: several inputs have a window column of that name; "
                     "qualify it (table.%s.%s)", e->qual, e->qual, e->name);
        for (int i = 0; i < sc->input->ncols; i++) {
          if (sc->input->cols[i].t.kind != T_WINDOW || strcmp(sc->input->cols[i].name, e->qual) != 0)
            continue;
          BExpr *w = bnew(cx, B_COL, e);
          w->colidx = i;
          w->t = type_make(T_WINDOW);
          w->text = e->qual;
          b = bnew(cx, B_FIELD, e);
          b->field = !strcmp(e->name, "end");
          b->t = type_make(RT_TIMESTAMP);
          b->nargs = 1;
          b->args = cx_alloc(cx, sizeof(BExpr *));
          b->args[0] = w;
          b->text = cx_printf(cx, "%s.%s", e->qual, e->name);
          return b;
        }
      }
      int ci = resolve_column(cx, sc, e);
      b = bnew(cx, B_COL, e);
      b->colidx = ci;
      b->t = sc->input->cols[ci].t;
      b->nullable = sc->input->cols[ci].nullable;
      b->text = e->name;
      return b;
    }
    case E_STAR:
      diag_error(cx, e->line, e->col, "'*' is not allowed here");
    case E_UNARY: {
      BExpr *a = bind_expr(cx, sc, e->a);
      if (e->op == OP_NOT) return bop(cx, e, OP_NOT, type_make(RT_BOOL), require_bool(cx, a, "the operand of NOT"), NULL);
      if (a->t.kind == T_INTERVAL) return bop(cx, e, OP_NEG, a->t, a, NULL);
      if (!type_is_numeric(a->t) && a->t.kind != T_NULL)
        diag_error(cx, e->line, e->col, "cannot negate a %s value", type_name(a->t));
      SqlType t = a->t;
      if (t.kind == RT_U64 || t.kind == RT_U32) t = type_make(RT_I64);
      if (t.kind == T_NULL) t = type_make(RT_I64);
      return bop(cx, e, OP_NEG, t, bind_cast(cx, a, t, a->line, a->col, 0), NULL);
    }
    case E_BINARY: {
      BExpr *a = bind_expr(cx, sc, e->a);
      if (e->op == OP_ARROW || e->op == OP_ARROW2) return bind_json_arrow(cx, e, a, e->b);
      BExpr *c = bind_expr(cx, sc, e->b);
      switch (e->op) {
        case OP_AND: case OP_OR:
          return bop(cx, e, e->op, type_make(RT_BOOL), require_bool(cx, a, "an AND/OR operand"),
                     require_bool(cx, c, "an AND/OR operand"));
        case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT: case OP_GE:
          return bind_compare(cx, e, e->op, a, c);
        case OP_CONCAT:
          return bop(cx, e, OP_CONCAT, type_make(RT_TEXT), text_arg(cx, a), text_arg(cx, c));
        default:
          return bind_arith(cx, e, e->op, a, c);
      }
    }
    case E_ISNULL:
      b = bnew(cx, B_ISNULL, e);
      b->t = type_make(RT_BOOL);
      b->negate = e->negate;
      b->nargs = 1;
      b->args = cx_alloc(cx, sizeof(BExpr *));
      b->args[0] = bind_expr(cx, sc, e->a);
      return b;
    case E_ISTRUE:
      b = bnew(cx, B_ISTRUE, e);
      b->t = type_make(RT_BOOL);
      b->negate = e->negate;
      b->istrue_value = (int)e->ival;
      b->nargs = 1;
      b->args = cx_alloc(cx, sizeof(BExpr *));
      b->args[0] = require_bool(cx, bind_expr(cx, sc, e->a), "the operand of IS TRUE/FALSE");
      return b;
    case E_DISTINCT: {
      BExpr *x = bind_expr(cx, sc, e->a), *y = bind_expr(cx, sc, e->b);
      BExpr *cmp = bind_compare(cx, e, OP_EQ, x, y);
      b = bnew(cx, B_DISTINCT, e);
      b->t = type_make(RT_BOOL);
      b->negate = e->negate;
      b->nargs = 2;
      b->args = cmp->args;
      return b;
    }
    case E_IN: {
      BExpr *x = bind_expr(cx, sc, e->a);
      BExpr **items = cx_alloc(cx, sizeof(BExpr *) * (size_t)(e->nlist + 1));
      SqlType ct = x->t;
      items[0] = x;
      for (int i = 0; i < e->nlist; i++) {
        items[i + 1] = bind_expr(cx, sc, e->list[i]);
        SqlType n = common_type(x, items[i + 1]);
        if (n.kind == 0 || n.kind == T_INTERVAL)
          diag_error(cx, e->list[i]->line, e->list[i]->col, "cannot compare %s with %s in IN list",
                     type_name(x->t), type_name(items[i + 1]->t));
        BExpr tmp = *x;
        tmp.t = ct;
        ct = common_type(&tmp, items[i + 1]);
        if (ct.kind == 0) ct = n;
      }
      if (ct.kind == T_NULL) ct = type_make(RT_BOOL);
      b = bnew(cx, B_IN, e);
      b->t = type_make(RT_BOOL);
      b->negate = e->negate;
      b->nargs = e->nlist + 1;
      b->args = items;
      for (int i = 0; i <= e->nlist; i++) {
        items[i] = bind_cast(cx, items[i], ct, items[i]->line, items[i]->col, 0);
        b->nullable |= items[i]->nullable;
      }
      return b;
    }
    case E_BETWEEN: {
      /* a BETWEEN b AND c  ==  a >= b AND a <= c  (a is evaluated twice; expressions are pure) */
      BExpr *x = bind_expr(cx, sc, e->a);
      BExpr *lo = bind_compare(cx, e, OP_GE, x, bind_expr(cx, sc, e->b));
      BExpr *hi = bind_compare(cx, e, OP_LE, x, bind_expr(cx, sc, e->c));
      BExpr *both = bop(cx, e, OP_AND, type_make(RT_BOOL), lo, hi);
      return e->negate ? bop(cx, e, OP_NOT, type_make(RT_BOOL), both, NULL) : both;
    }
    case E_LIKE: {
      BExpr *x = bind_expr(cx, sc, e->a), *p = bind_expr(cx, sc, e->b);
      if (!type_is_stringy(x->t) && x->t.kind != T_NULL)
        diag_error(cx, e->a->line, e->a->col, "LIKE needs TEXT, not %s", type_name(x->t));
      if (!type_is_stringy(p->t) && p->t.kind != T_NULL)
        diag_error(cx, e->b->line, e->b->col, "LIKE pattern must be TEXT, not %s", type_name(p->t));
      b = bnew(cx, B_LIKE, e);
      b->t = type_make(RT_BOOL);
      b->negate = e->negate;
      b->ci = e->ci;
      b->nargs = 3;
      b->args = cx_alloc(cx, sizeof(BExpr *) * 3);
      b->args[0] = bind_cast(cx, x, type_make(RT_TEXT), x->line, x->col, 0);
      b->args[1] = bind_cast(cx, p, type_make(RT_TEXT), p->line, p->col, 0);
      b->nullable = x->nullable || p->nullable;
      if (e->c) {
        if (e->c->kind != E_STRING || e->c->slen != 1)
          diag_error(cx, e->c->line, e->c->col, "ESCAPE must be a one-character string literal");
        b->args[2] = bind_expr(cx, sc, e->c);
      }
      return b;
    }
    case E_CASE: {
      b = bnew(cx, B_CASE, e);
      int n = e->nlist;
      b->nargs = n;
      b->args = cx_alloc(cx, sizeof(BExpr *) * (size_t)n);
      BExpr *operand = e->a ? bind_expr(cx, sc, e->a) : NULL;
      SqlType rt = type_make(T_NULL);
      for (int i = 0; i < n; i += 2) {
        BExpr *w = bind_expr(cx, sc, e->list[i]);
        if (operand) w = bind_compare(cx, e->list[i], OP_EQ, operand, w);
        b->args[i] = require_bool(cx, w, "a WHEN condition");
        b->args[i + 1] = bind_expr(cx, sc, e->list[i + 1]);
      }
      if (e->else_) b->else_ = bind_expr(cx, sc, e->else_);
      /* result type: common type of all branches */
      BExpr acc;
      memset(&acc, 0, sizeof acc);
      acc.t = rt;
      for (int i = 1; i <= n; i += 2) {
        BExpr *br = i < n ? b->args[i] : b->else_;
        if (!br) continue;
        SqlType nt = common_type(&acc, br);
        if (nt.kind == 0)
          diag_error(cx, br->line, br->col, "CASE branches have incompatible types %s and %s",
                     type_name(acc.t), type_name(br->t));
        acc.t = nt;
        acc.kind = B_COL;   /* after the first branch, literals no longer adapt the type */
      }
      if (e->else_) {
        SqlType nt = common_type(&acc, b->else_);
        if (nt.kind == 0)
          diag_error(cx, b->else_->line, b->else_->col,
                     "CASE branches have incompatible types %s and %s", type_name(acc.t),
                     type_name(b->else_->t));
        acc.t = nt;
      }
      rt = acc.t;
      if (rt.kind == T_NULL) rt = type_make(RT_TEXT);
      b->t = rt;
      b->nullable = !e->else_;
      for (int i = 1; i < n; i += 2) {
        b->args[i] = bind_cast(cx, b->args[i], rt, b->args[i]->line, b->args[i]->col, 0);
        b->nullable |= b->args[i]->nullable;
      }
      if (b->else_) {
        b->else_ = bind_cast(cx, b->else_, rt, b->else_->line, b->else_->col, 0);
        b->nullable |= b->else_->nullable;
      }
      return b;
    }
    case E_CAST: {
      if (e->try_cast)
        diag_error(cx, e->line, e->col, "TRY_CAST is not supported yet; use CAST");
      BExpr *x = bind_expr(cx, sc, e->a);
      return bind_cast(cx, x, e->cast.t, e->line, e->col, 1);
    }
    case E_CALL:
      return bind_call(cx, sc, e);
    case E_EXTRACT: {
      Expr field;
      memset(&field, 0, sizeof field);
      field.kind = E_STRING;
      field.line = e->line;
      field.col = e->col;
      field.sval = e->name;
      field.slen = (int)strlen(e->name);
      Expr *args[2] = { &field, e->a };
      Expr call = *e;
      call.kind = E_CALL;
      call.name = "date_part";
      call.list = args;
      call.nlist = 2;
      Expr **heap = cx_alloc(cx, sizeof args);
      memcpy(heap, args, sizeof args);
      Expr *fe = cx_alloc(cx, sizeof(Expr));
      *fe = field;
      heap[0] = fe;
      call.list = heap;
      return bind_call(cx, sc, &call);
    }
    case E_SUBSCRIPT:
      break;
  }
  diag_error(cx, e->line, e->col, "unsupported expression");
}

/* ---- casts -------------------------------------------------------------------------- */
static int cast_allowed(SqlType from, SqlType to, int explicit_cast) {
  if (type_eq(from, to) || from.kind == T_NULL) return 1;
  if (type_is_numeric(from) && type_is_numeric(to)) return 1;
  if (to.kind == RT_TEXT && from.kind != T_INTERVAL) return 1;
  if (to.kind == RT_TEXT && from.kind == T_INTERVAL) return explicit_cast;
  if (type_is_stringy(from) && type_is_stringy(to)) return 1;
  if (!explicit_cast) return 0;
  if (from.kind == RT_TEXT && to.kind != T_INTERVAL) return 1;
  if (from.kind == RT_BOOL && type_is_int(to)) return 1;
  if (type_is_int(from) && to.kind == RT_BOOL) return 1;
  if (from.kind == RT_TIMESTAMP && (to.kind == RT_I64)) return 1;
  if (type_is_int(from) && to.kind == RT_TIMESTAMP) return 1;
  return 0;
}

BExpr *bind_cast(Cx *cx, BExpr *e, SqlType to, int line, int col, int explicit_cast) {
  if (type_eq(e->t, to)) return e;
  if (e->t.kind == T_NULL) {
    BExpr *n = bnew(cx, B_LIT, NULL);
    n->line = e->line; n->col = e->col;
    n->t = to;
    n->is_null = 1;
    n->nullable = 1;
    return n;
  }
  /* a TEXT literal where a TIMESTAMP is expected is parsed now (ts > '2023-01-01') */
  if (e->kind == B_LIT && !e->is_null && e->t.kind == RT_TEXT && to.kind == RT_TIMESTAMP) {
    int64_t ns;
    if (ts_parse(e->sval, (size_t)e->slen, &ns) < 0)
      diag_error(cx, e->line, e->col, "invalid TIMESTAMP literal '%s'", e->sval);
    BExpr *n = bnew(cx, B_LIT, NULL);
    n->line = e->line; n->col = e->col;
    n->t = to;
    n->ival = ns;
    n->sval = e->sval;
    return n;
  }
  if (!cast_allowed(e->t, to, explicit_cast)) {
    if (explicit_cast)
      diag_error(cx, line, col, "cannot cast %s to %s", type_name(e->t), type_name(to));
    diag_error(cx, line, col, "cannot use a %s value where %s is expected (type mismatch; use CAST)",
               type_name(e->t), type_name(to));
  }
  /* integer literals adopt the target type directly */
  if (e->kind == B_LIT && !e->is_null && type_is_int(e->t) && int_lit_fits(e, to)) {
    BExpr *n = bnew(cx, B_LIT, NULL);
    *n = *e;
    n->t = to;
    return n;
  }
  BExpr *c = bnew(cx, B_CAST, NULL);
  c->line = line;
  c->col = col;
  c->t = to;
  c->nullable = e->nullable;
  c->nargs = 1;
  c->args = cx_alloc(cx, sizeof(BExpr *));
  c->args[0] = e;
  return c;
}

/* ---- queries ------------------------------------------------------------------------ */
static const char *item_name(Cx *cx, SelectItem *it, BExpr *b, int idx) {
  if (it->alias) return it->alias;
  if (it->e->kind == E_COLUMN) return it->e->name;
  (void)b;
  return cx_printf(cx, "%s", it->e->kind == E_CALL ? it->e->name : cx_printf(cx, "column_%d", idx + 1));
}

static Plan *bind_select(Cx *cx, Select *s) {
  if (s->nfrom == 0)
    diag_error(cx, s->line, s->col, "SELECT without FROM is not supported in a streaming query");
  if (s->distinct)
    diag_error(cx, s->line, s->col, "SELECT DISTINCT is not supported yet");
  const char *qual = NULL;
  if (s->from[0].as_of)
    diag_error(cx, s->from[0].as_of_line, s->from[0].as_of_col,
               "FOR SYSTEM_TIME AS OF belongs to the right side of a JOIN (a lookup join)");
  Plan *in = bind_from(cx, &s->from[0], &qual);
  for (int i = 1; i < s->nfrom; i++) {
    FromItem *f = &s->from[i];
    if (f->as_of) {
      in = lookup_bind(cx, in, qual, f->table ? find_table(cx, f->table) : NULL, f);
    } else {
      const char *rq = NULL;
      Plan *right = bind_from(cx, f, &rq);
      in = join_bind(cx, in, qual, right, rq, f);
    }
    qual = NULL;   /* a join's columns carry their own qualifiers */
  }
  Scope sc = { in, qual, NULL };
  if (s->where) {
    BExpr *pred = require_bool(cx, bind_expr(cx, &sc, s->where), "a WHERE condition");
    Plan *f = plan_new(cx, P_FILTER, in->ncols);
    memcpy(f->cols, in->cols, sizeof(PCol) * (size_t)in->ncols);
    if (qual)   /* over a join the columns keep their own qualifiers */
      for (int i = 0; i < f->ncols; i++) f->cols[i].qual = qual;
    f->pred = pred;
    f->updating = in->updating;
    plan_add_input(cx, f, in);
    in = f;
    sc.input = f;
  }
  int aggregating = s->ngroup > 0 || s->having != NULL;
  for (int i = 0; i < s->nitems && !aggregating; i++)
    if (s->items[i].e && expr_has_aggregate(cx, s->items[i].e)) aggregating = 1;
  if (aggregating) return agg_bind_select(cx, s, in, qual);
  /* window function calls become one node between the input and the projection (a top-N for
  ** ROW_NUMBER() OVER ..., a frame node for aggregates OVER ..., which several calls with the
  ** same OVER clause share); each call reads its column of that node (over_col[item]) */
  int from_cols = in->ncols;
  Plan *topn = NULL;
  int *over_col = cx_alloc(cx, sizeof(int) * (size_t)(s->nitems ? s->nitems : 1));
  for (int i = 0; i < s->nitems; i++) {
    Expr *e = s->items[i].e;
    if (!e || e->kind != E_CALL || !e->has_over) continue;
    int rownum = strcmp(e->name, "row_number") == 0;
    if (topn && (rownum || topn->kind != P_OVER))
      diag_error(cx, e->line, e->col, "only one row_number() call per SELECT is supported, and not with other window functions");
    if (topn) {
      over_add_frame(cx, &sc, topn, e);
    } else {
      topn = rownum ? over_bind_topn(cx, &sc, e) : over_bind_frame(cx, &sc, e);
      plan_add_input(cx, topn, in);
      in = topn;
      sc.input = topn;
    }
    over_col[i] = topn->ncols - 1;
  }
  /* unnest(array) in the select list: a node that repeats the row once per element */
  Plan *unnest = NULL;
  for (int i = 0; i < s->nitems; i++) {
    Expr *e = s->items[i].e;
    if (!e || e->kind != E_CALL || e->has_over || strcmp(e->name, "unnest") != 0) continue;
    if (unnest) diag_error(cx, e->line, e->col, "only one unnest() per SELECT is supported");
    if (e->nlist != 1) diag_error(cx, e->line, e->col, "unnest() takes one array argument");
    BExpr *arr = bind_expr(cx, &sc, e->list[0]);
    if (arr->t.kind != T_ARRAY)
      diag_error(cx, e->list[0]->line, e->list[0]->col, "unnest() needs an array, not %s", type_name(arr->t));
    unnest = plan_new(cx, P_UNNEST, in->ncols + 1);
    memcpy(unnest->cols, in->cols, sizeof(PCol) * (size_t)in->ncols);
    unnest->cols[in->ncols].name = "unnest";
    unnest->cols[in->ncols].t = type_make(arr->t.prec);
    unnest->cols[in->ncols].nullable = 1;
    unnest->exprs = cx_alloc(cx, sizeof(BExpr *));
    unnest->exprs[0] = arr;
    unnest->updating = in->updating;
    plan_add_input(cx, unnest, in);
    in = unnest;
    sc.input = unnest;
  }
  /* expand stars, then bind items */
  int n = 0;
  for (int i = 0; i < s->nitems; i++) {
    if (s->items[i].star) {
      const char *sq = s->items[i].star_qual;
      int k = 0;
      for (int c = 0; c < from_cols; c++)
        if (!sq || (qual ? strcmp(sq, qual) == 0 : in->cols[c].qual && strcmp(in->cols[c].qual, sq) == 0)) k++;
      if (sq && k == 0)
        diag_error(cx, s->items[i].line, s->items[i].col, "unknown table or alias '%s' in '%s.*'", sq, sq);
      n += k;
    } else n++;
  }
  Plan *p = plan_new(cx, P_PROJECT, n);
  p->exprs = cx_alloc(cx, sizeof(BExpr *) * (size_t)(n ? n : 1));
  int k = 0;
  for (int i = 0; i < s->nitems; i++) {
    SelectItem *it = &s->items[i];
    if (it->star) {
      for (int c = 0; c < from_cols; c++) {
        const char *sq = it->star_qual;
        if (sq && !(qual ? strcmp(sq, qual) == 0 : in->cols[c].qual && strcmp(in->cols[c].qual, sq) == 0))
          continue;
        BExpr *b = bnew(cx, B_COL, NULL);
        b->line = it->line; b->col = it->col;
        b->colidx = c;
        b->t = in->cols[c].t;
        b->nullable = in->cols[c].nullable;
        b->text = in->cols[c].name;
        p->exprs[k] = b;
        p->cols[k] = in->cols[c];
        p->cols[k].qual = NULL;
        k++;
      }
      continue;
    }
    BExpr *b;
    if (topn && it->e->kind == E_CALL && it->e->has_over) {
      b = bnew(cx, B_COL, it->e);
      b->colidx = over_col[i];
      b->t = topn->cols[over_col[i]].t;
      b->nullable = topn->cols[over_col[i]].nullable;
      b->text = cx_printf(cx, "%s()", it->e->name);
    } else if (unnest && it->e->kind == E_CALL && !strcmp(it->e->name, "unnest")) {
      b = bnew(cx, B_COL, it->e);
      b->colidx = unnest->ncols - 1;
      b->t = unnest->cols[unnest->ncols - 1].t;
      b->nullable = 1;
      b->text = "unnest(...)";
    } else b = bind_expr(cx, &sc, it->e);
    if (b->t.kind == T_NULL) b = bind_cast(cx, b, type_make(RT_TEXT), b->line, b->col, 0);
    if (b->t.kind == T_INTERVAL)
      diag_error(cx, it->line, it->col, "INTERVAL values cannot be output yet; cast to TEXT");
    p->exprs[k] = b;
    p->cols[k].name = item_name(cx, it, b, k);
    p->cols[k].t = b->t;
    p->cols[k].nullable = b->nullable;
    if (b->kind == B_COL && b->t.kind == T_WINDOW) {   /* a window passes through unchanged */
      p->cols[k].winkind = in->cols[b->colidx].winkind;
      p->cols[k].width = in->cols[b->colidx].width;
      p->cols[k].slide = in->cols[b->colidx].slide;
    }
    k++;
  }
  p->updating = in->updating;
  plan_add_input(cx, p, in);
  return p;
}

/* UNION ALL: bind each branch, unify column types, insert casting projections. */
static Plan *bind_query(Cx *cx, Select *s) {
  if (!s->union_next) return bind_select(cx, s);
  int nb = 0;
  for (Select *q = s; q; q = q->union_next) nb++;
  Plan **branches = cx_alloc(cx, sizeof(Plan *) * (size_t)nb);
  Select **sels = cx_alloc(cx, sizeof(Select *) * (size_t)nb);
  int i = 0;
  for (Select *q = s; q; q = q->union_next, i++) {
    Select one = *q;
    one.union_next = NULL;
    sels[i] = q;
    branches[i] = bind_select(cx, &one);
    if (branches[i]->ncols != branches[0]->ncols)
      diag_error(cx, q->line, q->col, "UNION ALL branches have %d and %d columns",
                 branches[0]->ncols, branches[i]->ncols);
  }
  int nc = branches[0]->ncols;
  Plan *u = plan_new(cx, P_UNION, nc);
  for (int c = 0; c < nc; c++) {
    BExpr acc;
    memset(&acc, 0, sizeof acc);
    acc.kind = B_COL;
    acc.t = branches[0]->cols[c].t;
    for (int b = 1; b < nb; b++) {
      BExpr other;
      memset(&other, 0, sizeof other);
      other.kind = B_COL;
      other.t = branches[b]->cols[c].t;
      SqlType t = common_type(&acc, &other);
      if (t.kind == 0)
        diag_error(cx, sels[b]->line, sels[b]->col,
                   "UNION ALL column %d has incompatible types %s and %s", c + 1,
                   type_name(acc.t), type_name(other.t));
      acc.t = t;
    }
    u->cols[c].name = branches[0]->cols[c].name;
    u->cols[c].t = acc.t;
    for (int b = 0; b < nb; b++) u->cols[c].nullable |= branches[b]->cols[c].nullable;
  }
  for (int b = 0; b < nb; b++) {
    Plan *br = branches[b];
    /* a branch whose types differ gets a casting projection (rewriting its own project) */
    for (int c = 0; c < nc; c++)
      if (!type_eq(br->cols[c].t, u->cols[c].t)) {
        br->exprs[c] = bind_cast(cx, br->exprs[c], u->cols[c].t, sels[b]->line, sels[b]->col, 0);
        br->cols[c].t = u->cols[c].t;
      }
    u->updating |= br->updating;
    plan_add_input(cx, u, br);
  }
  return u;
}

/* The STRUCT a window is written as: start and end, TIMESTAMP NOT NULL. */
static SqlType window_struct_type(Cx *cx) {
  StructField f[2] = { { "start", { RT_TIMESTAMP, 0, 0 }, 0 }, { "end", { RT_TIMESTAMP, 0, 0 }, 0 } };
  return struct_type(cx, f, 2);
}

/* Whether a declared STRUCT column can hold a window: fields start and end, both TIMESTAMP. */
static int is_window_struct(Cx *cx, SqlType t) {
  StructDef *d = struct_def(cx, t);
  int s = struct_field(cx, t, "start"), e = struct_field(cx, t, "end");
  return d->nfields == 2 && s >= 0 && e >= 0 && d->fields[s].t.kind == RT_TIMESTAMP &&
         d->fields[e].t.kind == RT_TIMESTAMP;
}

/* Build the sink node for INSERT INTO t (or a preview SELECT): casts to the sink's types. */
static Plan *make_sink(Cx *cx, Table *t, Plan *in, Stmt *st) {
  if (!t->declared_columns && t->ncols == 0) {
    /* a sink without columns takes the query's schema */
    t->ncols = in->ncols;
    t->cols = cx_alloc(cx, sizeof(Column) * (size_t)(in->ncols ? in->ncols : 1));
    for (int i = 0; i < in->ncols; i++) {
      for (int j = 0; j < i; j++)
        if (strcmp(in->cols[j].name, in->cols[i].name) == 0)
          diag_error(cx, st->line, st->col,
                     "the query writes column '%s' twice into '%s'; give the columns distinct aliases",
                     in->cols[i].name, t->name);
      t->cols[i].name = in->cols[i].name;
      t->cols[i].t = in->cols[i].t;
      t->cols[i].nullable = 1;
    }
  }
  for (int i = 0; i < in->ncols; i++)
    if (in->cols[i].t.kind == T_ARRAY)
      diag_error(cx, st->line, st->col,
                 "INSERT INTO %s: column '%s' is an array, which cannot be written yet; unnest() it",
                 t->name, in->cols[i].name);
  /* a window column is written as a struct {start, end} (TIMESTAMP NOT NULL each) */
  if (t->kind != TB_MEMORY && !t->declared_columns)
    for (int i = 0; i < in->ncols && i < t->ncols; i++)
      if (in->cols[i].t.kind == T_WINDOW && t->cols[i].t.kind == T_WINDOW)
        t->cols[i].t = window_struct_type(cx);
  if (in->ncols != t->ncols)
    diag_error(cx, st->line, st->col, "INSERT INTO %s: the query has %d column%s but the table has %d",
               t->name, in->ncols, in->ncols == 1 ? "" : "s", t->ncols);
  Plan *s = plan_new(cx, t->kind == TB_MEMORY ? P_PROJECT : P_SINK, t->ncols);
  s->table = t->kind == TB_MEMORY ? NULL : t;
  s->exprs = cx_alloc(cx, sizeof(BExpr *) * (size_t)(t->ncols ? t->ncols : 1));
  for (int i = 0; i < t->ncols; i++) {
    BExpr *c = bnew(cx, B_COL, NULL);
    c->line = st->line; c->col = st->col;
    c->colidx = i;
    c->t = in->cols[i].t;
    c->nullable = in->cols[i].nullable;
    c->text = in->cols[i].name;
    if (c->t.kind == T_WINDOW && t->cols[i].t.kind == RT_STRUCT) {
      if (!is_window_struct(cx, t->cols[i].t))
        diag_error(cx, st->line, st->col,
                   "INSERT INTO %s: a window (column %d, '%s') can only be written into a "
                   "STRUCT<start TIMESTAMP, end TIMESTAMP> column, not '%s'", t->name, i + 1,
                   in->cols[i].name, t->cols[i].name);
      BExpr *w = bnew(cx, B_CAST, NULL);
      w->line = st->line; w->col = st->col;
      w->t = t->cols[i].t;
      w->nullable = c->nullable;
      w->nargs = 1;
      w->args = cx_alloc(cx, sizeof(BExpr *));
      w->args[0] = c;
      s->exprs[i] = w;
      s->cols[i].name = t->cols[i].name;
      s->cols[i].t = t->cols[i].t;
      s->cols[i].nullable = t->cols[i].nullable;
      continue;
    }
    if (!type_eq(c->t, t->cols[i].t) && !cast_allowed(c->t, t->cols[i].t, 0))
      diag_error(cx, st->line, st->col,
                 "INSERT INTO %s: cannot write %s value (column %d, '%s') into column '%s' of type %s",
                 t->name, type_name(c->t), i + 1, in->cols[i].name, t->cols[i].name,
                 type_name(t->cols[i].t));
    s->exprs[i] = bind_cast(cx, c, t->cols[i].t, st->line, st->col, 0);
    s->cols[i].name = t->cols[i].name;
    s->cols[i].t = t->cols[i].t;
    s->cols[i].nullable = t->cols[i].nullable;
  }
  s->updating = in->updating;
  plan_add_input(cx, s, in);
  if (t->kind == TB_MEMORY) return s;
  /* A sink that encodes nothing (blackhole: no format options) takes an updating result as
  ** it is: it counts insertions and retractions. Any other sink needs an updating format. */
  if (in->updating && !t->spec->needs_format) t->updating = 1;
  if (in->updating && !t->updating)
    diag_error(cx, st->line, st->col,
               "INSERT INTO %s: the query produces an updating result (rows are retracted) but "
               "sink '%s' is append-only; use format = 'debezium_json'", t->name, t->name);
  Catalog *cat = cx->cat;
  if (t->port < 0) {
    t->port = cat->nsinks;
    Table **n = cx_alloc(cx, sizeof(Table *) * (size_t)(cat->nsinks + 1));
    if (cat->nsinks) memcpy(n, cat->sinks, sizeof(Table *) * (size_t)cat->nsinks);
    n[cat->nsinks++] = t;
    cat->sinks = n;
  }
  Plan **np = cx_alloc(cx, sizeof(Plan *) * (size_t)(cat->nsink_plans + 1));
  if (cat->nsink_plans) memcpy(np, cat->sink_plans, sizeof(Plan *) * (size_t)cat->nsink_plans);
  np[cat->nsink_plans++] = s;
  cat->sink_plans = np;
  return s;
}

static void bind_insert(Cx *cx, Stmt *st) {
  Table *t = find_table(cx, st->name);
  if (!t) diag_error(cx, st->line, st->col, "unknown table '%s'", st->name);
  if (t->kind == TB_SOURCE)
    diag_error(cx, st->line, st->col, "cannot INSERT INTO '%s': it is a source (type = 'source')",
               t->name);
  if (t->kind == TB_VIEW)
    diag_error(cx, st->line, st->col, "cannot INSERT INTO view '%s'", t->name);
  Plan *q = bind_query(cx, st->query);
  Plan *s = make_sink(cx, t, q, st);
  if (t->kind == TB_MEMORY) {
    if (t->nmem_inputs == t->mem_cap) {
      t->mem_cap = t->mem_cap ? t->mem_cap * 2 : 4;
      Plan **n = cx_alloc(cx, sizeof(Plan *) * (size_t)t->mem_cap);
      if (t->nmem_inputs) memcpy(n, t->mem_inputs, sizeof(Plan *) * (size_t)t->nmem_inputs);
      t->mem_inputs = n;
    }
    t->mem_inputs[t->nmem_inputs++] = s;
  }
}

static void bind_preview(Cx *cx, Stmt *st) {
  Plan *q = bind_query(cx, st->query);
  Table *t = cx_alloc(cx, sizeof *t);
  t->name = cx->cat->nsinks ? cx_printf(cx, "preview_%d", st->line) : "preview";
  t->kind = TB_SINK;
  t->connector = "stdout";
  t->spec = conn_lookup("stdout");
  t->port = -1;
  t->event_time_col = -1;
  t->updating = q->updating;
  t->nopts = 2;
  t->opts = cx_alloc(cx, sizeof(OptionDef) * 2);
  t->opts[0].key = "connector";
  t->opts[0].value = "stdout";
  t->opts[1].key = "format";
  t->opts[1].value = q->updating ? "debezium_json" : "json";
  make_sink(cx, t, q, st);
  add_table(cx, t);
}

/* Memory tables: every read is the union of every insert, so link inputs now that all
** statements are bound, and refuse cycles (a memory table fed from itself). */
static void finish_memory_tables(Cx *cx) {
  Catalog *cat = cx->cat;
  for (int i = 0; i < cat->ntables; i++) {
    Table *t = cat->tables[i];
    if (t->kind != TB_MEMORY || !t->mem_union) continue;
    for (int k = 0; k < t->nmem_inputs; k++) {
      plan_add_input(cx, t->mem_union, t->mem_inputs[k]);
      t->mem_union->updating |= t->mem_inputs[k]->updating;
    }
  }
}

static int reaches(Plan *p, Plan *target, int depth) {
  if (depth > 10000) return 1;
  for (int i = 0; i < p->ninputs; i++)
    if (p->inputs[i] == target || reaches(p->inputs[i], target, depth + 1)) return 1;
  return 0;
}

void bind_script(Cx *cx, Script *s) {
  for (int i = 0; i < s->nstmts; i++) {
    Stmt *st = &s->stmts[i];
    switch (st->kind) {
      case S_CREATE_TABLE: bind_create_table(cx, st); break;
      case S_CREATE_VIEW: {
        if (find_table(cx, st->name))
          diag_error(cx, st->line, st->col, "'%s' is already defined", st->name);
        Table *t = cx_alloc(cx, sizeof *t);
        t->name = st->name;
        t->kind = TB_VIEW;
        t->port = -1;
        t->event_time_col = -1;
        t->view = bind_query(cx, st->query);
        add_table(cx, t);
        break;
      }
      case S_INSERT: bind_insert(cx, st); break;
      case S_SELECT: bind_preview(cx, st); break;
      case S_SET: {
        if (strcmp(st->name, "updating_ttl") != 0)
          diag_error(cx, st->line, st->col, "unknown setting '%s' (known: updating_ttl)", st->name);
        RtInterval iv;
        if (interval_from_text(st->set_value, &iv) < 0 || iv.months != 0)
          diag_error(cx, st->line, st->col,
                     "SET updating_ttl needs a duration such as '1 hour' or '30 minutes' (no months), not '%s'",
                     st->set_value);
        cx->cat->updating_ttl_ns = (int64_t)iv.days * 86400000000000LL + iv.nanos;
        if (cx->cat->updating_ttl_ns <= 0)
          diag_error(cx, st->line, st->col, "SET updating_ttl must be positive");
        break;
      }
    }
  }
  finish_memory_tables(cx);
  Catalog *cat = cx->cat;
  for (int i = 0; i < cat->ntables; i++) {
    Table *t = cat->tables[i];
    if (t->kind == TB_MEMORY && t->mem_union && reaches(t->mem_union, t->mem_union, 0))
      diag_error(cx, t->line, t->col, "memory table '%s' is read by a query that feeds it (a cycle)",
                 t->name);
  }
  if (cat->nsink_plans == 0)
    diag_error(cx, s->stmts[s->nstmts - 1].line, s->stmts[s->nstmts - 1].col,
               "the script has no INSERT INTO or SELECT statement, so nothing would run");
  plan_link_parents(cx);
  over_finish(cx);
  /* source ports: in order of first appearance in the catalog, only those read */
  for (int i = 0; i < cat->ntables; i++) {
    Table *t = cat->tables[i];
    if (t->kind == TB_SOURCE && t->used && t->port < 0) {
      /* a source is only live if some path leads from its scans to a sink; plan_link_parents
      ** marked reachable scans by setting port */
    }
  }
}
