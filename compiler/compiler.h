/*
** compiler/compiler.h: the compiler's internal header (lexer, parser, binder, planner,
** code generator, C backends). The top of this file is the entry point used by
** compiler/main.c, the unit tests, the fuzz target and (later) the compiler service.
*/
#ifndef ARROYO_COMPILER_H
#define ARROYO_COMPILER_H

#include <stddef.h>
#include <stdint.h>

typedef struct CompileOptions {
  const char *filename;          /* for diagnostics: "query.sql" or "-" */
  const char *const *udf_files;  /* --udf FILE.c paths */
  int nudf;
  int explain;                   /* produce the EXPLAIN text */
} CompileOptions;

/* Parse, bind, plan and generate C for a script. On success returns 0, sets *c_out to the
** generated C and *plan_out to the EXPLAIN text (both malloc'd, caller frees). On failure
** returns -1 and sets *diag_out to "FILE:LINE:COL: error: ...\n" lines (malloc'd, caller
** frees). Never crashes on any input bytes. */
int arroyo_compile_sql(const CompileOptions *opt, const char *text, size_t len,
                       char **c_out, char **plan_out, char **diag_out);

/* Compile generated C into a shared object with "tcc" (libtcc, in process) or "gcc"
** (gcc -O2 -shared -fPIC). c_path, if not NULL, names a file holding the same source, used in
** error messages. Returns 0, or -1 with *diag_out (malloc'd). */
int cc_build(const char *backend, const char *c_source, const char *c_path, const char *out_so,
             char **diag_out);

#endif
