//! `wedge instantiate FILE`: decode, validate, link and instantiate a module (running its
//! start function, if it has one), then stop. WASI is registered as for `run`, with the
//! `--dir` and `--env` flags, with `wasi:logging/logging` and the plug-ins' modules.

use crate::args::Args;
use crate::guest::Guest;
use crate::plugins::PluginHost;
use crate::{FAILURE, SUCCESS, load, log};
use wedge::Engine;

/// Runs `wedge instantiate`; returns the exit status.
pub fn instantiate(args: &Args, host: &dyn PluginHost) -> i32 {
    let Some(file) = crate::require_file(args) else {
        return FAILURE;
    };
    let engine = Engine::new(&load::config(args));
    let Some(mut guest) = Guest::load(args, host, &engine, file, &[], None) else {
        return FAILURE;
    };
    match guest.instantiate() {
        Ok(_) => {
            log::info("Instantiation succeeded.");
            SUCCESS
        }
        Err(status) => status,
    }
}
