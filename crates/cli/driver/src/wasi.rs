//! The guest's WASI environment, built from the flags as WasmEdge builds it.
//!
//! * WASI is always registered, so a module may import `wasi_snapshot_preview1` without a flag.
//! * `argv[0]` is the input file's name (no directories) with its extension replaced by
//!   `.wasm`; every word after the file follows it (in reactor mode the function's name too).
//! * `--env NAME=VALUE` sets the environment; the host's is never inherited.
//! * `--dir GUEST:HOST[:readonly]` preopens HOST as GUEST (without a colon both are the same
//!   path); the preopens get descriptors 3, 4, ... in sorted order.
//! * `--allow-af-unix` lets the guest open Unix-domain sockets.
//! * A module importing a socket function under its plain name with the `_v2` signature gets
//!   the `_v2` function, as WasmEdge links it.

use crate::args::Args;
use crate::log;
use std::path::Path;
use wedge::{Engine, Linker, Module, Store};
use wedge_wasi::{WasiCtx, WasiCtxBuilder};

/// One `--dir` value, taken apart.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Preopen {
    /// The directory's path as the guest names it.
    pub guest: String,
    /// The host directory.
    pub host: String,
    /// `:readonly`: every write through this directory is refused.
    pub readonly: bool,
}

impl Preopen {
    /// Reads `GUEST:HOST`, `GUEST:HOST:readonly` or `PATH` (guest and host the same).
    pub fn parse(spec: &str) -> Preopen {
        match spec.split_once(':') {
            None => Preopen {
                guest: spec.to_string(),
                host: spec.to_string(),
                readonly: false,
            },
            Some((guest, rest)) => {
                let (host, readonly) = match rest.strip_suffix(":readonly") {
                    Some(host) => (host, true),
                    None => (rest, false),
                };
                Preopen {
                    guest: guest.to_string(),
                    host: host.to_string(),
                    readonly,
                }
            }
        }
    }
}

/// The guest's `argv[0]`: the input's file name with its extension replaced by `.wasm`.
pub fn program_name(file: &str) -> String {
    let name = Path::new(file)
        .file_name()
        .map_or_else(|| file.into(), |n| n.to_string_lossy());
    // `std::filesystem::path::replace_extension`: a name starting with a dot ("." or
    // ".hidden") has no extension.
    let stem = match name.rfind('.') {
        Some(dot) if dot > 0 => &name[..dot],
        _ => &name[..],
    };
    format!("{stem}.wasm")
}

/// The WASI context the flags describe for a guest run from `file` with `guest_args`;
/// `None`, after logging why, when a preopen cannot be opened.
pub fn context(args: &Args, file: &str, guest_args: &[String]) -> Option<WasiCtx> {
    let mut builder = WasiCtxBuilder::new().arg(program_name(file));
    for a in guest_args {
        builder = builder.arg(a);
    }
    for e in &args.envs {
        // WasmEdge passes the text through as the guest's `NAME=VALUE` string.
        let (name, value) = e.split_once('=').unwrap_or((e.as_str(), ""));
        builder = builder.env(name, value);
    }
    let mut preopens: Vec<Preopen> = args.dirs.iter().map(|d| Preopen::parse(d)).collect();
    preopens.sort();
    for p in preopens {
        builder = match builder.preopen_dir(p.guest.as_str(), &p.host, p.readonly) {
            Ok(b) => b,
            Err(e) => {
                let abs = std::path::absolute(&p.host).unwrap_or_else(|_| p.host.clone().into());
                log::error(format_args!(
                    "Cannot preopen directory \"{}\" for the guest path \"{}\": {e}",
                    abs.display(),
                    p.guest
                ));
                return None;
            }
        };
    }
    Some(builder.allow_af_unix(args.allow_af_unix).build())
}

/// A store holding the WASI context and a linker with WASI defined in it; `None` after
/// logging why when the context cannot be built.
pub fn setup(
    engine: &Engine,
    args: &Args,
    file: &str,
    guest_args: &[String],
) -> Option<(Store<WasiCtx>, Linker<WasiCtx>)> {
    let ctx = context(args, file, guest_args)?;
    let mut store = Store::new(engine, ctx);
    let mut linker = Linker::new(engine);
    if let Err(e) = wedge_wasi::add_to_linker(&mut linker, &mut store, |ctx| ctx) {
        crate::errcode::log_error(&e);
        return None;
    }
    Some((store, linker))
}

/// Binds the socket functions `module` imports to the ABI their types ask for (WasmEdge's
/// fallback from the plain names to the `_v2` functions); logs and returns false on failure.
pub fn adapt<T>(linker: &mut Linker<T>, module: &Module) -> bool {
    match wedge_wasi::adapt_imports(linker, module) {
        Ok(()) => true,
        Err(e) => {
            crate::errcode::log_error(&e);
            false
        }
    }
}

/// The exit status a guest asked for with `proc_exit`, if `e` is that request: the whole
/// code, as WasmEdge's driver functions return it (a process exiting with it keeps the low
/// 8 bits, as the operating system cuts WasmEdge's `exit(n)`).
pub fn exit_status(e: &wedge::Error) -> Option<i32> {
    e.downcast_host::<wedge_wasi::Exit>().map(|exit| exit.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dir_specs_read_like_wasmedge() {
        assert_eq!(
            Preopen::parse("/data"),
            Preopen {
                guest: "/data".into(),
                host: "/data".into(),
                readonly: false
            }
        );
        assert_eq!(
            Preopen::parse(".:/tmp/x"),
            Preopen {
                guest: ".".into(),
                host: "/tmp/x".into(),
                readonly: false
            }
        );
        assert_eq!(
            Preopen::parse("/in:/srv/in:readonly"),
            Preopen {
                guest: "/in".into(),
                host: "/srv/in".into(),
                readonly: true
            }
        );
    }

    #[test]
    fn argv0_is_the_file_name_with_a_wasm_extension() {
        assert_eq!(program_name("/a/b/hello.wasm"), "hello.wasm");
        assert_eq!(program_name("dir/app.so"), "app.wasm");
        assert_eq!(program_name("x.tar.gz"), "x.tar.wasm");
        assert_eq!(program_name("prog"), "prog.wasm");
        assert_eq!(program_name(".hidden"), ".hidden.wasm");
    }
}
