/*
** runtime/state.c: keyed state tables and their timer queues, one set per subtask.
**
** A StateTable maps (bucket, key bytes) to a value struct of desc->value_size bytes, zeroed on
** creation. Generated code reaches it only through the st_* / timer_* members of RtApi (their
** contracts are in abi.h); those take (ctx, table index) and find the table in ctx->tables.
** The worker and the checkpoint code use the table-level functions declared in the "state
** tables" section of runtime.h: st_new, st_free, st_stats, st_expire, st_visit_all,
** st_visit_range, st_owner_range, timer_visit_range.
**
** For snapshots (runtime/snapshot.c owns the byte format) it also has st_desc, st_access and
** the restore-time calls st_reserve, st_prefetch, st_insert and timer_put, which need no ctx
** (declared in the "snapshots" section of runtime.h).
**
** It does NOT lock (a table belongs to one subtask thread), serialize (snapshot.c does),
** interpret values (the RtObj pointers at desc->obj_offsets are only freed, with rt_obj_free;
** desc->keyref_offsets are only checked and kept for snapshot.c),
** or hash keys: callers pass the key hash, which must depend on the key bytes only, be the same
** for every bucket, and be the hash that routed the row (RtRowHeader.hash, rt_hash_owner), so
** that st_visit_range can split a table by the same hash ranges the shuffle uses.
**
** Layout and invariants
**   entry   one slot: [EntHdr 16][value][EntTrl 8][EntTtl 16, ttl tables only][key bytes].
**           The value is at the fixed offset VOFF (16-aligned because slots are 16-aligned and
**           sized in multiples of 16), so st_touch can find the entry from a value pointer.
**           The key follows the trailer, so no padding separates value, trailer and key.
**   slab    entries live in slabs of equal-size slots; each distinct slot size is a size class
**           (fixed-size keys give exactly one class). A slot is named by a 32-bit handle,
**           slab number << SLAB_SHIFT | slot index, which halves every link and index slot
**           compared with pointers. A class's slabs double from 16 slots up to 2 MiB, and big
**           blocks are huge-page backed (big_alloc). Slabs never move, so value and key
**           pointers stay valid while the entry lives. Freed slots go on their class's free
**           list and are reused; slabs are unmapped only in st_free, except that entries bigger
**           than HUGE_SLOT get a slab of their own, freed with the entry. Memory is therefore
**           the high-water mark of live entries per class, flat for windows that come and go.
**           Limit: 65535 slabs per table (about 128 GiB of entries); st_get then fails.
**   compact a table whose descriptor gives key_hash (abi.h) has entries
**           [EntTtl 16][value][klen 4][key bytes], 8-byte aligned and sized in multiples of 8:
**           no hash (key_hash(key) recomputes it for expiry and snapshots; st_get checks that
**           the caller's hash is that one on a table's first 1024 inserts and every 64th after,
**           a bug in a generated key_hash being systematic, and st_insert on every restored
**           entry), no insertion-order links (its visits
**           walk the ttl list, which every entry of a compact table is on, with or without a
**           ttl: access order, or insertion order when no ttl restamps) and no bucket number
**           (a compact table holds one live bucket; st_get into another is an error). For an
**           updating join's key with one 9-byte row and an 8-byte key that is a 40-byte slot
**           instead of 80. Size classes step by 8 bytes for every table; ordinary tables round
**           to 16.
**   bucket  each bucket (a window or pane start; 0 for updating state) has its own hash index
**           and its own insertion-order list. Buckets sit in an array sorted by id: few are
**           live at a time and new ones usually go at the end. A per-bucket index makes
**           st_drop_bucket one walk over that bucket's entries (free objects and slots) plus
**           one free of its index, with no deletions from a shared index, and lets every window
**           size its own index. Windows close whole (the watermark passes the end of a window
**           for all keys at once), which is why dropping a bucket at a time is the operation
**           to make cheap. The index of the last dropped bucket is kept and reused by the next
**           new bucket, so a tumbling window does not regrow its index from 8 slots each time.
**   index   open addressing, linear probing, load <= 3/4. A slot is 8 bytes: a 32-bit tag (the
**           two halves of the key hash xor-ed) above the entry handle; 0 is empty. The home
**           position is tag & mask. A lookup reads index slots until the tag matches, and only
**           then touches the entry (key length and one memcmp): about two cache misses for a
**           hit in a big table. The low hash bits matter most because routing spends the high
**           ones (in subtask i of N all hashes share their top bits). Deletion shifts later
**           members of the cluster back, so the live index has no tombstones.
**   growth  doubling when an insert would pass 3/4. Indexes under 2^INCR_BITS slots are
**           rehashed at once. Bigger ones migrate incrementally: the old array stays readable,
**           every st_get on the bucket moves MIGRATE_STEP old slots, lookups probe the new array
**           and then the old one (skipping old positions below `migrate`, which were copied),
**           and removing an entry that is still only in the old array leaves a tombstone there.
**           Rehashing reads only index slots, never entries: the tag holds every position bit.
**   order   visit order within a bucket is insertion order: a doubly linked list of handles,
**           new entries appended at the tail, entries never moved. It is deterministic for the
**           same input, which keeps output order reproducible.
**   touched an array of entry pointers in first-touch order plus a flag bit in the entry. An
**           entry removed while flagged stays allocated as a "zombie" (objects already freed,
**           not in any index or list) until st_visit_touched reaches it and frees the slot, so
**           the array never points at a reused slot.
**   ttl     entries record the event time (ctx->watermark) of their last st_get hit, creation
**           or st_touch, and sit on one doubly linked list per table (handles in EntTtl) in
**           access order: an access that changes the stamp moves the entry to the tail.
**           Stamps are watermarks, which never decrease while a subtask runs, so the list is
**           sorted by stamp and st_expire pops from the head until it meets an entry younger
**           than now - ttl: O(1) per access and per expiry (a heap cost log n per entry). The
**           one exception is a restore (st_insert receives stamps in snapshot order, and the
**           restored watermark may be behind the restored stamps): an append behind a newer
**           tail marks the list unsorted, and the next st_expire sorts it once by stamp
**           (stable). Entries stamped INT64_MIN (created before the first watermark) are at
**           the head; st_expire restamps them with `now` and moves them to the tail, so their
**           idle time counts from the first watermark.
**   log     st_append links an entry into its bucket's list without indexing it (an interval
**           join's dense side: rows are only ever scanned in order, never looked up by key).
**           st_get, st_remove and st_expire do not see such entries (so st_append refuses ttl
**           tables); visits, bucket drops and snapshots do. A restore inserts them with
**           st_insert, indexed, which is why their keys must be unique too. A bucket's count
**           includes them, so its index may be sized larger than its indexed entries need.
**   timers  a binary heap of (time, seq, key hash, key copy) per table; seq makes equal times
**           fire in insertion order. Keys up to 16 bytes are stored in the heap item.
*/
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "runtime.h"

#define VOFF 16u                                  /* value offset within an entry */
#define SLAB_SHIFT 16                             /* slot index bits in a handle */
#define SLAB_SLOTS (1u << SLAB_SHIFT)             /* most slots in one slab */
#define SLAB_LIMIT ((1u << (32 - SLAB_SHIFT)) - 1) /* slab numbers are 1 .. SLAB_LIMIT - 1 */
#define SLAB_BYTES (2u << 20)                     /* a full-grown slab: one 2 MiB huge page */
#ifdef __SANITIZE_ADDRESS__
#define BIG_BYTES ((size_t)1 << 62)               /* ASan checks malloc'd blocks, not mmap'd */
#else
#define BIG_BYTES ((size_t)(2u << 20) - 4096)     /* full slabs and big indexes: mmap'd */
#endif
#define HUGE_PAGE (2u << 20)
#define SLAB_FIRST 16u                            /* slots in a class's first slab */
#define HUGE_SLOT 4096u                           /* bigger entries get a slab of their own */
#define NCLASS (HUGE_SLOT / 8)                    /* size classes: 8, 16, ... HUGE_SLOT */
#define NIL 0u                                    /* no entry (slab 0 is never used) */
#define TOMB 0xFFFFFFFFu                          /* removed from an old (migrating) index */
#define KLEN_MASK 0x3FFFFFFFu                     /* key length bits of EntTrl.klen */
#define F_TOUCHED 0x80000000u                     /* in the touched array */
#define F_DEAD 0x40000000u                        /* not in the table: zombie or free slot */
#define MIN_BITS 3                                /* a new index has 8 slots */
#define MAX_BITS 31                               /* largest index: 2^31 slots */
#define INCR_BITS 12                              /* indexes this big migrate incrementally */
#define MIGRATE_STEP 16                           /* old slots moved per st_get */
#define TAG_MASK 0xFFFFFFFF00000000ull
#define PREFETCH_BITS 14                          /* st_prefetch: indexes from 128 KiB */

