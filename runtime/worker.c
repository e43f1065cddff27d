/*
** runtime/worker.c: loads a pipeline .so and runs its stage DAG as subtask threads joined by
** bounded queues, with key shuffles, watermarks and end-of-stream between them.
**
** Entry points: wk_load (dlopen, ABI check, graph check, subtask graph; the checkpoint store
** and, with --restore, the checkpoint to resume from), wk_run (threads until every source
** ended and every sink is closed), wk_summary, wk_free, wk_request_stop (signals), and the
** RtApi members that need the worker: rt_emit (a row to an edge or sink) and
** rt_source_watermark.
**
** The graph. An ABI 2 pipeline is a DAG of stages (abi.h: RtStage, RtEdge). An ABI 1 pipeline
** (one `process` for everything) runs as one synthesized stage "pipeline" whose inputs are all
** sources and whose outputs are all sinks. With --parallelism N:
**   - every source runs N source subtasks (connectors decide what subtask i reads: single_file
**     reads in subtask 0 only, impulse generates in each), each on its own thread unless it
**     runs inline (below);
**   - every stage runs n = min(N, max_parallelism or N) stage subtasks;
**   - every encoding sink has one writer thread fed by every subtask that emits to it.
**
**   source subtask i                 stage subtask j                         sink writer
**   (own thread, or inline: below)   (one thread each, own RtCtx)            (one per sink)
**   pop an empty SrcBatch      +-->  pop from `in` (one queue for all   +->  pop from `data`
**   ops->fill: read + decode   |     inputs and producers):             |    ops->write
**   push QM_BATCH to stage     |       QM_BATCH: process(ctx, input, b) |    buffer back to
**   subtask i % n of every  ---+       then stage->flush(), recycle b,  |    `free`
**   stage reading the source |        flush partial edge batches      |    EOS from every
**   ...                      |       QM_WATERMARK / QM_IDLE / QM_EOS:   |    producer: close
**   at the end: QM_WATERMARK |        per-channel watermark state
**   INT64_MAX, then QM_EOS   |     rt_emit(out, row):
**                            |       SINK: enc_record into this subtask's Buf ---------+
**                            +---    EDGE: copy the row into the batch of the consumer
**                                      subtask chosen by the edge's routing; a full
**                                      batch goes to that subtask's `in` queue
**
** Channels. A stage subtask numbers its (input, producer subtask) pairs that can send to it:
** source subtask i reaches stage subtask i % n; an edge producer i reaches FORWARD: i % n,
** HASH: every subtask, SINGLE: subtask 0. Every QMsg into `in` carries the channel in `port`.
** Each channel keeps the producer's latest watermark, an idle flag and an ended flag.
**
** Watermarks. For a source channel, generated code reports a batch's largest watermark
** candidate with rt->source_watermark while it processes that batch; it is kept monotonic per
** channel (= per source subtask). For an edge channel, the producer sends QM_WATERMARK. The
** subtask's watermark is the min over its channels, where ended and idle channels do not
** count; when every live channel is idle the subtask is idle itself and says so downstream
** with QM_IDLE. When the min advances: ctx->watermark is set,
** stage->on_watermark(ctx, wm) runs, partial edge batches are flushed, and QM_WATERMARK goes
** to every consumer subtask this subtask can reach, so rows always precede the watermark that
** follows them on each channel (queues are FIFO per producer). A source subtask that ends sends
** QM_WATERMARK INT64_MAX then QM_EOS; when all channels ended the min is INT64_MAX, so
** on_watermark(INT64_MAX) closes every window before the subtask sends its own QM_EOS.
** A source subtask with the table option idle_micros = T that produced no row for T
** microseconds sends QM_IDLE; its next batch makes the channel active again. A channel whose
** watermark is INT64_MAX counts as ended; when only idle channels are left the subtask keeps
** its watermark and is idle itself (an idle source may still send rows, and jumping to
** INT64_MAX would make all of them late); a batch or watermark makes it active again.
**
** State. Each stage subtask's ctx->tables holds one StateTable (state.c) per
** stage->states[i], created before the threads start and freed by wk_free. Tables with
** ttl_ns > 0 are expired (st_expire, now = the new watermark) after on_watermark on every
** advance. Keys reach the subtask that owns their hash range (rt_hash_owner), so a table
** holds exactly the keys routed to its subtask.
**
** Inline sources. Handing every batch from a source thread to a stage thread costs futex
** wake-ups, context switches and a batch written on one core and read on the other; for a
** generator that costs more than making the rows (impulse: 3 context switches per batch, the
** two threads taking turns on the CPU). So a source subtask runs on the thread of the stage
** subtask that reads it when (choose_inline) its connector says it is cheap CPU work
** (SourceOps.inline_ok: impulse, not single_file, whose decoding overlaps the query on
** another core), that stage subtask is its only reader, and the stage subtask has no other
** channel (it reads only this source, and with parallelism the stage runs as many subtasks
** as the source: FORWARD i -> i). That thread then loops (run_inline): fill one batch (kept,
** so it stays in this core's cache), run_batch, update_wm; a fill with no rows may mark the
** channel idle; a short batch (the source caught up: paced, or no data yet) flushes partial
** sink buffers, as an empty queue does for the queue loop. At the end the channel gets
** watermark INT64_MAX and ends, exactly as QM_WATERMARK INT64_MAX + QM_EOS would do it. So
** watermarks, idleness, end of stream, stop requests (checked before every fill) and pacing
** (the connector sleeps in fill, at most ~50 ms, as on its own thread) are unchanged; only
** the queue and the thread are gone. --no-inline-sources (WkOptions.no_inline) turns it off.
**
** Batch sizes. Source and edge batches hold WkOptions.batch_rows rows (--batch-rows,
** default 8192), but at most batch_bytes (512 KB) of row structs, so wide rows make shorter
** batches (batch_rows_for). Measured (docs/benchmarks.md): with 1024 rows, a source thread
** cost ~3 context switches per batch; CPU time was flat from 2 K to 16 K rows and worse at
** 32 K (batches no longer fit in L2), both for impulse -> filter and a window aggregate.
** Bigger batches do not delay rows: a source returns what it has (impulse: what is due),
** partial edge batches are handed over after every input batch, and partial sink buffers
** whenever the subtask runs out of input. Free pools wake their producer with hysteresis
** (queue.c: q_set_pop_wake), i.e. for half the pool, not for every returned batch.
**
** Edge batches are SrcBatch structs from a per-(producer subtask, output) pool: the row
** struct is copied and TEXT/JSON/BYTEA bytes are deep-copied into the batch's arena, so the
** batch owns everything its rows point to and the producer's input batch can be recycled at
** once. The consumer returns the batch to the producer's pool after process(). Batches are
** handed over when full (batch rows, or EDGE_BATCH_BYTES of strings), and partial ones
** after every input batch and before any watermark, idle marker or QM_EOS. rt_emit is
** frameless on its common paths: a count-only sink is a counter, and an edge row without
** strings of up to 128 bytes is a route, an unrolled word copy and a count; everything else
** (strings, wide rows, a new or full batch, encoding) is an out-of-line call.
**
** Checkpoints (--checkpoint-dir; aligned barriers, Chandy-Lamport, as Flink and Arroyo do it).
** A coordinator thread (coord_main) takes checkpoint E every --checkpoint-interval, one at a
** time: it begins a round (checkpoint.c: CkRound, ckpt_writer_begin) and publishes E in
** w->trigger. Every participant then reports to the round exactly once:
**   - a source subtask, between two fills, records its position (SourceOps.position: the
**     first record not emitted yet), reports it and sends QM_BARRIER E to every reader (an
**     inline source hands it straight to its stage subtask). A connector that cannot give
**     its position yet (CkPos.n < 0) fills again first, past --stop-after (SourceTask.owing);
**   - a stage subtask aligns: a channel that delivered barrier E is blocked, and whatever it
**     sends next is held back in the subtask's stash (not processed, not dropped), while the
**     other channels go on being processed, until every channel has delivered E or ended.
**     Then (task_checkpoint) it hands over its partial edge batches and sink buffers, sends E
**     on every edge and to every sink writer it feeds, snapshots its state tables (ckr_stage:
**     st_snapshot per table, on its own thread, into memory; the coordinator compresses and
**     writes the file meanwhile) and reports them with its watermark and its source
**     channels' watermarks, unblocks the channels and replays the
**     stash in order (a later barrier in it blocks its channel again). Because each queue is
**     FIFO per producer and a blocked channel's messages wait, the snapshot holds the effect of
**     exactly the rows before E on every channel, and everything it emitted for them went
**     downstream before E;
**   - a sink writer aligns its producers the same way, but by making them wait instead of
**     stashing: a producer that sent E blocks (wait_sink) before it hands over any later
**     buffer, until every producer's E arrived. Then the writer pre-commits (SinkOps.precommit,
**     phase 1 of two: single_file flushes with fsync and records the file length), reports,
**     and releases the producers. Waiting cannot deadlock: a producer that is still missing
**     E is before it, and everything before E flows, since nobody holds anything before E;
**   - a participant that finished before E reached it (its inputs ended) is reported by the
**     coordinator from its final state (report_finished): its thread has exited, so its
**     tables, position or final length can be read. Its `done` flag is stored last, after any
**     report of its own.
** When everyone reported, the coordinator writes the manifest with the metadata
** (ckr_commit: epoch, parallelism, positions, watermarks, sink positions, layout hash) once
** every snapshot is written (ckr_flush, on the coordinator's thread), and
** only then runs phase 2, SinkOps.commit (nothing left to do for single_file), deletes all
** but --checkpoint-keep checkpoints and logs "checkpoint E: F files, SIZE, T ms". A crash
** before the manifest leaves the previous checkpoint the newest; bytes a sink wrote after
** that checkpoint's barrier are cut off on restore.
**
** Stops. Without checkpoints a stop request (SIGINT/SIGTERM, --stop-after) ends the sources
** like the end of their input. With checkpoints it is a final checkpoint instead: sources
** stop filling, the coordinator takes checkpoint E with w->final_epoch = E, and each source
** sends barrier E and then QM_EOS with value 1 ("stopped"), but no closing watermark. A
** stopped channel keeps counting in the watermark min with its last value, so no window
** closes, and subtasks pass the stop on with their own QM_EOS 1: after the final
** checkpoint nothing more is emitted, and --restore continues exactly there. --stop-after
** ROWS is a budget the sources draw from before each fill (SourceOps.fill honours
** Source.limit), so a stop after ROWS rows is exact.
**
** Restore (--restore): wk_load opens the newest complete checkpoint (checkpoint.c: ckrs_open,
** which checks the layout hash and the pipeline's shape); prepare fills every stage
** subtask's tables in parallel threads (ckrs_tables: redistribution by key-hash range when
** the parallelism differs), sets each subtask's watermark and its source channels', and
** hands sources their positions (Source.resume) and sinks theirs (Sink.resume: truncate)
** before they open. Each restored subtask first announces its watermark downstream.
**
** Invariants:
**   - Every arrow is a bounded Queue (or an inline source's direct call); producers block on
**     full queues or empty pools, never the other way round, and the graph is acyclic
**     (checked at load), so a slow sink slows everything upstream and nothing is dropped or
**     deadlocks.
**   - Nothing refers to an input batch or the ctx scratch arena once process() returned: sinks
**     encode, edges deep-copy. That is what makes recycling right after process() safe.
**     A source read by several stages shares one batch (reference count): rows are read-only.
**   - A subtask hands each sink its last partial Buf BEFORE it sends QM_EOS to the writer;
**     the writer closes the sink after QM_EOS from every producer. wk_run returns 0 only after
**     the writers closed their sinks without error, so exit status 0 means every row is out.
**   - The first error wins (wk_fail): it is recorded, then every queue is cancelled so all
**     threads return promptly; the worker joins them and reports that one message.
**   - A stop request (SIGINT/SIGTERM) without checkpoints ends each source subtask as if its
**     input were exhausted; the rest is the normal end-of-stream path, so windows close and
**     sinks are flushed. With checkpoints it ends after a final checkpoint, windows open.
**   - A source subtask with nothing to read (Source.finished: single_file beyond subtask 0)
**     is ended, watermark INT64_MAX, at its readers before any thread starts, so watermarks
**     depend on the data, not on which thread runs first.
**   - At most one checkpoint is in flight, so a subtask aligns one barrier at a time, and a
**     sink's data queue holds at most one barrier per producer.
**   - Per row there is no lock and no malloc: a row costs a route, a copy and the string
**     copies (bump allocation in the batch's arena, whose first block is kept across reuses);
**     locks are taken per batch (queues); pools are allocated before the threads start.
**
** The summary (wk_summary) has one line per source, stage (late rows dropped, subtasks, rows
** in, state entries/bytes/expired) and sink, and one for checkpoints when they are on.
**
** It does not parse command lines (main.c), read or write bytes itself (connectors/),
** decode/encode records (codec_*.c), implement state tables (state.c), or say what a
** checkpoint file holds (checkpoint.c, snapshot.c, ckpt_store.c). Not yet: several worker
** processes, unaligned checkpoints, incremental or copy-on-write snapshots (a subtask still
** copies all its tables into memory at its barrier; only compressing and writing them happen
** off its thread), writing several snapshots at once.
*/
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "runtime.h"

#define SRC_POOL 4             /* batches per source subtask: one being filled, rest in flight */
#define SINK_POOL 4            /* output buffers per sink beyond one per producer */
#define DEFAULT_BATCH_ROWS 8192
#define DEFAULT_BATCH_BYTES (512 * 1024) /* ... but no more row-struct bytes than this */
#define DEFAULT_SINK_FLUSH (256 * 1024)
#define EDGE_BATCH_BYTES (1 << 20)  /* hand an edge batch over once its strings reach this */
#define STR_CHUNK (16 * 1024)       /* edge strings are packed into arena pieces this big */
#define MAX_PARALLELISM 1024
#define DEFAULT_CKPT_INTERVAL (10 * 1000000000LL)   /* --checkpoint-interval */
#define DEFAULT_CKPT_KEEP 3                        /* --checkpoint-keep */

