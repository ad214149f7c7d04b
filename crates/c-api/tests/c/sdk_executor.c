/* What WasmEdge's Rust SDK (wasmedge-sys 0.21.1) does with an executor, done in C, run by
 * tests/all/sdk_executor.rs against libwasmedge.so.0:
 *   - pre- and post-host-function hooks that block the timeout signal during host calls;
 *   - a timeout that siglongjmps out of WasmEdge_ExecutorInvoke from a signal handler, after
 *     which the same executor and store must run calls again (on the interpreter and the JIT);
 *   - an "independent" host function (in no module, no store) invoked directly;
 *   - a WASI module's descriptors still there after WasmEdge_StoreDelete;
 *   - a module registered under an alias listed under it;
 *   - a host module and a WASI module serving one store after another (the first deleted),
 *     with their memory, global and descriptors kept.
 * Usage: sdk_executor GUEST.wasm WASI_GUEST.wasm DIR
 * Prints one line per check and exits 1 if any failed; alarm() ends it if a call deadlocks. */
#define _GNU_SOURCE
#include <wasmedge/wasmedge.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

/* --- the SDK's timeout machinery ------------------------------------------------------- */

static sigjmp_buf jump;
static volatile sig_atomic_t armed = 0;

static void on_timeout(int sig) {
  (void)sig;
  if (armed) {
    armed = 0;
    siglongjmp(jump, 1);
  }
}

static int pre_calls = 0, post_calls = 0, blocked_in_host = 0;

static void timeout_signal_mask(int how) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGRTMIN);
  pthread_sigmask(how, &set, NULL);
}

static void pre_host(void *data) {
  (void)data;
  pre_calls++;
  timeout_signal_mask(SIG_BLOCK);
}

static void post_host(void *data) {
  (void)data;
  post_calls++;
  timeout_signal_mask(SIG_UNBLOCK);
}

/* Invokes `name` with a timer that fires SIGRTMIN at this thread after `ms` milliseconds;
 * returns 1 if the handler jumped out of the call. */
static int invoke_with_timeout(WasmEdge_ExecutorContext *exec, WasmEdge_FunctionInstanceContext *f,
                               WasmEdge_Value *args, uint32_t nargs, long ms) {
  timer_t timer;
  struct sigevent sev;
  memset(&sev, 0, sizeof sev);
  sev.sigev_notify = SIGEV_THREAD_ID;
  sev.sigev_signo = SIGRTMIN;
  sev._sigev_un._tid = gettid();
  if (timer_create(CLOCK_MONOTONIC, &sev, &timer) != 0) return -1;
  struct itimerspec when;
  memset(&when, 0, sizeof when);
  when.it_value.tv_sec = ms / 1000;
  when.it_value.tv_nsec = (ms % 1000) * 1000000L;
  int timed_out = 0;
  if (sigsetjmp(jump, 1) == 0) {
    armed = 1;
    timer_settime(timer, 0, &when, NULL);
    WasmEdge_ExecutorInvoke(exec, f, args, nargs, NULL, 0);
    armed = 0;
  } else {
    timed_out = 1;
  }
  timer_delete(timer);
  return timed_out;
}

/* --- host functions ---------------------------------------------------------------------- */

static int ticks = 0;

static WasmEdge_Result host_tick(void *data, const WasmEdge_CallingFrameContext *frame,
                                 const WasmEdge_Value *in, WasmEdge_Value *out) {
  (void)data; (void)frame; (void)in; (void)out;
  ticks++;
  /* The hooks ran first: the timeout signal is blocked here. */
  sigset_t now;
  pthread_sigmask(SIG_BLOCK, NULL, &now);
  if (sigismember(&now, SIGRTMIN)) blocked_in_host++;
  return WasmEdge_Result_Success;
}

