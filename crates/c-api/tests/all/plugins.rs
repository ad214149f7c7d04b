//! The C test plug-in (tests/c/plugin.c) found through each way WasmEdge finds plug-ins, imported
//! by guests run by a C host (tests/c/plugin_host.c) and by this Rust host.

use crate::*;

/// A guest importing the C plug-in's module `c_math`.
pub const C_GUEST: &str = r#"
(module
  (import "c_math" "add" (func $add (param i32 i32) (result i32)))
  (import "c_math" "count" (func $count (result i32)))
  (import "c_math" "greet" (func $greet (param i32) (result i32)))
  (import "c_math" "fail" (func $fail))
  (import "c_math" "trap" (func $trap))
  (memory (export "memory") 1)
  (func (export "add") (param i32 i32) (result i32) (call $add (local.get 0) (local.get 1)))
  (func (export "count") (result i32) (call $count))
  (func (export "greet") (result i32)
    (drop (call $greet (i32.const 100)))
    (i32.add (i32.load8_u (i32.const 100)) (i32.load8_u (i32.const 104))))
  (func (export "fail") (call $fail))
  (func (export "trap") (call $trap)))
"#;

/// A guest of the Rust example plug-in (wedge-plugin-sdk) with the same exports as [`C_GUEST`],
/// so the C host runs the same checks on it.
pub const SDK_GUEST: &str = r#"
(module
  (import "wedge_example" "add" (func $add (param i32 i32) (result i32)))
  (import "wedge_example" "counter" (func $counter (result i64)))
  (import "wedge_example" "greet" (func $greet (param i32 i32) (result i32)))
  (import "wedge_example" "fail" (func $fail (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "wedge")
  (func (export "add") (param i32 i32) (result i32) (call $add (local.get 0) (local.get 1)))
  (func (export "count") (result i32) (i32.wrap_i64 (call $counter)))
  (func (export "greet") (result i32)
    (drop (call $greet (i32.const 100) (i32.const 5)))
    (i32.add (i32.load8_u (i32.const 100)) (i32.load8_u (i32.const 104))))
  (func (export "fail") (call $fail (i32.const 7)))
  (func (export "trap") (drop (call $greet (i32.const 65534) (i32.const 100)))))
"#;

/// The Rust example plug-in cargo built beside this test binary.
pub fn sdk_plugin() -> PathBuf {
    let so = built_library().with_file_name("libwedge_plugin_example.so");
    assert!(so.exists(), "{} was not built", so.display());
    so
}

/// Builds the C plug-in at `out`, linked against the library in `lib` as a WasmEdge plug-in is
/// (it needs `libwasmedge.so.0`).
pub fn build_c_plugin(out: &Path, lib: &Path) -> PathBuf {
    fs::create_dir_all(out.parent().unwrap()).unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/c/plugin.c");
    cc(&[
        "-shared".as_ref(),
        "-fPIC".as_ref(),
        "-fvisibility=hidden".as_ref(),
        src.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "-L".as_ref(),
        lib.as_os_str(),
        "-lwasmedge".as_ref(),
    ]);
    out.to_path_buf()
}

fn c_host_setup(test: &str) -> (PathBuf, PathBuf, PathBuf, PathBuf) {
    setup_with_guest(test, C_GUEST)
}

fn setup_with_guest(test: &str, wat: &str) -> (PathBuf, PathBuf, PathBuf, PathBuf) {
    let dir = fresh_dir(test);
    let lib = install_library(&dir);
    let exe = build_c_program("plugin_host", &dir, &lib);
    let guest = dir.join("guest.wasm");
    fs::write(&guest, wat::parse_str(wat).unwrap()).unwrap();
    (dir, lib, exe, guest)
}

fn check_output(out: &std::process::Output) {
    check_plugin_output(out, "c_math", "trap -> category 0 code 0x40e");
}

fn check_plugin_output(out: &std::process::Output, plugin: &str, trap: &str) {
    assert_success("plugin_host", out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(&format!("plugin {plugin}")), "{stdout}");
    assert!(stdout.contains("fail -> category 1 code 7"), "{stdout}");
    assert!(stdout.contains(trap), "{stdout}");
}

#[test]
fn c_host_loads_c_plugin_from_an_explicit_directory() {
    let (dir, lib, exe, guest) = c_host_setup("c_host_explicit");
    build_c_plugin(&dir.join("plugins/libc_math.so"), &lib);
    let out = run_c_program(
        &exe,
        &lib,
        &[
            "path".as_ref(),
            guest.as_os_str(),
            "c_math".as_ref(),
            dir.join("plugins").as_os_str(),
        ],
    );
    check_output(&out);
}

#[test]
fn c_host_loads_c_plugin_from_wasmedge_plugin_path() {
    let (dir, lib, exe, guest) = c_host_setup("c_host_env");
    build_c_plugin(&dir.join("elsewhere/nested/libc_math.so"), &lib);
    let out = std::process::Command::new(&exe)
        .args(["default".as_ref(), guest.as_os_str(), "c_math".as_ref()])
        .env("LD_LIBRARY_PATH", &lib)
        .env("WASMEDGE_PLUGIN_PATH", dir.join("elsewhere"))
        .output()
        .unwrap();
    check_output(&out);
}

#[test]
fn c_host_loads_c_plugin_beside_the_library() {
    let (dir, lib, exe, guest) = c_host_setup("c_host_default");
    // `<libdir>/../plugin` for a library outside /usr and /lib.
    build_c_plugin(&dir.join("plugin/libc_math.so"), &lib);
    let out = run_c_program(
        &exe,
        &lib,
        &["default".as_ref(), guest.as_os_str(), "c_math".as_ref()],
    );
    check_output(&out);
}

#[test]
fn rust_host_imports_c_plugin_module_into_its_own_store() {
    use wedge::{Engine, Linker, Module, Store, Val};
    let dir = fresh_dir("rust_host");
    let lib = install_library(&dir);
    let plugin = build_c_plugin(&dir.join("plugins/libc_math.so"), &lib);
    assert!(wasmedge::embed::export_c_api() >= 282);
    wasmedge::embed::load_plugins_from(&plugin);

    let engine = Engine::default();
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    let modules = wasmedge::embed::define_plugin_modules(
        &mut linker,
        &mut store,
        &wedge_plugin::ForbiddenPlugins::default(),
    )
    .unwrap();
    assert!(modules.names().any(|n| n == "c_math"), "{modules:?}");
    let module = Module::new(&engine, wat::parse_str(C_GUEST).unwrap()).unwrap();
    let instance = linker.instantiate(&mut store, &module).unwrap();
    let call = |store: &mut Store<()>, name: &str, args: &[Val]| {
        let f = instance.get_func(&*store, name).unwrap();
        let mut out = vec![Val::I32(0); f.ty(&*store).results().len()];
        f.call(store, args, &mut out).map(|()| out)
    };
    let sum = call(&mut store, "add", &[Val::I32(40), Val::I32(2)]).unwrap();
    assert_eq!(sum[0].i32(), Some(42));
    call(&mut store, "count", &[]).unwrap();
    assert_eq!(call(&mut store, "count", &[]).unwrap()[0].i32(), Some(2));
    let greet = call(&mut store, "greet", &[]).unwrap();
    assert_eq!(greet[0].i32(), Some(i32::from(b'h') + i32::from(b'o')));
    let err = call(&mut store, "fail", &[]).unwrap_err();
    assert!(err.to_string().contains("user error 0x7"), "{err}");
    let err = call(&mut store, "trap", &[]).unwrap_err();
    assert!(err.to_string().contains("0x40e"), "{err}");
    drop(modules);
}

#[test]
fn c_host_loads_rust_sdk_plugin_from_an_explicit_file() {
    let (_dir, lib, exe, guest) = setup_with_guest("c_host_sdk_explicit", SDK_GUEST);
    let so = sdk_plugin();
    let out = run_c_program(
        &exe,
        &lib,
        &[
            "path".as_ref(),
            guest.as_os_str(),
            "wedge_example".as_ref(),
            so.as_os_str(),
        ],
    );
    // An out-of-bounds write is the SDK's MemoryOutOfBounds error.
    check_plugin_output(&out, "wedge_example", "trap -> category 0 code 0x408");
}

#[test]
fn c_host_loads_rust_sdk_plugin_beside_the_library() {
    let (dir, lib, exe, guest) = setup_with_guest("c_host_sdk_default", SDK_GUEST);
    fs::create_dir_all(dir.join("plugin")).unwrap();
    fs::copy(sdk_plugin(), dir.join("plugin/libwedge_plugin_example.so")).unwrap();
    let out = run_c_program(
        &exe,
        &lib,
        &[
            "default".as_ref(),
            guest.as_os_str(),
            "wedge_example".as_ref(),
        ],
    );
    check_plugin_output(&out, "wedge_example", "trap -> category 0 code 0x408");
}

/// A guest of the built-in plug-in `wasi_logging`: `log` writes a line at level info on stdout.
const LOGGING_GUEST: &str = r#"
(module
  (import "wasi:logging/logging" "log" (func $log (param i32 i32 i32 i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "stdout")
  (data (i32.const 16) "hello from the built-in plug-in")
  (func (export "log")
    (call $log (i32.const 2) (i32.const 0) (i32.const 6) (i32.const 16) (i32.const 31))))
"#;

/// Runs tests/c/builtin_plugin.c in `mode` with the C plug-in as the one loadable plug-in, and
/// checks that the guest logged through the created module and through a VM.
fn check_builtin_plugin(test: &str, mode: &str) {
    let (dir, lib, _, guest) = setup_with_guest(test, LOGGING_GUEST);
    let exe = build_c_program("builtin_plugin", &dir, &lib);
    build_c_plugin(&dir.join("plugins/libc_math.so"), &lib);
    let mut command = std::process::Command::new(&exe);
    command
        .args([mode.as_ref(), guest.as_os_str()])
        .env("LD_LIBRARY_PATH", &lib)
        .env_remove("WASMEDGE_PLUGIN_PATH");
    if mode == "path" {
        command.arg(dir.join("plugins"));
    } else {
        command.env("WASMEDGE_PLUGIN_PATH", dir.join("plugins"));
    }
    let out = command.output().unwrap();
    assert_success("builtin_plugin", &out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("plugin c_math"), "{stdout}");
    assert!(stdout.contains("plugin wasi_logging"), "{stdout}");
    assert_eq!(
        stdout
            .matches("[info] hello from the built-in plug-in")
            .count(),
        2,
        "{stdout}"
    );
}

#[test]
fn c_host_lists_finds_and_creates_the_builtin_wasi_logging_after_default_paths() {
    check_builtin_plugin("builtin_default", "default");
}

#[test]
fn c_host_sees_wasi_logging_only_once_default_paths_were_loaded() {
    check_builtin_plugin("builtin_path", "path");
}
