/*
** compiler/cc.c: the two C backends behind one call, cc_build().
**   tcc: libtcc in process (milliseconds); outputs a shared object directly.
**   gcc: gcc -O2 -shared -fPIC as a child process (about a second; faster code).
** gcc gets -fno-tree-loop-distribute-patterns so byte loops in generated code never become
** memcpy/memset calls (the object must not need libc).
** Both compile the generated file with warnings as errors and find runtime/abi.h through
** ARROYO_RUNTIME_DIR (environment, else the directory baked in at build time).
** The .so is written to a temporary name and renamed, so a failed build leaves no output.
** Compiler messages are captured and returned with the C file's path in them.
*/
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <libtcc.h>
#include "compiler.h"

#ifndef ARROYO_RUNTIME_DIR
#define ARROYO_RUNTIME_DIR "runtime"
#endif
#ifndef TCC_LIB_DIR
#define TCC_LIB_DIR "/usr/lib/x86_64-linux-gnu/tcc"
#endif

static const char *runtime_dir(void) {
  const char *e = getenv("ARROYO_RUNTIME_DIR");
  return e && *e ? e : ARROYO_RUNTIME_DIR;
}

static void tcc_error_cb(void *opaque, const char *msg) {
  Buf *b = opaque;
  buf_puts(b, msg);
  buf_putc(b, '\n');
}

static int build_tcc(const char *src, const char *c_path, const char *tmp_so, Buf *diag) {
  TCCState *s = tcc_new();
  if (!s) { buf_puts(diag, "libtcc: cannot create a compile state\n"); return -1; }
  tcc_set_error_func(s, diag, tcc_error_cb);
  tcc_set_lib_path(s, TCC_LIB_DIR);
  tcc_set_options(s, "-Wall -Werror");
  tcc_add_include_path(s, runtime_dir());
  tcc_set_output_type(s, TCC_OUTPUT_DLL);
  int rc = -1;
  if (tcc_compile_string(s, src) < 0) {
    buf_printf(diag, "(generated C: %s)\n", c_path ? c_path : "use --emit-c to keep it");
  } else if (tcc_output_file(s, tmp_so) < 0) {
    buf_printf(diag, "libtcc: cannot write %s\n", tmp_so);
  } else rc = 0;
  tcc_delete(s);
  return rc;
}

static int build_gcc(const char *src, const char *c_path, const char *tmp_so, Buf *diag) {
  char tmpl[] = "/tmp/arroyo-XXXXXX.c";
  const char *path = c_path;
  int own = 0;
  if (!path) {
    int fd = mkstemps(tmpl, 2);
    if (fd < 0) { buf_puts(diag, "cannot create a temporary file for gcc\n"); return -1; }
    size_t n = strlen(src);
    if (write(fd, src, n) != (ssize_t)n) { close(fd); unlink(tmpl); return -1; }
    close(fd);
    path = tmpl;
    own = 1;
  }
  char inc[4096];
  snprintf(inc, sizeof inc, "-I%s", runtime_dir());
  int pipefd[2];
  if (pipe(pipefd) < 0) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(pipefd[1], 2);
    dup2(pipefd[1], 1);
    close(pipefd[0]);
    execlp("gcc", "gcc", "-O2", "-shared", "-fPIC", "-std=gnu99", "-Wall", "-Werror",
           "-Wno-unused-variable", "-Wno-unused-but-set-variable", "-Wno-unused-function",
           "-fno-strict-aliasing", "-fno-tree-loop-distribute-patterns", inc, "-o", tmp_so, path, (char *)NULL);
    _exit(127);
  }
  close(pipefd[1]);
  char tmp[4096];
  ssize_t n;
  while ((n = read(pipefd[0], tmp, sizeof tmp)) > 0) buf_put(diag, tmp, (size_t)n);
  close(pipefd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (own) unlink(tmpl);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) buf_puts(diag, "cannot run gcc\n");
    if (own) buf_puts(diag, "(generated C was in a temporary file: use --emit-c to keep it)\n");
    return -1;
  }
  return 0;
}

int cc_build(const char *backend, const char *c_source, const char *c_path, const char *out_so,
             char **diag_out) {
  Buf diag = {0};
  *diag_out = NULL;
  size_t n = strlen(out_so);
  char *tmp_so = malloc(n + 32);
  snprintf(tmp_so, n + 32, "%s.tmp%d", out_so, (int)getpid());
  int rc;
  if (strcmp(backend, "tcc") == 0) rc = build_tcc(c_source, c_path, tmp_so, &diag);
  else if (strcmp(backend, "gcc") == 0) rc = build_gcc(c_source, c_path, tmp_so, &diag);
  else { buf_printf(&diag, "unknown backend '%s' (expected tcc or gcc)\n", backend); rc = -1; }
  if (rc == 0 && rename(tmp_so, out_so) < 0) {
    buf_printf(&diag, "cannot rename %s to %s\n", tmp_so, out_so);
    rc = -1;
  }
  if (rc < 0) {
    unlink(tmp_so);
    *diag_out = strdup(diag.len ? buf_cstr(&diag) : "C compilation failed\n");
  }
  free(tmp_so);
  buf_free(&diag);
  return rc;
}
