/*
** codegen/emit.c: the text buffer every piece of generated C goes through: indentation,
** line emission, and the quoting helpers that make SQL strings and names safe in C.
** Nothing else in codegen/ formats text outside these helpers and Buf.
*/
#include <stdarg.h>
#include <string.h>
#include <ctype.h>
#include "codegen.h"

static void indent(Emitter *em) {
  for (int i = 0; i < em->indent; i++) buf_puts(&em->out, "  ");
}

static void vline(Emitter *em, const char *fmt, va_list ap) {
  char tmp[4096];
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  indent(em);
  if (n >= (int)sizeof tmp) {
    /* rare: long line; format again into the buffer */
    buf_reserve(&em->out, (size_t)n);
  }
  buf_puts(&em->out, tmp);
  buf_putc(&em->out, '\n');
}

void em_line(Emitter *em, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vline(em, fmt, ap);
  va_end(ap);
}

void em_open(Emitter *em, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vline(em, fmt, ap);
  va_end(ap);
  em->indent++;
}

void em_close(Emitter *em, const char *tail) {
  em->indent--;
  indent(em);
  buf_putc(&em->out, '}');
  buf_puts(&em->out, tail ? tail : "");
  buf_putc(&em->out, '\n');
}

void em_raw(Emitter *em, const char *text) { buf_puts(&em->out, text); }

char *c_string(Cx *cx, const char *s, size_t n) {
  Buf b = {0};
  buf_putc(&b, '"');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
      case '"': buf_puts(&b, "\\\""); break;
      case '\\': buf_puts(&b, "\\\\"); break;
      case '\n': buf_puts(&b, "\\n"); break;
      case '\t': buf_puts(&b, "\\t"); break;
      case '?': buf_puts(&b, "\\?"); break;   /* no trigraphs */
      default:
        if (c < 0x20 || c >= 0x7f) buf_printf(&b, "\\%03o", c);
        else buf_putc(&b, (char)c);
    }
  }
  buf_putc(&b, '"');
  char *r = cx_strndup(cx, b.p, b.len);
  buf_free(&b);
  return r;
}

char *c_comment(Cx *cx, const char *s) {
  Buf b = {0};
  for (const char *p = s; *p; p++) {
    if (p[0] == '*' && p[1] == '/') { buf_puts(&b, "* /"); continue; }
    if (p[0] == '/' && p[1] == '*') { buf_puts(&b, "/ *"); continue; }
    unsigned char c = (unsigned char)*p;
    buf_putc(&b, c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7f) ? (char)c : '?');
  }
  char *r = cx_strndup(cx, b.p ? b.p : "", b.len);
  buf_free(&b);
  return r;
}

static const char *const c_keywords[] = {
  "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
  "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
  "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch",
  "typedef", "union", "unsigned", "void", "volatile", "while", "h", "rt", "ctx", NULL };

char *c_ident(Cx *cx, const char *s) {
  Buf b = {0};
  for (const char *p = s; *p; p++) {
    unsigned char c = (unsigned char)*p;
    buf_putc(&b, isalnum(c) || c == '_' ? (char)c : '_');
  }
  const char *t = buf_cstr(&b);
  int bad = b.len == 0 || isdigit((unsigned char)t[0]) || t[0] == '_';
  for (int i = 0; !bad && c_keywords[i]; i++) if (strcmp(t, c_keywords[i]) == 0) bad = 1;
  char *r = bad ? cx_printf(cx, "c_%s", t) : cx_strndup(cx, t, b.len);
  buf_free(&b);
  return r;
}
