/*
** connectors/nexmark.c: Arroyo's nexmark source, the Nexmark auction event stream.
**
** Columns (the registry's default_columns, Arroyo's schema): person, auction and bid, three
** nullable STRUCT columns; each row holds exactly one event, so exactly one of them is
** non-NULL. The events themselves come from the deterministic generator in nexmark_gen.c;
** docs/nexmark.md specifies the stream and the options. Options:
**   event_rate   events per second in all (float, at most 1e9): sets the event time
**                between consecutive events (floor(1e9 / event_rate) ns) and the wall-clock
**                pace. Required unless unthrottled = 'true' (then default 10,000,000).
**                0 means unthrottled at that default, as impulse's event_rate = '0' does.
**   runtime      seconds (float >= 0): a bounded stream of floor(event_rate * runtime) events
**   max_events   integer: a bounded stream of at most this many events in all
**   unthrottled  'true': do not pace by the wall clock, generate as fast as the pipeline
**                consumes (event times still follow event_rate); default 'false'
**   base_time    event time of event 0: RFC 3339 text or integer ns; default: when the
**                source opened (one value shared by all subtasks of the table)
**
** Rows: each event fills the struct column of its kind, field by field through the struct's
** RtSchema (RtColumn.fields; fields are found by name, so any field order or subset works),
** and sets the null flags of the other two struct columns. Header ts = the event's datetime.
** Strings point into the batch arena (written there by the generator, in 32 KB chunks) or
** into the generator's static tables (names, cities, channels), which live until exit.
**
** Parallelism: the stream is one sequence of event numbers 0, 1, 2, ...; subtask i of N
** generates the numbers n with n % N == i. Since an event is a function of its number, the
** union of the subtasks' rows is the parallelism-1 stream whatever N is, and all subtasks
** advance through event time together (event n is due at t0 + n * delay on the wall clock,
** t0 shared by the subtasks), so none holds the watermark back. event_rate, runtime and
** max_events describe the whole stream, not one subtask (unlike impulse's message_count).
**
** Pacing (as impulse): a fill emits the events already due, at most batch_rows, once a full
** batch is due or the next event is due and 5 ms passed since the previous batch; it sleeps
** at most 50 ms at a time. Runs inline (inline_ok = 1): generation is cheap CPU work.
**
** Checkpoints (docs/nexmark.md, "Checkpoints"): a subtask's position is its next event
** number, the stream's base time and the parallelism: { next, base_time_ns, N }. Subtask i
** has emitted exactly its numbers below next, so the checkpoint's emitted set is
** { n : n < next[n mod N] }. A restore at the same parallelism continues each subtask at its
** next. At another parallelism M every new subtask reads all N old positions
** (Source.resume_all): below lo = min(next) everything was emitted, from hi = max(next)
** nothing; new subtask j takes the numbers n = j (mod M) from lo on that were not emitted.
** Until it has emitted those below the last emitted number of its class (its "owed" rows,
** at most (hi - lo) / M of them) its own share is no prefix of its class, so position()
** answers n = -1 and the worker fills again before it takes a barrier; after that the
** position is the plain { next, base, M } again, so restores can follow each other at any
** parallelisms. Paced: event n is due at t0 + n * delay with t0 = (the restored run's start)
** - hi * delay, shared by the subtasks, so the owed rows come at once and the rest is paced
** from hi on as if no time had passed; runtime and max_events still count events of the
** whole stream (event time), so a restored stream ends with the same event as an
** uninterrupted one.
*/
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../runtime/runtime.h"
#include "nexmark_gen.h"

#define MAX_RATE 1e9                        /* event times have 1 ns resolution */
#define UNTHROTTLED_DEFAULT_RATE 1e7        /* event-time density when unthrottled alone */
#define MAX_SLEEP_NS 50000000LL             /* 50 ms: how late a stop request may be noticed */
#define MIN_BATCH_GAP_NS 5000000LL          /* paced: at most one partial batch per 5 ms */
#define STR_CHUNK (32 * 1024)               /* arena bytes taken at a time for strings */
#define MAX_FIELDS 16                       /* fields per struct the generator can fill */

/* ---- the three struct columns and their fields ---------------------------------------- */

enum { F_INT, F_TIME, F_STR };              /* BIGINT, TIMESTAMP, TEXT */

