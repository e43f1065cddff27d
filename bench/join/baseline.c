/*
** bench/join/baseline.c: hand-written C doing the work of the bench/join queries,
** single-threaded, as the reference the generated pipelines are measured against.
**
**   baseline window   N K                     windowed join (query_window.sql)
**   baseline updating N TTL_MS out|none PATH  updating join (query_updating.sql)
**   baseline memory   N                       updating join, disjoint keys (memory test)
**
** N is the number of events of BOTH sources together (N/2 each). The two impulse sources
** are generated inline and in lockstep: event number e = 0..N/2-1 at event time e us
** (start_time 0) on each source. (The queries use e = counter * P + subtask_index at
** --parallelism P, which gives these same events in the same windows at every P.)
**
** window: per source a tumbling 1 s aggregate by k = e % K (source 1 count(*), source 2
**   sum(e % 997), overflow-checked as SQL's sum), each an open-addressing map per window;
**   when the watermark (largest event time - 1 s, the default delay) reaches a window's
**   end, every key of source 1's map is looked up in source 2's map and a match is an output
**   row (k, count, sum); both maps are freed. A new window's map starts at the capacity its
**   predecessor ended with. Output rows feed an order-independent checksum.
**
** updating: rows l = (k, e*3, e+7, e%1000) from source 1 and r = (k, e*5, e+11, e%997) from
**   source 2, k = e (unique per event, the same on both sides, so every key matches exactly
**   once), SQL overflow checks on every arithmetic. Per side a hash map from key to
**   the key's live rows: rows live in one dense array of entries (32-byte row, last-access
**   watermark, LRU links, a link to the key's next row), the index is open addressing over
**   32-bit entry numbers (linear probing, load <= 3/4, backward-shift deletion). A row is
**   stored on its side and probes the other side; every stored row of the key is a candidate
**   pair. TTL as the worker's updating_ttl: a key's rows are dropped once its last access
**   (insert or probe hit; the watermark at that time) is more than TTL behind the watermark;
**   since watermarks only grow, an LRU list in access order replaces a heap. Modes:
**     out   every pair is an output row (l.k, l.a, r.b), written as the worker's
**           debezium_json sink writes it, {"before":null,"after":{"k":..,"la":..,"rb":..},
**           "op":"c"}, into a 1 MiB buffer flushed with write(2) to PATH
**     none  the residual ON condition l.c > r.c + 1000 (never true) is evaluated per pair,
**           nothing is written (PATH is ignored)
** memory: the updating join's state with N/2 rows per side, keys e and e + 10^12 (no
**   matches, so every row stays live); the TTL (1 day) never fires. The benchmark measures
**   the peak RSS of this run minus that of N = 2.
**
** Output on stdout: "rows_in=N rows_out=M checksum=X" (memory: also the bytes of the maps).
*/
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SEC 1000000000LL
#define DELAY (1 * SEC)          /* default watermark delay */
#define WIDTH (1 * SEC)          /* tumble(interval '1 second') */

static uint64_t rows_out, checksum;

static void die(const char *msg) {
  fprintf(stderr, "baseline: %s\n", msg);
  exit(1);
}

static void *xcalloc(size_t n, size_t sz) {
  void *p = calloc(n, sz);
  if (!p) die("out of memory");
  return p;
}

static void *xrealloc(void *p, size_t sz) {
  p = realloc(p, sz);
  if (!p) die("out of memory");
  return p;
}

/* Order-independent checksum of one output row (3 values). */
static inline void out_row(uint64_t x, uint64_t y, uint64_t z) {
  uint64_t h = x * 0x9E3779B97F4A7C15ULL;
  h = (h ^ y) * 0xC2B2AE3D27D4EB4FULL;
  h = (h ^ z) * 0x165667B19E3779F9ULL;
  checksum += h ^ (h >> 29);
  rows_out++;
}

/* Fibonacci hashing: the top `bits` bits of key * 2^64/phi. */
static inline uint64_t home(uint64_t key, unsigned bits) {
  return (key * 0x9E3779B97F4A7C15ULL) >> (64 - bits);
}

