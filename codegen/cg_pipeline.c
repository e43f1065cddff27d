/*
** codegen/cg_pipeline.c: the whole generated C file for a plan.
**
** Layout of the output (in this order): header comment (query id, SQL, EXPLAIN, compiler
** version); #include "abi.h" and the `rt` table pointer; user-defined functions; one row
** struct per source and sink table; descriptor tables (columns, options, connectors); one
** consume function per source port that runs the fused loop (produce/consume: every row goes
** through filters and projections of every path from that source to every sink, with no
** per-row indirect calls except into the runtime); the process() dispatcher; the
** RtPipeline descriptor; and the one exported entry point.
** Output is deterministic: the same SQL and compiler version give byte-identical C.
*/
#include <stdlib.h>
#include <string.h>
#include "codegen.h"

#define ARROYO_COMPILER_VERSION "arroyo-c 0.1"

static const char *const rt_type_enum[RT_TYPE_COUNT] = {   /* ORDER RtType */
  "0", "RT_BOOL", "RT_I32", "RT_I64", "RT_U32", "RT_U64", "RT_F32", "RT_F64", "RT_DECIMAL",
  "RT_TEXT", "RT_TIMESTAMP", "RT_BYTEA", "RT_JSON", "RT_STRUCT" };

static uint64_t fnv1a(uint64_t h, const void *p, size_t n) {
  const unsigned char *s = p;
  for (size_t i = 0; i < n; i++) { h ^= s[i]; h *= 1099511628211ULL; }
  return h;
}

static TableLayout layout_for(Cx *cx, Table *t, const char *role) {
  TableLayout L;
  L.t = t;
  L.sname = cx_printf(cx, "row_%s_%s", role, c_ident(cx, t->name));
  L.fields = cx_alloc(cx, sizeof(char *) * (size_t)(t->ncols ? t->ncols : 1));
  for (int i = 0; i < t->ncols; i++) {
    if (t->cols[i].generated) continue;
    const char *f = c_ident(cx, t->cols[i].name);
    for (int j = 0; j < i; j++)
      if (L.fields[j] && strcmp(L.fields[j], f) == 0) { f = cx_printf(cx, "%s_%d", f, i); break; }
    L.fields[i] = f;
  }
  return L;
}

static void emit_struct(Emitter *em, Cx *cx, TableLayout *L, const char *what) {
  em_line(em, "/* %s */", c_comment(cx, what));
  em_open(em, "typedef struct %s {", L->sname);
  em_line(em, "RtRowHeader h;                /* event time, retraction flag */");
  int nnull = 0;
  for (int i = 0; i < L->t->ncols; i++) {
    Column *c = &L->t->cols[i];
    if (!L->fields[i]) continue;
    em_line(em, "%s %s;%*s/* %s %s%s */", type_c(c->t), L->fields[i],
            (int)(28 - strlen(type_c(c->t)) - strlen(L->fields[i]) > 0 ?
                  28 - strlen(type_c(c->t)) - strlen(L->fields[i]) : 1), "",
            c_comment(cx, c->name), type_name(c->t), c->nullable ? "" : " NOT NULL");
    nnull += c->nullable;
  }
  /* NULL flags live in their own struct: c_ident never makes a name starting with '_', so
  ** no column can collide with `_null`, and a column named "x_null" cannot collide with the
  ** flag of column "x". */
  if (nnull) {
    em_open(em, "struct {");
    for (int i = 0; i < L->t->ncols; i++)
      if (L->fields[i] && L->t->cols[i].nullable) em_line(em, "uint8_t %s;", L->fields[i]);
    em_close(em, " _null;                       /* 1 = the column is NULL */");
  }
  em_close(em, cx_printf(cx, " %s;", L->sname));
  em_line(em, "%s", "");
}

static void emit_descriptor(Emitter *em, Cx *cx, TableLayout *L, const char *prefix, int physical_only) {
  Table *t = L->t;
  int n = 0;
  em_open(em, "static const RtColumn %s_cols[] = {", prefix);
  for (int i = 0; i < t->ncols; i++) {
    Column *c = &t->cols[i];
    if (physical_only && c->generated) continue;
    n++;
    em_line(em, "{ %s, %s, %d, %d, %d, (uint32_t)offsetof(%s, %s), %s, %s },",
            c_string(cx, c->name, strlen(c->name)), rt_type_enum[c->t.kind], c->nullable,
            c->t.kind == RT_STRUCT ? 0 : c->t.prec, c->t.kind == RT_STRUCT ? 0 : c->t.scale, L->sname, L->fields[i],
            c->nullable ? cx_printf(cx, "(uint32_t)offsetof(%s, _null.%s)", L->sname, L->fields[i])
                        : "UINT32_MAX",
            c->t.kind == RT_STRUCT ? cx_printf(cx, "&rt_struct_%d_schema", type_struct_id(c->t)) : "0");
  }
  if (n == 0) em_line(em, "{ 0, 0, 0, 0, 0, 0, 0 }");
  em_close(em, ";");
  em_line(em, "static const RtSchema %s_schema = { %s, sizeof(%s), %d, %s_cols };", prefix,
          c_string(cx, L->sname, strlen(L->sname)), L->sname, n, prefix);
  em_open(em, "static const RtOption %s_opts[] = {", prefix);
  for (int i = 0; i < t->nopts; i++)
    em_line(em, "{ %s, %s },", c_string(cx, t->opts[i].key, strlen(t->opts[i].key)),
            c_string(cx, t->opts[i].value, strlen(t->opts[i].value)));
  if (t->nopts == 0) em_line(em, "{ 0, 0 }");
  em_close(em, ";");
  em_line(em, "%s", "");
}