typedef struct FieldDef {
  int kind;                                 /* NX_PERSON / NX_AUCTION / NX_BID */
  const char *name;                         /* Arroyo's field name */
  int type;                                 /* F_INT / F_TIME / F_STR */
  uint32_t src;                             /* offset of the value in NxEvent */
} FieldDef;

#define PF(f, t) { NX_PERSON, #f, t, (uint32_t)offsetof(NxEvent, u.person.f) }
#define AF(f, t) { NX_AUCTION, #f, t, (uint32_t)offsetof(NxEvent, u.auction.f) }
#define BF(f, t) { NX_BID, #f, t, (uint32_t)offsetof(NxEvent, u.bid.f) }
static const FieldDef field_defs[] = {
  PF(id, F_INT), PF(name, F_STR), PF(email_address, F_STR), PF(credit_card, F_STR),
  PF(city, F_STR), PF(state, F_STR), PF(datetime, F_TIME), PF(extra, F_STR),
  AF(id, F_INT), AF(description, F_STR), AF(item_name, F_STR), AF(initial_bid, F_INT),
  AF(reserve, F_INT), AF(datetime, F_TIME), AF(expires, F_TIME), AF(seller, F_INT),
  AF(category, F_INT), AF(extra, F_STR),
  BF(auction, F_INT), BF(bidder, F_INT), BF(price, F_INT), BF(channel, F_STR), BF(url, F_STR),
  BF(datetime, F_TIME), BF(extra, F_STR),
};
static const char *const kind_names[3] = { "person", "auction", "bid" };
static const char *const type_sql[3] = { "BIGINT", "TIMESTAMP", "TEXT" };
static const uint8_t type_rt[3] = { RT_I64, RT_TIMESTAMP, RT_TEXT };

/* A value copy from the event into the row. */
typedef struct Copy {
  uint32_t dst;                             /* row offset */
  uint32_t src;                             /* NxEvent offset */
} Copy;

/* What to write for an event of one kind. */
typedef struct KindPlan {
  Copy w8[MAX_FIELDS];                      /* 8-byte values (BIGINT, TIMESTAMP) */
  int n8;
  Copy w16[MAX_FIELDS];                     /* RtStr values */
  int n16;
  uint32_t nulls[2];                        /* null flags of the other struct columns */
  int nnulls;
} KindPlan;

/* ---- one start time per table ------------------------------------------------------------
** Without base_time every subtask must agree on event 0's time, and all must pace against the
** same wall clock origin, but each opens on its own. The first subtask of a table (RtConnector,
** shared by its subtasks) to open picks the origin; the others find it here until the last
** one closes. Opens run one after another before any fill; the lock is for safety only. */
typedef struct Origin {
  const RtConnector *conn;                  /* the table */
  int64_t wall_ns;                          /* wall clock origin, ns */
  int refs;                                 /* open subtasks */
  struct Origin *next;
} Origin;

static pthread_mutex_t origins_lock = PTHREAD_MUTEX_INITIALIZER;
static Origin *origins;

static int64_t origin_acquire(const RtConnector *conn) {
  pthread_mutex_lock(&origins_lock);
  Origin *o = origins;
  while (o && o->conn != conn) o = o->next;
  if (!o) {
    o = calloc(1, sizeof *o);
    if (!o) { fprintf(stderr, "arroyo: out of memory\n"); abort(); }
    o->conn = conn;
    o->wall_ns = rt_wall_clock_ns();
    o->next = origins;
    origins = o;
  }
  o->refs++;
  int64_t wall = o->wall_ns;
  pthread_mutex_unlock(&origins_lock);
  return wall;
}

static void origin_release(const RtConnector *conn) {
  pthread_mutex_lock(&origins_lock);
  for (Origin **p = &origins; *p; p = &(*p)->next)
    if ((*p)->conn == conn) {
      Origin *o = *p;
      if (--o->refs == 0) { *p = o->next; free(o); }
      break;
    }
  pthread_mutex_unlock(&origins_lock);
}

/* ---- source state ---------------------------------------------------------------------- */

