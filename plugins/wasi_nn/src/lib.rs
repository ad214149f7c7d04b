//! WasmEdge's `wasi_nn` plug-in for Wedge: machine-learning inference for wasm guests.
//!
//! Plug-in `wasi_nn` (version 0.1.34, as WasmEdge 0.17.1's), one module described as `wasi_nn`
//! whose instances are imported as `wasi_ephemeral_nn`, with WasmEdge's 12 functions. Every
//! parameter is an `i32` and every function returns an `i32` errno ([`ErrNo`]):
//!
//! | function | parameters |
//! |---|---|
//! | `load` | `builders, builders_len, encoding, target, *graph` (builders: `{ptr, len}` u32 pairs) |
//! | `load_by_name` | `name, name_len, *graph` |
//! | `load_by_name_with_config` | `name, name_len, config, config_len, *graph` |
//! | `init_execution_context` | `graph, *context` |
//! | `set_input` | `context, index, *tensor` (5 u32: dims ptr, dims len, type, data ptr, data len) |
//! | `get_output` | `context, index, out, out_max, *written` |
//! | `get_output_single` | as `get_output` |
//! | `compute` | `context` |
//! | `compute_single` | `context` |
//! | `fini_single` | `context` |
//! | `unload` | `graph` |
//! | `finalize_execution_context` | `context` |
//!
//! Numbers ([`types`]): encodings 0 OpenVINO, 1 ONNX, 2 TensorFlow, 3 PyTorch, 4 TensorFlow Lite,
//! 5 Autodetect, 6 GGML, 7 NeuralSpeed, 9 Whisper, 10 MLX, 11 Piper, 12 ChatTTS, 13 OpenVINO GenAI,
//! 14 BitNet; targets 0 CPU, 1 GPU, 2 TPU, 3 AUTO (preload only); tensor types 0 F16, 1 F32,
//! 2 F64, 3 U8, 4 I32, 5 I64 (since 2025-03: a guest built with the older numbering sends 2 for
//! U8, which `set_input` refuses with `InvalidArgument` and a log line saying so, as WasmEdge
//! refuses it).
//!
//! `--nn-preload NAME:ENCODING:TARGET:PATH[:PATH…]` (repeatable) names models for
//! `load_by_name`; see [`preload`].
//!
//! Backends live in [`backend`], one module each, and open their runtime when first used
//! (`scripts/nn-runtimes.sh` fetches the runtimes from PyPI wheels into a cache):
//!
//! | encoding | backend | runtime |
//! |---|---|---|
//! | 0 OpenVINO | [`backend::openvino`]: IR, two builders (`.xml`, `.bin`), as WasmEdge's | OpenVINO (PyPI `openvino`), through `wedge-nn-openvino` |
//! | 1 ONNX | [`backend::onnx`] | ONNX Runtime (PyPI `onnxruntime`) |
//! | 3 PyTorch | [`backend::pytorch`]: TorchScript, one builder, as WasmEdge's torch backend | libtorch 2.13 (PyPI `torch`), through the backend library `libwedge_nn_torch.so` (`plugins/wasi_nn/torch`, built by `scripts/nn/pytorch.sh`; `tch` links it to libtorch) |
//! | 4 TensorFlow Lite | [`backend::openvino`]: one builder, the `.tflite`, run by OpenVINO's TFLite frontend (no classic TFLite C library is published in our registries) | OpenVINO |
//! | 5 Autodetect | [`backend::autodetect`]: picks 0, 1, 2, 3, 4 or 6 from the model's bytes | that backend's |
//! | 6 GGML | [`backend::ggml`]: LLMs in GGUF files, as WasmEdge's GGML backend (metadata JSON, streaming, embeddings, errnos 100-103) | llama.cpp (built from source by `llama-cpp-2`), in the backend library `libwedge_nn_ggml.so` (`plugins/wasi_nn/ggml`, built by `scripts/nn/ggml.sh`) |
//!
//! A backend library ([`backend::library`], `crates/nn-backend-abi`) links a heavy runtime in a
//! shared library of its own, built outside the workspace and opened at the first load of its
//! encoding: one build of this plug-in serves whichever runtimes are installed.
//!
//! Every other encoding answers as WasmEdge does for a backend it was built without.
//! Log lines go to stderr, prefixed `[WASI-NN]` as WasmEdge's.
//!
//! # Differences from WasmEdge 0.17.1
//!
//! - Graph and context ids are never reused (WasmEdge recycles freed ids).
//! - `unload` and `finalize_execution_context` work for every backend (WasmEdge's answer
//!   `InvalidArgument` except for GGML, Whisper, ChatTTS and BitNet).
//! - `get_output` of an output larger than the buffer is `TooLarge` (7); WasmEdge's backends
//!   write past the buffer or truncate, depending on the backend.
//! - `load` refuses builders that together exceed the guest's memory (`TooLarge`), so that
//!   overlapping builders cannot make the host allocate without bound.
//! - Preloaded files are read at the first `load_by_name` of their name, not when the module
//!   instance is created.
//! - Autodetect (encoding 5) works: the backend is picked from the model's bytes
//!   ([`backend::autodetect`] lists the rules); WasmEdge 0.17.1 answers `InvalidEncoding` to 5.
//! - TensorFlow Lite (encoding 4) runs on OpenVINO's TFLite frontend, not on TFLite's own
//!   interpreter: results agree within float rounding, and operators the frontend does not
//!   convert fail at `load` (`InvalidArgument`, `Cannot import TFLite model: …`).
//! - OpenVINO (encoding 0) compiles a graph once, at the first `set_input` of any of its
//!   contexts, and each context keeps one infer request; WasmEdge compiles and makes a new
//!   request at every `set_input`, so that setting a second input forgets the first. A
//!   `set_input` whose data is shorter than its dimensions is `InvalidArgument` (WasmEdge reads
//!   past it).

