/* Runs a script of storage operations given as arguments, through the WasmEdge 0.8 ABI
 * (module wasmedge_native, functions wasmedge_storage_*) or, after --ssvm, the SSVM 0.7 ABI
 * (module ssvm_native, functions ssvm_storage_*).
 *
 * Usage: storage.wasm [--ssvm] OP...
 *   uuid        createUUID into the current key; prints "uuid=KEY"
 *   key:K       the current key is K (32 characters)
 *   bs          beginStoreTx(current key)
 *   si32:N      storeI32(N)            si64:N   storeI64(N)
 *   es          endStoreTx             el       endLoadTx
 *   bl          beginLoadTx(current key)
 *   li32        loadI32, prints "i32=N"
 *   li64        loadI64, prints "i64=N"
 *   wait        prints "waiting", then reads stdin until it ends
 *   bad-key     beginLoadTx with the key's pointer at the last byte of memory (out of bounds)
 *   bench-store:N  N store transactions of 1 KiB each (128 storeI64) under N keys; prints
 *               "bench-store n=N ms=T"
 *   bench-load:N   loads those N values back (checking them); prints "bench-load n=N ms=T"
 * Each operation prints "OP ok" (stdout is flushed after each), and the guest exits 0 at the
 * end; an operation that traps ends the run there. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GUEST "storage"
#include "guest.h"

#define WASMEDGE(name) \
  __attribute__((import_module("wasmedge_native"), import_name("wasmedge_storage_" #name)))
#define SSVM(name) __attribute__((import_module("ssvm_native"), import_name("ssvm_storage_" #name)))

WASMEDGE(createUUID) void we_createUUID(char *key);
WASMEDGE(beginStoreTx) void we_beginStoreTx(const char *key);
WASMEDGE(beginLoadTx) void we_beginLoadTx(const char *key);
WASMEDGE(storeI32) void we_storeI32(int32_t v);
WASMEDGE(loadI32) int32_t we_loadI32(void);
WASMEDGE(storeI64) void we_storeI64(int64_t v);
WASMEDGE(loadI64) int64_t we_loadI64(void);
WASMEDGE(endStoreTx) void we_endStoreTx(void);
WASMEDGE(endLoadTx) void we_endLoadTx(void);

SSVM(createUUID) void ss_createUUID(char *key);
SSVM(beginStoreTx) void ss_beginStoreTx(const char *key);
SSVM(beginLoadTx) void ss_beginLoadTx(const char *key);
SSVM(storeI32) void ss_storeI32(int32_t v);
SSVM(loadI32) int32_t ss_loadI32(void);
SSVM(storeI64) void ss_storeI64(int64_t v);
SSVM(loadI64) int64_t ss_loadI64(void);
SSVM(endStoreTx) void ss_endStoreTx(void);
SSVM(endLoadTx) void ss_endLoadTx(void);

struct abi {
  void (*createUUID)(char *);
  void (*beginStoreTx)(const char *);
  void (*beginLoadTx)(const char *);
  void (*storeI32)(int32_t);
  int32_t (*loadI32)(void);
  void (*storeI64)(int64_t);
  int64_t (*loadI64)(void);
  void (*endStoreTx)(void);
  void (*endLoadTx)(void);
};

static const struct abi wasmedge = {we_createUUID, we_beginStoreTx, we_beginLoadTx,
                                    we_storeI32,   we_loadI32,      we_storeI64,
                                    we_loadI64,    we_endStoreTx,   we_endLoadTx};
static const struct abi ssvm = {ss_createUUID, ss_beginStoreTx, ss_beginLoadTx,
                                ss_storeI32,   ss_loadI32,      ss_storeI64,
                                ss_loadI64,    ss_endStoreTx,   ss_endLoadTx};

int main(int argc, char **argv) {
  const struct abi *abi = &wasmedge;
  char key[33] = {0};
  int i = 1;
  if (i < argc && strcmp(argv[i], "--ssvm") == 0) {
    abi = &ssvm;
    i++;
  }
  for (; i < argc; i++) {
    const char *op = argv[i];
    if (strcmp(op, "uuid") == 0) {
      memset(key, 'x', sizeof key);
      abi->createUUID(key);
      if (strlen(key) != 32) {
        fprintf(stderr, GUEST ": createUUID wrote %zu characters\n", strlen(key));
        return 1;
      }
      printf("uuid=%s\n", key);
    } else if (strncmp(op, "key:", 4) == 0) {
      if (strlen(op + 4) != 32) {
        fprintf(stderr, GUEST ": a key is 32 characters: %s\n", op + 4);
        return 2;
      }
      memcpy(key, op + 4, 32);
    } else if (strcmp(op, "bs") == 0) {
      abi->beginStoreTx(key);
    } else if (strncmp(op, "si32:", 5) == 0) {
      abi->storeI32((int32_t)strtol(op + 5, NULL, 10));
    } else if (strncmp(op, "si64:", 5) == 0) {
      abi->storeI64((int64_t)strtoll(op + 5, NULL, 10));
    } else if (strcmp(op, "es") == 0) {
      abi->endStoreTx();
    } else if (strcmp(op, "bl") == 0) {
      abi->beginLoadTx(key);
    } else if (strcmp(op, "li32") == 0) {
      printf("i32=%d\n", (int)abi->loadI32());
    } else if (strcmp(op, "li64") == 0) {
      printf("i64=%lld\n", (long long)abi->loadI64());
    } else if (strcmp(op, "el") == 0) {
      abi->endLoadTx();
    } else if (strcmp(op, "wait") == 0) {
      printf("waiting\n");
      fflush(stdout);
      while (getchar() != EOF) {
      }
    } else if (strcmp(op, "bad-key") == 0) {
      size_t end = __builtin_wasm_memory_size(0) * 65536;
      abi->beginLoadTx((const char *)(end - 1));
    } else if (strncmp(op, "bench-store:", 12) == 0 || strncmp(op, "bench-load:", 11) == 0) {
      int store = op[6] == 's';
      long n = strtol(strchr(op, ':') + 1, NULL, 10);
      double start = guest_now_ms();
      for (long t = 0; t < n; t++) {
        snprintf(key, sizeof key, "bench%027ld", t);
        if (store) {
          abi->beginStoreTx(key);
          for (int v = 0; v < 128; v++) abi->storeI64((int64_t)t * 128 + v);
          abi->endStoreTx();
        } else {
          abi->beginLoadTx(key);
          for (int v = 0; v < 128; v++) {
            if (abi->loadI64() != (int64_t)t * 128 + v) {
              fprintf(stderr, GUEST ": value %d of transaction %ld differs\n", v, t);
              return 1;
            }
          }
          abi->endLoadTx();
        }
      }
      printf("%s n=%ld ms=%.1f\n", store ? "bench-store" : "bench-load", n, guest_now_ms() - start);
    } else {
      fprintf(stderr, GUEST ": unknown operation %s\n", op);
      return 2;
    }
    printf("%s ok\n", op);
    fflush(stdout);
  }
  return 0;
}
