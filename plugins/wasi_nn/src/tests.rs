//! Unit tests of the functions' checks and handle lifetimes, on a test-only backend
//! ([`crate::backend::fake`], answering for encoding 0) and a plain buffer as guest memory.

use std::cell::RefCell;
use std::sync::Arc;

use crate::backend::{self, Backend, fake::Fake};
use crate::env::NnState;
use crate::func::{
    do_get_output, do_init_execution_context, do_load, do_load_by_name, do_set_input, read_tensor,
};
use crate::types::{Encoding, ErrNo, NnResult, TensorType};
use wedge_plugin_sdk::GuestMemory;

fn resolve(e: Encoding) -> NnResult<&'static dyn Backend> {
    match e {
        Encoding::OpenVino => Ok(&Fake),
        other => backend::for_encoding(other),
    }
}

fn state(specs: &[String]) -> NnState {
    NnState::new(specs, resolve)
}

/// A 64 KiB guest memory with helpers to lay out arguments.
struct Guest(RefCell<Vec<u8>>);

const GRAPH: u32 = 16;
const CTX: u32 = 20;
const WRITTEN: u32 = 24;
const BUILDERS: u32 = 32;
const TENSOR: u32 = 64;
const DIMS: u32 = 96;
const NAME: u32 = 128;
const MODEL: u32 = 256;
const DATA: u32 = 512;
const OUT: u32 = 1024;
const SIZE: u32 = 65536;

impl Guest {
    fn new() -> Self {
        Self(RefCell::new(vec![0; SIZE as usize]))
    }
    fn put(&self, at: u32, bytes: &[u8]) {
        assert!(self.0.write_from(at.into(), bytes));
    }
    fn put_u32s(&self, at: u32, values: &[u32]) {
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        self.put(at, &bytes);
    }
    fn u32_at(&self, at: u32) -> u32 {
        let mut b = [0; 4];
        assert!(self.0.read_into(at.into(), &mut b));
        u32::from_le_bytes(b)
    }
    fn mem(&self) -> &dyn GuestMemory {
        &self.0
    }
    /// Loads `model` with encoding 0 (the fake backend) on CPU; the graph id or the errno.
    fn load(&self, s: &NnState, model: &[u8]) -> NnResult<u32> {
        self.put(MODEL, model);
        self.put_u32s(BUILDERS, &[MODEL, model.len() as u32]);
        do_load(s, self.mem(), BUILDERS, 1, 0, 0, GRAPH)?;
        Ok(self.u32_at(GRAPH))
    }
    fn init(&self, s: &NnState, graph: u32) -> NnResult<u32> {
        do_init_execution_context(s, self.mem(), graph, CTX)?;
        Ok(self.u32_at(CTX))
    }
    /// Sets input 0 of `ctx` to the F32 vector `values` (type number `ty`).
    fn set_f32(&self, s: &NnState, ctx: u32, values: &[f32], ty: u32) -> NnResult<()> {
        let data: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        self.put(DATA, &data);
        self.put_u32s(DIMS, &[1, values.len() as u32]);
        self.put_u32s(TENSOR, &[DIMS, 2, ty, DATA, data.len() as u32]);
        do_set_input(s, self.mem(), ctx, 0, TENSOR)
    }
    fn output_f32(&self, s: &NnState, ctx: u32, max: u32) -> NnResult<Vec<f32>> {
        do_get_output(s, self.mem(), ctx, 0, OUT, max, WRITTEN, false)?;
        let n = self.u32_at(WRITTEN);
        Ok((0..n / 4)
            .map(|i| f32::from_bits(self.u32_at(OUT + 4 * i)))
            .collect())
    }
    fn load_by_name(&self, s: &NnState, name: &str, config: &[u8]) -> NnResult<u32> {
        self.put(NAME, name.as_bytes());
        self.put(MODEL, config);
        do_load_by_name(
            s,
            self.mem(),
            (NAME, name.len() as u32),
            (MODEL, config.len() as u32),
            GRAPH,
        )?;
        Ok(self.u32_at(GRAPH))
    }
}

#[test]
fn the_plugin_is_wasmedges() {
    let p = crate::declare();
    assert_eq!(p.name(), "wasi_nn");
    assert_eq!(p.version(), wedge_plugin_sdk::Version::new(0, 1, 34, 0));
    assert_eq!(p.module_names().collect::<Vec<_>>(), ["wasi_nn"]);
    let m = crate::module();
    assert_eq!(m.descriptor(), "wasi_nn");
    assert_eq!(m.name(), "wasi_ephemeral_nn");
    let mut names: Vec<&str> = m.func_names().collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "compute",
            "compute_single",
            "finalize_execution_context",
            "fini_single",
            "get_output",
            "get_output_single",
            "init_execution_context",
            "load",
            "load_by_name",
            "load_by_name_with_config",
            "set_input",
            "unload"
        ]
    );
}

