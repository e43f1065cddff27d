/*
** connectors/impulse.c: Arroyo's impulse source, a generator of (counter, subtask_index) rows.
**
** Columns (in this order in the schema the compiler passes): counter BIGINT UNSIGNED NOT NULL,
** subtask_index BIGINT UNSIGNED NOT NULL. Options:
**   event_rate           events per second (float), paced by the wall clock;
**                        0 (or >= 1e9) means as fast as possible
**   message_count        stop after this many rows (bounded source); absent: unbounded
**   event_time_interval  microseconds: event time = start_time + counter * interval;
**                        absent: event time = wall clock when the batch is made
**   start_time           RFC 3339 text or integer nanoseconds since the epoch; default now
**
** Pacing: event i is due at t0 + i / event_rate. A fill emits every event already due (at
** most batch_rows), once a full batch is due or the next event is due and 5 ms passed since
** the previous batch: fast rates produce full batches, medium rates one batch per 5 ms, slow
** rates each row on time. While waiting it sleeps at most 50 ms (so stop requests are seen)
** and returns an empty batch. Unbounded impulse sources end only on a stop request (SIGINT/SIGTERM).
**
** Cost: it is a generator (inline_ok = 1), so the worker usually calls fill on the thread of
** the stage that reads it. Rows of the usual layout (header, counter, subtask_index, no null
** flags) are written field by field; any other layout is zeroed first.
**
** Checkpoints: the position is (next counter, start time of counter 0), so a restored
** subtask continues its counter and its event times; pacing restarts as if the restored
** counters had been emitted on schedule up to now. At another parallelism, new subtask i takes
** old subtask i's position; subtasks the old run did not have start from 0.
**
** Parallelism, as Arroyo's impulse source does it (arroyo-connectors impulse/operator.rs):
** each of the N subtasks is its own generator. Subtask i writes subtask_index = i and counts
** its own counter from 0; event_rate is the total rate, so each subtask runs at
** event_rate / N; message_count is per subtask (Arroyo's `limit` is not divided), so a
** bounded impulse makes N * message_count rows in all, and subtasks share event times
** (start_time + counter * event_time_interval).
*/
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../runtime/runtime.h"

#define UNTHROTTLED_RATE 1e9
#define MAX_SLEEP_NS 50000000LL      /* 50 ms: how late a stop request may be noticed */
#define MIN_BATCH_GAP_NS 5000000LL   /* paced: at most one partial batch per 5 ms */

typedef struct Impulse {
  double rate;             /* events per second; 0 = unthrottled */
  int bounded;             /* message_count given */
  uint64_t count;          /* message_count */
  int has_interval;        /* event_time_interval given */
  int64_t interval_ns;     /* event time step per counter */
  int64_t start_ns;        /* event time of counter 0 (with an interval) */
  int64_t t0;              /* wall clock when the source started (for pacing) */
  int64_t last_emit;       /* wall clock of the previous paced batch */
  uint64_t next;           /* next counter value */
  uint32_t off_counter;    /* row offsets of the two columns */
  uint32_t off_subtask;
  uint32_t null_counter;   /* null flag offsets, UINT32_MAX when NOT NULL */
  uint32_t null_subtask;
  int dense;               /* the header and the two NOT NULL columns are the whole row */
} Impulse;

/* Whole string is a non-negative decimal integer. */
static int parse_u64(const char *s, uint64_t *out) {
  if (!s || !*s) return -1;
  uint64_t v = 0;
  for (const char *p = s; *p; p++) {
    if (*p < '0' || *p > '9') return -1;
    uint64_t d = (uint64_t)(*p - '0');
    if (v > (UINT64_MAX - d) / 10) return -1;
    v = v * 10 + d;
  }
  *out = v;
  return 0;
}

