/*
** compiler/diag.c: compile-context memory and diagnostics.
**
** All compile memory comes from the context's arena and is released once when the compile
** ends (SQLite's Parse / PostgreSQL memory contexts). diag_error formats
** "FILE:LINE:COL: error: ..." and longjmps back to the compile entry point: this is the only
** place the compiler unwinds, and it is safe because nothing outside the arena needs freeing.
*/
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include "compiler.h"

void diag_error(Cx *cx, int line, int col, const char *fmt, ...) {
  va_list ap;
  buf_printf(&cx->diag, "%s:%d:%d: error: ", cx->filename ? cx->filename : "-", line, col);
  va_start(ap, fmt);
  char tmp[2048];
  vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  buf_puts(&cx->diag, tmp);
  buf_putc(&cx->diag, '\n');
  cx->nerrors++;
  longjmp(cx->fail, 1);
}

void *cx_alloc(Cx *cx, size_t n) {
  void *p = arena_alloc(&cx->arena, n ? n : 1);
  memset(p, 0, n ? n : 1);
  return p;
}

char *cx_strndup(Cx *cx, const char *s, size_t n) { return arena_strndup(&cx->arena, s, n); }

typedef struct CxBuf { Buf *b; struct CxBuf *next; } CxBuf;

void cx_own_buf(Cx *cx, Buf *b) {
  CxBuf *n = cx_alloc(cx, sizeof *n);
  n->b = b;
  n->next = cx->bufs;
  cx->bufs = n;
}

void cx_free_bufs(Cx *cx) {
  for (CxBuf *n = cx->bufs; n; n = n->next) buf_free(n->b);
  cx->bufs = NULL;
}

char *cx_printf(Cx *cx, const char *fmt, ...) {
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *p = arena_alloc(&cx->arena, (size_t)n + 1);
  vsnprintf(p, (size_t)n + 1, fmt, ap2);
  va_end(ap2);
  return p;
}

char *cx_lower(Cx *cx, const char *s) {
  size_t n = strlen(s);
  char *p = cx_strndup(cx, s, n);
  for (size_t i = 0; i < n; i++) p[i] = (char)tolower((unsigned char)p[i]);
  return p;
}
