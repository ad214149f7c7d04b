/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wasmedge/wasmedge_deprecated.h -- Wedge's WasmEdge-compatible C API: the
 * older forms WasmEdge 0.17.1 still exports, for programs and SDKs written
 * against earlier releases (the Rust SDK, wasmedge-sys, calls several).
 *
 * Each one forwards to its replacement: the `...FromBuffer` functions to the
 * `...FromBytes` ones with `WasmEdge_BytesWrap(Buf, BufLen)`, and the
 * force-interpreter setting to the run mode. New code should call the
 * replacements.
 */

#ifndef WASMEDGE_C_API_DEPRECATED_H
#define WASMEDGE_C_API_DEPRECATED_H

#include "wasmedge/wasmedge_basic.h"
#include "wasmedge/wasmedge_value.h"

#ifdef __cplusplus
extern "C" {
#endif

/* WasmEdge_CompilerCompileFromBytes over `InBufferLen` bytes at `InBuffer`.
 * A length over UINT32_MAX is refused (WasmEdge_Bytes holds a 32-bit
 * length). */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result WasmEdge_CompilerCompileFromBuffer(
    WasmEdge_CompilerContext *Cxt, const uint8_t *InBuffer,
    const uint64_t InBufferLen, const char *OutPath) WASMEDGE_CAPI_NOEXCEPT;

/* WasmEdge_VMRegisterModuleFromBytes over `BufLen` bytes at `Buf`. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result WasmEdge_VMRegisterModuleFromBuffer(
    WasmEdge_VMContext *Cxt, const WasmEdge_String ModuleName,
    const uint8_t *Buf, const uint32_t BufLen) WASMEDGE_CAPI_NOEXCEPT;

/* WasmEdge_VMRunWasmFromBytes over `BufLen` bytes at `Buf`. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result WasmEdge_VMRunWasmFromBuffer(
    WasmEdge_VMContext *Cxt, const uint8_t *Buf, const uint32_t BufLen,
    const WasmEdge_String FuncName, const WasmEdge_Value *Params,
    const uint32_t ParamLen, WasmEdge_Value *Returns,
    const uint32_t ReturnLen) WASMEDGE_CAPI_NOEXCEPT;

/* WasmEdge_VMAsyncRunWasmFromBytes over `BufLen` bytes at `Buf`. Free the
 * result with WasmEdge_AsyncDelete. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Async *WasmEdge_VMAsyncRunWasmFromBuffer(
    WasmEdge_VMContext *Cxt, const uint8_t *Buf, const uint32_t BufLen,
    const WasmEdge_String FuncName, const WasmEdge_Value *Params,
    const uint32_t ParamLen) WASMEDGE_CAPI_NOEXCEPT;

/* WasmEdge_VMLoadWasmFromBytes over `BufLen` bytes at `Buf`. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_VMLoadWasmFromBuffer(WasmEdge_VMContext *Cxt, const uint8_t *Buf,
                              const uint32_t BufLen) WASMEDGE_CAPI_NOEXCEPT;

/* `true`: WasmEdge_ConfigureSetRunMode(Cxt, WasmEdge_RunMode_Interpreter).
 * `false` changes nothing. */
WASMEDGE_CAPI_EXPORT extern void WasmEdge_ConfigureSetForceInterpreter(
    WasmEdge_ConfigureContext *Cxt,
    const bool IsForceInterpreter) WASMEDGE_CAPI_NOEXCEPT;

/* Whether the run mode is WasmEdge_RunMode_Interpreter (the default); false
 * for NULL. */
WASMEDGE_CAPI_EXPORT extern bool WasmEdge_ConfigureIsForceInterpreter(
    const WasmEdge_ConfigureContext *Cxt) WASMEDGE_CAPI_NOEXCEPT;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WASMEDGE_C_API_DEPRECATED_H */
