/*
** connectors/blackhole.c: the blackhole sink, which discards rows.
**
** `encodes` is 0, so the worker creates no encoder, no buffers and no writer thread for it:
** rt_emit only counts the row, and the retractions among the rows: an updating result may go
** into a blackhole without a format (the summary prints "N insertions, M retractions"). That
** keeps benchmarks through a blackhole measuring the pipeline, not JSON encoding. It never
** fails and has no options.
*/
#include "../runtime/runtime.h"

static int bh_open(Sink *s, char *err, size_t errlen) { return 0; }

static int bh_write(Sink *s, const char *p, size_t n, char *err, size_t errlen) { return 0; }

static int bh_close(Sink *s, char *err, size_t errlen) { return 0; }

const SinkOps sink_blackhole = { "blackhole", 0, bh_open, bh_write, bh_close };
