//! Gives the shared library WasmEdge's SONAME, so programs and plug-ins linked against
//! `libwasmedge.so.0` load it, and lists every function our headers declare so that the crate
//! fails to build if one is missing, and binaries that link it keep (and export) them all.

use std::fmt::Write;
use std::path::Path;

fn main() {
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libwasmedge.so.0");
    // The integration tests act as a Rust host that loads C plug-ins: they export the C API, and
    // answer to the name plug-ins linked against the library ask for (see `embed`).
    println!("cargo:rustc-link-arg-tests=-rdynamic");
    println!("cargo:rustc-link-arg-tests=-Wl,-soname,libwasmedge.so.0");

    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../include/wasmedge");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("include/wasmedge exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "h"))
        .collect();
    entries.sort();
    for path in entries {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path).expect("readable header");
        names.extend(declared_functions(&text));
    }
    names.sort();
    names.dedup();
    let mut out = String::new();
    writeln!(out, "/// Every function `include/wasmedge/*.h` declares.").unwrap();
    writeln!(out, "pub static EXPORTS: [Export; {}] = [", names.len()).unwrap();
    for n in &names {
        writeln!(out, "    Export({n} as *const ()),").unwrap();
    }
    writeln!(out, "];").unwrap();
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("exports.rs");
    std::fs::write(dest, out).unwrap();
}

/// The functions a header declares with `WASMEDGE_CAPI_EXPORT`: comments and preprocessor lines
/// removed, statements cut at `;`, `{` and `}`, the identifier before each one's first `(`.
fn declared_functions(text: &str) -> Vec<String> {
    let mut code = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("/*") {
            rest = after.find("*/").map_or("", |i| &after[i + 2..]);
            code.push(' ');
        } else if let Some(after) = rest.strip_prefix("//") {
            rest = after.find('\n').map_or("", |i| &after[i..]);
        } else {
            let c = rest.chars().next().unwrap();
            code.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    let mut joined = String::new();
    let mut continued = false;
    for line in code.lines() {
        let directive = continued || line.trim_start().starts_with('#');
        continued = directive && line.trim_end().ends_with('\\');
        if !directive {
            joined.push_str(line);
            joined.push(' ');
        }
    }
    joined
        .split([';', '{', '}'])
        .filter_map(|stmt| {
            let stmt = stmt.trim_start();
            let decl = stmt.strip_prefix("WASMEDGE_CAPI_EXPORT")?;
            if !decl.starts_with(char::is_whitespace) {
                return None;
            }
            let head = &decl[..decl.find('(')?];
            let name = head
                .trim_end()
                .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
                .next()?;
            name.starts_with("WasmEdge_").then(|| name.to_string())
        })
        .collect()
}
