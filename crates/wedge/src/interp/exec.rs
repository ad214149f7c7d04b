//! The executor: a dispatch loop over the register IR.
//!
//! Wasm-to-wasm calls push a `Frame` on a heap vector instead of recursing, so guest recursion is
//! bounded by `Config::max_call_depth` and `Config::max_stack_values` and traps cleanly with
//! "call stack exhausted".

#![allow(
    unsafe_code,
    reason = "the executor reads frame cells and linear memory through raw pointers"
)]

use super::ir::{CompiledFunc, Instr, Reg, for_each_op};
use super::simd;
use crate::metering::interrupt::InterruptFlag;
use crate::module::ModuleInner;
use crate::store::FuncKind;
use crate::vm::{VMFuncRef, VMGlobalDefinition, VMMemoryDefinition, VMTableDefinition};
use crate::{Caller, Error, Store, Val};
use std::sync::Arc;
use wedge_environ::TrapCode;

/// The value stack and call frames of one invocation; reused between calls.
pub(crate) struct Stack {
    /// Frame cells. Allocated zeroed at full size once: the OS commits pages on first touch.
    cells: Box<[u128]>,
    frames: Vec<Frame>,
    max_depth: usize,
    /// Where the instructions of a region cut short by the cost limit run.
    trampoline: Trampoline,
}

/// The instructions a cost-limited region still runs, ending in the cost-limit trap.
#[derive(Default)]
struct Trampoline {
    code: Vec<Instr>,
    /// The operator (index in the function's region map) of each instruction but the trap.
    ops: Vec<u32>,
    /// The operator that did not fit.
    failed_op: u32,
}

// SAFETY: `frames` holds raw pointers only while an invocation runs (it is cleared after each),
// and those point into data owned by the store that owns this stack; a store is used by one
// thread at a time.
unsafe impl Send for Stack {}

impl Stack {
    pub(crate) fn new(config: &crate::Config) -> Self {
        Stack {
            cells: vec![0u128; config.max_stack_values].into_boxed_slice(),
            frames: Vec::new(),
            max_depth: config.max_call_depth,
            trampoline: Trampoline::default(),
        }
    }
}

/// What a running function needs from its instance.
#[derive(Copy, Clone)]
struct Ctx {
    vmctx: *mut u8,
    module: *const ModuleInner,
    instance: u32,
    mem0: *mut VMMemoryDefinition,
}

/// A suspended caller.
struct Frame {
    func: *const CompiledFunc,
    /// Index of the instruction to resume at.
    ip: usize,
    /// Cell offset of the caller's frame.
    fp: usize,
    ctx: Ctx,
}

impl<T> Store<T> {
    fn ctx(&mut self, instance: u32) -> Ctx {
        let inst = &mut self.inner.instances[instance as usize];
        let module: *const ModuleInner = inst.module.inner();
        let mem0 = if inst.memories.is_empty() {
            std::ptr::null_mut()
        } else {
            inst.vmctx.memory(0)
        };
        Ctx {
            vmctx: inst.vmctx.as_ptr().cast(),
            module,
            instance,
            mem0,
        }
    }
}

/// Whether a module runs compiled (always false without the compiled tier).
#[cfg(feature = "cranelift")]
macro_rules! compiled {
    ($module:expr) => {
        $module.inner().compiled.is_some()
    };
}
#[cfg(not(feature = "cranelift"))]
macro_rules! compiled {
    ($module:expr) => {{
        let _ = &$module;
        false
    }};
}

/// Calls compiled function `def` of `instance` with arguments and results at `cells`.
#[cfg(feature = "cranelift")]
macro_rules! call_compiled {
    ($store:expr, $instance:expr, $def:expr, $cells:expr) => {
        crate::vm::jit::call_compiled($store, $instance, $def, $cells)
    };
}
#[cfg(not(feature = "cranelift"))]
macro_rules! call_compiled {
    ($store:expr, $instance:expr, $def:expr, $cells:expr) => {{
        // Without the compiled tier no function is compiled, so this is never reached.
        let _ = ($instance, $def, $cells);
        Err::<(), crate::Error>(crate::Error::host("no compiled tier in this build"))
    }};
}

/// The dispatch loop for code without metering.
const PLAIN: u8 = 0;
/// The dispatch loop for interruptible code without metering instructions.
const INTERRUPTIBLE: u8 = 1;
/// The dispatch loop for code with metering instructions.
const METERED: u8 = 2;

/// Calls store function `func` with `params`, writing `results`.
pub(crate) fn invoke<T>(
    store: &mut Store<T>,
    func: u32,
    params: &[Val],
    results: &mut [Val],
) -> Result<(), Error> {
    let own = store.inner.stack.take();
    let lent = own.is_some();
    let mut stack = own.unwrap_or_else(|| Box::new(Stack::new(store.inner.engine.config())));
    if lent {
        store.inner.lent_stack = &*stack as *const Stack as usize;
    }
    let top = store.inner.meter.enter();
    // A host function that panics unwinds through here: leave the call first, so the store's
    // metering stays consistent.
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        invoke_on(store, &mut stack, func, params, results)
    }));
    store.inner.meter.leave(top);
    let r = r.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    stack.frames.clear();
    store.inner.stack = Some(stack);
    if lent {
        store.inner.lent_stack = 0;
    }
    r
}

