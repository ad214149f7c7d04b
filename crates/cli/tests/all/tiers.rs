//! Every execution tier runs the repository's guest programs alike: the interpreter,
//! `--run-mode jit` and the native code of a `wedge compile`d file must give the same output,
//! files and exit status.
//!
//! The mechanism is one switch: [`on_every_tier`] runs a test body once per tier, and the
//! commands the WASI tests build (`wasi::command`) follow the current tier through
//! [`tier_args`]. So every program test of `wasi`, `escape` and `sockets` that is wrapped in
//! `on_every_tier` checks its expectations on each tier, from fresh temporary directories.
//! The benchmark programs and the example run here with their checksums, through the same
//! `wasi::run`, which also checks each run with [`check_tier`].

use super::wasi::run;
use super::*;
use std::cell::Cell;
use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::sync::Mutex;

/// How a test run executes its module.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Tier {
    /// The default: no flag.
    Interpreter,
    /// `--run-mode jit`, with the code cache off so the module is compiled.
    Jit,
    /// The module replaced by its `wedge compile`d universal wasm, run with `--run-mode aot`.
    Aot,
}

const TIERS: [Tier; 3] = [Tier::Interpreter, Tier::Jit, Tier::Aot];

thread_local! {
    static TIER: Cell<Tier> = const { Cell::new(Tier::Interpreter) };
}

/// Runs `test` once on each tier; a failure names the tier.
#[track_caller]
pub fn on_every_tier(test: impl Fn()) {
    for tier in TIERS {
        TIER.set(tier);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(&test));
        TIER.set(Tier::Interpreter);
        if let Err(panic) = outcome {
            eprintln!("^ this failure is on the {tier:?} tier");
            std::panic::resume_unwind(panic);
        }
    }
}

/// The tier of the running test body.
pub fn current() -> Tier {
    TIER.get()
}

/// `args` for the current tier, and the environment the command needs for it.
pub fn tier_args<S: AsRef<OsStr>>(
    args: &[S],
) -> (Vec<OsString>, Vec<(&'static str, &'static str)>) {
    let mut args: Vec<OsString> = args.iter().map(|a| a.as_ref().to_owned()).collect();
    let tier = current();
    if tier == Tier::Interpreter {
        return (args, Vec::new());
    }
    // The flag goes after a subcommand, if the command line starts with one.
    let subcommands = ["run", "instantiate"];
    let at = usize::from(
        args.first()
            .is_some_and(|a| subcommands.iter().any(|s| a == *s)),
    );
    match tier {
        Tier::Interpreter => unreachable!(),
        Tier::Jit => {
            args.splice(at..at, ["--run-mode".into(), "jit".into()]);
            (args, vec![("WEDGE_CODE_CACHE", "off")])
        }
        Tier::Aot => {
            // The module is the first argument naming an existing file (the options before
            // it name directories or values); the rest are the guest's.
            if let Some(module) = args.iter_mut().find(|a| Path::new(a).is_file()) {
                *module = compiled(Path::new(module)).into_os_string();
            }
            args.splice(at..at, ["--run-mode".into(), "aot".into()]);
            (args, Vec::new())
        }
    }
}

/// `module` compiled by `wedge compile` into a universal wasm of the same file name (so argv[0]
/// stays the same), once per test process.
fn compiled(module: &Path) -> PathBuf {
    static COMPILED: Mutex<Option<HashMap<PathBuf, PathBuf>>> = Mutex::new(None);
    let mut map = COMPILED.lock().unwrap_or_else(|e| e.into_inner());
    let map = map.get_or_insert_with(HashMap::new);
    if let Some(out) = map.get(module) {
        return out.clone();
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("aot")
        .join(map.len().to_string());
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join(module.file_name().unwrap());
    let run: Run = Command::new(env!("CARGO_BIN_EXE_wedge"))
        .arg("compile")
        .arg(module)
        .arg(&out)
        .output()
        .expect("the wedge binary runs")
        .into();
    run.assert_code(0);
    map.insert(module.to_owned(), out.clone());
    out
}

/// Checks what every run on the AOT tier must show: the native code ran.
pub fn check_tier(run: &Run) {
    if current() == Tier::Aot {
        assert!(
            !run.stderr.contains("running in the interpreter"),
            "the AOT tier fell back to the interpreter: {run:#?}"
        );
    }
}

// ---- programs with known results ----

/// `benches/programs/expected.txt`: `name result-type default-arg checksum small-arg checksum`.
fn bench_programs() -> Vec<(String, String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../benches/programs");
    let table = std::fs::read_to_string(dir.join("expected.txt")).unwrap();
    table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let wasm = dir.join(format!("{}.wasm", f[0]));
            (
                wasm.to_string_lossy().into_owned(),
                f[4].to_string(),
                f[5].to_string(),
            )
        })
        .collect()
}

#[test]
fn benchmark_programs_compute_their_checksums_on_every_tier() {
    let programs = bench_programs();
    assert!(programs.len() >= 6, "expected.txt lists the six programs");
    on_every_tier(|| {
        for (wasm, arg, checksum) in &programs {
            run(&["--reactor", wasm, "run", arg])
                .assert_code(0)
                .assert_stdout(&format!("{checksum}\n"));
        }
    });
}

#[test]
fn the_example_runs_on_every_tier() {
    let fib = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/fib.wasm");
    let fib = fib.to_string_lossy();
    on_every_tier(|| {
        for (func, arg, result) in [
            ("fib", "20", "6765"),
            ("fib_i64", "90", "2880067194370816120"),
        ] {
            run(&["--reactor", &fib, func, arg])
                .assert_code(0)
                .assert_stdout(&format!("{result}\n"));
        }
    });
}

#[test]
fn a_failure_names_its_tier() {
    let seen = std::panic::catch_unwind(|| {
        on_every_tier(|| assert_ne!(current(), Tier::Jit, "fails on the JIT only"));
    });
    assert!(seen.is_err(), "a failing body fails the test");
    assert_eq!(
        current(),
        Tier::Interpreter,
        "the tier is reset after a failure"
    );
}
