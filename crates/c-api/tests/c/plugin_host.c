/* A C host that loads plug-ins and runs a guest importing their modules through the VM API.
 * Usage: plugin_host MODE GUEST.wasm MODULE [PATH]
 *   MODE "path": WasmEdge_PluginLoadFromPath(PATH); "default": WasmEdge_PluginLoadWithDefaultPaths().
 *   MODULE: the plug-in module the guest imports (the guest's functions call it).
 * Runs the checks and two threads each with its own VM; exits 1 if a check failed. */
#include <wasmedge/wasmedge.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

static const char *guest;

static WasmEdge_Result call(WasmEdge_VMContext *vm, const char *fn, WasmEdge_Value *args, uint32_t n,
                            WasmEdge_Value *out, uint32_t nout) {
  WasmEdge_String s = WasmEdge_StringCreateByCString(fn);
  WasmEdge_Result r = WasmEdge_VMExecute(vm, s, args, n, out, nout);
  WasmEdge_StringDelete(s);
  return r;
}

static WasmEdge_VMContext *new_vm(void) {
  WasmEdge_VMContext *vm = WasmEdge_VMCreate(NULL, NULL);
  if (vm == NULL) return NULL;
  if (!WasmEdge_ResultOK(WasmEdge_VMLoadWasmFromFile(vm, guest)) ||
      !WasmEdge_ResultOK(WasmEdge_VMValidate(vm)) || !WasmEdge_ResultOK(WasmEdge_VMInstantiate(vm))) {
    WasmEdge_VMDelete(vm);
    return NULL;
  }
  return vm;
}

/* Each thread counts to 1000 in its own VM: the counts must not mix. */
static void *count_in_own_vm(void *arg) {
  (void)arg;
  WasmEdge_VMContext *vm = new_vm();
  if (vm == NULL) return (void *)1;
  WasmEdge_Value out[1];
  int32_t last = 0;
  for (int i = 0; i < 1000; i++) {
    if (!WasmEdge_ResultOK(call(vm, "count", NULL, 0, out, 1))) { WasmEdge_VMDelete(vm); return (void *)1; }
    last = WasmEdge_ValueGetI32(out[0]);
  }
  WasmEdge_VMDelete(vm);
  return last == 1000 ? NULL : (void *)1;
}

int main(int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: plugin_host MODE GUEST.wasm MODULE [PATH]\n"); return 2; }
  guest = argv[2];
  const char *module = argv[3];
  if (strcmp(argv[1], "path") == 0 && argc == 5) {
    WasmEdge_PluginLoadFromPath(argv[4]);
  } else {
    WasmEdge_PluginLoadWithDefaultPaths();
  }
  CHECK(WasmEdge_PluginListPluginsLength() >= 1, "a plug-in loaded");
  WasmEdge_String names[8];
  uint32_t n = WasmEdge_PluginListPlugins(names, 8);
  for (uint32_t i = 0; i < n && i < 8; i++) printf("plugin %.*s\n", (int)names[i].Length, names[i].Buf);

  WasmEdge_VMContext *vm = new_vm();
  CHECK(vm != NULL, "VM instantiates a guest importing the plug-in module");
  if (vm == NULL) { printf("%d failures\n", failures); return 1; }
  WasmEdge_Value args[2] = {WasmEdge_ValueGenI32(20), WasmEdge_ValueGenI32(22)};
  WasmEdge_Value out[1];
  CHECK(WasmEdge_ResultOK(call(vm, "add", args, 2, out, 1)) && WasmEdge_ValueGetI32(out[0]) == 42, "add(20, 22) = 42");
  call(vm, "count", NULL, 0, out, 1);
  CHECK(WasmEdge_ResultOK(call(vm, "count", NULL, 0, out, 1)) && WasmEdge_ValueGetI32(out[0]) == 2, "per-module counter reaches 2");
  CHECK(WasmEdge_ResultOK(call(vm, "greet", NULL, 0, out, 1)) && WasmEdge_ValueGetI32(out[0]) == 'h' + 'o', "greet wrote hello into guest memory");
  WasmEdge_Result r = call(vm, "fail", NULL, 0, NULL, 0);
  CHECK(WasmEdge_ResultGetCategory(r) == WasmEdge_ErrCategory_UserLevelError, "a plug-in error reaches the host as a user-level error");
  printf("fail -> category %d code %u\n", (int)WasmEdge_ResultGetCategory(r), WasmEdge_ResultGetCode(r));
  r = call(vm, "trap", NULL, 0, NULL, 0);
  CHECK(!WasmEdge_ResultOK(r), "a plug-in trap stops the guest");
  printf("trap -> category %d code 0x%x\n", (int)WasmEdge_ResultGetCategory(r), WasmEdge_ResultGetCode(r));
  CHECK(WasmEdge_ResultOK(call(vm, "add", args, 2, out, 1)), "the VM still works after errors");

  WasmEdge_String mod_name = WasmEdge_StringCreateByCString(module);
  const WasmEdge_PluginContext *plugin = NULL;
  for (uint32_t i = 0; i < n && i < 8 && plugin == NULL; i++) {
    const WasmEdge_PluginContext *p = WasmEdge_PluginFind(names[i]);
    WasmEdge_String mods[4];
    uint32_t m = WasmEdge_PluginListModule(p, mods, 4);
    for (uint32_t j = 0; j < m && j < 4; j++) if (WasmEdge_StringIsEqual(mods[j], mod_name)) plugin = p;
  }
  CHECK(plugin != NULL, "PluginFind and PluginListModule find the module");
  WasmEdge_ModuleInstanceContext *made = WasmEdge_PluginCreateModule(plugin, mod_name);
  CHECK(made != NULL, "PluginCreateModule makes an instance");
  WasmEdge_String add = WasmEdge_StringCreateByCString("add");
  CHECK(WasmEdge_ModuleInstanceFindFunction(made, add) != NULL, "the instance has add");
  WasmEdge_StringDelete(add);
  WasmEdge_ModuleInstanceDelete(made);
  WasmEdge_StringDelete(mod_name);
  WasmEdge_VMDelete(vm);

  pthread_t threads[2];
  for (int i = 0; i < 2; i++) pthread_create(&threads[i], NULL, count_in_own_vm, NULL);
  int thread_failures = 0;
  for (int i = 0; i < 2; i++) {
    void *res;
    pthread_join(threads[i], &res);
    if (res != NULL) thread_failures++;
  }
  CHECK(thread_failures == 0, "two threads, each with its own VM and plug-in module, count to 1000");

  printf("%d failures\n", failures);
  return failures == 0 ? 0 : 1;
}
