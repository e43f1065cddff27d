/*
** tests/fuzz/fuzz_compile.c: libFuzzer target for the SQL front end (lexer, parser, binder,
** planner and C emitter) through arroyo_compile_sql().
**
** Each input is one SQL script. The compiler must return 0 or -1 without crashing, leaking
** or reading outside the input (it gets exactly `size` bytes, no terminating NUL), and on
** failure must produce a diagnostic. It does not call cc_build: compiling the emitted C is
** the golden tests' job, and libtcc is not fuzz-friendly.
** Built by tests/fuzz/Makefile with clang -fsanitize=fuzzer,address,undefined.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "../../compiler/compiler.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  CompileOptions opt = {0};
  char *c_out = NULL, *plan_out = NULL, *diag_out = NULL;
  opt.filename = "fuzz.sql";
  opt.explain = 1;
  int rc = arroyo_compile_sql(&opt, (const char *)data, size, &c_out, &plan_out, &diag_out);
  if (rc != 0 && rc != -1) {
    fprintf(stderr, "arroyo_compile_sql returned %d (want 0 or -1)\n", rc);
    abort();
  }
  if (rc == -1 && (!diag_out || !diag_out[0])) {
    fprintf(stderr, "arroyo_compile_sql failed without a diagnostic\n");
    abort();
  }
  if (rc == 0 && !c_out) {
    fprintf(stderr, "arroyo_compile_sql succeeded without C output\n");
    abort();
  }
  free(c_out);
  free(plan_out);
  free(diag_out);
  return 0;
}