/* ==== windowed join ======================================================================== */

/* One aggregate map: key + 1 (0 = empty slot) -> count (side 1) or sum (side 2). */
typedef struct Slot {
  uint64_t kp1;
  uint64_t val;
} Slot;

typedef struct Map {
  Slot *s;
  unsigned bits;
  uint64_t n;
} Map;

static void map_init(Map *m, unsigned bits) {
  m->bits = bits;
  m->n = 0;
  m->s = xcalloc((size_t)1 << bits, sizeof(Slot));
}

static void map_grow(Map *m) {
  Slot *old = m->s;
  uint64_t cap = (uint64_t)1 << m->bits;
  map_init(m, m->bits + 1);
  uint64_t mask = ((uint64_t)1 << m->bits) - 1;
  for (uint64_t i = 0; i < cap; i++) {
    if (!old[i].kp1) continue;
    uint64_t p = home(old[i].kp1, m->bits);
    while (m->s[p].kp1) p = (p + 1) & mask;
    m->s[p] = old[i];
    m->n++;
  }
  free(old);
}

/* The key's slot, created with val 0 if absent. */
static inline Slot *map_upsert(Map *m, uint64_t key) {
  uint64_t kp1 = key + 1, mask = ((uint64_t)1 << m->bits) - 1;
  for (uint64_t p = home(kp1, m->bits);; p = (p + 1) & mask) {
    Slot *s = &m->s[p];
    if (s->kp1 == kp1) return s;
    if (!s->kp1) {
      if ((m->n + 1) * 2 > mask + 1) {     /* load <= 1/2 */
        map_grow(m);
        return map_upsert(m, key);
      }
      m->n++;
      s->kp1 = kp1;
      s->val = 0;
      return s;
    }
  }
}

static inline const Slot *map_find(const Map *m, uint64_t key) {
  uint64_t kp1 = key + 1, mask = ((uint64_t)1 << m->bits) - 1;
  for (uint64_t p = home(kp1, m->bits);; p = (p + 1) & mask) {
    const Slot *s = &m->s[p];
    if (s->kp1 == kp1) return s;
    if (!s->kp1) return NULL;
  }
}

/* An open window: both sides' aggregate maps. */
typedef struct Win {
  int64_t start;
  Map a, b;
} Win;

#define MAXOPEN 8

/* Join one closed window: source 1's keys probed in source 2's map. */
static void close_window(Win *w, unsigned *hint_a, unsigned *hint_b) {
  uint64_t cap = (uint64_t)1 << w->a.bits;
  for (uint64_t i = 0; i < cap; i++) {
    const Slot *x = &w->a.s[i];
    if (!x->kp1) continue;
    const Slot *y = map_find(&w->b, x->kp1 - 1);
    if (y) out_row(x->kp1 - 1, x->val, y->val);
  }
  *hint_a = w->a.bits;
  *hint_b = w->b.bits;
  free(w->a.s);
  free(w->b.s);
}

static void run_window(uint64_t n, uint64_t k) {
  Win open[MAXOPEN];
  unsigned head = 0, nopen = 0, hint_a = 10, hint_b = 10;
  Win *cur = NULL;
  int64_t lo = INT64_MAX, hi = INT64_MIN;   /* cur's window [lo, hi) */
  int64_t due = INT64_MAX;                  /* watermark that closes the oldest window */
  for (uint64_t e = 0; e < n / 2; e++) {
    int64_t ts = (int64_t)e * 1000;
    if (ts < lo || ts >= hi) {              /* in-order input: a new window */
      lo = ts - ts % WIDTH;
      hi = lo + WIDTH;
      if (nopen == MAXOPEN) die("too many open windows");
      cur = &open[(head + nopen++) % MAXOPEN];
      cur->start = lo;
      map_init(&cur->a, hint_a);
      map_init(&cur->b, hint_b);
      due = open[head].start + WIDTH;
    }
    uint64_t key = e % k;
    map_upsert(&cur->a, key)->val++;
    Slot *s = map_upsert(&cur->b, key);
    if (__builtin_add_overflow(s->val, e % 997, &s->val)) die("overflow in sum()");
    if (ts - DELAY >= due) {                /* the watermark is ts - DELAY (in-order input) */
      while (nopen > 0 && open[head].start + WIDTH <= ts - DELAY) {
        close_window(&open[head], &hint_a, &hint_b);
        head = (head + 1) % MAXOPEN;
        nopen--;
      }
      due = nopen > 0 ? open[head].start + WIDTH : INT64_MAX;
    }
  }
  while (nopen > 0) {                       /* end of input: final watermark */
    close_window(&open[head], &hint_a, &hint_b);
    head = (head + 1) % MAXOPEN;
    nopen--;
  }
}

