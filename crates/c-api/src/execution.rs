//! Loader, validator, executor, store and asynchronous calls (`wasmedge_execution.h`).

use crate::abi::{self, WasmEdge_Bytes, WasmEdge_Result, WasmEdge_String, WasmEdge_Value, code};
use crate::ast::WasmEdge_ASTModuleContext;
use crate::configure::{ConfData, WasmEdge_ConfigureContext, WasmEdge_StatisticsContext, conf_of};
use crate::ffi::{self, error_result, guard, guard_result};
use crate::instance::{
    WasmEdge_FunctionInstanceContext, WasmEdge_ModuleInstanceContext, args_from_c, results_to_c,
};
use crate::store::{Binding, CStore, ModulePtr, StoreOps, StoreShared, is_active, with_store};
use core::ffi::{c_char, c_void};
use std::ptr;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Condvar, LazyLock, Mutex};
use std::time::Duration;
use wedge::{Error, Module, Val};

// ---------------------------------------------------------------------------------------------
// Loader

/// `WasmEdge_LoaderContext`.
pub struct WasmEdge_LoaderContext {
    pub(crate) conf: ConfData,
}

/// Creates a loader with `conf` (NULL: defaults).
///
/// # Safety
/// `conf` must be NULL or a live configure context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_LoaderCreate(
    conf: *const WasmEdge_ConfigureContext,
) -> *mut WasmEdge_LoaderContext {
    guard(ptr::null_mut(), || {
        // SAFETY: forwarded to the caller.
        let conf = unsafe { conf_of(conf) };
        Box::into_raw(Box::new(WasmEdge_LoaderContext { conf }))
    })
}

/// Decodes `bytes` with `conf`'s proposals. A validation error is kept for the validator.
pub(crate) fn load_bytes(
    conf: &ConfData,
    bytes: Arc<[u8]>,
) -> Result<WasmEdge_ASTModuleContext, WasmEdge_Result> {
    let engine = conf.engine(None);
    match Module::new(&engine, &bytes) {
        Ok(m) => Ok(WasmEdge_ASTModuleContext::new(Ok(m), bytes)),
        Err(e) if (e.wasmedge_code() >> 8) & 0xF == 2 => {
            Ok(WasmEdge_ASTModuleContext::new(Err(e), bytes))
        }
        Err(e) => Err(error_result(&e)),
    }
}

/// Reads and decodes a file.
pub(crate) fn load_file(
    conf: &ConfData,
    path: &std::path::Path,
) -> Result<WasmEdge_ASTModuleContext, WasmEdge_Result> {
    let bytes = std::fs::read(path).map_err(|e| {
        abi::result(if e.kind() == std::io::ErrorKind::NotFound {
            code::ILLEGAL_PATH
        } else {
            code::READ_ERROR
        })
    })?;
    // A shared library from `WasmEdge_CompilerCompile` (output format Native).
    if bytes.starts_with(b"\x7fELF") {
        let module = Module::from_shared_library(&conf.engine(None), path).map_err(|e| {
            crate::ffi::log_error(&e.to_string());
            // A library that cannot be read or opened is an illegal path, as in WasmEdge
            // (its module's own errors keep their codes).
            if matches!(e.kind(), wedge::ErrorKind::Resource(_)) {
                abi::result(code::ILLEGAL_PATH)
            } else {
                error_result(&e)
            }
        })?;
        let wasm: Arc<[u8]> = module.bytes().into();
        return Ok(WasmEdge_ASTModuleContext::new(Ok(module), wasm));
    }
    load_bytes(conf, bytes.into())
}

impl WasmEdge_ASTModuleContext {
    /// A copy sharing the decoded module (for the VM, which owns what it loads).
    pub(crate) fn duplicate(&self) -> Self {
        let module = match (&self.module, &self.invalid) {
            (Some(m), _) => Ok(m.clone()),
            // Same error code, for the validator to report.
            (None, Some(e)) => Err(Error::from_host(ffi::CResultError(error_result(e)))),
            (None, None) => Err(wedge::Error::host("module was not loaded")),
        };
        WasmEdge_ASTModuleContext::new(module, self.bytes.clone())
    }
}

fn put_ast(
    out: *mut *mut WasmEdge_ASTModuleContext,
    r: Result<WasmEdge_ASTModuleContext, WasmEdge_Result>,
) -> WasmEdge_Result {
    match r {
        Ok(ast) => {
            // SAFETY: the caller checked `out` is non-NULL and writable.
            unsafe { *out = Box::into_raw(Box::new(ast)) };
            abi::OK
        }
        Err(e) => e,
    }
}

