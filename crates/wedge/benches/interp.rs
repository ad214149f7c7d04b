//! Interpreter benchmarks over the guest programs in `benches/programs/`.
//!
//! For each program there are two benchmarks:
//!
//! - `run/<name>`: one call of the exported `run(SMALL_ARG)` on an instance
//!   made once up front. `SMALL_ARG` (from `expected.txt`) is about a tenth of
//!   the default size that `benches/peers.py` uses, so a sample takes tens of
//!   milliseconds instead of most of a second.
//! - `instantiate/<name>`: `Module::new` (decode, validate, translate),
//!   `Store::new` and `Instance::new` (memory, data segments), then dropping
//!   them all.
//!
//! Every program's result is checked against `expected.txt` before it is
//! timed, so a miscompiling change fails here rather than getting faster.
//!
//! Run with `cargo bench -p wedge --bench interp`, one program with
//! `cargo bench -p wedge --bench interp -- sha256`.

#![allow(missing_docs, reason = "a test or benchmark binary, not an API")]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use wedge::{Engine, Instance, Module, Store, Val};

/// The checksums, written by `benches/programs/build.sh --check`.
const EXPECTED: &str = include_str!("../../../benches/programs/expected.txt");

/// A program's name and its compiled bytes, `benches/programs/<name>.wasm`.
macro_rules! program {
    ($name:literal) => {
        (
            $name,
            include_bytes!(concat!("../../../benches/programs/", $name, ".wasm")),
        )
    };
}

/// The compiled programs, by the name `expected.txt` gives them.
const PROGRAMS: &[(&str, &[u8])] = &[
    program!("fib"),
    program!("matmul"),
    program!("sieve"),
    program!("sha256"),
    program!("quicksort"),
    program!("nbody"),
];

/// What `expected.txt` says about one program.
struct Expected {
    /// `run` returns an i64 rather than an i32.
    returns_i64: bool,
    /// The argument the criterion benchmark passes to `run`.
    small_arg: i32,
    /// `run(small_arg)`, sign-extended from the result type.
    small_checksum: i64,
}

/// Finds `name`'s line in `expected.txt`:
/// `name type default-arg default-checksum small-arg small-checksum`.
fn expected(name: &str) -> Expected {
    let fields: Vec<&str> = EXPECTED
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(|line| line.split_whitespace().collect::<Vec<_>>())
        .find(|fields| fields.first() == Some(&name))
        .unwrap_or_else(|| panic!("{name} is missing from expected.txt"));
    assert_eq!(fields.len(), 6, "malformed line for {name} in expected.txt");
    let returns_i64 = match fields[1] {
        "i32" => false,
        "i64" => true,
        other => panic!("{name}: unknown result type {other} in expected.txt"),
    };
    Expected {
        returns_i64,
        small_arg: fields[4].parse().expect("small-arg is an i32"),
        small_checksum: fields[5].parse().expect("small-checksum is an i64"),
    }
}

/// The result slot for `run`, typed as the program's result.
fn result_slot(returns_i64: bool) -> Val {
    if returns_i64 {
        Val::I64(0)
    } else {
        Val::I32(0)
    }
}

/// Reads `run`'s result back as an i64 (an i32 is sign-extended).
fn checksum(result: &Val) -> i64 {
    match result {
        Val::I32(v) => i64::from(*v),
        Val::I64(v) => *v,
        _ => panic!("run returned neither an i32 nor an i64"),
    }
}

fn run(c: &mut Criterion) {
    let engine = Engine::default();
    let mut group = c.benchmark_group("run");
    // One call is tens of milliseconds: ten samples give stable figures
    // without making the whole suite take many minutes.
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    for &(name, bytes) in PROGRAMS {
        let expected = expected(name);
        let module = Module::new(&engine, bytes)
            .unwrap_or_else(|e| panic!("{name}: Module::new failed: {e:?}"));
        let mut store = Store::new(&engine, ());
        let instance = Instance::new(&mut store, &module, &[])
            .unwrap_or_else(|e| panic!("{name}: Instance::new failed: {e:?}"));
        let func = instance
            .get_func(&store, "run")
            .unwrap_or_else(|| panic!("{name} does not export run"));
        let args = [Val::I32(expected.small_arg)];
        let mut results = [result_slot(expected.returns_i64)];

        // Check the answer once before timing anything.
        func.call(&mut store, &args, &mut results)
            .unwrap_or_else(|e| panic!("{name}: run trapped: {e:?}"));
        assert_eq!(
            checksum(&results[0]),
            expected.small_checksum,
            "{name}: run({}) returned the wrong checksum",
            expected.small_arg,
        );

        group.bench_function(name, |b| {
            b.iter(|| {
                func.call(&mut store, black_box(&args), &mut results)
                    .unwrap_or_else(|e| panic!("{name}: run trapped: {e:?}"));
                black_box(&results);
            });
        });
    }
    group.finish();
}

fn instantiate(c: &mut Criterion) {
    let engine = Engine::default();
    let mut group = c.benchmark_group("instantiate");
    for &(name, bytes) in PROGRAMS {
        group.bench_function(name, |b| {
            b.iter(|| {
                let module = Module::new(&engine, black_box(bytes))
                    .unwrap_or_else(|e| panic!("{name}: Module::new failed: {e:?}"));
                // A fresh store each time: instances live as long as their
                // store, so reusing one would grow it on every iteration.
                let mut store = Store::new(&engine, ());
                let instance = Instance::new(&mut store, &module, &[])
                    .unwrap_or_else(|e| panic!("{name}: Instance::new failed: {e:?}"));
                black_box((&store, &instance));
            });
        });
    }
    group.finish();
}

criterion_group!(benches, run, instantiate);
criterion_main!(benches);
