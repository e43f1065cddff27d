/*
** runtime/agg_obj.c: what every aggregate object shares.
**
** - The RtObj header and per-kind memory counters (aobj_init / aobj_grow / aobj_mem_bytes):
**   each object records the heap bytes it holds; the counters are process-wide atomics, read by
**   the metrics code, written by whatever subtask thread owns the object.
** - rt_obj_free / rt_obj_serialize / rt_obj_deserialize: dispatch on the kind byte to the
**   per-kind hooks in agg_distinct.c, agg_mset.c, agg_sketch.c and agg_list.c. The state tables
**   call these for the RtObj pointers listed in RtStateDesc.obj_offsets.
** - aobj_hash: the stable 64-bit hash of value bytes (HyperLogLog registers depend on it, so it
**   is part of the snapshot format and must never change).
** - little-endian put/get helpers for the snapshot format.
** It does not know any object's layout beyond the header.
**
** Serialized form of an object: [kind u8][version u8][payload]. A NULL slot is the single byte
** RT_OBJ_NONE. Payloads are documented next to each kind's serialize function.
*/
#include <stdlib.h>
#include <string.h>
#include "agg.h"

#define AOBJ_FORMAT_VERSION 1

/* ORDER RtObjKind */
static const char *const kind_names[RT_OBJ_KIND_COUNT] = {
  "total", "distinct", "multiset", "hyperloglog", "tdigest", "list", "strbox", "join rows",
};

static int64_t mem_by_kind[RT_OBJ_KIND_COUNT];   /* atomics; [0] unused (total is a sum) */

int64_t aobj_mem_bytes(int kind) {
  if (kind < 0 || kind >= RT_OBJ_KIND_COUNT) return 0;
  if (kind != RT_OBJ_NONE) return __atomic_load_n(&mem_by_kind[kind], __ATOMIC_RELAXED);
  int64_t t = 0;
  for (int k = 1; k < RT_OBJ_KIND_COUNT; k++)
    t += __atomic_load_n(&mem_by_kind[k], __ATOMIC_RELAXED);
  return t;
}

const char *aobj_kind_name(int kind) {
  return kind >= 0 && kind < RT_OBJ_KIND_COUNT ? kind_names[kind] : "?";
}

static void oom(size_t n) {
  fprintf(stderr, "arroyo-worker: out of memory allocating %zu bytes for aggregate state\n", n);
  abort();
}

void *aobj_alloc(size_t n) {
  void *p = calloc(1, n ? n : 1);
  if (!p) oom(n);
  return p;
}

void *aobj_realloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) oom(n);
  return q;
}

void aobj_init(RtObj *o, int kind, int64_t bytes) {
  o->kind = (uint8_t)kind;
  o->bytes = bytes;
  __atomic_add_fetch(&mem_by_kind[kind], bytes, __ATOMIC_RELAXED);
}

void aobj_grow(RtObj *o, int64_t delta) {
  o->bytes += delta;
  __atomic_add_fetch(&mem_by_kind[o->kind], delta, __ATOMIC_RELAXED);
}

/* ---- hash ------------------------------------------------------------------------------- */
/* splitmix64's finalizer: a bijection on 64 bits with full avalanche. */
static inline uint64_t fmix(uint64_t x) {
  x ^= x >> 30; x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27; x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

static inline uint64_t load_le(const unsigned char *p, int64_t n) {
  uint64_t v = 0;
  for (int64_t i = 0; i < n; i++) v |= (uint64_t)p[i] << (8 * i);
  return v;
}

/* Chunks of 8 bytes are mixed into a running state (multiply-rotate, as murmur-style hashes
** do); the length goes into the seed so "a" and "a\0" differ; the finalizer avalanches. */
uint64_t aobj_hash(const void *data, int64_t n) {
  const unsigned char *p = data;
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ ((uint64_t)n * 0xff51afd7ed558ccdULL);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t k = load_le(p + i, 8) * 0x87c37b91114253d5ULL;
    k = (k << 31) | (k >> 33);
    h = ((h ^ k) << 27 | (h ^ k) >> 37) * 5 + 0x52dce729;
  }
  if (i < n) {
    uint64_t k = load_le(p + i, n - i) * 0x4cf5ad432745937fULL;
    k = (k << 31) | (k >> 33);
    h ^= k;
  }
  return fmix(h);
}

/* ---- dispatch --------------------------------------------------------------------------- */