/// Takes back the value stack an abandoned outermost call holds (see
/// `Store::forget_abandoned_calls`).
///
/// # Safety
/// The call that lent the stack must never resume: its frame is gone.
pub(crate) unsafe fn reclaim_lent_stack(inner: &mut crate::store::StoreInner) {
    let lent = std::mem::take(&mut inner.lent_stack);
    if lent != 0 {
        // SAFETY: `invoke` recorded this address of the store's own boxed stack when it took
        // it and clears it when it puts it back; the caller guarantees that call is gone, so
        // the box is owned by nobody else.
        let mut stack = unsafe { Box::from_raw(lent as *mut Stack) };
        stack.frames.clear();
        inner.stack = Some(stack);
    }
}

fn invoke_on<T>(
    store: &mut Store<T>,
    stack: &mut Stack,
    func: u32,
    params: &[Val],
    results: &mut [Val],
) -> Result<(), Error> {
    let entity = &store.inner.funcs[func as usize];
    let result_types: Vec<_> = entity.ty.results().to_vec();
    for (k, p) in params.iter().enumerate() {
        stack.cells[k] = p.to_raw(&store.inner);
    }
    match entity.kind.clone() {
        FuncKind::Host(h) => {
            let cells = stack.cells.as_mut_ptr();
            // SAFETY: the parameters were written to cells 0..n above and the stack has room
            // for the results (it holds at least 1024 cells; host signatures are validated).
            unsafe { call_host(store, h, func, None, cells)? };
        }
        #[cfg(feature = "cranelift")]
        FuncKind::Wasm {
            instance,
            ref module,
            def,
        } if module.inner().compiled.is_some() => {
            let cells = stack.cells.as_mut_ptr();
            // SAFETY: the parameters are in cells 0..n and the stack has room for the results.
            unsafe { crate::vm::jit::call_compiled(store, instance, def, cells)? };
        }
        FuncKind::Wasm {
            instance,
            module,
            def,
        } => {
            let code: *const CompiledFunc = &**module.inner().code(def)?;
            let ctx = store.ctx(instance);
            let metering = &store.inner.engine.config().metering;
            if metering.charges() {
                // SAFETY: `code` is kept alive by `module` (held by the store's function entity
                // for as long as the store lives), and `ctx` was built from a live instance.
                unsafe { run::<T, METERED>(store, stack, code, ctx)? };
            } else if metering.interruptible {
                // SAFETY: as above.
                unsafe { run::<T, INTERRUPTIBLE>(store, stack, code, ctx)? };
            } else {
                // SAFETY: as above.
                unsafe { run::<T, PLAIN>(store, stack, code, ctx)? };
            }
        }
    }
    for (k, ty) in result_types.iter().enumerate() {
        results[k] = Val::from_raw(stack.cells[k], *ty, &store.inner);
    }
    Ok(())
}

/// Calls host function `h` (store function `func`) with arguments at `args`, writing results
/// there.
///
/// # Safety
/// `args` must point to at least max(params, results) cells of a live stack.
pub(crate) unsafe fn call_host<T>(
    store: &mut Store<T>,
    h: u32,
    func: u32,
    instance: Option<u32>,
    args: *mut u128,
) -> Result<(), Error> {
    let ty = store.inner.funcs[func as usize].ty.clone();
    // SAFETY: the caller guarantees `args` covers the parameters.
    let params: Vec<Val> = ty
        .params()
        .iter()
        .enumerate()
        .map(|(k, t)| Val::from_raw(unsafe { *args.add(k) }, *t, &store.inner))
        .collect();
    let mut results: Vec<Val> = ty.results().iter().map(|t| Val::default_for(*t)).collect();
    let f = store.hosts[h as usize].clone();
    let cost = store.inner.funcs[func as usize].cost;
    store.inner.meter.charge_host(cost)?;
    let started = store.inner.meter.host_start();
    let hooks = store.inner.host_hooks.clone();
    if let Some(h) = &hooks {
        (h.before)();
    }
    let r = f(Caller { store, instance }, &params, &mut results);
    if let Some(h) = &hooks {
        (h.after)();
    }
    store.inner.meter.host_end(started);
    r?;
    for (k, (v, t)) in results.iter().zip(ty.results()).enumerate() {
        if v.ty() != *t {
            return Err(Error::type_mismatch(format!(
                "host function returned a {} for a {t} result",
                v.ty()
            )));
        }
        let raw = v.to_raw(&store.inner);
        // SAFETY: the caller guarantees `args` covers the results.
        unsafe { *args.add(k) = raw };
    }
    Ok(())
}