/* ==== updating join ======================================================================== */

typedef struct Row {      /* the stored row: 32 bytes, all BIGINT UNSIGNED NOT NULL */
  uint64_t k, a, b, c;
} Row;

typedef struct Ent {      /* 56 bytes */
  Row r;
  int64_t stamp;          /* watermark at the key's last access (head entry only) */
  uint32_t prev, next;    /* LRU list in access order (head entry only); free list: next */
  uint32_t dup;           /* the key's next row, 0 = none */
  uint32_t pad_;
} Ent;

typedef struct Side {
  Ent *e;                 /* e[0] unused: entry number 0 means none */
  uint32_t n, cap;        /* entries handed out (incl. e[0]), allocated */
  uint32_t freel;         /* free entries */
  uint32_t *idx;          /* key's first entry, 0 = empty */
  unsigned bits;
  uint64_t keys;          /* keys in idx */
  uint32_t lru_head, lru_tail;
} Side;

static void side_init(Side *s, unsigned bits) {
  memset(s, 0, sizeof *s);
  s->cap = 1024;
  s->e = xcalloc(s->cap, sizeof(Ent));
  s->n = 1;
  s->bits = bits;
  s->idx = xcalloc((size_t)1 << bits, sizeof(uint32_t));
}

static void side_free(Side *s) {
  free(s->e);
  free(s->idx);
}

static inline uint32_t ent_alloc(Side *s) {
  if (s->freel) {
    uint32_t id = s->freel;
    s->freel = s->e[id].next;
    return id;
  }
  if (s->n == s->cap) {
    if (s->cap > UINT32_MAX / 2) die("too many rows");
    s->cap *= 2;
    s->e = xrealloc(s->e, (size_t)s->cap * sizeof(Ent));
  }
  return s->n++;
}

static void idx_grow(Side *s) {
  uint32_t *old = s->idx;
  uint64_t cap = (uint64_t)1 << s->bits;
  s->bits++;
  s->idx = xcalloc((size_t)1 << s->bits, sizeof(uint32_t));
  uint64_t mask = ((uint64_t)1 << s->bits) - 1;
  for (uint64_t i = 0; i < cap; i++) {
    if (!old[i]) continue;
    uint64_t p = home(s->e[old[i]].r.k, s->bits);
    while (s->idx[p]) p = (p + 1) & mask;
    s->idx[p] = old[i];
  }
  free(old);
}

/* Index position of key k: its slot, or the empty slot where it would go. */
static inline uint64_t idx_pos(const Side *s, uint64_t k) {
  uint64_t mask = ((uint64_t)1 << s->bits) - 1;
  uint64_t p = home(k, s->bits);
  while (s->idx[p] && s->e[s->idx[p]].r.k != k) p = (p + 1) & mask;
  return p;
}

static inline void lru_unlink(Side *s, uint32_t id) {
  Ent *x = &s->e[id];
  if (x->prev) s->e[x->prev].next = x->next; else s->lru_head = x->next;
  if (x->next) s->e[x->next].prev = x->prev; else s->lru_tail = x->prev;
}

static inline void lru_append(Side *s, uint32_t id) {
  Ent *x = &s->e[id];
  x->prev = s->lru_tail;
  x->next = 0;
  if (s->lru_tail) s->e[s->lru_tail].next = id; else s->lru_head = id;
  s->lru_tail = id;
}

