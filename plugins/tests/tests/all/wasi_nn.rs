//! The `wasi_nn` plug-in (`plugins/wasi_nn`): `nn_errors.c` calls `wasi_ephemeral_nn` on the
//! paths that need no ML runtime (unknown handles, refused targets and encodings, pointers past
//! memory, refused tensor types, names not preloaded, an encoding whose runtime is absent) and
//! prints each errno; the numbers are WasmEdge 0.17.1's. These run with ONNX Runtime and the
//! GGML and PyTorch backend libraries made unreachable ([`no_runtimes`]: their variables name
//! missing files), so they are the same on every machine.
//!
//! The ONNX tests need ONNX Runtime and the test model, which `scripts/nn-runtimes.sh` fetches
//! and makes; they are `#[ignore]`d (a runtime that is absent is never counted as a pass) and
//! `scripts/nn-runtimes.sh --test` runs them. They compare the guest's output with onnxruntime's
//! own (Python) output for the same input.

use std::path::PathBuf;
use std::process::Command;

use crate::*;

const NN: PluginLib = PluginLib {
    lib: "wedge_plugin_wasi_nn",
    package: "wedge-plugin-wasi-nn",
};

fn nn_errors() -> PathBuf {
    guest("wasi_nn", "nn_errors")
}

/// A library path that does not exist: ONNX Runtime is absent for the command.
const NO_RUNTIME: &str = "/nonexistent/wedge-test/libonnxruntime.so";

/// `cmd` with ONNX Runtime and the GGML and PyTorch backend libraries absent.
fn no_runtimes(cmd: &mut Command) -> &mut Command {
    cmd.env("ORT_DYLIB_PATH", NO_RUNTIME)
        .env(
            "WEDGE_NN_GGML_LIB",
            "/nonexistent/wedge-test/libwedge_nn_ggml.so",
        )
        .env(
            "WEDGE_NN_TORCH_LIB",
            "/nonexistent/wedge-test/libwedge_nn_torch.so",
        )
}

/// Runs `nn_errors ARGS` through both hosts (the C host with `host_flags`) and checks each
/// prints `expected` and exits 0; returns each host's stderr.
fn run_both(test: &str, host_flags: &[&str], args: &[&str], expected: &str) -> Vec<String> {
    let plugins = plugin_dir(test, &[NN]);
    both_hosts(&plugins, &[], host_flags, &nn_errors(), args)
        .into_iter()
        .map(|(host, mut cmd)| {
            let out = output(no_runtimes(&mut cmd));
            assert_success(&format!("{host} {args:?}"), &out);
            assert_eq!(stdout(&out), expected, "{host} {args:?}");
            stderr(&out)
        })
        .collect()
}

#[test]
fn unknown_handles_are_invalid_argument() {
    let expected = "init_execution_context=1\nset_input=1\ncompute=1\nget_output=1\n\
                    compute_single=1\nget_output_single=1\nfini_single=1\n\
                    finalize_execution_context=1\nunload=1\n";
    for err in run_both("nn_unknown", &[], &["unknown"], expected) {
        assert!(
            err.contains("[WASI-NN] compute: Context ID 7 does not exist."),
            "{err}"
        );
        assert!(!err.contains("not installed"), "{err}");
    }
}

#[test]
fn two_threads_get_the_same_answers() {
    let expected = "init_execution_context=1\nset_input=1\ncompute=1\nget_output=1\n\
                    compute_single=1\nget_output_single=1\nfini_single=1\n\
                    finalize_execution_context=1\nunload=1\n";
    let plugins = plugin_dir("nn_threads", &[NN]);
    let mut cmd = c_host(&plugins);
    no_runtimes(&mut cmd)
        .args(["--threads", "2"])
        .arg(nn_errors())
        .arg("unknown");
    let out = output(&mut cmd);
    assert_success("C host --threads 2", &out);
    // Each guest writes its output at once, at exit (see `nn_errors.c`).
    assert_eq!(stdout(&out), expected.repeat(2));
}

