/*
** codegen/cg_aggfn.c: how each aggregate function is accumulated, merged and finalized.
**
** For aggregate call i of a GROUP BY, this file emits: its fields in the accumulator struct
** (aI_* names), the update for one input row (with sign +1, or -1 for a retraction when the
** input is updating), the merge of one partial accumulator into another (hop panes, session
** merges), the final value, and the release of objects in a temporary accumulator.
** Representations (see docs/aggregates.md for the runtime objects):
**   inline scalars        count, sum, avg, min/max/bit/bool (append-only), first/last_value
**   RtMoments/CoMoments   var/stddev, covar/corr/regr_* (Welford, retractable)
**   RtBitCounts + counts  bit_and/bit_or/bool_and/bool_or over updating input
**   runtime objects       DISTINCT sets, sorted multisets (median, min/max over retractions or
**                         of TEXT in updating aggregates), HyperLogLog, t-digest, string box,
**                         value list (string_agg)
** Objects live in `void *` fields that the state table owns (listed in RtStateDesc).
** The stage structure around these pieces is in cg_agg.c.
*/
#include <string.h>
#include "codegen.h"

static int is_float_t(SqlType t) { return type_is_float(t); }

AggRepr agg_repr(AggCall *a, int upd_in, const char **why) {
  *why = NULL;
  SqlType at = a->nargs ? a->args[0]->t : type_make(RT_I64);
  if (a->distinct) {
    if (a->fn == A_COUNT || a->fn == A_SUM || a->fn == A_AVG) return R_DISTINCT;
    if (a->fn == A_MIN || a->fn == A_MAX) return upd_in || type_is_stringy(at) ? R_MSET : R_MINMAX;
    *why = "DISTINCT";
    return R_NONE;
  }
  switch (a->fn) {
    case A_COUNT_STAR: case A_COUNT: return R_COUNT;
    case A_SUM: return R_SUM;
    case A_AVG: return R_AVG;
    case A_MIN: case A_MAX:
      if (type_is_stringy(at)) return upd_in ? R_MSET : R_STRBOX;
      return upd_in ? R_MSET : R_MINMAX;
    case A_BIT_AND: case A_BIT_OR: return upd_in ? R_BITCOUNTS : R_BIT;
    case A_BIT_XOR: return R_BIT;
    case A_BOOL_AND: case A_BOOL_OR: return upd_in ? R_BOOLCOUNTS : R_BIT;
    case A_MEDIAN: return R_MSET;
    case A_STDDEV_SAMP: case A_STDDEV_POP: case A_VAR_SAMP: case A_VAR_POP: return R_MOMENTS;
    case A_CORR: case A_COVAR_SAMP: case A_COVAR_POP: case A_REGR_SLOPE: case A_REGR_INTERCEPT:
    case A_REGR_COUNT: case A_REGR_R2: case A_REGR_AVGX: case A_REGR_AVGY: case A_REGR_SXX:
    case A_REGR_SYY: case A_REGR_SXY:
      return R_COMOMENTS;
    case A_APPROX_DISTINCT: return R_HLL;
    case A_APPROX_MEDIAN: case A_APPROX_PCT: case A_APPROX_PCT_W: return R_TDIGEST;
    case A_FIRST_VALUE: case A_LAST_VALUE:
      return type_is_stringy(at) ? R_STRBOX : R_FIRSTLAST;
    case A_STRING_AGG: return R_LIST;
    case A_UDAF: return R_UDAF;
    case A_ARRAY_AGG: return R_ARRAY;
    default:
      *why = "this aggregate";
      return R_NONE;
  }
}

/* Does the representation keep a runtime object in aI_obj? */
int agg_repr_has_obj(AggRepr r) {
  return r == R_DISTINCT || r == R_MSET || r == R_HLL || r == R_TDIGEST || r == R_STRBOX || r == R_LIST ||
         r == R_UDAF || r == R_ARRAY;
}

static int udaf_arg_size(SqlType t) {
  switch (t.kind) {
    case RT_BOOL: return 1;
    case RT_I32: case RT_U32: case RT_F32: return 4;
    default: return 8;
  }
}

/* avg() sums in double, as DataFusion's AvgAccumulator does for every numeric input. */
static const char *sum_type(AggCall *a) {
  if (a->fn == A_AVG) return "double";
  return type_c(a->t);
}

