//! `wedge-environ`: what every Wedge execution tier agrees on.
//!
//! It holds the module model decoded and validated by wasmparser ([`ModuleInfo`]), the value and
//! entity types, [`TrapCode`], and the layout of the VM context ([`VMOffsets`]) that the
//! interpreter, compiled code and the runtime all read.
//!
//! ```
//! use wedge_environ::{ModuleInfo, wasmparser::WasmFeatures};
//! let wasm = [0, b'a', b's', b'm', 1, 0, 0, 0];
//! let info = ModuleInfo::parse(&wasm, WasmFeatures::WASM2).unwrap();
//! assert!(info.funcs.is_empty());
//! ```

mod module;
pub mod opcodes;
mod trap;
mod types;
mod vmoffsets;

pub use module::*;
pub use trap::TrapCode;
pub use types::*;
pub use vmoffsets::*;
pub use wasmparser;
