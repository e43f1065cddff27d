/*
** compiler/compile.c: the compile entry point arroyo_compile_sql(): sets up the compile
** context (arena, diagnostics, longjmp target), loads UDF declarations from --udf files,
** then runs parse -> bind -> plan -> codegen. It does not invoke a C compiler (cc.c does).
**
** UDF files declare each function in a comment line
**     ARROYO_UDF name(TYPE, ...) -> TYPE
** followed by its C definition; see docs/udf.md.
*/
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <ctype.h>
#include <strings.h>
#include "compiler.h"

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  Buf b = {0};
  char tmp[65536];
  size_t n;
  while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) buf_put(&b, tmp, n);
  fclose(f);
  buf_cstr(&b);
  *len = b.len;
  return b.p;
}

/* Scan a UDF file for "ARROYO_UDF name(T, ...) -> T" declarations. */
static void load_udfs(Cx *cx, const char *path, const char *text) {
  Catalog *cat = cx->cat;
  int line = 1;
  for (const char *p = text; *p; p++) {
    if (*p == '\n') { line++; continue; }
    int aggregate = strncmp(p, "ARROYO_UDAF", 11) == 0;
    if (!aggregate && strncmp(p, "ARROYO_UDF", 10) != 0) continue;
    const char *q = p + (aggregate ? 11 : 10);
    while (*q == ' ' || *q == '\t') q++;
    const char *name = q;
    while (isalnum((unsigned char)*q) || *q == '_') q++;
    if (q == name || *q != '(') goto bad;
    char *fname = cx_strndup(cx, name, (size_t)(q - name));
    for (char *c = fname; *c; c++) *c = (char)tolower((unsigned char)*c);
    q++;
    SqlType args[32];
    int nargs = 0;
    while (*q == ' ') q++;
    if (*q != ')') {
      for (;;) {
        const char *s = q;
        while (*q && *q != ',' && *q != ')' && *q != '\n') q++;
        if ((*q != ',' && *q != ')') || nargs == 32) goto bad;
        char *tt = cx_strndup(cx, s, (size_t)(q - s));
        args[nargs++] = parse_type_text(cx, tt, line, 1);
        if (*q == ')') break;
        q++;
      }
    }
    q++;
    while (*q == ' ') q++;
    if (q[0] != '-' || q[1] != '>') goto bad;
    q += 2;
    const char *rs = q;
    while (*q && *q != '\n' && !(q[0] == '*' && q[1] == '/')) q++;
    const char *re = q;
    while (re > rs && isspace((unsigned char)re[-1])) re--;
    int nullable = 0;
    if (re - rs > 9 && strncasecmp(re - 8, "NULLABLE", 8) == 0 && isspace((unsigned char)re[-9])) {
      nullable = 1;
      re -= 8;
      while (re > rs && isspace((unsigned char)re[-1])) re--;
    }
    SqlType ret = parse_type_text(cx, cx_strndup(cx, rs, (size_t)(re - rs)), line, 1);
    for (int i = 0; i < cat->nudfs; i++)
      if (strcmp(cat->udfs[i].name, fname) == 0)
        diag_error(cx, line, 1, "UDF '%s' is declared twice", fname);
    if (fn_lookup(fname))
      diag_error(cx, line, 1, "UDF '%s' has the name of a builtin function", fname);
    Udf *nu = cx_alloc(cx, sizeof(Udf) * (size_t)(cat->nudfs + 1));
    if (cat->nudfs) memcpy(nu, cat->udfs, sizeof(Udf) * (size_t)cat->nudfs);
    Udf *u = &nu[cat->nudfs++];
    cat->udfs = nu;
    u->name = fname;
    u->nargs = nargs;
    u->args = cx_alloc(cx, sizeof(SqlType) * (size_t)(nargs ? nargs : 1));
    memcpy(u->args, args, sizeof(SqlType) * (size_t)nargs);
    u->ret = ret;
    u->aggregate = aggregate;
    u->nullable = nullable;
    if (aggregate && agg_is_aggregate_name(fname))
      diag_error(cx, line, 1, "UDAF '%s' has the name of a builtin aggregate", fname);
    if (aggregate)
      for (int i = 0; i < nargs; i++)
        if (type_is_stringy(args[i]))
          diag_error(cx, line, 1, "UDAF '%s': TEXT/JSON/BYTEA arguments are not supported yet", fname);
    u->file = path;
    u->line = line;
    p = q - 1;
    continue;
  bad:
    diag_error(cx, line, 1, "malformed UDF declaration (expected: ARROYO_UDF name(TYPE, ...) -> TYPE "
               "[NULLABLE], or ARROYO_UDAF for an aggregate)");
  }
}

