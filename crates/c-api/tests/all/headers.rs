//! The headers themselves: they compile as C and C++, their layouts and enum values are
//! WasmEdge 0.17.1's (`tests/c/abi_layout.c` asserts them at compile time), and every function
//! they declare is exported by the library.

use crate::*;
use std::collections::BTreeSet;
use std::process::Command;

#[test]
fn headers_compile_as_c_and_cpp_with_wasmedge_layouts() {
    let dir = fresh_dir("headers");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/c/abi_layout.c");
    cc(&[
        "-pedantic".as_ref(),
        "-c".as_ref(),
        src.as_os_str(),
        "-o".as_ref(),
        dir.join("abi_layout.o").as_os_str(),
    ]);
    let cxx = std::env::var_os("CXX").unwrap_or_else(|| "c++".into());
    let out = Command::new(cxx)
        .args(["-std=c++17", "-Wall", "-Werror", "-x", "c++", "-c", "-I"])
        .arg(include_dir())
        .arg(&src)
        .arg("-o")
        .arg(dir.join("abi_layout_cpp.o"))
        .output()
        .expect("c++ runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn every_declared_function_is_exported_by_the_library() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/capi-symbols.sh");
    let out = Command::new("sh").arg(&script).output().expect("sh runs");
    assert!(out.status.success());
    let declared: BTreeSet<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(
        declared.len(),
        295,
        "the headers declare 0.17.1's 278 library functions, its 4 compiler functions, its \
         3 command-line tools, its 2 experimental functions, LoaderParseFromBuffer and its 7 \
         deprecated functions"
    );
    let nm = Command::new("nm")
        .args(["-D", "--defined-only"])
        .arg(built_library())
        .output()
        .expect("nm runs");
    let exported: BTreeSet<String> = String::from_utf8_lossy(&nm.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().nth(2))
        .filter(|n| n.starts_with("WasmEdge_"))
        .map(str::to_string)
        .collect();
    let missing: Vec<_> = declared.difference(&exported).collect();
    assert!(missing.is_empty(), "declared but not exported: {missing:?}");
    let extra: Vec<_> = exported.difference(&declared).collect();
    assert!(extra.is_empty(), "exported but not declared: {extra:?}");
}
