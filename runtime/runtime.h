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
  int64_t seq_next;        /* rt->next_seq: next arrival number (starts at the start wall clock) */
  struct RegexCache *regex;/* compiled patterns (fn_regex.c owns it) */
  void *worker;            /* the runtime's subtask state (worker.c owns it) */
  int subtask;             /* subtask index */
  int nsubtasks;           /* subtasks of this stage */
  const RtStage *stage;    /* ABI 2: the stage this context runs (NULL for ABI 1 pipelines) */
  struct StateTable **tables; /* stage->nstates tables of this subtask (state.c owns them) */
  uint32_t ntables;
  int64_t watermark;       /* this subtask's input watermark (INT64_MIN before any) */
  int64_t late_rows;       /* rows dropped behind the watermark (rt->count_late) */
  void **lookups;          /* lookup join tables by slot (lookup.c owns them), or NULL */
  int nlookups;
};

RtCtx *rt_ctx_new(void);
void rt_ctx_free(RtCtx *ctx);
void rt_ctx_begin_batch(RtCtx *ctx);             /* reset scratch, fix now() */
void *rt_alloc(RtCtx *ctx, int64_t n);
int rt_error(RtCtx *ctx, const char *where, const char *fmt, ...);
int rt_verror(RtCtx *ctx, const char *where, const char *fmt, va_list ap);
int64_t rt_now(RtCtx *ctx);
int64_t rt_next_seq(RtCtx *ctx);
int64_t rt_wall_clock_ns(void);
int rt_emit(RtCtx *ctx, int port, const void *row);    /* worker.c: row to sink `port` */
void regex_cache_free(struct RegexCache *c);   /* fn_regex.c */
/* lookup.c: rt->lookup_table / rt->lookup_find, and freeing one table (rt_ctx_free) */
const void *rt_lookup_table(RtCtx *ctx, int slot, const RtConnector *table, RtLookupKeyFn key);
int64_t rt_lookup_find(const void *table, uint64_t hash, const void *kb, uint32_t kl,
                       const void *const **rows);
void rt_lookup_free(void *table);

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
/* Shortest digits that parse back to the same value (as f32 for fmt_f32), laid out as
** Arroyo's JSON writer (arrow-json / lexical) does: plain notation when the decimal exponent
** is in -5..9 ("1.0", "0.00001", "123456789.0"), otherwise "1.0e21" / "5.0e-324".
** Non-finite: "NaN", "inf", "-inf" (JSON encoders write null). buf >= 32 bytes; returns length. */
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

/* ==== worker / connectors ===============================================================
** Internal declarations of the worker runtime (runtime/worker.c, queue.c, linereader.c,
** main.c) and the connector implementations (connectors/<name>.c). Owned by the worker;
** other layers should not need them. See the header comment of runtime/worker.c for the
** thread and queue layout.
*/

/* ---- queue (queue.c): bounded blocking FIFO of tagged messages ------------------------ */
typedef enum QKind {
  QM_BATCH = 1,    /* ptr = payload (SrcBatch* into a stage subtask, Buf* into a sink) */
  QM_WATERMARK,    /* value = the sender's watermark, ns (INT64_MAX: no more rows ever) */
  QM_BARRIER,      /* value = checkpoint epoch (worker.c, "Checkpoints") */
  QM_EOS,          /* the sender has no more messages; value 1: it was stopped for a final
                   ** checkpoint, not at the end of its input (no closing watermark) */
  QM_IDLE          /* the sender is idle: leave it out of the watermark min until it sends */
} QKind;

typedef struct QMsg {
  int32_t kind;    /* QKind */
  int32_t port;    /* into a stage subtask: the sender's channel there; into a sink writer:
                   ** the producer's index there; else unused (0) */
  int64_t value;   /* QM_WATERMARK / QM_BARRIER / QM_EOS argument */
  void *ptr;       /* QM_BATCH payload; the queue never owns or frees it */
} QMsg;

typedef struct Queue Queue;
Queue *q_new(size_t cap);                  /* cap messages; aborts on OOM */
void q_free(Queue *q);                     /* no thread may still use it */
int q_push(Queue *q, const QMsg *m);       /* blocks while full; 0, or -1 once cancelled */
int q_pop(Queue *q, QMsg *m);              /* blocks while empty; 0, or -1 once cancelled */
int q_try_pop(Queue *q, QMsg *m);          /* 0 popped, 1 empty, -1 cancelled */
/* Free pools only: a consumer blocked in q_pop is woken once k messages are queued instead of
** on the first push (queue.c explains when that is safe). Call before any thread uses q. */
void q_set_pop_wake(Queue *q, size_t k);
size_t q_len(Queue *q);
int q_blocked(Queue *q);                   /* threads waiting in q_push or q_pop (tests) */
void q_cancel(Queue *q);                   /* wake everyone; all later operations fail */

/* ---- line reader (linereader.c) -------------------------------------------------------- */
typedef struct LineReader {
  int fd;               /* borrowed; the caller closes it */
  size_t chunk;         /* bytes per read(2); the caller may change it between fills */
  Buf carry;            /* partial last line held back for the next fill */
  int eof;              /* read(2) returned 0 */
  uint64_t bytes_read;  /* total bytes read from fd */
} LineReader;

void lr_init(LineReader *lr, int fd, size_t chunk);
/* Replace out's contents with the next whole lines of the stream: out ends just after a '\n',
** or at end of file for a last line without one. 1 = out holds data, 0 = end of stream,
** -1 = read error (errno set). */
int lr_fill(LineReader *lr, Buf *out);
/* Next line of a filled buffer at *pos (< end): *line and *len, without "\n" or "\r\n";
** advances *pos. Returns 0 when *pos reached end. Empty lines are returned too. */
int lr_next(const char **pos, const char *end, const char **line, size_t *len);
/* Give back the unconsumed tail [p, p+n) of the buffer the last fill returned: the next fill
** starts with it (a source that stopped mid-buffer). lr->bytes_read - lr->carry.len is then
** the stream offset of the first byte not consumed. */
void lr_unread(LineReader *lr, const char *p, size_t n);
void lr_free(LineReader *lr);

