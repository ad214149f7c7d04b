//! How a trap in compiled code gets back to the host.
//!
//! Compiled code traps with a faulting instruction: an explicit trap (`ud2` on x86-64, `udf` on
//! aarch64) or a load or store that hits a memory's guard region. Cranelift records each such
//! instruction as a trap site, and [`CodeImage`](crate::CodeImage) keeps the sites with the
//! code. Loaded code is entered in the registry below for as long as it is mapped.
//!
//! The runtime enters compiled code only through [`call_trampoline`]. It calls an assembly stub
//! that saves the callee-saved registers and records its stack pointer in an *activation*,
//! which a thread-local list links to the activations below it (compiled code may call the
//! host, which may enter compiled code again). When a signal (SIGILL, SIGSEGV, SIGBUS, SIGFPE)
//! arrives on a thread with an activation, and the faulting PC is a trap site of registered
//! code, the handler records the trap in the innermost activation and edits the signal context
//! so that the thread resumes in the stub's landing pad with that activation's stack pointer.
//! The landing pad restores the registers and returns from the stub as if the call had
//! returned, with a flag saying it trapped.
//!
//! Every frame this skips is compiled code: a host function or the interpreter called from
//! compiled code returns to it (with its error stored in `VMRuntimeLimits::trap_code`) before
//! the compiled caller traps, so no Rust frame is ever skipped. A fault anywhere else goes to
//! the handler that was installed before ours (Rust's stack-overflow handler, or the default
//! action).

use std::cell::Cell;
use std::collections::BTreeMap;
use std::sync::{Arc, Once, OnceLock, PoisonError, RwLock};
use wedge_environ::{TRAP_SITE_PENDING as SITE_PENDING, TrapCode};

/// Cranelift trap code for [`SITE_PENDING`].
pub(crate) const CLIF_PENDING: cranelift_codegen::ir::TrapCode =
    cranelift_codegen::ir::TrapCode::unwrap_user(200);

/// The Cranelift trap code that compiled code uses for `code`.
pub(crate) fn clif_trap(code: TrapCode) -> cranelift_codegen::ir::TrapCode {
    cranelift_codegen::ir::TrapCode::unwrap_user(code as u8 + 1)
}

/// The trap-site code of a trap Cranelift recorded, or None for one we never emit.
pub(crate) fn site_code(code: cranelift_codegen::ir::TrapCode) -> Option<u8> {
    use cranelift_codegen::ir::TrapCode as C;
    let ours = match code {
        CLIF_PENDING => return Some(SITE_PENDING),
        C::HEAP_OUT_OF_BOUNDS => TrapCode::MemoryOutOfBounds,
        C::INTEGER_DIVISION_BY_ZERO => TrapCode::IntegerDivideByZero,
        C::INTEGER_OVERFLOW => TrapCode::IntegerOverflow,
        C::BAD_CONVERSION_TO_INTEGER => TrapCode::InvalidConversionToInteger,
        C::STACK_OVERFLOW => TrapCode::CallStackExhausted,
        user => TrapCode::from_index(u32::from(user.as_raw().get()).checked_sub(1)?)?,
    };
    Some(ours as u8)
}

/// Why compiled code entered with [`call_trampoline`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trap {
    /// It trapped with this code.
    Code(TrapCode),
    /// A libcall or host function it called failed; the error is what the runtime stored in
    /// `VMRuntimeLimits::trap_code` (and kept, for an error that is not a trap).
    Pending,
}

/// One stub call's record. The stub writes `sp`; the signal handler writes `code`.
#[repr(C)]
struct Activation {
    /// The stub's stack pointer after it saved the registers (the landing pad's).
    sp: usize,
    /// The trap-site code of the trap, once one happened.
    code: u8,
    /// The activation below this one on this thread.
    prev: *mut Activation,
}

thread_local! {
    /// This thread's innermost activation (null outside compiled code). Const-initialized and
    /// without a destructor, so the signal handler can read it.
    static ACTIVE: Cell<*mut Activation> = const { Cell::new(std::ptr::null_mut()) };
}

