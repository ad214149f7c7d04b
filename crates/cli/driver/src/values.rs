//! Reactor arguments and results as text, the way `wasmedge` reads and prints them.
//!
//! Arguments are read like C's `strtol`/`strtod` (WasmEdge uses `std::stol`, `std::stoll`,
//! `std::stof`, `std::stod`): leading white space, an optional sign, then the longest number
//! that fits; anything after it is ignored. Integers are decimal, or hexadecimal with a `0x`
//! prefix (a Wedge addition: `std::stol` would read `0x10` as 0). Floats accept decimal and
//! hexadecimal forms, `inf`, `infinity` and `nan`, in any case.
//!
//! Results print like `{fmt}`'s `{}`: i32/i64 as signed decimal, floats as the shortest
//! decimal that reads back exactly (fixed notation for decimal exponents in [-4, 16) for f64
//! and [-4, 7) for f32, else `1.5e+20`), v128 as an unsigned 128-bit decimal, references as
//! `<funcref>`, `<null externref>` and so on.

use std::fmt;
use wedge::{Val, ValType};

/// Why an argument could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArgError {
    /// No number at the start of the text.
    Invalid,
    /// A number too large (or, for floats, too small) for the type.
    OutOfRange,
    /// A type that cannot be written on the command line.
    Unsupported,
}

impl fmt::Display for ArgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ArgError::Invalid => "not a number",
            ArgError::OutOfRange => "out of range",
            ArgError::Unsupported => "references cannot be given on the command line",
        })
    }
}

/// Reads a guest argument of type `ty`.
pub fn parse_arg(text: &str, ty: ValType) -> Result<Val, ArgError> {
    Ok(match ty {
        // `std::stol` reads a 64-bit long, then the runtime truncates it to 32 bits.
        ValType::I32 => Val::I32(parse_int(text, 64, false)? as i32),
        ValType::I64 => Val::I64(parse_int(text, 64, false)? as i64),
        ValType::F32 => Val::F32(parse_f32(text)?.to_bits()),
        ValType::F64 => Val::F64(parse_f64(text)?.to_bits()),
        ValType::V128 => Val::V128(parse_int(text, 128, true)? as u128),
        ValType::FuncRef | ValType::ExternRef => return Err(ArgError::Unsupported),
    })
}

/// Text after leading C white space and the sign: (negative, rest).
fn split_sign(text: &str) -> (bool, &str) {
    let t = text.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    }
}

/// Reads an integer prefix. Decimal must fit a signed `bits`-bit integer (as `strtoll`
/// demands) unless `unsigned`; hexadecimal may use the full unsigned range. The result is
/// the value's two's-complement bits.
fn parse_int(text: &str, bits: u32, unsigned: bool) -> Result<i128, ArgError> {
    let (neg, t) = split_sign(text);
    let hex = t
        .strip_prefix("0x")
        .or_else(|| t.strip_prefix("0X"))
        .filter(|h| h.bytes().next().is_some_and(|b| b.is_ascii_hexdigit()));
    let (digits, radix) = match hex {
        Some(h) => (h, 16),
        None => (t, 10),
    };
    let len = digits
        .bytes()
        .take_while(|b| (*b as char).is_digit(radix))
        .count();
    if len == 0 {
        return Err(ArgError::Invalid);
    }
    let magnitude =
        u128::from_str_radix(&digits[..len], radix).map_err(|_| ArgError::OutOfRange)?;
    let signed_max = (1u128 << (bits - 1)) - 1;
    let max = if radix == 16 || unsigned {
        u128::MAX >> (128 - bits)
    } else {
        signed_max
    };
    let limit = if neg { signed_max + 1 } else { max };
    if magnitude > limit {
        return Err(ArgError::OutOfRange);
    }
    // Two's complement of the magnitude, read back as the signed value.
    let value = if neg {
        magnitude.wrapping_neg()
    } else {
        magnitude
    };
    Ok(value as i128)
}

/// A float literal found at the start of the text.
enum FloatText<'a> {
    Inf,
    Nan,
    Decimal(&'a str),
    Hex {
        mantissa: u64,
        exp: i64,
        nonzero: bool,
    },
}

