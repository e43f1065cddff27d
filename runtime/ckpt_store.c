/*
** runtime/ckpt_store.c: checkpoint storage. Two layers, declared in the "checkpoint storage"
** section of runtime.h (which has the full contracts):
**
**   object store   CkStore: ck_open / ck_put / ck_get / ck_list / ck_delete / ck_close over a
**                  local directory (here) or S3-compatible object storage (s3.c).
**   checkpoints    ckpt_writer_begin / ckpt_add_file / ckpt_commit write one checkpoint;
**                  ckpt_latest / ckpt_open / ckpt_read_file restore one; ckpt_cleanup keeps the
**                  newest N. Plus XXH64 (the file checksum) and the manifest's JSON.
**
** Store layout. Checkpoint E is a "directory" ckpt-<E, zero-padded to 10 digits>/ holding the
** files the worker added (each one zstd frame) and manifest.json, which lists every file with
** its stored size, raw size and XXH64 of the stored bytes, plus the epoch, the state layout
** hash and the worker's opaque metadata (manifest format: runtime.h).
**
** Ordering invariants, which is what makes checkpoints atomic:
**   - ckpt_commit writes the manifest only after every file's put has returned, and a put is
**     atomic (local: temp file + fsync + rename + fsync of the directory; S3: one PUT). So a
**     visible manifest means all its files were durably written once.
**   - Readers trust the manifest only after checking each listed file's size and XXH64, so a
**     file truncated or damaged later is caught, and that checkpoint is skipped with a warning
**     naming the file (ckpt_latest falls back to the previous complete one).
**   - A layout hash mismatch is never skipped: restoring older state of a different layout
**     would be just as wrong, so the search stops with an error.
**   - Cleanup deletes a checkpoint's manifest before its files: a crash mid-cleanup leaves a
**     manifest-less directory (invisible, deleted next time), never a manifest without files.
**   - Objects under ckpt-E/ that no manifest lists (a crashed attempt at E) are ignored by
**     readers; ckpt_writer_begin(E) deletes them and ckpt_cleanup removes them once a newer
**     checkpoint is complete.
**
** Local directory details: temp files live in <root>/.ck-tmp/ (same file system, so rename is
** atomic); names starting with '.' are never listed; temp files older than a day (left by a
** crash) are removed when a store is opened; deleting a file removes its empty parent
** directories up to the root.
**
** Not here: what goes into the files (snapshot.c), when checkpoints are taken and which
** metadata they carry (the worker), encryption, and cross-process locking (one job writes to
** one checkpoint URL).
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>
#include "runtime.h"

#define CKPT_ZSTD_LEVEL 1                    /* zstd level of checkpoint files (1: about half the
                                             ** CPU of 3 for ~10% more bytes; bench/checkpoint) */
#define CKPT_FORMAT "arroyo-c checkpoint 1"  /* manifest "format" */
#define TMP_DIR ".ck-tmp"                    /* local stores: where temp files are written */
#define TMP_MAX_AGE (24 * 3600)              /* local stores: stale temp files, seconds */

/* ---- errors and warnings ----------------------------------------------------------------- */

static __thread char ck_err[1024];

const char *ck_error(void) { return ck_err; }

void ck_set_error(const char *fmt, ...) {
  char tmp[sizeof ck_err];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(tmp, sizeof tmp, fmt, ap);   /* fmt may print the old ck_err: go through tmp */
  va_end(ap);
  memcpy(ck_err, tmp, sizeof tmp);
}

static void default_warn(void *arg, const char *msg) {
  (void)arg;
  fprintf(stderr, "arroyo-worker: warning: %s\n", msg);
}

static void (*warn_fn)(void *, const char *) = default_warn;
static size_t cache_limit = (size_t)256 << 20;  /* verified bytes a reader keeps in memory */

void ckpt_set_cache_limit(size_t bytes) { cache_limit = bytes; }
static void *warn_arg;

void ckpt_set_warn(void (*fn)(void *arg, const char *msg), void *arg) {
  warn_fn = fn ? fn : default_warn;
  warn_arg = fn ? arg : NULL;
}

/* ---- XXH64 (the xxHash 64-bit algorithm, from its specification) --------------------------- */

#define XP1 0x9E3779B185EBCA87ULL
#define XP2 0xC2B2AE3D27D4EB4FULL
#define XP3 0x165667B19E3779F9ULL
#define XP4 0x85EBCA77C2B2AE63ULL
#define XP5 0x27D4EB2F165667C5ULL

static inline uint64_t rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
static inline uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }  /* LE host */
static inline uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline uint64_t xround(uint64_t acc, uint64_t lane) {
  acc += lane * XP2;
  acc = rotl64(acc, 31);
  return acc * XP1;
}
static inline uint64_t xmerge(uint64_t acc, uint64_t v) {
  acc ^= xround(0, v);
  return acc * XP1 + XP4;
}

uint64_t ck_xxh64(const void *data, size_t n, uint64_t seed) {
  const uint8_t *p = data, *end = p + n;
  uint64_t acc;
  if (n >= 32) {
    uint64_t v1 = seed + XP1 + XP2, v2 = seed + XP2, v3 = seed, v4 = seed - XP1;
    const uint8_t *limit = end - 32;
    do {
      v1 = xround(v1, rd64(p)); v2 = xround(v2, rd64(p + 8));
      v3 = xround(v3, rd64(p + 16)); v4 = xround(v4, rd64(p + 24));
      p += 32;
    } while (p <= limit);
    acc = rotl64(v1, 1) + rotl64(v2, 7) + rotl64(v3, 12) + rotl64(v4, 18);
    acc = xmerge(acc, v1); acc = xmerge(acc, v2); acc = xmerge(acc, v3); acc = xmerge(acc, v4);
  } else {
    acc = seed + XP5;
  }
  acc += (uint64_t)n;
  for (; end - p >= 8; p += 8) {
    acc ^= xround(0, rd64(p));
    acc = rotl64(acc, 27) * XP1 + XP4;
  }
  if (end - p >= 4) {
    acc ^= (uint64_t)rd32(p) * XP1;
    acc = rotl64(acc, 23) * XP2 + XP3;
    p += 4;
  }
  for (; p < end; p++) {
    acc ^= *p * XP5;
    acc = rotl64(acc, 11) * XP1;
  }
  acc ^= acc >> 33; acc *= XP2;
  acc ^= acc >> 29; acc *= XP3;
  acc ^= acc >> 32;
  return acc;
}

/* ---- names --------------------------------------------------------------------------------- */

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) { fprintf(stderr, "arroyo: out of memory allocating %zu bytes\n", n); abort(); }
  return p;
}

