//! The `wasi_nn` plug-in's PyTorch backend (encoding 3). `nn_torch.c` runs a TorchScript model
//! and then makes bad calls on it, printing each errno.
//!
//! The backend is the workspace's default build of the plug-in; it opens `libwedge_nn_torch.so`
//! (`plugins/wasi_nn/torch`, linked with libtorch) at `$WEDGE_NN_TORCH_LIB`, else in the cache
//! next to libtorch (`~/.cache/wedge/nn/libtorch/lib/`), where `scripts/nn-runtimes.sh pytorch`
//! puts it; the models come from `WEDGE_NN_MODELS` (or the cache). The tests that need them are
//! `#[ignore]`d (a runtime that is absent is never counted as a pass), fail with a message naming
//! the script when run without them, and compare the guest's output with libtorch's own output
//! for the same input (`mlp.torch.output.bin`). No `LD_LIBRARY_PATH` is set for them: the
//! library finds libtorch by its RUNPATH.
//!
//! One test runs always: without `libwedge_nn_torch.so`, encoding 3 (and Autodetect on
//! TorchScript bytes) answers `InvalidArgument` with a line naming what to install.

use std::fs;
use std::path::PathBuf;
use std::process::Output;

use crate::*;

const NN: PluginLib = PluginLib {
    lib: "wedge_plugin_wasi_nn",
    package: "wedge-plugin-wasi-nn",
};

const HOW: &str = "run scripts/nn-runtimes.sh --test pytorch";

fn nn_torch() -> PathBuf {
    guest("wasi_nn", "nn_torch")
}

/// `libwedge_nn_torch.so` where the plug-in looks for it: `$WEDGE_NN_TORCH_LIB`, else
/// `libtorch/lib/libwedge_nn_torch.so` in the cache.
fn torch_library() -> PathBuf {
    std::env::var_os("WEDGE_NN_TORCH_LIB")
        .filter(|v| !v.is_empty())
        .map_or_else(
            || nn_cache().join("libtorch/lib/libwedge_nn_torch.so"),
            PathBuf::from,
        )
}

/// A plug-in directory for `test` holding the workspace's build of the plug-in, after checking
/// that `libwedge_nn_torch.so` and the models are there; and the models' directory.
fn pytorch_setup(test: &str) -> (PathBuf, PathBuf) {
    let lib = torch_library();
    assert!(
        lib.exists(),
        "{} is missing (the PyTorch backend's library, next to libtorch; or set \
         WEDGE_NN_TORCH_LIB): {HOW}",
        lib.display()
    );
    let models = nn_models(&["mlp.pt", "mlp.input.bin", "mlp.torch.output.bin"]);
    (plugin_dir(test, &[NN]), models)
}

/// The errno lines `nn_torch` prints after `y=`: WasmEdge's torch backend's answers, except
/// where it would crash (see `plugins/wasi_nn/src/backend/pytorch.rs`). `file` adds the loads
/// that reuse the model's bytes.
fn expected_errnos(file: bool) -> Vec<&'static str> {
    let mut lines = vec![
        "get_output_index_1=1",
        "get_output_small=7",
        "set_input_short_data=1",
        "set_input_i32=1",
        "set_input_wrong_shape=0",
        "compute_wrong_shape=5",
        "set_input_again=0",
        "compute_again=0",
        "set_input_index_2=0",
        "compute_input_1_missing=1",
        "set_input_index_5000=1",
        "compute_no_input=1",
        "finalize_2=0",
        "load_corrupt=1",
        "load_no_builders=1",
    ];
    if file {
        lines.extend(["load_two_builders=1", "load_gpu=1", "load_tpu=1"]);
    }
    lines.extend([
        "unload=0",
        "compute_after_unload=1",
        "get_output_after_unload=0",
        "finalize=0",
        "finalize_again=1",
    ]);
    lines
}

/// Checks the guest's `y=` line against libtorch's output, the errno lines after it and the log
/// lines of the bad calls.
fn check_torch_output(what: &str, out: &Output, expected: &[f32], file: bool) {
    check_y_then(what, out, expected, &expected_errnos(file));
    let err = stderr(out);
    for line in [
        "[WASI-NN] Torch: The output index 1 exceeds the outputs number 1.",
        "[WASI-NN] Torch: Only F32 inputs and outputs are supported for now.",
        "[WASI-NN] Torch: Input [1] is not set!",
        "[WASI-NN] Torch: Input is not set!",
        "[WASI-NN] Torch: Failed when load the TorchScript model.",
        "[WASI-NN] Torch: Infer Request Exception:",
    ] {
        assert!(err.contains(line), "{what}: no {line:?} in\n{err}");
    }
    if file {
        for line in [
            "[WASI-NN] Torch: Wrong GraphBuilder Length 2, expect 1",
            "[WASI-NN] Torch: CUDA Unavailable. Please check if the installed Torch version or \
             platform supports CUDA.",
            "[WASI-NN] Torch: Unknown target device. We currently support only CPU and GPU \
             targets.",
        ] {
            assert!(err.contains(line), "{what}: no {line:?} in\n{err}");
        }
    }
}

#[test]
#[ignore = "needs libtorch and libwedge_nn_torch.so: run scripts/nn-runtimes.sh --test pytorch"]
fn pytorch_runs_the_mlp_as_libtorch_does_and_bad_calls_are_errnos() {
    let (plugins, models) = pytorch_setup("nn_torch");
    let expected = f32s(&models.join("mlp.torch.output.bin"));
    let dir = format!("/m:{}", models.display());
    let args = ["file", "/m/mlp.pt", "/m/mlp.input.bin", "4", "3"];
    for (host, mut cmd) in both_hosts(
        &plugins,
        &["--dir", &dir],
        &["--dir", &dir],
        &nn_torch(),
        &args,
    ) {
        check_torch_output(host, &output(&mut cmd), &expected, true);
    }
}

