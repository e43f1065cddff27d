/*
** compiler/join.c: binding of JOIN ... ON into a P_JOIN plan node.
**
** The node's output is the left input's columns followed by the right input's, each carrying
** the qualifier (alias or table name) of its side, so later expressions can say a.x or b.x.
** The ON condition is split at its top-level ANDs: each `l = r` whose sides reference only the
** left and only the right input becomes a key pair (the join is an equi-join on all pairs);
** the rest is the residual predicate, evaluated on candidate pairs.
** Streaming kinds: when both inputs carry a window column (they come from windowed
** aggregates) the join is windowed: rows meet only within the same window and the result is
** append-only, emitted when the window closes (an INNER one that keeps A's rows equal to the
** per-window maximum of one of A's columns becomes a P_MAXFILTER instead: maxfilter.c).
** Otherwise it is an updating join (results are
** retracted when input rows are). Outer joins pad the missing side with NULLs.
** Interval join: append-only inputs, the ON bounds right.t - left.t between two constants
** (col +/- INTERVAL on both sides) and both time columns are provably their side's event time
** (is_event_time; otherwise rows would be late or expire by a watermark that does not bound
** them). Time-bounded join (plan_time_bounds): append-only inputs, not an interval join, and
** the ON has `t >= lo` and `t <= hi` (>, < too; BETWEEN is split into those) with t
** a column of one side that is provably that side's event time (is_event_time) and lo, hi
** expressions over the other side only; lo of the form `event-time column [+/- INTERVAL]` of
** the other side lets t's side expire by the watermark too (codegen/cg_join.c header); an
** outer join whose t side is preserved needs that (its unpaired rows are emitted padded when
** they expire). Both kinds may be INNER, LEFT, RIGHT or FULL. Anything else stays an updating
** join (outer ones with any residual condition).
** An INNER interval join one of whose sides is sparse (sparse_input: a windowed aggregate
** without GROUP BY keys whose windows' rows are at least an eighth of the interval's width
** apart) keeps the other, dense side as an unindexed log (Plan.logside), unless it joins rows
** with their own window's MAX/MIN: argmax.c then rewrites it into a P_ARGMAX node.
** Not here: the run-time algorithms (codegen/cg_join.c).
*/
#include <string.h>
#include "compiler.h"

/* ---- ON-condition helpers (join_bind_on serves join_bind and lookup_bind) ---------------- */
/* 1: references left columns (index < nl), 2: right columns, 3: both, 0: none. */
static int join_sides_of(const BExpr *e, int nl) {
  if (!e) return 0;
  int m = 0;
  if (e->kind == B_COL) m |= e->colidx < nl ? 1 : 2;
  for (int i = 0; i < e->nargs; i++) m |= join_sides_of(e->args[i], nl);
  m |= join_sides_of(e->else_, nl) | join_sides_of(e->operand, nl);
  return m;
}

/* A copy of e with every column index shifted by delta (right keys over the right input). */
static BExpr *join_shift_cols(Cx *cx, const BExpr *e, int delta) {
  if (!e) return NULL;
  BExpr *c = cx_alloc(cx, sizeof *c);
  *c = *e;
  if (c->kind == B_COL) c->colidx += delta;
  if (e->nargs) {
    c->args = cx_alloc(cx, sizeof(BExpr *) * (size_t)e->nargs);
    for (int i = 0; i < e->nargs; i++) c->args[i] = join_shift_cols(cx, e->args[i], delta);
  }
  c->else_ = join_shift_cols(cx, e->else_, delta);
  c->operand = join_shift_cols(cx, e->operand, delta);
  return c;
}

