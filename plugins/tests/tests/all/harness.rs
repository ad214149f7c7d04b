//! What every plug-in test uses: a plug-in directory holding the plug-ins under test, the
//! `wedge` binary and the C host, the committed guests, and checks on a run's output.

#![allow(dead_code, reason = "each plug-in's tests use a part of the harness")]

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The repository's root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The build directory this test binary is in (`target/<profile>`).
pub fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().parent().unwrap().to_path_buf()
}

/// This process's directory for test files: `<tmp>/plugins-e2e/<pid>`, so that two runs
/// of the test binary at once do not share files. The first call removes the directories of
/// runs whose process is gone.
fn run_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("plugins-e2e");
        if let Ok(entries) = fs::read_dir(&root) {
            for e in entries.flatten() {
                let name = e.file_name();
                let gone = name
                    .to_str()
                    .and_then(|n| n.parse::<u32>().ok())
                    .is_some_and(|pid| !Path::new(&format!("/proc/{pid}")).exists());
                if gone {
                    let _ = fs::remove_dir_all(e.path());
                }
            }
        }
        root.join(std::process::id().to_string())
    })
}

/// A fresh, empty directory for one test.
pub fn fresh_dir(test: &str) -> PathBuf {
    let dir = run_dir().join(test);
    if dir.exists() {
        fs::remove_dir_all(&dir).unwrap();
    }
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// The shared library cargo built for the library crate `lib` (`lib<lib>.so`), from `deps/`,
/// where a test build leaves it (`cargo build` also copies it up a level, where it may be
/// stale). Panics, naming the command that builds it, when there is none.
pub fn built_cdylib(lib: &str, package: &str) -> PathBuf {
    let name = format!(
        "{}{lib}{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    );
    let dir = profile_dir();
    [dir.join("deps").join(&name), dir.join(&name)]
        .into_iter()
        .filter(|p| p.exists())
        .max_by_key(|p| fs::metadata(p).and_then(|m| m.modified()).ok())
        .unwrap_or_else(|| {
            panic!(
                "{name} is not in {}: build it with `cargo test --workspace --no-run` \
                 (or `cargo build -p {package}`)",
                dir.display()
            )
        })
}

/// A plug-in under test: its crate's library name and package name.
#[derive(Debug, Clone, Copy)]
pub struct PluginLib {
    /// The library crate's name (`lib<lib>.so`).
    pub lib: &'static str,
    /// The package, for the error message when it is not built.
    pub package: &'static str,
}

/// A fresh plug-in directory for `test` holding a copy of each of `plugins`, and nothing else.
pub fn plugin_dir(test: &str, plugins: &[PluginLib]) -> PathBuf {
    let dir = fresh_dir(test).join("plugins");
    fs::create_dir_all(&dir).unwrap();
    for p in plugins {
        let src = built_cdylib(p.lib, p.package);
        fs::copy(&src, dir.join(src.file_name().unwrap())).unwrap();
    }
    dir
}

/// The `wedge` binary of this build, with `plugins` as its only plug-in directory.
pub fn wedge(plugins: &Path) -> Command {
    let exe = profile_dir().join("wedge");
    assert!(
        exe.exists(),
        "{} is missing: build it with `cargo test --workspace --no-run` (or `cargo build -p wedge-cli`)",
        exe.display()
    );
    let mut cmd = Command::new(exe);
    cmd.env("WASMEDGE_PLUGIN_PATH", plugins);
    cmd
}

/// The C host (`plugins/tests/c/run.c`), compiled once against `include/` and linked with this
/// build's `libwasmedge.so`, installed as WasmEdge installs it (`libwasmedge.so.0`), with
/// `plugins` as its only plug-in directory. Arguments: see the comment at the top of `run.c`.
pub fn c_host(plugins: &Path) -> Command {
    static HOST: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    let (exe, lib) = HOST.get_or_init(|| {
        let dir = fresh_dir("c_host");
        let lib = dir.join("lib");
        fs::create_dir_all(&lib).unwrap();
        fs::copy(
            built_cdylib("wasmedge", "wedge-c-api"),
            lib.join("libwasmedge.so.0"),
        )
        .unwrap();
        std::os::unix::fs::symlink("libwasmedge.so.0", lib.join("libwasmedge.so")).unwrap();
        let exe = dir.join("run");
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("c/run.c");
        let compiler = std::env::var_os("CC").unwrap_or_else(|| "cc".into());
        let out = Command::new(compiler)
            .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-O1", "-I"])
            .arg(repo_root().join("include"))
            .arg(&src)
            .arg("-o")
            .arg(&exe)
            .arg("-L")
            .arg(&lib)
            .args(["-lwasmedge", "-lpthread"])
            .output()
            .expect("cc runs");
        assert_success("cc run.c", &out);
        (exe, lib)
    });
    let mut cmd = Command::new(exe);
    cmd.env("LD_LIBRARY_PATH", lib)
        .env("WASMEDGE_PLUGIN_PATH", plugins);
    cmd
}

/// The committed guest `plugins/<plugin>/tests/guests/<name>.wasm`.
pub fn guest(plugin: &str, name: &str) -> PathBuf {
    let path = repo_root().join(format!("plugins/{plugin}/tests/guests/{name}.wasm"));
    assert!(path.exists(), "{} is missing", path.display());
    path
}

/// Runs a command and returns its output.
pub fn output(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("{cmd:?} does not start: {e}"))
}

/// Both hosts' commands for running `guest` with `args`: `wedge run [wedge_flags] GUEST ARGS`
/// and `run [host_flags] GUEST ARGS`, each with `plugins` as its plug-in directory.
pub fn both_hosts(
    plugins: &Path,
    wedge_flags: &[&str],
    host_flags: &[&str],
    guest: &Path,
    args: &[&str],
) -> [(&'static str, Command); 2] {
    let mut w = wedge(plugins);
    w.arg("run").args(wedge_flags).arg(guest).args(args);
    let mut c = c_host(plugins);
    c.args(host_flags).arg(guest).args(args);
    [("wedge", w), ("C host", c)]
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

/// Panics with the program's output unless it exited with `code`.
pub fn assert_exit(what: &str, out: &Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "{what}: expected exit {code}, got {}:\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The output's stdout as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The output's stderr as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `OsStr` of a path, for argument lists.
pub fn os(p: &Path) -> &OsStr {
    p.as_os_str()
}

/// The cache `scripts/nn-runtimes.sh` fills: `${XDG_CACHE_HOME:-$HOME/.cache}/wedge/nn`.
pub fn nn_cache() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .expect("HOME is set")
        .join("wedge/nn")
}

/// The ML test models `scripts/nn-runtimes.sh` makes: `$WEDGE_NN_MODELS`, else
/// `models` in [`nn_cache`]. Panics, naming the script, when one of `files` is not there.
pub fn nn_models(files: &[&str]) -> PathBuf {
    let models = std::env::var_os("WEDGE_NN_MODELS")
        .filter(|v| !v.is_empty())
        .map_or_else(|| nn_cache().join("models"), PathBuf::from);
    for f in files {
        let p = models.join(f);
        assert!(
            p.exists(),
            "{} is missing: run scripts/nn-runtimes.sh",
            p.display()
        );
    }
    models
}

/// The little-endian `f32`s of a file.
pub fn f32s(path: &Path) -> Vec<f32> {
    fs::read(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

/// Parses a guest's `y=V V …` line and checks it against `expected`, each value within
/// `rel` of it (relative to its magnitude, or absolute below 1).
pub fn check_floats(what: &str, line: &str, expected: &[f32], rel: f32) {
    let y: Vec<f32> = line
        .strip_prefix("y=")
        .unwrap_or_else(|| panic!("{what}: no y= line: {line}"))
        .split(' ')
        .map(|v| v.parse().unwrap_or_else(|e| panic!("{what}: {v}: {e}")))
        .collect();
    assert_eq!(y.len(), expected.len(), "{what}: {y:?} vs {expected:?}");
    for (a, b) in y.iter().zip(expected) {
        assert!(
            (a - b).abs() <= rel * b.abs().max(1.0),
            "{what}: {y:?} vs {expected:?}"
        );
    }
}

/// Checks a guest run that prints a `y=V …` line first: it exited 0, the values are within 1e-5
/// of `expected` (see [`check_floats`]), and the lines after it are exactly `rest` (the errnos of
/// its bad calls, say).
pub fn check_y_then(what: &str, out: &Output, expected: &[f32], rest: &[&str]) {
    assert_success(what, out);
    let text = stdout(out);
    let mut lines = text.lines();
    check_floats(what, lines.next().unwrap_or(""), expected, 1e-5);
    assert_eq!(lines.collect::<Vec<_>>(), rest, "{what}\n{}", stderr(out));
}
