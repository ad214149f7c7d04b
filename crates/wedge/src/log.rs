//! WasmEdge's log levels and the shape of its log lines (spdlog's pattern
//! `[%Y-%m-%d %H:%M:%S.%e] [%l] message`), shared by the C API's log, the `wedge` command and
//! WASI's `wasi:logging/logging`.

use std::time::{SystemTime, UNIX_EPOCH};

/// A severity, with spdlog's (and `WasmEdge_LogLevel`'s) numbering.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Level {
    /// 0: everything.
    Trace = 0,
    /// 1: debugging detail.
    Debug = 1,
    /// 2: progress ("Validation succeeded.").
    Info = 2,
    /// 3: something was ignored or changed.
    Warn = 3,
    /// 4: a failure.
    Error = 4,
    /// 5: a fatal failure.
    Critical = 5,
}

impl Level {
    /// The level numbered `n`, if there is one.
    #[must_use]
    pub fn from_u32(n: u32) -> Option<Level> {
        Some(match n {
            0 => Level::Trace,
            1 => Level::Debug,
            2 => Level::Info,
            3 => Level::Warn,
            4 => Level::Error,
            5 => Level::Critical,
            _ => return None,
        })
    }

    /// spdlog's name for the level, as a log line shows it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Level::Trace => "trace",
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warn => "warning",
            Level::Error => "error",
            Level::Critical => "critical",
        }
    }

    /// spdlog's colour for the level name on a terminal (ANSI escapes; `\x1b[m` resets).
    #[must_use]
    pub fn color(self) -> &'static str {
        match self {
            Level::Trace => "\x1b[37m",
            Level::Debug => "\x1b[36m",
            Level::Info => "\x1b[32m",
            Level::Warn => "\x1b[33m\x1b[1m",
            Level::Error => "\x1b[31m\x1b[1m",
            Level::Critical => "\x1b[1m\x1b[41m",
        }
    }
}

/// A log line's time, `YYYY-MM-DD HH:MM:SS.mmm`, in UTC (WasmEdge writes local time).
#[must_use]
pub fn timestamp(t: SystemTime) -> String {
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
    fn levels_number_and_name_as_spdlog() {
        for n in 0..6 {
            assert_eq!(Level::from_u32(n).map(|l| l as u32), Some(n));
        }
        assert_eq!(Level::from_u32(6), None);
        assert_eq!(Level::Warn.name(), "warning");
    }
}
