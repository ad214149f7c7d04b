//! Traps come back as the SDK's typed errors, and the VM keeps working after each.

use wasmedge_sdk::error::{CoreError, CoreExecutionError};
use wasmedge_sdk::{WasmVal, params};
use wedge_rust_sdk_tests::vm_with;

use crate::core;

const GUEST: &str = r#"(module
  (type $v (func))
  (type $i (func (result i32)))
  (memory 1)
  (table 3 funcref)
  (elem (i32.const 0) $ok)
  (func $ok (result i32) (i32.const 42))
  (func (export "ok") (result i32) (call $ok))
  (func (export "unreachable") (unreachable))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "rem") (param i64 i64) (result i64) (i64.rem_u (local.get 0) (local.get 1)))
  (func (export "trunc") (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "store") (param i32) (i64.store (local.get 0) (i64.const -1)))
  (func (export "call") (param i32) (result i32) (call_indirect (type $i) (local.get 0)))
  (func (export "call_wrong_type") (call_indirect (type $v) (i32.const 0))))"#;

fn execution(e: CoreExecutionError) -> Box<wasmedge_sdk::error::WasmEdgeError> {
    core(CoreError::Execution(e))
}

#[test]
fn traps_are_typed_errors() {
    use CoreExecutionError::*;
    let mut vm = vm_with(GUEST);
    let ok = |vm: &mut wasmedge_sdk::Vm<'_, dyn wasmedge_sdk::vm::SyncInst>| {
        assert_eq!(vm.run_func(None, "ok", params!()).unwrap()[0].to_i32(), 42);
    };

    assert_eq!(
        vm.run_func(None, "unreachable", params!()).unwrap_err(),
        execution(Unreachable)
    );
    ok(&mut vm);
    assert_eq!(
        vm.run_func(None, "div", params!(1i32, 0i32)).unwrap_err(),
        execution(DivideByZero)
    );
    ok(&mut vm);
    assert_eq!(
        vm.run_func(None, "div", params!(i32::MIN, -1i32))
            .unwrap_err(),
        execution(IntegerOverflow)
    );
    assert_eq!(
        vm.run_func(None, "div", params!(-9i32, 2i32)).unwrap()[0].to_i32(),
        -4
    );
    assert_eq!(
        vm.run_func(None, "rem", params!(5i64, 0i64)).unwrap_err(),
        execution(DivideByZero)
    );
    assert_eq!(
        vm.run_func(None, "trunc", params!(f32::NAN)).unwrap_err(),
        execution(InvalidConvToInt)
    );
    assert_eq!(
        vm.run_func(None, "trunc", params!(3e9f32)).unwrap_err(),
        execution(IntegerOverflow)
    );
    ok(&mut vm);
    assert_eq!(
        vm.run_func(None, "load", params!(65533i32)).unwrap_err(),
        execution(MemoryOutOfBounds)
    );
    assert_eq!(
        vm.run_func(None, "load", params!(65532i32)).unwrap()[0].to_i32(),
        0
    );
    assert_eq!(
        vm.run_func(None, "store", params!(65529i32)).unwrap_err(),
        execution(MemoryOutOfBounds)
    );
    ok(&mut vm);
    assert_eq!(
        vm.run_func(None, "call", params!(0i32)).unwrap()[0].to_i32(),
        42
    );
    assert_eq!(
        vm.run_func(None, "call", params!(1i32)).unwrap_err(),
        execution(UninitializedElement)
    );
    assert_eq!(
        vm.run_func(None, "call", params!(3i32)).unwrap_err(),
        execution(UndefinedElement)
    );
    assert_eq!(
        vm.run_func(None, "call_wrong_type", params!()).unwrap_err(),
        execution(IndirectCallTypeMismatch)
    );
    ok(&mut vm);
}

#[test]
fn a_trap_in_a_start_function_fails_registration() {
    let mut vm = wedge_rust_sdk_tests::empty_vm();
    let m = wedge_rust_sdk_tests::module(r#"(module (func $s (unreachable)) (start $s))"#);
    let Err(err) = vm.register_module(None, m) else {
        panic!("instantiated")
    };
    assert_eq!(err, execution(CoreExecutionError::Unreachable));
}
