/*
** runtime/agg_list.c: the value list and the string box.
**
** Value list (array_agg, string_agg, UDAF argument lists): elements in insertion order, each
** either SQL NULL or a byte string (generated code serializes fixed-size values as their bytes;
** a multi-argument UDAF row is one element holding all its arguments). Elements are (offset,
** length) pairs into one growable byte buffer. Retraction removes the LAST equal element, so a
** retraction that follows its own append restores the list exactly; removed bytes become
** garbage that is compacted once it is more than half of the buffer. Removal is O(n) (a scan
** from the end and a memmove): lists are for aggregates that must keep every value anyway.
**
** String box (first_value / last_value / min / max of TEXT, BYTEA, JSON in append-only
** aggregates): one owned copy of a string or NULL, replaced according to a mode.
** Neither supports retraction of anything but exact list elements.
**
** Serialized payloads:
**   list: [u64 n] then per element [u64 len, all ones for NULL][bytes]
**   box:  [u8 is_null][u64 len][bytes]
*/
#include <stdlib.h>
#include <string.h>
#include "agg.h"

/* ---- value list ------------------------------------------------------------------------- */

typedef struct LElem {
  uint64_t off;       /* offset in AList.data */
  int64_t len;        /* bytes; -1 = SQL NULL */
} LElem;

typedef struct AList {
  RtObj h;            /* kind RT_OBJ_LIST */
  LElem *e;           /* elements in order */
  int64_t n;          /* elements used */
  int64_t cap;        /* elements allocated */
  char *data;         /* element bytes */
  uint64_t used;      /* bytes used in data (live + garbage) */
  uint64_t dcap;      /* bytes allocated */
  uint64_t garbage;   /* bytes of removed elements still in data */
} AList;

static AList *alist_new(void) {
  AList *l = aobj_alloc(sizeof *l);
  aobj_init(&l->h, RT_OBJ_LIST, sizeof *l);
  return l;
}

void alist_free(void *obj) {
  AList *l = obj;
  aobj_grow(&l->h, -l->h.bytes);
  free(l->e);
  free(l->data);
  free(l);
}

static void append(AList *l, const void *p, int64_t n, int is_null) {
  if (l->n == l->cap) {
    int64_t nc = l->cap ? l->cap * 2 : 8;
    l->e = aobj_realloc(l->e, (size_t)nc * sizeof(LElem));
    aobj_grow(&l->h, (nc - l->cap) * (int64_t)sizeof(LElem));
    l->cap = nc;
  }
  if (is_null) { l->e[l->n++] = (LElem){ l->used, -1 }; return; }
  if (n < 0) n = 0;
  if (l->used + (uint64_t)n > l->dcap) {
    uint64_t nc = l->dcap ? l->dcap * 2 : 64;
    while (nc < l->used + (uint64_t)n) nc *= 2;
    l->data = aobj_realloc(l->data, nc);
    aobj_grow(&l->h, (int64_t)(nc - l->dcap));
    l->dcap = nc;
  }
  if (n) memcpy(l->data + l->used, p, (size_t)n);
  l->e[l->n++] = (LElem){ l->used, n };
  l->used += (uint64_t)n;
}

static void compact(AList *l) {
  uint64_t live = l->used - l->garbage, at = 0;
  char *nd = aobj_alloc(live ? live : 1);
  for (int64_t i = 0; i < l->n; i++) {
    if (l->e[i].len < 0) { l->e[i].off = at; continue; }
    memcpy(nd + at, l->data + l->e[i].off, (size_t)l->e[i].len);
    l->e[i].off = at;
    at += (uint64_t)l->e[i].len;
  }
  free(l->data);
  aobj_grow(&l->h, (int64_t)(live ? live : 1) - (int64_t)l->dcap);
  l->data = nd;
  l->dcap = live ? live : 1;
  l->used = at;
  l->garbage = 0;
}

