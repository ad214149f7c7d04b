//! Fixed-width SIMD (`v128`) semantics, as pure functions on `u128`.
//!
//! A `v128` is a `u128` whose little-endian bytes are the WebAssembly lane
//! bytes: lane 0 of every shape occupies the lowest bits. Scalars cross this
//! interface as `u64` bit patterns in the low bits (an `i32` as
//! `x as u32 as u64`, an `f32` as `f.to_bits() as u64`, an `i64` as
//! `x as u64`, an `f64` as `f.to_bits()`).
//!
//! The operator enums below mirror `wasmparser::Operator`'s variant names, so
//! [`classify`] maps each operator to the variant of the same name. Memory
//! accesses, `v128.const` and `i8x16.shuffle` carry immediates the caller
//! handles itself; [`classify_load`], [`load_finish`], [`shuffle`],
//! [`lane_bytes`] and [`with_lane_bytes`] supply their semantics.

use std::array;

use wasmparser::{MemArg, Operator};

use super::float;

/// Declares an operator enum whose variants share their names with
/// `wasmparser::Operator` variants, with the operator's text-format name.
macro_rules! operators {
    (
        $(#[$meta:meta])*
        $enum:ident { $($name:ident = $text:literal,)* }
    ) => {
        $(#[$meta])*
        #[derive(Copy, Clone, Debug, PartialEq, Eq)]
        #[allow(clippy::enum_variant_names, reason = "variant names are wasmparser's operator names")]
        pub enum $enum {
            $(
                #[doc = concat!("`", $text, "`")]
                $name,
            )*
        }

        impl $enum {
            /// The operator's name in the WebAssembly text format.
            #[allow(dead_code, reason = "for IR listings")]
            pub fn name(self) -> &'static str {
                match self {
                    $(Self::$name => $text,)*
                }
            }
        }
    };
}

/// [`operators!`] for operators without immediates.
macro_rules! plain_operators {
    ($(#[$meta:meta])* $enum:ident { $($name:ident = $text:literal,)* }) => {
        operators!($(#[$meta])* $enum { $($name = $text,)* });

        impl $enum {
            fn from_operator(op: &Operator<'_>) -> Option<Self> {
                match op {
                    $(Operator::$name => Some(Self::$name),)*
                    _ => None,
                }
            }
        }
    };
}

/// [`operators!`] for operators whose one immediate is a lane index.
macro_rules! lane_operators {
    ($(#[$meta:meta])* $enum:ident { $($name:ident = $text:literal,)* }) => {
        operators!($(#[$meta])* $enum { $($name = $text,)* });

        impl $enum {
            fn from_operator(op: &Operator<'_>) -> Option<(Self, u8)> {
                match *op {
                    $(Operator::$name { lane } => Some((Self::$name, lane)),)*
                    _ => None,
                }
            }
        }
    };
}

plain_operators! {
    /// Operators of type `[v128] -> [v128]`.
    UnaryOp {
        V128Not = "v128.not",
        I8x16Abs = "i8x16.abs",
        I8x16Neg = "i8x16.neg",
        I8x16Popcnt = "i8x16.popcnt",
        I16x8ExtAddPairwiseI8x16S = "i16x8.extadd_pairwise_i8x16_s",
        I16x8ExtAddPairwiseI8x16U = "i16x8.extadd_pairwise_i8x16_u",
        I16x8Abs = "i16x8.abs",
        I16x8Neg = "i16x8.neg",
        I16x8ExtendLowI8x16S = "i16x8.extend_low_i8x16_s",
        I16x8ExtendHighI8x16S = "i16x8.extend_high_i8x16_s",
        I16x8ExtendLowI8x16U = "i16x8.extend_low_i8x16_u",
        I16x8ExtendHighI8x16U = "i16x8.extend_high_i8x16_u",
        I32x4ExtAddPairwiseI16x8S = "i32x4.extadd_pairwise_i16x8_s",
        I32x4ExtAddPairwiseI16x8U = "i32x4.extadd_pairwise_i16x8_u",
        I32x4Abs = "i32x4.abs",
        I32x4Neg = "i32x4.neg",
        I32x4ExtendLowI16x8S = "i32x4.extend_low_i16x8_s",
        I32x4ExtendHighI16x8S = "i32x4.extend_high_i16x8_s",
        I32x4ExtendLowI16x8U = "i32x4.extend_low_i16x8_u",
        I32x4ExtendHighI16x8U = "i32x4.extend_high_i16x8_u",
        I64x2Abs = "i64x2.abs",
        I64x2Neg = "i64x2.neg",
        I64x2ExtendLowI32x4S = "i64x2.extend_low_i32x4_s",
        I64x2ExtendHighI32x4S = "i64x2.extend_high_i32x4_s",
        I64x2ExtendLowI32x4U = "i64x2.extend_low_i32x4_u",
        I64x2ExtendHighI32x4U = "i64x2.extend_high_i32x4_u",
        F32x4Ceil = "f32x4.ceil",
        F32x4Floor = "f32x4.floor",
        F32x4Trunc = "f32x4.trunc",
        F32x4Nearest = "f32x4.nearest",
        F32x4Abs = "f32x4.abs",
        F32x4Neg = "f32x4.neg",
        F32x4Sqrt = "f32x4.sqrt",
        F64x2Ceil = "f64x2.ceil",
        F64x2Floor = "f64x2.floor",
        F64x2Trunc = "f64x2.trunc",
        F64x2Nearest = "f64x2.nearest",
        F64x2Abs = "f64x2.abs",
        F64x2Neg = "f64x2.neg",
        F64x2Sqrt = "f64x2.sqrt",
        I32x4TruncSatF32x4S = "i32x4.trunc_sat_f32x4_s",
        I32x4TruncSatF32x4U = "i32x4.trunc_sat_f32x4_u",
        F32x4ConvertI32x4S = "f32x4.convert_i32x4_s",
        F32x4ConvertI32x4U = "f32x4.convert_i32x4_u",
        I32x4TruncSatF64x2SZero = "i32x4.trunc_sat_f64x2_s_zero",
        I32x4TruncSatF64x2UZero = "i32x4.trunc_sat_f64x2_u_zero",
        F64x2ConvertLowI32x4S = "f64x2.convert_low_i32x4_s",
        F64x2ConvertLowI32x4U = "f64x2.convert_low_i32x4_u",
        F32x4DemoteF64x2Zero = "f32x4.demote_f64x2_zero",
        F64x2PromoteLowF32x4 = "f64x2.promote_low_f32x4",
    }
}

plain_operators! {
    /// Operators of type `[v128 v128] -> [v128]`.
    BinaryOp {
        V128And = "v128.and",
        V128AndNot = "v128.andnot",
        V128Or = "v128.or",
        V128Xor = "v128.xor",
        I8x16Swizzle = "i8x16.swizzle",
        I8x16Eq = "i8x16.eq",
        I8x16Ne = "i8x16.ne",
        I8x16LtS = "i8x16.lt_s",
        I8x16LtU = "i8x16.lt_u",
        I8x16GtS = "i8x16.gt_s",
        I8x16GtU = "i8x16.gt_u",
        I8x16LeS = "i8x16.le_s",
        I8x16LeU = "i8x16.le_u",
        I8x16GeS = "i8x16.ge_s",
        I8x16GeU = "i8x16.ge_u",
        I16x8Eq = "i16x8.eq",
        I16x8Ne = "i16x8.ne",
        I16x8LtS = "i16x8.lt_s",
        I16x8LtU = "i16x8.lt_u",
        I16x8GtS = "i16x8.gt_s",
        I16x8GtU = "i16x8.gt_u",
        I16x8LeS = "i16x8.le_s",
        I16x8LeU = "i16x8.le_u",
        I16x8GeS = "i16x8.ge_s",
        I16x8GeU = "i16x8.ge_u",
        I32x4Eq = "i32x4.eq",
        I32x4Ne = "i32x4.ne",
        I32x4LtS = "i32x4.lt_s",
        I32x4LtU = "i32x4.lt_u",
        I32x4GtS = "i32x4.gt_s",
        I32x4GtU = "i32x4.gt_u",
        I32x4LeS = "i32x4.le_s",
        I32x4LeU = "i32x4.le_u",
        I32x4GeS = "i32x4.ge_s",
        I32x4GeU = "i32x4.ge_u",
        I64x2Eq = "i64x2.eq",
        I64x2Ne = "i64x2.ne",
        I64x2LtS = "i64x2.lt_s",
        I64x2GtS = "i64x2.gt_s",
        I64x2LeS = "i64x2.le_s",
        I64x2GeS = "i64x2.ge_s",
        F32x4Eq = "f32x4.eq",
        F32x4Ne = "f32x4.ne",
        F32x4Lt = "f32x4.lt",
        F32x4Gt = "f32x4.gt",
        F32x4Le = "f32x4.le",
        F32x4Ge = "f32x4.ge",
        F64x2Eq = "f64x2.eq",
        F64x2Ne = "f64x2.ne",
        F64x2Lt = "f64x2.lt",
        F64x2Gt = "f64x2.gt",
        F64x2Le = "f64x2.le",
        F64x2Ge = "f64x2.ge",
        I8x16NarrowI16x8S = "i8x16.narrow_i16x8_s",
        I8x16NarrowI16x8U = "i8x16.narrow_i16x8_u",
        I8x16Add = "i8x16.add",
        I8x16AddSatS = "i8x16.add_sat_s",
        I8x16AddSatU = "i8x16.add_sat_u",
        I8x16Sub = "i8x16.sub",
        I8x16SubSatS = "i8x16.sub_sat_s",
        I8x16SubSatU = "i8x16.sub_sat_u",
        I8x16MinS = "i8x16.min_s",
        I8x16MinU = "i8x16.min_u",
        I8x16MaxS = "i8x16.max_s",
        I8x16MaxU = "i8x16.max_u",
        I8x16AvgrU = "i8x16.avgr_u",
        I16x8Q15MulrSatS = "i16x8.q15mulr_sat_s",
        I16x8NarrowI32x4S = "i16x8.narrow_i32x4_s",
        I16x8NarrowI32x4U = "i16x8.narrow_i32x4_u",
        I16x8Add = "i16x8.add",
        I16x8AddSatS = "i16x8.add_sat_s",
        I16x8AddSatU = "i16x8.add_sat_u",
        I16x8Sub = "i16x8.sub",
        I16x8SubSatS = "i16x8.sub_sat_s",
        I16x8SubSatU = "i16x8.sub_sat_u",
        I16x8Mul = "i16x8.mul",
        I16x8MinS = "i16x8.min_s",
        I16x8MinU = "i16x8.min_u",
        I16x8MaxS = "i16x8.max_s",
        I16x8MaxU = "i16x8.max_u",
        I16x8AvgrU = "i16x8.avgr_u",
        I16x8ExtMulLowI8x16S = "i16x8.extmul_low_i8x16_s",
        I16x8ExtMulHighI8x16S = "i16x8.extmul_high_i8x16_s",
        I16x8ExtMulLowI8x16U = "i16x8.extmul_low_i8x16_u",
        I16x8ExtMulHighI8x16U = "i16x8.extmul_high_i8x16_u",
        I32x4Add = "i32x4.add",
        I32x4Sub = "i32x4.sub",
        I32x4Mul = "i32x4.mul",
        I32x4MinS = "i32x4.min_s",
        I32x4MinU = "i32x4.min_u",
        I32x4MaxS = "i32x4.max_s",
        I32x4MaxU = "i32x4.max_u",
        I32x4DotI16x8S = "i32x4.dot_i16x8_s",
        I32x4ExtMulLowI16x8S = "i32x4.extmul_low_i16x8_s",
        I32x4ExtMulHighI16x8S = "i32x4.extmul_high_i16x8_s",
        I32x4ExtMulLowI16x8U = "i32x4.extmul_low_i16x8_u",
        I32x4ExtMulHighI16x8U = "i32x4.extmul_high_i16x8_u",
        I64x2Add = "i64x2.add",
        I64x2Sub = "i64x2.sub",
        I64x2Mul = "i64x2.mul",
        I64x2ExtMulLowI32x4S = "i64x2.extmul_low_i32x4_s",
        I64x2ExtMulHighI32x4S = "i64x2.extmul_high_i32x4_s",
        I64x2ExtMulLowI32x4U = "i64x2.extmul_low_i32x4_u",
        I64x2ExtMulHighI32x4U = "i64x2.extmul_high_i32x4_u",
        F32x4Add = "f32x4.add",
        F32x4Sub = "f32x4.sub",
        F32x4Mul = "f32x4.mul",
        F32x4Div = "f32x4.div",
        F32x4Min = "f32x4.min",
        F32x4Max = "f32x4.max",
        F32x4PMin = "f32x4.pmin",
        F32x4PMax = "f32x4.pmax",
        F64x2Add = "f64x2.add",
        F64x2Sub = "f64x2.sub",
        F64x2Mul = "f64x2.mul",
        F64x2Div = "f64x2.div",
        F64x2Min = "f64x2.min",
        F64x2Max = "f64x2.max",
        F64x2PMin = "f64x2.pmin",
        F64x2PMax = "f64x2.pmax",
    }
}

plain_operators! {
    /// Operators of type `[v128 v128 v128] -> [v128]`.
    TernaryOp {
        V128Bitselect = "v128.bitselect",
    }
}

plain_operators! {
    /// Shifts, of type `[v128 i32] -> [v128]`; the count is taken modulo the lane width.
    ShiftOp {
        I8x16Shl = "i8x16.shl",
        I8x16ShrS = "i8x16.shr_s",
        I8x16ShrU = "i8x16.shr_u",
        I16x8Shl = "i16x8.shl",
        I16x8ShrS = "i16x8.shr_s",
        I16x8ShrU = "i16x8.shr_u",
        I32x4Shl = "i32x4.shl",
        I32x4ShrS = "i32x4.shr_s",
        I32x4ShrU = "i32x4.shr_u",
        I64x2Shl = "i64x2.shl",
        I64x2ShrS = "i64x2.shr_s",
        I64x2ShrU = "i64x2.shr_u",
    }
}

plain_operators! {
    /// Tests, of type `[v128] -> [i32]`.
    TestOp {
        V128AnyTrue = "v128.any_true",
        I8x16AllTrue = "i8x16.all_true",
        I8x16Bitmask = "i8x16.bitmask",
        I16x8AllTrue = "i16x8.all_true",
        I16x8Bitmask = "i16x8.bitmask",
        I32x4AllTrue = "i32x4.all_true",
        I32x4Bitmask = "i32x4.bitmask",
        I64x2AllTrue = "i64x2.all_true",
        I64x2Bitmask = "i64x2.bitmask",
    }
}

plain_operators! {
    /// Splats, of type `[t] -> [v128]`.
    SplatOp {
        I8x16Splat = "i8x16.splat",
        I16x8Splat = "i16x8.splat",
        I32x4Splat = "i32x4.splat",
        I64x2Splat = "i64x2.splat",
        F32x4Splat = "f32x4.splat",
        F64x2Splat = "f64x2.splat",
    }
}

lane_operators! {
    /// Lane extractions, of type `[v128] -> [t]`.
    ExtractOp {
        I8x16ExtractLaneS = "i8x16.extract_lane_s",
        I8x16ExtractLaneU = "i8x16.extract_lane_u",
        I16x8ExtractLaneS = "i16x8.extract_lane_s",
        I16x8ExtractLaneU = "i16x8.extract_lane_u",
        I32x4ExtractLane = "i32x4.extract_lane",
        I64x2ExtractLane = "i64x2.extract_lane",
        F32x4ExtractLane = "f32x4.extract_lane",
        F64x2ExtractLane = "f64x2.extract_lane",
    }
}

lane_operators! {
    /// Lane replacements, of type `[v128 t] -> [v128]`.
    ReplaceOp {
        I8x16ReplaceLane = "i8x16.replace_lane",
        I16x8ReplaceLane = "i16x8.replace_lane",
        I32x4ReplaceLane = "i32x4.replace_lane",
        I64x2ReplaceLane = "i64x2.replace_lane",
        F32x4ReplaceLane = "f32x4.replace_lane",
        F64x2ReplaceLane = "f64x2.replace_lane",
    }
}

/// What a (non-memory, non-const, non-shuffle) SIMD operator is.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum SimdOp {
    /// `[v128] -> [v128]`.
    Unary(UnaryOp),
    /// `[v128 v128] -> [v128]`.
    Binary(BinaryOp),
    /// `[v128 v128 v128] -> [v128]`.
    Ternary(TernaryOp),
    /// `[v128 i32] -> [v128]`.
    Shift(ShiftOp),
    /// `[v128] -> [i32]`.
    Test(TestOp),
    /// `[t] -> [v128]`.
    Splat(SplatOp),
    /// `[v128] -> [t]`, with the lane index.
    Extract(ExtractOp, u8),
    /// `[v128 t] -> [v128]`, with the lane index.
    Replace(ReplaceOp, u8),
}

/// How a `v128.load*` operator turns the bytes it reads into a `v128`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum LoadKind {
    /// `v128.load`: 16 bytes.
    V128,
    /// `v128.load8x8_s`: 8 bytes, each sign-extended to 16 bits.
    I8x8S,
    /// `v128.load8x8_u`: 8 bytes, each zero-extended to 16 bits.
    I8x8U,
    /// `v128.load16x4_s`: 4 16-bit values, each sign-extended to 32 bits.
    I16x4S,
    /// `v128.load16x4_u`: 4 16-bit values, each zero-extended to 32 bits.
    I16x4U,
    /// `v128.load32x2_s`: 2 32-bit values, each sign-extended to 64 bits.
    I32x2S,
    /// `v128.load32x2_u`: 2 32-bit values, each zero-extended to 64 bits.
    I32x2U,
    /// `v128.load8_splat`.
    Splat8,
    /// `v128.load16_splat`.
    Splat16,
    /// `v128.load32_splat`.
    Splat32,
    /// `v128.load64_splat`.
    Splat64,
    /// `v128.load32_zero`: 4 bytes into lane 0, the rest zero.
    Zero32,
    /// `v128.load64_zero`: 8 bytes into lane 0, the rest zero.
    Zero64,
}

/// Classifies a wasmparser operator; `None` for anything that is not a
/// [`SimdOp`] (`v128.const`, `i8x16.shuffle`, loads, stores and lane loads
/// and stores are handled by the caller, as is every non-SIMD operator).
pub fn classify(op: &Operator<'_>) -> Option<SimdOp> {
    UnaryOp::from_operator(op)
        .map(SimdOp::Unary)
        .or_else(|| BinaryOp::from_operator(op).map(SimdOp::Binary))
        .or_else(|| TernaryOp::from_operator(op).map(SimdOp::Ternary))
        .or_else(|| ShiftOp::from_operator(op).map(SimdOp::Shift))
        .or_else(|| TestOp::from_operator(op).map(SimdOp::Test))
        .or_else(|| SplatOp::from_operator(op).map(SimdOp::Splat))
        .or_else(|| ExtractOp::from_operator(op).map(|(op, lane)| SimdOp::Extract(op, lane)))
        .or_else(|| ReplaceOp::from_operator(op).map(|(op, lane)| SimdOp::Replace(op, lane)))
}

/// For `v128.load`, `v128.loadNxM_{s,u}`, `v128.loadN_splat` and
/// `v128.loadN_zero`: the kind of load and its memory immediate.
pub fn classify_load(op: &Operator<'_>) -> Option<(LoadKind, MemArg)> {
    let (kind, memarg) = match *op {
        Operator::V128Load { memarg } => (LoadKind::V128, memarg),
        Operator::V128Load8x8S { memarg } => (LoadKind::I8x8S, memarg),
        Operator::V128Load8x8U { memarg } => (LoadKind::I8x8U, memarg),
        Operator::V128Load16x4S { memarg } => (LoadKind::I16x4S, memarg),
        Operator::V128Load16x4U { memarg } => (LoadKind::I16x4U, memarg),
        Operator::V128Load32x2S { memarg } => (LoadKind::I32x2S, memarg),
        Operator::V128Load32x2U { memarg } => (LoadKind::I32x2U, memarg),
        Operator::V128Load8Splat { memarg } => (LoadKind::Splat8, memarg),
        Operator::V128Load16Splat { memarg } => (LoadKind::Splat16, memarg),
        Operator::V128Load32Splat { memarg } => (LoadKind::Splat32, memarg),
        Operator::V128Load64Splat { memarg } => (LoadKind::Splat64, memarg),
        Operator::V128Load32Zero { memarg } => (LoadKind::Zero32, memarg),
        Operator::V128Load64Zero { memarg } => (LoadKind::Zero64, memarg),
        _ => return None,
    };
    Some((kind, memarg))
}

/// How many bytes a load of this kind reads from memory.
pub fn load_width(kind: LoadKind) -> usize {
    match kind {
        LoadKind::V128 => 16,
        LoadKind::I8x8S
        | LoadKind::I8x8U
        | LoadKind::I16x4S
        | LoadKind::I16x4U
        | LoadKind::I32x2S
        | LoadKind::I32x2U
        | LoadKind::Splat64
        | LoadKind::Zero64 => 8,
        LoadKind::Splat8 => 1,
        LoadKind::Splat16 => 2,
        LoadKind::Splat32 | LoadKind::Zero32 => 4,
    }
}

/// Builds the loaded `v128` from the bytes read, `load_width(kind)` of them
/// (extra bytes beyond 16 are ignored, missing ones read as zero).
pub fn load_finish(kind: LoadKind, bytes: &[u8]) -> u128 {
    let raw = bytes
        .iter()
        .take(16)
        .rev()
        .fold(0u128, |acc, &b| (acc << 8) | u128::from(b));
    match kind {
        LoadKind::V128 | LoadKind::Zero32 | LoadKind::Zero64 => raw,
        LoadKind::I8x8S => convert(raw, |x: i8| i16::from(x)),
        LoadKind::I8x8U => convert(raw, |x: u8| u16::from(x)),
        LoadKind::I16x4S => convert(raw, |x: i16| i32::from(x)),
        LoadKind::I16x4U => convert(raw, |x: u16| u32::from(x)),
        LoadKind::I32x2S => convert(raw, |x: i32| i64::from(x)),
        LoadKind::I32x2U => convert(raw, |x: u32| u64::from(x)),
        LoadKind::Splat8 => repeat(8, raw),
        LoadKind::Splat16 => repeat(16, raw),
        LoadKind::Splat32 => repeat(32, raw),
        LoadKind::Splat64 => repeat(64, raw),
    }
}

/// Evaluates a [`UnaryOp`].
pub fn unary(op: UnaryOp, a: u128) -> u128 {
    use UnaryOp as U;
    match op {
        U::V128Not => !a,

        U::I8x16Abs => map(a, i8::wrapping_abs),
        U::I8x16Neg => map(a, i8::wrapping_neg),
        U::I8x16Popcnt => map(a, |x: u8| x.count_ones() as u8),

        U::I16x8ExtAddPairwiseI8x16S => pairwise(a, |x: i8, y: i8| i16::from(x) + i16::from(y)),
        U::I16x8ExtAddPairwiseI8x16U => pairwise(a, |x: u8, y: u8| u16::from(x) + u16::from(y)),
        U::I16x8Abs => map(a, i16::wrapping_abs),
        U::I16x8Neg => map(a, i16::wrapping_neg),
        U::I16x8ExtendLowI8x16S => convert(a, |x: i8| i16::from(x)),
        U::I16x8ExtendHighI8x16S => convert(a >> 64, |x: i8| i16::from(x)),
        U::I16x8ExtendLowI8x16U => convert(a, |x: u8| u16::from(x)),
        U::I16x8ExtendHighI8x16U => convert(a >> 64, |x: u8| u16::from(x)),

        U::I32x4ExtAddPairwiseI16x8S => pairwise(a, |x: i16, y: i16| i32::from(x) + i32::from(y)),
        U::I32x4ExtAddPairwiseI16x8U => pairwise(a, |x: u16, y: u16| u32::from(x) + u32::from(y)),
        U::I32x4Abs => map(a, i32::wrapping_abs),
        U::I32x4Neg => map(a, i32::wrapping_neg),
        U::I32x4ExtendLowI16x8S => convert(a, |x: i16| i32::from(x)),
        U::I32x4ExtendHighI16x8S => convert(a >> 64, |x: i16| i32::from(x)),
        U::I32x4ExtendLowI16x8U => convert(a, |x: u16| u32::from(x)),
        U::I32x4ExtendHighI16x8U => convert(a >> 64, |x: u16| u32::from(x)),

        U::I64x2Abs => map(a, i64::wrapping_abs),
        U::I64x2Neg => map(a, i64::wrapping_neg),
        U::I64x2ExtendLowI32x4S => convert(a, |x: i32| i64::from(x)),
        U::I64x2ExtendHighI32x4S => convert(a >> 64, |x: i32| i64::from(x)),
        U::I64x2ExtendLowI32x4U => convert(a, |x: u32| u64::from(x)),
        U::I64x2ExtendHighI32x4U => convert(a >> 64, |x: u32| u64::from(x)),

        U::F32x4Ceil => map(a, float::f32_ceil),
        U::F32x4Floor => map(a, float::f32_floor),
        U::F32x4Trunc => map(a, float::f32_trunc),
        U::F32x4Nearest => map(a, float::f32_nearest),
        U::F32x4Abs => map(a, f32::abs),
        U::F32x4Neg => map(a, |x: f32| -x),
        U::F32x4Sqrt => map(a, f32::sqrt),
        U::F64x2Ceil => map(a, float::f64_ceil),
        U::F64x2Floor => map(a, float::f64_floor),
        U::F64x2Trunc => map(a, float::f64_trunc),
        U::F64x2Nearest => map(a, float::f64_nearest),
        U::F64x2Abs => map(a, f64::abs),
        U::F64x2Neg => map(a, |x: f64| -x),
        U::F64x2Sqrt => map(a, f64::sqrt),

        // Rust's float-to-int `as` saturates and maps NaN to 0, exactly as
        // `trunc_sat` requires; int-to-float `as` rounds to nearest-even.
        U::I32x4TruncSatF32x4S => convert(a, |x: f32| x as i32),
        U::I32x4TruncSatF32x4U => convert(a, |x: f32| x as u32),
        U::F32x4ConvertI32x4S => convert(a, |x: i32| x as f32),
        U::F32x4ConvertI32x4U => convert(a, |x: u32| x as f32),
        // Two f64 lanes in, two 32-bit lanes out: `convert` zeroes the rest.
        U::I32x4TruncSatF64x2SZero => convert(a, |x: f64| x as i32),
        U::I32x4TruncSatF64x2UZero => convert(a, |x: f64| x as u32),
        U::F32x4DemoteF64x2Zero => convert(a, |x: f64| x as f32),
        U::F64x2ConvertLowI32x4S => convert(a, |x: i32| f64::from(x)),
        U::F64x2ConvertLowI32x4U => convert(a, |x: u32| f64::from(x)),
        U::F64x2PromoteLowF32x4 => convert(a, |x: f32| f64::from(x)),
    }
}

/// Evaluates a [`BinaryOp`].
pub fn binary(op: BinaryOp, a: u128, b: u128) -> u128 {
    use BinaryOp as B;
    match op {
        B::V128And => a & b,
        B::V128AndNot => a & !b,
        B::V128Or => a | b,
        B::V128Xor => a ^ b,
        B::I8x16Swizzle => swizzle(a, b),

        B::I8x16Eq => compare(a, b, |x: u8, y| x == y),
        B::I8x16Ne => compare(a, b, |x: u8, y| x != y),
        B::I8x16LtS => compare(a, b, |x: i8, y| x < y),
        B::I8x16LtU => compare(a, b, |x: u8, y| x < y),
        B::I8x16GtS => compare(a, b, |x: i8, y| x > y),
        B::I8x16GtU => compare(a, b, |x: u8, y| x > y),
        B::I8x16LeS => compare(a, b, |x: i8, y| x <= y),
        B::I8x16LeU => compare(a, b, |x: u8, y| x <= y),
        B::I8x16GeS => compare(a, b, |x: i8, y| x >= y),
        B::I8x16GeU => compare(a, b, |x: u8, y| x >= y),
        B::I16x8Eq => compare(a, b, |x: u16, y| x == y),
        B::I16x8Ne => compare(a, b, |x: u16, y| x != y),
        B::I16x8LtS => compare(a, b, |x: i16, y| x < y),
        B::I16x8LtU => compare(a, b, |x: u16, y| x < y),
        B::I16x8GtS => compare(a, b, |x: i16, y| x > y),
        B::I16x8GtU => compare(a, b, |x: u16, y| x > y),
        B::I16x8LeS => compare(a, b, |x: i16, y| x <= y),
        B::I16x8LeU => compare(a, b, |x: u16, y| x <= y),
        B::I16x8GeS => compare(a, b, |x: i16, y| x >= y),
        B::I16x8GeU => compare(a, b, |x: u16, y| x >= y),
        B::I32x4Eq => compare(a, b, |x: u32, y| x == y),
        B::I32x4Ne => compare(a, b, |x: u32, y| x != y),
        B::I32x4LtS => compare(a, b, |x: i32, y| x < y),
        B::I32x4LtU => compare(a, b, |x: u32, y| x < y),
        B::I32x4GtS => compare(a, b, |x: i32, y| x > y),
        B::I32x4GtU => compare(a, b, |x: u32, y| x > y),
        B::I32x4LeS => compare(a, b, |x: i32, y| x <= y),
        B::I32x4LeU => compare(a, b, |x: u32, y| x <= y),
        B::I32x4GeS => compare(a, b, |x: i32, y| x >= y),
        B::I32x4GeU => compare(a, b, |x: u32, y| x >= y),
        B::I64x2Eq => compare(a, b, |x: u64, y| x == y),
        B::I64x2Ne => compare(a, b, |x: u64, y| x != y),
        B::I64x2LtS => compare(a, b, |x: i64, y| x < y),
        B::I64x2GtS => compare(a, b, |x: i64, y| x > y),
        B::I64x2LeS => compare(a, b, |x: i64, y| x <= y),
        B::I64x2GeS => compare(a, b, |x: i64, y| x >= y),
        // IEEE comparisons: every one but `ne` is false when a lane is NaN.
        B::F32x4Eq => compare(a, b, |x: f32, y| x == y),
        B::F32x4Ne => compare(a, b, |x: f32, y| x != y),
        B::F32x4Lt => compare(a, b, |x: f32, y| x < y),
        B::F32x4Gt => compare(a, b, |x: f32, y| x > y),
        B::F32x4Le => compare(a, b, |x: f32, y| x <= y),
        B::F32x4Ge => compare(a, b, |x: f32, y| x >= y),
        B::F64x2Eq => compare(a, b, |x: f64, y| x == y),
        B::F64x2Ne => compare(a, b, |x: f64, y| x != y),
        B::F64x2Lt => compare(a, b, |x: f64, y| x < y),
        B::F64x2Gt => compare(a, b, |x: f64, y| x > y),
        B::F64x2Le => compare(a, b, |x: f64, y| x <= y),
        B::F64x2Ge => compare(a, b, |x: f64, y| x >= y),

        B::I8x16NarrowI16x8S => {
            narrow(a, b, |x: i16| x.clamp(i8::MIN.into(), i8::MAX.into()) as i8)
        }
        B::I8x16NarrowI16x8U => narrow(a, b, |x: i16| x.clamp(0, u8::MAX.into()) as u8),
        B::I8x16Add => zip(a, b, u8::wrapping_add),
        B::I8x16AddSatS => zip(a, b, i8::saturating_add),
        B::I8x16AddSatU => zip(a, b, u8::saturating_add),
        B::I8x16Sub => zip(a, b, u8::wrapping_sub),
        B::I8x16SubSatS => zip(a, b, i8::saturating_sub),
        B::I8x16SubSatU => zip(a, b, u8::saturating_sub),
        B::I8x16MinS => zip(a, b, i8::min),
        B::I8x16MinU => zip(a, b, u8::min),
        B::I8x16MaxS => zip(a, b, i8::max),
        B::I8x16MaxU => zip(a, b, u8::max),
        B::I8x16AvgrU => zip(a, b, |x: u8, y: u8| {
            ((u16::from(x) + u16::from(y)).div_ceil(2)) as u8
        }),

        B::I16x8Q15MulrSatS => zip(a, b, |x: i16, y: i16| {
            let product = (i32::from(x) * i32::from(y) + 0x4000) >> 15;
            product.clamp(i16::MIN.into(), i16::MAX.into()) as i16
        }),
        B::I16x8NarrowI32x4S => narrow(a, b, |x: i32| {
            x.clamp(i16::MIN.into(), i16::MAX.into()) as i16
        }),
        B::I16x8NarrowI32x4U => narrow(a, b, |x: i32| x.clamp(0, u16::MAX.into()) as u16),
        B::I16x8Add => zip(a, b, u16::wrapping_add),
        B::I16x8AddSatS => zip(a, b, i16::saturating_add),
        B::I16x8AddSatU => zip(a, b, u16::saturating_add),
        B::I16x8Sub => zip(a, b, u16::wrapping_sub),
        B::I16x8SubSatS => zip(a, b, i16::saturating_sub),
        B::I16x8SubSatU => zip(a, b, u16::saturating_sub),
        B::I16x8Mul => zip(a, b, u16::wrapping_mul),
        B::I16x8MinS => zip(a, b, i16::min),
        B::I16x8MinU => zip(a, b, u16::min),
        B::I16x8MaxS => zip(a, b, i16::max),
        B::I16x8MaxU => zip(a, b, u16::max),
        B::I16x8AvgrU => zip(a, b, |x: u16, y: u16| {
            ((u32::from(x) + u32::from(y)).div_ceil(2)) as u16
        }),
        B::I16x8ExtMulLowI8x16S => convert2(a, b, |x: i8, y: i8| i16::from(x) * i16::from(y)),
        B::I16x8ExtMulHighI8x16S => {
            convert2(a >> 64, b >> 64, |x: i8, y: i8| i16::from(x) * i16::from(y))
        }
        B::I16x8ExtMulLowI8x16U => convert2(a, b, |x: u8, y: u8| u16::from(x) * u16::from(y)),
        B::I16x8ExtMulHighI8x16U => {
            convert2(a >> 64, b >> 64, |x: u8, y: u8| u16::from(x) * u16::from(y))
        }

        B::I32x4Add => zip(a, b, u32::wrapping_add),
        B::I32x4Sub => zip(a, b, u32::wrapping_sub),
        B::I32x4Mul => zip(a, b, u32::wrapping_mul),
        B::I32x4MinS => zip(a, b, i32::min),
        B::I32x4MinU => zip(a, b, u32::min),
        B::I32x4MaxS => zip(a, b, i32::max),
        B::I32x4MaxU => zip(a, b, u32::max),
        B::I32x4DotI16x8S => dot_i16x8_s(a, b),
        B::I32x4ExtMulLowI16x8S => convert2(a, b, |x: i16, y: i16| i32::from(x) * i32::from(y)),
        B::I32x4ExtMulHighI16x8S => convert2(a >> 64, b >> 64, |x: i16, y: i16| {
            i32::from(x) * i32::from(y)
        }),
        B::I32x4ExtMulLowI16x8U => convert2(a, b, |x: u16, y: u16| u32::from(x) * u32::from(y)),
        B::I32x4ExtMulHighI16x8U => convert2(a >> 64, b >> 64, |x: u16, y: u16| {
            u32::from(x) * u32::from(y)
        }),

        B::I64x2Add => zip(a, b, u64::wrapping_add),
        B::I64x2Sub => zip(a, b, u64::wrapping_sub),
        B::I64x2Mul => zip(a, b, u64::wrapping_mul),
        B::I64x2ExtMulLowI32x4S => convert2(a, b, |x: i32, y: i32| i64::from(x) * i64::from(y)),
        B::I64x2ExtMulHighI32x4S => convert2(a >> 64, b >> 64, |x: i32, y: i32| {
            i64::from(x) * i64::from(y)
        }),
        B::I64x2ExtMulLowI32x4U => convert2(a, b, |x: u32, y: u32| u64::from(x) * u64::from(y)),
        B::I64x2ExtMulHighI32x4U => convert2(a >> 64, b >> 64, |x: u32, y: u32| {
            u64::from(x) * u64::from(y)
        }),

        B::F32x4Add => zip(a, b, |x: f32, y| x + y),
        B::F32x4Sub => zip(a, b, |x: f32, y| x - y),
        B::F32x4Mul => zip(a, b, |x: f32, y| x * y),
        B::F32x4Div => zip(a, b, |x: f32, y| x / y),
        B::F32x4Min => zip(a, b, float::f32_min),
        B::F32x4Max => zip(a, b, float::f32_max),
        B::F32x4PMin => zip(a, b, |x: f32, y| if y < x { y } else { x }),
        B::F32x4PMax => zip(a, b, |x: f32, y| if x < y { y } else { x }),
        B::F64x2Add => zip(a, b, |x: f64, y| x + y),
        B::F64x2Sub => zip(a, b, |x: f64, y| x - y),
        B::F64x2Mul => zip(a, b, |x: f64, y| x * y),
        B::F64x2Div => zip(a, b, |x: f64, y| x / y),
        B::F64x2Min => zip(a, b, float::f64_min),
        B::F64x2Max => zip(a, b, float::f64_max),
        B::F64x2PMin => zip(a, b, |x: f64, y| if y < x { y } else { x }),
        B::F64x2PMax => zip(a, b, |x: f64, y| if x < y { y } else { x }),
    }
}

/// Evaluates a [`TernaryOp`].
pub fn ternary(op: TernaryOp, a: u128, b: u128, c: u128) -> u128 {
    match op {
        // Bits of `a` where `c` is set, of `b` where it is clear.
        TernaryOp::V128Bitselect => (a & c) | (b & !c),
    }
}

/// Evaluates a [`ShiftOp`]; `count` is taken modulo the lane width.
pub fn shift(op: ShiftOp, a: u128, count: u32) -> u128 {
    use ShiftOp as S;
    // `wrapping_sh*` reduce the count modulo the type's width, as wasm does.
    match op {
        S::I8x16Shl => map(a, |x: u8| x.wrapping_shl(count)),
        S::I8x16ShrS => map(a, |x: i8| x.wrapping_shr(count)),
        S::I8x16ShrU => map(a, |x: u8| x.wrapping_shr(count)),
        S::I16x8Shl => map(a, |x: u16| x.wrapping_shl(count)),
        S::I16x8ShrS => map(a, |x: i16| x.wrapping_shr(count)),
        S::I16x8ShrU => map(a, |x: u16| x.wrapping_shr(count)),
        S::I32x4Shl => map(a, |x: u32| x.wrapping_shl(count)),
        S::I32x4ShrS => map(a, |x: i32| x.wrapping_shr(count)),
        S::I32x4ShrU => map(a, |x: u32| x.wrapping_shr(count)),
        S::I64x2Shl => map(a, |x: u64| x.wrapping_shl(count)),
        S::I64x2ShrS => map(a, |x: i64| x.wrapping_shr(count)),
        S::I64x2ShrU => map(a, |x: u64| x.wrapping_shr(count)),
    }
}

/// Evaluates a [`TestOp`], giving the `i32` result.
pub fn test(op: TestOp, a: u128) -> u32 {
    use TestOp as T;
    match op {
        T::V128AnyTrue => u32::from(a != 0),
        T::I8x16AllTrue => all_true(8, a),
        T::I8x16Bitmask => bitmask(8, a),
        T::I16x8AllTrue => all_true(16, a),
        T::I16x8Bitmask => bitmask(16, a),
        T::I32x4AllTrue => all_true(32, a),
        T::I32x4Bitmask => bitmask(32, a),
        T::I64x2AllTrue => all_true(64, a),
        T::I64x2Bitmask => bitmask(64, a),
    }
}

/// Evaluates a [`SplatOp`] on a scalar's bits.
pub fn splat(op: SplatOp, x: u64) -> u128 {
    let bits = match op {
        SplatOp::I8x16Splat => 8,
        SplatOp::I16x8Splat => 16,
        SplatOp::I32x4Splat | SplatOp::F32x4Splat => 32,
        SplatOp::I64x2Splat | SplatOp::F64x2Splat => 64,
    };
    repeat(bits, u128::from(x))
}

/// Evaluates an [`ExtractOp`], giving the scalar's bits. The lane index is
/// taken modulo the lane count (validation guarantees it is in range).
pub fn extract(op: ExtractOp, lane: u8, a: u128) -> u64 {
    use ExtractOp as E;
    match op {
        E::I8x16ExtractLaneS => lane_bytes(8, lane, a) as u8 as i8 as i32 as u32 as u64,
        E::I8x16ExtractLaneU => lane_bytes(8, lane, a),
        E::I16x8ExtractLaneS => lane_bytes(16, lane, a) as u16 as i16 as i32 as u32 as u64,
        E::I16x8ExtractLaneU => lane_bytes(16, lane, a),
        E::I32x4ExtractLane | E::F32x4ExtractLane => lane_bytes(32, lane, a),
        E::I64x2ExtractLane | E::F64x2ExtractLane => lane_bytes(64, lane, a),
    }
}

/// Evaluates a [`ReplaceOp`] with a scalar's bits. The lane index is taken
/// modulo the lane count (validation guarantees it is in range).
pub fn replace(op: ReplaceOp, lane: u8, a: u128, x: u64) -> u128 {
    let bits = match op {
        ReplaceOp::I8x16ReplaceLane => 8,
        ReplaceOp::I16x8ReplaceLane => 16,
        ReplaceOp::I32x4ReplaceLane | ReplaceOp::F32x4ReplaceLane => 32,
        ReplaceOp::I64x2ReplaceLane | ReplaceOp::F64x2ReplaceLane => 64,
    };
    with_lane_bytes(bits, lane, a, x)
}

/// `i8x16.shuffle`: byte `i` of the result is byte `lanes[i]` of the 32-byte
/// concatenation of `a` and `b` (zero for an index past 31, which validation
/// rules out).
pub fn shuffle(a: u128, b: u128, lanes: &[u8; 16]) -> u128 {
    let (a, b) = (a.to_le_bytes(), b.to_le_bytes());
    u128::from_le_bytes(array::from_fn(|i| {
        let index = usize::from(lanes[i]);
        a.get(index)
            .or_else(|| b.get(index.wrapping_sub(16)))
            .copied()
            .unwrap_or(0)
    }))
}

/// The bits of lane `lane` of `v` when its lanes are `bits` wide (8, 16, 32
/// or 64), for `v128.loadN_lane`/`v128.storeN_lane`. The lane index is taken
/// modulo the lane count.
pub fn lane_bytes(bits: u32, lane: u8, v: u128) -> u64 {
    ((v >> lane_shift(bits, lane)) & ones(bits)) as u64
}

/// `v` with lane `lane` (lanes `bits` wide) replaced by the low `bits` bits
/// of `x`. The lane index is taken modulo the lane count.
pub fn with_lane_bytes(bits: u32, lane: u8, v: u128, x: u64) -> u128 {
    let shift = lane_shift(bits, lane);
    (v & !(ones(bits) << shift)) | ((u128::from(x) & ones(bits)) << shift)
}

// ---------------------------------------------------------------------------
// Lane plumbing.

/// A value that can live in a `v128` lane, as many bits wide as the type.
trait Lane: Copy {
    const BITS: u32;
    /// The lane whose bits are the low `BITS` bits of `v`.
    fn from_u128(v: u128) -> Self;
    /// The lane's bits, zero-extended.
    fn to_u128(self) -> u128;
}

macro_rules! int_lanes {
    ($($t:ty => $u:ty),*) => {$(
        impl Lane for $t {
            const BITS: u32 = <$t>::BITS;
            fn from_u128(v: u128) -> Self {
                v as $u as $t
            }
            fn to_u128(self) -> u128 {
                u128::from(self as $u)
            }
        }
    )*};
}

int_lanes!(i8 => u8, u8 => u8, i16 => u16, u16 => u16, i32 => u32, u32 => u32, i64 => u64, u64 => u64);

impl Lane for f32 {
    const BITS: u32 = 32;
    fn from_u128(v: u128) -> Self {
        f32::from_bits(v as u32)
    }
    fn to_u128(self) -> u128 {
        u128::from(self.to_bits())
    }
}

impl Lane for f64 {
    const BITS: u32 = 64;
    fn from_u128(v: u128) -> Self {
        f64::from_bits(v as u64)
    }
    fn to_u128(self) -> u128 {
        u128::from(self.to_bits())
    }
}

/// A mask of the low `bits` bits (`1..=128`).
fn ones(bits: u32) -> u128 {
    u128::MAX >> (128 - bits)
}

/// The bit position of lane `lane` when lanes are `bits` wide, the index
/// reduced modulo the lane count.
fn lane_shift(bits: u32, lane: u8) -> u32 {
    (u32::from(lane) % (128 / bits)) * bits
}

/// Lane `i` of `v` viewed as lanes of type `T`.
fn lane<T: Lane>(v: u128, i: u32) -> T {
    T::from_u128(v >> (i * T::BITS))
}

/// A `v128` of `count` lanes of type `U`, lane `i` being `f(i)`; lanes past
/// `count` are zero.
fn build<U: Lane>(count: u32, f: impl Fn(u32) -> U) -> u128 {
    (0..count).fold(0, |v, i| v | (f(i).to_u128() << (i * U::BITS)))
}

/// Applies `f` to every lane.
fn map<T: Lane>(a: u128, f: impl Fn(T) -> T) -> u128 {
    build(128 / T::BITS, |i| f(lane(a, i)))
}

/// Applies `f` to every pair of corresponding lanes.
fn zip<T: Lane>(a: u128, b: u128, f: impl Fn(T, T) -> T) -> u128 {
    build(128 / T::BITS, |i| f(lane(a, i), lane(b, i)))
}

/// All ones in every lane where `f` holds, all zeros elsewhere.
fn compare<T: Lane>(a: u128, b: u128, f: impl Fn(T, T) -> bool) -> u128 {
    (0..128 / T::BITS)
        .filter(|&i| f(lane(a, i), lane(b, i)))
        .fold(0, |v, i| v | (ones(T::BITS) << (i * T::BITS)))
}

/// Lane-wise conversion from `T` lanes to `U` lanes, starting at lane 0 of
/// each: as many lanes as the wider shape has, the rest of the result zero.
/// Widening conversions thus read the low half of `a`, narrowing ones fill
/// the low half of the result.
fn convert<T: Lane, U: Lane>(a: u128, f: impl Fn(T) -> U) -> u128 {
    build(128 / T::BITS.max(U::BITS), |i| f(lane(a, i)))
}

/// [`convert`] with two operands.
fn convert2<T: Lane, U: Lane>(a: u128, b: u128, f: impl Fn(T, T) -> U) -> u128 {
    build(128 / T::BITS.max(U::BITS), |i| f(lane(a, i), lane(b, i)))
}

/// Lane `i` of the (twice as wide) result is `f` of lanes `2i` and `2i + 1`.
fn pairwise<T: Lane, U: Lane>(a: u128, f: impl Fn(T, T) -> U) -> u128 {
    build(128 / U::BITS, |i| f(lane(a, 2 * i), lane(a, 2 * i + 1)))
}

/// The lanes of `a` then those of `b`, each narrowed by `f` to half width.
fn narrow<T: Lane, U: Lane>(a: u128, b: u128, f: impl Fn(T) -> U) -> u128 {
    let half = 128 / T::BITS;
    build(2 * half, |i| {
        if i < half {
            f(lane(a, i))
        } else {
            f(lane(b, i - half))
        }
    })
}

/// `i32x4.dot_i16x8_s`: sums of adjacent products; only `2 * (-2^15)^2`
/// overflows, and it wraps.
fn dot_i16x8_s(a: u128, b: u128) -> u128 {
    let product = |i| i32::from(lane::<i16>(a, i)) * i32::from(lane::<i16>(b, i));
    build(4, |i| product(2 * i).wrapping_add(product(2 * i + 1)))
}

/// `i8x16.swizzle`: byte `i` is byte `b[i]` of `a`, or zero if `b[i] >= 16`.
fn swizzle(a: u128, b: u128) -> u128 {
    let (a, b) = (a.to_le_bytes(), b.to_le_bytes());
    u128::from_le_bytes(array::from_fn(|i| {
        a.get(usize::from(b[i])).copied().unwrap_or(0)
    }))
}

/// `x`'s low `bits` bits in every lane.
fn repeat(bits: u32, x: u128) -> u128 {
    let x = x & ones(bits);
    (0..128 / bits).fold(0, |v, i| v | (x << (i * bits)))
}

/// 1 if every `bits`-wide lane is non-zero.
fn all_true(bits: u32, a: u128) -> u32 {
    u32::from((0..128 / bits).all(|i| (a >> (i * bits)) & ones(bits) != 0))
}

/// The top bit of every `bits`-wide lane, lane `i` in bit `i`.
fn bitmask(bits: u32, a: u128) -> u32 {
    (0..128 / bits).fold(0, |m, i| {
        m | ((((a >> ((i + 1) * bits - 1)) & 1) as u32) << i)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasmparser::MemArgTarget;

    fn i8x16(l: [i8; 16]) -> u128 {
        u128::from_le_bytes(l.map(|x| x as u8))
    }
    fn i16x8(l: [i16; 8]) -> u128 {
        build(8, |i| l[i as usize])
    }
    fn i32x4(l: [i32; 4]) -> u128 {
        build(4, |i| l[i as usize])
    }
    fn f32x4(l: [f32; 4]) -> u128 {
        build(4, |i| l[i as usize])
    }
    fn f64x2(l: [f64; 2]) -> u128 {
        build(2, |i| l[i as usize])
    }
    fn to_i8x16(v: u128) -> [i8; 16] {
        array::from_fn(|i| lane(v, i as u32))
    }
    fn to_i16x8(v: u128) -> [i16; 8] {
        array::from_fn(|i| lane(v, i as u32))
    }
    fn to_i32x4(v: u128) -> [i32; 4] {
        array::from_fn(|i| lane(v, i as u32))
    }
    fn to_u32x4(v: u128) -> [u32; 4] {
        array::from_fn(|i| lane(v, i as u32))
    }
    fn to_f32x4(v: u128) -> [f32; 4] {
        array::from_fn(|i| lane(v, i as u32))
    }
    fn to_f64x2(v: u128) -> [f64; 2] {
        array::from_fn(|i| lane(v, i as u32))
    }

    #[test]
    fn lane_zero_is_the_lowest_bits() {
        let v = i32x4([1, 2, 3, 4]);
        assert_eq!(v, 0x0000_0004_0000_0003_0000_0002_0000_0001);
        assert_eq!(to_i32x4(v), [1, 2, 3, 4]);
        assert_eq!(
            to_i16x8(i16x8([-1, 2, -3, 4, 5, -6, 7, i16::MIN])),
            [-1, 2, -3, 4, 5, -6, 7, i16::MIN]
        );
    }

    #[test]
    fn narrow_saturates_each_operand_in_order() {
        let a = i16x8([0, 127, 128, -128, -129, 300, -300, 255]);
        let b = i16x8([1, -1, 256, i16::MAX, i16::MIN, 2, 3, 4]);
        assert_eq!(
            to_i8x16(binary(BinaryOp::I8x16NarrowI16x8S, a, b)),
            [
                0, 127, 127, -128, -128, 127, -128, 127, 1, -1, 127, 127, -128, 2, 3, 4
            ]
        );
        let u = binary(BinaryOp::I8x16NarrowI16x8U, a, b).to_le_bytes();
        assert_eq!(
            u,
            [0, 127, 128, 0, 0, 255, 0, 255, 1, 0, 255, 255, 0, 2, 3, 4]
        );
        let a = i32x4([70000, -70000, 65535, -1]);
        let b = i32x4([32768, -32769, 5, 0]);
        assert_eq!(
            to_i16x8(binary(BinaryOp::I16x8NarrowI32x4S, a, b)),
            [32767, -32768, 32767, -1, 32767, -32768, 5, 0]
        );
        assert_eq!(
            to_i16x8(binary(BinaryOp::I16x8NarrowI32x4U, a, b)).map(|x| x as u16),
            [65535, 0, 65535, 0, 32768, 0, 5, 0]
        );
    }

    #[test]
    fn q15mulr_rounds_and_saturates_min_times_min() {
        let a = i16x8([i16::MIN, 16384, -16384, 1, i16::MAX, 3, 0, -1]);
        let b = i16x8([i16::MIN, 16384, 16384, 16384, i16::MAX, -5461, 9, -1]);
        assert_eq!(
            to_i16x8(binary(BinaryOp::I16x8Q15MulrSatS, a, b)),
            [i16::MAX, 8192, -8192, 1, 32766, 0, 0, 0]
        );
    }

    #[test]
    fn trunc_sat_maps_nan_to_zero_and_saturates() {
        let v = f32x4([f32::NAN, 3e9, -3e9, -1.7]);
        assert_eq!(
            to_i32x4(unary(UnaryOp::I32x4TruncSatF32x4S, v)),
            [0, i32::MAX, i32::MIN, -1]
        );
        assert_eq!(
            to_u32x4(unary(UnaryOp::I32x4TruncSatF32x4U, v)),
            [0, 3_000_000_000, 0, 0]
        );
        let v = f64x2([f64::NAN, -1e10]);
        assert_eq!(
            to_i32x4(unary(UnaryOp::I32x4TruncSatF64x2SZero, v)),
            [0, i32::MIN, 0, 0]
        );
        let v = f64x2([4294967296.5, 7.9]);
        assert_eq!(
            to_u32x4(unary(UnaryOp::I32x4TruncSatF64x2UZero, v)),
            [u32::MAX, 7, 0, 0]
        );
    }

    #[test]
    fn float_min_max_propagate_nan_and_order_zeros() {
        let a = f32x4([f32::NAN, -0.0, 0.0, 1.0]);
        let b = f32x4([1.0, 0.0, -0.0, f32::NAN]);
        let min = to_f32x4(binary(BinaryOp::F32x4Min, a, b));
        assert!(min[0].is_nan() && min[3].is_nan());
        assert!(min[1] == 0.0 && min[1].is_sign_negative());
        assert!(min[2] == 0.0 && min[2].is_sign_negative());
        let max = to_f32x4(binary(BinaryOp::F32x4Max, a, b));
        assert!(max[0].is_nan() && max[3].is_nan());
        assert!(max[1] == 0.0 && max[1].is_sign_positive());
        assert!(max[2] == 0.0 && max[2].is_sign_positive());
        let min = to_f64x2(binary(
            BinaryOp::F64x2Min,
            f64x2([-0.0, 2.0]),
            f64x2([0.0, f64::NAN]),
        ));
        assert!(min[0].is_sign_negative() && min[1].is_nan());
    }

    #[test]
    fn pmin_pmax_return_first_operand_unless_second_is_strictly_ordered() {
        let a = f32x4([f32::NAN, -0.0, 1.0, 2.0]);
        let b = f32x4([1.0, 0.0, f32::NAN, 1.0]);
        let pmin = to_f32x4(binary(BinaryOp::F32x4PMin, a, b));
        assert!(pmin[0].is_nan());
        assert!(pmin[1].is_sign_negative());
        assert_eq!(pmin[2..], [1.0, 1.0]);
        let pmax = to_f32x4(binary(BinaryOp::F32x4PMax, b, a));
        assert_eq!(pmax[0], 1.0);
        assert!(pmax[1].is_sign_positive());
        assert!(pmax[2].is_nan());
        assert_eq!(pmax[3], 2.0);
    }

    #[test]
    fn shuffle_picks_bytes_from_both_operands() {
        let a = u128::from_le_bytes(array::from_fn(|i| i as u8));
        let b = u128::from_le_bytes(array::from_fn(|i| 0x80 + i as u8));
        let lanes = [31, 0, 16, 15, 1, 17, 2, 18, 3, 19, 30, 14, 5, 5, 20, 0];
        let r = shuffle(a, b, &lanes).to_le_bytes();
        assert_eq!(
            r,
            [
                0x8F, 0, 0x80, 15, 1, 0x81, 2, 0x82, 3, 0x83, 0x8E, 14, 5, 5, 0x84, 0
            ]
        );
    }

    #[test]
    fn swizzle_out_of_range_index_gives_zero() {
        let a = u128::from_le_bytes(array::from_fn(|i| 0x10 + i as u8));
        let b = u128::from_le_bytes([0, 15, 16, 255, 3, 128, 17, 1, 2, 3, 4, 5, 6, 7, 8, 0x7F]);
        let r = binary(BinaryOp::I8x16Swizzle, a, b).to_le_bytes();
        assert_eq!(
            r,
            [
                0x10, 0x1F, 0, 0, 0x13, 0, 0, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0
            ]
        );
    }

    #[test]
    fn bitmask_collects_lane_sign_bits() {
        let v = i8x16([-1, 0, -128, 127, 0, 0, 0, -5, 0, 0, 0, 0, 0, 0, 0, -1]);
        assert_eq!(test(TestOp::I8x16Bitmask, v), 0b1000_0000_1000_0101);
        assert_eq!(
            test(
                TestOp::I16x8Bitmask,
                i16x8([-1, 1, -1, 1, 0, 0, 0, i16::MIN])
            ),
            0b1000_0101
        );
        assert_eq!(test(TestOp::I32x4Bitmask, i32x4([0, -1, 0, 5])), 0b0010);
        assert_eq!(test(TestOp::I64x2Bitmask, 1 << 127), 0b10);
        assert_eq!(test(TestOp::I64x2Bitmask, 1 << 63), 0b01);
    }

    #[test]
    fn all_true_needs_every_lane_non_zero() {
        let v = i32x4([1, 1 << 31, 256, -1]);
        assert_eq!(test(TestOp::I32x4AllTrue, v), 1);
        assert_eq!(test(TestOp::I16x8AllTrue, v), 0);
        assert_eq!(test(TestOp::I8x16AllTrue, repeat(8, 0x80)), 1);
        assert_eq!(test(TestOp::I64x2AllTrue, 1), 0);
        assert_eq!(test(TestOp::V128AnyTrue, 1 << 100), 1);
        assert_eq!(test(TestOp::V128AnyTrue, 0), 0);
    }

    #[test]
    fn shift_counts_are_taken_modulo_lane_width() {
        let v = i8x16([-128, 1, 64, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3]);
        assert_eq!(
            shift(ShiftOp::I8x16Shl, v, 9),
            shift(ShiftOp::I8x16Shl, v, 1)
        );
        assert_eq!(
            to_i8x16(shift(ShiftOp::I8x16Shl, v, 9))[..4],
            [0, 2, -128, -2]
        );
        assert_eq!(
            to_i8x16(shift(ShiftOp::I8x16ShrS, v, 15))[..4],
            [-1, 0, 0, -1]
        );
        assert_eq!(to_i8x16(shift(ShiftOp::I8x16ShrU, v, 7))[..4], [1, 0, 0, 1]);
        let w = i32x4([-16, 16, 1, i32::MIN]);
        assert_eq!(
            to_i32x4(shift(ShiftOp::I32x4ShrS, w, 34)),
            [-4, 4, 0, i32::MIN >> 2]
        );
        assert_eq!(shift(ShiftOp::I64x2Shl, 1 | (1 << 64), 64), 1 | (1 << 64));
        assert_eq!(shift(ShiftOp::I64x2ShrU, u128::MAX, 127), 1 | (1 << 64));
        assert_eq!(shift(ShiftOp::I16x8ShrU, u128::MAX, 0), u128::MAX);
    }

    #[test]
    fn extract_lane_s_sign_extends_to_i32() {
        let v = i8x16([0, -2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x7F]);
        assert_eq!(extract(ExtractOp::I8x16ExtractLaneS, 1, v), 0xFFFF_FFFE);
        assert_eq!(extract(ExtractOp::I8x16ExtractLaneU, 1, v), 0xFE);
        assert_eq!(extract(ExtractOp::I8x16ExtractLaneS, 15, v), 0x7F);
        let v = i16x8([0, 0, 0, -3, 0, 0, 0, 0]);
        assert_eq!(extract(ExtractOp::I16x8ExtractLaneS, 3, v), 0xFFFF_FFFD);
        assert_eq!(extract(ExtractOp::I16x8ExtractLaneU, 3, v), 0xFFFD);
        let v = f64x2([1.5, -2.0]);
        assert_eq!(
            extract(ExtractOp::F64x2ExtractLane, 1, v),
            (-2.0f64).to_bits()
        );
    }

    #[test]
    fn replace_lane_and_splat_touch_only_their_lanes() {
        let v = replace(ReplaceOp::I16x8ReplaceLane, 2, u128::MAX, 0xFFFF_1234);
        assert_eq!(to_i16x8(v), [-1, -1, 0x1234, -1, -1, -1, -1, -1]);
        let v = replace(ReplaceOp::F32x4ReplaceLane, 3, 0, 2.5f32.to_bits().into());
        assert_eq!(to_f32x4(v), [0.0, 0.0, 0.0, 2.5]);
        assert_eq!(splat(SplatOp::I8x16Splat, 0x1FF), u128::MAX);
        assert_eq!(
            to_i32x4(splat(SplatOp::I32x4Splat, 0xAAAA_FFFF_FFFF)),
            [-1; 4]
        );
        assert_eq!(
            to_f64x2(splat(SplatOp::F64x2Splat, 0.25f64.to_bits())),
            [0.25; 2]
        );
        assert_eq!(
            lane_bytes(64, 1, with_lane_bytes(64, 1, 0, u64::MAX)),
            u64::MAX
        );
        assert_eq!(with_lane_bytes(8, 0, u128::MAX, 0), u128::MAX << 8);
    }

    #[test]
    fn integer_arithmetic_wraps_or_saturates_per_operator() {
        let a = i8x16([127, -128, 100, -100, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1]);
        let b = i8x16([1, -1, 100, -100, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1]);
        assert_eq!(
            to_i8x16(binary(BinaryOp::I8x16Add, a, b))[..5],
            [-128, 127, -56, 56, 0]
        );
        assert_eq!(
            to_i8x16(binary(BinaryOp::I8x16AddSatS, a, b))[..5],
            [127, -128, 127, -128, 0]
        );
        let sat_u = binary(BinaryOp::I8x16AddSatU, a, b).to_le_bytes();
        assert_eq!(sat_u[..5], [128, 255, 200, 255, 255]);
        let sub_u = binary(BinaryOp::I8x16SubSatU, b, a).to_le_bytes();
        assert_eq!(sub_u[..5], [0, 127, 0, 0, 254]);
        let avgr = binary(BinaryOp::I8x16AvgrU, a, b).to_le_bytes();
        assert_eq!(avgr[..5], [64, 192, 100, 156, 128]);
        assert_eq!(avgr[15], 255);
        assert_eq!(
            to_i8x16(unary(UnaryOp::I8x16Abs, a))[..4],
            [127, -128, 100, 100]
        );
        assert_eq!(
            unary(UnaryOp::I8x16Popcnt, a).to_le_bytes()[..4],
            [7, 1, 3, 4]
        );
        assert_eq!(
            to_i8x16(binary(BinaryOp::I8x16MinU, a, b))[..3],
            [1, -128, 100]
        );
        assert_eq!(
            to_i8x16(binary(BinaryOp::I8x16MinS, a, b))[..3],
            [1, -128, 100]
        );
        assert_eq!(to_i8x16(binary(BinaryOp::I8x16MaxU, a, b))[..2], [127, -1]);
    }

    #[test]
    fn widening_ops_read_the_right_half() {
        let v = i8x16([-1, 2, -3, 4, 5, 6, 7, 8, -9, 10, 11, 12, 13, 14, 15, -128]);
        assert_eq!(
            to_i16x8(unary(UnaryOp::I16x8ExtendLowI8x16S, v)),
            [-1, 2, -3, 4, 5, 6, 7, 8]
        );
        assert_eq!(
            to_i16x8(unary(UnaryOp::I16x8ExtendHighI8x16U, v)),
            [247, 10, 11, 12, 13, 14, 15, 128]
        );
        assert_eq!(
            to_i16x8(unary(UnaryOp::I16x8ExtAddPairwiseI8x16S, v)),
            [1, 1, 11, 15, 1, 23, 27, -113]
        );
        assert_eq!(
            to_i16x8(unary(UnaryOp::I16x8ExtAddPairwiseI8x16U, v)),
            [257, 257, 11, 15, 257, 23, 27, 143]
        );
        let m = binary(BinaryOp::I16x8ExtMulHighI8x16S, v, v);
        assert_eq!(to_i16x8(m), [81, 100, 121, 144, 169, 196, 225, 16384]);
        let w = i32x4([-1, 3, i32::MIN, 7]);
        let m = binary(BinaryOp::I64x2ExtMulLowI32x4U, w, w);
        assert_eq!(m, build(2, |i| [u64::from(u32::MAX).pow(2), 9][i as usize]));
        let m = binary(BinaryOp::I64x2ExtMulHighI32x4S, w, w);
        assert_eq!(m, build(2, |i| [1i64 << 62, 49][i as usize]));
    }

    #[test]
    fn dot_product_wraps_only_at_the_extreme() {
        let a = i16x8([i16::MIN, i16::MIN, 1, 2, 3, 4, -5, 6]);
        assert_eq!(
            to_i32x4(binary(BinaryOp::I32x4DotI16x8S, a, a)),
            [i32::MIN, 5, 25, 61]
        );
    }

    #[test]
    fn float_conversions_fill_and_zero_the_right_lanes() {
        let v = f64x2([1.5, f64::MAX]);
        let d = to_f32x4(unary(UnaryOp::F32x4DemoteF64x2Zero, v));
        assert_eq!(d, [1.5, f32::INFINITY, 0.0, 0.0]);
        let p = to_f64x2(unary(
            UnaryOp::F64x2PromoteLowF32x4,
            f32x4([0.1, -2.0, 7.0, 8.0]),
        ));
        assert_eq!(p, [f64::from(0.1f32), -2.0]);
        let c = to_f64x2(unary(UnaryOp::F64x2ConvertLowI32x4U, i32x4([-1, 2, 3, 4])));
        assert_eq!(c, [4294967295.0, 2.0]);
        let c = to_f32x4(unary(
            UnaryOp::F32x4ConvertI32x4U,
            i32x4([-1, 16777217, -2, 0]),
        ));
        assert_eq!(c, [4294967296.0, 16777216.0, 4294967296.0, 0.0]);
        let n = to_f32x4(unary(UnaryOp::F32x4Nearest, f32x4([2.5, -0.5, 3.5, -1.5])));
        assert_eq!(n, [2.0, -0.0, 4.0, -2.0]);
        assert!(n[1].is_sign_negative());
    }

    #[test]
    fn float_comparisons_are_false_on_nan_except_ne() {
        let a = f32x4([f32::NAN, 1.0, -0.0, 2.0]);
        let b = f32x4([f32::NAN, 1.0, 0.0, 1.0]);
        assert_eq!(to_i32x4(binary(BinaryOp::F32x4Eq, a, b)), [0, -1, -1, 0]);
        assert_eq!(to_i32x4(binary(BinaryOp::F32x4Ne, a, b)), [-1, 0, 0, -1]);
        assert_eq!(to_i32x4(binary(BinaryOp::F32x4Ge, a, b)), [0, -1, -1, -1]);
        assert_eq!(
            to_i32x4(binary(BinaryOp::I32x4LtU, i32x4([-1, 0, 0, 0]), 0)),
            [0; 4]
        );
        assert_eq!(
            to_i32x4(binary(BinaryOp::I32x4LtS, i32x4([-1, 0, 0, 0]), 0)),
            [-1, 0, 0, 0]
        );
    }

    #[test]
    fn bitwise_ops() {
        let (a, b, c) = (0xAAAAu128, 0xFF00u128, 0x0FF0u128 | (1 << 127));
        assert_eq!(binary(BinaryOp::V128AndNot, a, b), 0x00AA);
        assert_eq!(unary(UnaryOp::V128Not, 0), u128::MAX);
        assert_eq!(ternary(TernaryOp::V128Bitselect, a, b, c), 0xFAA0);
        assert_eq!(ternary(TernaryOp::V128Bitselect, u128::MAX, 0, c), c);
    }

    #[test]
    fn loads_extend_splat_and_zero() {
        let bytes: [u8; 16] = array::from_fn(|i| 0xF0 + i as u8);
        assert_eq!(
            load_finish(LoadKind::V128, &bytes),
            u128::from_le_bytes(bytes)
        );
        let kinds = [
            LoadKind::V128,
            LoadKind::I8x8S,
            LoadKind::I16x4U,
            LoadKind::Splat8,
            LoadKind::Splat64,
            LoadKind::Zero32,
        ];
        assert_eq!(kinds.map(load_width), [16, 8, 8, 1, 8, 4]);
        assert_eq!(
            to_i16x8(load_finish(LoadKind::I8x8S, &bytes[..8])),
            [-16, -15, -14, -13, -12, -11, -10, -9]
        );
        assert_eq!(to_i16x8(load_finish(LoadKind::I8x8U, &bytes[..8]))[0], 0xF0);
        assert_eq!(
            load_finish(LoadKind::I32x2S, &bytes[..8]),
            build(2, |i| i64::from(i32::from_le_bytes(array::from_fn(|j| {
                bytes[4 * i as usize + j]
            }))))
        );
        assert_eq!(
            load_finish(LoadKind::Splat16, &[0x34, 0x12]),
            repeat(16, 0x1234)
        );
        assert_eq!(load_finish(LoadKind::Zero32, &bytes[..4]), 0xF3F2_F1F0);
        assert_eq!(
            load_finish(LoadKind::Zero64, &bytes[..8]),
            0xF7F6_F5F4_F3F2_F1F0
        );
    }

    fn memarg() -> MemArg {
        MemArg {
            align: 0,
            max_align: 0,
            offset: 0,
            target: MemArgTarget::Memory(0),
            ordering: None,
        }
    }

    /// Checks one operator from wasmparser's table: every fixed-width SIMD
    /// operator is classified, save the ones the caller handles itself.
    macro_rules! check_operator {
        (@simd $op:ident) => {{
            let simd = classify(&Operator::$op).expect(stringify!($op));
            // The variant mirrors the operator's name.
            let name = format!("{simd:?}");
            assert!(name.contains(concat!("(", stringify!($op), ")")), "{name}");
        }};
        (@simd $op:ident { lane }) => {{
            let simd = classify(&Operator::$op { lane: 3 }).expect(stringify!($op));
            assert!(format!("{simd:?}").contains(concat!("(", stringify!($op), ", 3)")));
        }};
        (@simd $op:ident { memarg }) => {{
            let op = Operator::$op { memarg: memarg() };
            assert_eq!(classify(&op), None);
            let is_store = matches!(op, Operator::V128Store { .. });
            assert_eq!(classify_load(&op).is_some(), !is_store, stringify!($op));
        }};
        (@simd $op:ident { memarg, lane }) => {{
            let op = Operator::$op {
                memarg: memarg(),
                lane: 0,
            };
            assert_eq!(classify(&op), None);
            assert_eq!(classify_load(&op), None);
        }};
        (@simd V128Const { value }) => {
            assert_eq!(
                classify(&Operator::V128Const {
                    value: 0u128.into()
                }),
                None
            );
        };
        (@simd I8x16Shuffle { lanes }) => {
            assert_eq!(classify(&Operator::I8x16Shuffle { lanes: [0; 16] }), None);
        };
        (@relaxed_simd $($rest:tt)*) => {};
    }

    macro_rules! check_operators {
        ($(@$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
            $(check_operator!(@$proposal $op $({ $($arg),* })?);)*
        };
    }

    #[test]
    fn classify_covers_every_simd_operator() {
        wasmparser::for_each_visit_simd_operator!(check_operators);
    }

    #[test]
    fn classify_ignores_non_simd_operators() {
        assert_eq!(classify(&Operator::I32Add), None);
        assert_eq!(classify_load(&Operator::I32Load { memarg: memarg() }), None);
    }

    #[test]
    fn operator_names_are_the_text_format() {
        assert_eq!(BinaryOp::I8x16AddSatS.name(), "i8x16.add_sat_s");
        assert_eq!(
            UnaryOp::I32x4TruncSatF64x2UZero.name(),
            "i32x4.trunc_sat_f64x2_u_zero"
        );
        assert_eq!(ExtractOp::I8x16ExtractLaneS.name(), "i8x16.extract_lane_s");
    }
}