static void oom(void) {
  fprintf(stderr, "arroyo: out of memory\n");
  abort();
}

static void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size);
  if (!p) oom();
  return p;
}

typedef struct Task Task;
typedef struct SourceTask SourceTask;

typedef struct SinkTask {
  Worker *w;
  Sink snk;                /* connector instance */
  Buf *bufs;               /* nbufs buffers, owned here (NULL when !ops->encodes) */
  int nbufs;
  Queue *data;             /* full buffers and QM_EOS from the producers */
  Queue *free;             /* written buffers ready for reuse (capacity nbufs) */
  int nproducers;          /* (stage subtask, output) pairs that emit here and send QM_EOS */
  pthread_t th;
  int started;             /* writer thread running / must be joined */
  int opened;              /* ops->open succeeded and ops->close was not called yet */
  uint32_t index;          /* in RtPipeline.sinks */
  /* barrier alignment (see "Checkpoints"); the arrays have nproducers entries */
  int64_t *barrier;        /* the last barrier epoch each producer sent */
  uint8_t *ended;          /* QM_EOS received from that producer */
  int64_t aligning;        /* epoch whose barriers are arriving, 0: none */
  int64_t aligned;         /* last epoch precommitted (atomic; guarded by mu for waiters) */
  pthread_mutex_t mu;      /* producers wait on cv for `aligned` to reach their barrier */
  pthread_cond_t cv;
  CkPos final;             /* precommit position at close, for checkpoints after that */
  int done;                /* the writer finished (atomic) */
} SinkTask;

/* One sink as seen by one stage subtask's output. */
typedef struct SinkOut {
  SinkTask *t;             /* the sink */
  Encoder *enc;            /* this subtask's encoder; NULL for sinks that only count */
  Buf *cur;                /* buffer being filled; a member of t->bufs */
  int64_t rows;            /* rows emitted to this sink */
  int64_t retracts;        /* of those, retractions (counted for sinks that only count) */
  int prod;                /* this producer's index at the sink (QMsg.port) */
  int64_t sent;            /* last barrier sent to the sink: later data waits for its
                           ** alignment (see "Checkpoints") */
} SinkOut;

/* A string column of an edge schema: deep-copied when a row is batched. */
typedef struct StrCol {
  uint32_t off;            /* offset of the RtStr */
  uint32_t null_off;       /* offset of its null flag, UINT32_MAX when NOT NULL */
} StrCol;

typedef struct EdgeInfo {
  StrCol *strs;            /* TEXT / JSON / BYTEA columns of the edge schema */
  uint32_t nstrs;
} EdgeInfo;

/* One edge as seen by one producer subtask. The first members are copies of what rt_emit
** reads for every row, so the hot path follows no pointers into descriptors. */
typedef struct EdgeOut {
  uint8_t hash;            /* routing is RT_ROUTE_HASH (else every row goes to `fwd`) */
  uint8_t plain_size;      /* row_size a multiple of 8, at most 128: copy_small_row */
  uint8_t plain;           /* plain_size and no string columns: edge_emit's fast path */
  uint32_t row_size;       /* e->schema->row_size */
  uint32_t batch_rows;     /* hand a batch over at this many rows (batch_rows_for) */
  uint32_t nstrs;          /* info->nstrs */
  const StrCol *strs;      /* info->strs */
  SrcBatch **cur;          /* [ndst] batch being filled for each consumer, NULL: none yet */
  uint32_t ndst;           /* consumer subtasks */
  uint32_t fwd;            /* FORWARD: the one consumer subtask (producer subtask % ndst);
                           ** SINGLE: 0 */
  const RtEdge *e;         /* descriptor */
  const EdgeInfo *info;    /* its string columns */
  Task *dst;               /* the consumer stage's subtasks (ndst of them) */
  int *chan;               /* [ndst] this producer's channel at each consumer, -1: unreachable */
  SrcBatch *pool;          /* npool batches, owned here */
  int npool;
  Queue *free;             /* batches back from the consumers (capacity npool) */
} EdgeOut;

typedef struct Out {
  uint8_t kind;            /* RT_PORT_EDGE or RT_PORT_SINK */
  SinkOut sink;            /* kind SINK */
  EdgeOut edge;            /* kind EDGE */
} Out;

/* What a stage subtask knows about one producer that can send to it. */
typedef struct Channel {
  int64_t wm;              /* the producer's latest watermark, INT64_MIN before any */
  int32_t input;           /* stage input index */
  int32_t producer;        /* producer subtask (source subtask or producing stage subtask) */
  uint8_t source;          /* the input is a source connector (rt->source_watermark) */
  uint8_t idle;            /* the producer said it is idle and sent nothing since */
  uint8_t ended;           /* QM_EOS received */
  uint8_t stopped;         /* ended by a stop (QM_EOS 1): its watermark still counts */
  uint8_t blocked;         /* delivered the barrier being aligned: later messages are stashed */
} Channel;

typedef struct StageRt StageRt;

/* A stage subtask: one thread; ctx->worker points here. */
struct Task {
  Worker *w;
  StageRt *sr;             /* its stage */
  int sub;                 /* subtask index */
  RtCtx *ctx;              /* per-subtask context handed to generated code */
  Queue *in;               /* batches, watermarks, idle markers and QM_EOS from all channels */
  Channel *chans;          /* nchans channels */
  uint32_t nchans;
  uint32_t live;           /* channels without QM_EOS yet */
  int **chan_map;          /* [input][producer subtask] -> channel, -1 when unreachable */
  Out *outs;               /* one per stage output */
  uint32_t nouts;          /* stage->noutputs */
  int cur_chan;            /* channel of the batch being processed, -1 outside process() */
  SourceTask *inl;         /* the source subtask this thread runs inline (its only channel) */
  int idle_out;            /* consumers were told this subtask is idle */
  int64_t rows_in;         /* rows received */
  int64_t align;           /* epoch of the barrier being aligned, 0: none */
  QMsg *stash;             /* messages of blocked channels, in arrival order */
  uint32_t nstash, capstash;
  int stopped;             /* an input was stopped: so is this subtask (QM_EOS 1 downstream) */
  int restored;            /* ctx->watermark came from a checkpoint: announce it first */
  uint32_t ck_index;       /* participant index in a checkpoint round (ckr_has) */
  int done;                /* the thread finished (atomic): the coordinator may read the
                           ** state for later checkpoints */
  pthread_t th;
  int started;
};

struct StageRt {
  const RtStage *st;       /* descriptor (or the synthesized ABI 1 stage) */
  int index;               /* in the pipeline's stages[] */
  int nsub;                /* subtasks */
  Task *tasks;             /* nsub */
};

/* Where a source subtask sends its batches: one stage subtask per stage that reads it. */
typedef struct SrcTarget {
  Task *task;
  int chan;                /* channel at that subtask */
} SrcTarget;

struct SourceTask {
  Worker *w;
  Source src;              /* connector instance (subtask, parallelism) and its counters */
  SrcBatch *batches;       /* nbatches batches, owned here */
  int nbatches;            /* SRC_POOL, or 1 when inline */
  Queue *free;             /* empty batches ready to fill (capacity SRC_POOL); NULL inline */
  SrcTarget *targets;      /* ntargets consumers */
  int ntargets;
  Task *inline_task;       /* runs this source on its thread (see "Inline sources"); or NULL */
  int64_t idle_ns;         /* idle_micros option in ns; 0: never idle */
  pthread_t th;
  int started;             /* th is running / must be joined */
  int opened;              /* ops->open succeeded: ops->close is due */
  int idle;                /* consumers were told this source subtask is idle */
  int64_t last_rows;       /* wall clock of the last fill that produced rows (idle_ns > 0) */
  int64_t injected;        /* last checkpoint barrier sent */
  CkPos pos;               /* position taken for the barrier source_next found due */
  int owing;               /* the connector could not give its position (CkPos.n < 0) when a
                           ** barrier was due: it fills, past --stop-after, until it can */
  int done;                /* finished: ended, stopped or failed (atomic) */
};

struct Worker {
  WkOptions opt;           /* with defaults filled in */
  void *dl;                /* dlopen handle of the pipeline .so */
  const RtPipeline *p;     /* descriptor returned by the entry point */
  int abi1;                /* p->process: one synthesized stage */
  RtStage abi1_stage;      /* that stage (abi1) */
  RtPort *abi1_ports;      /* its inputs, then its outputs (abi1) */
  uint32_t nstages;
  StageRt *stages;         /* nstages */
  EdgeInfo *edges;         /* p->nedges */
  SourceTask *srcs;        /* p->nsources * parallelism, [source * N + subtask] */
  SinkTask *sinks;         /* p->nsinks */
  pthread_mutex_t err_mu;  /* guards err */
  int failed;              /* an error was recorded (atomic) */
  char err[2048];          /* the first error message */
  /* checkpoints (see "Checkpoints"); store is NULL without --checkpoint-dir */
  CkStore *store;          /* the checkpoint store */
  CkRestore *rs;           /* the checkpoint restored by this run (freed after prepare) */
  CkShape shape;           /* the pipeline for checkpoint.c */
  int *nsub;               /* shape.nsub */
  int64_t next_epoch;      /* epoch of the next checkpoint */
  int64_t trigger;         /* atomic: sources inject barriers up to this epoch */
  int64_t final_epoch;     /* atomic: epoch of the final checkpoint of a stop, 0: none */
  CkRound *round;          /* atomic: the checkpoint being taken (participants report here) */
  int64_t ncheckpoints;    /* checkpoints completed */
  int64_t held;            /* atomic: messages stashed by barrier alignment (summary) */
  int64_t last_epoch;      /* epoch of the last one completed */
  pthread_t coord;         /* the coordinator thread */
  int coord_started;
  int stopping;            /* atomic: --stop-after reached */
  int64_t budget;          /* atomic: rows the sources may still emit (--stop-after) */
  int64_t emitted;         /* atomic: rows the sources emitted (--stop-after) */
  int64_t loaded_ns;       /* mono_ns when wk_load began */
  int64_t first_rows_ns;   /* atomic: --restore: when the first batch was processed, 0 before */
};

/* ---- stop requests and errors -------------------------------------------------------- */

static int stop_flag;   /* set from a signal handler: accessed with __atomic builtins only */

void wk_request_stop(void) { __atomic_store_n(&stop_flag, 1, __ATOMIC_SEQ_CST); }
int wk_stop_requested(void) { return __atomic_load_n(&stop_flag, __ATOMIC_SEQ_CST); }

static int failed(const Worker *w) { return __atomic_load_n(&w->failed, __ATOMIC_ACQUIRE); }

/* Sources must stop: a signal, or --stop-after reached. */
static int stop_wanted(const Worker *w) {
  return wk_stop_requested() || __atomic_load_n(&w->stopping, __ATOMIC_ACQUIRE);
}

static int ckpt_on(const Worker *w) { return w->store != NULL; }

static int64_t mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void nap_us(int us) {
  struct timespec ts = { 0, (long)us * 1000 };
  nanosleep(&ts, NULL);
}

static uint32_t nsrc_tasks(const Worker *w) {
  return w->p->nsources * (uint32_t)w->opt.parallelism;
}

