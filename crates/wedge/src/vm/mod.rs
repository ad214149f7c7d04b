//! The runtime's low level: the `#[repr(C)]` structures that every tier reads (laid out as
//! `wedge_environ::VMOffsets` describes), linear memories and the OS layer. This is where the
//! runtime's unsafe code lives.

#![allow(unsafe_code, reason = "VM context and linear memory access")]

pub(crate) mod bulk;
#[cfg(feature = "cranelift")]
pub(crate) mod jit;
pub mod memory;
#[cfg(feature = "cranelift")]
pub(crate) mod native_lib;
pub mod sys;

use wedge_environ::{VMCONTEXT_MAGIC, VMOffsets};

/// A linear memory's base and current length.
#[repr(C)]
#[derive(Debug)]
pub struct VMMemoryDefinition {
    /// First byte of the memory.
    pub base: *mut u8,
    /// Accessible length in bytes.
    pub current_length: usize,
}

impl VMMemoryDefinition {
    /// The accessible bytes.
    pub fn as_slice(&self) -> &[u8] {
        // SAFETY: `base..base+current_length` is committed, readable memory owned by the
        // `LinearMemory` that owns this definition, and it outlives `&self`.
        unsafe { std::slice::from_raw_parts(self.base, self.current_length) }
    }

    /// The accessible bytes, writable.
    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        // SAFETY: as in `as_slice`; `&mut self` gives exclusive access to the definition and,
        // by the store's ownership discipline, to the memory.
        unsafe { std::slice::from_raw_parts_mut(self.base, self.current_length) }
    }
}

/// A table's elements (raw references) and current size.
#[repr(C)]
#[derive(Debug)]
pub struct VMTableDefinition {
    /// First element.
    pub base: *mut u64,
    /// Number of elements.
    pub current_elements: u64,
}

/// What compiled code checks against, one per store (see `VMOffsets::limits`): the lowest stack
/// pointer wasm frames may use, the trap a compiled function reports on return, and the
/// interrupt flag it polls.
#[repr(C)]
#[derive(Debug)]
pub struct VMRuntimeLimits {
    /// Compiled code traps with "call stack exhausted" below this stack address.
    pub stack_limit: usize,
    /// 0, or the `TrapCode` number plus one of the trap a compiled function stopped with
    /// ([`jit::PENDING_ERROR`] when `pending` holds the error).
    pub trap_code: u32,
    /// Padding (keeps the layout of 64-bit targets explicit).
    pub _pad: u32,
    /// The store's interrupt flag (in its `InterruptHandle`): non-zero stops compiled code at
    /// the next loop head or function entry. Compiled code reads and clears it with plain
    /// aligned 32-bit accesses, which are atomic on the supported targets.
    pub interrupt: *const std::sync::atomic::AtomicU32,
    /// The table of runtime functions compiled code calls (`wedge_cranelift::Libcalls`).
    pub libcalls: *const (),
    /// Metering while compiled code runs (compiled for an engine that counts or charges): the
    /// store's instruction count plus `cost_left` (wrapping; an operator of cost 1 leaves it
    /// unchanged). The runtime sets both from the store's `Meter` when it enters compiled code
    /// or returns to it, and takes them back when compiled code returns or calls the host or
    /// the interpreter, so both tiers charge into the same totals.
    pub instr_count: u64,
    /// The cost compiled code may still charge: the cost limit minus the total cost.
    pub cost_left: u64,
    // The rest is the runtime's own (compiled code reads only the fields above), set while
    // compiled code runs: how it calls back into the store.
    /// The `Store<T>` running compiled code.
    pub(crate) store: *mut (),
    /// Its `T`-independent part, for the libcalls.
    pub(crate) inner: *mut crate::store::StoreInner,
    /// Calls store function `func` (host or interpreted) for an exit trampoline.
    #[cfg(feature = "cranelift")]
    pub(crate) dispatch: Option<jit::DispatchFn>,
    /// How many host-to-compiled entries are active on this store.
    pub(crate) depth: u32,
    /// The error behind [`jit::PENDING_ERROR`] (a host function's own error, a WASI exit).
    pub(crate) pending: Option<crate::Error>,
    /// The store's total cost and `cost_left` when the runtime last set `cost_left`: compiled
    /// code has charged `cost_left_base - cost_left` since.
    pub(crate) total_cost_base: u64,
    /// See `total_cost_base`.
    pub(crate) cost_left_base: u64,
}

// SAFETY: the raw pointers (`store`, `inner`) are set only while a call runs, by the thread
// that holds the store exclusively, and restored before the call returns; between calls they are
// stale and never read. The rest is plain data.
unsafe impl Send for VMRuntimeLimits {}
// SAFETY: shared references never read the pointers (only the running call does, as above).
unsafe impl Sync for VMRuntimeLimits {}

