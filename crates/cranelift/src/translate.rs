//! Translation of one function body from wasm operators to Cranelift IR.
//!
//! The translator keeps wasm's operand stack as a stack of SSA values and wasm's control stack
//! as a stack of [`Frame`]s. Locals are `cranelift-frontend` variables. Code after an
//! unconditional branch is skipped until the `else`/`end` that makes it reachable again.

use crate::libcalls::Libcall;
use crate::{CompileError, CompileErrorKind, clif_type, wasm_signature};
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::immediates::{Ieee32, Ieee64};
use cranelift_codegen::ir::{
    self, BlockArg, BlockCall, Endianness, InstBuilder, JumpTableData, MemFlagsData, Value, types,
};
use cranelift_codegen::isa::{CallConv, TargetFrontendConfig};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Variable};
use std::collections::HashMap;
use wasmparser::{BinaryReader, BlockType, FunctionBody, MemArg, MemArgTarget, Operator};
use wedge_environ::{ModuleInfo, TrapCode, VMOffsets, closes_block, opens_block};

#[path = "simd.rs"]
mod simd;

#[path = "metering.rs"]
mod metering;
pub use metering::Metering;

/// What every function translation of a module shares.
pub(crate) struct Env<'a> {
    pub info: &'a ModuleInfo,
    pub offsets: &'a VMOffsets,
    /// The convention of wasm functions (`crate::WASM_CALL_CONV`).
    pub call_conv: CallConv,
    /// The target's native convention, for libcalls.
    pub native_call_conv: CallConv,
    /// Whether `i8x16.shuffle` and `i8x16.swizzle` lower inline (not on x86-64 without SSSE3).
    pub pshufb: bool,
    /// Instruction counting and cost charging (see `metering.rs`).
    pub metering: &'a Metering,
    /// Memories have guard regions (`CompilerSettings::guard_regions`).
    pub guard_regions: bool,
    /// Poll the interrupt flag (`CompilerSettings::interruptible`).
    pub interruptible: bool,
}

const PTR: ir::Type = types::I64;
const I32: ir::Type = types::I32;
const I64: ir::Type = types::I64;
const F32: ir::Type = types::F32;
const F64: ir::Type = types::F64;

#[derive(Debug)]
enum FrameKind {
    Block,
    Loop,
    If {
        else_block: ir::Block,
        else_seen: bool,
    },
}

/// One entry of wasm's control stack.
#[derive(Debug)]
struct Frame {
    kind: FrameKind,
    /// Continuation after `end`, with the results as block parameters.
    next: ir::Block,
    /// Loop header (loops only: branches go there, with the params).
    header: Option<ir::Block>,
    num_params: usize,
    num_results: usize,
    /// Operand stack height below the frame's params.
    height: usize,
    /// Whether `next` is reached (by a branch or by falling off the end).
    exit_reached: bool,
}

impl Frame {
    fn branch_target(&self) -> (ir::Block, usize) {
        match self.header {
            Some(h) => (h, self.num_params),
            None => (self.next, self.num_results),
        }
    }
}

/// Translates defined function `func_index` into `func` (whose signature is already set).
pub(crate) fn translate_function(
    env: &Env<'_>,
    func: &mut ir::Function,
    fctx: &mut FunctionBuilderContext,
    func_index: u32,
    wasm: &[u8],
    frontend: TargetFrontendConfig,
) -> Result<(), CompileError> {
    let def = (func_index - env.info.num_imported_funcs) as usize;
    let range = env.info.bodies[def].range.clone();
    let bytes = wasm
        .get(range.start as usize..range.end as usize)
        .ok_or_else(|| malformed(func_index, range.start, "function body outside the module"))?;
    let body = FunctionBody::new(BinaryReader::new(bytes, range.start));

    let b = FunctionBuilder::new(func, fctx);
    // Wasm memory accesses and the memory definitions' lengths never alias: a guest store
    // cannot change a length, so length loads survive stores (only calls clobber them).
    let heap_region = b.func.dfg.alias_regions.insert(ir::AliasRegionData {
        user_id: 1,
        description: "wasm memory".into(),
    });
    let def_region = b.func.dfg.alias_regions.insert(ir::AliasRegionData {
        user_id: 2,
        description: "memory lengths".into(),
    });
    let mut t = FuncTranslator {
        env,
        heap_region,
        def_region,
        checked_bounds: Vec::new(),
        b,
        func_index,
        vmctx: Value::from_u32(0),
        locals: Vec::new(),
        stack: Vec::new(),
        frames: Vec::new(),
        reachable: true,
        unreachable_depth: 0,
        trap_blocks: Vec::new(),
        interrupt_block: None,
        guard: env.guard_regions && !env.metering.is_on(),
        results: Vec::new(),
        sig_refs: HashMap::new(),
        func_refs: HashMap::new(),
        libcall_sigs: HashMap::new(),
        offset: range.start,
        meter: metering::FuncMeter::new(env.metering, wasm),
    };
    t.translate(&body)?;
    t.b.finalize(frontend);
    Ok(())
}

#[cold]
fn malformed(func_index: u32, offset: u64, message: impl Into<String>) -> CompileError {
    CompileError::new(CompileErrorKind::Malformed {
        func_index,
        offset,
        message: message.into(),
    })
}

struct FuncTranslator<'a, 'f> {
    env: &'a Env<'a>,
    /// Alias region of wasm memory accesses.
    heap_region: ir::AliasRegion,
    /// Alias region of `VMMemoryDefinition::current_length` loads.
    def_region: ir::AliasRegion,
    /// Bounds checks that passed earlier in the current straight-line code: (wasm address,
    /// memory, end offset checked). Memories never shrink, so a later access at the same
    /// address ending no further needs no check; cleared at every control operator.
    checked_bounds: Vec<(Value, u32, u64)>,
    b: FunctionBuilder<'f>,
    func_index: u32,
    vmctx: Value,
    locals: Vec<Variable>,
    stack: Vec<Value>,
    frames: Vec<Frame>,
    reachable: bool,
    /// Nesting depth of blocks opened in unreachable code.
    unreachable_depth: u32,
    /// Metered code's trap blocks: they write the counters back, then trap.
    trap_blocks: Vec<(TrapCode, ir::Block)>,
    /// Clears the interrupt flag and traps with `Interrupted`.
    interrupt_block: Option<ir::Block>,
    results: Vec<ir::Type>,
    sig_refs: HashMap<u32, ir::SigRef>,
    func_refs: HashMap<u32, ir::FuncRef>,
    libcall_sigs: HashMap<Libcall, ir::SigRef>,
    /// Byte offset of the operator being translated.
    offset: u64,
    /// Accesses whose offset fits in the memory guard go unchecked (guard regions, unmetered).
    guard: bool,
    /// Metering, when the module is compiled for an engine that counts or charges.
    meter: Option<metering::FuncMeter<'a>>,
}

/// Flags of a wasm memory access: it may fault (in a guard region) with `MemoryOutOfBounds`.
fn heap_flags(region: ir::AliasRegion) -> MemFlagsData {
    MemFlagsData::new()
        .with_trap_code(Some(crate::traps::clif_trap(TrapCode::MemoryOutOfBounds)))
        .with_endianness(Endianness::Little)
        .with_alias_region(Some(region))
}

fn vm_flags() -> MemFlagsData {
    MemFlagsData::trusted()
}