/* Append the conjuncts of e (split at AND) to the arena vector *v (*n used, *cap allocated). */
static void join_split_and(Cx *cx, BExpr *e, BExpr ***v, int *n, int *cap) {
  if (e->kind == B_OP && e->op == OP_AND) {
    join_split_and(cx, e->args[0], v, n, cap);
    join_split_and(cx, e->args[1], v, n, cap);
    return;
  }
  if (*n == *cap) {
    *cap = *cap ? *cap * 2 : 8;
    BExpr **nv = cx_alloc(cx, sizeof(BExpr *) * (size_t)*cap);
    if (*n) memcpy(nv, *v, sizeof(BExpr *) * (size_t)*n);
    *v = nv;
  }
  (*v)[(*n)++] = e;
}

/* e as `col [+|- interval literal]`: the column index and the offset in ns; 0 if not. */
static int col_plus(const BExpr *e, int *col, int64_t *off) {
  *off = 0;
  if (e->kind == B_COL && e->t.kind == RT_TIMESTAMP) { *col = e->colidx; return 1; }
  if (e->kind == B_OP && (e->op == OP_ADD || e->op == OP_SUB) && e->nargs == 2 &&
      e->args[0]->kind == B_COL && e->args[0]->t.kind == RT_TIMESTAMP &&
      e->args[1]->kind == B_LIT && e->args[1]->t.kind == T_INTERVAL && e->args[1]->iv.months == 0) {
    int64_t ns = (int64_t)e->args[1]->iv.days * 86400000000000LL + e->args[1]->iv.nanos;
    *col = e->args[0]->colidx;
    *off = e->op == OP_ADD ? ns : -ns;
    return 1;
  }
  return 0;
}

/* A conjunct bounding right.t - left.t: `x op y` with one side a left time column and the
** other a right one, each optionally +/- an interval. Sets the bound on d = R - L. */
static void time_bound(const BExpr *c, int nl, int *lcol, int *rcol, int64_t *lo, int *has_lo,
                       int64_t *hi, int *has_hi) {
  if (c->kind != B_OP || c->nargs != 2) return;
  OpKind op = c->op;
  if (op != OP_LT && op != OP_LE && op != OP_GT && op != OP_GE) return;
  int ca, cb;
  int64_t oa, ob;
  if (!col_plus(c->args[0], &ca, &oa) || !col_plus(c->args[1], &cb, &ob)) return;
  /* make it (R + oR) op (L + oL) */
  int lc, rc;
  int64_t ol, orr;
  if (ca >= nl && cb < nl) { rc = ca; orr = oa; lc = cb; ol = ob; }
  else if (ca < nl && cb >= nl) {
    lc = ca; ol = oa; rc = cb; orr = ob;
    op = op == OP_LT ? OP_GT : op == OP_LE ? OP_GE : op == OP_GT ? OP_LT : OP_LE;   /* swap sides */
  } else return;
  if ((*lcol >= 0 && *lcol != lc) || (*rcol >= 0 && *rcol != rc)) return;
  *lcol = lc;
  *rcol = rc;
  int64_t k = ol - orr;                    /* R op L + k  <=>  R - L op k */
  if (op == OP_GE || op == OP_GT) {
    int64_t v = op == OP_GT ? k + 1 : k;
    if (!*has_lo || v > *lo) *lo = v;
    *has_lo = 1;
  } else {
    int64_t v = op == OP_LT ? k - 1 : k;
    if (!*has_hi || v < *hi) *hi = v;
    *has_hi = 1;
  }
}

