//! The VM (`wasmedge_vm.h`): a loader, validator, executor and store in one object, with WASI,
//! `wasi:logging/logging` and every loaded plug-in's modules registered at creation.

use crate::abi::{self, WasmEdge_Bytes, WasmEdge_Result, WasmEdge_String, WasmEdge_Value, code};
use crate::ast::WasmEdge_ASTModuleContext;
use crate::configure::{ConfData, WasmEdge_ConfigureContext, WasmEdge_StatisticsContext, conf_of};
use crate::execution::{
    self, WasmEdge_Async, WasmEdge_ExecutorContext, WasmEdge_LoaderContext, WasmEdge_StoreContext,
    WasmEdge_ValidatorContext, values, write_values,
};
use crate::ffi::{self, guard, guard_result};
use crate::instance::{
    ExternCtx, ModuleKind, WasmEdge_FunctionInstanceContext, WasmEdge_ModuleInstanceContext,
};
use crate::types::WasmEdge_FunctionTypeContext;
use core::ffi::c_char;
use std::ptr;
use std::sync::Arc;
use wedge_plugin::ForbiddenPlugins;

#[derive(Copy, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Stage {
    Inited,
    Loaded,
    Validated,
    Instantiated,
}

/// `WasmEdge_VMContext`.
pub struct WasmEdge_VMContext {
    conf: ConfData,
    store: *mut WasmEdge_StoreContext,
    own_store: bool,
    loader: Box<WasmEdge_LoaderContext>,
    validator: Box<WasmEdge_ValidatorContext>,
    executor: Box<WasmEdge_ExecutorContext>,
    stat: Box<WasmEdge_StatisticsContext>,
    /// WASI, `wasi:logging/logging` and plug-in modules, registered at creation.
    #[allow(
        clippy::vec_box,
        reason = "the boxes keep the addresses C code was given"
    )]
    imports: Vec<Box<WasmEdge_ModuleInstanceContext>>,
    /// Modules registered from files, bytes or AST modules (owned by the VM).
    #[allow(
        clippy::vec_box,
        reason = "the boxes keep the addresses C code was given"
    )]
    registered: Vec<Box<WasmEdge_ModuleInstanceContext>>,
    ast: Option<Box<WasmEdge_ASTModuleContext>>,
    active: Option<Box<WasmEdge_ModuleInstanceContext>>,
    stage: Stage,
}

impl WasmEdge_VMContext {
    fn shared(&self) -> &Arc<crate::store::StoreShared> {
        // SAFETY: the store is owned by the VM or kept alive by the caller while the VM lives.
        unsafe { &(*self.store).shared }
    }

    fn register_import(&mut self, m: Box<WasmEdge_ModuleInstanceContext>) {
        // Name clashes are ignored, as in WasmEdge.
        let _ = execution::register_import(self.shared(), &m, None);
        self.imports.push(m);
    }

    fn load(&mut self, r: Result<WasmEdge_ASTModuleContext, WasmEdge_Result>) -> WasmEdge_Result {
        match r {
            Ok(ast) => {
                self.ast = Some(Box::new(ast));
                self.stage = Stage::Loaded;
                abi::OK
            }
            Err(e) => e,
        }
    }

    fn validate(&mut self) -> WasmEdge_Result {
        if self.stage < Stage::Loaded {
            return abi::result(code::WRONG_VM_WORKFLOW);
        }
        let Some(ast) = &self.ast else {
            return abi::result(code::WRONG_VM_WORKFLOW);
        };
        let r = execution::validate(ast);
        if r == abi::OK {
            self.stage = Stage::Validated;
        }
        r
    }

    fn instantiate(&mut self) -> WasmEdge_Result {
        if self.stage < Stage::Validated {
            return abi::result(code::WRONG_VM_WORKFLOW);
        }
        let Some(ast) = &self.ast else {
            return abi::result(code::WRONG_VM_WORKFLOW);
        };
        match self.executor.instantiate(self.shared(), ast, None) {
            Ok(m) => {
                self.active = Some(m);
                self.stage = Stage::Instantiated;
                abi::OK
            }
            Err(e) => e,
        }
    }

    fn run(&mut self, load: Result<WasmEdge_ASTModuleContext, WasmEdge_Result>) -> WasmEdge_Result {
        let r = self.load(load);
        if r != abi::OK {
            return r;
        }
        let r = self.validate();
        if r != abi::OK {
            return r;
        }
        self.instantiate()
    }

