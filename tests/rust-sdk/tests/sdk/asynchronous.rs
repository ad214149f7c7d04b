//! The async API (feature `async`, on by default): the async `Vm`, async host functions that
//! await, the async WASI module, and async timeouts.

use std::collections::HashMap;
use std::future::Future;
use std::time::{Duration, Instant};

use wasmedge_sdk::r#async::AsyncInstance;
use wasmedge_sdk::r#async::import::ImportObjectBuilder;
use wasmedge_sdk::r#async::vm::{AsyncInst, Vm};
use wasmedge_sdk::r#async::wasi::AsyncWasiModule;
use wasmedge_sdk::error::{CoreError, CoreExecutionError, WasmEdgeError};
use wasmedge_sdk::{CallingFrame, Module, Store, WasmVal, WasmValue, params};
use wedge_rust_sdk_tests::{module, wasi_program, within};

use crate::core;

type Instances<'a> = HashMap<String, &'a mut (dyn AsyncInst + Send)>;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// `slow_double(x)`: sleeps on the tokio timer, then returns 2x; counts its calls.
fn slow_double<'a>(
    calls: &'a mut u32,
    _inst: &'a mut AsyncInstance,
    _frame: &'a mut CallingFrame,
    args: Vec<WasmValue>,
) -> Box<dyn Future<Output = Result<Vec<WasmValue>, CoreError>> + Send + 'a> {
    Box::new(async move {
        tokio::time::sleep(Duration::from_millis(20)).await;
        *calls += 1;
        Ok(vec![WasmValue::from_i32(args[0].to_i32() * 2)])
    })
}

fn async_fail<'a>(
    _: &'a mut u32,
    _inst: &'a mut AsyncInstance,
    _frame: &'a mut CallingFrame,
    _args: Vec<WasmValue>,
) -> Box<dyn Future<Output = Result<Vec<WasmValue>, CoreError>> + Send + 'a> {
    Box::new(async move {
        tokio::task::yield_now().await;
        Err(CoreError::Execution(CoreExecutionError::HostFuncFailed))
    })
}

const GUEST: &str = r#"(module
  (import "host" "slow_double" (func $slow_double (param i32) (result i32)))
  (import "host" "fail" (func $fail))
  (func (export "quadruple") (param i32) (result i32)
    (call $slow_double (call $slow_double (local.get 0))))
  (func (export "fail") (call $fail))
  (func (export "spin") (loop $l (br $l)))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))"#;

#[test]
fn the_async_vm_runs_async_host_functions() {
    runtime().block_on(async {
        let mut builder = ImportObjectBuilder::new("host", 0u32).unwrap();
        builder
            .with_func::<i32, i32>("slow_double", slow_double)
            .unwrap();
        builder.with_func::<(), ()>("fail", async_fail).unwrap();
        let mut host = builder.build();
        {
            let mut instances = Instances::new();
            instances.insert("host".into(), &mut host);
            let mut vm = Vm::new(Store::new(None, instances).unwrap());
            vm.register_module(None, module(GUEST)).unwrap();

            // Other tasks run while the guest waits in the host function.
            let ticker = tokio::spawn(async {
                let mut ticks = 0;
                for _ in 0..3 {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    ticks += 1;
                }
                ticks
            });
            let started = Instant::now();
            let out = vm.run_func(None, "quadruple", params!(5i32)).await.unwrap();
            assert_eq!(out[0].to_i32(), 20);
            assert!(started.elapsed() >= Duration::from_millis(40));
            assert_eq!(ticker.await.unwrap(), 3);

            let err = vm.run_func(None, "fail", params!()).await.unwrap_err();
            assert_eq!(
                err,
                core(CoreError::Execution(CoreExecutionError::HostFuncFailed))
            );
            assert_eq!(
                vm.run_func(None, "add", params!(1i32, 1i32)).await.unwrap()[0].to_i32(),
                2
            );
        }
        assert_eq!(*host.get_host_data(), 2);
    });
}

