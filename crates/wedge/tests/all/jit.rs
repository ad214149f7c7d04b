//! The compiled tier through the embedding API: modules compile, compiled and interpreted code
//! and host functions call each other, traps and host errors cross the tiers.

use wedge::{
    Config, Engine, Func, FuncType, Instance, Linker, Module, Store, TrapCode, Val, ValType,
};

fn jit_engine() -> Engine {
    let mut config = Config::new();
    config.jit(true);
    Engine::new(&config)
}

/// An engine that runs universal wasm files (`Engine::precompile`) compiled and interprets
/// plain modules, so one store holds both tiers.
fn mixed_engine() -> Engine {
    let mut config = Config::new();
    config.aot(true);
    Engine::new(&config)
}

/// `wat` as a module `mixed_engine` runs compiled.
fn compiled(engine: &Engine, wat: &str) -> Module {
    let universal = engine
        .precompile(&wat::parse_str(wat).unwrap(), &|_, _| {})
        .unwrap();
    let m = Module::new(engine, universal).unwrap();
    assert!(m.is_compiled());
    m
}

/// `wat` as a module `mixed_engine` interprets.
fn interpreted(engine: &Engine, wat: &str) -> Module {
    let m = Module::new(engine, wat::parse_str(wat).unwrap()).unwrap();
    assert!(!m.is_compiled());
    m
}

const FIB: &str = r#"
(module
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2))))))))
"#;

fn call(
    store: &mut Store<()>,
    i: &Instance,
    name: &str,
    args: &[Val],
) -> Result<Vec<Val>, wedge::Error> {
    let f = i.get_func(&*store, name).unwrap();
    let mut out: Vec<Val> = f
        .ty(&*store)
        .results()
        .iter()
        .map(|t| Val::default_for(*t))
        .collect();
    f.call(store, args, &mut out).map(|()| out)
}

#[test]
fn jit_compiles_and_runs_fib() {
    let engine = jit_engine();
    let module = Module::new(&engine, wat::parse_str(FIB).unwrap()).unwrap();
    assert!(module.is_compiled());
    let mut store = Store::new(&engine, ());
    let i = Instance::new(&mut store, &module, &[]).unwrap();
    assert_eq!(
        call(&mut store, &i, "fib", &[Val::I32(20)]).unwrap()[0].i32(),
        Some(6765)
    );
    let interp = Module::new(&Engine::default(), wat::parse_str(FIB).unwrap()).unwrap();
    assert!(!interp.is_compiled());
}

#[test]
fn compiled_code_calls_host_functions_and_interpreted_modules() {
    let engine = mixed_engine();
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    let double = Func::new(
        &mut store,
        FuncType::new([ValType::I32], [ValType::I32]),
        |_c, p, r| {
            r[0] = Val::I32(p[0].i32().unwrap() * 2);
            Ok(())
        },
    );
    let fail = Func::new(&mut store, FuncType::new([], []), |_c, _p, _r| {
        Err(wedge::Error::host("the host says no"))
    });
    linker.define("env", "double", double).unwrap();
    linker.define("env", "fail", fail).unwrap();
    // An interpreted module; it calls back into compiled code through an import.
    let interp = interpreted(
        &engine,
        r#"(module
             (import "env" "double" (func $d (param i32) (result i32)))
             (func (export "via_interp") (param i32) (result i32)
               (return_call $d (local.get 0))))"#,
    );
    let interp_inst = linker.instantiate(&mut store, &interp).unwrap();
    linker.instance(&store, "interp", interp_inst).unwrap();
    let main = compiled(
        &engine,
        r#"(module
             (import "env" "double" (func $d (param i32) (result i32)))
             (import "env" "fail" (func $fail))
             (import "interp" "via_interp" (func $v (param i32) (result i32)))
             (table 1 funcref) (elem (i32.const 0) $v)
             (type $t (func (param i32) (result i32)))
             (func (export "twice") (param i32) (result i32) (call $d (local.get 0)))
             (func (export "mixed") (param i32) (result i32)
               (call_indirect (type $t) (local.get 0) (i32.const 0)))
             (func (export "fail") (call $fail) (unreachable))
             (func (export "div") (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0))))"#,
    );
    let i = linker.instantiate(&mut store, &main).unwrap();
    assert_eq!(
        call(&mut store, &i, "twice", &[Val::I32(21)]).unwrap()[0].i32(),
        Some(42)
    );
    assert_eq!(
        call(&mut store, &i, "mixed", &[Val::I32(4)]).unwrap()[0].i32(),
        Some(8)
    );
    let e = call(&mut store, &i, "fail", &[]).unwrap_err();
    assert!(e.to_string().contains("the host says no"), "{e}");
    let e = call(&mut store, &i, "div", &[Val::I32(0)]).unwrap_err();
    assert_eq!(e.trap_code(), Some(TrapCode::IntegerDivideByZero));
    // The store still works after errors.
    assert_eq!(
        call(&mut store, &i, "div", &[Val::I32(1)]).unwrap()[0].i32(),
        Some(1)
    );
}

