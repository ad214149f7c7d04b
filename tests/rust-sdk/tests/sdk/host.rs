//! Host functions: state, arguments and results, errors that become traps, guest memory.

use std::collections::HashMap;

use wasmedge_sdk::error::{CoreCommonError, CoreError, CoreExecutionError};
use wasmedge_sdk::vm::SyncInst;
use wasmedge_sdk::{
    AsInstance, CallingFrame, FuncType, ImportObjectBuilder, Instance, Store, ValType, Vm, WasmVal,
    WasmValue, params,
};
use wedge_rust_sdk_tests::module;

use crate::core;

#[derive(Default)]
struct Tally {
    calls: u32,
    seen: Vec<i64>,
}

fn record(
    tally: &mut Tally,
    _inst: &mut Instance,
    _frame: &mut CallingFrame,
    args: Vec<WasmValue>,
) -> Result<Vec<WasmValue>, CoreError> {
    tally.calls += 1;
    tally.seen.push(args[0].to_i64());
    Ok(vec![WasmValue::from_i32(tally.calls as i32)])
}

fn mix(
    _: &mut Tally,
    _inst: &mut Instance,
    _frame: &mut CallingFrame,
    args: Vec<WasmValue>,
) -> Result<Vec<WasmValue>, CoreError> {
    let (a, b) = (args[0].to_f64(), args[1].to_f32());
    Ok(vec![
        WasmValue::from_f64(a * 2.0),
        WasmValue::from_f32(b + 1.0),
    ])
}

fn fail(
    _: &mut Tally,
    _inst: &mut Instance,
    _frame: &mut CallingFrame,
    _args: Vec<WasmValue>,
) -> Result<Vec<WasmValue>, CoreError> {
    Err(CoreError::Execution(CoreExecutionError::HostFuncFailed))
}

fn stop(
    tally: &mut Tally,
    _inst: &mut Instance,
    _frame: &mut CallingFrame,
    _args: Vec<WasmValue>,
) -> Result<Vec<WasmValue>, CoreError> {
    tally.calls += 100;
    Err(CoreError::Common(CoreCommonError::Terminated))
}

const GUEST: &str = r#"(module
  (import "host" "record" (func $record (param i64) (result i32)))
  (import "host" "mix" (func $mix (param f64 f32) (result f64 f32)))
  (import "host" "fail" (func $fail))
  (import "host" "stop" (func $stop))
  (func (export "record_twice") (param i64) (result i32)
    (drop (call $record (local.get 0)))
    (call $record (i64.add (local.get 0) (i64.const 1))))
  (func (export "mix") (param f64 f32) (result f64 f32)
    (call $mix (local.get 0) (local.get 1)))
  (func (export "fail") (result i32)
    (call $fail)
    (i32.const 1))
  (func (export "stop")
    (call $stop)
    (unreachable)))"#;

fn host_object() -> wasmedge_sdk::ImportObject<Tally> {
    let mut builder = ImportObjectBuilder::new("host", Tally::default()).unwrap();
    builder.with_func::<i64, i32>("record", record).unwrap();
    builder
        .with_func_by_type(
            "mix",
            FuncType::new(
                vec![ValType::F64, ValType::F32],
                vec![ValType::F64, ValType::F32],
            ),
            mix,
        )
        .unwrap();
    builder.with_func::<(), ()>("fail", fail).unwrap();
    builder.with_func::<(), ()>("stop", stop).unwrap();
    builder.build()
}

#[test]
fn host_functions_get_arguments_and_keep_their_state() {
    let mut host = host_object();
    assert_eq!(host.name().as_deref(), Some("host"));
    {
        let mut instances: HashMap<String, &mut dyn SyncInst> = HashMap::new();
        instances.insert("host".into(), &mut host);
        let mut vm = Vm::new(Store::new(None, instances).unwrap());
        vm.register_module(None, module(GUEST)).unwrap();

        assert_eq!(
            vm.run_func(None, "record_twice", params!(40i64)).unwrap()[0].to_i32(),
            2
        );
        assert_eq!(
            vm.run_func(None, "record_twice", params!(-5i64)).unwrap()[0].to_i32(),
            4
        );
        let out = vm.run_func(None, "mix", params!(1.25f64, 2.5f32)).unwrap();
        assert_eq!((out[0].to_f64(), out[1].to_f32()), (2.5, 3.5));
    }
    let tally = host.get_host_data();
    assert_eq!(tally.calls, 4);
    assert_eq!(tally.seen, [40, 41, -5, -4]);
}

