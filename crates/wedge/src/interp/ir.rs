//! The interpreter's register IR.
//!
//! Every value lives in a 16-byte cell of the function's frame: parameters first, then the other
//! locals, then one cell per operand-stack slot. Instructions name cells by index (`Reg`), so
//! `local.get 0; local.get 1; i32.add; local.set 2` becomes the single `I32Add { dst: 2, a: 0,
//! b: 1 }`. Scalars use a cell's low 8 bytes; v128 uses all 16.
//!
//! The numeric instructions are listed once, in [`for_each_op!`], with their semantics; the
//! enum, the translator's mapping from wasm operators and the executor's arms all come from it.

use super::simd;
use wedge_environ::TrapCode;

/// A frame cell operand. The translator works with cell indices; the finished code holds byte
/// offsets from the frame base (index × [`CELL`]), so the executor needs no scaling.
pub type Reg = u32;

/// Size of a frame cell in bytes.
pub const CELL: u32 = 16;

/// Converts an i32 immediate to an operand type (sign-extending).
pub trait FromImm {
    /// The operand.
    fn from_imm(imm: i32) -> Self;
}
impl FromImm for u32 {
    fn from_imm(imm: i32) -> u32 {
        imm as u32
    }
}
impl FromImm for i32 {
    fn from_imm(imm: i32) -> i32 {
        imm
    }
}
impl FromImm for u64 {
    fn from_imm(imm: i32) -> u64 {
        imm as i64 as u64
    }
}
impl FromImm for i64 {
    fn from_imm(imm: i32) -> i64 {
        imm as i64
    }
}

pub(crate) fn div_s32(a: i32, b: i32) -> Result<i32, TrapCode> {
    match (a, b) {
        (_, 0) => Err(TrapCode::IntegerDivideByZero),
        (i32::MIN, -1) => Err(TrapCode::IntegerOverflow),
        _ => Ok(a / b),
    }
}
pub(crate) fn div_s64(a: i64, b: i64) -> Result<i64, TrapCode> {
    match (a, b) {
        (_, 0) => Err(TrapCode::IntegerDivideByZero),
        (i64::MIN, -1) => Err(TrapCode::IntegerOverflow),
        _ => Ok(a / b),
    }
}
pub(crate) fn checked<T>(v: Option<T>) -> Result<T, TrapCode> {
    v.ok_or(TrapCode::IntegerDivideByZero)
}
pub(crate) fn rem_s32(a: i32, b: i32) -> Result<i32, TrapCode> {
    if b == 0 {
        Err(TrapCode::IntegerDivideByZero)
    } else {
        Ok(a.wrapping_rem(b))
    }
}
pub(crate) fn rem_s64(a: i64, b: i64) -> Result<i64, TrapCode> {
    if b == 0 {
        Err(TrapCode::IntegerDivideByZero)
    } else {
        Ok(a.wrapping_rem(b))
    }
}