/* Bind the ON condition `on` over j's columns ([left | right], nl left ones) and split it:
** each equality between an expression of one side and one of the other becomes a key
** (j->exprs over the left columns, j->rkeys over the right input's, j->nkeys); the other
** conjuncts, ANDed, are the residual j->pred (NULL if none). ARRAY and INTERVAL keys are
** errors at their equality, and with scalar_keys also window and struct ones. Returns the
** number of conjuncts and sets *conj to them. Shared by join_bind and lookup_bind. */
int join_bind_on(Cx *cx, Plan *j, Expr *on_expr, int nl, int scalar_keys, BExpr ***conj) {
  Scope sc = { j, NULL, NULL };
  BExpr *on = bind_expr(cx, &sc, on_expr);
  if (on->t.kind != RT_BOOL)
    diag_error(cx, on_expr->line, on_expr->col, "the ON condition must be BOOLEAN, not %s", type_name(on->t));
  int nconj = 0, cap = 0;
  *conj = NULL;
  join_split_and(cx, on, conj, &nconj, &cap);
  j->exprs = cx_alloc(cx, sizeof(BExpr *) * (size_t)nconj);
  j->rkeys = cx_alloc(cx, sizeof(BExpr *) * (size_t)nconj);
  BExpr *residual = NULL;
  for (int i = 0; i < nconj; i++) {
    BExpr *c = (*conj)[i];
    if (c->kind == B_OP && c->op == OP_EQ) {
      int a = join_sides_of(c->args[0], nl), b = join_sides_of(c->args[1], nl);
      if ((a == 1 && b == 2) || (a == 2 && b == 1)) {
        BExpr *l = a == 1 ? c->args[0] : c->args[1];
        BExpr *r = a == 1 ? c->args[1] : c->args[0];
        if (l->t.kind == T_ARRAY || l->t.kind == T_INTERVAL ||
            (scalar_keys && (l->t.kind == T_WINDOW || l->t.kind == RT_STRUCT)))
          diag_error(cx, c->line, c->col, "cannot join on a %s value", type_name(l->t));
        j->exprs[j->nkeys] = l;                      /* `=` cast both sides to one type */
        j->rkeys[j->nkeys] = join_shift_cols(cx, r, -nl);
        j->nkeys++;
        continue;
      }
    }
    if (!residual) { residual = c; continue; }
    BExpr *and_ = bnew(cx, B_OP, NULL);
    and_->op = OP_AND;
    and_->t = type_make(RT_BOOL);
    and_->nargs = 2;
    and_->args = cx_alloc(cx, sizeof(BExpr *) * 2);
    and_->args[0] = residual;
    and_->args[1] = c;
    and_->nullable = residual->nullable || c->nullable;
    residual = and_;
  }
  j->pred = residual;
  return nconj;
}

/* ---- time-bounded joins ---------------------------------------------------------------- */
/* The node column *c of p comes from, followed down through filters and through projections
** that copy it unchanged; *c becomes its index there. */
static const Plan *column_origin(const Plan *p, int *c) {
  for (;;) {
    if (p->kind == P_FILTER) p = p->inputs[0];
    else if (p->kind == P_PROJECT && p->exprs[*c]->kind == B_COL) { *c = p->exprs[*c]->colidx; p = p->inputs[0]; }
    else return p;
  }
}

/* Whether `e`, bound over the columns of p, is always the event time of p's rows (their
** header ts, which the watermark bounds) or NULL. Proven only along plain paths: a source
** table's event-time column (event_time_field / WATERMARK FOR: the decoder sets the header
** from it; not a generated one), the `datetime` field of a nexmark struct column (connectors/nexmark.c sets the
** header to the datetime of the row's event, and the other two structs are NULL), passed
** through filters and projections that copy the column unchanged. Also accepted: the `end`
** of a windowed aggregate's window column (its rows' event time is end - 1 ns, codegen/cg_agg.c
** emit_window_row): what the interval and time-bounded joins need is that a row whose value
** is behind the watermark is late and that rows arriving later have values at or after it,
** which holds for any value that is never below the event time. Anything else (a computed
** value, a window start, a union's or another join's output) is not proven. */
static int is_event_time(Cx *cx, const Plan *p, const BExpr *e) {
  if (e->t.kind != RT_TIMESTAMP) return 0;
  if (e->kind == B_FIELD && e->nargs == 1 && e->args[0]->kind == B_COL && e->args[0]->t.kind == T_WINDOW) {
    if (e->field != 1) return 0;   /* only `end` (field 0 is start) */
    int c = e->args[0]->colidx;
    const Plan *q = column_origin(p, &c);
    return q->kind == P_AGGREGATE && q->win.kind != W_NONE && q->wincol == c;
  }
  if (e->kind == B_FIELD && e->nargs == 1 && e->args[0]->kind == B_COL && e->args[0]->t.kind == RT_STRUCT) {
    int c = e->args[0]->colidx;
    const Plan *q = column_origin(p, &c);
    return q->kind == P_SCAN && q->table && q->table->connector && !strcmp(q->table->connector, "nexmark") &&
           !strcmp(struct_def(cx, e->args[0]->t)->fields[e->field].name, "datetime");
  }
  if (e->kind != B_COL) return 0;
  int c = e->colidx;
  switch (p->kind) {
    case P_SCAN:   /* a generated column is computed after the decoder set the header */
      return p->table && p->table->event_time_col == c && !p->table->cols[c].generated;
    case P_FILTER: return is_event_time(cx, p->inputs[0], e);
    case P_PROJECT: return is_event_time(cx, p->inputs[0], p->exprs[c]);
    default: return 0;
  }
}

