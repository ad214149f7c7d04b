//! WasmEdge's `wasmedge_tensorflow` plug-in for Wedge: a guest hands over a TensorFlow frozen
//! graph (or names a SavedModel directory it can see), feeds input tensors by name, runs the
//! session and reads the output tensors back, through TensorFlow's own C library.
//!
//! Plug-in `wasmedge_tensorflow`, module `wasmedge_tensorflow`, WasmEdge 0.17.1's eleven
//! functions, every parameter `i32` and every result an errno `i32` ([`errno::ErrNo`], 0–5):
//!
//! | function | does |
//! |---|---|
//! | `create_session(buf, len, *sid)` | imports a frozen `GraphDef`, opens a session |
//! | `create_session_saved_model(path, len, tags, ntags, *sid)` | loads a SavedModel, by a guest path |
//! | `delete_session(sid)` | frees a session (0 for an unknown id too, as in WasmEdge) |
//! | `run_session(sid)` | runs it with the appended inputs and outputs |
//! | `append_input(sid, name, len, dims, ndims, dtype, buf, len)` | sets the input tensor `name` |
//! | `clear_input(sid)` | forgets the inputs |
//! | `append_output(sid, name, len)` | fetches the tensor `name` in the next runs |
//! | `clear_output(sid)` | forgets the outputs |
//! | `get_output_tensor(sid, name, len, *tid)` | the id of an appended output |
//! | `get_tensor_len(sid, tid, *len)` | its byte length after a run |
//! | `get_tensor_data(sid, tid, buf, len, *written)` | copies its bytes |
//!
//! Tensor names are `operation:index` (`"x:0"`; no `:` means index 0), `dtype` is TensorFlow's
//! `TF_DataType` number (1 float, 2 double, 3 int32, 4 uint8, 9 int64, 10 bool, …) and the
//! dimensions are `i64`s. The errnos are WasmEdge's: 1 for an unknown session, tensor id or
//! operation and a graph TensorFlow refuses, 3 for a buffer outside the guest's memory, 4 for a
//! run that fails; 5 when TensorFlow's library is absent.
//!
//! # TensorFlow
//!
//! The C library of the PyPI `tensorflow-cpu` 2.21 wheel (`libtensorflow_cc.so.2`, which finds
//! `libtensorflow_framework.so.2` beside it) is opened at the first `create_session*`, once per
//! process ([`ffi`]): from `$WEDGE_TENSORFLOW_LIB` when set, else
//! `~/.cache/wedge/nn/tensorflow/` (where `scripts/nn-runtimes.sh tensorflow` puts it), else the
//! system's library path. Without it the plug-in still loads; `create_session*` log what to
//! install and return 5.
//!
//! # What differs from WasmEdge
//!
//! - Session ids are never reused (WasmEdge hands a deleted id out again).
//! - `create_session_saved_model` reads the directory only through the guest's WASI preopens,
//!   with WASI's sandbox (WasmEdge passes the guest's string to TensorFlow as a host path). It
//!   needs Wedge's runtime (the SDK's [`Caller::open_guest_file`](wedge_plugin_sdk::Caller));
//!   `assets/` are not read.
//! - `append_input` checks what WasmEdge passes on unchecked and TensorFlow would read out of
//!   bounds: the type must have plain-byte elements, the bytes must fill the dimensions exactly,
//!   and the output index must exist (errno 1). `get_tensor_data` before a run writes nothing
//!   (WasmEdge dereferences NULL), and refuses string, resource and variant tensors, whose bytes
//!   are host pointers.
//!
//! # Cost
//!
//! Measured with `scripts/nn/tensorflow.sh --bench` (release build, a 2-core machine shared with
//! other builds, load 2–3, seven interleaved runs of 50–100 iterations): on `tf_bench.pb` (4 ×
//! `[256, 1024] @ [1024, 1024]` + relu, 2.1 GFLOP a run), `append_input` + `run_session` +
//! `get_tensor_data` from a guest in `wedge` took 26–68 ms a run (median 47), TensorFlow's
//! Python API on the same graph, library and default threads 33–55 ms (median 46): the
//! plug-in adds nothing measurable next to the noise. The first `create_session` of a process
//! (opening TensorFlow, then a small graph) took 390–650 ms; a second one of the same graph
//! 0.3–0.5 ms; the 16 MiB benchmark graph's 77–180 ms, and its first run 530–920 ms (TensorFlow
//! optimises the graph then; natively, import + session + first run took 680–1010 ms).
//!
//! ```
//! use wedge_plugin_tensorflow::{declare, MODULE_NAME};
//! assert_eq!(declare().module_names().collect::<Vec<_>>(), [MODULE_NAME]);
//! ```

#![deny(unsafe_code)]

pub mod errno;
pub mod ffi;
pub mod func;
pub mod state;

use wedge_plugin_sdk::{Module, Plugin, package_version};

/// The plug-in's name.
pub const PLUGIN_NAME: &str = "wasmedge_tensorflow";
/// The module's name, which guests import.
pub const MODULE_NAME: &str = "wasmedge_tensorflow";

/// Declares the plug-in: one module, whose instances each have their own sessions.
#[must_use]
pub fn declare() -> Plugin {
    Plugin::new(PLUGIN_NAME, package_version!())
        .description("TensorFlow plug-in for Wedge (WasmEdge's wasmedge_tensorflow)")
        .module(
            Module::new(MODULE_NAME, state::Tensorflow::default)
                .description("This module contains WasmEdge-Tensorflow host functions.")
                .func("create_session", func::create_session)
                .func(
                    "create_session_saved_model",
                    func::create_session_saved_model,
                )
                .func("delete_session", func::delete_session)
                .func("run_session", func::run_session)
                .func("get_output_tensor", func::get_output_tensor)
                .func("get_tensor_len", func::get_tensor_len)
                .func("get_tensor_data", func::get_tensor_data)
                .func("append_input", func::append_input)
                .func("append_output", func::append_output)
                .func("clear_input", func::clear_input)
                .func("clear_output", func::clear_output),
        )
}

wedge_plugin_sdk::plugin!(declare);

#[cfg(test)]
mod tests {
    use super::*;
    use wedge_plugin_sdk::Caller;

    #[test]
    fn the_plugin_declares_wasmedges_module() {
        let plugin = declare();
        assert_eq!(plugin.name(), "wasmedge_tensorflow");
        assert_eq!(
            plugin.module_names().collect::<Vec<_>>(),
            ["wasmedge_tensorflow"]
        );
    }

    #[test]
    fn calls_on_an_unknown_session_are_invalid_argument() {
        let state = state::Tensorflow::default();
        assert_eq!(func::run_session(Caller::detached(&state), 3), 1);
        assert_eq!(func::clear_input(Caller::detached(&state), 0), 1);
        assert_eq!(func::clear_output(Caller::detached(&state), 0), 1);
        assert_eq!(func::delete_session(Caller::detached(&state), 9), 0);
    }

    #[test]
    fn a_guest_without_memory_is_missing_memory() {
        let state = state::Tensorflow::default();
        assert_eq!(func::create_session(Caller::detached(&state), 0, 0, 0), 3);
        assert_eq!(func::get_tensor_len(Caller::detached(&state), 0, 0, 0), 3);
    }
}
