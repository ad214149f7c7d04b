//! The WasmEdge 0.17.1 C API, implemented over Wedge and built as `libwasmedge.so.0`.
//!
//! A program or plug-in written against WasmEdge's headers works with this library unchanged:
//! same function names, struct layouts, enum values and error codes (the headers we ship are in
//! `include/wasmedge/`). The same code is linked into the `wedge` binary, which exports these
//! symbols, so a plug-in finds one runtime whether it is loaded by `wedge`, by a C host linked
//! with `libwasmedge.so.0`, or by a Rust host that exports them too (see [`embed`]).
//!
//! Every exported function catches panics, checks its pointers for NULL as WasmEdge does, and
//! reports failures as `WasmEdge_Result` codes.

#![allow(
    unsafe_code,
    reason = "the C API takes raw pointers from C callers; each block states its invariant"
)]
#![allow(
    non_snake_case,
    non_camel_case_types,
    reason = "C names are WasmEdge's exactly"
)]

pub mod abi;
pub mod ast;
pub mod basic;
pub mod compiler;
pub mod configure;
pub mod deprecated;
pub mod driver;
pub mod embed;
pub mod execution;
pub(crate) mod ffi;
pub mod guest_file;
pub mod instance;
pub mod plugin;
#[cfg(test)]
mod sigcheck;
mod standin;
pub(crate) mod store;
pub mod tags;
pub mod types;
pub mod value;
pub mod vm;
pub mod wasi;

/// A pointer to an exported function (see [`exports::EXPORTS`]).
#[derive(Clone, Copy)]
pub struct Export(pub *const ());

// SAFETY: the pointers are addresses of functions, immutable and valid for the program's life.
unsafe impl Sync for Export {}

/// The table of every C API function, generated from `include/wasmedge/*.h` by `build.rs`:
/// the crate does not build if a declared function is missing, and a binary that references the
/// table keeps every function, so `-rdynamic` exports the whole API.
pub mod exports {
    #[allow(
        unused_imports,
        reason = "each generated entry names a function of some module"
    )]
    use crate::{
        Export, ast::*, basic::*, compiler::*, configure::*, deprecated::*, driver::*,
        execution::*, instance::*, plugin::*, tags::*, types::*, value::*, vm::*, wasi::*,
    };
    include!(concat!(env!("OUT_DIR"), "/exports.rs"));
}
