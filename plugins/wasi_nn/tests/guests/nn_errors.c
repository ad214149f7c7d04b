/* Calls wasi_ephemeral_nn's functions on paths that need no ML runtime and prints each errno,
 * one "what=errno" line per call.
 *
 * Usage: nn_errors MODE [NAME]
 *   unknown   every function on graph/context ids that do not exist
 *   load      targets (AUTO, unknown) and encodings (unknown, Autodetect, no backend, ONNX)
 *   oob       pointers and lengths past the end of memory
 *   tensor    set_input with the old U8 number (2), I64, an unknown type
 *   byname    load_by_name and load_by_name_with_config of NAME (default "nope")
 * Exits 0, or 2 on bad usage. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "wasi_nn.h"

static uint32_t graph, ctx, written;
static uint8_t model[16] = "not a model";
static uint32_t builders[2];
static uint32_t dims[2] = {1, 4};
static float data[4] = {1, 2, 3, 4};
static uint32_t tensor[5];
static uint8_t out[64];
static char stdout_buffer[4096];

static uint32_t memory_end(void) {
  return (uint32_t)(__builtin_wasm_memory_size(0) * 65536u);
}

static void set_tensor(uint32_t type) {
  tensor[0] = P(dims);
  tensor[1] = 2;
  tensor[2] = type;
  tensor[3] = P(data);
  tensor[4] = sizeof data;
}

static void builder(void) {
  builders[0] = P(model);
  builders[1] = sizeof model;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: nn_errors MODE [NAME]\n");
    return 2;
  }
  /* One write at exit, so that guests running at once in one process never interleave lines. */
  setvbuf(stdout, stdout_buffer, _IOFBF, sizeof stdout_buffer);
  const char *mode = argv[1];
  uint32_t end = memory_end();
  builder();
  set_tensor(1);
  if (strcmp(mode, "unknown") == 0) {
    SHOW("init_execution_context", nn_init_execution_context(7, &ctx));
    SHOW("set_input", nn_set_input(7, 0, P(tensor)));
    SHOW("compute", nn_compute(7));
    SHOW("get_output", nn_get_output(7, 0, P(out), sizeof out, &written));
    SHOW("compute_single", nn_compute_single(7));
    SHOW("get_output_single", nn_get_output_single(7, 0, P(out), sizeof out, &written));
    SHOW("fini_single", nn_fini_single(7));
    SHOW("finalize_execution_context", nn_finalize_execution_context(7));
    SHOW("unload", nn_unload(7));
  } else if (strcmp(mode, "load") == 0) {
    SHOW("target_auto", nn_load(P(builders), 1, 0, 3, &graph));
    SHOW("target_9", nn_load(P(builders), 1, 0, 9, &graph));
    SHOW("encoding_8", nn_load(P(builders), 1, 8, 0, &graph));
    SHOW("encoding_autodetect", nn_load(P(builders), 1, 5, 0, &graph));
    SHOW("encoding_99", nn_load(P(builders), 1, 99, 0, &graph));
    SHOW("encoding_tensorflow", nn_load(P(builders), 1, 2, 0, &graph));
    SHOW("encoding_ggml", nn_load(P(builders), 1, 6, 0, &graph));
    SHOW("encoding_onnx", nn_load(P(builders), 1, 1, 0, &graph));
  } else if (strcmp(mode, "oob") == 0) {
    SHOW("load_graph_ptr", nn_load(P(builders), 1, 1, 0, (uint32_t *)(uintptr_t)(end - 2)));
    SHOW("load_builders", nn_load(end - 4, 1, 1, 0, &graph));
    SHOW("load_builders_count", nn_load(P(builders), 0x40000000u, 1, 0, &graph));
    builders[0] = end - 8;
    builders[1] = 16;
    SHOW("load_builder_data", nn_load(P(builders), 1, 1, 0, &graph));
    builder();
    SHOW("load_by_name_name", nn_load_by_name((const char *)(uintptr_t)(end - 2), 8, &graph));
    SHOW("load_by_name_graph",
         nn_load_by_name("x", 1, (uint32_t *)(uintptr_t)(end)));
    SHOW("load_by_name_config",
         nn_load_by_name_with_config("x", 1, (const char *)(uintptr_t)end, 1, &graph));
    SHOW("init_ctx_ptr", nn_init_execution_context(0, (uint32_t *)(uintptr_t)(end - 1)));
    SHOW("set_input_tensor", nn_set_input(0, 0, end - 12));
    tensor[0] = end - 4;
    SHOW("set_input_dims", nn_set_input(0, 0, P(tensor)));
    set_tensor(1);
    tensor[4] = 0xffffffffu;
    SHOW("set_input_data", nn_set_input(0, 0, P(tensor)));
    SHOW("get_output_buffer", nn_get_output(0, 0, end - 4, 8, &written));
    SHOW("get_output_written", nn_get_output(0, 0, P(out), 8, (uint32_t *)(uintptr_t)(end - 3)));
  } else if (strcmp(mode, "tensor") == 0) {
    set_tensor(2);
    SHOW("set_input_old_u8", nn_set_input(0, 0, P(tensor)));
    set_tensor(5);
    SHOW("set_input_i64", nn_set_input(0, 0, P(tensor)));
    set_tensor(9);
    SHOW("set_input_type_9", nn_set_input(0, 0, P(tensor)));
    set_tensor(3);
    SHOW("set_input_u8_no_context", nn_set_input(0, 0, P(tensor)));
  } else if (strcmp(mode, "byname") == 0) {
    const char *name = argc > 2 ? argv[2] : "nope";
    SHOW("load_by_name", nn_load_by_name(name, strlen(name), &graph));
    SHOW("load_by_name_with_config",
         nn_load_by_name_with_config(name, strlen(name), "{}", 2, &graph));
  } else {
    fprintf(stderr, "unknown mode %s\n", mode);
    return 2;
  }
  return 0;
}