void rt_obj_free(void *obj) {
  if (!obj) return;
  switch (((RtObj *)obj)->kind) {
  case RT_OBJ_DISTINCT: dset_free(obj); break;
  case RT_OBJ_MSET: mset_free(obj); break;
  case RT_OBJ_HLL: hll_free(obj); break;
  case RT_OBJ_TDIGEST: tdig_free(obj); break;
  case RT_OBJ_LIST: alist_free(obj); break;
  case RT_OBJ_STRBOX: sbox_free(obj); break;
  case RT_OBJ_JROWS: jrows_free(obj); break;
  default:
    fprintf(stderr, "arroyo-worker: rt_obj_free: not an aggregate object (kind %d)\n",
            ((RtObj *)obj)->kind);
    abort();
  }
}

size_t rt_obj_serialize(const void *obj, Buf *out) {
  size_t start = out->len;
  if (!obj) { aobj_put_u8(out, RT_OBJ_NONE); return 1; }
  int kind = ((const RtObj *)obj)->kind;
  aobj_put_u8(out, (uint8_t)kind);
  aobj_put_u8(out, AOBJ_FORMAT_VERSION);
  switch (kind) {
  case RT_OBJ_DISTINCT: dset_serialize(obj, out); break;
  case RT_OBJ_MSET: mset_serialize(obj, out); break;
  case RT_OBJ_HLL: hll_serialize(obj, out); break;
  case RT_OBJ_TDIGEST: tdig_serialize(obj, out); break;
  case RT_OBJ_LIST: alist_serialize(obj, out); break;
  case RT_OBJ_STRBOX: sbox_serialize(obj, out); break;
  case RT_OBJ_JROWS: jrows_serialize(obj, out); break;
  default:
    fprintf(stderr, "arroyo-worker: rt_obj_serialize: not an aggregate object (kind %d)\n", kind);
    abort();
  }
  return out->len - start;
}

void *rt_obj_deserialize(const char *p, size_t n, size_t *used) {
  AobjReader r = { (const unsigned char *)p, n, 0, 0 };
  void *obj = NULL;
  *used = 0;
  uint8_t kind = aobj_get_u8(&r);
  if (r.bad) return NULL;
  if (kind == RT_OBJ_NONE) { *used = 1; return NULL; }
  if (aobj_get_u8(&r) != AOBJ_FORMAT_VERSION || r.bad) return NULL;
  switch (kind) {
  case RT_OBJ_DISTINCT: obj = dset_deserialize(&r); break;
  case RT_OBJ_MSET: obj = mset_deserialize(&r); break;
  case RT_OBJ_HLL: obj = hll_deserialize(&r); break;
  case RT_OBJ_TDIGEST: obj = tdig_deserialize(&r); break;
  case RT_OBJ_LIST: obj = alist_deserialize(&r); break;
  case RT_OBJ_STRBOX: obj = sbox_deserialize(&r); break;
  case RT_OBJ_JROWS: obj = jrows_deserialize(&r); break;
  default: return NULL;
  }
  if (!obj) return NULL;
  if (r.bad) { rt_obj_free(obj); return NULL; }
  *used = r.pos;
  return obj;
}

/* ---- little-endian helpers --------------------------------------------------------------- */

void aobj_put_u8(Buf *b, uint8_t v) { buf_put(b, &v, 1); }

void aobj_put_u32(Buf *b, uint32_t v) {
  unsigned char t[4];
  for (int i = 0; i < 4; i++) t[i] = (unsigned char)(v >> (8 * i));
  buf_put(b, t, 4);
}

void aobj_put_u64(Buf *b, uint64_t v) {
  unsigned char t[8];
  for (int i = 0; i < 8; i++) t[i] = (unsigned char)(v >> (8 * i));
  buf_put(b, t, 8);
}

void aobj_put_f64(Buf *b, double v) {
  uint64_t u;
  memcpy(&u, &v, 8);
  aobj_put_u64(b, u);
}

const void *aobj_get_bytes(AobjReader *r, size_t n) {
  if (r->bad || n > r->n - r->pos) { r->bad = 1; return NULL; }
  const void *p = r->p + r->pos;
  r->pos += n;
  return p;
}

uint8_t aobj_get_u8(AobjReader *r) {
  const unsigned char *p = aobj_get_bytes(r, 1);
  return p ? p[0] : 0;
}

uint32_t aobj_get_u32(AobjReader *r) {
  const unsigned char *p = aobj_get_bytes(r, 4);
  return p ? (uint32_t)load_le(p, 4) : 0;
}

uint64_t aobj_get_u64(AobjReader *r) {
  const unsigned char *p = aobj_get_bytes(r, 8);
  return p ? load_le(p, 8) : 0;
}

double aobj_get_f64(AobjReader *r) {
  uint64_t u = aobj_get_u64(r);
  double d;
  memcpy(&d, &u, 8);
  return d;
}
