/*
** runtime/main.c: the arroyo-worker command line.
**
**   arroyo-worker PIPELINE.so [--parallelism N] [--batch-rows N] [--no-inline-sources]
**                 [--checkpoint-dir DIR_OR_URL] [--checkpoint-interval DURATION]
**                 [--checkpoint-keep N] [--restore] [--stop-after ROWS]
**
** Loads the pipeline and runs it (worker.c) until every bounded source is exhausted and all
** sinks are flushed and closed, or until SIGINT/SIGTERM, which stops the sources and then
** finishes cleanly (a second signal exits at once). Without --checkpoint-dir a stop ends the
** sources like the end of their input (windows close); with it, a stop takes a final
** checkpoint instead and exits 0 without closing windows, so --restore continues exactly
** there. Prints one summary line per source, stage (late rows) and sink on stderr, and one
** line per checkpoint. --parallelism N (1..1024, default 1) runs every source and stage as N
** subtasks (worker.c). --batch-rows N (1..1000000, default 8192) is the number of rows per
** batch between threads (batches also stay under 512 KB of row structs);
** --no-inline-sources gives every source subtask its own thread, also generators that the
** worker would otherwise run on their stage's thread (for comparisons).
**
** Checkpoints: --checkpoint-dir takes a directory or file:// URL or s3://bucket/prefix
** (ckpt_store.c); --checkpoint-interval a duration: an integer with ms, s, m or h (default
** 10s); --checkpoint-keep how many complete checkpoints stay (default 3). --restore resumes
** from the newest complete checkpoint there; without one it is an error (it does not start
** afresh silently: that would overwrite the output). --stop-after ROWS (testing) stops like
** SIGTERM once the sources emitted ROWS rows in all.
**
** Exit status: 0 success, 1 runtime error (message on stderr), 2 usage error.
** It does not know about connectors or threads.
*/
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "runtime.h"

static void usage(FILE *f) {
  fprintf(f, "usage: arroyo-worker PIPELINE.so [--parallelism N] [--batch-rows N]\n"
             "                     [--no-inline-sources] [--checkpoint-dir DIR_OR_URL]\n"
             "                     [--checkpoint-interval DURATION] [--checkpoint-keep N]\n"
             "                     [--restore] [--stop-after ROWS]\n"
             "\n"
             "  --parallelism N          subtasks per source and stage (1..1024, default 1)\n"
             "  --batch-rows N           rows per batch between threads (default 8192)\n"
             "  --no-inline-sources      every source subtask on its own thread\n"
             "  --checkpoint-dir D       take checkpoints in D: a directory, file:///path or\n"
             "                           s3://bucket/prefix (AWS_* environment variables)\n"
             "  --checkpoint-interval T  time between checkpoints: 500ms, 10s, 1m, 1h\n"
             "                           (default 10s)\n"
             "  --checkpoint-keep N      complete checkpoints to keep (default 3)\n"
             "  --restore                resume from the newest complete checkpoint in the\n"
             "                           --checkpoint-dir; an error if there is none\n"
             "  --stop-after ROWS        stop as SIGTERM does once the sources emitted ROWS\n"
             "                           rows (testing)\n"
             "\n"
             "SIGINT/SIGTERM stop the sources; with --checkpoint-dir a final checkpoint is\n"
             "taken and windows stay open for --restore, otherwise windows close as at the\n"
             "end of the input.\n");
}

/* "10s", "500ms", "1m", "1h": an integer and a unit -> ns. 0, or -1 when malformed. */
static int parse_duration(const char *s, int64_t *ns) {
  char *end;
  long long v = strtoll(s, &end, 10);
  int64_t unit;
  if (end == s || v <= 0 || *s < '0' || *s > '9') return -1;
  if (!strcmp(end, "ms")) unit = 1000000LL;
  else if (!strcmp(end, "s")) unit = 1000000000LL;
  else if (!strcmp(end, "m")) unit = 60 * 1000000000LL;
  else if (!strcmp(end, "h")) unit = 3600 * 1000000000LL;
  else return -1;
  if (v > INT64_MAX / unit) return -1;
  *ns = (int64_t)v * unit;
  return 0;
}

