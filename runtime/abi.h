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

/* An array value (array_agg results, unnest input): len elements at data, each of the element
** type's storage (RtStr for strings); nulls[i] != 0 marks a NULL element (nulls may be NULL
** when there are none). The memory belongs to the current batch. */
typedef struct RtArray {
  const void *data;       /* len elements */
  int64_t len;            /* element count */
  const uint8_t *nulls;   /* per-element NULL flags, or NULL */
} RtArray;

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
  RT_STRUCT,     /* a generated C struct of named fields (RtColumn.fields describes it) */
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
  /* RT_STRUCT: the struct's fields, with offsets relative to the start of the struct value
  ** (at `offset` in the row); row_size is sizeof the struct. NULL for other types. */
  const struct RtSchema *fields;
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
  /* RtStr fields of the value whose bytes live in the entry's own key copy (key columns and
  ** buffered rows' strings): a snapshot stores them relative to the key and a restore points
  ** them into the restored key copy. NULL/empty strings are left as they are. */
  uint32_t nkeyrefs;
  const uint32_t *keyref_offsets;
  /* Compact tables (NULL: an ordinary table). The hash every caller passes for a key, computed
  ** from the key bytes alone; given it, the table stores no hash per entry (it recomputes it
  ** for expiry and snapshots, and checks it against the caller's on inserts), keeps no insertion-order links
  ** (visits walk the entries in access order: the TTL list, kept even when ttl_ns is 0),
  ** holds ONE live bucket at a time (st_get into a second one is an error), and packs entries
  ** to 8 bytes instead of 16: the value must need no more than 8-byte alignment. For state
  ** looked up by key and nothing else, e.g. the updating join's rows by key. */
  uint64_t (*key_hash)(const void *key, uint32_t keylen);
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

/* ABI 2 aggregate types named by RtApi members; defined in the aggregate section at the end. */
typedef struct RtMoments RtMoments;
typedef struct RtCoMoments RtCoMoments;
/* Visit one stored value of an aggregate object: its bytes and multiplicity. Non-zero stops. */
/* A lookup table row's key bytes and hash (generated per lookup join); 1 = NULL key. */
typedef int (*RtLookupKeyFn)(RtCtx *ctx, const void *row, const void **kb, uint32_t *kl,
                             uint64_t *hash);
