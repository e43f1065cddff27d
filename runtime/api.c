/*
** runtime/api.c: the RtApi table handed to every pipeline .so, and the SQL type names.
**
** rt_api() returns one statically filled, read-only table: core services (alloc, emit, error,
** now), the scalar functions of fn_*.c, libm entry points and the byte hash. It holds no state,
** so one table serves every loaded pipeline and thread. The functions themselves live in
** fn_string.c, fn_regex.c, fn_math.c, fn_cast.c, fn_time.c and fn_json.c (prototypes in fn.h).
** Members are assigned by name (designated initializers), so the compiler checks every
** function's type against abi.h and a missing member stays NULL rather than shifting others.
*/
#include <math.h>
#include "fn.h"
#include "agg.h"

/* ORDER RtType: index 0 is unused (RtType starts at 1). */
const char *const rt_type_names[RT_TYPE_COUNT] = {
  "?", "BOOLEAN", "INT", "BIGINT", "INT UNSIGNED", "BIGINT UNSIGNED", "FLOAT", "DOUBLE",
  "DECIMAL", "TEXT", "TIMESTAMP", "BYTEA", "JSON", "STRUCT",
};

/* libm's log is SQL's ln; wrapped so the member's name reads as the SQL function. */
static double m_ln(double x) { return log(x); }

/* rt->current_watermark / rt->count_late: the subtask's input watermark and late-row counter
** live on ctx (the worker advances ctx->watermark and reports late_rows). */
static int64_t rt_current_watermark(RtCtx *ctx) { return ctx->watermark; }
static void rt_count_late(RtCtx *ctx, int64_t n) { ctx->late_rows += n; }

