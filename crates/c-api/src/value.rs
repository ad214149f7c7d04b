//! Value types and values (`wasmedge_value.h`).

use crate::abi::{WasmEdge_ValType, WasmEdge_Value};
use crate::ffi::guard;
use crate::instance::WasmEdge_FunctionInstanceContext;
use core::ffi::c_void;
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

/// A reference `WasmEdge_Value`: the reference's type in the first 8 bytes of `Value`, the
/// pointer in the last 8 (0 for null), as WasmEdge's `RefVariant` lays them out.
pub(crate) fn ref_value(ty: WasmEdge_ValType, ptr: usize) -> WasmEdge_Value {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&ty.Data);
    bytes[8..].copy_from_slice(&(ptr as u64).to_ne_bytes());
    WasmEdge_Value {
        Value: u128::from_ne_bytes(bytes),
        Type: ty,
    }
}

/// The pointer a reference `WasmEdge_Value` holds (0 for null).
pub(crate) fn ref_ptr(value: &WasmEdge_Value) -> usize {
    let bytes = value.Value.to_ne_bytes();
    let mut ptr = [0u8; 8];
    ptr.copy_from_slice(&bytes[8..]);
    u64::from_ne_bytes(ptr) as usize
}

// >>>>>>>> Value types >>>>>>>>

/// `WasmEdge_ValTypeGenI32`.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValTypeGenI32() -> WasmEdge_ValType {
    guard(make_valtype(0, 0), || valtype_to_c(ValType::I32))
}

/// `WasmEdge_ValTypeGenI64`.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValTypeGenI64() -> WasmEdge_ValType {
    guard(make_valtype(0, 0), || valtype_to_c(ValType::I64))
}

/// `WasmEdge_ValTypeGenF32`.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValTypeGenF32() -> WasmEdge_ValType {
    guard(make_valtype(0, 0), || valtype_to_c(ValType::F32))
}

/// `WasmEdge_ValTypeGenF64`.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValTypeGenF64() -> WasmEdge_ValType {
    guard(make_valtype(0, 0), || valtype_to_c(ValType::F64))
}

/// `WasmEdge_ValTypeGenV128`.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValTypeGenV128() -> WasmEdge_ValType {
    guard(make_valtype(0, 0), || valtype_to_c(ValType::V128))
}

/// `WasmEdge_ValTypeGenFuncRef`: `(ref null func)`.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValTypeGenFuncRef() -> WasmEdge_ValType {
    guard(make_valtype(0, 0), || valtype_to_c(ValType::FuncRef))
}

/// `WasmEdge_ValTypeGenExternRef`: `(ref null extern)`.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValTypeGenExternRef() -> WasmEdge_ValType {
    guard(make_valtype(0, 0), || valtype_to_c(ValType::ExternRef))
}

/// `WasmEdge_ValTypeIsEqual`: same type code, heap type code and type index (bytes 2–7; the
/// padding and externalize bytes are ignored, as in WasmEdge).
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValTypeIsEqual(
    ValType1: WasmEdge_ValType,
    ValType2: WasmEdge_ValType,
) -> bool {
    guard(false, || ValType1.Data[2..] == ValType2.Data[2..])
}

/// `WasmEdge_ValTypeIsI32`.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValTypeIsI32(ValType: WasmEdge_ValType) -> bool {
    guard(false, || ValType.Data[2] == tc::I32)
}

/// `WasmEdge_ValTypeIsI64`.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValTypeIsI64(ValType: WasmEdge_ValType) -> bool {
    guard(false, || ValType.Data[2] == tc::I64)
}

/// `WasmEdge_ValTypeIsF32`.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValTypeIsF32(ValType: WasmEdge_ValType) -> bool {
    guard(false, || ValType.Data[2] == tc::F32)
}

/// `WasmEdge_ValTypeIsF64`.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValTypeIsF64(ValType: WasmEdge_ValType) -> bool {
    guard(false, || ValType.Data[2] == tc::F64)
}

/// `WasmEdge_ValTypeIsV128`.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValTypeIsV128(ValType: WasmEdge_ValType) -> bool {
    guard(false, || ValType.Data[2] == tc::V128)
}

/// `WasmEdge_ValTypeIsFuncRef`: the heap type is `func`, `nofunc` or a type index (WasmEdge
/// looks at the heap type byte only).
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValTypeIsFuncRef(ValType: WasmEdge_ValType) -> bool {
    guard(false, || {
        matches!(
            ValType.Data[3],
            tc::FUNC_REF | tc::NULL_FUNC | tc::TYPE_INDEX
        )
    })
}

