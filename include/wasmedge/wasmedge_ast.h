/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wasmedge/wasmedge_ast.h -- Wedge's WasmEdge-compatible C API: loaded
 * modules and the types they are made of (limits, function, table, memory,
 * tag and global types, imports and exports).
 *
 * Conventions used throughout the API:
 *  - A pointer returned by a getter is borrowed from the object it came from
 *    and lives as long as that object; only `...Create` results are owned by
 *    the caller.
 *  - A "List" function `X(Cxt, Out, Len)` writes at most `Len` entries into
 *    `Out` and returns the total number available; `XLength(Cxt)` returns
 *    that total alone.
 *  - A NULL context makes a getter return 0, NULL or false.
 */

#ifndef WASMEDGE_C_API_AST_H
#define WASMEDGE_C_API_AST_H

#include "wasmedge/wasmedge_basic.h"
#include "wasmedge/wasmedge_value.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- AST module --------------------------------------------------------- */

/* Number of imports the module declares. */
WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_ASTModuleListImportsLength(const WasmEdge_ASTModuleContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* The module's imports, in declaration order (borrowed). */
WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_ASTModuleListImports(const WasmEdge_ASTModuleContext *Cxt,
                              const WasmEdge_ImportTypeContext **Imports,
                              const uint32_t Len) WASMEDGE_CAPI_NOEXCEPT;

/* Number of exports the module declares. */
WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_ASTModuleListExportsLength(const WasmEdge_ASTModuleContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* The module's exports, in declaration order (borrowed). */
WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_ASTModuleListExports(const WasmEdge_ASTModuleContext *Cxt,
                              const WasmEdge_ExportTypeContext **Exports,
                              const uint32_t Len) WASMEDGE_CAPI_NOEXCEPT;

/* Free a module returned by a loader. */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_ASTModuleDelete(WasmEdge_ASTModuleContext *Cxt) WASMEDGE_CAPI_NOEXCEPT;

/* ---- Limits ------------------------------------------------------------- */

/* Limits with a minimum and no maximum; `Is64Bit` selects 64-bit indices
 * (memory64 / table64). */
WASMEDGE_CAPI_EXPORT extern WasmEdge_LimitContext *
WasmEdge_LimitCreate(const uint64_t Min,
                     const bool Is64Bit) WASMEDGE_CAPI_NOEXCEPT;

/* Limits with a minimum and a maximum; `IsShared` marks a shared memory. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_LimitContext *
WasmEdge_LimitCreateWithMax(const uint64_t Min, const uint64_t Max,
                            const bool Is64Bit,
                            const bool IsShared) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern uint64_t
WasmEdge_LimitGetMin(const WasmEdge_LimitContext *Cxt) WASMEDGE_CAPI_NOEXCEPT;

/* The maximum; meaningful only when WasmEdge_LimitHasMax is true. */
WASMEDGE_CAPI_EXPORT extern uint64_t
WasmEdge_LimitGetMax(const WasmEdge_LimitContext *Cxt) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern bool
WasmEdge_LimitHasMax(const WasmEdge_LimitContext *Cxt) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern bool
WasmEdge_LimitIsShared(const WasmEdge_LimitContext *Cxt) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern bool
WasmEdge_LimitIs64Bit(const WasmEdge_LimitContext *Cxt) WASMEDGE_CAPI_NOEXCEPT;

/* True when every field of the two limits is equal. */
WASMEDGE_CAPI_EXPORT extern bool
WasmEdge_LimitIsEqual(const WasmEdge_LimitContext *Lim1,
                      const WasmEdge_LimitContext *Lim2) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern void
WasmEdge_LimitDelete(WasmEdge_LimitContext *Cxt) WASMEDGE_CAPI_NOEXCEPT;

/* ---- Function types ----------------------------------------------------- */

/* A function type; the lists are copied (either may be NULL when its
 * length is 0). */
WASMEDGE_CAPI_EXPORT extern WasmEdge_FunctionTypeContext *
WasmEdge_FunctionTypeCreate(const WasmEdge_ValType *ParamList,
                            const uint32_t ParamLen,
                            const WasmEdge_ValType *ReturnList,
                            const uint32_t ReturnLen) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_FunctionTypeGetParametersLength(const WasmEdge_FunctionTypeContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* Copy out at most `Len` parameter types; returns the total. */
WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_FunctionTypeGetParameters(const WasmEdge_FunctionTypeContext *Cxt,
                                   WasmEdge_ValType *List,
                                   const uint32_t Len) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_FunctionTypeGetReturnsLength(const WasmEdge_FunctionTypeContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* Copy out at most `Len` result types; returns the total. */
WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_FunctionTypeGetReturns(const WasmEdge_FunctionTypeContext *Cxt,
                                WasmEdge_ValType *List,
                                const uint32_t Len) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern void
WasmEdge_FunctionTypeDelete(WasmEdge_FunctionTypeContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* ---- Table types -------------------------------------------------------- */

/* A table of `RefType` elements; the limits are copied. NULL if `RefType`
 * is not a reference type or `Limit` is NULL. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_TableTypeContext *
WasmEdge_TableTypeCreate(const WasmEdge_ValType RefType,
                         const WasmEdge_LimitContext *Limit)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern WasmEdge_ValType
WasmEdge_TableTypeGetRefType(const WasmEdge_TableTypeContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* Borrowed from the table type. */
WASMEDGE_CAPI_EXPORT extern const WasmEdge_LimitContext *
WasmEdge_TableTypeGetLimit(const WasmEdge_TableTypeContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern void
WasmEdge_TableTypeDelete(WasmEdge_TableTypeContext *Cxt) WASMEDGE_CAPI_NOEXCEPT;

/* ---- Memory types ------------------------------------------------------- */

/* A memory with the given page limits (copied). */
WASMEDGE_CAPI_EXPORT extern WasmEdge_MemoryTypeContext *
WasmEdge_MemoryTypeCreate(const WasmEdge_LimitContext *Limit)
    WASMEDGE_CAPI_NOEXCEPT;

/* Borrowed from the memory type. */
WASMEDGE_CAPI_EXPORT extern const WasmEdge_LimitContext *
WasmEdge_MemoryTypeGetLimit(const WasmEdge_MemoryTypeContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern void
WasmEdge_MemoryTypeDelete(WasmEdge_MemoryTypeContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* ---- Tag types ---------------------------------------------------------- */

/* The function type describing the tag's payload (borrowed). */
WASMEDGE_CAPI_EXPORT extern const WasmEdge_FunctionTypeContext *
WasmEdge_TagTypeGetFunctionType(const WasmEdge_TagTypeContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* ---- Global types ------------------------------------------------------- */

WASMEDGE_CAPI_EXPORT extern WasmEdge_GlobalTypeContext *
WasmEdge_GlobalTypeCreate(const WasmEdge_ValType ValType,
                          const enum WasmEdge_Mutability Mut)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern WasmEdge_ValType
WasmEdge_GlobalTypeGetValType(const WasmEdge_GlobalTypeContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern enum WasmEdge_Mutability
WasmEdge_GlobalTypeGetMutability(const WasmEdge_GlobalTypeContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern void
WasmEdge_GlobalTypeDelete(WasmEdge_GlobalTypeContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* ---- Import types ------------------------------------------------------- */

WASMEDGE_CAPI_EXPORT extern enum WasmEdge_ExternalType
WasmEdge_ImportTypeGetExternalType(const WasmEdge_ImportTypeContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* The module part of the import name (borrowed). */
WASMEDGE_CAPI_EXPORT extern WasmEdge_String
WasmEdge_ImportTypeGetModuleName(const WasmEdge_ImportTypeContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* The field part of the import name (borrowed). */
WASMEDGE_CAPI_EXPORT extern WasmEdge_String
WasmEdge_ImportTypeGetExternalName(const WasmEdge_ImportTypeContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* The imported entity's type, resolved through `ASTCxt`, the module the
 * import belongs to. NULL when the import is of another kind. */
WASMEDGE_CAPI_EXPORT extern const WasmEdge_FunctionTypeContext *
WasmEdge_ImportTypeGetFunctionType(const WasmEdge_ASTModuleContext *ASTCxt,
                                   const WasmEdge_ImportTypeContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern const WasmEdge_TableTypeContext *
WasmEdge_ImportTypeGetTableType(const WasmEdge_ASTModuleContext *ASTCxt,
                                const WasmEdge_ImportTypeContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern const WasmEdge_MemoryTypeContext *
WasmEdge_ImportTypeGetMemoryType(const WasmEdge_ASTModuleContext *ASTCxt,
                                 const WasmEdge_ImportTypeContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern const WasmEdge_TagTypeContext *
WasmEdge_ImportTypeGetTagType(const WasmEdge_ASTModuleContext *ASTCxt,
                              const WasmEdge_ImportTypeContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern const WasmEdge_GlobalTypeContext *
WasmEdge_ImportTypeGetGlobalType(const WasmEdge_ASTModuleContext *ASTCxt,
                                 const WasmEdge_ImportTypeContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* ---- Export types ------------------------------------------------------- */

WASMEDGE_CAPI_EXPORT extern enum WasmEdge_ExternalType
WasmEdge_ExportTypeGetExternalType(const WasmEdge_ExportTypeContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* The export name (borrowed). */
WASMEDGE_CAPI_EXPORT extern WasmEdge_String
WasmEdge_ExportTypeGetExternalName(const WasmEdge_ExportTypeContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* The exported entity's type, resolved through `ASTCxt`, the module the
 * export belongs to. NULL when the export is of another kind. */
WASMEDGE_CAPI_EXPORT extern const WasmEdge_FunctionTypeContext *
WasmEdge_ExportTypeGetFunctionType(const WasmEdge_ASTModuleContext *ASTCxt,
                                   const WasmEdge_ExportTypeContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern const WasmEdge_TableTypeContext *
WasmEdge_ExportTypeGetTableType(const WasmEdge_ASTModuleContext *ASTCxt,
                                const WasmEdge_ExportTypeContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern const WasmEdge_MemoryTypeContext *
WasmEdge_ExportTypeGetMemoryType(const WasmEdge_ASTModuleContext *ASTCxt,
                                 const WasmEdge_ExportTypeContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern const WasmEdge_TagTypeContext *
WasmEdge_ExportTypeGetTagType(const WasmEdge_ASTModuleContext *ASTCxt,
                              const WasmEdge_ExportTypeContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern const WasmEdge_GlobalTypeContext *
WasmEdge_ExportTypeGetGlobalType(const WasmEdge_ASTModuleContext *ASTCxt,
                                 const WasmEdge_ExportTypeContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WASMEDGE_C_API_AST_H */
