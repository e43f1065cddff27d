/*
** codegen/cg_join.c: joins as pipeline stages.
**
** Both inputs are shipped whole to the join stage (row_n<id>_l / row_n<id>_r), routed by the
** hash of the join key values (and, for windowed joins, the window), so matching rows meet in
** the same subtask. Key bytes are one flag byte (0, or 1 when a key is NULL: such a row never
** matches and its key is made unique) followed by the serialized key values.
**
** Windowed join (both inputs come from windowed aggregates): each side's rows are kept in
** its state table bucketed by window end, keyed by (join key bytes, arrival sequence, the
** bytes of the stored string columns, so those strings live in the key copy). Rows are only
** appended (rt->st_append: no index probe or slot; nothing looks them up by key), visited when
** their window closes and dropped with it. The value keeps only what the key bytes do not
** hold (n<id>_<s>val: the columns a consumer or the residual reads that are not key columns,
** and NULL flags of the nullable ones; see JoinPack), and n<id>_unpack_<s> rebuilds the row.
** When both sides' windows are tumbling or hopping windows of one width (window_from_bucket),
** the window is (bucket - width, bucket) for every row of a bucket: window keys are left out
** of the key bytes and the window column is rebuilt from the bucket. When the watermark
** reaches a window's end, the window is joined by hash: its right rows are collected into a
** scratch array chained by the hash of their join key bytes, its left rows into another, and
** each left row probes its chain and compares key bytes, with the chain heads, entries and
** rows of the left rows ahead prefetched (a cache miss each at a million keys); pairs that
** pass the residual condition are emitted, and for outer joins the unmatched rows with the
** other side NULL (right rows are marked when they match). Then the window's rows are freed.
** The output is append-only.
**
** Updating join (no windows): each side keeps, per key, its live rows in state (bucket 0): the
** first row packed inline in the value of table `side`, later ones in a runtime/join_rows.c
** object (one growable block per key, no allocation per row) in the value of table 2 + side
** under the same key, which exists only while the key has such rows (`more` says so) and is
** looked up whenever the first table's entry is, so both keep the same TTL stamp and expire
** together. A row is packed with only the columns someone reads (key columns come back from
** the key bytes, unread ones are not kept), NULLs as a bitmap (see JoinPack). The key bytes
** are the key values alone (see emit_key), and the tables are compact (runtime/state.c: no
** stored hash, n<id>_keyhash_<side> recomputes it from the key bytes; no insertion-order
** links): a key with one 9-byte packed row and an 8-byte key takes a 40-byte state slot plus
** its index slot (issue 4's memory target). Interval and time-bounded joins keep the rows 2..
** object in the first table's value (n<id>_<side>k.more), in ordinary tables (several buckets). An inserted row is stored and
** joined with the other side's rows for its key; a retraction removes an equal packed row and
** retracts the pairs it made. For outer joins a preserved row without partners is emitted
** padded with NULLs, and that padded row is retracted when its first partner arrives (and
** re-emitted when its last partner leaves). Without a residual condition every row of a key
** pairs with every row of the other side's key, so "no partners" is "the other side has no
** rows for the key". With one, each stored row of a preserved side starts with a u32 count of
** the other side's stored rows that pass the whole ON with it (see `matched`): a row arriving
** or retracted walks the other side's rows anyway (for its pairs) and moves the count of each
** one it pairs with; a count leaving 0 retracts that row's padded row, one returning to 0
** emits it again; the row's own count is the number of pairs it made. This is what Flink's
** outer join state keeps (a record with its number of associations); recomputing a row's
** partners instead would cost a walk of the other side per pair. Rows equal but for the count
** are interchangeable (their counts are equal), so a retraction finds its row ignoring the
** count. A row forgotten by the TTL is not a retraction: counts and padded rows stay. State
** is bounded by the updating TTL.
** Interval join (a join of append-only inputs whose ON bounds right.t - left.t to [lo, hi],
** where both t are provably their rows' event times, see compiler/join.c): like the updating join, but a row arriving behind the watermark is late (its
** partners may be gone), and a row is stored under the bucket that ends after the last time
** it can meet a new partner (left t + hi, right t - lo), buckets max((hi - lo) / 8, 1 s)
** wide; when the watermark reaches a bucket's end the whole bucket is dropped, with no timer
** or scan per row. A row probes the other side's key in every live bucket. Rows may outlive
** their reach by up to one bucket width; that is never visible, because the ON condition
** (which still holds the time bounds) is checked for every pair and a row that could still
** pair with them would be late. The result is append-only.
** Interval join with a sparse side (INNER; Plan.logside, compiler/join.c: one input is a
** windowed aggregate without GROUP BY keys, so at most one row per window, e.g. Nexmark q7's
** per-window maximum, and its windows end at least (hi - lo) / 8 apart): the other, dense side is not indexed by key. Its rows are appended to
** their expiry bucket as a log (rt->st_append: entry key = [key bytes][u64 arrival seq][packed
** row], the seq making it unique for a restore, which indexes; value = the key's hash and
** length), so storing a row costs no index probe and no per-key block. A dense row probes the
** sparse side's live buckets by key as above (small); a sparse row, stored as above, scans
** every live bucket of the log in order and pairs the rows whose hash and key bytes equal its
** own (then the residual). Each pair is still made once, by the later of its two rows, in the
** same order as with both sides indexed. With one sparse row per window and buckets dropped by
** the watermark, each dense row is visited once per window end in its reach, at most about 9
** times (which is why windows closer together keep both sides indexed).
** Time-bounded join (compiler/join.c plans it: a join of append-only inputs whose ON
** bounds one side's event-time column t by expressions over the other side, lo <= t <= hi,
** e.g. Nexmark q4's `b.datetime BETWEEN a.datetime AND a.expires`): the interval join's
** machinery with per-row expiry. Watermarks bound rows' header ts (the event time): a row with
** ts < watermark is late. The planner takes this plan only when t provably equals the row's
** header ts (see is_event_time in join.c), so dropping t < watermark drops exactly the late
** rows; every stored or probing t-side row then has t >= the watermark at its arrival.
**   - a row of the bounding side (a) can meet no new t-side row once the watermark passes
**     hi(a): it is stored in the bucket ending after hi(a) (a NULL bound: matches nothing);
**   - a t-side row can meet no new bounding row once the watermark passes t - c, when lo(a)
**     is a's event-time column plus a constant c (new a rows have lo >= watermark + c): it is
**     stored in the bucket ending after t - c; a rows with event time < watermark are late.
**     When lo is not of that form (any other expression) a new a row may reach arbitrarily far
**     back: t-side rows are stored in one bucket that never ends (INT64_MAX - 1) and expire by
**     the updating TTL, and a rows are never late (none of their columns is known to be their
**     event time bound by the watermark; they meet every t-side row still stored).
** Buckets are 1 s wide, or for a row whose expiry is more than 8 s past its own event time
** the smallest power-of-two multiple of 1 s at least an eighth of that reach, so the live
** buckets stay few (a probe visits each) and a row outlives its reach by at most
** max(1 s, reach / 4), which is invisible for the reason given above. The bound expressions
** are still checked for every pair by the residual (also their strictness: `<` is kept as
** the weaker `<=` for expiry only). The result is append-only.
** Outer interval and time-bounded joins: a stored row of a preserved side starts with a u32
** matched flag, set when a row of the other side pairs with it (or when it pairs on arrival).
** When the watermark reaches a bucket's end, before the bucket is dropped, its rows of a
** preserved side whose flag is still 0 are emitted padded with NULLs (time: the bucket's end
** - 1; no partner can arrive any more, see above). A preserved row that can never pair (NULL
** key, time or bound) and a late preserved row are emitted padded at once; a late row is not
** joined (its partners may be gone; Flink's interval join joins it against what it still
** buffers, then pads it if nothing matched). compiler/join.c does not plan a time-bounded
** join whose bounded side is preserved but never expires (lower bound not an event time):
** it stays an updating join. The output stays append-only.
** Not here: windowed joins of updating inputs, joins without a key equality (refused in
** compiler/join.c).
*/
#include <string.h>
#include "codegen.h"

static int side_of_input(Plan *J, Plan *from, int side) { return J->inputs[side] == from; }

static int fixed_size(SqlType t) {
  switch (t.kind) {
    case RT_BOOL: return 1;
    case RT_I32: case RT_U32: case RT_F32: return 4;
    default: return 8;
  }
}

static const char *row_type(Plan *J, int side) { return side ? "r" : "l"; }

/* Interval and time-bounded joins: rows are stored by expiry bucket and dropped by the
** watermark, late rows are dropped, the result is append-only. */
static int timed(const Plan *J) { return J->interval || J->tbound; }

/* Updating joins (not timed, not windowed) keep their rows in compact tables: see the header. */
static int compact(const Plan *J) { return J->lwin < 0 && !timed(J); }

/* The column of `side` whose value is its rows' event time for the late check, or -1: the
** interval join's time columns; in a time-bounded join the bounded column, and on the other
** side the event-time column under the lower bound (none when the bound is not of that form:
** those rows are never late, see the header). */
static int late_col(const Plan *J, int side) {
  if (J->interval) return side ? J->ircol : J->ilcol;
  if (J->tbound) return side == J->tside ? J->tcol : J->tlo_etcol;
  return -1;
}

/* A time-bounded join whose bounded side cannot expire by the watermark (the lower bound is
** not the other side's event time plus a constant): that side's table keeps the updating TTL. */
static int tbound_keeps(const Plan *J, int side) { return J->tbound && side == J->tside && J->tlo_etcol < 0; }
/* Windowed join: the window width (ns) when both sides' window columns come from tumbling or
** hopping aggregates of that width and every window-typed key is a side's own window column:
** then a row's window is (bucket - width, bucket) (its bucket is the window end), equal on
** both sides within a bucket, and the key bytes leave the window keys out. 0 otherwise (the
** window keys stay in the key bytes and the window column is kept from them). */
static int64_t window_from_bucket(const Plan *J) {
  if (J->lwin < 0) return 0;
  const PCol *a = &J->inputs[0]->cols[J->lwin], *b = &J->inputs[1]->cols[J->rwin];
  if (!(a->winkind == W_TUMBLE || a->winkind == W_HOP) || a->winkind != b->winkind ||
      a->width != b->width || a->width <= 0)
    return 0;
  for (int k = 0; k < J->nkeys; k++) {
    const BExpr *l = J->exprs[k], *r = J->rkeys[k];
    if (l->t.kind != T_WINDOW && r->t.kind != T_WINDOW) continue;
    if (l->kind != B_COL || l->colidx != J->lwin || r->kind != B_COL || r->colidx != J->rwin) return 0;
  }
  return a->width;
}

/* Which columns of one side a stored row keeps, and where the others come from:
**   stored   packed into the row: read by a parent of the join or by the residual (or the
**            interval join's time column), and not restorable from the key bytes;
**   key      a key column (the key expression is the column itself, of a fixed-size integer,
**            boolean or timestamp type, or in a windowed join the window, at a fixed offset in
**            the key bytes): the key bytes of the entry hold it; an updating or interval join's
**            stored row's key is never NULL, a windowed join takes its NULL flag from the key;
**   window   a windowed join's window column when window_from_bucket(): rebuilt from the bucket;
**   unused   nobody reads it: not stored, unpacked as NULL.
** Packed row (updating, interval and time-bounded joins; a windowed join keeps the stored
** columns as plain fields of its value instead): [null bitmap, one bit per stored column, at
** least one byte] then per stored column in column order its fixed-size bytes (zero when
** NULL), or for strings a u32 length and the bytes. Equal rows pack to equal bytes
** (retractions find their row by bytes). */
typedef struct JoinPack {
  uint8_t *stored;      /* per input column */
  int *keyoff;          /* per input column: offset of its value in the key bytes, or -1 */
  int nstored;
  int bitmap;           /* bytes of the null bitmap */
  int fixed;            /* packed bytes without string contents */
  int cap;              /* bytes of the inline row slot in the state value */
  int tag;              /* bytes of the match prefix before the bitmap: 4 (see matched) or 0 */
  const char *len_type; /* C type of the value's first_len */
  int wincol;           /* windowed join: the window column rebuilt from the bucket, or -1 */
  int64_t width;        /* ... and the window width (window_from_bucket) */
} JoinPack;
static void join_pack(Gen *gen, Plan *J, int side, JoinPack *jp);
static void emit_rows_type(Gen *gen, Plan *J, int side);
static int emit_wval_type(Gen *gen, Plan *J, int side);
static void emit_wunpack(Gen *gen, Plan *J, int side);
/* An interval join's dense side, kept as an unindexed log (the other side is sparse). */
static int logged(const Plan *J, int side) { return J->interval && J->lwin < 0 && J->logside == side; }
static void emit_log_type(Gen *gen, Plan *J, int side);
static void join_reads(Gen *gen, Plan *J, int side, uint8_t *need);

