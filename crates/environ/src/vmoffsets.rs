//! Layout of the VM context: the one `#[repr(C)]` block per instance that the interpreter,
//! compiled code and the runtime all read.
//!
//! ```text
//! +0                 magic: u32 (VMCONTEXT_MAGIC), padding
//! +8                 runtime: *mut ()  (the owning store, opaque to compiled code)
//! +8+ptr             limits: *mut VMRuntimeLimits  (the store's, shared by its instances)
//! +memories_begin    [*mut VMMemoryDefinition; num_memories]   imports first
//! +memory_bases_begin [*mut u8;                num_memories]   each memory's base
//! +tables_begin      [*mut VMTableDefinition;  num_tables]
//! +globals_begin     [*mut VMGlobalDefinition; num_globals]
//! +funcs_begin       [*const VMFuncRef;        num_funcs]
//! +type_ids_begin    [u32;                     num_types]       engine-wide signature ids
//! ```
//!
//! The pointed-to definitions are owned by the store and never move, so an instance that imports
//! a memory reads the same definition as the instance that exports it. A memory's base address
//! never changes either, so the VM context also holds a copy of it, which compiled code reads
//! with one load instead of two.
//!
//! * `VMMemoryDefinition { base: *mut u8, current_length: usize }`
//! * `VMTableDefinition { base: *mut u64, current_elements: u64 }`, elements are raw references
//!   (a `*const VMFuncRef` for funcref, `externref index + 1` for externref, 0 for null)
//! * `VMGlobalDefinition { storage: [u8; 16] }`, 16-byte aligned, value in the low bytes
//! * `VMFuncRef { wasm_call: *const u8, vmctx: *mut VMContext, type_id: u32, func_id: u32 }`
//! * `VMRuntimeLimits { stack_limit: usize, trap_code: u32, _: u32, interrupt: *mut u32,
//!   libcalls: *const Libcalls, instr_count: u64, cost_left: u64 }`:
//!   compiled code stops when the stack pointer goes below `stack_limit`, polls the store's
//!   interrupt flag (set from any thread) at loop heads and function entries, clearing it when
//!   it stops, and calls the runtime through the `libcalls` table (so compiled code holds no
//!   process addresses). A libcall or host function that fails stores its `TrapCode` number
//!   plus one (or `u32::MAX` for an error the runtime keeps) in `trap_code`, and the compiled
//!   caller then traps. Metered compiled code keeps the store's instruction count and total
//!   cost there whenever it calls out, returns or traps.
//!
//! Linear memories with 32-bit addresses are reserved as [`MEMORY32_RESERVATION`] bytes of
//! address space plus [`MEMORY_GUARD_SIZE`] bytes of guard, all inaccessible beyond the
//! memory's current length, so compiled code may leave out the bounds check of an access whose
//! offset plus size is at most the guard size: any address it can form is inside the
//! reservation, and one beyond the length faults.

/// Address space every 32-bit linear memory reserves before its guard: all a 32-bit index can
/// reach.
pub const MEMORY32_RESERVATION: u64 = 1 << 32;

/// Inaccessible address space after [`MEMORY32_RESERVATION`], which a static offset plus access
/// size may reach without a bounds check.
pub const MEMORY_GUARD_SIZE: u64 = 2 << 30;

/// Marks a valid VM context (`"wdgc"` little-endian).
pub const VMCONTEXT_MAGIC: u32 = u32::from_le_bytes(*b"wdgc");

/// Byte offsets inside the VM context of an instance with the given entity counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VMOffsets {
    /// Pointer size of the target in bytes.
    pub ptr_size: u32,
    /// Memories (imported and defined).
    pub num_memories: u32,
    /// Tables (imported and defined).
    pub num_tables: u32,
    /// Globals (imported and defined).
    pub num_globals: u32,
    /// Functions (imported and defined).
    pub num_funcs: u32,
    /// Types in the module's type section.
    pub num_types: u32,
}

impl VMOffsets {
    /// The layout for a module's entity counts on a target with `ptr_size`-byte pointers.
    pub fn new(ptr_size: u32, module: &crate::ModuleInfo) -> Self {
        VMOffsets {
            ptr_size,
            num_memories: module.memories.len() as u32,
            num_tables: module.tables.len() as u32,
            num_globals: module.globals.len() as u32,
            num_funcs: module.funcs.len() as u32,
            num_types: module.types.len() as u32,
        }
    }

    /// The layout of a VM context without entities: enough for the offsets that depend on
    /// the pointer size alone (the header and `VMRuntimeLimits`), for code that serves every
    /// module, such as exit trampolines.
    pub fn header(ptr_size: u32) -> Self {
        VMOffsets {
            ptr_size,
            num_memories: 0,
            num_tables: 0,
            num_globals: 0,
            num_funcs: 0,
            num_types: 0,
        }
    }