TableLayout cg_table_layout(Cx *cx, Table *t, const char *role) { return layout_for(cx, t, role); }
void cg_table_struct(Emitter *em, Cx *cx, TableLayout *l, const char *what) { emit_struct(em, cx, l, what); }
void cg_table_descriptor(Emitter *em, Cx *cx, TableLayout *l, const char *prefix) {
  emit_descriptor(em, cx, l, prefix, 1);
}

/* row_n<id>_in, every column of `in` as one edge row (into gen->types), and its edge schema
** n<id>_in_schema (into gen->descs), which leaves window columns out: they hold no strings. For
** the stages that ship their input rows whole (top-N, window functions, maxfilter). The caller
** writes the struct's comment line first. */
void cg_whole_row_types(Gen *gen, int id, const Plan *in) {
  Cx *cx = gen->cx;
  Emitter *ty = &gen->types, *ds = &gen->descs;
  em_open(ty, "typedef struct row_n%d_in {", id);
  em_line(ty, "RtRowHeader h;");
  for (int c = 0; c < in->ncols; c++)
    em_line(ty, "%s c%d;   /* %s */", type_c(in->cols[c].t), c, c_comment(cx, in->cols[c].name));
  em_open(ty, "struct {");
  for (int c = 0; c < in->ncols; c++) em_line(ty, "uint8_t c%d;", c);
  em_close(ty, " _null;");
  em_close(ty, cx_printf(cx, " row_n%d_in;", id));
  em_open(ds, "static const RtColumn n%d_in_cols[] = {", id);
  int n = 0;
  for (int c = 0; c < in->ncols; c++) {
    SqlType t = in->cols[c].t;
    if (t.kind == T_WINDOW) continue;
    em_line(ds, "{ \"c%d\", %d, 1, %d, %d, (uint32_t)offsetof(row_n%d_in, c%d), (uint32_t)offsetof(row_n%d_in, _null.c%d) },",
            c, t.kind, t.prec, t.scale, id, c, id, c);
    n++;
  }
  if (!n) em_line(ds, "{ 0, 0, 0, 0, 0, 0, 0 }");
  em_close(ds, ";");
  em_line(ds, "static const RtSchema n%d_in_schema = { \"row_n%d_in\", sizeof(row_n%d_in), %d, n%d_in_cols };",
          id, id, id, n, id);
}

/* ---- stages and outputs --------------------------------------------------------------- */
static StageGen *new_stage(Gen *gen, const char *name) {
  Cx *cx = gen->cx;
  StageGen *ns = cx_alloc(cx, sizeof(StageGen) * (size_t)(gen->nstages + 1));
  if (gen->nstages) memcpy(ns, gen->stages, sizeof(StageGen) * (size_t)gen->nstages);
  gen->stages = ns;
  StageGen *st = &gen->stages[gen->nstages++];
  st->name = name;
  st->process_fn = st->watermark_fn = st->flush_fn = st->states_sym = "0";
  return st;
}

static void add_port(Cx *cx, RtPort **v, int *n, int *cap, int kind, int index) {
  if (*n == *cap) {
    *cap = *cap ? *cap * 2 : 4;
    RtPort *nv = cx_alloc(cx, sizeof(RtPort) * (size_t)*cap);
    if (*n) memcpy(nv, *v, sizeof(RtPort) * (size_t)*n);
    *v = nv;
  }
  (*v)[*n].kind = (uint8_t)kind;
  (*v)[*n].index = index;
  (*n)++;
}

int gen_output(Gen *gen, int kind, int index) {
  StageGen *st = &gen->stages[gen->stage];
  for (int i = 0; i < st->nouts; i++)
    if (st->outs[i].kind == kind && st->outs[i].index == index) return i;
  add_port(gen->cx, &st->outs, &st->nouts, &st->outcap, kind, index);
  return st->nouts - 1;
}

int gen_edge_into(Gen *gen, Plan *p, int routing, const char *schema_sym, int slot) {
  Cx *cx = gen->cx;
  for (int i = 0; i < gen->nedges; i++)
    if (gen->edges[i].from == gen->stage && gen->edges[i].to == p->stage && gen->edges[i].slot == slot)
      return i;
  if (gen->nedges == gen->edgecap) {
    gen->edgecap = gen->edgecap ? gen->edgecap * 2 : 4;
    EdgeGen *ne = cx_alloc(cx, sizeof(EdgeGen) * (size_t)gen->edgecap);
    if (gen->nedges) memcpy(ne, gen->edges, sizeof(EdgeGen) * (size_t)gen->nedges);
    gen->edges = ne;
  }
  EdgeGen *e = &gen->edges[gen->nedges];
  StageGen *to = &gen->stages[p->stage];
  e->from = gen->stage;
  e->to = p->stage;
  e->routing = routing;
  e->schema_sym = schema_sym;
  e->slot = slot;
  add_port(cx, &to->ins, &to->nins, &to->incap, RT_PORT_EDGE, gen->nedges);
  e->to_input = to->nins - 1;
  return gen->nedges++;
}

