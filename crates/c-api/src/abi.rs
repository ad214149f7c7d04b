//! The plain C structs of the API, laid out as in WasmEdge 0.17.1 on 64-bit targets (sizes and
//! offsets are asserted at the bottom), and the numeric constants C code passes in.

use core::ffi::c_char;

/// `WasmEdge_String` (16 bytes): a length and bytes that need not be NUL-terminated.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct WasmEdge_String {
    /// Byte length.
    pub Length: u32,
    /// The bytes; NULL when `Length` is 0.
    pub Buf: *const c_char,
}

/// `WasmEdge_Bytes` (16 bytes).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct WasmEdge_Bytes {
    /// Byte length.
    pub Length: u32,
    /// The bytes; NULL when `Length` is 0.
    pub Buf: *const u8,
}

/// `WasmEdge_Result` (4 bytes): `category << 24 | code`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WasmEdge_Result {
    /// The packed category and code.
    pub Code: u32,
}

/// `WasmEdge_ValType` (8 bytes): padding, externalize flag, type code, heap type code, u32 index.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct WasmEdge_ValType {
    /// The encoded type.
    pub Data: [u8; 8],
}

/// `WasmEdge_Value` (32 bytes, 16-aligned): the value's bits and its type.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct WasmEdge_Value {
    /// Numbers in the low bits, floats as bit patterns; references: type in the low 8 bytes,
    /// pointer in the high 8.
    pub Value: u128,
    /// The value's type.
    pub Type: WasmEdge_ValType,
}

/// `WasmEdge_ErrCategory_WASM`.
pub const CATEGORY_WASM: u32 = 0;
/// `WasmEdge_ErrCategory_UserLevelError`.
pub const CATEGORY_USER: u32 = 1;

/// Error codes of category WASM that the C API itself produces (`WasmEdge_ErrCode_*`).
pub mod code {
    /// Success.
    pub const SUCCESS: u32 = 0x00;
    /// Terminated (`proc_exit`, or a host function returning `Terminate`); counts as OK.
    pub const TERMINATED: u32 = 0x01;
    /// Generic runtime error.
    pub const RUNTIME_ERROR: u32 = 0x02;
    /// Cost limit exceeded.
    pub const COST_LIMIT_EXCEEDED: u32 = 0x03;
    /// Wrong workflow, NULL context.
    pub const WRONG_VM_WORKFLOW: u32 = 0x04;
    /// Function not found.
    pub const FUNC_NOT_FOUND: u32 = 0x05;
    /// AOT disabled.
    pub const AOT_DISABLED: u32 = 0x06;
    /// Interrupted.
    pub const INTERRUPTED: u32 = 0x07;
    /// Instantiating a module that was not validated.
    pub const NOT_VALIDATED: u32 = 0x08;
    /// Setting a constant global.
    pub const SET_VALUE_TO_CONST: u32 = 0x0A;
    /// Setting a value of the wrong type.
    pub const SET_VALUE_ERROR_TYPE: u32 = 0x0B;
    /// User-defined error.
    pub const USER_DEF_ERROR: u32 = 0x0C;
    /// Illegal path (loader).
    pub const ILLEGAL_PATH: u32 = 0x0100;
    /// Read error (loader).
    pub const READ_ERROR: u32 = 0x0101;
    /// Length out of bounds (loader).
    pub const LENGTH_OUT_OF_BOUNDS: u32 = 0x0107;
    /// Module name conflict.
    pub const MODULE_NAME_CONFLICT: u32 = 0x0300;
    /// Incompatible import type.
    pub const INCOMPATIBLE_IMPORT_TYPE: u32 = 0x0301;
    /// Unknown import.
    pub const UNKNOWN_IMPORT: u32 = 0x0302;
    /// Wrong instance address (unknown registered module).
    pub const WRONG_INSTANCE_ADDRESS: u32 = 0x0400;
    /// Function signature mismatch.
    pub const FUNC_SIG_MISMATCH: u32 = 0x0403;
    /// Table out of bounds.
    pub const TABLE_OUT_OF_BOUNDS: u32 = 0x0407;
    /// Memory out of bounds.
    pub const MEMORY_OUT_OF_BOUNDS: u32 = 0x0408;
    /// Host function error.
    pub const HOST_FUNC_ERROR: u32 = 0x040E;
    /// Reference type mismatch.
    pub const REF_TYPE_MISMATCH: u32 = 0x040F;
}

/// `WasmEdge_Result` with category WASM and `code`.
pub const fn result(code: u32) -> WasmEdge_Result {
    WasmEdge_Result { Code: code }
}

/// Success.
pub const OK: WasmEdge_Result = result(code::SUCCESS);

const _: () = {
    assert!(size_of::<WasmEdge_String>() == 16);
    assert!(size_of::<WasmEdge_Bytes>() == 16);
    assert!(size_of::<WasmEdge_Result>() == 4);
    assert!(size_of::<WasmEdge_ValType>() == 8);
    assert!(size_of::<WasmEdge_Value>() == 32);
    assert!(align_of::<WasmEdge_Value>() == 16);
    assert!(core::mem::offset_of!(WasmEdge_Value, Type) == 16);
};
