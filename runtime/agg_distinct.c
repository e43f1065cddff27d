/*
** runtime/agg_distinct.c: the DISTINCT set, value bytes -> multiplicity, with retraction.
**
** Serves count(DISTINCT x) (the number of values whose count is > 0) and, through the
** first/last flags of add/remove, sum(DISTINCT x) / avg(DISTINCT x) kept inline by generated
** code. Values are opaque bytes (generated code serializes them: 8 bytes for numbers and
** timestamps, the bytes of strings); NULLs never reach it.
**
** Layout: open addressing with linear probing over a power-of-two table of slots (hash, count,
** offset and length of the bytes); the bytes live back to back in one growable buffer. Deleting
** uses backward-shift (no tombstones). Bytes of deleted values become garbage in the buffer and
** are compacted away once they are more than half of it. Load factor <= 3/4.
** It does not keep insertion order (visit order is the table order: deterministic for a given
** sequence of operations, but not sorted).
**
** Serialized payload: [u64 nvalues] then per value [u32 len][bytes][u64 count].
*/
#include <stdlib.h>
#include <string.h>
#include "agg.h"

typedef struct Slot {
  uint64_t hash;       /* aobj_hash of the bytes */
  int64_t count;       /* multiplicity; 0 = empty slot */
  uint64_t off;        /* offset of the bytes in DSet.data */
  uint64_t len;        /* number of bytes */
} Slot;

typedef struct DSet {
  RtObj h;             /* kind RT_OBJ_DISTINCT */
  Slot *slots;         /* cap slots */
  uint64_t cap;        /* power of two */
  uint64_t n;          /* live values */
  char *data;          /* value bytes */
  uint64_t used;       /* bytes used in data (live + garbage) */
  uint64_t dcap;       /* bytes allocated for data */
  uint64_t garbage;    /* bytes of deleted values still in data */
} DSet;

static DSet *dset_new(void) {
  DSet *s = aobj_alloc(sizeof *s);
  s->cap = 8;
  s->slots = aobj_alloc(s->cap * sizeof(Slot));
  aobj_init(&s->h, RT_OBJ_DISTINCT, (int64_t)(sizeof *s + s->cap * sizeof(Slot)));
  return s;
}

void dset_free(void *obj) {
  DSet *s = obj;
  aobj_grow(&s->h, -s->h.bytes);
  free(s->slots);
  free(s->data);
  free(s);
}

static int slot_eq(const DSet *s, const Slot *e, uint64_t h, const void *p, int64_t n) {
  return e->hash == h && e->len == (uint64_t)n &&
         (n == 0 || memcmp(s->data + e->off, p, (size_t)n) == 0);
}

/* Index of the slot holding (p, n), or of the empty slot where it would go. */
static uint64_t find(const DSet *s, uint64_t h, const void *p, int64_t n) {
  uint64_t mask = s->cap - 1, i = h & mask;
  while (s->slots[i].count != 0 && !slot_eq(s, &s->slots[i], h, p, n)) i = (i + 1) & mask;
  return i;
}

static void rehash(DSet *s, uint64_t ncap) {
  Slot *old = s->slots;
  uint64_t ocap = s->cap;
  s->slots = aobj_alloc(ncap * sizeof(Slot));
  s->cap = ncap;
  for (uint64_t i = 0; i < ocap; i++) {
    if (old[i].count == 0) continue;
    uint64_t j = old[i].hash & (ncap - 1);
    while (s->slots[j].count != 0) j = (j + 1) & (ncap - 1);
    s->slots[j] = old[i];
  }
  free(old);
  aobj_grow(&s->h, (int64_t)((ncap - ocap) * sizeof(Slot)));
}

/* Rewrite data with only the live values (after many deletions). */
static void compact(DSet *s) {
  uint64_t live = s->used - s->garbage;
  char *nd = aobj_alloc(live ? live : 1);
  uint64_t at = 0;
  for (uint64_t i = 0; i < s->cap; i++) {
    Slot *e = &s->slots[i];
    if (e->count == 0) continue;
    memcpy(nd + at, s->data + e->off, e->len);
    e->off = at;
    at += e->len;
  }
  free(s->data);
  aobj_grow(&s->h, (int64_t)(live ? live : 1) - (int64_t)s->dcap);
  s->data = nd;
  s->dcap = live ? live : 1;
  s->used = at;
  s->garbage = 0;
}