typedef struct Nexmark {
  NxConfig cfg;                             /* the stream (base time, spacing, proportions) */
  uint64_t next;                            /* next event number this subtask generates */
  uint64_t step;                            /* parallelism: numbers step by this much */
  uint64_t total;                           /* events in the whole stream; UINT64_MAX: unbounded */
  int paced;                                /* 0: unthrottled */
  int64_t t0;                               /* wall clock at which event 0 is due */
  int64_t last_emit;                        /* wall clock of the previous paced batch */
  size_t max_event_bytes;                   /* string bytes one event may need */
  uint32_t row_size;                        /* schema->row_size */
  KindPlan plan[3];                         /* per event kind */
  /* restored at another parallelism, while rows are owed (next < owed_end): numbers of this
  ** subtask's class below owed_end are emitted unless the old run did (n < old_next[n % old_n]) */
  uint64_t owed_end;                        /* 0: nothing owed */
  uint64_t *old_next;                       /* old_n next numbers of the old run's subtasks */
  int old_n;
} Nexmark;

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

/* Whole string is a finite number. */
static int parse_f64(const char *s, double *out) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (end == s || *end || errno || !isfinite(v)) return -1;
  *out = v;
  return 0;
}

/* Map the schema's person/auction/bid columns and their fields onto plan[]. */
static int build_plan(Nexmark *nx, const RtSchema *sc, char *err, size_t errlen) {
  int col_of_kind[3] = { -1, -1, -1 };
  for (uint32_t i = 0; i < sc->ncols; i++) {
    const RtColumn *c = &sc->cols[i];
    int kind = -1;
    for (int k = 0; k < 3; k++)
      if (c->name && strcmp(c->name, kind_names[k]) == 0) kind = k;
    if (kind < 0) {
      snprintf(err, errlen, "nexmark has no column '%s' (its columns are person, auction and "
               "bid; omit the column list to get them)", c->name ? c->name : "?");
      return -1;
    }
    if (c->type != RT_STRUCT || !c->fields) {
      snprintf(err, errlen, "column '%s' must be a STRUCT", c->name);
      return -1;
    }
    if (!c->nullable || c->null_offset == UINT32_MAX) {
      snprintf(err, errlen, "column '%s' must be nullable: each row holds one kind of event",
               c->name);
      return -1;
    }
    col_of_kind[kind] = (int)i;
    KindPlan *pl = &nx->plan[kind];
    const RtSchema *fs = c->fields;
    for (uint32_t f = 0; f < fs->ncols; f++) {
      const RtColumn *fc = &fs->cols[f];
      const FieldDef *def = NULL;
      for (size_t d = 0; d < sizeof field_defs / sizeof field_defs[0]; d++)
        if (field_defs[d].kind == kind && fc->name && strcmp(field_defs[d].name, fc->name) == 0)
          def = &field_defs[d];
      if (!def) {
        snprintf(err, errlen, "struct column '%s' has no field '%s' in nexmark", c->name,
                 fc->name ? fc->name : "?");
        return -1;
      }
      if (fc->type != type_rt[def->type]) {
        snprintf(err, errlen, "field %s.%s must be %s", c->name, fc->name, type_sql[def->type]);
        return -1;
      }
      Copy cp = { c->offset + fc->offset, def->src };
      if (def->type == F_STR) pl->w16[pl->n16++] = cp;
      else pl->w8[pl->n8++] = cp;
      /* a nullable field's flag stays 0 (rows are zeroed): the generator fills every field */
    }
  }
  if (col_of_kind[0] < 0 && col_of_kind[1] < 0 && col_of_kind[2] < 0) {
    snprintf(err, errlen, "nexmark needs at least one of the columns person, auction, bid");
    return -1;
  }
  for (int k = 0; k < 3; k++)
    for (int o = 0; o < 3; o++)
      if (o != k && col_of_kind[o] >= 0)
        nx->plan[k].nulls[nx->plan[k].nnulls++] = sc->cols[col_of_kind[o]].null_offset;
  return 0;
}

