//! Log lines in WasmEdge's shape: `[2024-05-01 12:00:00.123] [error] message`.
//!
//! WasmEdge logs through spdlog with that pattern (local time; Wedge writes UTC). WasmEdge's
//! sink is stdout for every level; Wedge writes info and below to stdout ("Validation
//! succeeded.") and warnings and errors to stderr, so that a failure never mixes with a
//! reactor call's results.

use std::fmt::Display;
use std::io::Write;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Severity, in spdlog's order.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Everything.
    Trace = 0,
    /// Debugging detail.
    Debug = 1,
    /// Progress messages ("Validation succeeded.").
    Info = 2,
    /// Something was ignored or changed.
    Warning = 3,
    /// A failure.
    Error = 4,
    /// A fatal failure.
    Critical = 5,
    /// Nothing is logged.
    Off = 6,
}

impl Level {
    fn name(self) -> &'static str {
        match self {
            Level::Trace => "trace",
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
            Level::Critical => "critical",
            Level::Off => "off",
        }
    }
}

static THRESHOLD: AtomicU8 = AtomicU8::new(Level::Info as u8);

/// Sets the threshold from a `--log-level` value; false if the value is not a level.
pub fn set_level(name: &str) -> bool {
    let level = match name {
        "off" => Level::Off,
        "trace" => Level::Trace,
        "debug" => Level::Debug,
        "info" => Level::Info,
        "warning" | "warn" => Level::Warning,
        "error" => Level::Error,
        "fatal" | "critical" => Level::Critical,
        _ => return false,
    };
    THRESHOLD.store(level as u8, Ordering::Relaxed);
    true
}

/// Sets the threshold back to the default, info: each run of a tool starts from it.
pub fn reset_level() {
    THRESHOLD.store(Level::Info as u8, Ordering::Relaxed);
}

/// Writes one log line at `level`, if the threshold lets it through.
pub fn log(level: Level, message: impl Display) {
    log_to(level, message, level >= Level::Warning);
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
        timestamp(SystemTime::now()),
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
    log(Level::Warning, message);
}

/// Logs at info level.
pub fn info(message: impl Display) {
    log(Level::Info, message);
}

/// `YYYY-MM-DD HH:MM:SS.mmm` in UTC.
fn timestamp(t: SystemTime) -> String {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, day) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{day:02} {:02}:{:02}:{:02}.{:03}",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        d.subsec_millis()
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn timestamps_are_calendar_dates_in_utc() {
        assert_eq!(timestamp(UNIX_EPOCH), "1970-01-01 00:00:00.000");
        // 2024-02-29 23:59:58.5 UTC, a leap day.
        let t = UNIX_EPOCH + Duration::from_millis(1_709_251_198_500);
        assert_eq!(timestamp(t), "2024-02-29 23:59:58.500");
    }

    #[test]
    fn level_names_follow_wasmedge() {
        assert!(set_level("warn") && set_level("fatal") && set_level("info"));
        assert!(!set_level("loud"));
    }
}
