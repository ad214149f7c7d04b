//! Stopping a running guest: an interrupt flag per store, set by an [`InterruptHandle`] from any
//! thread or by the deadline watchdog, and polled by interruptible code at function entries and
//! loop heads.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock, PoisonError};
use std::time::Instant;

/// Set by [`InterruptHandle::interrupt`].
const REQUESTED: u32 = 1;
/// Set by the watchdog when a call's deadline passes.
const DEADLINE: u32 = 2;

/// A store's interrupt flag: non-zero asks the running guest to stop.
#[derive(Debug, Default)]
pub(crate) struct InterruptFlag(pub(crate) AtomicU32);

impl InterruptFlag {
    /// Whether a stop was asked for; consumes the request, as WasmEdge's stop token does.
    #[inline(always)]
    pub(crate) fn take(&self) -> bool {
        self.0.load(Ordering::Relaxed) != 0 && self.0.swap(0, Ordering::Relaxed) != 0
    }

    fn clear_deadline(&self) {
        self.0.fetch_and(!DEADLINE, Ordering::Relaxed);
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
        self.flag.0.fetch_or(REQUESTED, Ordering::Relaxed);
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
                entry.remove().0.fetch_or(DEADLINE, Ordering::Relaxed);
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
pub(crate) struct ArmedDeadline {
    key: (Instant, u64),
    flag: Arc<InterruptFlag>,
}

/// Raises `flag` at `at` unless the returned guard is dropped first.
pub(crate) fn arm(at: Instant, flag: &Arc<InterruptFlag>) -> ArmedDeadline {
    if at <= Instant::now() {
        flag.0.fetch_or(DEADLINE, Ordering::Relaxed);
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