/* ---- row batches ----------------------------------------------------------------------- */
/* A batch of rows travelling into a stage subtask: decoded rows from a source subtask, or
** rows a stage emitted on an edge. It owns the bytes its rows' strings point into (`input`
** for sources, `arena` for both); the consumer returns it to its `pool` only after process()
** returned, because rt_emit encodes sink rows and deep-copies edge rows synchronously. */
typedef struct SrcBatch {
  char *rows;           /* cap rows of row_size bytes; n used */
  int64_t n;            /* rows filled */
  int64_t cap;          /* rows allocated */
  uint32_t row_size;    /* schema->row_size of the source or edge */
  int32_t refs;         /* stage subtasks still reading it (atomic); the last one recycles */
  Buf input;            /* raw input the rows' strings may point into (sources) */
  Arena arena;          /* strings the decoder had to copy / edge strings */
  char *str_at;         /* edge batches: next free byte of the arena chunk strings go to */
  char *str_end;        /* end of that chunk */
  Queue *pool;          /* free pool of its producer, where it goes back when read */
} SrcBatch;

/* Pointer to row b->n after making room for k more rows (the new rows are not zeroed and
** not counted: the caller advances b->n). */
void *srcb_reserve(SrcBatch *b, int64_t k);

/* ---- connectors: sources --------------------------------------------------------------- */
enum { SRC_MORE = 0, SRC_END = 1, SRC_ERR = -1 };

/* A connector's position for checkpoints: a few integers whose meaning the connector
** defines (single_file: byte offset and line number of the next record; impulse: next
** counter, start time). Also what a sink records when it pre-commits (single_file: the
** file length). n == 0: nothing recorded. A source's position() sets n = -1 when it cannot
** give one yet (it owes rows first, see SourceOps.position). */
#define CK_POS_MAX 4
typedef struct CkPos {
  int32_t n;                  /* values used */
  int64_t v[CK_POS_MAX];      /* the values */
} CkPos;

typedef struct Source Source;
typedef struct SourceOps {
  const char *name;                                   /* connector name */
  /* Open the connector (files, parse options). 0, or -1 with err set (the worker prefixes
  ** the table and connector names). */
  int (*open)(Source *s, char *err, size_t errlen);
  /* Fill an empty batch (n == 0, input and arena reset) with about s->batch_rows rows.
  ** SRC_MORE: more may follow (the batch may be empty, e.g. nothing due yet: the worker
  ** checks for a stop request and calls again); SRC_END: no more rows after this batch
  ** (it may hold rows); SRC_ERR: err is set (complete message, e.g. "FILE:LINE: ..."). */
  int (*fill)(Source *s, SrcBatch *b, char *err, size_t errlen);
  void (*close)(Source *s);                           /* release state; called once if opened */
  /* 1: fill is cheap CPU work (a generator: no I/O, no decoding), so the worker may call it
  ** on the thread of the stage subtask that reads it, with no queue in between (worker.c,
  ** "Inline sources"); fill may then sleep at most ~50 ms, as always. 0: own thread. */
  int inline_ok;
  /* Checkpoints: the position between two fills, i.e. of the first record not emitted yet
  ** (out->n = 0: nothing to record, e.g. a subtask that reads nothing). Called on the thread
  ** that calls fill, or on the coordinator's once that thread has finished. NULL: the
  ** connector cannot be checkpointed (the worker refuses --checkpoint-dir). On restore the
  ** worker sets Source.resume to a position position() returned (possibly at another
  ** parallelism: the same subtask index) before open, which continues from there; a
  ** connector whose subtasks share one stream (nexmark) reads every old subtask's position
  ** from Source.resume_all instead. out->n = -1: no position can be given now, because the
  ** subtask owes rows that no position of its own can express (nexmark, restored at another
  ** parallelism, first emits what the old subtasks left between their positions); the
  ** worker fills again before it takes the barrier, so position() must say yes after
  ** finitely many fills, and must not say -1 once fill returned SRC_END. */
  void (*position)(Source *s, CkPos *out);
} SourceOps;

struct Source {
  const RtConnector *conn;    /* table, options, schema (borrowed from the .so) */
  const SourceOps *ops;       /* implementation */
  void *state;                /* connector-private, freed by ops->close */
  int subtask;                /* this reader's subtask index (0..parallelism-1) */
  int parallelism;            /* number of subtasks reading this table (--parallelism) */
  int batch_rows;             /* target rows per batch (a hint; batches may hold more) */
  int drop_bad;               /* bad_data = 'drop': skip and count undecodable records */
  int64_t limit;              /* fill: emit at most this many rows (set before each fill by
                              ** the worker for --stop-after; < 0: no limit) */
  const CkPos *resume;        /* open: continue from this position (restore); NULL: start */
  const CkPos *resume_all;    /* restore: the positions of all resume_n subtasks of the old
                              ** run (n == 0 where none was recorded); NULL: not restoring.
                              ** Borrowed, valid during open only */
  int resume_n;               /* the old run's parallelism */
  int finished;               /* set by open: this subtask has nothing to read at all (it
                              ** counts as ended before any thread runs) */
  int64_t rows_read;          /* rows handed to the pipeline */
  int64_t rows_dropped;       /* records skipped as bad data */
};

/* Decode one record into batch b with the source's Decoder: handles bad_data (fail: sets err
** to "FILE:LINE: <table>: bad data: <decoder message>"; drop: counts it) and sets the header
** ts to `arrival_ns` when the table has no event time column. `file`/`line` locate the record
** (only formatted on error). 0 ok (0-2 rows added to b), -1 error. */
int src_decode(Source *s, Decoder *d, SrcBatch *b, const char *rec, size_t len,
               int64_t arrival_ns, const char *file, int64_t line, char *err, size_t errlen);

extern const SourceOps src_single_file;   /* connectors/single_file.c */
extern const SourceOps src_impulse;       /* connectors/impulse.c */
extern const SourceOps src_nexmark;       /* connectors/nexmark.c */

