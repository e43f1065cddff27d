/*
** codegen/cg_expr.c: bound expressions (BExpr) to straight-line C.
**
** cg_expr emits the statements that compute an expression into the current block and
** returns C expressions for its value and NULL flag. Column references and literals cost
** nothing (they are returned as expressions); every other node gets one local named for its
** plan node. NULL handling follows SQL: strict operators and functions are NULL when an
** argument is; AND/OR use three-valued logic and evaluate their right side only when needed;
** CASE and COALESCE evaluate branches lazily. Integer overflow, division by zero and failed
** casts stop the pipeline with an error naming the SQL position (never wrap silently).
** Runtime work beyond arithmetic is a call through the RtApi table `rt` (runtime/abi.h).
*/
#include <string.h>
#include <math.h>
#include "codegen.h"

const char *cg_tmp(Cg *g, const char *what) {
  return cx_printf(g->cx, "n%d_%s%d", g->node, what, ++g->tmp);
}

void cg_assign(Emitter *em, const char *dst, SqlType t, const char *v) {
  if (type_is_stringy(t)) em_line(em, "%s.ptr = (%s).ptr; %s.len = (%s).len;", dst, v, dst, v);
  else if (t.kind == T_WINDOW) em_line(em, "%s.start = (%s).start; %s.end = (%s).end;", dst, v, dst, v);
  else if (t.kind == T_ARRAY)
    em_line(em, "%s.data = (%s).data; %s.len = (%s).len; %s.nulls = (%s).nulls;", dst, v, dst, v, dst, v);
  else em_line(em, "%s = %s;", dst, v);
}

void cg_out_header(Emitter *em, const char *ts, const char *retract) {
  em_line(em, "RtRowHeader hdr;");
  em_line(em, "hdr.ts = %s; hdr.hash = 0; hdr.retract = %s;", ts, retract);
  em_line(em, "hdr.pad_[0] = hdr.pad_[1] = hdr.pad_[2] = hdr.pad_[3] = hdr.pad_[4] = hdr.pad_[5] = hdr.pad_[6] = 0;");
}

int cg_fixed_size(SqlType t) {
  switch (t.kind) {
    case RT_BOOL: return 1;
    case RT_I32: case RT_U32: case RT_F32: return 4;
    default: return 8;
  }
}

const char *cg_zero(SqlType t) {
  switch (t.kind) {
    case RT_TEXT: case RT_JSON: case RT_BYTEA: return "{0, 0}";
    case T_INTERVAL: return "{0, 0, 0}";
    case T_WINDOW: return "{0, 0}";
    case T_ARRAY: return "{0, 0, 0}";
    default: return "0";
  }
}

const char *cg_where(Cg *g, const BExpr *e) {
  const char *f = g->cx->filename ? g->cx->filename : "-";
  const char *slash = strrchr(f, '/');
  const char *loc = cx_printf(g->cx, "%s:%d:%d", slash ? slash + 1 : f, e->line, e->col);
  return c_string(g->cx, loc, strlen(loc));
}

static int is_const0(const char *s) { return strcmp(s, "0") == 0; }

/* "a_n || b_n" without the constant-false parts; "0" when no argument can be NULL. */
static const char *null_or(Cg *g, CgVal *v, int n) {
  const char *acc = "0";
  for (int i = 0; i < n; i++) {
    if (is_const0(v[i].n)) continue;
    acc = is_const0(acc) ? v[i].n : cx_printf(g->cx, "%s || %s", acc, v[i].n);
  }
  return acc;
}

static CgVal val(const char *v, const char *n) { CgVal r = { v, n }; return r; }

/* Declare a result local (and its null flag unless never NULL). */
static CgVal declare(Cg *g, SqlType t, const char *what, const char *null_init) {
  CgVal r;
  r.v = cg_tmp(g, what);
  em_line(g->em, "%s %s = %s;", type_c(t), r.v, cg_zero(t));
  if (null_init && !is_const0(null_init)) {
    r.n = cx_printf(g->cx, "%s_n", r.v);
    em_line(g->em, "uint8_t %s = %s;", r.n, null_init);
  } else r.n = "0";
  return r;
}

/* Open "if (!null) {" when the result can be NULL; returns whether a block was opened. */
static int open_strict(Cg *g, CgVal r) {
  if (is_const0(r.n)) return 0;
  em_open(g->em, "if (!%s) {", r.n);
  return 1;
}


static const char *lit_int(Cx *cx, SqlType t, int64_t v, uint64_t u) {
  switch (t.kind) {
    case RT_U64: return cx_printf(cx, "UINT64_C(%llu)", (unsigned long long)u);
    case RT_U32: return cx_printf(cx, "(uint32_t)%lldu", (long long)v);
    case RT_I32: return cx_printf(cx, "(int32_t)%lld", (long long)v);
    default:
      if (v == INT64_MIN) return "INT64_MIN";
      return cx_printf(cx, "INT64_C(%lld)", (long long)v);
  }
}

static const char *lit_double(Cx *cx, double d) {
  if (isnan(d)) return "(0.0/0.0)";
  if (isinf(d)) return d > 0 ? "(1e308*10.0)" : "(-1e308*10.0)";
  char *s = cx_printf(cx, "%.17g", d);
  if (!strpbrk(s, ".en")) s = cx_printf(cx, "%s.0", s);
  return s;
}

static CgVal cg_literal(Cg *g, BExpr *e) {
  Cx *cx = g->cx;
  if (e->is_null) {
    CgVal r = declare(g, e->t.kind == T_NULL ? type_make(RT_BOOL) : e->t, "null", "1");
    return r;
  }
  switch (e->t.kind) {
    case RT_BOOL: return val(e->ival ? "1" : "0", "0");
    case RT_I32: case RT_I64: case RT_U32: case RT_U64: case RT_TIMESTAMP: case RT_DECIMAL:
      return val(lit_int(cx, e->t.kind == RT_TIMESTAMP || e->t.kind == RT_DECIMAL ?
                         type_make(RT_I64) : e->t, e->ival, e->uval ? e->uval : (uint64_t)e->ival), "0");
    case RT_F32: return val(cx_printf(cx, "(float)%s", lit_double(cx, e->fval)), "0");
    case RT_F64: return val(lit_double(cx, e->fval), "0");
    case RT_TEXT: case RT_JSON: case RT_BYTEA:
      return val(cx_printf(cx, "rt_str(%s, %d)", c_string(cx, e->sval, (size_t)e->slen), e->slen), "0");
    case T_INTERVAL: {
      const char *n = cg_tmp(g, "iv");
      em_line(g->em, "RtInterval %s; %s.months = %d; %s.days = %d; %s.nanos = INT64_C(%lld);",
              n, n, e->iv.months, n, e->iv.days, n, (long long)e->iv.nanos);
      return val(n, "0");
    }
    default: break;
  }
  diag_error(cx, e->line, e->col, "internal: literal of type %s", type_name(e->t));
}

