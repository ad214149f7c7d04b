//! Log lines, as WasmEdge's GGML backend writes them (to stderr):
//! - errors, always: `[WASI-NN] GGML backend: <message>`;
//! - information, with `enable-log`: the same prefix, and llama.cpp's own log as
//!   `[WASI-NN] llama.cpp: <text>`;
//! - debug lines, with `enable-debug-log`: `[WASI-NN][Debug] GGML backend: <message>`.
//!
//! The switches are the process's: the last graph loaded (or metadata set) decides, as in
//! WasmEdge, whose log callback is global. llama.cpp's log reaches here through `llama-cpp-2`,
//! which turns it into `tracing` events; [`Forward`] is the process's (this library's)
//! subscriber, printing them when `enable-log` is on and dropping them otherwise.

use std::sync::atomic::{AtomicBool, Ordering};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Event, Metadata, Subscriber};

static INFO: AtomicBool = AtomicBool::new(false);
static DEBUG: AtomicBool = AtomicBool::new(false);

/// Sets the switches (`enable-log`, `enable-debug-log`).
pub fn set_enabled(info: bool, debug: bool) {
    INFO.store(info, Ordering::Relaxed);
    DEBUG.store(debug, Ordering::Relaxed);
}

/// An error line (always written).
pub fn log_error(message: &str) {
    eprintln!("[WASI-NN] GGML backend: {message}");
}

/// An information line (with `enable-log`).
pub fn log_info(message: &str) {
    if INFO.load(Ordering::Relaxed) {
        eprintln!("[WASI-NN] GGML backend: {message}");
    }
}

/// A debug line (with `enable-debug-log`).
pub fn log_debug(message: &str) {
    if DEBUG.load(Ordering::Relaxed) {
        eprintln!("[WASI-NN][Debug] GGML backend: {message}");
    }
}

/// Routes llama.cpp's log through [`Forward`]; once per process, before the backend starts.
pub fn init() {
    // Another subscriber may already be the default (a host that set one): keep it.
    let _ = tracing::subscriber::set_global_default(Forward);
    llama_cpp_2::send_logs_to_tracing(llama_cpp_2::LogOptions::default());
}

/// The subscriber: every event of llama.cpp (and of `llama-cpp-2`) becomes one line when
/// `enable-log` is on. It keeps no spans.
struct Forward;

/// The `message` field of an event (llama.cpp's text).
struct Message(String);

impl Visit for Message {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            value.clone_into(&mut self.0);
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }
}

impl Subscriber for Forward {
    // Asked again at every event: `enable-log` can change at any time.
    fn register_callsite(&self, _: &'static Metadata<'static>) -> Interest {
        Interest::sometimes()
    }

    fn enabled(&self, _: &Metadata<'_>) -> bool {
        INFO.load(Ordering::Relaxed)
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut m = Message(String::new());
        event.record(&mut m);
        let text = m.0.trim_end();
        // llama.cpp prints progress dots on lines of their own.
        if !text.is_empty() && text != "." {
            eprintln!("[WASI-NN] llama.cpp: {text}");
        }
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}
