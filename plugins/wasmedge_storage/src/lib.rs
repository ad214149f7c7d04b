//! The SSVM/WasmEdge storage plug-in for Wedge: persistent key-value transactions for wasm
//! guests, under both names second-state's storage extension had.
//!
//! Plug-in `wasmedge_storage`, modules `ssvm_native` (functions `ssvm_storage_*`, the SSVM 0.7
//! ABI) and `wasmedge_native` (functions `wasmedge_storage_*`, the WasmEdge 0.8 ABI). The two
//! modules are the same functions under two prefixes, and see the same data:
//!
//! | function | type | does |
//! |---|---|---|
//! | `createUUID` | `(key_ptr: i32)` | writes 32 random lowercase hex characters and a NUL at `key_ptr` |
//! | `beginStoreTx` | `(key_ptr: i32)` | starts a store transaction for the 32-byte key at `key_ptr`; empties the buffer |
//! | `storeI32` | `(value: i32)` | appends the value to the buffer, little-endian |
//! | `storeI64` | `(value: i64)` | the same, 8 bytes |
//! | `endStoreTx` | `()` | commits the buffer as the key's value (replacing an earlier one) |
//! | `beginLoadTx` | `(key_ptr: i32)` | reads the key's committed value into the buffer; the read position goes to 0 |
//! | `loadI32` | `() -> i32` | the next 4 bytes of the buffer |
//! | `loadI64` | `() -> i64` | the next 8 bytes |
//! | `endLoadTx` | `()` | sets the read position back to 0 |
//!
//! A key is 32 bytes, whatever they are (`createUUID` makes hex ones; the end of the string is
//! not read). As in the original, one buffer serves both kinds of transaction: a `beginLoadTx`
//! replaces what a store transaction had gathered, and `endStoreTx` twice stores twice.
//!
//! # Errors (what the guest sees)
//!
//! The original host functions had no error results: they failed with `ExecutionFailed`, which
//! stops the guest. Wedge does the same with WasmEdge 0.17's equivalent, a `HostFuncError` trap,
//! and prints one line saying why to stderr (`[wasmedge_storage] ...`), for:
//!
//! - `loadI32`/`loadI64` reading past the end of the value (or with no load transaction);
//! - `beginLoadTx` of a key that has no committed value. (The original's database library
//!   unwrapped a missing value and aborted the whole process; its C++ side meant this to be
//!   `ExecutionFailed`, which is what Wedge does.)
//! - `endStoreTx` with no `beginStoreTx` before it (the original stored under an empty key);
//! - the database cannot be opened (another process holds it, a bad directory) or a commit fails;
//! - a value growing past [`MAX_VALUE_BYTES`] (64 MiB).
//!
//! A `key_ptr` whose 32 (or 33) bytes are not all in the guest's memory is a `MemoryOutOfBounds`
//! trap; the original read or wrote there unchecked.
//!
//! # The database
//!
//! The original kept the values in RocksDB at a hard-coded path (`/media/nvme/ssvm_database`),
//! reopened on every call. Wedge keeps them in [redb](https://docs.rs/redb), a pure-Rust embedded
//! database, in the file `storage.redb` of the storage directory. redb fits better than RocksDB
//! here: no C++ build or system library (the default build and tests need only Rust), commits
//! that are durable when `commit` returns and atomic across a crash (a copy-on-write B-tree with
//! checksummed roots), and a lock on the file, so a second process opening the same directory
//! gets a clear error instead of sharing it unsafely.
//!
//! - The directory is the option `--storage-dir DIR`; by default `$XDG_DATA_HOME/wedge/storage`,
//!   or `$HOME/.local/share/wedge/storage` (created when first used).
//! - The database is opened at the first transaction, once per process and directory (all module
//!   instances share it), and closed when the last instance using it is dropped.
//! - Each `endStoreTx` is one redb write transaction. What a guest committed survives the process
//!   and a `kill -9`; a store transaction that has not reached `endStoreTx` is only in memory, so
//!   after a crash it is simply absent.
//! - While one process has a directory's database open, another that opens it fails (`Database
//!   already open`), logs it and traps; neither process's data is harmed.
//!
//! # Namespaces
//!
//! Keys live in a namespace, a table of the database: guests see only the keys of their own
//! namespace. The namespace is the option `--storage-namespace NAME` (default `default`), so
//! guests run with the same directory and no option share one namespace, and guests given
//! different names cannot read each other's values whatever keys they try. (The plug-in ABI tells
//! a host function nothing stable about which program called it, so the default cannot be per
//! guest; a different `--storage-dir` separates guests completely.) A name is 1 to 200 bytes.
//!
//! ```
//! use wedge_plugin_storage::{Key, Storage};
//!
//! let dir = std::env::temp_dir().join(format!("wedge-storage-doc-{}", std::process::id()));
//! let storage = Storage::open(&dir, "doc").unwrap();
//! let key: Key = *b"0123456789abcdef0123456789abcdef";
//! storage.commit(&key, &7u32.to_le_bytes()).unwrap();
//! assert_eq!(storage.load(&key).unwrap(), Some(7u32.to_le_bytes().to_vec()));
//! # drop(storage);
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```

#![forbid(unsafe_code)]

mod db;
mod env;
mod func;
mod tx;

pub use db::{DB_FILE, Storage, StorageError, default_dir};
pub use env::StorageEnv;
pub use func::{
    begin_load_tx, begin_store_tx, create_uuid, end_load_tx, end_store_tx, load_i32, load_i64,
    store_i32, store_i64,
};
pub use tx::{KEY_LEN, Key, MAX_VALUE_BYTES, Tx, TxError};

use wedge_plugin_sdk::{Module, Plugin, ProgramOption, Version};

/// The plug-in's name.
pub const PLUGIN_NAME: &str = "wasmedge_storage";
/// The SSVM 0.7 module, with functions `ssvm_storage_*`.
pub const SSVM_MODULE: &str = "ssvm_native";
/// The WasmEdge 0.8 module, with functions `wasmedge_storage_*`.
pub const WASMEDGE_MODULE: &str = "wasmedge_native";
/// The namespace of a guest run without `--storage-namespace`.
pub const DEFAULT_NAMESPACE: &str = "default";

/// `--storage-dir DIR`: the directory of the database (empty: [`default_dir`]).
pub static STORAGE_DIR: ProgramOption<String> = ProgramOption::string(
    "storage-dir",
    "Directory of the wasmedge_storage database (default: $XDG_DATA_HOME/wedge/storage or ~/.local/share/wedge/storage).",
    "",
);

/// `--storage-namespace NAME`: the namespace whose keys the guest sees.
pub static STORAGE_NAMESPACE: ProgramOption<String> = ProgramOption::string(
    "storage-namespace",
    "Namespace of the wasmedge_storage keys a guest sees (default: \"default\").",
    DEFAULT_NAMESPACE,
);

/// Declares the plug-in.
#[must_use]
pub fn declare() -> Plugin {
    Plugin::new(PLUGIN_NAME, Version::new(0, 8, 1, 0))
        .description(
            "Persistent key-value storage for wasm guests (second-state's storage extension).",
        )
        .option(&STORAGE_DIR)
        .option(&STORAGE_NAMESPACE)
        .module(module(SSVM_MODULE, "ssvm_storage_"))
        .module(module(WASMEDGE_MODULE, "wasmedge_storage_"))
}

/// The module `name`, its functions named `prefix` + the function's name; each instance reads the
/// options when it is created.
#[must_use]
pub fn module(name: &str, prefix: &str) -> Module<StorageEnv> {
    Module::new(name, StorageEnv::from_options)
        .func(format!("{prefix}createUUID"), create_uuid)
        .func(format!("{prefix}beginStoreTx"), begin_store_tx)
        .func(format!("{prefix}beginLoadTx"), begin_load_tx)
        .func(format!("{prefix}storeI32"), store_i32)
        .func(format!("{prefix}loadI32"), load_i32)
        .func(format!("{prefix}storeI64"), store_i64)
        .func(format!("{prefix}loadI64"), load_i64)
        .func(format!("{prefix}endStoreTx"), end_store_tx)
        .func(format!("{prefix}endLoadTx"), end_load_tx)
}

wedge_plugin_sdk::plugin!(declare);

/// Prints a line about a failure the guest is about to see as a trap.
fn log(message: &str) {
    eprintln!("[{PLUGIN_NAME}] {message}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_modules_have_the_nine_functions_under_their_prefix() {
        let plugin = declare();
        assert_eq!(
            plugin.module_names().collect::<Vec<_>>(),
            [SSVM_MODULE, WASMEDGE_MODULE]
        );
        for (name, prefix) in [(SSVM_MODULE, "ssvm"), (WASMEDGE_MODULE, "wasmedge")] {
            let names: Vec<String> = module(name, &format!("{prefix}_storage_"))
                .func_names()
                .map(str::to_owned)
                .collect();
            let expected: Vec<String> = [
                "createUUID",
                "beginStoreTx",
                "beginLoadTx",
                "storeI32",
                "loadI32",
                "storeI64",
                "loadI64",
                "endStoreTx",
                "endLoadTx",
            ]
            .iter()
            .map(|f| format!("{prefix}_storage_{f}"))
            .collect();
            assert_eq!(names, expected);
        }
    }

    #[test]
    fn options_default_to_the_data_directory_and_the_default_namespace() {
        assert_eq!(STORAGE_DIR.name(), "storage-dir");
        assert_eq!(STORAGE_DIR.get(), "");
        assert_eq!(STORAGE_NAMESPACE.name(), "storage-namespace");
        assert_eq!(STORAGE_NAMESPACE.get(), DEFAULT_NAMESPACE);
    }
}
