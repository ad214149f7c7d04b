//! Native code outside the process: universal wasm files (`Engine::precompile`,
//! `Config::aot`) and the code cache (`Config::code_cache`).

use wedge::{Config, Engine, Instance, Module, NativeCode, OptLevel, Store, Val};

const WAT: &str = r#"
(module
  (memory (export "mem") 1)
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "floor") (param f64) (result f64) (f64.floor (local.get 0)))
  (func (export "nearest") (param f32) (result f32) (f32.nearest (local.get 0)))
  (func (export "load") (param i32) (result i32) (i32.load (local.get 0))))
"#;

fn engine(f: impl FnOnce(&mut Config)) -> Engine {
    let mut config = Config::new();
    f(&mut config);
    Engine::new(&config)
}

/// Runs the module's exports and checks the results, whatever tier runs them.
fn check(module: &Module) {
    let mut store = Store::new(module.engine(), ());
    let i = Instance::new(&mut store, module, &[]).unwrap();
    let mut call = |name: &str, arg: Val| {
        let f = i.get_func(&store, name).unwrap();
        let mut out = [Val::I32(0)];
        if name == "floor" {
            out[0] = Val::F64(0);
        } else if name == "nearest" {
            out[0] = Val::F32(0);
        }
        f.call(&mut store, &[arg], &mut out)
            .map(|()| out[0].clone())
    };
    assert_eq!(call("fib", Val::I32(20)).unwrap().i32(), Some(6765));
    assert_eq!(
        call("floor", Val::F64((-2.5f64).to_bits())).unwrap().f64(),
        Some(-3.0)
    );
    assert_eq!(
        call("nearest", Val::F32(2.5f32.to_bits())).unwrap().f32(),
        Some(2.0)
    );
    let trap = call("load", Val::I32(65535)).unwrap_err();
    assert!(trap.to_string().contains("out of bounds"), "{trap}");
}

#[test]
fn a_universal_wasm_runs_its_native_code_with_aot() {
    let wasm = wat::parse_str(WAT).unwrap();
    let compiler = engine(|_| {});
    let universal = compiler.precompile(&wasm, &|_, _| {}).unwrap();
    assert!(universal.starts_with(&wasm));
    let (module_part, _) = wedge::aot::split_native_section(&universal).unwrap();
    assert_eq!(module_part, &wasm[..]);

    let aot = engine(|c| {
        c.aot(true);
    });
    let m = Module::new(&aot, &universal).unwrap();
    assert_eq!(m.native_code(), &NativeCode::Aot);
    assert!(m.is_compiled());
    check(&m);

    // The same file is a plain module for an interpreting engine, and for any other runtime.
    let plain = Module::new(&Engine::default(), &universal).unwrap();
    assert_eq!(plain.native_code(), &NativeCode::Interpreted(None));
    check(&plain);

    // Compiling a universal wasm again replaces its section instead of adding one.
    let again = compiler.precompile(&universal, &|_, _| {}).unwrap();
    assert_eq!(again.len(), universal.len());
}