/// Loads a module from a file into `*module`.
///
/// # Safety
/// `cxt` NULL or a live loader; `module` NULL or writable; `path` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_LoaderParseFromFile(
    cxt: *mut WasmEdge_LoaderContext,
    module: *mut *mut WasmEdge_ASTModuleContext,
    path: *const c_char,
) -> WasmEdge_Result {
    guard_result(|| {
        // SAFETY: the caller passes NULL or a live loader.
        let Some(l) = (unsafe { cxt.as_ref() }) else {
            return abi::result(code::WRONG_VM_WORKFLOW);
        };
        if module.is_null() {
            return abi::result(code::WRONG_VM_WORKFLOW);
        }
        // SAFETY: the caller passes NULL or a C string.
        let Some(path) = (unsafe { ffi::cstr_lossy(path) }) else {
            return abi::result(code::ILLEGAL_PATH);
        };
        put_ast(module, load_file(&l.conf, path.as_ref()))
    })
}

/// Loads a module from bytes into `*module`.
///
/// # Safety
/// `cxt` NULL or a live loader; `module` NULL or writable; `bytes` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_LoaderParseFromBytes(
    cxt: *mut WasmEdge_LoaderContext,
    module: *mut *mut WasmEdge_ASTModuleContext,
    bytes: WasmEdge_Bytes,
) -> WasmEdge_Result {
    guard_result(|| {
        // SAFETY: the caller passes NULL or a live loader.
        let Some(l) = (unsafe { cxt.as_ref() }) else {
            return abi::result(code::WRONG_VM_WORKFLOW);
        };
        if module.is_null() {
            return abi::result(code::WRONG_VM_WORKFLOW);
        }
        // SAFETY: the caller passes valid bytes.
        let data = unsafe { bytes_slice(bytes) };
        put_ast(module, load_bytes(&l.conf, data.into()))
    })
}

/// The bytes of a `WasmEdge_Bytes`.
///
/// # Safety
/// `b.Buf` must be NULL or point to `b.Length` readable bytes.
pub(crate) unsafe fn bytes_slice<'a>(b: WasmEdge_Bytes) -> &'a [u8] {
    if b.Buf.is_null() || b.Length == 0 {
        return &[];
    }
    // SAFETY: the caller guarantees `Length` readable bytes.
    unsafe { std::slice::from_raw_parts(b.Buf, b.Length as usize) }
}

/// Writes the module's binary to `*buf` (owned; free with `WasmEdge_BytesDelete`).
///
/// # Safety
/// `cxt` and `ast` NULL or live; `buf` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_LoaderSerializeASTModule(
    cxt: *mut WasmEdge_LoaderContext,
    ast: *const WasmEdge_ASTModuleContext,
    buf: *mut WasmEdge_Bytes,
) -> WasmEdge_Result {
    guard_result(|| {
        // SAFETY: the caller passes NULL or live contexts.
        let (Some(_), Some(a)) = (unsafe { cxt.as_ref() }, unsafe { ast.as_ref() }) else {
            return abi::result(code::WRONG_VM_WORKFLOW);
        };
        if buf.is_null() {
            return abi::result(code::WRONG_VM_WORKFLOW);
        }
        // SAFETY: the bytes are valid for their length; `buf` is writable.
        unsafe {
            *buf = crate::basic::WasmEdge_BytesCreate(a.bytes.as_ptr(), a.bytes.len() as u32)
        };
        abi::OK
    })
}

/// Deletes a loader.
///
/// # Safety
/// `cxt` must be NULL or an owned loader.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_LoaderDelete(cxt: *mut WasmEdge_LoaderContext) {
    // SAFETY: forwarded to the caller.
    unsafe { ffi::delete(cxt) }
}

// ---------------------------------------------------------------------------------------------
// Validator

/// `WasmEdge_ValidatorContext`.
pub struct WasmEdge_ValidatorContext {
    /// Kept for compatibility: validation uses the proposals the module was loaded with.
    #[allow(dead_code, reason = "the loader's configuration decides validation")]
    pub(crate) conf: ConfData,
}

/// Creates a validator.
///
/// # Safety
/// `conf` must be NULL or a live configure context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValidatorCreate(
    conf: *const WasmEdge_ConfigureContext,
) -> *mut WasmEdge_ValidatorContext {
    guard(ptr::null_mut(), || {
        // SAFETY: forwarded to the caller.
        let conf = unsafe { conf_of(conf) };
        Box::into_raw(Box::new(WasmEdge_ValidatorContext { conf }))
    })
}

/// Validates a loaded module (against the proposals it was loaded with).
pub(crate) fn validate(ast: &WasmEdge_ASTModuleContext) -> WasmEdge_Result {
    match &ast.invalid {
        Some(e) => error_result(e),
        None => {
            ast.validated.store(true, Ordering::Release);
            abi::OK
        }
    }
}

/// Validates a loaded module.
///
/// # Safety
/// `cxt` NULL or a live validator; `ast` NULL or a live AST module.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValidatorValidate(
    cxt: *mut WasmEdge_ValidatorContext,
    ast: *const WasmEdge_ASTModuleContext,
) -> WasmEdge_Result {
    guard_result(|| {
        // SAFETY: the caller passes NULL or live contexts.
        match (unsafe { cxt.as_ref() }, unsafe { ast.as_ref() }) {
            (Some(_), Some(ast)) => validate(ast),
            _ => abi::result(code::WRONG_VM_WORKFLOW),
        }
    })
}

