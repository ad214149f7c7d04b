//! Command-line arguments and environment variables: `args_get`, `args_sizes_get`,
//! `environ_get`, `environ_sizes_get`.
//!
//! The guest sees exactly what the embedder put in the [`crate::WasiCtxBuilder`]; nothing of
//! the host's own environment is inherited.

use crate::{Errno, GuestMemory, Registrar};
use wedge::ValType::I32;

pub(crate) fn register<T: 'static>(r: &mut Registrar<'_, T>) -> Result<(), wedge::Error> {
    r.func("args_get", &[I32, I32], |ctx, mem, a| {
        write_strings(mem, &ctx.args, a.u32(0), a.u32(1))
    })?;
    r.func("args_sizes_get", &[I32, I32], |ctx, mem, a| {
        write_sizes(mem, &ctx.args, a.u32(0), a.u32(1))
    })?;
    r.func("environ_get", &[I32, I32], |ctx, mem, a| {
        write_strings(mem, &ctx.env, a.u32(0), a.u32(1))
    })?;
    r.func("environ_sizes_get", &[I32, I32], |ctx, mem, a| {
        write_sizes(mem, &ctx.env, a.u32(0), a.u32(1))
    })?;
    Ok(())
}

/// The bytes all `strings` take with their NUL terminators.
fn buffer_size(strings: &[Vec<u8>]) -> Result<u32, Errno> {
    strings
        .iter()
        .try_fold(0u32, |total, s| {
            let len = u32::try_from(s.len()).ok()?.checked_add(1)?;
            total.checked_add(len)
        })
        .ok_or(Errno::Overflow)
}

/// Writes the count of `strings` at `count_ptr` and their total size at `size_ptr`.
fn write_sizes(
    mem: &mut GuestMemory<'_>,
    strings: &[Vec<u8>],
    count_ptr: u32,
    size_ptr: u32,
) -> Result<(), Errno> {
    let count = u32::try_from(strings.len()).map_err(|_| Errno::Overflow)?;
    let size = buffer_size(strings)?;
    mem.write(count_ptr, count)?;
    mem.write(size_ptr, size)
}

/// Copies `strings`, each NUL-terminated, to `buf` and a pointer to each into the array at
/// `ptrs`. Everything is bounds-checked before the first byte is written.
fn write_strings(
    mem: &mut GuestMemory<'_>,
    strings: &[Vec<u8>],
    ptrs: u32,
    buf: u32,
) -> Result<(), Errno> {
    let count = u32::try_from(strings.len()).map_err(|_| Errno::Overflow)?;
    let size = buffer_size(strings)?;
    mem.slice_mut(ptrs, count.checked_mul(4).ok_or(Errno::Fault)?)?;
    mem.slice_mut(buf, size)?;
    let mut at = buf;
    for (i, s) in (0u32..).zip(strings) {
        // In bounds (checked above), so none of this arithmetic overflows before the last
        // advance of `at`, which may wrap to 0 at the very top of a 4 GiB memory.
        mem.write(ptrs + i * 4, at)?;
        let len = s.len() as u32;
        let dst = mem.slice_mut(at, len + 1)?;
        dst[..s.len()].copy_from_slice(s);
        dst[s.len()] = 0;
        at = at.wrapping_add(len + 1);
    }
    Ok(())
}
