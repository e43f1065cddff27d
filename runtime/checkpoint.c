/*
** runtime/checkpoint.c: what a checkpoint holds and how it comes back. The barrier protocol
** and the coordinator that decides when to take one are in worker.c ("Checkpoints" in its
** header comment); the bytes go through the checkpoint layer (ckpt_store.c) and table
** snapshots are snapshot.c's. Contracts: the "checkpoint content" section of runtime.h.
**
** Entry points: ckr_begin / ckr_source / ckr_stage / ckr_sink / ckr_wait / ckr_commit for one
** checkpoint ("round"), reported by every participant of the pipeline, and ckrs_open /
** ckrs_source / ckrs_sink / ckrs_stage_wm / ckrs_source_wm / ckrs_tables to restore one.
**
** A checkpoint of epoch E (in the store: ckpt-<E>/, written by the checkpoint layer) is
**   - one file per stage subtask that has state tables, "stage-<s>-<j>":
**       magic "ARCKSTG1" (8 bytes), ntables u32, 0 u32, then per table in the stage's
**       order: length u64 and that many bytes of st_snapshot (entries and timers);
**   - the manifest's metadata (JSON, written by ckr_commit, read back by ckrs_open):
**       { "epoch": E, "parallelism": N, "layout_hash": "<16 hex>",
**         "sources": [ { "table": T, "connector": C, "subtasks": [ [v, ...], ... ] } ],
**         "stages": [ { "name": S, "subtasks": [ { "wm": W, "file": F | null,
**                                                  "source_wms": [ [src, sub, W], ... ] } ] } ],
**         "sinks": [ { "table": T, "connector": C, "commit": [v, ...] } ] }
**     sources[].subtasks[i] is source subtask i's position (CkPos values, [] for none),
**     stages[].subtasks[j].wm the subtask's watermark at its barrier and source_wms the
**     watermarks of its source channels, sinks[].commit the sink's precommit position.
**     Watermarks are integers (ns; INT64_MIN before the first, INT64_MAX after the end).
** Everything a restore needs is in the metadata and the files the manifest lists; the
** checkpoint layer verifies sizes and checksums and skips corrupt checkpoints.
**
** Restoring at another parallelism: sources keep their subtask index (new subtask i takes
** old subtask i's position, if there was one), sinks their precommit position, and state
** moves by key hash: stage subtask j of M restores, from every old subtask's file, the
** entries whose hash is in st_owner_range(j, M), because HASH edges route rows the same way
** (rt_hash_owner). That holds for stages all of whose inputs are HASH edges, which is where
** the planner puts keyed state. For other stages (one subtask, or fed FORWARD/SINGLE) old
** subtask i's whole state goes to new subtask i % M. Entries that are not keyed by rows (a hop
** window's cursor) carry keys unique to the subtask that wrote them (codegen uses
** rt->next_seq), so they never collide when several old subtasks' state lands in one; the
** generated code merges them. A new subtask starts at the minimum of
** the old subtasks' watermarks (at the same parallelism: its own old watermark), so no row
** that was on time before the restore becomes late, and windows close no earlier.
**
** It does not decide when checkpoints happen, align barriers, talk to connectors or know
** threads (worker.c), and it never interprets table contents (snapshot.c).
*/
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "runtime.h"

#define STAGE_MAGIC "ARCKSTG1"
#define STAGE_HDR 16u

static void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size);
  if (!p) {
    fprintf(stderr, "arroyo: out of memory\n");
    abort();
  }
  return p;
}

static char *xstrdup(const char *s) {
  char *p = strdup(s ? s : "");
  if (!p) {
    fprintf(stderr, "arroyo: out of memory\n");
    abort();
  }
  return p;
}

static void put_u32(Buf *b, uint32_t v) { buf_put(b, &v, 4); }     /* little-endian hosts */
static void put_u64(Buf *b, uint64_t v) { buf_put(b, &v, 8); }

/* JSON string literal of s (names of tables and stages). */
static void json_str(Buf *b, const char *s) {
  buf_putc(b, '"');
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
    if (*p == '"' || *p == '\\') { buf_putc(b, '\\'); buf_putc(b, (char)*p); }
    else if (*p < 0x20) buf_printf(b, "\\u%04x", *p);
    else buf_putc(b, (char)*p);
  }
  buf_putc(b, '"');
}

static void json_pos(Buf *b, const CkPos *pos) {
  buf_putc(b, '[');
  for (int k = 0; pos && k < pos->n; k++) buf_printf(b, "%s%lld", k ? "," : "", (long long)pos->v[k]);
  buf_putc(b, ']');
}

static void stage_file_name(char *out, size_t n, uint32_t stage, uint32_t sub) {
  snprintf(out, n, "stage-%u-%u", stage, sub);
}

