/*
** runtime/join_rows.c: the overflow rows of one join key (RtObj kind RT_OBJ_JROWS).
**
** An updating or interval join keeps, per key and side, the key's live rows, each packed into
** bytes by the generated code (codegen/cg_join.c). The first row sits inline in the state
** value; this object holds the second and later ones, in arrival order, in ONE malloc'd block
** that grows by doubling: [header][u32 len][len bytes][u32 len][len bytes]... A key with many
** rows therefore costs one allocation and 4 bytes of overhead per row, not an allocation per
** row (the value list of agg_list.c, used before, took three mallocs per key).
**
** Remove takes out the LAST row equal to the given bytes (equal rows are interchangeable) with
** a memmove of the rows behind it; take_first hands the first row to the caller (the inline
** slot refills from it) by advancing a start offset, and the dead front is reclaimed when it
** is more than half of the block. Both are O(bytes of the key's rows), fine for the row
** counts of one key; nothing here is sorted or indexed.
** It does not know the row format, the key, or time: expiry is the caller's (state TTL for
** updating joins, bucket drops for interval joins).
**
** Serialized payload: [u64 n] then per row [u64 len][bytes] (the value list's format).
*/
#include <stdlib.h>
#include <string.h>
#include "agg.h"

typedef struct JRows {
  RtObj h;            /* kind RT_OBJ_JROWS; h.bytes = the block's size */
  uint32_t n;         /* live rows */
  uint32_t start;     /* offset in data of the first live row */
  uint32_t used;      /* bytes of data in use, dead front included */
  uint32_t cap;       /* bytes allocated for data */
  unsigned char data[];
} JRows;

#define JR_MAX_BYTES 0x7FFFFFFFu   /* one key's rows of one side: at most 2 GiB */

static uint32_t get_u32(const unsigned char *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

/* Room for `more` bytes at the end, compacting the dead front first. NULL if over the limit. */
static JRows *reserve(JRows *r, uint32_t more) {
  if (r->start && r->start * 2 >= r->used) {
    memmove(r->data, r->data + r->start, r->used - r->start);
    r->used -= r->start;
    r->start = 0;
  }
  if ((uint64_t)r->used + more > JR_MAX_BYTES) return NULL;
  if (r->used + more <= r->cap) return r;
  /* the first block fits the first row exactly (most keys never get a second one) */
  uint64_t nc = r->cap ? (uint64_t)r->cap * 2 : ((uint64_t)more + 15) & ~(uint64_t)15;
  while (nc < (uint64_t)r->used + more) nc *= 2;
  if (nc > JR_MAX_BYTES) nc = JR_MAX_BYTES;
  JRows *g = aobj_realloc(r, sizeof *r + nc);
  aobj_grow(&g->h, (int64_t)(nc - g->cap));
  g->cap = (uint32_t)nc;
  return g;
}

int jrows_add(RtCtx *ctx, void **obj, const void *p, uint32_t n) {
  JRows *r = *obj;
  if (!r) {
    r = aobj_alloc(sizeof *r);
    aobj_init(&r->h, RT_OBJ_JROWS, (int64_t)sizeof *r);
  }
  JRows *g = reserve(r, 4 + n);
  if (!g) {
    *obj = r;
    return rt_error(ctx, NULL, "a join key holds over 2 GiB of rows on one side");
  }
  memcpy(g->data + g->used, &n, 4);
  if (n) memcpy(g->data + g->used + 4, p, n);
  g->used += 4 + n;
  g->n++;
  *obj = g;
  return RT_OK;
}

int jrows_remove(RtCtx *ctx, void **obj, const void *p, uint32_t n) {
  (void)ctx;
  JRows *r = *obj;
  if (!r) return 0;
  uint32_t at = UINT32_MAX;
  for (uint32_t o = r->start; o < r->used;) {
    uint32_t len = get_u32(r->data + o);
    if (len == n && (n == 0 || memcmp(r->data + o + 4, p, n) == 0)) at = o;
    o += 4 + len;
  }
  if (at == UINT32_MAX) return 0;
  uint32_t end = at + 4 + n;
  memmove(r->data + at, r->data + end, r->used - end);
  r->used -= 4 + n;
  if (--r->n == 0) {
    jrows_free(r);
    *obj = NULL;
  }
  return 1;
}

const unsigned char *jrows_next(const void *obj, uint32_t *pos, uint32_t *len) {
  const JRows *r = obj;
  if (!r) return NULL;
  uint32_t o = *pos < r->start ? r->start : *pos;
  if (o >= r->used) return NULL;
  *len = get_u32(r->data + o);
  *pos = o + 4 + *len;
  return r->data + o + 4;
}

int jrows_take_first(RtCtx *ctx, void **obj, void *buf, uint32_t cap, uint32_t *len) {
  (void)ctx;
  JRows *r = *obj;
  if (!r || r->start >= r->used) return 0;
  uint32_t n = get_u32(r->data + r->start);
  if (n > cap) return 0;
  if (n) memcpy(buf, r->data + r->start + 4, n);
  *len = n;
  r->start += 4 + n;
  if (--r->n == 0) {
    jrows_free(r);
    *obj = NULL;
  }
  return 1;
}

void jrows_free(void *obj) {
  JRows *r = obj;
  aobj_grow(&r->h, -r->h.bytes);
  free(r);
}

void jrows_serialize(const void *obj, Buf *out) {
  const JRows *r = obj;
  aobj_put_u64(out, r->n);
  for (uint32_t o = r->start; o < r->used;) {
    uint32_t len = get_u32(r->data + o);
    aobj_put_u64(out, len);
    if (len) buf_put(out, r->data + o + 4, len);
    o += 4 + len;
  }
}

void *jrows_deserialize(AobjReader *rd) {
  uint64_t n = aobj_get_u64(rd);
  if (rd->bad || n == 0 || n > rd->n) { rd->bad = 1; return NULL; }
  void *obj = NULL;
  for (uint64_t i = 0; i < n && !rd->bad; i++) {
    uint64_t len = aobj_get_u64(rd);
    if (len > JR_MAX_BYTES) { rd->bad = 1; break; }
    const void *p = len ? aobj_get_bytes(rd, (size_t)len) : NULL;
    if (rd->bad) break;
    JRows *r = obj;
    if (r && (uint64_t)r->used + 4 + len > JR_MAX_BYTES) { rd->bad = 1; break; }
    jrows_add(NULL, &obj, p, (uint32_t)len);
  }
  return obj;   /* rt_obj_deserialize frees it if rd->bad */
}
