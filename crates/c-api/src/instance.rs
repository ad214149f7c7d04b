//! Instances (`wasmedge_instance.h`): modules, functions, memories, tables, globals, the calling
//! frame of a host function, and how host entities bind to a store (see [`crate::store`]).

use crate::abi::{self, WasmEdge_Result, WasmEdge_String, WasmEdge_Value, code};
use crate::execution::WasmEdge_ExecutorContext;
use crate::ffi::{self, CResultError, guard, guard_result};
use crate::store::{Active, Binding, CStore, CStoreData, StoreOps, StoreShared, with_store};
use crate::types::{
    WasmEdge_FunctionTypeContext, WasmEdge_GlobalTypeContext, WasmEdge_MemoryTypeContext,
    WasmEdge_TableTypeContext,
};
use crate::value::{num_value, valtype_from_c, valtype_to_c};
use core::ffi::c_void;
use std::cell::RefCell;
use std::ptr;
use std::sync::atomic::{AtomicI32, AtomicPtr, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock, Weak};
use wedge::{
    Error, Extern, Func, FuncType, Global, Instance, Memory, MemoryType, Mutability, Table,
    TableType, Val, ValType,
};

/// `WasmEdge_HostFunc_t`.
pub type WasmEdge_HostFunc_t = unsafe extern "C" fn(
    *mut c_void,
    *const WasmEdge_CallingFrameContext,
    *const WasmEdge_Value,
    *mut WasmEdge_Value,
) -> WasmEdge_Result;

/// `WasmEdge_WrapFunc_t`.
pub type WasmEdge_WrapFunc_t = unsafe extern "C" fn(
    *mut c_void,
    *mut c_void,
    *const WasmEdge_CallingFrameContext,
    *const WasmEdge_Value,
    u32,
    *mut WasmEdge_Value,
    u32,
) -> WasmEdge_Result;

/// A C host function: its callback, the user's data pointer and its cost.
pub(crate) struct CHostFunc {
    kind: HostKind,
    data: *mut c_void,
    pub(crate) cost: u64,
    /// The module it was added to (for `CallingFrameGetModuleInstance` without a wasm caller).
    module: AtomicPtr<WasmEdge_ModuleInstanceContext>,
}

enum HostKind {
    Plain(WasmEdge_HostFunc_t),
    Wrap(WasmEdge_WrapFunc_t, *mut c_void),
}

// SAFETY: the C API's contract (WasmEdge's too) leaves the thread-safety of a host function's
// data to the plug-in or host that registered it; the runtime only passes the pointer back.
unsafe impl Send for CHostFunc {}
// SAFETY: as for `Send`.
unsafe impl Sync for CHostFunc {}

/// Calls a C host function from wasm: converts the arguments, makes the calling frame, makes the
/// store reachable for re-entrant C API calls, and maps the returned `WasmEdge_Result`.
pub(crate) fn call_host<T: 'static>(
    host: &CHostFunc,
    store: &mut wedge::Store<T>,
    caller: Option<Instance>,
    params: &[Val],
    results: &mut [Val],
) -> Result<(), Error> {
    let frame = WasmEdge_CallingFrameContext {
        store_id: store.id(),
        caller,
        module: host.module.load(Ordering::Acquire),
        handles: RefCell::new(Vec::new()),
    };
    let zero = num_value(0, ValType::I32);
    let mut c_params = ValueBuf::new(params.len(), zero);
    for (slot, v) in c_params.iter_mut().zip(params) {
        *slot = to_c_value(v, store, &frame);
    }
    let mut c_results = ValueBuf::new(results.len(), zero);
    for (slot, v) in c_results.iter_mut().zip(results.iter()) {
        *slot = num_value(0, v.ty());
    }
    let res = {
        let _active = Active::enter(store);
        host.call(&frame, &c_params, &mut c_results)
    };
    if res.Code == abi::code::TERMINATED {
        // `Terminated` (category WASM) stops the guest as success, as `proc_exit(0)` does: the
        // `wedge` command exits 0 and the C API reports `Terminated` again.
        return Err(Error::from_host(wedge_wasi::Exit(0)));
    }
    if res.Code != abi::code::SUCCESS {
        return Err(Error::from_host(CResultError(res)));
    }
    for (slot, c) in results.iter_mut().zip(c_results.iter()) {
        let ty = slot.ty();
        *slot = from_c_value(c.Value, ty, store)
            .map_err(|_| Error::host("host function returned a reference of another store"))?;
    }
    Ok(())
}

impl CHostFunc {
    /// Calls the C function with C arguments and room for its results.
    fn call(
        &self,
        frame: &WasmEdge_CallingFrameContext,
        params: &[WasmEdge_Value],
        results: &mut [WasmEdge_Value],
    ) -> WasmEdge_Result {
        match self.kind {
            // SAFETY: the callback and data were registered together through the C API; the
            // argument and result arrays have the function type's lengths.
            HostKind::Plain(f) => unsafe {
                f(self.data, frame, params.as_ptr(), results.as_mut_ptr())
            },
            // SAFETY: as above, with the binding pointer registered alongside.
            HostKind::Wrap(f, this) => unsafe {
                f(
                    this,
                    self.data,
                    frame,
                    params.as_ptr(),
                    params.len() as u32,
                    results.as_mut_ptr(),
                    results.len() as u32,
                )
            },
        }
    }
}

/// Argument or result values for one host call: on the stack for the usual few, so a call
/// allocates nothing.
#[allow(
    clippy::large_enum_variant,
    reason = "the inline array is the point: it lives on the host call's stack frame"
)]
enum ValueBuf {
    Stack([WasmEdge_Value; 8], usize),
    Heap(Vec<WasmEdge_Value>),
}

impl ValueBuf {
    fn new(len: usize, fill: WasmEdge_Value) -> ValueBuf {
        if len <= 8 {
            ValueBuf::Stack([fill; 8], len)
        } else {
            ValueBuf::Heap(vec![fill; len])
        }
    }
}

impl std::ops::Deref for ValueBuf {
    type Target = [WasmEdge_Value];
    fn deref(&self) -> &[WasmEdge_Value] {
        match self {
            ValueBuf::Stack(a, n) => &a[..*n],
            ValueBuf::Heap(v) => v,
        }
    }
}

impl std::ops::DerefMut for ValueBuf {
    fn deref_mut(&mut self) -> &mut [WasmEdge_Value] {
        match self {
            ValueBuf::Stack(a, n) => &mut a[..*n],
            ValueBuf::Heap(v) => v,
        }
    }
}

/// A Wedge value as a C value. Function references get a handle owned by `owner`'s frame.
pub(crate) fn to_c_value(
    v: &Val,
    store: &mut dyn StoreOps,
    owner: &WasmEdge_CallingFrameContext,
) -> WasmEdge_Value {
    to_c_value_with(v, store, &mut |f, store| owner.handle_for(f, store))
}

/// A Wedge value as a C value, with `func_handle` giving the handle of a function reference.
pub(crate) fn to_c_value_with(
    v: &Val,
    store: &mut dyn StoreOps,
    func_handle: &mut dyn FnMut(Func, &mut dyn StoreOps) -> *const WasmEdge_FunctionInstanceContext,
) -> WasmEdge_Value {
    match v {
        Val::I32(x) => num_value(u128::from(*x as u32), ValType::I32),
        Val::I64(x) => num_value(u128::from(*x as u64), ValType::I64),
        Val::F32(x) => num_value(u128::from(*x), ValType::F32),
        Val::F64(x) => num_value(u128::from(*x), ValType::F64),
        Val::V128(x) => num_value(*x, ValType::V128),
        Val::FuncRef(f) => {
            let p = f.map_or(ptr::null(), |f| func_handle(f, store));
            ref_value(ValType::FuncRef, p as usize)
        }
        Val::ExternRef(r) => {
            let p = r.map_or(0, |r| store.externref_ptr(r));
            ref_value(ValType::ExternRef, p)
        }
    }
}

/// A reference value of Wedge type `ty` holding `ptr` (0: null), in value.rs's one encoding.
fn ref_value(ty: ValType, ptr: usize) -> WasmEdge_Value {
    crate::value::ref_value(valtype_to_c(ty), ptr)
}

/// The pointer a reference value's bits hold (0: null).
fn ref_ptr(bits: u128) -> usize {
    crate::value::ref_ptr(&WasmEdge_Value {
        Value: bits,
        Type: valtype_to_c(ValType::ExternRef),
    })
}

/// A C value's bits as a Wedge value of type `ty`, in `store`. A function reference must be a
/// handle of this store (host functions not bound anywhere bind to it).
pub(crate) fn from_c_value(bits: u128, ty: ValType, store: &mut dyn StoreOps) -> Result<Val, u32> {
    Ok(match ty {
        ValType::I32 => Val::I32(bits as u32 as i32),
        ValType::I64 => Val::I64(bits as u64 as i64),
        ValType::F32 => Val::F32(bits as u32),
        ValType::F64 => Val::F64(bits as u64),
        ValType::V128 => Val::V128(bits),
        ValType::FuncRef => {
            let p = ref_ptr(bits) as *const WasmEdge_FunctionInstanceContext;
            if p.is_null() {
                Val::FuncRef(None)
            } else {
                // SAFETY: a non-null funcref value holds a function handle the C API gave out.
                let f = unsafe { &*p };
                Val::FuncRef(Some(f.func_in(store).ok_or(code::WRONG_VM_WORKFLOW)?))
            }
        }
        ValType::ExternRef => {
            let p = ref_ptr(bits);
            Val::ExternRef((p != 0).then(|| store.externref_new(p)))
        }
    })
}