/* ---- arithmetic --------------------------------------------------------------------- */
static const char *int_suffix(SqlType t) {
  switch (t.kind) {
    case RT_I32: return "i32";
    case RT_U64: return "u64";
    default: return "i64";
  }
}

/* Integer +, -, * with a literal operand: compare with a bound computed now instead of
** calling the checked helper (one compare per row). Returns 0 when not applicable. */
static int emit_const_bound(Cg *g, BExpr *e, CgVal a, CgVal b, CgVal r, const char *tn, const char *text) {
  BExpr *x = e->args[0], *y = e->args[1];
  int lit_right = y->kind == B_LIT && !y->is_null;
  int lit_left = x->kind == B_LIT && !x->is_null && (e->op == OP_ADD || e->op == OP_MUL);
  if (!lit_right && !lit_left) return 0;
  if (e->t.kind != RT_I64 && e->t.kind != RT_U64 && e->t.kind != RT_I32) return 0;
  const char *v = lit_right ? a.v : b.v;              /* the non-literal operand */
  BExpr *c = lit_right ? y : x;
  Cx *cx = g->cx;
  const char *cond = NULL;
  if (e->t.kind == RT_U64) {
    uint64_t k = c->t.kind == RT_U64 ? c->uval : (uint64_t)c->ival;
    if (e->op == OP_ADD) cond = cx_printf(cx, "%s > UINT64_C(%llu)", v, (unsigned long long)(UINT64_MAX - k));
    else if (e->op == OP_SUB && lit_right) cond = cx_printf(cx, "%s < UINT64_C(%llu)", v, (unsigned long long)k);
    else if (e->op == OP_MUL) cond = k == 0 ? "0" : cx_printf(cx, "%s > UINT64_C(%llu)", v, (unsigned long long)(UINT64_MAX / k));
  } else {
    int64_t k = c->ival;
    int64_t mx = e->t.kind == RT_I32 ? INT32_MAX : INT64_MAX, mn = e->t.kind == RT_I32 ? INT32_MIN : INT64_MIN;
    int sub = e->op == OP_SUB && lit_right;
    if (e->op == OP_ADD || sub) {
      if (sub) { if (k == INT64_MIN) return 0; k = -k; }
      cond = k >= 0 ? cx_printf(cx, "%s > INT64_C(%lld)", v, (long long)(mx - k))
                    : cx_printf(cx, "%s < INT64_C(%lld)", v, (long long)(mn - k));
    } else if (e->op == OP_MUL) {
      if (k == 0) cond = "0";
      else if (k > 0) cond = cx_printf(cx, "%s > INT64_C(%lld) || %s < INT64_C(%lld)", v, (long long)(mx / k), v,
                                       (long long)(mn / k));
      else return 0;
    }
  }
  if (!cond) return 0;
  const char *op = e->op == OP_ADD ? "+" : e->op == OP_SUB ? "-" : "*";
  if (strcmp(cond, "0") != 0)
    em_line(g->em, "if (%s) return rt->error(ctx, %s, \"%s overflow in %s\");", cond, cg_where(g, e), tn, text);
  em_line(g->em, "%s = (%s)(%s %s %s);", r.v, type_c(e->t), a.v, op, b.v);
  return 1;
}

static CgVal cg_arith(Cg *g, BExpr *e, CgVal a, CgVal b) {
  Cx *cx = g->cx;
  SqlType t = e->t;
  CgVal args[2] = { a, b };
  CgVal r = declare(g, t, "e", null_or(g, args, 2));
  int opened = open_strict(g, r);
  const char *text = c_comment(cx, bexpr_text(cx, e));
  SqlType at = e->args[0]->t;
  if (t.kind == RT_TIMESTAMP) {
    /* timestamp +/- interval: fixed-length parts inline, months through the runtime */
    BExpr *ivx = e->args[1];
    if (ivx->kind == B_LIT && ivx->iv.months == 0) {
      int64_t ns = (int64_t)ivx->iv.days * 86400000000000LL + ivx->iv.nanos;
      em_line(g->em, "%s = %s %s INT64_C(%lld);", r.v, a.v, e->op == OP_SUB ? "-" : "+", (long long)ns);
    } else {
      em_open(g->em, "if (rt->fn_ts_add_interval(ctx, %s, %s, %d, &%s) < 0) {", a.v, b.v,
              e->op == OP_SUB ? -1 : 1, r.v);
      em_line(g->em, "return -1;");
      em_close(g->em, NULL);
    }
  } else if (t.kind == T_INTERVAL) {
    if (at.kind == RT_TIMESTAMP) {
      em_line(g->em, "%s.nanos = %s - %s;", r.v, a.v, b.v);
    } else if (e->op == OP_MUL) {
      em_line(g->em, "%s.months = (int32_t)(%s.months * %s); %s.days = (int32_t)(%s.days * %s); "
              "%s.nanos = %s.nanos * %s;", r.v, a.v, b.v, r.v, a.v, b.v, r.v, a.v, b.v);
    } else {
      const char *op = e->op == OP_SUB ? "-" : "+";
      em_line(g->em, "%s.months = %s.months %s %s.months; %s.days = %s.days %s %s.days; "
              "%s.nanos = %s.nanos %s %s.nanos;", r.v, a.v, op, b.v, r.v, a.v, op, b.v,
              r.v, a.v, op, b.v);
    }
  } else if (type_is_float(t)) {
    switch (e->op) {
      case OP_ADD: em_line(g->em, "%s = %s + %s;", r.v, a.v, b.v); break;
      case OP_SUB: em_line(g->em, "%s = %s - %s;", r.v, a.v, b.v); break;
      case OP_MUL: em_line(g->em, "%s = %s * %s;", r.v, a.v, b.v); break;
      case OP_DIV:
        em_line(g->em, "if (%s == 0) return rt->error(ctx, %s, \"division by zero in %s\");", b.v,
                cg_where(g, e), text);
        em_line(g->em, "%s = %s / %s;", r.v, a.v, b.v);
        break;
      case OP_MOD:
        em_line(g->em, "if (%s == 0) return rt->error(ctx, %s, \"division by zero in %s\");", b.v,
                cg_where(g, e), text);
        em_line(g->em, "%s = (%s)rt->m_fmod(%s, %s);", r.v, type_c(t), a.v, b.v);
        break;
      default: break;
    }
  } else {
    /* integers (and DECIMAL add/sub on the scaled int64) with overflow checks */
    const char *tn = t.kind == RT_DECIMAL ? "DECIMAL" : type_name(t);
    int is_u32 = t.kind == RT_U32;
    const char *sfx = is_u32 ? "u64" : int_suffix(t.kind == RT_DECIMAL ? type_make(RT_I64) : t);
    switch (e->op) {
      case OP_ADD: case OP_SUB: case OP_MUL: {
        const char *fn = e->op == OP_ADD ? "add" : e->op == OP_SUB ? "sub" : "mul";
        if (is_u32) {
          const char *w = cg_tmp(g, "w");
          em_line(g->em, "uint64_t %s = 0;", w);
          em_line(g->em, "if (rt_%s_u64(%s, %s, &%s) || %s > UINT32_MAX) "
                  "return rt->error(ctx, %s, \"%s overflow in %s\");", fn, a.v, b.v, w, w,
                  cg_where(g, e), tn, text);
          em_line(g->em, "%s = (uint32_t)%s;", r.v, w);
        } else if (!emit_const_bound(g, e, a, b, r, tn, text)) {
          em_line(g->em, "if (rt_%s_%s(%s, %s, &%s)) return rt->error(ctx, %s, \"%s overflow in %s\");",
                  fn, sfx, a.v, b.v, r.v, cg_where(g, e), tn, text);
        }
        break;
      }
      case OP_DIV: case OP_MOD:
        em_line(g->em, "if (%s == 0) return rt->error(ctx, %s, \"division by zero in %s\");", b.v,
                cg_where(g, e), text);
        if (type_is_signed_int(t)) {
          const char *mn = t.kind == RT_I32 ? "INT32_MIN" : "INT64_MIN";
          if (e->op == OP_DIV)
            em_line(g->em, "if (%s == -1 && %s == %s) return rt->error(ctx, %s, \"%s overflow in %s\");",
                    b.v, a.v, mn, cg_where(g, e), tn, text);
          else
            em_line(g->em, "if (%s == -1) %s = 0; else", b.v, r.v);
        }
        em_line(g->em, "%s = %s %s %s;", r.v, a.v, e->op == OP_DIV ? "/" : "%", b.v);
        break;
      default: break;
    }
  }
  if (opened) em_close(g->em, NULL);
  return r;
}