    fn find_func(
        module: Option<&WasmEdge_ModuleInstanceContext>,
        name: &[u8],
    ) -> Option<*const WasmEdge_FunctionInstanceContext> {
        module?.exports().iter().find_map(|(n, e)| match e {
            ExternCtx::Func(f) if n.as_bytes() == name => {
                Some(&**f as *const WasmEdge_FunctionInstanceContext)
            }
            _ => None,
        })
    }

    fn registered_module(&self, name: &str) -> Option<&WasmEdge_ModuleInstanceContext> {
        // SAFETY: registered modules are alive while registered.
        self.shared().find(name).map(|m| unsafe { &*m.0 })
    }

    fn execute(
        &self,
        module: Option<&WasmEdge_ModuleInstanceContext>,
        name: &[u8],
        params: &[WasmEdge_Value],
        returns: *mut WasmEdge_Value,
        returns_len: u32,
    ) -> WasmEdge_Result {
        let Some(f) = Self::find_func(module, name) else {
            return abi::result(code::FUNC_NOT_FOUND);
        };
        // SAFETY: the function belongs to a module the VM keeps alive during the call.
        match self.executor.invoke(unsafe { &*f }, params) {
            // SAFETY: the caller gives room for `returns_len` values.
            Ok(r) => unsafe { write_values(&r, returns, returns_len) },
            Err(e) => e,
        }
    }

    fn async_execute(
        &self,
        module: Option<&WasmEdge_ModuleInstanceContext>,
        name: &[u8],
        params: &[WasmEdge_Value],
    ) -> *mut WasmEdge_Async {
        let func = Self::find_func(module, name);
        let interrupt = func.and_then(|f| {
            // SAFETY: as in `execute`.
            let (b, _) = unsafe { &*f }.binding()?;
            crate::store::with_store(&b, |s| s.interrupt_handle())
        });
        let exec = SendPtr(&*self.executor as *const WasmEdge_ExecutorContext);
        let func = SendPtr(func);
        let params = params.to_vec();
        Box::into_raw(WasmEdge_Async::spawn(interrupt, move || {
            let (exec, func) = (exec, func);
            let Some(f) = func.0 else {
                return Err(abi::result(code::FUNC_NOT_FOUND));
            };
            // SAFETY: the VM and its modules outlive the asynchronous call (WasmEdge's contract:
            // the caller waits for or deletes the handle before deleting the VM).
            unsafe { (*exec.0).invoke(&*f, &params) }
        }))
    }
}

struct SendPtr<T>(T);
// SAFETY: moves handles the caller keeps alive into the worker thread (see `async_execute`).
unsafe impl<T> Send for SendPtr<T> {}

/// Creates a VM with `conf` (NULL: defaults) and `store` (NULL: its own). Registers WASI (if
/// configured), `wasi:logging/logging` and every loaded plug-in's modules.
///
/// # Safety
/// `conf` NULL or live; `store` NULL or a store that outlives the VM.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMCreate(
    conf: *const WasmEdge_ConfigureContext,
    store: *mut WasmEdge_StoreContext,
) -> *mut WasmEdge_VMContext {
    guard(ptr::null_mut(), || {
        // SAFETY: forwarded to the caller.
        let conf = unsafe { conf_of(conf) };
        let (store, own_store) = if store.is_null() {
            (execution::WasmEdge_StoreCreate(), true)
        } else {
            (store, false)
        };
        let mut stat = Box::new(WasmEdge_StatisticsContext::new());
        let stat_ptr: *mut WasmEdge_StatisticsContext = &mut *stat;
        let mut vm = Box::new(WasmEdge_VMContext {
            loader: Box::new(WasmEdge_LoaderContext { conf: conf.clone() }),
            validator: Box::new(WasmEdge_ValidatorContext { conf: conf.clone() }),
            executor: Box::new(WasmEdge_ExecutorContext::new(conf.clone(), stat_ptr)),
            conf,
            store,
            own_store,
            stat,
            imports: Vec::new(),
            registered: Vec::new(),
            ast: None,
            active: None,
            stage: Stage::Inited,
        });
        if vm.conf.host_wasi {
            let wasi = crate::wasi::new_wasi_module(crate::wasi::build_ctx(&[], &[], &[]));
            vm.register_import(Box::new(wasi));
        }
        // The built-in plug-in's module, listed as a plug-in or not (as in WasmEdge).
        vm.register_import(Box::new(crate::plugin::new_wasi_logging_module()));
        // Every plug-in's modules, and the official ones' stand-ins where they are missing.
        let modules = crate::plugin::new_plugin_modules(&ForbiddenPlugins::default(), |_, _| {});
        for (_, m) in modules {
            vm.register_import(m);
        }
        Box::into_raw(vm)
    })
}

