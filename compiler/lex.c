/*
** compiler/lex.c: the SQL tokenizer.
**
** lex_next returns one token at a time with its line and column (1-based, columns count
** bytes). Identifiers are folded to lower case unless quoted ("Name" or `Name`); string
** literals ('it''s') are unescaped into arena memory. Comments (-- and / * * /) and whitespace
** are skipped. Keywords are not distinguished here: the parser matches identifiers by text.
** Any byte sequence is accepted without crashing; invalid input is a diagnostic.
*/
#include <string.h>
#include <ctype.h>
#include "compiler.h"

void lex_init(Lexer *lx, Cx *cx, const char *src, size_t len) {
  lx->cx = cx;
  lx->p = src;
  lx->end = src + len;
  lx->line = 1;
  lx->linestart = src;
}

static int is_ident_start(int c) { return isalpha(c) || c == '_' || c >= 0x80; }
static int is_ident_char(int c) { return isalnum(c) || c == '_' || c == '$' || c >= 0x80; }

/* Advance over whitespace and comments, counting lines. */
static void skip_space(Lexer *lx) {
  for (;;) {
    while (lx->p < lx->end && isspace((unsigned char)*lx->p)) {
      if (*lx->p == '\n') { lx->line++; lx->linestart = lx->p + 1; }
      lx->p++;
    }
    if (lx->p + 1 < lx->end && lx->p[0] == '-' && lx->p[1] == '-') {
      while (lx->p < lx->end && *lx->p != '\n') lx->p++;
      continue;
    }
    if (lx->p + 1 < lx->end && lx->p[0] == '/' && lx->p[1] == '*') {
      int line = lx->line, col = (int)(lx->p - lx->linestart) + 1;
      lx->p += 2;
      while (lx->p + 1 < lx->end && !(lx->p[0] == '*' && lx->p[1] == '/')) {
        if (*lx->p == '\n') { lx->line++; lx->linestart = lx->p + 1; }
        lx->p++;
      }
      if (lx->p + 1 >= lx->end) diag_error(lx->cx, line, col, "unterminated comment");
      lx->p += 2;
      continue;
    }
    return;
  }
}

/* Read a quoted run ending at `q`, where a doubled quote stands for one. */
static void read_quoted(Lexer *lx, Tok *t, char q, const char *what) {
  Buf b = {0};
  lx->p++;
  for (;;) {
    if (lx->p >= lx->end) {
      buf_free(&b);
      diag_error(lx->cx, t->line, t->col, "unterminated %s", what);
    }
    char c = *lx->p++;
    if (c == q) {
      if (lx->p < lx->end && *lx->p == q) { buf_putc(&b, q); lx->p++; continue; }
      break;
    }
    if (c == '\n') { lx->line++; lx->linestart = lx->p; }
    buf_putc(&b, c);
  }
  t->text = cx_strndup(lx->cx, b.p ? b.p : "", b.len);
  t->textlen = (int)b.len;
  buf_free(&b);
}

