//! Stopping a running guest: an interrupt flag per store, set by an [`InterruptHandle`] from any
//! thread or by the deadline watchdog, and polled by interruptible code at function entries and
//! loop heads. Host functions that block in the OS wait on the flag's wakeup descriptor too, so
//! a stop also ends a guest's sleep, read or accept.

use crate::vm::sys::Wakeup;
use std::collections::BTreeMap;
use std::os::fd::BorrowedFd;
use std::sync::atomic::{AtomicU32, Ordering, fence};
use std::sync::{Arc, Condvar, Mutex, OnceLock, PoisonError};
use std::time::Instant;

/// Set by [`InterruptHandle::interrupt`].
const REQUESTED: u32 = 1;
/// Set by the watchdog when a call's deadline passes.
const DEADLINE: u32 = 2;

/// A store's interrupt flag: non-zero asks the running guest to stop.
#[derive(Debug, Default)]
pub(crate) struct InterruptFlag {
    /// The flag; compiled code reads it through `VMRuntimeLimits::interrupt`.
    pub(crate) bits: AtomicU32,
    /// Signalled whenever the flag is raised, for host functions blocked in `poll(2)`. Made
    /// when a host function first waits (`None` if the OS would not give one).
    wakeup: OnceLock<Option<Wakeup>>,
}

impl InterruptFlag {
    /// Whether a stop was asked for; consumes the request, as WasmEdge's stop token does.
    #[inline(always)]
    pub(crate) fn take(&self) -> bool {
        self.bits.load(Ordering::Relaxed) != 0 && self.bits.swap(0, Ordering::Relaxed) != 0
    }

    fn clear_deadline(&self) {
        self.bits.fetch_and(!DEADLINE, Ordering::Relaxed);
    }

    /// Sets `bit` and wakes a host function waiting on the wakeup descriptor.
    fn raise(&self, bit: u32) {
        self.bits.fetch_or(bit, Ordering::SeqCst);
        // Pairs with the fence in `wakeup`: either the waiter sees the bit when it checks after
        // making the descriptor, or this sees the descriptor and signals it.
        fence(Ordering::SeqCst);
        if let Some(Some(w)) = self.wakeup.get() {
            w.signal();
        }
    }

    fn wakeup(&self) -> Option<&Wakeup> {
        let w = self.wakeup.get_or_init(|| Wakeup::new().ok()).as_ref();
        fence(Ordering::SeqCst);
        w
    }
}

/// Stops the guest running in a store, from any thread.
///
/// The guest stops with [`TrapCode::Interrupted`](crate::TrapCode::Interrupted) at its next
/// function entry or loop iteration, which needs [`Config::interruptible`](crate::Config::interruptible).
/// A request made while nothing runs stops the next call at its start (WasmEdge's stop token
/// behaves the same way).
///
/// ```
/// # use wedge::{Config, Engine, Instance, Module, Store, TrapCode};
/// let mut config = Config::new();
/// config.interruptible(true);
/// let engine = Engine::new(&config);
/// let wasm = wat::parse_str(r#"(module (func (export "spin") (loop br 0)))"#).unwrap();
/// let module = Module::new(&engine, &wasm).unwrap();
/// let mut store = Store::new(&engine, ());
/// let spin = Instance::new(&mut store, &module, &[]).unwrap().get_func(&store, "spin").unwrap();
/// let handle = store.interrupt_handle();
/// std::thread::spawn(move || {
///     std::thread::sleep(std::time::Duration::from_millis(10));
///     handle.interrupt();
/// });
/// let err = spin.call(&mut store, &[], &mut []).unwrap_err();
/// assert_eq!(err.trap_code(), Some(TrapCode::Interrupted));
/// ```
#[derive(Clone, Debug)]
pub struct InterruptHandle {
    pub(crate) flag: Arc<InterruptFlag>,
}

impl InterruptHandle {
    /// Asks the store's running (or next) call to stop.
    pub fn interrupt(&self) {
        self.flag.raise(REQUESTED);
    }

    /// Whether a stop was asked for (by [`InterruptHandle::interrupt`] or a deadline) that the
    /// guest has not stopped for yet.
    pub fn is_pending(&self) -> bool {
        self.flag.bits.load(Ordering::SeqCst) != 0
    }

    /// Consumes a pending stop, as running code does when it stops for one; true if there was
    /// one. A host function that gives up a blocking wait for a stop calls this, then fails
    /// with [`TrapCode::Interrupted`](crate::TrapCode::Interrupted) so the guest stops.
    pub fn take(&self) -> bool {
        let taken = self.flag.bits.swap(0, Ordering::SeqCst) != 0;
        self.clear_wakeup();
        taken
    }

    /// For a host function that blocks in the OS: a descriptor that polls readable once a stop
    /// is asked for, to wait on together with the host's own descriptors. `None` when the OS
    /// gives no descriptor; then wait in short slices and check [`is_pending`] between them.
    ///
    /// Get the descriptor first, then check [`is_pending`] before each wait: a stop asked for
    /// after that check always wakes the wait. A wakeup with no stop pending is stale (a stop
    /// already taken); [`clear_wakeup`] it and wait again.
    ///
    /// [`is_pending`]: InterruptHandle::is_pending
    /// [`clear_wakeup`]: InterruptHandle::clear_wakeup
    pub fn wakeup_fd(&self) -> Option<BorrowedFd<'_>> {
        self.flag.wakeup().map(Wakeup::as_fd)
    }

    /// Makes the wakeup descriptor unreadable until the next stop is asked for.
    pub fn clear_wakeup(&self) {
        if let Some(Some(w)) = self.flag.wakeup.get() {
            w.clear();
        }
    }
}

