//! Tags (exception handling). Wedge does not run the exception-handling proposal yet, so no
//! module it loads has tags: no tag type or tag instance is ever created, and these functions
//! answer as WasmEdge does for a module without tags (NULL, 0).

use crate::abi::WasmEdge_String;
use crate::ast::{
    WasmEdge_ASTModuleContext, WasmEdge_ExportTypeContext, WasmEdge_ImportTypeContext,
};
use crate::instance::WasmEdge_ModuleInstanceContext;
use crate::types::WasmEdge_FunctionTypeContext;
use std::ptr;

/// `WasmEdge_TagTypeContext` (never created: see the module docs).
pub struct WasmEdge_TagTypeContext {
    _never: (),
}

/// `WasmEdge_TagInstanceContext` (never created: see the module docs).
pub struct WasmEdge_TagInstanceContext {
    _never: (),
}

/// The function type of a tag type: NULL, as no tag type exists.
///
/// # Safety
/// `cxt` must be NULL or a tag type.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_TagTypeGetFunctionType(
    cxt: *const WasmEdge_TagTypeContext,
) -> *const WasmEdge_FunctionTypeContext {
    let _ = cxt;
    ptr::null()
}

/// The tag type of an import: NULL, as no import is a tag.
///
/// # Safety
/// Pointers NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ImportTypeGetTagType(
    ast: *const WasmEdge_ASTModuleContext,
    cxt: *const WasmEdge_ImportTypeContext,
) -> *const WasmEdge_TagTypeContext {
    let _ = (ast, cxt);
    ptr::null()
}

/// The tag type of an export: NULL, as no export is a tag.
///
/// # Safety
/// Pointers NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ExportTypeGetTagType(
    ast: *const WasmEdge_ASTModuleContext,
    cxt: *const WasmEdge_ExportTypeContext,
) -> *const WasmEdge_TagTypeContext {
    let _ = (ast, cxt);
    ptr::null()
}

/// The tag type of a tag instance: NULL, as no tag instance exists.
///
/// # Safety
/// `cxt` must be NULL or a tag instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_TagInstanceGetTagType(
    cxt: *const WasmEdge_TagInstanceContext,
) -> *const WasmEdge_TagTypeContext {
    let _ = cxt;
    ptr::null()
}

/// Finds an exported tag: NULL, as modules have none.
///
/// # Safety
/// `cxt` NULL or a live module; `name` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ModuleInstanceFindTag(
    cxt: *const WasmEdge_ModuleInstanceContext,
    name: WasmEdge_String,
) -> *mut WasmEdge_TagInstanceContext {
    let _ = (cxt, name);
    ptr::null_mut()
}

/// How many tags a module exports: 0.
///
/// # Safety
/// `cxt` must be NULL or a live module.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ModuleInstanceListTagLength(
    cxt: *const WasmEdge_ModuleInstanceContext,
) -> u32 {
    let _ = cxt;
    0
}

/// Lists exported tags: none.
///
/// # Safety
/// `cxt` NULL or a live module; `names` NULL or room for `len`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ModuleInstanceListTag(
    cxt: *const WasmEdge_ModuleInstanceContext,
    names: *mut WasmEdge_String,
    len: u32,
) -> u32 {
    let _ = (cxt, names, len);
    0
}