/* Access of a key's head entry at watermark wm. */
static inline void touch(Side *s, uint32_t id, int64_t wm) {
  s->e[id].stamp = wm;
  if (s->lru_tail != id) {
    lru_unlink(s, id);
    lru_append(s, id);
  }
}

/* Store row r (key r->k). */
static inline void side_insert(Side *s, const Row *r, int64_t wm) {
  uint64_t p = idx_pos(s, r->k);
  uint32_t head = s->idx[p];
  uint32_t id = ent_alloc(s);
  Ent *x = &s->e[id];
  x->r = *r;
  x->dup = 0;
  if (head) {                               /* another row of a known key: after the head */
    x->dup = s->e[head].dup;
    s->e[head].dup = id;
    touch(s, head, wm);
    return;
  }
  x->stamp = wm;
  lru_append(s, id);
  s->idx[p] = id;
  if (++s->keys * 4 > ((uint64_t)3 << s->bits)) idx_grow(s);   /* load <= 3/4 */
}

static inline uint32_t side_find(const Side *s, uint64_t k) {
  return s->idx[idx_pos(s, k)];
}

/* Drop the key whose head entry is `id` (backward-shift deletion keeps probing intact). */
static void side_drop(Side *s, uint32_t id) {
  uint64_t mask = ((uint64_t)1 << s->bits) - 1;
  uint64_t i = idx_pos(s, s->e[id].r.k), j = i;
  for (;;) {
    j = (j + 1) & mask;
    if (!s->idx[j]) break;
    uint64_t h = home(s->e[s->idx[j]].r.k, s->bits);
    if (((j - h) & mask) < ((j - i) & mask)) continue;   /* h in (i, j]: stays */
    s->idx[i] = s->idx[j];
    i = j;
  }
  s->idx[i] = 0;
  s->keys--;
  lru_unlink(s, id);
  while (id) {                              /* the key's rows go to the free list */
    uint32_t d = s->e[id].dup;
    s->e[id].next = s->freel;
    s->freel = id;
    id = d;
  }
}

static inline void expire(Side *s, int64_t cutoff) {
  while (s->lru_head && s->e[s->lru_head].stamp < cutoff) side_drop(s, s->lru_head);
}

/* ---- debezium_json output ---- */

#define OUTBUF (1 << 20)
static char *obuf;
static size_t olen;
static int ofd = -1;

static void out_flush(void) {
  size_t o = 0;
  while (o < olen) {
    ssize_t w = write(ofd, obuf + o, olen - o);
    if (w < 0) die("write failed");
    o += (size_t)w;
  }
  olen = 0;
}

static inline char *put_u64(char *p, uint64_t v) {
  char tmp[20];
  int n = 0;
  do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v);
  while (n) *p++ = tmp[--n];
  return p;
}

static inline void put_lit(char **p, const char *s, size_t n) {
  memcpy(*p, s, n);
  *p += n;
}

static inline void out_pair(const Row *l, const Row *r) {
  if (olen + 256 > OUTBUF) out_flush();
  char *p = obuf + olen;
  put_lit(&p, "{\"before\":null,\"after\":{\"k\":", 28);
  p = put_u64(p, l->k);
  put_lit(&p, ",\"la\":", 6);
  p = put_u64(p, l->a);
  put_lit(&p, ",\"rb\":", 6);
  p = put_u64(p, r->b);
  put_lit(&p, "},\"op\":\"c\"}\n", 12);
  olen = (size_t)(p - obuf);
  out_row(l->k, l->a, r->b);
}

/* A new row on side `mine` (left: is_left): store it, pair it with the other side's rows. */
static inline __attribute__((always_inline)) void join_row(Side *mine, Side *other, const Row *row,
                                                           int is_left, int64_t wm, int with_out) {
  side_insert(mine, row, wm);
  uint32_t id = side_find(other, row->k);
  if (!id) return;
  touch(other, id, wm);
  for (; id; id = other->e[id].dup) {
    const Row *o = &other->e[id].r;
    const Row *l = is_left ? row : o, *r = is_left ? o : row;
    if (with_out) {
      out_pair(l, r);
    } else {                                /* residual: l.c > r.c + 1000 */
      uint64_t rc;
      if (__builtin_add_overflow(r->c, 1000, &rc)) die("overflow in r.c + 1000");
      if (l->c > rc) out_row(l->k, l->a, r->b);
    }
  }
}

