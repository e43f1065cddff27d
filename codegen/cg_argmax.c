/*
** codegen/cg_argmax.c: the argmax join (P_ARGMAX, compiler/argmax.c): rows equal to the
** MAX (MIN) of their column over their own tumbling window, in place of an INNER interval join
** of the rows with that windowed aggregate (Nexmark q7).
**
** Producer side (fused into D's pipeline): a row whose compared value or time is NULL is not
** shipped (it never matches and changes no maximum); nor is one that the pre-filter drops: each
** source subtask keeps, in a source-stage state table (n<id>_pf), its own running maximum of
** the last PF_SLOTS windows, raised only by rows at or after its watermark (so on time at the
** stage too: the stage's watermark never passes a source subtask's), and drops a row below it
** (for a row at a window's end, below that window's too). Every such maximum is the value of a
** row shipped before, so the final maximum is at least as high and the dropped row could not
** match: the filter only drops rows that cannot matter, whatever entry a subtask finds after a
** restore. About log2(rows) rows per window and subtask pass. The rest go, with only the
** columns read above the node, to the node's stage, which runs on ONE subtask (it must see all
** of a window's rows, like a keyless aggregate).
** Stage, per window (bucket = window end E, tumble width W):
**   table 0  n<id>_win: the running maximum of the window's rows ([E - W, E)), and whether the
**            window has closed (its maximum is final);
**   table 1  n<id>_cand, keyed by a value v: candidate rows with compared value v, packed in
**            arrival order in a join rows object (runtime/join_rows.c): the window's rows tied
**            with its running maximum, and rows at exactly t = E (the first instant of the next
**            window, which BETWEEN E - W AND E also matches) whose value is >= the running
**            maximum. When the maximum rises, the entry of the old maximum is removed (its rows
**            can never match); entries of boundary rows above the maximum stay until the
**            window closes (at most a few rows: those at one instant).
** A row at t (not NULL): late when t < the watermark (dropped and counted, as the interval join
** drops it, and as the aggregate ignores it); else it updates its own window's maximum, is kept
** as a candidate when it equals the maximum and E - t lies in the join's [lo, hi]; and when t is
** itself a window end and lo = 0 it is also a candidate for the window ending at t: kept while
** that window is open, emitted at once when that window has closed with a maximum equal to it
** (with ts = t, as the interval join pairs it on arrival), nothing when that window had no rows.
** When the watermark reaches E the window closes: the candidates with the final maximum are
** emitted in arrival order with ts = E - 1 (the aggregate row's time, which the interval join's
** pairs made at the maximum's arrival carry). Its table 0 entry is kept while rows at t = E
** can still arrive (watermark == E) and dropped once the watermark passes E.
** Output: the join's columns; D's from the row (unread ones NULL), S's from the window end
** (the window's start or end) or the row's own value (the maximum). Append-only.
** Checkpoints: both tables are ordinary state tables (the rows object is an RtObj), so they are
** snapshotted and restored like every other stage's state.
** Not here: which joins qualify (compiler/argmax.c; floats, filters and residuals do not).
*/
#include <string.h>
#include "codegen.h"

#define PF_SLOTS 4   /* windows a pre-filter tracks (a power of two) */

static void emit_prefilter_get(Gen *gen, Plan *J);

/* D's columns the stage needs: read above the node (through cg_parent_uses), the compared
** value and the time. */
static uint8_t *needed(Gen *gen, Plan *J) {
  Cx *cx = gen->cx;
  const ArgmaxInfo *x = J->amx;
  Plan *D = J->inputs[0];
  uint8_t *out = cx_alloc(cx, (size_t)J->ncols + 1), *need = cx_alloc(cx, (size_t)D->ncols + 1);
  for (int i = 0; i < J->nparents; i++) cg_parent_uses(cx, J->parents[i], out, J->ncols);
  for (int c = 0; c < D->ncols; c++) need[c] = out[x->doff + c];
  need[x->col] = need[x->tcol] = 1;
  return need;
}

