//! `wedge run` (the default subcommand): instantiate a module, then run its `_start`
//! (command mode) or call a named export with arguments from the command line (reactor mode).
//!
//! As in WasmEdge:
//! * command mode applies without `--reactor` when the module exports `_start: [] -> []`;
//! * a `_start` of any other type is called as a reactor function instead;
//! * in reactor mode `_initialize` is called first when exported (unless it is the function
//!   asked for), arguments are read by parameter type, results are printed one per line;
//! * WASI is always there (see [`crate::wasi`]); the guest's `proc_exit(n)` ends the run with
//!   status `n`, in either mode;
//! * so is `wasi:logging/logging` (see [`wedge_wasi::logging`]);
//! * exit status 1 for anything wrong before the guest runs, 134 (128 + SIGABRT) when the
//!   guest's execution fails (a trap, or the gas or time limit);
//! * with statistics on, a summary follows each call (see [`crate::stats`]).

use crate::args::Args;
use crate::guest::Guest;
use crate::plugins::PluginHost;
use crate::stats::{self, Metering};
use crate::values::{ArgError, format_val, parse_arg};
use crate::{FAILURE, SUCCESS, TRAPPED, errcode, load, log, tier, wasi};
use std::io::Write;
use wedge::{Engine, Func, Instance, Store, Val, ValType};
use wedge_wasi::WasiCtx;

/// Runs `wedge run`; returns the exit status.
pub fn run(args: &Args, host: &dyn PluginHost) -> i32 {
    let Some(file) = crate::require_file(args) else {
        return FAILURE;
    };
    // Read once: a shared library only as far as its header (the system loader maps it).
    let input = load::Input::peek(file);
    let tier = tier::requested(args, input.as_ref());
    let deadline = args.metering.deadline();
    let mut config = load::config(args);
    args.metering.configure(&mut config);
    tier::configure(args, tier, &mut config);
    let engine = Engine::new(&config);
    let Some(mut guest) = Guest::load(args, host, &engine, file, &args.rest, input) else {
        return FAILURE;
    };
    tier::report(tier, &guest.module, args.metering.time_limit_ms > 0);
    let instance = match guest.instantiate() {
        Ok(instance) => instance,
        Err(status) => return status,
    };
    let store = &mut guest.store;

    // The time limit applies to the calls the run makes, as in WasmEdge.
    store.set_deadline(deadline);
    let metering = &args.metering;
    let mut call = args.rest.clone();
    if !args.reactor
        && let Some(start) = instance.get_func(&*store, "_start")
    {
        let ty = start.ty(&*store);
        if ty.params().is_empty() && ty.results().is_empty() {
            return command(store, start, metering);
        }
        // A `_start` that is not `[] -> []` is called as a reactor function.
        call.insert(0, "_start".to_string());
    }
    reactor(store, instance, &call, metering)
}

/// Command mode: runs `_start`; the status is the guest's `proc_exit` code, or 0 when
/// `_start` returns.
fn command(store: &mut Store<WasiCtx>, start: Func, metering: &Metering) -> i32 {
    let r = start.call(&mut *store, &[], &mut []);
    match r {
        Ok(()) => {
            metering.report(store);
            SUCCESS
        }
        Err(e) => failed_call(&e, "_start", store, metering),
    }
}

/// The status for a call that did not return: the guest's `proc_exit` code, or 134 after
/// logging the trap. The statistics come between the error and the function's name, where
/// WasmEdge logs them.
fn failed_call(e: &wedge::Error, func: &str, store: &Store<WasiCtx>, metering: &Metering) -> i32 {
    if let Some(status) = wasi::exit_status(e) {
        metering.report(store);
        return status;
    }
    stats::log_limit(e);
    errcode::log_error(e);
    metering.report(store);
    log::error(format_args!("    When executing function name: \"{func}\""));
    TRAPPED
}

/// Reactor mode: `guest[0]` is the function, the rest its arguments.
fn reactor(
    store: &mut Store<WasiCtx>,
    instance: Instance,
    guest: &[String],
    metering: &Metering,
) -> i32 {
    let Some(name) = guest.first() else {
        eprintln!("A function name is required when reactor mode is enabled.");
        return FAILURE;
    };
    let Some(func) = instance.get_func(&*store, name) else {
        eprintln!("Function \"{name}\" not found in the module export list.");
        return FAILURE;
    };
    if name != "_initialize"
        && let Some(init) = instance.get_func(&*store, "_initialize")
    {
        if let Err(e) = init.call(&mut *store, &[], &mut []) {
            return failed_call(&e, "_initialize", store, metering);
        }
        metering.report(store);
    }

    let ty = func.ty(&*store);
    let texts = &guest[1..];
    let params = ty.params();
    if texts.len() < params.len() {
        log::error(format_args!(
            "function `{name}` expects {} argument(s), got {}",
            params.len(),
            texts.len()
        ));
        return FAILURE;
    }
    let mut values = Vec::with_capacity(texts.len());
    // Arguments beyond the parameters are read as i64, as WasmEdge does; the call then fails
    // its signature check.
    let types = params
        .iter()
        .copied()
        .chain(std::iter::repeat(ValType::I64));
    for (i, (text, ty)) in texts.iter().zip(types).enumerate() {
        match parse_arg(text, ty) {
            Ok(v) => values.push(v),
            Err(e) => {
                log_bad_argument(text, i + 1, ty, &e);
                return FAILURE;
            }
        }
    }
    if values.len() > params.len() {
        log::error(errcode::headline(0x403));
        log::error(format_args!(
            "    function `{name}` takes {} argument(s), {} were given",
            params.len(),
            values.len()
        ));
        log::error(format_args!("    When executing function name: \"{name}\""));
        return TRAPPED;
    }

    let mut results: Vec<Val> = ty.results().iter().map(|&t| Val::default_for(t)).collect();
    if let Err(e) = func.call(&mut *store, &values, &mut results) {
        return failed_call(&e, name, store, metering);
    }
    metering.report(store);
    let mut out = String::new();
    for r in &results {
        out.push_str(&format_val(r));
        out.push('\n');
    }
    // Results that cannot be written (stdout closed) are lost; the call itself succeeded.
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
    SUCCESS
}

fn log_bad_argument(text: &str, position: usize, ty: ValType, e: &ArgError) {
    match e {
        ArgError::Invalid => log::error(format_args!(
            "Invalid argument '{text}' for parameter {position}: expected {ty}"
        )),
        ArgError::OutOfRange => log::error(format_args!(
            "Argument '{text}' for parameter {position}: {ty} out of range"
        )),
        ArgError::Unsupported => log::error(format_args!(
            "Argument '{text}' for parameter {position}: parameters of type {ty} cannot be given \
             on the command line"
        )),
    }
}