static WasmEdge_Result host_add(void *data, const WasmEdge_CallingFrameContext *frame,
                                const WasmEdge_Value *in, WasmEdge_Value *out) {
  (void)data;
  /* An independent host function has no caller: no memory. */
  if (WasmEdge_CallingFrameGetMemoryInstance(frame, 0) != NULL)
    return WasmEdge_ResultGen(WasmEdge_ErrCategory_UserLevelError, 1);
  out[0] = WasmEdge_ValueGenI32(WasmEdge_ValueGetI32(in[0]) + WasmEdge_ValueGetI32(in[1]));
  return WasmEdge_Result_Success;
}

static WasmEdge_FunctionInstanceContext *find(WasmEdge_ModuleInstanceContext *m, const char *name) {
  WasmEdge_String s = WasmEdge_StringCreateByCString(name);
  WasmEdge_FunctionInstanceContext *f = WasmEdge_ModuleInstanceFindFunction(m, s);
  WasmEdge_StringDelete(s);
  return f;
}

static int32_t call_i32(WasmEdge_ExecutorContext *exec, WasmEdge_FunctionInstanceContext *f,
                        int32_t arg, WasmEdge_Result *res) {
  WasmEdge_Value in = WasmEdge_ValueGenI32(arg), out = WasmEdge_ValueGenI32(-1);
  *res = WasmEdge_ExecutorInvoke(exec, f, &in, 1, &out, 1);
  return WasmEdge_ValueGetI32(out);
}

/* --- the checks ------------------------------------------------------------------------- */