/// Deletes a validator.
///
/// # Safety
/// `cxt` must be NULL or an owned validator.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValidatorDelete(cxt: *mut WasmEdge_ValidatorContext) {
    // SAFETY: forwarded to the caller.
    unsafe { ffi::delete(cxt) }
}

// ---------------------------------------------------------------------------------------------
// Store

/// `WasmEdge_StoreContext`: names registered modules; owns the Wedge store they run in.
pub struct WasmEdge_StoreContext {
    pub(crate) shared: Arc<StoreShared>,
}

/// Creates a store.
#[unsafe(no_mangle)]
pub extern "C" fn WasmEdge_StoreCreate() -> *mut WasmEdge_StoreContext {
    guard(ptr::null_mut(), || {
        Box::into_raw(Box::new(WasmEdge_StoreContext {
            shared: StoreShared::new(),
        }))
    })
}

/// The module registered as `name` (borrowed), or NULL.
///
/// # Safety
/// `cxt` NULL or a live store; `name` a valid string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_StoreFindModule(
    cxt: *const WasmEdge_StoreContext,
    name: WasmEdge_String,
) -> *const WasmEdge_ModuleInstanceContext {
    guard(ptr::null(), || {
        // SAFETY: the caller passes NULL or a live store and a valid string.
        let (Some(s), name) = (unsafe { cxt.as_ref() }, unsafe { ffi::string_lossy(name) }) else {
            return ptr::null();
        };
        s.shared.find(&name).map_or(ptr::null(), |m| m.0)
    })
}

/// How many modules are registered.
///
/// # Safety
/// `cxt` must be NULL or a live store.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_StoreListModuleLength(cxt: *const WasmEdge_StoreContext) -> u32 {
    guard(0, || {
        // SAFETY: the caller passes NULL or a live store.
        unsafe { cxt.as_ref() }.map_or(0, |s| s.shared.registry().len() as u32)
    })
}

/// Writes up to `len` registered names (borrowed, sorted); returns the total.
///
/// # Safety
/// `cxt` NULL or a live store; `names` NULL or room for `len`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_StoreListModule(
    cxt: *const WasmEdge_StoreContext,
    names: *mut WasmEdge_String,
    len: u32,
) -> u32 {
    guard(0, || {
        // SAFETY: the caller passes NULL or a live store.
        let Some(s) = (unsafe { cxt.as_ref() }) else {
            return 0;
        };
        list_registered(&s.shared, names, len)
    })
}

pub(crate) fn list_registered(shared: &StoreShared, names: *mut WasmEdge_String, len: u32) -> u32 {
    let registry = shared.registry();
    let mut sorted: Vec<&(ffi::Name, ModulePtr)> = registry.iter().collect();
    sorted.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
    if !names.is_null() {
        for (i, (name, _)) in sorted.iter().take(len as usize).enumerate() {
            // The name it was registered as (an alias, for `RegisterImportWithAlias`), lent
            // for as long as it stays registered.
            // SAFETY: `names` has room for `len` entries.
            unsafe { *names.add(i) = ffi::borrow_string(name) };
        }
    }
    sorted.len() as u32
}

/// Deletes a store; registered modules are not deleted.
///
/// # Safety
/// `cxt` must be NULL or an owned store.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_StoreDelete(cxt: *mut WasmEdge_StoreContext) {
    // SAFETY: forwarded to the caller.
    unsafe { ffi::delete(cxt) }
}

// ---------------------------------------------------------------------------------------------
// Executor

/// `WasmEdge_ExecutorContext`.
pub struct WasmEdge_ExecutorContext {
    pub(crate) conf: ConfData,
    /// Borrowed; NULL for none.
    pub(crate) stat: *mut WasmEdge_StatisticsContext,
    /// The pre- and post-host-function hooks.
    hooks: Mutex<HostHooks>,
}

/// A C function registered with `WasmEdge_ExecutorExperimentalRegister{Pre,Post}HostFunction`,
/// and its data.
#[derive(Clone, Copy)]
struct CHook {
    func: unsafe extern "C" fn(*mut c_void),
    data: *mut c_void,
}

// SAFETY: the runtime only passes `data` back to `func`; what they do across threads is the C
// host's contract, as in WasmEdge, whose executors call them from any thread.
unsafe impl Send for CHook {}
// SAFETY: as for `Send`.
unsafe impl Sync for CHook {}

impl CHook {
    fn call(hook: Option<CHook>) {
        if let Some(h) = hook {
            // SAFETY: the C host registered this function with this data to be called around
            // host functions.
            unsafe { (h.func)(h.data) }
        }
    }
}

/// An executor's hooks, and what the stores running its calls are given.
#[derive(Default)]
struct HostHooks {
    pre: Option<CHook>,
    post: Option<CHook>,
    /// Both as the store calls them; None when neither is set.
    store_hooks: Option<Arc<wedge::HostCallHooks>>,
}

