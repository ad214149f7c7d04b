//! The part of the WasmEdge 0.17.1 C API that a plug-in uses, declared here by hand.
//!
//! Plain structs (`WasmEdge_String`, `WasmEdge_Result`, `WasmEdge_ValType`, `WasmEdge_Value` and
//! the plug-in descriptor) are built directly, as the header's own macros
//! (`WasmEdge_Result_Success`, …) do; every context (an opaque handle of the runtime) is reached
//! only through the C functions below. Those carry no `#[link]`: a plug-in is a shared library
//! whose `WasmEdge_*` symbols stay undefined until the loader resolves them from the process,
//! which is the `wedge` binary or a host linked with `libwasmedge.so.0`.
//!
//! The SDK calls them through [`Api`], a table of their addresses, and only the entry point that
//! [`plugin!`](crate::plugin) emits names the table ([`PROCESS_API`]). So the symbols are
//! referenced by the plug-in library, but not by a test executable that links the plug-in's
//! code without calling its entry point: the linker drops the unused entry point and the table
//! with it, and the tests link although no runtime provides the symbols.
//!
//! Sizes and offsets are those of the reference (§1.1, §2.2, §2.3) on 64-bit targets, pinned by
//! `const` assertions at the bottom.

#![allow(
    non_camel_case_types,
    non_snake_case,
    non_upper_case_globals,
    reason = "C names are WasmEdge's exactly"
)]

use core::ffi::{c_char, c_void};

/// The plug-in API version of WasmEdge 0.17.1 (`WasmEdge_Plugin_CurrentAPIVersion`).
pub const WasmEdge_Plugin_CurrentAPIVersion: u32 = 5;

/// `WasmEdge_String` (16 bytes): a length and bytes that need not be NUL-terminated.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct WasmEdge_String {
    /// Byte length of `Buf`.
    pub Length: u32,
    /// The bytes; may be NULL when `Length` is 0.
    pub Buf: *const c_char,
}

impl WasmEdge_String {
    /// Borrows `s` for the duration of a C call, as `WasmEdge_StringWrap` does; `None` when `s`
    /// is longer than a `u32` can say.
    pub fn wrap(s: &str) -> Option<Self> {
        Some(Self {
            Length: u32::try_from(s.len()).ok()?,
            Buf: s.as_ptr().cast(),
        })
    }
}

/// `WasmEdge_Result` (4 bytes): `category << 24 | code & 0xFF_FFFF`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WasmEdge_Result {
    /// The packed category and code.
    pub Code: u32,
}

/// `WasmEdge_ValType` (8 bytes): padding, externalize flag, type code, heap type code, index.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WasmEdge_ValType {
    /// The encoded type.
    pub Data: [u8; 8],
}

/// `WasmEdge_Value` (32 bytes, aligned to 16 like C's `__int128`): the bits and the type.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct WasmEdge_Value {
    /// Numbers in the low bits (an `i32` as its `u32` bit pattern), floats as bit patterns.
    pub Value: u128,
    /// The value's type.
    pub Type: WasmEdge_ValType,
}

/// Declares opaque context types: only ever behind a pointer the runtime handed out.
macro_rules! opaque {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[repr(C)]
        pub struct $name {
            _opaque: [u8; 0],
            _not_send_sync: core::marker::PhantomData<*mut u8>,
        }
    )*};
}

opaque! {
    /// `WasmEdge_ModuleInstanceContext`.
    WasmEdge_ModuleInstanceContext;
    /// `WasmEdge_FunctionTypeContext`.
    WasmEdge_FunctionTypeContext;
    /// `WasmEdge_FunctionInstanceContext`.
    WasmEdge_FunctionInstanceContext;
    /// `WasmEdge_MemoryInstanceContext`.
    WasmEdge_MemoryInstanceContext;
    /// `WasmEdge_CallingFrameContext`.
    WasmEdge_CallingFrameContext;
}

/// `WasmEdge_HostFunc_t`: called with the function's data pointer, the calling frame, the
/// parameters (as many as the function type has) and the pre-sized, zeroed results.
pub type WasmEdge_HostFunc_t = unsafe extern "C" fn(
    *mut c_void,
    *const WasmEdge_CallingFrameContext,
    *const WasmEdge_Value,
    *mut WasmEdge_Value,
) -> WasmEdge_Result;