void cg_argmax_types(Gen *gen, Plan *J) {
  Cx *cx = gen->cx;
  Emitter *ty = &gen->types, *ds = &gen->descs;
  const ArgmaxInfo *x = J->amx;
  Plan *D = J->inputs[0];
  int id = J->id;
  uint8_t *need = needed(gen, J);
  em_line(ty, "/* [n%d] argmax join input: the columns of [n%d] it needs, to one subtask */", id, D->id);
  em_open(ty, "typedef struct row_n%d_in {", id);
  em_line(ty, "RtRowHeader h;");
  for (int c = 0; c < D->ncols; c++)
    if (need[c]) em_line(ty, "%s c%d;   /* %s */", type_c(D->cols[c].t), c, c_comment(cx, D->cols[c].name));
  em_open(ty, "struct {");
  for (int c = 0; c < D->ncols; c++) if (need[c]) em_line(ty, "uint8_t c%d;", c);
  em_close(ty, " _null;");
  em_close(ty, cx_printf(cx, " row_n%d_in;", id));
  const char *vt = type_c(D->cols[x->col].t);
  em_line(ty, "/* [n%d] per window (state table 0, bucket = window end): the running %s of %s */", id,
          x->is_min ? "minimum" : "maximum", c_comment(cx, D->cols[x->col].name));
  em_line(ty, "typedef struct n%d_win { %s best; uint8_t has; uint8_t closed; } n%d_win;", id, vt, id);
  em_line(ty, "/* [n%d] candidate rows with one value (state table 1, bucket = window end, key = the value):", id);
  em_line(ty, "** packed [null bitmap][fixed bytes or u32 length + bytes per column of row_n%d_in], arrival order */", id);
  em_line(ty, "typedef struct n%d_cand { void *rows; } n%d_cand;", id, id);
  em_line(ty, "/* [n%d] pre-filter of one source subtask (a source-stage state table, bucket 0, one entry per", id);
  em_line(ty, "** subtask under a key of its own): its own running %s of the last windows it saw, by", x->is_min ? "minimum" : "maximum");
  em_line(ty, "** window number %% %d. A row below it cannot match, so it is not shipped. */", PF_SLOTS);
  em_line(ty, "typedef struct n%d_pf { int64_t end[%d]; %s best[%d]; } n%d_pf;", id, PF_SLOTS, vt, PF_SLOTS, id);
  em_line(ty, "%s", "");
  emit_prefilter_get(gen, J);

  em_open(ds, "static const RtColumn n%d_in_cols[] = {", id);
  for (int c = 0; c < D->ncols; c++) {
    if (!need[c]) continue;
    SqlType t = D->cols[c].t;
    em_line(ds, "{ \"c%d\", %d, 1, %d, %d, (uint32_t)offsetof(row_n%d_in, c%d), (uint32_t)offsetof(row_n%d_in, _null.c%d) },",
            c, t.kind, t.prec, t.scale, id, c, id, c);
  }
  em_close(ds, ";");
  int n = 0;
  for (int c = 0; c < D->ncols; c++) n += need[c];
  em_line(ds, "static const RtSchema n%d_in_schema = { \"row_n%d_in\", sizeof(row_n%d_in), %d, n%d_in_cols };",
          id, id, id, n, id);
  em_line(ds, "static const uint32_t n%d_objs[] = { (uint32_t)offsetof(n%d_cand, rows) };", id, id);
  em_open(ds, "static const RtStateDesc n%d_states[] = {", id);
  em_line(ds, "{ \"n%d running %s by window end\", sizeof(n%d_win), 0, 0, INT64_C(0) },", id,
          x->is_min ? "minimum" : "maximum", id);
  em_line(ds, "{ \"n%d candidate rows by window end and value\", sizeof(n%d_cand), 1, n%d_objs, INT64_C(0) },", id, id, id);
  em_close(ds, ";");
  em_line(ds, "%s", "");

  StageGen *st = &gen->stages[J->stage];
  st->maxpar = 1;
  st->states_sym = cx_printf(cx, "n%d_states", id);
  st->nstates = 2;
  st->process_fn = cx_printf(cx, "n%d_process", id);
  st->watermark_fn = cx_printf(cx, "n%d_on_watermark", id);
}

