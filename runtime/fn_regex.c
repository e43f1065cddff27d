/*
** runtime/fn_regex.c: regexp_like and regexp_replace on POSIX <regex.h>, with a per-ctx cache
** of compiled patterns (ctx->regex; freed by regex_cache_free from rt_ctx_free).
**
** Patterns are written in the Rust/PCRE-ish dialect DataFusion users write; they are
** translated to POSIX extended syntax before regcomp:
**   \d \w \s \D \W \S           -> [0-9], [[:alnum:]_], [[:space:]] and negations (also inside
**                                  brackets, except the negated ones there, which are errors)
**   \n \t \r \f \v \xHH         -> the character;  \A \z -> ^ $;  \b \B \< \> kept (glibc)
**   \. \( \- \/ ...             -> the literal character (escaped when special in ERE)
**   (?:...)                     -> a group that does not count for \1..\9 in the replacement
**   (?i) (?m) (?s) at the start -> flags;  any other (?...) construct is an error
**   [..\]..] [..-] [^..]        -> re-ordered so POSIX brackets mean the same thing
**   lazy quantifiers *? +? ??   -> accepted by regexp_like (same matches), errors in
**                                  regexp_replace (POSIX has no lazy matching)
**   a*+ a++ a** (possessive or  -> errors, as in Rust (POSIX would silently read (a*)+)
**   stacked quantifiers)
** Differences that remain, by design: POSIX matching is leftmost-longest (a|ab on "ab" matches
** "ab"; Rust picks "a"), '.' and bracket expressions work on bytes, not UTF-8 characters, and
** '.' also matches a newline unless the 'm'/'n' flag is given. regcomp/regexec run under the
** process's LC_CTYPE, which the worker never changes from "C": [[:alnum:]] and friends (so \w,
** \s) are ASCII-only, and the 'i' flag folds ASCII letters only.
** The cache is bounded (REGEX_CACHE_MAX entries, round-robin eviction), keyed by pattern text
** and compile flags, so a constant pattern is compiled once per subtask, not once per row.
*/
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include "fn.h"

#define REGEX_CACHE_MAX 64
#define RX_MAXMATCH 64         /* regmatch_t slots filled per match */

typedef struct RegexEntry {
  uint64_t hash;               /* fn_hash_bytes(pattern) mixed with cflags and mode */
  int cflags;                  /* REG_* given to regcomp */
  int mode;                    /* RX_LIKE or RX_REPLACE */
  char *pat;                   /* pattern text as given (malloc'd), for key comparison */
  size_t patlen;               /* bytes in pat */
  regex_t re;                  /* compiled translated pattern */
  int ngroups;                 /* capturing groups in the original pattern */
  int *group;                  /* group[k]: POSIX subexpression index of original group k */
  char *lit;                   /* pattern is a plain string (maybe ^/$ anchored): its bytes */
  size_t litlen;               /* bytes in lit */
  uint8_t is_lit;              /* match with memmem instead of regexec */
  uint8_t lit_start, lit_end;  /* literal anchored with ^ / $ */
} RegexEntry;

struct RegexCache {
  RegexEntry *slot[REGEX_CACHE_MAX]; /* filled entries are slot[0..n) */
  int n;                       /* entries in use */
  int evict;                   /* next slot to evict when full (round robin) */
  int last;                    /* slot of the last hit: checked first */
};

enum { RX_LIKE = 1, RX_REPLACE = 2 };

static void entry_free(RegexEntry *e) {
  if (!e) return;
  regfree(&e->re);
  free(e->lit);
  free(e->pat);
  free(e->group);
  free(e);
}

void regex_cache_free(struct RegexCache *c) {
  if (!c) return;
  for (int i = 0; i < c->n; i++) entry_free(c->slot[i]);
  free(c);
}

/* ---- pattern translation ------------------------------------------------------------------ */

