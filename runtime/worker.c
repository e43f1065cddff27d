/*
** runtime/worker.c: loads a pipeline .so and runs it with threads and bounded queues.
**
** Entry points: wk_load (dlopen, ABI check, connector lookup), wk_run (threads until every
** source ended and every sink is closed), wk_summary, wk_free, wk_request_stop (signals),
** and rt_emit, the runtime function generated code calls for every sink row.
**
** Threads and queues (parallelism 1):
**
**   source thread (one per source)            pipeline thread              writer thread
**   pop an empty SrcBatch from its pool  -->  pop from `in`           (one per encoding sink)
**   ops->fill: read + decode rows             process(ctx, port, b)
**   push QM_BATCH to the pipeline's `in`      rt_emit: enc_record into   pop from sink `data`
**   ...; at the end push QM_EOS               the sink's current Buf;    ops->write(bytes)
**                                             a full Buf goes to the     push Buf back to the
**                                             sink's `data` queue  -->   sink's `free` pool
**                                             recycle b to its pool      QM_EOS: ops->close
**
** Every arrow is a bounded Queue (queue.c) of tagged messages, so a slow sink blocks the
** pipeline thread (no free Buf), which blocks the sources (no free batch): backpressure,
** nothing dropped. Batches and buffers are preallocated per task and recycled through free
** pools, so the steady state allocates nothing per row or per batch. Later issues add N
** pipeline subtasks (one `in` queue and one RtCtx each, key shuffles between them), and send
** QM_WATERMARK / QM_BARRIER through the same queues in order with the data.
**
** Invariants:
**   - rt_emit encodes the row into bytes before it returns, so nothing refers to a source
**     batch (its rows, input bytes, string arena) or to the ctx scratch arena once process()
**     returns; that is what makes recycling the batch right after process() safe.
**   - The pipeline thread hands each sink its last partial Buf BEFORE it sends QM_EOS: the
**     writer closes the sink when it has seen QM_EOS from every producer, so bytes handed
**     over later would be lost. wk_run returns 0 only after the writers closed their sinks
**     without error, so exit status 0 means every row is in the file.
**   - The first error wins (wk_fail): it is recorded, then every queue is cancelled so all
**     threads return promptly; the worker joins them and reports that one message.
**   - A stop request (SIGINT/SIGTERM) ends each source as if its input were exhausted; the
**     rest of the shutdown is the normal end-of-stream path, so sinks are flushed and closed.
**
** It does not parse command lines (main.c), read or write bytes itself (connectors/), or
** decode/encode records (codec_*.c).
*/
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "runtime.h"

#define SRC_POOL 4           /* batches per source: one being filled, the rest queued/in use */
#define PIPE_QUEUE_PER_SRC 4 /* `in` queue slots per source */
#define SINK_POOL 4          /* output buffers per sink: one being filled, the rest queued */
#define DEFAULT_BATCH_ROWS 1024
#define DEFAULT_SINK_FLUSH (256 * 1024)

typedef struct SourceTask {
  Worker *w;
  Source src;              /* connector instance and its counters */
  SrcBatch *batches;       /* SRC_POOL batches, owned here */
  Queue *free;             /* empty batches ready to fill (capacity SRC_POOL) */
  pthread_t th;
  int started;             /* th is running / must be joined */
  int opened;              /* ops->open succeeded: ops->close is due */
} SourceTask;

typedef struct SinkTask {
  Worker *w;
  Sink snk;                /* connector instance */
  Buf *bufs;               /* SINK_POOL buffers, owned here (NULL when !ops->encodes) */
  Queue *data;             /* full buffers and QM_EOS from the producers */
  Queue *free;             /* written buffers ready for reuse (capacity SINK_POOL) */
  int nproducers;          /* pipeline subtasks that send QM_EOS */
  pthread_t th;
  int started;             /* writer thread running / must be joined */
  int opened;              /* ops->open succeeded and ops->close was not called yet */
} SinkTask;

/* One sink as seen by one pipeline subtask. */
typedef struct SinkOut {
  SinkTask *t;             /* the sink */
  Encoder *enc;            /* this subtask's encoder; NULL for sinks that only count */
  Buf *cur;                /* buffer being filled; a member of t->bufs */
  int64_t rows;            /* rows emitted to this sink */
} SinkOut;

