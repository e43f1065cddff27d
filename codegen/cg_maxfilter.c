/*
** codegen/cg_maxfilter.c: the rows equal to their window's maximum (P_MAXFILTER, planned by
** compiler/maxfilter.c from a windowed join of A with the per-window MAX, or MIN, of A's
** column c) as a pipeline stage.
**
** A's rows are shipped whole (row_n<id>_in) to the stage, routed by the hash of their window,
** so the rows of one window meet in one subtask (as the windowed join's rows do). The stage
** keeps per window, in state table 0 under bucket = window end and key = window start, an
** n<id>_win: the running maximum of c and the rows tied with it, packed (every column of A but
** the window and c, which the window entry holds) into one runtime/join_rows.c block (the
** table frees and snapshots it). A row below the running maximum is dropped at once; one above
** it drops the ties and starts them anew; a NULL c is dropped (it never equals the maximum and
** does not count toward it), so a window whose c values are all NULL emits nothing. Rows of
** one window arrive together (the aggregate emits a window's rows at once), so a batch looks
** the window entry up once per run of equal windows. A row whose window has closed (end <= the
** watermark) is late, counted and dropped, as the join drops it.
** When the watermark reaches a window's end, its ties are emitted (in arrival order) with the
** join's output values: A's columns, and for M's columns the window and c (the maximum);
** event time end - 1, as the windowed join emits its pairs. Then the bucket is dropped.
** Not here: recognising the shape (compiler/maxfilter.c); a pre-filter before the shuffle.
*/
#include <string.h>
#include "codegen.h"

static int stored(const Plan *F, int c) { return c != F->wincol && c != F->mf_col; }

void cg_maxfilter_types(Gen *gen, Plan *F) {
  Cx *cx = gen->cx;
  Emitter *ty = &gen->types, *ds = &gen->descs;
  int id = F->id;
  Plan *A = F->inputs[0];   /* no ARRAY, INTERVAL or STRUCT columns: refused by join_bind */
  em_line(ty, "/* [n%d] rows equal to their window's %s: the input row, shuffled by its window */", id,
          F->mf_min ? "minimum" : "maximum");
  cg_whole_row_types(gen, id, A);
  em_line(ty, "/* [n%d] one window (state table 0, bucket = window end, key = window start): the running", id);
  em_line(ty, "** %s of %s and the rows tied with it, packed in a join-rows block */", F->mf_min ? "minimum" : "maximum",
          c_comment(cx, A->cols[F->mf_col].name));
  em_open(ty, "typedef struct n%d_win {", id);
  em_line(ty, "void *ties;                /* rows whose c equals best (rt->jrows_*), or NULL */");
  em_line(ty, "int64_t start;             /* window start */");
  em_line(ty, "%s best;   /* the running %s */", type_c(A->cols[F->mf_col].t), F->mf_min ? "minimum" : "maximum");
  em_line(ty, "uint8_t has;               /* best is set (some c was not NULL) */");
  em_close(ty, cx_printf(cx, " n%d_win;", id));
  em_line(ty, "%s", "");
  em_line(ds, "static const uint32_t n%d_objs[] = { (uint32_t)offsetof(n%d_win, ties) };", id, id);
  em_open(ds, "static const RtStateDesc n%d_states[] = {", id);
  em_line(ds, "{ \"n%d windows: %s and its ties\", sizeof(n%d_win), 1, n%d_objs, 0, 0, 0 },", id,
          F->mf_min ? "minimum" : "maximum", id, id);
  em_close(ds, ";");
  em_line(ds, "%s", "");

  StageGen *st = &gen->stages[F->stage];
  st->states_sym = cx_printf(cx, "n%d_states", id);
  st->nstates = 1;
  st->process_fn = cx_printf(cx, "n%d_process", id);
  st->watermark_fn = cx_printf(cx, "n%d_on_watermark", id);
}

