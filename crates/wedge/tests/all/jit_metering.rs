//! Metering in compiled code gives exactly the interpreter's results: the same instruction
//! count, total cost, error and side effects (memory, globals, host calls), at every cost limit
//! from 0 to what a call needs (so the limit runs out at every operator in turn, in the middle
//! of straight-line code, before and after stores, calls and traps), with compiled code calling
//! host functions, interpreted code and other compiled modules and back.
//!
//! Three setups run the same modules: the interpreter; `Config::jit` (every module compiled
//! that the compiler supports); and a mixed one, where an engine with `Config::aot` runs the
//! programs and the library from universal wasm files (`Engine::precompile`, made with the same
//! metering settings) and interprets the plain module between them.

use wedge::*;

/// A compiled library module that the interpreted module calls back into.
const LIB: &str = r#"(module
  (func (export "tri") (param i32) (result i32) (local i32)
    (block
      (loop
        (br_if 1 (i32.eqz (local.get 0)))
        (local.set 1 (i32.add (local.get 1) (local.get 0)))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br 0)))
    (local.get 1)))"#;

/// The module the mixed setup interprets (it calls back into the compiled library).
const INTERPRETED: &str = r#"(module
  (import "env" "host" (func $host (param i32) (result i32)))
  (import "lib" "tri" (func $tri (param i32) (result i32)))
  (func $inner (param i32) (result i32) (i32.add (call $tri (local.get 0)) (local.get 0)))
  (func (export "twice") (param i32) (result i32)
    (drop (call $host (local.get 0)))
    (return_call $inner (local.get 0))))"#;