/// Converts C arguments for a call to a function of type `ty`.
pub(crate) fn args_from_c(
    ty: &FuncType,
    params: &[WasmEdge_Value],
    store: &mut dyn StoreOps,
) -> Result<Vec<Val>, u32> {
    if params.len() != ty.params().len() {
        return Err(code::FUNC_SIG_MISMATCH);
    }
    let mut out = Vec::with_capacity(params.len());
    for (p, t) in params.iter().zip(ty.params()) {
        if valtype_from_c(p.Type) != Some(*t) {
            return Err(code::FUNC_SIG_MISMATCH);
        }
        out.push(from_c_value(p.Value, *t, store)?);
    }
    Ok(out)
}

/// `WasmEdge_CallingFrameContext`: what a host function knows about its call.
pub struct WasmEdge_CallingFrameContext {
    store_id: u64,
    caller: Option<Instance>,
    module: *mut WasmEdge_ModuleInstanceContext,
    /// Handles lent out during this call (memories, modules, function references).
    handles: RefCell<Vec<FrameHandle>>,
}

enum FrameHandle {
    Memory(u32, Box<WasmEdge_MemoryInstanceContext>),
    Func(Func, Box<WasmEdge_FunctionInstanceContext>),
    Module(Box<WasmEdge_ModuleInstanceContext>),
}

impl WasmEdge_CallingFrameContext {
    /// The store the call runs in.
    pub(crate) fn binding(&self) -> Binding {
        Binding {
            store_id: self.store_id,
            home: None,
        }
    }

    fn handle_for(
        &self,
        f: Func,
        store: &mut dyn StoreOps,
    ) -> *const WasmEdge_FunctionInstanceContext {
        let mut handles = self.handles.borrow_mut();
        for h in handles.iter() {
            if let FrameHandle::Func(g, b) = h
                && *g == f
            {
                return &**b;
            }
        }
        let b = Box::new(WasmEdge_FunctionInstanceContext::bound(
            store.func_ty(f),
            self.binding(),
            f,
        ));
        let p: *const WasmEdge_FunctionInstanceContext = &*b;
        handles.push(FrameHandle::Func(f, b));
        p
    }
}

/// A bound entity: where it lives and its Wedge handle.
#[derive(Clone)]
struct Bound<H> {
    binding: Binding,
    handle: H,
}

/// Where a host entity or module is bound, if it is: set when it joins a store, taken back when
/// that store goes away (see [`unbind_from`]), so it can join the next one. Read by cloning, so
/// no lock is held while the store is used; a read allocates nothing (a `Binding` clone counts
/// a reference).
pub(crate) struct BindCell<T>(RwLock<Option<T>>);

impl<T: Clone> BindCell<T> {
    const fn new() -> Self {
        BindCell(RwLock::new(None))
    }

    fn with(v: T) -> Self {
        BindCell(RwLock::new(Some(v)))
    }

    pub(crate) fn get(&self) -> Option<T> {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn set(&self, v: T) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = Some(v);
    }

    /// Takes the value out if `pred` holds for it.
    fn take_if(&self, pred: impl FnOnce(&T) -> bool) -> Option<T> {
        let mut v = self.0.write().unwrap_or_else(|e| e.into_inner());
        if v.as_ref().is_some_and(pred) {
            v.take()
        } else {
            None
        }
    }
}

/// The bound value of `cell` if it lives in store `store_id`.
fn bound_in<H: Clone>(cell: &BindCell<Bound<H>>, store_id: u64) -> Option<Bound<H>> {
    cell.get().filter(|b| b.binding.store_id == store_id)
}

/// Host functions of a store that is going away, with their contexts: a function reference
/// read out of a table or global then becomes its function's own context, which outlives the
/// store, and rebinds with it.
type HostFuncs = [(Func, *const WasmEdge_FunctionInstanceContext)];

/// `v` as a C value outside any store: a function reference to one of `funcs` becomes that
/// function's context, any other a null reference (its function dies with the store).
fn unbound_c_value(v: &Val, store: &mut dyn StoreOps, funcs: &HostFuncs) -> WasmEdge_Value {
    to_c_value_with(v, store, &mut |f, _| {
        funcs
            .iter()
            .find(|(g, _)| *g == f)
            .map_or(ptr::null(), |(_, p)| *p)
    })
}

/// `WasmEdge_FunctionInstanceContext`.
pub struct WasmEdge_FunctionInstanceContext {
    ty: WasmEdge_FunctionTypeContext,
    host: Option<Arc<CHostFunc>>,
    bound: BindCell<Bound<Func>>,
}

impl WasmEdge_FunctionInstanceContext {
    pub(crate) fn bound(ty: FuncType, binding: Binding, f: Func) -> Self {
        WasmEdge_FunctionInstanceContext {
            ty: WasmEdge_FunctionTypeContext::new(ty),
            host: None,
            bound: BindCell::with(Bound { binding, handle: f }),
        }
    }

    pub(crate) fn ty(&self) -> &FuncType {
        &self.ty.ty
    }

    /// Calls a host function that belongs to no store yet, as WasmEdge runs such
    /// "independent" host functions: with the C values as given, and a calling frame without a
    /// caller (so no memory) and without a store. `around` is called before and after it.
    /// None for a function that is not a host function.
    pub(crate) fn call_unbound(
        &self,
        params: &[WasmEdge_Value],
        around: (impl FnOnce(), impl FnOnce()),
    ) -> Option<Result<Vec<WasmEdge_Value>, WasmEdge_Result>> {
        let host = self.host.as_ref()?;
        let ty = self.ty();
        let matches = params.len() == ty.params().len()
            && params
                .iter()
                .zip(ty.params())
                .all(|(p, t)| valtype_from_c(p.Type) == Some(*t));
        if !matches {
            return Some(Err(abi::result(code::FUNC_SIG_MISMATCH)));
        }
        let frame = WasmEdge_CallingFrameContext {
            // Store ids start at 1: no store answers to 0.
            store_id: 0,
            caller: None,
            module: host.module.load(Ordering::Acquire),
            handles: RefCell::new(Vec::new()),
        };
        let mut results: Vec<WasmEdge_Value> =
            ty.results().iter().map(|t| num_value(0, *t)).collect();
        around.0();
        let res = host.call(&frame, params, &mut results);
        around.1();
        Some(if res.Code == abi::code::SUCCESS {
            Ok(results)
        } else {
            Err(res)
        })
    }

    /// The function and its binding, if bound.
    pub(crate) fn binding(&self) -> Option<(Binding, Func)> {
        self.bound.get().map(|b| (b.binding, b.handle))
    }

    /// Binds a host function to `store` (idempotent for the same store).
    fn bind(&self, store: &mut dyn StoreOps, binding: &Binding) -> Result<Func, Error> {
        if let Some(b) = self.bound.get() {
            return if b.binding.store_id == store.id() {
                Ok(b.handle)
            } else {
                Err(Error::host(
                    "a host function can be registered in one store only",
                ))
            };
        }
        let host = self
            .host
            .clone()
            .ok_or_else(|| Error::host("function has no implementation"))?;
        let f = store.host_func(self.ty.ty.clone(), host);
        self.bound.set(Bound {
            binding: binding.clone(),
            handle: f,
        });
        Ok(f)
    }

    /// This function as a Wedge function of `store`, binding a free host function to it.
    fn func_in(&self, store: &mut dyn StoreOps) -> Option<Func> {
        let binding = Binding {
            store_id: store.id(),
            home: None,
        };
        self.bind(store, &binding).ok()
    }
}

/// A memory not yet in a store.
struct FreeMemory {
    ty: MemoryType,
    data: Vec<u8>,
}

/// `WasmEdge_MemoryInstanceContext`.
pub struct WasmEdge_MemoryInstanceContext {
    ty: Mutex<WasmEdge_MemoryTypeContext>,
    free: Mutex<Option<FreeMemory>>,
    bound: BindCell<Bound<Memory>>,
}

/// `WasmEdge_TableInstanceContext`.
pub struct WasmEdge_TableInstanceContext {
    ty: Mutex<WasmEdge_TableTypeContext>,
    free: Mutex<Option<(TableType, Vec<WasmEdge_Value>)>>,
    bound: BindCell<Bound<Table>>,
}