impl HostHooks {
    fn set(&mut self, pre: Option<CHook>, post: Option<CHook>) {
        (self.pre, self.post) = (pre, post);
        self.store_hooks = (pre.is_some() || post.is_some()).then(|| {
            Arc::new(wedge::HostCallHooks {
                before: Box::new(move || CHook::call(pre)),
                after: Box::new(move || CHook::call(post)),
            })
        });
    }
}

// SAFETY: the statistics pointer is only read through its lock; the C caller keeps it alive
// while the executor is used (WasmEdge's contract).
unsafe impl Send for WasmEdge_ExecutorContext {}
// SAFETY: as for `Send`.
unsafe impl Sync for WasmEdge_ExecutorContext {}

impl WasmEdge_ExecutorContext {
    pub(crate) fn new(conf: ConfData, stat: *mut WasmEdge_StatisticsContext) -> Self {
        WasmEdge_ExecutorContext {
            conf,
            stat,
            hooks: Mutex::default(),
        }
    }

    fn hooks(&self) -> std::sync::MutexGuard<'_, HostHooks> {
        self.hooks.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn stat(&self) -> Option<&WasmEdge_StatisticsContext> {
        // SAFETY: the C caller keeps the statistics context alive while the executor lives.
        unsafe { self.stat.as_ref() }
    }

    /// The engine this executor runs modules with.
    pub(crate) fn engine(&self) -> wedge::Engine {
        let table = self.stat().and_then(|s| s.get().cost_table.clone());
        self.conf.engine(table.as_deref())
    }

    /// Instantiates `ast` in `store`, resolving imports from its registered modules.
    pub(crate) fn instantiate(
        &self,
        store: &Arc<StoreShared>,
        ast: &WasmEdge_ASTModuleContext,
        name: Option<&str>,
    ) -> Result<Box<WasmEdge_ModuleInstanceContext>, WasmEdge_Result> {
        if let Some(e) = &ast.invalid {
            return Err(error_result(e));
        }
        if !ast.validated.load(Ordering::Acquire) {
            return Err(abi::result(code::NOT_VALIDATED));
        }
        if let Some(n) = name
            && store.find(n).is_some()
        {
            return Err(abi::result(code::MODULE_NAME_CONFLICT));
        }
        let engine = self.engine();
        let module = match &ast.module {
            Some(m) if wedge::Engine::same(m.engine(), &engine) => m.clone(),
            _ => Module::new(&engine, &ast.bytes).map_err(|e| error_result(&e))?,
        };
        let registered = |n: &str| store.find(n);
        let out = store
            .with_materialized(&engine, |s| {
                let binding = Binding {
                    store_id: s.id(),
                    home: Some(Arc::downgrade(store)),
                };
                let mut imports = Vec::new();
                for imp in module.imports() {
                    let module_ctx = registered(imp.module);
                    let found = module_ctx.and_then(|m| {
                        // SAFETY: registered modules are alive (see `ModulePtr`).
                        let m = unsafe { &*m.0 };
                        m.bind(s, &binding).ok()?;
                        m.extern_named(imp.name)
                    });
                    match found {
                        Some(e) => imports.push(e),
                        None => {
                            ffi::log_error(&match module_ctx {
                                None => format!(
                                    "unknown import `{}`.`{}`: no module `{}` is registered",
                                    imp.module, imp.name, imp.module
                                ),
                                Some(_) => format!(
                                    "unknown import `{}`.`{}`: the module has no such export",
                                    imp.module, imp.name
                                ),
                            });
                            return Err(Error::from_host(ffi::CResultError(abi::result(
                                code::UNKNOWN_IMPORT,
                            ))));
                        }
                    }
                }
                let instance = self.track(s, |s| s.instantiate(&module, &imports))?;
                Ok(Box::new(WasmEdge_ModuleInstanceContext::from_instance(
                    name.unwrap_or_default().to_string(),
                    instance,
                    s,
                    binding,
                )))
            })
            .map_err(|e| error_result(&e))?;
        if let Some(n) = name {
            let mut registry = store.registry();
            if registry.iter().any(|(m, _)| m.as_str() == n) {
                return Err(abi::result(code::MODULE_NAME_CONFLICT));
            }
            registry.push((n.into(), ModulePtr(&*out)));
            drop(registry);
            out.note_registered(store);
        }
        Ok(out)
    }

