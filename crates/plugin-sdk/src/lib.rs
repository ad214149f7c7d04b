//! Write WasmEdge plug-ins in safe Rust.
//!
//! A plug-in is a shared library that the runtime (`wedge`, WasmEdge, or any host of the WasmEdge
//! C API) loads at start-up; its modules of host functions can then be imported by guests. This
//! crate lets a plug-in author declare the plug-in, its modules and their typed host functions
//! without writing `unsafe`: it builds WasmEdge's C descriptor (`WasmEdge_PluginDescriptor`,
//! plug-in API version 5, as in WasmEdge 0.17.1), creates module instances through the WasmEdge
//! C API, decodes parameters and encodes results, gives host functions checked access to the
//! caller's memory and to per-instance state, and turns errors and panics into
//! `WasmEdge_Result` codes.
//!
//! The plug-in talks to the runtime only through the WasmEdge C API, whose symbols it resolves
//! from the process when it is loaded, so it depends on no Rust type of the runtime, nor on the
//! compiler the runtime was built with. This crate itself has no dependencies.
//!
//! # Example
//!
//! A complete plug-in (`src/lib.rs` of a crate with `crate-type = ["cdylib"]`):
//!
//! ```
//! #![forbid(unsafe_code)]
//!
//! use std::sync::atomic::{AtomicI64, Ordering};
//! use wedge_plugin_sdk::{Caller, Error, Module, Plugin, ProgramOption, package_version};
//!
//! /// `--example-greeting=<word>` on the runtime's command line.
//! static GREETING: ProgramOption<String> =
//!     ProgramOption::string("example-greeting", "the greeting word", "hello");
//!
//! /// The state of one instance of the module.
//! #[derive(Default)]
//! struct Counter(AtomicI64);
//!
//! fn declare() -> Plugin {
//!     Plugin::new("example", package_version!())
//!         .description("an example plug-in")
//!         .option(&GREETING)
//!         .module(
//!             Module::new("example", Counter::default)
//!                 .func("add", |a: i32, b: i32| a.wrapping_add(b))
//!                 .func("count", |c: Caller<'_, Counter>| {
//!                     c.state().0.fetch_add(1, Ordering::Relaxed) + 1
//!                 })
//!                 .func("greet", greet)
//!                 .func("fail", |code: u32| -> Result<(), Error> { Err(Error::user(code)) }),
//!         )
//! }
//!
//! /// Writes "<greeting>, <name>" over the guest's `name` buffer at `ptr`, which has room for
//! /// `cap` bytes; returns the length.
//! fn greet(c: Caller<'_, Counter>, ptr: u32, len: u32, cap: u32) -> Result<u32, Error> {
//!     let memory = c.memory(0)?;
//!     let name = memory.read_str(ptr.into(), len.into())?;
//!     let text = format!("{}, {name}", GREETING.get());
//!     if text.len() > cap as usize {
//!         return Err(Error::user(1));
//!     }
//!     memory.write(ptr.into(), text.as_bytes())?;
//!     Ok(text.len() as u32)
//! }
//!
//! wedge_plugin_sdk::plugin!(declare);
//! # fn main() {
//! #     assert_eq!(declare().module_names().collect::<Vec<_>>(), ["example"]);
//! # }
//! ```
//!
//! The crate `crates/plugin-sdk/example` in Wedge's repository is a fuller example, with tests.
//!
//! # Host functions
//!
//! [`Module::func`] takes any `Fn` (a function or a closure) whose parameters are wasm numbers
//! and that returns nothing, a number, a tuple of numbers or a `Result` of those; see
//! [`IntoFunc`]. The Rust types map to wasm types as `i32`/`u32` → `i32`, `i64`/`u64` → `i64`,
//! `f32` → `f32`, `f64` → `f64`. A first parameter [`Caller<'_, S>`](Caller) gives the
//! function its module instance's state ([`Caller::state`]) and the calling guest's memory
//! ([`Caller::memory`]).
//!
//! - Returning `Err(`[`Error::user`]`(code))` ends the call with a user-level error
//!   (`WasmEdge_ErrCategory_UserLevelError`, `code`); [`Error::terminate`] stops the guest the
//!   way `proc_exit` does. Any error type that converts into [`Error`] can be returned.
//! - A [`Memory`] copies between guest memory and Rust buffers with bounds checks; an
//!   out-of-bounds access is an [`Error::memory_out_of_bounds`] trap, never undefined behaviour.
//! - [`Caller::open_guest_file`] opens a file by a path the guest gave, only inside the guest's
//!   WASI preopened directories and with WASI's sandbox (Wedge's runtime only; under WasmEdge
//!   it fails cleanly with `Unsupported`).
//! - A panic is caught at the C boundary and becomes [`Error::host_func_error`]; build the
//!   plug-in with the default `panic = "unwind"` (with `panic = "abort"` a panic ends the
//!   process).
//!
//! # State
//!
//! Every instance of a module gets its own state, made by the function given to
//! [`Module::new`] when the runtime creates the instance and dropped when the runtime destroys
//! it. Host functions see it as `&S`: the runtime may call them from several threads at once, so
//! `S` is `Send + Sync` and keeps what changes in atomics or a `Mutex`. State shared by all
//! instances is a `static`.
//!
//! # Testing
//!
//! Host functions are plain Rust functions: a test calls them directly, with
//! [`Caller::detached`] for one that takes a caller (it has the state but no guest memory), and
//! can check what the declaration function builds ([`Plugin::module_names`]). Such tests link
//! without a runtime: the plug-in names the C API only from the entry point [`plugin!`] emits,
//! which a test executable does not use, so the linker drops it with its references to the
//! undefined `WasmEdge_*` symbols (this relies on the linker's default dead-code removal, which
//! `-C link-dead-code` turns off). To run a plug-in for real, load it into a runtime: the
//! example plug-in's tests do that through the C API.
//!
//! # Building and loading a plug-in
//!
//! A plug-in is a crate with `crate-type = ["cdylib"]` that depends on this one and invokes
//! [`plugin!`] once. `cargo build --release` gives `target/release/lib<crate>.so` (`.dylib` on
//! macOS, `<crate>.dll` on Windows), which exports one symbol, `WasmEdge_Plugin_GetDescriptor`,
//! and leaves the `WasmEdge_*` functions it calls undefined: the loader resolves them from the
//! process, which is the `wedge` binary or a host linked with `libwasmedge.so.0`.
//!
//! The runtime loads every plug-in it finds, when it starts:
//!
//! - in each directory of the environment variable `WASMEDGE_PLUGIN_PATH`, a `:`-separated list
//!   (on every OS), searched recursively;
//! - then in the default directory beside the runtime's library: `<libdir>/wasmedge` when that
//!   is under `/usr` or `/lib`, `<libdir>/../plugin` otherwise (`~/.wasmedge/plugin` for a user
//!   installation).
//!
//! Only files whose name ends exactly in `.so`, `.dylib` or `.dll` are loaded, and every such
//! file in those directories is, so give plug-ins a directory of their own (not `target/`, which
//! holds other shared libraries):
//!
//! ```text
//! cargo build --release -p my-plugin
//! mkdir -p plugins && cp target/release/libmy_plugin.so plugins/
//! WASMEDGE_PLUGIN_PATH=$PWD/plugins wedge run guest.wasm
//! ```
//!
//! A plug-in whose name is already taken is skipped (the first one loaded wins). The guest
//! imports the module by its name (`(import "example" "add" (func ...))`). Program options are
//! flags of the runtime's command line, `--<name>` or `--<name>=<value>`, parsed before any
//! module is created.

