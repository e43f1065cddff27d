/*
** compiler/main.c: bin/arroyo-compile, the command-line front end.
**   arroyo-compile QUERY.sql -o PIPELINE.so [--backend tcc|gcc] [--udf FILE.c]...
**                  [--emit-c FILE.c] [--explain]
** QUERY.sql may be "-" for standard input. Errors go to stderr as FILE:LINE:COL: error: ...
** and exit status 1; nothing is written to -o then. Usage errors exit 2.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "compiler.h"

static void usage(void) {
  fprintf(stderr,
          "usage: arroyo-compile QUERY.sql -o PIPELINE.so [--backend tcc|gcc] [--udf FILE.c]...\n"
          "                      [--emit-c FILE.c] [--explain] [--time]\n");
  exit(2);
}

static char *slurp(FILE *f, size_t *len) {
  Buf b = {0};
  char tmp[65536];
  size_t n;
  while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) buf_put(&b, tmp, n);
  buf_cstr(&b);
  *len = b.len;
  return b.p;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
  const char *query = NULL, *out = NULL, *backend = "tcc", *emit_c = NULL;
  int explain = 0, timing = 0;
  const char **udfs = calloc((size_t)argc, sizeof(char *));
  int nudf = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-o") && i + 1 < argc) out = argv[++i];
    else if (!strcmp(a, "--backend") && i + 1 < argc) backend = argv[++i];
    else if (!strncmp(a, "--backend=", 10)) backend = a + 10;
    else if (!strcmp(a, "--udf") && i + 1 < argc) udfs[nudf++] = argv[++i];
    else if (!strcmp(a, "--emit-c") && i + 1 < argc) emit_c = argv[++i];
    else if (!strcmp(a, "--explain")) explain = 1;
    else if (!strcmp(a, "--time")) timing = 1;
    else if (!strcmp(a, "-h") || !strcmp(a, "--help")) usage();
    else if (a[0] == '-' && a[1] != 0) { fprintf(stderr, "arroyo-compile: unknown option %s\n", a); usage(); }
    else if (!query) query = a;
    else usage();
  }
  if (!query) usage();
  if (strcmp(backend, "tcc") != 0 && strcmp(backend, "gcc") != 0) {
    fprintf(stderr, "arroyo-compile: unknown backend '%s' (expected tcc or gcc)\n", backend);
    return 2;
  }
  if (!out && !emit_c && !explain) {
    fprintf(stderr, "arroyo-compile: nothing to do: give -o, --emit-c or --explain\n");
    return 2;
  }
  FILE *f = strcmp(query, "-") == 0 ? stdin : fopen(query, "rb");
  if (!f) { fprintf(stderr, "arroyo-compile: cannot open %s\n", query); return 1; }
  size_t len;
  char *text = slurp(f, &len);
  if (f != stdin) fclose(f);

  double t0 = now_ms();
  CompileOptions opt = { query, udfs, nudf, explain };
  char *c = NULL, *plan = NULL, *diag = NULL;
  if (arroyo_compile_sql(&opt, text, len, &c, &plan, &diag) < 0) {
    fputs(diag, stderr);
    return 1;
  }
  double t1 = now_ms();
  if (explain) fputs(plan, stdout);
  if (emit_c) {
    FILE *o = fopen(emit_c, "wb");
    if (!o || fwrite(c, 1, strlen(c), o) != strlen(c) || fclose(o) != 0) {
      fprintf(stderr, "arroyo-compile: cannot write %s\n", emit_c);
      return 1;
    }
  }
  if (out) {
    char *cdiag = NULL;
    if (cc_build(backend, c, emit_c, out, &cdiag) < 0) {
      fprintf(stderr, "%s: error: the generated C failed to compile with %s:\n%s", query, backend, cdiag);
      return 1;
    }
  }
  double t2 = now_ms();
  if (timing)
    fprintf(stderr, "arroyo-compile: sql->C %.2f ms, C->so (%s) %.2f ms, total %.2f ms\n",
            t1 - t0, backend, t2 - t1, t2 - t0);
  free(c); free(plan); free(text); free(udfs);
  return 0;
}