/// Calls host entry trampoline `trampoline` (`extern "C" fn(callee_vmctx, caller_vmctx,
/// cells)`) so that a trap in the compiled code it runs comes back as `Err`.
///
/// # Safety
/// `trampoline` must be a host entry trampoline of code that is loaded (registered) and stays
/// loaded during the call, and its arguments must be what it expects.
pub unsafe fn call_trampoline(
    trampoline: *const u8,
    callee_vmctx: *mut u8,
    caller_vmctx: *mut u8,
    cells: *mut u128,
) -> Result<(), Trap> {
    install_handlers();
    let mut act = Activation {
        sp: 0,
        code: 0,
        prev: std::ptr::null_mut(),
    };
    let act_ptr: *mut Activation = &mut act;
    // SAFETY: `act_ptr` points to `act`, which outlives the call; it leaves the thread-local
    // list before `act` goes away.
    let trapped = unsafe {
        (*act_ptr).prev = ACTIVE.replace(act_ptr);
        let r = stub::wedge_cranelift_enter(act_ptr, trampoline, callee_vmctx, caller_vmctx, cells);
        ACTIVE.set((*act_ptr).prev);
        r
    };
    if trapped == 0 {
        return Ok(());
    }
    // SAFETY: `act_ptr` is still `act`; the handler wrote `code` before the stub returned.
    let code = unsafe { std::ptr::read_volatile(&raw const (*act_ptr).code) };
    Err(match code {
        SITE_PENDING => Trap::Pending,
        n => Trap::Code(TrapCode::from_index(n.into()).unwrap_or(TrapCode::HostFuncError)),
    })
}

/// A code range entered in the registry; removed on drop.
pub(crate) struct Registration {
    start: usize,
}

/// Loaded code: where it ends, and its trap sites (sorted by offset from the start).
struct Entry {
    end: usize,
    sites: Arc<[(u32, u8)]>,
}

/// All loaded code, by start address.
static CODE: RwLock<BTreeMap<usize, Entry>> = RwLock::new(BTreeMap::new());

impl Registration {
    /// Registers `len` bytes of code at `start` with trap sites `sites` (sorted offsets).
    pub(crate) fn new(start: usize, len: usize, sites: Arc<[(u32, u8)]>) -> Registration {
        let mut code = CODE.write().unwrap_or_else(PoisonError::into_inner);
        code.insert(
            start,
            Entry {
                end: start + len,
                sites,
            },
        );
        Registration { start }
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        let mut code = CODE.write().unwrap_or_else(PoisonError::into_inner);
        code.remove(&self.start);
    }
}

/// The trap-site code at `pc`, if `pc` is a trap site of loaded code.
///
/// Called from the signal handler. The registry is written only while code is registered or
/// dropped, which never happens on a thread in the middle of running compiled code, so a
/// thread that faults at a trap site never waits for a lock it holds itself.
fn lookup(pc: usize) -> Option<u8> {
    let code = CODE.read().unwrap_or_else(PoisonError::into_inner);
    let (&start, entry) = code.range(..=pc).next_back()?;
    if pc >= entry.end {
        return None;
    }
    let offset = u32::try_from(pc - start).ok()?;
    let i = entry
        .sites
        .binary_search_by_key(&offset, |&(o, _)| o)
        .ok()?;
    Some(entry.sites[i].1)
}

/// The signals compiled code traps with.
const SIGNALS: [libc::c_int; 4] = [libc::SIGILL, libc::SIGSEGV, libc::SIGBUS, libc::SIGFPE];

/// The handlers installed before ours, in [`SIGNALS`] order.
static PREVIOUS: OnceLock<[libc::sigaction; 4]> = OnceLock::new();

/// Installs the signal handlers, once per process.
pub fn install_handlers() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: `sigaction` with a null new action only reads the current one into
        // `previous`, which is plain data.
        let previous = SIGNALS.map(|sig| unsafe {
            let mut old: libc::sigaction = std::mem::zeroed();
            libc::sigaction(sig, std::ptr::null(), &mut old);
            old
        });
        let _ = PREVIOUS.set(previous);
        for sig in SIGNALS {
            // SAFETY: installs `on_signal`, which has the three-argument signature
            // `SA_SIGINFO` calls for; `action` is fully initialized (zeroed, empty mask).
            unsafe {
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = on_signal as *const () as usize;
                action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK | libc::SA_NODEFER;
                libc::sigemptyset(&mut action.sa_mask);
                if libc::sigaction(sig, &action, std::ptr::null_mut()) != 0 {
                    panic!(
                        "cannot install the handler for signal {sig}: {}",
                        std::io::Error::last_os_error()
                    );
                }
            }
        }
    });
}