#[test]
fn a_failing_host_function_is_a_typed_trap() {
    let mut host = host_object();
    let mut instances: HashMap<String, &mut dyn SyncInst> = HashMap::new();
    instances.insert("host".into(), &mut host);
    let mut vm = Vm::new(Store::new(None, instances).unwrap());
    vm.register_module(None, module(GUEST)).unwrap();

    let err = vm.run_func(None, "fail", params!()).unwrap_err();
    assert_eq!(
        err,
        core(CoreError::Execution(CoreExecutionError::HostFuncFailed))
    );
    // Nothing is left behind: the next calls work.
    assert_eq!(
        vm.run_func(None, "record_twice", params!(1i64)).unwrap()[0].to_i32(),
        2
    );
    let err = vm.run_func(None, "fail", params!()).unwrap_err();
    assert_eq!(
        err,
        core(CoreError::Execution(CoreExecutionError::HostFuncFailed))
    );
}

#[test]
fn a_host_function_can_terminate_the_guest() {
    // WasmEdge_ResultOK counts "terminated" as success, so the SDK returns Ok: the guest
    // stopped, the `unreachable` after the call never ran.
    let mut host = host_object();
    {
        let mut instances: HashMap<String, &mut dyn SyncInst> = HashMap::new();
        instances.insert("host".into(), &mut host);
        let mut vm = Vm::new(Store::new(None, instances).unwrap());
        vm.register_module(None, module(GUEST)).unwrap();
        assert!(vm.run_func(None, "stop", params!()).unwrap().is_empty());
        assert_eq!(
            vm.run_func(None, "record_twice", params!(1i64)).unwrap()[0].to_i32(),
            102
        );
    }
    assert_eq!(host.get_host_data().calls, 102);
}

/// `shout(ptr, len)`: upper-cases the guest's bytes in place, returns how many it changed.
fn shout(
    _: &mut (),
    _inst: &mut Instance,
    frame: &mut CallingFrame,
    args: Vec<WasmValue>,
) -> Result<Vec<WasmValue>, CoreError> {
    let (ptr, len) = (args[0].to_i32() as u32, args[1].to_i32() as u32);
    let mut memory = frame
        .memory_mut(0)
        .ok_or(CoreError::Execution(CoreExecutionError::HostFuncFailed))?;
    let bytes = memory.get_data(ptr, len).map_err(|e| match *e {
        wasmedge_sdk::error::WasmEdgeError::Core(c) => c,
        _ => CoreError::Execution(CoreExecutionError::HostFuncFailed),
    })?;
    let changed = bytes.iter().filter(|b| b.is_ascii_lowercase()).count();
    memory
        .set_data(bytes.to_ascii_uppercase(), ptr)
        .map_err(|_| CoreError::Execution(CoreExecutionError::HostFuncFailed))?;
    Ok(vec![WasmValue::from_i32(changed as i32)])
}

