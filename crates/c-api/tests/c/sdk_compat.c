/* What WasmEdge's Rust SDK (wasmedge-sys 0.21) relies on beyond the current API, run by
 * tests/all/sdk_compat.rs against libwasmedge.so.0:
 *   - the `...FromBuffer` functions and the force-interpreter setting it still calls;
 *   - every WasmEdge_String the library lends or makes is NUL-terminated (`Buf[Length] == 0`),
 *     since the SDK reads names with `CStr::from_ptr`;
 *   - a fresh statistics context gives NaN instructions per second (0 / 0), as WasmEdge's;
 *   - proposal dependencies: GC needs function references, which needs reference types.
 * Usage: sdk_compat GUEST.wasm IMPORTER.wasm DIR
 *   GUEST exports fib (i32 -> i32), a function named "", and a function, memory, table and
 *   global with 24-byte names; IMPORTER imports imported_module_24_bytes.imported_field_24__bytes.
 *   (24-byte names end where glibc's next chunk header begins, so a missing NUL shows.)
 * Prints one line per check and exits 1 if any failed. */
#include <wasmedge/wasmedge.h>
/* Declared apart, as in WasmEdge 0.17.1 (wasmedge.h includes it there). */
#include <wasmedge/wasmedge_deprecated.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* A lent or made string, NUL-terminated after its Length bytes. */
static int terminated(WasmEdge_String s) { return s.Buf != NULL && s.Buf[s.Length] == '\0'; }

/* A NUL-terminated string that says `text`. */
static int says(WasmEdge_String s, const char *text) {
  return terminated(s) && s.Length == strlen(text) && strcmp(s.Buf, text) == 0;
}

static uint8_t *read_file(const char *path, uint32_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  static uint8_t buf[1 << 16];
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  uint8_t *copy = malloc(n);
  memcpy(copy, buf, n);
  *len = (uint32_t)n;
  return copy;
}

static WasmEdge_String name_of(const char *s) { return WasmEdge_StringWrap(s, (uint32_t)strlen(s)); }

static int32_t run_fib(WasmEdge_VMContext *vm, int32_t n) {
  WasmEdge_Value in = WasmEdge_ValueGenI32(n), out = WasmEdge_ValueGenI32(-1);
  WasmEdge_Result r = WasmEdge_VMExecute(vm, name_of("fib"), &in, 1, &out, 1);
  return WasmEdge_ResultOK(r) ? WasmEdge_ValueGetI32(out) : -1;
}

/* Every name a List function of the module writes is NUL-terminated. */
typedef uint32_t (*list_fn)(const WasmEdge_ModuleInstanceContext *, WasmEdge_String *, uint32_t);
static int all_terminated(const WasmEdge_ModuleInstanceContext *m, list_fn list, uint32_t expect) {
  WasmEdge_String names[16];
  uint32_t n = list(m, names, 16);
  if (n != expect) return 0;
  for (uint32_t i = 0; i < n; i++)
    if (!terminated(names[i])) return 0;
  return 1;
}

