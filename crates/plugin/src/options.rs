//! Plug-in program options: command-line flags `--<Name>` whose values are written straight into
//! the plug-in's storage, exactly as WasmEdge does (reference §1.4).
//!
//! - Toggle: `bool`, set to true when the flag is present.
//! - Int8 … Double: the matching C type, parsed from the flag's value.
//! - String: a `WasmEdge_String` set to a fresh copy of the value that is never freed.
//! - StringList (a Wedge extension, type value [`abi::WedgeProgramOptionType_StringList`]): the
//!   storage is a pointer-aligned `const WedgeStringList *` slot (NULL: empty). Each occurrence of
//!   the flag appends its value: a new [`abi::WedgeStringList`] with the old items and a fresh,
//!   NUL-terminated copy of the value is built and published with one release store of the
//!   pointer. Nothing is ever freed (lists, item arrays, strings), so a reader that loaded an
//!   older pointer reads valid memory; the cost is a few bytes per flag, once per process.
//!   [`ProgramOption::set_list`] replaces the whole list (the C API's
//!   `WasmEdge_ModuleInstanceInitWasmEdgeProcess` does that, as WasmEdge does). A bare flag
//!   writes a copy of the list `DefaultValue` points to, or is an error when it is NULL.
//! - None: nothing is written.
//!
//! `DefaultValue` is used only for a bare `--<Name>` (no value); nothing is written when the flag
//! is absent. A bare non-toggle flag without a `DefaultValue` is an error (WasmEdge's parser makes
//! such a flag mandatory; the CLI decides what to do about absent flags).
//!
//! Writes from this crate are serialised by one lock. The plug-in reads its storage when it builds
//! a module, so options must be applied before any module of the plug-in is created (the CLI
//! parses its flags first, as WasmEdge does).

#![allow(
    unsafe_code,
    reason = "writing parsed option values into a plug-in's C storage"
)]

use core::ffi::{c_char, c_void};
use core::sync::atomic::{AtomicPtr, Ordering};
use std::fmt;
use std::sync::Mutex;

use crate::abi::{self, WasmEdge_String, WedgeStringList};

/// The type of a program option's storage (`WasmEdge_ProgramOptionType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OptionType {
    /// No storage; the flag is accepted and ignored.
    None,
    /// `bool`.
    Toggle,
    /// `int8_t`.
    Int8,
    /// `int16_t`.
    Int16,
    /// `int32_t`.
    Int32,
    /// `int64_t`.
    Int64,
    /// `uint8_t`.
    UInt8,
    /// `uint16_t`.
    UInt16,
    /// `uint32_t`.
    UInt32,
    /// `uint64_t`.
    UInt64,
    /// `float`.
    Float,
    /// `double`.
    Double,
    /// `WasmEdge_String`.
    String,
    /// A list of strings: a `const WedgeStringList *` (a Wedge extension, see the module docs).
    StringList,
}

impl OptionType {
    /// The type for a C enum value, or `None` for a value the ABI does not define.
    pub fn from_raw(raw: abi::WasmEdge_ProgramOptionType) -> Option<Self> {
        Some(match raw {
            abi::WasmEdge_ProgramOptionType_None => Self::None,
            abi::WasmEdge_ProgramOptionType_Toggle => Self::Toggle,
            abi::WasmEdge_ProgramOptionType_Int8 => Self::Int8,
            abi::WasmEdge_ProgramOptionType_Int16 => Self::Int16,
            abi::WasmEdge_ProgramOptionType_Int32 => Self::Int32,
            abi::WasmEdge_ProgramOptionType_Int64 => Self::Int64,
            abi::WasmEdge_ProgramOptionType_UInt8 => Self::UInt8,
            abi::WasmEdge_ProgramOptionType_UInt16 => Self::UInt16,
            abi::WasmEdge_ProgramOptionType_UInt32 => Self::UInt32,
            abi::WasmEdge_ProgramOptionType_UInt64 => Self::UInt64,
            abi::WasmEdge_ProgramOptionType_Float => Self::Float,
            abi::WasmEdge_ProgramOptionType_Double => Self::Double,
            abi::WasmEdge_ProgramOptionType_String => Self::String,
            abi::WedgeProgramOptionType_StringList => Self::StringList,
            _ => return None,
        })
    }

