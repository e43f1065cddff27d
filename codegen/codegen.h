/*
** codegen/codegen.h: shared state of the C code generator (emit.c, cg_expr.c, cg_pipeline.c).
** The generator is produce/consume (HyPer): each source port gets one function whose row loop
** carries every row through filters and projections into sink rows; expressions become
** straight-line C with one local per computed value, named for the plan node (n4_e2).
*/
#ifndef ARROYO_CODEGEN_H
#define ARROYO_CODEGEN_H
#include "../compiler/compiler.h"

typedef struct Emitter {
  Buf out;              /* generated text */
  int indent;           /* current indentation level (2 spaces each) */
} Emitter;

void em_line(Emitter *em, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void em_open(Emitter *em, const char *fmt, ...) __attribute__((format(printf, 2, 3)));  /* line ending in '{' */
void em_close(Emitter *em, const char *tail);    /* "}" + tail */
void em_raw(Emitter *em, const char *text);      /* verbatim, no indentation */
char *c_string(Cx *cx, const char *s, size_t n);  /* C string literal with quotes */
char *c_comment(Cx *cx, const char *s);           /* text safe inside a comment */
char *c_ident(Cx *cx, const char *s);             /* a C identifier made from a SQL name */

/* A value during code generation: C expressions for the value and its NULL flag. */
typedef struct CgVal {
  const char *v;        /* C expression of the value */
  const char *n;        /* C expression of the null flag; "0" when never NULL */
} CgVal;

typedef struct Cg {
  Cx *cx;
  Emitter *em;
  int node;             /* plan node id used to name locals */
  int tmp;              /* counter for locals within the node */
  const char *hdr;      /* C expression of the current row's RtRowHeader */
} Cg;

CgVal cg_expr(Cg *g, BExpr *e, const CgVal *in);
const char *cg_tmp(Cg *g, const char *what);      /* fresh local name n<node>_<what><k> */
const char *cg_zero(SqlType t);                   /* initializer for a local of type t */
const char *cg_where(Cg *g, const BExpr *e);      /* "file:line:col" C string literal */

#endif