static char *xstrndup(const char *s, size_t n) {
  char *d = xmalloc(n + 1);
  memcpy(d, s, n);
  d[n] = 0;
  return d;
}

void ck_names_add(CkNames *names, const char *name, size_t len) {
  if (names->n == names->cap) {
    size_t cap = names->cap ? names->cap * 2 : 16;
    char **v = realloc(names->v, cap * sizeof *v);
    if (!v) abort();
    names->v = v;
    names->cap = cap;
  }
  names->v[names->n++] = xstrndup(name, len);
}

void ck_names_free(CkNames *names) {
  for (size_t i = 0; i < names->n; i++) free(names->v[i]);
  free(names->v);
  memset(names, 0, sizeof *names);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Relative, '/'-separated, [A-Za-z0-9._=+,-], no empty segment, none starting with '.'. */
static int valid_name(const char *name) {
  if (!*name) return 0;
  int seg_start = 1;
  for (const char *s = name; *s; s++) {
    char c = *s;
    if (c == '/') {
      if (seg_start) return 0;
      seg_start = 1;
      continue;
    }
    if (seg_start && c == '.') return 0;
    seg_start = 0;
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          c == '.' || c == '_' || c == '=' || c == '+' || c == ',' || c == '-'))
      return 0;
  }
  return !seg_start;
}

/* ---- the store ------------------------------------------------------------------------------ */

struct CkStore {
  char *url;          /* as opened, without trailing '/' (messages) */
  char *root;         /* local: the directory; NULL for S3 */
  S3Client *s3;       /* S3: the client; NULL for local */
};

const char *ck_url(const CkStore *s) { return s->url; }
int ck_is_s3(const CkStore *s) { return s->s3 != NULL; }

void ck_set_list_page(CkStore *s, int max_keys) {
  if (s->s3) s3_set_list_page(s->s3, max_keys);
}

static int bad_name(CkStore *s, const char *op, const char *name) {
  ck_set_error("%s: %s: invalid object name '%s' (relative, '/'-separated, letters, digits and "
               "._=+,- only, no segment starting with '.')", s->url, op, name);
  return -1;
}

static int sys_error(CkStore *s, const char *name, const char *what) {
  ck_set_error("%s/%s: %s: %s", s->url, name, what, strerror(errno));
  return -1;
}

static void fsync_dir(const char *dir) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) { (void)fsync(fd); close(fd); }
}

/* mkdir -p of path's parent directories below root (path = root + "/" + name). */
static int local_mkdirs(CkStore *s, const char *path, const char *name) {
  size_t rootlen = strlen(s->root);
  char *tmp = xstrndup(path, strlen(path));
  for (char *q = tmp + rootlen + 1; (q = strchr(q, '/')) != NULL; q++) {
    *q = 0;
    if (mkdir(tmp, 0755) == 0) {
      char *up = strrchr(tmp, '/');
      *up = 0;
      fsync_dir(tmp);     /* the new directory's entry must survive a crash too */
      *up = '/';
    } else if (errno != EEXIST) {
      ck_set_error("%s/%s: mkdir %s: %s", s->url, name, tmp, strerror(errno));
      free(tmp);
      return -1;
    }
    *q = '/';
  }
  free(tmp);
  return 0;
}

static char *local_path(CkStore *s, const char *name) {
  size_t a = strlen(s->root), b = strlen(name);
  char *p = xmalloc(a + b + 2);
  memcpy(p, s->root, a);
  p[a] = '/';
  memcpy(p + a + 1, name, b + 1);
  return p;
}

static int write_all(int fd, const char *p, size_t n) {
  while (n) {
    ssize_t k = write(fd, p, n > (1u << 30) ? (1u << 30) : n);
    if (k < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += k;
    n -= (size_t)k;
  }
  return 0;
}

static int local_put(CkStore *s, const char *name, const void *data, size_t n) {
  static unsigned long counter;
  char *path = local_path(s, name);
  char tmp[64];
  int rc = -1;
  if (local_mkdirs(s, path, name) < 0) goto out;
  size_t rl = strlen(s->root);
  char *tpath = xmalloc(rl + sizeof tmp + 16);
  snprintf(tmp, sizeof tmp, "%ld.%lu", (long)getpid(), __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED));
  sprintf(tpath, "%s/" TMP_DIR "/%s", s->root, tmp);
  int fd = open(tpath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0 && errno == ENOENT) {             /* .ck-tmp removed behind our back */
    char *d = local_path(s, TMP_DIR);
    (void)mkdir(d, 0755);
    free(d);
    fd = open(tpath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  }
  if (fd < 0) {
    ck_set_error("%s/%s: create %s: %s", s->url, name, tpath, strerror(errno));
  } else if (write_all(fd, data, n) < 0) {
    sys_error(s, name, "write");
  } else if (fsync(fd) < 0) {
    sys_error(s, name, "fsync");
  } else if (close(fd) < 0) {
    fd = -1;
    sys_error(s, name, "close");
  } else {
    fd = -1;
    if (rename(tpath, path) < 0) {
      sys_error(s, name, "rename");
    } else {
      char *slash = strrchr(path, '/');
      *slash = 0;
      fsync_dir(path);                         /* make the rename durable */
      rc = 0;
    }
  }
  if (fd >= 0) close(fd);
  if (rc < 0) unlink(tpath);
  free(tpath);
out:
  free(path);
  return rc;
}

static int local_get(CkStore *s, const char *name, Buf *out) {
  char *path = local_path(s, name);
  out->len = 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  free(path);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      ck_set_error("%s/%s: no such object", s->url, name);
      return CK_ENOENT;
    }
    return sys_error(s, name, "open");
  }
  struct stat st;
  if (fstat(fd, &st) < 0) { close(fd); return sys_error(s, name, "stat"); }
  buf_reserve(out, (size_t)st.st_size);
  for (;;) {
    buf_reserve(out, 1 << 16);
    ssize_t k = read(fd, out->p + out->len, out->cap - out->len - 1);
    if (k < 0) {
      if (errno == EINTR) continue;
      close(fd);
      out->len = 0;
      return sys_error(s, name, "read");
    }
    if (k == 0) break;
    out->len += (size_t)k;
  }
  close(fd);
  return 0;
}

