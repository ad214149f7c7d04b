//! The `wasmedge_tensorflow` plug-in (`plugins/wasmedge_tensorflow`): the guest `tf.c` calls the
//! module and prints each errno; the numbers are WasmEdge 0.17.1's.
//!
//! The tests that need no TensorFlow (unknown sessions and tensor ids, pointers past memory,
//! TensorFlow absent, SavedModel paths outside the preopens) run with the library made
//! unreachable (`WEDGE_TENSORFLOW_LIB` names a missing file), so they are the same on every
//! machine. The others need TensorFlow's C library and the test models, which
//! `scripts/nn-runtimes.sh tensorflow` fetches and makes; they are `#[ignore]`d (a runtime that
//! is absent is never counted as a pass) and `scripts/nn-runtimes.sh --test tensorflow` runs
//! them. They compare the guest's output with TensorFlow's own (Python) for the same input.

use std::path::PathBuf;

use crate::*;

const TF: PluginLib = PluginLib {
    lib: "wedge_plugin_tensorflow",
    package: "wedge-plugin-tensorflow",
};

/// A library path that does not exist: TensorFlow is absent for the command.
const NO_RUNTIME: &str = "/nonexistent/wedge-test/libtensorflow_cc.so.2";

fn tf_guest() -> PathBuf {
    guest("wasmedge_tensorflow", "tf")
}

#[test]
fn without_tensorflow_every_call_answers_wasmedges_errno_and_says_what_to_install() {
    let expected = "run_unknown=1\nappend_input_unknown=1\nappend_output_unknown=1\n\
                    clear_input_unknown=1\nclear_output_unknown=1\n\
                    get_output_tensor_unknown=1\nget_tensor_len_unknown=1\n\
                    get_tensor_data_unknown=1\ndelete_unknown=0\ncreate_model_oob=3\n\
                    create_sid_oob=3\nsaved_path_oob=3\nsaved_tags_oob=3\n\
                    get_tensor_len_unknown_and_oob=1\ncreate_garbage=5\n";
    let plugins = plugin_dir("tf_errors", &[TF]);
    for (host, mut cmd) in both_hosts(&plugins, &[], &[], &tf_guest(), &["errors"]) {
        let out = output(cmd.env("WEDGE_TENSORFLOW_LIB", NO_RUNTIME));
        assert_success(host, &out);
        assert_eq!(stdout(&out), expected, "{host}");
        let err = stderr(&out);
        assert!(
            err.contains("[WasmEdge-Tensorflow] Invalid session ID."),
            "{host}: {err}"
        );
        assert!(
            err.contains("Failed when accessing the input model buffer memory."),
            "{host}: {err}"
        );
        assert!(err.contains("TensorFlow is not installed"), "{host}: {err}");
        assert!(err.contains("scripts/nn-runtimes.sh"), "{host}: {err}");
        assert!(err.contains(NO_RUNTIME), "{host}: {err}");
    }
}

#[test]
fn two_guests_on_two_threads_get_the_same_errnos() {
    let plugins = plugin_dir("tf_threads", &[TF]);
    let mut cmd = c_host(&plugins);
    cmd.env("WEDGE_TENSORFLOW_LIB", NO_RUNTIME)
        .args(["--threads", "2"])
        .arg(tf_guest())
        .arg("errors");
    let out = output(&mut cmd);
    assert_success("C host --threads 2", &out);
    let text = stdout(&out);
    let half = text.len() / 2;
    assert_eq!(text[..half], text[half..], "{text}");
    assert!(text.ends_with("create_garbage=5\n"), "{text}");
}

