/*
** codegen/cg_topn.c: ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ...) as a stage.
**
** Both forms ship each input row whole (row_n<id>_in) to the stage, routed by the hash of the
** partition values.
**
** Updating top-N (no window in PARTITION BY; compiler/over.c found the limit N): state table 0
** maps the partition key to its kept rows, at most N, in row_number order (n<id>_part). A kept
** row's strings are packed into one runtime string box per row, so the entry owns them and a
** snapshot carries them. A new row is placed by binary search after every kept row that sorts
** before it or ties with it (ties keep arrival order); when the partition is full and it sorts
** after the last row, it is dropped. Entering emits the row and retracts the one pushed out;
** with the row number read downstream (Plan.rank_out), every row from the new row's place on is
** retracted with its old number first and re-emitted with its new one. Inputs must only insert
** (a retraction is a runtime error; the compiler refuses inputs that can retract).
**
** Per-window top-N (PARTITION BY includes a window): the producing stage ships each input row whole (row_n<id>_in) to this stage, routed by the
** hash of the partition values. The stage keeps the rows of each window in state table 0,
** bucketed by the window's end; a row's entry key is (non-window partition values, arrival
** sequence from rt->next_seq, the row's string bytes), so the stored row's strings point into the table's key
** copy and live as long as the entry. When the watermark reaches a window's end, its rows are
** collected, sorted by (partition keys, ORDER BY, arrival) with a merge sort, numbered from 1
** per partition, and pushed through the node's parents (typically WHERE row_number <= N).
** Rows arriving for a window that already closed are late and counted.
** Not yet: RANK/DENSE_RANK; the windowed form keeping only the first N rows per partition
** while buffering; an updating top-N over an input that retracts (it would have to keep every
** row of a partition to promote the next one).
*/
#include <string.h>
#include "codegen.h"

static int col_of(BExpr *e) { return e->kind == B_COL ? e->colidx : -1; }

static int nstrings(const Plan *ip) {
  int n = 0;
  for (int c = 0; c < ip->ncols; c++) n += type_is_stringy(ip->cols[c].t);
  return n;
}

/* Updating top-N: state table 0 maps the partition key to its kept rows, best first. A kept
** row's strings are packed, in column order, into one runtime string box (`blob`, owned and
** snapshotted by the table); the row's RtStr pointers are meaningless in state and rebuilt by
** n<id>_view(). */
static void unbounded_types(Gen *gen, Plan *T) {
  Cx *cx = gen->cx;
  Emitter *ty = &gen->types, *ds = &gen->descs;
  int id = T->id;
  Plan *in = T->inputs[0];
  int ns = nstrings(in);
  long long n = (long long)T->limit;
  em_line(ty, "/* [n%d] one kept row%s */", id, ns ? "; its strings' bytes live in blob, in column order" : "");
  em_open(ty, "typedef struct n%d_slot {", id);
  em_line(ty, "row_n%d_in row;", id);
  if (ns) em_line(ty, "void *blob;   /* runtime string box */");
  em_close(ty, cx_printf(cx, " n%d_slot;", id));
  em_line(ty, "/* [n%d] state table 0: a partition's top %lld rows in row_number order */", id, n);
  em_line(ty, "typedef struct n%d_part { int64_t n; n%d_slot s[%lld]; } n%d_part;", id, id, n, id);
  em_line(ty, "%s", "");

  if (ns) {
    em_open(ds, "static const uint32_t n%d_objs[] = {", id);
    for (long long i = 0; i < n; i++)
      em_line(ds, "(uint32_t)(offsetof(n%d_part, s) + %lld * sizeof(n%d_slot) + offsetof(n%d_slot, blob)),",
              id, i, id, id);
    em_close(ds, ";");
  }
  em_open(ds, "static const RtStateDesc n%d_states[] = {", id);
  em_line(ds, "{ \"n%d top %lld by partition\", sizeof(n%d_part), %lld, %s, INT64_C(%lld), 0, 0 },", id, n, id,
          ns ? n : 0, ns ? cx_printf(cx, "n%d_objs", id) : "0", (long long)cx->cat->updating_ttl_ns);
  em_close(ds, ";");
  em_line(ds, "%s", "");

  StageGen *st = &gen->stages[T->stage];
  st->states_sym = cx_printf(cx, "n%d_states", id);
  st->nstates = 1;
  st->process_fn = cx_printf(cx, "n%d_process", id);
}

