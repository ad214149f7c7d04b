//! Translation of a function body from wasm operators to the register IR.
//!
//! The translator keeps a model of the operand stack in which each entry is either in its home
//! cell (`Temp`), still the value of a local (`Local`), or a constant not yet written anywhere
//! (`Const`). Consumers read locals and fold constants directly, so most `local.get`s and
//! constants cost no instruction; entries are written to their home cells only where control
//! flow or a later `local.set` requires it. The body was validated when the module was loaded,
//! so the translator trusts types and stack heights.

use super::ir::{CELL, CompiledFunc, Instr, Reg, for_each_op};
use super::simd::{self, SimdOp};
use crate::metering::named::END;
use crate::metering::regions::RegionBuilder;
use crate::metering::{OPCODES, ordinal_at};
use crate::module::ModuleInner;
use wasmparser::{BlockType, FunctionBody, Operator};
use wedge_environ::{ModuleInfo, TrapCode, VMOffsets, closes_block, opens_block};

#[derive(Copy, Clone, Debug, PartialEq)]
enum Opnd {
    /// In its home cell.
    Temp,
    /// The current value of the local in this cell.
    Local(Reg),
    /// A scalar constant (bits in the low 64).
    Const(u64),
    /// A v128 constant.
    V128(u128),
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum CtrlKind {
    Function,
    Block,
    Loop,
    If,
    Else,
}

#[derive(Debug)]
struct Ctrl {
    kind: CtrlKind,
    /// Operand stack height below the block's parameters.
    height: usize,
    params: usize,
    results: usize,
    /// Loop: the first instruction of the body.
    head: usize,
    /// Branches to patch to the end of the block.
    patches: Vec<usize>,
    /// If: the conditional branch to patch to the `else`.
    else_patch: Option<usize>,
}

struct Translator<'a> {
    info: &'a ModuleInfo,
    type_ids: &'a [u32],
    offsets: VMOffsets,
    code: Vec<Instr>,
    consts: Vec<u128>,
    stack: Vec<Opnd>,
    ctrl: Vec<Ctrl>,
    num_params: u32,
    num_locals: u32,
    max_cells: u32,
    reachable: bool,
    /// While unreachable: how many nested blocks have been entered.
    dead_depth: u32,
    /// The last instruction, if it wrote only the top temp and may be retargeted.
    last_def: Option<usize>,
    /// Metering: the regions being charged, when the engine counts or measures cost.
    meter: Option<RegionBuilder<'a>>,
    /// The WasmEdge ordinal of the operator being translated (when metering).
    ordinal: u16,
}

/// Translates defined function `def` of `module`.
pub(crate) fn translate(module: &ModuleInner, def: u32) -> Result<CompiledFunc, String> {
    let info = &module.info;
    let range = &info.bodies[def as usize].range;
    let bytes = &module.bytes[range.start as usize..range.end as usize];
    let body = FunctionBody::new(wasmparser::BinaryReader::new(bytes, range.start));
    let func_index = info.num_imported_funcs + def;
    let ty = info.func_type(func_index);
    let metering = &module.engine.config().metering;
    let mut num_locals = ty.params().len() as u32;
    for local in body.get_locals_reader().map_err(|e| e.to_string())? {
        let (count, _) = local.map_err(|e| e.to_string())?;
        num_locals = num_locals.checked_add(count).ok_or("too many locals")?;
    }
    let mut t = Translator {
        info,
        type_ids: &module.type_ids,
        offsets: VMOffsets::new(std::mem::size_of::<usize>() as u32, info),
        code: Vec::with_capacity(bytes.len()),
        consts: Vec::new(),
        stack: Vec::with_capacity(16),
        ctrl: Vec::with_capacity(8),
        num_params: ty.params().len() as u32,
        num_locals,
        max_cells: num_locals.max(ty.results().len() as u32),
        reachable: true,
        dead_depth: 0,
        last_def: None,
        meter: metering
            .charges()
            .then(|| RegionBuilder::new(&metering.costs, metering.count, metering.cost)),
        ordinal: 0,
    };
    t.ctrl.push(Ctrl {
        kind: CtrlKind::Function,
        height: 0,
        params: 0,
        results: ty.results().len(),
        head: 0,
        patches: Vec::new(),
        else_patch: None,
    });
    let mut reader = body.get_operators_reader().map_err(|e| e.to_string())?;
    while !reader.eof() {
        let (op, offset) = reader.read_with_offset().map_err(|e| e.to_string())?;
        if t.meter.is_some() {
            let at = usize::try_from(offset)
                .ok()
                .and_then(|o| module.bytes.get(o..))
                .unwrap_or_default();
            // An encoding WasmEdge does not number still counts, at no cost.
            t.ordinal = ordinal_at(at).unwrap_or(OPCODES.len() as u16);
        }
        t.op(op)?;
    }
    let regions = t.meter.take().map(|m| {
        let (map, charges) = m.finish();
        let check = metering.interruptible;
        for (at, count, cost) in charges {
            t.code[at] = match (t.code[at] == (Instr::Count { count: 0 }), check) {
                (true, false) => Instr::Count { count },
                (true, true) => Instr::CheckCount { count },
                (false, false) => Instr::Charge { count, cost },
                (false, true) => Instr::CheckCharge { count, cost },
            };
        }
        Box::new(map)
    });
    if std::env::var_os("WEDGE_DUMP_IR").is_some() {
        eprintln!(
            "== func {func_index} locals {} cells {}",
            t.num_locals, t.max_cells
        );
        for (i, ins) in t.code.iter().enumerate() {
            eprintln!("{i:4} {ins:?}");
        }
    }
    // Cell indices become byte offsets.
    for instr in &mut t.code {
        instr.for_each_reg_mut(|r| *r *= CELL);
    }
    Ok(CompiledFunc {
        code: t.code.into_boxed_slice(),
        consts: t.consts.into_boxed_slice(),
        num_params: t.num_params,
        num_locals: t.num_locals,
        frame_size: t.max_cells,
        regions,
    })
}