static void timeouts_on(enum WasmEdge_RunMode mode, const char *tier, const char *guest_path) {
  char what[160];
  WasmEdge_ConfigureContext *conf = WasmEdge_ConfigureCreate();
  WasmEdge_ConfigureSetRunMode(conf, mode);
  WasmEdge_ConfigureStatisticsSetInstructionCounting(conf, true);
  WasmEdge_ConfigureStatisticsSetTimeMeasuring(conf, true);
  WasmEdge_StatisticsContext *stat = WasmEdge_StatisticsCreate();
  WasmEdge_ExecutorContext *exec = WasmEdge_ExecutorCreate(conf, stat);
  WasmEdge_ExecutorExperimentalRegisterPreHostFunction(exec, NULL, pre_host);
  WasmEdge_ExecutorExperimentalRegisterPostHostFunction(exec, NULL, post_host);
  WasmEdge_StoreContext *store = WasmEdge_StoreCreate();

  WasmEdge_String env_name = WasmEdge_StringCreateByCString("env");
  WasmEdge_ModuleInstanceContext *env = WasmEdge_ModuleInstanceCreate(env_name);
  WasmEdge_StringDelete(env_name);
  WasmEdge_FunctionTypeContext *none = WasmEdge_FunctionTypeCreate(NULL, 0, NULL, 0);
  WasmEdge_String tick_name = WasmEdge_StringCreateByCString("tick");
  WasmEdge_ModuleInstanceAddFunction(env, tick_name, WasmEdge_FunctionInstanceCreate(none, host_tick, NULL, 0));
  WasmEdge_StringDelete(tick_name);
  WasmEdge_FunctionTypeDelete(none);
  WasmEdge_ExecutorRegisterImport(exec, store, env);

  WasmEdge_LoaderContext *loader = WasmEdge_LoaderCreate(conf);
  WasmEdge_ValidatorContext *validator = WasmEdge_ValidatorCreate(conf);
  WasmEdge_ASTModuleContext *ast = NULL;
  WasmEdge_ModuleInstanceContext *inst = NULL;
  WasmEdge_Result res = WasmEdge_LoaderParseFromFile(loader, &ast, guest_path);
  if (WasmEdge_ResultOK(res)) res = WasmEdge_ValidatorValidate(validator, ast);
  if (WasmEdge_ResultOK(res)) res = WasmEdge_ExecutorInstantiate(exec, &inst, store, ast);
  snprintf(what, sizeof what, "%s: guest instantiated", tier);
  CHECK(WasmEdge_ResultOK(res), what);
  if (!WasmEdge_ResultOK(res)) return;

  int pre0 = pre_calls, post0 = post_calls, blocked0 = blocked_in_host;
  ticks = 0;
  call_i32(exec, find(inst, "ticks"), 3, &res);
  snprintf(what, sizeof what, "%s: each host call runs between the pre and the post hook", tier);
  CHECK(WasmEdge_ResultOK(res) && ticks == 3 && pre_calls - pre0 == 3 && post_calls - post0 == 3 &&
            blocked_in_host - blocked0 == 3,
        what);

  for (int round = 0; round < 3; round++) {
    /* Round 0 stops a loop; round 1 a loop under 200 nested wasm calls; round 2 a loop that
     * calls the host. */
    const char *fn = round == 0 ? "spin" : round == 1 ? "deep_spin" : "tick_spin";
    WasmEdge_Value arg = WasmEdge_ValueGenI32(200);
    int timed_out = invoke_with_timeout(exec, find(inst, fn), &arg, round == 1 ? 1 : 0, 100);
    snprintf(what, sizeof what, "%s: `%s` is left by siglongjmp from the timeout signal", tier, fn);
    CHECK(timed_out == 1, what);
    int32_t fib = call_i32(exec, find(inst, "fib"), 20, &res);
    snprintf(what, sizeof what, "%s: after `%s` timed out, the next call runs (fib 20 = %d)", tier, fn, fib);
    CHECK(WasmEdge_ResultOK(res) && fib == 6765, what);
  }
  /* The store forgot the abandoned calls: the next call is an outermost one again, timed. */
  WasmEdge_StatisticsClear(stat);
  call_i32(exec, find(inst, "fib"), 20, &res);
  double ips = WasmEdge_StatisticsGetInstrPerSecond(stat);
  snprintf(what, sizeof what, "%s: calls after the timeouts are counted and timed (%.0f instr/s)", tier, ips);
  CHECK(WasmEdge_StatisticsGetInstrCount(stat) > 0 && isfinite(ips) && ips > 0, what);
  ticks = 0;
  call_i32(exec, find(inst, "ticks"), 2, &res);
  snprintf(what, sizeof what, "%s: host calls still work after the timeouts", tier);
  CHECK(WasmEdge_ResultOK(res) && ticks == 2, what);
  call_i32(exec, find(inst, "trap"), 0, &res);
  snprintf(what, sizeof what, "%s: a trap after the timeouts is still a trap", tier);
  CHECK(WasmEdge_ResultGetCode(res) == WasmEdge_ErrCode_Unreachable, what);

  WasmEdge_ModuleInstanceDelete(inst);
  WasmEdge_ASTModuleDelete(ast);
  WasmEdge_ValidatorDelete(validator);
  WasmEdge_LoaderDelete(loader);
  WasmEdge_StoreDelete(store);
  WasmEdge_ModuleInstanceDelete(env);
  WasmEdge_ExecutorDelete(exec);
  WasmEdge_StatisticsDelete(stat);
  WasmEdge_ConfigureDelete(conf);
}

