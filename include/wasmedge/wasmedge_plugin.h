/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wasmedge/wasmedge_plugin.h -- Wedge's WasmEdge-compatible C API: plug-ins.
 *
 * Two sides meet here. A host loads plug-ins and creates their modules with
 * the `WasmEdge_Plugin...` functions. A C plug-in is a shared library that
 * exports `WasmEdge_Plugin_GetDescriptor`, returning a static
 * `WasmEdge_PluginDescriptor` whose `APIVersion` is
 * `WasmEdge_Plugin_CurrentAPIVersion`; its module factories build module
 * instances through the rest of the C API (link against libwasmedge).
 * Build a plug-in with -DWASMEDGE_PLUGIN so the descriptor is exported on
 * Windows as well.
 */

#ifndef WASMEDGE_C_API_PLUGIN_H
#define WASMEDGE_C_API_PLUGIN_H

#include "wasmedge/wasmedge_basic.h"

/* The C type an option's `Storage` and `DefaultValue` point to. */
typedef enum WasmEdge_ProgramOptionType {
  WasmEdge_ProgramOptionType_None = 0,   /* ignored */
  WasmEdge_ProgramOptionType_Toggle = 1, /* bool, set true when present */
  WasmEdge_ProgramOptionType_Int8 = 2,   /* int8_t */
  WasmEdge_ProgramOptionType_Int16 = 3,  /* int16_t */
  WasmEdge_ProgramOptionType_Int32 = 4,  /* int32_t */
  WasmEdge_ProgramOptionType_Int64 = 5,  /* int64_t */
  WasmEdge_ProgramOptionType_UInt8 = 6,  /* uint8_t */
  WasmEdge_ProgramOptionType_UInt16 = 7, /* uint16_t */
  WasmEdge_ProgramOptionType_UInt32 = 8, /* uint32_t */
  WasmEdge_ProgramOptionType_UInt64 = 9, /* uint64_t */
  WasmEdge_ProgramOptionType_Float = 10, /* float */
  WasmEdge_ProgramOptionType_Double = 11, /* double */
  WasmEdge_ProgramOptionType_String = 12  /* WasmEdge_String */
} WasmEdge_ProgramOptionType;

/* A command-line option `--Name` the plug-in accepts; the parsed value is
 * written to `*Storage`. (40 bytes on 64-bit targets.) */
typedef struct WasmEdge_ProgramOption {
  const char *Name;
  const char *Description;
  WasmEdge_ProgramOptionType Type;
  void *Storage;
  const void *DefaultValue;
} WasmEdge_ProgramOption;

/* A module the plug-in provides. `Create` builds a new instance of it; it
 * receives this descriptor and returns an instance the caller owns. */
typedef struct WasmEdge_ModuleDescriptor {
  const char *Name;
  const char *Description;
  WasmEdge_ModuleInstanceContext *(*Create)(
      const struct WasmEdge_ModuleDescriptor *);
} WasmEdge_ModuleDescriptor;

/* The plug-in's own version. */
typedef struct WasmEdge_PluginVersionData {
  uint32_t Major;
  uint32_t Minor;
  uint32_t Patch;
  uint32_t Build;
} WasmEdge_PluginVersionData;

/* What a plug-in tells the runtime about itself (64 bytes on 64-bit
 * targets). The arrays must stay valid while the plug-in is loaded. */
typedef struct WasmEdge_PluginDescriptor {
  const char *Name;
  const char *Description;
  uint32_t APIVersion; /* must equal WasmEdge_Plugin_CurrentAPIVersion */
  WasmEdge_PluginVersionData Version;
  uint32_t ModuleCount;
  uint32_t ProgramOptionCount;
  WasmEdge_ModuleDescriptor *ModuleDescriptions;
  WasmEdge_ProgramOption *ProgramOptions;
} WasmEdge_PluginDescriptor;

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Host side ---------------------------------------------------------- */

/* Load plug-ins from the default places: the directories listed in the
 * WASMEDGE_PLUGIN_PATH environment variable (':'-separated), then the
 * plug-in directory next to the installed library. */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_PluginLoadWithDefaultPaths(void) WASMEDGE_CAPI_NOEXCEPT;

/* Load the plug-in at `Path`, or every plug-in under it (recursively) if it
 * is a directory. Loading the same path twice does nothing. */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_PluginLoadFromPath(const char *Path) WASMEDGE_CAPI_NOEXCEPT;

/* Number of loaded plug-ins. */
WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_PluginListPluginsLength(void) WASMEDGE_CAPI_NOEXCEPT;

/* Names of the loaded plug-ins, in load order (borrowed). */
WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_PluginListPlugins(WasmEdge_String *Names,
                           const uint32_t Len) WASMEDGE_CAPI_NOEXCEPT;

/* The loaded plug-in called `Name`, or NULL. */
WASMEDGE_CAPI_EXPORT extern const WasmEdge_PluginContext *
WasmEdge_PluginFind(const WasmEdge_String Name) WASMEDGE_CAPI_NOEXCEPT;

/* The plug-in's name (borrowed); {0, NULL} for NULL. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_String
WasmEdge_PluginGetPluginName(const WasmEdge_PluginContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* Number of modules the plug-in provides. */
WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_PluginListModuleLength(const WasmEdge_PluginContext *Cxt)
    WASMEDGE_CAPI_NOEXCEPT;

/* Names of the plug-in's modules (borrowed). */
WASMEDGE_CAPI_EXPORT extern uint32_t
WasmEdge_PluginListModule(const WasmEdge_PluginContext *Cxt,
                          WasmEdge_String *Names,
                          const uint32_t Len) WASMEDGE_CAPI_NOEXCEPT;

/* A new instance of the plug-in's module `ModuleName`, owned by the caller
 * (free with WasmEdge_ModuleInstanceDelete); NULL if there is none. */
WASMEDGE_CAPI_EXPORT extern WasmEdge_ModuleInstanceContext *
WasmEdge_PluginCreateModule(const WasmEdge_PluginContext *Cxt,
                            const WasmEdge_String ModuleName)
    WASMEDGE_CAPI_NOEXCEPT;

/* Hand model preload specifications to the wasi_nn plug-in; call after
 * loading it and before creating its module. `NNPreloads` may be NULL when
 * `PreloadsLen` is 0. */
WASMEDGE_CAPI_EXPORT extern void
WasmEdge_PluginInitWASINN(const char *const *NNPreloads,
                          const uint32_t PreloadsLen) WASMEDGE_CAPI_NOEXCEPT;

/* ---- Plug-in side ------------------------------------------------------- */

/* Defined by each C plug-in (not by libwasmedge): returns the plug-in's
 * descriptor. */
WASMEDGE_CAPI_PLUGIN_EXPORT extern const WasmEdge_PluginDescriptor *
WasmEdge_Plugin_GetDescriptor(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WASMEDGE_C_API_PLUGIN_H */
