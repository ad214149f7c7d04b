/* A C host of the WasmEdge C API that runs a WASI command with the plug-ins of the default
 * paths (WASMEDGE_PLUGIN_PATH), as a program embedding libwasmedge.so.0 does.
 *
 * Usage: run [--dir GUEST:HOST]... [--env K=V]... [--allow-command CMD]...
 *            [--allow-command-all] [--nn-preload SPEC]... [--threads N] GUEST.wasm [ARG]...
 *
 * --allow-command / --allow-command-all go to WasmEdge_ModuleInstanceInitWasmEdgeProcess,
 * --nn-preload to WasmEdge_PluginInitWASINN.
 * --threads N runs the guest in N VMs at once, one per thread (default 1); each has its own
 * WASI instance and its own instances of the plug-ins' modules.
 * Exits with the guest's WASI exit code (the first thread's, after checking every thread
 * exited with the same one); 100 when the runtime reports an error, 101 when threads
 * disagree, 2 on bad usage. */
#include <wasmedge/wasmedge.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LIST 64

static const char *dirs[MAX_LIST], *envs[MAX_LIST], *cmds[MAX_LIST], *preloads[MAX_LIST];
static uint32_t ndirs, nenvs, ncmds, npreloads;
static const char *guest;
static const char **args; /* args[0] is the guest's path, as the CLI passes it */
static uint32_t nargs;

struct job {
  pthread_t thread;
  int code;
};

static void *run_guest(void *arg) {
  struct job *job = arg;
  WasmEdge_ConfigureContext *conf = WasmEdge_ConfigureCreate();
  WasmEdge_ConfigureAddHostRegistration(conf, WasmEdge_HostRegistration_Wasi);
  WasmEdge_VMContext *vm = WasmEdge_VMCreate(conf, NULL);
  WasmEdge_ConfigureDelete(conf);
  if (vm == NULL) {
    fprintf(stderr, "run: VMCreate failed\n");
    job->code = 100;
    return NULL;
  }
  WasmEdge_ModuleInstanceContext *wasi =
      WasmEdge_VMGetImportModuleContext(vm, WasmEdge_HostRegistration_Wasi);
  WasmEdge_ModuleInstanceInitWASI(wasi, args, nargs, envs, nenvs, dirs, ndirs);
  WasmEdge_String start = WasmEdge_StringCreateByCString("_start");
  WasmEdge_Result r = WasmEdge_VMRunWasmFromFile(vm, guest, start, NULL, 0, NULL, 0);
  WasmEdge_StringDelete(start);
  if (WasmEdge_ResultOK(r) || WasmEdge_ResultGetCode(r) == 0x01 /* Terminated */) {
    job->code = (int)WasmEdge_ModuleInstanceWASIGetExitCode(wasi);
  } else {
    fprintf(stderr, "run: %s\n", WasmEdge_ResultGetMessage(r));
    job->code = 100;
  }
  WasmEdge_VMDelete(vm);
  return NULL;
}

static void push(const char **list, uint32_t *n, const char *value) {
  if (*n == MAX_LIST) {
    fprintf(stderr, "run: too many values\n");
    exit(2);
  }
  list[(*n)++] = value;
}

int main(int argc, char **argv) {
  int i = 1, threads = 1, allow_all = 0;
  for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
    const char *opt = argv[i];
    if (strcmp(opt, "--allow-command-all") == 0) {
      allow_all = 1;
      continue;
    }
    if (i + 1 == argc) {
      fprintf(stderr, "run: %s needs a value\n", opt);
      return 2;
    }
    const char *value = argv[++i];
    if (strcmp(opt, "--dir") == 0) {
      push(dirs, &ndirs, value);
    } else if (strcmp(opt, "--env") == 0) {
      push(envs, &nenvs, value);
    } else if (strcmp(opt, "--allow-command") == 0) {
      push(cmds, &ncmds, value);
    } else if (strcmp(opt, "--nn-preload") == 0) {
      push(preloads, &npreloads, value);
    } else if (strcmp(opt, "--threads") == 0) {
      threads = atoi(value);
    } else {
      fprintf(stderr, "run: unknown option %s\n", opt);
      return 2;
    }
  }
  if (i == argc || threads < 1 || threads > MAX_LIST) {
    fprintf(stderr, "usage: run [options] GUEST.wasm [ARG]...\n");
    return 2;
  }
  guest = argv[i];
  args = (const char **)&argv[i];
  nargs = (uint32_t)(argc - i);

  WasmEdge_PluginLoadWithDefaultPaths();
  if (ncmds > 0 || allow_all) {
    WasmEdge_ModuleInstanceInitWasmEdgeProcess(cmds, ncmds, allow_all != 0);
  }
  if (npreloads > 0) {
    WasmEdge_PluginInitWASINN(preloads, npreloads);
  }

  struct job jobs[MAX_LIST];
  for (int t = 0; t < threads; t++) {
    if (pthread_create(&jobs[t].thread, NULL, run_guest, &jobs[t]) != 0) {
      fprintf(stderr, "run: pthread_create failed\n");
      return 100;
    }
  }
  for (int t = 0; t < threads; t++) pthread_join(jobs[t].thread, NULL);
  for (int t = 1; t < threads; t++) {
    if (jobs[t].code != jobs[0].code) {
      fprintf(stderr, "run: thread %d exited %d, thread 0 exited %d\n", t, jobs[t].code, jobs[0].code);
      return 101;
    }
  }
  return jobs[0].code;
}
