//! The stand-ins the runtime registers for official plug-ins that are not installed: a guest
//! importing their modules instantiates, and each call logs that the plug-in is missing and
//! returns WasmEdge's value (1), or for `wasmedge_process` fails as WasmEdge's stand-in does.

use crate::*;

/// The guest (`plugins/tests/guests/standins.c`), which imports from every official module.
fn standins_guest() -> std::path::PathBuf {
    let path = repo_root().join("plugins/tests/guests/standins.wasm");
    assert!(path.exists(), "{} is missing", path.display());
    path
}

#[test]
fn a_guest_importing_missing_official_plugins_instantiates_and_each_call_returns_one() {
    let plugins = plugin_dir("standins_return_one", &[]);
    let guest = standins_guest();
    for (what, name) in [
        ("nn", "WASI-NN"),
        ("crypto", "WASI-Crypto"),
        ("image", "WasmEdge-Image"),
        ("tf", "WasmEdge-Tensorflow"),
        ("tflite", "WasmEdge-TensorflowLite"),
        ("sd", "WasmEdge-Stable-Diffusion"),
    ] {
        for (host, mut cmd) in both_hosts(&plugins, &[], &[], &guest, &[what]) {
            let out = output(&mut cmd);
            assert_success(&format!("{host} {what}"), &out);
            assert_eq!(stdout(&out), format!("{what} -> 1\n"), "{host}");
            let line = format!(
                "{name} plugin not installed. Please install the plugin and restart WasmEdge."
            );
            assert!(
                stderr(&out).contains(&line),
                "{host} {what}: {}",
                stderr(&out)
            );
        }
    }
}

#[test]
fn a_guest_that_calls_nothing_logs_nothing() {
    let plugins = plugin_dir("standins_quiet", &[]);
    for (host, mut cmd) in both_hosts(&plugins, &[], &[], &standins_guest(), &["none"]) {
        let out = output(&mut cmd);
        assert_success(host, &out);
        assert_eq!(stdout(&out), "none -> -1\n", "{host}");
        assert!(
            !stderr(&out).contains("not installed"),
            "{host}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn the_process_stand_in_fails_the_call_like_wasmedge() {
    let plugins = plugin_dir("standins_process", &[]);
    for (host, mut cmd) in both_hosts(&plugins, &[], &[], &standins_guest(), &["process"]) {
        let out = output(&mut cmd);
        assert!(!out.status.success(), "{host}: {out:?}");
        assert_eq!(stdout(&out), "", "{host}");
        let err = stderr(&out);
        assert!(
            err.contains(
                "WasmEdge-Process plugin not installed. Please install the plugin and restart WasmEdge."
            ),
            "{host}: {err}"
        );
    }
}
