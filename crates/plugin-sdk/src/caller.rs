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
    }
}
