//! `#[repr(C)]` mirrors of WasmEdge's plug-in ABI (`wasmedge_plugin.h`, plug-in API version 5).
//!
//! The names and layouts are WasmEdge's exactly, so that a plug-in compiled against WasmEdge's
//! header (or ours, later) hands us a descriptor we can read field by field. Sizes and offsets are
//! pinned by `const` assertions below for 64-bit targets, where the reference gives them.
//!
//! These types hold raw pointers into a plug-in's memory and are only read by the loader
//! (`load.rs`), which copies what the runtime needs into safe Rust types.

#![allow(
    non_camel_case_types,
    non_snake_case,
    non_upper_case_globals,
    reason = "C names are WasmEdge's exactly"
)]

use core::ffi::{c_char, c_void};

/// The plug-in API version this loader accepts (`WasmEdge_Plugin_CurrentAPIVersion` of 0.17.1).
pub const WasmEdge_Plugin_CurrentAPIVersion: u32 = 5;

/// The name of the C entry symbol every C plug-in exports.
pub const GET_DESCRIPTOR_SYMBOL: &str = "WasmEdge_Plugin_GetDescriptor";

/// The name of the C++ entry symbol (`EXPORT_GET_DESCRIPTOR`) of WasmEdge's C++ plug-ins, which a
/// non-C++ runtime cannot host; we look for it only to say so in the error.
pub const CPP_GET_DESCRIPTOR_SYMBOL: &str = "GetDescriptor";

/// The C enum `WasmEdge_ProgramOptionType`, read as its underlying integer: a value outside the
/// known range must be reportable, not undefined behaviour, so it is not a Rust enum here.
pub type WasmEdge_ProgramOptionType = u32;
/// No storage; the option is skipped.
pub const WasmEdge_ProgramOptionType_None: WasmEdge_ProgramOptionType = 0;
/// `bool`, set to true when the flag is present.
pub const WasmEdge_ProgramOptionType_Toggle: WasmEdge_ProgramOptionType = 1;
/// `int8_t`.
pub const WasmEdge_ProgramOptionType_Int8: WasmEdge_ProgramOptionType = 2;
/// `int16_t`.
pub const WasmEdge_ProgramOptionType_Int16: WasmEdge_ProgramOptionType = 3;
/// `int32_t`.
pub const WasmEdge_ProgramOptionType_Int32: WasmEdge_ProgramOptionType = 4;
/// `int64_t`.
pub const WasmEdge_ProgramOptionType_Int64: WasmEdge_ProgramOptionType = 5;
/// `uint8_t`.
pub const WasmEdge_ProgramOptionType_UInt8: WasmEdge_ProgramOptionType = 6;
/// `uint16_t`.
pub const WasmEdge_ProgramOptionType_UInt16: WasmEdge_ProgramOptionType = 7;
/// `uint32_t`.
pub const WasmEdge_ProgramOptionType_UInt32: WasmEdge_ProgramOptionType = 8;
/// `uint64_t`.
pub const WasmEdge_ProgramOptionType_UInt64: WasmEdge_ProgramOptionType = 9;
/// `float`.
pub const WasmEdge_ProgramOptionType_Float: WasmEdge_ProgramOptionType = 10;
/// `double`.
pub const WasmEdge_ProgramOptionType_Double: WasmEdge_ProgramOptionType = 11;
/// `WasmEdge_String`, set to a fresh copy of the value that is never freed.
pub const WasmEdge_ProgramOptionType_String: WasmEdge_ProgramOptionType = 12;

/// Wedge extension, not in WasmEdge's enum: a list of strings. `Storage` is a pointer-aligned
/// `const WedgeStringList *` slot, NULL for the empty list; `DefaultValue` is NULL or points to
/// such a slot. Each `--<Name> VALUE` on the command line appends: the runtime publishes, with
/// one atomic (release) pointer store, a new [`WedgeStringList`] holding the old items and the new
/// one; lists, item arrays and strings are never freed, so a reader holding an older list keeps
/// valid memory. The value is `'W' 'E'` (0x57 0x45) in the high half, far from WasmEdge's 0..12.
/// WasmEdge's own loader has no case for it and skips the option (it does not register the flag,
/// so `wasmedge --<Name>` is an unknown option, and the plug-in sees its empty default).
pub const WedgeProgramOptionType_StringList: WasmEdge_ProgramOptionType = 0x5745_0001;

/// What a [`WedgeProgramOptionType_StringList`] option's storage points to: `Length` strings at
/// `Items` (NULL when `Length` is 0). Each string's `Buf` is followed by a NUL not counted in
/// `Length`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct WedgeStringList {
    /// Number of strings in `Items`.
    pub Length: u32,
    /// The strings.
    pub Items: *const WasmEdge_String,
}

/// `WasmEdge_String`: a length and a pointer to bytes that need not be NUL-terminated.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct WasmEdge_String {
    /// Byte length of `Buf`.
    pub Length: u32,
    /// The bytes; may be NULL when `Length` is 0.
    pub Buf: *const c_char,
}

