/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wasmedge/wasmedge_configure.h -- Wedge's WasmEdge-compatible C API:
 * configuration and statistics.
 *
 * A configure context is read when a loader, validator, executor or VM is
 * created from it; changing it afterwards does not affect those objects.
 * The `WasmEdge_ConfigureCompiler...` settings belong to WasmEdge's AOT
 * compiler: Wedge stores and reports them but has no compiler that reads
 * them.
 */

#ifndef WASMEDGE_C_API_CONFIGURE_H
#define WASMEDGE_C_API_CONFIGURE_H

#include "wasmedge/wasmedge_ast.h"
#include "wasmedge/wasmedge_basic.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Configure ---------------------------------------------------------- */

/* A configuration with the default proposal set (WebAssembly 3.0 without
 * Annotations; Threads and Component off), no host modules and the
 * interpreter run mode. Free with WasmEdge_ConfigureDelete. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_ConfigureContext *
WasmEdge_ConfigureCreate(void) WASMEDGE_CAPI_NOEXCEPT;

/* Enable a proposal. */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_ConfigureAddProposal(WasmEdge_ConfigureContext *Cxt,
                              const enum WasmEdge_Proposal Prop)
    WASMEDGE_CAPI_NOEXCEPT;

/* Disable a proposal. */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_ConfigureRemoveProposal(WasmEdge_ConfigureContext *Cxt,
                                 const enum WasmEdge_Proposal Prop)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern bool
WasmEdge_ConfigureHasProposal(const WasmEdge_ConfigureContext *Cxt,
                              const enum WasmEdge_Proposal Prop)
    WASMEDGE_CAPI_NOEXCEPT;

/* Replace the proposal set with the one of a specification edition. */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_ConfigureSetWASMStandard(WasmEdge_ConfigureContext *Cxt,
                                  const enum WasmEdge_Standard Std)
    WASMEDGE_CAPI_NOEXCEPT;

/* Have VMs created from this configuration register a built-in host
 * module (e.g. WASI). */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_ConfigureAddHostRegistration(WasmEdge_ConfigureContext *Cxt,
                                      const enum WasmEdge_HostRegistration Host)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern void WasmEdge_ConfigureRemoveHostRegistration(
    WasmEdge_ConfigureContext *Cxt,
    const enum WasmEdge_HostRegistration Host) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern bool WasmEdge_ConfigureHasHostRegistration(
    const WasmEdge_ConfigureContext *Cxt,
    const enum WasmEdge_HostRegistration Host) WASMEDGE_CAPI_NOEXCEPT;

/* Cap every memory at `Page` 64 KiB pages. */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_ConfigureSetMaxMemoryPage(WasmEdge_ConfigureContext *Cxt,
                                   const uint64_t Page) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern uint64_t