#![allow(
    unsafe_code,
    reason = "the SDK is the C boundary: it builds the C descriptor, calls the WasmEdge C API and \
              is called by it, so that plug-in authors need no unsafe; each block states its \
              invariant"
)]

mod caller;
mod error;
mod ffi;
mod func;
mod guest_memory;
mod module;
mod options;
mod plugin;
mod value;

pub use caller::{Caller, GuestOpenOptions, Memory};
pub use error::Error;
pub use func::IntoFunc;
pub use guest_memory::GuestMemory;
pub use module::Module;
pub use options::{OptionValue, ProgramOption};
pub use plugin::{MAX_MODULES, Plugin, Version};
pub use value::{HostReturn, WasmResults, WasmType};

/// What [`plugin!`] expands to refers to; not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use crate::ffi::{PROCESS_API, WasmEdge_PluginDescriptor};
    pub use crate::plugin::{Entry, PluginCell};

    /// The SDK's own declarations of the plug-in ABI (it stays independent of the runtime's
    /// crates), exposed so that `wedge-plugin`'s tests can check them equal to the loader's.
    pub mod abi {
        pub use crate::ffi::{
            WasmEdge_ModuleDescriptor, WasmEdge_Plugin_CurrentAPIVersion,
            WasmEdge_PluginDescriptor, WasmEdge_PluginVersionData, WasmEdge_ProgramOption,
            WasmEdge_String, WedgeProgramOptionType_StringList,
        };
        pub use crate::ffi::{
            WasmEdge_ProgramOptionType_Double, WasmEdge_ProgramOptionType_Float,
            WasmEdge_ProgramOptionType_Int8, WasmEdge_ProgramOptionType_Int16,
            WasmEdge_ProgramOptionType_Int32, WasmEdge_ProgramOptionType_Int64,
            WasmEdge_ProgramOptionType_String, WasmEdge_ProgramOptionType_Toggle,
            WasmEdge_ProgramOptionType_UInt8, WasmEdge_ProgramOptionType_UInt16,
            WasmEdge_ProgramOptionType_UInt32, WasmEdge_ProgramOptionType_UInt64,
        };
        pub use crate::options::RawStringList as WedgeStringList;
    }
}

