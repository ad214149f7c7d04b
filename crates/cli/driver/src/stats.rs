//! Metering flags of `wedge run`, as WasmEdge's: `--gas-limit`, `--time-limit`,
//! `--enable-instruction-count`, `--enable-gas-measuring`, `--enable-time-measuring` and
//! `--enable-all-statistics`, and the statistics summary after each call.
//!
//! * `--gas-limit N`: a list of integers, the last one wins, cast to u32 (so `-1` is
//!   4294967295); it turns gas measuring on. Each operator costs 1.
//! * `--time-limit MS`: a deadline MS milliseconds after the run starts, for every call the
//!   run makes; 0 means none. A guest that passes it stops with "execution interrupted", also
//!   while it waits in a WASI call (a sleep, a read from a pipe, `sock_accept`, `sock_recv`):
//!   the limit bounds the run's wall time, which WasmEdge's does not.
//! * Running out of gas or time exits with 134, as any other trap.
//! * After each call (`_start`, `_initialize`, the reactor function), the summary WasmEdge's
//!   statistics log, at info level: on stderr here, so it never mixes with the guest's output.

use crate::args::UsageError;
use crate::log;
use std::time::{Duration, Instant};
use wedge::{Config, Store, TrapCode};

/// One metering flag.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Flag {
    /// `--gas-limit N`.
    GasLimit,
    /// `--time-limit MS`.
    TimeLimit,
    /// `--enable-instruction-count`.
    InstructionCount,
    /// `--enable-gas-measuring`.
    GasMeasuring,
    /// `--enable-time-measuring`.
    TimeMeasuring,
    /// `--enable-all-statistics`.
    AllStatistics,
}

impl Flag {
    /// The flag an option name (without dashes) names.
    pub fn from_name(name: &str) -> Option<Flag> {
        Some(match name {
            "gas-limit" => Flag::GasLimit,
            "time-limit" => Flag::TimeLimit,
            "enable-instruction-count" => Flag::InstructionCount,
            "enable-gas-measuring" => Flag::GasMeasuring,
            "enable-time-measuring" => Flag::TimeMeasuring,
            "enable-all-statistics" => Flag::AllStatistics,
            _ => return None,
        })
    }

    /// Whether the flag takes a value.
    pub fn takes_value(self) -> bool {
        matches!(self, Flag::GasLimit | Flag::TimeLimit)
    }
}

/// The metering flags given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Metering {
    /// `--enable-instruction-count` (or all statistics).
    pub count: bool,
    /// `--enable-gas-measuring`, all statistics, or a gas limit.
    pub gas: bool,
    /// `--enable-time-measuring` (or all statistics).
    pub time: bool,
    /// `--gas-limit`, the last one, as WasmEdge casts it.
    pub gas_limit: Option<u32>,
    /// `--time-limit` in milliseconds; 0 is none.
    pub time_limit_ms: u64,
}