/* Participants: source subtasks, then stage subtasks (stage by stage), then sinks. */
static uint32_t count_tasks(const CkShape *sh, uint32_t **offsets) {
  uint32_t n = 0;
  *offsets = xcalloc(sh->nstages + 1, sizeof **offsets);
  for (uint32_t s = 0; s < sh->nstages; s++) {
    (*offsets)[s] = n;
    n += (uint32_t)sh->nsub[s];
  }
  (*offsets)[sh->nstages] = n;
  return n;
}

/* ---- a small JSON reader (the metadata and the manifest) ----------------------------------- */

enum { JN_NULL, JN_BOOL, JN_INT, JN_STR, JN_ARR, JN_OBJ };

typedef struct JNode JNode;
struct JNode {
  int type;                /* JN_* */
  int64_t i;               /* JN_INT, JN_BOOL */
  const char *s;           /* JN_STR (NUL-terminated, in the arena); object member name */
  JNode **kids;            /* JN_ARR / JN_OBJ members */
  uint32_t n;              /* members */
  const char *key;         /* member name inside an object */
};

typedef struct JParse {
  const char *p, *end;     /* input */
  Arena *a;                /* nodes and strings */
  int depth;
} JParse;

static void jws(JParse *j) {
  while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' || *j->p == '\t')) j->p++;
}

static JNode *jvalue(JParse *j);

static const char *jstring(JParse *j) {
  if (j->p >= j->end || *j->p != '"') return NULL;
  j->p++;
  Buf b = { 0 };
  while (j->p < j->end && *j->p != '"') {
    char c = *j->p++;
    if (c == '\\') {
      if (j->p >= j->end) { buf_free(&b); return NULL; }
      char e = *j->p++;
      if (e == 'u') {
        if (j->end - j->p < 4) { buf_free(&b); return NULL; }
        unsigned v = 0;
        for (int k = 0; k < 4; k++) {
          char h = *j->p++;
          v = v * 16 + (unsigned)(h >= '0' && h <= '9' ? h - '0' : (h | 32) - 'a' + 10);
        }
        if (v < 0x80) buf_putc(&b, (char)v);
        else if (v < 0x800) { buf_putc(&b, (char)(0xc0 | v >> 6)); buf_putc(&b, (char)(0x80 | (v & 63))); }
        else {
          buf_putc(&b, (char)(0xe0 | v >> 12));
          buf_putc(&b, (char)(0x80 | ((v >> 6) & 63)));
          buf_putc(&b, (char)(0x80 | (v & 63)));
        }
      } else {
        buf_putc(&b, e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == 'b' ? '\b' :
                     e == 'f' ? '\f' : e);
      }
    } else {
      buf_putc(&b, c);
    }
  }
  if (j->p >= j->end) { buf_free(&b); return NULL; }
  j->p++;
  char *s = arena_strndup(j->a, b.p ? b.p : "", b.len);
  buf_free(&b);
  return s;
}

static JNode *jnode(JParse *j, int type) {
  JNode *n = arena_alloc(j->a, sizeof *n);
  memset(n, 0, sizeof *n);
  n->type = type;
  return n;
}

static int jadd(JParse *j, JNode *parent, JNode *kid, uint32_t *cap) {
  if (parent->n == *cap) {
    uint32_t nc = *cap ? *cap * 2 : 4;
    JNode **k = arena_alloc(j->a, nc * sizeof *k);
    if (parent->n) memcpy(k, parent->kids, parent->n * sizeof *k);
    parent->kids = k;
    *cap = nc;
  }
  parent->kids[parent->n++] = kid;
  return 0;
}

static JNode *jvalue(JParse *j) {
  jws(j);
  if (j->p >= j->end || ++j->depth > 64) return NULL;
  JNode *n = NULL;
  char c = *j->p;
  if (c == '{' || c == '[') {
    int obj = c == '{';
    uint32_t cap = 0;
    n = jnode(j, obj ? JN_OBJ : JN_ARR);
    j->p++;
    jws(j);
    if (j->p < j->end && *j->p == (obj ? '}' : ']')) { j->p++; j->depth--; return n; }
    for (;;) {
      const char *key = NULL;
      if (obj) {
        jws(j);
        if (!(key = jstring(j))) return NULL;
        jws(j);
        if (j->p >= j->end || *j->p++ != ':') return NULL;
      }
      JNode *kid = jvalue(j);
      if (!kid) return NULL;
      kid->key = key;
      jadd(j, n, kid, &cap);
      jws(j);
      if (j->p < j->end && *j->p == ',') { j->p++; continue; }
      if (j->p < j->end && *j->p == (obj ? '}' : ']')) { j->p++; break; }
      return NULL;
    }
  } else if (c == '"') {
    n = jnode(j, JN_STR);
    if (!(n->s = jstring(j))) return NULL;
  } else if (c == '-' || (c >= '0' && c <= '9')) {
    int neg = c == '-';
    uint64_t v = 0;
    if (neg) j->p++;
    if (j->p >= j->end || *j->p < '0' || *j->p > '9') return NULL;
    while (j->p < j->end && *j->p >= '0' && *j->p <= '9') {
      uint64_t d = (uint64_t)(*j->p++ - '0');
      if (v > (UINT64_MAX - d) / 10) return NULL;
      v = v * 10 + d;
    }
    if (j->p < j->end && (*j->p == '.' || *j->p == 'e' || *j->p == 'E')) return NULL;
    if (v > (uint64_t)INT64_MAX + (uint64_t)neg) return NULL;
    n = jnode(j, JN_INT);
    n->i = neg ? (int64_t)(0 - v) : (int64_t)v;
  } else if (j->end - j->p >= 4 && !memcmp(j->p, "null", 4)) {
    n = jnode(j, JN_NULL);
    j->p += 4;
  } else if (j->end - j->p >= 4 && !memcmp(j->p, "true", 4)) {
    n = jnode(j, JN_BOOL);
    n->i = 1;
    j->p += 4;
  } else if (j->end - j->p >= 5 && !memcmp(j->p, "false", 5)) {
    n = jnode(j, JN_BOOL);
    j->p += 5;
  } else {
    return NULL;
  }
  j->depth--;
  return n;
}

