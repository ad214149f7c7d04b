//! The plug-in manager: default paths, the built-in `wasi_logging`, and a plug-in from the
//! prefix's plug-in directory (scripts/rust-sdk.sh installs Wedge's example plug-in,
//! `libwedge_plugin_example.so`, into PREFIX/plugin, where WasmEdge looks by default).

use std::collections::HashMap;

use wasmedge_sdk::plugin::PluginManager;
use wasmedge_sdk::vm::SyncInst;
use wasmedge_sdk::{AsInstance, Store, Vm, WasmVal, params};
use wedge_rust_sdk_tests::module;

#[test]
fn default_paths_give_the_builtin_wasi_logging() {
    PluginManager::load(None).unwrap();
    let names = PluginManager::names();
    assert_eq!(PluginManager::count() as usize, names.len());
    assert!(names.iter().any(|n| n == "wasi_logging"), "{names:?}");
    let logging = PluginManager::find("wasi_logging").unwrap();
    assert_eq!(logging.name(), "wasi_logging");
    assert_eq!(logging.mod_names(), ["wasi:logging/logging"]);
    assert!(PluginManager::find("no_such_plugin").is_err());
}

#[test]
fn a_plugin_from_the_default_directory_serves_a_guest() {
    PluginManager::load(None).unwrap();
    let names = PluginManager::names();
    assert!(
        names.iter().any(|n| n == "wedge_example"),
        "wedge_example is not among {names:?}: install libwedge_plugin_example.so into \
         PREFIX/plugin (scripts/rust-sdk.sh does)"
    );
    let plugin = PluginManager::find("wedge_example").unwrap();
    assert_eq!(plugin.mod_count(), 1);
    assert_eq!(plugin.mod_names(), ["wedge_example"]);

    let mut example =
        PluginManager::create_plugin_instance("wedge_example", "wedge_example").unwrap();
    assert_eq!(example.name().as_deref(), Some("wedge_example"));
    let mut funcs = example.func_names().unwrap();
    funcs.sort();
    assert_eq!(funcs, ["add", "counter", "fail", "greet", "terminate"]);

    let mut instances: HashMap<String, &mut dyn SyncInst> = HashMap::new();
    instances.insert("wedge_example".into(), &mut example);
    let mut vm = Vm::new(Store::new(None, instances).unwrap());
    vm.register_module(
        None,
        module(
            r#"(module
              (import "wedge_example" "add" (func $add (param i32 i32) (result i32)))
              (import "wedge_example" "counter" (func $counter (result i64)))
              (func (export "add") (param i32 i32) (result i32) (call $add (local.get 0) (local.get 1)))
              (func (export "counter") (result i64) (call $counter)))"#,
        ),
    )
    .unwrap();
    assert_eq!(
        vm.run_func(None, "add", params!(40i32, 2i32)).unwrap()[0].to_i32(),
        42
    );
    assert_eq!(
        vm.run_func(None, "add", params!(i32::MAX, 1i32)).unwrap()[0].to_i32(),
        i32::MIN
    );
    assert_eq!(
        vm.run_func(None, "counter", params!()).unwrap()[0].to_i64(),
        1
    );
    assert_eq!(
        vm.run_func(None, "counter", params!()).unwrap()[0].to_i64(),
        2
    );
}

/// Wedge's own plug-ins, installed into the default directory by `scripts/install-capi.sh`, serve
/// a guest run by WasmEdge's Rust SDK: `wasmedge_process` with the allow list the SDK sets through
/// `WasmEdge_ModuleInstanceInitWasmEdgeProcess`, and `wasmedge_zlib`'s `crc32`.
#[test]
fn installed_wedge_plugins_serve_a_guest_of_the_sdk() {
    PluginManager::load(None).unwrap();
    let names = PluginManager::names();
    for name in ["wasmedge_process", "wasmedge_zlib"] {
        assert!(
            names.iter().any(|n| n == name),
            "{name} is not among {names:?}: scripts/install-capi.sh installs it"
        );
    }
    PluginManager::init_wasmedge_process(Some(vec!["echo"]), false);
    let mut process =
        PluginManager::create_plugin_instance("wasmedge_process", "wasmedge_process").unwrap();
    let mut zlib = PluginManager::create_plugin_instance("wasmedge_zlib", "wasmedge_zlib").unwrap();
    let mut instances: HashMap<String, &mut dyn SyncInst> = HashMap::new();
    instances.insert("wasmedge_process".into(), &mut process);
    instances.insert("wasmedge_zlib".into(), &mut zlib);
    let mut vm = Vm::new(Store::new(None, instances).unwrap());
    vm.register_module(
        None,
        module(
            r#"(module
              (import "wasmedge_process" "wasmedge_process_set_prog_name" (func $prog (param i32 i32)))
              (import "wasmedge_process" "wasmedge_process_add_arg" (func $arg (param i32 i32)))
              (import "wasmedge_process" "wasmedge_process_run" (func $run (result i32)))
              (import "wasmedge_process" "wasmedge_process_get_stdout_len" (func $len (result i32)))
              (import "wasmedge_process" "wasmedge_process_get_stdout" (func $out (param i32)))
              (import "wasmedge_zlib" "crc32" (func $crc32 (param i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (data (i32.const 0) "echo")
              (data (i32.const 8) "hello")
              (data (i32.const 16) "123456789")
              (data (i32.const 32) "ls")
              ;; Runs `echo hello`; returns run's result * 1000 + the output's length, and leaves
              ;; the output at 64.
              (func (export "echo") (result i32)
                (call $prog (i32.const 0) (i32.const 4))
                (call $arg (i32.const 8) (i32.const 5))
                (i32.add (i32.mul (call $run) (i32.const 1000))
                         (call $len))
                (call $out (i32.const 64)))
              (func (export "byte") (param i32) (result i32) (i32.load8_u (local.get 0)))
              (func (export "ls") (result i32)
                (call $prog (i32.const 32) (i32.const 2))
                (call $run))
              (func (export "crc") (result i32)
                (call $crc32 (i32.const 0) (i32.const 16) (i32.const 9))))"#,
        ),
    )
    .unwrap();
    let mut run = |name: &str, args| vm.run_func(None, name, args).unwrap()[0].to_i32();
    assert_eq!(run("echo", params!()), 6, "echo hello: exit 0, 6 bytes");
    assert_eq!(run("byte", params!(64i32)), i32::from(b'h'));
    assert_eq!(run("ls", params!()), -1, "ls is not in the allow list");
    assert_eq!(run("crc", params!()) as u32, 0xCBF4_3926, "crc32 of 123456789");
}
