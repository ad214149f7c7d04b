/* Runs an ONNX model through wasi_ephemeral_nn (encoding 1, ONNX) and prints its first output,
 * then checks the errnos of bad calls on the real graph.
 *
 * Usage: nn_onnx file MODEL INPUT N_IN N_OUT   load MODEL's bytes (a path in a preopened dir)
 *        nn_onnx name NAME INPUT N_IN N_OUT    load_by_name NAME (from --nn-preload)
 *        nn_onnx f16 MODEL INPUT N_IN N_OUT    as file, with an F16 input (tensor type 0)
 * INPUT holds N_IN little-endian f32s (f16s for f16), fed as input 0 with dimensions [1, N_IN];
 * output 0 must hold N_OUT f32s. Prints "y=" and the outputs (%.9g, space-separated), then one
 * "what=errno" line per bad call; for f16, instead, "y16=" and output 1's N_OUT f16s as hex.
 * Exits 0; 1 with a message when a step that must succeed fails. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GUEST "nn_onnx"
#include "guest.h"

#include "wasi_nn.h"

static char stdout_buffer[8192];

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: nn_onnx file|name MODEL INPUT N_IN N_OUT\n");
    return 2;
  }
  setvbuf(stdout, stdout_buffer, _IOFBF, sizeof stdout_buffer);
  uint32_t n_in = (uint32_t)atoi(argv[4]), n_out = (uint32_t)atoi(argv[5]);
  int f16 = strcmp(argv[1], "f16") == 0;
  uint32_t graph, ctx, written, input_len, elem = f16 ? 2 : 4;
  uint8_t *input = guest_read_file(argv[3], &input_len);
  if (input_len != n_in * elem) {
    fprintf(stderr, "nn_onnx: %s has %u bytes, not %u\n", argv[3], input_len, n_in * elem);
    return 1;
  }
  if (strcmp(argv[1], "file") == 0 || f16) {
    uint32_t model_len;
    uint8_t *model = guest_read_file(argv[2], &model_len);
    uint32_t builders[2] = {P(model), model_len};
    guest_must("load", nn_load(P(builders), 1, 1, 0, &graph));
  } else {
    guest_must("load_by_name", nn_load_by_name(argv[2], strlen(argv[2]), &graph));
  }
  guest_must("init_execution_context", nn_init_execution_context(graph, &ctx));
  uint32_t dims[2] = {1, n_in};
  uint32_t tensor[5] = {P(dims), 2, f16 ? 0 : 1, P(input), input_len};
  guest_must("set_input", nn_set_input(ctx, 0, P(tensor)));
  guest_must("compute", nn_compute(ctx));
  float *out = calloc(n_out + 16, sizeof(float));
  guest_must("get_output", nn_get_output(ctx, 0, P(out), (n_out + 16) * 4, &written));
  if (written != n_out * 4) {
    fprintf(stderr, "nn_onnx: output 0 has %u bytes, not %u\n", written, n_out * 4);
    return 1;
  }
  printf("y=");
  for (uint32_t i = 0; i < n_out; i++) printf("%s%.9g", i ? " " : "", out[i]);
  printf("\n");
  if (f16) {
    uint16_t *half = calloc(n_out + 16, sizeof(uint16_t));
    guest_must("get_output 1", nn_get_output(ctx, 1, P(half), (n_out + 16) * 2, &written));
    if (written != n_out * 2) {
      fprintf(stderr, "nn_onnx: output 1 has %u bytes, not %u\n", written, n_out * 2);
      return 1;
    }
    printf("y16=");
    for (uint32_t i = 0; i < n_out; i++) printf("%s%04x", i ? " " : "", half[i]);
    printf("\n");
    return 0;
  }

  /* Bad calls on the real graph. */
  SHOW("set_input_index_9", nn_set_input(ctx, 9, P(tensor)));
  tensor[4] = input_len - 4;
  SHOW("set_input_short_data", nn_set_input(ctx, 0, P(tensor)));
  tensor[4] = input_len;
  tensor[2] = 4; /* I32 where the model takes F32: ONNX Runtime refuses it at compute */
  SHOW("set_input_i32", nn_set_input(ctx, 0, P(tensor)));
  SHOW("compute_wrong_type", nn_compute(ctx));
  tensor[2] = 1;
  SHOW("set_input_again", nn_set_input(ctx, 0, P(tensor)));
  SHOW("compute_again", nn_compute(ctx));
  SHOW("get_output_index_5", nn_get_output(ctx, 5, P(out), n_out * 4, &written));
  SHOW("get_output_small", nn_get_output(ctx, 0, P(out), n_out * 4 - 1, &written));
  static const uint8_t junk[] = "this is not an onnx model";
  uint32_t bad[2] = {P(junk), sizeof junk};
  uint32_t other;
  SHOW("load_corrupt", nn_load(P(bad), 1, 1, 0, &other));
  SHOW("load_no_builders", nn_load(P(bad), 0, 1, 0, &other));
  SHOW("unload", nn_unload(graph));
  SHOW("compute_after_unload", nn_compute(ctx));
  SHOW("get_output_after_unload", nn_get_output(ctx, 0, P(out), n_out * 4, &written));
  SHOW("finalize", nn_finalize_execution_context(ctx));
  SHOW("finalize_again", nn_finalize_execution_context(ctx));
  return 0;
}
