//! `wedge-environ`: what every Wedge execution tier agrees on.
//!
//! It holds the module model decoded and validated by wasmparser ([`ModuleInfo`]), the value and
//! entity types, [`TrapCode`], the layout of the VM context ([`VMOffsets`]) that the
//! interpreter, compiled code and the runtime all read, and the seam to compiler backends:
//! the [`Compiler`] trait and compiled code as data ([`CodeImage`]).
//!
//! ```
//! use wedge_environ::{ModuleInfo, wasmparser::WasmFeatures};
//! let wasm = [0, b'a', b's', b'm', 1, 0, 0, 0];
//! let info = ModuleInfo::parse(&wasm, WasmFeatures::WASM2).unwrap();
//! assert!(info.funcs.is_empty());
//! ```

mod blocks;
mod code;
pub mod errcode;
mod module;
pub mod opcodes;
mod trap;
mod types;
mod vmoffsets;

pub use blocks::{closes_block, opens_block};
pub use code::{
    CODE_FORMAT_VERSION, CodeImage, CompileError, CompileErrorKind, Compiler, FloatHelper,
    ImageError, LoadReloc, RelocTarget, TRAP_SITE_PENDING, check_compatible, symbols,
    valid_trap_site_code,
};
pub use module::*;
pub use trap::TrapCode;
pub use types::*;
pub use vmoffsets::*;
pub use wasmparser;
