//! Stores own every runtime entity; handles (`Func`, `Memory`, ...) are indices into a store.

use crate::interp::Stack;
use crate::metering::{InterruptHandle, Meter, Statistics};
use crate::vm::memory::LinearMemory;
use crate::vm::{VMContextBox, VMFuncRef, VMGlobalDefinition, VMTableDefinition};
use crate::{Caller, Engine, Error, Extern, Module, Val};
use std::any::Any;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use wedge_environ::{FuncType, GlobalType, TableType};

/// A host function's implementation.
pub(crate) type HostFn<T> =
    Arc<dyn Fn(Caller<'_, T>, &[Val], &mut [Val]) -> Result<(), Error> + Send + Sync>;

/// Owns instances, functions, memories, tables, globals and host data `T`.
///
/// A store is used by one thread at a time; it is `Send` when `T` is.
pub struct Store<T> {
    pub(crate) inner: StoreInner,
    pub(crate) hosts: Vec<HostFn<T>>,
    data: T,
}

/// The part of a store that does not depend on `T`.
pub(crate) struct StoreInner {
    pub(crate) id: u64,
    pub(crate) engine: Engine,
    pub(crate) funcs: Vec<FuncEntity>,
    pub(crate) memories: Vec<LinearMemory>,
    pub(crate) tables: Vec<TableEntity>,
    pub(crate) globals: Vec<GlobalEntity>,
    pub(crate) instances: Vec<InstanceEntity>,
    pub(crate) externrefs: Vec<Box<dyn Any + Send + Sync>>,
    /// A value stack kept between calls so calls don't allocate.
    pub(crate) stack: Option<Box<Stack>>,
    /// The address of `stack` while the outermost call holds it (0 otherwise), so that a call
    /// left by a non-local exit does not leak it (see `Store::forget_abandoned_calls`).
    pub(crate) lent_stack: usize,
    /// Called around every host function call (see [`Store::set_host_call_hooks`]).
    pub(crate) host_hooks: Option<Arc<HostCallHooks>>,
    /// Instruction count, cost, time and interrupts.
    pub(crate) meter: Meter,
    /// What compiled code checks against; every instance's VM context points here.
    pub(crate) limits: Box<crate::vm::VMRuntimeLimits>,
}

pub(crate) struct FuncEntity {
    pub(crate) ty: FuncType,
    pub(crate) kind: FuncKind,
    pub(crate) func_ref: Box<VMFuncRef>,
    /// What a call charges before the function runs (host functions; see `Func::new_with_cost`).
    pub(crate) cost: u64,
}

#[derive(Clone)]
pub(crate) enum FuncKind {
    /// Defined function `def` (index among the module's defined functions) of `instance`.
    Wasm {
        instance: u32,
        module: Module,
        def: u32,
    },
    /// Host function, index into `Store::hosts`.
    Host(u32),
}

pub(crate) struct TableEntity {
    pub(crate) elements: Vec<u64>,
    pub(crate) def: Box<VMTableDefinition>,
    pub(crate) ty: TableType,
    pub(crate) max: u64,
}

impl TableEntity {
    pub(crate) fn new(ty: TableType, init: u64, cap: u32) -> Result<Self, Error> {
        let max = ty
            .limits
            .max
            .unwrap_or(u64::from(u32::MAX))
            .min(u64::from(cap));
        if ty.limits.min > max {
            return Err(Error::resource(format!(
                "table needs {} elements but at most {max} are allowed",
                ty.limits.min
            )));
        }
        let mut elements = vec![init; ty.limits.min as usize];
        let def = Box::new(VMTableDefinition {
            base: elements.as_mut_ptr(),
            current_elements: elements.len() as u64,
        });
        Ok(TableEntity {
            elements,
            def,
            ty,
            max,
        })
    }

    /// Grows by `delta` elements set to `init`; returns the old size.
    pub(crate) fn grow(&mut self, delta: u64, init: u64) -> Option<u64> {
        let old = self.elements.len() as u64;
        let new = old.checked_add(delta)?;
        if new > self.max {
            return None;
        }
        self.elements.try_reserve(delta as usize).ok()?;
        self.elements.resize(new as usize, init);
        self.sync();
        Some(old)
    }

    /// Refreshes the shared definition after the element vector changed.
    pub(crate) fn sync(&mut self) {
        self.def.base = self.elements.as_mut_ptr();
        self.def.current_elements = self.elements.len() as u64;
    }

    pub(crate) fn ty(&self) -> TableType {
        let mut ty = self.ty;
        ty.limits.min = self.elements.len() as u64;
        ty
    }
}

pub(crate) struct GlobalEntity {
    pub(crate) def: Box<VMGlobalDefinition>,
    pub(crate) ty: GlobalType,
}

pub(crate) struct InstanceEntity {
    pub(crate) module: Module,
    pub(crate) vmctx: VMContextBox,
    pub(crate) funcs: Vec<u32>,
    pub(crate) tables: Vec<u32>,
    pub(crate) memories: Vec<u32>,
    pub(crate) globals: Vec<u32>,
    /// Contents of each element segment as raw references; emptied by `elem.drop`.
    pub(crate) elems: Vec<Box<[u64]>>,
    /// Whether each data segment was dropped.
    pub(crate) data_dropped: Vec<bool>,
    pub(crate) exports: Vec<(String, Extern)>,
}

/// What a store calls around each host function call (see [`Store::set_host_call_hooks`]).
pub struct HostCallHooks {
    /// Called just before a host function runs.
    pub before: Box<dyn Fn() + Send + Sync>,
    /// Called just after a host function returns (or fails).
    pub after: Box<dyn Fn() + Send + Sync>,
}

impl std::fmt::Debug for HostCallHooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HostCallHooks").finish_non_exhaustive()
    }
}