/* ---- producer side ------------------------------------------------------------------- */
/* Whether rows of source table t reach p through the stateless nodes of one pipeline. */
static int fed_by(const Plan *p, const Table *t) {
  switch (p->kind) {
    case P_SCAN: return p->table == t;
    case P_FILTER: case P_PROJECT: case P_UNNEST: case P_LOOKUP: return fed_by(p->inputs[0], t);
    case P_UNION: case P_MEMORY:
      for (int i = 0; i < p->ninputs; i++) if (fed_by(p->inputs[i], t)) return 1;
      return 0;
    default: return 0;
  }
}

static void collect_argmax(Plan *p, Plan ***acc, int *n, char *seen, Cx *cx) {
  if (seen[p->id]) return;
  seen[p->id] = 1;
  for (int i = 0; i < p->ninputs; i++) collect_argmax(p->inputs[i], acc, n, seen, cx);
  if (p->kind != P_ARGMAX) return;
  Plan **nv = cx_alloc(cx, sizeof(Plan *) * (size_t)(*n + 1));
  if (*n) memcpy(nv, *acc, sizeof(Plan *) * (size_t)*n);
  nv[(*n)++] = p;
  *acc = nv;
}

/* Every P_ARGMAX node of the script, by plan id. */
static Plan **all_argmax(Cx *cx, int *n) {
  Plan **v = NULL;
  *n = 0;
  char *seen = cx_alloc(cx, (size_t)cx->cat->next_plan_id + 1);
  for (int i = 0; i < cx->cat->nsink_plans; i++) collect_argmax(cx->cat->sink_plans[i], &v, n, seen, cx);
  for (int i = 1; i < *n; i++)   /* insertion sort by id: deterministic table numbers */
    for (int k = i; k > 0 && v[k - 1]->id > v[k]->id; k--) { Plan *t = v[k]; v[k] = v[k - 1]; v[k - 1] = t; }
  return v;
}

/* The source stage's state table of J's pre-filter. */
static int pf_table(Cx *cx, const Plan *J) {
  int n;
  Plan **v = all_argmax(cx, &n);
  for (int i = 0; i < n; i++) if (v[i] == J) return i;
  return -1;
}

/* n<id>_pf_get: this source subtask's pre-filter entry (made on first use, with window ends
** that match no window; after a restore that merged several subtasks' entries into this one,
** the first: any of them is a valid filter, see the header). */
static void emit_prefilter_get(Gen *gen, Plan *J) {
  Emitter *em = &gen->funcs;
  int id = J->id, tab = pf_table(gen->cx, J);
  em_line(em, "/* [n%d] this source subtask's pre-filter (source stage state table %d) */", id, tab);
  em_open(em, "static int n%d_pf_seen(RtCtx *ctx, void *arg, int64_t bucket, const void *key, uint32_t keylen, void *value) {", id);
  em_line(em, "*(n%d_pf **)arg = (n%d_pf *)value;", id, id);
  em_line(em, "return 1;   /* the first one */");
  em_close(em, NULL);
  em_open(em, "static n%d_pf *n%d_pf_get(RtCtx *ctx) {", id, id);
  em_line(em, "n%d_pf *pf = 0;", id);
  em_line(em, "rt->st_visit_bucket(ctx, %d, 0, n%d_pf_seen, &pf);", tab, id);
  em_line(em, "if (pf) return pf;");
  em_line(em, "int64_t key = rt->next_seq(ctx);   /* a key of its own: unique across subtasks and runs */");
  em_line(em, "pf = (n%d_pf *)rt->st_get(ctx, %d, 0, rt_hash_mix(0, (uint64_t)key), &key, 8, 1, 0, 0);", id, tab);
  em_line(em, "if (!pf) return 0;");
  em_line(em, "for (int k = 0; k < %d; k++) pf->end[k] = INT64_MIN;", PF_SLOTS);
  em_line(em, "return pf;");
  em_close(em, NULL);
  em_line(em, "%s", "");
}