    /// Offset of the magic number.
    pub fn magic(&self) -> u32 {
        0
    }
    /// Offset of the runtime (store) pointer.
    pub fn runtime(&self) -> u32 {
        8
    }
    /// Offset of the pointer to the store's `VMRuntimeLimits`.
    pub fn limits(&self) -> u32 {
        8 + self.ptr_size
    }
    /// Start of the memory pointer array.
    pub fn memories_begin(&self) -> u32 {
        8 + 2 * self.ptr_size
    }
    /// Start of the memory base array.
    pub fn memory_bases_begin(&self) -> u32 {
        self.memories_begin() + self.num_memories * self.ptr_size
    }
    /// Start of the table pointer array.
    pub fn tables_begin(&self) -> u32 {
        self.memory_bases_begin() + self.num_memories * self.ptr_size
    }
    /// Start of the global pointer array.
    pub fn globals_begin(&self) -> u32 {
        self.tables_begin() + self.num_tables * self.ptr_size
    }
    /// Start of the function reference pointer array.
    pub fn funcs_begin(&self) -> u32 {
        self.globals_begin() + self.num_globals * self.ptr_size
    }
    /// Start of the signature id array.
    pub fn type_ids_begin(&self) -> u32 {
        self.funcs_begin() + self.num_funcs * self.ptr_size
    }
    /// Total size in bytes, rounded up to 16.
    pub fn size(&self) -> u32 {
        (self.type_ids_begin() + self.num_types * 4).next_multiple_of(16)
    }
    /// Offset of the pointer to memory `i`'s definition.
    pub fn memory(&self, i: u32) -> u32 {
        assert!(i < self.num_memories);
        self.memories_begin() + i * self.ptr_size
    }
    /// Offset of memory `i`'s base address (a copy of its definition's `base`).
    pub fn memory_base_of(&self, i: u32) -> u32 {
        assert!(i < self.num_memories);
        self.memory_bases_begin() + i * self.ptr_size
    }
    /// Offset of the pointer to table `i`'s definition.
    pub fn table(&self, i: u32) -> u32 {
        assert!(i < self.num_tables);
        self.tables_begin() + i * self.ptr_size
    }
    /// Offset of the pointer to global `i`'s definition.
    pub fn global(&self, i: u32) -> u32 {
        assert!(i < self.num_globals);
        self.globals_begin() + i * self.ptr_size
    }
    /// Offset of the pointer to function `i`'s `VMFuncRef`.
    pub fn func(&self, i: u32) -> u32 {
        assert!(i < self.num_funcs);
        self.funcs_begin() + i * self.ptr_size
    }
    /// Offset of type `i`'s engine-wide signature id.
    pub fn type_id(&self, i: u32) -> u32 {
        assert!(i < self.num_types);
        self.type_ids_begin() + i * 4
    }

    /// `VMRuntimeLimits::stack_limit`.
    pub fn limits_stack_limit(&self) -> u32 {
        0
    }
    /// `VMRuntimeLimits::trap_code` (0: none; otherwise the trap's `TrapCode as u32 + 1`).
    pub fn limits_trap_code(&self) -> u32 {
        self.ptr_size
    }
    /// `VMRuntimeLimits::interrupt`: a pointer to the store's interrupt flag (non-zero: stop at
    /// the next check).
    pub fn limits_interrupt(&self) -> u32 {
        self.ptr_size + 8
    }

    /// `VMRuntimeLimits::libcalls`: the table of runtime functions compiled code calls.
    pub fn limits_libcalls(&self) -> u32 {
        2 * self.ptr_size + 8
    }

    /// `VMRuntimeLimits::instr_count`: instructions counted so far plus `cost_left` (`u64`,
    /// wrapping), kept up to date by metered compiled code at calls, returns and traps.
    pub fn limits_instr_count(&self) -> u32 {
        3 * self.ptr_size + 8
    }

    /// `VMRuntimeLimits::cost_left`: the cost that may still be charged before the cost limit
    /// is passed (`u64`), kept like `instr_count`.
    pub fn limits_cost_left(&self) -> u32 {
        3 * self.ptr_size + 16
    }

    /// `VMMemoryDefinition::base`.
    pub fn memory_base(&self) -> u32 {
        0
    }
    /// `VMMemoryDefinition::current_length`.
    pub fn memory_current_length(&self) -> u32 {
        self.ptr_size
    }
    /// `VMTableDefinition::base`.
    pub fn table_base(&self) -> u32 {
        0
    }
    /// `VMTableDefinition::current_elements`.
    pub fn table_current_elements(&self) -> u32 {
        self.ptr_size
    }
    /// `VMFuncRef::wasm_call`.
    pub fn func_ref_wasm_call(&self) -> u32 {
        0
    }
    /// `VMFuncRef::vmctx`.
    pub fn func_ref_vmctx(&self) -> u32 {
        self.ptr_size
    }
    /// `VMFuncRef::type_id`.
    pub fn func_ref_type_id(&self) -> u32 {
        2 * self.ptr_size
    }
    /// `VMFuncRef::func_id`.
    pub fn func_ref_func_id(&self) -> u32 {
        2 * self.ptr_size + 4
    }
}