typedef struct Tr {
  const char *p, *e;           /* pattern being read */
  Buf out;                     /* POSIX pattern being written */
  int mode;                    /* RX_LIKE / RX_REPLACE */
  int cflags;                  /* flags found inline ((?i) ...) are added here */
  int ngroups, nposix;         /* capturing groups in the original / subexpressions in POSIX */
  int *group;                  /* group[k] = POSIX index of original group k (grown as needed) */
  int gcap;                    /* capacity of group */
  const char *err;             /* first translation error, or NULL */
  int brace;                   /* an unescaped '{' was seen: '}' may end a repetition */
} Tr;

static int is_ere_special(unsigned char c) { return c && strchr(".[]{}()\\*+?^$|", c) != NULL; }

static int hexval(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c |= 0x20;
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Character value of a simple escape (\n, \t, \xHH, \. ...) at t->p (just after the
** backslash); advances t->p. Returns -1 (and sets t->err) for unsupported letters. */
static int escape_char(Tr *t) {
  unsigned char c = (unsigned char)*t->p++;
  switch (c) {
  case 'n': return '\n';
  case 't': return '\t';
  case 'r': return '\r';
  case 'f': return '\f';
  case 'v': return '\v';
  case 'x':
    if (t->e - t->p >= 2 && hexval((unsigned char)t->p[0]) >= 0 && hexval((unsigned char)t->p[1]) >= 0) {
      int v = hexval((unsigned char)t->p[0]) * 16 + hexval((unsigned char)t->p[1]);
      t->p += 2;
      if (v == 0) { t->err = "\\x00 is not supported"; return -1; }
      return v;
    }
    t->err = "\\x must be followed by two hex digits";
    return -1;
  }
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
    t->err = "unsupported escape sequence";
    return -1;
  }
  return c;                     /* \. \- \/ \\ ... : the character itself */
}

static void put_group(Tr *t, int orig, int posix) {
  if (orig >= t->gcap) {
    t->gcap = t->gcap ? t->gcap * 2 : 16;
    t->group = realloc(t->group, sizeof(int) * (size_t)t->gcap);
    if (!t->group) { fprintf(stderr, "arroyo: out of memory\n"); abort(); }
  }
  t->group[orig] = posix;
}

