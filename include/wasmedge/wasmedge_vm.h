/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wasmedge/wasmedge_vm.h -- Wedge's WasmEdge-compatible C API: the VM, which
 * bundles a configuration, a store, a loader, a validator and an executor.
 *
 * A VM runs one "active" anonymous module, taken through load, validate and
 * instantiate (or all at once with `WasmEdge_VMRunWasm...`), and any number
 * of named modules registered in its store. Calling the steps out of order
 * gives WasmEdge_ErrCode_WrongVMWorkflow. Invocations write at most
 * `ReturnLen` results; a missing function gives FuncNotFound and wrong
 * arguments give FuncSigMismatch.
 */

#ifndef WASMEDGE_C_API_VM_H
#define WASMEDGE_C_API_VM_H

#include "wasmedge/wasmedge_basic.h"
#include "wasmedge/wasmedge_value.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Creation and registration ------------------------------------------ */

/* A VM. `ConfCxt` may be NULL for the defaults. `StoreCxt` may be NULL for
 * a store the VM owns; a given store is borrowed and must outlive the VM.
 * The VM registers the configured built-in host modules (e.g. WASI) and the
 * modules of the plug-ins loaded so far, so load plug-ins first. Free with
 * WasmEdge_VMDelete. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_VMContext *
WasmEdge_VMCreate(const WasmEdge_ConfigureContext *ConfCxt,
                  WasmEdge_StoreContext *StoreCxt) WASMEDGE_CAPI_NOEXCEPT;

/* Load, validate and instantiate a module and register it under
 * `ModuleName`, from a file, from bytes or from a loaded module. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_VMRegisterModuleFromFile(WasmEdge_VMContext *Cxt,
                                  const WasmEdge_String ModuleName,
                                  const char *Path) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_VMRegisterModuleFromBytes(WasmEdge_VMContext *Cxt,
                                   const WasmEdge_String ModuleName,
                                   const WasmEdge_Bytes Bytes)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_VMRegisterModuleFromASTModule(WasmEdge_VMContext *Cxt,
                                       const WasmEdge_String ModuleName,
                                       const WasmEdge_ASTModuleContext *ASTCxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* Register an existing module instance (typically a host module) under its
 * own name. It stays owned by the caller and must outlive the VM's use of
 * it. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_VMRegisterModuleFromImport(
    WasmEdge_VMContext *Cxt, const WasmEdge_ModuleInstanceContext *ImportCxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* As WasmEdge_VMRegisterModuleFromImport, under the name `ModuleName`. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_VMRegisterModuleFromImportWithAlias(
    WasmEdge_VMContext *Cxt, const WasmEdge_String ModuleName,
    const WasmEdge_ModuleInstanceContext *ImportCxt) WASMEDGE_CAPI_NOEXCEPT;

/* ---- One-shot runs ------------------------------------------------------ */

/* Load, validate and instantiate a module as the active module, then call
 * its export `FuncName`. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_VMRunWasmFromFile(WasmEdge_VMContext *Cxt, const char *Path,
                           const WasmEdge_String FuncName,
                           const WasmEdge_Value *Params,
                           const uint32_t ParamLen, WasmEdge_Value *Returns,
                           const uint32_t ReturnLen) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_VMRunWasmFromBytes(WasmEdge_VMContext *Cxt, const WasmEdge_Bytes Bytes,
                            const WasmEdge_String FuncName,
                            const WasmEdge_Value *Params,
                            const uint32_t ParamLen, WasmEdge_Value *Returns,
                            const uint32_t ReturnLen) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern WasmEdge_Result WasmEdge_VMRunWasmFromASTModule(
    WasmEdge_VMContext *Cxt, const WasmEdge_ASTModuleContext *ASTCxt,
    const WasmEdge_String FuncName, const WasmEdge_Value *Params,
    const uint32_t ParamLen, WasmEdge_Value *Returns,
    const uint32_t ReturnLen) WASMEDGE_CAPI_NOEXCEPT;

/* The same, with the call running on another thread. Free the handle with
 * WasmEdge_AsyncDelete. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Async *
WasmEdge_VMAsyncRunWasmFromFile(WasmEdge_VMContext *Cxt, const char *Path,
                                const WasmEdge_String FuncName,
                                const WasmEdge_Value *Params,
                                const uint32_t ParamLen) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern WasmEdge_Async *
WasmEdge_VMAsyncRunWasmFromBytes(WasmEdge_VMContext *Cxt,
                                 const WasmEdge_Bytes Bytes,
                                 const WasmEdge_String FuncName,
                                 const WasmEdge_Value *Params,
                                 const uint32_t ParamLen)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern WasmEdge_Async *
WasmEdge_VMAsyncRunWasmFromASTModule(WasmEdge_VMContext *Cxt,
                                     const WasmEdge_ASTModuleContext *ASTCxt,
                                     const WasmEdge_String FuncName,
                                     const WasmEdge_Value *Params,
                                     const uint32_t ParamLen)
    WASMEDGE_CAPI_NOEXCEPT;

/* ---- Step by step ------------------------------------------------------- */

/* Step 1: load the module that will become the active one. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_VMLoadWasmFromFile(WasmEdge_VMContext *Cxt,
                            const char *Path) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_VMLoadWasmFromBytes(WasmEdge_VMContext *Cxt,
                             const WasmEdge_Bytes Bytes) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_VMLoadWasmFromASTModule(WasmEdge_VMContext *Cxt,
                                 const WasmEdge_ASTModuleContext *ASTCxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* Step 2: validate the loaded module. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_VMValidate(WasmEdge_VMContext *Cxt) WASMEDGE_CAPI_NOEXCEPT;

/* Step 3: instantiate it, replacing the previous active module. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_VMInstantiate(WasmEdge_VMContext *Cxt) WASMEDGE_CAPI_NOEXCEPT;

/* Step 4: call an export of the active module (any number of times). */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_VMExecute(WasmEdge_VMContext *Cxt, const WasmEdge_String FuncName,
                   const WasmEdge_Value *Params, const uint32_t ParamLen,
                   WasmEdge_Value *Returns,
                   const uint32_t ReturnLen) WASMEDGE_CAPI_NOEXCEPT;