/* Add the regular files under dir (rel = its name relative to the root, "" or "a/b/") whose
** name starts with prefix. */
static int local_walk(CkStore *s, const char *dir, const char *rel, const char *prefix, CkNames *out) {
  DIR *d = opendir(dir);
  if (!d) {
    if (errno == ENOENT || errno == ENOTDIR) return 0;
    ck_set_error("%s: opendir %s: %s", s->url, dir, strerror(errno));
    return -1;
  }
  int rc = 0;
  size_t plen = strlen(prefix);
  struct dirent *e;
  Buf sub = { 0 }, rn = { 0 };
  while (rc == 0 && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;         /* ., .., .ck-tmp and anything hidden */
    rn.len = 0;
    buf_printf(&rn, "%s%s", rel, e->d_name);
    sub.len = 0;
    buf_printf(&sub, "%s/%s", dir, e->d_name);
    int type = e->d_type;
    if (type == DT_UNKNOWN || type == DT_LNK) {
      struct stat st;
      if (stat(buf_cstr(&sub), &st) < 0) continue;
      type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
    }
    if (type == DT_DIR) {
      /* descend only where names may still match the prefix */
      size_t k = rn.len < plen ? rn.len : plen;
      if (memcmp(rn.p, prefix, k) != 0) continue;
      buf_putc(&rn, '/');
      char *subdir = xstrndup(sub.p, sub.len), *subrel = xstrndup(rn.p, rn.len);
      rc = local_walk(s, subdir, subrel, prefix, out);
      free(subdir);
      free(subrel);
    } else if (type == DT_REG) {
      if (rn.len >= plen && !memcmp(rn.p, prefix, plen) && valid_name(buf_cstr(&rn)))
        ck_names_add(out, rn.p, rn.len);
    }
  }
  closedir(d);
  buf_free(&sub);
  buf_free(&rn);
  return rc;
}

static int local_delete(CkStore *s, const char *name) {
  char *path = local_path(s, name);
  int rc = 0;
  if (unlink(path) < 0 && errno != ENOENT && errno != ENOTDIR) {
    rc = sys_error(s, name, "unlink");
  } else {
    /* remove directories this emptied, up to (not including) the root */
    size_t rootlen = strlen(s->root);
    char *slash;
    while ((slash = strrchr(path, '/')) != NULL && (size_t)(slash - path) > rootlen) {
      *slash = 0;
      if (rmdir(path) < 0) break;
    }
  }
  free(path);
  return rc;
}

/* Remove temp files a crashed process left in <root>/.ck-tmp. */
static void local_purge_tmp(CkStore *s) {
  char *dir = local_path(s, TMP_DIR);
  DIR *d = opendir(dir);
  if (d) {
    struct dirent *e;
    time_t now = time(NULL);
    Buf p = { 0 };
    while ((e = readdir(d)) != NULL) {
      if (e->d_name[0] == '.') continue;
      p.len = 0;
      buf_printf(&p, "%s/%s", dir, e->d_name);
      struct stat st;
      if (stat(buf_cstr(&p), &st) == 0 && S_ISREG(st.st_mode) && now - st.st_mtime > TMP_MAX_AGE)
        unlink(p.p);
    }
    closedir(d);
    buf_free(&p);
  }
  free(dir);
}

CkStore *ck_open(const char *url, char *err, size_t errlen) {
  CkStore *s = calloc(1, sizeof *s);
  if (!s) abort();
  size_t ulen = strlen(url);
  while (ulen > 1 && url[ulen - 1] == '/') ulen--;
  s->url = xstrndup(url, ulen);
  if (!strncmp(url, "s3://", 5)) {
    s->s3 = s3_open(s->url, err, errlen);
    if (!s->s3) { ck_close(s); return NULL; }
    return s;
  }
  const char *path = url;
  if (!strncmp(url, "file://", 7)) {
    path = url + 7;
    if (*path != '/') {
      snprintf(err, errlen, "%s: expected file:///ABSOLUTE/PATH", url);
      ck_close(s);
      return NULL;
    }
  } else if (strstr(url, "://")) {
    snprintf(err, errlen, "%s: unsupported checkpoint URL (use a directory, file:///path or "
             "s3://bucket/prefix)", url);
    ck_close(s);
    return NULL;
  }
  size_t plen = strlen(path);
  while (plen > 1 && path[plen - 1] == '/') plen--;
  if (plen == 0) {
    snprintf(err, errlen, "empty checkpoint directory");
    ck_close(s);
    return NULL;
  }
  s->root = xstrndup(path, plen);
  /* mkdir -p root, then root/.ck-tmp */
  for (char *q = s->root + 1;; q++) {
    char c = *q;
    if (c != '/' && c != 0) continue;
    *q = 0;
    int r = mkdir(s->root, 0755);
    int e = errno;
    *q = c;
    if (r < 0 && e != EEXIST) {
      snprintf(err, errlen, "%s: cannot create checkpoint directory: %s", url, strerror(e));
      ck_close(s);
      return NULL;
    }
    if (!c) break;
  }
  struct stat st;
  if (stat(s->root, &st) < 0 || !S_ISDIR(st.st_mode)) {
    snprintf(err, errlen, "%s: not a directory", url);
    ck_close(s);
    return NULL;
  }
  char *tmp = local_path(s, TMP_DIR);
  if (mkdir(tmp, 0755) < 0 && errno != EEXIST) {
    snprintf(err, errlen, "%s: cannot create %s: %s", url, tmp, strerror(errno));
    free(tmp);
    ck_close(s);
    return NULL;
  }
  free(tmp);
  local_purge_tmp(s);
  return s;
}

void ck_close(CkStore *s) {
  if (!s) return;
  s3_close(s->s3);
  free(s->url);
  free(s->root);
  free(s);
}

int ck_put(CkStore *s, const char *name, const void *data, size_t n) {
  if (!valid_name(name)) return bad_name(s, "put", name);
  return s->s3 ? s3_put(s->s3, name, data, n) : local_put(s, name, data, n);
}

int ck_get(CkStore *s, const char *name, Buf *out) {
  if (!valid_name(name)) return bad_name(s, "get", name);
  return s->s3 ? s3_get(s->s3, name, out) : local_get(s, name, out);
}

int ck_delete(CkStore *s, const char *name) {
  if (!valid_name(name)) return bad_name(s, "delete", name);
  return s->s3 ? s3_delete(s->s3, name) : local_delete(s, name);
}

int ck_list(CkStore *s, const char *prefix, CkNames *out) {
  for (size_t i = 0; i < out->n; i++) free(out->v[i]);   /* reuse: drop the previous names */
  out->n = 0;
  int rc;
  if (s->s3) {
    rc = s3_list(s->s3, prefix, out);
  } else {
    /* start at the deepest directory the prefix names */
    const char *slash = strrchr(prefix, '/');
    size_t dl = slash ? (size_t)(slash - prefix + 1) : 0;
    char *rel = xstrndup(prefix, dl);
    char *dir = dl ? local_path(s, rel) : xstrndup(s->root, strlen(s->root));
    if (dl) dir[strlen(dir) - 1] = 0;
    rc = local_walk(s, dir, rel, prefix, out);
    free(rel);
    free(dir);
  }
  if (rc < 0) { ck_names_free(out); return -1; }
  if (out->n > 1) qsort(out->v, out->n, sizeof *out->v, cmp_str);
  return 0;
}

