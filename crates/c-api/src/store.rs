//! How C handles reach Wedge stores.
//!
//! WasmEdge's instances live on their own and a store only names them; Wedge's entities live in
//! a [`wedge::Store`] and handles are indices into it. The bridge:
//!
//! * A host entity made through the C API (`FunctionInstanceCreate`, `MemoryInstanceCreate`,
//!   a plug-in's module, a WASI module) starts **unbound** and binds to the first store it is
//!   registered in; from then on it is a Wedge handle plus a [`Binding`] saying which store.
//! * A store is reached through [`with_store`]: the store of the host call now running on this
//!   thread (see [`Active`]), or else the C store context it belongs to, locked. So host
//!   functions can call back into the runtime (read memory, invoke wasm) without a lock, and any
//!   `wedge::Store<T>` — a C store or a Rust host's own store — can hold C host modules, because
//!   the operations go through the object-safe [`StoreOps`].
//! * A C store context ([`StoreShared`]) creates its Wedge store lazily, at the first wasm
//!   instantiation, with the executor's engine: settings made after `VMCreate` (the cost table)
//!   still apply, as in WasmEdge.

use crate::instance::{CHostFunc, WasmEdge_ModuleInstanceContext};
use std::any::Any;
use std::cell::RefCell;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Weak};
use std::thread::ThreadId;
use wedge::{
    AsContextMut, Caller, Engine, Error, Extern, ExternRef, Func, FuncType, Global, GlobalType,
    Instance, Memory, MemoryType, Module, Store, Table, TableType, Val,
};

/// What the C API does with a store, whatever its host-data type.
pub(crate) trait StoreOps {
    fn id(&self) -> u64;
    fn as_any_mut(&mut self) -> &mut dyn Any;
    fn call(&mut self, f: Func, params: &[Val], results: &mut [Val]) -> Result<(), Error>;
    fn func_ty(&self, f: Func) -> FuncType;
    fn host_func(&mut self, ty: FuncType, host: Arc<CHostFunc>) -> Func;
    fn memory_new(&mut self, ty: MemoryType) -> Result<Memory, Error>;
    fn memory_data(&mut self, m: Memory) -> &mut [u8];
    fn memory_ty(&self, m: Memory) -> MemoryType;
    fn memory_grow(&mut self, m: Memory, delta: u64) -> Result<u64, Error>;
    fn table_new(&mut self, ty: TableType, init: Val) -> Result<Table, Error>;
    fn table_ty(&self, t: Table) -> TableType;
    fn table_get(&self, t: Table, i: u64) -> Option<Val>;
    fn table_set(&mut self, t: Table, i: u64, v: Val) -> Result<(), Error>;
    fn table_grow(&mut self, t: Table, delta: u64, init: Val) -> Result<u64, Error>;
    fn global_new(&mut self, ty: GlobalType, v: Val) -> Result<Global, Error>;
    fn global_ty(&self, g: Global) -> GlobalType;
    fn global_get(&self, g: Global) -> Val;
    fn global_set(&mut self, g: Global, v: Val) -> Result<(), Error>;
    fn externref_new(&mut self, ptr: usize) -> ExternRef;
    fn externref_ptr(&self, r: ExternRef) -> usize;
    fn instantiate(&mut self, module: &Module, imports: &[Extern]) -> Result<Instance, Error>;
    fn instance_exports(&self, i: Instance) -> Vec<(String, Extern)>;
    fn instance_memory(&self, i: Instance, index: u32) -> Option<Memory>;
    fn statistics(&self) -> wedge::Statistics;
    fn reset_statistics(&mut self);
    fn set_cost_limit(&mut self, limit: u64);
    fn interrupt_handle(&self) -> wedge::InterruptHandle;
    fn set_host_call_hooks(&mut self, hooks: Option<Arc<wedge::HostCallHooks>>);
}

/// A C externref's payload: the user's pointer.
struct CExternPtr(usize);

