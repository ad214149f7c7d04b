/* Times inference through wasi_ephemeral_nn: loads MODEL (a path in a preopened dir), and
 * WEIGHTS as a second builder when given, with ENCODING (default 1, ONNX; 3 is PyTorch; 0 is
 * OpenVINO IR, MODEL the .xml and WEIGHTS the .bin) on CPU, feeds a [ROWS, COLS] F32 input of
 * ones, and runs set_input + compute + get_output ITER times after one warm-up run.
 *
 * Usage: nn_bench MODEL ROWS COLS ITER [ENCODING [WEIGHTS]]
 * Prints "load_ms=", "first_ms=" (the first set_input + compute + get_output) and "mean_ms=" (of
 * the ITER timed runs). Exits 1 with a message when a call fails. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define GUEST "nn_bench"
#include "guest.h"

#include "wasi_nn.h"

int main(int argc, char **argv) {
  if (argc < 5 || argc > 7) {
    fprintf(stderr, "usage: nn_bench MODEL ROWS COLS ITER [ENCODING [WEIGHTS]]\n");
    return 2;
  }
  uint32_t rows = (uint32_t)atoi(argv[2]), cols = (uint32_t)atoi(argv[3]);
  int iter = atoi(argv[4]);
  uint32_t encoding = argc >= 6 ? (uint32_t)atoi(argv[5]) : 1;
  uint32_t n;
  uint8_t *model = guest_read_file(argv[1], &n);
  uint32_t count = rows * cols;
  float *input = malloc(count * sizeof(float));
  float *out = malloc(count * sizeof(float) * 4);
  for (uint32_t i = 0; i < count; i++) input[i] = 1.0f;
  uint32_t builders[4] = {P(model), n, 0, 0}, n_builders = 1, graph, ctx, written;
  if (argc == 7) {
    uint32_t wn;
    uint8_t *weights = guest_read_file(argv[6], &wn);
    builders[2] = P(weights);
    builders[3] = wn;
    n_builders = 2;
  }
  double t0 = guest_now_ms();
  guest_must("load", nn_load(P(builders), n_builders, encoding, 0, &graph));
  guest_must("init_execution_context", nn_init_execution_context(graph, &ctx));
  double t1 = guest_now_ms();
  uint32_t dims[2] = {rows, cols};
  uint32_t tensor[5] = {P(dims), 2, 1, P(input), count * 4};
  double first = 0, total = 0;
  for (int i = -1; i < iter; i++) {
    double s = guest_now_ms();
    guest_must("set_input", nn_set_input(ctx, 0, P(tensor)));
    guest_must("compute", nn_compute(ctx));
    guest_must("get_output", nn_get_output(ctx, 0, P(out), count * 16, &written));
    double e = guest_now_ms() - s;
    if (i < 0) first = e; else total += e;
  }
  printf("load_ms=%.3f\nfirst_ms=%.3f\nmean_ms=%.3f\n", t1 - t0, first, iter > 0 ? total / iter : 0);
  return 0;
}