/* Multiset key kind of a type: str, f64, u64 (BIGINT UNSIGNED keeps its order) or i64. */
static const char *mset_kind(SqlType t) {
  if (type_is_stringy(t)) return "str";
  if (type_is_float(t)) return "f64";
  if (t.kind == RT_U64) return "u64";
  return "i64";
}
static const char *mset_ctype(SqlType t) {
  if (type_is_stringy(t)) return "RtStr";
  if (type_is_float(t)) return "double";
  if (t.kind == RT_U64) return "uint64_t";
  return "int64_t";
}

void cg_aggfn_fields(Emitter *ty, AggCall *a, int i, AggRepr r) {
  em_line(ty, "int64_t a%d_n;   /* %s: values counted */", i, agg_name(a->fn));
  switch (r) {
    case R_SUM: case R_AVG: em_line(ty, "%s a%d_sum;", sum_type(a), i); break;
    case R_MINMAX: case R_BIT: em_line(ty, "%s a%d_v;", type_c(a->t), i); break;
    case R_FIRSTLAST:
      em_line(ty, "%s a%d_v;", type_c(a->t), i);
      em_line(ty, "uint8_t a%d_vnull;   /* first/last_value keep NULLs (no IGNORE NULLS) */", i);
      break;
    case R_MOMENTS: em_line(ty, "RtMoments a%d_m;", i); break;
    case R_COMOMENTS: em_line(ty, "RtCoMoments a%d_m;", i); break;
    case R_BITCOUNTS: em_line(ty, "RtBitCounts a%d_bits;", i); break;
    case R_BOOLCOUNTS: em_line(ty, "int64_t a%d_trues;", i); break;
    case R_DISTINCT:
      if (a->fn != A_COUNT) em_line(ty, "%s a%d_sum;   /* over distinct values */", sum_type(a), i);
      break;
    default: break;
  }
  if (agg_repr_has_obj(r)) em_line(ty, "void *a%d_obj;   /* runtime object, owned by the state table */", i);
}

/* The value of argument j of agg i as 8 bytes for objects: widen to int64/double. */
static const char *obj_value_local(Gen *gen, AggCall *a, int i, int j, const char *row) {
  Cx *cx = gen->cx;
  SqlType t = a->args[j]->t;
  const char *v = cx_printf(cx, "%s->a%d_%d", row, i, j);
  const char *n = cx_printf(cx, "ov%d_%d", i, j);
  if (is_float_t(t)) em_line(gen->em, "double %s = (double)%s;", n, v);
  else if (t.kind == RT_U64) em_line(gen->em, "uint64_t %s = %s;", n, v);
  else em_line(gen->em, "int64_t %s = (int64_t)%s;", n, v);
  return n;
}

