//! [`Caller`]: what a host function knows about the call — its module's state and the calling
//! guest's memory ([`Memory`]).

use core::marker::PhantomData;
use core::ptr::NonNull;

use crate::error::Error;
use crate::ffi::{Api, WasmEdge_CallingFrameContext, WasmEdge_MemoryInstanceContext};

/// The bytes in a wasm page.
const PAGE_SIZE: u64 = 0x1_0000;

/// The context of one host-function call: the state of the module instance the function belongs
/// to (`S`, see [`Module::new`](crate::Module::new)) and the memories of the guest that called.
///
/// A host function takes it as its first parameter when it needs either. It lives only as long
/// as the call, and stays on the calling thread.
pub struct Caller<'a, S> {
    /// The runtime's calling frame, valid for `'a`, and its C API; `None` when there is no
    /// frame (a detached caller).
    frame: Option<(NonNull<WasmEdge_CallingFrameContext>, &'a Api)>,
    state: &'a S,
}

impl<'a, S> Caller<'a, S> {
    /// A caller for a call the runtime is making now: `frame` must be the calling frame it passed
    /// (or NULL), valid for `'a`, and `api` the C API of that runtime.
    pub(crate) fn new(
        frame: *const WasmEdge_CallingFrameContext,
        api: Option<&'a Api>,
        state: &'a S,
    ) -> Self {
        Self {
            frame: NonNull::new(frame.cast_mut()).zip(api),
            state,
        }
    }

    /// A caller with `state` and no guest: [`Caller::memory`] fails. For testing host functions
    /// as plain Rust, without a runtime.
    #[must_use]
    pub fn detached(state: &'a S) -> Self {
        Self { frame: None, state }
    }

    /// The state of the module instance this function belongs to. Each instance of a module
    /// has its own, made by the module's state function when the instance was created; it is
    /// shared by all calls, possibly on several threads at once, hence `&S`.
    #[must_use]
    pub fn state(&self) -> &'a S {
        self.state
    }

    /// Memory `index` of the calling guest (0 for its first, imported or defined), or
    /// [`Error::memory_out_of_bounds`] when the guest has no such memory.
    pub fn memory(&self, index: u32) -> Result<Memory<'a>, Error> {
        let Some((frame, api)) = self.frame else {
            return Err(Error::memory_out_of_bounds());
        };
        // SAFETY: `frame` is the calling frame of the call in progress, valid for `'a` (`new`'s
        // contract); the function only reads it.
        let memory = unsafe { (api.calling_frame_get_memory_instance)(frame.as_ptr(), index) };
        NonNull::new(memory)
            .map(|memory| Memory {
                memory,
                api,
                _call: PhantomData,
            })
            .ok_or(Error::memory_out_of_bounds())
    }
}

impl<S> Caller<'_, S> {
    /// Opens the file `path`, a path as the guest names it, as the calling guest could itself
    /// through its WASI preopened directories: only under a preopen, with WASI `path_open`'s
    /// sandbox (`..`, absolute paths and symbolic links cannot lead outside it) and the
    /// preopen's `:readonly` flag. The file is the plug-in's own (the guest does not see it in
    /// its descriptor table).
    ///
    /// It needs Wedge's runtime (the C function `Wedge_CallingFrameOpenGuestFile`, looked up
    /// when first needed): under another runtime, such as WasmEdge, or for a detached caller,
    /// it fails with [`std::io::ErrorKind::Unsupported`]; a guest without WASI gets the same.
    /// A path outside the preopens, or an access they refuse, is
    /// [`std::io::ErrorKind::PermissionDenied`].
    pub fn open_guest_file(
        &self,
        path: &str,
        options: &GuestOpenOptions,
    ) -> std::io::Result<std::fs::File> {
        use std::io::{Error as IoError, ErrorKind};
        let unsupported = || {
            IoError::new(
                ErrorKind::Unsupported,
                "the runtime cannot open guest files",
            )
        };
        let Some((frame, _)) = self.frame else {
            return Err(unsupported());
        };
        let Some(open) = crate::ffi::open_guest_file_fn() else {
            return Err(unsupported());
        };
        let len = u32::try_from(path.len())
            .map_err(|_| IoError::new(ErrorKind::InvalidInput, "path too long"))?;
        // SAFETY: `frame` is the live calling frame and `path` is `len` readable bytes.
        let fd = unsafe { open(frame.as_ptr(), path.as_ptr().cast(), len, options.flags()) };
        if fd < 0 {
            return Err(wasi_error(fd.unsigned_abs()));
        }
        #[cfg(unix)]
        {
            use std::os::fd::FromRawFd;
            // SAFETY: the runtime returned a new descriptor that the caller owns.
            Ok(unsafe { std::fs::File::from_raw_fd(fd) })
        }
        #[cfg(not(unix))]
        {
            Err(unsupported())
        }
    }
}

