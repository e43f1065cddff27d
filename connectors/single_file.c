/*
** connectors/single_file.c: the single_file source and sink (one local file, one record per
** line), plus sink_write_fd, the write loop shared with the stdout sink.
**
** Source: reads `path` in large blocks through a LineReader, straight into the batch's own
** input buffer, and decodes each non-empty line in place with the table's Decoder
** (codec_*.c), so no per-line copy or allocation happens here. The block size adapts so a
** batch holds about `batch_rows` lines. Bad records follow bad_data (src_decode in
** worker.c): fail with "PATH:LINE: <table>: bad data: ..." or drop and count. Line numbers
** count every line, empty ones included, so they match an editor's.
** Sink: creates/truncates `path`; the writer thread writes whole encoded buffers; close
** flushes nothing (write(2) is unbuffered) and closes the descriptor.
**
** Checkpoints, as Arroyo's single_file connectors do them. The source's position is the byte
** offset of the next line not yet emitted, and its line number (for messages); a fill that
** was told to stop after `limit` rows gives the rest of its buffer back to the LineReader, so
** the offset is exact. On restore the source seeks there. The sink pre-commits at a barrier
** with fsync and records the file length; its commit has nothing left to do (the bytes are
** durable and in place). On restore it opens the file without truncating it and truncates it
** to the recorded length, which removes whatever was written after that checkpoint's barrier:
** the restored pipeline writes those rows again.
**
** Parallelism: like Arroyo's single_file source, only subtask 0 reads the file; the other
** subtasks open nothing and say so (Source.finished), so the worker counts them as ended,
** with watermark +infinity, before any thread runs: they never hold back a watermark, not
** even for a moment. The sink is one writer thread per table fed by every producing subtask,
** in whole encoded records, so the file is one valid JSON-lines file.
** It does not split files among parallel readers or watch directories (that is the
** filesystem connector's job, later).
*/
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../runtime/runtime.h"

#define MIN_CHUNK (16 * 1024)
#define MAX_CHUNK (512 * 1024)

typedef struct FileSource {
  const char *path;      /* borrowed from the connector options */
  int fd;                /* open input */
  LineReader lr;         /* block reader over fd */
  Decoder *dec;          /* record decoder for the table's format */
  int64_t line_no;       /* lines consumed so far (1-based number of the last one) */
  uint64_t lines;        /* lines seen, for the block-size estimate */
} FileSource;

static int src_open(Source *s, char *err, size_t errlen) {
  const char *path = conn_opt(s->conn, "path");
  if (!path || !*path) { snprintf(err, errlen, "missing option 'path'"); return -1; }
  if (s->subtask > 0) {                  /* state stays NULL: this subtask reads nothing */
    s->finished = 1;
    return 0;
  }
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
    return -1;
  }
  int64_t offset = 0, line_no = 0;
  if (s->resume && s->resume->n >= 2) {
    struct stat st;
    offset = s->resume->v[0];
    line_no = s->resume->v[1];
    if (fstat(fd, &st) < 0 || offset < 0 || st.st_size < offset ||
        lseek(fd, (off_t)offset, SEEK_SET) < 0) {
      snprintf(err, errlen, "cannot resume '%s' at byte %lld (the checkpointed position): %s",
               path, (long long)offset,
               st.st_size < offset ? "the file is shorter now" : strerror(errno));
      close(fd);
      return -1;
    }
  }
  char derr[512];
  derr[0] = 0;
  Decoder *dec = dec_new(s->conn, derr, sizeof derr);
  if (!dec) {
    snprintf(err, errlen, "%s", derr[0] ? derr : "unsupported format");
    close(fd);
    return -1;
  }
  posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  FileSource *f = calloc(1, sizeof *f);
  if (!f) { fprintf(stderr, "arroyo: out of memory\n"); abort(); }
  f->path = path;
  f->fd = fd;
  f->dec = dec;
  lr_init(&f->lr, fd, 64 * 1024);
  f->lr.bytes_read = (uint64_t)offset;
  f->line_no = line_no;
  s->state = f;
  return 0;
}

/* (offset of the next line not emitted, its line number - 1) */
static void src_position(Source *s, CkPos *out) {
  FileSource *f = s->state;
  out->n = 0;
  if (!f) return;                        /* not subtask 0 */
  out->n = 2;
  out->v[0] = (int64_t)(f->lr.bytes_read - f->lr.carry.len);
  out->v[1] = f->line_no;
}