typedef int (*RtAggVisitFn)(void *arg, const void *p, int64_t n, int64_t count);

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
  /* Statistics. The accumulators (RtMoments, RtCoMoments) are plain structs updated inline by
  ** generated code (rt_moments_add etc., end of this file); these turn them into results with
  ** DataFusion's NULL rules. sample != 0: divide by n - 1 (var_samp, stddev_samp, covar_samp),
  ** else by n (the _pop forms). RT_NULL when the SQL result is NULL. */
  int (*agg_var_final)(RtCtx *ctx, const RtMoments *m, int sample, double *out);
  int (*agg_stddev_final)(RtCtx *ctx, const RtMoments *m, int sample, double *out);
  /* covar/corr(a, b): the accumulator was fed rt_comoments_add(m, a, b) in argument order */
  int (*agg_covar_final)(RtCtx *ctx, const RtCoMoments *m, int sample, double *out);
  int (*agg_corr_final)(RtCtx *ctx, const RtCoMoments *m, double *out);
  /* regr_*(y, x): the accumulator was fed rt_comoments_add(m, x, y) (x FIRST, as DataFusion's
  ** RegrAccumulator); what = RT_REGR_*. RT_REGR_COUNT gives the count as a double (the SQL
  ** type is BIGINT UNSIGNED: generated code may read m->count instead). */
  int (*agg_regr_final)(RtCtx *ctx, const RtCoMoments *m, int what, double *out);

  /* Aggregate objects. An accumulator holds each as a `void *` field (zeroed = NULL = empty),
  ** listed in RtStateDesc.obj_offsets so the state table frees and snapshots it. Conventions:
  **  - add/remove/merge take the slot (`void **obj`): add creates the object when *obj is NULL,
  **    remove frees it and sets *obj = NULL once it is empty; they return RT_OK or RT_ERR (with
  **    the message recorded on ctx: wrong value type for the object, unsupported operation).
  **  - queries take `const void *obj` (NULL = empty): RT_NULL when the SQL result is NULL.
  **  - values are passed as bytes: integers, floats, timestamps and decimals as their 8-byte
  **    in-memory value (int64_t/uint64_t/double; widen narrower types first, FLOAT to double),
  **    strings as their bytes. Generated code skips NULL inputs (except agg_list_add/agg_str_set,
  **    which take is_null).
  **  - strings returned by queries point into the object (valid until it is next changed or
  **    freed) unless the comment says scratch; copy them before changing the object.
  **  - merge(dst, src) adds everything in src to *dst (creating it if NULL); src is unchanged.
  **    Hop windows merge per-slide partial objects into a temporary and free it with agg_free.
  ** Memory is malloc'ed (objects outlive batches) and counted per kind for metrics. */
  void (*agg_free)(void *obj);                                 /* NULL is ignored */

  /* DISTINCT set with multiplicities: count(DISTINCT x), sum/avg(DISTINCT x) (generated code
  ** keeps the sum inline: *first / *last say when a value appears / disappears), and the
  ** retractable "set of values" of any type. Removing an absent value is ignored (RT_OK, *last
  ** = 0), as Arroyo does for retractions whose append was lost. first/last may be NULL. */
  int (*agg_distinct_add)(RtCtx *ctx, void **obj, const void *p, int64_t n, int *first);
  int (*agg_distinct_remove)(RtCtx *ctx, void **obj, const void *p, int64_t n, int *last);
  int64_t (*agg_distinct_count)(const void *obj);              /* values with count > 0 */
  /* Calls fn for each value (unspecified but deterministic order); stops when fn returns
  ** non-zero and returns that value, else 0. */
  int (*agg_distinct_visit)(RtCtx *ctx, const void *obj, RtAggVisitFn fn, void *arg);
  int (*agg_distinct_merge)(RtCtx *ctx, void **dst, const void *src);

  /* Sorted multiset with multiplicities: min/max/median/percentile_cont over retractable
  ** input. One key type per object, fixed by the first add. Order: doubles by IEEE total order
  ** (-NaN < -inf < ... < -0 < +0 < ... < inf < NaN, as DataFusion sorts), int64 numerically,
  ** strings byte-wise (UTF-8 code point order). Removing an absent value is ignored. */
  int (*agg_mset_add_f64)(RtCtx *ctx, void **obj, double v);
  int (*agg_mset_add_i64)(RtCtx *ctx, void **obj, int64_t v);
  int (*agg_mset_add_str)(RtCtx *ctx, void **obj, RtStr v);    /* copies the bytes */
  int (*agg_mset_remove_f64)(RtCtx *ctx, void **obj, double v);
  int (*agg_mset_remove_i64)(RtCtx *ctx, void **obj, int64_t v);
  int (*agg_mset_remove_str)(RtCtx *ctx, void **obj, RtStr v);
  /* Number of values counted with multiplicity, or (distinct != 0) of distinct values. */
  int64_t (*agg_mset_count)(const void *obj, int distinct);
  /* The k-th smallest value (0-based; k < 0 counts from the largest: -1 = max), over all values
  ** or over the distinct ones. min = nth(0), max = nth(-1). RT_NULL when out of range/empty. */
  int (*agg_mset_nth_f64)(RtCtx *ctx, const void *obj, int64_t k, int distinct, double *out);
  int (*agg_mset_nth_i64)(RtCtx *ctx, const void *obj, int64_t k, int distinct, int64_t *out);
  int (*agg_mset_nth_str)(RtCtx *ctx, const void *obj, int64_t k, int distinct, RtStr *out);
  /* median(x) / median(DISTINCT x) as DataFusion: the middle value, or for an even count the
  ** mean of the two middle values; for integers (and decimals as scaled int64) that mean is
  ** (lo + hi) / 2 truncated toward zero (computed without overflow), so the SQL type stays the
  ** input's. Float inputs use the f64 form. */
  int (*agg_mset_median_f64)(RtCtx *ctx, const void *obj, int distinct, double *out);
  int (*agg_mset_median_i64)(RtCtx *ctx, const void *obj, int distinct, int64_t *out);
  /* percentile_cont(p) WITHIN GROUP (ORDER BY x), exact, for numeric objects: linear
  ** interpolation at rank p * (n - 1) with the fraction quantized to 1e-6 (DataFusion). For an
  ** integer x the SQL result is (int64_t)*out (truncation). p outside [0, 1] is RT_ERR. */
  int (*agg_mset_percentile)(RtCtx *ctx, const void *obj, double p, int distinct, double *out);
  int (*agg_mset_merge)(RtCtx *ctx, void **dst, const void *src);
  /* BIGINT UNSIGNED keys (numeric uint64 order; median (lo + hi) / 2 rounded down, overflow-
  ** safe). agg_mset_count / nth_f64 / percentile / merge work on these objects too. */
  int (*agg_mset_add_u64)(RtCtx *ctx, void **obj, uint64_t v);
  int (*agg_mset_remove_u64)(RtCtx *ctx, void **obj, uint64_t v);
  int (*agg_mset_nth_u64)(RtCtx *ctx, const void *obj, int64_t k, int distinct, uint64_t *out);
  int (*agg_mset_median_u64)(RtCtx *ctx, const void *obj, int distinct, uint64_t *out);

  /* approx_distinct(x): HyperLogLog with DataFusion's parameters (2^14 one-byte registers,
  ** Ertl's estimator) over a stable 64-bit hash of the value bytes; sparse below ~1000 values.
  ** No retraction. Count of an empty/NULL object is 0 (approx_distinct never returns NULL). */
  int (*agg_hll_add)(RtCtx *ctx, void **obj, const void *p, int64_t n);
  int64_t (*agg_hll_count)(const void *obj);
  int (*agg_hll_merge)(RtCtx *ctx, void **dst, const void *src);

  /* approx_percentile_cont(p) / approx_median (p = 0.5) / approx_percentile_cont_with_weight(w,
  ** p): DataFusion's t-digest (max_size 100 unless given: max_size <= 0 means 100; applied when
  ** the object is created). Values are buffered and folded into the digest 8192 at a time, as
  ** DataFusion folds one input batch, so up to 8192 values give exactly DataFusion's result for
  ** one batch. An object is either unweighted or weighted (mixing is RT_ERR). No retraction:
  ** the compiler rejects these aggregates over updating input. For an integer x the SQL result
  ** is (int64_t)*out (truncation, as DataFusion casts). RT_NULL when empty. */
  int (*agg_tdigest_add)(RtCtx *ctx, void **obj, double v, int64_t max_size);
  int (*agg_tdigest_add_weighted)(RtCtx *ctx, void **obj, double v, double w, int64_t max_size);
  int (*agg_tdigest_quantile)(RtCtx *ctx, const void *obj, double q, double *out);
  int (*agg_tdigest_merge)(RtCtx *ctx, void **dst, const void *src);

  /* Value list in insertion order: array_agg(x) (NULL elements kept, as DataFusion),
  ** string_agg(x, sep), and the argument lists of UDAFs (a multi-argument UDAF stores each row's
  ** arguments as ONE element, so retraction keeps them paired). Remove deletes the LAST equal
  ** element (so add-then-retract restores the list exactly); *found (may be NULL) says whether
  ** one was there. */
  int (*agg_list_add)(RtCtx *ctx, void **obj, const void *p, int64_t n, int is_null);
  int (*agg_list_remove)(RtCtx *ctx, void **obj, const void *p, int64_t n, int is_null,
                         int *found);
  int64_t (*agg_list_len)(const void *obj);
  int (*agg_list_get)(RtCtx *ctx, const void *obj, int64_t i, RtStr *out); /* RT_NULL: NULL elt */
  /* string_agg: non-NULL elements joined by sep, in scratch memory (rt->alloc); RT_NULL when
  ** there are none. */
  int (*agg_list_join)(RtCtx *ctx, const void *obj, RtStr sep, RtStr *out);
  /* All elements as arrays in scratch memory: elem_size > 0: *vals holds n elements of
  ** elem_size bytes each (every element must have that size, else RT_ERR; NULL elements are
  ** zero bytes), elem_size == 0: *vals is an RtStr[n] pointing into the object. *nulls (may
  ** be NULL) gets n flags. An empty list gives n = 0. */
  int (*agg_list_array)(RtCtx *ctx, const void *obj, int64_t elem_size, void **vals,
                        uint8_t **nulls, int64_t *n);
  int (*agg_list_merge)(RtCtx *ctx, void **dst, const void *src);  /* appends src after dst */

  /* String box for append-only first_value/last_value/min/max of TEXT/BYTEA/JSON: mode =
  ** RT_SBOX_FIRST (keep the first value, NULL included), RT_SBOX_LAST (keep the latest),
  ** RT_SBOX_MIN / RT_SBOX_MAX (byte-wise; generated code skips NULLs). *changed (may be NULL)
  ** says whether the stored value changed. No retraction (use the multiset for min/max over
  ** updating input). merge(dst, src): src is the later part of the input. */
  int (*agg_str_set)(RtCtx *ctx, void **obj, RtStr s, int is_null, int mode, int *changed);
  int (*agg_str_get)(RtCtx *ctx, const void *obj, RtStr *out);  /* RT_NULL: empty or NULL */
  int (*agg_str_merge)(RtCtx *ctx, void **dst, const void *src, int mode);

  /* ---- ABI 2: arrival sequence numbers ---- */
  /* Strictly increasing for this subtask, and larger than any number a subtask of an earlier
  ** run of the pipeline handed out (seeded from the wall clock at start), so state entries
  ** keyed by (key, sequence) stay unique after a restore at any parallelism without any
  ** per-subtask counter in state. */
  int64_t (*next_seq)(RtCtx *ctx);

  /* ---- ABI 2: lookup joins (JOIN t FOR SYSTEM_TIME AS OF ...; runtime/lookup.c) ---- */
  /* The bounded table `table` (a single_file source described like a pipeline source: path,
  ** format options, row schema), read whole and indexed by key() the first time this subtask
  ** asks for `slot` (one per lookup join of the pipeline); later calls return the same
  ** handle, kept for the subtask's life. key(row) gives a row's key bytes (scratch memory is
  ** fine: they are copied) and hash, and returns 1 for a NULL key (the row never matches),
  ** -1 on error. NULL on error (recorded: the file, the line and the field). */
  const void *(*lookup_table)(RtCtx *ctx, int slot, const RtConnector *table, RtLookupKeyFn key);
  /* The table's rows whose key bytes equal kb[0..kl): how many, and *rows pointing at them
  ** (file order). 0 and *rows = NULL when there are none. */
  int64_t (*lookup_find)(const void *table, uint64_t hash, const void *kb, uint32_t kl,
                         const void *const **rows);

  /* ---- ABI 2: ordered value lists (window frames keep a partition's rows sorted) ---- */
  /* Insert a non-NULL element of n bytes at position index (0 <= index <= length), creating
  ** the list when *obj is NULL. Elements keep their (offset, length) in one byte buffer; when
  ** every element's length is a multiple of 8, every element starts 8-byte aligned. */
  int (*agg_list_insert)(RtCtx *ctx, void **obj, int64_t index, const void *p, int64_t n);
  /* Delete the element at index; the list is freed (*obj = NULL) when it becomes empty. */
  int (*agg_list_delete)(RtCtx *ctx, void **obj, int64_t index);
  /* The bytes of element index, writable in place (same length); NULL for a NULL element or
  ** an index out of range. Valid until the list is next changed by insert/add/delete/remove. */
  void *(*agg_list_bytes)(void *obj, int64_t index);

  /* ---- ABI 2: join rows (runtime/join_rows.c, runtime/state.c) ---- */
  /* The smallest live bucket of `table` above `after`, or INT64_MAX: with st_first_bucket,
  ** a walk over the live buckets in ascending order (interval joins probe every one). */
  int64_t (*st_next_bucket)(RtCtx *ctx, int table, int64_t after);
  /* A join key's packed rows after its inline first row, in arrival order, in one block
  ** (*obj, NULL when empty, stored in a state value's RtObj slot). add appends a row;
  ** remove takes out the LAST row with these exact bytes (1) or finds none (0), and frees
  ** the object when it empties; next walks the rows (*pos = 0 to start; returns NULL at the
  ** end; pointers stay valid until the object changes); take_first moves the first row into
  ** buf when it fits in cap bytes (1) or leaves it (0). */
  int (*jrows_add)(RtCtx *ctx, void **obj, const void *p, uint32_t n);
  int (*jrows_remove)(RtCtx *ctx, void **obj, const void *p, uint32_t n);
  const unsigned char *(*jrows_next)(const void *obj, uint32_t *pos, uint32_t *len);
  int (*jrows_take_first)(RtCtx *ctx, void **obj, void *buf, uint32_t cap, uint32_t *len);

  /* ---- ABI 2: state logs (runtime/state.c; an interval join's dense side) ---- */
  /* Append an entry with a zeroed value to the end of `bucket` WITHOUT indexing it: st_get and
  ** st_remove never find it; st_visit_bucket (insertion order), st_drop_bucket and checkpoints
  ** see it like any entry. key NULL leaves the keylen key bytes for the caller to write
  ** through *key_copy at once (the entry's own key copy, writable). Keys must still be unique
  ** in the bucket (e.g. end in an arrival sequence): a restore inserts the entries indexed.
  ** hash routes the entry on a restore at another parallelism, as for st_get. An error
  ** (recorded; NULL) for a table with a ttl or a compact one (key_hash). */
  void *(*st_append)(RtCtx *ctx, int table, int64_t bucket, uint64_t hash, const void *key,
                     uint32_t keylen, void **key_copy);

  /* ---- ABI 2: lookup prefetch (runtime/state.c) ---- */
  /* A hint for a later st_get(ctx, table, bucket, hash, ...) of the same batch: step 0
  ** prefetches the key's home index slot; step 1, issued once step 0 had time to land, reads
  ** that slot and prefetches the entry it names. Never changes the table; cheapest for the
  ** table's current bucket (that of its last st_get). Returns 0 when it did nothing because
  ** hints cannot pay (no such bucket, or an index small enough to stay cached): a caller may
  ** stop hinting for the rest of its batch. */
  int (*st_prefetch)(RtCtx *ctx, int table, int64_t bucket, uint64_t hash, int step);
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

