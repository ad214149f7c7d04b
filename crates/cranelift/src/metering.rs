//! Instruction counting and cost-table gas in compiled code, with exactly the interpreter's
//! results (`wedge::metering`): the same instruction count, the same total cost, and, when the
//! cost limit runs out, the same error after the same side effects.
//!
//! # What counts
//!
//! Every operator on the path taken counts once, as WasmEdge's interpreter dispatches it:
//! `block`, `loop`, `if`, `nop` and `end` included; a `loop` counts each time control reaches
//! its head; a block's `end` counts whenever control reaches it (falling through or by a branch,
//! which "lands on" it); the `else` counts when a false condition reaches it, and is charged as
//! an `end` when the then-branch runs into it; a branch out of the function reaches the
//! function's final `end`, `return` does not. A trapping operator counts; the operator that
//! would pass the cost limit counts but adds no cost.
//!
//! # How compiled code charges
//!
//! The instruction count and the headroom (cost limit minus total cost) live in two
//! `cranelift-frontend` variables, so they are registers in hot code. The count is kept as
//! count plus headroom (wrapping), which an operator whose cost is 1 leaves unchanged: with
//! WasmEdge's default table (every operator costs 1) counting costs nothing more than
//! charging. Operators are charged in *sub-regions*: straight-line runs of operators without
//! side effects (pure ones, and ones that can only trap: loads, divisions, trapping
//! conversions, `table.get`), ended by at most one operator with an effect or a branch (a
//! store, call, branch, `global.set`, libcall...). A sub-region's cost and count are constants
//! charged at its end, before that last operator runs:
//!
//! ```text
//!     brif headroom < COST, exhausted_k, cont      ; one compare and branch
//! cont:
//!     headroom -= COST; count += N - COST           ; register arithmetic (often none)
//!     <the store, call or branch>
//! ```
//!
//! Where the charge does not fit, nothing observable has happened since the sub-region began
//! (its operators had no effect and none trapped), so its cold block works out (from the
//! headroom, with a short chain of compares) how many of its operators still fit, adds them
//! (the count of the operator that does not fit too) and fails with `CostLimitExceeded`. A trap
//! inside a sub-region goes to a cold block of its own that charges exactly the operators up to
//! the trapping one, or, where one of them does not fit, fails with the cost limit instead, as
//! per-operator charging would. Per-operator checks exist only in those cold blocks.
//!
//! The variables are written to `VMRuntimeLimits` (`instr_count`, `cost_left`) before every
//! call and trapping libcall, before every return and in the trap blocks, and read back after
//! a call returns. The runtime sets them from the store's `Meter` (total cost and cost limit)
//! when the host or the interpreter enters compiled code and when a host function or
//! interpreted code it called returns to it, and takes them back when compiled code returns or
//! calls out, so both tiers charge into the same totals. Compiled code never passes the limit;
//! where the total already exceeds it (a host function lowered the limit), the runtime fails
//! before compiled code goes on, counting the next operator as the interpreter's failing
//! charge would.
//!
//! The cost is one compare-and-branch and one or two additions per sub-region, so about one
//! per store, call or branch; a program with no metering compiles exactly as before.

use super::{FuncTranslator, I64, vm_flags};
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{self, InstBuilder};
use cranelift_frontend::Variable;
use std::fmt;
use wasmparser::Operator;
use wedge_environ::TrapCode;
use wedge_environ::opcodes::{OPCODES, named, ordinal_at};

/// Which metering compiled code does; part of [`CompilerSettings`](crate::CompilerSettings)
/// (and so of the fingerprint), since costs are baked into the code.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Metering {
    /// Count executed instructions into `VMRuntimeLimits::instr_count`.
    pub count: bool,
    /// Charge each operator its cost from `costs` against `VMRuntimeLimits::cost_left`,
    /// failing with `CostLimitExceeded` where the store's cost limit would be passed.
    pub cost: bool,
    /// Cost of each operator by WasmEdge ordinal ([`wedge_environ::opcodes::OPCODES`]);
    /// ordinals past the end cost 0. Ignored unless `cost`.
    pub costs: Vec<u64>,
}

impl Metering {
    /// Whether compiled code charges anything.
    pub fn is_on(&self) -> bool {
        self.count || self.cost
    }