/// Calls `$m! { $($prefix)* <tables> }` with every numeric instruction:
/// * `int_binary`: (name, name with an i32 immediate as right operand, operand type, result
///   type, semantics)
/// * `int_binary_trap`: the same, semantics returning `Result<_, TrapCode>`
/// * `binary`: (name, operand type, result type, semantics)
/// * `unary`: (name, operand type, result type, semantics)
/// * `unary_trap`: (name, operand type, result type, semantics returning a `Result`)
/// * `br_cmp`: integer comparisons fused with a conditional branch: (comparison, its immediate
///   form, fused branch, its immediate form, the fused branch of the negated comparison, its
///   immediate form, operand type, predicate)
/// * `loads`: (name, type in memory, cell type, widening)
/// * `stores`: (name, cell type, type in memory)
macro_rules! for_each_op {
    ($m:ident ! { $($prefix:tt)* }) => {
        $m! { $($prefix)*
        int_binary: [
            (I32Add, I32AddImm, u32, u32, |a: u32, b: u32| a.wrapping_add(b)),
            (I32Sub, I32SubImm, u32, u32, |a: u32, b: u32| a.wrapping_sub(b)),
            (I32Mul, I32MulImm, u32, u32, |a: u32, b: u32| a.wrapping_mul(b)),
            (I32And, I32AndImm, u32, u32, |a: u32, b: u32| a & b),
            (I32Or, I32OrImm, u32, u32, |a: u32, b: u32| a | b),
            (I32Xor, I32XorImm, u32, u32, |a: u32, b: u32| a ^ b),
            (I32Shl, I32ShlImm, u32, u32, |a: u32, b: u32| a.wrapping_shl(b)),
            (I32ShrS, I32ShrSImm, i32, i32, |a: i32, b: i32| a.wrapping_shr(b as u32)),
            (I32ShrU, I32ShrUImm, u32, u32, |a: u32, b: u32| a.wrapping_shr(b)),
            (I32Rotl, I32RotlImm, u32, u32, |a: u32, b: u32| a.rotate_left(b % 32)),
            (I32Rotr, I32RotrImm, u32, u32, |a: u32, b: u32| a.rotate_right(b % 32)),
            (I32Eq, I32EqImm, u32, u32, |a: u32, b: u32| (a == b) as u32),
            (I32Ne, I32NeImm, u32, u32, |a: u32, b: u32| (a != b) as u32),
            (I32LtS, I32LtSImm, i32, u32, |a: i32, b: i32| (a < b) as u32),
            (I32LtU, I32LtUImm, u32, u32, |a: u32, b: u32| (a < b) as u32),
            (I32GtS, I32GtSImm, i32, u32, |a: i32, b: i32| (a > b) as u32),
            (I32GtU, I32GtUImm, u32, u32, |a: u32, b: u32| (a > b) as u32),
            (I32LeS, I32LeSImm, i32, u32, |a: i32, b: i32| (a <= b) as u32),
            (I32LeU, I32LeUImm, u32, u32, |a: u32, b: u32| (a <= b) as u32),
            (I32GeS, I32GeSImm, i32, u32, |a: i32, b: i32| (a >= b) as u32),
            (I32GeU, I32GeUImm, u32, u32, |a: u32, b: u32| (a >= b) as u32),
            (I64Add, I64AddImm, u64, u64, |a: u64, b: u64| a.wrapping_add(b)),
            (I64Sub, I64SubImm, u64, u64, |a: u64, b: u64| a.wrapping_sub(b)),
            (I64Mul, I64MulImm, u64, u64, |a: u64, b: u64| a.wrapping_mul(b)),
            (I64And, I64AndImm, u64, u64, |a: u64, b: u64| a & b),
            (I64Or, I64OrImm, u64, u64, |a: u64, b: u64| a | b),
            (I64Xor, I64XorImm, u64, u64, |a: u64, b: u64| a ^ b),
            (I64Shl, I64ShlImm, u64, u64, |a: u64, b: u64| a.wrapping_shl(b as u32)),
            (I64ShrS, I64ShrSImm, i64, i64, |a: i64, b: i64| a.wrapping_shr(b as u32)),
            (I64ShrU, I64ShrUImm, u64, u64, |a: u64, b: u64| a.wrapping_shr(b as u32)),
            (I64Rotl, I64RotlImm, u64, u64, |a: u64, b: u64| a.rotate_left((b % 64) as u32)),
            (I64Rotr, I64RotrImm, u64, u64, |a: u64, b: u64| a.rotate_right((b % 64) as u32)),
            (I64Eq, I64EqImm, u64, u32, |a: u64, b: u64| (a == b) as u32),
            (I64Ne, I64NeImm, u64, u32, |a: u64, b: u64| (a != b) as u32),
            (I64LtS, I64LtSImm, i64, u32, |a: i64, b: i64| (a < b) as u32),
            (I64LtU, I64LtUImm, u64, u32, |a: u64, b: u64| (a < b) as u32),
            (I64GtS, I64GtSImm, i64, u32, |a: i64, b: i64| (a > b) as u32),
            (I64GtU, I64GtUImm, u64, u32, |a: u64, b: u64| (a > b) as u32),
            (I64LeS, I64LeSImm, i64, u32, |a: i64, b: i64| (a <= b) as u32),
            (I64LeU, I64LeUImm, u64, u32, |a: u64, b: u64| (a <= b) as u32),
            (I64GeS, I64GeSImm, i64, u32, |a: i64, b: i64| (a >= b) as u32),
            (I64GeU, I64GeUImm, u64, u32, |a: u64, b: u64| (a >= b) as u32),
        ]
        int_binary_trap: [
            (I32DivS, I32DivSImm, i32, i32, super::ir::div_s32),
            (I32DivU, I32DivUImm, u32, u32, |a: u32, b: u32| super::ir::checked(a.checked_div(b))),
            (I32RemS, I32RemSImm, i32, i32, super::ir::rem_s32),
            (I32RemU, I32RemUImm, u32, u32, |a: u32, b: u32| super::ir::checked(a.checked_rem(b))),
            (I64DivS, I64DivSImm, i64, i64, super::ir::div_s64),
            (I64DivU, I64DivUImm, u64, u64, |a: u64, b: u64| super::ir::checked(a.checked_div(b))),
            (I64RemS, I64RemSImm, i64, i64, super::ir::rem_s64),
            (I64RemU, I64RemUImm, u64, u64, |a: u64, b: u64| super::ir::checked(a.checked_rem(b))),
        ]
        binary: [
            (F32Add, f32, f32, |a: f32, b: f32| a + b),
            (F32Sub, f32, f32, |a: f32, b: f32| a - b),
            (F32Mul, f32, f32, |a: f32, b: f32| a * b),
            (F32Div, f32, f32, |a: f32, b: f32| a / b),
            (F32Min, f32, f32, super::float::f32_min),
            (F32Max, f32, f32, super::float::f32_max),
            (F32Copysign, f32, f32, f32::copysign),
            (F32Eq, f32, u32, |a: f32, b: f32| (a == b) as u32),
            (F32Ne, f32, u32, |a: f32, b: f32| (a != b) as u32),
            (F32Lt, f32, u32, |a: f32, b: f32| (a < b) as u32),
            (F32Gt, f32, u32, |a: f32, b: f32| (a > b) as u32),
            (F32Le, f32, u32, |a: f32, b: f32| (a <= b) as u32),
            (F32Ge, f32, u32, |a: f32, b: f32| (a >= b) as u32),
            (F64Add, f64, f64, |a: f64, b: f64| a + b),
            (F64Sub, f64, f64, |a: f64, b: f64| a - b),
            (F64Mul, f64, f64, |a: f64, b: f64| a * b),
            (F64Div, f64, f64, |a: f64, b: f64| a / b),
            (F64Min, f64, f64, super::float::f64_min),
            (F64Max, f64, f64, super::float::f64_max),
            (F64Copysign, f64, f64, f64::copysign),
            (F64Eq, f64, u32, |a: f64, b: f64| (a == b) as u32),
            (F64Ne, f64, u32, |a: f64, b: f64| (a != b) as u32),
            (F64Lt, f64, u32, |a: f64, b: f64| (a < b) as u32),
            (F64Gt, f64, u32, |a: f64, b: f64| (a > b) as u32),
            (F64Le, f64, u32, |a: f64, b: f64| (a <= b) as u32),
            (F64Ge, f64, u32, |a: f64, b: f64| (a >= b) as u32),
        ]
        unary: [
            (I32Eqz, u32, u32, |a: u32| (a == 0) as u32),
            (I32Clz, u32, u32, u32::leading_zeros),
            (I32Ctz, u32, u32, u32::trailing_zeros),
            (I32Popcnt, u32, u32, u32::count_ones),
            (I64Eqz, u64, u32, |a: u64| (a == 0) as u32),
            (I64Clz, u64, u64, |a: u64| u64::from(a.leading_zeros())),
            (I64Ctz, u64, u64, |a: u64| u64::from(a.trailing_zeros())),
            (I64Popcnt, u64, u64, |a: u64| u64::from(a.count_ones())),
            (F32Abs, f32, f32, f32::abs),
            (F32Neg, f32, f32, |a: f32| -a),
            (F32Ceil, f32, f32, super::float::f32_ceil),
            (F32Floor, f32, f32, super::float::f32_floor),
            (F32Trunc, f32, f32, super::float::f32_trunc),
            (F32Nearest, f32, f32, super::float::f32_nearest),
            (F32Sqrt, f32, f32, f32::sqrt),
            (F64Abs, f64, f64, f64::abs),
            (F64Neg, f64, f64, |a: f64| -a),
            (F64Ceil, f64, f64, super::float::f64_ceil),
            (F64Floor, f64, f64, super::float::f64_floor),
            (F64Trunc, f64, f64, super::float::f64_trunc),
            (F64Nearest, f64, f64, super::float::f64_nearest),
            (F64Sqrt, f64, f64, f64::sqrt),
            (I32WrapI64, u64, u32, |a: u64| a as u32),
            (I64ExtendI32S, i32, i64, |a: i32| a as i64),
            (I64ExtendI32U, u32, u64, |a: u32| a as u64),
            (I32Extend8S, u32, i32, |a: u32| a as i8 as i32),
            (I32Extend16S, u32, i32, |a: u32| a as i16 as i32),
            (I64Extend8S, u64, i64, |a: u64| a as i8 as i64),
            (I64Extend16S, u64, i64, |a: u64| a as i16 as i64),
            (I64Extend32S, u64, i64, |a: u64| a as i32 as i64),
            (F32ConvertI32S, i32, f32, |a: i32| a as f32),
            (F32ConvertI32U, u32, f32, |a: u32| a as f32),
            (F32ConvertI64S, i64, f32, |a: i64| a as f32),
            (F32ConvertI64U, u64, f32, |a: u64| a as f32),
            (F64ConvertI32S, i32, f64, |a: i32| a as f64),
            (F64ConvertI32U, u32, f64, |a: u32| a as f64),
            (F64ConvertI64S, i64, f64, |a: i64| a as f64),
            (F64ConvertI64U, u64, f64, |a: u64| a as f64),
            (F32DemoteF64, f64, f32, |a: f64| a as f32),
            (F64PromoteF32, f32, f64, |a: f32| a as f64),
            (I32TruncSatF32S, f32, i32, |a: f32| a as i32),
            (I32TruncSatF32U, f32, u32, |a: f32| a as u32),
            (I32TruncSatF64S, f64, i32, |a: f64| a as i32),
            (I32TruncSatF64U, f64, u32, |a: f64| a as u32),
            (I64TruncSatF32S, f32, i64, |a: f32| a as i64),
            (I64TruncSatF32U, f32, u64, |a: f32| a as u64),
            (I64TruncSatF64S, f64, i64, |a: f64| a as i64),
            (I64TruncSatF64U, f64, u64, |a: f64| a as u64),
        ]
        unary_trap: [
            (I32TruncF32S, f32, i32, super::float::i32_trunc_f32_s),
            (I32TruncF32U, f32, u32, super::float::i32_trunc_f32_u),
            (I32TruncF64S, f64, i32, super::float::i32_trunc_f64_s),
            (I32TruncF64U, f64, u32, super::float::i32_trunc_f64_u),
            (I64TruncF32S, f32, i64, super::float::i64_trunc_f32_s),
            (I64TruncF32U, f32, u64, super::float::i64_trunc_f32_u),
            (I64TruncF64S, f64, i64, super::float::i64_trunc_f64_s),
            (I64TruncF64U, f64, u64, super::float::i64_trunc_f64_u),
        ]
        br_cmp: [
            (I32Eq, I32EqImm, BrI32Eq, BrI32EqImm, BrI32Ne, BrI32NeImm, u32, |a: u32, b: u32| a == b),
            (I32Ne, I32NeImm, BrI32Ne, BrI32NeImm, BrI32Eq, BrI32EqImm, u32, |a: u32, b: u32| a != b),
            (I32LtS, I32LtSImm, BrI32LtS, BrI32LtSImm, BrI32GeS, BrI32GeSImm, i32, |a: i32, b: i32| a < b),
            (I32LtU, I32LtUImm, BrI32LtU, BrI32LtUImm, BrI32GeU, BrI32GeUImm, u32, |a: u32, b: u32| a < b),
            (I32GtS, I32GtSImm, BrI32GtS, BrI32GtSImm, BrI32LeS, BrI32LeSImm, i32, |a: i32, b: i32| a > b),
            (I32GtU, I32GtUImm, BrI32GtU, BrI32GtUImm, BrI32LeU, BrI32LeUImm, u32, |a: u32, b: u32| a > b),
            (I32LeS, I32LeSImm, BrI32LeS, BrI32LeSImm, BrI32GtS, BrI32GtSImm, i32, |a: i32, b: i32| a <= b),
            (I32LeU, I32LeUImm, BrI32LeU, BrI32LeUImm, BrI32GtU, BrI32GtUImm, u32, |a: u32, b: u32| a <= b),
            (I32GeS, I32GeSImm, BrI32GeS, BrI32GeSImm, BrI32LtS, BrI32LtSImm, i32, |a: i32, b: i32| a >= b),
            (I32GeU, I32GeUImm, BrI32GeU, BrI32GeUImm, BrI32LtU, BrI32LtUImm, u32, |a: u32, b: u32| a >= b),
            (I64Eq, I64EqImm, BrI64Eq, BrI64EqImm, BrI64Ne, BrI64NeImm, u64, |a: u64, b: u64| a == b),
            (I64Ne, I64NeImm, BrI64Ne, BrI64NeImm, BrI64Eq, BrI64EqImm, u64, |a: u64, b: u64| a != b),
            (I64LtS, I64LtSImm, BrI64LtS, BrI64LtSImm, BrI64GeS, BrI64GeSImm, i64, |a: i64, b: i64| a < b),
            (I64LtU, I64LtUImm, BrI64LtU, BrI64LtUImm, BrI64GeU, BrI64GeUImm, u64, |a: u64, b: u64| a < b),
            (I64GtS, I64GtSImm, BrI64GtS, BrI64GtSImm, BrI64LeS, BrI64LeSImm, i64, |a: i64, b: i64| a > b),
            (I64GtU, I64GtUImm, BrI64GtU, BrI64GtUImm, BrI64LeU, BrI64LeUImm, u64, |a: u64, b: u64| a > b),
            (I64LeS, I64LeSImm, BrI64LeS, BrI64LeSImm, BrI64GtS, BrI64GtSImm, i64, |a: i64, b: i64| a <= b),
            (I64LeU, I64LeUImm, BrI64LeU, BrI64LeUImm, BrI64GtU, BrI64GtUImm, u64, |a: u64, b: u64| a <= b),
            (I64GeS, I64GeSImm, BrI64GeS, BrI64GeSImm, BrI64LtS, BrI64LtSImm, i64, |a: i64, b: i64| a >= b),
            (I64GeU, I64GeUImm, BrI64GeU, BrI64GeUImm, BrI64LtU, BrI64LtUImm, u64, |a: u64, b: u64| a >= b),
        ]
        loads: [
            (I32Load, u32, u32, |x: u32| x),
            (I64Load, u64, u64, |x: u64| x),
            (F32Load, u32, u32, |x: u32| x),
            (F64Load, u64, u64, |x: u64| x),
            (I32Load8S, i8, i32, |x: i8| x as i32),
            (I32Load8U, u8, u32, |x: u8| x as u32),
            (I32Load16S, i16, i32, |x: i16| x as i32),
            (I32Load16U, u16, u32, |x: u16| x as u32),
            (I64Load8S, i8, i64, |x: i8| x as i64),
            (I64Load8U, u8, u64, |x: u8| x as u64),
            (I64Load16S, i16, i64, |x: i16| x as i64),
            (I64Load16U, u16, u64, |x: u16| x as u64),
            (I64Load32S, i32, i64, |x: i32| x as i64),
            (I64Load32U, u32, u64, |x: u32| x as u64),
        ]
        stores: [
            (I32Store, u32, u32),
            (I64Store, u64, u64),
            (F32Store, u32, u32),
            (F64Store, u64, u64),
            (I32Store8, u32, u8),
            (I32Store16, u32, u16),
            (I64Store8, u64, u8),
            (I64Store16, u64, u16),
            (I64Store32, u64, u32),
        ]
        }
    };
}
pub(crate) use for_each_op;

