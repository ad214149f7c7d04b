//! The guest's memory as WasmEdge's wasi-crypto functions see it.
//!
//! WasmEdge checks every pointer and length a guest passes before doing anything, and answers
//! `algorithm_failure` (not a trap) when one falls outside memory, or when the caller has no
//! memory at all. A zero-length range is always valid. Everything here follows that, on top of
//! the SDK's bounds-checked [`Memory`]: a range is checked against the memory before the host
//! allocates for it, so a guest can never make the host allocate more than its own memory holds.
//!
//! The SDK has no little-endian integer or witx-struct accessors; the few this crate needs are
//! here.

use wedge_plugin_sdk::{Caller, Memory};

use crate::errno::{CryptoErrno, Result};

/// The calling guest's memory 0.
pub struct Guest<'a> {
    memory: Memory<'a>,
}

/// The piece size of [`Guest::read_chunks`].
pub const CHUNK: usize = 64 * 1024;

/// The failure for any bad pointer or length.
const BAD_POINTER: CryptoErrno = CryptoErrno::AlgorithmFailure;

/// The witx `opt_options` and `opt_symmetric_key` tag for "none" (anything else is "some").
const OPT_NONE: u8 = 1;

impl<'a> Guest<'a> {
    /// The caller's memory, or `algorithm_failure` when it has none.
    pub fn of<S>(caller: &Caller<'a, S>) -> Result<Self> {
        caller
            .memory(0)
            .map(|memory| Self { memory })
            .map_err(|_| BAD_POINTER)
    }

    /// Fails unless `len` bytes at `ptr` are in memory (always true for `len == 0`).
    pub fn check(&self, ptr: u32, len: u32) -> Result<()> {
        if len == 0 || self.memory.in_bounds(ptr.into(), len.into()) {
            Ok(())
        } else {
            Err(BAD_POINTER)
        }
    }

    /// The `len` bytes at `ptr`, copied.
    pub fn read(&self, ptr: u32, len: u32) -> Result<Vec<u8>> {
        if len == 0 {
            return Ok(Vec::new());
        }
        self.memory
            .read_vec(ptr.into(), len.into())
            .map_err(|_| BAD_POINTER)
    }

    /// The `len` bytes at `ptr`, copied into a vector with room for `extra` more (so an
    /// in-place operation that appends, like an AEAD's tag, does not copy them again).
    pub fn read_with_room(&self, ptr: u32, len: u32, extra: usize) -> Result<Vec<u8>> {
        self.check(ptr, len)?;
        let len = len as usize;
        let mut buf = Vec::with_capacity(len.saturating_add(extra));
        buf.resize(len, 0);
        if len > 0 {
            self.memory
                .read(ptr.into(), &mut buf)
                .map_err(|_| BAD_POINTER)?;
        }
        Ok(buf)
    }

    /// Feeds the `len` bytes at `ptr` to `f` in pieces of at most [`CHUNK`] bytes, through one
    /// reused buffer: streaming operations (hashing, MACs) never hold a copy of the whole
    /// input. The whole range is checked first, so `f` sees all of it or none.
    pub fn read_chunks(
        &self,
        ptr: u32,
        len: u32,
        mut f: impl FnMut(&[u8]) -> Result<()>,
    ) -> Result<()> {
        self.check(ptr, len)?;
        let mut buf = vec![0; (len as usize).min(CHUNK)];
        let (mut at, end) = (u64::from(ptr), u64::from(ptr) + u64::from(len));
        while at < end {
            let n = (end - at).min(CHUNK as u64) as usize;
            self.memory
                .read(at, &mut buf[..n])
                .map_err(|_| BAD_POINTER)?;
            f(&buf[..n])?;
            at += n as u64;
        }
        Ok(())
    }

    /// Writes `data` at `ptr`.
    pub fn write(&self, ptr: u32, data: &[u8]) -> Result<()> {
        if data.is_empty() {
            return Ok(());
        }
        self.memory.write(ptr.into(), data).map_err(|_| BAD_POINTER)
    }

    /// Writes a little-endian `u32` (a size or a handle) at `ptr`.
    pub fn write_u32(&self, ptr: u32, value: u32) -> Result<()> {
        self.write(ptr, &value.to_le_bytes())
    }

    /// Writes a little-endian `u64` at `ptr`.
    pub fn write_u64(&self, ptr: u32, value: u64) -> Result<()> {
        self.write(ptr, &value.to_le_bytes())
    }

    /// Reads a witx `opt_options` or `opt_symmetric_key` (8 bytes: a `u8` tag, then the `i32`
    /// handle at offset 4): `None` when the tag says none.
    pub fn read_opt_handle(&self, ptr: u32) -> Result<Option<u32>> {
        let raw: [u8; 8] = self
            .memory
            .read_array(ptr.into())
            .map_err(|_| BAD_POINTER)?;
        if raw[0] == OPT_NONE {
            Ok(None)
        } else {
            Ok(Some(u32::from_le_bytes([raw[4], raw[5], raw[6], raw[7]])))
        }
    }
}

/// The sizes of what the functions write back.
pub mod size {
    /// A handle or a `size` (`u32`).
    pub const U32: u32 = 4;
    /// A `version` or a `u64`.
    pub const U64: u32 = 8;
    /// An `opt_options` or `opt_symmetric_key`.
    pub const OPT: u32 = 8;
}
