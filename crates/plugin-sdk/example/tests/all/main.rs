//! End to end: the example plug-in, as the cdylib cargo built, loaded into this test binary, which
//! links Wedge's C API and exports it like the `wedge` binary does (`-rdynamic`, see `build.rs`),
//! and driven through the WasmEdge C API as a C host drives it: load the plug-in, create a VM
//! (which instantiates every plug-in module), run a guest that imports the module.

#![allow(
    unsafe_code,
    reason = "the test is a host program of the WasmEdge C API"
)]

use std::ffi::CString;
use std::path::PathBuf;
use std::ptr;
use std::sync::Once;

use wasmedge::abi::{WasmEdge_Result, WasmEdge_String, WasmEdge_Value};
use wasmedge::basic::{WasmEdge_BytesWrap, WasmEdge_ResultGetCategory, WasmEdge_ResultGetCode};
use wasmedge::plugin::{
    WasmEdge_PluginCreateModule, WasmEdge_PluginFind, WasmEdge_PluginListModule,
    WasmEdge_PluginLoadFromPath,
};
use wasmedge::value::{WasmEdge_ValueGenI32, WasmEdge_ValueGetI32, WasmEdge_ValueGetI64};
use wasmedge::vm::{
    WasmEdge_VMContext, WasmEdge_VMCreate, WasmEdge_VMDelete, WasmEdge_VMExecute,
    WasmEdge_VMInstantiate, WasmEdge_VMLoadWasmFromBytes, WasmEdge_VMValidate,
};
use wedge_plugin_example::{MODULE_NAME, PLUGIN_NAME};

/// A guest that imports every function of the module and re-exports it, plus a byte reader.
const GUEST: &str = r#"
(module
  (import "wedge_example" "add" (func $add (param i32 i32) (result i32)))
  (import "wedge_example" "counter" (func $counter (result i64)))
  (import "wedge_example" "greet" (func $greet (param i32 i32) (result i32)))
  (import "wedge_example" "fail" (func $fail (param i32)))
  (import "wedge_example" "terminate" (func $terminate))
  (memory 1)
  (data (i32.const 100) "wedge")
  (func (export "add") (param i32 i32) (result i32) (call $add (local.get 0) (local.get 1)))
  (func (export "counter") (result i64) (call $counter))
  (func (export "greet") (param i32 i32) (result i32) (call $greet (local.get 0) (local.get 1)))
  (func (export "fail") (param i32) (call $fail (local.get 0)))
  (func (export "terminate") (result i32) (call $terminate) (i32.const 7))
  (func (export "byte") (param i32) (result i32) (i32.load8_u (local.get 0))))
"#;

/// `WasmEdge_ErrCode_MemoryOutOfBounds`.
const MEMORY_OUT_OF_BOUNDS: u32 = 0x408;

/// The plug-in cargo built for this package (`target/<profile>/deps`, beside this binary).
fn plugin_path() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let name = format!(
        "{}wedge_plugin_example{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    );
    let deps = exe.parent().unwrap();
    [deps.join(&name), deps.parent().unwrap().join(&name)]
        .into_iter()
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("{name} not found near {}", deps.display()))
}

/// Loads the plug-in into the process once, as a C host does before creating VMs.
fn load_plugin() {
    static LOAD: Once = Once::new();
    LOAD.call_once(|| {
        assert!(wasmedge::embed::export_c_api() > 0);
        let path = CString::new(plugin_path().into_os_string().into_encoded_bytes()).unwrap();
        // SAFETY: a NUL-terminated path.
        unsafe { WasmEdge_PluginLoadFromPath(path.as_ptr()) };
    });
}

fn string(s: &str) -> WasmEdge_String {
    WasmEdge_String {
        Length: u32::try_from(s.len()).unwrap(),
        Buf: s.as_ptr().cast(),
    }
}

fn i32_value(v: i32) -> WasmEdge_Value {
    // SAFETY: a pure function.
    unsafe { WasmEdge_ValueGenI32(v) }
}

/// A VM (with its own instance of the plug-in's module) running [`GUEST`].
struct Vm(*mut WasmEdge_VMContext);

impl Vm {
    fn new() -> Self {
        load_plugin();
        // SAFETY: NULL configure and store: the defaults.
        let vm = Vm(unsafe { WasmEdge_VMCreate(ptr::null(), ptr::null_mut()) });
        assert!(!vm.0.is_null());
        let wasm = wat::parse_str(GUEST).unwrap();
        // SAFETY: a live VM and a buffer that outlives the call.
        unsafe {
            let bytes = WasmEdge_BytesWrap(wasm.as_ptr(), u32::try_from(wasm.len()).unwrap());
            ok(WasmEdge_VMLoadWasmFromBytes(vm.0, bytes));
            ok(WasmEdge_VMValidate(vm.0));
            ok(WasmEdge_VMInstantiate(vm.0));
        }
        vm
    }

    /// Calls the guest's export `name`; the results, or the failed result.
    fn call(
        &self,
        name: &str,
        args: &[i32],
        results: usize,
    ) -> Result<Vec<WasmEdge_Value>, WasmEdge_Result> {
        let params: Vec<_> = args.iter().map(|&a| i32_value(a)).collect();
        let mut out = vec![i32_value(0); results];
        // SAFETY: a live VM; the arrays hold the lengths given.
        let r = unsafe {
            WasmEdge_VMExecute(
                self.0,
                string(name),
                params.as_ptr(),
                u32::try_from(params.len()).unwrap(),
                out.as_mut_ptr(),
                u32::try_from(results).unwrap(),
            )
        };
        if r.Code == 0 { Ok(out) } else { Err(r) }
    }