/* The row struct row_n<id>_in (the whole input row) and its edge schema, after checking that
** the keys name columns and that every column can be shuffled; shared by P_TOPN and P_OVER,
** whose producers both ship the row by partition hash (cg_topn_input). */
void cg_topn_row_types(Gen *gen, Plan *T) {
  Cx *cx = gen->cx;
  Emitter *ty = &gen->types;
  int id = T->id;
  Plan *in = T->inputs[0];
  const char *what = T->kind == P_OVER ? "window function" : "row_number()";
  for (int i = 0; i < T->nkeys; i++)
    if (col_of(T->exprs[i]) < 0)
      diag_error(cx, T->exprs[i]->line, T->exprs[i]->col, "PARTITION BY of %s must name columns", what);
  for (int i = 0; i < T->norder; i++)
    if (col_of(T->order[i]) < 0)
      diag_error(cx, T->order[i]->line, T->order[i]->col, "ORDER BY of %s must name columns", what);
  for (int c = 0; c < in->ncols; c++)
    if (in->cols[c].t.kind == T_INTERVAL || in->cols[c].t.kind == T_ARRAY ||
        in->cols[c].t.kind == RT_STRUCT)
      diag_error(cx, T->over_line ? T->over_line : 1, T->over_line ? T->over_col : 1,
                 "%s input column '%s' is a %s, which cannot be shuffled yet", what,
                 in->cols[c].name, type_name(in->cols[c].t));

  em_line(ty, "/* [n%d] %s input: the whole row, shuffled by its partition */", id, what);
  cg_whole_row_types(gen, id, in);
}

void cg_topn_types(Gen *gen, Plan *T) {
  Cx *cx = gen->cx;
  Emitter *ty = &gen->types, *ds = &gen->descs;
  int id = T->id;
  Plan *in = T->inputs[0];
  cg_topn_row_types(gen, T);
  if (T->wincol < 0) { unbounded_types(gen, T); return; }
  em_line(ty, "typedef struct n%d_val { int64_t seq; row_n%d_in row; } n%d_val;   /* state table 0 */", id, id, id);
  em_line(ty, "typedef struct n%d_list { n%d_val **rows; int64_t n; } n%d_list;", id, id, id);
  em_line(ty, "%s", "");
  int nref = 0;
  em_open(ds, "static const uint32_t n%d_keyrefs[] = {", id);
  for (int c = 0; c < in->ncols; c++)
    if (type_is_stringy(in->cols[c].t)) { em_line(ds, "(uint32_t)offsetof(n%d_val, row.c%d),", id, c); nref++; }
  if (!nref) em_line(ds, "0");
  em_close(ds, ";");
  em_open(ds, "static const RtStateDesc n%d_states[] = {", id);
  em_line(ds, "{ \"n%d rows by window\", sizeof(n%d_val), 0, 0, 0, %d, n%d_keyrefs },", id, id, nref, id);
  em_close(ds, ";");
  em_line(ds, "%s", "");

  StageGen *st = &gen->stages[T->stage];
  st->states_sym = cx_printf(cx, "n%d_states", id);
  st->nstates = 1;
  st->process_fn = cx_printf(cx, "n%d_process", id);
  st->watermark_fn = cx_printf(cx, "n%d_on_watermark", id);
  st->maxpar = T->nkeys > 1 ? 0 : 0;
}

