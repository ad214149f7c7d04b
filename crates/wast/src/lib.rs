//! Runs WebAssembly `.wast` spec-test scripts against the Wedge runtime.
//!
//! A `.wast` script is a sequence of directives: define a module, register it under a name,
//! invoke an export, and assert what happens (a return value, a trap, stack exhaustion, a
//! module that fails to decode, validate or link). This crate parses scripts with the `wast`
//! crate and executes every directive with [`wedge`], counting each directive as passed,
//! failed or skipped. It is used by Wedge's conformance tests (the official spec test suite)
//! and by the `wedge wast FILE...` command.
//!
//! Every script runs in a fresh [`wedge::Store`] whose [`wedge::Linker`] holds the `spectest`
//! host module the spec tests import (`print*`, `global_i32` = 666, `global_i64` = 666,
//! `global_f32` = 666.6, `global_f64` = 666.6, `table` of 10..20 funcrefs, `memory` of 1..2
//! pages). A panic inside the engine while running one directive is caught and reported as a
//! failure of that directive; the script goes on.
//!
//! Directives of proposals Wedge does not run here (threads, exceptions, stack switching,
//! components, GC reference results) are counted as skipped, never as passed.
//!
//! ```
//! use wedge_wast::WastRunner;
//!
//! let runner = WastRunner::new(&wedge::Config::default());
//! let report = runner
//!     .run("add.wast", r#"
//!         (module (func (export "add") (param i32 i32) (result i32)
//!             local.get 0 local.get 1 i32.add))
//!         (assert_return (invoke "add" (i32.const 40) (i32.const 2)) (i32.const 42))
//!     "#)
//!     .unwrap();
//! assert!(report.is_success());
//! println!("{report}");
//! ```

mod error;
pub mod harness;
mod report;
mod runner;
mod spectest;
mod values;

pub use error::{Error, ErrorKind};
pub use report::{Failure, Report, Skip};
pub use runner::WastRunner;

use std::path::Path;

/// Runs the `.wast` script at `path` with the feature set and limits of `config`.
///
/// Fails only if the file cannot be read or is not a well-formed script; failing directives
/// are counted in the [`Report`].
pub fn run_file(path: &Path, config: &wedge::Config) -> Result<Report, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    WastRunner::new(config).run(&path.display().to_string(), &text)
}