/// The programs compared.
const PROGRAMS: &str = r#"(module
  (import "env" "host" (func $host (param i32) (result i32)))
  (import "interp" "twice" (func $twice (param i32) (result i32)))
  (import "lib" "tri" (func $tri (param i32) (result i32)))
  (memory (export "memory") 1 4)
  (global $g (export "g") (mut i32) (i32.const 0))
  (type $un (func (param i32) (result i32)))
  (table 4 funcref)
  (elem (i32.const 0) $sq $neg)
  (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (func $neg (param i32) (result i32) (i32.sub (i32.const 0) (local.get 0)))
  (func (export "add") (param i32) (result i32) (i32.add (local.get 0) (i32.const 2)))
  (func (export "sum") (param i32) (result i32) (local i32)
    (block
      (loop
        (br_if 1 (i32.eqz (local.get 0)))
        (local.set 1 (i32.add (local.get 1) (local.get 0)))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br 0)))
    (local.get 1))
  (func (export "pick") (param i32) (result i32)
    (if (result i32) (local.get 0) (then (i32.const 1)) (else (nop) (i32.const 2))))
  (func (export "half_if") (param i32) (result i32)
    (if (local.get 0) (then (local.set 0 (i32.const 7))))
    (local.get 0))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "early") (param i32) (result i32)
    (br_if 0 (i32.const 11) (local.get 0))
    (drop)
    (if (local.get 0) (then (return (i32.const 12))))
    (i32.const 13))
  (func (export "table") (param i32) (result i32)
    (block (block (block
      (br_table 0 1 2 (local.get 0)))
      (return (i32.const 100)))
      (return (i32.const 101)))
    (i32.const 102))
  (func (export "out") (param i32) (result i32)
    (block (result i32) (br_table 0 1 (i32.const 8) (local.get 0)))
    (i32.const 9)
    (i32.add))
  (func (export "stores") (param i32) (result i32) (local i32)
    (loop
      (i32.store (i32.mul (local.get 1) (i32.const 4))
                 (i32.add (i32.mul (local.get 1) (i32.const 3)) (i32.const 1)))
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (br_if 0 (i32.lt_s (local.get 1) (local.get 0))))
    (i32.div_u (i32.load (i32.const 4)) (local.get 0)))
  (func (export "straight") (param i32) (result i32)
    ;; A long run of pure operators between two stores, then a trapping division.
    (i32.store (i32.const 0) (local.get 0))
    (local.set 0 (i32.xor (i32.mul (i32.add (local.get 0) (i32.const 3)) (i32.const 5))
                          (i32.shl (local.get 0) (i32.const 2))))
    (global.set $g (i32.rotl (local.get 0) (i32.const 3)))
    (i32.store (i32.const 4) (i32.sub (local.get 0) (global.get $g)))
    (i32.store (i32.const 8) (i32.div_s (i32.const 100) (i32.and (local.get 0) (i32.const 1))))
    (i32.load (i32.const 8)))
  (func (export "mixed") (param i32) (result i32)
    (i32.store (i32.const 0) (local.get 0))
    (i32.store (i32.const 4) (call $host (local.get 0)))
    (global.set $g (call $twice (local.get 0)))
    (i32.store (i32.const 8) (call $tri (local.get 0)))
    (i32.store (i32.const 12)
      (call_indirect (type $un) (local.get 0) (i32.and (local.get 0) (i32.const 3))))
    (i32.store (i32.const 16) (global.get $g))
    (i32.add (i32.load (i32.const 4)) (i32.load (i32.const 12))))
  (func (export "bulk") (param i32) (result i32)
    (memory.fill (i32.const 20) (i32.const 7) (local.get 0))
    (i32.store8 (i32.const 2) (i32.const 9))
    (drop (memory.grow (i32.const 1)))
    (memory.copy (i32.const 40) (i32.const 20) (i32.const 4))
    (i32.add (memory.size) (i32.load8_u (i32.const 41))))
  (func (export "nested") (param i32) (result i32)
    (block (result i32)
      (block (result i32)
        (i32.const 5)
        (br_if 1 (i32.eq (local.get 0) (i32.const 1)))
        (drop)
        (i32.const 6))
      (select (i32.const 7) (local.get 0) (i32.and (local.get 0) (i32.const 2)))
      (i32.add)))
  (func (export "loads") (param i32) (result i32)
    ;; Loads, a division and a conversion that can trap in the middle of straight-line code.
    (i32.store (i32.const 12) (local.get 0))
    (i32.add
      (i32.add (i32.load (i32.const 12)) (i32.load (local.get 0)))
      (i32.add (i32.div_u (i32.const 100) (i32.load (i32.const 12)))
               (i32.trunc_f32_s (f32.div (f32.const 10) (f32.convert_i32_s (local.get 0)))))))
  (func (export "crash") (param i32) (result i32)
    (i32.store (i32.const 0) (i32.const 1))
    (if (local.get 0) (then (unreachable)))
    (i32.store (i32.const 4) (i32.const 2))
    (i32.const 3))
)"#;

const CALLS: &[(&str, i32)] = &[
    ("add", 1),
    ("sum", 0),
    ("sum", 10),
    ("pick", 0),
    ("pick", 1),
    ("half_if", 0),
    ("half_if", 5),
    ("fib", 6),
    ("early", 0),
    ("early", 1),
    ("table", 0),
    ("table", 1),
    ("table", 2),
    ("table", 9),
    ("out", 0),
    ("out", 1),
    ("stores", 3),
    ("stores", 0),
    ("straight", 4),
    ("straight", 5),
    ("mixed", 1),
    ("mixed", 2),
    ("mixed", 3),
    ("bulk", 8),
    ("bulk", 70000),
    ("nested", 0),
    ("nested", 1),
    ("nested", 2),
    ("loads", 0),
    ("loads", 3),
    ("loads", 70000),
    ("crash", 0),
    ("crash", 1),
];

/// Everything a run leaves behind.
#[derive(Debug, PartialEq)]
struct Outcome {
    result: Result<i32, String>,
    instr_count: u64,
    total_cost: u64,
    memory: Vec<u8>,
    pages: u64,
    global: i32,
    /// Each host call's argument, with the statistics the host function saw.
    host_calls: Vec<(i32, u64, u64)>,
}

struct Setup {
    engine: Engine,
    lib: Module,
    interp: Module,
    programs: Module,
}

