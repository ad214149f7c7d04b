/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wasmedge/wasmedge_context.h -- Wedge's WasmEdge-compatible C API: the
 * opaque handle types.
 *
 * Every object of the API is reached through a pointer to one of these
 * incomplete types. Only the library knows their layout; a program creates
 * them with a `...Create` function and, when it owns them, frees them with
 * the matching `...Delete`.
 */

#ifndef WASMEDGE_C_API_CONTEXT_H
#define WASMEDGE_C_API_CONTEXT_H

/* Settings: proposals, host modules, limits, run mode, statistics. */
typedef struct WasmEdge_ConfigureContext WasmEdge_ConfigureContext;
/* Instruction counts, gas cost and timing of executions. */
typedef struct WasmEdge_StatisticsContext WasmEdge_StatisticsContext;
/* A decoded (and possibly validated) module. */
typedef struct WasmEdge_ASTModuleContext WasmEdge_ASTModuleContext;

/* Types. */
typedef struct WasmEdge_LimitContext WasmEdge_LimitContext;
typedef struct WasmEdge_FunctionTypeContext WasmEdge_FunctionTypeContext;
typedef struct WasmEdge_MemoryTypeContext WasmEdge_MemoryTypeContext;
typedef struct WasmEdge_TableTypeContext WasmEdge_TableTypeContext;
typedef struct WasmEdge_TagTypeContext WasmEdge_TagTypeContext;
typedef struct WasmEdge_GlobalTypeContext WasmEdge_GlobalTypeContext;
typedef struct WasmEdge_ImportTypeContext WasmEdge_ImportTypeContext;
typedef struct WasmEdge_ExportTypeContext WasmEdge_ExportTypeContext;

/* The pipeline: compile (unused by Wedge), load, validate, execute. */
typedef struct WasmEdge_CompilerContext WasmEdge_CompilerContext;
typedef struct WasmEdge_LoaderContext WasmEdge_LoaderContext;
typedef struct WasmEdge_ValidatorContext WasmEdge_ValidatorContext;
typedef struct WasmEdge_ExecutorContext WasmEdge_ExecutorContext;
/* Named module instances that imports are resolved against. */
typedef struct WasmEdge_StoreContext WasmEdge_StoreContext;

/* Instances. */
typedef struct WasmEdge_ModuleInstanceContext WasmEdge_ModuleInstanceContext;
typedef struct WasmEdge_FunctionInstanceContext
    WasmEdge_FunctionInstanceContext;
typedef struct WasmEdge_TableInstanceContext WasmEdge_TableInstanceContext;
typedef struct WasmEdge_MemoryInstanceContext WasmEdge_MemoryInstanceContext;
typedef struct WasmEdge_TagInstanceContext WasmEdge_TagInstanceContext;
typedef struct WasmEdge_GlobalInstanceContext WasmEdge_GlobalInstanceContext;

/* What a host function is given about its caller. */
typedef struct WasmEdge_CallingFrameContext WasmEdge_CallingFrameContext;
/* A pending asynchronous execution (note: no `Context` suffix). */
typedef struct WasmEdge_Async WasmEdge_Async;
/* A VM: configure, store, loader, validator and executor in one. */
typedef struct WasmEdge_VMContext WasmEdge_VMContext;
/* A loaded plug-in. */
typedef struct WasmEdge_PluginContext WasmEdge_PluginContext;

#endif /* WASMEDGE_C_API_CONTEXT_H */
