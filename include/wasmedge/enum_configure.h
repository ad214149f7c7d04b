/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wasmedge/enum_configure.h -- Wedge's WasmEdge-compatible C API: the
 * enumerations a `WasmEdge_ConfigureContext` is set up with.
 *
 * The numbering is WasmEdge 0.17.1's and is part of the ABI: these values are
 * passed by number across the library boundary. Do not reorder.
 */

#ifndef WASMEDGE_C_API_ENUM_CONFIGURE_H
#define WASMEDGE_C_API_ENUM_CONFIGURE_H

/* Which edition of the WebAssembly specification to accept. Choosing one
 * resets the proposal set to that edition's. */
enum WasmEdge_Standard {
  WasmEdge_Standard_WASM_1 = 0,
  WasmEdge_Standard_WASM_2 = 1,
  WasmEdge_Standard_WASM_3 = 2
};

/* WebAssembly feature proposals that can be switched on or off one by one. */
enum WasmEdge_Proposal {
  WasmEdge_Proposal_ImportExportMutGlobals = 0,
  WasmEdge_Proposal_NonTrapFloatToIntConversions = 1,
  WasmEdge_Proposal_SignExtensionOperators = 2,
  WasmEdge_Proposal_MultiValue = 3,
  WasmEdge_Proposal_BulkMemoryOperations = 4,
  WasmEdge_Proposal_ReferenceTypes = 5,
  WasmEdge_Proposal_SIMD = 6,
  WasmEdge_Proposal_TailCall = 7,
  WasmEdge_Proposal_ExtendedConst = 8,
  WasmEdge_Proposal_FunctionReferences = 9,
  WasmEdge_Proposal_GC = 10,
  WasmEdge_Proposal_MultiMemories = 11,
  WasmEdge_Proposal_RelaxSIMD = 12,
  WasmEdge_Proposal_Annotations = 13,
  WasmEdge_Proposal_ExceptionHandling = 14,
  WasmEdge_Proposal_Memory64 = 15,
  WasmEdge_Proposal_Threads = 16,
  WasmEdge_Proposal_Component = 17
};

/* Built-in host modules a VM registers by itself when configured to. */
enum WasmEdge_HostRegistration {
  WasmEdge_HostRegistration_Wasi = 0
};

/* Optimisation level of the ahead-of-time compiler (kept for source
 * compatibility; Wedge has no AOT compiler). */
enum WasmEdge_CompilerOptimizationLevel {
  WasmEdge_CompilerOptimizationLevel_O0 = 0, /* as few as possible */
  WasmEdge_CompilerOptimizationLevel_O1 = 1, /* quick, keeps debuggability */
  WasmEdge_CompilerOptimizationLevel_O2 = 2, /* fast code, bounded cost */
  WasmEdge_CompilerOptimizationLevel_O3 = 3, /* fastest code */
  WasmEdge_CompilerOptimizationLevel_Os = 4, /* small code, bounded cost */
  WasmEdge_CompilerOptimizationLevel_Oz = 5  /* smallest code */
};

/* Container the ahead-of-time compiler writes (source compatibility only). */
enum WasmEdge_CompilerOutputFormat {
  WasmEdge_CompilerOutputFormat_Native = 0, /* a shared library */
  WasmEdge_CompilerOutputFormat_Wasm = 1    /* wasm with custom sections */
};

/* Which engine runs the code. */
enum WasmEdge_RunMode {
  WasmEdge_RunMode_Interpreter = 0,
  WasmEdge_RunMode_JIT = 1,
  WasmEdge_RunMode_AOT = 2,
  /* Added by WasmEdge after 0.17.1; declared so the value is reserved. */
  WasmEdge_RunMode_LazyJIT = 3
};

#endif /* WASMEDGE_C_API_ENUM_CONFIGURE_H */
