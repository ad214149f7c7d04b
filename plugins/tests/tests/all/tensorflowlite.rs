//! The `wasmedge_tensorflowlite` plug-in (`plugins/wasmedge_tensorflowlite`): the guest
//! `tflite.c` calls its 7 functions directly.
//!
//! The model tests need OpenVINO (whose TFLite frontend runs the models) and the MLP as a
//! `.tflite` file with TFLite's own output for a fixed input, which `scripts/nn-runtimes.sh`
//! fetches and makes (`scripts/nn/openvino.sh`, `scripts/nn/tensorflow.sh`); they are
//! `#[ignore]`d, so an absent runtime is never a pass, and `scripts/nn-runtimes.sh --test` runs
//! them. The test without a runtime runs everywhere.

use crate::*;

const TFLITE: PluginLib = PluginLib {
    lib: "wedge_plugin_tensorflowlite",
    package: "wedge-plugin-tensorflowlite",
};

/// A library path that does not exist: OpenVINO is absent for the command.
const NO_RUNTIME: &str = "/nonexistent/wedge-test/libopenvino_c.so";

/// The MLP's input and output tensor names in `mlp.tflite` (see scripts/nn/tensorflow.sh).
const IN: &str = "serving_default_x:0";
const OUT: &str = "StatefulPartitionedCall:0";

#[test]
fn without_openvino_create_session_is_a_runtime_error_that_says_what_to_install() {
    let plugins = plugin_dir("tflite_no_runtime", &[TFLITE]);
    let tflite = guest("wasmedge_tensorflowlite", "tflite");
    for (host, mut cmd) in both_hosts(&plugins, &[], &[], &tflite, &["create", "TFL3 model"]) {
        let out = output(cmd.env("WEDGE_OPENVINO_LIB", NO_RUNTIME));
        assert_success(host, &out);
        assert_eq!(stdout(&out), "create_session=5\n", "{host}");
        let err = stderr(&out);
        assert!(
            err.contains("[WasmEdge-Tensorflow-Lite]") && err.contains("scripts/nn-runtimes.sh"),
            "{host}: {err}"
        );
    }
}

#[test]
#[ignore = "needs OpenVINO and the TFLite model: run scripts/nn-runtimes.sh --test"]
fn tflite_runs_the_mlp_as_tflite_does_and_refuses_bad_calls() {
    let models = nn_models(&["mlp.tflite", "mlp.input.bin", "mlp.tflite.output.bin"]);
    let expected = f32s(&models.join("mlp.tflite.output.bin"));
    let plugins = plugin_dir("tflite_mlp", &[TFLITE]);
    let dir = format!("/m:{}", models.display());
    let args = ["run", "/m/mlp.tflite", "/m/mlp.input.bin", IN, OUT];
    let tflite = guest("wasmedge_tensorflowlite", "tflite");
    for (host, mut cmd) in both_hosts(&plugins, &["--dir", &dir], &["--dir", &dir], &tflite, &args)
    {
        let out = output(&mut cmd);
        assert_success(host, &out);
        let text = stdout(&out);
        let mut lines = text.lines();
        check_floats(host, lines.next().unwrap_or(""), &expected, 1e-5);
        assert_eq!(
            lines.collect::<Vec<_>>(),
            [
                "append_input_short=1",
                "append_input_unknown_name=1",
                "append_input_past_memory=3",
                "get_output_tensor_unknown_name=1",
                "get_output_tensor_result_past_memory=3",
                "get_tensor_len_bad_index=1",
                "get_tensor_data_short=1",
                "get_tensor_data_past_memory=3",
                "run_session_unknown=1",
                "create_session_corrupt=1",
                "create_session_past_memory=3",
                "delete_session=0",
                "run_session_deleted=1",
                "delete_session_again=0",
            ],
            "{host}"
        );
    }
}

#[test]
#[ignore = "needs OpenVINO and the TFLite model: run scripts/nn-runtimes.sh --test"]
fn two_guest_threads_run_their_own_sessions_at_once() {
    let models = nn_models(&["mlp.tflite", "mlp.input.bin", "mlp.tflite.output.bin"]);
    let expected = f32s(&models.join("mlp.tflite.output.bin"));
    let plugins = plugin_dir("tflite_threads", &[TFLITE]);
    let dir = format!("/m:{}", models.display());
    let mut cmd = c_host(&plugins);
    cmd.args(["--threads", "2", "--dir", &dir])
        .arg(guest("wasmedge_tensorflowlite", "tflite"))
        .args(["run", "/m/mlp.tflite", "/m/mlp.input.bin", IN, OUT]);
    let out = output(&mut cmd);
    assert_success("C host --threads 2", &out);
    let text = stdout(&out);
    let ys: Vec<&str> = text.lines().filter(|l| l.starts_with("y=")).collect();
    assert_eq!(ys.len(), 2, "{text}");
    for y in ys {
        check_floats("C host --threads 2", y, &expected, 1e-5);
    }
}
