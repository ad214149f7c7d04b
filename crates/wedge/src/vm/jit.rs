//! The runtime side of the compiled tier (`wedge-cranelift`): compiling modules, entering
//! compiled code from the host or the interpreter, exit trampolines back into host functions
//! and interpreted code, and the libcalls compiled code makes.
//!
//! How control moves between the tiers:
//!
//! * **Into compiled code**: [`call_compiled`] sets the store's `VMRuntimeLimits` (the stack limit
//!   at the outermost entry, the store pointers the exits need) and calls the function's host
//!   entry trampoline with its arguments in 16-byte cells, through
//!   [`wedge_cranelift::call_trampoline`], which catches a trap in the code (a faulting
//!   instruction: see `wedge-cranelift`'s `traps.rs`) and returns it.
//! * **Out of compiled code**: every function that is not compiled (host functions, interpreted
//!   wasm) has, in its `VMFuncRef`, the engine's exit trampoline for its signature as `wasm_call`
//!   and the `VMFuncRef` itself as `vmctx`. The trampoline spills the arguments into cells and
//!   calls [`exit_dispatch`], which finds the store through the caller's VM context and runs
//!   the function (the host function, or the interpreter). An error is stored for the compiled
//!   caller to see: a trap as its code, anything else (a host error, a WASI exit) as
//!   [`PENDING_ERROR`] with the error kept in `pending`; the exit trampoline then traps, which
//!   unwinds the compiled frames up to the innermost `call_compiled`. Libcalls report errors
//!   the same way.
//!
//! Memories are reserved with guard regions, so the code is compiled with
//! `CompilerSettings::guard_regions` (unmetered code leaves out most bounds checks).

use super::{VMFuncRef, VMRuntimeLimits};
use crate::NativeCode;
use crate::store::{FuncKind, StoreInner};
use crate::{Error, Store, TrapCode, Val};
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use wedge_cranelift::{CompiledModule, CompilerSettings, CraneliftCompiler, Libcalls};
use wedge_environ::{Compiler, FuncType, ModuleError, ModuleInfo, UnvalidatedBodies};

/// `trap_code` when the error is not a trap: it is in `VMRuntimeLimits::pending`.
pub(crate) const PENDING_ERROR: u32 = u32::MAX;

/// Runs store function `func` (called by `instance`) with arguments and results in `args`.
pub(crate) type DispatchFn = unsafe fn(*mut (), u32, u32, *mut u128) -> Result<(), Error>;

/// The engine's compiled tier: the compiler and one exit trampoline per signature.
pub(crate) struct EngineJit {
    /// Traps with `HostFuncError` when called: the target of functions whose exit trampoline
    /// could not be made (no memory for code).
    unavailable: CompiledModule,
    /// The backend, behind the `Compiler` seam; loading and running its code is
    /// `wedge-cranelift`'s (`load`, `bind_library`, `call_trampoline`).
    compiler: Box<dyn Compiler>,
    exits: Mutex<HashMap<u32, CompiledModule>>,
}

impl std::fmt::Debug for EngineJit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EngineJit").finish_non_exhaustive()
    }
}

impl EngineJit {
    /// The compiled tier for this machine with `config`'s compiler settings, or None (with a
    /// message) where Cranelift cannot target it; modules are then interpreted.
    pub(crate) fn new(config: &crate::Config) -> Option<EngineJit> {
        let settings = compiler_settings(config);
        let made = CraneliftCompiler::with_settings(settings).and_then(|compiler| {
            let unavailable =
                wedge_cranelift::load(&compiler.compile_trap_function(TrapCode::HostFuncError)?)?;
            Ok((compiler, unavailable))
        });
        match made {
            Ok((compiler, unavailable)) => Some(EngineJit {
                unavailable,
                compiler: Box::new(compiler),
                exits: Mutex::default(),
            }),
            Err(e) => {
                eprintln!("[warning] the compiled tier is not available here ({e}); interpreting");
                None
            }
        }
    }

