//! [`ProgramOption`]: a command-line flag of the runtime (`--<name>`) whose value the plug-in
//! reads, backed by storage this crate owns.
//!
//! The runtime writes a flag's value straight into the option's storage while it parses its
//! command line, before it creates any module of the plug-in (reference §1.4), and a bare
//! `--<name>` writes the option's default. The SDK only reads the storage, with atomic loads.

use core::cell::UnsafeCell;
use core::ffi::{c_char, c_void};
use core::sync::atomic::{
    AtomicBool, AtomicI8, AtomicI16, AtomicI32, AtomicI64, AtomicPtr, AtomicU8, AtomicU16,
    AtomicU32, AtomicU64, Ordering,
};

use crate::ffi::{self, WasmEdge_ProgramOptionType};

mod sealed {
    pub trait Sealed {}
}

/// A type a [`ProgramOption`] can hold: `bool` (a toggle, `--name`), the integers `i8` … `u64`,
/// `f32`, `f64` and `String`. Implemented only by this crate.
pub trait OptionValue: Sized + sealed::Sealed + 'static {
    /// The C type the runtime writes (`WasmEdge_String` for `String`).
    #[doc(hidden)]
    type Raw: Copy + 'static;
    /// The `WasmEdge_ProgramOptionType`.
    #[doc(hidden)]
    const TYPE: WasmEdge_ProgramOptionType;
    /// Reads the storage.
    ///
    /// # Safety
    ///
    /// `raw` must point to the option's storage, aligned to 8 and holding a valid `Raw`.
    #[doc(hidden)]
    unsafe fn load(raw: *mut Self::Raw) -> Self;
}

macro_rules! number_options {
    ($($ty:ty => $atomic:ty, $c:ident, |$b:ident| $from:expr;)*) => {$(
        impl sealed::Sealed for $ty {}
        impl OptionValue for $ty {
            type Raw = $ty;
            const TYPE: WasmEdge_ProgramOptionType = ffi::$c;
            unsafe fn load(raw: *mut $ty) -> $ty {
                // SAFETY: aligned, valid storage (this function's contract), of the atomic's size;
                // the runtime's writes happen before any read (module docs).
                let $b = unsafe { <$atomic>::from_ptr(raw.cast()) }.load(Ordering::Acquire);
                $from
            }
        }
    )*};
}

number_options! {
    bool => AtomicBool, WasmEdge_ProgramOptionType_Toggle, |b| b;
    i8 => AtomicI8, WasmEdge_ProgramOptionType_Int8, |b| b;
    i16 => AtomicI16, WasmEdge_ProgramOptionType_Int16, |b| b;
    i32 => AtomicI32, WasmEdge_ProgramOptionType_Int32, |b| b;
    i64 => AtomicI64, WasmEdge_ProgramOptionType_Int64, |b| b;
    u8 => AtomicU8, WasmEdge_ProgramOptionType_UInt8, |b| b;
    u16 => AtomicU16, WasmEdge_ProgramOptionType_UInt16, |b| b;
    u32 => AtomicU32, WasmEdge_ProgramOptionType_UInt32, |b| b;
    u64 => AtomicU64, WasmEdge_ProgramOptionType_UInt64, |b| b;
    f32 => AtomicU32, WasmEdge_ProgramOptionType_Float, |b| f32::from_bits(b);
    f64 => AtomicU64, WasmEdge_ProgramOptionType_Double, |b| f64::from_bits(b);
}

/// `WasmEdge_String`, as a string option's storage and default.
#[doc(hidden)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct RawString {
    length: u32,
    buf: *const c_char,
}