/* ---- produce / consume -------------------------------------------------------------- */
void consume_parents(Gen *gen, Plan *p, const CgVal *out, const char *hdr) {
  if (p->nparents == 1) { gen->from = p; consume(gen, p->parents[0], out, hdr); return; }
  for (int i = 0; i < p->nparents; i++) {
    em_open(gen->em, "do {");
    gen->from = p;
    consume(gen, p->parents[i], out, hdr);
    em_close(gen->em, " while (0);");
  }
}

void consume(Gen *gen, Plan *p, const CgVal *in, const char *hdr) {
  Cx *cx = gen->cx;
  Emitter *em = gen->em;
  Cg g = { cx, em, p->id, gen->tmp, hdr };
  CgVal *out = cx_alloc(cx, sizeof(CgVal) * (size_t)(p->ncols ? p->ncols : 1));
  switch (p->kind) {
    case P_FILTER: {
      em_line(em, "/* [n%d] filter %s */", p->id, c_comment(cx, bexpr_text(cx, p->pred)));
      CgVal c = cg_expr(&g, p->pred, in);
      if (strcmp(c.n, "0") == 0) em_line(em, "if (!%s) break;", c.v);
      else em_line(em, "if (%s || !%s) break;", c.n, c.v);
      memcpy(out, in, sizeof(CgVal) * (size_t)p->ncols);
      break;
    }
    case P_PROJECT:
      em_line(em, "/* [n%d] project */", p->id);
      for (int i = 0; i < p->ncols; i++) {
        if (p->exprs[i]->kind != B_COL)
          em_line(em, "/* %s := %s */", c_comment(cx, p->cols[i].name),
                  c_comment(cx, bexpr_text(cx, p->exprs[i])));
        out[i] = cg_expr(&g, p->exprs[i], in);
      }
      break;
    case P_UNION:
    case P_MEMORY:
      em_line(em, "/* [n%d] %s */", p->id, p->kind == P_UNION ? "union all" :
              cx_printf(cx, "memory table %s", c_comment(cx, p->table->name)));
      memcpy(out, in, sizeof(CgVal) * (size_t)p->ncols);
      break;
    case P_SINK: {
      TableLayout *L = &gen->sinks[p->table->port];
      const char *o = cx_printf(cx, "n%d_out", p->id);
      int outi = gen_output(gen, RT_PORT_SINK, p->table->port);
      em_line(em, "/* [n%d] sink %s (%s), output %d */", p->id, c_comment(cx, p->table->name),
              p->table->connector, outi);
      for (int i = 0; i < p->ncols; i++) out[i] = cg_expr(&g, p->exprs[i], in);
      em_line(em, "%s %s;", L->sname, o);
      /* field by field: tcc turns struct assignment into a memmove call */
  em_line(em, "%s.h.ts = %s.ts; %s.h.hash = %s.hash; %s.h.retract = %s.retract;", o, hdr, o, hdr, o, hdr);
      for (int i = 0; i < p->ncols; i++) {
        Column *c = &p->table->cols[i];
        if (type_is_stringy(c->t)) {
          /* strings field by field too (no struct copy) */
          em_line(em, "%s.%s.ptr = (%s).ptr; %s.%s.len = (%s).len;", o, L->fields[i], out[i].v, o,
                  L->fields[i], out[i].v);
          if (c->nullable) em_line(em, "%s._null.%s = %s;", o, L->fields[i], out[i].n);
          else if (strcmp(out[i].n, "0") != 0) {
            const char *msg = cx_printf(cx, "NULL value for NOT NULL column '%s' of %s", c->name,
                                        p->table->name);
            em_line(em, "if (%s) return rt->error(ctx, 0, %s);", out[i].n, c_string(cx, msg, strlen(msg)));
          }
        } else if (c->nullable) {
          em_line(em, "%s.%s = %s; %s._null.%s = %s;", o, L->fields[i], out[i].v, o, L->fields[i], out[i].n);
        } else {
          if (strcmp(out[i].n, "0") != 0) {
            const char *msg = cx_printf(cx, "NULL value for NOT NULL column '%s' of %s", c->name,
                                        p->table->name);
            em_line(em, "if (%s) return rt->error(ctx, 0, %s);", out[i].n, c_string(cx, msg, strlen(msg)));
          }
          em_line(em, "%s.%s = %s;", o, L->fields[i], out[i].v);
        }
      }
      em_line(em, "if (rt->emit(ctx, %d, &%s) < 0) return -1;", outi, o);
      gen->tmp = g.tmp;
      return;
    }
    case P_AGGREGATE:
      gen->tmp = g.tmp;
      cg_agg_input(gen, p, in, hdr);
      return;
    case P_TOPN: case P_OVER:
      gen->tmp = g.tmp;
      cg_topn_input(gen, p, in, hdr);   /* both ship the whole row by partition hash */
      return;
    case P_JOIN:
      gen->tmp = g.tmp;
      cg_join_input(gen, p, in, hdr);
      return;
    case P_LOOKUP:
      gen->tmp = g.tmp;
      cg_lookup_input(gen, p, in, hdr);
      return;
    case P_MAXFILTER:
      gen->tmp = g.tmp;
      cg_maxfilter_input(gen, p, in, hdr);
      return;
    case P_ARGMAX:
      gen->tmp = g.tmp;
      cg_argmax_input(gen, p, in, hdr);
      return;
    case P_UNNEST: {
      /* one row per array element: the parents run inside the element loop */
      em_line(em, "/* [n%d] unnest %s */", p->id, c_comment(cx, bexpr_text(cx, p->exprs[0])));
      CgVal arr = cg_expr(&g, p->exprs[0], in);
      SqlType et = p->cols[p->ncols - 1].t;
      const char *k = cg_tmp(&g, "k");
      memcpy(out, in, sizeof(CgVal) * (size_t)(p->ncols - 1));
      out[p->ncols - 1].v = cx_printf(cx, "((const %s *)%s.data)[%s]", type_c(et), arr.v, k);
      out[p->ncols - 1].n = cx_printf(cx, "(%s.nulls ? %s.nulls[%s] : 0)", arr.v, arr.v, k);
      gen->tmp = g.tmp;
      em_open(em, "for (int64_t %s = 0; %s < (%s ? 0 : %s.len); %s++) {", k, k, arr.n, arr.v, k);
      em_open(em, "do {");
      consume_parents(gen, p, out, hdr);
      em_close(em, " while (0);");
      em_close(em, NULL);
      return;
    }
    case P_SCAN:
      break;
  }
  gen->tmp = g.tmp;
  consume_parents(gen, p, out, hdr);
}