macro_rules! vm_ref {
    ($p:expr) => {
        // SAFETY: the caller passes NULL or a live VM, used by one thread at a time.
        match unsafe { $p.as_mut() } {
            Some(vm) => vm,
            None => return abi::result(code::WRONG_VM_WORKFLOW),
        }
    };
}

/// Loads, validates and instantiates a module from a file and registers it as `name`.
///
/// # Safety
/// `cxt` NULL or a live VM; `name` valid; `path` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMRegisterModuleFromFile(
    cxt: *mut WasmEdge_VMContext,
    name: WasmEdge_String,
    path: *const c_char,
) -> WasmEdge_Result {
    guard_result(|| {
        let vm = vm_ref!(cxt);
        // SAFETY: forwarded to the caller.
        let Some(path) = (unsafe { ffi::cstr_lossy(path) }) else {
            return abi::result(code::ILLEGAL_PATH);
        };
        let ast = match execution::load_file(&vm.conf, path.as_ref()) {
            Ok(a) => a,
            Err(e) => return e,
        };
        // SAFETY: forwarded to the caller.
        register_ast(vm, unsafe { ffi::string_lossy(name) }, &ast)
    })
}

fn register_ast(
    vm: &mut WasmEdge_VMContext,
    name: String,
    ast: &WasmEdge_ASTModuleContext,
) -> WasmEdge_Result {
    let r = execution::validate(ast);
    if r != abi::OK {
        return r;
    }
    match vm.executor.instantiate(vm.shared(), ast, Some(&name)) {
        Ok(m) => {
            vm.registered.push(m);
            abi::OK
        }
        Err(e) => e,
    }
}

/// As `WasmEdge_VMRegisterModuleFromFile`, from bytes.
///
/// # Safety
/// `cxt` NULL or a live VM; `name` and `bytes` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMRegisterModuleFromBytes(
    cxt: *mut WasmEdge_VMContext,
    name: WasmEdge_String,
    bytes: WasmEdge_Bytes,
) -> WasmEdge_Result {
    guard_result(|| {
        let vm = vm_ref!(cxt);
        // SAFETY: forwarded to the caller.
        let data = unsafe { execution::bytes_slice(bytes) };
        let ast = match execution::load_bytes(&vm.conf, data.into()) {
            Ok(a) => a,
            Err(e) => return e,
        };
        // SAFETY: forwarded to the caller.
        register_ast(vm, unsafe { ffi::string_lossy(name) }, &ast)
    })
}

/// As `WasmEdge_VMRegisterModuleFromFile`, from a loaded module.
///
/// # Safety
/// `cxt` NULL or a live VM; `name` valid; `ast` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMRegisterModuleFromASTModule(
    cxt: *mut WasmEdge_VMContext,
    name: WasmEdge_String,
    ast: *const WasmEdge_ASTModuleContext,
) -> WasmEdge_Result {
    guard_result(|| {
        let vm = vm_ref!(cxt);
        // SAFETY: the caller passes NULL or a live AST module.
        let Some(ast) = (unsafe { ast.as_ref() }) else {
            return abi::result(code::WRONG_VM_WORKFLOW);
        };
        // SAFETY: forwarded to the caller.
        register_ast(vm, unsafe { ffi::string_lossy(name) }, ast)
    })
}

/// Registers a host module (the caller keeps ownership) under its own name.
///
/// # Safety
/// `cxt` NULL or a live VM; `module` NULL or a live module that outlives its registration.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMRegisterModuleFromImport(
    cxt: *mut WasmEdge_VMContext,
    module: *const WasmEdge_ModuleInstanceContext,
) -> WasmEdge_Result {
    guard_result(|| {
        let vm = vm_ref!(cxt);
        // SAFETY: the caller passes NULL or a live module.
        let Some(m) = (unsafe { module.as_ref() }) else {
            return abi::result(code::WRONG_VM_WORKFLOW);
        };
        execution::register_import(vm.shared(), m, None)
    })
}

