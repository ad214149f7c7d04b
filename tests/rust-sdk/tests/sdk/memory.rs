//! The host reads and writes a guest's exported memory and globals.

use wasmedge_sdk::error::{CoreError, CoreExecutionError, GlobalError, WasmEdgeError};
use wasmedge_sdk::{AsInstance, Mutability, ValType, WasmVal, WasmValue, params};
use wedge_rust_sdk_tests::vm_with;

use crate::core;

const GUEST: &str = r#"(module
  (memory (export "memory") 1 4)
  (data (i32.const 16) "guest data")
  (global (export "counter") (mut i32) (i32.const 5))
  (global (export "limit") f64 (f64.const 2.5))
  (func (export "sum") (param i32 i32) (result i32)
    (local $s i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get 1)))
        (local.set $s (i32.add (local.get $s) (i32.load8_u (local.get 0))))
        (local.set 0 (i32.add (local.get 0) (i32.const 1)))
        (local.set 1 (i32.sub (local.get 1) (i32.const 1)))
        (br $next)))
    (local.get $s))
  (func (export "pages") (result i32) (memory.size))
  (func (export "bump") (result i32)
    (global.set 0 (i32.add (global.get 0) (i32.const 1)))
    (global.get 0)))"#;

#[test]
fn the_host_reads_writes_and_grows_guest_memory() {
    let mut vm = vm_with(GUEST);
    {
        let inst = vm.active_module_mut().unwrap();
        let mut memory = inst.get_memory_mut("memory").unwrap();
        assert_eq!(memory.size(), 1);
        assert_eq!(memory.get_data(16, 10).unwrap(), b"guest data");
        memory.set_data([1u8, 2, 3, 250], 65532).unwrap();
        let ty = memory.ty().unwrap();
        assert_eq!((ty.minimum(), ty.maximum()), (1, Some(4)));

        let err = memory.get_data(65535, 2).unwrap_err();
        assert_eq!(
            err,
            core(CoreError::Execution(CoreExecutionError::MemoryOutOfBounds))
        );
        let err = memory.set_data([0u8; 8], 65530).unwrap_err();
        assert_eq!(
            err,
            core(CoreError::Execution(CoreExecutionError::MemoryOutOfBounds))
        );

        memory.grow(2).unwrap();
        assert_eq!(memory.size(), 3);
        assert!(memory.grow(2).is_err(), "past the maximum of 4 pages");
        assert_eq!(memory.size(), 3);
        memory.set_data(b"far", 3 * 65536 - 3).unwrap();
    }
    assert_eq!(
        vm.run_func(None, "sum", params!(65532i32, 4i32)).unwrap()[0].to_i32(),
        256
    );
    assert_eq!(
        vm.run_func(None, "pages", params!()).unwrap()[0].to_i32(),
        3
    );
    let far = 3 * 65536 - 3;
    let expected = (b'f' + b'a') as i32 + b'r' as i32;
    assert_eq!(
        vm.run_func(None, "sum", params!(far, 3i32)).unwrap()[0].to_i32(),
        expected
    );
}

#[test]
fn the_host_reads_and_sets_guest_globals() {
    let mut vm = vm_with(GUEST);
    assert_eq!(vm.run_func(None, "bump", params!()).unwrap()[0].to_i32(), 6);
    {
        let inst = vm.active_module_mut().unwrap();
        let mut counter = inst.get_global_mut("counter").unwrap();
        assert_eq!(counter.get_value().to_i32(), 6);
        let ty = counter.ty().unwrap();
        assert_eq!(
            (ty.value_ty(), ty.mutability()),
            (ValType::I32, Mutability::Var)
        );
        counter.set_value(WasmValue::from_i32(100)).unwrap();
        assert_eq!(
            counter.set_value(WasmValue::from_i64(1)).unwrap_err(),
            Box::new(WasmEdgeError::Global(GlobalError::UnmatchedValType))
        );

        let mut limit = inst.get_global_mut("limit").unwrap();
        assert_eq!(limit.get_value().to_f64(), 2.5);
        let err = limit.set_value(WasmValue::from_f64(1.0)).unwrap_err();
        assert_eq!(
            err,
            Box::new(WasmEdgeError::Global(GlobalError::ModifyConst))
        );
    }
    assert_eq!(
        vm.run_func(None, "bump", params!()).unwrap()[0].to_i32(),
        101
    );
}
