/* An LLM through wasi_ephemeral_nn's GGML backend (encoding 6), called as LlamaEdge and the
 * WasmEdge-WASINN-examples `wasmedge-ggml` guests call it: load_by_name_with_config on a model
 * preloaded with --nn-preload NAME:GGML:AUTO:PATH, the prompt as input 0 (U8), metadata JSON as
 * input 1, output 0 read into a 4096*6-byte buffer, output 1 (the token counts) read after
 * set_input and after compute, and compute_single / get_output_single / fini_single to stream.
 * Texts are printed in hex ("key_hex=..."): a model's pieces need not be UTF-8.
 *
 * Usage:
 *   nn_ggml chat NAME PROMPT CONFIG    one compute; CONFIG "env" builds the metadata from the
 *                                      environment as the examples do (n_predict, ctx_size,
 *                                      threads, enable_log, temp)
 *   nn_ggml stream NAME PROMPT CONFIG  compute_single until an errno, then the same number of
 *                                      tokens in one compute, then one compute without limit
 *   nn_ggml bench NAME PROMPT N_PREDICT CTX THREADS RUNS
 *                                      times RUNS rounds of: the prompt alone (n-predict 0),
 *                                      then the prompt and N_PREDICT tokens (temp 0, ignore-eos),
 *                                      as plugins/wasi_nn/ggml/native/llama_ref.c does natively
 *   nn_ggml errors NAME MISSING MODEL CORRUPT PROMPT LONG_PROMPT
 *                                      bad calls and the other features on the model preloaded
 *                                      as NAME (MISSING: a name preloaded with a path that does
 *                                      not exist; MODEL, CORRUPT: guest paths of the model and
 *                                      of a damaged copy)
 * Exits 0; 1 with a message when a step that must succeed fails. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GUEST "nn_ggml"
#include "guest.h"

#include "wasi_nn.h"

#define GGML 6
#define U8 3
#define OUT_MAX (4096 * 6)

static char stdout_buffer[1 << 16];
static uint8_t out[OUT_MAX];

static void print_hex(const char *key, const uint8_t *b, uint32_t n) {
  printf("%s_hex=", key);
  for (uint32_t i = 0; i < n; i++) printf("%02x", b[i]);
  printf("\n");
}

/* Sets input INDEX to the bytes of TEXT, as U8 with dimensions [len]. */
static uint32_t set_text(uint32_t ctx, uint32_t index, const char *text) {
  uint32_t dims[1] = {(uint32_t)strlen(text)};
  uint32_t tensor[5] = {P(dims), 1, U8, P(text), (uint32_t)strlen(text)};
  return nn_set_input(ctx, index, P(tensor));
}

/* Output INDEX into `out`; its length, or exits when the call fails. */
static uint32_t read_output(uint32_t ctx, uint32_t index) {
  uint32_t written = 0;
  guest_must("get_output", nn_get_output(ctx, index, P(out), OUT_MAX, &written));
  return written;
}

static void print_metadata(uint32_t ctx, const char *key) {
  uint32_t n = read_output(ctx, 1);
  printf("%s=%.*s\n", key, (int)n, (const char *)out);
}

/* The examples' options from the environment. */
static const char *env_config(void) {
  static char json[512];
  const char *keys[][2] = {{"n_predict", "n-predict"},
                           {"ctx_size", "ctx-size"},
                           {"threads", "threads"},
                           {"enable_log", "enable-log"},
                           {"temp", "temp"}};
  size_t at = 0;
  json[at++] = '{';
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    const char *v = getenv(keys[i][0]);
    if (v == NULL) continue;
    at += (size_t)snprintf(json + at, sizeof json - at, "%s\"%s\": %s", at > 1 ? ", " : "",
                           keys[i][1], v);
  }
  snprintf(json + at, sizeof json - at, "}");
  return json;
}

static uint32_t load_named(const char *name, const char *config) {
  uint32_t graph;
  guest_must("load_by_name_with_config",
             nn_load_by_name_with_config(name, strlen(name), config, strlen(config), &graph));
  return graph;
}

