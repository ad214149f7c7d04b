//! Log lines in WasmEdge's shape: `[2024-05-01 12:00:00.123] [error] message`.
//!
//! WasmEdge logs through spdlog with that pattern (local time; Wedge writes UTC). WasmEdge's
//! sink is stdout for every level; Wedge writes info and below to stdout ("Validation
//! succeeded.") and warnings and errors to stderr, so that a failure never mixes with a
//! reactor call's results.

use std::fmt::Display;
use std::io::Write;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::SystemTime;

pub use wedge::log::Level;

/// The threshold that lets nothing through (`--log-level off`).
const OFF: u8 = 6;

static THRESHOLD: AtomicU8 = AtomicU8::new(Level::Info as u8);

/// Sets the threshold from a `--log-level` value; false if the value is not a level.
pub fn set_level(name: &str) -> bool {
    let level = match name {
        "off" => OFF,
        "trace" => Level::Trace as u8,
        "debug" => Level::Debug as u8,
        "info" => Level::Info as u8,
        "warning" | "warn" => Level::Warn as u8,
        "error" => Level::Error as u8,
        "fatal" | "critical" => Level::Critical as u8,
        _ => return false,
    };
    THRESHOLD.store(level, Ordering::Relaxed);
    true
}

/// Sets the threshold back to the default, info: each run of a tool starts from it.
pub fn reset_level() {
    THRESHOLD.store(Level::Info as u8, Ordering::Relaxed);
}

/// Writes one log line at `level`, if the threshold lets it through.
pub fn log(level: Level, message: impl Display) {
    log_to(level, message, level >= Level::Warn);
}

/// Logs at info level on stderr: for reports that must not mix with a guest's output
/// (the statistics summary).
pub fn info_to_stderr(message: impl Display) {
    log_to(Level::Info, message, true);
}

fn log_to(level: Level, message: impl Display, stderr: bool) {
    if (level as u8) < THRESHOLD.load(Ordering::Relaxed) {
        return;
    }
    let line = format!(
        "[{}] [{}] {message}\n",
        wedge::log::timestamp(SystemTime::now()),
        level.name()
    );
    // A closed stream leaves nowhere to report to.
    let _ = if !stderr {
        std::io::stdout().lock().write_all(line.as_bytes())
    } else {
        std::io::stderr().lock().write_all(line.as_bytes())
    };
}

/// Logs at error level.
pub fn error(message: impl Display) {
    log(Level::Error, message);
}

/// Logs at warning level.
pub fn warn(message: impl Display) {
    log(Level::Warn, message);
}

/// Logs at info level.
pub fn info(message: impl Display) {
    log(Level::Info, message);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_names_follow_wasmedge() {
        assert!(set_level("warn") && set_level("fatal") && set_level("info"));
        assert!(!set_level("loud"));
    }
}
