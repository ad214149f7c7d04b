//! Integration tests of the embedding API.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use wedge::*;

// The compiled tier's tests need it built in.
#[cfg(feature = "cranelift")]
mod aot;
#[cfg(feature = "cranelift")]
mod jit;
#[cfg(feature = "cranelift")]
mod jit_metering;
mod metering;

fn module(engine: &Engine, wat: &str) -> Module {
    Module::new(engine, wat::parse_str(wat).expect("valid wat")).expect("valid module")
}

fn call1(
    store: &mut Store<impl Sized>,
    inst: &Instance,
    name: &str,
    args: &[Val],
) -> Result<Val, Error> {
    let f = inst.get_func(&*store, name).expect("export");
    let ty = f.ty(&*store);
    let mut results = vec![Val::default_for(ty.results()[0])];
    f.call(&mut *store, args, &mut results)?;
    Ok(results.remove(0))
}

#[test]
fn host_function_keeps_state_and_reads_caller_memory() {
    let engine = Engine::default();
    let m = module(
        &engine,
        r#"(module
            (import "host" "log" (func $log (param i32 i32) (result i32)))
            (memory (export "memory") 1)
            (data (i32.const 16) "hello")
            (func (export "go") (result i32)
                (drop (call $log (i32.const 16) (i32.const 5)))
                (call $log (i32.const 16) (i32.const 5))))"#,
    );
    let mut store = Store::new(&engine, Vec::<String>::new());
    let calls = Arc::new(AtomicU32::new(0));
    let counter = calls.clone();
    let log = Func::new(
        &mut store,
        FuncType::new([ValType::I32, ValType::I32], [ValType::I32]),
        move |mut caller: Caller<'_, Vec<String>>, params, results| {
            let mem = caller
                .get_export("memory")
                .and_then(Extern::into_memory)
                .ok_or_else(|| Error::host("no memory"))?;
            let (ptr, len) = (
                params[0].i32().unwrap_or(0) as usize,
                params[1].i32().unwrap_or(0) as usize,
            );
            let mut buf = vec![0; len];
            mem.read(&caller, ptr, &mut buf)?;
            caller
                .data_mut()
                .push(String::from_utf8_lossy(&buf).into_owned());
            results[0] = Val::I32(counter.fetch_add(1, Ordering::SeqCst) as i32 + 1);
            Ok(())
        },
    );
    let inst = Instance::new(&mut store, &m, &[log.into()]).expect("instantiate");
    assert_eq!(call1(&mut store, &inst, "go", &[]).unwrap().i32(), Some(2));
    assert_eq!(store.data(), &["hello".to_string(), "hello".to_string()]);
}

#[test]
fn deep_recursion_traps_without_growing_host_memory() {
    let engine = Engine::default();
    let m = module(
        &engine,
        r#"(module (func $f (export "f") (param i64) (result i64)
            (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 0))
              (else (i64.add (i64.const 1) (call $f (i64.sub (local.get 0) (i64.const 1))))))))"#,
    );
    let mut store = Store::new(&engine, ());
    let inst = Instance::new(&mut store, &m, &[]).unwrap();
    // 100 million frames would need gigabytes; the bounded call stack traps instead.
    let err = call1(&mut store, &inst, "f", &[Val::I64(100_000_000)]).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::CallStackExhausted));
    // A depth within the limit still computes.
    assert_eq!(
        call1(&mut store, &inst, "f", &[Val::I64(50_000)])
            .unwrap()
            .i64(),
        Some(50_000)
    );
}

#[test]
fn call_depth_is_configurable() {
    let mut config = Config::new();
    config.max_call_depth(100);
    let engine = Engine::new(&config);
    let m = module(
        &engine,
        r#"(module (func $f (export "f") (param i32) (result i32)
            (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
              (else (call $f (i32.sub (local.get 0) (i32.const 1)))))))"#,
    );
    let mut store = Store::new(&engine, ());
    let inst = Instance::new(&mut store, &m, &[]).unwrap();
    assert!(call1(&mut store, &inst, "f", &[Val::I32(50)]).is_ok());
    let err = call1(&mut store, &inst, "f", &[Val::I32(500)]).unwrap_err();
    assert_eq!(err.trap_code(), Some(TrapCode::CallStackExhausted));
}

#[test]
fn memory_page_limit_caps_growth() {
    let mut config = Config::new();
    config.memory_page_limit(4);
    let engine = Engine::new(&config);
    let m = module(
        &engine,
        r#"(module (memory 1) (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))"#,
    );
    let mut store = Store::new(&engine, ());
    let inst = Instance::new(&mut store, &m, &[]).unwrap();
    assert_eq!(
        call1(&mut store, &inst, "grow", &[Val::I32(3)])
            .unwrap()
            .i32(),
        Some(1)
    );
    assert_eq!(
        call1(&mut store, &inst, "grow", &[Val::I32(1)])
            .unwrap()
            .i32(),
        Some(-1)
    );
    // A module needing more than the cap fails to instantiate with a clear error.
    let big = module(&engine, "(module (memory 5))");
    let err = Instance::new(&mut store, &big, &[]).unwrap_err();
    assert!(err.to_string().contains("limit"), "{err}");
}

