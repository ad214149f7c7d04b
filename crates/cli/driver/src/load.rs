//! What every subcommand that takes a module does first: configure the engine from the
//! flags, read and decode the file, register `--module` dependencies.

use crate::args::Args;
use crate::{errcode, log};
use std::path::Path;
use wedge::{Config, Engine, Features, Linker, Module, Store};

/// The engine configuration the flags ask for, logging a warning for each flag that had no
/// effect.
pub fn config(args: &Args) -> Config {
    let (features, warnings) = args.proposals.features(Features::default());
    for w in warnings {
        log::warn(w);
    }
    let mut config = Config::new();
    config.set_features(features);
    if let Some(pages) = args.memory_page_limit {
        config.memory_page_limit(pages);
    }
    config
}

/// The file's path as WasmEdge's log shows it: absolute, in double quotes.
fn quoted_path(path: &str) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| Path::new(path).to_path_buf());
    let mut out = String::from("\"");
    for c in abs.to_string_lossy().chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// Reads a file, logging WasmEdge's loading error if it cannot.
pub fn read(path: &str) -> Option<Vec<u8>> {
    match std::fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            let code = if e.kind() == std::io::ErrorKind::NotFound {
                0x100
            } else {
                0x101
            };
            log::error(errcode::headline(code));
            log::error(format_args!("    {e}"));
            log::error(format_args!("    File name: {}", quoted_path(path)));
            None
        }
    }
}

/// A module file as read: a wasm module's bytes, or a shared library from `wedge compile
/// OUT.so`, of which only the ELF header was read (the system loader maps the file).
pub enum Input {
    /// The file's bytes.
    Wasm(Vec<u8>),
    /// A native shared library.
    SharedLibrary,
}

impl Input {
    /// The file at `path`, or `None` (nothing logged) if it cannot be read.
    pub fn peek(path: &str) -> Option<Input> {
        use std::io::Read;
        let mut file = std::fs::File::open(path).ok()?;
        let mut bytes = Vec::new();
        (&mut file).take(4).read_to_end(&mut bytes).ok()?;
        if is_shared_library(&bytes) {
            return Some(Input::SharedLibrary);
        }
        file.read_to_end(&mut bytes).ok()?;
        Some(Input::Wasm(bytes))
    }

    /// `bytes` read from a module file.
    pub fn from_bytes(bytes: Vec<u8>) -> Input {
        if is_shared_library(&bytes) {
            Input::SharedLibrary
        } else {
            Input::Wasm(bytes)
        }
    }
}

/// Reads, decodes and validates a module file, logging why if it cannot.
/// A shared library from `wedge compile OUT.so` (an ELF file) is opened with the system
/// loader instead (see `Module::from_shared_library`).
pub fn module(engine: &Engine, path: &str) -> Option<Module> {
    module_from(engine, path, Input::from_bytes(read(path)?))
}

/// [`module`], for a file the caller has read already.
pub fn module_from(engine: &Engine, path: &str, input: Input) -> Option<Module> {
    let bytes = match input {
        Input::Wasm(bytes) => bytes,
        Input::SharedLibrary => {
            return match Module::from_shared_library(engine, path) {
                Ok(m) => Some(m),
                Err(e) => {
                    errcode::log_error(&e);
                    None
                }
            };
        }
    };
    match Module::new(engine, &bytes) {
        Ok(m) => Some(m),
        Err(e) => {
            log_module_error(&e, &bytes, path);
            None
        }
    }
}

/// Whether `bytes` are a native shared library (ELF) rather than a wasm module.
pub fn is_shared_library(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x7fELF")
}

/// Logs why `bytes` (read from `path`) were rejected.
pub fn log_module_error(err: &wedge::Error, bytes: &[u8], path: &str) {
    errcode::log_error(err);
    if bytes.starts_with(b"\x7fELF")
        || bytes.starts_with(b"MZ")
        || bytes.starts_with(&[0xcf, 0xfa, 0xed, 0xfe])
    {
        log::error(
            "    This looks like a native shared library from `wasmedge compile`; Wedge cannot \
             load those yet. Run the original .wasm file instead.",
        );
    } else if bytes.len() >= 8 && bytes.starts_with(b"\0asm") && bytes[6..8] == [1, 0] {
        log::error("    This is a component; Wedge does not implement the component model yet.");
    }
    log::error(format_args!("    File name: {}", quoted_path(path)));
}

/// Instantiates each `--module NAME:PATH` and registers its exports under NAME.
pub fn register_modules<T: 'static>(
    specs: &[String],
    engine: &Engine,
    store: &mut Store<T>,
    linker: &mut Linker<T>,
) -> bool {
    for spec in specs {
        let Some((name, path)) = spec.split_once(':') else {
            log::error(format_args!(
                "Invalid --module format: \"{spec}\". Expected name:path."
            ));
            return false;
        };
        let registered = module(engine, path).is_some_and(|m| {
            if !crate::wasi::adapt(linker, &m) {
                return false;
            }
            let result = linker.instantiate(&mut *store, &m).and_then(|instance| {
                linker.instance(&*store, name, instance)?;
                Ok(())
            });
            result.map_err(|e| errcode::log_error(&e)).is_ok()
        });
        if !registered {
            let abs = std::path::absolute(path).unwrap_or_else(|_| path.into());
            log::error(format_args!(
                "Failed to register module \"{name}\" from: {}",
                abs.display()
            ));
            return false;
        }
    }
    true
}