    /// The cost of operator `ordinal` (0 when cost is not measured).
    fn cost_of(&self, ordinal: u16) -> u64 {
        if self.cost {
            self.costs.get(ordinal as usize).copied().unwrap_or(0)
        } else {
            0
        }
    }
}

impl fmt::Debug for Metering {
    /// The cost table as its length and an FNV-1a hash, so fingerprints stay short.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Metering");
        d.field("count", &self.count).field("cost", &self.cost);
        if self.cost {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for c in &self.costs {
                for b in c.to_le_bytes() {
                    h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
                }
            }
            d.field(
                "costs",
                &format_args!("{} entries, fnv {h:016x}", self.costs.len()),
            );
        }
        d.finish()
    }
}

/// One function's metering state during translation.
pub(super) struct FuncMeter<'a> {
    settings: &'a Metering,
    /// The module's bytes, to read each operator's encoding (its ordinal).
    wasm: &'a [u8],
    /// Instructions counted plus the headroom (`u64`, wrapping), as in
    /// `VMRuntimeLimits::instr_count`: with the default cost table an operator adds 1 to the
    /// count and takes 1 from the headroom, so this does not change and costs no instruction.
    count: Variable,
    /// Cost limit minus total cost (`u64`).
    headroom: Variable,
    /// The cost of each operator of the open sub-region, charged when it closes; None when
    /// no sub-region is open.
    open: Option<Vec<u64>>,
    /// Cold blocks to fill at the end: where a sub-region's charge does not fit, and where an
    /// operator inside an open sub-region traps.
    cold: Vec<Cold>,
}

/// A cold block of a sub-region, with the costs of its operators up to the one concerned.
struct Cold {
    block: ir::Block,
    ops: Vec<u64>,
    /// The trap of the last operator in `ops`, or None where the whole charge did not fit.
    trap: Option<TrapCode>,
}

impl<'a> FuncMeter<'a> {
    /// The state for a function of a module (`wasm`), or None without metering.
    pub(super) fn new(settings: &'a Metering, wasm: &'a [u8]) -> Option<Self> {
        settings.is_on().then(|| FuncMeter {
            settings,
            wasm,
            count: Variable::from_u32(0),
            headroom: Variable::from_u32(0),
            open: None,
            cold: Vec::new(),
        })
    }
}

/// What to do after an operator has been translated.
pub(super) enum After {
    Nothing,
    /// Charge operator `ordinal` where control now is (a loop head, an `else`, a block's
    /// continuation), if it is reachable.
    Charge(u16),
}

/// Whether `op` can trap but has no other effect: it may stay inside a sub-region, whose
/// charge is checked after it (a trap inside a sub-region goes through a cold block that
/// charges exactly the operators up to it).
fn only_traps(op: &Operator<'_>) -> bool {
    use Operator as O;
    matches!(
        op,
        O::I32Load { .. }
            | O::I64Load { .. }
            | O::F32Load { .. }
            | O::F64Load { .. }
            | O::I32Load8S { .. }
            | O::I32Load8U { .. }
            | O::I32Load16S { .. }
            | O::I32Load16U { .. }
            | O::I64Load8S { .. }
            | O::I64Load8U { .. }
            | O::I64Load16S { .. }
            | O::I64Load16U { .. }
            | O::I64Load32S { .. }
            | O::I64Load32U { .. }
            | O::I32DivS
            | O::I32DivU
            | O::I32RemS
            | O::I32RemU
            | O::I64DivS
            | O::I64DivU
            | O::I64RemS
            | O::I64RemU
            | O::I32TruncF32S
            | O::I32TruncF32U
            | O::I32TruncF64S
            | O::I32TruncF64U
            | O::I64TruncF32S
            | O::I64TruncF32U
            | O::I64TruncF64S
            | O::I64TruncF64U
            | O::TableGet { .. }
    )
}

