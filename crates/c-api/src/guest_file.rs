//! A Wedge extension of the C API, outside WasmEdge's namespace: a host function (a plug-in)
//! opens a file by a path its guest gave it, with the guest's own WASI sandbox, and gets an
//! owned host descriptor. Declared in `include/wasmedge/wedge_guest_file.h`; WasmEdge has no
//! such function, so callers look it up at run time and fail cleanly without it.

use crate::Export;
use crate::ffi::guard;
use crate::instance::WasmEdge_CallingFrameContext;
use crate::store::{CStore, with_store};
use core::ffi::c_char;
use std::os::fd::IntoRawFd;
use wedge_wasi::{Errno, GuestOpenOptions, WasiCtx};

/// `Wedge_GuestFile_Read`: open for reading.
pub const READ: u32 = 1;
/// `Wedge_GuestFile_Write`: open for writing.
pub const WRITE: u32 = 2;
/// `Wedge_GuestFile_Append`: writes go to the end.
pub const APPEND: u32 = 4;
/// `Wedge_GuestFile_Create`: create the file if missing.
pub const CREATE: u32 = 8;
/// `Wedge_GuestFile_Truncate`: truncate to length 0.
pub const TRUNCATE: u32 = 16;
/// `Wedge_GuestFile_CreateNew`: create the file, failing if it exists.
pub const CREATE_NEW: u32 = 32;

/// This file's exported functions, which [`crate::embed::export_c_api`] keeps in a binary.
pub static EXPORTS: [Export; 1] = [Export(Wedge_CallingFrameOpenGuestFile as *const ())];

/// The options a flag set asks for; `None` for unknown bits.
fn options(flags: u32) -> Option<GuestOpenOptions> {
    if flags & !(READ | WRITE | APPEND | CREATE | TRUNCATE | CREATE_NEW) != 0 {
        return None;
    }
    Some(GuestOpenOptions {
        read: flags & READ != 0,
        write: flags & WRITE != 0,
        append: flags & APPEND != 0,
        create: flags & CREATE != 0,
        truncate: flags & TRUNCATE != 0,
        create_new: flags & CREATE_NEW != 0,
    })
}

/// Opens `path` in the calling guest's WASI context (see [`WasiCtx::open_guest_file`]), in the
/// store of a C API VM or store, or of a Rust host whose store data is the `WasiCtx` (the
/// `wedge` binary's).
fn open(
    frame: &WasmEdge_CallingFrameContext,
    path: &str,
    o: GuestOpenOptions,
) -> Result<i32, Errno> {
    let binding = frame.binding();
    let opened = with_store(&binding, |s| {
        let any = s.as_any_mut();
        if let Some(c) = any.downcast_mut::<CStore>() {
            return Some(c.data().wasi.open_guest_file(path, o));
        }
        if let Some(w) = any.downcast_mut::<wedge::Store<WasiCtx>>() {
            return Some(w.data().open_guest_file(path, o));
        }
        None
    })
    .flatten()
    .ok_or(Errno::Nosys)??;
    Ok(opened.into_raw_fd())
}

/// Opens the file `path` (`path_len` bytes of UTF-8, no NUL needed) as the guest of the calling
/// frame could through its WASI preopened directories, with the sandbox of `path_open`, and
/// returns a host descriptor the caller owns (close it when done). `flags` is a set of
/// `Wedge_GuestFile_*` bits. On failure returns minus a WASI errno: `-ENOTCAPABLE` (-76) for a
/// path outside the preopens or an access they refuse, `-ENOSYS` (-52) when the frame's store
/// has no WASI context, `-EINVAL` (-28) for a NULL frame or path or unknown flags, `-EILSEQ`
/// (-25) for a path that is not UTF-8.
///
/// # Safety
/// `cxt` must be NULL or the frame passed to the running host function; `path` NULL or
/// `path_len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn Wedge_CallingFrameOpenGuestFile(
    cxt: *const WasmEdge_CallingFrameContext,
    path: *const c_char,
    path_len: u32,
    flags: u32,
) -> i32 {
    let fail = |e: Errno| -i32::from(e as u16);
    guard(fail(Errno::Inval), || {
        // SAFETY: the caller passes NULL or the live frame.
        let Some(frame) = (unsafe { cxt.as_ref() }) else {
            return fail(Errno::Inval);
        };
        if path.is_null() {
            return fail(Errno::Inval);
        }
        let Some(o) = options(flags) else {
            return fail(Errno::Inval);
        };
        // SAFETY: `path` points to `path_len` readable bytes (the caller's contract).
        let bytes = unsafe { std::slice::from_raw_parts(path.cast::<u8>(), path_len as usize) };
        let Ok(path) = std::str::from_utf8(bytes) else {
            return fail(Errno::Ilseq);
        };
        open(frame, path, o).unwrap_or_else(fail)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_null_frame_or_path_or_unknown_flags_are_einval() {
        // SAFETY: NULL frame and path are allowed.
        let r =
            unsafe { Wedge_CallingFrameOpenGuestFile(std::ptr::null(), c"x".as_ptr(), 1, READ) };
        assert_eq!(r, -28);
        assert_eq!(options(64), None);
        assert_eq!(
            options(READ | CREATE),
            Some(GuestOpenOptions {
                read: true,
                create: true,
                ..Default::default()
            })
        );
    }
}