WasmEdge_ConfigureGetMaxMemoryPage(const WasmEdge_ConfigureContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* Choose the engine that runs the code. */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_ConfigureSetRunMode(WasmEdge_ConfigureContext *Cxt,
                             const enum WasmEdge_RunMode Mode)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern enum WasmEdge_RunMode
WasmEdge_ConfigureGetRunMode(const WasmEdge_ConfigureContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* Allow WASI sockets of the AF_UNIX family. */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_ConfigureSetAllowAFUNIX(WasmEdge_ConfigureContext *Cxt,
                                 const bool EnableAFUNIX) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern bool
WasmEdge_ConfigureIsAllowAFUNIX(const WasmEdge_ConfigureContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* AOT compiler settings (stored only). */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_ConfigureCompilerSetOptimizationLevel(
    WasmEdge_ConfigureContext *Cxt,
    const enum WasmEdge_CompilerOptimizationLevel Level) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern enum WasmEdge_CompilerOptimizationLevel
WasmEdge_ConfigureCompilerGetOptimizationLevel(
    const WasmEdge_ConfigureContext *Cxt) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern void
WasmEdge_ConfigureCompilerSetOutputFormat(
    WasmEdge_ConfigureContext *Cxt,
    const enum WasmEdge_CompilerOutputFormat Format) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern enum WasmEdge_CompilerOutputFormat
WasmEdge_ConfigureCompilerGetOutputFormat(const WasmEdge_ConfigureContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern void
WasmEdge_ConfigureCompilerSetDumpIR(WasmEdge_ConfigureContext *Cxt,
                                    const bool IsDump) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern bool
WasmEdge_ConfigureCompilerIsDumpIR(const WasmEdge_ConfigureContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern void
WasmEdge_ConfigureCompilerSetGenericBinary(WasmEdge_ConfigureContext *Cxt,
                                           const bool IsGeneric)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern bool
WasmEdge_ConfigureCompilerIsGenericBinary(const WasmEdge_ConfigureContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern void
WasmEdge_ConfigureCompilerSetInterruptible(WasmEdge_ConfigureContext *Cxt,
                                           const bool IsInterruptible)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern bool
WasmEdge_ConfigureCompilerIsInterruptible(const WasmEdge_ConfigureContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* Statistics switches. A statistics context gathers data only for what is
 * switched on here. */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_ConfigureStatisticsSetInstructionCounting(
    WasmEdge_ConfigureContext *Cxt, const bool IsCount) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern bool
WasmEdge_ConfigureStatisticsIsInstructionCounting(
    const WasmEdge_ConfigureContext *Cxt) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern void
WasmEdge_ConfigureStatisticsSetCostMeasuring(WasmEdge_ConfigureContext *Cxt,
                                             const bool IsMeasure)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern bool
WasmEdge_ConfigureStatisticsIsCostMeasuring(const WasmEdge_ConfigureContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern void
WasmEdge_ConfigureStatisticsSetTimeMeasuring(WasmEdge_ConfigureContext *Cxt,
                                             const bool IsMeasure)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern bool
WasmEdge_ConfigureStatisticsIsTimeMeasuring(const WasmEdge_ConfigureContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern void
WasmEdge_ConfigureDelete(WasmEdge_ConfigureContext *Cxt) WASMEDGE_CAPI_NOEXCEPT;

/* ---- Statistics --------------------------------------------------------- */

/* Counters for instruction count, gas cost and time, all zero. Free with
 * WasmEdge_StatisticsDelete. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_StatisticsContext *
WasmEdge_StatisticsCreate(void) WASMEDGE_CAPI_NOEXCEPT;

/* Instructions executed so far. */
WASMEDGE_CAPI_EXPORT extern uint64_t
WasmEdge_StatisticsGetInstrCount(const WasmEdge_StatisticsContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* Instructions executed per second of WebAssembly execution time. */
WASMEDGE_CAPI_EXPORT extern double
WasmEdge_StatisticsGetInstrPerSecond(const WasmEdge_StatisticsContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* Gas spent so far. */
WASMEDGE_CAPI_EXPORT extern uint64_t
WasmEdge_StatisticsGetTotalCost(const WasmEdge_StatisticsContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* Set the per-instruction costs from `CostArr[0..Len)`, indexed by opcode
 * ordinal; slots past `Len` cost 0. */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_StatisticsSetCostTable(WasmEdge_StatisticsContext *Cxt,
                                uint64_t *CostArr,
                                const uint32_t Len) WASMEDGE_CAPI_NOEXCEPT;

/* Stop execution with CostLimitExceeded once the gas would pass `Limit`. */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_StatisticsSetCostLimit(WasmEdge_StatisticsContext *Cxt,
                                const uint64_t Limit) WASMEDGE_CAPI_NOEXCEPT;

/* Reset the counters, the gas spent and the timers. */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_StatisticsClear(WasmEdge_StatisticsContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern void
WasmEdge_StatisticsDelete(WasmEdge_StatisticsContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WASMEDGE_C_API_CONFIGURE_H */