#[test]
fn a_graph_runs_end_to_end() {
    let s = state(&[]);
    let g = Guest::new();
    let graph = g.load(&s, b"add1").unwrap();
    let ctx = g.init(&s, graph).unwrap();
    g.set_f32(&s, ctx, &[1.0, 2.5, -3.0], 1).unwrap();
    s.compute(ctx, false).unwrap();
    assert_eq!(g.output_f32(&s, ctx, 64).unwrap(), [2.0, 3.5, -2.0]);
    // Exactly the output's size fits.
    assert_eq!(g.output_f32(&s, ctx, 12).unwrap(), [2.0, 3.5, -2.0]);
    // One byte short is TooLarge, and nothing is written.
    g.put_u32s(WRITTEN, &[99]);
    assert_eq!(g.output_f32(&s, ctx, 11), Err(ErrNo::TooLarge));
    assert_eq!(g.u32_at(WRITTEN), 99);
}

#[test]
fn load_checks_in_wasmedges_order() {
    let s = state(&[]);
    let g = Guest::new();
    g.put(MODEL, b"add1");
    g.put_u32s(BUILDERS, &[MODEL, 4]);
    let load = |builders, n, enc, target, out| do_load(&s, g.mem(), builders, n, enc, target, out);
    // The graph id pointer first, then the target, then the builders, then the encoding.
    assert_eq!(
        load(BUILDERS, 1, 99, 3, SIZE - 2),
        Err(ErrNo::InvalidArgument)
    );
    assert_eq!(load(BUILDERS, 1, 99, 3, GRAPH), Err(ErrNo::InvalidArgument));
    assert_eq!(load(BUILDERS, 1, 0, 3, GRAPH), Err(ErrNo::InvalidArgument));
    assert_eq!(load(BUILDERS, 1, 0, 4, GRAPH), Err(ErrNo::InvalidArgument));
    assert_eq!(load(SIZE - 4, 1, 99, 0, GRAPH), Err(ErrNo::InvalidArgument));
    assert_eq!(
        load(BUILDERS, u32::MAX, 0, 0, GRAPH),
        Err(ErrNo::InvalidArgument)
    );
    g.put_u32s(BUILDERS + 8, &[SIZE - 2, 4]);
    assert_eq!(load(BUILDERS, 2, 99, 0, GRAPH), Err(ErrNo::InvalidArgument));
    // Unknown encodings (8, > 14), and Autodetect (5) on bytes it cannot tell.
    for enc in [5, 8, 15, u32::MAX] {
        assert_eq!(
            load(BUILDERS, 1, enc, 0, GRAPH),
            Err(ErrNo::InvalidEncoding),
            "{enc}"
        );
    }
    // Known encodings without a backend: WasmEdge's "not built" answer; PyTorch (3), TensorFlow
    // Lite (4) and GGML (6) find no runtime, or one that cannot read these bytes:
    // InvalidArgument too.
    for enc in [2, 3, 4, 6, 7, 9, 10, 11, 12, 13, 14] {
        assert_eq!(
            load(BUILDERS, 1, enc, 0, GRAPH),
            Err(ErrNo::InvalidArgument),
            "{enc}"
        );
    }
    // GPU and TPU reach the backend.
    assert_eq!(load(BUILDERS, 1, 0, 1, GRAPH), Ok(()));
    assert_eq!(load(BUILDERS, 1, 0, 2, GRAPH), Ok(()));
    // The backend's own answers: wrong builder count, a model it cannot read.
    assert_eq!(load(BUILDERS, 0, 0, 0, GRAPH), Err(ErrNo::InvalidArgument));
    g.put(MODEL, b"junk");
    assert_eq!(load(BUILDERS, 1, 0, 0, GRAPH), Err(ErrNo::RuntimeError));
}

#[test]
fn overlapping_builders_cannot_exceed_memory() {
    let s = state(&[]);
    let g = Guest::new();
    // Three builders each covering half the memory.
    g.put_u32s(BUILDERS, &[0, SIZE / 2, 0, SIZE / 2, 0, SIZE / 2]);
    assert_eq!(
        do_load(&s, g.mem(), BUILDERS, 3, 0, 0, GRAPH),
        Err(ErrNo::TooLarge)
    );
}

