/*
** codegen/cg_agg.c: GROUP BY aggregates as pipeline stages.
**
** An aggregate node n<id> becomes:
**   - row_n<id>_in, the edge row: header (event time, key hash, retraction), the key values,
**     each aggregate's argument values and FILTER flags. The producing stage fills it where its
**     fused loop reaches the aggregate (cg_agg_input) and emits it to an edge routed by the key
**     hash (or to subtask 0 when there are no keys).
**   - n<id>_acc, the accumulator kept per (bucket, key) in runtime state table 0: the key
**     values (strings point into the table's copy of the key bytes), per-aggregate fields, and
**     for updating aggregates the previously emitted output values.
**   - the consuming stage: n<id>_process (serialize the key, st_get, update; the lookups of
**     the rows 8 and 16 ahead are prefetched with rt->st_prefetch; windowed aggregates with
**     fixed-size keys first look the key up in a small cache of the batch's recent keys, see
**     recent_keys), and either
**       tumble: on_watermark emits every bucket (window) whose end <= watermark, then drops it;
**       hop:    buckets are panes of one slide; on_watermark emits each window end <= watermark
**               by merging its panes per key (each pane's partial aggregate is shared by the
**               width/slide windows containing it; only panes that hold entries are looked
**               into), a cursor in state table 1 remembers the next window end;
**       session: per key an entry in state table 1 lists its open sessions (id, start, end:
**               8 in the entry, any more in a value list that the table frees and snapshots);
**               each session's accumulator is in table 0 under key bytes + id. A row merges
**               every session its [ts, ts + gap) overlaps (emit_session_lookup); a timer per
**               key at the session end emits what the watermark closed;
**       input window (GROUP BY a window column of the input, e.g. a per-window MAX over a
**               windowed aggregate): bucket = that window's end, emitted and dropped as a
**               tumble's (cg_agg_close_buckets, which cg_maxfilter.c uses too);
**       updating (no window): flush emits, once per batch per changed key, a retraction of the
**               previous output and the new output; empty groups are removed.
**   Output rows then run through the aggregate's parents (HAVING, projections, sinks, further
**   aggregates) with the same consume() used everywhere.
** Not here: the aggregate functions themselves (cg_aggfn.c).
*/
#include <stdlib.h>
#include <string.h>
#include "codegen.h"

#define HASH_SEED "UINT64_C(0x2545f4914f6cdd1d)"
#define SESSION_SLOTS 8   /* open sessions per key kept in its entry; more go to a value list */

static AggRepr repr_of(Plan *A, int i) {
  const char *why;
  return agg_repr(&A->aggs[i], A->inputs[0]->updating, &why);
}