/* A bracket expression, from just after '['. Items are collected, then re-emitted in an order
** POSIX reads the same way: ']' first, '^' not first, '-' last (a backslash is literal inside
** POSIX brackets, so "\]" and friends cannot be copied through). */
static void tr_bracket(Tr *t) {
  uint8_t set[32] = {0};       /* single ASCII/byte characters */
  Buf other = {0};             /* ranges, classes, multi-byte characters */
  int neg = 0, first = 1, nitems = 0;
  if (t->p < t->e && *t->p == '^') { neg = 1; t->p++; }
  for (;;) {
    if (t->p >= t->e) { t->err = "unterminated [ ]"; break; }
    unsigned char c = (unsigned char)*t->p;
    int lo = -1;
    if (c == ']' && !first) { t->p++; break; }
    first = 0;
    if (c == '[' && t->e - t->p >= 2 && (t->p[1] == ':' || t->p[1] == '.' || t->p[1] == '=')) {
      char kind = t->p[1];      /* [:class:] [.coll.] [=equiv=]: copied through */
      const char *q = t->p + 2;
      while (q + 1 < t->e && !(q[0] == kind && q[1] == ']')) q++;
      if (q + 1 >= t->e) { t->err = "unterminated [: :]"; break; }
      buf_put(&other, t->p, (size_t)(q + 2 - t->p));
      t->p = q + 2;
      nitems++;
      continue;
    }
    if (c == '\\') {
      t->p++;
      if (t->p >= t->e) { t->err = "trailing backslash"; break; }
      char k = *t->p;
      if (k == 'd' || k == 'w' || k == 's') {
        buf_puts(&other, k == 'd' ? "0-9" : k == 'w' ? "[:alnum:]_" : "[:space:]");
        t->p++;
        nitems++;
        continue;
      }
      if (k == 'D' || k == 'W' || k == 'S') { t->err = "negated class \\D \\W \\S inside [ ] is not supported"; break; }
      lo = escape_char(t);
      if (lo < 0) break;
    } else {
      int n = fn_utf8_len(c);
      if (n > 1 && t->e - t->p >= n) {           /* a multi-byte character: its bytes */
        buf_put(&other, t->p, (size_t)n);
        t->p += n;
        nitems++;
        continue;
      }
      lo = c;
      t->p++;
    }
    /* a range lo-hi? ('-' before ']' is a literal) */
    if (t->e - t->p >= 2 && t->p[0] == '-' && t->p[1] != ']') {
      int hi;
      t->p++;
      if (*t->p == '\\') { t->p++; if (t->p >= t->e) { t->err = "trailing backslash"; break; } hi = escape_char(t); if (hi < 0) break; }
      else hi = (unsigned char)*t->p++;
      if (hi < lo) { t->err = "invalid range in [ ]"; break; }
      int ends[2] = {lo, hi};
      for (int i = 0; i < 2; i++) {
        if (ends[i] == ']' || ends[i] == '-' || ends[i] == '^' || ends[i] == '[') buf_printf(&other, "[.%c.]", ends[i]);
        else buf_putc(&other, (char)ends[i]);
        if (i == 0) buf_putc(&other, '-');
      }
      nitems++;
      continue;
    }
    set[lo >> 3] |= (uint8_t)(1u << (lo & 7));
    nitems++;
  }
  if (!t->err) {
    int only_caret = nitems == 1 && other.len == 0 && (set['^' >> 3] & (1u << ('^' & 7)));
    if (only_caret && !neg) buf_puts(&t->out, "\\^");
    else {
      buf_putc(&t->out, '[');
      if (neg) buf_putc(&t->out, '^');
      if (set[']' >> 3] & (1u << (']' & 7))) buf_putc(&t->out, ']');
      for (int c = 1; c < 256; c++)
        if ((set[c >> 3] >> (c & 7)) & 1 && c != ']' && c != '-' && c != '^') buf_putc(&t->out, (char)c);
      if (other.len) buf_put(&t->out, other.p, other.len);
      if (set['^' >> 3] & (1u << ('^' & 7))) buf_putc(&t->out, '^');
      if (set['-' >> 3] & (1u << ('-' & 7))) buf_putc(&t->out, '-');
      buf_putc(&t->out, ']');
    }
  }
  buf_free(&other);
}

/* Leading inline flags: (?i) (?m) (?s), several letters allowed: (?im). */
static void tr_inline_flags(Tr *t) {
  while (t->e - t->p >= 3 && t->p[0] == '(' && t->p[1] == '?') {
    const char *q = t->p + 2;
    int cf = t->cflags;
    while (q < t->e && *q != ')') {
      if (*q == 'i') cf |= REG_ICASE;
      else if (*q == 'm') cf |= REG_NEWLINE;
      else if (*q == 's') cf &= ~REG_NEWLINE;
      else return;                      /* not a flag group: tr_main reports it */
      q++;
    }
    if (q >= t->e || q == t->p + 2) return;
    t->cflags = cf;
    t->p = q + 1;
  }
}