static void collect_scans(Plan *p, Table *t, Plan ***acc, int *n, int *cap, char *seen, Cx *cx) {
  if (seen[p->id]) return;
  seen[p->id] = 1;
  if (p->kind == P_SCAN && p->table == t) {
    if (*n == *cap) {
      *cap = *cap ? *cap * 2 : 4;
      Plan **nv = cx_alloc(cx, sizeof(Plan *) * (size_t)*cap);
      if (*n) memcpy(nv, *acc, sizeof(Plan *) * (size_t)*n);
      *acc = nv;
    }
    (*acc)[(*n)++] = p;
  }
  for (int i = 0; i < p->ninputs; i++) collect_scans(p->inputs[i], t, acc, n, cap, seen, cx);
}

static void collect_aggs(Plan *p, Plan ***acc, int *n, int *cap, char *seen, Cx *cx) {
  if (seen[p->id]) return;
  seen[p->id] = 1;
  for (int i = 0; i < p->ninputs; i++) collect_aggs(p->inputs[i], acc, n, cap, seen, cx);
  if (p->kind == P_AGGREGATE || p->kind == P_TOPN || p->kind == P_JOIN || p->kind == P_OVER ||
      p->kind == P_MAXFILTER || p->kind == P_ARGMAX) {
    if (*n == *cap) {
      *cap = *cap ? *cap * 2 : 4;
      Plan **nv = cx_alloc(cx, sizeof(Plan *) * (size_t)*cap);
      if (*n) memcpy(nv, *acc, sizeof(Plan *) * (size_t)*n);
      *acc = nv;
    }
    (*acc)[(*n)++] = p;
  }
}

/* Lookup joins, each once (they are fused into their stream side, not stages). */
static void collect_lookups(Plan *p, Plan ***acc, int *n, int *cap, char *seen, Cx *cx) {
  if (seen[p->id]) return;
  seen[p->id] = 1;
  for (int i = 0; i < p->ninputs; i++) collect_lookups(p->inputs[i], acc, n, cap, seen, cx);
  if (p->kind != P_LOOKUP) return;
  if (*n == *cap) {
    *cap = *cap ? *cap * 2 : 4;
    Plan **nv = cx_alloc(cx, sizeof(Plan *) * (size_t)*cap);
    if (*n) memcpy(nv, *acc, sizeof(Plan *) * (size_t)*n);
    *acc = nv;
  }
  (*acc)[(*n)++] = p;
}

static int cmp_plan_id(const void *a, const void *b) {
  return (*(Plan *const *)a)->id - (*(Plan *const *)b)->id;
}

/* The watermark candidate of one source row: the WATERMARK expression if declared, else
** the event time minus the default delay (1 s). */
#define DEFAULT_WATERMARK_DELAY_NS "INT64_C(1000000000)"

