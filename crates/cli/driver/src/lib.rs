//! The code of the `wedge` command, a drop-in for the `wasmedge` tool, as a library: the three
//! tools WasmEdge's library exports as `WasmEdge_Driver_UniTool`, `WasmEdge_Driver_Tool` and
//! `WasmEdge_Driver_Compiler`. `wedge-c-api` exports them under those names, and the `wedge`
//! binary is a `main` that calls the first (as WasmEdge's `wasmedge` is).
//!
//! ```text
//! wedge [run] [OPTIONS] FILE [ARGS...]        run _start, or with --reactor call FUNC ARGS...
//! wedge validate [OPTIONS] FILE               decode and validate
//! wedge instantiate [OPTIONS] FILE            decode, validate, link and instantiate
//! wedge wast [OPTIONS] FILE...                run .wast spec-test scripts
//! wedge compile [OPTIONS] IN OUT              compile ahead of time
//! ```
//!
//! Exit status: 0 on success, 1 for bad flags or a module that cannot be loaded, validated,
//! instantiated or called as asked, the guest's `proc_exit` code, 134 when the guest's
//! execution fails (a trap). The tools return it and never exit the process, so a host can
//! call them again.
//!
//! ```
//! use wedge_driver::{NoPlugins, uni_tool};
//! assert_eq!(uni_tool(["wedge", "--no-such-flag"], &NoPlugins), 1);
//! ```
//!
//! Plug-ins come from a [`PluginHost`]: the C API they call back into lives in `wedge-c-api`,
//! which depends on this crate. One file per subcommand; `args` parses, `load` reads modules,
//! `wasi` builds the guest's WASI environment, `values` reads arguments and prints results,
//! `errcode` and `log` report errors in WasmEdge's words.

mod args;
mod compile;
mod errcode;
mod guest;
mod instantiate;
mod load;
mod log;
mod parse;
mod plugins;
mod run;
mod stats;
mod tier;
mod validate;
mod values;
mod wasi;
mod wast;

use args::{Args, Command};
use std::ffi::OsString;
use std::io::Write;

pub use plugins::{NoPlugins, PluginHost};

/// Exit status: success (also for `--help` and `--version`).
pub const SUCCESS: i32 = 0;
/// Exit status: bad flags, or a module that cannot be loaded, validated, instantiated or
/// called as asked.
pub const FAILURE: i32 = 1;
/// Exit status when the guest's execution fails: 128 + SIGABRT, as WasmEdge reports it.
pub const TRAPPED: i32 = 134;

/// The unified tool, `wasmedge [SUBCOMMAND] [OPTIONS] ...` (`WasmEdge_Driver_UniTool`):
/// `argv[0]` is the program's name; the first word after the options may name a subcommand
/// (`run`, `validate`, `instantiate`, `wast`, `compile`, `parse`), and without one the command
/// is `run`. Returns the exit status: the guest's whole `proc_exit` code for a run (a process
/// exiting with it keeps the low 8 bits).
pub fn uni_tool<A: Into<OsString>>(
    argv: impl IntoIterator<Item = A>,
    host: &dyn PluginHost,
) -> i32 {
    run_as(Tool::Uni, argv, host)
}

/// The runtime tool (`WasmEdge_Driver_Tool`): `wasmedge run`'s command line without the word
/// `run`, so the first word that is not an option is always the file.
pub fn run_tool<A: Into<OsString>>(
    argv: impl IntoIterator<Item = A>,
    host: &dyn PluginHost,
) -> i32 {
    run_as(Tool::Run, argv, host)
}

/// The compiler tool, `wasmedgec [OPTIONS] IN OUT` (`WasmEdge_Driver_Compiler`):
/// `wasmedge compile`'s command line without the word `compile`. It loads no plug-ins, as
/// `wasmedgec` loads none.
pub fn compile_tool<A: Into<OsString>>(
    argv: impl IntoIterator<Item = A>,
    host: &dyn PluginHost,
) -> i32 {
    run_as(Tool::Compile, argv, host)
}

/// Which of WasmEdge's tools a command line is for.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Tool {
    /// Subcommands, `run` by default.
    Uni,
    /// Only `run`.
    Run,
    /// Only `compile`.
    Compile,
}

impl Tool {
    /// The subcommand every command line of this tool is; `None`: the words say.
    fn command(self) -> Option<Command> {
        match self {
            Tool::Uni => None,
            Tool::Run => Some(Command::Run),
            Tool::Compile => Some(Command::Compile),
        }
    }
}

fn run_as<A: Into<OsString>>(
    tool: Tool,
    argv: impl IntoIterator<Item = A>,
    host: &dyn PluginHost,
) -> i32 {
    let status = command_line(tool, argv.into_iter().map(Into::into), host);
    // The guest's output and printed results go through Rust's buffered stdout; a C program
    // that called us would not flush it before its own output, or at exit.
    let _ = std::io::stdout().flush();
    status
}