/* Copy and clear for generated code, which links no libc (the .so must have no undefined
** symbols, and gcc builds it with -fno-tree-loop-distribute-patterns so these loops never
** become memcpy/memset calls). The regions must not overlap.
** gcc: a size known at compile time (sizeof a row, a key column's width) and at most
** RT_INLINE_COPY bytes becomes __builtin_memcpy/__builtin_memset, which gcc expands into a
** few (vector) moves, never a call. Other sizes, and every size under tcc (no
** __builtin_constant_p folding after inlining), copy 8 bytes at a time, then the tail bytes.
** rt_word_ is a word that may sit at any address (x86 loads any alignment; under gcc the
** typedef says so, so neither the optimizer nor UBSan assumes 8-byte alignment). */
#if defined(__GNUC__) && !defined(__TINYC__)
typedef uint64_t rt_word_ __attribute__((aligned(1), may_alias));
#define RT_INLINE_COPY 256
#else
typedef uint64_t rt_word_;
#endif

/* A hint that *p will be read soon (gcc: a prefetch instruction; tcc has no builtin for it,
** so there it is nothing). */
#if defined(__GNUC__) && !defined(__TINYC__)
#define rt_prefetch(p) __builtin_prefetch(p)
#else
#define rt_prefetch(p) ((void)(p))
#endif

