/*
** runtime/lookup.c: the tables of lookup joins (`JOIN t FOR SYSTEM_TIME AS OF ...`).
**
** rt->lookup_table(ctx, slot, table, key) reads the bounded table `table` (a single_file
** source: its `path`, its format options and row schema from the pipeline's descriptor) whole,
** the first time a subtask asks for `slot`, and indexes it by the key bytes the generated
** key() function gives for each row (rows with a NULL key are kept out of the index: they can
** never match). The handle stays on the subtask's RtCtx until the context is freed, so every
** subtask holds its own copy (broadcast: the stream side is never shuffled for it), read once
** at start: later changes of the file are not seen, and the table has one version whatever
** time FOR SYSTEM_TIME AS OF names. rt->lookup_find returns the rows with given key bytes,
** all of them when the key repeats (in file order).
** Memory: the file's bytes (decoded strings point into them, or into the table's arena when
** unescaped), the row array, the key bytes and an open-addressing index of distinct keys.
** It does not checkpoint anything: a restored pipeline reads the file again.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "runtime.h"

typedef struct LookupGroup {
  uint64_t hash;            /* key hash */
  uint64_t key_off;         /* key bytes at keys + key_off */
  uint32_t key_len;
  uint32_t count;           /* rows with this key */
  uint64_t first;           /* their pointers: rows_by_key[first .. first + count) */
} LookupGroup;

typedef struct LookupTable {
  char *text;               /* the whole file (decoded strings may point into it) */
  Arena strings;            /* strings the decoder had to unescape */
  unsigned char *rows;      /* nrows rows of row_size bytes, file order */
  int64_t nrows;
  uint32_t row_size;
  unsigned char *keys;      /* key bytes of every distinct key */
  LookupGroup *groups;      /* distinct keys, in first-seen order */
  int64_t ngroups;
  int64_t *slots;           /* open addressing: group index + 1, 0 = empty; nslots = 2^k */
  uint64_t nslots;
  const void **rows_by_key; /* row pointers grouped by key */
} LookupTable;

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) { fprintf(stderr, "arroyo: out of memory loading a lookup table (%zu bytes)\n", n); abort(); }
  return p;
}

static void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) { fprintf(stderr, "arroyo: out of memory loading a lookup table (%zu bytes)\n", n); abort(); }
  return q;
}

void rt_lookup_free(void *h) {
  LookupTable *t = h;
  if (!t) return;
  free(t->text);
  arena_free(&t->strings);
  free(t->rows);
  free(t->keys);
  free(t->groups);
  free(t->slots);
  free(t->rows_by_key);
  free(t);
}

static int read_whole(const char *path, char **out, size_t *len, char *err, size_t errlen) {
  FILE *f = fopen(path, "rb");
  if (!f) { snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno)); return -1; }
  size_t cap = 1 << 16, n = 0;
  char *b = xmalloc(cap + 1);
  for (;;) {
    if (n == cap) { cap *= 2; b = xrealloc(b, cap + 1); }
    size_t got = fread(b + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  int bad = ferror(f);
  fclose(f);
  if (bad) { free(b); snprintf(err, errlen, "cannot read '%s'", path); return -1; }
  b[n] = 0;
  *out = b;
  *len = n;
  return 0;
}

/* Decode every line of the file into t->rows. */
static int load_rows(RtCtx *ctx, LookupTable *t, const RtConnector *c, const char *path) {
  char err[512];
  size_t len;
  if (read_whole(path, &t->text, &len, err, sizeof err) < 0)
    return rt_error(ctx, NULL, "lookup table '%s': %s", c->table, err);
  Decoder *d = dec_new(c, err, sizeof err);
  if (!d) return rt_error(ctx, NULL, "lookup table '%s': %s", c->table, err);
  const char *bd = conn_opt(c, "bad_data");
  int drop = bd && strcmp(bd, "drop") == 0;
  int64_t cap = 1024, line_no = 0;
  t->rows = xmalloc((size_t)cap * t->row_size);
  unsigned char *two = xmalloc(2 * (size_t)t->row_size);
  const char *p = t->text, *end = t->text + len;
  int rc = 0;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    line_no++;
    size_t n = (size_t)(le - p);
    if (n && p[n - 1] == '\r') n--;
    int k = 0;
    if (n > 0) {
      k = dec_record(d, p, n, two, &t->strings, err, sizeof err);
      if (k < 0 && !drop) {
        rc = rt_error(ctx, NULL, "lookup table '%s' (%s, line %lld): %s", c->table, path,
                      (long long)line_no, err);
        break;
      }
    }
    for (int i = 0; i < k; i++) {
      if (t->nrows == cap) {
        cap *= 2;
        t->rows = xrealloc(t->rows, (size_t)cap * t->row_size);
      }
      memcpy(t->rows + (size_t)t->nrows * t->row_size, two + (size_t)i * t->row_size, t->row_size);
      t->nrows++;
    }
    p = le + 1;
  }
  free(two);
  dec_free(d);
  return rc;
}

