//! Integration tests of the plug-in loader: C plug-ins compiled with `cc` at test time into
//! `CARGO_TARGET_TMPDIR`, loaded from files, directories and search paths.
//!
//! Every test plug-in comes from `c/descriptor.c`, with `-D` macros picking how it is broken. Its
//! module `Create` function exists but is never called here: building a module needs the C API,
//! which is a later part of the plug-in work. These tests cover what the loader itself does.

mod default_paths;
mod load;
mod options;
mod walk;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A fresh, empty directory for one test.
pub fn fresh_dir(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("wedge-plugin-tests")
        .join(test);
    if dir.exists() {
        // A previous run may have left a directory without permissions behind.
        let _ = Command::new("chmod")
            .arg("-R")
            .arg("u+rwx")
            .arg(&dir)
            .status();
        fs::remove_dir_all(&dir).unwrap();
    }
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Compiles `c/descriptor.c` into the shared library `out` with these `-D` definitions
/// (e.g. `NULL_NAME`, `API_VERSION=4`, `PLUGIN_NAME="x"`). Returns `out`.
pub fn build_plugin(out: &Path, defines: &[&str]) -> PathBuf {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/all/c/descriptor.c");
    if let Some(parent) = out.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    let cc = std::env::var_os("CC").unwrap_or_else(|| "cc".into());
    let mut cmd = Command::new(cc);
    cmd.args([
        "-shared",
        "-fPIC",
        "-O1",
        "-std=c11",
        "-fvisibility=hidden",
        "-o",
    ])
    .arg(out)
    .arg(&source);
    for define in defines {
        cmd.arg(format!("-D{define}"));
    }
    let output = cmd.output().expect("cc runs");
    assert!(
        output.status.success(),
        "cc failed for {}: {}",
        out.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    out.to_path_buf()
}

/// A valid plug-in named `name` at `out`.
pub fn build_named(out: &Path, name: &str) -> PathBuf {
    build_plugin(out, &[&format!("PLUGIN_NAME=\"{name}\"")])
}

/// The names of these plug-ins, sorted.
pub fn sorted_names(plugins: &[std::sync::Arc<wedge_plugin::Plugin>]) -> Vec<String> {
    let mut names: Vec<String> = plugins.iter().map(|p| p.name().to_owned()).collect();
    names.sort();
    names
}