static void cancel_all(Worker *w) {
  for (uint32_t s = 0; s < w->nstages; s++)
    for (int j = 0; j < w->stages[s].nsub; j++) {
      Task *t = &w->stages[s].tasks[j];
      if (t->in) q_cancel(t->in);
      for (uint32_t o = 0; t->outs && o < t->sr->st->noutputs; o++)
        if (t->outs[o].kind == RT_PORT_EDGE && t->outs[o].edge.free)
          q_cancel(t->outs[o].edge.free);
    }
  for (uint32_t i = 0; i < nsrc_tasks(w); i++) if (w->srcs[i].free) q_cancel(w->srcs[i].free);
  for (uint32_t i = 0; i < w->p->nsinks; i++) {
    if (w->sinks[i].data) q_cancel(w->sinks[i].data);
    if (w->sinks[i].free) q_cancel(w->sinks[i].free);
    /* producers waiting for the sink's alignment see failed() once woken */
    pthread_mutex_lock(&w->sinks[i].mu);
    pthread_cond_broadcast(&w->sinks[i].cv);
    pthread_mutex_unlock(&w->sinks[i].mu);
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

/* A stage subtask's generated code failed: report ctx's message (named by stage for ABI 2
** pipelines) unless an earlier error already stopped the worker. Returns -1. */
static int task_failed(Task *t, const char *what) {
  Worker *w = t->w;
  if (failed(w)) return -1;
  const char *msg = t->ctx->err[0] ? t->ctx->err : NULL;
  if (w->abi1)
    wk_fail(w, "%s", msg ? msg : "pipeline process() failed without an error message");
  else if (msg)
    wk_fail(w, "stage '%s': %s", t->sr->st->name, msg);
  else
    wk_fail(w, "stage '%s': %s() failed without an error message", t->sr->st->name, what);
  return -1;
}

/* ---- connector lookup ------------------------------------------------------------------ */

static const SourceOps *const source_impls[] = { &src_single_file, &src_impulse, &src_nexmark };
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

/* The consumer is done with b: the last of its readers returns it to its pool. The pool
** queue has room for all its batches, so this push never blocks. */
static void recycle(SrcBatch *b) {
  /* no pool: the batch of an inline source, which its stage subtask simply fills again */
  if (__atomic_sub_fetch(&b->refs, 1, __ATOMIC_ACQ_REL) != 0 || !b->pool) return;
  QMsg m = { QM_BATCH, 0, 0, b };
  q_push(b->pool, &m);
}

/* ---- edges: the producer side ------------------------------------------------------------ */

/* Hand consumer j the batch being filled for it. 0, or -1 once the worker is stopping. */
static int hand_edge(EdgeOut *e, uint32_t j) {
  SrcBatch *b = e->cur[j];
  e->cur[j] = NULL;
  b->refs = 1;
  QMsg m = { QM_BATCH, e->chan[j], 0, b };
  return q_push(e->dst[j].in, &m);
}

/* An empty batch from the pool (blocks while every batch is queued or being processed:
** backpressure from the consumers). NULL once the worker is stopping. */
static SrcBatch *take_edge_batch(EdgeOut *e, uint32_t batch_rows) {
  QMsg m;
  if (q_pop(e->free, &m) < 0) return NULL;
  SrcBatch *b = m.ptr;
  b->n = 0;
  arena_reset(&b->arena);
  b->str_at = b->str_end = NULL;
  if (b->cap < batch_rows) {
    free(b->rows);
    b->rows = malloc((size_t)batch_rows * b->row_size);
    if (!b->rows) oom();
    b->cap = batch_rows;
  }
  return b;
}

static const char empty_bytes[1];

/* Copy one row struct of rs bytes, rs a multiple of 8 from 24 to 128 (rows start with an
** RtRowHeader), into a batch: word by word, unrolled (one jump on rs, then the moves), where a
** memcpy of a run-time size is a libc call and a loop costs a branch per word. Words, not
** wider moves: generated code has just written the row with word and byte stores, and a
** wider load across several of them cannot be forwarded from the store buffer. */
#define COPY_WORD(k) do { uint64_t v_; memcpy(&v_, src + 8 * (k), 8); \
                          memcpy(dst + 8 * (k), &v_, 8); } while (0)
static inline void copy_small_row(char *dst, const char *src, uint32_t rs) {
  switch (rs / 8) {
    case 16: COPY_WORD(15); /* fallthrough */
    case 15: COPY_WORD(14); /* fallthrough */
    case 14: COPY_WORD(13); /* fallthrough */
    case 13: COPY_WORD(12); /* fallthrough */
    case 12: COPY_WORD(11); /* fallthrough */
    case 11: COPY_WORD(10); /* fallthrough */
    case 10: COPY_WORD(9); /* fallthrough */
    case 9: COPY_WORD(8); /* fallthrough */
    case 8: COPY_WORD(7); /* fallthrough */
    case 7: COPY_WORD(6); /* fallthrough */
    case 6: COPY_WORD(5); /* fallthrough */
    case 5: COPY_WORD(4); /* fallthrough */
    case 4: COPY_WORD(3); /* fallthrough */
    default: COPY_WORD(2); COPY_WORD(1); COPY_WORD(0); break;
  }
}
#undef COPY_WORD

/* Room for n string bytes in b: strings are packed into STR_CHUNK pieces of its arena. */
static inline char *str_room(SrcBatch *b, size_t n) {
  if ((size_t)(b->str_end - b->str_at) < n) {
    size_t chunk = n > STR_CHUNK ? n : STR_CHUNK;
    b->str_at = arena_alloc(&b->arena, chunk);
    b->str_end = b->str_at + chunk;
  }
  char *p = b->str_at;
  b->str_at += n;
  return p;
}

/* Move the strings of row dst (just copied into b) into b's arena, so b owns them. */
static void copy_strs(const EdgeOut *e, SrcBatch *b, char *dst) {
  for (uint32_t k = 0; k < e->nstrs; k++) {
    const StrCol *sc = &e->strs[k];
    if (sc->null_off != UINT32_MAX && dst[sc->null_off]) continue;
    RtStr *s = (RtStr *)(dst + sc->off);
    if (s->len <= 0) { s->ptr = empty_bytes; s->len = 0; continue; }
    char *p = str_room(b, (size_t)s->len);
    memcpy(p, s->ptr, (size_t)s->len);
    s->ptr = p;
  }
}

/* Start a batch for consumer j. NULL once the worker is stopping. */
static SrcBatch *edge_start(RtCtx *ctx, EdgeOut *e, uint32_t j) {
  SrcBatch *b = e->cur[j] = take_edge_batch(e, e->batch_rows);
  if (!b) rt_error(ctx, NULL, "worker is stopping");      /* real error is on the worker */
  return b;
}

static __attribute__((noinline)) int edge_full(RtCtx *ctx, EdgeOut *e, uint32_t j) {
  if (hand_edge(e, j) < 0) return rt_error(ctx, NULL, "worker is stopping");
  return 0;
}

/* edge_emit for every case: rows with strings or of other sizes, the first row of a batch. */
static __attribute__((noinline)) int edge_emit_any(RtCtx *ctx, EdgeOut *e, const void *row,
                                                   uint32_t j) {
  SrcBatch *b = e->cur[j];
  if (!b && !(b = edge_start(ctx, e, j))) return RT_ERR;
  char *dst = b->rows + (size_t)b->n * e->row_size;
  if (e->plain_size) copy_small_row(dst, row, e->row_size);
  else memcpy(dst, row, e->row_size);
  copy_strs(e, b, dst);
  if (++b->n >= (int64_t)e->batch_rows || b->arena.total >= EDGE_BATCH_BYTES)
    return edge_full(ctx, e, j);
  return 0;
}

/* Copy one row into the batch of the consumer subtask its routing picks. The row struct is
** copied as is; string bytes move into the batch's arena so the batch owns them. The common
** case (no strings, a batch under way) makes no call, so rt_emit needs no stack frame. */
static inline int edge_emit(RtCtx *ctx, EdgeOut *e, const void *row) {
  uint32_t j = e->hash ? rt_hash_owner(((const RtRowHeader *)row)->hash, e->ndst) : e->fwd;
  SrcBatch *b = e->cur[j];
  if (!b || !e->plain) return edge_emit_any(ctx, e, row, j);
  copy_small_row(b->rows + (size_t)b->n * e->row_size, row, e->row_size);
  if (++b->n >= (int64_t)e->batch_rows) return edge_full(ctx, e, j);
  return 0;
}

/* Hand over every partial edge batch (after each input batch, before watermarks/EOS). */
static int flush_edges(Task *t) {
  for (uint32_t o = 0; o < t->sr->st->noutputs; o++) {
    if (t->outs[o].kind != RT_PORT_EDGE) continue;
    EdgeOut *e = &t->outs[o].edge;
    for (uint32_t j = 0; j < e->ndst; j++)
      if (e->cur[j] && e->cur[j]->n > 0 && hand_edge(e, j) < 0) return -1;
  }
  return 0;
}

/* Send a control message (watermark, idle marker, end of stream) to every consumer subtask
** this subtask can reach on each output edge. */
static int broadcast(Task *t, int kind, int64_t value) {
  for (uint32_t o = 0; o < t->sr->st->noutputs; o++) {
    if (t->outs[o].kind != RT_PORT_EDGE) continue;
    EdgeOut *e = &t->outs[o].edge;
    for (uint32_t j = 0; j < e->ndst; j++) {
      if (e->chan[j] < 0) continue;
      QMsg m = { kind, e->chan[j], value, NULL };
      if (q_push(e->dst[j].in, &m) < 0) return -1;
    }
  }
  return 0;
}

/* ---- sinks: the producer side -------------------------------------------------------------- */

/* Data after a barrier may reach the sink only once every producer's barrier has (the sink
** aligned it and pre-committed): otherwise bytes from after the checkpoint could land before
** another producer's bytes from before it, and truncating to the recorded length on restore
** would keep them. So a producer waits here, in its first hand-off after the barrier. It
** cannot deadlock: the producers still missing are before the barrier, and nothing they need
** waits for this one (see "Checkpoints"). 0, or -1 once the worker is stopping. */
static int wait_sink(SinkOut *o) {
  SinkTask *s = o->t;
  if (__atomic_load_n(&s->aligned, __ATOMIC_ACQUIRE) >= o->sent) return 0;
  pthread_mutex_lock(&s->mu);
  while (__atomic_load_n(&s->aligned, __ATOMIC_ACQUIRE) < o->sent && !failed(s->w))
    pthread_cond_wait(&s->cv, &s->mu);
  pthread_mutex_unlock(&s->mu);
  return failed(s->w) ? -1 : 0;
}

/* Give the filled buffer to the writer and take an empty one. Blocks while all of the sink's
** buffers are queued or being written: this is where a slow sink pushes back. */
static int hand_off(SinkOut *o) {
  if (wait_sink(o) < 0) return -1;
  QMsg m = { QM_BATCH, o->prod, 0, o->cur };
  o->cur = NULL;
  if (q_push(o->t->data, &m) < 0) return -1;
  if (q_pop(o->t->free, &m) < 0) return -1;
  o->cur = m.ptr;
  return 0;
}

/* rt_emit's paths other than edges and count-only sinks, out of line (no stack frame in
** rt_emit itself). */
static __attribute__((noinline)) int bad_port(RtCtx *ctx, int port) {
  Task *t = ctx->worker;
  return rt_error(ctx, NULL, "emit to output %d, but the stage has %u outputs", port, t->nouts);
}

static __attribute__((noinline)) int sink_emit(RtCtx *ctx, SinkOut *o, const void *row) {
  if (!o->cur) return RT_ERR;              /* a failed hand-off already recorded an error */
  if (enc_record(o->enc, row, o->cur) < 0)
    return rt_error(ctx, NULL, "sink '%s': cannot encode row", o->t->snk.conn->table);
  if (o->cur->len >= o->t->w->opt.sink_flush_bytes && hand_off(o) < 0)
    return rt_error(ctx, NULL, "worker is stopping");      /* real error is on the worker */
  return 0;
}

int rt_emit(RtCtx *ctx, int port, const void *row) {
  Task *t = ctx->worker;
  if ((uint32_t)port >= t->nouts) return bad_port(ctx, port);
  Out *out = &t->outs[port];
  if (out->kind == RT_PORT_EDGE) return edge_emit(ctx, &out->edge, row);
  SinkOut *o = &out->sink;
  o->rows++;
  if (!o->enc) {                                           /* blackhole: count only */
    o->retracts += ((const RtRowHeader *)row)->retract;
    return 0;
  }
  return sink_emit(ctx, o, row);
}

/* If no more input is waiting, hand partial sink buffers to the writers: a busy subtask
** still writes in big blocks, an idle one (slow source, preview to stdout) shows its rows
** right away. */
static int flush_sinks(Task *t) {
  for (uint32_t i = 0; i < t->sr->st->noutputs; i++) {
    if (t->outs[i].kind != RT_PORT_SINK) continue;
    SinkOut *o = &t->outs[i].sink;
    if (o->enc && o->cur->len > 0 && hand_off(o) < 0) return -1;
  }
  return 0;
}

/* ---- watermarks ------------------------------------------------------------------------- */

void rt_source_watermark(RtCtx *ctx, int input, int64_t wm) {
  Task *t = ctx->worker;
  if (t->cur_chan < 0) {
    rt_error(ctx, NULL, "source_watermark(input %d) called outside of a source batch", input);
    return;
  }
  Channel *c = &t->chans[t->cur_chan];
  if (!c->source || c->input != input) {
    rt_error(ctx, NULL, "source_watermark(input %d) while processing a batch of input %d%s",
             input, c->input, c->source ? "" : " (an edge)");
    return;
  }
  if (wm > c->wm) c->wm = wm;     /* monotonic per source subtask */
}

/* The subtask's watermark advanced to wm: close what it closes, then tell the consumers
** (after the rows on_watermark emitted). */
static int advance(Task *t, int64_t wm) {
  RtCtx *ctx = t->ctx;
  const RtStage *st = t->sr->st;
  ctx->watermark = wm;
  rt_ctx_begin_batch(ctx);
  if (st->on_watermark) {
    int rc = st->on_watermark(ctx, wm);
    if (rc < 0 || ctx->failed) return task_failed(t, "on_watermark");
  }
  /* ttl: entries not touched for ttl_ns of event time go (state.c counts them) */
  for (uint32_t i = 0; i < ctx->ntables; i++) {
    if (st->states[i].ttl_ns <= 0) continue;
    if (st_expire(ctx->tables[i], ctx, wm, NULL, NULL) < 0 || ctx->failed)
      return task_failed(t, "st_expire");
  }
  if (flush_edges(t) < 0) return -1;
  return broadcast(t, QM_WATERMARK, wm);
}

/* Recompute the min over the channels (see the header comment) and act on a change.
** A channel at INT64_MAX has finished as far as time goes, so it counts like an ended one:
** if only idle channels are left besides finished ones, the subtask is idle and keeps its
** watermark (an idle source may still send rows; jumping to INT64_MAX would make them all
** late), whether the finished producer's QM_EOS has arrived yet or not. A stopped channel
** (ended by a stop for a final checkpoint) still counts with its last watermark: a stop is
** not the end of the input, so it must not close windows. */
static int update_wm(Task *t) {
  int64_t min = INT64_MAX;
  uint32_t active = 0, idle = 0;
  for (uint32_t i = 0; i < t->nchans; i++) {
    const Channel *c = &t->chans[i];
    if ((c->ended && !c->stopped) || c->wm == INT64_MAX) continue;
    if (c->idle) { idle++; continue; }
    active++;
    if (c->wm < min) min = c->wm;
  }
  if (active == 0 && idle > 0) {
    if (t->idle_out) return 0;
    t->idle_out = 1;
    if (flush_edges(t) < 0) return -1;
    return broadcast(t, QM_IDLE, 0);
  }
  if (t->idle_out) {
    /* Active again: re-announce the current watermark so consumers count this subtask in
    ** their min again before it sends anything else. */
    t->idle_out = 0;
    if (min <= t->ctx->watermark && broadcast(t, QM_WATERMARK, t->ctx->watermark) < 0) return -1;
  }
  if (min > t->ctx->watermark) return advance(t, min);
  return 0;
}

/* ---- threads ------------------------------------------------------------------------------ */

/* Name the calling thread (15 bytes max) for top, perf and gdb. */
static void name_thread(const char *fmt, ...) {
  char name[16];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(name, sizeof name, fmt, ap);
  va_end(ap);
  pthread_setname_np(pthread_self(), name);
}

static int push_targets(SourceTask *t, int kind, int64_t value, SrcBatch *b) {
  for (int i = 0; i < t->ntargets; i++) {
    QMsg m = { kind, t->targets[i].chan, value, b };
    if (q_push(t->targets[i].task->in, &m) < 0) return -1;
  }
  return 0;
}

/* Fill batch b of source subtask t (reset first) with at most `limit` rows (< 0: any number).
** Returns the connector's SRC_MORE / SRC_END, or SRC_ERR after wk_fail. */
static int fill_batch(SourceTask *t, SrcBatch *b, int64_t limit) {
  char err[1024];
  b->n = 0;
  b->input.len = 0;
  arena_reset(&b->arena);
  err[0] = 0;
  t->src.limit = limit;
  int rc = t->src.ops->fill(&t->src, b, err, sizeof err);
  if (rc == SRC_ERR) {
    wk_fail(t->w, "%s", err[0] ? err : "source failed without a message");
    return SRC_ERR;
  }
  t->src.rows_read += b->n;
  return rc;
}

/* idle_micros bookkeeping after a fill that returned rc with n rows: 1 when the source
** subtask has just become idle (no row for idle_ns; its consumers must be told), else 0. */
static int became_idle(SourceTask *t, int rc, int64_t n) {
  if (!t->idle_ns) return 0;
  if (n > 0) {
    t->idle = 0;
    t->last_rows = rt_wall_clock_ns();
    return 0;
  }
  if (t->idle || rc != SRC_MORE || rt_wall_clock_ns() - t->last_rows < t->idle_ns) return 0;
  t->idle = 1;
  return 1;
}

/* --stop-after: reserve up to `want` rows of the budget for the next fill. -1: no budget
** (no limit); 0: nothing left for now (other sources hold the rest, or it is spent). */
static int64_t reserve_rows(Worker *w, int64_t want) {
  if (w->opt.stop_after <= 0) return -1;
  int64_t cur = __atomic_load_n(&w->budget, __ATOMIC_ACQUIRE), take;
  do {
    if (cur <= 0) return 0;
    take = cur < want ? cur : want;
  } while (!__atomic_compare_exchange_n(&w->budget, &cur, cur - take, 0, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE));
  return take;
}

/* After a fill that reserved `took` rows and emitted `used`: give back the rest, and stop the
** sources (as SIGTERM does) once they emitted --stop-after rows in all. */
static void settle_rows(Worker *w, int64_t took, int64_t used) {
  if (took < 0) return;
  if (took > used) __atomic_add_fetch(&w->budget, took - used, __ATOMIC_ACQ_REL);
  if (__atomic_add_fetch(&w->emitted, used, __ATOMIC_ACQ_REL) >= w->opt.stop_after)
    __atomic_store_n(&w->stopping, 1, __ATOMIC_RELEASE);
}

/* The epoch of a barrier source subtask t must inject next, or 0. */
static int64_t barrier_due(const SourceTask *t) {
  int64_t e = __atomic_load_n(&t->w->trigger, __ATOMIC_ACQUIRE);
  return e > t->injected ? e : 0;
}

static int is_final(const Worker *w, int64_t e) {
  return e == __atomic_load_n(&w->final_epoch, __ATOMIC_ACQUIRE);
}

static CkRound *cur_round(const Worker *w) {
  return __atomic_load_n(&w->round, __ATOMIC_ACQUIRE);
}

/* Take source subtask t's position (between two fills, so it is the position of the first
** row not emitted yet) into t->pos. 0 when the connector cannot say yet (CkPos.n < 0: it
** owes rows its position cannot express, e.g. nexmark restored at another parallelism):
** t->owing is set and the subtask fills again before it injects the barrier. */
static int take_position(SourceTask *t) {
  memset(&t->pos, 0, sizeof t->pos);
  if (t->src.ops->position) t->src.ops->position(&t->src, &t->pos);
  t->owing = t->pos.n < 0;
  return !t->owing;
}

/* Report the position take_position recorded for checkpoint e. The barrier goes out right
** after. */
static void source_report(SourceTask *t, int64_t e) {
  t->injected = e;
  ckr_source(cur_round(t->w), (uint32_t)(t - t->w->srcs), &t->pos);
}

/* Rows the next fill of t may emit: the --stop-after budget (reserve_rows), except that a
** subtask owing rows before a barrier fills without it (a stop waits for that barrier). */
static int64_t fill_budget(SourceTask *t) {
  return t->owing ? -1 : reserve_rows(t->w, t->src.batch_rows);
}

/* What a source subtask does next, between fills (source_main and run_inline share it). */
enum { NEXT_FILL, NEXT_WAIT, NEXT_BARRIER, NEXT_END };

static int source_next(SourceTask *t, int64_t *epoch) {
  Worker *w = t->w;
  if ((*epoch = barrier_due(t)) != 0) return take_position(t) ? NEXT_BARRIER : NEXT_FILL;
  if (stop_wanted(w))
    /* without checkpoints a stop ends the source like the end of its input; with them it
    ** waits for the coordinator's final barrier, which comes next */
    return ckpt_on(w) ? NEXT_WAIT : NEXT_END;
  return NEXT_FILL;
}

static void *source_main(void *arg) {
  SourceTask *t = arg;
  Worker *w = t->w;
  QMsg m;
  int stopped = 0;
  t->last_rows = t->idle_ns ? rt_wall_clock_ns() : 0;
  if (w->opt.parallelism > 1) name_thread("src%d:%s", t->src.subtask, t->src.conn->table);
  else name_thread("src:%s", t->src.conn->table);
  for (;;) {
    if (failed(w)) goto out;
    int64_t e;
    int next = source_next(t, &e);
    if (next == NEXT_END) break;
    if (next == NEXT_WAIT) { nap_us(1000); continue; }
    if (next == NEXT_BARRIER) {
      source_report(t, e);
      if (push_targets(t, QM_BARRIER, e, NULL) < 0) goto out;
      if (is_final(w, e)) { stopped = 1; break; }
      continue;
    }
    int64_t took = fill_budget(t);
    if (took == 0) { nap_us(1000); continue; }
    if (q_pop(t->free, &m) < 0) goto out;
    SrcBatch *b = m.ptr;
    int rc = fill_batch(t, b, took);
    settle_rows(w, took, rc == SRC_ERR ? 0 : b->n);
    if (rc == SRC_ERR) goto out;
    int idle = became_idle(t, rc, b->n);
    if (b->n > 0) {
      b->refs = t->ntargets;       /* set before the first push: readers may finish early */
      if (push_targets(t, QM_BATCH, 0, b) < 0) goto out;
    } else {
      if (q_push(t->free, &m) < 0) goto out;
      if (idle && push_targets(t, QM_IDLE, 0, NULL) < 0) goto out;
    }
    if (rc == SRC_END) break;
  }
  if (failed(w)) goto out;
  if (stopped) {
    /* Stopped for the final checkpoint: not the end of the input, so no closing watermark. */
    push_targets(t, QM_EOS, 1, NULL);
  } else {
    /* Ended (exhausted, or stopped without checkpoints): nothing later can be behind any
    ** watermark. */
    if (push_targets(t, QM_WATERMARK, INT64_MAX, NULL) == 0) push_targets(t, QM_EOS, 0, NULL);
  }
out:
  __atomic_store_n(&t->done, 1, __ATOMIC_RELEASE);
  return NULL;
}

/* --restore: log once when the first batch is processed, counted from wk_load: the time a
** restore costs before work resumes (loading the .so and the checkpoint, restoring the
** tables, opening the connectors, starting the threads). */
static void note_first_rows(Worker *w) {
  int64_t zero = 0, now = mono_ns();
  if (__atomic_compare_exchange_n(&w->first_rows_ns, &zero, now, 0, __ATOMIC_ACQ_REL,
                                  __ATOMIC_ACQUIRE))
    fprintf(stderr, "arroyo-worker: restore: first rows processed %lld ms after the worker "
            "started\n", (long long)((now - w->loaded_ns) / 1000000));
}

static int run_batch(Task *t, int chan, SrcBatch *b) {
  if (t->w->opt.restore && !__atomic_load_n(&t->w->first_rows_ns, __ATOMIC_RELAXED))
    note_first_rows(t->w);
  RtCtx *ctx = t->ctx;
  const RtStage *st = t->sr->st;
  Channel *c = &t->chans[chan];
  c->idle = 0;
  t->cur_chan = chan;
  RtBatch rb = { b->rows, b->n, b->row_size, 0 };
  rt_ctx_begin_batch(ctx);
  int rc = st->process(ctx, c->input, &rb);
  if (rc >= 0 && !ctx->failed && st->flush) rc = st->flush(ctx);
  t->cur_chan = -1;
  t->rows_in += b->n;
  recycle(b);            /* nothing refers to it any more (see the invariants) */
  if (rc < 0 || ctx->failed) return task_failed(t, rc < 0 ? "process" : "flush");
  return flush_edges(t);
}

/* ---- checkpoints: stage subtasks ---------------------------------------------------------- */

/* Report stage subtask t's state to round r: its tables (snapshot.c, written as its file on
** this thread), its watermark and its source channels' watermarks. Runs on t's thread at an
** aligned barrier, or on the coordinator's once t's thread has finished. 0 or -1 (wk_fail). */
static int stage_report(Task *t, CkRound *r, int64_t e) {
  const RtStage *st = t->sr->st;
  CkSrcWm *wms = xcalloc(t->nchans, sizeof *wms);
  uint32_t n = 0;
  for (uint32_t i = 0; i < t->nchans; i++) {
    const Channel *c = &t->chans[i];
    if (!c->source) continue;
    wms[n].source = st->inputs[c->input].index;
    wms[n].producer = c->producer;
    wms[n].wm = c->wm;
    n++;
  }
  int rc = ckr_stage(r, (uint32_t)t->sr->index, (uint32_t)t->sub, t->ctx->tables,
                     t->ctx->ntables, t->ctx->watermark, wms, n);
  free(wms);
  if (rc < 0) wk_fail(t->w, "checkpoint %lld: %s", (long long)e, ckr_error(r));
  return rc;
}

/* Barrier e is aligned at t: everything before it on every channel is processed and nothing
** after it. Hand over what the outputs hold, pass the barrier on (edges, then every sink this
** subtask writes to, each after its last bytes from before the barrier), then snapshot. The
** barrier goes downstream before the snapshot so the consumers can start aligning; nothing is
** processed in between, so the snapshot is the state at the barrier. */
static int task_checkpoint(Task *t, int64_t e) {
  if (flush_edges(t) < 0) return -1;
  for (uint32_t i = 0; i < t->sr->st->noutputs; i++) {
    if (t->outs[i].kind != RT_PORT_SINK) continue;
    SinkOut *o = &t->outs[i].sink;
    if (!o->enc) continue;                          /* blackhole: nothing to align */
    if (o->cur->len > 0 && hand_off(o) < 0) return -1;
    QMsg b = { QM_BARRIER, o->prod, e, NULL };
    if (q_push(o->t->data, &b) < 0) return -1;
    o->sent = e;
  }
  if (broadcast(t, QM_BARRIER, e) < 0) return -1;
  return stage_report(t, cur_round(t->w), e);
}

static int handle(Task *t, const QMsg *m);

/* Hold m back: its channel delivered the barrier being aligned. */
static void stash(Task *t, const QMsg *m) {
  __atomic_add_fetch(&t->w->held, 1, __ATOMIC_RELAXED);
  if (t->nstash == t->capstash) {
    t->capstash = t->capstash ? 2 * t->capstash : 16;
    t->stash = realloc(t->stash, t->capstash * sizeof *t->stash);
    if (!t->stash) oom();
  }
  t->stash[t->nstash++] = *m;
}

/* After an aligned barrier: handle the held-back messages in their order. A channel they
** block again (a later barrier) stashes its following messages again, behind the earlier
** ones, so each channel's order is kept even when this recurses. */
static int replay(Task *t) {
  QMsg *held = t->stash;
  uint32_t n = t->nstash;
  t->stash = NULL;
  t->nstash = t->capstash = 0;
  int rc = 0;
  for (uint32_t i = 0; i < n && rc == 0; i++) rc = handle(t, &held[i]);
  free(held);
  return rc;
}

/* If every channel has either delivered barrier t->align or ended, take the checkpoint,
** unblock the channels and replay what they sent meanwhile. */
static int check_aligned(Task *t) {
  if (!t->align) return 0;
  for (uint32_t i = 0; i < t->nchans; i++)
    if (!t->chans[i].ended && !t->chans[i].blocked) return 0;
  int64_t e = t->align;
  if (task_checkpoint(t, e) < 0) return -1;
  t->align = 0;
  for (uint32_t i = 0; i < t->nchans; i++) t->chans[i].blocked = 0;
  return replay(t);
}

static int on_barrier(Task *t, int chan, int64_t e) {
  if (t->align && t->align != e) {
    wk_fail(t->w, "stage '%s' subtask %d: barrier %lld arrived while aligning barrier %lld",
            t->sr->st->name, t->sub, (long long)e, (long long)t->align);
    return -1;
  }
  t->align = e;
  t->chans[chan].blocked = 1;
  return check_aligned(t);
}

/* One message from channel m->port (popped from `in`, or replayed from the stash). */
static int handle(Task *t, const QMsg *m) {
  Channel *c = &t->chans[m->port];
  if (c->blocked) {
    stash(t, m);
    return 0;
  }
  switch (m->kind) {
    case QM_BATCH:
      if (run_batch(t, m->port, m->ptr) < 0) return -1;
      break;
    case QM_WATERMARK:
      if (m->value > c->wm) c->wm = m->value;
      c->idle = 0;
      break;
    case QM_IDLE:
      c->idle = 1;
      break;
    case QM_EOS:
      c->ended = 1;
      if (m->value) c->stopped = t->stopped = 1;
      t->live--;
      if (update_wm(t) < 0) return -1;
      return check_aligned(t);     /* an ended channel no longer holds a barrier back */
    case QM_BARRIER:
      return on_barrier(t, m->port, m->value);
    default:
      return 0;
  }
  return update_wm(t);
}

/* The stage subtask runs its only input, source subtask s = t->inl, on its own thread: fill
** one batch, process it, repeat (see "Inline sources" in the header comment). What
** source_main sends through the queue happens here directly, in the same order: a batch
** (run_batch, then update_wm), an idle marker, a barrier (aligned at once: the only
** channel), and at the end QM_WATERMARK INT64_MAX then QM_EOS, or a stop. 0 when the source
** ended, -1 on errors (recorded on the worker). */
static int run_inline(Task *t) {
  SourceTask *s = t->inl;
  Worker *w = t->w;
  Channel *c = &t->chans[0];
  SrcBatch *b = &s->batches[0];
  int stopped = 0, rc = -1;
  s->last_rows = s->idle_ns ? rt_wall_clock_ns() : 0;
  for (;;) {
    if (failed(w)) goto out;
    int64_t e;
    int next = source_next(s, &e);
    if (next == NEXT_END) break;
    if (next == NEXT_WAIT) { nap_us(1000); continue; }
    if (next == NEXT_BARRIER) {
      source_report(s, e);
      if (on_barrier(t, 0, e) < 0) goto out;
      if (is_final(w, e)) { stopped = 1; break; }
      continue;
    }
    int64_t took = fill_budget(s);
    if (took == 0) { nap_us(1000); continue; }
    int frc = fill_batch(s, b, took);
    settle_rows(w, took, frc == SRC_ERR ? 0 : b->n);
    if (frc == SRC_ERR) goto out;
    int idle = became_idle(s, frc, b->n);
    int64_t n = b->n;
    if (n > 0) {
      b->refs = 1;
      if (run_batch(t, 0, b) < 0) goto out;
    } else if (idle) {
      c->idle = 1;
    }
    if ((n > 0 || idle) && update_wm(t) < 0) goto out;
    /* A short batch means the source has caught up (paced, or no data yet): hand over what
    ** the sinks hold, as the queue loop does when its queue runs empty. */
    if (n < s->src.batch_rows && flush_sinks(t) < 0) goto out;
    if (frc == SRC_END) break;
  }
  if (failed(w)) goto out;
  if (stopped) {
    c->stopped = 1;                /* as QM_EOS 1 would: the watermark stays */
    t->stopped = 1;
  } else {
    c->wm = INT64_MAX;             /* ended (exhausted or stopped), as in source_main */
    c->idle = 0;
    if (update_wm(t) < 0) goto out;
  }
  c->ended = 1;
  t->live--;
  rc = update_wm(t);
out:
  __atomic_store_n(&s->done, 1, __ATOMIC_RELEASE);
  return rc;
}

static void *task_main(void *arg) {
  Task *t = arg;
  Worker *w = t->w;
  const RtStage *st = t->sr->st;
  QMsg m;
  if (w->abi1) name_thread("pipeline%d", t->sub);
  else name_thread("%d:%s", t->sub, st->name);
  for (uint32_t i = 0; i < st->noutputs; i++) {
    if (t->outs[i].kind != RT_PORT_SINK || !t->outs[i].sink.enc) continue;
    if (q_pop(t->outs[i].sink.t->free, &m) < 0) goto out;
    t->outs[i].sink.cur = m.ptr;
  }
  /* Restored: the consumers learn this subtask's watermark before anything else, as they
  ** knew it before the checkpoint. */
  if (t->restored && t->ctx->watermark > INT64_MIN &&
      broadcast(t, QM_WATERMARK, t->ctx->watermark) < 0)
    goto out;
  if (update_wm(t) < 0) goto out;   /* a subtask no producer reaches is done at once */
  if (t->inl && !t->inl->src.finished && run_inline(t) < 0) goto out;
  while (t->live > 0) {
    if (q_pop(t->in, &m) < 0) goto out;
    if (handle(t, &m) < 0) goto out;
    if (q_len(t->in) == 0 && flush_sinks(t) < 0) goto out;
  }
  /* Every channel ended, so update_wm advanced to INT64_MAX (unless an input was stopped).
  ** End of stream: partial batches and buffers first, then QM_EOS (see the invariants). */
  if (flush_edges(t) < 0 || broadcast(t, QM_EOS, t->stopped) < 0) goto out;
  for (uint32_t i = 0; i < st->noutputs; i++) {
    if (t->outs[i].kind != RT_PORT_SINK || !t->outs[i].sink.enc) continue;
    SinkOut *o = &t->outs[i].sink;
    if (o->cur->len > 0) {
      if (wait_sink(o) < 0) goto out;
      QMsg b = { QM_BATCH, o->prod, 0, o->cur };
      o->cur = NULL;
      if (q_push(o->t->data, &b) < 0) goto out;
    }
    QMsg eos = { QM_EOS, o->prod, t->stopped, NULL };
    if (q_push(o->t->data, &eos) < 0) goto out;
  }
out:
  __atomic_store_n(&t->done, 1, __ATOMIC_RELEASE);
  return NULL;
}

/* ---- sinks: the writer ------------------------------------------------------------------- */

/* If every producer of sink t sent barrier t->aligning or ended, everything before the
** barrier is written and nothing after it (producers wait in wait_sink): pre-commit, report
** the position, and let the producers go on. 0 or -1 (wk_fail). */
static int sink_check_aligned(SinkTask *t) {
  if (!t->aligning) return 0;
  for (int i = 0; i < t->nproducers; i++)
    if (!t->ended[i] && t->barrier[i] < t->aligning) return 0;
  Sink *s = &t->snk;
  CkPos pos;
  char err[1024];
  memset(&pos, 0, sizeof pos);
  err[0] = 0;
  if (s->ops->precommit && s->ops->precommit(s, &pos, err, sizeof err) < 0) {
    wk_fail(t->w, "sink '%s' (%s): %s", s->conn->table, s->conn->connector, err);
    return -1;
  }
  ckr_sink(cur_round(t->w), t->index, &pos);
  pthread_mutex_lock(&t->mu);
  __atomic_store_n(&t->aligned, t->aligning, __ATOMIC_RELEASE);
  pthread_cond_broadcast(&t->cv);
  pthread_mutex_unlock(&t->mu);
  t->aligning = 0;
  return 0;
}

static void *sink_main(void *arg) {
  SinkTask *t = arg;
  Worker *w = t->w;
  Sink *s = &t->snk;
  char err[1024];
  int eos = 0;
  QMsg m;
  name_thread("sink:%s", s->conn->table);
  while (eos < t->nproducers) {
    if (q_pop(t->data, &m) < 0) goto out;
    if (m.kind == QM_EOS) {
      eos++;
      t->ended[m.port] = 1;
      if (sink_check_aligned(t) < 0) goto out;
      continue;
    }
    if (m.kind == QM_BARRIER) {
      t->barrier[m.port] = m.value;
      if (!t->aligning) t->aligning = m.value;
      if (sink_check_aligned(t) < 0) goto out;
      continue;
    }
    if (m.kind != QM_BATCH) continue;
    Buf *b = m.ptr;
    err[0] = 0;
    if (s->ops->write(s, b->p, b->len, err, sizeof err) < 0) {
      wk_fail(w, "sink '%s' (%s): %s", s->conn->table, s->conn->connector, err);
      goto out;
    }
    s->bytes_written += (int64_t)b->len;
    b->len = 0;
    if (q_push(t->free, &m) < 0) goto out;
  }
  /* Every producer sent its last bytes before its QM_EOS, so closing now loses nothing. With
  ** checkpoints, pre-commit the complete output first: checkpoints taken after this (the
  ** sink is done, the pipeline may not be) record it. */
  err[0] = 0;
  if (ckpt_on(w) && s->ops->precommit && s->ops->precommit(s, &t->final, err, sizeof err) < 0) {
    wk_fail(w, "sink '%s' (%s): %s", s->conn->table, s->conn->connector, err);
    goto out;
  }
  t->opened = 0;
  err[0] = 0;
  if (s->ops->close(s, err, sizeof err) < 0)
    wk_fail(w, "sink '%s' (%s): %s", s->conn->table, s->conn->connector, err);
out:
  __atomic_store_n(&t->done, 1, __ATOMIC_RELEASE);
  return NULL;
}

/* ---- checkpoints: the coordinator --------------------------------------------------------- */

static int all_done(const Worker *w) {
  for (uint32_t i = 0; i < nsrc_tasks(w); i++)
    if (!__atomic_load_n(&w->srcs[i].done, __ATOMIC_ACQUIRE)) return 0;
  for (uint32_t s = 0; s < w->nstages; s++)
    for (int j = 0; j < w->stages[s].nsub; j++)
      if (!__atomic_load_n(&w->stages[s].tasks[j].done, __ATOMIC_ACQUIRE)) return 0;
  for (uint32_t i = 0; i < w->p->nsinks; i++)
    if (w->sinks[i].snk.ops->encodes && !__atomic_load_n(&w->sinks[i].done, __ATOMIC_ACQUIRE))
      return 0;
  return 1;
}

/* Participants that finished without reporting to r (they ended before its barrier reached
** them, so all they did is before it): report their final state for them. done is stored
** last by each thread, after any report of its own, so done without a report means none is
** coming. 0 or -1 (wk_fail). */
static int report_finished(Worker *w, CkRound *r, int64_t e) {
  for (uint32_t i = 0; i < nsrc_tasks(w); i++) {
    SourceTask *t = &w->srcs[i];
    if (!__atomic_load_n(&t->done, __ATOMIC_ACQUIRE) || ckr_has(r, CK_SOURCE, i)) continue;
    CkPos pos;
    memset(&pos, 0, sizeof pos);
    if (t->opened && t->src.ops->position) t->src.ops->position(&t->src, &pos);
    if (pos.n < 0) pos.n = 0;      /* ended owing rows: only after a failure */
    ckr_source(r, i, &pos);
  }
  for (uint32_t s = 0; s < w->nstages; s++)
    for (int j = 0; j < w->stages[s].nsub; j++) {
      Task *t = &w->stages[s].tasks[j];
      if (!__atomic_load_n(&t->done, __ATOMIC_ACQUIRE) || ckr_has(r, CK_STAGE, t->ck_index))
        continue;
      if (stage_report(t, r, e) < 0) return -1;
    }
  for (uint32_t i = 0; i < w->p->nsinks; i++) {
    SinkTask *t = &w->sinks[i];
    if (!__atomic_load_n(&t->done, __ATOMIC_ACQUIRE) || ckr_has(r, CK_SINK, i)) continue;
    ckr_sink(r, i, &t->final);
  }
  return 0;
}

static void human_bytes(int64_t n, char *buf, size_t len) {
  if (n < 0) snprintf(buf, len, "? bytes");
  else if (n < 1024) snprintf(buf, len, "%lld bytes", (long long)n);
  else if (n < 1024 * 1024) snprintf(buf, len, "%.1f KB", (double)n / 1024);
  else if (n < 1024LL * 1024 * 1024) snprintf(buf, len, "%.1f MB", (double)n / (1024 * 1024));
  else snprintf(buf, len, "%.2f GB", (double)n / (1024.0 * 1024 * 1024));
}

/* Take one checkpoint (see "Checkpoints"): begin the round, publish it, let the sources
** inject the barrier, wait for every participant, write the manifest, then run phase 2 of
** the sinks' commits and delete old checkpoints. 0 or -1 (wk_fail). A failed round stays
** in w->round: participants may still be writing to it, so wk_run frees it after joining. */
static int take_checkpoint(Worker *w, int final) {
  char err[1024];
  int64_t e = w->next_epoch++, t0 = mono_ns();
  CkRound *r = ckr_begin(w->store, e, &w->shape, err, sizeof err);
  if (!r) {
    wk_fail(w, "checkpoint %lld: %s", (long long)e, err);
    return -1;
  }
  for (uint32_t i = 0; i < w->p->nsinks; i++) {       /* nothing to align or commit */
    CkPos none;
    memset(&none, 0, sizeof none);
    if (!w->sinks[i].snk.ops->encodes) ckr_sink(r, i, &none);
  }
  __atomic_store_n(&w->round, r, __ATOMIC_RELEASE);
  if (final) __atomic_store_n(&w->final_epoch, e, __ATOMIC_RELEASE);
  __atomic_store_n(&w->trigger, e, __ATOMIC_RELEASE);   /* sources: inject barrier e */
  for (;;) {
    if (failed(w)) return -1;
    if (report_finished(w, r, e) < 0) return -1;
    if (ckr_flush(r) < 0) {          /* the subtasks' snapshots: compressed and written here */
      wk_fail(w, "checkpoint %lld: %s", (long long)e, ckr_error(r));
      return -1;
    }
    int rc = ckr_wait(r, 5000000);
    if (rc == 1) break;
    if (rc < 0) {
      wk_fail(w, "checkpoint %lld: %s", (long long)e, ckr_error(r));
      return -1;
    }
  }
  /* a participant that finished by failing may have "reported": never commit after an error */
  if (failed(w)) return -1;
  CkStats st;
  if (ckr_commit(r, &st, err, sizeof err) < 0) {
    wk_fail(w, "checkpoint %lld: %s", (long long)e, err);
    return -1;
  }
  /* The checkpoint is complete: phase 2 of the sinks' two-phase commit. */
  for (uint32_t i = 0; i < w->p->nsinks; i++) {
    Sink *s = &w->sinks[i].snk;
    err[0] = 0;
    if (s->ops->commit && s->ops->commit(s, e, err, sizeof err) < 0) {
      wk_fail(w, "sink '%s' (%s): commit of checkpoint %lld: %s", s->conn->table,
              s->conn->connector, (long long)e, err);
      return -1;
    }
  }
  __atomic_store_n(&w->round, NULL, __ATOMIC_RELEASE);
  ckr_free(r);
  w->ncheckpoints++;
  w->last_epoch = e;
  if (ckpt_cleanup(w->store, w->opt.ckpt_keep) < 0)
    fprintf(stderr, "arroyo-worker: warning: cleaning up old checkpoints: %s\n", ck_error());
  char size[32];
  human_bytes(st.stored_bytes, size, sizeof size);
  fprintf(stderr, "arroyo-worker: checkpoint %lld: %lld file%s, %s, %lld ms%s\n", (long long)e,
          (long long)st.files, st.files == 1 ? "" : "s", size, (long long)((mono_ns() - t0) / 1000000),
          final ? " (final)" : "");
  return 0;
}

/* The coordinator thread: a checkpoint every interval, and a final one when the sources are
** told to stop; it ends when the pipeline has finished. It polls (stop requests come from a
** signal handler or from the sources' row count) at most every 5 ms. */
static void *coord_main(void *arg) {
  Worker *w = arg;
  name_thread("checkpoints");
  int64_t next = mono_ns() + w->opt.ckpt_interval_ns;
  while (!failed(w) && !all_done(w)) {
    int stop = stop_wanted(w);
    int64_t now = mono_ns();
    if (!stop && now < next) {
      int64_t wait = next - now;
      nap_us(wait > 5000000 ? 5000 : (int)(wait / 1000) + 1);
      continue;
    }
    if (take_checkpoint(w, stop) < 0 || stop) break;
    next = mono_ns() + w->opt.ckpt_interval_ns;
  }
  return NULL;
}

/* ---- load: descriptor checks ------------------------------------------------------------ */

static int check_schema(const RtSchema *sc, const char *role, const char *name, char *err,
                        size_t errlen) {
  if (!sc || sc->row_size < sizeof(RtRowHeader) || (sc->ncols && !sc->cols)) {
    snprintf(err, errlen, "%s '%s': invalid row schema", role, name);
    return -1;
  }
  for (uint32_t i = 0; i < sc->ncols; i++) {
    const RtColumn *col = &sc->cols[i];
    uint32_t width = col->type == RT_TEXT || col->type == RT_JSON || col->type == RT_BYTEA
                     ? (uint32_t)sizeof(RtStr) : 1;
    if (col->offset >= sc->row_size || sc->row_size - col->offset < width ||
        (col->null_offset != UINT32_MAX && col->null_offset >= sc->row_size)) {
      snprintf(err, errlen, "%s '%s': column '%s' lies outside the row", role, name,
               col->name ? col->name : "?");
      return -1;
    }
  }
  return 0;
}

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
  if (check_schema(c->schema, role, c->table, err, errlen) < 0) return -1;
  if (c->event_time_col >= 0 && (uint32_t)c->event_time_col >= c->schema->ncols) {
    snprintf(err, errlen, "%s '%s': event time column %d out of range", role, c->table,
             c->event_time_col);
    return -1;
  }
  return 0;
}