#[derive(Copy, Clone, PartialEq)]
enum Tier {
    Interpreter,
    Jit,
    /// Compiled library and programs (universal wasm), interpreted module between them.
    Mixed,
}

fn setup(tier: Tier, count: bool, cost: bool, costs: Option<&[u64]>) -> Setup {
    let mut config = Config::new();
    config
        .jit(tier == Tier::Jit)
        .aot(tier == Tier::Mixed)
        .count_instructions(count)
        .measure_cost(cost);
    if let Some(c) = costs {
        config.cost_table(c);
    }
    let engine = Engine::new(&config);
    let plain = |wat: &str| Module::new(&engine, wat::parse_str(wat).unwrap()).unwrap();
    let compiled = |wat: &str| {
        let wasm = wat::parse_str(wat).unwrap();
        let universal = engine.precompile(&wasm, &|_, _| {}).unwrap();
        Module::new(&engine, universal).unwrap()
    };
    let (lib, interp, programs) = match tier {
        Tier::Mixed => (compiled(LIB), plain(INTERPRETED), compiled(PROGRAMS)),
        _ => (plain(LIB), plain(INTERPRETED), plain(PROGRAMS)),
    };
    assert_eq!(programs.is_compiled(), tier != Tier::Interpreter);
    assert_eq!(lib.is_compiled(), tier != Tier::Interpreter);
    if tier != Tier::Jit {
        assert!(!interp.is_compiled());
    }
    Setup {
        engine,
        lib,
        interp,
        programs,
    }
}

/// Runs `name(arg)` in a fresh store with cost limit `limit`.
fn run(s: &Setup, limit: u64, name: &str, arg: i32) -> Outcome {
    let mut store = Store::new(&s.engine, Vec::<(i32, u64, u64)>::new());
    let host = Func::new_with_cost(
        &mut store,
        FuncType::new([ValType::I32], [ValType::I32]),
        5,
        |mut caller: Caller<'_, Vec<(i32, u64, u64)>>, p, r| {
            let x = p[0].i32().unwrap_or(0);
            let stats = caller.as_context().statistics();
            caller
                .data_mut()
                .push((x, stats.instr_count, stats.total_cost));
            r[0] = Val::I32(x * 10 + 1);
            Ok(())
        },
    );
    let mut linker = Linker::new(&s.engine);
    linker.define("env", "host", host).unwrap();
    let lib = linker.instantiate(&mut store, &s.lib).unwrap();
    linker.instance(&store, "lib", lib).unwrap();
    let interp = linker.instantiate(&mut store, &s.interp).unwrap();
    linker.instance(&store, "interp", interp).unwrap();
    let inst = linker.instantiate(&mut store, &s.programs).unwrap();
    store.reset_statistics();
    store.set_cost_limit(limit);
    let f = inst.get_func(&store, name).unwrap();
    let mut out = [Val::I32(0)];
    let result = match f.call(&mut store, &[Val::I32(arg)], &mut out) {
        Ok(()) => Ok(out[0].i32().unwrap()),
        Err(e) => Err(format!("{:?} {e}", e.trap_code())),
    };
    let stats = store.statistics();
    let mem = inst.get_memory(&store, "memory").unwrap();
    let global = match inst.get_global(&store, "g").unwrap().get(&store) {
        Val::I32(v) => v,
        other => panic!("{other:?}"),
    };
    Outcome {
        result,
        instr_count: stats.instr_count,
        total_cost: stats.total_cost,
        memory: mem.data(&store)[..64].to_vec(),
        pages: mem.size(&store),
        global,
        host_calls: store.data().clone(),
    }
}

