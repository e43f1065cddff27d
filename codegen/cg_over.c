/*
** codegen/cg_over.c: aggregates over window frames as a stage:
**   sum|avg|count|min|max(x) OVER (PARTITION BY k ORDER BY o ROWS BETWEEN n PRECEDING
**                                   (or UNBOUNDED PRECEDING) AND CURRENT ROW)
**
** The producer ships each input row whole (row_n<id>_in, cg_topn_input) by partition hash.
** State table 0 maps the partition key to a runtime value list holding every live row of the
** partition in ORDER BY order (ties in arrival order). Each element is an n<id>_elem: the
** aggregate over the row's frame (so its current output is known without recomputing it), the
** aggregate's argument, and the row, followed by its strings' bytes; elements are padded to 8
** bytes so each starts aligned.
** - An inserted row goes after every row that sorts before it or ties with it. The rows whose
**   frames now include it (the n rows after it, or all after it for UNBOUNDED PRECEDING) are
**   retracted with their old values, the row is stored, and it and those rows are emitted with
**   their new values. Rows arriving in ORDER BY order therefore give one insertion each.
** - A retraction finds the equal row (by ORDER BY, then all columns), retracts it and the rows
**   whose frames held it, deletes it and re-emits those rows. A retraction of a row that is not
**   there is ignored (as Arroyo ignores retractions whose insertion it never saw).
** A frame's aggregate is recomputed from its rows (n + 1 of them), or for UNBOUNDED PRECEDING
** extended from the previous row's. The output is updating; state is every live row of every
** partition, bounded by the updating TTL.
** Several calls in one SELECT share the stage when they share the OVER clause (one accumulator
** and argument per call in each element).
** Not here: RANGE/GROUPS frames, frames ending after the current row, other aggregates.
*/
#include <string.h>
#include "codegen.h"

static int col_of(BExpr *e) { return e->kind == B_COL ? e->colidx : -1; }

static int nstrings(const Plan *ip) {
  int n = 0;
  for (int c = 0; c < ip->ncols; c++) n += type_is_stringy(ip->cols[c].t);
  return n;
}

/* C type of the accumulator value: the sum or the min/max (none for count). */
static const char *acc_type(const AggCall *a) {
  switch (a->fn) {
    case A_COUNT: case A_COUNT_STAR: return NULL;
    case A_AVG:
      if (type_is_float(a->args[0]->t)) return "double";
      return a->args[0]->t.kind == RT_U64 || a->args[0]->t.kind == RT_U32 ? "uint64_t" : "int64_t";
    case A_SUM: return type_c(a->t);
    default: return type_c(a->args[0]->t);
  }
}

void cg_over_types(Gen *gen, Plan *T) {
  Cx *cx = gen->cx;
  Emitter *ty = &gen->types, *ds = &gen->descs;
  int id = T->id;
  cg_topn_row_types(gen, T);
  em_line(ty, "/* [n%d] the window functions over a row's frame: cntK counts the frame's rows (with a", id);
  em_line(ty, "** non-NULL argument, except for count(*)), vK is the sum or the min/max */");
  em_open(ty, "typedef struct n%d_acc {", id);
  for (int k = 0; k < T->naggs; k++) {
    const char *at = acc_type(&T->aggs[k]);
    em_line(ty, "int64_t cnt%d;%s%s%s   /* %s */", k, at ? " " : "", at ? at : "", at ? cx_printf(cx, " v%d;", k) : "",
            T->aggs[k].text);
  }
  em_close(ty, cx_printf(cx, " n%d_acc;", id));
  em_line(ty, "/* [n%d] one row of a partition; its strings' bytes follow it, in column order */", id);
  em_open(ty, "typedef struct n%d_elem {", id);
  em_line(ty, "n%d_acc acc;   /* the aggregates over this row's frame: its current output */", id);
  for (int k = 0; k < T->naggs; k++)
    if (T->aggs[k].nargs) {
      em_line(ty, "%s arg%d;   /* the argument of %s for this row */", type_c(T->aggs[k].args[0]->t), k,
              T->aggs[k].text);
      em_line(ty, "uint8_t arg_null%d;", k);
    }
  em_line(ty, "row_n%d_in row;", id);
  em_close(ty, cx_printf(cx, " n%d_elem;", id));
  em_line(ty, "typedef struct n%d_part { void *rows; } n%d_part;   /* state table 0: rows in ORDER BY order */", id, id);
  em_line(ty, "%s", "");

  em_line(ds, "static const uint32_t n%d_objs[] = { (uint32_t)offsetof(n%d_part, rows) };", id, id);
  em_open(ds, "static const RtStateDesc n%d_states[] = {", id);
  em_line(ds, "{ \"n%d rows by partition\", sizeof(n%d_part), 1, n%d_objs, INT64_C(%lld), 0, 0 },", id, id, id,
          (long long)cx->cat->updating_ttl_ns);
  em_close(ds, ";");
  em_line(ds, "%s", "");

  StageGen *st = &gen->stages[T->stage];
  st->states_sym = cx_printf(cx, "n%d_states", id);
  st->nstates = 1;
  st->process_fn = cx_printf(cx, "n%d_process", id);
}