/* ---- types ---------------------------------------------------------------------------- */
void cg_agg_types(Gen *gen, Plan *A) {
  Cx *cx = gen->cx;
  Emitter *ty = &gen->types, *ds = &gen->descs;
  int id = A->id;
  int upd_in = A->inputs[0]->updating;
  (void)upd_in;
  for (int i = 0; i < A->naggs; i++) {
    const char *why;
    AggRepr r = agg_repr(&A->aggs[i], A->inputs[0]->updating, &why);
    if (r == R_NONE)
      diag_error(cx, 1, 1, "%s%s() is not supported by the code generator yet%s%s",
                 A->aggs[i].distinct ? "DISTINCT in " : "", agg_name(A->aggs[i].fn),
                 why ? " (" : "", why ? cx_printf(cx, "%s)", why) : "");
    if (r == R_DISTINCT && A->aggs[i].fn != A_COUNT && (A->win.kind == W_HOP || A->win.kind == W_SESSION))
      diag_error(cx, 1, 1, "%s(DISTINCT) in hop and session windows is not supported yet",
                 agg_name(A->aggs[i].fn));
  }
  for (int i = 0; i < A->naggs; i++)
    for (int j = 0; j < A->aggs[i].nargs; j++)
      if ((A->aggs[i].args[j]->t.kind >= RT_TYPE_COUNT && A->aggs[i].args[j]->t.kind != T_NULL) ||
          A->aggs[i].args[j]->t.kind == RT_STRUCT)
        diag_error(cx, A->aggs[i].args[j]->line, A->aggs[i].args[j]->col,
                   "an aggregate over a %s value is not supported yet", type_name(A->aggs[i].args[j]->t));
  for (int k = 0; k < A->nkeys; k++)
    if (A->exprs[k]->t.kind == T_WINDOW || A->exprs[k]->t.kind == T_INTERVAL || A->exprs[k]->t.kind == T_ARRAY ||
        A->exprs[k]->t.kind == RT_STRUCT)
      diag_error(cx, A->exprs[k]->line, A->exprs[k]->col, "cannot GROUP BY a %s value yet",
                 type_name(A->exprs[k]->t));

  /* edge row */
  em_line(ty, "/* [n%d] aggregate input: keys, arguments and FILTER flags, shuffled by key */", id);
  em_open(ty, "typedef struct row_n%d_in {", id);
  em_line(ty, "RtRowHeader h;");
  int nnull = 0;
  for (int k = 0; k < A->nkeys; k++) {
    em_line(ty, "%s k%d;   /* %s */", type_c(A->exprs[k]->t), k, c_comment(cx, bexpr_text(cx, A->exprs[k])));
    nnull++;
  }
  if (A->win.kind == W_INPUT) em_line(ty, "RtWindow w;   /* the window the row came from */");
  for (int i = 0; i < A->naggs; i++) {
    AggCall *a = &A->aggs[i];
    for (int j = 0; j < a->nargs; j++) {
      em_line(ty, "%s a%d_%d;   /* %s */", type_c(a->args[j]->t), i, j, c_comment(cx, bexpr_text(cx, a->args[j])));
      nnull++;
    }
    if (a->filter) em_line(ty, "uint8_t f%d;   /* FILTER (WHERE %s) */", i, c_comment(cx, bexpr_text(cx, a->filter)));
  }
  if (nnull) {
    em_open(ty, "struct {");
    for (int k = 0; k < A->nkeys; k++) em_line(ty, "uint8_t k%d;", k);
    for (int i = 0; i < A->naggs; i++)
      for (int j = 0; j < A->aggs[i].nargs; j++) em_line(ty, "uint8_t a%d_%d;", i, j);
    em_close(ty, " _null;");
  }
  em_close(ty, cx_printf(cx, " row_n%d_in;", id));
  em_line(ty, "%s", "");

  /* its schema (the runtime deep-copies its strings when batching) */
  em_open(ds, "static const RtColumn n%d_in_cols[] = {", id);
  int ncols = 0;
  for (int k = 0; k < A->nkeys; k++, ncols++)
    em_line(ds, "{ \"k%d\", %d, 1, %d, %d, (uint32_t)offsetof(row_n%d_in, k%d), (uint32_t)offsetof(row_n%d_in, _null.k%d) },",
            k, A->exprs[k]->t.kind, A->exprs[k]->t.prec, A->exprs[k]->t.scale, id, k, id, k);
  for (int i = 0; i < A->naggs; i++)
    for (int j = 0; j < A->aggs[i].nargs; j++, ncols++) {
      SqlType t = A->aggs[i].args[j]->t;
      em_line(ds, "{ \"a%d_%d\", %d, 1, %d, %d, (uint32_t)offsetof(row_n%d_in, a%d_%d), (uint32_t)offsetof(row_n%d_in, _null.a%d_%d) },",
              i, j, t.kind, t.prec, t.scale, id, i, j, id, i, j);
    }
  if (ncols == 0) em_line(ds, "{ 0, 0, 0, 0, 0, 0, 0 }");
  em_close(ds, ";");
  em_line(ds, "static const RtSchema n%d_in_schema = { \"row_n%d_in\", sizeof(row_n%d_in), %d, n%d_in_cols };",
          id, id, id, ncols, id);

  /* accumulator */
  em_line(ty, "/* [n%d] accumulator per %skey, in state table 0 */", id,
          A->win.kind == W_TUMBLE ? "(window, " : A->win.kind == W_HOP ? "(pane, " : "");
  em_open(ty, "typedef struct n%d_acc {", id);
  em_line(ty, "uint64_t hash;             /* key hash (for lookups from other panes) */");
  em_line(ty, "int64_t rows;              /* live input rows */");
  if (A->win.kind == W_HOP) em_line(ty, "int64_t emitted_for;       /* end of the last window this pane was merged into */");
  if (A->win.kind == W_SESSION) em_line(ty, "int64_t start, end;        /* the session: [first event, last event + gap) */");
  if (A->win.kind == W_INPUT) em_line(ty, "int64_t wstart;            /* start of the input window (bucket = its end) */");
  for (int k = 0; k < A->nkeys; k++) {
    em_line(ty, "%s k%d;", type_c(A->exprs[k]->t), k);
    em_line(ty, "uint8_t k%d_null;", k);
  }
  for (int i = 0; i < A->naggs; i++) cg_aggfn_fields(ty, &A->aggs[i], i, repr_of(A, i));
  if (A->win.kind == W_NONE) {
    em_line(ty, "uint8_t emitted;           /* an output row for this key is live downstream */");
    for (int i = 0; i < A->naggs; i++) {
      if (type_is_stringy(A->aggs[i].t)) {
        em_line(ty, "void *p%d_box;   /* previously emitted %s (a string box keeps the bytes) */", i,
                agg_name(A->aggs[i].fn));
      } else {
        em_line(ty, "%s p%d;   /* previously emitted %s */", type_c(A->aggs[i].t), i, agg_name(A->aggs[i].fn));
      }
      em_line(ty, "uint8_t p%d_null;", i);
    }
  }
  em_close(ty, cx_printf(cx, " n%d_acc;", id));
  em_line(ty, "%s", "");
  if (A->win.kind == W_HOP) {
    em_line(ty, "typedef struct n%d_cursor { int64_t next_end; } n%d_cursor;   /* state table 1 */", id, id);
    em_line(ty, "%s", "");
  }
  if (A->win.kind == W_SESSION) {
    em_line(ty, "/* [n%d] one open session of a key: its accumulator is in state table 0 under the key", id);
    em_line(ty, "** bytes followed by the id */");
    em_line(ty, "typedef struct n%d_span { int64_t id, start, end; } n%d_span;", id, id);
    em_line(ty, "%s", "");
    em_line(ty, "/* [n%d] the open sessions of one key, in state table 1: the first %d in the entry, any", id, SESSION_SLOTS);
    em_line(ty, "** more (out-of-order input within the watermark lag) in a value list of n%d_span bytes */", id);
    em_open(ty, "typedef struct n%d_sessions {", id);
    em_line(ty, "uint64_t hash;             /* key hash */");
    em_line(ty, "int64_t next_id;           /* id of the next session of this key */");
    em_line(ty, "int32_t n;                 /* open sessions in span[] */");
    em_line(ty, "int32_t pad_;");
    em_line(ty, "n%d_span span[%d];", id, SESSION_SLOTS);
    em_line(ty, "void *more;                /* further open sessions (agg_list of n%d_span), or NULL */", id);
    em_close(ty, cx_printf(cx, " n%d_sessions;", id));
    em_line(ty, "%s", "");
  }
  /* runtime objects inside the accumulator: the state table frees (and will snapshot) them */
  int nobj = 0;
  em_open(ds, "static const uint32_t n%d_objs[] = {", id);
  for (int i = 0; i < A->naggs; i++) {
    if (agg_repr_has_obj(repr_of(A, i))) { em_line(ds, "(uint32_t)offsetof(n%d_acc, a%d_obj),", id, i); nobj++; }
    if (A->win.kind == W_NONE && type_is_stringy(A->aggs[i].t)) {
      em_line(ds, "(uint32_t)offsetof(n%d_acc, p%d_box),", id, i);
      nobj++;
    }
  }
  if (!nobj) em_line(ds, "0");
  em_close(ds, ";");
  /* key columns that are strings point into the entry's key copy */
  int nref = 0;
  em_open(ds, "static const uint32_t n%d_keyrefs[] = {", id);
  for (int k = 0; k < A->nkeys; k++)
    if (type_is_stringy(A->exprs[k]->t)) { em_line(ds, "(uint32_t)offsetof(n%d_acc, k%d),", id, k); nref++; }
  if (!nref) em_line(ds, "0");
  em_close(ds, ";");
  if (A->win.kind == W_SESSION)
    em_line(ds, "static const uint32_t n%d_sessions_objs[] = { (uint32_t)offsetof(n%d_sessions, more) };", id, id);
  em_open(ds, "static const RtStateDesc n%d_states[] = {", id);
  /* updating state expires after the updating TTL without changes (event time), counted */
  em_line(ds, "{ \"n%d aggregate\", sizeof(n%d_acc), %d, n%d_objs, INT64_C(%lld), %d, n%d_keyrefs },", id, id,
          nobj, id, A->win.kind == W_NONE ? (long long)cx->cat->updating_ttl_ns : 0LL, nref, id);
  if (A->win.kind == W_HOP) em_line(ds, "{ \"n%d hop cursor\", sizeof(n%d_cursor), 0, 0, 0 },", id, id);
  if (A->win.kind == W_SESSION)
    em_line(ds, "{ \"n%d open sessions\", sizeof(n%d_sessions), 1, n%d_sessions_objs, 0, 0, 0 },", id, id, id);
  em_close(ds, ";");
  em_line(ds, "%s", "");

  StageGen *st = &gen->stages[A->stage];
  st->maxpar = A->nkeys || A->win.kind == W_INPUT ? 0 : 1;
  st->states_sym = cx_printf(cx, "n%d_states", id);
  st->nstates = A->win.kind == W_HOP || A->win.kind == W_SESSION ? 2 : 1;
  st->process_fn = cx_printf(cx, "n%d_process", id);
  if (A->win.kind == W_NONE) st->flush_fn = cx_printf(cx, "n%d_flush", id);
  else st->watermark_fn = cx_printf(cx, "n%d_on_watermark", id);
}

/* ---- producer side ------------------------------------------------------------------- */
/* Hash one value into `h` (same on every producer: routing and state agree). */
static void hash_value(Cg *g, const char *h, SqlType t, CgVal v) {
  Emitter *em = g->em;
  const char *nul = strcmp(v.n, "0") == 0 ? NULL : v.n;
  const char *mix;
  switch (t.kind) {
    case RT_TEXT: case RT_JSON: case RT_BYTEA:
      mix = cx_printf(g->cx, "rt->hash_bytes(%s.ptr, %s.len, 0)", v.v, v.v);
      break;
    case RT_F32: case RT_F64: {
      const char *u = cg_tmp(g, "bits");
      em_line(em, "union { double d; uint64_t u; } %s; %s.d = (double)%s;", u, u, v.v);
      em_line(em, "if (%s.d == 0) %s.d = 0; if (%s.d != %s.d) %s.u = UINT64_C(0x7ff8000000000000);", u, u, u, u, u);
      mix = cx_printf(g->cx, "%s.u", u);
      break;
    }
    default:
      mix = cx_printf(g->cx, "(uint64_t)%s", v.v);
  }
  if (nul) em_line(em, "%s = rt_hash_mix(%s, %s ? UINT64_C(0x9e3779b97f4a7c15) : %s);", h, h, nul, mix);
  else em_line(em, "%s = rt_hash_mix(%s, %s);", h, h, mix);
}

