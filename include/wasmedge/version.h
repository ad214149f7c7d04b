/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wasmedge/version.h -- Wedge's WasmEdge-compatible C API: version macros.
 *
 * Wedge implements the C API and the plug-in ABI of WasmEdge 0.17.1, so these
 * macros name that release: code that checks them behaves as it would against
 * WasmEdge 0.17.1.
 */

#ifndef WASMEDGE_C_API_VERSION_H
#define WASMEDGE_C_API_VERSION_H

/* The WasmEdge release whose C API this header set describes. */
#define WASMEDGE_VERSION "0.17.1"
#define WASMEDGE_VERSION_MAJOR 0
#define WASMEDGE_VERSION_MINOR 17
#define WASMEDGE_VERSION_PATCH 1

/*
 * The plug-in API version. A C plug-in puts this in its descriptor's
 * `APIVersion`; the loader accepts a plug-in only when the two are equal.
 */
#define WasmEdge_Plugin_CurrentAPIVersion 5

#endif /* WASMEDGE_C_API_VERSION_H */
