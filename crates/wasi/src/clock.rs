//! Clocks: `clock_res_get` and `clock_time_get`.
//!
//! The four WASI clocks are the host's `CLOCK_REALTIME`, `CLOCK_MONOTONIC`,
//! `CLOCK_PROCESS_CPUTIME_ID` and `CLOCK_THREAD_CPUTIME_ID`, as in WasmEdge
//! (`lib/host/wasi/clock-linux.cpp`). The process CPU clock counts the whole host process,
//! every guest and the runtime included; the thread CPU clock counts the thread that runs the
//! guest. The `precision` argument of `clock_time_get` is accepted and ignored.

use crate::{Errno, Registrar};
use rustix::time::{ClockId, Timespec};
use wedge::ValType::{I32, I64};

/// A WASI clock.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub(crate) enum Clock {
    Realtime,
    Monotonic,
    ProcessCpu,
    ThreadCpu,
}

impl Clock {
    /// The clock numbered `id` (`clockid`: 0 to 3), or `Inval`.
    pub(crate) fn from_id(id: u32) -> Result<Clock, Errno> {
        Ok(match id {
            0 => Clock::Realtime,
            1 => Clock::Monotonic,
            2 => Clock::ProcessCpu,
            3 => Clock::ThreadCpu,
            _ => return Err(Errno::Inval),
        })
    }

    fn host(self) -> ClockId {
        match self {
            Clock::Realtime => ClockId::Realtime,
            Clock::Monotonic => ClockId::Monotonic,
            Clock::ProcessCpu => ClockId::ProcessCPUTime,
            Clock::ThreadCpu => ClockId::ThreadCPUTime,
        }
    }

    /// The clock's current value in nanoseconds.
    pub(crate) fn now(self) -> u64 {
        nanos(rustix::time::clock_gettime(self.host()))
    }

    /// The clock's resolution in nanoseconds.
    pub(crate) fn resolution(self) -> u64 {
        nanos(rustix::time::clock_getres(self.host())).max(1)
    }
}

/// A `timespec` as nanoseconds (saturating; times before the epoch read as 0).
fn nanos(t: Timespec) -> u64 {
    let secs = u64::try_from(t.tv_sec).unwrap_or(0);
    let nsecs = u64::try_from(t.tv_nsec).unwrap_or(0);
    secs.saturating_mul(1_000_000_000).saturating_add(nsecs)
}

pub(crate) fn register<T: 'static>(r: &mut Registrar<'_, T>) -> Result<(), wedge::Error> {
    // clock_res_get(id, *resolution)
    // As in WasmEdge, a bad pointer is reported before a bad clock id.
    r.func("clock_res_get", &[I32, I32], |_, mem, a| {
        mem.slice(a.u32(1), 8)?;
        let clock = Clock::from_id(a.u32(0))?;
        mem.write(a.u32(1), clock.resolution())
    })?;
    // clock_time_get(id, precision, *time)
    r.func("clock_time_get", &[I32, I64, I32], |_, mem, a| {
        mem.slice(a.u32(2), 8)?;
        let clock = Clock::from_id(a.u32(0))?;
        mem.write(a.u32(2), clock.now())
    })?;
    Ok(())
}
