//! RUNPATH `$ORIGIN` for the library, which lives next to libtorch (`libtorch/lib/` of the
//! cache), so that opening it needs no `LD_LIBRARY_PATH`; the example runs from the target
//! directory and gets `$LIBTORCH/lib` instead. (The unit tests' harness has no such hook: run
//! them with `LD_LIBRARY_PATH=$LIBTORCH/lib`, as `scripts/nn/pytorch.sh --test` does.)

fn main() {
    println!("cargo::rerun-if-env-changed=LIBTORCH");
    println!("cargo::rustc-link-arg-cdylib=-Wl,-rpath,$ORIGIN");
    if let Some(libtorch) = std::env::var_os("LIBTORCH") {
        let lib = std::path::Path::new(&libtorch).join("lib");
        let arg = format!("-Wl,-rpath,{}", lib.display());
        println!("cargo::rustc-link-arg-examples={arg}");
    }
}