/* Everything that can fail with diag_error (which longjmps to `guarded`). */
static void compile_body(Cx *cx, const CompileOptions *opt, const char *text, size_t len,
                         char **c_out, char **plan_out) {
  cx->cat = cx_alloc(cx, sizeof(Catalog));
  Catalog *cat = cx->cat;
  cat->updating_ttl_ns = 24LL * 3600 * 1000000000LL;   /* default: a day, as Arroyo */
  if (opt->nudf > 0) {
    cat->udf_sources = cx_alloc(cx, sizeof(char *) * (size_t)opt->nudf);
    cat->udf_paths = cx_alloc(cx, sizeof(char *) * (size_t)opt->nudf);
  }
  for (int i = 0; i < opt->nudf; i++) {
    size_t n;
    char *src = read_file(opt->udf_files[i], &n);
    if (!src) diag_error(cx, 1, 1, "cannot read UDF file '%s'", opt->udf_files[i]);
    char *copy = cx_strndup(cx, src, n);
    free(src);
    const char *saved = cx->filename;
    cx->filename = opt->udf_files[i];
    load_udfs(cx, opt->udf_files[i], copy);
    cx->filename = saved;
    cat->udf_sources[cat->nudf_sources] = copy;
    cat->udf_paths[cat->nudf_sources++] = opt->udf_files[i];
  }
  /* a script is NUL-free text: a NUL byte would cut it short silently */
  if (memchr(text, 0, len)) {
    const char *z = memchr(text, 0, len);
    int line = 1, col = 1;
    for (const char *p = text; p < z; p++) { if (*p == '\n') { line++; col = 1; } else col++; }
    diag_error(cx, line, col, "unexpected NUL byte in the script");
  }
  Script *s = parse_script(cx, cx->src, cx->srclen);
  bind_script(cx, s);
  char *plan = plan_explain(cx);
  char *c = cg_generate(cx, plan);
  *c_out = strdup(c);
  *plan_out = strdup(plan);
}

static int guarded(Cx *cx, const CompileOptions *opt, const char *text, size_t len,
                   char **c_out, char **plan_out) {
  if (setjmp(cx->fail)) return -1;
  compile_body(cx, opt, text, len, c_out, plan_out);
  return 0;
}

int arroyo_compile_sql(const CompileOptions *opt_in, const char *text, size_t len,
                       char **c_out, char **plan_out, char **diag_out) {
  static const CompileOptions defaults = { "-", NULL, 0, 0 };
  const CompileOptions *opt = opt_in ? opt_in : &defaults;
  Cx *cx = calloc(1, sizeof *cx);
  if (!cx) return -1;
  arena_init(&cx->arena, 64 * 1024);
  cx->filename = opt->filename ? opt->filename : "-";
  cx->opt = opt;
  cx->src = arena_strndup(&cx->arena, text, len);
  cx->srclen = len;
  *c_out = NULL;
  *diag_out = NULL;
  char *plan = NULL;
  int rc = guarded(cx, opt, text, len, c_out, &plan);
  if (rc < 0) *diag_out = strdup(buf_cstr(&cx->diag));
  if (plan_out) *plan_out = plan; else free(plan);
  cx_free_bufs(cx);
  buf_free(&cx->diag);
  arena_free(&cx->arena);
  free(cx);
  return rc;
}
