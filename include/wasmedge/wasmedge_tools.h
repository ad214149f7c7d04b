/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wasmedge/wasmedge_tools.h -- Wedge's WasmEdge-compatible C API: the
 * command-line tools.
 *
 * As in WasmEdge, the library carries its command-line tools, and the
 * `wedge` (`wasmedge`) binary is a main that calls WasmEdge_Driver_UniTool.
 * Each function takes a command line as main does (Argv[0] is the program's
 * name; a NULL entry ends the list early), prints to the process's stdout
 * and stderr as the tool does, and returns the status the tool exits with:
 * 0 on success (also for --help and --version), 1 for bad flags or a module
 * that cannot be loaded, validated, instantiated or called as asked, the
 * guest's proc_exit code, 134 when the guest traps. None of them exits the
 * process, so a host can call them again. The run tools load the plug-ins
 * on the default paths first (their options are flags); the compiler loads
 * none.
 */

#ifndef WASMEDGE_C_API_TOOLS_H
#define WASMEDGE_C_API_TOOLS_H

#include "wasmedge/wasmedge_basic.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The compiler tool, `wasmedgec [OPTIONS] IN OUT`: the options and output of
 * `wasmedge compile`. */
WASMEDGE_CAPI_EXPORT extern int
WasmEdge_Driver_Compiler(int Argc, const char *Argv[]) WASMEDGE_CAPI_NOEXCEPT;

/* The runtime tool, `wasmedge run` without the word `run`: the first word
 * that is not an option is the file, and the later ones are the guest's. */
WASMEDGE_CAPI_EXPORT extern int
WasmEdge_Driver_Tool(int Argc, const char *Argv[]) WASMEDGE_CAPI_NOEXCEPT;

/* The unified tool, `wasmedge [SUBCOMMAND] [OPTIONS] ...`: the subcommands
 * run (the default), compile, validate, instantiate, parse, and Wedge's
 * wast. */
WASMEDGE_CAPI_EXPORT extern int
WasmEdge_Driver_UniTool(int Argc, const char *Argv[]) WASMEDGE_CAPI_NOEXCEPT;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WASMEDGE_C_API_TOOLS_H */
