//! `wasi:logging/logging`: the logging module WasmEdge always builds in
//! (`lib/plugin/wasi_logging/`), with one import:
//!
//! ```text
//! (import "wasi:logging/logging" "log" (func (param i32 i32 i32 i32 i32)))
//! ;;                                          level ctx_ptr ctx_len msg_ptr msg_len
//! ```
//!
//! What WasmEdge does, read from its source, and what Wedge does the same:
//! * Levels 0 to 5 are trace, debug, info, warn, error and critical; every level is written
//!   (WasmEdge's loggers are set to `trace`).
//! * The context string picks the destination: `""` or `"stdout"` is stdout, `"stderr"` is
//!   stderr, anything else names a log file, opened for appending (created, with its parent
//!   directories, if missing) and kept open while the guest keeps using the same name.
//! * A line is spdlog's pattern `[%Y-%m-%d %H:%M:%S.%e] [%^%l%$] %v`:
//!   `[2024-05-01 12:00:00.123] [warning] message`, with spdlog's level names (`trace`,
//!   `debug`, `info`, `warning`, `error`, `critical`). The message is written byte for byte
//!   (no UTF-8 check, braces are not format arguments). On a colour terminal (`COLORTERM`
//!   set, or a `TERM` spdlog recognises) the level name on stdout and stderr is coloured
//!   with spdlog's colours; files and injected writers are never coloured.
//! * The call fails with a host-function error (`0x40E`), which stops the guest as a trap,
//!   when the context or message lies outside memory, when the log file cannot be opened, or
//!   for a level above 5 (WasmEdge logs the valid levels; Wedge puts them in the error).
//!   The strings are checked first, then the destination is opened, then the level.
//!
//! Where Wedge differs:
//! * **File destinations are sandboxed.** In WasmEdge any other context string is a host
//!   path, so a guest can append to any file the runtime can write. Wedge writes a file only
//!   when the embedder granted a log directory ([`LoggingCtxBuilder::log_dir`]); the context
//!   is then a path relative to that directory, opened through `cap_std` so that no path
//!   (`..`, absolute, or through a symlink) reaches outside it, and such a path fails the call
//!   as an unopenable file does in WasmEdge. With no directory granted, file messages go to
//!   stderr, after a one-time warning that says the file was refused.
//! * Times are UTC (spdlog writes local time), as in the rest of Wedge's logs.
//! * The memory is the caller's export `memory`, as for WASI preview1 functions (WasmEdge
//!   takes memory index 0, exported or not); a caller without it fails the call.
//! * Write errors (a closed stdout, a full disk) are ignored, as spdlog's console sinks ignore
//!   them.
//!
//! The context lives in the host function itself, not in the store's data, so any
//! `Store<T>` can have the module:
//!
//! ```no_run
//! use wedge::{Engine, Linker, Store};
//! use wedge_wasi::logging::LoggingCtxBuilder;
//!
//! let engine = Engine::default();
//! let mut store = Store::new(&engine, ());
//! let mut linker = Linker::new(&engine);
//! let logs = cap_std::fs::Dir::open_ambient_dir("logs", cap_std::ambient_authority())?;
//! let ctx = LoggingCtxBuilder::new().log_dir(logs).build();
//! wedge_wasi::logging::add_to_linker(&mut linker, &mut store, ctx)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::io::{IsTerminal, Write};
use std::sync::{Mutex, PoisonError};
use std::time::SystemTime;

use cap_std::fs::{Dir, File, OpenOptions};
use wedge::{Caller, Error, Extern, FuncType, Linker, Store, Val, ValType};

use crate::Args;

/// The import module name.
pub const MODULE: &str = "wasi:logging/logging";

pub use wedge::log::Level;

/// A writer a log line can go to.
pub type Sink = Box<dyn Write + Send>;

/// A console destination: the writer and whether its level names are coloured.
struct Console {
    out: Sink,
    color: bool,
}

impl Console {
    fn new(out: Option<Sink>, default: impl FnOnce() -> (Sink, bool)) -> Console {
        match out {
            Some(out) => Console { out, color: false },
            None => {
                let (out, is_terminal) = default();
                Console {
                    out,
                    color: is_terminal && is_color_terminal(),
                }
            }
        }
    }
}

