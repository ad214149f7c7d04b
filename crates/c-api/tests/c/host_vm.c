/* A C host of the WasmEdge 0.17.1 C API, run by tests/all/c_host.rs against libwasmedge.so.0.
 * Usage: host_vm GUEST.wasm WASI_GUEST.wasm   (tests/all/c_host.rs's GUEST and WASI_GUEST).
 * Prints one line per check and exits 1 if any failed. */
#include <wasmedge/wasmedge.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

static WasmEdge_Result host_add(void *data, const WasmEdge_CallingFrameContext *frame,
                                const WasmEdge_Value *in, WasmEdge_Value *out) {
  (void)frame;
  int32_t offset = *(int32_t *)data;
  out[0] = WasmEdge_ValueGenI32(WasmEdge_ValueGetI32(in[0]) + WasmEdge_ValueGetI32(in[1]) + offset);
  return WasmEdge_Result_Success;
}

static WasmEdge_Result host_fail(void *data, const WasmEdge_CallingFrameContext *frame,
                                 const WasmEdge_Value *in, WasmEdge_Value *out) {
  (void)data; (void)frame; (void)out;
  return WasmEdge_ResultGen(WasmEdge_ErrCategory_UserLevelError, (uint32_t)WasmEdge_ValueGetI32(in[0]));
}

static WasmEdge_Result host_term(void *data, const WasmEdge_CallingFrameContext *frame,
                                 const WasmEdge_Value *in, WasmEdge_Value *out) {
  (void)data; (void)frame; (void)in; (void)out;
  return WasmEdge_Result_Terminate;
}

/* Writes "hi" at the guest address it is given, through the caller's memory 0. */
static WasmEdge_Result host_write(void *data, const WasmEdge_CallingFrameContext *frame,
                                  const WasmEdge_Value *in, WasmEdge_Value *out) {
  (void)data;
  WasmEdge_MemoryInstanceContext *mem = WasmEdge_CallingFrameGetMemoryInstance(frame, 0);
  uint32_t at = (uint32_t)WasmEdge_ValueGetI32(in[0]);
  uint8_t *p = WasmEdge_MemoryInstanceGetPointer(mem, at, 2);
  if (p == NULL) return WasmEdge_ResultGen(WasmEdge_ErrCategory_WASM, WasmEdge_ErrCode_MemoryOutOfBounds);
  memcpy(p, "hi", 2);
  /* Out of bounds must give NULL, not a pointer. */
  uint64_t pages = WasmEdge_MemoryInstanceGetPageSize(mem);
  out[0] = WasmEdge_ValueGenI32(WasmEdge_MemoryInstanceGetPointer(mem, pages * 65536 - 1, 2) == NULL ? (int32_t)pages : -1);
  return WasmEdge_Result_Success;
}

/* Calls back into the guest's exported `sum` through the calling frame's executor. */
static WasmEdge_Result host_reenter(void *data, const WasmEdge_CallingFrameContext *frame,
                                    const WasmEdge_Value *in, WasmEdge_Value *out) {
  (void)data;
  const WasmEdge_ModuleInstanceContext *caller = WasmEdge_CallingFrameGetModuleInstance(frame);
  WasmEdge_String name = WasmEdge_StringCreateByCString("sum");
  WasmEdge_FunctionInstanceContext *sum = WasmEdge_ModuleInstanceFindFunction(caller, name);
  WasmEdge_StringDelete(name);
  if (sum == NULL) return WasmEdge_ResultGen(WasmEdge_ErrCategory_UserLevelError, 1);
  WasmEdge_Value args[2] = {in[0], WasmEdge_ValueGenI32(1)};
  return WasmEdge_ExecutorInvoke(WasmEdge_CallingFrameGetExecutor(frame), sum, args, 2, out, 1);
}

