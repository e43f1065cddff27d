/*
** compiler/funcs.c: the builtin scalar function catalogue used by the binder.
**
** fn_table (ORDER FnId) gives each function its SQL name, arity and a compact signature:
** argument codes  T text, I BIGINT, F DOUBLE, S timestamp, J json-or-text (kept as is),
**                 P json path element (TEXT key or BIGINT index, kept as is),
**                 X any (kept as is), N numeric (kept as is)
** (the last code repeats for variadic functions) and a result code (same letters, B boolean,
** R = same type as the first argument, C = common type of all arguments).
** fn_bind applies the signature: casts arguments, sets the result type and nullability.
** How each function becomes C is in codegen/cg_expr.c.
*/
#include <string.h>
#include "compiler.h"

typedef struct FnDef {
  FnInfo info;
  const char *args;     /* argument codes */
  char ret;             /* result code */
  int may_null;         /* can return NULL for non-NULL arguments */
} FnDef;

static const FnDef fn_table[F_COUNT_] = {   /* ORDER FnId */
  [F_LOWER] = { { "lower", F_LOWER, 1, 1 }, "T", 'T', 0 },
  [F_UPPER] = { { "upper", F_UPPER, 1, 1 }, "T", 'T', 0 },
  [F_INITCAP] = { { "initcap", F_INITCAP, 1, 1 }, "T", 'T', 0 },
  [F_REVERSE] = { { "reverse", F_REVERSE, 1, 1 }, "T", 'T', 0 },
  [F_LENGTH] = { { "length", F_LENGTH, 1, 1 }, "T", 'I', 0 },
  [F_OCTET_LENGTH] = { { "octet_length", F_OCTET_LENGTH, 1, 1 }, "T", 'I', 0 },
  [F_SUBSTR] = { { "substr", F_SUBSTR, 2, 3 }, "TII", 'T', 0 },
  [F_CONCAT] = { { "concat", F_CONCAT, 1, -1 }, "T", 'T', 0 },
  [F_CONCAT_WS] = { { "concat_ws", F_CONCAT_WS, 2, -1 }, "T", 'T', 0 },
  [F_BTRIM] = { { "btrim", F_BTRIM, 1, 2 }, "TT", 'T', 0 },
  [F_LTRIM] = { { "ltrim", F_LTRIM, 1, 2 }, "TT", 'T', 0 },
  [F_RTRIM] = { { "rtrim", F_RTRIM, 1, 2 }, "TT", 'T', 0 },
  [F_REPLACE] = { { "replace", F_REPLACE, 3, 3 }, "TTT", 'T', 0 },
  [F_STARTS_WITH] = { { "starts_with", F_STARTS_WITH, 2, 2 }, "TT", 'B', 0 },
  [F_ENDS_WITH] = { { "ends_with", F_ENDS_WITH, 2, 2 }, "TT", 'B', 0 },
  [F_STRPOS] = { { "strpos", F_STRPOS, 2, 2 }, "TT", 'I', 0 },
  [F_SPLIT_PART] = { { "split_part", F_SPLIT_PART, 3, 3 }, "TTI", 'T', 0 },
  [F_LPAD] = { { "lpad", F_LPAD, 2, 3 }, "TIT", 'T', 0 },
  [F_RPAD] = { { "rpad", F_RPAD, 2, 3 }, "TIT", 'T', 0 },
  [F_REPEAT] = { { "repeat", F_REPEAT, 2, 2 }, "TI", 'T', 0 },
  [F_LEFT] = { { "left", F_LEFT, 2, 2 }, "TI", 'T', 0 },
  [F_RIGHT] = { { "right", F_RIGHT, 2, 2 }, "TI", 'T', 0 },
  [F_ASCII] = { { "ascii", F_ASCII, 1, 1 }, "T", 'I', 0 },
  [F_CHR] = { { "chr", F_CHR, 1, 1 }, "I", 'T', 0 },
  [F_TO_HEX] = { { "to_hex", F_TO_HEX, 1, 1 }, "I", 'T', 0 },
  [F_MD5] = { { "md5", F_MD5, 1, 1 }, "T", 'T', 0 },
  [F_REGEXP_LIKE] = { { "regexp_like", F_REGEXP_LIKE, 2, 3 }, "TTT", 'B', 0 },
  [F_REGEXP_REPLACE] = { { "regexp_replace", F_REGEXP_REPLACE, 3, 4 }, "TTTT", 'T', 0 },
  [F_ABS] = { { "abs", F_ABS, 1, 1 }, "N", 'R', 0 },
  [F_CEIL] = { { "ceil", F_CEIL, 1, 1 }, "F", 'F', 0 },
  [F_FLOOR] = { { "floor", F_FLOOR, 1, 1 }, "F", 'F', 0 },
  [F_ROUND] = { { "round", F_ROUND, 1, 2 }, "FI", 'F', 0 },
  [F_TRUNC] = { { "trunc", F_TRUNC, 1, 1 }, "F", 'F', 0 },
  [F_SQRT] = { { "sqrt", F_SQRT, 1, 1 }, "F", 'F', 0 },
  [F_CBRT] = { { "cbrt", F_CBRT, 1, 1 }, "F", 'F', 0 },
  [F_POWER] = { { "power", F_POWER, 2, 2 }, "FF", 'F', 0 },
  [F_EXP] = { { "exp", F_EXP, 1, 1 }, "F", 'F', 0 },
  [F_LN] = { { "ln", F_LN, 1, 1 }, "F", 'F', 0 },
  [F_LOG10] = { { "log10", F_LOG10, 1, 1 }, "F", 'F', 0 },
  [F_LOG2] = { { "log2", F_LOG2, 1, 1 }, "F", 'F', 0 },
  [F_LOG] = { { "log", F_LOG, 1, 2 }, "FF", 'F', 0 },
  [F_MOD] = { { "mod", F_MOD, 2, 2 }, "NN", 'C', 0 },
  [F_SIGN] = { { "signum", F_SIGN, 1, 1 }, "F", 'F', 0 },
  [F_PI] = { { "pi", F_PI, 0, 0 }, "", 'F', 0 },
  [F_SIN] = { { "sin", F_SIN, 1, 1 }, "F", 'F', 0 },
  [F_COS] = { { "cos", F_COS, 1, 1 }, "F", 'F', 0 },
  [F_TAN] = { { "tan", F_TAN, 1, 1 }, "F", 'F', 0 },
  [F_ASIN] = { { "asin", F_ASIN, 1, 1 }, "F", 'F', 0 },
  [F_ACOS] = { { "acos", F_ACOS, 1, 1 }, "F", 'F', 0 },
  [F_ATAN] = { { "atan", F_ATAN, 1, 1 }, "F", 'F', 0 },
  [F_ATAN2] = { { "atan2", F_ATAN2, 2, 2 }, "FF", 'F', 0 },
  [F_GREATEST] = { { "greatest", F_GREATEST, 1, -1 }, "X", 'C', 0 },
  [F_LEAST] = { { "least", F_LEAST, 1, -1 }, "X", 'C', 0 },
  [F_RANDOM] = { { "random", F_RANDOM, 0, 0 }, "", 'F', 0 },
  [F_COALESCE] = { { "coalesce", F_COALESCE, 1, -1 }, "X", 'C', 0 },
  [F_NULLIF] = { { "nullif", F_NULLIF, 2, 2 }, "XX", 'C', 1 },
  [F_NVL] = { { "nvl", F_NVL, 2, 2 }, "XX", 'C', 0 },
  [F_IF] = { { "if", F_IF, 3, 3 }, "XXX", 'C', 0 },
  [F_NOW] = { { "now", F_NOW, 0, 0 }, "", 'S', 0 },
  [F_DATE_TRUNC] = { { "date_trunc", F_DATE_TRUNC, 2, 2 }, "TS", 'S', 0 },
  [F_DATE_PART] = { { "date_part", F_DATE_PART, 2, 2 }, "TS", 'F', 0 },
  [F_TO_TIMESTAMP] = { { "to_timestamp", F_TO_TIMESTAMP, 1, 1 }, "X", 'S', 0 },
  [F_TO_TIMESTAMP_MILLIS] = { { "to_timestamp_millis", F_TO_TIMESTAMP_MILLIS, 1, 1 }, "X", 'S', 0 },
  [F_TO_TIMESTAMP_MICROS] = { { "to_timestamp_micros", F_TO_TIMESTAMP_MICROS, 1, 1 }, "X", 'S', 0 },
  [F_TO_TIMESTAMP_NANOS] = { { "to_timestamp_nanos", F_TO_TIMESTAMP_NANOS, 1, 1 }, "X", 'S', 0 },
  [F_TO_TIMESTAMP_SECONDS] = { { "to_timestamp_seconds", F_TO_TIMESTAMP_SECONDS, 1, 1 }, "X", 'S', 0 },
  [F_FROM_UNIXTIME] = { { "from_unixtime", F_FROM_UNIXTIME, 1, 1 }, "I", 'S', 0 },
  [F_TO_CHAR] = { { "to_char", F_TO_CHAR, 2, 2 }, "ST", 'T', 0 },
  [F_TO_UNIXTIME_MILLIS] = { { "to_unixtime", F_TO_UNIXTIME_MILLIS, 1, 1 }, "S", 'I', 0 },
  [F_JSON_GET] = { { "json_get", F_JSON_GET, 1, -1 }, "JP", 'T', 0 },
  [F_JSON_GET_TEXT] = { { "json_as_text", F_JSON_GET_TEXT, 1, -1 }, "JP", 'T', 1 },
  [F_JSON_GET_STR] = { { "json_get_str", F_JSON_GET_STR, 1, -1 }, "JP", 'T', 1 },
  [F_JSON_GET_INT] = { { "json_get_int", F_JSON_GET_INT, 1, -1 }, "JP", 'I', 1 },
  [F_JSON_GET_FLOAT] = { { "json_get_float", F_JSON_GET_FLOAT, 1, -1 }, "JP", 'F', 1 },
  [F_JSON_GET_BOOL] = { { "json_get_bool", F_JSON_GET_BOOL, 1, -1 }, "JP", 'B', 1 },
  [F_JSON_GET_JSON] = { { "json_get_json", F_JSON_GET_JSON, 1, -1 }, "JP", 'J', 0 },
  [F_JSON_LENGTH] = { { "json_length", F_JSON_LENGTH, 1, -1 }, "JP", 'I', 1 },
  [F_JSON_CONTAINS] = { { "json_contains", F_JSON_CONTAINS, 1, -1 }, "JP", 'B', 0 },
  [F_EXTRACT_JSON_STRING] = { { "extract_json_string", F_EXTRACT_JSON_STRING, 2, 2 }, "JT", 'T', 1 },
  [F_GET_FIRST_JSON_OBJECT] = { { "get_first_json_object", F_GET_FIRST_JSON_OBJECT, 2, 2 }, "JT", 'T', 1 },
};

