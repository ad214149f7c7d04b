//! Plug-ins in the CLI: loaded from WasmEdge's default paths before the command line is parsed,
//! their program options accepted as flags, listed by `--version`, and their modules given to
//! guests (all but those named by `--forbidden-plugin`).
//!
//! The plug-ins call back into the C API of this very process: the binary exports it (see
//! `build.rs`), so there is one runtime whatever the plug-in was linked against.

use crate::args::{Args, PluginFlag};
use std::sync::Arc;
use wedge::{Linker, Store};
use wedge_plugin::{ForbiddenPlugins, OptionType, Plugin, PluginRegistry, ProgramOption};

/// Loads the plug-ins on the default paths (`WASMEDGE_PLUGIN_PATH`, then `../plugin` beside the
/// binary, or `lib/wasmedge` under `/usr`); problems are reported on stderr.
pub fn load() {
    wasmedge::embed::export_c_api();
    wasmedge::embed::load_default_paths();
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
        let value = if o.ty() == OptionType::Toggle {
            ""
        } else {
            " VALUE"
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
pub fn define<T: 'static>(
    args: &Args,
    linker: &mut Linker<T>,
    store: &mut Store<T>,
) -> Result<wasmedge::embed::PluginModules, wedge::Error> {
    let forbidden = ForbiddenPlugins::new(
        args.forbidden_plugins
            .iter()
            .flat_map(|s| s.split(',').map(str::trim).filter(|n| !n.is_empty())),
    );
    wasmedge::embed::define_plugin_modules(linker, store, &forbidden)
}