    /// Native code for a module (`wasm`, decoded as `info`), and where it came from: the
    /// module's native section (with [`Config::aot`](crate::Config::aot)), the code cache or
    /// the compiler (with [`Config::jit`](crate::Config::jit)). Without native code the module
    /// is interpreted, and the origin says why.
    ///
    /// Setting the environment variable `WEDGE_JIT_LOG` prints each module's outcome to stderr.
    ///
    /// The module's function `bodies` are validated unless the native code was compiled from
    /// this module after a validation with the same features (its fingerprint says which);
    /// their first error is the error returned.
    pub(crate) fn code_for(
        &self,
        config: &crate::Config,
        info: &ModuleInfo,
        wasm: &[u8],
        bodies: UnvalidatedBodies<'_>,
    ) -> Result<(Option<CompiledModule>, NativeCode), ModuleError> {
        let fingerprint = self.compiler.fingerprint();
        let mut why_not = None;
        let section = crate::aot::split_native_section(wasm);
        if config.is_aot() {
            match section {
                Some((module, payload)) => {
                    match crate::aot::read_image(payload, module, &fingerprint)
                        .and_then(|(image, text)| self.load_checked(&image, text, info))
                    {
                        Ok(code) => {
                            validate_unless_vouched(bodies, &code, config)?;
                            return Ok(self.logged(Some(code), NativeCode::Aot));
                        }
                        Err(e) => why_not = Some(e),
                    }
                }
                None => why_not = Some("the module has no native code".to_owned()),
            }
        }
        if !config.is_jit() {
            bodies.validate()?;
            return Ok(self.logged(None, NativeCode::Interpreted(why_not)));
        }
        // Compile the module itself, without a native section it may carry.
        let module = section.map_or(wasm, |(m, _)| m);
        let cache = config.code_cache.as_deref().map(crate::aot::CodeCache::new);
        if let Some(code) = cache.as_ref().and_then(|c| {
            c.get(module, &fingerprint, |image, text| {
                self.load_checked(image, text, info)
            })
        }) {
            validate_unless_vouched(bodies, &code, config)?;
            return Ok(self.logged(Some(code), NativeCode::Cached));
        }
        bodies.validate()?;
        let image = match self.compiler.compile_module(info, module, &|_, _| {}) {
            Ok(image) => image,
            Err(e) => {
                return Ok(self.logged(None, NativeCode::Interpreted(Some(e.to_string()))));
            }
        };
        if let Some(cache) = &cache {
            cache.put(module, &fingerprint, &image);
        }
        Ok(match wedge_cranelift::load(&image) {
            Ok(code) => self.logged(Some(code), NativeCode::Compiled),
            Err(e) => self.logged(None, NativeCode::Interpreted(Some(e.to_string()))),
        })
    }

    /// The native code of a shared library written by `wedge compile OUT.so` (its `parts`),
    /// checked like a native section; `owner()` keeps the library open.
    pub(crate) fn library_code(
        &self,
        info: &ModuleInfo,
        parts: &super::native_lib::LibraryParts<'_>,
        owner: impl FnOnce() -> Box<dyn Send + Sync>,
    ) -> (Option<CompiledModule>, NativeCode) {
        let checked = (|| {
            if parts.version != wedge_cranelift::CODE_FORMAT_VERSION {
                return Err(format!(
                    "native code format {} (this Wedge reads {})",
                    parts.version,
                    wedge_cranelift::CODE_FORMAT_VERSION
                ));
            }
            let (image, key) = wedge_cranelift::CodeImage::deserialize_library_meta(
                parts.meta,
                parts.text_len,
                &self.compiler.fingerprint(),
            )
            .map_err(|e| e.to_string())?;
            if key != crate::aot::sha256(parts.wasm) {
                return Err("the native code was compiled from a different module".into());
            }
            if image.functions() != info.bodies.len() {
                return Err("the native code does not match the module's functions".into());
            }
            Ok(image)
        })();
        match checked {
            // SAFETY: `parts.text` is the library's `wedge_text`, described by `image` (checked
            // above: format, fingerprint, module, every offset inside the text), and `owner`
            // keeps the library loaded as long as the compiled module lives.
            Ok(image) => self.logged(
                Some(unsafe {
                    wedge_cranelift::bind_library(&image, parts.text, parts.text_len, owner())
                }),
                NativeCode::Aot,
            ),
            Err(why) => self.logged(None, NativeCode::Interpreted(Some(why))),
        }
    }

