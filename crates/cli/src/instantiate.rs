//! `wedge instantiate FILE`: decode, validate, link and instantiate a module (running its
//! start function, if it has one), then stop.

use crate::args::Args;
use crate::{FAILURE, SUCCESS, errcode, load, log};
use wedge::{Engine, Linker, Store};

/// Runs `wedge instantiate`; returns the exit status.
pub fn instantiate(args: &Args) -> u8 {
    let Some(file) = crate::require_file(args) else {
        return FAILURE;
    };
    let engine = Engine::new(&load::config(args));
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    if !load::register_modules(&args.modules, &engine, &mut store, &mut linker) {
        return FAILURE;
    }
    let Some(module) = load::module(&engine, file) else {
        return FAILURE;
    };
    match linker.instantiate(&mut store, &module) {
        Ok(_) => {
            log::info("Instantiation succeeded.");
            SUCCESS
        }
        Err(e) => {
            errcode::log_error(&e);
            FAILURE
        }
    }
}