/// Registers a module under `alias` instead of its own name. The name comes before the module,
/// as in WasmEdge's header (the executor's form takes them the other way round).
///
/// # Safety
/// As for `WasmEdge_VMRegisterModuleFromImport`; `alias` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMRegisterModuleFromImportWithAlias(
    cxt: *mut WasmEdge_VMContext,
    alias: WasmEdge_String,
    module: *const WasmEdge_ModuleInstanceContext,
) -> WasmEdge_Result {
    guard_result(|| {
        let vm = vm_ref!(cxt);
        // SAFETY: the caller passes NULL or a live module.
        let Some(m) = (unsafe { module.as_ref() }) else {
            return abi::result(code::WRONG_VM_WORKFLOW);
        };
        // SAFETY: the caller passes a valid string.
        let alias = unsafe { ffi::string_lossy(alias) };
        execution::register_import(vm.shared(), m, Some(&alias))
    })
}

/// A module file for the VM.
///
/// # Safety
/// `path` must be NULL or a C string.
unsafe fn load_path(conf: &ConfData, path: *const c_char) -> Loaded {
    // SAFETY: forwarded to the caller.
    match unsafe { ffi::cstr_lossy(path) } {
        Some(p) => execution::load_file(conf, p.as_ref()),
        None => Err(abi::result(code::ILLEGAL_PATH)),
    }
}

/// A module in bytes for the VM.
///
/// # Safety
/// `bytes` must be valid.
unsafe fn load_bytes(conf: &ConfData, bytes: WasmEdge_Bytes) -> Loaded {
    // SAFETY: forwarded to the caller.
    execution::load_bytes(conf, unsafe { execution::bytes_slice(bytes) }.into())
}

/// A copy of a loaded module for the VM (which owns what it loads).
///
/// # Safety
/// `ast` must be NULL or live.
unsafe fn load_ast(ast: *const WasmEdge_ASTModuleContext) -> Loaded {
    // SAFETY: forwarded to the caller.
    match unsafe { ast.as_ref() } {
        Some(a) => Ok(a.duplicate()),
        None => Err(abi::result(code::WRONG_VM_WORKFLOW)),
    }
}

type Loaded = Result<WasmEdge_ASTModuleContext, WasmEdge_Result>;

/// Validates and instantiates what `load` gives, then calls `func`: the `VMRunWasmFrom*` path.
///
/// # Safety
/// As for `WasmEdge_VMExecute`.
unsafe fn run_and_execute(
    cxt: *mut WasmEdge_VMContext,
    load: impl FnOnce(&ConfData) -> Loaded,
    func: WasmEdge_String,
    params: *const WasmEdge_Value,
    params_len: u32,
    returns: *mut WasmEdge_Value,
    returns_len: u32,
) -> WasmEdge_Result {
    guard_result(|| {
        let vm = vm_ref!(cxt);
        let r = vm.run(load(&vm.conf));
        if r != abi::OK {
            return r;
        }
        // SAFETY: forwarded to the caller.
        unsafe { WasmEdge_VMExecute(cxt, func, params, params_len, returns, returns_len) }
    })
}

/// Loads, validates, instantiates and runs `func` of a module file.
///
/// # Safety
/// `cxt` NULL or a live VM; `path` a C string; values as for `WasmEdge_VMExecute`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMRunWasmFromFile(
    cxt: *mut WasmEdge_VMContext,
    path: *const c_char,
    func: WasmEdge_String,
    params: *const WasmEdge_Value,
    params_len: u32,
    returns: *mut WasmEdge_Value,
    returns_len: u32,
) -> WasmEdge_Result {
    // SAFETY: forwarded to the caller.
    unsafe {
        run_and_execute(
            cxt,
            |conf| load_path(conf, path),
            func,
            params,
            params_len,
            returns,
            returns_len,
        )
    }
}

/// As `WasmEdge_VMRunWasmFromFile`, from bytes.
///
/// # Safety
/// As for `WasmEdge_VMRunWasmFromFile`, with valid `bytes`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMRunWasmFromBytes(
    cxt: *mut WasmEdge_VMContext,
    bytes: WasmEdge_Bytes,
    func: WasmEdge_String,
    params: *const WasmEdge_Value,
    params_len: u32,
    returns: *mut WasmEdge_Value,
    returns_len: u32,
) -> WasmEdge_Result {
    // SAFETY: forwarded to the caller.
    unsafe {
        run_and_execute(
            cxt,
            |conf| load_bytes(conf, bytes),
            func,
            params,
            params_len,
            returns,
            returns_len,
        )
    }
}