#[test]
fn deep_recursion_in_compiled_code_traps() {
    let engine = jit_engine();
    let module = Module::new(
        &engine,
        wat::parse_str(r#"(module (func $f (export "f") (call $f)))"#).unwrap(),
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let i = Instance::new(&mut store, &module, &[]).unwrap();
    let e = call(&mut store, &i, "f", &[]).unwrap_err();
    assert_eq!(e.trap_code(), Some(TrapCode::CallStackExhausted));
}

#[test]
fn interrupts_and_deadlines_stop_compiled_loops() {
    let mut config = Config::new();
    config.jit(true).interruptible(true);
    let engine = Engine::new(&config);
    let module = Module::new(
        &engine,
        wat::parse_str(r#"(module (func (export "spin") (loop (br 0))))"#).unwrap(),
    )
    .unwrap();
    assert!(module.is_compiled());
    let mut store = Store::new(&engine, ());
    let i = Instance::new(&mut store, &module, &[]).unwrap();
    let handle = store.interrupt_handle();
    let t = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(20));
        handle.interrupt();
    });
    let e = call(&mut store, &i, "spin", &[]).unwrap_err();
    assert_eq!(e.trap_code(), Some(TrapCode::Interrupted));
    t.join().unwrap();
    store.set_deadline(Some(
        std::time::Instant::now() + std::time::Duration::from_millis(20),
    ));
    let e = call(&mut store, &i, "spin", &[]).unwrap_err();
    assert_eq!(e.trap_code(), Some(TrapCode::Interrupted));
}

#[test]
fn deep_recursion_on_a_small_thread_stack_traps_instead_of_crashing() {
    // 256 KiB of stack: less than the default compiled-code budget (512 KiB) below the entry.
    let t = std::thread::Builder::new()
        .stack_size(384 << 10)
        .spawn(|| {
            let engine = jit_engine();
            let module = Module::new(
                &engine,
                wat::parse_str(
                    r#"(module (func $f (export "f") (param i64) (result i64)
                         (i64.add (call $f (i64.add (local.get 0) (i64.const 1))) (i64.const 1))))"#,
                )
                .unwrap(),
            )
            .unwrap();
            let mut store = Store::new(&engine, ());
            let i = Instance::new(&mut store, &module, &[]).unwrap();
            call(&mut store, &i, "f", &[Val::I64(0)]).unwrap_err().trap_code()
        })
        .unwrap();
    assert_eq!(t.join().unwrap(), Some(TrapCode::CallStackExhausted));
}