impl Default for VMRuntimeLimits {
    fn default() -> Self {
        VMRuntimeLimits {
            stack_limit: 0,
            trap_code: 0,
            _pad: 0,
            interrupt: std::ptr::null(),
            libcalls: std::ptr::null(),
            instr_count: 0,
            cost_left: 0,
            store: std::ptr::null_mut(),
            inner: std::ptr::null_mut(),
            #[cfg(feature = "cranelift")]
            dispatch: None,
            depth: 0,
            pending: None,
            total_cost_base: 0,
            cost_left_base: 0,
        }
    }
}

const _: () = {
    assert!(std::mem::offset_of!(VMRuntimeLimits, trap_code) == std::mem::size_of::<usize>());
    assert!(std::mem::offset_of!(VMRuntimeLimits, interrupt) == std::mem::size_of::<usize>() + 8);
    assert!(
        std::mem::offset_of!(VMRuntimeLimits, libcalls) == 2 * std::mem::size_of::<usize>() + 8
    );
    assert!(
        std::mem::offset_of!(VMRuntimeLimits, instr_count) == 3 * std::mem::size_of::<usize>() + 8
    );
    assert!(
        std::mem::offset_of!(VMRuntimeLimits, cost_left) == 3 * std::mem::size_of::<usize>() + 16
    );
};

/// A global's value, in the low bytes of 16 bytes.
#[repr(C, align(16))]
#[derive(Debug, Default, Clone, Copy)]
pub struct VMGlobalDefinition {
    /// The value's bits.
    pub storage: u128,
}

/// What a function reference points to: how to call the function, from any tier.
#[repr(C)]
#[derive(Debug)]
pub struct VMFuncRef {
    /// Native code with the compiled calling convention, or null while only interpreted.
    pub wasm_call: *const u8,
    /// The callee's instance context (null for host functions).
    pub vmctx: *mut VMContext,
    /// Engine-wide signature id.
    pub type_id: u32,
    /// Index of the function in its store.
    pub func_id: u32,
}

/// Opaque marker type for a VM context pointer.
#[derive(Debug)]
pub struct VMContext {
    _private: [u8; 0],
}

/// An instance's VM context: a block of memory laid out by [`VMOffsets`].
#[derive(Debug)]
pub struct VMContextBox {
    buf: Box<[u128]>,
    offsets: VMOffsets,
}

#[allow(dead_code, reason = "accessors the compiled tier and the C API read")]
impl VMContextBox {
    /// A zeroed context with the magic number set.
    pub fn new(offsets: VMOffsets) -> Self {
        let cells = (offsets.size() as usize).div_ceil(16);
        let mut b = VMContextBox {
            buf: vec![0u128; cells].into_boxed_slice(),
            offsets,
        };
        b.write::<u32>(b.offsets.magic(), VMCONTEXT_MAGIC);
        b
    }

    /// The layout.
    pub fn offsets(&self) -> &VMOffsets {
        &self.offsets
    }

    /// The context pointer handed to compiled code and function references.
    pub fn as_ptr(&mut self) -> *mut VMContext {
        self.buf.as_mut_ptr().cast()
    }

    fn write<T: Copy>(&mut self, offset: u32, value: T) {
        let end = offset as usize + std::mem::size_of::<T>();
        assert!(
            end <= self.buf.len() * 16
                && (offset as usize).is_multiple_of(std::mem::align_of::<T>())
        );
        // SAFETY: bounds and alignment checked above; the buffer is plain bytes we own.
        unsafe {
            self.buf
                .as_mut_ptr()
                .cast::<u8>()
                .add(offset as usize)
                .cast::<T>()
                .write(value)
        }
    }

    fn read<T: Copy>(&self, offset: u32) -> T {
        let end = offset as usize + std::mem::size_of::<T>();
        assert!(
            end <= self.buf.len() * 16
                && (offset as usize).is_multiple_of(std::mem::align_of::<T>())
        );
        // SAFETY: bounds and alignment checked above; every field was initialized (zeroed).
        unsafe {
            self.buf
                .as_ptr()
                .cast::<u8>()
                .add(offset as usize)
                .cast::<T>()
                .read()
        }
    }