/* Whole string is a non-negative decimal integer that fits int64. */
static int parse_count(const char *s, int64_t *out) {
  int64_t v = 0;
  if (!s || !*s) return -1;
  for (; *s; s++) {
    if (*s < '0' || *s > '9' || v > (INT64_MAX - (*s - '0')) / 10) return -1;
    v = v * 10 + (*s - '0');
  }
  *out = v;
  return 0;
}

/* Stages, ports and edges describe a DAG in which every edge has exactly one producer
** output and one consumer input, and every source is read by some stage. */
static int check_graph(const RtPipeline *p, const RtStage *stages, uint32_t nstages,
                       char *err, size_t errlen) {
  int rc = -1;
  uint32_t *as_in = xcalloc(p->nedges, sizeof *as_in), *as_out = xcalloc(p->nedges, sizeof *as_out);
  uint32_t *src_readers = xcalloc(p->nsources, sizeof *src_readers);
  uint32_t *indeg = xcalloc(nstages, sizeof *indeg), *ready = xcalloc(nstages, sizeof *ready);
  for (uint32_t s = 0; s < nstages; s++) {
    const RtStage *st = &stages[s];
    const char *name = st->name ? st->name : "?";
    if (!st->name || (st->ninputs && (!st->inputs || !st->process)) ||
        (st->noutputs && !st->outputs) || (st->nstates && !st->states)) {
      snprintf(err, errlen, "stage %u ('%s'): incomplete stage descriptor", s, name);
      goto out;
    }
    for (uint32_t k = 0; k < st->ninputs; k++) {
      const RtPort *in = &st->inputs[k];
      if (in->kind == RT_PORT_SOURCE && in->index >= 0 && (uint32_t)in->index < p->nsources) {
        src_readers[in->index]++;
      } else if (in->kind == RT_PORT_EDGE && in->index >= 0 && (uint32_t)in->index < p->nedges &&
                 p->edges[in->index].to_stage == (int32_t)s &&
                 p->edges[in->index].to_input == (int32_t)k) {
        as_in[in->index]++;
      } else {
        snprintf(err, errlen, "stage '%s': input %u (kind %d, index %d) names no source or "
                 "edge into this input", name, k, in->kind, in->index);
        goto out;
      }
    }
    for (uint32_t o = 0; o < st->noutputs; o++) {
      const RtPort *out = &st->outputs[o];
      if (out->kind == RT_PORT_SINK && out->index >= 0 && (uint32_t)out->index < p->nsinks) {
        continue;
      } else if (out->kind == RT_PORT_EDGE && out->index >= 0 &&
                 (uint32_t)out->index < p->nedges &&
                 p->edges[out->index].from_stage == (int32_t)s) {
        as_out[out->index]++;
      } else {
        snprintf(err, errlen, "stage '%s': output %u (kind %d, index %d) names no sink or "
                 "edge out of this stage", name, o, out->kind, out->index);
        goto out;
      }
    }
  }
  for (uint32_t i = 0; i < p->nedges; i++) {
    const RtEdge *e = &p->edges[i];
    char what[32];
    snprintf(what, sizeof what, "%u", i);
    if (e->from_stage < 0 || (uint32_t)e->from_stage >= nstages || e->to_stage < 0 ||
        (uint32_t)e->to_stage >= nstages || as_in[i] != 1 || as_out[i] != 1) {
      snprintf(err, errlen, "edge %u: must join one output of one stage to one input of "
               "another", i);
      goto out;
    }
    if (e->routing != RT_ROUTE_FORWARD && e->routing != RT_ROUTE_HASH &&
        e->routing != RT_ROUTE_SINGLE) {
      snprintf(err, errlen, "edge %u: unknown routing %d", i, e->routing);
      goto out;
    }
    if (check_schema(e->schema, "edge", what, err, errlen) < 0) goto out;
    indeg[e->to_stage]++;
  }
  for (uint32_t i = 0; i < p->nsources; i++)
    if (src_readers[i] == 0) {
      snprintf(err, errlen, "source '%s' is not read by any stage", p->sources[i].table);
      goto out;
    }
  /* Kahn: every stage must come out in some topological order, else there is a cycle
  ** (which would never see end-of-stream). */
  uint32_t nready = 0, done = 0;
  for (uint32_t s = 0; s < nstages; s++) if (indeg[s] == 0) ready[nready++] = s;
  while (nready > 0) {
    uint32_t s = ready[--nready];
    done++;
    for (uint32_t i = 0; i < p->nedges; i++)
      if (p->edges[i].from_stage == (int32_t)s && --indeg[p->edges[i].to_stage] == 0)
        ready[nready++] = (uint32_t)p->edges[i].to_stage;
  }
  if (done != nstages) {
    snprintf(err, errlen, "the stages' edges form a cycle");
    goto out;
  }
  rc = 0;
out:
  free(as_in);
  free(as_out);
  free(src_readers);
  free(indeg);
  free(ready);
  return rc;
}