/// An I/O error for WASI errno `errno`.
fn wasi_error(errno: u32) -> std::io::Error {
    use std::io::ErrorKind as K;
    let kind = match errno {
        44 => K::NotFound,
        2 | 63 | 76 => K::PermissionDenied,
        20 => K::AlreadyExists,
        31 => K::IsADirectory,
        54 => K::NotADirectory,
        25 | 28 => K::InvalidInput,
        52 => K::Unsupported,
        _ => K::Other,
    };
    std::io::Error::new(kind, format!("WASI errno {errno}"))
}

/// How [`Caller::open_guest_file`] opens a file, as [`std::fs::OpenOptions`] says it.
///
/// ```
/// let o = wedge_plugin_sdk::GuestOpenOptions::new().write(true).create(true).truncate(true);
/// assert!(o.is_write());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GuestOpenOptions {
    read: bool,
    write: bool,
    append: bool,
    create: bool,
    truncate: bool,
    create_new: bool,
}

impl GuestOpenOptions {
    /// Nothing set (which opens for reading).
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Open for reading.
    #[must_use]
    pub fn read(mut self, on: bool) -> Self {
        self.read = on;
        self
    }

    /// Open for writing.
    #[must_use]
    pub fn write(mut self, on: bool) -> Self {
        self.write = on;
        self
    }

    /// Write at the end.
    #[must_use]
    pub fn append(mut self, on: bool) -> Self {
        self.append = on;
        self
    }

    /// Create the file if it is missing.
    #[must_use]
    pub fn create(mut self, on: bool) -> Self {
        self.create = on;
        self
    }

    /// Truncate the file to length 0.
    #[must_use]
    pub fn truncate(mut self, on: bool) -> Self {
        self.truncate = on;
        self
    }

    /// Create the file, failing if it exists.
    #[must_use]
    pub fn create_new(mut self, on: bool) -> Self {
        self.create_new = on;
        self
    }

    /// Whether the file is opened for writing (write, append or truncate).
    #[must_use]
    pub fn is_write(&self) -> bool {
        self.write || self.append || self.truncate
    }

    /// The `Wedge_GuestFile_*` flag bits.
    fn flags(&self) -> u32 {
        [
            self.read,
            self.write,
            self.append,
            self.create,
            self.truncate,
            self.create_new,
        ]
        .iter()
        .enumerate()
        .fold(0, |acc, (i, &on)| acc | (u32::from(on) << i))
    }
}

/// A linear memory of the calling guest, for the duration of the call.
///
/// Every access copies, with a bounds check, between the guest's memory and Rust buffers: the
/// memory may be shared with other guest threads or grown by a call back into the guest, so the
/// SDK never hands out a Rust reference into it. An access out of bounds is
/// [`Error::memory_out_of_bounds`], which a host function can pass on with `?`.
pub struct Memory<'a> {
    /// A memory instance of the calling frame, valid during the call (`'a`).
    memory: NonNull<WasmEdge_MemoryInstanceContext>,
    api: &'a Api,
    _call: PhantomData<&'a WasmEdge_MemoryInstanceContext>,
}

