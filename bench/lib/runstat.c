/*
** bench/lib/runstat.c: run a command and report what it cost.
**
**   runstat OUT CMD [ARG...]
**
** Forks and execs CMD (stdin/stdout/stderr inherited), waits for it with wait4, and writes one
** line to the file OUT: "<exit> <wall s> <user s> <sys s> <peak RSS KB>". exit is the status,
** or 128+signal. Wall time is CLOCK_MONOTONIC around fork..wait; user/sys cover every thread
** of CMD. Exists because a child forked from a big parent (Python) reports the parent's RSS
** as its peak (Linux keeps the pre-exec high-water mark), and GNU time's %e has only 10 ms
** resolution. runstat's own exit status is 0 unless it could not run CMD or write OUT.
*/
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: runstat OUT CMD [ARG...]\n");
    return 2;
  }
  double t0 = now();
  pid_t pid = fork();
  if (pid < 0) { perror("runstat: fork"); return 2; }
  if (pid == 0) {
    execvp(argv[2], argv + 2);
    perror("runstat: exec");
    _exit(127);
  }
  int status;
  struct rusage ru;
  if (wait4(pid, &status, 0, &ru) < 0) { perror("runstat: wait4"); return 2; }
  double wall = now() - t0;
  int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  FILE *f = fopen(argv[1], "w");
  if (!f) { perror(argv[1]); return 2; }
  fprintf(f, "%d %.6f %.6f %.6f %ld\n", rc, wall,
          (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6,
          (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6, ru.ru_maxrss);
  return fclose(f) == 0 ? 0 : 2;
}
