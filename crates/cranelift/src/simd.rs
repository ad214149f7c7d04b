//! Translation of the fixed-width SIMD operators (`v128`, the Wasm 2.0 SIMD proposal).
//!
//! A `v128` is a Cranelift `i8x16` wherever it is stored or passed: on the operand stack, in
//! locals, block parameters, globals and signatures. An operator that works on another lane
//! shape reinterprets its operands with a little-endian `bitcast` (no instruction on x86-64 or
//! aarch64) and its result back to `i8x16`. Popping an operand looks through such a bitcast,
//! so a chain of operators on one shape uses its own values directly (the unused bitcasts are
//! dropped), and Cranelift's patterns that span several instructions still match.
//!
//! The semantics follow Wasmtime's translation, whose x86-64 lowering implements wasm's rules
//! for the cases where the hardware differs: float `min`/`max` (NaN and signed-zero handling,
//! canonical NaNs), `trunc_sat` (NaN to 0, saturation), `swizzle` (indices past 15 give 0),
//! `q15mulr_sat_s` (the one overflow saturates), and the narrowing saturations.
//!
//! For the baseline x86-64 CPU (no SSSE3, no SSE4.1: the generic target) shuffles and swizzles
//! go through a stack slot a byte at a time (Cranelift would need a `pshufb` helper), and
//! vector rounding calls the float helpers lane by lane.
//!
//! Relaxed SIMD is not translated: the interpreter does not run it either.

use super::{FuncTranslator, I32, PTR, heap_flags};
use crate::CompileError;
use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{
    self, ConstantData, Endianness, InstBuilder, MemFlagsData, Opcode, StackSlotData, StackSlotKey,
    StackSlotKind, Value, ValueDef, types,
};
use cranelift_frontend::FunctionBuilder;
use wasmparser::{MemArg, Operator};

/// The type every `v128` has outside of the operator working on it.
pub(super) const V128: ir::Type = types::I8X16;

const I8X16: ir::Type = types::I8X16;
const I16X8: ir::Type = types::I16X8;
const I32X4: ir::Type = types::I32X4;
const I64X2: ir::Type = types::I64X2;
const F32X4: ir::Type = types::F32X4;
const F64X2: ir::Type = types::F64X2;

/// Marks the function's byte-shuffling scratch slot (see `shuffle_in_memory`).
const SCRATCH_KEY: u64 = 0x5349_4d44; // "SIMD"

/// A lane reinterpretation: lane 0 is the lowest-addressed bytes, as in wasm memory.
fn lanes_flags() -> MemFlagsData {
    MemFlagsData::new().with_endianness(Endianness::Little)
}

impl FuncTranslator<'_, '_> {
    /// A vector constant of type `ty` with `bytes` (lane 0 first).
    pub(super) fn vconst(&mut self, ty: ir::Type, bytes: &[u8]) -> Value {
        let c = self.b.func.dfg.constants.insert(ConstantData::from(bytes));
        self.b.ins().vconst(ty, c)
    }

    /// `v` (a 128-bit vector) seen as a `ty` vector.
    fn as_shape(&mut self, v: Value, ty: ir::Type) -> Value {
        let dfg = &self.b.func.dfg;
        if dfg.value_type(v) == ty {
            return v;
        }
        // Look through the reinterpretation of another operator's result.
        let mut v = v;
        if let ValueDef::Result(inst, 0) = dfg.value_def(v)
            && dfg.insts[inst].opcode() == Opcode::Bitcast
        {
            let src = dfg.inst_args(inst)[0];
            let src_ty = dfg.value_type(src);
            if src_ty == ty {
                return src;
            }
            if src_ty.is_vector() && src_ty.bits() == 128 {
                v = src;
            }
        }
        self.b.ins().bitcast(ty, lanes_flags(), v)
    }

    fn pop_as(&mut self, ty: ir::Type) -> Value {
        let v = self.pop();
        self.as_shape(v, ty)
    }

    fn pop2_as(&mut self, ty: ir::Type) -> (Value, Value) {
        let (a, b) = self.pop2();
        (self.as_shape(a, ty), self.as_shape(b, ty))
    }

    /// Pushes a vector result as a `v128`.
    fn push_v(&mut self, v: Value) {
        let v = self.as_shape(v, V128);
        self.push(v);
    }

