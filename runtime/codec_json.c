/*
** runtime/codec_json.c: the json record format, both directions, and the codec entry points.
**
** Entry points (runtime.h, "codecs"): dec_new / dec_record / dec_free and enc_new /
** enc_record / enc_free. They read the connector's options (format = json | debezium_json,
** json.unstructured, json.timestamp_format) and hand debezium envelopes to
** codec_debezium.c; the object <-> row work (jdec_object, jenc_object) is here.
**
** Decoding: one JSON object per record, straight into the row struct, no DOM. dec_new
** precomputes per column its offsets and type, a row template (zeros with every null flag
** set, so absent columns are NULL after one memcpy), a bitmap of NOT NULL columns, and an
** open-addressing table of the column names. jdec_object first guesses that the next key is
** the column after the previous one (records written by the same producer keep one order),
** which costs one length compare and one memcmp; only on a miss does it hash the key. Values
** are parsed by the column's type: numbers straight to int64/uint64/double, strings as
** pointers into the record unless they contain escapes (then unescaped into the arena).
** Unknown keys are skipped, and their values validated, without storing anything.
**
** Field rules (bad data gives "field 'x': expected T, found <value>"):
**   BOOLEAN true/false; INT/BIGINT/unsigned: integers only, range-checked; FLOAT/DOUBLE:
**   any number; DECIMAL(p,s): a number or a string holding a decimal literal, exact, rounded
**   half away from zero beyond s digits; TEXT: string (valid UTF-8); BYTEA: a base64
**   string (standard alphabet, padding optional); JSON: the raw text of any value; TIMESTAMP: an RFC 3339 string,
**   or an integer taken as nanoseconds (json.timestamp_format = unix_millis: milliseconds).
**   null or a missing key gives NULL, an error for NOT NULL columns.
**
** Encoding: the schema's columns in order, NULL as null, TIMESTAMP as ts_format text (or
** integer Unix ms with unix_millis), floats via fmt_f64/fmt_f32 with null for NaN/inf,
** DECIMAL as a number with exactly `scale` fraction digits ("12.50"), JSON columns embedded
** as raw JSON, BYTEA as a base64 string (standard alphabet, padded), as Arroyo writes it.
** The "{\"name\":" / ",\"name\":" key prefixes are escaped once at enc_new.
**
** A Decoder or Encoder is immutable after *_new except for per-record scratch (the seen
** bitmap), so each belongs to one thread at a time; make one per subtask.
**
** It does NOT read files, split lines or decide what to do with bad records (the source
** connector does: bad_data = fail | drop).
*/
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "json_scan.h"

/* BYTEA travels in JSON as base64 (standard alphabet, padded), as Arroyo writes it. */
static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *base64_encode(char *p, const char *src, int64_t n) {
  const unsigned char *s = (const unsigned char *)src;
  int64_t i = 0;
  for (; i + 2 < n; i += 3) {
    uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
    *p++ = b64chars[v >> 18]; *p++ = b64chars[(v >> 12) & 63];
    *p++ = b64chars[(v >> 6) & 63]; *p++ = b64chars[v & 63];
  }
  if (i < n) {
    uint32_t v = (uint32_t)s[i] << 16 | (i + 1 < n ? (uint32_t)s[i + 1] << 8 : 0);
    *p++ = b64chars[v >> 18]; *p++ = b64chars[(v >> 12) & 63];
    *p++ = i + 1 < n ? b64chars[(v >> 6) & 63] : '=';
    *p++ = '=';
  }
  return p;
}