/// `WasmEdge_ModuleInstanceContext`: opaque here; the C API crate defines what it is.
#[repr(C)]
pub struct WasmEdge_ModuleInstanceContext {
    _opaque: [u8; 0],
}

/// The `Create` function of a module descriptor: it is called with a pointer to the plug-in's own
/// descriptor entry and returns a module instance the caller owns (or NULL on failure).
pub type WasmEdge_ModuleCreateFn =
    unsafe extern "C" fn(*const WasmEdge_ModuleDescriptor) -> *mut WasmEdge_ModuleInstanceContext;

/// `WasmEdge_ProgramOption` (40 bytes on 64-bit targets).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct WasmEdge_ProgramOption {
    /// The flag's name, used as `--<Name>`.
    pub Name: *const c_char,
    /// Help text.
    pub Description: *const c_char,
    /// Which C type `Storage` and `DefaultValue` point to.
    pub Type: WasmEdge_ProgramOptionType,
    /// Where the parsed value is written.
    pub Storage: *mut c_void,
    /// The value used for a bare `--<Name>`; may be NULL.
    pub DefaultValue: *const c_void,
}

/// `WasmEdge_ModuleDescriptor` (24 bytes on 64-bit targets).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct WasmEdge_ModuleDescriptor {
    /// The module's name as the plug-in lists it.
    pub Name: *const c_char,
    /// Help text.
    pub Description: *const c_char,
    /// Builds one instance of the module; NULL makes the descriptor malformed.
    pub Create: Option<WasmEdge_ModuleCreateFn>,
}

/// `WasmEdge_PluginVersionData` (16 bytes).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WasmEdge_PluginVersionData {
    /// Major version.
    pub Major: u32,
    /// Minor version.
    pub Minor: u32,
    /// Patch version.
    pub Patch: u32,
    /// Build number.
    pub Build: u32,
}

/// `WasmEdge_PluginDescriptor` (64 bytes on 64-bit targets), returned by
/// `WasmEdge_Plugin_GetDescriptor`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct WasmEdge_PluginDescriptor {
    /// The plug-in's name (unique per process; the first loaded wins).
    pub Name: *const c_char,
    /// Help text.
    pub Description: *const c_char,
    /// Must equal [`WasmEdge_Plugin_CurrentAPIVersion`].
    pub APIVersion: u32,
    /// The plug-in's own version.
    pub Version: WasmEdge_PluginVersionData,
    /// Number of entries in `ModuleDescriptions`.
    pub ModuleCount: u32,
    /// Number of entries in `ProgramOptions`.
    pub ProgramOptionCount: u32,
    /// `ModuleCount` module descriptors.
    pub ModuleDescriptions: *mut WasmEdge_ModuleDescriptor,
    /// `ProgramOptionCount` program options.
    pub ProgramOptions: *mut WasmEdge_ProgramOption,
}

/// The signature of `WasmEdge_Plugin_GetDescriptor`.
pub type WasmEdge_Plugin_GetDescriptorFn =
    unsafe extern "C" fn() -> *const WasmEdge_PluginDescriptor;

// Layouts from the reference (§1.1), x86_64 and every other LP64 target.
#[cfg(target_pointer_width = "64")]
const _: () = {
    use core::mem::{offset_of, size_of};

    assert!(size_of::<WasmEdge_String>() == 16);
    assert!(offset_of!(WasmEdge_String, Length) == 0);
    assert!(offset_of!(WasmEdge_String, Buf) == 8);

    assert!(size_of::<WasmEdge_ProgramOptionType>() == 4);

    assert!(size_of::<WedgeStringList>() == 16);
    assert!(offset_of!(WedgeStringList, Length) == 0);
    assert!(offset_of!(WedgeStringList, Items) == 8);

    assert!(size_of::<WasmEdge_ProgramOption>() == 40);
    assert!(offset_of!(WasmEdge_ProgramOption, Name) == 0);
    assert!(offset_of!(WasmEdge_ProgramOption, Description) == 8);
    assert!(offset_of!(WasmEdge_ProgramOption, Type) == 16);
    assert!(offset_of!(WasmEdge_ProgramOption, Storage) == 24);
    assert!(offset_of!(WasmEdge_ProgramOption, DefaultValue) == 32);

    assert!(size_of::<WasmEdge_ModuleDescriptor>() == 24);
    assert!(offset_of!(WasmEdge_ModuleDescriptor, Name) == 0);
    assert!(offset_of!(WasmEdge_ModuleDescriptor, Description) == 8);
    assert!(offset_of!(WasmEdge_ModuleDescriptor, Create) == 16);

    assert!(size_of::<WasmEdge_PluginVersionData>() == 16);
    assert!(offset_of!(WasmEdge_PluginVersionData, Major) == 0);
    assert!(offset_of!(WasmEdge_PluginVersionData, Minor) == 4);
    assert!(offset_of!(WasmEdge_PluginVersionData, Patch) == 8);
    assert!(offset_of!(WasmEdge_PluginVersionData, Build) == 12);

    assert!(size_of::<WasmEdge_PluginDescriptor>() == 64);
    assert!(offset_of!(WasmEdge_PluginDescriptor, Name) == 0);
    assert!(offset_of!(WasmEdge_PluginDescriptor, Description) == 8);
    assert!(offset_of!(WasmEdge_PluginDescriptor, APIVersion) == 16);
    assert!(offset_of!(WasmEdge_PluginDescriptor, Version) == 20);
    assert!(offset_of!(WasmEdge_PluginDescriptor, ModuleCount) == 36);
    assert!(offset_of!(WasmEdge_PluginDescriptor, ProgramOptionCount) == 40);
    assert!(offset_of!(WasmEdge_PluginDescriptor, ModuleDescriptions) == 48);
    assert!(offset_of!(WasmEdge_PluginDescriptor, ProgramOptions) == 56);
};