fn vm_readonly() -> MemFlagsData {
    MemFlagsData::trusted().with_readonly()
}

/// For what never changes once an instance exists: its VM context slots, and a memory's base
/// (memories grow in place), so the load may be hoisted out of loops.
fn vm_invariant() -> MemFlagsData {
    vm_readonly().with_can_move()
}

fn block_args(vals: &[Value]) -> Vec<BlockArg> {
    vals.iter().copied().map(BlockArg::Value).collect()
}

impl FuncTranslator<'_, '_> {
    fn unsupported(&self, what: impl Into<String>) -> CompileError {
        CompileError::unsupported(Some(self.func_index), self.offset, what)
    }

    fn translate(&mut self, body: &FunctionBody<'_>) -> Result<(), CompileError> {
        let fi = self.func_index;
        let ty = self.env.info.func_type(fi).clone();
        for &r in ty.results() {
            self.results
                .push(clif_type(r).ok_or_else(|| self.unsupported(format!("{r} result")))?);
        }

        let entry = self.b.create_block();
        self.b.append_block_params_for_function_params(entry);
        self.b.switch_to_block(entry);
        self.b.seal_block(entry);
        let params = self.b.block_params(entry).to_vec();
        self.vmctx = params[0];
        for &p in &params[2..] {
            let t = self.b.func.dfg.value_type(p);
            let var = self.b.declare_var(t);
            self.b.def_var(var, p);
            self.locals.push(var);
        }
        let locals = body
            .get_locals_reader()
            .map_err(|e| malformed(fi, e.offset(), e.message()))?;
        for local in locals {
            let (count, vt) = local.map_err(|e| malformed(fi, e.offset(), e.message()))?;
            let t = self.val_type(vt)?;
            for _ in 0..count {
                let var = self.b.declare_var(t);
                let zero = self.zero(t);
                self.b.def_var(var, zero);
                self.locals.push(var);
            }
        }

        // Stack overflow: Cranelift's prologue compares the stack pointer, less the frame it
        // is about to allocate, with `VMRuntimeLimits::stack_limit`, before it saves anything
        // (and leaves the check out of leaf functions without a frame). It traps with
        // `STACK_OVERFLOW` before this function has done or counted anything.
        let invariant = self.b.func.dfg.mem_flags.insert_unchecked(vm_invariant());
        let trusted = self.b.func.dfg.mem_flags.insert_unchecked(vm_flags());
        let vmctx = self
            .b
            .func
            .create_global_value(ir::GlobalValueData::VMContext);
        let limits = self.b.func.create_global_value(ir::GlobalValueData::Load {
            base: vmctx,
            offset: (self.env.offsets.limits() as i32).into(),
            global_type: PTR,
            flags: invariant,
        });
        let stack_limit = self.b.func.create_global_value(ir::GlobalValueData::Load {
            base: limits,
            offset: (self.env.offsets.limits_stack_limit() as i32).into(),
            global_type: PTR,
            flags: trusted,
        });
        self.b.func.stack_limit = Some(stack_limit);
        // Metering counters into variables, before anything can trap.
        self.meter_load();
        self.interrupt_check();

        let exit = self.b.create_block();
        for &r in &self.results.clone() {
            self.b.append_block_param(exit, r);
        }
        self.frames.push(Frame {
            kind: FrameKind::Block,
            next: exit,
            header: None,
            num_params: 0,
            num_results: self.results.len(),
            height: 0,
            exit_reached: false,
        });

        let mut reader = body
            .get_operators_reader()
            .map_err(|e| malformed(fi, e.offset(), e.message()))?;
        while !self.frames.is_empty() {
            self.offset = reader.original_position();
            let op = reader
                .read()
                .map_err(|e| malformed(fi, e.offset(), e.message()))?;
            let after = self.meter_before(&op);
            if self.reachable {
                self.operator(op)?;
            } else {
                self.unreachable_operator(op);
            }
            self.meter_after(after);
        }
        // The function's frame ended: `exit` holds the results.
        if self.reachable {
            self.meter_flush();
            let rets = self.stack.clone();
            self.b.ins().return_(&rets);
        }
        self.emit_trap_blocks();
        Ok(())
    }

    fn val_type(&self, vt: wasmparser::ValType) -> Result<ir::Type, CompileError> {
        match vt {
            wasmparser::ValType::I32 => Ok(I32),
            wasmparser::ValType::I64 => Ok(I64),
            wasmparser::ValType::F32 => Ok(F32),
            wasmparser::ValType::F64 => Ok(F64),
            wasmparser::ValType::Ref(_) => Ok(I64),
            wasmparser::ValType::V128 => Ok(simd::V128),
        }
    }

    fn zero(&mut self, t: ir::Type) -> Value {
        match t {
            F32 => self.b.ins().f32const(Ieee32::with_bits(0)),
            F64 => self.b.ins().f64const(Ieee64::with_bits(0)),
            simd::V128 => self.vconst(t, &[0; 16]),
            _ => self.b.ins().iconst(t, 0),
        }
    }

    fn iconst(&mut self, t: ir::Type, v: i64) -> Value {
        let v = if t == I32 { v as u32 as i64 } else { v };
        self.b.ins().iconst(t, v)
    }

    // ---- operand stack -------------------------------------------------------------------

    fn pop(&mut self) -> Value {
        self.stack
            .pop()
            .expect("validated: operand stack underflow")
    }

    fn pop2(&mut self) -> (Value, Value) {
        let b = self.pop();
        let a = self.pop();
        (a, b)
    }

    fn popn(&mut self, n: usize) -> Vec<Value> {
        let at = self.stack.len() - n;
        self.stack.split_off(at)
    }

    fn peekn(&self, n: usize) -> &[Value] {
        &self.stack[self.stack.len() - n..]
    }

    fn push(&mut self, v: Value) {
        self.stack.push(v);
    }

    // ---- VM context ----------------------------------------------------------------------

    fn vm_ptr(&mut self, offset: u32) -> Value {
        self.b
            .ins()
            .load(PTR, vm_invariant(), self.vmctx, offset as i32)
    }

    fn limits(&mut self) -> Value {
        self.vm_ptr(self.env.offsets.limits())
    }

    fn trap_block(&mut self, code: TrapCode) -> ir::Block {
        if let Some(&(_, b)) = self.trap_blocks.iter().find(|(c, _)| *c == code) {
            return b;
        }
        let b = self.b.create_block();
        self.b.set_cold_block(b);
        self.trap_blocks.push((code, b));
        b
    }

    /// Traps with `code` when `cond` is non-zero. Metered code first goes to a cold block
    /// that writes the counters back.
    fn trap_if(&mut self, cond: Value, code: TrapCode) {
        if self.meter.is_none() {
            self.b.ins().trapnz(cond, crate::traps::clif_trap(code));
            return;
        }
        let t = self.meter_trap_block(code);
        let cont = self.b.create_block();
        self.b.ins().brif(cond, t, &[], cont, &[]);
        self.b.switch_to_block(cont);
        self.b.seal_block(cont);
    }

    /// Traps unconditionally; what follows is unreachable.
    fn trap(&mut self, code: TrapCode) {
        if self.meter.is_none() {
            self.b.ins().trap(crate::traps::clif_trap(code));
        } else {
            let t = self.meter_trap_block(code);
            self.b.ins().jump(t, &[]);
        }
        self.reachable = false;
    }