#[test]
fn load_refuses_auto_and_unknown_targets_and_encodings_without_a_backend() {
    let expected = "target_auto=1\ntarget_9=1\nencoding_8=2\nencoding_autodetect=2\n\
                    encoding_99=2\nencoding_tensorflow=1\nencoding_ggml=1\nencoding_onnx=1\n";
    for err in run_both("nn_load", &[], &["load"], expected) {
        assert!(err.contains("[WASI-NN] Unknown device 3."), "{err}");
        assert!(err.contains("[WASI-NN] Unknown backend 8."), "{err}");
        assert!(err.contains("Tensorflow backend is not built."), "{err}");
        assert!(
            err.contains("[WASI-NN] GGML backend: libwedge_nn_ggml.so (Wedge's GGML backend"),
            "{err}"
        );
        assert!(err.contains("scripts/nn-runtimes.sh ggml"), "{err}");
        assert!(
            err.contains("ONNX Runtime 1.31 or later is not installed"),
            "{err}"
        );
        assert!(err.contains("scripts/nn-runtimes.sh"), "{err}");
    }
}

#[test]
fn pointers_past_memory_are_invalid_argument_not_a_trap() {
    let expected = "load_graph_ptr=1\nload_builders=1\nload_builders_count=1\n\
                    load_builder_data=1\nload_by_name_name=1\nload_by_name_graph=1\n\
                    load_by_name_config=1\ninit_ctx_ptr=1\nset_input_tensor=1\n\
                    set_input_dims=1\nset_input_data=1\nget_output_buffer=1\n\
                    get_output_written=1\n";
    for err in run_both("nn_oob", &[], &["oob"], expected) {
        assert!(err.contains("Failed when accessing the"), "{err}");
    }
}

#[test]
fn set_input_refuses_the_old_u8_number_and_says_why() {
    let expected = "set_input_old_u8=1\nset_input_i64=1\nset_input_type_9=1\n\
                    set_input_u8_no_context=1\n";
    for err in run_both("nn_tensor", &[], &["tensor"], expected) {
        assert!(err.contains("tensor type 2 is F64"), "{err}");
        assert!(err.contains("U8 is 3 now"), "{err}");
        assert!(err.contains("Unknown tensor type 9."), "{err}");
        assert!(
            err.contains("set_input: Context ID 0 does not exist."),
            "{err}"
        );
    }
}

#[test]
fn load_by_name_of_a_name_not_preloaded_is_not_found() {
    run_both(
        "nn_byname",
        &[],
        &["byname"],
        "load_by_name=8\nload_by_name_with_config=8\n",
    );
}

#[test]
fn a_preloaded_model_whose_runtime_is_absent_gives_an_errno_and_a_log_line() {
    let plugins = plugin_dir("nn_preload", &[NN]);
    let model = plugins.parent().unwrap().join("model.onnx");
    std::fs::write(&model, b"not really onnx").unwrap();
    let spec = format!("m:ONNX:CPU:{}", model.display());
    let preload = format!("--nn-preload={spec}");
    let bad = "--nn-preload=x:nosuch:cpu:y".to_owned();
    // `wedge --nn-preload`, and a C host's `WasmEdge_PluginInitWASINN`.
    for (host, mut cmd) in both_hosts(
        &plugins,
        &[&preload, &bad],
        &["--nn-preload", &spec, "--nn-preload", "x:nosuch:cpu:y"],
        &nn_errors(),
        &["byname", "m"],
    ) {
        no_runtimes(&mut cmd);
        let out = output(&mut cmd);
        assert_success(&format!("{host} --nn-preload"), &out);
        assert_eq!(
            stdout(&out),
            "load_by_name=1\nload_by_name_with_config=1\n",
            "{host}"
        );
        let err = stderr(&out);
        assert!(err.contains("ONNX"), "{host}: {err}");
        assert!(
            err.contains("Preload Model's Backend or Device is Not Support."),
            "{host}: {err}"
        );
    }
    // Names are compared as written, as WasmEdge does.
    let mut cmd = wedge(&plugins);
    no_runtimes(&mut cmd)
        .args(["run", &preload])
        .arg(nn_errors())
        .args(["byname", "M"]);
    let out = output(&mut cmd);
    assert_success("wedge --nn-preload (name case)", &out);
    assert_eq!(stdout(&out), "load_by_name=8\nload_by_name_with_config=8\n");
}

// ---- ONNX, with ONNX Runtime (scripts/nn-runtimes.sh) ----

/// The models `scripts/nn-runtimes.sh` makes, and ONNX Runtime's library.
fn onnx_cache() -> (PathBuf, PathBuf) {
    let models = nn_models(&["mlp.onnx"]);
    let lib = std::env::var_os("ORT_DYLIB_PATH").map_or_else(
        || models.join("../onnxruntime/libonnxruntime.so"),
        PathBuf::from,
    );
    assert!(
        lib.exists(),
        "{} is missing: run scripts/nn-runtimes.sh",
        lib.display()
    );
    (models, lib)
}