#[cfg(test)]
mod tests {
    use core::mem::{align_of, offset_of, size_of};
    use wedge_plugin_sdk::__private::abi as sdk;

    /// Same size, alignment and field offsets.
    macro_rules! same_layout {
        ($name:ident { $($field:ident),* }) => {
            assert_eq!(size_of::<super::$name>(), size_of::<sdk::$name>(), stringify!($name));
            assert_eq!(align_of::<super::$name>(), align_of::<sdk::$name>(), stringify!($name));
            $(assert_eq!(
                offset_of!(super::$name, $field),
                offset_of!(sdk::$name, $field),
                concat!(stringify!($name), ".", stringify!($field))
            );)*
        };
    }

    #[test]
    fn the_sdk_declares_the_same_abi_as_the_loader() {
        same_layout!(WasmEdge_String { Length, Buf });
        same_layout!(WasmEdge_ProgramOption {
            Name,
            Description,
            Type,
            Storage,
            DefaultValue
        });
        same_layout!(WasmEdge_ModuleDescriptor {
            Name,
            Description,
            Create
        });
        same_layout!(WasmEdge_PluginVersionData {
            Major,
            Minor,
            Patch,
            Build
        });
        same_layout!(WasmEdge_PluginDescriptor {
            Name,
            Description,
            APIVersion,
            Version,
            ModuleCount,
            ProgramOptionCount,
            ModuleDescriptions,
            ProgramOptions
        });
        assert_eq!(
            size_of::<super::WedgeStringList>(),
            size_of::<sdk::WedgeStringList>()
        );
        assert_eq!(
            align_of::<super::WedgeStringList>(),
            align_of::<sdk::WedgeStringList>()
        );
        assert_eq!(
            super::WasmEdge_Plugin_CurrentAPIVersion,
            sdk::WasmEdge_Plugin_CurrentAPIVersion
        );
        let types = [
            (
                super::WasmEdge_ProgramOptionType_Toggle,
                sdk::WasmEdge_ProgramOptionType_Toggle,
            ),
            (
                super::WasmEdge_ProgramOptionType_Int8,
                sdk::WasmEdge_ProgramOptionType_Int8,
            ),
            (
                super::WasmEdge_ProgramOptionType_Int16,
                sdk::WasmEdge_ProgramOptionType_Int16,
            ),
            (
                super::WasmEdge_ProgramOptionType_Int32,
                sdk::WasmEdge_ProgramOptionType_Int32,
            ),
            (
                super::WasmEdge_ProgramOptionType_Int64,
                sdk::WasmEdge_ProgramOptionType_Int64,
            ),
            (
                super::WasmEdge_ProgramOptionType_UInt8,
                sdk::WasmEdge_ProgramOptionType_UInt8,
            ),
            (
                super::WasmEdge_ProgramOptionType_UInt16,
                sdk::WasmEdge_ProgramOptionType_UInt16,
            ),
            (
                super::WasmEdge_ProgramOptionType_UInt32,
                sdk::WasmEdge_ProgramOptionType_UInt32,
            ),
            (
                super::WasmEdge_ProgramOptionType_UInt64,
                sdk::WasmEdge_ProgramOptionType_UInt64,
            ),
            (
                super::WasmEdge_ProgramOptionType_Float,
                sdk::WasmEdge_ProgramOptionType_Float,
            ),
            (
                super::WasmEdge_ProgramOptionType_Double,
                sdk::WasmEdge_ProgramOptionType_Double,
            ),
            (
                super::WasmEdge_ProgramOptionType_String,
                sdk::WasmEdge_ProgramOptionType_String,
            ),
            (
                super::WedgeProgramOptionType_StringList,
                sdk::WedgeProgramOptionType_StringList,
            ),
        ];
        for (loader, plugin) in types {
            assert_eq!(loader, plugin);
        }
    }
}