#[test]
fn aot_falls_back_to_the_interpreter_and_says_why() {
    let wasm = wat::parse_str(WAT).unwrap();
    let aot = engine(|c| {
        c.aot(true);
    });
    // A plain module.
    let m = Module::new(&aot, &wasm).unwrap();
    assert!(
        matches!(m.native_code(), NativeCode::Interpreted(Some(why)) if why.contains("no native code"))
    );
    check(&m);

    // Code made at another optimization level runs: the level changes speed, not behaviour.
    let unoptimized = engine(|c| {
        c.opt_level(OptLevel::None);
    })
    .precompile(&wasm, &|_, _| {})
    .unwrap();
    let m = Module::new(&aot, &unoptimized).unwrap();
    assert_eq!(m.native_code(), &NativeCode::Aot);
    check(&m);

    // Code made by another version of Wedge does not.
    let foreign = patch_version(&unoptimized);
    let m = Module::new(&aot, &foreign).unwrap();
    match m.native_code() {
        NativeCode::Interpreted(Some(why)) => assert!(why.contains("wedge-cranelift"), "{why}"),
        other => panic!("{other:?}"),
    }
    check(&m);

    // Code compiled from another module, spliced onto this one.
    let other = wat::parse_str("(module (func (export \"f\")))").unwrap();
    let other_universal = engine(|_| {}).precompile(&other, &|_, _| {}).unwrap();
    let (_, payload) = wedge::aot::split_native_section(&other_universal).unwrap();
    let mut spliced = wasm.clone();
    spliced.extend_from_slice(&other_universal[other.len()..]);
    assert!(wedge::aot::split_native_section(&spliced).is_some_and(|(_, p)| p == payload));
    let m = Module::new(&aot, &spliced).unwrap();
    match m.native_code() {
        NativeCode::Interpreted(Some(why)) => assert!(why.contains("different module"), "{why}"),
        other => panic!("{other:?}"),
    }
    check(&m);

    // A damaged section: every truncation and a flipped byte in the header are refused, never
    // loaded.
    let universal = engine(|_| {}).precompile(&wasm, &|_, _| {}).unwrap();
    let section_start = wasm.len();
    for cut in [section_start + 20, section_start + 40, universal.len() - 1] {
        let mut damaged = universal[..cut].to_vec();
        // Keep the framing valid: rewrite the section size to what is left.
        let name_and_payload = &universal[section_start + 1..cut];
        let (_, rest) = split_leb(name_and_payload);
        damaged.truncate(section_start);
        damaged.push(0);
        push_leb(&mut damaged, rest.len() as u32);
        damaged.extend_from_slice(rest);
        // (A cut inside the name leaves a custom section of another name, which may fail to
        // decode; only loading damaged code would be wrong.)
        if let Ok(m) = Module::new(&aot, &damaged) {
            assert!(!m.is_compiled(), "cut at {cut}");
        }
    }
}

/// `bytes` with the compiler version in the native code's fingerprint changed (same length).
pub(crate) fn patch_version(bytes: &[u8]) -> Vec<u8> {
    let needle = format!("wedge-cranelift={}", env!("CARGO_PKG_VERSION"));
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
        .expect("a fingerprint");
    let mut out = bytes.to_vec();
    let last = at + needle.len() - 1;
    out[last] = if out[last] == b'9' { b'8' } else { b'9' };
    out
}

fn split_leb(b: &[u8]) -> (u32, &[u8]) {
    let mut v = 0u32;
    for (i, &byte) in b.iter().enumerate() {
        v |= u32::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return (v, &b[i + 1..]);
        }
    }
    panic!("bad leb")
}

fn push_leb(out: &mut Vec<u8>, mut v: u32) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

#[test]
fn generic_cpu_code_runs_on_this_cpu() {
    let wasm = wat::parse_str(WAT).unwrap();
    let generic = engine(|c| {
        c.generic_cpu(true);
    })
    .precompile(&wasm, &|_, _| {})
    .unwrap();
    let m = Module::new(
        &engine(|c| {
            c.aot(true);
        }),
        &generic,
    )
    .unwrap();
    assert_eq!(m.native_code(), &NativeCode::Aot);
    check(&m);
}

#[test]
fn the_code_cache_serves_a_module_compiled_before() {
    let dir = std::env::temp_dir().join(format!("wedge-cache-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let wasm = wat::parse_str(WAT).unwrap();
    let cached = engine(|c| {
        c.jit(true).code_cache(Some(dir.clone()));
    });
    let first = Module::new(&cached, &wasm).unwrap();
    assert_eq!(first.native_code(), &NativeCode::Compiled);
    let entries: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(entries.len(), 1);
    let second = Module::new(&cached, &wasm).unwrap();
    assert_eq!(second.native_code(), &NativeCode::Cached);
    check(&second);

    // Other settings use their own entry.
    let o0 = engine(|c| {
        c.jit(true)
            .code_cache(Some(dir.clone()))
            .opt_level(OptLevel::None);
    });
    assert_eq!(
        Module::new(&o0, &wasm).unwrap().native_code(),
        &NativeCode::Compiled
    );
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 2);

    // A damaged entry is ignored and replaced.
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let mut bytes = std::fs::read(&p).unwrap();
        let n = bytes.len();
        bytes.truncate(n / 2);
        std::fs::write(&p, bytes).unwrap();
    }
    let m = Module::new(&cached, &wasm).unwrap();
    assert_eq!(m.native_code(), &NativeCode::Compiled);
    check(&m);
    assert_eq!(
        Module::new(&cached, &wasm).unwrap().native_code(),
        &NativeCode::Cached
    );
    let _ = std::fs::remove_dir_all(&dir);
}