    /// After a libcall that can fail: traps (with the error the runtime stored) if it did.
    fn check_pending(&mut self) {
        let limits = self.limits();
        let code = self.b.ins().load(
            I32,
            vm_flags(),
            limits,
            self.env.offsets.limits_trap_code() as i32,
        );
        self.b.ins().trapnz(code, crate::traps::CLIF_PENDING);
    }

    fn interrupt_check(&mut self) {
        if !self.env.interruptible {
            return;
        }
        let limits = self.limits();
        // The flag's address never changes (it can be hoisted); the flag itself can change at
        // any time (another thread sets it).
        let flag_ptr = self.b.ins().load(
            PTR,
            vm_invariant(),
            limits,
            self.env.offsets.limits_interrupt() as i32,
        );
        // An atomic load: a plain one could be merged with the entry check's load and never see
        // a flag raised while a loop without stores runs.
        let flag = self.b.ins().atomic_load(I32, vm_flags(), flag_ptr);
        let ib = match self.interrupt_block {
            Some(b) => b,
            None => {
                let b = self.b.create_block();
                self.b.set_cold_block(b);
                self.interrupt_block = Some(b);
                b
            }
        };
        let cont = self.b.create_block();
        self.b.ins().brif(flag, ib, &[], cont, &[]);
        self.b.switch_to_block(cont);
        self.b.seal_block(cont);
    }

    fn emit_trap_blocks(&mut self) {
        self.meter_finish();
        if let Some(ib) = self.interrupt_block {
            self.b.switch_to_block(ib);
            self.b.seal_block(ib);
            let limits = self.limits();
            let zero = self.b.ins().iconst(I32, 0);
            let flag_ptr = self.b.ins().load(
                PTR,
                vm_invariant(),
                limits,
                self.env.offsets.limits_interrupt() as i32,
            );
            self.b.ins().atomic_store(vm_flags(), zero, flag_ptr);
            if self.meter.is_none() {
                self.b
                    .ins()
                    .trap(crate::traps::clif_trap(TrapCode::Interrupted));
            } else {
                let t = self.trap_block(TrapCode::Interrupted);
                self.b.ins().jump(t, &[]);
            }
        }
        for (code, block) in self.trap_blocks.clone() {
            self.b.switch_to_block(block);
            self.b.seal_block(block);
            self.meter_flush();
            self.b.ins().trap(crate::traps::clif_trap(code));
        }
    }

    // ---- control -------------------------------------------------------------------------

    fn block_type(&self, bt: BlockType) -> Result<(Vec<ir::Type>, Vec<ir::Type>), CompileError> {
        match bt {
            BlockType::Empty => Ok((vec![], vec![])),
            BlockType::Type(t) => Ok((vec![], vec![self.val_type(t)?])),
            BlockType::FuncType(i) => {
                let ty = &self.env.info.types[i as usize];
                let conv = |ts: &[wedge_environ::ValType]| {
                    ts.iter()
                        .map(|&t| clif_type(t).ok_or_else(|| self.unsupported("v128 (SIMD)")))
                        .collect::<Result<Vec<_>, _>>()
                };
                Ok((conv(ty.params())?, conv(ty.results())?))
            }
        }
    }

    fn new_block_with(&mut self, types: &[ir::Type]) -> ir::Block {
        let b = self.b.create_block();
        for &t in types {
            self.b.append_block_param(b, t);
        }
        b
    }

    fn end_frame(&mut self) {
        let mut frame = self
            .frames
            .pop()
            .expect("validated: control stack underflow");
        if self.reachable {
            let args = block_args(self.peekn(frame.num_results));
            self.b.ins().jump(frame.next, &args);
            frame.exit_reached = true;
        }
        if let FrameKind::If {
            else_block,
            else_seen: false,
        } = frame.kind
        {
            // No `else`: the false path passes the params through as results.
            self.b.switch_to_block(else_block);
            let args = block_args(self.b.block_params(else_block));
            self.b.ins().jump(frame.next, &args);
            frame.exit_reached = true;
        }
        if let Some(h) = frame.header {
            self.b.seal_block(h);
        }
        self.stack.truncate(frame.height);
        self.b.switch_to_block(frame.next);
        self.b.seal_block(frame.next);
        let results = self.b.block_params(frame.next).to_vec();
        self.stack.extend(results);
        self.reachable = frame.exit_reached;
    }

    fn frame_at(&mut self, depth: u32) -> &mut Frame {
        let i = self.frames.len() - 1 - depth as usize;
        &mut self.frames[i]
    }

    fn branch(&mut self, depth: u32) {
        let frame = self.frame_at(depth);
        let (target, n) = frame.branch_target();
        if frame.header.is_none() {
            frame.exit_reached = true;
        }
        let args = block_args(self.peekn(n));
        self.b.ins().jump(target, &args);
        self.reachable = false;
    }

    /// Skips dead code up to the `else` or `end` of the frame it is in, counting the blocks
    /// opened inside, of every proposal (`wedge_environ::opens_block`).
    fn unreachable_operator(&mut self, op: Operator<'_>) {
        if opens_block(&op) {
            self.unreachable_depth += 1;
            return;
        }
        match op {
            _ if closes_block(&op) && self.unreachable_depth > 0 => self.unreachable_depth -= 1,
            Operator::Else if self.unreachable_depth == 0 => self.else_op(),
            Operator::End => self.end_frame(),
            _ => {}
        }
    }

    fn else_op(&mut self) {
        let frame = self.frames.last_mut().expect("validated: else without if");
        let FrameKind::If {
            else_block,
            else_seen,
        } = &mut frame.kind
        else {
            unreachable!("validated: else without if")
        };
        *else_seen = true;
        let else_block = *else_block;
        let (next, n, height) = (frame.next, frame.num_results, frame.height);
        if self.reachable {
            frame.exit_reached = true;
            let args = block_args(self.peekn(n));
            self.b.ins().jump(next, &args);
        }
        self.stack.truncate(height);
        self.b.switch_to_block(else_block);
        let params = self.b.block_params(else_block).to_vec();
        self.stack.extend(params);
        self.reachable = true;
    }

    // ---- calls ---------------------------------------------------------------------------

    fn sig_ref(&mut self, type_index: u32) -> Result<ir::SigRef, CompileError> {
        if let Some(&s) = self.sig_refs.get(&type_index) {
            return Ok(s);
        }
        let ty = &self.env.info.types[type_index as usize];
        let sig = wasm_signature(ty, self.env.call_conv, Some(self.func_index))?;
        let s = self.b.import_signature(sig);
        self.sig_refs.insert(type_index, s);
        Ok(s)
    }

    fn finish_call(&mut self, inst: ir::Inst) {
        let results = self.b.inst_results(inst).to_vec();
        self.stack.extend(results);
        self.meter_after_call();
    }