/// The host-data finalizer of `WasmEdge_ModuleInstanceCreateWithData`.
pub type WasmEdge_Finalizer = unsafe extern "C" fn(*mut c_void);

/// `WasmEdge_ProgramOptionType`, as its underlying C `int`.
pub type WasmEdge_ProgramOptionType = u32;
/// `bool`.
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
/// `WasmEdge_String`.
pub const WasmEdge_ProgramOptionType_String: WasmEdge_ProgramOptionType = 12;
/// Wedge extension: a list of strings, storage `const WedgeStringList *` (see `options.rs`).
pub const WedgeProgramOptionType_StringList: WasmEdge_ProgramOptionType = 0x5745_0001;

/// `WasmEdge_ProgramOption` (40 bytes).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct WasmEdge_ProgramOption {
    /// The flag's name, used as `--<Name>`.
    pub Name: *const c_char,
    /// Help text.
    pub Description: *const c_char,
    /// Which C type `Storage` and `DefaultValue` point to.
    pub Type: WasmEdge_ProgramOptionType,
    /// Where the runtime writes the parsed value.
    pub Storage: *mut c_void,
    /// The value written for a bare `--<Name>`.
    pub DefaultValue: *const c_void,
}

/// The `Create` function of a module descriptor.
pub type WasmEdge_ModuleCreateFn =
    unsafe extern "C" fn(*const WasmEdge_ModuleDescriptor) -> *mut WasmEdge_ModuleInstanceContext;

/// `WasmEdge_ModuleDescriptor` (24 bytes).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct WasmEdge_ModuleDescriptor {
    /// The module's name.
    pub Name: *const c_char,
    /// Help text.
    pub Description: *const c_char,
    /// Builds one instance of the module, owned by the caller.
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

/// `WasmEdge_PluginDescriptor` (64 bytes), what `WasmEdge_Plugin_GetDescriptor` returns.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct WasmEdge_PluginDescriptor {
    /// The plug-in's name.
    pub Name: *const c_char,
    /// Help text.
    pub Description: *const c_char,
    /// `WasmEdge_Plugin_CurrentAPIVersion` (5).
    pub APIVersion: u32,
    /// The plug-in's own version.
    pub Version: WasmEdge_PluginVersionData,
    /// Number of entries in `ModuleDescriptions`.
    pub ModuleCount: u32,
    /// Number of entries in `ProgramOptions`.
    pub ProgramOptionCount: u32,
    /// `ModuleCount` module descriptors.
    pub ModuleDescriptions: *mut WasmEdge_ModuleDescriptor,
    /// `ProgramOptionCount` program options (NULL when there are none).
    pub ProgramOptions: *mut WasmEdge_ProgramOption,
}