#[test]
#[ignore = "needs libtorch and libwedge_nn_torch.so: run scripts/nn-runtimes.sh --test pytorch"]
fn autodetect_runs_a_torchscript_model_with_the_pytorch_backend() {
    let (plugins, models) = pytorch_setup("nn_torch_autodetect");
    let expected = f32s(&models.join("mlp.torch.output.bin"));
    let dir = format!("/m:{}", models.display());
    // Encoding 5 for the model; the bad calls after it use 3, so their answers are the same.
    let args = ["file", "/m/mlp.pt", "/m/mlp.input.bin", "4", "3", "5"];
    for (host, mut cmd) in both_hosts(
        &plugins,
        &["--dir", &dir],
        &["--dir", &dir],
        &nn_torch(),
        &args,
    ) {
        let what = format!("{host} autodetect");
        check_torch_output(&what, &output(&mut cmd), &expected, true);
    }
}

#[test]
#[ignore = "needs libtorch and libwedge_nn_torch.so: run scripts/nn-runtimes.sh --test pytorch"]
fn pytorch_matches_the_onnx_mlp_it_was_made_from() {
    // mlp.pt holds the weights of mlp.onnx (scripts/nn/onnx.sh); onnxruntime's output for the
    // same input, when that script has run, must agree with libtorch's.
    let (_, models) = pytorch_setup("nn_torch_vs_onnx");
    let onnx = models.join("mlp.output.bin");
    assert!(
        onnx.exists(),
        "{} is missing: run scripts/nn-runtimes.sh onnx pytorch",
        onnx.display()
    );
    let (a, b) = (f32s(&models.join("mlp.torch.output.bin")), f32s(&onnx));
    assert_eq!(a.len(), 3);
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert!((x - y).abs() <= 1e-5 * y.abs().max(1.0), "{a:?} vs {b:?}");
    }
}

#[test]
#[ignore = "needs libtorch and libwedge_nn_torch.so: run scripts/nn-runtimes.sh --test pytorch"]
fn pytorch_runs_a_preloaded_model_and_two_threads_at_once() {
    let (plugins, models) = pytorch_setup("nn_torch_preload");
    let expected = f32s(&models.join("mlp.torch.output.bin"));
    let dir = format!("/m:{}", models.display());
    let spec = format!("mlp:PyTorch:CPU:{}", models.join("mlp.pt").display());
    let preload = format!("--nn-preload={spec}");
    let args = ["name", "mlp", "/m/mlp.input.bin", "4", "3"];
    for (host, mut cmd) in both_hosts(
        &plugins,
        &["--dir", &dir, &preload],
        &["--dir", &dir, "--nn-preload", &spec],
        &nn_torch(),
        &args,
    ) {
        check_torch_output(
            &format!("{host} --nn-preload"),
            &output(&mut cmd),
            &expected,
            false,
        );
    }

    let mut cmd = c_host(&plugins);
    cmd.args(["--threads", "2", "--dir", &dir])
        .arg(nn_torch())
        .args(["file", "/m/mlp.pt", "/m/mlp.input.bin", "4", "3"]);
    let out = output(&mut cmd);
    assert_success("C host --threads 2", &out);
    // Each guest writes its whole output at exit; both are the same.
    let text = stdout(&out);
    let half = text.len() / 2;
    assert_eq!(text[..half], text[half..], "{text}");
    assert!(text.starts_with("y="), "{text}");
}

/// A library path that does not exist: the PyTorch backend's library is absent for the command.
const NO_LIBRARY: &str = "/nonexistent/wedge-test/libwedge_nn_torch.so";

#[test]
fn without_the_torch_library_pytorch_answers_1_and_names_the_script() {
    let plugins = plugin_dir("nn_torch_absent", &[NN]);
    let files = plugins.parent().unwrap().join("m");
    fs::create_dir_all(&files).unwrap();
    fs::write(files.join("model.pt"), b"PK\x03\x04 not really torchscript").unwrap();
    fs::write(files.join("input.bin"), [0u8; 16]).unwrap();
    let dir = format!("/m:{}", files.display());
    // Encoding 3, then 5 (Autodetect), which picks PyTorch for a zip archive's bytes.
    for encoding in ["3", "5"] {
        for (host, mut cmd) in both_hosts(
            &plugins,
            &["--dir", &dir],
            &["--dir", &dir],
            &nn_torch(),
            &["file", "/m/model.pt", "/m/input.bin", "4", "3", encoding],
        ) {
            let what = format!("{host} encoding {encoding}");
            let out = output(cmd.env("WEDGE_NN_TORCH_LIB", NO_LIBRARY));
            assert_exit(&what, &out, 1);
            assert_eq!(stdout(&out), "", "{what}");
            let err = stderr(&out);
            assert!(
                err.contains("nn_torch: load failed with errno 1\n"),
                "{what}: {err}"
            );
            let line = err
                .lines()
                .find(|l| l.starts_with("[WASI-NN] PyTorch backend: libwedge_nn_torch.so"))
                .unwrap_or_else(|| panic!("{what}: no line naming the library in\n{err}"));
            assert!(line.contains(NO_LIBRARY), "{what}: {line}");
            assert!(
                line.contains("scripts/nn-runtimes.sh pytorch"),
                "{what}: {line}"
            );
        }
    }
}