macro_rules! define_instr {
    (
        int_binary: [ $( ($ib:ident, $ibi:ident, $iba:ty, $ibr:ty, $ibf:expr) ),* $(,)? ]
        int_binary_trap: [ $( ($it:ident, $iti:ident, $ita:ty, $itr:ty, $itf:expr) ),* $(,)? ]
        binary: [ $( ($b:ident, $ba:ty, $br:ty, $bf:expr) ),* $(,)? ]
        unary: [ $( ($u:ident, $ua:ty, $ur:ty, $uf:expr) ),* $(,)? ]
        unary_trap: [ $( ($ut:ident, $uta:ty, $utr:ty, $utf:expr) ),* $(,)? ]
        br_cmp: [ $( ($bc:ident, $bci:ident, $bb:ident, $bbi:ident, $bn:ident, $bni:ident, $bct:ty, $bcf:expr) ),* $(,)? ]
        loads: [ $( ($l:ident, $lm:ty, $lc:ty, $lf:expr) ),* $(,)? ]
        stores: [ $( ($s:ident, $sc:ty, $sm:ty) ),* $(,)? ]
    ) => {
        /// One interpreter instruction (16 bytes: a 2-byte tag and up to 14 bytes of operands).
        #[derive(Copy, Clone, Debug, PartialEq)]
        pub enum Instr {
            $( #[doc = "Numeric binary operator."] $ib { dst: Reg, a: Reg, b: Reg }, )*
            $( #[doc = "Numeric binary operator with an immediate right operand."] $ibi { dst: Reg, a: Reg, imm: i32 }, )*
            $( #[doc = "Trapping binary operator."] $it { dst: Reg, a: Reg, b: Reg }, )*
            $( #[doc = "Trapping binary operator with an immediate right operand."] $iti { dst: Reg, a: Reg, imm: i32 }, )*
            $( #[doc = "Float binary operator."] $b { dst: Reg, a: Reg, b: Reg }, )*
            $( #[doc = "Unary operator."] $u { dst: Reg, a: Reg }, )*
            $( #[doc = "Trapping unary operator."] $ut { dst: Reg, a: Reg }, )*
            $( #[doc = "Comparison fused with a branch: jumps by `offset` if it holds."] $bb { a: Reg, b: Reg, offset: i32 }, )*
            $( #[doc = "Comparison with an immediate fused with a branch."] $bbi { a: Reg, imm: i32, offset: i32 }, )*
            $( #[doc = "Load from memory `mem` at `a + offset`."] $l { dst: Reg, addr: Reg, offset: u32, mem: u8 }, )*
            $( #[doc = "Store `val` to memory `mem` at `a + offset`."] $s { addr: Reg, val: Reg, offset: u32, mem: u8 }, )*

            /// Copies a cell.
            Copy { dst: Reg, src: Reg },
            /// `dst = imm` (sign-extended to 64 bits).
            Const32 { dst: Reg, imm: i32 },
            /// `dst = val`.
            Const64 { dst: Reg, val: u64 },
            /// `dst = consts[pool]` (v128 constants).
            Const128 { dst: Reg, pool: u32 },
            /// `if cond == 0 { dst = b }` (`dst` already holds the first operand).
            Select { dst: Reg, b: Reg, cond: Reg },

            /// Jumps by `offset` instructions (relative to this instruction).
            Br { offset: i32 },
            /// Jumps if `cond != 0`.
            BrIfNez { cond: Reg, offset: i32 },
            /// Jumps if `cond == 0`.
            BrIfEqz { cond: Reg, offset: i32 },
            /// Jumps by the offset of the `Br` at position `min(index, len)` of the `len + 1`
            /// instructions that follow.
            BrTable { index: Reg, len: u32 },
            /// Returns; results are in cells `0..n`.
            Return,
            /// Traps.
            Trap { code: TrapCode },

            /// Metering: adds `count` executed instructions and charges `cost`, trapping if the
            /// cost limit would be passed (then only the operators that fit run).
            Charge { count: u32, cost: u64 },
            /// Metering without a cost: adds `count` executed instructions.
            Count { count: u32 },
            /// `Charge` in interruptible code: first traps with `Interrupted` if the store's
            /// interrupt flag is set.
            CheckCharge { count: u32, cost: u64 },
            /// `Count` in interruptible code.
            CheckCount { count: u32 },

            /// Calls function `func` of the current instance; arguments and results at `args..`.
            Call { func: u32, args: Reg },
            /// Calls defined function `def` of the current module.
            CallInternal { def: u32, args: Reg },
            /// Calls through table `table` at the index in cell `index`; arguments at `args..`.
            CallIndirect { type_id: u32, args: Reg, index: Reg, table: u8 },
            /// Tail-calls function `func`; arguments at `args..`.
            ReturnCall { func: u32, args: Reg },
            /// Tail-calls through table `table` at the index in cell `index`; arguments at `args..`.
            ReturnCallIndirect { type_id: u32, args: Reg, index: Reg, table: u8 },

            /// `dst = globals[g]`, `vmoff` the offset of the global's pointer in the VM context.
            GlobalGet { dst: Reg, vmoff: u32 },
            /// `globals[g] = src`.
            GlobalSet { src: Reg, vmoff: u32 },
            /// `dst = ref.func func`.
            RefFunc { dst: Reg, func: u32 },

            /// `dst = memory.size`.
            MemorySize { dst: Reg, mem: u32 },
            /// `dst = memory.grow(delta)`.
            MemoryGrow { dst: Reg, delta: Reg, mem: u32 },
            /// `memory.fill(args[0] = dst, args[1] = value, args[2] = len)`.
            MemoryFill { args: Reg, mem: u32 },
            /// `memory.copy(args[0] = dst, args[1] = src, args[2] = len)`.
            MemoryCopy { args: Reg, dst_mem: u32, src_mem: u32 },
            /// `memory.init(args[0] = dst, args[1] = src, args[2] = len)`.
            MemoryInit { args: Reg, data: u32, mem: u32 },
            /// `data.drop`.
            DataDrop { data: u32 },
            /// `dst = table.get(index)`.
            TableGet { dst: Reg, index: Reg, table: u32 },
            /// `table.set(index, val)`.
            TableSet { index: Reg, val: Reg, table: u32 },
            /// `dst = table.size`.
            TableSize { dst: Reg, table: u32 },
            /// `args[0] = table.grow(args[0] = init, args[1] = delta)`.
            TableGrow { args: Reg, table: u32 },
            /// `table.fill(args[0] = index, args[1] = value, args[2] = len)`.
            TableFill { args: Reg, table: u32 },
            /// `table.copy(args[0] = dst, args[1] = src, args[2] = len)`.
            TableCopy { args: Reg, dst_table: u32, src_table: u32 },
            /// `table.init(args[0] = dst, args[1] = src, args[2] = len)`.
            TableInit { args: Reg, elem: u32, table: u32 },
            /// `elem.drop`.
            ElemDrop { elem: u32 },

            /// `v128.load*` of every kind.
            V128Load { kind: simd::LoadKind, dst: Reg, addr: Reg, offset: u32, mem: u8 },
            /// `v128.store`.
            V128Store { addr: Reg, val: Reg, offset: u32, mem: u8 },
            /// `v128.loadN_lane` (`dst` already holds the vector); `lane` packs
            /// `log2(N / 8) << 4 | lane index`.
            V128LoadLane { lane: u8, dst: Reg, addr: Reg, offset: u32, mem: u8 },
            /// `v128.storeN_lane`, `lane` packed as for loads.
            V128StoreLane { lane: u8, addr: Reg, val: Reg, offset: u32, mem: u8 },
            /// `[v128] -> [v128]`.
            SimdUnary { op: simd::UnaryOp, dst: Reg, a: Reg },
            /// `[v128 v128] -> [v128]`.
            SimdBinary { op: simd::BinaryOp, dst: Reg, a: Reg, b: Reg },
            /// `[v128 v128 v128] -> [v128]` (`dst` already holds the first operand).
            SimdTernary { op: simd::TernaryOp, dst: Reg, b: Reg, c: Reg },
            /// `[v128 i32] -> [v128]`.
            SimdShift { op: simd::ShiftOp, dst: Reg, a: Reg, b: Reg },
            /// `[v128] -> [i32]`.
            SimdTest { op: simd::TestOp, dst: Reg, a: Reg },
            /// `[t] -> [v128]`.
            SimdSplat { op: simd::SplatOp, dst: Reg, a: Reg },
            /// `[v128] -> [t]`.
            SimdExtract { op: simd::ExtractOp, lane: u8, dst: Reg, a: Reg },
            /// `[v128 t] -> [v128]`.
            SimdReplace { op: simd::ReplaceOp, lane: u8, dst: Reg, a: Reg, b: Reg },
            /// `i8x16.shuffle` with lanes `consts[lanes]` (`dst` already holds the first operand).
            Shuffle { dst: Reg, b: Reg, lanes: u32 },
        }

        impl Instr {
            /// The jump offset of a branch.
            pub fn offset_mut(&mut self) -> Option<&mut i32> {
                match self {
                    Instr::Br { offset } | Instr::BrIfNez { offset, .. } | Instr::BrIfEqz { offset, .. } => Some(offset),
                    $( Instr::$bb { offset, .. } | Instr::$bbi { offset, .. } => Some(offset), )*
                    _ => None,
                }
            }

            /// The branch that jumps by `offset` if this comparison's result is true (or false,
            /// with `negate`), replacing the comparison and a `BrIfNez`/`BrIfEqz` on its result.
            pub fn fuse_branch(self, negate: bool, offset: i32) -> Option<Instr> {
                Some(match (self, negate) {
                    $(
                        (Instr::$bc { a, b, .. }, false) => Instr::$bb { a, b, offset },
                        (Instr::$bc { a, b, .. }, true) => Instr::$bn { a, b, offset },
                        (Instr::$bci { a, imm, .. }, false) => Instr::$bbi { a, imm, offset },
                        (Instr::$bci { a, imm, .. }, true) => Instr::$bni { a, imm, offset },
                    )*
                    // An `eqz` tests all of its operand's bits: `BrIfEqz`/`BrIfNez` read 32, so
                    // `i64.eqz` becomes a 64-bit comparison with 0.
                    (Instr::I32Eqz { a, .. }, false) => Instr::BrIfEqz { cond: a, offset },
                    (Instr::I32Eqz { a, .. }, true) => Instr::BrIfNez { cond: a, offset },
                    (Instr::I64Eqz { a, .. }, false) => Instr::BrI64EqImm { a, imm: 0, offset },
                    (Instr::I64Eqz { a, .. }, true) => Instr::BrI64NeImm { a, imm: 0, offset },
                    _ => return None,
                })
            }

            /// Applies `f` to every cell operand.
            pub fn for_each_reg_mut(&mut self, mut f: impl FnMut(&mut Reg)) {
                match self {
                    $( Instr::$ib { dst, a, b } )|* | $( Instr::$it { dst, a, b } )|* | $( Instr::$b { dst, a, b } )|* => {
                        f(dst); f(a); f(b);
                    }
                    $( Instr::$ibi { dst, a, .. } )|* | $( Instr::$iti { dst, a, .. } )|* | $( Instr::$u { dst, a } )|* | $( Instr::$ut { dst, a } )|* => {
                        f(dst); f(a);
                    }
                    $( Instr::$bb { a, b, .. } )|* => { f(a); f(b); }
                    $( Instr::$bbi { a, .. } )|* => f(a),
                    $( Instr::$l { dst, addr, .. } )|* => { f(dst); f(addr); }
                    $( Instr::$s { addr, val, .. } )|* => { f(addr); f(val); }
                    Instr::Copy { dst, src } => { f(dst); f(src); }
                    Instr::Const32 { dst, .. } | Instr::Const64 { dst, .. } | Instr::Const128 { dst, .. } => f(dst),
                    Instr::Select { dst, b, cond } => { f(dst); f(b); f(cond); }
                    Instr::Br { .. } | Instr::Return | Instr::Trap { .. } => {}
                    Instr::Charge { .. } | Instr::Count { .. } | Instr::CheckCharge { .. }
                    | Instr::CheckCount { .. } => {}
                    Instr::BrIfNez { cond, .. } | Instr::BrIfEqz { cond, .. } => f(cond),
                    Instr::BrTable { index, .. } => f(index),
                    Instr::Call { args, .. } | Instr::CallInternal { args, .. } | Instr::ReturnCall { args, .. } => f(args),
                    Instr::CallIndirect { args, index, .. } | Instr::ReturnCallIndirect { args, index, .. } => {
                        f(args); f(index);
                    }
                    Instr::GlobalGet { dst, .. } | Instr::RefFunc { dst, .. } | Instr::MemorySize { dst, .. }
                    | Instr::TableSize { dst, .. } => f(dst),
                    Instr::GlobalSet { src, .. } => f(src),
                    Instr::MemoryGrow { dst, delta, .. } => { f(dst); f(delta); }
                    Instr::MemoryFill { args, .. } | Instr::MemoryCopy { args, .. } | Instr::MemoryInit { args, .. }
                    | Instr::TableGrow { args, .. } | Instr::TableFill { args, .. } | Instr::TableCopy { args, .. }
                    | Instr::TableInit { args, .. } => f(args),
                    Instr::DataDrop { .. } | Instr::ElemDrop { .. } => {}
                    Instr::TableGet { dst, index, .. } => { f(dst); f(index); }
                    Instr::TableSet { index, val, .. } => { f(index); f(val); }
                    Instr::V128Load { dst, addr, .. } | Instr::V128LoadLane { dst, addr, .. } => { f(dst); f(addr); }
                    Instr::V128Store { addr, val, .. } | Instr::V128StoreLane { addr, val, .. } => { f(addr); f(val); }
                    Instr::SimdUnary { dst, a, .. } | Instr::SimdTest { dst, a, .. } | Instr::SimdSplat { dst, a, .. }
                    | Instr::SimdExtract { dst, a, .. } => { f(dst); f(a); }
                    Instr::SimdBinary { dst, a, b, .. } | Instr::SimdShift { dst, a, b, .. }
                    | Instr::SimdReplace { dst, a, b, .. } => { f(dst); f(a); f(b); }
                    Instr::SimdTernary { dst, b, c, .. } => { f(dst); f(b); f(c); }
                    Instr::Shuffle { dst, b, .. } => { f(dst); f(b); }
                }
            }

            /// The cell this instruction writes as its only effect on cells, if it is a pure
            /// computation whose destination may be retargeted.
            pub fn dst_mut(&mut self) -> Option<&mut Reg> {
                match self {
                    $( Instr::$ib { dst, .. } | Instr::$ibi { dst, .. } )|*
                    | $( Instr::$it { dst, .. } | Instr::$iti { dst, .. } )|*
                    | $( Instr::$b { dst, .. } )|*
                    | $( Instr::$u { dst, .. } )|*
                    | $( Instr::$ut { dst, .. } )|*
                    | $( Instr::$l { dst, .. } )|*
                    | Instr::Const32 { dst, .. }
                    | Instr::Const64 { dst, .. }
                    | Instr::Const128 { dst, .. }
                    | Instr::GlobalGet { dst, .. }
                    | Instr::RefFunc { dst, .. }
                    | Instr::MemorySize { dst, .. }
                    | Instr::MemoryGrow { dst, .. }
                    | Instr::TableGet { dst, .. }
                    | Instr::TableSize { dst, .. }
                    | Instr::V128Load { dst, .. }
                    | Instr::SimdUnary { dst, .. }
                    | Instr::SimdBinary { dst, .. }
                    | Instr::SimdShift { dst, .. }
                    | Instr::SimdTest { dst, .. }
                    | Instr::SimdSplat { dst, .. }
                    | Instr::SimdExtract { dst, .. }
                    | Instr::SimdReplace { dst, .. } => Some(dst),
                    _ => None,
                }
            }
        }
    };
}

for_each_op!(define_instr! {});

const _: () = assert!(std::mem::size_of::<Instr>() == 16);

impl Instr {
    /// Whether this instruction always goes on to the next one: no branch, call, return,
    /// trap or metering.
    pub fn is_straight_line(&self) -> bool {
        let mut copy = *self;
        copy.offset_mut().is_none()
            && !matches!(
                self,
                Instr::BrTable { .. }
                    | Instr::Return
                    | Instr::Trap { .. }
                    | Instr::Call { .. }
                    | Instr::CallInternal { .. }
                    | Instr::CallIndirect { .. }
                    | Instr::ReturnCall { .. }
                    | Instr::ReturnCallIndirect { .. }
                    | Instr::Charge { .. }
                    | Instr::Count { .. }
                    | Instr::CheckCharge { .. }
                    | Instr::CheckCount { .. }
            )
    }
}

/// A function translated for the interpreter.
#[derive(Debug)]
pub struct CompiledFunc {
    /// The instructions.
    pub code: Box<[Instr]>,
    /// v128 constants and shuffle lane patterns.
    pub consts: Box<[u128]>,
    /// Number of parameter cells.
    pub num_params: u32,
    /// Number of parameter and local cells.
    pub num_locals: u32,
    /// Total cells the frame needs.
    pub frame_size: u32,
    /// Where metered code charges what (only when the engine meters).
    pub regions: Option<Box<crate::metering::regions::RegionMap>>,
}