static int chat(const char *name, const char *prompt, const char *config) {
  if (strcmp(config, "env") == 0) config = env_config();
  uint32_t graph = load_named(name, config), ctx;
  guest_must("init_execution_context", nn_init_execution_context(graph, &ctx));
  guest_must("set_input", set_text(ctx, 0, prompt));
  print_metadata(ctx, "meta_input");
  SHOW("compute", nn_compute(ctx));
  uint32_t n = read_output(ctx, 0);
  print_hex("text", out, n);
  print_metadata(ctx, "meta");
  SHOW("finalize", nn_finalize_execution_context(ctx));
  SHOW("unload", nn_unload(graph));
  return 0;
}

static int stream(const char *name, const char *prompt, const char *config) {
  uint32_t graph = load_named(name, config), ctx;
  guest_must("init_execution_context", nn_init_execution_context(graph, &ctx));
  guest_must("set_input", set_text(ctx, 0, prompt));
  static uint8_t text[OUT_MAX];
  uint32_t len = 0, tokens = 0, e;
  while ((e = nn_compute_single(ctx)) == 0) {
    uint32_t written = 0;
    guest_must("get_output_single",
               nn_get_output_single(ctx, 0, P(out), OUT_MAX, &written));
    if (len + written > sizeof text) break;
    memcpy(text + len, out, written);
    len += written;
    tokens++;
  }
  SHOW("stream_end", e);
  printf("stream_tokens=%u\n", (unsigned)tokens);
  print_hex("stream", text, len);
  print_metadata(ctx, "meta_stream");
  SHOW("fini", nn_fini_single(ctx));
  char limit[64];
  snprintf(limit, sizeof limit, "{\"n-predict\": %u}", (unsigned)tokens);
  SHOW("set_n_predict", set_text(ctx, 1, limit));
  SHOW("oneshot", nn_compute(ctx));
  print_hex("oneshot", out, read_output(ctx, 0));
  SHOW("set_unbounded", set_text(ctx, 1, "{\"n-predict\": -1}"));
  SHOW("compute_unbounded", nn_compute(ctx));
  print_hex("unbounded", out, read_output(ctx, 0));
  print_metadata(ctx, "meta_unbounded");
  return 0;
}

static int bench(char **argv) {
  const char *name = argv[2], *prompt = argv[3];
  int n_predict = atoi(argv[4]), runs = atoi(argv[7]);
  char config[256];
  snprintf(config, sizeof config,
           "{\"temp\": 0, \"ignore-eos\": true, \"ctx-size\": %s, \"threads\": %s}", argv[5],
           argv[6]);
  uint32_t graph = load_named(name, config), ctx;
  guest_must("init_execution_context", nn_init_execution_context(graph, &ctx));
  guest_must("set_input", set_text(ctx, 0, prompt));
  char none[64], some[64];
  snprintf(none, sizeof none, "{\"n-predict\": 0}");
  snprintf(some, sizeof some, "{\"n-predict\": %d}", n_predict);
  for (int r = 0; r < runs; r++) {
    guest_must("set n-predict 0", set_text(ctx, 1, none));
    double t0 = guest_now_ms();
    guest_must("compute prompt", nn_compute(ctx));
    double t1 = guest_now_ms();
    guest_must("set n-predict", set_text(ctx, 1, some));
    double t2 = guest_now_ms();
    guest_must("compute", nn_compute(ctx));
    double t3 = guest_now_ms();
    uint32_t n = read_output(ctx, 1);
    unsigned in_tokens = 0, out_tokens = 0;
    out[n < OUT_MAX ? n : OUT_MAX - 1] = 0;
    sscanf((const char *)out, "{\"input_tokens\": %u, \"output_tokens\": %u", &in_tokens,
           &out_tokens);
    double pp = t1 - t0, total = t3 - t2;
    printf("guest  prompt_tokens=%u prompt_ms=%.2f gen_tokens=%u total_ms=%.2f pp_tps=%.1f "
           "tg_tps=%.1f\n",
           in_tokens, pp, out_tokens, total, in_tokens / pp * 1e3,
           out_tokens / (total - pp) * 1e3);
    fflush(stdout);
  }
  return 0;
}