/// Builds a [`LoggingCtx`].
#[derive(Default)]
pub struct LoggingCtxBuilder {
    stdout: Option<Sink>,
    stderr: Option<Sink>,
    log_dir: Option<Dir>,
}

impl LoggingCtxBuilder {
    /// Logging to the process's stdout and stderr, with no file destinations allowed.
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes the `""` and `"stdout"` destinations to `out` instead of the process's stdout.
    pub fn stdout(mut self, out: impl Write + Send + 'static) -> Self {
        self.stdout = Some(Box::new(out));
        self
    }

    /// Writes the `"stderr"` destination (and refused files) to `out` instead of the
    /// process's stderr.
    pub fn stderr(mut self, out: impl Write + Send + 'static) -> Self {
        self.stderr = Some(Box::new(out));
        self
    }

    /// Lets the guest log to files inside `dir`: any other context string is a path
    /// relative to it.
    pub fn log_dir(mut self, dir: Dir) -> Self {
        self.log_dir = Some(dir);
        self
    }

    /// The context.
    pub fn build(self) -> LoggingCtx {
        LoggingCtx {
            stdout: Console::new(self.stdout, || {
                (Box::new(std::io::stdout()), std::io::stdout().is_terminal())
            }),
            stderr: Console::new(self.stderr, || {
                (Box::new(std::io::stderr()), std::io::stderr().is_terminal())
            }),
            log_dir: self.log_dir,
            file: None,
            refusal_noted: false,
        }
    }
}

/// Where one guest's log messages go.
pub struct LoggingCtx {
    stdout: Console,
    stderr: Console,
    log_dir: Option<Dir>,
    /// The log file in use and the context string that named it.
    file: Option<(Vec<u8>, File)>,
    /// Whether the warning about a refused file destination has been written.
    refusal_noted: bool,
}

impl Default for LoggingCtx {
    fn default() -> Self {
        LoggingCtxBuilder::new().build()
    }
}

impl std::fmt::Debug for LoggingCtx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoggingCtx")
            .field("log_dir", &self.log_dir.is_some())
            .finish_non_exhaustive()
    }
}

/// The destination a context string picks.
enum Dest {
    Stdout,
    Stderr,
    File,
}

impl LoggingCtx {
    /// Writes `msg` at `level` (the guest's number) to the destination `context` names;
    /// an error is the host-function failure the guest sees.
    fn log(&mut self, level: u32, context: &[u8], msg: &[u8]) -> Result<(), Error> {
        let dest = match context {
            b"" | b"stdout" => Dest::Stdout,
            b"stderr" => Dest::Stderr,
            _ if self.log_dir.is_some() => {
                self.open_file(context)?;
                Dest::File
            }
            _ => {
                self.note_refusal(context);
                Dest::Stderr
            }
        };
        let Some(level) = Level::from_u32(level) else {
            return Err(Error::host(format!(
                "[WasiLogging] Unrecognized Logging Level: {level}; the levels are 0 trace, \
                 1 debug, 2 info, 3 warn, 4 error and 5 critical"
            )));
        };
        match dest {
            Dest::Stdout => write_console(&mut self.stdout, level, msg),
            Dest::Stderr => write_console(&mut self.stderr, level, msg),
            Dest::File => {
                if let Some((_, file)) = &mut self.file {
                    // As with the consoles, a failed write is not the guest's failure.
                    let _ = file.write_all(&line(level, msg, false));
                }
            }
        }
        Ok(())
    }

    /// Makes the file `context` names (inside the log directory) the open log file.
    fn open_file(&mut self, context: &[u8]) -> Result<(), Error> {
        if self.file.as_ref().is_some_and(|(name, _)| name == context) {
            return Ok(());
        }
        let Some(dir) = &self.log_dir else {
            return Err(cannot_open("no log directory was granted"));
        };
        let path = std::str::from_utf8(context)
            .map(std::path::Path::new)
            .map_err(|_| cannot_open("the file name is not UTF-8"))?;
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            dir.create_dir_all(parent).map_err(cannot_open)?;
        }
        let file = dir
            .open_with(path, OpenOptions::new().create(true).append(true))
            .map_err(cannot_open)?;
        self.file = Some((context.to_vec(), file));
        Ok(())
    }

    /// Warns on stderr, the first time only, that a file destination was refused.
    fn note_refusal(&mut self, context: &[u8]) {
        if self.refusal_noted {
            return;
        }
        self.refusal_noted = true;
        let note = format!(
            "[WasiLogging] Not logging into file \"{}\": the embedder granted no log \
             directory; messages for files go to stderr",
            String::from_utf8_lossy(context)
        );
        write_console(&mut self.stderr, Level::Warn, note.as_bytes());
    }
}