void cg_topn_input(Gen *gen, Plan *T, const CgVal *in, const char *hdr) {
  Cx *cx = gen->cx;
  Emitter *em = gen->em;
  Plan *ip = T->inputs[0];
  int edge = gen_edge_into(gen, T, RT_ROUTE_HASH, cx_printf(cx, "n%d_in_schema", T->id), 0);
  int out = gen_output(gen, RT_PORT_EDGE, edge);
  const char *o = cx_printf(cx, "n%d_in", T->id);
  em_line(em, "/* [n%d] row_number() input: the row to stage %s by partition hash, output %d */", T->id,
          gen->stages[T->stage].name, out);
  em_line(em, "row_n%d_in %s;", T->id, o);
  /* field by field: tcc turns struct assignment into a memmove call */
  em_line(em, "%s.h.ts = %s.ts; %s.h.hash = %s.hash; %s.h.retract = %s.retract;", o, hdr, o, hdr, o, hdr);
  for (int c = 0; c < ip->ncols; c++) {
    cg_assign(em, cx_printf(cx, "%s.c%d", o, c), ip->cols[c].t, in[c].v);
    em_line(em, "%s._null.c%d = %s;", o, c, in[c].n);
  }
  const char *h = cx_printf(cx, "n%d_hash", T->id);
  em_line(em, "uint64_t %s = UINT64_C(0x2545f4914f6cdd1d);", h);
  for (int i = 0; i < T->nkeys; i++) {
    int c = col_of(T->exprs[i]);
    SqlType t = ip->cols[c].t;
    const char *v = in[c].v;
    if (t.kind == T_WINDOW) {
      em_line(em, "%s = rt_hash_mix(rt_hash_mix(%s, (uint64_t)%s.start), (uint64_t)%s.end);", h, h, v, v);
    } else if (type_is_stringy(t)) {
      em_line(em, "%s = rt_hash_mix(%s, %s ? 1 : rt->hash_bytes(%s.ptr, %s.len, 0));", h, h, in[c].n, v, v);
    } else if (type_is_float(t)) {
      em_line(em, "{ union { double d; uint64_t u; } hb; hb.d = (double)%s; if (hb.d == 0) hb.d = 0; "
              "%s = rt_hash_mix(%s, %s ? 1 : hb.u); }", v, h, h, in[c].n);
    } else {
      em_line(em, "%s = rt_hash_mix(%s, %s ? 1 : (uint64_t)%s);", h, h, in[c].n, v);
    }
  }
  em_line(em, "%s.h.hash = %s;", o, h);
  em_line(em, "if (rt->emit(ctx, %d, &%s) < 0) return -1;", out, o);
}

/* Compare column c of two rows a and b (`pa`/`pb` name the row, e.g. "a->row."): <0, 0, >0,
** NULLs first or last as nulls_first says (in the final order, whatever desc is). */
void cg_topn_cmp_col(Emitter *em, SqlType t, int c, int desc, int nulls_first, const char *pa,
                     const char *pb) {
  em_line(em, "if (%s_null.c%d != %s_null.c%d) return %s_null.c%d ? %d : %d;", pa, c, pb, c, pa, c,
          nulls_first ? -1 : 1, nulls_first ? 1 : -1);
  em_open(em, "if (!%s_null.c%d) {", pa, c);
  if (type_is_stringy(t))
    em_line(em, "int r = rt_str_cmp(%sc%d, %sc%d);", pa, c, pb, c);
  else if (t.kind == T_WINDOW)
    em_line(em, "int r = %sc%d.start < %sc%d.start ? -1 : %sc%d.start > %sc%d.start;", pa, c, pb, c, pa, c, pb, c);
  else
    em_line(em, "int r = %sc%d < %sc%d ? -1 : %sc%d > %sc%d;", pa, c, pb, c, pa, c, pb, c);
  em_line(em, "if (r) return %sr;", desc ? "-" : "");
  em_close(em, NULL);
}

static void unbounded_stage(Gen *gen, Plan *T);

