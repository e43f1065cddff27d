/*
** codegen/cg_lookup.c: lookup joins (P_LOOKUP: `JOIN t FOR SYSTEM_TIME AS OF ... ON ...`).
**
** A lookup join is not a stage: it runs inside the fused loop of its stream side, wherever
** that is (no shuffle), so every subtask of that stage probes its own copy of the table.
** For node n<id> and table t this emits:
**   - row_n<id>_lookup_<t>, the table's row struct, and n<id>_table, its RtConnector (path,
**     format options, schema) for rt->lookup_table, which reads the file whole into a hash
**     map the first time a subtask probes (runtime/lookup.c);
**   - n<id>_table_key(), the key bytes of one table row (rkeys), used to build the map;
**   - in the stream's loop (cg_lookup_input): the same key bytes from the stream row (exprs),
**     rt->lookup_find, then one output row per matching table row that passes the residual
**     condition, or for LEFT joins one row with the table's columns NULL when none does.
** Key bytes: per key, fixed-size values as their bytes (floats with -0 made 0), strings as a
** 4-byte length and the bytes; `=` already cast both sides to one type, so equal SQL values
** give equal bytes. A NULL key part means no match (NULL = x is never true).
** The output row keeps the stream row's header (event time; a retraction stays one).
** Not here: binding (compiler/lookup.c), the table itself (runtime/lookup.c).
*/
#include <string.h>
#include "codegen.h"

#define LOOKUP_HASH_SEED "UINT64_C(0x6c6f6f6b75703031)"

static TableLayout *layout_of(Gen *gen, Plan *L) {
  if (L->lookup_slot >= gen->nlookups || !gen->lookups[L->lookup_slot].t)
    diag_error(gen->cx, 1, 1, "lookup join n%d: no table layout", L->id);
  return &gen->lookups[L->lookup_slot];
}

/* Evaluate `keys` over `in` and build key bytes into <p>kb / <p>kl and the hash <p>h. When a
** part is NULL, `on_null` runs (a statement) before any bytes are built. */
static void emit_key(Gen *gen, Cg *g, BExpr **keys, int nkeys, const CgVal *in, const char *p,
                     const char *on_null, int scratch) {
  Cx *cx = gen->cx;
  Emitter *em = gen->em;
  CgVal *kv = cx_alloc(cx, sizeof(CgVal) * (size_t)nkeys);
  for (int k = 0; k < nkeys; k++) kv[k] = cg_expr(g, keys[k], in);
  Buf *nulls = cx_alloc(cx, sizeof *nulls), *len = cx_alloc(cx, sizeof *len);  /* freed with the compile */
  cx_own_buf(cx, nulls);
  cx_own_buf(cx, len);
  for (int k = 0; k < nkeys; k++)
    if (strcmp(kv[k].n, "0") != 0) buf_printf(nulls, "%s%s", nulls->len ? " || " : "", kv[k].n);
  if (nulls->len) em_line(em, "if (%s) %s", buf_cstr(nulls), on_null);
  /* fixed parts into locals (their address is taken), strings measured */
  buf_puts(len, "0");
  for (int k = 0; k < nkeys; k++) {
    SqlType t = keys[k]->t;
    if (type_is_stringy(t)) {
      em_line(em, "RtStr %sk%d = %s;", p, k, kv[k].v);
      buf_printf(len, " + 4 + (uint32_t)%sk%d.len", p, k);
    } else {
      em_line(em, "%s %sk%d = %s;", type_c(t), p, k, kv[k].v);
      if (type_is_float(t)) em_line(em, "if (%sk%d == 0) %sk%d = 0;   /* -0 = 0 */", p, k, p, k);
      buf_printf(len, " + (uint32_t)sizeof %sk%d", p, k);
    }
  }
  em_line(em, "uint32_t %skl = %s, %sko = 0;", p, buf_cstr(len), p);
  if (scratch) {   /* the bytes outlive this function (the runtime copies them) */
    em_line(em, "unsigned char *%skb = (unsigned char *)rt->alloc(ctx, %skl);", p, p);
  } else {
    em_line(em, "unsigned char %skbuf[64];", p);
    em_line(em, "unsigned char *%skb = %skl <= sizeof %skbuf ? %skbuf : (unsigned char *)rt->alloc(ctx, %skl);",
            p, p, p, p, p);
  }
  for (int k = 0; k < nkeys; k++) {
    if (type_is_stringy(keys[k]->t)) {
      em_line(em, "uint32_t %slen%d = (uint32_t)%sk%d.len;", p, k, p, k);
      em_line(em, "rt_put_bytes(%skb + %sko, &%slen%d, 4); %sko += 4;", p, p, p, k, p);
      em_line(em, "rt_put_bytes(%skb + %sko, %sk%d.ptr, %slen%d); %sko += %slen%d;", p, p, p, k, p, k, p, p, k);
    } else {
      em_line(em, "rt_put_bytes(%skb + %sko, &%sk%d, sizeof %sk%d); %sko += (uint32_t)sizeof %sk%d;",
              p, p, p, k, p, k, p, p, k);
    }
  }
  em_line(em, "uint64_t %sh = rt->hash_bytes(%skb, %skl, %s);", p, p, p, LOOKUP_HASH_SEED);
}

