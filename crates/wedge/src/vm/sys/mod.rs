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

/// A descriptor that wakes a thread blocked in `poll(2)`: readable after [`Wakeup::signal`]
/// until [`Wakeup::clear`]. Both are non-blocking and may run on any thread.
#[derive(Debug)]
pub struct Wakeup {
    /// An eventfd on Linux; elsewhere the read end of a pipe.
    read: std::os::fd::OwnedFd,
    /// The pipe's write end; `None` for an eventfd, which is written through `read`.
    #[cfg_attr(
        any(target_os = "linux", target_os = "android"),
        allow(dead_code, reason = "only pipes have a second end")
    )]
    write: Option<std::os::fd::OwnedFd>,
}

impl Wakeup {
    /// A new, unsignalled wakeup.
    pub fn new() -> std::io::Result<Wakeup> {
        #[cfg(any(target_os = "linux", target_os = "android"))]
        {
            use rustix::event::{EventfdFlags, eventfd};
            let fd = eventfd(0, EventfdFlags::CLOEXEC | EventfdFlags::NONBLOCK)?;
            Ok(Wakeup {
                read: fd,
                write: None,
            })
        }
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        {
            use rustix::fs::{OFlags, fcntl_setfl};
            use rustix::io::{FdFlags, fcntl_setfd};
            let (read, write) = rustix::pipe::pipe()?;
            for end in [&read, &write] {
                fcntl_setfl(end, OFlags::NONBLOCK)?;
                fcntl_setfd(end, FdFlags::CLOEXEC)?;
            }
            Ok(Wakeup {
                read,
                write: Some(write),
            })
        }
    }

    /// Makes the descriptor readable.
    pub fn signal(&self) {
        let end = self.write.as_ref().unwrap_or(&self.read);
        // A full counter or pipe is readable already; nothing else can fail on a valid fd.
        let _ = rustix::io::write(end, &1u64.to_ne_bytes());
    }

    /// Makes the descriptor unreadable again (until the next signal).
    pub fn clear(&self) {
        let mut buf = [0u8; 64];
        while matches!(rustix::io::read(&self.read, &mut buf), Ok(n) if n == buf.len()) {}
    }

    /// The descriptor to poll for reading.
    pub fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
        use std::os::fd::AsFd;
        self.read.as_fd()
    }
}