    /// How the type is named in messages.
    pub fn c_name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Toggle => "bool",
            Self::Int8 => "int8_t",
            Self::Int16 => "int16_t",
            Self::Int32 => "int32_t",
            Self::Int64 => "int64_t",
            Self::UInt8 => "uint8_t",
            Self::UInt16 => "uint16_t",
            Self::UInt32 => "uint32_t",
            Self::UInt64 => "uint64_t",
            Self::Float => "float",
            Self::Double => "double",
            Self::String => "string",
            Self::StringList => "list of strings",
        }
    }
}

/// Why a flag's value could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OptionError {
    /// A toggle was given a value (`--Name=v`).
    TakesNoValue {
        /// The option's name.
        name: String,
    },
    /// A bare `--Name` for an option that needs a value and has no default.
    MissingValue {
        /// The option's name.
        name: String,
    },
    /// The value does not parse as the option's type.
    InvalidValue {
        /// The option's name.
        name: String,
        /// The option's type.
        ty: OptionType,
        /// The text given.
        value: String,
    },
    /// A string value longer than `u32::MAX` bytes, or a list longer than `u32::MAX` items.
    TooLong {
        /// The option's name.
        name: String,
    },
    /// [`ProgramOption::set_list`] on an option that is not a list of strings.
    NotAList {
        /// The option's name.
        name: String,
        /// The option's type.
        ty: OptionType,
    },
}

impl fmt::Display for OptionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TakesNoValue { name } => write!(f, "option --{name} takes no value"),
            Self::MissingValue { name } => write!(f, "option --{name} needs a value"),
            Self::InvalidValue { name, ty, value } => {
                write!(
                    f,
                    "option --{name}: `{value}` is not a valid {}",
                    ty.c_name()
                )
            }
            Self::TooLong { name } => write!(f, "option --{name}: the value is too long"),
            Self::NotAList { name, ty } => {
                write!(f, "option --{name} is a {}, not a list", ty.c_name())
            }
        }
    }
}

impl std::error::Error for OptionError {}

/// One program option of a plug-in (`WasmEdge_ProgramOption`), with its name copied out and its
/// storage and default pointers kept for writing.
pub struct ProgramOption {
    name: String,
    description: String,
    ty: OptionType,
    storage: *mut c_void,
    default: *const c_void,
}

// SAFETY: `storage` and `default` point into a plug-in's memory that lives as long as the option
// (see `from_raw`); this crate only writes `storage` under `WRITE_LOCK` and only reads `default`.
unsafe impl Send for ProgramOption {}
// SAFETY: as for `Send`: every access through `&ProgramOption` is a read of `default` or a write
// of `storage` serialised by `WRITE_LOCK`.
unsafe impl Sync for ProgramOption {}

/// Serialises this crate's writes to option storage.
static WRITE_LOCK: Mutex<()> = Mutex::new(());

impl ProgramOption {
    /// An option over raw storage.
    ///
    /// # Safety
    ///
    /// Unless `ty` is [`OptionType::None`], `storage` is non-NULL and valid for writes of the C
    /// type `ty` names (`WasmEdge_String` for [`OptionType::String`], a pointer-aligned
    /// `const WedgeStringList *` for [`OptionType::StringList`]) for as long as this option
    /// exists, and nothing else writes it while [`ProgramOption::set`] runs (a list's slot may be
    /// read at the same time with atomic loads). `default` is NULL or valid for reads of that type
    /// for as long as this option exists (for a string, a `WasmEdge_String` whose `Buf` holds
    /// `Length` readable bytes; for a list, a slot that is NULL or points to a `WedgeStringList`
    /// whose `Items` hold `Length` such strings, all living as long as the process).
    pub unsafe fn from_raw(
        name: String,
        description: String,
        ty: OptionType,
        storage: *mut c_void,
        default: *const c_void,
    ) -> Self {
        Self {
            name,
            description,
            ty,
            storage,
            default,
        }
    }

    /// The flag's name, used as `--<name>`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The help text (empty when the plug-in gave none).
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The storage type.
    pub fn ty(&self) -> OptionType {
        self.ty
    }

    /// Whether a bare `--<name>` has a value to write (always true for toggles and `None`).
    pub fn has_default(&self) -> bool {
        matches!(self.ty, OptionType::Toggle | OptionType::None) || !self.default.is_null()
    }

