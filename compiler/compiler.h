/*
** compiler/compiler.h: the compiler's internal header (lexer, parser, binder, planner,
** code generator, C backends). The top of this file is the entry point used by
** compiler/main.c, the unit tests, the fuzz target and (later) the compiler service.
*/
#ifndef ARROYO_COMPILER_H
#define ARROYO_COMPILER_H

#include <stddef.h>
#include <stdint.h>

typedef struct CompileOptions {
  const char *filename;          /* for diagnostics: "query.sql" or "-" */
  const char *const *udf_files;  /* --udf FILE.c paths */
  int nudf;
  int explain;                   /* produce the EXPLAIN text */
} CompileOptions;

/* Parse, bind, plan and generate C for a script. On success returns 0, sets *c_out to the
** generated C and *plan_out to the EXPLAIN text (both malloc'd, caller frees). On failure
** returns -1 and sets *diag_out to "FILE:LINE:COL: error: ...\n" lines (malloc'd, caller
** frees). Never crashes on any input bytes. */
int arroyo_compile_sql(const CompileOptions *opt, const char *text, size_t len,
                       char **c_out, char **plan_out, char **diag_out);

/* Compile generated C into a shared object with "tcc" (libtcc, in process) or "gcc"
** (gcc -O2 -shared -fPIC). c_path, if not NULL, names a file holding the same source, used in
** error messages. Returns 0, or -1 with *diag_out (malloc'd). */
int cc_build(const char *backend, const char *c_source, const char *c_path, const char *out_so,
             char **diag_out);

/* (public part ends here) */

/* ======================================================================================
** Internals below: shared by lex.c, parse.c, bind.c, plan.c, codegen/ files, cc.c.
** ====================================================================================== */
#include <setjmp.h>
#include "../runtime/runtime.h"   /* Arena, Buf, RtType, ConnSpec */

/* ---- compile context and diagnostics (diag.c) ---------------------------------------- */
typedef struct Catalog Catalog;
typedef struct Cx {
  Arena arena;              /* all compile memory; freed once at the end */
  const char *filename;     /* for messages */
  const char *src;          /* script text (NUL-terminated copy) */
  size_t srclen;
  jmp_buf fail;             /* diag_error longjmps here (compile entry point only) */
  Buf diag;                 /* collected messages */
  int nerrors;              /* number of errors */
  Catalog *cat;             /* tables, views, udfs */
  const CompileOptions *opt;
  struct CxBuf *bufs;       /* heap buffers freed when the compile ends, even after an error */
} Cx;

/* Report an error at line:col and abandon the compile (longjmp to the entry point). */
void diag_error(Cx *cx, int line, int col, const char *fmt, ...)
  __attribute__((noreturn, format(printf, 4, 5)));
