//! `wedge instantiate FILE`: decode, validate, link and instantiate a module (running its
//! start function, if it has one), then stop. WASI is registered as for `run`, with the
//! `--dir` and `--env` flags, with `wasi:logging/logging` and the plug-ins' modules.

use crate::args::Args;
use crate::plugins::PluginHost;
use crate::{FAILURE, SUCCESS, errcode, load, log, wasi};
use wedge::Engine;

/// Runs `wedge instantiate`; returns the exit status.
pub fn instantiate(args: &Args, host: &dyn PluginHost) -> i32 {
    let Some(file) = crate::require_file(args) else {
        return FAILURE;
    };
    let engine = Engine::new(&load::config(args));
    let Some((mut store, mut linker)) = wasi::setup(&engine, args, file, &[]) else {
        return FAILURE;
    };
    let logging = wedge_wasi::logging::LoggingCtx::default();
    if let Err(e) = wedge_wasi::logging::add_to_linker(&mut linker, &mut store, logging) {
        errcode::log_error(&e);
        return FAILURE;
    }
    let _plugin_modules = match crate::plugins::define(host, args, &mut linker, &mut store) {
        Ok(m) => m,
        Err(e) => {
            errcode::log_error(&e);
            return FAILURE;
        }
    };
    if !load::register_modules(&args.modules, &engine, &mut store, &mut linker) {
        return FAILURE;
    }
    let Some(module) = load::module(&engine, file) else {
        return FAILURE;
    };
    if !wasi::adapt(&mut linker, &module) {
        return FAILURE;
    }
    match linker.instantiate(&mut store, &module) {
        Ok(_) => {
            log::info("Instantiation succeeded.");
            SUCCESS
        }
        Err(e) => match wasi::exit_status(&e) {
            Some(status) => status,
            None => {
                errcode::log_error(&e);
                FAILURE
            }
        },
    }
}