    /// Writes the flag into the plug-in's storage: `value` is the text after `--<name>=` (or the
    /// next argument), `None` for a bare `--<name>`, which writes `DefaultValue` (true for a
    /// toggle). A string is copied into a buffer that is never freed, as in WasmEdge.
    pub fn set(&self, value: Option<&str>) -> Result<(), OptionError> {
        let _guard = WRITE_LOCK
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match self.ty {
            OptionType::None => Ok(()),
            OptionType::Toggle => match value {
                None => {
                    // SAFETY: a toggle's storage is a writable C `bool` (from_raw's contract),
                    // which has Rust `bool`'s layout.
                    unsafe { self.storage.cast::<bool>().write_unaligned(true) };
                    Ok(())
                }
                Some(_) => Err(OptionError::TakesNoValue {
                    name: self.name.clone(),
                }),
            },
            OptionType::Int8 => self.write_parsed::<i8>(value),
            OptionType::Int16 => self.write_parsed::<i16>(value),
            OptionType::Int32 => self.write_parsed::<i32>(value),
            OptionType::Int64 => self.write_parsed::<i64>(value),
            OptionType::UInt8 => self.write_parsed::<u8>(value),
            OptionType::UInt16 => self.write_parsed::<u16>(value),
            OptionType::UInt32 => self.write_parsed::<u32>(value),
            OptionType::UInt64 => self.write_parsed::<u64>(value),
            OptionType::Float => self.write_parsed::<f32>(value),
            OptionType::Double => self.write_parsed::<f64>(value),
            OptionType::String => self.write_string(value),
            OptionType::StringList => self.append_to_list(value),
        }
    }

    /// Replaces a list option's value with `values` (in order), as WasmEdge's C API does for
    /// `WasmEdge_ModuleInstanceInitWasmEdgeProcess`. An error for any other type.
    pub fn set_list<S: AsRef<str>>(&self, values: &[S]) -> Result<(), OptionError> {
        if self.ty != OptionType::StringList {
            return Err(OptionError::NotAList {
                name: self.name.clone(),
                ty: self.ty,
            });
        }
        let _guard = WRITE_LOCK
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let items = values
            .iter()
            .map(|v| self.leak_string(v.as_ref().as_bytes().to_vec()))
            .collect::<Result<Vec<_>, _>>()?;
        self.publish_list(items)
    }

    /// A list option's current value (what the plug-in will read), `None` for other types.
    /// Invalid UTF-8 is replaced.
    pub fn list(&self) -> Option<Vec<String>> {
        if self.ty != OptionType::StringList {
            return None;
        }
        // SAFETY: a list option's storage is a readable slot (from_raw's contract) holding NULL
        // or a list that is never freed.
        let items = unsafe { list_items(self.load_list_slot()) };
        Some(
            items
                .iter()
                // SAFETY: a string of a valid list (list_items' contract).
                .map(|s| String::from_utf8_lossy(unsafe { string_bytes(s) }).into_owned())
                .collect(),
        )
    }

    /// The pointer in a list option's storage slot (a `const WedgeStringList *`).
    fn load_list_slot(&self) -> *const WedgeStringList {
        let slot = self.storage.cast::<*mut WedgeStringList>();
        if slot.is_aligned() {
            // SAFETY: the slot is a live, aligned pointer slot (from_raw's contract); writers
            // store it atomically.
            unsafe { AtomicPtr::from_ptr(slot) }.load(Ordering::Acquire)
        } else {
            // SAFETY: as above, without alignment (a C plug-in that packed its storage).
            unsafe { slot.read_unaligned() }
        }
    }

    /// Appends `value` (or, for a bare flag, sets the default list). Called with `WRITE_LOCK`
    /// held.
    fn append_to_list(&self, value: Option<&str>) -> Result<(), OptionError> {
        let items = match value {
            Some(text) => {
                // SAFETY: the slot holds NULL or a never-freed list (from_raw's contract).
                let mut items = unsafe { list_items(self.load_list_slot()) }.to_vec();
                items.push(self.leak_string(text.as_bytes().to_vec())?);
                items
            }
            None => {
                if self.default.is_null() {
                    return Err(OptionError::MissingValue {
                        name: self.name.clone(),
                    });
                }
                // SAFETY: a list option's non-NULL default is a readable slot holding NULL or a
                // valid list (from_raw's contract).
                let default = unsafe {
                    self.default
                        .cast::<*const WedgeStringList>()
                        .read_unaligned()
                };
                // SAFETY: as above.
                unsafe { list_items(default) }
                    .iter()
                    // SAFETY: a string of a valid list (list_items' contract).
                    .map(|s| self.leak_string(unsafe { string_bytes(s) }.to_vec()))
                    .collect::<Result<Vec<_>, _>>()?
            }
        };
        self.publish_list(items)
    }