void *cx_alloc(Cx *cx, size_t n);               /* zeroed arena memory */
char *cx_strndup(Cx *cx, const char *s, size_t n);
/* Register b (in arena memory) so cx_free_bufs frees its heap memory: buffers that a
** diag_error longjmp would otherwise leak. */
void cx_own_buf(Cx *cx, Buf *b);
void cx_free_bufs(Cx *cx);
char *cx_printf(Cx *cx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *cx_lower(Cx *cx, const char *s);

/* ---- lexer (lex.c) ------------------------------------------------------------------ */
typedef enum TokKind {
  TK_EOF, TK_IDENT, TK_QIDENT, TK_STRING, TK_INT, TK_FLOAT,
  TK_LP, TK_RP, TK_COMMA, TK_DOT, TK_SEMI, TK_LBRACKET, TK_RBRACKET,
  TK_PLUS, TK_MINUS, TK_STAR, TK_SLASH, TK_PERCENT, TK_CONCAT,
  TK_EQ, TK_EQEQ, TK_NE, TK_LT, TK_LE, TK_GT, TK_GE,
  TK_ARROW, TK_ARROW2, TK_CAST2, TK_COLON
} TokKind;

typedef struct Tok {
  TokKind kind;        /* token class */
  const char *p;       /* start in the source */
  int len;             /* bytes in the source */
  int line, col;       /* 1-based position */
  char *text;          /* identifier (lower-cased unless quoted) or unescaped string */
  int textlen;         /* bytes in text */
} Tok;

typedef struct Lexer {
  Cx *cx;
  const char *p, *end;  /* cursor and end of source */
  int line;             /* current line */
  const char *linestart;/* start of current line (for columns) */
} Lexer;

void lex_init(Lexer *lx, Cx *cx, const char *src, size_t len);
Tok lex_next(Lexer *lx);

/* ---- types (types.c) ---------------------------------------------------------------- */
enum { T_NULL = RT_TYPE_COUNT, T_INTERVAL, T_WINDOW, T_ARRAY, T_KIND_COUNT };  /* expression-only kinds;
                                       ** T_ARRAY keeps its element kind in SqlType.prec */
typedef struct SqlType {
  uint8_t kind;       /* RtType or T_NULL / T_INTERVAL */
  uint8_t prec;       /* DECIMAL precision */
  uint8_t scale;      /* DECIMAL scale */
} SqlType;

/* STRUCT types: a SqlType of kind RT_STRUCT names a StructDef by id (prec << 8 | scale). */
typedef struct StructField {
  const char *name;     /* field name */
  SqlType t;            /* field type */
  int nullable;         /* may be NULL */
} StructField;
typedef struct StructDef {
  StructField *fields;
  int nfields;
} StructDef;
int type_struct_id(SqlType t);
const char *type_name(SqlType t);           /* "BIGINT", "DECIMAL(10,2)", ... (static/arena) */
const char *type_c(SqlType t);              /* C storage type: "int64_t", "RtStr", ... */
int type_is_int(SqlType t);                 /* I32 I64 U32 U64 */
int type_is_signed_int(SqlType t);
int type_is_float(SqlType t);               /* F32 F64 */
int type_is_numeric(SqlType t);             /* ints, floats, decimal */
int type_is_stringy(SqlType t);             /* TEXT JSON BYTEA */
SqlType type_make(int kind);
int type_eq(SqlType a, SqlType b);

/* ---- AST (parse.c) ------------------------------------------------------------------ */
typedef enum ExprKind {
  E_INT, E_FLOAT, E_STRING, E_BOOL, E_NULL, E_INTERVAL, E_TYPED_LIT,
  E_COLUMN, E_UNARY, E_BINARY, E_ISNULL, E_ISTRUE, E_DISTINCT, E_IN, E_BETWEEN, E_LIKE,
  E_CASE, E_CAST, E_CALL, E_EXTRACT, E_STAR, E_SUBSCRIPT
} ExprKind;

typedef enum OpKind {
  OP_NONE, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_CONCAT,
  OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_AND, OP_OR, OP_NOT, OP_NEG, OP_PLUS,
  OP_ARROW, OP_ARROW2
} OpKind;

typedef struct TypeName {
  SqlType t;          /* resolved type */
  int line, col;
} TypeName;

typedef struct Expr Expr;
struct Expr {
  ExprKind kind;
  OpKind op;            /* E_UNARY / E_BINARY */
  int line, col;        /* position of the expression's first token (or operator) */
  int negate;           /* NOT IN / NOT BETWEEN / NOT LIKE / IS NOT NULL / IS NOT DISTINCT */
  int ci;               /* ILIKE */
  int try_cast;         /* TRY_CAST */
  Expr *a, *b, *c;      /* operands: binary a op b; BETWEEN a b c; LIKE a b [ESCAPE c]; CASE operand a */
  Expr **list;          /* IN list, call args, CASE WHEN/THEN pairs */
  int nlist;
  Expr *else_;          /* CASE ELSE */
  const char *name;     /* column / function name (lower-case) or EXTRACT field */
  const char *qual;     /* column qualifier */
  const char *field;    /* qual.name.field: a field of a struct column (window.start) */
  int64_t ival;         /* E_INT (or u64 bits when uval) / E_BOOL */
  int is_u64;           /* E_INT literal above INT64_MAX */
  double fval;          /* E_FLOAT */
  const char *sval;     /* E_STRING / E_TYPED_LIT text */
  int slen;
  RtInterval iv;        /* E_INTERVAL */
  TypeName cast;        /* E_CAST target / E_TYPED_LIT type */
  int distinct;         /* count(DISTINCT x) */
  Expr *filter;         /* agg(x) FILTER (WHERE ...) */
  int has_over;         /* OVER (...) present */
  Expr *within;         /* WITHIN GROUP (ORDER BY within) */
  Expr **partition;     /* OVER (PARTITION BY ...) */
  int npartition;
  Expr **order;         /* OVER (... ORDER BY ...) */
  uint8_t *order_desc;  /* per ORDER BY item: 1 = DESC */
  uint8_t *order_nulls; /* per ORDER BY item: 0 default (NULLs last for ASC, first for DESC), 1 NULLS FIRST, 2 NULLS LAST */
  int norder;
  int frame_rows;       /* OVER (... ROWS ...) present */
  int64_t frame_preceding;   /* ROWS frame start: rows before the current one, -1 UNBOUNDED */
  int frame_line, frame_col; /* position of ROWS */
};

typedef struct SelectItem {
  Expr *e;              /* expression (NULL for *) */
  const char *alias;    /* AS alias (lower-case) or NULL */
  int star;             /* SELECT * or t.* */
  const char *star_qual;/* t in t.* */
  int line, col;
} SelectItem;

typedef struct Select Select;
typedef enum JoinType { J_NONE, J_INNER, J_LEFT, J_RIGHT, J_FULL } JoinType;

typedef struct FromItem {
  const char *table;    /* table or view name, NULL for subquery */
  Select *sub;          /* subquery */
  const char *alias;    /* alias or NULL */
  int line, col;
  JoinType join;        /* items after the first: how this item joins the ones before it */
  Expr *on;             /* its ON condition */
  int join_line, join_col;
  Expr *as_of;          /* FOR SYSTEM_TIME AS OF expr: a lookup join (compiler/lookup.c) */
  int as_of_line, as_of_col;   /* position of FOR */
} FromItem;

struct Select {
  SelectItem *items; int nitems;
  FromItem *from; int nfrom;
  Expr *where;
  Expr **group; int ngroup;
  Expr *having;
  Select *union_next;   /* next SELECT of a UNION ALL chain */
  int distinct;
  int line, col;
};

typedef struct ColumnDef {
  const char *name;
  TypeName type;
  int not_null;
  int primary_key;
  Expr *generated;      /* GENERATED ALWAYS AS (expr) STORED */
  int line, col;
} ColumnDef;

typedef struct OptionDef {
  const char *key;      /* lower-case key */
  const char *value;    /* value text */
  int line, col;
} OptionDef;

typedef enum StmtKind { S_CREATE_TABLE, S_CREATE_VIEW, S_INSERT, S_SELECT, S_SET } StmtKind;
typedef struct Stmt {
  StmtKind kind;
  int line, col;
  const char *name;        /* table / view / sink name */
  ColumnDef *cols; int ncols;
  int declared_columns;    /* the statement had a column list */
  const char **pk; int npk;/* PRIMARY KEY (a, b) */
  const char *wm_col;      /* WATERMARK FOR col */
  Expr *wm_expr;           /* AS expr */
  int wm_line, wm_col_pos;
  OptionDef *opts; int nopts;
  Select *query;           /* view body / insert source / select */
  const char *set_value;   /* SET name = value */
} Stmt;

typedef struct Script { Stmt *stmts; int nstmts; } Script;

Script *parse_script(Cx *cx, const char *src, size_t len);
SqlType parse_type_text(Cx *cx, const char *text, int line, int col);  /* for UDF signatures */
int interval_from_text(const char *s, RtInterval *iv);                 /* '1 hour': 0 / -1 */

/* ---- catalog and binder (bind.c) ---------------------------------------------------- */
typedef struct Plan Plan;
typedef struct BExpr BExpr;

typedef struct Column {
  const char *name;
  SqlType t;
  int nullable;
  int pk;
  Expr *generated;      /* AST of GENERATED ALWAYS AS */
  BExpr *gen_bound;     /* bound over the table's physical columns */
} Column;

typedef enum TableKind { TB_SOURCE, TB_SINK, TB_MEMORY, TB_VIEW } TableKind;
typedef struct Table {
  const char *name;
  TableKind kind;
  int line, col;
  Column *cols; int ncols;
  int declared_columns;
  OptionDef *opts; int nopts;
  const ConnSpec *spec;
  const char *connector;
  int updating;          /* debezium source / sink */
  int event_time_col;    /* column index or -1 */
  BExpr *wm_bound;       /* WATERMARK FOR col AS expr, bound over the columns, or NULL */
  int port;              /* source port / sink port, -1 until used */
  int used;              /* referenced by a query */
  Plan *view;            /* TB_VIEW: bound plan */
  Plan *scan;            /* TB_SOURCE: its one P_SCAN node (every FROM of it shares it) */
  Plan *mem_union;       /* TB_MEMORY: union of the plans inserted into it */
  Plan **mem_inputs; int nmem_inputs, mem_cap;
  int binding;           /* cycle detection for views/memory tables */
  Stmt *stmt;
} Table;

typedef struct Udf {
  const char *name;
  SqlType *args; int nargs;
  SqlType ret;
  int aggregate;        /* ARROYO_UDAF: called once per group with arrays of the values */
  int nullable;         /* declared "-> T NULLABLE": the C function reports NULL itself */
  const char *file;     /* declaring file */
  int line;
} Udf;

struct Catalog {
  Table **tables; int ntables, cap;
  Udf *udfs; int nudfs;
  char **udf_sources; int nudf_sources;
  const char **udf_paths;
  Table **sources; int nsources;   /* in port order */
  Table **sinks; int nsinks;       /* in port order */
  Plan **sink_plans; int nsink_plans; /* every P_SINK node */
  int next_plan_id;
  Plan **aggregates; int naggregates, aggregates_cap;   /* share.c: P_AGGREGATE nodes so far */
  int nlookups;                    /* P_LOOKUP nodes (each has a lookup_slot) */
  int64_t updating_ttl_ns;         /* SET updating_ttl: idle time after which updating state expires */
  StructDef *structs;              /* STRUCT<...> types, by id (identical definitions share one) */
  int nstructs, structcap;
};
/* The id of a STRUCT type with these fields (registered once per distinct definition). */
SqlType struct_type(Cx *cx, StructField *fields, int n);
StructDef *struct_def(Cx *cx, SqlType t);
int struct_field(Cx *cx, SqlType t, const char *name);   /* field index or -1 */

typedef enum BExprKind {
  B_LIT, B_COL, B_OP, B_CALL, B_CAST, B_CASE, B_ISNULL, B_ISTRUE, B_DISTINCT, B_IN,
  B_LIKE, B_UDF, B_FIELD
} BExprKind;

/* Builtin scalar functions. ORDER FnId: must match fn_table[] in funcs.c */
typedef enum FnId {
  F_NONE,
  F_LOWER, F_UPPER, F_INITCAP, F_REVERSE, F_LENGTH, F_OCTET_LENGTH, F_SUBSTR, F_CONCAT,
  F_CONCAT_WS, F_BTRIM, F_LTRIM, F_RTRIM, F_REPLACE, F_STARTS_WITH, F_ENDS_WITH, F_STRPOS,
  F_SPLIT_PART, F_LPAD, F_RPAD, F_REPEAT, F_LEFT, F_RIGHT, F_ASCII, F_CHR, F_TO_HEX, F_MD5,
  F_REGEXP_LIKE, F_REGEXP_REPLACE,
  F_ABS, F_CEIL, F_FLOOR, F_ROUND, F_TRUNC, F_SQRT, F_CBRT, F_POWER, F_EXP, F_LN, F_LOG10,
  F_LOG2, F_LOG, F_MOD, F_SIGN, F_PI, F_SIN, F_COS, F_TAN, F_ASIN, F_ACOS, F_ATAN, F_ATAN2,
  F_GREATEST, F_LEAST, F_RANDOM,
  F_COALESCE, F_NULLIF, F_NVL, F_IF,
  F_NOW, F_DATE_TRUNC, F_DATE_PART, F_TO_TIMESTAMP, F_TO_TIMESTAMP_MILLIS,
  F_TO_TIMESTAMP_MICROS, F_TO_TIMESTAMP_NANOS, F_TO_TIMESTAMP_SECONDS, F_FROM_UNIXTIME,
  F_TO_CHAR, F_TO_UNIXTIME_MILLIS,
  F_JSON_GET, F_JSON_GET_TEXT, F_JSON_GET_STR, F_JSON_GET_INT, F_JSON_GET_FLOAT,
  F_JSON_GET_BOOL, F_JSON_GET_JSON, F_JSON_LENGTH, F_JSON_CONTAINS, F_EXTRACT_JSON_STRING,
  F_GET_FIRST_JSON_OBJECT,
  F_COUNT_
} FnId;

struct BExpr {
  BExprKind kind;
  SqlType t;            /* result type */
  int nullable;         /* may be NULL */
  int line, col;        /* source position (for runtime error messages) */
  OpKind op;            /* B_OP */
  FnId fn;              /* B_CALL */
  Udf *udf;             /* B_UDF */
  int colidx;           /* B_COL: index into the input's columns */
  int negate;           /* IS NOT NULL, NOT IN, NOT LIKE, IS NOT DISTINCT, IS NOT TRUE.. */
  int ci;               /* ILIKE */
  int istrue_value;     /* B_ISTRUE: 1 TRUE, 0 FALSE */
  int try_cast;
  BExpr **args; int nargs;   /* operands; CASE: when,then pairs; IN: a, list... */
  BExpr *else_;         /* CASE ELSE (may be NULL) */
  BExpr *operand;       /* CASE operand (simple CASE) */
  /* B_LIT value */
  int is_null;
  int64_t ival; uint64_t uval; double fval;
  const char *sval; int slen;
  RtInterval iv;
  const char *text;     /* source text of the expression, for messages */
  int field;            /* B_FIELD: 0 window.start, 1 window.end (args[0] is the window) */
};

/* ---- plan (plan.c) ------------------------------------------------------------------ */
typedef enum PlanKind { P_SCAN, P_FILTER, P_PROJECT, P_UNION, P_SINK, P_MEMORY, P_AGGREGATE, P_TOPN,
                        P_UNNEST, P_JOIN, P_LOOKUP, P_OVER, P_MAXFILTER, P_ARGMAX } PlanKind;

/* P_ARGMAX (argmax.c): an INNER interval join of rows D with the per-window MAX (MIN) of their
** own column, rewritten to keep per window the running maximum and its ties. The node keeps
** the join's output columns (left, then right); its one input is D. */
enum { AMX_WSTART, AMX_WEND, AMX_AGG0 };   /* ArgmaxInfo.scols: what an S column is */
typedef struct ArgmaxInfo {
  int dside;             /* which side of the join D was (0 left, 1 right) */
  int doff, soff;        /* first output column of D's and of S's columns */
  int col;               /* D's column compared with the maximum */
  int tcol;              /* D's event-time column */
  int is_min;            /* MIN instead of MAX */
  int64_t width;         /* the tumble width W (ns) */
  int64_t lo, hi;        /* a row at t matches window end E when E - t in [lo, hi] (0 <= lo <= hi <= W) */
  int nscols;            /* S's columns (entries of scols) */
  int *scols;            /* per S column: AMX_WSTART, AMX_WEND, or AMX_AGG0 (the maximum) */
  int agg_id;            /* the aggregate node the rewrite replaced, for EXPLAIN */
  const char *agg_text;  /* "max(price)" */
} ArgmaxInfo;

/* Aggregate functions. ORDER AggFn: must match agg_table[] in agg.c */
typedef enum AggFn {
  A_NONE, A_COUNT_STAR, A_COUNT, A_SUM, A_AVG, A_MIN, A_MAX, A_BIT_AND, A_BIT_OR, A_BIT_XOR,
  A_BOOL_AND, A_BOOL_OR, A_MEDIAN, A_STDDEV_SAMP, A_STDDEV_POP, A_VAR_SAMP, A_VAR_POP, A_CORR,
  A_COVAR_SAMP, A_COVAR_POP, A_REGR_SLOPE, A_REGR_INTERCEPT, A_REGR_COUNT, A_REGR_R2,
  A_REGR_AVGX, A_REGR_AVGY, A_REGR_SXX, A_REGR_SYY, A_REGR_SXY, A_APPROX_DISTINCT,
  A_APPROX_MEDIAN, A_APPROX_PCT, A_APPROX_PCT_W, A_ARRAY_AGG, A_STRING_AGG, A_FIRST_VALUE,
  A_LAST_VALUE, A_UDAF, A_COUNT_
} AggFn;

typedef struct AggCall {
  AggFn fn;             /* which aggregate */
  Udf *udaf;            /* A_UDAF */
  int distinct;         /* agg(DISTINCT x) */
  BExpr **args;         /* arguments, bound over the aggregate's input */
  int nargs;
  BExpr *filter;        /* FILTER (WHERE ...) or NULL */
  double param;         /* approx_percentile_cont fraction */
  SqlType t;            /* result type */
  int nullable;         /* result may be NULL */
  const char *text;     /* SQL text, for EXPLAIN */
} AggCall;

typedef enum WinKind {
  W_NONE, W_TUMBLE, W_HOP, W_SESSION,
  W_INPUT            /* GROUP BY a window column of the input (the window it came from) */
} WinKind;
typedef struct WindowSpec {
  WinKind kind;
  int64_t width;        /* tumble/hop width, ns */
  int64_t slide;        /* hop slide (== width for tumble), ns */
  int64_t gap;          /* session gap, ns */
} WindowSpec;

typedef struct PCol {
  const char *name;     /* output column name */
  const char *qual;     /* table alias that qualifies it, or NULL */
  SqlType t;
  int nullable;
  int winkind;          /* WINDOW columns: the WinKind that made them (0: unknown) */
  int64_t width, slide; /* ... and its width and slide (ns) */
} PCol;

struct Plan {
  PlanKind kind;
  int id;                /* stable node id (n1, n2, ...) in creation order */
  PCol *cols; int ncols; /* output schema */
  Plan **inputs; int ninputs;
  Plan **parents; int nparents, parents_cap;
  Table *table;          /* P_SCAN source, P_SINK sink, P_MEMORY memory table */
  BExpr *pred;           /* P_FILTER */
  BExpr **exprs;         /* P_PROJECT (ncols), P_UNION casts are implicit */
  int updating;          /* rows may carry retractions */
  const char *label;     /* for EXPLAIN: e.g. the SQL of a filter */
  /* P_AGGREGATE: output columns are keys (nkeys), then the window (if any), then aggs */
  int nkeys;             /* exprs[0..nkeys) are the GROUP BY keys over the input */
  AggCall *aggs;         /* aggregate calls */
  int naggs;
  WindowSpec win;        /* window, or kind W_NONE (updating aggregate) */
  int wincol;            /* output column index of the window, -1 if none */
  BExpr *winexpr;        /* W_INPUT: the input's window column */
  int stage;             /* codegen: stage whose input this node starts (-1: none) */
  /* P_UNNEST: exprs[0] is the array; output = input columns + one element column. */
  /* P_JOIN: inputs[0] left, inputs[1] right; output = left columns then right columns.
  ** exprs[0..nkeys) are the left keys, rkeys the right keys (equi-join), pred the residual
  ** condition over the output columns (or NULL). */
  JoinType join;
  BExpr **rkeys;
  int lwin, rwin;        /* windowed join: window column of each side (-1: not windowed) */
  int interval;          /* interval join: right.t - left.t must lie in [ilo, ihi] */
  int ilcol, ircol;      /* the TIMESTAMP columns of each side (right's index in its input) */
  int64_t ilo, ihi;      /* bounds in ns */
  int logside;           /* interval join: the side kept as an unindexed log because the other
                         ** is sparse (at most one row per window: see sparse_input in join.c),
                         ** or -1: both sides indexed by key */
  /* time-bounded join (join.c): inputs[tside] column tcol (that side's event time) must lie in
  ** [tlo, thi], expressions over the other side's input columns (not both constant offsets:
  ** that is an interval join). tlo_etcol: when tlo is the other side's event-time column plus
  ** tlo_off ns, that column; else -1 (then the tside rows cannot expire by the watermark). */
  int tbound;
  int tside, tcol;
  BExpr *tlo, *thi;
  int tlo_etcol;
  int64_t tlo_off;
  /* P_TOPN: ROW_NUMBER() OVER (PARTITION BY exprs[0..nkeys) ORDER BY order[...]); output is
  ** the input's columns followed by the row number. wincol = the partition's window key, or
  ** -1 for an updating top-N (over.c), which keeps the first `limit` rows of each partition. */
  BExpr **order;
  uint8_t *order_desc;
  uint8_t *order_nulls_first;   /* per ORDER BY item: 1 = NULLs sort first */
  int norder;
  int64_t limit;         /* unbounded top-N: keep rows numbered 1..limit (over_finish) */
  int rank_out;          /* unbounded top-N: the row number is read above the limit filter */
  int over_line, over_col;   /* position of the window function call */
  /* P_LOOKUP (lookup.c): inputs[0] the stream, `table` the bounded table read whole; output =
  ** stream columns then table columns; join (INNER/LEFT), exprs/rkeys/nkeys/pred as P_JOIN
  ** (rkeys over the table's columns). */
  int lookup_slot;       /* which of the subtask's loaded tables (rt->lookup_table slot) */
  /* P_OVER: agg(x) OVER (PARTITION BY exprs[0..nkeys) ORDER BY order[...] ROWS BETWEEN
  ** frame_preceding PRECEDING AND CURRENT ROW): aggs[0..naggs) are the calls sharing that OVER
  ** clause; output is the input's columns followed by their values for each row. Updating. */
  int64_t frame_preceding;   /* rows before the current one in the frame, -1 UNBOUNDED */
  /* P_MAXFILTER (maxfilter.c): a windowed INNER join of A with the MAX (MIN) of A's column c
  ** per window, rewritten: inputs[0] is A; the output rows are A's rows whose c equals their
  ** window's maximum (minimum), columns as the join's, exprs[i] the A column (B_COL) output
  ** column i is. wincol is A's window column. */
  int mf_col;            /* c: the column of A compared with its window's maximum */
  int mf_min;            /* 1: MIN (rows equal to the window's minimum) */
  ArgmaxInfo *amx;       /* P_ARGMAX (argmax.c) */
};

Plan *plan_new(Cx *cx, PlanKind kind, int ncols);
/* share.c: an earlier aggregate identical to agg (same input node, keys, window and calls,
** in order), else agg itself, registered; bexpr_same: structural equality of expressions. */
Plan *share_aggregate(Cx *cx, Plan *agg);
int bexpr_same(const BExpr *a, const BExpr *b);
void plan_add_input(Cx *cx, Plan *p, Plan *in);
void plan_link_parents(Cx *cx);                /* fill parents[] from inputs[] over all sinks */
/* The node column *c of p is a copy of: p and *c follow projections down while the column is
** a bare column reference (*c becomes its index there). plan_same_column: whether column ca of
** a and column cb of b are one column of one node that way: the same values of the same rows
** (projections neither drop nor add rows). */
const Plan *plan_copied_from(const Plan *p, int *c);
int plan_same_column(const Plan *a, int ca, const Plan *b, int cb);
char *plan_explain(Cx *cx);                    /* EXPLAIN text for all sinks */
char *bexpr_text(Cx *cx, const BExpr *e);      /* SQL-ish rendering for EXPLAIN */

void bind_script(Cx *cx, Script *s);           /* fills cx->cat; errors longjmp */

/* Name scope of an expression: the columns of one input plan. While binding the select list
** and HAVING of an aggregating SELECT, `agg` is set: aggregate calls, GROUP BY expressions and
** the window then bind to the aggregate node's output columns (agg.c). */
typedef struct AggCtx AggCtx;
typedef struct Scope {
  Plan *input;          /* BExpr column indexes refer to input->cols */
  const char *qual;     /* alias or table name that qualifies those columns */
  AggCtx *agg;          /* non-NULL inside an aggregating SELECT's output expressions */
} Scope;

BExpr *bind_expr(Cx *cx, Scope *sc, Expr *e);
BExpr *bnew(Cx *cx, BExprKind k, Expr *src);
int resolve_column(Cx *cx, Scope *sc, Expr *e);

/* lookup.c: `left JOIN t FOR SYSTEM_TIME AS OF ... ON ...` (f->as_of set); t may be NULL
** (unknown name, reported here). */
Plan *lookup_bind(Cx *cx, Plan *left, const char *lqual, Table *t, FromItem *f);

/* join.c: a JOIN of `left` (qualifier lqual, or its columns' own) and f's table `right`. */
Plan *join_bind(Cx *cx, Plan *left, const char *lqual, Plan *right, const char *rqual, FromItem *f);
/* join.c: bind ON over j's [left | right] columns into keys (j->exprs, j->rkeys, j->nkeys)
** and the residual j->pred; scalar_keys also refuses window and struct keys. Returns the
** number of conjuncts, *conj the conjuncts. */
int join_bind_on(Cx *cx, Plan *j, Expr *on, int nl, int scalar_keys, BExpr ***conj);

/* maxfilter.c: turn j (a freshly bound windowed join, conj its ON conjuncts) in place into a
** P_MAXFILTER when it keeps the rows equal to their window's maximum or minimum; 1 when
** rewritten. */
int maxfilter_rewrite(Cx *cx, Plan *j, BExpr **conj, int nconj);
/* argmax.c: turn an INNER interval join planned by join_bind (conj: its ON conjuncts) into a
** P_ARGMAX node when it joins rows with their own window's MAX/MIN; 1 when rewritten. */
int argmax_rewrite(Cx *cx, Plan *j, BExpr **conj, int nconj);

/* agg.c */
int agg_is_aggregate_name(const char *name);
/* The P_AGGREGATE node that column *c of p is an output column of, followed down through
** projections that copy it (and, when field is not NULL, through at most one window.start or
** window.end of a window column: *field 0 or 1, else -1); *c becomes the aggregate's column.
** NULL when the chain ends at another kind of node or a projection computes the column. */
const Plan *agg_behind(const Plan *p, int *c, int *field);
/* Whether a is MAX or MIN of one plain column, without DISTINCT or FILTER. */
int agg_is_minmax_of_column(const AggCall *a);
int expr_has_aggregate(Cx *cx, const Expr *e);
/* Bind SELECT ... GROUP BY / aggregates over `in` (already filtered by WHERE): returns the
** plan whose output is the select list (aggregate, then HAVING filter, then projection). */
Plan *agg_bind_select(Cx *cx, Select *s, Plan *in, const char *qual);
/* Called by bind_expr first when sc->agg is set: returns the bound expression if e is an
** aggregate call, a GROUP BY expression or the window, NULL to bind e normally. */
BExpr *agg_bind_special(Cx *cx, Scope *sc, Expr *e);
const char *agg_name(AggFn fn);

/* ---- functions (funcs.c) ------------------------------------------------------------ */
typedef struct FnInfo {
  const char *name;     /* SQL name */
  FnId id;
  int min_args, max_args;
} FnInfo;
const FnInfo *fn_lookup(const char *name);     /* NULL when unknown */
const FnInfo *fn_info(FnId id);
/* Bind a call: checks arity/types and sets e->t / e->nullable; may insert casts. */
void fn_bind(Cx *cx, BExpr *e, const Expr *src);
BExpr *bind_cast(Cx *cx, BExpr *e, SqlType to, int line, int col, int explicit_cast);

/* ---- window function calls (over.c) -------------------------------------------------- */
Plan *over_bind_topn(Cx *cx, Scope *sc, Expr *e);   /* ROW_NUMBER() OVER (...) over sc->input */
Plan *over_bind_frame(Cx *cx, Scope *sc, Expr *e);  /* agg(x) OVER (... ROWS ...) over sc->input */
void over_add_frame(Cx *cx, Scope *sc, Plan *t, Expr *e);   /* another call with t's OVER clause */
int over_only_inserts(const Plan *p);             /* every row of p is an insertion */
void over_finish(Cx *cx);                          /* after plan_link_parents: top-N limits */

/* ---- code generation (codegen/) ----------------------------------------------------- */
char *cg_generate(Cx *cx, const char *plan_text);   /* the whole C file */

#endif /* ARROYO_COMPILER_H internals */
