/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wasmedge/wasmedge_execution.h -- Wedge's WasmEdge-compatible C API: the
 * step-by-step pipeline (loader, validator, executor), the store, the
 * calling frame host functions receive, and asynchronous results.
 *
 * Functions returning WasmEdge_Result report a NULL context as
 * WasmEdge_ErrCode_WrongVMWorkflow.
 */

#ifndef WASMEDGE_C_API_EXECUTION_H
#define WASMEDGE_C_API_EXECUTION_H

#include "wasmedge/wasmedge_basic.h"
#include "wasmedge/wasmedge_value.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Loader ------------------------------------------------------------- */

/* A loader (binary decoder). `ConfCxt` may be NULL for the defaults; it is
 * read now and not kept. Free with WasmEdge_LoaderDelete. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_LoaderContext *
WasmEdge_LoaderCreate(const WasmEdge_ConfigureContext *ConfCxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* Decode the file at `Path`. On success `*Module` receives a new module the
 * caller frees with WasmEdge_ASTModuleDelete. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_LoaderParseFromFile(WasmEdge_LoaderContext *Cxt,
                             WasmEdge_ASTModuleContext **Module,
                             const char *Path) WASMEDGE_CAPI_NOEXCEPT;

/* Decode a module from memory; as WasmEdge_LoaderParseFromFile. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_LoaderParseFromBytes(WasmEdge_LoaderContext *Cxt,
                              WasmEdge_ASTModuleContext **Module,
                              const WasmEdge_Bytes Bytes)
    WASMEDGE_CAPI_NOEXCEPT;

/* Encode a module back into the binary format. On success `*Buf` receives
 * new bytes the caller frees with WasmEdge_BytesDelete. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_LoaderSerializeASTModule(WasmEdge_LoaderContext *Cxt,
                                  const WasmEdge_ASTModuleContext *ASTCxt,
                                  WasmEdge_Bytes *Buf) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern void
WasmEdge_LoaderDelete(WasmEdge_LoaderContext *Cxt) WASMEDGE_CAPI_NOEXCEPT;

/* ---- Validator ---------------------------------------------------------- */

/* A validator. `ConfCxt` may be NULL for the defaults. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_ValidatorContext *
WasmEdge_ValidatorCreate(const WasmEdge_ConfigureContext *ConfCxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* Validate a module; a module must pass before it can be instantiated. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_ValidatorValidate(WasmEdge_ValidatorContext *Cxt,
                           const WasmEdge_ASTModuleContext *ASTCxt)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern void
WasmEdge_ValidatorDelete(WasmEdge_ValidatorContext *Cxt) WASMEDGE_CAPI_NOEXCEPT;

/* ---- Executor ----------------------------------------------------------- */

/* An executor. `ConfCxt` may be NULL for the defaults. `StatCxt`, if not
 * NULL, receives the statistics the configuration switches on; it is
 * borrowed and must outlive the executor. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_ExecutorContext *
WasmEdge_ExecutorCreate(const WasmEdge_ConfigureContext *ConfCxt,
                        WasmEdge_StatisticsContext *StatCxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* Instantiate a validated module, resolving its imports in `StoreCxt`,
 * without registering it. On success `*ModuleCxt` receives an anonymous
 * module instance the caller frees with WasmEdge_ModuleInstanceDelete. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_ExecutorInstantiate(WasmEdge_ExecutorContext *Cxt,
                             WasmEdge_ModuleInstanceContext **ModuleCxt,
                             WasmEdge_StoreContext *StoreCxt,
                             const WasmEdge_ASTModuleContext *ASTCxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* Instantiate a validated module and register it in `StoreCxt` under
 * `ModuleName`, so that later modules can import from it. The caller owns
 * the instance in `*ModuleCxt`; deleting it unregisters it. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_ExecutorRegister(WasmEdge_ExecutorContext *Cxt,
                          WasmEdge_ModuleInstanceContext **ModuleCxt,
                          WasmEdge_StoreContext *StoreCxt,
                          const WasmEdge_ASTModuleContext *ASTCxt,
                          WasmEdge_String ModuleName) WASMEDGE_CAPI_NOEXCEPT;

/* Register an existing module instance (typically a host module) in
 * `StoreCxt` under its own name. The instance stays owned by the caller and
 * must outlive its importers. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_ExecutorRegisterImport(WasmEdge_ExecutorContext *Cxt,
                                WasmEdge_StoreContext *StoreCxt,
                                const WasmEdge_ModuleInstanceContext *ImportCxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* As WasmEdge_ExecutorRegisterImport, under the name `ModuleName`. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_ExecutorRegisterImportWithAlias(
    WasmEdge_ExecutorContext *Cxt, WasmEdge_StoreContext *StoreCxt,
    const WasmEdge_ModuleInstanceContext *ImportCxt,
    const WasmEdge_String ModuleName) WASMEDGE_CAPI_NOEXCEPT;

/* Call a function instance with `Params[0..ParamLen)`; at most `ReturnLen`
 * results are written to `Returns`. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_ExecutorInvoke(WasmEdge_ExecutorContext *Cxt,
                        const WasmEdge_FunctionInstanceContext *FuncCxt,
                        const WasmEdge_Value *Params, const uint32_t ParamLen,
                        WasmEdge_Value *Returns,
                        const uint32_t ReturnLen) WASMEDGE_CAPI_NOEXCEPT;

/* Start the same call on another thread. The parameters are copied. Free
 * the handle with WasmEdge_AsyncDelete. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Async *
WasmEdge_ExecutorAsyncInvoke(WasmEdge_ExecutorContext *Cxt,
                             const WasmEdge_FunctionInstanceContext *FuncCxt,
                             const WasmEdge_Value *Params,
                             const uint32_t ParamLen) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern void
WasmEdge_ExecutorDelete(WasmEdge_ExecutorContext *Cxt) WASMEDGE_CAPI_NOEXCEPT;

/* ---- Store -------------------------------------------------------------- */