static JNode *jparse(const char *text, size_t len, Arena *a) {
  JParse j = { text, text + len, a, 0 };
  JNode *n = jvalue(&j);
  jws(&j);
  return n && j.p == j.end ? n : NULL;
}

static JNode *jget(const JNode *obj, const char *key, int type) {
  if (!obj || obj->type != JN_OBJ) return NULL;
  for (uint32_t i = 0; i < obj->n; i++)
    if (!strcmp(obj->kids[i]->key, key)) return obj->kids[i]->type == type ? obj->kids[i] : NULL;
  return NULL;
}

/* An array of up to CK_POS_MAX integers into *pos. 0, or -1 when it is not one. */
static int jpos(const JNode *arr, CkPos *pos) {
  memset(pos, 0, sizeof *pos);
  if (!arr || arr->type != JN_ARR || arr->n > CK_POS_MAX) return -1;
  for (uint32_t k = 0; k < arr->n; k++) {
    if (arr->kids[k]->type != JN_INT) return -1;
    pos->v[k] = arr->kids[k]->i;
  }
  pos->n = (int32_t)arr->n;
  return 0;
}

/* ---- rounds ------------------------------------------------------------------------------- */

/* A subtask's snapshot, to be compressed and written by ckr_flush. */
typedef struct Pending {
  char name[64];           /* file name in the checkpoint */
  Buf data;                /* the bytes (owned) */
} Pending;

typedef struct StageRec {
  int64_t wm;              /* the subtask's watermark at its barrier */
  CkSrcWm *wms;            /* its source channels' watermarks (owned) */
  uint32_t nwms;
  int has_file;            /* "stage-<s>-<j>" was written */
} StageRec;

struct CkRound {
  CkStore *s;              /* borrowed */
  CkptWriter *wr;          /* the checkpoint being written */
  int64_t epoch;
  CkShape sh;              /* borrowed pointers */
  uint32_t *stage_off;     /* nstages + 1: first participant index of each stage */
  uint32_t nsrc, ntask;    /* source subtasks, stage subtasks */
  pthread_mutex_t mu;      /* guards everything below */
  pthread_cond_t cv;       /* signalled on every report */
  uint8_t *has;            /* nsrc + ntask + nsinks: reported */
  uint32_t missing;        /* participants that have not reported */
  int failed;              /* a report failed (err) */
  char err[1024];
  CkPos *src;              /* nsrc positions */
  StageRec *stage;         /* ntask */
  CkPos *sink;             /* nsinks */
  int64_t files, raw;      /* state files written and their raw bytes */
  Pending *pend;           /* snapshots waiting for ckr_flush (FIFO), npend of them */
  uint32_t npend, cappend;
  int writing;             /* ckr_flush is writing one (not counted in npend) */
};

CkRound *ckr_begin(CkStore *s, int64_t epoch, const CkShape *shape, char *err, size_t errlen) {
  CkptWriter *wr = ckpt_writer_begin(s, epoch);
  if (!wr) {
    snprintf(err, errlen, "%s", ck_error());
    return NULL;
  }
  CkRound *r = xcalloc(1, sizeof *r);
  r->s = s;
  r->wr = wr;
  r->epoch = epoch;
  r->sh = *shape;
  r->nsrc = shape->p->nsources * (uint32_t)shape->parallelism;
  r->ntask = count_tasks(shape, &r->stage_off);
  uint32_t total = r->nsrc + r->ntask + shape->p->nsinks;
  r->has = xcalloc(total, 1);
  r->missing = total;
  r->src = xcalloc(r->nsrc, sizeof *r->src);
  r->stage = xcalloc(r->ntask, sizeof *r->stage);
  r->sink = xcalloc(shape->p->nsinks, sizeof *r->sink);
  pthread_mutex_init(&r->mu, NULL);
  pthread_cond_init(&r->cv, NULL);
  return r;
}