static int src_fill(Source *s, SrcBatch *b, char *err, size_t errlen) {
  FileSource *f = s->state;
  if (!f) return SRC_END;                /* not subtask 0 */
  int rc = lr_fill(&f->lr, &b->input);
  if (rc < 0) {
    snprintf(err, errlen, "source '%s' (single_file): cannot read '%s': %s", s->conn->table,
             f->path, strerror(errno));
    return SRC_ERR;
  }
  if (rc == 0) return SRC_END;
  int64_t now = rt_wall_clock_ns();   /* arrival time, for tables without event time */
  const char *pos = b->input.p, *end = b->input.p + b->input.len, *line;
  size_t len;
  while (pos < end) {
    if (s->limit >= 0 && b->n >= s->limit) {
      lr_unread(&f->lr, pos, (size_t)(end - pos));    /* the next fill starts here */
      break;
    }
    lr_next(&pos, end, &line, &len);
    f->line_no++;
    f->lines++;
    if (len == 0) continue;
    if (src_decode(s, f->dec, b, line, len, now, f->path, f->line_no, err, errlen) < 0)
      return SRC_ERR;
  }
  /* Aim the next read at about batch_rows lines, so batches stay cache-sized. */
  size_t avg = f->lines ? (size_t)(f->lr.bytes_read / f->lines) + 1 : 64;
  size_t chunk = avg * (size_t)s->batch_rows;
  f->lr.chunk = chunk < MIN_CHUNK ? MIN_CHUNK : chunk > MAX_CHUNK ? MAX_CHUNK : chunk;
  return f->lr.eof && f->lr.carry.len == 0 ? SRC_END : SRC_MORE;
}

static void src_close(Source *s) {
  FileSource *f = s->state;
  if (!f) return;
  lr_free(&f->lr);
  dec_free(f->dec);
  close(f->fd);
  free(f);
  s->state = NULL;
}

const SourceOps src_single_file = { "single_file", src_open, src_fill, src_close, 0,
                                    src_position };

/* ---- sink -------------------------------------------------------------------------------- */

int sink_write_fd(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t k = write(fd, p, n);
    if (k < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += k;
    n -= (size_t)k;
  }
  return 0;
}

static int sink_open(Sink *s, char *err, size_t errlen) {
  const char *path = conn_opt(s->conn, "path");
  if (!path || !*path) { snprintf(err, errlen, "missing option 'path'"); return -1; }
  if (s->resume && s->resume->n >= 1) {
    /* Restore: keep what the checkpoint committed, drop what was written after it. */
    int64_t len = s->resume->v[0];
    struct stat st;
    s->fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (s->fd < 0) {
      snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
      return -1;
    }
    if (fstat(s->fd, &st) < 0 || st.st_size < len) {
      snprintf(err, errlen, "cannot restore '%s': it has %lld bytes, fewer than the %lld the "
               "checkpoint committed", path, (long long)st.st_size, (long long)len);
      close(s->fd);
      s->fd = -1;
      return -1;
    }
    if (ftruncate(s->fd, (off_t)len) < 0 || lseek(s->fd, (off_t)len, SEEK_SET) < 0 ||
        fsync(s->fd) < 0) {
      snprintf(err, errlen, "cannot truncate '%s' to %lld bytes: %s", path, (long long)len,
               strerror(errno));
      close(s->fd);
      s->fd = -1;
      return -1;
    }
    return 0;
  }
  s->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (s->fd < 0) {
    snprintf(err, errlen, "cannot create '%s': %s", path, strerror(errno));
    return -1;
  }
  return 0;
}

/* Phase 1 of the commit: every byte before the barrier is written; make it durable. */
static int sink_precommit(Sink *s, CkPos *out, char *err, size_t errlen) {
  off_t len = lseek(s->fd, 0, SEEK_CUR);
  if (len < 0 || fsync(s->fd) < 0) {
    snprintf(err, errlen, "cannot sync '%s': %s", conn_opt(s->conn, "path"), strerror(errno));
    return -1;
  }
  out->n = 1;
  out->v[0] = (int64_t)len;
  return 0;
}

static int sink_write(Sink *s, const char *p, size_t n, char *err, size_t errlen) {
  if (sink_write_fd(s->fd, p, n) < 0) {
    snprintf(err, errlen, "cannot write '%s': %s", conn_opt(s->conn, "path"), strerror(errno));
    return -1;
  }
  return 0;
}

static int sink_close(Sink *s, char *err, size_t errlen) {
  if (s->fd < 0) return 0;
  int rc = close(s->fd);
  s->fd = -1;
  if (rc < 0) {
    snprintf(err, errlen, "cannot close '%s': %s", conn_opt(s->conn, "path"), strerror(errno));
    return -1;
  }
  return 0;
}

/* Phase 2 needs nothing: the precommitted bytes are durable and in place, and bytes written
** after that barrier are cut off by the truncation on restore. */
const SinkOps sink_single_file = { "single_file", 1, sink_open, sink_write, sink_close,
                                   sink_precommit, NULL };