/// As `WasmEdge_VMRunWasmFromFile`, from a loaded module.
///
/// # Safety
/// As for `WasmEdge_VMRunWasmFromFile`, with `ast` live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMRunWasmFromASTModule(
    cxt: *mut WasmEdge_VMContext,
    ast: *const WasmEdge_ASTModuleContext,
    func: WasmEdge_String,
    params: *const WasmEdge_Value,
    params_len: u32,
    returns: *mut WasmEdge_Value,
    returns_len: u32,
) -> WasmEdge_Result {
    // SAFETY: forwarded to the caller.
    unsafe {
        run_and_execute(
            cxt,
            |_| load_ast(ast),
            func,
            params,
            params_len,
            returns,
            returns_len,
        )
    }
}

macro_rules! async_run {
    ($(#[$doc:meta])* fn $name:ident($src:ident: $srcty:ty) => |$vm:ident| $load:expr) => {
        $(#[$doc])*
        ///
        /// # Safety
        /// As for the synchronous form; the VM must outlive the call.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name(
            cxt: *mut WasmEdge_VMContext,
            $src: $srcty,
            func: WasmEdge_String,
            params: *const WasmEdge_Value,
            params_len: u32,
        ) -> *mut WasmEdge_Async {
            guard(ptr::null_mut(), || {
                // SAFETY: the caller passes NULL or a live VM.
                let Some($vm) = (unsafe { cxt.as_mut() }) else {
                    return ptr::null_mut();
                };
                let loaded = $load;
                // As in WasmEdge, a module that does not load, validate or instantiate gives a
                // call whose result is that error.
                let r = $vm.run(loaded);
                if r != abi::OK {
                    return Box::into_raw(crate::execution::WasmEdge_Async::failed(r));
                }
                // SAFETY: forwarded to the caller.
                unsafe { WasmEdge_VMAsyncExecute(cxt, func, params, params_len) }
            })
        }
    };
}

async_run!(
    /// Runs a module file's function on another thread.
    fn WasmEdge_VMAsyncRunWasmFromFile(path: *const c_char) => |vm| {
        // SAFETY: the caller passes NULL or a C string.
        unsafe { load_path(&vm.conf, path) }
    }
);
async_run!(
    /// Runs a function of a module in bytes on another thread.
    fn WasmEdge_VMAsyncRunWasmFromBytes(bytes: WasmEdge_Bytes) => |vm| {
        // SAFETY: the caller passes valid bytes.
        unsafe { load_bytes(&vm.conf, bytes) }
    }
);
async_run!(
    /// Runs a function of a loaded module on another thread.
    fn WasmEdge_VMAsyncRunWasmFromASTModule(ast: *const WasmEdge_ASTModuleContext) => |vm| {
        let _ = &vm;
        // SAFETY: the caller passes NULL or a live AST module.
        unsafe { load_ast(ast) }
    }
);

/// Loads a module file (first step of the VM workflow).
///
/// # Safety
/// `cxt` NULL or a live VM; `path` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMLoadWasmFromFile(
    cxt: *mut WasmEdge_VMContext,
    path: *const c_char,
) -> WasmEdge_Result {
    guard_result(|| {
        let vm = vm_ref!(cxt);
        // SAFETY: forwarded to the caller.
        let r = unsafe { load_path(&vm.conf, path) };
        vm.load(r)
    })
}

/// Loads a module from bytes.
///
/// # Safety
/// `cxt` NULL or a live VM; `bytes` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMLoadWasmFromBytes(
    cxt: *mut WasmEdge_VMContext,
    bytes: WasmEdge_Bytes,
) -> WasmEdge_Result {
    guard_result(|| {
        let vm = vm_ref!(cxt);
        // SAFETY: forwarded to the caller.
        let r = unsafe { load_bytes(&vm.conf, bytes) };
        vm.load(r)
    })
}

/// Loads a copy of a loaded module.
///
/// # Safety
/// `cxt` NULL or a live VM; `ast` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMLoadWasmFromASTModule(
    cxt: *mut WasmEdge_VMContext,
    ast: *const WasmEdge_ASTModuleContext,
) -> WasmEdge_Result {
    guard_result(|| {
        let vm = vm_ref!(cxt);
        // SAFETY: forwarded to the caller.
        let r = unsafe { load_ast(ast) };
        vm.load(r)
    })
}

/// Validates the loaded module.
///
/// # Safety
/// `cxt` must be NULL or a live VM.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMValidate(cxt: *mut WasmEdge_VMContext) -> WasmEdge_Result {
    guard_result(|| vm_ref!(cxt).validate())
}

/// Instantiates the validated module as the active module.
///
/// # Safety
/// `cxt` must be NULL or a live VM.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMInstantiate(cxt: *mut WasmEdge_VMContext) -> WasmEdge_Result {
    guard_result(|| vm_ref!(cxt).instantiate())
}

