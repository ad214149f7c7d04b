//! Waiting: `poll_oneoff` and WasmEdge's `epoll_oneoff`.
//!
//! Both take `(in, out, nsubscriptions, *nevents)`: an array of 48-byte subscriptions
//! (`userdata` u64 @0, tag u8 @8; a clock subscription has its clock id u32 @16, timeout u64
//! @24, precision u64 @32 and flags u16 @40; an fd subscription its descriptor u32 @16) and room
//! for as many 32-byte events (`userdata` u64 @0, `error` u16 @8, `type` u8 @10, and for fd
//! events `nbytes` u64 @16 and `flags` u16 @24).
//!
//! The call blocks until at least one subscription is ready, then reports every ready one in
//! subscription order:
//!
//! * a clock subscription when its timeout has passed: relative, or with `subscription_clock_abstime`
//!   an absolute time on the subscription's clock. Any of the four clocks may be used; the wait
//!   itself is measured on the monotonic clock, so a timeout on a CPU-time clock is taken as
//!   that much elapsed time (WasmEdge's timer file descriptors refuse CPU-time clocks);
//! * an fd subscription when the host's `poll(2)` says the descriptor is readable or writable
//!   (or hung up: then the event carries `fd_readwrite_hangup`). Regular files are always
//!   ready. `nbytes` is the host's `FIONREAD` count for reads, and the send buffer size for a
//!   socket write (1 where the host does not say);
//! * a subscription that cannot be waited on (a bad descriptor, clock or tag, or missing
//!   rights) is ready at once with its error in the event.
//!
//! `epoll_oneoff` is WasmEdge's edge-triggered variant. Wedge keeps no registrations between
//! calls, so it is level-triggered like `poll_oneoff`: a guest that reads until `again` after
//! each edge (as edge-triggered code must) sees the same events, only possibly more often.
//!
//! With no subscriptions both return at once with no events, as WasmEdge does.
//!
//! Every WASI call that can block for long (these two, `fd_read`/`fd_write` on a pipe, a
//! terminal or a socket, and the socket calls that wait for a peer) waits here, through a
//! [`Waiter`]: when the store's running call can be stopped (a time limit, or an
//! `InterruptHandle` held by the embedder), the wait also watches the handle's wakeup
//! descriptor, and a stop ends it at once: the call fails with `TrapCode::Interrupted`, as an
//! interrupt of wasm code does. A wait that nothing can stop is a plain blocking call.

use crate::clock::Clock;
use crate::fd::{Descriptor, rights};
use crate::{Args, Errno, GuestMemory, Registrar, WasiCtx};
use rustix::event::{PollFd, PollFlags, Timespec};
use std::cell::Cell;
use std::os::fd::BorrowedFd;
use std::time::{Duration, Instant};
use wedge::InterruptHandle;
use wedge::ValType::I32;

const SUBSCRIPTION_SIZE: u32 = 48;
const EVENT_SIZE: u32 = 32;

/// `eventtype`.
const EVENTTYPE_CLOCK: u8 = 0;
const EVENTTYPE_FD_READ: u8 = 1;
const EVENTTYPE_FD_WRITE: u8 = 2;
/// `subclockflags::subscription_clock_abstime`.
const SUBCLOCK_ABSTIME: u16 = 1;
/// `eventrwflags::fd_readwrite_hangup`.
const EVENTRW_HANGUP: u16 = 1;

/// How long one wait lasts, at most, between checks of the interrupt flag when the OS gave
/// no wakeup descriptor.
const CHECK_INTERVAL: Duration = Duration::from_millis(10);

pub(crate) fn register<T: 'static>(r: &mut Registrar<'_, T>) -> Result<(), wedge::Error> {
    r.blocking("poll_oneoff", &[I32, I32, I32, I32], poll_oneoff)?;
    r.blocking("epoll_oneoff", &[I32, I32, I32, I32], poll_oneoff)?;
    Ok(())
}

/// How a host function waits on the OS: with the store's interrupt handle when its running
/// call can be stopped, so that a stop ends the wait.
pub(crate) struct Waiter {
    handle: Option<InterruptHandle>,
    interrupted: Cell<bool>,
}