// No `unsafe`: backend libraries are opened through `wedge-nn-backend-abi`'s safe wrappers.
#![deny(unsafe_code)]

pub mod backend;
pub mod env;
pub mod func;
pub mod preload;
pub mod types;

pub use env::NnState;
pub use types::{Encoding, ErrNo, Target, TensorType};

use wedge_plugin_sdk::{Module, Plugin, ProgramOption, Version};

/// The plug-in's name, as in WasmEdge.
pub const PLUGIN_NAME: &str = "wasi_nn";
/// The module's descriptor name, as in WasmEdge.
pub const MODULE_DESCRIPTOR: &str = "wasi_nn";
/// The module's instance name, which guests import.
pub const MODULE_NAME: &str = "wasi_ephemeral_nn";

/// `--nn-preload NAME:ENCODING:TARGET:PATH[:PATH…]`, repeatable.
pub static NN_PRELOAD: ProgramOption<Vec<String>> = ProgramOption::string_list(
    "nn-preload",
    "Allow preload models from wasinn plugin. Each NN model can be specified as --nn-preload `COMMAND`.",
);

/// Writes one log line to stderr, as WasmEdge's `[WASI-NN]` lines.
pub fn log(message: &str) {
    eprintln!("[WASI-NN] {message}");
}

/// Declares the plug-in.
#[must_use]
pub fn declare() -> Plugin {
    Plugin::new(PLUGIN_NAME, Version::new(0, 1, 34, 0))
        .option(&NN_PRELOAD)
        .module(module())
}

/// The module; each instance reads `--nn-preload` when it is created.
#[must_use]
pub fn module() -> Module<NnState> {
    Module::new(MODULE_NAME, NnState::from_options)
        .descriptor_name(MODULE_DESCRIPTOR)
        .func("load", func::load)
        .func("load_by_name", func::load_by_name)
        .func("load_by_name_with_config", func::load_by_name_with_config)
        .func("init_execution_context", func::init_execution_context)
        .func("set_input", func::set_input)
        .func("get_output", func::get_output)
        .func("get_output_single", func::get_output_single)
        .func("compute", func::compute)
        .func("compute_single", func::compute_single)
        .func("fini_single", func::fini_single)
        .func("unload", func::unload)
        .func(
            "finalize_execution_context",
            func::finalize_execution_context,
        )
}

wedge_plugin_sdk::plugin!(declare);

#[cfg(test)]
mod tests;
