/* EVMC's C ABI, as the test host needs it, declared for ABI 12 (current EVMC) or, with
 * -DWEDGE_EVMC_ABI=7, for ABI 7 (WasmEdge-EVMC's). Written for Wedge's tests from the ABI's
 * published definition; the host compiles unchanged against EVMC's own evmc.h of either
 * version (scripts/evmc.sh does that). */
#ifndef EVMC_H
#define EVMC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef WEDGE_EVMC_ABI
#define WEDGE_EVMC_ABI 12
#endif

enum { EVMC_ABI_VERSION = WEDGE_EVMC_ABI };

typedef struct evmc_bytes32 { uint8_t bytes[32]; } evmc_bytes32;
typedef struct evmc_bytes32 evmc_uint256be;
typedef struct evmc_address { uint8_t bytes[20]; } evmc_address;

enum evmc_call_kind {
  EVMC_CALL = 0,
  EVMC_DELEGATECALL = 1,
  EVMC_CALLCODE = 2,
  EVMC_CREATE = 3,
  EVMC_CREATE2 = 4
};

enum evmc_flags { EVMC_STATIC = 1 };

struct evmc_message {
  enum evmc_call_kind kind;
  uint32_t flags;
  int32_t depth;
  int64_t gas;
#if WEDGE_EVMC_ABI >= 10
  evmc_address recipient;
#else
  evmc_address destination;
#endif
  evmc_address sender;
  const uint8_t *input_data;
  size_t input_size;
  evmc_uint256be value;
  evmc_bytes32 create2_salt;
#if WEDGE_EVMC_ABI >= 10
  evmc_address code_address;
  const uint8_t *code;
  size_t code_size;
#endif
};

struct evmc_tx_context {
  evmc_uint256be tx_gas_price;
  evmc_address tx_origin;
  evmc_address block_coinbase;
  int64_t block_number;
  int64_t block_timestamp;
  int64_t block_gas_limit;
#if WEDGE_EVMC_ABI >= 10
  evmc_uint256be block_prev_randao;
#else
  evmc_uint256be block_difficulty;
#endif
  evmc_uint256be chain_id;
#if WEDGE_EVMC_ABI >= 10
  evmc_uint256be block_base_fee;
  evmc_uint256be blob_base_fee;
  const evmc_bytes32 *blob_hashes;
  size_t blob_hashes_count;
  const void *initcodes;
  size_t initcodes_count;
#endif
};

enum evmc_status_code {
  EVMC_SUCCESS = 0,
  EVMC_FAILURE = 1,
  EVMC_REVERT = 2,
  EVMC_OUT_OF_GAS = 3,
  EVMC_CONTRACT_VALIDATION_FAILURE = 13,
  EVMC_WASM_UNREACHABLE_INSTRUCTION = 15,
  EVMC_WASM_TRAP = 16,
  EVMC_INTERNAL_ERROR = -1
};

struct evmc_result;
typedef void (*evmc_release_result_fn)(const struct evmc_result *result);

struct evmc_result {
  enum evmc_status_code status_code;
  int64_t gas_left;
#if WEDGE_EVMC_ABI >= 10
  int64_t gas_refund;
#endif
  const uint8_t *output_data;
  size_t output_size;
  evmc_release_result_fn release;
  evmc_address create_address;
  uint8_t padding[4];
};

struct evmc_host_context;

enum evmc_storage_status { EVMC_STORAGE_ASSIGNED = 0 };
enum evmc_access_status { EVMC_ACCESS_COLD = 0, EVMC_ACCESS_WARM = 1 };

struct evmc_host_interface {
  bool (*account_exists)(struct evmc_host_context *, const evmc_address *);
  evmc_bytes32 (*get_storage)(struct evmc_host_context *, const evmc_address *,
                              const evmc_bytes32 *);
  enum evmc_storage_status (*set_storage)(struct evmc_host_context *, const evmc_address *,
                                          const evmc_bytes32 *, const evmc_bytes32 *);
  evmc_uint256be (*get_balance)(struct evmc_host_context *, const evmc_address *);
  size_t (*get_code_size)(struct evmc_host_context *, const evmc_address *);
  evmc_bytes32 (*get_code_hash)(struct evmc_host_context *, const evmc_address *);
  size_t (*copy_code)(struct evmc_host_context *, const evmc_address *, size_t, uint8_t *,
                      size_t);
#if WEDGE_EVMC_ABI >= 9
  bool (*selfdestruct)(struct evmc_host_context *, const evmc_address *, const evmc_address *);
#else
  void (*selfdestruct)(struct evmc_host_context *, const evmc_address *, const evmc_address *);
#endif
  struct evmc_result (*call)(struct evmc_host_context *, const struct evmc_message *);
  struct evmc_tx_context (*get_tx_context)(struct evmc_host_context *);
  evmc_bytes32 (*get_block_hash)(struct evmc_host_context *, int64_t);
  void (*emit_log)(struct evmc_host_context *, const evmc_address *, const uint8_t *, size_t,
                   const evmc_bytes32 topics[], size_t);
#if WEDGE_EVMC_ABI >= 10
  enum evmc_access_status (*access_account)(struct evmc_host_context *, const evmc_address *);
  enum evmc_access_status (*access_storage)(struct evmc_host_context *, const evmc_address *,
                                            const evmc_bytes32 *);
  evmc_bytes32 (*get_transient_storage)(struct evmc_host_context *, const evmc_address *,
                                        const evmc_bytes32 *);
  void (*set_transient_storage)(struct evmc_host_context *, const evmc_address *,
                                const evmc_bytes32 *, const evmc_bytes32 *);
#endif
};

enum evmc_revision { EVMC_MAX_REVISION = 8 };
enum evmc_capabilities { EVMC_CAPABILITY_EWASM = 1u << 1 };
typedef uint32_t evmc_capabilities_flagset;
enum evmc_set_option_result { EVMC_SET_OPTION_SUCCESS = 0, EVMC_SET_OPTION_INVALID_NAME = 1 };

struct evmc_vm;
struct evmc_vm {
  const int abi_version;
  const char *name;
  const char *version;
  void (*destroy)(struct evmc_vm *);
  struct evmc_result (*execute)(struct evmc_vm *, const struct evmc_host_interface *,
                                struct evmc_host_context *, enum evmc_revision,
                                const struct evmc_message *, const uint8_t *, size_t);
  evmc_capabilities_flagset (*get_capabilities)(struct evmc_vm *);
  enum evmc_set_option_result (*set_option)(struct evmc_vm *, const char *, const char *);
};

#endif