/* Emit "add element e's argument (e: a C pointer) to the local accumulator `acc`". */
static void emit_add(Gen *gen, Plan *T, int k, const char *e) {
  Emitter *em = gen->em;
  AggCall *a = &T->aggs[k];
  const char *f = gen->cx->filename ? gen->cx->filename : "-";
  const char *slash = strrchr(f, '/');
  const char *loc = cx_printf(gen->cx, "%s:%d:%d", slash ? slash + 1 : f, T->over_line, T->over_col);
  const char *where = c_string(gen->cx, loc, strlen(loc));
  const char *acc = "acc", *cnt = cx_printf(gen->cx, "cnt%d", k), *v = cx_printf(gen->cx, "v%d", k);
  const char *arg = cx_printf(gen->cx, "arg%d", k), *an = cx_printf(gen->cx, "arg_null%d", k);
  switch (a->fn) {
    case A_COUNT_STAR: em_line(em, "%s.%s++;", acc, cnt); break;
    case A_COUNT: em_line(em, "if (!%s->%s) %s.%s++;", e, an, acc, cnt); break;
    case A_SUM: case A_AVG: {
      const char *t = acc_type(a);
      em_open(em, "if (!%s->%s) {", e, an);
      if (!strcmp(t, "double")) em_line(em, "%s.%s += (double)%s->%s;", acc, v, e, arg);
      else if (!strcmp(t, "uint64_t"))
        em_line(em, "if (rt_add_u64(%s.%s, (uint64_t)%s->%s, &%s.%s)) return rt->error(ctx, %s, \"%s() OVER (...): integer overflow\");",
                acc, v, e, arg, acc, v, where, a->text);
      else
        em_line(em, "if (rt_add_i64(%s.%s, (int64_t)%s->%s, &%s.%s)) return rt->error(ctx, %s, \"%s() OVER (...): integer overflow\");",
                acc, v, e, arg, acc, v, where, a->text);
      em_line(em, "%s.%s++;", acc, cnt);
      em_close(em, NULL);
      break;
    }
    default:   /* min, max */
      em_line(em, "if (!%s->%s && (%s.%s == 0 || %s->%s %s %s.%s)) %s.%s = %s->%s;", e, an, acc, cnt, e, arg,
              a->fn == A_MIN ? "<" : ">", acc, v, acc, v, e, arg);
      em_line(em, "if (!%s->%s) %s.%s++;", e, an, acc, cnt);
      break;
  }
}

