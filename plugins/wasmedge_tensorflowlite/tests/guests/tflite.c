/* Calls wasmedge_tensorflowlite's 7 functions directly, as a guest built with WasmEdge's
 * TensorFlow Lite interface would.
 *
 *   tflite run MODEL INPUT IN_NAME OUT_NAME
 *     Runs MODEL (a .tflite file in a preopened dir) on the bytes of INPUT (f32s) given to the
 *     input named IN_NAME, prints "y=" and the output OUT_NAME's f32s, then one "what=errno"
 *     line per bad call (wrong sizes, unknown names and ids, buffers past memory, a corrupt
 *     model, a deleted session).
 *   tflite bench MODEL IN_NAME OUT_NAME ITER
 *     Feeds ones to IN_NAME and prints "create_ms=" (create_session, the first one of the
 *     process opening the runtime), "first_ms=" (the first append_input + run_session +
 *     get_tensor_data) and "mean_ms=" (of ITER more).
 *   tflite create BYTES
 *     Prints "create_session=" and the errno of a session made from the text BYTES. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GUEST "tflite"
#include "guest.h"

#define TFL(name) __attribute__((import_module("wasmedge_tensorflowlite"), import_name(#name)))

TFL(create_session) uint32_t create_session(const void *model, uint32_t len, uint32_t *sid);
TFL(delete_session) uint32_t delete_session(uint32_t sid);
TFL(run_session) uint32_t run_session(uint32_t sid);
TFL(get_output_tensor)
uint32_t get_output_tensor(uint32_t sid, const char *name, uint32_t len, uint32_t *tid);
TFL(get_tensor_len) uint32_t get_tensor_len(uint32_t sid, uint32_t tid, uint32_t *len);
TFL(get_tensor_data)
uint32_t get_tensor_data(uint32_t sid, uint32_t tid, void *buf, uint32_t len, uint32_t *written);
TFL(append_input)
uint32_t append_input(uint32_t sid, const char *name, uint32_t nlen, const void *buf, uint32_t len);

/* An address past the end of any wasm32 memory this program has. */
#define FAR ((void *)0xFFFFFF00u)

static uint32_t session(const char *path) {
  uint32_t len, sid;
  unsigned char *model = guest_read_file(path, &len);
  guest_must("create_session", create_session(model, len, &sid));
  free(model);
  return sid;
}

static int run(char **argv) {
  uint32_t sid = session(argv[0]);
  uint32_t in_len, tid, out_len, written;
  unsigned char *in = guest_read_file(argv[1], &in_len);
  const char *in_name = argv[2], *out_name = argv[3];
  guest_must("append_input", append_input(sid, in_name, strlen(in_name), in, in_len));
  guest_must("run_session", run_session(sid));
  guest_must("get_output_tensor", get_output_tensor(sid, out_name, strlen(out_name), &tid));
  guest_must("get_tensor_len", get_tensor_len(sid, tid, &out_len));
  float *out = malloc(out_len);
  guest_must("get_tensor_data", get_tensor_data(sid, tid, out, out_len, &written));
  printf("y=");
  for (uint32_t i = 0; i < out_len / 4; i++) {
    printf(i ? " %.9g" : "%.9g", out[i]);
  }
  printf("\n");

  printf("append_input_short=%u\n", append_input(sid, in_name, strlen(in_name), in, in_len - 4));
  printf("append_input_unknown_name=%u\n", append_input(sid, "nope", 4, in, in_len));
  printf("append_input_past_memory=%u\n", append_input(sid, in_name, strlen(in_name), FAR, in_len));
  printf("get_output_tensor_unknown_name=%u\n", get_output_tensor(sid, "nope", 4, &tid));
  printf("get_output_tensor_result_past_memory=%u\n",
         get_output_tensor(sid, out_name, strlen(out_name), FAR));
  printf("get_tensor_len_bad_index=%u\n", get_tensor_len(sid, 99, &out_len));
  printf("get_tensor_data_short=%u\n", get_tensor_data(sid, tid, out, out_len - 4, &written));
  printf("get_tensor_data_past_memory=%u\n", get_tensor_data(sid, tid, FAR, out_len, &written));
  printf("run_session_unknown=%u\n", run_session(sid + 1000));
  uint32_t bad;
  printf("create_session_corrupt=%u\n", create_session("not a model at all", 18, &bad));
  printf("create_session_past_memory=%u\n", create_session(FAR, 64, &bad));
  printf("delete_session=%u\n", delete_session(sid));
  printf("run_session_deleted=%u\n", run_session(sid));
  printf("delete_session_again=%u\n", delete_session(sid));
  return 0;
}

static int bench(char **argv) {
  double t0 = guest_now_ms();
  uint32_t sid = session(argv[0]);
  double t1 = guest_now_ms();
  const char *in_name = argv[1], *out_name = argv[2];
  int iter = atoi(argv[3]);
  uint32_t tid, out_len, written;
  guest_must("get_output_tensor", get_output_tensor(sid, out_name, strlen(out_name), &tid));
  guest_must("get_tensor_len", get_tensor_len(sid, tid, &out_len));
  /* The input's size: try the output's, which the benchmark model shares. */
  uint32_t in_len = out_len;
  float *in = malloc(in_len), *out = malloc(out_len);
  for (uint32_t i = 0; i < in_len / 4; i++) in[i] = 1.0f;
  double t2 = guest_now_ms();
  guest_must("append_input", append_input(sid, in_name, strlen(in_name), in, in_len));
  guest_must("run_session", run_session(sid));
  guest_must("get_tensor_data", get_tensor_data(sid, tid, out, out_len, &written));
  double t3 = guest_now_ms();
  for (int i = 0; i < iter; i++) {
    guest_must("append_input", append_input(sid, in_name, strlen(in_name), in, in_len));
    guest_must("run_session", run_session(sid));
    guest_must("get_tensor_data", get_tensor_data(sid, tid, out, out_len, &written));
  }
  double t4 = guest_now_ms();
  printf("create_ms=%.3f\nfirst_ms=%.3f\nmean_ms=%.3f\n", t1 - t0, t3 - t2, (t4 - t3) / iter);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 6 && strcmp(argv[1], "run") == 0) return run(argv + 2);
  if (argc == 6 && strcmp(argv[1], "bench") == 0) return bench(argv + 2);
  if (argc == 3 && strcmp(argv[1], "create") == 0) {
    uint32_t sid;
    printf("create_session=%u\n", create_session(argv[2], strlen(argv[2]), &sid));
    return 0;
  }
  fprintf(stderr, "usage: tflite run MODEL INPUT IN_NAME OUT_NAME | bench MODEL IN OUT ITER | create BYTES\n");
  return 2;
}
