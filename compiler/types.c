/*
** compiler/types.c: SQL types as the compiler sees them (SqlType): names for messages,
** C storage types for generated code, and classification predicates. Coercion rules live in
** bind.c and funcs.c, where the expressions are.
*/
#include <stdio.h>
#include <string.h>
#include "compiler.h"

static const char *const names[T_KIND_COUNT] = {   /* ORDER RtType, then T_NULL..T_ARRAY */
  "?", "BOOLEAN", "INT", "BIGINT", "INT UNSIGNED", "BIGINT UNSIGNED", "FLOAT", "DOUBLE",
  "DECIMAL", "TEXT", "TIMESTAMP", "BYTEA", "JSON", "STRUCT", "NULL", "INTERVAL", "WINDOW", "ARRAY" };

static const char *const ctypes[T_KIND_COUNT] = {   /* ORDER RtType, then T_NULL..T_ARRAY */
  "void", "uint8_t", "int32_t", "int64_t", "uint32_t", "uint64_t", "float", "double",
  "int64_t", "RtStr", "int64_t", "RtStr", "RtStr", "void", "uint8_t", "RtInterval", "RtWindow", "RtArray" };

int type_struct_id(SqlType t) { return t.prec << 8 | t.scale; }

SqlType struct_type(Cx *cx, StructField *fields, int n) {
  Catalog *cat = cx->cat;
  for (int i = 0; i < cat->nstructs; i++) {
    StructDef *d = &cat->structs[i];
    if (d->nfields != n) continue;
    int same = 1;
    for (int k = 0; k < n && same; k++)
      same = !strcmp(d->fields[k].name, fields[k].name) && type_eq(d->fields[k].t, fields[k].t) &&
             d->fields[k].nullable == fields[k].nullable;
    if (same) { SqlType t = { RT_STRUCT, (uint8_t)(i >> 8), (uint8_t)i }; return t; }
  }
  if (cat->nstructs == cat->structcap) {
    cat->structcap = cat->structcap ? cat->structcap * 2 : 8;
    StructDef *nd = cx_alloc(cx, sizeof(StructDef) * (size_t)cat->structcap);
    if (cat->nstructs) memcpy(nd, cat->structs, sizeof(StructDef) * (size_t)cat->nstructs);
    cat->structs = nd;
  }
  StructDef *d = &cat->structs[cat->nstructs];
  d->fields = cx_alloc(cx, sizeof(StructField) * (size_t)(n ? n : 1));
  memcpy(d->fields, fields, sizeof(StructField) * (size_t)n);
  d->nfields = n;
  SqlType t = { RT_STRUCT, (uint8_t)(cat->nstructs >> 8), (uint8_t)cat->nstructs };
  cat->nstructs++;
  return t;
}

StructDef *struct_def(Cx *cx, SqlType t) { return &cx->cat->structs[type_struct_id(t)]; }

int struct_field(Cx *cx, SqlType t, const char *name) {
  StructDef *d = struct_def(cx, t);
  for (int i = 0; i < d->nfields; i++) if (!strcmp(d->fields[i].name, name)) return i;
  return -1;
}

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

const char *type_c(SqlType t) {
  if (t.kind == RT_STRUCT) {   /* generated: typedef struct rt_struct_<id> {...} rt_struct_<id>; */
    static char buf[8][32];
    static int slot;
    char *b = buf[slot++ & 7];
    snprintf(b, 32, "rt_struct_%d", type_struct_id(t));
    return b;
  }
  return t.kind < T_KIND_COUNT ? ctypes[t.kind] : "void";
}

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
  return a.kind == b.kind && (a.kind != RT_STRUCT || (a.prec == b.prec && a.scale == b.scale)) &&
         (a.kind != RT_DECIMAL || (a.prec == b.prec && a.scale == b.scale)) &&
         (a.kind != T_ARRAY || a.prec == b.prec);
}