void cg_join_types(Gen *gen, Plan *J) {
  Cx *cx = gen->cx;
  Emitter *ty = &gen->types, *ds = &gen->descs;
  int id = J->id;
  int windowed = J->lwin >= 0;
  int nref[2] = { 0, 0 };
  for (int side = 0; side < 2; side++) {
    Plan *in = J->inputs[side];   /* no ARRAY, INTERVAL or STRUCT columns: refused by join_bind */
    const char *rt_ = row_type(J, side);
    em_line(ty, "/* [n%d] join %s input: the whole row, shuffled by the join key */", id, side ? "right" : "left");
    em_open(ty, "typedef struct row_n%d_%s {", id, rt_);
    em_line(ty, "RtRowHeader h;");
    for (int c = 0; c < in->ncols; c++)
      em_line(ty, "%s c%d;   /* %s */", type_c(in->cols[c].t), c, c_comment(cx, in->cols[c].name));
    em_open(ty, "struct {");
    for (int c = 0; c < in->ncols; c++) em_line(ty, "uint8_t c%d;", c);
    if (in->ncols == 0) em_line(ty, "uint8_t none_;");
    em_close(ty, " _null;");
    em_close(ty, cx_printf(cx, " row_n%d_%s;", id, rt_));
    em_line(ty, "static const row_n%d_%s n%d_%s_nulls;   /* all zero: the padding of outer joins */", id, rt_, id, rt_);
    if (windowed) nref[side] = emit_wval_type(gen, J, side);
    /* schema: every column but windows (no strings there) */
    em_open(ds, "static const RtColumn n%d_%s_cols[] = {", id, rt_);
    int n = 0;
    for (int c = 0; c < in->ncols; c++) {
      SqlType t = in->cols[c].t;
      if (t.kind == T_WINDOW) continue;
      em_line(ds, "{ \"c%d\", %d, 1, %d, %d, (uint32_t)offsetof(row_n%d_%s, c%d), (uint32_t)offsetof(row_n%d_%s, _null.c%d) },",
              c, t.kind, t.prec, t.scale, id, rt_, c, id, rt_, c);
      n++;
    }
    if (!n) em_line(ds, "{ 0, 0, 0, 0, 0, 0, 0 }");
    em_close(ds, ";");
    em_line(ds, "static const RtSchema n%d_%s_schema = { \"row_n%d_%s\", sizeof(row_n%d_%s), %d, n%d_%s_cols };",
            id, rt_, id, rt_, id, rt_, n, id, rt_);
  }
  if (windowed) {
    em_line(ty, "typedef struct n%d_list { void **rows; int64_t n; } n%d_list;", id, id);
  } else {
    for (int side = 0; side < 2; side++)
      if (logged(J, side)) emit_log_type(gen, J, side);
      else emit_rows_type(gen, J, side);
  }
  em_line(ty, "%s", "");
  em_open(ds, "static const uint32_t n%d_objs[] = {", id);
  if (windowed) em_line(ds, "0");
  else if (compact(J)) em_line(ds, "(uint32_t)offsetof(n%d_lm, rows)   /* the same in n%d_rm */", id, id);
  else if (logged(J, 0) || logged(J, 1))
    em_line(ds, "(uint32_t)offsetof(n%d_%sk, more)", id, row_type(J, !J->logside));
  else em_line(ds, "(uint32_t)offsetof(n%d_lk, more)   /* the same in n%d_rk */", id, id);
  em_close(ds, ";");
  em_open(ds, "static const RtStateDesc n%d_states[] = {", id);
  if (windowed) {
    em_line(ds, "{ \"n%d left rows by window\", sizeof(n%d_lval), 0, 0, 0, %d, n%d_l_keyrefs },", id, id, nref[0], id);
    em_line(ds, "{ \"n%d right rows by window\", sizeof(n%d_rval), 0, 0, 0, %d, n%d_r_keyrefs },", id, id, nref[1], id);
  } else if (compact(J)) {
    /* tables 0, 1: a key's first row; 2, 3: its rows 2.. (see the header); compact, by the TTL */
    for (int t = 0; t < 4; t++)
      em_line(ds, "{ \"n%d %s rows%s by key\", sizeof(n%d_%s%s), %d, %s, INT64_C(%lld), 0, 0, n%d_keyhash_%s },", id,
              t & 1 ? "right" : "left", t < 2 ? "" : " 2..", id, row_type(J, t & 1), t < 2 ? "k" : "m", t < 2 ? 0 : 1,
              t < 2 ? "0" : cx_printf(cx, "n%d_objs", id), (long long)cx->cat->updating_ttl_ns, id, row_type(J, t & 1));
  } else {
    /* interval and time-bounded joins expire rows by bucket (the watermark), updating joins
    ** (and the bounded side of a time-bounded join that cannot expire) by the TTL */
    for (int side = 0; side < 2; side++) {
      if (logged(J, side)) {
        em_line(ds, "{ \"n%d %s rows by expiry bucket, a log (not indexed)\", sizeof(n%d_%slog), 0, 0, INT64_C(0) },",
                id, side ? "right" : "left", id, row_type(J, side));
        continue;
      }
      int by_ttl = !timed(J) || tbound_keeps(J, side);
      long long ttl = by_ttl ? (long long)cx->cat->updating_ttl_ns : 0;
      const char *by = timed(J) ? "key and expiry bucket" : "key";
      em_line(ds, "{ \"n%d %s rows by %s\", sizeof(n%d_%sk), 1, n%d_objs, INT64_C(%lld) },", id,
              side ? "right" : "left", by, id, row_type(J, side), id, ttl);
    }
  }
  em_close(ds, ";");
  em_line(ds, "%s", "");

  StageGen *st = &gen->stages[J->stage];
  st->states_sym = cx_printf(cx, "n%d_states", id);
  st->nstates = compact(J) ? 4 : 2;
  st->process_fn = cx_printf(cx, "n%d_process", id);
  if (windowed || timed(J)) st->watermark_fn = cx_printf(cx, "n%d_on_watermark", id);
}

/* Hash one key value (both sides hash equal values equally: their key types agree). */
static void hash_key(Emitter *em, Cx *cx, const char *h, SqlType t, CgVal v) {
  const char *nul = strcmp(v.n, "0") ? v.n : "0";
  if (type_is_stringy(t))
    em_line(em, "%s = rt_hash_mix(%s, %s ? 1 : rt->hash_bytes((%s).ptr, (%s).len, 0));", h, h, nul, v.v, v.v);
  else if (type_is_float(t))
    em_line(em, "{ union { double d; uint64_t u; } hb; hb.d = (double)(%s); if (hb.d == 0) hb.d = 0; "
            "%s = rt_hash_mix(%s, %s ? 1 : hb.u); }", v.v, h, h, nul);
  else if (t.kind == T_WINDOW)
    em_line(em, "%s = rt_hash_mix(rt_hash_mix(%s, (uint64_t)(%s).start), (uint64_t)(%s).end);", h, h, v.v, v.v);
  else
    em_line(em, "%s = rt_hash_mix(%s, %s ? 1 : (uint64_t)(%s));", h, h, nul, v.v);
  (void)cx;
}

void cg_join_input(Gen *gen, Plan *J, const CgVal *in, const char *hdr) {
  Cx *cx = gen->cx;
  Emitter *em = gen->em;
  Plan *from = gen->from;
  for (int side = 0; side < 2; side++) {
    if (!side_of_input(J, from, side)) continue;
    Plan *ip = J->inputs[side];
    const char *rt_ = row_type(J, side);
    int edge = gen_edge_into(gen, J, RT_ROUTE_HASH, cx_printf(cx, "n%d_%s_schema", J->id, rt_), side);
    int out = gen_output(gen, RT_PORT_EDGE, edge);
    Cg g = { cx, em, J->id, gen->tmp, hdr };
    const char *o = cx_printf(cx, "n%d_%s", J->id, rt_);
    em_line(em, "/* [n%d] join %s input: the row to stage %s by join key hash, output %d */", J->id,
            side ? "right" : "left", gen->stages[J->stage].name, out);
    em_open(em, "{");
    em_line(em, "row_n%d_%s %s;", J->id, rt_, o);
    em_line(em, "%s.h.ts = %s.ts; %s.h.retract = %s.retract;", o, hdr, o, hdr);
    uint8_t *need = cx_alloc(cx, (size_t)(ip->ncols ? ip->ncols : 1));
    join_reads(gen, J, side, need);
    for (int c = 0; c < ip->ncols; c++) {
      if (!need[c]) {   /* never read by the join stage: shipped as NULL, its strings not copied */
        em_line(em, "rt_zero(&%s.c%d, (int64_t)sizeof %s.c%d); %s._null.c%d = 1;   /* %s: not read */", o, c, o, c, o, c,
                c_comment(cx, ip->cols[c].name));
        continue;
      }
      cg_assign(em, cx_printf(cx, "%s.c%d", o, c), ip->cols[c].t, in[c].v);
      em_line(em, "%s._null.c%d = %s;", o, c, in[c].n);
    }
    const char *h = cx_printf(cx, "n%d_%shash", J->id, rt_);
    em_line(em, "uint64_t %s = UINT64_C(0x2545f4914f6cdd1d);", h);
    BExpr **keys = side ? J->rkeys : J->exprs;
    for (int k = 0; k < J->nkeys; k++) {
      CgVal kv = cg_expr(&g, keys[k], in);
      hash_key(em, cx, h, keys[k]->t, kv);
    }
    int wc = side ? J->rwin : J->lwin;
    if (wc >= 0) hash_key(em, cx, h, type_make(T_WINDOW), in[wc]);
    em_line(em, "%s.h.hash = %s;", o, h);
    em_line(em, "if (rt->emit(ctx, %d, &%s) < 0) return -1;", out, o);
    em_close(em, NULL);
    gen->tmp = g.tmp;
  }
}

/* Serialize the join key of the row `r` (side `side`) into kb/kl; knull = a key is NULL.
** Windowed joins: [knull] then per key [null flag][value] (a NULL key's row is kept, under a
** unique key), window keys left out when skip_windows (the bucket implies them). Updating,
** interval and time-bounded joins never store or look up a NULL key, so their key bytes are
** the values alone: per key its fixed-size bytes, or a string's u32 length and bytes
** (n<id>_keyhash_<side> reads them back). */
static void emit_key(Gen *gen, Plan *J, int side, int skip_windows) {
  int flags = J->lwin >= 0;
  Cx *cx = gen->cx;
  Emitter *em = gen->em;
  Plan *ip = J->inputs[side];
  BExpr **keys = side ? J->rkeys : J->exprs;
  CgVal *in = cx_alloc(cx, sizeof(CgVal) * (size_t)(ip->ncols ? ip->ncols : 1));
  for (int c = 0; c < ip->ncols; c++) {
    in[c].v = cx_printf(cx, "r->c%d", c);
    in[c].n = ip->cols[c].nullable ? cx_printf(cx, "r->_null.c%d", c) : "0";
  }
  Cg g = { cx, em, J->id, gen->tmp, "r->h" };
  CgVal *kv = cx_alloc(cx, sizeof(CgVal) * (size_t)J->nkeys);
  int fixed = flags;
  for (int k = 0; k < J->nkeys; k++) {
    if (skip_windows && keys[k]->t.kind == T_WINDOW) continue;
    kv[k] = cg_expr(&g, keys[k], in);
    fixed += flags + (type_is_stringy(keys[k]->t) ? 4 : keys[k]->t.kind == T_WINDOW ? 16 : fixed_size(keys[k]->t));
  }
  gen->tmp = g.tmp;
  em_line(em, "uint8_t knull = 0;");
  em_line(em, "uint32_t kl = %d, ko = %d;", fixed, flags);
  for (int k = 0; k < J->nkeys; k++) {
    if (skip_windows && keys[k]->t.kind == T_WINDOW) continue;
    if (strcmp(kv[k].n, "0")) em_line(em, "if (%s) knull = 1;", kv[k].n);
    if (type_is_stringy(keys[k]->t)) em_line(em, "if (!(%s)) kl += (uint32_t)(%s).len;", kv[k].n, kv[k].v);
  }
  em_line(em, "unsigned char kbuf[256];");
  em_line(em, "unsigned char *kb = kl + 16 > sizeof kbuf ? (unsigned char *)rt->alloc(ctx, kl + 16) : kbuf;");
  if (flags) em_line(em, "kb[0] = knull;");
  for (int k = 0; k < J->nkeys; k++) {
    SqlType t = keys[k]->t;
    if (skip_windows && t.kind == T_WINDOW) continue;   /* implied by the bucket */
    if (flags) em_line(em, "kb[ko++] = (uint8_t)(%s);", kv[k].n);
    if (type_is_stringy(t)) {
      em_line(em, "{ uint32_t len = (%s) ? 0 : (uint32_t)(%s).len; rt_put_bytes(kb + ko, &len, 4); ko += 4;", kv[k].n, kv[k].v);
      em_line(em, "  rt_put_bytes(kb + ko, (%s).ptr, len); ko += len; }", kv[k].v);
    } else if (t.kind == T_WINDOW) {
      em_line(em, "{ RtWindow kw = %s; rt_put_bytes(kb + ko, &kw, 16); ko += 16; }", kv[k].v);
    } else if (type_is_float(t)) {
      em_line(em, "{ %s kf = (%s) ? 0 : (%s); if (kf == 0) kf = 0; rt_put_bytes(kb + ko, &kf, %d); ko += %d; }",
              type_c(t), kv[k].n, kv[k].v, fixed_size(t), fixed_size(t));
    } else {
      em_line(em, "{ %s kv = (%s) ? 0 : (%s); rt_put_bytes(kb + ko, &kv, %d); ko += %d; }", type_c(t), kv[k].n,
              kv[k].v, fixed_size(t), fixed_size(t));
    }
  }
}