/* A conjunct `t op x` (or `x op t`) where t is a column of side `tside` and x an expression
** over the other side only: which bound of t it sets (1 lower, 2 upper, 0 none), t's column
** (over the join's output) and x. */
static int bound_of(const BExpr *c, int nl, int tside, int *tcol, const BExpr **x) {
  if (c->kind != B_OP || c->nargs != 2) return 0;
  OpKind op = c->op;
  if (op != OP_LT && op != OP_LE && op != OP_GT && op != OP_GE) return 0;
  int want = tside ? 2 : 1, other = tside ? 1 : 2;
  for (int i = 0; i < 2; i++) {
    const BExpr *a = c->args[i], *b = c->args[!i];
    if (a->kind != B_COL || a->t.kind != RT_TIMESTAMP || join_sides_of(a, nl) != want) continue;
    if (b->t.kind != RT_TIMESTAMP || join_sides_of(b, nl) != other) continue;
    int ge = op == OP_GE || op == OP_GT;
    if (i) ge = !ge;   /* x op t: flip */
    *tcol = a->colidx;
    *x = b;
    return ge ? 1 : 2;
  }
  return 0;
}

/* Plan j as a time-bounded join if its ON bounds one side's event-time column t on both sides
** by expressions over the other side (lo <= t <= hi; strictness is left to the residual,
** which is still checked for every pair). Returns 1 when planned. */
static int plan_time_bounds(Cx *cx, Plan *j, BExpr **conj, int nconj, int nl) {
  for (int tside = 1; tside >= 0; tside--) {
    int tcol = -1;
    const BExpr *lo = NULL, *hi = NULL;
    for (int i = 0; i < nconj; i++) {
      int col;
      const BExpr *x;
      int k = bound_of(conj[i], nl, tside, &col, &x);
      if (!k || (tcol >= 0 && col != tcol)) continue;
      tcol = col;
      if (k == 1 && !lo) lo = x;
      if (k == 2 && !hi) hi = x;
    }
    if (!lo || !hi) continue;
    Plan *T = j->inputs[tside], *O = j->inputs[!tside];
    BExpr t;   /* t over its own input's columns */
    memset(&t, 0, sizeof t);
    t.kind = B_COL;
    t.t = type_make(RT_TIMESTAMP);
    t.colidx = tside ? tcol - nl : tcol;
    if (!is_event_time(cx, T, &t)) continue;   /* lateness and expiry need the event time */
    int lo_col;
    int64_t lo_off;
    BExpr *tlo = join_shift_cols(cx, lo, tside ? 0 : -nl);
    int lo_is_event_time = col_plus(tlo, &lo_col, &lo_off) && is_event_time(cx, O, tlo->kind == B_COL ? tlo : tlo->args[0]);
    /* a preserved t side is emitted padded when its rows expire: they must expire */
    if (!lo_is_event_time && (j->join == J_FULL || j->join == (tside ? J_RIGHT : J_LEFT))) continue;
    j->tbound = 1;
    j->tside = tside;
    j->tcol = t.colidx;
    /* the bounds reference the other side only: over its input's columns */
    j->tlo = tlo;
    j->thi = join_shift_cols(cx, hi, tside ? 0 : -nl);
    j->tlo_etcol = lo_is_event_time ? lo_col : -1;
    j->tlo_off = lo_is_event_time ? lo_off : 0;
    return 1;
  }
  return 0;
}