#[test]
fn a_host_function_reads_and_writes_guest_memory() {
    let mut builder = ImportObjectBuilder::new("env", ()).unwrap();
    builder
        .with_func::<(i32, i32), i32>("shout", shout)
        .unwrap();
    let mut env = builder.build();
    let mut instances: HashMap<String, &mut dyn SyncInst> = HashMap::new();
    instances.insert("env".into(), &mut env);
    let mut vm = Vm::new(Store::new(None, instances).unwrap());
    vm.register_module(
        None,
        module(
            r#"(module
              (import "env" "shout" (func $shout (param i32 i32) (result i32)))
              (memory (export "memory") 1)
              (data (i32.const 100) "hello, Wedge!")
              (func (export "run") (param i32 i32) (result i32)
                (call $shout (local.get 0) (local.get 1)))
              (func (export "byte") (param i32) (result i32)
                (i32.load8_u (local.get 0))))"#,
        ),
    )
    .unwrap();

    assert_eq!(
        vm.run_func(None, "run", params!(100i32, 13i32)).unwrap()[0].to_i32(),
        9
    );
    // The guest sees the host's writes, and so does the host through the export.
    assert_eq!(
        vm.run_func(None, "byte", params!(101i32)).unwrap()[0].to_i32(),
        b'E' as i32
    );
    let inst = vm.active_module().unwrap();
    let memory = inst.get_memory_ref("memory").unwrap();
    assert_eq!(memory.get_data(100, 13).unwrap(), b"HELLO, WEDGE!");

    // Out of bounds inside the host function: the host passes the error on as the trap.
    let err = vm
        .run_func(None, "run", params!(65530i32, 10i32))
        .unwrap_err();
    assert_eq!(
        err,
        core(CoreError::Execution(CoreExecutionError::MemoryOutOfBounds))
    );
    assert_eq!(
        vm.run_func(None, "byte", params!(100i32)).unwrap()[0].to_i32(),
        b'H' as i32
    );
}

fn double(
    _: &mut (),
    _inst: &mut Instance,
    _frame: &mut CallingFrame,
    args: Vec<WasmValue>,
) -> Result<Vec<WasmValue>, CoreError> {
    Ok(vec![WasmValue::from_i32(args[0].to_i32() * 2)])
}

#[test]
fn a_host_function_runs_without_a_guest() {
    // An import object's function called straight through an executor, the object registered
    // nowhere (wasmedge-sys's own test_func_basic does the same).
    let mut builder = ImportObjectBuilder::new("env", ()).unwrap();
    builder.with_func::<i32, i32>("double", double).unwrap();
    let mut env = builder.build();
    let mut executor = wasmedge_sys::Executor::create(None, None).unwrap();
    let mut f = env.get_func_mut("double").unwrap();
    let out = executor
        .call_func(&mut f, [WasmValue::from_i32(21)])
        .unwrap();
    assert_eq!(out[0].to_i32(), 42);

    // And through the executor of a store it is registered in.
    let mut env2 = {
        let mut b = ImportObjectBuilder::new("env", ()).unwrap();
        b.with_func::<i32, i32>("double", double).unwrap();
        b.build()
    };
    let mut instances: HashMap<String, &mut dyn SyncInst> = HashMap::new();
    instances.insert("env".into(), &mut env2);
    let mut store = Store::new(None, instances).unwrap();
    let out = executor
        .call_func(&mut f, [WasmValue::from_i32(-4)])
        .unwrap();
    assert_eq!(out[0].to_i32(), -8);
    let (inst, exec) = store.get_instance_and_executor("env").unwrap();
    let mut g = inst.get_func_mut("double").unwrap();
    assert_eq!(
        exec.call_func(&mut g, [WasmValue::from_i32(5)]).unwrap()[0].to_i32(),
        10
    );
}

#[test]
fn an_import_object_serves_one_vm_after_another() {
    let mut builder = ImportObjectBuilder::new("env", ()).unwrap();
    builder.with_func::<i32, i32>("double", double).unwrap();
    let mut env = builder.build();
    for x in [3, 4] {
        let mut instances: HashMap<String, &mut dyn SyncInst> = HashMap::new();
        instances.insert("env".into(), &mut env);
        let mut vm = Vm::new(Store::new(None, instances).unwrap());
        vm.register_module(
            None,
            module(
                r#"(module
                  (import "env" "double" (func $double (param i32) (result i32)))
                  (func (export "run") (param i32) (result i32) (call $double (local.get 0))))"#,
            ),
        )
        .unwrap();
        assert_eq!(
            vm.run_func(None, "run", params!(x)).unwrap()[0].to_i32(),
            2 * x
        );
    }
}