impl Waiter {
    /// A waiter watching `handle` (from `Store::armed_interrupt_handle`); `None` waits plainly.
    pub(crate) fn new(handle: Option<InterruptHandle>) -> Waiter {
        Waiter {
            handle,
            interrupted: Cell::new(false),
        }
    }

    /// Whether anything can stop the running call (else waits are plain blocking calls).
    pub(crate) fn can_be_stopped(&self) -> bool {
        self.handle.is_some()
    }

    /// Whether a wait ended for a stop; the host function then fails with
    /// `TrapCode::Interrupted` whatever errno it returned. Consumes the stop.
    pub(crate) fn take_interrupt(&self) -> bool {
        if !self.interrupted.get() {
            return false;
        }
        if let Some(h) = &self.handle {
            h.take();
        }
        true
    }

    /// Returns once an operation for `events` on `fd` (a read, accept, write or send) would
    /// not block: `fd` is ready, non-blocking, or a regular file. `intr` when a stop came
    /// first. Without an interrupt handle it returns at once and the operation blocks itself.
    pub(crate) fn ready(&self, fd: BorrowedFd<'_>, events: PollFlags) -> Result<(), Errno> {
        if self.handle.is_none() {
            return Ok(());
        }
        if ready_now(fd, events) {
            return Ok(());
        }
        // A non-blocking descriptor reports `again` itself.
        if rustix::fs::fcntl_getfl(fd).is_ok_and(|f| f.contains(rustix::fs::OFlags::NONBLOCK)) {
            return Ok(());
        }
        self.poll(&mut vec![PollFd::from_borrowed_fd(fd, events)], None)
            .map(drop)
    }

    /// `poll(2)` on `fds` for at most `timeout` (`None`: until one is ready): how many are
    /// ready, 0 when the time is up; `intr` when a stop came first.
    pub(crate) fn poll<'a>(
        &'a self,
        fds: &mut Vec<PollFd<'a>>,
        timeout: Option<Duration>,
    ) -> Result<usize, Errno> {
        let Some(handle) = &self.handle else {
            return poll_os(fds, timeout);
        };
        let until = timeout.map(|t| Instant::now().checked_add(t));
        let wakeup = handle.wakeup_fd();
        if let Some(w) = wakeup {
            fds.push(PollFd::from_borrowed_fd(w, PollFlags::IN));
        }
        let result = loop {
            if handle.is_pending() {
                self.interrupted.set(true);
                break Err(Errno::Intr);
            }
            // `None`: no end; `Some(None)`: too far away to come.
            let left = until.map(|u| u.map(|u| u.saturating_duration_since(Instant::now())));
            let mut slice = left.flatten();
            if wakeup.is_none() {
                slice = Some(slice.map_or(CHECK_INTERVAL, |s| s.min(CHECK_INTERVAL)));
            }
            let ready = match poll_os(fds, slice) {
                Ok(n) => n,
                Err(e) => break Err(e),
            };
            let woken = wakeup.is_some() && fds.last().is_some_and(|w| !w.revents().is_empty());
            if woken {
                // A stop is checked above; without one the wakeup is stale.
                handle.clear_wakeup();
            }
            let ready = ready - usize::from(woken);
            if ready > 0 || left.flatten() == Some(Duration::ZERO) {
                break Ok(ready);
            }
            if let Some(Some(u)) = until
                && Instant::now() >= u
            {
                break Ok(0);
            }
        };
        if wakeup.is_some() {
            fds.pop();
        }
        result
    }
}

/// Whether an operation for `events` on `fd` would not block now: `poll(2)` says it is ready
/// (a regular file always is) or hung up, or the descriptor cannot be polled.
pub(crate) fn ready_now(fd: BorrowedFd<'_>, events: PollFlags) -> bool {
    let now = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    let mut fds = [PollFd::from_borrowed_fd(fd, events)];
    rustix::event::poll(&mut fds, Some(&now)).is_ok_and(|n| n > 0)
}