int alist_add(RtCtx *ctx, void **obj, const void *p, int64_t n, int is_null) {
  (void)ctx;
  if (!*obj) *obj = alist_new();
  append(*obj, p, n, is_null);
  return RT_OK;
}

int alist_remove(RtCtx *ctx, void **obj, const void *p, int64_t n, int is_null, int *found) {
  (void)ctx;
  AList *l = *obj;
  if (found) *found = 0;
  if (!l) return RT_OK;
  if (n < 0) n = 0;
  int64_t i = l->n - 1;
  for (; i >= 0; i--) {
    const LElem *e = &l->e[i];
    if (is_null ? e->len < 0
                : e->len == n && (n == 0 || memcmp(l->data + e->off, p, (size_t)n) == 0)) break;
  }
  if (i < 0) return RT_OK;
  if (found) *found = 1;
  if (l->e[i].len > 0) l->garbage += (uint64_t)l->e[i].len;
  memmove(l->e + i, l->e + i + 1, (size_t)(l->n - i - 1) * sizeof(LElem));
  l->n--;
  if (l->n == 0) { alist_free(l); *obj = NULL; return RT_OK; }
  if (l->garbage > 4096 && l->garbage * 2 > l->used) compact(l);
  return RT_OK;
}

/* Ordered lists (window frames keep a partition's rows sorted): insert at a position, delete
** at a position, and write an element's bytes in place. */
int alist_insert(RtCtx *ctx, void **obj, int64_t index, const void *p, int64_t n) {
  if (index < 0 || index > alist_len(*obj))
    return rt_error(ctx, NULL, "internal: list insert at %lld (length %lld)", (long long)index,
                    (long long)alist_len(*obj));
  if (!*obj) *obj = alist_new();
  AList *l = *obj;
  append(l, p, n, 0);
  LElem e = l->e[l->n - 1];
  memmove(l->e + index + 1, l->e + index, (size_t)(l->n - 1 - index) * sizeof(LElem));
  l->e[index] = e;
  return RT_OK;
}

int alist_delete(RtCtx *ctx, void **obj, int64_t index) {
  AList *l = *obj;
  if (index < 0 || index >= alist_len(l))
    return rt_error(ctx, NULL, "internal: list delete at %lld (length %lld)", (long long)index,
                    (long long)alist_len(l));
  if (l->e[index].len > 0) l->garbage += (uint64_t)l->e[index].len;
  memmove(l->e + index, l->e + index + 1, (size_t)(l->n - index - 1) * sizeof(LElem));
  l->n--;
  if (l->n == 0) { alist_free(l); *obj = NULL; return RT_OK; }
  if (l->garbage > 4096 && l->garbage * 2 > l->used) compact(l);
  return RT_OK;
}

void *alist_bytes(void *obj, int64_t index) {
  AList *l = obj;
  if (index < 0 || index >= alist_len(l) || l->e[index].len < 0) return NULL;
  return l->data + l->e[index].off;
}

int64_t alist_len(const void *obj) { return obj ? ((const AList *)obj)->n : 0; }

int alist_get(RtCtx *ctx, const void *obj, int64_t i, RtStr *out) {
  const AList *l = obj;
  if (i < 0 || i >= alist_len(l))
    return rt_error(ctx, NULL, "internal: list index %lld out of range (length %lld)",
                    (long long)i, (long long)alist_len(l));
  if (l->e[i].len < 0) return RT_NULL;
  *out = rt_str(l->data + l->e[i].off, l->e[i].len);
  return RT_OK;
}