    /// Runs `f` on a store, accounting count, cost and time to this executor's statistics and
    /// enforcing its cost limit (for outermost calls), and recording a WASI exit status.
    pub(crate) fn track<R>(
        &self,
        s: &mut dyn StoreOps,
        f: impl FnOnce(&mut dyn StoreOps) -> Result<R, Error>,
    ) -> Result<R, Error> {
        let outermost = !is_active(s.id());
        if outermost {
            s.set_host_call_hooks(self.hooks().store_hooks.clone());
        }
        let stat = self.stat().filter(|_| outermost);
        if let Some(st) = stat {
            let d = st.get();
            let left = d.cost_limit.saturating_sub(d.total_cost);
            drop(d);
            s.reset_statistics();
            s.set_cost_limit(left);
        }
        let r = f(s);
        if let Some(st) = stat {
            let now = s.statistics();
            let mut d = st.get();
            d.instr_count += now.instr_count;
            d.total_cost += now.total_cost;
            d.wasm_time += now.wasm_time;
        }
        if let Err(e) = &r
            && let Some(exit) = e.downcast_host::<wedge_wasi::Exit>()
            && let Some(c) = s.as_any_mut().downcast_mut::<CStore>()
            && let Some(code) = &c.data().wasi_exit
        {
            code.store(exit.0, Ordering::Release);
        }
        r
    }

    /// Calls a function handle with C arguments; returns C results.
    pub(crate) fn invoke(
        &self,
        func: &WasmEdge_FunctionInstanceContext,
        params: &[WasmEdge_Value],
    ) -> Result<Vec<WasmEdge_Value>, WasmEdge_Result> {
        let Some((binding, f)) = func.binding() else {
            let hooks = self.hooks().store_hooks.clone();
            let around = (
                || hooks.iter().for_each(|h| (h.before)()),
                || hooks.iter().for_each(|h| (h.after)()),
            );
            return func
                .call_unbound(params, around)
                .unwrap_or(Err(abi::result(code::WRONG_VM_WORKFLOW)));
        };
        let ty = func.ty();
        let r = with_store(&binding, |s| {
            let args = args_from_c(ty, params, s).map_err(abi::result)?;
            let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
            self.track(s, |s| s.call(f, &args, &mut results))
                .map_err(|e| error_result(&e))?;
            Ok(results_to_c(&results, s, &binding))
        });
        r.unwrap_or(Err(abi::result(code::WRONG_VM_WORKFLOW)))
    }
}

/// The executor `CallingFrameGetExecutor` lends: calls made through it run in the caller's
/// store, without statistics of their own.
pub(crate) fn frame_executor() -> *mut WasmEdge_ExecutorContext {
    static FRAME: LazyLock<WasmEdge_ExecutorContext> =
        LazyLock::new(|| WasmEdge_ExecutorContext::new(ConfData::default(), ptr::null_mut()));
    (&*FRAME as *const WasmEdge_ExecutorContext).cast_mut()
}

/// Creates an executor. Its statistics' cost limit resets to unlimited (as in WasmEdge: set
/// the limit after this).
///
/// # Safety
/// `conf` NULL or a live configure context; `stat` NULL or a live statistics context that
/// outlives the executor.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ExecutorCreate(
    conf: *const WasmEdge_ConfigureContext,
    stat: *mut WasmEdge_StatisticsContext,
) -> *mut WasmEdge_ExecutorContext {
    guard(ptr::null_mut(), || {
        // SAFETY: forwarded to the caller.
        let conf = unsafe { conf_of(conf) };
        // SAFETY: the caller passes NULL or a live statistics context.
        if let Some(s) = unsafe { stat.as_ref() } {
            s.get().cost_limit = u64::MAX;
        }
        Box::into_raw(Box::new(WasmEdge_ExecutorContext::new(conf, stat)))
    })
}

fn put_module(
    out: *mut *mut WasmEdge_ModuleInstanceContext,
    r: Result<Box<WasmEdge_ModuleInstanceContext>, WasmEdge_Result>,
) -> WasmEdge_Result {
    match r {
        Ok(m) => {
            // SAFETY: the caller checked `out` is non-NULL and writable.
            unsafe { *out = Box::into_raw(m) };
            abi::OK
        }
        Err(e) => e,
    }
}

/// Instantiates `ast` in `store` as an anonymous module, written to `*module` (owned).
///
/// # Safety
/// All pointers NULL or live; `module` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ExecutorInstantiate(
    cxt: *mut WasmEdge_ExecutorContext,
    module: *mut *mut WasmEdge_ModuleInstanceContext,
    store: *mut WasmEdge_StoreContext,
    ast: *const WasmEdge_ASTModuleContext,
) -> WasmEdge_Result {
    guard_result(|| {
        // SAFETY: the caller passes NULL or live contexts.
        let (Some(e), Some(s), Some(a)) =
            (unsafe { cxt.as_ref() }, unsafe { store.as_ref() }, unsafe {
                ast.as_ref()
            })
        else {
            return abi::result(code::WRONG_VM_WORKFLOW);
        };
        if module.is_null() {
            return abi::result(code::WRONG_VM_WORKFLOW);
        }
        put_module(module, e.instantiate(&s.shared, a, None))
    })
}

