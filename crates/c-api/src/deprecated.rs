//! The older forms WasmEdge 0.17.1 still exports (`wasmedge_deprecated.h`), which SDKs written
//! against earlier releases call: each forwards to its replacement. The `...FromBuffer`
//! functions pass `(Buf, BufLen)` as `WasmEdge_Bytes`; the force-interpreter setting is the
//! interpreter run mode.

use crate::abi::{self, WasmEdge_Bytes, WasmEdge_Result, WasmEdge_String, WasmEdge_Value, code};
use crate::compiler::{WasmEdge_CompilerCompileFromBytes, WasmEdge_CompilerContext};
use crate::configure::{
    RUN_MODE_INTERPRETER, WasmEdge_ConfigureContext, WasmEdge_ConfigureGetRunMode,
    WasmEdge_ConfigureSetRunMode,
};
use crate::execution::WasmEdge_Async;
use crate::ffi::{self, guard, guard_result};
use crate::vm::{
    WasmEdge_VMAsyncRunWasmFromBytes, WasmEdge_VMContext, WasmEdge_VMLoadWasmFromBytes,
    WasmEdge_VMRegisterModuleFromBytes, WasmEdge_VMRunWasmFromBytes,
};
use core::ffi::c_char;

/// `(Buf, BufLen)` as `WasmEdge_Bytes`, as `WasmEdge_BytesWrap` makes them.
fn wrap(buf: *const u8, len: u32) -> WasmEdge_Bytes {
    WasmEdge_Bytes {
        Length: len,
        Buf: buf,
    }
}

/// `WasmEdge_CompilerCompileFromBytes` over `in_len` bytes at `in_buf`. A length that does not
/// fit `WasmEdge_Bytes` (over 4 GiB) is refused with `LengthOutOfBounds`, where WasmEdge would
/// cut it to 32 bits and compile a prefix.
///
/// # Safety
/// `cxt` NULL or a live compiler; `in_buf` NULL or `in_len` readable bytes; `out_path` NULL or
/// a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_CompilerCompileFromBuffer(
    cxt: *mut WasmEdge_CompilerContext,
    in_buf: *const u8,
    in_len: u64,
    out_path: *const c_char,
) -> WasmEdge_Result {
    guard_result(|| {
        let Ok(len) = u32::try_from(in_len) else {
            ffi::log_error(&format!(
                "a module of {in_len} bytes is too large to compile (at most {} bytes)",
                u32::MAX
            ));
            return abi::result(code::LENGTH_OUT_OF_BOUNDS);
        };
        // SAFETY: forwarded to the caller.
        unsafe { WasmEdge_CompilerCompileFromBytes(cxt, wrap(in_buf, len), out_path) }
    })
}

/// `WasmEdge_VMRegisterModuleFromBytes` over `len` bytes at `buf`.
///
/// # Safety
/// `cxt` NULL or a live VM; `name` valid; `buf` NULL or `len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMRegisterModuleFromBuffer(
    cxt: *mut WasmEdge_VMContext,
    name: WasmEdge_String,
    buf: *const u8,
    len: u32,
) -> WasmEdge_Result {
    // SAFETY: forwarded to the caller.
    unsafe { WasmEdge_VMRegisterModuleFromBytes(cxt, name, wrap(buf, len)) }
}

/// `WasmEdge_VMRunWasmFromBytes` over `len` bytes at `buf`.
///
/// # Safety
/// As for `WasmEdge_VMRunWasmFromBytes`, with `buf` NULL or `len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMRunWasmFromBuffer(
    cxt: *mut WasmEdge_VMContext,
    buf: *const u8,
    len: u32,
    func: WasmEdge_String,
    params: *const WasmEdge_Value,
    params_len: u32,
    returns: *mut WasmEdge_Value,
    returns_len: u32,
) -> WasmEdge_Result {
    // SAFETY: forwarded to the caller.
    unsafe {
        WasmEdge_VMRunWasmFromBytes(
            cxt,
            wrap(buf, len),
            func,
            params,
            params_len,
            returns,
            returns_len,
        )
    }
}

/// `WasmEdge_VMAsyncRunWasmFromBytes` over `len` bytes at `buf`.
///
/// # Safety
/// As for `WasmEdge_VMAsyncRunWasmFromBytes`, with `buf` NULL or `len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMAsyncRunWasmFromBuffer(
    cxt: *mut WasmEdge_VMContext,
    buf: *const u8,
    len: u32,
    func: WasmEdge_String,
    params: *const WasmEdge_Value,
    params_len: u32,
) -> *mut WasmEdge_Async {
    // SAFETY: forwarded to the caller.
    unsafe { WasmEdge_VMAsyncRunWasmFromBytes(cxt, wrap(buf, len), func, params, params_len) }
}

/// `WasmEdge_VMLoadWasmFromBytes` over `len` bytes at `buf`.
///
/// # Safety
/// `cxt` NULL or a live VM; `buf` NULL or `len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VMLoadWasmFromBuffer(
    cxt: *mut WasmEdge_VMContext,
    buf: *const u8,
    len: u32,
) -> WasmEdge_Result {
    // SAFETY: forwarded to the caller.
    unsafe { WasmEdge_VMLoadWasmFromBytes(cxt, wrap(buf, len)) }
}

/// `true` sets the interpreter run mode; `false` changes nothing (WasmEdge 0.17.1 keeps the
/// old "don't force" meaning).
///
/// # Safety
/// `cxt` must be NULL or a live configure context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ConfigureSetForceInterpreter(
    cxt: *mut WasmEdge_ConfigureContext,
    on: bool,
) {
    if on {
        // SAFETY: forwarded to the caller.
        unsafe { WasmEdge_ConfigureSetRunMode(cxt, RUN_MODE_INTERPRETER) }
    }
}

/// Whether the run mode is the interpreter (the default); false for NULL.
///
/// # Safety
/// `cxt` must be NULL or a live configure context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ConfigureIsForceInterpreter(
    cxt: *const WasmEdge_ConfigureContext,
) -> bool {
    guard(false, || {
        // SAFETY: forwarded to the caller.
        !cxt.is_null() && unsafe { WasmEdge_ConfigureGetRunMode(cxt) } == RUN_MODE_INTERPRETER
    })
}