void cg_aggfn_update(Gen *gen, AggCall *a, int i, AggRepr r, int upd_in, const char *acc, const char *row) {
  Cx *cx = gen->cx;
  Emitter *em = gen->em;
  const char *sg = upd_in ? "sign" : "1";
  const char *where = "\"aggregate\"";
  int opened = 0;
  if (a->filter) { em_open(em, "if (%s->f%d) {", row, i); opened++; }
  /* NULL arguments are skipped (count(*) counts every row; string_agg/array_agg skip NULLs) */
  if (r == R_ARRAY) {
    /* array_agg keeps NULL elements, as DataFusion does */
    SqlType et = a->args[0]->t;
    const char *v = cx_printf(cx, "%s->a%d_0", row, i);
    const char *F = cx_printf(cx, "%s->a%d", acc, i);
    const char *nul = cx_printf(cx, "%s->_null.a%d_0", row, i);
    if (type_is_stringy(et)) {
      if (upd_in) em_line(em, "if (sign > 0 ? rt->agg_list_add(ctx, &%s_obj, %s.ptr, %s ? 0 : %s.len, %s) : "
                          "rt->agg_list_remove(ctx, &%s_obj, %s.ptr, %s ? 0 : %s.len, %s, 0)) return -1;",
                          F, v, nul, v, nul, F, v, nul, v, nul);
      else em_line(em, "if (rt->agg_list_add(ctx, &%s_obj, %s.ptr, %s ? 0 : %s.len, %s)) return -1;", F, v, nul, v, nul);
    } else {
      if (upd_in) em_line(em, "if (sign > 0 ? rt->agg_list_add(ctx, &%s_obj, &%s, (int64_t)sizeof %s, %s) : "
                          "rt->agg_list_remove(ctx, &%s_obj, &%s, (int64_t)sizeof %s, %s, 0)) return -1;",
                          F, v, v, nul, F, v, v, nul);
      else em_line(em, "if (rt->agg_list_add(ctx, &%s_obj, &%s, (int64_t)sizeof %s, %s)) return -1;", F, v, v, nul);
    }
    em_line(em, "%s_n += %s;", F, sg);
    while (opened-- > 0) em_close(em, NULL);
    return;
  }
  int keeps_nulls = a->fn == A_FIRST_VALUE || a->fn == A_LAST_VALUE;
  if (a->fn != A_COUNT_STAR && a->nargs > 0 && !keeps_nulls) {
    Buf nn = {0};
    buf_printf(&nn, "!%s->_null.a%d_0", row, i);
    if (r == R_COMOMENTS || a->fn == A_APPROX_PCT_W) buf_printf(&nn, " && !%s->_null.a%d_1", row, i);
    if (r == R_UDAF)   /* rows with a NULL argument are not passed to the UDAF */
      for (int j = 1; j < a->nargs; j++) buf_printf(&nn, " && !%s->_null.a%d_%d", row, i, j);
    em_open(em, "if (%s) {", buf_cstr(&nn));
    buf_free(&nn);
    opened++;
  }
  const char *v = cx_printf(cx, "%s->a%d_0", row, i);
  const char *F = cx_printf(cx, "%s->a%d", acc, i);   /* field prefix */
  SqlType at = a->nargs ? a->args[0]->t : type_make(RT_I64);
  switch (r) {
    case R_COUNT:
      em_line(em, "%s_n += %s;", F, sg);
      break;
    case R_SUM: case R_AVG: {
      const char *st = sum_type(a);
      if (!strcmp(st, "double")) {
        em_line(em, "%s_sum += %s(double)%s;", F, upd_in ? "(double)sign * " : "", v);
      } else if (a->t.kind == RT_DECIMAL || !strcmp(st, "int64_t") || !strcmp(st, "uint64_t")) {
        const char *sfx = !strcmp(st, "uint64_t") ? "u64" : "i64";
        if (upd_in)
          em_line(em, "if (sign > 0 ? rt_add_%s(%s_sum, (%s)%s, &%s_sum) : rt_sub_%s(%s_sum, (%s)%s, &%s_sum)) "
                  "return rt->error(ctx, %s, \"overflow in %s()\");", sfx, F, st, v, F, sfx, F, st, v, F, where,
                  agg_name(a->fn));
        else
          em_line(em, "if (rt_add_%s(%s_sum, (%s)%s, &%s_sum)) return rt->error(ctx, %s, \"overflow in %s()\");",
                  sfx, F, st, v, F, where, agg_name(a->fn));
      } else {
        em_line(em, "%s_sum += (%s)%s;", F, st, v);
      }
      em_line(em, "%s_n += %s;", F, sg);
      break;
    }
    case R_MINMAX:
      em_line(em, "if (%s_n == 0 || %s %s %s_v) %s_v = %s;", F, v, a->fn == A_MIN ? "<" : ">", F, F, v);
      em_line(em, "%s_n++;", F);
      break;
    case R_BIT:
      switch (a->fn) {
        case A_BIT_AND: em_line(em, "%s_v = %s_n ? (%s_v & %s) : %s;", F, F, F, v, v); break;
        case A_BIT_OR: em_line(em, "%s_v |= %s;", F, v); break;
        case A_BIT_XOR: em_line(em, "%s_v ^= %s;   /* xor undoes itself on retraction */", F, v); break;
        case A_BOOL_AND: em_line(em, "%s_v = %s_n ? (%s_v && %s) : %s;", F, F, F, v, v); break;
        default: em_line(em, "%s_v = %s_n ? (%s_v || %s) : %s;", F, F, F, v, v); break;
      }
      em_line(em, "%s_n += %s;", F, sg);
      break;
    case R_BITCOUNTS: {
      em_line(em, "{ uint64_t bv = (uint64_t)%s; int b; for (b = 0; b < 64; b++) if (bv >> b & 1) %s_bits.ones[b] += %s; }",
              v, F, sg);
      em_line(em, "%s_bits.n += %s; %s_n += %s;", F, sg, F, sg);
      break;
    }
    case R_BOOLCOUNTS:
      em_line(em, "if (%s) %s_trues += %s;", v, F, sg);
      em_line(em, "%s_n += %s;", F, sg);
      break;
    case R_FIRSTLAST: {
      const char *nul = cx_printf(cx, "%s->_null.a%d_0", row, i);
      if (a->fn == A_FIRST_VALUE) em_line(em, "if (%s_n == 0) { %s_v = %s; %s_vnull = %s; }", F, F, v, F, nul);
      else em_line(em, "%s_v = %s; %s_vnull = %s;", F, v, F, nul);
      em_line(em, "%s_n++;", F);
      break;
    }
    case R_MOMENTS:
      if (upd_in) em_line(em, "if (sign > 0) rt_moments_add(&%s_m, (double)%s); else rt_moments_retract(&%s_m, (double)%s);",
                          F, v, F, v);
      else em_line(em, "rt_moments_add(&%s_m, (double)%s);", F, v);
      em_line(em, "%s_n += %s;", F, sg);
      break;
    case R_COMOMENTS: {
      /* covar/corr(a, b) feed (a, b); regr_*(y, x) feed (x, y) */
      int regr = a->fn >= A_REGR_SLOPE && a->fn <= A_REGR_SXY;
      const char *x = cx_printf(cx, "(double)%s->a%d_%d", row, i, regr ? 1 : 0);
      const char *y = cx_printf(cx, "(double)%s->a%d_%d", row, i, regr ? 0 : 1);
      if (upd_in) em_line(em, "if (sign > 0) rt_comoments_add(&%s_m, %s, %s); else rt_comoments_retract(&%s_m, %s, %s);",
                          F, x, y, F, x, y);
      else em_line(em, "rt_comoments_add(&%s_m, %s, %s);", F, x, y);
      em_line(em, "%s_n += %s;", F, sg);
      break;
    }
    case R_DISTINCT: {
      const char *ptr, *len;
      if (type_is_stringy(at)) { ptr = cx_printf(cx, "%s.ptr", v); len = cx_printf(cx, "%s.len", v); }
      else { ptr = cx_printf(cx, "&%s", obj_value_local(gen, a, i, 0, row)); len = "8"; }
      em_line(em, "int edge%d = 0;", i);
      if (upd_in) {
        em_line(em, "if (sign > 0 ? rt->agg_distinct_add(ctx, &%s_obj, %s, %s, &edge%d) : "
                "rt->agg_distinct_remove(ctx, &%s_obj, %s, %s, &edge%d)) return -1;", F, ptr, len, i, F, ptr, len, i);
      } else {
        em_line(em, "if (rt->agg_distinct_add(ctx, &%s_obj, %s, %s, &edge%d)) return -1;", F, ptr, len, i);
      }
      /* the value appeared (or disappeared): only then does it change the distinct sum */
      em_open(em, "if (edge%d) {", i);
      if (a->fn != A_COUNT) {
        const char *st = sum_type(a);
        if (!strcmp(st, "double")) em_line(em, "%s_sum += %s(double)%s;", F, upd_in ? "(double)sign * " : "", v);
        else em_line(em, "if ((%s > 0 ? rt_add_%s(%s_sum, (%s)%s, &%s_sum) : rt_sub_%s(%s_sum, (%s)%s, &%s_sum))) "
                     "return rt->error(ctx, %s, \"overflow in %s(DISTINCT)\");", sg,
                     !strcmp(st, "uint64_t") ? "u64" : "i64", F, st, v, F, !strcmp(st, "uint64_t") ? "u64" : "i64",
                     F, st, v, F, where, agg_name(a->fn));
      }
      em_line(em, "%s_n += %s;", F, sg);
      em_close(em, NULL);
      break;
    }
    case R_MSET: {
      const char *kind = mset_kind(at);
      const char *val = type_is_stringy(at) ? v : cx_printf(cx, "(%s)%s", mset_ctype(at), v);
      if (upd_in)
        em_line(em, "if (sign > 0 ? rt->agg_mset_add_%s(ctx, &%s_obj, %s) : rt->agg_mset_remove_%s(ctx, &%s_obj, %s)) return -1;",
                kind, F, val, kind, F, val);
      else em_line(em, "if (rt->agg_mset_add_%s(ctx, &%s_obj, %s)) return -1;", kind, F, val);
      em_line(em, "%s_n += %s;", F, sg);
      break;
    }
    case R_HLL: {
      const char *ptr, *len;
      if (type_is_stringy(at)) { ptr = cx_printf(cx, "%s.ptr", v); len = cx_printf(cx, "%s.len", v); }
      else { ptr = cx_printf(cx, "&%s", obj_value_local(gen, a, i, 0, row)); len = "8"; }
      em_line(em, "if (rt->agg_hll_add(ctx, &%s_obj, %s, %s)) return -1;", F, ptr, len);
      em_line(em, "%s_n++;", F);
      break;
    }
    case R_TDIGEST:
      if (a->fn == A_APPROX_PCT_W)
        em_line(em, "if (rt->agg_tdigest_add_weighted(ctx, &%s_obj, (double)%s, (double)%s->a%d_1, 0)) return -1;",
                F, v, row, i);
      else em_line(em, "if (rt->agg_tdigest_add(ctx, &%s_obj, (double)%s, 0)) return -1;", F, v);
      em_line(em, "%s_n++;", F);
      break;
    case R_STRBOX: {
      const char *mode = a->fn == A_MIN ? "RT_SBOX_MIN" : a->fn == A_MAX ? "RT_SBOX_MAX" :
                         a->fn == A_FIRST_VALUE ? "RT_SBOX_FIRST" : "RT_SBOX_LAST";
      if (keeps_nulls)
        em_line(em, "if (rt->agg_str_set(ctx, &%s_obj, %s, %s->_null.a%d_0, %s, 0)) return -1;", F, v, row, i, mode);
      else
        em_line(em, "if (rt->agg_str_set(ctx, &%s_obj, %s, 0, %s, 0)) return -1;", F, v, mode);
      em_line(em, "%s_n++;", F);
      break;
    }
    case R_UDAF: {
      /* one list element per row: the arguments packed back to back at their C sizes */
      int size = 0;
      for (int j = 0; j < a->nargs; j++) size += udaf_arg_size(a->args[j]->t);
      em_line(em, "unsigned char pk%d[%d];", i, size ? size : 1);
      int off = 0;
      for (int j = 0; j < a->nargs; j++) {
        em_line(em, "rt_put_bytes(pk%d + %d, &%s->a%d_%d, %d);", i, off, row, i, j, udaf_arg_size(a->args[j]->t));
        off += udaf_arg_size(a->args[j]->t);
      }
      em_line(em, "if (rt->agg_list_add(ctx, &%s_obj, pk%d, %d, 0)) return -1;", F, i, size);
      em_line(em, "%s_n++;", F);
      break;
    }
    case R_LIST:
      if (upd_in)
        em_line(em, "if (sign > 0 ? rt->agg_list_add(ctx, &%s_obj, %s.ptr, %s.len, 0) : "
                "rt->agg_list_remove(ctx, &%s_obj, %s.ptr, %s.len, 0, 0)) return -1;", F, v, v, F, v, v);
      else em_line(em, "if (rt->agg_list_add(ctx, &%s_obj, %s.ptr, %s.len, 0)) return -1;", F, v, v);
      em_line(em, "%s_n += %s;", F, sg);
      break;
    default: break;
  }
  while (opened-- > 0) em_close(em, NULL);
}

