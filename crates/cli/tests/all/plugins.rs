//! Plug-ins in the `wedge` binary: a C plug-in compiled with `cc` against our headers (the C API
//! tests' `plugin.c`) and the Rust example plug-in built with `wedge-plugin-sdk`, found through
//! `WASMEDGE_PLUGIN_PATH` (a directory or a file) and `../plugin` beside the binary, their
//! options as flags, `--version`, `--forbidden-plugin`, errors and bad plug-ins.

use super::*;
use std::fs;

/// A guest of the C plug-in: `--reactor` calls with arguments.
const C_GUEST: &str = r#"
(module
  (import "c_math" "add" (func $add (param i32 i32) (result i32)))
  (import "c_math" "count" (func $count (result i32)))
  (import "c_math" "greet" (func $greet (param i32) (result i32)))
  (import "c_math" "fail" (func $fail))
  (import "c_math" "trap" (func $trap))
  (memory (export "memory") 1)
  (func (export "add") (param i32 i32) (result i32) (call $add (local.get 0) (local.get 1)))
  (func (export "count3") (result i32) (drop (call $count)) (drop (call $count)) (call $count))
  (func (export "greet") (result i32)
    (drop (call $greet (i32.const 100)))
    (i32.load8_u (i32.const 104)))
  (func (export "fail") (call $fail))
  (func (export "trap") (call $trap)))
"#;

