//! Script values: arguments to [`wedge::Val`]s, and matching results against expected
//! patterns (NaN patterns, v128 lanes, references).

use std::fmt::Write as _;
use wast::core::{AbstractHeapType, HeapType, NanPattern, V128Pattern, WastArgCore, WastRetCore};
use wast::token::{F32, F64};
use wast::{WastArg, WastRet};
use wedge::{ExternRef, Store, Val};

/// Why a value could not be handled: the directive is skipped, not failed.
#[derive(Debug)]
pub(crate) struct Unsupported(pub(crate) String);

/// The [`Val`] an argument stands for; `ref.extern N` becomes an [`ExternRef`] holding `N`
/// (a `u32`).
pub(crate) fn arg(store: &mut Store<()>, arg: &WastArg<'_>) -> Result<Val, Unsupported> {
    let WastArg::Core(core) = arg else {
        return Err(Unsupported("component-model argument".into()));
    };
    Ok(match core {
        WastArgCore::I32(v) => Val::I32(*v),
        WastArgCore::I64(v) => Val::I64(*v),
        WastArgCore::F32(v) => Val::F32(v.bits),
        WastArgCore::F64(v) => Val::F64(v.bits),
        WastArgCore::V128(v) => Val::V128(u128::from_le_bytes(v.to_le_bytes())),
        WastArgCore::RefNull(ty) => null_of(ty)?,
        WastArgCore::RefExtern(n) => Val::ExternRef(Some(ExternRef::new(&mut *store, *n))),
        WastArgCore::RefHost(_) => return Err(Unsupported("ref.host argument".into())),
    })
}

fn null_of(ty: &HeapType<'_>) -> Result<Val, Unsupported> {
    match ty {
        HeapType::Abstract {
            shared: false,
            ty: AbstractHeapType::Func | AbstractHeapType::NoFunc,
        } => Ok(Val::FuncRef(None)),
        HeapType::Abstract {
            shared: false,
            ty: AbstractHeapType::Extern | AbstractHeapType::NoExtern,
        } => Ok(Val::ExternRef(None)),
        other => Err(Unsupported(format!(
            "null reference of heap type {other:?}"
        ))),
    }
}

/// Checks `actual` against `expected`: `Ok(Ok(()))` if it matches, `Ok(Err(why))` if not.
pub(crate) fn check(
    store: &Store<()>,
    expected: &WastRet<'_>,
    actual: &Val,
) -> Result<Result<(), String>, Unsupported> {
    let WastRet::Core(expected) = expected else {
        return Err(Unsupported("component-model result".into()));
    };
    if matches(store, expected, actual)? {
        return Ok(Ok(()));
    }
    let got = match (expected, actual) {
        // Show a vector in the lane shape the script expects.
        (WastRetCore::V128(p), Val::V128(v)) => show_v128_as(p, *v),
        _ => show(store, actual),
    };
    Ok(Err(format!(
        "expected {}, got {got}",
        show_expected(expected)
    )))
}

fn matches(
    store: &Store<()>,
    expected: &WastRetCore<'_>,
    actual: &Val,
) -> Result<bool, Unsupported> {
    Ok(match (expected, actual) {
        (WastRetCore::I32(e), Val::I32(a)) => e == a,
        (WastRetCore::I64(e), Val::I64(a)) => e == a,
        (WastRetCore::F32(e), Val::F32(a)) => f32_matches(e, *a),
        (WastRetCore::F64(e), Val::F64(a)) => f64_matches(e, *a),
        (WastRetCore::V128(e), Val::V128(a)) => v128_matches(e, *a),
        (WastRetCore::RefNull(ty), actual) => {
            let is_null = matches!(actual, Val::FuncRef(None) | Val::ExternRef(None));
            match ty {
                None => is_null,
                Some(ty) => {
                    let want = null_of(ty)?;
                    is_null && want.ty() == actual.ty()
                }
            }
        }
        (WastRetCore::RefExtern(None), Val::ExternRef(r)) => r.is_some(),
        (WastRetCore::RefExtern(Some(n)), Val::ExternRef(Some(r))) => {
            r.data(store).downcast_ref::<u32>() == Some(n)
        }
        (WastRetCore::RefFunc(_), Val::FuncRef(r)) => r.is_some(),
        (WastRetCore::Either(cases), actual) => {
            for case in cases {
                if matches(store, case, actual)? {
                    return Ok(true);
                }
            }
            false
        }
        (
            WastRetCore::RefHost(_)
            | WastRetCore::RefAny
            | WastRetCore::RefEq
            | WastRetCore::RefArray
            | WastRetCore::RefStruct
            | WastRetCore::RefI31
            | WastRetCore::RefI31Shared,
            _,
        ) => {
            return Err(Unsupported(format!(
                "GC/host reference result {}",
                show_expected(expected)
            )));
        }
        _ => false,
    })
}

