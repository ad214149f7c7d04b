/* Runs a model through wasi_ephemeral_nn with encoding 0 (OpenVINO IR: two builders), 4
 * (TensorFlow Lite: one builder) or 5 (Autodetect), prints its first output, then the errnos of
 * bad calls on the real graph.
 *
 * Usage: nn_openvino ENCODING MODEL WEIGHTS INPUT N_IN N_OUT
 *   ENCODING  0, 4 or 5: load MODEL's bytes (and WEIGHTS', unless WEIGHTS is "-") with it;
 *             "name": load_by_name MODEL (from --nn-preload; WEIGHTS is ignored)
 *   INPUT     N_IN little-endian f32s, fed as input 0 with dimensions [1, N_IN]; output 0 must
 *             hold N_OUT f32s.
 * Paths are in preopened directories. When the load fails, prints "load=ERRNO" and exits 0.
 * Otherwise prints "y=" and the outputs (%.9g, space-separated), then one "what=errno" line per
 * bad call. Exits 1 with a message when a later step that must succeed fails. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GUEST "nn_openvino"
#include "guest.h"

#include "wasi_nn.h"

static char stdout_buffer[8192];

int main(int argc, char **argv) {
  if (argc != 7) {
    fprintf(stderr, "usage: nn_openvino 0|4|5|name MODEL WEIGHTS|- INPUT N_IN N_OUT\n");
    return 2;
  }
  setvbuf(stdout, stdout_buffer, _IOFBF, sizeof stdout_buffer);
  int by_name = strcmp(argv[1], "name") == 0;
  uint32_t encoding = by_name ? 0 : (uint32_t)atoi(argv[1]);
  uint32_t n_in = (uint32_t)atoi(argv[5]), n_out = (uint32_t)atoi(argv[6]);
  uint32_t graph, ctx, written, input_len;
  uint8_t *input = guest_read_file(argv[4], &input_len);
  if (input_len != n_in * 4) {
    fprintf(stderr, "nn_openvino: %s has %u bytes, not %u\n", argv[4], input_len, n_in * 4);
    return 1;
  }
  uint32_t builders[4] = {0, 0, 0, 0}, n_builders = 0, err;
  if (by_name) {
    err = nn_load_by_name(argv[2], strlen(argv[2]), &graph);
  } else {
    builders[0] = P(guest_read_file(argv[2], &builders[1]));
    n_builders = 1;
    if (strcmp(argv[3], "-") != 0) {
      builders[2] = P(guest_read_file(argv[3], &builders[3]));
      n_builders = 2;
    }
    err = nn_load(P(builders), n_builders, encoding, 0, &graph);
  }
  if (err != 0) {
    printf("load=%u\n", (unsigned)err);
    return 0;
  }
  guest_must("init_execution_context", nn_init_execution_context(graph, &ctx));
  uint32_t dims[2] = {1, n_in};
  uint32_t tensor[5] = {P(dims), 2, 1, P(input), input_len};
  guest_must("set_input", nn_set_input(ctx, 0, P(tensor)));
  guest_must("compute", nn_compute(ctx));
  float *out = calloc(n_out + 16, sizeof(float));
  guest_must("get_output", nn_get_output(ctx, 0, P(out), (n_out + 16) * 4, &written));
  if (written != n_out * 4) {
    fprintf(stderr, "nn_openvino: output 0 has %u bytes, not %u\n", written, n_out * 4);
    return 1;
  }
  printf("y=");
  for (uint32_t i = 0; i < n_out; i++) printf("%s%.9g", i ? " " : "", out[i]);
  printf("\n");

  /* Bad calls on the real graph. */
  SHOW("set_input_index_9", nn_set_input(ctx, 9, P(tensor)));
  tensor[4] = input_len - 4;
  SHOW("set_input_short_data", nn_set_input(ctx, 0, P(tensor)));
  tensor[4] = input_len;
  tensor[2] = 4; /* I32 where the model takes F32 */
  SHOW("set_input_i32", nn_set_input(ctx, 0, P(tensor)));
  tensor[2] = 1;
  uint32_t nine[9] = {1, 1, 1, 1, 1, 1, 1, 1, n_in};
  tensor[0] = P(nine);
  tensor[1] = 9;
  SHOW("set_input_9_dims", nn_set_input(ctx, 0, P(tensor)));
  uint32_t swapped[2] = {n_in, 1};
  tensor[0] = P(swapped);
  tensor[1] = 2;
  SHOW("set_input_swapped_dims", nn_set_input(ctx, 0, P(tensor)));
  tensor[0] = P(dims);
  SHOW("set_input_again", nn_set_input(ctx, 0, P(tensor)));
  SHOW("compute_again", nn_compute(ctx));
  SHOW("get_output_index_5", nn_get_output(ctx, 5, P(out), n_out * 4, &written));
  SHOW("get_output_small", nn_get_output(ctx, 0, P(out), n_out * 4 - 1, &written));
  static const uint8_t junk[] = "this is not a model";
  uint32_t bad[4] = {P(junk), sizeof junk, P(junk), sizeof junk};
  uint32_t other;
  if (!by_name) {
    SHOW("load_corrupt", nn_load(P(bad), n_builders, encoding, 0, &other));
    SHOW("load_other_builder_count", nn_load(P(builders), 3 - n_builders, encoding, 0, &other));
    uint32_t gpu_err = nn_load(P(builders), n_builders, encoding, 1, &other);
    SHOW("load_gpu", gpu_err);
    if (gpu_err == 0) {
      uint32_t gpu_ctx;
      guest_must("init_execution_context (GPU)", nn_init_execution_context(other, &gpu_ctx));
      SHOW("set_input_gpu", nn_set_input(gpu_ctx, 0, P(tensor)));
    }
  }
  SHOW("unload", nn_unload(graph));
  SHOW("compute_after_unload", nn_compute(ctx));
  SHOW("get_output_after_unload", nn_get_output(ctx, 0, P(out), n_out * 4, &written));
  SHOW("finalize", nn_finalize_execution_context(ctx));
  SHOW("finalize_again", nn_finalize_execution_context(ctx));
  return 0;
}