void cg_agg_input(Gen *gen, Plan *A, const CgVal *in, const char *hdr) {
  Cx *cx = gen->cx;
  Emitter *em = gen->em;
  Cg g = { cx, em, A->id, gen->tmp, hdr };
  int keyed = A->nkeys || A->win.kind == W_INPUT;
  int edge = gen_edge_into(gen, A, keyed ? RT_ROUTE_HASH : RT_ROUTE_SINGLE,
                           cx_printf(cx, "n%d_in_schema", A->id), 0);
  int out = gen_output(gen, RT_PORT_EDGE, edge);
  const char *o = cx_printf(cx, "n%d_in", A->id);
  em_line(em, "/* [n%d] aggregate input: keys and arguments to stage %s by %s, output %d */", A->id,
          gen->stages[A->stage].name, keyed ? "key hash" : "a single subtask", out);
  CgVal *kv = cx_alloc(cx, sizeof(CgVal) * (size_t)(A->nkeys + 1));
  for (int k = 0; k < A->nkeys; k++) kv[k] = cg_expr(&g, A->exprs[k], in);
  em_line(em, "row_n%d_in %s;", A->id, o);
  /* field by field: tcc turns struct assignment into a memmove call */
  em_line(em, "%s.h.ts = %s.ts; %s.h.hash = %s.hash; %s.h.retract = %s.retract;", o, hdr, o, hdr, o, hdr);
  const char *h = cg_tmp(&g, "hash");
  em_line(em, "uint64_t %s = %s;", h, HASH_SEED);
  for (int k = 0; k < A->nkeys; k++) {
    cg_assign(em, cx_printf(cx, "%s.k%d", o, k), A->exprs[k]->t, kv[k].v);
    em_line(em, "%s._null.k%d = %s;", o, k, kv[k].n);
    hash_value(&g, h, A->exprs[k]->t, kv[k]);
  }
  if (A->win.kind == W_INPUT) {
    /* the window is part of the routing key, so one window's groups spread over subtasks */
    CgVal wv = cg_expr(&g, A->winexpr, in);
    cg_assign(em, cx_printf(cx, "%s.w", o), A->winexpr->t, wv.v);
    em_line(em, "%s = rt_hash_mix(rt_hash_mix(%s, (uint64_t)%s.w.start), (uint64_t)%s.w.end);", h, h, o, o);
  }
  em_line(em, "%s.h.hash = %s;", o, keyed ? h : "0");
  for (int i = 0; i < A->naggs; i++) {
    AggCall *a = &A->aggs[i];
    for (int j = 0; j < a->nargs; j++) {
      CgVal v = cg_expr(&g, a->args[j], in);
      cg_assign(em, cx_printf(cx, "%s.a%d_%d", o, i, j), a->args[j]->t, v.v);
      em_line(em, "%s._null.a%d_%d = %s;", o, i, j, v.n);
    }
    if (a->filter) {
      CgVal f = cg_expr(&g, a->filter, in);
      em_line(em, "%s.f%d = (uint8_t)(!%s && %s);", o, i, f.n, f.v);
    }
  }
  em_line(em, "if (rt->emit(ctx, %d, &%s) < 0) return -1;", out, o);
  gen->tmp = g.tmp;
}

/* ---- consumer stage ------------------------------------------------------------------ */
static int fixed_key_size(SqlType t) {
  switch (t.kind) {
    case RT_BOOL: return 1;
    case RT_I32: case RT_U32: case RT_F32: return 4;
    case RT_TEXT: case RT_JSON: case RT_BYTEA: return 4;   /* length prefix */
    default: return 8;
  }
}

/* Serialize the key of edge row `r` into kb/kl: per key one NULL byte, then fixed-width bytes
** or a 4-byte length and the string bytes. Floats are normalised (-0 = 0, one NaN) so equal
** keys have equal bytes. Records string offsets n<id>_off<k> for pointing into the key copy. */
static void emit_key_bytes(Gen *gen, Plan *A) {
  Emitter *em = gen->em;
  int fixed = 0;
  for (int k = 0; k < A->nkeys; k++) fixed += 1 + fixed_key_size(A->exprs[k]->t);
  em_line(em, "unsigned char kbuf[256];");
  em_line(em, "unsigned char *kb = kbuf;");
  em_line(em, "uint32_t kl = %d, ko = 0;", fixed);
  for (int k = 0; k < A->nkeys; k++)
    if (type_is_stringy(A->exprs[k]->t)) em_line(em, "if (!r->_null.k%d) kl += (uint32_t)r->k%d.len;", k, k);
  em_line(em, "if (kl > sizeof kbuf) kb = (unsigned char *)rt->alloc(ctx, kl);");
  for (int k = 0; k < A->nkeys; k++) {
    SqlType t = A->exprs[k]->t;
    em_line(em, "kb[ko++] = r->_null.k%d;", k);
    if (type_is_stringy(t)) {
      em_line(em, "uint32_t len%d = r->_null.k%d ? 0 : (uint32_t)r->k%d.len;", k, k, k);
      em_line(em, "rt_put_bytes(kb + ko, &len%d, 4); ko += 4;", k);
      em_line(em, "uint32_t off%d = ko;", k);
      em_line(em, "rt_put_bytes(kb + ko, r->k%d.ptr, len%d);", k, k);
      em_line(em, "ko += len%d;", k);
    } else if (type_is_float(t)) {
      em_line(em, "%s kf%d = r->_null.k%d ? 0 : r->k%d; if (kf%d == 0) kf%d = 0;", type_c(t), k, k, k, k, k);
      em_line(em, "rt_put_bytes(kb + ko, &kf%d, %d); ko += %d;", k, fixed_key_size(t), fixed_key_size(t));
    } else {
      em_line(em, "%s kv%d = r->_null.k%d ? 0 : r->k%d;", type_c(t), k, k, k);
      em_line(em, "rt_put_bytes(kb + ko, &kv%d, %d); ko += %d;", k, fixed_key_size(t), fixed_key_size(t));
    }
  }
  em_line(em, "kl = ko;");
}

/* Update the aggregates of accumulator `a` from edge row `r` (sign +1 or -1 at run time when
** the input is updating). */
static void emit_update(Gen *gen, Plan *A, int upd_in) {
  Emitter *em = gen->em;
  if (upd_in) em_line(em, "int64_t sign = r->h.retract ? -1 : 1;");
  em_line(em, "a->rows += %s;", upd_in ? "sign" : "1");
  for (int i = 0; i < A->naggs; i++) {
    AggCall *a = &A->aggs[i];
    em_line(em, "/* %s%s%s */", agg_name(a->fn), a->distinct ? " DISTINCT" : "", a->filter ? " with FILTER" : "");
    cg_aggfn_update(gen, a, i, repr_of(A, i), upd_in, "a", "r");
  }
}

/* Merge accumulator `s` into `t` (hop windows combine their panes, sessions merge). */
static void emit_merge(Gen *gen, Plan *A, const char *t, const char *s) {
  em_line(gen->em, "%s->rows += %s->rows;", t, s);
  for (int i = 0; i < A->naggs; i++) cg_aggfn_merge(gen, &A->aggs[i], i, repr_of(A, i), t, s);
}