#[test]
fn saved_model_paths_outside_the_preopens_are_refused() {
    // A real directory with a saved_model.pb outside the preopen, which the guest must not
    // reach by `..`, an absolute path or a symbolic link.
    let plugins = plugin_dir("tf_escape", &[TF]);
    let root = plugins.parent().unwrap();
    let outside = root.join("outside");
    let inside = root.join("inside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::create_dir_all(&inside).unwrap();
    std::fs::write(outside.join("saved_model.pb"), b"secret").unwrap();
    std::os::unix::fs::symlink(&outside, inside.join("link")).unwrap();
    let dir = format!("/m:{}", inside.display());
    let outside_abs = outside.display().to_string();
    for path in [
        "/m/../outside",
        "/m/link",
        outside_abs.as_str(),
        "/",
        "/m/nosuch",
    ] {
        for (host, mut cmd) in both_hosts(
            &plugins,
            &["--dir", &dir],
            &["--dir", &dir],
            &tf_guest(),
            &["saved_open", path],
        ) {
            let out = output(cmd.env("WEDGE_TENSORFLOW_LIB", NO_RUNTIME));
            assert_success(&format!("{host} {path}"), &out);
            assert_eq!(stdout(&out), "saved_open=1\n", "{host} {path}");
            let err = stderr(&out);
            assert!(err.contains("cannot open"), "{host} {path}: {err}");
            // Refused before TensorFlow is looked for.
            assert!(!err.contains("not installed"), "{host} {path}: {err}");
        }
    }
}

// ---- with TensorFlow (scripts/nn-runtimes.sh tensorflow) ----

/// The models `scripts/nn-runtimes.sh` makes, and TensorFlow's library.
fn tf_cache() -> (PathBuf, PathBuf) {
    let models = nn_models(&["mlp.pb", "mlp_saved/saved_model.pb", "mlp.tf.output.bin"]);
    let lib = std::env::var_os("WEDGE_TENSORFLOW_LIB").map_or_else(
        || models.join("../tensorflow/libtensorflow_cc.so.2"),
        PathBuf::from,
    );
    assert!(
        lib.exists(),
        "{} is missing: run scripts/nn-runtimes.sh tensorflow",
        lib.display()
    );
    (models, lib)
}

/// The values of a `y=` line, checked against TensorFlow's output.
fn check_y(what: &str, line: Option<&str>, expected: &[f32]) {
    check_floats(what, line.unwrap_or(""), expected, 1e-5);
}

/// What `tf frozen` prints after its first `y=` line.
const FROZEN_ERRNOS: &[&str] = &[
    "create_second=0",
    "second_id_differs=0",
    "create_corrupt=1",
    "create_truncated=1",
    "append_input_short_data=1",
    "append_input_unknown_name=1",
    "append_input_bad_index=1",
    "append_input_string_type=1",
    "append_input_type_99=1",
    "append_input_negative_dim=1",
    "append_input_dims_oob=3",
    "append_input_data_oob=3",
    "append_output_unknown_name=1",
    "get_output_tensor_unknown_name=1",
    "get_tensor_len_bad_id=1",
    "get_tensor_data_bad_id=1",
    "get_tensor_data_buf_oob=3",
    "get_tensor_data_written_oob=3",
    "get_tensor_data_short=0",
    "append_input_int32=0",
    "run_wrong_type=4",
    "append_input_2x2=0",
    "run_wrong_shape=4",
    "get_tensor_len_after_failed_run=0",
    "len_after_failed_run=0",
    "clear_input=0",
    "run_no_input=4",
    "clear_output=0",
    "get_output_tensor_after_clear=1",
];

fn check_frozen(what: &str, text: &str, expected: &[f32]) {
    let mut lines = text.lines();
    check_y(what, lines.next(), expected);
    let rest: Vec<&str> = lines.collect();
    assert_eq!(rest.len(), FROZEN_ERRNOS.len() + 5, "{what}: {text}");
    assert_eq!(&rest[..FROZEN_ERRNOS.len()], FROZEN_ERRNOS, "{what}");
    // The second session, run by the names without ":0", then the deletes.
    check_y(what, Some(rest[FROZEN_ERRNOS.len()]), expected);
    assert_eq!(
        &rest[FROZEN_ERRNOS.len() + 1..],
        [
            "delete=0",
            "run_deleted=1",
            "delete_again=0",
            "delete_second=0"
        ],
        "{what}"
    );
}

#[test]
#[ignore = "needs TensorFlow and the test models: run scripts/nn-runtimes.sh --test tensorflow"]
fn a_frozen_graph_runs_as_tensorflow_runs_it_and_bad_calls_get_errnos() {
    let (models, lib) = tf_cache();
    let expected = f32s(&models.join("mlp.tf.output.bin"));
    let plugins = plugin_dir("tf_frozen", &[TF]);
    let dir = format!("/m:{}", models.display());
    for (host, mut cmd) in both_hosts(
        &plugins,
        &["--dir", &dir],
        &["--dir", &dir],
        &tf_guest(),
        &["frozen", "/m/mlp.pb", "/m/mlp.input.bin"],
    ) {
        let out = output(cmd.env("WEDGE_TENSORFLOW_LIB", &lib));
        assert_success(host, &out);
        check_frozen(host, &stdout(&out), &expected);
        let err = stderr(&out);
        assert!(
            err.contains("Cannot import graph from buffer"),
            "{host}: {err}"
        );
        assert!(err.contains("Run session failed"), "{host}: {err}");
    }
}

#[test]
#[ignore = "needs TensorFlow and the test models: run scripts/nn-runtimes.sh --test tensorflow"]
fn a_saved_model_read_through_the_preopens_runs_as_tensorflow_runs_it() {
    let (models, lib) = tf_cache();
    let expected = f32s(&models.join("mlp.tf.output.bin"));
    let names = std::fs::read_to_string(models.join("mlp_saved.names")).unwrap();
    let (x, y) = names.trim().split_once(' ').expect("two names");
    let plugins = plugin_dir("tf_saved", &[TF]);
    let dir = format!("/m:{}", models.display());
    for (host, mut cmd) in both_hosts(
        &plugins,
        &["--dir", &dir],
        &["--dir", &dir],
        &tf_guest(),
        &["saved", "/m/mlp_saved/", "/m/mlp.input.bin", x, y],
    ) {
        let out = output(cmd.env("WEDGE_TENSORFLOW_LIB", &lib));
        assert_success(host, &out);
        let text = stdout(&out);
        let mut lines = text.lines();
        check_y(host, lines.next(), &expected);
        assert_eq!(
            lines.collect::<Vec<_>>(),
            ["delete=0", "saved_unknown_tag=1"],
            "{host}"
        );
        assert!(
            stderr(&out).contains("Could not find meta graph def matching supplied tags"),
            "{host}"
        );
    }
}

#[test]
#[ignore = "needs TensorFlow and the test models: run scripts/nn-runtimes.sh --test tensorflow"]
fn two_threads_run_the_frozen_graph_at_once() {
    let (models, lib) = tf_cache();
    let expected = f32s(&models.join("mlp.tf.output.bin"));
    let plugins = plugin_dir("tf_frozen_threads", &[TF]);
    let dir = format!("/m:{}", models.display());
    let mut cmd = c_host(&plugins);
    cmd.env("WEDGE_TENSORFLOW_LIB", &lib)
        .args(["--threads", "2", "--dir", &dir])
        .arg(tf_guest())
        .args(["frozen", "/m/mlp.pb", "/m/mlp.input.bin"]);
    let out = output(&mut cmd);
    assert_success("C host --threads 2", &out);
    // Each guest writes its whole output at exit; both are the same and right.
    let text = stdout(&out);
    let half = text.len() / 2;
    assert_eq!(text[..half], text[half..], "{text}");
    check_frozen("C host --threads 2", &text[..half], &expected);
}
