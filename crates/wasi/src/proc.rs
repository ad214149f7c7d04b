//! Process control: `proc_exit`, `proc_raise`, `sched_yield`.

use crate::{Errno, Exit, Registrar};
use wedge::ValType::I32;
use wedge::{Error, FuncType, Val};

/// The highest WASI signal number (`signal::sys`).
const SIGNAL_MAX: i32 = 30;

pub(crate) fn register<T: 'static>(r: &mut Registrar<'_, T>) -> Result<(), Error> {
    // None of these touches guest memory, so they are defined raw and work for a guest that
    // exports none.

    // proc_exit(code) has no result: the call unwinds the guest with `Exit(code)`, which the
    // embedder finds with `Error::downcast_host::<Exit>()`.
    r.raw("proc_exit", FuncType::new([I32], []), |_, _, args, _| {
        let code = args.first().and_then(Val::i32).unwrap_or(0);
        Err(Error::from_host(Exit(code)))
    })?;
    // proc_raise(signal). WasmEdge raises the signal in the host process
    // (`lib/host/wasi/environ-linux.cpp`), which would let a guest stop or kill its host. Wedge
    // checks the number as WasmEdge does (above 30 is `inval`), accepts signal 0 (`none`,
    // which raises nothing), and answers `nosys` for every real signal.
    r.raw(
        "proc_raise",
        FuncType::new([I32], [I32]),
        |_, _, args, results| {
            let errno = match args.first().and_then(Val::i32).unwrap_or(0) {
                0 => Errno::Success,
                s if (1..=SIGNAL_MAX).contains(&s) => Errno::Nosys,
                _ => Errno::Inval,
            };
            results[0] = Val::I32(errno as i32);
            Ok(())
        },
    )?;
    // sched_yield()
    r.raw(
        "sched_yield",
        FuncType::new([], [I32]),
        |_, _, _, results| {
            std::thread::yield_now();
            results[0] = Val::I32(Errno::Success as i32);
            Ok(())
        },
    )?;
    Ok(())
}
