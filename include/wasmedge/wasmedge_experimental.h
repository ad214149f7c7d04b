/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wasmedge/wasmedge_experimental.h -- Wedge's WasmEdge-compatible C API: the
 * executor's experimental host-function hooks.
 *
 * A function called, with Data, just before (Pre) or just after (Post)
 * every host function that a call made through this executor runs, WASI's
 * and plug-ins' included. One of each; a new one replaces the old, NULL
 * removes it. WasmEdge's Rust SDK blocks its timeout signal with them.
 */

#ifndef WASMEDGE_C_API_EXPERIMENTAL_H
#define WASMEDGE_C_API_EXPERIMENTAL_H

#include "wasmedge/wasmedge_basic.h"

#ifdef __cplusplus
extern "C" {
#endif

WASMEDGE_CAPI_EXPORT extern void
WasmEdge_ExecutorExperimentalRegisterPreHostFunction(
    WasmEdge_ExecutorContext *Cxt, void *Data,
    void (*Func)(void *)) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern void
WasmEdge_ExecutorExperimentalRegisterPostHostFunction(
    WasmEdge_ExecutorContext *Cxt, void *Data,
    void (*Func)(void *)) WASMEDGE_CAPI_NOEXCEPT;

#ifdef __cplusplus
}
#endif

#endif /* WASMEDGE_C_API_EXPERIMENTAL_H */