/* Restore (Source.resume_all: the old run's N positions { next, base, N }): set nx->next,
** the owed numbers, the defaulted base time (*base, unless the table gives base_time) and
** *resume_at, the number pacing continues from (max next). nx->total and step are set.
** 0, or -1 with err. */
static int resume(Nexmark *nx, const Source *s, int64_t *base, uint64_t *resume_at, char *err,
                  size_t errlen) {
  int n_old = s->resume_n;
  if (n_old < 1) {
    snprintf(err, errlen, "the checkpoint has no nexmark positions");
    return -1;
  }
  nx->old_next = calloc((size_t)n_old, sizeof *nx->old_next);
  if (!nx->old_next) { fprintf(stderr, "arroyo: out of memory\n"); abort(); }
  nx->old_n = n_old;
  uint64_t lo = UINT64_MAX, hi = 0;
  for (int k = 0; k < n_old; k++) {
    const CkPos *p = &s->resume_all[k];
    if (p->n < 3 || p->v[0] < 0 || p->v[2] != n_old || (uint64_t)p->v[0] % (uint64_t)n_old !=
        (uint64_t)k) {
      snprintf(err, errlen, "the checkpoint's position of nexmark subtask %d of %d is not "
               "{ next event number of that subtask, base time, %d }", k, n_old, n_old);
      return -1;
    }
    if (k > 0 && p->v[1] != s->resume_all[0].v[1]) {
      snprintf(err, errlen, "the checkpoint's nexmark subtasks disagree on the base time");
      return -1;
    }
    uint64_t nk = (uint64_t)p->v[0];
    nx->old_next[k] = nk;
    if (nk < lo) lo = nk;
    if (nk > hi) hi = nk;
  }
  *base = s->resume_all[0].v[1];
  *resume_at = hi < nx->total ? hi : nx->total;
  uint64_t j = nx->next, m = nx->step;
  if ((uint64_t)n_old == m) {              /* same parallelism: each continues its own */
    nx->next = nx->old_next[j];
    return 0;
  }
  /* First number of class j (mod m) from lo on: every number below lo was emitted. */
  uint64_t first = lo <= j ? j : lo + (j + m - lo % m) % m;
  /* The last number of the class the old run emitted (at most hi - 1, below the end). */
  uint64_t end = hi < nx->total ? hi : nx->total, last = UINT64_MAX;
  for (uint64_t n = first; n < end; n += m)
    if (n < nx->old_next[n % (uint64_t)n_old]) last = n;
  nx->next = first;
  if (last == UINT64_MAX) return 0;        /* none: the class is untouched from first on */
  nx->owed_end = last + m;
  /* Skip the emitted head of the class: maybe nothing is owed at all. */
  while (nx->next < nx->owed_end && nx->next < nx->old_next[nx->next % (uint64_t)n_old])
    nx->next += m;
  if (nx->next >= nx->owed_end) nx->owed_end = 0;
  return 0;
}

static int nx_open(Source *s, char *err, size_t errlen) {
  Nexmark *nx = calloc(1, sizeof *nx);
  if (!nx) { fprintf(stderr, "arroyo: out of memory\n"); abort(); }
  const char *v;
  int unthrottled = 0;
  if ((v = conn_opt(s->conn, "unthrottled")) != NULL) {
    if (strcmp(v, "true") == 0) unthrottled = 1;
    else if (strcmp(v, "false") != 0) {
      snprintf(err, errlen, "unthrottled must be 'true' or 'false', not '%s'", v);
      goto fail;
    }
  }
  double rate = UNTHROTTLED_DEFAULT_RATE;
  if ((v = conn_opt(s->conn, "event_rate")) != NULL) {
    if (parse_f64(v, &rate) < 0 || rate < 0) {
      snprintf(err, errlen, "event_rate must be a non-negative number of events per second, "
               "not '%s'", v);
      goto fail;
    }
    if (rate == 0) {                    /* as impulse: 0 = as fast as possible */
      unthrottled = 1;
      rate = UNTHROTTLED_DEFAULT_RATE;
    }
    if (rate > MAX_RATE) {
      snprintf(err, errlen, "event_rate must be at most 1e9 (event times have 1 ns resolution), "
               "not '%s'; unthrottled = 'true' generates as fast as the query runs", v);
      goto fail;
    }
  } else if (!unthrottled) {
    snprintf(err, errlen, "option event_rate is required (events per second), unless "
             "unthrottled = 'true'");
    goto fail;
  }
  int64_t delay = (int64_t)(1e9 / rate);
  if (delay < 1) delay = 1;
  nx->total = UINT64_MAX;
  if ((v = conn_opt(s->conn, "runtime")) != NULL) {
    double secs;
    if (parse_f64(v, &secs) < 0 || secs < 0) {
      snprintf(err, errlen, "runtime must be a non-negative number of seconds, not '%s'", v);
      goto fail;
    }
    double n = floor(rate * secs);
    nx->total = n >= 1.8e19 ? UINT64_MAX - 1 : (uint64_t)n;
  }
  if ((v = conn_opt(s->conn, "max_events")) != NULL) {
    uint64_t n;
    if (parse_u64(v, &n) < 0) {
      snprintf(err, errlen, "max_events must be a non-negative integer, not '%s'", v);
      goto fail;
    }
    if (n < nx->total) nx->total = n;
  }
  nx->t0 = origin_acquire(s->conn);
  int64_t base = nx->t0;
  nx->step = s->parallelism > 1 ? (uint64_t)s->parallelism : 1;
  nx->next = (uint64_t)(s->subtask > 0 ? s->subtask : 0);
  uint64_t resume_at = 0;                  /* restored: pacing continues from this number */
  if (s->resume_all && resume(nx, s, &base, &resume_at, err, errlen) < 0) {
    origin_release(s->conn);
    goto fail;
  }
  if ((v = conn_opt(s->conn, "base_time")) != NULL) {
    uint64_t ns;
    if (parse_u64(v, &ns) == 0 && ns <= (uint64_t)INT64_MAX) base = (int64_t)ns;
    else if (ts_parse(v, strlen(v), &base) < 0) {
      snprintf(err, errlen, "base_time must be an RFC 3339 timestamp or integer nanoseconds, "
               "not '%s'", v);
      origin_release(s->conn);
      goto fail;
    }
  }
  nx_config_init(&nx->cfg, base, delay);
  nx->paced = !unthrottled;
  /* restored: as if event resume_at were due now (at the epoch at the earliest) */
  if (resume_at > 0)
    nx->t0 = resume_at >= (uint64_t)(nx->t0 / delay) ? 0 : nx->t0 - (int64_t)resume_at * delay;
  if (nx->next >= nx->total && !nx->owed_end) s->finished = 1;
  nx->max_event_bytes = nx_max_event_bytes(&nx->cfg);
  nx->row_size = s->conn->schema->row_size;
  if (build_plan(nx, s->conn->schema, err, errlen) < 0) {
    origin_release(s->conn);
    goto fail;
  }
  s->state = nx;
  return 0;
fail:
  free(nx->old_next);
  free(nx);
  return -1;
}