impl<T: 'static> StoreOps for Store<T> {
    fn id(&self) -> u64 {
        Store::id(self)
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
    fn call(&mut self, f: Func, params: &[Val], results: &mut [Val]) -> Result<(), Error> {
        f.call(self, params, results)
    }
    fn func_ty(&self, f: Func) -> FuncType {
        f.ty(self)
    }
    fn host_func(&mut self, ty: FuncType, host: Arc<CHostFunc>) -> Func {
        let cost = host.cost;
        Func::new_with_cost(
            &mut *self,
            ty,
            cost,
            move |mut caller: Caller<'_, T>, params, results| {
                let caller_instance = caller.instance();
                let store: &mut Store<T> = caller.as_context_mut();
                crate::instance::call_host(&host, store, caller_instance, params, results)
            },
        )
    }
    fn memory_new(&mut self, ty: MemoryType) -> Result<Memory, Error> {
        Memory::new(self, ty)
    }
    fn memory_data(&mut self, m: Memory) -> &mut [u8] {
        m.data_mut(self)
    }
    fn memory_ty(&self, m: Memory) -> MemoryType {
        m.ty(self)
    }
    fn memory_grow(&mut self, m: Memory, delta: u64) -> Result<u64, Error> {
        m.grow(self, delta)
    }
    fn table_new(&mut self, ty: TableType, init: Val) -> Result<Table, Error> {
        Table::new(self, ty, init)
    }
    fn table_ty(&self, t: Table) -> TableType {
        t.ty(self)
    }
    fn table_get(&self, t: Table, i: u64) -> Option<Val> {
        t.get(self, i)
    }
    fn table_set(&mut self, t: Table, i: u64, v: Val) -> Result<(), Error> {
        t.set(self, i, v)
    }
    fn table_grow(&mut self, t: Table, delta: u64, init: Val) -> Result<u64, Error> {
        t.grow(self, delta, init)
    }
    fn global_new(&mut self, ty: GlobalType, v: Val) -> Result<Global, Error> {
        Global::new(self, ty, v)
    }
    fn global_ty(&self, g: Global) -> GlobalType {
        g.ty(self)
    }
    fn global_get(&self, g: Global) -> Val {
        g.get(self)
    }
    fn global_set(&mut self, g: Global, v: Val) -> Result<(), Error> {
        g.set(self, v)
    }
    fn externref_new(&mut self, ptr: usize) -> ExternRef {
        ExternRef::new(self, CExternPtr(ptr))
    }
    fn externref_ptr(&self, r: ExternRef) -> usize {
        // A reference made by Rust code holds something else: C sees it as an opaque non-null
        // value it cannot dereference meaningfully, so report its address-free identity as 1.
        r.data(self).downcast_ref::<CExternPtr>().map_or(1, |p| p.0)
    }
    fn instantiate(&mut self, module: &Module, imports: &[Extern]) -> Result<Instance, Error> {
        Instance::new(self, module, imports)
    }
    fn instance_exports(&self, i: Instance) -> Vec<(String, Extern)> {
        i.exports(self)
    }
    fn instance_memory(&self, i: Instance, index: u32) -> Option<Memory> {
        i.memory_at(self, index)
    }
    fn statistics(&self) -> wedge::Statistics {
        Store::statistics(self)
    }
    fn reset_statistics(&mut self) {
        Store::reset_statistics(self)
    }
    fn set_cost_limit(&mut self, limit: u64) {
        Store::set_cost_limit(self, limit)
    }
    fn interrupt_handle(&self) -> wedge::InterruptHandle {
        Store::interrupt_handle(self)
    }
    fn set_host_call_hooks(&mut self, hooks: Option<Arc<wedge::HostCallHooks>>) {
        Store::set_host_call_hooks(self, hooks)
    }
}

/// Which store a bound handle belongs to.
#[derive(Clone)]
pub(crate) struct Binding {
    pub(crate) store_id: u64,
    /// The C store context that owns the store, if it is one (a Rust host's store is reachable
    /// only while one of its host calls runs).
    pub(crate) home: Option<Weak<StoreShared>>,
}

thread_local! {
    /// The stores whose host calls are running on this thread, innermost last.
    static ACTIVE: RefCell<Vec<(u64, *mut dyn StoreOps)>> = const { RefCell::new(Vec::new()) };
}

/// Marks a store as reachable from this thread while a host function runs; unmarks on drop.
pub(crate) struct Active(());

impl Active {
    /// Makes `store` reachable through [`with_store`] until the returned guard drops. The
    /// caller must not use `store` itself while the guard lives.
    pub(crate) fn enter<S: StoreOps + 'static>(store: &mut S) -> Active {
        let id = store.id();
        let ptr: *mut dyn StoreOps = store as *mut S;
        ACTIVE.with(|a| a.borrow_mut().push((id, ptr)));
        Active(())
    }
}

impl Drop for Active {
    fn drop(&mut self) {
        ACTIVE.with(|a| a.borrow_mut().pop());
    }
}

/// Whether a host call of store `store_id` is running on this thread.
pub(crate) fn is_active(store_id: u64) -> bool {
    active(store_id).is_some()
}

fn active(store_id: u64) -> Option<*mut dyn StoreOps> {
    ACTIVE.with(|a| {
        a.borrow()
            .iter()
            .rev()
            .find(|(id, _)| *id == store_id)
            .map(|(_, p)| *p)
    })
}