static int log_calls = 0, log_terminated = 0;
static void on_log(const WasmEdge_LogMessage *m) {
  log_calls++;
  if (terminated(m->Message) && says(m->LoggerName, "WasmEdge")) log_terminated++;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: sdk_compat GUEST.wasm IMPORTER.wasm DIR\n");
    return 2;
  }
  uint32_t guest_len = 0, importer_len = 0;
  uint8_t *guest = read_file(argv[1], &guest_len);
  uint8_t *importer = read_file(argv[2], &importer_len);
  if (!guest || !importer) return 2;
  static const uint8_t bad[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 10, 1};

  /* ---- WasmEdge_LoaderParseFromBuffer; export and import names ---- */
  WasmEdge_LoaderContext *loader = WasmEdge_LoaderCreate(NULL);
  WasmEdge_ASTModuleContext *ast = NULL;
  CHECK(WasmEdge_ResultOK(WasmEdge_LoaderParseFromBuffer(loader, &ast, guest, guest_len)) && ast,
        "LoaderParseFromBuffer loads the guest");
  const WasmEdge_ExportTypeContext *exports[8];
  uint32_t nexp = WasmEdge_ASTModuleListExports(ast, exports, 8);
  CHECK(nexp == 6, "the guest has six exports");
  int exp_ok = 1, exp_24 = 0, exp_empty = 0, exp_fib = 0;
  for (uint32_t i = 0; i < nexp && i < 8; i++) {
    WasmEdge_String s = WasmEdge_ExportTypeGetExternalName(exports[i]);
    if (!terminated(s)) exp_ok = 0;
    if (s.Length == 24) exp_24++;
    if (s.Length == 0) exp_empty++;
    if (says(s, "fib")) exp_fib++;
  }
  CHECK(exp_ok, "ExportTypeGetExternalName: every name is NUL-terminated");
  CHECK(exp_24 == 4 && exp_empty == 1, "... four 24-byte names and an empty one (not NULL)");
  CHECK(exp_fib == 1, "... and reads as a C string");
  WasmEdge_ASTModuleContext *not_loaded = NULL;
  CHECK(!WasmEdge_ResultOK(WasmEdge_LoaderParseFromBuffer(loader, &not_loaded, bad, sizeof bad)) &&
            not_loaded == NULL,
        "LoaderParseFromBuffer refuses malformed bytes");
  CHECK(!WasmEdge_ResultOK(WasmEdge_LoaderParseFromBuffer(NULL, &not_loaded, guest, guest_len)),
        "LoaderParseFromBuffer refuses a NULL loader");

  WasmEdge_ASTModuleContext *imp_ast = NULL;
  CHECK(WasmEdge_ResultOK(WasmEdge_LoaderParseFromBuffer(loader, &imp_ast, importer, importer_len)),
        "LoaderParseFromBuffer loads the importer");
  const WasmEdge_ImportTypeContext *imports[4];
  CHECK(WasmEdge_ASTModuleListImports(imp_ast, imports, 4) == 1, "the importer has one import");
  CHECK(says(WasmEdge_ImportTypeGetModuleName(imports[0]), "imported_module_24_bytes"),
        "ImportTypeGetModuleName is NUL-terminated");
  CHECK(says(WasmEdge_ImportTypeGetExternalName(imports[0]), "imported_field_24__bytes"),
        "ImportTypeGetExternalName is NUL-terminated");
  WasmEdge_ASTModuleDelete(imp_ast);

  /* ---- Strings the library makes ---- */
  WasmEdge_String made = WasmEdge_StringCreateByBuffer("abcdef", 3);
  CHECK(made.Length == 3 && says(made, "abc"), "StringCreateByBuffer copies with a NUL after it");
  WasmEdge_StringDelete(made);
  made = WasmEdge_StringCreateByCString("created_by_cstring_24byt");
  CHECK(says(made, "created_by_cstring_24byt"), "StringCreateByCString copies with a NUL after it");
  WasmEdge_StringDelete(made);
  WasmEdge_ModuleInstanceContext *host =
      WasmEdge_ModuleInstanceCreate(WasmEdge_StringWrap("host_module_name_24bytesXYZ", 24));
  CHECK(says(WasmEdge_ModuleInstanceGetModuleName(host), "host_module_name_24bytes"),
        "ModuleInstanceGetModuleName of a host module (named from a wrapped buffer)");
  WasmEdge_ModuleInstanceDelete(host);

  /* ---- The VM's FromBuffer functions; module and export names ---- */
  WasmEdge_VMContext *vm = WasmEdge_VMCreate(NULL, NULL);
  CHECK(isnan(WasmEdge_StatisticsGetInstrPerSecond(WasmEdge_VMGetStatisticsContext(vm))),
        "a new VM's statistics give NaN instructions per second");
  WasmEdge_Value in = WasmEdge_ValueGenI32(20), out = WasmEdge_ValueGenI32(-1);
  WasmEdge_Result r = WasmEdge_VMRunWasmFromBuffer(vm, guest, guest_len, name_of("fib"), &in, 1, &out, 1);
  CHECK(WasmEdge_ResultOK(r) && WasmEdge_ValueGetI32(out) == 6765, "VMRunWasmFromBuffer: fib(20)");
  r = WasmEdge_VMRunWasmFromBuffer(vm, bad, sizeof bad, name_of("fib"), &in, 1, &out, 1);
  CHECK(!WasmEdge_ResultOK(r), "VMRunWasmFromBuffer refuses malformed bytes");

  CHECK(WasmEdge_ResultOK(WasmEdge_VMLoadWasmFromBuffer(vm, guest, guest_len)), "VMLoadWasmFromBuffer");
  CHECK(WasmEdge_ResultOK(WasmEdge_VMValidate(vm)) && WasmEdge_ResultOK(WasmEdge_VMInstantiate(vm)),
        "... validates and instantiates");
  CHECK(run_fib(vm, 10) == 55, "... and runs fib(10)");
  CHECK(!WasmEdge_ResultOK(WasmEdge_VMLoadWasmFromBuffer(vm, bad, sizeof bad)),
        "VMLoadWasmFromBuffer refuses malformed bytes");

  const WasmEdge_ModuleInstanceContext *active = WasmEdge_VMGetActiveModule(vm);
  CHECK(all_terminated(active, WasmEdge_ModuleInstanceListFunction, 3),
        "ModuleInstanceListFunction: names NUL-terminated");
  CHECK(all_terminated(active, WasmEdge_ModuleInstanceListMemory, 1),
        "ModuleInstanceListMemory: names NUL-terminated");
  CHECK(all_terminated(active, WasmEdge_ModuleInstanceListTable, 1),
        "ModuleInstanceListTable: names NUL-terminated");
  CHECK(all_terminated(active, WasmEdge_ModuleInstanceListGlobal, 1),
        "ModuleInstanceListGlobal: names NUL-terminated");
  WasmEdge_String names[8];
  const WasmEdge_FunctionTypeContext *types[8];
  uint32_t nfuncs = WasmEdge_VMGetFunctionList(vm, names, types, 8);
  int funcs_ok = nfuncs == 3;
  for (uint32_t i = 0; i < nfuncs && i < 8; i++)
    if (!terminated(names[i])) funcs_ok = 0;
  CHECK(funcs_ok, "VMGetFunctionList: names NUL-terminated");

  const char *reg = "registered_module_24byte";
  CHECK(WasmEdge_ResultOK(WasmEdge_VMRegisterModuleFromBuffer(vm, name_of(reg), guest, guest_len)),
        "VMRegisterModuleFromBuffer");
  in = WasmEdge_ValueGenI32(15);
  r = WasmEdge_VMExecuteRegistered(vm, name_of(reg), name_of("fib"), &in, 1, &out, 1);
  CHECK(WasmEdge_ResultOK(r) && WasmEdge_ValueGetI32(out) == 610, "... and the registered fib(15) runs");
  CHECK(!WasmEdge_ResultOK(WasmEdge_VMRegisterModuleFromBuffer(vm, name_of("other"), bad, sizeof bad)),
        "VMRegisterModuleFromBuffer refuses malformed bytes");
  CHECK(says(WasmEdge_ModuleInstanceGetModuleName(WasmEdge_VMGetRegisteredModule(vm, name_of(reg))), reg),
        "ModuleInstanceGetModuleName of a registered module is NUL-terminated");
  uint32_t nreg = WasmEdge_VMListRegisteredModule(vm, names, 8);
  int reg_ok = nreg >= 1;
  for (uint32_t i = 0; i < nreg && i < 8; i++)
    if (!terminated(names[i])) reg_ok = 0;
  CHECK(reg_ok, "VMListRegisteredModule: names NUL-terminated");
  uint32_t nstore = WasmEdge_StoreListModule(WasmEdge_VMGetStoreContext(vm), names, 8);
  int store_ok = nstore >= 1;
  for (uint32_t i = 0; i < nstore && i < 8; i++)
    if (!terminated(names[i])) store_ok = 0;
  CHECK(store_ok, "StoreListModule: names NUL-terminated");

  in = WasmEdge_ValueGenI32(12);
  WasmEdge_Async *async = WasmEdge_VMAsyncRunWasmFromBuffer(vm, guest, guest_len, name_of("fib"), &in, 1);
  CHECK(async != NULL, "VMAsyncRunWasmFromBuffer");
  if (async) {
    out = WasmEdge_ValueGenI32(-1);
    r = WasmEdge_AsyncGet(async, &out, 1);
    CHECK(WasmEdge_ResultOK(r) && WasmEdge_ValueGetI32(out) == 144, "... gives fib(12)");
    WasmEdge_AsyncDelete(async);
  }
  /* A module that does not load still gives a call, whose result is the loader's error. */
  static const uint8_t not_wasm[] = {'n', 'o', 't', ' ', 'w', 'a', 's', 'm'};
  async = WasmEdge_VMAsyncRunWasmFromBytes(vm, WasmEdge_BytesWrap(not_wasm, sizeof not_wasm),
                                           name_of("fib"), &in, 1);
  CHECK(async != NULL, "VMAsyncRunWasmFromBytes of a bad module gives a call");
  if (async) {
    CHECK(WasmEdge_AsyncWaitFor(async, 1000), "... that is complete");
    r = WasmEdge_AsyncGet(async, &out, 1);
    CHECK(WasmEdge_ResultGetCode(r) == WasmEdge_ErrCode_MalformedMagic, "... with the loader's error");
    WasmEdge_AsyncDelete(async);
  }
  WasmEdge_VMDelete(vm);

  /* ---- The force-interpreter setting is the interpreter run mode ---- */
  WasmEdge_ConfigureContext *conf = WasmEdge_ConfigureCreate();
  CHECK(WasmEdge_ConfigureIsForceInterpreter(conf), "the default run mode (interpreter) forces the interpreter");
  WasmEdge_ConfigureSetRunMode(conf, WasmEdge_RunMode_JIT);
  CHECK(!WasmEdge_ConfigureIsForceInterpreter(conf), "run mode JIT: not forced");
  WasmEdge_ConfigureSetForceInterpreter(conf, false);
  CHECK(WasmEdge_ConfigureGetRunMode(conf) == WasmEdge_RunMode_JIT, "SetForceInterpreter(false) changes nothing");
  WasmEdge_ConfigureSetForceInterpreter(conf, true);
  CHECK(WasmEdge_ConfigureGetRunMode(conf) == WasmEdge_RunMode_Interpreter &&
            WasmEdge_ConfigureIsForceInterpreter(conf),
        "SetForceInterpreter(true) sets the interpreter run mode");
  WasmEdge_ConfigureSetRunMode(conf, WasmEdge_RunMode_AOT);
  CHECK(!WasmEdge_ConfigureIsForceInterpreter(conf), "run mode AOT: not forced");
  CHECK(!WasmEdge_ConfigureIsForceInterpreter(NULL), "IsForceInterpreter(NULL) is false");
  WasmEdge_ConfigureSetForceInterpreter(NULL, true);

  /* ---- WasmEdge_CompilerCompileFromBuffer writes a file the AOT run mode runs ---- */
  char aot[4096];
  snprintf(aot, sizeof aot, "%s/fib.aot.wasm", argv[3]);
  WasmEdge_CompilerContext *compiler = WasmEdge_CompilerCreate(NULL);
  CHECK(WasmEdge_ResultOK(WasmEdge_CompilerCompileFromBuffer(compiler, guest, guest_len, aot)),
        "CompilerCompileFromBuffer");
  r = WasmEdge_CompilerCompileFromBuffer(compiler, guest, (uint64_t)UINT32_MAX + 1, aot);
  CHECK(WasmEdge_ResultGetCode(r) == WasmEdge_ErrCode_LengthOutOfBounds,
        "CompilerCompileFromBuffer refuses a length over 4 GiB");
  CHECK(!WasmEdge_ResultOK(WasmEdge_CompilerCompileFromBuffer(compiler, bad, sizeof bad, aot)),
        "CompilerCompileFromBuffer refuses malformed bytes");
  WasmEdge_CompilerDelete(compiler);
  /* conf is in AOT run mode. */
  WasmEdge_VMContext *aot_vm = WasmEdge_VMCreate(conf, NULL);
  in = WasmEdge_ValueGenI32(20);
  r = WasmEdge_VMRunWasmFromFile(aot_vm, aot, name_of("fib"), &in, 1, &out, 1);
  CHECK(WasmEdge_ResultOK(r) && WasmEdge_ValueGetI32(out) == 6765, "the compiled file runs fib(20) in AOT mode");
  WasmEdge_VMDelete(aot_vm);
  WasmEdge_ConfigureDelete(conf);

  /* ---- Statistics: instructions per second is a plain division ---- */
  WasmEdge_StatisticsContext *stat = WasmEdge_StatisticsCreate();
  CHECK(isnan(WasmEdge_StatisticsGetInstrPerSecond(stat)), "a new statistics context gives NaN (0 / 0)");
  CHECK(WasmEdge_StatisticsGetInstrPerSecond(NULL) == 0.0, "NULL gives 0");
  WasmEdge_StatisticsDelete(stat);

  /* ---- Proposal dependencies ---- */
  conf = WasmEdge_ConfigureCreate();
