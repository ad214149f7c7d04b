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

#define NN(name) __attribute__((import_module("wasi_ephemeral_nn"), import_name(#name)))

NN(load) uint32_t nn_load(uint32_t builders, uint32_t n, uint32_t encoding, uint32_t target,
                          uint32_t *graph);
NN(init_execution_context) uint32_t nn_init_execution_context(uint32_t graph, uint32_t *ctx);
NN(set_input) uint32_t nn_set_input(uint32_t ctx, uint32_t index, uint32_t tensor);
NN(get_output)
uint32_t nn_get_output(uint32_t ctx, uint32_t index, uint32_t out, uint32_t max, uint32_t *written);
NN(compute) uint32_t nn_compute(uint32_t ctx);

#define P(x) ((uint32_t)(uintptr_t)(x))

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void must(const char *what, uint32_t err) {
  if (err != 0) {
    fprintf(stderr, "nn_bench: %s failed with errno %u\n", what, (unsigned)err);
    exit(1);
  }
}

int main(int argc, char **argv) {
  if (argc < 5 || argc > 7) {
    fprintf(stderr, "usage: nn_bench MODEL ROWS COLS ITER [ENCODING [WEIGHTS]]\n");
    return 2;
  }
  uint32_t rows = (uint32_t)atoi(argv[2]), cols = (uint32_t)atoi(argv[3]);
  int iter = atoi(argv[4]);
  uint32_t encoding = argc >= 6 ? (uint32_t)atoi(argv[5]) : 1;
  FILE *f = fopen(argv[1], "rb");
  if (f == NULL) {
    fprintf(stderr, "nn_bench: cannot open %s\n", argv[1]);
    return 1;
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *model = malloc((size_t)n);
  if (model == NULL || fread(model, 1, (size_t)n, f) != (size_t)n) return 1;
  fclose(f);
  uint32_t count = rows * cols;
  float *input = malloc(count * sizeof(float));
  float *out = malloc(count * sizeof(float) * 4);
  for (uint32_t i = 0; i < count; i++) input[i] = 1.0f;
  uint32_t builders[4] = {P(model), (uint32_t)n, 0, 0}, n_builders = 1, graph, ctx, written;
  if (argc == 7) {
    FILE *w = fopen(argv[6], "rb");
    if (w == NULL) {
      fprintf(stderr, "nn_bench: cannot open %s\n", argv[6]);
      return 1;
    }
    fseek(w, 0, SEEK_END);
    long wn = ftell(w);
    fseek(w, 0, SEEK_SET);
    uint8_t *weights = malloc(wn > 0 ? (size_t)wn : 1);
    if (weights == NULL || fread(weights, 1, (size_t)wn, w) != (size_t)wn) return 1;
    fclose(w);
    builders[2] = P(weights);
    builders[3] = (uint32_t)wn;
    n_builders = 2;
  }
  double t0 = now_ms();
  must("load", nn_load(P(builders), n_builders, encoding, 0, &graph));
  must("init_execution_context", nn_init_execution_context(graph, &ctx));
  double t1 = now_ms();
  uint32_t dims[2] = {rows, cols};
  uint32_t tensor[5] = {P(dims), 2, 1, P(input), count * 4};
  double first = 0, total = 0;
  for (int i = -1; i < iter; i++) {
    double s = now_ms();
    must("set_input", nn_set_input(ctx, 0, P(tensor)));
    must("compute", nn_compute(ctx));
    must("get_output", nn_get_output(ctx, 0, P(out), count * 16, &written));
    double e = now_ms() - s;
    if (i < 0) first = e; else total += e;
  }
  printf("load_ms=%.3f\nfirst_ms=%.3f\nmean_ms=%.3f\n", t1 - t0, first, iter > 0 ? total / iter : 0);
  return 0;
}