/// Instantiates `ast` in `store` and registers it as `name`; the module is written to
/// `*module` (owned).
///
/// # Safety
/// All pointers NULL or live; `module` writable; `name` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ExecutorRegister(
    cxt: *mut WasmEdge_ExecutorContext,
    module: *mut *mut WasmEdge_ModuleInstanceContext,
    store: *mut WasmEdge_StoreContext,
    ast: *const WasmEdge_ASTModuleContext,
    name: WasmEdge_String,
) -> WasmEdge_Result {
    guard_result(|| {
        // SAFETY: the caller passes NULL or live contexts.
        let (Some(e), Some(s), Some(a)) =
            (unsafe { cxt.as_ref() }, unsafe { store.as_ref() }, unsafe {
                ast.as_ref()
            })
        else {
            return abi::result(code::WRONG_VM_WORKFLOW);
        };
        if module.is_null() {
            return abi::result(code::WRONG_VM_WORKFLOW);
        }
        // SAFETY: the caller passes a valid string.
        let name = unsafe { ffi::string_lossy(name) };
        put_module(module, e.instantiate(&s.shared, a, Some(&name)))
    })
}

/// Registers a host (or WASI) module in a store under its own name.
pub(crate) fn register_import(
    store: &Arc<StoreShared>,
    module: &WasmEdge_ModuleInstanceContext,
    alias: Option<&str>,
) -> WasmEdge_Result {
    let name = alias.unwrap_or(&module.name).to_string();
    if store.find(&name).is_some() {
        return abi::result(code::MODULE_NAME_CONFLICT);
    }
    // A store that already runs code binds the module now; otherwise at its first instantiation.
    // (No registry lock is held here: binding may wait for a call running on another thread.)
    if let Some(binding) = store.binding() {
        let r = with_store(&binding, |s| module.bind(s, &binding));
        match r {
            Some(Ok(())) => {}
            Some(Err(e)) => return error_result(&e),
            None => return abi::result(code::WRONG_VM_WORKFLOW),
        }
    }
    let mut registry = store.registry();
    if registry.iter().any(|(n, _)| n.as_str() == name) {
        return abi::result(code::MODULE_NAME_CONFLICT);
    }
    registry.push((name.into(), ModulePtr(module)));
    drop(registry);
    module.note_registered(store);
    abi::OK
}

/// Registers a host module (made with `ModuleInstanceCreate*` or by a plug-in) in `store`.
///
/// # Safety
/// All pointers NULL or live; the module must outlive its registration or be deleted (which
/// unregisters it).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ExecutorRegisterImport(
    cxt: *mut WasmEdge_ExecutorContext,
    store: *mut WasmEdge_StoreContext,
    module: *const WasmEdge_ModuleInstanceContext,
) -> WasmEdge_Result {
    guard_result(|| {
        // SAFETY: the caller passes NULL or live contexts.
        let (Some(_), Some(s), Some(m)) =
            (unsafe { cxt.as_ref() }, unsafe { store.as_ref() }, unsafe {
                module.as_ref()
            })
        else {
            return abi::result(code::WRONG_VM_WORKFLOW);
        };
        register_import(&s.shared, m, None)
    })
}

/// Registers a host module in `store` under `alias` instead of its own name.
///
/// # Safety
/// As for `WasmEdge_ExecutorRegisterImport`; `alias` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ExecutorRegisterImportWithAlias(
    cxt: *mut WasmEdge_ExecutorContext,
    store: *mut WasmEdge_StoreContext,
    module: *const WasmEdge_ModuleInstanceContext,
    alias: WasmEdge_String,
) -> WasmEdge_Result {
    guard_result(|| {
        // SAFETY: the caller passes NULL or live contexts.
        let (Some(_), Some(s), Some(m)) =
            (unsafe { cxt.as_ref() }, unsafe { store.as_ref() }, unsafe {
                module.as_ref()
            })
        else {
            return abi::result(code::WRONG_VM_WORKFLOW);
        };
        // SAFETY: the caller passes a valid string.
        let alias = unsafe { ffi::string_lossy(alias) };
        register_import(&s.shared, m, Some(&alias))
    })
}

/// Calls `func` with `params`; writes at most `returns_len` results.
///
/// # Safety
/// All pointers NULL or live; `params` holds `params_len` values, `returns` room for
/// `returns_len`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ExecutorInvoke(
    cxt: *mut WasmEdge_ExecutorContext,
    func: *const WasmEdge_FunctionInstanceContext,
    params: *const WasmEdge_Value,
    params_len: u32,
    returns: *mut WasmEdge_Value,
    returns_len: u32,
) -> WasmEdge_Result {
    guard_result(|| {
        // SAFETY: the caller passes NULL or live contexts.
        let (Some(e), Some(f)) = (unsafe { cxt.as_ref() }, unsafe { func.as_ref() }) else {
            return abi::result(code::WRONG_VM_WORKFLOW);
        };
        // SAFETY: `params` holds `params_len` values.
        let params = unsafe { values(params, params_len) };
        match e.invoke(f, params) {
            // SAFETY: `returns` has room for `returns_len` values.
            Ok(r) => unsafe { write_values(&r, returns, returns_len) },
            Err(e) => e,
        }
    })
}

