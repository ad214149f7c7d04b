//! The `wasi_nn` plug-in's OpenVINO (encoding 0), TensorFlow Lite (4, on OpenVINO's TFLite
//! frontend) and Autodetect (5) backends, through `nn_openvino.c` on both hosts.
//!
//! Without OpenVINO (`WEDGE_OPENVINO_LIB` names a missing file), `load` answers `InvalidArgument`
//! with a log line naming what to install, and Autodetect refuses bytes it cannot tell: these run
//! everywhere. The tests that run models need OpenVINO and the test models (the IR made by
//! `scripts/nn/openvino.sh`, the `.tflite` by `scripts/nn/tensorflow.sh`); they are `#[ignore]`d
//! (a runtime that is absent is never counted as a pass) and `scripts/nn-runtimes.sh --test` runs
//! them. Each compares the guest's output with the framework's own (OpenVINO's Python API for
//! the IR, TFLite's interpreter for the `.tflite`, onnxruntime for the ONNX model).

use std::path::{Path, PathBuf};

use crate::*;

const NN: PluginLib = PluginLib {
    lib: "wedge_plugin_wasi_nn",
    package: "wedge-plugin-wasi-nn",
};

fn nn_openvino() -> PathBuf {
    guest("wasi_nn", "nn_openvino")
}

/// A library path that does not exist: OpenVINO is absent for the command.
const NO_RUNTIME: &str = "/nonexistent/wedge-test/libopenvino_c.so.2641";

// ---- without OpenVINO ----

#[test]
fn without_openvino_load_is_invalid_argument_and_says_what_to_install() {
    let plugins = plugin_dir("ov_absent", &[NN]);
    let dir = plugins.parent().unwrap().join("m");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("x.bin"), [0u8; 16]).unwrap();
    std::fs::write(
        dir.join("m.xml"),
        b"<?xml version=\"1.0\"?>\n<net name=\"m\" version=\"11\"></net>",
    )
    .unwrap();
    std::fs::write(dir.join("w.bin"), b"weights").unwrap();
    std::fs::write(
        dir.join("m.tflite"),
        b"\x1c\x00\x00\x00TFL3 but nothing else",
    )
    .unwrap();
    std::fs::write(dir.join("junk"), b"not a model of any kind").unwrap();
    let preopen = format!("/m:{}", dir.display());
    for (what, args, expected, line) in [
        (
            "IR",
            ["0", "/m/m.xml", "/m/w.bin"],
            "load=1\n",
            "OpenVINO is not installed",
        ),
        (
            "TFLite",
            ["4", "/m/m.tflite", "-"],
            "load=1\n",
            "OpenVINO is not installed",
        ),
        (
            "Autodetect IR",
            ["5", "/m/m.xml", "/m/w.bin"],
            "load=1\n",
            "OpenVINO is not installed",
        ),
        (
            "Autodetect TFLite",
            ["5", "/m/m.tflite", "-"],
            "load=1\n",
            "OpenVINO is not installed",
        ),
        (
            "Autodetect junk",
            ["5", "/m/junk", "-"],
            "load=2\n",
            "Autodetect: the model's format cannot be told",
        ),
    ] {
        let args = [args[0], args[1], args[2], "/m/x.bin", "4", "3"];
        for (host, mut cmd) in both_hosts(
            &plugins,
            &["--dir", &preopen],
            &["--dir", &preopen],
            &nn_openvino(),
            &args,
        ) {
            let out = output(cmd.env("WEDGE_OPENVINO_LIB", NO_RUNTIME));
            assert_success(&format!("{host} {what}"), &out);
            assert_eq!(stdout(&out), expected, "{host} {what}");
            let err = stderr(&out);
            assert!(err.contains(line), "{host} {what}: {err}");
            if expected == "load=1\n" {
                assert!(err.contains(NO_RUNTIME), "{host} {what}: {err}");
                assert!(
                    err.contains("scripts/nn-runtimes.sh"),
                    "{host} {what}: {err}"
                );
                assert!(err.contains("PyPI openvino wheel"), "{host} {what}: {err}");
            }
        }
    }
}

// ---- with OpenVINO (scripts/nn-runtimes.sh) ----

/// The models' directory `scripts/nn-runtimes.sh` fills, after checking that `files` and the
/// OpenVINO library are there.
fn models(files: &[&str]) -> PathBuf {
    let models = nn_models(files);
    let lib = std::env::var_os("WEDGE_OPENVINO_LIB")
        .map_or_else(|| models.join("../openvino"), PathBuf::from);
    assert!(
        lib.exists(),
        "{} is missing: run scripts/nn-runtimes.sh",
        lib.display()
    );
    models
}