#[test]
fn compiled_memory_grow_respects_the_page_limit_and_bulk_operators_work() {
    let mut config = Config::new();
    config.jit(true).memory_page_limit(3);
    let engine = Engine::new(&config);
    let module = Module::new(
        &engine,
        wat::parse_str(
            r#"(module
                 (memory 1)
                 (data $d "hello")
                 (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
                 (func (export "size") (result i32) (memory.size))
                 (func (export "init_copy_fill") (result i32)
                   (memory.init $d (i32.const 100) (i32.const 0) (i32.const 5))
                   (memory.copy (i32.const 200) (i32.const 100) (i32.const 5))
                   (memory.fill (i32.const 202) (i32.const 33) (i32.const 1))
                   (data.drop $d)
                   (i32.load8_u (i32.const 202)))
                 (func (export "init_after_drop")
                   (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1))))"#,
        )
        .unwrap(),
    )
    .unwrap();
    assert!(module.is_compiled());
    let mut store = Store::new(&engine, ());
    let i = Instance::new(&mut store, &module, &[]).unwrap();
    assert_eq!(
        call(&mut store, &i, "grow", &[Val::I32(2)]).unwrap()[0].i32(),
        Some(1)
    );
    assert_eq!(
        call(&mut store, &i, "grow", &[Val::I32(1)]).unwrap()[0].i32(),
        Some(-1)
    );
    assert_eq!(call(&mut store, &i, "size", &[]).unwrap()[0].i32(), Some(3));
    assert_eq!(
        call(&mut store, &i, "init_copy_fill", &[]).unwrap()[0].i32(),
        Some(33)
    );
    let mem = i.get_memory(&store, "memory");
    assert!(mem.is_none(), "the memory is not exported");
    let e = call(&mut store, &i, "init_after_drop", &[]).unwrap_err();
    assert_eq!(e.trap_code(), Some(TrapCode::MemoryOutOfBounds));
}

#[test]
fn simd_modules_compile_and_pass_v128_to_host_functions_and_interpreted_code() {
    let engine = mixed_engine();
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    // The host reverses the 16 bytes.
    let reverse = Func::new(
        &mut store,
        FuncType::new([ValType::V128], [ValType::V128]),
        |_c, p, r| {
            let Val::V128(v) = p[0] else {
                return Err(wedge::Error::host("not a v128"));
            };
            r[0] = Val::V128(v.swap_bytes());
            Ok(())
        },
    );
    linker.define("env", "reverse", reverse).unwrap();
    // Interpreted: adds 1 to every i32 lane.
    let interp = interpreted(
        &engine,
        r#"(module
             (func $inc (param v128) (result v128)
               (i32x4.add (local.get 0) (v128.const i32x4 1 1 1 1)))
             (func (export "inc") (param v128) (result v128) (return_call $inc (local.get 0))))"#,
    );
    let interp_inst = linker.instantiate(&mut store, &interp).unwrap();
    linker.instance(&store, "interp", interp_inst).unwrap();
    let simd = compiled(
        &engine,
        r#"(module
             (import "env" "reverse" (func $rev (param v128) (result v128)))
             (import "interp" "inc" (func $inc (param v128) (result v128)))
             (func (export "dot") (param v128 v128) (result i32)
               (local $p v128)
               (local.set $p (i32x4.dot_i16x8_s (local.get 0) (local.get 1)))
               (i32.add (i32x4.extract_lane 0 (local.get $p))
                 (i32.add (i32x4.extract_lane 1 (local.get $p))
                   (i32.add (i32x4.extract_lane 2 (local.get $p))
                            (i32x4.extract_lane 3 (local.get $p))))))
             (func (export "round_trip") (param v128) (result v128)
               (call $rev (call $inc (call $rev (local.get 0))))))"#,
    );
    let i = linker.instantiate(&mut store, &simd).unwrap();
    let a = u128::from_le_bytes(std::array::from_fn(|k| k as u8 + 1));
    let b = u128::from_le_bytes([2; 16]);
    // i16 lanes of `a`: 0x0201, 0x0403, ...; of `b`: 0x0202 each.
    let expected: i32 = (0..8)
        .map(|k| i32::from(u16::from_le_bytes([2 * k + 1, 2 * k + 2]) as i16) * 0x0202)
        .sum();
    assert_eq!(
        call(&mut store, &i, "dot", &[Val::V128(a), Val::V128(b)]).unwrap()[0].i32(),
        Some(expected)
    );
    let r = call(&mut store, &i, "round_trip", &[Val::V128(a)]).unwrap();
    // No i32 lane of the reversed bytes overflows, so the lane-wise add is a 128-bit one.
    let inc = a.swap_bytes() + (1 | 1 << 32 | 1 << 64 | 1 << 96);
    assert!(
        matches!(r[0], Val::V128(v) if v == inc.swap_bytes()),
        "{:?}",
        r[0]
    );
}