void cg_topn_stage(Gen *gen, Plan *T) {
  if (T->wincol < 0) { unbounded_stage(gen, T); return; }
  Cx *cx = gen->cx;
  Emitter *em = gen->em;
  int id = T->id;
  Plan *ip = T->inputs[0];
  int wc = col_of(T->exprs[T->wincol]);

  /* process: store each row in its window's bucket */
  gen->tmp = 0;
  em_line(em, "/* [n%d] row_number(): keep each row under its window until the window closes */", id);
  em_open(em, "static int n%d_process(RtCtx *ctx, int input, const RtBatch *batch) {", id);
  em_line(em, "const row_n%d_in *rows = (const row_n%d_in *)batch->rows;", id, id);
  em_line(em, "int64_t i, late = 0, wm = rt->current_watermark(ctx);");
  em_line(em, "int created = 0;");
  em_open(em, "for (i = 0; i < batch->n; i++) {");
  em_line(em, "const row_n%d_in *r = &rows[i];", id);
  em_line(em, "if (r->c%d.end <= wm) { late++; continue; }   /* its window already closed */", wc);
  /* key: non-window partition columns, the sequence, then the row's string bytes */
  int fixed = 8;
  for (int i = 0; i < T->nkeys; i++) {
    int c = col_of(T->exprs[i]);
    if (c == wc) continue;
    fixed += 1 + (type_is_stringy(ip->cols[c].t) ? 4 : cg_fixed_size(ip->cols[c].t));
  }
  em_line(em, "uint32_t kl = %d, ko = 0;", fixed);
  for (int c = 0; c < ip->ncols; c++)
    if (type_is_stringy(ip->cols[c].t)) em_line(em, "if (!r->_null.c%d) kl += (uint32_t)r->c%d.len;", c, c);
  for (int i = 0; i < T->nkeys; i++) {
    int c = col_of(T->exprs[i]);
    if (c != wc && type_is_stringy(ip->cols[c].t)) em_line(em, "if (!r->_null.c%d) kl += (uint32_t)r->c%d.len;", c, c);
  }
  em_line(em, "unsigned char kbuf[256];");
  em_line(em, "unsigned char *kb = kl > sizeof kbuf ? (unsigned char *)rt->alloc(ctx, kl) : kbuf;");
  for (int i = 0; i < T->nkeys; i++) {
    int c = col_of(T->exprs[i]);
    if (c == wc) continue;
    SqlType t = ip->cols[c].t;
    em_line(em, "kb[ko++] = r->_null.c%d;", c);
    if (type_is_stringy(t)) {
      em_line(em, "{ uint32_t len = r->_null.c%d ? 0 : (uint32_t)r->c%d.len; rt_put_bytes(kb + ko, &len, 4); ko += 4;", c, c);
      em_line(em, "  rt_put_bytes(kb + ko, r->c%d.ptr, len); ko += len; }", c);
    } else {
      em_line(em, "{ %s kv = r->_null.c%d ? 0 : r->c%d; rt_put_bytes(kb + ko, &kv, %d); ko += %d; }", type_c(t), c, c,
              cg_fixed_size(t), cg_fixed_size(t));
    }
  }
  em_line(em, "int64_t seq = rt->next_seq(ctx);   /* arrival order, unique across restores */");
  em_line(em, "rt_put_bytes(kb + ko, &seq, 8); ko += 8;");
  for (int c = 0; c < ip->ncols; c++)
    if (type_is_stringy(ip->cols[c].t)) {
      em_line(em, "uint32_t off%d = ko;", c);
      em_line(em, "if (!r->_null.c%d) { rt_put_bytes(kb + ko, r->c%d.ptr, r->c%d.len); ko += (uint32_t)r->c%d.len; }", c, c, c, c);
    }
  em_line(em, "const void *kc = 0;");
  em_line(em, "n%d_val *v = (n%d_val *)rt->st_get(ctx, 0, r->c%d.end, rt_hash_unique(r->h.hash, seq), kb, ko, 1, &created, &kc);", id, id, wc);
  em_line(em, "if (!v) return -1;");
  em_line(em, "v->seq = seq;");
  em_line(em, "rt_put_bytes(&v->row, r, (int64_t)sizeof *r);");
  for (int c = 0; c < ip->ncols; c++)
    if (type_is_stringy(ip->cols[c].t))
      em_line(em, "if (!r->_null.c%d) v->row.c%d.ptr = (const char *)kc + off%d;   /* strings now live in the key */", c, c, c);
  em_close(em, NULL);
  em_line(em, "if (late) rt->count_late(ctx, late);");
  em_line(em, "return 0;");
  em_close(em, NULL);
  em_line(em, "%s", "");

  /* ordering: partition columns, ORDER BY, arrival */
  em_line(em, "/* [n%d] sort order: partition, then ORDER BY, then arrival (a stable total order) */", id);
  em_open(em, "static int n%d_cmp(const n%d_val *a, const n%d_val *b) {", id, id, id);
  for (int i = 0; i < T->nkeys; i++)
    cg_topn_cmp_col(em, ip->cols[col_of(T->exprs[i])].t, col_of(T->exprs[i]), 0, 0, "a->row.", "b->row.");
  em_line(em, "%s", "/* same partition */");
  for (int i = 0; i < T->norder; i++)
    cg_topn_cmp_col(em, ip->cols[col_of(T->order[i])].t, col_of(T->order[i]), T->order_desc[i],
                 T->order_nulls_first[i], "a->row.", "b->row.");
  em_line(em, "return a->seq < b->seq ? -1 : a->seq > b->seq;");
  em_close(em, NULL);
  em_open(em, "static int n%d_same_partition(const n%d_val *a, const n%d_val *b) {", id, id, id);
  for (int i = 0; i < T->nkeys; i++) {
    int c = col_of(T->exprs[i]);
    SqlType t = ip->cols[c].t;
    em_line(em, "if (a->row._null.c%d != b->row._null.c%d) return 0;", c, c);
    if (type_is_stringy(t)) em_line(em, "if (!a->row._null.c%d && !rt_str_eq(a->row.c%d, b->row.c%d)) return 0;", c, c, c);
    else if (t.kind == T_WINDOW)
      em_line(em, "if (a->row.c%d.start != b->row.c%d.start || a->row.c%d.end != b->row.c%d.end) return 0;", c, c, c, c);
    else em_line(em, "if (!a->row._null.c%d && a->row.c%d != b->row.c%d) return 0;", c, c, c);
  }
  em_line(em, "return 1;");
  em_close(em, NULL);
  em_line(em, "/* bottom-up merge sort of row pointers (no libc in generated code) */");
  em_open(em, "static void n%d_sort(n%d_val **v, n%d_val **tmp, int64_t n) {", id, id, id);
  em_line(em, "int64_t w, i;");
  em_open(em, "for (w = 1; w < n; w *= 2) {");
  em_open(em, "for (i = 0; i < n; i += 2 * w) {");
  em_line(em, "int64_t lo = i, mid = i + w < n ? i + w : n, hi = i + 2 * w < n ? i + 2 * w : n, a = lo, b = mid, k = lo;");
  em_line(em, "while (a < mid && b < hi) tmp[k++] = n%d_cmp(v[a], v[b]) <= 0 ? v[a++] : v[b++];", id);
  em_line(em, "while (a < mid) tmp[k++] = v[a++];");
  em_line(em, "while (b < hi) tmp[k++] = v[b++];");
  em_close(em, NULL);
  em_line(em, "for (i = 0; i < n; i++) v[i] = tmp[i];");
  em_close(em, NULL);
  em_close(em, NULL);
  em_open(em, "static int n%d_collect(RtCtx *ctx, void *arg, int64_t bucket, const void *key, uint32_t keylen, void *value) {", id);
  em_line(em, "n%d_list *l = (n%d_list *)arg;", id, id);
  em_line(em, "if (l->rows) l->rows[l->n] = (n%d_val *)value;", id);
  em_line(em, "l->n++;");
  em_line(em, "return 0;");
  em_close(em, NULL);
  em_line(em, "%s", "");

  /* emission */
  gen->tmp = 0;
  em_line(em, "/* [n%d] windows whose end the watermark reached: sort, number, emit, free */", id);
  em_open(em, "static int n%d_on_watermark(RtCtx *ctx, int64_t wm) {", id);
  em_open(em, "for (;;) {");
  em_line(em, "int64_t b = rt->st_first_bucket(ctx, 0), i;");
  em_line(em, "if (b == INT64_MAX || b > wm) break;");
  em_line(em, "n%d_list l;", id);
  em_line(em, "l.rows = 0; l.n = 0;");
  em_line(em, "if (rt->st_visit_bucket(ctx, 0, b, n%d_collect, &l)) return -1;", id);
  em_line(em, "l.rows = (n%d_val **)rt->alloc(ctx, l.n * (int64_t)sizeof(n%d_val *));", id, id);
  em_line(em, "n%d_val **tmp = (n%d_val **)rt->alloc(ctx, l.n * (int64_t)sizeof(n%d_val *));", id, id, id);
  em_line(em, "l.n = 0;");
  em_line(em, "if (rt->st_visit_bucket(ctx, 0, b, n%d_collect, &l)) return -1;", id);
  em_line(em, "n%d_sort(l.rows, tmp, l.n);", id);
  em_line(em, "uint64_t rn = 0;");
  em_open(em, "for (i = 0; i < l.n; i++) {");
  em_line(em, "const n%d_val *cur = l.rows[i];", id);
  em_line(em, "if (i == 0 || !n%d_same_partition(l.rows[i - 1], cur)) rn = 0;", id);
  em_line(em, "rn++;");
  CgVal *out = cx_alloc(cx, sizeof(CgVal) * (size_t)T->ncols);
  for (int c = 0; c < ip->ncols; c++) {
    out[c].v = cx_printf(cx, "cur->row.c%d", c);
    out[c].n = ip->cols[c].nullable ? cx_printf(cx, "cur->row._null.c%d", c) : "0";
  }
  out[ip->ncols].v = "rn";
  out[ip->ncols].n = "0";
  em_open(em, "do {");
  consume_parents(gen, T, out, "cur->row.h");
  em_close(em, " while (0);");
  em_close(em, NULL);
  em_line(em, "rt->st_drop_bucket(ctx, 0, b);");
  em_close(em, NULL);
  em_line(em, "return 0;");
  em_close(em, NULL);
  em_line(em, "%s", "");
}