    /// Sets the runtime pointer.
    pub fn set_runtime(&mut self, p: *mut ()) {
        self.write(self.offsets.runtime(), p);
    }
    /// Sets the store's runtime limits pointer.
    pub fn set_limits(&mut self, p: *mut VMRuntimeLimits) {
        self.write(self.offsets.limits(), p);
    }
    /// Sets memory `i`'s definition pointer and the copy of its base address, which never
    /// changes.
    pub fn set_memory(&mut self, i: u32, p: *mut VMMemoryDefinition, base: *mut u8) {
        self.write(self.offsets.memory(i), p);
        self.write(self.offsets.memory_base_of(i), base);
    }
    /// Memory `i`'s definition pointer.
    pub fn memory(&self, i: u32) -> *mut VMMemoryDefinition {
        self.read(self.offsets.memory(i))
    }
    /// Sets table `i`'s definition pointer.
    pub fn set_table(&mut self, i: u32, p: *mut VMTableDefinition) {
        self.write(self.offsets.table(i), p);
    }
    /// Table `i`'s definition pointer.
    pub fn table(&self, i: u32) -> *mut VMTableDefinition {
        self.read(self.offsets.table(i))
    }
    /// Sets global `i`'s definition pointer.
    pub fn set_global(&mut self, i: u32, p: *mut VMGlobalDefinition) {
        self.write(self.offsets.global(i), p);
    }
    /// Global `i`'s definition pointer.
    pub fn global(&self, i: u32) -> *mut VMGlobalDefinition {
        self.read(self.offsets.global(i))
    }
    /// Sets function `i`'s reference pointer.
    pub fn set_func(&mut self, i: u32, p: *const VMFuncRef) {
        self.write(self.offsets.func(i), p);
    }
    /// Function `i`'s reference pointer.
    pub fn func(&self, i: u32) -> *const VMFuncRef {
        self.read(self.offsets.func(i))
    }
    /// Sets type `i`'s engine-wide signature id.
    pub fn set_type_id(&mut self, i: u32, id: u32) {
        self.write(self.offsets.type_id(i), id);
    }
    /// Type `i`'s engine-wide signature id.
    pub fn type_id(&self, i: u32) -> u32 {
        self.read(self.offsets.type_id(i))
    }
}

// SAFETY: the raw pointers in VM structures point into data owned by the same store (boxed,
// never moved); a store, with everything it owns, is used by one thread at a time.
unsafe impl Send for VMContextBox {}
// SAFETY: see above.
unsafe impl Send for VMMemoryDefinition {}
// SAFETY: see above.
unsafe impl Send for VMTableDefinition {}
// SAFETY: see above.
unsafe impl Send for VMFuncRef {}

/// Reads a function reference's store index.
pub fn func_ref_id(raw: u64) -> Option<u32> {
    if raw == 0 {
        return None;
    }
    // SAFETY: a non-null funcref value is always a pointer to a live, boxed `VMFuncRef` of the
    // store that produced it; the store keeps every `VMFuncRef` alive as long as itself.
    Some(unsafe { (*(raw as usize as *const VMFuncRef)).func_id })
}

/// Reads a function reference's signature id.
#[allow(dead_code, reason = "used by the compiled tier")]
pub fn func_ref_type_id(raw: u64) -> u32 {
    debug_assert!(raw != 0);
    // SAFETY: as in `func_ref_id`; callers check for null first.
    unsafe { (*(raw as usize as *const VMFuncRef)).type_id }
}

impl<T> crate::Store<T> {
    /// Whether a call into this store has been entered and has not returned: true inside a
    /// host function the store is running, and after a call was left by a non-local exit.
    pub fn is_in_call(&self) -> bool {
        self.inner.meter.in_call()
    }

    /// Forgets the calls into this store that were entered and will never return, because a
    /// non-local exit left them: a C host's `siglongjmp` out of a signal handler while guest
    /// code ran (WasmEdge's Rust SDK does this for its timeouts). Their metering, deadline,
    /// compiled-code state and value stack are taken back, so the store runs calls again.
    /// What the guest changed before it was stopped (memories, globals, tables) stays.
    ///
    /// # Safety
    /// No call into this store may be running, on any thread: every call entered and not
    /// returned must have been abandoned for good (its native frames discarded). Rust code
    /// cannot leave a call this way; only a C caller's `longjmp` across the runtime can.
    pub unsafe fn forget_abandoned_calls(&mut self) {
        let inner = &mut self.inner;
        #[cfg(feature = "cranelift")]
        if inner.limits.depth > 0 {
            // What compiled code charged before it was stopped.
            inner.meter.take_from_compiled(&inner.limits);
        }
        let limits = &mut *inner.limits;
        limits.depth = 0;
        limits.store = std::ptr::null_mut();
        limits.inner = std::ptr::null_mut();
        #[cfg(feature = "cranelift")]
        {
            limits.dispatch = None;
        }
        limits.trap_code = 0;
        limits.pending = None;
        inner.meter.abandon_calls();
        // SAFETY: the caller guarantees the call that lent the stack never resumes.
        unsafe { crate::interp::reclaim_lent_stack(inner) };
    }
}

impl Drop for crate::store::StoreInner {
    fn drop(&mut self) {
        // A store being dropped runs no call (that would borrow it), so a value stack still
        // lent out belongs to a call abandoned by a non-local exit.
        // SAFETY: as said; no frame that could use the stack exists.
        unsafe { crate::interp::reclaim_lent_stack(self) };
    }
}