static const RtApi api = {
  .abi_version = RT_ABI_VERSION,
  .size = sizeof(RtApi),

  .alloc = rt_alloc,
  .emit = rt_emit,
  .error = rt_error,
  .now = rt_now,

  .fn_lower = fn_lower,
  .fn_upper = fn_upper,
  .fn_initcap = fn_initcap,
  .fn_reverse = fn_reverse,
  .fn_char_length = fn_char_length,
  .fn_substr = fn_substr,
  .fn_concat = fn_concat,
  .fn_trim = fn_trim,
  .fn_replace = fn_replace,
  .fn_starts_with = fn_starts_with,
  .fn_ends_with = fn_ends_with,
  .fn_strpos = fn_strpos,
  .fn_split_part = fn_split_part,
  .fn_pad = fn_pad,
  .fn_repeat = fn_repeat,
  .fn_left = fn_left,
  .fn_right = fn_right,
  .fn_ascii = fn_ascii,
  .fn_chr = fn_chr,
  .fn_to_hex = fn_to_hex,
  .fn_md5 = fn_md5,
  .fn_like = fn_like,
  .fn_regexp_like = fn_regexp_like,
  .fn_regexp_replace = fn_regexp_replace,

  .m_sqrt = sqrt,
  .m_cbrt = cbrt,
  .m_exp = exp,
  .m_ln = m_ln,
  .m_log10 = log10,
  .m_log2 = log2,
  .m_pow = pow,
  .m_floor = floor,
  .m_ceil = ceil,
  .m_trunc = trunc,
  .m_fmod = fmod,
  .m_sin = sin,
  .m_cos = cos,
  .m_tan = tan,
  .m_asin = asin,
  .m_acos = acos,
  .m_atan = atan,
  .m_atan2 = atan2,
  .m_round = m_round,

  .cast_text_to_i64 = cast_text_to_i64,
  .cast_text_to_u64 = cast_text_to_u64,
  .cast_text_to_f64 = cast_text_to_f64,
  .cast_text_to_bool = cast_text_to_bool,
  .cast_text_to_timestamp = cast_text_to_timestamp,
  .cast_text_to_decimal = cast_text_to_decimal,
  .cast_i64_to_text = cast_i64_to_text,
  .cast_u64_to_text = cast_u64_to_text,
  .cast_f64_to_text = cast_f64_to_text,
  .cast_f32_to_text = cast_f32_to_text,
  .cast_bool_to_text = cast_bool_to_text,
  .cast_timestamp_to_text = cast_timestamp_to_text,
  .cast_decimal_to_text = cast_decimal_to_text,
  .cast_interval_to_text = cast_interval_to_text,

  .fn_date_trunc = fn_date_trunc,
  .fn_date_part = fn_date_part,
  .fn_ts_add_interval = fn_ts_add_interval,
  .fn_to_timestamp_text = fn_to_timestamp_text,
  .fn_from_unixtime = fn_from_unixtime,
  .fn_to_char = fn_to_char,

  .fn_json_get = fn_json_get,
  .fn_json_get_text = fn_json_get_text,
  .fn_json_get_str = fn_json_get_str,
  .fn_json_get_int = fn_json_get_int,
  .fn_json_get_float = fn_json_get_float,
  .fn_json_get_bool = fn_json_get_bool,
  .fn_json_length = fn_json_length,
  .fn_json_contains = fn_json_contains,
  .fn_extract_json_string = fn_extract_json_string,
  .fn_get_first_json_object = fn_get_first_json_object,

  .hash_bytes = fn_hash_bytes,

  .source_watermark = rt_source_watermark,
  .current_watermark = rt_current_watermark,
  .count_late = rt_count_late,

  /* ABI 2: state tables and timers (state.c, prototypes in runtime.h) */
  .st_get = st_get,
  .st_remove = st_remove,
  .st_first_bucket = st_first_bucket,
  .st_visit_bucket = st_visit_bucket,
  .st_drop_bucket = st_drop_bucket,
  .st_touch = st_touch,
  .st_visit_touched = st_visit_touched,
  .timer_add = timer_add,
  .timer_fire = timer_fire,

  /* ABI 2: aggregate objects (agg_*.c, prototypes in agg.h) */
  .agg_var_final = astat_var_final,
  .agg_stddev_final = astat_stddev_final,
  .agg_covar_final = astat_covar_final,
  .agg_corr_final = astat_corr_final,
  .agg_regr_final = astat_regr_final,
  .agg_free = rt_obj_free,
  .agg_distinct_add = dset_add,
  .agg_distinct_remove = dset_remove,
  .agg_distinct_count = dset_count,
  .agg_distinct_visit = dset_visit,
  .agg_distinct_merge = dset_merge,
  .agg_mset_add_f64 = mset_add_f64,
  .agg_mset_add_i64 = mset_add_i64,
  .agg_mset_add_str = mset_add_str,
  .agg_mset_remove_f64 = mset_remove_f64,
  .agg_mset_remove_i64 = mset_remove_i64,
  .agg_mset_remove_str = mset_remove_str,
  .agg_mset_count = mset_count,
  .agg_mset_nth_f64 = mset_nth_f64,
  .agg_mset_nth_i64 = mset_nth_i64,
  .agg_mset_nth_str = mset_nth_str,
  .agg_mset_median_f64 = mset_median_f64,
  .agg_mset_median_i64 = mset_median_i64,
  .agg_mset_percentile = mset_percentile,
  .agg_mset_merge = mset_merge,
  .agg_mset_add_u64 = mset_add_u64,
  .agg_mset_remove_u64 = mset_remove_u64,
  .agg_mset_nth_u64 = mset_nth_u64,
  .agg_mset_median_u64 = mset_median_u64,
  .agg_hll_add = hll_add,
  .agg_hll_count = hll_count,
  .agg_hll_merge = hll_merge,
  .agg_tdigest_add = tdig_add,
  .agg_tdigest_add_weighted = tdig_add_weighted,
  .agg_tdigest_quantile = tdig_quantile,
  .agg_tdigest_merge = tdig_merge,
  .agg_list_add = alist_add,
  .agg_list_remove = alist_remove,
  .agg_list_len = alist_len,
  .agg_list_get = alist_get,
  .agg_list_join = alist_join,
  .agg_list_array = alist_array,
  .agg_list_merge = alist_merge,
  .agg_str_set = sbox_set,
  .agg_str_get = sbox_get,
  .agg_str_merge = sbox_merge,
  .next_seq = rt_next_seq,

  .lookup_table = rt_lookup_table,
  .lookup_find = rt_lookup_find,

  .agg_list_insert = alist_insert,
  .agg_list_delete = alist_delete,
  .agg_list_bytes = alist_bytes,
  .st_next_bucket = st_next_bucket,
  .jrows_add = jrows_add,
  .jrows_remove = jrows_remove,
  .jrows_next = jrows_next,
  .jrows_take_first = jrows_take_first,
  .st_append = st_append,
  .st_prefetch = st_prefetch_key,
};

const RtApi *rt_api(void) { return &api; }
