/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wasmedge/wasmedge.h -- Wedge's WasmEdge-compatible C API: the umbrella
 * header.
 *
 * Wedge's libwasmedge.so.0 implements the C API and plug-in ABI of WasmEdge
 * 0.17.1 (plug-in API version 5). These headers are Wedge's own, written to
 * be source- and ABI-compatible with that release: every type, enumerator
 * value, struct layout and function signature matches it, so a C or C++
 * program or C plug-in written for WasmEdge 0.17.1 builds against them
 * unchanged, unless it uses one of the functions listed below.
 *
 * Deliberately NOT declared (WasmEdge 0.17.1 has them; Wedge does not):
 *
 *   From wasmedge_compiler.h (which declares the four compiler functions):
 *     WasmEdge_LoaderParseFromBuffer (superseded by
 *     WasmEdge_LoaderParseFromBytes)
 *
 *   Command-line drivers (wasmedge_tools.h; the `wedge` binary is separate):
 *     WasmEdge_Driver_Compiler, WasmEdge_Driver_Tool,
 *     WasmEdge_Driver_UniTool, WasmEdge_Driver_WasiNNRPCServer,
 *     and on Windows WasmEdge_Driver_ArgvCreate, WasmEdge_Driver_ArgvDelete,
 *     WasmEdge_Driver_SetConsoleOutputCPtoUTF8
 *
 *   Deprecated (wasmedge_deprecated.h; use the `...FromBytes` forms and
 *   WasmEdge_ConfigureSetRunMode):
 *     WasmEdge_CompilerCompileFromBuffer, WasmEdge_VMRegisterModuleFromBuffer,
 *     WasmEdge_VMRunWasmFromBuffer, WasmEdge_VMAsyncRunWasmFromBuffer,
 *     WasmEdge_VMLoadWasmFromBuffer, WasmEdge_ConfigureSetForceInterpreter,
 *     WasmEdge_ConfigureIsForceInterpreter
 *
 *   Experimental (wasmedge_experimental.h):
 *     WasmEdge_ExecutorExperimentalRegisterPreHostFunction,
 *     WasmEdge_ExecutorExperimentalRegisterPostHostFunction
 *
 * Functions added by WasmEdge releases after 0.17.1 (such as
 * WasmEdge_VMDeleteRegisteredModule) are not declared either.
 *
 * scripts/capi-symbols.sh lists every function these headers declare.
 */

#ifndef WASMEDGE_C_API_H
#define WASMEDGE_C_API_H

#include "wasmedge/wasmedge_basic.h"

#include "wasmedge/wasmedge_ast.h"
#include "wasmedge/wasmedge_compiler.h"
#include "wasmedge/wasmedge_configure.h"
#include "wasmedge/wasmedge_driver.h"
#include "wasmedge/wasmedge_execution.h"
#include "wasmedge/wasmedge_instance.h"
#include "wasmedge/wasmedge_plugin.h"
#include "wasmedge/wasmedge_value.h"
#include "wasmedge/wasmedge_vm.h"

#endif /* WASMEDGE_C_API_H */