void cg_maxfilter_input(Gen *gen, Plan *F, const CgVal *in, const char *hdr) {
  Cx *cx = gen->cx;
  Emitter *em = gen->em;
  Plan *A = F->inputs[0];
  int id = F->id;
  int edge = gen_edge_into(gen, F, RT_ROUTE_HASH, cx_printf(cx, "n%d_in_schema", id), 0);
  int out = gen_output(gen, RT_PORT_EDGE, edge);
  const char *o = cx_printf(cx, "n%d_in", id);
  em_line(em, "/* [n%d] the row to stage %s by the hash of its window, output %d (a NULL %s never ties) */", id,
          gen->stages[F->stage].name, out, c_comment(cx, A->cols[F->mf_col].name));
  em_open(em, strcmp(in[F->mf_col].n, "0") ? cx_printf(cx, "if (!(%s)) {", in[F->mf_col].n) : "{");
  em_line(em, "row_n%d_in %s;", id, o);
  em_line(em, "%s.h.ts = %s.ts; %s.h.retract = %s.retract;", o, hdr, o, hdr);
  for (int c = 0; c < A->ncols; c++) {
    cg_assign(em, cx_printf(cx, "%s.c%d", o, c), A->cols[c].t, in[c].v);
    em_line(em, "%s._null.c%d = %s;", o, c, in[c].n);
  }
  const char *w = in[F->wincol].v;
  em_line(em, "%s.h.hash = rt_hash_mix(rt_hash_mix(UINT64_C(0x2545f4914f6cdd1d), (uint64_t)(%s).start), (uint64_t)(%s).end);",
          o, w, w);
  em_line(em, "if (rt->emit(ctx, %d, &%s) < 0) return -1;", out, o);
  em_close(em, NULL);
}