/* ---- connectors: sinks ----------------------------------------------------------------- */
typedef struct Sink Sink;
typedef struct SinkOps {
  const char *name;                                   /* connector name */
  int encodes;    /* 0: rows are only counted (blackhole): no encoder, no writer thread */
  int (*open)(Sink *s, char *err, size_t errlen);     /* 0 / -1 with err */
  /* Write all n bytes (called from the sink's writer thread only). 0 / -1 with err. */
  int (*write)(Sink *s, const char *p, size_t n, char *err, size_t errlen);
  /* Flush and close; called once if opened, also after errors. 0 / -1 with err. */
  int (*close)(Sink *s, char *err, size_t errlen);
  /* Two-phase commit (worker.c, "Checkpoints"). Phase 1, precommit: on the writer thread,
  ** once every producer's barrier arrived (everything before the barrier was written and
  ** nothing after it): make the bytes written so far durable and describe them in *out
  ** (single_file: fsync, out = the file length). Phase 2, commit: on the coordinator's
  ** thread after checkpoint `epoch` is complete (its manifest written), finalise what the
  ** precommit of that epoch described. On restore the worker sets Sink.resume to the
  ** precommit position of the restored checkpoint before open, which must put the output
  ** back to that point (single_file: truncate the file to the recorded length). NULL
  ** members: nothing to do (stdout cannot take back what it wrote). 0 / -1 with err. */
  int (*precommit)(Sink *s, CkPos *out, char *err, size_t errlen);
  int (*commit)(Sink *s, int64_t epoch, char *err, size_t errlen);
} SinkOps;

struct Sink {
  const RtConnector *conn;    /* table, options, schema (borrowed from the .so) */
  const SinkOps *ops;         /* implementation */
  void *state;                /* connector-private */
  int fd;                     /* file sinks: descriptor, -1 when closed */
  const CkPos *resume;        /* open: restore to this precommit position; NULL: start anew */
  int64_t bytes_written;      /* bytes handed to write() */
};

/* Write all of p to fd, retrying short writes and EINTR. 0, or -1 with errno set. */
int sink_write_fd(int fd, const char *p, size_t n);

extern const SinkOps sink_single_file;   /* connectors/single_file.c */
extern const SinkOps sink_stdout;        /* connectors/stdout.c */
extern const SinkOps sink_blackhole;     /* connectors/blackhole.c */

/* ---- worker (worker.c) ----------------------------------------------------------------- */
typedef struct Worker Worker;

typedef struct WkOptions {
  int parallelism;            /* subtasks per source and stage (stages may cap it) */
  int batch_rows;             /* rows per source and edge batch (0: default 8192) ... */
  size_t sink_flush_bytes;    /* hand a sink buffer to its writer at this size (0: 256 KB) */
  size_t batch_bytes;         /* ... but at most this many bytes of row structs (0: 512 KB) */
  int no_inline;              /* 1: every source subtask gets its own thread (diagnostics) */
  const char *ckpt_url;       /* --checkpoint-dir: store URL (ck_open); NULL: no checkpoints */
  int64_t ckpt_interval_ns;   /* --checkpoint-interval (0: 10 s) */
  int ckpt_keep;              /* --checkpoint-keep: complete checkpoints kept (0: 3) */
  int restore;                /* --restore: resume from the newest complete checkpoint */
  int64_t stop_after;         /* --stop-after: stop (as SIGTERM does) once the sources emitted
                              ** this many rows in all (0: never) */
} WkOptions;

/* Load PIPELINE.so, check its ABI, and resolve connectors; with opt->ckpt_url also open the
** checkpoint store, and with opt->restore the newest complete checkpoint (no checkpoint, a
** layout mismatch or a store error is an error here, before anything runs). NULL with err
** set on failure. */
Worker *wk_load(const char *so_path, const WkOptions *opt, char *err, size_t errlen);
/* Run to completion: until every source ended (bounded input exhausted, or a stop request)
** and every sink is flushed and closed; with checkpoints, a stop request first takes a final
** checkpoint. 0 ok, -1 error (wk_error tells why). */
int wk_run(Worker *w);
const char *wk_error(const Worker *w);
/* One line per source and sink: rows read / dropped as bad data / written. */
void wk_summary(const Worker *w, FILE *out);
void wk_free(Worker *w);
/* Ask all sources to stop and the worker to finish cleanly. Async-signal-safe. */
void wk_request_stop(void);
int wk_stop_requested(void);
/* rt->source_watermark: the watermark candidate of the source batch being processed
** (kept monotonic per source subtask). A call outside a batch of that source input records
** an error on ctx. */
void rt_source_watermark(RtCtx *ctx, int input, int64_t wm);
/* Connector implementations by name; NULL if this worker lacks it. */
const SourceOps *wk_source_ops(const char *connector);
const SinkOps *wk_sink_ops(const char *connector);
/* Checkpoints taken by this run so far (for tests and the summary). */
int64_t wk_checkpoints(const Worker *w);

/* ---- checkpoint content (checkpoint.c) -------------------------------------------------
** What goes into a checkpoint and how it comes back; worker.c decides when (the barrier
** protocol, alignment and the coordinator are in its header comment). A checkpoint of epoch
** E, in the checkpoint layer's ckpt-<E>/ (ckpt_* below), holds one file per stage subtask
** with state tables, "stage-<s>-<j>" (s = stage index, j = subtask), and the manifest's
** metadata: epoch, parallelism, every source subtask's position, every stage subtask's
** watermark (and those of its source channels) and file, every sink's precommit position.
** Rounds are written by several threads at once (one call per participant); a restore is
** read by several threads at once (ckrs_tables). */
typedef struct CkStore CkStore;          /* checkpoint storage section below */
typedef struct StateTable StateTable;    /* state tables section below */

/* The pipeline as the worker runs it: what a checkpoint is taken from and restored into. */
typedef struct CkShape {
  const RtPipeline *p;        /* sources, sinks and edges (names, layout hash) */
  int parallelism;            /* subtasks per source (--parallelism) */
  uint32_t nstages;
  const RtStage *stages;      /* nstages (for an ABI 1 pipeline, the synthesized stage) */
  const int *nsub;            /* nstages: subtasks per stage */
} CkShape;

