/*
** bench/filter_project/probe.c: diagnostic runs that split the worker's time into parts.
** Not a benchmark of its own; bench/filter_project/run.sh prints its rows as "diag".
**
**   probe driver PIPELINE.so N [BATCH]
**       One thread, no queues: fill impulse-shaped batches (BATCH rows, default 1024) the
**       way connectors/impulse.c does (memset, counter, subtask_index, ts), call the
**       pipeline's process() on each, and count rows in a minimal emit() (one increment;
**       the ABI 2 watermark calls are no-ops).
**       The difference to the hand-written loop is the generated code plus row
**       materialization; the difference to the worker is threads, queues and rt_emit.
**       The pipeline's first source must have the impulse schema.
**   probe worker PIPELINE.so BATCH
**       The real worker (wk_load / wk_run from build/libruntime.a) with WkOptions.batch_rows
**       = BATCH, which arroyo-worker does not expose: how much the batch hand-offs cost.
**
** Prints "rows_out=M" on stdout. It only calls public entry points of the runtime
** (runtime.h, abi.h) and changes nothing in it.
*/
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "abi.h"
#include "runtime.h"

static int64_t emitted;

static int probe_emit(RtCtx *ctx, int port, const void *row) {
  (void)ctx; (void)port; (void)row;
  emitted++;
  return 0;
}

static int probe_error(RtCtx *ctx, const char *where, const char *fmt, ...) {
  va_list ap;
  (void)ctx;
  fprintf(stderr, "probe: %s: ", where ? where : "pipeline");
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  return RT_ERR;
}

static char scratch[1 << 16];
static void *probe_alloc(RtCtx *ctx, int64_t n) {   /* never called by the impulse query */
  (void)ctx;
  return n <= (int64_t)sizeof scratch ? scratch : NULL;
}

static int64_t probe_now(RtCtx *ctx) {
  struct timespec ts;
  (void)ctx;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

#if RT_ABI_VERSION >= 2
static void probe_source_watermark(RtCtx *ctx, int input, int64_t wm) {
  (void)ctx; (void)input; (void)wm;
}
static int64_t probe_current_watermark(RtCtx *ctx) { (void)ctx; return INT64_MIN; }
static void probe_count_late(RtCtx *ctx, int64_t n) { (void)ctx; (void)n; }
#endif

static int col_offset(const RtSchema *s, const char *name, uint32_t *off) {
  for (uint32_t i = 0; i < s->ncols; i++)
    if (strcmp(s->cols[i].name, name) == 0) { *off = s->cols[i].offset; return 0; }
  return -1;
}

static int run_driver(const char *so, uint64_t n, int batch_rows) {
  char path[4096];
  /* dlopen searches the library path for a bare name */
  snprintf(path, sizeof path, "%s%s", strchr(so, '/') ? "" : "./", so);
  void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!dl) { fprintf(stderr, "probe: %s\n", dlerror()); return 1; }
  RtEntryFn entry = (RtEntryFn)dlsym(dl, RT_ENTRY_SYMBOL);
  if (!entry) { fprintf(stderr, "probe: no %s in %s\n", RT_ENTRY_SYMBOL, so); return 1; }
  static RtApi api;   /* members the benchmark queries do not use stay NULL */
  api.abi_version = RT_ABI_VERSION;
  api.size = sizeof api;
  api.alloc = probe_alloc;
  api.emit = probe_emit;
  api.error = probe_error;
  api.now = probe_now;
#if RT_ABI_VERSION >= 2
  api.source_watermark = probe_source_watermark;   /* a source stage reports one per batch */
  api.current_watermark = probe_current_watermark;
  api.count_late = probe_count_late;
#endif
  const RtPipeline *p = entry(&api);
  if (!p || p->abi_version < 1 || p->abi_version > RT_ABI_VERSION || p->nsources < 1) {
    fprintf(stderr, "probe: %s: bad descriptor (ABI %u, probe built for %u)\n", so,
            p ? p->abi_version : 0, RT_ABI_VERSION);
    return 1;
  }
  /* ABI 1: one fused process(); ABI 2 may describe a single stage reading the source. */
  int (*process)(RtCtx *, int, const RtBatch *) = p->process;
  int input = p->sources[0].port;
#if RT_ABI_VERSION >= 2
  if (!process && p->abi_version >= 2 && p->nstages == 1 && p->stages[0].ninputs == 1 &&
      p->stages[0].inputs[0].kind == RT_PORT_SOURCE && p->stages[0].inputs[0].index == 0) {
    process = p->stages[0].process;
    input = 0;
  }
#endif
  if (!process) {
    fprintf(stderr, "probe: %s: only single-stage pipelines are supported\n", so);
    return 1;
  }
  const RtSchema *s = p->sources[0].schema;
  uint32_t off_counter, off_subtask;
  if (col_offset(s, "counter", &off_counter) < 0 || col_offset(s, "subtask_index", &off_subtask) < 0) {
    fprintf(stderr, "probe: source '%s' is not an impulse table\n", p->sources[0].table);
    return 1;
  }
  uint32_t rs = s->row_size;
  char *rows = malloc((size_t)batch_rows * rs);
  if (!rows) { fprintf(stderr, "probe: out of memory\n"); return 1; }
  uint64_t next = 0, sub = 0;
  RtCtx *ctx = (RtCtx *)&api;   /* opaque to generated code; only handed back to the api */
  while (next < n) {
    uint64_t k = n - next < (uint64_t)batch_rows ? n - next : (uint64_t)batch_rows;
    int64_t now = probe_now(ctx);
    memset(rows, 0, (size_t)k * rs);
    for (uint64_t i = 0; i < k; i++) {
      char *r = rows + i * rs;
      uint64_t c = next + i;
      memcpy(r + off_counter, &c, 8);
      memcpy(r + off_subtask, &sub, 8);
      ((RtRowHeader *)r)->ts = now;
    }
    RtBatch b = { rows, (int64_t)k, rs, 0 };
    if (process(ctx, input, &b) < 0) return 1;
    next += k;
  }
  printf("rows_out=%lld\n", (long long)emitted);
  free(rows);
  return 0;
}

static int run_worker(const char *so, int batch_rows) {
  WkOptions opt = { 1, batch_rows, 0 };
  char err[2048];
  err[0] = 0;
  Worker *w = wk_load(so, &opt, err, sizeof err);
  if (!w) { fprintf(stderr, "probe: %s\n", err); return 1; }
  int rc = wk_run(w);
  if (rc < 0) fprintf(stderr, "probe: %s\n", wk_error(w));
  wk_summary(w, stderr);
  wk_free(w);
  return rc < 0 ? 1 : 0;
}

int main(int argc, char **argv) {
  if ((argc == 4 || argc == 5) && strcmp(argv[1], "driver") == 0)
    return run_driver(argv[2], strtoull(argv[3], NULL, 10), argc == 5 ? atoi(argv[4]) : 1024);
  if (argc == 4 && strcmp(argv[1], "worker") == 0) return run_worker(argv[2], atoi(argv[3]));
  fprintf(stderr, "usage: probe driver PIPELINE.so N [BATCH] | probe worker PIPELINE.so BATCH\n");
  return 2;
}
