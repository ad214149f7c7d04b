//! Integration tests of the C API: C programs and C plug-ins compiled with `cc` against our
//! headers (`include/wasmedge`) at test time, linked with the `libwasmedge.so` cargo built, and
//! run; plus this test binary acting as a Rust host (it is linked with `-rdynamic`, see
//! `build.rs`, so C plug-ins it loads call into this same copy of the runtime).

mod c_host;
mod compiler;
mod driver;
mod headers;
mod plugins;
mod sdk_compat;
mod sdk_executor;
mod spec;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh, empty directory for one test.
pub fn fresh_dir(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("wedge-c-api-tests")
        .join(test);
    if dir.exists() {
        fs::remove_dir_all(&dir).unwrap();
    }
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// The repository's `include` directory.
pub fn include_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../include")
}

/// The `libwasmedge.so` cargo built beside this test binary.
pub fn built_library() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let lib = exe.parent().unwrap().join("libwasmedge.so");
    assert!(lib.exists(), "{} is missing", lib.display());
    lib
}

/// Installs the library in `dir/lib` as WasmEdge does: `libwasmedge.so.0` plus the
/// `libwasmedge.so` link. Returns `dir/lib`.
pub fn install_library(dir: &Path) -> PathBuf {
    let lib = dir.join("lib");
    fs::create_dir_all(&lib).unwrap();
    fs::copy(built_library(), lib.join("libwasmedge.so.0")).unwrap();
    std::os::unix::fs::symlink("libwasmedge.so.0", lib.join("libwasmedge.so")).unwrap();
    lib
}

/// Runs `cc` with these arguments (headers from `include/`), panicking with its output on failure.
pub fn cc(args: &[&std::ffi::OsStr]) {
    let compiler = std::env::var_os("CC").unwrap_or_else(|| "cc".into());
    let out = Command::new(compiler)
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-O1", "-I"])
        .arg(include_dir())
        .args(args)
        .output()
        .expect("cc runs");
    assert!(
        out.status.success(),
        "cc {:?} failed:\n{}",
        args,
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Compiles `tests/c/<name>.c` into an executable linked with the library in `lib`.
pub fn build_c_program(name: &str, dir: &Path, lib: &Path) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/c/{name}.c"));
    let exe = dir.join(name);
    cc(&[
        src.as_os_str(),
        "-o".as_ref(),
        exe.as_os_str(),
        "-L".as_ref(),
        lib.as_os_str(),
        "-lwasmedge".as_ref(),
        "-lpthread".as_ref(),
    ]);
    exe
}

/// Runs a C program with `lib` on the library path.
pub fn run_c_program(exe: &Path, lib: &Path, args: &[&std::ffi::OsStr]) -> Output {
    Command::new(exe)
        .args(args)
        .env("LD_LIBRARY_PATH", lib)
        .env_remove("WASMEDGE_PLUGIN_PATH")
        .output()
        .expect("program runs")
}

/// Panics with the program's output unless it exited 0.
pub fn assert_success(what: &str, out: &Output) {
    assert!(
        out.status.success(),
        "{what} failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