/// `len` C values at `p` (empty for NULL).
///
/// # Safety
/// `p` must be NULL or point to `len` values.
pub(crate) unsafe fn values<'a>(p: *const WasmEdge_Value, len: u32) -> &'a [WasmEdge_Value] {
    if p.is_null() || len == 0 {
        return &[];
    }
    // SAFETY: the caller guarantees `len` readable values.
    unsafe { std::slice::from_raw_parts(p, len as usize) }
}

/// Writes at most `len` of `vals` to `out`; success.
///
/// # Safety
/// `out` must be NULL or have room for `len` values.
pub(crate) unsafe fn write_values(
    vals: &[WasmEdge_Value],
    out: *mut WasmEdge_Value,
    len: u32,
) -> WasmEdge_Result {
    if !out.is_null() {
        for (i, v) in vals.iter().take(len as usize).enumerate() {
            // SAFETY: `out` has room for `len` values.
            unsafe { *out.add(i) = *v };
        }
    }
    abi::OK
}

/// Sets the function called before every host function this executor's calls run (NULL:
/// none), replacing the previous one. Experimental in WasmEdge; its Rust SDK blocks its
/// timeout signal with it.
///
/// # Safety
/// `cxt` NULL or a live executor; `func` called with `data` from the threads running calls.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ExecutorExperimentalRegisterPreHostFunction(
    cxt: *mut WasmEdge_ExecutorContext,
    data: *mut c_void,
    func: Option<unsafe extern "C" fn(*mut c_void)>,
) {
    guard((), || {
        // SAFETY: the caller passes NULL or a live executor.
        if let Some(e) = unsafe { cxt.as_ref() } {
            let mut hooks = e.hooks();
            let post = hooks.post;
            hooks.set(func.map(|func| CHook { func, data }), post);
        }
    })
}

/// Sets the function called after every host function this executor's calls run (NULL: none),
/// replacing the previous one.
///
/// # Safety
/// As for `WasmEdge_ExecutorExperimentalRegisterPreHostFunction`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ExecutorExperimentalRegisterPostHostFunction(
    cxt: *mut WasmEdge_ExecutorContext,
    data: *mut c_void,
    func: Option<unsafe extern "C" fn(*mut c_void)>,
) {
    guard((), || {
        // SAFETY: the caller passes NULL or a live executor.
        if let Some(e) = unsafe { cxt.as_ref() } {
            let mut hooks = e.hooks();
            let pre = hooks.pre;
            hooks.set(pre, func.map(|func| CHook { func, data }));
        }
    })
}