    /// Leaks `items` and a [`WedgeStringList`] over them, and stores its address in the slot.
    /// Called with `WRITE_LOCK` held.
    fn publish_list(&self, items: Vec<WasmEdge_String>) -> Result<(), OptionError> {
        let length = u32::try_from(items.len()).map_err(|_| OptionError::TooLong {
            name: self.name.clone(),
        })?;
        let items: &'static [WasmEdge_String] = Box::leak(items.into_boxed_slice());
        let list: &'static mut WedgeStringList = Box::leak(Box::new(WedgeStringList {
            Length: length,
            Items: if items.is_empty() {
                core::ptr::null()
            } else {
                items.as_ptr()
            },
        }));
        let slot = self.storage.cast::<*mut WedgeStringList>();
        if slot.is_aligned() {
            // SAFETY: the slot is a live, aligned, writable pointer slot (from_raw's contract);
            // the release store publishes the fully built, never-freed list.
            unsafe { AtomicPtr::from_ptr(slot) }.store(list, Ordering::Release);
        } else {
            // SAFETY: as above, without alignment.
            unsafe { slot.write_unaligned(list) };
        }
        Ok(())
    }

    /// A never-freed copy of `bytes` with a NUL after them, as a `WasmEdge_String`.
    fn leak_string(&self, mut bytes: Vec<u8>) -> Result<WasmEdge_String, OptionError> {
        let length = u32::try_from(bytes.len()).map_err(|_| OptionError::TooLong {
            name: self.name.clone(),
        })?;
        bytes.push(0);
        let buf: &'static mut [u8] = Box::leak(bytes.into_boxed_slice());
        Ok(WasmEdge_String {
            Length: length,
            Buf: buf.as_ptr().cast::<c_char>(),
        })
    }

    /// Parses `value` (or reads the default) as `T` and writes it. Called with `WRITE_LOCK` held.
    fn write_parsed<T: Copy + std::str::FromStr>(
        &self,
        value: Option<&str>,
    ) -> Result<(), OptionError> {
        let v: T = match value {
            Some(text) => text.parse().map_err(|_| OptionError::InvalidValue {
                name: self.name.clone(),
                ty: self.ty,
                value: text.to_owned(),
            })?,
            None => {
                if self.default.is_null() {
                    return Err(OptionError::MissingValue {
                        name: self.name.clone(),
                    });
                }
                // SAFETY: a non-NULL default is readable as the option's C type, which is `T`
                // (from_raw's contract; `set` picks `T` from `ty`).
                unsafe { self.default.cast::<T>().read_unaligned() }
            }
        };
        // SAFETY: storage is writable as the option's C type `T` (from_raw's contract), and the
        // caller holds WRITE_LOCK.
        unsafe { self.storage.cast::<T>().write_unaligned(v) };
        Ok(())
    }

    /// Copies the value (or the default string) into a leaked buffer and points the storage's
    /// `WasmEdge_String` at it. Called with `WRITE_LOCK` held.
    fn write_string(&self, value: Option<&str>) -> Result<(), OptionError> {
        let bytes: Vec<u8> = match value {
            Some(text) => text.as_bytes().to_vec(),
            None => {
                if self.default.is_null() {
                    return Err(OptionError::MissingValue {
                        name: self.name.clone(),
                    });
                }
                // SAFETY: a string option's non-NULL default is a readable `WasmEdge_String`
                // (from_raw's contract).
                let d = unsafe { self.default.cast::<WasmEdge_String>().read_unaligned() };
                if d.Length == 0 || d.Buf.is_null() {
                    Vec::new()
                } else {
                    // SAFETY: `Buf` holds `Length` readable bytes (from_raw's contract).
                    unsafe { std::slice::from_raw_parts(d.Buf.cast::<u8>(), d.Length as usize) }
                        .to_vec()
                }
            }
        };
        // A trailing NUL, not counted in Length, helps C code that treats Buf as a C string.
        let s = self.leak_string(bytes)?;
        // SAFETY: a string option's storage is a writable `WasmEdge_String` (from_raw's contract),
        // and the caller holds WRITE_LOCK. The buffer is leaked, so it is never freed.
        unsafe { self.storage.cast::<WasmEdge_String>().write_unaligned(s) };
        Ok(())
    }
}

