//! Which execution tier runs the input: `--run-mode`, the deprecated `--enable-jit` /
//! `--force-interpreter`, native code in the input file, and the code cache.
//!
//! * `interpreter` (or `--force-interpreter`): everything is interpreted.
//! * `jit`: modules are compiled with Cranelift when loaded (native code in a universal wasm
//!   made for this machine is used as is); compiled code is kept in the code cache.
//! * `aot`: the native code `wedge compile` put into the input runs; a module without usable
//!   native code (none, or made for another CPU or with other settings) is interpreted, with
//!   a warning saying why. `lazyjit` is `jit`.
//! * No `--run-mode`: like `aot` when the input carries native code (a universal wasm, or a
//!   shared library from `compile OUT.so`), otherwise the interpreter. A shared library in
//!   `interpreter` mode runs the module inside it interpreted. (WasmEdge 0.17 needs `--run-mode aot` for native code; up to
//!   0.16 it used it by default, which is what someone who ran `compile` expects.)
//!
//! The code cache lives in `$XDG_CACHE_HOME/wedge/code` (or `~/.cache/wedge/code`);
//! `--code-cache DIR` or the environment variable `WEDGE_CODE_CACHE=DIR` moves it, and the
//! value `off` (either way) turns it off. The flag wins over the variable.

use crate::args::Args;
use crate::log;
use std::path::PathBuf;
use wedge::{Config, Module, NativeCode};

/// The tier the command line asks for.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Tier {
    /// Interpret everything.
    Interpreter,
    /// Compile when loading.
    Jit,
    /// Run native code from the input.
    Aot,
}

/// The tier the flags ask for, with WasmEdge's warnings for the deprecated flags. `input`
/// is the input file's bytes, when known (no `--run-mode`: native code in it is used).
pub fn requested(args: &Args, input: Option<&crate::load::Input>) -> Tier {
    if let Some(mode) = &args.run_mode {
        if args.enable_jit || args.force_interpreter {
            log::warn("--run-mode overrides deprecated --enable-jit / --force-interpreter.");
        }
        match mode.to_ascii_lowercase().as_str() {
            "interpreter" => Tier::Interpreter,
            "jit" => Tier::Jit,
            "lazyjit" => {
                log::warn("--run-mode=lazyjit: Wedge compiles each module when it loads it (jit).");
                Tier::Jit
            }
            "aot" => Tier::Aot,
            _ => {
                log::warn(format_args!(
                    "Unknown --run-mode value: \"{mode}\"; using interpreter. Valid values: \
                     interpreter, jit, aot, lazyjit."
                ));
                Tier::Interpreter
            }
        }
    } else if args.enable_jit {
        log::warn("--enable-jit is deprecated, use --run-mode=jit instead.");
        Tier::Jit
    } else if args.force_interpreter {
        log::warn("--force-interpreter is deprecated, use --run-mode=interpreter instead.");
        Tier::Interpreter
    } else if input.is_some_and(|input| match input {
        crate::load::Input::Wasm(b) => wedge::aot::split_native_section(b).is_some(),
        crate::load::Input::SharedLibrary => true,
    }) {
        Tier::Aot
    } else {
        Tier::Interpreter
    }
}

/// Sets up `config` for `tier` (after the metering flags were applied).
pub fn configure(args: &Args, tier: Tier, config: &mut Config) {
    match tier {
        Tier::Interpreter => {}
        Tier::Jit => {
            config.jit(true).aot(true).code_cache(cache_dir(args));
        }
        Tier::Aot => {
            config.aot(true);
        }
    }
}

/// Warns when `module` was to run native code but is interpreted, saying why, and when a
/// time limit is set but the module's native code cannot be stopped.
pub fn report(tier: Tier, module: &Module, time_limited: bool) {
    if tier == Tier::Interpreter {
        return;
    }
    if let NativeCode::Interpreted(Some(why)) = module.native_code() {
        log::warn(format_args!("running in the interpreter: {why}"));
    }
    if time_limited && !module.can_be_interrupted() {
        log::warn(
            "the native code was compiled without --interruptible: the time limit cannot \
             stop it (compile it with `wedge compile --interruptible`, or run it with \
             --run-mode jit or interpreter)",
        );
    }
}

/// The code cache directory, or None when it is off.
fn cache_dir(args: &Args) -> Option<PathBuf> {
    let setting = args
        .code_cache
        .clone()
        .or_else(|| std::env::var("WEDGE_CODE_CACHE").ok());
    match setting.as_deref() {
        Some("off") => None,
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => {
            let base = std::env::var_os("XDG_CACHE_HOME")
                .filter(|d| !d.is_empty())
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
            Some(base.join("wedge").join("code"))
        }
    }
}