/// `WasmEdge_GlobalInstanceContext`.
pub struct WasmEdge_GlobalInstanceContext {
    ty: WasmEdge_GlobalTypeContext,
    free: Mutex<Option<WasmEdge_Value>>,
    bound: BindCell<Bound<Global>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn bound_to<H: Clone>(h: H, binding: Binding) -> BindCell<Bound<H>> {
    BindCell::with(Bound { binding, handle: h })
}

const PAGE: usize = 65536;

impl WasmEdge_MemoryInstanceContext {
    fn free(ty: MemoryType) -> Self {
        WasmEdge_MemoryInstanceContext {
            ty: Mutex::new(WasmEdge_MemoryTypeContext::new(ty)),
            free: Mutex::new(Some(FreeMemory {
                ty,
                data: vec![0; ty.limits.min as usize * PAGE],
            })),
            bound: BindCell::new(),
        }
    }

    fn bound(ty: MemoryType, binding: Binding, m: Memory) -> Self {
        WasmEdge_MemoryInstanceContext {
            ty: Mutex::new(WasmEdge_MemoryTypeContext::new(ty)),
            free: Mutex::new(None),
            bound: bound_to(m, binding),
        }
    }

    fn bind(&self, store: &mut dyn StoreOps, binding: &Binding) -> Result<Memory, Error> {
        if let Some(b) = self.bound.get() {
            return Ok(b.handle);
        }
        let free = lock(&self.free)
            .take()
            .ok_or_else(|| Error::host("memory is not available"))?;
        let m = store.memory_new(free.ty)?;
        let pages = (free.data.len() / PAGE) as u64;
        if pages > free.ty.limits.min {
            store.memory_grow(m, pages - free.ty.limits.min)?;
        }
        store.memory_data(m)[..free.data.len()].copy_from_slice(&free.data);
        self.bound.set(Bound {
            binding: binding.clone(),
            handle: m,
        });
        Ok(m)
    }

    /// Runs `f` on the memory's bytes (bound or free); None when unreachable.
    fn with_data<R>(&self, f: impl FnOnce(&mut [u8]) -> R) -> Option<R> {
        if let Some(b) = self.bound.get() {
            return with_store(&b.binding, |s| f(s.memory_data(b.handle)));
        }
        lock(&self.free).as_mut().map(|m| f(&mut m.data))
    }

    fn grow(&self, pages: u64) -> Result<(), u32> {
        if let Some(b) = self.bound.get() {
            return with_store(&b.binding, |s| s.memory_grow(b.handle, pages))
                .ok_or(code::WRONG_VM_WORKFLOW)?
                .map(|_| ())
                .map_err(|_| code::MEMORY_OUT_OF_BOUNDS);
        }
        let mut free = lock(&self.free);
        let m = free.as_mut().ok_or(code::WRONG_VM_WORKFLOW)?;
        let cur = (m.data.len() / PAGE) as u64;
        let max = m.ty.limits.max.unwrap_or(65536).min(65536);
        let new = cur.checked_add(pages).filter(|n| *n <= max);
        let new = new.ok_or(code::MEMORY_OUT_OF_BOUNDS)?;
        m.data.resize(new as usize * PAGE, 0);
        Ok(())
    }
}

impl WasmEdge_MemoryInstanceContext {
    /// Copies the memory out of `store`, which is going away, and unbinds it (if it is there).
    fn unbind(&self, store: &mut dyn StoreOps) {
        let Some(b) = bound_in(&self.bound, store.id()) else {
            return;
        };
        let ty = store.memory_ty(b.handle);
        let data = store.memory_data(b.handle).to_vec();
        // The free state first: a reader sees the memory bound (and its store unreachable) or
        // free, never neither.
        *lock(&self.free) = Some(FreeMemory { ty, data });
        self.bound.take_if(|b| b.binding.store_id == store.id());
    }
}

impl WasmEdge_TableInstanceContext {
    /// Copies the table's elements out of `store`, which is going away, and unbinds it.
    fn unbind(&self, store: &mut dyn StoreOps, funcs: &HostFuncs) {
        let Some(b) = bound_in(&self.bound, store.id()) else {
            return;
        };
        let ty = store.table_ty(b.handle);
        let elems = (0..ty.limits.min)
            .map(|i| {
                let v = store
                    .table_get(b.handle, i)
                    .unwrap_or_else(|| Val::default_for(ty.element));
                unbound_c_value(&v, store, funcs)
            })
            .collect();
        *lock(&self.free) = Some((ty, elems));
        self.bound.take_if(|b| b.binding.store_id == store.id());
    }

    fn bind(&self, store: &mut dyn StoreOps, binding: &Binding) -> Result<Table, Error> {
        if let Some(b) = self.bound.get() {
            return Ok(b.handle);
        }
        let (mut ty, elems) = lock(&self.free)
            .take()
            .ok_or_else(|| Error::host("table is not available"))?;
        // Grown while free: the new table starts at its current size.
        ty.limits.min = ty.limits.min.max(elems.len() as u64);
        let null = Val::default_for(ty.element);
        let t = store.table_new(ty, null)?;
        for (i, e) in elems.iter().enumerate() {
            let v = from_c_value(e.Value, ty.element, store)
                .map_err(|_| Error::host("table element of another store"))?;
            store.table_set(t, i as u64, v)?;
        }
        self.bound.set(Bound {
            binding: binding.clone(),
            handle: t,
        });
        Ok(t)
    }
}

impl WasmEdge_GlobalInstanceContext {
    /// Copies the global's value out of `store`, which is going away, and unbinds it.
    fn unbind(&self, store: &mut dyn StoreOps, funcs: &HostFuncs) {
        let Some(b) = bound_in(&self.bound, store.id()) else {
            return;
        };
        let v = store.global_get(b.handle);
        *lock(&self.free) = Some(unbound_c_value(&v, store, funcs));
        self.bound.take_if(|b| b.binding.store_id == store.id());
    }

    fn bind(&self, store: &mut dyn StoreOps, binding: &Binding) -> Result<Global, Error> {
        if let Some(b) = self.bound.get() {
            return Ok(b.handle);
        }
        let v = lock(&self.free)
            .take()
            .ok_or_else(|| Error::host("global is not available"))?;
        let val = from_c_value(v.Value, self.ty.ty.content, store)
            .map_err(|_| Error::host("global value of another store"))?;
        let g = store.global_new(self.ty.ty, val)?;
        self.bound.set(Bound {
            binding: binding.clone(),
            handle: g,
        });
        Ok(g)
    }
}

/// An export of a module context, boxed so the pointers lent out stay put.
pub(crate) enum ExternCtx {
    Func(Box<WasmEdge_FunctionInstanceContext>),
    Table(Box<WasmEdge_TableInstanceContext>),
    Memory(Box<WasmEdge_MemoryInstanceContext>),
    Global(Box<WasmEdge_GlobalInstanceContext>),
}

impl ExternCtx {
    /// A context for an export of a bound instance.
    pub(crate) fn from_extern(e: Extern, store: &mut dyn StoreOps, binding: &Binding) -> Self {
        match e {
            Extern::Func(f) => ExternCtx::Func(Box::new(WasmEdge_FunctionInstanceContext::bound(
                store.func_ty(f),
                binding.clone(),
                f,
            ))),
            Extern::Memory(m) => ExternCtx::Memory(Box::new(
                WasmEdge_MemoryInstanceContext::bound(store.memory_ty(m), binding.clone(), m),
            )),
            Extern::Table(t) => ExternCtx::Table(Box::new(WasmEdge_TableInstanceContext {
                ty: Mutex::new(WasmEdge_TableTypeContext::new(store.table_ty(t))),
                free: Mutex::new(None),
                bound: bound_to(t, binding.clone()),
            })),
            Extern::Global(g) => ExternCtx::Global(Box::new(WasmEdge_GlobalInstanceContext {
                ty: WasmEdge_GlobalTypeContext::new(store.global_ty(g)),
                free: Mutex::new(None),
                bound: bound_to(g, binding.clone()),
            })),
        }
    }

    /// Takes the entity back from `store`, which is going away: a host function just forgets
    /// its Wedge function (it keeps its C callback); a memory, table or global keeps its
    /// current contents, free, for the next store.
    fn unbind(&self, store: &mut dyn StoreOps, funcs: &HostFuncs) {
        match self {
            ExternCtx::Func(f) => {
                let id = store.id();
                f.bound.take_if(|b| b.binding.store_id == id);
            }
            ExternCtx::Table(t) => t.unbind(store, funcs),
            ExternCtx::Memory(m) => m.unbind(store),
            ExternCtx::Global(g) => g.unbind(store, funcs),
        }
    }

    /// Rebinds this export in place to `fresh`'s entity, if both are functions, so the
    /// handles C holds stay valid; false otherwise.
    fn rebind_as(&self, fresh: &ExternCtx) -> bool {
        match (self, fresh) {
            (ExternCtx::Func(old), ExternCtx::Func(new)) => match new.bound.get() {
                Some(b) => {
                    old.bound.set(b);
                    true
                }
                None => false,
            },
            _ => false,
        }
    }

