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

    let dir = Path::new(&std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"))
        .join("../../include/wasmedge");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut names = Vec::new();
    let mut sigs = Vec::new();
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
        sigs.extend(declared_signatures(&text));
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
    let out_dir = std::env::var("OUT_DIR").unwrap();
    std::fs::write(Path::new(&out_dir).join("exports.rs"), out).unwrap();

    // For the signature test: each function coerced to a function pointer of the header's arity
    // (a wrong arity fails to compile), with the header's parameter shapes to compare.
    sigs.sort();
    sigs.dedup();
    let mut out = String::new();
    writeln!(
        out,
        "/// (name, shape from the header, shape of the Rust function)"
    )
    .unwrap();
    writeln!(
        out,
        "pub fn signatures() -> Vec<(&'static str, &'static str, String)> {{"
    )
    .unwrap();
    writeln!(out, "    vec![").unwrap();
    for (name, shape, arity) in &sigs {
        let holes = vec!["_"; *arity].join(", ");
        writeln!(
            out,
            "        (\"{name}\", \"{shape}\", shape_of({name} as unsafe extern \"C\" fn({holes}) -> _)),"
        )
        .unwrap();
    }
    writeln!(out, "    ]").unwrap();
    writeln!(out, "}}").unwrap();
    std::fs::write(Path::new(&out_dir).join("signatures.rs"), out).unwrap();
}

/// The functions a header declares with `WASMEDGE_CAPI_EXPORT`: comments and preprocessor lines
/// removed, statements cut at `;`, `{` and `}`, the identifier before each one's first `(`.
fn declared_functions(text: &str) -> Vec<String> {
    declarations(text).into_iter().map(|(n, _, _)| n).collect()
}

/// (name, shape, arity) of each declared function; the shape is `ret(p1,p2,...)` with C types
/// reduced to what the ABI sees: `p` for any pointer, the integer or float width, the struct's
/// name for structs passed by value, `u32` for enums.
fn declared_signatures(text: &str) -> Vec<(String, String, usize)> {
    declarations(text)
        .into_iter()
        .map(|(name, ret, params)| {
            let params: Vec<String> = split_params(&params)
                .iter()
                .map(|p| c_shape(p, true))
                .collect();
            let shape = format!("{}({})", c_shape(&ret, false), params.join(","));
            (name, shape, params.len())
        })
        .collect()
}

/// Top-level comma split of a parameter list (`void` alone means none).
fn split_params(params: &str) -> Vec<String> {
    let params = params.trim();
    if params.is_empty() || params == "void" {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut depth = 0;
    let mut cur = String::new();
    for c in params.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(cur.trim().to_string());
                cur.clear();
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur.trim().to_string());
    out
}

/// The ABI shape of a C type (`named`: the text ends with a parameter name to drop).
fn c_shape(decl: &str, named: bool) -> String {
    if decl.contains('*') || decl.contains('(') {
        return "p".into();
    }
    let mut words: Vec<&str> = decl
        .split_whitespace()
        .filter(|w| *w != "const" && *w != "enum" && *w != "struct")
        .collect();
    if named && words.len() > 1 {
        words.pop();
    }
    let ty = words.join(" ");
    match ty.as_str() {
        "void" => "()",
        "bool" => "bool",
        "uint8_t" => "u8",
        "int32_t" | "int" => "i32",
        "uint32_t" => "u32",
        "int64_t" => "i64",
        "uint64_t" => "u64",
        "float" => "f32",
        "double" => "f64",
        "int128_t" => "i128",
        "uint128_t" => "u128",
        "WasmEdge_HostFunc_t" | "WasmEdge_WrapFunc_t" | "WasmEdge_LogCallback_t" => "p",
        "WasmEdge_String" => "String",
        "WasmEdge_Bytes" => "Bytes",
        "WasmEdge_Result" => "Result",
        "WasmEdge_Value" => "Value",
        "WasmEdge_ValType" => "ValType",
        // Every other WasmEdge_ type passed by value is an enum.
        t if t.starts_with("WasmEdge_") => "u32",
        t => panic!("unknown C type `{t}` in a header"),
    }
    .into()
}

/// (name, return type, parameter text) of each `WASMEDGE_CAPI_EXPORT` declaration.
fn declarations(text: &str) -> Vec<(String, String, String)> {
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
            let open = decl.find('(')?;
            let head = decl[..open].trim_end();
            let name = head
                .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
                .next()?;
            if !name.starts_with("WasmEdge_") {
                return None;
            }
            let ret = head[..head.len() - name.len()]
                .trim()
                .trim_start_matches("extern")
                .trim()
                .to_string();
            // The parameter list: up to the parenthesis that closes the first one.
            let mut depth = 0;
            let mut end = open;
            for (i, c) in decl[open..].char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        if depth == 0 {
                            end = open + i;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let params = decl[open + 1..end].to_string();
            Some((name.to_string(), ret, params))
        })
        .collect()
}
