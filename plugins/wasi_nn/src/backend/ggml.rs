//! The GGML backend (encoding 6): large language models in GGUF files on llama.cpp, run by the
//! backend library `libwedge_nn_ggml.so` (the crate `plugins/wasi_nn/ggml`, which builds
//! llama.cpp from source through `llama-cpp-2`; see its documentation for the behaviour, which
//! is WasmEdge 0.17.1's GGML backend's).
//!
//! The library is looked for at `$WEDGE_NN_GGML_LIB`, else at
//! `~/.cache/wedge/nn/ggml/lib/libwedge_nn_ggml.so`, where `scripts/nn-runtimes.sh ggml` puts
//! it (see [`super::library`]).

use super::library::LibraryBackend;

/// The GGML backend.
pub static GGML: LibraryBackend = LibraryBackend::new(
    "GGML",
    "libwedge_nn_ggml.so",
    "WEDGE_NN_GGML_LIB",
    "ggml/lib",
    ", which has llama.cpp built in",
    "ggml",
);
