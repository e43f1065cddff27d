/*
** runtime/snapshot.c: the byte format of state table snapshots, writing one (st_snapshot),
** reading its header (st_snapshot_info), and restoring all of it or one key-hash range of it
** into a table (st_restore). Contracts: the "snapshots" section of runtime.h, which also states
** what generated value structs may hold (plain data, RtObj pointers, keyref strings).
**
** Rescaling is a restore with a range: state is partitioned by key hash, and subtask j of M owns
** the hashes of st_owner_range(j, M), so new subtask j restores every old snapshot of a table
** with that range. Each old snapshot is read by every new subtask; skipping an entry costs a
** few loads, because every entry record says how long its objects are.
**
** Format, version 1. Integers are little-endian; this file builds only on little-endian hosts
** because value structs are copied as their in-memory image (see below).
**   header (72 bytes, then the variable part)
**     0  magic        8  "ARSTSNAP"
**     8  version      u32  SNAP_VERSION
**    12  flags        u32  SNAP_F_TTL: entries carry access stamps (the table had a ttl)
**    16  size         u64  bytes of the whole snapshot, header to end marker
**    24  value_size   u32  sizeof the value struct
**    28  nobjs        u32  RtObj fields per value
**    32  nkeyrefs     u32  keyref RtStr fields per value
**    36  name_len     u32  bytes of the table name
**    40  ttl_ns       i64  the table's ttl (0: none)
**    48  entries      u64  entries in all sections
**    56  sections     u64  bucket sections (buckets with at least one entry)
**    64  timers       u64  timer records
**    72  obj_offsets[nobjs] u32, keyref_offsets[nkeyrefs] u32, name bytes (no NUL)
**   sections, ascending strictly by bucket
**     bucket i64, count u64 (>= 1), then count entry records in insertion order:
**       hash     u64  the key hash
**       klen     u32  key bytes
**       olen     u64  bytes of the objects below (present only when nobjs > 0)
**       access   i64  last access stamp (present only with SNAP_F_TTL)
**       key      klen bytes
**       value    value_size bytes: the struct's image, with each object field zeroed and each
**                keyref field replaced by (offset into the key u64, length i64); an empty one
**                is (0, 0)
**       objects  olen bytes: rt_obj_serialize of each object field in obj_offsets order (a NULL
**                field is the one byte RT_OBJ_NONE)
**   timers, in firing order (time, then insertion)
**       time i64, hash u64, klen u32, key klen bytes
**   end marker: 8 bytes "ARSTEND."
** The header's counts and size are written last (the writer patches them), so a snapshot cut
** short anywhere fails the size check, and one with bytes missing inside fails a bounds check.
** Nothing a snapshot holds becomes a pointer without being rebuilt: object fields get the
** deserialized objects and keyref fields pointers into the new key copy, whatever the image
** held there. A value's plain data is taken as it is: corruption there is not detectable here
** (the checkpoint store checksums its files).
**
** Entries are inserted with st_insert after the bucket's index was sized once (st_reserve) for
** the share of the section's entries that the hash range should receive. Timers are re-added
** in firing order, so equal times keep their order.
**
** It does NOT compress, checksum, name files or decide which tables go where (the checkpoint
** code does), and it never interprets a value beyond the fields the descriptor lists.
*/
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "runtime.h"
#include "agg.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "snapshot.c copies value structs as their in-memory image: little-endian hosts only"
#endif
_Static_assert(sizeof(void *) == 8 && sizeof(RtStr) == 16, "snapshot.c assumes 64-bit pointers");

#define SNAP_MAGIC "ARSTSNAP"
#define SNAP_END "ARSTEND."
#define SNAP_VERSION 1u
#define SNAP_F_TTL 1u
#define HDR_FIXED 72u           /* bytes before the offsets and the name */
#define OFF_SIZE 16u            /* header offsets of the fields patched at the end */
#define OFF_ENTRIES 48u
#define OFF_SECTIONS 56u
#define OFF_TIMERS 64u
#define NO_SECTION ((size_t)-1)
#define LOCAL_OBJS 16u          /* objects per value handled without a malloc */
#define AHEAD 16u               /* records parsed (and index slots prefetched) ahead of inserts */
#define NAME_SHOWN 200u         /* at most this much of a snapshot's table name goes in messages */