void cg_over_stage(Gen *gen, Plan *T) {
  Cx *cx = gen->cx;
  Emitter *em = gen->em;
  int id = T->id;
  Plan *ip = T->inputs[0];
  int ns = nstrings(ip);
  long long K = (long long)T->frame_preceding;   /* -1: UNBOUNDED */
  int str_order = 0;
  for (int i = 0; i < T->norder; i++) str_order |= type_is_stringy(ip->cols[col_of(T->order[i])].t);

  /* ORDER BY comparison and whole-row equality */
  em_line(em, "/* [n%d] ORDER BY: <0 when a sorts before b, 0 on a tie */", id);
  em_open(em, "static int n%d_cmp(const row_n%d_in *a, const row_n%d_in *b) {", id, id, id);
  for (int i = 0; i < T->norder; i++)
    cg_topn_cmp_col(em, ip->cols[col_of(T->order[i])].t, col_of(T->order[i]), T->order_desc[i],
                    T->order_nulls_first[i], "a->", "b->");
  em_line(em, "return 0;");
  em_close(em, NULL);
  em_line(em, "/* [n%d] whether two rows are equal in every column (which row a retraction removes) */", id);
  em_open(em, "static int n%d_same(const row_n%d_in *a, const row_n%d_in *b) {", id, id, id);
  for (int c = 0; c < ip->ncols; c++) {
    SqlType t = ip->cols[c].t;
    em_line(em, "if (a->_null.c%d != b->_null.c%d) return 0;", c, c);
    if (type_is_stringy(t)) em_line(em, "if (!a->_null.c%d && !rt_str_eq(a->c%d, b->c%d)) return 0;", c, c, c);
    else if (t.kind == T_WINDOW)
      em_line(em, "if (!a->_null.c%d && (a->c%d.start != b->c%d.start || a->c%d.end != b->c%d.end)) return 0;", c, c, c, c, c);
    else em_line(em, "if (!a->_null.c%d && a->c%d != b->c%d) return 0;", c, c, c);
  }
  em_line(em, "return 1;");
  em_close(em, NULL);
  em_line(em, "%s", "");

  /* element access */
  em_line(em, "/* [n%d] element j of the partition's list (valid until the list changes) */", id);
  em_open(em, "static n%d_elem *n%d_at(n%d_part *P, int64_t j) {", id, id, id);
  em_line(em, "return (n%d_elem *)rt->agg_list_bytes(P->rows, j);", id);
  em_close(em, NULL);
  em_line(em, "/* [n%d] a stored row with its strings pointing at the bytes after the element */", id);
  em_open(em, "static void n%d_view(const n%d_elem *e, row_n%d_in *out) {", id, id, id);
  em_line(em, "*out = e->row;");
  if (ns) {
    em_line(em, "const char *p = (const char *)(e + 1);");
    for (int c = 0; c < ip->ncols; c++)
      if (type_is_stringy(ip->cols[c].t))
        em_line(em, "if (!out->_null.c%d) { out->c%d.ptr = p; p += out->c%d.len; }", c, c, c);
  }
  em_close(em, NULL);
  em_line(em, "%s", "");

  /* the frame aggregate of element j */
  em_line(em, "/* [n%d] recompute the aggregate over element j's frame (%s) */", id,
          K < 0 ? "all rows up to it: the previous row's aggregate plus this row"
                : cx_printf(cx, "rows j - %lld .. j", K));
  em_open(em, "static int n%d_frame(RtCtx *ctx, n%d_part *P, int64_t j) {", id, id);
  em_line(em, "n%d_acc acc;", id);
  em_line(em, "rt_zero(&acc, (int64_t)sizeof acc);");
  if (K < 0) {
    em_line(em, "if (j > 0) acc = n%d_at(P, j - 1)->acc;", id);
    em_line(em, "n%d_elem *e = n%d_at(P, j);", id, id);
    for (int k = 0; k < T->naggs; k++) emit_add(gen, T, k, "e");
  } else {
    em_line(em, "int64_t i = j - %lld < 0 ? 0 : j - %lld;", K, K);
    em_open(em, "for (; i <= j; i++) {");
    em_line(em, "const n%d_elem *f = n%d_at(P, i);", id, id);
    for (int k = 0; k < T->naggs; k++) emit_add(gen, T, k, "f");
    em_close(em, NULL);
    em_line(em, "n%d_elem *e = n%d_at(P, j);", id, id);
  }
  em_line(em, "e->acc = acc;");
  em_line(em, "(void)ctx;");
  em_line(em, "return 0;");
  em_close(em, NULL);
  em_line(em, "%s", "");

  /* emission */
  gen->tmp = 0;
  em_line(em, "/* [n%d] send element e with its frame's values downstream (retract != 0: as a retraction) */", id);
  em_open(em, "static int n%d_out(RtCtx *ctx, const n%d_elem *e, int retract) {", id, id);
  em_line(em, "row_n%d_in cur;", id);
  em_line(em, "n%d_view(e, &cur);", id);
  em_line(em, "cur.h.retract = (uint8_t)retract;");
  for (int k = 0; k < T->naggs; k++) {
    AggCall *a = &T->aggs[k];
    em_line(em, "%s val%d = 0;   /* %s */", type_c(a->t), k, a->text);
    if (a->nullable) em_line(em, "uint8_t val_null%d = 0;", k);
    switch (a->fn) {
      case A_COUNT: case A_COUNT_STAR: em_line(em, "val%d = e->acc.cnt%d;", k, k); break;
      case A_AVG:
        em_line(em, "if (e->acc.cnt%d) val%d = (double)e->acc.v%d / (double)e->acc.cnt%d; else val_null%d = 1;", k, k, k, k, k);
        break;
      default: em_line(em, "if (e->acc.cnt%d) val%d = e->acc.v%d; else val_null%d = 1;", k, k, k, k); break;
    }
  }
  CgVal *out = cx_alloc(cx, sizeof(CgVal) * (size_t)T->ncols);
  for (int c = 0; c < ip->ncols; c++) {
    out[c].v = cx_printf(cx, "cur.c%d", c);
    out[c].n = ip->cols[c].nullable ? cx_printf(cx, "cur._null.c%d", c) : "0";
  }
  for (int k = 0; k < T->naggs; k++) {
    out[ip->ncols + k].v = cx_printf(cx, "val%d", k);
    out[ip->ncols + k].n = T->aggs[k].nullable ? cx_printf(cx, "val_null%d", k) : "0";
  }
  em_open(em, "do {");
  consume_parents(gen, T, out, "cur.h");
  em_close(em, " while (0);");
  em_line(em, "return 0;");
  em_close(em, NULL);
  em_line(em, "%s", "");

  /* process */
  gen->tmp = 0;
  em_line(em, "/* [n%d] OVER (... ROWS BETWEEN %s PRECEDING AND CURRENT ROW): store or remove each", id,
          K < 0 ? "UNBOUNDED" : cx_printf(cx, "%lld", K));
  em_line(em, "** row, and retract and re-emit the rows whose frames it enters or leaves */");
  em_open(em, "static int n%d_process(RtCtx *ctx, int input, const RtBatch *batch) {", id);
  em_line(em, "const row_n%d_in *rows = (const row_n%d_in *)batch->rows;", id, id);
  em_line(em, "int64_t i, j;");
  em_line(em, "(void)input;");
  em_open(em, "for (i = 0; i < batch->n; i++) {");
  em_line(em, "const row_n%d_in *r = &rows[i];", id);
  cg_topn_partition_key(em, T, ip);
  em_line(em, "int created = 0;");
  em_line(em, "n%d_part *P = (n%d_part *)rt->st_get(ctx, 0, 0, r->h.hash, kb, ko, !r->h.retract, &created, 0);", id, id);
  em_line(em, "if (!P) continue;   /* a retraction for a partition we do not have */");
  em_line(em, "int64_t n = rt->agg_list_len(P->rows), lo = 0, hi = n, end;");
  em_line(em, "row_n%d_in kept;", id);
  const char *kept = str_order ? "&kept" : "&n%d_at(P, %s)->row";
  em_open(em, "if (!r->h.retract) {");
  em_line(em, "/* its place: after every row that sorts before it or ties with it */");
  em_open(em, "while (lo < hi) {");
  em_line(em, "int64_t mid = lo + (hi - lo) / 2;");
  if (str_order) em_line(em, "n%d_view(n%d_at(P, mid), &kept);", id, id);
  em_line(em, "if (n%d_cmp(r, %s) >= 0) lo = mid + 1; else hi = mid;", id,
          str_order ? kept : cx_printf(cx, kept, id, "mid"));
  em_close(em, NULL);
  if (K < 0) em_line(em, "end = n;   /* every later row's frame gains it */");
  else em_line(em, "end = lo + %lld < n ? lo + %lld : n;   /* the %lld rows after it gain it in their frames */", K, K, K);
  em_line(em, "for (j = lo; j < end; j++) if (n%d_out(ctx, n%d_at(P, j), 1)) return -1;", id, id);
  /* build the element */
  em_line(em, "int64_t size = (int64_t)sizeof(n%d_elem);", id);
  for (int c = 0; c < ip->ncols; c++)
    if (type_is_stringy(ip->cols[c].t)) em_line(em, "if (!r->_null.c%d) size += r->c%d.len;", c, c);
  em_line(em, "size = (size + 7) & ~(int64_t)7;   /* keeps every element 8-byte aligned */");
  em_line(em, "n%d_elem *ne = (n%d_elem *)rt->alloc(ctx, size);", id, id);
  em_line(em, "rt_zero(ne, size);");
  em_line(em, "ne->row = *r;");
  if (ns) {
    em_line(em, "char *sp = (char *)(ne + 1);");
    for (int c = 0; c < ip->ncols; c++)
      if (type_is_stringy(ip->cols[c].t)) {
        em_line(em, "if (!r->_null.c%d) { rt_put_bytes(sp, r->c%d.ptr, r->c%d.len); sp += r->c%d.len; }", c, c, c, c);
        em_line(em, "ne->row.c%d.ptr = 0;   /* rebuilt by n%d_view */", c, id);
      }
  }
  CgVal *in = cx_alloc(cx, sizeof(CgVal) * (size_t)(ip->ncols ? ip->ncols : 1));
  for (int c = 0; c < ip->ncols; c++) {
    in[c].v = cx_printf(cx, "r->c%d", c);
    in[c].n = ip->cols[c].nullable ? cx_printf(cx, "r->_null.c%d", c) : "0";
  }
  for (int k = 0; k < T->naggs; k++) {
    if (!T->aggs[k].nargs) continue;
    Cg g = { cx, em, id, gen->tmp, "r->h" };
    CgVal av = cg_expr(&g, T->aggs[k].args[0], in);
    gen->tmp = g.tmp;
    em_line(em, "ne->arg_null%d = (uint8_t)(%s);", k, av.n);
    em_line(em, "if (!ne->arg_null%d) ne->arg%d = %s;", k, k, av.v);
  }
  em_line(em, "if (rt->agg_list_insert(ctx, &P->rows, lo, ne, size)) return -1;");
  em_line(em, "for (j = lo; j <= end; j++) if (n%d_frame(ctx, P, j) || n%d_out(ctx, n%d_at(P, j), 0)) return -1;", id, id, id);
  em_close(em, NULL);
  em_open(em, "else {");
  em_line(em, "/* find the row: the first that does not sort before it, then its ties */");
  em_open(em, "while (lo < hi) {");
  em_line(em, "int64_t mid = lo + (hi - lo) / 2;");
  if (str_order) em_line(em, "n%d_view(n%d_at(P, mid), &kept);", id, id);
  em_line(em, "if (n%d_cmp(%s, r) < 0) lo = mid + 1; else hi = mid;", id,
          str_order ? kept : cx_printf(cx, kept, id, "mid"));
  em_close(em, NULL);
  em_open(em, "for (j = lo; j < n; j++) {");
  em_line(em, "n%d_view(n%d_at(P, j), &kept);", id, id);
  em_line(em, "if (n%d_cmp(r, &kept) != 0) { j = n; break; }", id);
  em_line(em, "if (n%d_same(r, &kept)) break;", id);
  em_close(em, NULL);
  em_line(em, "if (j >= n) continue;   /* not there: ignored */");
  if (K < 0) em_line(em, "end = n - 1;   /* every later row's frame loses it */");
  else em_line(em, "end = j + %lld < n - 1 ? j + %lld : n - 1;   /* the %lld rows after it lose it */", K, K, K);
  em_line(em, "for (lo = j; lo <= end; lo++) if (n%d_out(ctx, n%d_at(P, lo), 1)) return -1;", id, id);
  em_line(em, "if (rt->agg_list_delete(ctx, &P->rows, j)) return -1;");
  em_line(em, "if (!P->rows) { rt->st_remove(ctx, 0, 0, r->h.hash, kb, ko); continue; }");
  em_line(em, "for (lo = j; lo < end; lo++) if (n%d_frame(ctx, P, lo) || n%d_out(ctx, n%d_at(P, lo), 0)) return -1;", id, id, id);
  em_close(em, NULL);
  em_close(em, NULL);
  em_line(em, "return 0;");
  em_close(em, NULL);
  em_line(em, "%s", "");
}
