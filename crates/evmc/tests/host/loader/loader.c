/* The EVMC loader's documented behaviour, for Wedge's tests: open the library, look for the
 * create function named after the file (`evmc_create_` + the file name without its directory,
 * a leading "lib" and everything from the first '.', with '-' as '_'), else `evmc_create`;
 * create the VM and refuse one whose ABI version is not the host's. */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include <evmc/evmc.h>
#include <evmc/loader.h>

static char last_error[1024];
static int has_error;

static enum evmc_loader_error_code fail(enum evmc_loader_error_code code, const char *what,
                                        const char *detail) {
  snprintf(last_error, sizeof last_error, "%s%s", what, detail ? detail : "");
  has_error = 1;
  return code;
}

const char *evmc_last_error_msg(void) {
  if (!has_error) return NULL;
  has_error = 0;
  return last_error;
}

evmc_create_fn evmc_load(const char *filename, enum evmc_loader_error_code *error_code) {
  enum evmc_loader_error_code ec = EVMC_LOADER_SUCCESS;
  evmc_create_fn create = NULL;
  has_error = 0;
  if (!filename || !*filename || strlen(filename) > 4096) {
    ec = fail(EVMC_LOADER_INVALID_ARGUMENT, "invalid argument: bad file name", NULL);
    goto out;
  }
  void *handle = dlopen(filename, RTLD_LAZY);
  if (!handle) {
    ec = fail(EVMC_LOADER_CANNOT_OPEN, "cannot open: ", dlerror());
    goto out;
  }
  const char *base = strrchr(filename, '/');
  base = base ? base + 1 : filename;
  if (strncmp(base, "lib", 3) == 0) base += 3;
  char name[4200] = "evmc_create_";
  size_t at = strlen(name);
  for (; *base && *base != '.' && at + 1 < sizeof name; base++) name[at++] = *base == '-' ? '_' : *base;
  name[at] = 0;
  *(void **)&create = dlsym(handle, name);
  if (!create) *(void **)&create = dlsym(handle, "evmc_create");
  if (!create) {
    dlclose(handle);
    ec = fail(EVMC_LOADER_SYMBOL_NOT_FOUND, "EVMC create function not found in ", filename);
  }
out:
  if (error_code) *error_code = ec;
  return create;
}

struct evmc_vm *evmc_load_and_create(const char *filename,
                                     enum evmc_loader_error_code *error_code) {
  evmc_create_fn create = evmc_load(filename, error_code);
  if (!create) return NULL;
  struct evmc_vm *vm = create();
  if (!vm) {
    enum evmc_loader_error_code ec =
        fail(EVMC_LOADER_VM_CREATION_FAILURE, "creating the VM failed", NULL);
    if (error_code) *error_code = ec;
    return NULL;
  }
  if (vm->abi_version != EVMC_ABI_VERSION) {
    char detail[64];
    snprintf(detail, sizeof detail, "%d, expected %d", vm->abi_version, EVMC_ABI_VERSION);
    enum evmc_loader_error_code ec =
        fail(EVMC_LOADER_ABI_VERSION_MISMATCH, "EVMC ABI version mismatch: ", detail);
    vm->destroy(vm);
    if (error_code) *error_code = ec;
    return NULL;
  }
  if (error_code) *error_code = EVMC_LOADER_SUCCESS;
  return vm;
}