/* Output values of the join for stored rows `lrow` / `rrow` (pointers to row structs; the
** padding row of zeros when a side is missing, with lmiss / rmiss set). */
static CgVal *join_outs(Gen *gen, Plan *J, const char *lrow, const char *lmiss, const char *rrow, const char *rmiss) {
  Cx *cx = gen->cx;
  Plan *L = J->inputs[0], *R = J->inputs[1];
  CgVal *o = cx_alloc(cx, sizeof(CgVal) * (size_t)(J->ncols ? J->ncols : 1));
  for (int c = 0; c < L->ncols; c++) {
    o[c].v = cx_printf(cx, "%s->c%d", lrow, c);
    o[c].n = cx_printf(cx, "(%s || %s->_null.c%d)", lmiss, lrow, c);
  }
  for (int c = 0; c < R->ncols; c++) {
    o[L->ncols + c].v = cx_printf(cx, "%s->c%d", rrow, c);
    o[L->ncols + c].n = cx_printf(cx, "(%s || %s->_null.c%d)", rrow ? rmiss : "1", rrow, c);
  }
  return o;
}

/* static int n<id>_pair(ctx, l, r, retract, ts): push one output row (l or r may be NULL:
** padded) through the join's parents; n<id>_match(ctx, l, r, &ok): the residual condition. */
static void emit_pair_fns(Gen *gen, Plan *J) {
  Cx *cx = gen->cx;
  Emitter *em = gen->em;
  int id = J->id;
  gen->tmp = 0;
  em_line(em, "/* [n%d] the residual ON condition for a candidate pair */", id);
  em_open(em, "static int n%d_match(RtCtx *ctx, const row_n%d_l *l, const row_n%d_r *r, int *ok) {", id, id, id);
  if (J->pred) {
    CgVal *in = join_outs(gen, J, "l", "0", "r", "0");
    Cg g = { cx, em, id, gen->tmp, "l->h" };
    CgVal c = cg_expr(&g, J->pred, in);
    gen->tmp = g.tmp;
    em_line(em, "*ok = !(%s) && (%s);", c.n, c.v);
  } else {
    em_line(em, "*ok = 1;");
  }
  em_line(em, "return 0;");
  em_close(em, NULL);
  gen->tmp = 0;
  em_line(em, "/* [n%d] one output row of the join (a missing side is NULL) */", id);
  em_open(em, "static int n%d_pair(RtCtx *ctx, const row_n%d_l *lp, const row_n%d_r *rp, int retract, int64_t ts) {", id, id, id);
  em_line(em, "int lmiss = lp == 0, rmiss = rp == 0;");
  em_line(em, "const row_n%d_l *l = lp ? lp : &n%d_l_nulls;", id, id);
  em_line(em, "const row_n%d_r *r = rp ? rp : &n%d_r_nulls;", id, id);
  cg_out_header(em, "ts", "(uint8_t)retract");
  CgVal *out = join_outs(gen, J, "l", "lmiss", "r", "rmiss");
  em_open(em, "do {");
  consume_parents(gen, J, out, "hdr");
  em_close(em, " while (0);");
  em_line(em, "return 0;");
  em_close(em, NULL);
  em_line(em, "%s", "");
}

static int preserved(const Plan *J, int side) {
  return J->join == J_FULL || (side == 0 && J->join == J_LEFT) || (side == 1 && J->join == J_RIGHT);
}

/* Whether the stored rows of `side` carry a match prefix (JoinPack.tag, a u32 before the null
** bitmap): the preserved side of an outer updating join with a residual condition (the number
** of the other side's stored rows the row pairs with; 0 while its padded row is out) and of an
** outer interval or time-bounded join (1 once it has paired; rows still 0 when their bucket
** ends are emitted padded). Without a residual every row of a key pairs with every row of the
** other side's key, so the other side's row count says it and no prefix is kept. */
static int matched(const Plan *J, int side) { return preserved(J, side) && (J->pred || timed(J)); }

/* ---- windowed join ---------------------------------------------------------------- */
/* n<id>_same_key(a, b, n): whether n key bytes are equal (word by word), for the window close's
** hash join and the interval join's log scan. */
static void emit_same_key(Emitter *em, int id) {
  em_open(em, "static int n%d_same_key(const unsigned char *a, const unsigned char *b, uint32_t n) {", id);
  em_line(em, "uint32_t i = 0;");
  em_line(em, "for (; i + 8 <= n; i += 8) { uint64_t x, y; rt_put_bytes(&x, a + i, 8); rt_put_bytes(&y, b + i, 8); if (x != y) return 0; }");
  em_line(em, "for (; i < n; i++) if (a[i] != b[i]) return 0;");
  em_line(em, "return 1;");
  em_close(em, NULL);
}