/* ---- load: the subtask graph ------------------------------------------------------------ */

/* Rows per batch for rows of row_size bytes: batch_rows, but no more than batch_bytes of
** row structs (wide rows make shorter batches), and at least one row. */
static uint32_t batch_rows_for(const Worker *w, uint32_t row_size) {
  size_t n = (size_t)w->opt.batch_rows, by_bytes = w->opt.batch_bytes / row_size;
  if (by_bytes < n) n = by_bytes;
  return n < 1 ? 1 : (uint32_t)n;
}

/* Does producer subtask i (of a source or stage) reach consumer subtask j of n? */
static int reaches(int routing, int i, int j, int n) {
  switch (routing) {
    case RT_ROUTE_HASH: return 1;
    case RT_ROUTE_SINGLE: return j == 0;
    default: return i % n == j;          /* FORWARD, and sources */
  }
}

/* Producers of a stage input: source subtasks, or the producing stage's subtasks. */
static int input_producers(const Worker *w, const RtPort *in, int *routing) {
  if (in->kind == RT_PORT_SOURCE) {
    *routing = RT_ROUTE_FORWARD;
    return w->opt.parallelism;
  }
  const RtEdge *e = &w->p->edges[in->index];
  *routing = e->routing;
  return w->stages[e->from_stage].nsub;
}

