/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wasmedge/wasmedge_value.h -- Wedge's WasmEdge-compatible C API: value
 * types and values.
 */

#ifndef WASMEDGE_C_API_VALUE_H
#define WASMEDGE_C_API_VALUE_H

#include "wasmedge/wasmedge_basic.h"

/*
 * A WebAssembly value type, encoded in 8 bytes. Build one with a
 * `WasmEdge_ValTypeGen...` function and inspect it with the
 * `WasmEdge_ValTypeIs...` predicates rather than by hand. For reference:
 *   Data[0]     unused (write 0, ignore on read)
 *   Data[1]     set when an `any` reference was externalized
 *   Data[2]     type code (enum WasmEdge_TypeCode): a number or vector type,
 *               or Ref / RefNull for references
 *   Data[3]     heap type code of a reference (TypeIndex when Data[4..8)
 *               holds a type index)
 *   Data[4..8)  type index, native byte order
 * Two value types are equal when bytes 2 to 7 are.
 */
typedef struct WasmEdge_ValType {
  uint8_t Data[8];
} WasmEdge_ValType;

/*
 * A value with its type: 32 bytes, 16-byte aligned where uint128_t is a
 * native integer. Numbers sit in the low bits of `Value`, floats as their
 * bit patterns; a reference keeps its pointer in the high 64 bits (0 for a
 * null reference). Build values with `WasmEdge_ValueGen...` and read them
 * with `WasmEdge_ValueGet...`.
 */
typedef struct WasmEdge_Value {
  uint128_t Value;
  WasmEdge_ValType Type;
} WasmEdge_Value;

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Value types -------------------------------------------------------- */

/* The number, vector and nullable reference types. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_ValType
WasmEdge_ValTypeGenI32(void) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern WasmEdge_ValType
WasmEdge_ValTypeGenI64(void) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern WasmEdge_ValType
WasmEdge_ValTypeGenF32(void) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern WasmEdge_ValType
WasmEdge_ValTypeGenF64(void) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern WasmEdge_ValType
WasmEdge_ValTypeGenV128(void) WASMEDGE_CAPI_NOEXCEPT;

/* funcref, i.e. (ref null func). */
WASMEDGE_CAPI_EXPORT extern WasmEdge_ValType
WasmEdge_ValTypeGenFuncRef(void) WASMEDGE_CAPI_NOEXCEPT;

/* externref, i.e. (ref null extern). */
WASMEDGE_CAPI_EXPORT extern WasmEdge_ValType
WasmEdge_ValTypeGenExternRef(void) WASMEDGE_CAPI_NOEXCEPT;

/* True when the two types are the same. */
WASMEDGE_CAPI_EXPORT extern bool
WasmEdge_ValTypeIsEqual(const WasmEdge_ValType ValType1,
                        const WasmEdge_ValType ValType2) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern bool
WasmEdge_ValTypeIsI32(const WasmEdge_ValType ValType) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern bool
WasmEdge_ValTypeIsI64(const WasmEdge_ValType ValType) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern bool
WasmEdge_ValTypeIsF32(const WasmEdge_ValType ValType) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern bool
WasmEdge_ValTypeIsF64(const WasmEdge_ValType ValType) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern bool
WasmEdge_ValTypeIsV128(const WasmEdge_ValType ValType) WASMEDGE_CAPI_NOEXCEPT;

/* A reference to a function: heap type func, nofunc or a type index. */
WASMEDGE_CAPI_EXPORT extern bool
WasmEdge_ValTypeIsFuncRef(const WasmEdge_ValType ValType) WASMEDGE_CAPI_NOEXCEPT;

/* A reference to host data: heap type extern or noextern, or externalized. */
WASMEDGE_CAPI_EXPORT extern bool
WasmEdge_ValTypeIsExternRef(const WasmEdge_ValType ValType)
    WASMEDGE_CAPI_NOEXCEPT;

/* Any reference type, nullable or not. */
WASMEDGE_CAPI_EXPORT extern bool
WasmEdge_ValTypeIsRef(const WasmEdge_ValType ValType) WASMEDGE_CAPI_NOEXCEPT;

/* A nullable reference type. */
WASMEDGE_CAPI_EXPORT extern bool
WasmEdge_ValTypeIsRefNull(const WasmEdge_ValType ValType) WASMEDGE_CAPI_NOEXCEPT;

/* ---- Values ------------------------------------------------------------- */

WASMEDGE_CAPI_EXPORT extern WasmEdge_Value
WasmEdge_ValueGenI32(const int32_t Val) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern WasmEdge_Value
WasmEdge_ValueGenI64(const int64_t Val) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern WasmEdge_Value
WasmEdge_ValueGenF32(const float Val) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern WasmEdge_Value
WasmEdge_ValueGenF64(const double Val) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern WasmEdge_Value
WasmEdge_ValueGenV128(const int128_t Val) WASMEDGE_CAPI_NOEXCEPT;

/* A funcref to `Cxt`; NULL gives a null funcref. The function instance is
 * borrowed and must outlive every use of the value. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Value
WasmEdge_ValueGenFuncRef(const WasmEdge_FunctionInstanceContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* An externref carrying the host pointer `Ref`; NULL gives a null
 * externref. The runtime never dereferences it. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Value
WasmEdge_ValueGenExternRef(void *Ref) WASMEDGE_CAPI_NOEXCEPT;

/* Read a value back as the given type (the type is not checked). */
WASMEDGE_CAPI_EXPORT extern int32_t
WasmEdge_ValueGetI32(const WasmEdge_Value Val) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern int64_t
WasmEdge_ValueGetI64(const WasmEdge_Value Val) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern float
WasmEdge_ValueGetF32(const WasmEdge_Value Val) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern double
WasmEdge_ValueGetF64(const WasmEdge_Value Val) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern int128_t
WasmEdge_ValueGetV128(const WasmEdge_Value Val) WASMEDGE_CAPI_NOEXCEPT;

/* True for a reference value whose pointer is null. */
WASMEDGE_CAPI_EXPORT extern bool
WasmEdge_ValueIsNullRef(const WasmEdge_Value Val) WASMEDGE_CAPI_NOEXCEPT;

/* The function a funcref points to, or NULL. Borrowed. */
WASMEDGE_CAPI_EXPORT extern const WasmEdge_FunctionInstanceContext *
WasmEdge_ValueGetFuncRef(const WasmEdge_Value Val) WASMEDGE_CAPI_NOEXCEPT;

/* The host pointer an externref carries, or NULL. */
WASMEDGE_CAPI_EXPORT extern void *
WasmEdge_ValueGetExternRef(const WasmEdge_Value Val) WASMEDGE_CAPI_NOEXCEPT;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WASMEDGE_C_API_VALUE_H */