void cg_aggfn_merge(Gen *gen, AggCall *a, int i, AggRepr r, const char *t, const char *s) {
  Cx *cx = gen->cx;
  Emitter *em = gen->em;
  const char *T = cx_printf(cx, "%s->a%d", t, i), *S = cx_printf(cx, "%s->a%d", s, i);
  em_open(em, "if (%s_n) {", S);
  switch (r) {
    case R_SUM: case R_AVG: {
      const char *st = sum_type(a);
      if (!strcmp(st, "double")) em_line(em, "%s_sum += %s_sum;", T, S);
      else em_line(em, "if (rt_add_%s(%s_sum, %s_sum, &%s_sum)) return rt->error(ctx, \"aggregate\", \"overflow in %s()\");",
                   !strcmp(st, "uint64_t") ? "u64" : "i64", T, S, T, agg_name(a->fn));
      break;
    }
    case R_MINMAX:
      em_line(em, "if (%s_n == 0 || %s_v %s %s_v) %s_v = %s_v;", T, S, a->fn == A_MIN ? "<" : ">", T, T, S);
      break;
    case R_BIT:
      switch (a->fn) {
        case A_BIT_AND: em_line(em, "%s_v = %s_n ? (%s_v & %s_v) : %s_v;", T, T, T, S, S); break;
        case A_BIT_OR: em_line(em, "%s_v |= %s_v;", T, S); break;
        case A_BIT_XOR: em_line(em, "%s_v ^= %s_v;", T, S); break;
        case A_BOOL_AND: em_line(em, "%s_v = %s_n ? (%s_v && %s_v) : %s_v;", T, T, T, S, S); break;
        default: em_line(em, "%s_v = %s_v || %s_v;", T, T, S); break;
      }
      break;
    case R_FIRSTLAST:
      /* panes are merged oldest first: first keeps its value, last takes the later one */
      if (a->fn == A_FIRST_VALUE) em_line(em, "if (%s_n == 0) { %s_v = %s_v; %s_vnull = %s_vnull; }", T, T, S, T, S);
      else em_line(em, "%s_v = %s_v; %s_vnull = %s_vnull;", T, S, T, S);
      break;
    case R_BITCOUNTS:
      em_line(em, "{ int b; for (b = 0; b < 64; b++) %s_bits.ones[b] += %s_bits.ones[b]; %s_bits.n += %s_bits.n; }", T, S, T, S);
      break;
    case R_BOOLCOUNTS: em_line(em, "%s_trues += %s_trues;", T, S); break;
    case R_MOMENTS: em_line(em, "rt_moments_merge(&%s_m, &%s_m);", T, S); break;
    case R_COMOMENTS: em_line(em, "rt_comoments_merge(&%s_m, &%s_m);", T, S); break;
    case R_DISTINCT:
      /* distinct values can repeat across panes: recount from the merged set */
      /* count(DISTINCT) reads the merged set; sum/avg(DISTINCT) are refused for merging windows */
      em_line(em, "if (rt->agg_distinct_merge(ctx, &%s_obj, %s_obj)) return -1;", T, S);
      break;
    case R_MSET: em_line(em, "if (rt->agg_mset_merge(ctx, &%s_obj, %s_obj)) return -1;", T, S); break;
    case R_HLL: em_line(em, "if (rt->agg_hll_merge(ctx, &%s_obj, %s_obj)) return -1;", T, S); break;
    case R_TDIGEST: em_line(em, "if (rt->agg_tdigest_merge(ctx, &%s_obj, %s_obj)) return -1;", T, S); break;
    case R_STRBOX: {
      const char *mode = a->fn == A_MIN ? "RT_SBOX_MIN" : a->fn == A_MAX ? "RT_SBOX_MAX" :
                         a->fn == A_FIRST_VALUE ? "RT_SBOX_FIRST" : "RT_SBOX_LAST";
      em_line(em, "if (rt->agg_str_merge(ctx, &%s_obj, %s_obj, %s)) return -1;", T, S, mode);
      break;
    }
    case R_LIST: case R_UDAF: case R_ARRAY:
      em_line(em, "if (rt->agg_list_merge(ctx, &%s_obj, %s_obj)) return -1;", T, S);
      break;
    default: break;
  }
  em_line(em, "%s_n += %s_n;", T, S);
  em_close(em, NULL);
}

