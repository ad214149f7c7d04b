//! What Wedge's spec-suite tests share (`crates/wast/tests/all/spec.rs` runs the scripts on the
//! embedding API, `crates/c-api/tests/all/spec.rs` through the C API): the list of files known
//! to fail, a runner that runs files on a few threads with a per-file timeout, and the check of
//! the results against the list.
//!
//! Environment: `WAST_THREADS=n` files at a time (default: 2, or fewer cores),
//! `WAST_TIMEOUT=secs` per file (default 300), `BLESS=1` rewrites the suite's lines of the list
//! from the run instead of failing on differences.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::{Duration, Instant};

/// One file's result as the harness needs it.
pub trait FileReport: Send + 'static {
    /// Whether every directive passed (or was skipped).
    fn is_success(&self) -> bool;
    /// A short reason for a new entry of the list.
    fn reason(&self) -> String;
    /// Directives passed, failed and skipped.
    fn counts(&self) -> (usize, usize, usize);
    /// Each failure as a line (`line:column: directive: message`), in script order.
    fn failure_lines(&self) -> Vec<String>;
    /// How many directives were skipped, by reason.
    fn skip_reasons(&self) -> BTreeMap<String, usize>;
}

impl FileReport for crate::Report {
    fn is_success(&self) -> bool {
        crate::Report::is_success(self)
    }

    fn counts(&self) -> (usize, usize, usize) {
        (self.passed, self.failed, self.skipped)
    }

    fn failure_lines(&self) -> Vec<String> {
        self.failures.iter().map(ToString::to_string).collect()
    }

    fn skip_reasons(&self) -> BTreeMap<String, usize> {
        let mut reasons = BTreeMap::new();
        for skip in &self.skips {
            *reasons
                .entry(format!("{}: {}", skip.directive, skip.reason))
                .or_default() += 1;
        }
        reasons
    }

    fn reason(&self) -> String {
        match self.failures.first() {
            Some(f) => format!(
                "{} of {} fail; first: {}: {}",
                self.failed,
                self.total(),
                f.directive,
                f.message
            ),
            None => "fails".to_string(),
        }
    }
}

/// A file's result, or why it could not run (harness error, panic, timeout).
pub type FileOutcome<R> = Result<R, String>;

/// One file to run: its key (`suite/file.wast`) and the work.
pub struct Job<R> {
    /// `suite/file.wast`.
    pub key: String,
    /// Runs the file.
    pub run: Box<dyn FnOnce() -> FileOutcome<R> + Send>,
}