/* ---- a small JSON reader, for manifests -------------------------------------------------------
** Parses one JSON text into a tree in an Arena. Strings are unescaped (\uXXXX with surrogate
** pairs to UTF-8); numbers keep their text. Every value remembers its source text (raw), so the
** worker's metadata comes back verbatim. Depth is limited to 64. */

typedef struct JVal JVal;
struct JVal {
  char type;              /* 'o' object, 'a' array, 's' string, 'n' number, 't', 'f', 'z' null */
  const char *s;          /* string: unescaped bytes (NUL-terminated); number: its text */
  size_t n;               /* their length */
  const char *raw;        /* the value's JSON text */
  size_t rawlen;
  const char *key;        /* member name inside an object (unescaped) */
  JVal *kids;             /* first member / element */
  JVal *next;             /* next sibling */
};

typedef struct JParse {
  const char *p, *end;    /* cursor and end of the text */
  const char *start;      /* start of the text, for offsets in messages */
  Arena *a;               /* where nodes and strings go */
  char err[128];          /* first error */
  int depth;              /* nesting */
} JParse;

static void *jfail(JParse *j, const char *what) {
  if (!j->err[0]) snprintf(j->err, sizeof j->err, "%s at byte %ld", what, (long)(j->p - j->start));
  return NULL;
}

static void jws(JParse *j) {
  while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')) j->p++;
}

static int hex4(const char *p, unsigned *out) {
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    char c = p[i];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
    else return -1;
  }
  *out = v;
  return 0;
}

/* String at j->p (the opening quote): unescaped into the arena. */
static const char *jstring(JParse *j, size_t *len) {
  const char *p = ++j->p;
  Buf b = { 0 };
  while (p < j->end && *p != '"') {
    unsigned char c = (unsigned char)*p;
    if (c < 0x20) { j->p = p; buf_free(&b); return jfail(j, "control character in string"); }
    if (c != '\\') { buf_putc(&b, (char)c); p++; continue; }
    if (++p >= j->end) break;
    char e = *p++;
    switch (e) {
      case '"': buf_putc(&b, '"'); break;
      case '\\': buf_putc(&b, '\\'); break;
      case '/': buf_putc(&b, '/'); break;
      case 'b': buf_putc(&b, '\b'); break;
      case 'f': buf_putc(&b, '\f'); break;
      case 'n': buf_putc(&b, '\n'); break;
      case 'r': buf_putc(&b, '\r'); break;
      case 't': buf_putc(&b, '\t'); break;
      case 'u': {
        unsigned cp, lo;
        if (j->end - p < 4 || hex4(p, &cp) < 0) { j->p = p; buf_free(&b); return jfail(j, "bad \\u escape"); }
        p += 4;
        if (cp >= 0xd800 && cp < 0xdc00 && j->end - p >= 6 && p[0] == '\\' && p[1] == 'u' &&
            hex4(p + 2, &lo) == 0 && lo >= 0xdc00 && lo < 0xe000) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          p += 6;
        }
        if (cp < 0x80) buf_putc(&b, (char)cp);
        else if (cp < 0x800) { buf_putc(&b, (char)(0xc0 | cp >> 6)); buf_putc(&b, (char)(0x80 | (cp & 0x3f))); }
        else if (cp < 0x10000) {
          buf_putc(&b, (char)(0xe0 | cp >> 12)); buf_putc(&b, (char)(0x80 | ((cp >> 6) & 0x3f)));
          buf_putc(&b, (char)(0x80 | (cp & 0x3f)));
        } else {
          buf_putc(&b, (char)(0xf0 | cp >> 18)); buf_putc(&b, (char)(0x80 | ((cp >> 12) & 0x3f)));
          buf_putc(&b, (char)(0x80 | ((cp >> 6) & 0x3f))); buf_putc(&b, (char)(0x80 | (cp & 0x3f)));
        }
        break;
      }
      default: j->p = p - 1; buf_free(&b); return jfail(j, "bad escape");
    }
  }
  if (p >= j->end) { j->p = p; buf_free(&b); return jfail(j, "unterminated string"); }
  j->p = p + 1;
  char *s = arena_strndup(j->a, b.p ? b.p : "", b.len);
  *len = b.len;
  buf_free(&b);
  return s;
}

static JVal *jvalue(JParse *j) {
  jws(j);
  if (j->p >= j->end) return jfail(j, "unexpected end");
  if (++j->depth > 64) return jfail(j, "nesting too deep");
  JVal *v = arena_alloc(j->a, sizeof *v);
  memset(v, 0, sizeof *v);
  v->raw = j->p;
  char c = *j->p;
  if (c == '{' || c == '[') {
    char close = c == '{' ? '}' : ']';
    v->type = c == '{' ? 'o' : 'a';
    j->p++;
    jws(j);
    JVal **tail = &v->kids;
    if (j->p < j->end && *j->p == close) {
      j->p++;
    } else {
      for (;;) {
        const char *key = NULL;
        if (v->type == 'o') {
          jws(j);
          if (j->p >= j->end || *j->p != '"') return jfail(j, "expected a member name");
          size_t kl;
          if (!(key = jstring(j, &kl))) return NULL;
          jws(j);
          if (j->p >= j->end || *j->p != ':') return jfail(j, "expected ':'");
          j->p++;
        }
        JVal *kid = jvalue(j);
        if (!kid) return NULL;
        kid->key = key;
        *tail = kid;
        tail = &kid->next;
        jws(j);
        if (j->p < j->end && *j->p == ',') { j->p++; continue; }
        if (j->p < j->end && *j->p == close) { j->p++; break; }
        return jfail(j, v->type == 'o' ? "expected ',' or '}'" : "expected ',' or ']'");
      }
    }
  } else if (c == '"') {
    v->type = 's';
    if (!(v->s = jstring(j, &v->n))) return NULL;
  } else if (c == '-' || (c >= '0' && c <= '9')) {
    const char *p = j->p;
    if (*p == '-') p++;
    if (p >= j->end || !(*p >= '0' && *p <= '9')) return jfail(j, "bad number");
    if (*p == '0') p++;
    else while (p < j->end && *p >= '0' && *p <= '9') p++;
    if (p < j->end && *p == '.') {
      p++;
      if (p >= j->end || !(*p >= '0' && *p <= '9')) return jfail(j, "bad number");
      while (p < j->end && *p >= '0' && *p <= '9') p++;
    }
    if (p < j->end && (*p == 'e' || *p == 'E')) {
      p++;
      if (p < j->end && (*p == '+' || *p == '-')) p++;
      if (p >= j->end || !(*p >= '0' && *p <= '9')) return jfail(j, "bad number");
      while (p < j->end && *p >= '0' && *p <= '9') p++;
    }
    v->type = 'n';
    v->s = j->p;
    v->n = (size_t)(p - j->p);
    j->p = p;
  } else {
    static const struct { const char *w; char t; } words[] = { { "true", 't' }, { "false", 'f' }, { "null", 'z' } };
    size_t i;
    for (i = 0; i < 3; i++) {
      size_t wl = strlen(words[i].w);
      if ((size_t)(j->end - j->p) >= wl && !memcmp(j->p, words[i].w, wl)) {
        v->type = words[i].t;
        j->p += wl;
        break;
      }
    }
    if (i == 3) return jfail(j, "unexpected character");
  }
  v->rawlen = (size_t)(j->p - v->raw);
  j->depth--;
  return v;
}