#[test]
fn the_async_vm_runs_jit_compiled_code_on_its_fiber() {
    use wasmedge_sdk::config::{CommonConfigOptions, ConfigBuilder};
    let config =
        ConfigBuilder::new(CommonConfigOptions::default().run_mode(wasmedge_sdk::RunMode::Jit))
            .build()
            .unwrap();
    runtime().block_on(async {
        let mut builder = ImportObjectBuilder::new("host", 0u32).unwrap();
        builder
            .with_func::<i32, i32>("slow_double", slow_double)
            .unwrap();
        builder.with_func::<(), ()>("fail", async_fail).unwrap();
        let mut host = builder.build();
        let mut instances = Instances::new();
        instances.insert("host".into(), &mut host);
        let mut vm = Vm::new(Store::new(Some(&config), instances).unwrap());
        let m = Module::from_bytes(Some(&config), wedge_rust_sdk_tests::wasm(GUEST)).unwrap();
        vm.register_module(None, m).unwrap();
        let out = vm.run_func(None, "quadruple", params!(7i32)).await.unwrap();
        assert_eq!(out[0].to_i32(), 28);
        let fib =
            Module::from_file(Some(&config), wedge_rust_sdk_tests::data("fibonacci.wat")).unwrap();
        vm.register_module(Some("fib"), fib).unwrap();
        let out = vm
            .run_func(Some("fib"), "fib", params!(18i32))
            .await
            .unwrap();
        assert_eq!(out[0].to_i32(), 4181);
    });
}

#[test]
fn the_async_vm_runs_a_named_module_from_a_file() {
    runtime().block_on(async {
        let mut vm = Vm::new(Store::new(None, Instances::new()).unwrap());
        let fib = Module::from_file(None, wedge_rust_sdk_tests::data("fibonacci.wat")).unwrap();
        vm.register_module(Some("fib"), fib).unwrap();
        assert_eq!(vm.instance_names(), ["fib"]);
        let out = vm
            .run_func(Some("fib"), "fib", params!(10i32))
            .await
            .unwrap();
        assert_eq!(out[0].to_i32(), 89);
    });
}

#[test]
fn async_wasi_runs_a_c_program_to_its_exit_code() {
    runtime().block_on(async {
        for (args, code) in [(vec!["exit.wasm", "0"], 0), (vec!["exit.wasm", "6"], 6)] {
            let mut wasi = AsyncWasiModule::create(Some(args), None::<Vec<(&str, &str)>>).unwrap();
            {
                let mut instances = Instances::new();
                instances.insert(wasi.name().to_string(), wasi.as_mut());
                let mut vm = Vm::new(Store::new(None, instances).unwrap());
                let m = Module::from_file(None, wasi_program("exit")).unwrap();
                vm.register_module(None, m).unwrap();
                let out = vm.run_func(None, "_start", params!()).await.unwrap();
                assert!(out.is_empty());
            }
            assert_eq!(wasi.exit_code(), code);
        }
    });
}

#[test]
fn an_async_timeout_stops_a_spinning_guest_and_the_vm_goes_on() {
    within(60, "async timeout", || {
        runtime().block_on(async {
            let mut builder = ImportObjectBuilder::new("host", 0u32).unwrap();
            builder
                .with_func::<i32, i32>("slow_double", slow_double)
                .unwrap();
            builder.with_func::<(), ()>("fail", async_fail).unwrap();
            let mut host = builder.build();
            let mut instances = Instances::new();
            instances.insert("host".into(), &mut host);
            let mut vm = Vm::new(Store::new(None, instances).unwrap());
            vm.register_module(None, module(GUEST)).unwrap();

            let r = vm
                .run_func_with_timeout(None, "spin", params!(), Duration::from_millis(200))
                .await;
            assert!(
                matches!(r, Err(ref e) if **e == WasmEdgeError::ExecuteTimeout),
                "{r:?}"
            );
            assert_eq!(
                vm.run_func(None, "add", params!(2i32, 3i32)).await.unwrap()[0].to_i32(),
                5
            );
            let r = vm
                .run_func_with_timeout(None, "quadruple", params!(3i32), Duration::from_secs(5))
                .await;
            assert_eq!(r.unwrap()[0].to_i32(), 12);
        })
    });
}
