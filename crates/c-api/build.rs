//! Gives the shared library WasmEdge's SONAME, so programs and plug-ins linked against
//! `libwasmedge.so.0` load it.

fn main() {
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libwasmedge.so.0");
    // The integration tests act as a Rust host that loads C plug-ins: they export the C API.
    println!("cargo:rustc-link-arg-tests=-rdynamic");
}