/* Mark participant k reported (caller holds mu). */
static void reported(CkRound *r, uint32_t k) {
  if (!r->has[k]) {
    r->has[k] = 1;
    r->missing--;
  }
  pthread_cond_broadcast(&r->cv);
}

void ckr_source(CkRound *r, uint32_t i, const CkPos *pos) {
  pthread_mutex_lock(&r->mu);
  r->src[i] = *pos;
  reported(r, i);
  pthread_mutex_unlock(&r->mu);
}

static void round_fail(CkRound *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void round_fail(CkRound *r, const char *fmt, ...) {
  pthread_mutex_lock(&r->mu);
  if (!r->failed) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, sizeof r->err, fmt, ap);
    va_end(ap);
    r->failed = 1;
  }
  pthread_cond_broadcast(&r->cv);
  pthread_mutex_unlock(&r->mu);
}

int ckr_stage(CkRound *r, uint32_t stage, uint32_t sub, StateTable *const *tables,
              uint32_t ntables, int64_t wm, const CkSrcWm *wms, uint32_t nwms) {
  uint32_t k = r->stage_off[stage] + sub;
  int has_file = ntables > 0;
  Pending pf;
  memset(&pf, 0, sizeof pf);
  if (has_file) {
    /* The subtask's tables, one snapshot after another, each behind its length. Only the
    ** snapshot is taken here, on the subtask's thread (it must see the tables at the
    ** barrier); compressing and writing it is ckr_flush's, on the coordinator's thread, so
    ** the subtask goes back to work at once. */
    Buf *b = &pf.data;
    buf_put(b, STAGE_MAGIC, 8);
    put_u32(b, ntables);
    put_u32(b, 0);
    for (uint32_t t = 0; t < ntables; t++) {
      size_t at = b->len;
      put_u64(b, 0);
      if (st_snapshot(tables[t], b) < 0) {
        round_fail(r, "stage '%s' subtask %u: cannot snapshot table '%s' (see above)",
                   r->sh.stages[stage].name, sub, st_name(tables[t]));
        buf_free(b);
        return -1;
      }
      uint64_t len = (uint64_t)(b->len - at - 8);
      memcpy(b->p + at, &len, 8);
    }
    stage_file_name(pf.name, sizeof pf.name, stage, sub);
  }
  CkSrcWm *copy = NULL;
  if (nwms) {
    copy = xcalloc(nwms, sizeof *copy);
    memcpy(copy, wms, nwms * sizeof *copy);
  }
  pthread_mutex_lock(&r->mu);
  if (has_file) {
    if (r->npend == r->cappend) {
      r->cappend = r->cappend ? 2 * r->cappend : 8;
      r->pend = realloc(r->pend, r->cappend * sizeof *r->pend);
      if (!r->pend) abort();
    }
    r->pend[r->npend++] = pf;
    r->files++;
    r->raw += (int64_t)pf.data.len;
  }
  r->stage[k].wm = wm;
  r->stage[k].wms = copy;
  r->stage[k].nwms = nwms;
  r->stage[k].has_file = has_file;
  reported(r, r->nsrc + k);
  pthread_mutex_unlock(&r->mu);
  return 0;
}

int ckr_flush(CkRound *r) {
  for (;;) {
    pthread_mutex_lock(&r->mu);
    if (r->npend == 0 || r->failed) {
      pthread_mutex_unlock(&r->mu);
      return r->failed ? -1 : 0;
    }
    Pending pf = r->pend[0];
    memmove(r->pend, r->pend + 1, --r->npend * sizeof *r->pend);
    r->writing = 1;
    pthread_mutex_unlock(&r->mu);
    int rc = ckpt_add_file(r->wr, pf.name, pf.data.p, pf.data.len);
    buf_free(&pf.data);
    if (rc < 0) round_fail(r, "%s", ck_error());
    pthread_mutex_lock(&r->mu);
    r->writing = 0;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    if (rc < 0) return -1;
  }
}

void ckr_sink(CkRound *r, uint32_t sink, const CkPos *pos) {
  pthread_mutex_lock(&r->mu);
  r->sink[sink] = *pos;
  reported(r, r->nsrc + r->ntask + sink);
  pthread_mutex_unlock(&r->mu);
}

int ckr_has(CkRound *r, int kind, uint32_t index) {
  uint32_t k = kind == CK_SOURCE ? index : kind == CK_STAGE ? r->nsrc + index
                                                            : r->nsrc + r->ntask + index;
  pthread_mutex_lock(&r->mu);
  int has = r->has[k];
  pthread_mutex_unlock(&r->mu);
  return has;
}