fn command_line(tool: Tool, mut raw: impl Iterator<Item = OsString>, host: &dyn PluginHost) -> i32 {
    let program = raw
        .next()
        .map_or_else(|| "wedge".into(), |p| p.to_string_lossy().into_owned());
    let mut words = Vec::new();
    for w in raw {
        match w.into_string() {
            Ok(w) => words.push(w),
            Err(w) => {
                eprintln!("argument is not valid UTF-8: {}", w.to_string_lossy());
                return FAILURE;
            }
        }
    }
    // A host may run the tools many times: each run starts at the default log level.
    log::reset_level();
    // Like WasmEdge, plug-ins load before the command line is read: their options are flags.
    // The compiler tool takes none.
    let flags = if tool == Tool::Compile {
        Vec::new()
    } else {
        plugins::load(host);
        plugins::flags()
    };
    let mut args = match args::parse(tool.command(), &words, &flags) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            eprintln!("Run `{program} --help` for the options.");
            return FAILURE;
        }
    };
    let name = std::path::Path::new(&program)
        .file_name()
        .map_or_else(|| program.clone(), |n| n.to_string_lossy().into_owned());
    args.invocation = match tool {
        Tool::Uni => format!("{name} {}", args.command.name()),
        Tool::Run | Tool::Compile => name,
    };
    if args.version {
        println!("{program} version {}", env!("CARGO_PKG_VERSION"));
        for line in plugins::version_lines() {
            println!("{line}");
        }
        return SUCCESS;
    }
    if args.help {
        print!("{}{}", help(&program, args.command, tool), plugins::help());
        return SUCCESS;
    }
    if let Err(e) = plugins::apply_options(&args) {
        eprintln!("{e}");
        return FAILURE;
    }
    if let Some(level) = &args.log_level
        && !log::set_level(level)
    {
        log::warn(format_args!(
            "Invalid log level: {level}. Valid values are: off, trace, debug, info, warning, \
             error, fatal. Falling back to info level."
        ));
    }
    if !args.unsupported.is_empty() {
        for u in &args.unsupported {
            eprintln!("option --{} is not supported yet: {}.", u.option, u.reason);
        }
        return FAILURE;
    }
    match args.command {
        Command::Run => run::run(&args, host),
        Command::Validate => validate::validate(&args),
        Command::Instantiate => instantiate::instantiate(&args, host),
        Command::Wast => wast::wast(&args),
        Command::Compile => compile::compile(&args),
        Command::Parse => parse::parse(&args),
    }
}

/// The input file, or a usage message and `None` when it is missing.
pub fn require_file(args: &Args) -> Option<&str> {
    let file = args.file.as_deref();
    if file.is_none() {
        let what = if args.command == Command::Wast {
            "FILE..."
        } else {
            "FILE"
        };
        eprintln!(
            "missing input: `{} [OPTIONS] {what}`; see --help.",
            args.invocation
        );
    }
    file
}

const PROPOSAL_HELP: &str = "\
PROPOSAL OPTIONS (order does not matter)
  --wasm-1 | --wasm-2 | --wasm-3   start from that standard (default: what Wedge executes,
                                   WebAssembly 2.0 + tail-call, extended-const, multi-memory)
  --disable-NAME                   turn a proposal off: import-export-mut-globals,
                                   non-trap-float-to-int, sign-extension-operators,
                                   multi-value, bulk-memory, reference-types, simd, tail-call,
                                   extended-const, function-reference, gc, multi-memory,
                                   relaxed-simd, exception-handling, memory64, threads
  --enable-NAME                    turn a proposal on (same names)
  --enable-all                     WebAssembly 3.0 plus threads
";

const WASI_HELP: &str = "\
--dir GUEST:HOST[:readonly]      let the guest use directory HOST under the name GUEST
                                   (PATH alone: the same name); repeatable
  --env NAME=VALUE                 set a guest environment variable (the host's are not
                                   passed on); repeatable
";

const COMMON_HELP: &str = "\
OTHER OPTIONS
  --log-level LEVEL                off, trace, debug, info, warning, error, fatal
  --forbidden-plugin NAME[,NAME]   don't give guests the modules of these plug-ins
  -h, --help                       show this help
  -v, --version                    show the version
";

