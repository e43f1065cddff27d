/*
** runtime/fn_json.c: JSON functions on JSON text: json -> path / json_get, ->> /
** json_get_text, json_get_str/int/float/bool, json_length, json_contains (the path given as
** keys and array indexes), and the JSONPath functions extract_json_string and
** get_first_json_object.
**
** No DOM is built: a small validating scanner walks the text, skipping values it does not
** need, and results are slices of the input (or, for unescaped strings and compacted JSON,
** copies in the per-batch arena). Nothing is malloc'd.
** Validation is lazy for the key/index functions, like DataFusion's json functions (jiter):
** everything scanned on the way to the value is checked, text after it is not. The JSONPath
** functions validate the whole document first, like Arroyo's (serde_json) do. Invalid JSON
** gives SQL NULL, never an error; an invalid JSONPath is an error naming the path.
*/
#include <string.h>
#include "fn.h"

#define JSON_MAX_DEPTH 256     /* deeper nesting counts as invalid (bounds the recursion) */

/* JSON status of a lookup. */
enum { J_FOUND = 0, J_MISSING = 1, J_INVALID = 2 };

/* Bytes that end the fast run inside a string: '"', '\\' and control characters. */
static const uint8_t str_stop[256] = {
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  0, 0, 1, ['\\'] = 1,
};

static inline const char *ws(const char *p, const char *e) {
  while (p < e && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) p++;
  return p;
}

static int hex4(const char *p, uint32_t *v) {
  uint32_t x = 0;
  for (int i = 0; i < 4; i++) {
    unsigned char c = (unsigned char)p[i];
    x <<= 4;
    if (c >= '0' && c <= '9') x |= c - '0';
    else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') x |= (c | 0x20) - 'a' + 10;
    else return -1;
  }
  *v = x;
  return 0;
}