/// Compares the compiled setups with the interpreter on every call, at every limit up to what
/// the call needs.
fn compare(count: bool, cost: bool, costs: Option<&[u64]>) {
    let interp = setup(Tier::Interpreter, count, cost, costs);
    let compiled = [
        setup(Tier::Jit, count, cost, costs),
        setup(Tier::Mixed, count, cost, costs),
    ];
    let mut limits_tried = 0;
    for &(name, arg) in CALLS {
        let full = run(&interp, u64::MAX, name, arg);
        for (k, c) in compiled.iter().enumerate() {
            assert_eq!(
                run(c, u64::MAX, name, arg),
                full,
                "setup {k}: {name}({arg}) without a limit"
            );
        }
        if !cost {
            continue;
        }
        // Every limit up to the full cost: the limit runs out at each operator in turn.
        for limit in 0..=full.total_cost + 1 {
            let want = run(&interp, limit, name, arg);
            for (k, c) in compiled.iter().enumerate() {
                let got = run(c, limit, name, arg);
                assert_eq!(got, want, "setup {k}: {name}({arg}) with limit {limit}");
            }
            limits_tried += 1;
        }
    }
    if cost {
        assert!(limits_tried > 500, "{limits_tried}");
    }
}

#[test]
fn jit_counts_instructions_like_the_interpreter() {
    compare(true, false, None);
}

#[test]
fn jit_charges_cost_and_stops_at_the_same_operator_as_the_interpreter() {
    compare(true, true, None);
}

#[test]
fn jit_with_a_cost_table_stops_like_the_interpreter_at_every_limit() {
    // Uneven costs, some zero, so limits fall inside runs of cheap and free operators.
    let costs: Vec<u64> = (0..metering::OPCODES.len() as u64)
        .map(|i| (i * 7) % 5)
        .collect();
    compare(true, true, Some(&costs));
    compare(false, true, Some(&costs));
}

#[test]
fn jit_stops_at_once_when_the_total_already_exceeds_the_limit() {
    // A host function lowers the limit below what was spent: the next operator fails.
    for jit in [false, true] {
        let mut config = Config::new();
        config.jit(jit).count_instructions(true).measure_cost(true);
        let engine = Engine::new(&config);
        let m = Module::new(
            &engine,
            wat::parse_str(
                r#"(module (import "env" "lower" (func $lower))
                     (memory (export "memory") 1)
                     (func (export "go") (result i32)
                       (i32.store (i32.const 0) (i32.const 1))
                       (call $lower)
                       (i32.store (i32.const 4) (i32.const 2))
                       (i32.const 3)))"#,
            )
            .unwrap(),
        )
        .unwrap();
        assert_eq!(m.is_compiled(), jit);
        let mut store = Store::new(&engine, ());
        let lower = Func::new(&mut store, FuncType::new([], []), |mut c, _, _| {
            c.as_context_mut().set_cost_limit(1);
            Ok(())
        });
        let inst = Instance::new(&mut store, &m, &[lower.into()]).unwrap();
        store.reset_statistics();
        let e = super::call1(&mut store, &inst, "go", &[]).unwrap_err();
        assert_eq!(
            e.trap_code(),
            Some(TrapCode::CostLimitExceeded),
            "jit {jit}"
        );
        let s = store.statistics();
        // i32.const i32.const i32.store call, then the failing i32.const.
        assert_eq!((s.instr_count, s.total_cost), (5, 4), "jit {jit}");
        let mem = inst.get_memory(&store, "memory").unwrap();
        assert_eq!(&mem.data(&store)[..8], &[1, 0, 0, 0, 0, 0, 0, 0]);
        // Entering again with the total past the limit: the first operator fails.
        let e = super::call1(&mut store, &inst, "go", &[]).unwrap_err();
        assert_eq!(
            e.trap_code(),
            Some(TrapCode::CostLimitExceeded),
            "jit {jit}"
        );
        let s = store.statistics();
        assert_eq!((s.instr_count, s.total_cost), (6, 4), "jit {jit}");
    }
}