/* A pipeline subtask: the thread that runs process(); ctx->worker points here. */
typedef struct PipeTask {
  Worker *w;
  RtCtx *ctx;              /* per-subtask context handed to generated code */
  Queue *in;               /* batches and QM_EOS from all sources */
  SinkOut *outs;           /* one per sink, index == sink port */
  pthread_t th;
  int started;
} PipeTask;

struct Worker {
  WkOptions opt;           /* with defaults filled in */
  void *dl;                /* dlopen handle of the pipeline .so */
  const RtPipeline *p;     /* descriptor returned by the entry point */
  SourceTask *srcs;        /* p->nsources */
  SinkTask *sinks;         /* p->nsinks */
  PipeTask pipe;           /* the single pipeline subtask (parallelism 1) */
  pthread_mutex_t err_mu;  /* guards err */
  int failed;              /* an error was recorded (atomic) */
  char err[2048];          /* the first error message */
};

/* ---- stop requests and errors -------------------------------------------------------- */

static int stop_flag;   /* set from a signal handler: accessed with __atomic builtins only */

void wk_request_stop(void) { __atomic_store_n(&stop_flag, 1, __ATOMIC_SEQ_CST); }
int wk_stop_requested(void) { return __atomic_load_n(&stop_flag, __ATOMIC_SEQ_CST); }

static int failed(const Worker *w) { return __atomic_load_n(&w->failed, __ATOMIC_ACQUIRE); }

static void cancel_all(Worker *w) {
  if (w->pipe.in) q_cancel(w->pipe.in);
  for (uint32_t i = 0; i < w->p->nsources; i++) if (w->srcs[i].free) q_cancel(w->srcs[i].free);
  for (uint32_t i = 0; i < w->p->nsinks; i++) {
    if (w->sinks[i].data) q_cancel(w->sinks[i].data);
    if (w->sinks[i].free) q_cancel(w->sinks[i].free);
  }
}

/* Record the first error and make every thread stop (see the invariants above). */
static void wk_fail(Worker *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void wk_fail(Worker *w, const char *fmt, ...) {
  pthread_mutex_lock(&w->err_mu);
  int first = !w->failed;
  if (first) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->err, sizeof w->err, fmt, ap);
    va_end(ap);
    __atomic_store_n(&w->failed, 1, __ATOMIC_RELEASE);
  }
  pthread_mutex_unlock(&w->err_mu);
  if (first) cancel_all(w);
}

const char *wk_error(const Worker *w) { return w->err[0] ? w->err : "unknown error"; }

/* ---- connector lookup ------------------------------------------------------------------ */

static const SourceOps *const source_impls[] = { &src_single_file, &src_impulse };
static const SinkOps *const sink_impls[] = { &sink_single_file, &sink_stdout, &sink_blackhole };

const SourceOps *wk_source_ops(const char *connector) {
  for (size_t i = 0; i < sizeof source_impls / sizeof source_impls[0]; i++)
    if (strcmp(source_impls[i]->name, connector) == 0) return source_impls[i];
  return NULL;
}

const SinkOps *wk_sink_ops(const char *connector) {
  for (size_t i = 0; i < sizeof sink_impls / sizeof sink_impls[0]; i++)
    if (strcmp(sink_impls[i]->name, connector) == 0) return sink_impls[i];
  return NULL;
}

/* ---- batches ----------------------------------------------------------------------------- */

void *srcb_reserve(SrcBatch *b, int64_t k) {
  if (b->n + k > b->cap) {
    int64_t cap = b->cap ? b->cap * 2 : 64;
    while (cap < b->n + k) cap *= 2;
    char *rows = realloc(b->rows, (size_t)cap * b->row_size);
    if (!rows) {
      fprintf(stderr, "arroyo: out of memory growing a batch to %lld rows\n", (long long)cap);
      abort();
    }
    b->rows = rows;
    b->cap = cap;
  }
  return b->rows + (size_t)b->n * b->row_size;
}