static void windowed_stage(Gen *gen, Plan *J) {
  Cx *cx = gen->cx;
  Emitter *em = gen->em;
  int id = J->id;
  emit_pair_fns(gen, J);
  StageGen *st = &gen->stages[J->stage];
  /* process */
  for (int side = 0; side < 2; side++) {
    Plan *ip = J->inputs[side];
    const char *rt_ = row_type(J, side);
    int wc = side ? J->rwin : J->lwin;
    JoinPack jp;
    join_pack(gen, J, side, &jp);
    emit_wunpack(gen, J, side);
    gen->tmp = 0;
    em_line(em, "/* [n%d] keep a %s row under its window (bucket = window end): appended, never looked up by key */",
            id, side ? "right" : "left");
    em_open(em, "static int n%d_keep_%s(RtCtx *ctx, const RtBatch *batch) {", id, rt_);
    em_line(em, "const row_n%d_%s *rows = (const row_n%d_%s *)batch->rows;", id, rt_, id, rt_);
    em_line(em, "int64_t i, late = 0, wm = rt->current_watermark(ctx);");
    em_open(em, "for (i = 0; i < batch->n; i++) {");
    em_line(em, "const row_n%d_%s *r = &rows[i];", id, rt_);
    em_line(em, "if (r->c%d.end <= wm) { late++; continue; }   /* its window already closed */", wc);
    emit_key(gen, J, side, jp.wincol >= 0);
    em_line(em, "int64_t seq = rt->next_seq(ctx);   /* arrival order, unique across restores */");
    em_line(em, "if (knull) { rt_put_bytes(kb + ko, &seq, 8); ko += 8; }   /* a NULL key never matches: unique */");
    em_line(em, "uint32_t klen = ko;");
    em_line(em, "if (!knull) { rt_put_bytes(kb + ko, &seq, 8); ko += 8; }");
    /* stored strings move into the entry key */
    int nstr = 0;
    for (int c = 0; c < ip->ncols; c++) if (jp.stored[c] && type_is_stringy(ip->cols[c].t)) nstr++;
    if (nstr) {
      em_line(em, "uint32_t need = ko;");
      for (int c = 0; c < ip->ncols; c++)
        if (jp.stored[c] && type_is_stringy(ip->cols[c].t))
          em_line(em, "if (!r->_null.c%d) need += (uint32_t)r->c%d.len;", c, c);
      em_open(em, "if (need > kl + 16) {");
      em_line(em, "unsigned char *nb = (unsigned char *)rt->alloc(ctx, need);");
      em_line(em, "rt_put_bytes(nb, kb, ko);");
      em_line(em, "kb = nb;");
      em_close(em, NULL);
      for (int c = 0; c < ip->ncols; c++)
        if (jp.stored[c] && type_is_stringy(ip->cols[c].t)) {
          em_line(em, "uint32_t off%d = ko;", c);
          em_line(em, "if (!r->_null.c%d) { rt_put_bytes(kb + ko, r->c%d.ptr, r->c%d.len); ko += (uint32_t)r->c%d.len; }", c, c, c, c);
        }
    }
    em_line(em, "void *kc = 0;");
    em_line(em, "n%d_%sval *v = (n%d_%sval *)rt->st_append(ctx, %d, r->c%d.end, rt_hash_unique(r->h.hash, seq), kb, ko, &kc);",
            id, rt_, id, rt_, side, wc);
    em_line(em, "if (!v) return -1;");
    for (int c = 0; c < ip->ncols; c++) {
      if (!jp.stored[c]) continue;
      if (ip->cols[c].nullable) em_line(em, "v->_null.c%d = r->_null.c%d;", c, c);
      if (type_is_stringy(ip->cols[c].t))
        em_line(em, "if (r->_null.c%d) { v->c%d.ptr = 0; v->c%d.len = 0; } else { v->c%d.ptr = (const char *)kc + off%d; v->c%d.len = r->c%d.len; }",
                c, c, c, c, c, c, c);
      else
        em_line(em, "v->c%d = r->c%d;", c, c);
    }
    em_line(em, "(void)kc; (void)klen;");
    em_close(em, NULL);
    em_line(em, "if (late) rt->count_late(ctx, late);");
    em_line(em, "return 0;");
    em_close(em, NULL);
  }
  em_line(em, "/* [n%d] windowed join: keep rows until their window closes */", id);
  em_open(em, "static int n%d_process(RtCtx *ctx, int input, const RtBatch *batch) {", id);
  em_open(em, "switch (input) {");
  for (int i = 0; i < st->nins; i++) {
    int slot = gen->edges[st->ins[i].index].slot;
    em_line(em, "case %d: return n%d_keep_%s(ctx, batch);", i, id, slot ? "r" : "l");
  }
  em_line(em, "default: break;");
  em_close(em, NULL);
  em_line(em, "return rt->error(ctx, 0, \"n%d: no input %%d\", input);", id);
  em_close(em, NULL);

  /* hash join on watermark */
  int lp = preserved(J, 0), rp = preserved(J, 1);
  em_line(em, "/* [n%d] the rows of the closing window: right rows are the build side of its hash join, left rows probe */", id);
  em_line(em, "typedef struct n%d_rent { uint64_t hash; const unsigned char *key; const n%d_rval *v; uint32_t klen, next; uint8_t matched; } n%d_rent;",
          id, id, id);
  em_line(em, "typedef struct n%d_lent { uint64_t hash; const unsigned char *key; const n%d_lval *v; uint32_t klen; } n%d_lent;", id, id, id);
  em_line(em, "/* right rows in arrival order chained by key hash (heads[hash & mask]: index + 1, 0 = none); left rows in arrival order */");
  em_line(em, "typedef struct n%d_close { n%d_rent *e; int64_t n, cap; uint32_t *heads; uint64_t mask, hcap; n%d_lent *l; int64_t nl, lcap; } n%d_close;",
          id, id, id, id);
  em_line(em, "/* [n%d] the hash of join key bytes (both sides serialize equal keys equally) */", id);
  em_open(em, "static uint64_t n%d_key_hash(const unsigned char *k, uint32_t n) {", id);
  em_line(em, "uint64_t h = UINT64_C(0x2545f4914f6cdd1d), w;");
  em_line(em, "uint32_t i = 0;");
  em_line(em, "for (; i + 8 <= n; i += 8) { rt_put_bytes(&w, k + i, 8); h = rt_hash_mix(h, w); }");
  em_line(em, "if (i < n) { w = 0; rt_put_bytes(&w, k + i, (int64_t)(n - i)); h = rt_hash_mix(h, w ^ n); }");
  em_line(em, "return h;");
  em_close(em, NULL);
  emit_same_key(em, id);
  em_line(em, "/* [n%d] grow a scratch array of n elements of `size` bytes to hold one more (by copying) */", id);
  em_open(em, "static void *n%d_grow(RtCtx *ctx, void *a, int64_t n, int64_t *cap, int64_t size) {", id);
  em_line(em, "if (n < *cap) return a;");
  em_line(em, "int64_t ncap = *cap ? 2 * *cap : 1024;");
  em_line(em, "if (ncap > INT64_C(0xfffffffe)) { rt->error(ctx, 0, \"n%d: more than 4294967294 rows of one side in one window\"); return 0; }", id);
  em_line(em, "void *na = rt->alloc(ctx, ncap * size);");
  em_line(em, "if (n) rt_put_bytes(na, a, n * size);");
  em_line(em, "*cap = ncap;");
  em_line(em, "return na;");
  em_close(em, NULL);
  em_open(em, "static int n%d_collect_r(RtCtx *ctx, void *arg, int64_t bucket, const void *key, uint32_t keylen, void *value) {", id);
  em_line(em, "n%d_close *c = (n%d_close *)arg;", id, id);
  em_line(em, "if (!(c->e = (n%d_rent *)n%d_grow(ctx, c->e, c->n, &c->cap, (int64_t)sizeof(n%d_rent)))) return -1;", id, id, id);
  em_line(em, "n%d_rent *e = &c->e[c->n++];", id);
  em_line(em, "e->v = (const n%d_rval *)value; e->key = (const unsigned char *)key;", id);
  em_line(em, "e->klen = e->key[0] ? 0 : n%d_klen_r(e->v, keylen);", id);
  em_line(em, "e->hash = n%d_key_hash(e->key, e->klen);", id);
  em_line(em, "e->next = 0; e->matched = 0;");
  em_line(em, "(void)bucket;");
  em_line(em, "return 0;");
  em_close(em, NULL);
  em_open(em, "static int n%d_collect_l(RtCtx *ctx, void *arg, int64_t bucket, const void *key, uint32_t keylen, void *value) {", id);
  em_line(em, "n%d_close *c = (n%d_close *)arg;", id, id);
  em_line(em, "if (!(c->l = (n%d_lent *)n%d_grow(ctx, c->l, c->nl, &c->lcap, (int64_t)sizeof(n%d_lent)))) return -1;", id, id, id);
  em_line(em, "n%d_lent *e = &c->l[c->nl++];", id);
  em_line(em, "e->v = (const n%d_lval *)value; e->key = (const unsigned char *)key;", id);
  em_line(em, "e->klen = e->key[0] ? 0 : n%d_klen_l(e->v, keylen);", id);
  em_line(em, "e->hash = n%d_key_hash(e->key, e->klen);", id);
  em_line(em, "(void)bucket;");
  em_line(em, "return 0;");
  em_close(em, NULL);
  em_line(em, "/* [n%d] chain the collected right rows by key hash; rows with a NULL key stay out (they never match) */", id);
  em_open(em, "static void n%d_index(RtCtx *ctx, n%d_close *c) {", id, id);
  em_line(em, "uint64_t size = 16;");
  em_line(em, "int64_t i;");
  em_line(em, "while (size < (uint64_t)c->n * 2) size *= 2;");
  em_open(em, "if (size > c->hcap) {   /* scratch: windows closing in one call reuse their arrays */");
  em_line(em, "c->heads = (uint32_t *)rt->alloc(ctx, (int64_t)(size * sizeof(uint32_t)));");
  em_line(em, "c->hcap = size;");
  em_close(em, NULL);
  em_line(em, "rt_zero(c->heads, (int64_t)(size * sizeof(uint32_t)));");
  em_line(em, "c->mask = size - 1;");
  em_open(em, "for (i = 0; i < c->n; i++) {");
  em_line(em, "if (i + 16 < c->n) rt_prefetch(&c->heads[c->e[i + 16].hash & c->mask]);");
  em_line(em, "if (c->e[i].key[0]) continue;");
  em_line(em, "uint32_t *head = &c->heads[c->e[i].hash & c->mask];");
  em_line(em, "c->e[i].next = *head;");
  em_line(em, "*head = (uint32_t)(i + 1);");
  em_close(em, NULL);
  em_close(em, NULL);
  em_line(em, "/* [n%d] probe with every left row: emit its pairs with the right rows of its key%s. Rows ahead", id,
          lp ? ", or the row padded with NULLs when there are none" : "");
  em_line(em, "** are prefetched in three steps (chain head at +16, first chain entry at +8, its key and value");
  em_line(em, "** at +4): at a million keys each step is a cache miss. */");
  em_open(em, "static int n%d_probe(RtCtx *ctx, n%d_close *c, int64_t bucket) {", id, id);
  em_line(em, "int64_t i, n = c->nl;");
  em_open(em, "for (i = 0; i < n; i++) {");
  em_line(em, "if (i + 16 < n) rt_prefetch(&c->heads[c->l[i + 16].hash & c->mask]);");
  em_line(em, "if (i + 8 < n) { uint32_t x8 = c->heads[c->l[i + 8].hash & c->mask]; if (x8) rt_prefetch(&c->e[x8 - 1]); }");
  em_open(em, "if (i + 4 < n) {");
  em_line(em, "uint32_t x4 = c->heads[c->l[i + 4].hash & c->mask];");
  em_line(em, "if (x4) { rt_prefetch(c->e[x4 - 1].key); rt_prefetch(c->e[x4 - 1].v); }");
  em_line(em, "rt_prefetch(c->l[i + 4].key); rt_prefetch(c->l[i + 4].v);");
  em_close(em, NULL);
  em_line(em, "const n%d_lent *le = &c->l[i];", id);
  em_line(em, "row_n%d_l l, r;", id);
  em_line(em, "row_n%d_r rr;", id);
  em_line(em, "int matched = 0, unpacked = 0;");
  em_open(em, "if (!le->key[0]) {   /* a NULL key never matches */");
  em_line(em, "uint32_t x;");
  em_open(em, "for (x = c->heads[le->hash & c->mask]; x; x = c->e[x - 1].next) {");
  em_line(em, "n%d_rent *re = &c->e[x - 1];", id);
  em_line(em, "if (re->hash != le->hash || re->klen != le->klen || !n%d_same_key(le->key, re->key, le->klen)) continue;", id);
  em_line(em, "if (!unpacked) { n%d_unpack_l(le->key, le->v, bucket, &l); unpacked = 1; }", id);
  em_line(em, "n%d_unpack_r(re->key, re->v, bucket, &rr);", id);
  em_line(em, "int ok = 0;");
  em_line(em, "if (n%d_match(ctx, &l, &rr, &ok)) return -1;", id);
  em_line(em, "if (!ok) continue;");
  em_line(em, "matched = re->matched = 1;");
  em_line(em, "if (n%d_pair(ctx, &l, &rr, 0, bucket - 1)) return -1;", id);
  em_close(em, NULL);
  em_close(em, NULL);
  if (lp) {
    em_open(em, "if (!matched) {");
    em_line(em, "if (!unpacked) n%d_unpack_l(le->key, le->v, bucket, &l);", id);
    em_line(em, "if (n%d_pair(ctx, &l, 0, 0, bucket - 1)) return -1;", id);
    em_close(em, NULL);
  }
  em_line(em, "(void)r; (void)matched;");
  em_close(em, NULL);
  em_line(em, "return 0;");
  em_close(em, NULL);
  em_line(em, "/* [n%d] the watermark reached window ends: join each closed window by hash, then free its rows */", id);
  em_open(em, "static int n%d_on_watermark(RtCtx *ctx, int64_t wm) {", id);
  em_line(em, "n%d_close c;   /* scratch arrays, reused by the windows that close in this call */", id);
  em_line(em, "c.e = 0; c.cap = 0; c.l = 0; c.lcap = 0; c.heads = 0; c.hcap = 0;");
  em_open(em, "for (;;) {");
  em_line(em, "int64_t b = rt->st_first_bucket(ctx, 0), b1 = rt->st_first_bucket(ctx, 1);");
  em_line(em, "if (b1 < b) b = b1;");
  em_line(em, "if (b == INT64_MAX || b > wm) break;");
  em_line(em, "c.n = 0; c.nl = 0;");
  em_line(em, "if (rt->st_visit_bucket(ctx, 1, b, n%d_collect_r, &c)) return -1;", id);
  em_line(em, "n%d_index(ctx, &c);", id);
  if (lp)
    em_line(em, "if (rt->st_visit_bucket(ctx, 0, b, n%d_collect_l, &c)) return -1;", id);
  else
    em_line(em, "if (c.n && rt->st_visit_bucket(ctx, 0, b, n%d_collect_l, &c)) return -1;   /* no right rows: no pairs */", id);
  em_line(em, "if (n%d_probe(ctx, &c, b)) return -1;", id);
  if (rp) {
    em_line(em, "int64_t i;");
    em_open(em, "for (i = 0; i < c.n; i++) {");
    em_line(em, "if (c.e[i].matched) continue;");
    em_line(em, "row_n%d_r rr;", id);
    em_line(em, "n%d_unpack_r(c.e[i].key, c.e[i].v, b, &rr);", id);
    em_line(em, "if (n%d_pair(ctx, 0, &rr, 0, b - 1)) return -1;", id);
    em_close(em, NULL);
  }
  em_line(em, "rt->st_drop_bucket(ctx, 0, b);");
  em_line(em, "rt->st_drop_bucket(ctx, 1, b);");
  em_close(em, NULL);
  em_line(em, "return 0;");
  em_close(em, NULL);
  em_line(em, "%s", "");
  (void)cx;
}

/* ---- updating join (and interval join) ------------------------------------------------ */

static void expr_cols(const BExpr *e, uint8_t *used, int n) {
  if (!e) return;
  if (e->kind == B_COL && e->colidx >= 0 && e->colidx < n) used[e->colidx] = 1;
  for (int i = 0; i < e->nargs; i++) expr_cols(e->args[i], used, n);
  expr_cols(e->else_, used, n);
  expr_cols(e->operand, used, n);
}

/* Columns (of a node with n output columns) read by its parent p and p's own consumers:
** projections and filters are looked into; an aggregate reads its keys, window column,
** arguments and FILTERs; a ROW_NUMBER (P_TOPN) its partition and ORDER BY expressions plus the
** input columns its own consumers read (it passes columns 0..n-1 through unchanged and breaks
** ties by arrival, never by the other columns' values); anything else reads every column. */
static void parent_uses(Cx *cx, const Plan *p, uint8_t *used, int n) {
  if (p->kind == P_PROJECT) {
    for (int i = 0; i < p->ncols; i++) expr_cols(p->exprs[i], used, n);
    return;
  }
  if (p->kind == P_FILTER && p->nparents > 0) {
    expr_cols(p->pred, used, n);
    for (int i = 0; i < p->nparents; i++) parent_uses(cx, p->parents[i], used, n);
    return;
  }
  if (p->kind == P_AGGREGATE) {
    for (int k = 0; k < p->nkeys; k++) expr_cols(p->exprs[k], used, n);
    if (p->win.kind == W_INPUT) expr_cols(p->winexpr, used, n);
    for (int i = 0; i < p->naggs; i++) {
      for (int j = 0; j < p->aggs[i].nargs; j++) expr_cols(p->aggs[i].args[j], used, n);
      expr_cols(p->aggs[i].filter, used, n);
    }
    return;
  }
  if (p->kind == P_TOPN && p->nparents > 0 && p->ncols == n + 1) {
    for (int k = 0; k < p->nkeys; k++) expr_cols(p->exprs[k], used, n);
    for (int k = 0; k < p->norder; k++) expr_cols(p->order[k], used, n);
    uint8_t *out = cx_alloc(cx, (size_t)p->ncols);   /* its output: our columns, then the number */
    memset(out, 0, (size_t)p->ncols);
    for (int i = 0; i < p->nparents; i++) parent_uses(cx, p->parents[i], out, p->ncols);
    for (int c = 0; c < n; c++) used[c] |= out[c];
    return;
  }
  for (int i = 0; i < n; i++) used[i] = 1;
}

static int restorable_from_key(SqlType t) {
  switch (t.kind) {
    case RT_BOOL: case RT_I32: case RT_U32: case RT_I64: case RT_U64: case RT_TIMESTAMP: return 1;
    default: return 0;
  }
}

