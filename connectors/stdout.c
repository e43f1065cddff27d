/*
** connectors/stdout.c: the stdout sink (also where a script's plain SELECT goes).
**
** Writes the encoded records to file descriptor 1 from the sink's writer thread, in the
** blocks the worker hands over (large under load, one batch's worth when the pipeline is
** idle, so a preview shows rows as they come). Close does not close descriptor 1: the
** process may still print to it. A closed pipe (`| head`) is a write error (SIGPIPE is
** ignored by main.c), which stops the pipeline with a message.
** It does not buffer by itself and does not format anything.
*/
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "../runtime/runtime.h"

static int out_open(Sink *s, char *err, size_t errlen) {
  s->fd = STDOUT_FILENO;
  return 0;
}

static int out_write(Sink *s, const char *p, size_t n, char *err, size_t errlen) {
  if (sink_write_fd(s->fd, p, n) < 0) {
    snprintf(err, errlen, "cannot write to standard output: %s", strerror(errno));
    return -1;
  }
  return 0;
}

static int out_close(Sink *s, char *err, size_t errlen) {
  s->fd = -1;
  return 0;
}

const SinkOps sink_stdout = { "stdout", 1, out_open, out_write, out_close };
