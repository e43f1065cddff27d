/*
** runtime/agg.h: internal interface of the aggregate library (runtime/agg_*.c).
**
** Generated code reaches these functions only through the agg_* members of RtApi (abi.h, whose
** comments are the contract). This header is for runtime/api.c (which fills the table), for the
** state tables (runtime/state.c frees and snapshots the objects a value struct points to: see
** rt_obj_free / rt_obj_serialize / rt_obj_deserialize) and for the unit tests.
**
** Files:
**   agg_obj.c      object header, per-kind memory counters, free/serialize/deserialize dispatch,
**                  the stable 64-bit hash the sketches use, little-endian (de)serialization
**   agg_stats.c    finalizers of RtMoments / RtCoMoments (var, stddev, covar, corr, regr_*)
**   agg_distinct.c DISTINCT set: value bytes -> multiplicity (count/sum(DISTINCT ...))
**   agg_mset.c     sorted multiset of f64 / i64 / u64 / text with multiplicities (min, max, median,
**                  percentile_cont over retractable input)
**   agg_sketch.c   HyperLogLog (approx_distinct) and t-digest (approx_percentile_cont,
**                  approx_percentile_cont_with_weight, approx_median)
**   agg_list.c     value list (array_agg, string_agg, UDAF arguments) and the string box
**                  (first_value/last_value/min/max of TEXT)
** It does NOT describe how the generated code lays out accumulators, nor when the state table
** calls free/serialize (state.c and the codegen own those decisions).
**
** Ownership: every object is malloc'ed, owned by exactly one accumulator slot (a `void *` field
** of a generated value struct, NULL = empty), and belongs to one subtask thread at a time. Add
** functions create the object when the slot is NULL; remove functions free it and reset the slot
** to NULL when it becomes empty. Allocation failure aborts the worker (STYLE: worker OOM aborts
** loudly and recovers from the last checkpoint).
*/
#ifndef ARROYO_AGG_H
#define ARROYO_AGG_H

#include "runtime.h"

/* ---- object header (agg_obj.c) ------------------------------------------------------------ */
/* ORDER RtObjKind: must match kind_names[] in agg_obj.c. The kind is the first byte of every
** serialized object, so values never change once released. */
typedef enum RtObjKind {
  RT_OBJ_NONE = 0,      /* serialized NULL slot */
  RT_OBJ_DISTINCT = 1,  /* agg_distinct.c */
  RT_OBJ_MSET = 2,      /* agg_mset.c */
  RT_OBJ_HLL = 3,       /* agg_sketch.c */
  RT_OBJ_TDIGEST = 4,   /* agg_sketch.c */
  RT_OBJ_LIST = 5,      /* agg_list.c */
  RT_OBJ_STRBOX = 6,    /* agg_list.c */
  RT_OBJ_JROWS = 7,     /* join_rows.c: a join key's packed rows after the inline one */
  RT_OBJ_KIND_COUNT
} RtObjKind;

/* Every object starts with this header. */
typedef struct RtObj {
  uint8_t kind;         /* RtObjKind */
  uint8_t sub;          /* kind-specific variant (multiset key type, t-digest mode) */
  uint8_t pad_[6];
  int64_t bytes;        /* heap bytes this object holds now (counted in aobj_mem_bytes) */
} RtObj;

/* Heap bytes held by all live objects of a kind (all threads); RT_OBJ_NONE gives the total. */
int64_t aobj_mem_bytes(int kind);
const char *aobj_kind_name(int kind);
/* Allocation helpers: abort on OOM; they do not touch the counters. */
void *aobj_alloc(size_t n);                     /* zeroed */
void *aobj_realloc(void *p, size_t n);
/* Start accounting a new object of `kind` holding `bytes`; adjust it by `delta` later. */
void aobj_init(RtObj *o, int kind, int64_t bytes);
void aobj_grow(RtObj *o, int64_t delta);
/* The stable hash of value bytes used by the sketches and the DISTINCT set. It is part of the
** serialized HyperLogLog format: never change it (add a new kind instead). */
uint64_t aobj_hash(const void *p, int64_t n);

/* Free any object (NULL is ignored). Called by the state table when an entry dies. */
void rt_obj_free(void *obj);
/* Append obj (NULL allowed) to out: one kind byte, one format-version byte, then the kind's
** payload, all little-endian. Returns the bytes appended. */
size_t rt_obj_serialize(const void *obj, Buf *out);
/* Rebuild an object from p[0..n): returns it (caller owns it) and sets *used to the bytes
** consumed. A serialized NULL returns NULL with *used = 1; malformed input returns NULL with
** *used = 0. */
void *rt_obj_deserialize(const char *p, size_t n, size_t *used);

/* Serialization helpers shared by the agg_*.c files. */
void aobj_put_u8(Buf *b, uint8_t v);
void aobj_put_u32(Buf *b, uint32_t v);
void aobj_put_u64(Buf *b, uint64_t v);
void aobj_put_f64(Buf *b, double v);
typedef struct AobjReader {
  const unsigned char *p;  /* input */
  size_t n;                /* input length */
  size_t pos;              /* next byte */
  int bad;                 /* set when a read ran past the end */
} AobjReader;
uint8_t aobj_get_u8(AobjReader *r);
uint32_t aobj_get_u32(AobjReader *r);
uint64_t aobj_get_u64(AobjReader *r);
double aobj_get_f64(AobjReader *r);
const void *aobj_get_bytes(AobjReader *r, size_t n);   /* NULL (and bad) if short */