/// Calls an export of the active module.
///
/// # Safety
/// `cxt` NULL or a live VM; `params` holds `params_len` values; `returns` room for
/// `returns_len`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMExecute(
    cxt: *mut WasmEdge_VMContext,
    func: WasmEdge_String,
    params: *const WasmEdge_Value,
    params_len: u32,
    returns: *mut WasmEdge_Value,
    returns_len: u32,
) -> WasmEdge_Result {
    guard_result(|| {
        let vm = vm_ref!(cxt);
        if vm.stage < Stage::Instantiated {
            return abi::result(code::WRONG_VM_WORKFLOW);
        }
        // SAFETY: forwarded to the caller.
        let (name, params) = unsafe { (ffi::string_bytes(func), values(params, params_len)) };
        vm.execute(vm.active.as_deref(), name, params, returns, returns_len)
    })
}

/// Calls an export of a registered module.
///
/// # Safety
/// As for `WasmEdge_VMExecute`, with `module` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMExecuteRegistered(
    cxt: *mut WasmEdge_VMContext,
    module: WasmEdge_String,
    func: WasmEdge_String,
    params: *const WasmEdge_Value,
    params_len: u32,
    returns: *mut WasmEdge_Value,
    returns_len: u32,
) -> WasmEdge_Result {
    guard_result(|| {
        let vm = vm_ref!(cxt);
        // SAFETY: forwarded to the caller.
        let (module, name, params) = unsafe {
            (
                ffi::string_lossy(module),
                ffi::string_bytes(func),
                values(params, params_len),
            )
        };
        let Some(m) = vm.registered_module(&module) else {
            return abi::result(code::WRONG_INSTANCE_ADDRESS);
        };
        vm.execute(Some(m), name, params, returns, returns_len)
    })
}

/// Calls an export of the active module on another thread.
///
/// # Safety
/// As for `WasmEdge_VMExecute`; the VM must outlive the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMAsyncExecute(
    cxt: *mut WasmEdge_VMContext,
    func: WasmEdge_String,
    params: *const WasmEdge_Value,
    params_len: u32,
) -> *mut WasmEdge_Async {
    guard(ptr::null_mut(), || {
        // SAFETY: the caller passes NULL or a live VM.
        let Some(vm) = (unsafe { cxt.as_ref() }) else {
            return ptr::null_mut();
        };
        // SAFETY: forwarded to the caller.
        let (name, params) = unsafe { (ffi::string_bytes(func), values(params, params_len)) };
        let module = if vm.stage < Stage::Instantiated {
            None
        } else {
            vm.active.as_deref()
        };
        vm.async_execute(module, name, params)
    })
}

/// Calls an export of a registered module on another thread.
///
/// # Safety
/// As for `WasmEdge_VMExecuteRegistered`; the VM must outlive the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMAsyncExecuteRegistered(
    cxt: *mut WasmEdge_VMContext,
    module: WasmEdge_String,
    func: WasmEdge_String,
    params: *const WasmEdge_Value,
    params_len: u32,
) -> *mut WasmEdge_Async {
    guard(ptr::null_mut(), || {
        // SAFETY: the caller passes NULL or a live VM.
        let Some(vm) = (unsafe { cxt.as_ref() }) else {
            return ptr::null_mut();
        };
        // SAFETY: forwarded to the caller.
        let (module, name, params) = unsafe {
            (
                ffi::string_lossy(module),
                ffi::string_bytes(func),
                values(params, params_len),
            )
        };
        vm.async_execute(vm.registered_module(&module), name, params)
    })
}

/// The type of an export of the active module (borrowed), or NULL.
///
/// # Safety
/// `cxt` NULL or a live VM; `func` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMGetFunctionType(
    cxt: *const WasmEdge_VMContext,
    func: WasmEdge_String,
) -> *const WasmEdge_FunctionTypeContext {
    guard(ptr::null(), || {
        // SAFETY: the caller passes NULL or a live VM and a valid string.
        let (Some(vm), name) = (unsafe { cxt.as_ref() }, unsafe { ffi::string_bytes(func) }) else {
            return ptr::null();
        };
        match WasmEdge_VMContext::find_func(vm.active.as_deref(), name) {
            // SAFETY: the function lives in the VM's active module.
            Some(f) => unsafe { crate::instance::WasmEdge_FunctionInstanceGetFunctionType(f) },
            None => ptr::null(),
        }
    })
}