int alist_join(RtCtx *ctx, const void *obj, RtStr sep, RtStr *out) {
  const AList *l = obj;
  int64_t total = 0, k = 0;
  if (!l) return RT_NULL;
  for (int64_t i = 0; i < l->n; i++)
    if (l->e[i].len >= 0) { total += l->e[i].len + (k ? sep.len : 0); k++; }
  if (k == 0) return RT_NULL;
  char *p = rt_alloc(ctx, total ? total : 1), *at = p;
  k = 0;
  for (int64_t i = 0; i < l->n; i++) {
    if (l->e[i].len < 0) continue;
    if (k++ && sep.len) { memcpy(at, sep.ptr, (size_t)sep.len); at += sep.len; }
    if (l->e[i].len) { memcpy(at, l->data + l->e[i].off, (size_t)l->e[i].len); at += l->e[i].len; }
  }
  *out = rt_str(p, total);
  return RT_OK;
}

int alist_array(RtCtx *ctx, const void *obj, int64_t elem_size, void **vals, uint8_t **nulls,
                int64_t *n) {
  const AList *l = obj;
  int64_t cnt = alist_len(l);
  *n = cnt;
  *vals = NULL;
  if (nulls) *nulls = NULL;
  if (cnt == 0) return RT_OK;
  if (elem_size < 0)
    return rt_error(ctx, NULL, "internal: list element size %lld", (long long)elem_size);
  uint8_t *nl = nulls ? rt_alloc(ctx, cnt) : NULL;
  if (elem_size == 0) {
    RtStr *v = rt_alloc(ctx, cnt * (int64_t)sizeof(RtStr));
    for (int64_t i = 0; i < cnt; i++) {
      int is_null = l->e[i].len < 0;
      v[i] = is_null ? rt_str(NULL, 0) : rt_str(l->data + l->e[i].off, l->e[i].len);
      if (nl) nl[i] = (uint8_t)is_null;
    }
    *vals = v;
  } else {
    char *v = rt_alloc(ctx, cnt * elem_size);
    for (int64_t i = 0; i < cnt; i++) {
      int is_null = l->e[i].len < 0;
      if (!is_null && l->e[i].len != elem_size)
        return rt_error(ctx, NULL, "internal: list element %lld has %lld bytes, expected %lld",
                        (long long)i, (long long)l->e[i].len, (long long)elem_size);
      if (is_null) memset(v + i * elem_size, 0, (size_t)elem_size);
      else memcpy(v + i * elem_size, l->data + l->e[i].off, (size_t)elem_size);
      if (nl) nl[i] = (uint8_t)is_null;
    }
    *vals = v;
  }
  if (nulls) *nulls = nl;
  return RT_OK;
}

int alist_merge(RtCtx *ctx, void **dst, const void *src) {
  (void)ctx;
  const AList *s = src;
  if (!s || s->n == 0) return RT_OK;
  if (!*dst) *dst = alist_new();
  AList *d = *dst;
  for (int64_t i = 0; i < s->n; i++)
    append(d, s->e[i].len < 0 ? NULL : s->data + s->e[i].off, s->e[i].len, s->e[i].len < 0);
  return RT_OK;
}

void alist_serialize(const void *obj, Buf *out) {
  const AList *l = obj;
  aobj_put_u64(out, (uint64_t)l->n);
  for (int64_t i = 0; i < l->n; i++) {
    aobj_put_u64(out, (uint64_t)l->e[i].len);
    if (l->e[i].len > 0) buf_put(out, l->data + l->e[i].off, (size_t)l->e[i].len);
  }
}

void *alist_deserialize(AobjReader *r) {
  uint64_t n = aobj_get_u64(r);
  if (r->bad || n > r->n) { r->bad = 1; return NULL; }
  AList *l = alist_new();
  for (uint64_t i = 0; i < n && !r->bad; i++) {
    int64_t len = (int64_t)aobj_get_u64(r);
    if (len < -1) { r->bad = 1; break; }
    const void *p = len > 0 ? aobj_get_bytes(r, (size_t)len) : NULL;
    if (r->bad) break;
    append(l, p, len, len < 0);
  }
  return l;
}

/* ---- string box -------------------------------------------------------------------------- */