static NEXT_STORE_ID: AtomicU64 = AtomicU64::new(1);

impl<T> Store<T> {
    /// A store for `engine`, holding host data `data`.
    pub fn new(engine: &Engine, data: T) -> Self {
        let meter = Meter::new(&engine.config().metering);
        let mut limits: Box<crate::vm::VMRuntimeLimits> = Box::default();
        // Compiled code polls the same flag the interpreter and the `InterruptHandle` use; the
        // meter keeps it alive as long as the store.
        limits.interrupt = &meter.interrupt.bits;
        #[cfg(feature = "cranelift")]
        {
            limits.libcalls = crate::vm::jit::libcalls();
        }
        Store {
            inner: StoreInner {
                id: NEXT_STORE_ID.fetch_add(1, Ordering::Relaxed),
                engine: engine.clone(),
                funcs: Vec::new(),
                memories: Vec::new(),
                tables: Vec::new(),
                globals: Vec::new(),
                instances: Vec::new(),
                externrefs: Vec::new(),
                stack: None,
                lent_stack: 0,
                host_hooks: None,
                meter,
                limits,
            },
            hosts: Vec::new(),
            data,
        }
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    /// A number identifying this store among all stores of the process (never reused).
    pub fn id(&self) -> u64 {
        self.inner.id
    }

    /// The host data.
    pub fn data(&self) -> &T {
        &self.data
    }

    /// The host data, mutable.
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.data
    }

    pub(crate) fn inner_and_data_mut(&mut self) -> (&mut StoreInner, &mut T) {
        (&mut self.inner, &mut self.data)
    }

    /// Consumes the store, returning the host data.
    pub fn into_data(self) -> T {
        self.data
    }

    /// What metering has measured so far (see [`Config::count_instructions`],
    /// [`Config::measure_cost`] and [`Config::measure_time`]); it adds up over calls until
    /// [`Store::reset_statistics`].
    ///
    /// [`Config::count_instructions`]: crate::Config::count_instructions
    /// [`Config::measure_cost`]: crate::Config::measure_cost
    /// [`Config::measure_time`]: crate::Config::measure_time
    pub fn statistics(&self) -> Statistics {
        self.inner.meter.statistics()
    }

    /// Sets the instruction count, cost and times back to zero (WasmEdge's `StatisticsClear`);
    /// the cost limit stays.
    pub fn reset_statistics(&mut self) {
        self.inner.meter.reset();
    }

    /// The cost limit: a call that would charge more in total fails with
    /// [`TrapCode::CostLimitExceeded`](crate::TrapCode::CostLimitExceeded). It starts at
    /// [`Config::cost_limit`](crate::Config::cost_limit) and applies with
    /// [`Config::measure_cost`](crate::Config::measure_cost).
    pub fn set_cost_limit(&mut self, limit: u64) {
        self.inner.meter.cost_limit = limit;
    }

    /// The cost limit.
    pub fn cost_limit(&self) -> u64 {
        self.inner.meter.cost_limit
    }

    /// Sets what the store calls around every host function it runs (`None`: nothing), for
    /// embedders that must know when guest code gives way to the host: WasmEdge's C API
    /// offers this as the executor's pre- and post-host-function hooks, which its Rust SDK uses
    /// to block its timeout signal during host calls.
    pub fn set_host_call_hooks(&mut self, hooks: Option<Arc<HostCallHooks>>) {
        self.inner.host_hooks = hooks;
    }

