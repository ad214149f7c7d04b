/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wasmedge/wasmedge_instance.h -- Wedge's WasmEdge-compatible C API: runtime
 * instances (modules, functions, tables, memories, tags, globals) and the
 * built-in WASI module.
 *
 * A host module is built by creating a module instance, creating function,
 * table, memory and global instances, and handing them to it with the
 * `WasmEdge_ModuleInstanceAdd...` functions, which take ownership. An
 * instance that was never added is freed by its own `...Delete`.
 */

#ifndef WASMEDGE_C_API_INSTANCE_H
#define WASMEDGE_C_API_INSTANCE_H

#include "wasmedge/wasmedge_ast.h"
#include "wasmedge/wasmedge_basic.h"
#include "wasmedge/wasmedge_value.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Module instances --------------------------------------------------- */

/* An empty host module that will be registered under `ModuleName` (copied).
 * Free with WasmEdge_ModuleInstanceDelete. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_ModuleInstanceContext *
WasmEdge_ModuleInstanceCreate(const WasmEdge_String ModuleName)
    WASMEDGE_CAPI_NOEXCEPT;

/* As WasmEdge_ModuleInstanceCreate, carrying `HostData`; `Finalizer` (may
 * be NULL) is called with it when the module is destroyed. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_ModuleInstanceContext *
WasmEdge_ModuleInstanceCreateWithData(const WasmEdge_String ModuleName,
                                      void *HostData, void (*Finalizer)(void *))
    WASMEDGE_CAPI_NOEXCEPT;

/*
 * The built-in WASI (preview 1) module, set up with program arguments
 * (`Args[0]` is conventionally the program name), environment entries
 * "NAME=VALUE" and preopened directories "GUEST:HOST" (or "PATH" for the
 * same path on both sides). Each array may be NULL when its length is 0.
 */
WASMEDGE_CAPI_EXPORT extern WasmEdge_ModuleInstanceContext *
WasmEdge_ModuleInstanceCreateWASI(const char *const *Args,
                                  const uint32_t ArgLen,
                                  const char *const *Envs,
                                  const uint32_t EnvLen,
                                  const char *const *Preopens,
                                  const uint32_t PreopenLen)
    WASMEDGE_CAPI_NOEXCEPT;

/* As WasmEdge_ModuleInstanceCreateWASI, with the host descriptors that back
 * the guest's stdin, stdout and stderr. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_ModuleInstanceContext *
WasmEdge_ModuleInstanceCreateWASIWithFds(
    const char *const *Args, const uint32_t ArgLen, const char *const *Envs,
    const uint32_t EnvLen, const char *const *Preopens,
    const uint32_t PreopenLen, const int32_t StdInFd, const int32_t StdOutFd,
    const int32_t StdErrFd) WASMEDGE_CAPI_NOEXCEPT;

/* Re-initialise an existing WASI module (e.g. the one a VM registered)
 * with new arguments, environment and preopens. */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_ModuleInstanceInitWASI(WasmEdge_ModuleInstanceContext *Cxt,
                                const char *const *Args, const uint32_t ArgLen,
                                const char *const *Envs, const uint32_t EnvLen,
                                const char *const *Preopens,
                                const uint32_t PreopenLen)
    WASMEDGE_CAPI_NOEXCEPT;

/* As WasmEdge_ModuleInstanceInitWASI, with stdio descriptors. */
WASMEDGE_CAPI_EXPORT extern void WasmEdge_ModuleInstanceInitWASIWithFds(
    WasmEdge_ModuleInstanceContext *Cxt, const char *const *Args,
    const uint32_t ArgLen, const char *const *Envs, const uint32_t EnvLen,
    const char *const *Preopens, const uint32_t PreopenLen,
    const int32_t StdInFd, const int32_t StdOutFd,
    const int32_t StdErrFd) WASMEDGE_CAPI_NOEXCEPT;

/* The guest's exit status after its `_start` ran (the code given to
 * `proc_exit`, 0 if it returned); 1 (EXIT_FAILURE) if `Cxt` is NULL or not
 * a WASI module. */
WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_ModuleInstanceWASIGetExitCode(const WasmEdge_ModuleInstanceContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* Look up the host descriptor behind guest descriptor `Fd` and store it in
 * `*NativeHandler`. Returns 0 on success, 1 if `Cxt` is NULL, 2 if `Fd` is
 * not open. */
WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_ModuleInstanceWASIGetNativeHandler(
    const WasmEdge_ModuleInstanceContext *Cxt, int32_t Fd,
    uint64_t *NativeHandler) WASMEDGE_CAPI_NOEXCEPT;

/* Configure the `wasmedge_process` plug-in module (if loaded): the commands
 * it may run, or any command when `AllowAll` is true. */
WASMEDGE_CAPI_EXPORT extern void WasmEdge_ModuleInstanceInitWasmEdgeProcess(
    const char *const *AllowedCmds, const uint32_t CmdsLen,
    const bool AllowAll) WASMEDGE_CAPI_NOEXCEPT;

/* The module's name (borrowed); {0, NULL} on failure. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_String
WasmEdge_ModuleInstanceGetModuleName(const WasmEdge_ModuleInstanceContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* The host data given to WasmEdge_ModuleInstanceCreateWithData. */
WASMEDGE_CAPI_EXPORT extern void *
WasmEdge_ModuleInstanceGetHostData(const WasmEdge_ModuleInstanceContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* Find an export by name; NULL if absent. Borrowed from the module. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_FunctionInstanceContext *
WasmEdge_ModuleInstanceFindFunction(const WasmEdge_ModuleInstanceContext *Cxt,
                                    const WasmEdge_String Name)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern WasmEdge_TableInstanceContext *
WasmEdge_ModuleInstanceFindTable(const WasmEdge_ModuleInstanceContext *Cxt,
                                 const WasmEdge_String Name)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern WasmEdge_MemoryInstanceContext *
WasmEdge_ModuleInstanceFindMemory(const WasmEdge_ModuleInstanceContext *Cxt,
                                  const WasmEdge_String Name)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern WasmEdge_TagInstanceContext *
WasmEdge_ModuleInstanceFindTag(const WasmEdge_ModuleInstanceContext *Cxt,
                               const WasmEdge_String Name)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern WasmEdge_GlobalInstanceContext *
WasmEdge_ModuleInstanceFindGlobal(const WasmEdge_ModuleInstanceContext *Cxt,
                                  const WasmEdge_String Name)
    WASMEDGE_CAPI_NOEXCEPT;

/* Export names of each kind, in lexicographic order (borrowed). */
WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_ModuleInstanceListFunctionLength(
    const WasmEdge_ModuleInstanceContext *Cxt) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_ModuleInstanceListFunction(const WasmEdge_ModuleInstanceContext *Cxt,
                                    WasmEdge_String *Names,
                                    const uint32_t Len) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_ModuleInstanceListTableLength(const WasmEdge_ModuleInstanceContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_ModuleInstanceListTable(const WasmEdge_ModuleInstanceContext *Cxt,
                                 WasmEdge_String *Names,
                                 const uint32_t Len) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_ModuleInstanceListMemoryLength(
    const WasmEdge_ModuleInstanceContext *Cxt) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_ModuleInstanceListMemory(const WasmEdge_ModuleInstanceContext *Cxt,
                                  WasmEdge_String *Names,
                                  const uint32_t Len) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_ModuleInstanceListTagLength(const WasmEdge_ModuleInstanceContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_ModuleInstanceListTag(const WasmEdge_ModuleInstanceContext *Cxt,
                               WasmEdge_String *Names,
                               const uint32_t Len) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_ModuleInstanceListGlobalLength(
    const WasmEdge_ModuleInstanceContext *Cxt) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_ModuleInstanceListGlobal(const WasmEdge_ModuleInstanceContext *Cxt,
                                  WasmEdge_String *Names,
                                  const uint32_t Len) WASMEDGE_CAPI_NOEXCEPT;

/* Export an instance from a host module under `Name` (copied). The module
 * takes ownership: do not use or delete the instance afterwards. (These
 * return void in WasmEdge 0.17.1; later releases return a result.) */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_ModuleInstanceAddFunction(WasmEdge_ModuleInstanceContext *Cxt,
                                   const WasmEdge_String Name,
                                   WasmEdge_FunctionInstanceContext *FuncCxt)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern void
WasmEdge_ModuleInstanceAddTable(WasmEdge_ModuleInstanceContext *Cxt,
                                const WasmEdge_String Name,
                                WasmEdge_TableInstanceContext *TableCxt)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern void
WasmEdge_ModuleInstanceAddMemory(WasmEdge_ModuleInstanceContext *Cxt,
                                 const WasmEdge_String Name,
                                 WasmEdge_MemoryInstanceContext *MemoryCxt)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern void
WasmEdge_ModuleInstanceAddGlobal(WasmEdge_ModuleInstanceContext *Cxt,
                                 const WasmEdge_String Name,
                                 WasmEdge_GlobalInstanceContext *GlobalCxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* Free a module instance; it is unregistered from any store first. */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_ModuleInstanceDelete(WasmEdge_ModuleInstanceContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* ---- Function instances ------------------------------------------------- */

/*
 * A host function. `Data` is the pointer given at creation; `CallFrameCxt`
 * describes the caller (see wasmedge_execution.h). `Params` holds one value
 * per parameter of the function type, and `Returns` one zeroed slot per
 * result, to be filled in. Return WasmEdge_Result_Success to continue,
 * WasmEdge_Result_Terminate to end the whole execution successfully, or any
 * other result to fail with it.
 */
typedef WasmEdge_Result (*WasmEdge_HostFunc_t)(
    void *Data, const WasmEdge_CallingFrameContext *CallFrameCxt,
    const WasmEdge_Value *Params, WasmEdge_Value *Returns);

/* A host function of type `Type` (copied) calling `HostFunc` with `Data`;
 * each call first charges `Cost` gas. NULL if `Type` or `HostFunc` is
 * NULL. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_FunctionInstanceContext *
WasmEdge_FunctionInstanceCreate(const WasmEdge_FunctionTypeContext *Type,
                                WasmEdge_HostFunc_t HostFunc, void *Data,
                                const uint64_t Cost) WASMEDGE_CAPI_NOEXCEPT;

/*
 * A host function reached through a language binding's trampoline: `This`
 * is the `Binding` pointer given at creation (typically the foreign
 * function), `Data` the user data, and the arrays come with their lengths.
 */
typedef WasmEdge_Result (*WasmEdge_WrapFunc_t)(
    void *This, void *Data, const WasmEdge_CallingFrameContext *CallFrameCxt,
    const WasmEdge_Value *Params, const uint32_t ParamLen,
    WasmEdge_Value *Returns, const uint32_t ReturnLen);

/* A host function of type `Type` (copied) calling `WrapFunc` with
 * `Binding` and `Data`; each call first charges `Cost` gas. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_FunctionInstanceContext *
WasmEdge_FunctionInstanceCreateBinding(const WasmEdge_FunctionTypeContext *Type,
                                       WasmEdge_WrapFunc_t WrapFunc,
                                       void *Binding, void *Data,
                                       const uint64_t Cost)
    WASMEDGE_CAPI_NOEXCEPT;

/* The `Data` pointer a host function was created with. */
WASMEDGE_CAPI_EXPORT extern const void *
WasmEdge_FunctionInstanceGetData(const WasmEdge_FunctionInstanceContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* The function's type (borrowed). */
WASMEDGE_CAPI_EXPORT extern const WasmEdge_FunctionTypeContext *
WasmEdge_FunctionInstanceGetFunctionType(
    const WasmEdge_FunctionInstanceContext *Cxt) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern void
WasmEdge_FunctionInstanceDelete(WasmEdge_FunctionInstanceContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* ---- Table instances ---------------------------------------------------- */

/* A table of type `TabType`, filled with null references. Fails for a
 * non-nullable element type; use WasmEdge_TableInstanceCreateWithInit. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_TableInstanceContext *
WasmEdge_TableInstanceCreate(const WasmEdge_TableTypeContext *TabType)
    WASMEDGE_CAPI_NOEXCEPT;

/* A table of type `TabType` whose elements start as, and grow with,
 * `Value`, which must match the element type. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_TableInstanceContext *
WasmEdge_TableInstanceCreateWithInit(const WasmEdge_TableTypeContext *TabType,
                                     const WasmEdge_Value Value)
    WASMEDGE_CAPI_NOEXCEPT;

/* The table's type (borrowed). */
WASMEDGE_CAPI_EXPORT extern const WasmEdge_TableTypeContext *
WasmEdge_TableInstanceGetTableType(const WasmEdge_TableInstanceContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* Read element `Offset` into `*Data`. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_TableInstanceGetData(const WasmEdge_TableInstanceContext *Cxt,
                              WasmEdge_Value *Data,
                              const uint64_t Offset) WASMEDGE_CAPI_NOEXCEPT;

/* Write `Data` to element `Offset`; its type must match the table's. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_TableInstanceSetData(WasmEdge_TableInstanceContext *Cxt,
                              WasmEdge_Value Data,
                              const uint64_t Offset) WASMEDGE_CAPI_NOEXCEPT;

/* Current number of elements. */
WASMEDGE_CAPI_EXPORT extern uint64_t
WasmEdge_TableInstanceGetSize(const WasmEdge_TableInstanceContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* Add `Size` elements, within the table's maximum. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_TableInstanceGrow(WasmEdge_TableInstanceContext *Cxt,
                           const uint64_t Size) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern void
WasmEdge_TableInstanceDelete(WasmEdge_TableInstanceContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* ---- Memory instances --------------------------------------------------- */

/* A zero-filled memory of type `MemType`. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_MemoryInstanceContext *
WasmEdge_MemoryInstanceCreate(const WasmEdge_MemoryTypeContext *MemType)
    WASMEDGE_CAPI_NOEXCEPT;

/* The memory's type (borrowed). */
WASMEDGE_CAPI_EXPORT extern const WasmEdge_MemoryTypeContext *
WasmEdge_MemoryInstanceGetMemoryType(const WasmEdge_MemoryInstanceContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* Copy `Length` bytes at `Offset` out into `Data`; MemoryOutOfBounds unless
 * the whole range is inside the memory. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_MemoryInstanceGetData(const WasmEdge_MemoryInstanceContext *Cxt,
                               uint8_t *Data, const uint64_t Offset,
                               const uint64_t Length) WASMEDGE_CAPI_NOEXCEPT;

/* Copy `Length` bytes from `Data` into the memory at `Offset`; same bounds
 * rule. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_MemoryInstanceSetData(WasmEdge_MemoryInstanceContext *Cxt,
                               const uint8_t *Data, const uint64_t Offset,
                               const uint64_t Length) WASMEDGE_CAPI_NOEXCEPT;

/* A pointer to `Length` bytes at `Offset`, or NULL unless the whole range is
 * inside the memory. Valid until the memory grows or is destroyed. */
WASMEDGE_CAPI_EXPORT extern uint8_t *
WasmEdge_MemoryInstanceGetPointer(WasmEdge_MemoryInstanceContext *Cxt,
                                  const uint64_t Offset,
                                  const uint64_t Length) WASMEDGE_CAPI_NOEXCEPT;

/* As WasmEdge_MemoryInstanceGetPointer, read-only. */
WASMEDGE_CAPI_EXPORT extern const uint8_t *
WasmEdge_MemoryInstanceGetPointerConst(
    const WasmEdge_MemoryInstanceContext *Cxt, const uint64_t Offset,
    const uint64_t Length) WASMEDGE_CAPI_NOEXCEPT;

/* Current size in 64 KiB pages. */
WASMEDGE_CAPI_EXPORT extern uint64_t
WasmEdge_MemoryInstanceGetPageSize(const WasmEdge_MemoryInstanceContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* Add `Page` pages, within the memory's maximum and the configured cap. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_MemoryInstanceGrowPage(WasmEdge_MemoryInstanceContext *Cxt,
                                const uint64_t Page) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern void
WasmEdge_MemoryInstanceDelete(WasmEdge_MemoryInstanceContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* ---- Tag instances ------------------------------------------------------ */

/* The tag's type (borrowed). */
WASMEDGE_CAPI_EXPORT extern const WasmEdge_TagTypeContext *
WasmEdge_TagInstanceGetTagType(const WasmEdge_TagInstanceContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* ---- Global instances --------------------------------------------------- */

/* A global of type `GlobType` holding `Value`, whose type must match. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_GlobalInstanceContext *
WasmEdge_GlobalInstanceCreate(const WasmEdge_GlobalTypeContext *GlobType,
                              const WasmEdge_Value Value) WASMEDGE_CAPI_NOEXCEPT;

/* The global's type (borrowed). */
WASMEDGE_CAPI_EXPORT extern const WasmEdge_GlobalTypeContext *
WasmEdge_GlobalInstanceGetGlobalType(const WasmEdge_GlobalInstanceContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern WasmEdge_Value
WasmEdge_GlobalInstanceGetValue(const WasmEdge_GlobalInstanceContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* Fails for a constant global or a value of the wrong type. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_GlobalInstanceSetValue(WasmEdge_GlobalInstanceContext *Cxt,
                                const WasmEdge_Value Value)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern void
WasmEdge_GlobalInstanceDelete(WasmEdge_GlobalInstanceContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WASMEDGE_C_API_INSTANCE_H */