/* Parse a whole JSON text (nothing but whitespace after the value). */
static JVal *jparse(const char *text, size_t n, Arena *a, char *err, size_t errlen) {
  JParse j = { text, text + n, text, a, "", 0 };
  JVal *v = jvalue(&j);
  if (v) {
    jws(&j);
    if (j.p != j.end) v = jfail(&j, "text after the value");
  }
  if (!v) snprintf(err, errlen, "%s", j.err);
  return v;
}

static JVal *jget(JVal *obj, const char *key) {
  if (!obj || obj->type != 'o') return NULL;
  for (JVal *k = obj->kids; k; k = k->next)
    if (!strcmp(k->key, key)) return k;
  return NULL;
}

/* A non-negative integer member (fits in int64). */
static int jint(JVal *obj, const char *key, int64_t *out) {
  JVal *v = jget(obj, key);
  if (!v || v->type != 'n' || v->n == 0 || v->n > 19) return -1;
  int64_t x = 0;
  for (size_t i = 0; i < v->n; i++) {
    if (v->s[i] < '0' || v->s[i] > '9') return -1;
    x = x * 10 + (v->s[i] - '0');
  }
  *out = x;
  return 0;
}

/* A member that is a string of exactly 16 hex digits. */
static int jhex64(JVal *obj, const char *key, uint64_t *out) {
  JVal *v = jget(obj, key);
  if (!v || v->type != 's' || v->n != 16) return -1;
  uint64_t x = 0;
  for (size_t i = 0; i < 16; i++) {
    char c = v->s[i];
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (d < 0) return -1;
    x = x << 4 | (uint64_t)d;
  }
  *out = x;
  return 0;
}

static void json_str(Buf *b, const char *s) {
  buf_putc(b, '"');
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') { buf_putc(b, '\\'); buf_putc(b, (char)c); }
    else if (c < 0x20) buf_printf(b, "\\u%04x", c);
    else buf_putc(b, (char)c);
  }
  buf_putc(b, '"');
}

/* ---- checkpoints: names -------------------------------------------------------------------- */

#define DIR_LEN 32
static void ckpt_dir(int64_t epoch, char out[DIR_LEN]) {
  snprintf(out, DIR_LEN, "ckpt-%010lld", (long long)epoch);
}

/* If name is "ckpt-<E>/<rest>" in our exact spelling, return E and set *rest; else -1. */
static int64_t parse_ckpt_name(const char *name, const char **rest) {
  if (strncmp(name, "ckpt-", 5)) return -1;
  const char *p = name + 5;
  int64_t e = 0;
  int nd = 0;
  while (*p >= '0' && *p <= '9' && nd < 19) { e = e * 10 + (*p - '0'); p++; nd++; }
  if (*p != '/' || nd == 0) return -1;
  char dir[DIR_LEN];
  ckpt_dir(e, dir);
  if (strlen(dir) != (size_t)(p - name) || strncmp(dir, name, (size_t)(p - name))) return -1;
  *rest = p + 1;
  return e;
}

/* Everything the store holds under ckpt-*, grouped per epoch. */
typedef struct EpochGroup {
  int64_t epoch;
  int has_manifest;       /* ckpt-<E>/manifest.json exists */
  size_t first, count;    /* its names: all.v[first .. first+count) */
} EpochGroup;

typedef struct Inventory {
  CkNames all;            /* every ckpt-* name, sorted (so each epoch's names are contiguous) */
  EpochGroup *g;          /* groups, ascending epoch */
  size_t ng;
} Inventory;

static int cmp_group(const void *a, const void *b) {
  const EpochGroup *x = a, *y = b;
  return x->epoch < y->epoch ? -1 : x->epoch > y->epoch;
}

static void inv_free(Inventory *inv) {
  ck_names_free(&inv->all);
  free(inv->g);
  memset(inv, 0, sizeof *inv);
}

static int inventory(CkStore *s, Inventory *inv) {
  memset(inv, 0, sizeof *inv);
  if (ck_list(s, "ckpt-", &inv->all) < 0) return -1;
  inv->g = xmalloc((inv->all.n + 1) * sizeof *inv->g);
  for (size_t i = 0; i < inv->all.n; i++) {
    const char *rest;
    int64_t e = parse_ckpt_name(inv->all.v[i], &rest);
    if (e < 0) continue;
    EpochGroup *g = inv->ng ? &inv->g[inv->ng - 1] : NULL;
    if (!g || g->epoch != e || g->first + g->count != i) {
      g = &inv->g[inv->ng++];
      g->epoch = e;
      g->has_manifest = 0;
      g->first = i;
      g->count = 0;
    }
    g->count++;
    if (!strcmp(rest, "manifest.json")) g->has_manifest = 1;
  }
  qsort(inv->g, inv->ng, sizeof *inv->g, cmp_group);
  return 0;
}

/* ---- checkpoints: writing ------------------------------------------------------------------ */

typedef struct FileRec {
  char *name;             /* as given */
  uint64_t size, raw_size, xxh64;
  int done;               /* stored (0 while its add is in flight) */
} FileRec;

struct CkptWriter {
  CkStore *s;             /* borrowed */
  int64_t epoch;
  char dir[DIR_LEN];      /* "ckpt-0000000005" */
  pthread_mutex_t mu;     /* guards everything below */
  FileRec *files;
  size_t n, cap;
  int failed;             /* an add failed: no commit */
  int committed;          /* ckpt_commit succeeded */
};

