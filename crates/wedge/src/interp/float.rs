//! Scalar floating-point operators whose WebAssembly semantics differ from
//! Rust's: `min`/`max`, `nearest`, and the trapping float-to-integer
//! truncations.
//!
//! Everything else (arithmetic, `abs`, `neg`, `copysign`, `ceil`, `floor`,
//! `trunc`, `sqrt`, the saturating truncations, which are Rust's `as` casts)
//! already matches the specification and needs no helper.

use wedge_environ::TrapCode;

macro_rules! min_max {
    ($t:ty, $min:ident, $max:ident) => {
        #[doc = concat!("`", stringify!($t), ".min`: NaN if either operand is NaN, and `-0 < +0`.")]
        pub fn $min(a: $t, b: $t) -> $t {
            if a.is_nan() || b.is_nan() {
                // Arithmetic on a NaN yields a quiet NaN, as the spec requires.
                a + b
            } else if a == b {
                // Equal, or `+0` and `-0`: the result is negative if either is.
                <$t>::from_bits(a.to_bits() | b.to_bits())
            } else {
                a.min(b)
            }
        }

        #[doc = concat!("`", stringify!($t), ".max`: NaN if either operand is NaN, and `-0 < +0`.")]
        pub fn $max(a: $t, b: $t) -> $t {
            if a.is_nan() || b.is_nan() {
                a + b
            } else if a == b {
                // Equal, or `+0` and `-0`: the result is positive if either is.
                <$t>::from_bits(a.to_bits() & b.to_bits())
            } else {
                a.max(b)
            }
        }
    };
}

min_max!(f32, f32_min, f32_max);
min_max!(f64, f64_min, f64_max);

/// Defines a rounding operator that, as the spec requires, returns a quiet NaN for a NaN input
/// (the library rounding functions return a signalling NaN unchanged).
macro_rules! rounding {
    ($($name:ident: $t:ty => $f:expr, $what:literal;)*) => {$(
        #[doc = $what]
        pub fn $name(x: $t) -> $t {
            if x.is_nan() { x + x } else { $f(x) }
        }
    )*};
}

rounding! {
    f32_nearest: f32 => f32::round_ties_even, "`f32.nearest`: round to nearest, ties to even.";
    f64_nearest: f64 => f64::round_ties_even, "`f64.nearest`: round to nearest, ties to even.";
    f32_ceil: f32 => f32::ceil, "`f32.ceil`.";
    f64_ceil: f64 => f64::ceil, "`f64.ceil`.";
    f32_floor: f32 => f32::floor, "`f32.floor`.";
    f64_floor: f64 => f64::floor, "`f64.floor`.";
    f32_trunc: f32 => f32::trunc, "`f32.trunc`.";
    f64_trunc: f64 => f64::trunc, "`f64.trunc`.";
}

/// Truncates `x` toward zero and checks that the result lies in `[lo, hi)`.
///
/// Both bounds are powers of two (or zero), so they are exact in `f64`, and
/// every `f32` converts to `f64` exactly: one check serves both source types.
fn truncate(x: f64, lo: f64, hi: f64) -> Result<f64, TrapCode> {
    if x.is_nan() {
        return Err(TrapCode::InvalidConversionToInteger);
    }
    let t = x.trunc();
    if t >= lo && t < hi {
        Ok(t)
    } else {
        Err(TrapCode::IntegerOverflow)
    }
}

const TWO_31: f64 = 2147483648.0;
const TWO_32: f64 = 4294967296.0;
const TWO_63: f64 = 9223372036854775808.0;
const TWO_64: f64 = 18446744073709551616.0;

/// `i32.trunc_f32_s`.
pub fn i32_trunc_f32_s(x: f32) -> Result<i32, TrapCode> {
    truncate(f64::from(x), -TWO_31, TWO_31).map(|t| t as i32)
}

/// `i32.trunc_f32_u`.
pub fn i32_trunc_f32_u(x: f32) -> Result<u32, TrapCode> {
    truncate(f64::from(x), 0.0, TWO_32).map(|t| t as u32)
}

/// `i32.trunc_f64_s`.
pub fn i32_trunc_f64_s(x: f64) -> Result<i32, TrapCode> {
    truncate(x, -TWO_31, TWO_31).map(|t| t as i32)
}

