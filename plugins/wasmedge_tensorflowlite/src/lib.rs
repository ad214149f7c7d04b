//! WasmEdge's `wasmedge_tensorflowlite` plug-in for Wedge: a guest hands over a TensorFlow Lite
//! model and its input tensors, the host runs it and hands back the output tensors.
//!
//! Plug-in `wasmedge_tensorflowlite` (version 0.13.0, as WasmEdge 0.17.1's), module
//! `wasmedge_tensorflowlite`, 7 functions with WasmEdge's signatures; every parameter is an
//! `i32` and every function returns an `i32` errno ([`ErrNo`]):
//!
//! | function | parameters | does |
//! |---|---|---|
//! | `create_session` | `model, model_len, *session` | builds a session from the `.tflite` bytes |
//! | `delete_session` | `session` | frees it (always 0) |
//! | `append_input` | `session, name, name_len, data, data_len` | copies an input tensor in, by TFLite tensor name; `data_len` must be the tensor's byte size |
//! | `run_session` | `session` | runs the model |
//! | `get_output_tensor` | `session, name, name_len, *tensor` | the index of the output named so |
//! | `get_tensor_len` | `session, tensor, *len` | that output's byte size |
//! | `get_tensor_data` | `session, tensor, buf, buf_len, *written` | copies it out; `buf_len` must be its byte size |
//!
//! Errnos, as WasmEdge's: 0 success; 1 `InvalidArgument` (unknown session, tensor name or
//! index, a model that does not import, a buffer whose length is not the tensor's size);
//! 3 `MissingMemory` (no memory, or a buffer or result pointer outside it); 4 `Busy` (a model
//! that imports but cannot run, a failed invocation); 5 `RuntimeError` (no runtime installed:
//! see below). The functions ([`func`]) check in WasmEdge's order and log WasmEdge's lines,
//! prefixed `[WasmEdge-Tensorflow-Lite]`, on stderr.
//!
//! # The runtime
//!
//! WasmEdge links TensorFlow Lite's classic C library (`libtensorflowlite_c.so`). None is
//! published in the registries Wedge builds from (PyPI's `tflite-runtime`, `ai-edge-litert` and
//! `tensorflow-cpu` ship none), so Wedge runs `.tflite` models through OpenVINO's TensorFlow
//! Lite frontend, on OpenVINO from the PyPI `openvino` wheel ([`openvino`], on the
//! `wedge-nn-openvino` crate), opened when the first session is created. When it is not
//! installed, `create_session` answers `RuntimeError` and logs a line saying what to install
//! (`scripts/nn-runtimes.sh`). The plug-in itself loads either way.
//!
//! # Differences from WasmEdge 0.17.1
//!
//! - Session ids are never reused (WasmEdge recycles deleted ids).
//! - `get_tensor_data` writes the byte count to `*written` (WasmEdge leaves 0 there).
//! - A model OpenVINO's frontend cannot convert fails to import (`InvalidArgument`) where
//!   TFLite itself might have run it; quantized and custom-op models are the likely cases.

#![forbid(unsafe_code)]

pub mod func;
pub mod openvino;
pub mod session;

#[cfg(test)]
mod tests;

use wedge_plugin_sdk::{Module, Plugin, Version};

pub use session::{Interpreter, Sessions};

/// The plug-in's name, as in WasmEdge.
pub const PLUGIN_NAME: &str = "wasmedge_tensorflowlite";
/// The module's name, which guests import.
pub const MODULE_NAME: &str = "wasmedge_tensorflowlite";

/// WasmEdge's errnos for this plug-in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum ErrNo {
    /// No error.
    Success = 0,
    /// The caller passed an invalid argument.
    InvalidArgument = 1,
    /// Invalid encoding (unused, as in WasmEdge).
    InvalidEncoding = 2,
    /// The caller has no memory, or a buffer is outside it.
    MissingMemory = 3,
    /// The model cannot run.
    Busy = 4,
    /// The runtime failed or is missing.
    RuntimeError = 5,
}

/// Writes one log line to stderr, prefixed as WasmEdge's.
pub fn log(message: &str) {
    eprintln!("[WasmEdge-Tensorflow-Lite] {message}");
}

/// Declares the plug-in.
#[must_use]
pub fn declare() -> Plugin {
    Plugin::new(PLUGIN_NAME, Version::new(0, 13, 0, 0))
        .description("Tensorflow-Lite plug-in for WasmEdge.")
        .module(module(engine))
}

/// The module, its sessions built by `engine`.
#[must_use]
pub fn module(engine: session::Engine) -> Module<Sessions> {
    Module::new(MODULE_NAME, move || Sessions::new(engine))
        .description("This module contains WasmEdge-TensorflowLite host functions.")
        .func("create_session", func::create_session)
        .func("delete_session", func::delete_session)
        .func("run_session", func::run_session)
        .func("get_output_tensor", func::get_output_tensor)
        .func("get_tensor_len", func::get_tensor_len)
        .func("get_tensor_data", func::get_tensor_data)
        .func("append_input", func::append_input)
}

/// The engine the plug-in uses: OpenVINO's TFLite frontend.
fn engine(model: &[u8]) -> Result<Box<dyn Interpreter>, ErrNo> {
    openvino::create(model)
}

wedge_plugin_sdk::plugin!(declare);
