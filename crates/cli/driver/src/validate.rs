//! `wedge validate FILE`: decode and validate a module with the selected proposals.

use crate::args::Args;
use crate::{FAILURE, SUCCESS, load, log};
use wedge::{Engine, Module};

/// Runs `wedge validate`; returns the exit status.
pub fn validate(args: &Args) -> i32 {
    let Some(file) = crate::require_file(args) else {
        return FAILURE;
    };
    let engine = Engine::new(&load::config(args));
    let Some(bytes) = load::read(file) else {
        return FAILURE;
    };
    match Module::validate(&engine, &bytes) {
        Ok(()) => {
            log::info("Validation succeeded.");
            SUCCESS
        }
        Err(e) => {
            load::log_module_error(&e, &bytes, file);
            FAILURE
        }
    }
}