static void build_channels(Worker *w, Task *t) {
  const RtStage *st = t->sr->st;
  int n = t->sr->nsub, routing;
  t->chan_map = xcalloc(st->ninputs, sizeof *t->chan_map);
  for (uint32_t k = 0; k < st->ninputs; k++) {
    int np = input_producers(w, &st->inputs[k], &routing);
    for (int i = 0; i < np; i++) t->nchans += (uint32_t)reaches(routing, i, t->sub, n);
  }
  t->chans = xcalloc(t->nchans, sizeof *t->chans);
  uint32_t c = 0;
  for (uint32_t k = 0; k < st->ninputs; k++) {
    int np = input_producers(w, &st->inputs[k], &routing);
    t->chan_map[k] = xcalloc((size_t)np, sizeof **t->chan_map);
    for (int i = 0; i < np; i++) {
      t->chan_map[k][i] = -1;
      if (!reaches(routing, i, t->sub, n)) continue;
      Channel *ch = &t->chans[c];
      ch->wm = INT64_MIN;
      ch->input = (int32_t)k;
      ch->producer = i;
      ch->source = st->inputs[k].kind == RT_PORT_SOURCE;
      t->chan_map[k][i] = (int)c++;
    }
  }
  t->live = t->nchans;
}

static void build_outputs(Worker *w, Task *t) {
  const RtStage *st = t->sr->st;
  t->outs = xcalloc(st->noutputs, sizeof *t->outs);
  t->nouts = st->noutputs;
  for (uint32_t o = 0; o < st->noutputs; o++) {
    const RtPort *port = &st->outputs[o];
    Out *out = &t->outs[o];
    out->kind = port->kind;
    if (port->kind == RT_PORT_SINK) {
      out->sink.t = &w->sinks[port->index];
      out->sink.prod = out->sink.t->nproducers++;
      continue;
    }
    EdgeOut *e = &out->edge;
    e->e = &w->p->edges[port->index];
    e->info = &w->edges[port->index];
    e->hash = e->e->routing == RT_ROUTE_HASH;
    e->row_size = e->e->schema->row_size;
    e->batch_rows = batch_rows_for(w, e->row_size);
    e->plain_size = e->row_size % 8 == 0 && e->row_size <= 128;
    e->plain = e->info->nstrs == 0 && e->plain_size;
    e->nstrs = e->info->nstrs;
    e->strs = e->info->strs;
    StageRt *dst = &w->stages[e->e->to_stage];
    e->dst = dst->tasks;
    e->ndst = (uint32_t)dst->nsub;
    e->fwd = e->e->routing == RT_ROUTE_SINGLE ? 0 : (uint32_t)(t->sub % dst->nsub);
    e->chan = xcalloc(e->ndst, sizeof *e->chan);
    e->cur = xcalloc(e->ndst, sizeof *e->cur);
    int reach = 0;
    for (uint32_t j = 0; j < e->ndst; j++) {
      e->chan[j] = dst->tasks[j].chan_map[e->e->to_input][t->sub];
      reach += e->chan[j] >= 0;
    }
    /* one batch being filled per consumer, about as many in flight */
    e->npool = 2 * reach + 2;
  }
}

static void build_edge_info(Worker *w) {
  const RtPipeline *p = w->p;
  w->edges = xcalloc(p->nedges, sizeof *w->edges);
  for (uint32_t i = 0; i < p->nedges; i++) {
    const RtSchema *sc = p->edges[i].schema;
    EdgeInfo *ei = &w->edges[i];
    ei->strs = xcalloc(sc->ncols, sizeof *ei->strs);
    for (uint32_t c = 0; c < sc->ncols; c++) {
      const RtColumn *col = &sc->cols[c];
      if (col->type != RT_TEXT && col->type != RT_JSON && col->type != RT_BYTEA) continue;
      ei->strs[ei->nstrs].off = col->offset;
      ei->strs[ei->nstrs].null_off = col->nullable ? col->null_offset : UINT32_MAX;
      ei->nstrs++;
    }
  }
}

