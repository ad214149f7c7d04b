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
    let engine = jit_engine();
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
    // A module with a tail call is interpreted (Cranelift does not compile tail calls yet); it
    // calls back into compiled code through an import.
    let interp = Module::new(
        &engine,
        wat::parse_str(
            r#"(module
                 (import "env" "double" (func $d (param i32) (result i32)))
                 (func (export "via_interp") (param i32) (result i32)
                   (return_call $d (local.get 0))))"#,
        )
        .unwrap(),
    )
    .unwrap();
    assert!(!interp.is_compiled());
    let interp_inst = linker.instantiate(&mut store, &interp).unwrap();
    linker.instance(&store, "interp", interp_inst).unwrap();
    let main = Module::new(
        &engine,
        wat::parse_str(
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
        )
        .unwrap(),
    )
    .unwrap();
    assert!(main.is_compiled());
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
    let engine = jit_engine();
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
    // Interpreted (it has a tail call): adds 1 to every i32 lane.
    let interp = Module::new(
        &engine,
        wat::parse_str(
            r#"(module
                 (func $inc (param v128) (result v128)
                   (i32x4.add (local.get 0) (v128.const i32x4 1 1 1 1)))
                 (func (export "inc") (param v128) (result v128) (return_call $inc (local.get 0))))"#,
        )
        .unwrap(),
    )
    .unwrap();
    assert!(!interp.is_compiled());
    let interp_inst = linker.instantiate(&mut store, &interp).unwrap();
    linker.instance(&store, "interp", interp_inst).unwrap();
    let simd = Module::new(
        &engine,
        wat::parse_str(
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
        )
        .unwrap(),
    )
    .unwrap();
    assert!(simd.is_compiled());
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