    /// Compiles `module` (without a native section) into a relocatable image for a universal
    /// wasm, reporting `progress(done, total)` functions.
    pub(crate) fn compile_image(
        &self,
        info: &ModuleInfo,
        module: &[u8],
        progress: &(dyn Fn(u32, u32) + Sync),
    ) -> Result<wedge_cranelift::CodeImage, Error> {
        self.compiler
            .compile_module(info, module, progress)
            .map_err(|e| Error::new(crate::ErrorKind::Compile(e.to_string())))
    }

    /// Loads `image`, whose code is `text`, if it has code for every defined function of
    /// `info`.
    fn load_checked(
        &self,
        image: &wedge_cranelift::CodeImage,
        text: &[u8],
        info: &ModuleInfo,
    ) -> Result<CompiledModule, String> {
        if image.functions() != info.bodies.len() {
            return Err("the native code does not match the module's functions".into());
        }
        wedge_cranelift::load_text(image, text).map_err(|e| e.to_string())
    }

    fn logged(
        &self,
        code: Option<CompiledModule>,
        origin: NativeCode,
    ) -> (Option<CompiledModule>, NativeCode) {
        if std::env::var_os("WEDGE_JIT_LOG").is_some() {
            eprintln!("[jit] {origin}");
        }
        (code, origin)
    }

    /// The exit trampoline for functions of signature `type_id` (`ty`), made on first use.
    pub(crate) fn exit_trampoline(&self, type_id: u32, ty: &FuncType) -> *const u8 {
        let mut exits = self.exits.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(t) = exits.get(&type_id) {
            return t.function(0);
        }
        let target: wedge_cranelift::ExitTarget = exit_dispatch;
        let code = self
            .compiler
            .compile_exit_trampoline(ty, target as usize)
            .and_then(|image| wedge_cranelift::load(&image));
        match code {
            Ok(t) => {
                let code = t.function(0);
                exits.insert(type_id, t);
                code
            }
            // Every wasm signature has an exit trampoline, so only running out of memory for
            // code gets here: compiled code calling the function then traps.
            Err(_) => self.unavailable.function(0),
        }
    }
}

/// Validates a module's function `bodies` unless `code` was compiled from them after a
/// validation with `config`'s features (its fingerprint records them): native code is trusted
/// anyway, so it vouches for the bodies it was compiled from.
pub(crate) fn validate_unless_vouched(
    bodies: UnvalidatedBodies<'_>,
    code: &CompiledModule,
    config: &crate::Config,
) -> Result<(), ModuleError> {
    if code.validated_features() == Some(config.features.to_wasmparser().bits()) {
        Ok(())
    } else {
        bodies.validate()
    }
}

/// The compiler settings `config` asks for.
fn compiler_settings(config: &crate::Config) -> CompilerSettings {
    CompilerSettings {
        opt_level: match config.opt_level {
            crate::OptLevel::None => wedge_cranelift::OptLevel::None,
            crate::OptLevel::Speed => wedge_cranelift::OptLevel::Speed,
            crate::OptLevel::SpeedAndSize => wedge_cranelift::OptLevel::SpeedAndSize,
        },
        generic: config.generic_cpu,
        // Every `LinearMemory` is reserved with the guard (`vm/memory.rs`).
        guard_regions: true,
        interruptible: config.metering.interruptible,
        wasm_features: config.features.to_wasmparser().bits(),
        metering: wedge_cranelift::Metering {
            count: config.metering.count,
            cost: config.metering.cost,
            costs: if config.metering.cost {
                config.metering.costs.to_vec()
            } else {
                Vec::new()
            },
        },
    }
}