/* Whether the interval join's time columns (lcol over j's output, a left column; rcol a right
** one) are both provably their rows' event times, which lateness and expiry by the watermark
** need. Otherwise the join is planned as a time-bounded or an updating one. */
static int interval_times_are_event_times(Cx *cx, const Plan *j, int lcol, int rcol) {
  int nl = j->inputs[0]->ncols;
  BExpr t;
  memset(&t, 0, sizeof t);
  t.kind = B_COL;
  t.t = type_make(RT_TIMESTAMP);
  t.colidx = lcol;
  if (!is_event_time(cx, j->inputs[0], &t)) return 0;
  t.colidx = rcol - nl;
  return is_event_time(cx, j->inputs[1], &t);
}

/* Whether p's rows come from a windowed aggregate without GROUP BY keys, through filters and
** projections only, so there is at most one row per window (such an aggregate runs on one
** subtask, or keyed by its input's window). An INNER interval join of such a sparse side with
** a dense one keeps the dense side as an unindexed log and scans it when the rare sparse rows
** arrive (codegen/cg_join.c); outer ones do not (their rows carry match counts).
** Sparse also needs the windows' rows to be far apart for the interval's width `span`: a
** sparse row scans every dense row within span of it, so a dense row is scanned once per
** sparse row within span, about span / step + 1 times, where step is the least event time
** between two windows' rows (a tumble's or hop's slide; a session's gap: sessions without keys
** end at least a gap apart). With step unknown, or span > 8 steps, both sides stay indexed. */
static int sparse_input(const Plan *p, int64_t span) {
  while (p->kind == P_FILTER || p->kind == P_PROJECT) p = p->inputs[0];
  if (p->kind != P_AGGREGATE || p->win.kind == W_NONE || p->nkeys != 0 || p->updating || p->wincol < 0)
    return 0;
  const PCol *w = &p->cols[p->wincol];
  int kind = p->win.kind == W_INPUT ? w->winkind : (int)p->win.kind;
  int64_t step = kind == W_TUMBLE || kind == W_HOP ? w->slide : kind == W_SESSION ? w->width : 0;
  return step > 0 && span / 8 <= step;
}

static int window_col(Plan *p) {
  for (int i = 0; i < p->ncols; i++) if (p->cols[i].t.kind == T_WINDOW) return i;
  return -1;
}

static const char *join_name(JoinType j) {
  switch (j) {
    case J_LEFT: return "LEFT";
    case J_RIGHT: return "RIGHT";
    case J_FULL: return "FULL";
    default: return "INNER";
  }
}