static CgVal cg_compare(Cg *g, BExpr *e, CgVal a, CgVal b) {
  Cx *cx = g->cx;
  SqlType t = e->args[0]->t;
  const char *op = "==";
  switch (e->op) {
    case OP_EQ: op = "=="; break; case OP_NE: op = "!="; break;
    case OP_LT: op = "<"; break; case OP_LE: op = "<="; break;
    case OP_GT: op = ">"; break; case OP_GE: op = ">="; break;
    default: break;
  }
  const char *expr;
  if (type_is_stringy(t)) {
    if (e->op == OP_EQ) expr = cx_printf(cx, "rt_str_eq(%s, %s)", a.v, b.v);
    else if (e->op == OP_NE) expr = cx_printf(cx, "!rt_str_eq(%s, %s)", a.v, b.v);
    else expr = cx_printf(cx, "rt_str_cmp(%s, %s) %s 0", a.v, b.v, op);
  } else expr = cx_printf(cx, "%s %s %s", a.v, op, b.v);
  CgVal args[2] = { a, b };
  const char *nn = null_or(g, args, 2);
  if (is_const0(nn)) {
    const char *n = cg_tmp(g, "c");
    em_line(g->em, "uint8_t %s = (uint8_t)(%s);", n, expr);
    return val(n, "0");
  }
  CgVal r = declare(g, type_make(RT_BOOL), "c", nn);
  em_line(g->em, "if (!%s) %s = (uint8_t)(%s);", r.n, r.v, expr);
  return r;
}

/* ---- casts -------------------------------------------------------------------------- */
static int64_t pow10i(int s) { int64_t p = 1; while (s-- > 0) p *= 10; return p; }

static void range_check(Cg *g, BExpr *e, const char *src, SqlType to, const char *cond) {
  em_line(g->em, "if (%s) return rt->error(ctx, %s, \"value out of range for %s\");", cond,
          cg_where(g, e), type_name(to));
  (void)src;
}

