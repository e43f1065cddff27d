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

/* ---- whole-pipeline generation state (cg_pipeline.c, cg_agg.c) ------------------------ */
typedef struct TableLayout {
  Table *t;
  const char *sname;     /* C struct name, row_<role>_<table> */
  const char **fields;   /* C field name per column (NULL for generated columns) */
} TableLayout;

typedef struct StageGen {
  const char *name;      /* C-safe stage name, e.g. "source", "n5_agg" */
  RtPort *ins;           /* inputs */
  int nins, incap;
  RtPort *outs;          /* outputs (sinks and edges), in first-use order */
  int nouts, outcap;
  int maxpar;            /* 0 any, 1 single subtask */
  const char *process_fn, *watermark_fn, *flush_fn;   /* C function names or "0" */
  const char *states_sym;/* C symbol of the RtStateDesc array, or "0" */
  int nstates;
} StageGen;

typedef struct EdgeGen {
  int from, to, to_input;  /* stages and consumer input index */
  int slot;                /* which input of the consuming node (join: 0 left, 1 right) */
  int routing;             /* RtRouting */
  const char *schema_sym;  /* C symbol of the edge's RtSchema */
} EdgeGen;

typedef struct Gen {
  Cx *cx;
  Emitter types;         /* struct definitions */
  Emitter funcs;         /* functions */
  Emitter descs;         /* descriptor tables that must follow the types (edge schemas, states) */
  Emitter *em;           /* where consume() writes (always &funcs) */
  TableLayout *sinks;    /* sink layouts by sink index */
  int tmp;               /* local-name counter within the current function */
  int stage;             /* the stage being generated */
  StageGen *stages; int nstages;
  EdgeGen *edges; int nedges, edgecap;
  Plan *from;            /* consume(): the child whose output values are being pushed */
  TableLayout *lookups;  /* lookup join tables by lookup_slot (cg_lookup.c) */
  int nlookups;
} Gen;

int gen_output(Gen *gen, int kind, int index);    /* current stage's output index for a sink/edge */
/* The edge from the current stage into stateful node p's stage (created on first use; `slot`
** tells a join's left (0) and right (1) inputs apart). */
int gen_edge_into(Gen *gen, Plan *p, int routing, const char *schema_sym, int slot);
void consume(Gen *gen, Plan *p, const CgVal *in, const char *hdr);
void consume_parents(Gen *gen, Plan *p, const CgVal *in, const char *hdr);
/* cg_aggfn.c: per-aggregate-function state and code */
typedef enum AggRepr {
  R_NONE, R_COUNT, R_SUM, R_AVG, R_MINMAX, R_BIT, R_FIRSTLAST, R_BITCOUNTS, R_BOOLCOUNTS,
  R_MOMENTS, R_COMOMENTS, R_DISTINCT, R_MSET, R_HLL, R_TDIGEST, R_STRBOX, R_LIST, R_UDAF, R_ARRAY
} AggRepr;
AggRepr agg_repr(AggCall *a, int upd_in, const char **why);   /* R_NONE: unsupported (why) */
int agg_repr_has_obj(AggRepr r);                               /* keeps a runtime object */
void cg_aggfn_fields(Emitter *ty, AggCall *a, int i, AggRepr r);
void cg_aggfn_update(Gen *gen, AggCall *a, int i, AggRepr r, int upd_in, const char *acc,
                     const char *row);
void cg_aggfn_merge(Gen *gen, AggCall *a, int i, AggRepr r, const char *t, const char *s);
void cg_aggfn_final(Gen *gen, AggCall *a, int i, AggRepr r, const char *acc, const char *v,
                    const char *n);
