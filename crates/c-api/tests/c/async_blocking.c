/* A C host cancelling guests blocked in WASI calls, run by tests/all/c_host.rs.
 * Usage: async_blocking BLOCKING.wasm QUICK.wasm
 * BLOCKING.wasm is tests/programs/wasi/blocking.wasm; QUICK.wasm a command that returns at
 * once. For each way blocking.wasm blocks (sleep, stdin, accept, recv), on the interpreter and
 * on the JIT, the guest runs through WasmEdge_VMAsyncRunWasmFromFile; WasmEdge_AsyncWaitFor(500)
 * must time out, then WasmEdge_AsyncCancel must end the call promptly with
 * WasmEdge_ErrCode_Interrupted (what WasmEdge's --time-limit does), and the same VM must then
 * run QUICK.wasm to its end. Standard input must be a pipe that stays open and empty.
 * Prints one line per check and exits 1 if any failed. */
#define _POSIX_C_SOURCE 200809L
#include <wasmedge/wasmedge.h>
#include <stdio.h>
#include <time.h>

static int failures = 0;

static void check(int cond, const char *tier, const char *mode, const char *what) {
  printf("%s %s, %s: %s\n", cond ? "ok  " : "FAIL", tier, mode, what);
  fflush(stdout);
  if (!cond)
    failures++;
}

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void cancel_blocked(WasmEdge_ConfigureContext *conf, const char *tier, const char *guest,
                           const char *quick, const char *mode) {
  WasmEdge_VMContext *vm = WasmEdge_VMCreate(conf, NULL);
  WasmEdge_ModuleInstanceContext *wasi =
      WasmEdge_VMGetImportModuleContext(vm, WasmEdge_HostRegistration_Wasi);
  const char *args[] = {"blocking.wasm", mode};
  WasmEdge_ModuleInstanceInitWASI(wasi, args, 2, NULL, 0, NULL, 0);
  WasmEdge_String start = WasmEdge_StringCreateByCString("_start");

  WasmEdge_Async *task = WasmEdge_VMAsyncRunWasmFromFile(vm, guest, start, NULL, 0);
  check(task != NULL, tier, mode, "the asynchronous run starts");
  if (task != NULL) {
    check(!WasmEdge_AsyncWaitFor(task, 500), tier, mode, "still blocked after 500 ms");
    double cancelled = seconds();
    WasmEdge_AsyncCancel(task);
    WasmEdge_Result r = WasmEdge_AsyncGet(task, NULL, 0);
    double took = seconds() - cancelled;
    check(WasmEdge_ResultGetCode(r) == WasmEdge_ErrCode_Interrupted, tier, mode,
          "AsyncCancel ends the blocked call as Interrupted");
    check(took < 5.0, tier, mode, "the call ends within 5 s of AsyncCancel");
    WasmEdge_AsyncDelete(task);
  }

  WasmEdge_Result r = WasmEdge_VMRunWasmFromFile(vm, quick, start, NULL, 0, NULL, 0);
  check(WasmEdge_ResultOK(r), tier, mode, "the VM runs another module to its end afterwards");
  WasmEdge_StringDelete(start);
  WasmEdge_VMDelete(vm);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: async_blocking BLOCKING.wasm QUICK.wasm\n");
    return 2;
  }
  const char *modes[] = {"sleep", "stdin", "accept", "recv"};
  for (int jit = 0; jit < 2; jit++) {
    WasmEdge_ConfigureContext *conf = WasmEdge_ConfigureCreate();
    WasmEdge_ConfigureAddHostRegistration(conf, WasmEdge_HostRegistration_Wasi);
    if (jit)
      WasmEdge_ConfigureSetRunMode(conf, WasmEdge_RunMode_JIT);
    for (unsigned i = 0; i < sizeof modes / sizeof modes[0]; i++)
      cancel_blocked(conf, jit ? "jit" : "interpreter", argv[1], argv[2], modes[i]);
    WasmEdge_ConfigureDelete(conf);
  }
  printf("%d failures\n", failures);
  return failures ? 1 : 0;
}