/* Final values of the aggregates of accumulator `a` into locals; returns CgVals. */
/* Final values of the aggregates of accumulator `acc` into locals v<i> / v<i>_n. */
static void emit_finalize(Gen *gen, Plan *A, const char *acc, CgVal *outs, int nk_plus_win) {
  Cx *cx = gen->cx;
  Emitter *em = gen->em;
  for (int i = 0; i < A->naggs; i++) {
    AggCall *a = &A->aggs[i];
    const char *v = cx_printf(cx, "v%d", i), *n = cx_printf(cx, "v%d_n", i);
    em_line(em, "%s %s = %s; uint8_t %s = 0;   /* %s */", type_c(a->t), v, cg_zero(a->t), n, agg_name(a->fn));
    cg_aggfn_final(gen, a, i, repr_of(A, i), acc, v, n);
    outs[nk_plus_win + i].v = v;
    outs[nk_plus_win + i].n = a->nullable ? n : "0";
  }
}

static void key_outs(Gen *gen, Plan *A, const char *acc, CgVal *outs) {
  for (int k = 0; k < A->nkeys; k++) {
    outs[k].v = cx_printf(gen->cx, "%s->k%d", acc, k);
    outs[k].n = A->exprs[k]->nullable ? cx_printf(gen->cx, "%s->k%d_null", acc, k) : "0";
  }
}

/* Session windows, process side. A row at ts opens [ts, ts + gap); every open session of its
** key that this overlaps is taken out of the key's list (the entry's span[] or the overflow
** list), their accumulators merged into the first one's, and the union put back as one
** session: sessions were disjoint, so the union of the row and the sessions it overlaps is
** one interval that overlaps no other session. No overlap: a new session with a new id. A
** timer at the session's end (on table 1) emits it once the watermark passes.
** n<id>_session_take (emitted before process) does one session; `a` ends up as the row's
** accumulator, `created` says whether it is new. */
static void emit_session_helpers(Gen *gen, Plan *A) {
  Emitter *em = gen->em;
  int id = A->id;
  gen->tmp = 0;
  em_line(em, "/* [n%d] the row's session overlaps open session `s` of the key (key bytes sk[0..kl), room", id);
  em_line(em, "** for 8 more): the first such session becomes the row's (*ap), later ones are merged into");
  em_line(em, "** it and dropped; *hit grows to the union, *old_end is the latest end seen */");
  em_open(em, "static int n%d_session_take(RtCtx *ctx, uint64_t hash, unsigned char *sk, uint32_t kl, n%d_span s, n%d_span *hit, int64_t *old_end, n%d_acc **ap) {",
          id, id, id, id);
  em_line(em, "rt_put_bytes(sk + kl, &s.id, 8);");
  em_line(em, "n%d_acc *b = (n%d_acc *)rt->st_get(ctx, 0, 0, hash, sk, kl + 8, 0, 0, 0);", id, id);
  em_line(em, "if (s.start < hit->start) hit->start = s.start;");
  em_line(em, "if (s.end > hit->end) hit->end = s.end;");
  em_line(em, "if (s.end > *old_end) *old_end = s.end;");
  em_open(em, "if (!*ap) {");
  em_line(em, "if (!b) return rt->error(ctx, 0, \"n%d: session state lost\");", id);
  em_line(em, "*ap = b;");
  em_line(em, "hit->id = s.id;");
  em_line(em, "return 0;");
  em_close(em, NULL);
  em_line(em, "if (!b) return 0;");
  em_line(em, "n%d_acc *a = *ap;", id);
  emit_merge(gen, A, "a", "b");
  em_line(em, "rt->st_remove(ctx, 0, 0, hash, sk, kl + 8);");
  em_line(em, "return 0;");
  em_close(em, NULL);
  em_line(em, "%s", "");
}

static void emit_session_lookup(Gen *gen, Plan *A) {
  Emitter *em = gen->em;
  int id = A->id;
  long long gap = (long long)A->win.gap;
  em_line(em, "n%d_sessions *x = (n%d_sessions *)rt->st_get(ctx, 1, 0, r->h.hash, kb, kl, 1, &created, &kc);", id, id);
  em_line(em, "if (!x) return -1;");
  em_line(em, "if (created) { x->hash = r->h.hash; x->next_id = 0; }");
  em_line(em, "unsigned char sbuf[264];");
  em_line(em, "unsigned char *sk = kl + 8 > sizeof sbuf ? (unsigned char *)rt->alloc(ctx, kl + 8) : sbuf;");
  em_line(em, "rt_put_bytes(sk, kb, kl);");
  em_line(em, "int64_t s0 = r->h.ts, e0 = r->h.ts + INT64_C(%lld), old_end = INT64_MIN;", gap);
  em_line(em, "n%d_span hit;", id);
  em_line(em, "hit.id = -1; hit.start = s0; hit.end = e0;");
  em_line(em, "n%d_acc *a = 0;", id);
  em_line(em, "int32_t j;");
  em_open(em, "for (j = 0; j < x->n; j++) {   /* sessions in the entry */");
  em_line(em, "if (!(s0 < x->span[j].end && e0 > x->span[j].start)) continue;   /* no overlap */");
  em_line(em, "if (n%d_session_take(ctx, r->h.hash, sk, kl, x->span[j], &hit, &old_end, &a)) return -1;", id);
  em_line(em, "x->n--; x->span[j] = x->span[x->n]; j--;   /* fill the hole with the last one */");
  em_close(em, NULL);
  em_open(em, "if (x->more) {   /* sessions in the overflow list, from the end (removal shifts later ones) */");
  em_line(em, "int64_t m;");
  em_open(em, "for (m = rt->agg_list_len(x->more) - 1; m >= 0; m--) {");
  em_line(em, "RtStr e;");
  em_line(em, "n%d_span sp;", id);
  em_line(em, "if (rt->agg_list_get(ctx, x->more, m, &e) != RT_OK) return rt->error(ctx, 0, \"n%d: session list damaged\");", id);
  em_line(em, "rt_put_bytes(&sp, e.ptr, sizeof sp);");
  em_line(em, "if (!(s0 < sp.end && e0 > sp.start)) continue;");
  em_line(em, "if (n%d_session_take(ctx, r->h.hash, sk, kl, sp, &hit, &old_end, &a)) return -1;", id);
  em_line(em, "if (rt->agg_list_remove(ctx, &x->more, &sp, sizeof sp, 0, 0)) return -1;");
  em_close(em, NULL);
  em_close(em, NULL);
  em_open(em, "if (!a) {   /* a new session */");
  em_line(em, "hit.id = x->next_id++;");
  em_line(em, "rt_put_bytes(sk + kl, &hit.id, 8);");
  em_line(em, "/* kc: the new entry's own key copy, which its string key columns point into */");
  em_line(em, "a = (n%d_acc *)rt->st_get(ctx, 0, 0, r->h.hash, sk, kl + 8, 1, &created, &kc);", id);
  em_line(em, "if (!a) return -1;");
  em_close(em, NULL);
  em_line(em, "else created = 0;");
  em_line(em, "a->start = hit.start; a->end = hit.end;");
  em_line(em, "if (e0 > old_end && rt->timer_add(ctx, 1, e0, r->h.hash, kb, kl)) return -1;   /* the row extends the end */");
  em_line(em, "/* put the session back: in the entry when there is room, else in the overflow list */");
  em_line(em, "if (x->n < %d) x->span[x->n++] = hit;", SESSION_SLOTS);
  em_line(em, "else if (rt->agg_list_add(ctx, &x->more, &hit, sizeof hit, 0)) return -1;");
}