/// Runs `f` on the store `binding` names: the one running a host call on this thread, or its C
/// store context's, locked. None when the store is gone or not reachable now.
pub(crate) fn with_store<R>(
    binding: &Binding,
    f: impl FnOnce(&mut dyn StoreOps) -> R,
) -> Option<R> {
    if let Some(ptr) = active(binding.store_id) {
        // SAFETY: `Active::enter` pushed this pointer from a `&mut Store` that stays borrowed,
        // unused, by the host-call frame below us on this thread until the guard pops it; the
        // entries are used one at a time (nested calls push their own, re-derived pointer).
        return Some(f(unsafe { &mut *ptr }));
    }
    let shared = binding.home.as_ref()?.upgrade()?;
    let mut claim = shared.claim()?;
    Some(f(claim.store()))
}

/// The host data of a store made by the C API.
pub(crate) struct CStoreData {
    /// The WASI context of the WASI module bound to this store (an empty one until then).
    pub(crate) wasi: wedge_wasi::WasiCtx,
    /// Where a `proc_exit` status goes: the bound WASI module's exit code.
    pub(crate) wasi_exit: Option<Arc<std::sync::atomic::AtomicI32>>,
    /// Handles lent out for function references read from tables, globals and results.
    pub(crate) func_handles: Vec<(Func, Box<crate::instance::WasmEdge_FunctionInstanceContext>)>,
}

impl Default for CStoreData {
    fn default() -> Self {
        CStoreData {
            wasi: wedge_wasi::WasiCtxBuilder::new().build(),
            wasi_exit: None,
            func_handles: Vec::new(),
        }
    }
}

/// A Wedge store made by the C API.
pub(crate) type CStore = Store<CStoreData>;

/// A registered module: a raw pointer because the store does not own it (WasmEdge's rule).
#[derive(Clone, Copy)]
pub(crate) struct ModulePtr(pub(crate) *const WasmEdge_ModuleInstanceContext);

// SAFETY: a module context is Sync (its mutable parts are behind locks); the pointer is removed
// from every registry before the module is freed (`ModuleInstanceDelete` unregisters it).
unsafe impl Send for ModulePtr {}

/// The state behind a `WasmEdge_StoreContext`.
pub(crate) struct StoreShared {
    /// The Wedge store's id, set when it is created.
    id: std::sync::OnceLock<u64>,
    slot: Mutex<Slot>,
    /// Signalled when a [`Claim`] ends.
    released: Condvar,
    /// The registered modules, under the names they were registered as.
    registry: Mutex<Vec<(crate::ffi::Name, ModulePtr)>>,
}

/// The Wedge store of a C store context, and who is using it.
#[derive(Default)]
struct Slot {
    store: Option<Box<CStore>>,
    /// The thread holding the [`Claim`], while one does.
    user: Option<ThreadId>,
    /// Threads waiting for the claim (so that giving it back wakes nobody, with no system
    /// call, in the usual case).
    waiting: u32,
}

/// Exclusive use of a C store context's Wedge store, for one operation (a call, an
/// instantiation, a look at memory); released on drop.
///
/// No lock is held while the operation runs: the mutex guards only taking and giving back the
/// claim. So a call left by a non-local exit strands nothing. WasmEdge's Rust SDK does that:
/// on a timeout it `siglongjmp`s out of `WasmEdge_ExecutorInvoke` from a signal handler. The
/// next claim on the same thread then finds the store claimed by its own thread, outside any
/// host call of the store (a host call reaches the store through [`Active`] without
/// claiming). That can only be a claim whose frame is gone, so it takes the store back, and
/// the store forgets the abandoned call. (The C API runs no user code while it holds a claim
/// outside a host call.) A claim abandoned on one thread still blocks other threads until that
/// thread uses the store again.
pub(crate) struct Claim<'a> {
    shared: &'a StoreShared,
    store: *mut CStore,
}

impl Claim<'_> {
    pub(crate) fn store(&mut self) -> &mut CStore {
        // SAFETY: the slot's box stays put while `user` names this thread: nobody else takes
        // it, replaces it or drops it (`StoreShared` outlives `self`), and this claim is the
        // only one alive on this thread (a newer claim here would mean this one was
        // abandoned, and an abandoned frame runs no more code).
        unsafe { &mut *self.store }
    }
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        let mut slot = self.shared.lock_slot();
        slot.user = None;
        if slot.waiting > 0 {
            self.shared.released.notify_all();
        }
    }
}

impl Drop for StoreShared {
    /// The host, WASI and plug-in modules registered here come back unbound, with their
    /// contents, as WasmEdge's outlive the store: one module can serve one store after another
    /// (the Rust SDK's `ImportObject` and `WasiModule` with one `Vm` after another), and a WASI
    /// module keeps its descriptors (`WasmEdge_ModuleInstanceWASIGetNativeHandler` after
    /// `WasmEdge_StoreDelete`). See [`crate::instance::unbind_from`].
    fn drop(&mut self) {
        let slot = self.slot.get_mut().unwrap_or_else(|e| e.into_inner());
        let Some(store) = slot.store.as_mut() else {
            // Never materialized: nothing was bound to it.
            return;
        };
        let registry = self.registry.get_mut().unwrap_or_else(|e| e.into_inner());
        let modules: Vec<&WasmEdge_ModuleInstanceContext> = registry
            .iter()
            // SAFETY: registered modules are alive (see `ModulePtr`): a module deleted while
            // registered removed itself from the registry first.
            .map(|(_, m)| unsafe { &*m.0 })
            .collect();
        crate::instance::unbind_from(&modules, store);
    }
}