#[test]
fn jit_and_interpreter_hit_the_memory_page_limit_alike() {
    let wat = r#"(module (memory (export "memory") 1)
        (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
        (func (export "size") (result i32) (memory.size)))"#;
    let mut outcomes = Vec::new();
    for jit in [false, true] {
        for metered in [false, true] {
            let mut config = Config::new();
            config
                .jit(jit)
                .memory_page_limit(5)
                .count_instructions(metered)
                .measure_cost(metered);
            let engine = Engine::new(&config);
            let m = Module::new(&engine, wat::parse_str(wat).unwrap()).unwrap();
            assert_eq!(m.is_compiled(), jit);
            let mut store = Store::new(&engine, ());
            let inst = Instance::new(&mut store, &m, &[]).unwrap();
            let mut seen = Vec::new();
            for delta in [2, 3, 2, 0, 1, 65536, -1] {
                let r = super::call1(&mut store, &inst, "grow", &[Val::I32(delta)]).unwrap();
                let size = super::call1(&mut store, &inst, "size", &[]).unwrap();
                seen.push((r.i32(), size.i32()));
            }
            let s = store.statistics();
            outcomes.push((jit, metered, seen, s.instr_count, s.total_cost));
        }
    }
    let want: Vec<(Option<i32>, Option<i32>)> = [(1, 3), (-1, 3), (3, 5), (5, 5), (-1, 5)]
        .iter()
        .chain(&[(-1, 5), (-1, 5)])
        .map(|&(a, b)| (Some(a), Some(b)))
        .collect();
    for o in &outcomes {
        assert_eq!(o.2, want, "jit {} metered {}", o.0, o.1);
    }
    assert_eq!(outcomes[0].3..=outcomes[0].4, outcomes[2].3..=outcomes[2].4);
    assert_eq!(outcomes[1].3..=outcomes[1].4, outcomes[3].3..=outcomes[3].4);
    assert_eq!(outcomes[1].3, 7 * (3 + 2), "grow: 3 operators, size: 2");
}

#[test]
fn jit_metering_matches_the_interpreter_on_the_benchmark_programs() {
    // Real compiled C: the statistics of a whole run, and of runs stopped by the cost limit a
    // third and two thirds of the way, with the memory they leave.
    let programs = [
        ("fib", 18),
        ("matmul", 12),
        ("sieve", 1),
        ("sha256", 2),
        ("quicksort", 1),
        ("nbody", 500),
    ];
    let engines = [false, true].map(|jit| {
        let mut config = Config::new();
        config.jit(jit).count_instructions(true).measure_cost(true);
        Engine::new(&config)
    });
    for (name, arg) in programs {
        let path = format!(
            "{}/../../benches/programs/{name}.wasm",
            env!("CARGO_MANIFEST_DIR")
        );
        let wasm = std::fs::read(&path).unwrap();
        let run = |engine: &Engine, limit: u64| {
            let m = Module::new(engine, &wasm).unwrap();
            assert_eq!(m.is_compiled(), engine.config().is_jit(), "{name}");
            let mut store = Store::new(engine, ());
            let inst = Instance::new(&mut store, &m, &[]).unwrap();
            store.set_cost_limit(limit);
            let f = inst.get_func(&store, "run").unwrap();
            let mut out = [Val::default_for(f.ty(&store).results()[0])];
            let r = f
                .call(&mut store, &[Val::I32(arg)], &mut out)
                .map(|()| format!("{:?}", out[0]))
                .map_err(|e| e.trap_code());
            let memory: u64 = inst.get_memory(&store, "memory").map_or(0, |mem| {
                mem.data(&store)
                    .iter()
                    .enumerate()
                    .fold(0u64, |h, (i, &b)| {
                        h.wrapping_mul(31).wrapping_add(u64::from(b) ^ i as u64)
                    })
            });
            (
                r,
                store.statistics().instr_count,
                store.statistics().total_cost,
                memory,
            )
        };
        let full = run(&engines[0], u64::MAX);
        assert_eq!(run(&engines[1], u64::MAX), full, "{name}({arg})");
        assert!(full.0.is_ok(), "{name}: {full:?}");
        for limit in [full.2 / 3, full.2 * 2 / 3] {
            let want = run(&engines[0], limit);
            assert_eq!(want.0, Err(Some(TrapCode::CostLimitExceeded)), "{name}");
            assert_eq!(run(&engines[1], limit), want, "{name}({arg}) limit {limit}");
        }
    }
}