int src_decode(Source *s, Decoder *d, SrcBatch *b, const char *rec, size_t len,
               int64_t arrival_ns, const char *file, int64_t line, char *err, size_t errlen) {
  char derr[512];
  derr[0] = 0;
  char *rows = srcb_reserve(b, 2);   /* dec_record may write 2 rows (debezium update) */
  int k = dec_record(d, rec, len, rows, &b->arena, derr, sizeof derr);
  if (k < 0) {
    if (s->drop_bad) { s->rows_dropped++; return 0; }
    snprintf(err, errlen, "%s:%lld: %s: bad data: %s", file, (long long)line, s->conn->table,
             derr[0] ? derr : "cannot decode record");
    return -1;
  }
  if (s->conn->event_time_col < 0)
    for (int i = 0; i < k; i++) ((RtRowHeader *)(rows + (size_t)i * b->row_size))->ts = arrival_ns;
  b->n += k;
  return 0;
}

/* ---- rt_emit: the sink side of the pipeline thread --------------------------------------- */

/* Give the filled buffer to the writer and take an empty one. Blocks while all of the sink's
** buffers are queued or being written: this is where a slow sink pushes back. */
static int hand_off(SinkOut *o) {
  QMsg m = { QM_BATCH, 0, 0, o->cur };
  o->cur = NULL;
  if (q_push(o->t->data, &m) < 0) return -1;
  if (q_pop(o->t->free, &m) < 0) return -1;
  o->cur = m.ptr;
  return 0;
}

int rt_emit(RtCtx *ctx, int port, const void *row) {
  PipeTask *pt = ctx->worker;
  if (port < 0 || (uint32_t)port >= pt->w->p->nsinks)
    return rt_error(ctx, NULL, "emit to sink port %d, but the pipeline has %u sinks", port,
                    pt->w->p->nsinks);
  SinkOut *o = &pt->outs[port];
  o->rows++;
  if (!o->enc) return 0;                                   /* blackhole: count only */
  if (!o->cur) return RT_ERR;              /* a failed hand-off already recorded an error */
  if (enc_record(o->enc, row, o->cur) < 0)
    return rt_error(ctx, NULL, "sink '%s': cannot encode row", o->t->snk.conn->table);
  if (o->cur->len >= pt->w->opt.sink_flush_bytes && hand_off(o) < 0)
    return rt_error(ctx, NULL, "worker is stopping");      /* real error is on the worker */
  return 0;
}

/* ---- threads ------------------------------------------------------------------------------ */

/* Name the calling thread "<prefix><table>" (15 bytes max) for top, perf and gdb. */
static void name_thread(const char *prefix, const char *table) {
  char name[16];
  snprintf(name, sizeof name, "%s%s", prefix, table);
  pthread_setname_np(pthread_self(), name);
}

static void *source_main(void *arg) {
  SourceTask *t = arg;
  Worker *w = t->w;
  char err[1024];
  QMsg m;
  name_thread("src:", t->src.conn->table);
  for (;;) {
    if (wk_stop_requested() || failed(w)) break;
    if (q_pop(t->free, &m) < 0) return NULL;
    SrcBatch *b = m.ptr;
    b->n = 0;
    b->input.len = 0;
    arena_reset(&b->arena);
    err[0] = 0;
    int rc = t->src.ops->fill(&t->src, b, err, sizeof err);
    if (rc == SRC_ERR) {
      wk_fail(w, "%s", err[0] ? err : "source failed without a message");
      return NULL;
    }
    if (b->n > 0) {
      t->src.rows_read += b->n;
      QMsg out = { QM_BATCH, b->port, 0, b };
      if (q_push(w->pipe.in, &out) < 0) return NULL;
    } else if (q_push(t->free, &m) < 0) {
      return NULL;
    }
    if (rc == SRC_END) break;
  }
  if (failed(w)) return NULL;
  QMsg eos = { QM_EOS, t->src.conn->port, 0, NULL };
  q_push(w->pipe.in, &eos);
  return NULL;
}

/* After a batch, if no more input is waiting, hand partial sink buffers to the writers: a
** busy pipeline still writes in big blocks, an idle one (slow source, preview to stdout)
** shows its rows right away. */
static int flush_partial(PipeTask *pt) {
  for (uint32_t i = 0; i < pt->w->p->nsinks; i++) {
    SinkOut *o = &pt->outs[i];
    if (o->enc && o->cur->len > 0 && hand_off(o) < 0) return -1;
  }
  return 0;
}

