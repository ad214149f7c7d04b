//! Loading untrusted bytes: decoding, validation, instantiation, ahead-of-time compilation and
//! the loader of universal wasm files must never panic, crash or allocate without bound
//! (run with `-rss_limit_mb=2048`).
//!
//! The first input byte picks a mode:
//!
//! - **bytes**: the rest goes through `Module::new` (decode + validate) on the interpreter;
//!   a module that loads is instantiated with a `Linker` that provides nothing, and every few
//!   inputs it is also compiled by the JIT and by `Engine::precompile` (the AOT path), and the
//!   universal wasm that makes is loaded and instantiated by an engine with `Config::aot`.
//! - **native**: a valid universal wasm (precompiled once, from `NATIVE_SEED`) with bytes of
//!   its native section overwritten or the section truncated as the input says, loaded with
//!   `Config::aot`. Native code is trusted like a native library (`Config::aot`'s docs), so a
//!   mutated module that still loads as native code is not run; one that falls back to the
//!   interpreter is instantiated.
//! - **smith**: a wasm-smith module with every proposal wasm-smith knows (GC, exceptions,
//!   threads, memory64, ...), loaded by an engine with every proposal on: whatever Wedge cannot
//!   run must be an error, never a panic.
//!
//! Instantiation runs start functions, which may loop: every engine is interruptible and each
//! store gets a short deadline. Memories and tables are capped so a module cannot make an
//! engine allocate gigabytes.

#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use wedge::{Config, Engine, Features, Linker, Module, NativeCode, Store};

/// The module precompiled for the native mode: functions, a table, a memory with data, a
/// start function, traps and helpers (float rounding) so the image has relocations and trap
/// sites.
const NATIVE_SEED: &str = r#"(module
  (memory (export "memory") 1 2)
  (data (i32.const 16) "hello")
  (global $g (mut i32) (i32.const 7))
  (table 2 funcref)
  (elem (i32.const 0) $sq $start)
  (type $un (func (param i32) (result i32)))
  (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
  (func $start (param i32) (result i32)
    (global.set $g (call_indirect (type $un) (global.get $g) (i32.const 0)))
    (i32.store (i32.const 0) (global.get $g))
    (i32.const 0))
  (func $init (drop (call $start (i32.const 0))))
  (func (export "round") (param f64) (result f64) (f64.nearest (f64.floor (local.get 0))))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "load") (param i32) (result i64) (i64.load (local.get 0)))
  (start $init))"#;

fn config(features: Features) -> Config {
    let mut config = Config::new();
    config
        .set_features(features)
        .interruptible(true)
        .memory_page_limit(256)
        .max_table_elements(100_000)
        .max_call_depth(2_000)
        // The interpreter allocates its whole value stack for each store: keep it small.
        .max_stack_values(1 << 16);
    config
}

struct Engines {
    interp: Engine,
    jit: Engine,
    aot: Engine,
    /// Every proposal on, for the smith mode.
    everything: Engine,
    /// `NATIVE_SEED` precompiled by `aot`.
    universal: Vec<u8>,
}

fn engines() -> &'static Engines {
    static ENGINES: OnceLock<Engines> = OnceLock::new();
    ENGINES.get_or_init(|| {
        let interp = Engine::new(&config(Features::default()));
        let jit = Engine::new(config(Features::default()).jit(true));
        let aot = Engine::new(config(Features::default()).aot(true));
        let mut all = Features::wasm3();
        all.enable(wedge::Proposal::Threads);
        let everything = Engine::new(&config(all));
        let seed = wat::parse_str(NATIVE_SEED).expect("NATIVE_SEED is valid text");
        let universal = aot
            .precompile(&seed, &|_, _| {})
            .expect("NATIVE_SEED compiles");
        let loaded = Module::new(&aot, &universal).expect("the universal wasm loads");
        assert_eq!(
            loaded.native_code(),
            &NativeCode::Aot,
            "the seed's native code is used"
        );
        Engines {
            interp,
            jit,
            aot,
            everything,
            universal,
        }
    })
}

/// Instantiates with nothing provided, under a deadline; any error is fine.
fn instantiate(engine: &Engine, module: &Module) {
    let mut store = Store::new(engine, ());
    store.set_deadline(Some(Instant::now() + Duration::from_millis(50)));
    let _ = Linker::new(engine).instantiate(&mut store, module);
}