#[test]
fn jit_metered_loops_stop_at_a_deadline_with_their_statistics() {
    // Where an interrupt is seen differs between the tiers, but what was counted up to there
    // reaches the store: with the default table every operator costs 1, so count = cost; 3
    // operators run before the loop, and an iteration is 9 (its `loop` included).
    for jit in [false, true] {
        let mut config = Config::new();
        config
            .jit(jit)
            .interruptible(true)
            .count_instructions(true)
            .measure_cost(true);
        let engine = Engine::new(&config);
        let m = Module::new(
            &engine,
            wat::parse_str(
                r#"(module (memory (export "memory") 1)
                 (func (export "spin") (local i32)
                   (i32.store (i32.const 0) (i32.const 0))
                   (loop
                     (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                     (i32.store (i32.const 0) (local.get 0))
                     (br 0))))"#,
            )
            .unwrap(),
        )
        .unwrap();
        assert_eq!(m.is_compiled(), jit);
        let mut store = Store::new(&engine, ());
        let inst = Instance::new(&mut store, &m, &[]).unwrap();
        store.reset_statistics();
        store.set_deadline(Some(
            std::time::Instant::now() + std::time::Duration::from_millis(30),
        ));
        let f = inst.get_func(&store, "spin").unwrap();
        let e = f.call(&mut store, &[], &mut []).unwrap_err();
        assert_eq!(e.trap_code(), Some(TrapCode::Interrupted));
        let s = store.statistics();
        let mem = inst.get_memory(&store, "memory").unwrap();
        let iterations = u32::from_le_bytes(mem.data(&store)[..4].try_into().unwrap());
        assert!(iterations > 0);
        // Interrupted at a loop head, before the `loop` counts again (as in the interpreter, which
        // checks before it charges): every iteration that stored its number ran whole.
        assert_eq!(
            s.instr_count,
            3 + 9 * u64::from(iterations),
            "jit {jit}: {s:?}"
        );
        assert_eq!(s.total_cost, s.instr_count);
    }
}

/// A module from wasm-smith, with fuel so every call ends, and NaNs canonicalized so both
/// tiers compute the same bits.
fn generated_module(seed: u64) -> Option<Vec<u8>> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    let config = wasm_smith::Config {
        max_imports: 0,
        min_funcs: 1,
        max_funcs: 4,
        max_instructions: 150,
        export_everything: true,
        allow_start_export: false,
        canonicalize_nans: true,
        // Half the modules keep their memory accesses in bounds, so their stores land.
        disallow_traps: seed.is_multiple_of(2),
        max_memory32_bytes: 4 << 16,
        max_data_segments: 4,
        max_element_segments: 4,
        exceptions_enabled: false,
        gc_enabled: false,
        memory64_enabled: false,
        threads_enabled: false,
        relaxed_simd_enabled: false,
        wide_arithmetic_enabled: false,
        custom_page_sizes_enabled: false,
        compact_imports_enabled: false,
        ..wasm_smith::Config::default()
    };
    let mut u = arbitrary::Unstructured::new(&bytes);
    let mut module = wasm_smith::Module::new(config, &mut u).ok()?;
    module.ensure_termination(40).ok()?;
    Some(module.to_bytes())
}