/* An empty store: the name table imports are resolved against. It does not
 * own the module instances registered in it. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_StoreContext *
WasmEdge_StoreCreate(void) WASMEDGE_CAPI_NOEXCEPT;

/* The module registered under `Name`, or NULL. Borrowed. */
WASMEDGE_CAPI_EXPORT extern const WasmEdge_ModuleInstanceContext *
WasmEdge_StoreFindModule(const WasmEdge_StoreContext *Cxt,
                         const WasmEdge_String Name) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_StoreListModuleLength(const WasmEdge_StoreContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* The registered names (borrowed; do not delete). */
WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_StoreListModule(const WasmEdge_StoreContext *Cxt,
                         WasmEdge_String *Names,
                         const uint32_t Len) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern void
WasmEdge_StoreDelete(WasmEdge_StoreContext *Cxt) WASMEDGE_CAPI_NOEXCEPT;

/* ---- Calling frame ------------------------------------------------------ */

/* An executor a host function may use to call back into WebAssembly. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_ExecutorContext *
WasmEdge_CallingFrameGetExecutor(const WasmEdge_CallingFrameContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* The module of the calling WebAssembly function, or the host function's
 * own module when there is no WebAssembly caller. */
WASMEDGE_CAPI_EXPORT extern const WasmEdge_ModuleInstanceContext *
WasmEdge_CallingFrameGetModuleInstance(const WasmEdge_CallingFrameContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* Memory `Idx` in the caller's index space (imports included), or NULL. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_MemoryInstanceContext *
WasmEdge_CallingFrameGetMemoryInstance(const WasmEdge_CallingFrameContext *Cxt,
                                       const uint32_t Idx)
    WASMEDGE_CAPI_NOEXCEPT;

/* ---- Async -------------------------------------------------------------- */

/* Block until the execution ends. */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_AsyncWait(const WasmEdge_Async *Cxt) WASMEDGE_CAPI_NOEXCEPT;

/* Block at most `Milliseconds`; true if the execution has ended. */
WASMEDGE_CAPI_EXPORT extern bool
WasmEdge_AsyncWaitFor(const WasmEdge_Async *Cxt,
                      uint64_t Milliseconds) WASMEDGE_CAPI_NOEXCEPT;

/* Ask the execution to stop; its result becomes Interrupted. */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_AsyncCancel(WasmEdge_Async *Cxt) WASMEDGE_CAPI_NOEXCEPT;

/* Wait for the end, then return the number of results; 0 if the
 * execution failed or was cancelled. */
WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_AsyncGetReturnsLength(const WasmEdge_Async *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* Wait for the end, then write at most `ReturnLen` results. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_AsyncGet(const WasmEdge_Async *Cxt, WasmEdge_Value *Returns,
                  const uint32_t ReturnLen) WASMEDGE_CAPI_NOEXCEPT;

/* Free the handle. */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_AsyncDelete(WasmEdge_Async *Cxt) WASMEDGE_CAPI_NOEXCEPT;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WASMEDGE_C_API_EXECUTION_H */
