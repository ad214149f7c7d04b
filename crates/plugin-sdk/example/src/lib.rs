//! An example WasmEdge plug-in written with `wedge-plugin-sdk`, in safe Rust.
//!
//! Plug-in `wedge_example`, module `wedge_example`:
//!
//! | function | type | does |
//! |---|---|---|
//! | `add` | `(i32, i32) -> i32` | wrapping sum |
//! | `counter` | `() -> i64` | counts its calls, per module instance (1, 2, 3, …) |
//! | `greet` | `(i32 ptr, i32 len) -> i32` | reads the name at `ptr`, writes `"<greeting>, <name>"` there, returns the bytes written |
//! | `fail` | `(i32)` | fails with a user-level error carrying the argument as its code |
//! | `terminate` | `()` | stops the guest (WasmEdge's `Terminated`) |
//!
//! `greet` fails with an out-of-bounds memory error when the name or the greeting does not fit
//! in the guest's memory. The greeting word is the program option `--wedge-example-greeting`
//! (default `hello`).
//!
//! Build it with `cargo build -p wedge-plugin-example`, copy
//! `target/debug/libwedge_plugin_example.so` into a directory of its own and name that
//! directory in `WASMEDGE_PLUGIN_PATH` when running the runtime. `tests/all/main.rs` loads it
//! into a host of the WasmEdge C API and runs a guest that imports the module.

#![forbid(unsafe_code)]

use std::sync::atomic::{AtomicI64, Ordering};

use wedge_plugin_sdk::{Caller, Error, Module, Plugin, ProgramOption, package_version};

/// The plug-in's name.
pub const PLUGIN_NAME: &str = "wedge_example";
/// The module's name, which guests import.
pub const MODULE_NAME: &str = "wedge_example";

/// `--wedge-example-greeting=<word>`: the word `greet` greets with.
pub static GREETING: ProgramOption<String> = ProgramOption::string(
    "wedge-example-greeting",
    "the word wedge_example.greet greets with",
    "hello",
);

/// The state of one instance of the module.
#[derive(Debug, Default)]
pub struct Counter {
    calls: AtomicI64,
}

/// Declares the plug-in.
#[must_use]
pub fn declare() -> Plugin {
    Plugin::new(PLUGIN_NAME, package_version!())
        .description("An example plug-in written with wedge-plugin-sdk")
        .option(&GREETING)
        .module(
            Module::new(MODULE_NAME, Counter::default)
                .description("add, counter, greet, fail, terminate")
                .func("add", add)
                .func("counter", counter)
                .func("greet", greet)
                .func("fail", fail)
                .func("terminate", terminate),
        )
}

wedge_plugin_sdk::plugin!(declare);

/// `add(a, b) -> a + b`, wrapping.
pub fn add(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

/// `counter() -> n`: the number of calls so far on this module instance, this one included.
pub fn counter(caller: Caller<'_, Counter>) -> i64 {
    caller.state().calls.fetch_add(1, Ordering::Relaxed) + 1
}

/// `greet(ptr, len) -> written`: reads the UTF-8 name of `len` bytes at `ptr` and writes
/// `"<greeting>, <name>"` at `ptr`.
pub fn greet(caller: Caller<'_, Counter>, ptr: u32, len: u32) -> Result<i32, Error> {
    let memory = caller.memory(0)?;
    let name = memory.read_str(ptr.into(), len.into())?;
    let text = greeting(&GREETING.get(), &name);
    memory.write(ptr.into(), text.as_bytes())?;
    i32::try_from(text.len()).map_err(|_| Error::memory_out_of_bounds())
}

/// The text `greet` writes.
#[must_use]
pub fn greeting(word: &str, name: &str) -> String {
    format!("{word}, {name}")
}

/// `fail(code)`: a user-level error with `code`.
pub fn fail(code: u32) -> Result<(), Error> {
    Err(Error::user(code))
}

/// `terminate()`: stops the guest.
pub fn terminate() -> Result<(), Error> {
    Err(Error::terminate())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plugin_declares_one_module_with_its_name() {
        let plugin = declare();
        assert_eq!(plugin.name(), "wedge_example");
        assert_eq!(plugin.module_names().collect::<Vec<_>>(), ["wedge_example"]);
    }

    #[test]
    fn add_wraps() {
        assert_eq!(add(2, 3), 5);
        assert_eq!(add(i32::MAX, 1), i32::MIN);
    }

    #[test]
    fn counters_of_two_instances_count_independently() {
        let (a, b) = (Counter::default(), Counter::default());
        assert_eq!(counter(Caller::detached(&a)), 1);
        assert_eq!(counter(Caller::detached(&a)), 2);
        assert_eq!(counter(Caller::detached(&b)), 1);
        assert_eq!(counter(Caller::detached(&a)), 3);
    }

    #[test]
    fn greet_without_guest_memory_is_out_of_bounds() {
        let state = Counter::default();
        assert_eq!(
            greet(Caller::detached(&state), 0, 5),
            Err(Error::memory_out_of_bounds())
        );
    }

    #[test]
    fn fail_and_terminate_return_their_errors() {
        assert_eq!(fail(7).unwrap_err().user_code(), Some(7));
        assert!(terminate().unwrap_err().is_terminate());
        assert_eq!(greeting(&GREETING.get(), "wedge"), "hello, wedge");
    }
}