/* The watermark of one source channel of a stage subtask (source index, source subtask). */
typedef struct CkSrcWm {
  int32_t source;             /* RtPipeline.sources index */
  int32_t producer;           /* source subtask */
  int64_t wm;                 /* the channel's watermark */
} CkSrcWm;

typedef struct CkStats {
  int64_t files;              /* state files in the checkpoint */
  int64_t raw_bytes;          /* their bytes before compression */
  int64_t stored_bytes;       /* bytes written to the store (files and manifest) */
} CkStats;

enum { CK_SOURCE = 0, CK_STAGE = 1, CK_SINK = 2 };

typedef struct CkRound CkRound;
/* Begin checkpoint `epoch` (ckpt_writer_begin). NULL with err set. */
CkRound *ckr_begin(CkStore *s, int64_t epoch, const CkShape *shape, char *err, size_t errlen);
/* Participants report (each exactly once per round; thread-safe): source subtask
** i = source * parallelism + subtask at pos; stage subtask (stage, sub) with its tables
** (snapshotted now, on the calling thread, which only reads them; the snapshot is compressed
** and written later by ckr_flush), its watermark and its source channels' watermarks; sink
** `sink` precommitted at pos. ckr_stage returns 0, or -1 with the round failed (ckr_error). */
void ckr_source(CkRound *r, uint32_t i, const CkPos *pos);
int ckr_stage(CkRound *r, uint32_t stage, uint32_t sub, StateTable *const *tables,
              uint32_t ntables, int64_t wm, const CkSrcWm *wms, uint32_t nwms);
void ckr_sink(CkRound *r, uint32_t sink, const CkPos *pos);
/* Has participant (kind CK_*, index) reported? A stage subtask's index is
** sum(nsub of earlier stages) + sub. */
int ckr_has(CkRound *r, int kind, uint32_t index);
/* Compress and write (ckpt_add_file) the snapshots reported so far, one after another, on the
** calling thread (the coordinator's). 0, or -1 with the round failed. */
int ckr_flush(CkRound *r);
/* Wait up to timeout_ns for the next report: 1 once every participant reported and every
** snapshot was written, 0 if not yet, -1 if a report or a write failed. */
int ckr_wait(CkRound *r, int64_t timeout_ns);
/* Write the manifest (metadata included): the checkpoint is complete. 0, or -1 with err. */
int ckr_commit(CkRound *r, CkStats *stats, char *err, size_t errlen);
const char *ckr_error(CkRound *r);        /* why a report failed */
void ckr_free(CkRound *r);                /* without a commit the checkpoint stays invisible */

typedef struct CkRestore CkRestore;
/* Open the newest complete checkpoint of store s (ckpt_latest, which skips corrupt ones with
** a warning) for a pipeline of this shape. 0 with *out set; 1 when there is none (err says
** so); -1 on a layout mismatch, metadata that does not fit the pipeline, or a store error. */
int ckrs_open(CkStore *s, const CkShape *shape, CkRestore **out, char *err, size_t errlen);
int64_t ckrs_epoch(const CkRestore *rs);
int ckrs_parallelism(const CkRestore *rs);     /* the parallelism it was taken at */
/* Position of source subtask `sub` (NULL: none, e.g. a subtask the old run did not have). */
const CkPos *ckrs_source(const CkRestore *rs, uint32_t source, int sub);
/* The positions of all old subtasks of `source` (*n = the old parallelism of them). */
const CkPos *ckrs_sources(const CkRestore *rs, uint32_t source, int *n);
const CkPos *ckrs_sink(const CkRestore *rs, uint32_t sink);   /* NULL: nothing recorded */
/* The starting watermark of new stage subtask `sub`: the old subtask's at the same
** parallelism, else the minimum over the old subtasks. INT64_MIN when unknown. */
int64_t ckrs_stage_wm(const CkRestore *rs, uint32_t stage, int sub);
/* The watermark the old run had on the channel from (source, producer) into `stage`; at
** another parallelism the minimum over the old producers of that source (a new producer
** need not continue the old one of its index: nexmark's subtasks share one stream). */
int64_t ckrs_source_wm(const CkRestore *rs, uint32_t stage, int32_t source, int32_t producer);
/* Fill the tables of new stage subtask `sub`: at the same parallelism from old subtask `sub`;
** otherwise, for a stage whose inputs are all HASH edges, every old subtask's entries whose
** key hash falls in st_owner_range(sub, nsub), and for other stages old subtask i's whole
** state goes to new subtask i % nsub. Thread-safe for different (stage, sub). 0 or -1. */
int ckrs_tables(CkRestore *rs, uint32_t stage, int sub, StateTable *const *tables, uint32_t n,
                char *err, size_t errlen);
/* Files and bytes read so far (stored bytes), for the restore log line. */
void ckrs_stats(const CkRestore *rs, CkStats *out);
void ckrs_free(CkRestore *rs);

/* ==== state tables (state.c) =============================================================
** Keyed state of one subtask: entries (bucket, key bytes) -> value struct, and a timer queue,
** per RtStateDesc of the stage. Generated code uses the st_* / timer_* members of RtApi, whose
** contracts are in abi.h; the worker and the checkpoint code use the table-level calls below.
** A table belongs to one subtask thread: nothing here locks. Layout, growth and ordering
** invariants: see the header comment of state.c.
*/
typedef struct StateTable StateTable;

typedef struct StStats {
  int64_t entries;     /* live entries */
  int64_t buckets;     /* live buckets */
  int64_t bytes;       /* heap bytes the table holds: entry slabs (high-water mark of live
                       ** entries per size class), indexes, lists, heaps, timer keys; not the
                       ** heaps of RtObj objects (agg.h counts those) */
  int64_t expired;     /* entries expired by ttl since st_new */
  int64_t timers;      /* pending timers */
} StStats;

/* Whole-table visits pass the key hash too (snapshots and rescaling need it). Non-zero stops
** the visit and is returned. fn must not add or remove entries or timers. */
typedef int (*StEntryFn)(void *arg, int64_t bucket, uint64_t hash, const void *key,
                         uint32_t keylen, void *value);