void cg_aggfn_final(Gen *gen, AggCall *a, int i, AggRepr r, const char *acc, const char *v, const char *n) {
  Cx *cx = gen->cx;
  Emitter *em = gen->em;
  const char *F = cx_printf(cx, "%s->a%d", acc, i);
  SqlType at = a->nargs ? a->args[0]->t : type_make(RT_I64);
  const char *rc = cx_printf(cx, "rc%d", i);
  switch (r) {
    case R_COUNT: em_line(em, "%s = %s_n;", v, F); break;
    case R_SUM: em_line(em, "if (%s_n) %s = %s_sum; else %s = 1;", F, v, F, n); break;
    case R_AVG: em_line(em, "if (%s_n) %s = (double)%s_sum / (double)%s_n; else %s = 1;", F, v, F, F, n); break;
    case R_MINMAX: case R_BIT:
      em_line(em, "if (%s_n) %s = %s_v; else %s = 1;", F, v, F, n);
      break;
    case R_FIRSTLAST:
      em_line(em, "if (%s_n && !%s_vnull) %s = %s_v; else %s = 1;", F, F, v, F, n);
      break;
    case R_BITCOUNTS:
      em_open(em, "if (%s_n > 0) {", F);
      em_line(em, "uint64_t bits = 0; int b;");
      em_line(em, "for (b = 0; b < 64; b++) if (%s_bits.ones[b] %s) bits |= UINT64_C(1) << b;", F,
              a->fn == A_BIT_AND ? cx_printf(cx, "== %s_bits.n", F) : "> 0");
      em_line(em, "%s = (%s)bits;", v, type_c(a->t));
      em->indent--;
      em_line(em, "} else %s = 1;", n);
      break;
    case R_BOOLCOUNTS:
      if (a->fn == A_BOOL_AND) em_line(em, "if (%s_n > 0) %s = (uint8_t)(%s_trues == %s_n); else %s = 1;", F, v, F, F, n);
      else em_line(em, "if (%s_n > 0) %s = (uint8_t)(%s_trues > 0); else %s = 1;", F, v, F, n);
      break;
    case R_MOMENTS: {
      int sample = a->fn == A_STDDEV_SAMP || a->fn == A_VAR_SAMP;
      const char *fn = a->fn == A_STDDEV_SAMP || a->fn == A_STDDEV_POP ? "agg_stddev_final" : "agg_var_final";
      em_line(em, "int %s = rt->%s(ctx, &%s_m, %d, &%s);", rc, fn, F, sample, v);
      em_line(em, "if (%s < 0) { return -1; } %s = (uint8_t)(%s == RT_NULL);", rc, n, rc);
      break;
    }
    case R_COMOMENTS: {
      if (a->fn == A_REGR_COUNT) { em_line(em, "%s = (uint64_t)%s_m.count;", v, F); break; }
      if (a->fn == A_CORR) em_line(em, "int %s = rt->agg_corr_final(ctx, &%s_m, &%s);", rc, F, v);
      else if (a->fn == A_COVAR_SAMP || a->fn == A_COVAR_POP)
        em_line(em, "int %s = rt->agg_covar_final(ctx, &%s_m, %d, &%s);", rc, F, a->fn == A_COVAR_SAMP, v);
      else {
        static const char *const what[] = { "RT_REGR_SLOPE", "RT_REGR_INTERCEPT", "RT_REGR_COUNT", "RT_REGR_R2",
                                            "RT_REGR_AVGX", "RT_REGR_AVGY", "RT_REGR_SXX", "RT_REGR_SYY", "RT_REGR_SXY" };
        em_line(em, "int %s = rt->agg_regr_final(ctx, &%s_m, %s, &%s);", rc, F, what[a->fn - A_REGR_SLOPE], v);
      }
      em_line(em, "if (%s < 0) { return -1; } %s = (uint8_t)(%s == RT_NULL);", rc, n, rc);
      break;
    }
    case R_DISTINCT:
      if (a->fn == A_COUNT) em_line(em, "%s = rt->agg_distinct_count(%s_obj);", v, F);
      else {
        if (a->fn == A_SUM) em_line(em, "if (%s_n) %s = %s_sum; else %s = 1;", F, v, F, n);
        else em_line(em, "if (%s_n) %s = (double)%s_sum / (double)%s_n; else %s = 1;", F, v, F, F, n);
      }
      break;
    case R_MSET: {
      const char *kind = mset_kind(at);
      const char *ctype = mset_ctype(at);
      const char *w = cx_printf(cx, "mw%d", i);
      em_line(em, "%s %s = %s;", ctype, w, type_is_stringy(at) ? "{0, 0}" : "0");
      if (a->fn == A_MEDIAN)
        em_line(em, "int %s = rt->agg_mset_median_%s(ctx, %s_obj, %d, &%s);", rc, kind, F, a->distinct, w);
      else
        em_line(em, "int %s = rt->agg_mset_nth_%s(ctx, %s_obj, %d, %d, &%s);", rc, kind, F,
                a->fn == A_MIN ? 0 : -1, a->distinct, w);
      em_line(em, "if (%s < 0) { return -1; } %s = (uint8_t)(%s == RT_NULL); %s = (%s)%s;", rc, n, rc, v,
              type_c(a->t), w);
      break;
    }
    case R_HLL: em_line(em, "%s = (uint64_t)rt->agg_hll_count(%s_obj);", v, F); break;
    case R_TDIGEST: {
      const char *w = cx_printf(cx, "tq%d", i);
      em_line(em, "double %s = 0;", w);
      em_line(em, "int %s = rt->agg_tdigest_quantile(ctx, %s_obj, %.17g, &%s);", rc, F, a->param, w);
      em_line(em, "if (%s < 0) { return -1; } %s = (uint8_t)(%s == RT_NULL); %s = (%s)%s;", rc, n, rc, v, type_c(a->t), w);
      break;
    }
    case R_STRBOX:
      em_line(em, "int %s = rt->agg_str_get(ctx, %s_obj, &%s);", rc, F, v);
      em_line(em, "if (%s < 0) { return -1; } %s = (uint8_t)(%s == RT_NULL);", rc, n, rc);
      break;
    case R_LIST: {
      BExpr *sep = a->args[1];
      em_line(em, "int %s = rt->agg_list_join(ctx, %s_obj, rt_str(%s, %d), &%s);", rc, F,
              c_string(cx, sep->sval ? sep->sval : "", (size_t)sep->slen), sep->slen, v);
      em_line(em, "if (%s < 0) { return -1; } %s = (uint8_t)(%s == RT_NULL);", rc, n, rc);
      break;
    }
    case R_ARRAY: {
      SqlType et = a->args[0]->t;
      int esz = type_is_stringy(et) ? 0 : udaf_arg_size(et);
      em_line(em, "void *av%d = 0; uint8_t *an%d = 0; int64_t ac%d = 0;", i, i, i);
      em_line(em, "if (rt->agg_list_array(ctx, %s_obj, %d, &av%d, &an%d, &ac%d) < 0) return -1;", F, esz, i, i, i);
      em_line(em, "if (ac%d == 0) %s = 1; else { %s.data = av%d; %s.len = ac%d; %s.nulls = an%d; }", i, n, v, i, v, i, v, i);
      break;
    }
    case R_UDAF: {
      Udf *u = a->udaf;
      int size = 0;
      for (int j = 0; j < a->nargs; j++) size += udaf_arg_size(a->args[j]->t);
      em_line(em, "void *uv%d = 0; int64_t un%d = 0;", i, i);
      em_line(em, "if (rt->agg_list_array(ctx, %s_obj, %d, &uv%d, 0, &un%d) < 0) return -1;", F, size, i, i);
      em_open(em, "if (un%d == 0) %s = 1;", i, n);
      em->indent--;
      em_open(em, "else {");
      Buf call = {0};
      buf_printf(&call, "%s = %s(", v, u->name);
      int off = 0;
      for (int j = 0; j < a->nargs; j++) {
        const char *ct = type_c(a->args[j]->t);
        int sz = udaf_arg_size(a->args[j]->t);
        if (a->nargs == 1) {
          em_line(em, "const %s *col%d_%d = (const %s *)uv%d;", ct, i, j, ct, i);
        } else {
          /* unpack column j of the packed rows into its own array */
          em_line(em, "%s *col%d_%d = (%s *)rt->alloc(ctx, un%d * %d);", ct, i, j, ct, i, sz);
          em_line(em, "{ int64_t q; for (q = 0; q < un%d; q++) rt_put_bytes(&col%d_%d[q], (const char *)uv%d + q * %d + %d, %d); }",
                  i, i, j, i, size, off, sz);
        }
        off += sz;
        buf_printf(&call, "%scol%d_%d", j ? ", " : "", i, j);
      }
      buf_printf(&call, "%sun%d", a->nargs ? ", " : "", i);
      if (u->nullable) buf_printf(&call, ", &%s", n);
      buf_puts(&call, ");");
      em_line(em, "%s", buf_cstr(&call));
      buf_free(&call);
      em_close(em, NULL);
      break;
    }
    default: break;
  }
}

void cg_aggfn_free_temp(Gen *gen, AggCall *a, int i, AggRepr r, const char *t) {
  (void)a;
  if (agg_repr_has_obj(r)) em_line(gen->em, "rt->agg_free(%s->a%d_obj);", t, i);
}