/// A guest of the Rust example plug-in.
const SDK_GUEST: &str = r#"
(module
  (import "wedge_example" "add" (func $add (param i32 i32) (result i32)))
  (import "wedge_example" "counter" (func $counter (result i64)))
  (import "wedge_example" "greet" (func $greet (param i32 i32) (result i32)))
  (import "wedge_example" "fail" (func $fail (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "wedge")
  (func (export "add") (param i32 i32) (result i32) (call $add (local.get 0) (local.get 1)))
  (func (export "counter2") (result i64) (drop (call $counter)) (call $counter))
  (func (export "greet") (result i32) (call $greet (i32.const 64) (i32.const 5)))
  (func (export "fail") (call $fail (i32.const 9))))
"#;

/// A fresh directory for one test.
fn fresh(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("wedge-cli-plugins")
        .join(test);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// The directory of this test binary, where cargo put `libwasmedge.so` and the example plug-in.
fn deps_dir() -> PathBuf {
    std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Compiles the C test plug-in to `out`, linked against `libwasmedge.so.0` like a WasmEdge plug-in.
fn build_c_plugin(dir: &Path, out: &Path) {
    let lib = dir.join("lib");
    fs::create_dir_all(&lib).unwrap();
    let link = lib.join("libwasmedge.so");
    if !link.exists() {
        std::os::unix::fs::symlink(deps_dir().join("libwasmedge.so"), &link).unwrap();
    }
    fs::create_dir_all(out.parent().unwrap()).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let cc = std::env::var_os("CC").unwrap_or_else(|| "cc".into());
    let status = Command::new(cc)
        .args(["-shared", "-fPIC", "-std=c11", "-Wall", "-Werror", "-I"])
        .arg(root.join("include"))
        .arg(root.join("crates/c-api/tests/c/plugin.c"))
        .arg("-o")
        .arg(out)
        .arg("-L")
        .arg(&lib)
        .arg("-lwasmedge")
        .status()
        .unwrap();
    assert!(status.success());
}

fn write_guest(dir: &Path, wat: &str) -> String {
    let path = dir.join("guest.wasm");
    fs::write(&path, wat::parse_str(wat).unwrap()).unwrap();
    path.to_string_lossy().into_owned()
}

/// Runs `wedge` (or a copy of it) with `WASMEDGE_PLUGIN_PATH` set to `plugin_path`, if any.
fn wedge_with(exe: &Path, plugin_path: Option<&Path>, args: &[&str]) -> Run {
    let mut cmd = Command::new(exe);
    cmd.args(args);
    match plugin_path {
        Some(p) => cmd.env("WASMEDGE_PLUGIN_PATH", p),
        None => cmd.env_remove("WASMEDGE_PLUGIN_PATH"),
    };
    Run::from(cmd.output().unwrap())
}

fn wedge_exe() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_wedge"))
}

#[test]
fn c_plugin_from_wasmedge_plugin_path_serves_a_guest() {
    let dir = fresh("c_env");
    build_c_plugin(&dir, &dir.join("plugins/deep/libc_math.so"));
    let guest = write_guest(&dir, C_GUEST);
    let plugins = dir.join("plugins");
    let run = |args: &[&str]| wedge_with(&wedge_exe(), Some(&plugins), args);
    run(&["--reactor", &guest, "add", "20", "22"])
        .assert_code(0)
        .assert_stdout("42\n");
    run(&["--reactor", &guest, "count3"])
        .assert_code(0)
        .assert_stdout("3\n");
    run(&["--reactor", &guest, "greet"])
        .assert_code(0)
        .assert_stdout(&format!("{}\n", u32::from(b'o')));
    // Errors from the plug-in stop the guest: exit 134 with the code.
    run(&["--reactor", &guest, "trap"])
        .assert_code(134)
        .assert_stderr_has("0x40e");
    run(&["--reactor", &guest, "fail"]).assert_code(134);
}

#[test]
fn c_plugin_option_is_a_flag_and_version_lists_the_plugin() {
    let dir = fresh("c_option");
    let so = dir.join("libc_math.so");
    build_c_plugin(&dir, &so);
    let guest = write_guest(&dir, C_GUEST);
    // WASMEDGE_PLUGIN_PATH may name the file itself.
    wedge_with(
        &wedge_exe(),
        Some(&so),
        &[
            "--c-math-offset",
            "100",
            "--reactor",
            &guest,
            "add",
            "20",
            "22",
        ],
    )
    .assert_code(0)
    .assert_stdout("142\n");
    wedge_with(
        &wedge_exe(),
        Some(&so),
        &["--c-math-offset=x", "--reactor", &guest, "add", "1", "2"],
    )
    .assert_code(1);
    wedge_with(&wedge_exe(), Some(&so), &["--version"])
        .assert_code(0)
        .assert_stdout_has("(plugin \"c_math\") version 1.2.3.4")
        .assert_stdout_has(&so.to_string_lossy());
    wedge_with(&wedge_exe(), Some(&so), &["--help"])
        .assert_code(0)
        .assert_stdout_has("--c-math-offset");
}

#[test]
fn forbidden_plugin_modules_are_not_given_to_guests() {
    let dir = fresh("c_forbidden");
    build_c_plugin(&dir, &dir.join("plugins/libc_math.so"));
    let guest = write_guest(&dir, C_GUEST);
    wedge_with(
        &wedge_exe(),
        Some(&dir.join("plugins")),
        &[
            "--forbidden-plugin",
            "c_math",
            "--reactor",
            &guest,
            "add",
            "1",
            "2",
        ],
    )
    .assert_code(1)
    .assert_stderr_has("c_math");
}

#[test]
fn c_plugin_beside_the_binary_is_found_without_configuration() {
    let dir = fresh("c_default");
    fs::create_dir_all(dir.join("bin")).unwrap();
    let exe = dir.join("bin/wedge");
    fs::copy(wedge_exe(), &exe).unwrap();
    build_c_plugin(&dir, &dir.join("plugin/libc_math.so"));
    fs::copy(
        deps_dir().join("libwedge_plugin_example.so"),
        dir.join("plugin/libwedge_plugin_example.so"),
    )
    .unwrap();
    let guest = write_guest(&dir, C_GUEST);
    wedge_with(&exe, None, &["--reactor", &guest, "add", "2", "3"])
        .assert_code(0)
        .assert_stdout("5\n");
    let sdk_guest = dir.join("sdk.wasm");
    fs::write(&sdk_guest, wat::parse_str(SDK_GUEST).unwrap()).unwrap();
    wedge_with(
        &exe,
        None,
        &["--reactor", &sdk_guest.to_string_lossy(), "counter2"],
    )
    .assert_code(0)
    .assert_stdout("2\n");
}

#[test]
fn bad_plugins_are_reported_and_the_rest_still_work() {
    let dir = fresh("bad");
    let plugins = dir.join("plugins");
    build_c_plugin(&dir, &plugins.join("libc_math.so"));
    fs::write(plugins.join("garbage.so"), b"not an ELF file").unwrap();
    // A shared library without the descriptor symbol.
    let src = dir.join("empty.c");
    fs::write(&src, "int nothing_here(void) { return 0; }\n").unwrap();
    let status = Command::new("cc")
        .args(["-shared", "-fPIC", "-o"])
        .arg(plugins.join("libempty.so"))
        .arg(&src)
        .status()
        .unwrap();
    assert!(status.success());
    let guest = write_guest(&dir, C_GUEST);
    wedge_with(
        &wedge_exe(),
        Some(&plugins),
        &["--reactor", &guest, "add", "2", "3"],
    )
    .assert_code(0)
    .assert_stdout("5\n")
    .assert_stderr_has("garbage.so")
    .assert_stderr_has("libempty.so")
    .assert_stderr_has("WasmEdge_Plugin_GetDescriptor");
}

#[test]
fn rust_sdk_plugin_serves_a_guest() {
    let so = deps_dir().join("libwedge_plugin_example.so");
    assert!(so.exists(), "{} was not built", so.display());
    let dir = fresh("sdk");
    let guest = write_guest(&dir, SDK_GUEST);
    let run = |args: &[&str]| wedge_with(&wedge_exe(), Some(&so), args);
    run(&["--reactor", &guest, "add", "40", "2"])
        .assert_code(0)
        .assert_stdout("42\n");
    run(&["--reactor", &guest, "counter2"])
        .assert_code(0)
        .assert_stdout("2\n");
    run(&["--reactor", &guest, "greet"])
        .assert_code(0)
        .assert_stdout("12\n");
    run(&[
        "--wedge-example-greeting",
        "hi",
        "--reactor",
        &guest,
        "greet",
    ])
    .assert_code(0)
    .assert_stdout("9\n");
    run(&["--reactor", &guest, "fail"]).assert_code(134);
    run(&["--version"]).assert_stdout_has("(plugin \"wedge_example\")");
}
