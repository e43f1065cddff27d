/*
** runtime/main.c: the arroyo-worker command line.
**
**   arroyo-worker PIPELINE.so [--parallelism N] [--batch-rows N] [--no-inline-sources]
**                 [--checkpoint-dir DIR] [--checkpoint-interval DURATION] [--restore]
**
** Loads the pipeline and runs it (worker.c) until every bounded source is exhausted and all
** sinks are flushed and closed, or until SIGINT/SIGTERM, which stops the sources and then
** finishes the same clean way (a second signal exits at once). Prints one summary line per
** source, stage (late rows) and sink on stderr. --parallelism N (1..1024, default 1) runs
** every source and stage as N subtasks (worker.c). --batch-rows N (1..1000000, default 8192)
** is the number of rows per batch between threads (batches also stay under 512 KB of row
** structs); --no-inline-sources gives every source subtask its own thread, also generators
** that the worker would otherwise run on their stage's thread (for comparisons). Exit status: 0 success, 1 runtime error
** (message on stderr), 2 usage error or a feature that is not supported yet (checkpoints).
** It does not know about connectors or threads.
*/
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "runtime.h"

static void usage(FILE *f) {
  fprintf(f, "usage: arroyo-worker PIPELINE.so [--parallelism N] [--batch-rows N]\n"
             "                     [--no-inline-sources] [--checkpoint-dir DIR]\n"
             "                     [--checkpoint-interval DURATION] [--restore]\n");
}

static void on_signal(int sig) {
  if (wk_stop_requested()) {
    static const char msg[] = "arroyo-worker: second signal, exiting without cleanup\n";
    if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) { /* nothing left to do */ }
    _exit(128 + sig);
  }
  wk_request_stop();
}

/* "--name value" or "--name=value": the value, advancing *i; NULL if absent. */
static const char *flag_value(int argc, char **argv, int *i, const char *name) {
  size_t n = strlen(name);
  if (strncmp(argv[*i], name, n) != 0) return NULL;
  if (argv[*i][n] == '=') return argv[*i] + n + 1;
  if (argv[*i][n] != 0) return NULL;
  if (*i + 1 >= argc) {
    fprintf(stderr, "arroyo-worker: %s needs a value\n", name);
    exit(2);
  }
  return argv[++*i];
}

static int is_flag(const char *arg, const char *name) {
  size_t n = strlen(name);
  return strncmp(arg, name, n) == 0 && (arg[n] == 0 || arg[n] == '=');
}

int main(int argc, char **argv) {
  const char *so = NULL;
  WkOptions opt = { 1, 0, 0, 0, 0 };
  for (int i = 1; i < argc; i++) {
    const char *v;
    if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
      usage(stdout);
      return 0;
    } else if (is_flag(argv[i], "--parallelism")) {
      v = flag_value(argc, argv, &i, "--parallelism");
      char *end;
      long n = strtol(v, &end, 10);
      if (end == v || *end || n < 1 || n > 1024) {
        fprintf(stderr, "arroyo-worker: --parallelism must be an integer from 1 to 1024, "
                "not '%s'\n", v);
        return 2;
      }
      opt.parallelism = (int)n;
    } else if (is_flag(argv[i], "--batch-rows")) {
      v = flag_value(argc, argv, &i, "--batch-rows");
      char *end;
      long n = strtol(v, &end, 10);
      if (end == v || *end || n < 1 || n > 1000000) {
        fprintf(stderr, "arroyo-worker: --batch-rows must be an integer from 1 to 1000000, "
                "not '%s'\n", v);
        return 2;
      }
      opt.batch_rows = (int)n;
    } else if (strcmp(argv[i], "--no-inline-sources") == 0) {
      opt.no_inline = 1;
    } else if (is_flag(argv[i], "--checkpoint-dir") || is_flag(argv[i], "--checkpoint-interval")) {
      const char *name = is_flag(argv[i], "--checkpoint-dir") ? "--checkpoint-dir"
                                                               : "--checkpoint-interval";
      flag_value(argc, argv, &i, name);
      fprintf(stderr, "arroyo-worker: %s: checkpoints are not supported yet\n", name);
      return 2;
    } else if (strcmp(argv[i], "--restore") == 0) {
      fprintf(stderr, "arroyo-worker: --restore: checkpoints are not supported yet\n");
      return 2;
    } else if (argv[i][0] == '-' && argv[i][1] != 0) {
      fprintf(stderr, "arroyo-worker: unknown option '%s'\n", argv[i]);
      usage(stderr);
      return 2;
    } else if (!so) {
      so = argv[i];
    } else {
      fprintf(stderr, "arroyo-worker: unexpected argument '%s'\n", argv[i]);
      usage(stderr);
      return 2;
    }
  }
  if (!so) {
    usage(stderr);
    return 2;
  }

  /* A closed stdout or socket must become a write error, not kill the process. */
  signal(SIGPIPE, SIG_IGN);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);

  char err[2048];
  err[0] = 0;
  Worker *w = wk_load(so, &opt, err, sizeof err);
  if (!w) {
    fprintf(stderr, "arroyo-worker: error: %s\n", err);
    return 1;
  }
  int rc = wk_run(w);
  fflush(stdout);
  wk_summary(w, stderr);
  if (rc < 0) fprintf(stderr, "arroyo-worker: error: %s\n", wk_error(w));
  wk_free(w);
  return rc < 0 ? 1 : 0;
}