static void tr_main(Tr *t) {
  tr_inline_flags(t);
  while (t->p < t->e && !t->err) {
    unsigned char c = (unsigned char)*t->p;
    if (c == '\\') {
      t->p++;
      if (t->p >= t->e) { t->err = "trailing backslash"; return; }
      char k = *t->p;
      const char *cls = NULL;
      switch (k) {
      case 'd': cls = "[0-9]"; break;
      case 'D': cls = "[^0-9]"; break;
      case 'w': cls = "[[:alnum:]_]"; break;
      case 'W': cls = "[^[:alnum:]_]"; break;
      case 's': cls = "[[:space:]]"; break;
      case 'S': cls = "[^[:space:]]"; break;
      case 'A': cls = "^"; break;
      case 'z': cls = "$"; break;
      case 'b': cls = "\\b"; break;
      case 'B': cls = "\\B"; break;
      case '<': cls = "\\<"; break;
      case '>': cls = "\\>"; break;
      }
      if (cls) { buf_puts(&t->out, cls); t->p++; continue; }
      if (k >= '1' && k <= '9') {                /* back-reference to an original group */
        int g = k - '0';
        if (g > t->ngroups || t->group[g] > 9) { t->err = "invalid back-reference"; return; }
        buf_printf(&t->out, "\\%d", t->group[g]);
        t->p++;
        continue;
      }
      int v = escape_char(t);
      if (v < 0) return;
      if (is_ere_special((unsigned char)v)) buf_putc(&t->out, '\\');
      buf_putc(&t->out, (char)v);
      continue;
    }
    if (c == '[') { t->p++; tr_bracket(t); continue; }
    if (c == '(') {
      t->p++;
      if (t->p < t->e && *t->p == '?') {
        if (t->e - t->p >= 2 && t->p[1] == ':') { t->p += 2; t->nposix++; buf_putc(&t->out, '('); continue; }
        t->err = "unsupported group syntax (?...)";
        return;
      }
      t->ngroups++;
      t->nposix++;
      put_group(t, t->ngroups, t->nposix);
      buf_putc(&t->out, '(');
      continue;
    }
    if (c == '{') t->brace = 1;
    int quant = c == '*' || c == '+' || c == '?' || (c == '}' && t->brace);
    if (quant && t->e - t->p >= 2 && (t->p[1] == '*' || t->p[1] == '+' || t->p[1] == '{')) {
      /* Rust rejects these; POSIX would read a*+ as (a*)+, PCRE as possessive: refuse both */
      t->err = "possessive or nested quantifiers (*+ ++ a** ...) are not supported";
      return;
    }
    if (quant && t->e - t->p >= 2 && t->p[1] == '?') {
      if (t->mode == RX_REPLACE) { t->err = "lazy quantifiers (*? +? ?? {n,m}?) are not supported"; return; }
      buf_putc(&t->out, (char)c);                /* same set of matches: drop the '?' */
      t->p += 2;
      continue;
    }
    buf_putc(&t->out, (char)c);
    t->p++;
  }
}

/* Most patterns in queries are plain strings ('error', '^GET ', '\\.json$'); those are
** matched with memmem, which is an order of magnitude faster than regexec. Recognised when
** every character is ordinary or an escaped punctuation mark, with an optional leading '^'
** and trailing '$', and no case-folding or multi-line flag. */
static void detect_literal(RegexEntry *e, RtStr pat, int cflags) {
  const char *p = pat.ptr, *end = pat.ptr + pat.len;
  if (cflags & (REG_ICASE | REG_NEWLINE)) return;
  char *lit = malloc((size_t)pat.len + 1);
  size_t n = 0;
  int start = 0, stop = 0;
  if (!lit) { fprintf(stderr, "arroyo: out of memory\n"); abort(); }
  if (p < end && *p == '^') { start = 1; p++; }
  if (end > p && end[-1] == '$' && (end - 1 == p || end[-2] != '\\')) { stop = 1; end--; }
  for (; p < end; p++) {
    unsigned char c = (unsigned char)*p;
    if (c == '\\') {
      if (p + 1 >= end) { free(lit); return; }
      c = (unsigned char)*++p;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80) {
        free(lit);                               /* \d, \1, ...: not a literal */
        return;
      }
    } else if (is_ere_special(c)) {
      free(lit);
      return;
    }
    lit[n++] = (char)c;
  }
  e->lit = lit;
  e->litlen = n;
  e->is_lit = 1;
  e->lit_start = (uint8_t)start;
  e->lit_end = (uint8_t)stop;
}

/* ---- cache --------------------------------------------------------------------------------- */

static uint64_t key_hash(RtStr pat, int cflags, int mode) {
  return fn_hash_bytes(pat.ptr, pat.len, (uint64_t)cflags * 31 + (uint64_t)mode);
}