static CgVal cg_cast(Cg *g, BExpr *e, CgVal a) {
  Cx *cx = g->cx;
  SqlType from = e->args[0]->t, to = e->t;
  if (from.kind == T_WINDOW && to.kind == RT_STRUCT)   /* a window written as {start, end} */
    return val(cx_printf(cx, "((%s){ .%s = (%s).start, .%s = (%s).end })", type_c(to),
                         c_ident(cx, "start"), a.v, c_ident(cx, "end"), a.v), a.n);
  CgVal r = declare(g, to, "cast", a.n);
  int opened = open_strict(g, r);
  const char *where = cg_where(g, e);
  if (to.kind == RT_TEXT || (to.kind == RT_JSON && type_is_stringy(from)) ||
      (to.kind == RT_BYTEA && type_is_stringy(from))) {
    switch (from.kind) {
      case RT_TEXT: case RT_JSON: case RT_BYTEA: em_line(g->em, "%s = %s;", r.v, a.v); break;
      case RT_BOOL: em_line(g->em, "rt->cast_bool_to_text(ctx, %s, &%s);", a.v, r.v); break;
      case RT_I32: case RT_I64:
        em_line(g->em, "rt->cast_i64_to_text(ctx, (int64_t)%s, &%s);", a.v, r.v); break;
      case RT_U32: case RT_U64:
        em_line(g->em, "rt->cast_u64_to_text(ctx, (uint64_t)%s, &%s);", a.v, r.v); break;
      case RT_F32: em_line(g->em, "rt->cast_f32_to_text(ctx, %s, &%s);", a.v, r.v); break;
      case RT_F64: em_line(g->em, "rt->cast_f64_to_text(ctx, %s, &%s);", a.v, r.v); break;
      case RT_TIMESTAMP: em_line(g->em, "rt->cast_timestamp_to_text(ctx, %s, &%s);", a.v, r.v); break;
      case RT_DECIMAL:
        em_line(g->em, "rt->cast_decimal_to_text(ctx, %s, %d, &%s);", a.v, from.scale, r.v); break;
      case T_INTERVAL: em_line(g->em, "rt->cast_interval_to_text(ctx, %s, &%s);", a.v, r.v); break;
      default: break;
    }
  } else if (from.kind == RT_TEXT || from.kind == RT_JSON) {
    const char *fn = NULL, *tmpty = NULL;
    switch (to.kind) {
      case RT_BOOL: fn = "cast_text_to_bool"; tmpty = "uint8_t"; break;
      case RT_I32: case RT_I64: case RT_U32: fn = "cast_text_to_i64"; tmpty = "int64_t"; break;
      case RT_U64: fn = "cast_text_to_u64"; tmpty = "uint64_t"; break;
      case RT_F32: case RT_F64: fn = "cast_text_to_f64"; tmpty = "double"; break;
      case RT_TIMESTAMP: fn = "cast_text_to_timestamp"; tmpty = "int64_t"; break;
      case RT_DECIMAL: fn = NULL; tmpty = "int64_t"; break;
      default: break;
    }
    const char *w = cg_tmp(g, "w");
    em_line(g->em, "%s %s = 0;", tmpty ? tmpty : "int64_t", w);
    if (to.kind == RT_DECIMAL)
      em_line(g->em, "if (rt->cast_text_to_decimal(ctx, %s, %d, &%s) < 0) return -1;", a.v, to.scale, w);
    else
      em_line(g->em, "if (rt->%s(ctx, %s, &%s) < 0) return -1;", fn, a.v, w);
    if (to.kind == RT_I32)
      range_check(g, e, w, to, cx_printf(cx, "%s < INT32_MIN || %s > INT32_MAX", w, w));
    if (to.kind == RT_U32)
      range_check(g, e, w, to, cx_printf(cx, "%s < 0 || %s > (int64_t)UINT32_MAX", w, w));
    em_line(g->em, "%s = (%s)%s;", r.v, type_c(to), w);
  } else if (to.kind == RT_BOOL) {
    em_line(g->em, "%s = (uint8_t)(%s != 0);", r.v, a.v);
  } else if (from.kind == RT_BOOL) {
    em_line(g->em, "%s = (%s)(%s ? 1 : 0);", r.v, type_c(to), a.v);
  } else if (from.kind == RT_DECIMAL || to.kind == RT_DECIMAL) {
    if (from.kind == RT_DECIMAL && to.kind == RT_DECIMAL) {
      if (to.scale >= from.scale)
        em_line(g->em, "if (rt_mul_i64(%s, INT64_C(%lld), &%s)) return rt->error(ctx, %s, \"value out of range for %s\");",
                a.v, (long long)pow10i(to.scale - from.scale), r.v, where, type_name(to));
      else
        em_line(g->em, "%s = %s / INT64_C(%lld);", r.v, a.v, (long long)pow10i(from.scale - to.scale));
    } else if (from.kind == RT_DECIMAL) {
      if (type_is_float(to))
        em_line(g->em, "%s = (%s)((double)%s / %lld.0);", r.v, type_c(to), a.v, (long long)pow10i(from.scale));
      else
        em_line(g->em, "%s = (%s)(%s / INT64_C(%lld));", r.v, type_c(to), a.v, (long long)pow10i(from.scale));
    } else if (type_is_float(from)) {
      em_line(g->em, "%s = (int64_t)rt->m_round((double)%s * %lld.0, 0);", r.v, a.v, (long long)pow10i(to.scale));
    } else {
      em_line(g->em, "if (rt_mul_i64((int64_t)%s, INT64_C(%lld), &%s)) return rt->error(ctx, %s, \"value out of range for %s\");",
              a.v, (long long)pow10i(to.scale), r.v, where, type_name(to));
    }
  } else if (from.kind == RT_TIMESTAMP || to.kind == RT_TIMESTAMP) {
    em_line(g->em, "%s = (int64_t)%s;", r.v, a.v);
  } else if (type_is_float(from) && type_is_int(to)) {
    const char *lo = to.kind == RT_I32 ? "-2147483649.0" : to.kind == RT_U32 || to.kind == RT_U64 ? "-1.0" : "-9223372036854775809.0";
    const char *hi = to.kind == RT_I32 ? "2147483648.0" : to.kind == RT_U32 ? "4294967296.0" : to.kind == RT_U64 ? "18446744073709551616.0" : "9223372036854775808.0";
    range_check(g, e, a.v, to, cx_printf(cx, "!(%s > %s && %s < %s)", a.v, lo, a.v, hi));
    em_line(g->em, "%s = (%s)%s;", r.v, type_c(to), a.v);
  } else if (type_is_int(from) && type_is_int(to)) {
    /* narrowing or sign changes are checked; widening is a plain conversion */
    int fs = type_is_signed_int(from), ts = type_is_signed_int(to);
    if (to.kind == RT_I32 && from.kind != RT_I32)
      range_check(g, e, a.v, to, from.kind == RT_U32 || from.kind == RT_U64 ?
                  cx_printf(cx, "%s > INT32_MAX", a.v) :
                  cx_printf(cx, "%s < INT32_MIN || %s > INT32_MAX", a.v, a.v));
    else if (to.kind == RT_I64 && from.kind == RT_U64)
      range_check(g, e, a.v, to, cx_printf(cx, "%s > (uint64_t)INT64_MAX", a.v));
    else if (to.kind == RT_U32 && from.kind != RT_U32)
      range_check(g, e, a.v, to, fs ? cx_printf(cx, "%s < 0 || (int64_t)%s > (int64_t)UINT32_MAX", a.v, a.v)
                                    : cx_printf(cx, "%s > UINT32_MAX", a.v));
    else if (to.kind == RT_U64 && fs)
      range_check(g, e, a.v, to, cx_printf(cx, "%s < 0", a.v));
    (void)ts;
    em_line(g->em, "%s = (%s)%s;", r.v, type_c(to), a.v);
  } else {
    em_line(g->em, "%s = (%s)%s;", r.v, type_c(to), a.v);
  }
  if (opened) em_close(g->em, NULL);
  return r;
}

/* ---- function calls ----------------------------------------------------------------- */
/* Emit `if (rt->fn(ctx, args, &out) ...)` handling RT_NULL results. */
static void call_rt(Cg *g, CgVal r, const char *call_prefix, int may_null) {
  if (may_null) {
    const char *rc = cg_tmp(g, "rc");
    em_line(g->em, "int %s = %s&%s);", rc, call_prefix, r.v);
    em_line(g->em, "if (%s < 0) return -1;", rc);
    em_line(g->em, "%s = (uint8_t)(%s == RT_NULL);", r.n, rc);
  } else {
    em_line(g->em, "if (%s&%s) < 0) return -1;", call_prefix, r.v);
  }
}

static CgVal cg_json_path(Cg *g, BExpr *e, CgVal *a, const char *fn, SqlType t, int may_null) {
  Cx *cx = g->cx;
  int np = e->nargs - 1;
  CgVal r = declare(g, t, "j", may_null ? cx_printf(cx, "%s", null_or(g, a, e->nargs)) : null_or(g, a, e->nargs));
  if (may_null && is_const0(r.n)) {
    r.n = cx_printf(cx, "%s_n", r.v);
    em_line(g->em, "uint8_t %s = 0;", r.n);
  }
  int opened = 0;
  const char *nn = null_or(g, a, e->nargs);
  if (!is_const0(nn)) { em_open(g->em, "if (!(%s)) {", nn); opened = 1; }
  const char *k = cg_tmp(g, "keys"), *ix = cg_tmp(g, "idx"), *isx = cg_tmp(g, "isidx");
  int cap = np ? np : 1;
  em_line(g->em, "RtStr %s[%d]; int64_t %s[%d]; uint8_t %s[%d];", k, cap, ix, cap, isx, cap);
  for (int i = 0; i < np; i++) {
    if (e->args[i + 1]->t.kind == RT_TEXT)
      em_line(g->em, "%s[%d] = %s; %s[%d] = 0; %s[%d] = 0;", k, i, a[i + 1].v, ix, i, isx, i);
    else
      em_line(g->em, "%s[%d] = rt_str(0, 0); %s[%d] = %s; %s[%d] = 1;", k, i, ix, i, a[i + 1].v, isx, i);
  }
  const char *pre = cx_printf(cx, "rt->%s(ctx, %s, %s, %s, %s, %d, ", fn, a[0].v, k, ix, isx, np);
  call_rt(g, r, pre, may_null);
  if (opened) em_close(g->em, NULL);
  return r;
}