static int errors(char **argv) {
  const char *name = argv[2], *missing = argv[3], *prompt = argv[6], *long_prompt = argv[7];
  uint32_t g, a, b, ctx_a, ctx_b, written;

  SHOW("load_missing", nn_load_by_name_with_config(missing, strlen(missing), "{}", 2, &g));
  uint32_t corrupt_len, model_len;
  uint8_t *corrupt = guest_read_file(argv[5], &corrupt_len);
  uint32_t builders[4] = {P(corrupt), corrupt_len, 0, 0};
  SHOW("load_corrupt", nn_load(P(builders), 1, GGML, 0, &g));
  builders[1] = 0;
  SHOW("load_empty", nn_load(P(builders), 1, GGML, 0, &g));

  /* Graph b: the model's bytes, with a config builder. */
  uint8_t *model = guest_read_file(argv[4], &model_len);
  const char *config_b = "{\"temp\": 0, \"n-predict\": 8, \"ctx-size\": 128}";
  uint32_t bytes_builders[4] = {P(model), model_len, P(config_b), (uint32_t)strlen(config_b)};
  SHOW("load_bytes", nn_load(P(bytes_builders), 2, GGML, 0, &b));
  free(model);

  /* Graph a: preloaded, with a small context. */
  a = load_named(name, "{\"temp\": 0, \"ctx-size\": 16, \"n-predict\": 8}");
  guest_must("init a", nn_init_execution_context(a, &ctx_a));
  guest_must("set long prompt", set_text(ctx_a, 0, long_prompt));
  SHOW("compute_too_long", nn_compute(ctx_a));
  SHOW("single_too_long", nn_compute_single(ctx_a));
  SHOW("metadata_bad_json", set_text(ctx_a, 1, "{bad"));
  SHOW("metadata_wrong_type", set_text(ctx_a, 1, "{\"ctx-size\": \"big\"}"));
  SHOW("metadata_resize", set_text(ctx_a, 1, "{\"ctx-size\": 2048}"));
  SHOW("compute_resized", nn_compute(ctx_a));

  /* Two graphs and two contexts at once, calls interleaved: the same text. */
  guest_must("init b", nn_init_execution_context(b, &ctx_b));
  guest_must("set a", set_text(ctx_a, 0, prompt));
  guest_must("set b", set_text(ctx_b, 0, prompt));
  guest_must("compute a", nn_compute(ctx_a));
  guest_must("compute b", nn_compute(ctx_b));
  static uint8_t text_a[OUT_MAX];
  uint32_t len_a = read_output(ctx_a, 0);
  memcpy(text_a, out, len_a);
  uint32_t len_b = read_output(ctx_b, 0);
  printf("two_graphs_same=%d\n", len_a == len_b && memcmp(text_a, out, len_a) == 0);
  print_hex("text_a", text_a, len_a);
  static uint8_t greedy[OUT_MAX];
  uint32_t len_greedy = len_a;
  memcpy(greedy, text_a, len_a);
  /* A second context of graph a. */
  uint32_t ctx_a2;
  guest_must("init a2", nn_init_execution_context(a, &ctx_a2));
  guest_must("set a2", set_text(ctx_a2, 0, prompt));
  guest_must("compute a2", nn_compute(ctx_a2));
  uint32_t len_a2 = read_output(ctx_a2, 0);
  printf("two_contexts_same=%d\n", len_a == len_a2 && memcmp(text_a, out, len_a) == 0);
  SHOW("finalize_a2", nn_finalize_execution_context(ctx_a2));
  SHOW("get_output_small", nn_get_output(ctx_a, 0, P(out), 1, &written));

  /* Embeddings: {"n_embedding": N, "embedding": [...]}, of length 1. */
  SHOW("metadata_embedding", set_text(ctx_a, 1, "{\"embedding\": true}"));
  SHOW("compute_embedding", nn_compute(ctx_a));
  uint32_t n = read_output(ctx_a, 0);
  out[n < OUT_MAX ? n : OUT_MAX - 1] = 0;
  int n_embd = -1;
  sscanf((const char *)out, "{\"n_embedding\": %d", &n_embd);
  char *p = strchr((char *)out, '[');
  double sum = 0;
  int count = 0;
  while (p != NULL && *p != ']' && *p != 0) {
    char *end;
    double v = strtod(p + 1, &end);
    if (end == p + 1) break;
    sum += v * v;
    count++;
    p = end;
  }
  printf("embedding_n=%d embedding_values=%d embedding_norm=%.4f\n", n_embd, count, sqrt(sum));
  SHOW("metadata_no_embedding", set_text(ctx_a, 1, "{\"embedding\": false}"));

  /* A grammar limits what is generated. */
  SHOW("metadata_grammar", set_text(ctx_a, 1, "{\"grammar\": \"root ::= [a-c]+\", \"n-predict\": 6}"));
  SHOW("compute_grammar", nn_compute(ctx_a));
  print_hex("grammar", out, read_output(ctx_a, 0));
  SHOW("metadata_schema",
       set_text(ctx_a, 1,
                "{\"grammar\": \"\", \"json-schema\": \"{\\\"type\\\": \\\"object\\\", "
                "\\\"properties\\\": {\\\"a\\\": {\\\"type\\\": \\\"integer\\\"}}, "
                "\\\"required\\\": [\\\"a\\\"]}\", \"n-predict\": 12}"));
  SHOW("compute_schema", nn_compute(ctx_a));
  print_hex("schema", out, read_output(ctx_a, 0));

  /* Sampling with a seed: the same seed, the same text. */
  SHOW("metadata_seed", set_text(ctx_a, 1, "{\"json-schema\": \"{}\", \"grammar\": \"\", \"temp\": 1.5, \"top-k\": 100, \"top-p\": 1.0, \"min-p\": 0.0, \"seed\": 42, \"n-predict\": 16}"));
  guest_must("compute seed", nn_compute(ctx_a));
  len_a = read_output(ctx_a, 0);
  memcpy(text_a, out, len_a);
  guest_must("compute seed again", nn_compute(ctx_a));
  len_b = read_output(ctx_a, 0);
  printf("same_seed_same_text=%d\n", len_a == len_b && memcmp(text_a, out, len_a) == 0);
  print_hex("seeded", text_a, len_a);

  /* n-gpu-layers reloads the model (on the CPU here); it still runs. */
  SHOW("metadata_gpu_layers", set_text(ctx_a, 1, "{\"n-gpu-layers\": 0, \"temp\": 0, \"n-predict\": 8}"));
  SHOW("compute_reloaded", nn_compute(ctx_a));
  len_b = read_output(ctx_a, 0);
  printf("reloaded_same=%d\n", len_b == len_greedy && memcmp(greedy, out, len_b) == 0);

  SHOW("unload", nn_unload(a));
  SHOW("compute_after_unload", nn_compute(ctx_a));
  SHOW("finalize", nn_finalize_execution_context(ctx_a));
  SHOW("finalize_again", nn_finalize_execution_context(ctx_a));
  SHOW("unload_b", nn_unload(b));
  SHOW("finalize_b", nn_finalize_execution_context(ctx_b));
  return 0;
}

int main(int argc, char **argv) {
  setvbuf(stdout, stdout_buffer, _IOFBF, sizeof stdout_buffer);
  if (argc == 5 && strcmp(argv[1], "chat") == 0) return chat(argv[2], argv[3], argv[4]);
  if (argc == 5 && strcmp(argv[1], "stream") == 0) return stream(argv[2], argv[3], argv[4]);
  if (argc == 8 && strcmp(argv[1], "bench") == 0) return bench(argv);
  if (argc == 8 && strcmp(argv[1], "errors") == 0) return errors(argv);
  fprintf(stderr, "usage: nn_ggml chat|stream NAME PROMPT CONFIG\n"
                  "       nn_ggml bench NAME PROMPT N_PREDICT CTX THREADS RUNS\n"
                  "       nn_ggml errors NAME MISSING MODEL CORRUPT PROMPT LONG_PROMPT\n");
  return 2;
}