/// Points a function that is not compiled at the exit trampoline of its signature.
pub(crate) fn route_through_exit(inner: &mut StoreInner, func: u32) {
    let Some(jit) = inner.engine.jit() else {
        return;
    };
    let entity = &inner.funcs[func as usize];
    let code = jit.exit_trampoline(entity.func_ref.type_id, &entity.ty);
    let f = &mut inner.funcs[func as usize];
    let self_ptr: *mut VMFuncRef = &mut *f.func_ref;
    f.func_ref.wasm_call = code;
    f.func_ref.vmctx = self_ptr.cast();
}

/// Makes the compiled code of a defined function its `VMFuncRef`'s target.
pub(crate) fn route_to_code(inner: &mut StoreInner, func: u32, code: *const u8) {
    inner.funcs[func as usize].func_ref.wasm_call = code;
}

/// An address on the current native stack.
#[inline(never)]
fn stack_pointer() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

/// Room kept above the bottom of the thread's stack for the Rust code compiled code calls
/// (host functions, the interpreter, the exits).
const HOST_STACK_RESERVE: usize = 256 << 10;

thread_local! {
    /// The address range of this thread's stack, if the OS says.
    static THREAD_STACK: Option<(usize, usize)> = thread_stack();
}

/// The lowest and highest addresses of the current thread's stack (Linux:
/// `pthread_getattr_np`).
fn thread_stack() -> Option<(usize, usize)> {
    #[cfg(target_os = "linux")]
    {
        let mut attr = std::mem::MaybeUninit::<libc::pthread_attr_t>::uninit();
        // SAFETY: `pthread_getattr_np` initializes `attr` for the calling thread when it returns
        // 0; we read the stack range from it and destroy it.
        unsafe {
            if libc::pthread_getattr_np(libc::pthread_self(), attr.as_mut_ptr()) != 0 {
                return None;
            }
            let mut addr: *mut libc::c_void = std::ptr::null_mut();
            let mut size: libc::size_t = 0;
            let ok = libc::pthread_attr_getstack(attr.as_ptr(), &mut addr, &mut size) == 0;
            libc::pthread_attr_destroy(attr.as_mut_ptr());
            ok.then_some((addr as usize, addr as usize + size))
        }
    }
    #[cfg(not(target_os = "linux"))]
    None
}

/// The stack limit for compiled code entered at the current stack pointer: `max_stack` below
/// it, but never closer to the bottom of the thread's stack than the host reserve. On a stack
/// that is not the thread's own (a fiber's or a coroutine's, as WasmEdge's Rust SDK runs its
/// async calls on), whose size the OS does not tell, `max_stack` alone bounds it.
fn stack_limit(max_stack: usize) -> usize {
    let sp = stack_pointer();
    let wanted = sp.saturating_sub(max_stack);
    match THREAD_STACK.with(|s| *s) {
        Some((bottom, top)) if (bottom..top).contains(&sp) => {
            wanted.max(bottom.saturating_add(HOST_STACK_RESERVE))
        }
        _ => wanted,
    }
}