/* One windowed output row: window [wstart, wend) and accumulator `acc` through the node's
** parents (event time of the row: the window's last instant, so a later window aggregate
** puts it in the same window). */
static void emit_window_row(Gen *gen, Plan *A, const char *acc, const char *wstart, const char *wend,
                            CgVal *outs) {
  Emitter *em = gen->em;
  int nkw = A->nkeys + (A->wincol >= 0 ? 1 : 0);
  em_line(em, "RtWindow w;");
  em_line(em, "w.start = %s; w.end = %s;", wstart, wend);
  cg_out_header(gen->em, "w.end - 1", "0");
  key_outs(gen, A, acc, outs);
  outs[A->nkeys].v = "w";
  outs[A->nkeys].n = "0";
  emit_finalize(gen, A, acc, outs, nkw);
  em_open(em, "do {");
  consume_parents(gen, A, outs, "hdr");
  em_close(em, " while (0);");
}

/* In the process loop: the state-table bucket of the row at `r` (a pointer expression); not
** for sessions (their lookups go through the session list). */
static const char *bucket_of(Gen *gen, Plan *A, const char *r) {
  if (A->win.kind == W_INPUT) return cx_printf(gen->cx, "%s->w.end", r);
  if (A->win.kind == W_NONE) return "0";
  return cx_printf(gen->cx, "rt_floor_div(%s->h.ts, INT64_C(%lld)) * INT64_C(%lld)", r,
                   (long long)A->win.slide, (long long)A->win.slide);
}

/* Slots of the process loop's cache of recent keys (see recent_keys). */
#define RECENT_SLOTS 64

/* Whether the process loop keeps a cache of the accumulators of recent keys: windowed
** aggregates (tumble, hop, input window; not sessions, whose lookups go through the session
** list, nor updating ones, which touch every entry they get) whose keys are all fixed-size
** (no strings). The cache is direct-mapped by key hash (RECENT_SLOTS slots on the stack) and
** lives for one batch, during which entries never move or go away (nothing is removed while
** rows are folded in), so a slot's accumulator pointer stays valid. A key that comes back
** within the batch (a hot key: in Nexmark half the bids go to the current hot auction) then
** costs a compare instead of its key bytes, prefetch and st_get; a cold key costs one compare
** and a slot store more. */
static int recent_keys(const Plan *A) {
  if (A->win.kind == W_NONE || A->win.kind == W_SESSION) return 0;
  for (int k = 0; k < A->nkeys; k++)
    if (type_is_stringy(A->exprs[k]->t)) return 0;
  return 1;
}

/* The condition "slot rc holds row r's key in `bucket`" (key values compared as values: a float
** key's -0 and 0 are one key, as in the key bytes; a NaN never hits, and takes the lookup). */
static const char *recent_hit(Gen *gen, Plan *A) {
  Buf b = {0};
  buf_puts(&b, "rc->a && rc->hash == r->h.hash && rc->bucket == bucket");
  for (int k = 0; k < A->nkeys; k++)
    buf_printf(&b, " && rc->k%d_null == r->_null.k%d && (r->_null.k%d || rc->k%d == r->k%d)", k, k, k, k, k);
  const char *s = cx_strndup(gen->cx, b.p, b.len);
  buf_free(&b);
  return s;
}

/* In the process loop, before row i's st_get: prefetch the index slot of row i + 16 and the
** entry of row i + 8 (rt->st_prefetch), so that with many keys the two cache misses of each
** lookup overlap with the work on the rows before it. With the cache of recent keys, rows
** whose key hash is in it now are not prefetched (most will hit it). */
static void emit_prefetch(Gen *gen, Plan *A) {
  Emitter *em = gen->em;
  int id = A->id;
  int rk = recent_keys(A);
  em_open(em, "if (hint && i + 8 < batch->n) {   /* the lookups of rows ahead (until they cannot pay) */");
  em_line(em, "const row_n%d_in *p = &rows[i + 8];", id);
  if (rk) em_line(em, "if (!recent[p->h.hash %% %d].a || recent[p->h.hash %% %d].hash != p->h.hash)", RECENT_SLOTS, RECENT_SLOTS);
  em_line(em, "%shint = rt->st_prefetch(ctx, 0, %s, p->h.hash, 1);", rk ? "  " : "", bucket_of(gen, A, "p"));
  em_open(em, "if (hint && i + 16 < batch->n) {");
  em_line(em, "p = &rows[i + 16];");
  if (rk) em_line(em, "if (!recent[p->h.hash %% %d].a || recent[p->h.hash %% %d].hash != p->h.hash)", RECENT_SLOTS, RECENT_SLOTS);
  em_line(em, "%srt->st_prefetch(ctx, 0, %s, p->h.hash, 0);", rk ? "  " : "", bucket_of(gen, A, "p"));
  em_close(em, NULL);
  em_close(em, NULL);
}

/* n<id>_on_watermark for a stage whose state table 0 holds one bucket per window (bucket =
** window end): every bucket at or before the watermark is visited with n<id>_emit (which
** emits one entry) and then dropped, oldest first. `what` names what is emitted, for the
** comment. Used by input-window aggregates and cg_maxfilter.c. */
void cg_agg_close_buckets(Gen *gen, int id, const char *what) {
  Emitter *em = gen->em;
  em_line(em, "/* [n%d] the watermark reached window ends: emit those %s and free them */", id, what);
  em_open(em, "static int n%d_on_watermark(RtCtx *ctx, int64_t wm) {", id);
  em_open(em, "for (;;) {");
  em_line(em, "int64_t b = rt->st_first_bucket(ctx, 0);");
  em_line(em, "if (b == INT64_MAX || b > wm) break;");
  em_line(em, "if (rt->st_visit_bucket(ctx, 0, b, n%d_emit, 0)) return -1;", id);
  em_line(em, "rt->st_drop_bucket(ctx, 0, b);");
  em_close(em, NULL);
  em_line(em, "return 0;");
  em_close(em, NULL);
  em_line(em, "%s", "");
}