/// The type of an export of a registered module (borrowed), or NULL.
///
/// # Safety
/// `cxt` NULL or a live VM; strings valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMGetFunctionTypeRegistered(
    cxt: *const WasmEdge_VMContext,
    module: WasmEdge_String,
    func: WasmEdge_String,
) -> *const WasmEdge_FunctionTypeContext {
    guard(ptr::null(), || {
        // SAFETY: the caller passes NULL or a live VM and valid strings.
        let (Some(vm), module, name) = (
            unsafe { cxt.as_ref() },
            unsafe { ffi::string_lossy(module) },
            unsafe { ffi::string_bytes(func) },
        ) else {
            return ptr::null();
        };
        match WasmEdge_VMContext::find_func(vm.registered_module(&module), name) {
            // SAFETY: the function lives in a registered module.
            Some(f) => unsafe { crate::instance::WasmEdge_FunctionInstanceGetFunctionType(f) },
            None => ptr::null(),
        }
    })
}

/// Drops the loaded and active modules and the modules registered from files, bytes and AST
/// modules; the WASI, logging and plug-in modules stay.
///
/// # Safety
/// `cxt` must be NULL or a live VM.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMCleanup(cxt: *mut WasmEdge_VMContext) {
    guard((), || {
        // SAFETY: the caller passes NULL or a live VM.
        if let Some(vm) = unsafe { cxt.as_mut() } {
            vm.active = None;
            vm.ast = None;
            vm.registered.clear();
            vm.stage = Stage::Inited;
        }
    })
}

/// How many functions the active module exports.
///
/// # Safety
/// `cxt` must be NULL or a live VM.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMGetFunctionListLength(cxt: *const WasmEdge_VMContext) -> u32 {
    // SAFETY: the caller passes NULL or a live VM.
    match unsafe { cxt.as_ref() }.and_then(|vm| vm.active.as_deref()) {
        // SAFETY: the active module is live.
        Some(m) => unsafe { crate::instance::WasmEdge_ModuleInstanceListFunctionLength(m) },
        None => 0,
    }
}

/// Writes up to `len` exported function names and types (borrowed, sorted); returns the total.
///
/// # Safety
/// `cxt` NULL or a live VM; `names` and `types` NULL or room for `len` entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMGetFunctionList(
    cxt: *const WasmEdge_VMContext,
    names: *mut WasmEdge_String,
    types: *mut *const WasmEdge_FunctionTypeContext,
    len: u32,
) -> u32 {
    guard(0, || {
        // SAFETY: the caller passes NULL or a live VM.
        let Some(m) = unsafe { cxt.as_ref() }.and_then(|vm| vm.active.as_deref()) else {
            return 0;
        };
        let exports = m.exports();
        let mut total = 0u32;
        for (n, e) in exports.iter() {
            let ExternCtx::Func(f) = e else { continue };
            if total < len {
                if !names.is_null() {
                    // SAFETY: room for `len` entries; the name lives with the module.
                    unsafe { *names.add(total as usize) = ffi::borrow_string(n) };
                }
                if !types.is_null() {
                    // SAFETY: room for `len` entries; the type lives with the function.
                    unsafe {
                        *types.add(total as usize) =
                            crate::instance::WasmEdge_FunctionInstanceGetFunctionType(&**f)
                    };
                }
            }
            total += 1;
        }
        total
    })
}

/// The built-in module registered for `reg` (WASI: 0), or NULL.
///
/// # Safety
/// `cxt` must be NULL or a live VM.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMGetImportModuleContext(
    cxt: *const WasmEdge_VMContext,
    reg: u32,
) -> *mut WasmEdge_ModuleInstanceContext {
    guard(ptr::null_mut(), || {
        // SAFETY: the caller passes NULL or a live VM.
        let Some(vm) = (unsafe { cxt.as_ref() }) else {
            return ptr::null_mut();
        };
        if reg != crate::configure::HOST_REGISTRATION_WASI {
            return ptr::null_mut();
        }
        vm.imports
            .iter()
            .find(|m| matches!(m.kind, ModuleKind::Wasi { .. }))
            .map_or(ptr::null_mut(), |m| {
                (&**m as *const WasmEdge_ModuleInstanceContext).cast_mut()
            })
    })
}

/// The active (last instantiated) module, or NULL.
///
/// # Safety
/// `cxt` must be NULL or a live VM.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMGetActiveModule(
    cxt: *const WasmEdge_VMContext,
) -> *const WasmEdge_ModuleInstanceContext {
    // SAFETY: the caller passes NULL or a live VM.
    unsafe { cxt.as_ref() }
        .and_then(|vm| vm.active.as_deref())
        .map_or(ptr::null(), |m| m as *const _)
}

