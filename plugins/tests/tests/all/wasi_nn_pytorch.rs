//! The `wasi_nn` plug-in's PyTorch backend (encoding 3). `nn_torch.c` runs a TorchScript model
//! and then makes bad calls on it, printing each errno.
//!
//! The PyTorch backend is a separate build of the plug-in (cargo feature `pytorch`, linked with
//! libtorch), which `scripts/nn/pytorch.sh` makes in its own target directory; these tests take
//! that plug-in from `WEDGE_NN_PLUGIN` and libtorch from `LD_LIBRARY_PATH`, and the models from
//! `WEDGE_NN_MODELS`, all of which `scripts/nn-runtimes.sh --test pytorch` sets. They are
//! `#[ignore]`d (a runtime that is absent is never counted as a pass) and fail with a message
//! naming the script when run without them. They compare the guest's output with libtorch's own
//! output for the same input (`mlp.torch.output.bin`).
//!
//! One test runs always: the default build of the plug-in answers encoding 3 as WasmEdge's plug-in
//! built without its PyTorch backend, and says how to get the PyTorch build.

use std::ffi::OsString;
use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output};

use crate::*;

const NN: PluginLib = PluginLib {
    lib: "wedge_plugin_wasi_nn",
    package: "wedge-plugin-wasi-nn",
};

fn nn_torch() -> PathBuf {
    guest("wasi_nn", "nn_torch")
}

/// A plug-in directory for `test` holding the PyTorch build of the plug-in (`WEDGE_NN_PLUGIN`),
/// and the models' directory.
fn pytorch_setup(test: &str) -> (PathBuf, PathBuf) {
    const HOW: &str = "run scripts/nn-runtimes.sh --test pytorch";
    let plugin = std::env::var_os("WEDGE_NN_PLUGIN").map(PathBuf::from);
    let plugin = plugin.unwrap_or_else(|| {
        panic!(
            "WEDGE_NN_PLUGIN is not set: it names the PyTorch build of \
             libwedge_plugin_wasi_nn.so; {HOW}"
        )
    });
    assert!(plugin.exists(), "{} is missing: {HOW}", plugin.display());
    let models = std::env::var_os("WEDGE_NN_MODELS")
        .map(PathBuf::from)
        .unwrap_or_else(|| panic!("WEDGE_NN_MODELS is not set: {HOW}"));
    for f in ["mlp.pt", "mlp.input.bin", "mlp.torch.output.bin"] {
        assert!(
            models.join(f).exists(),
            "{} is missing: {HOW}",
            models.join(f).display()
        );
    }
    let dir = fresh_dir(test).join("plugins");
    fs::create_dir_all(&dir).unwrap();
    fs::copy(&plugin, dir.join("libwedge_plugin_wasi_nn.so")).unwrap();
    (dir, models)
}

/// `cmd` with this process's `LD_LIBRARY_PATH` (libtorch's directory) after the one the harness
/// set for it (the C host's `libwasmedge.so.0`).
fn with_libtorch(cmd: &mut Command) -> &mut Command {
    let own = cmd
        .get_envs()
        .find(|(k, _)| *k == "LD_LIBRARY_PATH")
        .and_then(|(_, v)| v.map(OsString::from));
    let mut path = own.unwrap_or_default();
    if let Some(outer) = std::env::var_os("LD_LIBRARY_PATH") {
        if !path.is_empty() {
            path.push(":");
        }
        path.push(outer);
    }
    cmd.env("LD_LIBRARY_PATH", path)
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
#[ignore = "needs libtorch and the PyTorch build of the plug-in: run scripts/nn-runtimes.sh --test pytorch"]
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
        check_torch_output(host, &output(with_libtorch(&mut cmd)), &expected, true);
    }
}

#[test]
#[ignore = "needs libtorch and the PyTorch build of the plug-in: run scripts/nn-runtimes.sh --test pytorch"]
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
        check_torch_output(&what, &output(with_libtorch(&mut cmd)), &expected, true);
    }
}

#[test]
#[ignore = "needs libtorch and the PyTorch build of the plug-in: run scripts/nn-runtimes.sh --test pytorch"]
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
#[ignore = "needs libtorch and the PyTorch build of the plug-in: run scripts/nn-runtimes.sh --test pytorch"]
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
            &output(with_libtorch(&mut cmd)),
            &expected,
            false,
        );
    }

    let mut cmd = c_host(&plugins);
    cmd.args(["--threads", "2", "--dir", &dir])
        .arg(nn_torch())
        .args(["file", "/m/mlp.pt", "/m/mlp.input.bin", "4", "3"]);
    let out = output(with_libtorch(&mut cmd));
    assert_success("C host --threads 2", &out);
    // Each guest writes its whole output at exit; both are the same.
    let text = stdout(&out);
    let half = text.len() / 2;
    assert_eq!(text[..half], text[half..], "{text}");
    assert!(text.starts_with("y="), "{text}");
}

#[test]
fn default_build_refuses_pytorch_and_names_the_pytorch_build() {
    let plugins = plugin_dir("nn_torch_default", &[NN]);
    let files = plugins.parent().unwrap().join("m");
    fs::create_dir_all(&files).unwrap();
    fs::write(files.join("model.pt"), b"PK\x03\x04 not really torchscript").unwrap();
    fs::write(files.join("input.bin"), [0u8; 16]).unwrap();
    let dir = format!("/m:{}", files.display());
    for (host, mut cmd) in both_hosts(
        &plugins,
        &["--dir", &dir],
        &["--dir", &dir],
        &nn_torch(),
        &["file", "/m/model.pt", "/m/input.bin", "4", "3"],
    ) {
        let out = output(&mut cmd);
        assert_exit(host, &out, 1);
        assert_eq!(stdout(&out), "", "{host}");
        let err = stderr(&out);
        assert!(
            err.contains("nn_torch: load failed with errno 1\n"),
            "{host}: {err}"
        );
        assert!(
            err.contains("[WASI-NN] PyTorch backend is not built."),
            "{host}: {err}"
        );
        assert!(err.contains("scripts/nn/pytorch.sh"), "{host}: {err}");
    }
}