/// The items of the list at `list` (none for NULL).
///
/// # Safety
///
/// `list` is NULL or points to a `WedgeStringList` whose `Items` hold `Length` strings, each with
/// `Length` readable bytes at `Buf` (or NULL when 0), all living as long as the process.
unsafe fn list_items(list: *const WedgeStringList) -> &'static [WasmEdge_String] {
    // SAFETY: NULL or a valid list (this function's contract).
    let Some(list) = (unsafe { list.as_ref() }) else {
        return &[];
    };
    if list.Length == 0 || list.Items.is_null() {
        return &[];
    }
    // SAFETY: `Items` holds `Length` strings (this function's contract).
    unsafe { std::slice::from_raw_parts(list.Items, list.Length as usize) }
}

/// The bytes of a string of a list.
///
/// # Safety
///
/// `Buf` is NULL or holds `Length` readable bytes for the life of the process (true of every
/// string [`list_items`] returns).
unsafe fn string_bytes(s: &WasmEdge_String) -> &'static [u8] {
    if s.Length == 0 || s.Buf.is_null() {
        return &[];
    }
    // SAFETY: `Buf` holds `Length` readable bytes (this function's contract).
    unsafe { std::slice::from_raw_parts(s.Buf.cast::<u8>(), s.Length as usize) }
}