/// What one call of an export leaves, with references reduced to null or not.
fn generated_outcome(engine: &Engine, m: &Module, name: &str, limit: u64) -> Option<String> {
    let mut store = Store::new(engine, ());
    store.set_cost_limit(limit);
    let inst = match Instance::new(&mut store, m, &[]) {
        Ok(i) => i,
        Err(e) => {
            return Some(format!(
                "instantiate: {:?} {:?}",
                e.trap_code(),
                store.statistics()
            ));
        }
    };
    let f = inst.get_func(&store, name)?;
    let ty = f.ty(&store);
    let params: Vec<Val> = ty.params().iter().map(|&t| Val::default_for(t)).collect();
    let mut results: Vec<Val> = ty.results().iter().map(|&t| Val::default_for(t)).collect();
    let r = f.call(&mut store, &params, &mut results);
    if let Err(e) = &r
        && e.trap_code() == Some(TrapCode::CallStackExhausted)
    {
        return None; // The tiers' stack limits differ; not a metering question.
    }
    let shown: Vec<String> = results
        .iter()
        .map(|v| match v {
            Val::FuncRef(f) => format!("funcref {}", f.is_some()),
            Val::ExternRef(e) => format!("externref {}", e.is_some()),
            other => format!("{other:?}"),
        })
        .collect();
    let memory = inst
        .exports(&store)
        .into_iter()
        .find_map(|(_, e)| e.into_memory());
    let hash = memory.map_or(0u64, |mem| {
        mem.data(&store)
            .iter()
            .fold(0u64, |h, &b| h.wrapping_mul(31).wrapping_add(u64::from(b)))
    });
    let s = store.statistics();
    Some(format!(
        "{:?} {shown:?} count {} cost {} memory {hash:x}",
        r.as_ref().map_err(|e| e.trap_code()),
        s.instr_count,
        s.total_cost
    ))
}

/// Random modules (wasm-smith: multi-value blocks, `br_table`s, tail calls, SIMD, bulk memory,
/// reference types...) on both tiers, each export called with zeros, without a limit and with
/// a few limits (every limit for the first, short ones): result, error, count, cost and memory
/// must match. This catches counting and charging mistakes in control flow the programs above
/// do not have; stores seldom change memory in such modules, so the order of side effects and
/// the limit is what the hand-written programs above check, at every limit.
#[test]
fn jit_metering_matches_the_interpreter_on_generated_modules() {
    let costs: Vec<u64> = (0..metering::OPCODES.len() as u64)
        .map(|i| (i * 13) % 4)
        .collect();
    let mut compared = 0;
    for table in [None, Some(&costs[..])] {
        let engines = [false, true].map(|jit| {
            let mut config = Config::new();
            config.jit(jit).count_instructions(true).measure_cost(true);
            if let Some(c) = table {
                config.cost_table(c);
            }
            Engine::new(&config)
        });
        for seed in 0..300u64 {
            let Some(wasm) = generated_module(seed) else {
                continue;
            };
            let (Ok(interp), Ok(jit)) = (
                Module::new(&engines[0], &wasm),
                Module::new(&engines[1], &wasm),
            ) else {
                continue;
            };
            assert!(jit.is_compiled(), "seed {seed}: not compiled");
            let names: Vec<String> = interp
                .exports()
                .filter(|e| matches!(e.ty, ExternType::Func(_)))
                .map(|e| e.name.to_string())
                .collect();
            for name in names {
                let Some(full) = generated_outcome(&engines[0], &interp, &name, u64::MAX) else {
                    continue;
                };
                let Some(got) = generated_outcome(&engines[1], &jit, &name, u64::MAX) else {
                    continue;
                };
                assert_eq!(got, full, "seed {seed} {name} (table {})", table.is_some());
                compared += 1;
                let total: u64 = full
                    .split(" cost ")
                    .nth(1)
                    .and_then(|t| t.split(' ').next())
                    .and_then(|t| t.parse().ok())
                    .unwrap_or(0);
                // Every limit for the first modules (where the calls are short), a few for the
                // others.
                let every: Vec<u64> = if seed < 60 && total <= 600 {
                    (0..=total).collect()
                } else {
                    vec![
                        total / 3,
                        total / 2,
                        total.saturating_sub(1),
                        (seed * 7919) % (total + 1),
                    ]
                };
                for limit in every {
                    let want = generated_outcome(&engines[0], &interp, &name, limit);
                    let got = generated_outcome(&engines[1], &jit, &name, limit);
                    if let (Some(want), Some(got)) = (want, got) {
                        assert_eq!(got, want, "seed {seed} {name} limit {limit}");
                        compared += 1;
                    }
                }
            }
        }
    }
    assert!(compared > 300, "only {compared} comparisons");
}