/// Runs a suite: its `files` (`(file name, script)`; `WAST_FILTER=text` keeps the keys
/// `suite/file` containing `text`), each through the work `job(key, script)` makes, on
/// threads named `<prefix>-<n>`; prints `summary(results, elapsed)`, then checks the results
/// against `list` ([`KnownFailures::check`]).
pub fn run_suite<R: FileReport>(
    suite: &str,
    prefix: &str,
    files: impl IntoIterator<Item = (String, &'static str)>,
    list: &KnownFailures,
    mut job: impl FnMut(&str, &'static str) -> Box<dyn FnOnce() -> FileOutcome<R> + Send>,
    summary: impl FnOnce(&[(String, FileOutcome<R>)], Duration) -> String,
) {
    let filter = std::env::var("WAST_FILTER").ok().filter(|f| !f.is_empty());
    let mut all: Vec<(String, &'static str)> = files
        .into_iter()
        .map(|(name, text)| (format!("{suite}/{name}"), text))
        .collect();
    all.sort_by(|a, b| a.0.cmp(&b.0));
    let every_key: Vec<String> = all.iter().map(|(k, _)| k.clone()).collect();
    let jobs: Vec<Job<R>> = all
        .into_iter()
        .filter(|(k, _)| filter.as_deref().is_none_or(|f| k.contains(f)))
        .map(|(key, text)| {
            let run = job(&key, text);
            Job { key, run }
        })
        .collect();
    let start = Instant::now();
    let results = run_parallel(prefix, jobs);
    println!("{}", summary(&results, start.elapsed()));
    list.check(suite, &results, &every_key, filter.is_none());
}

/// The name a script gives directive `d` (`assert_return`, `module`, ...).
pub fn directive_name(d: &wast::WastDirective<'_>) -> &'static str {
    use wast::WastDirective as D;
    match d {
        D::Module(_) => "module",
        D::ModuleDefinition(_) => "module definition",
        D::ModuleInstance { .. } => "module instance",
        D::AssertMalformed { .. } => "assert_malformed",
        D::AssertInvalid { .. } => "assert_invalid",
        D::AssertInvalidCustom { .. } => "assert_invalid_custom",
        D::AssertMalformedCustom { .. } => "assert_malformed_custom",
        D::Register { .. } => "register",
        D::Invoke(_) => "invoke",
        D::AssertTrap { .. } => "assert_trap",
        D::AssertReturn { .. } => "assert_return",
        D::AssertExhaustion { .. } => "assert_exhaustion",
        D::AssertUnlinkable { .. } => "assert_unlinkable",
        D::AssertException { .. } => "assert_exception",
        D::AssertSuspension { .. } => "assert_suspension",
        D::Thread(_) => "thread",
        D::Wait { .. } => "wait",
    }
}

/// Runs `jobs` on a few threads named `<prefix>-<n>`; a file that runs past the timeout is
/// reported as such and its thread abandoned (a fresh one takes its place). Results come in
/// the order of `jobs`.
pub fn run_parallel<R: Send + 'static>(
    prefix: &str,
    jobs: Vec<Job<R>>,
) -> Vec<(String, FileOutcome<R>)> {
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
    let (tx, rx) = mpsc::channel::<Message<R>>();
    let mut workers: Vec<Arc<AtomicBool>> = Vec::new();
    let spawn = |workers: &mut Vec<Arc<AtomicBool>>| {
        let id = workers.len();
        let abandoned = Arc::new(AtomicBool::new(false));
        workers.push(abandoned.clone());
        let (queue, tx) = (queue.clone(), tx.clone());
        std::thread::Builder::new()
            .name(format!("{prefix}-{id}"))
            // Generous, so that an engine recursing on the native stack is reported, not fatal.
            .stack_size(256 << 20)
            .spawn(move || worker(id, &abandoned, &queue, &tx))
            .expect("cannot spawn a test thread");
    };
    for _ in 0..threads.min(keys.len()) {
        spawn(&mut workers);
    }

    let mut results: Vec<Option<FileOutcome<R>>> = keys.iter().map(|_| None).collect();
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

enum Message<R> {
    Started {
        worker: usize,
        job: usize,
    },
    Done {
        worker: usize,
        job: usize,
        outcome: FileOutcome<R>,
    },
}

type Queue<R> = Mutex<VecDeque<(usize, Job<R>)>>;

fn worker<R>(id: usize, abandoned: &AtomicBool, queue: &Queue<R>, tx: &mpsc::Sender<Message<R>>) {
    while !abandoned.load(Ordering::Relaxed) {
        let Some((job, Job { run, .. })) = queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop_front()
        else {
            return;
        };
        if tx.send(Message::Started { worker: id, job }).is_err() {
            return;
        }
        let outcome = catch_unwind(AssertUnwindSafe(run))
            .unwrap_or_else(|_| Err("the runner panicked".to_string()));
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

/// The list of files known to fail, with reasons: `suite/file.wast  reason` per line.
pub struct KnownFailures {
    path: PathBuf,
    header: &'static str,
    entries: HashMap<String, String>,
}

/// Serializes rewrites of a list by suites running in parallel.
static LIST_LOCK: Mutex<()> = Mutex::new(());

impl KnownFailures {
    /// The list at `path` (empty if there is none); `header` starts a list written anew.
    pub fn load(path: impl Into<PathBuf>, header: &'static str) -> Self {
        let path = path.into();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let entries = text
            .lines()
            .filter_map(parse_line)
            .map(|(k, r)| (k.to_string(), r.to_string()))
            .collect();
        KnownFailures {
            path,
            header,
            entries,
        }
    }

    /// Why `key` is listed, if it is.
    pub fn reason(&self, key: &str) -> Option<&str> {
        self.entries.get(key).map(String::as_str)
    }

    /// The listed keys of `suite`.
    pub fn keys_of<'a>(&'a self, suite: &'a str) -> impl Iterator<Item = String> + 'a {
        self.entries
            .keys()
            .filter(move |k| k.split('/').next() == Some(suite))
            .cloned()
    }

    /// Replaces the entries of `suite` for the files that ran (all of its entries when the
    /// whole suite ran) with `failing`, keeping comments and other suites' lines in place.
    fn bless(&self, suite: &str, ran: &[&str], failing: &BTreeMap<String, String>, whole: bool) {
        let _guard = LIST_LOCK.lock().unwrap_or_else(PoisonError::into_inner);
        let text = std::fs::read_to_string(&self.path).unwrap_or_else(|_| self.header.to_string());
        let mut out = String::new();
        let mut kept: BTreeMap<String, String> = BTreeMap::new();
        let mut insert_at = None;
        for line in text.lines() {
            if let Some((key, reason)) = parse_line(line)
                && key.split('/').next() == Some(suite)
            {
                insert_at.get_or_insert(out.len());
                if !whole && !ran.contains(&key) {
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
        std::fs::write(&self.path, out).expect("cannot write the known-failures list");
    }

    /// Checks a suite's results against the list: panics listing every file that fails but
    /// is not listed, every listed file that passes, and (when the whole suite ran, i.e.
    /// `every_key` are all its files and no filter applied) every listed file the suite does
    /// not have. With `BLESS=1` it rewrites the suite's lines instead.
    pub fn check<R: FileReport>(
        &self,
        suite: &str,
        results: &[(String, FileOutcome<R>)],
        every_key: &[String],
        whole_suite: bool,
    ) {
        let failing = |outcome: &FileOutcome<R>| outcome.as_ref().map_or(true, |r| !r.is_success());
        if std::env::var_os("BLESS").is_some() {
            let failing: BTreeMap<String, String> = results
                .iter()
                .filter(|(_, outcome)| failing(outcome))
                .map(|(key, outcome)| {
                    let reason = self.reason(key).map_or_else(
                        || one_line(&outcome.as_ref().map_or_else(Clone::clone, R::reason)),
                        str::to_string,
                    );
                    (key.clone(), reason)
                })
                .collect();
            let ran: Vec<&str> = results.iter().map(|(k, _)| k.as_str()).collect();
            self.bless(suite, &ran, &failing, whole_suite);
            println!(
                "BLESS: rewrote the {suite} lines of {}",
                self.path.display()
            );
            return;
        }
        let mut problems = String::new();
        for (key, outcome) in results {
            match (failing(outcome), self.reason(key).is_some()) {
                (true, false) => {
                    let _ = writeln!(problems, "  {key}: fails but is not in the list");
                }
                (false, true) => {
                    let _ = writeln!(problems, "  {key}: passes now; remove it from the list");
                }
                _ => {}
            }
        }
        if whole_suite {
            for key in self.keys_of(suite).filter(|k| !every_key.contains(k)) {
                let _ = writeln!(problems, "  {key}: listed but not in the suite");
            }
        }
        assert!(
            problems.is_empty(),
            "{suite}: results differ from {} (BLESS=1 rewrites the list):\n{problems}",
            self.path.display()
        );
    }
}

/// `text` on one line, at most 160 characters.
fn one_line(text: &str) -> String {
    let one_line = text.replace(['\n', '\r', '\t'], " ");
    match one_line.char_indices().nth(160) {
        Some((cut, _)) => format!("{}...", &one_line[..cut]),
        None => one_line,
    }
}

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

/// How many failures of each failing file a summary shows (`WAST_VERBOSE=1`: all).
pub const FAILURES_SHOWN: usize = 5;

/// A suite's summary: each file's counts (marked `FAIL`, or `(known)` when `known` lists it),
/// the totals, the skips by reason, then the first failures of each failing file.
pub fn summary<R: FileReport>(
    suite: &str,
    results: &[(String, FileOutcome<R>)],
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
    let mut skips: BTreeMap<String, usize> = BTreeMap::new();
    for (key, outcome) in results {
        match outcome {
            Ok(r) => {
                let mark = match (r.is_success(), known.reason(key).is_some()) {
                    (true, _) => "",
                    (false, true) => "  (known)",
                    (false, false) => "  FAIL",
                };
                let (p, f, s) = r.counts();
                let _ = writeln!(out, "{key:width$}  {p:>7}  {f:>7}  {s:>7}{mark}");
                passed += p;
                failed += f;
                skipped += s;
                failing_files += usize::from(!r.is_success());
                for (reason, n) in r.skip_reasons() {
                    *skips.entry(reason).or_default() += n;
                }
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
    for (reason, n) in skips {
        let _ = writeln!(out, "  skipped {n}: {reason}");
    }
    for (key, outcome) in results {
        let Ok(r) = outcome else { continue };
        if r.is_success() {
            continue;
        }
        let failures = r.failure_lines();
        let _ = writeln!(out, "\n{key}: {} failures", r.counts().1);
        let shown = if verbose {
            failures.len()
        } else {
            FAILURES_SHOWN
        };
        for f in failures.iter().take(shown) {
            let _ = writeln!(out, "  {key}:{f}");
        }
        if failures.len() > shown {
            let _ = writeln!(
                out,
                "  ... and {} more (WAST_VERBOSE=1 shows all)",
                failures.len() - shown
            );
        }
    }
    out
}
