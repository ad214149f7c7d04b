//! Linear memories.

use crate::vm::memory::LinearMemory;
use crate::{AsContext, AsContextMut, Error};
use wedge_environ::{MemoryType, TrapCode};

/// A linear memory in a store.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Memory {
    pub(crate) store_id: u64,
    pub(crate) index: u32,
}

impl Memory {
    /// A new memory of type `ty` (capped by the engine's page limit).
    pub fn new(mut store: impl AsContextMut, ty: MemoryType) -> Result<Memory, Error> {
        let inner = &mut store.as_context_mut().inner;
        let limit = inner.engine.config().memory_page_limit;
        let mem = LinearMemory::new(ty, limit).map_err(Error::resource)?;
        inner.memories.push(mem);
        Ok(Memory {
            store_id: inner.id,
            index: inner.memories.len() as u32 - 1,
        })
    }

    fn mem<'a>(&self, store: &'a impl AsContext) -> &'a LinearMemory {
        let inner = &store.as_context().inner;
        inner.check(self.store_id);
        &inner.memories[self.index as usize]
    }

    fn mem_mut<'a>(&self, store: &'a mut impl AsContextMut) -> &'a mut LinearMemory {
        let inner = &mut store.as_context_mut().inner;
        inner.check(self.store_id);
        &mut inner.memories[self.index as usize]
    }

    /// The memory's type, with its current size as minimum.
    pub fn ty(&self, store: impl AsContext) -> MemoryType {
        self.mem(&store).ty()
    }

    /// Current size in 64 KiB pages.
    pub fn size(&self, store: impl AsContext) -> u64 {
        self.mem(&store).pages()
    }

    /// Current size in bytes.
    pub fn data_size(&self, store: impl AsContext) -> usize {
        self.mem(&store).byte_len()
    }

    /// Grows by `delta` pages; returns the previous size in pages.
    pub fn grow(&self, mut store: impl AsContextMut, delta: u64) -> Result<u64, Error> {
        self.mem_mut(&mut store)
            .grow(delta)
            .ok_or_else(|| Error::resource(format!("memory cannot grow by {delta} pages")))
    }

    /// The memory's bytes.
    pub fn data<'a, S: AsContext>(&self, store: &'a S) -> &'a [u8] {
        self.mem(store).data()
    }

    /// The memory's bytes, writable.
    pub fn data_mut<'a, S: AsContextMut>(&self, store: &'a mut S) -> &'a mut [u8] {
        self.mem_mut(store).data_mut()
    }

    /// The memory's bytes and the store's host data, both mutable at once (what a host function
    /// needs to move data between guest memory and its own state).
    pub fn data_and_store_mut<'a, T: 'a>(
        &self,
        store: &'a mut (impl AsContextMut<Data = T> + 'a),
    ) -> (&'a mut [u8], &'a mut T) {
        let store = store.as_context_mut();
        store.inner.check(self.store_id);
        let (inner, data) = store.inner_and_data_mut();
        (inner.memories[self.index as usize].data_mut(), data)
    }

    /// Copies bytes out of the memory; fails if the range is out of bounds.
    pub fn read(&self, store: impl AsContext, offset: usize, buf: &mut [u8]) -> Result<(), Error> {
        let data = self.mem(&store).data();
        let src = offset
            .checked_add(buf.len())
            .and_then(|end| data.get(offset..end))
            .ok_or_else(|| Error::trap(TrapCode::MemoryOutOfBounds))?;
        buf.copy_from_slice(src);
        Ok(())
    }

    /// Copies bytes into the memory; fails if the range is out of bounds.
    pub fn write(
        &self,
        mut store: impl AsContextMut,
        offset: usize,
        buf: &[u8],
    ) -> Result<(), Error> {
        let data = self.mem_mut(&mut store).data_mut();
        let dst = offset
            .checked_add(buf.len())
            .and_then(|end| data.get_mut(offset..end))
            .ok_or_else(|| Error::trap(TrapCode::MemoryOutOfBounds))?;
        dst.copy_from_slice(buf);
        Ok(())
    }
}