macro_rules! translate_numeric {
    (
        $self:ident, $op:ident;
        int_binary: [ $( ($ib:ident, $ibi:ident, $iba:ty, $ibr:ty, $ibf:expr) ),* $(,)? ]
        int_binary_trap: [ $( ($it:ident, $iti:ident, $ita:ty, $itr:ty, $itf:expr) ),* $(,)? ]
        binary: [ $( ($b:ident, $ba:ty, $br:ty, $bf:expr) ),* $(,)? ]
        unary: [ $( ($u:ident, $ua:ty, $ur:ty, $uf:expr) ),* $(,)? ]
        unary_trap: [ $( ($ut:ident, $uta:ty, $utr:ty, $utf:expr) ),* $(,)? ]
        br_cmp: [ $( ($bc:ident, $bci:ident, $bb:ident, $bbi:ident, $bn:ident, $bni:ident, $bct:ty, $bcf:expr) ),* $(,)? ]
        loads: [ $( ($l:ident, $lm:ty, $lc:ty, $lf:expr) ),* $(,)? ]
        stores: [ $( ($s:ident, $sc:ty, $sm:ty) ),* $(,)? ]
    ) => {
        match $op {
            $( Operator::$ib => { $self.int_binary(
                |dst, a, b| Instr::$ib { dst, a, b },
                |dst, a, imm| Instr::$ibi { dst, a, imm },
                std::mem::size_of::<$iba>() == 8); return Ok(true) } )*
            $( Operator::$it => { $self.int_binary(
                |dst, a, b| Instr::$it { dst, a, b },
                |dst, a, imm| Instr::$iti { dst, a, imm },
                std::mem::size_of::<$ita>() == 8); return Ok(true) } )*
            $( Operator::$b => { $self.binary(|dst, a, b| Instr::$b { dst, a, b }); return Ok(true) } )*
            $( Operator::$u => { $self.unary(|dst, a| Instr::$u { dst, a }); return Ok(true) } )*
            $( Operator::$ut => { $self.unary(|dst, a| Instr::$ut { dst, a }); return Ok(true) } )*
            $( Operator::$l { memarg } => {
                let (offset, mem) = $self.memarg(memarg)?;
                $self.unary(|dst, addr| Instr::$l { dst, addr, offset, mem });
                return Ok(true)
            } )*
            $( Operator::$s { memarg } => {
                let (offset, mem) = $self.memarg(memarg)?;
                let val = $self.reg_at(0);
                let addr = $self.reg_at(1);
                $self.pop(2);
                $self.emit(Instr::$s { addr, val, offset, mem });
                return Ok(true)
            } )*
            _ => {}
        }
    };
}