static void add_func(WasmEdge_ModuleInstanceContext *mod, const char *name, WasmEdge_HostFunc_t f,
                     void *data, int nparams, int nresults) {
  WasmEdge_ValType i32[2] = {WasmEdge_ValTypeGenI32(), WasmEdge_ValTypeGenI32()};
  WasmEdge_FunctionTypeContext *ty = WasmEdge_FunctionTypeCreate(i32, (uint32_t)nparams, i32, (uint32_t)nresults);
  WasmEdge_FunctionInstanceContext *fn = WasmEdge_FunctionInstanceCreate(ty, f, data, 0);
  WasmEdge_FunctionTypeDelete(ty);
  WasmEdge_String s = WasmEdge_StringCreateByCString(name);
  WasmEdge_ModuleInstanceAddFunction(mod, s, fn);
  WasmEdge_StringDelete(s);
}

static int finalized = 0;
static void finalize(void *data) { (void)data; finalized++; }

static WasmEdge_ModuleInstanceContext *make_env(int32_t *offset) {
  WasmEdge_String name = WasmEdge_StringCreateByCString("env");
  WasmEdge_ModuleInstanceContext *mod = WasmEdge_ModuleInstanceCreateWithData(name, offset, finalize);
  WasmEdge_StringDelete(name);
  add_func(mod, "add", host_add, offset, 2, 1);
  add_func(mod, "fail", host_fail, NULL, 1, 0);
  add_func(mod, "term", host_term, NULL, 0, 0);
  add_func(mod, "write", host_write, NULL, 1, 1);
  add_func(mod, "reenter", host_reenter, NULL, 1, 1);
  return mod;
}

