/*
** runtime/json_scan.h: private interface between the JSON codec files
** (json_scan.c, codec_json.c, codec_debezium.c). Nothing else includes it.
**
** It exists because runtime.h declares only the public codec entry points (dec_*, enc_*);
** the pieces the json and debezium codecs share live here:
**   - JsIn: one input record being scanned, for error messages with a byte column,
**   - the scanner primitives (whitespace, strings, numbers, skipping values) in json_scan.c,
**   - the Decoder/Encoder structs, built by codec_json.c and also used by codec_debezium.c.
**
** Conventions: scanner functions take a pointer into the record and return the pointer just
** past what they consumed, or NULL after writing a message into in->err. They never read at
** or beyond in->end, so records need no terminator.
*/
#ifndef ARROYO_JSON_SCAN_H
#define ARROYO_JSON_SCAN_H

#include "runtime.h"

/* One record being decoded. */
typedef struct JsIn {
  const char *start;     /* first byte of the record (column 1 in messages) */
  const char *end;       /* one past the last byte */
  Arena *arena;          /* where unescaped strings go */
  char *err;             /* message buffer (caller's) */
  size_t errlen;         /* its size */
} JsIn;

/* Messages: "malformed JSON at column N: <what>" and "field 'x': <what>". Return NULL. */
const char *js_syntax_error(JsIn *in, const char *at, const char *what);
const char *js_field_error(JsIn *in, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A short description of the JSON value at p for messages: string "abc", number 1.5, ... */
void js_describe(JsIn *in, const char *p, char *buf, size_t buflen);

static inline const char *js_ws(const char *p, const char *end) {
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
  return p;
}

/* String at p (which points at the opening quote). *out = the unescaped bytes: a pointer
** into the record when there are no escapes (zero copy), else into in->arena. When
** check_utf8 is set, non-ASCII content must be valid UTF-8. Returns past the closing quote. */
const char *js_string(JsIn *in, const char *p, RtStr *out, int check_utf8);

/* A parsed JSON number: value = mant x 10^exp10, exactly, unless `inexact` (non-zero digits
** beyond what fits in 64 bits were dropped: mant holds the first 19 or 20 digits and exp10
** is adjusted). */
typedef struct JsNum {
  uint64_t mant;         /* significant digits */
  int32_t exp10;         /* decimal exponent */
  uint8_t neg;           /* leading '-' */
  uint8_t is_int;        /* written without '.' or exponent */
  uint8_t inexact;       /* digits were dropped from mant */
  const char *text;      /* the number's text, for slow paths and messages */
  size_t len;            /* its length */
} JsNum;

const char *js_number(JsIn *in, const char *p, JsNum *num);
/* Correctly rounded value of num (f64; f32 for js_num_f32). */
double js_num_f64(const JsNum *num);
float js_num_f32(const JsNum *num);
/* Exact integer value of num scaled by 10^scale into *out; rounds half away from zero when
** digits go beyond the scale. -1 on int64 overflow. Works from text (numbers or strings
** holding a decimal literal), returns -2 if the text is not a decimal literal. */
int js_decimal(const char *s, size_t n, int scale, int64_t *out);

/* Skip (and validate) any JSON value at p. */
const char *js_skip(JsIn *in, const char *p);
/* 1 if [p, p+n) is valid UTF-8. */
int js_utf8_valid(const char *p, size_t n);

/* Append s as a JSON string literal (with quotes) at dst, which has room for 6*n+2 bytes.
** Escapes '"', '\\' and control characters the way serde_json does; other bytes pass
** through when `bytes_as_latin1` is 0, else bytes that are not part of valid UTF-8 become
** \u00XX (used for BYTEA). Returns the end of what was written. */
char *js_escape(char *dst, const char *s, size_t n, int bytes_as_latin1);

/* Type names for messages. ORDER RtType (index = RtType). */
extern const char *const js_type_names[RT_TYPE_COUNT];

/* ---- codecs ---------------------------------------------------------------------------- */

enum { FMT_JSON = 1, FMT_DEBEZIUM = 2 };

/* Column as the decoder and encoder see it. */
typedef struct JsCol {
  const char *name;      /* column name (borrowed from the schema) */
  uint32_t name_len;     /* strlen(name) */
  uint8_t type;          /* RtType */
  uint8_t nullable;      /* may be NULL */
  uint8_t scale;         /* DECIMAL */
  uint8_t precision;     /* DECIMAL, 0 = unchecked */
  uint32_t off;          /* value offset in the row */
  uint32_t null_off;     /* null flag offset, UINT32_MAX when NOT NULL */
  uint8_t raw_key;       /* the name appears unescaped in JSON (no '"', '\\', controls) */
  uint64_t kw[2];        /* name bytes 0..15, zero padded (little-endian loads) */
  uint64_t km[2];        /* masks of the name bytes in kw */
} JsCol;

struct Decoder {
  const RtSchema *schema;  /* borrowed */
  int format;              /* FMT_JSON / FMT_DEBEZIUM */
  int unstructured;        /* json.unstructured: single JSON column gets the whole record */
  int ts_millis;           /* json.timestamp_format = unix_millis: integers are ms, not ns */
  int event_col;           /* schema column index of event time, -1 none */
  uint32_t ncols;          /* columns */
  uint32_t row_size;       /* bytes per row */
  JsCol *cols;             /* ncols */
  int16_t *slots;          /* open-addressing key table: column index or -1 */
  uint32_t slot_mask;      /* slots size - 1 (power of two) */
  uint32_t nwords;         /* 64-bit words in a seen-columns bitmap */
  uint64_t *required;      /* bitmap of NOT NULL columns */
  uint64_t *seen;          /* scratch bitmap for the record being decoded */
  char *tmpl;              /* row_size bytes: zeros with every null flag set */
};

/* Decode the object at p into row (which the caller pre-filled from d->tmpl). */
const char *jdec_object(Decoder *d, JsIn *in, const char *p, char *row);
/* Set the row header ts from the event-time column, if any and non-null. */
void jdec_event_time(const Decoder *d, char *row);
/* debezium_json record -> 0..2 rows (codec_debezium.c). */
int dbz_decode(Decoder *d, JsIn *in, char *rows);

struct Encoder {
  const RtSchema *schema;  /* borrowed */
  int format;              /* FMT_JSON / FMT_DEBEZIUM */
  int unstructured;        /* write the single JSON column as the whole record */
  int ts_millis;           /* TIMESTAMP as integer Unix milliseconds */
  uint32_t ncols;          /* columns */
  JsCol *cols;             /* ncols */
  char **keys;             /* per column: "{\"name\":" for the first, ",\"name\":" after */
  uint32_t *key_lens;      /* their lengths */
  size_t fixed_max;        /* upper bound of one object's bytes, strings excluded */
  struct Encoder **sub;    /* per column: the nested object's encoder (RT_STRUCT), else NULL */
};

/* Append the object for row at dst (room for jenc_bound bytes); returns the end. */
char *jenc_object(const Encoder *e, const char *row, char *dst, int ts_millis);
/* Upper bound of jenc_object's output for row. */
size_t jenc_bound(const Encoder *e, const char *row);
/* debezium_json envelope (codec_debezium.c). */
int dbz_encode(const Encoder *e, const void *row, Buf *out);

#endif /* ARROYO_JSON_SCAN_H */
