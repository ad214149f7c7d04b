/* Runs a TorchScript model through wasi_ephemeral_nn (encoding 3, PyTorch) and prints its first
 * output, then checks the errnos of bad calls on the real graph, as WasmEdge's torch backend
 * answers them.
 *
 * Usage: nn_torch file MODEL INPUT N_IN N_OUT [ENCODING]
 *                                             load MODEL's bytes (a path in a preopened dir) as
 *                                             ENCODING (default 3; 5 is Autodetect)
 *        nn_torch name NAME INPUT N_IN N_OUT    load_by_name NAME (from --nn-preload)
 * INPUT holds N_IN little-endian f32s, fed as input 0 with dimensions [1, N_IN]; output 0 must
 * hold N_OUT f32s. Prints "y=" and the outputs (%.9g, space-separated), then one "what=errno"
 * line per bad call. Exits 0; 1 with a message when a step that must succeed fails. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GUEST "nn_torch"
#include "guest.h"

#include "wasi_nn.h"

#define PYTORCH 3

static char stdout_buffer[8192];

int main(int argc, char **argv) {
  if (argc != 6 && argc != 7) {
    fprintf(stderr, "usage: nn_torch file|name MODEL INPUT N_IN N_OUT [ENCODING]\n");
    return 2;
  }
  setvbuf(stdout, stdout_buffer, _IOFBF, sizeof stdout_buffer);
  uint32_t n_in = (uint32_t)atoi(argv[4]), n_out = (uint32_t)atoi(argv[5]);
  uint32_t graph, ctx, written, input_len, model_len = 0;
  uint8_t *input = guest_read_file(argv[3], &input_len), *model = NULL;
  if (input_len != n_in * 4) {
    fprintf(stderr, "nn_torch: %s has %u bytes, not %u\n", argv[3], input_len, n_in * 4);
    return 1;
  }
  if (strcmp(argv[1], "file") == 0) {
    model = guest_read_file(argv[2], &model_len);
    uint32_t builders[2] = {P(model), model_len};
    uint32_t encoding = argc == 7 ? (uint32_t)atoi(argv[6]) : PYTORCH;
    guest_must("load", nn_load(P(builders), 1, encoding, 0, &graph));
  } else {
    guest_must("load_by_name", nn_load_by_name(argv[2], strlen(argv[2]), &graph));
  }
  guest_must("init_execution_context", nn_init_execution_context(graph, &ctx));
  uint32_t dims[2] = {1, n_in};
  uint32_t tensor[5] = {P(dims), 2, 1, P(input), input_len};
  guest_must("set_input", nn_set_input(ctx, 0, P(tensor)));
  guest_must("compute", nn_compute(ctx));
  float *out = calloc(n_out + 16, sizeof(float));
  guest_must("get_output", nn_get_output(ctx, 0, P(out), (n_out + 16) * 4, &written));
  if (written != n_out * 4) {
    fprintf(stderr, "nn_torch: output 0 has %u bytes, not %u\n", written, n_out * 4);
    return 1;
  }
  printf("y=");
  for (uint32_t i = 0; i < n_out; i++) printf("%s%.9g", i ? " " : "", out[i]);
  printf("\n");

  /* Bad calls on the real graph. */
  SHOW("get_output_index_1", nn_get_output(ctx, 1, P(out), n_out * 4, &written));
  SHOW("get_output_small", nn_get_output(ctx, 0, P(out), n_out * 4 - 1, &written));
  tensor[4] = input_len - 4;
  SHOW("set_input_short_data", nn_set_input(ctx, 0, P(tensor)));
  tensor[4] = input_len;
  tensor[2] = 4; /* I32: the torch backend takes F32 only */
  SHOW("set_input_i32", nn_set_input(ctx, 0, P(tensor)));
  tensor[2] = 1;
  dims[1] = n_in - 1; /* a shape the model cannot take: libtorch throws at compute */
  tensor[4] = input_len - 4;
  SHOW("set_input_wrong_shape", nn_set_input(ctx, 0, P(tensor)));
  SHOW("compute_wrong_shape", nn_compute(ctx));
  dims[1] = n_in;
  tensor[4] = input_len;
  SHOW("set_input_again", nn_set_input(ctx, 0, P(tensor)));
  SHOW("compute_again", nn_compute(ctx));
  SHOW("set_input_index_2", nn_set_input(ctx, 2, P(tensor)));
  SHOW("compute_input_1_missing", nn_compute(ctx));
  SHOW("set_input_index_5000", nn_set_input(ctx, 5000, P(tensor)));
  uint32_t ctx2;
  guest_must("init_execution_context 2", nn_init_execution_context(graph, &ctx2));
  SHOW("compute_no_input", nn_compute(ctx2));
  SHOW("finalize_2", nn_finalize_execution_context(ctx2));
  static const uint8_t junk[] = "this is not a torchscript model";
  uint32_t bad[2] = {P(junk), sizeof junk};
  uint32_t other;
  SHOW("load_corrupt", nn_load(P(bad), 1, PYTORCH, 0, &other));
  SHOW("load_no_builders", nn_load(P(bad), 0, PYTORCH, 0, &other));
  if (model != NULL) {
    uint32_t two[4] = {P(model), model_len, P(model), model_len};
    SHOW("load_two_builders", nn_load(P(two), 2, PYTORCH, 0, &other));
    SHOW("load_gpu", nn_load(P(two), 1, PYTORCH, 1, &other));
    SHOW("load_tpu", nn_load(P(two), 1, PYTORCH, 2, &other));
  }
  SHOW("unload", nn_unload(graph));
  SHOW("compute_after_unload", nn_compute(ctx));
  SHOW("get_output_after_unload", nn_get_output(ctx, 0, P(out), n_out * 4, &written));
  SHOW("finalize", nn_finalize_execution_context(ctx));
  SHOW("finalize_again", nn_finalize_execution_context(ctx));
  return 0;
}