/// Checks the guest's `y=` line against onnxruntime's output, and the errno lines after it.
fn check_onnx_output(what: &str, out: &std::process::Output, expected: &[f32]) {
    check_y_then(
        what,
        out,
        expected,
        &[
            "set_input_index_9=1",
            "set_input_short_data=1",
            "set_input_i32=0",
            "compute_wrong_type=5",
            "set_input_again=0",
            "compute_again=0",
            "get_output_index_5=1",
            "get_output_small=7",
            "load_corrupt=5",
            "load_no_builders=1",
            "unload=0",
            "compute_after_unload=1",
            "get_output_after_unload=0",
            "finalize=0",
            "finalize_again=1",
        ],
    );
}

#[test]
#[ignore = "needs ONNX Runtime and the test model: run scripts/nn-runtimes.sh --test"]
fn onnx_runs_a_model_as_onnxruntime_does() {
    let (models, lib) = onnx_cache();
    let expected = f32s(&models.join("mlp.output.bin"));
    let plugins = plugin_dir("nn_onnx", &[NN]);
    let dir = format!("/m:{}", models.display());
    let args = ["file", "/m/mlp.onnx", "/m/mlp.input.bin", "4", "3"];
    for (host, mut cmd) in both_hosts(
        &plugins,
        &["--dir", &dir],
        &["--dir", &dir],
        &guest("wasi_nn", "nn_onnx"),
        &args,
    ) {
        let out = output(cmd.env("ORT_DYLIB_PATH", &lib));
        check_onnx_output(host, &out, &expected);
    }
}

#[test]
#[ignore = "needs ONNX Runtime and the test model: run scripts/nn-runtimes.sh --test"]
fn onnx_runs_a_preloaded_model_and_two_threads_at_once() {
    let (models, lib) = onnx_cache();
    let expected = f32s(&models.join("mlp.output.bin"));
    let plugins = plugin_dir("nn_onnx_preload", &[NN]);
    let dir = format!("/m:{}", models.display());
    let preload = format!(
        "--nn-preload=mlp:onnx:auto:{}",
        models.join("mlp.onnx").display()
    );
    let mut cmd = wedge(&plugins);
    cmd.env("ORT_DYLIB_PATH", &lib)
        .args(["run", "--dir", &dir, &preload])
        .arg(guest("wasi_nn", "nn_onnx"))
        .args(["name", "mlp", "/m/mlp.input.bin", "4", "3"]);
    check_onnx_output("wedge --nn-preload", &output(&mut cmd), &expected);

    let mut cmd = c_host(&plugins);
    cmd.env("ORT_DYLIB_PATH", &lib)
        .args(["--threads", "2", "--dir", &dir])
        .arg(guest("wasi_nn", "nn_onnx"))
        .args(["file", "/m/mlp.onnx", "/m/mlp.input.bin", "4", "3"]);
    let out = output(&mut cmd);
    assert_success("C host --threads 2", &out);
    // Each guest writes its whole output at exit; both are the same.
    let text = stdout(&out);
    let half = text.len() / 2;
    assert_eq!(text[..half], text[half..], "{text}");
}

#[test]
#[ignore = "needs ONNX Runtime and the test model: run scripts/nn-runtimes.sh --test"]
fn onnx_takes_and_gives_f16_tensors_as_onnxruntime_does() {
    let (models, lib) = onnx_cache();
    nn_models(&["mlp16.onnx", "mlp16.input.bin", "mlp16.output16.bin"]);
    let expected = f32s(&models.join("mlp16.output.bin"));
    let expected16: Vec<String> = std::fs::read(models.join("mlp16.output16.bin"))
        .unwrap()
        .chunks_exact(2)
        .map(|b| format!("{:04x}", u16::from_le_bytes([b[0], b[1]])))
        .collect();
    let plugins = plugin_dir("nn_onnx_f16", &[NN]);
    let dir = format!("/m:{}", models.display());
    let args = ["f16", "/m/mlp16.onnx", "/m/mlp16.input.bin", "4", "3"];
    for (host, mut cmd) in both_hosts(
        &plugins,
        &["--dir", &dir],
        &["--dir", &dir],
        &guest("wasi_nn", "nn_onnx"),
        &args,
    ) {
        let out = output(cmd.env("ORT_DYLIB_PATH", &lib));
        assert_success(host, &out);
        let text = stdout(&out);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{host}: {text}");
        check_floats(host, lines[0], &expected, 1e-5);
        assert_eq!(lines[1], format!("y16={}", expected16.join(" ")), "{host}");
    }
}
