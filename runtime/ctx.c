/*
** runtime/ctx.c: RtCtx, the per-subtask context generated code receives.
**
** Holds the per-batch scratch arena behind rt->alloc, the first error recorded by a runtime
** function or generated code (rt->error), the batch's fixed now(), and caches owned by
** function families (compiled regexes), and the tables of lookup joins (lookup.c). It does
** not own threads, queues or connectors.
*/
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "runtime.h"

RtCtx *rt_ctx_new(void) {
  RtCtx *ctx = calloc(1, sizeof *ctx);
  if (!ctx) { fprintf(stderr, "arroyo: out of memory\n"); abort(); }
  arena_init(&ctx->scratch, 256 * 1024);
  ctx->now_ns = rt_wall_clock_ns();
  ctx->seq_next = ctx->now_ns;   /* later than any number of an earlier run: see rt->next_seq */
  return ctx;
}

void rt_ctx_free(RtCtx *ctx) {
  if (!ctx) return;
  arena_free(&ctx->scratch);
  regex_cache_free(ctx->regex);
  for (int i = 0; i < ctx->nlookups; i++) rt_lookup_free(ctx->lookups[i]);
  free(ctx->lookups);
  free(ctx);
}

void rt_ctx_begin_batch(RtCtx *ctx) {
  arena_reset(&ctx->scratch);
  ctx->now_ns = rt_wall_clock_ns();
}

void *rt_alloc(RtCtx *ctx, int64_t n) {
  return arena_alloc(&ctx->scratch, n > 0 ? (size_t)n : 1);
}

int rt_verror(RtCtx *ctx, const char *where, const char *fmt, va_list ap) {
  if (ctx->failed) return RT_ERR;          /* keep the first error: later ones are fallout */
  size_t off = 0;
  if (where && *where) off = (size_t)snprintf(ctx->err, sizeof ctx->err, "%s: ", where);
  if (off < sizeof ctx->err) vsnprintf(ctx->err + off, sizeof ctx->err - off, fmt, ap);
  ctx->failed = 1;
  return RT_ERR;
}

int rt_error(RtCtx *ctx, const char *where, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  rt_verror(ctx, where, fmt, ap);
  va_end(ap);
  return RT_ERR;
}

int64_t rt_now(RtCtx *ctx) { return ctx->now_ns; }

int64_t rt_next_seq(RtCtx *ctx) { return ctx->seq_next++; }

int64_t rt_wall_clock_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