/// Whether `op` can neither trap nor have a side effect nor branch, so the sub-region it is in
/// goes on after it. An operator that is neither this nor [`only_traps`] ends the sub-region
/// (its charge is checked before it runs), which is always correct.
fn is_pure(op: &Operator<'_>) -> bool {
    use Operator as O;
    matches!(
        op,
        O::Nop
            | O::Block { .. }
            | O::Drop
            | O::Select
            | O::TypedSelect { .. }
            | O::TypedSelectMulti { .. }
            | O::LocalGet { .. }
            | O::LocalSet { .. }
            | O::LocalTee { .. }
            | O::GlobalGet { .. }
            | O::MemorySize { .. }
            | O::TableSize { .. }
            | O::RefNull { .. }
            | O::RefIsNull
            | O::RefFunc { .. }
            | O::I32Const { .. }
            | O::I64Const { .. }
            | O::F32Const { .. }
            | O::F64Const { .. }
            | O::I32Eqz
            | O::I32Eq
            | O::I32Ne
            | O::I32LtS
            | O::I32LtU
            | O::I32GtS
            | O::I32GtU
            | O::I32LeS
            | O::I32LeU
            | O::I32GeS
            | O::I32GeU
            | O::I64Eqz
            | O::I64Eq
            | O::I64Ne
            | O::I64LtS
            | O::I64LtU
            | O::I64GtS
            | O::I64GtU
            | O::I64LeS
            | O::I64LeU
            | O::I64GeS
            | O::I64GeU
            | O::F32Eq
            | O::F32Ne
            | O::F32Lt
            | O::F32Gt
            | O::F32Le
            | O::F32Ge
            | O::F64Eq
            | O::F64Ne
            | O::F64Lt
            | O::F64Gt
            | O::F64Le
            | O::F64Ge
            | O::I32Clz
            | O::I32Ctz
            | O::I32Popcnt
            | O::I32Add
            | O::I32Sub
            | O::I32Mul
            | O::I32And
            | O::I32Or
            | O::I32Xor
            | O::I32Shl
            | O::I32ShrS
            | O::I32ShrU
            | O::I32Rotl
            | O::I32Rotr
            | O::I64Clz
            | O::I64Ctz
            | O::I64Popcnt
            | O::I64Add
            | O::I64Sub
            | O::I64Mul
            | O::I64And
            | O::I64Or
            | O::I64Xor
            | O::I64Shl
            | O::I64ShrS
            | O::I64ShrU
            | O::I64Rotl
            | O::I64Rotr
            | O::F32Abs
            | O::F32Neg
            | O::F32Ceil
            | O::F32Floor
            | O::F32Trunc
            | O::F32Nearest
            | O::F32Sqrt
            | O::F32Add
            | O::F32Sub
            | O::F32Mul
            | O::F32Div
            | O::F32Min
            | O::F32Max
            | O::F32Copysign
            | O::F64Abs
            | O::F64Neg
            | O::F64Ceil
            | O::F64Floor
            | O::F64Trunc
            | O::F64Nearest
            | O::F64Sqrt
            | O::F64Add
            | O::F64Sub
            | O::F64Mul
            | O::F64Div
            | O::F64Min
            | O::F64Max
            | O::F64Copysign
            | O::I32WrapI64
            | O::I64ExtendI32S
            | O::I64ExtendI32U
            | O::I32TruncSatF32S
            | O::I32TruncSatF32U
            | O::I32TruncSatF64S
            | O::I32TruncSatF64U
            | O::I64TruncSatF32S
            | O::I64TruncSatF32U
            | O::I64TruncSatF64S
            | O::I64TruncSatF64U
            | O::F32ConvertI32S
            | O::F32ConvertI32U
            | O::F32ConvertI64S
            | O::F32ConvertI64U
            | O::F32DemoteF64
            | O::F64ConvertI32S
            | O::F64ConvertI32U
            | O::F64ConvertI64S
            | O::F64ConvertI64U
            | O::F64PromoteF32
            | O::I32ReinterpretF32
            | O::I64ReinterpretF64
            | O::F32ReinterpretI32
            | O::F64ReinterpretI64
            | O::I32Extend8S
            | O::I32Extend16S
            | O::I64Extend8S
            | O::I64Extend16S
            | O::I64Extend32S
    )
}

impl FuncTranslator<'_, '_> {
    /// At function entry, before anything can trap: loads the counters into the variables.
    pub(super) fn meter_load(&mut self) {
        if self.meter.is_none() {
            return;
        }
        let count = self.b.declare_var(I64);
        let headroom = self.b.declare_var(I64);
        if let Some(m) = &mut self.meter {
            m.count = count;
            m.headroom = headroom;
        }
        self.meter_reload();
    }

