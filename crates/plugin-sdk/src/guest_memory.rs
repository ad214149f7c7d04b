//! [`GuestMemory`]: the guest-memory accesses host functions make, over the SDK's [`Memory`] or
//! over a plain buffer, so that a plug-in's functions can be unit-tested without a runtime.

use core::cell::RefCell;

use crate::caller::Memory;

/// Bounds-checked copies between a guest's linear memory and host buffers. Every method
/// answers `false` or `None` when the range is out of bounds, and then copies nothing.
pub trait GuestMemory {
    /// The memory's size in bytes.
    fn size(&self) -> u64;

    /// Whether `len` bytes at `offset` are all in bounds (a zero-length range at or below the
    /// end is).
    fn in_bounds(&self, offset: u64, len: u64) -> bool;

    /// Copies `buf.len()` bytes at `offset` into `buf`.
    fn read_into(&self, offset: u64, buf: &mut [u8]) -> bool;

    /// Copies `data` into the memory at `offset`.
    fn write_from(&self, offset: u64, data: &[u8]) -> bool;

    /// The `len` bytes at `offset`, copied; the range is checked before anything is allocated,
    /// so a guest cannot make the host allocate more than its memory holds.
    fn read_vec(&self, offset: u64, len: u64) -> Option<Vec<u8>> {
        if !self.in_bounds(offset, len) {
            return None;
        }
        let mut buf = vec![0; usize::try_from(len).ok()?];
        self.read_into(offset, &mut buf).then_some(buf)
    }

    /// The little-endian `u32` at `offset`.
    fn read_u32(&self, offset: u64) -> Option<u32> {
        let mut b = [0; 4];
        self.read_into(offset, &mut b)
            .then(|| u32::from_le_bytes(b))
    }

    /// Writes `value` at `offset`, little-endian.
    fn write_u32(&self, offset: u64, value: u32) -> bool {
        self.write_from(offset, &value.to_le_bytes())
    }
}

impl GuestMemory for Memory<'_> {
    fn size(&self) -> u64 {
        Memory::size(self)
    }
    fn in_bounds(&self, offset: u64, len: u64) -> bool {
        Memory::in_bounds(self, offset, len)
    }
    fn read_into(&self, offset: u64, buf: &mut [u8]) -> bool {
        self.read(offset, buf).is_ok()
    }
    fn write_from(&self, offset: u64, data: &[u8]) -> bool {
        self.write(offset, data).is_ok()
    }
}

/// A buffer standing in for a guest memory, for tests.
impl GuestMemory for RefCell<Vec<u8>> {
    fn size(&self) -> u64 {
        self.borrow().len() as u64
    }
    fn in_bounds(&self, offset: u64, len: u64) -> bool {
        offset
            .checked_add(len)
            .is_some_and(|end| end <= self.borrow().len() as u64)
    }
    fn read_into(&self, offset: u64, buf: &mut [u8]) -> bool {
        if !self.in_bounds(offset, buf.len() as u64) {
            return false;
        }
        let start = offset as usize;
        buf.copy_from_slice(&self.borrow()[start..start + buf.len()]);
        true
    }
    fn write_from(&self, offset: u64, data: &[u8]) -> bool {
        if !self.in_bounds(offset, data.len() as u64) {
            return false;
        }
        let start = offset as usize;
        self.borrow_mut()[start..start + data.len()].copy_from_slice(data);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_buffer_checks_every_range() {
        let m = RefCell::new(vec![0u8; 16]);
        assert!(m.write_u32(12, 0xdead_beef));
        assert_eq!(m.read_u32(12), Some(0xdead_beef));
        assert!(!m.write_u32(13, 1));
        assert_eq!(m.read_u32(13), None);
        assert_eq!(m.read_vec(8, 8).map(|v| v.len()), Some(8));
        assert_eq!(m.read_vec(8, 9), None);
        assert_eq!(m.read_vec(u64::MAX, 2), None);
        assert!(m.in_bounds(16, 0));
        assert!(!m.in_bounds(17, 0));
    }
}