impl fmt::Debug for ProgramOption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProgramOption")
            .field("name", &self.name)
            .field("description", &self.description)
            .field("ty", &self.ty)
            .field("has_default", &self.has_default())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::ptr;

    /// Storage laid out as a C plug-in would declare it, one field per type.
    #[repr(C)]
    #[derive(Default)]
    struct Storage {
        toggle: bool,
        i8_: i8,
        i16_: i16,
        i32_: i32,
        i64_: i64,
        u8_: u8,
        u16_: u16,
        u32_: u32,
        u64_: u64,
        f32_: f32,
        f64_: f64,
    }

    fn option<T>(ty: OptionType, storage: &mut T, default: *const T) -> ProgramOption {
        // SAFETY: `storage` is a live `&mut T` of the type `ty` names, and each test keeps it
        // alive and untouched while the option is used; `default` is NULL or a live `&T`.
        unsafe {
            ProgramOption::from_raw(
                "Opt".into(),
                String::new(),
                ty,
                ptr::from_mut(storage).cast(),
                default.cast(),
            )
        }
    }

    fn string_of(s: &WasmEdge_String) -> &[u8] {
        // SAFETY: `set` wrote a leaked buffer of `Length` bytes (plus a NUL).
        unsafe { std::slice::from_raw_parts(s.Buf.cast::<u8>(), s.Length as usize + 1) }
    }

    #[test]
    fn toggle_is_set_true_by_a_bare_flag_and_rejects_a_value() {
        let mut s = Storage::default();
        let o = option(OptionType::Toggle, &mut s.toggle, ptr::null());
        o.set(None).unwrap();
        assert_eq!(
            o.set(Some("false")),
            Err(OptionError::TakesNoValue { name: "Opt".into() })
        );
        drop(o);
        assert!(s.toggle);
    }

    #[test]
    fn integers_are_written_with_their_c_width() {
        let mut s = Storage::default();
        option(OptionType::Int8, &mut s.i8_, ptr::null())
            .set(Some("-128"))
            .unwrap();
        option(OptionType::Int16, &mut s.i16_, ptr::null())
            .set(Some("-300"))
            .unwrap();
        option(OptionType::Int32, &mut s.i32_, ptr::null())
            .set(Some("-70000"))
            .unwrap();
        option(OptionType::Int64, &mut s.i64_, ptr::null())
            .set(Some("-5000000000"))
            .unwrap();
        option(OptionType::UInt8, &mut s.u8_, ptr::null())
            .set(Some("255"))
            .unwrap();
        option(OptionType::UInt16, &mut s.u16_, ptr::null())
            .set(Some("65535"))
            .unwrap();
        option(OptionType::UInt32, &mut s.u32_, ptr::null())
            .set(Some("4000000000"))
            .unwrap();
        option(OptionType::UInt64, &mut s.u64_, ptr::null())
            .set(Some("18446744073709551615"))
            .unwrap();
        assert_eq!(
            (s.i8_, s.i16_, s.i32_, s.i64_, s.u8_, s.u16_, s.u32_, s.u64_),
            (
                -128,
                -300,
                -70000,
                -5_000_000_000,
                255,
                65535,
                4_000_000_000,
                u64::MAX
            )
        );
        // Neighbours are untouched: the toggle before i8 and f32 after u64 stay zero.
        assert!(!s.toggle);
        assert_eq!(s.f32_, 0.0);
    }

    #[test]
    fn out_of_range_or_non_numeric_values_are_rejected_and_leave_storage_alone() {
        let mut s = Storage {
            u8_: 7,
            i32_: 9,
            ..Storage::default()
        };
        let e = option(OptionType::UInt8, &mut s.u8_, ptr::null())
            .set(Some("256"))
            .unwrap_err();
        assert!(
            matches!(
                e,
                OptionError::InvalidValue {
                    ty: OptionType::UInt8,
                    ..
                }
            ),
            "{e}"
        );
        assert!(
            option(OptionType::Int32, &mut s.i32_, ptr::null())
                .set(Some("12abc"))
                .is_err()
        );
        assert!(
            option(OptionType::UInt8, &mut s.u8_, ptr::null())
                .set(Some("-1"))
                .is_err()
        );
        assert_eq!((s.u8_, s.i32_), (7, 9));
    }

    #[test]
    fn floats_are_written_as_float_and_double() {
        let mut s = Storage::default();
        option(OptionType::Float, &mut s.f32_, ptr::null())
            .set(Some("1.5"))
            .unwrap();
        option(OptionType::Double, &mut s.f64_, ptr::null())
            .set(Some("-2.25e3"))
            .unwrap();
        assert_eq!((s.f32_, s.f64_), (1.5, -2250.0));
    }

    #[test]
    fn bare_flag_writes_default_value_only_when_there_is_one() {
        let mut s = Storage::default();
        let default = 42i32;
        option(OptionType::Int32, &mut s.i32_, &default)
            .set(None)
            .unwrap();
        assert_eq!(s.i32_, 42);
        let e = option(OptionType::Int64, &mut s.i64_, ptr::null())
            .set(None)
            .unwrap_err();
        assert_eq!(e, OptionError::MissingValue { name: "Opt".into() });
        // An explicit value wins over the default.
        option(OptionType::Int32, &mut s.i32_, &default)
            .set(Some("7"))
            .unwrap();
        assert_eq!(s.i32_, 7);
    }

    #[test]
    fn string_is_copied_into_a_fresh_buffer() {
        let mut storage = WasmEdge_String {
            Length: 0,
            Buf: ptr::null(),
        };
        let text = String::from("model.gguf");
        option(OptionType::String, &mut storage, ptr::null())
            .set(Some(&text))
            .unwrap();
        drop(text);
        assert_eq!(storage.Length, 10);
        assert_eq!(string_of(&storage), b"model.gguf\0");
        // A second write points at another buffer; the first one stays valid (never freed).
        let first = storage;
        option(OptionType::String, &mut storage, ptr::null())
            .set(Some(""))
            .unwrap();
        assert_eq!(storage.Length, 0);
        assert_ne!(first.Buf, storage.Buf);
        assert_eq!(string_of(&first), b"model.gguf\0");
    }

    #[test]
    fn bare_string_flag_copies_the_default_string() {
        let bytes = b"dflt-not-nul-terminated";
        let default = WasmEdge_String {
            Length: 4,
            Buf: bytes.as_ptr().cast(),
        };
        let mut storage = WasmEdge_String {
            Length: 0,
            Buf: ptr::null(),
        };
        option(OptionType::String, &mut storage, &default)
            .set(None)
            .unwrap();
        assert_eq!(string_of(&storage), b"dflt\0");
        assert_ne!(storage.Buf, default.Buf);
    }

    /// A list option over `slot` with `default` (NULL or a slot).
    fn list_option(
        slot: &mut *const WedgeStringList,
        default: *const *const WedgeStringList,
    ) -> ProgramOption {
        option(OptionType::StringList, slot, default)
    }

    #[test]
    fn list_flags_append_in_order_and_publish_a_fresh_list_each_time() {
        let mut slot: *const WedgeStringList = ptr::null();
        let o = list_option(&mut slot, ptr::null());
        assert_eq!(o.list(), Some(vec![]));
        o.set(Some("ls")).unwrap();
        let first = o.load_list_slot();
        o.set(Some("a,b")).unwrap();
        o.set(Some("")).unwrap();
        assert_eq!(
            o.list(),
            Some(vec!["ls".to_string(), "a,b".into(), String::new()])
        );
        // The first list is still valid and unchanged: nothing is freed or written in place.
        // SAFETY: lists are never freed.
        let old = unsafe { list_items(first) };
        assert_eq!(old.len(), 1);
        // SAFETY: as above.
        assert_eq!(unsafe { string_bytes(&old[0]) }, b"ls");
        // Strings are NUL-terminated past their length.
        // SAFETY: `leak_string` put a NUL after the bytes.
        assert_eq!(unsafe { *old[0].Buf.add(2) }, 0);
        drop(o);
        // SAFETY: the slot points to the last list published.
        let items = unsafe { list_items(slot) };
        assert_eq!(items.len(), 3);
    }

    #[test]
    fn set_list_replaces_and_a_bare_list_flag_needs_a_default() {
        let mut slot: *const WedgeStringList = ptr::null();
        let o = list_option(&mut slot, ptr::null());
        o.set(Some("x")).unwrap();
        o.set_list(&["cat", "echo"]).unwrap();
        assert_eq!(o.list(), Some(vec!["cat".to_string(), "echo".into()]));
        o.set_list::<&str>(&[]).unwrap();
        assert_eq!(o.list(), Some(vec![]));
        assert_eq!(
            o.set(None),
            Err(OptionError::MissingValue { name: "Opt".into() })
        );
        assert!(!o.has_default());

        // With a default list, a bare flag writes a copy of it.
        let bytes = b"dflt";
        let item = WasmEdge_String {
            Length: 4,
            Buf: bytes.as_ptr().cast(),
        };
        let list = WedgeStringList {
            Length: 1,
            Items: &item,
        };
        let default: *const WedgeStringList = &list;
        let mut slot2: *const WedgeStringList = ptr::null();
        let o2 = list_option(&mut slot2, &default);
        assert!(o2.has_default());
        o2.set(Some("y")).unwrap();
        o2.set(None).unwrap();
        assert_eq!(o2.list(), Some(vec!["dflt".to_string()]));
    }

    #[test]
    fn set_list_refuses_other_types_and_list_is_none_for_them() {
        let mut s = Storage::default();
        let o = option(OptionType::Int32, &mut s.i32_, ptr::null());
        assert_eq!(
            o.set_list(&["1"]),
            Err(OptionError::NotAList {
                name: "Opt".into(),
                ty: OptionType::Int32
            })
        );
        assert_eq!(o.list(), None);
        assert_eq!(s.i32_, 0);
    }

    #[test]
    fn list_type_value_is_outside_wasmedge_s_enum() {
        assert_eq!(
            OptionType::from_raw(abi::WedgeProgramOptionType_StringList),
            Some(OptionType::StringList)
        );
        const {
            assert!(
                abi::WedgeProgramOptionType_StringList > abi::WasmEdge_ProgramOptionType_String
            );
        }
    }

    #[test]
    fn none_type_writes_nothing() {
        let mut s = Storage {
            i64_: -1,
            ..Storage::default()
        };
        option(OptionType::None, &mut s.i64_, ptr::null())
            .set(Some("5"))
            .unwrap();
        option(OptionType::None, &mut s.i64_, ptr::null())
            .set(None)
            .unwrap();
        assert_eq!(s.i64_, -1);
    }

    #[test]
    fn from_raw_maps_every_c_enum_value() {
        let all = [
            OptionType::None,
            OptionType::Toggle,
            OptionType::Int8,
            OptionType::Int16,
            OptionType::Int32,
            OptionType::Int64,
            OptionType::UInt8,
            OptionType::UInt16,
            OptionType::UInt32,
            OptionType::UInt64,
            OptionType::Float,
            OptionType::Double,
            OptionType::String,
        ];
        for (raw, ty) in all.into_iter().enumerate() {
            assert_eq!(OptionType::from_raw(raw as u32), Some(ty));
        }
        assert_eq!(OptionType::from_raw(13), None);
        assert_eq!(OptionType::from_raw(u32::MAX), None);
    }
}