/// `WasmEdge_ValTypeIsExternRef`: the heap type is `extern` or `noextern`, or the type is
/// externalized.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValTypeIsExternRef(ValType: WasmEdge_ValType) -> bool {
    guard(false, || {
        matches!(ValType.Data[3], tc::EXTERN_REF | tc::NULL_EXTERN) || ValType.Data[1] != 0
    })
}

/// `WasmEdge_ValTypeIsRef`: a `ref` or `ref null` type.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValTypeIsRef(ValType: WasmEdge_ValType) -> bool {
    guard(false, || matches!(ValType.Data[2], tc::REF | tc::REF_NULL))
}

/// `WasmEdge_ValTypeIsRefNull`: a `ref null` type.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValTypeIsRefNull(ValType: WasmEdge_ValType) -> bool {
    guard(false, || ValType.Data[2] == tc::REF_NULL)
}

// >>>>>>>> Values >>>>>>>>

/// `WasmEdge_ValueGenI32`: the value zero-extended into the low 32 bits.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValueGenI32(Val: i32) -> WasmEdge_Value {
    guard(num_value(0, ValType::I32), || {
        num_value((Val as u32).into(), ValType::I32)
    })
}

/// `WasmEdge_ValueGenI64`: the value zero-extended into the low 64 bits.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValueGenI64(Val: i64) -> WasmEdge_Value {
    guard(num_value(0, ValType::I32), || {
        num_value((Val as u64).into(), ValType::I64)
    })
}

/// `WasmEdge_ValueGenF32`: the float's bit pattern in the low 32 bits.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValueGenF32(Val: f32) -> WasmEdge_Value {
    guard(num_value(0, ValType::I32), || {
        num_value(Val.to_bits().into(), ValType::F32)
    })
}

/// `WasmEdge_ValueGenF64`: the float's bit pattern in the low 64 bits.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValueGenF64(Val: f64) -> WasmEdge_Value {
    guard(num_value(0, ValType::I32), || {
        num_value(Val.to_bits().into(), ValType::F64)
    })
}

/// `WasmEdge_ValueGenV128`.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValueGenV128(Val: i128) -> WasmEdge_Value {
    guard(num_value(0, ValType::I32), || {
        num_value(Val as u128, ValType::V128)
    })
}

/// `WasmEdge_ValueGenExternRef`: an `externref` holding `Ref` (NULL gives the null reference).
///
/// # Safety
/// Always safe to call; the pointer is stored, never dereferenced.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValueGenExternRef(Ref: *mut c_void) -> WasmEdge_Value {
    guard(num_value(0, ValType::I32), || {
        ref_value(valtype_to_c(ValType::ExternRef), Ref.expose_provenance())
    })
}

/// `WasmEdge_ValueGenFuncRef`: a `funcref` holding the function instance `Cxt` (NULL gives the
/// null reference).
///
/// # Safety
/// Always safe to call; the pointer is stored, not dereferenced. It must be NULL or a live
/// function instance by the time the value is passed back to the API.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValueGenFuncRef(
    Cxt: *const WasmEdge_FunctionInstanceContext,
) -> WasmEdge_Value {
    guard(num_value(0, ValType::I32), || {
        ref_value(valtype_to_c(ValType::FuncRef), Cxt.expose_provenance())
    })
}

/// `WasmEdge_ValueGetI32`: the low 32 bits.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValueGetI32(Val: WasmEdge_Value) -> i32 {
    guard(0, || Val.Value as u32 as i32)
}

/// `WasmEdge_ValueGetI64`: the low 64 bits.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValueGetI64(Val: WasmEdge_Value) -> i64 {
    guard(0, || Val.Value as u64 as i64)
}

/// `WasmEdge_ValueGetF32`: the float whose bits are the low 32 bits.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValueGetF32(Val: WasmEdge_Value) -> f32 {
    guard(0.0, || f32::from_bits(Val.Value as u32))
}

/// `WasmEdge_ValueGetF64`: the float whose bits are the low 64 bits.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValueGetF64(Val: WasmEdge_Value) -> f64 {
    guard(0.0, || f64::from_bits(Val.Value as u64))
}

/// `WasmEdge_ValueGetV128`: all 128 bits.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValueGetV128(Val: WasmEdge_Value) -> i128 {
    guard(0, || Val.Value as i128)
}