#[test]
fn set_input_checks_the_tensor() {
    let s = state(&[]);
    let g = Guest::new();
    let graph = g.load(&s, b"add1").unwrap();
    let ctx = g.init(&s, graph).unwrap();
    // The old numbering's U8 (2, F64 now), I64 and unknown types.
    for ty in [2, 5, 6] {
        assert_eq!(g.set_f32(&s, ctx, &[1.0], ty), Err(ErrNo::InvalidArgument));
    }
    // An unknown context.
    assert_eq!(
        g.set_f32(&s, ctx + 1, &[1.0], 1),
        Err(ErrNo::InvalidArgument)
    );
    // The tensor struct, the dims and the data out of memory.
    assert_eq!(
        do_set_input(&s, g.mem(), ctx, 0, SIZE - 16),
        Err(ErrNo::InvalidArgument)
    );
    g.put_u32s(TENSOR, &[SIZE - 4, 2, 1, DATA, 4]);
    assert_eq!(
        do_set_input(&s, g.mem(), ctx, 0, TENSOR),
        Err(ErrNo::InvalidArgument)
    );
    g.put_u32s(TENSOR, &[DIMS, 1, 1, SIZE - 2, 4]);
    assert_eq!(
        do_set_input(&s, g.mem(), ctx, 0, TENSOR),
        Err(ErrNo::InvalidArgument)
    );
    g.put_u32s(TENSOR, &[DIMS, u32::MAX, 1, DATA, 4]);
    assert_eq!(
        do_set_input(&s, g.mem(), ctx, 0, TENSOR),
        Err(ErrNo::InvalidArgument)
    );
    // A good tensor decodes as laid out.
    g.put_u32s(DIMS, &[2, 3]);
    g.put_u32s(TENSOR, &[DIMS, 2, 3, DATA, 6]);
    g.put(DATA, &[1, 2, 3, 4, 5, 6]);
    let t = read_tensor(g.mem(), TENSOR).unwrap();
    assert_eq!(t.dims, [2, 3]);
    assert_eq!(t.ty, TensorType::U8);
    assert_eq!(t.data, [1, 2, 3, 4, 5, 6]);
}

#[test]
fn get_output_checks_its_pointers() {
    let s = state(&[]);
    let g = Guest::new();
    let graph = g.load(&s, b"add1").unwrap();
    let ctx = g.init(&s, graph).unwrap();
    g.set_f32(&s, ctx, &[1.0], 1).unwrap();
    s.compute(ctx, false).unwrap();
    let get = |out, max, written| do_get_output(&s, g.mem(), ctx, 0, out, max, written, false);
    assert_eq!(get(SIZE - 2, 4, WRITTEN), Err(ErrNo::InvalidArgument));
    assert_eq!(get(OUT, 4, SIZE - 2), Err(ErrNo::InvalidArgument));
    assert_eq!(get(OUT, 4, WRITTEN), Ok(()));
    assert_eq!(
        do_get_output(&s, g.mem(), ctx + 7, 0, OUT, 4, WRITTEN, false),
        Err(ErrNo::InvalidArgument)
    );
    // The backend refuses an unknown output index.
    assert_eq!(
        do_get_output(&s, g.mem(), ctx, 1, OUT, 4, WRITTEN, false),
        Err(ErrNo::InvalidArgument)
    );
}

#[test]
fn streaming_calls_are_refused_as_by_wasmedge() {
    let s = state(&[]);
    let g = Guest::new();
    let graph = g.load(&s, b"add1").unwrap();
    let ctx = g.init(&s, graph).unwrap();
    assert_eq!(s.compute(ctx, true), Err(ErrNo::InvalidArgument));
    assert_eq!(
        do_get_output(&s, g.mem(), ctx, 0, OUT, 4, WRITTEN, true),
        Err(ErrNo::InvalidArgument)
    );
    assert_eq!(
        s.with_context(ctx, "fini_single", |c| c.fini_single()),
        Err(ErrNo::InvalidArgument)
    );
}

#[test]
fn handles_are_never_reused() {
    let s = state(&[]);
    let g = Guest::new();
    let g0 = g.load(&s, b"add1").unwrap();
    let c0 = g.init(&s, g0).unwrap();
    assert_eq!((g0, c0), (0, 0));
    s.finalize_execution_context(c0).unwrap();
    assert_eq!(
        s.finalize_execution_context(c0),
        Err(ErrNo::InvalidArgument)
    );
    assert_eq!(g.set_f32(&s, c0, &[1.0], 1), Err(ErrNo::InvalidArgument));
    s.unload(g0).unwrap();
    assert_eq!(s.unload(g0), Err(ErrNo::InvalidArgument));
    assert_eq!(g.init(&s, g0), Err(ErrNo::InvalidArgument));
    let g1 = g.load(&s, b"add1").unwrap();
    let c1 = g.init(&s, g1).unwrap();
    assert_eq!((g1, c1), (1, 1));
    assert_eq!(s.unload(77), Err(ErrNo::InvalidArgument));
}

