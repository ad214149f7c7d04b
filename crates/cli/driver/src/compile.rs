//! `wedge compile [OPTIONS] IN OUT`: ahead-of-time compilation.
//!
//! OUT ending in `.so` is a shared library: the native code in its text and IN as data,
//! linked by the system's C compiler driver (`$CC` or `cc`); `wedge run OUT.so` opens it with
//! the system loader. Any other OUT is a *universal wasm*: IN followed by a custom section with the native code for this
//! machine (see `wedge::aot`), which `wedge run` uses (default mode or `--run-mode aot`) when
//! it was made for the running CPU and settings, and which every other runtime runs as the
//! plain module it also is. With `--generic-binary` the code uses only the architecture's
//! baseline CPU features. Statistics flags must match between compile and run, as in WasmEdge.

use crate::args::Args;
use crate::{FAILURE, SUCCESS, errcode, load, log};
use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use wedge::{Engine, OptLevel};

/// Runs `wedge compile`; returns the exit status.
pub fn compile(args: &Args) -> i32 {
    let Some(input) = crate::require_file(args) else {
        return FAILURE;
    };
    let Some(output) = args.rest.first() else {
        eprintln!(
            "missing output: `{} [OPTIONS] IN OUT`; see --help.",
            args.invocation
        );
        return FAILURE;
    };
    if args.rest.len() > 1 {
        eprintln!(
            "too many arguments: `{} [OPTIONS] IN OUT`; see --help.",
            args.invocation
        );
        return FAILURE;
    }
    let mut config = load::config(args);
    args.metering.configure(&mut config);
    config.opt_level(match args.optimize.as_deref() {
        Some("0") => OptLevel::None,
        Some("s" | "z") => OptLevel::SpeedAndSize,
        _ => OptLevel::Speed,
    });
    config.generic_cpu(args.generic_binary);
    config.interruptible(args.interruptible);
    let engine = Engine::new(&config);
    let Some(bytes) = load::read(input) else {
        return FAILURE;
    };
    // Validate first, with the messages `validate` and `run` give.
    if let Err(e) = wedge::Module::validate(&engine, &bytes) {
        load::log_module_error(&e, &bytes, input);
        return FAILURE;
    }
    log::info("compile start");
    let started = Instant::now();
    let progress = Progress::new();
    let report = |done, total| progress.update(done, total);
    let result = if output.ends_with(".so") {
        engine
            .precompile_shared_library(&bytes, std::path::Path::new(output), &report)
            .map(Ok)
    } else {
        engine.precompile(&bytes, &report).map(|universal| {
            std::fs::write(output, &universal)
                .map_err(|e| log::error(format_args!("cannot write {output}: {e}")))
        })
    };
    progress.finish();
    match result {
        Ok(Ok(())) => {}
        Ok(Err(())) => return FAILURE,
        Err(e) => {
            errcode::log_error(&e);
            return FAILURE;
        }
    }
    log::info(format_args!(
        "compile done: {output} ({:.2} s)",
        started.elapsed().as_secs_f64()
    ));
    SUCCESS
}

/// A progress line on a terminal (stderr) for compiles that take more than a moment.
/// It appears after half a second (`WEDGE_PROGRESS_AFTER_MS` sets another delay).
struct Progress {
    on: bool,
    started: Instant,
    delay: Duration,
    last: Mutex<Option<Instant>>,
}

impl Progress {
    fn new() -> Progress {
        let delay = std::env::var("WEDGE_PROGRESS_AFTER_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .map_or(Duration::from_millis(500), Duration::from_millis);
        Progress {
            on: std::io::stderr().is_terminal(),
            started: Instant::now(),
            delay,
            last: Mutex::new(None),
        }
    }

    fn update(&self, done: u32, total: u32) {
        if !self.on || self.started.elapsed() < self.delay {
            return;
        }
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if last.is_some_and(|t| t.elapsed() < Duration::from_millis(100)) && done < total {
            return;
        }
        *last = Some(Instant::now());
        let pct = u64::from(done) * 100 / u64::from(total.max(1));
        let _ = write!(
            std::io::stderr(),
            "\r[compile] {done}/{total} functions ({pct}%), {:.1} s",
            self.started.elapsed().as_secs_f64()
        );
    }

    fn finish(&self) {
        let shown = self
            .last
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .is_some();
        if shown {
            let _ = writeln!(std::io::stderr());
        }
    }
}
