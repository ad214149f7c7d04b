//! The interpreter: wasm operators are translated, lazily and function by function, into a
//! register IR ([`ir`]), which [`exec`] runs.
//!
//! Setting the environment variable `WEDGE_DUMP_IR` prints each function's IR (with cell
//! indices) to stderr as it is translated: a debugging aid for the translator.

mod exec;
pub(crate) mod float;
pub(crate) mod ir;
pub(crate) mod simd;
mod translate;

#[cfg(feature = "cranelift")]
pub(crate) use exec::call_host as call_host_raw;
pub(crate) use exec::{Stack, invoke, reclaim_lent_stack};
pub(crate) use ir::CompiledFunc;
pub(crate) use translate::translate;