    /// Binds the entity to `store` and returns it as a Wedge extern.
    fn bind(&self, store: &mut dyn StoreOps, binding: &Binding) -> Result<Extern, Error> {
        Ok(match self {
            ExternCtx::Func(f) => Extern::Func(f.bind(store, binding)?),
            ExternCtx::Table(t) => Extern::Table(t.bind(store, binding)?),
            ExternCtx::Memory(m) => Extern::Memory(m.bind(store, binding)?),
            ExternCtx::Global(g) => Extern::Global(g.bind(store, binding)?),
        })
    }
}

/// What a module context is.
pub(crate) enum ModuleKind {
    /// Made by `ModuleInstanceCreate*`: host entities added one by one.
    Host,
    /// The WASI module: its context until bound, and the exit code.
    Wasi {
        ctx: Mutex<Option<wedge_wasi::WasiCtx>>,
        exit_code: Arc<AtomicI32>,
    },
    /// A module Wedge defines in Rust (such as `wasi:logging/logging`).
    Builtin(BuiltinDefine),
    /// An instantiated wasm module.
    Wasm,
}

/// Defines a built-in module's functions in a linker, under any module name.
pub(crate) type BuiltinDefine =
    fn(&mut wedge::Linker<CStoreData>, &mut CStore) -> Result<(), Error>;

/// `WasmEdge_ModuleInstanceContext`.
pub struct WasmEdge_ModuleInstanceContext {
    pub(crate) name: ffi::Name,
    host_data: *mut c_void,
    finalizer: Option<unsafe extern "C" fn(*mut c_void)>,
    pub(crate) kind: ModuleKind,
    exports: Mutex<Vec<(ffi::Name, ExternCtx)>>,
    bound: BindCell<Binding>,
    /// The C stores this module is registered in (to unregister it when it is deleted).
    stores: Mutex<Vec<Weak<StoreShared>>>,
    /// Made for one host call (by the calling frame): no finalizer, no registrations.
    transient: bool,
}

// SAFETY: the raw pointers are the user's host data and finalizer, which WasmEdge's contract
// leaves to the user; everything else is behind locks or immutable.
unsafe impl Send for WasmEdge_ModuleInstanceContext {}
// SAFETY: as for `Send`.
unsafe impl Sync for WasmEdge_ModuleInstanceContext {}

/// The addresses of every live module context this runtime made, so a module handed to us by a
/// plug-in can be checked to be ours (a plug-in bound to a second copy of the C API would hand
/// over a foreign object).
static LIVE_MODULES: Mutex<Vec<usize>> = Mutex::new(Vec::new());

/// Whether `p` is a live module context made by this runtime.
pub(crate) fn is_our_module(p: *const WasmEdge_ModuleInstanceContext) -> bool {
    lock(&LIVE_MODULES).contains(&(p as usize))
}

pub(crate) fn track_module(
    m: Box<WasmEdge_ModuleInstanceContext>,
) -> Box<WasmEdge_ModuleInstanceContext> {
    let p: *const WasmEdge_ModuleInstanceContext = &*m;
    lock(&LIVE_MODULES).push(p as usize);
    m
}

impl WasmEdge_ModuleInstanceContext {
    pub(crate) fn new_host(
        name: String,
        host_data: *mut c_void,
        finalizer: Option<unsafe extern "C" fn(*mut c_void)>,
        kind: ModuleKind,
    ) -> Self {
        WasmEdge_ModuleInstanceContext {
            name: name.into(),
            host_data,
            finalizer,
            kind,
            exports: Mutex::new(Vec::new()),
            bound: BindCell::new(),
            stores: Mutex::new(Vec::new()),
            transient: false,
        }
    }

    /// A context for a wasm instance of a bound store.
    pub(crate) fn from_instance(
        name: String,
        instance: Instance,
        store: &mut dyn StoreOps,
        binding: Binding,
    ) -> Self {
        let mut exports: Vec<(ffi::Name, ExternCtx)> = store
            .instance_exports(instance)
            .into_iter()
            .map(|(n, e)| (n.into(), ExternCtx::from_extern(e, store, &binding)))
            .collect();
        exports.sort_by(|a, b| a.0.cmp(&b.0));
        WasmEdge_ModuleInstanceContext {
            name: name.into(),
            host_data: ptr::null_mut(),
            finalizer: None,
            kind: ModuleKind::Wasm,
            exports: Mutex::new(exports),
            bound: BindCell::with(binding),
            stores: Mutex::new(Vec::new()),
            transient: false,
        }
    }

    pub(crate) fn exports(&self) -> MutexGuard<'_, Vec<(ffi::Name, ExternCtx)>> {
        lock(&self.exports)
    }

    pub(crate) fn note_registered(&self, store: &Arc<StoreShared>) {
        let mut stores = lock(&self.stores);
        stores.retain(|s| s.strong_count() > 0);
        stores.push(Arc::downgrade(store));
    }

    /// Where the module lives, once bound.
    pub(crate) fn binding(&self) -> Option<Binding> {
        self.bound.get()
    }

    /// Binds every entity of a host or WASI module to `store`; the module's exports become
    /// Wedge externs of that store. Idempotent for one store; a second store is refused.
    pub(crate) fn bind(&self, store: &mut dyn StoreOps, binding: &Binding) -> Result<(), Error> {
        if let Some(b) = self.bound.get() {
            if b.store_id == store.id() {
                return Ok(());
            }
            return Err(Error::host(format!(
                "module `{}` is already in another store (Wedge binds a host module to one store)",
                self.name
            )));
        }
        if matches!(self.kind, ModuleKind::Wasi { .. } | ModuleKind::Builtin(_)) {
            let cstore = store
                .as_any_mut()
                .downcast_mut::<CStore>()
                .ok_or_else(|| Error::host("a built-in module can only join a C API store"))?;
            let mut linker = wedge::Linker::new(cstore.engine());
            match &self.kind {
                ModuleKind::Wasi { ctx, exit_code } => {
                    let wasi = lock(ctx)
                        .take()
                        .ok_or_else(|| Error::host("WASI module already used"))?;
                    cstore.data_mut().wasi = wasi;
                    cstore.data_mut().wasi_exit = Some(exit_code.clone());
                    wedge_wasi::add_to_linker(&mut linker, cstore, |d: &mut CStoreData| {
                        &mut d.wasi
                    })?;
                }
                ModuleKind::Builtin(define) => define(&mut linker, cstore)?,
                _ => {}
            }
            let fresh: Vec<(ffi::Name, ExternCtx)> = linker
                .iter()
                .map(|(_, n, e)| (n.into(), ExternCtx::from_extern(e, cstore, binding)))
                .collect();
            // Bound before, to a store now gone: the export contexts C may hold rebind in place.
            let mut exports = lock(&self.exports);
            for (name, e) in fresh {
                let kept = exports
                    .iter()
                    .find(|(n, _)| *n == name)
                    .is_some_and(|(_, old)| old.rebind_as(&e));
                if !kept {
                    insert_export(&mut exports, name, e);
                }
            }
        } else {
            for (_, e) in lock(&self.exports).iter() {
                e.bind(store, binding)?;
            }
        }
        self.bound.set(binding.clone());
        Ok(())
    }

    /// The export `name` as a Wedge extern of the bound store.
    pub(crate) fn extern_named(&self, name: &str) -> Option<Extern> {
        let exports = lock(&self.exports);
        let (_, e) = exports.iter().find(|(n, _)| n == name)?;
        bound_extern(e)
    }

    /// Every export as a Wedge extern of `store`, binding the module to it first.
    pub(crate) fn bind_externs(
        &self,
        store: &mut dyn StoreOps,
        binding: &Binding,
    ) -> Result<Vec<(String, Extern)>, Error> {
        self.bind(store, binding)?;
        Ok(lock(&self.exports)
            .iter()
            .filter_map(|(n, e)| Some((n.to_string(), bound_extern(e)?)))
            .collect())
    }
}

/// The Wedge extern behind a bound export.
fn bound_extern(e: &ExternCtx) -> Option<Extern> {
    Some(match e {
        ExternCtx::Func(f) => Extern::Func(f.bound.get()?.handle),
        ExternCtx::Table(t) => Extern::Table(t.bound.get()?.handle),
        ExternCtx::Memory(m) => Extern::Memory(m.bound.get()?.handle),
        ExternCtx::Global(g) => Extern::Global(g.bound.get()?.handle),
    })
}

impl Drop for WasmEdge_ModuleInstanceContext {
    fn drop(&mut self) {
        if self.transient {
            return;
        }
        let me: *const WasmEdge_ModuleInstanceContext = self;
        lock(&LIVE_MODULES).retain(|p| *p != me as usize);
        for s in lock(&self.stores).drain(..) {
            if let Some(s) = s.upgrade() {
                s.unregister(me);
            }
        }
        if let Some(fin) = self.finalizer {
            // SAFETY: the user registered this finalizer for this data pointer.
            unsafe { fin(self.host_data) };
        }
    }
}

fn add_export(module: &WasmEdge_ModuleInstanceContext, name: String, e: ExternCtx) {
    insert_export(&mut lock(&module.exports), name.into(), e);
}

/// Puts `e` in `exports` (sorted by name) as `name`, replacing an export of that name.
fn insert_export(exports: &mut Vec<(ffi::Name, ExternCtx)>, name: ffi::Name, e: ExternCtx) {
    exports.retain(|(n, _)| *n != name);
    let pos = exports.partition_point(|(n, _)| *n < name);
    exports.insert(pos, (name, e));
}