#[test]
fn a_context_outlives_its_unloaded_graph_but_cannot_compute() {
    let s = state(&[]);
    let g = Guest::new();
    let graph = g.load(&s, b"add1").unwrap();
    let ctx = g.init(&s, graph).unwrap();
    g.set_f32(&s, ctx, &[1.0], 1).unwrap();
    s.compute(ctx, false).unwrap();
    s.unload(graph).unwrap();
    assert_eq!(s.compute(ctx, false), Err(ErrNo::InvalidArgument));
    // The last results stay readable until the context is finalized.
    assert_eq!(g.output_f32(&s, ctx, 4).unwrap(), [2.0]);
    s.finalize_execution_context(ctx).unwrap();
}

#[test]
fn unload_during_a_compute_detaches_the_graph() {
    let s = Arc::new(state(&[]));
    let g = Guest::new();
    let graph = g.load(&s, b"slow").unwrap();
    let ctx = g.init(&s, graph).unwrap();
    g.set_f32(&s, ctx, &[4.0], 1).unwrap();
    let running = {
        let s = Arc::clone(&s);
        std::thread::spawn(move || s.compute(ctx, false))
    };
    std::thread::sleep(std::time::Duration::from_millis(50));
    assert_eq!(s.unload(graph), Ok(()));
    assert_eq!(running.join().unwrap(), Ok(()));
    assert_eq!(g.output_f32(&s, ctx, 4).unwrap(), [5.0]);
}

#[test]
fn load_by_name_builds_once_and_caches() {
    let dir = std::env::temp_dir().join(format!("wedge-nn-by-name-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let model = dir.join("m.bin");
    std::fs::write(&model, b"add1").unwrap();
    let specs = [
        format!("Adder:OpenVINO:AUTO:{}", model.display()),
        format!("Adder:OpenVINO:CPU:{}", dir.join("missing").display()),
        format!("Missing:openvino:cpu:{}", dir.join("missing").display()),
        "bad:nosuch:cpu:x".to_owned(),
    ];
    let s = state(&specs);
    let g = Guest::new();
    let a = g.load_by_name(&s, "Adder", b"").unwrap();
    assert_eq!(g.load_by_name(&s, "Adder", b"").unwrap(), a);
    // Names are compared as written, as in WasmEdge.
    assert_eq!(g.load_by_name(&s, "adder", b""), Err(ErrNo::NotFound));
    assert_eq!(g.load_by_name(&s, "bad", b""), Err(ErrNo::NotFound));
    // A spec whose file is unreadable has no builders: the backend refuses it.
    assert_eq!(
        g.load_by_name(&s, "Missing", b""),
        Err(ErrNo::InvalidArgument)
    );
    // A config is one more builder (the fake backend takes exactly one).
    s.unload(a).unwrap();
    assert_eq!(
        g.load_by_name(&s, "Adder", b"{}"),
        Err(ErrNo::InvalidArgument)
    );
    let b = g.load_by_name(&s, "Adder", b"").unwrap();
    assert_ne!(a, b);
    // Out-of-bounds name or graph pointer.
    assert_eq!(
        do_load_by_name(&s, g.mem(), (SIZE - 2, 5), (0, 0), GRAPH),
        Err(ErrNo::InvalidArgument)
    );
    assert_eq!(
        do_load_by_name(&s, g.mem(), (NAME, 5), (SIZE, 1), GRAPH),
        Err(ErrNo::InvalidArgument)
    );
    assert_eq!(
        do_load_by_name(&s, g.mem(), (NAME, 5), (0, 0), SIZE),
        Err(ErrNo::InvalidArgument)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn two_threads_share_a_graph() {
    let s = Arc::new(state(&[]));
    let g = Guest::new();
    let graph = g.load(&s, b"add1").unwrap();
    let threads: Vec<_> = (0..2)
        .map(|t| {
            let s = Arc::clone(&s);
            std::thread::spawn(move || {
                let g = Guest::new();
                for i in 0..50 {
                    let ctx = g.init(&s, graph).unwrap();
                    let x = (t * 1000 + i) as f32;
                    g.set_f32(&s, ctx, &[x], 1).unwrap();
                    s.compute(ctx, false).unwrap();
                    assert_eq!(g.output_f32(&s, ctx, 4).unwrap(), [x + 1.0]);
                    s.finalize_execution_context(ctx).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}