    /// Reads the counters from `VMRuntimeLimits` into the variables (at entry and after calls).
    fn meter_reload(&mut self) {
        let Some(m) = &self.meter else { return };
        let (count_var, headroom_var) = (m.count, m.headroom);
        let (count_on, cost_on) = (m.settings.count, m.settings.cost);
        let o = self.env.offsets;
        let limits = self.limits();
        let load =
            |t: &mut Self, offset: u32| t.b.ins().load(I64, vm_flags(), limits, offset as i32);
        let count = if count_on {
            load(self, o.limits_instr_count())
        } else {
            self.b.ins().iconst(I64, 0)
        };
        self.b.def_var(count_var, count);
        let headroom = if cost_on {
            load(self, o.limits_cost_left())
        } else {
            self.b.ins().iconst(I64, 0)
        };
        self.b.def_var(headroom_var, headroom);
    }

    /// After a call returned without a trap: the callee (or the runtime) updated the counters.
    pub(super) fn meter_after_call(&mut self) {
        self.meter_reload();
    }

    /// Writes the variables to `VMRuntimeLimits`: before calls, returns and traps. An open
    /// sub-region (falling off the function's end) is charged first.
    pub(super) fn meter_flush(&mut self) {
        self.meter_close();
        let Some(m) = &self.meter else { return };
        let (count_var, headroom_var) = (m.count, m.headroom);
        let (count_on, cost_on) = (m.settings.count, m.settings.cost);
        let o = self.env.offsets;
        let limits = self.limits();
        if count_on {
            let count = self.b.use_var(count_var);
            self.b
                .ins()
                .store(vm_flags(), count, limits, o.limits_instr_count() as i32);
        }
        if cost_on {
            let headroom = self.b.use_var(headroom_var);
            self.b
                .ins()
                .store(vm_flags(), headroom, limits, o.limits_cost_left() as i32);
        }
    }

    /// Before operator `op` (at byte offset `self.offset`) is translated; `reachable` and
    /// the unreachable nesting depth are the translator's state before it. Returns what to do
    /// after it.
    pub(super) fn meter_before(&mut self, op: &Operator<'_>) -> After {
        if self.meter.is_none() {
            return After::Nothing;
        }
        if !self.reachable {
            // Only an `else` or `end` of the innermost open frame can make code reachable.
            return match op {
                Operator::Else if self.unreachable_depth == 0 => After::Charge(self.ordinal()),
                Operator::End if self.unreachable_depth == 0 => After::Charge(named::END),
                _ => After::Nothing,
            };
        }
        match op {
            Operator::Loop { .. } => {
                // The head is a branch target: the `loop` counts there.
                self.meter_close();
                After::Charge(self.ordinal())
            }
            Operator::Else => {
                // The then-branch runs into `else`, which is charged as an `end`.
                self.meter_charge(named::END);
                self.meter_close();
                After::Charge(self.ordinal())
            }
            Operator::End => {
                let frame = self.frames.last().expect("validated: end without a frame");
                let no_else = matches!(
                    frame.kind,
                    super::FrameKind::If {
                        else_seen: false,
                        ..
                    }
                );
                if frame.exit_reached || no_else {
                    // Branches (or a false condition) land on the `end` too: it counts where
                    // they meet.
                    self.meter_close();
                    After::Charge(named::END)
                } else {
                    // Only falling through gets there: the sub-region goes on.
                    self.meter_charge(named::END);
                    After::Nothing
                }
            }
            _ => {
                let ordinal = self.ordinal();
                self.meter_charge(ordinal);
                if !is_pure(op) && !only_traps(op) {
                    // Its effect (or branch) happens only once the charge is known to fit.
                    self.meter_close();
                }
                After::Nothing
            }
        }
    }

    /// After the operator [`meter_before`](Self::meter_before) was called for.
    pub(super) fn meter_after(&mut self, after: After) {
        if let After::Charge(ordinal) = after
            && self.reachable
        {
            self.meter_close();
            self.meter_charge(ordinal);
        }
    }