static int find_col(const RtSchema *sc, const char *name, int fallback, uint32_t *off,
                    uint32_t *null_off, char *err, size_t errlen) {
  int idx = -1;
  for (uint32_t i = 0; i < sc->ncols; i++)
    if (sc->cols[i].name && strcmp(sc->cols[i].name, name) == 0) { idx = (int)i; break; }
  if (idx < 0 && (uint32_t)fallback < sc->ncols) idx = fallback;
  if (idx < 0) { snprintf(err, errlen, "schema has no column '%s'", name); return -1; }
  const RtColumn *c = &sc->cols[idx];
  if (c->type != RT_U64 && c->type != RT_I64) {
    snprintf(err, errlen, "column '%s' must be BIGINT UNSIGNED", name);
    return -1;
  }
  *off = c->offset;
  *null_off = c->nullable ? c->null_offset : UINT32_MAX;
  return 0;
}

static int imp_open(Source *s, char *err, size_t errlen) {
  Impulse *im = calloc(1, sizeof *im);
  if (!im) { fprintf(stderr, "arroyo: out of memory\n"); abort(); }
  const char *v;
  if ((v = conn_opt(s->conn, "event_rate")) != NULL) {
    char *end;
    errno = 0;
    im->rate = strtod(v, &end);
    if (end == v || *end || errno || !(im->rate >= 0) || isinf(im->rate)) {
      snprintf(err, errlen, "event_rate must be a non-negative number, not '%s'", v);
      goto fail;
    }
    if (im->rate >= UNTHROTTLED_RATE) im->rate = 0;
    if (s->parallelism > 1) im->rate /= s->parallelism;     /* the total rate is shared */
  }
  if ((v = conn_opt(s->conn, "message_count")) != NULL) {
    if (parse_u64(v, &im->count) < 0) {
      snprintf(err, errlen, "message_count must be a non-negative integer, not '%s'", v);
      goto fail;
    }
    im->bounded = 1;
  }
  if ((v = conn_opt(s->conn, "event_time_interval")) != NULL) {
    uint64_t us;
    if (parse_u64(v, &us) < 0 || us > (uint64_t)INT64_MAX / 1000) {
      snprintf(err, errlen, "event_time_interval must be an integer number of microseconds, "
               "not '%s'", v);
      goto fail;
    }
    im->has_interval = 1;
    im->interval_ns = (int64_t)us * 1000;
  }
  im->t0 = rt_wall_clock_ns();
  im->start_ns = im->t0;
  if ((v = conn_opt(s->conn, "start_time")) != NULL) {
    uint64_t ns;
    if (parse_u64(v, &ns) == 0 && ns <= (uint64_t)INT64_MAX) im->start_ns = (int64_t)ns;
    else if (ts_parse(v, strlen(v), &im->start_ns) < 0) {
      snprintf(err, errlen, "start_time must be an RFC 3339 timestamp or integer nanoseconds, "
               "not '%s'", v);
      goto fail;
    }
  }
  if (s->resume && s->resume->n >= 2) {
    im->next = (uint64_t)s->resume->v[0];
    im->start_ns = s->resume->v[1];
    if (im->rate > 0) im->t0 -= (int64_t)((double)im->next * 1e9 / im->rate);
  }
  if (find_col(s->conn->schema, "counter", 0, &im->off_counter, &im->null_counter, err,
               errlen) < 0 ||
      find_col(s->conn->schema, "subtask_index", 1, &im->off_subtask, &im->null_subtask, err,
               errlen) < 0)
    goto fail;
  /* header (24 bytes) + counter + subtask_index, no null flags: fill writes every byte */
  im->dense = s->conn->schema->row_size == sizeof(RtRowHeader) + 16 &&
              im->null_counter == UINT32_MAX && im->null_subtask == UINT32_MAX &&
              im->off_counter >= sizeof(RtRowHeader) && im->off_subtask >= sizeof(RtRowHeader) &&
              im->off_counter != im->off_subtask;
  s->state = im;
  return 0;
fail:
  free(im);
  return -1;
}

static void sleep_ns(int64_t ns) {
  if (ns <= 0) return;
  if (ns > MAX_SLEEP_NS) ns = MAX_SLEEP_NS;
  struct timespec ts = { (time_t)(ns / 1000000000), (long)(ns % 1000000000) };
  nanosleep(&ts, NULL);
}