impl sealed::Sealed for String {}
impl OptionValue for String {
    type Raw = RawString;
    const TYPE: WasmEdge_ProgramOptionType = ffi::WasmEdge_ProgramOptionType_String;
    unsafe fn load(raw: *mut RawString) -> String {
        // SAFETY: `raw` is valid storage (this function's contract); the fields are aligned as
        // the atomics need, and the runtime's writes happen before any read.
        let (length, buf) = unsafe {
            (
                AtomicU32::from_ptr(&raw mut (*raw).length).load(Ordering::Acquire),
                AtomicPtr::from_ptr((&raw mut (*raw).buf).cast::<*mut c_char>())
                    .load(Ordering::Acquire),
            )
        };
        if buf.is_null() || length == 0 {
            return String::new();
        }
        // SAFETY: a string option's storage holds a `WasmEdge_String` whose `Buf` has `Length`
        // bytes that are never freed: the default's `&'static str`, or the runtime's copy of the
        // flag's value, which it never frees (reference §1.4).
        let bytes = unsafe { core::slice::from_raw_parts(buf.cast::<u8>(), length as usize) };
        String::from_utf8_lossy(bytes).into_owned()
    }
}

/// The storage of an option: aligned for the widest atomic whatever the target.
#[repr(C, align(8))]
struct Storage<R>(UnsafeCell<R>);

/// A program option of the plug-in: the runtime's command line gets `--<name>` (or
/// `--<name>=value`), and the plug-in reads the value with [`ProgramOption::get`].
///
/// Declare it as a `static` and list it with [`Plugin::option`](crate::Plugin::option). Without
/// the flag, `get` returns the default; a bare `--<name>` also sets the default (for a `bool`,
/// a bare flag sets `true`).
///
/// ```
/// use wedge_plugin_sdk::ProgramOption;
///
/// static GREETING: ProgramOption<String> =
///     ProgramOption::string("example-greeting", "the word to greet with", "hello");
/// static REPEAT: ProgramOption<u32> = ProgramOption::new("example-repeat", "repetitions", 1);
/// static LOUD: ProgramOption<bool> = ProgramOption::new("example-loud", "shout", false);
///
/// assert_eq!(GREETING.get(), "hello");
/// assert_eq!(REPEAT.get(), 1);
/// assert!(!LOUD.get());
/// ```
pub struct ProgramOption<T: OptionValue> {
    name: &'static str,
    description: &'static str,
    storage: Storage<T::Raw>,
    default: T::Raw,
}

// SAFETY: the storage is written only by the runtime, through the pointer in the descriptor,
// while it parses its command line and before any module exists; Rust reads it only with atomic
// loads (`OptionValue::load`). `default` is never written, and a `RawString` points to bytes
// that are never freed or changed.
unsafe impl<T: OptionValue> Sync for ProgramOption<T> {}

impl<T: OptionValue<Raw = T> + Copy> ProgramOption<T> {
    /// A number or toggle option with `default` as its value when the flag is absent or bare.
    #[must_use]
    pub const fn new(name: &'static str, description: &'static str, default: T) -> Self {
        Self {
            name,
            description,
            storage: Storage(UnsafeCell::new(default)),
            default,
        }
    }
}

impl ProgramOption<String> {
    /// A string option with `default` as its value when the flag is absent or bare.
    ///
    /// # Panics
    ///
    /// If `default` is longer than 4 GiB (at compile time for a `static`).
    #[must_use]
    pub const fn string(
        name: &'static str,
        description: &'static str,
        default: &'static str,
    ) -> Self {
        assert!(default.len() <= u32::MAX as usize, "default too long");
        let raw = RawString {
            length: default.len() as u32,
            buf: default.as_ptr().cast(),
        };
        Self {
            name,
            description,
            storage: Storage(UnsafeCell::new(raw)),
            default: raw,
        }
    }
}

impl<T: OptionValue> ProgramOption<T> {
    /// The option's value: what the runtime's command line set, or the default.
    #[must_use]
    pub fn get(&self) -> T {
        // SAFETY: the storage is this option's, aligned to 8 by `Storage`, and always holds a
        // valid `T::Raw`: the default, or what the runtime wrote for the flag's type.
        unsafe { T::load(self.storage.0.get()) }
    }

    /// The flag's name, without the leading `--`.
    #[must_use]
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The help text.
    #[must_use]
    pub const fn description(&self) -> &'static str {
        self.description
    }
}

