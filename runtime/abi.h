/*
** runtime/abi.h: the contract between generated pipeline code and the worker runtime.
**
** This is the ONLY header generated C includes. It defines:
**   - value representations (RtStr, RtInterval, timestamps as int64 nanoseconds),
**   - the row header every generated row struct starts with (RtRowHeader),
**   - the descriptor a pipeline .so exports (RtPipeline, RtConnector, RtSchema, RtColumn),
**   - RtApi, the table of runtime functions handed to the .so at load time, so
**     generated code has no unresolved symbols and works the same under tcc and gcc,
**   - small static inline helpers (checked integer arithmetic) generated code uses directly.
**
** It does NOT describe runtime internals (queues, threads, arenas, codecs): see runtime.h.
** Everything here must compile under libtcc 0.9.27 (plain C99: no __int128, no
** _Thread_local, no <stdatomic.h>, no __builtin_*_overflow).
**
** Conventions for runtime scalar functions (the fn_* members of RtApi):
**   int fn(RtCtx *ctx, <args by value>, T *out)
**   returns RT_OK (0) and sets *out, RT_NULL (1): the SQL result is NULL (*out unspecified),
**   or RT_ERR (-1): an error was recorded on ctx (with rt->error) and the pipeline stops.
** NULL arguments never reach a fn_*: generated code checks them first (functions are strict)
** unless the member's comment says otherwise. Strings returned by fn_* are allocated in the
** per-batch scratch arena (rt->alloc) or point into an argument; they live until the batch ends.
*/
#ifndef ARROYO_ABI_H
#define ARROYO_ABI_H

#include <stdint.h>
#include <stddef.h>

#define RT_ABI_VERSION 2u
#define RT_ENTRY_SYMBOL "arroyo_pipeline_v1"

#define RT_OK 0
#define RT_NULL 1
#define RT_ERR (-1)

/* ---- values ---------------------------------------------------------------------------- */

/* A string (TEXT, JSON, BYTEA): pointer + length into batch-owned memory, not NUL-terminated. */
typedef struct RtStr {
  const char *ptr;  /* first byte; may be NULL when len == 0 */
  int64_t len;      /* length in bytes */
} RtStr;

/* SQL INTERVAL (month_day_nano, as DataFusion/Arrow). Only appears in expressions. */
typedef struct RtInterval {
  int32_t months;   /* calendar months */
  int32_t days;     /* calendar days */
  int64_t nanos;    /* nanoseconds */
} RtInterval;

/* A time window [start, end) (SQL's window struct: window.start, window.end). */
typedef struct RtWindow {
  int64_t start;    /* ns, inclusive */
  int64_t end;      /* ns, exclusive */
} RtWindow;

/* Column types. ORDER RtType: must match rt_type_names[] in runtime/api.c and the compiler's
** SqlType mapping in compiler/types.c.
** Storage in a row struct:                                                               */
typedef enum RtType {
  RT_BOOL = 1,   /* uint8_t 0/1 */
  RT_I32,        /* int32_t  (INT, INTEGER) */
  RT_I64,        /* int64_t  (BIGINT) */
  RT_U32,        /* uint32_t (INT UNSIGNED) */
  RT_U64,        /* uint64_t (BIGINT UNSIGNED) */
  RT_F32,        /* float    (FLOAT, REAL) */
  RT_F64,        /* double   (DOUBLE) */
  RT_DECIMAL,    /* int64_t scaled by 10^scale, precision <= 18 */
  RT_TEXT,       /* RtStr, valid UTF-8 */
  RT_TIMESTAMP,  /* int64_t nanoseconds since the Unix epoch, UTC */
  RT_BYTEA,      /* RtStr, arbitrary bytes */
  RT_JSON,       /* RtStr holding JSON text */
  RT_TYPE_COUNT
} RtType;

/* Every generated row struct starts with this header. */
typedef struct RtRowHeader {
  int64_t ts;        /* event time, ns since epoch (Arroyo's _timestamp); never written to sinks */
  uint64_t hash;     /* key hash on keyed edges (routing by hash range, state lookup); else 0 */
  uint8_t retract;   /* 1: this row retracts an earlier identical row (updating streams) */
  uint8_t pad_[7];
} RtRowHeader;

/* ---- descriptors exported by a pipeline .so ------------------------------------------- */

