/* A test plug-in for Wedge's loader, written for these tests.
 *
 * One source, many plug-ins: macros given with -D pick the name, the API version and the ways the
 * descriptor is broken. The module Create function exists so the descriptor is well formed, but
 * the loader tests never call it: a real module needs the C API, which is not built yet.
 *
 *   PLUGIN_NAME            the descriptor's Name (a string literal), default "wedge_test"
 *   API_VERSION            the descriptor's APIVersion, default 5
 *   NO_ENTRY               export no WasmEdge_Plugin_GetDescriptor at all
 *   CPP_ENTRY              export only GetDescriptor, like WasmEdge's C++ plug-ins
 *   NULL_DESCRIPTOR        WasmEdge_Plugin_GetDescriptor returns NULL
 *   NULL_NAME              the plug-in's Name is NULL
 *   COUNT_WITHOUT_ARRAY    ModuleCount is 2 but ModuleDescriptions is NULL
 *   NULL_CREATE            the second module's Create is NULL
 *   BAD_OPTION_TYPE        the first option's Type is 99
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef PLUGIN_NAME
#define PLUGIN_NAME "wedge_test"
#endif
#ifndef API_VERSION
#define API_VERSION 5
#endif

#define EXPORT __attribute__((visibility("default")))

/* Our own declarations of the ABI's structs, laid out as in WasmEdge's wasmedge_plugin.h. */
typedef struct { uint32_t Length; const char *Buf; } String;
typedef struct ModuleDescriptor ModuleDescriptor;
struct ModuleDescriptor {
  const char *Name;
  const char *Description;
  void *(*Create)(const ModuleDescriptor *);
};
typedef struct {
  const char *Name;
  const char *Description;
  int Type;
  void *Storage;
  const void *DefaultValue;
} ProgramOption;
typedef struct {
  const char *Name;
  const char *Description;
  uint32_t APIVersion;
  struct { uint32_t Major, Minor, Patch, Build; } Version;
  uint32_t ModuleCount;
  uint32_t ProgramOptionCount;
  ModuleDescriptor *ModuleDescriptions;
  ProgramOption *ProgramOptions;
} PluginDescriptor;

/* Never called by the loader tests (see above). */
static void *create_module(const ModuleDescriptor *self) { (void)self; return NULL; }

static ModuleDescriptor modules[2] = {
  {"wedge_test_module_a", "the first test module", create_module},
#ifdef NULL_CREATE
  {"wedge_test_module_b", NULL, NULL},
#else
  {"wedge_test_module_b", NULL, create_module},
#endif
};

/* Option storage the runtime writes into; the test reads it back through the accessors below. */
static int32_t opt_level = -1;
static const int32_t opt_level_default = 3;
static bool opt_verbose = false;
static String opt_model = {0, NULL};
static double opt_ratio = 0.0;

static ProgramOption options[4] = {
#ifdef BAD_OPTION_TYPE
  {"wedge-test-level", "an int32", 99, &opt_level, &opt_level_default},
#else
  {"wedge-test-level", "an int32", 4 /* Int32 */, &opt_level, &opt_level_default},
#endif
  {"wedge-test-verbose", NULL, 1 /* Toggle */, &opt_verbose, NULL},
  {"wedge-test-model", "a string", 12 /* String */, &opt_model, NULL},
  {"wedge-test-ratio", "a double", 11 /* Double */, &opt_ratio, NULL},
};

static PluginDescriptor descriptor = {
#ifdef NULL_NAME
  .Name = NULL,
#else
  .Name = PLUGIN_NAME,
#endif
  .Description = "a plug-in for Wedge's loader tests",
  .APIVersion = API_VERSION,
  .Version = {1, 2, 3, 4},
  .ModuleCount = 2,
  .ProgramOptionCount = 4,
#ifdef COUNT_WITHOUT_ARRAY
  .ModuleDescriptions = NULL,
#else
  .ModuleDescriptions = modules,
#endif
  .ProgramOptions = options,
};

#if defined(CPP_ENTRY)
EXPORT const void *GetDescriptor(void) { return &descriptor; }
#elif !defined(NO_ENTRY)
EXPORT const PluginDescriptor *WasmEdge_Plugin_GetDescriptor(void) {
#ifdef NULL_DESCRIPTOR
  return NULL;
#else
  return &descriptor;
#endif
}
#endif

/* Accessors for the tests: what the runtime wrote into the option storage. */
EXPORT int32_t wedge_test_level(void) { return opt_level; }
EXPORT bool wedge_test_verbose(void) { return opt_verbose; }
EXPORT const char *wedge_test_model(uint32_t *length) { *length = opt_model.Length; return opt_model.Buf; }
EXPORT double wedge_test_ratio(void) { return opt_ratio; }