CkptWriter *ckpt_writer_begin(CkStore *s, int64_t epoch) {
  if (epoch < 0) {
    ck_set_error("%s: checkpoint epoch %lld is negative", s->url, (long long)epoch);
    return NULL;
  }
  char dir[DIR_LEN], prefix[DIR_LEN + 1];
  ckpt_dir(epoch, dir);
  snprintf(prefix, sizeof prefix, "%s/", dir);
  CkNames old = { 0 };
  if (ck_list(s, prefix, &old) < 0) return NULL;
  for (size_t i = 0; i < old.n; i++) {
    const char *rest;
    if (parse_ckpt_name(old.v[i], &rest) == epoch && !strcmp(rest, "manifest.json")) {
      ck_set_error("%s: checkpoint %s already exists", s->url, dir);
      ck_names_free(&old);
      return NULL;
    }
  }
  for (size_t i = 0; i < old.n; i++)          /* leftovers of a crashed attempt */
    if (ck_delete(s, old.v[i]) < 0) { ck_names_free(&old); return NULL; }
  ck_names_free(&old);
  CkptWriter *w = calloc(1, sizeof *w);
  if (!w) abort();
  w->s = s;
  w->epoch = epoch;
  memcpy(w->dir, dir, sizeof dir);
  pthread_mutex_init(&w->mu, NULL);
  return w;
}

int ckpt_add_file(CkptWriter *w, const char *name, const void *data, size_t n) {
  char full[1200];
  if (strlen(name) > 1000 || !valid_name(name) || !strcmp(name, "manifest.json")) {
    ck_set_error("%s/%s: invalid checkpoint file name '%s'", w->s->url, w->dir, name);
    pthread_mutex_lock(&w->mu);
    w->failed = 1;
    pthread_mutex_unlock(&w->mu);
    return -1;
  }
  snprintf(full, sizeof full, "%s/%s", w->dir, name);

  /* claim the name first, so concurrent adds of one name are caught */
  pthread_mutex_lock(&w->mu);
  int dup = 0, closed = w->committed;
  for (size_t i = 0; i < w->n && !dup; i++) dup = !strcmp(w->files[i].name, name);
  size_t slot = w->n;
  if (!dup && !closed) {
    if (w->n == w->cap) {
      w->cap = w->cap ? w->cap * 2 : 16;
      w->files = realloc(w->files, w->cap * sizeof *w->files);
      if (!w->files) abort();
    }
    memset(&w->files[slot], 0, sizeof w->files[slot]);
    w->files[slot].name = xstrndup(name, strlen(name));
    w->n++;
  } else {
    w->failed = 1;
  }
  pthread_mutex_unlock(&w->mu);
  if (dup || closed) {
    ck_set_error("%s/%s: %s", w->s->url, full,
                 dup ? "added twice to one checkpoint" : "checkpoint already committed");
    return -1;
  }

  size_t cap = ZSTD_compressBound(n);
  char *z = xmalloc(cap);
  ZSTD_CCtx *cc = ZSTD_createCCtx();
  if (!cc) abort();
  ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, CKPT_ZSTD_LEVEL);
  ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1);
  size_t zn = ZSTD_compress2(cc, z, cap, data, n);
  ZSTD_freeCCtx(cc);
  int rc = -1;
  uint64_t h = 0;
  if (ZSTD_isError(zn)) {
    ck_set_error("%s/%s: zstd: %s", w->s->url, full, ZSTD_getErrorName(zn));
  } else {
    h = ck_xxh64(z, zn, 0);
    rc = ck_put(w->s, full, z, zn);
  }
  free(z);

  pthread_mutex_lock(&w->mu);
  if (rc == 0) {
    FileRec *f = &w->files[slot];   /* slot stays valid: records are never removed */
    f->size = zn;
    f->raw_size = n;
    f->xxh64 = h;
    f->done = 1;
  } else {
    w->failed = 1;
  }
  pthread_mutex_unlock(&w->mu);
  return rc;
}

static int cmp_filerec(const void *a, const void *b) {
  return strcmp(((const FileRec *)a)->name, ((const FileRec *)b)->name);
}

int ckpt_commit(CkptWriter *w, uint64_t layout_hash, const char *metadata_json) {
  const char *meta = metadata_json ? metadata_json : "null";
  char err[160];
  Arena a;
  arena_init(&a, 4096);
  JVal *mv = jparse(meta, strlen(meta), &a, err, sizeof err);
  arena_free(&a);
  if (!mv) {
    ck_set_error("%s/%s: checkpoint metadata is not valid JSON: %s", w->s->url, w->dir, err);
    return -1;
  }
  pthread_mutex_lock(&w->mu);
  int bad = w->failed || w->committed;
  for (size_t i = 0; i < w->n && !bad; i++) bad = !w->files[i].done;
  if (bad) {
    ck_set_error("%s/%s: not committing: %s", w->s->url, w->dir,
                 w->committed ? "already committed"
                 : w->failed ? "a file of this checkpoint failed to write"
                             : "a file is still being written");
    pthread_mutex_unlock(&w->mu);
    return -1;
  }
  if (w->n > 1) qsort(w->files, w->n, sizeof *w->files, cmp_filerec);

  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  int64_t now = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
  char when[48];
  size_t wl = ts_format(now - now % 1000000, when);   /* millisecond precision */
  Buf m = { 0 };
  buf_printf(&m, "{\n  \"format\": \"%s\",\n  \"epoch\": %lld,\n  \"layout_hash\": \"%016llx\",\n"
             "  \"created_ns\": %lld,\n  \"created\": \"%.*sZ\",\n  \"files\": [",
             CKPT_FORMAT, (long long)w->epoch, (unsigned long long)layout_hash,
             (long long)now, (int)wl, when);
  for (size_t i = 0; i < w->n; i++) {
    FileRec *f = &w->files[i];
    buf_puts(&m, i ? ",\n    {\"name\": " : "\n    {\"name\": ");
    json_str(&m, f->name);
    buf_printf(&m, ", \"size\": %llu, \"raw_size\": %llu, \"xxh64\": \"%016llx\"}",
               (unsigned long long)f->size, (unsigned long long)f->raw_size,
               (unsigned long long)f->xxh64);
  }
  buf_printf(&m, "%s],\n  \"metadata\": %s\n}\n", w->n ? "\n  " : "", meta);
  char name[DIR_LEN + 16];
  snprintf(name, sizeof name, "%s/manifest.json", w->dir);
  int rc = ck_put(w->s, name, m.p, m.len);      /* LAST: this publishes the checkpoint */
  if (rc == 0) w->committed = 1;
  pthread_mutex_unlock(&w->mu);
  buf_free(&m);
  return rc;
}

void ckpt_writer_free(CkptWriter *w) {
  if (!w) return;
  for (size_t i = 0; i < w->n; i++) free(w->files[i].name);
  free(w->files);
  pthread_mutex_destroy(&w->mu);
  free(w);
}

/* ---- checkpoints: reading ------------------------------------------------------------------ */