/// The signal handler: resumes a trapping activation at the landing pad, or forwards.
///
/// # Safety
/// Only the kernel calls it, as an `SA_SIGINFO` handler, with the signal's `siginfo_t` and
/// the interrupted thread's `ucontext_t`.
unsafe extern "C" fn on_signal(
    sig: libc::c_int,
    info: *mut libc::siginfo_t,
    context: *mut libc::c_void,
) {
    let act = ACTIVE.with(Cell::get);
    if !act.is_null() {
        // SAFETY: the kernel passes the interrupted thread's `ucontext_t`.
        let pc = unsafe { context_pc(context) };
        if let Some(code) = lookup(pc) {
            // SAFETY: `act` is this thread's innermost activation, live while its stub runs
            // (the trap happened below it); the context is ours to edit.
            unsafe {
                (*act).code = code;
                resume(
                    context,
                    (*act).sp,
                    stub::wedge_cranelift_landing as *const () as usize,
                );
            }
            return;
        }
    }
    // SAFETY: forwards the signal with the kernel's arguments.
    unsafe { forward(sig, info, context) };
}

/// Hands a signal that is not ours to the handler installed before ours.
///
/// # Safety
/// The arguments must be those the kernel passed to [`on_signal`].
unsafe fn forward(sig: libc::c_int, info: *mut libc::siginfo_t, context: *mut libc::c_void) {
    let Some(i) = SIGNALS.iter().position(|&s| s == sig) else {
        return;
    };
    let Some(prev) = PREVIOUS.get().map(|p| &p[i]) else {
        return;
    };
    let handler = prev.sa_sigaction;
    if handler == libc::SIG_DFL || handler == libc::SIG_IGN {
        // Restore the default action: returning runs the faulting instruction again, and this
        // time the default action (a core dump) follows.
        // SAFETY: a zeroed sigaction with SIG_DFL is the default action.
        unsafe {
            let mut dfl: libc::sigaction = std::mem::zeroed();
            dfl.sa_sigaction = libc::SIG_DFL;
            libc::sigaction(sig, &dfl, std::ptr::null_mut());
        }
    } else if prev.sa_flags & libc::SA_SIGINFO != 0 {
        // SAFETY: with SA_SIGINFO the previous handler has this signature.
        unsafe {
            let f: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
                std::mem::transmute(handler);
            f(sig, info, context);
        }
    } else {
        // SAFETY: without SA_SIGINFO the previous handler takes the signal number only.
        unsafe {
            let f: extern "C" fn(libc::c_int) = std::mem::transmute(handler);
            f(sig);
        }
    }
}

/// The PC of the interrupted thread.
///
/// # Safety
/// `context` must be the `ucontext_t` the kernel passed to a signal handler.
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
unsafe fn context_pc(context: *mut libc::c_void) -> usize {
    let uc = context.cast::<libc::ucontext_t>();
    // SAFETY: the caller passes a valid `ucontext_t`.
    unsafe { (*uc).uc_mcontext.gregs[libc::REG_RIP as usize] as usize }
}

/// Makes the interrupted thread resume at `pc` with stack pointer `sp`.
///
/// # Safety
/// As for [`context_pc`]; `sp` and `pc` must be a valid place to resume.
#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
unsafe fn resume(context: *mut libc::c_void, sp: usize, pc: usize) {
    let uc = context.cast::<libc::ucontext_t>();
    // SAFETY: the caller passes a valid `ucontext_t`, which the kernel restores on return.
    unsafe {
        (*uc).uc_mcontext.gregs[libc::REG_RSP as usize] = sp as i64;
        (*uc).uc_mcontext.gregs[libc::REG_RIP as usize] = pc as i64;
    }
}

/// The PC of the interrupted thread.
///
/// # Safety
/// `context` must be the `ucontext_t` the kernel passed to a signal handler.
#[cfg(all(target_os = "linux", target_arch = "aarch64"))]
unsafe fn context_pc(context: *mut libc::c_void) -> usize {
    let uc = context.cast::<libc::ucontext_t>();
    // SAFETY: the caller passes a valid `ucontext_t`.
    unsafe { (*uc).uc_mcontext.pc as usize }
}

/// Makes the interrupted thread resume at `pc` with stack pointer `sp`.
///
/// # Safety
/// As for [`context_pc`]; `sp` and `pc` must be a valid place to resume.
#[cfg(all(target_os = "linux", target_arch = "aarch64"))]
unsafe fn resume(context: *mut libc::c_void, sp: usize, pc: usize) {
    let uc = context.cast::<libc::ucontext_t>();
    // SAFETY: the caller passes a valid `ucontext_t`, which the kernel restores on return.
    unsafe {
        (*uc).uc_mcontext.sp = sp as u64;
        (*uc).uc_mcontext.pc = pc as u64;
    }
}

/// Where this module can catch traps; elsewhere the compiler refuses to start.
pub(crate) const SUPPORTED: bool = cfg!(all(
    target_os = "linux",
    any(target_arch = "x86_64", target_arch = "aarch64")
));