static WasmEdge_Result call(WasmEdge_VMContext *vm, const char *fn, WasmEdge_Value *args, uint32_t n,
                            WasmEdge_Value *out, uint32_t nout) {
  WasmEdge_String s = WasmEdge_StringCreateByCString(fn);
  WasmEdge_Result r = WasmEdge_VMExecute(vm, s, args, n, out, nout);
  WasmEdge_StringDelete(s);
  return r;
}

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: host_vm GUEST.wasm WASI_GUEST.wasm\n"); return 2; }
  const char *guest = argv[1];
  const char *wasi_guest = argv[2];
  CHECK(strcmp(WasmEdge_VersionGet(), "0.17.1") == 0, "version is 0.17.1");

  /* ---- The VM API ---- */
  WasmEdge_ConfigureContext *conf = WasmEdge_ConfigureCreate();
  WasmEdge_ConfigureAddHostRegistration(conf, WasmEdge_HostRegistration_Wasi);
  WasmEdge_ConfigureStatisticsSetInstructionCounting(conf, true);
  WasmEdge_ConfigureStatisticsSetCostMeasuring(conf, true);
  WasmEdge_VMContext *vm = WasmEdge_VMCreate(conf, NULL);
  CHECK(vm != NULL, "VMCreate");
  int32_t offset = 100;
  WasmEdge_ModuleInstanceContext *env = make_env(&offset);
  CHECK(WasmEdge_ResultOK(WasmEdge_VMRegisterModuleFromImport(vm, env)), "register host module env");
  CHECK(WasmEdge_VMGetImportModuleContext(vm, WasmEdge_HostRegistration_Wasi) != NULL, "WASI module registered");

  WasmEdge_Value args[2] = {WasmEdge_ValueGenI32(2), WasmEdge_ValueGenI32(3)};
  WasmEdge_Value out[1];
  WasmEdge_String sum = WasmEdge_StringCreateByCString("sum");
  WasmEdge_Result r = WasmEdge_VMRunWasmFromFile(vm, guest, sum, args, 2, out, 1);
  CHECK(WasmEdge_ResultOK(r) && WasmEdge_ValueGetI32(out[0]) == 105, "sum(2,3) through host add with data offset 100 = 105");
  WasmEdge_StringDelete(sum);

  WasmEdge_Value code = WasmEdge_ValueGenI32(42);
  r = call(vm, "fail", &code, 1, NULL, 0);
  CHECK(!WasmEdge_ResultOK(r) && WasmEdge_ResultGetCategory(r) == WasmEdge_ErrCategory_UserLevelError &&
            WasmEdge_ResultGetCode(r) == 42, "host error passes through with its category and code");
  r = call(vm, "term", NULL, 0, out, 1);
  CHECK(WasmEdge_ResultOK(r) && WasmEdge_ResultGetCode(r) == WasmEdge_ErrCode_Terminated, "Terminate stops the guest and counts as OK");
  r = call(vm, "write", NULL, 0, out, 1);
  CHECK(WasmEdge_ResultOK(r) && WasmEdge_ValueGetI32(out[0]) == 'i', "host writes guest memory through the calling frame");
  r = call(vm, "write_oob", NULL, 0, out, 1);
  CHECK(WasmEdge_ResultOK(r) && WasmEdge_ValueGetI32(out[0]) == 1, "pointer past the end is NULL");
  WasmEdge_Value five = WasmEdge_ValueGenI32(5);
  r = call(vm, "reenter", &five, 1, out, 1);
  CHECK(WasmEdge_ResultOK(r) && WasmEdge_ValueGetI32(out[0]) == 106, "host function re-enters the guest (5+1+100)");
  r = call(vm, "trap", NULL, 0, NULL, 0);
  CHECK(WasmEdge_ResultGetCode(r) == WasmEdge_ErrCode_Unreachable, "unreachable traps with its code");
  r = call(vm, "sum", args, 1, out, 1);
  CHECK(WasmEdge_ResultGetCode(r) == WasmEdge_ErrCode_FuncSigMismatch, "wrong argument count is FuncSigMismatch");
  r = call(vm, "nope", NULL, 0, NULL, 0);
  CHECK(WasmEdge_ResultGetCode(r) == WasmEdge_ErrCode_FuncNotFound, "unknown function is FuncNotFound");
  CHECK(WasmEdge_VMGetFunctionListLength(vm) == 9, "nine exported functions");

  WasmEdge_StatisticsContext *stat = WasmEdge_VMGetStatisticsContext(vm);
  CHECK(WasmEdge_StatisticsGetInstrCount(stat) > 0, "instructions counted");
  WasmEdge_StatisticsSetCostLimit(stat, WasmEdge_StatisticsGetTotalCost(stat) + 50);
  WasmEdge_Value n = WasmEdge_ValueGenI32(30);
  r = call(vm, "fib", &n, 1, out, 1);
  CHECK(WasmEdge_ResultGetCode(r) == WasmEdge_ErrCode_CostLimitExceeded, "cost limit stops fib(30)");
  WasmEdge_StatisticsSetCostLimit(stat, UINT64_MAX);
  n = WasmEdge_ValueGenI32(20);
  r = call(vm, "fib", &n, 1, out, 1);
  CHECK(WasmEdge_ResultOK(r) && WasmEdge_ValueGetI32(out[0]) == 6765, "fib(20) = 6765");

  WasmEdge_String spin = WasmEdge_StringCreateByCString("spin");
  WasmEdge_Async *task = WasmEdge_VMAsyncExecute(vm, spin, NULL, 0);
  WasmEdge_StringDelete(spin);
  CHECK(!WasmEdge_AsyncWaitFor(task, 50), "an endless loop is still running after 50 ms");
  WasmEdge_AsyncCancel(task);
  r = WasmEdge_AsyncGet(task, NULL, 0);
  CHECK(WasmEdge_ResultGetCode(r) == WasmEdge_ErrCode_Interrupted, "AsyncCancel interrupts it");
  WasmEdge_AsyncDelete(task);

  WasmEdge_VMDelete(vm);
  WasmEdge_ModuleInstanceDelete(env);
  CHECK(finalized == 1, "host data finalizer ran once");
  finalized = 0;

  /* ---- WASI through the VM: arguments, stdout, proc_exit ---- */
  WasmEdge_VMContext *wvm = WasmEdge_VMCreate(conf, NULL);
  WasmEdge_ModuleInstanceContext *wasi = WasmEdge_VMGetImportModuleContext(wvm, WasmEdge_HostRegistration_Wasi);
  const char *wargs[] = {"guest.wasm", "from-c"};
  const char *wenvs[] = {"GREETING=hi"};
  WasmEdge_ModuleInstanceInitWASI(wasi, wargs, 2, wenvs, 1, NULL, 0);
  WasmEdge_String start = WasmEdge_StringCreateByCString("_start");
  fflush(stdout);
  r = WasmEdge_VMRunWasmFromFile(wvm, wasi_guest, start, NULL, 0, NULL, 0);
  WasmEdge_StringDelete(start);
  CHECK(WasmEdge_ResultOK(r) && WasmEdge_ResultGetCode(r) == WasmEdge_ErrCode_Terminated, "proc_exit ends the run as Terminated");
  CHECK(WasmEdge_ModuleInstanceWASIGetExitCode(wasi) == 3, "the WASI exit code is 3");
  uint64_t native = 99;
  CHECK(WasmEdge_ModuleInstanceWASIGetNativeHandler(wasi, 1, &native) == 0 && native == 1, "guest fd 1 is host fd 1");
  CHECK(WasmEdge_ModuleInstanceWASIGetNativeHandler(wasi, 42, &native) == 2, "guest fd 42 is not open");
  WasmEdge_VMDelete(wvm);

  /* ---- The same guest compiled (RunMode JIT): host functions, memory, re-entry, traps ---- */
  WasmEdge_ConfigureContext *jconf = WasmEdge_ConfigureCreate();
  WasmEdge_ConfigureSetRunMode(jconf, WasmEdge_RunMode_JIT);
  WasmEdge_VMContext *jvm = WasmEdge_VMCreate(jconf, NULL);
  int32_t joffset = 100;
  WasmEdge_ModuleInstanceContext *jenv = make_env(&joffset);
  WasmEdge_VMRegisterModuleFromImport(jvm, jenv);
  WasmEdge_String jsum = WasmEdge_StringCreateByCString("sum");
  r = WasmEdge_VMRunWasmFromFile(jvm, guest, jsum, args, 2, out, 1);
  WasmEdge_StringDelete(jsum);
  CHECK(WasmEdge_ResultOK(r) && WasmEdge_ValueGetI32(out[0]) == 105, "JIT: sum through a C host function");
  r = call(jvm, "write", NULL, 0, out, 1);
  CHECK(WasmEdge_ResultOK(r) && WasmEdge_ValueGetI32(out[0]) == 'i', "JIT: host writes memory through the calling frame");
  r = call(jvm, "reenter", &five, 1, out, 1);
  CHECK(WasmEdge_ResultOK(r) && WasmEdge_ValueGetI32(out[0]) == 106, "JIT: host function re-enters compiled code");
  r = call(jvm, "fail", &code, 1, NULL, 0);
  CHECK(WasmEdge_ResultGetCategory(r) == WasmEdge_ErrCategory_UserLevelError && WasmEdge_ResultGetCode(r) == 42, "JIT: host error passes through compiled frames");
  r = call(jvm, "trap", NULL, 0, NULL, 0);
  CHECK(WasmEdge_ResultGetCode(r) == WasmEdge_ErrCode_Unreachable, "JIT: unreachable traps with its code");
  n = WasmEdge_ValueGenI32(25);
  r = call(jvm, "fib", &n, 1, out, 1);
  CHECK(WasmEdge_ResultOK(r) && WasmEdge_ValueGetI32(out[0]) == 75025, "JIT: fib(25) = 75025");
  WasmEdge_VMDelete(jvm);
  WasmEdge_ModuleInstanceDelete(jenv);
  WasmEdge_ConfigureDelete(jconf);

  /* ---- Loader, validator, executor, store ---- */
  WasmEdge_LoaderContext *loader = WasmEdge_LoaderCreate(conf);
  WasmEdge_ValidatorContext *validator = WasmEdge_ValidatorCreate(conf);
  WasmEdge_ExecutorContext *exec = WasmEdge_ExecutorCreate(conf, NULL);
  WasmEdge_StoreContext *store = WasmEdge_StoreCreate();
  WasmEdge_ASTModuleContext *ast = NULL;
  CHECK(WasmEdge_LoaderParseFromFile(loader, &ast, "/no/such/file.wasm").Code == WasmEdge_ErrCode_IllegalPath, "missing file is IllegalPath");
  CHECK(WasmEdge_ResultOK(WasmEdge_LoaderParseFromFile(loader, &ast, guest)), "loader parses the guest");
  CHECK(WasmEdge_ASTModuleListImportsLength(ast) == 5, "five imports listed");
  WasmEdge_ModuleInstanceContext *inst = NULL;
  r = WasmEdge_ExecutorInstantiate(exec, &inst, store, ast);
  CHECK(WasmEdge_ResultGetCode(r) == WasmEdge_ErrCode_NotValidated, "instantiating before validation fails");
  CHECK(WasmEdge_ResultOK(WasmEdge_ValidatorValidate(validator, ast)), "validator accepts the guest");
  r = WasmEdge_ExecutorInstantiate(exec, &inst, store, ast);
  CHECK(WasmEdge_ResultGetCode(r) == WasmEdge_ErrCode_UnknownImport, "missing imports are UnknownImport");
  int32_t offset2 = 1000;
  WasmEdge_ModuleInstanceContext *env2 = make_env(&offset2);
  CHECK(WasmEdge_ResultOK(WasmEdge_ExecutorRegisterImport(exec, store, env2)), "register env in the store");
  CHECK(WasmEdge_ResultGetCode(WasmEdge_ExecutorRegisterImport(exec, store, env2)) == WasmEdge_ErrCode_ModuleNameConflict, "second registration is a name conflict");
  r = WasmEdge_ExecutorInstantiate(exec, &inst, store, ast);
  CHECK(WasmEdge_ResultOK(r), "executor instantiates the guest");
  WasmEdge_String name = WasmEdge_StringCreateByCString("sum");
  WasmEdge_FunctionInstanceContext *f = WasmEdge_ModuleInstanceFindFunction(inst, name);
  WasmEdge_StringDelete(name);
  r = WasmEdge_ExecutorInvoke(exec, f, args, 2, out, 1);
  CHECK(WasmEdge_ResultOK(r) && WasmEdge_ValueGetI32(out[0]) == 1005, "executor invokes sum = 1005");
  name = WasmEdge_StringCreateByCString("memory");
  WasmEdge_MemoryInstanceContext *mem = WasmEdge_ModuleInstanceFindMemory(inst, name);
  WasmEdge_StringDelete(name);
  uint8_t buf[2] = {0, 0};
  CHECK(WasmEdge_ResultOK(WasmEdge_MemoryInstanceSetData(mem, (const uint8_t *)"ok", 8, 2)) &&
            WasmEdge_ResultOK(WasmEdge_MemoryInstanceGetData(mem, buf, 8, 2)) && memcmp(buf, "ok", 2) == 0,
        "memory set/get data");
  CHECK(WasmEdge_MemoryInstanceGetData(mem, buf, 65535, 2).Code == WasmEdge_ErrCode_MemoryOutOfBounds, "get data out of bounds");
  CHECK(WasmEdge_ResultOK(WasmEdge_MemoryInstanceGrowPage(mem, 1)) && WasmEdge_MemoryInstanceGetPageSize(mem) == 2, "memory grows");
  CHECK(WasmEdge_ExecutorInvoke(NULL, f, args, 2, out, 1).Code == WasmEdge_ErrCode_WrongVMWorkflow, "NULL executor is WrongVMWorkflow");

  WasmEdge_ModuleInstanceDelete(inst);
  WasmEdge_ModuleInstanceDelete(env2);
  WasmEdge_ASTModuleDelete(ast);
  WasmEdge_StoreDelete(store);
  WasmEdge_ExecutorDelete(exec);
  WasmEdge_ValidatorDelete(validator);
  WasmEdge_LoaderDelete(loader);
  WasmEdge_ConfigureDelete(conf);

  printf("%d failures\n", failures);
  return failures == 0 ? 0 : 1;
}