/// One thread for the whole process that raises interrupt flags when deadlines pass.
struct Watchdog {
    deadlines: Mutex<Deadlines>,
    wake: Condvar,
}

#[derive(Default)]
struct Deadlines {
    next_id: u64,
    /// Pending deadlines, earliest first.
    pending: BTreeMap<(Instant, u64), Arc<InterruptFlag>>,
}

fn watchdog() -> &'static Watchdog {
    static WATCHDOG: OnceLock<&'static Watchdog> = OnceLock::new();
    WATCHDOG.get_or_init(|| {
        let w: &'static Watchdog = Box::leak(Box::new(Watchdog {
            deadlines: Mutex::default(),
            wake: Condvar::new(),
        }));
        // If the thread cannot be started, deadlines are never raised; calls run to the end.
        let _ = std::thread::Builder::new()
            .name("wedge-deadlines".into())
            .spawn(move || w.run());
        w
    })
}

impl Watchdog {
    fn run(&self) {
        let mut d = self
            .deadlines
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        loop {
            let now = Instant::now();
            while let Some(entry) = d.pending.first_entry() {
                if entry.key().0 > now {
                    break;
                }
                entry.remove().raise(DEADLINE);
            }
            d = match d.pending.keys().next() {
                None => self.wake.wait(d).unwrap_or_else(PoisonError::into_inner),
                Some(&(at, _)) => {
                    let wait = at.saturating_duration_since(now);
                    self.wake
                        .wait_timeout(d, wait)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
            };
        }
    }
}

/// A deadline being watched; dropping it stops watching and withdraws an interrupt the
/// deadline raised, so it cannot leak into a later call.
#[derive(Debug)]
pub(crate) struct ArmedDeadline {
    key: (Instant, u64),
    flag: Arc<InterruptFlag>,
}

/// Raises `flag` at `at` unless the returned guard is dropped first.
pub(crate) fn arm(at: Instant, flag: &Arc<InterruptFlag>) -> ArmedDeadline {
    if at <= Instant::now() {
        flag.raise(DEADLINE);
    }
    let w = watchdog();
    let mut d = w.deadlines.lock().unwrap_or_else(PoisonError::into_inner);
    let key = (at, d.next_id);
    d.next_id += 1;
    let earliest = d.pending.keys().next().is_none_or(|&k| key < k);
    d.pending.insert(key, flag.clone());
    if earliest {
        w.wake.notify_one();
    }
    ArmedDeadline {
        key,
        flag: flag.clone(),
    }
}

impl Drop for ArmedDeadline {
    fn drop(&mut self) {
        let w = watchdog();
        let mut d = w.deadlines.lock().unwrap_or_else(PoisonError::into_inner);
        d.pending.remove(&self.key);
        // The watchdog raises flags only while holding the lock, so none is raised after this.
        self.flag.clear_deadline();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    use std::time::Duration;

    /// Whether `fd` polls readable within `ms` milliseconds.
    fn readable_within(fd: BorrowedFd<'_>, ms: i64) -> bool {
        let mut fds = [PollFd::from_borrowed_fd(fd, PollFlags::IN)];
        let timeout = Timespec {
            tv_sec: ms / 1000,
            tv_nsec: ms % 1000 * 1_000_000,
        };
        poll(&mut fds, Some(&timeout)).is_ok_and(|n| n == 1)
    }

    #[test]
    fn a_stop_wakes_the_descriptor_until_it_is_taken() {
        let handle = InterruptHandle {
            flag: Arc::default(),
        };
        let fd = handle
            .wakeup_fd()
            .expect("the OS gives a wakeup descriptor");
        assert!(!handle.is_pending() && !readable_within(fd, 0));
        handle.interrupt();
        assert!(handle.is_pending() && readable_within(fd, 0));
        assert!(handle.take());
        assert!(!handle.is_pending() && !readable_within(fd, 0));
        assert!(!handle.take(), "nothing left to take");
    }

    #[test]
    fn a_deadline_wakes_the_descriptor_when_it_passes_and_disarming_withdraws_it() {
        let handle = InterruptHandle {
            flag: Arc::default(),
        };
        let fd = handle
            .wakeup_fd()
            .expect("the OS gives a wakeup descriptor");
        let armed = arm(Instant::now() + Duration::from_millis(20), &handle.flag);
        assert!(readable_within(fd, 5_000), "woken by the deadline");
        assert!(handle.is_pending());
        drop(armed);
        assert!(!handle.is_pending(), "a passed deadline is withdrawn");
        // The wakeup left behind is stale; clearing it makes the descriptor quiet again.
        handle.clear_wakeup();
        assert!(!readable_within(fd, 0));
    }

    #[test]
    fn a_stop_from_another_thread_wakes_a_waiter_that_checked_first() {
        let handle = InterruptHandle {
            flag: Arc::default(),
        };
        let fd = handle
            .wakeup_fd()
            .expect("the OS gives a wakeup descriptor");
        assert!(!handle.is_pending());
        let other = handle.clone();
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            other.interrupt();
        });
        assert!(readable_within(fd, 5_000));
        assert!(handle.is_pending());
        t.join().unwrap();
    }
}