void cg_argmax_source_states(Gen *gen) {
  Cx *cx = gen->cx;
  int n;
  Plan **v = all_argmax(cx, &n);
  if (!n) return;
  Emitter *ds = &gen->descs;
  em_open(ds, "static const RtStateDesc source_states[] = {   /* argmax join pre-filters */");
  for (int i = 0; i < n; i++)
    em_line(ds, "{ \"n%d pre-filter per source subtask\", sizeof(n%d_pf), 0, 0, INT64_C(0) },", v[i]->id, v[i]->id);
  em_close(ds, ";");
  em_line(ds, "%s", "");
  gen->stages[0].states_sym = "source_states";
  gen->stages[0].nstates = n;
}

void cg_argmax_source_prologue(Gen *gen, Table *t) {
  int n;
  Plan **v = all_argmax(gen->cx, &n);
  for (int i = 0; i < n; i++) {
    if (!fed_by(v[i]->inputs[0], t)) continue;
    int id = v[i]->id;
    em_line(gen->em, "n%d_pf *n%d_pf = n%d_pf_get(ctx);   /* [n%d] argmax join pre-filter */", id, id, id, id);
    em_line(gen->em, "if (!n%d_pf) return -1;", id);
    em_line(gen->em, "int64_t n%d_pf_wm = rt->current_watermark(ctx);   /* rows at or after it are on time downstream too */", id);
    em_line(gen->em, "(void)n%d_pf; (void)n%d_pf_wm;", id, id);
  }
}

/* In D's pipeline: `break` (do not ship the row) when its value is below this subtask's running
** maximum of its window and, for a row at a window's end, of the window ending there. Only
** on-time rows (t >= the subtask's watermark, so on time for the stage too) raise it. */
static void emit_prefilter(Gen *gen, Plan *J, const char *v, const char *t) {
  Emitter *em = gen->em;
  const ArgmaxInfo *x = J->amx;
  int id = J->id;
  long long W = (long long)x->width;
  const char *below = x->is_min ? ">" : "<", *above = x->is_min ? "<" : ">";
  em_open(em, "if (%s >= n%d_pf_wm) {   /* pre-filter */", t, id);
  em_line(em, "int64_t n%d_w = rt_floor_div(%s, INT64_C(%lld)), n%d_end = n%d_w * INT64_C(%lld) + INT64_C(%lld);",
          id, t, W, id, id, W, W);
  em_line(em, "int n%d_k = (int)(n%d_w & %d), n%d_keep = 1;", id, id, PF_SLOTS - 1, id);
  em_open(em, "if (n%d_pf->end[n%d_k] == n%d_end) {", id, id, id);
  em_line(em, "if (%s %s n%d_pf->best[n%d_k]) n%d_keep = 0;", v, below, id, id, id);
  em_line(em, "else if (%s %s n%d_pf->best[n%d_k]) n%d_pf->best[n%d_k] = %s;", v, above, id, id, id, id, v);
  em_close(em, NULL);
  em_line(em, "else if (n%d_pf->end[n%d_k] < n%d_end) { n%d_pf->end[n%d_k] = n%d_end; n%d_pf->best[n%d_k] = %s; }",
          id, id, id, id, id, id, id, id, v);
  if (x->lo == 0) {
    em_line(em, "n%d_k = (int)((n%d_w - 1) & %d);   /* a row at a window's end: that window's maximum too */", id, id, PF_SLOTS - 1);
    em_line(em, "if (!n%d_keep && %s == n%d_w * INT64_C(%lld) && !(n%d_pf->end[n%d_k] == %s && %s %s n%d_pf->best[n%d_k])) n%d_keep = 1;",
            id, t, id, W, id, id, t, v, below, id, id, id);
  }
  em_line(em, "if (!n%d_keep) break;", id);
  em_close(em, NULL);
}