/// Takes the host, WASI and built-in modules of `modules` (a registry) that are bound to
/// `store` back from it, as it goes away: each comes back unbound, with its current contents
/// (memory bytes, table elements, global values, the WASI context), and binds to the next
/// store it joins, as WasmEdge's modules outlive the stores they were registered in. Wasm
/// instances die with their store.
pub(crate) fn unbind_from(modules: &[&WasmEdge_ModuleInstanceContext], store: &mut CStore) {
    let id = store.id();
    let modules: Vec<&WasmEdge_ModuleInstanceContext> = modules
        .iter()
        .copied()
        .filter(|m| !matches!(m.kind, ModuleKind::Wasm))
        .filter(|m| m.binding().is_some_and(|b| b.store_id == id))
        .collect();
    let mut funcs: Vec<(Func, *const WasmEdge_FunctionInstanceContext)> = Vec::new();
    for m in &modules {
        for (_, e) in m.exports().iter() {
            if let ExternCtx::Func(f) = e
                && f.host.is_some()
                && let Some(b) = bound_in(&f.bound, id)
            {
                funcs.push((b.handle, &**f));
            }
        }
    }
    for m in modules {
        crate::wasi::take_back_ctx(m, store);
        for (_, e) in m.exports().iter() {
            e.unbind(store, &funcs);
        }
        m.bound.take_if(|b| b.store_id == id);
    }
}

// ---------------------------------------------------------------------------------------------
// Module instances

/// Creates an empty host module.
///
/// # Safety
/// `name` must be a valid `WasmEdge_String`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ModuleInstanceCreate(
    name: WasmEdge_String,
) -> *mut WasmEdge_ModuleInstanceContext {
    // SAFETY: forwarded to the caller.
    unsafe { WasmEdge_ModuleInstanceCreateWithData(name, ptr::null_mut(), None) }
}

/// Creates an empty host module carrying `data`, passed to `finalizer` when it is deleted.
///
/// # Safety
/// `name` must be a valid `WasmEdge_String`; `finalizer` must accept `data`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ModuleInstanceCreateWithData(
    name: WasmEdge_String,
    data: *mut c_void,
    finalizer: Option<unsafe extern "C" fn(*mut c_void)>,
) -> *mut WasmEdge_ModuleInstanceContext {
    guard(ptr::null_mut(), || {
        // SAFETY: forwarded to the caller.
        let name = unsafe { ffi::string_lossy(name) };
        Box::into_raw(track_module(Box::new(
            WasmEdge_ModuleInstanceContext::new_host(name, data, finalizer, ModuleKind::Host),
        )))
    })
}

/// The module's name (borrowed).
///
/// # Safety
/// `cxt` must be NULL or a live module context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ModuleInstanceGetModuleName(
    cxt: *const WasmEdge_ModuleInstanceContext,
) -> WasmEdge_String {
    // SAFETY: the caller passes NULL or a live context.
    match unsafe { cxt.as_ref() } {
        Some(m) => ffi::borrow_string(&m.name),
        None => ffi::borrow_string(c""),
    }
}

/// The host data given at creation.
///
/// # Safety
/// `cxt` must be NULL or a live module context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ModuleInstanceGetHostData(
    cxt: *const WasmEdge_ModuleInstanceContext,
) -> *mut c_void {
    // SAFETY: the caller passes NULL or a live context.
    unsafe { cxt.as_ref() }.map_or(ptr::null_mut(), |m| m.host_data)
}

macro_rules! find_and_list {
    ($find:ident, $len:ident, $list:ident, $variant:ident, $ctx:ty) => {
        /// Finds an export of this kind by name (borrowed), or NULL.
        ///
        /// # Safety
        /// `cxt` must be NULL or a live module context; `name` a valid string.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $find(
            cxt: *const WasmEdge_ModuleInstanceContext,
            name: WasmEdge_String,
        ) -> *mut $ctx {
            guard(ptr::null_mut(), || {
                // SAFETY: the caller passes NULL or a live context.
                let Some(m) = (unsafe { cxt.as_ref() }) else {
                    return ptr::null_mut();
                };
                // SAFETY: the caller passes a valid string.
                let name = unsafe { ffi::string_bytes(name) };
                for (n, e) in m.exports().iter() {
                    if let ExternCtx::$variant(b) = e
                        && n.as_bytes() == name
                    {
                        return (&**b as *const $ctx).cast_mut();
                    }
                }
                ptr::null_mut()
            })
        }

        /// How many exports of this kind the module has.
        ///
        /// # Safety
        /// `cxt` must be NULL or a live module context.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $len(cxt: *const WasmEdge_ModuleInstanceContext) -> u32 {
            guard(0, || {
                // SAFETY: the caller passes NULL or a live context.
                let Some(m) = (unsafe { cxt.as_ref() }) else {
                    return 0;
                };
                m.exports()
                    .iter()
                    .filter(|(_, e)| matches!(e, ExternCtx::$variant(_)))
                    .count() as u32
            })
        }

        /// Writes up to `len` export names of this kind (borrowed, sorted); returns the total.
        ///
        /// # Safety
        /// `cxt` must be NULL or a live module context; `names` NULL or room for `len`.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $list(
            cxt: *const WasmEdge_ModuleInstanceContext,
            names: *mut WasmEdge_String,
            len: u32,
        ) -> u32 {
            guard(0, || {
                // SAFETY: the caller passes NULL or a live context.
                let Some(m) = (unsafe { cxt.as_ref() }) else {
                    return 0;
                };
                let exports = m.exports();
                let mut total = 0u32;
                for (n, e) in exports.iter() {
                    if !matches!(e, ExternCtx::$variant(_)) {
                        continue;
                    }
                    if !names.is_null() && total < len {
                        // SAFETY: `names` has room for `len` entries; the name lives as long
                        // as the module.
                        unsafe { *names.add(total as usize) = ffi::borrow_string(n) };
                    }
                    total += 1;
                }
                total
            })
        }
    };
}

find_and_list!(
    WasmEdge_ModuleInstanceFindFunction,
    WasmEdge_ModuleInstanceListFunctionLength,
    WasmEdge_ModuleInstanceListFunction,
    Func,
    WasmEdge_FunctionInstanceContext
);
find_and_list!(
    WasmEdge_ModuleInstanceFindTable,
    WasmEdge_ModuleInstanceListTableLength,
    WasmEdge_ModuleInstanceListTable,
    Table,
    WasmEdge_TableInstanceContext
);
find_and_list!(
    WasmEdge_ModuleInstanceFindMemory,
    WasmEdge_ModuleInstanceListMemoryLength,
    WasmEdge_ModuleInstanceListMemory,
    Memory,
    WasmEdge_MemoryInstanceContext
);
find_and_list!(
    WasmEdge_ModuleInstanceFindGlobal,
    WasmEdge_ModuleInstanceListGlobalLength,
    WasmEdge_ModuleInstanceListGlobal,
    Global,
    WasmEdge_GlobalInstanceContext
);

macro_rules! add_fn {
    ($name:ident, $variant:ident, $ctx:ty) => {
        /// Adds an entity to a host module, which takes ownership of it. A module already in a
        /// store gets the entity bound to that store (for modules that import it later).
        /// Nothing happens for a NULL argument or a module that is not a host module.
        ///
        /// # Safety
        /// `cxt` must be NULL or a live module; `item` NULL or an owned context from its
        /// `Create` function, not added elsewhere.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name(
            cxt: *mut WasmEdge_ModuleInstanceContext,
            name: WasmEdge_String,
            item: *mut $ctx,
        ) {
            guard((), || {
                // SAFETY: the caller passes NULL or a live context.
                let Some(m) = (unsafe { cxt.as_ref() }) else {
                    return;
                };
                if item.is_null() || !matches!(m.kind, ModuleKind::Host) {
                    return;
                }
                // SAFETY: `item` came from `Box::into_raw` in its `Create` function and the
                // caller hands over ownership.
                let item = unsafe { Box::from_raw(item) };
                // SAFETY: the caller passes a valid string.
                let name = unsafe { ffi::string_lossy(name) };
                add_export_hook(m, &*item);
                let item = ExternCtx::$variant(item);
                if let Some(binding) = m.bound.get() {
                    match with_store(&binding, |s| item.bind(s, &binding)) {
                        Some(Ok(_)) => {}
                        Some(Err(e)) => {
                            ffi::log_error(&format!("cannot add `{name}` to `{}`: {e}", m.name));
                            return;
                        }
                        None => {
                            ffi::log_error(&format!(
                                "cannot add `{name}` to `{}`: its store is gone",
                                m.name
                            ));
                            return;
                        }
                    }
                }
                add_export(m, name, item);
            })
        }
    };
}

trait AddHook {
    fn added_to(&self, _m: &WasmEdge_ModuleInstanceContext) {}
}
impl AddHook for WasmEdge_FunctionInstanceContext {
    fn added_to(&self, m: &WasmEdge_ModuleInstanceContext) {
        if let Some(h) = &self.host {
            let p: *const WasmEdge_ModuleInstanceContext = m;
            h.module.store(p.cast_mut(), Ordering::Release);
        }
    }
}
impl AddHook for WasmEdge_TableInstanceContext {}
impl AddHook for WasmEdge_MemoryInstanceContext {}
impl AddHook for WasmEdge_GlobalInstanceContext {}