static CgVal cg_call(Cg *g, BExpr *e, const CgVal *in) {
  Cx *cx = g->cx;
  int n = e->nargs;
  /* lazily evaluated functions first */
  if (e->fn == F_COALESCE || e->fn == F_NVL) {
    CgVal r = declare(g, e->t, "coalesce", e->nullable ? "1" : "0");
    int opened = 0;
    for (int i = 0; i < n; i++) {
      CgVal v = cg_expr(g, e->args[i], in);
      if (is_const0(v.n)) {
        em_line(g->em, "%s = %s;%s", r.v, v.v, is_const0(r.n) ? "" : cx_printf(cx, " %s = 0;", r.n));
        break;
      }
      em_open(g->em, "if (!%s) {", v.n);
      em_line(g->em, "%s = %s;%s", r.v, v.v, is_const0(r.n) ? "" : cx_printf(cx, " %s = 0;", r.n));
      g->em->indent--;
      em_line(g->em, "} else {");
      g->em->indent++;
      opened++;
    }
    while (opened-- > 0) em_close(g->em, NULL);
    return r;
  }
  CgVal *a = cx_alloc(cx, sizeof(CgVal) * (size_t)(n ? n : 1));
  for (int i = 0; i < n; i++) a[i] = cg_expr(g, e->args[i], in);
  switch (e->fn) {
    case F_NULLIF: {
      CgVal cmp_in[2] = { a[0], a[1] };
      BExpr fake = *e;
      fake.op = OP_EQ;
      CgVal eq = cg_compare(g, &fake, cmp_in[0], cmp_in[1]);
      CgVal r = declare(g, e->t, "nullif", "1");
      em_line(g->em, "if (!(%s) && !(!%s && %s)) { %s = %s; %s = 0; }", a[0].n, eq.n, eq.v, r.v, a[0].v, r.n);
      return r;
    }
    case F_GREATEST: case F_LEAST: {
      CgVal r = declare(g, e->t, "ext", e->nullable ? "1" : "0");
      const char *has = cg_tmp(g, "has");
      em_line(g->em, "int %s = 0;", has);
      int str = type_is_stringy(e->t);
      const char *op = e->fn == F_GREATEST ? ">" : "<";
      for (int i = 0; i < n; i++) {
        const char *better = str ? cx_printf(cx, "rt_str_cmp(%s, %s) %s 0", a[i].v, r.v, op)
                                 : cx_printf(cx, "%s %s %s", a[i].v, op, r.v);
        em_line(g->em, "if (!(%s) && (!%s || %s)) { %s = %s; %s = 1; }", a[i].n, has, better, r.v, a[i].v, has);
      }
      if (!is_const0(r.n)) em_line(g->em, "%s = (uint8_t)!%s;", r.n, has);
      return r;
    }
    case F_CONCAT: {
      CgVal r = declare(g, e->t, "concat", "0");
      const char *arr = cg_tmp(g, "parts"), *nul = cg_tmp(g, "nulls");
      em_line(g->em, "RtStr %s[%d]; uint8_t %s[%d];", arr, n, nul, n);
      for (int i = 0; i < n; i++)
        em_line(g->em, "%s[%d] = %s; %s[%d] = %s;", arr, i, a[i].v, nul, i, a[i].n);
      em_line(g->em, "if (rt->fn_concat(ctx, %s, %s, %d, &%s) < 0) return -1;", arr, nul, n, r.v);
      return r;
    }
    case F_JSON_GET: case F_JSON_GET_JSON:
      return cg_json_path(g, e, a, "fn_json_get", e->t, 0);
    case F_JSON_GET_TEXT: return cg_json_path(g, e, a, "fn_json_get_text", e->t, 1);
    case F_JSON_GET_STR: return cg_json_path(g, e, a, "fn_json_get_str", e->t, 1);
    case F_JSON_GET_INT: return cg_json_path(g, e, a, "fn_json_get_int", e->t, 1);
    case F_JSON_GET_FLOAT: return cg_json_path(g, e, a, "fn_json_get_float", e->t, 1);
    case F_JSON_GET_BOOL: return cg_json_path(g, e, a, "fn_json_get_bool", e->t, 1);
    case F_JSON_LENGTH: return cg_json_path(g, e, a, "fn_json_length", e->t, 1);
    case F_JSON_CONTAINS: return cg_json_path(g, e, a, "fn_json_contains", e->t, 0);
    default: break;
  }
  /* strict functions: NULL in, NULL out */
  const FnInfo *fi = fn_info(e->fn);
  int may_null = e->nullable && is_const0(null_or(g, a, n)) ? 1 : 0;
  const char *nn = null_or(g, a, n);
  CgVal r = declare(g, e->t, e->fn == F_NOW ? "now" : "f", e->nullable ? (is_const0(nn) ? "0" : nn) : "0");
  if (e->nullable && is_const0(r.n)) {
    r.n = cx_printf(cx, "%s_n", r.v);
    em_line(g->em, "uint8_t %s = 0;", r.n);
  }
  may_null = e->nullable;
  int opened = 0;
  if (!is_const0(nn)) { em_open(g->em, "if (!(%s)) {", nn); opened = 1; }
  const char *R = r.v;
  switch (e->fn) {
    case F_LOWER: call_rt(g, r, cx_printf(cx, "rt->fn_lower(ctx, %s, ", a[0].v), 0); break;
    case F_UPPER: call_rt(g, r, cx_printf(cx, "rt->fn_upper(ctx, %s, ", a[0].v), 0); break;
    case F_INITCAP: call_rt(g, r, cx_printf(cx, "rt->fn_initcap(ctx, %s, ", a[0].v), 0); break;
    case F_REVERSE: call_rt(g, r, cx_printf(cx, "rt->fn_reverse(ctx, %s, ", a[0].v), 0); break;
    case F_LENGTH: call_rt(g, r, cx_printf(cx, "rt->fn_char_length(ctx, %s, ", a[0].v), 0); break;
    case F_OCTET_LENGTH: em_line(g->em, "%s = %s.len;", R, a[0].v); break;
    case F_SUBSTR:
      call_rt(g, r, cx_printf(cx, "rt->fn_substr(ctx, %s, %s, %s, %d, ", a[0].v, a[1].v,
                              n > 2 ? a[2].v : "0", n > 2), 0);
      break;
    case F_BTRIM: case F_LTRIM: case F_RTRIM:
      call_rt(g, r, cx_printf(cx, "rt->fn_trim(ctx, %s, %s, %d, %d, ", a[0].v,
                              n > 1 ? a[1].v : "rt_str(0, 0)", n > 1,
                              e->fn == F_BTRIM ? 0 : e->fn == F_LTRIM ? 1 : 2), 0);
      break;
    case F_REPLACE:
      call_rt(g, r, cx_printf(cx, "rt->fn_replace(ctx, %s, %s, %s, ", a[0].v, a[1].v, a[2].v), 0);
      break;
    case F_STARTS_WITH:
      call_rt(g, r, cx_printf(cx, "rt->fn_starts_with(ctx, %s, %s, ", a[0].v, a[1].v), 0); break;
    case F_ENDS_WITH:
      call_rt(g, r, cx_printf(cx, "rt->fn_ends_with(ctx, %s, %s, ", a[0].v, a[1].v), 0); break;
    case F_STRPOS:
      call_rt(g, r, cx_printf(cx, "rt->fn_strpos(ctx, %s, %s, ", a[0].v, a[1].v), 0); break;
    case F_SPLIT_PART:
      call_rt(g, r, cx_printf(cx, "rt->fn_split_part(ctx, %s, %s, %s, ", a[0].v, a[1].v, a[2].v), 0);
      break;
    case F_LPAD: case F_RPAD:
      call_rt(g, r, cx_printf(cx, "rt->fn_pad(ctx, %s, %s, %s, %d, %d, ", a[0].v, a[1].v,
                              n > 2 ? a[2].v : "rt_str(0, 0)", n > 2, e->fn == F_LPAD), 0);
      break;
    case F_REPEAT: call_rt(g, r, cx_printf(cx, "rt->fn_repeat(ctx, %s, %s, ", a[0].v, a[1].v), 0); break;
    case F_LEFT: call_rt(g, r, cx_printf(cx, "rt->fn_left(ctx, %s, %s, ", a[0].v, a[1].v), 0); break;
    case F_RIGHT: call_rt(g, r, cx_printf(cx, "rt->fn_right(ctx, %s, %s, ", a[0].v, a[1].v), 0); break;
    case F_ASCII: {
      const char *w = cg_tmp(g, "w");
      em_line(g->em, "int32_t %s = 0;", w);
      em_line(g->em, "if (rt->fn_ascii(ctx, %s, &%s) < 0) return -1;", a[0].v, w);
      em_line(g->em, "%s = %s;", R, w);
      break;
    }
    case F_CHR: call_rt(g, r, cx_printf(cx, "rt->fn_chr(ctx, %s, ", a[0].v), 0); break;
    case F_TO_HEX: call_rt(g, r, cx_printf(cx, "rt->fn_to_hex(ctx, %s, ", a[0].v), 0); break;
    case F_MD5: call_rt(g, r, cx_printf(cx, "rt->fn_md5(ctx, %s, ", a[0].v), 0); break;
    case F_REGEXP_LIKE:
      call_rt(g, r, cx_printf(cx, "rt->fn_regexp_like(ctx, %s, %s, %s, %d, ", a[0].v, a[1].v,
                              n > 2 ? a[2].v : "rt_str(0, 0)", n > 2), 0);
      break;
    case F_REGEXP_REPLACE:
      call_rt(g, r, cx_printf(cx, "rt->fn_regexp_replace(ctx, %s, %s, %s, %s, %d, ", a[0].v,
                              a[1].v, a[2].v, n > 3 ? a[3].v : "rt_str(0, 0)", n > 3), 0);
      break;
    case F_ABS:
      if (type_is_float(e->t)) em_line(g->em, "%s = %s < 0 ? -%s : %s;", R, a[0].v, a[0].v, a[0].v);
      else if (type_is_signed_int(e->t) || e->t.kind == RT_DECIMAL) {
        em_line(g->em, "if (%s == %s) return rt->error(ctx, %s, \"%s overflow in abs\");", a[0].v,
                e->t.kind == RT_I32 ? "INT32_MIN" : "INT64_MIN", cg_where(g, e), type_name(e->t));
        em_line(g->em, "%s = %s < 0 ? -%s : %s;", R, a[0].v, a[0].v, a[0].v);
      } else em_line(g->em, "%s = %s;", R, a[0].v);
      break;
    case F_CEIL: em_line(g->em, "%s = rt->m_ceil(%s);", R, a[0].v); break;
    case F_FLOOR: em_line(g->em, "%s = rt->m_floor(%s);", R, a[0].v); break;
    case F_TRUNC: em_line(g->em, "%s = rt->m_trunc(%s);", R, a[0].v); break;
    case F_ROUND: em_line(g->em, "%s = rt->m_round(%s, %s);", R, a[0].v, n > 1 ? a[1].v : "0"); break;
    case F_SQRT: em_line(g->em, "%s = rt->m_sqrt(%s);", R, a[0].v); break;
    case F_CBRT: em_line(g->em, "%s = rt->m_cbrt(%s);", R, a[0].v); break;
    case F_POWER: em_line(g->em, "%s = rt->m_pow(%s, %s);", R, a[0].v, a[1].v); break;
    case F_EXP: em_line(g->em, "%s = rt->m_exp(%s);", R, a[0].v); break;
    case F_LN: em_line(g->em, "%s = rt->m_ln(%s);", R, a[0].v); break;
    case F_LOG10: em_line(g->em, "%s = rt->m_log10(%s);", R, a[0].v); break;
    case F_LOG2: em_line(g->em, "%s = rt->m_log2(%s);", R, a[0].v); break;
    case F_LOG:
      if (n == 1) em_line(g->em, "%s = rt->m_log10(%s);", R, a[0].v);
      else em_line(g->em, "%s = rt->m_ln(%s) / rt->m_ln(%s);", R, a[1].v, a[0].v);
      break;
    case F_SIGN: em_line(g->em, "%s = %s > 0 ? 1.0 : %s < 0 ? -1.0 : 0.0;", R, a[0].v, a[0].v); break;
    case F_PI: em_line(g->em, "%s = 3.14159265358979323846;", R); break;
    case F_SIN: em_line(g->em, "%s = rt->m_sin(%s);", R, a[0].v); break;
    case F_COS: em_line(g->em, "%s = rt->m_cos(%s);", R, a[0].v); break;
    case F_TAN: em_line(g->em, "%s = rt->m_tan(%s);", R, a[0].v); break;
    case F_ASIN: em_line(g->em, "%s = rt->m_asin(%s);", R, a[0].v); break;
    case F_ACOS: em_line(g->em, "%s = rt->m_acos(%s);", R, a[0].v); break;
    case F_ATAN: em_line(g->em, "%s = rt->m_atan(%s);", R, a[0].v); break;
    case F_ATAN2: em_line(g->em, "%s = rt->m_atan2(%s, %s);", R, a[0].v, a[1].v); break;
    case F_MOD: {
      BExpr fake = *e;
      fake.kind = B_OP;
      fake.op = OP_MOD;
      if (opened) { em_close(g->em, NULL); opened = 0; }
      CgVal m = cg_arith(g, &fake, a[0], a[1]);
      em_line(g->em, "%s = %s;%s", R, m.v, is_const0(r.n) ? "" : cx_printf(cx, " %s = %s;", r.n, m.n));
      break;
    }
    case F_NOW: em_line(g->em, "%s = rt->now(ctx);", R); break;
    case F_DATE_TRUNC:
      call_rt(g, r, cx_printf(cx, "rt->fn_date_trunc(ctx, %s, %s, ", a[0].v, a[1].v), 0); break;
    case F_DATE_PART:
      call_rt(g, r, cx_printf(cx, "rt->fn_date_part(ctx, %s, %s, ", a[0].v, a[1].v), 0); break;
    case F_TO_TIMESTAMP: case F_TO_TIMESTAMP_MILLIS: case F_TO_TIMESTAMP_MICROS:
    case F_TO_TIMESTAMP_NANOS: case F_TO_TIMESTAMP_SECONDS: {
      SqlType at = e->args[0]->t;
      if (at.kind == RT_TEXT) call_rt(g, r, cx_printf(cx, "rt->fn_to_timestamp_text(ctx, %s, ", a[0].v), 0);
      else if (at.kind == RT_TIMESTAMP) em_line(g->em, "%s = %s;", R, a[0].v);
      else if (at.kind == RT_F64) em_line(g->em, "%s = (int64_t)(%s * 1e9);", R, a[0].v);
      else {
        const char *mul = e->fn == F_TO_TIMESTAMP_MILLIS ? "1000000" : e->fn == F_TO_TIMESTAMP_MICROS ? "1000"
                        : e->fn == F_TO_TIMESTAMP_NANOS ? "1" : "1000000000";
        em_line(g->em, "if (rt_mul_i64(%s, INT64_C(%s), &%s)) return rt->error(ctx, %s, \"timestamp out of range\");",
                a[0].v, mul, R, cg_where(g, e));
      }
      break;
    }
    case F_FROM_UNIXTIME:
      call_rt(g, r, cx_printf(cx, "rt->fn_from_unixtime(ctx, rt_str(0, 0), %s, ", a[0].v), 0); break;
    case F_TO_CHAR:
      call_rt(g, r, cx_printf(cx, "rt->fn_to_char(ctx, %s, %s, ", a[0].v, a[1].v), 0); break;
    case F_EXTRACT_JSON_STRING:
      call_rt(g, r, cx_printf(cx, "rt->fn_extract_json_string(ctx, %s, %s, ", a[0].v, a[1].v), 1); break;
    case F_GET_FIRST_JSON_OBJECT:
      call_rt(g, r, cx_printf(cx, "rt->fn_get_first_json_object(ctx, %s, %s, ", a[0].v, a[1].v), 1); break;
    default:
      diag_error(cx, e->line, e->col, "internal: no code generator for function %s", fi->name);
  }
  (void)may_null;
  if (opened) em_close(g->em, NULL);
  return r;
}