/// Tail calls: a loop of a million, mutual recursion through a table, and tail calls into a
/// host function and into the interpreted module, with their traps and errors.
const TAIL_CALLS: &str = r#"(module
  (import "env" "double" (func $double (param i32) (result i32)))
  (import "env" "fail" (func $fail (param i32) (result i32)))
  (type $t (func (param i32) (result i32)))
  (table 4 funcref)
  (elem (i32.const 0) $even $odd $double)
  (func $sum (export "sum") (param i64 i64) (result i64)
    (if (result i64) (i64.eqz (local.get 0))
      (then (local.get 1))
      (else (return_call $sum (i64.sub (local.get 0) (i64.const 1))
                              (i64.add (local.get 1) (local.get 0))))))
  (func $even (export "even") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 1))
      (else (return_call_indirect (type $t) (i32.sub (local.get 0) (i32.const 1)) (i32.const 1)))))
  (func $odd (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (return_call_indirect (type $t) (i32.sub (local.get 0) (i32.const 1)) (i32.const 0)))))
  (func (export "host") (param i32) (result i32)
    (return_call $double (i32.add (local.get 0) (i32.const 1))))
  (func (export "host_indirect") (param i32) (result i32)
    (return_call_indirect (type $t) (local.get 0) (i32.const 2)))
  (func (export "host_fails") (param i32) (result i32)
    (return_call $fail (local.get 0)))
  (func $div (param i32) (result i32) (i32.div_u (i32.const 100) (local.get 0)))
  (func (export "trap_below") (param i32) (result i32)
    (i32.add (call $div_tail (local.get 0)) (i32.const 1)))
  (func $div_tail (param i32) (result i32) (return_call $div (local.get 0)))
  (func (export "null") (result i32)
    (return_call_indirect (type $t) (i32.const 0) (i32.const 3))))"#;

fn tail_call_imports(store: &mut Store<()>, linker: &mut Linker<()>) {
    let ty = || FuncType::new([ValType::I32], [ValType::I32]);
    let double = Func::new(&mut *store, ty(), |_c, p, r| {
        r[0] = Val::I32(p[0].i32().unwrap() * 2);
        Ok(())
    });
    let fail = Func::new(&mut *store, ty(), |_c, _p, _r| {
        Err(wedge::Error::host("the host says no"))
    });
    linker.define("env", "double", double).unwrap();
    linker.define("env", "fail", fail).unwrap();
}

#[test]
fn tail_calls_compile_run_in_constant_stack_and_reach_host_functions() {
    // On a 384 KiB thread: a million plain calls could never fit, a million tail calls do.
    let t = std::thread::Builder::new()
        .stack_size(384 << 10)
        .spawn(|| {
            let engine = jit_engine();
            let module = Module::new(&engine, wat::parse_str(TAIL_CALLS).unwrap()).unwrap();
            assert!(module.is_compiled(), "{:?}", module.native_code());
            let mut store = Store::new(&engine, ());
            let mut linker = Linker::new(&engine);
            tail_call_imports(&mut store, &mut linker);
            let i = linker.instantiate(&mut store, &module).unwrap();
            let mut c = |name: &str, args: &[Val]| call(&mut store, &i, name, args);
            let n = 1_000_000i64;
            assert_eq!(
                c("sum", &[Val::I64(n), Val::I64(0)]).unwrap()[0].i64(),
                Some(n * (n + 1) / 2)
            );
            assert_eq!(c("even", &[Val::I32(1_000_000)]).unwrap()[0].i32(), Some(1));
            assert_eq!(c("even", &[Val::I32(999_999)]).unwrap()[0].i32(), Some(0));
            assert_eq!(c("host", &[Val::I32(20)]).unwrap()[0].i32(), Some(42));
            assert_eq!(
                c("host_indirect", &[Val::I32(4)]).unwrap()[0].i32(),
                Some(8)
            );
            let e = c("host_fails", &[Val::I32(1)]).unwrap_err();
            assert!(e.to_string().contains("the host says no"), "{e}");
            assert_eq!(c("trap_below", &[Val::I32(4)]).unwrap()[0].i32(), Some(26));
            let e = c("trap_below", &[Val::I32(0)]).unwrap_err();
            assert_eq!(e.trap_code(), Some(TrapCode::IntegerDivideByZero));
            let e = c("null", &[]).unwrap_err();
            assert_eq!(e.trap_code(), Some(TrapCode::UninitializedElement));
        })
        .unwrap();
    t.join().unwrap();
}

