//! Finding and loading WasmEdge plug-ins: shared libraries that export the C descriptor
//! `WasmEdge_Plugin_GetDescriptor` (plug-in API version 5, as in WasmEdge 0.17.1).
//!
//! The crate knows where WasmEdge looks for plug-ins ([`paths`]), walks those directories, opens
//! each `.so`/`.dylib`/`.dll`, checks its descriptor and copies it into safe Rust types
//! ([`Plugin`], [`ModuleDescriptor`], [`ProgramOption`]). A file that fails to load is reported
//! with its path and the reason ([`Error`]) and everything else keeps working. The
//! [`PluginRegistry`] holds what loaded, one plug-in per name (the first wins), and never unloads a
//! plug-in. Program options ([`ProgramOption::set`]) write command-line values straight into the
//! plug-in's storage, as WasmEdge does.
//!
//! A plug-in builds its modules through the WasmEdge C API, so creating a module
//! ([`ModuleDescriptor::create`]) needs that C API in the process; this crate only loads.
//!
//! ```
//! use wedge_plugin::{ForbiddenPlugins, PluginRegistry};
//!
//! let registry = PluginRegistry::new();
//! // Loads `WASMEDGE_PLUGIN_PATH` and the directory beside the executable; problems go to stderr.
//! let report = registry.load_default_paths();
//! for plugin in registry.plugins_except(&ForbiddenPlugins::new(["wasi_nn"])) {
//!     println!("{} {} from {}", plugin.name(), plugin.version(), plugin.path().display());
//! }
//! assert_eq!(report.loaded.len(), registry.plugins().len());
//! ```

pub mod abi;
mod error;
mod load;
mod options;
pub mod paths;
mod plugin;
mod registry;

pub use error::{Error, ErrorKind};
pub use load::load_file;
pub use options::{OptionError, OptionType, ProgramOption};
pub use plugin::{ModuleDescriptor, Plugin, PluginVersion};
pub use registry::{
    ForbiddenPlugins, LoadReport, PLUGIN_EXTENSIONS, PluginRegistry, has_plugin_extension,
};