#[test]
fn linker_registers_instances_for_later_modules() {
    let engine = Engine::default();
    let a = module(
        &engine,
        r#"(module (global (export "g") (mut i32) (i32.const 7))
                   (func (export "get") (result i32) (global.get 0)))"#,
    );
    let b = module(
        &engine,
        r#"(module (import "a" "g" (global (mut i32))) (import "a" "get" (func $get (result i32)))
                   (func (export "bump") (result i32) (global.set 0 (i32.add (global.get 0) (i32.const 1))) (call $get)))"#,
    );
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    let ia = linker.instantiate(&mut store, &a).unwrap();
    linker.instance(&store, "a", ia).unwrap();
    let ib = linker.instantiate(&mut store, &b).unwrap();
    assert_eq!(call1(&mut store, &ib, "bump", &[]).unwrap().i32(), Some(8));
    let missing = module(&engine, r#"(module (import "nope" "f" (func)))"#);
    let err = linker.instantiate(&mut store, &missing).unwrap_err();
    assert!(err.to_string().contains("nope"), "{err}");
}

#[test]
fn traps_are_errors_and_the_store_stays_usable() {
    let engine = Engine::default();
    let m = module(
        &engine,
        r#"(module (memory 1)
            (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
            (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))"#,
    );
    let mut store = Store::new(&engine, ());
    let inst = Instance::new(&mut store, &m, &[]).unwrap();
    let e = call1(&mut store, &inst, "div", &[Val::I32(1), Val::I32(0)]).unwrap_err();
    assert_eq!(e.trap_code(), Some(TrapCode::IntegerDivideByZero));
    assert_eq!(e.wasmedge_code(), 0x0404);
    let e = call1(
        &mut store,
        &inst,
        "div",
        &[Val::I32(i32::MIN), Val::I32(-1)],
    )
    .unwrap_err();
    assert_eq!(e.trap_code(), Some(TrapCode::IntegerOverflow));
    let e = call1(&mut store, &inst, "load", &[Val::I32(65534)]).unwrap_err();
    assert_eq!(e.trap_code(), Some(TrapCode::MemoryOutOfBounds));
    assert_eq!(
        call1(&mut store, &inst, "div", &[Val::I32(7), Val::I32(2)])
            .unwrap()
            .i32(),
        Some(3)
    );
}

#[test]
fn malformed_and_invalid_modules_report_offsets() {
    let engine = Engine::default();
    let err = Module::new(&engine, b"\0asm\x02\0\0\0").unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Module(e) if e.kind == ModuleErrorKind::Malformed),
        "{err}"
    );
    let bad = wat::parse_str("(module (func (result i32) (i64.const 0)))").unwrap();
    let err = Module::new(&engine, &bad).unwrap_err();
    match err.kind() {
        ErrorKind::Module(e) => {
            assert_eq!(e.kind, ModuleErrorKind::Invalid);
            assert_eq!(e.func_index, Some(0));
            assert!(e.offset > 0);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(err.wasmedge_code(), 0x0202);
}

#[test]
fn one_module_runs_in_parallel_stores() {
    let engine = Engine::default();
    let m = module(
        &engine,
        r#"(module (func $fib (export "fib") (param i32) (result i32)
            (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
              (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                             (call $fib (i32.sub (local.get 0) (i32.const 2))))))))"#,
    );
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let (engine, m) = (engine.clone(), m.clone());
            std::thread::spawn(move || {
                let mut store = Store::new(&engine, ());
                let inst = Instance::new(&mut store, &m, &[]).unwrap();
                call1(&mut store, &inst, "fib", &[Val::I32(20)])
                    .unwrap()
                    .i32()
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), Some(6765));
    }
}

#[test]
fn benchmark_programs_compute_their_checksums() {
    let expected = include_str!("../../../../benches/programs/expected.txt");
    let engine = Engine::default();
    for line in expected
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let f: Vec<&str> = line.split_whitespace().collect();
        let (name, small_arg, small_sum) = (f[0], f[4], f[5]);
        let path = format!(
            "{}/../../benches/programs/{name}.wasm",
            env!("CARGO_MANIFEST_DIR")
        );
        let m = Module::new(&engine, std::fs::read(&path).unwrap()).unwrap();
        let mut store = Store::new(&engine, ());
        let inst = Instance::new(&mut store, &m, &[]).unwrap();
        let got = call1(
            &mut store,
            &inst,
            "run",
            &[Val::I32(small_arg.parse().unwrap())],
        )
        .unwrap();
        let got = match got {
            Val::I32(v) => v.to_string(),
            Val::I64(v) => v.to_string(),
            other => format!("{other:?}"),
        };
        assert_eq!(got, small_sum, "{name}");
    }
}