#[test]
fn compiled_code_tail_calls_interpreted_code_and_back() {
    let engine = mixed_engine();
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    tail_call_imports(&mut store, &mut linker);
    let lib = compiled(&engine, TAIL_CALLS);
    let lib = linker.instantiate(&mut store, &lib).unwrap();
    linker.instance(&store, "lib", lib).unwrap();
    // The interpreted module tail-calls compiled code, which tail-calls the host.
    let interp = interpreted(
        &engine,
        r#"(module
             (import "lib" "host" (func $host (param i32) (result i32)))
             (func (export "via_interp") (param i32) (result i32)
               (return_call $host (i32.mul (local.get 0) (i32.const 3)))))"#,
    );
    let interp = linker.instantiate(&mut store, &interp).unwrap();
    linker.instance(&store, "interp", interp).unwrap();
    let main = compiled(
        &engine,
        r#"(module
             (import "interp" "via_interp" (func $v (param i32) (result i32)))
             (import "lib" "trap_below" (func $t (param i32) (result i32)))
             (type $ty (func (param i32) (result i32)))
             (table 1 funcref) (elem (i32.const 0) $v)
             (func (export "direct") (param i32) (result i32) (return_call $v (local.get 0)))
             (func (export "indirect") (param i32) (result i32)
               (return_call_indirect (type $ty) (local.get 0) (i32.const 0)))
             (func (export "trap") (param i32) (result i32) (return_call $t (local.get 0))))"#,
    );
    let i = linker.instantiate(&mut store, &main).unwrap();
    // (5 * 3 + 1) * 2
    assert_eq!(
        call(&mut store, &i, "direct", &[Val::I32(5)]).unwrap()[0].i32(),
        Some(32)
    );
    assert_eq!(
        call(&mut store, &i, "indirect", &[Val::I32(5)]).unwrap()[0].i32(),
        Some(32)
    );
    let e = call(&mut store, &i, "trap", &[Val::I32(0)]).unwrap_err();
    assert_eq!(e.trap_code(), Some(TrapCode::IntegerDivideByZero));
    assert_eq!(
        call(&mut store, &i, "trap", &[Val::I32(50)]).unwrap()[0].i32(),
        Some(3)
    );
}

#[test]
fn compiled_tail_calls_count_the_interpreters_instructions() {
    let counts: Vec<(u64, i64)> = [false, true]
        .into_iter()
        .map(|jit| {
            let mut config = Config::new();
            config.jit(jit).count_instructions(true);
            let engine = Engine::new(&config);
            let module = Module::new(&engine, wat::parse_str(TAIL_CALLS).unwrap()).unwrap();
            assert_eq!(module.is_compiled(), jit);
            let mut store = Store::new(&engine, ());
            let mut linker = Linker::new(&engine);
            tail_call_imports(&mut store, &mut linker);
            let i = linker.instantiate(&mut store, &module).unwrap();
            store.reset_statistics();
            let mut sum = 0;
            for (name, arg) in [
                ("even", 1001),
                ("host", 3),
                ("host_indirect", 3),
                ("trap_below", 5),
            ] {
                sum += i64::from(
                    call(&mut store, &i, name, &[Val::I32(arg)]).unwrap()[0]
                        .i32()
                        .unwrap(),
                );
            }
            let r = call(&mut store, &i, "sum", &[Val::I64(1000), Val::I64(0)]).unwrap();
            sum += r[0].i64().unwrap();
            assert!(call(&mut store, &i, "trap_below", &[Val::I32(0)]).is_err());
            assert!(call(&mut store, &i, "null", &[]).is_err());
            (store.statistics().instr_count, sum)
        })
        .collect();
    assert!(counts[0].0 > 10_000, "{counts:?}");
    assert_eq!(counts[0], counts[1]);
}