/// A value type that lives in a cell.
trait CellVal: Copy {
    /// # Safety
    /// `p` must point to a live cell.
    unsafe fn read(p: *const u128) -> Self;
    /// # Safety
    /// `p` must point to a live cell.
    unsafe fn write(self, p: *mut u128);
}

macro_rules! cell_int {
    ($($t:ty),*) => {$(
        impl CellVal for $t {
            #[inline(always)]
            unsafe fn read(p: *const u128) -> Self {
                // SAFETY: the caller guarantees a live cell; cells are 16-byte aligned.
                unsafe { *(p as *const u64) as $t }
            }
            #[inline(always)]
            unsafe fn write(self, p: *mut u128) {
                // SAFETY: as above.
                unsafe { *(p as *mut u64) = self as u64 }
            }
        }
    )*};
}
cell_int!(u32, i32, u64, i64);

impl CellVal for f32 {
    #[inline(always)]
    unsafe fn read(p: *const u128) -> Self {
        // SAFETY: the caller guarantees a live cell.
        f32::from_bits(unsafe { u32::read(p) })
    }
    #[inline(always)]
    unsafe fn write(self, p: *mut u128) {
        // SAFETY: the caller guarantees a live cell.
        unsafe { self.to_bits().write(p) }
    }
}
impl CellVal for f64 {
    #[inline(always)]
    unsafe fn read(p: *const u128) -> Self {
        // SAFETY: the caller guarantees a live cell.
        f64::from_bits(unsafe { u64::read(p) })
    }
    #[inline(always)]
    unsafe fn write(self, p: *mut u128) {
        // SAFETY: the caller guarantees a live cell.
        unsafe { self.to_bits().write(p) }
    }
}
impl CellVal for u128 {
    #[inline(always)]
    unsafe fn read(p: *const u128) -> Self {
        // SAFETY: the caller guarantees a live cell.
        unsafe { *p }
    }
    #[inline(always)]
    unsafe fn write(self, p: *mut u128) {
        // SAFETY: the caller guarantees a live cell.
        unsafe { *p = self }
    }
}

/// Address of `size` bytes at `addr + offset` in a memory, or a trap.
///
/// # Safety
/// `def` must point to a live memory definition.
#[inline(always)]
unsafe fn mem_at(
    def: *mut VMMemoryDefinition,
    addr: u64,
    offset: u32,
    size: usize,
) -> Result<*mut u8, TrapCode> {
    let ea = addr + u64::from(offset);
    // SAFETY: the caller guarantees `def` is live.
    let (base, len) = unsafe { ((*def).base, (*def).current_length as u64) };
    if ea + size as u64 > len {
        return Err(TrapCode::MemoryOutOfBounds);
    }
    // SAFETY: `ea + size <= len`, so the range is inside the committed memory.
    Ok(unsafe { base.add(ea as usize) })
}

/// Reads the pointer at byte offset `off` of a VM context.
///
/// # Safety
/// `vmctx` must be a live VM context and `off` a pointer slot of its layout.
#[inline(always)]
unsafe fn vm_ptr<P>(vmctx: *mut u8, off: u32) -> *mut P {
    // SAFETY: the caller guarantees the slot exists; slots are pointer-aligned.
    unsafe { *(vmctx.add(off as usize) as *const *mut P) }
}

