/* The wasi-crypto (ephemeral) imports as WasmEdge 0.17.1 exposes them, declared by hand from
 * the witx types: every handle is an i32, every size a u32, every function returns the
 * crypto_errno as an i32. opt_options and opt_symmetric_key are 8 bytes: a u8 tag (0 some,
 * 1 none) and the i32 handle at offset 4. */
#ifndef WASI_CRYPTO_H
#define WASI_CRYPTO_H

#include <stdint.h>

typedef int32_t crypto_errno;
typedef int32_t handle;

typedef struct {
  uint8_t tag;
  handle some;
} opt_handle;

enum {
  ERRNO_SUCCESS = 0,
  ERRNO_NOT_IMPLEMENTED = 2,
  ERRNO_UNSUPPORTED_FEATURE = 3,
  ERRNO_UNSUPPORTED_ENCODING = 5,
  ERRNO_UNSUPPORTED_ALGORITHM = 6,
  ERRNO_UNSUPPORTED_OPTION = 7,
  ERRNO_INVALID_KEY = 8,
  ERRNO_INVALID_LENGTH = 9,
  ERRNO_VERIFICATION_FAILED = 10,
  ERRNO_ALGORITHM_FAILURE = 12,
  ERRNO_INVALID_SIGNATURE = 13,
  ERRNO_CLOSED = 14,
  ERRNO_INVALID_HANDLE = 15,
  ERRNO_OVERFLOW = 16,
  ERRNO_KEY_NOT_SUPPORTED = 19,
  ERRNO_KEY_REQUIRED = 20,
  ERRNO_INVALID_TAG = 21,
  ERRNO_INVALID_OPERATION = 22,
  ERRNO_NONCE_REQUIRED = 23,
  ERRNO_INVALID_NONCE = 24,
  ERRNO_OPTION_NOT_SET = 25,
};

enum { ALG_SIGNATURES = 0, ALG_SYMMETRIC = 1, ALG_KEY_EXCHANGE = 2 };
enum { KP_RAW = 0, KP_PKCS8 = 1, KP_PEM = 2, KP_LOCAL = 3 };
enum { KEY_RAW = 0, KEY_PKCS8 = 1, KEY_PEM = 2, KEY_SEC = 3, KEY_LOCAL = 4 };
enum { SIG_RAW = 0, SIG_DER = 1 };