fn f32_matches(expected: &NanPattern<F32>, bits: u32) -> bool {
    match expected {
        // Canonical NaN: quiet bit only, either sign.
        NanPattern::CanonicalNan => bits & 0x7fff_ffff == 0x7fc0_0000,
        // Arithmetic NaN: exponent all ones, quiet bit set, any payload.
        NanPattern::ArithmeticNan => bits & 0x7fc0_0000 == 0x7fc0_0000,
        NanPattern::Value(v) => v.bits == bits,
    }
}

fn f64_matches(expected: &NanPattern<F64>, bits: u64) -> bool {
    match expected {
        NanPattern::CanonicalNan => bits & 0x7fff_ffff_ffff_ffff == 0x7ff8_0000_0000_0000,
        NanPattern::ArithmeticNan => bits & 0x7ff8_0000_0000_0000 == 0x7ff8_0000_0000_0000,
        NanPattern::Value(v) => v.bits == bits,
    }
}

fn v128_matches(expected: &V128Pattern, actual: u128) -> bool {
    let bytes = actual.to_le_bytes();
    match expected {
        V128Pattern::I8x16(e) => lanes::<1>(&bytes).zip(e).all(|(a, e)| a == [*e as u8]),
        V128Pattern::I16x8(e) => lanes::<2>(&bytes).zip(e).all(|(a, e)| a == e.to_le_bytes()),
        V128Pattern::I32x4(e) => lanes::<4>(&bytes).zip(e).all(|(a, e)| a == e.to_le_bytes()),
        V128Pattern::I64x2(e) => lanes::<8>(&bytes).zip(e).all(|(a, e)| a == e.to_le_bytes()),
        V128Pattern::F32x4(e) => lanes::<4>(&bytes)
            .zip(e)
            .all(|(a, e)| f32_matches(e, u32::from_le_bytes(a))),
        V128Pattern::F64x2(e) => lanes::<8>(&bytes)
            .zip(e)
            .all(|(a, e)| f64_matches(e, u64::from_le_bytes(a))),
    }
}

/// The lanes of a v128, `N` bytes each, lowest first.
fn lanes<const N: usize>(bytes: &[u8; 16]) -> impl Iterator<Item = [u8; N]> + '_ {
    bytes.chunks_exact(N).map(|c| {
        let mut lane = [0; N];
        lane.copy_from_slice(c);
        lane
    })
}

/// An actual value, for messages.
pub(crate) fn show(store: &Store<()>, val: &Val) -> String {
    match val {
        Val::I32(v) => format!("i32:{v} ({:#x})", *v as u32),
        Val::I64(v) => format!("i64:{v} ({:#x})", *v as u64),
        Val::F32(bits) => format!("f32:{} ({bits:#010x})", f32::from_bits(*bits)),
        Val::F64(bits) => format!("f64:{} ({bits:#018x})", f64::from_bits(*bits)),
        Val::V128(v) => {
            let mut s = String::from("v128:i32x4");
            for lane in lanes::<4>(&v.to_le_bytes()) {
                let _ = write!(s, " {:#010x}", u32::from_le_bytes(lane));
            }
            s
        }
        Val::FuncRef(None) => "ref.null func".into(),
        Val::FuncRef(Some(_)) => "ref.func".into(),
        Val::ExternRef(None) => "ref.null extern".into(),
        Val::ExternRef(Some(r)) => match r.data(store).downcast_ref::<u32>() {
            Some(n) => format!("ref.extern {n}"),
            None => "ref.extern (host value)".into(),
        },
    }
}

/// A v128 in the lane shape of `pattern`.
fn show_v128_as(pattern: &V128Pattern, v: u128) -> String {
    fn join(items: impl Iterator<Item = String>) -> String {
        items.collect::<Vec<_>>().join(" ")
    }
    let b = v.to_le_bytes();
    match pattern {
        V128Pattern::I8x16(_) => format!(
            "v128:i8x16 {}",
            join(lanes::<1>(&b).map(|l| format!("{:#04x}", l[0])))
        ),
        V128Pattern::I16x8(_) => {
            format!(
                "v128:i16x8 {}",
                join(lanes::<2>(&b).map(|l| format!("{:#06x}", u16::from_le_bytes(l))))
            )
        }
        V128Pattern::I32x4(_) => {
            format!(
                "v128:i32x4 {}",
                join(lanes::<4>(&b).map(|l| format!("{:#010x}", u32::from_le_bytes(l))))
            )
        }
        V128Pattern::I64x2(_) => {
            format!(
                "v128:i64x2 {}",
                join(lanes::<8>(&b).map(|l| format!("{:#018x}", u64::from_le_bytes(l))))
            )
        }
        V128Pattern::F32x4(_) => format!(
            "v128:f32x4 {}",
            join(lanes::<4>(&b).map(|l| show_f32(&F32 {
                bits: u32::from_le_bytes(l)
            })))
        ),
        V128Pattern::F64x2(_) => format!(
            "v128:f64x2 {}",
            join(lanes::<8>(&b).map(|l| show_f64(&F64 {
                bits: u64::from_le_bytes(l)
            })))
        ),
    }
}