/* Insert (p, n) with multiplicity c; returns 1 if the value was new. */
static int insert(DSet *s, const void *p, int64_t n, int64_t c) {
  uint64_t h = aobj_hash(p, n), i = find(s, h, p, n);
  if (s->slots[i].count != 0) { s->slots[i].count += c; return 0; }
  if ((s->n + 1) * 4 > s->cap * 3) { rehash(s, s->cap * 2); i = find(s, h, p, n); }
  if (s->used + (uint64_t)n > s->dcap) {
    uint64_t nc = s->dcap ? s->dcap * 2 : 64;
    while (nc < s->used + (uint64_t)n) nc *= 2;
    s->data = aobj_realloc(s->data, nc);
    aobj_grow(&s->h, (int64_t)(nc - s->dcap));
    s->dcap = nc;
  }
  if (n) memcpy(s->data + s->used, p, (size_t)n);
  s->slots[i] = (Slot){ h, c, s->used, (uint64_t)n };
  s->used += (uint64_t)n;
  s->n++;
  return 1;
}

/* Delete slot i, shifting back the probe chain that follows it. */
static void delete_slot(DSet *s, uint64_t i) {
  uint64_t mask = s->cap - 1, j = i;
  s->garbage += s->slots[i].len;
  s->slots[i].count = 0;
  s->n--;
  for (;;) {
    j = (j + 1) & mask;
    if (s->slots[j].count == 0) break;
    uint64_t home = s->slots[j].hash & mask;
    /* the entry at j may move to i if its home is not in (i, j] (cyclically) */
    if ((j > i && (home <= i || home > j)) || (j < i && (home <= i && home > j))) {
      s->slots[i] = s->slots[j];
      s->slots[j].count = 0;
      i = j;
    }
  }
  if (s->garbage > 4096 && s->garbage * 2 > s->used) compact(s);
}

int dset_add(RtCtx *ctx, void **obj, const void *p, int64_t n, int *first) {
  (void)ctx;
  if (!*obj) *obj = dset_new();
  int fresh = insert(*obj, p, n < 0 ? 0 : n, 1);
  if (first) *first = fresh;
  return RT_OK;
}

int dset_remove(RtCtx *ctx, void **obj, const void *p, int64_t n, int *last) {
  (void)ctx;
  DSet *s = *obj;
  if (last) *last = 0;
  if (!s) return RT_OK;
  if (n < 0) n = 0;
  uint64_t h = aobj_hash(p, n), i = find(s, h, p, n);
  if (s->slots[i].count == 0) return RT_OK;                /* absent: lost append, ignored */
  if (--s->slots[i].count > 0) return RT_OK;
  if (last) *last = 1;
  delete_slot(s, i);
  if (s->n == 0) { dset_free(s); *obj = NULL; }
  return RT_OK;
}

int64_t dset_count(const void *obj) { return obj ? (int64_t)((const DSet *)obj)->n : 0; }

int dset_visit(RtCtx *ctx, const void *obj, RtAggVisitFn fn, void *arg) {
  (void)ctx;
  const DSet *s = obj;
  if (!s) return 0;
  for (uint64_t i = 0; i < s->cap; i++) {
    const Slot *e = &s->slots[i];
    if (e->count == 0) continue;
    int rc = fn(arg, s->data + e->off, (int64_t)e->len, e->count);
    if (rc) return rc;
  }
  return 0;
}

int dset_merge(RtCtx *ctx, void **dst, const void *src) {
  (void)ctx;
  const DSet *s = src;
  if (!s || s->n == 0) return RT_OK;
  if (!*dst) *dst = dset_new();
  for (uint64_t i = 0; i < s->cap; i++)
    if (s->slots[i].count != 0)
      insert(*dst, s->data + s->slots[i].off, (int64_t)s->slots[i].len, s->slots[i].count);
  return RT_OK;
}

void dset_serialize(const void *obj, Buf *out) {
  const DSet *s = obj;
  aobj_put_u64(out, s->n);
  for (uint64_t i = 0; i < s->cap; i++) {
    const Slot *e = &s->slots[i];
    if (e->count == 0) continue;
    aobj_put_u32(out, (uint32_t)e->len);
    buf_put(out, s->data + e->off, e->len);
    aobj_put_u64(out, (uint64_t)e->count);
  }
}

void *dset_deserialize(AobjReader *r) {
  uint64_t n = aobj_get_u64(r);
  DSet *s = dset_new();
  int64_t total = 0;   /* corrupt input must not overflow a multiplicity (signed) */
  for (uint64_t i = 0; i < n && !r->bad; i++) {
    uint32_t len = aobj_get_u32(r);
    const void *p = aobj_get_bytes(r, len);
    int64_t c = (int64_t)aobj_get_u64(r);
    if (r->bad || c <= 0 || c > INT64_MAX - total) { r->bad = 1; break; }
    total += c;
    insert(s, p, len, c);
  }
  return s;
}
