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

const IMAGE: PluginLib = PluginLib {
    lib: "wedge_plugin_image",
    package: "wedge-plugin-image",
};

const ZLIB: PluginLib = PluginLib {
    lib: "wedge_plugin_zlib",
    package: "wedge-plugin-zlib",
};

#[test]
fn an_installed_plugin_replaces_its_stand_in_and_forbidding_it_brings_the_stand_in_back() {
    let plugins = plugin_dir("standins_replaced", &[IMAGE]);
    let guest = standins_guest();
    // Installed: the real load_png refuses the empty image (1) without the stand-in's line.
    for (host, mut cmd) in both_hosts(&plugins, &[], &[], &guest, &["image"]) {
        let out = output(&mut cmd);
        assert_success(host, &out);
        assert_eq!(stdout(&out), "image -> 1\n", "{host}");
        assert!(
            !stderr(&out).contains("not installed"),
            "{host}: {}",
            stderr(&out)
        );
    }
    // Forbidden: the stand-in again.
    let mut cmd = wedge(&plugins);
    cmd.args(["run", "--forbidden-plugin", "wasmedge_image"])
        .arg(&guest)
        .arg("image");
    let out = output(&mut cmd);
    assert_success("wedge --forbidden-plugin", &out);
    assert!(
        stderr(&out).contains("WasmEdge-Image plugin not installed"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_forbidden_plugin_that_has_no_stand_in_leaves_its_imports_unresolved() {
    let plugins = plugin_dir("standins_forbidden_zlib", &[ZLIB]);
    let crc = repo_root().join("plugins/tests/guests/crc32.wasm");
    let mut allowed = wedge(&plugins);
    allowed.args(["run", "--reactor"]).arg(&crc).arg("crc");
    let out = output(&mut allowed);
    assert_success("wedge with zlib", &out);
    assert_eq!(stdout(&out).trim(), (0xCBF4_3926_u32 as i32).to_string());

    let mut forbidden = wedge(&plugins);
    forbidden
        .args(["run", "--forbidden-plugin", "wasmedge_zlib", "--reactor"])
        .arg(&crc)
        .arg("crc");
    let out = output(&mut forbidden);
    assert!(!out.status.success(), "{out:?}");
    assert!(
        stderr(&out).contains("wasmedge_zlib"),
        "the error names the module: {}",
        stderr(&out)
    );
}
