/* Our stand-in for the SDK repository's examples/wasmedge-sys/data/test_crypto.wasm, which
 * wasmedge-sdk's `vm::tests::test_vmbuilder` runs with the wasi_crypto plug-in's
 * asymmetric_common, signatures and symmetric modules (and WASI) registered: it imports from
 * those three modules only. It signs and verifies a message with Ed25519 and hashes "abc" with
 * SHA-256 (FIPS 180-2's digest); it exits 0 when every step gives what it should, and with the
 * number of the failed step otherwise. Build: ./build.sh */
#include <stdio.h>
#include <string.h>

#include "../../../plugins/wasi_crypto/tests/guests/wasi_crypto.h"

#define CHECK(step, call)                                                      \
  do {                                                                         \
    crypto_errno e_ = (call);                                                  \
    if (e_ != ERRNO_SUCCESS) {                                                 \
      fprintf(stderr, "step %d: %s gave errno %d\n", step, #call, e_);          \
      return step;                                                             \
    }                                                                          \
  } while (0)

static const opt_handle none = {1, 0};

int main(void) {
  static const char ed25519[] = "Ed25519", sha256[] = "SHA-256", msg[] = "signed by a wasm guest";
  handle kp, pk, state, sig, verify, hash;
  CHECK(1, keypair_generate(ALG_SIGNATURES, ed25519, sizeof ed25519 - 1, &none, &kp));
  CHECK(2, keypair_publickey(kp, &pk));
  CHECK(3, signature_state_open(kp, &state));
  CHECK(4, signature_state_update(state, (const uint8_t *)msg, sizeof msg - 1));
  CHECK(5, signature_state_sign(state, &sig));
  CHECK(6, signature_verification_state_open(pk, &verify));
  CHECK(7, signature_verification_state_update(verify, (const uint8_t *)msg, sizeof msg - 1));
  CHECK(8, signature_verification_state_verify(verify, sig));
  CHECK(9, symmetric_state_open(sha256, sizeof sha256 - 1, &none, &none, &hash));
  CHECK(10, symmetric_state_absorb(hash, (const uint8_t *)"abc", 3));
  uint8_t digest[32];
  CHECK(11, symmetric_state_squeeze(hash, digest, sizeof digest));
  static const uint8_t expected[32] = {
      0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
      0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
  if (memcmp(digest, expected, sizeof digest) != 0) {
    fprintf(stderr, "step 12: SHA-256(\"abc\") is wrong\n");
    return 12;
  }
  printf("test_crypto: Ed25519 signature verified, SHA-256 digest right\n");
  return 0;
}