/* The compiled entry for (pattern, cflags, mode), compiling and caching it on a miss.
** NULL after recording an error naming `fname` and the pattern. */
static RegexEntry *rx_get(RtCtx *ctx, const char *fname, RtStr pat, int cflags, int mode) {
  struct RegexCache *c = ctx->regex;
  uint64_t h = key_hash(pat, cflags, mode);
  if (!c) {
    c = ctx->regex = calloc(1, sizeof *c);
    if (!c) { fprintf(stderr, "arroyo: out of memory\n"); abort(); }
  }
#define RX_SAME(e) ((e)->hash == h && (e)->cflags == cflags && (e)->mode == mode && \
                    (e)->patlen == (size_t)pat.len && (pat.len == 0 || memcmp((e)->pat, pat.ptr, (size_t)pat.len) == 0))
  if (c->n && RX_SAME(c->slot[c->last])) return c->slot[c->last];
  for (int i = 0; i < c->n; i++)
    if (RX_SAME(c->slot[i])) { c->last = i; return c->slot[i]; }
#undef RX_SAME

  Tr t = {.p = pat.ptr, .e = pat.ptr + pat.len, .mode = mode, .cflags = cflags};
  put_group(&t, 0, 0);
  tr_main(&t);
  if (t.err) {
    rt_error(ctx, NULL, "%s: invalid regular expression '%.*s': %s", fname, FN_QUOTE(pat), t.err);
    buf_free(&t.out);
    free(t.group);
    return NULL;
  }
  RegexEntry *e = calloc(1, sizeof *e);
  if (!e) { fprintf(stderr, "arroyo: out of memory\n"); abort(); }
  int rc = regcomp(&e->re, buf_cstr(&t.out), t.cflags | (mode == RX_LIKE ? REG_NOSUB : 0));
  buf_free(&t.out);
  if (rc != 0) {
    char msg[256];
    regerror(rc, &e->re, msg, sizeof msg);
    free(e);
    free(t.group);
    rt_error(ctx, NULL, "%s: invalid regular expression '%.*s': %s", fname, FN_QUOTE(pat), msg);
    return NULL;
  }
  e->hash = h;
  e->cflags = cflags;
  e->mode = mode;
  e->patlen = (size_t)pat.len;
  e->pat = malloc(e->patlen + 1);
  if (!e->pat) { fprintf(stderr, "arroyo: out of memory\n"); abort(); }
  if (pat.len) memcpy(e->pat, pat.ptr, e->patlen);
  e->ngroups = t.ngroups;
  e->group = t.group;
  detect_literal(e, pat, t.cflags);
  int slot;
  if (c->n < REGEX_CACHE_MAX) slot = c->n++;
  else { slot = c->evict; c->evict = (c->evict + 1) % REGEX_CACHE_MAX; entry_free(c->slot[slot]); }
  c->slot[slot] = e;
  c->last = slot;
  return e;
}

/* flags text -> REG_* flags; *global for 'g'. RT_ERR on an unknown or disallowed flag. */
static int parse_flags(RtCtx *ctx, const char *fname, RtStr flags, int has_flags, int allow_g,
                       int *cflags, int *global) {
  *cflags = REG_EXTENDED;
  *global = 0;
  if (!has_flags) return RT_OK;
  for (int64_t i = 0; i < flags.len; i++) {
    switch (flags.ptr[i]) {
    case 'i': *cflags |= REG_ICASE; break;
    case 'c': *cflags &= ~REG_ICASE; break;
    case 'm': case 'n': *cflags |= REG_NEWLINE; break;
    case 's': *cflags &= ~REG_NEWLINE; break;
    case 'g':
      if (allow_g) { *global = 1; break; }
      return rt_error(ctx, NULL, "%s: does not support the \"global\" option", fname);
    default:
      return rt_error(ctx, NULL, "%s: invalid regular expression flag '%c' in '%.*s'", fname,
                      flags.ptr[i], FN_QUOTE(flags));
    }
  }
  return RT_OK;
}

