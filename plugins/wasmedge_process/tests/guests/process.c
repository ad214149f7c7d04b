/* Runs a host command through the wasmedge_process plug-in and prints what came back.
 *
 * Usage: process.wasm [OPTION]... [--] PROGRAM [ARG]...
 *   --env K=V      add an environment variable (wasmedge_process_add_env)
 *   --stdin TEXT   append TEXT to the command's stdin
 *   --stdin-bytes N  append N bytes 'x' to the command's stdin
 *   --timeout MS   set the time limit of the run
 *   --runs N       run the same set-up N times (each run starts from scratch, so runs after
 *                  the first have no program name unless --resetup is given)
 *   --resetup      set the program, arguments, environment and stdin up again before each run
 *   --summary      print lengths only, not the outputs
 *   --bench N      run the command N times (set up each time) and print the mean time of one
 *                  run in microseconds, then exit
 *   --oob-arg      pass an argument whose end is past the end of memory (the host traps)
 *   --oob-stdout   after the run, have stdout written at the last byte of memory (the host
 *                  traps unless stdout is empty)
 *   --huge-stdin   ask for 300 MiB of stdin at once (over the host's cap: it traps)
 *
 * For each run it prints
 *   exit=N (as returned by run) code=N (get_exit_code) stdout_len=N stderr_len=N
 *   stdout:<the bytes>   stderr:<the bytes>      (without --summary)
 * and exits 0. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define IMPORT(name) __attribute__((import_module("wasmedge_process"), import_name(#name)))

IMPORT(wasmedge_process_set_prog_name) void set_prog_name(const char *p, uint32_t l);
IMPORT(wasmedge_process_add_arg) void add_arg(const char *p, uint32_t l);
IMPORT(wasmedge_process_add_env) void add_env(const char *k, uint32_t kl, const char *v, uint32_t vl);
IMPORT(wasmedge_process_add_stdin) void add_stdin(const char *p, uint32_t l);
IMPORT(wasmedge_process_set_timeout) void set_timeout(uint32_t ms);
IMPORT(wasmedge_process_run) int32_t run(void);
IMPORT(wasmedge_process_get_exit_code) int32_t get_exit_code(void);
IMPORT(wasmedge_process_get_stdout_len) int32_t get_stdout_len(void);
IMPORT(wasmedge_process_get_stdout) void get_stdout(char *p);
IMPORT(wasmedge_process_get_stderr_len) int32_t get_stderr_len(void);
IMPORT(wasmedge_process_get_stderr) void get_stderr(char *p);

#define MAX 64
static const char *envs[MAX], *stdins[MAX];
static int nenvs, nstdins;
static long timeout_ms = -1;
static char *stdin_block;
static size_t stdin_block_len;
static char **cmd;
static int ncmd;

static void setup(void) {
  set_prog_name(cmd[0], strlen(cmd[0]));
  for (int i = 1; i < ncmd; i++) add_arg(cmd[i], strlen(cmd[i]));
  for (int i = 0; i < nenvs; i++) {
    const char *eq = strchr(envs[i], '=');
    size_t klen = eq ? (size_t)(eq - envs[i]) : strlen(envs[i]);
    const char *v = eq ? eq + 1 : "";
    add_env(envs[i], klen, v, strlen(v));
  }
  for (int i = 0; i < nstdins; i++) add_stdin(stdins[i], strlen(stdins[i]));
  if (stdin_block_len > 0) add_stdin(stdin_block, stdin_block_len);
  if (timeout_ms >= 0) set_timeout((uint32_t)timeout_ms);
}

static void print_stream(const char *label, int32_t len, void (*get)(char *)) {
  char *buf = malloc(len > 0 ? len : 1);
  if (buf == NULL) {
    printf("%s:<malloc failed>\n", label);
    return;
  }
  get(buf);
  printf("%s:", label);
  fwrite(buf, 1, len, stdout);
  printf("\n");
  free(buf);
}

int main(int argc, char **argv) {
  int runs = 1, resetup = 0, summary = 0, bench = 0, oob_arg = 0, oob_stdout = 0, huge = 0;
  int i = 1;
  for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
    const char *o = argv[i];
    if (strcmp(o, "--") == 0) { i++; break; }
    else if (strcmp(o, "--env") == 0 && i + 1 < argc) envs[nenvs++] = argv[++i];
    else if (strcmp(o, "--stdin") == 0 && i + 1 < argc) stdins[nstdins++] = argv[++i];
    else if (strcmp(o, "--timeout") == 0 && i + 1 < argc) timeout_ms = atol(argv[++i]);
    else if (strcmp(o, "--stdin-bytes") == 0 && i + 1 < argc) {
      stdin_block_len = (size_t)atol(argv[++i]);
      stdin_block = malloc(stdin_block_len);
      if (stdin_block == NULL) return 2;
      memset(stdin_block, 'x', stdin_block_len);
    }
    else if (strcmp(o, "--runs") == 0 && i + 1 < argc) runs = atoi(argv[++i]);
    else if (strcmp(o, "--bench") == 0 && i + 1 < argc) bench = atoi(argv[++i]);
    else if (strcmp(o, "--resetup") == 0) resetup = 1;
    else if (strcmp(o, "--summary") == 0) summary = 1;
    else if (strcmp(o, "--oob-arg") == 0) oob_arg = 1;
    else if (strcmp(o, "--oob-stdout") == 0) oob_stdout = 1;
    else if (strcmp(o, "--huge-stdin") == 0) huge = 1;
    else { fprintf(stderr, "process.wasm: bad option %s\n", o); return 2; }
  }
  if (i == argc) { fprintf(stderr, "usage: process.wasm [OPTION]... PROGRAM [ARG]...\n"); return 2; }
  cmd = &argv[i];
  ncmd = argc - i;

  uintptr_t mem_end = __builtin_wasm_memory_size(0) * 65536;
  if (oob_arg) {
    setup();
    printf("adding an argument past the end of memory\n");
    fflush(stdout);
    add_arg((const char *)(mem_end - 4), 8);
    printf("not reached\n");
    return 3;
  }
  if (huge) {
    printf("asking for 300 MiB of stdin\n");
    fflush(stdout);
    add_stdin((const char *)0, 300u << 20);
    printf("not reached\n");
    return 3;
  }
  if (bench > 0) {
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int r = 0; r < bench; r++) {
      setup();
      if (run() != 0) { printf("run %d failed\n", r); return 1; }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double us = ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / 1e3 / bench;
    printf("mean_us=%.1f\n", us);
    return 0;
  }
  for (int r = 0; r < runs; r++) {
    if (r == 0 || resetup) setup();
    int32_t code = run();
    int32_t out_len = get_stdout_len(), err_len = get_stderr_len();
    printf("exit=%d code=%d stdout_len=%d stderr_len=%d\n", code, get_exit_code(), out_len,
           err_len);
    if (oob_stdout) {
      printf("writing stdout at the last byte of memory\n");
      fflush(stdout);
      get_stdout((char *)(mem_end - 1));
      printf("written\n");
      continue;
    }
    if (!summary) {
      print_stream("stdout", out_len, get_stdout);
      print_stream("stderr", err_len, get_stderr);
    }
  }
  return 0;
}