macro_rules! run_loop {
    (
        $store:ident, $stack:ident, $func:ident, $ctx:ident;
        int_binary: [ $( ($ib:ident, $ibi:ident, $iba:ty, $ibr:ty, $ibf:expr) ),* $(,)? ]
        int_binary_trap: [ $( ($it:ident, $iti:ident, $ita:ty, $itr:ty, $itf:expr) ),* $(,)? ]
        binary: [ $( ($b:ident, $ba:ty, $br:ty, $bf:expr) ),* $(,)? ]
        unary: [ $( ($u:ident, $ua:ty, $ur:ty, $uf:expr) ),* $(,)? ]
        unary_trap: [ $( ($ut:ident, $uta:ty, $utr:ty, $utf:expr) ),* $(,)? ]
        br_cmp: [ $( ($bc:ident, $bci:ident, $bb:ident, $bbi:ident, $bn:ident, $bni:ident, $bct:ty, $bcf:expr) ),* $(,)? ]
        loads: [ $( ($l:ident, $lm:ty, $lc:ty, $lf:expr) ),* $(,)? ]
        stores: [ $( ($s:ident, $sc:ty, $sm:ty) ),* $(,)? ]
    ) => {{
        let cells: *mut u128 = $stack.cells.as_mut_ptr();
        let ncells = $stack.cells.len();
        let mut func: *const CompiledFunc = $func;
        let mut ctx: Ctx = $ctx;
        let mut code: *const Instr = (*func).code.as_ptr();
        let mut ip: *const Instr = code;
        let mut fp: *mut u128 = cells;
        if (*func).frame_size as usize > ncells {
            return Err(TrapCode::CallStackExhausted.into());
        }
        // The store's interrupt flag (the store keeps it alive): `INTERRUPTIBLE` code polls it
        // at function entries and branches back, `METERED` code in `Check*` instructions.
        let interrupt: *const InterruptFlag = Arc::as_ptr(&$store.inner.meter.interrupt);
        if MODE == INTERRUPTIBLE && (*interrupt).take() {
            return Err(TrapCode::Interrupted.into());
        }
        for c in (*func).num_params..(*func).num_locals {
            *fp.add(c as usize) = 0;
        }

        // Fails with error `e`, taking back first what metered code charged ahead for the
        // rest of the region.
        macro_rules! fail {
            ($e:expr) => {{
                let e: Error = $e.into();
                if MODE == METERED {
                    unrun_after_trap($store, $stack, &*func, code, ip.wrapping_sub(1));
                }
                return Err(e);
            }};
        }
        // Adds `count` instructions and charges `cost`, or runs out of cost.
        macro_rules! charge {
            ($count:expr, $cost:expr) => {{
                let m = &mut $store.inner.meter;
                match m.total_cost.checked_add($cost) {
                    Some(sum) if sum <= m.cost_limit => {
                        m.total_cost = sum;
                        m.instr_count += u64::from($count);
                    }
                    _ => {
                        let at = ip.offset_from(code) as usize - 1;
                        ip = tri!(cost_exhausted($store, $stack, &*func, at));
                    }
                }
            }};
        }
        // `expr?` for the dispatch loop.
        macro_rules! tri {
            ($e:expr) => {
                match $e {
                    Ok(v) => v,
                    Err(e) => fail!(e),
                }
            };
        }
        macro_rules! rd {
            ($t:ty, $r:expr) => { <$t as CellVal>::read(fp.byte_add($r as usize)) };
        }
        macro_rules! wr {
            ($r:expr, $v:expr) => { CellVal::write($v, fp.byte_add($r as usize)) };
        }
        macro_rules! memdef {
            ($mem:expr) => {
                if $mem == 0 {
                    ctx.mem0
                } else {
                    vm_ptr::<VMMemoryDefinition>(ctx.vmctx, (*ctx.module).offsets.memories_begin() + 8 * u32::from($mem))
                }
            };
        }
        macro_rules! jump {
            ($offset:expr) => {{
                // A branch back (to a loop head, maybe itself) is where a stop request is seen.
                if MODE == INTERRUPTIBLE && $offset <= 0 && (*interrupt).take() {
                    fail!(TrapCode::Interrupted);
                }
                ip = ip.offset($offset as isize - 1)
            }};
        }
        // Checks that `callee`'s frame starting at cell pointer `at` fits in the stack, and
        // zeroes its locals that are not parameters.
        macro_rules! open_frame {
            ($at:expr, $callee:expr) => {{
                let at: *mut u128 = $at;
                let callee: *const CompiledFunc = $callee;
                if at.offset_from(cells) as usize + (*callee).frame_size as usize > ncells {
                    fail!(TrapCode::CallStackExhausted);
                }
                for c in (*callee).num_params..(*callee).num_locals {
                    *at.add(c as usize) = 0;
                }
            }};
        }
        // Enters `callee` with its frame at cell `args` of the current frame.
        macro_rules! enter {
            ($callee:expr, $args:expr, $new_ctx:expr) => {{
                let callee: *const CompiledFunc = $callee;
                if MODE == INTERRUPTIBLE && (*interrupt).take() {
                    fail!(TrapCode::Interrupted);
                }
                if $stack.frames.len() >= $stack.max_depth {
                    fail!(TrapCode::CallStackExhausted);
                }
                let new_fp = fp.byte_add($args as usize);
                open_frame!(new_fp, callee);
                $stack.frames.push(Frame {
                    func,
                    ip: ip.offset_from(code) as usize,
                    fp: fp.offset_from(cells) as usize,
                    ctx,
                });
                fp = new_fp;
                func = callee;
                code = (*func).code.as_ptr();
                ip = code;
                ctx = $new_ctx;
            }};
        }
        macro_rules! do_return {
            () => {{
                match $stack.frames.pop() {
                    None => return Ok(()),
                    Some(f) => {
                        func = f.func;
                        code = (*func).code.as_ptr();
                        ip = code.add(f.ip);
                        fp = cells.add(f.fp);
                        ctx = f.ctx;
                    }
                }
            }};
        }
        // Calls store function `id` with arguments at cell `args`.
        macro_rules! call_id {
            ($id:expr, $args:expr) => {{
                let id: u32 = $id;
                match &$store.inner.funcs[id as usize].kind {
                    FuncKind::Wasm { instance, module, def } if compiled!(module) => {
                        let (instance, def) = (*instance, *def);
                        tri!(call_compiled!($store, instance, def, fp.byte_add($args as usize)));
                    }
                    FuncKind::Wasm { instance, module, def } => {
                        let (instance, def) = (*instance, *def);
                        let callee: *const CompiledFunc = &**tri!(module.inner().code(def));
                        let new_ctx = if instance == ctx.instance { ctx } else { $store.ctx(instance) };
                        enter!(callee, $args, new_ctx);
                    }
                    FuncKind::Host(h) => {
                        let h = *h;
                        tri!(call_host($store, h, id, Some(ctx.instance), fp.byte_add($args as usize)));
                    }
                }
            }};
        }
        // Tail-calls store function `id` with arguments at cell `args`.
        macro_rules! tail_call_id {
            ($id:expr, $args:expr) => {{
                let id: u32 = $id;
                let nparams = $store.inner.funcs[id as usize].ty.params().len();
                for k in 0..nparams {
                    *fp.add(k) = *fp.byte_add($args as usize).add(k);
                }
                match &$store.inner.funcs[id as usize].kind {
                    FuncKind::Wasm { instance, module, def } if compiled!(module) => {
                        let (instance, def) = (*instance, *def);
                        tri!(call_compiled!($store, instance, def, fp));
                        do_return!();
                    }
                    FuncKind::Wasm { instance, module, def } => {
                        let (instance, def) = (*instance, *def);
                        let callee: *const CompiledFunc = &**tri!(module.inner().code(def));
                        if MODE == INTERRUPTIBLE && (*interrupt).take() {
                            fail!(TrapCode::Interrupted);
                        }
                        open_frame!(fp, callee);
                        if instance != ctx.instance {
                            ctx = $store.ctx(instance);
                        }
                        func = callee;
                        code = (*func).code.as_ptr();
                        ip = code;
                    }
                    FuncKind::Host(h) => {
                        let h = *h;
                        tri!(call_host($store, h, id, Some(ctx.instance), fp));
                        do_return!();
                    }
                }
            }};
        }
        // The function reference at `index` of table `table`, checked against `type_id`.
        macro_rules! table_func {
            ($type_id:expr, $index:expr, $table:expr) => {{
                let t = vm_ptr::<VMTableDefinition>(ctx.vmctx, (*ctx.module).offsets.tables_begin() + 8 * u32::from($table));
                let i = rd!(u32, $index) as u64;
                if i >= (*t).current_elements {
                    fail!(TrapCode::UndefinedElement);
                }
                let raw = *(*t).base.add(i as usize);
                if raw == 0 {
                    fail!(TrapCode::UninitializedElement);
                }
                let r = raw as usize as *const VMFuncRef;
                if (*r).type_id != $type_id {
                    fail!(TrapCode::IndirectCallTypeMismatch);
                }
                (*r).func_id
            }};
        }

        loop {
            let instr = *ip;
            ip = ip.add(1);
            match instr {
                $( Instr::$ib { dst, a, b } => {
                    let f = $ibf;
                    wr!(dst, f(rd!($iba, a), rd!($iba, b)) as $ibr);
                } )*
                $( Instr::$ibi { dst, a, imm } => {
                    let f = $ibf;
                    wr!(dst, f(rd!($iba, a), <$iba as super::ir::FromImm>::from_imm(imm)) as $ibr);
                } )*
                $( Instr::$it { dst, a, b } => {
                    let f = $itf;
                    wr!(dst, tri!(f(rd!($ita, a), rd!($ita, b))) as $itr);
                } )*
                $( Instr::$iti { dst, a, imm } => {
                    let f = $itf;
                    wr!(dst, tri!(f(rd!($ita, a), <$ita as super::ir::FromImm>::from_imm(imm))) as $itr);
                } )*
                $( Instr::$b { dst, a, b } => {
                    let f = $bf;
                    wr!(dst, f(rd!($ba, a), rd!($ba, b)) as $br);
                } )*
                $( Instr::$u { dst, a } => {
                    let f = $uf;
                    wr!(dst, f(rd!($ua, a)) as $ur);
                } )*
                $( Instr::$ut { dst, a } => {
                    let f = $utf;
                    wr!(dst, tri!(f(rd!($uta, a))) as $utr);
                } )*
                $( Instr::$bb { a, b, offset } => {
                    let f = $bcf;
                    if f(rd!($bct, a), rd!($bct, b)) {
                        jump!(offset);
                    }
                } )*
                $( Instr::$bbi { a, imm, offset } => {
                    let f = $bcf;
                    if f(rd!($bct, a), <$bct as super::ir::FromImm>::from_imm(imm)) {
                        jump!(offset);
                    }
                } )*
                $( Instr::$l { dst, addr, offset, mem } => {
                    let p = tri!(mem_at(memdef!(mem), rd!(u32, addr) as u64, offset, std::mem::size_of::<$lm>()));
                    let x = <$lm>::from_le(std::ptr::read_unaligned(p as *const $lm));
                    let f = $lf;
                    wr!(dst, f(x) as $lc);
                } )*
                $( Instr::$s { addr, val, offset, mem } => {
                    let p = tri!(mem_at(memdef!(mem), rd!(u32, addr) as u64, offset, std::mem::size_of::<$sm>()));
                    std::ptr::write_unaligned(p as *mut $sm, (rd!($sc, val) as $sm).to_le());
                } )*

                Instr::Copy { dst, src } => wr!(dst, rd!(u128, src)),
                Instr::Const32 { dst, imm } => wr!(dst, imm as i64 as u64),
                Instr::Const64 { dst, val } => wr!(dst, val),
                Instr::Const128 { dst, pool } => wr!(dst, *(&(*func).consts).get_unchecked(pool as usize)),
                Instr::Select { dst, b, cond } => {
                    if rd!(u32, cond) == 0 {
                        wr!(dst, rd!(u128, b));
                    }
                }
                Instr::Br { offset } => jump!(offset),
                Instr::BrIfNez { cond, offset } => {
                    if rd!(u32, cond) != 0 {
                        jump!(offset);
                    }
                }
                Instr::BrIfEqz { cond, offset } => {
                    if rd!(u32, cond) == 0 {
                        jump!(offset);
                    }
                }
                Instr::BrTable { index, len } => {
                    let i = rd!(u32, index).min(len);
                    // The entries are `Br`s; executing entry i jumps to its target.
                    ip = ip.add(i as usize);
                }
                Instr::Return => do_return!(),
                Instr::Trap { code: c } => fail!(c),

                // Metering instructions exist only in code translated for a metering engine,
                // which runs in the `METERED` loop.
                Instr::Charge { .. } | Instr::Count { .. } | Instr::CheckCharge { .. }
                | Instr::CheckCount { .. } if MODE != METERED => {}
                Instr::Charge { count, cost } => charge!(count, cost),
                Instr::Count { count } => $store.inner.meter.instr_count += u64::from(count),
                Instr::CheckCharge { count, cost } => {
                    if $store.inner.meter.interrupt.take() {
                        fail!(TrapCode::Interrupted);
                    }
                    charge!(count, cost);
                }
                Instr::CheckCount { count } => {
                    if $store.inner.meter.interrupt.take() {
                        fail!(TrapCode::Interrupted);
                    }
                    $store.inner.meter.instr_count += u64::from(count);
                }

                Instr::CallInternal { def, args } => {
                    let callee: *const CompiledFunc = &**tri!((*ctx.module).code(def));
                    enter!(callee, args, ctx);
                }
                Instr::Call { func: f, args } => {
                    let r = vm_ptr::<VMFuncRef>(ctx.vmctx, (*ctx.module).offsets.funcs_begin() + 8 * f);
                    call_id!((*r).func_id, args);
                }
                Instr::CallIndirect { type_id, args, index, table } => {
                    let id = table_func!(type_id, index, table);
                    call_id!(id, args);
                }
                Instr::ReturnCall { func: f, args } => {
                    let r = vm_ptr::<VMFuncRef>(ctx.vmctx, (*ctx.module).offsets.funcs_begin() + 8 * f);
                    tail_call_id!((*r).func_id, args);
                }
                Instr::ReturnCallIndirect { type_id, args, index, table } => {
                    let id = table_func!(type_id, index, table);
                    tail_call_id!(id, args);
                }

                Instr::GlobalGet { dst, vmoff } => {
                    let g = vm_ptr::<VMGlobalDefinition>(ctx.vmctx, vmoff);
                    wr!(dst, (*g).storage);
                }
                Instr::GlobalSet { src, vmoff } => {
                    let g = vm_ptr::<VMGlobalDefinition>(ctx.vmctx, vmoff);
                    (*g).storage = rd!(u128, src);
                }
                Instr::RefFunc { dst, func: f } => {
                    let r = vm_ptr::<VMFuncRef>(ctx.vmctx, (*ctx.module).offsets.funcs_begin() + 8 * f);
                    wr!(dst, r as usize as u64);
                }

                Instr::MemorySize { dst, mem } => {
                    let d = memdef!(mem as u8);
                    wr!(dst, ((*d).current_length / crate::vm::memory::WASM_PAGE_SIZE) as u32);
                }
                Instr::MemoryGrow { dst, delta, mem } => {
                    let r = $store.inner.memory_grow(ctx.instance, mem.into(), u64::from(rd!(u32, delta)));
                    wr!(dst, r.map_or(u32::MAX, |old| old as u32));
                }
                Instr::MemoryFill { args, mem } => {
                    let (d, v, n) = (rd!(u32, args), rd!(u32, args + 16), rd!(u32, args + 32));
                    tri!($store.inner.memory_fill(ctx.instance, mem.into(), d.into(), v as u8, n.into()));
                }
                Instr::MemoryCopy { args, dst_mem, src_mem } => {
                    let (d, s, n) = (rd!(u32, args), rd!(u32, args + 16), rd!(u32, args + 32));
                    tri!($store.inner.memory_copy(ctx.instance, dst_mem.into(), src_mem.into(), d.into(), s.into(), n.into()));
                }
                Instr::MemoryInit { args, data, mem } => {
                    let (d, s, n) = (rd!(u32, args), rd!(u32, args + 16), rd!(u32, args + 32));
                    tri!($store.inner.memory_init(ctx.instance, mem.into(), data, d.into(), s.into(), n.into()));
                }
                Instr::DataDrop { data } => {
                    $store.inner.data_drop(ctx.instance, data);
                }
                Instr::TableGet { dst, index, table } => {
                    let t = vm_ptr::<VMTableDefinition>(ctx.vmctx, (*ctx.module).offsets.table(table));
                    let i = rd!(u32, index) as u64;
                    if i >= (*t).current_elements {
                        fail!(TrapCode::TableOutOfBounds);
                    }
                    wr!(dst, *(*t).base.add(i as usize));
                }
                Instr::TableSet { index, val, table } => {
                    let t = vm_ptr::<VMTableDefinition>(ctx.vmctx, (*ctx.module).offsets.table(table));
                    let i = rd!(u32, index) as u64;
                    if i >= (*t).current_elements {
                        fail!(TrapCode::TableOutOfBounds);
                    }
                    *(*t).base.add(i as usize) = rd!(u64, val);
                }
                Instr::TableSize { dst, table } => {
                    let t = vm_ptr::<VMTableDefinition>(ctx.vmctx, (*ctx.module).offsets.table(table));
                    wr!(dst, (*t).current_elements as u32);
                }
                Instr::TableGrow { args, table } => {
                    let (init, delta) = (rd!(u64, args), rd!(u32, args + 16));
                    let r = $store.inner.table_grow(ctx.instance, table.into(), u64::from(delta), init);
                    wr!(args, r.map_or(u32::MAX, |old| old as u32));
                }
                Instr::TableFill { args, table } => {
                    let (i, v, n) = (rd!(u32, args), rd!(u64, args + 16), rd!(u32, args + 32));
                    tri!($store.inner.table_fill(ctx.instance, table.into(), i.into(), v, n.into()));
                }
                Instr::TableCopy { args, dst_table, src_table } => {
                    let (d, s, n) = (rd!(u32, args), rd!(u32, args + 16), rd!(u32, args + 32));
                    tri!($store.inner.table_copy(ctx.instance, dst_table.into(), src_table.into(), d.into(), s.into(), n.into()));
                }
                Instr::TableInit { args, elem, table } => {
                    let (d, s, n) = (rd!(u32, args), rd!(u32, args + 16), rd!(u32, args + 32));
                    tri!($store.inner.table_init(ctx.instance, table.into(), elem, d.into(), s.into(), n.into()));
                }
                Instr::ElemDrop { elem } => {
                    $store.inner.elem_drop(ctx.instance, elem);
                }

                Instr::V128Load { kind, dst, addr, offset, mem } => {
                    let width = simd::load_width(kind);
                    let p = tri!(mem_at(memdef!(mem), rd!(u32, addr) as u64, offset, width));
                    let bytes = std::slice::from_raw_parts(p, width);
                    wr!(dst, simd::load_finish(kind, bytes));
                }
                Instr::V128Store { addr, val, offset, mem } => {
                    let p = tri!(mem_at(memdef!(mem), rd!(u32, addr) as u64, offset, 16));
                    let bytes = rd!(u128, val).to_le_bytes();
                    std::ptr::copy_nonoverlapping(bytes.as_ptr(), p, 16);
                }
                Instr::V128LoadLane { lane, dst, addr, offset, mem } => {
                    let (width, bits, lane) = (1usize << (lane >> 4), 8u8 << (lane >> 4), lane & 15);
                    let p = tri!(mem_at(memdef!(mem), rd!(u32, addr) as u64, offset, width));
                    let mut buf = [0u8; 8];
                    std::ptr::copy_nonoverlapping(p, buf.as_mut_ptr(), width);
                    let x = u64::from_le_bytes(buf);
                    wr!(dst, simd::with_lane_bytes(u32::from(bits), lane, rd!(u128, dst), x));
                }
                Instr::V128StoreLane { lane, addr, val, offset, mem } => {
                    let (width, bits, lane) = (1usize << (lane >> 4), 8u8 << (lane >> 4), lane & 15);
                    let p = tri!(mem_at(memdef!(mem), rd!(u32, addr) as u64, offset, width));
                    let x = simd::lane_bytes(u32::from(bits), lane, rd!(u128, val)).to_le_bytes();
                    std::ptr::copy_nonoverlapping(x.as_ptr(), p, width);
                }
                Instr::SimdUnary { op, dst, a } => wr!(dst, simd::unary(op, rd!(u128, a))),
                Instr::SimdBinary { op, dst, a, b } => wr!(dst, simd::binary(op, rd!(u128, a), rd!(u128, b))),
                Instr::SimdTernary { op, dst, b, c } => {
                    wr!(dst, simd::ternary(op, rd!(u128, dst), rd!(u128, b), rd!(u128, c)))
                }
                Instr::SimdShift { op, dst, a, b } => wr!(dst, simd::shift(op, rd!(u128, a), rd!(u32, b))),
                Instr::SimdTest { op, dst, a } => wr!(dst, simd::test(op, rd!(u128, a))),
                Instr::SimdSplat { op, dst, a } => wr!(dst, simd::splat(op, rd!(u64, a))),
                Instr::SimdExtract { op, lane, dst, a } => wr!(dst, simd::extract(op, lane, rd!(u128, a))),
                Instr::SimdReplace { op, lane, dst, a, b } => {
                    wr!(dst, simd::replace(op, lane, rd!(u128, a), rd!(u64, b)))
                }
                Instr::Shuffle { dst, b, lanes } => {
                    let lanes = (*(&(*func).consts).get_unchecked(lanes as usize)).to_le_bytes();
                    wr!(dst, simd::shuffle(rd!(u128, dst), rd!(u128, b), &lanes));
                }
            }
        }
    }};
}