    /// `call`, or with `tail` `return_call`: the callee returns to this function's caller,
    /// and what follows is unreachable.
    fn call(&mut self, function_index: u32, tail: bool) -> Result<(), CompileError> {
        self.meter_flush();
        let info = self.env.info;
        let nparams = info.func_type(function_index).params().len();
        let args = self.popn(nparams);
        if function_index >= info.num_imported_funcs {
            let def = function_index - info.num_imported_funcs;
            let fref = match self.func_refs.get(&def) {
                Some(&f) => f,
                None => {
                    let sig = crate::wasm_signature(
                        info.func_type(function_index),
                        self.env.call_conv,
                        None,
                    )?;
                    let f = crate::declare_local_func(self.b.func, def, sig);
                    self.func_refs.insert(def, f);
                    f
                }
            };
            let mut all = vec![self.vmctx, self.vmctx];
            all.extend(args);
            if tail {
                self.b.ins().return_call(fref, &all);
                self.reachable = false;
            } else {
                let inst = self.b.ins().call(fref, &all);
                self.finish_call(inst);
            }
        } else {
            let funcref = self.vm_ptr(self.env.offsets.func(function_index));
            let sig = self.sig_ref(info.funcs[function_index as usize])?;
            self.call_funcref(funcref, sig, args, vm_readonly(), tail);
        }
        Ok(())
    }

    fn call_funcref(
        &mut self,
        funcref: Value,
        sig: ir::SigRef,
        args: Vec<Value>,
        flags: MemFlagsData,
        tail: bool,
    ) {
        let o = self.env.offsets;
        let code = self
            .b
            .ins()
            .load(PTR, flags, funcref, o.func_ref_wasm_call() as i32);
        let callee_vmctx = self
            .b
            .ins()
            .load(PTR, flags, funcref, o.func_ref_vmctx() as i32);
        let mut all = vec![callee_vmctx, self.vmctx];
        all.extend(args);
        if tail {
            self.b.ins().return_call_indirect(sig, code, &all);
            self.reachable = false;
        } else {
            let inst = self.b.ins().call_indirect(sig, code, &all);
            self.finish_call(inst);
        }
    }

    /// `call_indirect`, or with `tail` `return_call_indirect` (see [`call`](Self::call)).
    fn call_indirect(
        &mut self,
        type_index: u32,
        table: u32,
        tail: bool,
    ) -> Result<(), CompileError> {
        self.meter_flush();
        let index = self.pop();
        let nparams = self.env.info.types[type_index as usize].params().len();
        let args = self.popn(nparams);
        let elem = self.table_elem_addr(table, index, TrapCode::UndefinedElement);
        let funcref = self.b.ins().load(I64, vm_flags(), elem, 0);
        let is_null = self.b.ins().icmp_imm_s(IntCC::Equal, funcref, 0);
        self.trap_if(is_null, TrapCode::UninitializedElement);
        let o = self.env.offsets;
        let actual = self
            .b
            .ins()
            .load(I32, vm_flags(), funcref, o.func_ref_type_id() as i32);
        let expected =
            self.b
                .ins()
                .load(I32, vm_readonly(), self.vmctx, o.type_id(type_index) as i32);
        let mismatch = self.b.ins().icmp(IntCC::NotEqual, actual, expected);
        self.trap_if(mismatch, TrapCode::IndirectCallTypeMismatch);
        let sig = self.sig_ref(type_index)?;
        self.call_funcref(funcref, sig, args, vm_flags(), tail);
        Ok(())
    }

    fn libcall(&mut self, which: Libcall, args: &[Value]) -> Option<Value> {
        let sig = match self.libcall_sigs.get(&which) {
            Some(&s) => s,
            None => {
                let (params, ret) = which.signature();
                let mut sig = ir::Signature::new(self.env.native_call_conv);
                sig.params.push(ir::AbiParam::new(PTR));
                sig.params
                    .extend(params.iter().map(|&t| ir::AbiParam::new(t)));
                sig.returns.extend(ret.map(ir::AbiParam::new));
                let s = self.b.import_signature(sig);
                self.libcall_sigs.insert(which, s);
                s
            }
        };
        // Through the store's libcall table: the code holds no process addresses.
        let limits = self.limits();
        let table = self.b.ins().load(
            PTR,
            vm_invariant(),
            limits,
            self.env.offsets.limits_libcalls() as i32,
        );
        let addr = self
            .b
            .ins()
            .load(PTR, vm_invariant(), table, which.table_offset());
        let mut all = vec![self.vmctx];
        all.extend_from_slice(args);
        if which.can_trap() {
            self.meter_flush();
        }
        let inst = self.b.ins().call_indirect(sig, addr, &all);
        let result = self.b.inst_results(inst).first().copied();
        if which.can_trap() {
            self.check_pending();
        }
        result
    }

    // ---- memories and tables -------------------------------------------------------------

    /// The native address of a `size`-byte access at the popped address plus `memarg.offset`,
    /// after the bounds check.
    fn mem_addr(&mut self, memarg: &MemArg, size: u64) -> Result<Value, CompileError> {
        let memory = match memarg.target {
            MemArgTarget::Memory(m) => m,
            MemArgTarget::Array(_) => return Err(self.unsupported("GC array access")),
        };
        if memarg.ordering.is_some() {
            return Err(self.unsupported("atomic memory access"));
        }
        let wasm_index = self.pop();
        let index = self.b.ins().uextend(I64, wasm_index);
        let o = self.env.offsets;
        let end_offset = memarg.offset + size;
        let guarded = self.guard
            && !self.env.info.memories[memory as usize].memory64
            && end_offset <= wedge_environ::MEMORY_GUARD_SIZE;
        let checked = guarded
            || self
                .checked_bounds
                .iter()
                .any(|&(v, m, e)| v == wasm_index && m == memory && e >= end_offset);
        if !checked {
            let def = self.vm_ptr(o.memory(memory));
            let len = self.b.ins().load(
                PTR,
                vm_flags().with_alias_region(Some(self.def_region)),
                def,
                o.memory_current_length() as i32,
            );
            // index < 2^32 and offset < 2^32 (memory32): the sum cannot wrap in 64 bits.
            let end = self.b.ins().iadd_imm_u(index, end_offset as i64);
            let oob = self.b.ins().icmp(IntCC::UnsignedGreaterThan, end, len);
            self.trap_if(oob, TrapCode::MemoryOutOfBounds);
            if self.checked_bounds.len() == 16 {
                self.checked_bounds.remove(0);
            }
            self.checked_bounds.push((wasm_index, memory, end_offset));
        }
        let base = self.vm_ptr(o.memory_base_of(memory));
        let addr = self.b.ins().iadd(base, index);
        Ok(if memarg.offset == 0 {
            addr
        } else {
            self.b.ins().iadd_imm_u(addr, memarg.offset as i64)
        })
    }

    fn load(
        &mut self,
        memarg: &MemArg,
        size: u64,
        f: impl FnOnce(&mut Self, Value) -> Value,
    ) -> Result<(), CompileError> {
        let addr = self.mem_addr(memarg, size)?;
        let v = f(self, addr);
        self.push(v);
        Ok(())
    }

    fn store(&mut self, memarg: &MemArg, size: u64) -> Result<(), CompileError> {
        let value = self.pop();
        let addr = self.mem_addr(memarg, size)?;
        let flags = heap_flags(self.heap_region);
        match size {
            1 => self.b.ins().istore8(flags, value, addr, 0),
            2 => self.b.ins().istore16(flags, value, addr, 0),
            4 if self.b.func.dfg.value_type(value) == I64 => {
                self.b.ins().istore32(flags, value, addr, 0)
            }
            _ => self.b.ins().store(flags, value, addr, 0),
        };
        Ok(())
    }