void cg_aggfn_free_temp(Gen *gen, AggCall *a, int i, AggRepr r, const char *t);
/* cg_agg.c */
void cg_agg_types(Gen *gen, Plan *agg);                                   /* structs + schemas */
void cg_agg_input(Gen *gen, Plan *agg, const CgVal *in, const char *hdr); /* producer side */
void cg_agg_stage(Gen *gen, Plan *agg);                                   /* consumer stage */
/* n<id>_on_watermark: emit (n<id>_emit) and drop table 0's buckets up to the watermark */
void cg_agg_close_buckets(Gen *gen, int id, const char *what);
/* cg_topn.c: ROW_NUMBER() OVER (PARTITION BY window ...) */
void cg_topn_types(Gen *gen, Plan *t);
void cg_topn_input(Gen *gen, Plan *t, const CgVal *in, const char *hdr);
void cg_topn_stage(Gen *gen, Plan *t);
/* the row struct row_n<id>_in and its edge schema n<id>_in_schema (shared with cg_over.c) */
void cg_topn_row_types(Gen *gen, Plan *t);
/* "if (a's column c sorts differently from b's) return <0 / >0;" (pa/pb: "a->", "b->row.") */
void cg_topn_cmp_col(Emitter *em, SqlType t, int c, int desc, int nulls_first, const char *pa,
                     const char *pb);
/* the partition key of row `r` (a row_n<id>_in pointer) into kb[0..ko) (declares kl, ko, kb) */
void cg_topn_partition_key(Emitter *em, Plan *t, Plan *ip);
/* cg_over.c: agg(x) OVER (PARTITION BY ... ORDER BY ... ROWS ... AND CURRENT ROW) */
void cg_over_types(Gen *gen, Plan *t);
void cg_over_stage(Gen *gen, Plan *t);
/* cg_join.c: windowed and updating joins */
void cg_join_types(Gen *gen, Plan *j);
void cg_join_input(Gen *gen, Plan *j, const CgVal *in, const char *hdr);
void cg_join_stage(Gen *gen, Plan *j);
/* cg_maxfilter.c: rows equal to their window's maximum (compiler/maxfilter.c's rewrite) */
void cg_maxfilter_types(Gen *gen, Plan *f);
void cg_maxfilter_input(Gen *gen, Plan *f, const CgVal *in, const char *hdr);
void cg_maxfilter_stage(Gen *gen, Plan *f);
/* the columns of a node with n output columns read by its parent p and p's consumers */
void cg_parent_uses(Cx *cx, const Plan *p, uint8_t *used, int n);
/* cg_argmax.c: rows equal to their window's maximum (P_ARGMAX, compiler/argmax.c) */
void cg_argmax_types(Gen *gen, Plan *j);
void cg_argmax_input(Gen *gen, Plan *j, const CgVal *in, const char *hdr);
void cg_argmax_stage(Gen *gen, Plan *j);
void cg_argmax_source_states(Gen *gen);                 /* the source stage's pre-filter tables */
void cg_argmax_source_prologue(Gen *gen, Table *t);     /* before source t's row loop */
/* cg_lookup.c: lookup joins (FOR SYSTEM_TIME AS OF), fused into the stream side's loop */
void cg_lookup_types(Gen *gen, Plan *l);    /* table row struct, connector, key function */
void cg_lookup_input(Gen *gen, Plan *l, const CgVal *in, const char *hdr);
/* cg_pipeline.c: a table's row struct and descriptors (also for lookup tables) */
TableLayout cg_table_layout(Cx *cx, Table *t, const char *role);   /* struct row_<role>_<t> */
void cg_table_struct(Emitter *em, Cx *cx, TableLayout *l, const char *what);
/* <prefix>_cols, <prefix>_schema, <prefix>_opts (physical columns only) */
void cg_table_descriptor(Emitter *em, Cx *cx, TableLayout *l, const char *prefix);
/* row_n<id>_in (all of in's columns) and its edge schema n<id>_in_schema */
void cg_whole_row_types(Gen *gen, int id, const Plan *in);
const char *cg_tmp(Cg *g, const char *what);      /* fresh local name n<node>_<what><k> */
const char *cg_zero(SqlType t);                   /* initializer for a local of type t */
int cg_fixed_size(SqlType t);                     /* bytes of a non-string scalar when packed */
const char *cg_where(Cg *g, const BExpr *e);      /* "file:line:col" C string literal */
/* "dst = v;" for a value of type t, member by member for strings, windows and arrays (tcc
** turns struct assignment into a memmove call) */
void cg_assign(Emitter *em, const char *dst, SqlType t, const char *v);
/* "RtRowHeader hdr;" for an output row: time ts, hash 0, retract flag, padding zeroed */
void cg_out_header(Emitter *em, const char *ts, const char *retract);

#endif