static inline void rt_put_bytes(void *dst, const void *src, int64_t n) {
  unsigned char *d = (unsigned char *)dst;
  const unsigned char *s = (const unsigned char *)src;
#ifdef RT_INLINE_COPY
  if (__builtin_constant_p(n) && n >= 0 && n <= RT_INLINE_COPY) {
    __builtin_memcpy(d, s, (unsigned long)n);
    return;
  }
#endif
  for (; n >= 8; n -= 8, d += 8, s += 8) *(rt_word_ *)d = *(const rt_word_ *)s;
  while (n-- > 0) *d++ = *s++;
}

static inline void rt_zero(void *dst, int64_t n) {
  unsigned char *d = (unsigned char *)dst;
#ifdef RT_INLINE_COPY
  if (__builtin_constant_p(n) && n >= 0 && n <= RT_INLINE_COPY) {
    __builtin_memset(d, 0, (unsigned long)n);
    return;
  }
#endif
  for (; n >= 8; n -= 8, d += 8) *(rt_word_ *)d = 0;
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

/* The state-table hash of a row kept under its own arrival sequence (one entry per row, many
** per key: buffered join and top-N rows). It keeps the routing hash's top 32 bits, which alone
** decide the owner (rt_hash_owner, st_owner_range), and spreads the low bits by seq, so the
** rows of one hot key do not all probe one index chain. */
static inline uint64_t rt_hash_unique(uint64_t hash, int64_t seq) {
  return (hash & 0xffffffff00000000ULL) | (uint32_t)rt_hash_mix(hash, (uint64_t)seq);
}

/* Which of n subtasks owns a key hash: subtask i owns [i * 2^64 / n, (i + 1) * 2^64 / n).
** Ranges (not modulo) so state can be re-split at another parallelism by hash range. */
static inline uint32_t rt_hash_owner(uint64_t hash, uint32_t n) {
  return (uint32_t)(((hash >> 32) * (uint64_t)n) >> 32);
}


/* ---- ABI 2: aggregate accumulators (updated inline; see the agg_* members of RtApi) -------
** Plain structs that live inside generated accumulator values (zeroed = empty) and the static
** inline functions that update them. Operation order follows DataFusion's accumulators exactly
** (Welford updates: VarianceAccumulator, CovarianceAccumulator, RegrAccumulator), so results
** round to the same digits as Arroyo's goldens; keep it that way when editing.
** Retraction is the reverse Welford step. It is exact in real arithmetic but not bit-exact in
** floating point (add x then retract x may differ in the last bits); retracting the only value
** resets the struct to zero, so "everything retracted" is exactly "never added".
** merge() combines two partial accumulators (hop windows) with the parallel formulas; the
** result matches adding everything to one accumulator up to rounding.
** Pure C99 for tcc: no libm (sqrt lives in the agg_*_final members), no builtins. */

/* count / mean / M2 of one double input: var_*, stddev_*. */
struct RtMoments {
  int64_t count;      /* values added minus values retracted */
  double mean;        /* running mean */
  double m2;          /* sum of squared deviations from the mean */
};

static inline void rt_moments_add(RtMoments *m, double x) {
  double d = x - m->mean;
  m->count++;
  m->mean = d / (double)m->count + m->mean;
  m->m2 = m->m2 + d * (x - m->mean);
}

static inline void rt_moments_retract(RtMoments *m, double x) {
  double d;
  if (m->count <= 1) { m->count = 0; m->mean = 0.0; m->m2 = 0.0; return; }
  m->count--;
  d = m->mean - x;
  m->mean = d / (double)m->count + m->mean;
  m->m2 = m->m2 - d * (m->mean - x);
}

static inline void rt_moments_merge(RtMoments *a, const RtMoments *b) {
  double n, delta;
  if (b->count <= 0) return;
  if (a->count <= 0) { a->count = b->count; a->mean = b->mean; a->m2 = b->m2; return; }
  n = (double)(a->count + b->count);
  delta = a->mean - b->mean;
  a->m2 = a->m2 + b->m2 + delta * delta * (double)a->count * (double)b->count / n;
  a->mean = a->mean * (double)a->count / n + b->mean * (double)b->count / n;
  a->count += b->count;
}

/* Paired moments of (a, b): covar_*(a, b), corr(a, b) and regr_*(y, x) with a = x, b = y. */
struct RtCoMoments {
  int64_t count;      /* pairs added minus pairs retracted (pairs with a NULL are skipped) */
  double mean_a;      /* running mean of a */
  double mean_b;      /* running mean of b */
  double m2_a;        /* sum of squared deviations of a */
  double m2_b;        /* sum of squared deviations of b */
  double c;           /* co-moment: sum of (a - mean_a) * (b - mean_b) */
};

static inline void rt_comoments_add(RtCoMoments *m, double a, double b) {
  double da = a - m->mean_a, db = b - m->mean_b, n;
  m->count++;
  n = (double)m->count;
  m->mean_a = da / n + m->mean_a;
  m->mean_b = db / n + m->mean_b;
  m->m2_a = m->m2_a + da * (a - m->mean_a);
  m->m2_b = m->m2_b + db * (b - m->mean_b);
  m->c = m->c + da * (b - m->mean_b);
}

static inline void rt_comoments_retract(RtCoMoments *m, double a, double b) {
  double da, db, n;
  if (m->count <= 1) {
    m->count = 0; m->mean_a = m->mean_b = m->m2_a = m->m2_b = m->c = 0.0;
    return;
  }
  m->count--;
  n = (double)m->count;
  da = m->mean_a - a;
  db = m->mean_b - b;
  m->mean_a = da / n + m->mean_a;
  m->mean_b = db / n + m->mean_b;
  m->m2_a = m->m2_a - da * (m->mean_a - a);
  m->m2_b = m->m2_b - db * (m->mean_b - b);
  m->c = m->c - da * (m->mean_b - b);
}

static inline void rt_comoments_merge(RtCoMoments *x, const RtCoMoments *y) {
  double n, na, nb, da, db;
  if (y->count <= 0) return;
  if (x->count <= 0) {            /* field by field: a struct copy is a memmove call in tcc */
    x->count = y->count; x->mean_a = y->mean_a; x->mean_b = y->mean_b;
    x->m2_a = y->m2_a; x->m2_b = y->m2_b; x->c = y->c;
    return;
  }
  n = (double)(x->count + y->count);
  na = (double)x->count;
  nb = (double)y->count;
  da = x->mean_a - y->mean_a;
  db = x->mean_b - y->mean_b;
  x->m2_a = x->m2_a + y->m2_a + da * da * na * nb / n;
  x->m2_b = x->m2_b + y->m2_b + db * db * na * nb / n;
  x->c = x->c + y->c + da * db * na * nb / n;
  x->mean_a = x->mean_a * na / n + y->mean_a * nb / n;
  x->mean_b = x->mean_b * na / n + y->mean_b * nb / n;
  x->count += y->count;
}

/* What agg_regr_final computes. */
enum RtRegr {
  RT_REGR_SLOPE = 0, RT_REGR_INTERCEPT, RT_REGR_COUNT, RT_REGR_R2, RT_REGR_AVGX,
  RT_REGR_AVGY, RT_REGR_SXX, RT_REGR_SYY, RT_REGR_SXY
};

/* Modes of agg_str_set / agg_str_merge. */
enum RtSbox { RT_SBOX_FIRST = 0, RT_SBOX_LAST = 1, RT_SBOX_MIN = 2, RT_SBOX_MAX = 3 };

/* Per-bit counts for bit_and / bit_or over retractable input (bit_xor retracts by xor-ing the
** value again, bool_and/bool_or by counting trues and rows). sign: +1 add, -1 retract. */
typedef struct RtBitCounts {
  int64_t n;          /* values counted */
  int64_t ones[64];   /* values with bit i set */
} RtBitCounts;

static inline void rt_bits_update(RtBitCounts *b, uint64_t v, int64_t sign) {
  int i;
  b->n += sign;
  for (i = 0; i < 64; i++) if ((v >> i) & 1u) b->ones[i] += sign;
}
static inline uint64_t rt_bits_and(const RtBitCounts *b) {    /* meaningful when n > 0 */
  uint64_t r = 0; int i;
  for (i = 0; i < 64; i++) if (b->ones[i] == b->n) r |= (uint64_t)1 << i;
  return r;
}
static inline uint64_t rt_bits_or(const RtBitCounts *b) {
  uint64_t r = 0; int i;
  for (i = 0; i < 64; i++) if (b->ones[i] > 0) r |= (uint64_t)1 << i;
  return r;
}

#endif /* ARROYO_ABI_H */
