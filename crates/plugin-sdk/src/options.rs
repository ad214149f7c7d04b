//! [`ProgramOption`]: a command-line flag of the runtime (`--<name>`) whose value the plug-in
//! reads, backed by storage this crate owns.
//!
//! The runtime writes a flag's value straight into the option's storage while it parses its
//! command line, before it creates any module of the plug-in (reference §1.4), and a bare
//! `--<name>` writes the option's default. The SDK only reads the storage, with atomic loads.
//!
//! # Lists of strings (a Wedge extension)
//!
//! [`ProgramOption::string_list`] declares a repeatable flag (`--name a --name=b`) whose value is
//! a `Vec<String>`. WasmEdge's C ABI has no such type, so Wedge defines one outside the range of
//! `WasmEdge_ProgramOptionType` (0 to 12): type value `0x57450001` (`'W' 'E'` in the high half).
//! Its storage is one pointer-aligned slot holding a `const WedgeStringList *` (NULL for the
//! empty list), where
//!
//! ```c
//! typedef struct WedgeStringList {
//!   uint32_t Length;              /* number of strings */
//!   const WasmEdge_String *Items; /* Length strings, each NUL-terminated past its Length */
//! } WedgeStringList;
//! ```
//!
//! Wedge's runtime appends each occurrence of the flag by publishing a new list (the old items
//! plus the new one) with one release store of the slot, and never frees a list, an item array or
//! a string, so a read never sees a torn or freed list. The C API may also replace the whole list
//! (`WasmEdge_ModuleInstanceInitWasmEdgeProcess` does). The `DefaultValue` of a list the SDK
//! declares is NULL: a bare `--name` without a value is an error.
//!
//! A WasmEdge runtime does not know the type: its loader skips the option (there is no case for
//! it), so the flag is an unknown option there and the plug-in reads the empty list.

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
/// `f32`, `f64`, `String`, and `Vec<String>` (a repeatable flag, a Wedge extension: see
/// [`ProgramOption::string_list`]). Implemented only by this crate.
pub trait OptionValue: Sized + sealed::Sealed + 'static {
    /// The C type the runtime writes (`WasmEdge_String` for `String`).
    #[doc(hidden)]
    type Raw: Copy + 'static;
    /// The `WasmEdge_ProgramOptionType`.
    #[doc(hidden)]
    const TYPE: WasmEdge_ProgramOptionType;
    /// Whether the descriptor points `DefaultValue` at the default (a bare flag writes it);
    /// false leaves it NULL, and a bare flag is an error.
    #[doc(hidden)]
    const HAS_DEFAULT: bool = true;
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

/// `WedgeStringList`, the list a list option's storage slot points to (see the module docs).
#[doc(hidden)]
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct RawStringList {
    length: u32,
    items: *const RawString,
}