/// `WasmEdge_ValueIsNullRef`: whether the reference's pointer (the high 8 bytes) is 0.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValueIsNullRef(Val: WasmEdge_Value) -> bool {
    guard(false, || ref_ptr(&Val) == 0)
}

/// `WasmEdge_ValueGetFuncRef`: the function instance a `funcref` holds (NULL for null).
///
/// # Safety
/// Always safe to call; the result is the pointer the value was made with.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValueGetFuncRef(
    Val: WasmEdge_Value,
) -> *const WasmEdge_FunctionInstanceContext {
    guard(std::ptr::null(), || {
        std::ptr::with_exposed_provenance(ref_ptr(&Val))
    })
}

/// `WasmEdge_ValueGetExternRef`: the pointer an `externref` holds (NULL for null).
///
/// # Safety
/// Always safe to call; the result is whatever pointer the host stored.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ValueGetExternRef(Val: WasmEdge_Value) -> *mut c_void {
    guard(std::ptr::null_mut(), || {
        std::ptr::with_exposed_provenance_mut(ref_ptr(&Val))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_types_round_trip_through_wedge_types() {
        // SAFETY: pure functions.
        let gens = unsafe {
            [
                (WasmEdge_ValTypeGenI32(), ValType::I32),
                (WasmEdge_ValTypeGenI64(), ValType::I64),
                (WasmEdge_ValTypeGenF32(), ValType::F32),
                (WasmEdge_ValTypeGenF64(), ValType::F64),
                (WasmEdge_ValTypeGenV128(), ValType::V128),
                (WasmEdge_ValTypeGenFuncRef(), ValType::FuncRef),
                (WasmEdge_ValTypeGenExternRef(), ValType::ExternRef),
            ]
        };
        for (c, ty) in gens {
            assert_eq!(valtype_from_c(c), Some(ty));
            // SAFETY: pure function.
            assert!(unsafe { WasmEdge_ValTypeIsEqual(c, valtype_to_c(ty)) });
        }
        assert_eq!(gens[0].0.Data, [0, 0, 0x7F, 0x40, 0, 0, 0, 0]);
        assert_eq!(gens[5].0.Data, [0, 0, 0x63, 0x70, 0, 0, 0, 0]);
        assert_eq!(gens[6].0.Data, [0, 0, 0x63, 0x6F, 0, 0, 0, 0]);
    }

    #[test]
    fn predicates_recognise_each_generated_type() {
        type Pred = unsafe extern "C" fn(WasmEdge_ValType) -> bool;
        let preds: [Pred; 7] = [
            WasmEdge_ValTypeIsI32,
            WasmEdge_ValTypeIsI64,
            WasmEdge_ValTypeIsF32,
            WasmEdge_ValTypeIsF64,
            WasmEdge_ValTypeIsV128,
            WasmEdge_ValTypeIsFuncRef,
            WasmEdge_ValTypeIsExternRef,
        ];
        let types = [
            ValType::I32,
            ValType::I64,
            ValType::F32,
            ValType::F64,
            ValType::V128,
            ValType::FuncRef,
            ValType::ExternRef,
        ];
        for (i, ty) in types.into_iter().enumerate() {
            let c = valtype_to_c(ty);
            for (j, pred) in preds.iter().enumerate() {
                // SAFETY: pure function.
                assert_eq!(unsafe { pred(c) }, i == j, "{ty} against predicate {j}");
            }
            // SAFETY: pure functions.
            unsafe {
                assert_eq!(WasmEdge_ValTypeIsRef(c), ty.is_ref());
                assert_eq!(WasmEdge_ValTypeIsRefNull(c), ty.is_ref());
            }
        }
    }

    #[test]
    fn reference_predicates_follow_the_heap_type_and_nullability() {
        let non_null_func = make_valtype(tc::REF, tc::FUNC_REF);
        let typed = make_valtype(tc::REF_NULL, tc::TYPE_INDEX);
        let mut externalized = make_valtype(tc::REF_NULL, 0x6E);
        externalized.Data[1] = 1;
        // SAFETY: pure functions.
        unsafe {
            assert!(WasmEdge_ValTypeIsRef(non_null_func));
            assert!(!WasmEdge_ValTypeIsRefNull(non_null_func));
            assert!(WasmEdge_ValTypeIsFuncRef(non_null_func));
            assert!(WasmEdge_ValTypeIsFuncRef(typed));
            assert!(WasmEdge_ValTypeIsExternRef(externalized));
            assert!(!WasmEdge_ValTypeIsFuncRef(externalized));
        }
    }

    #[test]
    fn type_equality_ignores_padding_and_externalize_bytes() {
        let mut a = valtype_to_c(ValType::ExternRef);
        a.Data[0] = 0xAA;
        a.Data[1] = 1;
        let mut indexed = make_valtype(tc::REF_NULL, tc::TYPE_INDEX);
        indexed.Data[4] = 3;
        // SAFETY: pure functions.
        unsafe {
            assert!(WasmEdge_ValTypeIsEqual(a, WasmEdge_ValTypeGenExternRef()));
            assert!(!WasmEdge_ValTypeIsEqual(a, WasmEdge_ValTypeGenFuncRef()));
            assert!(!WasmEdge_ValTypeIsEqual(
                indexed,
                make_valtype(tc::REF_NULL, tc::TYPE_INDEX)
            ));
        }
    }

    #[test]
    fn integers_are_zero_extended_and_read_back_signed() {
        // SAFETY: pure functions.
        unsafe {
            let v = WasmEdge_ValueGenI32(-1);
            assert_eq!(v.Value, 0xFFFF_FFFF);
            assert!(WasmEdge_ValTypeIsI32(v.Type));
            assert_eq!(WasmEdge_ValueGetI32(v), -1);
            let w = WasmEdge_ValueGenI64(i64::MIN);
            assert_eq!(w.Value, 1 << 63);
            assert_eq!(WasmEdge_ValueGetI64(w), i64::MIN);
            // Bits above the type's width are ignored on read.
            let dirty = num_value(0xDEAD_0000_0000_0000_0005, ValType::I32);
            assert_eq!(WasmEdge_ValueGetI32(dirty), 5);
        }
    }

    #[test]
    fn floats_are_stored_as_bit_patterns() {
        let nan = f32::from_bits(0x7FC0_1234);
        // SAFETY: pure functions.
        unsafe {
            let v = WasmEdge_ValueGenF32(nan);
            assert_eq!(v.Value, 0x7FC0_1234);
            assert_eq!(WasmEdge_ValueGetF32(v).to_bits(), 0x7FC0_1234);
            let d = WasmEdge_ValueGenF64(-0.0);
            assert_eq!(d.Value, 1 << 63);
            assert_eq!(WasmEdge_ValueGetF64(d).to_bits(), (-0.0f64).to_bits());
            assert!(WasmEdge_ValTypeIsF64(d.Type));
            let x = WasmEdge_ValueGenV128(-2);
            assert_eq!(x.Value, u128::MAX - 1);
            assert_eq!(WasmEdge_ValueGetV128(x), -2);
        }
    }

    #[test]
    fn extern_refs_hold_the_pointer_and_their_type() {
        let mut target = 7u32;
        let p: *mut c_void = (&raw mut target).cast();
        // SAFETY: the pointer is stored, never dereferenced by the API.
        unsafe {
            let v = WasmEdge_ValueGenExternRef(p);
            assert!(WasmEdge_ValTypeIsExternRef(v.Type));
            assert!(!WasmEdge_ValueIsNullRef(v));
            assert_eq!(WasmEdge_ValueGetExternRef(v), p);
            assert_eq!(v.Value as u64, u64::from_ne_bytes(v.Type.Data));
            let null = WasmEdge_ValueGenExternRef(std::ptr::null_mut());
            assert!(WasmEdge_ValueIsNullRef(null));
            assert!(WasmEdge_ValueGetExternRef(null).is_null());
            assert!(WasmEdge_ValTypeIsRefNull(null.Type));
        }
    }

    #[test]
    fn func_refs_hold_the_instance_pointer() {
        let p = std::ptr::dangling::<WasmEdge_FunctionInstanceContext>();
        // SAFETY: the pointer is stored, never dereferenced by these functions.
        unsafe {
            let v = WasmEdge_ValueGenFuncRef(p);
            assert!(WasmEdge_ValTypeIsFuncRef(v.Type));
            assert!(WasmEdge_ValTypeIsRefNull(v.Type));
            assert!(!WasmEdge_ValueIsNullRef(v));
            assert_eq!(WasmEdge_ValueGetFuncRef(v), p);
            assert_eq!(v.Value as u64, u64::from_ne_bytes(v.Type.Data));
            let null = WasmEdge_ValueGenFuncRef(std::ptr::null());
            assert!(WasmEdge_ValueIsNullRef(null));
            assert!(WasmEdge_ValueGetFuncRef(null).is_null());
        }
    }
}
