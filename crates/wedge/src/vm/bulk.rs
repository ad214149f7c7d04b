//! The bulk memory and table operators, and `memory.grow`/`table.grow`, on a store: one
//! implementation for the interpreter and for the compiled tier's libcalls. Indices are the
//! calling instance's; a failure is the trap the operator raises.

use crate::store::StoreInner;
use wedge_environ::TrapCode;

/// `start..start+len` if it lies within `size`, else `trap`.
pub(crate) fn range(
    start: u64,
    len: u64,
    size: u64,
    trap: TrapCode,
) -> Result<std::ops::Range<usize>, TrapCode> {
    match start.checked_add(len) {
        Some(end) if end <= size => Ok(start as usize..end as usize),
        _ => Err(trap),
    }
}

impl StoreInner {
    fn memory_index(&self, instance: u32, memory: u32) -> usize {
        self.instances[instance as usize].memories[memory as usize] as usize
    }

    fn table_index(&self, instance: u32, table: u32) -> usize {
        self.instances[instance as usize].tables[table as usize] as usize
    }

    /// `memory.grow`: the old size in pages, or None.
    pub(crate) fn memory_grow(&mut self, instance: u32, memory: u32, delta: u64) -> Option<u64> {
        let m = self.memory_index(instance, memory);
        self.memories[m].grow(delta)
    }

    /// `memory.fill`.
    pub(crate) fn memory_fill(
        &mut self,
        instance: u32,
        memory: u32,
        dst: u64,
        value: u8,
        len: u64,
    ) -> Result<(), TrapCode> {
        let m = self.memory_index(instance, memory);
        let data = self.memories[m].data_mut();
        let r = range(dst, len, data.len() as u64, TrapCode::MemoryOutOfBounds)?;
        data[r].fill(value);
        Ok(())
    }

    /// `memory.copy` (overlap allowed).
    pub(crate) fn memory_copy(
        &mut self,
        instance: u32,
        dst_memory: u32,
        src_memory: u32,
        dst: u64,
        src: u64,
        len: u64,
    ) -> Result<(), TrapCode> {
        let (dm, sm) = (
            self.memory_index(instance, dst_memory),
            self.memory_index(instance, src_memory),
        );
        let oob = TrapCode::MemoryOutOfBounds;
        let dr = range(dst, len, self.memories[dm].byte_len() as u64, oob)?;
        let sr = range(src, len, self.memories[sm].byte_len() as u64, oob)?;
        if dm == sm {
            self.memories[dm].data_mut().copy_within(sr, dr.start);
        } else {
            let s = self.memories[sm].data_mut().as_ptr();
            let d = self.memories[dm].data_mut().as_mut_ptr();
            // SAFETY: both ranges were checked against their memories, which are different
            // mappings, so they do not overlap.
            unsafe { std::ptr::copy_nonoverlapping(s.add(sr.start), d.add(dr.start), dr.len()) };
        }
        Ok(())
    }

    /// `memory.init` from data segment `data` (empty once dropped).
    pub(crate) fn memory_init(
        &mut self,
        instance: u32,
        memory: u32,
        data: u32,
        dst: u64,
        src: u64,
        len: u64,
    ) -> Result<(), TrapCode> {
        let inst = &self.instances[instance as usize];
        let module = inst.module.clone();
        let seg: &[u8] = if inst.data_dropped[data as usize] {
            &[]
        } else {
            &module.inner().info.datas[data as usize].data
        };
        let m = self.memory_index(instance, memory);
        let mem = self.memories[m].data_mut();
        let oob = TrapCode::MemoryOutOfBounds;
        let sr = range(src, len, seg.len() as u64, oob)?;
        let dr = range(dst, len, mem.len() as u64, oob)?;
        mem[dr].copy_from_slice(&seg[sr]);
        Ok(())
    }

    /// `data.drop`.
    pub(crate) fn data_drop(&mut self, instance: u32, data: u32) {
        self.instances[instance as usize].data_dropped[data as usize] = true;
    }

    /// `table.grow`: the old size, or None.
    pub(crate) fn table_grow(
        &mut self,
        instance: u32,
        table: u32,
        delta: u64,
        init: u64,
    ) -> Option<u64> {
        let t = self.table_index(instance, table);
        self.tables[t].grow(delta, init)
    }

    /// `table.fill`.
    pub(crate) fn table_fill(
        &mut self,
        instance: u32,
        table: u32,
        dst: u64,
        value: u64,
        len: u64,
    ) -> Result<(), TrapCode> {
        let t = self.table_index(instance, table);
        let elems = &mut self.tables[t].elements;
        let r = range(dst, len, elems.len() as u64, TrapCode::TableOutOfBounds)?;
        elems[r].fill(value);
        Ok(())
    }

    /// `table.copy` (overlap allowed).
    pub(crate) fn table_copy(
        &mut self,
        instance: u32,
        dst_table: u32,
        src_table: u32,
        dst: u64,
        src: u64,
        len: u64,
    ) -> Result<(), TrapCode> {
        let (dt, st) = (
            self.table_index(instance, dst_table),
            self.table_index(instance, src_table),
        );
        let oob = TrapCode::TableOutOfBounds;
        let dr = range(dst, len, self.tables[dt].elements.len() as u64, oob)?;
        let sr = range(src, len, self.tables[st].elements.len() as u64, oob)?;
        if dt == st {
            self.tables[dt].elements.copy_within(sr, dr.start);
        } else {
            let src: Vec<u64> = self.tables[st].elements[sr].to_vec();
            self.tables[dt].elements[dr].copy_from_slice(&src);
        }
        Ok(())
    }

    /// `table.init` from element segment `elem` (empty once dropped).
    pub(crate) fn table_init(
        &mut self,
        instance: u32,
        table: u32,
        elem: u32,
        dst: u64,
        src: u64,
        len: u64,
    ) -> Result<(), TrapCode> {
        let t = self.table_index(instance, table);
        let seg = &self.instances[instance as usize].elems[elem as usize];
        let oob = TrapCode::TableOutOfBounds;
        let sr = range(src, len, seg.len() as u64, oob)?;
        let items: Vec<u64> = seg[sr].to_vec();
        let elems = &mut self.tables[t].elements;
        let dr = range(dst, len, elems.len() as u64, oob)?;
        elems[dr].copy_from_slice(&items);
        Ok(())
    }

    /// `elem.drop`.
    pub(crate) fn elem_drop(&mut self, instance: u32, elem: u32) {
        self.instances[instance as usize].elems[elem as usize] = Box::new([]);
    }
}