static void *pipe_main(void *arg) {
  PipeTask *pt = arg;
  Worker *w = pt->w;
  const RtPipeline *p = w->p;
  RtCtx *ctx = pt->ctx;
  QMsg m;
  name_thread("pipeline", "");
  for (uint32_t i = 0; i < p->nsinks; i++) {
    SinkOut *o = &pt->outs[i];
    if (!o->enc) continue;
    if (q_pop(o->t->free, &m) < 0) return NULL;
    o->cur = m.ptr;
  }
  uint32_t live = p->nsources;
  while (live > 0) {
    if (q_pop(pt->in, &m) < 0) return NULL;
    if (m.kind == QM_EOS) { live--; continue; }
    if (m.kind != QM_BATCH) continue;            /* watermarks and barriers: later issues */
    SrcBatch *b = m.ptr;
    SourceTask *owner = b->owner;
    RtBatch rb = { b->rows, b->n, b->row_size, 0 };
    rt_ctx_begin_batch(ctx);
    int rc = p->process(ctx, m.port, &rb);
    /* Safe to recycle now: rt_emit copied whatever it needed (see the invariants). The pool
    ** queue has room for every batch of its source, so this push never blocks. */
    q_push(owner->free, &m);
    if (rc < 0 || ctx->failed) {
      if (!failed(w))
        wk_fail(w, "%s", ctx->err[0] ? ctx->err
                                     : "pipeline process() failed without an error message");
      return NULL;
    }
    if (q_len(pt->in) == 0 && flush_partial(pt) < 0) return NULL;
  }
  /* End of stream: last partial buffer first, then QM_EOS (see the invariants). */
  for (uint32_t i = 0; i < p->nsinks; i++) {
    SinkOut *o = &pt->outs[i];
    if (!o->enc) continue;                       /* no writer thread to tell */
    if (o->cur->len > 0 && hand_off(o) < 0) return NULL;
    QMsg eos = { QM_EOS, 0, 0, NULL };
    if (q_push(o->t->data, &eos) < 0) return NULL;
  }
  return NULL;
}

static void *sink_main(void *arg) {
  SinkTask *t = arg;
  Worker *w = t->w;
  Sink *s = &t->snk;
  char err[1024];
  int eos = 0;
  QMsg m;
  name_thread("sink:", s->conn->table);
  while (eos < t->nproducers) {
    if (q_pop(t->data, &m) < 0) return NULL;
    if (m.kind == QM_EOS) { eos++; continue; }
    if (m.kind != QM_BATCH) continue;
    Buf *b = m.ptr;
    err[0] = 0;
    if (s->ops->write(s, b->p, b->len, err, sizeof err) < 0) {
      wk_fail(w, "sink '%s' (%s): %s", s->conn->table, s->conn->connector, err);
      return NULL;
    }
    s->bytes_written += (int64_t)b->len;
    b->len = 0;
    if (q_push(t->free, &m) < 0) return NULL;
  }
  /* Every producer sent its last bytes before its QM_EOS, so closing now loses nothing. */
  t->opened = 0;
  err[0] = 0;
  if (s->ops->close(s, err, sizeof err) < 0)
    wk_fail(w, "sink '%s' (%s): %s", s->conn->table, s->conn->connector, err);
  return NULL;
}

/* ---- load -------------------------------------------------------------------------------- */

static int check_connector(const RtConnector *c, const char *role, uint32_t index, char *err,
                           size_t errlen) {
  if (!c->table || !c->connector || !c->schema || (c->nopts && !c->opts)) {
    snprintf(err, errlen, "%s %u: incomplete connector descriptor", role, index);
    return -1;
  }
  if (c->port != (int32_t)index) {
    snprintf(err, errlen, "%s '%s': port %d does not match its index %u", role, c->table,
             c->port, index);
    return -1;
  }
  if (c->schema->row_size < sizeof(RtRowHeader) || (c->schema->ncols && !c->schema->cols)) {
    snprintf(err, errlen, "%s '%s': invalid row schema", role, c->table);
    return -1;
  }
  for (uint32_t i = 0; i < c->schema->ncols; i++) {
    const RtColumn *col = &c->schema->cols[i];
    if (col->offset >= c->schema->row_size ||
        (col->null_offset != UINT32_MAX && col->null_offset >= c->schema->row_size)) {
      snprintf(err, errlen, "%s '%s': column '%s' lies outside the row", role, c->table,
               col->name ? col->name : "?");
      return -1;
    }
  }
  if (c->event_time_col >= 0 && (uint32_t)c->event_time_col >= c->schema->ncols) {
    snprintf(err, errlen, "%s '%s': event time column %d out of range", role, c->table,
             c->event_time_col);
    return -1;
  }
  return 0;
}