Plan *join_bind(Cx *cx, Plan *left, const char *lqual, Plan *right, const char *rqual, FromItem *f) {
  int nl = left->ncols, nr = right->ncols;
  Plan *j = plan_new(cx, P_JOIN, nl + nr);
  j->join = f->join;
  j->logside = -1;
  for (int i = 0; i < nl; i++) {
    j->cols[i] = left->cols[i];
    if (lqual) j->cols[i].qual = lqual;
    if (f->join == J_RIGHT || f->join == J_FULL) j->cols[i].nullable = 1;
  }
  for (int i = 0; i < nr; i++) {
    j->cols[nl + i] = right->cols[i];
    j->cols[nl + i].qual = rqual;
    if (f->join == J_LEFT || f->join == J_FULL) j->cols[nl + i].nullable = 1;
  }
  plan_add_input(cx, j, left);
  plan_add_input(cx, j, right);
  /* both inputs are shipped to the join stage whole, as flat rows (codegen/cg_join.c) */
  for (int side = 0; side < 2; side++) {
    Plan *in = side ? right : left;
    for (int c = 0; c < in->ncols; c++)
      if (in->cols[c].t.kind == T_ARRAY || in->cols[c].t.kind == T_INTERVAL || in->cols[c].t.kind == RT_STRUCT)
        diag_error(cx, f->join_line, f->join_col,
                   "%s JOIN: its %s input's column '%s' is a %s, which cannot be shuffled to the join yet "
                   "(select only the columns the join needs in a subquery)",
                   join_name(f->join), side ? "right" : "left", in->cols[c].name, type_name(in->cols[c].t));
  }

  BExpr **conj = NULL;
  int nconj = join_bind_on(cx, j, f->on, nl, 0, &conj);
  if (j->nkeys == 0)
    diag_error(cx, f->on->line, f->on->col,
               "a streaming join needs at least one equality between the two sides in ON "
               "(a cross product of unbounded streams cannot be computed)");

  j->lwin = window_col(left);
  j->rwin = window_col(right);
  if ((j->lwin >= 0) != (j->rwin >= 0))
    diag_error(cx, f->join_line, f->join_col,
               "%s JOIN of a windowed input with a non-windowed one is not supported; "
               "window both sides the same way", join_name(f->join));
  if (j->lwin >= 0) {
    PCol *a = &left->cols[j->lwin], *b = &right->cols[j->rwin];
    if (a->winkind == W_SESSION || b->winkind == W_SESSION)
      diag_error(cx, f->join_line, f->join_col,
                 "can't handle session windows in joins (sessions of the two sides do not line up)");
    if (a->winkind && b->winkind &&
        (a->winkind != b->winkind || a->width != b->width || a->slide != b->slide))
      diag_error(cx, f->join_line, f->join_col,
                 "can't handle mixed windowing between left and right: a windowed join needs the same "
                 "window on both sides");
    if (left->updating || right->updating)
      diag_error(cx, f->join_line, f->join_col, "a windowed join of an updating input is not supported");
    j->updating = 0;
    maxfilter_rewrite(cx, j, conj, nconj);   /* rows equal to their window's maximum: maxfilter.c */
  } else {
    j->updating = 1;
    /* interval join: the residual bounds right.t - left.t on both sides */
    int lcol = -1, rcol = -1, has_lo = 0, has_hi = 0;
    int64_t lo = 0, hi = 0;
    for (int i = 0; i < nconj; i++) time_bound(conj[i], nl, &lcol, &rcol, &lo, &has_lo, &hi, &has_hi);
    if (has_lo && has_hi && !left->updating && !right->updating && interval_times_are_event_times(cx, j, lcol, rcol)) {
      if (lo > hi)
        diag_error(cx, f->on->line, f->on->col, "the time bounds of this interval join can never hold");
      j->interval = 1;
      j->ilcol = lcol;
      j->ircol = rcol - nl;
      j->ilo = lo;
      j->ihi = hi;
      j->updating = 0;   /* rows only expire: the result is append-only */
      int lsparse = sparse_input(left, hi - lo), rsparse = sparse_input(right, hi - lo);
      if (j->join == J_INNER && lsparse != rsparse) j->logside = rsparse ? 0 : 1;
      argmax_rewrite(cx, j, conj, nconj);   /* rows equal to their window's max (argmax.c) */
    } else if (!left->updating && !right->updating && plan_time_bounds(cx, j, conj, nconj, nl)) {
      j->updating = 0;   /* time-bounded join: rows only expire, the result is append-only */
    }
  }
  return j;
}