/// The module registered as `name`, or NULL.
///
/// # Safety
/// `cxt` NULL or a live VM; `name` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMGetRegisteredModule(
    cxt: *const WasmEdge_VMContext,
    name: WasmEdge_String,
) -> *const WasmEdge_ModuleInstanceContext {
    guard(ptr::null(), || {
        // SAFETY: the caller passes NULL or a live VM and a valid string.
        let (Some(vm), name) = (unsafe { cxt.as_ref() }, unsafe { ffi::string_lossy(name) }) else {
            return ptr::null();
        };
        vm.registered_module(&name)
            .map_or(ptr::null(), |m| m as *const _)
    })
}

/// How many modules are registered in the VM's store.
///
/// # Safety
/// `cxt` must be NULL or a live VM.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMListRegisteredModuleLength(
    cxt: *const WasmEdge_VMContext,
) -> u32 {
    guard(0, || {
        // SAFETY: the caller passes NULL or a live VM.
        unsafe { cxt.as_ref() }.map_or(0, |vm| vm.shared().registry().len() as u32)
    })
}

/// Writes up to `len` registered names (borrowed, sorted); returns the total.
///
/// # Safety
/// `cxt` NULL or a live VM; `names` NULL or room for `len`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMListRegisteredModule(
    cxt: *const WasmEdge_VMContext,
    names: *mut WasmEdge_String,
    len: u32,
) -> u32 {
    guard(0, || {
        // SAFETY: the caller passes NULL or a live VM.
        unsafe { cxt.as_ref() }.map_or(0, |vm| execution::list_registered(vm.shared(), names, len))
    })
}

macro_rules! vm_part {
    ($(#[$doc:meta])* fn $name:ident -> $ty:ty, |$vm:ident| $e:expr) => {
        $(#[$doc])*
        ///
        /// # Safety
        /// `cxt` must be NULL or a live VM.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name(cxt: *mut WasmEdge_VMContext) -> *mut $ty {
            // SAFETY: the caller passes NULL or a live VM.
            match unsafe { cxt.as_mut() } {
                Some($vm) => $e,
                None => ptr::null_mut(),
            }
        }
    };
}

vm_part!(
    /// The VM's store (borrowed).
    fn WasmEdge_VMGetStoreContext -> WasmEdge_StoreContext, |vm| vm.store
);
vm_part!(
    /// The VM's loader (borrowed).
    fn WasmEdge_VMGetLoaderContext -> WasmEdge_LoaderContext, |vm| &mut *vm.loader
);
vm_part!(
    /// The VM's validator (borrowed).
    fn WasmEdge_VMGetValidatorContext -> WasmEdge_ValidatorContext, |vm| &mut *vm.validator
);
vm_part!(
    /// The VM's executor (borrowed).
    fn WasmEdge_VMGetExecutorContext -> WasmEdge_ExecutorContext, |vm| &mut *vm.executor
);
vm_part!(
    /// The VM's statistics (borrowed). Set a cost limit after `VMCreate`.
    fn WasmEdge_VMGetStatisticsContext -> WasmEdge_StatisticsContext, |vm| &mut *vm.stat
);

/// Unregisters and deletes the module registered as `name` by this VM.
///
/// # Safety
/// `cxt` NULL or a live VM; `name` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMForceDeleteRegisteredModule(
    cxt: *mut WasmEdge_VMContext,
    name: WasmEdge_String,
) {
    guard((), || {
        // SAFETY: the caller passes NULL or a live VM and a valid string.
        let (Some(vm), name) = (unsafe { cxt.as_mut() }, unsafe { ffi::string_lossy(name) }) else {
            return;
        };
        vm.registered.retain(|m| m.name != name);
    })
}

/// Deletes the VM, its modules, and its store if it made one.
///
/// # Safety
/// `cxt` must be NULL or an owned VM.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMDelete(cxt: *mut WasmEdge_VMContext) {
    guard((), || {
        if cxt.is_null() {
            return;
        }
        // SAFETY: owned VMs come from `Box::into_raw`.
        let mut vm = unsafe { Box::from_raw(cxt) };
        vm.active = None;
        vm.registered.clear();
        vm.imports.clear();
        if vm.own_store {
            // SAFETY: the VM made this store and nothing else owns it.
            unsafe { execution::WasmEdge_StoreDelete(vm.store) };
        }
    })
}
