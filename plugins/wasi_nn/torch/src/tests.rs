#![allow(unsafe_code, reason = "the tests call the C ABI as the plug-in does")]

use std::ffi::c_void;
use std::ptr;
use std::sync::atomic::{AtomicU32, Ordering};

use wedge_nn_backend_abi::Bytes;

use super::abi::*;
use super::*;

#[test]
fn data_length_must_match_the_dimensions() {
    assert_eq!(shape_of(&[1, 4], &[0; 16]), Ok(vec![1, 4]));
    assert_eq!(shape_of(&[], &[0; 4]), Ok(vec![]));
    assert_eq!(shape_of(&[1, 4], &[0; 12]), Err(ErrNo::InvalidArgument));
    let huge = [u32::MAX, u32::MAX, u32::MAX];
    assert_eq!(shape_of(&huge, &[]), Err(ErrNo::InvalidArgument));
}

#[test]
fn load_refuses_bad_targets_models_and_aotinductor_files() {
    let err = |m: &[u8], t| TorchGraph::load(m, t).err();
    assert_eq!(err(b"m", 2), Some(ErrNo::InvalidArgument));
    assert_eq!(err(b"m", 3), Some(ErrNo::InvalidArgument));
    assert_eq!(err(b"m", target::CPU), Some(ErrNo::InvalidArgument));
    assert_eq!(
        err(b"\x7fELF\x02\x01", target::CPU),
        Some(ErrNo::InvalidArgument)
    );
    if !Cuda::is_available() {
        assert_eq!(err(b"m", target::GPU), Some(ErrNo::InvalidArgument));
    }
}

/// A traced y = x * 2 + 1, saved: the archive's bytes.
fn affine_bytes() -> Vec<u8> {
    // Tests run in parallel: each call saves into a directory of its own.
    static CALLS: AtomicU32 = AtomicU32::new(0);
    let call = CALLS.fetch_add(1, Ordering::Relaxed);
    let x = tch::Tensor::from_slice(&[0f32; 3]);
    let traced =
        CModule::create_by_tracing("m", "forward", &[x], &mut |xs| vec![&xs[0] * 2.0 + 1.0])
            .unwrap();
    let dir = std::env::temp_dir().join(format!("wedge-torch-{}-{call}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("affine.pt");
    traced.save(&path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    bytes
}

fn f32_bytes(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn output(ctx: &TorchContext, index: u32) -> TorchResult<Vec<u8>> {
    let mut buf = vec![0; ctx.output_len(index)?];
    ctx.copy_output(index, &mut buf)?;
    Ok(buf)
}

#[test]
fn a_traced_model_runs_and_bad_calls_are_errnos() {
    let graph = TorchGraph::load(&affine_bytes(), target::CPU).unwrap();
    let mut ctx = graph.init_context();
    assert_eq!(ctx.compute(), Err(ErrNo::InvalidArgument));
    let x = f32_bytes(&[1.0, -2.0, 0.5]);
    ctx.set_input(0, &[3], TENSOR_F32, &x).unwrap();
    ctx.compute().unwrap();
    assert_eq!(output(&ctx, 0), Ok(f32_bytes(&[3.0, -3.0, 2.0])));
    assert_eq!(output(&ctx, 1), Err(ErrNo::InvalidArgument));
    let mut small = [0; 8];
    assert_eq!(ctx.copy_output(0, &mut small), Err(ErrNo::InvalidArgument));
    // The inputs grow to index 2, even when its type is refused; compute then misses input 1.
    assert_eq!(ctx.set_input(2, &[3], 4, &x), Err(ErrNo::InvalidArgument));
    assert_eq!(ctx.compute(), Err(ErrNo::InvalidArgument));
    let zeros = f32_bytes(&[0.0; 3]);
    assert_eq!(
        ctx.set_input(MAX_INPUTS, &[3], TENSOR_F32, &zeros),
        Err(ErrNo::InvalidArgument)
    );
    // Three inputs for a model of one: libtorch's exception is an errno.
    for i in [1, 2] {
        ctx.set_input(i, &[3], TENSOR_F32, &zeros).unwrap();
    }
    assert_eq!(ctx.compute(), Err(ErrNo::RuntimeError));
}

#[test]
fn the_c_abi_runs_a_model_and_answers_errnos() {
    assert_eq!(wedge_nn_backend_abi_version(), wedge_nn_backend_abi::ABI_VERSION);
    let model = affine_bytes();
    let one = |b: &[u8]| Bytes {
        ptr: b.as_ptr(),
        len: b.len(),
    };
    let mut graph: *mut c_void = ptr::null_mut();
    let mut ctx: *mut c_void = ptr::null_mut();
    let x = f32_bytes(&[1.0, -2.0, 0.5]);
    let dims = [3u32];
    // SAFETY: every pointer is to a live local of the length passed; the handles are used only
    // while live and freed once.
    unsafe {
        let junk = [one(b"junk")];
        assert_eq!(wedge_nn_backend_load(junk.as_ptr(), 1, 0, &mut graph), 1);
        assert!(graph.is_null());
        assert_eq!(wedge_nn_backend_load(ptr::null(), 0, 0, &mut graph), 1);
        let two = [one(&model), one(&model)];
        assert_eq!(wedge_nn_backend_load(two.as_ptr(), 2, 0, &mut graph), 1);
        assert_eq!(wedge_nn_backend_load(two.as_ptr(), 1, 0, &mut graph), 0);
        assert!(!graph.is_null());
        assert_eq!(wedge_nn_backend_init_context(ptr::null(), &mut ctx), 1);
        assert_eq!(wedge_nn_backend_init_context(graph, &mut ctx), 0);
        // The context keeps the model: the graph may go first.
        wedge_nn_backend_free_graph(graph);
        assert_eq!(wedge_nn_backend_compute(ctx), 1);
        assert_eq!(wedge_nn_backend_compute(ptr::null_mut()), 1);
        assert_eq!(
            wedge_nn_backend_set_input(ctx, 0, dims.as_ptr(), 1, TENSOR_F32, x.as_ptr(), 8),
            1
        );
        assert_eq!(
            wedge_nn_backend_set_input(ctx, 0, dims.as_ptr(), 1, TENSOR_F32, ptr::null(), 12),
            1
        );
        assert_eq!(
            wedge_nn_backend_set_input(ctx, 0, dims.as_ptr(), 1, TENSOR_F32, x.as_ptr(), 12),
            0
        );
        assert_eq!(wedge_nn_backend_compute(ctx), 0);
        let mut data: *const u8 = ptr::null();
        let mut len = 0usize;
        assert_eq!(wedge_nn_backend_get_output(ctx, 1, &mut data, &mut len), 1);
        assert_eq!(wedge_nn_backend_get_output(ctx, 0, &mut data, &mut len), 0);
        assert_eq!(
            std::slice::from_raw_parts(data, len),
            &f32_bytes(&[3.0, -3.0, 2.0])[..]
        );
        wedge_nn_backend_free_context(ctx);
        wedge_nn_backend_free_context(ptr::null_mut());
        wedge_nn_backend_free_graph(ptr::null_mut());
    }
}