    /// The WasmEdge ordinal of the operator at `self.offset`; an encoding WasmEdge does not
    /// number still counts, at no cost.
    fn ordinal(&self) -> u16 {
        let Some(m) = &self.meter else { return 0 };
        usize::try_from(self.offset)
            .ok()
            .and_then(|o| m.wasm.get(o..))
            .and_then(ordinal_at)
            .unwrap_or(OPCODES.len() as u16)
    }

    /// Adds operator `ordinal` to the open sub-region, opening one if none is.
    fn meter_charge(&mut self, ordinal: u16) {
        let Some(m) = &mut self.meter else { return };
        let cost = m.settings.cost_of(ordinal);
        m.open.get_or_insert_with(Vec::new).push(cost);
    }

    /// The block a trap with `code` goes to here: inside an open sub-region (the trapping
    /// operator is its latest), a cold block that charges exactly the operators up to it, or
    /// fails with the cost limit where one of them does not fit.
    pub(super) fn meter_trap_block(&mut self, code: TrapCode) -> ir::Block {
        let ops = match self.meter.as_ref().and_then(|m| m.open.as_ref()) {
            Some(ops) if !ops.is_empty() => ops.clone(),
            _ => return self.trap_block(code),
        };
        let block = self.b.create_block();
        self.b.set_cold_block(block);
        if let Some(m) = &mut self.meter {
            m.cold.push(Cold {
                block,
                ops,
                trap: Some(code),
            });
        }
        block
    }

    /// Closes the open sub-region here: charges all its operators at once, and where their
    /// cost does not fit goes to a cold block that charges those that do and fails.
    fn meter_close(&mut self) {
        let Some(m) = &mut self.meter else { return };
        let Some(ops) = m.open.take() else { return };
        let (count_var, headroom_var) = (m.count, m.headroom);
        let (count_on, cost_on) = (m.settings.count, m.settings.cost);
        let cost = ops.iter().fold(0u64, |a, &c| a.saturating_add(c));
        let n = ops.len() as u64;
        if cost_on && cost != 0 {
            let headroom = self.b.use_var(headroom_var);
            let short = self
                .b
                .ins()
                .icmp_imm_u(IntCC::UnsignedLessThan, headroom, cost as i64);
            let cold = self.b.create_block();
            self.b.set_cold_block(cold);
            let cont = self.b.create_block();
            self.b.ins().brif(short, cold, &[], cont, &[]);
            self.b.seal_block(cold);
            self.b.switch_to_block(cont);
            self.b.seal_block(cont);
            let left = self
                .b
                .ins()
                .iadd_imm_u(headroom, (cost as i64).wrapping_neg());
            self.b.def_var(headroom_var, left);
            if let Some(m) = &mut self.meter {
                m.cold.push(Cold {
                    block: cold,
                    ops,
                    trap: None,
                });
            }
        }
        // The count variable holds the count plus the headroom.
        let delta = if cost_on { n.wrapping_sub(cost) } else { n };
        if count_on && delta != 0 {
            let count = self.b.use_var(count_var);
            let count = self.b.ins().iadd_imm_u(count, delta as i64);
            self.b.def_var(count_var, count);
        }
    }