void cg_agg_stage(Gen *gen, Plan *A) {
  Cx *cx = gen->cx;
  Emitter *em = gen->em;
  int id = A->id;
  int upd_in = A->inputs[0]->updating;
  int nkw = A->nkeys + (A->wincol >= 0 ? 1 : 0);
  CgVal *outs = cx_alloc(cx, sizeof(CgVal) * (size_t)(A->ncols ? A->ncols : 1));

  if (A->win.kind == W_SESSION) emit_session_helpers(gen, A);
  /* process: update the accumulators */
  gen->tmp = 0;
  em_line(em, "/* [n%d] %s aggregate: fold a batch of input rows into the state */", id,
          A->win.kind == W_NONE ? "updating" : A->win.kind == W_TUMBLE ? "tumbling window" : "hopping window");
  em_open(em, "static int n%d_process(RtCtx *ctx, int input, const RtBatch *batch) {", id);
  em_line(em, "const row_n%d_in *rows = (const row_n%d_in *)batch->rows;", id, id);
  em_line(em, "int64_t i;");
  if (A->win.kind != W_NONE) em_line(em, "int64_t late = 0, wm = rt->current_watermark(ctx);");
  if (A->win.kind != W_SESSION) em_line(em, "int hint = 1;   /* prefetch hints pay (rt->st_prefetch) */");
  int rk = recent_keys(A);
  if (rk) {
    em_line(em, "/* the accumulators of recent keys, by key hash: a key seen again in this batch skips its");
    em_line(em, "** lookup (entries do not move while the batch is folded in) */");
    em_open(em, "typedef struct n%d_recent {", id);
    em_line(em, "n%d_acc *a;   /* NULL: empty */", id);
    em_line(em, "uint64_t hash;");
    em_line(em, "int64_t bucket;");
    for (int k = 0; k < A->nkeys; k++) {
      em_line(em, "%s k%d;", type_c(A->exprs[k]->t), k);
      em_line(em, "uint8_t k%d_null;", k);
    }
    em_close(em, cx_printf(cx, " n%d_recent;", id));
    em_line(em, "n%d_recent recent[%d];", id, RECENT_SLOTS);
    em_line(em, "for (i = 0; i < %d; i++) recent[i].a = 0;", RECENT_SLOTS);
  }
  em_open(em, "for (i = 0; i < batch->n; i++) {");
  em_line(em, "const row_n%d_in *r = &rows[i];", id);
  if (A->win.kind == W_SESSION) {
    em_line(em, "if (r->h.ts < wm) { late++; continue; }   /* behind the watermark: its session closed */");
    em_line(em, "int64_t bucket = 0;");
  } else if (A->win.kind == W_INPUT) {
    em_line(em, "if (r->w.end <= wm) { late++; continue; }   /* its window already closed */");
    em_line(em, "int64_t bucket = %s;   /* windows are emitted by end */", bucket_of(gen, A, "r"));
  } else if (A->win.kind != W_NONE) {
    em_line(em, "if (r->h.ts < wm) { late++; continue; }   /* behind the watermark: its window is gone */");
    em_line(em, "int64_t bucket = %s;   /* %s start */", bucket_of(gen, A, "r"), A->win.kind == W_HOP ? "pane" : "window");
  } else {
    em_line(em, "int64_t bucket = %s;", bucket_of(gen, A, "r"));
  }
  if (A->win.kind != W_SESSION) emit_prefetch(gen, A);
  if (rk) {
    em_line(em, "n%d_acc *a;", id);
    em_line(em, "n%d_recent *rc = &recent[r->h.hash %% %d];", id, RECENT_SLOTS);
    em_line(em, "if (%s) a = rc->a;   /* a recent key */", recent_hit(gen, A));
    em_open(em, "else {");
  }
  emit_key_bytes(gen, A);
  em_line(em, "int created = 0;");
  em_line(em, "const void *kc = 0;");
  if (A->win.kind == W_SESSION) emit_session_lookup(gen, A);
  else {
    em_line(em, "%sa = (n%d_acc *)rt->st_get(ctx, 0, bucket, r->h.hash, kb, kl, 1, &created, &kc);", rk ? "" : cx_printf(cx, "n%d_acc *", id), id);
    em_line(em, "if (!a) return -1;");
  }
  em_open(em, "if (created) {");
  em_line(em, "a->hash = r->h.hash;");
  if (A->win.kind == W_HOP) em_line(em, "a->emitted_for = INT64_MIN;");
  if (A->win.kind == W_INPUT) em_line(em, "a->wstart = r->w.start;");
  for (int k = 0; k < A->nkeys; k++) {
    if (type_is_stringy(A->exprs[k]->t))
      em_line(em, "a->k%d = rt_str((const char *)kc + off%d, (int64_t)len%d);", k, k, k);
    else
      em_line(em, "a->k%d = r->k%d;", k, k);
    em_line(em, "a->k%d_null = r->_null.k%d;", k, k);
  }
  em_close(em, NULL);
  if (rk) {
    em_line(em, "rc->a = a; rc->hash = r->h.hash; rc->bucket = bucket;");
    for (int k = 0; k < A->nkeys; k++) em_line(em, "rc->k%d = r->k%d; rc->k%d_null = r->_null.k%d;", k, k, k, k);
    em_close(em, NULL);
  }
  emit_update(gen, A, upd_in);
  if (A->win.kind == W_NONE) em_line(em, "rt->st_touch(ctx, 0, a);");
  em_close(em, NULL);
  if (A->win.kind != W_NONE) em_line(em, "if (late) rt->count_late(ctx, late);");
  em_line(em, "return 0;");
  em_close(em, NULL);
  em_line(em, "%s", "");

  if (A->win.kind == W_TUMBLE) {
    gen->tmp = 0;
    em_line(em, "/* [n%d] emit one key of a closed tumbling window (bucket = window start) */", id);
    em_open(em, "static int n%d_emit(RtCtx *ctx, void *arg, int64_t bucket, const void *key, uint32_t keylen, void *value) {", id);
    em_line(em, "n%d_acc *a = (n%d_acc *)value;", id, id);
    emit_window_row(gen, A, "a", "bucket", cx_printf(cx, "bucket + INT64_C(%lld)", (long long)A->win.width), outs);
    em_line(em, "return 0;");
    em_close(em, NULL);
    em_line(em, "%s", "");
    em_line(em, "/* [n%d] the watermark passed window ends: emit those windows and free them */", id);
    em_open(em, "static int n%d_on_watermark(RtCtx *ctx, int64_t wm) {", id);
    em_open(em, "for (;;) {");
    em_line(em, "int64_t b = rt->st_first_bucket(ctx, 0);");
    em_line(em, "if (b == INT64_MAX || b >= wm || (uint64_t)wm - (uint64_t)b < UINT64_C(%lld)) break;", (long long)A->win.width);
    em_line(em, "if (rt->st_visit_bucket(ctx, 0, b, n%d_emit, 0)) return -1;", id);
    em_line(em, "rt->st_drop_bucket(ctx, 0, b);");
    em_close(em, NULL);
    em_line(em, "return 0;");
    em_close(em, NULL);
    em_line(em, "%s", "");
  } else if (A->win.kind == W_INPUT) {
    gen->tmp = 0;
    em_line(em, "/* [n%d] emit one key of a closed input window (bucket = window end) */", id);
    em_open(em, "static int n%d_emit(RtCtx *ctx, void *arg, int64_t bucket, const void *key, uint32_t keylen, void *value) {", id);
    em_line(em, "n%d_acc *a = (n%d_acc *)value;", id, id);
    emit_window_row(gen, A, "a", "a->wstart", "bucket", outs);
    em_line(em, "return 0;");
    em_close(em, NULL);
    em_line(em, "%s", "");
    cg_agg_close_buckets(gen, id, "windows");
  } else if (A->win.kind == W_HOP) {
    gen->tmp = 0;
    long long width = (long long)A->win.width, slide = (long long)A->win.slide;
    /* the panes of a window that hold entries, one bit each, when there are at most 64 */
    int masked = width / slide <= 64;
    em_line(em, "/* [n%d] the window being emitted: its end%s */", id,
            masked ? " and which of its panes hold entries (bit k: pane end - width + k * slide)" : "");
    em_line(em, "typedef struct n%d_window { int64_t end; uint64_t live; } n%d_window;", id, id);
    em_line(em, "/* [n%d] emit one key of the hopping window ((n%d_window *)arg): merge the key's partial", id, id);
    em_line(em, "** aggregates of the window's %lld panes (once per key: emitted_for)%s */", width / slide,
            masked ? ", looking only into panes that hold entries" : "");
    em_open(em, "static int n%d_emit(RtCtx *ctx, void *arg, int64_t bucket, const void *key, uint32_t keylen, void *value) {", id);
    em_line(em, "n%d_acc *a = (n%d_acc *)value;", id, id);
    em_line(em, "const n%d_window *win = (const n%d_window *)arg;", id, id);
    em_line(em, "int64_t end = win->end, p;");
    em_line(em, "int k;");
    em_line(em, "if (a->emitted_for >= end) return 0;   /* this key's window was emitted already */");
    em_line(em, "n%d_acc sum;", id);
    em_line(em, "n%d_acc *t = &sum;", id);
    em_line(em, "rt_zero(t, (int64_t)sizeof sum);");
    for (int k = 0; k < A->nkeys; k++) em_line(em, "t->k%d = a->k%d; t->k%d_null = a->k%d_null;", k, k, k, k);
    em_line(em, "/* the other panes' lookups are cache misses with many keys: start them all first */");
    em_line(em, "for (p = end - INT64_C(%lld), k = 0; p < end; p += INT64_C(%lld), k++)", width, slide);
    em_line(em, "  if (p != bucket%s) rt->st_prefetch(ctx, 0, p, a->hash, 0);", masked ? " && (win->live >> k & 1)" : "");
    em_open(em, "for (p = end - INT64_C(%lld), k = 0; p < end; p += INT64_C(%lld), k++) {", width, slide);
    if (masked) em_line(em, "if (!(win->live >> k & 1)) continue;   /* no entries in that pane */");
    em_line(em, "n%d_acc *pa = p == bucket ? a : (n%d_acc *)rt->st_get(ctx, 0, p, a->hash, key, keylen, 0, 0, 0);", id, id);
    em_line(em, "if (!pa) continue;");
    emit_merge(gen, A, "t", "pa");
    em_line(em, "pa->emitted_for = end;");
    em_close(em, NULL);
    emit_window_row(gen, A, "t", cx_printf(gen->cx, "end - INT64_C(%lld)", width), "end", outs);
    em_line(em, "/* the merged objects belong to this temporary, not to the state table */");
    for (int i = 0; i < A->naggs; i++) cg_aggfn_free_temp(gen, &A->aggs[i], i, repr_of(A, i), "t");
    em_line(em, "return 0;");
    em_close(em, NULL);
    em_line(em, "%s", "");
    em_line(em, "/* [n%d] the window cursor. Each subtask keeps one entry in table 1 under a key of its", id);
    em_line(em, "** own (hash 0); after a restore at another parallelism one subtask may hold several: it");
    em_line(em, "** keeps the smallest (windows are never emitted twice: emitted_for guards every key). */");
    em_line(em, "typedef struct n%d_curs { n%d_cursor *c; int64_t min; int64_t n; int64_t key; } n%d_curs;", id, id, id);
    em_open(em, "static int n%d_cursor_seen(RtCtx *ctx, void *arg, int64_t bucket, const void *key, uint32_t keylen, void *value) {", id);
    em_line(em, "n%d_curs *k = (n%d_curs *)arg;", id, id);
    em_line(em, "n%d_cursor *c = (n%d_cursor *)value;", id, id);
    em_line(em, "if (k->n == 0 || c->next_end < k->min) k->min = c->next_end;");
    em_line(em, "if (k->n == 0) { k->c = c; rt_put_bytes(&k->key, key, 8); }");
    em_line(em, "k->n++;");
    em_line(em, "return 0;");
    em_close(em, NULL);
    em_open(em, "static n%d_cursor *n%d_cursor_get(RtCtx *ctx) {", id, id);
    em_line(em, "n%d_curs k;", id);
    em_line(em, "k.c = 0; k.min = INT64_MIN; k.n = 0; k.key = 0;");
    em_line(em, "if (rt->st_visit_bucket(ctx, 1, 0, n%d_cursor_seen, &k)) return 0;", id);
    em_line(em, "if (k.n == 1) return k.c;");
    em_open(em, "if (k.n > 1) {   /* merged by a restore: keep one, at the smallest */");
    em_line(em, "int64_t keep = k.key;");
    em_line(em, "rt->st_drop_bucket(ctx, 1, 0);");
    em_line(em, "int created = 0;");
    em_line(em, "n%d_cursor *c = (n%d_cursor *)rt->st_get(ctx, 1, 0, 0, &keep, 8, 1, &created, 0);", id, id);
    em_line(em, "if (c) c->next_end = k.min;");
    em_line(em, "return c;");
    em_close(em, NULL);
    em_line(em, "int created = 0;");
    em_line(em, "int64_t key = rt->next_seq(ctx);");
    em_line(em, "n%d_cursor *c = (n%d_cursor *)rt->st_get(ctx, 1, 0, 0, &key, 8, 1, &created, 0);", id, id);
    em_line(em, "if (c) c->next_end = INT64_MIN;");
    em_line(em, "return c;");
    em_close(em, NULL);
    em_line(em, "/* [n%d] emit every hopping window that ends at or before the watermark; panes that", id);
    em_line(em, "** no later window needs are freed. The next window end is kept in state table 1. */");
    em_open(em, "static int n%d_on_watermark(RtCtx *ctx, int64_t wm) {", id);
    em_line(em, "n%d_cursor *c = n%d_cursor_get(ctx);", id, id);
    em_line(em, "if (!c) return -1;");
    em_open(em, "for (;;) {");
    em_line(em, "int64_t first = rt->st_first_bucket(ctx, 0), end, p;");
    em_line(em, "if (first == INT64_MAX) break;");
    em_line(em, "end = first + INT64_C(%lld);", slide);
    em_line(em, "if (c->next_end > end) end = c->next_end;");
    em_line(em, "if (end > wm) break;");
    em_line(em, "n%d_window win;", id);
    em_line(em, "win.end = end; win.live = 0;");
    if (masked) {
      em_line(em, "for (p = first; p != INT64_MAX && p < end; p = rt->st_next_bucket(ctx, 0, p))");
      em_line(em, "  if (p >= end - INT64_C(%lld)) win.live |= UINT64_C(1) << ((p - (end - INT64_C(%lld))) / INT64_C(%lld));",
              width, width, slide);
    }
    em_open(em, "for (p = end - INT64_C(%lld); p < end; p += INT64_C(%lld))", width, slide);
    em_line(em, "if (rt->st_visit_bucket(ctx, 0, p, n%d_emit, &win)) return -1;", id);
    em->indent--;
    em_line(em, "c->next_end = end + INT64_C(%lld);", slide);
    em_line(em, "while ((p = rt->st_first_bucket(ctx, 0)) != INT64_MAX && p < end + INT64_C(%lld) - INT64_C(%lld))", slide, width);
    em_line(em, "  rt->st_drop_bucket(ctx, 0, p);");
    em_close(em, NULL);
    em_line(em, "return 0;");
    em_close(em, NULL);
    em_line(em, "%s", "");
  } else if (A->win.kind == W_SESSION) {
    gen->tmp = 0;
    em_line(em, "/* [n%d] emit and forget one closed session `s` of a key (key bytes kb[0..keylen), room for", id);
    em_line(em, "** 8 more) */");
    em_open(em, "static int n%d_session_emit(RtCtx *ctx, uint64_t hash, unsigned char *kb, uint32_t keylen, n%d_span s) {", id, id);
    em_line(em, "rt_put_bytes(kb + keylen, &s.id, 8);");
    em_line(em, "n%d_acc *a = (n%d_acc *)rt->st_get(ctx, 0, 0, hash, kb, keylen + 8, 0, 0, 0);", id, id);
    em_line(em, "if (!a) return 0;");
    emit_window_row(gen, A, "a", "a->start", "a->end", outs);
    em_line(em, "rt->st_remove(ctx, 0, 0, hash, kb, keylen + 8);");
    em_line(em, "return 0;");
    em_close(em, NULL);
    em_line(em, "%s", "");
    em_line(em, "/* [n%d] a timer of this key's sessions fired: emit and forget every session that", id);
    em_line(em, "** ended at or before the watermark (*(int64_t *)arg); value: its n%d_sessions */", id);
    em_open(em, "static int n%d_emit(RtCtx *ctx, void *arg, int64_t time, const void *key, uint32_t keylen, void *value) {", id);
    em_line(em, "n%d_sessions *x = (n%d_sessions *)value;", id, id);
    em_line(em, "int64_t wm = *(const int64_t *)arg;");
    em_line(em, "int32_t j = 0;");
    em_line(em, "if (!x) return 0;");
    em_line(em, "unsigned char kbuf[256];");
    em_line(em, "unsigned char *kb = keylen + 8 > sizeof kbuf ? (unsigned char *)rt->alloc(ctx, keylen + 8) : kbuf;");
    em_line(em, "rt_put_bytes(kb, key, keylen);");
    em_open(em, "while (j < x->n) {   /* sessions in the entry */");
    em_line(em, "if (x->span[j].end > wm) { j++; continue; }");
    em_line(em, "if (n%d_session_emit(ctx, x->hash, kb, keylen, x->span[j])) return -1;", id);
    em_line(em, "x->span[j] = x->span[--x->n];");
    em_close(em, NULL);
    em_open(em, "if (x->more) {   /* sessions in the overflow list, from the end (removal shifts later ones) */");
    em_line(em, "int64_t m;");
    em_open(em, "for (m = rt->agg_list_len(x->more) - 1; m >= 0; m--) {");
    em_line(em, "RtStr e;");
    em_line(em, "n%d_span sp;", id);
    em_line(em, "if (rt->agg_list_get(ctx, x->more, m, &e) != RT_OK) return rt->error(ctx, 0, \"n%d: session list damaged\");", id);
    em_line(em, "rt_put_bytes(&sp, e.ptr, sizeof sp);");
    em_line(em, "if (sp.end > wm) continue;");
    em_line(em, "if (n%d_session_emit(ctx, x->hash, kb, keylen, sp)) return -1;", id);
    em_line(em, "if (rt->agg_list_remove(ctx, &x->more, &sp, sizeof sp, 0, 0)) return -1;");
    em_close(em, NULL);
    em_line(em, "/* refill the entry from the list, so keys back to few sessions stay on the fast path */");
    em_open(em, "while (x->n < %d && (m = rt->agg_list_len(x->more)) > 0) {", SESSION_SLOTS);
    em_line(em, "RtStr e;");
    em_line(em, "if (rt->agg_list_get(ctx, x->more, m - 1, &e) != RT_OK) return rt->error(ctx, 0, \"n%d: session list damaged\");", id);
    em_line(em, "rt_put_bytes(&x->span[x->n], e.ptr, sizeof x->span[0]);");
    em_line(em, "if (rt->agg_list_remove(ctx, &x->more, &x->span[x->n], sizeof x->span[0], 0, 0)) return -1;");
    em_line(em, "x->n++;");
    em_close(em, NULL);
    em_close(em, NULL);
    em_line(em, "if (x->n == 0 && (!x->more || rt->agg_list_len(x->more) == 0)) rt->st_remove(ctx, 1, 0, x->hash, key, keylen);");
    em_line(em, "return 0;");
    em_close(em, NULL);
    em_line(em, "%s", "");
    em_line(em, "/* [n%d] emit sessions whose end the watermark passed (timers in table 1) */", id);
    em_open(em, "static int n%d_on_watermark(RtCtx *ctx, int64_t wm) {", id);
    em_line(em, "return rt->timer_fire(ctx, 1, wm, n%d_emit, &wm) ? -1 : 0;", id);
    em_close(em, NULL);
    em_line(em, "%s", "");
  } else {
    /* updating */
    gen->tmp = 0;
    em_line(em, "/* [n%d] one changed key: retract the previous output row, emit the new one */", id);
    em_open(em, "static int n%d_flush_one(RtCtx *ctx, void *arg, int64_t bucket, const void *key, uint32_t keylen, void *value) {", id);
    em_line(em, "n%d_acc *a = (n%d_acc *)value;", id, id);
    cg_out_header(gen->em, "0", "0");
    key_outs(gen, A, "a", outs);
    emit_finalize(gen, A, "a", outs, nkw);
    /* previous outputs: strings live in a string box (p<i>_box) so they outlive the batch */
    for (int i = 0; i < A->naggs; i++)
      if (type_is_stringy(A->aggs[i].t)) {
        em_line(em, "RtStr pv%d = {0, 0};", i);
        em_line(em, "if (a->p%d_box && rt->agg_str_get(ctx, a->p%d_box, &pv%d) < 0) return -1;", i, i, i);
      }
    /* unchanged output: nothing to do */
    Buf same = {0};
    buf_puts(&same, "a->emitted && a->rows > 0");
    for (int i = 0; i < A->naggs; i++) {
      if (type_is_stringy(A->aggs[i].t))
        buf_printf(&same, " && v%d_n == a->p%d_null && (v%d_n || rt_str_eq(v%d, pv%d))", i, i, i, i, i);
      else
        buf_printf(&same, " && v%d_n == a->p%d_null && (v%d_n || v%d == a->p%d)", i, i, i, i, i);
    }
    em_line(em, "if (%s) return 0;", buf_cstr(&same));
    buf_free(&same);
    CgVal *prev = cx_alloc(cx, sizeof(CgVal) * (size_t)(A->ncols ? A->ncols : 1));
    key_outs(gen, A, "a", prev);
    for (int i = 0; i < A->naggs; i++) {
      prev[nkw + i].v = type_is_stringy(A->aggs[i].t) ? cx_printf(cx, "pv%d", i) : cx_printf(cx, "a->p%d", i);
      prev[nkw + i].n = A->aggs[i].nullable ? cx_printf(cx, "a->p%d_null", i) : "0";
    }
    em_open(em, "if (a->emitted) {");
    em_line(em, "hdr.retract = 1;");
    em_open(em, "do {");
    consume_parents(gen, A, prev, "hdr");
    em_close(em, " while (0);");
    em_line(em, "hdr.retract = 0;");
    em_line(em, "a->emitted = 0;");
    em_close(em, NULL);
    em_open(em, "if (a->rows <= 0) {   /* the group is empty: forget it */");
    em_line(em, "rt->st_remove(ctx, 0, bucket, a->hash, key, keylen);");
    em_line(em, "return 0;");
    em_close(em, NULL);
    for (int i = 0; i < A->naggs; i++) {
      if (type_is_stringy(A->aggs[i].t))
        em_line(em, "if (rt->agg_str_set(ctx, &a->p%d_box, v%d, v%d_n, RT_SBOX_LAST, 0)) return -1;", i, i, i);
      else
        em_line(em, "a->p%d = v%d;", i, i);
      em_line(em, "a->p%d_null = v%d_n;", i, i);
    }
    em_line(em, "a->emitted = 1;");
    em_open(em, "do {");
    consume_parents(gen, A, outs, "hdr");
    em_close(em, " while (0);");
    em_line(em, "return 0;");
    em_close(em, NULL);
    em_line(em, "%s", "");
    em_line(em, "/* [n%d] after each batch: one update per changed key */", id);
    em_open(em, "static int n%d_flush(RtCtx *ctx) {", id);
    em_line(em, "return rt->st_visit_touched(ctx, 0, n%d_flush_one, 0) ? -1 : 0;", id);
    em_close(em, NULL);
    em_line(em, "%s", "");
  }
}
