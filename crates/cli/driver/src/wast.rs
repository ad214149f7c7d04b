//! `wedge wast FILE...`: runs WebAssembly spec-test scripts (Wedge's addition; WasmEdge has
//! no such subcommand). Prints one summary line per script, then its failures; the exit
//! status is 0 only if every script was read and no directive failed. Skipped directives
//! (proposals Wedge does not run) are counted but do not fail the run. `--run-mode jit` runs
//! the scripts on the compiled tier.

use crate::args::Args;
use crate::{FAILURE, SUCCESS, load, log};
use std::io::Write;
use std::path::Path;

/// Runs `wedge wast`; returns the exit status.
pub fn wast(args: &Args) -> i32 {
    let Some(first) = crate::require_file(args) else {
        return FAILURE;
    };
    let mut config = load::config(args);
    // `aot` compiles each module into a universal wasm and runs the native code read back.
    let tier = crate::tier::requested(args, None);
    config.jit(tier == crate::tier::Tier::Jit);
    config.aot(tier == crate::tier::Tier::Aot);
    let files = std::iter::once(first).chain(args.rest.iter().map(String::as_str));
    let (mut passed, mut failed, mut skipped, mut scripts) = (0, 0, 0, 0);
    let mut ok = true;
    for file in files {
        scripts += 1;
        match wedge_wast::run_file(Path::new(file), &config) {
            Ok(report) => {
                passed += report.passed;
                failed += report.failed;
                skipped += report.skipped;
                ok &= report.is_success();
                let _ = writeln!(std::io::stdout().lock(), "{report}");
            }
            Err(e) => {
                ok = false;
                log::error(e);
            }
        }
    }
    if scripts > 1 {
        let _ = writeln!(
            std::io::stdout().lock(),
            "total ({scripts} scripts): {passed} passed, {failed} failed, {skipped} skipped"
        );
    }
    if ok { SUCCESS } else { FAILURE }
}
