/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wasmedge/wasmedge_compiler.h -- Wedge's WasmEdge-compatible C API:
 * ahead-of-time compilation.
 *
 * A compiler compiles a module with Cranelift for this machine and writes it
 * in the format the configure context's output format selects:
 * WasmEdge_CompilerOutputFormat_Wasm (the default) writes a universal wasm,
 * the module followed by a custom section with Wedge's native code;
 * WasmEdge_CompilerOutputFormat_Native writes a shared library (linked by
 * the system's C compiler driver, `$CC` or `cc`). The optimization level and
 * the generic-binary setting of the configure context apply, and its
 * statistics settings are compiled in. A VM or loader whose configure
 * context has the run mode WasmEdge_RunMode_AOT (or JIT) runs the native
 * code when it suits the CPU and configuration, and interprets the module
 * otherwise. The files are Wedge's own: WasmEdge cannot run their native
 * code, nor Wedge that of WasmEdge's.
 */

#ifndef WASMEDGE_C_API_COMPILER_H
#define WASMEDGE_C_API_COMPILER_H

#include "wasmedge/wasmedge_basic.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Create a compiler with a copy of ConfCxt's settings (NULL: defaults).
 * Free it with WasmEdge_CompilerDelete. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_CompilerContext *
WasmEdge_CompilerCreate(const WasmEdge_ConfigureContext *ConfCxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* Validate and compile the module at InPath into OutPath. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_CompilerCompile(WasmEdge_CompilerContext *Cxt, const char *InPath,
                         const char *OutPath) WASMEDGE_CAPI_NOEXCEPT;

/* Validate and compile the module in Bytes into OutPath. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_CompilerCompileFromBytes(WasmEdge_CompilerContext *Cxt,
                                  const WasmEdge_Bytes Bytes,
                                  const char *OutPath) WASMEDGE_CAPI_NOEXCEPT;

/* WasmEdge_LoaderParseFromBytes over `BufLen` bytes at `Buf` (declared here,
 * as in WasmEdge 0.17.1; its replacement is in wasmedge_execution.h). */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result WasmEdge_LoaderParseFromBuffer(
    WasmEdge_LoaderContext *Cxt, WasmEdge_ASTModuleContext **Module,
    const uint8_t *Buf, const uint32_t BufLen) WASMEDGE_CAPI_NOEXCEPT;

/* Free a compiler. NULL is ignored. */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_CompilerDelete(WasmEdge_CompilerContext *Cxt) WASMEDGE_CAPI_NOEXCEPT;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WASMEDGE_C_API_COMPILER_H */
