/* The AOT compiler API (wasmedge_compiler.h), run by tests/all/compiler.rs.
 * Usage: compiler IN.wasm DIR   (IN exports fib: i32 -> i32)
 * Compiles IN into DIR/fib.aot.wasm (universal wasm, from a path) and DIR/fib.so (native, from
 * bytes), runs fib(20) from each in a VM with the AOT run mode, checks error paths. Prints one
 * line per check and exits 1 if any failed. */
#include <wasmedge/wasmedge.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static int32_t run_fib(const char *path, enum WasmEdge_RunMode mode) {
  WasmEdge_ConfigureContext *conf = WasmEdge_ConfigureCreate();
  WasmEdge_ConfigureSetRunMode(conf, mode);
  WasmEdge_VMContext *vm = WasmEdge_VMCreate(conf, NULL);
  WasmEdge_Value in = WasmEdge_ValueGenI32(20), out;
  WasmEdge_String name = WasmEdge_StringCreateByCString("fib");
  WasmEdge_Result r = WasmEdge_VMRunWasmFromFile(vm, path, name, &in, 1, &out, 1);
  WasmEdge_StringDelete(name);
  WasmEdge_VMDelete(vm);
  WasmEdge_ConfigureDelete(conf);
  if (!WasmEdge_ResultOK(r)) {
    printf("     run %s: %s\n", path, WasmEdge_ResultGetMessage(r));
    return -1;
  }
  return WasmEdge_ValueGetI32(out);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: compiler IN.wasm DIR\n");
    return 2;
  }
  char universal[4096], native[4096], bad_out[4096];
  snprintf(universal, sizeof universal, "%s/fib.aot.wasm", argv[2]);
  snprintf(native, sizeof native, "%s/fib.so", argv[2]);
  snprintf(bad_out, sizeof bad_out, "%s/no/such/dir/x.wasm", argv[2]);

  /* Universal wasm (the default output format), from a path. */
  WasmEdge_ConfigureContext *conf = WasmEdge_ConfigureCreate();
  CHECK(WasmEdge_ConfigureCompilerGetOutputFormat(conf) == WasmEdge_CompilerOutputFormat_Wasm,
        "the default output format is wasm");
  WasmEdge_CompilerContext *c = WasmEdge_CompilerCreate(conf);
  CHECK(c != NULL, "CompilerCreate");
  CHECK(WasmEdge_ResultOK(WasmEdge_CompilerCompile(c, argv[1], universal)),
        "CompilerCompile writes a universal wasm");
  WasmEdge_Result r = WasmEdge_CompilerCompile(c, "/no/such/file.wasm", universal);
  CHECK(WasmEdge_ResultGetCode(r) == WasmEdge_ErrCode_IllegalPath, "a missing input is IllegalPath");
  CHECK(!WasmEdge_ResultOK(WasmEdge_CompilerCompile(c, argv[1], bad_out)), "an unwritable output fails");
  static const uint8_t invalid[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 10, 1};
  r = WasmEdge_CompilerCompileFromBytes(c, WasmEdge_BytesWrap(invalid, sizeof invalid), universal);
  CHECK(!WasmEdge_ResultOK(r), "malformed bytes are refused");
  WasmEdge_CompilerDelete(c);
  WasmEdge_CompilerDelete(NULL);

  /* A shared library, from bytes. */
  FILE *f = fopen(argv[1], "rb");
  if (!f) return 2;
  static uint8_t buf[1 << 16];
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  WasmEdge_ConfigureCompilerSetOutputFormat(conf, WasmEdge_CompilerOutputFormat_Native);
  WasmEdge_ConfigureCompilerSetOptimizationLevel(conf, WasmEdge_CompilerOptimizationLevel_O1);
  c = WasmEdge_CompilerCreate(conf);
  CHECK(WasmEdge_ResultOK(WasmEdge_CompilerCompileFromBytes(c, WasmEdge_BytesWrap(buf, (uint32_t)n), native)),
        "CompilerCompileFromBytes writes a shared library");
  WasmEdge_CompilerDelete(c);
  WasmEdge_ConfigureDelete(conf);

  CHECK(run_fib(universal, WasmEdge_RunMode_AOT) == 6765, "AOT run of the universal wasm");
  CHECK(run_fib(native, WasmEdge_RunMode_AOT) == 6765, "AOT run of the shared library");
  CHECK(run_fib(universal, WasmEdge_RunMode_Interpreter) == 6765, "interpreter run of the universal wasm");
  CHECK(run_fib(argv[1], WasmEdge_RunMode_AOT) == 6765, "AOT run of a plain module (interpreted)");

  /* A file that starts like a shared library but is none cannot be opened: IllegalPath, as
   * in WasmEdge. */
  char bogus[4096];
  snprintf(bogus, sizeof bogus, "%s/bogus.so", argv[2]);
  FILE *b = fopen(bogus, "wb");
  CHECK(b != NULL, "bogus.so is written");
  if (b) {
    fwrite("\x7f" "ELF and then nothing", 1, 21, b);
    fclose(b);
    WasmEdge_LoaderContext *loader = WasmEdge_LoaderCreate(NULL);
    WasmEdge_ASTModuleContext *ast = NULL;
    r = WasmEdge_LoaderParseFromFile(loader, &ast, bogus);
    CHECK(WasmEdge_ResultGetCode(r) == WasmEdge_ErrCode_IllegalPath && ast == NULL,
          "LoaderParseFromFile of a library that cannot be opened is IllegalPath");
    WasmEdge_LoaderDelete(loader);
  }

  printf("%d failures\n", failures);
  return failures ? 1 : 0;
}
