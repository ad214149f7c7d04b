/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wasmedge/int128.h -- Wedge's WasmEdge-compatible C API: 128-bit integers.
 *
 * `WasmEdge_Value` carries its payload in a `uint128_t`, and v128 values cross
 * the API as `int128_t`. On the 64-bit targets where the compiler has a native
 * 128-bit integer these are that type (16-byte aligned, which is what makes
 * `WasmEdge_Value` 32 bytes with 16-byte alignment); elsewhere they are a pair
 * of 64-bit halves, low half first.
 */

#ifndef WASMEDGE_C_API_INT128_H
#define WASMEDGE_C_API_INT128_H

#include <stdint.h>

#if defined(__x86_64__) || defined(__aarch64__) ||                             \
    (defined(__riscv) && __riscv_xlen == 64) || defined(__s390x__)
/* `__extension__` keeps -pedantic quiet about the GNU 128-bit type. */
__extension__ typedef unsigned __int128 uint128_t;
__extension__ typedef __int128 int128_t;
#else
typedef struct uint128_t {
  uint64_t Low;
  uint64_t High;
} uint128_t;

typedef struct int128_t {
  uint64_t Low;
  int64_t High;
} int128_t;
#endif

#endif /* WASMEDGE_C_API_INT128_H */