/* regexec on s[from..len): pm[0] carries the bounds in (REG_STARTEND) and the match out,
** offsets relative to s. Returns 1 on a match. */
#ifndef REG_STARTEND
#error "fn_regex.c needs REG_STARTEND (glibc, musl >= 1.2, BSD libc)"
#endif
#if defined(__SANITIZE_ADDRESS__)
#define RX_NUL_COPY 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RX_NUL_COPY 1
#endif
#endif

/* The literal fast path: first match at or after `from`, as regexec would report it. */
static int lit_exec(RegexEntry *e, RtStr s, int64_t from, regmatch_t *pm) {
  int64_t k = (int64_t)e->litlen, at;
  if (e->lit_start) {
    if (from > 0 || k > s.len || (e->lit_end && k != s.len)) return 0;
    if (k && memcmp(s.ptr, e->lit, (size_t)k) != 0) return 0;
    at = 0;
  } else if (e->lit_end) {
    at = s.len - k;
    if (at < from || (k && memcmp(s.ptr + at, e->lit, (size_t)k) != 0)) return 0;
  } else if (k == 0) {
    at = from;
  } else {
    const char *f = k > s.len - from ? NULL : memmem(s.ptr + from, (size_t)(s.len - from), e->lit, (size_t)k);
    if (!f) return 0;
    at = f - s.ptr;
  }
  pm[0].rm_so = (regoff_t)at;
  pm[0].rm_eo = (regoff_t)(at + k);
  return 1;
}

static int rx_exec(RtCtx *ctx, RegexEntry *e, RtStr s, int64_t from, size_t nmatch, regmatch_t *pm) {
  int eflags = from > 0 ? REG_NOTBOL : 0;
  if (e->is_lit) return lit_exec(e, s, from, pm);
  const char *p = s.len ? s.ptr : "";
#ifdef RX_NUL_COPY
  /* ASan's regexec interceptor ignores REG_STARTEND and strlen()s the subject, reading past
  ** our unterminated strings; sanitizer builds pay for a terminated copy. glibc itself reads
  ** only [rm_so, rm_eo). */
  char *t = rt_alloc(ctx, s.len + 1);
  if (s.len) memcpy(t, s.ptr, (size_t)s.len);
  t[s.len] = 0;
  p = t;
#endif
  pm[0].rm_so = (regoff_t)from;
  pm[0].rm_eo = (regoff_t)s.len;
  return regexec(&e->re, p, nmatch ? nmatch : 1, pm, eflags | REG_STARTEND) == 0;
}

int fn_regexp_like(RtCtx *ctx, RtStr s, RtStr pattern, RtStr flags, int has_flags, uint8_t *out) {
  int cflags, global;
  if (parse_flags(ctx, "regexp_like", flags, has_flags, 0, &cflags, &global)) return RT_ERR;
  RegexEntry *e = rx_get(ctx, "regexp_like", pattern, cflags, RX_LIKE);
  if (!e) return RT_ERR;
  regmatch_t pm[1];
  *out = (uint8_t)rx_exec(ctx, e, s, 0, 0, pm);
  return RT_OK;
}

/* Output buffer in the scratch arena, grown by doubling (old copies stay until batch end). */
typedef struct ABuf {
  RtCtx *ctx;
  char *p;
  int64_t len, cap;
} ABuf;

static void ab_put(ABuf *b, const char *p, int64_t n) {
  if (n <= 0) return;
  if (b->len + n > b->cap) {
    int64_t cap = b->cap * 2;
    if (cap < b->len + n) cap = b->len + n;
    char *q = rt_alloc(b->ctx, cap);
    if (b->len) memcpy(q, b->p, (size_t)b->len);
    b->p = q;
    b->cap = cap;
  }
  memcpy(b->p + b->len, p, (size_t)n);
  b->len += n;
}