    /// A handle that stops this store's running guest from another thread (needs
    /// [`Config::interruptible`](crate::Config::interruptible)).
    pub fn interrupt_handle(&self) -> InterruptHandle {
        self.inner.meter.interrupt_handle()
    }

    /// For a host function about to block in the OS: the [`InterruptHandle`] when something can
    /// stop the running call (its deadline, or an interrupt handle held elsewhere); `None` when
    /// nothing can, and the function may simply block. With a handle, the function waits on
    /// [`InterruptHandle::wakeup_fd`] as well, and on a stop [`InterruptHandle::take`]s it and
    /// fails with [`TrapCode::Interrupted`](crate::TrapCode::Interrupted) (WASI's blocking calls
    /// do this).
    ///
    /// ```
    /// # use wedge::{Engine, Store};
    /// let store = Store::new(&Engine::default(), ());
    /// assert!(store.armed_interrupt_handle().is_none(), "nothing can stop its calls");
    /// let handle = store.interrupt_handle();
    /// assert!(store.armed_interrupt_handle().is_some());
    /// drop(handle);
    /// assert!(store.armed_interrupt_handle().is_none());
    /// ```
    pub fn armed_interrupt_handle(&self) -> Option<InterruptHandle> {
        self.inner.meter.armed_interrupt_handle()
    }

    /// Stops every call made from the host after `deadline` with
    /// [`TrapCode::Interrupted`](crate::TrapCode::Interrupted), within a few milliseconds of
    /// it (needs [`Config::interruptible`](crate::Config::interruptible)); `None` removes it.
    /// WasmEdge's `--time-limit` is a deadline for the whole run.
    pub fn set_deadline(&mut self, deadline: Option<std::time::Instant>) {
        self.inner.meter.set_deadline(deadline);
    }
}

impl StoreInner {
    /// Panics if `id` is not this store's: using a handle with a foreign store is a host bug.
    #[track_caller]
    pub(crate) fn check(&self, id: u64) {
        assert_eq!(
            id, self.id,
            "wedge: object used with a store it does not belong to"
        );
    }

    /// Adds a function entity and returns its index.
    pub(crate) fn push_func(
        &mut self,
        ty: FuncType,
        kind: FuncKind,
        vmctx: *mut crate::vm::VMContext,
    ) -> u32 {
        let id = self.funcs.len() as u32;
        let type_id = self.engine.type_id(&ty);
        let func_ref = Box::new(VMFuncRef {
            wasm_call: std::ptr::null(),
            vmctx,
            type_id,
            func_id: id,
        });
        let host = matches!(kind, FuncKind::Host(_));
        self.funcs.push(FuncEntity {
            ty,
            kind,
            func_ref,
            cost: 0,
        });
        #[cfg(feature = "cranelift")]
        if host {
            crate::vm::jit::route_through_exit(self, id);
        }
        #[cfg(not(feature = "cranelift"))]
        let _ = host;
        id
    }

    /// The raw (table/stack) representation of a reference to function `id`.
    pub(crate) fn func_raw(&self, id: u32) -> u64 {
        &*self.funcs[id as usize].func_ref as *const VMFuncRef as usize as u64
    }
}

/// Something that gives shared access to a store.
pub trait AsContext {
    /// The store's host data type.
    type Data;
    /// The store.
    fn as_context(&self) -> &Store<Self::Data>;
}

/// Something that gives exclusive access to a store.
pub trait AsContextMut: AsContext {
    /// The store.
    fn as_context_mut(&mut self) -> &mut Store<Self::Data>;
}

impl<T> AsContext for Store<T> {
    type Data = T;
    fn as_context(&self) -> &Store<T> {
        self
    }
}

impl<T> AsContextMut for Store<T> {
    fn as_context_mut(&mut self) -> &mut Store<T> {
        self
    }
}

impl<S: AsContext + ?Sized> AsContext for &S {
    type Data = S::Data;
    fn as_context(&self) -> &Store<S::Data> {
        (**self).as_context()
    }
}

impl<S: AsContext + ?Sized> AsContext for &mut S {
    type Data = S::Data;
    fn as_context(&self) -> &Store<S::Data> {
        (**self).as_context()
    }
}

impl<S: AsContextMut + ?Sized> AsContextMut for &mut S {
    fn as_context_mut(&mut self) -> &mut Store<S::Data> {
        (**self).as_context_mut()
    }
}

impl<T> std::fmt::Debug for Store<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("id", &self.inner.id)
            .field("instances", &self.inner.instances.len())
            .field("funcs", &self.inner.funcs.len())
            .finish_non_exhaustive()
    }
}