/// Deletes an executor.
///
/// # Safety
/// `cxt` must be NULL or an owned executor (not the one a calling frame lends).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ExecutorDelete(cxt: *mut WasmEdge_ExecutorContext) {
    guard((), || {
        if !cxt.is_null() && cxt != frame_executor() {
            // SAFETY: owned contexts come from `Box::into_raw`.
            drop(unsafe { Box::from_raw(cxt) });
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Asynchronous calls

type AsyncOutcome = Result<Vec<WasmEdge_Value>, WasmEdge_Result>;

/// `WasmEdge_Async`: a call running on its own thread.
pub struct WasmEdge_Async {
    state: Arc<(Mutex<Option<AsyncOutcome>>, Condvar)>,
    interrupt: Option<wedge::InterruptHandle>,
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
}

struct SendPtr<T>(T);
// SAFETY: used to move handles the C caller keeps alive (and does not use concurrently in a
// conflicting way, per WasmEdge's async contract) into the worker thread.
unsafe impl<T> Send for SendPtr<T> {}

impl WasmEdge_Async {
    /// Runs `f` on a new thread; `interrupt` cancels it.
    pub(crate) fn spawn(
        interrupt: Option<wedge::InterruptHandle>,
        f: impl FnOnce() -> AsyncOutcome + Send + 'static,
    ) -> Box<WasmEdge_Async> {
        let state = Arc::new((Mutex::new(None), Condvar::new()));
        let st = state.clone();
        let thread = std::thread::spawn(move || {
            let r = guard(Err(abi::result(code::RUNTIME_ERROR)), f);
            let (m, cv) = &*st;
            *m.lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
            cv.notify_all();
        });
        Box::new(WasmEdge_Async {
            state,
            interrupt,
            thread: Mutex::new(Some(thread)),
        })
    }

    /// A call that failed before it started: already complete, with `result`.
    pub(crate) fn failed(result: WasmEdge_Result) -> Box<WasmEdge_Async> {
        Box::new(WasmEdge_Async {
            state: Arc::new((Mutex::new(Some(Err(result))), Condvar::new())),
            interrupt: None,
            thread: Mutex::new(None),
        })
    }

    fn wait_for(&self, timeout: Option<Duration>) -> bool {
        let (m, cv) = &*self.state;
        let mut g = m.lock().unwrap_or_else(|e| e.into_inner());
        match timeout {
            None => {
                while g.is_none() {
                    g = cv.wait(g).unwrap_or_else(|e| e.into_inner());
                }
                true
            }
            Some(t) => {
                let (g, _) = cv
                    .wait_timeout_while(g, t, |r| r.is_none())
                    .unwrap_or_else(|e| e.into_inner());
                g.is_some()
            }
        }
    }

    fn outcome(&self) -> AsyncOutcome {
        self.wait_for(None);
        let (m, _) = &*self.state;
        m.lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .unwrap_or(Err(abi::result(code::RUNTIME_ERROR)))
    }
}

impl Drop for WasmEdge_Async {
    fn drop(&mut self) {
        if let Some(t) = self.thread.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = t.join();
        }
    }
}

/// Calls `func` on another thread.
///
/// # Safety
/// As for `WasmEdge_ExecutorInvoke`; the executor and function must outlive the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ExecutorAsyncInvoke(
    cxt: *mut WasmEdge_ExecutorContext,
    func: *const WasmEdge_FunctionInstanceContext,
    params: *const WasmEdge_Value,
    params_len: u32,
) -> *mut WasmEdge_Async {
    guard(ptr::null_mut(), || {
        // SAFETY: the caller passes NULL or live contexts.
        let (Some(_), Some(f)) = (unsafe { cxt.as_ref() }, unsafe { func.as_ref() }) else {
            return ptr::null_mut();
        };
        // SAFETY: `params` holds `params_len` values.
        let params = unsafe { values(params, params_len) }.to_vec();
        let interrupt = f
            .binding()
            .and_then(|(b, _)| with_store(&b, |s| s.interrupt_handle()));
        let (e, f) = (SendPtr(cxt.cast_const()), SendPtr(func));
        Box::into_raw(WasmEdge_Async::spawn(interrupt, move || {
            let (e, f) = (e, f);
            // SAFETY: the caller keeps the executor and the function alive during the call.
            let (e, f) = unsafe { (&*e.0, &*f.0) };
            e.invoke(f, &params)
        }))
    })
}

/// Waits for the call to finish.
///
/// # Safety
/// `cxt` must be NULL or a live async handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_AsyncWait(cxt: *const WasmEdge_Async) {
    guard((), || {
        // SAFETY: the caller passes NULL or a live handle.
        if let Some(a) = unsafe { cxt.as_ref() } {
            a.wait_for(None);
        }
    })
}

/// Waits up to `milliseconds`; true if the call finished.
///
/// # Safety
/// `cxt` must be NULL or a live async handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_AsyncWaitFor(
    cxt: *const WasmEdge_Async,
    milliseconds: u64,
) -> bool {
    guard(false, || {
        // SAFETY: the caller passes NULL or a live handle.
        unsafe { cxt.as_ref() }
            .is_some_and(|a| a.wait_for(Some(Duration::from_millis(milliseconds))))
    })
}

/// Cancels the call (its result becomes Interrupted).
///
/// # Safety
/// `cxt` must be NULL or a live async handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_AsyncCancel(cxt: *mut WasmEdge_Async) {
    guard((), || {
        // SAFETY: the caller passes NULL or a live handle.
        if let Some(a) = unsafe { cxt.as_ref() }
            && let Some(i) = &a.interrupt
        {
            i.interrupt();
        }
    })
}

/// How many results the call returned (waits for it).
///
/// # Safety
/// `cxt` must be NULL or a live async handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_AsyncGetReturnsLength(cxt: *const WasmEdge_Async) -> u32 {
    guard(0, || {
        // SAFETY: the caller passes NULL or a live handle.
        unsafe { cxt.as_ref() }.map_or(0, |a| a.outcome().map_or(0, |v| v.len() as u32))
    })
}

/// Waits for the call and writes at most `returns_len` results.
///
/// # Safety
/// `cxt` NULL or a live async handle; `returns` room for `returns_len` values.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_AsyncGet(
    cxt: *const WasmEdge_Async,
    returns: *mut WasmEdge_Value,
    returns_len: u32,
) -> WasmEdge_Result {
    guard_result(|| {
        // SAFETY: the caller passes NULL or a live handle.
        let Some(a) = (unsafe { cxt.as_ref() }) else {
            return abi::result(code::WRONG_VM_WORKFLOW);
        };
        match a.outcome() {
            // SAFETY: `returns` has room for `returns_len` values.
            Ok(v) => unsafe { write_values(&v, returns, returns_len) },
            Err(e) => e,
        }
    })
}

/// Waits for the call and frees the handle.
///
/// # Safety
/// `cxt` must be NULL or an owned async handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_AsyncDelete(cxt: *mut WasmEdge_Async) {
    guard((), || {
        if !cxt.is_null() {
            // SAFETY: owned handles come from `Box::into_raw`.
            drop(unsafe { Box::from_raw(cxt) });
        }
    })
}