/// The cold path of `Charge`: the region charged at instruction `at` of `func` does not fit in
/// the cost limit. Charges the operators that fit and returns where to run their instructions
/// (a copy ending in a cost-limit trap), or the trap if none fit.
#[cold]
#[inline(never)]
fn cost_exhausted<T>(
    store: &mut Store<T>,
    stack: &mut Stack,
    func: &CompiledFunc,
    at: usize,
) -> Result<*const Instr, Error> {
    let m = &mut store.inner.meter;
    let Some(ex) = func
        .regions
        .as_ref()
        .and_then(|r| r.exhaust(at, m.total_cost, m.cost_limit))
    else {
        return Err(TrapCode::CostLimitExceeded.into());
    };
    m.instr_count += ex.count;
    m.total_cost += ex.cost;
    if ex.prefix.is_empty() {
        return Err(TrapCode::CostLimitExceeded.into());
    }
    let t = &mut stack.trampoline;
    t.code.clear();
    t.ops.clear();
    for i in ex.prefix {
        debug_assert!(func.code[i].is_straight_line(), "{:?}", func.code[i]);
        t.code.push(func.code[i]);
        t.ops.push(func.regions.as_ref().map_or(0, |r| r.op_of(i)));
    }
    t.code.push(Instr::Trap {
        code: TrapCode::CostLimitExceeded,
    });
    t.failed_op = ex.failed_op;
    Ok(t.code.as_ptr())
}