/// Declares the crate's plug-in: `plugin!(declare)`, where `declare` is a `fn() -> Plugin` (a
/// function, or a closure that captures nothing). Use it once per plug-in crate.
///
/// It emits the C entry point `WasmEdge_Plugin_GetDescriptor`, which calls `declare` the first
/// time the runtime asks for the descriptor. The `#[unsafe(no_mangle)]` that exports it is the
/// only unsafe attribute involved, and it comes from this macro, so the plug-in crate itself can
/// `#![forbid(unsafe_code)]`.
///
/// If `declare` panics (for instance on a duplicate name), the panic message is printed and the
/// runtime is told the plug-in has no descriptor, so it skips it.
#[macro_export]
macro_rules! plugin {
    ($declare:expr $(,)?) => {
        const _: () = {
            static PLUGIN: $crate::__private::PluginCell =
                $crate::__private::PluginCell::new($declare);

            struct Entry;

            impl $crate::__private::Entry for Entry {
                fn cell() -> &'static $crate::__private::PluginCell {
                    &PLUGIN
                }
            }

            /// The plug-in's entry point, which the runtime looks up by name.
            #[unsafe(no_mangle)]
            pub extern "C" fn WasmEdge_Plugin_GetDescriptor()
            -> *const $crate::__private::WasmEdge_PluginDescriptor {
                PLUGIN.descriptor::<Entry>(&$crate::__private::PROCESS_API)
            }
        };
    };
}

/// The [`Version`] of the crate that invokes it, from its `Cargo.toml` (build number 0).
///
/// ```
/// let v = wedge_plugin_sdk::package_version!();
/// assert_eq!(v.to_string(), format!("{}.0", env!("CARGO_PKG_VERSION").split('-').next().unwrap()));
/// ```
#[macro_export]
macro_rules! package_version {
    () => {
        const {
            $crate::Version::new(
                $crate::Version::parse_part(env!("CARGO_PKG_VERSION_MAJOR")),
                $crate::Version::parse_part(env!("CARGO_PKG_VERSION_MINOR")),
                $crate::Version::parse_part(env!("CARGO_PKG_VERSION_PATCH")),
                0,
            )
        }
    };
}