// Signatures of WasmEdge 0.17.1 (`wasmedge_instance.h`, `wasmedge_ast.h`, `wasmedge_execution.h`).
// Named only in `PROCESS_API`.
unsafe extern "C" {
    /// Creates a host module named `name` (copied) that owns `data`; the runtime calls
    /// `finalizer(data)` when the module is destroyed. NULL on failure.
    fn WasmEdge_ModuleInstanceCreateWithData(
        name: WasmEdge_String,
        data: *mut c_void,
        finalizer: Option<WasmEdge_Finalizer>,
    ) -> *mut WasmEdge_ModuleInstanceContext;

    /// Destroys a module instance (running its finalizer).
    fn WasmEdge_ModuleInstanceDelete(module: *mut WasmEdge_ModuleInstanceContext);

    /// Adds `func` to `module` under `name` (copied); the module takes ownership of `func`.
    fn WasmEdge_ModuleInstanceAddFunction(
        module: *mut WasmEdge_ModuleInstanceContext,
        name: WasmEdge_String,
        func: *mut WasmEdge_FunctionInstanceContext,
    );

    /// Creates a function type from `plen` parameter and `rlen` result types (copied).
    fn WasmEdge_FunctionTypeCreate(
        params: *const WasmEdge_ValType,
        plen: u32,
        results: *const WasmEdge_ValType,
        rlen: u32,
    ) -> *mut WasmEdge_FunctionTypeContext;

    /// Destroys a function type.
    fn WasmEdge_FunctionTypeDelete(ty: *mut WasmEdge_FunctionTypeContext);

    /// Creates a host function of type `ty` (copied) that calls `func(data, …)`. NULL on failure.
    fn WasmEdge_FunctionInstanceCreate(
        ty: *const WasmEdge_FunctionTypeContext,
        func: WasmEdge_HostFunc_t,
        data: *mut c_void,
        cost: u64,
    ) -> *mut WasmEdge_FunctionInstanceContext;

    /// Memory `index` of the calling module, or NULL.
    fn WasmEdge_CallingFrameGetMemoryInstance(
        frame: *const WasmEdge_CallingFrameContext,
        index: u32,
    ) -> *mut WasmEdge_MemoryInstanceContext;

    /// A pointer to `length` bytes at `offset`, or NULL unless the whole range is in bounds.
    fn WasmEdge_MemoryInstanceGetPointer(
        memory: *mut WasmEdge_MemoryInstanceContext,
        offset: u64,
        length: u64,
    ) -> *mut u8;

    /// The memory's size in 64 KiB pages.
    fn WasmEdge_MemoryInstanceGetPageSize(memory: *const WasmEdge_MemoryInstanceContext) -> u64;

    /// Copies `length` bytes at `offset` into `data`; MemoryOutOfBounds unless all in bounds.
    fn WasmEdge_MemoryInstanceGetData(
        memory: *const WasmEdge_MemoryInstanceContext,
        data: *mut u8,
        offset: u64,
        length: u64,
    ) -> WasmEdge_Result;

    /// Copies `length` bytes from `data` to `offset`; MemoryOutOfBounds unless all in bounds.
    fn WasmEdge_MemoryInstanceSetData(
        memory: *mut WasmEdge_MemoryInstanceContext,
        data: *const u8,
        offset: u64,
        length: u64,
    ) -> WasmEdge_Result;
}

/// The C API functions the SDK calls, by address; see the module docs for why a table.
#[doc(hidden)]
#[derive(Debug)]
pub struct Api {
    pub(crate) module_instance_create_with_data:
        unsafe extern "C" fn(
            WasmEdge_String,
            *mut c_void,
            Option<WasmEdge_Finalizer>,
        ) -> *mut WasmEdge_ModuleInstanceContext,
    pub(crate) module_instance_delete: unsafe extern "C" fn(*mut WasmEdge_ModuleInstanceContext),
    pub(crate) module_instance_add_function: unsafe extern "C" fn(
        *mut WasmEdge_ModuleInstanceContext,
        WasmEdge_String,
        *mut WasmEdge_FunctionInstanceContext,
    ),
    pub(crate) function_type_create: unsafe extern "C" fn(
        *const WasmEdge_ValType,
        u32,
        *const WasmEdge_ValType,
        u32,
    ) -> *mut WasmEdge_FunctionTypeContext,
    pub(crate) function_type_delete: unsafe extern "C" fn(*mut WasmEdge_FunctionTypeContext),
    pub(crate) function_instance_create:
        unsafe extern "C" fn(
            *const WasmEdge_FunctionTypeContext,
            WasmEdge_HostFunc_t,
            *mut c_void,
            u64,
        ) -> *mut WasmEdge_FunctionInstanceContext,
    pub(crate) calling_frame_get_memory_instance:
        unsafe extern "C" fn(
            *const WasmEdge_CallingFrameContext,
            u32,
        ) -> *mut WasmEdge_MemoryInstanceContext,
    pub(crate) memory_instance_get_pointer:
        unsafe extern "C" fn(*mut WasmEdge_MemoryInstanceContext, u64, u64) -> *mut u8,
    pub(crate) memory_instance_get_page_size:
        unsafe extern "C" fn(*const WasmEdge_MemoryInstanceContext) -> u64,
    pub(crate) memory_instance_get_data: unsafe extern "C" fn(
        *const WasmEdge_MemoryInstanceContext,
        *mut u8,
        u64,
        u64,
    ) -> WasmEdge_Result,
    pub(crate) memory_instance_set_data: unsafe extern "C" fn(
        *mut WasmEdge_MemoryInstanceContext,
        *const u8,
        u64,
        u64,
    ) -> WasmEdge_Result,
}

