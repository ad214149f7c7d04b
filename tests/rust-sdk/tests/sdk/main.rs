//! WasmEdge's Rust SDK (`wasmedge-sdk` 0.17.1, `wasmedge-sys` 0.21.1) against Wedge's
//! `libwasmedge.so`: each test uses the SDK as its documentation does and checks what
//! WasmEdge 0.17.1 gives. Run with `scripts/rust-sdk.sh`.

mod asynchronous;
mod config;
mod host;
mod memory;
mod modules;
mod plugins;
mod statistics;
mod timeout;
mod traps;
mod wasi;

use wasmedge_sdk::error::{CoreError, WasmEdgeError};

/// The SDK's error for a core error, as `run_func` and friends return it.
fn core(e: CoreError) -> Box<WasmEdgeError> {
    Box::new(WasmEdgeError::Core(e))
}