static void independent_host_function(void) {
  WasmEdge_ExecutorContext *exec = WasmEdge_ExecutorCreate(NULL, NULL);
  WasmEdge_ExecutorExperimentalRegisterPreHostFunction(exec, NULL, pre_host);
  WasmEdge_ExecutorExperimentalRegisterPostHostFunction(exec, NULL, post_host);
  WasmEdge_ValType i32 = WasmEdge_ValTypeGenI32();
  WasmEdge_ValType params[2] = {i32, i32};
  WasmEdge_FunctionTypeContext *ty = WasmEdge_FunctionTypeCreate(params, 2, &i32, 1);
  WasmEdge_FunctionInstanceContext *add = WasmEdge_FunctionInstanceCreate(ty, host_add, NULL, 0);
  WasmEdge_FunctionTypeDelete(ty);
  WasmEdge_Value in[2] = {WasmEdge_ValueGenI32(40), WasmEdge_ValueGenI32(2)};
  WasmEdge_Value out = WasmEdge_ValueGenI32(0);
  int pre0 = pre_calls, post0 = post_calls;
  WasmEdge_Result res = WasmEdge_ExecutorInvoke(exec, add, in, 2, &out, 1);
  CHECK(WasmEdge_ResultOK(res) && WasmEdge_ValueGetI32(out) == 42,
        "a host function in no module and no store is invoked directly (40 + 2 = 42)");
  CHECK(pre_calls - pre0 == 1 && post_calls - post0 == 1, "the hooks run around it too");
  WasmEdge_Value wrong = WasmEdge_ValueGenI64(1);
  res = WasmEdge_ExecutorInvoke(exec, add, &wrong, 1, &out, 1);
  CHECK(WasmEdge_ResultGetCode(res) == WasmEdge_ErrCode_FuncSigMismatch,
        "wrong arguments to it give FuncSigMismatch");
  WasmEdge_FunctionInstanceDelete(add);
  WasmEdge_ExecutorDelete(exec);
}

static void wasi_after_store_delete(const char *wasi_path, const char *dir) {
  const char *preopens[1] = {dir};
  WasmEdge_ModuleInstanceContext *wasi = WasmEdge_ModuleInstanceCreateWASI(NULL, 0, NULL, 0, preopens, 1);
  WasmEdge_ExecutorContext *exec = WasmEdge_ExecutorCreate(NULL, NULL);
  WasmEdge_StoreContext *store = WasmEdge_StoreCreate();
  WasmEdge_ExecutorRegisterImport(exec, store, wasi);
  WasmEdge_LoaderContext *loader = WasmEdge_LoaderCreate(NULL);
  WasmEdge_ValidatorContext *validator = WasmEdge_ValidatorCreate(NULL);
  WasmEdge_ASTModuleContext *ast = NULL;
  WasmEdge_ModuleInstanceContext *inst = NULL;
  WasmEdge_Result res = WasmEdge_LoaderParseFromFile(loader, &ast, wasi_path);
  if (WasmEdge_ResultOK(res)) res = WasmEdge_ValidatorValidate(validator, ast);
  if (WasmEdge_ResultOK(res)) res = WasmEdge_ExecutorInstantiate(exec, &inst, store, ast);
  CHECK(WasmEdge_ResultOK(res), "WASI guest instantiated");
  uint64_t before = 0, after = 0;
  uint32_t got_before = WasmEdge_ModuleInstanceWASIGetNativeHandler(wasi, 3, &before);
  CHECK(got_before == 0, "the preopened directory (fd 3) has a native descriptor");
  WasmEdge_ModuleInstanceDelete(inst);
  WasmEdge_StoreDelete(store);
  uint32_t got_after = WasmEdge_ModuleInstanceWASIGetNativeHandler(wasi, 3, &after);
  CHECK(got_after == 0 && after == before, "after WasmEdge_StoreDelete the WASI module keeps it");
  CHECK(WasmEdge_ModuleInstanceWASIGetNativeHandler(wasi, 1, &after) == 0 && after == 1,
        "and its stdout is still the host's descriptor 1");
  WasmEdge_ASTModuleDelete(ast);
  WasmEdge_ValidatorDelete(validator);
  WasmEdge_LoaderDelete(loader);
  WasmEdge_ExecutorDelete(exec);
  WasmEdge_ModuleInstanceDelete(wasi);
}