int ckr_wait(CkRound *r, int64_t timeout_ns) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  int64_t ns = (int64_t)ts.tv_nsec + timeout_ns;
  ts.tv_sec += (time_t)(ns / 1000000000);
  ts.tv_nsec = (long)(ns % 1000000000);
  pthread_mutex_lock(&r->mu);
  if ((r->missing > 0 || r->npend > 0) && !r->failed) pthread_cond_timedwait(&r->cv, &r->mu, &ts);
  int rc = r->failed ? -1 : r->missing == 0 && r->npend == 0 && !r->writing ? 1 : 0;
  pthread_mutex_unlock(&r->mu);
  return rc;
}

const char *ckr_error(CkRound *r) { return r->err[0] ? r->err : "checkpoint failed"; }

/* The metadata JSON (see the header comment). */
static void metadata(const CkRound *r, Buf *b) {
  const CkShape *sh = &r->sh;
  const RtPipeline *p = sh->p;
  buf_printf(b, "{\"epoch\":%lld,\"parallelism\":%d,\"layout_hash\":\"%016llx\",\"sources\":[",
             (long long)r->epoch, sh->parallelism, (unsigned long long)p->layout_hash);
  for (uint32_t s = 0; s < p->nsources; s++) {
    buf_puts(b, s ? ",{\"table\":" : "{\"table\":");
    json_str(b, p->sources[s].table);
    buf_puts(b, ",\"connector\":");
    json_str(b, p->sources[s].connector);
    buf_puts(b, ",\"subtasks\":[");
    for (int i = 0; i < sh->parallelism; i++) {
      if (i) buf_putc(b, ',');
      json_pos(b, &r->src[s * (uint32_t)sh->parallelism + (uint32_t)i]);
    }
    buf_puts(b, "]}");
  }
  buf_puts(b, "],\"stages\":[");
  for (uint32_t s = 0; s < sh->nstages; s++) {
    buf_puts(b, s ? ",{\"name\":" : "{\"name\":");
    json_str(b, sh->stages[s].name);
    buf_puts(b, ",\"subtasks\":[");
    for (int j = 0; j < sh->nsub[s]; j++) {
      const StageRec *sr = &r->stage[r->stage_off[s] + (uint32_t)j];
      buf_printf(b, "%s{\"wm\":%lld,\"file\":", j ? "," : "", (long long)sr->wm);
      if (sr->has_file) {
        char name[64];
        stage_file_name(name, sizeof name, s, (uint32_t)j);
        json_str(b, name);
      } else {
        buf_puts(b, "null");
      }
      buf_puts(b, ",\"source_wms\":[");
      for (uint32_t k = 0; k < sr->nwms; k++)
        buf_printf(b, "%s[%d,%d,%lld]", k ? "," : "", sr->wms[k].source, sr->wms[k].producer,
                   (long long)sr->wms[k].wm);
      buf_puts(b, "]}");
    }
    buf_puts(b, "]}");
  }
  buf_puts(b, "],\"sinks\":[");
  for (uint32_t s = 0; s < p->nsinks; s++) {
    buf_puts(b, s ? ",{\"table\":" : "{\"table\":");
    json_str(b, p->sinks[s].table);
    buf_puts(b, ",\"connector\":");
    json_str(b, p->sinks[s].connector);
    buf_puts(b, ",\"commit\":");
    json_pos(b, &r->sink[s]);
    buf_putc(b, '}');
  }
  buf_puts(b, "]}");
}

/* Stored bytes of a committed checkpoint: the manifest lists every file's stored size. */
static int64_t stored_bytes(CkRound *r) {
  char name[64];
  Buf m = { 0 };
  Arena a;
  int64_t total = -1;
  snprintf(name, sizeof name, "ckpt-%010lld/manifest.json", (long long)r->epoch);
  if (ck_get(r->s, name, &m) != 0) { buf_free(&m); return -1; }
  arena_init(&a, 16 * 1024);
  JNode *root = jparse(m.p ? m.p : "", m.len, &a);
  JNode *files = jget(root, "files", JN_ARR);
  if (files) {
    total = (int64_t)m.len;
    for (uint32_t i = 0; i < files->n; i++) {
      JNode *sz = jget(files->kids[i], "size", JN_INT);
      if (sz) total += sz->i;
    }
  }
  arena_free(&a);
  buf_free(&m);
  return total;
}

int ckr_commit(CkRound *r, CkStats *stats, char *err, size_t errlen) {
  Buf meta = { 0 };
  metadata(r, &meta);
  buf_cstr(&meta);
  int rc = ckpt_commit(r->wr, r->sh.p->layout_hash, meta.p);
  buf_free(&meta);
  if (rc < 0) {
    snprintf(err, errlen, "%s", ck_error());
    return -1;
  }
  if (stats) {
    stats->files = r->files + 1;                    /* the state files and the manifest */
    stats->raw_bytes = r->raw;
    stats->stored_bytes = stored_bytes(r);
  }
  return 0;
}