fn add_export_hook<T: AddHook>(m: &WasmEdge_ModuleInstanceContext, item: &T) {
    item.added_to(m);
}

add_fn!(
    WasmEdge_ModuleInstanceAddFunction,
    Func,
    WasmEdge_FunctionInstanceContext
);
add_fn!(
    WasmEdge_ModuleInstanceAddTable,
    Table,
    WasmEdge_TableInstanceContext
);
add_fn!(
    WasmEdge_ModuleInstanceAddMemory,
    Memory,
    WasmEdge_MemoryInstanceContext
);
add_fn!(
    WasmEdge_ModuleInstanceAddGlobal,
    Global,
    WasmEdge_GlobalInstanceContext
);

/// Deletes a module: unregisters it from every store and runs its host-data finalizer.
///
/// # Safety
/// `cxt` must be NULL or an owned module context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ModuleInstanceDelete(cxt: *mut WasmEdge_ModuleInstanceContext) {
    // SAFETY: forwarded to the caller.
    unsafe { ffi::delete(cxt) }
}

// ---------------------------------------------------------------------------------------------
// Function instances

fn new_host_func(
    ty: *const WasmEdge_FunctionTypeContext,
    kind: HostKind,
    data: *mut c_void,
    cost: u64,
) -> *mut WasmEdge_FunctionInstanceContext {
    // SAFETY: the callers pass NULL or a live type context.
    let Some(ty) = (unsafe { ty.as_ref() }) else {
        return ptr::null_mut();
    };
    Box::into_raw(Box::new(WasmEdge_FunctionInstanceContext {
        ty: ty.clone(),
        host: Some(Arc::new(CHostFunc {
            kind,
            data,
            cost,
            module: AtomicPtr::new(ptr::null_mut()),
        })),
        bound: BindCell::new(),
    }))
}

/// Creates a host function of type `ty` (copied) calling `func` with `data`, charging `cost`.
///
/// # Safety
/// `ty` must be NULL or a live type; `func` must follow `WasmEdge_HostFunc_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_FunctionInstanceCreate(
    ty: *const WasmEdge_FunctionTypeContext,
    func: Option<WasmEdge_HostFunc_t>,
    data: *mut c_void,
    cost: u64,
) -> *mut WasmEdge_FunctionInstanceContext {
    guard(ptr::null_mut(), || match func {
        Some(f) => new_host_func(ty, HostKind::Plain(f), data, cost),
        None => ptr::null_mut(),
    })
}

/// Creates a host function that calls `wrap(binding, data, frame, params, plen, returns, rlen)`.
///
/// # Safety
/// As for `WasmEdge_FunctionInstanceCreate`, with `wrap` following `WasmEdge_WrapFunc_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_FunctionInstanceCreateBinding(
    ty: *const WasmEdge_FunctionTypeContext,
    wrap: Option<WasmEdge_WrapFunc_t>,
    binding: *mut c_void,
    data: *mut c_void,
    cost: u64,
) -> *mut WasmEdge_FunctionInstanceContext {
    guard(ptr::null_mut(), || match wrap {
        Some(f) => new_host_func(ty, HostKind::Wrap(f, binding), data, cost),
        None => ptr::null_mut(),
    })
}

/// The function's type (borrowed).
///
/// # Safety
/// `cxt` must be NULL or a live function context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_FunctionInstanceGetFunctionType(
    cxt: *const WasmEdge_FunctionInstanceContext,
) -> *const WasmEdge_FunctionTypeContext {
    // SAFETY: the caller passes NULL or a live context.
    unsafe { cxt.as_ref() }.map_or(ptr::null(), |f| &f.ty)
}

/// The data pointer of a host function (NULL for wasm functions).
///
/// # Safety
/// `cxt` must be NULL or a live function context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_FunctionInstanceGetData(
    cxt: *const WasmEdge_FunctionInstanceContext,
) -> *const c_void {
    // SAFETY: the caller passes NULL or a live context.
    unsafe { cxt.as_ref() }
        .and_then(|f| f.host.as_ref())
        .map_or(ptr::null(), |h| h.data.cast_const())
}

/// Deletes a function context that was never added to a module.
///
/// # Safety
/// `cxt` must be NULL or an owned function context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_FunctionInstanceDelete(
    cxt: *mut WasmEdge_FunctionInstanceContext,
) {
    // SAFETY: forwarded to the caller.
    unsafe { ffi::delete(cxt) }
}

// ---------------------------------------------------------------------------------------------
// Memory instances

/// Creates a memory of type `ty`, not yet in any store.
///
/// # Safety
/// `ty` must be NULL or a live memory type.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_MemoryInstanceCreate(
    ty: *const WasmEdge_MemoryTypeContext,
) -> *mut WasmEdge_MemoryInstanceContext {
    guard(ptr::null_mut(), || {
        // SAFETY: the caller passes NULL or a live type.
        let Some(ty) = (unsafe { ty.as_ref() }) else {
            return ptr::null_mut();
        };
        if ty.ty.limits.min > 65536 {
            return ptr::null_mut();
        }
        Box::into_raw(Box::new(WasmEdge_MemoryInstanceContext::free(ty.ty)))
    })
}

/// The memory's type (borrowed; its minimum follows the current size).
///
/// # Safety
/// `cxt` must be NULL or a live memory context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_MemoryInstanceGetMemoryType(
    cxt: *const WasmEdge_MemoryInstanceContext,
) -> *const WasmEdge_MemoryTypeContext {
    guard(ptr::null(), || {
        // SAFETY: the caller passes NULL or a live context.
        let Some(m) = (unsafe { cxt.as_ref() }) else {
            return ptr::null();
        };
        let pages = m.with_data(|d| (d.len() / PAGE) as u64);
        let mut ty = lock(&m.ty);
        if let Some(p) = pages {
            ty.ty.limits.min = p;
            ty.limit.limits.min = p;
        }
        &*ty as *const WasmEdge_MemoryTypeContext
    })
}

/// Copies `len` bytes at `offset` out of the memory.
///
/// # Safety
/// `cxt` must be NULL or a live memory; `data` must have room for `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_MemoryInstanceGetData(
    cxt: *const WasmEdge_MemoryInstanceContext,
    data: *mut u8,
    offset: u64,
    len: u64,
) -> WasmEdge_Result {
    guard_result(|| {
        // SAFETY: the caller passes NULL or a live context.
        let Some(m) = (unsafe { cxt.as_ref() }) else {
            return abi::result(code::WRONG_VM_WORKFLOW);
        };
        if data.is_null() && len > 0 {
            return abi::result(code::WRONG_VM_WORKFLOW);
        }
        m.with_data(|mem| match range(mem.len(), offset, len) {
            Some(r) => {
                // SAFETY: `data` has room for `len` bytes (the caller's contract) and does not
                // overlap the memory.
                unsafe { ptr::copy_nonoverlapping(mem[r].as_ptr(), data, len as usize) };
                abi::OK
            }
            None => abi::result(code::MEMORY_OUT_OF_BOUNDS),
        })
        .unwrap_or(abi::result(code::WRONG_VM_WORKFLOW))
    })
}

/// Copies `len` bytes into the memory at `offset`.
///
/// # Safety
/// `cxt` must be NULL or a live memory; `data` must hold `len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_MemoryInstanceSetData(
    cxt: *mut WasmEdge_MemoryInstanceContext,
    data: *const u8,
    offset: u64,
    len: u64,
) -> WasmEdge_Result {
    guard_result(|| {
        // SAFETY: the caller passes NULL or a live context.
        let Some(m) = (unsafe { cxt.as_ref() }) else {
            return abi::result(code::WRONG_VM_WORKFLOW);
        };
        if data.is_null() && len > 0 {
            return abi::result(code::WRONG_VM_WORKFLOW);
        }
        m.with_data(|mem| match range(mem.len(), offset, len) {
            Some(r) => {
                // SAFETY: `data` holds `len` bytes (the caller's contract), not in the memory.
                unsafe { ptr::copy_nonoverlapping(data, mem[r].as_mut_ptr(), len as usize) };
                abi::OK
            }
            None => abi::result(code::MEMORY_OUT_OF_BOUNDS),
        })
        .unwrap_or(abi::result(code::WRONG_VM_WORKFLOW))
    })
}

fn range(size: usize, offset: u64, len: u64) -> Option<std::ops::Range<usize>> {
    let end = offset.checked_add(len)?;
    if end > size as u64 {
        return None;
    }
    Some(offset as usize..end as usize)
}