/* Other spellings of the same functions. */
static const struct { const char *alias; FnId id; } aliases[] = {
  { "char_length", F_LENGTH }, { "character_length", F_LENGTH }, { "substring", F_SUBSTR },
  { "trim", F_BTRIM }, { "ceiling", F_CEIL }, { "pow", F_POWER }, { "instr", F_STRPOS },
  { "position", F_STRPOS }, { "sign", F_SIGN }, { "datepart", F_DATE_PART },
  { "datetrunc", F_DATE_TRUNC }, { "ifnull", F_NVL }, { "json_get_text", F_JSON_GET_TEXT },
};

/* Functions named in fn_table that have no runtime support yet are not looked up. */
static int unsupported(FnId id) {
  return id == F_CONCAT_WS || id == F_RANDOM || id == F_IF || id == F_TO_UNIXTIME_MILLIS;
}

const FnInfo *fn_lookup(const char *name) {
  for (int i = 1; i < F_COUNT_; i++)
    if (fn_table[i].info.name && strcmp(fn_table[i].info.name, name) == 0)
      return unsupported((FnId)i) ? NULL : &fn_table[i].info;
  for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
    if (strcmp(aliases[i].alias, name) == 0) return &fn_table[aliases[i].id].info;
  return NULL;
}

const FnInfo *fn_info(FnId id) { return &fn_table[id].info; }