/* A table for desc; copies what it needs from desc. NULL if desc is invalid (value_size over
** 1 GiB, an object offset outside the value). Aborts on OOM, like every call here. */
StateTable *st_new(const RtStateDesc *desc);
/* Free the table, its entries, and the objects at desc->obj_offsets (rt_obj_free). */
void st_free(StateTable *t);
void st_stats(const StateTable *t, StStats *out);
const char *st_name(const StateTable *t);
/* TTL (desc->ttl_ns > 0): expire entries whose last access (creation, st_get hit, st_touch) is
** ttl_ns or more of EVENT time before `now`. The clock is ctx->watermark at each access; the
** worker calls this when the watermark advances, with now = the new watermark. Entries
** accessed before the first watermark (stamp INT64_MIN) count from the first call. Expiry is
** exact: an entry expires at the first call with now - last access >= ttl_ns. on_expire (may
** be NULL) sees each entry just before it is freed and must not change the table; a non-zero
** return stops after that entry and is returned. Counted in StStats.expired. now = INT64_MAX
** expires every stamped entry. No-op for tables without ttl. */
int st_expire(StateTable *t, RtCtx *ctx, int64_t now, RtVisitFn on_expire, void *arg);
/* Every entry, buckets in ascending order, insertion order within a bucket (the same order for
** the same history). */
int st_visit_all(StateTable *t, StEntryFn fn, void *arg);
/* The entries whose hash is in [lo, hi), in st_visit_all order; hi == 0 stands for 2^64. */
int st_visit_range(StateTable *t, uint64_t lo, uint64_t hi, StEntryFn fn, void *arg);
/* The hash range [lo, hi) (hi == 0: 2^64) that subtask i of n owns under rt_hash_owner(). */
void st_owner_range(uint32_t i, uint32_t n, uint64_t *lo, uint64_t *hi);
/* Pending timers with hash in [lo, hi), in firing order; bucket = time, value = NULL. */
int timer_visit_range(StateTable *t, uint64_t lo, uint64_t hi, StEntryFn fn, void *arg);

/* The RtApi members (abi.h has the contracts). Each finds ctx->tables[table] and records
** "state table N does not exist" on ctx if it is out of range (st_get then returns NULL,
** others RT_ERR / INT64_MAX). Additions to abi.h's contracts:
**   st_get        a key over 1 GiB is an error (NULL). On a hit of a ttl table it stamps the
**                 entry with ctx->watermark.
**   st_drop_bucket returns the number of entries freed (0: no such bucket).
**   st_visit_bucket tolerates fn removing the entry it was given (nothing else).
**   st_first_bucket frees buckets emptied by st_remove that reached the front.
**   st_touch      value must come from st_get on the same table; also a ttl access.
**   st_visit_touched entries removed after being touched are not visited; touches made by fn
**                 (even of the entry it is given) are visited by the next call; when fn stops
**                 the walk, the unvisited entries stay marked, ahead of newer touches.
**   timer_fire    value = the key's bucket-0 entry if present (no create, not a ttl access),
**                 else NULL; the timer fn stops on is consumed; timers fn adds at or before
**                 `upto` fire in the same call. Duplicate (time, key) timers all fire. */
void *st_get(RtCtx *ctx, int table, int64_t bucket, uint64_t hash, const void *key,
             uint32_t keylen, int create, int *created, const void **key_copy);
int st_remove(RtCtx *ctx, int table, int64_t bucket, uint64_t hash, const void *key,
              uint32_t keylen);
int64_t st_first_bucket(RtCtx *ctx, int table);
int64_t st_next_bucket(RtCtx *ctx, int table, int64_t after);
int st_visit_bucket(RtCtx *ctx, int table, int64_t bucket, RtVisitFn fn, void *arg);
int st_drop_bucket(RtCtx *ctx, int table, int64_t bucket);
void *st_append(RtCtx *ctx, int table, int64_t bucket, uint64_t hash, const void *key,
                uint32_t keylen, void **key_copy);
int st_prefetch_key(RtCtx *ctx, int table, int64_t bucket, uint64_t hash, int step);
void st_touch(RtCtx *ctx, int table, void *value);
int st_visit_touched(RtCtx *ctx, int table, RtVisitFn fn, void *arg);
int timer_add(RtCtx *ctx, int table, int64_t time, uint64_t hash, const void *key,
              uint32_t keylen);
int timer_fire(RtCtx *ctx, int table, int64_t upto, RtVisitFn fn, void *arg);

/* Frees an RtObj (NULL ignored); defined by the aggregate library (agg_obj.c, agg.h). The
** table calls it for every non-NULL pointer at desc->obj_offsets when an entry dies. */
void rt_obj_free(void *obj);

/* ==== snapshots (snapshot.c) ==============================================================
** A snapshot is the byte image of one state table: its entries and its timers, versioned and
** self-describing (the layout is in the header comment of snapshot.c). The checkpoint code
** writes one per table per subtask. A restore adds the entries and timers of a snapshot whose
** key hash lies in a range to a table, which is how state moves to another parallelism: new
** subtask j of M restores every old subtask's snapshot of the table with st_owner_range(j, M),
** since keys are routed by hash range (rt_hash_owner) and not by subtask.
**
** ABI contract for generated value structs (RtStateDesc), which snapshots depend on. A value
** holds only
**   - plain data: integers, floats, flags, inline accumulators (RtMoments, RtBitCounts, ...),
**   - RtObj pointers (NULL = empty), listed in obj_offsets: a snapshot stores each object's
**     rt_obj_serialize bytes and a restore rebuilds it with rt_obj_deserialize,
**   - RtStr strings listed in keyref_offsets whose bytes lie inside the entry's own key copy
**     (the key_copy st_get returns): stored as (offset into the key, length), pointed into the
**     new key copy on restore. One of length 0 may hold any pointer; it comes back as
**     (NULL, 0). A non-empty one that points outside the key makes st_snapshot fail.
** Any other pointer would be copied as raw bytes and come back dangling: generated code must
** not keep one in a value. The value bytes are copied as they are (host byte order; snapshot.c
** builds only on little-endian hosts), so the same generated struct must read them back:
** restore refuses a snapshot whose value_size, object or keyref offsets differ from the table's.
** Not in a snapshot: touched marks (st_touch; the worker flushes them after every batch and
** barriers fall between batches), expiry counters and the table's memory layout.
** Redistribution assumes keyed state: an entry's hash is the hash that routes its rows. An entry
** that is really per-subtask (a counter under hash 0 and an empty key, like the top-N and
** windowed-join "sequence" tables and the hop "cursor") lands in new subtask 0 only, and the
** copies of two old subtasks collide there (st_restore reports the duplicate key): such tables
** need a merge rule of their own (e.g. max of the sequences, given to every new subtask).
*/