/* Append the replacement for one match: \1..\9 $1..$9 ${n} groups, \0 $0 \& the whole match,
** \\ and $$ a literal backslash / dollar; anything else is copied as is. A group that did not
** take part in the match (or does not exist) expands to nothing. */
static void expand(ABuf *b, RegexEntry *e, RtStr s, const regmatch_t *pm, size_t nm, RtStr repl) {
  const char *r = repl.ptr, *re = repl.ptr + repl.len, *lit = r;
  while (r < re) {
    int g = -1;
    const char *next = r;
    if (*r == '\\' && r + 1 < re) {
      char k = r[1];
      if (k >= '0' && k <= '9') { g = k - '0'; next = r + 2; }
      else if (k == '&') { g = 0; next = r + 2; }
      else if (k == '\\') { ab_put(b, lit, r + 1 - lit); lit = r = r + 2; continue; }
    } else if (*r == '$' && r + 1 < re) {
      char k = r[1];
      if (k >= '0' && k <= '9') { g = k - '0'; next = r + 2; }
      else if (k == '$') { ab_put(b, lit, r + 1 - lit); lit = r = r + 2; continue; }
      else if (k == '{') {
        const char *q = r + 2;
        int v = 0;
        while (q < re && *q >= '0' && *q <= '9' && v < 100000) v = v * 10 + (*q++ - '0');
        if (q < re && *q == '}' && q > r + 2) { g = v; next = q + 1; }
      }
    }
    if (g < 0) { r++; continue; }
    ab_put(b, lit, r - lit);
    if (g <= e->ngroups) {
      int x = e->group[g];
      if ((size_t)x < nm && pm[x].rm_so >= 0) ab_put(b, s.ptr + pm[x].rm_so, pm[x].rm_eo - pm[x].rm_so);
    }
    lit = r = next;
  }
  ab_put(b, lit, re - lit);
}

/* regexp_replace(s, pattern, repl [, flags]): the first match, or all with 'g'. Empty matches
** are allowed except right where the previous match ended (as PostgreSQL and Rust do):
** regexp_replace('abc', 'x*', '-', 'g') = '-a-b-c-'. */
int fn_regexp_replace(RtCtx *ctx, RtStr s, RtStr pattern, RtStr repl, RtStr flags, int has_flags,
                      RtStr *out) {
  int cflags, global;
  if (parse_flags(ctx, "regexp_replace", flags, has_flags, 1, &cflags, &global)) return RT_ERR;
  RegexEntry *e = rx_get(ctx, "regexp_replace", pattern, cflags, RX_REPLACE);
  if (!e) return RT_ERR;
  regmatch_t pm[RX_MAXMATCH];
  size_t nm = e->re.re_nsub + 1 < RX_MAXMATCH ? e->re.re_nsub + 1 : RX_MAXMATCH;
  ABuf b = {ctx, NULL, 0, 0};
  int64_t pos = 0, last_end = -1;
  int matched = 0;
  while (pos <= s.len && rx_exec(ctx, e, s, pos, nm, pm)) {
    int64_t so = pm[0].rm_so, eo = pm[0].rm_eo;
    if (so == eo && so == last_end) {               /* empty match glued to the previous one */
      if (so >= s.len) break;
      int k = fn_utf8_len((unsigned char)s.ptr[so]);
      if (k > s.len - so) k = (int)(s.len - so);
      ab_put(&b, s.ptr + pos, so + k - pos);
      pos = so + k;
      continue;
    }
    if (!matched) { b.cap = s.len + repl.len + 16; b.p = rt_alloc(ctx, b.cap); }
    matched = 1;
    ab_put(&b, s.ptr + pos, so - pos);
    expand(&b, e, s, pm, nm, repl);
    pos = last_end = eo;
    if (!global) break;
  }
  if (!matched) { *out = s; return RT_OK; }
  if (pos < s.len) ab_put(&b, s.ptr + pos, s.len - pos);
  *out = rt_str(b.p ? b.p : "", b.len);
  return RT_OK;
}
