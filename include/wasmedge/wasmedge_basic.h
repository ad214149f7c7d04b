/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wasmedge/wasmedge_basic.h -- Wedge's WasmEdge-compatible C API: export
 * macros, strings, bytes, results, version and logging.
 *
 * Every other header of the API includes this one.
 */

#ifndef WASMEDGE_C_API_BASIC_H
#define WASMEDGE_C_API_BASIC_H

/*
 * WASMEDGE_CAPI_EXPORT marks the functions libwasmedge provides.
 * WASMEDGE_CAPI_PLUGIN_EXPORT marks what a plug-in provides to the runtime
 * (its descriptor entry point). On ELF and Mach-O both mean default
 * visibility. On Windows the library is built with WASMEDGE_COMPILE_LIBRARY
 * and a plug-in with WASMEDGE_PLUGIN, which turn the import into an export.
 */
#if defined(_WIN32) || defined(_WIN64) || defined(__WIN32__) ||                \
    defined(__TOS_WIN__) || defined(__WINDOWS__)
#ifdef WASMEDGE_COMPILE_LIBRARY
#define WASMEDGE_CAPI_EXPORT __declspec(dllexport)
#else
#define WASMEDGE_CAPI_EXPORT __declspec(dllimport)
#endif
#ifdef WASMEDGE_PLUGIN
#define WASMEDGE_CAPI_PLUGIN_EXPORT __declspec(dllexport)
#else
#define WASMEDGE_CAPI_PLUGIN_EXPORT __declspec(dllimport)
#endif
#else
#define WASMEDGE_CAPI_EXPORT __attribute__((visibility("default")))
#define WASMEDGE_CAPI_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* No API function lets an exception escape; C++ callers may rely on it. */
#ifdef __cplusplus
#define WASMEDGE_CAPI_NOEXCEPT noexcept
#else
#define WASMEDGE_CAPI_NOEXCEPT
#endif

/* `bool` is a keyword in C++ and in C23; older C needs <stdbool.h>. */
#if !defined(__cplusplus) &&                                                   \
    (!defined(__STDC_VERSION__) || __STDC_VERSION__ < 202311L)
#include <stdbool.h>
#endif
#include <stdint.h>
#include <time.h>

#include "wasmedge/wasmedge_context.h"

#include "wasmedge/enum_configure.h"
#include "wasmedge/enum_errcode.h"
#include "wasmedge/enum_types.h"
#include "wasmedge/int128.h"
#include "wasmedge/version.h"

/*
 * A length-counted string, passed by value (16 bytes on 64-bit targets).
 * `Buf` is not NUL-terminated. A string made by a `...Create` function owns
 * its buffer and must be given back with `WasmEdge_StringDelete`; one made
 * by `WasmEdge_StringWrap` or returned by a getter only borrows it.
 */
typedef struct WasmEdge_String {
  uint32_t Length;
  const char *Buf;
} WasmEdge_String;

/* A length-counted byte buffer, with the ownership rules of WasmEdge_String. */
typedef struct WasmEdge_Bytes {
  uint32_t Length;
  const uint8_t *Buf;
} WasmEdge_Bytes;

/*
 * The outcome of an operation: `Code = Category << 24 | (code & 0xFFFFFF)`,
 * see enum_errcode.h. Host functions return one too.
 */
typedef struct WasmEdge_Result {
  uint32_t Code;
} WasmEdge_Result;

/*
 * Results a host function returns most often: carry on; stop the whole
 * execution successfully (the caller sees `Terminated`, which counts as OK);
 * fail with a generic runtime error.
 */
#ifdef __cplusplus
#define WasmEdge_Result_Success (WasmEdge_Result{/* Code */ 0x00})
#define WasmEdge_Result_Terminate (WasmEdge_Result{/* Code */ 0x01})
#define WasmEdge_Result_Fail (WasmEdge_Result{/* Code */ 0x02})
#else
#define WasmEdge_Result_Success ((WasmEdge_Result){.Code = 0x00})
#define WasmEdge_Result_Terminate ((WasmEdge_Result){.Code = 0x01})
#define WasmEdge_Result_Fail ((WasmEdge_Result){.Code = 0x02})
#endif

/* Severity of a log record, least severe first. */
typedef enum WasmEdge_LogLevel {
  WasmEdge_LogLevel_Trace = 0,
  WasmEdge_LogLevel_Debug = 1,
  WasmEdge_LogLevel_Info = 2,
  WasmEdge_LogLevel_Warn = 3,
  WasmEdge_LogLevel_Error = 4,
  WasmEdge_LogLevel_Critical = 5
} WasmEdge_LogLevel;

/*
 * One log record, handed to the callback set with WasmEdge_LogSetCallback.
 * The strings are borrowed for the duration of the call only.
 */
typedef struct WasmEdge_LogMessage {
  WasmEdge_String Message;    /* the text */
  WasmEdge_String LoggerName; /* which logger emitted it */
  WasmEdge_LogLevel Level;
  time_t Time;       /* seconds since the epoch */
  uint64_t ThreadId; /* the emitting thread */
} WasmEdge_LogMessage;