typedef struct SBox {
  RtObj h;            /* kind RT_OBJ_STRBOX */
  uint8_t is_null;    /* the stored value is SQL NULL (first_value/last_value keep NULLs) */
  int64_t len;        /* bytes of the value */
  int64_t cap;        /* bytes allocated at p */
  char *p;            /* the value */
} SBox;

static void sbox_store(SBox *b, const char *p, int64_t n, int is_null) {
  if (n < 0) n = 0;
  b->is_null = (uint8_t)(is_null != 0);
  if (is_null) { b->len = 0; return; }
  if (n > b->cap) {
    b->p = aobj_realloc(b->p, (size_t)n);
    aobj_grow(&b->h, n - b->cap);
    b->cap = n;
  }
  if (n) memmove(b->p, p, (size_t)n);
  b->len = n;
}

static SBox *sbox_new(void) {
  SBox *b = aobj_alloc(sizeof *b);
  aobj_init(&b->h, RT_OBJ_STRBOX, sizeof *b);
  return b;
}

void sbox_free(void *obj) {
  SBox *b = obj;
  aobj_grow(&b->h, -b->h.bytes);
  free(b->p);
  free(b);
}

/* Whether (p, n, is_null) should replace b's value under mode. */
static int sbox_wins(const SBox *b, const char *p, int64_t n, int is_null, int mode) {
  switch (mode) {
  case RT_SBOX_FIRST: return 0;
  case RT_SBOX_LAST: return 1;
  case RT_SBOX_MIN:
  case RT_SBOX_MAX: {
    if (is_null) return 0;
    if (b->is_null) return 1;
    int c = rt_str_cmp(rt_str(p, n), rt_str(b->p, b->len));
    return mode == RT_SBOX_MIN ? c < 0 : c > 0;
  }
  default: return -1;
  }
}

int sbox_set(RtCtx *ctx, void **obj, RtStr s, int is_null, int mode, int *changed) {
  if (changed) *changed = 0;
  if (mode < RT_SBOX_FIRST || mode > RT_SBOX_MAX)
    return rt_error(ctx, NULL, "internal: unknown string box mode %d", mode);
  if (!*obj) {
    *obj = sbox_new();
    sbox_store(*obj, s.ptr, s.len, is_null);
    if (changed) *changed = 1;
    return RT_OK;
  }
  SBox *b = *obj;
  if (!sbox_wins(b, s.ptr, s.len, is_null, mode)) return RT_OK;
  int same = is_null ? b->is_null : !b->is_null && rt_str_eq(s, rt_str(b->p, b->len));
  if (!same) {
    sbox_store(b, s.ptr, s.len, is_null);
    if (changed) *changed = 1;
  }
  return RT_OK;
}

int sbox_get(RtCtx *ctx, const void *obj, RtStr *out) {
  (void)ctx;
  const SBox *b = obj;
  if (!b || b->is_null) return RT_NULL;
  *out = rt_str(b->p, b->len);
  return RT_OK;
}

int sbox_merge(RtCtx *ctx, void **dst, const void *src, int mode) {
  const SBox *s = src;
  if (!s) return RT_OK;
  return sbox_set(ctx, dst, rt_str(s->p, s->len), s->is_null, mode, NULL);
}

void sbox_serialize(const void *obj, Buf *out) {
  const SBox *b = obj;
  aobj_put_u8(out, b->is_null);
  aobj_put_u64(out, (uint64_t)b->len);
  if (b->len) buf_put(out, b->p, (size_t)b->len);
}

void *sbox_deserialize(AobjReader *r) {
  uint8_t is_null = aobj_get_u8(r);
  uint64_t len = aobj_get_u64(r);
  const char *p = len ? aobj_get_bytes(r, (size_t)len) : NULL;
  if (r->bad || is_null > 1) { r->bad = 1; return NULL; }
  SBox *b = sbox_new();
  sbox_store(b, p, (int64_t)len, is_null);
  return b;
}
