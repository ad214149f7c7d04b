//! Wedge: a memory-safe, thread-safe WebAssembly runtime, compatible with WasmEdge.
//!
//! This crate is the embedding API. Modules are decoded and validated with wasmparser, and run
//! by an interpreter over a register-based IR translated lazily, function by function.
//!
//! ```
//! use wedge::{Engine, Instance, Module, Store, Val};
//! let engine = Engine::default();
//! let wasm = wat::parse_str(r#"(module (func (export "add") (param i32 i32) (result i32)
//!     local.get 0 local.get 1 i32.add))"#).unwrap();
//! let module = Module::new(&engine, &wasm).unwrap();
//! let mut store = Store::new(&engine, ());
//! let instance = Instance::new(&mut store, &module, &[]).unwrap();
//! let add = instance.get_func(&store, "add").unwrap();
//! let mut results = [Val::I32(0)];
//! add.call(&mut store, &[Val::I32(40), Val::I32(2)], &mut results).unwrap();
//! assert_eq!(results[0].i32(), Some(42));
//! ```

#[cfg(feature = "cranelift")]
pub mod aot;
mod config;
mod engine;
mod error;
mod externals;
mod func;
mod global;
mod instance;
mod interp;
mod linker;
pub mod log;
mod memory;
pub mod metering;
mod module;
mod store;
mod table;
mod values;
pub(crate) mod vm;

pub use config::{Config, Features, OptLevel, Proposal};
pub use engine::Engine;
pub use error::{Error, ErrorKind, Trap};
pub use externals::Extern;
pub use func::{Caller, Func};
pub use global::Global;
pub use instance::Instance;
pub use linker::Linker;
pub use memory::Memory;
pub use metering::{InterruptHandle, Statistics};
pub use module::{ExportType, ImportType, Module, NativeCode};
pub use store::{AsContext, AsContextMut, HostCallHooks, Store};
pub use table::Table;
pub use values::{ExternRef, Val};
/// WasmEdge's error codes: messages and phases.
pub use wedge_environ::errcode;
pub use wedge_environ::{
    ExternType, FuncType, GlobalType, Limits, MemoryType, ModuleError, ModuleErrorKind, Mutability,
    TableType, TrapCode, ValType,
};

#[cfg(test)]
mod tests {
    fn assert_send_sync<T: Send + Sync>() {}
    fn assert_send<T: Send>() {}

    #[test]
    fn engine_and_module_are_send_sync() {
        assert_send_sync::<crate::Engine>();
        assert_send_sync::<crate::Module>();
        assert_send::<crate::Store<()>>();
        assert_send_sync::<crate::InterruptHandle>();
    }
}