/// An option with its value type erased, as the plug-in descriptor lists it.
pub(crate) trait OptionDef: Sync {
    fn name(&self) -> &'static str;
    fn description(&self) -> &'static str;
    fn raw_type(&self) -> WasmEdge_ProgramOptionType;
    /// Where the runtime writes (`Storage`).
    fn storage(&'static self) -> *mut c_void;
    /// What a bare flag writes (`DefaultValue`).
    fn default_value(&'static self) -> *const c_void;
}

impl<T: OptionValue> OptionDef for ProgramOption<T> {
    fn name(&self) -> &'static str {
        self.name
    }
    fn description(&self) -> &'static str {
        self.description
    }
    fn raw_type(&self) -> WasmEdge_ProgramOptionType {
        T::TYPE
    }
    fn storage(&'static self) -> *mut c_void {
        self.storage.0.get().cast()
    }
    fn default_value(&'static self) -> *const c_void {
        (&raw const self.default).cast()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `value` into an option's storage the way the runtime does: through the raw pointer.
    fn runtime_writes<T: OptionValue>(option: &'static ProgramOption<T>, value: T::Raw) {
        // SAFETY: the storage pointer is valid and aligned for `T::Raw`; tests own the option.
        unsafe { option.storage().cast::<T::Raw>().write(value) };
    }

    #[test]
    fn numbers_read_what_the_runtime_wrote() {
        static THREADS: ProgramOption<i32> = ProgramOption::new("threads", "", 4);
        static RATIO: ProgramOption<f64> = ProgramOption::new("ratio", "", 0.5);
        static BIG: ProgramOption<u64> = ProgramOption::new("big", "", 0);
        assert_eq!(THREADS.get(), 4);
        runtime_writes(&THREADS, -8);
        assert_eq!(THREADS.get(), -8);
        runtime_writes(&RATIO, 2.25);
        assert_eq!(RATIO.get(), 2.25);
        runtime_writes(&BIG, u64::MAX);
        assert_eq!(BIG.get(), u64::MAX);
    }

    #[test]
    fn a_toggle_is_a_c_bool() {
        static VERBOSE: ProgramOption<bool> = ProgramOption::new("verbose", "talk more", false);
        assert_eq!(VERBOSE.raw_type(), ffi::WasmEdge_ProgramOptionType_Toggle);
        assert!(!VERBOSE.get());
        // SAFETY: a C `bool` is one byte holding 0 or 1.
        unsafe { VERBOSE.storage().cast::<u8>().write(1) };
        assert!(VERBOSE.get());
    }

    #[test]
    fn a_string_reads_the_runtime_s_wasmedge_string() {
        static NAME: ProgramOption<String> = ProgramOption::string("name", "", "world");
        assert_eq!(NAME.get(), "world");
        let bytes: &'static [u8] = Box::leak(Box::from(&b"wedge"[..]));
        runtime_writes(
            &NAME,
            RawString {
                length: 5,
                buf: bytes.as_ptr().cast(),
            },
        );
        assert_eq!(NAME.get(), "wedge");
        runtime_writes(
            &NAME,
            RawString {
                length: 0,
                buf: core::ptr::null(),
            },
        );
        assert_eq!(NAME.get(), "");
    }

    #[test]
    fn the_default_value_points_at_the_default_in_c_layout() {
        static N: ProgramOption<i16> = ProgramOption::new("n", "", -3);
        static S: ProgramOption<String> = ProgramOption::string("s", "", "abc");
        // SAFETY: the default is an `i16`.
        assert_eq!(unsafe { N.default_value().cast::<i16>().read() }, -3);
        // SAFETY: the default is a `WasmEdge_String`.
        let d = unsafe { S.default_value().cast::<ffi::WasmEdge_String>().read() };
        assert_eq!(d.Length, 3);
        // SAFETY: it points at the `&'static str` "abc".
        assert_eq!(
            unsafe { core::slice::from_raw_parts(d.Buf.cast::<u8>(), 3) },
            b"abc"
        );
        assert_eq!(S.raw_type(), ffi::WasmEdge_ProgramOptionType_String);
        assert_eq!(N.raw_type(), ffi::WasmEdge_ProgramOptionType_Int16);
    }

    #[test]
    fn raw_string_is_a_wasmedge_string() {
        assert_eq!(size_of::<RawString>(), size_of::<ffi::WasmEdge_String>());
        assert_eq!(core::mem::offset_of!(RawString, buf), 8);
    }
}