static void join_pack(Gen *gen, Plan *J, int side, JoinPack *jp) {
  Cx *cx = gen->cx;
  Plan *ip = J->inputs[side];
  int nl = J->inputs[0]->ncols, nout = nl + J->inputs[1]->ncols, base = side ? nl : 0;
  uint8_t *used = cx_alloc(cx, (size_t)(nout ? nout : 1));
  for (int i = 0; i < nout; i++) used[i] = 0;
  for (int i = 0; i < J->nparents; i++) parent_uses(cx, J->parents[i], used, nout);
  if (!J->nparents) for (int i = 0; i < nout; i++) used[i] = 1;
  expr_cols(J->pred, used, nout);
  jp->stored = cx_alloc(cx, (size_t)(ip->ncols ? ip->ncols : 1));
  jp->keyoff = cx_alloc(cx, sizeof(int) * (size_t)(ip->ncols ? ip->ncols : 1));
  for (int c = 0; c < ip->ncols; c++) { jp->stored[c] = used[base + c]; jp->keyoff[c] = -1; }
  if (late_col(J, side) >= 0) jp->stored[late_col(J, side)] = 1;
  if (J->tbound && side != J->tside) { expr_cols(J->tlo, jp->stored, ip->ncols); expr_cols(J->thi, jp->stored, ip->ncols); }
  jp->wincol = -1;
  jp->width = window_from_bucket(J);
  if (jp->width) {
    jp->wincol = side ? J->rwin : J->lwin;
    jp->stored[jp->wincol] = 0;
  }
  /* key columns at fixed offsets (see emit_key): the values alone, or in a windowed join
  ** [knull] then per key [null flag][value] (window keys left out when the bucket implies
  ** them) */
  int flags = J->lwin >= 0;
  BExpr **keys = side ? J->rkeys : J->exprs;
  int ko = flags;
  for (int k = 0; k < J->nkeys; k++) {
    SqlType t = keys[k]->t;
    if (jp->width && t.kind == T_WINDOW) continue;
    if (type_is_stringy(t)) break;   /* later offsets depend on the string's length */
    ko += flags;
    int from_key = restorable_from_key(t) || (flags && t.kind == T_WINDOW);
    if (keys[k]->kind == B_COL && from_key && keys[k]->colidx >= 0 &&
        keys[k]->colidx < ip->ncols && ip->cols[keys[k]->colidx].t.kind == t.kind) {
      int c = keys[k]->colidx;
      jp->keyoff[c] = ko;
      jp->stored[c] = 0;
    }
    ko += t.kind == T_WINDOW ? 16 : fixed_size(t);
  }
  int n = 0, fixed = 0, strs = 0;
  for (int c = 0; c < ip->ncols; c++) {
    if (!jp->stored[c]) continue;
    n++;
    SqlType t = ip->cols[c].t;
    if (type_is_stringy(t)) { fixed += 4; strs++; }
    else fixed += t.kind == T_WINDOW ? 16 : fixed_size(t);
  }
  jp->nstored = n;
  jp->bitmap = n ? (n + 7) / 8 : 1;
  jp->tag = matched(J, side) ? 4 : 0;
  jp->fixed = jp->tag + jp->bitmap + fixed;
  /* the inline slot: the fixed part plus 64 bytes per string column (a guess at typical
  ** short strings; longer rows go to the rows 2.. object). Compact (updating joins): exactly
  ** that, at most 255 so that its length fits a byte, unless the fixed part alone is longer.
  ** Timed joins: at most 256, rounded so that the value (more 8, n 4, first_len 2, first) is a
  ** multiple of 8. Never over 4096. */
  int need = jp->fixed + 64 * strs;
  if (compact(J)) {
    if (need > 255) need = jp->fixed > 255 ? jp->fixed : 255;
    jp->cap = need > 4096 ? 4096 : need;
    jp->len_type = jp->cap <= 255 ? "uint8_t" : "uint16_t";
    return;
  }
  if (need > 256) need = jp->fixed > 256 ? jp->fixed : 256;
  if (need > 4096) need = 4096;
  jp->cap = ((14 + need + 7) / 8) * 8 - 14;
  jp->len_type = "uint16_t";
}

/* The columns of side's input that the join stage reads (need[c] = 1): those its parents and
** the residual read, the key expressions' columns, the time columns of interval and
** time-bounded joins and the window. cg_join_input ships the others as NULL, so the edge
** (which deep-copies strings) copies none of their bytes: Nexmark q7's bids carry url and
** channel, which the join never reads. */
static void join_reads(Gen *gen, Plan *J, int side, uint8_t *need) {
  Plan *ip = J->inputs[side];
  JoinPack jp;
  join_pack(gen, J, side, &jp);
  for (int c = 0; c < ip->ncols; c++) need[c] = jp.stored[c] || jp.keyoff[c] >= 0;
  BExpr **keys = side ? J->rkeys : J->exprs;
  for (int k = 0; k < J->nkeys; k++) expr_cols(keys[k], need, ip->ncols);
  int wc = side ? J->rwin : J->lwin;
  if (wc >= 0) need[wc] = 1;
}

/* The values of a key's entries: n<id>_<side>k in table `side`, in updating joins also
** n<id>_<side>m in table 2 + side (the rows 2..), and the key bytes' format (see cg_join_types),
** written into the types so that the layout hash covers it. */
static void emit_rows_type(Gen *gen, Plan *J, int side) {
  Cx *cx = gen->cx;
  Emitter *ty = &gen->types;
  JoinPack jp;
  join_pack(gen, J, side, &jp);
  const char *s = row_type(J, side);
  BExpr **keys = side ? J->rkeys : J->exprs;
  char *fmt = "";
  for (int k = 0; k < J->nkeys; k++)
    fmt = cx_printf(cx, "%s%s%s", fmt, k ? ", " : "", type_is_stringy(keys[k]->t) ? "u32 length + bytes" : type_c(keys[k]->t));
  em_line(ty, "/* [n%d] %s key bytes: the key values alone (%s); NULL keys are never stored */", J->id,
          side ? "right" : "left", fmt);
  if (compact(J)) {
    em_line(ty, "typedef struct n%d_%sk {   /* %s rows of one key: the first packed inline, the rest in n%d_%sm */",
            J->id, s, side ? "right" : "left", J->id, s);
    if (jp.cap <= 255) {
      em_line(ty, "  uint8_t more;         /* 1: rows 2.. are in table %d under the same key */", 2 + side);
      em_line(ty, "  uint8_t first_len;    /* bytes of the inline row; 0: none */");
    } else {
      em_line(ty, "  uint16_t first_len;   /* bytes of the inline row; 0: none */");
      em_line(ty, "  uint8_t more;         /* 1: rows 2.. are in table %d under the same key */", 2 + side);
    }
    if (jp.tag) em_line(ty, "  /* each packed row starts with a u32 match count */");
    em_line(ty, "  uint8_t first[%d];", jp.cap);
    em_line(ty, "} n%d_%sk;", J->id, s);
    em_line(ty, "typedef struct n%d_%sm {   /* %s rows 2.. of one key (table %d) */", J->id, s, side ? "right" : "left", 2 + side);
    em_line(ty, "  void *rows;           /* RtObj join rows (rt->jrows_*) in arrival order */");
    em_line(ty, "  uint32_t n;           /* how many */");
    em_line(ty, "  uint32_t pad_;");
    em_line(ty, "} n%d_%sm;", J->id, s);
    em_line(ty, "static uint64_t n%d_keyhash_%s(const void *key, uint32_t kl);", J->id, s);
    return;
  }
  em_line(&gen->types, "typedef struct n%d_%sk {   /* %s rows of one key, packed: the first inline, the rest in `more` */",
          J->id, s, side ? "right" : "left");
  em_line(&gen->types, "  void *more;          /* RtObj join rows (rt->jrows_*): rows 2.. in arrival order, or NULL */");
  em_line(&gen->types, "  uint32_t n;          /* live rows */");
  em_line(&gen->types, "  uint16_t first_len;  /* bytes of the inline row; 0: none */");
  if (jp.tag)
    em_line(&gen->types, "  /* each packed row starts with a u32 match count (a matched flag in timed joins) */");
  em_line(&gen->types, "  uint8_t first[%d];", jp.cap);
  em_line(&gen->types, "} n%d_%sk;", J->id, s);
}

/* Windowed join: the value of a buffered row, n<id>_<side>val (see the header): the stored
** columns of JoinPack (strings point into the entry's key copy: keyrefs) and the NULL flags of
** the nullable ones. Emits the type and the keyref offsets; returns how many keyrefs. */
static int emit_wval_type(Gen *gen, Plan *J, int side) {
  Cx *cx = gen->cx;
  Emitter *ty = &gen->types, *ds = &gen->descs;
  Plan *ip = J->inputs[side];
  const char *s = row_type(J, side);
  JoinPack jp;
  join_pack(gen, J, side, &jp);
  em_line(ty, "/* [n%d] a buffered %s row: what its key bytes do not hold (n%d_unpack_%s rebuilds the row; the", J->id,
          side ? "right" : "left", J->id, s);
  if (jp.wincol >= 0)
    em_line(ty, "** window is (bucket - %lld, bucket), and window keys are not in the key bytes) */", (long long)jp.width);
  else
    em_line(ty, "** window keys are in the key bytes) */");
  em_open(ty, "typedef struct n%d_%sval {", J->id, s);
  int nnull = 0;
  for (int c = 0; c < ip->ncols; c++)
    if (jp.stored[c]) {
      em_line(ty, "%s c%d;   /* %s */", type_c(ip->cols[c].t), c, c_comment(cx, ip->cols[c].name));
      if (ip->cols[c].nullable) nnull++;
    }
  if (nnull) {
    em_open(ty, "struct {");
    for (int c = 0; c < ip->ncols; c++) if (jp.stored[c] && ip->cols[c].nullable) em_line(ty, "uint8_t c%d;", c);
    em_close(ty, " _null;");
  }
  if (!jp.nstored) em_line(ty, "uint8_t none_;");
  em_close(ty, cx_printf(cx, " n%d_%sval;", J->id, s));
  int nref = 0;
  em_open(ds, "static const uint32_t n%d_%s_keyrefs[] = {", J->id, s);
  for (int c = 0; c < ip->ncols; c++)
    if (jp.stored[c] && type_is_stringy(ip->cols[c].t)) {
      em_line(ds, "(uint32_t)offsetof(n%d_%sval, c%d),", J->id, s, c);
      nref++;
    }
  if (!nref) em_line(ds, "0");
  em_close(ds, ";");
  return nref;
}

/* Windowed join helpers of one side:
**   n<id>_unpack_<s>(kb, v, bucket, r): the row of a buffered entry (key bytes kb, value v):
**     key columns from the key bytes (NULL flag included), the window from the bucket (or the
**     key bytes), stored ones from v, the others NULL;
**   n<id>_klen_<s>(v, keylen): the join key bytes of an entry with a non-NULL key (its key
**     is the join key bytes, the arrival sequence, then the stored strings' bytes). */
static void emit_wunpack(Gen *gen, Plan *J, int side) {
  Emitter *em = gen->em;
  Plan *ip = J->inputs[side];
  int id = J->id;
  const char *rt_ = row_type(J, side);
  JoinPack jp;
  join_pack(gen, J, side, &jp);
  em_open(em, "static void n%d_unpack_%s(const unsigned char *kb, const n%d_%sval *v, int64_t bucket, row_n%d_%s *r) {",
          id, rt_, id, rt_, id, rt_);
  em_line(em, "rt_zero(&r->h, (int64_t)sizeof r->h);");
  for (int c = 0; c < ip->ncols; c++) {
    SqlType t = ip->cols[c].t;
    int sz = t.kind == T_WINDOW ? 16 : fixed_size(t);
    if (c == jp.wincol)
      em_line(em, "r->_null.c%d = 0; r->c%d.start = bucket - INT64_C(%lld); r->c%d.end = bucket;   /* the window */", c, c,
              (long long)jp.width, c);
    else if (jp.keyoff[c] >= 0)
      em_line(em, "r->_null.c%d = kb[%d]; rt_put_bytes(&r->c%d, kb + %d, %d);   /* from the key */", c,
              jp.keyoff[c] - 1, c, jp.keyoff[c], sz);
    else if (jp.stored[c])
      em_line(em, "r->c%d = v->c%d; r->_null.c%d = %s;", c, c, c, ip->cols[c].nullable ? cx_printf(gen->cx, "v->_null.c%d", c) : "0");
    else
      em_line(em, "r->_null.c%d = 1; rt_zero(&r->c%d, (int64_t)sizeof r->c%d);   /* not kept */", c, c, c);
  }
  em_line(em, "(void)kb; (void)v; (void)bucket;");
  em_close(em, NULL);
  em_open(em, "static uint32_t n%d_klen_%s(const n%d_%sval *v, uint32_t keylen) {", id, rt_, id, rt_);
  em_line(em, "uint32_t n = keylen - 8;");
  for (int c = 0; c < ip->ncols; c++)
    if (jp.stored[c] && type_is_stringy(ip->cols[c].t)) em_line(em, "n -= (uint32_t)v->c%d.len;", c);
  em_line(em, "(void)v;");
  em_line(em, "return n;");
  em_close(em, NULL);
}

