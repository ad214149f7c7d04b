//! Ahead-of-time compilation (`wasmedge_compiler.h`): a universal wasm or a shared library
//! with Wedge's native code, which a VM or loader in AOT (or JIT) run mode uses.

use crate::abi::{self, WasmEdge_Bytes, WasmEdge_Result, code};
use crate::ast::WasmEdge_ASTModuleContext;
use crate::configure::{ConfData, WasmEdge_ConfigureContext, conf_of};
use crate::execution::WasmEdge_LoaderContext;
use crate::ffi::{self, error_result, guard, guard_result};
use core::ffi::c_char;
use std::ptr;

/// `WasmEdge_CompilerOutputFormat_Native`: a shared library.
const OUTPUT_NATIVE: u32 = 0;

/// `WasmEdge_CompilerContext`.
pub struct WasmEdge_CompilerContext {
    conf: ConfData,
}

/// Creates a compiler with `conf`'s settings (NULL: defaults).
///
/// # Safety
/// `conf` must be NULL or a live configure context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_CompilerCreate(
    conf: *const WasmEdge_ConfigureContext,
) -> *mut WasmEdge_CompilerContext {
    guard(ptr::null_mut(), || {
        // SAFETY: forwarded to the caller.
        let conf = unsafe { conf_of(conf) };
        Box::into_raw(Box::new(WasmEdge_CompilerContext { conf }))
    })
}

/// Validates and compiles the module at `in_path` into `out_path`.
///
/// # Safety
/// `cxt` NULL or a live compiler; the paths NULL or C strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_CompilerCompile(
    cxt: *mut WasmEdge_CompilerContext,
    in_path: *const c_char,
    out_path: *const c_char,
) -> WasmEdge_Result {
    guard_result(|| {
        // SAFETY: the caller passes NULL or a live compiler.
        let Some(c) = (unsafe { cxt.as_ref() }) else {
            return abi::result(code::WRONG_VM_WORKFLOW);
        };
        // SAFETY: the caller passes NULL or C strings.
        let (Some(input), Some(out)) = (unsafe { ffi::cstr_lossy(in_path) }, unsafe {
            ffi::cstr_lossy(out_path)
        }) else {
            return abi::result(code::ILLEGAL_PATH);
        };
        match std::fs::read(&input) {
            Ok(bytes) => compile(&c.conf, &bytes, &out),
            Err(e) => {
                ffi::log_error(&format!("cannot read {input}: {e}"));
                abi::result(if e.kind() == std::io::ErrorKind::NotFound {
                    code::ILLEGAL_PATH
                } else {
                    code::READ_ERROR
                })
            }
        }
    })
}

/// Validates and compiles the module in `bytes` into `out_path`.
///
/// # Safety
/// `cxt` NULL or a live compiler; `bytes` valid; `out_path` NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_CompilerCompileFromBytes(
    cxt: *mut WasmEdge_CompilerContext,
    bytes: WasmEdge_Bytes,
    out_path: *const c_char,
) -> WasmEdge_Result {
    guard_result(|| {
        // SAFETY: the caller passes NULL or a live compiler.
        let Some(c) = (unsafe { cxt.as_ref() }) else {
            return abi::result(code::WRONG_VM_WORKFLOW);
        };
        // SAFETY: the caller passes NULL or a C string.
        let Some(out) = (unsafe { ffi::cstr_lossy(out_path) }) else {
            return abi::result(code::ILLEGAL_PATH);
        };
        // SAFETY: the caller guarantees `bytes` is valid.
        let wasm = unsafe { crate::execution::bytes_slice(bytes) };
        compile(&c.conf, wasm, &out)
    })
}

/// `WasmEdge_LoaderParseFromBytes` over `len` bytes at `buf` (declared in
/// `wasmedge_compiler.h`, as in WasmEdge 0.17.1; the Rust SDK loads modules from bytes with it).
///
/// # Safety
/// `cxt` NULL or a live loader; `module` NULL or writable; `buf` NULL or `len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_LoaderParseFromBuffer(
    cxt: *mut WasmEdge_LoaderContext,
    module: *mut *mut WasmEdge_ASTModuleContext,
    buf: *const u8,
    len: u32,
) -> WasmEdge_Result {
    let bytes = WasmEdge_Bytes {
        Length: len,
        Buf: buf,
    };
    // SAFETY: forwarded to the caller.
    unsafe { crate::execution::WasmEdge_LoaderParseFromBytes(cxt, module, bytes) }
}

/// Deletes a compiler.
///
/// # Safety
/// `cxt` must be NULL or an owned compiler.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_CompilerDelete(cxt: *mut WasmEdge_CompilerContext) {
    // SAFETY: forwarded to the caller.
    unsafe { ffi::delete(cxt) }
}

fn compile(conf: &ConfData, wasm: &[u8], out: &str) -> WasmEdge_Result {
    let engine = conf.compile_engine();
    if let Err(e) = wedge::Module::validate(&engine, wasm) {
        ffi::log_error(&e.to_string());
        return error_result(&e);
    }
    let none = |_, _| {};
    let result = if conf.output_format == OUTPUT_NATIVE {
        engine.precompile_shared_library(wasm, std::path::Path::new(out), &none)
    } else {
        match engine.precompile(wasm, &none) {
            Ok(universal) => {
                if let Err(e) = std::fs::write(out, universal) {
                    ffi::log_error(&format!("cannot write {out}: {e}"));
                    return abi::result(code::ILLEGAL_PATH);
                }
                Ok(())
            }
            Err(e) => Err(e),
        }
    };
    match result {
        Ok(()) => abi::OK,
        Err(e) => {
            ffi::log_error(&e.to_string());
            error_result(&e)
        }
    }
}
