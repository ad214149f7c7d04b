//! Value types and values (`wasmedge_value.h`).

use crate::abi::{WasmEdge_ValType, WasmEdge_Value};
use wedge::ValType;

/// Type codes (byte 2 of a `WasmEdge_ValType`, and byte 3 for the heap type).
pub(crate) mod tc {
    pub const I32: u8 = 0x7F;
    pub const I64: u8 = 0x7E;
    pub const F32: u8 = 0x7D;
    pub const F64: u8 = 0x7C;
    pub const V128: u8 = 0x7B;
    pub const NULL_FUNC: u8 = 0x73;
    pub const NULL_EXTERN: u8 = 0x72;
    pub const FUNC_REF: u8 = 0x70;
    pub const EXTERN_REF: u8 = 0x6F;
    pub const REF: u8 = 0x64;
    pub const REF_NULL: u8 = 0x63;
    pub const EPSILON: u8 = 0x40;
    pub const TYPE_INDEX: u8 = 0x00;
}

/// A `WasmEdge_ValType` with type code `code` and heap type `heap` (index 0).
pub(crate) const fn make_valtype(code: u8, heap: u8) -> WasmEdge_ValType {
    WasmEdge_ValType {
        Data: [0, 0, code, heap, 0, 0, 0, 0],
    }
}

/// The C encoding of a Wedge value type, as WasmEdge's `ValTypeGen*` produce it.
pub(crate) fn valtype_to_c(ty: ValType) -> WasmEdge_ValType {
    match ty {
        ValType::I32 => make_valtype(tc::I32, tc::EPSILON),
        ValType::I64 => make_valtype(tc::I64, tc::EPSILON),
        ValType::F32 => make_valtype(tc::F32, tc::EPSILON),
        ValType::F64 => make_valtype(tc::F64, tc::EPSILON),
        ValType::V128 => make_valtype(tc::V128, tc::EPSILON),
        ValType::FuncRef => make_valtype(tc::REF_NULL, tc::FUNC_REF),
        ValType::ExternRef => make_valtype(tc::REF_NULL, tc::EXTERN_REF),
    }
}

/// The Wedge value type a C type denotes, or None for one Wedge cannot represent (typed or
/// non-null references, GC types).
pub(crate) fn valtype_from_c(ty: WasmEdge_ValType) -> Option<ValType> {
    let [_, externalize, code, heap, ..] = ty.Data;
    Some(match code {
        tc::I32 => ValType::I32,
        tc::I64 => ValType::I64,
        tc::F32 => ValType::F32,
        tc::F64 => ValType::F64,
        tc::V128 => ValType::V128,
        tc::REF_NULL | tc::REF if externalize != 0 => ValType::ExternRef,
        tc::REF_NULL | tc::REF => match heap {
            tc::FUNC_REF | tc::NULL_FUNC => ValType::FuncRef,
            tc::EXTERN_REF | tc::NULL_EXTERN => ValType::ExternRef,
            _ => return None,
        },
        // WasmEdge's old single-byte codes for the reference types.
        tc::FUNC_REF => ValType::FuncRef,
        tc::EXTERN_REF => ValType::ExternRef,
        _ => return None,
    })
}

/// A numeric or vector `WasmEdge_Value` from raw bits (the unused high bits must be zero).
pub(crate) fn num_value(bits: u128, ty: ValType) -> WasmEdge_Value {
    WasmEdge_Value {
        Value: bits,
        Type: valtype_to_c(ty),
    }
}