void cg_maxfilter_stage(Gen *gen, Plan *F) {
  Cx *cx = gen->cx;
  Emitter *em = gen->em;
  Plan *A = F->inputs[0];
  int id = F->id, wc = F->wincol, cc = F->mf_col;
  const char *above = F->mf_min ? "<" : ">";
  gen->tmp = 0;
  /* process */
  em_line(em, "/* [n%d] keep each window's running %s of %s and the rows tied with it; rows below it are", id,
          F->mf_min ? "minimum" : "maximum", c_comment(cx, A->cols[cc].name));
  em_line(em, "** dropped at once */");
  em_open(em, "static int n%d_process(RtCtx *ctx, int input, const RtBatch *batch) {", id);
  em_line(em, "const row_n%d_in *rows = (const row_n%d_in *)batch->rows;", id, id);
  em_line(em, "int64_t i, late = 0, wm = rt->current_watermark(ctx), wend = INT64_MIN;");
  em_line(em, "n%d_win *w = 0;   /* the window of the previous row: a window's rows come together */", id);
  em_line(em, "unsigned char buf[256];");
  em_open(em, "for (i = 0; i < batch->n; i++) {");
  em_line(em, "const row_n%d_in *r = &rows[i];", id);
  em_line(em, "if (r->c%d.end <= wm) { late++; continue; }   /* its window already closed */", wc);
  em_line(em, "if (r->_null.c%d) continue;   /* NULL: never the %s */", cc, F->mf_min ? "minimum" : "maximum");
  em_open(em, "if (!w || r->c%d.end != wend || r->c%d.start != w->start) {", wc, wc);
  em_line(em, "int created = 0;");
  em_line(em, "int64_t start = r->c%d.start;", wc);
  em_line(em, "w = (n%d_win *)rt->st_get(ctx, 0, r->c%d.end, r->h.hash, &start, 8, 1, &created, 0);", id, wc);
  em_line(em, "if (!w) return -1;");
  em_line(em, "if (created) w->start = start;");
  em_line(em, "wend = r->c%d.end;", wc);
  em_close(em, NULL);
  em_line(em, "if (w->has && r->c%d %s w->best) continue;   /* below the running %s */", cc,
          F->mf_min ? ">" : "<", F->mf_min ? "minimum" : "maximum");
  em_open(em, "if (!w->has || r->c%d %s w->best) {   /* a new %s: the old ties are out */", cc, above,
          F->mf_min ? "minimum" : "maximum");
  em_line(em, "rt->agg_free(w->ties);");
  em_line(em, "w->ties = 0;");
  em_line(em, "w->best = r->c%d;", cc);
  em_line(em, "w->has = 1;");
  em_close(em, NULL);
  /* pack the other columns: per column a NULL byte, then its bytes (strings: u32 length first) */
  int fixed = 0;
  for (int c = 0; c < A->ncols; c++)
    if (stored(F, c)) fixed += 1 + (type_is_stringy(A->cols[c].t) ? 4 : 0);
  em_line(em, "uint32_t len = %d, o = 0;", fixed);
  for (int c = 0; c < A->ncols; c++) {
    if (!stored(F, c)) continue;
    if (type_is_stringy(A->cols[c].t)) em_line(em, "if (!r->_null.c%d) len += (uint32_t)r->c%d.len;", c, c);
    else em_line(em, "len += (uint32_t)sizeof r->c%d;", c);
  }
  em_line(em, "unsigned char *p = len > sizeof buf ? (unsigned char *)rt->alloc(ctx, len) : buf;");
  for (int c = 0; c < A->ncols; c++) {
    if (!stored(F, c)) continue;
    em_line(em, "p[o++] = r->_null.c%d;   /* %s */", c, c_comment(cx, A->cols[c].name));
    if (type_is_stringy(A->cols[c].t)) {
      em_line(em, "{ uint32_t n = r->_null.c%d ? 0 : (uint32_t)r->c%d.len; rt_put_bytes(p + o, &n, 4); o += 4;", c, c);
      em_line(em, "  if (n) rt_put_bytes(p + o, r->c%d.ptr, n); o += n; }", c);
    } else {
      em_line(em, "rt_put_bytes(p + o, &r->c%d, (int64_t)sizeof r->c%d); o += (uint32_t)sizeof r->c%d;", c, c, c);
    }
  }
  em_line(em, "if (rt->jrows_add(ctx, &w->ties, p, o)) return -1;");
  em_close(em, NULL);
  em_line(em, "if (late) rt->count_late(ctx, late);");
  em_line(em, "(void)input;");
  em_line(em, "return 0;");
  em_close(em, NULL);
  em_line(em, "%s", "");

  /* emission of one closed window */
  gen->tmp = 0;
  em_line(em, "/* [n%d] a closed window (bucket = its end): emit its ties as the join would (event time end - 1) */", id);
  em_open(em, "static int n%d_emit(RtCtx *ctx, void *arg, int64_t bucket, const void *key, uint32_t keylen, void *value) {", id);
  em_line(em, "n%d_win *w = (n%d_win *)value;", id, id);
  em_line(em, "uint32_t pos = 0, len = 0;");
  em_line(em, "const unsigned char *p;");
  em_line(em, "row_n%d_in r;", id);
  em_line(em, "rt_zero(&r, (int64_t)sizeof r);");
  em_line(em, "r.c%d.start = w->start; r.c%d.end = bucket;", wc, wc);
  em_line(em, "r.c%d = w->best;", cc);
  cg_out_header(em, "bucket - 1", "0");
  em_open(em, "while ((p = rt->jrows_next(w->ties, &pos, &len)) != 0) {");
  em_line(em, "uint32_t o = 0;");
  for (int c = 0; c < A->ncols; c++) {
    if (!stored(F, c)) continue;
    em_line(em, "r._null.c%d = p[o++];", c);
    if (type_is_stringy(A->cols[c].t)) {
      em_line(em, "{ uint32_t n; rt_put_bytes(&n, p + o, 4); o += 4; r.c%d.ptr = (const char *)p + o; r.c%d.len = n; o += n; }", c, c);
    } else {
      em_line(em, "rt_put_bytes(&r.c%d, p + o, (int64_t)sizeof r.c%d); o += (uint32_t)sizeof r.c%d;", c, c, c);
    }
  }
  CgVal *in = cx_alloc(cx, sizeof(CgVal) * (size_t)(A->ncols ? A->ncols : 1));
  for (int c = 0; c < A->ncols; c++) {
    in[c].v = cx_printf(cx, "r.c%d", c);
    in[c].n = stored(F, c) && A->cols[c].nullable ? cx_printf(cx, "r._null.c%d", c) : "0";
  }
  CgVal *out = cx_alloc(cx, sizeof(CgVal) * (size_t)(F->ncols ? F->ncols : 1));
  for (int i = 0; i < F->ncols; i++) out[i] = in[F->exprs[i]->colidx];
  em_open(em, "do {");
  consume_parents(gen, F, out, "hdr");
  em_close(em, " while (0);");
  em_line(em, "(void)o;");
  em_close(em, NULL);
  em_line(em, "(void)arg; (void)key; (void)keylen;");
  em_line(em, "return 0;");
  em_close(em, NULL);
  cg_agg_close_buckets(gen, id, "windows' ties");
}
