//! A loaded plug-in, in safe Rust types copied from its C descriptor.

#![allow(
    unsafe_code,
    reason = "Send/Sync for pointers into a plug-in's static descriptor, and calling its Create"
)]

use std::fmt;
use std::path::{Path, PathBuf};

use crate::abi::{
    WasmEdge_ModuleCreateFn, WasmEdge_ModuleDescriptor, WasmEdge_ModuleInstanceContext,
};
use crate::options::ProgramOption;

/// A plug-in's own version (`WasmEdge_PluginVersionData`): four numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PluginVersion {
    /// Major version.
    pub major: u32,
    /// Minor version.
    pub minor: u32,
    /// Patch version.
    pub patch: u32,
    /// Build number.
    pub build: u32,
}

impl fmt::Display for PluginVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{}.{}.{}",
            self.major, self.minor, self.patch, self.build
        )
    }
}

/// One module a plug-in offers (one `WasmEdge_ModuleDescriptor`).
pub struct ModuleDescriptor {
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) create: WasmEdge_ModuleCreateFn,
    pub(crate) raw: *const WasmEdge_ModuleDescriptor,
}

// SAFETY: `raw` is NULL (a built-in module) or points into the descriptor of a plug-in whose
// library is never unloaded while a `ModuleDescriptor` exists (the owning `Plugin` keeps it
// loaded, and a registered one is kept forever); the loader only reads that memory, and `create`
// is a plain function pointer.
unsafe impl Send for ModuleDescriptor {}
// SAFETY: as for `Send`: shared access only reads immutable plug-in data.
unsafe impl Sync for ModuleDescriptor {}

impl ModuleDescriptor {
    /// A module of a plug-in built into the runtime (see [`Plugin::builtin`]). `create` is called
    /// with a NULL descriptor, and must return a module instance of the runtime's C API.
    pub fn builtin(
        name: impl Into<String>,
        description: impl Into<String>,
        create: WasmEdge_ModuleCreateFn,
    ) -> Self {
        Self {
            name: name.into(),
            description: description.into(),
            create,
            raw: std::ptr::null(),
        }
    }

    /// The module's name as the plug-in's descriptor lists it (the instance the plug-in creates
    /// may name itself differently).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The module's description (empty when the plug-in gave none).
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The plug-in's own descriptor entry, which WasmEdge passes to `Create` (NULL for a built-in
    /// plug-in's module).
    pub fn raw_descriptor(&self) -> *const WasmEdge_ModuleDescriptor {
        self.raw
    }

    /// Calls the plug-in's `Create` with its own descriptor entry, as
    /// `WasmEdge_PluginCreateModule` does, and returns the module instance (NULL on failure).
    ///
    /// # Safety
    ///
    /// The plug-in builds its module through the WasmEdge C API, so the runtime's C API symbols
    /// must be resolvable by the plug-in and must belong to this runtime; the returned pointer is a
    /// `WasmEdge_ModuleInstanceContext` of that C API which the caller owns.
    pub unsafe fn create(&self) -> *mut WasmEdge_ModuleInstanceContext {
        // SAFETY: `create` came non-NULL from the descriptor of a library that is still loaded
        // (see the `Send` impl), or is a built-in module's function in the runtime, and it is
        // called with the plug-in's own entry (NULL for a built-in), as the ABI says; the caller
        // guarantees the C API the plug-in calls is present.
        unsafe { (self.create)(self.raw) }
    }
}

impl fmt::Debug for ModuleDescriptor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ModuleDescriptor")
            .field("name", &self.name)
            .field("description", &self.description)
            .finish_non_exhaustive()
    }
}

/// A plug-in read from a shared library: what its descriptor says, copied into Rust types.
///
/// The library stays loaded for as long as the `Plugin` exists; once a registry accepts a plug-in,
/// it is never unloaded (module instances and option storage point into it).
pub struct Plugin {
    pub(crate) path: PathBuf,
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) version: PluginVersion,
    pub(crate) modules: Vec<ModuleDescriptor>,
    pub(crate) options: Vec<ProgramOption>,
    /// Compiled into the runtime rather than loaded from a file.
    pub(crate) builtin: bool,
    /// `Some` until the plug-in is accepted; then leaked so the library is never unloaded.
    /// Declared last so that the copies above are dropped before the library closes.
    pub(crate) library: Option<libloading::Library>,
}

impl Plugin {
    /// A plug-in compiled into the runtime, as WasmEdge's `wasi_logging` is: no file (its path is
    /// empty, as WasmEdge lists it), no library, no program options. Register it with
    /// [`PluginRegistry::register_builtin`](crate::PluginRegistry::register_builtin).
    pub fn builtin(
        name: impl Into<String>,
        description: impl Into<String>,
        version: PluginVersion,
        modules: Vec<ModuleDescriptor>,
    ) -> Self {
        Self {
            path: PathBuf::new(),
            name: name.into(),
            description: description.into(),
            version,
            modules,
            options: Vec::new(),
            builtin: true,
            library: None,
        }
    }

    /// Whether the plug-in is compiled into the runtime (see [`Plugin::builtin`]). The runtime
    /// defines a built-in plug-in's modules itself wherever WasmEdge does, so they are not among
    /// the modules [`PluginRegistry::plugins_except`](crate::PluginRegistry::plugins_except)
    /// gives.
    pub fn is_builtin(&self) -> bool {
        self.builtin
    }

    /// The file it was loaded from, as the path string it was found under (empty for a built-in
    /// plug-in).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The plug-in's name, unique in a registry.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The plug-in's description (empty when it gave none).
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The plug-in's own version.
    pub fn version(&self) -> PluginVersion {
        self.version
    }

    /// The modules it offers, in descriptor order.
    pub fn modules(&self) -> &[ModuleDescriptor] {
        &self.modules
    }

    /// The module with this descriptor name, if any.
    pub fn module(&self, name: &str) -> Option<&ModuleDescriptor> {
        self.modules.iter().find(|m| m.name == name)
    }

    /// Its program options (command-line flags `--<name>`), in descriptor order.
    pub fn options(&self) -> &[ProgramOption] {
        &self.options
    }

    /// Never unload the library again (called when a registry accepts the plug-in).
    pub(crate) fn keep_loaded_forever(&mut self) {
        if let Some(library) = self.library.take() {
            std::mem::forget(library);
        }
    }
}

impl fmt::Debug for Plugin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Plugin")
            .field("path", &self.path)
            .field("name", &self.name)
            .field("description", &self.description)
            .field("version", &self.version)
            .field("modules", &self.modules)
            .field("options", &self.options)
            .field("builtin", &self.builtin)
            .finish_non_exhaustive()
    }
}