#define HAS(p) WasmEdge_ConfigureHasProposal(conf, WasmEdge_Proposal_##p)
  CHECK(HAS(GC) && HAS(FunctionReferences) && HAS(ReferenceTypes), "the default has GC and what it needs");
  WasmEdge_ConfigureRemoveProposal(conf, WasmEdge_Proposal_ReferenceTypes);
  CHECK(HAS(ReferenceTypes), "reference types stay while GC is on");
  WasmEdge_ConfigureRemoveProposal(conf, WasmEdge_Proposal_FunctionReferences);
  CHECK(HAS(FunctionReferences), "function references stay while GC is on");
  WasmEdge_ConfigureRemoveProposal(conf, WasmEdge_Proposal_GC);
  CHECK(!HAS(GC) && HAS(FunctionReferences), "GC goes alone");
  WasmEdge_ConfigureRemoveProposal(conf, WasmEdge_Proposal_ReferenceTypes);
  CHECK(HAS(ReferenceTypes), "reference types stay while function references is on");
  WasmEdge_ConfigureRemoveProposal(conf, WasmEdge_Proposal_FunctionReferences);
  WasmEdge_ConfigureRemoveProposal(conf, WasmEdge_Proposal_ReferenceTypes);
  CHECK(!HAS(FunctionReferences) && !HAS(ReferenceTypes), "then both go");
  WasmEdge_ConfigureAddProposal(conf, WasmEdge_Proposal_FunctionReferences);
  CHECK(HAS(FunctionReferences) && HAS(ReferenceTypes) && !HAS(GC),
        "adding function references adds reference types");
  WasmEdge_ConfigureRemoveProposal(conf, WasmEdge_Proposal_FunctionReferences);
  WasmEdge_ConfigureRemoveProposal(conf, WasmEdge_Proposal_ReferenceTypes);
  WasmEdge_ConfigureAddProposal(conf, WasmEdge_Proposal_GC);
  CHECK(HAS(GC) && HAS(FunctionReferences) && HAS(ReferenceTypes),
        "adding GC adds function references and reference types");
  WasmEdge_ConfigureRemoveProposal(conf, WasmEdge_Proposal_SIMD);
  CHECK(!HAS(SIMD), "a proposal nothing depends on goes");
  WasmEdge_ConfigureSetWASMStandard(conf, WasmEdge_Standard_WASM_2);
  CHECK(!HAS(GC) && !HAS(FunctionReferences) && HAS(ReferenceTypes) && HAS(SIMD),
        "WASM_2: reference types and SIMD, no GC or function references");
  WasmEdge_ConfigureSetWASMStandard(conf, WasmEdge_Standard_WASM_1);
  CHECK(!HAS(ReferenceTypes) && HAS(ImportExportMutGlobals), "WASM_1: mutable globals only");
  WasmEdge_ConfigureSetWASMStandard(conf, WasmEdge_Standard_WASM_3);
  CHECK(HAS(GC) && HAS(FunctionReferences) && HAS(ReferenceTypes) && HAS(Memory64) && !HAS(Threads),
        "WASM_3: GC with its dependencies, memory64, no threads");