    fn call_i32(&self, name: &str, args: &[i32]) -> i32 {
        // SAFETY: a pure function.
        unsafe { WasmEdge_ValueGetI32(self.call(name, args, 1).unwrap()[0]) }
    }

    /// `len` bytes of the guest's memory at `at`.
    fn bytes(&self, at: i32, len: i32) -> Vec<u8> {
        (at..at + len)
            .map(|i| u8::try_from(self.call_i32("byte", &[i])).unwrap())
            .collect()
    }
}

impl Drop for Vm {
    fn drop(&mut self) {
        // SAFETY: the VM is live and deleted once; this runs the module's finalizer.
        unsafe { WasmEdge_VMDelete(self.0) };
    }
}

fn ok(r: WasmEdge_Result) {
    assert_eq!(r.Code, 0, "C API call failed with {:#x}", r.Code);
}

/// (category, code) of a result.
fn parts(r: WasmEdge_Result) -> (u32, u32) {
    // SAFETY: pure functions.
    unsafe { (WasmEdge_ResultGetCategory(r), WasmEdge_ResultGetCode(r)) }
}

#[test]
fn the_plugin_loads_and_lists_its_module() {
    load_plugin();
    // SAFETY: a valid string; the plug-in context lives as long as the process.
    let plugin = unsafe { WasmEdge_PluginFind(string(PLUGIN_NAME)) };
    assert!(!plugin.is_null(), "plug-in {PLUGIN_NAME} was not loaded");
    let mut names = [string(""); 4];
    // SAFETY: room for 4 names.
    let n = unsafe { WasmEdge_PluginListModule(plugin, names.as_mut_ptr(), 4) };
    assert_eq!(n, 1);
    // SAFETY: the name is borrowed from the live plug-in.
    let name =
        unsafe { std::slice::from_raw_parts(names[0].Buf.cast::<u8>(), names[0].Length as usize) };
    assert_eq!(name, MODULE_NAME.as_bytes());
    // SAFETY: a live plug-in and a valid name; the module is ours to delete.
    unsafe {
        let module = WasmEdge_PluginCreateModule(plugin, string(MODULE_NAME));
        assert!(!module.is_null());
        wasmedge::instance::WasmEdge_ModuleInstanceDelete(module);
        let none = WasmEdge_PluginCreateModule(plugin, string("no_such_module"));
        assert!(none.is_null());
    }
}

#[test]
fn add_adds_i32_with_wrapping() {
    let vm = Vm::new();
    assert_eq!(vm.call_i32("add", &[40, 2]), 42);
    assert_eq!(vm.call_i32("add", &[-1, -2]), -3);
    assert_eq!(vm.call_i32("add", &[i32::MAX, 1]), i32::MIN);
}

#[test]
fn counters_of_two_module_instances_count_independently() {
    let count = |vm: &Vm| {
        // SAFETY: a pure function.
        unsafe { WasmEdge_ValueGetI64(vm.call("counter", &[], 1).unwrap()[0]) }
    };
    let (a, b) = (Vm::new(), Vm::new());
    assert_eq!(count(&a), 1);
    assert_eq!(count(&a), 2);
    assert_eq!(count(&b), 1);
    assert_eq!(count(&a), 3);
    drop(a);
    assert_eq!(count(&b), 2, "deleting one instance leaves the other");
}

#[test]
fn greet_writes_into_guest_memory_and_checks_bounds() {
    let vm = Vm::new();
    assert_eq!(vm.call_i32("greet", &[100, 5]), 12);
    assert_eq!(vm.bytes(100, 12), b"hello, wedge");

    // "hello, " and a 2-byte name need 9 bytes, and 8 are left: nothing is written.
    let end = 65536 - 8;
    let err = vm.call("greet", &[end, 2], 1).unwrap_err();
    assert_eq!(parts(err), (0, MEMORY_OUT_OF_BOUNDS));
    assert_eq!(vm.bytes(end, 8), [0; 8]);
    // The name itself is out of bounds, or its length wraps.
    let err = vm.call("greet", &[70_000, 1], 1).unwrap_err();
    assert_eq!(parts(err), (0, MEMORY_OUT_OF_BOUNDS));
    let err = vm.call("greet", &[100, -1], 1).unwrap_err();
    assert_eq!(parts(err), (0, MEMORY_OUT_OF_BOUNDS));

    // The program option, set as the runtime's command line sets it.
    let plugin = wedge_plugin::PluginRegistry::global()
        .find(PLUGIN_NAME)
        .unwrap();
    let option = plugin
        .options()
        .iter()
        .find(|o| o.name() == "wedge-example-greeting")
        .unwrap();
    option.set(Some("hi")).unwrap();
    let fresh = Vm::new();
    assert_eq!(fresh.call_i32("greet", &[100, 5]), 9);
    assert_eq!(fresh.bytes(100, 9), b"hi, wedge");
    option.set(Some("hello")).unwrap();
}

#[test]
fn fail_returns_a_user_level_error_with_its_code() {
    let vm = Vm::new();
    let err = vm.call("fail", &[42], 0).unwrap_err();
    assert_eq!(parts(err), (1, 42));
    let err = vm.call("fail", &[0], 0).unwrap_err();
    assert_eq!(parts(err), (1, 0));
}

#[test]
fn terminate_stops_the_guest() {
    let vm = Vm::new();
    // WasmEdge's `Terminated` (category 0, code 1) ends the run; the guest's `7` is not returned.
    let r = vm.call("terminate", &[], 1).unwrap_err();
    assert_eq!(parts(r), (0, 1));
    assert_eq!(vm.call_i32("add", &[1, 1]), 2, "the VM runs on");
}
