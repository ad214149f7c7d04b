//! `wedge-wasi`: WASI preview1 (`wasi_snapshot_preview1`) and WasmEdge's socket extension for
//! Wedge.
//!
//! The guest sees only what the embedder grants: its arguments, the environment variables it
//! is given (the host environment is never inherited), and preopened directories, which are
//! `cap_std` directories so no path (`..`, absolute, or through a symlink or hard link) can
//! reach outside them.
//!
//! ```no_run
//! use wedge::{Engine, Linker, Module, Store};
//! use wedge_wasi::{WasiCtx, WasiCtxBuilder};
//!
//! let engine = Engine::default();
//! let module = Module::new(&engine, std::fs::read("hello.wasm")?)?;
//! let wasi = WasiCtxBuilder::new().arg("hello.wasm").env("LANG", "C").preopen_dir(".", ".", false)?.build();
//! let mut store = Store::new(&engine, wasi);
//! let mut linker = Linker::new(&engine);
//! wedge_wasi::add_to_linker(&mut linker, &mut store, |ctx: &mut WasiCtx| ctx)?;
//! let instance = linker.instantiate(&mut store, &module)?;
//! let start = instance.get_func(&store, "_start").expect("a command module");
//! match start.call(&mut store, &[], &mut []) {
//!     Ok(()) => {}
//!     Err(e) => match e.downcast_host::<wedge_wasi::Exit>() {
//!         Some(exit) => std::process::exit(exit.0),
//!         None => return Err(e.into()),
//!     },
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod args;
mod clock;
mod ctx;
mod errno;
mod fd;
mod hostopen;
pub mod logging;
mod memory;
mod path;
mod poll;
mod proc;
mod random;
mod sock;

pub use ctx::{WasiCtx, WasiCtxBuilder};
pub use errno::Errno;
pub use hostopen::GuestOpenOptions;
pub use memory::{GuestMemory, Pod};
pub use sock::adapt_imports;

use poll::Waiter;
use wedge::{AsContext, Caller, Error, Extern, FuncType, Linker, Store, TrapCode, Val, ValType};

/// The import module name of WASI preview1.
pub const MODULE: &str = "wasi_snapshot_preview1";

/// The guest called `proc_exit` with this status; the call unwinds as this host error.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Exit(pub i32);

impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "guest exited with status {}", self.0)
    }
}

impl std::error::Error for Exit {}

/// How a host function finds the WASI context in the store's data.
pub type Accessor<T> = fn(&mut T) -> &mut WasiCtx;

/// The arguments of a host call, read as the unsigned or signed integers WASI passes.
pub struct Args<'a>(&'a [Val]);

impl Args<'_> {
    /// Argument `i` as a `u32` (a pointer, length or 32-bit flag set).
    pub fn u32(&self, i: usize) -> u32 {
        match self.0.get(i) {
            Some(Val::I32(v)) => *v as u32,
            Some(Val::I64(v)) => *v as u32,
            _ => 0,
        }
    }
    /// Argument `i` as an `i32`.
    pub fn i32(&self, i: usize) -> i32 {
        self.u32(i) as i32
    }
    /// Argument `i` as a `u64`.
    pub fn u64(&self, i: usize) -> u64 {
        match self.0.get(i) {
            Some(Val::I64(v)) => *v as u64,
            Some(Val::I32(v)) => *v as u32 as u64,
            _ => 0,
        }
    }
}

/// A host function returning an errno.
pub(crate) type ErrnoFn = fn(&mut WasiCtx, &mut GuestMemory<'_>, &Args<'_>) -> Result<(), Errno>;

/// A host function returning an errno that may wait on the OS, through the [`Waiter`].
pub(crate) type BlockingFn =
    fn(&mut WasiCtx, &mut GuestMemory<'_>, &Args<'_>, &Waiter) -> Result<(), Errno>;

/// Defines host functions in a linker.
pub(crate) struct Registrar<'a, T> {
    linker: &'a mut Linker<T>,
    store: &'a mut Store<T>,
    get: Accessor<T>,
}

impl<T: 'static> Registrar<'_, T> {
    /// Defines `wasi_snapshot_preview1.name`, taking `params` and returning an errno (i32).
    pub(crate) fn func(&mut self, name: &str, params: &[ValType], f: ErrnoFn) -> Result<(), Error> {
        self.define(name, params, false, move |ctx, mem, args, _| {
            f(ctx, mem, args)
        })
    }

    /// As [`Registrar::func`], for a function that may block: its waits end when the store's
    /// running call is stopped (a time limit, an interrupt), and the call then fails with
    /// [`TrapCode::Interrupted`].
    pub(crate) fn blocking(
        &mut self,
        name: &str,
        params: &[ValType],
        f: BlockingFn,
    ) -> Result<(), Error> {
        self.define(name, params, true, f)
    }

    fn define(
        &mut self,
        name: &str,
        params: &[ValType],
        blocks: bool,
        f: impl Fn(&mut WasiCtx, &mut GuestMemory<'_>, &Args<'_>, &Waiter) -> Result<(), Errno>
        + Send
        + Sync
        + 'static,
    ) -> Result<(), Error> {
        let get = self.get;
        let ty = FuncType::new(params.iter().copied(), [ValType::I32]);
        let func = wedge::Func::new(
            &mut *self.store,
            ty,
            move |mut caller: Caller<'_, T>, args, results| {
                let waiter = Waiter::new(if blocks {
                    caller.as_context().armed_interrupt_handle()
                } else {
                    None
                });
                let errno = match caller.get_export("memory").and_then(Extern::into_memory) {
                    None => Errno::Fault,
                    Some(mem) => {
                        let (bytes, data) = mem.data_and_store_mut(&mut caller);
                        match f(
                            get(data),
                            &mut GuestMemory::new(bytes),
                            &Args(args),
                            &waiter,
                        ) {
                            Ok(()) => Errno::Success,
                            Err(e) => e,
                        }
                    }
                };
                if waiter.take_interrupt() {
                    return Err(TrapCode::Interrupted.into());
                }
                results[0] = Val::I32(errno as i32);
                Ok(())
            },
        );
        self.linker.define(MODULE, name, func)?;
        Ok(())
    }

    /// Defines a host function with any signature and full control of the outcome.
    pub(crate) fn raw(
        &mut self,
        name: &str,
        ty: FuncType,
        f: impl Fn(Caller<'_, T>, Accessor<T>, &[Val], &mut [Val]) -> Result<(), Error>
        + Send
        + Sync
        + 'static,
    ) -> Result<(), Error> {
        let get = self.get;
        let func = wedge::Func::new(&mut *self.store, ty, move |caller, args, results| {
            f(caller, get, args, results)
        });
        self.linker.define(MODULE, name, func)?;
        Ok(())
    }
}

/// Defines every WASI preview1 function and WasmEdge's socket extension in `linker`, under
/// `wasi_snapshot_preview1`, as host functions of `store` that find their context with `get`.
pub fn add_to_linker<T: 'static>(
    linker: &mut Linker<T>,
    store: &mut Store<T>,
    get: Accessor<T>,
) -> Result<(), Error> {
    let mut r = Registrar { linker, store, get };
    args::register(&mut r)?;
    clock::register(&mut r)?;
    fd::register(&mut r)?;
    path::register(&mut r)?;
    poll::register(&mut r)?;
    proc::register(&mut r)?;
    random::register(&mut r)?;
    sock::register(&mut r)?;
    Ok(())
}