/* What a snapshot's header says (st_snapshot_info). */
typedef struct StSnapInfo {
  uint32_t version;        /* format version */
  uint32_t value_size;     /* the value struct's size when it was taken */
  uint32_t nobjs;          /* RtObj fields per value */
  uint32_t nkeyrefs;       /* keyref fields per value */
  int64_t ttl_ns;          /* the table's ttl then (0: none; > 0: entries carry access stamps) */
  uint64_t entries;        /* entries in the snapshot */
  uint64_t buckets;        /* buckets with at least one entry */
  uint64_t timers;         /* pending timers */
  uint64_t size;           /* bytes of the whole snapshot, header to end marker */
  const char *name;        /* the table's name, NOT NUL-terminated: points into the input */
  uint32_t name_len;       /* its length */
} StSnapInfo;

/* Append a snapshot of t to out: every entry in st_visit_all order (buckets ascending, then
** insertion order) with its bucket, key hash, key, value, objects and (ttl tables) last access
** stamp, then every timer in firing order. t is not changed. Returns 0, or -1 if a keyref
** string points outside its entry's key (a code generation bug): the message, naming the table,
** the field offset and the key, goes to stderr and out is left as it was. Aborts on OOM. */
int st_snapshot(const StateTable *t, Buf *out);
/* Read the header of the snapshot at p (n bytes available; the rest of the snapshot need not
** be, so info->size tells how much to read, and snapshots may be concatenated). 0, or -1 with
** err set (not a snapshot, unknown version, header truncated). info borrows p. */
int st_snapshot_info(const char *p, size_t n, StSnapInfo *info, char *err, size_t errlen);
/* Add to t every entry and timer of the snapshot p[0..n) whose key hash is in [lo, hi)
** (hi == 0 stands for 2^64, as in st_owner_range; lo = hi = 0 takes everything). Existing
** entries stay. n must be exactly the snapshot's size. Objects are rebuilt, keyref strings
** point into the new key copies, ttl stamps are kept if both the snapshot and t have a ttl
** (a ttl table restored from a snapshot without stamps stamps INT64_MIN: "before the first
** watermark"). Within a bucket, restored entries keep their snapshot order, after the entries
** t had; restored timers fire after existing timers of the same time. Returns 0, or -1 with err
** set when the snapshot does not fit t (value_size, object or keyref offsets differ), is
** malformed or truncated, or holds a (bucket, key) t already has. Bad bytes never crash it,
** but a value's plain data cannot be checked: integrity is the checkpoint store's job
** (checksums). After an error t holds the complete entries restored before it (never a
** partly built one) and should be freed: the restore failed. The table names are not compared
** (they only label messages): the caller matches snapshots to tables. */
int st_restore(StateTable *t, const char *p, size_t n, uint64_t lo, uint64_t hi, char *err,
               size_t errlen);

/* state.c's side of snapshots; these need no ctx. */
const RtStateDesc *st_desc(const StateTable *t);   /* st_new's copy of the descriptor */
/* A ttl table's last-access stamp of the entry whose value this is; INT64_MIN without ttl. */
int64_t st_access(const StateTable *t, const void *value);
/* Make room in bucket's index (creating the bucket) for n more entries, so a restore does not
** double it repeatedly. */
void st_reserve(StateTable *t, int64_t bucket, uint64_t n);
/* A hint before st_insert(bucket, hash): start loading the index slot it will probe (restores
** prefetch several records ahead, as the index of a big bucket misses the caches). */
void st_prefetch(const StateTable *t, int64_t bucket, uint64_t hash);
/* Insert (bucket, key) with a zeroed value and ttl stamp `access` (ignored without ttl), not
** touched. 0: *value and *key_copy (if not NULL) are set; 1: the key is already in the bucket;
** -1: no room (key over 1 GiB, or out of slab numbers). */
int st_insert(StateTable *t, int64_t bucket, uint64_t hash, const void *key, uint32_t keylen,
              int64_t access, void **value, const void **key_copy);
/* timer_add without a ctx. */
void timer_put(StateTable *t, int64_t time, uint64_t hash, const void *key, uint32_t keylen);