typedef struct RtColumn {
  const char *name;      /* column name as written to / read from the outside world */
  uint8_t type;          /* RtType */
  uint8_t nullable;      /* 0: NOT NULL */
  uint8_t precision;     /* DECIMAL only */
  uint8_t scale;         /* DECIMAL only */
  uint32_t offset;       /* offsetof(row, value) */
  uint32_t null_offset;  /* offsetof(row, null flag uint8_t); UINT32_MAX when NOT NULL */
} RtColumn;

typedef struct RtSchema {
  const char *name;        /* struct name, for messages */
  uint32_t row_size;       /* sizeof(row struct) */
  uint32_t ncols;          /* number of columns */
  const RtColumn *cols;    /* columns, in table order */
} RtSchema;

typedef struct RtOption {
  const char *key;         /* lower-case option key, e.g. "path", "json.unstructured" */
  const char *value;       /* value text as written in WITH (...) */
} RtOption;

/* A source or sink: a table with a connector. Options were validated by the compiler
** against connectors/registry.c; the runtime interprets them. */
typedef struct RtConnector {
  const char *table;         /* SQL table name */
  const char *connector;     /* "single_file", "impulse", "stdout", "blackhole", ... */
  uint32_t nopts;            /* number of options */
  const RtOption *opts;      /* WITH (...) options, sorted by key */
  const RtSchema *schema;    /* physical columns the connector reads or writes; for sources the
                             ** row struct may hold more (generated columns), row_size covers all */
  int32_t port;              /* source: the port passed to process(); sink: port passed to emit() */
  uint8_t updating;          /* sink: receives retractions; source: produces them (debezium) */
  int32_t event_time_col;    /* source: column index (in schema) of event time, -1 = arrival time */
} RtConnector;

typedef struct RtCtx RtCtx;   /* opaque per-subtask context owned by the runtime */

/* Callback for state visits: bucket, key bytes and value of one entry. Non-zero stops. */
typedef int (*RtVisitFn)(RtCtx *ctx, void *arg, int64_t bucket, const void *key,
                         uint32_t keylen, void *value);

/* A batch of rows handed to process(). Rows are contiguous structs of schema->row_size bytes.
** Strings inside rows point into memory the batch owns; it lives until process() returns. */
typedef struct RtBatch {
  void *rows;        /* n rows */
  int64_t n;         /* number of rows */
  uint32_t row_size; /* bytes per row */
  uint32_t pad_;
} RtBatch;

/* ---- stages (ABI 2) -------------------------------------------------------------------
** A pipeline is a DAG of stages. A stage is one generated, fused piece of code that runs as
** N subtasks (threads); it reads from source connectors or from edges (rows produced by other
** stages), keeps its state in runtime state tables, and writes to sinks or edges.
** Stages are cut where rows must be re-partitioned by key (before a GROUP BY, a join side).
*/
enum RtPortKind { RT_PORT_SOURCE = 1, RT_PORT_EDGE = 2, RT_PORT_SINK = 3 };

typedef struct RtPort {
  uint8_t kind;          /* RtPortKind: inputs are SOURCE or EDGE, outputs are EDGE or SINK */
  uint8_t pad_[3];
  int32_t index;         /* into RtPipeline.sources / edges / sinks */
} RtPort;

enum RtRouting {
  RT_ROUTE_FORWARD = 1,  /* producer subtask i feeds consumer subtask i (same parallelism) */
  RT_ROUTE_HASH = 2,     /* by RtRowHeader.hash: subtask i of N owns hashes in
                         ** [i * 2^64 / N, (i + 1) * 2^64 / N), see rt_hash_owner() */
  RT_ROUTE_SINGLE = 3    /* every producer feeds consumer subtask 0 (unkeyed aggregates) */
};

typedef struct RtEdge {
  int32_t from_stage;       /* producing stage */
  int32_t to_stage;         /* consuming stage */
  int32_t to_input;         /* index into the consumer's inputs[] */
  uint8_t routing;          /* RtRouting */
  uint8_t pad_[3];
  const RtSchema *schema;   /* row layout; the runtime deep-copies strings when batching */
} RtEdge;