static inline uint64_t chk_mul(uint64_t a, uint64_t b) {
  uint64_t r;
  if (__builtin_mul_overflow(a, b, &r)) die("overflow in *");
  return r;
}

static inline uint64_t chk_add(uint64_t a, uint64_t b) {
  uint64_t r;
  if (__builtin_add_overflow(a, b, &r)) die("overflow in +");
  return r;
}

/* rkey_off: 0 (keys match) or 10^12 (memory: disjoint keys). */
static inline __attribute__((always_inline)) void updating_loop(uint64_t n, int64_t ttl, int with_out,
                                                                uint64_t rkey_off, Side *L, Side *R) {
  for (uint64_t e = 0; e < n / 2; e++) {
    int64_t wm = (int64_t)e * 1000 - DELAY;   /* both sources are at e us: min of the two */
    Row l = { e, chk_mul(e, 3), chk_add(e, 7), e % 1000 };
    join_row(L, R, &l, 1, wm, with_out);
    Row r = { chk_add(e, rkey_off), chk_mul(e, 5), chk_add(e, 11), e % 997 };
    join_row(R, L, &r, 0, wm, with_out);
    expire(L, wm - ttl);
    expire(R, wm - ttl);
  }
}

static void run_updating(uint64_t n, int64_t ttl, int with_out, const char *path) {
  Side L, R;
  side_init(&L, 10);
  side_init(&R, 10);
  if (with_out) {
    ofd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (ofd < 0) die("cannot open the output path");
    obuf = malloc(OUTBUF);
    if (!obuf) die("out of memory");
  }
  if (with_out) updating_loop(n, ttl, 1, 0, &L, &R);
  else updating_loop(n, ttl, 0, 0, &L, &R);
  if (with_out) {
    out_flush();
    close(ofd);
  }
  side_free(&L);
  side_free(&R);
}

static void run_memory(uint64_t n) {
  Side L, R;
  side_init(&L, 10);
  side_init(&R, 10);
  updating_loop(n, 86400 * SEC, 0, 1000000000000ULL, &L, &R);
  uint64_t live = L.keys + R.keys;
  uint64_t bytes = (uint64_t)(L.cap + R.cap) * sizeof(Ent) +
                   (((uint64_t)1 << L.bits) + ((uint64_t)1 << R.bits)) * sizeof(uint32_t);
  printf("live=%llu map_bytes=%llu ", (unsigned long long)live, (unsigned long long)bytes);
  side_free(&L);
  side_free(&R);
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "";
  uint64_t n = argc > 2 ? strtoull(argv[2], NULL, 10) : 0;
  if (strcmp(mode, "window") == 0 && argc == 4) {
    uint64_t k = strtoull(argv[3], NULL, 10);
    if (!k || n % 2) die("K must be > 0 and N even");
    run_window(n, k);
  } else if (strcmp(mode, "updating") == 0 && argc == 6) {
    int64_t ttl = (int64_t)strtoll(argv[3], NULL, 10) * 1000000;
    int with_out = strcmp(argv[4], "out") == 0;
    if (!with_out && strcmp(argv[4], "none") != 0) die("mode out or none");
    if (ttl <= 0 || n % 2) die("TTL must be > 0 and N even");
    run_updating(n, ttl, with_out, argv[5]);
  } else if (strcmp(mode, "memory") == 0 && argc == 3) {
    if (n % 2) die("N must be even");
    run_memory(n);
  } else {
    fprintf(stderr, "usage: baseline window N K | updating N TTL_MS out|none PATH | memory N\n");
    return 2;
  }
  printf("rows_in=%llu rows_out=%llu checksum=%016llx\n", (unsigned long long)n,
         (unsigned long long)rows_out, (unsigned long long)checksum);
  return 0;
}
