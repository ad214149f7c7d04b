//! The `wedge` binary exports the WasmEdge C API (linked in from `wedge-c-api`) so that plug-ins
//! it loads call into this process's runtime, and answers to the name `libwasmedge.so.0`, so a
//! plug-in linked against WasmEdge's library binds to the binary instead of loading a second
//! runtime.

fn main() {
    println!("cargo:rustc-link-arg-bins=-rdynamic");
    println!("cargo:rustc-link-arg-bins=-Wl,-soname,libwasmedge.so.0");
}
