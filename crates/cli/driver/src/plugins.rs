//! Plug-ins in the CLI: loaded from WasmEdge's default paths before the command line is parsed,
//! their program options accepted as flags, listed by `--version`, and their modules given to
//! guests (all but those named by `--forbidden-plugin`).
//!
//! The plug-ins call back into the C API of this very process, which lives in `wedge-c-api`
//! (a crate that depends on this one): it hands in its loader and module factory as a
//! [`PluginHost`], and the `wedge` binary exports its C API, so there is one runtime whatever
//! the plug-in was linked against.

use crate::args::{Args, PluginFlag};
use std::any::Any;
use std::sync::Arc;
use wedge::{Linker, Store};
use wedge_plugin::{ForbiddenPlugins, OptionType, Plugin, PluginRegistry, ProgramOption};
use wedge_wasi::WasiCtx;

/// What the tools need from the plug-in host: the C API that plug-ins call to build their
/// modules. `wedge-c-api` implements it (`wasmedge::driver`); [`NoPlugins`] stands in where
/// there is no C API.
pub trait PluginHost {
    /// Loads the plug-ins on the default paths (`WASMEDGE_PLUGIN_PATH`, then `../plugin`
    /// beside the library, or `lib/wasmedge` under `/usr`), reporting problems on stderr, and
    /// makes sure the C API they call back into is this process's.
    fn load_default_paths(&self);

    /// Creates one instance of every module of every loaded plug-in not in `forbidden`, binds
    /// it to `store` and defines its exports in `linker`. The returned value owns the modules:
    /// keep it as long as the store runs code (dropping it runs the plug-ins' finalizers).
    ///
    /// # Errors
    /// When an export cannot be bound to the store or defined in the linker.
    fn define_modules(
        &self,
        linker: &mut Linker<WasiCtx>,
        store: &mut Store<WasiCtx>,
        forbidden: &ForbiddenPlugins,
    ) -> Result<Box<dyn Any>, wedge::Error>;
}

/// A host without plug-ins: nothing is loaded, guests get no plug-in modules (the built-in WASI
/// and `wasi:logging` are still there).
#[derive(Clone, Copy, Debug, Default)]
pub struct NoPlugins;

impl PluginHost for NoPlugins {
    fn load_default_paths(&self) {}

    fn define_modules(
        &self,
        _: &mut Linker<WasiCtx>,
        _: &mut Store<WasiCtx>,
        _: &ForbiddenPlugins,
    ) -> Result<Box<dyn Any>, wedge::Error> {
        Ok(Box::new(()))
    }
}

/// Loads the plug-ins on the default paths; problems are reported on stderr.
pub fn load(host: &dyn PluginHost) {
    host.load_default_paths();
}

/// Every loaded plug-in's program options, in load order.
fn options() -> Vec<(Arc<Plugin>, usize)> {
    PluginRegistry::global()
        .plugins()
        .into_iter()
        .flat_map(|p| (0..p.options().len()).map(move |i| (p.clone(), i)))
        .collect()
}

/// The flags the loaded plug-ins add (the first plug-in to use a name wins, as in WasmEdge).
pub fn flags() -> Vec<PluginFlag> {
    options()
        .iter()
        .map(|(p, i)| flag(&p.options()[*i]))
        .collect()
}

fn flag(o: &ProgramOption) -> PluginFlag {
    PluginFlag {
        name: o.name().to_string(),
        takes_value: o.ty() != OptionType::Toggle,
        has_default: o.has_default() || o.ty() == OptionType::Toggle,
    }
}

/// Writes the plug-in options given on the command line into the plug-ins' storage.
pub fn apply_options(args: &Args) -> Result<(), String> {
    let all = options();
    for (index, value) in &args.plugin_options {
        let (plugin, i) = &all[*index];
        plugin.options()[*i]
            .set(value.as_deref())
            .map_err(|e| format!("plug-in {}: {e}", plugin.name()))?;
    }
    Ok(())
}

/// `--version`'s plug-in lines: path, name and version of each loaded plug-in.
pub fn version_lines() -> Vec<String> {
    PluginRegistry::global()
        .plugins()
        .iter()
        .map(|p| {
            format!(
                "{} (plugin \"{}\") version {}",
                p.path().display(),
                p.name(),
                p.version()
            )
        })
        .collect()
}

/// `--help`'s plug-in section: each option with its description.
pub fn help() -> String {
    let mut out = String::new();
    for (p, i) in options() {
        let o = &p.options()[i];
        let value = match o.ty() {
            OptionType::Toggle => "",
            // Repeatable: each `--NAME VALUE` appends.
            OptionType::StringList => " VALUE...",
            _ => " VALUE",
        };
        out.push_str(&format!(
            "  --{}{value:<width$} {} (plug-in {})\n",
            o.name(),
            o.description(),
            p.name(),
            width = 30usize.saturating_sub(o.name().len()),
        ));
    }
    if out.is_empty() {
        out
    } else {
        format!("PLUG-IN OPTIONS\n{out}\n")
    }
}

/// Gives the guest every module of every loaded plug-in not named by `--forbidden-plugin`.
/// The returned value must live as long as the store.
pub fn define(
    host: &dyn PluginHost,
    args: &Args,
    linker: &mut Linker<WasiCtx>,
    store: &mut Store<WasiCtx>,
) -> Result<Box<dyn Any>, wedge::Error> {
    let forbidden = ForbiddenPlugins::new(
        args.forbidden_plugins
            .iter()
            .flat_map(|s| s.split(',').map(str::trim).filter(|n| !n.is_empty())),
    );
    host.define_modules(linker, store, &forbidden)
}