/// Calls compiled defined function `def` of `instance` (store function `func`) with arguments
/// and results in `cells`, as the host or the interpreter does.
///
/// # Safety
/// `cells` must hold max(params, results) cells; the instance's module must be compiled.
pub(crate) unsafe fn call_compiled<T>(
    store: &mut Store<T>,
    instance: u32,
    def: u32,
    cells: *mut u128,
) -> Result<(), Error> {
    let inst = &mut store.inner.instances[instance as usize];
    let module = inst.module.clone();
    let compiled = module
        .inner()
        .compiled
        .as_ref()
        .expect("call_compiled on an interpreted module");
    let vmctx = inst.vmctx.as_ptr().cast::<u8>();
    let trampoline = compiled.trampoline(def);
    let max_stack = store.inner.engine.config().max_native_stack;
    let inner = &mut store.inner;
    inner.meter.check_not_over()?;
    inner.meter.enter_compiled(&mut inner.limits);
    let store_ptr: *mut Store<T> = store;
    let inner_ptr: *mut StoreInner = &mut store.inner;
    let limits: *mut VMRuntimeLimits = &mut *store.inner.limits;
    // SAFETY: `limits` is the store's own box. From here until the call returns the store is
    // used only through `store_ptr` (by exits and libcalls running below us on this thread).
    unsafe {
        let saved = ((*limits).store, (*limits).inner, (*limits).dispatch);
        (*limits).store = store_ptr.cast();
        (*limits).inner = inner_ptr;
        (*limits).dispatch = Some(dispatch::<T>);
        if (*limits).depth == 0 {
            (*limits).stack_limit = stack_limit(max_stack);
        }
        (*limits).depth += 1;
        // The module (kept alive by `module`) stays loaded during the call.
        let r = wedge_cranelift::call_trampoline(trampoline, vmctx, vmctx, cells);
        (*inner_ptr).meter.take_from_compiled(&*limits);
        (*limits).depth -= 1;
        ((*limits).store, (*limits).inner, (*limits).dispatch) = saved;
        let code = std::mem::take(&mut (*limits).trap_code);
        match r {
            Ok(()) => Ok(()),
            Err(wedge_cranelift::Trap::Code(t)) => Err(Error::from(t)),
            Err(wedge_cranelift::Trap::Pending) => Err(match code {
                PENDING_ERROR => (*limits)
                    .pending
                    .take()
                    .unwrap_or_else(|| Error::host("compiled code failed")),
                n => Error::from(
                    n.checked_sub(1)
                        .and_then(TrapCode::from_index)
                        .unwrap_or(TrapCode::HostFuncError),
                ),
            }),
        }
    }
}

/// Records `e` for the compiled caller.
fn fail(limits: &mut VMRuntimeLimits, e: Error) {
    match e.trap_code() {
        Some(t) => limits.trap_code = t as u32 + 1,
        None => {
            limits.trap_code = PENDING_ERROR;
            limits.pending = Some(e);
        }
    }
}

/// The store's limits, reached from a VM context.
///
/// # Safety
/// `vmctx` must be a live VM context of a store that is running compiled code.
unsafe fn limits_of(vmctx: *mut u8) -> *mut VMRuntimeLimits {
    // SAFETY: the layout puts the limits pointer at `8 + pointer size` (VMOffsets::limits).
    unsafe { *(vmctx.add(8 + size_of::<usize>()) as *const *mut VMRuntimeLimits) }
}

/// The instance index a VM context belongs to (kept in its runtime slot).
///
/// # Safety
/// `vmctx` must be a live VM context.
unsafe fn instance_of(vmctx: *mut u8) -> u32 {
    // SAFETY: instantiation stores the instance index in the runtime slot at offset 8.
    unsafe { *(vmctx.add(8) as *const usize) as u32 }
}

/// What every exit trampoline calls: runs the function `callee` (a `VMFuncRef`) for the compiled
/// caller whose VM context is `caller_vmctx`.
unsafe extern "C" fn exit_dispatch(callee: *mut u8, caller_vmctx: *mut u8, args: *mut u128) {
    // SAFETY: exit trampolines are only reached from compiled code entered by `call_compiled`,
    // which set the limits' store pointers; `callee` is the VMFuncRef the trampoline serves.
    unsafe {
        let limits = limits_of(caller_vmctx);
        let func = (*callee.cast::<VMFuncRef>()).func_id;
        let instance = instance_of(caller_vmctx);
        let Some(dispatch) = (*limits).dispatch else {
            (*limits).trap_code = TrapCode::HostFuncError as u32 + 1;
            return;
        };
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            dispatch((*limits).store, func, instance, args)
        }));
        match r {
            Ok(Ok(())) => {}
            Ok(Err(e)) => fail(&mut *limits, e),
            Err(_) => fail(&mut *limits, Error::host("a host function panicked")),
        }
    }
}