Tok lex_next(Lexer *lx) {
  Tok t;
  memset(&t, 0, sizeof t);
  skip_space(lx);
  t.p = lx->p;
  t.line = lx->line;
  t.col = (int)(lx->p - lx->linestart) + 1;
  if (lx->p >= lx->end) { t.kind = TK_EOF; return t; }
  unsigned char c = (unsigned char)*lx->p;
  const char *s = lx->p;
  if (is_ident_start(c)) {
    while (lx->p < lx->end && is_ident_char((unsigned char)*lx->p)) lx->p++;
    t.kind = TK_IDENT;
    t.text = cx_strndup(lx->cx, s, (size_t)(lx->p - s));
    for (char *q = t.text; *q; q++) *q = (char)tolower((unsigned char)*q);
    t.textlen = (int)(lx->p - s);
  } else if (isdigit(c) || (c == '.' && lx->p + 1 < lx->end && isdigit((unsigned char)lx->p[1]))) {
    int is_float = 0;
    while (lx->p < lx->end && isdigit((unsigned char)*lx->p)) lx->p++;
    if (lx->p < lx->end && *lx->p == '.' &&
        !(lx->p + 1 < lx->end && lx->p[1] == '.')) {
      is_float = 1;
      lx->p++;
      while (lx->p < lx->end && isdigit((unsigned char)*lx->p)) lx->p++;
    }
    if (lx->p < lx->end && (*lx->p == 'e' || *lx->p == 'E')) {
      const char *q = lx->p + 1;
      if (q < lx->end && (*q == '+' || *q == '-')) q++;
      if (q < lx->end && isdigit((unsigned char)*q)) {
        is_float = 1;
        lx->p = q;
        while (lx->p < lx->end && isdigit((unsigned char)*lx->p)) lx->p++;
      }
    }
    if (lx->p < lx->end && is_ident_start((unsigned char)*lx->p))
      diag_error(lx->cx, t.line, t.col, "malformed number near \"%.*s\"",
                 (int)(lx->p - s) + 1, s);
    t.kind = is_float ? TK_FLOAT : TK_INT;
    t.text = cx_strndup(lx->cx, s, (size_t)(lx->p - s));
    t.textlen = (int)(lx->p - s);
  } else if (c == '\'') {
    t.kind = TK_STRING;
    read_quoted(lx, &t, '\'', "string literal");
  } else if (c == '"' || c == '`') {
    t.kind = TK_QIDENT;
    read_quoted(lx, &t, (char)c, "quoted identifier");
    if (t.textlen == 0) diag_error(lx->cx, t.line, t.col, "empty quoted identifier");
  } else {
    char n1 = lx->p + 1 < lx->end ? lx->p[1] : 0;
    char n2 = lx->p + 2 < lx->end ? lx->p[2] : 0;
    int len = 1;
    switch (c) {
      case '(': t.kind = TK_LP; break;
      case ')': t.kind = TK_RP; break;
      case ',': t.kind = TK_COMMA; break;
      case '.': t.kind = TK_DOT; break;
      case ';': t.kind = TK_SEMI; break;
      case '[': t.kind = TK_LBRACKET; break;
      case ']': t.kind = TK_RBRACKET; break;
      case '+': t.kind = TK_PLUS; break;
      case '*': t.kind = TK_STAR; break;
      case '/': t.kind = TK_SLASH; break;
      case '%': t.kind = TK_PERCENT; break;
      case '-':
        if (n1 == '>' && n2 == '>') { t.kind = TK_ARROW2; len = 3; }
        else if (n1 == '>') { t.kind = TK_ARROW; len = 2; }
        else t.kind = TK_MINUS;
        break;
      case '|':
        if (n1 == '|') { t.kind = TK_CONCAT; len = 2; break; }
        goto bad;
      case '=':
        if (n1 == '=') { t.kind = TK_EQEQ; len = 2; } else t.kind = TK_EQ;
        break;
      case '!':
        if (n1 == '=') { t.kind = TK_NE; len = 2; break; }
        goto bad;
      case '<':
        if (n1 == '=') { t.kind = TK_LE; len = 2; }
        else if (n1 == '>') { t.kind = TK_NE; len = 2; }
        else t.kind = TK_LT;
        break;
      case '>':
        if (n1 == '=') { t.kind = TK_GE; len = 2; } else t.kind = TK_GT;
        break;
      case ':':
        if (n1 == ':') { t.kind = TK_CAST2; len = 2; } else t.kind = TK_COLON;
        break;
      default:
      bad:
        if (c >= 0x20 && c < 0x7f)
          diag_error(lx->cx, t.line, t.col, "unexpected character '%c'", c);
        diag_error(lx->cx, t.line, t.col, "unexpected byte 0x%02x", c);
    }
    lx->p += len;
    t.text = cx_strndup(lx->cx, s, (size_t)len);
    t.textlen = len;
  }
  t.len = (int)(lx->p - s);
  return t;
}
