//! Loading modules from bytes and files, listing imports and exports, running exports by name.

use wasmedge_sdk::error::{
    CoreError, CoreExecutionError, CoreInstantiationError, CoreLoadError, CoreValidationError,
    InstanceError, VmError, WasmEdgeError,
};
use wasmedge_sdk::{AsInstance, ExternalInstanceType, Module, ValType, WasmVal, WasmValue, params};
use wedge_rust_sdk_tests::{data, empty_vm, module, vm_with, wasi_program, wasm};

use crate::core;

const FIB: &str = r#"(module
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_s (local.get $n) (i32.const 2))
      (then (i32.const 1))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2))))))))"#;

#[test]
fn fib_from_bytes_runs_as_the_active_module() {
    let mut vm = vm_with(FIB);
    let out = vm.run_func(None, "fib", params!(10i32)).unwrap();
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].to_i32(), 89);
    assert_eq!(
        vm.run_func(None, "fib", params!(20i32)).unwrap()[0].to_i32(),
        10946
    );
}

#[test]
fn named_modules_are_found_by_name() {
    let mut vm = empty_vm();
    vm.register_module(Some("math"), module(FIB)).unwrap();
    assert!(vm.contains_module("math"));
    assert!(!vm.contains_module("other"));
    assert_eq!(vm.named_instance_count(), 1);
    assert_eq!(vm.instance_names(), vec!["math".to_string()]);
    assert_eq!(
        vm.run_func(Some("math"), "fib", params!(5i32)).unwrap()[0].to_i32(),
        8
    );
    assert!(vm.active_module().is_none());

    let err = vm
        .run_func(Some("other"), "fib", params!(5i32))
        .unwrap_err();
    assert_eq!(
        err,
        Box::new(WasmEdgeError::Vm(VmError::NotFoundModule("other".into())))
    );
    let err = vm.run_func(None, "fib", params!(5i32)).unwrap_err();
    assert_eq!(
        err,
        Box::new(WasmEdgeError::Vm(VmError::NotFoundActiveModule))
    );
}

#[test]
fn a_module_imports_a_registered_named_module() {
    let mut vm = empty_vm();
    vm.register_module(Some("math"), module(FIB)).unwrap();
    let user = module(
        r#"(module
          (import "math" "fib" (func $fib (param i32) (result i32)))
          (func (export "fib_plus_one") (param i32) (result i32)
            (i32.add (call $fib (local.get 0)) (i32.const 1))))"#,
    );
    vm.register_module(None, user).unwrap();
    assert_eq!(
        vm.run_func(None, "fib_plus_one", params!(10i32)).unwrap()[0].to_i32(),
        90
    );
}

#[test]
fn wat_and_wasm_files_load_with_from_file() {
    let mut vm = empty_vm();
    let fib = Module::from_file(None, data("fibonacci.wat")).unwrap();
    vm.register_module(None, fib).unwrap();
    assert_eq!(
        vm.run_func(None, "fib", params!(10i32)).unwrap()[0].to_i32(),
        89
    );

    // A C program built for wasm32-wasi, from its .wasm file.
    let exit = Module::from_file(None, wasi_program("exit")).unwrap();
    let imports = exit.imports();
    assert!(
        imports
            .iter()
            .all(|i| i.module_name() == "wasi_snapshot_preview1")
    );
    assert!(
        imports.iter().any(|i| i.name() == "proc_exit"),
        "proc_exit is imported"
    );
    let exports: Vec<String> = exit
        .exports()
        .iter()
        .map(|e| e.name().into_owned())
        .collect();
    assert!(exports.contains(&"_start".to_string()), "{exports:?}");
    assert!(exports.contains(&"memory".to_string()), "{exports:?}");
}

#[test]
fn exports_are_listed_by_their_exact_names_and_types() {
    let m = module(
        r#"(module
          (func (export "fib") (param i32) (result i32) (local.get 0))
          (func (export "a-much-longer-function-name") (param i64 f32) (result f64 i32)
            (f64.const 1) (i32.const 2))
          (func (export "héllo"))
          (memory (export "mem") 1 3)
          (global (export "g") (mut i64) (i64.const 7))
          (table (export "tab") 2 funcref))"#,
    );
    assert_eq!(m.count_of_exports(), 6);
    let mut names: Vec<String> = m.exports().iter().map(|e| e.name().into_owned()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "a-much-longer-function-name",
            "fib",
            "g",
            "héllo",
            "mem",
            "tab"
        ]
    );

    match m.get_export("a-much-longer-function-name") {
        Some(ExternalInstanceType::Func(ty)) => {
            assert_eq!(ty.args(), &[ValType::I64, ValType::F32]);
            assert_eq!(ty.returns(), &[ValType::F64, ValType::I32]);
        }
        other => panic!("{other:?}"),
    }
    match m.get_export("mem") {
        Some(ExternalInstanceType::Memory(ty)) => {
            assert_eq!((ty.minimum(), ty.maximum()), (1, Some(3)));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        m.get_export("g"),
        Some(ExternalInstanceType::Global(_))
    ));
    assert!(matches!(
        m.get_export("tab"),
        Some(ExternalInstanceType::Table(_))
    ));
    assert!(m.get_export("fi").is_none());
    assert!(m.get_export("fibs").is_none());

    // The same names through the instance.
    let mut vm = empty_vm();
    vm.register_module(None, m).unwrap();
    let inst = vm.active_module().unwrap();
    let mut funcs = inst.func_names().unwrap();
    funcs.sort();
    assert_eq!(funcs, ["a-much-longer-function-name", "fib", "héllo"]);
    assert_eq!(inst.func_len(), 3);
    assert_eq!(inst.mem_names().unwrap(), ["mem"]);
    assert_eq!(inst.global_names().unwrap(), ["g"]);
    assert_eq!(inst.table_names().unwrap(), ["tab"]);
    assert!(inst.get_func("fib").is_ok());
    assert!(inst.get_func("héllo").is_ok());
    let out = vm
        .run_func(None, "a-much-longer-function-name", params!(1i64, 2.0f32))
        .unwrap();
    assert_eq!((out[0].to_f64(), out[1].to_i32()), (1.0, 2));
}

