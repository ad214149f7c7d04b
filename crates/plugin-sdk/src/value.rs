//! The Rust types a host function takes and returns, and their C encoding (`WasmEdge_ValType`,
//! `WasmEdge_Value`, reference §2.3).

use crate::error::Error;
use crate::ffi::{WasmEdge_ValType, WasmEdge_Value};

/// Type codes: byte 2 of a `WasmEdge_ValType`.
pub(crate) mod code {
    /// `i32`.
    pub const I32: u8 = 0x7F;
    /// `i64`.
    pub const I64: u8 = 0x7E;
    /// `f32`.
    pub const F32: u8 = 0x7D;
    /// `f64`.
    pub const F64: u8 = 0x7C;
    /// The heap type byte (3) of every number type.
    pub const EPSILON: u8 = 0x40;
}

/// The `WasmEdge_ValType` of a number type, as `WasmEdge_ValTypeGenI32` and friends make it.
pub(crate) const fn number_type(code: u8) -> WasmEdge_ValType {
    WasmEdge_ValType {
        Data: [0, 0, code, code::EPSILON, 0, 0, 0, 0],
    }
}

mod sealed {
    pub trait Sealed {}
}

/// A Rust type that is a WebAssembly number: `i32` and `u32` (both wasm `i32`), `i64` and `u64`
/// (wasm `i64`), `f32` and `f64`.
///
/// The unsigned types read the same bits as the signed ones, so a guest pointer can be taken as
/// `u32` directly. Implemented only by this crate.
pub trait WasmType: Copy + Send + Sync + 'static + sealed::Sealed {
    /// The wasm type's code (`0x7F` for `i32` …).
    #[doc(hidden)]
    const CODE: u8;
    /// Reads the value from the low bits of a `WasmEdge_Value`.
    #[doc(hidden)]
    fn from_bits(bits: u128) -> Self;
    /// The value's bits, zero-extended, as WasmEdge stores them.
    #[doc(hidden)]
    fn to_bits(self) -> u128;
}

macro_rules! wasm_types {
    ($($ty:ty => $code:expr, $bits:ty, |$x:ident| $to:expr, |$b:ident| $from:expr;)*) => {$(
        impl sealed::Sealed for $ty {}
        impl WasmType for $ty {
            const CODE: u8 = $code;
            #[inline]
            fn from_bits(bits: u128) -> Self {
                // The value lives in the low bits; the rest is zero.
                let $b = bits as $bits;
                $from
            }
            #[inline]
            fn to_bits(self) -> u128 {
                let $x = self;
                u128::from($to)
            }
        }
    )*};
}

wasm_types! {
    i32 => code::I32, u32, |x| x.cast_unsigned(), |b| b.cast_signed();
    u32 => code::I32, u32, |x| x, |b| b;
    i64 => code::I64, u64, |x| x.cast_unsigned(), |b| b.cast_signed();
    u64 => code::I64, u64, |x| x, |b| b;
    f32 => code::F32, u32, |x| x.to_bits(), |b| f32::from_bits(b);
    f64 => code::F64, u64, |x| x.to_bits(), |b| f64::from_bits(b);
}

/// Decodes parameter `i` (the caller checked the count against the function type).
#[inline]
pub(crate) fn param<T: WasmType>(params: &[WasmEdge_Value], i: usize) -> T {
    T::from_bits(params[i].Value)
}

/// Encodes `value` into a result slot.
#[inline]
pub(crate) fn store<T: WasmType>(slot: &mut WasmEdge_Value, value: T) {
    *slot = WasmEdge_Value {
        Value: value.to_bits(),
        Type: number_type(T::CODE),
    };
}

/// What a host function gives back on success: `()`, one [`WasmType`], or a tuple of them
/// (multi-value). Implemented only by this crate.
pub trait WasmResults: sealed::Sealed {
    /// The result types, in order.
    #[doc(hidden)]
    fn types() -> Vec<WasmEdge_ValType>;
    /// Writes the values into the result slots (exactly as many as `types()`).
    #[doc(hidden)]
    fn store(self, out: &mut [WasmEdge_Value]);
}

impl sealed::Sealed for () {}
impl WasmResults for () {
    fn types() -> Vec<WasmEdge_ValType> {
        Vec::new()
    }
    #[inline]
    fn store(self, _: &mut [WasmEdge_Value]) {}
}

impl<T: WasmType> WasmResults for T {
    fn types() -> Vec<WasmEdge_ValType> {
        vec![number_type(T::CODE)]
    }
    #[inline]
    fn store(self, out: &mut [WasmEdge_Value]) {
        store(&mut out[0], self);
    }
}