static uint64_t round_pow2(uint64_t n) {
  uint64_t p = 16;
  while (p < n) p <<= 1;
  return p;
}

/* Index the rows by key: groups of equal key bytes, each with its rows contiguous. */
static int build_index(RtCtx *ctx, LookupTable *t, RtLookupKeyFn key) {
  t->nslots = round_pow2((uint64_t)t->nrows * 2);
  t->slots = calloc(t->nslots, sizeof *t->slots);
  if (!t->slots) { fprintf(stderr, "arroyo: out of memory indexing a lookup table\n"); abort(); }
  int64_t *group_of = xmalloc(sizeof(int64_t) * (size_t)(t->nrows ? t->nrows : 1));
  int64_t gcap = 64;
  uint64_t kcap = 4096, kused = 0;
  t->groups = xmalloc(sizeof(LookupGroup) * (size_t)gcap);
  t->keys = xmalloc(kcap);
  for (int64_t i = 0; i < t->nrows; i++) {
    const void *kb;
    uint32_t kl;
    uint64_t h;
    int r = key(ctx, t->rows + (size_t)i * t->row_size, &kb, &kl, &h);
    if (r < 0) { free(group_of); return -1; }
    if (r == 1) { group_of[i] = -1; continue; }         /* NULL key: never matches */
    uint64_t s = h & (t->nslots - 1);
    int64_t g = -1;
    while (t->slots[s]) {
      LookupGroup *x = &t->groups[t->slots[s] - 1];
      if (x->hash == h && x->key_len == kl && memcmp(t->keys + x->key_off, kb, kl) == 0) {
        g = t->slots[s] - 1;
        break;
      }
      s = (s + 1) & (t->nslots - 1);
    }
    if (g < 0) {
      if (t->ngroups == gcap) { gcap *= 2; t->groups = xrealloc(t->groups, sizeof(LookupGroup) * (size_t)gcap); }
      while (kused + kl > kcap) { kcap *= 2; t->keys = xrealloc(t->keys, kcap); }
      memcpy(t->keys + kused, kb, kl);
      g = t->ngroups++;
      LookupGroup *x = &t->groups[g];
      x->hash = h;
      x->key_off = kused;
      x->key_len = kl;
      x->count = 0;
      kused += kl;
      t->slots[s] = g + 1;
    }
    t->groups[g].count++;
    group_of[i] = g;
  }
  uint64_t at = 0;
  for (int64_t g = 0; g < t->ngroups; g++) {
    t->groups[g].first = at;
    at += t->groups[g].count;
    t->groups[g].count = 0;                              /* refilled below */
  }
  t->rows_by_key = xmalloc(sizeof(void *) * (size_t)(at ? at : 1));
  for (int64_t i = 0; i < t->nrows; i++) {
    if (group_of[i] < 0) continue;
    LookupGroup *x = &t->groups[group_of[i]];
    t->rows_by_key[x->first + x->count++] = t->rows + (size_t)i * t->row_size;
  }
  free(group_of);
  return 0;
}

const void *rt_lookup_table(RtCtx *ctx, int slot, const RtConnector *table, RtLookupKeyFn key) {
  if (slot >= 0 && slot < ctx->nlookups && ctx->lookups[slot]) return ctx->lookups[slot];
  if (slot < 0 || slot >= 1024) {
    rt_error(ctx, NULL, "lookup table '%s': slot %d out of range", table->table, slot);
    return NULL;
  }
  if (slot >= ctx->nlookups) {
    ctx->lookups = xrealloc(ctx->lookups, sizeof(void *) * (size_t)(slot + 1));
    for (int i = ctx->nlookups; i <= slot; i++) ctx->lookups[i] = NULL;
    ctx->nlookups = slot + 1;
  }
  const char *path = conn_opt(table, "path");
  if (!path) {
    rt_error(ctx, NULL, "lookup table '%s': no 'path' option", table->table);
    return NULL;
  }
  LookupTable *t = calloc(1, sizeof *t);
  if (!t) { fprintf(stderr, "arroyo: out of memory\n"); abort(); }
  arena_init(&t->strings, 64 * 1024);
  t->row_size = table->schema->row_size;
  if (load_rows(ctx, t, table, path) < 0 || build_index(ctx, t, key) < 0) {
    rt_lookup_free(t);
    return NULL;
  }
  ctx->lookups[slot] = t;
  return t;
}

int64_t rt_lookup_find(const void *h, uint64_t hash, const void *kb, uint32_t kl,
                       const void *const **rows) {
  const LookupTable *t = h;
  uint64_t s = hash & (t->nslots - 1);
  while (t->slots[s]) {
    const LookupGroup *x = &t->groups[t->slots[s] - 1];
    if (x->hash == hash && x->key_len == kl && memcmp(t->keys + x->key_off, kb, kl) == 0) {
      *rows = t->rows_by_key + x->first;
      return x->count;
    }
    s = (s + 1) & (t->nslots - 1);
  }
  *rows = NULL;
  return 0;
}