void ckr_free(CkRound *r) {
  if (!r) return;
  ckpt_writer_free(r->wr);
  for (uint32_t k = 0; k < r->ntask; k++) free(r->stage[k].wms);
  for (uint32_t k = 0; k < r->npend; k++) buf_free(&r->pend[k].data);
  free(r->pend);
  free(r->stage);
  free(r->src);
  free(r->sink);
  free(r->has);
  free(r->stage_off);
  pthread_mutex_destroy(&r->mu);
  pthread_cond_destroy(&r->cv);
  free(r);
}

/* ---- restore ------------------------------------------------------------------------------ */

typedef struct OldStage {
  int nsub;                /* subtasks in the old run */
  StageRec *sub;           /* nsub: watermark and source channel watermarks */
  char **file;             /* nsub: file name or NULL */
  int hashed;              /* every input of the stage is a HASH edge */
} OldStage;

struct CkRestore {
  CkptReader *rd;          /* the open checkpoint */
  CkShape sh;              /* the new pipeline (borrowed pointers) */
  int64_t epoch;
  int parallelism;         /* old */
  CkPos *src;              /* nsources * old parallelism */
  uint8_t *src_has;        /* a position was recorded (n may still be 0) */
  CkPos *sink;             /* nsinks */
  OldStage *stage;         /* nstages */
  int64_t files, bytes;    /* read so far (atomic) */
};

static int bad_meta(CkRestore *rs, const char *url, const char *why, char *err, size_t errlen) {
  snprintf(err, errlen, "checkpoint ckpt-%010lld in %s does not fit this pipeline: %s "
           "(restore it with the query it was taken from, or start without --restore)",
           (long long)rs->epoch, url, why);
  return -1;
}