static void build_sources(Worker *w) {
  const RtPipeline *p = w->p;
  int N = w->opt.parallelism;
  w->srcs = xcalloc(nsrc_tasks(w), sizeof *w->srcs);
  for (uint32_t s = 0; s < p->nsources; s++) {
    const RtConnector *c = &p->sources[s];
    const char *bad = conn_opt(c, "bad_data");
    int64_t idle_us = 0;
    parse_count(conn_opt(c, "idle_micros"), &idle_us);     /* checked in wk_load */
    for (int i = 0; i < N; i++) {
      SourceTask *t = &w->srcs[s * (uint32_t)N + (uint32_t)i];
      t->w = w;
      t->src.conn = c;
      t->src.ops = wk_source_ops(c->connector);
      t->src.subtask = i;
      t->src.parallelism = N;
      t->src.batch_rows = (int)batch_rows_for(w, c->schema->row_size);
      t->src.drop_bad = bad && strcmp(bad, "drop") == 0;
      t->idle_ns = idle_us > INT64_MAX / 1000 ? INT64_MAX : idle_us * 1000;
      for (uint32_t g = 0; g < w->nstages; g++)
        for (uint32_t k = 0; k < w->stages[g].st->ninputs; k++) {
          const RtPort *in = &w->stages[g].st->inputs[k];
          t->ntargets += in->kind == RT_PORT_SOURCE && in->index == (int32_t)s;
        }
      t->targets = xcalloc((size_t)t->ntargets, sizeof *t->targets);
      int n = 0;
      for (uint32_t g = 0; g < w->nstages; g++)
        for (uint32_t k = 0; k < w->stages[g].st->ninputs; k++) {
          const RtPort *in = &w->stages[g].st->inputs[k];
          if (in->kind != RT_PORT_SOURCE || in->index != (int32_t)s) continue;
          Task *dst = &w->stages[g].tasks[i % w->stages[g].nsub];
          t->targets[n].task = dst;
          t->targets[n].chan = dst->chan_map[k][i];
          n++;
        }
    }
  }
}

/* Inline sources (see the header comment): a source subtask whose connector allows it and
** whose only reader is a stage subtask that reads nothing else runs on that subtask's
** thread. */
static void choose_inline(Worker *w) {
  if (w->opt.no_inline) return;
  for (uint32_t i = 0; i < nsrc_tasks(w); i++) {
    SourceTask *t = &w->srcs[i];
    if (!t->src.ops->inline_ok || t->ntargets != 1) continue;
    Task *dst = t->targets[0].task;
    if (dst->nchans != 1 || dst->inl) continue;
    t->inline_task = dst;
    dst->inl = t;
  }
}

/* The ABI 1 shape as one stage: input i = source i, output i = sink i, no state. */
static void synthesize_stage(Worker *w) {
  const RtPipeline *p = w->p;
  w->abi1_ports = xcalloc(p->nsources + p->nsinks, sizeof *w->abi1_ports);
  for (uint32_t i = 0; i < p->nsources; i++) {
    w->abi1_ports[i].kind = RT_PORT_SOURCE;
    w->abi1_ports[i].index = (int32_t)i;
  }
  for (uint32_t i = 0; i < p->nsinks; i++) {
    w->abi1_ports[p->nsources + i].kind = RT_PORT_SINK;
    w->abi1_ports[p->nsources + i].index = (int32_t)i;
  }
  RtStage *st = &w->abi1_stage;
  st->name = "pipeline";
  st->ninputs = p->nsources;
  st->inputs = w->abi1_ports;
  st->noutputs = p->nsinks;
  st->outputs = w->abi1_ports + p->nsources;
  st->process = p->process;
}

/* --checkpoint-dir: open the store, describe the pipeline for checkpoint.c, and with
** --restore open the newest complete checkpoint (checked against this pipeline now, before
** anything runs or any output file is touched). 0, or -1 with err set. */
static int open_checkpoints(Worker *w, char *err, size_t errlen) {
  const RtPipeline *p = w->p;
  char cerr[1536];
  for (uint32_t i = 0; i < p->nsources; i++)
    if (!wk_source_ops(p->sources[i].connector)->position) {
      snprintf(err, errlen, "source '%s': connector '%s' does not support checkpoints",
               p->sources[i].table, p->sources[i].connector);
      return -1;
    }
  w->nsub = xcalloc(w->nstages, sizeof *w->nsub);
  for (uint32_t s = 0; s < w->nstages; s++) w->nsub[s] = w->stages[s].nsub;
  w->shape.p = p;
  w->shape.parallelism = w->opt.parallelism;
  w->shape.nstages = w->nstages;
  w->shape.stages = w->abi1 ? &w->abi1_stage : p->stages;
  w->shape.nsub = w->nsub;
  uint32_t k = 0;
  for (uint32_t s = 0; s < w->nstages; s++)
    for (int j = 0; j < w->stages[s].nsub; j++) w->stages[s].tasks[j].ck_index = k++;
  cerr[0] = 0;
  if (!(w->store = ck_open(w->opt.ckpt_url, cerr, sizeof cerr))) {
    snprintf(err, errlen, "--checkpoint-dir: %s", cerr);
    return -1;
  }
  if (w->opt.restore) {
    int rc = ckrs_open(w->store, &w->shape, &w->rs, cerr, sizeof cerr);
    if (rc == 1) {
      snprintf(err, errlen, "--restore: %s (nothing to restore; run without --restore to "
               "start from the beginning)", cerr);
      return -1;
    }
    if (rc < 0) {
      snprintf(err, errlen, "--restore: %s", cerr);
      return -1;
    }
  }
  if ((w->next_epoch = ckpt_next_epoch(w->store)) < 0) {
    snprintf(err, errlen, "--checkpoint-dir: %s", ck_error());
    return -1;
  }
  return 0;
}