/* The value of a logged row's entry: n<id>_<side>log (see the header). */
static void emit_log_type(Gen *gen, Plan *J, int side) {
  const char *s = row_type(J, side);
  em_line(&gen->types, "typedef struct n%d_%slog {   /* one %s row of the log; entry key: [join key][u64 arrival seq][packed row] */",
          J->id, s, side ? "right" : "left");
  em_line(&gen->types, "  uint64_t hash;       /* the join key's hash (the row's routing hash) */");
  em_line(&gen->types, "  uint32_t klen;       /* bytes of the join key at the start of the entry key */");
  em_line(&gen->types, "  uint32_t pad_;");
  em_line(&gen->types, "} n%d_%slog;", J->id, s);
}

/* n<id>_keyhash_<side>(key, kl): the routing hash (cg_join_input's) of stored key bytes, for
** the compact tables of updating joins. */
static void emit_keyhash_fn(Gen *gen, Plan *J, int side) {
  Cx *cx = gen->cx;
  Emitter *em = gen->em;
  BExpr **keys = side ? J->rkeys : J->exprs;
  em_line(em, "/* [n%d] the hash that routed a %s row, from its stored key bytes (the same steps as the", J->id, side ? "right" : "left");
  em_line(em, "** shuffle's; the state table compares them on inserts) */");
  em_open(em, "static uint64_t n%d_keyhash_%s(const void *key, uint32_t kl) {", J->id, row_type(J, side));
  em_line(em, "const unsigned char *kb = (const unsigned char *)key;");
  em_line(em, "uint32_t ko = 0;");
  em_line(em, "uint64_t h = UINT64_C(0x2545f4914f6cdd1d);");
  for (int k = 0; k < J->nkeys; k++) {
    SqlType t = keys[k]->t;
    CgVal v = { cx_printf(cx, "k%d", k), "0" };
    if (type_is_stringy(t)) {
      em_line(em, "RtStr k%d; { uint32_t len; rt_put_bytes(&len, kb + ko, 4); ko += 4; k%d.ptr = (const char *)kb + ko; k%d.len = len; ko += len; }",
              k, k, k);
    } else {
      int sz = t.kind == T_WINDOW ? 16 : fixed_size(t);
      em_line(em, "%s k%d; rt_put_bytes(&k%d, kb + ko, %d); ko += %d;", t.kind == T_WINDOW ? "RtWindow" : type_c(t), k, k, sz, sz);
    }
    hash_key(em, cx, "h", t, v);
  }
  em_line(em, "(void)kl; (void)kb; (void)ko;");
  em_line(em, "return h;");
  em_close(em, NULL);
}

/* n<id>_packsize_<s>(r), n<id>_pack_<s>(r, p) -> bytes, n<id>_unpack_<s>(p, kb, r) */
static void emit_pack_fns(Gen *gen, Plan *J, int side) {
  Emitter *em = gen->em;
  Plan *ip = J->inputs[side];
  int id = J->id;
  const char *rt_ = row_type(J, side);
  JoinPack jp;
  join_pack(gen, J, side, &jp);
  em_line(em, "/* [n%d] %s rows packed: %s[null bitmap %d] then the stored columns (", id, side ? "right" : "left",
          jp.tag ? "[u32 matches] " : "", jp.bitmap);
  {
    char *cols = "";
    for (int c = 0; c < ip->ncols; c++)
      if (jp.stored[c]) cols = cx_printf(gen->cx, "%s%s%s", cols, *cols ? ", " : "", c_comment(gen->cx, ip->cols[c].name));
    em_line(em, "** %s); key columns come from the key bytes, the others are not kept */", *cols ? cols : "none");
  }
  em_open(em, "static uint32_t n%d_packsize_%s(const row_n%d_%s *r) {", id, rt_, id, rt_);
  em_line(em, "uint32_t n = %d;", jp.fixed);
  for (int c = 0; c < ip->ncols; c++)
    if (jp.stored[c] && type_is_stringy(ip->cols[c].t)) em_line(em, "if (!r->_null.c%d) n += (uint32_t)r->c%d.len;", c, c);
  em_line(em, "(void)r;");
  em_line(em, "return n;");
  em_close(em, NULL);
  em_open(em, "static uint32_t n%d_pack_%s(const row_n%d_%s *r, unsigned char *p) {", id, rt_, id, rt_);
  em_line(em, "uint32_t o = %d;", jp.tag + jp.bitmap);
  em_line(em, "rt_zero(p, %d);%s", jp.tag + jp.bitmap, jp.tag ? "   /* the match count starts at 0 */" : "");
  int bit = 0;
  for (int c = 0; c < ip->ncols; c++) {
    if (!jp.stored[c]) continue;
    SqlType t = ip->cols[c].t;
    em_line(em, "if (r->_null.c%d) p[%d] |= %d;", c, jp.tag + (bit >> 3), 1 << (bit & 7));
    if (type_is_stringy(t)) {
      em_line(em, "{ uint32_t len = r->_null.c%d ? 0 : (uint32_t)r->c%d.len; rt_put_bytes(p + o, &len, 4); o += 4;", c, c);
      em_line(em, "  rt_put_bytes(p + o, r->c%d.ptr, len); o += len; }", c);
    } else {
      int sz = t.kind == T_WINDOW ? 16 : fixed_size(t);
      em_line(em, "if (r->_null.c%d) rt_zero(p + o, %d); else rt_put_bytes(p + o, &r->c%d, %d);", c, sz, c, sz);
      em_line(em, "o += %d;", sz);
    }
    bit++;
  }
  em_line(em, "return o;");
  em_close(em, NULL);
  em_open(em, "static void n%d_unpack_%s(const unsigned char *p, const unsigned char *kb, row_n%d_%s *r) {", id, rt_, id, rt_);
  em_line(em, "uint32_t o = %d;", jp.tag + jp.bitmap);
  em_line(em, "r->h.ts = 0; r->h.hash = 0; r->h.retract = 0;");
  bit = 0;
  for (int c = 0; c < ip->ncols; c++) {
    SqlType t = ip->cols[c].t;
    int sz = t.kind == T_WINDOW ? 16 : fixed_size(t);
    if (jp.keyoff[c] >= 0) {
      em_line(em, "r->_null.c%d = 0; rt_put_bytes(&r->c%d, kb + %d, %d);   /* from the key */", c, c, jp.keyoff[c], sz);
      continue;
    }
    if (!jp.stored[c]) {
      em_line(em, "r->_null.c%d = 1; rt_zero(&r->c%d, (int64_t)sizeof r->c%d);   /* not kept */", c, c, c);
      continue;
    }
    em_line(em, "r->_null.c%d = (uint8_t)((p[%d] >> %d) & 1);", c, jp.tag + (bit >> 3), bit & 7);
    if (type_is_stringy(t))
      em_line(em, "{ uint32_t len; rt_put_bytes(&len, p + o, 4); o += 4; r->c%d.ptr = (const char *)p + o; r->c%d.len = len; o += len; }", c, c);
    else
      em_line(em, "rt_put_bytes(&r->c%d, p + o, %d); o += %d;", c, sz, sz);
    bit++;
  }
  em_line(em, "(void)p; (void)kb; (void)o;");
  em_close(em, NULL);
}

/* Time-bounded join, in a row's apply loop: `int64_t bucket`, the expiry bucket of the row `r`
** of `side` (see the header); a row whose bounds are NULL matches nothing and is skipped
** (after `pad_now`, which emits it padded when its side is preserved). */
static void emit_tbound_expiry(Gen *gen, Plan *J, int side, const char *pad_now) {
  Cx *cx = gen->cx;
  Emitter *em = gen->em;
  Plan *ip = J->inputs[side];
  int id = J->id;
  if (side == J->tside) {
    if (J->tlo_etcol >= 0)
      em_line(em, "int64_t bucket = n%d_bucket(t - INT64_C(%lld), r->h.ts);   /* new partners have %s >= watermark %+lld ns */",
              id, (long long)J->tlo_off, c_comment(cx, bexpr_text(cx, J->tlo)), (long long)J->tlo_off);
    else
      em_line(em, "int64_t bucket = INT64_MAX - 1;   /* the lower bound is no event time: kept until the TTL */");
    return;
  }
  CgVal *in = cx_alloc(cx, sizeof(CgVal) * (size_t)(ip->ncols ? ip->ncols : 1));
  for (int c = 0; c < ip->ncols; c++) {
    in[c].v = cx_printf(cx, "r->c%d", c);
    in[c].n = ip->cols[c].nullable ? cx_printf(cx, "r->_null.c%d", c) : "0";
  }
  Cg g = { cx, em, id, gen->tmp, "r->h" };
  em_line(em, "/* the bounds this row sets on the other side's time: [%s, %s] */", c_comment(cx, bexpr_text(cx, J->tlo)),
          c_comment(cx, bexpr_text(cx, J->thi)));
  CgVal lo = cg_expr(&g, J->tlo, in);
  if (strcmp(lo.n, "0")) em_line(em, "if (%s) { %scontinue; }   /* NULL bound: matches nothing */", lo.n, pad_now);
  CgVal hi = cg_expr(&g, J->thi, in);
  if (strcmp(hi.n, "0")) em_line(em, "if (%s) { %scontinue; }   /* NULL bound: matches nothing */", hi.n, pad_now);
  gen->tmp = g.tmp;
  em_line(em, "int64_t bucket = n%d_bucket(%s, r->h.ts);   /* new partners have time >= watermark */", id, hi.v);
}

/* An interval join with a logged side: n<id>_meet_<log side>, called for each entry of the log
** while a row of the sparse side scans it (n<id>_scan: that row and its key), emits the pair
** when the keys are equal (hash first) and the residual holds. */
static void emit_log_scan(Gen *gen, Plan *J) {
  Emitter *em = gen->em;
  int id = J->id, ls = J->logside;
  const char *lg = row_type(J, ls), *sp = row_type(J, !ls);
  em_line(em, "/* [n%d] a %s row scanning the %s log: the row, its key bytes and key hash */", id,
          ls ? "left" : "right", ls ? "right" : "left");
  em_line(em, "typedef struct n%d_scan { const row_n%d_%s *r; const unsigned char *kb; uint32_t kl; uint64_t hash; } n%d_scan;",
          id, id, sp, id);
  emit_same_key(em, id);
  em_line(em, "/* [n%d] one %s row of the log meets the scanning row: a pair if the keys are equal and the residual holds */",
          id, ls ? "right" : "left");
  em_open(em, "static int n%d_meet_%s(RtCtx *ctx, void *arg, int64_t bucket, const void *key, uint32_t keylen, void *value) {", id, lg);
  em_line(em, "const n%d_scan *s = (const n%d_scan *)arg;", id, id);
  em_line(em, "const n%d_%slog *v = (const n%d_%slog *)value;", id, lg, id, lg);
  em_line(em, "const unsigned char *k = (const unsigned char *)key;");
  em_line(em, "if (v->hash != s->hash || v->klen != s->kl || !n%d_same_key(k, s->kb, s->kl)) return 0;", id);
  em_line(em, "row_n%d_%s o;", id, lg);
  em_line(em, "n%d_unpack_%s(k + v->klen + 8, k, &o);   /* the packed row follows the key and the seq */", id, lg);
  em_line(em, "int ok = 0;");
  em_line(em, "if (n%d_match(ctx, %s, %s, &ok)) return -1;", id, ls ? "s->r" : "&o", ls ? "&o" : "s->r");
  em_line(em, "if (!ok) return 0;");
  em_line(em, "(void)bucket; (void)keylen;");
  em_line(em, "return n%d_pair(ctx, %s, %s, 0, s->r->h.ts) ? -1 : 0;", id, ls ? "s->r" : "&o", ls ? "&o" : "s->r");
  em_close(em, NULL);
}