/* Parse the metadata into rs; -1 with err. */
static int read_meta(CkRestore *rs, const char *url, const char *text, char *err, size_t errlen) {
  const RtPipeline *p = rs->sh.p;
  char why[256];
  Arena a;
  arena_init(&a, 64 * 1024);
  int rc = -1;
  JNode *root = jparse(text, strlen(text), &a);
  JNode *par = jget(root, "parallelism", JN_INT);
  JNode *srcs = jget(root, "sources", JN_ARR), *stages = jget(root, "stages", JN_ARR);
  JNode *sinks = jget(root, "sinks", JN_ARR);
  if (!par || par->i < 1 || par->i > 1024 || !srcs || !stages || !sinks) {
    rc = bad_meta(rs, url, "its metadata is not a worker checkpoint's", err, errlen);
    goto out;
  }
  rs->parallelism = (int)par->i;
  if (srcs->n != p->nsources || stages->n != rs->sh.nstages || sinks->n != p->nsinks) {
    snprintf(why, sizeof why, "it has %u sources, %u stages and %u sinks, the pipeline %u, %u "
             "and %u", srcs->n, stages->n, sinks->n, p->nsources, rs->sh.nstages, p->nsinks);
    rc = bad_meta(rs, url, why, err, errlen);
    goto out;
  }
  rs->src = xcalloc((size_t)p->nsources * (size_t)rs->parallelism, sizeof *rs->src);
  rs->src_has = xcalloc((size_t)p->nsources * (size_t)rs->parallelism, 1);
  for (uint32_t s = 0; s < p->nsources; s++) {
    JNode *subs = jget(srcs->kids[s], "subtasks", JN_ARR);
    JNode *table = jget(srcs->kids[s], "table", JN_STR);
    if (!subs || subs->n != (uint32_t)rs->parallelism || !table ||
        strcmp(table->s, p->sources[s].table) != 0) {
      snprintf(why, sizeof why, "source %u is not '%s' with %d subtasks", s, p->sources[s].table,
               rs->parallelism);
      rc = bad_meta(rs, url, why, err, errlen);
      goto out;
    }
    for (uint32_t i = 0; i < subs->n; i++) {
      size_t k = s * (size_t)rs->parallelism + i;
      if (jpos(subs->kids[i], &rs->src[k]) < 0) {
        rc = bad_meta(rs, url, "a source position is not a list of integers", err, errlen);
        goto out;
      }
      rs->src_has[k] = 1;
    }
  }
  rs->sink = xcalloc(p->nsinks, sizeof *rs->sink);
  for (uint32_t s = 0; s < p->nsinks; s++) {
    JNode *table = jget(sinks->kids[s], "table", JN_STR);
    if (!table || strcmp(table->s, p->sinks[s].table) != 0 ||
        jpos(jget(sinks->kids[s], "commit", JN_ARR), &rs->sink[s]) < 0) {
      snprintf(why, sizeof why, "sink %u is not '%s' with a commit position", s, p->sinks[s].table);
      rc = bad_meta(rs, url, why, err, errlen);
      goto out;
    }
  }
  rs->stage = xcalloc(rs->sh.nstages, sizeof *rs->stage);
  for (uint32_t s = 0; s < rs->sh.nstages; s++) {
    const RtStage *st = &rs->sh.stages[s];
    OldStage *os = &rs->stage[s];
    JNode *name = jget(stages->kids[s], "name", JN_STR);
    JNode *subs = jget(stages->kids[s], "subtasks", JN_ARR);
    if (!name || strcmp(name->s, st->name) != 0 || !subs || subs->n < 1 || subs->n > 1024) {
      snprintf(why, sizeof why, "stage %u is not '%s'", s, st->name);
      rc = bad_meta(rs, url, why, err, errlen);
      goto out;
    }
    os->nsub = (int)subs->n;
    os->sub = xcalloc(subs->n, sizeof *os->sub);
    os->file = xcalloc(subs->n, sizeof *os->file);
    os->hashed = st->ninputs > 0;
    for (uint32_t k = 0; k < st->ninputs; k++)
      if (st->inputs[k].kind != RT_PORT_EDGE ||
          p->edges[st->inputs[k].index].routing != RT_ROUTE_HASH)
        os->hashed = 0;
    for (uint32_t j = 0; j < subs->n; j++) {
      JNode *o = subs->kids[j];
      JNode *wm = jget(o, "wm", JN_INT), *file = jget(o, "file", JN_STR);
      JNode *wms = jget(o, "source_wms", JN_ARR);
      if (!wm || !wms) {
        rc = bad_meta(rs, url, "a stage subtask has no watermark", err, errlen);
        goto out;
      }
      os->sub[j].wm = wm->i;
      if (file) os->file[j] = xstrdup(file->s);
      if ((file != NULL) != (st->nstates > 0)) {
        snprintf(why, sizeof why, "stage '%s' %s state tables", st->name,
                 st->nstates > 0 ? "has" : "has no");
        rc = bad_meta(rs, url, why, err, errlen);
        goto out;
      }
      os->sub[j].wms = xcalloc(wms->n, sizeof *os->sub[j].wms);
      for (uint32_t k = 0; k < wms->n; k++) {
        JNode *t = wms->kids[k];
        if (t->type != JN_ARR || t->n != 3 || t->kids[0]->type != JN_INT ||
            t->kids[1]->type != JN_INT || t->kids[2]->type != JN_INT) {
          rc = bad_meta(rs, url, "a source watermark is not [source, subtask, wm]", err, errlen);
          goto out;
        }
        os->sub[j].wms[k].source = (int32_t)t->kids[0]->i;
        os->sub[j].wms[k].producer = (int32_t)t->kids[1]->i;
        os->sub[j].wms[k].wm = t->kids[2]->i;
      }
      os->sub[j].nwms = wms->n;
    }
  }
  rc = 0;
out:
  arena_free(&a);
  return rc;
}

int ckrs_open(CkStore *s, const CkShape *shape, CkRestore **out, char *err, size_t errlen) {
  CkptReader *rd = NULL;
  *out = NULL;
  int rc = ckpt_latest(s, shape->p->layout_hash, &rd, err, errlen);
  if (rc != 0) return rc;
  const CkptInfo *info = ckpt_info(rd);
  CkRestore *rs = xcalloc(1, sizeof *rs);
  rs->rd = rd;
  rs->sh = *shape;
  rs->epoch = info->epoch;
  if (read_meta(rs, ck_url(s), info->metadata ? info->metadata : "null", err, errlen) < 0) {
    ckrs_free(rs);
    return -1;
  }
  *out = rs;
  return 0;
}

int64_t ckrs_epoch(const CkRestore *rs) { return rs->epoch; }
int ckrs_parallelism(const CkRestore *rs) { return rs->parallelism; }

const CkPos *ckrs_source(const CkRestore *rs, uint32_t source, int sub) {
  if (sub < 0 || sub >= rs->parallelism) return NULL;
  size_t k = source * (size_t)rs->parallelism + (size_t)sub;
  return rs->src_has[k] ? &rs->src[k] : NULL;
}

const CkPos *ckrs_sources(const CkRestore *rs, uint32_t source, int *n) {
  *n = rs->parallelism;
  return &rs->src[source * (size_t)rs->parallelism];
}

const CkPos *ckrs_sink(const CkRestore *rs, uint32_t sink) {
  return rs->sink[sink].n > 0 ? &rs->sink[sink] : NULL;
}

int64_t ckrs_stage_wm(const CkRestore *rs, uint32_t stage, int sub) {
  const OldStage *os = &rs->stage[stage];
  if (os->nsub == rs->sh.nsub[stage]) return os->sub[sub].wm;
  int64_t min = INT64_MAX;
  for (int j = 0; j < os->nsub; j++) if (os->sub[j].wm < min) min = os->sub[j].wm;
  return min;
}