/* ==== checkpoint storage (ckpt_store.c, s3.c) ===============================================
** Two layers. The object store (CkStore, ck_*) keeps named byte objects in a local directory or
** in S3-compatible object storage, behind one interface. The checkpoint layer (ckpt_*) stores a
** checkpoint of epoch E as zstd-compressed files under "ckpt-<E, 10 digits>/" plus a manifest,
** "ckpt-<E>/manifest.json", written LAST: the manifest is the only thing that makes a checkpoint
** visible, so a crash at any point before it leaves the previous checkpoint the newest one.
**
** URLs (ck_open): a path, or file:///path, is a local directory (created if missing);
** s3://bucket/prefix is S3. S3 reads the usual AWS environment variables: AWS_ENDPOINT_URL_S3
** or AWS_ENDPOINT_URL (e.g. http://127.0.0.1:9000; path-style requests; none: AWS itself,
** https://BUCKET.s3.REGION.amazonaws.com), AWS_REGION or AWS_DEFAULT_REGION (default us-east-1),
** AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and optional AWS_SESSION_TOKEN. Requests go through
** libcurl, signed with AWS Signature Version 4 (s3.c has its own SHA-256 and HMAC); the payload
** is always hashed (x-amz-content-sha256 = hex SHA-256 of the body). Transport errors, 5xx and
** 429 are retried 4 times with backoff. ck_open on S3 lists one key, so a wrong endpoint,
** bucket or credentials fail at startup.
**
** Names are relative, '/'-separated, made of [A-Za-z0-9._=+,-] with no empty, "." or ".."
** segment and no segment starting with '.'; the store adds its own root or prefix. Local puts
** are atomic (temp file in <root>/.ck-tmp, fsync, rename, fsync of the directory); S3 puts are
** atomic by nature. ck_list returns names in byte order. Everything is thread-safe: the worker
** may put and get from several subtask threads at once on one CkStore.
**
** Errors: calls return 0 or -1 (ck_get: CK_ENOENT when the object does not exist) and leave a
** message in the calling thread's ck_error(), naming the URL and object and, for S3, the HTTP
** status and S3 error code ("s3://b/p/ckpt-0000000003/x: PUT: HTTP 403 AccessDenied: ...").
** ck_open and ckpt_latest/ckpt_open write theirs into the caller's err buffer instead.
*/
typedef struct CkStore CkStore;
#define CK_ENOENT (-2)            /* ck_get: no such object */

/* Open a store; NULL with err set (bad URL, missing credentials, unreachable bucket). */
CkStore *ck_open(const char *url, char *err, size_t errlen);
void ck_close(CkStore *s);                          /* NULL ignored */
const char *ck_url(const CkStore *s);               /* the URL, without a trailing '/' */
int ck_is_s3(const CkStore *s);
/* Store n bytes (borrowed) as name, replacing any previous object atomically. */
int ck_put(CkStore *s, const char *name, const void *data, size_t n);
/* Replace out's contents with the object's bytes. 0, CK_ENOENT, or -1. */
int ck_get(CkStore *s, const char *name, Buf *out);
/* Delete name; deleting a missing object succeeds. Local: empty parent directories go too. */
int ck_delete(CkStore *s, const char *name);

