/*
** runtime/codec_debezium.c: the debezium_json envelope around json rows.
**
** Entry points (json_scan.h): dbz_decode, dbz_encode; reached through dec_record /
** enc_record in codec_json.c when format = 'debezium_json'.
**
** Decoding a record {"before": {..}|null, "after": {..}|null, "op": "c"|"r"|"u"|"d", ...}:
**   c, r -> one insert row (after);
**   u    -> two rows: a retraction of before (header retract = 1), then an insert of after;
**   d    -> one retraction row (before).
** Other top-level keys ("source", "ts_ms", "transaction", ...) are skipped (validated, not
** stored). "op" may come before or after the row objects, so both objects are decoded as
** they appear, before into row slot 0 and after into slot 1, and the slots are arranged
** once op is known (a c/r record moves its row to slot 0). The rows inside use the json
** field rules of codec_json.c (jdec_object), including event time.
**
** Encoding: {"before":null,"after":{..},"op":"c"} for an insert and
** {"before":{..},"after":null,"op":"d"} for a retraction; an update reaches the sink as a
** retraction followed by an insert, which is how Arroyo writes it too. TIMESTAMP values
** inside debezium records are integer Unix milliseconds.
**
** It does NOT write "u" records, schemas (json.include_schema) or the "source" block.
*/
#include <string.h>
#include "json_scan.h"

int dbz_decode(Decoder *d, JsIn *in, char *rows) {
  const char *end = in->end;
  const char *p = js_ws(in->start, end);
  char *slot[2] = { rows, rows + d->row_size };
  int have[2] = { 0, 0 };
  char op = 0;
  const char *op_at = p;
  if (p >= end || *p != '{') { js_syntax_error(in, p, "expected a debezium object"); return -1; }
  p = js_ws(p + 1, end);
  if (p < end && *p == '}') p++;
  else for (;;) {
    RtStr key;
    if (p >= end || *p != '"') { js_syntax_error(in, p, "expected a key string"); return -1; }
    if (!(p = js_string(in, p, &key, 0))) return -1;
    p = js_ws(p, end);
    if (p >= end || *p != ':') { js_syntax_error(in, p, "expected ':'"); return -1; }
    p = js_ws(p + 1, end);
    int which = -1;
    if (key.len == 6 && memcmp(key.ptr, "before", 6) == 0) which = 0;
    else if (key.len == 5 && memcmp(key.ptr, "after", 5) == 0) which = 1;
    if (which >= 0) {
      if (end - p >= 4 && memcmp(p, "null", 4) == 0) {
        have[which] = 0;
        p += 4;
      } else {
        memcpy(slot[which], d->tmpl, d->row_size);
        if (!(p = jdec_object(d, in, p, slot[which]))) return -1;
        have[which] = 1;
      }
    } else if (key.len == 2 && memcmp(key.ptr, "op", 2) == 0) {
      RtStr s;
      op_at = p;
      if (p >= end || *p != '"' || !(p = js_string(in, p, &s, 0))) {
        if (p) js_field_error(in, "op", "expected a string");
        return -1;
      }
      op = s.len == 1 ? s.ptr[0] : '?';
    } else {
      if (!(p = js_skip(in, p))) return -1;
    }
    p = js_ws(p, end);
    if (p < end && *p == ',') { p = js_ws(p + 1, end); continue; }
    if (p < end && *p == '}') { p++; break; }
    js_syntax_error(in, p, "expected ',' or '}'");
    return -1;
  }
  p = js_ws(p, end);
  if (p != end) { js_syntax_error(in, p, "trailing characters after the object"); return -1; }
  RtRowHeader *h0 = (RtRowHeader *)(void *)slot[0], *h1 = (RtRowHeader *)(void *)slot[1];
  switch (op) {
  case 'c': case 'r':
    if (!have[1]) { js_field_error(in, "after", "op '%c' needs an 'after' row", op); return -1; }
    memcpy(slot[0], slot[1], d->row_size);
    h0->retract = 0;
    jdec_event_time(d, slot[0]);
    return 1;
  case 'u':
    if (!have[0] || !have[1]) {
      js_field_error(in, have[0] ? "after" : "before", "op 'u' needs 'before' and 'after' rows");
      return -1;
    }
    h0->retract = 1;
    h1->retract = 0;
    jdec_event_time(d, slot[0]);
    jdec_event_time(d, slot[1]);
    return 2;
  case 'd':
    if (!have[0]) { js_field_error(in, "before", "op 'd' needs a 'before' row"); return -1; }
    h0->retract = 1;
    jdec_event_time(d, slot[0]);
    return 1;
  case 0:
    js_field_error(in, "op", "missing");
    return -1;
  default: {
    char desc[64];
    js_describe(in, op_at, desc, sizeof desc);
    js_field_error(in, "op", "expected \"c\", \"r\", \"u\" or \"d\", found %s", desc);
    return -1;
  }
  }
}

int dbz_encode(const Encoder *e, const void *row, Buf *out) {
  static const char ins_head[] = "{\"before\":null,\"after\":", ins_tail[] = ",\"op\":\"c\"}\n";
  static const char del_head[] = "{\"before\":", del_tail[] = ",\"after\":null,\"op\":\"d\"}\n";
  const RtRowHeader *h = row;
  buf_reserve(out, jenc_bound(e, row));     /* the bound includes the envelope */
  char *p = out->p + out->len;
  if (!h->retract) {
    memcpy(p, ins_head, sizeof ins_head - 1); p += sizeof ins_head - 1;
    p = jenc_object(e, row, p, 1);
    memcpy(p, ins_tail, sizeof ins_tail - 1); p += sizeof ins_tail - 1;
  } else {
    memcpy(p, del_head, sizeof del_head - 1); p += sizeof del_head - 1;
    p = jenc_object(e, row, p, 1);
    memcpy(p, del_tail, sizeof del_tail - 1); p += sizeof del_tail - 1;
  }
  out->len = (size_t)(p - out->p);
  return 0;
}
