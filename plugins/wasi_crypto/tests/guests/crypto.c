/* Runs wasi-crypto from wasm. Modes:
 *   vectors   published test vectors and round trips of every algorithm family
 *   errors    WasmEdge's errno for unknown handles, double closes, small buffers, pointers
 *             and lengths past memory, and every one of the 72 functions on unknown handles
 *   bench N   SHA-256 and AES-256-GCM of a 1 MiB buffer, N times each, with timings
 * Prints one line per check and "failures: N"; exits with the number of failures. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wasi_crypto.h"

static int failures;

static const opt_handle NONE = {1, 0};
static opt_handle some(handle h) {
  opt_handle o = {0, h};
  return o;
}

static void result(const char *name, int ok) {
  printf("%s: %s\n", name, ok ? "ok" : "FAIL");
  if (!ok)
    failures++;
}

/* A call that must succeed; on failure reports and returns from the caller. */
#define CK(name, expr)                                                         \
  do {                                                                         \
    crypto_errno e_ = (expr);                                                  \
    if (e_ != 0) {                                                             \
      printf("%s: FAIL (%s -> errno %d)\n", name, #expr, (int)e_);             \
      failures++;                                                              \
      return;                                                                  \
    }                                                                          \
  } while (0)

static size_t unhex(const char *hex, uint8_t *out) {
  size_t n = 0;
  for (const char *p = hex; p[0] && p[1]; p += 2) {
    unsigned v;
    sscanf(p, "%2x", &v);
    out[n++] = (uint8_t)v;
  }
  return n;
}

static int same_hex(const uint8_t *b, size_t n, const char *hex) {
  uint8_t want[512];
  size_t m = unhex(hex, want);
  return m == n && memcmp(b, want, n) == 0;
}

/* Reads a whole array output into buf; its length, or -1. */
static long pull_all(handle out, uint8_t *buf, uint32_t cap) {
  uint32_t len, got;
  if (array_output_len(out, &len) || len > cap)
    return -1;
  if (array_output_pull(out, buf, len, &got) || got != len)
    return -1;
  return len;
}

#define S(str) str, (uint32_t)strlen(str)

/* ---- symmetric ---- */

static void hash(const char *name, const char *alg, const char *msg, const char *want) {
  handle st;
  uint8_t out[64];
  size_t n = strlen(want) / 2;
  CK(name, symmetric_state_open(S(alg), &NONE, &NONE, &st));
  CK(name, symmetric_state_absorb(st, (const uint8_t *)msg, 1));
  CK(name, symmetric_state_absorb(st, (const uint8_t *)msg + 1, strlen(msg) - 1));
  CK(name, symmetric_state_squeeze(st, out, n));
  CK(name, symmetric_state_close(st));
  result(name, same_hex(out, n, want));
}

static void hmac(const char *name, const char *alg, const char *key, const char *msg,
                 const char *want) {
  handle k, st, tag;
  uint8_t out[64], raw[64];
  uint32_t len, got;
  CK(name, symmetric_key_import(S(alg), (const uint8_t *)key, strlen(key), &k));
  opt_handle ok = some(k);
  CK(name, symmetric_state_open(S(alg), &ok, &NONE, &st));
  CK(name, symmetric_state_absorb(st, (const uint8_t *)msg, strlen(msg)));
  CK(name, symmetric_state_squeeze_tag(st, &tag));
  CK(name, symmetric_tag_len(tag, &len));
  CK(name, symmetric_tag_pull(tag, out, len, &got));
  size_t n = unhex(want, raw);
  CK(name, symmetric_tag_verify(tag, raw, n));
  CK(name, symmetric_tag_close(tag));
  CK(name, symmetric_state_close(st));
  CK(name, symmetric_key_close(k));
  result(name, got == n && same_hex(out, got, want));
}

static void hkdf(void) {
  const char *name = "HKDF-SHA-256 (RFC 5869 case 1)";
  uint8_t ikm[22], salt[13], info[10], okm[42];
  memset(ikm, 0x0b, sizeof ikm);
  for (int i = 0; i < 13; i++)
    salt[i] = (uint8_t)i;
  for (int i = 0; i < 10; i++)
    info[i] = (uint8_t)(0xf0 + i);
  handle ikm_key, extract, prk, expand;
  CK(name, symmetric_key_import(S("HKDF-EXTRACT/SHA-256"), ikm, sizeof ikm, &ikm_key));
  opt_handle k = some(ikm_key);
  CK(name, symmetric_state_open(S("HKDF-EXTRACT/SHA-256"), &k, &NONE, &extract));
  CK(name, symmetric_state_absorb(extract, salt, sizeof salt));
  CK(name, symmetric_state_squeeze_key(extract, S("HKDF-EXPAND/SHA-256"), &prk));
  handle out;
  uint8_t prk_bytes[32];
  CK(name, symmetric_key_export(prk, &out));
  long prk_len = pull_all(out, prk_bytes, sizeof prk_bytes);
  opt_handle p = some(prk);
  CK(name, symmetric_state_open(S("HKDF-EXPAND/SHA-256"), &p, &NONE, &expand));
  CK(name, symmetric_state_absorb(expand, info, sizeof info));
  CK(name, symmetric_state_squeeze(expand, okm, sizeof okm));
  result(name,
         prk_len == 32 &&
             same_hex(prk_bytes, 32,
                      "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5") &&
             same_hex(okm, 42,
                      "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
                      "34007208d5b887185865"));
}

static void aead(const char *name, const char *alg, const char *key_hex, const char *nonce_hex,
                 const char *aad_hex, const char *plain_hex, const char *want_hex) {
  static uint8_t key[32], nonce[12], aad[64], plain[256], sealed[272], opened[256];
  size_t key_len = unhex(key_hex, key), aad_len = unhex(aad_hex, aad);
  size_t plain_len = unhex(plain_hex, plain);
  unhex(nonce_hex, nonce);
  handle k, options, st;
  uint32_t size;
  CK(name, symmetric_key_import(S(alg), key, key_len, &k));
  CK(name, options_open(ALG_SYMMETRIC, &options));
  CK(name, options_set(options, S("nonce"), nonce, sizeof nonce));
  opt_handle ok = some(k), oo = some(options);
  CK(name, symmetric_state_open(S(alg), &ok, &oo, &st));
  CK(name, symmetric_state_absorb(st, aad, aad_len));
  CK(name, symmetric_state_encrypt(st, sealed, plain_len + 16, plain, plain_len, &size));
  CK(name, symmetric_state_close(st));
  int ok_seal = size == plain_len + 16 && same_hex(sealed, size, want_hex);
  CK(name, symmetric_state_open(S(alg), &ok, &oo, &st));
  CK(name, symmetric_state_absorb(st, aad, aad_len));
  CK(name, symmetric_state_decrypt(st, opened, plain_len, sealed, plain_len + 16, &size));
  CK(name, symmetric_state_close(st));
  int ok_open = size == plain_len && memcmp(opened, plain, plain_len) == 0;
  /* Detached: the same ciphertext and tag. */
  handle tag;
  uint8_t tag_bytes[16];
  CK(name, symmetric_state_open(S(alg), &ok, &oo, &st));
  CK(name, symmetric_state_absorb(st, aad, aad_len));
  CK(name, symmetric_state_encrypt_detached(st, opened, plain_len, plain, plain_len, &tag));
  CK(name, symmetric_tag_pull(tag, tag_bytes, 16, &size));
  CK(name, symmetric_state_close(st));
  int ok_detached = memcmp(opened, sealed, plain_len) == 0 &&
                    memcmp(tag_bytes, sealed + plain_len, 16) == 0;
  CK(name, symmetric_tag_close(tag));
  CK(name, options_close(options));
  CK(name, symmetric_key_close(k));
  result(name, ok_seal && ok_open && ok_detached);
}

/* ---- signatures ---- */

/* Signs msg with the key pair imported from kp_hex (raw encoding); compares the raw signature
 * with want_hex when given; verifies it with the key pair's public key. */
static void sign(const char *name, const char *alg, const char *kp_hex, const char *msg_hex,
                 const char *want_hex) {
  static uint8_t kp_raw[128], msg[256], sig_raw[128];
  size_t kp_len = unhex(kp_hex, kp_raw), msg_len = unhex(msg_hex, msg);
  handle kp, st, sig, out, pk, vst, sig2;
  CK(name, keypair_import(ALG_SIGNATURES, S(alg), kp_raw, kp_len, KP_RAW, &kp));
  CK(name, signature_state_open(kp, &st));
  CK(name, signature_state_update(st, msg, msg_len));
  CK(name, signature_state_sign(st, &sig));
  CK(name, signature_export(sig, SIG_RAW, &out));
  long sig_len = pull_all(out, sig_raw, sizeof sig_raw);
  int ok_sig = want_hex == NULL || (sig_len > 0 && same_hex(sig_raw, sig_len, want_hex));
  CK(name, keypair_publickey(kp, &pk));
  CK(name, signature_import(S(alg), sig_raw, sig_len, SIG_RAW, &sig2));
  CK(name, signature_verification_state_open(pk, &vst));
  CK(name, signature_verification_state_update(vst, msg, msg_len));
  CK(name, signature_verification_state_verify(vst, sig2));
  /* One more byte: the same signature no longer verifies. */
  CK(name, signature_verification_state_update(vst, (const uint8_t *)"!", 1));
  int ok_fail = signature_verification_state_verify(vst, sig2) == ERRNO_VERIFICATION_FAILED;
  CK(name, signature_verification_state_close(vst));
  CK(name, signature_close(sig));
  CK(name, signature_close(sig2));
  CK(name, signature_state_close(st));
  CK(name, publickey_close(pk));
  CK(name, keypair_close(kp));
  result(name, ok_sig && ok_fail);
}

/* Generates a key pair, signs and verifies "test" twice over. */
static void round_trip(const char *alg) {
  char name[64];
  snprintf(name, sizeof name, "%s generate/sign/verify", alg);
  handle kp, st, sig, pk, vst;
  CK(name, keypair_generate(ALG_SIGNATURES, S(alg), &NONE, &kp));
  CK(name, signature_state_open(kp, &st));
  CK(name, signature_state_update(st, (const uint8_t *)"test", 4));
  CK(name, signature_state_update(st, (const uint8_t *)"test", 4));
  CK(name, signature_state_sign(st, &sig));
  CK(name, keypair_publickey(kp, &pk));
  CK(name, signature_verification_state_open(pk, &vst));
  CK(name, signature_verification_state_update(vst, (const uint8_t *)"testtest", 8));
  CK(name, signature_verification_state_verify(vst, sig));
  CK(name, signature_verification_state_close(vst));
  CK(name, signature_state_close(st));
  CK(name, signature_close(sig));
  CK(name, publickey_close(pk));
  CK(name, keypair_close(kp));
  result(name, 1);
}

static void p256_public_key_encodings(void) {
  const char *name = "ECDSA_P256_SHA256 public key sec/pkcs8/pem";
  uint8_t sk[32], buf[256];
  unhex("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721", sk);
  handle skh, pk, out, pk2;
  CK(name, secretkey_import(ALG_SIGNATURES, S("ECDSA_P256_SHA256"), sk, 32, KEY_RAW, &skh));
  CK(name, publickey_from_secretkey(skh, &pk));
  CK(name, publickey_export(pk, KEY_SEC, &out));
  long n = pull_all(out, buf, sizeof buf);
  int ok_sec = n == 65 && same_hex(buf, 65,
                                   "0460FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6"
                                   "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299");
  CK(name, publickey_export(pk, KEY_PEM, &out));
  n = pull_all(out, buf, sizeof buf - 1);
  buf[n > 0 ? n : 0] = 0;
  int ok_pem = strstr((char *)buf, "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEYP7UuiVanTHJYet0xjVtaMBJuJI7") != NULL;
  CK(name, publickey_import(ALG_SIGNATURES, S("ECDSA_P256_SHA256"), buf, n, KEY_PEM, &pk2));
  CK(name, publickey_export(pk2, KEY_PKCS8, &out));
  n = pull_all(out, buf, sizeof buf);
  int ok_der = n == 91 && buf[0] == 0x30;
  CK(name, publickey_close(pk2));
  CK(name, publickey_close(pk));
  CK(name, secretkey_close(skh));
  result(name, ok_sec && ok_pem && ok_der);
}

/* ---- key exchange ---- */

static void x25519(void) {
  const char *name = "X25519 (RFC 7748 6.1)";
  uint8_t a_sk[32], b_pk[32], shared[32];
  unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", a_sk);
  unhex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", b_pk);
  handle sk, pk, out;
  CK(name, secretkey_import(ALG_KEY_EXCHANGE, S("X25519"), a_sk, 32, KEY_RAW, &sk));
  CK(name, publickey_import(ALG_KEY_EXCHANGE, S("X25519"), b_pk, 32, KEY_RAW, &pk));
  CK(name, kx_dh(pk, sk, &out));
  long n = pull_all(out, shared, sizeof shared);
  CK(name, publickey_close(pk));
  CK(name, secretkey_close(sk));
  result(name, n == 32 && same_hex(shared, 32,
                                   "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"));
}

static void kx_agree(const char *alg, long want_len) {
  char name[64];
  snprintf(name, sizeof name, "%s key exchange", alg);
  handle a, b, apk, ask, bpk, bsk, ab, ba;
  uint8_t s1[64], s2[64];
  CK(name, keypair_generate(ALG_KEY_EXCHANGE, S(alg), &NONE, &a));
  CK(name, keypair_generate(ALG_KEY_EXCHANGE, S(alg), &NONE, &b));
  CK(name, keypair_publickey(a, &apk));
  CK(name, keypair_secretkey(a, &ask));
  CK(name, keypair_publickey(b, &bpk));
  CK(name, keypair_secretkey(b, &bsk));
  CK(name, kx_dh(bpk, ask, &ab));
  CK(name, kx_dh(apk, bsk, &ba));
  long n1 = pull_all(ab, s1, sizeof s1), n2 = pull_all(ba, s2, sizeof s2);
  result(name, n1 == want_len && n2 == want_len && memcmp(s1, s2, n1) == 0);
}

static int vectors(void) {
  hash("SHA-256 (FIPS 180 abc)", "SHA-256", "abc",
       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  hash("SHA-512 (FIPS 180 abc)", "SHA-512", "abc",
       "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
       "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  hash("SHA-512/256 (FIPS 180 abc)", "SHA-512/256", "abc",
       "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23");
  hmac("HMAC/SHA-256 (RFC 4231 case 2)", "HMAC/SHA-256", "Jefe", "what do ya want for nothing?",
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  hmac("HMAC/SHA-512 (RFC 4231 case 2)", "HMAC/SHA-512", "Jefe", "what do ya want for nothing?",
       "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
       "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
  hkdf();
  aead("AES-128-GCM (GCM spec case 4)", "AES-128-GCM", "feffe9928665731c6d6a8f9467308308",
       "cafebabefacedbaddecaf888", "feedfacedeadbeeffeedfacedeadbeefabaddad2",
       "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
       "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
       "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
       "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"
       "5bc94fbc3221a5db94fae95ae7121a47");
  aead("AES-256-GCM (GCM spec case 16)", "AES-256-GCM",
       "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
       "cafebabefacedbaddecaf888", "feedfacedeadbeeffeedfacedeadbeefabaddad2",
       "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
       "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
       "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
       "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"
       "76fc6ece0f4e1768cddf8853bb2d551b");
  aead("CHACHA20-POLY1305 (RFC 8439 2.8.2)", "CHACHA20-POLY1305",
       "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
       "070000004041424344454647", "50515253c0c1c2c3c4c5c6c7",
       "4c616469657320616e642047656e746c656d656e206f662074686520636c6173"
       "73206f66202739393a204966204920636f756c64206f6666657220796f75206f"
       "6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73"
       "637265656e20776f756c642062652069742e",
       "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
       "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
       "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
       "3ff4def08e4b7a9de576d26586cec64b6116"
       "1ae10b594f09e26a7e902ecbd0600691");
  sign("Ed25519 (RFC 8032 test 2)", "Ed25519",
       "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"
       "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
       "72",
       "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
       "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
  sign("ECDSA_P256_SHA256 (RFC 6979 A.2.5 sample)", "ECDSA_P256_SHA256",
       "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721", "73616d706c65",
       "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716"
       "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8");
  sign("ECDSA_P384_SHA384 (RFC 6979 A.2.6 sample)", "ECDSA_P384_SHA384",
       "6B9D3DAD2E1B8C1C05B19875B6659F4DE23C3B667BF297BA9AA47740787137D8"
       "96D5724E4C70A825F872C9EA60D2EDF5",
       "73616d706c65",
       "94EDBB92A5ECB8AAD4736E56C691916B3F88140666CE9FA73D64C4EA95AD133C"
       "81A648152E44ACF96E36DD1E80FABE46"
       "99EF4AEB15F178CEA1FE40DB2603138F130E740A19624526203B6351D0A3A94F"
       "A329C145786E679E7B82C71A38628AC8");
  sign("ECDSA_K256_SHA256 sign/verify", "ECDSA_K256_SHA256",
       "b9aa5c28ef96d750e47f4ba44d5d6a7ac3ab6988d292e7819e362a4b0ac8e250", "616263", NULL);
  p256_public_key_encodings();
  round_trip("ECDSA_P256_SHA256");
  round_trip("Ed25519");
  round_trip("RSA_PKCS1_2048_SHA256");
  round_trip("RSA_PSS_2048_SHA256");
  x25519();
  kx_agree("X25519", 32);
  kx_agree("P256-SHA256", 32);
  kx_agree("P384-SHA384", 48);
  printf("failures: %d\n", failures);
  return failures;
}

/* ---- errors ---- */

static void want(const char *name, crypto_errno got, crypto_errno expected) {
  printf("%s: errno %d: %s\n", name, (int)got, got == expected ? "ok" : "FAIL");
  if (got != expected)
    failures++;
}

/* Far past any memory this guest has (it never grows past a few MiB). */
#define FAR ((void *)0xFFFFFF00u)
#define HUGE 0xFFFFFFFFu

static int errors(void) {
  handle h, k, st, tag, options, kp, pk, sk, sig, out;
  uint32_t size;
  uint8_t buf[64];
  uint64_t v;
  memset(buf, 0, sizeof buf);

  /* Unknown handles. */
  want("absorb into an unknown state", symmetric_state_absorb(9999, buf, 1), ERRNO_INVALID_HANDLE);
  want("array_output_len of an unknown output", array_output_len(12345, &size), ERRNO_INVALID_HANDLE);
  want("signature_state_open of an unknown key pair", signature_state_open(0x7fffff05, &h),
       ERRNO_INVALID_HANDLE);
  want("options_close of an unknown handle", options_close(0x7fffffff), ERRNO_CLOSED);

  /* Double closes. */
  options_open(ALG_SYMMETRIC, &options);
  want("options_close", options_close(options), ERRNO_SUCCESS);
  want("options_close again", options_close(options), ERRNO_CLOSED);
  want("options_set on a closed handle", options_set(options, S("nonce"), buf, 12),
       ERRNO_INVALID_HANDLE);
  symmetric_key_generate(S("HMAC/SHA-256"), &NONE, &k);
  opt_handle ok = some(k);
  symmetric_state_open(S("HMAC/SHA-256"), &ok, &NONE, &st);
  want("symmetric_key_close", symmetric_key_close(k), ERRNO_SUCCESS);
  want("symmetric_key_close again", symmetric_key_close(k), ERRNO_CLOSED);
  want("state keeps its key after the key is closed", symmetric_state_absorb(st, buf, 3),
       ERRNO_SUCCESS);
  symmetric_state_squeeze_tag(st, &tag);
  keypair_generate(ALG_SIGNATURES, S("Ed25519"), &NONE, &kp);
  keypair_publickey(kp, &pk);
  keypair_secretkey(kp, &sk);
  want("keypair_close", keypair_close(kp), ERRNO_SUCCESS);
  want("keypair_close again (WasmEdge: algorithm_failure)", keypair_close(kp), ERRNO_ALGORITHM_FAILURE);
  want("secretkey_close", secretkey_close(sk), ERRNO_SUCCESS);
  want("secretkey_close again (WasmEdge: algorithm_failure)", secretkey_close(sk),
       ERRNO_ALGORITHM_FAILURE);
  want("publickey_close", publickey_close(pk), ERRNO_SUCCESS);
  want("publickey_close again", publickey_close(pk), ERRNO_CLOSED);
  want("publickey_export of a closed key", publickey_export(pk, KEY_RAW, &out), ERRNO_INVALID_HANDLE);

  /* Buffers of the wrong size. */
  want("tag pull into 31 bytes", symmetric_tag_pull(tag, buf, 31, &size), ERRNO_OVERFLOW);
  want("tag pull into 33 bytes", symmetric_tag_pull(tag, buf, 33, &size), ERRNO_INVALID_LENGTH);
  want("tag pull into 32 bytes", symmetric_tag_pull(tag, buf, 32, &size), ERRNO_SUCCESS);
  want("tag verify with 16 of its 32 bytes", symmetric_tag_verify(tag, buf, 16), ERRNO_INVALID_TAG);
  want("tag verify with all 32", symmetric_tag_verify(tag, buf, 32), ERRNO_SUCCESS);
  buf[0] ^= 1;
  want("tag verify with a wrong byte", symmetric_tag_verify(tag, buf, 32), ERRNO_INVALID_TAG);
  want("symmetric_tag_close", symmetric_tag_close(tag), ERRNO_SUCCESS);
  want("symmetric_tag_close again", symmetric_tag_close(tag), ERRNO_CLOSED);

  /* AEAD misuse. */
  symmetric_key_generate(S("AES-256-GCM"), &NONE, &k);
  ok = some(k);
  want("AEAD without options", symmetric_state_open(S("AES-256-GCM"), &ok, &NONE, &st),
       ERRNO_NONCE_REQUIRED);
  options_open(ALG_SYMMETRIC, &options);
  opt_handle oo = some(options);
  want("AEAD without a nonce", symmetric_state_open(S("AES-256-GCM"), &ok, &oo, &st),
       ERRNO_INVALID_NONCE);
  options_set(options, S("nonce"), buf, 12);
  want("AEAD open", symmetric_state_open(S("AES-256-GCM"), &ok, &oo, &st), ERRNO_SUCCESS);
  want("nonce into 11 bytes", symmetric_state_options_get(st, S("nonce"), buf, 11, &size),
       ERRNO_OVERFLOW);
  want("nonce into 12 bytes", symmetric_state_options_get(st, S("nonce"), buf, 12, &size),
       ERRNO_SUCCESS);
  want("encrypt into a buffer without room for the tag",
       symmetric_state_encrypt(st, buf, 20, buf + 32, 20, &size), ERRNO_INVALID_LENGTH);
  want("encrypt", symmetric_state_encrypt(st, buf, 36, buf + 40, 20, &size), ERRNO_SUCCESS);
  want("a second encryption with the same nonce",
       symmetric_state_encrypt(st, buf, 36, buf + 40, 20, &size), ERRNO_ALGORITHM_FAILURE);
  symmetric_state_close(st);
  symmetric_state_open(S("AES-256-GCM"), &ok, &oo, &st);
  buf[0] ^= 1;
  want("decrypt a forged message", symmetric_state_decrypt(st, buf + 40, 20, buf, 36, &size),
       ERRNO_INVALID_TAG);
  symmetric_state_close(st);
  symmetric_state_open(S("AES-256-GCM"), &ok, &oo, &st);
  want("squeeze an AEAD", symmetric_state_squeeze(st, buf, 16), ERRNO_INVALID_OPERATION);
  want("hash with a key", symmetric_state_open(S("SHA-256"), &ok, &NONE, &h), ERRNO_KEY_NOT_SUPPORTED);
  want("HMAC without a key", symmetric_state_open(S("HMAC/SHA-512"), &NONE, &NONE, &h),
       ERRNO_KEY_REQUIRED);
  want("generate a hash key", symmetric_key_generate(S("SHA-256"), &NONE, &h), ERRNO_KEY_NOT_SUPPORTED);
  want("unknown algorithm", symmetric_state_open(S("SHA-3"), &NONE, &NONE, &h),
       ERRNO_UNSUPPORTED_ALGORITHM);
  want("unknown algorithm type", options_open(7, &h), ERRNO_UNSUPPORTED_ALGORITHM);
  want("a symmetric key pair", keypair_generate(ALG_SYMMETRIC, S("Ed25519"), &NONE, &h),
       ERRNO_INVALID_OPERATION);
  options_open(ALG_SIGNATURES, &h);
  want("a signature option", options_set(h, S("nonce"), buf, 12), ERRNO_UNSUPPORTED_OPTION);

  /* Pointers and lengths past memory: algorithm_failure, and the guest goes on. */
  handle hs;
  symmetric_state_open(S("SHA-256"), &NONE, &NONE, &hs);
  want("absorb from a pointer past memory", symmetric_state_absorb(hs, FAR, 0x1000),
       ERRNO_ALGORITHM_FAILURE);
  want("absorb a length past memory", symmetric_state_absorb(hs, buf, HUGE), ERRNO_ALGORITHM_FAILURE);
  want("squeeze into a pointer past memory", symmetric_state_squeeze(hs, FAR, 32),
       ERRNO_ALGORITHM_FAILURE);
  want("options_open writing past memory", options_open(ALG_SYMMETRIC, FAR), ERRNO_ALGORITHM_FAILURE);
  want("algorithm name past memory", symmetric_state_open(FAR, 7, &NONE, &NONE, &h),
       ERRNO_ALGORITHM_FAILURE);
  want("opt_options past memory", symmetric_state_open(S("SHA-256"), FAR, &NONE, &h),
       ERRNO_ALGORITHM_FAILURE);
  want("key import of 4 GiB", keypair_import(ALG_SIGNATURES, S("Ed25519"), buf, HUGE, KP_RAW, &h),
       ERRNO_ALGORITHM_FAILURE);
  want("zero length at a pointer past memory", symmetric_state_absorb(hs, FAR, 0), ERRNO_SUCCESS);
  want("the state still works", symmetric_state_squeeze(hs, buf, 32), ERRNO_SUCCESS);
  result("and gives SHA-256 of nothing",
         same_hex(buf, 32, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));

  /* Encodings and signatures. */
  keypair_generate(ALG_SIGNATURES, S("ECDSA_P256_SHA256"), &NONE, &kp);
  want("keypair_export in an unknown encoding", keypair_export(kp, 9, &out), ERRNO_UNSUPPORTED_ENCODING);
  want("keypair_import in an unknown encoding (WasmEdge: algorithm_failure)",
       keypair_import(ALG_SIGNATURES, S("Ed25519"), buf, 64, 9, &h), ERRNO_ALGORITHM_FAILURE);
  keypair_publickey(kp, &pk);
  want("ECDSA public key as raw", publickey_export(pk, KEY_RAW, &out), ERRNO_UNSUPPORTED_ENCODING);
  want("Ed25519 signature of 63 bytes", signature_import(S("Ed25519"), buf, 63, SIG_RAW, &sig),
       ERRNO_INVALID_SIGNATURE);
  signature_import(S("Ed25519"), buf, 64, SIG_RAW, &sig);
  signature_verification_state_open(pk, &st);
  want("verify an Ed25519 signature with an ECDSA key", signature_verification_state_verify(st, sig),
       ERRNO_INVALID_SIGNATURE);
  keypair_generate(ALG_KEY_EXCHANGE, S("X25519"), &NONE, &h);
  want("sign with a key exchange key pair", signature_state_open(h, &st), ERRNO_INVALID_HANDLE);
  keypair_publickey(h, &pk);
  want("kx_encapsulate", kx_encapsulate(pk, &h, &out), ERRNO_NOT_IMPLEMENTED);

  /* An array output read in pieces: it closes on the pull that finds nothing left. */
  keypair_generate(ALG_KEY_EXCHANGE, S("X25519"), &NONE, &kp);
  keypair_publickey(kp, &pk);
  publickey_export(pk, KEY_RAW, &out);
  uint32_t got, total = 0;
  want("array_output_len", array_output_len(out, &size), ERRNO_SUCCESS);
  for (int i = 0; i < 4; i++) {
    array_output_pull(out, buf + total, 10, &got);
    total += got;
  }
  result("pulled 32 bytes in pieces of 10", size == 32 && total == 32);
  want("a pull past the end", array_output_pull(out, buf, 10, &got), ERRNO_SUCCESS);
  want("the output is closed after it", array_output_pull(out, buf, 10, &got), ERRNO_INVALID_HANDLE);

  /* Every function, on unknown handles (WasmEdge's answers). */
  handle u = 0x7ffffff0;
  opt_handle uo = some(u);
  want("array_output_pull", array_output_pull(u, buf, 8, &size), ERRNO_INVALID_HANDLE);
  want("options_set_u64", options_set_u64(u, S("ops_limit"), 1), ERRNO_INVALID_HANDLE);
  want("options_set_guest_buffer", options_set_guest_buffer(u, S("buffer"), buf, 8), ERRNO_INVALID_HANDLE);
  want("secrets_manager_open", secrets_manager_open(&NONE, &h), ERRNO_NOT_IMPLEMENTED);
  want("secrets_manager_close", secrets_manager_close(u), ERRNO_NOT_IMPLEMENTED);
  want("secrets_manager_invalidate", secrets_manager_invalidate(u, buf, 4, 1), ERRNO_NOT_IMPLEMENTED);
  want("keypair_generate with unknown options", keypair_generate(ALG_SIGNATURES, S("Ed25519"), &uo, &h),
       ERRNO_INVALID_HANDLE);
  want("keypair_generate_managed", keypair_generate_managed(u, ALG_SIGNATURES, S("Ed25519"), &NONE, &h),
       ERRNO_NOT_IMPLEMENTED);
  want("keypair_store_managed", keypair_store_managed(u, u, buf, 8), ERRNO_NOT_IMPLEMENTED);
  want("keypair_replace_managed", keypair_replace_managed(u, u, u, &v), ERRNO_NOT_IMPLEMENTED);
  want("keypair_id", keypair_id(u, buf, 8, &size, &v), ERRNO_NOT_IMPLEMENTED);
  want("keypair_from_id", keypair_from_id(u, buf, 8, 1, &h), ERRNO_NOT_IMPLEMENTED);
  want("keypair_from_pk_and_sk", keypair_from_pk_and_sk(u, u, &h), ERRNO_INVALID_HANDLE);
  want("keypair_secretkey", keypair_secretkey(u, &h), ERRNO_INVALID_HANDLE);
  want("publickey_import of garbage", publickey_import(ALG_SIGNATURES, S("ECDSA_P256_SHA256"), buf, 10, KEY_SEC, &h),
       ERRNO_INVALID_KEY);
  want("publickey_verify", publickey_verify(u), ERRNO_INVALID_HANDLE);
  want("publickey_from_secretkey", publickey_from_secretkey(u, &h), ERRNO_INVALID_HANDLE);
  want("secretkey_export", secretkey_export(u, KEY_RAW, &h), ERRNO_INVALID_HANDLE);
  want("signature_export", signature_export(u, SIG_RAW, &h), ERRNO_INVALID_HANDLE);
  want("signature_state_update", signature_state_update(u, buf, 4), ERRNO_INVALID_HANDLE);
  want("signature_state_sign", signature_state_sign(u, &h), ERRNO_INVALID_HANDLE);
  want("signature_state_close", signature_state_close(u), ERRNO_CLOSED);
  want("signature_verification_state_update", signature_verification_state_update(u, buf, 4),
       ERRNO_INVALID_HANDLE);
  want("signature_verification_state_close", signature_verification_state_close(u), ERRNO_CLOSED);
  want("signature_close", signature_close(u), ERRNO_CLOSED);
  want("symmetric_key_import of a hash", symmetric_key_import(S("SHA-512"), buf, 8, &h), ERRNO_KEY_NOT_SUPPORTED);
  want("symmetric_key_export", symmetric_key_export(u, &h), ERRNO_INVALID_HANDLE);
  want("symmetric_key_generate_managed", symmetric_key_generate_managed(u, S("AES-128-GCM"), &NONE, &h),
       ERRNO_NOT_IMPLEMENTED);
  want("symmetric_key_store_managed", symmetric_key_store_managed(u, u, buf, 8), ERRNO_NOT_IMPLEMENTED);
  want("symmetric_key_replace_managed", symmetric_key_replace_managed(u, u, u, &v), ERRNO_NOT_IMPLEMENTED);
  want("symmetric_key_id", symmetric_key_id(u, buf, 8, &size, &v), ERRNO_NOT_IMPLEMENTED);
  want("symmetric_key_from_id", symmetric_key_from_id(u, buf, 8, 1, &h), ERRNO_NOT_IMPLEMENTED);
  want("symmetric_state_open with an unknown key", symmetric_state_open(S("AES-128-GCM"), &uo, &NONE, &h),
       ERRNO_INVALID_HANDLE);
  want("symmetric_state_clone", symmetric_state_clone(u, &h), ERRNO_INVALID_HANDLE);
  want("symmetric_state_options_get_u64", symmetric_state_options_get_u64(u, S("ops_limit"), &v),
       ERRNO_INVALID_HANDLE);
  want("symmetric_state_squeeze_key", symmetric_state_squeeze_key(u, S("SHA-256"), &h), ERRNO_INVALID_HANDLE);
  want("symmetric_state_max_tag_len", symmetric_state_max_tag_len(u, &size), ERRNO_INVALID_HANDLE);
  want("symmetric_state_encrypt_detached", symmetric_state_encrypt_detached(u, buf, 4, buf, 4, &h),
       ERRNO_INVALID_HANDLE);
  want("symmetric_state_decrypt_detached", symmetric_state_decrypt_detached(u, buf, 4, buf, 4, buf, 16, &size),
       ERRNO_INVALID_HANDLE);
  want("symmetric_state_ratchet", symmetric_state_ratchet(u), ERRNO_INVALID_HANDLE);
  want("symmetric_state_close", symmetric_state_close(u), ERRNO_CLOSED);
  want("symmetric_tag_len", symmetric_tag_len(u, &size), ERRNO_INVALID_HANDLE);
  want("kx_dh", kx_dh(u, u, &h), ERRNO_INVALID_HANDLE);
  want("kx_decapsulate", kx_decapsulate(u, buf, 32, &h), ERRNO_INVALID_HANDLE);
  want("secretkey_import of garbage", secretkey_import(ALG_KEY_EXCHANGE, S("P256-SHA256"), buf, 5, KEY_PEM, &h),
       ERRNO_INVALID_KEY);
  printf("failures: %d\n", failures);
  return failures;
}

/* ---- bench ---- */

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int bench(int n) {
  const uint32_t len = 1 << 20;
  uint8_t *data = malloc(len), *sealed = malloc(len + 16), digest[32];
  for (uint32_t i = 0; i < len; i++)
    data[i] = (uint8_t)(i * 31 + 7);
  double t0 = now();
  for (int i = 0; i < n; i++) {
    handle st;
    if (symmetric_state_open(S("SHA-256"), &NONE, &NONE, &st) ||
        symmetric_state_absorb(st, data, len) || symmetric_state_squeeze(st, digest, 32) ||
        symmetric_state_close(st))
      return 1;
  }
  double t1 = now();
  handle k, options;
  uint8_t nonce[12] = {0};
  if (symmetric_key_generate(S("AES-256-GCM"), &NONE, &k) || options_open(ALG_SYMMETRIC, &options) ||
      options_set(options, S("nonce"), nonce, 12))
    return 1;
  opt_handle ok = some(k), oo = some(options);
  for (int i = 0; i < n; i++) {
    handle st;
    uint32_t size;
    if (symmetric_state_open(S("AES-256-GCM"), &ok, &oo, &st) ||
        symmetric_state_encrypt(st, sealed, len + 16, data, len, &size) || symmetric_state_close(st))
      return 1;
  }
  double t2 = now();
  printf("SHA-256 1 MiB x %d: %.3f s, %.1f MiB/s\n", n, t1 - t0, n / (t1 - t0));
  printf("AES-256-GCM 1 MiB x %d: %.3f s, %.1f MiB/s\n", n, t2 - t1, n / (t2 - t1));
  return 0;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "vectors";
  if (strcmp(mode, "vectors") == 0)
    return vectors();
  if (strcmp(mode, "errors") == 0)
    return errors();
  if (strcmp(mode, "bench") == 0)
    return bench(argc > 2 ? atoi(argv[2]) : 100);
  fprintf(stderr, "usage: crypto.wasm vectors|errors|bench [N]\n");
  return 2;
}