fn bytes_mode(data: &[u8]) {
    let e = engines();
    let Ok(module) = Module::new(&e.interp, data) else {
        return;
    };
    instantiate(&e.interp, &module);
    // The compilers are slower than the decoder: run them on a quarter of the valid inputs.
    if data
        .iter()
        .fold(0u8, |h, &b| h.wrapping_mul(31).wrapping_add(b))
        & 3
        != 0
    {
        return;
    }
    if let Ok(compiled) = Module::new(&e.jit, data) {
        instantiate(&e.jit, &compiled);
    }
    if let Ok(universal) = e.aot.precompile(data, &|_, _| {}) {
        let loaded =
            Module::new(&e.aot, &universal).expect("a universal wasm Wedge just wrote loads");
        assert_eq!(
            loaded.native_code(),
            &NativeCode::Aot,
            "a universal wasm Wedge just wrote for this host uses its native code"
        );
        instantiate(&e.aot, &loaded);
    }
}

/// Edits made to the precompiled seed.
#[derive(Arbitrary, Debug)]
enum Edit {
    /// Overwrites the byte at `at` (modulo the native section's length) of the native section.
    Set { at: u32, byte: u8 },
    /// Overwrites four bytes with a little-endian u32 (counts, offsets, lengths).
    SetU32 { at: u32, value: u32 },
    /// Truncates the file to `len` (modulo its length).
    Truncate { len: u32 },
    /// Appends bytes.
    Append { bytes: Vec<u8> },
}

fn native_mode(data: &[u8]) {
    let e = engines();
    let Ok(edits) = Vec::<Edit>::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let mut file = e.universal.clone();
    let (module_len, section_len) = match wedge::aot::split_native_section(&file) {
        Some((m, s)) => (m.len(), s.len()),
        None => unreachable!("the seed is a universal wasm"),
    };
    // The payload starts where the section ends minus its length.
    let payload_start = file.len() - section_len;
    let _ = module_len;
    for edit in edits.iter().take(16) {
        match edit {
            Edit::Set { at, byte } => {
                let i = payload_start + *at as usize % section_len;
                if let Some(b) = file.get_mut(i) {
                    *b = *byte;
                }
            }
            Edit::SetU32 { at, value } => {
                let i = payload_start + *at as usize % section_len;
                for (k, b) in value.to_le_bytes().into_iter().enumerate() {
                    if let Some(slot) = file.get_mut(i + k) {
                        *slot = b;
                    }
                }
            }
            Edit::Truncate { len } => {
                let keep = *len as usize % (file.len() + 1);
                file.truncate(keep);
            }
            Edit::Append { bytes } => file.extend_from_slice(bytes),
        }
    }
    let Ok(module) = Module::new(&e.aot, &file) else {
        return;
    };
    // Mutated native code that still loads is not run: it is trusted like a native library.
    if matches!(module.native_code(), NativeCode::Interpreted(_)) {
        instantiate(&e.aot, &module);
    }
}

fn smith_mode(data: &[u8]) {
    let e = engines();
    let mut u = Unstructured::new(data);
    let Ok(mut config) = wasm_smith::Config::arbitrary(&mut u) else {
        return;
    };
    config.max_memory32_bytes = config.max_memory32_bytes.min(16 << 16);
    config.max_memory64_bytes = config.max_memory64_bytes.min(16 << 16);
    config.max_table_elements = config.max_table_elements.min(10_000);
    config.max_imports = 0;
    config.export_everything = true;
    let Ok(module) = wasm_smith::Module::new(config, &mut u) else {
        return;
    };
    let wasm = module.to_bytes();
    // WEDGE_FUZZ_DUMP=out.wasm keeps the generated module (to reproduce a finding).
    if let Some(path) = std::env::var_os("WEDGE_FUZZ_DUMP") {
        let _ = std::fs::write(path, &wasm);
    }
    if let Ok(m) = Module::new(&e.everything, &wasm) {
        instantiate(&e.everything, &m);
    }
    let _ = Module::validate(&e.everything, &wasm);
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 4 {
        0 | 1 => bytes_mode(rest),
        2 => native_mode(rest),
        _ => smith_mode(rest),
    }
});
