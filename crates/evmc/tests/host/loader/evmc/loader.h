/* EVMC's loader API (evmc/loader.h), as the test host uses it. Wedge's tests implement it in
 * loader.c from its documentation; scripts/evmc.sh can build the host with EVMC's own loader
 * instead. */
#ifndef EVMC_LOADER_H
#define EVMC_LOADER_H

struct evmc_vm;

enum evmc_loader_error_code {
  EVMC_LOADER_SUCCESS = 0,
  EVMC_LOADER_CANNOT_OPEN = 1,
  EVMC_LOADER_SYMBOL_NOT_FOUND = 2,
  EVMC_LOADER_INVALID_ARGUMENT = 3,
  EVMC_LOADER_VM_CREATION_FAILURE = 4,
  EVMC_LOADER_ABI_VERSION_MISMATCH = 5,
  EVMC_LOADER_UNSPECIFIED_ERROR = -1
};

typedef struct evmc_vm *(*evmc_create_fn)(void);

evmc_create_fn evmc_load(const char *filename, enum evmc_loader_error_code *error_code);
struct evmc_vm *evmc_load_and_create(const char *filename,
                                     enum evmc_loader_error_code *error_code);
const char *evmc_last_error_msg(void);

#endif