/* ---- entries ------------------------------------------------------------------------ */

typedef struct EntHdr {
  uint64_t hash;       /* key hash as given by the caller (free slot: next free handle) */
  uint32_t next;       /* next entry of the bucket, insertion order (zombie: own handle) */
  uint32_t prev;       /* previous entry of the bucket */
} EntHdr;

typedef struct EntTrl {
  uint32_t klen;       /* key length (KLEN_MASK bits) | F_TOUCHED | F_DEAD */
  uint32_t bno;        /* the bucket's number in StateTable.bpool (absent in compact tables) */
} EntTrl;
#define TRL_COMPACT 4u /* a compact entry's trailer: klen only */

typedef struct EntTtl {
  int64_t access;      /* watermark at the last hit / touch / creation (INT64_MIN: before any) */
  uint32_t prev;       /* ttl list: previous (older) entry, NIL at the head */
  uint32_t next;       /* ttl list: next (newer) entry, NIL at the tail */
} EntTtl;

/* ---- tables ------------------------------------------------------------------------- */

typedef struct Slab {
  char *base;          /* cap slots of slot_size bytes; NULL once a huge slab is freed */
  uint32_t slot_size;  /* bytes per slot, a multiple of 8 (16 in ordinary tables) */
  uint32_t cap;        /* slots (1: a huge slab, one entry of its own) */
} Slab;

typedef struct SizeClass {
  uint32_t free_head;  /* first free slot, NIL if none; the link is in the slot's first 4 bytes */
  uint32_t bump_slab;  /* newest slab of the class (0: none yet) */
  uint32_t bump_next;  /* its first never-used slot */
  uint32_t next_cap;   /* slots for the class's next slab */
} SizeClass;

typedef struct Bucket {
  int64_t id;          /* bucket value (window/pane start, or 0) */
  uint32_t bno;        /* index in StateTable.bpool, recorded in each entry */
  uint32_t count;      /* live entries */
  uint32_t head;       /* first entry in insertion order, NIL when empty */
  uint32_t tail;       /* last entry */
  uint64_t *slots;     /* the index: 1 << bits slots of (tag << 32 | handle) */
  uint32_t bits;       /* log2 of the index size */
  uint32_t old_bits;   /* log2 of the old array's size */
  uint64_t *old;       /* previous index still being migrated, or NULL */
  uint32_t migrate;    /* old slots [0, migrate) are already copied into slots */
  uint32_t pad_;
} Bucket;

typedef struct Timer {
  int64_t time;        /* fires once the watermark reaches it */
  uint64_t seq;        /* insertion number: equal times fire in insertion order */
  uint64_t hash;       /* key hash (for range extraction) */
  uint32_t keylen;     /* key bytes */
  uint32_t pad_;
  union {
    char inl[16];      /* keylen <= 16 */
    char *ptr;         /* keylen > 16: malloc'd copy */
  } k;
} Timer;

struct StateTable {
  char *name;              /* copy of desc->name */
  uint32_t value_size;     /* bytes of the value struct */
  uint32_t nobjs;          /* RtObj pointers in the value */
  uint32_t *obj_offsets;   /* their offsets (copy) */
  int64_t ttl;             /* > 0: expire entries idle for this long (event time) */
  uint32_t nkeyrefs;       /* RtStr fields of the value that point into the entry's key */
  uint32_t *keyref_offsets;/* their offsets (copy) */
  RtStateDesc desc;        /* the descriptor as st_new copied it (points at the fields above) */
  uint32_t toff;           /* trailer offset in an entry */
  uint32_t yoff;           /* EntTtl offset in an entry (listed tables) */
  uint32_t koff;           /* key offset in an entry */
  uint32_t align;          /* slot sizes are multiples of this: 16, compact 8 */
  int listed;              /* entries are on the ttl list: ttl tables and compact ones */
  uint64_t (*key_hash)(const void *key, uint32_t keylen);   /* compact tables (see header) */

  Slab *slabs;             /* slab directory; [0] unused so that handle 0 is NIL */
  uint32_t nslabs;         /* slab numbers in use (including 0) */
  uint32_t slabs_cap;      /* allocated directory entries */
  uint32_t *free_slabs;    /* numbers of freed huge slabs, reused first */
  uint32_t nfree_slabs;
  uint32_t free_slabs_cap;
  SizeClass *classes;      /* NCLASS size classes, by slot size / 8 - 1 */

  Bucket **sorted;         /* live buckets by ascending id */
  uint32_t nbuckets;
  uint32_t sorted_cap;
  Bucket **bpool;          /* buckets by number (NULL: number free) */
  uint32_t npool;          /* numbers handed out so far */
  uint32_t pool_cap;
  Bucket *cur;             /* bucket of the last st_get (most rows hit the current window) */
  uint64_t *spare;         /* index array of the last dropped bucket, for the next new one */
  uint32_t spare_bits;

  char **touched;          /* touched entries in first-touch order */
  size_t ntouched;
  size_t touched_cap;

  uint32_t ttl_head;       /* ttl list (access order): oldest entry, NIL when empty */
  uint32_t ttl_tail;       /* newest entry */
  int ttl_unsorted;        /* an append went behind a newer stamp (restore): sort first */
  uint32_t inserts;        /* st_get inserts so far (compact tables sample their hash check) */

  Timer *timers;           /* timer min-heap by (time, seq) */
  size_t ntimers;
  size_t timers_cap;
  uint64_t timer_seq;      /* next Timer.seq */

  int64_t entries;         /* live entries */
  int64_t expired;         /* entries expired by ttl */
  int64_t bytes;           /* heap bytes held (see StStats) */
};

/* ---- memory ------------------------------------------------------------------------- */

/* STYLE: worker OOM aborts loudly (the job recovers from its last checkpoint). */
static void oom(size_t n) {
  fprintf(stderr, "arroyo: out of memory in a state table (%zu bytes)\n", n);
  abort();
}

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) oom(n);
  return p;
}

static void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size);
  if (!p) oom(n * size);
  return p;
}

/* Slabs and index arrays. Blocks of BIG_BYTES or more (full-grown slabs, indexes from 2 MiB)
** are mapped 2 MiB-aligned and rounded up to 2 MiB; fresh mappings read as zeros, so nothing
** is memset. Slabs (huge = 1) are marked MADV_HUGEPAGE: they are read at random, and with
** 4 KiB pages nearly every lookup would also miss the TLB; they fill sequentially, so their
** page faults come one at a time. Index arrays are MADV_NOHUGEPAGE: inserts after a doubling
** write the new array at random, and with 2 MiB pages its whole zeroing (128 MiB at 10M keys)
** would land on the next few hundred inserts; 4 KiB faults spread it out. (THP runs in madvise
** mode on these machines; without THP the advice is ignored.) Smaller blocks are 64-byte
** aligned so that 64-byte entries do not straddle cache lines. big_size() is what a block
** really holds. */
static size_t big_size(size_t n) {
  return n >= BIG_BYTES ? (n + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1) : n;
}