fn help(program: &str, command: Command, tool: Tool) -> String {
    // The single-command tools are invoked without the subcommand's name.
    let uni = tool == Tool::Uni;
    let invoke = |name: &str| {
        if uni {
            format!("{program} {name}")
        } else {
            program.to_string()
        }
    };
    let subcommands = if uni {
        "SUBCOMMANDS\n  run (default), validate, instantiate, wast, parse, compile\n\n"
    } else {
        ""
    };
    let run_invocation = invoke("[run]");
    let compile_invocation = invoke("compile");
    let runner = if uni {
        format!("{program} run")
    } else {
        "wedge run".to_string()
    };
    let usage = match command {
        Command::Run => format!(
            "USAGE\n  {run_invocation} [OPTIONS] [--] FILE [ARGS...]\n\n\
             Runs FILE's `_start` export, or with --reactor calls the export named by the first\n\
             ARG with the remaining ARGS and prints its results, one per line. WASI is always\n\
             available: the guest's argv is FILE's name (as NAME.wasm) and ARGS. Exit status: 0,\n\
             1 when the module cannot be loaded, instantiated or called as asked, the guest's\n\
             proc_exit code, 134 when the guest traps.\n\n\
             {subcommands}\
             RUN OPTIONS\n  \
             --reactor                        call ARGS[0] instead of `_start`; `_initialize` runs first\n  \
             --memory-page-limit N            cap every memory at N 64 KiB pages\n  \
             --module NAME:PATH               instantiate PATH first and provide its exports as NAME\n  \
             --run-mode MODE                  interpreter, jit (compile with Cranelift when loading) or\n\
\x20                                  aot (run the native code `compile` added to FILE); without\n\
\x20                                  it, native code in FILE runs, anything else is interpreted\n  \
             --code-cache DIR|off             where jit keeps compiled code (default ~/.cache/wedge/code;\n\
\x20                                  also WEDGE_CODE_CACHE); off: compile every time\n  \
             {WASI_HELP}  \
             --allow-af-unix                  let the guest open Unix-domain sockets\n  \
             --gas-limit N                    stop the guest after N gas (1 per instruction); 134\n  \
             --time-limit MS                  stop the guest MS milliseconds after the start; 134\n  \
             --enable-instruction-count       log the executed instruction count after each call\n  \
             --enable-gas-measuring           log the gas used after each call\n  \
             --enable-time-measuring          log wasm and host time after each call\n  \
             --enable-all-statistics          all three\n  \
             not yet: --enable-coredump, --coredump-for-wasmgdb, --enable-component\n\n"
        ),
        Command::Validate => format!(
            "USAGE\n  {program} validate [OPTIONS] FILE\n\n\
             Decodes and validates FILE; prints \"Validation succeeded.\" or why not (exit 1).\n\n"
        ),
        Command::Instantiate => format!(
            "USAGE\n  {program} instantiate [OPTIONS] FILE\n\n\
             Decodes, validates, links and instantiates FILE (running its start function).\n\n\
             INSTANTIATE OPTIONS\n  \
             --memory-page-limit N            cap every memory at N 64 KiB pages\n  \
             --module NAME:PATH               instantiate PATH first and provide its exports as NAME\n  \
             {WASI_HELP}\n"
        ),
        Command::Wast => format!(
            "USAGE\n  {program} wast [OPTIONS] FILE...\n\n\
             Runs WebAssembly spec-test scripts and prints per-script counts of passed, failed\n\
             and skipped directives, then each failure. Exit status 0 only if nothing failed.\n\n\
             WAST OPTIONS\n  \
             --memory-page-limit N            cap every memory at N 64 KiB pages\n  \
             --run-mode interpreter|jit|aot   run the scripts interpreted, compiled, or compiled into\n\
\x20                                  universal wasm files first and run from those\n\n"
        ),
        Command::Compile => format!(
            "USAGE\n  {compile_invocation} [OPTIONS] IN OUT\n\n\
             Validates IN and compiles it with Cranelift into OUT: a shared library if OUT ends\n\
             in .so (linked with `cc`), otherwise a universal wasm, IN followed by a custom\n\
             section with native code for this machine, which other runtimes run as the plain\n\
             module it also is. `{runner} OUT` runs the native code when it suits the CPU\n\
             and flags (else it interprets, with a warning).\n\n\
             COMPILE OPTIONS\n  \
             --optimize 0|1|2|3|s|z           0: no optimization; 1-3: speed (default 2); s, z: size\n  \
             --generic-binary                 use only the architecture's baseline CPU features\n  \
             --interruptible                  poll for interrupts, so --time-limit can stop the code\n  \
             --enable-instruction-count, --enable-gas-measuring, --enable-time-measuring,\n  \
             --enable-all-statistics          compile the counters in (run with the same flags)\n  \
             not available: --dump (there is no LLVM IR)\n\n"
        ),
        Command::Parse => format!(
            "USAGE\n  {program} parse [OPTIONS] FILE\n\n\
             Decodes FILE and prints the details of every section.\n\n"
        ),
    };
    format!("{usage}{PROPOSAL_HELP}\n{COMMON_HELP}")
}