static CgVal cg_udf(Cg *g, BExpr *e, const CgVal *in) {
  Cx *cx = g->cx;
  int n = e->nargs;
  CgVal *a = cx_alloc(cx, sizeof(CgVal) * (size_t)(n ? n : 1));
  for (int i = 0; i < n; i++) a[i] = cg_expr(g, e->args[i], in);
  CgVal r = declare(g, e->t, "udf", e->udf->nullable && strcmp(null_or(g, a, n), "0") == 0 ? "0" : null_or(g, a, n));
  if (e->udf->nullable && is_const0(r.n)) {   /* the function itself may report NULL */
    r.n = cx_printf(cx, "%s_n", r.v);
    em_line(g->em, "uint8_t %s = 0;", r.n);
  }
  int opened = open_strict(g, r);
  Buf b = {0};
  int needs_ctx = type_is_stringy(e->t);
  buf_printf(&b, "%s = %s(", r.v, e->udf->name);
  if (needs_ctx) buf_puts(&b, n ? "ctx, " : "ctx");
  for (int i = 0; i < n; i++) buf_printf(&b, "%s%s", i ? ", " : "", a[i].v);
  if (e->udf->nullable) buf_printf(&b, "%s&%s", n || needs_ctx ? ", " : "", r.n);
  buf_puts(&b, ");");
  em_line(g->em, "%s", buf_cstr(&b));
  buf_free(&b);
  if (opened) em_close(g->em, NULL);
  return r;
}