/* Wall clock time at which counter i is due (rounded up, so "due_at(i) <= now" is exact). */
static int64_t due_at(const Impulse *im, uint64_t i) {
  return im->t0 + (int64_t)ceil((double)i * 1e9 / im->rate);
}

/* Number of counters due at `now`: the first k with due_at(k) > now. The float estimate is
** corrected against due_at so both agree exactly. */
static uint64_t due_count(const Impulse *im, int64_t now) {
  if (now < im->t0) return 0;
  uint64_t k = (uint64_t)((double)(now - im->t0) * im->rate / 1e9) + 1;
  while (due_at(im, k) <= now) k++;
  while (k > 0 && due_at(im, k - 1) > now) k--;
  return k;
}

static int imp_fill(Source *s, SrcBatch *b, char *err, size_t errlen) {
  Impulse *im = s->state;
  if (im->bounded && im->next >= im->count) return SRC_END;
  uint64_t n = (uint64_t)s->batch_rows;
  if (im->bounded && im->count - im->next < n) n = im->count - im->next;
  if (s->limit >= 0 && (uint64_t)s->limit < n) n = (uint64_t)s->limit;
  if (n == 0) return SRC_MORE;
  int64_t now = rt_wall_clock_ns();
  if (im->rate > 0) {
    /* Emit when a full batch is due, or when the next event is due but no sooner than
    ** MIN_BATCH_GAP after the previous batch: slow rates get every row on time, medium
    ** rates get one batch per gap instead of a batch per row. */
    int64_t target = due_at(im, im->next + n - 1);
    int64_t soon = due_at(im, im->next);
    if (soon < im->last_emit + MIN_BATCH_GAP_NS) soon = im->last_emit + MIN_BATCH_GAP_NS;
    if (soon < target) target = soon;
    if (target > now) {
      sleep_ns(target - now);                   /* at most MAX_SLEEP_NS */
      now = rt_wall_clock_ns();
      if (now < target) return SRC_MORE;        /* let the worker look for a stop request */
    }
    uint64_t due = due_count(im, now);
    if (due <= im->next) return SRC_MORE;
    if (due - im->next < n) n = due - im->next;
    im->last_emit = now;
  }
  char *rows = srcb_reserve(b, (int64_t)n);
  uint32_t rs = b->row_size;
  /* Event time: start + counter * interval, or the batch's wall clock time. Unsigned steps
  ** give the same values as the product. */
  uint64_t ts = im->has_interval ? (uint64_t)im->start_ns + im->next * (uint64_t)im->interval_ns
                                 : (uint64_t)now;
  uint64_t step = im->has_interval ? (uint64_t)im->interval_ns : 0;
  uint64_t sub = (uint64_t)s->subtask, c = im->next, zero = 0;
  uint32_t off_c = im->off_counter, off_s = im->off_subtask;   /* not reloaded per row */
  /* Not dense: zero the rest of the rows (null flags 0 = not null, padding) first. */
  if (!im->dense) memset(rows, 0, (size_t)n * rs);
  /* The header word by word (ts, hash = 0, retract + padding = 0): building an RtRowHeader
  ** on the stack and copying it would read back a just-written word every row. */
  _Static_assert(sizeof(RtRowHeader) == 24, "RtRowHeader is three words");
  for (uint64_t i = 0; i < n; i++, c++, ts += step) {
    char *r = rows + i * rs;
    memcpy(r, &ts, 8);
    memcpy(r + 8, &zero, 8);
    memcpy(r + 16, &zero, 8);
    memcpy(r + off_c, &c, 8);
    memcpy(r + off_s, &sub, 8);
  }
  b->n = (int64_t)n;
  im->next += n;
  return im->bounded && im->next >= im->count ? SRC_END : SRC_MORE;
}

static void imp_close(Source *s) {
  free(s->state);
  s->state = NULL;
}

static void imp_position(Source *s, CkPos *out) {
  const Impulse *im = s->state;
  out->n = 2;
  out->v[0] = (int64_t)im->next;
  out->v[1] = im->start_ns;
}

const SourceOps src_impulse = { "impulse", imp_open, imp_fill, imp_close, 1, imp_position };