Worker *wk_load(const char *so_path, const WkOptions *opt, char *err, size_t errlen) {
  WkOptions o = { 1, DEFAULT_BATCH_ROWS, DEFAULT_SINK_FLUSH };
  if (opt) {
    o = *opt;
    if (o.parallelism <= 0) o.parallelism = 1;
    if (o.batch_rows <= 0) o.batch_rows = DEFAULT_BATCH_ROWS;
    if (o.sink_flush_bytes == 0) o.sink_flush_bytes = DEFAULT_SINK_FLUSH;
  }
  if (o.parallelism != 1) {
    snprintf(err, errlen, "parallelism %d is not supported yet (only 1)", o.parallelism);
    return NULL;
  }
  /* dlopen searches the library path for a bare name; a pipeline file is always a path. */
  char path[4096];
  snprintf(path, sizeof path, "%s%s", strchr(so_path, '/') ? "" : "./", so_path);
  void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!dl) {
    snprintf(err, errlen, "cannot load pipeline: %s", dlerror());
    return NULL;
  }
  RtEntryFn entry;
  *(void **)&entry = dlsym(dl, RT_ENTRY_SYMBOL);
  if (!entry) {
    snprintf(err, errlen, "%s: not a pipeline (no symbol %s)", so_path, RT_ENTRY_SYMBOL);
    dlclose(dl);
    return NULL;
  }
  const RtPipeline *p = entry(rt_api());
  /* The descriptor only grows by appending members; a .so made for an older runtime would
  ** report a smaller size and must be rejected until defaults exist for the newer members. */
  if (!p || p->abi_version != RT_ABI_VERSION || p->size < sizeof(RtPipeline)) {
    if (!p) snprintf(err, errlen, "%s: the entry point returned no pipeline", so_path);
    else snprintf(err, errlen, "%s: pipeline ABI version %u (descriptor size %u) does not match "
                  "this worker's version %u (size %zu); recompile the query", so_path,
                  p->abi_version, p->size, RT_ABI_VERSION, sizeof(RtPipeline));
    dlclose(dl);
    return NULL;
  }
  if ((p->nsources && (!p->sources || !p->process)) || (p->nsinks && !p->sinks)) {
    snprintf(err, errlen, "%s: incomplete pipeline descriptor", so_path);
    dlclose(dl);
    return NULL;
  }
  for (uint32_t i = 0; i < p->nsources; i++) {
    const RtConnector *c = &p->sources[i];
    if (check_connector(c, "source", i, err, errlen) < 0) goto fail;
    if (!wk_source_ops(c->connector)) {
      snprintf(err, errlen, "source '%s': connector '%s' is not supported by this worker",
               c->table, c->connector);
      goto fail;
    }
    const char *bad = conn_opt(c, "bad_data");
    if (bad && strcmp(bad, "fail") != 0 && strcmp(bad, "drop") != 0) {
      snprintf(err, errlen, "source '%s': bad_data must be 'fail' or 'drop', not '%s'", c->table,
               bad);
      goto fail;
    }
  }
  for (uint32_t i = 0; i < p->nsinks; i++) {
    const RtConnector *c = &p->sinks[i];
    if (check_connector(c, "sink", i, err, errlen) < 0) goto fail;
    if (!wk_sink_ops(c->connector)) {
      snprintf(err, errlen, "sink '%s': connector '%s' is not supported by this worker",
               c->table, c->connector);
      goto fail;
    }
  }

  Worker *w = calloc(1, sizeof *w);
  if (!w) { fprintf(stderr, "arroyo: out of memory\n"); abort(); }
  w->opt = o;
  w->dl = dl;
  w->p = p;
  pthread_mutex_init(&w->err_mu, NULL);
  w->srcs = calloc(p->nsources ? p->nsources : 1, sizeof *w->srcs);
  w->sinks = calloc(p->nsinks ? p->nsinks : 1, sizeof *w->sinks);
  w->pipe.outs = calloc(p->nsinks ? p->nsinks : 1, sizeof *w->pipe.outs);
  if (!w->srcs || !w->sinks || !w->pipe.outs) { fprintf(stderr, "arroyo: out of memory\n"); abort(); }
  for (uint32_t i = 0; i < p->nsources; i++) {
    SourceTask *t = &w->srcs[i];
    const RtConnector *c = &p->sources[i];
    const char *bad = conn_opt(c, "bad_data");
    t->w = w;
    t->src.conn = c;
    t->src.ops = wk_source_ops(c->connector);
    t->src.subtask = 0;
    t->src.parallelism = 1;
    t->src.batch_rows = o.batch_rows;
    t->src.drop_bad = bad && strcmp(bad, "drop") == 0;
  }
  for (uint32_t i = 0; i < p->nsinks; i++) {
    SinkTask *t = &w->sinks[i];
    t->w = w;
    t->snk.conn = &p->sinks[i];
    t->snk.ops = wk_sink_ops(p->sinks[i].connector);
    t->snk.fd = -1;
    t->nproducers = 1;
    w->pipe.outs[i].t = t;
  }
  w->pipe.w = w;
  return w;