void cg_argmax_input(Gen *gen, Plan *J, const CgVal *in, const char *hdr) {
  Cx *cx = gen->cx;
  Emitter *em = gen->em;
  const ArgmaxInfo *x = J->amx;
  Plan *D = J->inputs[0];
  int id = J->id;
  uint8_t *need = needed(gen, J);
  int edge = gen_edge_into(gen, J, RT_ROUTE_SINGLE, cx_printf(cx, "n%d_in_schema", id), 0);
  int out = gen_output(gen, RT_PORT_EDGE, edge);
  const char *o = cx_printf(cx, "n%d_in", id);
  em_line(em, "/* [n%d] argmax join input: to stage %s (one subtask), output %d; a NULL %s or time never matches */",
          id, gen->stages[J->stage].name, out, c_comment(cx, D->cols[x->col].name));
  const CgVal *v = &in[x->col], *t = &in[x->tcol];
  if (strcmp(v->n, "0") && strcmp(t->n, "0")) em_line(em, "if (%s || %s) break;", v->n, t->n);
  else if (strcmp(v->n, "0") || strcmp(t->n, "0")) em_line(em, "if (%s) break;", strcmp(v->n, "0") ? v->n : t->n);
  if (gen->stage == 0) emit_prefilter(gen, J, v->v, t->v);   /* the source loop (its prologue declared it) */
  em_line(em, "row_n%d_in %s;", id, o);
  /* field by field: tcc turns struct assignment into a memmove call */
  em_line(em, "%s.h.ts = %s.ts; %s.h.hash = 0; %s.h.retract = %s.retract;", o, hdr, o, o, hdr);
  for (int c = 0; c < D->ncols; c++) {
    if (!need[c]) continue;
    cg_assign(em, cx_printf(cx, "%s.c%d", o, c), D->cols[c].t, in[c].v);
    em_line(em, "%s._null.c%d = %s;", o, c, in[c].n);
  }
  em_line(em, "if (rt->emit(ctx, %d, &%s) < 0) return -1;", out, o);
}