#undef HAS
  WasmEdge_ConfigureDelete(conf);

  /* ---- Plug-in names and log messages ---- */
  WasmEdge_PluginLoadWithDefaultPaths();
  uint32_t nplug = WasmEdge_PluginListPlugins(names, 8);
  int plug_ok = nplug >= 1, logging = 0;
  for (uint32_t i = 0; i < nplug && i < 8; i++) {
    if (!terminated(names[i])) plug_ok = 0;
    if (says(names[i], "wasi_logging")) logging = 1;
  }
  CHECK(plug_ok && logging, "PluginListPlugins: names NUL-terminated, wasi_logging among them");
  const WasmEdge_PluginContext *plugin = WasmEdge_PluginFind(name_of("wasi_logging"));
  CHECK(says(WasmEdge_PluginGetPluginName(plugin), "wasi_logging"), "PluginGetPluginName is NUL-terminated");
  CHECK(WasmEdge_PluginListModule(plugin, names, 8) == 1 && says(names[0], "wasi:logging/logging"),
        "PluginListModule: names NUL-terminated");

  WasmEdge_LogSetCallback(on_log);
  compiler = WasmEdge_CompilerCreate(NULL);
  WasmEdge_CompilerCompile(compiler, "/no/such/file.wasm", aot);
  WasmEdge_CompilerDelete(compiler);
  WasmEdge_LogSetCallback(NULL);
  CHECK(log_calls > 0 && log_terminated == log_calls, "log messages and the logger name are NUL-terminated");

  WasmEdge_ASTModuleDelete(ast);
  WasmEdge_LoaderDelete(loader);
  free(guest);
  free(importer);
  printf("%d failures\n", failures);
  return failures == 0 ? 0 : 1;
}