    /// The address of table element `index` (i32) after a bounds check that traps with `code`.
    fn table_elem_addr(&mut self, table: u32, index: Value, code: TrapCode) -> Value {
        let o = self.env.offsets;
        let index = self.b.ins().uextend(I64, index);
        let def = self.vm_ptr(o.table(table));
        let len = self
            .b
            .ins()
            .load(I64, vm_flags(), def, o.table_current_elements() as i32);
        let oob = self
            .b
            .ins()
            .icmp(IntCC::UnsignedGreaterThanOrEqual, index, len);
        self.trap_if(oob, code);
        let base = self
            .b
            .ins()
            .load(PTR, vm_flags(), def, o.table_base() as i32);
        let scaled = self.b.ins().ishl_imm_u(index, 3);
        self.b.ins().iadd(base, scaled)
    }

    fn u64_arg(&mut self, v: Value) -> Value {
        if self.b.func.dfg.value_type(v) == I32 {
            self.b.ins().uextend(I64, v)
        } else {
            v
        }
    }

    // ---- numeric helpers -----------------------------------------------------------------

    fn unop(&mut self, f: impl FnOnce(&mut FunctionBuilder<'_>, Value) -> Value) {
        let a = self.pop();
        let v = f(&mut self.b, a);
        self.push(v);
    }

    fn binop(&mut self, f: impl FnOnce(&mut FunctionBuilder<'_>, Value, Value) -> Value) {
        let (a, b) = self.pop2();
        let v = f(&mut self.b, a, b);
        self.push(v);
    }

    fn icmp(&mut self, cc: IntCC) {
        let (a, b) = self.pop2();
        let c = self.b.ins().icmp(cc, a, b);
        let v = self.b.ins().uextend(I32, c);
        self.push(v);
    }

    fn fcmp(&mut self, cc: FloatCC) {
        let (a, b) = self.pop2();
        let c = self.b.ins().fcmp(cc, a, b);
        let v = self.b.ins().uextend(I32, c);
        self.push(v);
    }

    fn eqz(&mut self) {
        let a = self.pop();
        let c = self.b.ins().icmp_imm_s(IntCC::Equal, a, 0);
        let v = self.b.ins().uextend(I32, c);
        self.push(v);
    }

    fn sext(&mut self, from: ir::Type, to: ir::Type) {
        let a = self.pop();
        let n = self.b.ins().ireduce(from, a);
        let v = self.b.ins().sextend(to, n);
        self.push(v);
    }

    /// Integer division and remainder with wasm's traps checked before the operation.
    fn divrem(&mut self, signed: bool, rem: bool) {
        let (a, b) = self.pop2();
        let t = self.b.func.dfg.value_type(a);
        if self.meter.is_none() {
            // Cranelift's operators trap as wasm's do (a zero divisor, and `sdiv` overflow, with
            // the trap codes `traps.rs` maps), and its `srem` of INT_MIN by -1 is 0.
            let v = match (signed, rem) {
                (true, false) => self.b.ins().sdiv(a, b),
                (true, true) => self.b.ins().srem(a, b),
                (false, false) => self.b.ins().udiv(a, b),
                (false, true) => self.b.ins().urem(a, b),
            };
            self.push(v);
            return;
        }
        // Metered code checks first, so its trap blocks can write the counters back.
        let zero = self.b.ins().icmp_imm_s(IntCC::Equal, b, 0);
        self.trap_if(zero, TrapCode::IntegerDivideByZero);
        let v = if signed && !rem {
            let min = if t == I32 { i32::MIN as i64 } else { i64::MIN };
            let min = self.iconst(t, min);
            let neg1 = self.iconst(t, -1);
            let a_min = self.b.ins().icmp(IntCC::Equal, a, min);
            let b_neg1 = self.b.ins().icmp(IntCC::Equal, b, neg1);
            let both = self.b.ins().band(a_min, b_neg1);
            self.trap_if(both, TrapCode::IntegerOverflow);
            self.b.ins().sdiv(a, b)
        } else if signed {
            // INT_MIN % -1 is 0 in wasm; avoid the hardware fault by dividing by 1 instead.
            let neg1 = self.iconst(t, -1);
            let is_neg1 = self.b.ins().icmp(IntCC::Equal, b, neg1);
            let one = self.iconst(t, 1);
            let d = self.b.ins().select(is_neg1, one, b);
            self.b.ins().srem(a, d)
        } else if rem {
            self.b.ins().urem(a, b)
        } else {
            self.b.ins().udiv(a, b)
        };
        self.push(v);
    }

    /// Trapping float-to-int conversion: NaN and out-of-range inputs trap, the rest truncates.
    fn trunc(&mut self, to: ir::Type, signed: bool) {
        let x = self.pop();
        if self.meter.is_none() {
            // Cranelift's conversions trap as wasm's do: NaN with BAD_CONVERSION_TO_INTEGER,
            // out of range with INTEGER_OVERFLOW (mapped in `traps.rs`).
            let v = if signed {
                self.b.ins().fcvt_to_sint(to, x)
            } else {
                self.b.ins().fcvt_to_uint(to, x)
            };
            self.push(v);
            return;
        }
        // Metered code checks first, so its trap blocks can write the counters back.
        let from = self.b.func.dfg.value_type(x);
        let nan = self.b.ins().fcmp(FloatCC::Unordered, x, x);
        self.trap_if(nan, TrapCode::InvalidConversionToInteger);
        // Valid iff lo < x < hi (strict), with bounds exactly representable in `from`.
        let bits = to.bits();
        let (lo, lo_inclusive, hi) = if signed {
            let m = -(2f64.powi(bits as i32 - 1));
            // -2^(n-1) itself is valid. For f64 and i32, -2^31 - 1 is representable, so use it
            // as an exclusive bound; otherwise use -2^(n-1) inclusive.
            if from == F64 && bits == 32 {
                (m - 1.0, false, -m)
            } else {
                (m, true, -m)
            }
        } else {
            (-1.0, false, 2f64.powi(bits as i32))
        };
        let fconst = |b: &mut FunctionBuilder<'_>, v: f64| {
            if from == F32 {
                b.ins().f32const(v as f32)
            } else {
                b.ins().f64const(v)
            }
        };
        let lo_v = fconst(&mut self.b, lo);
        let hi_v = fconst(&mut self.b, hi);
        let lo_cc = if lo_inclusive {
            FloatCC::LessThan
        } else {
            FloatCC::LessThanOrEqual
        };
        let too_low = self.b.ins().fcmp(lo_cc, x, lo_v);
        let too_high = self.b.ins().fcmp(FloatCC::GreaterThanOrEqual, x, hi_v);
        let out = self.b.ins().bor(too_low, too_high);
        self.trap_if(out, TrapCode::IntegerOverflow);
        let v = if signed {
            self.b.ins().fcvt_to_sint_sat(to, x)
        } else {
            self.b.ins().fcvt_to_uint_sat(to, x)
        };
        self.push(v);
    }

    // ---- the operators -------------------------------------------------------------------

    fn operator(&mut self, op: Operator<'_>) -> Result<(), CompileError> {
        use Operator as O;
        let heap = heap_flags(self.heap_region);
        // Past a control operator the code may be reached from elsewhere: forget the checks.
        if matches!(
            op,
            O::Block { .. }
                | O::Loop { .. }
                | O::If { .. }
                | O::Else
                | O::End
                | O::Br { .. }
                | O::BrIf { .. }
                | O::BrTable { .. }
                | O::BrOnNull { .. }
                | O::BrOnNonNull { .. }
                | O::Return
                | O::Unreachable
                | O::TryTable { .. }
        ) {
            self.checked_bounds.clear();
        }
        match op {
            O::Unreachable => self.trap(TrapCode::Unreachable),
            O::Nop => {}
            O::Block { blockty } => {
                let (params, results) = self.block_type(blockty)?;
                let next = self.new_block_with(&results);
                self.frames.push(Frame {
                    kind: FrameKind::Block,
                    next,
                    header: None,
                    num_params: params.len(),
                    num_results: results.len(),
                    height: self.stack.len() - params.len(),
                    exit_reached: false,
                });
            }
            O::Loop { blockty } => {
                let (params, results) = self.block_type(blockty)?;
                let header = self.new_block_with(&params);
                let next = self.new_block_with(&results);
                let args = self.popn(params.len());
                let height = self.stack.len();
                self.b.ins().jump(header, &block_args(&args));
                self.b.switch_to_block(header);
                let hp = self.b.block_params(header).to_vec();
                self.stack.extend(hp);
                self.frames.push(Frame {
                    kind: FrameKind::Loop,
                    next,
                    header: Some(header),
                    num_params: params.len(),
                    num_results: results.len(),
                    height,
                    exit_reached: false,
                });
                self.interrupt_check();
            }
            O::If { blockty } => {
                let cond = self.pop();
                let (params, results) = self.block_type(blockty)?;
                let then_block = self.new_block_with(&params);
                let else_block = self.new_block_with(&params);
                let next = self.new_block_with(&results);
                let args = block_args(&self.popn(params.len()));
                let height = self.stack.len();
                self.b
                    .ins()
                    .brif(cond, then_block, &args, else_block, &args);
                self.b.seal_block(then_block);
                self.b.seal_block(else_block);
                self.b.switch_to_block(then_block);
                let tp = self.b.block_params(then_block).to_vec();
                self.stack.extend(tp);
                self.frames.push(Frame {
                    kind: FrameKind::If {
                        else_block,
                        else_seen: false,
                    },
                    next,
                    header: None,
                    num_params: params.len(),
                    num_results: results.len(),
                    height,
                    exit_reached: false,
                });
            }
            O::Else => self.else_op(),
            O::End => self.end_frame(),
            O::Br { relative_depth } => self.branch(relative_depth),
            O::BrIf { relative_depth } => {
                let cond = self.pop();
                let frame = self.frame_at(relative_depth);
                let (target, n) = frame.branch_target();
                if frame.header.is_none() {
                    frame.exit_reached = true;
                }
                let args = block_args(self.peekn(n));
                let cont = self.b.create_block();
                self.b.ins().brif(cond, target, &args, cont, &[]);
                self.b.switch_to_block(cont);
                self.b.seal_block(cont);
            }
            O::BrTable { targets } => {
                let index = self.pop();
                let mut depths = Vec::with_capacity(targets.len() as usize);
                for d in targets.targets() {
                    depths
                        .push(d.map_err(|e| malformed(self.func_index, e.offset(), e.message()))?);
                }
                let mut calls = Vec::with_capacity(depths.len() + 1);
                for d in std::iter::once(targets.default()).chain(depths) {
                    let frame = self.frame_at(d);
                    let (target, n) = frame.branch_target();
                    if frame.header.is_none() {
                        frame.exit_reached = true;
                    }
                    let args = block_args(self.peekn(n));
                    calls.push(BlockCall::new(
                        target,
                        args,
                        &mut self.b.func.dfg.value_lists,
                    ));
                }
                let jt = self
                    .b
                    .create_jump_table(JumpTableData::new(calls[0], &calls[1..]));
                self.b.ins().br_table(index, jt);
                self.reachable = false;
            }
            O::Return => {
                let n = self.results.len();
                let rets = self.peekn(n).to_vec();
                self.meter_flush();
                self.b.ins().return_(&rets);
                self.reachable = false;
            }
            O::Call { function_index } => self.call(function_index, false)?,
            O::CallIndirect {
                type_index,
                table_index,
            } => self.call_indirect(type_index, table_index, false)?,
            O::ReturnCall { function_index } => self.call(function_index, true)?,
            O::ReturnCallIndirect {
                type_index,
                table_index,
            } => self.call_indirect(type_index, table_index, true)?,
            O::Drop => {
                self.pop();
            }
            O::Select | O::TypedSelect { .. } => {
                let c = self.pop();
                let (a, b) = self.pop2();
                let v = self.b.ins().select(c, a, b);
                self.push(v);
            }
            O::TypedSelectMulti { tys } => {
                let c = self.pop();
                let b = self.popn(tys.len());
                let a = self.popn(tys.len());
                for (x, y) in a.into_iter().zip(b) {
                    let v = self.b.ins().select(c, x, y);
                    self.push(v);
                }
            }
            O::LocalGet { local_index } => {
                let v = self.b.use_var(self.locals[local_index as usize]);
                self.push(v);
            }
            O::LocalSet { local_index } => {
                let v = self.pop();
                self.b.def_var(self.locals[local_index as usize], v);
            }
            O::LocalTee { local_index } => {
                let v = *self.stack.last().expect("validated");
                self.b.def_var(self.locals[local_index as usize], v);
            }
            O::GlobalGet { global_index } => {
                let ty = self.env.info.globals[global_index as usize].content;
                let t = clif_type(ty).ok_or_else(|| self.unsupported("v128 global"))?;
                let def = self.vm_ptr(self.env.offsets.global(global_index));
                let v = self.b.ins().load(t, vm_flags(), def, 0);
                self.push(v);
            }
            O::GlobalSet { global_index } => {
                let v = self.pop();
                let def = self.vm_ptr(self.env.offsets.global(global_index));
                self.b.ins().store(vm_flags(), v, def, 0);
            }

            // Memory.
            O::I32Load { memarg } => {
                self.load(&memarg, 4, |s, a| s.b.ins().load(I32, heap, a, 0))?
            }
            O::I64Load { memarg } => {
                self.load(&memarg, 8, |s, a| s.b.ins().load(I64, heap, a, 0))?
            }
            O::F32Load { memarg } => {
                self.load(&memarg, 4, |s, a| s.b.ins().load(F32, heap, a, 0))?
            }
            O::F64Load { memarg } => {
                self.load(&memarg, 8, |s, a| s.b.ins().load(F64, heap, a, 0))?
            }
            O::I32Load8S { memarg } => {
                self.load(&memarg, 1, |s, a| s.b.ins().sload8(I32, heap, a, 0))?
            }
            O::I32Load8U { memarg } => {
                self.load(&memarg, 1, |s, a| s.b.ins().uload8(I32, heap, a, 0))?
            }
            O::I32Load16S { memarg } => {
                self.load(&memarg, 2, |s, a| s.b.ins().sload16(I32, heap, a, 0))?
            }
            O::I32Load16U { memarg } => {
                self.load(&memarg, 2, |s, a| s.b.ins().uload16(I32, heap, a, 0))?
            }
            O::I64Load8S { memarg } => {
                self.load(&memarg, 1, |s, a| s.b.ins().sload8(I64, heap, a, 0))?
            }
            O::I64Load8U { memarg } => {
                self.load(&memarg, 1, |s, a| s.b.ins().uload8(I64, heap, a, 0))?
            }
            O::I64Load16S { memarg } => {
                self.load(&memarg, 2, |s, a| s.b.ins().sload16(I64, heap, a, 0))?
            }
            O::I64Load16U { memarg } => {
                self.load(&memarg, 2, |s, a| s.b.ins().uload16(I64, heap, a, 0))?
            }
            O::I64Load32S { memarg } => {
                self.load(&memarg, 4, |s, a| s.b.ins().sload32(heap, a, 0))?
            }
            O::I64Load32U { memarg } => {
                self.load(&memarg, 4, |s, a| s.b.ins().uload32(heap, a, 0))?
            }
            O::I32Store { memarg } | O::F32Store { memarg } | O::I64Store32 { memarg } => {
                self.store(&memarg, 4)?
            }
            O::I64Store { memarg } | O::F64Store { memarg } => self.store(&memarg, 8)?,
            O::I32Store8 { memarg } | O::I64Store8 { memarg } => self.store(&memarg, 1)?,
            O::I32Store16 { memarg } | O::I64Store16 { memarg } => self.store(&memarg, 2)?,
            O::MemorySize { mem } => {
                let o = self.env.offsets;
                let def = self.vm_ptr(o.memory(mem));
                let len = self.b.ins().load(
                    PTR,
                    vm_flags().with_alias_region(Some(self.def_region)),
                    def,
                    o.memory_current_length() as i32,
                );
                let pages = self.b.ins().ushr_imm_u(len, 16);
                let v = self.b.ins().ireduce(I32, pages);
                self.push(v);
            }
            O::MemoryGrow { mem } => {
                let delta = self.pop();
                let delta = self.b.ins().uextend(I64, delta);
                let mem = self.iconst(I32, mem as i64);
                let r = self
                    .libcall(Libcall::MemoryGrow, &[mem, delta])
                    .expect("memory_grow returns a value");
                let v = self.b.ins().ireduce(I32, r);
                self.push(v);
            }
            O::MemoryFill { mem } => {
                let len = self.pop();
                let val = self.pop();
                let dst = self.pop();
                let (dst, len) = (self.u64_arg(dst), self.u64_arg(len));
                let mem = self.iconst(I32, mem as i64);
                self.libcall(Libcall::MemoryFill, &[mem, dst, val, len]);
            }
            O::MemoryCopy { dst_mem, src_mem } => {
                let args = self.popn(3);
                let args: Vec<Value> = args.into_iter().map(|v| self.u64_arg(v)).collect();
                let d = self.iconst(I32, dst_mem as i64);
                let s = self.iconst(I32, src_mem as i64);
                self.libcall(Libcall::MemoryCopy, &[d, s, args[0], args[1], args[2]]);
            }
            O::MemoryInit { data_index, mem } => {
                let args = self.popn(3);
                let args: Vec<Value> = args.into_iter().map(|v| self.u64_arg(v)).collect();
                let m = self.iconst(I32, mem as i64);
                let d = self.iconst(I32, data_index as i64);
                self.libcall(Libcall::MemoryInit, &[m, d, args[0], args[1], args[2]]);
            }
            O::DataDrop { data_index } => {
                let d = self.iconst(I32, data_index as i64);
                self.libcall(Libcall::DataDrop, &[d]);
            }

            // Tables and references.
            O::TableGet { table } => {
                let index = self.pop();
                let addr = self.table_elem_addr(table, index, TrapCode::TableOutOfBounds);
                let v = self.b.ins().load(I64, vm_flags(), addr, 0);
                self.push(v);
            }
            O::TableSet { table } => {
                let value = self.pop();
                let index = self.pop();
                let addr = self.table_elem_addr(table, index, TrapCode::TableOutOfBounds);
                self.b.ins().store(vm_flags(), value, addr, 0);
            }
            O::TableSize { table } => {
                let o = self.env.offsets;
                let def = self.vm_ptr(o.table(table));
                let n = self
                    .b
                    .ins()
                    .load(I64, vm_flags(), def, o.table_current_elements() as i32);
                let v = self.b.ins().ireduce(I32, n);
                self.push(v);
            }
            O::TableGrow { table } => {
                let delta = self.pop();
                let init = self.pop();
                let delta = self.u64_arg(delta);
                let t = self.iconst(I32, table as i64);
                let r = self
                    .libcall(Libcall::TableGrow, &[t, init, delta])
                    .expect("table_grow returns a value");
                let v = self.b.ins().ireduce(I32, r);
                self.push(v);
            }
            O::TableFill { table } => {
                let len = self.pop();
                let val = self.pop();
                let dst = self.pop();
                let (dst, len) = (self.u64_arg(dst), self.u64_arg(len));
                let t = self.iconst(I32, table as i64);
                self.libcall(Libcall::TableFill, &[t, dst, val, len]);
            }
            O::TableCopy {
                dst_table,
                src_table,
            } => {
                let args = self.popn(3);
                let args: Vec<Value> = args.into_iter().map(|v| self.u64_arg(v)).collect();
                let d = self.iconst(I32, dst_table as i64);
                let s = self.iconst(I32, src_table as i64);
                self.libcall(Libcall::TableCopy, &[d, s, args[0], args[1], args[2]]);
            }
            O::TableInit { elem_index, table } => {
                let args = self.popn(3);
                let args: Vec<Value> = args.into_iter().map(|v| self.u64_arg(v)).collect();
                let t = self.iconst(I32, table as i64);
                let e = self.iconst(I32, elem_index as i64);
                self.libcall(Libcall::TableInit, &[t, e, args[0], args[1], args[2]]);
            }
            O::ElemDrop { elem_index } => {
                let e = self.iconst(I32, elem_index as i64);
                self.libcall(Libcall::ElemDrop, &[e]);
            }
            O::RefNull { .. } => {
                let v = self.b.ins().iconst(I64, 0);
                self.push(v);
            }
            O::RefIsNull => self.eqz(),
            O::RefFunc { function_index } => {
                let v = self.vm_ptr(self.env.offsets.func(function_index));
                self.push(v);
            }

            // Constants.
            O::I32Const { value } => {
                let v = self.iconst(I32, value as i64);
                self.push(v);
            }
            O::I64Const { value } => {
                let v = self.iconst(I64, value);
                self.push(v);
            }
            O::F32Const { value } => {
                let v = self.b.ins().f32const(Ieee32::with_bits(value.bits()));
                self.push(v);
            }
            O::F64Const { value } => {
                let v = self.b.ins().f64const(Ieee64::with_bits(value.bits()));
                self.push(v);
            }

            // Integer comparisons.
            O::I32Eqz | O::I64Eqz => self.eqz(),
            O::I32Eq | O::I64Eq => self.icmp(IntCC::Equal),
            O::I32Ne | O::I64Ne => self.icmp(IntCC::NotEqual),
            O::I32LtS | O::I64LtS => self.icmp(IntCC::SignedLessThan),
            O::I32LtU | O::I64LtU => self.icmp(IntCC::UnsignedLessThan),
            O::I32GtS | O::I64GtS => self.icmp(IntCC::SignedGreaterThan),
            O::I32GtU | O::I64GtU => self.icmp(IntCC::UnsignedGreaterThan),
            O::I32LeS | O::I64LeS => self.icmp(IntCC::SignedLessThanOrEqual),
            O::I32LeU | O::I64LeU => self.icmp(IntCC::UnsignedLessThanOrEqual),
            O::I32GeS | O::I64GeS => self.icmp(IntCC::SignedGreaterThanOrEqual),
            O::I32GeU | O::I64GeU => self.icmp(IntCC::UnsignedGreaterThanOrEqual),

            // Float comparisons.
            O::F32Eq | O::F64Eq => self.fcmp(FloatCC::Equal),
            O::F32Ne | O::F64Ne => self.fcmp(FloatCC::NotEqual),
            O::F32Lt | O::F64Lt => self.fcmp(FloatCC::LessThan),
            O::F32Gt | O::F64Gt => self.fcmp(FloatCC::GreaterThan),
            O::F32Le | O::F64Le => self.fcmp(FloatCC::LessThanOrEqual),
            O::F32Ge | O::F64Ge => self.fcmp(FloatCC::GreaterThanOrEqual),

            // Integer arithmetic.
            O::I32Clz | O::I64Clz => self.unop(|b, a| b.ins().clz(a)),
            O::I32Ctz | O::I64Ctz => self.unop(|b, a| b.ins().ctz(a)),
            O::I32Popcnt | O::I64Popcnt => self.unop(|b, a| b.ins().popcnt(a)),
            O::I32Add | O::I64Add => self.binop(|b, x, y| b.ins().iadd(x, y)),
            O::I32Sub | O::I64Sub => self.binop(|b, x, y| b.ins().isub(x, y)),
            O::I32Mul | O::I64Mul => self.binop(|b, x, y| b.ins().imul(x, y)),
            O::I32DivS | O::I64DivS => self.divrem(true, false),
            O::I32DivU | O::I64DivU => self.divrem(false, false),
            O::I32RemS | O::I64RemS => self.divrem(true, true),
            O::I32RemU | O::I64RemU => self.divrem(false, true),
            O::I32And | O::I64And => self.binop(|b, x, y| b.ins().band(x, y)),
            O::I32Or | O::I64Or => self.binop(|b, x, y| b.ins().bor(x, y)),
            O::I32Xor | O::I64Xor => self.binop(|b, x, y| b.ins().bxor(x, y)),
            O::I32Shl | O::I64Shl => self.binop(|b, x, y| b.ins().ishl(x, y)),
            O::I32ShrS | O::I64ShrS => self.binop(|b, x, y| b.ins().sshr(x, y)),
            O::I32ShrU | O::I64ShrU => self.binop(|b, x, y| b.ins().ushr(x, y)),
            O::I32Rotl | O::I64Rotl => self.binop(|b, x, y| b.ins().rotl(x, y)),
            O::I32Rotr | O::I64Rotr => self.binop(|b, x, y| b.ins().rotr(x, y)),

            // Float arithmetic.
            O::F32Abs | O::F64Abs => self.unop(|b, a| b.ins().fabs(a)),
            O::F32Neg | O::F64Neg => self.unop(|b, a| b.ins().fneg(a)),
            O::F32Ceil | O::F64Ceil => self.unop(|b, a| b.ins().ceil(a)),
            O::F32Floor | O::F64Floor => self.unop(|b, a| b.ins().floor(a)),
            O::F32Trunc | O::F64Trunc => self.unop(|b, a| b.ins().trunc(a)),
            O::F32Nearest | O::F64Nearest => self.unop(|b, a| b.ins().nearest(a)),
            O::F32Sqrt | O::F64Sqrt => self.unop(|b, a| b.ins().sqrt(a)),
            O::F32Add | O::F64Add => self.binop(|b, x, y| b.ins().fadd(x, y)),
            O::F32Sub | O::F64Sub => self.binop(|b, x, y| b.ins().fsub(x, y)),
            O::F32Mul | O::F64Mul => self.binop(|b, x, y| b.ins().fmul(x, y)),
            O::F32Div | O::F64Div => self.binop(|b, x, y| b.ins().fdiv(x, y)),
            O::F32Min | O::F64Min => self.binop(|b, x, y| b.ins().fmin(x, y)),
            O::F32Max | O::F64Max => self.binop(|b, x, y| b.ins().fmax(x, y)),
            O::F32Copysign | O::F64Copysign => self.binop(|b, x, y| b.ins().fcopysign(x, y)),

            // Conversions.
            O::I32WrapI64 => self.unop(|b, a| b.ins().ireduce(I32, a)),
            O::I64ExtendI32S => self.unop(|b, a| b.ins().sextend(I64, a)),
            O::I64ExtendI32U => self.unop(|b, a| b.ins().uextend(I64, a)),
            O::I32TruncF32S | O::I32TruncF64S => self.trunc(I32, true),
            O::I32TruncF32U | O::I32TruncF64U => self.trunc(I32, false),
            O::I64TruncF32S | O::I64TruncF64S => self.trunc(I64, true),
            O::I64TruncF32U | O::I64TruncF64U => self.trunc(I64, false),
            O::I32TruncSatF32S | O::I32TruncSatF64S => {
                self.unop(|b, a| b.ins().fcvt_to_sint_sat(I32, a))
            }
            O::I32TruncSatF32U | O::I32TruncSatF64U => {
                self.unop(|b, a| b.ins().fcvt_to_uint_sat(I32, a))
            }
            O::I64TruncSatF32S | O::I64TruncSatF64S => {
                self.unop(|b, a| b.ins().fcvt_to_sint_sat(I64, a))
            }
            O::I64TruncSatF32U | O::I64TruncSatF64U => {
                self.unop(|b, a| b.ins().fcvt_to_uint_sat(I64, a))
            }
            O::F32ConvertI32S | O::F32ConvertI64S => {
                self.unop(|b, a| b.ins().fcvt_from_sint(F32, a))
            }
            O::F32ConvertI32U | O::F32ConvertI64U => {
                self.unop(|b, a| b.ins().fcvt_from_uint(F32, a))
            }
            O::F64ConvertI32S | O::F64ConvertI64S => {
                self.unop(|b, a| b.ins().fcvt_from_sint(F64, a))
            }
            O::F64ConvertI32U | O::F64ConvertI64U => {
                self.unop(|b, a| b.ins().fcvt_from_uint(F64, a))
            }
            O::F32DemoteF64 => self.unop(|b, a| b.ins().fdemote(F32, a)),
            O::F64PromoteF32 => self.unop(|b, a| b.ins().fpromote(F64, a)),
            O::I32ReinterpretF32 => self.unop(|b, a| b.ins().bitcast(I32, MemFlagsData::new(), a)),
            O::I64ReinterpretF64 => self.unop(|b, a| b.ins().bitcast(I64, MemFlagsData::new(), a)),
            O::F32ReinterpretI32 => self.unop(|b, a| b.ins().bitcast(F32, MemFlagsData::new(), a)),
            O::F64ReinterpretI64 => self.unop(|b, a| b.ins().bitcast(F64, MemFlagsData::new(), a)),
            O::I32Extend8S => self.sext(types::I8, I32),
            O::I32Extend16S => self.sext(types::I16, I32),
            O::I64Extend8S => self.sext(types::I8, I64),
            O::I64Extend16S => self.sext(types::I16, I64),
            O::I64Extend32S => self.sext(I32, I64),

            other if self.simd_operator(&other)? => {}
            other => {
                let name = format!("{other:?}");
                let name = name
                    .split([' ', '{', '('])
                    .next()
                    .unwrap_or_default()
                    .to_string();
                return Err(self.unsupported(format!("operator {name}")));
            }
        }
        Ok(())
    }
}