/* ---- stage --------------------------------------------------------------------------- */
/* n<id>_packsize / n<id>_pack / n<id>_unpack: a row_n<id>_in as candidate bytes and back. */
static void emit_pack(Gen *gen, Plan *J, const uint8_t *need) {
  Emitter *em = gen->em;
  Plan *D = J->inputs[0];
  int id = J->id, nst = 0;
  for (int c = 0; c < D->ncols; c++) nst += need[c];
  int bitmap = (nst + 7) / 8, fixed = bitmap;
  for (int c = 0; c < D->ncols; c++)
    if (need[c]) fixed += type_is_stringy(D->cols[c].t) ? 4 : cg_fixed_size(D->cols[c].t);
  em_line(em, "/* [n%d] candidate row bytes: [null bitmap, %d byte(s)] then per column its bytes (strings: u32 length + bytes) */", id, bitmap);
  em_open(em, "static uint32_t n%d_packsize(const row_n%d_in *r) {", id, id);
  em_line(em, "uint32_t n = %d;", fixed);
  for (int c = 0; c < D->ncols; c++)
    if (need[c] && type_is_stringy(D->cols[c].t)) em_line(em, "if (!r->_null.c%d) n += (uint32_t)r->c%d.len;", c, c);
  em_line(em, "return n;");
  em_close(em, NULL);
  em_open(em, "static void n%d_pack(const row_n%d_in *r, unsigned char *p) {", id, id);
  em_line(em, "uint32_t o = %d;", bitmap);
  em_line(em, "rt_zero(p, %d);", bitmap);
  int bit = 0;
  for (int c = 0; c < D->ncols; c++) {
    if (!need[c]) continue;
    em_line(em, "if (r->_null.c%d) p[%d] |= %d;", c, bit >> 3, 1 << (bit & 7));
    if (type_is_stringy(D->cols[c].t)) {
      em_line(em, "{ uint32_t len = r->_null.c%d ? 0 : (uint32_t)r->c%d.len; rt_put_bytes(p + o, &len, 4); o += 4;", c, c);
      em_line(em, "  rt_put_bytes(p + o, r->c%d.ptr, len); o += len; }", c);
    } else {
      int sz = cg_fixed_size(D->cols[c].t);
      em_line(em, "if (r->_null.c%d) rt_zero(p + o, %d); else rt_put_bytes(p + o, &r->c%d, %d);", c, sz, c, sz);
      em_line(em, "o += %d;", sz);
    }
    bit++;
  }
  em_close(em, NULL);
  em_open(em, "static void n%d_unpack(const unsigned char *p, row_n%d_in *r) {", id, id);
  em_line(em, "uint32_t o = %d;", bitmap);
  em_line(em, "r->h.ts = 0; r->h.hash = 0; r->h.retract = 0;");
  bit = 0;
  for (int c = 0; c < D->ncols; c++) {
    if (!need[c]) continue;
    em_line(em, "r->_null.c%d = (uint8_t)((p[%d] >> %d) & 1);", c, bit >> 3, bit & 7);
    if (type_is_stringy(D->cols[c].t))
      em_line(em, "{ uint32_t len; rt_put_bytes(&len, p + o, 4); o += 4; r->c%d.ptr = (const char *)p + o; r->c%d.len = len; o += len; }", c, c);
    else
      em_line(em, "rt_put_bytes(&r->c%d, p + o, %d); o += %d;", c, cg_fixed_size(D->cols[c].t), cg_fixed_size(D->cols[c].t));
    bit++;
  }
  em_close(em, NULL);
  em_line(em, "%s", "");
}

/* n<id>_out: one output row for candidate `r` of the window ending at `end`, with time ts. */
static void emit_out(Gen *gen, Plan *J, const uint8_t *need) {
  Cx *cx = gen->cx;
  Emitter *em = gen->em;
  const ArgmaxInfo *x = J->amx;
  Plan *D = J->inputs[0];
  int id = J->id;
  gen->tmp = 0;
  em_line(em, "/* [n%d] an output row: the candidate's columns, and the window's (its end, its start, or", id);
  em_line(em, "** the maximum, which is the candidate's own value) */");
  em_open(em, "static int n%d_out(RtCtx *ctx, const row_n%d_in *r, int64_t end, int64_t ts) {", id, id);
  cg_out_header(em, "ts", "0");
  CgVal *outs = cx_alloc(cx, sizeof(CgVal) * (size_t)(J->ncols ? J->ncols : 1));
  for (int c = 0; c < D->ncols; c++) {
    CgVal *o = &outs[x->doff + c];
    if (need[c]) {
      o->v = cx_printf(cx, "r->c%d", c);
      o->n = cx_printf(cx, "r->_null.c%d", c);
    } else {   /* nobody reads it */
      o->v = "0";   /* never referenced: cg_parent_uses found no reader */
      o->n = "1";
    }
  }
  for (int s = 0; s < x->nscols; s++) {
    CgVal *o = &outs[x->soff + s];
    o->n = "0";
    switch (x->scols[s]) {
      case AMX_WSTART: o->v = cx_printf(cx, "(end - INT64_C(%lld))", (long long)x->width); break;
      case AMX_WEND: o->v = "end"; break;
      default: o->v = cx_printf(cx, "r->c%d", x->col); break;
    }
  }
  em_open(em, "do {");
  consume_parents(gen, J, outs, "hdr");
  em_close(em, " while (0);");
  em_line(em, "(void)end;");
  em_line(em, "return 0;");
  em_close(em, NULL);
  em_line(em, "%s", "");
}

