//! One call into the guest through WasmEdge's Rust SDK: `Vm::run_func` on an exported
//! `(i32, i32) -> i32` add, the same guest as `crates/c-api/benches/host_call.rs`'s
//! `guest_call` group (which times `wedge::Func::call`, `WasmEdge_VMExecute` and
//! `WasmEdge_ExecutorInvoke` on it). Run against an installed Wedge:
//! `WEDGE_PREFIX=... scripts/rust-sdk.sh bench` (or with `WASMEDGE_DIR` and `LD_LIBRARY_PATH`
//! set, `cargo bench`).

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use wasmedge_sdk::{WasmVal, params};
use wedge_rust_sdk_tests::vm_with;

const ADD: &str = r#"
(module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
"#;

fn bench(c: &mut Criterion) {
    let mut vm = vm_with(ADD);
    c.bench_function("sdk_run_func", |b| {
        b.iter(|| {
            let out = vm
                .run_func(None, "add", params!(black_box(40i32), 2i32))
                .unwrap();
            assert_eq!(out[0].to_i32(), 42);
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
