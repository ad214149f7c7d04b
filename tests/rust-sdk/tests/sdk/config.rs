//! `ConfigBuilder`: proposals and their dependencies, the run mode, the memory page limit.

use std::collections::HashMap;

use wasmedge_sdk::config::{CommonConfigOptions, ConfigBuilder, RuntimeConfigOptions};
use wasmedge_sdk::vm::SyncInst;
use wasmedge_sdk::{Module, RunMode, Store, Vm, WasmVal, params};
use wedge_rust_sdk_tests::wasm;

fn config(options: CommonConfigOptions) -> wasmedge_sdk::config::Config {
    ConfigBuilder::new(options).build().unwrap()
}

#[test]
fn gc_keeps_its_dependencies_enabled() {
    // WasmEdge keeps FunctionReferences and ReferenceTypes on while GC is on.
    let c = config(
        CommonConfigOptions::default()
            .gc(true)
            .function_references(false)
            .reference_types(false),
    );
    assert!(c.gc_enabled() && c.function_references_enabled() && c.reference_types_enabled());

    let c = config(
        CommonConfigOptions::default()
            .gc(false)
            .function_references(false)
            .reference_types(false),
    );
    assert!(!c.gc_enabled() && !c.function_references_enabled() && !c.reference_types_enabled());
}

#[test]
fn disabled_proposals_reject_modules_that_use_them() {
    let externref = wasm(r#"(module (func (export "f") (param externref)))"#);
    assert!(Module::from_bytes(None, &externref).is_ok());
    let no_refs = config(
        CommonConfigOptions::default()
            .gc(false)
            .function_references(false)
            .reference_types(false),
    );
    assert!(Module::from_bytes(Some(&no_refs), &externref).is_err());

    let simd = wasm(r#"(module (func (export "f") (param v128)))"#);
    assert!(Module::from_bytes(None, &simd).is_ok());
    let no_simd = config(CommonConfigOptions::default().simd(false));
    assert!(!no_simd.simd_enabled());
    assert!(Module::from_bytes(Some(&no_simd), &simd).is_err());
}

#[test]
fn the_interpreter_run_mode_runs_modules() {
    let c = config(CommonConfigOptions::default().run_mode(RunMode::Interpreter));
    assert_eq!(c.run_mode(), RunMode::Interpreter);
    #[allow(
        deprecated,
        reason = "WasmEdge_ConfigureIsForceInterpreter is what it calls"
    )]
    let interpreter = c.interpreter_mode_enabled();
    assert!(interpreter);
    let store = Store::new(Some(&c), HashMap::<String, &mut dyn SyncInst>::new()).unwrap();
    let mut vm = Vm::new(store);
    let fib = Module::from_file(Some(&c), wedge_rust_sdk_tests::data("fibonacci.wat")).unwrap();
    vm.register_module(None, fib).unwrap();
    assert_eq!(
        vm.run_func(None, "fib", params!(15i32)).unwrap()[0].to_i32(),
        987
    );
}

#[test]
fn the_memory_page_limit_caps_growth() {
    let c = ConfigBuilder::new(CommonConfigOptions::default())
        .with_runtime_config(RuntimeConfigOptions::default().max_memory_pages(3))
        .build()
        .unwrap();
    assert_eq!(c.max_memory_pages(), 3);
    let store = Store::new(Some(&c), HashMap::<String, &mut dyn SyncInst>::new()).unwrap();
    let mut vm = Vm::new(store);
    let m = Module::from_bytes(
        Some(&c),
        wasm(
            r#"(module (memory 1)
              (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"#,
        ),
    )
    .unwrap();
    vm.register_module(None, m).unwrap();
    assert_eq!(
        vm.run_func(None, "grow", params!(2i32)).unwrap()[0].to_i32(),
        1
    );
    assert_eq!(
        vm.run_func(None, "grow", params!(1i32)).unwrap()[0].to_i32(),
        -1
    );

    let too_big = Module::from_bytes(Some(&c), wasm(r#"(module (memory 4))"#)).unwrap();
    assert!(vm.register_module(Some("big"), too_big).is_err());
}

#[test]
fn the_jit_run_mode_runs_modules_with_host_calls() {
    let c = config(CommonConfigOptions::default().run_mode(RunMode::Jit));
    assert_eq!(c.run_mode(), RunMode::Jit);
    let store = Store::new(Some(&c), HashMap::<String, &mut dyn SyncInst>::new()).unwrap();
    let mut vm = Vm::new(store);
    let fib = Module::from_file(Some(&c), wedge_rust_sdk_tests::data("fibonacci.wat")).unwrap();
    vm.register_module(Some("fib"), fib).unwrap();
    assert_eq!(
        vm.run_func(Some("fib"), "fib", params!(20i32)).unwrap()[0].to_i32(),
        10946
    );
    let err = vm.run_func(Some("fib"), "fib", params!(1i64)).unwrap_err();
    assert_eq!(
        err,
        Box::new(wasmedge_sdk::error::WasmEdgeError::Core(
            wasmedge_sdk::error::CoreError::Execution(
                wasmedge_sdk::error::CoreExecutionError::FuncSigMismatch
            )
        ))
    );
}