/* The rest of n<id>_apply_<side>'s loop body for an interval join with a logged side, after
** the key (kb, kl) is known and not NULL; closes the loop and the function. The inputs are
** append-only and the join INNER: nothing is retracted or padded. The dense side appends the
** row to the log and probes the sparse side's rows of its key in every live bucket; the sparse
** side stores the row by key, then scans the log (n<id>_meet_<log side>). */
static void emit_logged_apply_rest(Gen *gen, Plan *J, int side) {
  Emitter *em = gen->em;
  int id = J->id;
  const char *me = row_type(J, side), *ot = row_type(J, !side);
  if (logged(J, side)) {
    /* packed straight into the entry key */
    em_line(em, "int64_t seq = rt->next_seq(ctx);   /* makes the entry key unique: a restore indexes it */");
    em_line(em, "uint32_t pn = n%d_packsize_%s(r);", id, me);
    em_line(em, "void *ek = 0;");
    em_line(em, "n%d_%slog *mine = (n%d_%slog *)rt->st_append(ctx, %d, n%d_bucket_%s(t), rt_hash_unique(r->h.hash, seq), 0, kl + 8 + pn, &ek);",
            id, me, id, me, side, id, me);
    em_line(em, "if (!mine) return -1;");
    em_line(em, "rt_put_bytes(ek, kb, kl);");
    em_line(em, "rt_put_bytes((unsigned char *)ek + kl, &seq, 8);");
    em_line(em, "n%d_pack_%s(r, (unsigned char *)ek + kl + 8);", id, me);
    em_line(em, "mine->hash = r->h.hash;");
    em_line(em, "mine->klen = kl;");
    em_line(em, "int64_t ob;");
    em_open(em, "for (ob = rt->st_first_bucket(ctx, %d); ob != INT64_MAX; ob = rt->st_next_bucket(ctx, %d, ob)) {", !side, !side);
    em_line(em, "n%d_%sk *other = (n%d_%sk *)rt->st_get(ctx, %d, ob, r->h.hash, kb, kl, 0, 0, 0);", id, ot, id, ot, !side);
    em_line(em, "if (!other) continue;");
    em_line(em, "uint32_t pos = 0, len = other->first_len;");
    em_line(em, "const unsigned char *op = len ? other->first : rt->jrows_next(other->more, &pos, &len);");
    em_open(em, "for (; op; op = rt->jrows_next(other->more, &pos, &len)) {");
    em_line(em, "row_n%d_%s o;", id, ot);
    em_line(em, "n%d_unpack_%s(op, kb, &o);", id, ot);
    em_line(em, "int ok = 0;");
    em_line(em, "if (n%d_match(ctx, %s, %s, &ok)) return -1;", id, side ? "&o" : "r", side ? "r" : "&o");
    em_line(em, "if (!ok) continue;");
    em_line(em, "if (n%d_pair(ctx, %s, %s, 0, r->h.ts)) return -1;", id, side ? "&o" : "r", side ? "r" : "&o");
    em_close(em, NULL);
    em_close(em, NULL);
  } else {
    JoinPack jp;
    join_pack(gen, J, side, &jp);
    em_line(em, "unsigned char pbuf[256];");
    em_line(em, "uint32_t pn = n%d_packsize_%s(r);", id, me);
    em_line(em, "unsigned char *pk = pn <= sizeof pbuf ? pbuf : (unsigned char *)rt->alloc(ctx, pn);");
    em_line(em, "n%d_pack_%s(r, pk);", id, me);
    em_line(em, "n%d_%sk *mine = (n%d_%sk *)rt->st_get(ctx, %d, n%d_bucket_%s(t), r->h.hash, kb, kl, 1, 0, 0);",
            id, me, id, me, side, id, me);
    em_line(em, "if (!mine) return -1;");
    em_line(em, "if (!mine->first_len && !mine->more && pn <= %d) { rt_put_bytes(mine->first, pk, pn); mine->first_len = (uint16_t)pn; }", jp.cap);
    em_line(em, "else if (rt->jrows_add(ctx, &mine->more, pk, pn)) return -1;");
    em_line(em, "mine->n++;");
    em_line(em, "n%d_scan sc;", id);
    em_line(em, "sc.r = r; sc.kb = kb; sc.kl = kl; sc.hash = r->h.hash;");
    em_line(em, "int64_t ob;");
    em_line(em, "for (ob = rt->st_first_bucket(ctx, %d); ob != INT64_MAX; ob = rt->st_next_bucket(ctx, %d, ob))", !side, !side);
    em_line(em, "  if (rt->st_visit_bucket(ctx, %d, ob, n%d_meet_%s, &sc)) return -1;", !side, id, ot);
  }
  em_line(em, "(void)retract;");
  em_close(em, NULL);
  em_line(em, "if (late) rt->count_late(ctx, late);");
  em_line(em, "return 0;");
  em_close(em, NULL);
}