impl Metering {
    /// Records flag `flag` with its value.
    pub fn apply(&mut self, flag: Flag, value: Option<&str>) -> Result<(), UsageError> {
        let value = value.unwrap_or_default();
        match flag {
            Flag::GasLimit => {
                // WasmEdge reads an `int` and casts it to u32.
                self.gas_limit = Some(parse_int(value)? as u32);
                self.gas = true;
            }
            Flag::TimeLimit => {
                if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(UsageError(format!("invalid integer value: {value}")));
                }
                self.time_limit_ms = value
                    .parse()
                    .map_err(|_| UsageError(format!("integer value out of range: {value}")))?;
            }
            Flag::InstructionCount => self.count = true,
            Flag::GasMeasuring => self.gas = true,
            Flag::TimeMeasuring => self.time = true,
            Flag::AllStatistics => {
                self.count = true;
                self.gas = true;
                self.time = true;
            }
        }
        Ok(())
    }

    /// Whether any statistic is measured (then a summary follows each call).
    pub fn any_statistics(&self) -> bool {
        self.count || self.gas || self.time
    }

    /// Switches the engine's metering on as the flags ask.
    pub fn configure(&self, config: &mut Config) {
        config
            .count_instructions(self.count)
            .measure_cost(self.gas)
            .measure_time(self.time)
            .interruptible(self.time_limit_ms > 0);
        if let Some(limit) = self.gas_limit {
            config.cost_limit(u64::from(limit));
        }
    }

    /// The deadline of a run starting now, if there is a time limit.
    pub fn deadline(&self) -> Option<Instant> {
        (self.time_limit_ms > 0).then(|| Instant::now() + Duration::from_millis(self.time_limit_ms))
    }

    /// Logs WasmEdge's statistics summary for `store`, if any statistic is measured.
    pub fn report<T>(&self, store: &Store<T>) {
        if !self.any_statistics() {
            return;
        }
        let s = store.statistics();
        let line = |m: std::fmt::Arguments<'_>| log::info_to_stderr(m);
        line(format_args!(
            "====================  Statistics  ===================="
        ));
        if self.time {
            line(format_args!(
                " Total execution time: {} ns",
                s.total_time().as_nanos()
            ));
            line(format_args!(
                " Wasm instructions execution time: {} ns",
                s.wasm_time.as_nanos()
            ));
            line(format_args!(
                " Host functions execution time: {} ns",
                s.host_time.as_nanos()
            ));
        }
        if self.count {
            line(format_args!(
                " Executed wasm instructions count: {}",
                s.instr_count
            ));
        }
        if self.gas {
            line(format_args!(" Gas costs: {}", s.total_cost));
        }
        if self.count && self.time {
            let ips = s.instr_per_second();
            // WasmEdge prints the largest u64 when there was no wasm time to divide by.
            let ips = if ips.is_nan() { u64::MAX } else { ips as u64 };
            line(format_args!(" Instructions per second: {ips}"));
        }
        line(format_args!(
            "=======================   End   ======================"
        ));
    }
}

/// Logs what WasmEdge logs first when the gas runs out.
pub fn log_limit(err: &wedge::Error) {
    if err.trap_code() == Some(TrapCode::CostLimitExceeded) {
        log::error("Cost exceeded limit. Force terminate the execution.");
    }
}

/// Parses an `int` option value strictly, as WasmEdge does.
fn parse_int(v: &str) -> Result<i32, UsageError> {
    let digits = v.strip_prefix(['+', '-']).unwrap_or(v);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(UsageError(format!("invalid integer value: {v}")));
    }
    v.parse::<i32>()
        .map_err(|_| UsageError(format!("integer value out of range: {v}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gas_limit_is_cast_to_u32_and_the_last_one_wins() {
        let mut m = Metering::default();
        m.apply(Flag::GasLimit, Some("10")).unwrap();
        m.apply(Flag::GasLimit, Some("-1")).unwrap();
        assert_eq!(m.gas_limit, Some(u32::MAX));
        assert!(
            m.gas && !m.count && !m.time,
            "a gas limit turns gas measuring on"
        );
        assert!(m.apply(Flag::GasLimit, Some("12x")).is_err());
        assert!(m.apply(Flag::GasLimit, Some("99999999999")).is_err());
    }

    #[test]
    fn time_limit_zero_is_no_limit() {
        let mut m = Metering::default();
        m.apply(Flag::TimeLimit, Some("0")).unwrap();
        assert_eq!(m.deadline(), None);
        m.apply(Flag::TimeLimit, Some("250")).unwrap();
        assert!(m.deadline().is_some());
        assert!(m.apply(Flag::TimeLimit, Some("-5")).is_err());
    }

    #[test]
    fn the_run_command_line_takes_the_flags_until_the_file() {
        let words: Vec<String> =
            "--gas-limit 5 --gas-limit=7 --enable-time-measuring --time-limit=30 x.wasm \
             --enable-all-statistics"
                .split_whitespace()
                .map(String::from)
                .collect();
        let a = crate::args::parse(None, &words, &[]).unwrap();
        assert_eq!(a.metering.gas_limit, Some(7));
        assert_eq!(a.metering.time_limit_ms, 30);
        assert!(a.metering.gas && a.metering.time && !a.metering.count);
        assert_eq!(a.rest, ["--enable-all-statistics"]);
        assert!(a.unsupported.is_empty());
        assert!(
            crate::args::parse(None, &["validate".into(), "--gas-limit=1".into()], &[]).is_err()
        );
    }

    #[test]
    fn all_statistics_turns_every_measure_on() {
        let mut m = Metering::default();
        assert!(!m.any_statistics());
        m.apply(Flag::AllStatistics, None).unwrap();
        assert!(m.count && m.gas && m.time);
        assert_eq!(m.gas_limit, None);
    }
}
