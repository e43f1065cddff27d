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
  "RT_TEXT", "RT_TIMESTAMP", "RT_BYTEA", "RT_JSON" };

typedef struct TableLayout {
  Table *t;
  const char *sname;     /* C struct name, row_<table> */
  const char **fields;   /* C field name per column (NULL for generated columns) */
} TableLayout;

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
    em_line(em, "{ %s, %s, %d, %d, %d, (uint32_t)offsetof(%s, %s), %s },",
            c_string(cx, c->name, strlen(c->name)), rt_type_enum[c->t.kind], c->nullable,
            c->t.prec, c->t.scale, L->sname, L->fields[i],
            c->nullable ? cx_printf(cx, "(uint32_t)offsetof(%s, _null.%s)", L->sname, L->fields[i])
                        : "UINT32_MAX");
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

/* ---- produce / consume -------------------------------------------------------------- */
typedef struct Gen {
  Cx *cx;
  Emitter *em;
  TableLayout *sinks;    /* by port */
  int tmp;               /* counter shared by the whole consume function */
} Gen;

static void consume(Gen *gen, Plan *p, const CgVal *in, const char *hdr);

static void consume_parents(Gen *gen, Plan *p, const CgVal *out, const char *hdr) {
  if (p->nparents == 1) { consume(gen, p->parents[0], out, hdr); return; }
  for (int i = 0; i < p->nparents; i++) {
    em_open(gen->em, "do {");
    consume(gen, p->parents[i], out, hdr);
    em_close(gen->em, " while (0);");
  }
}