fn scan_float(t: &str) -> Result<FloatText<'_>, ArgError> {
    let lower = |n: usize| t.get(..n).map(str::to_ascii_lowercase);
    if lower(8).as_deref() == Some("infinity") || lower(3).as_deref() == Some("inf") {
        return Ok(FloatText::Inf);
    }
    if lower(3).as_deref() == Some("nan") {
        return Ok(FloatText::Nan);
    }
    let b = t.as_bytes();
    if b.len() > 2
        && b[0] == b'0'
        && (b[1] | 0x20) == b'x'
        && (b[2].is_ascii_hexdigit() || b[2] == b'.')
        && let Some(h) = scan_hex_float(&b[2..])
    {
        return Ok(h);
    }
    // Decimal: digits [. digits] [e [sign] digits], with at least one mantissa digit.
    let mut i = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let mut mantissa_digits = i;
    if b.get(i) == Some(&b'.') {
        let frac = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        mantissa_digits += frac;
        i += 1 + frac;
    }
    if mantissa_digits == 0 {
        return Err(ArgError::Invalid);
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let exp_digits = b[j.min(b.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if exp_digits > 0 {
            i = j + exp_digits;
        }
    }
    Ok(FloatText::Decimal(&t[..i]))
}

/// Hexadecimal float after `0x`: hex digits [. hex digits] [p [sign] decimal digits].
fn scan_hex_float(b: &[u8]) -> Option<FloatText<'static>> {
    let mut mantissa: u64 = 0;
    let mut exp: i64 = 0;
    let mut nonzero = false;
    let mut digits = 0;
    let mut i = 0;
    let mut seen_point = false;
    while i < b.len() {
        let c = b[i];
        if c == b'.' && !seen_point {
            seen_point = true;
        } else if let Some(d) = (c as char).to_digit(16) {
            digits += 1;
            nonzero |= d != 0;
            if mantissa >> 56 == 0 {
                mantissa = mantissa << 4 | u64::from(d);
                if seen_point {
                    exp -= 4;
                }
            } else if !seen_point {
                // Digits beyond 60 bits of precision only scale the value.
                exp += 4;
            }
        } else {
            break;
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'p' | b'P')) {
        let mut j = i + 1;
        let neg = b.get(j) == Some(&b'-');
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let n = b[j.min(b.len())..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if n > 0 {
            let e: i64 = std::str::from_utf8(&b[j..j + n])
                .ok()?
                .parse()
                .unwrap_or(i64::MAX / 4);
            exp += if neg { -e.min(1 << 20) } else { e.min(1 << 20) };
        }
    }
    Some(FloatText::Hex {
        mantissa,
        exp,
        nonzero,
    })
}

fn hex_value(mantissa: u64, exp: i64) -> f64 {
    // The mantissa has at most 60 significant bits; scale in steps to avoid overflow
    // of the intermediate power of two.
    let mut v = mantissa as f64;
    let mut e = exp;
    while e > 0 {
        let step = e.min(1000);
        v *= 2f64.powi(step as i32);
        e -= step;
    }
    while e < 0 {
        let step = (-e).min(1000);
        v /= 2f64.powi(step as i32);
        e += step;
    }
    v
}

/// Reads an f64 like `std::stod`.
pub fn parse_f64(text: &str) -> Result<f64, ArgError> {
    let (neg, t) = split_sign(text);
    let v = match scan_float(t)? {
        FloatText::Inf => f64::INFINITY,
        FloatText::Nan => f64::NAN,
        FloatText::Decimal(d) => {
            let v: f64 = d.parse().map_err(|_| ArgError::Invalid)?;
            check_range(v.is_infinite(), v == 0.0 && has_nonzero_digit(d))?;
            v
        }
        FloatText::Hex {
            mantissa,
            exp,
            nonzero,
        } => {
            let v = hex_value(mantissa, exp);
            check_range(v.is_infinite(), v == 0.0 && nonzero)?;
            v
        }
    };
    Ok(if neg { -v } else { v })
}

/// Reads an f32 like `std::stof`.
pub fn parse_f32(text: &str) -> Result<f32, ArgError> {
    let (neg, t) = split_sign(text);
    let v = match scan_float(t)? {
        FloatText::Inf => f32::INFINITY,
        FloatText::Nan => f32::NAN,
        FloatText::Decimal(d) => {
            let v: f32 = d.parse().map_err(|_| ArgError::Invalid)?;
            check_range(v.is_infinite(), v == 0.0 && has_nonzero_digit(d))?;
            v
        }
        FloatText::Hex {
            mantissa,
            exp,
            nonzero,
        } => {
            let v = hex_value(mantissa, exp) as f32;
            check_range(v.is_infinite(), v == 0.0 && nonzero)?;
            v
        }
    };
    Ok(if neg { -v } else { v })
}

fn has_nonzero_digit(d: &str) -> bool {
    let mantissa = d.split(['e', 'E']).next().unwrap_or("");
    mantissa.bytes().any(|c| (b'1'..=b'9').contains(&c))
}

fn check_range(overflow: bool, underflow: bool) -> Result<(), ArgError> {
    if overflow || underflow {
        Err(ArgError::OutOfRange)
    } else {
        Ok(())
    }
}

/// A result as `wasmedge` prints it.
pub fn format_val(v: &Val) -> String {
    match v {
        Val::I32(x) => x.to_string(),
        Val::I64(x) => x.to_string(),
        Val::F32(bits) => {
            let x = f32::from_bits(*bits);
            format_float(
                x.is_sign_negative(),
                x.is_nan(),
                x.is_infinite(),
                &format!("{:e}", x.abs()),
                7,
            )
        }
        Val::F64(bits) => {
            let x = f64::from_bits(*bits);
            format_float(
                x.is_sign_negative(),
                x.is_nan(),
                x.is_infinite(),
                &format!("{:e}", x.abs()),
                16,
            )
        }
        Val::V128(x) => x.to_string(),
        Val::FuncRef(Some(_)) => "<funcref>".to_string(),
        Val::FuncRef(None) => "<null funcref>".to_string(),
        Val::ExternRef(Some(_)) => "<externref>".to_string(),
        Val::ExternRef(None) => "<null externref>".to_string(),
    }
}

/// Lays out a float given Rust's shortest scientific form of its magnitude (`1.2345e-7`),
/// following `{fmt}`: fixed notation when the decimal exponent is in [-4, exp_upper).
fn format_float(negative: bool, nan: bool, inf: bool, sci: &str, exp_upper: i32) -> String {
    let sign = if negative { "-" } else { "" };
    if nan {
        return format!("{sign}nan");
    }
    if inf {
        return format!("{sign}inf");
    }
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if digits == "0" {
        return format!("{sign}0");
    }
    let n = digits.len() as i32;
    let body = if (-4..exp_upper).contains(&exp) {
        if exp < 0 {
            format!("0.{}{digits}", "0".repeat((-exp - 1) as usize))
        } else if n <= exp + 1 {
            format!("{digits}{}", "0".repeat((exp + 1 - n) as usize))
        } else {
            let (int, frac) = digits.split_at(exp as usize + 1);
            format!("{int}.{frac}")
        }
    } else {
        let (first, rest) = digits.split_at(1);
        let point = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let exp_sign = if exp < 0 { '-' } else { '+' };
        format!("{first}{point}e{exp_sign}{:02}", exp.abs())
    };
    format!("{sign}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f64s(x: f64) -> String {
        format_val(&Val::F64(x.to_bits()))
    }
    fn f32s(x: f32) -> String {
        format_val(&Val::F32(x.to_bits()))
    }

    #[test]
    fn floats_print_like_fmt() {
        assert_eq!(f64s(0.0), "0");
        assert_eq!(f64s(-0.0), "-0");
        assert_eq!(f64s(100.0), "100");
        assert_eq!(f64s(3.5), "3.5");
        assert_eq!(f64s(0.1), "0.1");
        assert_eq!(f64s(0.0001), "0.0001");
        assert_eq!(f64s(0.00001), "1e-05");
        assert_eq!(f64s(1.5e-7), "1.5e-07");
        assert_eq!(f64s(1e15), "1000000000000000");
        assert_eq!(f64s(1e16), "1e+16");
        assert_eq!(f64s(-1.25e300), "-1.25e+300");
        assert_eq!(f64s(f64::NAN), "nan");
        assert_eq!(f64s(-f64::NAN), "-nan");
        assert_eq!(f64s(f64::NEG_INFINITY), "-inf");
        assert_eq!(f64s(5e-324), "5e-324");
        assert_eq!(f32s(0.1), "0.1");
        assert_eq!(f32s(1234567.0), "1234567");
        assert_eq!(f32s(1e7), "1e+07");
        assert_eq!(f32s(16777216.0), "1.6777216e+07");
        assert_eq!(f32s(f32::MAX), "3.4028235e+38");
        assert_eq!(f32s(-2.5), "-2.5");
    }

    #[test]
    fn integers_print_signed_and_v128_unsigned() {
        assert_eq!(format_val(&Val::I32(-1)), "-1");
        assert_eq!(format_val(&Val::I64(i64::MIN)), "-9223372036854775808");
        assert_eq!(format_val(&Val::V128(u128::MAX)), u128::MAX.to_string());
        assert_eq!(format_val(&Val::FuncRef(None)), "<null funcref>");
        assert_eq!(format_val(&Val::ExternRef(None)), "<null externref>");
    }

    #[test]
    fn integers_parse_like_stol() {
        let i32v = |s| parse_arg(s, ValType::I32).map(|v| v.i32().unwrap());
        let i64v = |s| parse_arg(s, ValType::I64).map(|v| v.i64().unwrap());
        assert_eq!(i32v("42"), Ok(42));
        assert_eq!(i32v("  -7"), Ok(-7));
        assert_eq!(i32v("+7"), Ok(7));
        assert_eq!(
            i32v("12abc"),
            Ok(12),
            "trailing text is ignored, as by std::stol"
        );
        assert_eq!(i32v("4294967295"), Ok(-1), "a long truncated to 32 bits");
        assert_eq!(i32v("0xff"), Ok(255));
        assert_eq!(i32v("-0x10"), Ok(-16));
        assert_eq!(i32v("0x"), Ok(0), "`0` then text");
        assert_eq!(i32v("abc"), Err(ArgError::Invalid));
        assert_eq!(i32v(""), Err(ArgError::Invalid));
        assert_eq!(i32v("-"), Err(ArgError::Invalid));
        assert_eq!(i64v("-9223372036854775808"), Ok(i64::MIN));
        assert_eq!(i64v("9223372036854775808"), Err(ArgError::OutOfRange));
        assert_eq!(i64v("0xffffffffffffffff"), Ok(-1));
        assert_eq!(i64v("0x1ffffffffffffffff"), Err(ArgError::OutOfRange));
        assert_eq!(
            parse_arg("1", ValType::FuncRef).unwrap_err(),
            ArgError::Unsupported
        );
        let max = u128::MAX.to_string();
        assert_eq!(
            parse_arg(&max, ValType::V128).map(|v| format_val(&v)),
            Ok(max)
        );
    }

    #[test]
    fn floats_parse_like_strtod() {
        assert_eq!(parse_f64("1.5"), Ok(1.5));
        assert_eq!(parse_f64("-2e3x"), Ok(-2000.0));
        assert_eq!(parse_f64(".5"), Ok(0.5));
        assert_eq!(parse_f64("5."), Ok(5.0));
        assert_eq!(parse_f64("1e"), Ok(1.0));
        assert_eq!(parse_f64("INF"), Ok(f64::INFINITY));
        assert_eq!(parse_f64("-infinity"), Ok(f64::NEG_INFINITY));
        assert!(parse_f64("nan").unwrap().is_nan());
        assert!(parse_f64("-nan").unwrap().is_sign_negative());
        assert_eq!(parse_f64("0x1p3"), Ok(8.0));
        assert_eq!(parse_f64("0x1.8p-1"), Ok(0.75));
        assert_eq!(parse_f64("1e400"), Err(ArgError::OutOfRange));
        assert_eq!(parse_f64("1e-400"), Err(ArgError::OutOfRange));
        assert_eq!(parse_f64("0e-400"), Ok(0.0));
        assert_eq!(parse_f64("e5"), Err(ArgError::Invalid));
        assert_eq!(parse_f64("."), Err(ArgError::Invalid));
        assert_eq!(parse_f32("3.4e38"), Ok(3.4e38));
        assert_eq!(parse_f32("3.5e38"), Err(ArgError::OutOfRange));
        assert_eq!(
            parse_f32("0.1"),
            Ok(0.1f32),
            "read as f32 directly, not via f64"
        );
    }
}
