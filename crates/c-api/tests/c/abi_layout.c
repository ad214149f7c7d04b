/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Compile-time checks that include/wasmedge/ matches the WasmEdge 0.17.1 C
 * ABI (x86_64 / aarch64 LP64 layout): struct sizes, field offsets,
 * alignments and a sample of enumerator values. Nothing runs; the file
 * passes when it compiles:
 *
 *   cc  -std=c11   -Wall -Wextra -Werror -pedantic -Iinclude -c abi_layout.c
 *   c++ -std=c++17 -Wall -Wextra -Werror -x c++    -Iinclude -c abi_layout.c
 */

#include <wasmedge/wasmedge.h>

#include <stddef.h>

#ifdef __cplusplus
#define ABI_ASSERT(cond, what) static_assert(cond, what)
#define ABI_ALIGNOF(type) alignof(type)
#else
#define ABI_ASSERT(cond, what) _Static_assert(cond, what)
#define ABI_ALIGNOF(type) _Alignof(type)
#endif

#define SIZE_IS(type, n) ABI_ASSERT(sizeof(type) == (n), "sizeof " #type)
#define ALIGN_IS(type, n) ABI_ASSERT(ABI_ALIGNOF(type) == (n), "alignof " #type)
#define OFFSET_IS(type, field, n)                                              \
  ABI_ASSERT(offsetof(type, field) == (n), "offsetof " #type "." #field)
#define VALUE_IS(name, n) ABI_ASSERT((name) == (n), #name)

/* The layouts below assume 64-bit pointers. */
ABI_ASSERT(sizeof(void *) == 8, "LP64 target");

/* ---- Basic structs ---- */
SIZE_IS(WasmEdge_String, 16);
OFFSET_IS(WasmEdge_String, Length, 0);
OFFSET_IS(WasmEdge_String, Buf, 8);

SIZE_IS(WasmEdge_Bytes, 16);
OFFSET_IS(WasmEdge_Bytes, Length, 0);
OFFSET_IS(WasmEdge_Bytes, Buf, 8);

SIZE_IS(WasmEdge_Result, 4);
OFFSET_IS(WasmEdge_Result, Code, 0);

SIZE_IS(WasmEdge_LogMessage, 56);
OFFSET_IS(WasmEdge_LogMessage, Message, 0);
OFFSET_IS(WasmEdge_LogMessage, LoggerName, 16);
OFFSET_IS(WasmEdge_LogMessage, Level, 32);
OFFSET_IS(WasmEdge_LogMessage, Time, 40);
OFFSET_IS(WasmEdge_LogMessage, ThreadId, 48);
SIZE_IS(WasmEdge_LogLevel, 4);

/* ---- Values ---- */
SIZE_IS(WasmEdge_ValType, 8);
ALIGN_IS(WasmEdge_ValType, 1);

SIZE_IS(uint128_t, 16);
SIZE_IS(int128_t, 16);
ALIGN_IS(uint128_t, 16); /* __int128 on the 64-bit targets */

SIZE_IS(WasmEdge_Value, 32);
ALIGN_IS(WasmEdge_Value, 16);
OFFSET_IS(WasmEdge_Value, Value, 0);
OFFSET_IS(WasmEdge_Value, Type, 16);

/* ---- Plug-in structs ---- */
SIZE_IS(WasmEdge_ProgramOptionType, 4);
SIZE_IS(WasmEdge_ProgramOption, 40);
OFFSET_IS(WasmEdge_ProgramOption, Name, 0);
OFFSET_IS(WasmEdge_ProgramOption, Description, 8);
OFFSET_IS(WasmEdge_ProgramOption, Type, 16);
OFFSET_IS(WasmEdge_ProgramOption, Storage, 24);
OFFSET_IS(WasmEdge_ProgramOption, DefaultValue, 32);

SIZE_IS(WasmEdge_ModuleDescriptor, 24);
OFFSET_IS(WasmEdge_ModuleDescriptor, Name, 0);
OFFSET_IS(WasmEdge_ModuleDescriptor, Description, 8);
OFFSET_IS(WasmEdge_ModuleDescriptor, Create, 16);

SIZE_IS(WasmEdge_PluginVersionData, 16);
OFFSET_IS(WasmEdge_PluginVersionData, Major, 0);
OFFSET_IS(WasmEdge_PluginVersionData, Minor, 4);
OFFSET_IS(WasmEdge_PluginVersionData, Patch, 8);
OFFSET_IS(WasmEdge_PluginVersionData, Build, 12);

SIZE_IS(WasmEdge_PluginDescriptor, 64);
OFFSET_IS(WasmEdge_PluginDescriptor, Name, 0);
OFFSET_IS(WasmEdge_PluginDescriptor, Description, 8);
OFFSET_IS(WasmEdge_PluginDescriptor, APIVersion, 16);
OFFSET_IS(WasmEdge_PluginDescriptor, Version, 20);
OFFSET_IS(WasmEdge_PluginDescriptor, ModuleCount, 36);
OFFSET_IS(WasmEdge_PluginDescriptor, ProgramOptionCount, 40);
OFFSET_IS(WasmEdge_PluginDescriptor, ModuleDescriptions, 48);
OFFSET_IS(WasmEdge_PluginDescriptor, ProgramOptions, 56);

/* ---- Version macros ---- */
VALUE_IS(WASMEDGE_VERSION_MAJOR, 0);
VALUE_IS(WASMEDGE_VERSION_MINOR, 17);
VALUE_IS(WASMEDGE_VERSION_PATCH, 1);
VALUE_IS(WasmEdge_Plugin_CurrentAPIVersion, 5);
ABI_ASSERT(sizeof(WASMEDGE_VERSION) == sizeof("0.17.1"), "WASMEDGE_VERSION");

/* ---- Enumerators: each range's ends and a few in between ---- */
VALUE_IS(WasmEdge_ErrCategory_WASM, 0);
VALUE_IS(WasmEdge_ErrCategory_UserLevelError, 1);

VALUE_IS(WasmEdge_ErrCode_Success, 0x0000);
VALUE_IS(WasmEdge_ErrCode_Terminated, 0x0001);
VALUE_IS(WasmEdge_ErrCode_CostLimitExceeded, 0x0003);
VALUE_IS(WasmEdge_ErrCode_WrongVMWorkflow, 0x0004);
VALUE_IS(WasmEdge_ErrCode_FuncNotFound, 0x0005);
VALUE_IS(WasmEdge_ErrCode_Interrupted, 0x0007);
VALUE_IS(WasmEdge_ErrCode_UserDefError, 0x000C);
VALUE_IS(WasmEdge_ErrCode_AOTNotImpl, 0x000E);
VALUE_IS(WasmEdge_ErrCode_IllegalPath, 0x0100);
VALUE_IS(WasmEdge_ErrCode_InvalidMut, 0x010F);
VALUE_IS(WasmEdge_ErrCode_MalformedCatchFlags, 0x011E);
VALUE_IS(WasmEdge_ErrCode_MalformedSort, 0x01A0);
VALUE_IS(WasmEdge_ErrCode_ComponentNotImplLoader, 0x01AD);
VALUE_IS(WasmEdge_ErrCode_InvalidAlignment, 0x0200);
VALUE_IS(WasmEdge_ErrCode_ConstExprRequired, 0x020F);
VALUE_IS(WasmEdge_ErrCode_InvalidOffset, 0x022A);
VALUE_IS(WasmEdge_ErrCode_InvalidExternName, 0x02B4);
VALUE_IS(WasmEdge_ErrCode_ModuleNameConflict, 0x0300);
VALUE_IS(WasmEdge_ErrCode_ElemSegDoesNotFit, 0x0304);
VALUE_IS(WasmEdge_ErrCode_ComponentNotImplInstantiate, 0x03A4);
VALUE_IS(WasmEdge_ErrCode_WrongInstanceAddress, 0x0400);
VALUE_IS(WasmEdge_ErrCode_FuncSigMismatch, 0x0403);
VALUE_IS(WasmEdge_ErrCode_TableOutOfBounds, 0x0407);
VALUE_IS(WasmEdge_ErrCode_MemoryOutOfBounds, 0x0408);
VALUE_IS(WasmEdge_ErrCode_Unreachable, 0x040A);
VALUE_IS(WasmEdge_ErrCode_HostFuncError, 0x040E);
VALUE_IS(WasmEdge_ErrCode_UncaughtException, 0x0419);

VALUE_IS(WasmEdge_Proposal_ImportExportMutGlobals, 0);
VALUE_IS(WasmEdge_Proposal_SIMD, 6);
VALUE_IS(WasmEdge_Proposal_GC, 10);
VALUE_IS(WasmEdge_Proposal_RelaxSIMD, 12);
VALUE_IS(WasmEdge_Proposal_Memory64, 15);
VALUE_IS(WasmEdge_Proposal_Threads, 16);
VALUE_IS(WasmEdge_Proposal_Component, 17);
VALUE_IS(WasmEdge_Standard_WASM_1, 0);
VALUE_IS(WasmEdge_Standard_WASM_3, 2);
VALUE_IS(WasmEdge_HostRegistration_Wasi, 0);
VALUE_IS(WasmEdge_RunMode_Interpreter, 0);
VALUE_IS(WasmEdge_RunMode_JIT, 1);
VALUE_IS(WasmEdge_RunMode_AOT, 2);
VALUE_IS(WasmEdge_CompilerOptimizationLevel_Oz, 5);
VALUE_IS(WasmEdge_CompilerOutputFormat_Wasm, 1);

VALUE_IS(WasmEdge_TypeCode_TypeIndex, 0x00);
VALUE_IS(WasmEdge_TypeCode_I32, 0x7F);
VALUE_IS(WasmEdge_TypeCode_V128, 0x7B);
VALUE_IS(WasmEdge_TypeCode_FuncRef, 0x70);
VALUE_IS(WasmEdge_TypeCode_ExternRef, 0x6F);
VALUE_IS(WasmEdge_TypeCode_Ref, 0x64);
VALUE_IS(WasmEdge_TypeCode_RefNull, 0x63);
VALUE_IS(WasmEdge_TypeCode_Epsilon, 0x40);
VALUE_IS(WasmEdge_Mutability_Const, 0);
VALUE_IS(WasmEdge_Mutability_Var, 1);
VALUE_IS(WasmEdge_ExternalType_Function, 0);
VALUE_IS(WasmEdge_ExternalType_Tag, 4);

VALUE_IS(WasmEdge_LogLevel_Trace, 0);
VALUE_IS(WasmEdge_LogLevel_Critical, 5);
VALUE_IS(WasmEdge_ProgramOptionType_None, 0);
VALUE_IS(WasmEdge_ProgramOptionType_Toggle, 1);
VALUE_IS(WasmEdge_ProgramOptionType_Double, 11);
VALUE_IS(WasmEdge_ProgramOptionType_String, 12);

/* ---- Host-function pointer types take the documented shapes ---- */
static WasmEdge_Result abi_host_func(void *Data,
                                     const WasmEdge_CallingFrameContext *Frame,
                                     const WasmEdge_Value *Params,
                                     WasmEdge_Value *Returns) {
  (void)Data;
  (void)Frame;
  (void)Params;
  (void)Returns;
  return WasmEdge_Result_Success;
}

static WasmEdge_Result abi_wrap_func(void *This, void *Data,
                                     const WasmEdge_CallingFrameContext *Frame,
                                     const WasmEdge_Value *Params,
                                     const uint32_t ParamLen,
                                     WasmEdge_Value *Returns,
                                     const uint32_t ReturnLen) {
  (void)This;
  (void)Data;
  (void)Frame;
  (void)Params;
  (void)ParamLen;
  (void)Returns;
  (void)ReturnLen;
  return WasmEdge_Result_Terminate;
}

/* Referenced so the checks above are not the only use of the types. */
WasmEdge_HostFunc_t abi_layout_host_func = abi_host_func;
WasmEdge_WrapFunc_t abi_layout_wrap_func = abi_wrap_func;