#[test]
fn a_repeated_access_is_checked_again_when_it_reaches_further() {
    // The translator skips a bounds check already passed at the same address for an access
    // ending no further; one ending further (the store) must still trap, after the load.
    let engine = jit_engine();
    let wat = r#"(module (memory 1)
      (func (export "f") (param i32) (result i32)
        (local $v i32)
        (local.set $v (i32.load8_u (local.get 0)))
        (i32.store8 (local.get 0) (i32.const 7))
        (i32.store (local.get 0) (local.get $v))
        (i32.load8_u (local.get 0)))
      (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0))))"#;
    let module = Module::new(&engine, wat::parse_str(wat).unwrap()).unwrap();
    assert!(module.is_compiled());
    let mut store = Store::new(&engine, ());
    let i = Instance::new(&mut store, &module, &[]).unwrap();
    assert_eq!(
        call(&mut store, &i, "f", &[Val::I32(100)]).unwrap()[0].i32(),
        Some(0)
    );
    let e = call(&mut store, &i, "f", &[Val::I32(65534)]).unwrap_err();
    assert_eq!(e.trap_code(), Some(TrapCode::MemoryOutOfBounds));
    // The byte store before the trapping word store happened, as in the interpreter.
    assert_eq!(
        call(&mut store, &i, "peek", &[Val::I32(65534)]).unwrap()[0].i32(),
        Some(7)
    );
}

#[test]
fn accesses_in_the_guard_region_trap_and_memory_stays_usable() {
    // Memories are reserved with a guard, so these accesses compile without a bounds check
    // (offset + size within the guard) and fault beyond the length; the fault becomes the
    // trap. An offset past the guard is checked explicitly.
    let engine = jit_engine();
    let wat = r#"(module (memory 1 3)
      (func (export "load") (param i32) (result i64) (i64.load (local.get 0)))
      (func (export "load_far") (param i32) (result i32)
        (i32.load offset=0x7ffffff0 (local.get 0)))
      (func (export "load_past_guard") (param i32) (result i32)
        (i32.load offset=0xfffffff0 (local.get 0)))
      (func (export "store") (param i32 i64) (i64.store (local.get 0) (local.get 1)))
      (func (export "v128") (param i32) (result i32)
        (i32x4.extract_lane 3 (v128.load (local.get 0))))
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"#;
    let module = Module::new(&engine, wat::parse_str(wat).unwrap()).unwrap();
    assert!(module.is_compiled());
    let mut store = Store::new(&engine, ());
    let i = Instance::new(&mut store, &module, &[]).unwrap();
    let oob = |store: &mut Store<()>, name: &str, args: &[Val]| {
        let e = call(store, &i, name, args).unwrap_err();
        assert_eq!(
            e.trap_code(),
            Some(TrapCode::MemoryOutOfBounds),
            "{name} {args:?}"
        );
    };
    call(&mut store, &i, "store", &[Val::I32(65528), Val::I64(-2)]).unwrap();
    assert_eq!(
        call(&mut store, &i, "load", &[Val::I32(65528)]).unwrap()[0].i64(),
        Some(-2)
    );
    for addr in [65529, 65536, 1 << 20, -8, -1] {
        oob(&mut store, "load", &[Val::I32(addr)]);
        oob(&mut store, "store", &[Val::I32(addr), Val::I64(1)]);
    }
    oob(&mut store, "v128", &[Val::I32(65521)]);
    oob(&mut store, "load_far", &[Val::I32(0)]);
    oob(&mut store, "load_far", &[Val::I32(-1)]);
    oob(&mut store, "load_past_guard", &[Val::I32(0)]);
    oob(&mut store, "load_past_guard", &[Val::I32(-1)]);
    // A partly out-of-bounds store writes nothing.
    assert_eq!(
        call(&mut store, &i, "load", &[Val::I32(65528)]).unwrap()[0].i64(),
        Some(-2)
    );
    // After growing, the same addresses work; the maximum still bounds the memory.
    assert_eq!(
        call(&mut store, &i, "grow", &[Val::I32(2)]).unwrap()[0].i32(),
        Some(1)
    );
    call(&mut store, &i, "store", &[Val::I32(65536), Val::I64(5)]).unwrap();
    assert_eq!(
        call(&mut store, &i, "load", &[Val::I32(65536)]).unwrap()[0].i64(),
        Some(5)
    );
    oob(&mut store, "load", &[Val::I32(3 * 65536 - 4)]);
}