/* ---- bytes ---------------------------------------------------------------------------- */

static inline void st32(char *p, uint32_t v) { memcpy(p, &v, 4); }
static inline void st64(char *p, uint64_t v) { memcpy(p, &v, 8); }
static inline uint32_t ld32(const char *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline uint64_t ld64(const char *p) { uint64_t v; memcpy(&v, p, 8); return v; }

static void put32(Buf *b, uint32_t v) { buf_put(b, &v, 4); }
static void put64(Buf *b, uint64_t v) { buf_put(b, &v, 8); }

static int fail(char *err, size_t errlen, const char *fmt, ...) {
  if (err && errlen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
  }
  return -1;
}

/* [lo, hi) with hi == 0 standing for 2^64. */
static inline int in_range(uint64_t h, uint64_t lo, uint64_t hi) {
  return h >= lo && (hi == 0 || h < hi);
}

/* ---- writing -------------------------------------------------------------------------- */

typedef struct SnapW {
  const StateTable *t;      /* the table being written */
  const RtStateDesc *d;     /* its descriptor */
  Buf *out;                 /* output (appended to) */
  int ttl;                  /* entries carry access stamps */
  size_t sec_at;            /* offset in out of the open section's count, or NO_SECTION */
  int64_t bucket;           /* the open section's bucket */
  uint64_t sec_count;       /* entries in the open section so far */
  uint64_t entries;         /* entries written */
  uint64_t sections;        /* sections written */
  uint64_t timers;          /* timers written */
} SnapW;

static void close_section(SnapW *w) {
  if (w->sec_at != NO_SECTION) st64(w->out->p + w->sec_at, w->sec_count);
  w->sec_at = NO_SECTION;
}

static int write_entry(void *arg, int64_t bucket, uint64_t hash, const void *key,
                       uint32_t keylen, void *value) {
  SnapW *w = arg;
  const RtStateDesc *d = w->d;
  Buf *out = w->out;
  if (w->sec_at == NO_SECTION || bucket != w->bucket) {
    close_section(w);
    put64(out, (uint64_t)bucket);
    w->sec_at = out->len;
    put64(out, 0);
    w->bucket = bucket;
    w->sec_count = 0;
    w->sections++;
  }
  /* the fixed part, written through one pointer after one reserve */
  size_t fixed = 12 + (d->nobjs ? 8 : 0) + (w->ttl ? 8 : 0) + (size_t)keylen + d->value_size;
  buf_reserve(out, fixed);
  size_t at = out->len;
  char *p = out->p + at;
  st64(p, hash);
  st32(p + 8, keylen);
  p += 12;
  size_t olen_at = 0;
  if (d->nobjs) { olen_at = (size_t)(p - out->p); p += 8; }
  if (w->ttl) { st64(p, (uint64_t)st_access(w->t, value)); p += 8; }
  if (keylen) memcpy(p, key, keylen);
  p += keylen;
  char *v = p;
  memcpy(v, value, d->value_size);
  for (uint32_t i = 0; i < d->nobjs; i++) memset(v + d->obj_offsets[i], 0, sizeof(void *));
  for (uint32_t i = 0; i < d->nkeyrefs; i++) {
    RtStr s;
    memcpy(&s, (const char *)value + d->keyref_offsets[i], sizeof s);
    uint64_t off = 0;
    if (s.len != 0) {
      uintptr_t k = (uintptr_t)key, sp = (uintptr_t)s.ptr;
      if (s.len < 0 || sp < k || sp > k + keylen || (uint64_t)s.len > k + keylen - sp) {
        fprintf(stderr, "arroyo: state table %s: snapshot: the string at value offset %u "
                "(%lld bytes) does not lie in its entry's key (%u bytes, bucket %lld): values "
                "may only point into their own key copy\n", d->name, d->keyref_offsets[i],
                (long long)s.len, keylen, (long long)bucket);
        return -1;
      }
      off = sp - k;
    }
    st64(v + d->keyref_offsets[i], off);
    st64(v + d->keyref_offsets[i] + 8, (uint64_t)s.len);
  }
  out->len = at + fixed;
  if (d->nobjs) {
    size_t start = out->len;
    for (uint32_t i = 0; i < d->nobjs; i++) {
      void *o;
      memcpy(&o, (const char *)value + d->obj_offsets[i], sizeof o);
      rt_obj_serialize(o, out);
    }
    st64(out->p + olen_at, (uint64_t)(out->len - start));
  }
  w->sec_count++;
  w->entries++;
  return 0;
}

static int write_timer(void *arg, int64_t time, uint64_t hash, const void *key, uint32_t keylen,
                       void *value) {
  SnapW *w = arg;
  Buf *out = w->out;
  buf_reserve(out, 20 + (size_t)keylen);
  char *p = out->p + out->len;
  st64(p, (uint64_t)time);
  st64(p + 8, hash);
  st32(p + 16, keylen);
  if (keylen) memcpy(p + 20, key, keylen);
  out->len += 20 + (size_t)keylen;
  w->timers++;
  return 0;
}

int st_snapshot(const StateTable *t, Buf *out) {
  const RtStateDesc *d = st_desc(t);
  size_t start = out->len;
  uint32_t name_len = (uint32_t)strlen(d->name);
  SnapW w;
  memset(&w, 0, sizeof w);
  w.t = t;
  w.d = d;
  w.out = out;
  w.ttl = d->ttl_ns > 0;
  w.sec_at = NO_SECTION;

  buf_put(out, SNAP_MAGIC, 8);
  put32(out, SNAP_VERSION);
  put32(out, w.ttl ? SNAP_F_TTL : 0);
  put64(out, 0);                                  /* size, patched */
  put32(out, d->value_size);
  put32(out, d->nobjs);
  put32(out, d->nkeyrefs);
  put32(out, name_len);
  put64(out, (uint64_t)(w.ttl ? d->ttl_ns : 0));
  put64(out, 0);                                  /* entries, patched */
  put64(out, 0);                                  /* sections, patched */
  put64(out, 0);                                  /* timers, patched */
  for (uint32_t i = 0; i < d->nobjs; i++) put32(out, d->obj_offsets[i]);
  for (uint32_t i = 0; i < d->nkeyrefs; i++) put32(out, d->keyref_offsets[i]);
  buf_put(out, d->name, name_len);

  /* The visits only read the table; they take a non-const pointer because their callbacks
  ** receive writable values. */
  StateTable *tt = (StateTable *)t;
  if (st_visit_all(tt, write_entry, &w) != 0) {
    out->len = start;
    return -1;
  }
  close_section(&w);
  timer_visit_range(tt, 0, 0, write_timer, &w);
  buf_put(out, SNAP_END, 8);

  char *h = out->p + start;
  st64(h + OFF_SIZE, (uint64_t)(out->len - start));
  st64(h + OFF_ENTRIES, w.entries);
  st64(h + OFF_SECTIONS, w.sections);
  st64(h + OFF_TIMERS, w.timers);
  return 0;
}

/* ---- reading -------------------------------------------------------------------------- */

int st_snapshot_info(const char *p, size_t n, StSnapInfo *info, char *err, size_t errlen) {
  memset(info, 0, sizeof *info);
  if (n < 8 || memcmp(p, SNAP_MAGIC, 8) != 0)
    return fail(err, errlen, "not a state snapshot (%s)", n < 8 ? "too short" : "bad magic");
  if (n < HDR_FIXED)
    return fail(err, errlen, "state snapshot: header truncated (%zu of %u bytes)", n, HDR_FIXED);
  info->version = ld32(p + 8);
  if (info->version != SNAP_VERSION)
    return fail(err, errlen, "state snapshot: format version %u, this build reads version %u",
                info->version, SNAP_VERSION);
  uint32_t flags = ld32(p + 12);
  info->size = ld64(p + 16);
  info->value_size = ld32(p + 24);
  info->nobjs = ld32(p + 28);
  info->nkeyrefs = ld32(p + 32);
  info->name_len = ld32(p + 36);
  info->ttl_ns = (int64_t)ld64(p + 40);
  info->entries = ld64(p + 48);
  info->buckets = ld64(p + 56);
  info->timers = ld64(p + 64);
  uint64_t var = ((uint64_t)info->nobjs + info->nkeyrefs) * 4 + info->name_len;
  if (var > n - HDR_FIXED)
    return fail(err, errlen, "state snapshot: header truncated (%zu of %llu bytes)", n,
                (unsigned long long)(HDR_FIXED + var));
  info->name = p + HDR_FIXED + ((uint64_t)info->nobjs + info->nkeyrefs) * 4;
  int nl = (int)(info->name_len < NAME_SHOWN ? info->name_len : NAME_SHOWN);
  if ((flags & ~SNAP_F_TTL) != 0 || ((flags & SNAP_F_TTL) != 0) != (info->ttl_ns > 0))
    return fail(err, errlen, "state snapshot of '%.*s': bad flags 0x%x (ttl %lld)", nl,
                info->name, flags, (long long)info->ttl_ns);
  if (info->size < HDR_FIXED + var + 8)
    return fail(err, errlen, "state snapshot of '%.*s': bad size %llu", nl, info->name,
                (unsigned long long)info->size);
  return 0;
}

/* About how many of a section's `count` entries fall in [lo, hi): hashes are uniform, so the
** range's share of 2^64, plus some slack (an index too small only costs one doubling). */
static uint64_t share(uint64_t count, uint64_t lo, uint64_t hi) {
  if (lo == 0 && hi == 0) return count;
  if (hi != 0 && hi <= lo) return 0;
  double two64 = 18446744073709551616.0;
  double frac = ((hi ? (double)hi : two64) - (double)lo) / two64;
  double want = (double)count * frac * 1.02 + 16;
  return want >= (double)count ? count : (uint64_t)want;
}

/* Offsets listed in the header at p equal the table's? */
static int same_offsets(const char *p, const uint32_t *offs, uint32_t n) {
  for (uint32_t i = 0; i < n; i++)
    if (ld32(p + 4 * (size_t)i) != offs[i]) return 0;
  return 1;
}

/* One parsed entry record (pointers into the snapshot). */
typedef struct Rec {
  uint64_t no;              /* its number in the section, for messages */
  uint64_t hash;            /* key hash */
  uint32_t klen;            /* key bytes */
  uint64_t olen;            /* bytes of its objects */
  int64_t access;           /* ttl stamp to give it */
  const char *key;          /* key bytes */
  const char *image;        /* value image */
  const char *objs;         /* serialized objects */
} Rec;

/* Check, rebuild and insert one entry; objs is room for d->nobjs pointers. -1 with err set. */
static int restore_entry(StateTable *t, const RtStateDesc *d, int64_t bucket, const Rec *r,
                         void **objs, const char *nm, int nl, char *err, size_t errlen) {
  for (uint32_t k = 0; k < d->nkeyrefs; k++) {
    uint64_t off = ld64(r->image + d->keyref_offsets[k]);
    int64_t len = (int64_t)ld64(r->image + d->keyref_offsets[k] + 8);
    if (len < 0 || off > r->klen || (uint64_t)len > r->klen - off)
      return fail(err, errlen, "state snapshot of '%.*s': entry %llu of bucket %lld: the string "
                  "at value offset %u (key offset %llu, %lld bytes) is outside its %u-byte key",
                  nl, nm, (unsigned long long)r->no, (long long)bucket, d->keyref_offsets[k],
                  (unsigned long long)off, (long long)len, r->klen);
  }
  size_t q = 0;
  for (uint32_t k = 0; k < d->nobjs; k++) {
    size_t used = 0;
    objs[k] = rt_obj_deserialize(r->objs + q, r->olen - q, &used);
    if (!used) {
      for (uint32_t j = 0; j < k; j++) rt_obj_free(objs[j]);
      return fail(err, errlen, "state snapshot of '%.*s': entry %llu of bucket %lld: the object "
                  "at value offset %u is malformed", nl, nm, (unsigned long long)r->no,
                  (long long)bucket, d->obj_offsets[k]);
    }
    q += used;
  }
  if (q != r->olen) {
    for (uint32_t j = 0; j < d->nobjs; j++) rt_obj_free(objs[j]);
    return fail(err, errlen, "state snapshot of '%.*s': entry %llu of bucket %lld: its objects "
                "take %zu bytes, the record says %llu", nl, nm, (unsigned long long)r->no,
                (long long)bucket, q, (unsigned long long)r->olen);
  }
  void *value;
  const void *kc;
  int ins = st_insert(t, bucket, r->hash, r->key, r->klen, r->access, &value, &kc);
  if (ins != 0) {
    for (uint32_t j = 0; j < d->nobjs; j++) rt_obj_free(objs[j]);
    if (ins > 0)
      return fail(err, errlen, "state snapshot of '%.*s': entry %llu of bucket %lld: table '%s' "
                  "already has that key (the same state restored twice, or overlapping hash "
                  "ranges)", nl, nm, (unsigned long long)r->no, (long long)bucket, d->name);
    return fail(err, errlen, "state snapshot of '%.*s': no room in table '%s' for entry %llu of "
                "bucket %lld (%u-byte key)", nl, nm, d->name, (unsigned long long)r->no,
                (long long)bucket, r->klen);
  }
  char *v = value;
  memcpy(v, r->image, d->value_size);
  for (uint32_t k = 0; k < d->nobjs; k++) memcpy(v + d->obj_offsets[k], &objs[k], sizeof(void *));
  for (uint32_t k = 0; k < d->nkeyrefs; k++) {
    RtStr str;
    str.len = (int64_t)ld64(r->image + d->keyref_offsets[k] + 8);
    str.ptr = str.len ? (const char *)kc + ld64(r->image + d->keyref_offsets[k]) : NULL;
    memcpy(v + d->keyref_offsets[k], &str, sizeof str);
  }
  return 0;
}

int st_restore(StateTable *t, const char *p, size_t n, uint64_t lo, uint64_t hi, char *err,
               size_t errlen) {
  StSnapInfo in;
  if (st_snapshot_info(p, n, &in, err, errlen)) return -1;
  const RtStateDesc *d = st_desc(t);
  int nl = (int)(in.name_len < NAME_SHOWN ? in.name_len : NAME_SHOWN);
  const char *nm = in.name;
  if (in.size != n)
    return fail(err, errlen, "state snapshot of '%.*s': %zu bytes given, the snapshot has %llu "
                "(%s)", nl, nm, n, (unsigned long long)in.size,
                n < in.size ? "truncated" : "trailing bytes");
  if (in.value_size != d->value_size)
    return fail(err, errlen, "state snapshot of '%.*s' holds %u-byte values but table '%s' has "
                "%u-byte values: the query's state layout changed, so this state cannot be "
                "restored into it", nl, nm, in.value_size, d->name, d->value_size);
  const char *offs = p + HDR_FIXED;
  if (in.nobjs != d->nobjs || !same_offsets(offs, d->obj_offsets, d->nobjs))
    return fail(err, errlen, "state snapshot of '%.*s' has %u object fields at other offsets "
                "than table '%s' (%u): the query's state layout changed", nl, nm, in.nobjs,
                d->name, d->nobjs);
  if (in.nkeyrefs != d->nkeyrefs ||
      !same_offsets(offs + 4 * (size_t)in.nobjs, d->keyref_offsets, d->nkeyrefs))
    return fail(err, errlen, "state snapshot of '%.*s' has %u key-string fields at other "
                "offsets than table '%s' (%u): the query's state layout changed", nl, nm,
                in.nkeyrefs, d->name, d->nkeyrefs);

  const int has_ttl = in.ttl_ns > 0;
  const int keep_stamps = has_ttl && d->ttl_ns > 0;
  const uint32_t vsize = d->value_size, nobjs = d->nobjs;
  const size_t fixed = 12 + (nobjs ? 8 : 0) + (has_ttl ? 8 : 0);
  size_t pos = (size_t)(in.name - p) + in.name_len;
  const size_t end = n - 8;                  /* the end marker; in.size checked it fits */
  void *local[LOCAL_OBJS];
  void **objs = nobjs <= LOCAL_OBJS ? local : malloc(nobjs * sizeof(void *));
  if (!objs) { fprintf(stderr, "arroyo: out of memory restoring a snapshot\n"); abort(); }
  int rc = -1;
  uint64_t seen = 0;
  int64_t prev = 0;

  for (uint64_t s = 0; s < in.buckets; s++) {
    if (end - pos < 16) {
      fail(err, errlen, "state snapshot of '%.*s': truncated at bucket section %llu", nl, nm,
           (unsigned long long)s);
      goto out;
    }
    int64_t bucket = (int64_t)ld64(p + pos);
    uint64_t count = ld64(p + pos + 8);
    pos += 16;
    if ((s > 0 && bucket <= prev) || count == 0 || count > in.entries - seen) {
      fail(err, errlen, "state snapshot of '%.*s': bad bucket section %llu (bucket %lld, %llu "
           "entries)", nl, nm, (unsigned long long)s, (long long)bucket,
           (unsigned long long)count);
      goto out;
    }
    prev = bucket;
    uint64_t expect = share(count, lo, hi);
    int reserved = 0;
    for (uint64_t i = 0; i < count;) {
      /* parse up to AHEAD records of the range, prefetching their index slots, then insert */
      Rec recs[AHEAD];
      uint32_t nr = 0;
      while (nr < AHEAD && i < count) {
        Rec *r = &recs[nr];
        if (end - pos < fixed) goto truncated;
        const char *e = p + pos;
        r->no = i++;
        r->hash = ld64(e);
        r->klen = ld32(e + 8);
        r->olen = nobjs ? ld64(e + 12) : 0;
        r->access = has_ttl && keep_stamps ? (int64_t)ld64(e + fixed - 8) : INT64_MIN;
        pos += fixed;
        if (r->klen > end - pos) goto truncated;
        r->key = p + pos;
        pos += r->klen;
        if (vsize > end - pos) goto truncated;
        r->image = p + pos;
        pos += vsize;
        if (r->olen > end - pos) goto truncated;
        r->objs = p + pos;
        pos += r->olen;
        if (!in_range(r->hash, lo, hi)) continue;
        if (!reserved) { st_reserve(t, bucket, expect); reserved = 1; }
        st_prefetch(t, bucket, r->hash);
        nr++;
      }
      for (uint32_t k = 0; k < nr; k++)
        if (restore_entry(t, d, bucket, &recs[k], objs, nm, nl, err, errlen)) goto out;
    }
    seen += count;
  }
  if (seen != in.entries) {
    fail(err, errlen, "state snapshot of '%.*s': %llu entries in its sections, the header "
         "says %llu", nl, nm, (unsigned long long)seen, (unsigned long long)in.entries);
    goto out;
  }

  for (uint64_t i = 0; i < in.timers; i++) {
    if (end - pos < 20) goto truncated;
    int64_t time = (int64_t)ld64(p + pos);
    uint64_t hash = ld64(p + pos + 8);
    uint32_t klen = ld32(p + pos + 16);
    pos += 20;
    if (klen > end - pos) goto truncated;
    if (in_range(hash, lo, hi)) timer_put(t, time, hash, p + pos, klen);
    pos += klen;
  }
  if (pos != end || memcmp(p + end, SNAP_END, 8) != 0) {
    fail(err, errlen, "state snapshot of '%.*s': %s", nl, nm,
         pos != end ? "bytes left over before the end marker" : "bad end marker");
    goto out;
  }
  rc = 0;
  goto out;
truncated:
  fail(err, errlen, "state snapshot of '%.*s': a record runs past the end (byte %zu of %zu)",
       nl, nm, pos, n);
out:
  if (objs != local) free(objs);
  return rc;
}