/// The errno lines of a run on an OpenVINO IR graph (encoding 0, or 5 on IR bytes).
fn ir_errnos(autodetect: bool) -> Vec<&'static str> {
    vec![
        "set_input_index_9=1",
        "set_input_short_data=1",
        // WasmEdge's OpenVINO backend takes F32 only, and at most 8 dimensions.
        "set_input_i32=1",
        "set_input_9_dims=1",
        // OpenVINO refuses a shape the model cannot take: "Set Input Exception".
        "set_input_swapped_dims=5",
        "set_input_again=0",
        "compute_again=0",
        "get_output_index_5=1",
        "get_output_small=7",
        if autodetect {
            "load_corrupt=2"
        } else {
            "load_corrupt=5"
        },
        "load_other_builder_count=1",
        // As WasmEdge: the GPU is asked for when the model is compiled, at the first set_input.
        "load_gpu=0",
        "set_input_gpu=5",
        "unload=0",
        "compute_after_unload=1",
        "get_output_after_unload=0",
        "finalize=0",
        "finalize_again=1",
    ]
}

/// The errno lines of a run on a TFLite graph (encoding 4, or 5 on TFLite bytes).
fn tflite_errnos(autodetect: bool) -> Vec<&'static str> {
    vec![
        "set_input_index_9=1",
        "set_input_short_data=1",
        "set_input_i32=1",
        "set_input_9_dims=1",
        "set_input_swapped_dims=1",
        "set_input_again=0",
        "compute_again=0",
        "get_output_index_5=1",
        "get_output_small=7",
        if autodetect {
            "load_corrupt=2"
        } else {
            "load_corrupt=1"
        },
        "load_other_builder_count=1",
        // WasmEdge's TFLite backend runs on the CPU only.
        "load_gpu=1",
        "unload=0",
        "compute_after_unload=1",
        "get_output_after_unload=0",
        "finalize=0",
        "finalize_again=1",
    ]
}

/// Runs `nn_openvino ENCODING MODEL WEIGHTS /m/mlp.input.bin 4 3` through both hosts and checks it.
fn run_mlp(test: &str, models: &Path, model_args: [&str; 3], expected: &[f32], errnos: &[&str]) {
    let plugins = plugin_dir(test, &[NN]);
    let preopen = format!("/m:{}", models.display());
    let args = [
        model_args[0],
        model_args[1],
        model_args[2],
        "/m/mlp.input.bin",
        "4",
        "3",
    ];
    for (host, mut cmd) in both_hosts(
        &plugins,
        &["--dir", &preopen],
        &["--dir", &preopen],
        &nn_openvino(),
        &args,
    ) {
        let out = output(&mut cmd);
        check_y_then(&format!("{host} {model_args:?}"), &out, expected, errnos);
    }
}

#[test]
#[ignore = "needs OpenVINO and the test models: run scripts/nn-runtimes.sh --test"]
fn openvino_ir_runs_as_openvinos_python_api() {
    let models = models(&["mlp.xml", "mlp.bin", "mlp.openvino.output.bin"]);
    let expected = f32s(&models.join("mlp.openvino.output.bin"));
    let errnos = ir_errnos(false);
    run_mlp(
        "ov_ir",
        &models,
        ["0", "/m/mlp.xml", "/m/mlp.bin"],
        &expected,
        &errnos,
    );
}

#[test]
#[ignore = "needs OpenVINO and the test models: run scripts/nn-runtimes.sh --test"]
fn tflite_runs_through_openvino_as_tflites_interpreter() {
    let models = models(&["mlp.tflite", "mlp.tflite.output.bin"]);
    let expected = f32s(&models.join("mlp.tflite.output.bin"));
    let errnos = tflite_errnos(false);
    run_mlp(
        "ov_tflite",
        &models,
        ["4", "/m/mlp.tflite", "-"],
        &expected,
        &errnos,
    );
}