fail:
  dlclose(dl);
  return NULL;
}

/* ---- run --------------------------------------------------------------------------------- */

/* Allocate queues and pools, open connectors, create encoders. -1 after wk_fail. */
static int prepare(Worker *w) {
  const RtPipeline *p = w->p;
  char err[1024];
  w->pipe.ctx = rt_ctx_new();
  w->pipe.ctx->worker = &w->pipe;
  w->pipe.ctx->subtask = 0;
  w->pipe.in = q_new((size_t)PIPE_QUEUE_PER_SRC * (p->nsources ? p->nsources : 1));
  /* Sources first: a missing input file is reported before any output file is truncated. */
  for (uint32_t i = 0; i < p->nsources; i++) {
    SourceTask *t = &w->srcs[i];
    const RtConnector *c = t->src.conn;
    t->free = q_new(SRC_POOL);
    t->batches = calloc(SRC_POOL, sizeof *t->batches);
    if (!t->batches) { fprintf(stderr, "arroyo: out of memory\n"); abort(); }
    for (int k = 0; k < SRC_POOL; k++) {
      SrcBatch *b = &t->batches[k];
      b->row_size = c->schema->row_size;
      b->port = c->port;
      b->owner = t;
      arena_init(&b->arena, 64 * 1024);
      QMsg m = { QM_BATCH, c->port, 0, b };
      q_push(t->free, &m);
    }
    err[0] = 0;
    if (t->src.ops->open(&t->src, err, sizeof err) < 0) {
      wk_fail(w, "source '%s' (%s): %s", c->table, c->connector, err);
      return -1;
    }
    t->opened = 1;
  }
  for (uint32_t i = 0; i < p->nsinks; i++) {
    SinkTask *t = &w->sinks[i];
    SinkOut *o = &w->pipe.outs[i];
    const RtConnector *c = t->snk.conn;
    if (t->snk.ops->encodes) {
      err[0] = 0;
      o->enc = enc_new(c, err, sizeof err);
      if (!o->enc) {
        wk_fail(w, "sink '%s' (%s): %s", c->table, c->connector, err[0] ? err : "no encoder");
        return -1;
      }
      /* room for every buffer plus one QM_EOS per producer: pushes to `data` never wait
      ** for the writer; producers wait on the `free` pool instead */
      t->data = q_new(SINK_POOL + (size_t)t->nproducers);
      t->free = q_new(SINK_POOL);
      t->bufs = calloc(SINK_POOL, sizeof *t->bufs);
      if (!t->bufs) { fprintf(stderr, "arroyo: out of memory\n"); abort(); }
      for (int k = 0; k < SINK_POOL; k++) {
        buf_reserve(&t->bufs[k], w->opt.sink_flush_bytes + 4096);
        QMsg m = { QM_BATCH, 0, 0, &t->bufs[k] };
        q_push(t->free, &m);
      }
    }
    err[0] = 0;
    if (t->snk.ops->open(&t->snk, err, sizeof err) < 0) {
      wk_fail(w, "sink '%s' (%s): %s", c->table, c->connector, err);
      return -1;
    }
    t->opened = 1;
  }
  return 0;
}

static int start(Worker *w, pthread_t *th, void *(*fn)(void *), void *arg, const char *what) {
  int rc = pthread_create(th, NULL, fn, arg);
  if (rc != 0) {
    wk_fail(w, "cannot start the %s thread: %s", what, strerror(rc));
    return -1;
  }
  return 0;
}