struct CkptReader {
  CkStore *s;             /* borrowed */
  char dir[DIR_LEN];
  CkptInfo info;          /* what ckpt_info returns; points into the fields below */
  CkptFile *files;        /* info.files */
  char **names;           /* the files' names (owned) */
  char *metadata;         /* info.metadata (owned) */
  Buf *cache;             /* per file: its verified stored bytes, or empty (p == NULL) */
};

void ckpt_reader_free(CkptReader *r) {
  if (!r) return;
  for (size_t i = 0; i < r->info.nfiles; i++) {
    free(r->names[i]);
    buf_free(&r->cache[i]);
  }
  free(r->names);
  free(r->files);
  free(r->cache);
  free(r->metadata);
  free(r);
}

const CkptInfo *ckpt_info(const CkptReader *r) { return &r->info; }

/* Check the stored bytes of f against the manifest. 0 ok; 1 bad, with the warning text in why
** (naming the file); -1 store error (ck_error). The bytes are left in data. */
static int fetch_file(CkStore *s, const char *dir, const CkptFile *f, Buf *data, Buf *why) {
  char full[DIR_LEN + 1024];
  snprintf(full, sizeof full, "%s/%s", dir, f->name);
  int rc = ck_get(s, full, data);
  if (rc == CK_ENOENT) {
    buf_printf(why, "checkpoint file %s/%s is missing", s->url, full);
    return 1;
  }
  if (rc < 0) return -1;
  if (data->len != f->size) {
    buf_printf(why, "checkpoint file %s/%s is %s (%zu bytes, manifest says %llu)", s->url, full,
               data->len < f->size ? "truncated" : "corrupt", data->len,
               (unsigned long long)f->size);
    return 1;
  }
  uint64_t h = ck_xxh64(data->p, data->len, 0);
  if (h != f->xxh64) {
    buf_printf(why, "checkpoint file %s/%s is corrupt (xxh64 %016llx, manifest says %016llx)",
               s->url, full, (unsigned long long)h, (unsigned long long)f->xxh64);
    return 1;
  }
  return 0;
}

/* Parse a manifest into a reader. 0, or 1 with why set. */
static int parse_manifest(CkStore *s, const char *dir, int64_t epoch, const Buf *text,
                          CkptReader *r, Buf *why) {
  Arena a;
  arena_init(&a, 16384);
  char err[160];
  int rc = 1;
  int64_t e, created = 0;
  uint64_t layout;
  JVal *root = jparse(text->p ? text->p : "", text->len, &a, err, sizeof err);
  JVal *fmt = jget(root, "format"), *files = jget(root, "files"), *meta = jget(root, "metadata");
  if (!root) {
    buf_printf(why, "checkpoint manifest %s/%s/manifest.json is corrupt (%s)", s->url, dir, err);
  } else if (!fmt || fmt->type != 's' || strcmp(fmt->s, CKPT_FORMAT)) {
    buf_printf(why, "checkpoint manifest %s/%s/manifest.json: unknown format (expected \"%s\")",
               s->url, dir, CKPT_FORMAT);
  } else if (jint(root, "epoch", &e) < 0 || e != epoch || jhex64(root, "layout_hash", &layout) < 0 ||
             !files || files->type != 'a') {
    buf_printf(why, "checkpoint manifest %s/%s/manifest.json is corrupt (epoch, layout_hash or "
               "files missing or wrong)", s->url, dir);
  } else {
    (void)jint(root, "created_ns", &created);
    size_t n = 0;
    for (JVal *f = files->kids; f; f = f->next) n++;
    r->files = calloc(n + 1, sizeof *r->files);
    r->names = calloc(n + 1, sizeof *r->names);
    r->cache = calloc(n + 1, sizeof *r->cache);
    if (!r->files || !r->names || !r->cache) abort();
    size_t i = 0;
    rc = 0;
    for (JVal *f = files->kids; f; f = f->next, i++) {
      JVal *nm = jget(f, "name");
      int64_t size, raw;
      uint64_t h;
      if (!nm || nm->type != 's' || !valid_name(nm->s) || jint(f, "size", &size) < 0 ||
          jint(f, "raw_size", &raw) < 0 || jhex64(f, "xxh64", &h) < 0 ||
          (i > 0 && strcmp(r->names[i - 1], nm->s) >= 0)) {
        buf_printf(why, "checkpoint manifest %s/%s/manifest.json is corrupt (file entry %zu)",
                   s->url, dir, i + 1);
        rc = 1;
        break;
      }
      r->names[i] = xstrndup(nm->s, nm->n);
      r->files[i] = (CkptFile){ r->names[i], (uint64_t)size, (uint64_t)raw, h };
      r->info.nfiles = i + 1;
    }
    if (rc == 0) {
      r->info.epoch = epoch;
      r->info.layout_hash = layout;
      r->info.created_ns = created;
      r->metadata = meta ? xstrndup(meta->raw, meta->rawlen) : xstrndup("null", 4);
      r->info.metadata = r->metadata;
      r->info.files = r->files;
    }
  }
  arena_free(&a);
  return rc;
}

/* Open checkpoint epoch: 0 ok (*out), 1 unusable (why = the warning), -1 error (err). */
static int try_open(CkStore *s, int64_t epoch, uint64_t layout_hash, CkptReader **out, Buf *why,
                    char *err, size_t errlen) {
  char dir[DIR_LEN], name[DIR_LEN + 16];
  ckpt_dir(epoch, dir);
  snprintf(name, sizeof name, "%s/manifest.json", dir);
  Buf text = { 0 };
  int rc = ck_get(s, name, &text);
  if (rc == CK_ENOENT) {
    buf_printf(why, "checkpoint %s/%s has no manifest (incomplete)", s->url, dir);
    buf_free(&text);
    return 1;
  }
  if (rc < 0) {
    snprintf(err, errlen, "%s", ck_error());
    buf_free(&text);
    return -1;
  }
  CkptReader *r = calloc(1, sizeof *r);
  if (!r) abort();
  r->s = s;
  memcpy(r->dir, dir, sizeof dir);
  rc = parse_manifest(s, dir, epoch, &text, r, why);
  buf_free(&text);
  if (rc) { ckpt_reader_free(r); return rc; }
  if (r->info.layout_hash != layout_hash) {
    snprintf(err, errlen, "checkpoint %s in %s was taken by a pipeline with a different state "
             "layout (hash %016llx, this pipeline %016llx); recompile the original query or "
             "start without --restore", dir, s->url, (unsigned long long)r->info.layout_hash,
             (unsigned long long)layout_hash);
    ckpt_reader_free(r);
    return -1;
  }
  size_t cached = 0;
  Buf data = { 0 };
  for (size_t i = 0; i < r->info.nfiles; i++) {
    data.len = 0;
    rc = fetch_file(s, dir, &r->files[i], &data, why);
    if (rc != 0) {
      if (rc < 0) snprintf(err, errlen, "%s", ck_error());
      buf_free(&data);
      ckpt_reader_free(r);
      return rc;
    }
    if (cached + data.len <= cache_limit && data.len < cache_limit) {    /* keep it: ckpt_read_file needs it next */
      cached += data.len;
      r->cache[i] = data;
      memset(&data, 0, sizeof data);
    }
  }
  buf_free(&data);
  *out = r;
  return 0;
}