/// After a trap at instruction `trapped` of metered `func` (or of the cost-limit trampoline),
/// takes back what its region charged in advance for the operators that did not run.
#[cold]
#[inline(never)]
fn unrun_after_trap<T>(
    store: &mut Store<T>,
    stack: &Stack,
    func: &CompiledFunc,
    code: *const Instr,
    trapped: *const Instr,
) {
    let Some(map) = func.regions.as_ref() else {
        return;
    };
    let (count, cost) = if let Some(i) = index_in(code, func.code.len(), trapped) {
        if matches!(
            func.code[i],
            Instr::Charge { .. }
                | Instr::Count { .. }
                | Instr::CheckCharge { .. }
                | Instr::CheckCount { .. }
        ) {
            // Where the cost limit ran out: charged exactly already.
            return;
        }
        map.unrun(i, map.op_of(i))
    } else if let Some(i) = index_in(
        stack.trampoline.code.as_ptr(),
        stack.trampoline.ops.len(),
        trapped,
    ) {
        // An instruction before the failing operator trapped first.
        let op = stack.trampoline.ops[i] as usize;
        let failed = stack.trampoline.failed_op as usize;
        (map.sum(op + 1..failed + 1).0, map.sum(op + 1..failed).1)
    } else {
        return;
    };
    let m = &mut store.inner.meter;
    m.instr_count -= count;
    m.total_cost -= cost;
}

