/* llama.cpp called natively, through its C API (llama.h), for the GGML backend's tests and
 * benchmark (scripts/nn/ggml.sh builds it against the same llama.cpp build as
 * libwedge_nn_ggml.so: the static libraries llama-cpp-sys-2 made).
 *
 *   llama_ref generate MODEL PROMPT N_PREDICT CTX THREADS
 *       Greedy generation (llama_sampler_init_greedy): the prompt tokenized with special tokens
 *       added and parsed, up to N_PREDICT tokens, stopping at an end-of-generation token or a
 *       full context. Writes the pieces (special tokens' text included) to stdout, nothing else.
 *
 *   llama_ref bench MODEL PROMPT N_PREDICT CTX THREADS RUNS
 *       Times RUNS rounds of: the prompt alone, then the prompt and N_PREDICT tokens, each from
 *       an empty KV cache, with the sampler chain the backend builds for temp 0 (penalties,
 *       top-k 40, top-p 0.95, min-p 0.05, temp 0, dist) and no end-of-generation stop. Prints
 *       one line per round: prompt_ms, total_ms, prompt tokens/s and generation tokens/s.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "llama.h"

static void quiet(enum ggml_log_level level, const char *text, void *data) {
    (void)level;
    (void)text;
    (void)data;
}

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static void die(const char *what) {
    fprintf(stderr, "llama_ref: %s\n", what);
    exit(1);
}

/* Decodes the prompt from position 0 in batches of n_batch, logits for the last token. */
static void eval_prompt(struct llama_context *ctx, llama_token *tokens, int n) {
    int n_batch = (int)llama_n_batch(ctx);
    for (int i = 0; i < n; i += n_batch) {
        int len = n - i < n_batch ? n - i : n_batch;
        struct llama_batch b = llama_batch_init(len, 0, 1);
        for (int j = 0; j < len; j++) {
            b.token[j] = tokens[i + j];
            b.pos[j] = i + j;
            b.n_seq_id[j] = 1;
            b.seq_id[j][0] = 0;
            b.logits[j] = (i + j == n - 1);
        }
        b.n_tokens = len;
        if (llama_decode(ctx, b) != 0) die("llama_decode failed on the prompt");
        llama_batch_free(b);
    }
}

/* Generates up to n_predict tokens after a prompt of n_pos tokens; writes the pieces when `out`
 * is set; stops at end-of-generation when `stop_eog` is set. Returns the tokens generated. */
static int generate(struct llama_context *ctx, const struct llama_vocab *vocab,
                    struct llama_sampler *smpl, int n_pos, int n_predict, int stop_eog, FILE *out) {
    int n_ctx = (int)llama_n_ctx(ctx);
    int n = 0;
    char piece[256];
    struct llama_batch b = llama_batch_init(1, 0, 1);
    while (n < n_predict) {
        llama_token t = llama_sampler_sample(smpl, ctx, -1);
        n++;
        if (out) {
            int len = llama_token_to_piece(vocab, t, piece, sizeof piece, 0, true);
            if (len > 0) fwrite(piece, 1, (size_t)len, out);
        }
        if (stop_eog && llama_vocab_is_eog(vocab, t)) break;
        if (n_pos + 1 > n_ctx) break;
        b.token[0] = t;
        b.pos[0] = n_pos;
        b.n_seq_id[0] = 1;
        b.seq_id[0][0] = 0;
        b.logits[0] = 1;
        b.n_tokens = 1;
        if (llama_decode(ctx, b) != 0) die("llama_decode failed");
        n_pos++;
    }
    llama_batch_free(b);
    return n;
}

int main(int argc, char **argv) {
    if (argc < 7) {
        fprintf(stderr, "usage: llama_ref generate|bench MODEL PROMPT N_PREDICT CTX THREADS [RUNS]\n");
        return 2;
    }
    int bench = strcmp(argv[1], "bench") == 0;
    const char *prompt = argv[3];
    int n_predict = atoi(argv[4]);
    int n_ctx = atoi(argv[5]);
    int threads = atoi(argv[6]);
    int runs = bench && argc > 7 ? atoi(argv[7]) : 1;

    llama_log_set(quiet, NULL);
    llama_backend_init();
    struct llama_model_params mp = llama_model_default_params();
    struct llama_model *model = llama_model_load_from_file(argv[2], mp);
    if (!model) die("cannot load the model");
    const struct llama_vocab *vocab = llama_model_get_vocab(model);
    struct llama_context_params cp = llama_context_default_params();
    cp.n_ctx = (uint32_t)n_ctx;
    cp.n_threads = threads;
    cp.n_threads_batch = threads;
    struct llama_context *ctx = llama_init_from_model(model, cp);
    if (!ctx) die("cannot make a context");

    int n_prompt = -llama_tokenize(vocab, prompt, (int)strlen(prompt), NULL, 0, true, true);
    llama_token *tokens = malloc(sizeof(llama_token) * (size_t)n_prompt);
    if (llama_tokenize(vocab, prompt, (int)strlen(prompt), tokens, n_prompt, true, true) < 0)
        die("cannot tokenize the prompt");

    if (!bench) {
        struct llama_sampler *smpl =
            llama_sampler_chain_init(llama_sampler_chain_default_params());
        llama_sampler_chain_add(smpl, llama_sampler_init_greedy());
        eval_prompt(ctx, tokens, n_prompt);
        generate(ctx, vocab, smpl, n_prompt, n_predict, 1, stdout);
        fflush(stdout);
        llama_sampler_free(smpl);
    } else {
        struct llama_sampler *smpl =
            llama_sampler_chain_init(llama_sampler_chain_default_params());
        llama_sampler_chain_add(smpl, llama_sampler_init_penalties(llama_vocab_n_tokens(vocab), 64, 1.0f, 0.0f, 0.0f));
        llama_sampler_chain_add(smpl, llama_sampler_init_top_k(40));
        llama_sampler_chain_add(smpl, llama_sampler_init_top_p(0.95f, 1));
        llama_sampler_chain_add(smpl, llama_sampler_init_min_p(0.05f, 1));
        llama_sampler_chain_add(smpl, llama_sampler_init_temp(0.0f));
        llama_sampler_chain_add(smpl, llama_sampler_init_dist(LLAMA_DEFAULT_SEED));
        for (int r = 0; r < runs; r++) {
            llama_memory_clear(llama_get_memory(ctx), true);
            llama_sampler_reset(smpl);
            double t0 = now_ms();
            eval_prompt(ctx, tokens, n_prompt);
            double t1 = now_ms();
            llama_memory_clear(llama_get_memory(ctx), true);
            llama_sampler_reset(smpl);
            double t2 = now_ms();
            eval_prompt(ctx, tokens, n_prompt);
            int n = generate(ctx, vocab, smpl, n_prompt, n_predict, 0, NULL);
            double t3 = now_ms();
            double pp = t1 - t0, total = t3 - t2;
            printf("native prompt_tokens=%d prompt_ms=%.2f gen_tokens=%d total_ms=%.2f "
                   "pp_tps=%.1f tg_tps=%.1f\n",
                   n_prompt, pp, n, total, n_prompt / pp * 1e3, n / (total - pp) * 1e3);
        }
        llama_sampler_free(smpl);
    }
    free(tokens);
    llama_free(ctx);
    llama_model_free(model);
    llama_backend_free();
    return 0;
}