static void *big_alloc(size_t n, int zero, int huge) {
  void *p;
  if (n >= BIG_BYTES) {
    size_t sz = big_size(n);
    char *m = mmap(NULL, sz + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
    if (m == MAP_FAILED) oom(sz);
    char *a = (char *)(((uintptr_t)m + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
    if (a > m) munmap(m, (size_t)(a - m));
    if (a + sz < m + sz + HUGE_PAGE) munmap(a + sz, (size_t)(m + sz + HUGE_PAGE - (a + sz)));
    madvise(a, sz, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
    return a;
  }
  if (posix_memalign(&p, 64, n ? n : 1)) oom(n);
  if (zero) memset(p, 0, n);
  return p;
}

static void big_free(void *p, size_t n) {
  if (!p) return;
  if (n >= BIG_BYTES) munmap(p, big_size(n)); else free(p);
}

/* Grow *arr (elements of `size` bytes, capacity *cap) to hold at least `need`; counts bytes. */
static void *grow_array(StateTable *t, void *arr, size_t *cap, size_t need, size_t size) {
  if (need <= *cap) return arr;
  size_t ncap = *cap ? *cap * 2 : 16;
  while (ncap < need) ncap *= 2;
  void *p = realloc(arr, ncap * size);
  if (!p) oom(ncap * size);
  t->bytes += (int64_t)((ncap - *cap) * size);
  *cap = ncap;
  return p;
}

/* The same for arrays with a uint32_t capacity. */
static void *grow_array32(StateTable *t, void *arr, uint32_t *cap, uint32_t need, size_t size) {
  size_t c = *cap;
  arr = grow_array(t, arr, &c, need, size);
  *cap = (uint32_t)c;
  return arr;
}

/* ---- entries and slabs -------------------------------------------------------------- */

static inline char *ent(const StateTable *t, uint32_t h) {
  const Slab *s = &t->slabs[h >> SLAB_SHIFT];
  return s->base + (size_t)(h & (SLAB_SLOTS - 1)) * s->slot_size;
}
static inline EntHdr *hdr(char *e) { return (EntHdr *)e; }
static inline EntTrl *trl(const StateTable *t, char *e) { return (EntTrl *)(e + t->toff); }
static inline EntTtl *ttlf(const StateTable *t, char *e) { return (EntTtl *)(e + t->yoff); }
static inline char *kptr(const StateTable *t, char *e) { return e + t->koff; }
static inline uint32_t klen_of(const StateTable *t, char *e) { return trl(t, e)->klen & KLEN_MASK; }

/* The key hash of a live entry: stored, or recomputed from the key in compact tables. */
static inline uint64_t ent_hash(const StateTable *t, char *e) {
  return t->key_hash ? t->key_hash(kptr(t, e), klen_of(t, e)) : hdr(e)->hash;
}

/* Bucket walks: the bucket's insertion-order list, or in a compact table (one bucket) the
** ttl list. ent_next is read before the entry may be released. */
static inline uint32_t ent_first(const StateTable *t, const Bucket *b) {
  return t->key_hash ? t->ttl_head : b->head;
}
static inline uint32_t ent_next(const StateTable *t, char *e) {
  return t->key_hash ? ((EntTtl *)(e + t->yoff))->next : hdr(e)->next;
}

/* ---- ttl list (see "ttl" in the header) ---------------------------------------------- */

/* Append entry h (not on the list) at the tail. */
static inline void ttl_append(StateTable *t, uint32_t h, char *e) {
  EntTtl *y = ttlf(t, e);
  y->next = NIL;
  y->prev = t->ttl_tail;
  if (t->ttl_tail != NIL) {
    EntTtl *z = ttlf(t, ent(t, t->ttl_tail));
    z->next = h;
    if (z->access > y->access) t->ttl_unsorted = 1;
  } else {
    t->ttl_head = h;
  }
  t->ttl_tail = h;
}

static inline void ttl_unlink(StateTable *t, char *e) {
  EntTtl *y = ttlf(t, e);
  if (y->prev != NIL) ttlf(t, ent(t, y->prev))->next = y->next; else t->ttl_head = y->next;
  if (y->next != NIL) ttlf(t, ent(t, y->next))->prev = y->prev; else t->ttl_tail = y->prev;
}

/* An access at `now` to entry h: restamp it and move it to the tail if the stamp changed. */
static inline void ttl_access(StateTable *t, uint32_t h, char *e, int64_t now) {
  EntTtl *y = ttlf(t, e);
  if (y->access == now) return;
  if (now < y->access) t->ttl_unsorted = 1;   /* a watermark behind the stamp: restored state */
  y->access = now;
  if (t->ttl_tail == h) return;
  ttl_unlink(t, e);
  ttl_append(t, h, e);
}

/* The handle of a listed entry, from its neighbours (entries do not store their own). */
static uint32_t ttl_handle(const StateTable *t, char *e) {
  EntTtl *y = ttlf(t, e);
  if (y->prev != NIL) return ttlf(t, ent(t, y->prev))->next;
  if (y->next != NIL) return ttlf(t, ent(t, y->next))->prev;
  return t->ttl_head;
}

typedef struct TtlSortItem { int64_t access; uint32_t h; uint32_t pos; } TtlSortItem;

static int ttl_sort_cmp(const void *a, const void *b) {
  const TtlSortItem *x = a, *y = b;
  if (x->access != y->access) return x->access < y->access ? -1 : 1;
  return x->pos < y->pos ? -1 : x->pos > y->pos;   /* stable: list order among equal stamps */
}

/* Relink the list in stamp order (after a restore). */
static void ttl_sort(StateTable *t) {
  t->ttl_unsorted = 0;
  size_t n = 0;
  for (uint32_t h = t->ttl_head; h != NIL; h = ttlf(t, ent(t, h))->next) n++;
  if (n < 2) return;
  TtlSortItem *v = xmalloc(n * sizeof *v);
  size_t i = 0;
  for (uint32_t h = t->ttl_head; h != NIL; h = ttlf(t, ent(t, h))->next, i++)
    v[i] = (TtlSortItem){ ttlf(t, ent(t, h))->access, h, (uint32_t)i };
  qsort(v, n, sizeof *v, ttl_sort_cmp);
  for (i = 0; i < n; i++) {
    EntTtl *y = ttlf(t, ent(t, v[i].h));
    y->prev = i ? v[i - 1].h : NIL;
    y->next = i + 1 < n ? v[i + 1].h : NIL;
  }
  t->ttl_head = v[0].h;
  t->ttl_tail = v[n - 1].h;
  free(v);
}

/* A new slab. Numbers of freed huge slabs are reused only for huge slabs. */
static uint32_t slab_new(StateTable *t, uint32_t slot_size, uint32_t cap) {
  uint32_t sno;
  if (cap == 1 && t->nfree_slabs) {
    sno = t->free_slabs[--t->nfree_slabs];
  } else {
    if (t->nslabs >= SLAB_LIMIT) return 0;  /* st_get reports it */
    t->slabs = grow_array32(t, t->slabs, &t->slabs_cap, t->nslabs + 1, sizeof(Slab));
    sno = t->nslabs++;
  }
  size_t bytes = (size_t)cap * slot_size;
  Slab *s = &t->slabs[sno];
  s->base = big_alloc(bytes, 0, 1);
  s->slot_size = slot_size;
  s->cap = cap;
  t->bytes += (int64_t)big_size(bytes);
  return sno;
}

/* A slot of `size` bytes (a multiple of 8): reuse a free one, else carve from the class's
** newest slab, else start a slab twice the size of the previous one (up to SLAB_BYTES).
** NIL when the table ran out of slab numbers. */
static uint32_t slot_alloc(StateTable *t, uint32_t size) {
  if (size > HUGE_SLOT) return slab_new(t, size, 1) << SLAB_SHIFT;
  SizeClass *c = &t->classes[size / 8 - 1];
  if (c->free_head != NIL) {
    uint32_t h = c->free_head;
    memcpy(&c->free_head, ent(t, h), sizeof(uint32_t));
    return h;
  }
  if (c->bump_slab == 0 || c->bump_next == t->slabs[c->bump_slab].cap) {
    uint32_t max = SLAB_BYTES / size;
    if (max > SLAB_SLOTS) max = SLAB_SLOTS;
    uint32_t cap = c->next_cap ? c->next_cap : SLAB_FIRST;
    if (cap > max) cap = max;
    uint32_t sno = slab_new(t, size, cap);
    if (!sno) return NIL;
    c->bump_slab = sno;
    c->bump_next = 0;
    c->next_cap = cap * 2 > max ? max : cap * 2;
  }
  return c->bump_slab << SLAB_SHIFT | c->bump_next++;
}

static void slot_free(StateTable *t, uint32_t h) {
  Slab *s = &t->slabs[h >> SLAB_SHIFT];
  if (s->cap == 1) {
    t->bytes -= (int64_t)big_size(s->slot_size);
    big_free(s->base, s->slot_size);
    s->base = NULL;
    t->free_slabs = grow_array32(t, t->free_slabs, &t->free_slabs_cap, t->nfree_slabs + 1,
                                 sizeof(uint32_t));
    t->free_slabs[t->nfree_slabs++] = h >> SLAB_SHIFT;
    return;
  }
  char *e = ent(t, h);
  SizeClass *c = &t->classes[s->slot_size / 8 - 1];
  trl(t, e)->klen = F_DEAD;
  memcpy(e, &c->free_head, sizeof(uint32_t));
  c->free_head = h;
}

static void objs_free(const StateTable *t, char *e) {
  for (uint32_t i = 0; i < t->nobjs; i++) {
    void *o;
    memcpy(&o, e + VOFF + t->obj_offsets[i], sizeof o);
    if (o) {
      rt_obj_free(o);
      o = NULL;
      memcpy(e + VOFF + t->obj_offsets[i], &o, sizeof o);
    }
  }
}

/* An entry that is in no index and no list any more: free its objects, then its slot; or,
** while the touched array still points at it, keep it as a zombie that st_visit_touched frees
** (its `next` then holds its own handle). */
static void ent_release(StateTable *t, uint32_t h, char *e) {
  objs_free(t, e);
  if (t->listed) ttl_unlink(t, e);
  EntTrl *r = trl(t, e);
  if (r->klen & F_TOUCHED) {
    r->klen = F_TOUCHED | F_DEAD;
    if (t->key_hash) ttlf(t, e)->next = h; else hdr(e)->next = h;
  } else {
    slot_free(t, h);
  }
}

static void list_unlink(StateTable *t, Bucket *b, char *e) {
  b->count--;
  t->entries--;
  if (t->key_hash) return;                 /* compact: the ttl list is the only list */
  EntHdr *x = hdr(e);
  if (x->prev != NIL) hdr(ent(t, x->prev))->next = x->next; else b->head = x->next;
  if (x->next != NIL) hdr(ent(t, x->next))->prev = x->prev; else b->tail = x->prev;
}

/* ---- index -------------------------------------------------------------------------- */

typedef struct IdxPos {
  uint64_t *arr;       /* the array holding the entry's slot */
  uint32_t p;          /* slot position */
  int old;             /* arr is the old (migrating) array */
} IdxPos;

/* The index tag: both halves of the hash folded, so the position bits see the high half too
** (routing spends the high bits; a weak caller hash may have entropy only there). */
static inline uint32_t tag_of(uint64_t hash) { return (uint32_t)hash ^ (uint32_t)(hash >> 32); }

/* n bytes equal. Keys up to 16 bytes (most GROUP BY keys) are compared with two overlapping
** loads per side, inline, never reading outside [0, n); longer ones go to memcmp. */
static inline int bytes_eq(const char *a, const char *b, uint32_t n) {
  if (n >= 8 && n <= 16) {
    uint64_t x0, y0, x1, y1;
    memcpy(&x0, a, 8); memcpy(&y0, b, 8);
    memcpy(&x1, a + n - 8, 8); memcpy(&y1, b + n - 8, 8);
    return ((x0 ^ y0) | (x1 ^ y1)) == 0;
  }
  if (n >= 4 && n < 8) {
    uint32_t x0, y0, x1, y1;
    memcpy(&x0, a, 4); memcpy(&y0, b, 4);
    memcpy(&x1, a + n - 4, 4); memcpy(&y1, b + n - 4, 4);
    return ((x0 ^ y0) | (x1 ^ y1)) == 0;
  }
  if (n < 4) return n == 0 || (a[0] == b[0] && a[n >> 1] == b[n >> 1] && a[n - 1] == b[n - 1]);
  return memcmp(a, b, n) == 0;
}

static inline int key_eq(const StateTable *t, char *e, const void *key, uint32_t keylen) {
  return klen_of(t, e) == keylen && bytes_eq(kptr(t, e), key, keylen);
}

/* Find key in bucket b: its handle (NIL if absent) and, if at != NULL, its index slot. */
static inline uint32_t idx_find(const StateTable *t, const Bucket *b, uint64_t hash,
                                const void *key, uint32_t keylen, IdxPos *at) {
  uint32_t tag = tag_of(hash);
  uint32_t mask = (uint32_t)(((uint64_t)1 << b->bits) - 1), p = tag & mask;
  uint64_t s;
  while ((s = b->slots[p]) != 0) {
    if ((uint32_t)(s >> 32) == tag && key_eq(t, ent(t, (uint32_t)s), key, keylen)) {
      if (at) { at->arr = b->slots; at->p = p; at->old = 0; }
      return (uint32_t)s;
    }
    p = (p + 1) & mask;
  }
  if (b->old) {
    /* Positions below `migrate` were copied: a live entry there is also in the new array
    ** (and was not found), a removed one would be a stale handle. Skip them unread. */
    mask = (uint32_t)(((uint64_t)1 << b->old_bits) - 1);
    p = tag & mask;
    while ((s = b->old[p]) != 0) {
      uint32_t h = (uint32_t)s;
      if (p >= b->migrate && h != TOMB && (uint32_t)(s >> 32) == tag &&
          key_eq(t, ent(t, h), key, keylen)) {
        if (at) { at->arr = b->old; at->p = p; at->old = 1; }
        return h;
      }
      p = (p + 1) & mask;
    }
  }
  return NIL;
}

/* Index arrays: 1 << bits zeroed slots. */
static uint64_t *idx_array(StateTable *t, uint32_t bits) {
  size_t n = sizeof(uint64_t) << bits;
  t->bytes += (int64_t)big_size(n);
  return big_alloc(n, 1, 0);
}

static void idx_array_free(StateTable *t, uint64_t *a, uint32_t bits) {
  if (!a) return;
  size_t n = sizeof(uint64_t) << bits;
  t->bytes -= (int64_t)big_size(n);
  big_free(a, n);
}

/* Put slot value s (known absent) into an array of 1 << bits slots. */
static inline void idx_put(uint64_t *slots, uint32_t bits, uint64_t s) {
  uint32_t mask = (uint32_t)(((uint64_t)1 << bits) - 1), p = (uint32_t)(s >> 32) & mask;
  while (slots[p]) p = (p + 1) & mask;
  slots[p] = s;
}

/* Remove the slot at `at`. In the live array, shift later members of the cluster back into
** the hole (each moves only if its home is not in the cyclic range (hole, its position]), so
** every entry stays reachable from its home without tombstones. In the old array, which is
** only read and drained, leave a tombstone that keeps probe chains intact. */
static void idx_remove(Bucket *b, const IdxPos *at) {
  if (at->old) {
    at->arr[at->p] = (at->arr[at->p] & TAG_MASK) | TOMB;
    return;
  }
  uint64_t *slots = b->slots;
  uint32_t mask = (uint32_t)(((uint64_t)1 << b->bits) - 1), hole = at->p, q = hole;
  for (;;) {
    q = (q + 1) & mask;
    uint64_t s = slots[q];
    if (!s) break;
    uint32_t home = (uint32_t)(s >> 32) & mask;
    if (((q - home) & mask) >= ((q - hole) & mask)) {
      slots[hole] = s;
      hole = q;
    }
  }
  slots[hole] = 0;
}

static void idx_migrate(StateTable *t, Bucket *b, uint32_t n) {
  uint32_t cap = 1u << b->old_bits;
  while (n-- > 0 && b->migrate < cap) {
    uint64_t s = b->old[b->migrate++];
    if (s && (uint32_t)s != TOMB) idx_put(b->slots, b->bits, s);
  }
  if (b->migrate == cap) {
    idx_array_free(t, b->old, b->old_bits);
    b->old = NULL;
  }
}

/* Double b's index (before an insert would pass load 3/4). */
static void idx_grow(StateTable *t, Bucket *b) {
  if (b->old) idx_migrate(t, b, UINT32_MAX);
  if (b->bits >= MAX_BITS) {
    fprintf(stderr, "arroyo: state table %s: bucket %lld has too many entries\n", t->name,
            (long long)b->id);
    abort();
  }
  uint32_t nbits = b->bits + 1;
  uint64_t *ns = idx_array(t, nbits);
  if (b->bits < INCR_BITS) {
    uint32_t cap = 1u << b->bits;
    for (uint32_t p = 0; p < cap; p++)
      if (b->slots[p]) idx_put(ns, nbits, b->slots[p]);
    idx_array_free(t, b->slots, b->bits);
  } else {
    b->old = b->slots;
    b->old_bits = b->bits;
    b->migrate = 0;
  }
  b->slots = ns;
  b->bits = nbits;
}

/* ---- buckets ------------------------------------------------------------------------ */

/* Binary search: the bucket with `id`, or NULL with *at = where it would be inserted. */
static Bucket *bucket_find(const StateTable *t, int64_t id, uint32_t *at) {
  uint32_t lo = 0, hi = t->nbuckets;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    int64_t m = t->sorted[mid]->id;
    if (m == id) return t->sorted[mid];
    if (m < id) lo = mid + 1; else hi = mid;
  }
  if (at) *at = lo;
  return NULL;
}

static Bucket *bucket_new(StateTable *t, int64_t id, uint32_t at) {
  Bucket *b = xcalloc(1, sizeof *b);
  t->bytes += (int64_t)sizeof *b;
  b->id = id;
  if (t->spare) {
    b->slots = t->spare;
    b->bits = t->spare_bits;
    memset(b->slots, 0, sizeof(uint64_t) << b->bits);
    t->spare = NULL;
  } else {
    b->bits = MIN_BITS;
    b->slots = idx_array(t, MIN_BITS);
  }
  /* a number for the entries to record: the first free one (few buckets are live) */
  uint32_t bno = 0;
  while (bno < t->npool && t->bpool[bno]) bno++;
  if (bno == t->npool) {
    t->bpool = grow_array32(t, t->bpool, &t->pool_cap, t->npool + 1, sizeof(Bucket *));
    t->npool++;
  }
  t->bpool[bno] = b;
  b->bno = bno;
  t->sorted = grow_array32(t, t->sorted, &t->sorted_cap, t->nbuckets + 1, sizeof(Bucket *));
  memmove(t->sorted + at + 1, t->sorted + at, (t->nbuckets - at) * sizeof(Bucket *));
  t->sorted[at] = b;
  t->nbuckets++;
  return b;
}

/* Free bucket b, whose entries are already gone. Its index becomes the spare. */
static void bucket_free(StateTable *t, Bucket *b) {
  uint32_t at = 0;
  while (t->sorted[at] != b) at++;
  memmove(t->sorted + at, t->sorted + at + 1, (t->nbuckets - at - 1) * sizeof(Bucket *));
  t->nbuckets--;
  t->bpool[b->bno] = NULL;
  if (t->cur == b) t->cur = NULL;
  idx_array_free(t, b->old, b->old_bits);
  idx_array_free(t, t->spare, t->spare_bits);
  t->spare = b->slots;
  t->spare_bits = b->bits;
  free(b);
  t->bytes -= (int64_t)sizeof *b;
}

/* The bucket of a live entry. */
static inline Bucket *ent_bucket(const StateTable *t, char *e) {
  return t->key_hash ? t->sorted[0] : t->bpool[trl(t, e)->bno];
}

/* A compact table may get a new bucket (to be inserted at *at) only when it has none live: an
** emptied one (st_remove leaves it) is freed first. */
static int compact_room(StateTable *t, uint32_t *at) {
  if (t->nbuckets && t->sorted[0]->count == 0) {
    bucket_free(t, t->sorted[0]);
    *at = 0;
  }
  return t->nbuckets == 0;
}

/* Bucket `id` of t, made the current one: found, or created when `create` (in a compact table
** only while it has no other live bucket). NULL when it is absent and not created. */
static Bucket *bucket_use(StateTable *t, int64_t id, int create) {
  Bucket *b = t->cur;
  if (b && b->id == id) return b;
  uint32_t at;
  b = bucket_find(t, id, &at);
  if (!b) {
    if (!create || (t->key_hash && !compact_room(t, &at))) return NULL;
    b = bucket_new(t, id, at);
  }
  t->cur = b;
  return b;
}

/* ---- ttl ------------------------------------------------------------------------------ */

/* now - stamp >= ttl, without overflow (stamp may be INT64_MIN, now INT64_MAX). */
static inline int ttl_due(int64_t stamp, int64_t now, int64_t ttl) {
  return now > stamp && (uint64_t)now - (uint64_t)stamp >= (uint64_t)ttl;
}

/* ---- table lifecycle ------------------------------------------------------------------ */

/* Field [a, a + na) overlaps [b, b + nb). */
static inline int overlaps(uint32_t a, uint32_t na, uint32_t b, uint32_t nb) {
  return (uint64_t)a < (uint64_t)b + nb && (uint64_t)b < (uint64_t)a + na;
}

/* Object and keyref fields must lie inside the value, and a keyref may not overlap an object
** (snapshot.c rewrites both kinds of field, so they must be disjoint). */
StateTable *st_new(const RtStateDesc *desc) {
  if (!desc || desc->value_size > (1u << 30) || (desc->nobjs && !desc->obj_offsets) ||
      (desc->nkeyrefs && !desc->keyref_offsets)) return NULL;
  for (uint32_t i = 0; i < desc->nobjs; i++)
    if ((uint64_t)desc->obj_offsets[i] + sizeof(void *) > desc->value_size) return NULL;
  for (uint32_t i = 0; i < desc->nkeyrefs; i++) {
    if ((uint64_t)desc->keyref_offsets[i] + sizeof(RtStr) > desc->value_size) return NULL;
    for (uint32_t j = 0; j < desc->nobjs; j++)
      if (overlaps(desc->keyref_offsets[i], sizeof(RtStr), desc->obj_offsets[j], sizeof(void *)))
        return NULL;
  }
  StateTable *t = xcalloc(1, sizeof *t);
  const char *name = desc->name ? desc->name : "?";
  size_t nl = strlen(name);
  t->name = xmalloc(nl + 1);
  memcpy(t->name, name, nl + 1);
  t->value_size = desc->value_size;
  t->nobjs = desc->nobjs;
  if (t->nobjs) {
    t->obj_offsets = xmalloc(t->nobjs * sizeof(uint32_t));
    memcpy(t->obj_offsets, desc->obj_offsets, t->nobjs * sizeof(uint32_t));
  }
  t->nkeyrefs = desc->nkeyrefs;
  if (t->nkeyrefs) {
    t->keyref_offsets = xmalloc(t->nkeyrefs * sizeof(uint32_t));
    memcpy(t->keyref_offsets, desc->keyref_offsets, t->nkeyrefs * sizeof(uint32_t));
  }
  t->ttl = desc->ttl_ns > 0 ? desc->ttl_ns : 0;
  t->desc.name = t->name;
  t->desc.value_size = t->value_size;
  t->desc.nobjs = t->nobjs;
  t->desc.obj_offsets = t->obj_offsets;
  t->desc.ttl_ns = t->ttl;
  t->desc.nkeyrefs = t->nkeyrefs;
  t->desc.keyref_offsets = t->keyref_offsets;
  t->key_hash = desc->key_hash;
  t->desc.key_hash = t->key_hash;
  t->listed = t->ttl || t->key_hash;
  if (t->key_hash) {                      /* [EntTtl][value][klen][key], see "compact" */
    t->yoff = 0;
    t->toff = VOFF + ((t->value_size + 3u) & ~3u);
    t->koff = t->toff + TRL_COMPACT;
    t->align = 8;
  } else {                                /* [EntHdr][value][EntTrl][EntTtl if ttl][key] */
    t->toff = VOFF + ((t->value_size + 7u) & ~7u);
    t->yoff = t->toff + (uint32_t)sizeof(EntTrl);
    t->koff = t->yoff + (t->ttl ? (uint32_t)sizeof(EntTtl) : 0);
    t->align = 16;
  }
  t->slabs = grow_array32(t, t->slabs, &t->slabs_cap, 1, sizeof(Slab));
  t->nslabs = 1;                          /* slab 0 stays empty: handle 0 is NIL */
  t->classes = xcalloc(NCLASS, sizeof(SizeClass));
  t->bytes += (int64_t)(sizeof *t + nl + 1 + (t->nobjs + t->nkeyrefs) * sizeof(uint32_t) +
                        NCLASS * sizeof(SizeClass));
  return t;
}

void st_free(StateTable *t) {
  if (!t) return;
  if (t->nobjs) {
    for (uint32_t i = 0; i < t->nbuckets; i++)
      for (uint32_t h = ent_first(t, t->sorted[i]); h != NIL;) {
        char *e = ent(t, h);
        h = ent_next(t, e);
        objs_free(t, e);
      }
  }
  for (uint32_t i = 0; i < t->nbuckets; i++) {
    Bucket *b = t->sorted[i];
    idx_array_free(t, b->slots, b->bits);
    idx_array_free(t, b->old, b->old_bits);
    free(b);
  }
  for (uint32_t s = 1; s < t->nslabs; s++)
    big_free(t->slabs[s].base, (size_t)t->slabs[s].cap * t->slabs[s].slot_size);
  for (size_t i = 0; i < t->ntimers; i++)
    if (t->timers[i].keylen > sizeof t->timers[i].k.inl) free(t->timers[i].k.ptr);
  idx_array_free(t, t->spare, t->spare_bits);
  free(t->slabs);
  free(t->free_slabs);
  free(t->classes);
  free(t->sorted);
  free(t->bpool);
  free(t->touched);
  free(t->timers);
  free(t->obj_offsets);
  free(t->keyref_offsets);
  free(t->name);
  free(t);
}

const char *st_name(const StateTable *t) { return t->name; }

void st_stats(const StateTable *t, StStats *out) {
  out->entries = t->entries;
  out->buckets = t->nbuckets;
  out->bytes = t->bytes;
  out->expired = t->expired;
  out->timers = (int64_t)t->ntimers;
}

/* ---- the RtApi members -------------------------------------------------------------- */

static inline StateTable *table_of(RtCtx *ctx, int table) {
  if (__builtin_expect((unsigned)table < ctx->ntables && ctx->tables[table] != NULL, 1))
    return ctx->tables[table];
  rt_error(ctx, NULL, "state table %d does not exist (this stage has %u)", table, ctx->ntables);
  return NULL;
}

/* A new entry at the tail of b's list, not indexed (st_append; ent_insert indexes it); clock
** stamps it for ttl; key NULL leaves the key bytes to the caller. NULL when the table has no
** slab numbers left (65535 slabs: about 128 GiB, or 65535 entries over HUGE_SLOT bytes). */
static char *ent_link(StateTable *t, Bucket *b, uint64_t hash, const void *key,
                      uint32_t keylen, int64_t clock, uint32_t *handle) {
  uint32_t h = slot_alloc(t, (t->koff + keylen + t->align - 1) & ~(t->align - 1));
  if (h == NIL) return NULL;
  char *e = ent(t, h);
  EntTrl *r = trl(t, e);
  r->klen = keylen;
  if (!t->key_hash) {
    EntHdr *x = hdr(e);
    x->hash = hash;
    x->next = NIL;
    x->prev = b->tail;
    if (b->tail != NIL) hdr(ent(t, b->tail))->next = h; else b->head = h;
    b->tail = h;
    r->bno = b->bno;
  }
  memset(e + VOFF, 0, t->value_size);
  if (t->listed) {
    ttlf(t, e)->access = clock;
    ttl_append(t, h, e);
  }
  if (keylen && key) memcpy(kptr(t, e), key, keylen);
  b->count++;
  t->entries++;
  *handle = h;
  return e;
}

/* A new entry in b (key known absent), indexed. */
static char *ent_insert(StateTable *t, Bucket *b, uint64_t hash, const void *key,
                        uint32_t keylen, int64_t clock) {
  if ((uint64_t)(b->count + 1) * 4 > (uint64_t)3 << b->bits) idx_grow(t, b);
  uint32_t h;
  char *e = ent_link(t, b, hash, key, keylen, clock, &h);
  if (e) idx_put(b->slots, b->bits, (uint64_t)tag_of(hash) << 32 | h);
  return e;
}

/* st_get's and st_append's error when ent_link found no slab number; NULL. */
static void *no_slab_numbers(RtCtx *ctx, const StateTable *t) {
  rt_error(ctx, NULL, "state table %s: out of slab numbers (too much state in one subtask, "
           "or too many entries over %u bytes)", t->name, HUGE_SLOT);
  return NULL;
}

/* Everything st_get's fast path leaves out: another bucket than the last one, an index being
** migrated, and inserts. Kept out of line so the hit path stays short: the fewer instructions a
** lookup takes, the more independent lookups the CPU overlaps while it waits for memory. */
__attribute__((noinline)) static void *get_slow(RtCtx *ctx, StateTable *t, int64_t bucket,
                                                 uint64_t hash, const void *key, uint32_t keylen,
                                                 int create, int *created,
                                                 const void **key_copy) {
  Bucket *b = bucket_use(t, bucket, create);
  if (!b) {
    if (create)   /* the only refusal: a compact table's second bucket */
      rt_error(ctx, NULL, "state table %s: compact, so one bucket at a time (has %lld, asked "
               "for %lld)", t->name, (long long)t->sorted[0]->id, (long long)bucket);
    return NULL;
  }
  if (b->old) idx_migrate(t, b, MIGRATE_STEP);
  uint32_t h = idx_find(t, b, hash, key, keylen, NULL);
  char *e;
  if (h != NIL) {
    e = ent(t, h);
    if (t->ttl) ttl_access(t, h, e, ctx->watermark);
  } else {
    if (!create) return NULL;
    if (keylen > KLEN_MASK) {
      rt_error(ctx, NULL, "state table %s: key of %u bytes is over the 1 GiB limit", t->name,
               keylen);
      return NULL;
    }
    if (t->key_hash && (t->inserts++ < 1024 || (t->inserts & 63) == 0) &&
        t->key_hash(key, keylen) != hash) {
      rt_error(ctx, NULL, "state table %s: the key's hash %016llx is not its key_hash %016llx",
               t->name, (unsigned long long)hash, (unsigned long long)t->key_hash(key, keylen));
      return NULL;
    }
    e = ent_insert(t, b, hash, key, keylen, ctx->watermark);
    if (!e) return no_slab_numbers(ctx, t);
    if (created) *created = 1;
  }
  if (key_copy) *key_copy = kptr(t, e);
  return e + VOFF;
}

void *st_get(RtCtx *ctx, int table, int64_t bucket, uint64_t hash, const void *key,
             uint32_t keylen, int create, int *created, const void **key_copy) {
  if (created) *created = 0;
  StateTable *t = table_of(ctx, table);
  if (!t) return NULL;
  const Bucket *b = t->cur;
  if (__builtin_expect(b && b->id == bucket && !b->old, 1)) {
    /* fast path: idx_find's first loop, inline */
    uint32_t tag = tag_of(hash);
    uint32_t mask = (uint32_t)(((uint64_t)1 << b->bits) - 1), p = tag & mask;
    const uint64_t *slots = b->slots;
    uint64_t s;
    while ((s = slots[p]) != 0) {
      if ((uint32_t)(s >> 32) == tag) {
        char *e = ent(t, (uint32_t)s);
        if (key_eq(t, e, key, keylen)) {
          if (t->ttl) ttl_access(t, (uint32_t)s, e, ctx->watermark);
          if (key_copy) *key_copy = kptr(t, e);
          return e + VOFF;
        }
      }
      p = (p + 1) & mask;
    }
    if (!create) return NULL;
  }
  return get_slow(ctx, t, bucket, hash, key, keylen, create, created, key_copy);
}

/* See "log" in the header. No ttl: st_expire finds an expiring entry through the index. */
void *st_append(RtCtx *ctx, int table, int64_t bucket, uint64_t hash, const void *key,
                uint32_t keylen, void **key_copy) {
  StateTable *t = table_of(ctx, table);
  if (!t) return NULL;
  if (t->ttl || t->key_hash) {
    rt_error(ctx, NULL, "state table %s has a ttl or is compact: entries cannot be appended "
             "unindexed", t->name);
    return NULL;
  }
  if (keylen > KLEN_MASK) {
    rt_error(ctx, NULL, "state table %s: key of %u bytes is over the 1 GiB limit", t->name, keylen);
    return NULL;
  }
  Bucket *b = bucket_use(t, bucket, 1);   /* never NULL: the table is not compact */
  uint32_t h;
  char *e = ent_link(t, b, hash, key, keylen, ctx->watermark, &h);
  if (!e) return no_slab_numbers(ctx, t);
  if (key_copy) *key_copy = kptr(t, e);
  return e + VOFF;
}

/* Only a hint (see abi.h): step 0 prefetches the home index slot of `hash`, step 1 reads that
** slot and, when its tag is the hash's, prefetches the entry it names (header, value and key).
** Nothing for a missing bucket, one being migrated, or an index small enough to stay in the
** cache (under 2^PREFETCH_BITS slots); 0 for the first and the last (see abi.h). */
int st_prefetch_key(RtCtx *ctx, int table, int64_t bucket, uint64_t hash, int step) {
  if ((unsigned)table >= ctx->ntables) return 0;
  const StateTable *t = ctx->tables[table];
  if (!t) return 0;
  const Bucket *b = t->cur;
  if (!b || b->id != bucket) b = bucket_find(t, bucket, NULL);
  if (!b || b->bits < PREFETCH_BITS) return 0;
  if (b->old) return 1;
  uint32_t tag = tag_of(hash);
  const uint64_t *slot = &b->slots[tag & (uint32_t)(((uint64_t)1 << b->bits) - 1)];
  if (step == 0) {
    __builtin_prefetch(slot);
    return 1;
  }
  uint64_t s = *slot;
  if (s && (uint32_t)(s >> 32) == tag) {
    const char *e = ent(t, (uint32_t)s);
    __builtin_prefetch(e);
    __builtin_prefetch(e + t->koff);
  }
  return 1;
}

/* Take entry h (found at `at` in bucket b) out of the table and release it. */
static void ent_remove(StateTable *t, Bucket *b, uint32_t h, const IdxPos *at) {
  char *e = ent(t, h);
  idx_remove(b, at);
  list_unlink(t, b, e);
  ent_release(t, h, e);
}

int st_remove(RtCtx *ctx, int table, int64_t bucket, uint64_t hash, const void *key,
              uint32_t keylen) {
  StateTable *t = table_of(ctx, table);
  if (!t) return RT_ERR;
  Bucket *b = (t->cur && t->cur->id == bucket) ? t->cur : bucket_find(t, bucket, NULL);
  if (!b) return 0;
  IdxPos at;
  uint32_t h = idx_find(t, b, hash, key, keylen, &at);
  if (h == NIL) return 0;
  ent_remove(t, b, h, &at);
  return 1;
}

/* Buckets emptied by st_remove stay until they reach the front here; an empty bucket is not
** observable, so freeing it now changes nothing but memory. */
int64_t st_first_bucket(RtCtx *ctx, int table) {
  StateTable *t = table_of(ctx, table);
  if (!t) return INT64_MAX;
  while (t->nbuckets && t->sorted[0]->count == 0) bucket_free(t, t->sorted[0]);
  return t->nbuckets ? t->sorted[0]->id : INT64_MAX;
}

/* Empty buckets are skipped (not observable), not freed: a caller may hold bucket ids. */
int64_t st_next_bucket(RtCtx *ctx, int table, int64_t after) {
  StateTable *t = table_of(ctx, table);
  if (!t || after == INT64_MAX) return INT64_MAX;
  uint32_t lo = 0, hi = t->nbuckets;
  while (lo < hi) {                        /* first bucket with id > after */
    uint32_t mid = lo + (hi - lo) / 2;
    if (t->sorted[mid]->id <= after) lo = mid + 1; else hi = mid;
  }
  for (; lo < t->nbuckets; lo++)
    if (t->sorted[lo]->count) return t->sorted[lo]->id;
  return INT64_MAX;
}

/* Insertion order (see the header). The next handle is read before fn runs, so fn may remove
** the entry it was given, though abi.h promises callers nothing beyond read/update. */
int st_visit_bucket(RtCtx *ctx, int table, int64_t bucket, RtVisitFn fn, void *arg) {
  StateTable *t = table_of(ctx, table);
  if (!t) return RT_ERR;
  Bucket *b = bucket_find(t, bucket, NULL);
  if (!b) return 0;
  for (uint32_t h = ent_first(t, b); h != NIL;) {
    char *e = ent(t, h);
    h = ent_next(t, e);
    int rc = fn(ctx, arg, bucket, kptr(t, e), klen_of(t, e), e + VOFF);
    if (rc) return rc;
  }
  return 0;
}

/* Returns the number of entries freed (0 when the bucket does not exist). */
int st_drop_bucket(RtCtx *ctx, int table, int64_t bucket) {
  StateTable *t = table_of(ctx, table);
  if (!t) return RT_ERR;
  Bucket *b = bucket_find(t, bucket, NULL);
  if (!b) return 0;
  int64_t n = 0;
  for (uint32_t h = ent_first(t, b); h != NIL; n++) {
    char *e = ent(t, h);
    uint32_t next = ent_next(t, e);
    ent_release(t, h, e);
    h = next;
  }
  t->entries -= b->count;
  bucket_free(t, b);
  return n > INT_MAX ? INT_MAX : (int)n;
}

/* value must come from st_get on this table. Touching refreshes the ttl clock too. */
void st_touch(RtCtx *ctx, int table, void *value) {
  StateTable *t = table_of(ctx, table);
  if (!t) return;
  char *e = (char *)value - VOFF;
  EntTrl *r = trl(t, e);
  if (t->ttl) ttl_access(t, ttl_handle(t, e), e, ctx->watermark);
  if (r->klen & F_TOUCHED) return;
  r->klen |= F_TOUCHED;
  t->touched = grow_array(t, t->touched, &t->touched_cap, t->ntouched + 1, sizeof(char *));
  t->touched[t->ntouched++] = e;
}

/* The list is detached before the walk, so touches made by fn (including of the entry being
** visited, whose mark is cleared before fn runs) are collected for the next call. Entries
** removed after their touch are zombies here: freed, not visited. If fn stops the walk, the
** unvisited rest goes back in front of what fn touched, keeping first-touch order. */
int st_visit_touched(RtCtx *ctx, int table, RtVisitFn fn, void *arg) {
  StateTable *t = table_of(ctx, table);
  if (!t) return RT_ERR;
  char **list = t->touched;
  size_t n = t->ntouched, cap = t->touched_cap;
  t->touched = NULL;
  t->ntouched = t->touched_cap = 0;
  int rc = 0;
  size_t i = 0;
  while (i < n) {
    char *e = list[i++];
    EntTrl *r = trl(t, e);
    r->klen &= ~F_TOUCHED;
    if (r->klen & F_DEAD) {
      slot_free(t, t->key_hash ? ttlf(t, e)->next : hdr(e)->next);
      continue;
    }
    rc = fn(ctx, arg, ent_bucket(t, e)->id, kptr(t, e), r->klen & KLEN_MASK, e + VOFF);
    if (rc) break;
  }
  if (i < n) {
    /* stopped early: list[i..n) keeps its marks and goes first */
    size_t rest = n - i, more = t->ntouched;
    memmove(list, list + i, rest * sizeof(char *));
    list = grow_array(t, list, &cap, rest + more, sizeof(char *));
    if (more) memcpy(list + rest, t->touched, more * sizeof(char *));
    n = rest + more;
  } else {
    n = 0;
    if (t->ntouched) {                     /* fn touched entries: keep its array */
      free(list);
      t->bytes -= (int64_t)(cap * sizeof(char *));
      return rc;
    }
  }
  if (t->touched) {
    free(t->touched);
    t->bytes -= (int64_t)(t->touched_cap * sizeof(char *));
  }
  t->touched = list;                       /* reuse the storage */
  t->ntouched = n;
  t->touched_cap = cap;
  return rc;
}

/* ---- timers --------------------------------------------------------------------------- */

static inline int timer_less(const Timer *a, const Timer *b) {
  return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

void timer_put(StateTable *t, int64_t time, uint64_t hash, const void *key, uint32_t keylen) {
  t->timers = grow_array(t, t->timers, &t->timers_cap, t->ntimers + 1, sizeof(Timer));
  Timer x;
  memset(&x, 0, sizeof x);
  x.time = time;
  x.seq = t->timer_seq++;
  x.hash = hash;
  x.keylen = keylen;
  if (keylen <= sizeof x.k.inl) {
    if (keylen) memcpy(x.k.inl, key, keylen);
  } else {
    x.k.ptr = xmalloc(keylen);
    memcpy(x.k.ptr, key, keylen);
    t->bytes += keylen;
  }
  size_t i = t->ntimers++;
  while (i > 0) {
    size_t p = (i - 1) / 2;
    if (!timer_less(&x, &t->timers[p])) break;
    t->timers[i] = t->timers[p];
    i = p;
  }
  t->timers[i] = x;
}

int timer_add(RtCtx *ctx, int table, int64_t time, uint64_t hash, const void *key,
              uint32_t keylen) {
  StateTable *t = table_of(ctx, table);
  if (!t) return RT_ERR;
  timer_put(t, time, hash, key, keylen);
  return RT_OK;
}

static void timer_pop(StateTable *t) {
  Timer x = t->timers[--t->ntimers];
  size_t n = t->ntimers, i = 0;
  if (!n) return;
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && timer_less(&t->timers[c + 1], &t->timers[c])) c++;
    if (!timer_less(&t->timers[c], &x)) break;
    t->timers[i] = t->timers[c];
    i = c;
  }
  t->timers[i] = x;
}

/* Each timer is copied out and popped before fn runs, so fn may add timers (one due at or
** before `upto` fires in this same call). fn receives bucket = the timer's time and, as value,
** the key's bucket-0 entry if the table has one (session state is kept there), else NULL;
** that lookup neither creates the entry nor counts as an access for ttl. */
int timer_fire(RtCtx *ctx, int table, int64_t upto, RtVisitFn fn, void *arg) {
  StateTable *t = table_of(ctx, table);
  if (!t) return RT_ERR;
  while (t->ntimers && t->timers[0].time <= upto) {
    Timer x = t->timers[0];
    timer_pop(t);
    const char *key = x.keylen <= sizeof x.k.inl ? x.k.inl : x.k.ptr;
    void *value = NULL;
    Bucket *b0 = bucket_find(t, 0, NULL);
    if (b0) {
      uint32_t h = idx_find(t, b0, x.hash, key, x.keylen, NULL);
      if (h != NIL) value = ent(t, h) + VOFF;
    }
    int rc = fn(ctx, arg, x.time, key, x.keylen, value);
    if (x.keylen > sizeof x.k.inl) {
      free(x.k.ptr);
      t->bytes -= x.keylen;
    }
    if (rc) return rc;
  }
  return 0;
}

/* ---- expiry, whole-table visits, hash ranges ------------------------------------------ */

int st_expire(StateTable *t, RtCtx *ctx, int64_t now, RtVisitFn on_expire, void *arg) {
  if (!t->ttl || now == INT64_MIN) return 0;
  if (t->ttl_unsorted) ttl_sort(t);
  while (t->ttl_head != NIL) {
    uint32_t h0 = t->ttl_head;
    char *e = ent(t, h0);
    EntTtl *y = ttlf(t, e);
    if (y->access == INT64_MIN) {          /* untouched since before the first watermark */
      y->access = now;                     /* every other stamp is <= now: still sorted */
      if (t->ttl_tail != h0) { ttl_unlink(t, e); ttl_append(t, h0, e); }
      continue;
    }
    if (!ttl_due(y->access, now, t->ttl)) break;
    Bucket *b = ent_bucket(t, e);
    uint32_t klen = klen_of(t, e);
    IdxPos at;
    uint32_t h = idx_find(t, b, ent_hash(t, e), kptr(t, e), klen, &at);
    if (h != h0) { ttl_unlink(t, e); continue; }   /* cannot happen: a live entry is indexed */
    int rc = on_expire ? on_expire(ctx, arg, b->id, kptr(t, e), klen, e + VOFF) : 0;
    ent_remove(t, b, h, &at);
    t->expired++;
    if (rc) return rc;
  }
  return 0;
}

/* [lo, hi) with hi == 0 standing for 2^64. */
static inline int in_range(uint64_t h, uint64_t lo, uint64_t hi) {
  return h >= lo && (hi == 0 || h < hi);
}

int st_visit_range(StateTable *t, uint64_t lo, uint64_t hi, StEntryFn fn, void *arg) {
  for (uint32_t i = 0; i < t->nbuckets; i++) {
    Bucket *b = t->sorted[i];
    for (uint32_t h = ent_first(t, b); h != NIL;) {
      char *e = ent(t, h);
      h = ent_next(t, e);
      uint64_t hash = ent_hash(t, e);
      if (!in_range(hash, lo, hi)) continue;
      int rc = fn(arg, b->id, hash, kptr(t, e), klen_of(t, e), e + VOFF);
      if (rc) return rc;
    }
  }
  return 0;
}

int st_visit_all(StateTable *t, StEntryFn fn, void *arg) {
  return st_visit_range(t, 0, 0, fn, arg);
}

/* rt_hash_owner(h, n) == i  <=>  (h >> 32) in [ceil(i * 2^32 / n), ceil((i + 1) * 2^32 / n)). */
void st_owner_range(uint32_t i, uint32_t n, uint64_t *lo, uint64_t *hi) {
  if (n == 0 || i >= n) { *lo = *hi = 0; return; }
  uint64_t a = (((uint64_t)i << 32) + n - 1) / n;
  uint64_t b = i + 1 >= n ? ((uint64_t)1 << 32) : ((((uint64_t)(i + 1) << 32) + n - 1) / n);
  *lo = a << 32;
  *hi = b >= ((uint64_t)1 << 32) ? 0 : b << 32;
}

static int timer_order(const void *a, const void *b) {
  const Timer *x = a, *y = b;
  return timer_less(x, y) ? -1 : timer_less(y, x) ? 1 : 0;
}

/* Visits in firing order (time, then insertion), sorting a copy of the heap. */
int timer_visit_range(StateTable *t, uint64_t lo, uint64_t hi, StEntryFn fn, void *arg) {
  size_t n = t->ntimers;
  if (!n) return 0;
  Timer *ord = xmalloc(n * sizeof(Timer));
  memcpy(ord, t->timers, n * sizeof(Timer));
  qsort(ord, n, sizeof(Timer), timer_order);
  int rc = 0;
  for (size_t i = 0; i < n && !rc; i++) {
    const Timer *x = &ord[i];
    if (!in_range(x->hash, lo, hi)) continue;
    rc = fn(arg, x->time, x->hash, x->keylen <= sizeof x->k.inl ? x->k.inl : x->k.ptr,
            x->keylen, NULL);
  }
  free(ord);
  return rc;
}

/* ---- snapshot support (snapshot.c) ---------------------------------------------------- */

const RtStateDesc *st_desc(const StateTable *t) { return &t->desc; }

int64_t st_access(const StateTable *t, const void *value) {
  return t->ttl ? ttlf(t, (char *)value - VOFF)->access : INT64_MIN;
}

/* The bucket with `id`, created if missing; it becomes the current bucket, with its index
** migration (if any) finished: restores insert many keys in a row, so the incremental
** doubling that keeps st_get's pauses short would only add probes of the old array here. */
static Bucket *bucket_for_restore(StateTable *t, int64_t id) {
  Bucket *b = bucket_use(t, id, 1);
  if (!b) return NULL;
  if (b->old) idx_migrate(t, b, UINT32_MAX);
  return b;
}

/* Rehash once into an index big enough for n more entries at load <= 3/4. */
void st_reserve(StateTable *t, int64_t bucket, uint64_t n) {
  Bucket *b = bucket_for_restore(t, bucket);
  if (!b) return;                          /* st_insert reports it */
  uint64_t need = (uint64_t)b->count + n;
  uint32_t bits = b->bits;
  while (bits < MAX_BITS && need * 4 > (uint64_t)3 << bits) bits++;
  if (bits == b->bits) return;
  uint64_t *ns = idx_array(t, bits);
  uint64_t cap = (uint64_t)1 << b->bits;
  for (uint64_t p = 0; p < cap; p++)
    if (b->slots[p]) idx_put(ns, bits, b->slots[p]);
  idx_array_free(t, b->slots, b->bits);
  b->slots = ns;
  b->bits = bits;
}

/* Only a hint: the home slot of `hash` in the current bucket's index, if that is `bucket`. */
void st_prefetch(const StateTable *t, int64_t bucket, uint64_t hash) {
  const Bucket *b = t->cur;
  if (b && b->id == bucket) {
    uint32_t mask = (uint32_t)(((uint64_t)1 << b->bits) - 1);
    __builtin_prefetch(&b->slots[tag_of(hash) & mask]);
  }
}

int st_insert(StateTable *t, int64_t bucket, uint64_t hash, const void *key, uint32_t keylen,
              int64_t access, void **value, const void **key_copy) {
  *value = NULL;
  if (keylen > KLEN_MASK) return -1;
  if (t->key_hash && t->key_hash(key, keylen) != hash) return -1;   /* not this table's key */
  Bucket *b = bucket_for_restore(t, bucket);
  if (!b) return -1;                       /* a compact table's second bucket */
  if (idx_find(t, b, hash, key, keylen, NULL) != NIL) return 1;
  char *e = ent_insert(t, b, hash, key, keylen, access);
  if (!e) return -1;
  if (b->old) idx_migrate(t, b, UINT32_MAX);   /* ent_insert may have started a doubling */
  *value = e + VOFF;
  if (key_copy) *key_copy = kptr(t, e);
  return 0;
}