void cg_lookup_types(Gen *gen, Plan *L) {
  Cx *cx = gen->cx;
  Table *t = L->table;
  if (L->lookup_slot >= gen->nlookups) {
    TableLayout *n = cx_alloc(cx, sizeof(TableLayout) * (size_t)(L->lookup_slot + 1));
    if (gen->nlookups) memcpy(n, gen->lookups, sizeof(TableLayout) * (size_t)gen->nlookups);
    gen->lookups = n;
    gen->nlookups = L->lookup_slot + 1;
  }
  TableLayout *lay = &gen->lookups[L->lookup_slot];
  *lay = cg_table_layout(cx, t, cx_printf(cx, "n%d_lookup", L->id));
  const char *prefix = cx_printf(cx, "n%d_table", L->id);
  Emitter *ty = &gen->types;
  cg_table_struct(ty, cx, lay, cx_printf(cx, "[n%d] lookup table %s: row as the connector decodes it",
                                         L->id, t->name));
  cg_table_descriptor(ty, cx, lay, prefix);
  em_line(ty, "static const RtConnector %s = { %s, %s, %d, %s_opts, &%s_schema, -1, 0, %d };", prefix,
          c_string(cx, t->name, strlen(t->name)), c_string(cx, t->connector, strlen(t->connector)),
          t->nopts, prefix, prefix, t->event_time_col);
  em_line(ty, "%s", "");

  /* the build side's key function */
  Emitter *em = &gen->funcs;
  Emitter *saved = gen->em;
  gen->em = em;
  gen->tmp = 0;
  em_line(em, "/* [n%d] key bytes of one row of lookup table %s (1: a NULL key, never matches) */", L->id,
          c_comment(cx, t->name));
  em_open(em, "static int n%d_table_key(RtCtx *ctx, const void *row, const void **kb_out, uint32_t *kl_out, uint64_t *h_out) {",
          L->id);
  em_line(em, "const %s *s = (const %s *)row;", lay->sname, lay->sname);
  CgVal *in = cx_alloc(cx, sizeof(CgVal) * (size_t)(t->ncols ? t->ncols : 1));
  for (int i = 0; i < t->ncols; i++) {
    in[i].v = cx_printf(cx, "s->%s", lay->fields[i]);
    in[i].n = t->cols[i].nullable ? cx_printf(cx, "s->_null.%s", lay->fields[i]) : "0";
  }
  Cg g = { cx, em, L->id, 0, "s->h" };
  emit_key(gen, &g, L->rkeys, L->nkeys, in, "", "return 1;", 1);
  em_line(em, "*kb_out = kb; *kl_out = kl; *h_out = h;");
  em_line(em, "return 0;");
  em_close(em, NULL);
  em_line(em, "%s", "");
  gen->em = saved;
}

