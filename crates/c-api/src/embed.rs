//! For Rust hosts (the `wedge` binary among them): load plug-ins and put their modules into a
//! [`wedge::Store`], so guests can import them.
//!
//! A plug-in builds its modules by calling the C API, so the process must export the C API
//! symbols from the same copy of this crate: link the binary with `-rdynamic` (and, so that a
//! plug-in linked against `libwasmedge.so.0` binds to it, `-Wl,-soname,libwasmedge.so.0`), and
//! call [`export_c_api`] so every function is linked in. The `wedge` binary does both in its
//! build script.

use crate::instance::WasmEdge_ModuleInstanceContext;
use crate::store::Binding;
use wedge::{Linker, Store};
use wedge_plugin::{ForbiddenPlugins, PluginRegistry};

pub use crate::plugin::{library_dir, load_default_paths};

/// Keeps every C API function in the binary that calls it (see the module docs); returns how
/// many there are.
pub fn export_c_api() -> usize {
    std::hint::black_box(&crate::exports::EXPORTS).len()
        + std::hint::black_box(&crate::guest_file::EXPORTS).len()
}

/// Plug-in modules bound to a store. Keep this as long as the store runs code: dropping it
/// runs the modules' finalizers (the plug-ins' per-module state).
pub struct PluginModules {
    #[allow(
        clippy::vec_box,
        reason = "the boxes keep the addresses C code was given"
    )]
    modules: Vec<Box<WasmEdge_ModuleInstanceContext>>,
}

impl PluginModules {
    /// The names the modules were defined under.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.modules.iter().map(|m| m.name.as_str())
    }
}

impl std::fmt::Debug for PluginModules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.names()).finish()
    }
}

/// Creates one instance of every module of every loaded plug-in that is not forbidden, binds it
/// to `store`, and defines its exports in `linker` under the instance's own name. A module name
/// already defined in `linker` is skipped with a warning (WasmEdge ignores such clashes); a
/// plug-in whose `Create` fails is reported and skipped. Official WasmEdge plug-ins that are not
/// loaded (or are forbidden) get their stand-in modules, as in `WasmEdge_VMCreate`.
pub fn define_plugin_modules<T: 'static>(
    linker: &mut Linker<T>,
    store: &mut Store<T>,
    forbidden: &ForbiddenPlugins,
) -> Result<PluginModules, wedge::Error> {
    let mut modules = Vec::new();
    let created = crate::plugin::new_plugin_modules(forbidden, |plugin, desc| {
        eprintln!(
            "[warning] plug-in `{}` failed to create its module `{}`",
            plugin.name(),
            desc.name()
        );
    });
    for (plugin, module) in created {
        let binding = Binding {
            store_id: store.id(),
            home: None,
        };
        let externs = module.bind_externs(store, &binding)?;
        if externs
            .iter()
            .any(|(name, _)| linker.get(&module.name, name).is_some())
        {
            eprintln!(
                "[warning] plug-in `{plugin}`: module `{}` is already defined; skipped",
                module.name
            );
            continue;
        }
        for (name, e) in externs {
            linker.define(&module.name, &name, e)?;
        }
        modules.push(module);
    }
    Ok(PluginModules { modules })
}

/// Loads the plug-ins at `path` (a file or a directory); problems go to stderr.
pub fn load_plugins_from(path: impl AsRef<std::path::Path>) {
    PluginRegistry::global().load_path(path);
}
