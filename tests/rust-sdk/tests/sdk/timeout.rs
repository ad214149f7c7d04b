//! `run_func_with_timeout` stops a spinning guest with `ExecuteTimeout`, and the same VM keeps
//! working afterwards: plain calls, calls with a timeout that finish in time, more timeouts.
//! (wasmedge-sys arms a POSIX timer whose signal handler `siglongjmp`s out of
//! `WasmEdge_ExecutorInvoke`, and blocks that signal around host functions through
//! `WasmEdge_ExecutorExperimentalRegisterPre/PostHostFunction`.)

use std::collections::HashMap;
use std::time::{Duration, Instant};

use wasmedge_sdk::error::{CoreError, WasmEdgeError};
use wasmedge_sdk::vm::SyncInst;
use wasmedge_sdk::{
    CallingFrame, ImportObjectBuilder, Instance, Store, Vm, WasmVal, WasmValue, params,
};
use wedge_rust_sdk_tests::{module, vm_with, within};

const SPIN: &str = r#"(module
  (import "host" "tick" (func $tick))
  (global $ticks (mut i32) (i32.const 0))
  (func (export "spin") (loop $l (br $l)))
  (func (export "spin_with_host_calls")
    (loop $l
      (call $tick)
      (global.set $ticks (i32.add (global.get $ticks) (i32.const 1)))
      (br $l)))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))"#;

fn tick(
    count: &mut u64,
    _inst: &mut Instance,
    _frame: &mut CallingFrame,
    _args: Vec<WasmValue>,
) -> Result<Vec<WasmValue>, CoreError> {
    *count += 1;
    Ok(vec![])
}

fn timed_out(r: Result<Vec<WasmValue>, Box<WasmEdgeError>>) -> bool {
    matches!(r, Err(e) if *e == WasmEdgeError::ExecuteTimeout)
}

#[test]
fn a_timed_out_guest_leaves_the_vm_usable() {
    within(60, "timeout sequence", || {
        let mut builder = ImportObjectBuilder::new("host", 0u64).unwrap();
        builder.with_func::<(), ()>("tick", tick).unwrap();
        let mut host = builder.build();
        let mut instances: HashMap<String, &mut dyn SyncInst> = HashMap::new();
        instances.insert("host".into(), &mut host);
        let mut vm = Vm::new(Store::new(None, instances).unwrap());
        vm.register_module(None, module(SPIN)).unwrap();

        let started = Instant::now();
        let r = vm.run_func_with_timeout(None, "spin", params!(), Duration::from_millis(200));
        let took = started.elapsed();
        assert!(timed_out(r), "spin ended without a timeout");
        assert!(
            took >= Duration::from_millis(150) && took < Duration::from_secs(10),
            "{took:?}"
        );

        assert_eq!(
            vm.run_func(None, "add", params!(1i32, 2i32)).unwrap()[0].to_i32(),
            3
        );
        let r = vm.run_func_with_timeout(None, "add", params!(2i32, 3i32), Duration::from_secs(5));
        assert_eq!(r.unwrap()[0].to_i32(), 5);

        // Again, with host calls in the loop: the timer fires in guest code between them.
        let r = vm.run_func_with_timeout(
            None,
            "spin_with_host_calls",
            params!(),
            Duration::from_millis(200),
        );
        assert!(timed_out(r), "spin_with_host_calls ended without a timeout");
        assert_eq!(
            vm.run_func(None, "add", params!(20i32, 22i32)).unwrap()[0].to_i32(),
            42
        );

        let r = vm.run_func_with_timeout(None, "spin", params!(), Duration::from_millis(100));
        assert!(timed_out(r), "the second spin ended without a timeout");
        assert_eq!(
            vm.run_func(None, "add", params!(-1i32, 1i32)).unwrap()[0].to_i32(),
            0
        );
        drop(vm);
        assert!(*host.get_host_data() > 0, "tick was called");
    });
}

#[test]
fn a_timeout_on_one_vm_leaves_another_alone() {
    within(60, "two VMs", || {
        let mut a = vm_with(r#"(module (func (export "spin") (loop $l (br $l))))"#);
        let mut b = vm_with(r#"(module (func (export "one") (result i32) (i32.const 1)))"#);
        let r = a.run_func_with_timeout(None, "spin", params!(), Duration::from_millis(100));
        assert!(timed_out(r));
        assert_eq!(b.run_func(None, "one", params!()).unwrap()[0].to_i32(), 1);
        let r = a.run_func_with_timeout(None, "spin", params!(), Duration::from_millis(100));
        assert!(timed_out(r));
    });
}