fn show_nan<T>(p: &NanPattern<T>, value: impl Fn(&T) -> String) -> String {
    match p {
        NanPattern::CanonicalNan => "nan:canonical".into(),
        NanPattern::ArithmeticNan => "nan:arithmetic".into(),
        NanPattern::Value(v) => value(v),
    }
}

fn show_f32(v: &F32) -> String {
    format!("{} ({:#010x})", f32::from_bits(v.bits), v.bits)
}

fn show_f64(v: &F64) -> String {
    format!("{} ({:#018x})", f64::from_bits(v.bits), v.bits)
}

/// An expected pattern, for messages.
fn show_expected(e: &WastRetCore<'_>) -> String {
    fn list<T>(items: &[T], f: impl Fn(&T) -> String) -> String {
        items.iter().map(f).collect::<Vec<_>>().join(" ")
    }
    match e {
        WastRetCore::I32(v) => format!("i32:{v} ({:#x})", *v as u32),
        WastRetCore::I64(v) => format!("i64:{v} ({:#x})", *v as u64),
        WastRetCore::F32(p) => format!("f32:{}", show_nan(p, show_f32)),
        WastRetCore::F64(p) => format!("f64:{}", show_nan(p, show_f64)),
        WastRetCore::V128(p) => match p {
            V128Pattern::I8x16(l) => {
                format!("v128:i8x16 {}", list(l, |v| format!("{:#04x}", *v as u8)))
            }
            V128Pattern::I16x8(l) => {
                format!("v128:i16x8 {}", list(l, |v| format!("{:#06x}", *v as u16)))
            }
            V128Pattern::I32x4(l) => {
                format!("v128:i32x4 {}", list(l, |v| format!("{:#010x}", *v as u32)))
            }
            V128Pattern::I64x2(l) => {
                format!("v128:i64x2 {}", list(l, |v| format!("{:#018x}", *v as u64)))
            }
            V128Pattern::F32x4(l) => format!("v128:f32x4 {}", list(l, |p| show_nan(p, show_f32))),
            V128Pattern::F64x2(l) => format!("v128:f64x2 {}", list(l, |p| show_nan(p, show_f64))),
        },
        WastRetCore::RefNull(None) => "ref.null".into(),
        WastRetCore::RefNull(Some(ty)) => format!("ref.null {ty:?}"),
        WastRetCore::RefExtern(None) => "ref.extern".into(),
        WastRetCore::RefExtern(Some(n)) => format!("ref.extern {n}"),
        WastRetCore::RefHost(n) => format!("ref.host {n}"),
        WastRetCore::RefFunc(_) => "ref.func".into(),
        WastRetCore::RefAny => "ref.any".into(),
        WastRetCore::RefEq => "ref.eq".into(),
        WastRetCore::RefArray => "ref.array".into(),
        WastRetCore::RefStruct => "ref.struct".into(),
        WastRetCore::RefI31 => "ref.i31".into(),
        WastRetCore::RefI31Shared => "ref.i31_shared".into(),
        WastRetCore::Either(cases) => format!("either({})", list(cases, show_expected)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_and_arithmetic_nans_are_told_apart() {
        assert!(f32_matches(&NanPattern::CanonicalNan, 0x7fc0_0000));
        assert!(f32_matches(&NanPattern::CanonicalNan, 0xffc0_0000));
        assert!(!f32_matches(&NanPattern::CanonicalNan, 0x7fc0_0001));
        assert!(f32_matches(&NanPattern::ArithmeticNan, 0x7fc0_0001));
        assert!(
            !f32_matches(&NanPattern::ArithmeticNan, 0x7fa0_0000),
            "signalling NaN"
        );
        assert!(
            !f32_matches(&NanPattern::ArithmeticNan, 0x7f80_0000),
            "infinity"
        );
        assert!(f64_matches(
            &NanPattern::CanonicalNan,
            0xfff8_0000_0000_0000
        ));
        assert!(!f64_matches(
            &NanPattern::CanonicalNan,
            0x7ff8_0000_0000_0001
        ));
        assert!(f64_matches(
            &NanPattern::ArithmeticNan,
            0x7ff8_0000_0000_0001
        ));
        assert!(!f64_matches(
            &NanPattern::ArithmeticNan,
            0x7ff4_0000_0000_0000
        ));
    }

    #[test]
    fn v128_lanes_compare_little_endian() {
        let v = u128::from_le_bytes([1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
        assert!(v128_matches(&V128Pattern::I32x4([1, 2, 3, -1]), v));
        assert!(!v128_matches(&V128Pattern::I32x4([1, 2, 3, 4]), v));
        assert!(v128_matches(
            &V128Pattern::I16x8([1, 0, 2, 0, 3, 0, -1, -1]),
            v
        ));
        let nan_lane = u128::from(0x7fc0_0000u32) << 32;
        let pattern = [
            NanPattern::Value(F32 { bits: 0 }),
            NanPattern::CanonicalNan,
            NanPattern::Value(F32 { bits: 0 }),
            NanPattern::Value(F32 { bits: 0 }),
        ];
        assert!(v128_matches(&V128Pattern::F32x4(pattern), nan_lane));
    }
}