/* Whole string is a decimal integer in [lo, hi]. */
static int parse_int(const char *s, long long lo, long long hi, long long *out) {
  char *end;
  long long v = strtoll(s, &end, 10);
  if (end == s || *end || v < lo || v > hi) return -1;
  *out = v;
  return 0;
}

static int checkpoints_on;   /* set before the handlers are installed */

/* First SIGINT/SIGTERM: stop (see worker.c, "Stops"), and say what the stop still does, so a
** stop that takes a while (every open window closes, which can be much work) is not taken
** for an ignored signal. A second one exits at once. Only async-signal-safe calls here. */
static void on_signal(int sig) {
  if (wk_stop_requested()) {
    static const char msg[] = "arroyo-worker: second signal, exiting without cleanup\n";
    if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) { /* nothing left to do */ }
    _exit(128 + sig);
  }
  static const char ck[] = "arroyo-worker: stopping: taking a final checkpoint (signal again to "
                           "exit at once, without it)\n";
  static const char nock[] = "arroyo-worker: stopping: sources end, open windows close and sinks "
                             "flush (signal again to exit at once)\n";
  if (write(STDERR_FILENO, checkpoints_on ? ck : nock, checkpoints_on ? sizeof ck - 1 : sizeof nock - 1) < 0) {
    /* the stop goes on regardless */
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
  long long n;
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
    } else if (is_flag(argv[i], "--checkpoint-dir")) {
      v = flag_value(argc, argv, &i, "--checkpoint-dir");
      if (!*v) {
        fprintf(stderr, "arroyo-worker: --checkpoint-dir needs a directory or URL\n");
        return 2;
      }
      opt.ckpt_url = v;
    } else if (is_flag(argv[i], "--checkpoint-interval")) {
      v = flag_value(argc, argv, &i, "--checkpoint-interval");
      if (parse_duration(v, &opt.ckpt_interval_ns) < 0) {
        fprintf(stderr, "arroyo-worker: --checkpoint-interval must be a positive integer with "
                "a unit (ms, s, m or h), e.g. 500ms or 10s, not '%s'\n", v);
        return 2;
      }
    } else if (is_flag(argv[i], "--checkpoint-keep")) {
      v = flag_value(argc, argv, &i, "--checkpoint-keep");
      if (parse_int(v, 1, 1000000, &n) < 0) {
        fprintf(stderr, "arroyo-worker: --checkpoint-keep must be an integer from 1 to 1000000, "
                "not '%s'\n", v);
        return 2;
      }
      opt.ckpt_keep = (int)n;
    } else if (is_flag(argv[i], "--stop-after")) {
      v = flag_value(argc, argv, &i, "--stop-after");
      if (parse_int(v, 1, INT64_MAX, &n) < 0) {
        fprintf(stderr, "arroyo-worker: --stop-after must be a positive number of rows, not "
                "'%s'\n", v);
        return 2;
      }
      opt.stop_after = n;
    } else if (strcmp(argv[i], "--restore") == 0) {
      opt.restore = 1;
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
  if (opt.restore && !opt.ckpt_url) {
    fprintf(stderr, "arroyo-worker: --restore needs --checkpoint-dir (where the checkpoints "
            "are)\n");
    return 2;
  }
  if ((opt.ckpt_interval_ns || opt.ckpt_keep) && !opt.ckpt_url) {
    fprintf(stderr, "arroyo-worker: --checkpoint-interval and --checkpoint-keep need "
            "--checkpoint-dir\n");
    return 2;
  }

  /* A closed stdout or socket must become a write error, not kill the process. */
  signal(SIGPIPE, SIG_IGN);
  checkpoints_on = opt.ckpt_url != NULL;
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