/* p at '"': returns the byte after the closing quote, or NULL if malformed. *esc is set when
** the string contains escapes. */
static const char *skip_string(const char *p, const char *e, int *esc) {
  const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  p++;
  for (;;) {
    /* 8 bytes at a time while none is '"', '\\' or a control character (SWAR zero-byte test) */
    while (e - p >= 8) {
      uint64_t w, q, b;
      memcpy(&w, p, 8);
      q = w ^ (ones * '"');
      b = w ^ (ones * '\\');
      if (((q - ones) & ~q) & highs || ((b - ones) & ~b) & highs || ((w - ones * 0x20) & ~w) & highs) break;
      p += 8;
    }
    while (p < e && !str_stop[(unsigned char)*p]) p++;
    if (p >= e) return NULL;
    if (*p == '"') return p + 1;
    if (*p != '\\') return NULL;                 /* raw control character */
    *esc = 1;
    if (++p >= e) return NULL;
    switch (*p) {
    case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't': p++; break;
    case 'u': { uint32_t v; if (e - p < 5 || hex4(p + 1, &v)) return NULL; p += 5; break; }
    default: return NULL;
    }
  }
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? ; *is_int when there is no fraction/exponent */
static const char *skip_number(const char *p, const char *e, int *is_int) {
  *is_int = 1;
  if (p < e && *p == '-') p++;
  if (p >= e) return NULL;
  if (*p == '0') p++;
  else if (*p >= '1' && *p <= '9') while (p < e && *p >= '0' && *p <= '9') p++;
  else return NULL;
  if (p < e && *p == '.') {
    *is_int = 0;
    if (++p >= e || *p < '0' || *p > '9') return NULL;
    while (p < e && *p >= '0' && *p <= '9') p++;
  }
  if (p < e && (*p == 'e' || *p == 'E')) {
    *is_int = 0;
    p++;
    if (p < e && (*p == '+' || *p == '-')) p++;
    if (p >= e || *p < '0' || *p > '9') return NULL;
    while (p < e && *p >= '0' && *p <= '9') p++;
  }
  return p;
}

static const char *skip_lit(const char *p, const char *e, const char *lit, size_t n) {
  return (size_t)(e - p) >= n && memcmp(p, lit, n) == 0 ? p + n : NULL;
}

/* p at the first byte of a value (no leading whitespace): the byte after it, or NULL. */
static const char *skip_value(const char *p, const char *e, int depth) {
  int esc, is_int;
  if (p >= e) return NULL;
  switch (*p) {
  case '"': return skip_string(p, e, &esc);
  case 't': return skip_lit(p, e, "true", 4);
  case 'f': return skip_lit(p, e, "false", 5);
  case 'n': return skip_lit(p, e, "null", 4);
  case '{': case '[': {
    char close = *p == '{' ? '}' : ']';
    if (depth >= JSON_MAX_DEPTH) return NULL;
    p = ws(p + 1, e);
    if (p < e && *p == close) return p + 1;
    for (;;) {
      if (close == '}') {
        if (p >= e || *p != '"' || !(p = skip_string(p, e, &esc))) return NULL;
        p = ws(p, e);
        if (p >= e || *p != ':') return NULL;
        p = ws(p + 1, e);
      }
      if (!(p = skip_value(p, e, depth + 1))) return NULL;
      p = ws(p, e);
      if (p >= e) return NULL;
      if (*p == close) return p + 1;
      if (*p != ',') return NULL;
      p = ws(p + 1, e);
    }
  }
  default:
    return skip_number(p, e, &is_int);
  }
}

/* Decode the escape at p (just after the backslash, already validated by skip_string) into
** UTF-8 at o; returns bytes written and advances *pp past the escape. */
static int decode_escape(const char **pp, const char *e, char *o) {
  const char *p = *pp;
  uint32_t cp = 0xFFFD, lo;
  switch (*p) {
  case 'b': *pp = p + 1; *o = '\b'; return 1;
  case 'f': *pp = p + 1; *o = '\f'; return 1;
  case 'n': *pp = p + 1; *o = '\n'; return 1;
  case 'r': *pp = p + 1; *o = '\r'; return 1;
  case 't': *pp = p + 1; *o = '\t'; return 1;
  case 'u':
    hex4(p + 1, &cp);
    p += 5;
    if (cp >= 0xD800 && cp <= 0xDBFF) {           /* high surrogate: needs a low one */
      if (e - p >= 6 && p[0] == '\\' && p[1] == 'u' && hex4(p + 2, &lo) == 0 && lo >= 0xDC00 && lo <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        p += 6;
      } else cp = 0xFFFD;
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) cp = 0xFFFD;   /* lone low surrogate */
    *pp = p;
    return fn_utf8_encode(cp, o);
  default: *pp = p + 1; *o = *p; return 1;      /* " \ / */
  }
}

/* The content of the string at [p, q) (quotes included), unescaped. */
static RtStr string_value(RtCtx *ctx, const char *p, const char *q, int esc) {
  p++; q--;
  if (!esc) return rt_str(p, q - p);
  char *d = rt_alloc(ctx, q - p), *o = d;        /* unescaped text is never longer */
  while (p < q) {
    if (*p != '\\') { *o++ = *p++; continue; }
    p++;
    o += decode_escape(&p, q, o);
  }
  return rt_str(d, o - d);
}

/* Does the JSON string content [p, q) (no quotes) equal key? */
static int key_eq(const char *p, const char *q, RtStr key, int esc) {
  if (!esc) return q - p == key.len && (key.len == 0 || memcmp(p, key.ptr, (size_t)key.len) == 0);
  const char *k = key.ptr, *ke = key.ptr + key.len;
  char tmp[4];
  while (p < q) {
    if (*p != '\\') {
      if (k >= ke || *k != *p) return 0;
      k++; p++;
      continue;
    }
    p++;
    int n = decode_escape(&p, q, tmp);
    if (ke - k < n || memcmp(k, tmp, (size_t)n) != 0) return 0;
    k += n;
  }
  return k == ke;
}

/* ---- stepping into objects and arrays ---------------------------------------------------- */

/* v at '{': find member `key`; *out = start of its value. */
static int obj_find(const char *v, const char *e, RtStr key, const char **out) {
  const char *p = ws(v + 1, e);
  if (p < e && *p == '}') return J_MISSING;
  for (;;) {
    int esc = 0;
    const char *ks = p, *ke;
    if (p >= e || *p != '"' || !(ke = skip_string(p, e, &esc))) return J_INVALID;
    p = ws(ke, e);
    if (p >= e || *p != ':') return J_INVALID;
    p = ws(p + 1, e);
    if (key_eq(ks + 1, ke - 1, key, esc)) { *out = p; return J_FOUND; }
    if (!(p = skip_value(p, e, 1))) return J_INVALID;
    p = ws(p, e);
    if (p >= e) return J_INVALID;
    if (*p == '}') return J_MISSING;
    if (*p != ',') return J_INVALID;
    p = ws(p + 1, e);
  }
}

/* v at '[': number of elements, or -1 if malformed. */
static int64_t arr_len(const char *v, const char *e) {
  const char *p = ws(v + 1, e);
  int64_t n = 0;
  if (p < e && *p == ']') return 0;
  for (;;) {
    if (!(p = skip_value(p, e, 1))) return -1;
    n++;
    p = ws(p, e);
    if (p >= e) return -1;
    if (*p == ']') return n;
    if (*p != ',') return -1;
    p = ws(p + 1, e);
  }
}

/* v at '{': number of members, or -1 if malformed. */
static int64_t obj_len(const char *v, const char *e) {
  const char *end = skip_value(v, e, 0), *p = ws(v + 1, e);
  int64_t n = 0;
  int esc;
  if (!end) return -1;
  if (*p == '}') return 0;
  for (;;) {                                      /* already validated: count top-level keys */
    p = skip_string(p, e, &esc);
    p = ws(ws(p, e) + 1, e);
    p = ws(skip_value(p, e, 1), e);
    n++;
    if (*p == '}') return n;
    p = ws(p + 1, e);
  }
}

/* v at '[': element i (negative: from the end). */
static int arr_find(const char *v, const char *e, int64_t i, const char **out) {
  if (i < 0) {
    int64_t n = arr_len(v, e);
    if (n < 0) return J_INVALID;
    i += n;
    if (i < 0) return J_MISSING;
  }
  const char *p = ws(v + 1, e);
  if (p < e && *p == ']') return J_MISSING;
  for (int64_t k = 0;; k++) {
    if (k == i) {
      if (p >= e) return J_INVALID;
      *out = p;
      return J_FOUND;
    }
    if (!(p = skip_value(p, e, 1))) return J_INVALID;
    p = ws(p, e);
    if (p >= e) return J_INVALID;
    if (*p == ']') return J_MISSING;
    if (*p != ',') return J_INVALID;
    p = ws(p + 1, e);
  }
}

/* Follow the key/index path; on J_FOUND, [*vs, *ve) is the value's text. */
static int lookup(RtStr json, FN_JSON_PATH_ARGS, const char **vs, const char **ve) {
  const char *e = json.ptr + json.len, *v = ws(json.ptr, e);
  if (n == 0) {                                   /* the whole document: must be all JSON */
    const char *end = skip_value(v, e, 0);
    if (!end || ws(end, e) != e) return J_INVALID;
    *vs = v; *ve = end;
    return J_FOUND;
  }
  for (int i = 0; i < n; i++) {
    int rc;
    if (v >= e) return J_INVALID;
    if (is_index[i]) {
      if (*v != '[') { if (!skip_value(v, e, 0)) return J_INVALID; return J_MISSING; }
      rc = arr_find(v, e, idx[i], &v);
    } else {
      if (*v != '{') { if (!skip_value(v, e, 0)) return J_INVALID; return J_MISSING; }
      rc = obj_find(v, e, keys[i], &v);
    }
    if (rc != J_FOUND) return rc;
  }
  const char *end = skip_value(v, e, 0), *after;
  if (!end) return J_INVALID;
  /* the value must end at a delimiter ("01" is not "0" followed by junk) */
  after = ws(end, e);
  if (after < e && *after != ',' && *after != '}' && *after != ']') return J_INVALID;
  *vs = v; *ve = end;
  return J_FOUND;
}

/* ---- key/index functions ------------------------------------------------------------------ */

/* json -> path: the JSON text of the value; a missing path gives the text "null". */
int fn_json_get(RtCtx *ctx, RtStr json, FN_JSON_PATH_ARGS, RtStr *out) {
  const char *vs, *ve;
  int rc = lookup(json, keys, idx, is_index, n, &vs, &ve);
  if (rc == J_INVALID) return RT_NULL;
  *out = rc == J_FOUND ? rt_str(vs, ve - vs) : rt_str("null", 4);
  return RT_OK;
}

/* json ->> path: strings unquoted, other values as JSON text; missing or null is NULL. */
int fn_json_get_text(RtCtx *ctx, RtStr json, FN_JSON_PATH_ARGS, RtStr *out) {
  const char *vs, *ve;
  int esc = 0;
  if (lookup(json, keys, idx, is_index, n, &vs, &ve) != J_FOUND || *vs == 'n') return RT_NULL;
  if (*vs == '"') { skip_string(vs, ve, &esc); *out = string_value(ctx, vs, ve, esc); }
  else *out = rt_str(vs, ve - vs);
  return RT_OK;
}

int fn_json_get_str(RtCtx *ctx, RtStr json, FN_JSON_PATH_ARGS, RtStr *out) {
  const char *vs, *ve;
  int esc = 0;
  if (lookup(json, keys, idx, is_index, n, &vs, &ve) != J_FOUND || *vs != '"') return RT_NULL;
  skip_string(vs, ve, &esc);
  *out = string_value(ctx, vs, ve, esc);
  return RT_OK;
}

/* An integer JSON number (no fraction or exponent) that fits int64; anything else is NULL. */
int fn_json_get_int(RtCtx *ctx, RtStr json, FN_JSON_PATH_ARGS, int64_t *out) {
  const char *vs, *ve;
  int is_int;
  if (lookup(json, keys, idx, is_index, n, &vs, &ve) != J_FOUND) return RT_NULL;
  if (*vs != '-' && (*vs < '0' || *vs > '9')) return RT_NULL;
  skip_number(vs, ve, &is_int);
  if (!is_int) return RT_NULL;
  const char *p = vs;
  int neg = *p == '-';
  uint64_t v = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
  for (p += neg; p < ve; p++) {
    unsigned d = (unsigned)(*p - '0');
    if (v > (limit - d) / 10) return RT_NULL;
    v = v * 10 + d;
  }
  *out = neg ? (int64_t)(0 - v) : (int64_t)v;
  return RT_OK;
}

/* Any JSON number, as double. */
int fn_json_get_float(RtCtx *ctx, RtStr json, FN_JSON_PATH_ARGS, double *out) {
  const char *vs, *ve;
  if (lookup(json, keys, idx, is_index, n, &vs, &ve) != J_FOUND) return RT_NULL;
  if (*vs != '-' && (*vs < '0' || *vs > '9')) return RT_NULL;
  return fn_parse_f64(vs, (size_t)(ve - vs), out) == 0 ? RT_OK : RT_NULL;
}

int fn_json_get_bool(RtCtx *ctx, RtStr json, FN_JSON_PATH_ARGS, uint8_t *out) {
  const char *vs, *ve;
  if (lookup(json, keys, idx, is_index, n, &vs, &ve) != J_FOUND) return RT_NULL;
  if (*vs == 't') { *out = 1; return RT_OK; }
  if (*vs == 'f') { *out = 0; return RT_OK; }
  return RT_NULL;
}

/* Members of an object or elements of an array; NULL for other values or a missing path. */
int fn_json_length(RtCtx *ctx, RtStr json, FN_JSON_PATH_ARGS, int64_t *out) {
  const char *vs, *ve;
  if (lookup(json, keys, idx, is_index, n, &vs, &ve) != J_FOUND) return RT_NULL;
  if (*vs == '[') *out = arr_len(vs, ve);
  else if (*vs == '{') *out = obj_len(vs, ve);
  else return RT_NULL;
  return RT_OK;
}

/* Does the path exist (its value may be JSON null)? Invalid JSON is NULL. */
int fn_json_contains(RtCtx *ctx, RtStr json, FN_JSON_PATH_ARGS, uint8_t *out) {
  const char *vs, *ve;
  int rc = lookup(json, keys, idx, is_index, n, &vs, &ve);
  if (rc == J_INVALID) return RT_NULL;
  *out = rc == J_FOUND;
  return RT_OK;
}

/* ---- JSONPath ------------------------------------------------------------------------------ */

#define JP_MAX_SEL 64          /* selectors in one path */
#define JP_MAX_SEG 64          /* segments in one path */

enum { SEL_NAME, SEL_WILD, SEL_INDEX, SEL_SLICE };

typedef struct JpSel {
  uint8_t kind;                /* SEL_* */
  uint8_t has_start, has_end;  /* SEL_SLICE: bounds given */
  RtStr name;                  /* SEL_NAME: member name, unescaped */
  int64_t index;               /* SEL_INDEX; SEL_SLICE: start */
  int64_t end, step;           /* SEL_SLICE */
} JpSel;

typedef struct JpSeg {
  uint8_t recursive;           /* '..': applies to the node and all its descendants */
  uint8_t first, nsel;         /* selectors sel[first .. first+nsel) */
} JpSeg;

typedef struct JPath {
  JpSeg seg[JP_MAX_SEG];
  JpSel sel[JP_MAX_SEL];
  int nseg, nsel;
  const char *e;               /* end of the JSON text being searched */
  int invalid;                 /* malformed JSON met during the search */
} JPath;

static int jp_int(const char **pp, const char *e, int64_t *v) {
  const char *p = *pp;
  int neg = 0;
  uint64_t x = 0;
  if (p < e && *p == '-') { neg = 1; p++; }
  if (p >= e || *p < '0' || *p > '9') return -1;
  while (p < e && *p >= '0' && *p <= '9') {
    if (x > (uint64_t)INT64_MAX / 10) return -1;
    x = x * 10 + (uint64_t)(*p++ - '0');
  }
  if (x > (uint64_t)INT64_MAX) return -1;
  *v = neg ? -(int64_t)x : (int64_t)x;
  *pp = p;
  return 0;
}

/* A quoted name in brackets ('..' or ".."), unescaped into the arena when needed. */
static const char *jp_quoted(RtCtx *ctx, const char *p, const char *e, RtStr *name) {
  char q = *p++;
  const char *s = p;
  int esc = 0;
  while (p < e && *p != q) {
    if (*p == '\\') { esc = 1; if (++p >= e) return NULL; }
    p++;
  }
  if (p >= e) return NULL;
  if (!esc) { *name = rt_str(s, p - s); return p + 1; }
  char *d = rt_alloc(ctx, p - s), *o = d;
  for (const char *r = s; r < p; r++) {
    if (*r != '\\') { *o++ = *r; continue; }
    r++;
    if (*r == 'u') {
      uint32_t v;
      if (p - r < 5 || hex4(r + 1, &v)) return NULL;
      o += fn_utf8_encode(v, o);
      r += 4;
      continue;
    }
    switch (*r) {
    case 'b': *o++ = '\b'; break;
    case 'f': *o++ = '\f'; break;
    case 'n': *o++ = '\n'; break;
    case 'r': *o++ = '\r'; break;
    case 't': *o++ = '\t'; break;
    case '\'': case '"': case '\\': case '/': *o++ = *r; break;
    default: return NULL;
    }
  }
  *name = rt_str(d, o - d);
  return p + 1;
}

static JpSel *jp_new_sel(JPath *jp) { return jp->nsel < JP_MAX_SEL ? &jp->sel[jp->nsel++] : NULL; }

/* Parse "$..."; returns NULL on success, else a short reason. */
static const char *jp_parse(RtCtx *ctx, RtStr path, JPath *jp) {
  const char *p = path.ptr, *e = path.ptr + path.len;
  jp->nseg = jp->nsel = 0;
  while (p < e && *p == ' ') p++;
  while (e > p && e[-1] == ' ') e--;
  if (p >= e || *p != '$') return "must start with '$'";
  p++;
  while (p < e) {
    JpSeg *sg;
    JpSel *sl;
    if (jp->nseg >= JP_MAX_SEG) return "too many segments";
    sg = &jp->seg[jp->nseg++];
    sg->recursive = 0;
    sg->first = (uint8_t)jp->nsel;
    sg->nsel = 0;
    if (*p == '.') {
      p++;
      if (p < e && *p == '.') { sg->recursive = 1; p++; }
      if (p < e && *p == '[' && sg->recursive) goto bracket;
      if (!(sl = jp_new_sel(jp))) return "too many selectors";
      sg->nsel = 1;
      if (p < e && *p == '*') { sl->kind = SEL_WILD; p++; continue; }
      const char *s = p;
      while (p < e && *p != '.' && *p != '[' && *p != ' ' && *p != ']' && *p != '\'' && *p != '"') p++;
      if (p == s) return "expected a member name after '.'";
      sl->kind = SEL_NAME;
      sl->name = rt_str(s, p - s);
      continue;
    }
    if (*p != '[') return "expected '.' or '['";
  bracket:
    p++;
    for (;;) {
      while (p < e && *p == ' ') p++;
      if (p >= e) return "unterminated '['";
      if (!(sl = jp_new_sel(jp))) return "too many selectors";
      sg->nsel++;
      if (*p == '*') { sl->kind = SEL_WILD; p++; }
      else if (*p == '\'' || *p == '"') {
        sl->kind = SEL_NAME;
        if (!(p = jp_quoted(ctx, p, e, &sl->name))) return "bad quoted name";
      } else if (*p == '?') return "filter expressions are not supported";
      else {
        int64_t a = 0;
        int has_a = *p != ':' && jp_int(&p, e, &a) == 0;
        if (!has_a && (p >= e || *p != ':')) return "expected an index, a name, '*' or a slice";
        while (p < e && *p == ' ') p++;
        if (p < e && *p == ':') {                    /* slice start:end[:step] */
          sl->kind = SEL_SLICE;
          sl->has_start = (uint8_t)has_a;
          sl->index = a;
          sl->step = 1;
          p++;
          while (p < e && *p == ' ') p++;
          sl->has_end = p < e && (*p == '-' || (*p >= '0' && *p <= '9'));
          if (sl->has_end && jp_int(&p, e, &sl->end)) return "bad slice end";
          while (p < e && *p == ' ') p++;
          if (p < e && *p == ':') {
            p++;
            while (p < e && *p == ' ') p++;
            if (p < e && (*p == '-' || (*p >= '0' && *p <= '9')) && jp_int(&p, e, &sl->step)) return "bad slice step";
          }
        } else {
          sl->kind = SEL_INDEX;
          sl->index = a;
        }
      }
      while (p < e && *p == ' ') p++;
      if (p < e && *p == ',') { p++; continue; }
      if (p < e && *p == ']') { p++; break; }
      return "expected ',' or ']'";
    }
  }
  return NULL;
}

static const char *jp_eval(JPath *jp, int si, const char *v, int depth);

/* Children of container v (at '{' or '['), in order: calls fn(child) until it returns
** non-NULL. Sets jp->invalid on malformed text. */
typedef struct JpIter {
  const char *p;               /* next child (value start), or NULL when done */
  int obj;                     /* iterating an object */
} JpIter;

static void it_init(JpIter *it, JPath *jp, const char *v) {
  it->obj = *v == '{';
  it->p = ws(v + 1, jp->e);
  if (it->p < jp->e && *it->p == (it->obj ? '}' : ']')) it->p = NULL;
}

/* Next child: value start in *val, key content (for objects) in [*ks, *ke) with *kesc. 0 when done. */
static int it_next(JpIter *it, JPath *jp, const char **val, const char **ks, const char **ke, int *kesc) {
  const char *p = it->p, *e = jp->e;
  if (!p) return 0;
  if (it->obj) {
    int esc = 0;
    const char *end;
    if (p >= e || *p != '"' || !(end = skip_string(p, e, &esc))) { jp->invalid = 1; return 0; }
    if (ks) { *ks = p + 1; *ke = end - 1; *kesc = esc; }
    p = ws(end, e);
    if (p >= e || *p != ':') { jp->invalid = 1; return 0; }
    p = ws(p + 1, e);
  }
  *val = p;
  const char *end = skip_value(p, e, 1);
  if (!end) { jp->invalid = 1; return 0; }
  p = ws(end, e);
  if (p < e && *p == ',') it->p = ws(p + 1, e);
  else if (p < e && *p == (it->obj ? '}' : ']')) it->p = NULL;
  else { jp->invalid = 1; return 0; }
  return 1;
}

/* Apply one selector to node v, continuing with segment si+1 for each selected child. */
static const char *jp_select(JPath *jp, const JpSel *sl, int si, const char *v, int depth) {
  JpIter it;
  const char *c, *ks, *ke, *r;
  int kesc;
  if (*v != '{' && *v != '[') return NULL;
  if (sl->kind == SEL_NAME) {
    if (*v != '{') return NULL;
    it_init(&it, jp, v);
    while (it_next(&it, jp, &c, &ks, &ke, &kesc))
      if (key_eq(ks, ke, sl->name, kesc)) return jp_eval(jp, si + 1, c, depth + 1);
    return NULL;
  }
  if (sl->kind == SEL_WILD) {
    it_init(&it, jp, v);
    while (it_next(&it, jp, &c, NULL, NULL, NULL))
      if ((r = jp_eval(jp, si + 1, c, depth + 1))) return r;
    return NULL;
  }
  if (*v != '[') return NULL;
  if (sl->kind == SEL_INDEX) {
    if (arr_find(v, jp->e, sl->index, &c) != J_FOUND) return NULL;
    return jp_eval(jp, si + 1, c, depth + 1);
  }
  /* slice, RFC 9535 normalisation: negative bounds count from the end, then clamp */
  int64_t len = arr_len(v, jp->e), step = sl->step, lo, hi;
  if (len < 0) { jp->invalid = 1; return NULL; }
  if (step == 0) return NULL;
  int64_t start = sl->has_start ? sl->index : (step > 0 ? 0 : len - 1);
  int64_t end = sl->has_end ? sl->end : (step > 0 ? len : -len - 1);
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (step > 0) {
    lo = start < 0 ? 0 : start > len ? len : start;
    hi = end < 0 ? 0 : end > len ? len : end;
    it_init(&it, jp, v);
    for (int64_t i = 0; i < hi && it_next(&it, jp, &c, NULL, NULL, NULL); i++)
      if (i >= lo && (i - lo) % step == 0 && (r = jp_eval(jp, si + 1, c, depth + 1))) return r;
  } else {
    hi = start < -1 ? -1 : start >= len ? len - 1 : start;
    lo = end < -1 ? -1 : end >= len ? len - 1 : end;
    for (int64_t i = hi; i > lo; i += step)
      if (arr_find(v, jp->e, i, &c) == J_FOUND && (r = jp_eval(jp, si + 1, c, depth + 1))) return r;
  }
  return NULL;
}

/* Descendant segment: selectors at v, then at each descendant in document order (this is
** the order serde_json_path reports, so "first match" agrees with Arroyo). */
static const char *jp_descend(JPath *jp, int si, const char *v, int depth) {
  const JpSeg *sg = &jp->seg[si];
  const char *r, *c;
  JpIter it;
  if (depth > JSON_MAX_DEPTH) { jp->invalid = 1; return NULL; }
  for (int k = 0; k < sg->nsel; k++)
    if ((r = jp_select(jp, &jp->sel[sg->first + k], si, v, depth))) return r;
  if (*v != '{' && *v != '[') return NULL;
  it_init(&it, jp, v);
  while (it_next(&it, jp, &c, NULL, NULL, NULL))
    if ((r = jp_descend(jp, si, c, depth + 1))) return r;
  return NULL;
}

/* First match of segments si.. applied to value v. */
static const char *jp_eval(JPath *jp, int si, const char *v, int depth) {
  const char *r;
  if (jp->invalid || depth > JSON_MAX_DEPTH) return NULL;
  if (si == jp->nseg) return v;
  const JpSeg *sg = &jp->seg[si];
  if (sg->recursive) return jp_descend(jp, si, v, depth);
  for (int k = 0; k < sg->nsel; k++)
    if ((r = jp_select(jp, &jp->sel[sg->first + k], si, v, depth))) return r;
  return NULL;
}

/* Parse the path (RT_ERR if bad), validate the document (RT_NULL if bad), find the first
** match (RT_NULL if none). On RT_OK, [*vs, *ve) is the matched value's text. */
static int jsonpath_first(RtCtx *ctx, const char *fname, RtStr json, RtStr path, const char **vs,
                          const char **ve) {
  JPath jp;
  const char *why = jp_parse(ctx, path, &jp);
  if (why) return rt_error(ctx, NULL, "%s: invalid JSONPath '%.*s': %s", fname, FN_QUOTE(path), why);
  const char *e = json.ptr + json.len, *v = ws(json.ptr, e), *end = skip_value(v, e, 0);
  if (!end || ws(end, e) != e) return RT_NULL;
  jp.e = end;
  jp.invalid = 0;
  const char *m = jp_eval(&jp, 0, v, 0);
  if (!m || jp.invalid) return RT_NULL;
  *vs = m;
  *ve = skip_value(m, end, 0);
  return RT_OK;
}

/* extract_json_string(json, path): the first match, if it is a string, unquoted. */
int fn_extract_json_string(RtCtx *ctx, RtStr json, RtStr path, RtStr *out) {
  const char *vs, *ve;
  int rc = jsonpath_first(ctx, "extract_json_string", json, path, &vs, &ve), esc = 0;
  if (rc != RT_OK) return rc;
  if (*vs != '"') return RT_NULL;
  skip_string(vs, ve, &esc);
  *out = string_value(ctx, vs, ve, esc);
  return RT_OK;
}

/* get_first_json_object(json, path): the first match as compact JSON text (whitespace
** between tokens removed, as serde_json prints it; strings and numbers are kept as written). */
int fn_get_first_json_object(RtCtx *ctx, RtStr json, RtStr path, RtStr *out) {
  const char *vs, *ve;
  int rc = jsonpath_first(ctx, "get_first_json_object", json, path, &vs, &ve);
  if (rc != RT_OK) return rc;
  const char *p = vs;
  int spaced = 0;
  if (*vs == '{' || *vs == '[') {
    for (int esc; p < ve;) {
      if (*p == '"') { p = skip_string(p, ve, &esc); continue; }
      if (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t') { spaced = 1; break; }
      p++;
    }
  }
  if (!spaced) { *out = rt_str(vs, ve - vs); return RT_OK; }
  char *d = rt_alloc(ctx, ve - vs), *o = d;
  for (p = vs; p < ve;) {
    if (*p == '"') {
      int esc;
      const char *q = skip_string(p, ve, &esc);
      memcpy(o, p, (size_t)(q - p)); o += q - p;
      p = q;
      continue;
    }
    if (*p != ' ' && *p != '\n' && *p != '\r' && *p != '\t') *o++ = *p;
    p++;
  }
  *out = rt_str(d, o - d);
  return RT_OK;
}
