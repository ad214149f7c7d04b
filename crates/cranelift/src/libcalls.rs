//! The runtime functions compiled code calls for operations it does not inline.

use cranelift_codegen::ir::{self, types};

/// Addresses of the runtime functions compiled code calls, supplied by the runtime.
///
/// Every function takes the calling instance's VM context first. Indices are the calling
/// module's (memory, table, data and element segment indices); addresses, lengths and element
/// indices are zero-extended to `u64`. A libcall that traps stores the trap's
/// `TrapCode as u32 + 1` into `VMRuntimeLimits::trap_code` and returns; compiled code checks
/// `trap_code` after each call of one that can trap (all but `memory_grow`, `table_grow`,
/// `data_drop` and `elem_drop`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct Libcalls {
    /// `memory.grow`: the old size in pages, or -1 if the memory cannot grow.
    pub memory_grow: unsafe extern "C" fn(vmctx: *mut u8, memory: u32, delta_pages: u64) -> i64,
    /// `memory.fill`: sets `len` bytes at `dst` to `value as u8`, or traps out of bounds.
    pub memory_fill:
        unsafe extern "C" fn(vmctx: *mut u8, memory: u32, dst: u64, value: u32, len: u64),
    /// `memory.copy` (overlap allowed), or traps out of bounds.
    pub memory_copy: unsafe extern "C" fn(
        vmctx: *mut u8,
        dst_memory: u32,
        src_memory: u32,
        dst: u64,
        src: u64,
        len: u64,
    ),
    /// `memory.init` from passive data segment `data`, or traps out of bounds.
    pub memory_init:
        unsafe extern "C" fn(vmctx: *mut u8, memory: u32, data: u32, dst: u64, src: u64, len: u64),
    /// `data.drop`.
    pub data_drop: unsafe extern "C" fn(vmctx: *mut u8, data: u32),
    /// `table.grow`: the old size, or -1 if the table cannot grow.
    pub table_grow: unsafe extern "C" fn(vmctx: *mut u8, table: u32, init: u64, delta: u64) -> i64,
    /// `table.fill`, or traps out of bounds.
    pub table_fill:
        unsafe extern "C" fn(vmctx: *mut u8, table: u32, dst: u64, value: u64, len: u64),
    /// `table.copy` (overlap allowed), or traps out of bounds.
    pub table_copy: unsafe extern "C" fn(
        vmctx: *mut u8,
        dst_table: u32,
        src_table: u32,
        dst: u64,
        src: u64,
        len: u64,
    ),
    /// `table.init` from element segment `elem`, or traps out of bounds.
    pub table_init:
        unsafe extern "C" fn(vmctx: *mut u8, table: u32, elem: u32, dst: u64, src: u64, len: u64),
    /// `elem.drop`.
    pub elem_drop: unsafe extern "C" fn(vmctx: *mut u8, elem: u32),
}

/// Which libcall, with its native signature.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Libcall {
    MemoryGrow,
    MemoryFill,
    MemoryCopy,
    MemoryInit,
    DataDrop,
    TableGrow,
    TableFill,
    TableCopy,
    TableInit,
    ElemDrop,
}

impl Libcall {
    /// Parameter types after `vmctx`, and the result type.
    pub(crate) fn signature(self) -> (&'static [ir::Type], Option<ir::Type>) {
        use types::{I32, I64};
        match self {
            Libcall::MemoryGrow => (&[I32, I64], Some(I64)),
            Libcall::MemoryFill => (&[I32, I64, I32, I64], None),
            Libcall::MemoryCopy => (&[I32, I32, I64, I64, I64], None),
            Libcall::MemoryInit => (&[I32, I32, I64, I64, I64], None),
            Libcall::DataDrop => (&[I32], None),
            Libcall::TableGrow => (&[I32, I64, I64], Some(I64)),
            Libcall::TableFill => (&[I32, I64, I64, I64], None),
            Libcall::TableCopy => (&[I32, I32, I64, I64, I64], None),
            Libcall::TableInit => (&[I32, I32, I64, I64, I64], None),
            Libcall::ElemDrop => (&[I32], None),
        }
    }