impl StoreShared {
    pub(crate) fn new() -> Arc<StoreShared> {
        Arc::new(StoreShared {
            id: std::sync::OnceLock::new(),
            slot: Mutex::new(Slot::default()),
            released: Condvar::new(),
            registry: Mutex::new(Vec::new()),
        })
    }

    fn lock_slot(&self) -> MutexGuard<'_, Slot> {
        self.slot.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The slot, once no other thread holds a claim on it; a claim this thread holds is
    /// abandoned (see [`Claim`]) and taken back.
    fn acquire(&self) -> MutexGuard<'_, Slot> {
        let me = std::thread::current().id();
        let mut slot = self.lock_slot();
        loop {
            match slot.user {
                None => return slot,
                Some(user) if user == me => {
                    if let Some(store) = slot.store.as_mut()
                        && store.is_in_call()
                    {
                        // SAFETY: the call was entered under a claim of this thread that is
                        // not on the stack any more (this thread is here, outside a host
                        // call of the store, and claims are not nested), so it never resumes;
                        // no other thread runs calls while `user` names this one.
                        unsafe { store.forget_abandoned_calls() };
                    }
                    return slot;
                }
                Some(_) => {
                    slot.waiting += 1;
                    slot = self.released.wait(slot).unwrap_or_else(|e| e.into_inner());
                    slot.waiting -= 1;
                }
            }
        }
    }

    /// Claims the Wedge store, if there is one yet.
    fn claim(&self) -> Option<Claim<'_>> {
        let mut slot = self.acquire();
        Self::claim_in(self, &mut slot)
    }

    fn claim_in<'a>(shared: &'a StoreShared, slot: &mut Slot) -> Option<Claim<'a>> {
        let store: *mut CStore = &mut **slot.store.as_mut()?;
        slot.user = Some(std::thread::current().id());
        Some(Claim { shared, store })
    }

    pub(crate) fn registry(&self) -> MutexGuard<'_, Vec<(crate::ffi::Name, ModulePtr)>> {
        self.registry.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The module registered as `name`.
    pub(crate) fn find(&self, name: &str) -> Option<ModulePtr> {
        self.registry()
            .iter()
            .find(|(n, _)| n.as_str() == name)
            .map(|(_, m)| *m)
    }

    /// Forgets `module` under every name.
    pub(crate) fn unregister(&self, module: *const WasmEdge_ModuleInstanceContext) {
        self.registry().retain(|(_, m)| !std::ptr::eq(m.0, module));
    }

    /// The Wedge store, created with `engine` if there is none yet; registered host modules bind
    /// to it then. Runs `f` with the store locked (or through the active host call).
    pub(crate) fn with_materialized<R>(
        self: &Arc<Self>,
        engine: &Engine,
        f: impl FnOnce(&mut dyn StoreOps) -> Result<R, Error>,
    ) -> Result<R, Error> {
        // Inside a host call of this very store: it exists and is ours to use.
        let existing_id = self.lock_store_id();
        if let Some(id) = existing_id
            && let Some(ptr) = active(id)
        {
            // SAFETY: as in `with_store`.
            return f(unsafe { &mut *ptr });
        }
        let mut slot = self.acquire();
        if slot.store.is_none() {
            let mut store = Box::new(Store::new(engine, CStoreData::default()));
            let binding = Binding {
                store_id: store.id(),
                home: Some(Arc::downgrade(self)),
            };
            let modules: Vec<ModulePtr> = self.registry().iter().map(|(_, m)| *m).collect();
            for m in modules {
                // SAFETY: registered modules are alive (see `ModulePtr`).
                let module = unsafe { &*m.0 };
                module.bind(&mut *store, &binding)?;
            }
            let _ = self.id.set(store.id());
            slot.store = Some(store);
        }
        let mut claim = Self::claim_in(self, &mut slot).expect("store was just created");
        drop(slot);
        f(claim.store())
    }

    /// The id of the Wedge store, once it exists.
    fn lock_store_id(&self) -> Option<u64> {
        self.id.get().copied()
    }

    /// A binding to this store's Wedge store, if it exists.
    pub(crate) fn binding(self: &Arc<Self>) -> Option<Binding> {
        Some(Binding {
            store_id: self.lock_store_id()?,
            home: Some(Arc::downgrade(self)),
        })
    }
}