typedef struct CkNames {
  char **v;          /* names, malloc'd, in byte order */
  size_t n;          /* names used */
  size_t cap;        /* slots allocated */
} CkNames;
/* Set out to every name starting with prefix ("" = all), sorted; S3 follows ListObjectsV2
** continuation tokens. out must be zeroed or hold an earlier result (whose names are freed);
** caller frees with ck_names_free. */
int ck_list(CkStore *s, const char *prefix, CkNames *out);
void ck_names_free(CkNames *names);
/* The calling thread's last error message ("" if none). */
const char *ck_error(void);
void ck_set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Tests: S3 ListObjectsV2 page size (max-keys; 0 = the server's default of 1000). */
void ck_set_list_page(CkStore *s, int max_keys);

/* ---- checkpoints ------------------------------------------------------------------------
** Layout of a store: ckpt-<E>/<file>... and ckpt-<E>/manifest.json, E = epoch zero-padded to
** 10 digits. The manifest (one JSON object, written by ckpt_commit):
**   { "format": "arroyo-c checkpoint 1", "epoch": E, "layout_hash": "<16 hex>",
**     "created_ns": <unix ns>, "created": "<RFC 3339 UTC>",
**     "files": [ { "name": N, "size": <stored (compressed) bytes>,
**                  "raw_size": <uncompressed bytes>, "xxh64": "<16 hex, of the stored bytes>" },
**                ... ]   (sorted by name),
**     "metadata": <the worker's JSON value, verbatim> }
** Each file is one zstd frame (with zstd's own content checksum) of the bytes given to
** ckpt_add_file. A checkpoint is complete when its manifest parses and every file it lists
** exists with the listed size and XXH64. Readers never trust anything the manifest does not
** list; stray objects under ckpt-<E>/ (a crashed attempt) are ignored and later deleted.
**
** Epochs: a job restored from epoch E must continue with ckpt_next_epoch() (above every epoch
** in the store), not E + 1: a newer, corrupt checkpoint may still be there.
*/
typedef struct CkptWriter CkptWriter;
typedef struct CkptReader CkptReader;

/* Start checkpoint `epoch` (>= 0). Deletes leftovers of an earlier attempt at the same epoch
** (objects under ckpt-<E>/ without a manifest); refuses an epoch that already has a manifest.
** NULL on error (ck_error()). */
CkptWriter *ckpt_writer_begin(CkStore *s, int64_t epoch);
/* Compress data[0..n) (borrowed) with zstd and store it as ckpt-<E>/<name>. Thread-safe: the
** subtasks of a worker may add their files concurrently. A name may be added once. After a
** failure the writer can no longer commit. */
int ckpt_add_file(CkptWriter *w, const char *name, const void *data, size_t n);
/* Write the manifest (every file added so far, the layout hash, creation time and
** metadata_json, a JSON value copied verbatim; NULL = null) and so publish the checkpoint.
** All ckpt_add_file calls must have returned. Refused after a failed add, on invalid JSON,
** or twice. */
int ckpt_commit(CkptWriter *w, uint64_t layout_hash, const char *metadata_json);
/* Free the writer; without a commit the checkpoint stays invisible (its files are garbage
** that ckpt_cleanup or the next attempt at the epoch deletes). NULL ignored. */
void ckpt_writer_free(CkptWriter *w);

typedef struct CkptFile {
  const char *name;        /* as given to ckpt_add_file */
  uint64_t size;           /* stored (compressed) bytes */
  uint64_t raw_size;       /* uncompressed bytes */
  uint64_t xxh64;          /* XXH64 (seed 0) of the stored bytes */
} CkptFile;

typedef struct CkptInfo {
  int64_t epoch;           /* the checkpoint's epoch */
  uint64_t layout_hash;    /* state layout hash it was taken with */
  int64_t created_ns;      /* wall clock at commit, ns since 1970 */
  const char *metadata;    /* the metadata JSON text as committed ("null" if none) */
  const CkptFile *files;   /* nfiles entries, sorted by name */
  size_t nfiles;
} CkptInfo;

/* Find the newest complete checkpoint and open it. Checkpoints are tried newest first; one
** whose manifest does not parse, or that lists a missing, truncated or corrupt file (size or
** XXH64 differs), is skipped with a warning naming the file ("checkpoint file URL/ckpt-.../x
** is corrupt (...); falling back to the previous checkpoint"). A manifest whose layout hash
** differs from layout_hash stops the search with an error (no silent fallback past it):
** "checkpoint ckpt-N in URL was taken by a pipeline with a different state layout (hash X,
** this pipeline Y); recompile the original query or start without --restore".
** Returns 0 with *out set, 1 when there is no complete checkpoint (err says so), -1 on error
** (layout mismatch, store error) with err set. Verified files are kept in memory (up to
** 256 MiB in all) so ckpt_read_file does not fetch them again; the rest are fetched and
** checked again when read. */
int ckpt_latest(CkStore *s, uint64_t layout_hash, CkptReader **out, char *err, size_t errlen);
/* Open checkpoint `epoch` with the same checks and no fallback: 0, 1 (absent or incomplete:
** err says why), -1 (layout mismatch or store error). */
int ckpt_open(CkStore *s, int64_t epoch, uint64_t layout_hash, CkptReader **out, char *err,
              size_t errlen);
const CkptInfo *ckpt_info(const CkptReader *r);
/* Replace out's contents with file `name`, decompressed; its size and checksum are checked
** again. Thread-safe (several subtasks may read one reader at once). 0 or -1 (ck_error()). */
int ckpt_read_file(CkptReader *r, const char *name, Buf *out);
void ckpt_reader_free(CkptReader *r);                    /* NULL ignored */

/* Delete all but the newest keep_n (< 1 counts as 1) checkpoints that have a manifest,
** each one manifest first (so a half-deleted checkpoint is never seen as complete), then
** its files; also the leftovers of unfinished checkpoints older than the newest complete one.
** Unfinished checkpoints newer than that may be in progress and stay. Returns the number of
** checkpoints deleted, or -1 (ck_error()). */
int ckpt_cleanup(CkStore *s, int keep_n);
/* 1 + the highest epoch with any object in the store (1 when empty), or -1 on error. */
int64_t ckpt_next_epoch(CkStore *s);
/* Epochs that have a manifest (not verified), ascending; caller frees *epochs. 0 or -1. */
int ckpt_list(CkStore *s, int64_t **epochs, size_t *n);
/* Warnings (skipped checkpoints) go to fn; NULL restores the default, which prints
** "arroyo-worker: warning: <msg>" on stderr. Process-wide; set it before any ckpt_ call. */
void ckpt_set_warn(void (*fn)(void *arg, const char *msg), void *arg);
/* Tests: bytes of verified files a reader keeps in memory (default 256 MiB; 0 keeps none). */
void ckpt_set_cache_limit(size_t bytes);

/* ---- hashes and signing (ckpt_store.c, s3.c), exposed for tests ---------------------- */
uint64_t ck_xxh64(const void *p, size_t n, uint64_t seed);   /* XXH64 */

typedef struct CkSha256 {
  uint32_t h[8];           /* chaining state */
  uint64_t len;            /* bytes hashed so far */
  uint8_t buf[64];         /* partial block */
  size_t nbuf;             /* bytes in buf */
} CkSha256;
void ck_sha256_init(CkSha256 *c);
void ck_sha256_update(CkSha256 *c, const void *p, size_t n);
void ck_sha256_final(CkSha256 *c, uint8_t out[32]);
void ck_sha256(const void *p, size_t n, uint8_t out[32]);
void ck_hmac_sha256(const void *key, size_t keylen, const void *msg, size_t n, uint8_t out[32]);
void ck_hex(const uint8_t *p, size_t n, char *out);          /* lowercase, NUL-terminated */

typedef struct S3Pair {
  const char *name;        /* header or query parameter name */
  const char *value;       /* its value (query: not yet URI-encoded) */
} S3Pair;

typedef struct S3SignInput {
  const char *method;      /* "GET", "PUT", ... */
  const char *path;        /* the URI-encoded absolute path as sent, e.g. "/bucket/a%20b" */
  const S3Pair *query;     /* query parameters, any order, raw */
  int nquery;
  const S3Pair *headers;   /* headers to sign (any case, any order), with host and x-amz-date */
  int nheaders;
  const char *payload_hash;/* hex SHA-256 of the body, or "UNSIGNED-PAYLOAD" */
  const char *amz_date;    /* "YYYYMMDDTHHMMSSZ" (its first 8 characters are the scope date) */
  const char *region;      /* "us-east-1" */
  const char *service;     /* "s3" */
  const char *key_id;      /* access key id */
  const char *secret;      /* secret access key */
} S3SignInput;

/* AWS Signature Version 4. Appends to each non-NULL Buf: authorization = the Authorization
** header value ("AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=<hex>"),
** query = the canonical query string (sorted, encoded: also what the URL should carry),
** creq = the canonical request, sts = the string to sign. */
void s3_sign_v4(const S3SignInput *in, Buf *authorization, Buf *query, Buf *creq, Buf *sts);
/* RFC 3986 encoding as SigV4 wants it: all but A-Z a-z 0-9 - _ . ~ (and '/' if keep_slash). */
void s3_uri_encode(Buf *out, const char *s, size_t n, int keep_slash);

/* The S3 backend behind CkStore (s3.c); same contracts as the ck_* calls. */
typedef struct S3Client S3Client;
S3Client *s3_open(const char *url, char *err, size_t errlen);
int s3_put(S3Client *c, const char *name, const void *data, size_t n);
int s3_get(S3Client *c, const char *name, Buf *out);
int s3_list(S3Client *c, const char *prefix, CkNames *out);
int s3_delete(S3Client *c, const char *name);
void s3_set_list_page(S3Client *c, int max_keys);
void s3_close(S3Client *c);
/* Append a malloc'd copy of name to names (ckpt_store.c). */
void ck_names_add(CkNames *names, const char *name, size_t len);

#endif /* ARROYO_RUNTIME_H */