/// `poll(2)`, a signal counting as nothing ready.
fn poll_os(fds: &mut [PollFd<'_>], timeout: Option<Duration>) -> Result<usize, Errno> {
    let timeout = timeout.map(|d| Timespec {
        tv_sec: i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        tv_nsec: i64::from(d.subsec_nanos()),
    });
    match rustix::event::poll(fds, timeout.as_ref()) {
        Ok(n) => Ok(n),
        Err(rustix::io::Errno::INTR) => Ok(0),
        Err(e) => Err(Errno::from_raw_os(e.raw_os_error())),
    }
}

/// What one subscription waits for.
enum Wait {
    /// A time, `None` when it is too far away to ever come.
    Clock(Option<Instant>),
    /// An fd becoming readable (`write == false`) or writable.
    Fd { fd: u32, write: bool },
    /// Nothing: the subscription is ready at once with this error.
    Fail(Errno),
}

/// One subscription.
struct Subscription {
    userdata: u64,
    tag: u8,
    wait: Wait,
}

/// One event to report.
struct Event {
    userdata: u64,
    error: Errno,
    tag: u8,
    nbytes: u64,
    flags: u16,
}

impl Event {
    fn new(sub: &Subscription, error: Errno) -> Event {
        Event {
            userdata: sub.userdata,
            error,
            tag: sub.tag,
            nbytes: 0,
            flags: 0,
        }
    }
}

/// `poll_oneoff(in, out, nsubscriptions, *nevents)`.
fn poll_oneoff(
    ctx: &mut WasiCtx,
    mem: &mut GuestMemory<'_>,
    a: &Args<'_>,
    waiter: &Waiter,
) -> Result<(), Errno> {
    let (input, output, n, nevents) = (a.u32(0), a.u32(1), a.u32(2), a.u32(3));
    mem.slice(input, n.checked_mul(SUBSCRIPTION_SIZE).ok_or(Errno::Fault)?)?;
    mem.slice(output, n.checked_mul(EVENT_SIZE).ok_or(Errno::Fault)?)?;
    mem.slice(nevents, 4)?;
    let subs = (0..n)
        .map(|i| read_subscription(ctx, mem, input + i * SUBSCRIPTION_SIZE))
        .collect::<Result<Vec<_>, _>>()?;
    let events = if subs.is_empty() {
        Vec::new()
    } else {
        wait(ctx, &subs, waiter)?
    };
    for (i, e) in (0u32..).zip(&events) {
        let out = mem.slice_mut(output + i * EVENT_SIZE, EVENT_SIZE)?;
        out.fill(0);
        out[0..8].copy_from_slice(&e.userdata.to_le_bytes());
        out[8..10].copy_from_slice(&(e.error as u16).to_le_bytes());
        out[10] = e.tag;
        out[16..24].copy_from_slice(&e.nbytes.to_le_bytes());
        out[24..26].copy_from_slice(&e.flags.to_le_bytes());
    }
    mem.write(nevents, events.len() as u32)
}

/// Decodes the subscription at `at` (in bounds: checked by the caller).
fn read_subscription(ctx: &WasiCtx, mem: &GuestMemory<'_>, at: u32) -> Result<Subscription, Errno> {
    let userdata = mem.read::<u64>(at)?;
    let tag = mem.read::<u8>(at + 8)?;
    let wait = match tag {
        EVENTTYPE_CLOCK => {
            let id = mem.read::<u32>(at + 16)?;
            let timeout = mem.read::<u64>(at + 24)?;
            let flags = mem.read::<u16>(at + 40)?;
            match Clock::from_id(id) {
                Err(e) => Wait::Fail(e),
                Ok(_) if flags & !SUBCLOCK_ABSTIME != 0 => Wait::Fail(Errno::Inval),
                Ok(clock) => {
                    let after = if flags & SUBCLOCK_ABSTIME != 0 {
                        timeout.saturating_sub(clock.now())
                    } else {
                        timeout
                    };
                    Wait::Clock(Instant::now().checked_add(Duration::from_nanos(after)))
                }
            }
        }
        EVENTTYPE_FD_READ | EVENTTYPE_FD_WRITE => {
            let fd = mem.read::<u32>(at + 16)?;
            let write = tag == EVENTTYPE_FD_WRITE;
            match pollable(ctx, fd, write) {
                Ok(_) => Wait::Fd { fd, write },
                Err(e) => Wait::Fail(e),
            }
        }
        _ => Wait::Fail(Errno::Inval),
    };
    Ok(Subscription {
        userdata,
        tag,
        wait,
    })
}

/// The host descriptor to poll for guest descriptor `fd`: `badf` if there is none,
/// `notcapable` without the right to poll it (WasmEdge accepts `poll_fd_readwrite` or the
/// matching read/write right).
fn pollable(ctx: &WasiCtx, fd: u32, write: bool) -> Result<BorrowedFd<'_>, Errno> {
    let d = ctx.fds.get(&fd).ok_or(Errno::Badf)?;
    let io = if write {
        rights::FD_WRITE
    } else {
        rights::FD_READ
    };
    let base = d.rights().base;
    if base & (rights::POLL_FD_READWRITE | io) == 0 {
        return Err(Errno::Notcapable);
    }
    d.host_fd().ok_or(Errno::Badf)
}