impl Translator<'_> {
    fn home(&self, i: usize) -> Reg {
        self.num_locals + i as Reg
    }

    fn emit(&mut self, i: Instr) -> usize {
        self.code.push(i);
        self.last_def = None;
        if let Some(m) = &mut self.meter {
            m.emitted(self.code.len() - 1);
        }
        self.code.len() - 1
    }

    /// Emits an instruction whose only effect is writing the new top-of-stack temp.
    fn emit_def(&mut self, i: Instr) {
        self.code.push(i);
        self.last_def = Some(self.code.len() - 1);
        if let Some(m) = &mut self.meter {
            m.emitted(self.code.len() - 1);
        }
    }

    /// Metering: charges operator `ordinal` to the open region, opening one here if none is.
    fn charge(&mut self, ordinal: u16) {
        if let Some(m) = &self.meter
            && !m.is_open()
        {
            self.open_region();
        }
        if let Some(m) = &mut self.meter {
            m.charge(ordinal);
        }
    }

    /// Metering: charges the operator being translated.
    fn charge_op(&mut self) {
        self.charge(self.ordinal);
    }

    /// Metering: starts a region here (a branch target, or where a branch or call leaves off).
    fn open_region(&mut self) {
        let Some(m) = &self.meter else { return };
        // A placeholder, set when the function is finished.
        let placeholder = if m.measures_cost() {
            Instr::Charge { count: 0, cost: 0 }
        } else {
            Instr::Count { count: 0 }
        };
        let at = self.emit(placeholder);
        if let Some(m) = &mut self.meter {
            m.open(at);
        }
    }

    /// Metering: ends the open region after a branch or call; what follows opens a new one.
    fn close_region(&mut self) {
        if let Some(m) = &mut self.meter {
            m.close();
        }
    }

    fn grow_cells(&mut self, cells: usize) {
        let need = self.num_locals + cells as u32;
        if need > self.max_cells {
            self.max_cells = need;
        }
    }

    fn push_temp(&mut self) -> Reg {
        self.stack.push(Opnd::Temp);
        self.grow_cells(self.stack.len());
        self.home(self.stack.len() - 1)
    }

    fn push(&mut self, o: Opnd) {
        self.stack.push(o);
        self.grow_cells(self.stack.len());
    }

    fn pop(&mut self, n: usize) {
        let len = self.stack.len();
        self.stack.truncate(len - n);
    }

    /// Emits `dst = value of operand o`.
    fn emit_move(&mut self, dst: Reg, o: Opnd) {
        match o {
            Opnd::Temp => unreachable!("temps are moved by position"),
            Opnd::Local(src) => {
                if src != dst {
                    self.emit(Instr::Copy { dst, src });
                }
            }
            Opnd::Const(v) => {
                if (v as i64) == (v as i64 as i32 as i64) {
                    self.emit(Instr::Const32 {
                        dst,
                        imm: v as i64 as i32,
                    });
                } else {
                    self.emit(Instr::Const64 { dst, val: v });
                }
            }
            Opnd::V128(v) => {
                let index = self.const_index(v);
                self.emit(Instr::Const128 { dst, pool: index });
            }
        }
    }

    fn const_index(&mut self, v: u128) -> u32 {
        if let Some(i) = self.consts.iter().position(|&c| c == v) {
            return i as u32;
        }
        self.consts.push(v);
        self.consts.len() as u32 - 1
    }

    /// Writes operand `i` (absolute index) to its home cell.
    fn materialize(&mut self, i: usize) {
        let o = self.stack[i];
        if o != Opnd::Temp {
            let home = self.home(i);
            self.emit_move(home, o);
            self.stack[i] = Opnd::Temp;
        }
    }

    fn materialize_top(&mut self, n: usize) {
        let len = self.stack.len();
        for i in len - n..len {
            self.materialize(i);
        }
    }

    /// The cell holding the operand `depth` entries below the top (materializing constants).
    fn reg_at(&mut self, depth: usize) -> Reg {
        let i = self.stack.len() - 1 - depth;
        match self.stack[i] {
            Opnd::Temp => self.home(i),
            Opnd::Local(c) => c,
            Opnd::Const(_) | Opnd::V128(_) => {
                self.materialize(i);
                self.home(i)
            }
        }
    }

    fn unary(&mut self, make: impl FnOnce(Reg, Reg) -> Instr) {
        let a = self.reg_at(0);
        self.pop(1);
        let dst = self.push_temp();
        self.emit_def(make(dst, a));
    }

    fn binary(&mut self, make: impl FnOnce(Reg, Reg, Reg) -> Instr) {
        let b = self.reg_at(0);
        let a = self.reg_at(1);
        self.pop(2);
        let dst = self.push_temp();
        self.emit_def(make(dst, a, b));
    }

    fn int_binary(
        &mut self,
        make: impl FnOnce(Reg, Reg, Reg) -> Instr,
        make_imm: impl FnOnce(Reg, Reg, i32) -> Instr,
        is64: bool,
    ) {
        if let Some(&Opnd::Const(v)) = self.stack.last() {
            let imm = if is64 {
                let v = v as i64;
                (v == v as i32 as i64).then_some(v as i32)
            } else {
                Some(v as u32 as i32)
            };
            if let Some(imm) = imm {
                self.pop(1);
                let a = self.reg_at(0);
                self.pop(1);
                let dst = self.push_temp();
                self.emit_def(make_imm(dst, a, imm));
                return;
            }
        }
        self.binary(make);
    }

    fn memarg(&self, m: wasmparser::MemArg) -> Result<(u32, u8), String> {
        let offset =
            u32::try_from(m.offset).map_err(|_| "64-bit memory offsets are not supported yet")?;
        let wasmparser::MemArgTarget::Memory(mem) = m.target else {
            return Err("GC array memory access is not supported yet".into());
        };
        let mem = u8::try_from(mem).map_err(|_| "too many memories")?;
        Ok((offset, mem))
    }

    /// Materializes every `Local` entry and the top `params` entries, so values that live across
    /// a block boundary sit in their home cells on every path.
    fn enter_block(&mut self, params: usize) {
        for i in 0..self.stack.len() {
            if matches!(self.stack[i], Opnd::Local(_)) || i >= self.stack.len() - params {
                self.materialize(i);
            }
        }
        self.last_def = None;
    }

    fn block_arity(&self, bt: BlockType) -> (usize, usize) {
        match bt {
            BlockType::Empty => (0, 0),
            BlockType::Type(_) => (0, 1),
            BlockType::FuncType(t) => {
                let ty = &self.info.types[t as usize];
                (ty.params().len(), ty.results().len())
            }
        }
    }

    fn push_ctrl(&mut self, kind: CtrlKind, bt: BlockType) {
        let (params, results) = self.block_arity(bt);
        self.enter_block(params);
        self.ctrl.push(Ctrl {
            kind,
            height: self.stack.len() - params,
            params,
            results,
            head: self.code.len(),
            patches: Vec::new(),
            else_patch: None,
        });
    }

    fn set_unreachable(&mut self) {
        self.reachable = false;
        self.dead_depth = 0;
        let height = self.ctrl.last().map_or(0, |c| c.height);
        self.stack.truncate(height);
        self.last_def = None;
        self.close_region();
    }

    /// Whether label `depth` is the function's (a branch there returns).
    fn targets_function(&self, depth: u32) -> bool {
        self.ctrl.len() - 1 == depth as usize
    }

    fn patch_to_here(&mut self, at: usize) {
        let here = self.code.len() as i32;
        let offset = here - at as i32;
        match self.code[at].offset_mut() {
            Some(o) => *o = offset,
            None => unreachable!("patching {:?}", self.code[at]),
        }
    }

    /// Moves the top `n` operands into cells `dst..dst + n`, as a parallel move.
    fn move_top_to(&mut self, dst: Reg, n: usize) {
        let base = self.stack.len() - n;
        // A source cell below `dst + n` that is not its own destination could be overwritten by
        // an earlier move; stage through fresh cells above the stack in that case.
        let conflict = (0..n).any(|k| {
            let src = match self.stack[base + k] {
                Opnd::Temp => Some(self.home(base + k)),
                Opnd::Local(c) => Some(c),
                _ => None,
            };
            // Moves run in order, so move k reads its source after moves 0..k wrote theirs.
            src.is_some_and(|s| s >= dst && s < dst + k as Reg)
        });
        let mut srcs: Vec<Opnd> = (0..n)
            .map(|k| match self.stack[base + k] {
                Opnd::Temp => Opnd::Local(self.home(base + k)),
                o => o,
            })
            .collect();
        if conflict {
            let scratch = self.home(self.stack.len());
            self.grow_cells(self.stack.len() + n);
            for (k, src) in srcs.iter_mut().enumerate() {
                if let Opnd::Local(_) = src {
                    self.emit_move(scratch + k as Reg, *src);
                    *src = Opnd::Local(scratch + k as Reg);
                }
            }
        }
        for (k, src) in srcs.into_iter().enumerate() {
            self.emit_move(dst + k as Reg, src);
        }
    }

    /// Moves the temp `src` to `dst`: retargets the instruction that just computed it when there
    /// is one (so `i32.add; local.set` is one instruction), else copies.
    fn move_temp(&mut self, src: Reg, dst: Reg) {
        // `last_def` is only ever the last instruction emitted (`emit` clears it).
        if let Some(at) = self.last_def
            && let Some(d) = self.code[at].dst_mut()
            && *d == src
        {
            *d = dst;
            self.last_def = None;
        } else {
            self.emit(Instr::Copy { dst, src });
        }
    }

    fn emit_return(&mut self) {
        let n = self.ctrl[0].results;
        if n == 1
            && let Opnd::Temp = self.stack[self.stack.len() - 1]
        {
            let src = self.home(self.stack.len() - 1);
            if src != 0 {
                self.move_temp(src, 0);
            }
        } else {
            self.move_top_to(0, n);
        }
        self.emit(Instr::Return);
    }

    /// Emits the moves and jump of a branch to the label `depth` levels up.
    fn branch(&mut self, depth: u32) {
        let target = self.ctrl.len() - 1 - depth as usize;
        let c = &self.ctrl[target];
        if c.kind == CtrlKind::Function {
            self.emit_return();
            return;
        }
        let (arity, height, is_loop, head) = (
            if c.kind == CtrlKind::Loop {
                c.params
            } else {
                c.results
            },
            c.height,
            c.kind == CtrlKind::Loop,
            c.head,
        );
        let dst = self.home(height);
        self.move_top_to(dst, arity);
        let at = self.emit(Instr::Br { offset: 0 });
        if is_loop {
            self.code[at] = Instr::Br {
                offset: head as i32 - at as i32,
            };
        } else {
            self.ctrl[target].patches.push(at);
        }
    }

    /// Whether a branch to the label `depth` levels up needs no moves.
    fn branch_is_plain(&self, depth: u32) -> bool {
        let target = self.ctrl.len() - 1 - depth as usize;
        let c = &self.ctrl[target];
        if c.kind == CtrlKind::Function {
            return false;
        }
        let arity = if c.kind == CtrlKind::Loop {
            c.params
        } else {
            c.results
        };
        let base = self.stack.len() - arity;
        base == c.height && self.stack[base..].iter().all(|o| *o == Opnd::Temp)
    }

    /// Emits a jump to label `depth` at instruction `at` (already emitted as a `Br*`).
    fn link_branch(&mut self, depth: u32, at: usize) {
        let target = self.ctrl.len() - 1 - depth as usize;
        let c = &self.ctrl[target];
        if c.kind == CtrlKind::Loop {
            let off = c.head as i32 - at as i32;
            match self.code[at].offset_mut() {
                Some(o) => *o = off,
                None => unreachable!("linking {:?}", self.code[at]),
            }
        } else {
            self.ctrl[target].patches.push(at);
        }
    }

    fn end_block(&mut self) -> Result<(), String> {
        if self.ctrl.len() == 1 {
            if self.reachable {
                self.charge_op();
                self.emit_return();
            }
            self.ctrl.pop();
            return Ok(());
        }
        let c = self.ctrl.pop().ok_or("unbalanced end")?;
        if self.reachable {
            self.materialize_top(c.results);
        }
        for at in &c.patches {
            self.patch_to_here(*at);
        }
        let is_target = !c.patches.is_empty() || c.else_patch.is_some();
        if let Some(at) = c.else_patch {
            self.patch_to_here(at);
        }
        if is_target && self.meter.is_some() {
            // Branches land here and count this `end`.
            self.close_region();
            self.open_region();
        }
        self.charge_op();
        self.stack.truncate(c.height);
        for _ in 0..c.results {
            self.push_temp();
        }
        self.reachable = true;
        self.last_def = None;
        Ok(())
    }

    /// Emits a branch taken if `cond` is non-zero (or zero, with `negate`), fusing it with the
    /// comparison that just computed `cond` when possible.
    fn emit_cond_branch(&mut self, cond: Reg, negate: bool) -> usize {
        if let Some(at) = self.last_def
            && at == self.code.len() - 1
            && self.code[at].dst_mut().is_some_and(|d| *d == cond)
            && cond >= self.home(self.stack.len())
            && let Some(fused) = self.code[at].fuse_branch(negate, 0)
        {
            self.code[at] = fused;
            self.last_def = None;
            if let Some(m) = &mut self.meter {
                m.retag(at);
            }
            return at;
        }
        if negate {
            self.emit(Instr::BrIfEqz { cond, offset: 0 })
        } else {
            self.emit(Instr::BrIfNez { cond, offset: 0 })
        }
    }

    fn call_args(&mut self, n: usize) -> Reg {
        self.materialize_top(n);
        self.home(self.stack.len() - n)
    }

    fn after_call(&mut self, params: usize, results: usize) {
        self.pop(params);
        for _ in 0..results {
            self.push_temp();
        }
        self.last_def = None;
    }

    fn op(&mut self, op: Operator<'_>) -> Result<(), String> {
        if !self.reachable {
            // Dead code is skipped up to the `else` or `end` of the frame it is in, counting
            // the blocks opened inside, of every proposal (`wedge_environ::opens_block`).
            if opens_block(&op) {
                self.dead_depth += 1;
                return Ok(());
            }
            match op {
                _ if closes_block(&op) && self.dead_depth > 0 => {
                    self.dead_depth -= 1;
                    return Ok(());
                }
                Operator::Else if self.dead_depth == 0 => {}
                Operator::End => {}
                _ => return Ok(()),
            }
        }
        if self.meter.is_some()
            && !matches!(op, Operator::Loop { .. } | Operator::Else | Operator::End)
        {
            self.charge_op();
        }
        if self.numeric(&op)? {
            return Ok(());
        }
        match op {
            Operator::Nop => {}
            Operator::Unreachable => {
                self.emit(Instr::Trap {
                    code: TrapCode::Unreachable,
                });
                self.set_unreachable();
            }
            Operator::Block { blockty } => self.push_ctrl(CtrlKind::Block, blockty),
            Operator::Loop { blockty } => {
                self.push_ctrl(CtrlKind::Loop, blockty);
                // The loop's head: branches back land here and count the `loop` again.
                if self.meter.is_some() {
                    self.close_region();
                    self.open_region();
                    self.charge_op();
                }
            }
            Operator::If { blockty } => {
                let cond = self.reg_at(0);
                self.pop(1);
                let fusable = self.last_def;
                self.push_ctrl(CtrlKind::If, blockty);
                if self.last_def.is_none() && self.code.len().checked_sub(1) == fusable {
                    self.last_def = fusable;
                }
                let at = self.emit_cond_branch(cond, true);
                if let Some(c) = self.ctrl.last_mut() {
                    c.else_patch = Some(at);
                }
                self.close_region();
            }
            Operator::Else => {
                if self.reachable {
                    // The then-branch runs into `else`, which WasmEdge charges as an `end`.
                    self.charge(END);
                    let results = self.ctrl.last().map_or(0, |c| c.results);
                    self.materialize_top(results);
                    let at = self.emit(Instr::Br { offset: 0 });
                    if let Some(c) = self.ctrl.last_mut() {
                        c.patches.push(at);
                    }
                }
                let c = self.ctrl.last_mut().ok_or("else without if")?;
                c.kind = CtrlKind::Else;
                let (height, params, else_patch) = (c.height, c.params, c.else_patch.take());
                if let Some(at) = else_patch {
                    self.patch_to_here(at);
                }
                if self.meter.is_some() {
                    // A false condition lands here and counts the `else`.
                    self.close_region();
                    self.open_region();
                    self.charge_op();
                }
                self.stack.truncate(height);
                for _ in 0..params {
                    self.push_temp();
                }
                self.reachable = true;
                self.last_def = None;
            }
            Operator::End => self.end_block()?,
            Operator::Br { relative_depth } => {
                if self.targets_function(relative_depth) {
                    // Leaving the function by a branch runs its `end`.
                    self.charge(END);
                }
                self.branch(relative_depth);
                self.set_unreachable();
            }
            Operator::BrIf { relative_depth } => {
                let cond = self.reg_at(0);
                self.pop(1);
                if self.branch_is_plain(relative_depth) {
                    let at = self.emit_cond_branch(cond, false);
                    self.link_branch(relative_depth, at);
                } else {
                    let skip = self.emit_cond_branch(cond, true);
                    if self.targets_function(relative_depth) && self.meter.is_some() {
                        self.close_region();
                        self.open_region();
                        self.charge(END);
                    }
                    self.branch(relative_depth);
                    self.patch_to_here(skip);
                }
                self.close_region();
                self.last_def = None;
            }
            Operator::BrTable { targets } => {
                let index = self.reg_at(0);
                self.pop(1);
                let depths: Vec<u32> = targets
                    .targets()
                    .chain(std::iter::once(Ok(targets.default())))
                    .collect::<Result<_, _>>()
                    .map_err(|e| e.to_string())?;
                let start = self.emit(Instr::BrTable {
                    index,
                    len: depths.len() as u32 - 1,
                });
                for _ in &depths {
                    self.emit(Instr::Br { offset: 0 });
                }
                for (k, &d) in depths.iter().enumerate() {
                    let at = start + 1 + k;
                    if self.branch_is_plain(d) {
                        self.link_branch(d, at);
                    } else {
                        self.patch_to_here(at);
                        if self.targets_function(d) && self.meter.is_some() {
                            self.close_region();
                            self.open_region();
                            self.charge(END);
                        }
                        self.branch(d);
                    }
                }
                self.set_unreachable();
            }
            Operator::Return => {
                self.emit_return();
                self.set_unreachable();
            }
            Operator::Call { function_index } => {
                let ty = self.info.func_type(function_index);
                let (p, r) = (ty.params().len(), ty.results().len());
                let args = self.call_args(p);
                if function_index >= self.info.num_imported_funcs {
                    self.emit(Instr::CallInternal {
                        def: function_index - self.info.num_imported_funcs,
                        args,
                    });
                } else {
                    self.emit(Instr::Call {
                        func: function_index,
                        args,
                    });
                }
                self.after_call(p, r);
                self.close_region();
            }
            Operator::CallIndirect {
                type_index,
                table_index,
            } => {
                let ty = &self.info.types[type_index as usize];
                let (p, r) = (ty.params().len(), ty.results().len());
                let args = self.call_args(p + 1);
                let type_id = self.type_ids[type_index as usize];
                let table = u8::try_from(table_index).map_err(|_| "too many tables")?;
                self.emit(Instr::CallIndirect {
                    type_id,
                    args,
                    index: args + p as Reg,
                    table,
                });
                self.after_call(p + 1, r);
                self.close_region();
            }
            Operator::ReturnCall { function_index } => {
                let p = self.info.func_type(function_index).params().len();
                let args = self.call_args(p);
                self.emit(Instr::ReturnCall {
                    func: function_index,
                    args,
                });
                self.set_unreachable();
            }
            Operator::ReturnCallIndirect {
                type_index,
                table_index,
            } => {
                let p = self.info.types[type_index as usize].params().len();
                let args = self.call_args(p + 1);
                let type_id = self.type_ids[type_index as usize];
                let table = u8::try_from(table_index).map_err(|_| "too many tables")?;
                self.emit(Instr::ReturnCallIndirect {
                    type_id,
                    args,
                    index: args + p as Reg,
                    table,
                });
                self.set_unreachable();
            }
            Operator::Drop => self.pop(1),
            Operator::Select | Operator::TypedSelect { .. } => {
                let i = self.stack.len() - 3;
                self.materialize(i);
                let cond = self.reg_at(0);
                let b = self.reg_at(1);
                let dst = self.home(i);
                self.pop(3);
                self.push_temp();
                self.emit(Instr::Select { dst, b, cond });
            }
            Operator::LocalGet { local_index } => self.push(Opnd::Local(local_index)),
            Operator::LocalSet { local_index } => {
                self.local_set(local_index);
                self.pop(1);
            }
            Operator::LocalTee { local_index } => {
                self.local_set(local_index);
                self.pop(1);
                self.push(Opnd::Local(local_index));
            }
            Operator::GlobalGet { global_index } => {
                let vmoff = self.offsets.global(global_index);
                let dst = self.push_temp();
                self.emit_def(Instr::GlobalGet { dst, vmoff });
            }
            Operator::GlobalSet { global_index } => {
                let vmoff = self.offsets.global(global_index);
                let src = self.reg_at(0);
                self.pop(1);
                self.emit(Instr::GlobalSet { src, vmoff });
            }
            Operator::I32Const { value } => self.push(Opnd::Const(value as u32 as u64)),
            Operator::I64Const { value } => self.push(Opnd::Const(value as u64)),
            Operator::F32Const { value } => self.push(Opnd::Const(value.bits() as u64)),
            Operator::F64Const { value } => self.push(Opnd::Const(value.bits())),
            Operator::V128Const { value } => {
                self.push(Opnd::V128(u128::from_le_bytes(*value.bytes())))
            }
            Operator::RefNull { .. } => self.push(Opnd::Const(0)),
            Operator::RefIsNull => self.unary(|dst, a| Instr::I64Eqz { dst, a }),
            Operator::RefFunc { function_index } => {
                let dst = self.push_temp();
                self.emit_def(Instr::RefFunc {
                    dst,
                    func: function_index,
                });
            }
            Operator::I32ReinterpretF32
            | Operator::I64ReinterpretF64
            | Operator::F32ReinterpretI32
            | Operator::F64ReinterpretI64 => {}
            Operator::MemorySize { mem } => {
                let dst = self.push_temp();
                self.emit_def(Instr::MemorySize { dst, mem });
            }
            Operator::MemoryGrow { mem } => {
                self.unary(|dst, delta| Instr::MemoryGrow { dst, delta, mem })
            }
            Operator::MemoryFill { mem } => {
                let args = self.call_args(3);
                self.emit(Instr::MemoryFill { args, mem });
                self.pop(3);
            }
            Operator::MemoryCopy { dst_mem, src_mem } => {
                let args = self.call_args(3);
                self.emit(Instr::MemoryCopy {
                    args,
                    dst_mem,
                    src_mem,
                });
                self.pop(3);
            }
            Operator::MemoryInit { data_index, mem } => {
                let args = self.call_args(3);
                self.emit(Instr::MemoryInit {
                    args,
                    data: data_index,
                    mem,
                });
                self.pop(3);
            }
            Operator::DataDrop { data_index } => {
                self.emit(Instr::DataDrop { data: data_index });
            }
            Operator::TableGet { table } => {
                self.unary(|dst, index| Instr::TableGet { dst, index, table })
            }
            Operator::TableSet { table } => {
                let val = self.reg_at(0);
                let index = self.reg_at(1);
                self.pop(2);
                self.emit(Instr::TableSet { index, val, table });
            }
            Operator::TableSize { table } => {
                let dst = self.push_temp();
                self.emit_def(Instr::TableSize { dst, table });
            }
            Operator::TableGrow { table } => {
                let args = self.call_args(2);
                self.emit(Instr::TableGrow { args, table });
                self.pop(2);
                self.push_temp();
            }
            Operator::TableFill { table } => {
                let args = self.call_args(3);
                self.emit(Instr::TableFill { args, table });
                self.pop(3);
            }
            Operator::TableCopy {
                dst_table,
                src_table,
            } => {
                let args = self.call_args(3);
                self.emit(Instr::TableCopy {
                    args,
                    dst_table,
                    src_table,
                });
                self.pop(3);
            }
            Operator::TableInit { elem_index, table } => {
                let args = self.call_args(3);
                self.emit(Instr::TableInit {
                    args,
                    elem: elem_index,
                    table,
                });
                self.pop(3);
            }
            Operator::ElemDrop { elem_index } => {
                self.emit(Instr::ElemDrop { elem: elem_index });
            }
            op => return self.simd(op),
        }
        Ok(())
    }

    fn local_set(&mut self, local: u32) {
        let top = self.stack.len() - 1;
        for i in 0..top {
            if self.stack[i] == Opnd::Local(local) {
                self.materialize(i);
            }
        }
        match self.stack[top] {
            Opnd::Temp => {
                let src = self.home(top);
                self.move_temp(src, local);
            }
            o => self.emit_move(local, o),
        }
    }

    fn numeric(&mut self, op: &Operator<'_>) -> Result<bool, String> {
        let op = op.clone();
        for_each_op!(translate_numeric! { self, op; });
        Ok(false)
    }

    fn simd(&mut self, op: Operator<'_>) -> Result<(), String> {
        if let Some(s) = simd::classify(&op) {
            match s {
                SimdOp::Unary(op) => self.unary(|dst, a| Instr::SimdUnary { op, dst, a }),
                SimdOp::Binary(op) => self.binary(|dst, a, b| Instr::SimdBinary { op, dst, a, b }),
                SimdOp::Ternary(op) => {
                    let i = self.stack.len() - 3;
                    self.materialize(i);
                    let c = self.reg_at(0);
                    let b = self.reg_at(1);
                    let dst = self.home(i);
                    self.pop(3);
                    self.push_temp();
                    self.emit(Instr::SimdTernary { op, dst, b, c });
                }
                SimdOp::Shift(op) => self.binary(|dst, a, b| Instr::SimdShift { op, dst, a, b }),
                SimdOp::Test(op) => self.unary(|dst, a| Instr::SimdTest { op, dst, a }),
                SimdOp::Splat(op) => self.unary(|dst, a| Instr::SimdSplat { op, dst, a }),
                SimdOp::Extract(op, lane) => {
                    self.unary(|dst, a| Instr::SimdExtract { op, lane, dst, a })
                }
                SimdOp::Replace(op, lane) => self.binary(|dst, a, b| Instr::SimdReplace {
                    op,
                    lane,
                    dst,
                    a,
                    b,
                }),
            }
            return Ok(());
        }
        if let Some((kind, memarg)) = simd::classify_load(&op) {
            let (offset, mem) = self.memarg(memarg)?;
            self.unary(|dst, addr| Instr::V128Load {
                kind,
                dst,
                addr,
                offset,
                mem,
            });
            return Ok(());
        }
        let lane_op = |bits: u8, memarg, lane| (bits, memarg, lane);
        let (load, (bits, memarg, lane)) = match op {
            Operator::V128Store { memarg } => {
                let (offset, mem) = self.memarg(memarg)?;
                let val = self.reg_at(0);
                let addr = self.reg_at(1);
                self.pop(2);
                self.emit(Instr::V128Store {
                    addr,
                    val,
                    offset,
                    mem,
                });
                return Ok(());
            }
            Operator::I8x16Shuffle { lanes } => {
                let i = self.stack.len() - 2;
                self.materialize(i);
                let b = self.reg_at(0);
                let dst = self.home(i);
                let lanes = self.const_index(u128::from_le_bytes(lanes));
                self.pop(2);
                self.push_temp();
                self.emit(Instr::Shuffle { dst, b, lanes });
                return Ok(());
            }
            Operator::V128Load8Lane { memarg, lane } => (true, lane_op(8, memarg, lane)),
            Operator::V128Load16Lane { memarg, lane } => (true, lane_op(16, memarg, lane)),
            Operator::V128Load32Lane { memarg, lane } => (true, lane_op(32, memarg, lane)),
            Operator::V128Load64Lane { memarg, lane } => (true, lane_op(64, memarg, lane)),
            Operator::V128Store8Lane { memarg, lane } => (false, lane_op(8, memarg, lane)),
            Operator::V128Store16Lane { memarg, lane } => (false, lane_op(16, memarg, lane)),
            Operator::V128Store32Lane { memarg, lane } => (false, lane_op(32, memarg, lane)),
            Operator::V128Store64Lane { memarg, lane } => (false, lane_op(64, memarg, lane)),
            other => return Err(format!("unsupported instruction {other:?}")),
        };
        let (offset, mem) = self.memarg(memarg)?;
        let lane = ((bits / 8).trailing_zeros() as u8) << 4 | lane;
        let val = self.reg_at(0);
        let addr = self.reg_at(1);
        if load {
            // Load into a scratch cell above the stack, then move to the result's home.
            let scratch = self.home(self.stack.len());
            self.grow_cells(self.stack.len() + 1);
            self.emit(Instr::Copy {
                dst: scratch,
                src: val,
            });
            self.emit(Instr::V128LoadLane {
                lane,
                dst: scratch,
                addr,
                offset,
                mem,
            });
            self.pop(2);
            let dst = self.push_temp();
            self.emit(Instr::Copy { dst, src: scratch });
        } else {
            self.pop(2);
            self.emit(Instr::V128StoreLane {
                lane,
                addr,
                val,
                offset,
                mem,
            });
        }
        Ok(())
    }
}