int wk_run(Worker *w) {
  const RtPipeline *p = w->p;
  if (prepare(w) == 0) {
    /* Worker threads block SIGINT/SIGTERM so the handler runs on the calling thread and
    ** their read/write calls never see EINTR from it. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    int ok = 1;
    for (uint32_t i = 0; ok && i < p->nsinks; i++) {
      SinkTask *t = &w->sinks[i];
      if (!t->snk.ops->encodes) continue;
      ok = start(w, &t->th, sink_main, t, "sink writer") == 0;
      t->started = ok;
    }
    if (ok) ok = (w->pipe.started = start(w, &w->pipe.th, pipe_main, &w->pipe, "pipeline") == 0);
    for (uint32_t i = 0; ok && i < p->nsources; i++) {
      SourceTask *t = &w->srcs[i];
      ok = start(w, &t->th, source_main, t, "source") == 0;
      t->started = ok;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    for (uint32_t i = 0; i < p->nsources; i++)
      if (w->srcs[i].started) { pthread_join(w->srcs[i].th, NULL); w->srcs[i].started = 0; }
    if (w->pipe.started) { pthread_join(w->pipe.th, NULL); w->pipe.started = 0; }
    for (uint32_t i = 0; i < p->nsinks; i++)
      if (w->sinks[i].started) { pthread_join(w->sinks[i].th, NULL); w->sinks[i].started = 0; }
  }
  /* Close whatever is still open (after an error; on success writers closed their sinks). */
  for (uint32_t i = 0; i < p->nsources; i++) {
    SourceTask *t = &w->srcs[i];
    if (t->opened) { t->src.ops->close(&t->src); t->opened = 0; }
  }
  for (uint32_t i = 0; i < p->nsinks; i++) {
    SinkTask *t = &w->sinks[i];
    char err[1024];
    if (!t->opened) continue;
    t->opened = 0;
    err[0] = 0;
    if (t->snk.ops->close(&t->snk, err, sizeof err) < 0)
      wk_fail(w, "sink '%s' (%s): %s", t->snk.conn->table, t->snk.conn->connector, err);
  }
  return failed(w) ? -1 : 0;
}

void wk_summary(const Worker *w, FILE *out) {
  for (uint32_t i = 0; i < w->p->nsources; i++) {
    const Source *s = &w->srcs[i].src;
    fprintf(out, "arroyo-worker: source '%s' (%s): %lld rows read, %lld dropped as bad data\n",
            s->conn->table, s->conn->connector, (long long)s->rows_read,
            (long long)s->rows_dropped);
  }
  for (uint32_t i = 0; i < w->p->nsinks; i++) {
    const Sink *s = &w->sinks[i].snk;
    fprintf(out, "arroyo-worker: sink '%s' (%s): %lld rows written\n", s->conn->table,
            s->conn->connector, (long long)w->pipe.outs[i].rows);
  }
}

void wk_free(Worker *w) {
  if (!w) return;
  const RtPipeline *p = w->p;
  for (uint32_t i = 0; i < p->nsources; i++) {
    SourceTask *t = &w->srcs[i];
    if (t->opened) t->src.ops->close(&t->src);
    if (t->batches)
      for (int k = 0; k < SRC_POOL; k++) {
        free(t->batches[k].rows);
        buf_free(&t->batches[k].input);
        arena_free(&t->batches[k].arena);
      }
    free(t->batches);
    q_free(t->free);
  }
  for (uint32_t i = 0; i < p->nsinks; i++) {
    SinkTask *t = &w->sinks[i];
    char err[256];
    if (t->opened) t->snk.ops->close(&t->snk, err, sizeof err);
    if (w->pipe.outs[i].enc) enc_free(w->pipe.outs[i].enc);
    if (t->bufs) for (int k = 0; k < SINK_POOL; k++) buf_free(&t->bufs[k]);
    free(t->bufs);
    q_free(t->data);
    q_free(t->free);
  }
  q_free(w->pipe.in);
  rt_ctx_free(w->pipe.ctx);
  free(w->pipe.outs);
  free(w->srcs);
  free(w->sinks);
  pthread_mutex_destroy(&w->err_mu);
  dlclose(w->dl);
  free(w);
}
