/*
** runtime/runtime.h: internal interfaces of the worker runtime and connectors.
**
** Generated code never sees this header (it sees only abi.h). Sections:
**   arena     - bump allocator used for per-batch scratch and batch-owned strings (arena.c)
**   buf       - growable byte buffer (arena.c)
**   ctx       - RtCtx, the per-subtask context behind the opaque pointer in abi.h (ctx.c)
**   api       - the RtApi table given to pipelines (api.c) and the fn_* implementations
**   text      - timestamp and number text conversions shared by codecs and casts
**   codecs    - record decoders/encoders for json / debezium_json (codec_*.c)
**   registry  - connectors, their options and default schemas (connectors/registry.c);
**               also linked into the compiler, so it must not depend on the rest.
*/
#ifndef ARROYO_RUNTIME_H
#define ARROYO_RUNTIME_H

#include <stdarg.h>
#include <stdio.h>
#include "abi.h"

/* ---- arena --------------------------------------------------------------------------- */
typedef struct ArenaBlock ArenaBlock;
typedef struct Arena {
  ArenaBlock *head;     /* current block (blocks are chained, newest first) */
  size_t block_size;    /* default size of new blocks */
  size_t total;         /* bytes handed out since the last reset (for metrics) */
} Arena;

void arena_init(Arena *a, size_t block_size);
void *arena_alloc(Arena *a, size_t n);           /* 16-byte aligned; aborts on OOM */
char *arena_strndup(Arena *a, const char *s, size_t n);
void arena_reset(Arena *a);                      /* keeps the first block, frees the rest */
void arena_free(Arena *a);

typedef struct Buf {
  char *p;             /* bytes (not NUL-terminated unless buf_cstr was called) */
  size_t len;          /* bytes used */
  size_t cap;          /* bytes allocated */
} Buf;

void buf_reserve(Buf *b, size_t extra);
void buf_put(Buf *b, const void *p, size_t n);
void buf_putc(Buf *b, char c);
void buf_puts(Buf *b, const char *s);
void buf_printf(Buf *b, const char *fmt, ...);
const char *buf_cstr(Buf *b);
void buf_free(Buf *b);

/* ---- ctx ----------------------------------------------------------------------------- */
struct RtCtx {
  Arena scratch;           /* per-batch scratch (rt->alloc); reset after each batch */
  char err[1024];          /* first error message ("" when none) */
  int failed;              /* an error was recorded */
  int64_t now_ns;          /* wall clock fixed at batch start */
  struct RegexCache *regex;/* compiled patterns (fn_regex.c owns it) */
  void *worker;            /* the runtime's subtask state (worker.c owns it) */
  int subtask;             /* subtask index */
};

RtCtx *rt_ctx_new(void);
void rt_ctx_free(RtCtx *ctx);
void rt_ctx_begin_batch(RtCtx *ctx);             /* reset scratch, fix now() */
void *rt_alloc(RtCtx *ctx, int64_t n);
int rt_error(RtCtx *ctx, const char *where, const char *fmt, ...);
int rt_verror(RtCtx *ctx, const char *where, const char *fmt, va_list ap);
int64_t rt_now(RtCtx *ctx);
int64_t rt_wall_clock_ns(void);
int rt_emit(RtCtx *ctx, int port, const void *row);    /* worker.c: row to sink `port` */
void regex_cache_free(struct RegexCache *c);   /* fn_regex.c */

/* ---- api ----------------------------------------------------------------------------- */
const RtApi *rt_api(void);                       /* the filled table (api.c) */
extern const char *const rt_type_names[RT_TYPE_COUNT]; /* ORDER RtType; "BIGINT", ... */

/* ---- text conversions (timefmt.c, numfmt.c) ------------------------------------------- */
/* Parse RFC 3339 ("2023-09-18T14:23:10Z", "+00:00", fractions up to ns), also a space for
** 'T', no zone (= UTC), and date only. 0 ok, -1 malformed. */
int ts_parse(const char *s, size_t n, int64_t *ns_out);
/* Format "YYYY-MM-DDTHH:MM:SS" plus ".fff"/".ffffff"/".fffffffff" only when the fraction is
** non-zero (shortest of the three that is exact), no zone. buf >= 40 bytes; returns length. */
size_t ts_format(int64_t ns, char *buf);
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);
void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);
/* Shortest text that parses back to the same value, always with '.' or 'e' ("1.0", "0.1",
** "1e+20" style as Rust's/serde's ryu: see numfmt.c). Non-finite: "NaN", "inf", "-inf".
** buf >= 32 bytes; returns length. */
size_t fmt_f64(double v, char *buf);
size_t fmt_f32(float v, char *buf);
size_t fmt_i64(int64_t v, char *buf);
size_t fmt_u64(uint64_t v, char *buf);

/* ---- codecs -------------------------------------------------------------------------- */
/* A Decoder turns one input record (a JSON line) into rows of the source's row struct.
** Strings in decoded rows point into `line` when no unescaping is needed, otherwise into
** `arena`; the caller keeps both alive until the rows are processed. */
typedef struct Decoder Decoder;
/* Reads format options from the connector (format, json.unstructured, json.timestamp_format).
** Returns NULL and fills err on unsupported options. */
Decoder *dec_new(const RtConnector *src, char *err, size_t errlen);
/* Decode one record. Writes up to 2 rows (debezium "u" = retract before + insert after) at
** rows_out (2 * row_size bytes, zeroed by the decoder), sets each row's header ts to the event
** time column value if the source has one (else leaves 0 for the caller to fill).
** Returns the number of rows (0..2), or -1 for bad data with err = "field 'x': why". */
int dec_record(Decoder *d, const char *line, size_t len, void *rows_out, Arena *arena,
               char *err, size_t errlen);
void dec_free(Decoder *d);

typedef struct Encoder Encoder;
Encoder *enc_new(const RtConnector *sink, char *err, size_t errlen);
/* Append one record (with trailing '\n') for `row`. Updating sinks (debezium_json) write
** {"before":null,"after":{..},"op":"c"} for inserts and {"before":{..},"after":null,"op":"d"}
** for retractions. */
int enc_record(Encoder *e, const void *row, Buf *out);
void enc_free(Encoder *e);

/* ---- registry (connectors/registry.c) ------------------------------------------------- */
enum { CONN_SOURCE = 1, CONN_SINK = 2 };
typedef struct ConnSpec {
  const char *name;               /* connector name in WITH (connector = '...') */
  int roles;                      /* CONN_SOURCE | CONN_SINK */
  int bounded;                    /* source ends by itself (given its options) */
  const char *const *options;     /* connector-specific keys, NULL-terminated */
  const char *const *required;    /* keys that must be present, NULL-terminated */
  const char *default_columns;    /* SQL column list used when the table declares none, or NULL */
  int needs_format;               /* takes the format options (format, bad_data, json.*) */
} ConnSpec;

const ConnSpec *conn_lookup(const char *name);
/* Keys every table may carry (connector, type, format, bad_data, event_time_field, ...). */
int conn_is_common_option(const char *key);
/* Allowed values for enumerated options, NULL-terminated; NULL when free-form. */
const char *const *conn_option_values(const char *key);
const char *conn_opt(const RtConnector *c, const char *key);   /* value or NULL */

#endif /* ARROYO_RUNTIME_H */