int64_t ckrs_source_wm(const CkRestore *rs, uint32_t stage, int32_t source, int32_t producer) {
  const OldStage *os = &rs->stage[stage];
  /* At another parallelism a new producer may emit rows an old producer of another index
  ** left (nexmark), so only the minimum over all of them is safe: no row turns late. */
  int same = rs->parallelism == rs->sh.parallelism;
  int64_t min = INT64_MAX;
  int found = 0;
  for (int j = 0; j < os->nsub; j++)
    for (uint32_t k = 0; k < os->sub[j].nwms; k++) {
      const CkSrcWm *m = &os->sub[j].wms[k];
      if (m->source != source || (same && m->producer != producer)) continue;
      if (same) return m->wm;
      if (m->wm < min) min = m->wm;
      found = 1;
    }
  return found ? min : INT64_MIN;
}

/* Restore old subtask `old`'s file of `stage` into tables: entries with hash in [lo, hi)
** (lo = hi = 0: all). */
static int restore_file(CkRestore *rs, uint32_t stage, int old, StateTable *const *tables,
                        uint32_t n, uint64_t lo, uint64_t hi, char *err, size_t errlen) {
  const char *name = rs->stage[stage].file[old];
  Buf b = { 0 };
  int rc = -1;
  if (ckpt_read_file(rs->rd, name, &b) < 0) {
    snprintf(err, errlen, "%s", ck_error());
    goto out;
  }
  __atomic_add_fetch(&rs->files, 1, __ATOMIC_RELAXED);
  __atomic_add_fetch(&rs->bytes, (int64_t)b.len, __ATOMIC_RELAXED);
  uint32_t ntables;
  if (b.len < STAGE_HDR || memcmp(b.p, STAGE_MAGIC, 8) != 0 ||
      (memcpy(&ntables, b.p + 8, 4), ntables != n)) {
    snprintf(err, errlen, "checkpoint file %s: not the state of stage '%s' (%u tables)", name,
             rs->sh.stages[stage].name, n);
    goto out;
  }
  size_t at = STAGE_HDR;
  for (uint32_t t = 0; t < n; t++) {
    uint64_t len;
    char serr[512];
    if (b.len - at < 8 || (memcpy(&len, b.p + at, 8), len > b.len - at - 8)) {
      snprintf(err, errlen, "checkpoint file %s: truncated at table %u", name, t);
      goto out;
    }
    at += 8;
    serr[0] = 0;
    if (st_restore(tables[t], b.p + at, (size_t)len, lo, hi, serr, sizeof serr) < 0) {
      snprintf(err, errlen, "checkpoint file %s, table '%s': %s", name, st_name(tables[t]), serr);
      goto out;
    }
    at += (size_t)len;
  }
  rc = 0;
out:
  buf_free(&b);
  return rc;
}

int ckrs_tables(CkRestore *rs, uint32_t stage, int sub, StateTable *const *tables, uint32_t n,
                char *err, size_t errlen) {
  const OldStage *os = &rs->stage[stage];
  int m = rs->sh.nsub[stage];
  if (n == 0) return 0;
  if (os->nsub == m) return restore_file(rs, stage, sub, tables, n, 0, 0, err, errlen);
  if (os->hashed) {
    uint64_t lo, hi;
    st_owner_range((uint32_t)sub, (uint32_t)m, &lo, &hi);
    for (int i = 0; i < os->nsub; i++)
      if (restore_file(rs, stage, i, tables, n, lo, hi, err, errlen) < 0) return -1;
    return 0;
  }
  for (int i = sub; i < os->nsub; i += m)
    if (restore_file(rs, stage, i, tables, n, 0, 0, err, errlen) < 0) return -1;
  return 0;
}

void ckrs_stats(const CkRestore *rs, CkStats *out) {
  out->files = __atomic_load_n(&rs->files, __ATOMIC_RELAXED);
  out->raw_bytes = __atomic_load_n(&rs->bytes, __ATOMIC_RELAXED);   /* decompressed */
  out->stored_bytes = -1;                                           /* not known here */
}

void ckrs_free(CkRestore *rs) {
  if (!rs) return;
  ckpt_reader_free(rs->rd);
  for (uint32_t s = 0; rs->stage && s < rs->sh.nstages; s++) {
    OldStage *os = &rs->stage[s];
    for (int j = 0; j < os->nsub; j++) {
      if (os->sub) free(os->sub[j].wms);
      if (os->file) free(os->file[j]);
    }
    free(os->sub);
    free(os->file);
  }
  free(rs->stage);
  free(rs->src);
  free(rs->src_has);
  free(rs->sink);
  free(rs);
}