void cg_argmax_stage(Gen *gen, Plan *J) {
  Emitter *em = gen->em;
  const ArgmaxInfo *x = J->amx;
  Plan *D = J->inputs[0];
  int id = J->id;
  uint8_t *need = needed(gen, J);
  const char *vt = type_c(D->cols[x->col].t);
  const char *better = x->is_min ? "<" : ">", *at_least = x->is_min ? "<=" : ">=";
  long long W = (long long)x->width;
  emit_pack(gen, J, need);
  emit_out(gen, J, need);

  em_line(em, "/* [n%d] the state key of a candidate value */", id);
  em_line(em, "static uint64_t n%d_vhash(%s v) { return rt_hash_mix(UINT64_C(0x9e3779b97f4a7c15), (uint64_t)v); }", id, vt);
  em_line(em, "/* [n%d] keep candidate r under its value in the window ending at end */", id);
  em_open(em, "static int n%d_keep(RtCtx *ctx, int64_t end, const row_n%d_in *r) {", id, id);
  em_line(em, "%s v = r->c%d;", vt, x->col);
  em_line(em, "n%d_cand *c = (n%d_cand *)rt->st_get(ctx, 1, end, n%d_vhash(v), &v, (uint32_t)sizeof v, 1, 0, 0);", id, id, id);
  em_line(em, "if (!c) return -1;");
  em_line(em, "unsigned char buf[256];");
  em_line(em, "uint32_t n = n%d_packsize(r);", id);
  em_line(em, "unsigned char *p = n <= sizeof buf ? buf : (unsigned char *)rt->alloc(ctx, n);");
  em_line(em, "if (!p) return -1;");
  em_line(em, "n%d_pack(r, p);", id);
  em_line(em, "return rt->jrows_add(ctx, &c->rows, p, n);");
  em_close(em, NULL);
  em_line(em, "%s", "");

  em_line(em, "/* [n%d] %s join: fold a batch of rows into their windows' running %s */", id,
          x->is_min ? "argmin" : "argmax", x->is_min ? "minimum" : "maximum");
  em_open(em, "static int n%d_process(RtCtx *ctx, int input, const RtBatch *batch) {", id);
  em_line(em, "const row_n%d_in *rows = (const row_n%d_in *)batch->rows;", id, id);
  em_line(em, "int64_t i, late = 0, wm = rt->current_watermark(ctx);");
  em_line(em, "int64_t cur_end = INT64_MIN;   /* the window of the previous row, and its entry (entries stay put) */");
  em_line(em, "n%d_win *cur = 0;", id);
  em_line(em, "uint8_t key0 = 0;   /* one entry per window */");
  em_open(em, "for (i = 0; i < batch->n; i++) {");
  em_line(em, "const row_n%d_in *r = &rows[i];", id);
  em_line(em, "int64_t t = r->c%d;", x->tcol);
  em_line(em, "%s v = r->c%d;   /* never NULL: the producer skips NULLs */", vt, x->col);
  em_line(em, "if (t < wm) { late++; continue; }   /* behind the watermark: the join drops it, the aggregate ignores it */");
  em_line(em, "int64_t start = rt_floor_div(t, INT64_C(%lld)) * INT64_C(%lld), end = start + INT64_C(%lld);", W, W, W);
  em_open(em, "if (end != cur_end) {");
  em_line(em, "cur = (n%d_win *)rt->st_get(ctx, 0, end, 0, &key0, 1, 1, 0, 0);", id);
  em_line(em, "if (!cur) return -1;");
  em_line(em, "cur_end = end;");
  em_close(em, NULL);
  em_open(em, "if (!cur->has || v %s cur->best) {", better);
  em_line(em, "/* a new %s: the old one's candidates can never match */", x->is_min ? "minimum" : "maximum");
  em_line(em, "if (cur->has) rt->st_remove(ctx, 1, end, n%d_vhash(cur->best), &cur->best, (uint32_t)sizeof cur->best);", id);
  em_line(em, "cur->best = v;");
  em_line(em, "cur->has = 1;");
  em_close(em, NULL);
  if (x->lo > 0 || x->hi < x->width)
    em_line(em, "if (v == cur->best && end - t >= INT64_C(%lld) && end - t <= INT64_C(%lld) && n%d_keep(ctx, end, r)) return -1;",
            (long long)x->lo, (long long)x->hi, id);
  else
    em_line(em, "if (v == cur->best && n%d_keep(ctx, end, r)) return -1;", id);
  if (x->lo == 0) {
    em_open(em, "if (t == start) {   /* t is also the end of the window before (BETWEEN end - W AND end) */");
    em_line(em, "/* at t == watermark that window has closed: no entry means it had no rows */");
    em_line(em, "n%d_win *prev = (n%d_win *)rt->st_get(ctx, 0, t, 0, &key0, 1, t > wm, 0, 0);", id, id);
    em_line(em, "if (prev && prev->closed) { if (prev->has && v == prev->best && n%d_out(ctx, r, t, r->h.ts)) return -1; }", id);
    em_line(em, "else if (prev && (!prev->has || v %s prev->best) && n%d_keep(ctx, t, r)) return -1;", at_least, id);
    em_close(em, NULL);
  }
  em_close(em, NULL);
  em_line(em, "if (late) rt->count_late(ctx, late);");
  em_line(em, "(void)input;");
  em_line(em, "return 0;");
  em_close(em, NULL);
  em_line(em, "%s", "");

  em_line(em, "/* [n%d] the watermark reached window ends: emit the candidates equal to each closed window's", id);
  em_line(em, "** %s (time: the window's last instant); keep its %s while rows at its end can arrive */",
          x->is_min ? "minimum" : "maximum", x->is_min ? "minimum" : "maximum");
  em_open(em, "static int n%d_on_watermark(RtCtx *ctx, int64_t wm) {", id);
  em_line(em, "uint8_t key0 = 0;");
  em_line(em, "int64_t b = rt->st_first_bucket(ctx, 0);");
  em_open(em, "while (b != INT64_MAX && b <= wm) {");
  em_line(em, "int64_t next = rt->st_next_bucket(ctx, 0, b);");
  em_line(em, "n%d_win *w = (n%d_win *)rt->st_get(ctx, 0, b, 0, &key0, 1, 0, 0, 0);", id, id);
  em_open(em, "if (w && !w->closed) {");
  em_line(em, "w->closed = 1;");
  em_open(em, "if (w->has) {");
  em_line(em, "%s v = w->best;", vt);
  em_line(em, "n%d_cand *c = (n%d_cand *)rt->st_get(ctx, 1, b, n%d_vhash(v), &v, (uint32_t)sizeof v, 0, 0, 0);", id, id, id);
  em_line(em, "uint32_t pos = 0, len = 0;");
  em_line(em, "const unsigned char *p = c && c->rows ? rt->jrows_next(c->rows, &pos, &len) : 0;");
  em_open(em, "for (; p; p = rt->jrows_next(c->rows, &pos, &len)) {");
  em_line(em, "row_n%d_in o;", id);
  em_line(em, "n%d_unpack(p, &o);", id);
  em_line(em, "if (n%d_out(ctx, &o, b, b - 1)) return -1;", id);
  em_close(em, NULL);
  em_close(em, NULL);
  em_line(em, "rt->st_drop_bucket(ctx, 1, b);   /* later rows at t == b are emitted on arrival */");
  em_close(em, NULL);
  em_line(em, "if (b < wm) rt->st_drop_bucket(ctx, 0, b);   /* no row at t == b can arrive any more */");
  em_line(em, "b = next;");
  em_close(em, NULL);
  em_line(em, "return 0;");
  em_close(em, NULL);
  em_line(em, "%s", "");
}
