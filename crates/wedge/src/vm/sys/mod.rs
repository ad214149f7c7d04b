//! The operating system: virtual memory reservations. Porting Wedge means editing this module.

#![allow(unsafe_code, reason = "raw virtual memory management")]

use std::ptr::NonNull;

/// A reserved range of address space, inaccessible until committed.
#[derive(Debug)]
pub struct Mmap {
    ptr: NonNull<u8>,
    len: usize,
}

// SAFETY: the mapping is plain memory owned by this value; it has no thread affinity.
unsafe impl Send for Mmap {}
// SAFETY: `&Mmap` only exposes the pointer value; accesses are synchronized by the owner.
unsafe impl Sync for Mmap {}

impl Mmap {
    /// Reserves `len` bytes (rounded up to the page size) of inaccessible address space.
    pub fn reserve(len: usize) -> std::io::Result<Mmap> {
        let len = len.max(1).next_multiple_of(page_size());
        // SAFETY: an anonymous mapping with a null hint does not touch existing memory.
        let ptr = unsafe {
            rustix::mm::mmap_anonymous(
                std::ptr::null_mut(),
                len,
                rustix::mm::ProtFlags::empty(),
                rustix::mm::MapFlags::PRIVATE | rustix::mm::MapFlags::NORESERVE,
            )
        }?;
        let ptr = NonNull::new(ptr.cast::<u8>()).ok_or(std::io::ErrorKind::OutOfMemory)?;
        Ok(Mmap { ptr, len })
    }

    /// Makes the first `len` bytes readable and writable (zero-filled on first touch).
    pub fn commit(&mut self, len: usize) -> std::io::Result<()> {
        if len == 0 {
            return Ok(());
        }
        let len = len.next_multiple_of(page_size());
        assert!(len <= self.len, "commit beyond reservation");
        // SAFETY: the range lies inside our own reservation.
        unsafe {
            rustix::mm::mprotect(
                self.ptr.as_ptr().cast(),
                len,
                rustix::mm::MprotectFlags::READ | rustix::mm::MprotectFlags::WRITE,
            )
        }?;
        Ok(())
    }

    /// Start of the reservation.
    pub fn as_ptr(&self) -> *mut u8 {
        self.ptr.as_ptr()
    }

    /// Reserved size in bytes.
    #[allow(dead_code, reason = "part of the OS layer's interface")]
    pub fn len(&self) -> usize {
        self.len
    }
}

impl Drop for Mmap {
    fn drop(&mut self) {
        // SAFETY: we own exactly this mapping and nothing refers to it any more.
        let _ = unsafe { rustix::mm::munmap(self.ptr.as_ptr().cast(), self.len) };
    }
}

/// The OS page size.
pub fn page_size() -> usize {
    rustix::param::page_size()
}