/// Runs store function `func` of a `Store<T>`: a host function, or interpreted wasm.
///
/// # Safety
/// `store` must be the `Store<T>` that `call_compiled` registered; `args` must hold the cells.
unsafe fn dispatch<T>(
    store: *mut (),
    func: u32,
    instance: u32,
    args: *mut u128,
) -> Result<(), Error> {
    // SAFETY: see the function's contract; the frame that registered the pointer does not use
    // its own reference while compiled code runs.
    let store = unsafe { &mut *store.cast::<Store<T>>() };
    // Host functions and the interpreter charge the store's `Meter`; compiled code goes on
    // from what they leave, error or not.
    let inner = &mut store.inner;
    inner.meter.take_from_compiled(&inner.limits);
    // SAFETY: `args` holds the cells, as the caller guarantees.
    let r = unsafe { dispatch_to(store, func, instance, args) };
    let inner = &mut store.inner;
    let r = r.and_then(|()| Ok(inner.meter.check_not_over()?));
    inner.meter.enter_compiled(&mut inner.limits);
    r
}

/// [`dispatch`] once the counters are in the store's `Meter`.
///
/// # Safety
/// As for `dispatch`.
unsafe fn dispatch_to<T>(
    store: &mut Store<T>,
    func: u32,
    instance: u32,
    args: *mut u128,
) -> Result<(), Error> {
    match store.inner.funcs[func as usize].kind.clone() {
        // SAFETY: `args` holds the cells (the trampoline made room for params and results).
        FuncKind::Host(h) => unsafe {
            crate::interp::call_host_raw(store, h, func, Some(instance), args)
        },
        FuncKind::Wasm { .. } => {
            let ty = store.inner.funcs[func as usize].ty.clone();
            let params: Vec<Val> = ty
                .params()
                .iter()
                .enumerate()
                // SAFETY: as above.
                .map(|(k, t)| Val::from_raw(unsafe { *args.add(k) }, *t, &store.inner))
                .collect();
            let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
            crate::interp::invoke(store, func, &params, &mut results)?;
            for (k, v) in results.iter().enumerate() {
                // SAFETY: as above.
                unsafe { *args.add(k) = v.to_raw(&store.inner) };
            }
            Ok(())
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Libcalls

/// The store and instance of a libcall's VM context.
///
/// # Safety
/// As for `limits_of`.
unsafe fn store_of<'a>(vmctx: *mut u8) -> (&'a mut StoreInner, u32, *mut VMRuntimeLimits) {
    // SAFETY: `call_compiled` set `inner` for the duration of the compiled call.
    unsafe {
        let limits = limits_of(vmctx);
        (&mut *(*limits).inner, instance_of(vmctx), limits)
    }
}

/// Stores a libcall's trap for the compiled caller.
///
/// # Safety
/// `limits` must be live.
unsafe fn trap_on(limits: *mut VMRuntimeLimits, r: Result<(), TrapCode>) {
    if let Err(code) = r {
        // SAFETY: see the contract.
        unsafe { (*limits).trap_code = code as u32 + 1 };
    }
}

// The libcalls: the store's own bulk operators (`vm/bulk.rs`), which the interpreter uses too.

unsafe extern "C" fn memory_grow(vmctx: *mut u8, memory: u32, delta: u64) -> i64 {
    // SAFETY: compiled code passes its own VM context.
    let (inner, instance, _) = unsafe { store_of(vmctx) };
    inner
        .memory_grow(instance, memory, delta)
        .map_or(-1, |old| old as i64)
}

unsafe extern "C" fn memory_fill(vmctx: *mut u8, memory: u32, dst: u64, value: u32, len: u64) {
    // SAFETY: compiled code passes its own VM context; `limits` is live.
    unsafe {
        let (inner, instance, limits) = store_of(vmctx);
        trap_on(
            limits,
            inner.memory_fill(instance, memory, dst, value as u8, len),
        );
    }
}

unsafe extern "C" fn memory_copy(
    vmctx: *mut u8,
    dst_memory: u32,
    src_memory: u32,
    dst: u64,
    src: u64,
    len: u64,
) {
    // SAFETY: as in `memory_fill`.
    unsafe {
        let (inner, instance, limits) = store_of(vmctx);
        let r = inner.memory_copy(instance, dst_memory, src_memory, dst, src, len);
        trap_on(limits, r);
    }
}

unsafe extern "C" fn memory_init(
    vmctx: *mut u8,
    memory: u32,
    data: u32,
    dst: u64,
    src: u64,
    len: u64,
) {
    // SAFETY: as in `memory_fill`.
    unsafe {
        let (inner, instance, limits) = store_of(vmctx);
        trap_on(
            limits,
            inner.memory_init(instance, memory, data, dst, src, len),
        );
    }
}

unsafe extern "C" fn data_drop(vmctx: *mut u8, data: u32) {
    // SAFETY: compiled code passes its own VM context.
    let (inner, instance, _) = unsafe { store_of(vmctx) };
    inner.data_drop(instance, data);
}

unsafe extern "C" fn table_grow(vmctx: *mut u8, table: u32, init: u64, delta: u64) -> i64 {
    // SAFETY: compiled code passes its own VM context.
    let (inner, instance, _) = unsafe { store_of(vmctx) };
    inner
        .table_grow(instance, table, delta, init)
        .map_or(-1, |old| old as i64)
}

unsafe extern "C" fn table_fill(vmctx: *mut u8, table: u32, dst: u64, value: u64, len: u64) {
    // SAFETY: as in `memory_fill`.
    unsafe {
        let (inner, instance, limits) = store_of(vmctx);
        trap_on(limits, inner.table_fill(instance, table, dst, value, len));
    }
}

unsafe extern "C" fn table_copy(
    vmctx: *mut u8,
    dst_table: u32,
    src_table: u32,
    dst: u64,
    src: u64,
    len: u64,
) {
    // SAFETY: as in `memory_fill`.
    unsafe {
        let (inner, instance, limits) = store_of(vmctx);
        trap_on(
            limits,
            inner.table_copy(instance, dst_table, src_table, dst, src, len),
        );
    }
}

unsafe extern "C" fn table_init(
    vmctx: *mut u8,
    table: u32,
    elem: u32,
    dst: u64,
    src: u64,
    len: u64,
) {
    // SAFETY: as in `memory_fill`.
    unsafe {
        let (inner, instance, limits) = store_of(vmctx);
        trap_on(
            limits,
            inner.table_init(instance, table, elem, dst, src, len),
        );
    }
}

unsafe extern "C" fn elem_drop(vmctx: *mut u8, elem: u32) {
    // SAFETY: compiled code passes its own VM context.
    let (inner, instance, _) = unsafe { store_of(vmctx) };
    inner.elem_drop(instance, elem);
}

/// The libcall table every store's `VMRuntimeLimits` points to.
pub(crate) fn libcalls() -> *const () {
    (&LIBCALLS as *const Libcalls).cast()
}

static LIBCALLS: Libcalls = Libcalls {
    memory_grow,
    memory_fill,
    memory_copy,
    memory_init,
    data_drop,
    table_grow,
    table_fill,
    table_copy,
    table_init,
    elem_drop,
};
