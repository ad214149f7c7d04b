//! What a host function call costs through the C API, against the same call to a native
//! `wedge::Func`: a guest loop calls an imported `(i32, i32) -> i32` host function 10 000 times.
//! And what one call into the guest costs (`guest_call`: an exported `(i32, i32) -> i32` add):
//! `wedge::Func::call` against `WasmEdge_VMExecute` and `WasmEdge_ExecutorInvoke`, the path of
//! WasmEdge's Rust SDK's `run_func` (measured in `tests/rust-sdk/benches`).
//!
//! `cargo bench -p wedge-c-api --bench host_call`

#![allow(missing_docs, reason = "a test or benchmark binary, not an API")]
#![allow(
    unsafe_code,
    reason = "the benchmark drives the C API as a C host would"
)]

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use wasmedge::abi::{WasmEdge_Result, WasmEdge_String, WasmEdge_Value};
use wasmedge::instance::*;
use wasmedge::types::*;
use wasmedge::value::*;
use wasmedge::vm::*;

const CALLS: i32 = 10_000;

const GUEST: &str = r#"
(module
  (import "env" "add" (func $add (param i32 i32) (result i32)))
  (func (export "run") (param $n i32) (result i32) (local $acc i32)
    (loop $l
      (local.set $acc (call $add (local.get $acc) (i32.const 1)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc)))
"#;

unsafe extern "C" fn add(
    _data: *mut core::ffi::c_void,
    _frame: *const WasmEdge_CallingFrameContext,
    params: *const WasmEdge_Value,
    returns: *mut WasmEdge_Value,
) -> WasmEdge_Result {
    // SAFETY: the runtime passes two parameters and room for one result.
    unsafe {
        let a = WasmEdge_ValueGetI32(*params);
        let b = WasmEdge_ValueGetI32(*params.add(1));
        *returns = WasmEdge_ValueGenI32(a.wrapping_add(b));
    }
    WasmEdge_Result { Code: 0 }
}

fn name(s: &'static str) -> WasmEdge_String {
    WasmEdge_String {
        Length: s.len() as u32,
        Buf: s.as_ptr().cast(),
    }
}

fn bench(c: &mut Criterion) {
    let wasm = wat::parse_str(GUEST).unwrap();
    let mut group = c.benchmark_group("host_call_10k");

    // Native: a wedge::Func host function.
    {
        use wedge::{Engine, FuncType, Linker, Module, Store, Val, ValType};
        let engine = Engine::default();
        let mut store = Store::new(&engine, ());
        let mut linker = Linker::new(&engine);
        let ty = FuncType::new([ValType::I32, ValType::I32], [ValType::I32]);
        let f = wedge::Func::new(&mut store, ty, |_c, p, r| {
            r[0] = Val::I32(p[0].i32().unwrap().wrapping_add(p[1].i32().unwrap()));
            Ok(())
        });
        linker.define("env", "add", f).unwrap();
        let module = Module::new(&engine, &wasm).unwrap();
        let instance = linker.instantiate(&mut store, &module).unwrap();
        let run = instance.get_func(&store, "run").unwrap();
        group.bench_function("wedge_func", |b| {
            b.iter(|| {
                let mut out = [Val::I32(0)];
                run.call(&mut store, &[Val::I32(black_box(CALLS))], &mut out)
                    .unwrap();
                assert_eq!(out[0].i32(), Some(CALLS));
            })
        });
    }

    // The C API: a WasmEdge_HostFunc_t in a host module, run through the VM API.
    // SAFETY: every pointer comes from the C API calls just before it and lives to the end.
    unsafe {
        let vm = WasmEdge_VMCreate(std::ptr::null(), std::ptr::null_mut());
        let module = WasmEdge_ModuleInstanceCreate(name("env"));
        let i32t = [WasmEdge_ValTypeGenI32(), WasmEdge_ValTypeGenI32()];
        let ty = WasmEdge_FunctionTypeCreate(i32t.as_ptr(), 2, i32t.as_ptr(), 1);
        let f = WasmEdge_FunctionInstanceCreate(ty, Some(add), std::ptr::null_mut(), 0);
        WasmEdge_FunctionTypeDelete(ty);
        WasmEdge_ModuleInstanceAddFunction(module, name("add"), f);
        assert_eq!(WasmEdge_VMRegisterModuleFromImport(vm, module).Code, 0);
        let bytes = wasmedge::abi::WasmEdge_Bytes {
            Length: wasm.len() as u32,
            Buf: wasm.as_ptr(),
        };
        assert_eq!(WasmEdge_VMLoadWasmFromBytes(vm, bytes).Code, 0);
        assert_eq!(WasmEdge_VMValidate(vm).Code, 0);
        assert_eq!(WasmEdge_VMInstantiate(vm).Code, 0);
        group.bench_function("c_api_host_func", |b| {
            b.iter(|| {
                let arg = WasmEdge_ValueGenI32(black_box(CALLS));
                let mut out = WasmEdge_ValueGenI32(0);
                let r = WasmEdge_VMExecute(vm, name("run"), &arg, 1, &mut out, 1);
                assert_eq!(r.Code, 0);
                assert_eq!(WasmEdge_ValueGetI32(out), CALLS);
            })
        });
        WasmEdge_VMDelete(vm);
        WasmEdge_ModuleInstanceDelete(module);
    }
    group.finish();
}

const ADD: &str = r#"
(module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
"#;

fn bench_guest_call(c: &mut Criterion) {
    let wasm = wat::parse_str(ADD).unwrap();
    let mut group = c.benchmark_group("guest_call");
    {
        use wedge::{Engine, Instance, Module, Store, Val};
        let engine = Engine::default();
        let mut store = Store::new(&engine, ());
        let module = Module::new(&engine, &wasm).unwrap();
        let instance = Instance::new(&mut store, &module, &[]).unwrap();
        let add = instance.get_func(&store, "add").unwrap();
        group.bench_function("wedge_func", |b| {
            b.iter(|| {
                let mut out = [Val::I32(0)];
                add.call(
                    &mut store,
                    &[Val::I32(black_box(40)), Val::I32(2)],
                    &mut out,
                )
                .unwrap();
                assert_eq!(out[0].i32(), Some(42));
            })
        });
    }
    // SAFETY: every pointer comes from the C API calls just before it and lives to the end.
    unsafe {
        let vm = WasmEdge_VMCreate(std::ptr::null(), std::ptr::null_mut());
        let bytes = wasmedge::abi::WasmEdge_Bytes {
            Length: wasm.len() as u32,
            Buf: wasm.as_ptr(),
        };
        assert_eq!(WasmEdge_VMLoadWasmFromBytes(vm, bytes).Code, 0);
        assert_eq!(WasmEdge_VMValidate(vm).Code, 0);
        assert_eq!(WasmEdge_VMInstantiate(vm).Code, 0);
        group.bench_function("c_api_vm_execute", |b| {
            b.iter(|| {
                let args = [WasmEdge_ValueGenI32(black_box(40)), WasmEdge_ValueGenI32(2)];
                let mut out = WasmEdge_ValueGenI32(0);
                let r = WasmEdge_VMExecute(vm, name("add"), args.as_ptr(), 2, &mut out, 1);
                assert_eq!(r.Code, 0);
                assert_eq!(WasmEdge_ValueGetI32(out), 42);
            })
        });
        let module = WasmEdge_VMGetActiveModule(vm);
        let add = WasmEdge_ModuleInstanceFindFunction(module, name("add"));
        let executor = WasmEdge_VMGetExecutorContext(vm);
        group.bench_function("c_api_executor_invoke", |b| {
            b.iter(|| {
                let args = [WasmEdge_ValueGenI32(black_box(40)), WasmEdge_ValueGenI32(2)];
                let mut out = WasmEdge_ValueGenI32(0);
                let r = wasmedge::execution::WasmEdge_ExecutorInvoke(
                    executor,
                    add,
                    args.as_ptr(),
                    2,
                    &mut out,
                    1,
                );
                assert_eq!(r.Code, 0);
                assert_eq!(WasmEdge_ValueGetI32(out), 42);
            })
        });
        WasmEdge_VMDelete(vm);
    }
    group.finish();
}

criterion_group!(benches, bench, bench_guest_call);
criterion_main!(benches);
