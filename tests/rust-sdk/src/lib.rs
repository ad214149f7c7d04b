//! Helpers for the tests in `tests/sdk`: WasmEdge's own Rust SDK (`wasmedge-sdk` 0.17.1 over
//! `wasmedge-sys` 0.21.1) built against an installed Wedge and used as its documentation shows.
//!
//! Run through `scripts/rust-sdk.sh`, which installs Wedge into a prefix, puts the example
//! plug-in into the prefix's plug-in directory, and sets `WASMEDGE_DIR` and `LD_LIBRARY_PATH`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use wasmedge_sdk::vm::SyncInst;
use wasmedge_sdk::{Module, Store, Vm};

/// The Wedge repository this project sits in.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A committed WASI test program: `tests/programs/wasi/NAME.wasm`.
pub fn wasi_program(name: &str) -> PathBuf {
    repo_root()
        .join("tests/programs/wasi")
        .join(format!("{name}.wasm"))
}

/// A file of this project's `data/` folder.
pub fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name)
}

/// Assembles WebAssembly text with the SDK's own `wat2wasm`.
pub fn wasm(text: &str) -> Vec<u8> {
    match wasmedge_sdk::wat2wasm(text.as_bytes()) {
        Ok(bytes) => bytes.into_owned(),
        Err(e) => panic!("bad test module: {e}\n{text}"),
    }
}

/// A validated module from WebAssembly text.
pub fn module(text: &str) -> Module {
    Module::from_bytes(None, wasm(text)).expect("the test module loads and validates")
}

/// A `Vm` over a store with no import objects, as the SDK's documentation makes one.
pub fn empty_vm() -> Vm<'static, dyn SyncInst> {
    let store = Store::new(None, HashMap::<String, &mut dyn SyncInst>::new()).expect("store");
    Vm::new(store)
}

/// A `Vm` whose active module is `text`.
pub fn vm_with(text: &str) -> Vm<'static, dyn SyncInst> {
    let mut vm = empty_vm();
    vm.register_module(None, module(text))
        .expect("the test module instantiates");
    vm
}

/// A directory under the system's temporary directory, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("wedge-rust-sdk-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create a temporary directory");
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `f` on its own thread and fails if it does not finish within `secs` seconds, so a
/// deadlock in the library fails the test instead of hanging the run.
pub fn within<T: Send + 'static>(
    secs: u64,
    what: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)));
    });
    match rx.recv_timeout(std::time::Duration::from_secs(secs)) {
        Ok(Ok(value)) => value,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(_) => panic!("{what}: still running after {secs} s (deadlocked?)"),
    }
}