static void sleep_ns(int64_t ns) {
  if (ns <= 0) return;
  if (ns > MAX_SLEEP_NS) ns = MAX_SLEEP_NS;
  struct timespec ts = { (time_t)(ns / 1000000000), (long)(ns % 1000000000) };
  nanosleep(&ts, NULL);
}

/* Wall clock time at which event number n is due (saturating). */
static int64_t due_at(const Nexmark *nx, uint64_t n) {
  int64_t d = nx->cfg.inter_event_ns;
  if (n > (uint64_t)((INT64_MAX - nx->t0) / d)) return INT64_MAX;
  return nx->t0 + (int64_t)n * d;
}

/* How many of this subtask's events (numbers next, next + step, ...) are due at `now`. */
static uint64_t due_count(const Nexmark *nx, int64_t now) {
  if (now < nx->t0) return 0;
  uint64_t last = (uint64_t)((now - nx->t0) / nx->cfg.inter_event_ns);   /* numbers <= last */
  if (last < nx->next) return 0;
  return (last - nx->next) / nx->step + 1;
}

/* Strings of the batch being filled: the arena chunk events write into. */
typedef struct StrRoom {
  char *at, *end;
} StrRoom;

/* Generate event number num into row r (row_size bytes) of batch b. */
static void write_row(const Nexmark *nx, SrcBatch *b, StrRoom *room, uint64_t num, char *r) {
  const size_t need = nx->max_event_bytes;
  if ((size_t)(room->end - room->at) < need) {
    const size_t chunk = need * 4 > STR_CHUNK ? need * 4 : STR_CHUNK;
    room->at = arena_alloc(&b->arena, chunk);
    room->end = room->at + chunk;
  }
  NxEvent ev;
  room->at += nx_event(&nx->cfg, num, &ev, room->at);
  memset(r, 0, nx->row_size);                 /* header hash/retract, absent fields, flags */
  memcpy(r, &ev.ts, 8);                       /* RtRowHeader.ts: the event's datetime */
  const KindPlan *pl = &nx->plan[ev.kind];
  for (int k = 0; k < pl->n8; k++) memcpy(r + pl->w8[k].dst, (const char *)&ev + pl->w8[k].src, 8);
  for (int k = 0; k < pl->n16; k++)
    memcpy(r + pl->w16[k].dst, (const char *)&ev + pl->w16[k].src, 16);
  for (int k = 0; k < pl->nnulls; k++) r[pl->nulls[k]] = 1;
}

