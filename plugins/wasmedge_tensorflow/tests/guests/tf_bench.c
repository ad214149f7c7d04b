/* Times a frozen graph through wasmedge_tensorflow: reads MODEL (a path in a preopened dir),
 * creates a session (the first one in the process also opens TensorFlow), feeds "x:0" a
 * [ROWS, COLS] f32 tensor of ones, fetches "y:0", and runs append_input + run_session +
 * get_tensor_data ITER times after one warm-up run.
 *
 * Usage: tf_bench MODEL ROWS COLS ITER [FIRST]
 * With FIRST (another frozen graph), first creates and deletes a session of it and prints
 * "open_ms=" (that first create_session: opening TensorFlow plus a small graph) and "again_ms="
 * (a second create_session of it, TensorFlow already open). Prints
 * "create_ms=" (create_session of MODEL), "first_ms=" (the first run) and "mean_ms=" (of the
 * ITER timed runs). Exits 1 with a message when a call fails. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tfimport.h"

#define GUEST "tf_bench"
#include "guest.h"

int main(int argc, char **argv) {
  if (argc != 5 && argc != 6) {
    fprintf(stderr, "usage: tf_bench MODEL ROWS COLS ITER [FIRST]\n");
    return 2;
  }
  int64_t dims[2] = {atoi(argv[2]), atoi(argv[3])};
  int iter = atoi(argv[4]);
  uint32_t sid, tid, written;
  uint32_t n;
  if (argc == 6) {
    uint8_t *small = guest_read_file(argv[5], &n);
    double t = guest_now_ms();
    guest_must("create_session(FIRST)", tf_create_session(P(small), (uint32_t)n, P(&sid)));
    printf("open_ms=%.1f ", guest_now_ms() - t);
    guest_must("delete_session(FIRST)", tf_delete_session(sid));
    t = guest_now_ms();
    guest_must("create_session(FIRST) again", tf_create_session(P(small), (uint32_t)n, P(&sid)));
    printf("again_ms=%.1f ", guest_now_ms() - t);
    guest_must("delete_session(FIRST) again", tf_delete_session(sid));
    free(small);
  }
  uint8_t *model = guest_read_file(argv[1], &n);
  uint32_t count = (uint32_t)(dims[0] * dims[1]), bytes = count * 4;
  float *input = malloc(bytes), *out = malloc(bytes);
  for (uint32_t i = 0; i < count; i++) input[i] = 1.0f;
  double t0 = guest_now_ms();
  guest_must("create_session", tf_create_session(P(model), (uint32_t)n, P(&sid)));
  double create = guest_now_ms() - t0;
  guest_must("append_output", tf_append_output(sid, S("y:0")));
  guest_must("get_output_tensor", tf_get_output_tensor(sid, S("y:0"), P(&tid)));
  double first = 0, start = 0;
  for (int i = -1; i < iter; i++) {
    if (i == 0) start = guest_now_ms();
    double t = guest_now_ms();
    guest_must("append_input", tf_append_input(sid, S("x:0"), P(dims), 2, TF_FLOAT, P(input), bytes));
    guest_must("run_session", tf_run_session(sid));
    guest_must("get_tensor_data", tf_get_tensor_data(sid, tid, P(out), bytes, P(&written)));
    if (i == -1) first = guest_now_ms() - t;
  }
  double mean = iter > 0 ? (guest_now_ms() - start) / iter : 0;
  if (written != bytes) {
    fprintf(stderr, "tf_bench: %u bytes written, %u expected\n", written, bytes);
    return 1;
  }
  printf("create_ms=%.1f first_ms=%.1f mean_ms=%.3f out0=%g\n", create, first, mean, out[0]);
  guest_must("delete_session", tf_delete_session(sid));
  return 0;
}