void cg_lookup_input(Gen *gen, Plan *L, const CgVal *in, const char *hdr) {
  Cx *cx = gen->cx;
  Emitter *em = gen->em;
  Table *t = L->table;
  TableLayout *lay = layout_of(gen, L);
  int id = L->id, nl = L->inputs[0]->ncols;
  Buf *on = cx_alloc(cx, sizeof *on);   /* freed with the compile */
  cx_own_buf(cx, on);
  for (int k = 0; k < L->nkeys; k++)
    buf_printf(on, "%s%s = %s", k ? " AND " : "", bexpr_text(cx, L->exprs[k]), bexpr_text(cx, L->rkeys[k]));
  em_line(em, "/* [n%d] lookup %s join %s (read whole) on %s */", id, L->join == J_LEFT ? "left" : "inner",
          c_comment(cx, t->name), c_comment(cx, buf_cstr(on)));
  em_line(em, "const void *n%d_t = rt->lookup_table(ctx, %d, &n%d_table, n%d_table_key);", id,
          L->lookup_slot, id, id);
  em_line(em, "if (!n%d_t) return -1;", id);
  em_line(em, "const void *const *n%d_rows = 0;", id);
  em_line(em, "int64_t n%d_n = 0, n%d_m;", id, id);
  if (L->join == J_LEFT) em_line(em, "int n%d_matched = 0;", id);
  em_open(em, "do {   /* probe (a NULL key part matches nothing) */");
  Cg g = { cx, em, id, gen->tmp, hdr };
  const char *p = cx_printf(cx, "n%d_", id);
  emit_key(gen, &g, L->exprs, L->nkeys, in, p, "break;", 0);
  em_line(em, "n%d_n = rt->lookup_find(n%d_t, %sh, %skb, %skl, &n%d_rows);", id, id, p, p, p, id);
  em_close(em, " while (0);");
  gen->tmp = g.tmp;

  CgVal *out = cx_alloc(cx, sizeof(CgVal) * (size_t)L->ncols);
  memcpy(out, in, sizeof(CgVal) * (size_t)nl);
  for (int i = 0; i < t->ncols; i++) {
    out[nl + i].v = cx_printf(cx, "n%d_s->%s", id, lay->fields[i]);
    out[nl + i].n = t->cols[i].nullable ? cx_printf(cx, "n%d_s->_null.%s", id, lay->fields[i]) : "0";
  }
  em_open(em, "for (n%d_m = 0; n%d_m < n%d_n; n%d_m++) {   /* one output row per matching table row */",
          id, id, id, id);
  em_line(em, "const %s *n%d_s = (const %s *)n%d_rows[n%d_m];", lay->sname, id, lay->sname, id, id);
  if (L->pred) {
    em_line(em, "/* residual: %s */", c_comment(cx, bexpr_text(cx, L->pred)));
    Cg pg = { cx, em, id, gen->tmp, hdr };
    CgVal c = cg_expr(&pg, L->pred, out);
    gen->tmp = pg.tmp;
    if (strcmp(c.n, "0") == 0) em_line(em, "if (!%s) continue;", c.v);
    else em_line(em, "if (%s || !%s) continue;", c.n, c.v);
  }
  if (L->join == J_LEFT) em_line(em, "n%d_matched = 1;", id);
  em_open(em, "do {");
  consume_parents(gen, L, out, hdr);
  em_close(em, " while (0);");
  em_close(em, NULL);
  if (L->join == J_LEFT) {
    CgVal *pad = cx_alloc(cx, sizeof(CgVal) * (size_t)L->ncols);
    memcpy(pad, in, sizeof(CgVal) * (size_t)nl);
    for (int i = 0; i < t->ncols; i++) {
      const char *z = cx_printf(cx, "n%d_null%d", id, i);
      em_line(em, "%s %s = %s;", type_c(t->cols[i].t), z, cg_zero(t->cols[i].t));
      pad[nl + i].v = z;
      pad[nl + i].n = "1";
    }
    em_open(em, "if (!n%d_matched) do {   /* LEFT: no table row matched: its columns are NULL */", id);
    consume_parents(gen, L, pad, hdr);
    em_close(em, " while (0);");
  }
}