/// A pointer to `len` bytes at `offset`, or NULL unless the whole range is in bounds. Valid
/// until the memory grows.
///
/// # Safety
/// `cxt` must be NULL or a live memory context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_MemoryInstanceGetPointer(
    cxt: *mut WasmEdge_MemoryInstanceContext,
    offset: u64,
    len: u64,
) -> *mut u8 {
    guard(ptr::null_mut(), || {
        // SAFETY: the caller passes NULL or a live context.
        let Some(m) = (unsafe { cxt.as_ref() }) else {
            return ptr::null_mut();
        };
        m.with_data(|mem| match range(mem.len(), offset, len) {
            Some(r) => mem[r].as_mut_ptr(),
            None => ptr::null_mut(),
        })
        .unwrap_or(ptr::null_mut())
    })
}

/// As `WasmEdge_MemoryInstanceGetPointer`, read-only.
///
/// # Safety
/// `cxt` must be NULL or a live memory context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_MemoryInstanceGetPointerConst(
    cxt: *const WasmEdge_MemoryInstanceContext,
    offset: u64,
    len: u64,
) -> *const u8 {
    // SAFETY: forwarded to the caller.
    unsafe { WasmEdge_MemoryInstanceGetPointer(cxt.cast_mut(), offset, len) }
}

/// The memory's size in 64 KiB pages.
///
/// # Safety
/// `cxt` must be NULL or a live memory context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_MemoryInstanceGetPageSize(
    cxt: *const WasmEdge_MemoryInstanceContext,
) -> u64 {
    guard(0, || {
        // SAFETY: the caller passes NULL or a live context.
        unsafe { cxt.as_ref() }
            .and_then(|m| m.with_data(|d| (d.len() / PAGE) as u64))
            .unwrap_or(0)
    })
}

/// Grows the memory by `pages`.
///
/// # Safety
/// `cxt` must be NULL or a live memory context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_MemoryInstanceGrowPage(
    cxt: *mut WasmEdge_MemoryInstanceContext,
    pages: u64,
) -> WasmEdge_Result {
    guard_result(|| {
        // SAFETY: the caller passes NULL or a live context.
        let Some(m) = (unsafe { cxt.as_ref() }) else {
            return abi::result(code::WRONG_VM_WORKFLOW);
        };
        match m.grow(pages) {
            Ok(()) => abi::OK,
            Err(c) => abi::result(c),
        }
    })
}

/// Deletes a memory context that was never added to a module.
///
/// # Safety
/// `cxt` must be NULL or an owned memory context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_MemoryInstanceDelete(cxt: *mut WasmEdge_MemoryInstanceContext) {
    // SAFETY: forwarded to the caller.
    unsafe { ffi::delete(cxt) }
}

// ---------------------------------------------------------------------------------------------
// Table instances

/// Creates a table of type `ty` with null elements, not yet in any store.
///
/// # Safety
/// `ty` must be NULL or a live table type.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_TableInstanceCreate(
    ty: *const WasmEdge_TableTypeContext,
) -> *mut WasmEdge_TableInstanceContext {
    guard(ptr::null_mut(), || {
        // SAFETY: the caller passes NULL or a live type.
        let Some(ty) = (unsafe { ty.as_ref() }) else {
            return ptr::null_mut();
        };
        if ty.ty.limits.min > 10_000_000 {
            return ptr::null_mut();
        }
        let null = ref_value(ty.ty.element, 0);
        Box::into_raw(Box::new(WasmEdge_TableInstanceContext {
            ty: Mutex::new(ty.clone()),
            free: Mutex::new(Some((ty.ty, vec![null; ty.ty.limits.min as usize]))),
            bound: BindCell::new(),
        }))
    })
}

/// Creates a table of type `ty` with every element set to `init` (of the element type).
///
/// # Safety
/// `ty` must be NULL or a live table type; a function reference in `init` must be a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_TableInstanceCreateWithInit(
    ty: *const WasmEdge_TableTypeContext,
    init: WasmEdge_Value,
) -> *mut WasmEdge_TableInstanceContext {
    guard(ptr::null_mut(), || {
        // SAFETY: the caller passes NULL or a live type.
        let Some(t) = (unsafe { ty.as_ref() }) else {
            return ptr::null_mut();
        };
        if valtype_from_c(init.Type) != Some(t.ty.element) || t.ty.limits.min > 10_000_000 {
            return ptr::null_mut();
        }
        Box::into_raw(Box::new(WasmEdge_TableInstanceContext {
            ty: Mutex::new(t.clone()),
            free: Mutex::new(Some((t.ty, vec![init; t.ty.limits.min as usize]))),
            bound: BindCell::new(),
        }))
    })
}

/// The table's type (borrowed; its minimum follows the current size).
///
/// # Safety
/// `cxt` must be NULL or a live table context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_TableInstanceGetTableType(
    cxt: *const WasmEdge_TableInstanceContext,
) -> *const WasmEdge_TableTypeContext {
    guard(ptr::null(), || {
        // SAFETY: the caller passes NULL or a live context.
        let Some(t) = (unsafe { cxt.as_ref() }) else {
            return ptr::null();
        };
        // SAFETY: `t` is live.
        let size = unsafe { WasmEdge_TableInstanceGetSize(t) };
        let mut ty = lock(&t.ty);
        ty.ty.limits.min = size;
        ty.limit.limits.min = size;
        &*ty as *const WasmEdge_TableTypeContext
    })
}

/// Reads element `offset` into `*data`.
///
/// # Safety
/// `cxt` must be NULL or a live table; `data` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_TableInstanceGetData(
    cxt: *const WasmEdge_TableInstanceContext,
    data: *mut WasmEdge_Value,
    offset: u64,
) -> WasmEdge_Result {
    guard_result(|| {
        // SAFETY: the caller passes NULL or a live context.
        let (Some(t), false) = (unsafe { cxt.as_ref() }, data.is_null()) else {
            return abi::result(code::WRONG_VM_WORKFLOW);
        };
        let v = if let Some(b) = t.bound.get() {
            with_store(&b.binding, |s| {
                let v = s.table_get(b.handle, offset)?;
                Some(to_c_value_with(&v, s, &mut |f, s| {
                    persistent_handle(f, s, &b.binding)
                }))
            })
            .flatten()
        } else {
            lock(&t.free)
                .as_ref()
                .and_then(|(_, e)| e.get(offset as usize).copied())
        };
        match v {
            Some(v) => {
                // SAFETY: `data` is writable (checked non-NULL; the caller's contract).
                unsafe { *data = v };
                abi::OK
            }
            None => abi::result(code::TABLE_OUT_OF_BOUNDS),
        }
    })
}

/// Writes `data` to element `offset`.
///
/// # Safety
/// `cxt` must be NULL or a live table context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_TableInstanceSetData(
    cxt: *mut WasmEdge_TableInstanceContext,
    data: WasmEdge_Value,
    offset: u64,
) -> WasmEdge_Result {
    guard_result(|| {
        // SAFETY: the caller passes NULL or a live context.
        let Some(t) = (unsafe { cxt.as_ref() }) else {
            return abi::result(code::WRONG_VM_WORKFLOW);
        };
        let elem = lock(&t.ty).ty.element;
        if valtype_from_c(data.Type) != Some(elem) {
            return abi::result(code::REF_TYPE_MISMATCH);
        }
        if let Some(b) = t.bound.get() {
            let r = with_store(&b.binding, |s| {
                let v = from_c_value(data.Value, elem, s)?;
                s.table_set(b.handle, offset, v)
                    .map_err(|_| code::TABLE_OUT_OF_BOUNDS)
            });
            return match r {
                Some(Ok(())) => abi::OK,
                Some(Err(c)) => abi::result(c),
                None => abi::result(code::WRONG_VM_WORKFLOW),
            };
        }
        let mut free = lock(&t.free);
        match free.as_mut().and_then(|(_, e)| e.get_mut(offset as usize)) {
            Some(slot) => {
                *slot = data;
                abi::OK
            }
            None => abi::result(code::TABLE_OUT_OF_BOUNDS),
        }
    })
}

/// The table's size in elements.
///
/// # Safety
/// `cxt` must be NULL or a live table context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_TableInstanceGetSize(
    cxt: *const WasmEdge_TableInstanceContext,
) -> u64 {
    guard(0, || {
        // SAFETY: the caller passes NULL or a live context.
        let Some(t) = (unsafe { cxt.as_ref() }) else {
            return 0;
        };
        if let Some(b) = t.bound.get() {
            return with_store(&b.binding, |s| s.table_ty(b.handle).limits.min).unwrap_or(0);
        }
        lock(&t.free).as_ref().map_or(0, |(_, e)| e.len() as u64)
    })
}

/// Grows the table by `size` null elements.
///
/// # Safety
/// `cxt` must be NULL or a live table context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_TableInstanceGrow(
    cxt: *mut WasmEdge_TableInstanceContext,
    size: u64,
) -> WasmEdge_Result {
    guard_result(|| {
        // SAFETY: the caller passes NULL or a live context.
        let Some(t) = (unsafe { cxt.as_ref() }) else {
            return abi::result(code::WRONG_VM_WORKFLOW);
        };
        let ty = lock(&t.ty).ty;
        if let Some(b) = t.bound.get() {
            let null = Val::default_for(ty.element);
            return match with_store(&b.binding, |s| s.table_grow(b.handle, size, null)) {
                Some(Ok(_)) => abi::OK,
                Some(Err(_)) => abi::result(code::TABLE_OUT_OF_BOUNDS),
                None => abi::result(code::WRONG_VM_WORKFLOW),
            };
        }
        let mut free = lock(&t.free);
        let Some((_, elems)) = free.as_mut() else {
            return abi::result(code::WRONG_VM_WORKFLOW);
        };
        let Some(new) = (elems.len() as u64).checked_add(size) else {
            return abi::result(code::TABLE_OUT_OF_BOUNDS);
        };
        if new > ty.limits.max.unwrap_or(u64::from(u32::MAX)) {
            return abi::result(code::TABLE_OUT_OF_BOUNDS);
        }
        elems.resize(new as usize, ref_value(ty.element, 0));
        abi::OK
    })
}

