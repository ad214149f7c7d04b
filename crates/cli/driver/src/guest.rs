//! What `run` and `instantiate` share: the guest's store, with WASI, `wasi:logging/logging`,
//! the plug-ins' modules and the `--module` dependencies, and its module, then the link and
//! instantiation.

use std::any::Any;

use crate::args::Args;
use crate::load::{self, Input};
use crate::plugins::PluginHost;
use crate::{FAILURE, errcode, wasi};
use wedge::{Engine, Instance, Linker, Module, Store};
use wedge_wasi::WasiCtx;

/// A guest module with everything it may import, not yet instantiated.
pub struct Guest {
    /// The plug-ins' module instances (dropped first, before the store, as they always were).
    _plugin_modules: Box<dyn Any>,
    /// The store, with WASI's context (its arguments: the file, then `guest_args`).
    pub store: Store<WasiCtx>,
    linker: Linker<WasiCtx>,
    /// The module.
    pub module: Module,
}

impl Guest {
    /// Sets up the store and imports for `file` and loads it (from `input` when the caller read
    /// it already); logs why and returns `None` when any step fails.
    pub fn load(
        args: &Args,
        host: &dyn PluginHost,
        engine: &Engine,
        file: &str,
        guest_args: &[String],
        input: Option<Input>,
    ) -> Option<Guest> {
        let (mut store, mut linker) = wasi::setup(engine, args, file, guest_args)?;
        // Like WasmEdge, every guest may import `wasi:logging/logging`; no log directory is
        // granted, so file destinations go to stderr.
        let logging = wedge_wasi::logging::LoggingCtx::default();
        if let Err(e) = wedge_wasi::logging::add_to_linker(&mut linker, &mut store, logging) {
            errcode::log_error(&e);
            return None;
        }
        let plugin_modules = match crate::plugins::define(host, args, &mut linker, &mut store) {
            Ok(m) => m,
            Err(e) => {
                errcode::log_error(&e);
                return None;
            }
        };
        if !load::register_modules(&args.modules, engine, &mut store, &mut linker) {
            return None;
        }
        let module = match input {
            Some(input) => load::module_from(engine, file, input)?,
            None => load::module(engine, file)?,
        };
        Some(Guest {
            _plugin_modules: plugin_modules,
            store,
            linker,
            module,
        })
    }

    /// Links and instantiates the module (running its start function). Fails with the exit
    /// status: the guest's `proc_exit` code if its start function exited, else 1 (logged).
    pub fn instantiate(&mut self) -> Result<Instance, i32> {
        if !wasi::adapt(&mut self.linker, &self.module) {
            return Err(FAILURE);
        }
        self.linker
            .instantiate(&mut self.store, &self.module)
            .map_err(|e| match wasi::exit_status(&e) {
                Some(status) => status,
                None => {
                    errcode::log_error(&e);
                    FAILURE
                }
            })
    }
}