macro_rules! tuple_results {
    ($(($($t:ident $i:tt),+))*) => {$(
        impl<$($t: WasmType),+> sealed::Sealed for ($($t,)+) {}
        impl<$($t: WasmType),+> WasmResults for ($($t,)+) {
            fn types() -> Vec<WasmEdge_ValType> {
                vec![$(number_type($t::CODE)),+]
            }
            #[inline]
            fn store(self, out: &mut [WasmEdge_Value]) {
                $(store(&mut out[$i], self.$i);)+
            }
        }
    )*};
}

tuple_results! {
    (A 0)
    (A 0, B 1)
    (A 0, B 1, C 2)
    (A 0, B 1, C 2, D 3)
    (A 0, B 1, C 2, D 3, E 4)
    (A 0, B 1, C 2, D 3, E 4, F 5)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7)
}

/// The return type of a host function: [`WasmResults`], or `Result<R, E>` where `R` is
/// [`WasmResults`] and `E` converts into [`Error`].
pub trait HostReturn: 'static {
    /// What a successful call gives.
    #[doc(hidden)]
    type Results: WasmResults;
    /// Splits success from failure.
    #[doc(hidden)]
    fn into_result(self) -> Result<Self::Results, Error>;
}

impl<T: WasmResults + 'static> HostReturn for T {
    type Results = T;
    #[inline]
    fn into_result(self) -> Result<T, Error> {
        Ok(self)
    }
}

impl<T: WasmResults + 'static, E: Into<Error> + 'static> HostReturn for Result<T, E> {
    type Results = T;
    #[inline]
    fn into_result(self) -> Result<T, Error> {
        self.map_err(Into::into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(bits: u128) -> WasmEdge_Value {
        WasmEdge_Value {
            Value: bits,
            Type: number_type(0),
        }
    }

    #[test]
    fn number_types_are_encoded_as_wasmedge_generates_them() {
        assert_eq!(number_type(code::I32).Data, [0, 0, 0x7F, 0x40, 0, 0, 0, 0]);
        assert_eq!(number_type(code::I64).Data, [0, 0, 0x7E, 0x40, 0, 0, 0, 0]);
        assert_eq!(number_type(code::F32).Data, [0, 0, 0x7D, 0x40, 0, 0, 0, 0]);
        assert_eq!(number_type(code::F64).Data, [0, 0, 0x7C, 0x40, 0, 0, 0, 0]);
        assert_eq!(<u32 as WasmType>::CODE, code::I32);
        assert_eq!(<u64 as WasmType>::CODE, code::I64);
    }

    #[test]
    fn negative_i32_is_stored_as_its_u32_bit_pattern() {
        assert_eq!((-1i32).to_bits(), 0xFFFF_FFFF);
        assert_eq!((-2i64).to_bits(), 0xFFFF_FFFF_FFFF_FFFE);
        let mut slot = value(u128::MAX);
        store(&mut slot, -5i32);
        assert_eq!(slot.Value, 0xFFFF_FFFB, "the high bits are cleared");
        assert_eq!(slot.Type, number_type(code::I32));
    }

    #[test]
    fn parameters_decode_from_the_low_bits() {
        let params = [
            value(0xFFFF_FFFF),
            value(0x8000_0000),
            value(u128::from(1.5f32.to_bits())),
            value(u128::from((-0.25f64).to_bits())),
            value(0xFFFF_FFFF_FFFF_FFFF),
        ];
        assert_eq!(param::<i32>(&params, 0), -1);
        assert_eq!(param::<u32>(&params, 1), 0x8000_0000);
        assert_eq!(param::<f32>(&params, 2), 1.5);
        assert_eq!(param::<f64>(&params, 3), -0.25);
        assert_eq!(param::<i64>(&params, 4), -1);
        assert_eq!(param::<u64>(&params, 4), u64::MAX);
    }

    #[test]
    fn floats_keep_their_bit_patterns() {
        let nan = f32::from_bits(0x7FC0_1234);
        assert_eq!(f32::from_bits(nan.to_bits()).to_bits(), 0x7FC0_1234);
        assert_eq!(nan.to_bits(), 0x7FC0_1234);
        assert_eq!(f64::from_bits(WasmType::to_bits(-0.0f64) as u64), -0.0);
    }

    #[test]
    fn tuples_store_every_result_in_order() {
        assert_eq!(
            <(i32, f64, u64)>::types(),
            [
                number_type(code::I32),
                number_type(code::F64),
                number_type(code::I64)
            ]
        );
        let mut out = [value(0); 3];
        (7i32, 2.0f64, 9u64).store(&mut out);
        assert_eq!(out[0].Value, 7);
        assert_eq!(out[1].Value, u128::from(2.0f64.to_bits()));
        assert_eq!(out[2].Value, 9);
        assert_eq!(out[1].Type, number_type(code::F64));
        assert!(<()>::types().is_empty());
    }

    #[test]
    fn results_and_plain_values_both_return() {
        assert_eq!(5i32.into_result(), Ok(5));
        let failed: Result<i32, Error> = Err(Error::user(3));
        assert_eq!(failed.into_result(), Err(Error::user(3)));
    }
}