/// Blocks until at least one of `subs` is ready and returns their events.
fn wait<'a>(
    ctx: &'a WasiCtx,
    subs: &[Subscription],
    waiter: &'a Waiter,
) -> Result<Vec<Event>, Errno> {
    let mut targets = Vec::new();
    let mut fds = Vec::new();
    for (i, sub) in subs.iter().enumerate() {
        if let Wait::Fd { fd, write } = sub.wait {
            let events = if write { PollFlags::OUT } else { PollFlags::IN };
            fds.push(PollFd::from_borrowed_fd(pollable(ctx, fd, write)?, events));
            targets.push(i);
        }
    }
    loop {
        let now = Instant::now();
        let mut events: Vec<Event> = Vec::new();
        let mut fd_events = targets.iter().zip(&fds).peekable();
        let mut soonest: Option<Duration> = None;
        for (i, sub) in subs.iter().enumerate() {
            match sub.wait {
                Wait::Fail(e) => events.push(Event::new(sub, e)),
                Wait::Clock(Some(at)) if at <= now => events.push(Event::new(sub, Errno::Success)),
                Wait::Clock(Some(at)) => {
                    let left = at - now;
                    soonest = Some(soonest.map_or(left, |s| s.min(left)));
                }
                Wait::Clock(None) => {}
                Wait::Fd { fd, write } => {
                    let Some((_, pfd)) = fd_events.next_if(|(t, _)| **t == i) else {
                        continue;
                    };
                    if let Some(e) = fd_event(ctx, sub, fd, write, pfd.revents()) {
                        events.push(e);
                    }
                }
            }
        }
        if !events.is_empty() {
            return Ok(events);
        }
        waiter.poll(&mut fds, soonest)?;
    }
}

/// The event of an fd subscription whose descriptor the host reported `revents` for, if it
/// is ready.
fn fd_event(
    ctx: &WasiCtx,
    sub: &Subscription,
    fd: u32,
    write: bool,
    revents: PollFlags,
) -> Option<Event> {
    if revents.contains(PollFlags::NVAL) {
        return Some(Event::new(sub, Errno::Badf));
    }
    let ready = if write { PollFlags::OUT } else { PollFlags::IN };
    if !revents.intersects(ready | PollFlags::HUP | PollFlags::ERR) {
        return None;
    }
    let mut event = Event::new(sub, Errno::Success);
    if revents.contains(PollFlags::HUP) {
        event.flags = EVENTRW_HANGUP;
    }
    let d = ctx.fds.get(&fd)?;
    let host = d.host_fd()?;
    event.nbytes = if write {
        match d {
            Descriptor::Socket(_) => {
                rustix::net::sockopt::socket_send_buffer_size(host).map_or(1, |n| n as u64)
            }
            _ => 1,
        }
    } else {
        rustix::io::ioctl_fionread(host).unwrap_or(1)
    };
    Some(event)
}
