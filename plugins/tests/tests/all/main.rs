//! End-to-end tests of the plug-ins under `plugins/`: each plug-in's C guests (committed `.wasm`,
//! built by `scripts/build-guests.sh`) run through the `wedge` binary and through a C
//! host linked with `libwasmedge.so.0` (`plugins/tests/c/run.c`), with the plug-in's cdylib
//! copied into a plug-in directory of its own and found through `WASMEDGE_PLUGIN_PATH`.
//!
//! The tests take the plug-ins, `wedge` and `libwasmedge.so` from the build directory this binary
//! is in: `cargo test --workspace` builds them all before any test runs. Run alone
//! (`cargo test -p wedge-plugin-tests`), a test whose part is missing fails and names the
//! command that builds it.

mod harness;

mod crypto;
mod ethereum;
mod httpsreq;
mod image;
mod process;
mod standins;
mod storage;
mod tensorflow;
mod tensorflowlite;
mod wasi_nn;
mod wasi_nn_ggml;
mod wasi_nn_openvino;
mod wasi_nn_pytorch;
mod zlib;

pub use harness::*;