impl sealed::Sealed for Vec<String> {}
impl OptionValue for Vec<String> {
    type Raw = *const RawStringList;
    const TYPE: WasmEdge_ProgramOptionType = ffi::WedgeProgramOptionType_StringList;
    const HAS_DEFAULT: bool = false;
    unsafe fn load(raw: *mut *const RawStringList) -> Vec<String> {
        // SAFETY: `raw` is the option's aligned slot (this function's contract); the runtime
        // publishes lists with a release store.
        let list = unsafe { AtomicPtr::from_ptr(raw.cast::<*mut RawStringList>()) }
            .load(Ordering::Acquire);
        // SAFETY: the slot holds NULL or a list the runtime built and never frees (module docs).
        let Some(list) = (unsafe { list.as_ref() }) else {
            return Vec::new();
        };
        if list.length == 0 || list.items.is_null() {
            return Vec::new();
        }
        // SAFETY: `items` holds `length` strings that are never freed (module docs).
        let items = unsafe { core::slice::from_raw_parts(list.items, list.length as usize) };
        items
            .iter()
            .map(|item| {
                if item.buf.is_null() || item.length == 0 {
                    return String::new();
                }
                // SAFETY: each string's `buf` holds `length` bytes that are never freed.
                let bytes = unsafe {
                    core::slice::from_raw_parts(item.buf.cast::<u8>(), item.length as usize)
                };
                String::from_utf8_lossy(bytes).into_owned()
            })
            .collect()
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
///
/// // A repeatable flag: `--example-allow a --example-allow=b` gives ["a", "b"].
/// static ALLOW: ProgramOption<Vec<String>> =
///     ProgramOption::string_list("example-allow", "names to allow; repeat the flag");
/// assert!(ALLOW.get().is_empty());
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

impl ProgramOption<Vec<String>> {
    /// A repeatable option whose value is every `--<name> VALUE` (or `--<name>=VALUE`) given, in
    /// order; empty without the flag. A bare `--<name>` is an error. This is a Wedge extension
    /// of the plug-in ABI (module docs): a WasmEdge runtime skips the option.
    #[must_use]
    pub const fn string_list(name: &'static str, description: &'static str) -> Self {
        Self {
            name,
            description,
            storage: Storage(UnsafeCell::new(core::ptr::null())),
            default: core::ptr::null(),
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
        if T::HAS_DEFAULT {
            (&raw const self.default).cast()
        } else {
            core::ptr::null()
        }
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
        assert_eq!(
            // SAFETY: it points at the `&'static str` "abc".
            unsafe { core::slice::from_raw_parts(d.Buf.cast::<u8>(), 3) },
            b"abc"
        );
        assert_eq!(S.raw_type(), ffi::WasmEdge_ProgramOptionType_String);
        assert_eq!(N.raw_type(), ffi::WasmEdge_ProgramOptionType_Int16);
    }

    /// Publishes a list the way Wedge's runtime does: leaked strings, a leaked item array and a
    /// leaked list, stored in the slot.
    fn runtime_publishes(option: &'static ProgramOption<Vec<String>>, items: &[&[u8]]) {
        let items: Vec<RawString> = items
            .iter()
            .map(|b| {
                let mut v = b.to_vec();
                v.push(0);
                let leaked: &'static [u8] = Box::leak(v.into_boxed_slice());
                RawString {
                    length: b.len() as u32,
                    buf: leaked.as_ptr().cast(),
                }
            })
            .collect();
        let items: &'static [RawString] = Box::leak(items.into_boxed_slice());
        let list: &'static RawStringList = Box::leak(Box::new(RawStringList {
            length: items.len() as u32,
            items: items.as_ptr(),
        }));
        runtime_writes(option, list);
    }

    #[test]
    fn a_string_list_is_empty_by_default_and_reads_what_the_runtime_published() {
        static ALLOW: ProgramOption<Vec<String>> = ProgramOption::string_list("allow", "cmds");
        assert_eq!(ALLOW.raw_type(), 0x5745_0001);
        assert!(ALLOW.get().is_empty());
        assert!(ALLOW.default_value().is_null(), "a bare flag is an error");
        runtime_publishes(&ALLOW, &[b"ls"]);
        assert_eq!(ALLOW.get(), ["ls"]);
        runtime_publishes(&ALLOW, &[b"ls", b"", b"a,b", b"\xff"]);
        assert_eq!(ALLOW.get(), ["ls", "", "a,b", "\u{fffd}"]);
        runtime_writes(&ALLOW, core::ptr::null());
        assert!(ALLOW.get().is_empty());
        // An empty list with a NULL item array is empty too.
        runtime_writes(
            &ALLOW,
            Box::leak(Box::new(RawStringList {
                length: 0,
                items: core::ptr::null(),
            })),
        );
        assert!(ALLOW.get().is_empty());
    }

    #[test]
    fn string_list_layout_is_wedge_string_list() {
        assert_eq!(size_of::<RawStringList>(), 16);
        assert_eq!(core::mem::offset_of!(RawStringList, items), 8);
        assert_eq!(size_of::<*const RawStringList>(), size_of::<usize>());
    }

    #[test]
    fn raw_string_is_a_wasmedge_string() {
        assert_eq!(size_of::<RawString>(), size_of::<ffi::WasmEdge_String>());
        assert_eq!(core::mem::offset_of!(RawString, buf), 8);
    }
}