int ckpt_open(CkStore *s, int64_t epoch, uint64_t layout_hash, CkptReader **out, char *err,
              size_t errlen) {
  Buf why = { 0 };
  *out = NULL;
  err[0] = 0;
  int rc = try_open(s, epoch, layout_hash, out, &why, err, errlen);
  if (rc == 1) snprintf(err, errlen, "%s", buf_cstr(&why));
  buf_free(&why);
  return rc;
}

int ckpt_latest(CkStore *s, uint64_t layout_hash, CkptReader **out, char *err, size_t errlen) {
  Inventory inv;
  *out = NULL;
  err[0] = 0;
  if (inventory(s, &inv) < 0) {
    snprintf(err, errlen, "%s", ck_error());
    return -1;
  }
  int rc = 1, skipped = 0;
  Buf why = { 0 };
  for (size_t k = inv.ng; k-- > 0;) {
    if (!inv.g[k].has_manifest) continue;
    why.len = 0;
    rc = try_open(s, inv.g[k].epoch, layout_hash, out, &why, err, errlen);
    if (rc != 1) break;
    skipped++;
    int older = 0;
    for (size_t j = 0; j < k; j++) older |= inv.g[j].has_manifest;
    buf_puts(&why, older ? "; falling back to the previous checkpoint"
                         : "; there is no earlier checkpoint");
    warn_fn(warn_arg, buf_cstr(&why));
  }
  if (rc == 1) {
    if (skipped)
      snprintf(err, errlen, "no complete checkpoint in %s (%d incomplete or corrupt)", s->url, skipped);
    else
      snprintf(err, errlen, "no checkpoint in %s", s->url);
  }
  buf_free(&why);
  inv_free(&inv);
  return rc;
}

static int cmp_file_name(const void *key, const void *elem) {
  return strcmp(key, ((const CkptFile *)elem)->name);
}

int ckpt_read_file(CkptReader *r, const char *name, Buf *out) {
  out->len = 0;
  const CkptFile *f = bsearch(name, r->files, r->info.nfiles, sizeof *r->files, cmp_file_name);
  if (!f) {
    ck_set_error("%s/%s: checkpoint has no file '%s'", r->s->url, r->dir, name);
    return -1;
  }
  size_t i = (size_t)(f - r->files);
  Buf own = { 0 }, why = { 0 };
  const Buf *data = &r->cache[i];
  if (!data->p) {                       /* not kept in memory: fetch and check it again */
    int rc = fetch_file(r->s, r->dir, f, &own, &why);
    if (rc == 1) ck_set_error("%s", buf_cstr(&why));
    buf_free(&why);
    if (rc) { buf_free(&own); return -1; }
    data = &own;
  }
  int rc = 0;
  unsigned long long fs = ZSTD_getFrameContentSize(data->p, data->len);
  if (fs != f->raw_size) {
    ck_set_error("%s/%s/%s: not a zstd frame of %llu bytes (%s)", r->s->url, r->dir, name,
                 (unsigned long long)f->raw_size,
                 fs == ZSTD_CONTENTSIZE_ERROR ? "bad header" : "size differs");
    rc = -1;
  } else {
    buf_reserve(out, (size_t)f->raw_size);
    size_t k = ZSTD_decompress(out->p, (size_t)f->raw_size, data->p, data->len);
    if (ZSTD_isError(k) || k != f->raw_size) {
      ck_set_error("%s/%s/%s: zstd: %s", r->s->url, r->dir, name,
                   ZSTD_isError(k) ? ZSTD_getErrorName(k) : "short output");
      rc = -1;
    } else {
      out->len = k;
    }
  }
  buf_free(&own);
  return rc;
}

/* ---- checkpoints: housekeeping -------------------------------------------------------------- */

/* Delete group g: manifest first, then the rest. */
static int delete_group(CkStore *s, const Inventory *inv, const EpochGroup *g) {
  char dir[DIR_LEN], name[DIR_LEN + 16];
  ckpt_dir(g->epoch, dir);
  snprintf(name, sizeof name, "%s/manifest.json", dir);
  if (g->has_manifest && ck_delete(s, name) < 0) return -1;
  for (size_t i = g->first; i < g->first + g->count; i++)
    if (strcmp(inv->all.v[i], name) && ck_delete(s, inv->all.v[i]) < 0) return -1;
  return 0;
}

int ckpt_cleanup(CkStore *s, int keep_n) {
  if (keep_n < 1) keep_n = 1;
  Inventory inv;
  if (inventory(s, &inv) < 0) return -1;
  /* the oldest epoch to keep: the keep_n-th newest with a manifest */
  int64_t keep_from = INT64_MAX, newest = -1;
  int seen = 0;
  for (size_t k = inv.ng; k-- > 0;) {
    if (!inv.g[k].has_manifest) continue;
    if (newest < 0) newest = inv.g[k].epoch;
    if (++seen <= keep_n) keep_from = inv.g[k].epoch;
  }
  int deleted = 0, rc = 0;
  for (size_t k = 0; k < inv.ng && rc == 0; k++) {     /* oldest first */
    const EpochGroup *g = &inv.g[k];
    int drop = g->has_manifest ? g->epoch < keep_from : g->epoch < newest;
    if (!drop) continue;
    if (delete_group(s, &inv, g) < 0) rc = -1;
    else deleted++;
  }
  inv_free(&inv);
  return rc < 0 ? -1 : deleted;
}

int64_t ckpt_next_epoch(CkStore *s) {
  Inventory inv;
  if (inventory(s, &inv) < 0) return -1;
  int64_t next = inv.ng ? inv.g[inv.ng - 1].epoch + 1 : 1;
  inv_free(&inv);
  return next;
}

int ckpt_list(CkStore *s, int64_t **epochs, size_t *n) {
  Inventory inv;
  *epochs = NULL;
  *n = 0;
  if (inventory(s, &inv) < 0) return -1;
  int64_t *v = xmalloc((inv.ng + 1) * sizeof *v);
  for (size_t k = 0; k < inv.ng; k++)
    if (inv.g[k].has_manifest) v[(*n)++] = inv.g[k].epoch;
  *epochs = v;
  inv_free(&inv);
  return 0;
}
