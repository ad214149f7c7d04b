/* The 12 functions of wasi_ephemeral_nn as the guests import them (WasmEdge 0.17.1's wasm
 * signatures: every parameter a u32, every result a u32 errno), and two helpers: P(x), a guest
 * pointer as the u32 the functions take, and SHOW(what, call), which prints "what=errno".
 * A guest imports only the functions it calls. */
#ifndef WEDGE_TEST_WASI_NN_H
#define WEDGE_TEST_WASI_NN_H

#include <stdint.h>
#include <stdio.h>

#define NN(name) __attribute__((import_module("wasi_ephemeral_nn"), import_name(#name)))

NN(load) uint32_t nn_load(uint32_t builders, uint32_t n, uint32_t encoding, uint32_t target,
                          uint32_t *graph);
NN(load_by_name) uint32_t nn_load_by_name(const char *name, uint32_t len, uint32_t *graph);
NN(load_by_name_with_config)
uint32_t nn_load_by_name_with_config(const char *name, uint32_t len, const char *config,
                                     uint32_t config_len, uint32_t *graph);
NN(init_execution_context) uint32_t nn_init_execution_context(uint32_t graph, uint32_t *ctx);
NN(set_input) uint32_t nn_set_input(uint32_t ctx, uint32_t index, uint32_t tensor);
NN(get_output)
uint32_t nn_get_output(uint32_t ctx, uint32_t index, uint32_t out, uint32_t max, uint32_t *written);
NN(get_output_single)
uint32_t nn_get_output_single(uint32_t ctx, uint32_t index, uint32_t out, uint32_t max,
                              uint32_t *written);
NN(compute) uint32_t nn_compute(uint32_t ctx);
NN(compute_single) uint32_t nn_compute_single(uint32_t ctx);
NN(fini_single) uint32_t nn_fini_single(uint32_t ctx);
NN(unload) uint32_t nn_unload(uint32_t graph);
NN(finalize_execution_context) uint32_t nn_finalize_execution_context(uint32_t ctx);

#define P(x) ((uint32_t)(uintptr_t)(x))
#define SHOW(what, call) printf("%s=%u\n", what, (unsigned)(call))

#endif
