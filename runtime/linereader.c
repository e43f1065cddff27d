/*
** runtime/linereader.c: split a byte stream (file descriptor) into lines, in big chunks.
**
** lr_fill reads large blocks with read(2) and hands the caller a buffer that holds only whole
** lines: the partial line at the end of a block is kept back ("carry") and put at the front
** of the next fill, so a line that spans a block boundary reaches the caller in one piece
** and the caller can decode lines in place (decoded strings point into the buffer). A line
** longer than a block makes the fill keep reading until its newline or end of file. The last
** line of a stream needs no trailing '\n'. lr_next then walks the lines of a filled buffer,
** without the '\n' and without a '\r' before it (CRLF files).
**
** Each fill writes into a caller-owned Buf, so each batch can own its own input bytes (the
** decoded rows of a batch point into them until the batch is processed).
**
** A caller that stops in the middle of a filled buffer (a source told to emit at most N rows)
** gives the rest back with lr_unread: it goes in front of the carry, and the next fill returns
** its whole lines without reading. So bytes_read - carry.len is always the stream offset of
** the first byte the caller has not consumed: a checkpointable position.
** It does not skip empty lines (callers count every line for "FILE:LINE" messages) and it
** does not know about records or formats.
*/
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "runtime.h"

void lr_init(LineReader *lr, int fd, size_t chunk) {
  memset(lr, 0, sizeof *lr);
  lr->fd = fd;
  lr->chunk = chunk ? chunk : 128 * 1024;
}

void lr_free(LineReader *lr) {
  buf_free(&lr->carry);
}

/* Last '\n' in [p, p+n), or NULL. */
static char *last_newline(char *p, size_t n) {
  return n ? memrchr(p, '\n', n) : NULL;
}

void lr_unread(LineReader *lr, const char *p, size_t n) {
  if (n == 0) return;
  Buf nb = { 0 };
  buf_reserve(&nb, n + lr->carry.len);
  buf_put(&nb, p, n);
  if (lr->carry.len) buf_put(&nb, lr->carry.p, lr->carry.len);
  buf_free(&lr->carry);
  lr->carry = nb;
}

int lr_fill(LineReader *lr, Buf *out) {
  out->len = 0;
  if (lr->carry.len) {
    buf_put(out, lr->carry.p, lr->carry.len);
    lr->carry.len = 0;
    /* Given back by lr_unread: whole lines are ready without a read. */
    char *nl = last_newline(out->p, out->len);
    if (nl) {
      size_t keep = (size_t)(nl - out->p) + 1;
      buf_put(&lr->carry, out->p + keep, out->len - keep);
      out->len = keep;
      return 1;
    }
  }
  for (;;) {
    /* Invariant: out holds no '\n' (a carry without whole lines never does, and we return as
    ** soon as a read brings one), so only newly read bytes need scanning. */
    if (lr->eof) return out->len > 0 ? 1 : 0;   /* final line without '\n', or nothing */
    buf_reserve(out, lr->chunk);
    ssize_t n;
    do n = read(lr->fd, out->p + out->len, lr->chunk); while (n < 0 && errno == EINTR);
    if (n < 0) return -1;
    if (n == 0) { lr->eof = 1; continue; }
    lr->bytes_read += (uint64_t)n;
    char *nl = last_newline(out->p + out->len, (size_t)n);
    out->len += (size_t)n;
    if (nl) {
      size_t keep = (size_t)(nl - out->p) + 1;
      buf_put(&lr->carry, out->p + keep, out->len - keep);
      out->len = keep;
      return 1;
    }
  }
}

int lr_next(const char **pos, const char *end, const char **line, size_t *len) {
  const char *p = *pos;
  if (p >= end) return 0;
  const char *nl = memchr(p, '\n', (size_t)(end - p));
  const char *stop = nl ? nl : end;
  *pos = nl ? nl + 1 : end;
  if (stop > p && stop[-1] == '\r') stop--;
  *line = p;
  *len = (size_t)(stop - p);
  return 1;
}