/// Deletes a table context that was never added to a module.
///
/// # Safety
/// `cxt` must be NULL or an owned table context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_TableInstanceDelete(cxt: *mut WasmEdge_TableInstanceContext) {
    // SAFETY: forwarded to the caller.
    unsafe { ffi::delete(cxt) }
}

/// A function handle for a reference read out of a C store's table or global: kept by the
/// store's data so it lives as long as the store.
fn persistent_handle(
    f: Func,
    store: &mut dyn StoreOps,
    binding: &Binding,
) -> *const WasmEdge_FunctionInstanceContext {
    let ty = store.func_ty(f);
    let Some(cstore) = store.as_any_mut().downcast_mut::<CStore>() else {
        return ptr::null();
    };
    let handles = &mut cstore.data_mut().func_handles;
    if let Some((_, h)) = handles.iter().find(|(g, _)| *g == f) {
        return &**h;
    }
    let h = Box::new(WasmEdge_FunctionInstanceContext::bound(
        ty,
        binding.clone(),
        f,
    ));
    let p: *const WasmEdge_FunctionInstanceContext = &*h;
    handles.push((f, h));
    p
}

/// Converts results of a call for C, giving function references handles that live with the
/// store.
pub(crate) fn results_to_c(
    vals: &[Val],
    store: &mut dyn StoreOps,
    binding: &Binding,
) -> Vec<WasmEdge_Value> {
    vals.iter()
        .map(|v| to_c_value_with(v, store, &mut |f, s| persistent_handle(f, s, binding)))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Global instances

/// Creates a global of type `ty` holding `value`, not yet in any store.
///
/// # Safety
/// `ty` must be NULL or a live global type.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_GlobalInstanceCreate(
    ty: *const WasmEdge_GlobalTypeContext,
    value: WasmEdge_Value,
) -> *mut WasmEdge_GlobalInstanceContext {
    guard(ptr::null_mut(), || {
        // SAFETY: the caller passes NULL or a live type.
        let Some(ty) = (unsafe { ty.as_ref() }) else {
            return ptr::null_mut();
        };
        if valtype_from_c(value.Type) != Some(ty.ty.content) {
            return ptr::null_mut();
        }
        Box::into_raw(Box::new(WasmEdge_GlobalInstanceContext {
            ty: ty.clone(),
            free: Mutex::new(Some(value)),
            bound: BindCell::new(),
        }))
    })
}

/// The global's type (borrowed).
///
/// # Safety
/// `cxt` must be NULL or a live global context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_GlobalInstanceGetGlobalType(
    cxt: *const WasmEdge_GlobalInstanceContext,
) -> *const WasmEdge_GlobalTypeContext {
    // SAFETY: the caller passes NULL or a live context.
    unsafe { cxt.as_ref() }.map_or(ptr::null(), |g| &g.ty)
}

/// The global's value.
///
/// # Safety
/// `cxt` must be NULL or a live global context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_GlobalInstanceGetValue(
    cxt: *const WasmEdge_GlobalInstanceContext,
) -> WasmEdge_Value {
    let zero = num_value(0, ValType::I32);
    guard(zero, || {
        // SAFETY: the caller passes NULL or a live context.
        let Some(g) = (unsafe { cxt.as_ref() }) else {
            return zero;
        };
        if let Some(b) = g.bound.get() {
            return with_store(&b.binding, |s| {
                let v = s.global_get(b.handle);
                to_c_value_with(&v, s, &mut |f, s| persistent_handle(f, s, &b.binding))
            })
            .unwrap_or(zero);
        }
        lock(&g.free).unwrap_or(zero)
    })
}

/// Sets a mutable global (SetValueToConst for a constant one, SetValueErrorType for a value of
/// another type).
///
/// # Safety
/// `cxt` must be NULL or a live global context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_GlobalInstanceSetValue(
    cxt: *mut WasmEdge_GlobalInstanceContext,
    value: WasmEdge_Value,
) -> WasmEdge_Result {
    guard_result(|| {
        // SAFETY: the caller passes NULL or a live context.
        let Some(g) = (unsafe { cxt.as_ref() }) else {
            return abi::result(code::WRONG_VM_WORKFLOW);
        };
        if g.ty.ty.mutability == Mutability::Const {
            return abi::result(code::SET_VALUE_TO_CONST);
        }
        if valtype_from_c(value.Type) != Some(g.ty.ty.content) {
            return abi::result(code::SET_VALUE_ERROR_TYPE);
        }
        if let Some(b) = g.bound.get() {
            let r = with_store(&b.binding, |s| {
                let v = from_c_value(value.Value, g.ty.ty.content, s)?;
                s.global_set(b.handle, v)
                    .map_err(|_| code::SET_VALUE_ERROR_TYPE)
            });
            return match r {
                Some(Ok(())) => abi::OK,
                Some(Err(c)) => abi::result(c),
                None => abi::result(code::WRONG_VM_WORKFLOW),
            };
        }
        *lock(&g.free) = Some(value);
        abi::OK
    })
}

/// Deletes a global context that was never added to a module.
///
/// # Safety
/// `cxt` must be NULL or an owned global context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_GlobalInstanceDelete(cxt: *mut WasmEdge_GlobalInstanceContext) {
    // SAFETY: forwarded to the caller.
    unsafe { ffi::delete(cxt) }
}

// ---------------------------------------------------------------------------------------------
// Calling frame

/// An executor for calling back into the runtime from a host function.
///
/// # Safety
/// `cxt` must be NULL or the frame passed to the running host function.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_CallingFrameGetExecutor(
    cxt: *const WasmEdge_CallingFrameContext,
) -> *mut WasmEdge_ExecutorContext {
    if cxt.is_null() {
        return ptr::null_mut();
    }
    crate::execution::frame_executor()
}

/// The calling wasm module, or the host function's own module when the host called it.
///
/// # Safety
/// `cxt` must be NULL or the frame passed to the running host function.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_CallingFrameGetModuleInstance(
    cxt: *const WasmEdge_CallingFrameContext,
) -> *const WasmEdge_ModuleInstanceContext {
    guard(ptr::null(), || {
        // SAFETY: the caller passes NULL or the live frame.
        let Some(frame) = (unsafe { cxt.as_ref() }) else {
            return ptr::null();
        };
        let Some(caller) = frame.caller else {
            return frame.module;
        };
        if let Some(FrameHandle::Module(m)) = frame
            .handles
            .borrow()
            .iter()
            .find(|h| matches!(h, FrameHandle::Module(_)))
        {
            return &**m;
        }
        let binding = frame.binding();
        let m = with_store(&binding, |s| {
            let mut m = WasmEdge_ModuleInstanceContext::from_instance(
                String::new(),
                caller,
                s,
                binding.clone(),
            );
            m.transient = true;
            Box::new(m)
        });
        let Some(m) = m else {
            return ptr::null();
        };
        let p: *const WasmEdge_ModuleInstanceContext = &*m;
        frame.handles.borrow_mut().push(FrameHandle::Module(m));
        p
    })
}

/// Memory `index` of the calling wasm module (imports first), or NULL. Valid during the call.
///
/// # Safety
/// `cxt` must be NULL or the frame passed to the running host function.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_CallingFrameGetMemoryInstance(
    cxt: *const WasmEdge_CallingFrameContext,
    index: u32,
) -> *mut WasmEdge_MemoryInstanceContext {
    guard(ptr::null_mut(), || {
        // SAFETY: the caller passes NULL or the live frame.
        let Some(frame) = (unsafe { cxt.as_ref() }) else {
            return ptr::null_mut();
        };
        for h in frame.handles.borrow().iter() {
            if let FrameHandle::Memory(i, m) = h
                && *i == index
            {
                return (&**m as *const WasmEdge_MemoryInstanceContext).cast_mut();
            }
        }
        let binding = frame.binding();
        let m = match frame.caller {
            Some(caller) => with_store(&binding, |s| {
                let m = s.instance_memory(caller, index)?;
                Some(Box::new(WasmEdge_MemoryInstanceContext::bound(
                    s.memory_ty(m),
                    binding.clone(),
                    m,
                )))
            })
            .flatten(),
            None => None,
        };
        let Some(m) = m else {
            return ptr::null_mut();
        };
        let p = (&*m as *const WasmEdge_MemoryInstanceContext).cast_mut();
        frame
            .handles
            .borrow_mut()
            .push(FrameHandle::Memory(index, m));
        p
    })
}