#[cold]
fn cannot_open(why: impl std::fmt::Display) -> Error {
    Error::host(format!("[WasiLogging] Cannot log into file: {why}"))
}

fn write_console(console: &mut Console, level: Level, msg: &[u8]) {
    // Nothing can be reported about a console that cannot be written.
    let _ = console
        .out
        .write_all(&line(level, msg, console.color))
        .and_then(|()| console.out.flush());
}

/// One log line in spdlog's pattern `[%Y-%m-%d %H:%M:%S.%e] [%^%l%$] %v`.
fn line(level: Level, msg: &[u8], color: bool) -> Vec<u8> {
    let mut line = Vec::with_capacity(msg.len() + 48);
    line.push(b'[');
    line.extend_from_slice(wedge::log::timestamp(SystemTime::now()).as_bytes());
    line.extend_from_slice(b"] [");
    if color {
        line.extend_from_slice(level.color().as_bytes());
    }
    line.extend_from_slice(level.name().as_bytes());
    if color {
        line.extend_from_slice(b"\x1b[m");
    }
    line.extend_from_slice(b"] ");
    line.extend_from_slice(msg);
    line.push(b'\n');
    line
}

/// Whether the environment names a colour terminal, by spdlog's test: `COLORTERM` is set, or
/// `TERM` contains one of the terminal names it knows.
fn is_color_terminal() -> bool {
    const TERMS: &[&str] = &[
        "ansi",
        "color",
        "console",
        "cygwin",
        "gnome",
        "konsole",
        "kterm",
        "linux",
        "msys",
        "putty",
        "rxvt",
        "screen",
        "vt100",
        "xterm",
        "alacritty",
        "vt102",
    ];
    if std::env::var_os("COLORTERM").is_some() {
        return true;
    }
    std::env::var("TERM").is_ok_and(|term| TERMS.iter().any(|t| term.contains(t)))
}

/// `len` bytes at `ptr` in `mem`, or the failure WasmEdge reports for a string out of bounds.
fn guest_bytes<'m>(mem: &'m [u8], ptr: u32, len: u32, what: &str) -> Result<&'m [u8], Error> {
    let start = ptr as usize;
    start
        .checked_add(len as usize)
        .and_then(|end| mem.get(start..end))
        .ok_or_else(|| {
            Error::host(format!(
                "[WasiLogging] the {what} ({len} bytes at {ptr}) is outside the guest's memory"
            ))
        })
}

/// Defines `wasi:logging/logging.log` in `linker`, as a host function of `store` that owns
/// `ctx`.
pub fn add_to_linker<T: 'static>(
    linker: &mut Linker<T>,
    store: &mut Store<T>,
    ctx: LoggingCtx,
) -> Result<(), Error> {
    let ctx = Mutex::new(ctx);
    let ty = FuncType::new([ValType::I32; 5], []);
    let func = wedge::Func::new(
        &mut *store,
        ty,
        move |caller: Caller<'_, T>, args: &[Val], _results: &mut [Val]| {
            let args = Args(args);
            let mem = caller
                .get_export("memory")
                .and_then(Extern::into_memory)
                .ok_or_else(|| Error::host("[WasiLogging] the caller exports no memory"))?;
            let bytes = mem.data(&caller);
            let context = guest_bytes(bytes, args.u32(1), args.u32(2), "context")?;
            let msg = guest_bytes(bytes, args.u32(3), args.u32(4), "message")?;
            // A writer that panicked leaves the context usable.
            let mut ctx = ctx.lock().unwrap_or_else(PoisonError::into_inner);
            ctx.log(args.u32(0), context, msg)
        },
    );
    linker.define(MODULE, "log", func)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn coloured_lines_color_only_the_level_name() {
        let l = line(Level::Error, b"m", true);
        let text = String::from_utf8(l).expect("ASCII");
        assert!(
            text.ends_with("] [\x1b[31m\x1b[1merror\x1b[m] m\n"),
            "{text:?}"
        );
    }
}
