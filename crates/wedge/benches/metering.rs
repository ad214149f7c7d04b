//! What metering costs on each tier, over the guest programs in `benches/programs/`.
//!
//! For each program, one call of `run(SMALL_ARG)` (as in the `interp` benchmark) on:
//!
//! - `metering/jit/<name>`: the compiled tier without metering;
//! - `metering/jit-metered/<name>`: the compiled tier counting instructions and charging the
//!   default cost table (no limit reached), as `wedge --run-mode jit --enable-instruction-count
//!   --enable-gas-measuring` does;
//! - `metering/interp-metered/<name>`: the interpreter with the same metering.
//!
//! Each configuration's result and (for the metered ones) statistics are checked before timing:
//! the two metered tiers must agree on the instruction count and the cost.
//!
//! Run with `cargo bench -p wedge --bench metering`, one program with
//! `cargo bench -p wedge --bench metering -- fib`.

#![allow(missing_docs, reason = "a test or benchmark binary, not an API")]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group};
use wedge::{Config, Engine, Instance, Module, Statistics, Store, Val};

const EXPECTED: &str = include_str!("../../../benches/programs/expected.txt");

macro_rules! program {
    ($name:literal) => {
        (
            $name,
            include_bytes!(concat!("../../../benches/programs/", $name, ".wasm")),
        )
    };
}

const PROGRAMS: &[(&str, &[u8])] = &[
    program!("fib"),
    program!("matmul"),
    program!("sieve"),
    program!("sha256"),
    program!("quicksort"),
    program!("nbody"),
];

/// `(returns_i64, small_arg, small_checksum)` from `expected.txt`.
fn expected(name: &str) -> (bool, i32, i64) {
    let f: Vec<&str> = EXPECTED
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .find(|f| f.first() == Some(&name))
        .unwrap_or_else(|| panic!("{name} is missing from expected.txt"));
    (f[1] == "i64", f[4].parse().unwrap(), f[5].parse().unwrap())
}

fn engine(jit: bool, metered: bool) -> Engine {
    let mut config = Config::new();
    config
        .jit(jit)
        .count_instructions(metered)
        .measure_cost(metered);
    Engine::new(&config)
}

/// One call's statistics, after checking the checksum.
fn check(engine: &Engine, name: &str, bytes: &[u8]) -> Statistics {
    let (i64_result, arg, want) = expected(name);
    let module = Module::new(engine, bytes).unwrap();
    assert_eq!(module.is_compiled(), engine.config().is_jit(), "{name}");
    let mut store = Store::new(engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    store.reset_statistics();
    let func = instance.get_func(&store, "run").unwrap();
    let mut results = [if i64_result { Val::I64(0) } else { Val::I32(0) }];
    func.call(&mut store, &[Val::I32(arg)], &mut results)
        .unwrap();
    let got = match results[0] {
        Val::I32(v) => i64::from(v),
        Val::I64(v) => v,
        _ => unreachable!(),
    };
    assert_eq!(got, want, "{name}");
    store.statistics()
}

fn metering(c: &mut Criterion) {
    let configs = [
        ("jit", engine(true, false)),
        ("jit-metered", engine(true, true)),
        ("interp-metered", engine(false, true)),
    ];
    let mut group = c.benchmark_group("metering");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(3));
    for &(name, bytes) in PROGRAMS {
        let jit = check(&configs[1].1, name, bytes);
        let interp = check(&configs[2].1, name, bytes);
        assert_eq!(
            (jit.instr_count, jit.total_cost),
            (interp.instr_count, interp.total_cost),
            "{name}: the tiers disagree"
        );
        for (label, engine) in &configs {
            let (i64_result, arg, _) = expected(name);
            let module = Module::new(engine, bytes).unwrap();
            let mut store = Store::new(engine, ());
            let instance = Instance::new(&mut store, &module, &[]).unwrap();
            let func = instance.get_func(&store, "run").unwrap();
            let args = [Val::I32(arg)];
            let mut results = [if i64_result { Val::I64(0) } else { Val::I32(0) }];
            group.bench_function(format!("{label}/{name}"), |b| {
                b.iter(|| {
                    func.call(&mut store, black_box(&args), &mut results)
                        .unwrap();
                    black_box(&results);
                });
            });
        }
    }
    group.finish();
}

/// `WEDGE_BENCH_ONCE=<config>/<name>/<calls>` runs one configuration `calls` times and exits,
/// for counting instructions under callgrind (the difference between two call counts is what
/// the calls cost, without compilation and instantiation).
fn once(spec: &str) {
    let parts: Vec<&str> = spec.split('/').collect();
    let (jit, metered) = match parts[0] {
        "jit" => (true, false),
        "jit-metered" => (true, true),
        "interp-metered" => (false, true),
        "interp" => (false, false),
        other => panic!("unknown configuration {other}"),
    };
    let engine = engine(jit, metered);
    let (name, bytes) = PROGRAMS
        .iter()
        .find(|(n, _)| *n == parts[1])
        .expect("a program name");
    let calls: u32 = parts[2].parse().expect("a number of calls");
    let (i64_result, arg, want) = expected(name);
    let module = Module::new(&engine, bytes).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Instance::new(&mut store, &module, &[]).unwrap();
    let func = instance.get_func(&store, "run").unwrap();
    for _ in 0..calls {
        let mut results = [if i64_result { Val::I64(0) } else { Val::I32(0) }];
        func.call(&mut store, &[Val::I32(arg)], &mut results)
            .unwrap();
        let got = match results[0] {
            Val::I32(v) => i64::from(v),
            Val::I64(v) => v,
            _ => unreachable!(),
        };
        assert_eq!(got, want, "{name}");
    }
}

criterion_group!(benches, metering);

fn main() {
    if let Ok(spec) = std::env::var("WEDGE_BENCH_ONCE") {
        once(&spec);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