Worker *wk_load(const char *so_path, const WkOptions *opt, char *err, size_t errlen) {
  int64_t loaded_ns = mono_ns();
  WkOptions o = { 1, DEFAULT_BATCH_ROWS, DEFAULT_SINK_FLUSH, DEFAULT_BATCH_BYTES, 0 };
  if (opt) {
    o = *opt;
    if (o.parallelism <= 0) o.parallelism = 1;
    if (o.batch_rows <= 0) o.batch_rows = DEFAULT_BATCH_ROWS;
    if (o.sink_flush_bytes == 0) o.sink_flush_bytes = DEFAULT_SINK_FLUSH;
    if (o.batch_bytes == 0) o.batch_bytes = DEFAULT_BATCH_BYTES;
  }
  if (o.ckpt_interval_ns <= 0) o.ckpt_interval_ns = DEFAULT_CKPT_INTERVAL;
  if (o.ckpt_keep <= 0) o.ckpt_keep = DEFAULT_CKPT_KEEP;
  if (o.restore && !o.ckpt_url) {
    snprintf(err, errlen, "--restore needs --checkpoint-dir (where the checkpoints are)");
    return NULL;
  }
  if (o.parallelism > MAX_PARALLELISM) {
    snprintf(err, errlen, "parallelism %d is more than the maximum %d", o.parallelism,
             MAX_PARALLELISM);
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
  int abi1 = p->nstages == 0;
  if ((p->nsources && !p->sources) || (p->nsinks && !p->sinks) ||
      (abi1 && p->nsources && !p->process) || (!abi1 && (!p->stages || p->process)) ||
      (p->nedges && !p->edges) || (abi1 && p->nedges)) {
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
    const char *idle = conn_opt(c, "idle_micros");
    int64_t us;
    if (idle && parse_count(idle, &us) < 0) {
      snprintf(err, errlen, "source '%s': idle_micros must be a non-negative integer number of "
               "microseconds, not '%s'", c->table, idle);
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

  Worker *w = xcalloc(1, sizeof *w);
  w->opt = o;
  w->loaded_ns = loaded_ns;
  w->budget = o.stop_after;
  w->dl = dl;
  w->p = p;
  w->abi1 = abi1;
  pthread_mutex_init(&w->err_mu, NULL);
  if (abi1) synthesize_stage(w);
  const RtStage *stages = abi1 ? &w->abi1_stage : p->stages;
  w->nstages = abi1 ? 1 : p->nstages;
  if (check_graph(p, stages, w->nstages, err, errlen) < 0) {
    free(w->abi1_ports);
    pthread_mutex_destroy(&w->err_mu);
    free(w);
    goto fail;
  }
  w->sinks = xcalloc(p->nsinks, sizeof *w->sinks);
  for (uint32_t i = 0; i < p->nsinks; i++) {
    SinkTask *t = &w->sinks[i];
    t->w = w;
    t->index = i;
    t->snk.conn = &p->sinks[i];
    t->snk.ops = wk_sink_ops(p->sinks[i].connector);
    t->snk.fd = -1;
    pthread_mutex_init(&t->mu, NULL);
    pthread_cond_init(&t->cv, NULL);
  }
  w->stages = xcalloc(w->nstages, sizeof *w->stages);
  for (uint32_t s = 0; s < w->nstages; s++) {
    StageRt *sr = &w->stages[s];
    sr->st = &stages[s];
    sr->index = (int)s;
    uint32_t maxp = sr->st->max_parallelism;
    sr->nsub = maxp && maxp < (uint32_t)o.parallelism ? (int)maxp : o.parallelism;
    sr->tasks = xcalloc((size_t)sr->nsub, sizeof *sr->tasks);
    for (int j = 0; j < sr->nsub; j++) {
      Task *t = &sr->tasks[j];
      t->w = w;
      t->sr = sr;
      t->sub = j;
      t->cur_chan = -1;
    }
  }
  /* Channels need every stage's subtask count; outputs need the consumers' channels. */
  for (uint32_t s = 0; s < w->nstages; s++)
    for (int j = 0; j < w->stages[s].nsub; j++) build_channels(w, &w->stages[s].tasks[j]);
  build_edge_info(w);
  for (uint32_t s = 0; s < w->nstages; s++)
    for (int j = 0; j < w->stages[s].nsub; j++) build_outputs(w, &w->stages[s].tasks[j]);
  build_sources(w);
  choose_inline(w);
  if (o.ckpt_url && open_checkpoints(w, err, errlen) < 0) {
    wk_free(w);
    return NULL;
  }
  return w;

fail:
  dlclose(dl);
  return NULL;
}

/* ---- run --------------------------------------------------------------------------------- */

static void init_batch(SrcBatch *b, uint32_t row_size, Queue *pool, size_t arena_block) {
  b->row_size = row_size;
  b->pool = pool;
  arena_init(&b->arena, arena_block);
  QMsg m = { QM_BATCH, 0, 0, b };
  if (pool) q_push(pool, &m);
}

/* Contexts, state tables, queues and pools for one stage subtask. -1 after wk_fail. */
static int prepare_task(Worker *w, Task *t) {
  const RtStage *st = t->sr->st;
  t->ctx = rt_ctx_new();
  t->ctx->worker = t;
  t->ctx->subtask = t->sub;
  t->ctx->nsubtasks = t->sr->nsub;
  t->ctx->stage = w->abi1 ? NULL : st;
  t->ctx->watermark = INT64_MIN;
  if (st->nstates > 0) {
    t->ctx->ntables = st->nstates;
    t->ctx->tables = xcalloc(st->nstates, sizeof *t->ctx->tables);
    for (uint32_t i = 0; i < st->nstates; i++)
      if (!(t->ctx->tables[i] = st_new(&st->states[i]))) {
        wk_fail(w, "stage '%s': invalid state table descriptor %u ('%s')", st->name, i,
                st->states[i].name ? st->states[i].name : "?");
        return -1;
      }
  }
  if (w->rs) {
    /* Restored: the watermarks this subtask and its source channels had (the tables are
    ** filled by restore_tables). */
    t->ctx->watermark = ckrs_stage_wm(w->rs, (uint32_t)t->sr->index, t->sub);
    t->restored = 1;
    for (uint32_t i = 0; i < t->nchans; i++) {
      Channel *c = &t->chans[i];
      if (c->source)
        c->wm = ckrs_source_wm(w->rs, (uint32_t)t->sr->index, st->inputs[c->input].index,
                               c->producer);
    }
  }
  /* room for a few messages per channel; producers block beyond that */
  t->in = q_new(4 * (size_t)t->nchans + 8);
  for (uint32_t o = 0; o < st->noutputs; o++) {
    if (t->outs[o].kind != RT_PORT_EDGE) continue;
    EdgeOut *e = &t->outs[o].edge;
    e->free = q_new((size_t)e->npool);
    /* hysteresis: while this subtask waits for a batch it holds at most reach - 1 partial
    ** ones, so at least npool - reach + 1 > npool / 2 are on their way back */
    q_set_pop_wake(e->free, (size_t)e->npool / 2);
    e->pool = xcalloc((size_t)e->npool, sizeof *e->pool);
    for (int k = 0; k < e->npool; k++)
      init_batch(&e->pool[k], e->e->schema->row_size, e->free, 64 * 1024);
  }
  return 0;
}

/* Restore one stage subtask's tables (a thread of restore_tables). */
typedef struct RestoreJob {
  Worker *w;
  Task *t;
  pthread_t th;
  int started;             /* th runs it (else it ran on the calling thread) */
  int rc;                  /* 0 ok, -1 failed (err) */
  char err[1024];
} RestoreJob;

static void *restore_main(void *arg) {
  RestoreJob *j = arg;
  Task *t = j->t;
  j->err[0] = 0;
  j->rc = ckrs_tables(j->w->rs, (uint32_t)t->sr->index, t->sub, t->ctx->tables, t->ctx->ntables,
                      j->err, sizeof j->err);
  return NULL;
}

/* --restore: fill every stage subtask's tables from the checkpoint, the subtasks in parallel
** (each reads the old files it needs: checkpoint.c), then say what was restored. This runs
** before any connector opens, so a failed restore leaves the outputs untouched. -1 after
** wk_fail. */
static int restore_tables(Worker *w) {
  int64_t t0 = mono_ns();
  uint32_t n = 0, k = 0;
  for (uint32_t s = 0; s < w->nstages; s++)
    if (w->stages[s].st->nstates > 0) n += (uint32_t)w->stages[s].nsub;
  RestoreJob *jobs = xcalloc(n, sizeof *jobs);
  for (uint32_t s = 0; s < w->nstages; s++) {
    if (w->stages[s].st->nstates == 0) continue;
    for (int j = 0; j < w->stages[s].nsub; j++, k++) {
      jobs[k].w = w;
      jobs[k].t = &w->stages[s].tasks[j];
      jobs[k].started = pthread_create(&jobs[k].th, NULL, restore_main, &jobs[k]) == 0;
      if (!jobs[k].started) restore_main(&jobs[k]);
    }
  }
  int rc = 0;
  for (k = 0; k < n; k++) {
    if (jobs[k].started) pthread_join(jobs[k].th, NULL);
    if (jobs[k].rc < 0 && rc == 0) {
      wk_fail(w, "--restore: stage '%s' subtask %d: %s", jobs[k].t->sr->st->name,
              jobs[k].t->sub, jobs[k].err);
      rc = -1;
    }
  }
  free(jobs);
  if (rc < 0) return -1;
  CkStats st;
  char size[32];
  ckrs_stats(w->rs, &st);
  human_bytes(st.raw_bytes, size, sizeof size);
  fprintf(stderr, "arroyo-worker: restored checkpoint %lld (parallelism %d -> %d): %lld state "
          "files, %s, %lld ms\n", (long long)ckrs_epoch(w->rs), ckrs_parallelism(w->rs),
          w->opt.parallelism, (long long)st.files, size, (long long)((mono_ns() - t0) / 1000000));
  return 0;
}

/* A source subtask with nothing to read (Source.finished, e.g. single_file beyond subtask
** 0) counts as ended with watermark INT64_MAX at every reader before any thread runs, so
** the stages' watermarks depend on the data only, never on when threads get to run. */
static void finish_source(SourceTask *t) {
  for (int i = 0; i < t->ntargets; i++) {
    Task *dst = t->targets[i].task;
    Channel *c = &dst->chans[t->targets[i].chan];
    c->wm = INT64_MAX;
    c->ended = 1;
    dst->live--;
  }
  t->done = 1;
}

/* Allocate queues and pools, open connectors, create encoders. -1 after wk_fail. */
static int prepare(Worker *w) {
  const RtPipeline *p = w->p;
  char err[1024];
  for (uint32_t s = 0; s < w->nstages; s++)
    for (int j = 0; j < w->stages[s].nsub; j++)
      if (prepare_task(w, &w->stages[s].tasks[j]) < 0) return -1;
  if (w->rs && restore_tables(w) < 0) return -1;
  /* Sources first: a missing input file is reported before any output file is truncated. */
  for (uint32_t i = 0; i < nsrc_tasks(w); i++) {
    SourceTask *t = &w->srcs[i];
    const RtConnector *c = t->src.conn;
    /* inline: one batch, filled again as soon as its stage subtask processed it */
    t->nbatches = t->inline_task ? 1 : SRC_POOL;
    if (!t->inline_task) {
      t->free = q_new(SRC_POOL);
      q_set_pop_wake(t->free, SRC_POOL / 2);  /* wake the source for 2 batches, not 1 */
    }
    t->batches = xcalloc((size_t)t->nbatches, sizeof *t->batches);
    for (int k = 0; k < t->nbatches; k++)
      init_batch(&t->batches[k], c->schema->row_size, t->free, 64 * 1024);
    err[0] = 0;
    if (w->rs) {
      uint32_t src = i / (uint32_t)w->opt.parallelism;
      t->src.resume = ckrs_source(w->rs, src, t->src.subtask);
      t->src.resume_all = ckrs_sources(w->rs, src, &t->src.resume_n);
    }
    if (t->src.ops->open(&t->src, err, sizeof err) < 0) {
      wk_fail(w, "source '%s' (%s): %s", c->table, c->connector, err);
      return -1;
    }
    t->opened = 1;
    if (t->src.finished) finish_source(t);
  }
  for (uint32_t i = 0; i < p->nsinks; i++) {
    SinkTask *t = &w->sinks[i];
    if (t->snk.ops->encodes) {
      /* one buffer being filled per producer plus SINK_POOL in flight; room in `data` for
      ** every buffer plus one QM_EOS per producer, so pushes to it never wait for the
      ** writer: producers wait on the `free` pool instead */
      t->nbufs = SINK_POOL + t->nproducers;
      /* ... plus one barrier per producer: a producer waits for the sink's alignment before
      ** it sends more data after a barrier (wait_sink), so it has at most one queued */
      t->data = q_new((size_t)t->nbufs + 2 * (size_t)t->nproducers);
      t->barrier = xcalloc((size_t)t->nproducers, sizeof *t->barrier);
      t->ended = xcalloc((size_t)t->nproducers, sizeof *t->ended);
      t->free = q_new((size_t)t->nbufs);
      /* a producer waiting here holds no buffer and the others one each: at least
      ** SINK_POOL + 1 are on their way back */
      q_set_pop_wake(t->free, SINK_POOL / 2);
      t->bufs = xcalloc((size_t)t->nbufs, sizeof *t->bufs);
      for (int k = 0; k < t->nbufs; k++) {
        buf_reserve(&t->bufs[k], w->opt.sink_flush_bytes + 4096);
        QMsg m = { QM_BATCH, 0, 0, &t->bufs[k] };
        q_push(t->free, &m);
      }
    }
  }
  for (uint32_t s = 0; s < w->nstages; s++)
    for (int j = 0; j < w->stages[s].nsub; j++) {
      Task *t = &w->stages[s].tasks[j];
      for (uint32_t o = 0; o < t->sr->st->noutputs; o++) {
        SinkOut *so = &t->outs[o].sink;
        if (t->outs[o].kind != RT_PORT_SINK || !so->t->snk.ops->encodes) continue;
        const RtConnector *c = so->t->snk.conn;
        err[0] = 0;
        so->enc = enc_new(c, err, sizeof err);
        if (!so->enc) {
          wk_fail(w, "sink '%s' (%s): %s", c->table, c->connector, err[0] ? err : "no encoder");
          return -1;
        }
      }
    }
  for (uint32_t i = 0; i < p->nsinks; i++) {
    SinkTask *t = &w->sinks[i];
    const RtConnector *c = t->snk.conn;
    err[0] = 0;
    if (w->rs) t->snk.resume = ckrs_sink(w->rs, i);      /* truncate back to the checkpoint */
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
      ok = t->started = start(w, &t->th, sink_main, t, "sink writer") == 0;
    }
    for (uint32_t s = 0; ok && s < w->nstages; s++)
      for (int j = 0; ok && j < w->stages[s].nsub; j++) {
        Task *t = &w->stages[s].tasks[j];
        ok = t->started = start(w, &t->th, task_main, t, "stage") == 0;
      }
    for (uint32_t i = 0; ok && i < nsrc_tasks(w); i++) {
      SourceTask *t = &w->srcs[i];
      if (t->inline_task || t->src.finished) continue;   /* inline: on its stage's thread */
      ok = t->started = start(w, &t->th, source_main, t, "source") == 0;
    }
    if (ok && ckpt_on(w))
      w->coord_started = start(w, &w->coord, coord_main, w, "checkpoint coordinator") == 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    for (uint32_t i = 0; i < nsrc_tasks(w); i++)
      if (w->srcs[i].started) { pthread_join(w->srcs[i].th, NULL); w->srcs[i].started = 0; }
    for (uint32_t s = 0; s < w->nstages; s++)
      for (int j = 0; j < w->stages[s].nsub; j++) {
        Task *t = &w->stages[s].tasks[j];
        if (t->started) { pthread_join(t->th, NULL); t->started = 0; }
      }
    for (uint32_t i = 0; i < p->nsinks; i++)
      if (w->sinks[i].started) { pthread_join(w->sinks[i].th, NULL); w->sinks[i].started = 0; }
    if (w->coord_started) { pthread_join(w->coord, NULL); w->coord_started = 0; }
  }
  /* A round that failed stays until every thread that might report to it has been joined. */
  ckr_free(w->round);
  w->round = NULL;
  ckrs_free(w->rs);
  w->rs = NULL;
  /* Close whatever is still open (after an error; on success writers closed their sinks). */
  for (uint32_t i = 0; i < nsrc_tasks(w); i++) {
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
  const RtPipeline *p = w->p;
  int N = w->opt.parallelism;
  for (uint32_t i = 0; i < p->nsources; i++) {
    int64_t read = 0, dropped = 0;
    for (int k = 0; k < N; k++) {
      read += w->srcs[i * (uint32_t)N + (uint32_t)k].src.rows_read;
      dropped += w->srcs[i * (uint32_t)N + (uint32_t)k].src.rows_dropped;
    }
    fprintf(out, "arroyo-worker: source '%s' (%s): %lld rows read, %lld dropped as bad data\n",
            p->sources[i].table, p->sources[i].connector, (long long)read, (long long)dropped);
  }
  /* Late rows are data that was dropped: never silent. ABI 1 pipelines have no stages to
  ** report, so their line appears only when something was dropped. */
  for (uint32_t s = 0; s < w->nstages; s++) {
    const StageRt *sr = &w->stages[s];
    int64_t late = 0, in = 0;
    for (int j = 0; j < sr->nsub; j++) {
      in += sr->tasks[j].rows_in;
      if (sr->tasks[j].ctx) late += sr->tasks[j].ctx->late_rows;
    }
    if (w->abi1 && late == 0) continue;
    fprintf(out, "arroyo-worker: stage '%s': %lld late rows dropped (%d subtask%s, %lld rows in",
            sr->st->name, (long long)late, sr->nsub, sr->nsub == 1 ? "" : "s", (long long)in);
    if (sr->st->nstates > 0) {
      StStats sum = { 0 };
      for (int j = 0; j < sr->nsub; j++) {
        const RtCtx *ctx = sr->tasks[j].ctx;
        for (uint32_t k = 0; ctx && k < ctx->ntables; k++) {
          StStats one;
          if (!ctx->tables[k]) continue;
          st_stats(ctx->tables[k], &one);
          sum.entries += one.entries;
          sum.bytes += one.bytes;
          sum.expired += one.expired;
        }
      }
      fprintf(out, "; state: %lld entries, %lld KB, %lld expired", (long long)sum.entries,
              (long long)(sum.bytes + 1023) / 1024, (long long)sum.expired);
    }
    fprintf(out, ")\n");
  }
  for (uint32_t i = 0; i < p->nsinks; i++) {
    int64_t rows = 0, retracts = 0;
    for (uint32_t s = 0; s < w->nstages; s++)
      for (int j = 0; j < w->stages[s].nsub; j++) {
        const Task *t = &w->stages[s].tasks[j];
        for (uint32_t o = 0; o < t->sr->st->noutputs; o++)
          if (t->outs[o].kind == RT_PORT_SINK && t->outs[o].sink.t == &w->sinks[i]) {
            rows += t->outs[o].sink.rows;
            retracts += t->outs[o].sink.retracts;
          }
      }
    fprintf(out, "arroyo-worker: sink '%s' (%s): %lld rows written", p->sinks[i].table,
            p->sinks[i].connector, (long long)rows);
    /* A sink that only counts cannot show its retractions in its output: say how many. */
    if (p->sinks[i].updating && !w->sinks[i].snk.ops->encodes)
      fprintf(out, " (%lld insertions, %lld retractions)", (long long)(rows - retracts),
              (long long)retracts);
    fputc('\n', out);
  }
  if (w->store) {
    if (w->ncheckpoints > 0)
      fprintf(out, "arroyo-worker: checkpoints: %lld taken, the last one %lld, in %s; %lld "
              "messages held back while aligning barriers\n", (long long)w->ncheckpoints,
              (long long)w->last_epoch, ck_url(w->store), (long long)w->held);
    else
      fprintf(out, "arroyo-worker: checkpoints: none taken, in %s\n", ck_url(w->store));
  }
}

static void free_batches(SrcBatch *b, int n) {
  for (int k = 0; b && k < n; k++) {
    free(b[k].rows);
    buf_free(&b[k].input);
    arena_free(&b[k].arena);
  }
  free(b);
}

void wk_free(Worker *w) {
  if (!w) return;
  const RtPipeline *p = w->p;
  for (uint32_t i = 0; i < nsrc_tasks(w); i++) {
    SourceTask *t = &w->srcs[i];
    if (t->opened) t->src.ops->close(&t->src);
    free_batches(t->batches, t->nbatches);
    q_free(t->free);
    free(t->targets);
  }
  for (uint32_t i = 0; i < p->nsinks; i++) {
    SinkTask *t = &w->sinks[i];
    char err[256];
    if (t->opened) t->snk.ops->close(&t->snk, err, sizeof err);
    if (t->bufs) for (int k = 0; k < t->nbufs; k++) buf_free(&t->bufs[k]);
    free(t->bufs);
    q_free(t->data);
    q_free(t->free);
    free(t->barrier);
    free(t->ended);
    pthread_mutex_destroy(&t->mu);
    pthread_cond_destroy(&t->cv);
  }
  for (uint32_t s = 0; s < w->nstages; s++) {
    StageRt *sr = &w->stages[s];
    for (int j = 0; j < sr->nsub; j++) {
      Task *t = &sr->tasks[j];
      for (uint32_t o = 0; t->outs && o < sr->st->noutputs; o++) {
        Out *out = &t->outs[o];
        if (out->kind == RT_PORT_SINK) {
          if (out->sink.enc) enc_free(out->sink.enc);
          continue;
        }
        free_batches(out->edge.pool, out->edge.npool);
        q_free(out->edge.free);
        free(out->edge.chan);
        free(out->edge.cur);
      }
      free(t->outs);
      for (uint32_t k = 0; t->chan_map && k < sr->st->ninputs; k++) free(t->chan_map[k]);
      free(t->chan_map);
      free(t->chans);
      free(t->stash);
      q_free(t->in);
      if (t->ctx) {
        for (uint32_t k = 0; k < t->ctx->ntables; k++) st_free(t->ctx->tables[k]);
        free(t->ctx->tables);
        t->ctx->tables = NULL;
      }
      rt_ctx_free(t->ctx);
    }
    free(sr->tasks);
  }
  for (uint32_t i = 0; w->edges && i < p->nedges; i++) free(w->edges[i].strs);
  free(w->edges);
  free(w->stages);
  free(w->srcs);
  free(w->sinks);
  free(w->abi1_ports);
  ckr_free(w->round);
  ckrs_free(w->rs);
  ck_close(w->store);
  free(w->nsub);
  pthread_mutex_destroy(&w->err_mu);
  dlclose(w->dl);
  free(w);
}

int64_t wk_checkpoints(const Worker *w) { return w->ncheckpoints; }