    /// Whether compiled code checks for a trap after calling it.
    pub(crate) fn can_trap(self) -> bool {
        !matches!(
            self,
            Libcall::MemoryGrow | Libcall::TableGrow | Libcall::DataDrop | Libcall::ElemDrop
        )
    }

    /// Byte offset of this libcall's entry in `Libcalls` (fields in declaration order, one
    /// pointer each).
    pub(crate) fn table_offset(self) -> i32 {
        let index = match self {
            Libcall::MemoryGrow => 0,
            Libcall::MemoryFill => 1,
            Libcall::MemoryCopy => 2,
            Libcall::MemoryInit => 3,
            Libcall::DataDrop => 4,
            Libcall::TableGrow => 5,
            Libcall::TableFill => 6,
            Libcall::TableCopy => 7,
            Libcall::TableInit => 8,
            Libcall::ElemDrop => 9,
        };
        index * size_of::<usize>() as i32
    }

    /// The address the runtime supplied.
    #[cfg(test)]
    pub(crate) fn address(self, l: &Libcalls) -> usize {
        match self {
            Libcall::MemoryGrow => l.memory_grow as usize,
            Libcall::MemoryFill => l.memory_fill as usize,
            Libcall::MemoryCopy => l.memory_copy as usize,
            Libcall::MemoryInit => l.memory_init as usize,
            Libcall::DataDrop => l.data_drop as usize,
            Libcall::TableGrow => l.table_grow as usize,
            Libcall::TableFill => l.table_fill as usize,
            Libcall::TableCopy => l.table_copy as usize,
            Libcall::TableInit => l.table_init as usize,
            Libcall::ElemDrop => l.elem_drop as usize,
        }
    }
}

#[cfg(test)]
#[test]
fn table_offsets_follow_the_struct_layout() {
    let l = Libcalls::unavailable();
    let base = &l as *const Libcalls as usize;
    for which in [
        Libcall::MemoryGrow,
        Libcall::MemoryFill,
        Libcall::MemoryCopy,
        Libcall::MemoryInit,
        Libcall::DataDrop,
        Libcall::TableGrow,
        Libcall::TableFill,
        Libcall::TableCopy,
        Libcall::TableInit,
        Libcall::ElemDrop,
    ] {
        let at = which.table_offset() as usize;
        assert!(at + size_of::<usize>() <= size_of::<Libcalls>());
        // SAFETY: `base + at` lies inside `l` (asserted just above) and every field of the
        // `#[repr(C)]` table is a pointer-sized, pointer-aligned function pointer.
        let entry = unsafe { *((base + at) as *const usize) };
        assert_eq!(entry, which.address(&l), "{which:?}");
    }
}

impl Libcalls {
    /// Libcalls for code that never needs the runtime (or for compile-only use): growing fails
    /// (-1) and every other operation does nothing. Useful for tests and examples.
    pub fn unavailable() -> Libcalls {
        unsafe extern "C" fn grow(_: *mut u8, _: u32, _: u64) -> i64 {
            -1
        }
        unsafe extern "C" fn table_grow(_: *mut u8, _: u32, _: u64, _: u64) -> i64 {
            -1
        }
        unsafe extern "C" fn fill(_: *mut u8, _: u32, _: u64, _: u32, _: u64) {}
        unsafe extern "C" fn table_fill(_: *mut u8, _: u32, _: u64, _: u64, _: u64) {}
        unsafe extern "C" fn copy(_: *mut u8, _: u32, _: u32, _: u64, _: u64, _: u64) {}
        unsafe extern "C" fn drop(_: *mut u8, _: u32) {}
        Libcalls {
            memory_grow: grow,
            memory_fill: fill,
            memory_copy: copy,
            memory_init: copy,
            data_drop: drop,
            table_grow,
            table_fill,
            table_copy: copy,
            table_init: copy,
            elem_drop: drop,
        }
    }
}