#[test]
fn a_trap_unwinds_only_to_the_innermost_entry_from_the_host() {
    // compiled `outer` -> host -> compiled `inner`, which traps: the host sees the trap as an
    // error, handles it, and `outer` goes on.
    let engine = jit_engine();
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    let host = Func::new(
        &mut store,
        FuncType::new([ValType::I32], [ValType::I32]),
        |mut c, p, r| {
            let inner = c.get_export("inner").and_then(|e| e.into_func()).unwrap();
            let mut out = [Val::I32(0)];
            let v = match inner.call(&mut c, &[p[0].clone()], &mut out) {
                Ok(()) => out[0].i32().unwrap(),
                Err(e) => {
                    assert_eq!(e.trap_code(), Some(TrapCode::IntegerDivideByZero));
                    -1
                }
            };
            r[0] = Val::I32(v * 10);
            Ok(())
        },
    );
    linker.define("env", "host", host).unwrap();
    let module = Module::new(
        &engine,
        wat::parse_str(
            r#"(module
             (import "env" "host" (func $h (param i32) (result i32)))
             (func (export "inner") (param i32) (result i32)
               (i32.div_u (i32.const 100) (local.get 0)))
             (func (export "outer") (param i32) (result i32)
               (i32.add (call $h (local.get 0)) (i32.const 1))))"#,
        )
        .unwrap(),
    )
    .unwrap();
    assert!(module.is_compiled());
    let i = linker.instantiate(&mut store, &module).unwrap();
    assert_eq!(
        call(&mut store, &i, "outer", &[Val::I32(5)]).unwrap()[0].i32(),
        Some(201)
    );
    assert_eq!(
        call(&mut store, &i, "outer", &[Val::I32(0)]).unwrap()[0].i32(),
        Some(-9)
    );
}

#[test]
fn threads_trap_independently() {
    let engine = jit_engine();
    let module = Module::new(
        &engine,
        wat::parse_str(
            r#"(module (memory 1)
             (func (export "f") (param i32) (result i32)
               (local $i i32) (local $s i32)
               (loop $l
                 (local.set $s (i32.add (local.get $s) (i32.load8_u (local.get $i))))
                 (local.set $i (i32.add (local.get $i) (i32.const 1)))
                 (br_if $l (i32.lt_u (local.get $i) (local.get 0))))
               (local.get $s)))"#,
        )
        .unwrap(),
    )
    .unwrap();
    assert!(module.is_compiled());
    std::thread::scope(|s| {
        for t in 0..4 {
            let (engine, module) = (&engine, &module);
            s.spawn(move || {
                let mut store = Store::new(engine, ());
                let i = Instance::new(&mut store, module, &[]).unwrap();
                for k in 0..200 {
                    // Odd rounds read past the end and trap; even rounds finish.
                    let n = if (k + t) % 2 == 0 { 65536 } else { 65537 };
                    let r = call(&mut store, &i, "f", &[Val::I32(n)]);
                    match r {
                        Ok(v) => assert_eq!(v[0].i32(), Some(0)),
                        Err(e) => {
                            assert_eq!(n, 65537);
                            assert_eq!(e.trap_code(), Some(TrapCode::MemoryOutOfBounds));
                        }
                    }
                }
            });
        }
    });
}