/* A module registered under an alias is listed under the alias, NUL-terminated. */
static void alias_listing(void) {
  WasmEdge_ExecutorContext *exec = WasmEdge_ExecutorCreate(NULL, NULL);
  WasmEdge_StoreContext *store = WasmEdge_StoreCreate();
  WasmEdge_String own = WasmEdge_StringCreateByCString("own-name");
  WasmEdge_String alias = WasmEdge_StringCreateByCString("the-alias");
  WasmEdge_ModuleInstanceContext *m = WasmEdge_ModuleInstanceCreate(own);
  WasmEdge_Result res = WasmEdge_ExecutorRegisterImportWithAlias(exec, store, m, alias);
  WasmEdge_String names[4];
  uint32_t n = WasmEdge_StoreListModule(store, names, 4);
  CHECK(WasmEdge_ResultOK(res) && n == 1 && WasmEdge_StringIsEqual(names[0], alias) &&
            names[0].Buf[names[0].Length] == '\0',
        "a module registered with an alias is listed under the alias");
  CHECK(WasmEdge_StoreFindModule(store, alias) == m, "and found under it");
  WasmEdge_StoreDelete(store);
  WasmEdge_ModuleInstanceDelete(m);
  WasmEdge_StringDelete(own);
  WasmEdge_StringDelete(alias);
  WasmEdge_ExecutorDelete(exec);
}

static WasmEdge_Result host_plus(void *data, const WasmEdge_CallingFrameContext *frame,
                                 const WasmEdge_Value *in, WasmEdge_Value *out) {
  (void)data; (void)frame;
  out[0] = WasmEdge_ValueGenI32(WasmEdge_ValueGetI32(in[0]) + WasmEdge_ValueGetI32(in[1]));
  return WasmEdge_Result_Success;
}

/* `bytes` loaded and validated. */
static WasmEdge_ASTModuleContext *parse_bytes(const uint8_t *bytes, uint32_t len) {
  WasmEdge_LoaderContext *loader = WasmEdge_LoaderCreate(NULL);
  WasmEdge_ValidatorContext *validator = WasmEdge_ValidatorCreate(NULL);
  WasmEdge_ASTModuleContext *ast = NULL;
  WasmEdge_Result res = WasmEdge_LoaderParseFromBytes(loader, &ast, WasmEdge_BytesWrap(bytes, len));
  if (WasmEdge_ResultOK(res)) WasmEdge_ValidatorValidate(validator, ast);
  WasmEdge_ValidatorDelete(validator);
  WasmEdge_LoaderDelete(loader);
  return ast;
}

/* One host module (function, memory, global) and one WASI module, each registered in a store,
 * the store deleted, then registered in a second store: WasmEdge allows it, and the SDK does it
 * whenever one ImportObject or WasiModule serves one Vm after another. */