#define IMPORT(module, name)                                                   \
  __attribute__((import_module("wasi_ephemeral_crypto_" module),               \
                 import_name(#name))) crypto_errno name

/* wasi_ephemeral_crypto_common (10) */
IMPORT("common", array_output_len)(handle out, uint32_t *size);
IMPORT("common", array_output_pull)(handle out, uint8_t *buf, uint32_t len, uint32_t *size);
IMPORT("common", options_open)(uint32_t alg_type, handle *options);
IMPORT("common", options_close)(handle options);
IMPORT("common", options_set)(handle options, const char *name, uint32_t name_len,
                              const uint8_t *value, uint32_t value_len);
IMPORT("common", options_set_u64)(handle options, const char *name, uint32_t name_len,
                                  uint64_t value);
IMPORT("common", options_set_guest_buffer)(handle options, const char *name,
                                           uint32_t name_len, uint8_t *buf, uint32_t len);
IMPORT("common", secrets_manager_open)(const opt_handle *options, handle *manager);
IMPORT("common", secrets_manager_close)(handle manager);
IMPORT("common", secrets_manager_invalidate)(handle manager, const uint8_t *key_id,
                                             uint32_t key_id_len, uint64_t version);

/* wasi_ephemeral_crypto_asymmetric_common (20) */
IMPORT("asymmetric_common", keypair_generate)(uint32_t alg_type, const char *alg,
                                              uint32_t alg_len, const opt_handle *options,
                                              handle *kp);
IMPORT("asymmetric_common", keypair_import)(uint32_t alg_type, const char *alg,
                                            uint32_t alg_len, const uint8_t *encoded,
                                            uint32_t encoded_len, uint32_t encoding,
                                            handle *kp);
IMPORT("asymmetric_common", keypair_generate_managed)(handle manager, uint32_t alg_type,
                                                      const char *alg, uint32_t alg_len,
                                                      const opt_handle *options, handle *kp);
IMPORT("asymmetric_common", keypair_store_managed)(handle manager, handle kp, uint8_t *kp_id,
                                                   uint32_t kp_id_max_len);
IMPORT("asymmetric_common", keypair_replace_managed)(handle manager, handle old_kp,
                                                     handle new_kp, uint64_t *version);
IMPORT("asymmetric_common", keypair_id)(handle kp, uint8_t *kp_id, uint32_t kp_id_max_len,
                                        uint32_t *size, uint64_t *version);
IMPORT("asymmetric_common", keypair_from_id)(handle manager, const uint8_t *kp_id,
                                             uint32_t kp_id_len, uint64_t version,
                                             handle *kp);
IMPORT("asymmetric_common", keypair_from_pk_and_sk)(handle pk, handle sk, handle *kp);
IMPORT("asymmetric_common", keypair_export)(handle kp, uint32_t encoding, handle *out);
IMPORT("asymmetric_common", keypair_publickey)(handle kp, handle *pk);
IMPORT("asymmetric_common", keypair_secretkey)(handle kp, handle *sk);
IMPORT("asymmetric_common", keypair_close)(handle kp);
IMPORT("asymmetric_common", publickey_import)(uint32_t alg_type, const char *alg,
                                              uint32_t alg_len, const uint8_t *encoded,
                                              uint32_t encoded_len, uint32_t encoding,
                                              handle *pk);
IMPORT("asymmetric_common", publickey_export)(handle pk, uint32_t encoding, handle *out);
IMPORT("asymmetric_common", publickey_verify)(handle pk);
IMPORT("asymmetric_common", publickey_from_secretkey)(handle sk, handle *pk);
IMPORT("asymmetric_common", publickey_close)(handle pk);
IMPORT("asymmetric_common", secretkey_import)(uint32_t alg_type, const char *alg,
                                              uint32_t alg_len, const uint8_t *encoded,
                                              uint32_t encoded_len, uint32_t encoding,
                                              handle *sk);
IMPORT("asymmetric_common", secretkey_export)(handle sk, uint32_t encoding, handle *out);
IMPORT("asymmetric_common", secretkey_close)(handle sk);

/* wasi_ephemeral_crypto_signatures (11) */
IMPORT("signatures", signature_export)(handle sig, uint32_t encoding, handle *out);
IMPORT("signatures", signature_import)(const char *alg, uint32_t alg_len,
                                       const uint8_t *encoded, uint32_t encoded_len,
                                       uint32_t encoding, handle *sig);
IMPORT("signatures", signature_state_open)(handle kp, handle *state);
IMPORT("signatures", signature_state_update)(handle state, const uint8_t *input,
                                             uint32_t input_len);
IMPORT("signatures", signature_state_sign)(handle state, handle *sig);
IMPORT("signatures", signature_state_close)(handle state);
IMPORT("signatures", signature_verification_state_open)(handle pk, handle *state);
IMPORT("signatures", signature_verification_state_update)(handle state, const uint8_t *input,
                                                          uint32_t input_len);
IMPORT("signatures", signature_verification_state_verify)(handle state, handle sig);
IMPORT("signatures", signature_verification_state_close)(handle state);
IMPORT("signatures", signature_close)(handle sig);

/* wasi_ephemeral_crypto_symmetric (28) */
IMPORT("symmetric", symmetric_key_generate)(const char *alg, uint32_t alg_len,
                                            const opt_handle *options, handle *key);
IMPORT("symmetric", symmetric_key_import)(const char *alg, uint32_t alg_len,
                                          const uint8_t *raw, uint32_t raw_len, handle *key);
IMPORT("symmetric", symmetric_key_export)(handle key, handle *out);
IMPORT("symmetric", symmetric_key_close)(handle key);
IMPORT("symmetric", symmetric_key_generate_managed)(handle manager, const char *alg,
                                                    uint32_t alg_len,
                                                    const opt_handle *options, handle *key);
IMPORT("symmetric", symmetric_key_store_managed)(handle manager, handle key, uint8_t *key_id,
                                                 uint32_t key_id_max_len);
IMPORT("symmetric", symmetric_key_replace_managed)(handle manager, handle old_key,
                                                   handle new_key, uint64_t *version);
IMPORT("symmetric", symmetric_key_id)(handle key, uint8_t *key_id, uint32_t key_id_max_len,
                                      uint32_t *size, uint64_t *version);
IMPORT("symmetric", symmetric_key_from_id)(handle manager, const uint8_t *key_id,
                                           uint32_t key_id_len, uint64_t version,
                                           handle *key);
IMPORT("symmetric", symmetric_state_open)(const char *alg, uint32_t alg_len,
                                          const opt_handle *key, const opt_handle *options,
                                          handle *state);
IMPORT("symmetric", symmetric_state_clone)(handle state, handle *copy);
IMPORT("symmetric", symmetric_state_options_get)(handle state, const char *name,
                                                 uint32_t name_len, uint8_t *value,
                                                 uint32_t value_max_len, uint32_t *size);
IMPORT("symmetric", symmetric_state_options_get_u64)(handle state, const char *name,
                                                     uint32_t name_len, uint64_t *value);
IMPORT("symmetric", symmetric_state_close)(handle state);
IMPORT("symmetric", symmetric_state_absorb)(handle state, const uint8_t *data, uint32_t len);
IMPORT("symmetric", symmetric_state_squeeze)(handle state, uint8_t *out, uint32_t len);
IMPORT("symmetric", symmetric_state_squeeze_tag)(handle state, handle *tag);
IMPORT("symmetric", symmetric_state_squeeze_key)(handle state, const char *alg,
                                                 uint32_t alg_len, handle *key);
IMPORT("symmetric", symmetric_state_max_tag_len)(handle state, uint32_t *len);
IMPORT("symmetric", symmetric_state_encrypt)(handle state, uint8_t *out, uint32_t out_len,
                                             const uint8_t *data, uint32_t data_len,
                                             uint32_t *size);
IMPORT("symmetric", symmetric_state_encrypt_detached)(handle state, uint8_t *out,
                                                      uint32_t out_len, const uint8_t *data,
                                                      uint32_t data_len, handle *tag);
IMPORT("symmetric", symmetric_state_decrypt)(handle state, uint8_t *out, uint32_t out_len,
                                             const uint8_t *data, uint32_t data_len,
                                             uint32_t *size);
IMPORT("symmetric", symmetric_state_decrypt_detached)(handle state, uint8_t *out,
                                                      uint32_t out_len, const uint8_t *data,
                                                      uint32_t data_len, const uint8_t *tag,
                                                      uint32_t tag_len, uint32_t *size);
IMPORT("symmetric", symmetric_state_ratchet)(handle state);
IMPORT("symmetric", symmetric_tag_len)(handle tag, uint32_t *len);
IMPORT("symmetric", symmetric_tag_pull)(handle tag, uint8_t *buf, uint32_t len,
                                        uint32_t *size);
IMPORT("symmetric", symmetric_tag_verify)(handle tag, const uint8_t *raw, uint32_t len);
IMPORT("symmetric", symmetric_tag_close)(handle tag);

/* wasi_ephemeral_crypto_kx (3) */
IMPORT("kx", kx_dh)(handle pk, handle sk, handle *shared);
IMPORT("kx", kx_encapsulate)(handle pk, handle *secret, handle *encapsulated);
IMPORT("kx", kx_decapsulate)(handle sk, const uint8_t *encapsulated, uint32_t len,
                             handle *secret);

#undef IMPORT
#endif
