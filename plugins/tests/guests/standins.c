/* Imports one function from each official plug-in's modules and calls the one named by argv[1]:
 * "nn" (wasi_ephemeral_nn.compute), "crypto" (wasi_ephemeral_crypto_symmetric.symmetric_tag_close),
 * "image" (wasmedge_image.load_png), "tf" (wasmedge_tensorflow.run_session), "tflite"
 * (wasmedge_tensorflowlite.run_session), "sd" (wasmedge_stablediffusion.convert),
 * "process" (wasmedge_process.wasmedge_process_run), or "none" (no call).
 * Prints "<what> -> <result>" and exits 0. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define IMPORT(m, f) __attribute__((import_module(m), import_name(f)))

IMPORT("wasi_ephemeral_nn", "compute") uint32_t nn_compute(uint32_t ctx);
IMPORT("wasi_ephemeral_crypto_symmetric", "symmetric_tag_close") uint32_t tag_close(int32_t tag);
IMPORT("wasi_ephemeral_crypto_common", "options_open") uint32_t options_open(uint32_t ty, uint32_t out);
IMPORT("wasi_ephemeral_crypto_asymmetric_common", "keypair_close") uint32_t keypair_close(int32_t kp);
IMPORT("wasi_ephemeral_crypto_kx", "kx_dh") uint32_t kx_dh(int32_t pk, int32_t sk, uint32_t out);
IMPORT("wasi_ephemeral_crypto_signatures", "signature_close") uint32_t signature_close(int32_t s);
IMPORT("wasmedge_image", "load_png")
uint32_t load_png(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);
IMPORT("wasmedge_tensorflow", "run_session") uint32_t tf_run(uint32_t sid);
IMPORT("wasmedge_tensorflowlite", "run_session") uint32_t tflite_run(uint32_t sid);
IMPORT("wasmedge_stablediffusion", "convert")
uint32_t sd_convert(uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);
IMPORT("wasmedge_process", "wasmedge_process_run") int32_t process_run(void);

int main(int argc, char **argv) {
  const char *what = argc > 1 ? argv[1] : "none";
  long r = -1;
  if (strcmp(what, "nn") == 0) r = nn_compute(0);
  else if (strcmp(what, "crypto") == 0) r = tag_close(0);
  else if (strcmp(what, "image") == 0) r = load_png(0, 0, 0, 0, 0, 0, 0);
  else if (strcmp(what, "tf") == 0) r = tf_run(0);
  else if (strcmp(what, "tflite") == 0) r = tflite_run(0);
  else if (strcmp(what, "sd") == 0) r = sd_convert(0, 0, 0, 0, 0, 0, 0);
  else if (strcmp(what, "process") == 0) r = process_run();
  else if (strcmp(what, "none") != 0) return 2;
  /* Keep every import referenced so the module imports all of them. */
  if (argc > 100) r = options_open(0, 0) + keypair_close(0) + kx_dh(0, 0, 0) + signature_close(0);
  printf("%s -> %ld\n", what, r);
  return 0;
}