impl Memory<'_> {
    /// The size in 64 KiB pages.
    #[must_use]
    pub fn pages(&self) -> u64 {
        // SAFETY: `memory` is a live memory instance for the duration of the call.
        unsafe { (self.api.memory_instance_get_page_size)(self.memory.as_ptr()) }
    }

    /// The size in bytes.
    #[must_use]
    pub fn size(&self) -> u64 {
        self.pages().saturating_mul(PAGE_SIZE)
    }

    /// Whether `len` bytes at `offset` are all in bounds.
    #[must_use]
    pub fn in_bounds(&self, offset: u64, len: u64) -> bool {
        if offset.checked_add(len).is_none() {
            return false;
        }
        // SAFETY: `memory` is live for the call; the pointer returned is only compared to NULL,
        // never dereferenced.
        let p =
            unsafe { (self.api.memory_instance_get_pointer)(self.memory.as_ptr(), offset, len) };
        !p.is_null()
    }

    /// Copies `buf.len()` bytes at `offset` into `buf`.
    pub fn read(&self, offset: u64, buf: &mut [u8]) -> Result<(), Error> {
        let len = u64::try_from(buf.len()).map_err(|_| Error::memory_out_of_bounds())?;
        // SAFETY: `memory` is live for the call and `buf` is `len` writable bytes; the runtime
        // checks the range against the memory and copies nothing when it is out of bounds.
        let r = unsafe {
            (self.api.memory_instance_get_data)(self.memory.as_ptr(), buf.as_mut_ptr(), offset, len)
        };
        check(r.Code)
    }

    /// The `len` bytes at `offset`, copied. Checks the range before allocating, so a guest
    /// cannot make the host allocate more than its memory holds.
    pub fn read_vec(&self, offset: u64, len: u64) -> Result<Vec<u8>, Error> {
        if !self.in_bounds(offset, len) {
            return Err(Error::memory_out_of_bounds());
        }
        let len = usize::try_from(len).map_err(|_| Error::memory_out_of_bounds())?;
        let mut buf = vec![0; len];
        self.read(offset, &mut buf)?;
        Ok(buf)
    }

    /// `N` bytes at `offset`, e.g. `u32::from_le_bytes(memory.read_array(p)?)`.
    pub fn read_array<const N: usize>(&self, offset: u64) -> Result<[u8; N], Error> {
        let mut buf = [0; N];
        self.read(offset, &mut buf)?;
        Ok(buf)
    }

    /// The `len` bytes at `offset` as a string; invalid UTF-8 is [`Error::host_func_error`]
    /// (use [`Memory::read_vec`] to handle it otherwise).
    pub fn read_str(&self, offset: u64, len: u64) -> Result<String, Error> {
        String::from_utf8(self.read_vec(offset, len)?).map_err(|_| Error::host_func_error())
    }

    /// Copies `data` into the memory at `offset`.
    pub fn write(&self, offset: u64, data: &[u8]) -> Result<(), Error> {
        let len = u64::try_from(data.len()).map_err(|_| Error::memory_out_of_bounds())?;
        // SAFETY: `memory` is live for the call and `data` is `len` readable bytes; the runtime
        // checks the range and writes nothing when it is out of bounds.
        let r = unsafe {
            (self.api.memory_instance_set_data)(self.memory.as_ptr(), data.as_ptr(), offset, len)
        };
        check(r.Code)
    }
}

/// Success, or the runtime's error as an [`Error`] (every failure of a memory copy is an
/// out-of-bounds access).
fn check(code: u32) -> Result<(), Error> {
    if code == 0 {
        Ok(())
    } else {
        Err(Error::memory_out_of_bounds())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_detached_caller_has_state_but_no_memory() {
        let state = 7u32;
        let caller = Caller::detached(&state);
        assert_eq!(*caller.state(), 7);
        assert_eq!(caller.memory(0).err(), Some(Error::memory_out_of_bounds()));
        let e = caller
            .open_guest_file("/x", &GuestOpenOptions::new())
            .unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::Unsupported);
    }

    #[test]
    fn open_options_are_the_c_flag_bits() {
        assert_eq!(GuestOpenOptions::new().read(true).flags(), 1);
        let o = GuestOpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true);
        assert_eq!(o.flags(), 2 | 8 | 16);
        assert_eq!(
            GuestOpenOptions::new()
                .append(true)
                .create_new(true)
                .flags(),
            4 | 32
        );
    }
}
