//! `random_get`: bytes from the operating system's random source (`getrandom(2)`).

use crate::{Errno, Registrar};
use rustix::rand::{GetRandomFlags, getrandom};
use wedge::ValType::I32;

pub(crate) fn register<T: 'static>(r: &mut Registrar<'_, T>) -> Result<(), wedge::Error> {
    // random_get(buf, buf_len)
    r.func("random_get", &[I32, I32], |_, mem, a| {
        fill(mem.slice_mut(a.u32(0), a.u32(1))?)
    })?;
    Ok(())
}

/// Fills `buf` with random bytes. `getrandom` may return fewer bytes than asked for (large
/// requests, signals), so it is called until the buffer is full.
fn fill(mut buf: &mut [u8]) -> Result<(), Errno> {
    while !buf.is_empty() {
        match getrandom(&mut *buf, GetRandomFlags::empty()) {
            Ok(n) => buf = &mut buf[n..],
            Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Err(Errno::from_raw_os(e.raw_os_error())),
        }
    }
    Ok(())
}