/// `i32.trunc_f64_u`.
pub fn i32_trunc_f64_u(x: f64) -> Result<u32, TrapCode> {
    truncate(x, 0.0, TWO_32).map(|t| t as u32)
}

/// `i64.trunc_f32_s`.
pub fn i64_trunc_f32_s(x: f32) -> Result<i64, TrapCode> {
    truncate(f64::from(x), -TWO_63, TWO_63).map(|t| t as i64)
}

/// `i64.trunc_f32_u`.
pub fn i64_trunc_f32_u(x: f32) -> Result<u64, TrapCode> {
    truncate(f64::from(x), 0.0, TWO_64).map(|t| t as u64)
}

/// `i64.trunc_f64_s`.
pub fn i64_trunc_f64_s(x: f64) -> Result<i64, TrapCode> {
    truncate(x, -TWO_63, TWO_63).map(|t| t as i64)
}

/// `i64.trunc_f64_u`.
pub fn i64_trunc_f64_u(x: f64) -> Result<u64, TrapCode> {
    truncate(x, 0.0, TWO_64).map(|t| t as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OVERFLOW: TrapCode = TrapCode::IntegerOverflow;
    const INVALID: TrapCode = TrapCode::InvalidConversionToInteger;

    fn is_neg_zero32(x: f32) -> bool {
        x == 0.0 && x.is_sign_negative()
    }

    fn is_pos_zero64(x: f64) -> bool {
        x == 0.0 && x.is_sign_positive()
    }

    #[test]
    fn min_max_order_negative_zero_below_positive_zero() {
        assert!(is_neg_zero32(f32_min(0.0, -0.0)));
        assert!(is_neg_zero32(f32_min(-0.0, 0.0)));
        assert!(f32_max(-0.0, 0.0).is_sign_positive());
        assert!(f32_max(0.0, -0.0).is_sign_positive());
        assert!(f64_min(-0.0, 0.0).is_sign_negative());
        assert!(is_pos_zero64(f64_max(-0.0, 0.0)));
        assert!(is_pos_zero64(f64_max(0.0, -0.0)));
        assert!(f64_min(-0.0, -0.0).is_sign_negative());
    }

    #[test]
    fn min_max_propagate_nan_from_either_side() {
        assert!(f32_min(f32::NAN, 1.0).is_nan());
        assert!(f32_min(1.0, f32::NAN).is_nan());
        assert!(f32_max(f32::NAN, f32::INFINITY).is_nan());
        assert!(f32_max(f32::NEG_INFINITY, f32::NAN).is_nan());
        assert!(f64_min(-f64::NAN, 0.0).is_nan());
        assert!(f64_max(0.0, f64::NAN).is_nan());
    }

    #[test]
    fn min_max_of_ordinary_values() {
        assert_eq!(f32_min(1.5, -2.0), -2.0);
        assert_eq!(f32_max(1.5, -2.0), 1.5);
        assert_eq!(f64_min(f64::NEG_INFINITY, 3.0), f64::NEG_INFINITY);
        assert_eq!(f64_max(f64::INFINITY, 3.0), f64::INFINITY);
        assert_eq!(f64_max(7.0, 7.0), 7.0);
    }

    #[test]
    fn nearest_rounds_ties_to_even_and_keeps_zero_sign() {
        assert_eq!(f32_nearest(0.5), 0.0);
        assert_eq!(f32_nearest(1.5), 2.0);
        assert_eq!(f32_nearest(2.5), 2.0);
        assert_eq!(f32_nearest(-3.5), -4.0);
        assert!(is_neg_zero32(f32_nearest(-0.5)));
        assert!(is_neg_zero32(f32_nearest(-0.0)));
        assert_eq!(f64_nearest(4503599627370495.5), 4503599627370496.0);
        assert!(f64_nearest(-0.4).is_sign_negative());
        assert!(f64_nearest(f64::NAN).is_nan());
    }

    #[test]
    fn trunc_nan_is_invalid_conversion() {
        assert_eq!(i32_trunc_f32_s(f32::NAN), Err(INVALID));
        assert_eq!(i32_trunc_f32_u(-f32::NAN), Err(INVALID));
        assert_eq!(i32_trunc_f64_s(f64::NAN), Err(INVALID));
        assert_eq!(i32_trunc_f64_u(f64::NAN), Err(INVALID));
        assert_eq!(i64_trunc_f32_s(f32::NAN), Err(INVALID));
        assert_eq!(i64_trunc_f32_u(f32::NAN), Err(INVALID));
        assert_eq!(i64_trunc_f64_s(f64::NAN), Err(INVALID));
        assert_eq!(i64_trunc_f64_u(f64::NAN), Err(INVALID));
    }

    #[test]
    fn trunc_infinities_overflow() {
        assert_eq!(i32_trunc_f32_s(f32::INFINITY), Err(OVERFLOW));
        assert_eq!(i32_trunc_f32_u(f32::NEG_INFINITY), Err(OVERFLOW));
        assert_eq!(i64_trunc_f64_s(f64::NEG_INFINITY), Err(OVERFLOW));
        assert_eq!(i64_trunc_f64_u(f64::INFINITY), Err(OVERFLOW));
    }

    #[test]
    fn i32_trunc_s_boundaries() {
        assert_eq!(i32_trunc_f32_s(-2147483648.0), Ok(i32::MIN));
        assert_eq!(i32_trunc_f32_s(2147483648.0), Err(OVERFLOW));
        assert_eq!(i32_trunc_f32_s(2147483520.0), Ok(2147483520));
        assert_eq!(i32_trunc_f32_s(-2147483904.0), Err(OVERFLOW));
        assert_eq!(i32_trunc_f32_s(-1.9), Ok(-1));
        assert_eq!(i32_trunc_f64_s(-2147483648.9), Ok(i32::MIN));
        assert_eq!(i32_trunc_f64_s(-2147483649.0), Err(OVERFLOW));
        assert_eq!(i32_trunc_f64_s(2147483647.9), Ok(i32::MAX));
        assert_eq!(i32_trunc_f64_s(2147483648.0), Err(OVERFLOW));
    }

    #[test]
    fn i32_trunc_u_boundaries() {
        assert_eq!(i32_trunc_f32_u(-0.9), Ok(0));
        assert_eq!(i32_trunc_f32_u(-1.0), Err(OVERFLOW));
        assert_eq!(i32_trunc_f32_u(4294967040.0), Ok(4294967040));
        assert_eq!(i32_trunc_f32_u(4294967296.0), Err(OVERFLOW));
        assert_eq!(i32_trunc_f64_u(-0.9), Ok(0));
        assert_eq!(i32_trunc_f64_u(-1.0), Err(OVERFLOW));
        assert_eq!(i32_trunc_f64_u(4294967295.9), Ok(u32::MAX));
        assert_eq!(i32_trunc_f64_u(4294967296.0), Err(OVERFLOW));
    }

    #[test]
    fn i64_trunc_s_boundaries() {
        assert_eq!(i64_trunc_f32_s(-9223372036854775808.0), Ok(i64::MIN));
        assert_eq!(i64_trunc_f32_s(9223372036854775808.0), Err(OVERFLOW));
        assert_eq!(
            i64_trunc_f32_s(9223371487098961920.0),
            Ok(9223371487098961920)
        );
        assert_eq!(i64_trunc_f32_s(-9223373136366403584.0), Err(OVERFLOW));
        assert_eq!(i64_trunc_f64_s(-9223372036854775808.0), Ok(i64::MIN));
        assert_eq!(i64_trunc_f64_s(-9223372036854777856.0), Err(OVERFLOW));
        assert_eq!(
            i64_trunc_f64_s(9223372036854774784.0),
            Ok(9223372036854774784)
        );
        assert_eq!(i64_trunc_f64_s(9223372036854775808.0), Err(OVERFLOW));
    }

    #[test]
    fn i64_trunc_u_boundaries() {
        assert_eq!(i64_trunc_f32_u(-0.9), Ok(0));
        assert_eq!(i64_trunc_f32_u(-1.0), Err(OVERFLOW));
        assert_eq!(
            i64_trunc_f32_u(18446742974197923840.0),
            Ok(18446742974197923840)
        );
        assert_eq!(i64_trunc_f32_u(18446744073709551616.0), Err(OVERFLOW));
        assert_eq!(i64_trunc_f64_u(-0.9), Ok(0));
        assert_eq!(i64_trunc_f64_u(-1.0), Err(OVERFLOW));
        assert_eq!(
            i64_trunc_f64_u(18446744073709549568.0),
            Ok(18446744073709549568)
        );
        assert_eq!(i64_trunc_f64_u(18446744073709551616.0), Err(OVERFLOW));
    }
}
