/* A C plug-in written against WasmEdge 0.17.1's plug-in ABI (API version 5), built by the tests
 * with `cc -shared` against our headers. Plug-in `c_math`, module `c_math`:
 *   add(i32, i32) -> i32    a + b + the `--c-math-offset` program option
 *   count() -> i32          increments a counter kept per module instance (host data)
 *   greet(i32 ptr) -> i32   writes "hello" into the caller's memory at ptr; returns 5
 *   fail() -> ()            returns a user-level error (code 7)
 *   trap() -> ()            returns WasmEdge_ErrCode_HostFuncError
 */
#include <wasmedge/wasmedge.h>
#include <stdlib.h>
#include <string.h>

static int32_t offset_option = 0;
static const int32_t offset_default = 0;

typedef struct {
  int32_t count;
} ModuleState;

static WasmEdge_Result add(void *data, const WasmEdge_CallingFrameContext *frame,
                           const WasmEdge_Value *in, WasmEdge_Value *out) {
  (void)data; (void)frame;
  out[0] = WasmEdge_ValueGenI32(WasmEdge_ValueGetI32(in[0]) + WasmEdge_ValueGetI32(in[1]) + offset_option);
  return WasmEdge_Result_Success;
}

static WasmEdge_Result count(void *data, const WasmEdge_CallingFrameContext *frame,
                             const WasmEdge_Value *in, WasmEdge_Value *out) {
  (void)frame; (void)in;
  ModuleState *state = (ModuleState *)data;
  state->count += 1;
  out[0] = WasmEdge_ValueGenI32(state->count);
  return WasmEdge_Result_Success;
}

static WasmEdge_Result greet(void *data, const WasmEdge_CallingFrameContext *frame,
                             const WasmEdge_Value *in, WasmEdge_Value *out) {
  (void)data;
  WasmEdge_MemoryInstanceContext *mem = WasmEdge_CallingFrameGetMemoryInstance(frame, 0);
  uint8_t *p = WasmEdge_MemoryInstanceGetPointer(mem, (uint32_t)WasmEdge_ValueGetI32(in[0]), 5);
  if (p == NULL) {
    return WasmEdge_ResultGen(WasmEdge_ErrCategory_WASM, WasmEdge_ErrCode_MemoryOutOfBounds);
  }
  memcpy(p, "hello", 5);
  out[0] = WasmEdge_ValueGenI32(5);
  return WasmEdge_Result_Success;
}

static WasmEdge_Result fail(void *data, const WasmEdge_CallingFrameContext *frame,
                            const WasmEdge_Value *in, WasmEdge_Value *out) {
  (void)data; (void)frame; (void)in; (void)out;
  return WasmEdge_ResultGen(WasmEdge_ErrCategory_UserLevelError, 7);
}

static WasmEdge_Result trap(void *data, const WasmEdge_CallingFrameContext *frame,
                            const WasmEdge_Value *in, WasmEdge_Value *out) {
  (void)data; (void)frame; (void)in; (void)out;
  return WasmEdge_ResultGen(WasmEdge_ErrCategory_WASM, WasmEdge_ErrCode_HostFuncError);
}

static void add_func(WasmEdge_ModuleInstanceContext *mod, const char *name, WasmEdge_HostFunc_t f,
                     void *data, uint32_t nparams, uint32_t nresults) {
  WasmEdge_ValType i32[2] = {WasmEdge_ValTypeGenI32(), WasmEdge_ValTypeGenI32()};
  WasmEdge_FunctionTypeContext *ty = WasmEdge_FunctionTypeCreate(i32, nparams, i32, nresults);
  WasmEdge_FunctionInstanceContext *fn = WasmEdge_FunctionInstanceCreate(ty, f, data, 0);
  WasmEdge_FunctionTypeDelete(ty);
  WasmEdge_String s = WasmEdge_StringCreateByCString(name);
  WasmEdge_ModuleInstanceAddFunction(mod, s, fn);
  WasmEdge_StringDelete(s);
}

static void free_state(void *data) { free(data); }

static WasmEdge_ModuleInstanceContext *create(const WasmEdge_ModuleDescriptor *desc) {
  ModuleState *state = calloc(1, sizeof(ModuleState));
  WasmEdge_String name = WasmEdge_StringCreateByCString(desc->Name);
  WasmEdge_ModuleInstanceContext *mod = WasmEdge_ModuleInstanceCreateWithData(name, state, free_state);
  WasmEdge_StringDelete(name);
  add_func(mod, "add", add, NULL, 2, 1);
  add_func(mod, "count", count, state, 0, 1);
  add_func(mod, "greet", greet, NULL, 1, 1);
  add_func(mod, "fail", fail, NULL, 0, 0);
  add_func(mod, "trap", trap, NULL, 0, 0);
  return mod;
}

static WasmEdge_ModuleDescriptor modules[] = {
    {.Name = "c_math", .Description = "arithmetic and memory from C", .Create = create},
};

static WasmEdge_ProgramOption options[] = {
    {.Name = "c-math-offset",
     .Description = "added to every c_math.add result",
     .Type = WasmEdge_ProgramOptionType_Int32,
     .Storage = &offset_option,
     .DefaultValue = &offset_default},
};

static const WasmEdge_PluginDescriptor descriptor = {
    .Name = "c_math",
    .Description = "a test plug-in written in C",
    .APIVersion = WasmEdge_Plugin_CurrentAPIVersion,
    .Version = {.Major = 1, .Minor = 2, .Patch = 3, .Build = 4},
    .ModuleCount = 1,
    .ProgramOptionCount = 1,
    .ModuleDescriptions = modules,
    .ProgramOptions = options,
};

WASMEDGE_CAPI_PLUGIN_EXPORT const WasmEdge_PluginDescriptor *WasmEdge_Plugin_GetDescriptor(void) {
  return &descriptor;
}