/* Restored at another parallelism: emit up to `max` of the owed rows (numbers of this
** subtask's class below owed_end that the old run did not emit), without pacing: they were
** all due before the restore. When the last is out the position is a plain one again. */
static void fill_owed(Nexmark *nx, SrcBatch *b, uint64_t max) {
  char *rows = srcb_reserve(b, (int64_t)max);
  StrRoom room = { NULL, NULL };
  uint64_t k = 0, num = nx->next, end = nx->owed_end < nx->total ? nx->owed_end : nx->total;
  for (; num < end && k < max; num += nx->step)
    if (num >= nx->old_next[num % (uint64_t)nx->old_n])
      write_row(nx, b, &room, num, rows + k++ * nx->row_size);
  /* skip an emitted tail, so that the position is plain as soon as nothing is owed */
  while (num < end && num < nx->old_next[num % (uint64_t)nx->old_n]) num += nx->step;
  if (num >= end) {
    num = num >= nx->owed_end ? num : nx->owed_end;   /* past the end of the stream: done */
    nx->owed_end = 0;
    free(nx->old_next);
    nx->old_next = NULL;
  }
  b->n = (int64_t)k;
  nx->next = num;
}

static int nx_fill(Source *s, SrcBatch *b, char *err, size_t errlen) {
  Nexmark *nx = s->state;
  (void)err; (void)errlen;
  if (nx->owed_end) {
    uint64_t max = (uint64_t)(s->batch_rows > 0 ? s->batch_rows : 1);
    if (s->limit >= 0 && (uint64_t)s->limit < max) max = (uint64_t)s->limit;
    if (max == 0) return SRC_MORE;
    fill_owed(nx, b, max);
    return nx->next >= nx->total && !nx->owed_end ? SRC_END : SRC_MORE;
  }
  if (nx->next >= nx->total) return SRC_END;
  uint64_t n = (uint64_t)(s->batch_rows > 0 ? s->batch_rows : 1);
  if (s->limit >= 0 && (uint64_t)s->limit < n) n = (uint64_t)s->limit;
  if (n == 0) return SRC_MORE;
  uint64_t left = (nx->total - nx->next - 1) / nx->step + 1;   /* this subtask's; next < total */
  if (left < n) n = left;
  if (nx->paced) {
    int64_t now = rt_wall_clock_ns();
    /* Emit when a full batch is due, or when the next event is due but no sooner than
    ** MIN_BATCH_GAP after the previous batch (as impulse does). */
    int64_t target = due_at(nx, nx->next + (n - 1) * nx->step);
    int64_t soon = due_at(nx, nx->next);
    if (soon < nx->last_emit + MIN_BATCH_GAP_NS) soon = nx->last_emit + MIN_BATCH_GAP_NS;
    if (soon < target) target = soon;
    if (target > now) {
      sleep_ns(target - now);                   /* at most MAX_SLEEP_NS */
      now = rt_wall_clock_ns();
      if (now < target) return SRC_MORE;        /* let the worker look for a stop request */
    }
    uint64_t due = due_count(nx, now);
    if (due == 0) return SRC_MORE;
    if (due < n) n = due;
    nx->last_emit = now;
  }
  char *rows = srcb_reserve(b, (int64_t)n);
  StrRoom room = { NULL, NULL };
  uint64_t num = nx->next;
  for (uint64_t i = 0; i < n; i++, num += nx->step)
    write_row(nx, b, &room, num, rows + i * nx->row_size);
  b->n = (int64_t)n;
  nx->next = num;
  return nx->next >= nx->total ? SRC_END : SRC_MORE;
}

/* { next, base time, parallelism }; n = -1 while restored rows are owed (see the header). */
static void nx_position(Source *s, CkPos *out) {
  const Nexmark *nx = s->state;
  if (nx->owed_end) {
    out->n = -1;
    return;
  }
  out->n = 3;
  out->v[0] = nx->next > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)nx->next;
  out->v[1] = nx->cfg.base_time_ns;
  out->v[2] = (int64_t)nx->step;
}

static void nx_close(Source *s) {
  Nexmark *nx = s->state;
  if (!nx) return;
  origin_release(s->conn);
  free(nx->old_next);
  free(nx);
  s->state = NULL;
}

const SourceOps src_nexmark = { "nexmark", nx_open, nx_fill, nx_close, 1, nx_position };