static SqlType code_type(char c) {
  switch (c) {
    case 'T': return type_make(RT_TEXT);
    case 'I': return type_make(RT_I64);
    case 'F': return type_make(RT_F64);
    case 'S': return type_make(RT_TIMESTAMP);
    case 'B': return type_make(RT_BOOL);
    case 'J': return type_make(RT_JSON);
    default: return type_make(0);
  }
}

void fn_bind(Cx *cx, BExpr *e, const Expr *src) {
  const FnDef *d = &fn_table[e->fn];
  const char *name = d->info.name;
  int nullable = 0;
  /* common type for C-result functions */
  SqlType common = type_make(T_NULL);
  for (int i = 0; i < e->nargs; i++) {
    size_t k = strlen(d->args);
    char code = (size_t)i < k ? d->args[i] : d->args[k - 1];
    BExpr *a = e->args[i];
    int line = src->list ? src->list[i]->line : src->line;
    int col = src->list ? src->list[i]->col : src->col;
    switch (code) {
      case 'T': case 'I': case 'F': case 'S': {
        SqlType want = code_type(code);
        if (a->t.kind != T_NULL && !type_eq(a->t, want)) {
          int ok = (code == 'T') || (code == 'I' && type_is_int(a->t)) ||
                   (code == 'F' && type_is_numeric(a->t)) ||
                   (code == 'S' && a->t.kind == RT_TEXT && a->kind == B_LIT);
          if (!ok)
            diag_error(cx, line, col, "argument %d of %s must be %s, not %s", i + 1, name,
                       type_name(want), type_name(a->t));
        }
        e->args[i] = bind_cast(cx, a, want, line, col, code == 'T');
        break;
      }
      case 'J':
        if (a->t.kind != RT_JSON && a->t.kind != RT_TEXT && a->t.kind != T_NULL)
          diag_error(cx, line, col, "argument %d of %s must be JSON or TEXT, not %s", i + 1, name,
                     type_name(a->t));
        if (a->t.kind == T_NULL) e->args[i] = bind_cast(cx, a, type_make(RT_JSON), line, col, 0);
        break;
      case 'P':
        if (type_is_int(a->t)) e->args[i] = bind_cast(cx, a, type_make(RT_I64), line, col, 0);
        else if (a->t.kind == RT_TEXT) {}
        else diag_error(cx, line, col, "JSON path element %d of %s must be a TEXT key or an integer index, not %s",
                        i, name, type_name(a->t));
        break;
      case 'N':
        if (!type_is_numeric(a->t) && a->t.kind != T_NULL)
          diag_error(cx, line, col, "argument %d of %s must be numeric, not %s", i + 1, name,
                     type_name(a->t));
        if (a->t.kind == T_NULL) e->args[i] = bind_cast(cx, a, type_make(RT_I64), line, col, 0);
        break;
      default: break;
    }
    nullable |= e->args[i]->nullable;
  }
  if (d->ret == 'C') {
    BExpr acc;
    memset(&acc, 0, sizeof acc);
    acc.t = common;
    for (int i = 0; i < e->nargs; i++) {
      BExpr *a = e->args[i];
      SqlType t;
      if (acc.t.kind == T_NULL) t = a->t;
      else if (a->t.kind == T_NULL) t = acc.t;
      else if (type_eq(acc.t, a->t)) t = a->t;
      else if (type_is_numeric(acc.t) && type_is_numeric(a->t)) {
        int fl = type_is_float(acc.t) || type_is_float(a->t) || acc.t.kind == RT_DECIMAL ||
                 a->t.kind == RT_DECIMAL;
        int ints_lit = a->kind == B_LIT && type_is_int(a->t);
        t = fl ? type_make(RT_F64) : ints_lit ? acc.t :
            (type_is_signed_int(acc.t) != type_is_signed_int(a->t)) ? type_make(RT_I64) :
            (acc.t.kind == RT_U64 || a->t.kind == RT_U64) ? type_make(RT_U64) : type_make(RT_I64);
        if (acc.t.kind == RT_I32 && a->t.kind == RT_I32) t = acc.t;
      } else if (type_is_stringy(acc.t) && type_is_stringy(a->t)) t = type_make(RT_TEXT);
      else
        diag_error(cx, a->line, a->col, "arguments of %s have incompatible types %s and %s", name,
                   type_name(acc.t), type_name(a->t));
      acc.t = t;
    }
    if (acc.t.kind == T_NULL) acc.t = type_make(RT_TEXT);
    for (int i = 0; i < e->nargs; i++)
      e->args[i] = bind_cast(cx, e->args[i], acc.t, e->args[i]->line, e->args[i]->col, 0);
    e->t = acc.t;
  } else if (d->ret == 'R') {
    e->t = e->args[0]->t;
  } else {
    e->t = code_type(d->ret);
  }
  switch (e->fn) {
    case F_COALESCE: case F_NVL: case F_GREATEST: case F_LEAST: {
      /* NULL only when every argument is NULL (GREATEST/LEAST skip NULLs as PostgreSQL) */
      nullable = 1;
      for (int i = 0; i < e->nargs; i++) if (!e->args[i]->nullable) nullable = 0;
      break;
    }
    case F_CONCAT: nullable = 0; break;
    case F_TO_TIMESTAMP: case F_TO_TIMESTAMP_MILLIS: case F_TO_TIMESTAMP_MICROS:
    case F_TO_TIMESTAMP_NANOS: case F_TO_TIMESTAMP_SECONDS: {
      BExpr *a = e->args[0];
      if (type_is_int(a->t)) e->args[0] = bind_cast(cx, a, type_make(RT_I64), a->line, a->col, 0);
      else if (type_is_float(a->t) && e->fn == F_TO_TIMESTAMP)
        e->args[0] = bind_cast(cx, a, type_make(RT_F64), a->line, a->col, 0);
      else if (a->t.kind == RT_TEXT || a->t.kind == RT_TIMESTAMP) {}
      else if (a->t.kind == T_NULL) e->args[0] = bind_cast(cx, a, type_make(RT_TEXT), a->line, a->col, 0);
      else diag_error(cx, a->line, a->col, "%s takes TEXT or an integer, not %s", name, type_name(a->t));
      break;
    }
    case F_ABS:
      if (e->t.kind == RT_U32 || e->t.kind == RT_U64 || e->t.kind == T_NULL) {}
      break;
    case F_JSON_GET: case F_JSON_GET_JSON:
      /* missing paths give the JSON text "null" */
      break;
    default: break;
  }
  e->nullable = nullable || d->may_null;
  if (e->fn == F_NULLIF) e->nullable = 1;
}