/* Call export `FuncName` of the registered module `ModuleName`. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result WasmEdge_VMExecuteRegistered(
    WasmEdge_VMContext *Cxt, const WasmEdge_String ModuleName,
    const WasmEdge_String FuncName, const WasmEdge_Value *Params,
    const uint32_t ParamLen, WasmEdge_Value *Returns,
    const uint32_t ReturnLen) WASMEDGE_CAPI_NOEXCEPT;

/* The two calls above, running on another thread. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Async *
WasmEdge_VMAsyncExecute(WasmEdge_VMContext *Cxt, const WasmEdge_String FuncName,
                        const WasmEdge_Value *Params,
                        const uint32_t ParamLen) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern WasmEdge_Async *WasmEdge_VMAsyncExecuteRegistered(
    WasmEdge_VMContext *Cxt, const WasmEdge_String ModuleName,
    const WasmEdge_String FuncName, const WasmEdge_Value *Params,
    const uint32_t ParamLen) WASMEDGE_CAPI_NOEXCEPT;

/* ---- Queries ------------------------------------------------------------ */

/* The type of an export of the active module, or NULL. Borrowed. */
WASMEDGE_CAPI_EXPORT extern const WasmEdge_FunctionTypeContext *
WasmEdge_VMGetFunctionType(const WasmEdge_VMContext *Cxt,
                           const WasmEdge_String FuncName)
    WASMEDGE_CAPI_NOEXCEPT;

/* The type of an export of a registered module, or NULL. Borrowed. */
WASMEDGE_CAPI_EXPORT extern const WasmEdge_FunctionTypeContext *
WasmEdge_VMGetFunctionTypeRegistered(const WasmEdge_VMContext *Cxt,
                                     const WasmEdge_String ModuleName,
                                     const WasmEdge_String FuncName)
    WASMEDGE_CAPI_NOEXCEPT;

/* Drop the active and registered modules and reset the statistics; the
 * built-in host modules and plug-in modules stay. */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_VMCleanup(WasmEdge_VMContext *Cxt) WASMEDGE_CAPI_NOEXCEPT;

/* Number of functions the active module exports. */
WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_VMGetFunctionListLength(const WasmEdge_VMContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* The active module's exported functions: names and types (borrowed).
 * Either output array may be NULL when not wanted. */
WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_VMGetFunctionList(const WasmEdge_VMContext *Cxt,
                           WasmEdge_String *Names,
                           const WasmEdge_FunctionTypeContext **FuncTypes,
                           const uint32_t Len) WASMEDGE_CAPI_NOEXCEPT;

/* Unregister and destroy the registered module `ModuleName` without
 * checking whether other modules still import from it; using such an
 * importer afterwards is undefined behaviour. */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_VMForceDeleteRegisteredModule(const WasmEdge_VMContext *Cxt,
                                       const WasmEdge_String ModuleName)
    WASMEDGE_CAPI_NOEXCEPT;

/* The built-in host module registered for `Reg` (e.g. the WASI module), or
 * NULL. Owned by the VM. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_ModuleInstanceContext *
WasmEdge_VMGetImportModuleContext(const WasmEdge_VMContext *Cxt,
                                  const enum WasmEdge_HostRegistration Reg)
    WASMEDGE_CAPI_NOEXCEPT;

/* The active module instance, or NULL. Owned by the VM. */
WASMEDGE_CAPI_EXPORT extern const WasmEdge_ModuleInstanceContext *
WasmEdge_VMGetActiveModule(const WasmEdge_VMContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* The module registered under `ModuleName`, or NULL. Borrowed. */
WASMEDGE_CAPI_EXPORT extern const WasmEdge_ModuleInstanceContext *
WasmEdge_VMGetRegisteredModule(const WasmEdge_VMContext *Cxt,
                               const WasmEdge_String ModuleName)
    WASMEDGE_CAPI_NOEXCEPT;

/* Names of the registered modules (borrowed). */
WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_VMListRegisteredModuleLength(const WasmEdge_VMContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_VMListRegisteredModule(const WasmEdge_VMContext *Cxt,
                                WasmEdge_String *Names,
                                const uint32_t Len) WASMEDGE_CAPI_NOEXCEPT;

/* The VM's parts, owned by the VM: do not delete them. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_StoreContext *
WasmEdge_VMGetStoreContext(WasmEdge_VMContext *Cxt) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern WasmEdge_LoaderContext *
WasmEdge_VMGetLoaderContext(WasmEdge_VMContext *Cxt) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern WasmEdge_ValidatorContext *
WasmEdge_VMGetValidatorContext(WasmEdge_VMContext *Cxt) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern WasmEdge_ExecutorContext *
WasmEdge_VMGetExecutorContext(WasmEdge_VMContext *Cxt) WASMEDGE_CAPI_NOEXCEPT;

/* The VM's statistics. Set a cost limit on it after WasmEdge_VMCreate. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_StatisticsContext *
WasmEdge_VMGetStatisticsContext(WasmEdge_VMContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern void
WasmEdge_VMDelete(WasmEdge_VMContext *Cxt) WASMEDGE_CAPI_NOEXCEPT;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WASMEDGE_C_API_VM_H */