/* A keyed state table: entries (bucket, key bytes) -> value. bucket is a window or pane start
** for windowed state (so closed windows are dropped a bucket at a time), 0 otherwise. Values
** are generated structs of value_size bytes, zeroed on creation; RtObj pointers inside them
** (listed by offset) are owned by the table: freed with the entry, and snapshotted later. */
typedef struct RtStateDesc {
  const char *name;              /* for messages and metrics, e.g. "n5 tumble(1h) by driver_id" */
  uint32_t value_size;           /* sizeof the generated value struct */
  uint32_t nobjs;                /* RtObj* fields inside the value */
  const uint32_t *obj_offsets;   /* their offsets */
  int64_t ttl_ns;                /* > 0: entries not touched for this long are expired (counted) */
} RtStateDesc;

typedef struct RtStage {
  const char *name;              /* e.g. "n5_tumble_agg" */
  uint32_t ninputs;
  const RtPort *inputs;          /* process() receives the input index */
  uint32_t noutputs;
  const RtPort *outputs;         /* rt->emit() takes the output index */
  uint32_t max_parallelism;      /* 0: any; 1: a single subtask (e.g. aggregate without keys) */
  uint32_t nstates;
  const RtStateDesc *states;     /* state tables, indexed by the `table` argument of st_* */
  /* One batch from input `input`. 0 ok, -1 error (recorded with rt->error). */
  int (*process)(RtCtx *ctx, int input, const RtBatch *batch);
  /* The stage's input watermark advanced to wm (min over all inputs and producers; INT64_MAX
  ** at the end of bounded input): emit what closed. NULL for stages without event-time state.
  ** The runtime forwards the watermark downstream after this returns. */
  int (*on_watermark)(RtCtx *ctx, int64_t wm);
  /* Called after each input batch: emit pending updates (updating aggregates emit one
  ** retraction + insert per changed key per batch, not per row). NULL when not needed. */
  int (*flush)(RtCtx *ctx);
} RtStage;

typedef struct RtPipeline {
  uint32_t abi_version;        /* RT_ABI_VERSION */
  uint32_t size;               /* sizeof(RtPipeline) */
  const char *query_id;        /* stable id derived from the SQL text */
  const char *sql;             /* the SQL script (after placeholder substitution) */
  const char *plan;            /* EXPLAIN text */
  uint64_t layout_hash;        /* hash of all row layouts and state layouts */
  uint32_t nsources;
  const RtConnector *sources;  /* index == input port */
  uint32_t nsinks;
  const RtConnector *sinks;    /* index == output port */
  /* ABI 1 shape, still accepted: one fused function for all sources (port == source index),
  ** every source feeding it directly. NULL when the pipeline is described by stages. */
  int (*process)(RtCtx *ctx, int port, const RtBatch *batch);
  /* ABI 2: the stage DAG. When nstages > 0, `process` is NULL. */
  uint32_t nstages;
  const RtStage *stages;
  uint32_t nedges;
  const RtEdge *edges;
} RtPipeline;

/* ---- the runtime function table ------------------------------------------------------- */