#[test]
fn imports_are_listed_with_module_and_name() {
    let m = module(
        r#"(module
          (import "env" "log" (func (param i32)))
          (import "env" "memory" (memory 1))
          (import "other" "counter" (global (mut i32))))"#,
    );
    assert_eq!(m.count_of_imports(), 3);
    let imports: Vec<(String, String)> = m
        .imports()
        .iter()
        .map(|i| (i.module_name().into_owned(), i.name().into_owned()))
        .collect();
    assert_eq!(
        imports,
        [
            ("env".to_string(), "log".to_string()),
            ("env".to_string(), "memory".to_string()),
            ("other".to_string(), "counter".to_string())
        ]
    );
    assert!(matches!(
        m.imports()[0].ty(),
        Ok(ExternalInstanceType::Func(_))
    ));
    assert!(matches!(
        m.imports()[1].ty(),
        Ok(ExternalInstanceType::Memory(_))
    ));
    assert!(matches!(
        m.imports()[2].ty(),
        Ok(ExternalInstanceType::Global(_))
    ));
}

#[test]
fn bad_modules_give_load_and_validation_errors() {
    let err = Module::from_bytes(None, b"(module)").unwrap_err();
    assert_eq!(err, core(CoreError::Load(CoreLoadError::MalformedMagic)));
    let err = Module::from_bytes(None, []).unwrap_err();
    assert_eq!(err, core(CoreError::Load(CoreLoadError::UnexpectedEnd)));
    let err = Module::from_bytes(None, b"\0asm\x02\0\0\0").unwrap_err();
    assert_eq!(err, core(CoreError::Load(CoreLoadError::MalformedVersion)));
    let err = Module::from_file(None, "no/such/file.wasm").unwrap_err();
    assert_eq!(err, core(CoreError::Load(CoreLoadError::IllegalPath)));

    // (func (result i32) (i64.const 0)): loads, fails validation.
    let bad = wasm(r#"(module (func (result i32) (i64.const 0)))"#);
    let err = Module::from_bytes(None, bad).unwrap_err();
    assert_eq!(
        err,
        core(CoreError::Validation(CoreValidationError::TypeCheckFailed))
    );
}

#[test]
fn a_missing_import_fails_instantiation() {
    let m = module(r#"(module (import "nowhere" "f" (func)))"#);
    let mut vm = empty_vm();
    let Err(err) = vm.register_module(None, m) else {
        panic!("instantiated")
    };
    assert_eq!(
        err,
        core(CoreError::Instantiation(
            CoreInstantiationError::UnknownImport
        ))
    );
}

#[test]
fn calls_are_checked_against_the_signature() {
    let mut vm = vm_with(FIB);
    let err = vm.run_func(None, "nope", params!(1i32)).unwrap_err();
    assert_eq!(
        err,
        Box::new(WasmEdgeError::Instance(InstanceError::NotFoundFunc(
            "nope".into()
        )))
    );
    let err = vm.run_func(None, "fib", params!(1i64)).unwrap_err();
    assert_eq!(
        err,
        core(CoreError::Execution(CoreExecutionError::FuncSigMismatch))
    );
    let err = vm.run_func(None, "fib", params!()).unwrap_err();
    assert_eq!(
        err,
        core(CoreError::Execution(CoreExecutionError::FuncSigMismatch))
    );
    // The VM is fine afterwards.
    assert_eq!(
        vm.run_func(None, "fib", params!(3i32)).unwrap()[0].to_i32(),
        3
    );
}

#[test]
fn every_value_type_crosses_the_api() {
    let mut vm = vm_with(
        r#"(module
          (func (export "swap") (param i32 i64 f32 f64) (result f64 f32 i64 i32)
            (local.get 3) (local.get 2) (local.get 1) (local.get 0))
          (func (export "v128") (param v128) (result v128)
            (i32x4.add (local.get 0) (v128.const i32x4 1 1 1 1))))"#,
    );
    let out = vm
        .run_func(None, "swap", params!(-7i32, i64::MIN, 1.5f32, -0.25f64))
        .unwrap();
    assert_eq!(out[0].to_f64(), -0.25);
    assert_eq!(out[1].to_f32(), 1.5);
    assert_eq!(out[2].to_i64(), i64::MIN);
    assert_eq!(out[3].to_i32(), -7);

    let out = vm
        .run_func(
            None,
            "v128",
            [WasmValue::from_v128(0x3_00000002_00000001_00000000)],
        )
        .unwrap();
    assert_eq!(out[0].to_v128(), 0x4_00000003_00000002_00000001);
}
