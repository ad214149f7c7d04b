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