static void emit_source_consume(Gen *gen, TableLayout *L, int input) {
  Cx *cx = gen->cx;
  Emitter *em = gen->em;
  Table *t = L->t;
  Catalog *cat = cx->cat;
  Plan **scans = NULL;
  int n = 0, cap = 0;
  char *seen = cx_alloc(cx, (size_t)cat->next_plan_id + 1);
  for (int i = 0; i < cat->nsink_plans; i++) collect_scans(cat->sink_plans[i], t, &scans, &n, &cap, seen, cx);
  qsort(scans, (size_t)n, sizeof(Plan *), cmp_plan_id);

  gen->tmp = 0;
  em_line(em, "/* Source %s (%s), stage input %d. Every row runs through each path to a sink or",
          c_comment(cx, t->name), t->connector, input);
  em_line(em, "** aggregate; the batch's largest watermark candidate is reported at the end. */");
  em_open(em, "static int src%d_%s_consume(RtCtx *ctx, const RtBatch *batch) {", t->port, c_ident(cx, t->name));
  em_line(em, "const %s *rows = (const %s *)batch->rows;", L->sname, L->sname);
  em_line(em, "int64_t i, wm = INT64_MIN;");
  cg_argmax_source_prologue(gen, t);
  em_open(em, "for (i = 0; i < batch->n; i++) {");
  em_line(em, "const %s *r = &rows[i];", L->sname);
  CgVal *in = cx_alloc(cx, sizeof(CgVal) * (size_t)(t->ncols ? t->ncols : 1));
  for (int i = 0; i < t->ncols; i++) {
    if (t->cols[i].generated) continue;
    in[i].v = cx_printf(cx, "r->%s", L->fields[i]);
    in[i].n = t->cols[i].nullable ? cx_printf(cx, "r->_null.%s", L->fields[i]) : "0";
  }
  Cg g = { cx, em, 0, gen->tmp, "r->h" };
  for (int i = 0; i < t->ncols; i++) {
    if (!t->cols[i].generated) continue;
    em_line(em, "/* generated column %s := %s */", c_comment(cx, t->cols[i].name),
            c_comment(cx, bexpr_text(cx, t->cols[i].gen_bound)));
    in[i] = cg_expr(&g, t->cols[i].gen_bound, in);
  }
  if (t->wm_bound) {
    em_line(em, "/* watermark candidate := %s */", c_comment(cx, bexpr_text(cx, t->wm_bound)));
    CgVal w = cg_expr(&g, t->wm_bound, in);
    if (strcmp(w.n, "0") == 0) em_line(em, "if (%s > wm) wm = %s;", w.v, w.v);
    else em_line(em, "if (!%s && %s > wm) wm = %s;", w.n, w.v, w.v);
  } else {
    em_line(em, "if (r->h.ts - %s > wm) wm = r->h.ts - %s;   /* default delay */",
            DEFAULT_WATERMARK_DELAY_NS, DEFAULT_WATERMARK_DELAY_NS);
  }
  gen->tmp = g.tmp;
  for (int s = 0; s < n; s++) {
    em_line(em, "/* [n%d] scan %s */", scans[s]->id, c_comment(cx, t->name));
    em_open(em, "do {");
    consume_parents(gen, scans[s], in, "r->h");
    em_close(em, " while (0);");
  }
  em_close(em, NULL);
  em_line(em, "if (batch->n > 0) rt->source_watermark(ctx, %d, wm);", input);
  em_line(em, "return 0;");
  em_close(em, NULL);
  em_line(em, "%s", "");
}

static void emit_connector(Emitter *em, Cx *cx, Table *t, const char *prefix) {
  em_line(em, "{ %s, %s, %d, %s_opts, &%s_schema, %d, %d, %d },",
          c_string(cx, t->name, strlen(t->name)), c_string(cx, t->connector, strlen(t->connector)),
          t->nopts, prefix, prefix, t->port, t->updating, t->event_time_col);
}

static void emit_ports(Emitter *em, Cx *cx, const char *sym, RtPort *v, int n) {
  static const char *const kinds[] = { "0", "RT_PORT_SOURCE", "RT_PORT_EDGE", "RT_PORT_SINK" };
  em_open(em, "static const RtPort %s[] = {", sym);
  for (int i = 0; i < n; i++) em_line(em, "{ %s, {0, 0, 0}, %d },", kinds[v[i].kind], v[i].index);
  if (n == 0) em_line(em, "{ 0, {0, 0, 0}, 0 }");
  em_close(em, ";");
  (void)cx;
}

