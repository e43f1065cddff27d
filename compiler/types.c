/*
** compiler/types.c: SQL types as the compiler sees them (SqlType): names for messages,
** C storage types for generated code, and classification predicates. Coercion rules live in
** bind.c and funcs.c, where the expressions are.
*/
#include <stdio.h>
#include "compiler.h"

static const char *const names[T_KIND_COUNT] = {   /* ORDER RtType, then T_NULL..T_ARRAY */
  "?", "BOOLEAN", "INT", "BIGINT", "INT UNSIGNED", "BIGINT UNSIGNED", "FLOAT", "DOUBLE",
  "DECIMAL", "TEXT", "TIMESTAMP", "BYTEA", "JSON", "NULL", "INTERVAL", "WINDOW", "ARRAY" };

static const char *const ctypes[T_KIND_COUNT] = {   /* ORDER RtType, then T_NULL..T_ARRAY */
  "void", "uint8_t", "int32_t", "int64_t", "uint32_t", "uint64_t", "float", "double",
  "int64_t", "RtStr", "int64_t", "RtStr", "RtStr", "uint8_t", "RtInterval", "RtWindow", "RtArray" };

const char *type_name(SqlType t) {
  static char buf[8][32];
  static int slot;
  if (t.kind == RT_DECIMAL) {
    char *b = buf[slot++ & 7];
    snprintf(b, 32, "DECIMAL(%d,%d)", t.prec, t.scale);
    return b;
  }
  if (t.kind == T_ARRAY) {
    char *b = buf[slot++ & 7];
    snprintf(b, 32, "%s[]", t.prec < RT_TYPE_COUNT ? names[t.prec] : "?");
    return b;
  }
  return t.kind < T_KIND_COUNT ? names[t.kind] : "?";
}

const char *type_c(SqlType t) { return t.kind < T_KIND_COUNT ? ctypes[t.kind] : "void"; }

int type_is_int(SqlType t) {
  return t.kind == RT_I32 || t.kind == RT_I64 || t.kind == RT_U32 || t.kind == RT_U64;
}
int type_is_signed_int(SqlType t) { return t.kind == RT_I32 || t.kind == RT_I64; }
int type_is_float(SqlType t) { return t.kind == RT_F32 || t.kind == RT_F64; }
int type_is_numeric(SqlType t) { return type_is_int(t) || type_is_float(t) || t.kind == RT_DECIMAL; }
int type_is_stringy(SqlType t) {
  return t.kind == RT_TEXT || t.kind == RT_JSON || t.kind == RT_BYTEA;
}

SqlType type_make(int kind) {
  SqlType t = { (uint8_t)kind, 0, 0 };
  return t;
}

int type_eq(SqlType a, SqlType b) {
  return a.kind == b.kind &&
         (a.kind != RT_DECIMAL || (a.prec == b.prec && a.scale == b.scale)) &&
         (a.kind != T_ARRAY || a.prec == b.prec);
}
