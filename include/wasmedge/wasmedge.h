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
 * unchanged. The deprecated functions WasmEdge still exports are in
 * wasmedge_deprecated.h, the command-line tools in wasmedge_tools.h, and the
 * experimental pre/post host-function hooks in wasmedge_experimental.h, as
 * in WasmEdge.
 *
 * Not declared (WasmEdge 0.17.1 has them; Wedge does not):
 *     WasmEdge_Driver_WasiNNRPCServer (the wasi_nn RPC server), and on
 *     Windows WasmEdge_Driver_ArgvCreate, WasmEdge_Driver_ArgvDelete,
 *     WasmEdge_Driver_SetConsoleOutputCPtoUTF8
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
#include "wasmedge/wasmedge_deprecated.h"
#include "wasmedge/wasmedge_execution.h"
#include "wasmedge/wasmedge_experimental.h"
#include "wasmedge/wasmedge_instance.h"
#include "wasmedge/wasmedge_plugin.h"
#include "wasmedge/wasmedge_tools.h"
#include "wasmedge/wasmedge_value.h"
#include "wasmedge/wasmedge_vm.h"

#endif /* WASMEDGE_C_API_H */