#[test]
#[ignore = "needs OpenVINO, ONNX Runtime and the test models: run scripts/nn-runtimes.sh --test"]
fn autodetect_picks_the_backend_from_the_models_bytes() {
    let models = models(&[
        "mlp.xml",
        "mlp.bin",
        "mlp.tflite",
        "mlp.onnx",
        "mlp.openvino.output.bin",
        "mlp.tflite.output.bin",
        "mlp.output.bin",
        "../onnxruntime/libonnxruntime.so",
    ]);
    run_mlp(
        "ov_auto_ir",
        &models,
        ["5", "/m/mlp.xml", "/m/mlp.bin"],
        &f32s(&models.join("mlp.openvino.output.bin")),
        &ir_errnos(true),
    );
    run_mlp(
        "ov_auto_tflite",
        &models,
        ["5", "/m/mlp.tflite", "-"],
        &f32s(&models.join("mlp.tflite.output.bin")),
        &tflite_errnos(true),
    );
    // ONNX goes to the ONNX backend (ONNX Runtime), which answers as for encoding 1.
    let plugins = plugin_dir("ov_auto_onnx", &[NN]);
    let preopen = format!("/m:{}", models.display());
    let mut cmd = wedge(&plugins);
    cmd.env(
        "ORT_DYLIB_PATH",
        models.join("../onnxruntime/libonnxruntime.so"),
    )
    .args(["run", "--dir", &preopen])
    .arg(nn_openvino())
    .args(["5", "/m/mlp.onnx", "-", "/m/mlp.input.bin", "4", "3"]);
    let onnx_errnos = [
        "set_input_index_9=1",
        "set_input_short_data=1",
        // ONNX Runtime takes I32 and any rank at set_input (and refuses them at compute).
        "set_input_i32=0",
        "set_input_9_dims=0",
        "set_input_swapped_dims=0",
        "set_input_again=0",
        "compute_again=0",
        "get_output_index_5=1",
        "get_output_small=7",
        "load_corrupt=2",
        "load_other_builder_count=1",
        // No GPU execution provider: RuntimeError at load.
        "load_gpu=5",
        "unload=0",
        "compute_after_unload=1",
        "get_output_after_unload=0",
        "finalize=0",
        "finalize_again=1",
    ];
    let out = output(&mut cmd);
    let expected = f32s(&models.join("mlp.output.bin"));
    check_y_then("wedge autodetect ONNX", &out, &expected, &onnx_errnos);
    assert!(stderr(&out).contains("ONNX backend:"), "{}", stderr(&out));
}

#[test]
#[ignore = "needs OpenVINO and the test models: run scripts/nn-runtimes.sh --test"]
fn openvino_runs_a_preloaded_model_and_two_threads_at_once() {
    let models = models(&[
        "mlp.xml",
        "mlp.bin",
        "mlp.openvino.output.bin",
        "mlp.tflite",
    ]);
    let expected = f32s(&models.join("mlp.openvino.output.bin"));
    let plugins = plugin_dir("ov_preload", &[NN]);
    let preopen = format!("/m:{}", models.display());
    let spec = format!(
        "mlp:openvino:cpu:{}:{}",
        models.join("mlp.xml").display(),
        models.join("mlp.bin").display()
    );
    let preload = format!("--nn-preload={spec}");
    let by_name_errnos = [
        "set_input_index_9=1",
        "set_input_short_data=1",
        "set_input_i32=1",
        "set_input_9_dims=1",
        "set_input_swapped_dims=5",
        "set_input_again=0",
        "compute_again=0",
        "get_output_index_5=1",
        "get_output_small=7",
        "unload=0",
        "compute_after_unload=1",
        "get_output_after_unload=0",
        "finalize=0",
        "finalize_again=1",
    ];
    for (host, mut cmd) in both_hosts(
        &plugins,
        &["--dir", &preopen, &preload],
        &["--dir", &preopen, "--nn-preload", &spec],
        &nn_openvino(),
        &["name", "mlp", "-", "/m/mlp.input.bin", "4", "3"],
    ) {
        check_y_then(
            &format!("{host} --nn-preload"),
            &output(&mut cmd),
            &expected,
            &by_name_errnos,
        );
    }
    // Two guests at once on the C host, on IR and on TFLite: each the same as alone.
    for model in [
        ["0", "/m/mlp.xml", "/m/mlp.bin"],
        ["4", "/m/mlp.tflite", "-"],
    ] {
        let mut cmd = c_host(&plugins);
        cmd.args(["--threads", "2", "--dir", &preopen])
            .arg(nn_openvino())
            .args(model)
            .args(["/m/mlp.input.bin", "4", "3"]);
        let out = output(&mut cmd);
        assert_success("C host --threads 2", &out);
        let text = stdout(&out);
        let half = text.len() / 2;
        assert!(text.starts_with("y="), "{text}");
        assert_eq!(text[..half], text[half..], "{text}");
    }
}