CgVal cg_expr(Cg *g, BExpr *e, const CgVal *in) {
  Cx *cx = g->cx;
  switch (e->kind) {
    case B_LIT: return cg_literal(g, e);
    case B_COL: return in[e->colidx];
    case B_CAST: return cg_cast(g, e, cg_expr(g, e->args[0], in));
    case B_CALL: return cg_call(g, e, in);
    case B_UDF: return cg_udf(g, e, in);
    case B_FIELD: {
      CgVal w = cg_expr(g, e->args[0], in);
      if (e->args[0]->t.kind == RT_STRUCT) {
        StructField *f = &struct_def(cx, e->args[0]->t)->fields[e->field];
        const char *fn = c_ident(cx, f->name);
        const char *n = !f->nullable ? w.n :
                        is_const0(w.n) ? cx_printf(cx, "(%s)._null.%s", w.v, fn)
                                       : cx_printf(cx, "(%s || (%s)._null.%s)", w.n, w.v, fn);
        return val(cx_printf(cx, "(%s).%s", w.v, fn), n);
      }
      return val(cx_printf(cx, "%s.%s", w.v, e->field ? "end" : "start"), w.n);
    }
    case B_OP: {
      if (e->op == OP_AND || e->op == OP_OR) {
        int is_and = e->op == OP_AND;
        CgVal a = cg_expr(g, e->args[0], in);
        CgVal r = declare(g, type_make(RT_BOOL), is_and ? "and" : "or", e->nullable ? "0" : "0");
        if (e->nullable) { r.n = cx_printf(cx, "%s_n", r.v); em_line(g->em, "uint8_t %s = 0;", r.n); }
        /* AND: a FALSE decides; OR: a TRUE decides. Otherwise evaluate b. */
        if (is_and) em_open(g->em, "if (!%s && !%s) {", a.n, a.v);
        else em_open(g->em, "if (!%s && %s) {", a.n, a.v);
        em_line(g->em, "%s = %d;", r.v, is_and ? 0 : 1);
        g->em->indent--;
        em_line(g->em, "} else {");
        g->em->indent++;
        CgVal b = cg_expr(g, e->args[1], in);
        if (is_and) em_open(g->em, "if (!%s && !%s) {", b.n, b.v);
        else em_open(g->em, "if (!%s && %s) {", b.n, b.v);
        em_line(g->em, "%s = %d;", r.v, is_and ? 0 : 1);
        g->em->indent--;
        em_line(g->em, "} else {");
        g->em->indent++;
        em_line(g->em, "%s = %d;", r.v, is_and ? 1 : 0);
        if (!is_const0(r.n)) {
          CgVal ab[2] = { a, b };
          em_line(g->em, "%s = (uint8_t)(%s);", r.n, null_or(g, ab, 2));
        }
        em_close(g->em, NULL);
        em_close(g->em, NULL);
        return r;
      }
      if (e->op == OP_NOT) {
        CgVal a = cg_expr(g, e->args[0], in);
        const char *n = cg_tmp(g, "not");
        em_line(g->em, "uint8_t %s = (uint8_t)!%s;", n, a.v);
        return val(n, a.n);
      }
      if (e->op == OP_NEG) {
        CgVal a = cg_expr(g, e->args[0], in);
        CgVal r = declare(g, e->t, "neg", a.n);
        int opened = open_strict(g, r);
        if (e->t.kind == T_INTERVAL)
          em_line(g->em, "%s.months = -%s.months; %s.days = -%s.days; %s.nanos = -%s.nanos;",
                  r.v, a.v, r.v, a.v, r.v, a.v);
        else {
          if (type_is_signed_int(e->t) || e->t.kind == RT_DECIMAL)
            em_line(g->em, "if (%s == %s) return rt->error(ctx, %s, \"%s overflow in negation\");", a.v,
                    e->t.kind == RT_I32 ? "INT32_MIN" : "INT64_MIN", cg_where(g, e), type_name(e->t));
          em_line(g->em, "%s = -%s;", r.v, a.v);
        }
        if (opened) em_close(g->em, NULL);
        return r;
      }
      CgVal a = cg_expr(g, e->args[0], in);
      CgVal b = cg_expr(g, e->args[1], in);
      switch (e->op) {
        case OP_EQ: case OP_NE: case OP_LT: case OP_LE: case OP_GT: case OP_GE:
          return cg_compare(g, e, a, b);
        case OP_CONCAT: {
          CgVal ab[2] = { a, b };
          CgVal r = declare(g, e->t, "cat", null_or(g, ab, 2));
          int opened = open_strict(g, r);
          const char *arr = cg_tmp(g, "parts");
          em_line(g->em, "RtStr %s[2]; uint8_t %s_nulls[2] = {0, 0};", arr, arr);
          em_line(g->em, "%s[0] = %s; %s[1] = %s;", arr, a.v, arr, b.v);
          em_line(g->em, "if (rt->fn_concat(ctx, %s, %s_nulls, 2, &%s) < 0) return -1;", arr, arr, r.v);
          if (opened) em_close(g->em, NULL);
          return r;
        }
        default:
          return cg_arith(g, e, a, b);
      }
    }
    case B_ISNULL: {
      CgVal a = cg_expr(g, e->args[0], in);
      if (is_const0(a.n)) return val(e->negate ? "1" : "0", "0");
      return val(cx_printf(cx, "(uint8_t)%s%s", e->negate ? "!" : "", a.n), "0");
    }
    case B_ISTRUE: {
      CgVal a = cg_expr(g, e->args[0], in);
      const char *n = cg_tmp(g, "is");
      em_line(g->em, "uint8_t %s = (uint8_t)%s(!%s && %s%s);", n, e->negate ? "!" : "", a.n,
              e->istrue_value ? "" : "!", a.v);
      return val(n, "0");
    }
    case B_DISTINCT: {
      CgVal a = cg_expr(g, e->args[0], in), b = cg_expr(g, e->args[1], in);
      BExpr fake = *e;
      fake.op = OP_EQ;
      fake.kind = B_OP;
      CgVal eq = cg_compare(g, &fake, val(a.v, "0"), val(b.v, "0"));
      const char *n = cg_tmp(g, "distinct");
      /* distinct = nulls differ, or both non-NULL and values differ */
      em_line(g->em, "uint8_t %s = (uint8_t)%s((%s) != (%s) || (!(%s) && !(%s) && !%s));", n,
              e->negate ? "!" : "", a.n, b.n, a.n, b.n, eq.v);
      return val(n, "0");
    }
    case B_IN: {
      CgVal x = cg_expr(g, e->args[0], in);
      CgVal r = declare(g, type_make(RT_BOOL), "in", e->nullable ? "0" : "0");
      if (e->nullable) { r.n = cx_printf(cx, "%s_n", r.v); em_line(g->em, "uint8_t %s = 0;", r.n); }
      const char *sawnull = cg_tmp(g, "sawnull");
      em_line(g->em, "int %s = 0;", sawnull);
      for (int i = 1; i < e->nargs; i++) {
        CgVal it = cg_expr(g, e->args[i], in);
        BExpr fake = *e;
        fake.kind = B_OP;
        fake.op = OP_EQ;
        fake.args = cx_alloc(cx, sizeof(BExpr *) * 2);
        fake.args[0] = e->args[0];
        fake.args[1] = e->args[i];
        CgVal eq = cg_compare(g, &fake, val(x.v, "0"), val(it.v, "0"));
        if (is_const0(it.n)) em_line(g->em, "if (%s) %s = 1;", eq.v, r.v);
        else em_line(g->em, "if (%s) %s = 1; else if (!%s && %s) %s = 1;", it.n, sawnull, r.v, eq.v, r.v);
      }
      if (!is_const0(r.n)) em_line(g->em, "%s = (uint8_t)(%s || (!%s && %s));", r.n, x.n, r.v, sawnull);
      if (e->negate) em_line(g->em, "%s = (uint8_t)!%s;", r.v, r.v);
      return r;
    }
    case B_LIKE: {
      CgVal s = cg_expr(g, e->args[0], in), p = cg_expr(g, e->args[1], in);
      CgVal sp[2] = { s, p };
      CgVal r = declare(g, type_make(RT_BOOL), "like", null_or(g, sp, 2));
      int opened = open_strict(g, r);
      int esc = e->args[2] ? (unsigned char)e->args[2]->sval[0] : (int)'\\';   /* default escape: backslash */
      em_line(g->em, "if (rt->fn_like(ctx, %s, %s, %d, %d, &%s) < 0) return -1;", s.v, p.v, esc, e->ci, r.v);
      if (e->negate) em_line(g->em, "%s = (uint8_t)!%s;", r.v, r.v);
      if (opened) em_close(g->em, NULL);
      return r;
    }
    case B_CASE: {
      CgVal r = declare(g, e->t, "case", e->nullable ? "1" : "0");
      int depth = 0;
      for (int i = 0; i < e->nargs; i += 2) {
        CgVal w = cg_expr(g, e->args[i], in);
        em_open(g->em, "if (!%s && %s) {", w.n, w.v);
        CgVal t = cg_expr(g, e->args[i + 1], in);
        em_line(g->em, "%s = %s;%s", r.v, t.v, is_const0(r.n) ? "" : cx_printf(cx, " %s = %s;", r.n, t.n));
        g->em->indent--;
        em_line(g->em, "} else {");
        g->em->indent++;
        depth++;
      }
      if (e->else_) {
        CgVal el = cg_expr(g, e->else_, in);
        em_line(g->em, "%s = %s;%s", r.v, el.v, is_const0(r.n) ? "" : cx_printf(cx, " %s = %s;", r.n, el.n));
      }
      while (depth-- > 0) em_close(g->em, NULL);
      return r;
    }
  }
  diag_error(cx, e->line, e->col, "internal: cannot generate code for this expression");
}
