/* The built-in plug-in `wasi_logging`, as a C host of WasmEdge 0.17.1 sees it.
 * Usage: builtin_plugin MODE GUEST.wasm [PATH]
 *   MODE "default": WasmEdge_PluginLoadWithDefaultPaths() with one plug-in on WASMEDGE_PLUGIN_PATH:
 *     two plug-ins are listed, `wasi_logging` first (it is registered before the paths load).
 *   MODE "path": WasmEdge_PluginLoadFromPath(PATH) with one plug-in there: only that one is listed
 *     and `wasi_logging` is not found; loading the default paths then adds it, after, once.
 *   GUEST exports `log`, which calls `wasi:logging/logging.log` at level info on stdout.
 * Then finds the built-in, lists and creates its module, runs the guest against the created
 * module in a store of its own and in a VM. Exits 1 if a check failed. */
#include <wasmedge/wasmedge.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

static int is(WasmEdge_String s, const char *text) {
  return s.Length == strlen(text) && memcmp(s.Buf, text, s.Length) == 0;
}

static void list(WasmEdge_String *names, uint32_t *n) {
  *n = WasmEdge_PluginListPlugins(names, 8);
  for (uint32_t i = 0; i < *n && i < 8; i++) printf("plugin %.*s\n", (int)names[i].Length, names[i].Buf);
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: builtin_plugin MODE GUEST.wasm [PATH]\n"); return 2; }
  const char *guest = argv[2];
  WasmEdge_String logging = WasmEdge_StringCreateByCString("wasi_logging");
  WasmEdge_String names[8];
  uint32_t n = 0;

  if (strcmp(argv[1], "path") == 0 && argc == 4) {
    WasmEdge_PluginLoadFromPath(argv[3]);
    CHECK(WasmEdge_PluginListPluginsLength() == 1, "LoadFromPath lists only the plug-in it loaded");
    CHECK(WasmEdge_PluginFind(logging) == NULL, "LoadFromPath does not register wasi_logging");
    WasmEdge_PluginLoadWithDefaultPaths();
    WasmEdge_PluginLoadWithDefaultPaths();
    list(names, &n);
    CHECK(n == 2 && WasmEdge_PluginListPluginsLength() == 2, "the default paths add wasi_logging, once");
    CHECK(n == 2 && is(names[1], "wasi_logging"), "wasi_logging comes after the plug-in loaded before");
  } else {
    WasmEdge_PluginLoadWithDefaultPaths();
    list(names, &n);
    CHECK(n == 2 && WasmEdge_PluginListPluginsLength() == 2, "the loaded plug-in and wasi_logging are listed");
    CHECK(n == 2 && is(names[0], "wasi_logging"), "wasi_logging is listed first");
  }
  WasmEdge_String few[1];
  CHECK(WasmEdge_PluginListPlugins(few, 1) == 2, "ListPlugins returns the total however few it writes");

  const WasmEdge_PluginContext *plugin = WasmEdge_PluginFind(logging);
  CHECK(plugin != NULL, "PluginFind finds wasi_logging");
  CHECK(is(WasmEdge_PluginGetPluginName(plugin), "wasi_logging"), "its name is wasi_logging");
  CHECK(WasmEdge_PluginListModuleLength(plugin) == 1, "it has one module");
  WasmEdge_String mods[2];
  uint32_t m = WasmEdge_PluginListModule(plugin, mods, 2);
  CHECK(m == 1 && is(mods[0], "wasi:logging/logging"), "the module is wasi:logging/logging");

  WasmEdge_String bogus = WasmEdge_StringCreateByCString("wasi:logging/nothing");
  CHECK(WasmEdge_PluginCreateModule(plugin, bogus) == NULL, "no module of another name");
  WasmEdge_StringDelete(bogus);
  WasmEdge_String mod_name = WasmEdge_StringCreateByCString("wasi:logging/logging");
  WasmEdge_ModuleInstanceContext *made = WasmEdge_PluginCreateModule(plugin, mod_name);
  CHECK(made != NULL, "PluginCreateModule makes the module");
  if (made == NULL) { printf("%d failures\n", failures); return 1; }
  CHECK(is(WasmEdge_ModuleInstanceGetModuleName(made), "wasi:logging/logging"), "the instance is named wasi:logging/logging");

  /* The created module serves a guest in a store of the host's own. */
  WasmEdge_StoreContext *store = WasmEdge_StoreCreate();
  WasmEdge_ExecutorContext *exec = WasmEdge_ExecutorCreate(NULL, NULL);
  WasmEdge_LoaderContext *loader = WasmEdge_LoaderCreate(NULL);
  WasmEdge_ValidatorContext *validator = WasmEdge_ValidatorCreate(NULL);
  CHECK(WasmEdge_ResultOK(WasmEdge_ExecutorRegisterImport(exec, store, made)), "the module registers in a store");
  WasmEdge_String log_name = WasmEdge_StringCreateByCString("log");
  WasmEdge_ASTModuleContext *ast = NULL;
  WasmEdge_ModuleInstanceContext *inst = NULL;
  CHECK(WasmEdge_ResultOK(WasmEdge_LoaderParseFromFile(loader, &ast, guest)) &&
            WasmEdge_ResultOK(WasmEdge_ValidatorValidate(validator, ast)) &&
            WasmEdge_ResultOK(WasmEdge_ExecutorInstantiate(exec, &inst, store, ast)),
        "a guest importing wasi:logging/logging instantiates against it");
  /* Wedge defines a built-in module's functions when it joins a running store (here, at the
   * first instantiation); WasmEdge has them from the start. */
  WasmEdge_FunctionInstanceContext *log_fn = WasmEdge_ModuleInstanceFindFunction(made, log_name);
  CHECK(log_fn != NULL, "it has the function log");
  if (log_fn != NULL) {
    const WasmEdge_FunctionTypeContext *ty = WasmEdge_FunctionInstanceGetFunctionType(log_fn);
    CHECK(WasmEdge_FunctionTypeGetParametersLength(ty) == 5 && WasmEdge_FunctionTypeGetReturnsLength(ty) == 0,
          "log takes five values and returns none");
  }
  if (inst != NULL) {
    WasmEdge_FunctionInstanceContext *f = WasmEdge_ModuleInstanceFindFunction(inst, log_name);
    CHECK(f != NULL && WasmEdge_ResultOK(WasmEdge_ExecutorInvoke(exec, f, NULL, 0, NULL, 0)),
          "the guest logs through the created module");
  }
  WasmEdge_ModuleInstanceDelete(inst);
  WasmEdge_ASTModuleDelete(ast);
  WasmEdge_ValidatorDelete(validator);
  WasmEdge_LoaderDelete(loader);
  WasmEdge_ExecutorDelete(exec);
  WasmEdge_StoreDelete(store);
  WasmEdge_ModuleInstanceDelete(made);

  /* A VM registers the module itself. */
  WasmEdge_VMContext *vm = WasmEdge_VMCreate(NULL, NULL);
  CHECK(vm != NULL && WasmEdge_ResultOK(WasmEdge_VMRunWasmFromFile(vm, guest, log_name, NULL, 0, NULL, 0)),
        "a VM gives the guest wasi:logging/logging");
  WasmEdge_VMDelete(vm);

  WasmEdge_StringDelete(log_name);
  WasmEdge_StringDelete(mod_name);
  WasmEdge_StringDelete(logging);
  printf("%d failures\n", failures);
  return failures == 0 ? 0 : 1;
}