static void updating_stage(Gen *gen, Plan *J) {
  Cx *cx = gen->cx;
  Emitter *em = gen->em;
  int id = J->id;
  StageGen *st = &gen->stages[J->stage];
  emit_pair_fns(gen, J);
  emit_pack_fns(gen, J, 0);
  emit_pack_fns(gen, J, 1);
  if (compact(J)) { emit_keyhash_fn(gen, J, 0); emit_keyhash_fn(gen, J, 1); }
  /* interval join: a row can meet partners until the watermark passes t + until; it is kept
  ** in the bucket ending after that time, buckets `width` ns wide, dropped whole */
  int64_t span = J->ihi - J->ilo, width = span / 8;
  if (width < INT64_C(1000000000)) width = INT64_C(1000000000);
  if (J->interval)
    for (int side = 0; side < 2; side++) {
      long long until = side ? -(long long)J->ilo : (long long)J->ihi;
      em_line(em, "/* [n%d] the bucket of a %s row at time t: the end of the %lld ns slot holding t + %lld, the time",
              id, side ? "right" : "left", (long long)width, until);
      em_line(em, "** after which it cannot meet a new partner (capped below INT64_MAX, which means no bucket) */");
      em_open(em, "static int64_t n%d_bucket_%s(int64_t t) {", id, row_type(J, side));
      em_line(em, "int64_t e = t > INT64_MAX - INT64_C(%lld) - INT64_C(%lld) ? INT64_MAX - INT64_C(%lld) - INT64_C(%lld) : t;",
              until > 0 ? until : 0LL, (long long)width, until > 0 ? until : 0LL, (long long)width);
      em_line(em, "return rt_floor_div(e + INT64_C(%lld), INT64_C(%lld)) * INT64_C(%lld) + INT64_C(%lld);", until,
              (long long)width, (long long)width, (long long)width);
      em_close(em, NULL);
    }
  if (J->tbound) {
    em_line(em, "/* [n%d] the bucket of a row that can meet new partners until the watermark passes e (its", id);
    em_line(em, "** event time `now`): the end of the slot holding e; slots 1 s wide, or for rows reaching more");
    em_line(em, "** than 8 s ahead the smallest power-of-two multiple of 1 s that is at least an eighth of the");
    em_line(em, "** reach, so a row outlives its reach by at most max(1 s, reach / 4) and few buckets are live");
    em_line(em, "** (e is capped far below INT64_MAX, which means no bucket) */");
    em_open(em, "static int64_t n%d_bucket(int64_t e, int64_t now) {", id);
    em_line(em, "int64_t w = INT64_C(1000000000);");
    em_line(em, "if (e > INT64_C(0x3fffffffffffffff)) e = INT64_C(0x3fffffffffffffff);");
    em_line(em, "if (now < -INT64_C(0x3fffffffffffffff)) now = -INT64_C(0x3fffffffffffffff);");
    em_line(em, "while (w < (INT64_C(1) << 58) && e > now && (e - now) / 8 > w) w *= 2;");
    em_line(em, "return rt_floor_div(e, w) * w + w;");
    em_close(em, NULL);
  }
  if (logged(J, 0) || logged(J, 1)) emit_log_scan(gen, J);
  for (int side = 0; side < 2; side++) {
    const char *me = row_type(J, side), *ot = row_type(J, !side);
    int mine_preserved = preserved(J, side), other_preserved = preserved(J, !side);
    int with_log = logged(J, 0) || logged(J, 1);
    JoinPack jp;
    join_pack(gen, J, side, &jp);
    gen->tmp = 0;
    if (logged(J, side))
      em_line(em, "/* [n%d] a batch of %s rows: append each to the log, and emit its pairs with the %s rows */", id,
              side ? "right" : "left", side ? "left" : "right");
    else
      em_line(em, "/* [n%d] a batch of %s rows: store or forget each, and emit or retract its pairs */", id,
              side ? "right" : "left");
    em_open(em, "static int n%d_apply_%s(RtCtx *ctx, const RtBatch *batch) {", id, me);
    em_line(em, "const row_n%d_%s *rows = (const row_n%d_%s *)batch->rows;", id, me, id, me);
    em_line(em, "int64_t i;");
    if (timed(J)) em_line(em, "int64_t late = 0, wm = rt->current_watermark(ctx);   /* rows behind it are late */");
    /* a preserved row that can never pair (no time, a NULL bound, late) goes out padded at once */
    const char *pad_now = !mine_preserved ? ""
                          : side ? cx_printf(cx, "if (n%d_pair(ctx, 0, r, 0, r->h.ts)) return -1; ", id)
                                 : cx_printf(cx, "if (n%d_pair(ctx, r, 0, 0, r->h.ts)) return -1; ", id);
    const char *pad_me = side ? cx_printf(cx, "n%d_pair(ctx, 0, r, %%s, r->h.ts)", id)
                              : cx_printf(cx, "n%d_pair(ctx, r, 0, %%s, r->h.ts)", id);
    const char *pad_o = side ? cx_printf(cx, "n%d_pair(ctx, &o, 0, %%s, r->h.ts)", id)
                             : cx_printf(cx, "n%d_pair(ctx, 0, &o, %%s, r->h.ts)", id);
    int counts_other = matched(J, !side) && !timed(J);   /* o's stored match count changes */
    em_open(em, "for (i = 0; i < batch->n; i++) {");
    em_line(em, "const row_n%d_%s *r = &rows[i];", id, me);
    em_line(em, "int retract = r->h.retract;");
    int tc = late_col(J, side);
    if (tc >= 0) {
      em_line(em, "if (r->_null.c%d) { %scontinue; }   /* no time: matches nothing */", tc, pad_now);
      em_line(em, "int64_t t = r->c%d;   /* the row's event time */", tc);
      if (mine_preserved)
        em_line(em, "if (t < wm) { %scontinue; }   /* late: not joined (partners may be gone), padded at once */", pad_now);
      else
        em_line(em, "if (t < wm) { late++; continue; }   /* partners may already be gone */");
    }
    if (J->tbound) emit_tbound_expiry(gen, J, side, pad_now);
    emit_key(gen, J, side, 0);
    em_open(em, "if (knull) {   /* a NULL key never matches */");
    if (mine_preserved) em_line(em, "if (%s) return -1;", cx_printf(cx, pad_me, "retract"));
    em_line(em, "continue;");
    em_close(em, NULL);
    em_line(em, "kl = ko;");
    if (with_log) {
      emit_logged_apply_rest(gen, J, side);
      continue;
    }
    em_line(em, "unsigned char pbuf[256];");
    em_line(em, "uint32_t pn = n%d_packsize_%s(r);", id, me);
    em_line(em, "unsigned char *pk = pn <= sizeof pbuf ? pbuf : (unsigned char *)rt->alloc(ctx, pn);");
    em_line(em, "n%d_pack_%s(r, pk);", id, me);
    if (J->interval) {
      /* append-only inputs: meet the other side's rows of this key in every live bucket, then
      ** store the row in its expiry bucket */
      em_line(em, "int created = 0;");
      em_line(em, "n%d_%sk *mine = (n%d_%sk *)rt->st_get(ctx, %d, n%d_bucket_%s(t), r->h.hash, kb, kl, 1, &created, 0);",
              id, me, id, me, side, id, me);
      em_line(em, "if (!mine) return -1;");
    } else if (J->tbound) {
      em_line(em, "int created = 0;");
      em_line(em, "n%d_%sk *mine = (n%d_%sk *)rt->st_get(ctx, %d, bucket, r->h.hash, kb, kl, 1, &created, 0);",
              id, me, id, me, side);
      em_line(em, "if (!mine) return -1;");
    } else {
      em_line(em, "int created = 0;");
      em_line(em, "n%d_%sk *mine = (n%d_%sk *)rt->st_get(ctx, %d, 0, r->h.hash, kb, kl, !retract, &created, 0);",
              id, me, id, me, side);
      em_line(em, "if (!mine) { if (!retract) return -1; continue; }   /* an error, or the retraction of a row we do not have */");
    }
    /* the key's rows 2..: mrows points at their RtObj (NULL: none); in compact tables that is in
    ** table 2 + side, looked up whenever the key is (so both entries keep the same ttl stamp) */
    const char *nmine = "mine->n", *dec = "", *len_t = jp.len_type;
    if (compact(J)) {
      em_line(em, "n%d_%sm *mm = mine->more ? (n%d_%sm *)rt->st_get(ctx, %d, 0, r->h.hash, kb, kl, 0, 0, 0) : 0;",
              id, me, id, me, 2 + side);
      em_line(em, "void *mnone = 0, **mrows = mm ? &mm->rows : &mnone;");
      nmine = "((mine->first_len ? 1u : 0u) + (mm ? mm->n : 0u))";
      dec = " mm->n--;";
    } else {
      em_line(em, "void **mrows = &mine->more;");
    }
    /* a retraction takes its row out first; an insertion is stored after meeting the other side
    ** (its match count is known then) */
    if (jp.tag) em_line(em, "uint32_t mine_matches = 0;   /* the retracted row's partners; 0: its padded row is out */");
    em_open(em, "if (retract) {");
    if (jp.tag) {
      /* rows equal but for the match prefix are interchangeable (equal rows have equal counts) */
      em_line(em, "int found = 0;");
      em_open(em, "if (mine->first_len == pn && rt_str_eq(rt_str((const char *)mine->first + 4, pn - 4), rt_str((const char *)pk + 4, pn - 4))) {");
      em_line(em, "uint32_t fl = 0;");
      em_line(em, "found = 1;");
      em_line(em, "rt_put_bytes(&mine_matches, mine->first, 4);");
      em_line(em, "mine->first_len = 0;   /* the next row moves inline, if it fits */");
      em_line(em, "if (*mrows && rt->jrows_take_first(ctx, mrows, mine->first, %d, &fl)) { mine->first_len = (%s)fl;%s }", jp.cap, len_t, dec);
      em_close(em, NULL);
      em_open(em, "else if (*mrows) {   /* find an equal row, then remove exactly its bytes */");
      em_line(em, "uint32_t mpos = 0, mlen = 0;");
      em_line(em, "const unsigned char *mp;");
      em_line(em, "for (mp = rt->jrows_next(*mrows, &mpos, &mlen); mp; mp = rt->jrows_next(*mrows, &mpos, &mlen))");
      em_line(em, "  if (mlen == pn && rt_str_eq(rt_str((const char *)mp + 4, pn - 4), rt_str((const char *)pk + 4, pn - 4))) break;");
      em_line(em, "if (mp) { rt_put_bytes(pk, mp, 4); rt_put_bytes(&mine_matches, mp, 4); found = rt->jrows_remove(ctx, mrows, pk, pn);%s }",
              compact(J) ? " if (found) mm->n--;" : "");
      em_close(em, NULL);
    } else {
      em_line(em, "int found = *mrows ? rt->jrows_remove(ctx, mrows, pk, pn) : 0;");
      if (compact(J)) em_line(em, "if (found) mm->n--;");
      em_open(em, "if (!found && mine->first_len == pn && rt_str_eq(rt_str((const char *)mine->first, pn), rt_str((const char *)pk, pn))) {");
      em_line(em, "uint32_t fl = 0;");
      em_line(em, "found = 1;");
      em_line(em, "mine->first_len = 0;   /* the next row moves inline, if it fits */");
      em_line(em, "if (*mrows && rt->jrows_take_first(ctx, mrows, mine->first, %d, &fl)) { mine->first_len = (%s)fl;%s }", jp.cap, len_t, dec);
      em_close(em, NULL);
    }
    em_line(em, "if (!found) continue;   /* never seen: nothing to take back */");
    if (compact(J))
      em_line(em, "if (mm && mm->n == 0) { rt->st_remove(ctx, %d, 0, r->h.hash, kb, kl); mm = 0; mine->more = 0; mrows = &mnone; }", 2 + side);
    else
      em_line(em, "mine->n--;");
    em_close(em, NULL);
    /* pairs with the other side's rows */
    em_line(em, "int64_t matches = 0;   /* rows of the other side that pair with r */");
    if (timed(J)) {
      em_line(em, "int64_t ob;");
      em_open(em, "for (ob = rt->st_first_bucket(ctx, %d); ob != INT64_MAX; ob = rt->st_next_bucket(ctx, %d, ob)) {", !side, !side);
      em_line(em, "n%d_%sk *other = (n%d_%sk *)rt->st_get(ctx, %d, ob, r->h.hash, kb, kl, 0, 0, 0);", id, ot, id, ot, !side);
    } else {
      em_line(em, "n%d_%sk *other = (n%d_%sk *)rt->st_get(ctx, %d, 0, r->h.hash, kb, kl, 0, 0, 0);", id, ot, id, ot, !side);
      em_line(em, "n%d_%sm *om_ = other && other->more ? (n%d_%sm *)rt->st_get(ctx, %d, 0, r->h.hash, kb, kl, 0, 0, 0) : 0;",
              id, ot, id, ot, 2 + !side);
      em_line(em, "int64_t nother = other ? (other->first_len ? 1 : 0) + (om_ ? (int64_t)om_->n : 0) : 0;");
    }
    em_open(em, "if (other) {");
    em_line(em, "const void *orows = %s;   /* the key's rows 2.. on the other side */", compact(J) ? "om_ ? om_->rows : 0" : "other->more");
    em_line(em, "uint32_t pos = 0, len = other->first_len;");
    em_line(em, "const unsigned char *op = len ? other->first : rt->jrows_next(orows, &pos, &len);");
    em_open(em, "for (; op; op = rt->jrows_next(orows, &pos, &len)) {");
    em_line(em, "row_n%d_%s o;", id, ot);
    em_line(em, "n%d_unpack_%s(op, kb, &o);", id, ot);
    em_line(em, "int ok = 0;");
    em_line(em, "if (n%d_match(ctx, %s, %s, &ok)) return -1;", id, side ? "&o" : "r", side ? "r" : "&o");
    em_line(em, "if (!ok) continue;");
    em_line(em, "matches++;");
    if (matched(J, !side) && timed(J)) {
      em_line(em, "{ uint32_t om; rt_put_bytes(&om, op, 4); if (!om) { om = 1; rt_put_bytes((unsigned char *)op, &om, 4); } }   /* o paired: never padded */");
    } else if (counts_other) {
      /* o was padded while it had no partner: its first partner arrives / its last leaves */
      em_line(em, "uint32_t om;   /* o's partners among this side's stored rows */");
      em_line(em, "int o_unpadded = 0, o_padded = 0;");
      em_line(em, "rt_put_bytes(&om, op, 4);");
      em_line(em, "if (!retract) { o_unpadded = om == 0; om++; } else if (om) { om--; o_padded = om == 0; }");
      em_line(em, "rt_put_bytes((unsigned char *)op, &om, 4);");
      em_line(em, "if (o_unpadded && %s) return -1;   /* no longer unmatched */", cx_printf(cx, pad_o, "1"));
    } else if (other_preserved) {
      /* no residual: every row of the key pairs, so "unmatched" is "no rows on this side" */
      em_line(em, "if (!retract && %s == 0 && %s) return -1;   /* no longer unmatched */", nmine, cx_printf(cx, pad_o, "1"));
    }
    em_line(em, "if (%s) return -1;", side ? cx_printf(cx, "n%d_pair(ctx, &o, r, retract, r->h.ts)", id)
                                          : cx_printf(cx, "n%d_pair(ctx, r, &o, retract, r->h.ts)", id));
    if (counts_other)
      em_line(em, "if (o_padded && %s) return -1;   /* unmatched again */", cx_printf(cx, pad_o, "0"));
    else if (other_preserved && !timed(J))
      em_line(em, "if (retract && %s == 0 && %s) return -1;   /* unmatched again */", nmine, cx_printf(cx, pad_o, "0"));
    em_close(em, NULL);
    em_close(em, NULL);
    if (timed(J)) em_close(em, NULL);
    if (mine_preserved) {
      if (jp.tag && timed(J)) {
        em_line(em, "if (matches) { uint32_t m = 1; rt_put_bytes(pk, &m, 4); }   /* paired: never padded */");
      } else if (jp.tag) {
        em_line(em, "if (!retract && matches == 0 && %s) return -1;   /* no partner: padded */", cx_printf(cx, pad_me, "0"));
        em_line(em, "if (retract && mine_matches == 0 && %s) return -1;   /* it was out padded */", cx_printf(cx, pad_me, "1"));
        em_line(em, "if (!retract) { uint32_t m = (uint32_t)matches; rt_put_bytes(pk, &m, 4); }");
      } else {
        em_line(em, "if (nother == 0 && %s) return -1;   /* no partner: padded */", cx_printf(cx, pad_me, "retract"));
      }
    }
    em_open(em, "if (!retract) {");
    em_line(em, "if (!mine->first_len && !*mrows && pn <= %d) { rt_put_bytes(mine->first, pk, pn); mine->first_len = (%s)pn; }", jp.cap, len_t);
    if (compact(J)) {
      em_open(em, "else {");
      em_open(em, "if (!mm) {");
      em_line(em, "mm = (n%d_%sm *)rt->st_get(ctx, %d, 0, r->h.hash, kb, kl, 1, 0, 0);", id, me, 2 + side);
      em_line(em, "if (!mm) return -1;");
      em_line(em, "mine->more = 1;");
      em_line(em, "mrows = &mm->rows;");
      em_close(em, NULL);
      em_line(em, "if (rt->jrows_add(ctx, mrows, pk, pn)) return -1;");
      em_line(em, "mm->n++;");
      em_close(em, NULL);
    } else {
      em_line(em, "else if (rt->jrows_add(ctx, mrows, pk, pn)) return -1;");
      em_line(em, "mine->n++;");
    }
    em_close(em, NULL);
    if (!timed(J)) em_line(em, "if (%s == 0) rt->st_remove(ctx, %d, 0, r->h.hash, kb, kl);", nmine, side);
    em_line(em, "(void)created; (void)matches;");
    em_close(em, NULL);
    if (timed(J)) em_line(em, "if (late) rt->count_late(ctx, late);");
    em_line(em, "return 0;");
    em_close(em, NULL);
  }
  if (timed(J)) {
    for (int side = 0; side < 2; side++) {
      if (!matched(J, side)) continue;
      const char *s_ = row_type(J, side);
      em_line(em, "/* [n%d] the %s rows of one key in a bucket that ends: those that never paired (and now never", id,
              side ? "right" : "left");
      em_line(em, "** can) are emitted padded with NULLs, at the bucket's last instant */");
      em_open(em, "static int n%d_unmatched_%s(RtCtx *ctx, void *arg, int64_t bucket, const void *key, uint32_t keylen, void *value) {",
              id, s_);
      em_line(em, "const n%d_%sk *e = (const n%d_%sk *)value;", id, s_, id, s_);
      em_line(em, "uint32_t pos = 0, len = e->first_len;");
      em_line(em, "const unsigned char *p = len ? e->first : rt->jrows_next(e->more, &pos, &len);");
      em_open(em, "for (; p; p = rt->jrows_next(e->more, &pos, &len)) {");
      em_line(em, "uint32_t m;");
      em_line(em, "row_n%d_%s r;", id, s_);
      em_line(em, "rt_put_bytes(&m, p, 4);");
      em_line(em, "if (m) continue;   /* it paired */");
      em_line(em, "n%d_unpack_%s(p, (const unsigned char *)key, &r);", id, s_);
      em_line(em, "if (%s) return -1;", side ? cx_printf(cx, "n%d_pair(ctx, 0, &r, 0, bucket - 1)", id)
                                            : cx_printf(cx, "n%d_pair(ctx, &r, 0, 0, bucket - 1)", id));
      em_close(em, NULL);
      em_line(em, "(void)arg; (void)keylen;");
      em_line(em, "return 0;");
      em_close(em, NULL);
    }
    em_line(em, "/* [n%d] rows whose bucket ended at or before the watermark can meet no new partner%s */", id,
            matched(J, 0) || matched(J, 1) ? " (the unpaired ones of a preserved side go out padded first)" : "");
    em_open(em, "static int n%d_on_watermark(RtCtx *ctx, int64_t wm) {", id);
    em_line(em, "int64_t b;");
    for (int side = 0; side < 2; side++) {
      em_open(em, "while ((b = rt->st_first_bucket(ctx, %d)) != INT64_MAX && b <= wm) {", side);
      if (matched(J, side))
        em_line(em, "if (rt->st_visit_bucket(ctx, %d, b, n%d_unmatched_%s, 0)) return -1;", side, id, row_type(J, side));
      em_line(em, "rt->st_drop_bucket(ctx, %d, b);", side);
      em_close(em, NULL);
    }
    em_line(em, "return 0;");
    em_close(em, NULL);
  }
  em_line(em, "/* [n%d] %s join */", id, J->interval ? "interval" : J->tbound ? "time-bounded" : "updating");
  em_open(em, "static int n%d_process(RtCtx *ctx, int input, const RtBatch *batch) {", id);
  em_open(em, "switch (input) {");
  for (int i = 0; i < st->nins; i++) {
    int slot = gen->edges[st->ins[i].index].slot;
    em_line(em, "case %d: return n%d_apply_%s(ctx, batch);", i, id, slot ? "r" : "l");
  }
  em_line(em, "default: break;");
  em_close(em, NULL);
  em_line(em, "return rt->error(ctx, 0, \"n%d: no input %%d\", input);", id);
  em_close(em, NULL);
  em_line(em, "%s", "");
}

void cg_join_stage(Gen *gen, Plan *J) {
  if (J->lwin >= 0) windowed_stage(gen, J);
  else updating_stage(gen, J);
}

/* parent_uses for other operators (cg_argmax.c): the columns of a node with n output columns
** that its parent p (and p's consumers) read, marked in used[0..n). */
void cg_parent_uses(Cx *cx, const Plan *p, uint8_t *used, int n) { parent_uses(cx, p, used, n); }