/* ---- updating top-N (no window) ------------------------------------------------------- */

/* Emit the partition key of row `r` (a row_n<id>_in pointer) into kb[0..ko): per column a NULL
** flag, then the fixed-size value or a 4-byte length and the bytes. */
void cg_topn_partition_key(Emitter *em, Plan *T, Plan *ip) {
  int fixed = 0;
  for (int i = 0; i < T->nkeys; i++) {
    int c = col_of(T->exprs[i]);
    fixed += 1 + (type_is_stringy(ip->cols[c].t) ? 4 : cg_fixed_size(ip->cols[c].t));
  }
  em_line(em, "uint32_t kl = %d, ko = 0;", fixed);
  for (int i = 0; i < T->nkeys; i++) {
    int c = col_of(T->exprs[i]);
    if (type_is_stringy(ip->cols[c].t)) em_line(em, "if (!r->_null.c%d) kl += (uint32_t)r->c%d.len;", c, c);
  }
  em_line(em, "unsigned char kbuf[256];");
  em_line(em, "unsigned char *kb = kl > sizeof kbuf ? (unsigned char *)rt->alloc(ctx, kl) : kbuf;");
  for (int i = 0; i < T->nkeys; i++) {
    int c = col_of(T->exprs[i]);
    SqlType t = ip->cols[c].t;
    em_line(em, "kb[ko++] = r->_null.c%d;", c);
    if (type_is_stringy(t)) {
      em_line(em, "{ uint32_t len = r->_null.c%d ? 0 : (uint32_t)r->c%d.len; rt_put_bytes(kb + ko, &len, 4); ko += 4;", c, c);
      em_line(em, "  if (len) rt_put_bytes(kb + ko, r->c%d.ptr, len); ko += len; }", c);
    } else {
      em_line(em, "{ %s kv = r->_null.c%d ? 0 : r->c%d; rt_put_bytes(kb + ko, &kv, %d); ko += %d; }", type_c(t), c, c,
              cg_fixed_size(t), cg_fixed_size(t));
    }
  }
}