    fn vunop(&mut self, ty: ir::Type, f: impl FnOnce(&mut FunctionBuilder<'_>, Value) -> Value) {
        let a = self.pop_as(ty);
        let v = f(&mut self.b, a);
        self.push_v(v);
    }

    fn vbinop(
        &mut self,
        ty: ir::Type,
        f: impl FnOnce(&mut FunctionBuilder<'_>, Value, Value) -> Value,
    ) {
        let (a, b) = self.pop2_as(ty);
        let v = f(&mut self.b, a, b);
        self.push_v(v);
    }

    /// A lane-wise integer comparison (all-ones lanes where it holds).
    fn vicmp(&mut self, ty: ir::Type, cc: IntCC) {
        self.vbinop(ty, |b, x, y| b.ins().icmp(cc, x, y));
    }

    /// A lane-wise float comparison (all-ones lanes where it holds).
    fn vfcmp(&mut self, ty: ir::Type, cc: FloatCC) {
        self.vbinop(ty, |b, x, y| b.ins().fcmp(cc, x, y));
    }

    /// A shift of every lane by the popped `i32` modulo the lane width (as `ishl` & co. do).
    fn vshift(
        &mut self,
        ty: ir::Type,
        f: impl FnOnce(&mut FunctionBuilder<'_>, Value, Value) -> Value,
    ) {
        let amount = self.pop();
        let a = self.pop_as(ty);
        let v = f(&mut self.b, a, amount);
        self.push_v(v);
    }

    /// `widen` both halves of the popped vector and add neighbouring lanes.
    fn ext_add_pairwise(&mut self, ty: ir::Type, signed: bool) {
        let a = self.pop_as(ty);
        let (lo, hi) = if signed {
            (self.b.ins().swiden_low(a), self.b.ins().swiden_high(a))
        } else {
            (self.b.ins().uwiden_low(a), self.b.ins().uwiden_high(a))
        };
        let v = self.b.ins().iadd_pairwise(lo, hi);
        self.push_v(v);
    }

    /// Multiplies the widened low or high halves of two vectors.
    fn ext_mul(&mut self, ty: ir::Type, high: bool, signed: bool) {
        let (a, b) = self.pop2_as(ty);
        let widen = |fb: &mut FunctionBuilder<'_>, x: Value| match (high, signed) {
            (false, true) => fb.ins().swiden_low(x),
            (true, true) => fb.ins().swiden_high(x),
            (false, false) => fb.ins().uwiden_low(x),
            (true, false) => fb.ins().uwiden_high(x),
        };
        let a = widen(&mut self.b, a);
        let b = widen(&mut self.b, b);
        let v = self.b.ins().imul(a, b);
        self.push_v(v);
    }

    /// `pmin`/`pmax`: `if y < x then y else x` (`min`), `if x < y then y else x` (`max`),
    /// written so that the backend can use `minps`/`maxps`, whose rule this is.
    fn pminmax(&mut self, ty: ir::Type, max: bool) {
        let (a, b) = self.pop2_as(ty);
        let cmp = if max {
            self.b.ins().fcmp(FloatCC::LessThan, a, b)
        } else {
            self.b.ins().fcmp(FloatCC::LessThan, b, a)
        };
        let cmp = self.b.ins().bitcast(ty, lanes_flags(), cmp);
        let v = self.b.ins().bitselect(cmp, b, a);
        self.push_v(v);
    }

    /// Loads one `lane` scalar (an integer or float type of the lane's width).
    fn load_lane_scalar(&mut self, memarg: &MemArg, lane: ir::Type) -> Result<Value, CompileError> {
        let addr = self.mem_addr(memarg, lane.bytes().into())?;
        let heap = heap_flags(self.heap_region);
        Ok(self.b.ins().load(lane, heap, addr, 0))
    }

    /// Translates `op` if it is a SIMD operator; `Ok(false)` if it is not one.
    pub(super) fn simd_operator(&mut self, op: &Operator<'_>) -> Result<bool, CompileError> {
        use Operator as O;
        if !is_simd(op) {
            return Ok(false);
        }
        let heap = heap_flags(self.heap_region);
        match *op {
            // Memory.
            O::V128Load { memarg } => {
                let addr = self.mem_addr(&memarg, 16)?;
                let v = self.b.ins().load(V128, heap, addr, 0);
                self.push(v);
            }
            O::V128Store { memarg } => {
                let v = self.pop_as(V128);
                let addr = self.mem_addr(&memarg, 16)?;
                self.b.ins().store(heap, v, addr, 0);
            }
            O::V128Load8x8S { memarg } => {
                let addr = self.mem_addr(&memarg, 8)?;
                let v = self.b.ins().sload8x8(heap, addr, 0);
                self.push_v(v);
            }
            O::V128Load8x8U { memarg } => {
                let addr = self.mem_addr(&memarg, 8)?;
                let v = self.b.ins().uload8x8(heap, addr, 0);
                self.push_v(v);
            }
            O::V128Load16x4S { memarg } => {
                let addr = self.mem_addr(&memarg, 8)?;
                let v = self.b.ins().sload16x4(heap, addr, 0);
                self.push_v(v);
            }
            O::V128Load16x4U { memarg } => {
                let addr = self.mem_addr(&memarg, 8)?;
                let v = self.b.ins().uload16x4(heap, addr, 0);
                self.push_v(v);
            }
            O::V128Load32x2S { memarg } => {
                let addr = self.mem_addr(&memarg, 8)?;
                let v = self.b.ins().sload32x2(heap, addr, 0);
                self.push_v(v);
            }
            O::V128Load32x2U { memarg } => {
                let addr = self.mem_addr(&memarg, 8)?;
                let v = self.b.ins().uload32x2(heap, addr, 0);
                self.push_v(v);
            }
            O::V128Load8Splat { memarg } => self.load_splat(&memarg, I8X16)?,
            O::V128Load16Splat { memarg } => self.load_splat(&memarg, I16X8)?,
            O::V128Load32Splat { memarg } => self.load_splat(&memarg, I32X4)?,
            O::V128Load64Splat { memarg } => self.load_splat(&memarg, I64X2)?,
            O::V128Load32Zero { memarg } => self.load_zero(&memarg, I32X4)?,
            O::V128Load64Zero { memarg } => self.load_zero(&memarg, I64X2)?,
            O::V128Load8Lane { memarg, lane } => self.load_lane(&memarg, I8X16, lane)?,
            O::V128Load16Lane { memarg, lane } => self.load_lane(&memarg, I16X8, lane)?,
            O::V128Load32Lane { memarg, lane } => self.load_lane(&memarg, I32X4, lane)?,
            O::V128Load64Lane { memarg, lane } => self.load_lane(&memarg, I64X2, lane)?,
            O::V128Store8Lane { memarg, lane } => self.store_lane(&memarg, I8X16, lane)?,
            O::V128Store16Lane { memarg, lane } => self.store_lane(&memarg, I16X8, lane)?,
            O::V128Store32Lane { memarg, lane } => self.store_lane(&memarg, I32X4, lane)?,
            O::V128Store64Lane { memarg, lane } => self.store_lane(&memarg, I64X2, lane)?,

            // Constants, shuffles, lanes.
            O::V128Const { value } => {
                let v = self.vconst(V128, value.bytes());
                self.push(v);
            }
            O::I8x16Shuffle { lanes } if !self.env.pshufb => {
                let (a, b) = self.pop2_as(I8X16);
                let v = self.shuffle_in_memory(a, b, Some(&lanes));
                self.push(v);
            }
            O::I8x16Swizzle if !self.env.pshufb => {
                let (a, b) = self.pop2_as(I8X16);
                let v = self.shuffle_in_memory(a, b, None);
                self.push(v);
            }
            O::I8x16Shuffle { lanes } => {
                let (a, b) = self.pop2_as(I8X16);
                let mask = self
                    .b
                    .func
                    .dfg
                    .immediates
                    .push(ConstantData::from(&lanes[..]));
                let v = self.b.ins().shuffle(a, b, mask);
                self.push_v(v);
            }
            O::I8x16Swizzle => self.vbinop(I8X16, |b, x, y| b.ins().swizzle(x, y)),
            O::I8x16Splat => self.splat(I8X16),
            O::I16x8Splat => self.splat(I16X8),
            O::I32x4Splat => self.splat(I32X4),
            O::I64x2Splat => self.splat(I64X2),
            O::F32x4Splat => self.splat(F32X4),
            O::F64x2Splat => self.splat(F64X2),
            O::I8x16ExtractLaneS { lane } => self.extract_lane(I8X16, lane, Some(true)),
            O::I8x16ExtractLaneU { lane } => self.extract_lane(I8X16, lane, Some(false)),
            O::I16x8ExtractLaneS { lane } => self.extract_lane(I16X8, lane, Some(true)),
            O::I16x8ExtractLaneU { lane } => self.extract_lane(I16X8, lane, Some(false)),
            O::I32x4ExtractLane { lane } => self.extract_lane(I32X4, lane, None),
            O::I64x2ExtractLane { lane } => self.extract_lane(I64X2, lane, None),
            O::F32x4ExtractLane { lane } => self.extract_lane(F32X4, lane, None),
            O::F64x2ExtractLane { lane } => self.extract_lane(F64X2, lane, None),
            O::I8x16ReplaceLane { lane } => self.replace_lane(I8X16, lane),
            O::I16x8ReplaceLane { lane } => self.replace_lane(I16X8, lane),
            O::I32x4ReplaceLane { lane } => self.replace_lane(I32X4, lane),
            O::I64x2ReplaceLane { lane } => self.replace_lane(I64X2, lane),
            O::F32x4ReplaceLane { lane } => self.replace_lane(F32X4, lane),
            O::F64x2ReplaceLane { lane } => self.replace_lane(F64X2, lane),

            // Integer comparisons.
            O::I8x16Eq => self.vicmp(I8X16, IntCC::Equal),
            O::I8x16Ne => self.vicmp(I8X16, IntCC::NotEqual),
            O::I8x16LtS => self.vicmp(I8X16, IntCC::SignedLessThan),
            O::I8x16LtU => self.vicmp(I8X16, IntCC::UnsignedLessThan),
            O::I8x16GtS => self.vicmp(I8X16, IntCC::SignedGreaterThan),
            O::I8x16GtU => self.vicmp(I8X16, IntCC::UnsignedGreaterThan),
            O::I8x16LeS => self.vicmp(I8X16, IntCC::SignedLessThanOrEqual),
            O::I8x16LeU => self.vicmp(I8X16, IntCC::UnsignedLessThanOrEqual),
            O::I8x16GeS => self.vicmp(I8X16, IntCC::SignedGreaterThanOrEqual),
            O::I8x16GeU => self.vicmp(I8X16, IntCC::UnsignedGreaterThanOrEqual),
            O::I16x8Eq => self.vicmp(I16X8, IntCC::Equal),
            O::I16x8Ne => self.vicmp(I16X8, IntCC::NotEqual),
            O::I16x8LtS => self.vicmp(I16X8, IntCC::SignedLessThan),
            O::I16x8LtU => self.vicmp(I16X8, IntCC::UnsignedLessThan),
            O::I16x8GtS => self.vicmp(I16X8, IntCC::SignedGreaterThan),
            O::I16x8GtU => self.vicmp(I16X8, IntCC::UnsignedGreaterThan),
            O::I16x8LeS => self.vicmp(I16X8, IntCC::SignedLessThanOrEqual),
            O::I16x8LeU => self.vicmp(I16X8, IntCC::UnsignedLessThanOrEqual),
            O::I16x8GeS => self.vicmp(I16X8, IntCC::SignedGreaterThanOrEqual),
            O::I16x8GeU => self.vicmp(I16X8, IntCC::UnsignedGreaterThanOrEqual),
            O::I32x4Eq => self.vicmp(I32X4, IntCC::Equal),
            O::I32x4Ne => self.vicmp(I32X4, IntCC::NotEqual),
            O::I32x4LtS => self.vicmp(I32X4, IntCC::SignedLessThan),
            O::I32x4LtU => self.vicmp(I32X4, IntCC::UnsignedLessThan),
            O::I32x4GtS => self.vicmp(I32X4, IntCC::SignedGreaterThan),
            O::I32x4GtU => self.vicmp(I32X4, IntCC::UnsignedGreaterThan),
            O::I32x4LeS => self.vicmp(I32X4, IntCC::SignedLessThanOrEqual),
            O::I32x4LeU => self.vicmp(I32X4, IntCC::UnsignedLessThanOrEqual),
            O::I32x4GeS => self.vicmp(I32X4, IntCC::SignedGreaterThanOrEqual),
            O::I32x4GeU => self.vicmp(I32X4, IntCC::UnsignedGreaterThanOrEqual),
            O::I64x2Eq => self.vicmp(I64X2, IntCC::Equal),
            O::I64x2Ne => self.vicmp(I64X2, IntCC::NotEqual),
            O::I64x2LtS => self.vicmp(I64X2, IntCC::SignedLessThan),
            O::I64x2GtS => self.vicmp(I64X2, IntCC::SignedGreaterThan),
            O::I64x2LeS => self.vicmp(I64X2, IntCC::SignedLessThanOrEqual),
            O::I64x2GeS => self.vicmp(I64X2, IntCC::SignedGreaterThanOrEqual),

            // Float comparisons.
            O::F32x4Eq => self.vfcmp(F32X4, FloatCC::Equal),
            O::F32x4Ne => self.vfcmp(F32X4, FloatCC::NotEqual),
            O::F32x4Lt => self.vfcmp(F32X4, FloatCC::LessThan),
            O::F32x4Gt => self.vfcmp(F32X4, FloatCC::GreaterThan),
            O::F32x4Le => self.vfcmp(F32X4, FloatCC::LessThanOrEqual),
            O::F32x4Ge => self.vfcmp(F32X4, FloatCC::GreaterThanOrEqual),
            O::F64x2Eq => self.vfcmp(F64X2, FloatCC::Equal),
            O::F64x2Ne => self.vfcmp(F64X2, FloatCC::NotEqual),
            O::F64x2Lt => self.vfcmp(F64X2, FloatCC::LessThan),
            O::F64x2Gt => self.vfcmp(F64X2, FloatCC::GreaterThan),
            O::F64x2Le => self.vfcmp(F64X2, FloatCC::LessThanOrEqual),
            O::F64x2Ge => self.vfcmp(F64X2, FloatCC::GreaterThanOrEqual),

            // Bitwise operators and tests.
            O::V128Not => self.vunop(V128, |b, a| b.ins().bnot(a)),
            O::V128And => self.vbinop(V128, |b, x, y| b.ins().band(x, y)),
            O::V128AndNot => self.vbinop(V128, |b, x, y| b.ins().band_not(x, y)),
            O::V128Or => self.vbinop(V128, |b, x, y| b.ins().bor(x, y)),
            O::V128Xor => self.vbinop(V128, |b, x, y| b.ins().bxor(x, y)),
            O::V128Bitselect => {
                // wasm: (v1 & c) | (v2 & !c); CLIF: bitselect(c, v1, v2).
                let c = self.pop_as(V128);
                let (v1, v2) = self.pop2_as(V128);
                let v = self.b.ins().bitselect(c, v1, v2);
                self.push(v);
            }
            O::V128AnyTrue => self.vtest(V128, |b, a| b.ins().vany_true(a)),
            O::I8x16AllTrue => self.vtest(I8X16, |b, a| b.ins().vall_true(a)),
            O::I16x8AllTrue => self.vtest(I16X8, |b, a| b.ins().vall_true(a)),
            O::I32x4AllTrue => self.vtest(I32X4, |b, a| b.ins().vall_true(a)),
            O::I64x2AllTrue => self.vtest(I64X2, |b, a| b.ins().vall_true(a)),
            O::I8x16Bitmask => self.bitmask(I8X16),
            O::I16x8Bitmask => self.bitmask(I16X8),
            O::I32x4Bitmask => self.bitmask(I32X4),
            O::I64x2Bitmask => self.bitmask(I64X2),

            // Integer arithmetic.
            O::I8x16Abs => self.vunop(I8X16, |b, a| b.ins().iabs(a)),
            O::I16x8Abs => self.vunop(I16X8, |b, a| b.ins().iabs(a)),
            O::I32x4Abs => self.vunop(I32X4, |b, a| b.ins().iabs(a)),
            O::I64x2Abs => self.vunop(I64X2, |b, a| b.ins().iabs(a)),
            O::I8x16Neg => self.vunop(I8X16, |b, a| b.ins().ineg(a)),
            O::I16x8Neg => self.vunop(I16X8, |b, a| b.ins().ineg(a)),
            O::I32x4Neg => self.vunop(I32X4, |b, a| b.ins().ineg(a)),
            O::I64x2Neg => self.vunop(I64X2, |b, a| b.ins().ineg(a)),
            O::I8x16Popcnt => self.vunop(I8X16, |b, a| b.ins().popcnt(a)),
            O::I8x16Shl => self.vshift(I8X16, |b, a, n| b.ins().ishl(a, n)),
            O::I16x8Shl => self.vshift(I16X8, |b, a, n| b.ins().ishl(a, n)),
            O::I32x4Shl => self.vshift(I32X4, |b, a, n| b.ins().ishl(a, n)),
            O::I64x2Shl => self.vshift(I64X2, |b, a, n| b.ins().ishl(a, n)),
            O::I8x16ShrS => self.vshift(I8X16, |b, a, n| b.ins().sshr(a, n)),
            O::I16x8ShrS => self.vshift(I16X8, |b, a, n| b.ins().sshr(a, n)),
            O::I32x4ShrS => self.vshift(I32X4, |b, a, n| b.ins().sshr(a, n)),
            O::I64x2ShrS => self.vshift(I64X2, |b, a, n| b.ins().sshr(a, n)),
            O::I8x16ShrU => self.vshift(I8X16, |b, a, n| b.ins().ushr(a, n)),
            O::I16x8ShrU => self.vshift(I16X8, |b, a, n| b.ins().ushr(a, n)),
            O::I32x4ShrU => self.vshift(I32X4, |b, a, n| b.ins().ushr(a, n)),
            O::I64x2ShrU => self.vshift(I64X2, |b, a, n| b.ins().ushr(a, n)),
            O::I8x16Add => self.vbinop(I8X16, |b, x, y| b.ins().iadd(x, y)),
            O::I16x8Add => self.vbinop(I16X8, |b, x, y| b.ins().iadd(x, y)),
            O::I32x4Add => self.vbinop(I32X4, |b, x, y| b.ins().iadd(x, y)),
            O::I64x2Add => self.vbinop(I64X2, |b, x, y| b.ins().iadd(x, y)),
            O::I8x16Sub => self.vbinop(I8X16, |b, x, y| b.ins().isub(x, y)),
            O::I16x8Sub => self.vbinop(I16X8, |b, x, y| b.ins().isub(x, y)),
            O::I32x4Sub => self.vbinop(I32X4, |b, x, y| b.ins().isub(x, y)),
            O::I64x2Sub => self.vbinop(I64X2, |b, x, y| b.ins().isub(x, y)),
            O::I16x8Mul => self.vbinop(I16X8, |b, x, y| b.ins().imul(x, y)),
            O::I32x4Mul => self.vbinop(I32X4, |b, x, y| b.ins().imul(x, y)),
            O::I64x2Mul => self.vbinop(I64X2, |b, x, y| b.ins().imul(x, y)),
            O::I8x16AddSatS => self.vbinop(I8X16, |b, x, y| b.ins().sadd_sat(x, y)),
            O::I16x8AddSatS => self.vbinop(I16X8, |b, x, y| b.ins().sadd_sat(x, y)),
            O::I8x16AddSatU => self.vbinop(I8X16, |b, x, y| b.ins().uadd_sat(x, y)),
            O::I16x8AddSatU => self.vbinop(I16X8, |b, x, y| b.ins().uadd_sat(x, y)),
            O::I8x16SubSatS => self.vbinop(I8X16, |b, x, y| b.ins().ssub_sat(x, y)),
            O::I16x8SubSatS => self.vbinop(I16X8, |b, x, y| b.ins().ssub_sat(x, y)),
            O::I8x16SubSatU => self.vbinop(I8X16, |b, x, y| b.ins().usub_sat(x, y)),
            O::I16x8SubSatU => self.vbinop(I16X8, |b, x, y| b.ins().usub_sat(x, y)),
            O::I8x16MinS => self.vbinop(I8X16, |b, x, y| b.ins().smin(x, y)),
            O::I16x8MinS => self.vbinop(I16X8, |b, x, y| b.ins().smin(x, y)),
            O::I32x4MinS => self.vbinop(I32X4, |b, x, y| b.ins().smin(x, y)),
            O::I8x16MinU => self.vbinop(I8X16, |b, x, y| b.ins().umin(x, y)),
            O::I16x8MinU => self.vbinop(I16X8, |b, x, y| b.ins().umin(x, y)),
            O::I32x4MinU => self.vbinop(I32X4, |b, x, y| b.ins().umin(x, y)),
            O::I8x16MaxS => self.vbinop(I8X16, |b, x, y| b.ins().smax(x, y)),
            O::I16x8MaxS => self.vbinop(I16X8, |b, x, y| b.ins().smax(x, y)),
            O::I32x4MaxS => self.vbinop(I32X4, |b, x, y| b.ins().smax(x, y)),
            O::I8x16MaxU => self.vbinop(I8X16, |b, x, y| b.ins().umax(x, y)),
            O::I16x8MaxU => self.vbinop(I16X8, |b, x, y| b.ins().umax(x, y)),
            O::I32x4MaxU => self.vbinop(I32X4, |b, x, y| b.ins().umax(x, y)),
            O::I8x16AvgrU => self.vbinop(I8X16, |b, x, y| b.ins().avg_round(x, y)),
            O::I16x8AvgrU => self.vbinop(I16X8, |b, x, y| b.ins().avg_round(x, y)),
            O::I16x8Q15MulrSatS => self.vbinop(I16X8, |b, x, y| b.ins().sqmul_round_sat(x, y)),
            O::I32x4DotI16x8S => {
                let (a, b) = self.pop2_as(I16X8);
                let lo_a = self.b.ins().swiden_low(a);
                let lo_b = self.b.ins().swiden_low(b);
                let lo = self.b.ins().imul(lo_a, lo_b);
                let hi_a = self.b.ins().swiden_high(a);
                let hi_b = self.b.ins().swiden_high(b);
                let hi = self.b.ins().imul(hi_a, hi_b);
                let v = self.b.ins().iadd_pairwise(lo, hi);
                self.push_v(v);
            }
            O::I16x8ExtAddPairwiseI8x16S => self.ext_add_pairwise(I8X16, true),
            O::I16x8ExtAddPairwiseI8x16U => self.ext_add_pairwise(I8X16, false),
            O::I32x4ExtAddPairwiseI16x8S => self.ext_add_pairwise(I16X8, true),
            O::I32x4ExtAddPairwiseI16x8U => self.ext_add_pairwise(I16X8, false),
            O::I16x8ExtMulLowI8x16S => self.ext_mul(I8X16, false, true),
            O::I16x8ExtMulHighI8x16S => self.ext_mul(I8X16, true, true),
            O::I16x8ExtMulLowI8x16U => self.ext_mul(I8X16, false, false),
            O::I16x8ExtMulHighI8x16U => self.ext_mul(I8X16, true, false),
            O::I32x4ExtMulLowI16x8S => self.ext_mul(I16X8, false, true),
            O::I32x4ExtMulHighI16x8S => self.ext_mul(I16X8, true, true),
            O::I32x4ExtMulLowI16x8U => self.ext_mul(I16X8, false, false),
            O::I32x4ExtMulHighI16x8U => self.ext_mul(I16X8, true, false),
            O::I64x2ExtMulLowI32x4S => self.ext_mul(I32X4, false, true),
            O::I64x2ExtMulHighI32x4S => self.ext_mul(I32X4, true, true),
            O::I64x2ExtMulLowI32x4U => self.ext_mul(I32X4, false, false),
            O::I64x2ExtMulHighI32x4U => self.ext_mul(I32X4, true, false),

            // Narrowing and widening.
            O::I8x16NarrowI16x8S => self.vbinop(I16X8, |b, x, y| b.ins().snarrow(x, y)),
            O::I8x16NarrowI16x8U => self.vbinop(I16X8, |b, x, y| b.ins().unarrow(x, y)),
            O::I16x8NarrowI32x4S => self.vbinop(I32X4, |b, x, y| b.ins().snarrow(x, y)),
            O::I16x8NarrowI32x4U => self.vbinop(I32X4, |b, x, y| b.ins().unarrow(x, y)),
            O::I16x8ExtendLowI8x16S => self.vunop(I8X16, |b, a| b.ins().swiden_low(a)),
            O::I16x8ExtendHighI8x16S => self.vunop(I8X16, |b, a| b.ins().swiden_high(a)),
            O::I16x8ExtendLowI8x16U => self.vunop(I8X16, |b, a| b.ins().uwiden_low(a)),
            O::I16x8ExtendHighI8x16U => self.vunop(I8X16, |b, a| b.ins().uwiden_high(a)),
            O::I32x4ExtendLowI16x8S => self.vunop(I16X8, |b, a| b.ins().swiden_low(a)),
            O::I32x4ExtendHighI16x8S => self.vunop(I16X8, |b, a| b.ins().swiden_high(a)),
            O::I32x4ExtendLowI16x8U => self.vunop(I16X8, |b, a| b.ins().uwiden_low(a)),
            O::I32x4ExtendHighI16x8U => self.vunop(I16X8, |b, a| b.ins().uwiden_high(a)),
            O::I64x2ExtendLowI32x4S => self.vunop(I32X4, |b, a| b.ins().swiden_low(a)),
            O::I64x2ExtendHighI32x4S => self.vunop(I32X4, |b, a| b.ins().swiden_high(a)),
            O::I64x2ExtendLowI32x4U => self.vunop(I32X4, |b, a| b.ins().uwiden_low(a)),
            O::I64x2ExtendHighI32x4U => self.vunop(I32X4, |b, a| b.ins().uwiden_high(a)),

            // Float arithmetic.
            O::F32x4Abs => self.vunop(F32X4, |b, a| b.ins().fabs(a)),
            O::F64x2Abs => self.vunop(F64X2, |b, a| b.ins().fabs(a)),
            O::F32x4Neg => self.vunop(F32X4, |b, a| b.ins().fneg(a)),
            O::F64x2Neg => self.vunop(F64X2, |b, a| b.ins().fneg(a)),
            O::F32x4Sqrt => self.vunop(F32X4, |b, a| b.ins().sqrt(a)),
            O::F64x2Sqrt => self.vunop(F64X2, |b, a| b.ins().sqrt(a)),
            O::F32x4Ceil => self.vunop(F32X4, |b, a| b.ins().ceil(a)),
            O::F64x2Ceil => self.vunop(F64X2, |b, a| b.ins().ceil(a)),
            O::F32x4Floor => self.vunop(F32X4, |b, a| b.ins().floor(a)),
            O::F64x2Floor => self.vunop(F64X2, |b, a| b.ins().floor(a)),
            O::F32x4Trunc => self.vunop(F32X4, |b, a| b.ins().trunc(a)),
            O::F64x2Trunc => self.vunop(F64X2, |b, a| b.ins().trunc(a)),
            O::F32x4Nearest => self.vunop(F32X4, |b, a| b.ins().nearest(a)),
            O::F64x2Nearest => self.vunop(F64X2, |b, a| b.ins().nearest(a)),
            O::F32x4Add => self.vbinop(F32X4, |b, x, y| b.ins().fadd(x, y)),
            O::F64x2Add => self.vbinop(F64X2, |b, x, y| b.ins().fadd(x, y)),
            O::F32x4Sub => self.vbinop(F32X4, |b, x, y| b.ins().fsub(x, y)),
            O::F64x2Sub => self.vbinop(F64X2, |b, x, y| b.ins().fsub(x, y)),
            O::F32x4Mul => self.vbinop(F32X4, |b, x, y| b.ins().fmul(x, y)),
            O::F64x2Mul => self.vbinop(F64X2, |b, x, y| b.ins().fmul(x, y)),
            O::F32x4Div => self.vbinop(F32X4, |b, x, y| b.ins().fdiv(x, y)),
            O::F64x2Div => self.vbinop(F64X2, |b, x, y| b.ins().fdiv(x, y)),
            // CLIF's vector fmin/fmax have wasm's semantics: a NaN operand gives a canonical
            // NaN, and -0 < +0.
            O::F32x4Min => self.vbinop(F32X4, |b, x, y| b.ins().fmin(x, y)),
            O::F64x2Min => self.vbinop(F64X2, |b, x, y| b.ins().fmin(x, y)),
            O::F32x4Max => self.vbinop(F32X4, |b, x, y| b.ins().fmax(x, y)),
            O::F64x2Max => self.vbinop(F64X2, |b, x, y| b.ins().fmax(x, y)),
            O::F32x4PMin => self.pminmax(F32X4, false),
            O::F64x2PMin => self.pminmax(F64X2, false),
            O::F32x4PMax => self.pminmax(F32X4, true),
            O::F64x2PMax => self.pminmax(F64X2, true),

            // Conversions.
            O::F32x4ConvertI32x4S => self.vunop(I32X4, |b, a| b.ins().fcvt_from_sint(F32X4, a)),
            O::F32x4ConvertI32x4U => self.vunop(I32X4, |b, a| b.ins().fcvt_from_uint(F32X4, a)),
            O::F64x2ConvertLowI32x4S => self.vunop(I32X4, |b, a| {
                let low = b.ins().swiden_low(a);
                b.ins().fcvt_from_sint(F64X2, low)
            }),
            O::F64x2ConvertLowI32x4U => self.vunop(I32X4, |b, a| {
                let low = b.ins().uwiden_low(a);
                b.ins().fcvt_from_uint(F64X2, low)
            }),
            O::F64x2PromoteLowF32x4 => self.vunop(F32X4, |b, a| b.ins().fvpromote_low(a)),
            O::F32x4DemoteF64x2Zero => self.vunop(F64X2, |b, a| b.ins().fvdemote(a)),
            // Saturating: NaN gives 0, out-of-range values the nearest bound.
            O::I32x4TruncSatF32x4S => self.vunop(F32X4, |b, a| b.ins().fcvt_to_sint_sat(I32X4, a)),
            O::I32x4TruncSatF32x4U => self.vunop(F32X4, |b, a| b.ins().fcvt_to_uint_sat(I32X4, a)),
            // Converted to i64x2 lanes, then narrowed with a zero upper half (the shape the
            // backend recognises as one `cvttpd2dq`-based sequence).
            O::I32x4TruncSatF64x2SZero => {
                let a = self.pop_as(F64X2);
                let wide = self.b.ins().fcvt_to_sint_sat(I64X2, a);
                let zero = self.vconst(I64X2, &[0; 16]);
                let v = self.b.ins().snarrow(wide, zero);
                self.push_v(v);
            }
            O::I32x4TruncSatF64x2UZero => {
                let a = self.pop_as(F64X2);
                let wide = self.b.ins().fcvt_to_uint_sat(I64X2, a);
                let zero = self.vconst(I64X2, &[0; 16]);
                let v = self.b.ins().uunarrow(wide, zero);
                self.push_v(v);
            }

            _ => return Err(self.unsupported(format!("SIMD operator {}", operator_name(op)))),
        }
        Ok(true)
    }

    /// `i8x16.shuffle` (with `lanes`) or `i8x16.swizzle` (without) through a stack slot, a byte
    /// at a time, for targets whose shuffles need `pshufb` (x86-64 without SSSE3, which
    /// Cranelift would call a helper for). The slot holds `a` at 0, then `b` (shuffle) or zeros
    /// (swizzle) at 16, then the swizzle's indices at 32, each overwritten by its result byte
    /// once read.
    fn shuffle_in_memory(&mut self, a: Value, b: Value, lanes: Option<&[u8; 16]>) -> Value {
        let key = StackSlotKey::new(SCRATCH_KEY);
        let found = self
            .b
            .func
            .sized_stack_slots
            .iter()
            .find(|(_, d)| d.key == Some(key))
            .map(|(s, _)| s);
        let slot = found.unwrap_or_else(|| {
            self.b.create_sized_stack_slot(StackSlotData::new_with_key(
                StackSlotKind::ExplicitSlot,
                48,
                4,
                key,
            ))
        });
        let ptr = PTR;
        self.b.ins().stack_store(ptr, a, slot, 0);
        match lanes {
            Some(lanes) => {
                self.b.ins().stack_store(ptr, b, slot, 16);
                for (i, &lane) in lanes.iter().enumerate() {
                    let byte = self
                        .b
                        .ins()
                        .stack_load(ptr, types::I8, slot, i32::from(lane));
                    self.b.ins().stack_store(ptr, byte, slot, 32 + i as i32);
                }
            }
            None => {
                let zero = self.vconst(V128, &[0; 16]);
                self.b.ins().stack_store(ptr, zero, slot, 16);
                self.b.ins().stack_store(ptr, b, slot, 32);
                let base = self.b.ins().stack_addr(ptr, slot, 0);
                let sixteen = self.b.ins().iconst(ptr, 16);
                for i in 0..16 {
                    let index = self.b.ins().stack_load(ptr, types::I8, slot, 32 + i);
                    let index = self.b.ins().uextend(ptr, index);
                    // Indices past 15 read a zero.
                    let index = self.b.ins().umin(index, sixteen);
                    let at = self.b.ins().iadd(base, index);
                    let byte = self.b.ins().load(types::I8, MemFlagsData::trusted(), at, 0);
                    self.b.ins().stack_store(ptr, byte, slot, 32 + i);
                }
            }
        }
        self.b.ins().stack_load(ptr, V128, slot, 32)
    }

    fn load_splat(&mut self, memarg: &MemArg, ty: ir::Type) -> Result<(), CompileError> {
        let x = self.load_lane_scalar(memarg, ty.lane_type())?;
        let v = self.b.ins().splat(ty, x);
        self.push_v(v);
        Ok(())
    }

    fn load_zero(&mut self, memarg: &MemArg, ty: ir::Type) -> Result<(), CompileError> {
        let x = self.load_lane_scalar(memarg, ty.lane_type())?;
        // The other lanes are zero.
        let v = self.b.ins().scalar_to_vector(ty, x);
        self.push_v(v);
        Ok(())
    }

    fn load_lane(&mut self, memarg: &MemArg, ty: ir::Type, lane: u8) -> Result<(), CompileError> {
        let vector = self.pop_as(ty);
        let x = self.load_lane_scalar(memarg, ty.lane_type())?;
        let v = self.b.ins().insertlane(vector, x, lane);
        self.push_v(v);
        Ok(())
    }

    fn store_lane(&mut self, memarg: &MemArg, ty: ir::Type, lane: u8) -> Result<(), CompileError> {
        let vector = self.pop_as(ty);
        let x = self.b.ins().extractlane(vector, lane);
        let addr = self.mem_addr(memarg, ty.lane_type().bytes().into())?;
        let heap = heap_flags(self.heap_region);
        self.b.ins().store(heap, x, addr, 0);
        Ok(())
    }

    fn splat(&mut self, ty: ir::Type) {
        let x = self.pop();
        let lane = ty.lane_type();
        let x = if lane.bits() < 32 {
            self.b.ins().ireduce(lane, x)
        } else {
            x
        };
        let v = self.b.ins().splat(ty, x);
        self.push_v(v);
    }

    /// `sign`: for 8- and 16-bit lanes, whether the lane is sign- or zero-extended to `i32`.
    fn extract_lane(&mut self, ty: ir::Type, lane: u8, sign: Option<bool>) {
        let vector = self.pop_as(ty);
        let x = self.b.ins().extractlane(vector, lane);
        let x = match sign {
            Some(true) => self.b.ins().sextend(I32, x),
            Some(false) => self.b.ins().uextend(I32, x),
            None => x,
        };
        self.push(x);
    }

    fn replace_lane(&mut self, ty: ir::Type, lane: u8) {
        let x = self.pop();
        let vector = self.pop_as(ty);
        let lane_ty = ty.lane_type();
        let x = if lane_ty.bits() < 32 {
            self.b.ins().ireduce(lane_ty, x)
        } else {
            x
        };
        let v = self.b.ins().insertlane(vector, x, lane);
        self.push_v(v);
    }

    /// A whole-vector test, as an `i32` 0 or 1.
    fn vtest(&mut self, ty: ir::Type, f: impl FnOnce(&mut FunctionBuilder<'_>, Value) -> Value) {
        let a = self.pop_as(ty);
        let t = f(&mut self.b, a);
        let v = self.b.ins().uextend(I32, t);
        self.push(v);
    }

    /// The high bit of every lane, lane 0 in bit 0.
    fn bitmask(&mut self, ty: ir::Type) {
        let a = self.pop_as(ty);
        let v = self.b.ins().vhigh_bits(I32, a);
        self.push(v);
    }
}

/// Whether `op` belongs to the SIMD or the relaxed-SIMD proposal.
fn is_simd(op: &Operator<'_>) -> bool {
    macro_rules! simd_ops {
        ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
            matches!(op, $(Operator::$op { .. })|*)
        };
    }
    wasmparser::for_each_visit_simd_operator!(simd_ops)
}

/// The operator's name as `Debug` writes it, without its immediates.
fn operator_name(op: &Operator<'_>) -> String {
    let name = format!("{op:?}");
    name.split([' ', '{', '('])
        .next()
        .unwrap_or_default()
        .to_string()
}