static int b64val(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

/* Decode padded or unpadded base64; returns the byte count or -1 for invalid input. */
static int64_t base64_decode(const char *src, int64_t n, char *out) {
  while (n > 0 && src[n - 1] == '=') n--;
  if (n % 4 == 1) return -1;
  int64_t o = 0;
  uint32_t acc = 0;
  int bits = 0;
  for (int64_t i = 0; i < n; i++) {
    int v = b64val((unsigned char)src[i]);
    if (v < 0) return -1;
    acc = acc << 6 | (uint32_t)v;
    bits += 6;
    if (bits >= 8) { bits -= 8; out[o++] = (char)((acc >> bits) & 0xff); }
  }
  return o;
}


static void *xcalloc(size_t n, size_t sz) {
  void *p = calloc(n ? n : 1, sz);
  if (!p) { fprintf(stderr, "arroyo: out of memory\n"); abort(); }
  return p;
}

static uint32_t key_hash(const char *s, size_t n) {
  uint32_t h = (uint32_t)n * 0x9E3779B1u;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 0x01000193u;
  return h ^ h >> 15;
}

static JsCol *cols_from_schema(const RtSchema *s) {
  JsCol *c = xcalloc(s->ncols, sizeof *c);
  for (uint32_t i = 0; i < s->ncols; i++) {
    const RtColumn *rc = &s->cols[i];
    c[i].name = rc->name;
    c[i].name_len = (uint32_t)strlen(rc->name);
    c[i].type = rc->type;
    c[i].nullable = rc->nullable && rc->null_offset != UINT32_MAX;
    c[i].scale = rc->scale;
    c[i].precision = rc->precision;
    c[i].off = rc->offset;
    c[i].null_off = rc->null_offset;
    c[i].raw_key = 1;
    for (uint32_t k = 0; k < c[i].name_len; k++) {
      unsigned char ch = (unsigned char)rc->name[k];
      if (ch == '"' || ch == '\\' || ch < 0x20) c[i].raw_key = 0;
      if (k < 16) {
        c[i].kw[k / 8] |= (uint64_t)ch << (8 * (k % 8));
        c[i].km[k / 8] |= (uint64_t)0xFF << (8 * (k % 8));
      }
    }
  }
  return c;
}

/* Option value or NULL. (Same as the registry's conn_opt; kept here so the codecs link
** without the registry, which lives in the compiler library.) */
static const char *opt(const RtConnector *c, const char *key) {
  for (uint32_t i = 0; i < c->nopts; i++)
    if (strcmp(c->opts[i].key, key) == 0) return c->opts[i].value;
  return NULL;
}

/* Common options; 0 ok, -1 with err. */
static int read_options(const RtConnector *c, int *format, int *unstructured, int *ts_millis,
                        char *err, size_t errlen) {
  const char *f = opt(c, "format");
  const char *u = opt(c, "json.unstructured");
  const char *t = opt(c, "json.timestamp_format");
  if (!f || strcmp(f, "json") == 0) *format = FMT_JSON;
  else if (strcmp(f, "debezium_json") == 0) *format = FMT_DEBEZIUM;
  else { snprintf(err, errlen, "unsupported format '%s' (json or debezium_json)", f); return -1; }
  *unstructured = u && strcmp(u, "true") == 0;
  if (u && !*unstructured && strcmp(u, "false") != 0) {
    snprintf(err, errlen, "json.unstructured must be 'true' or 'false', not '%s'", u);
    return -1;
  }
  if (!t || strcmp(t, "rfc3339") == 0) *ts_millis = 0;
  else if (strcmp(t, "unix_millis") == 0) *ts_millis = 1;
  else {
    snprintf(err, errlen, "json.timestamp_format must be 'rfc3339' or 'unix_millis', not '%s'", t);
    return -1;
  }
  for (uint32_t i = 0; i < c->schema->ncols; i++) {
    unsigned ty = c->schema->cols[i].type;
    if (ty < RT_BOOL || ty >= RT_TYPE_COUNT) {
      snprintf(err, errlen, "column '%s' has unknown type %u", c->schema->cols[i].name, ty);
      return -1;
    }
  }
  if (*unstructured) {
    if (*format != FMT_JSON) {
      snprintf(err, errlen, "json.unstructured needs format = 'json'");
      return -1;
    }
    if (c->schema->ncols != 1 || (c->schema->cols[0].type != RT_JSON &&
                                  c->schema->cols[0].type != RT_TEXT)) {
      snprintf(err, errlen, "json.unstructured needs a table with a single JSON column");
      return -1;
    }
  }
  return 0;
}

/* ======================================================================================
** decoding
*/

Decoder *dec_new(const RtConnector *src, char *err, size_t errlen) {
  const RtSchema *s = src->schema;
  int format, unstructured, ts_millis;
  if (read_options(src, &format, &unstructured, &ts_millis, err, errlen) < 0) return NULL;
  if (s->ncols > 16000) { snprintf(err, errlen, "too many columns (%u)", s->ncols); return NULL; }
  if (src->event_time_col >= 0 && ((uint32_t)src->event_time_col >= s->ncols ||
                                   s->cols[src->event_time_col].type != RT_TIMESTAMP)) {
    snprintf(err, errlen, "event time column %d is not a TIMESTAMP column", src->event_time_col);
    return NULL;
  }
  Decoder *d = xcalloc(1, sizeof *d);
  d->schema = s;
  d->format = format;
  d->unstructured = unstructured;
  d->ts_millis = ts_millis;
  d->event_col = src->event_time_col;
  d->ncols = s->ncols;
  d->row_size = s->row_size;
  d->cols = cols_from_schema(s);
  d->nwords = (s->ncols + 63) / 64;
  d->required = xcalloc(d->nwords, sizeof(uint64_t));
  d->seen = xcalloc(d->nwords, sizeof(uint64_t));
  d->tmpl = xcalloc(s->row_size, 1);
  uint32_t nslots = 8;
  while (nslots < 2 * s->ncols) nslots *= 2;
  d->slots = xcalloc(nslots, sizeof(int16_t));
  d->slot_mask = nslots - 1;
  for (uint32_t i = 0; i < nslots; i++) d->slots[i] = -1;
  for (uint32_t i = 0; i < s->ncols; i++) {
    JsCol *c = &d->cols[i];
    if (c->nullable) d->tmpl[c->null_off] = 1;
    else d->required[i / 64] |= UINT64_C(1) << (i % 64);
    uint32_t h = key_hash(c->name, c->name_len) & d->slot_mask;
    while (d->slots[h] >= 0) h = (h + 1) & d->slot_mask;
    d->slots[h] = (int16_t)i;
  }
  return d;
}

void dec_free(Decoder *d) {
  if (!d) return;
  free(d->cols);
  free(d->slots);
  free(d->required);
  free(d->seen);
  free(d->tmpl);
  free(d);
}

/* Do the name_len bytes at k (k + 16 <= end not required) equal column c's name? */
static inline int key_eq(const char *k, const char *end, const JsCol *c) {
  uint32_t n = c->name_len;
  if (n <= 16 && end - k >= 16) {
    uint64_t a, b;
    memcpy(&a, k, 8);
    memcpy(&b, k + 8, 8);
    return (((a ^ c->kw[0]) & c->km[0]) | ((b ^ c->kw[1]) & c->km[1])) == 0;
  }
  return memcmp(k, c->name, n) == 0;
}

static int lookup_key(const Decoder *d, const char *k, size_t n) {
  uint32_t h = key_hash(k, n) & d->slot_mask;
  for (;;) {
    int ci = d->slots[h];
    if (ci < 0) return -1;
    const JsCol *c = &d->cols[ci];
    if (c->name_len == n && memcmp(c->name, k, n) == 0) return ci;
    h = (h + 1) & d->slot_mask;
  }
}

/* Key at *p (the opening quote) by hashing: column index, -1 unknown, -2 error. Advances
** *p past the closing quote. */
static int slow_key(const Decoder *d, JsIn *in, const char **pp) {
  const char *k = *pp + 1, *kq = k, *end = in->end;
  while (kq < end && *kq != '"' && *kq != '\\' && (unsigned char)*kq >= 0x20) kq++;
  size_t klen;
  if (kq < end && *kq == '"') {
    klen = (size_t)(kq - k);
    *pp = kq + 1;
  } else {
    RtStr ks;                          /* escaped key (rare): unescape into the arena */
    if (!(*pp = js_string(in, k - 1, &ks, 0))) return -2;
    k = ks.ptr;
    klen = (size_t)ks.len;
  }
  return lookup_key(d, k, klen);
}

/* The value at p does not fit column c. If it is not even valid JSON, say so instead. */
static const char *type_error(JsIn *in, const JsCol *c, const char *p, const char *why) {
  char desc[96];
  if (!why && !js_skip(in, p)) return NULL;
  js_describe(in, p, desc, sizeof desc);
  return js_field_error(in, c->name, "expected %s, found %s%s", js_type_names[c->type], desc,
                        why ? why : "");
}

/* Integer value of a number for an integer column: 0 ok; -1 not an integer. */
static int num_int(const JsNum *n, uint64_t *mag) {
  if (!n->is_int || n->inexact || (n->exp10 != 0 && n->mant != 0)) return -1;
  *mag = n->mant;
  return 0;
}

/* Decode the value at p (not null: the caller handled null) into the column's slot. */
static const char *dec_value(const Decoder *d, JsIn *in, const JsCol *c, const char *p,
                             char *row) {
  char *dst = row + c->off;
  const char *end = in->end;
  char ch = *p;
  switch (c->type) {
  case RT_I64: case RT_I32: case RT_U64: case RT_U32: {
    if (ch != '-' && (unsigned)(ch - '0') > 9) return type_error(in, c, p, NULL);
    JsNum n;
    uint64_t mag;
    const char *q = js_number(in, p, &n);
    if (!q) return NULL;
    if (num_int(&n, &mag) < 0) return type_error(in, c, p, NULL);
    switch (c->type) {
    case RT_I64: {
      if (mag > (n.neg ? UINT64_C(9223372036854775808) : UINT64_C(9223372036854775807)))
        return type_error(in, c, p, " (out of range)");
      int64_t v = n.neg ? (int64_t)(0 - mag) : (int64_t)mag;
      memcpy(dst, &v, 8);
      break;
    }
    case RT_I32: {
      if (mag > (n.neg ? UINT64_C(2147483648) : UINT64_C(2147483647)))
        return type_error(in, c, p, " (out of range)");
      int32_t v = n.neg ? (int32_t)(0 - (int64_t)mag) : (int32_t)mag;
      memcpy(dst, &v, 4);
      break;
    }
    case RT_U64:
      if (n.neg && mag) return type_error(in, c, p, " (out of range)");
      memcpy(dst, &mag, 8);
      break;
    default: {
      if ((n.neg && mag) || mag > UINT32_MAX) return type_error(in, c, p, " (out of range)");
      uint32_t v = (uint32_t)mag;
      memcpy(dst, &v, 4);
    }
    }
    return q;
  }
  case RT_F64: case RT_F32: {
    if (ch != '-' && (unsigned)(ch - '0') > 9) return type_error(in, c, p, NULL);
    JsNum n;
    const char *q = js_number(in, p, &n);
    if (!q) return NULL;
    if (c->type == RT_F64) { double v = js_num_f64(&n); memcpy(dst, &v, 8); }
    else { float v = js_num_f32(&n); memcpy(dst, &v, 4); }
    return q;
  }
  case RT_TEXT: {
    if (ch != '"') return type_error(in, c, p, NULL);
    RtStr s;
    const char *q = js_string(in, p, &s, 1);
    if (q) memcpy(dst, &s, sizeof s);
    return q;
  }
  case RT_BYTEA: {
    if (ch != '"') return type_error(in, c, p, NULL);
    RtStr s;
    const char *q = js_string(in, p, &s, 0);
    if (!q) return NULL;
    char *bytes = arena_alloc(in->arena, (size_t)s.len / 4 * 3 + 3);
    int64_t n = base64_decode(s.ptr, s.len, bytes);
    if (n < 0) return type_error(in, c, p, " (not base64)");
    RtStr b = { bytes, n };
    memcpy(dst, &b, sizeof b);
    return q;
  }
  case RT_TIMESTAMP: {
    int64_t v;
    if (ch == '"') {
      RtStr s;
      const char *q = js_string(in, p, &s, 0);
      if (!q) return NULL;
      if (ts_parse(s.ptr, (size_t)s.len, &v) < 0) return type_error(in, c, p, NULL);
      memcpy(dst, &v, 8);
      return q;
    }
    if (ch != '-' && (unsigned)(ch - '0') > 9) return type_error(in, c, p, NULL);
    JsNum n;
    uint64_t mag;
    const char *q = js_number(in, p, &n);
    if (!q) return NULL;
    if (num_int(&n, &mag) < 0) return type_error(in, c, p, NULL);
    uint64_t lim = d->ts_millis ? UINT64_C(9223372036854) : UINT64_C(9223372036854775807);
    if (mag > lim) return type_error(in, c, p, " (out of range)");
    v = (int64_t)mag * (d->ts_millis ? 1000000 : 1);
    if (n.neg) v = -v;
    memcpy(dst, &v, 8);
    return q;
  }
  case RT_BOOL:
    if (ch == 't' && end - p >= 4 && memcmp(p, "true", 4) == 0) { *dst = 1; return p + 4; }
    if (ch == 'f' && end - p >= 5 && memcmp(p, "false", 5) == 0) { *dst = 0; return p + 5; }
    if (ch == 't' || ch == 'f') return js_syntax_error(in, p, "expected a value");
    return type_error(in, c, p, NULL);
  case RT_DECIMAL: {
    const char *txt, *q;
    size_t len;
    if (ch == '"') {
      RtStr s;
      if (!(q = js_string(in, p, &s, 0))) return NULL;
      txt = s.ptr; len = (size_t)s.len;
    } else if (ch == '-' || (unsigned)(ch - '0') <= 9) {
      JsNum n;
      if (!(q = js_number(in, p, &n))) return NULL;
      txt = n.text; len = n.len;
    } else {
      return type_error(in, c, p, NULL);
    }
    int64_t v;
    int rc = js_decimal(txt, len, c->scale, &v);
    if (rc == -2) return type_error(in, c, p, NULL);
    if (rc == -1) return type_error(in, c, p, " (out of range)");
    if (c->precision > 0 && c->precision < 19) {
      int64_t lim = 1;
      for (int i = 0; i < c->precision; i++) lim *= 10;
      if (v >= lim || v <= -lim) return type_error(in, c, p, " (exceeds the precision)");
    }
    memcpy(dst, &v, 8);
    return q;
  }
  case RT_JSON: {
    const char *q = js_skip(in, p);
    if (!q) return NULL;
    RtStr s = rt_str(p, q - p);
    for (const char *r = p; r < q; r++)
      if ((unsigned char)*r >= 0x80) {
        if (!js_utf8_valid(p, (size_t)(q - p))) return js_syntax_error(in, p, "invalid UTF-8");
        break;
      }
    memcpy(dst, &s, sizeof s);
    return q;
  }
  }
  return js_field_error(in, c->name, "unsupported column type %d", c->type);
}

/* object -> '{' [ string ':' value { ',' string ':' value } ] '}' */
const char *jdec_object(Decoder *d, JsIn *in, const char *p, char *row) {
  const char *end = in->end;
  const JsCol *cols = d->cols;
  uint32_t next = 0;                   /* column we expect the next key to name */
  if (p >= end || *p != '{') {
    if (p < end && (*p == '[' || *p == '"' || *p == '-' || (unsigned)(*p - '0') <= 9 ||
                    *p == 't' || *p == 'f' || *p == 'n'))
      return js_syntax_error(in, p, "expected an object");
    return js_syntax_error(in, p, "expected '{'");
  }
  memset(d->seen, 0, d->nwords * sizeof(uint64_t));
  p = js_ws(p + 1, end);
  if (p < end && *p == '}') { p++; goto done; }
  for (;;) {
    /* key: first try the column after the previous one, compared in place; the byte after
    ** the name must be the closing quote, so a longer key cannot match a prefix */
    if (p >= end || *p != '"') return js_syntax_error(in, p, "expected a key string");
    const char *k = p + 1;
    int ci;
    if (next < d->ncols) {
      const JsCol *c = &cols[next];
      uint32_t n = c->name_len;
      if (c->raw_key && end - k > (ptrdiff_t)n && k[n] == '"' && key_eq(k, end, c)) {
        ci = (int)next;
        p = k + n + 1;
        goto have_key;
      }
    }
    if ((ci = slow_key(d, in, &p)) == -2) return NULL;
have_key:
    /* ':' */
    if (p < end && *p == ':') p++;
    else {
      p = js_ws(p, end);
      if (p >= end || *p != ':') return js_syntax_error(in, p, "expected ':'");
      p++;
    }
    p = js_ws(p, end);
    if (p >= end) return js_syntax_error(in, p, "expected a value");
    /* value */
    if (ci < 0) {
      if (!(p = js_skip(in, p))) return NULL;
    } else {
      const JsCol *c = &cols[ci];
      next = (uint32_t)ci + 1;
      d->seen[ci / 64] |= UINT64_C(1) << (ci % 64);
      if (*p == 'n') {
        if (end - p < 4 || memcmp(p, "null", 4) != 0) return js_syntax_error(in, p, "expected a value");
        if (!c->nullable) return type_error(in, c, p, NULL);
        row[c->null_off] = 1;
        p += 4;
      } else {
        if (!(p = dec_value(d, in, c, p, row))) return NULL;
        if (c->nullable) row[c->null_off] = 0;
      }
    }
    /* ',' or '}' */
    if (p < end && *p == ',') { p = js_ws(p + 1, end); continue; }
    p = js_ws(p, end);
    if (p < end && *p == ',') { p = js_ws(p + 1, end); continue; }
    if (p < end && *p == '}') { p++; break; }
    return js_syntax_error(in, p, "expected ',' or '}'");
  }
done:
  for (uint32_t w = 0; w < d->nwords; w++) {
    uint64_t missing = d->required[w] & ~d->seen[w];
    if (missing) {
      const JsCol *c = &cols[w * 64 + (uint32_t)__builtin_ctzll(missing)];
      return js_field_error(in, c->name, "missing value for NOT NULL column of type %s",
                            js_type_names[c->type]);
    }
  }
  return p;
}

void jdec_event_time(const Decoder *d, char *row) {
  if (d->event_col < 0) return;
  const JsCol *c = &d->cols[d->event_col];
  if (c->nullable && row[c->null_off]) return;
  memcpy(&((RtRowHeader *)(void *)row)->ts, row + c->off, 8);
}

int dec_record(Decoder *d, const char *line, size_t len, void *rows_out, Arena *arena,
               char *err, size_t errlen) {
  JsIn in = { line, line + len, arena, err, errlen };
  char *row = rows_out;
  const char *p = js_ws(line, in.end);
  if (p == in.end) return 0;                       /* blank line: no record */
  if (d->format == FMT_DEBEZIUM) return dbz_decode(d, &in, row);
  memcpy(row, d->tmpl, d->row_size);
  if (d->unstructured) {
    const char *q = js_skip(&in, p);
    if (!q) return -1;
    const char *e = js_ws(q, in.end);
    if (e != in.end) { js_syntax_error(&in, e, "trailing characters after the value"); return -1; }
    if (!js_utf8_valid(p, (size_t)(q - p))) { js_syntax_error(&in, p, "invalid UTF-8"); return -1; }
    const JsCol *c = &d->cols[0];
    RtStr s = rt_str(p, q - p);
    memcpy(row + c->off, &s, sizeof s);
    if (c->nullable) row[c->null_off] = 0;
    return 1;
  }
  p = jdec_object(d, &in, p, row);
  if (!p) return -1;
  p = js_ws(p, in.end);
  if (p != in.end) { js_syntax_error(&in, p, "trailing characters after the object"); return -1; }
  jdec_event_time(d, row);
  return 1;
}

/* ======================================================================================
** encoding
*/

/* Most bytes a non-string value can take. */
static size_t value_max(unsigned type) {
  switch (type) {
  case RT_TIMESTAMP: return 44;      /* "YYYY...-MM-DDTHH:MM:SS.fffffffff" or ms */
  case RT_F32: case RT_F64: return 32;
  default: return 24;                /* integers, DECIMAL, true/false/null */
  }
}

Encoder *enc_new(const RtConnector *sink, char *err, size_t errlen) {
  const RtSchema *s = sink->schema;
  int format, unstructured, ts_millis;
  if (read_options(sink, &format, &unstructured, &ts_millis, err, errlen) < 0) return NULL;
  Encoder *e = xcalloc(1, sizeof *e);
  e->schema = s;
  e->format = format;
  e->unstructured = unstructured;
  e->ts_millis = ts_millis;
  e->ncols = s->ncols;
  e->cols = cols_from_schema(s);
  e->keys = xcalloc(s->ncols, sizeof(char *));
  e->key_lens = xcalloc(s->ncols, sizeof(uint32_t));
  e->fixed_max = 2 + 1 + 64;         /* "{}", '\n', debezium envelope */
  e->sub = xcalloc(s->ncols ? s->ncols : 1, sizeof(Encoder *));
  for (uint32_t i = 0; i < s->ncols; i++) {
    /* a STRUCT column is written as a nested object by its own encoder over the fields */
    if (s->cols[i].type == RT_STRUCT && s->cols[i].fields) {
      RtConnector nested = *sink;
      nested.schema = s->cols[i].fields;
      e->sub[i] = enc_new(&nested, err, errlen);
      if (!e->sub[i]) { enc_free(e); return NULL; }
      e->sub[i]->format = FMT_JSON;   /* fields are plain JSON inside any envelope */
      e->sub[i]->unstructured = 0;
    }
    const JsCol *c = &e->cols[i];
    char *k = xcalloc(6 * (size_t)c->name_len + 4, 1), *q = k;
    *q++ = i == 0 ? '{' : ',';
    q = js_escape(q, c->name, c->name_len, 0);
    *q++ = ':';
    e->keys[i] = k;
    e->key_lens[i] = (uint32_t)(q - k);
    e->fixed_max += e->key_lens[i] + value_max(c->type);
  }
  return e;
}

void enc_free(Encoder *e) {
  if (!e) return;
  for (uint32_t i = 0; i < e->ncols; i++) {
    if (e->keys) free(e->keys[i]);
    if (e->sub) enc_free(e->sub[i]);
  }
  free(e->sub);
  free(e->keys);
  free(e->key_lens);
  free(e->cols);
  free(e);
}

size_t jenc_bound(const Encoder *e, const char *row) {
  size_t n = e->fixed_max;
  for (uint32_t i = 0; i < e->ncols; i++) {
    const JsCol *c = &e->cols[i];
    if (c->type == RT_TEXT || c->type == RT_BYTEA || c->type == RT_JSON) {
      RtStr s;
      memcpy(&s, row + c->off, sizeof s);
      if (s.len > 0) n += (c->type == RT_JSON ? 1 : 6) * (size_t)s.len + 2;
    } else if (c->type == RT_STRUCT && e->sub[i]) {
      n += jenc_bound(e->sub[i], row + c->off);
    }
  }
  return n;
}

static char *put_decimal(char *p, int64_t v, int scale) {
  char digs[24];
  if (scale == 0) return p + fmt_i64(v, p);
  uint64_t mag = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
  int n = (int)fmt_u64(mag, digs);
  if (v < 0) *p++ = '-';
  if (n <= scale) {
    *p++ = '0'; *p++ = '.';
    for (int i = n; i < scale; i++) *p++ = '0';
    memcpy(p, digs, (size_t)n);
    return p + n;
  }
  memcpy(p, digs, (size_t)(n - scale)); p += n - scale;
  *p++ = '.';
  memcpy(p, digs + n - scale, (size_t)scale);
  return p + scale;
}

static int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

char *jenc_object(const Encoder *e, const char *row, char *p, int ts_millis) {
  if (e->ncols == 0) { *p++ = '{'; *p++ = '}'; return p; }
  for (uint32_t i = 0; i < e->ncols; i++) {
    const JsCol *c = &e->cols[i];
    const char *v = row + c->off;
    memcpy(p, e->keys[i], e->key_lens[i]);
    p += e->key_lens[i];
    if (c->nullable && row[c->null_off]) { memcpy(p, "null", 4); p += 4; continue; }
    switch (c->type) {
    case RT_BOOL:
      if (*v) { memcpy(p, "true", 4); p += 4; } else { memcpy(p, "false", 5); p += 5; }
      break;
    case RT_I32: { int32_t x; memcpy(&x, v, 4); p += fmt_i64(x, p); break; }
    case RT_I64: { int64_t x; memcpy(&x, v, 8); p += fmt_i64(x, p); break; }
    case RT_U32: { uint32_t x; memcpy(&x, v, 4); p += fmt_u64(x, p); break; }
    case RT_U64: { uint64_t x; memcpy(&x, v, 8); p += fmt_u64(x, p); break; }
    case RT_F32: {
      float x;
      memcpy(&x, v, 4);
      if (x - x != 0) { memcpy(p, "null", 4); p += 4; }   /* NaN or inf */
      else p += fmt_f32(x, p);
      break;
    }
    case RT_F64: {
      double x;
      memcpy(&x, v, 8);
      if (x - x != 0) { memcpy(p, "null", 4); p += 4; }
      else p += fmt_f64(x, p);
      break;
    }
    case RT_DECIMAL: { int64_t x; memcpy(&x, v, 8); p = put_decimal(p, x, c->scale); break; }
    case RT_TIMESTAMP: {
      int64_t x;
      memcpy(&x, v, 8);
      if (ts_millis) p += fmt_i64(floor_div(x, 1000000), p);
      else { *p++ = '"'; p += ts_format(x, p); *p++ = '"'; }
      break;
    }
    case RT_TEXT: {
      RtStr s;
      memcpy(&s, v, sizeof s);
      p = js_escape(p, s.ptr, s.len > 0 ? (size_t)s.len : 0, 0);
      break;
    }
    case RT_BYTEA: {
      RtStr s;
      memcpy(&s, v, sizeof s);
      *p++ = '"';
      p = base64_encode(p, s.ptr, s.len > 0 ? s.len : 0);
      *p++ = '"';
      break;
    }
    case RT_JSON: {
      RtStr s;
      memcpy(&s, v, sizeof s);
      if (s.len > 0) { memcpy(p, s.ptr, (size_t)s.len); p += s.len; }
      else { memcpy(p, "null", 4); p += 4; }
      break;
    }
    case RT_STRUCT:
      if (e->sub[i]) p = jenc_object(e->sub[i], v, p, ts_millis);
      else { memcpy(p, "null", 4); p += 4; }
      break;
    default:
      memcpy(p, "null", 4); p += 4;
    }
  }
  *p++ = '}';
  return p;
}

int enc_record(Encoder *e, const void *row, Buf *out) {
  const RtRowHeader *h = row;
  if (e->format == FMT_DEBEZIUM) return dbz_encode(e, row, out);
  if (h->retract) return -1;               /* an append-only sink never sees retractions */
  if (e->unstructured) {
    const JsCol *c = &e->cols[0];
    RtStr s;
    memcpy(&s, (const char *)row + c->off, sizeof s);
    if ((c->nullable && ((const char *)row)[c->null_off]) || s.len <= 0) buf_put(out, "null", 4);
    else buf_put(out, s.ptr, (size_t)s.len);
    buf_putc(out, '\n');
    return 0;
  }
  buf_reserve(out, jenc_bound(e, row));
  char *p = jenc_object(e, row, out->p + out->len, e->ts_millis);
  *p++ = '\n';
  out->len = (size_t)(p - out->p);
  return 0;
}
