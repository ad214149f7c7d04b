//! Links the integration tests with `-rdynamic`: they load the example plug-in into their own
//! process, which links the Wedge C API, and the plug-in resolves its `WasmEdge_*` symbols to
//! that copy, as it does in the `wedge` binary. The plug-in itself needs no build script.

fn main() {
    println!("cargo:rustc-link-arg-tests=-rdynamic");
}
