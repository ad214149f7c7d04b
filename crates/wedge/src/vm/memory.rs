//! Linear memories: reserved once with a guard region, grown in place.

use super::VMMemoryDefinition;
use super::sys::Mmap;
use wedge_environ::MemoryType;

/// Size of a WebAssembly page.
pub const WASM_PAGE_SIZE: usize = 65536;

/// Address space a memory reserves: with 32-bit addresses, all an index can reach plus the
/// guard ([`wedge_environ::MEMORY32_RESERVATION`] + [`wedge_environ::MEMORY_GUARD_SIZE`]), which
/// lets compiled code leave out bounds checks; with 64-bit addresses, the largest size plus the
/// guard (compiled code checks every access there).
fn reservation(ty: &MemoryType, max_pages: u64) -> Option<usize> {
    let guard = wedge_environ::MEMORY_GUARD_SIZE;
    let bytes = if ty.memory64 {
        max_pages.checked_mul(WASM_PAGE_SIZE as u64)?
    } else {
        wedge_environ::MEMORY32_RESERVATION
    };
    usize::try_from(bytes.checked_add(guard)?).ok()
}

/// A linear memory. Its base address never changes, so its definition can be shared.
#[derive(Debug)]
pub struct LinearMemory {
    mmap: Mmap,
    /// Where instances and compiled code read base and length; boxed so it never moves.
    def: Box<VMMemoryDefinition>,
    ty: MemoryType,
    /// Largest size in pages, from the type and the engine's page cap.
    max_pages: u64,
}

impl LinearMemory {
    /// Reserves and commits a memory of type `ty`, with at most `page_limit` pages.
    pub fn new(ty: MemoryType, page_limit: u32) -> Result<Self, String> {
        let cap = u64::from(page_limit);
        if ty.limits.min > cap {
            return Err(format!(
                "memory needs {} pages but the limit is {page_limit} pages",
                ty.limits.min
            ));
        }
        let max_pages = ty.limits.max.unwrap_or(u64::MAX).min(cap);
        let reserve = reservation(&ty, max_pages)
            .ok_or_else(|| format!("cannot reserve a memory of {max_pages} pages"))?;
        let mut mmap = Mmap::reserve(reserve).map_err(|e| format!("cannot reserve memory: {e}"))?;
        let len = ty.limits.min as usize * WASM_PAGE_SIZE;
        mmap.commit(len)
            .map_err(|e| format!("cannot commit memory: {e}"))?;
        let def = Box::new(VMMemoryDefinition {
            base: mmap.as_ptr(),
            current_length: len,
        });
        Ok(LinearMemory {
            mmap,
            def,
            ty,
            max_pages,
        })
    }

    /// Current size in pages.
    pub fn pages(&self) -> u64 {
        (self.def.current_length / WASM_PAGE_SIZE) as u64
    }

    /// Current size in bytes.
    pub fn byte_len(&self) -> usize {
        self.def.current_length
    }

    /// The memory's type, with its current minimum.
    pub fn ty(&self) -> MemoryType {
        let mut ty = self.ty;
        ty.limits.min = self.pages();
        ty
    }

    /// Grows by `delta` pages in place; returns the old size, or None if it cannot grow.
    pub fn grow(&mut self, delta: u64) -> Option<u64> {
        let old = self.pages();
        let new = old.checked_add(delta)?;
        if new > self.max_pages {
            return None;
        }
        let len = new as usize * WASM_PAGE_SIZE;
        self.mmap.commit(len).ok()?;
        self.def.current_length = len;
        Some(old)
    }

    /// The base address, the same for the memory's whole life.
    pub fn base(&self) -> *mut u8 {
        self.def.base
    }

    /// The definition that instances point to.
    pub fn definition(&mut self) -> *mut VMMemoryDefinition {
        &mut *self.def
    }

    /// The accessible bytes.
    pub fn data(&self) -> &[u8] {
        self.def.as_slice()
    }

    /// The accessible bytes, writable.
    pub fn data_mut(&mut self) -> &mut [u8] {
        self.def.as_mut_slice()
    }
}
