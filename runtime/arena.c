/*
** runtime/arena.c: bump allocator (Arena) and growable byte buffer (Buf).
**
** An Arena hands out 16-byte aligned pieces of chained blocks and frees them all at once
** (arena_reset keeps the first block for reuse). Used for per-batch scratch memory and for
** strings owned by a batch. Not thread-safe: one arena belongs to one thread at a time.
** Allocation failure aborts the worker loudly (it recovers from its last checkpoint).
*/
#include <stdlib.h>
#include <string.h>
#include "runtime.h"

struct ArenaBlock {
  ArenaBlock *next;   /* older block */
  size_t size;        /* usable bytes in data[] */
  size_t used;        /* bytes handed out */
  _Alignas(16) unsigned char data[];
};

static void *xmalloc(size_t n) {
  void *p = malloc(n);
  if (!p) { fprintf(stderr, "arroyo: out of memory allocating %zu bytes\n", n); abort(); }
  return p;
}

void arena_init(Arena *a, size_t block_size) {
  a->head = NULL;
  a->block_size = block_size ? block_size : 64 * 1024;
  a->total = 0;
}

void *arena_alloc(Arena *a, size_t n) {
  n = (n + 15) & ~(size_t)15;
  if (!a->head || a->head->size - a->head->used < n) {
    size_t sz = n > a->block_size ? n : a->block_size;
    ArenaBlock *b = xmalloc(sizeof(ArenaBlock) + sz);
    b->size = sz;
    b->used = 0;
    b->next = a->head;
    a->head = b;
  }
  void *p = a->head->data + a->head->used;
  a->head->used += n;
  a->total += n;
  return p;
}

char *arena_strndup(Arena *a, const char *s, size_t n) {
  char *p = arena_alloc(a, n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

/* Keep the oldest block (the one at the end of the chain) so steady-state batches
** allocate nothing; oversized blocks from a big batch are returned to malloc. */
void arena_reset(Arena *a) {
  ArenaBlock *b = a->head, *keep = NULL;
  while (b) {
    ArenaBlock *next = b->next;
    if (!next && b->size == a->block_size) keep = b;
    else free(b);
    b = next;
  }
  if (keep) { keep->used = 0; keep->next = NULL; }
  a->head = keep;
  a->total = 0;
}

void arena_free(Arena *a) {
  ArenaBlock *b = a->head;
  while (b) { ArenaBlock *next = b->next; free(b); b = next; }
  a->head = NULL;
  a->total = 0;
}

void buf_reserve(Buf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + extra + 1) cap *= 2;
  char *p = realloc(b->p, cap);
  if (!p) { fprintf(stderr, "arroyo: out of memory growing a buffer to %zu bytes\n", cap); abort(); }
  b->p = p;
  b->cap = cap;
}

void buf_put(Buf *b, const void *p, size_t n) {
  buf_reserve(b, n);
  memcpy(b->p + b->len, p, n);
  b->len += n;
}

void buf_putc(Buf *b, char c) {
  buf_reserve(b, 1);
  b->p[b->len++] = c;
}

void buf_puts(Buf *b, const char *s) { buf_put(b, s, strlen(s)); }

void buf_printf(Buf *b, const char *fmt, ...) {
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  buf_reserve(b, (size_t)n);
  vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap2);
  va_end(ap2);
  b->len += (size_t)n;
}

const char *buf_cstr(Buf *b) {
  buf_reserve(b, 0);
  b->p[b->len] = 0;
  return b->p;
}

void buf_free(Buf *b) {
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
}