static void consume(Gen *gen, Plan *p, const CgVal *in, const char *hdr) {
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
      em_line(em, "/* [n%d] sink %s (%s), port %d */", p->id, c_comment(cx, p->table->name),
              p->table->connector, p->table->port);
      for (int i = 0; i < p->ncols; i++) out[i] = cg_expr(&g, p->exprs[i], in);
      em_line(em, "%s %s;", L->sname, o);
      em_line(em, "%s.h = %s;", o, hdr);
      for (int i = 0; i < p->ncols; i++) {
        Column *c = &p->table->cols[i];
        if (c->nullable) {
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
      em_line(em, "if (rt->emit(ctx, %d, &%s) < 0) return -1;", p->table->port, o);
      gen->tmp = g.tmp;
      return;
    }
    case P_AGGREGATE:
      diag_error(cx, 1, 1, "internal: aggregate code generation is not wired yet");
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

static int cmp_plan_id(const void *a, const void *b) {
  return (*(Plan *const *)a)->id - (*(Plan *const *)b)->id;
}

static void emit_source_consume(Gen *gen, TableLayout *L) {
  Cx *cx = gen->cx;
  Emitter *em = gen->em;
  Table *t = L->t;
  Catalog *cat = cx->cat;
  Plan **scans = NULL;
  int n = 0, cap = 0;
  char *seen = cx_alloc(cx, (size_t)cat->next_plan_id + 1);
  for (int i = 0; i < cat->nsink_plans; i++) collect_scans(cat->sink_plans[i], t, &scans, &n, &cap, seen, cx);
  qsort(scans, (size_t)n, sizeof(Plan *), cmp_plan_id);

  em_line(em, "/* Source port %d: %s (%s). Every row runs through each path to a sink. */",
          t->port, c_comment(cx, t->name), t->connector);
  em_open(em, "static int src%d_%s_consume(RtCtx *ctx, const RtBatch *batch) {", t->port, c_ident(cx, t->name));
  em_line(em, "const %s *rows = (const %s *)batch->rows;", L->sname, L->sname);
  em_line(em, "int64_t i;");
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
  gen->tmp = g.tmp;
  for (int s = 0; s < n; s++) {
    em_line(em, "/* [n%d] scan %s */", scans[s]->id, c_comment(cx, t->name));
    if (n > 1) em_open(em, "do {");
    else em_open(em, "do {");
    consume_parents(gen, scans[s], in, "r->h");
    em_close(em, " while (0);");
  }
  em_close(em, NULL);
  em_line(em, "return 0;");
  em_close(em, NULL);
  em_line(em, "%s", "");
}

static void emit_connector(Emitter *em, Cx *cx, Table *t, const char *prefix) {
  em_line(em, "{ %s, %s, %d, %s_opts, &%s_schema, %d, %d, %d },",
          c_string(cx, t->name, strlen(t->name)), c_string(cx, t->connector, strlen(t->connector)),
          t->nopts, prefix, prefix, t->port, t->updating, t->event_time_col);
}

char *cg_generate(Cx *cx, const char *plan_text) {
  Catalog *cat = cx->cat;
  Emitter e = {0};
  Emitter *em = &e;
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
  /* tcc lowers every struct assignment to a memmove call; defining it here keeps the .so
  ** free of undefined symbols under both backends (gcc copies small structs inline). */
  em_line(em, "#ifdef __TINYC__");
  em_open(em, "void *memmove(void *dst, const void *src, size_t n) {");
  em_line(em, "unsigned char *d = (unsigned char *)dst;");
  em_line(em, "const unsigned char *s = (const unsigned char *)src;");
  em_line(em, "if (d < s) { while (n--) *d++ = *s++; }");
  em_line(em, "else { d += n; s += n; while (n--) *--d = *--s; }");
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
    em_line(em, "%s", "");
  }

  /* row structs */
  TableLayout *srcs = cx_alloc(cx, sizeof(TableLayout) * (size_t)(cat->nsources ? cat->nsources : 1));
  TableLayout *sinks = cx_alloc(cx, sizeof(TableLayout) * (size_t)(cat->nsinks ? cat->nsinks : 1));
  uint64_t lh = fnv1a(14695981039346656037ULL, "abi1", 4);
  for (int i = 0; i < cat->nsources; i++) {
    srcs[i] = layout_for(cx, cat->sources[i], "src");
    emit_struct(em, cx, &srcs[i], cx_printf(cx, "source %s: row as the connector decodes it", cat->sources[i]->name));
  }
  for (int i = 0; i < cat->nsinks; i++) {
    sinks[i] = layout_for(cx, cat->sinks[i], "sink");
    emit_struct(em, cx, &sinks[i], cx_printf(cx, "sink %s: row as the connector encodes it", cat->sinks[i]->name));
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

  /* descriptors */
  for (int i = 0; i < cat->nsources; i++)
    emit_descriptor(em, cx, &srcs[i], cx_printf(cx, "src%d", i), 1);
  for (int i = 0; i < cat->nsinks; i++)
    emit_descriptor(em, cx, &sinks[i], cx_printf(cx, "sink%d", i), 0);

  /* fused loops */
  Gen gen = { cx, em, sinks, 0 };
  for (int i = 0; i < cat->nsources; i++) emit_source_consume(&gen, &srcs[i]);

  em_open(em, "static int process(RtCtx *ctx, int port, const RtBatch *batch) {");
  em_open(em, "switch (port) {");
  for (int i = 0; i < cat->nsources; i++)
    em_line(em, "case %d: return src%d_%s_consume(ctx, batch);", i, i, c_ident(cx, cat->sources[i]->name));
  em_line(em, "default: break;");
  em_close(em, NULL);
  em_line(em, "return rt->error(ctx, 0, \"pipeline has no source port %%d\", port);");
  em_close(em, NULL);
  em_line(em, "%s", "");

  em_open(em, "static const RtConnector sources[] = {");
  for (int i = 0; i < cat->nsources; i++) emit_connector(em, cx, cat->sources[i], cx_printf(cx, "src%d", i));
  if (!cat->nsources) em_line(em, "{ 0, 0, 0, 0, 0, 0, 0, 0 }");
  em_close(em, ";");
  em_open(em, "static const RtConnector sinks[] = {");
  for (int i = 0; i < cat->nsinks; i++) emit_connector(em, cx, cat->sinks[i], cx_printf(cx, "sink%d", i));
  em_close(em, ";");
  em_line(em, "%s", "");
  em_line(em, "static const char query_sql[] = %s;", c_string(cx, cx->src, cx->srclen));
  em_line(em, "static const char query_plan[] = %s;", c_string(cx, plan_text, strlen(plan_text)));
  em_open(em, "static const RtPipeline pipeline = {");
  em_line(em, "RT_ABI_VERSION, sizeof(RtPipeline), \"%s\", query_sql, query_plan,", qid);
  em_line(em, "UINT64_C(0x%016llx),   /* layout hash */", (unsigned long long)lh);
  em_line(em, "%d, sources, %d, sinks, process", cat->nsources, cat->nsinks);
  em_close(em, ";");
  em_line(em, "%s", "");
  em_line(em, "/* The one exported symbol: keep the runtime's table and describe the pipeline. */");
  em_open(em, "const RtPipeline *arroyo_pipeline_v1(const RtApi *api) {");
  em_line(em, "rt = api;");
  em_line(em, "return &pipeline;");
  em_close(em, NULL);
  char *r = cx_strndup(cx, e.out.p, e.out.len);
  buf_free(&e.out);
  return r;
}