char *cg_generate(Cx *cx, const char *plan_text) {
  Catalog *cat = cx->cat;
  /* the emitters live in the arena and their buffers are freed with the compile, so an
  ** error raised while generating (a longjmp out of here) leaks nothing */
  Gen *gen = cx_alloc(cx, sizeof *gen);
  Emitter *head = cx_alloc(cx, sizeof *head), *sdescs = cx_alloc(cx, sizeof *sdescs),
          *out = cx_alloc(cx, sizeof *out);
  Buf *owned[] = { &gen->types.out, &gen->funcs.out, &gen->descs.out, &head->out, &sdescs->out, &out->out };
  for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++) cx_own_buf(cx, owned[i]);
  gen->cx = cx;
  gen->em = &gen->funcs;
  Emitter *em = head;
  uint64_t qh = fnv1a(14695981039346656037ULL, cx->src, cx->srclen);
  const char *qid = cx_printf(cx, "q%08llx", (unsigned long long)(qh & 0xffffffffULL));

  /* header */
  em_line(em, "/*");
  em_line(em, "** Generated by %s (runtime ABI %u). Do not edit: regenerate from the SQL.", ARROYO_COMPILER_VERSION, RT_ABI_VERSION);
  em_line(em, "** query id: %s", qid);
  em_line(em, "**");
  em_line(em, "** SQL:");
  {
    const char *s = c_comment(cx, cx->src), *line = s;
    for (const char *p = s;; p++) {
      if (*p == '\n' || *p == 0) {
        em_line(em, "**   %.*s", (int)(p - line), line);
        if (!*p) break;
        line = p + 1;
      }
    }
  }
  em_line(em, "**");
  em_line(em, "** EXPLAIN:");
  {
    const char *s = c_comment(cx, plan_text), *line = s;
    for (const char *p = s; *p; p++)
      if (*p == '\n') { em_line(em, "**   %.*s", (int)(p - line), line); line = p + 1; }
  }
  em_line(em, "*/");
  em_line(em, "#include \"abi.h\"");
  em_line(em, "%s", "");
  em_line(em, "static const RtApi *rt;   /* runtime function table, set by the entry point */");
  em_line(em, "#define arroyo_udf_alloc(ctx, n) (rt->alloc((ctx), (n)))");
  em_line(em, "%s", "");
  /* tcc lowers struct assignment to memmove and zero-initialisation to memset calls; defining
  ** them here keeps the .so free of undefined symbols under both backends. */
  em_line(em, "#ifdef __TINYC__");
  em_open(em, "void *memmove(void *dst, const void *src, size_t n) {");
  em_line(em, "unsigned char *d = (unsigned char *)dst;");
  em_line(em, "const unsigned char *s = (const unsigned char *)src;");
  em_line(em, "if (!(((uintptr_t)d | (uintptr_t)s | n) & 7) && (d + n <= s || s + n <= d)) {");
  em_line(em, "  uint64_t *dw = (uint64_t *)dst; const uint64_t *sw = (const uint64_t *)src;");
  em_line(em, "  for (n /= 8; n--; ) *dw++ = *sw++;   /* aligned, disjoint: words */");
  em_line(em, "} else if (d < s) { while (n--) *d++ = *s++; }");
  em_line(em, "else { d += n; s += n; while (n--) *--d = *--s; }");
  em_line(em, "return dst;");
  em_close(em, NULL);
  em_open(em, "void *memset(void *dst, int c, size_t n) {");
  em_line(em, "unsigned char *d = (unsigned char *)dst;");
  em_line(em, "while (n--) *d++ = (unsigned char)c;");
  em_line(em, "return dst;");
  em_close(em, NULL);
  em_line(em, "#endif");
  em_line(em, "%s", "");

  /* user-defined functions, verbatim */
  for (int i = 0; i < cat->nudf_sources; i++) {
    em_line(em, "/* ---- user-defined functions from %s ---- */", c_comment(cx, cat->udf_paths[i]));
    em_line(em, "#line 1 %s", c_string(cx, cat->udf_paths[i], strlen(cat->udf_paths[i])));
    em_raw(em, cat->udf_sources[i]);
    size_t n = strlen(cat->udf_sources[i]);
    if (n && cat->udf_sources[i][n - 1] != '\n') em_raw(em, "\n");
    /* back to this file's own line numbers for what follows */
    int line = 2;
    for (const char *q = buf_cstr(&em->out); *q; q++) line += *q == '\n';
    const char *base = strrchr(cx->filename, '/');
    const char *gname = cx_printf(cx, "%s.c", base ? base + 1 : cx->filename);
    em_line(em, "#line %d %s", line, c_string(cx, gname, strlen(gname)));
  }

  /* STRUCT types (inner definitions have smaller ids, so they come first); their schemas
  ** precede every descriptor that points at them */
  Emitter *ty = &gen->types;
  for (int i = 0; i < cat->nstructs; i++) {
    StructDef *d = &cat->structs[i];
    em_line(ty, "/* STRUCT type %d */", i);
    em_open(ty, "typedef struct rt_struct_%d {", i);
    int nn = 0;
    for (int k = 0; k < d->nfields; k++) {
      em_line(ty, "%s %s;", type_c(d->fields[k].t), c_ident(cx, d->fields[k].name));
      nn += d->fields[k].nullable;
    }
    if (nn) {
      em_open(ty, "struct {");
      for (int k = 0; k < d->nfields; k++)
        if (d->fields[k].nullable) em_line(ty, "uint8_t %s;", c_ident(cx, d->fields[k].name));
      em_close(ty, " _null;");
    }
    em_close(ty, cx_printf(cx, " rt_struct_%d;", i));
    em_line(ty, "%s", "");
    Emitter *ds = sdescs;
    em_open(ds, "static const RtColumn rt_struct_%d_cols[] = {", i);
    for (int k = 0; k < d->nfields; k++) {
      StructField *f = &d->fields[k];
      const char *fn = c_ident(cx, f->name);
      em_line(ds, "{ %s, %s, %d, %d, %d, (uint32_t)offsetof(rt_struct_%d, %s), %s, %s },",
              c_string(cx, f->name, strlen(f->name)), rt_type_enum[f->t.kind], f->nullable,
              f->t.kind == RT_DECIMAL ? f->t.prec : 0, f->t.kind == RT_DECIMAL ? f->t.scale : 0, i, fn,
              f->nullable ? cx_printf(cx, "(uint32_t)offsetof(rt_struct_%d, _null.%s)", i, fn) : "UINT32_MAX",
              f->t.kind == RT_STRUCT ? cx_printf(cx, "&rt_struct_%d_schema", type_struct_id(f->t)) : "0");
    }
    em_close(ds, ";");
    em_line(ds, "static const RtSchema rt_struct_%d_schema = { \"rt_struct_%d\", sizeof(rt_struct_%d), %d, rt_struct_%d_cols };",
            i, i, i, d->nfields, i);
  }

  /* row structs of connectors */
  TableLayout *srcs = cx_alloc(cx, sizeof(TableLayout) * (size_t)(cat->nsources ? cat->nsources : 1));
  TableLayout *sinks = cx_alloc(cx, sizeof(TableLayout) * (size_t)(cat->nsinks ? cat->nsinks : 1));
  gen->sinks = sinks;
  uint64_t lh = fnv1a(14695981039346656037ULL, "abi2", 4);
  for (int i = 0; i < cat->nsources; i++) {
    srcs[i] = layout_for(cx, cat->sources[i], "src");
    emit_struct(ty, cx, &srcs[i], cx_printf(cx, "source %s: row as the connector decodes it", cat->sources[i]->name));
  }
  for (int i = 0; i < cat->nsinks; i++) {
    sinks[i] = layout_for(cx, cat->sinks[i], "sink");
    emit_struct(ty, cx, &sinks[i], cx_printf(cx, "sink %s: row as the connector encodes it", cat->sinks[i]->name));
  }
  for (int k = 0; k < 2; k++) {
    int n = k ? cat->nsinks : cat->nsources;
    TableLayout *ls = k ? sinks : srcs;
    for (int i = 0; i < n; i++)
      for (int c = 0; c < ls[i].t->ncols; c++) {
        Column *col = &ls[i].t->cols[c];
        lh = fnv1a(lh, col->name, strlen(col->name) + 1);
        lh = fnv1a(lh, &col->t, sizeof col->t);
        lh = fnv1a(lh, &col->nullable, sizeof col->nullable);
      }
  }

  /* stages: 0 is the source stage, then one per aggregate (in plan id order) */
  Plan **aggs = NULL;
  int naggs = 0, aggcap = 0;
  char *seen = cx_alloc(cx, (size_t)cat->next_plan_id + 1);
  for (int i = 0; i < cat->nsink_plans; i++) collect_aggs(cat->sink_plans[i], &aggs, &naggs, &aggcap, seen, cx);
  if (naggs > 1) qsort(aggs, (size_t)naggs, sizeof(Plan *), cmp_plan_id);
  StageGen *src_stage = new_stage(gen, "source");
  src_stage->process_fn = "source_process";
  for (int i = 0; i < cat->nsources; i++)
    add_port(cx, &src_stage->ins, &src_stage->nins, &src_stage->incap, RT_PORT_SOURCE, i);
  for (int i = 0; i < naggs; i++) {
    new_stage(gen, cx_printf(cx, "n%d_%s", aggs[i]->id, aggs[i]->kind == P_TOPN ? "row_number" :
                                                         aggs[i]->kind == P_OVER ? "over" :
                                                         aggs[i]->kind == P_JOIN ? "join" :
                                                         aggs[i]->kind == P_MAXFILTER ? "maxfilter" :
                                                         aggs[i]->kind == P_ARGMAX ? "argmax" : "agg"));
    aggs[i]->stage = gen->nstages - 1;
  }
  for (int i = 0; i < naggs; i++) {
    if (aggs[i]->kind == P_TOPN) { cg_topn_types(gen, aggs[i]); continue; }
    if (aggs[i]->kind == P_OVER) { cg_over_types(gen, aggs[i]); continue; }
    if (aggs[i]->kind == P_JOIN) { cg_join_types(gen, aggs[i]); continue; }
    if (aggs[i]->kind == P_MAXFILTER) { cg_maxfilter_types(gen, aggs[i]); continue; }
    if (aggs[i]->kind == P_ARGMAX) { cg_argmax_types(gen, aggs[i]); continue; }
    cg_agg_types(gen, aggs[i]);
    lh = fnv1a(lh, &aggs[i]->id, sizeof aggs[i]->id);
    lh = fnv1a(lh, &aggs[i]->naggs, sizeof aggs[i]->naggs);
    lh = fnv1a(lh, &aggs[i]->win, sizeof aggs[i]->win);
  }

  cg_argmax_source_states(gen);

  /* lookup join tables: row structs, connectors, key functions (before any loop uses them) */
  Plan **lookups = NULL;
  int nlookups = 0, lookcap = 0;
  memset(seen, 0, (size_t)cat->next_plan_id + 1);
  for (int i = 0; i < cat->nsink_plans; i++) collect_lookups(cat->sink_plans[i], &lookups, &nlookups, &lookcap, seen, cx);
  if (nlookups > 1) qsort(lookups, (size_t)nlookups, sizeof(Plan *), cmp_plan_id);
  for (int i = 0; i < nlookups; i++) cg_lookup_types(gen, lookups[i]);

  /* the source stage's fused loops */
  gen->stage = 0;
  for (int i = 0; i < cat->nsources; i++) emit_source_consume(gen, &srcs[i], i);
  Emitter *fn = &gen->funcs;
  em_open(fn, "static int source_process(RtCtx *ctx, int input, const RtBatch *batch) {");
  em_open(fn, "switch (input) {");
  for (int i = 0; i < cat->nsources; i++)
    em_line(fn, "case %d: return src%d_%s_consume(ctx, batch);", i, i, c_ident(cx, cat->sources[i]->name));
  em_line(fn, "default: break;");
  em_close(fn, NULL);
  em_line(fn, "return rt->error(ctx, 0, \"source stage has no input %%d\", input);");
  em_close(fn, NULL);
  em_line(fn, "%s", "");

  /* aggregate stages */
  for (int i = 0; i < naggs; i++) {
    gen->stage = aggs[i]->stage;
    if (aggs[i]->kind == P_TOPN) cg_topn_stage(gen, aggs[i]);
    else if (aggs[i]->kind == P_OVER) cg_over_stage(gen, aggs[i]);
    else if (aggs[i]->kind == P_JOIN) cg_join_stage(gen, aggs[i]);
    else if (aggs[i]->kind == P_MAXFILTER) cg_maxfilter_stage(gen, aggs[i]);
    else if (aggs[i]->kind == P_ARGMAX) cg_argmax_stage(gen, aggs[i]);
    else cg_agg_stage(gen, aggs[i]);
  }

  /* The layout hash so far covers the connectors' columns and the aggregates' shape; add every
  ** type the stages emitted (rows, keys, accumulators, stored join/top-N/frame rows) and each
  ** stage's name and number of state tables, so that a checkpoint is restored only by code whose
  ** state layout is the same. Changes that leave the state alone (a filter, a projection into a
  ** sink, a constant) keep the hash. */
  const char *types_text = buf_cstr(&gen->types.out);
  lh = fnv1a(lh, types_text, strlen(types_text));
  for (int i = 0; i < gen->nstages; i++) {
    lh = fnv1a(lh, gen->stages[i].name, strlen(gen->stages[i].name) + 1);
    lh = fnv1a(lh, &gen->stages[i].nstates, sizeof gen->stages[i].nstates);
  }

  /* assemble: head, types, functions, descriptors */
  em_raw(out, buf_cstr(&head->out));
  em_raw(out, buf_cstr(&gen->types.out));
  em_raw(out, buf_cstr(&gen->funcs.out));
  em = out;
  em_raw(em, buf_cstr(&sdescs->out));
  for (int i = 0; i < cat->nsources; i++)
    emit_descriptor(em, cx, &srcs[i], cx_printf(cx, "src%d", i), 1);
  for (int i = 0; i < cat->nsinks; i++)
    emit_descriptor(em, cx, &sinks[i], cx_printf(cx, "sink%d", i), 0);
  em_raw(em, buf_cstr(&gen->descs.out));

  em_open(em, "static const RtConnector sources[] = {");
  for (int i = 0; i < cat->nsources; i++) emit_connector(em, cx, cat->sources[i], cx_printf(cx, "src%d", i));
  if (!cat->nsources) em_line(em, "{ 0, 0, 0, 0, 0, 0, 0, 0 }");
  em_close(em, ";");
  em_open(em, "static const RtConnector sinks[] = {");
  for (int i = 0; i < cat->nsinks; i++) emit_connector(em, cx, cat->sinks[i], cx_printf(cx, "sink%d", i));
  em_close(em, ";");
  em_line(em, "%s", "");
  for (int i = 0; i < gen->nstages; i++) {
    StageGen *st = &gen->stages[i];
    emit_ports(em, cx, cx_printf(cx, "stage%d_inputs", i), st->ins, st->nins);
    emit_ports(em, cx, cx_printf(cx, "stage%d_outputs", i), st->outs, st->nouts);
  }
  em_open(em, "static const RtStage stages[] = {");
  for (int i = 0; i < gen->nstages; i++) {
    StageGen *st = &gen->stages[i];
    em_line(em, "{ \"%s\", %d, stage%d_inputs, %d, stage%d_outputs, %d, %d, %s, %s, %s, %s },",
            st->name, st->nins, i, st->nouts, i, st->maxpar, st->nstates, st->states_sym,
            st->process_fn, st->watermark_fn, st->flush_fn);
  }
  em_close(em, ";");
  static const char *const routes[] = { "0", "RT_ROUTE_FORWARD", "RT_ROUTE_HASH", "RT_ROUTE_SINGLE" };
  em_open(em, "static const RtEdge edges[] = {");
  for (int i = 0; i < gen->nedges; i++) {
    EdgeGen *e = &gen->edges[i];
    em_line(em, "{ %d, %d, %d, %s, {0, 0, 0}, &%s },", e->from, e->to, e->to_input, routes[e->routing],
            e->schema_sym);
  }
  if (gen->nedges == 0) em_line(em, "{ 0, 0, 0, 0, {0, 0, 0}, 0 }");
  em_close(em, ";");
  em_line(em, "%s", "");
  em_line(em, "static const char query_sql[] = %s;", c_string(cx, cx->src, cx->srclen));
  em_line(em, "static const char query_plan[] = %s;", c_string(cx, plan_text, strlen(plan_text)));
  em_open(em, "static const RtPipeline pipeline = {");
  em_line(em, "RT_ABI_VERSION, sizeof(RtPipeline), \"%s\", query_sql, query_plan,", qid);
  em_line(em, "UINT64_C(0x%016llx),   /* layout hash */", (unsigned long long)lh);
  em_line(em, "%d, sources, %d, sinks, 0,", cat->nsources, cat->nsinks);
  em_line(em, "%d, stages, %d, edges", gen->nstages, gen->nedges);
  em_close(em, ";");
  em_line(em, "%s", "");
  em_line(em, "/* The one exported symbol: keep the runtime's table and describe the pipeline. */");
  em_open(em, "const RtPipeline *arroyo_pipeline_v1(const RtApi *api) {");
  em_line(em, "rt = api;");
  em_line(em, "return &pipeline;");
  em_close(em, NULL);
  return cx_strndup(cx, out->out.p, out->out.len);
}