static void unbounded_stage(Gen *gen, Plan *T) {
  Cx *cx = gen->cx;
  Emitter *em = gen->em;
  int id = T->id;
  Plan *ip = T->inputs[0];
  int ns = nstrings(ip);
  long long N = (long long)T->limit;
  int str_order = 0;   /* ORDER BY reads a string: compare against a view of the kept row */
  for (int i = 0; i < T->norder; i++) str_order |= type_is_stringy(ip->cols[col_of(T->order[i])].t);

  /* the ORDER BY comparison (no arrival tie-break: ties keep their places, see process) */
  em_line(em, "/* [n%d] ORDER BY %s: <0 when a sorts before b, 0 on a tie */", id,
          T->norder ? "order" : "(none)");
  em_open(em, "static int n%d_cmp(const row_n%d_in *a, const row_n%d_in *b) {", id, id, id);
  for (int i = 0; i < T->norder; i++)
    cg_topn_cmp_col(em, ip->cols[col_of(T->order[i])].t, col_of(T->order[i]), T->order_desc[i],
                 T->order_nulls_first[i], "a->", "b->");
  em_line(em, "(void)a; (void)b;");
  em_line(em, "return 0;");
  em_close(em, NULL);
  em_line(em, "%s", "");

  /* a kept row as a row with live strings */
  em_line(em, "/* [n%d] a kept row with its strings pointing into its blob */", id);
  em_open(em, "static void n%d_view(RtCtx *ctx, const n%d_slot *s, row_n%d_in *out) {", id, id, id);
  em_line(em, "*out = s->row;   /* struct copies: gcc inlines them, tcc calls the memmove above */");
  if (ns) {
    em_line(em, "RtStr b; const char *p = 0; int64_t o = 0;");
    em_line(em, "if (rt->agg_str_get(ctx, s->blob, &b) == RT_OK) p = b.ptr;");
    for (int c = 0; c < ip->ncols; c++)
      if (type_is_stringy(ip->cols[c].t))
        em_line(em, "if (!out->_null.c%d) { out->c%d.ptr = p ? p + o : 0; o += out->c%d.len; }", c, c, c);
  } else {
    em_line(em, "(void)ctx;");
  }
  em_close(em, NULL);
  em_line(em, "%s", "");

  /* store a row into a slot (reusing the slot's blob) */
  em_line(em, "/* [n%d] keep row r in slot s: the row, and its strings' bytes in the slot's blob */", id);
  em_open(em, "static int n%d_store(RtCtx *ctx, n%d_slot *s, const row_n%d_in *r) {", id, id, id);
  em_line(em, "s->row = *r;");
  if (ns) {
    em_line(em, "int64_t len = 0, o = 0;");
    for (int c = 0; c < ip->ncols; c++)
      if (type_is_stringy(ip->cols[c].t)) em_line(em, "if (!r->_null.c%d) len += r->c%d.len;", c, c);
    em_line(em, "char *buf = (char *)rt->alloc(ctx, len ? len : 1);");
    for (int c = 0; c < ip->ncols; c++)
      if (type_is_stringy(ip->cols[c].t)) {
        em_line(em, "if (!r->_null.c%d) { rt_put_bytes(buf + o, r->c%d.ptr, r->c%d.len); o += r->c%d.len; }", c, c, c, c);
        em_line(em, "s->row.c%d.ptr = 0;   /* rebuilt by n%d_view */", c, id);
      }
    em_line(em, "return rt->agg_str_set(ctx, &s->blob, rt_str(buf, len), 0, RT_SBOX_LAST, 0);");
  } else {
    em_line(em, "(void)ctx;");
    em_line(em, "return 0;");
  }
  em_close(em, NULL);
  em_line(em, "%s", "");

  /* emission of one kept row with its row number */
  gen->tmp = 0;
  em_line(em, "/* [n%d] send kept row s with row number rn (retract != 0: as a retraction) downstream */", id);
  em_open(em, "static int n%d_out(RtCtx *ctx, const n%d_slot *s, uint64_t rn, int retract) {", id, id);
  em_line(em, "row_n%d_in cur;", id);
  em_line(em, "n%d_view(ctx, s, &cur);", id);
  em_line(em, "cur.h.retract = (uint8_t)retract;");
  CgVal *out = cx_alloc(cx, sizeof(CgVal) * (size_t)T->ncols);
  for (int c = 0; c < ip->ncols; c++) {
    out[c].v = cx_printf(cx, "cur.c%d", c);
    out[c].n = ip->cols[c].nullable ? cx_printf(cx, "cur._null.c%d", c) : "0";
  }
  out[ip->ncols].v = "rn";
  out[ip->ncols].n = "0";
  em_open(em, "do {");
  consume_parents(gen, T, out, "cur.h");
  em_close(em, " while (0);");
  em_line(em, "return 0;");
  em_close(em, NULL);
  em_line(em, "%s", "");

  /* process */
  gen->tmp = 0;
  em_line(em, "/* [n%d] row_number() <= %lld per partition, updating: a row that enters the top %lld is", id, N, N);
  em_line(em, "** emitted and the row it pushes out is retracted%s. Rows that tie under ORDER BY",
          T->rank_out ? "; rows whose number changes are retracted and re-emitted with the new one" : "");
  em_line(em, "** keep their arrival order (a new row goes after the kept rows it ties with). */");
  em_open(em, "static int n%d_process(RtCtx *ctx, int input, const RtBatch *batch) {", id);
  em_line(em, "const row_n%d_in *rows = (const row_n%d_in *)batch->rows;", id, id);
  em_line(em, "int64_t i, j;");
  em_line(em, "(void)input;");
  em_open(em, "for (i = 0; i < batch->n; i++) {");
  em_line(em, "const row_n%d_in *r = &rows[i];", id);
  em_line(em, "if (r->h.retract) return rt->error(ctx, 0, \"row_number(): the top-N input must be append-only, but a retraction arrived\");");
  cg_topn_partition_key(em, T, ip);
  em_line(em, "int created = 0;");
  em_line(em, "n%d_part *P = (n%d_part *)rt->st_get(ctx, 0, 0, r->h.hash, kb, ko, 1, &created, 0);", id, id);
  em_line(em, "if (!P) return -1;");
  if (str_order) em_line(em, "row_n%d_in kept;", id);
  const char *kept = str_order ? "&kept" : "&P->s[%s].row";
  /* does it enter? */
  em_line(em, "/* a full partition: the row enters only if it sorts before the last kept row */");
  if (str_order) em_line(em, "if (P->n == %lld) n%d_view(ctx, &P->s[%lld], &kept);", N, id, N - 1);
  em_line(em, "if (P->n == %lld && n%d_cmp(r, %s) >= 0) continue;", N, id,
          str_order ? kept : cx_printf(cx, kept, cx_printf(cx, "%lld", N - 1)));
  em_line(em, "/* its place: after every kept row that sorts before it or ties with it */");
  em_line(em, "int64_t lo = 0, hi = P->n;");
  em_open(em, "while (lo < hi) {");
  em_line(em, "int64_t mid = lo + (hi - lo) / 2;");
  if (str_order) em_line(em, "n%d_view(ctx, &P->s[mid], &kept);", id);
  em_line(em, "if (n%d_cmp(r, %s) >= 0) lo = mid + 1; else hi = mid;", id,
          str_order ? kept : cx_printf(cx, kept, "mid"));
  em_close(em, NULL);
  if (T->rank_out) {
    em_line(em, "/* rows from lo on change their number (the last one may leave): retract them */");
    em_line(em, "for (j = P->n - 1; j >= lo; j--) if (n%d_out(ctx, &P->s[j], (uint64_t)(j + 1), 1)) return -1;", id);
  } else {
    em_line(em, "/* a full partition pushes its last row out */");
    em_line(em, "if (P->n == %lld && n%d_out(ctx, &P->s[%lld], %lluu, 1)) return -1;", N, id, N - 1,
            (unsigned long long)N);
  }
  em_line(em, "/* shift rows lo.. down one place; a pushed-out row's blob is reused for the new row */");
  em_line(em, "int64_t last = P->n == %lld ? %lld : P->n;", N, N - 1);
  if (ns) em_line(em, "void *spare = P->s[last].blob;");
  em_line(em, "for (j = last; j > lo; j--) P->s[j] = P->s[j - 1];");
  if (ns) em_line(em, "P->s[lo].blob = spare;");
  em_line(em, "if (P->n < %lld) P->n++;", N);
  em_line(em, "if (n%d_store(ctx, &P->s[lo], r)) return -1;", id);
  if (T->rank_out) {
    em_line(em, "for (j = lo; j < P->n; j++) if (n%d_out(ctx, &P->s[j], (uint64_t)(j + 1), 0)) return -1;", id);
  } else {
    em_line(em, "if (n%d_out(ctx, &P->s[lo], (uint64_t)(lo + 1), 0)) return -1;", id);
  }
  em_close(em, NULL);
  em_line(em, "return 0;");
  em_close(em, NULL);
  em_line(em, "%s", "");
}