typedef struct RtApi {
  uint32_t abi_version;   /* RT_ABI_VERSION */
  uint32_t size;          /* sizeof(RtApi): grows only by appending members */

  /* core */
  void *(*alloc)(RtCtx *ctx, int64_t nbytes);            /* per-batch scratch, 16-byte aligned */
  int (*emit)(RtCtx *ctx, int port, const void *row);     /* row goes to sink `port`; 0 / -1 */
  /* Record an error: `where` is "file:line:col" of the SQL expression (or NULL). Returns RT_ERR. */
  int (*error)(RtCtx *ctx, const char *where, const char *fmt, ...);
  int64_t (*now)(RtCtx *ctx);                             /* wall clock ns, constant per batch */

  /* strings */
  int (*fn_lower)(RtCtx *ctx, RtStr s, RtStr *out);
  int (*fn_upper)(RtCtx *ctx, RtStr s, RtStr *out);
  int (*fn_initcap)(RtCtx *ctx, RtStr s, RtStr *out);
  int (*fn_reverse)(RtCtx *ctx, RtStr s, RtStr *out);
  int (*fn_char_length)(RtCtx *ctx, RtStr s, int64_t *out);         /* UTF-8 characters */
  /* substr(s, start [, len]): 1-based character positions, SQL semantics (start may be <= 0) */
  int (*fn_substr)(RtCtx *ctx, RtStr s, int64_t start, int64_t len, int has_len, RtStr *out);
  /* concat(args...): NULL args (nulls[i] != 0) are skipped; never returns RT_NULL */
  int (*fn_concat)(RtCtx *ctx, const RtStr *args, const uint8_t *nulls, int n, RtStr *out);
  /* trim: where 0 = both (btrim/trim), 1 = leading (ltrim), 2 = trailing (rtrim);
  ** chars = set of characters to strip (has_chars == 0: spaces) */
  int (*fn_trim)(RtCtx *ctx, RtStr s, RtStr chars, int has_chars, int where, RtStr *out);
  int (*fn_replace)(RtCtx *ctx, RtStr s, RtStr from, RtStr to, RtStr *out);
  int (*fn_starts_with)(RtCtx *ctx, RtStr s, RtStr prefix, uint8_t *out);
  int (*fn_ends_with)(RtCtx *ctx, RtStr s, RtStr suffix, uint8_t *out);
  int (*fn_strpos)(RtCtx *ctx, RtStr s, RtStr sub, int64_t *out);  /* 1-based chars, 0 = absent */
  int (*fn_split_part)(RtCtx *ctx, RtStr s, RtStr delim, int64_t n, RtStr *out); /* n<0 from end */
  /* lpad/rpad(s, n [, fill]): left != 0 pads on the left; fill defaults to " " */
  int (*fn_pad)(RtCtx *ctx, RtStr s, int64_t n, RtStr fill, int has_fill, int left, RtStr *out);
  int (*fn_repeat)(RtCtx *ctx, RtStr s, int64_t n, RtStr *out);
  int (*fn_left)(RtCtx *ctx, RtStr s, int64_t n, RtStr *out);       /* n < 0: all but last -n */
  int (*fn_right)(RtCtx *ctx, RtStr s, int64_t n, RtStr *out);
  int (*fn_ascii)(RtCtx *ctx, RtStr s, int32_t *out);                /* first code point */
  int (*fn_chr)(RtCtx *ctx, int64_t code, RtStr *out);
  int (*fn_to_hex)(RtCtx *ctx, int64_t v, RtStr *out);
  int (*fn_md5)(RtCtx *ctx, RtStr s, RtStr *out);                    /* lower-case hex */
  /* s LIKE pattern: escape = escape char or -1; ci != 0 for ILIKE */
  int (*fn_like)(RtCtx *ctx, RtStr s, RtStr pattern, int escape, int ci, uint8_t *out);
  /* Regular expressions (POSIX extended syntax plus \d \w \s classes). Compiled patterns are
  ** cached on ctx. flags: "i" case-insensitive, "g" (replace) all matches; has_flags 0: none.
  ** An invalid pattern is RT_ERR with a message naming the pattern. */
  int (*fn_regexp_like)(RtCtx *ctx, RtStr s, RtStr pattern, RtStr flags, int has_flags,
                        uint8_t *out);
  int (*fn_regexp_replace)(RtCtx *ctx, RtStr s, RtStr pattern, RtStr repl, RtStr flags,
                           int has_flags, RtStr *out);      /* repl may use \1..\9 and $1..$9 */

  /* math (libm through the table so the .so has no unresolved symbols) */
  double (*m_sqrt)(double);
  double (*m_cbrt)(double);
  double (*m_exp)(double);
  double (*m_ln)(double);
  double (*m_log10)(double);
  double (*m_log2)(double);
  double (*m_pow)(double, double);
  double (*m_floor)(double);
  double (*m_ceil)(double);
  double (*m_trunc)(double);
  double (*m_fmod)(double, double);
  double (*m_sin)(double);
  double (*m_cos)(double);
  double (*m_tan)(double);
  double (*m_asin)(double);
  double (*m_acos)(double);
  double (*m_atan)(double);
  double (*m_atan2)(double, double);
  double (*m_round)(double x, int64_t digits);  /* half away from zero, digits may be < 0 */

  /* casts. Text to number/bool/timestamp fail with RT_ERR and a message naming the value. */
  int (*cast_text_to_i64)(RtCtx *ctx, RtStr s, int64_t *out);
  int (*cast_text_to_u64)(RtCtx *ctx, RtStr s, uint64_t *out);
  int (*cast_text_to_f64)(RtCtx *ctx, RtStr s, double *out);
  int (*cast_text_to_bool)(RtCtx *ctx, RtStr s, uint8_t *out);      /* true/false/t/f/1/0/yes/no */
  int (*cast_text_to_timestamp)(RtCtx *ctx, RtStr s, int64_t *out); /* RFC 3339 and SQL forms */
  int (*cast_text_to_decimal)(RtCtx *ctx, RtStr s, int scale, int64_t *out);
  int (*cast_i64_to_text)(RtCtx *ctx, int64_t v, RtStr *out);
  int (*cast_u64_to_text)(RtCtx *ctx, uint64_t v, RtStr *out);
  int (*cast_f64_to_text)(RtCtx *ctx, double v, RtStr *out);        /* shortest round-trip, "1.0" */
  int (*cast_f32_to_text)(RtCtx *ctx, float v, RtStr *out);
  int (*cast_bool_to_text)(RtCtx *ctx, uint8_t v, RtStr *out);      /* "true" / "false" */
  int (*cast_timestamp_to_text)(RtCtx *ctx, int64_t ns, RtStr *out); /* 2023-09-18T14:23:10[.fff] */
  int (*cast_decimal_to_text)(RtCtx *ctx, int64_t v, int scale, RtStr *out);
  int (*cast_interval_to_text)(RtCtx *ctx, RtInterval v, RtStr *out);

  /* date and time. Units/fields are SQL text ('hour', 'day', ...), case-insensitive; an unknown
  ** unit is RT_ERR naming it. */
  int (*fn_date_trunc)(RtCtx *ctx, RtStr unit, int64_t ts, int64_t *out);
  /* extract/date_part: year month day hour minute second millisecond microsecond nanosecond
  ** dow doy week quarter epoch (epoch: seconds with fraction). Result as double. */
  int (*fn_date_part)(RtCtx *ctx, RtStr field, int64_t ts, double *out);
  int (*fn_ts_add_interval)(RtCtx *ctx, int64_t ts, RtInterval iv, int sign, int64_t *out);
  /* to_timestamp(text [, format...]) parses RFC 3339 / 'YYYY-MM-DD HH:MM:SS[.f]' / date only */
  int (*fn_to_timestamp_text)(RtCtx *ctx, RtStr s, int64_t *out);
  int (*fn_from_unixtime)(RtCtx *ctx, RtStr fmt_unused, int64_t secs, int64_t *out);
  /* to_char(ts, format) with chrono-style %Y %m %d %H %M %S %f %j %a %b ... */
  int (*fn_to_char)(RtCtx *ctx, int64_t ts, RtStr format, RtStr *out);

  /* JSON. path elements: keys[i] (is_index[i] == 0) or idx[i] (is_index[i] != 0). */
  /* json -> path... : JSON text of the sub-value; missing path gives the text "null" (RT_OK) */
  int (*fn_json_get)(RtCtx *ctx, RtStr json, const RtStr *keys, const int64_t *idx,
                     const uint8_t *is_index, int n, RtStr *out);
  /* json ->> path... / json_get_str / json_as_text: strings unquoted, other values as JSON
  ** text; missing path or JSON null is RT_NULL */
  int (*fn_json_get_text)(RtCtx *ctx, RtStr json, const RtStr *keys, const int64_t *idx,
                          const uint8_t *is_index, int n, RtStr *out);
  /* json_get_str: RT_NULL unless the value is a JSON string */
  int (*fn_json_get_str)(RtCtx *ctx, RtStr json, const RtStr *keys, const int64_t *idx,
                         const uint8_t *is_index, int n, RtStr *out);
  int (*fn_json_get_int)(RtCtx *ctx, RtStr json, const RtStr *keys, const int64_t *idx,
                         const uint8_t *is_index, int n, int64_t *out);
  int (*fn_json_get_float)(RtCtx *ctx, RtStr json, const RtStr *keys, const int64_t *idx,
                           const uint8_t *is_index, int n, double *out);
  int (*fn_json_get_bool)(RtCtx *ctx, RtStr json, const RtStr *keys, const int64_t *idx,
                          const uint8_t *is_index, int n, uint8_t *out);
  int (*fn_json_length)(RtCtx *ctx, RtStr json, const RtStr *keys, const int64_t *idx,
                        const uint8_t *is_index, int n, int64_t *out);
  int (*fn_json_contains)(RtCtx *ctx, RtStr json, const RtStr *keys, const int64_t *idx,
                          const uint8_t *is_index, int n, uint8_t *out);
  /* JSONPath ($.a.b[0], $.a[*].b, $..b): first match. extract_json_string: strings unquoted,
  ** RT_NULL if no match or not a string. get_first_json_object: JSON text of first match. */
  int (*fn_extract_json_string)(RtCtx *ctx, RtStr json, RtStr path, RtStr *out);
  int (*fn_get_first_json_object)(RtCtx *ctx, RtStr json, RtStr path, RtStr *out);

  /* hashing (for GROUP BY / shuffles in later issues, and SQL hash functions) */
  uint64_t (*hash_bytes)(const void *p, int64_t n, uint64_t seed);

  /* ---- ABI 2: watermarks ---- */
  /* A source stage reports, once per source batch, the largest watermark candidate of its
  ** rows (the WATERMARK expression; default: event time minus the default delay). The
  ** runtime keeps each source subtask's watermark monotonic and sends it downstream after the
  ** batch's rows. */
  void (*source_watermark)(RtCtx *ctx, int input, int64_t wm);
  int64_t (*current_watermark)(RtCtx *ctx);   /* this subtask's input watermark, INT64_MIN at start */
  void (*count_late)(RtCtx *ctx, int64_t n);  /* rows dropped for arriving behind the watermark */

  /* ---- ABI 2: state tables (runtime/state.c). `table` indexes the stage's states[]. ---- */
  /* Find (bucket, key). Missing and create != 0: insert a zeroed value and set *created = 1.
  ** Returns the value (stable until the entry is removed) or NULL when missing and !create.
  ** *key_copy (if not NULL) receives the table's own copy of the key bytes, stable as long as
  ** the entry lives, so values may point into it (e.g. RtStr key columns). */
  void *(*st_get)(RtCtx *ctx, int table, int64_t bucket, uint64_t hash, const void *key,
                  uint32_t keylen, int create, int *created, const void **key_copy);
  int (*st_remove)(RtCtx *ctx, int table, int64_t bucket, uint64_t hash, const void *key,
                   uint32_t keylen);                         /* 1 removed, 0 absent */
  int64_t (*st_first_bucket)(RtCtx *ctx, int table);        /* smallest live bucket or INT64_MAX */
  /* Call fn for every entry of `bucket` in insertion order; stops early if fn returns != 0
  ** and returns that value. Entries must not be added to or removed from that bucket by fn. */
  int (*st_visit_bucket)(RtCtx *ctx, int table, int64_t bucket, RtVisitFn fn, void *arg);
  int (*st_drop_bucket)(RtCtx *ctx, int table, int64_t bucket);  /* free all its entries */
  void (*st_touch)(RtCtx *ctx, int table, void *value);     /* mark an entry changed */
  /* Visit every entry touched since the last call, once each, in first-touch order, and
  ** clear the marks. fn may remove the entry it is given (by st_remove). */
  int (*st_visit_touched)(RtCtx *ctx, int table, RtVisitFn fn, void *arg);
  /* Timers on a table (session windows): fire for (time, key) once the watermark reaches
  ** time. timer_fire calls fn(bucket = time) for every timer with time <= upto, in time order,
  ** removing each before the call; fn may add new timers. */
  int (*timer_add)(RtCtx *ctx, int table, int64_t time, uint64_t hash, const void *key,
                   uint32_t keylen);
  int (*timer_fire)(RtCtx *ctx, int table, int64_t upto, RtVisitFn fn, void *arg);

  /* ---- ABI 2: aggregate objects (runtime/agg_*.c) ---- */
  /* (members appended by the aggregate library; see the section below) */
} RtApi;