    /// Fills the cold blocks; called before the trap blocks are emitted.
    pub(super) fn meter_finish(&mut self) {
        let Some(m) = &mut self.meter else { return };
        // Every operator that ends reachable code (a branch, `return`, `unreachable`) and the
        // final return closed their sub-regions.
        debug_assert!(m.open.is_none(), "a sub-region left open");
        m.open = None;
        let (count_var, headroom_var) = (m.count, m.headroom);
        let (count_on, cost_on) = (m.settings.count, m.settings.cost);
        for cold in std::mem::take(&mut m.cold) {
            self.b.switch_to_block(cold.block);
            if cold.trap.is_some() {
                // (A sub-region's own cold block was sealed where it was branched to.)
                self.b.seal_block(cold.block);
            }
            let total = cold.ops.iter().fold(0u64, |a, &c| a.saturating_add(c));
            let over = match cold.trap {
                Some(code) => {
                    // Every operator up to the trapping one fits: it traps.
                    let fits = if cost_on && total != 0 {
                        let headroom = self.b.use_var(headroom_var);
                        let fits = self.b.ins().icmp_imm_u(
                            IntCC::UnsignedGreaterThanOrEqual,
                            headroom,
                            total as i64,
                        );
                        let fits_block = self.b.create_block();
                        self.b.set_cold_block(fits_block);
                        let over = self.b.create_block();
                        self.b.set_cold_block(over);
                        self.b.ins().brif(fits, fits_block, &[], over, &[]);
                        self.b.seal_block(fits_block);
                        self.b.seal_block(over);
                        self.b.switch_to_block(fits_block);
                        Some(over)
                    } else {
                        None
                    };
                    self.meter_add(count_var, headroom_var, (count_on, cost_on), |b| {
                        let n = b.ins().iconst(I64, cold.ops.len() as i64);
                        let c = b.ins().iconst(I64, total as i64);
                        (n, c)
                    });
                    let t = self.trap_block(code);
                    self.b.ins().jump(t, &[]);
                    let Some(over) = fits else { continue };
                    self.b.switch_to_block(over);
                    over
                }
                None => cold.block,
            };
            debug_assert_eq!(self.b.current_block(), Some(over));
            // The operators fit one by one until one does not; that one counts, and only the
            // cost of those before it is charged. The last one never fits (the whole did
            // not), and those before it had no effect, so nothing has to run.
            let headroom = self.b.use_var(headroom_var);
            let ops = cold.ops;
            self.meter_add(count_var, headroom_var, (count_on, cost_on), |b| {
                let mut n = b.ins().iconst(I64, 1);
                let mut c = b.ins().iconst(I64, 0);
                let mut sum = 0u64;
                for (i, &cost) in ops[..ops.len().saturating_sub(1)].iter().enumerate() {
                    sum = sum.saturating_add(cost);
                    let fits =
                        b.ins()
                            .icmp_imm_u(IntCC::UnsignedGreaterThanOrEqual, headroom, sum as i64);
                    let k = b.ins().iconst(I64, i as i64 + 2);
                    n = b.ins().select(fits, k, n);
                    let s = b.ins().iconst(I64, sum as i64);
                    c = b.ins().select(fits, s, c);
                }
                (n, c)
            });
            let fail = self.trap_block(TrapCode::CostLimitExceeded);
            self.b.ins().jump(fail, &[]);
        }
    }

    /// Adds `n` operators of cost `c` (computed by `values`) to the variables.
    fn meter_add(
        &mut self,
        count_var: Variable,
        headroom_var: Variable,
        (count_on, cost_on): (bool, bool),
        values: impl FnOnce(&mut cranelift_frontend::FunctionBuilder<'_>) -> (ir::Value, ir::Value),
    ) {
        let (n, c) = values(&mut self.b);
        if cost_on {
            let headroom = self.b.use_var(headroom_var);
            let left = self.b.ins().isub(headroom, c);
            self.b.def_var(headroom_var, left);
        }
        if count_on {
            // The count variable holds the count plus the headroom.
            let count = self.b.use_var(count_var);
            let count = self.b.ins().iadd(count, n);
            let count = if cost_on {
                self.b.ins().isub(count, c)
            } else {
                count
            };
            self.b.def_var(count_var, count);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Metering;
    use crate::{CompilerSettings, CraneliftCompiler};

    fn fingerprint(metering: Metering) -> String {
        CraneliftCompiler::with_settings(CompilerSettings {
            metering,
            ..CompilerSettings::default()
        })
        .unwrap()
        .fingerprint()
    }

    #[test]
    fn fingerprint_covers_counting_cost_and_the_cost_table() {
        let off = fingerprint(Metering::default());
        let count = fingerprint(Metering {
            count: true,
            ..Metering::default()
        });
        let cost = |costs: Vec<u64>| {
            fingerprint(Metering {
                cost: true,
                costs,
                ..Metering::default()
            })
        };
        let ones = cost(vec![1; 566]);
        let twos = cost(vec![2; 566]);
        assert!(count.contains("count: true"), "{count}");
        let all = [&off, &count, &ones, &twos];
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert_eq!(ones, cost(vec![1; 566]));
        assert!(ones.len() < off.len() + 120, "the table is hashed: {ones}");
        // Without cost measuring the table changes nothing in the code.
        let ignored = fingerprint(Metering {
            costs: vec![9; 3],
            ..Metering::default()
        });
        assert_eq!(ignored, off);
    }
}