static void modules_outlive_their_store(const char *wasi_path, const char *dir) {
  /* (import "host" "add" (func (param i32 i32) (result i32))) (import "host" "mem" (memory 1))
   * (import "host" "g" (global (mut i32))); "swap" (x) returns mem[0] and stores x there;
   * "next" sets g = add(g, 1) and returns it. */
  static const uint8_t guest[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x10, 0x03, 0x60, 0x02, 0x7f, 0x7f, 0x01,
    0x7f, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x01, 0x7f, 0x02, 0x22, 0x03, 0x04, 0x68, 0x6f,
    0x73, 0x74, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00, 0x04, 0x68, 0x6f, 0x73, 0x74, 0x03, 0x6d, 0x65,
    0x6d, 0x02, 0x00, 0x01, 0x04, 0x68, 0x6f, 0x73, 0x74, 0x01, 0x67, 0x03, 0x7f, 0x01, 0x03, 0x03,
    0x02, 0x01, 0x02, 0x07, 0x0f, 0x02, 0x04, 0x73, 0x77, 0x61, 0x70, 0x00, 0x01, 0x04, 0x6e, 0x65,
    0x78, 0x74, 0x00, 0x02, 0x0a, 0x1d, 0x02, 0x0e, 0x00, 0x41, 0x00, 0x2d, 0x00, 0x00, 0x41, 0x00,
    0x20, 0x00, 0x3a, 0x00, 0x00, 0x0b, 0x0c, 0x00, 0x23, 0x00, 0x41, 0x01, 0x10, 0x00, 0x24, 0x00,
    0x23, 0x00, 0x0b,
  };
  WasmEdge_String name = WasmEdge_StringCreateByCString("host");
  WasmEdge_ModuleInstanceContext *host = WasmEdge_ModuleInstanceCreate(name);
  WasmEdge_StringDelete(name);
  WasmEdge_ValType i32s[2] = {WasmEdge_ValTypeGenI32(), WasmEdge_ValTypeGenI32()};
  WasmEdge_FunctionTypeContext *ft = WasmEdge_FunctionTypeCreate(i32s, 2, i32s, 1);
  name = WasmEdge_StringCreateByCString("add");
  WasmEdge_ModuleInstanceAddFunction(host, name, WasmEdge_FunctionInstanceCreate(ft, host_plus, NULL, 0));
  WasmEdge_StringDelete(name);
  WasmEdge_FunctionTypeDelete(ft);
  WasmEdge_LimitContext *limit = WasmEdge_LimitCreate(1, false);
  WasmEdge_MemoryTypeContext *mt = WasmEdge_MemoryTypeCreate(limit);
  WasmEdge_LimitDelete(limit);
  WasmEdge_MemoryInstanceContext *mem = WasmEdge_MemoryInstanceCreate(mt);
  WasmEdge_MemoryTypeDelete(mt);
  name = WasmEdge_StringCreateByCString("mem");
  WasmEdge_ModuleInstanceAddMemory(host, name, mem);
  WasmEdge_StringDelete(name);
  WasmEdge_GlobalTypeContext *gt = WasmEdge_GlobalTypeCreate(i32s[0], WasmEdge_Mutability_Var);
  WasmEdge_GlobalInstanceContext *g = WasmEdge_GlobalInstanceCreate(gt, WasmEdge_ValueGenI32(10));
  WasmEdge_GlobalTypeDelete(gt);
  name = WasmEdge_StringCreateByCString("g");
  WasmEdge_ModuleInstanceAddGlobal(host, name, g);
  WasmEdge_StringDelete(name);
  const char *preopens[1] = {dir};
  WasmEdge_ModuleInstanceContext *wasi = WasmEdge_ModuleInstanceCreateWASI(NULL, 0, NULL, 0, preopens, 1);
  uint64_t fd_before = 0, fd_now = 0;
  CHECK(WasmEdge_ModuleInstanceWASIGetNativeHandler(wasi, 3, &fd_before) == 0,
        "reuse: the WASI module's preopen (fd 3) has a native descriptor");
  WasmEdge_ASTModuleContext *ast = parse_bytes(guest, sizeof guest);
  WasmEdge_LoaderContext *loader = WasmEdge_LoaderCreate(NULL);
  WasmEdge_ASTModuleContext *wasi_ast = NULL;
  WasmEdge_Result res = WasmEdge_LoaderParseFromFile(loader, &wasi_ast, wasi_path);
  WasmEdge_ValidatorContext *validator = WasmEdge_ValidatorCreate(NULL);
  if (WasmEdge_ResultOK(res)) WasmEdge_ValidatorValidate(validator, wasi_ast);
  for (int round = 1; round <= 2; round++) {
    char what[160];
    WasmEdge_StoreContext *store = WasmEdge_StoreCreate();
    WasmEdge_ExecutorContext *exec = WasmEdge_ExecutorCreate(NULL, NULL);
    WasmEdge_Result r1 = WasmEdge_ExecutorRegisterImport(exec, store, host);
    WasmEdge_Result r2 = WasmEdge_ExecutorRegisterImport(exec, store, wasi);
    WasmEdge_ModuleInstanceContext *inst = NULL, *wasi_inst = NULL;
    WasmEdge_Result r3 = WasmEdge_ExecutorInstantiate(exec, &inst, store, ast);
    WasmEdge_Result r4 = WasmEdge_ExecutorInstantiate(exec, &wasi_inst, store, wasi_ast);
    snprintf(what, sizeof what, "reuse round %d: host and WASI modules registered, guests instantiated (%s, %s)",
             round, WasmEdge_ResultGetMessage(r3), WasmEdge_ResultGetMessage(r4));
    CHECK(WasmEdge_ResultOK(r1) && WasmEdge_ResultOK(r2) && WasmEdge_ResultOK(r3) && WasmEdge_ResultOK(r4),
          what);
    int32_t old = call_i32(exec, find(inst, "swap"), round == 1 ? 42 : 7, &res);
    snprintf(what, sizeof what, "reuse round %d: `swap` finds the byte stored before it, round 2 the one of round 1 (got %d)",
             round, old);
    CHECK(WasmEdge_ResultOK(res) && old == (round == 1 ? 0 : 42), what);
    WasmEdge_Value out = WasmEdge_ValueGenI32(-1);
    res = WasmEdge_ExecutorInvoke(exec, find(inst, "next"), NULL, 0, &out, 1);
    snprintf(what, sizeof what, "reuse round %d: the host function runs, the global carries on (got %d)",
             round, WasmEdge_ValueGetI32(out));
    CHECK(WasmEdge_ResultOK(res) && WasmEdge_ValueGetI32(out) == 10 + round, what);
    CHECK(WasmEdge_ModuleInstanceWASIGetNativeHandler(wasi, 3, &fd_now) == 0 && fd_now == fd_before,
          round == 1 ? "reuse round 1: the preopen is there" : "reuse round 2: the preopen is still there");
    if (round == 1) {
      /* While its store lives, the host module joins no other (a Wedge limitation). */
      WasmEdge_StoreContext *other = WasmEdge_StoreCreate();
      WasmEdge_ModuleInstanceContext *refused = NULL;
      WasmEdge_ExecutorRegisterImport(exec, other, host);
      res = WasmEdge_ExecutorInstantiate(exec, &refused, other, ast);
      CHECK(!WasmEdge_ResultOK(res) && refused == NULL,
            "reuse round 1: a second live store cannot use the host module");
      WasmEdge_StoreDelete(other);
    }
    WasmEdge_StoreDelete(store);
    WasmEdge_ExecutorDelete(exec);
    WasmEdge_ModuleInstanceDelete(inst);
    WasmEdge_ModuleInstanceDelete(wasi_inst);
    uint8_t byte = 0;
    res = WasmEdge_MemoryInstanceGetData(mem, &byte, 0, 1);
    snprintf(what, sizeof what, "reuse round %d: after StoreDelete the host memory and global keep their contents",
             round);
    CHECK(WasmEdge_ResultOK(res) && byte == (round == 1 ? 42 : 7) &&
              WasmEdge_ValueGetI32(WasmEdge_GlobalInstanceGetValue(g)) == 10 + round,
          what);
  }
  WasmEdge_ASTModuleDelete(ast);
  WasmEdge_ASTModuleDelete(wasi_ast);
  WasmEdge_ValidatorDelete(validator);
  WasmEdge_LoaderDelete(loader);
  WasmEdge_ModuleInstanceDelete(host);
  WasmEdge_ModuleInstanceDelete(wasi);
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s GUEST.wasm WASI_GUEST.wasm DIR\n", argv[0]);
    return 2;
  }
  alarm(120); /* a deadlocked call ends the test instead of hanging it */
  struct sigaction act;
  memset(&act, 0, sizeof act);
  act.sa_handler = on_timeout;
  act.sa_flags = SA_RESTART;
  sigaction(SIGRTMIN, &act, NULL);

  timeouts_on(WasmEdge_RunMode_Interpreter, "interpreter", argv[1]);
  timeouts_on(WasmEdge_RunMode_JIT, "jit", argv[1]);
  independent_host_function();
  wasi_after_store_delete(argv[2], argv[3]);
  alias_listing();
  modules_outlive_their_store(argv[2], argv[3]);
  printf("%d failures\n", failures);
  return failures == 0 ? 0 : 1;
}