/// Elsewhere no compiled code runs (the compiler refuses to start), so no fault is ours.
///
/// # Safety
/// None: it reads nothing.
#[cfg(not(all(
    target_os = "linux",
    any(target_arch = "x86_64", target_arch = "aarch64")
)))]
unsafe fn context_pc(_: *mut libc::c_void) -> usize {
    0
}

/// Never called where no compiled code runs.
///
/// # Safety
/// None: it does nothing.
#[cfg(not(all(
    target_os = "linux",
    any(target_arch = "x86_64", target_arch = "aarch64")
)))]
unsafe fn resume(_: *mut libc::c_void, _: usize, _: usize) {}

/// The entry stub and its landing pad.
///
/// `wedge_cranelift_enter(act, f, a, b, c) -> u32` saves the callee-saved registers, stores its
/// stack pointer in `act.sp` and calls `f(a, b, c)`; it returns 0 when `f` returns. The landing
/// pad, entered with the stack pointer set to `act.sp`, restores the registers and returns 1
/// from the same call.
mod stub {
    use super::Activation;

    unsafe extern "C" {
        pub(super) fn wedge_cranelift_enter(
            act: *mut Activation,
            f: *const u8,
            a: *mut u8,
            b: *mut u8,
            c: *mut u128,
        ) -> u32;
        pub(super) fn wedge_cranelift_landing();
    }

    #[cfg(target_arch = "x86_64")]
    std::arch::global_asm!(
        ".text",
        ".p2align 4",
        ".globl wedge_cranelift_enter",
        ".hidden wedge_cranelift_enter",
        ".type wedge_cranelift_enter,@function",
        "wedge_cranelift_enter:",
        "push rbp",
        "mov rbp, rsp",
        "push rbx",
        "push r12",
        "push r13",
        "push r14",
        "push r15",
        "sub rsp, 8",
        "mov [rdi], rsp",
        "mov rax, rsi",
        "mov rdi, rdx",
        "mov rsi, rcx",
        "mov rdx, r8",
        "call rax",
        "xor eax, eax",
        "2:",
        "add rsp, 8",
        "pop r15",
        "pop r14",
        "pop r13",
        "pop r12",
        "pop rbx",
        "pop rbp",
        "ret",
        ".size wedge_cranelift_enter, . - wedge_cranelift_enter",
        ".globl wedge_cranelift_landing",
        ".hidden wedge_cranelift_landing",
        ".type wedge_cranelift_landing,@function",
        "wedge_cranelift_landing:",
        "mov eax, 1",
        "jmp 2b",
        ".size wedge_cranelift_landing, . - wedge_cranelift_landing",
    );

    #[cfg(target_arch = "aarch64")]
    std::arch::global_asm!(
        ".text",
        ".p2align 2",
        ".globl wedge_cranelift_enter",
        ".hidden wedge_cranelift_enter",
        ".type wedge_cranelift_enter,%function",
        "wedge_cranelift_enter:",
        "stp x29, x30, [sp, #-16]!",
        "mov x29, sp",
        "stp x19, x20, [sp, #-16]!",
        "stp x21, x22, [sp, #-16]!",
        "stp x23, x24, [sp, #-16]!",
        "stp x25, x26, [sp, #-16]!",
        "stp x27, x28, [sp, #-16]!",
        "stp d8, d9, [sp, #-16]!",
        "stp d10, d11, [sp, #-16]!",
        "stp d12, d13, [sp, #-16]!",
        "stp d14, d15, [sp, #-16]!",
        "mov x9, sp",
        "str x9, [x0]",
        "mov x9, x1",
        "mov x0, x2",
        "mov x1, x3",
        "mov x2, x4",
        "blr x9",
        "mov w0, #0",
        "2:",
        "ldp d14, d15, [sp], #16",
        "ldp d12, d13, [sp], #16",
        "ldp d10, d11, [sp], #16",
        "ldp d8, d9, [sp], #16",
        "ldp x27, x28, [sp], #16",
        "ldp x25, x26, [sp], #16",
        "ldp x23, x24, [sp], #16",
        "ldp x21, x22, [sp], #16",
        "ldp x19, x20, [sp], #16",
        "ldp x29, x30, [sp], #16",
        "ret",
        ".size wedge_cranelift_enter, . - wedge_cranelift_enter",
        ".globl wedge_cranelift_landing",
        ".hidden wedge_cranelift_landing",
        ".type wedge_cranelift_landing,%function",
        "wedge_cranelift_landing:",
        "mov w0, #1",
        "b 2b",
        ".size wedge_cranelift_landing, . - wedge_cranelift_landing",
    );
}