/* Per-kind hooks, called by the dispatchers in agg_obj.c. */
void dset_free(void *obj);
void dset_serialize(const void *obj, Buf *out);
void *dset_deserialize(AobjReader *r);
void mset_free(void *obj);
void mset_serialize(const void *obj, Buf *out);
void *mset_deserialize(AobjReader *r);
void hll_free(void *obj);
void hll_serialize(const void *obj, Buf *out);
void *hll_deserialize(AobjReader *r);
void tdig_free(void *obj);
void tdig_serialize(const void *obj, Buf *out);
void *tdig_deserialize(AobjReader *r);
void alist_free(void *obj);
void alist_serialize(const void *obj, Buf *out);
void *alist_deserialize(AobjReader *r);
void jrows_free(void *obj);
void jrows_serialize(const void *obj, Buf *out);
void *jrows_deserialize(AobjReader *r);
void sbox_free(void *obj);
void sbox_serialize(const void *obj, Buf *out);
void *sbox_deserialize(AobjReader *r);

/* ---- the RtApi members (contracts in abi.h) ------------------------------------------------ */
/* agg_stats.c */
int astat_var_final(RtCtx *ctx, const RtMoments *m, int sample, double *out);
int astat_stddev_final(RtCtx *ctx, const RtMoments *m, int sample, double *out);
int astat_covar_final(RtCtx *ctx, const RtCoMoments *m, int sample, double *out);
int astat_corr_final(RtCtx *ctx, const RtCoMoments *m, double *out);
int astat_regr_final(RtCtx *ctx, const RtCoMoments *m, int what, double *out);

/* agg_distinct.c */
int dset_add(RtCtx *ctx, void **obj, const void *p, int64_t n, int *first);
int dset_remove(RtCtx *ctx, void **obj, const void *p, int64_t n, int *last);
int64_t dset_count(const void *obj);
int dset_visit(RtCtx *ctx, const void *obj, RtAggVisitFn fn, void *arg);
int dset_merge(RtCtx *ctx, void **dst, const void *src);

/* agg_mset.c */
int mset_add_f64(RtCtx *ctx, void **obj, double v);
int mset_add_i64(RtCtx *ctx, void **obj, int64_t v);
int mset_add_str(RtCtx *ctx, void **obj, RtStr v);
int mset_add_u64(RtCtx *ctx, void **obj, uint64_t v);
int mset_remove_f64(RtCtx *ctx, void **obj, double v);
int mset_remove_i64(RtCtx *ctx, void **obj, int64_t v);
int mset_remove_str(RtCtx *ctx, void **obj, RtStr v);
int mset_remove_u64(RtCtx *ctx, void **obj, uint64_t v);
int64_t mset_count(const void *obj, int distinct);
int mset_nth_f64(RtCtx *ctx, const void *obj, int64_t k, int distinct, double *out);
int mset_nth_i64(RtCtx *ctx, const void *obj, int64_t k, int distinct, int64_t *out);
int mset_nth_str(RtCtx *ctx, const void *obj, int64_t k, int distinct, RtStr *out);
int mset_nth_u64(RtCtx *ctx, const void *obj, int64_t k, int distinct, uint64_t *out);
int mset_median_f64(RtCtx *ctx, const void *obj, int distinct, double *out);
int mset_median_i64(RtCtx *ctx, const void *obj, int distinct, int64_t *out);
int mset_median_u64(RtCtx *ctx, const void *obj, int distinct, uint64_t *out);
int mset_percentile(RtCtx *ctx, const void *obj, double p, int distinct, double *out);
int mset_merge(RtCtx *ctx, void **dst, const void *src);

/* agg_sketch.c */
int hll_add(RtCtx *ctx, void **obj, const void *p, int64_t n);
int64_t hll_count(const void *obj);
int hll_merge(RtCtx *ctx, void **dst, const void *src);
int tdig_add(RtCtx *ctx, void **obj, double v, int64_t max_size);
int tdig_add_weighted(RtCtx *ctx, void **obj, double v, double w, int64_t max_size);
int tdig_quantile(RtCtx *ctx, const void *obj, double q, double *out);
int tdig_merge(RtCtx *ctx, void **dst, const void *src);

/* agg_list.c */
int alist_add(RtCtx *ctx, void **obj, const void *p, int64_t n, int is_null);
int alist_remove(RtCtx *ctx, void **obj, const void *p, int64_t n, int is_null, int *found);
int alist_insert(RtCtx *ctx, void **obj, int64_t index, const void *p, int64_t n);
int alist_delete(RtCtx *ctx, void **obj, int64_t index);
void *alist_bytes(void *obj, int64_t index);
int64_t alist_len(const void *obj);
int alist_get(RtCtx *ctx, const void *obj, int64_t i, RtStr *out);
int alist_join(RtCtx *ctx, const void *obj, RtStr sep, RtStr *out);
int alist_array(RtCtx *ctx, const void *obj, int64_t elem_size, void **vals, uint8_t **nulls,
                int64_t *n);
int alist_merge(RtCtx *ctx, void **dst, const void *src);
int jrows_add(RtCtx *ctx, void **obj, const void *p, uint32_t n);
int jrows_remove(RtCtx *ctx, void **obj, const void *p, uint32_t n);
const unsigned char *jrows_next(const void *obj, uint32_t *pos, uint32_t *len);
int jrows_take_first(RtCtx *ctx, void **obj, void *buf, uint32_t cap, uint32_t *len);
int sbox_set(RtCtx *ctx, void **obj, RtStr s, int is_null, int mode, int *changed);
int sbox_get(RtCtx *ctx, const void *obj, RtStr *out);
int sbox_merge(RtCtx *ctx, void **dst, const void *src, int mode);

#endif /* ARROYO_AGG_H */
