//! `wedge`: the command-line WebAssembly runtime of the Wedge project, a drop-in for the
//! `wasmedge` tool.
//!
//! ```text
//! wedge [run] [OPTIONS] FILE [ARGS...]        run _start, or with --reactor call FUNC ARGS...
//! wedge validate [OPTIONS] FILE               decode and validate
//! wedge instantiate [OPTIONS] FILE            decode, validate, link and instantiate
//! wedge wast [OPTIONS] FILE...                run .wast spec-test scripts
//! ```
//!
//! Exit status: 0 on success, 1 for bad flags or a module that cannot be loaded, validated,
//! instantiated or called as asked, the guest's `proc_exit` code, 134 when the guest's
//! execution fails (a trap).
//! One file per subcommand; `args` parses, `load` reads modules, `wasi` builds the guest's
//! WASI environment, `values` reads arguments and prints results, `errcode` and `log` report
//! errors in WasmEdge's words.

mod args;
mod compile;
mod errcode;
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
use std::process::ExitCode;

/// Exit status: success (also for `--help` and `--version`).
pub const SUCCESS: u8 = 0;
/// Exit status: bad flags, or a module that cannot be loaded, validated, instantiated or
/// called as asked.
pub const FAILURE: u8 = 1;
/// Exit status when the guest's execution fails: 128 + SIGABRT, as WasmEdge reports it.
pub const TRAPPED: u8 = 134;

fn main() -> ExitCode {
    ExitCode::from(real_main())
}

fn real_main() -> u8 {
    let mut raw = std::env::args_os();
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
    // Like WasmEdge, plug-ins load before the command line is read: their options are flags.
    plugins::load();
    let args = match args::parse(&words, &plugins::flags()) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            eprintln!("Run `{program} --help` for the options.");
            return FAILURE;
        }
    };
    if args.version {
        println!("{program} version {}", env!("CARGO_PKG_VERSION"));
        for line in plugins::version_lines() {
            println!("{line}");
        }
        return SUCCESS;
    }
    if args.help {
        print!("{}{}", help(&program, args.command), plugins::help());
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
        Command::Run => run::run(&args),
        Command::Validate => validate::validate(&args),
        Command::Instantiate => instantiate::instantiate(&args),
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
            "missing input: `wedge {} [OPTIONS] {what}`; see --help.",
            args.command.name()
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

fn help(program: &str, command: Command) -> String {
    let usage = match command {
        Command::Run => format!(
            "USAGE\n  {program} [run] [OPTIONS] [--] FILE [ARGS...]\n\n\
             Runs FILE's `_start` export, or with --reactor calls the export named by the first\n\
             ARG with the remaining ARGS and prints its results, one per line. WASI is always\n\
             available: the guest's argv is FILE's name (as NAME.wasm) and ARGS. Exit status: 0,\n\
             1 when the module cannot be loaded, instantiated or called as asked, the guest's\n\
             proc_exit code, 134 when the guest traps.\n\n\
             SUBCOMMANDS\n  run (default), validate, instantiate, wast, parse, compile\n\n\
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
            "USAGE\n  {program} compile [OPTIONS] IN OUT\n\n\
             Validates IN and compiles it with Cranelift into OUT: a shared library if OUT ends\n\
             in .so (linked with `cc`), otherwise a universal wasm, IN followed by a custom\n\
             section with native code for this machine, which other runtimes run as the plain\n\
             module it also is. `{program} run OUT` runs the native code when it suits the CPU\n\
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