/// The WasmEdge C API of the process the plug-in is loaded into: the addresses the dynamic
/// loader resolved the plug-in's `WasmEdge_*` symbols to.
#[doc(hidden)]
pub static PROCESS_API: Api = Api {
    module_instance_create_with_data: WasmEdge_ModuleInstanceCreateWithData,
    module_instance_delete: WasmEdge_ModuleInstanceDelete,
    module_instance_add_function: WasmEdge_ModuleInstanceAddFunction,
    function_type_create: WasmEdge_FunctionTypeCreate,
    function_type_delete: WasmEdge_FunctionTypeDelete,
    function_instance_create: WasmEdge_FunctionInstanceCreate,
    calling_frame_get_memory_instance: WasmEdge_CallingFrameGetMemoryInstance,
    memory_instance_get_pointer: WasmEdge_MemoryInstanceGetPointer,
    memory_instance_get_page_size: WasmEdge_MemoryInstanceGetPageSize,
    memory_instance_get_data: WasmEdge_MemoryInstanceGetData,
    memory_instance_set_data: WasmEdge_MemoryInstanceSetData,
};

/// `Wedge_CallingFrameOpenGuestFile` (Wedge's extension of the C API, declared in
/// `include/wasmedge/wedge_guest_file.h`): opens a path as the calling guest could through its
/// WASI preopens; a host descriptor, or minus a WASI errno.
pub type Wedge_CallingFrameOpenGuestFile_t =
    unsafe extern "C" fn(*const WasmEdge_CallingFrameContext, *const c_char, u32, u32) -> i32;

#[cfg(unix)]
unsafe extern "C" {
    /// The C library's symbol lookup (`<dlfcn.h>`).
    fn dlsym(handle: *mut c_void, symbol: *const c_char) -> *mut c_void;
}

/// `RTLD_DEFAULT`: look in the process's global scope.
#[cfg(all(unix, any(target_os = "macos", target_os = "ios")))]
const RTLD_DEFAULT: *mut c_void = -2isize as *mut c_void;
/// `RTLD_DEFAULT`: look in the process's global scope.
#[cfg(all(unix, not(any(target_os = "macos", target_os = "ios"))))]
const RTLD_DEFAULT: *mut c_void = core::ptr::null_mut();

/// The runtime's `Wedge_CallingFrameOpenGuestFile`, looked up once in the process (not linked:
/// WasmEdge does not have it, and a plug-in must still load there); `None` without it.
pub fn open_guest_file_fn() -> Option<Wedge_CallingFrameOpenGuestFile_t> {
    static FOUND: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    #[cfg(unix)]
    let address = *FOUND.get_or_init(|| {
        // SAFETY: `dlsym` with `RTLD_DEFAULT` and a NUL-terminated name only reads them.
        unsafe { dlsym(RTLD_DEFAULT, c"Wedge_CallingFrameOpenGuestFile".as_ptr()) as usize }
    });
    #[cfg(not(unix))]
    let address = *FOUND.get_or_init(|| 0);
    if address == 0 {
        return None;
    }
    // SAFETY: the symbol of that name is the function declared in `wedge_guest_file.h`, whose
    // C signature this type is.
    Some(unsafe { core::mem::transmute::<usize, Wedge_CallingFrameOpenGuestFile_t>(address) })
}

// Layouts from the reference, on x86_64 and every other LP64 target.
#[cfg(target_pointer_width = "64")]
const _: () = {
    use core::mem::{align_of, offset_of, size_of};

    assert!(size_of::<WasmEdge_String>() == 16);
    assert!(offset_of!(WasmEdge_String, Buf) == 8);
    assert!(size_of::<WasmEdge_Result>() == 4);
    assert!(size_of::<WasmEdge_ValType>() == 8);
    assert!(size_of::<WasmEdge_Value>() == 32);
    assert!(align_of::<WasmEdge_Value>() == 16);
    assert!(offset_of!(WasmEdge_Value, Type) == 16);

    assert!(size_of::<WasmEdge_ProgramOptionType>() == 4);
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