/* Receives log records in place of the default output. */
typedef void (*WasmEdge_LogCallback_t)(const WasmEdge_LogMessage *Message);

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Version ------------------------------------------------------------ */

/* The version string, e.g. "0.17.1". Static; do not free. */
WASMEDGE_CAPI_EXPORT extern const char *
WasmEdge_VersionGet(void) WASMEDGE_CAPI_NOEXCEPT;

/* The three numeric parts of the version. */
WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_VersionGetMajor(void) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_VersionGetMinor(void) WASMEDGE_CAPI_NOEXCEPT;

WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_VersionGetPatch(void) WASMEDGE_CAPI_NOEXCEPT;

/* ---- Logging ------------------------------------------------------------ */

/* Show records of level Error and above. */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_LogSetErrorLevel(void) WASMEDGE_CAPI_NOEXCEPT;

/* Show records of level Debug and above. */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_LogSetDebugLevel(void) WASMEDGE_CAPI_NOEXCEPT;

/* Show no records at all. */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_LogOff(void) WASMEDGE_CAPI_NOEXCEPT;

/* Show records of `Level` and above. */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_LogSetLevel(WasmEdge_LogLevel Level) WASMEDGE_CAPI_NOEXCEPT;

/* Route records to `Callback`; NULL restores the default output. */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_LogSetCallback(WasmEdge_LogCallback_t Callback) WASMEDGE_CAPI_NOEXCEPT;

/* ---- Strings ------------------------------------------------------------ */

/* Copy a NUL-terminated string into a new owned string. NULL or "" gives
 * {0, NULL}. Free with WasmEdge_StringDelete. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_String
WasmEdge_StringCreateByCString(const char *Str) WASMEDGE_CAPI_NOEXCEPT;

/* Copy `Len` bytes of `Buf` into a new owned string. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_String
WasmEdge_StringCreateByBuffer(const char *Buf,
                              const uint32_t Len) WASMEDGE_CAPI_NOEXCEPT;

/* Borrow `Buf` without copying; the caller keeps it alive and must not
 * delete the result. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_String
WasmEdge_StringWrap(const char *Buf, const uint32_t Len) WASMEDGE_CAPI_NOEXCEPT;

/* True when both strings hold the same bytes. */
WASMEDGE_CAPI_EXPORT extern bool
WasmEdge_StringIsEqual(const WasmEdge_String Str1,
                       const WasmEdge_String Str2) WASMEDGE_CAPI_NOEXCEPT;

/* Zero `Buf[0..Len)`, then copy as much of `Str` as fits. Returns the
 * number of bytes copied. */
WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_StringCopy(const WasmEdge_String Str, char *Buf,
                    const uint32_t Len) WASMEDGE_CAPI_NOEXCEPT;

/* Free a string made by a `...Create` function. */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_StringDelete(WasmEdge_String Str) WASMEDGE_CAPI_NOEXCEPT;

/* ---- Bytes -------------------------------------------------------------- */

/* Copy `Len` bytes of `Buf` into a new owned buffer. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Bytes
WasmEdge_BytesCreate(const uint8_t *Buf,
                     const uint32_t Len) WASMEDGE_CAPI_NOEXCEPT;

/* Borrow `Buf` without copying. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Bytes
WasmEdge_BytesWrap(const uint8_t *Buf,
                   const uint32_t Len) WASMEDGE_CAPI_NOEXCEPT;

/* Free a buffer made by WasmEdge_BytesCreate or returned owned by the API. */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_BytesDelete(WasmEdge_Bytes Bytes) WASMEDGE_CAPI_NOEXCEPT;

/* ---- Results ------------------------------------------------------------ */

/* True for success and for `Terminated` in the WASM category. */
WASMEDGE_CAPI_EXPORT extern bool
WasmEdge_ResultOK(const WasmEdge_Result Res) WASMEDGE_CAPI_NOEXCEPT;

/* Build a result; only the low 24 bits of `Code` are kept. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_Result
WasmEdge_ResultGen(const enum WasmEdge_ErrCategory Category,
                   const uint32_t Code) WASMEDGE_CAPI_NOEXCEPT;

/* The code part (low 24 bits). */
WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_ResultGetCode(const WasmEdge_Result Res) WASMEDGE_CAPI_NOEXCEPT;

/* The category part (high 8 bits). */
WASMEDGE_CAPI_EXPORT extern enum WasmEdge_ErrCategory
WasmEdge_ResultGetCategory(const WasmEdge_Result Res) WASMEDGE_CAPI_NOEXCEPT;

/* A static, human-readable description. Do not free. */
WASMEDGE_CAPI_EXPORT extern const char *
WasmEdge_ResultGetMessage(const WasmEdge_Result Res) WASMEDGE_CAPI_NOEXCEPT;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WASMEDGE_C_API_BASIC_H */