/// The index of `p` in the `len` instructions at `base`, if it points there.
fn index_in(base: *const Instr, len: usize, p: *const Instr) -> Option<usize> {
    let offset = (p as usize).checked_sub(base as usize)? / std::mem::size_of::<Instr>();
    (offset < len).then_some(offset)
}

/// Runs `func` in instance context `ctx` with its frame at cell 0 until it returns.
///
/// # Safety
/// `func` must stay alive for the whole call (its module is held by the store), `ctx` must come
/// from a live instance of `store`, and the function's parameters must be in cells `0..n`.
/// The translator guarantees that every cell index an instruction names is below the function's
/// `frame_size`, which is checked against the stack size before a frame is entered; validation
/// guarantees operand types, so each cell is read as the type it was written with.
///
/// `MODE` says what the engine's code needs: nothing ([`PLAIN`]), interrupt checks at function
/// entries and branches back ([`INTERRUPTIBLE`]), or metering instructions, which also check
/// for interrupts when the engine is interruptible ([`METERED`]). The plain loop has nothing
/// of metering in it.
unsafe fn run<T, const MODE: u8>(
    store: &mut Store<T>,
    stack: &mut Stack,
    func: *const CompiledFunc,
    ctx: Ctx,
) -> Result<(), Error> {
    // SAFETY: see the function's contract; each access below relies on it.
    unsafe { for_each_op!(run_loop! { store, stack, func, ctx; }) }
}

#[allow(
    dead_code,
    reason = "keeps `Reg` imported for the macro tables' documentation"
)]
type _Reg = Reg;