/* The one symbol a pipeline .so exports. Called once per load; the .so keeps `api`. */
typedef const RtPipeline *(*RtEntryFn)(const RtApi *api);

/* ---- inline helpers generated code uses directly ------------------------------------- */

static inline RtStr rt_str(const char *p, int64_t n) { RtStr s; s.ptr = p; s.len = n; return s; }

static inline int rt_str_eq(RtStr a, RtStr b) {
  int64_t i;
  if (a.len != b.len) return 0;
  for (i = 0; i < a.len; i++) if (a.ptr[i] != b.ptr[i]) return 0;
  return 1;
}

/* Byte-wise comparison (UTF-8 byte order equals code point order): <0, 0, >0. */
static inline int rt_str_cmp(RtStr a, RtStr b) {
  int64_t n = a.len < b.len ? a.len : b.len, i;
  for (i = 0; i < n; i++) {
    unsigned char x = (unsigned char)a.ptr[i], y = (unsigned char)b.ptr[i];
    if (x != y) return x < y ? -1 : 1;
  }
  return a.len < b.len ? -1 : a.len > b.len ? 1 : 0;
}

/* Checked arithmetic: return 1 on overflow (result unspecified), 0 otherwise. */
static inline int rt_add_i64(int64_t a, int64_t b, int64_t *r) {
  if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b)) return 1;
  *r = a + b; return 0;
}
static inline int rt_sub_i64(int64_t a, int64_t b, int64_t *r) {
  if ((b < 0 && a > INT64_MAX + b) || (b > 0 && a < INT64_MIN + b)) return 1;
  *r = a - b; return 0;
}
static inline int rt_mul_i64(int64_t a, int64_t b, int64_t *r) {
  if (a == 0 || b == 0) { *r = 0; return 0; }
  if (a == -1) { if (b == INT64_MIN) return 1; *r = -b; return 0; }
  if (b == -1) { if (a == INT64_MIN) return 1; *r = -a; return 0; }
  if (a > 0 ? (b > 0 ? a > INT64_MAX / b : b < INT64_MIN / a)
            : (b > 0 ? a < INT64_MIN / b : a < INT64_MAX / b)) return 1;
  *r = a * b; return 0;
}
static inline int rt_add_u64(uint64_t a, uint64_t b, uint64_t *r) {
  if (a > UINT64_MAX - b) return 1;
  *r = a + b; return 0;
}
static inline int rt_sub_u64(uint64_t a, uint64_t b, uint64_t *r) {
  if (b > a) return 1;
  *r = a - b; return 0;
}
static inline int rt_mul_u64(uint64_t a, uint64_t b, uint64_t *r) {
  if (a != 0 && b > UINT64_MAX / a) return 1;
  *r = a * b; return 0;
}
static inline int rt_add_i32(int32_t a, int32_t b, int32_t *r) {
  int64_t s = (int64_t)a + b;
  if (s > INT32_MAX || s < INT32_MIN) return 1;
  *r = (int32_t)s; return 0;
}
static inline int rt_sub_i32(int32_t a, int32_t b, int32_t *r) {
  int64_t s = (int64_t)a - b;
  if (s > INT32_MAX || s < INT32_MIN) return 1;
  *r = (int32_t)s; return 0;
}
static inline int rt_mul_i32(int32_t a, int32_t b, int32_t *r) {
  int64_t s = (int64_t)a * b;
  if (s > INT32_MAX || s < INT32_MIN) return 1;
  *r = (int32_t)s; return 0;
}

/* Byte copy for generated code (which has no libc); gcc turns fixed small sizes into moves. */
static inline void rt_put_bytes(void *dst, const void *src, int64_t n) {
  unsigned char *d = (unsigned char *)dst;
  const unsigned char *s = (const unsigned char *)src;
  while (n-- > 0) *d++ = *s++;
}

static inline void rt_zero(void *dst, int64_t n) {
  unsigned char *d = (unsigned char *)dst;
  while (n-- > 0) *d++ = 0;
}

/* floor(a / b) for b > 0 (window starts of negative timestamps round down, not toward 0). */
static inline int64_t rt_floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

/* Hash mixing for keys (same on every producer, so routing and state agree). */
static inline uint64_t rt_hash_mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h ^= h >> 31;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 29;
  return h;
}

/* Which of n subtasks owns a key hash: subtask i owns [i * 2^64 / n, (i + 1) * 2^64 / n).
** Ranges (not modulo) so state can be re-split at another parallelism by hash range. */
static inline uint32_t rt_hash_owner(uint64_t hash, uint32_t n) {
  return (uint32_t)(((hash >> 32) * (uint64_t)n) >> 32);
}

#endif /* ARROYO_ABI_H */
