//! Loaded modules and their import and export descriptions (`wasmedge_ast.h`).

use crate::abi::WasmEdge_String;
use crate::ffi::{Name, borrow_string, guard};
use crate::types::{
    WasmEdge_FunctionTypeContext, WasmEdge_GlobalTypeContext, WasmEdge_MemoryTypeContext,
    WasmEdge_TableTypeContext, as_ref, drop_c,
};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use wedge::ExternType;

/// `WasmEdge_ASTModuleContext`: a loaded module. Loading decodes and validates with the loader's
/// configuration; a validation error is kept for `WasmEdge_ValidatorValidate` to report, as
/// WasmEdge's loader does not validate.
pub struct WasmEdge_ASTModuleContext {
    /// The module, when it validated.
    pub(crate) module: Option<wedge::Module>,
    /// The validation error, when it did not.
    pub(crate) invalid: Option<wedge::Error>,
    /// The binary, kept to recompile for an executor with another configuration.
    pub(crate) bytes: Arc<[u8]>,
    /// Set by `WasmEdge_ValidatorValidate`; instantiation requires it.
    pub(crate) validated: AtomicBool,
    pub(crate) imports: Vec<WasmEdge_ImportTypeContext>,
    pub(crate) exports: Vec<WasmEdge_ExportTypeContext>,
}

/// The type of an import or export, owned so that getters can lend it out.
pub(crate) enum ExternTypeCtx {
    Func(Box<WasmEdge_FunctionTypeContext>),
    Table(Box<WasmEdge_TableTypeContext>),
    Memory(Box<WasmEdge_MemoryTypeContext>),
    Global(Box<WasmEdge_GlobalTypeContext>),
}

/// `WasmEdge_ImportTypeContext` (borrowed from its AST module).
pub struct WasmEdge_ImportTypeContext {
    pub(crate) module: Name,
    pub(crate) name: Name,
    pub(crate) ty: ExternTypeCtx,
}

/// `WasmEdge_ExportTypeContext` (borrowed from its AST module).
pub struct WasmEdge_ExportTypeContext {
    pub(crate) name: Name,
    pub(crate) ty: ExternTypeCtx,
}

impl ExternTypeCtx {
    fn new(ty: ExternType) -> Self {
        match ty {
            ExternType::Func(f) => {
                ExternTypeCtx::Func(Box::new(WasmEdge_FunctionTypeContext::new(f)))
            }
            ExternType::Table(t) => {
                ExternTypeCtx::Table(Box::new(WasmEdge_TableTypeContext::new(t)))
            }
            ExternType::Memory(m) => {
                ExternTypeCtx::Memory(Box::new(WasmEdge_MemoryTypeContext::new(m)))
            }
            ExternType::Global(g) => {
                ExternTypeCtx::Global(Box::new(WasmEdge_GlobalTypeContext::new(g)))
            }
        }
    }

    /// The `WasmEdge_ExternalType` of this kind.
    fn external_type(&self) -> WasmEdge_ExternalType {
        match self {
            ExternTypeCtx::Func(_) => EXTERNAL_FUNCTION,
            ExternTypeCtx::Table(_) => EXTERNAL_TABLE,
            ExternTypeCtx::Memory(_) => EXTERNAL_MEMORY,
            ExternTypeCtx::Global(_) => EXTERNAL_GLOBAL,
        }
    }

    fn func(&self) -> Option<&WasmEdge_FunctionTypeContext> {
        match self {
            ExternTypeCtx::Func(f) => Some(f),
            _ => None,
        }
    }

    fn table(&self) -> Option<&WasmEdge_TableTypeContext> {
        match self {
            ExternTypeCtx::Table(t) => Some(t),
            _ => None,
        }
    }

    fn memory(&self) -> Option<&WasmEdge_MemoryTypeContext> {
        match self {
            ExternTypeCtx::Memory(m) => Some(m),
            _ => None,
        }
    }

    fn global(&self) -> Option<&WasmEdge_GlobalTypeContext> {
        match self {
            ExternTypeCtx::Global(g) => Some(g),
            _ => None,
        }
    }
}

impl WasmEdge_ASTModuleContext {
    /// A loaded module: the compiled module and its import and export descriptions, or the
    /// error that kept it from validating (then it lists no imports or exports). Not yet
    /// validated by `WasmEdge_ValidatorValidate`.
    pub(crate) fn new(module: Result<wedge::Module, wedge::Error>, bytes: Arc<[u8]>) -> Self {
        let (module, invalid) = match module {
            Ok(m) => (Some(m), None),
            Err(e) => (None, Some(e)),
        };
        let imports = module
            .iter()
            .flat_map(|m| m.imports())
            .map(|i| WasmEdge_ImportTypeContext {
                module: Name::new(i.module),
                name: Name::new(i.name),
                ty: ExternTypeCtx::new(i.ty),
            });
        let exports = module
            .iter()
            .flat_map(|m| m.exports())
            .map(|e| WasmEdge_ExportTypeContext {
                name: Name::new(e.name),
                ty: ExternTypeCtx::new(e.ty),
            });
        WasmEdge_ASTModuleContext {
            imports: imports.collect(),
            exports: exports.collect(),
            module,
            invalid,
            bytes,
            validated: AtomicBool::new(false),
        }
    }
}

/// `enum WasmEdge_ExternalType` as C sees it.
pub type WasmEdge_ExternalType = u32;
/// `WasmEdge_ExternalType_Function`.
pub const EXTERNAL_FUNCTION: WasmEdge_ExternalType = 0;
/// `WasmEdge_ExternalType_Table`.
pub const EXTERNAL_TABLE: WasmEdge_ExternalType = 1;
/// `WasmEdge_ExternalType_Memory`.
pub const EXTERNAL_MEMORY: WasmEdge_ExternalType = 2;
/// `WasmEdge_ExternalType_Global`.
pub const EXTERNAL_GLOBAL: WasmEdge_ExternalType = 3;
/// `WasmEdge_ExternalType_Tag` (Wedge has no tags, so it never reports one).
pub const EXTERNAL_TAG: WasmEdge_ExternalType = 4;

const EMPTY_STRING: WasmEdge_String = WasmEdge_String {
    Length: 0,
    Buf: std::ptr::null(),
};

/// Writes borrowed pointers to `items` into `out[..len]` (as many as fit) and returns how many
/// there are in all: the "List" pattern.
///
/// # Safety
/// `out` must be NULL or point to `len` writable pointers.
unsafe fn list<T>(items: &[T], out: *mut *const T, len: u32) -> u32 {
    if !out.is_null() {
        for (i, item) in items.iter().take(len as usize).enumerate() {
            // SAFETY: `i < len`, and the caller guarantees `len` writable entries.
            unsafe { out.add(i).write(item) };
        }
    }
    items.len() as u32
}

/// The type an import or export lends, if `ast` is not NULL and `pick` finds one.
///
/// # Safety
/// Each pointer must be NULL or point to a live context.
unsafe fn lend<C, T>(
    ast: *const WasmEdge_ASTModuleContext,
    ctx: *const C,
    pick: impl FnOnce(&C) -> Option<&T>,
) -> *const T {
    if ast.is_null() {
        return std::ptr::null();
    }
    // SAFETY: the caller guarantees `ctx` is NULL or live.
    unsafe { as_ref(ctx) }
        .and_then(pick)
        .map_or(std::ptr::null(), |t| t as *const T)
}

// >>>>>>>> AST modules >>>>>>>>

/// `WasmEdge_ASTModuleListImportsLength` (0 for NULL).
///
/// # Safety
/// `Cxt` must be NULL or a live AST module.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ASTModuleListImportsLength(
    Cxt: *const WasmEdge_ASTModuleContext,
) -> u32 {
    guard(0, || {
        // SAFETY: the caller guarantees `Cxt` is NULL or live.
        unsafe { as_ref(Cxt) }.map_or(0, |m| m.imports.len() as u32)
    })
}

/// `WasmEdge_ASTModuleListImports`: writes at most `Len` borrowed import descriptions into
/// `Imports` and returns the number of imports (0 for NULL).
///
/// # Safety
/// `Cxt` must be NULL or a live AST module; `Imports` must be NULL or point to `Len` writable
/// pointers. The descriptions live as long as the module.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ASTModuleListImports(
    Cxt: *const WasmEdge_ASTModuleContext,
    Imports: *mut *const WasmEdge_ImportTypeContext,
    Len: u32,
) -> u32 {
    guard(0, || {
        // SAFETY: the caller guarantees `Cxt` is NULL or live.
        let Some(m) = (unsafe { as_ref(Cxt) }) else {
            return 0;
        };
        // SAFETY: the caller guarantees `Imports` is NULL or has `Len` writable entries.
        unsafe { list(&m.imports, Imports, Len) }
    })
}

/// `WasmEdge_ASTModuleListExportsLength` (0 for NULL).
///
/// # Safety
/// `Cxt` must be NULL or a live AST module.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ASTModuleListExportsLength(
    Cxt: *const WasmEdge_ASTModuleContext,
) -> u32 {
    guard(0, || {
        // SAFETY: the caller guarantees `Cxt` is NULL or live.
        unsafe { as_ref(Cxt) }.map_or(0, |m| m.exports.len() as u32)
    })
}

/// `WasmEdge_ASTModuleListExports`: writes at most `Len` borrowed export descriptions into
/// `Exports` and returns the number of exports (0 for NULL).
///
/// # Safety
/// `Cxt` must be NULL or a live AST module; `Exports` must be NULL or point to `Len` writable
/// pointers. The descriptions live as long as the module.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ASTModuleListExports(
    Cxt: *const WasmEdge_ASTModuleContext,
    Exports: *mut *const WasmEdge_ExportTypeContext,
    Len: u32,
) -> u32 {
    guard(0, || {
        // SAFETY: the caller guarantees `Cxt` is NULL or live.
        let Some(m) = (unsafe { as_ref(Cxt) }) else {
            return 0;
        };
        // SAFETY: the caller guarantees `Exports` is NULL or has `Len` writable entries.
        unsafe { list(&m.exports, Exports, Len) }
    })
}

/// `WasmEdge_ASTModuleDelete` (NULL is a no-op). Instances made from the module stay valid.
///
/// # Safety
/// `Cxt` must be NULL or an AST module the caller owns (from the loader), not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ASTModuleDelete(Cxt: *mut WasmEdge_ASTModuleContext) {
    // SAFETY: the caller guarantees `Cxt` is NULL or owned by C and boxed by this library.
    guard((), || unsafe { drop_c(Cxt) })
}

// >>>>>>>> Import types >>>>>>>>

/// `WasmEdge_ImportTypeGetExternalType`: the kind of the import (Function for NULL, as in
/// WasmEdge).
///
/// # Safety
/// `Cxt` must be NULL or a live import description.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ImportTypeGetExternalType(
    Cxt: *const WasmEdge_ImportTypeContext,
) -> WasmEdge_ExternalType {
    guard(EXTERNAL_FUNCTION, || {
        // SAFETY: the caller guarantees `Cxt` is NULL or live.
        unsafe { as_ref(Cxt) }.map_or(EXTERNAL_FUNCTION, |i| i.ty.external_type())
    })
}

/// `WasmEdge_ImportTypeGetModuleName`: the module name, borrowed and NUL-terminated
/// (`{0, NULL}` for NULL).
///
/// # Safety
/// `Cxt` must be NULL or a live import description; the string lives as long as it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ImportTypeGetModuleName(
    Cxt: *const WasmEdge_ImportTypeContext,
) -> WasmEdge_String {
    guard(EMPTY_STRING, || {
        // SAFETY: the caller guarantees `Cxt` is NULL or live.
        unsafe { as_ref(Cxt) }.map_or(EMPTY_STRING, |i| borrow_string(&i.module))
    })
}

/// `WasmEdge_ImportTypeGetExternalName`: the field name, borrowed and NUL-terminated
/// (`{0, NULL}` for NULL).
///
/// # Safety
/// `Cxt` must be NULL or a live import description; the string lives as long as it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ImportTypeGetExternalName(
    Cxt: *const WasmEdge_ImportTypeContext,
) -> WasmEdge_String {
    guard(EMPTY_STRING, || {
        // SAFETY: the caller guarantees `Cxt` is NULL or live.
        unsafe { as_ref(Cxt) }.map_or(EMPTY_STRING, |i| borrow_string(&i.name))
    })
}

/// `WasmEdge_ImportTypeGetFunctionType`: the imported function's type, borrowed; NULL if either
/// pointer is NULL or the import is not a function.
///
/// # Safety
/// Each pointer must be NULL or live, `Cxt` listed from `ASTCxt`; the type lives as long as
/// the module.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ImportTypeGetFunctionType(
    ASTCxt: *const WasmEdge_ASTModuleContext,
    Cxt: *const WasmEdge_ImportTypeContext,
) -> *const WasmEdge_FunctionTypeContext {
    // SAFETY: the caller guarantees both pointers are NULL or live.
    guard(std::ptr::null(), || unsafe {
        lend(ASTCxt, Cxt, |i| i.ty.func())
    })
}

/// `WasmEdge_ImportTypeGetTableType`: the imported table's type, borrowed; NULL if either
/// pointer is NULL or the import is not a table.
///
/// # Safety
/// Each pointer must be NULL or live, `Cxt` listed from `ASTCxt`; the type lives as long as
/// the module.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ImportTypeGetTableType(
    ASTCxt: *const WasmEdge_ASTModuleContext,
    Cxt: *const WasmEdge_ImportTypeContext,
) -> *const WasmEdge_TableTypeContext {
    // SAFETY: the caller guarantees both pointers are NULL or live.
    guard(std::ptr::null(), || unsafe {
        lend(ASTCxt, Cxt, |i| i.ty.table())
    })
}

/// `WasmEdge_ImportTypeGetMemoryType`: the imported memory's type, borrowed; NULL if either
/// pointer is NULL or the import is not a memory.
///
/// # Safety
/// Each pointer must be NULL or live, `Cxt` listed from `ASTCxt`; the type lives as long as
/// the module.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ImportTypeGetMemoryType(
    ASTCxt: *const WasmEdge_ASTModuleContext,
    Cxt: *const WasmEdge_ImportTypeContext,
) -> *const WasmEdge_MemoryTypeContext {
    // SAFETY: the caller guarantees both pointers are NULL or live.
    guard(std::ptr::null(), || unsafe {
        lend(ASTCxt, Cxt, |i| i.ty.memory())
    })
}

/// `WasmEdge_ImportTypeGetGlobalType`: the imported global's type, borrowed; NULL if either
/// pointer is NULL or the import is not a global.
///
/// # Safety
/// Each pointer must be NULL or live, `Cxt` listed from `ASTCxt`; the type lives as long as
/// the module.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ImportTypeGetGlobalType(
    ASTCxt: *const WasmEdge_ASTModuleContext,
    Cxt: *const WasmEdge_ImportTypeContext,
) -> *const WasmEdge_GlobalTypeContext {
    // SAFETY: the caller guarantees both pointers are NULL or live.
    guard(std::ptr::null(), || unsafe {
        lend(ASTCxt, Cxt, |i| i.ty.global())
    })
}

// >>>>>>>> Export types >>>>>>>>

/// `WasmEdge_ExportTypeGetExternalType`: the kind of the export (Function for NULL, as in
/// WasmEdge).
///
/// # Safety
/// `Cxt` must be NULL or a live export description.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ExportTypeGetExternalType(
    Cxt: *const WasmEdge_ExportTypeContext,
) -> WasmEdge_ExternalType {
    guard(EXTERNAL_FUNCTION, || {
        // SAFETY: the caller guarantees `Cxt` is NULL or live.
        unsafe { as_ref(Cxt) }.map_or(EXTERNAL_FUNCTION, |e| e.ty.external_type())
    })
}

/// `WasmEdge_ExportTypeGetExternalName`: the export name, borrowed and NUL-terminated
/// (`{0, NULL}` for NULL).
///
/// # Safety
/// `Cxt` must be NULL or a live export description; the string lives as long as it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ExportTypeGetExternalName(
    Cxt: *const WasmEdge_ExportTypeContext,
) -> WasmEdge_String {
    guard(EMPTY_STRING, || {
        // SAFETY: the caller guarantees `Cxt` is NULL or live.
        unsafe { as_ref(Cxt) }.map_or(EMPTY_STRING, |e| borrow_string(&e.name))
    })
}

/// `WasmEdge_ExportTypeGetFunctionType`: the exported function's type, borrowed; NULL if
/// either pointer is NULL or the export is not a function.
///
/// # Safety
/// Each pointer must be NULL or live, `Cxt` listed from `ASTCxt`; the type lives as long as
/// the module.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ExportTypeGetFunctionType(
    ASTCxt: *const WasmEdge_ASTModuleContext,
    Cxt: *const WasmEdge_ExportTypeContext,
) -> *const WasmEdge_FunctionTypeContext {
    // SAFETY: the caller guarantees both pointers are NULL or live.
    guard(std::ptr::null(), || unsafe {
        lend(ASTCxt, Cxt, |e| e.ty.func())
    })
}

/// `WasmEdge_ExportTypeGetTableType`: the exported table's type, borrowed; NULL if either
/// pointer is NULL or the export is not a table.
///
/// # Safety
/// Each pointer must be NULL or live, `Cxt` listed from `ASTCxt`; the type lives as long as
/// the module.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ExportTypeGetTableType(
    ASTCxt: *const WasmEdge_ASTModuleContext,
    Cxt: *const WasmEdge_ExportTypeContext,
) -> *const WasmEdge_TableTypeContext {
    // SAFETY: the caller guarantees both pointers are NULL or live.
    guard(std::ptr::null(), || unsafe {
        lend(ASTCxt, Cxt, |e| e.ty.table())
    })
}

/// `WasmEdge_ExportTypeGetMemoryType`: the exported memory's type, borrowed; NULL if either
/// pointer is NULL or the export is not a memory.
///
/// # Safety
/// Each pointer must be NULL or live, `Cxt` listed from `ASTCxt`; the type lives as long as
/// the module.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ExportTypeGetMemoryType(
    ASTCxt: *const WasmEdge_ASTModuleContext,
    Cxt: *const WasmEdge_ExportTypeContext,
) -> *const WasmEdge_MemoryTypeContext {
    // SAFETY: the caller guarantees both pointers are NULL or live.
    guard(std::ptr::null(), || unsafe {
        lend(ASTCxt, Cxt, |e| e.ty.memory())
    })
}

/// `WasmEdge_ExportTypeGetGlobalType`: the exported global's type, borrowed; NULL if either
/// pointer is NULL or the export is not a global.
///
/// # Safety
/// Each pointer must be NULL or live, `Cxt` listed from `ASTCxt`; the type lives as long as
/// the module.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ExportTypeGetGlobalType(
    ASTCxt: *const WasmEdge_ASTModuleContext,
    Cxt: *const WasmEdge_ExportTypeContext,
) -> *const WasmEdge_GlobalTypeContext {
    // SAFETY: the caller guarantees both pointers are NULL or live.
    guard(std::ptr::null(), || unsafe {
        lend(ASTCxt, Cxt, |e| e.ty.global())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{
        MUTABILITY_VAR, WasmEdge_FunctionTypeGetParametersLength,
        WasmEdge_FunctionTypeGetReturnsLength, WasmEdge_GlobalTypeGetMutability,
        WasmEdge_LimitGetMax, WasmEdge_LimitGetMin, WasmEdge_LimitHasMax,
        WasmEdge_MemoryTypeGetLimit, WasmEdge_TableTypeGetLimit,
    };

    const WAT: &str = r#"
        (module
          (import "env" "add" (func (param i32 i32) (result i32)))
          (import "env" "mem" (memory 1 4))
          (import "host" "tab" (table 2 funcref))
          (import "host" "g" (global (mut i64)))
          (func (export "run") (param f32) (result f64 i32)
            f64.const 0 i32.const 0)
          (global (export "c") f32 (f32.const 1))
          (export "memory" (memory 0))
          (export "table" (table 0)))
    "#;

    fn load(wat: &str) -> *mut WasmEdge_ASTModuleContext {
        let bytes = wat::parse_str(wat).unwrap();
        let module = wedge::Module::new(&wedge::Engine::default(), &bytes);
        Box::into_raw(Box::new(WasmEdge_ASTModuleContext::new(
            module,
            bytes.into(),
        )))
    }

    /// The text of a name a description lends, checking it is NUL-terminated.
    fn text(s: WasmEdge_String) -> String {
        assert_eq!(
            // SAFETY: the string is borrowed from a live description, with its NUL after
            // `Length`.
            unsafe { *s.Buf.add(s.Length as usize) },
            0,
            "NUL-terminated"
        );
        // SAFETY: as above.
        unsafe { crate::ffi::string_lossy(s) }
    }

    #[test]
    fn imports_are_listed_in_order_with_names_kinds_and_types() {
        let ast = load(WAT);
        // SAFETY: `ast` is live until deleted at the end; descriptions are borrowed from it.
        unsafe {
            assert_eq!(WasmEdge_ASTModuleListImportsLength(ast), 4);
            let mut imports = [std::ptr::null(); 4];
            assert_eq!(
                WasmEdge_ASTModuleListImports(ast, imports.as_mut_ptr(), 4),
                4
            );
            let seen: Vec<_> = imports
                .iter()
                .map(|&i| {
                    (
                        text(WasmEdge_ImportTypeGetModuleName(i)),
                        text(WasmEdge_ImportTypeGetExternalName(i)),
                        WasmEdge_ImportTypeGetExternalType(i),
                    )
                })
                .collect();
            assert_eq!(
                seen,
                [
                    ("env".into(), "add".into(), EXTERNAL_FUNCTION),
                    ("env".into(), "mem".into(), EXTERNAL_MEMORY),
                    ("host".into(), "tab".into(), EXTERNAL_TABLE),
                    ("host".into(), "g".into(), EXTERNAL_GLOBAL),
                ]
            );

            let f = WasmEdge_ImportTypeGetFunctionType(ast, imports[0]);
            assert_eq!(WasmEdge_FunctionTypeGetParametersLength(f), 2);
            assert_eq!(WasmEdge_FunctionTypeGetReturnsLength(f), 1);
            let m = WasmEdge_ImportTypeGetMemoryType(ast, imports[1]);
            let ml = WasmEdge_MemoryTypeGetLimit(m);
            assert_eq!((WasmEdge_LimitGetMin(ml), WasmEdge_LimitGetMax(ml)), (1, 4));
            let t = WasmEdge_ImportTypeGetTableType(ast, imports[2]);
            let tl = WasmEdge_TableTypeGetLimit(t);
            assert_eq!(WasmEdge_LimitGetMin(tl), 2);
            assert!(!WasmEdge_LimitHasMax(tl));
            let g = WasmEdge_ImportTypeGetGlobalType(ast, imports[3]);
            assert_eq!(WasmEdge_GlobalTypeGetMutability(g), MUTABILITY_VAR);

            // The wrong kind, or a NULL module, gives NULL.
            assert!(WasmEdge_ImportTypeGetMemoryType(ast, imports[0]).is_null());
            assert!(WasmEdge_ImportTypeGetFunctionType(ast, imports[3]).is_null());
            assert!(WasmEdge_ImportTypeGetTableType(ast, imports[1]).is_null());
            assert!(WasmEdge_ImportTypeGetGlobalType(ast, imports[2]).is_null());
            assert!(WasmEdge_ImportTypeGetFunctionType(std::ptr::null(), imports[0]).is_null());
            WasmEdge_ASTModuleDelete(ast);
        }
    }

    #[test]
    fn exports_are_listed_with_names_kinds_and_types() {
        let ast = load(WAT);
        // SAFETY: `ast` is live until deleted at the end; descriptions are borrowed from it.
        unsafe {
            assert_eq!(WasmEdge_ASTModuleListExportsLength(ast), 4);
            let mut exports = [std::ptr::null(); 4];
            assert_eq!(
                WasmEdge_ASTModuleListExports(ast, exports.as_mut_ptr(), 4),
                4
            );
            let seen: Vec<_> = exports
                .iter()
                .map(|&e| {
                    (
                        text(WasmEdge_ExportTypeGetExternalName(e)),
                        WasmEdge_ExportTypeGetExternalType(e),
                    )
                })
                .collect();
            assert_eq!(
                seen,
                [
                    ("run".into(), EXTERNAL_FUNCTION),
                    ("c".into(), EXTERNAL_GLOBAL),
                    ("memory".into(), EXTERNAL_MEMORY),
                    ("table".into(), EXTERNAL_TABLE),
                ]
            );
            let f = WasmEdge_ExportTypeGetFunctionType(ast, exports[0]);
            assert_eq!(WasmEdge_FunctionTypeGetParametersLength(f), 1);
            assert_eq!(WasmEdge_FunctionTypeGetReturnsLength(f), 2);
            assert!(!WasmEdge_ExportTypeGetGlobalType(ast, exports[1]).is_null());
            assert!(!WasmEdge_ExportTypeGetMemoryType(ast, exports[2]).is_null());
            assert!(!WasmEdge_ExportTypeGetTableType(ast, exports[3]).is_null());
            assert!(WasmEdge_ExportTypeGetTableType(ast, exports[0]).is_null());
            assert!(WasmEdge_ExportTypeGetFunctionType(ast, exports[1]).is_null());
            assert!(WasmEdge_ExportTypeGetGlobalType(std::ptr::null(), exports[1]).is_null());
            WasmEdge_ASTModuleDelete(ast);
        }
    }

    #[test]
    fn lists_fill_at_most_len_and_return_the_total() {
        let ast = load(WAT);
        // SAFETY: `ast` is live until deleted; the output arrays are local.
        unsafe {
            let sentinel = std::ptr::dangling::<WasmEdge_ImportTypeContext>();
            let mut imports = [sentinel; 3];
            assert_eq!(
                WasmEdge_ASTModuleListImports(ast, imports.as_mut_ptr(), 2),
                4
            );
            assert!(imports[..2].iter().all(|p| !p.is_null() && *p != sentinel));
            assert_eq!(imports[2], sentinel);
            assert_eq!(
                WasmEdge_ASTModuleListImports(ast, std::ptr::null_mut(), 9),
                4
            );
            let mut exports = [std::ptr::null(); 1];
            assert_eq!(
                WasmEdge_ASTModuleListExports(ast, exports.as_mut_ptr(), 1),
                4
            );
            assert_eq!(text(WasmEdge_ExportTypeGetExternalName(exports[0])), "run");
            WasmEdge_ASTModuleDelete(ast);
        }
    }

    #[test]
    fn null_contexts_give_zero_null_or_empty() {
        // SAFETY: NULL is allowed everywhere.
        unsafe {
            assert_eq!(WasmEdge_ASTModuleListImportsLength(std::ptr::null()), 0);
            assert_eq!(
                WasmEdge_ASTModuleListExports(std::ptr::null(), std::ptr::null_mut(), 3),
                0
            );
            let name = WasmEdge_ImportTypeGetModuleName(std::ptr::null());
            assert_eq!((name.Length, name.Buf), (0, std::ptr::null()));
            assert_eq!(
                WasmEdge_ExportTypeGetExternalType(std::ptr::null()),
                EXTERNAL_FUNCTION
            );
            WasmEdge_ASTModuleDelete(std::ptr::null_mut());
        }
    }

    #[test]
    fn an_invalid_module_keeps_its_error_and_lists_nothing() {
        let ast = load(r#"(module (func (result i32) f32.const 0))"#);
        // SAFETY: `ast` is live until deleted.
        unsafe {
            assert!((*ast).module.is_none());
            assert!((*ast).invalid.is_some());
            assert!(!(*ast).validated.load(std::sync::atomic::Ordering::Relaxed));
            assert_eq!(WasmEdge_ASTModuleListExportsLength(ast), 0);
            WasmEdge_ASTModuleDelete(ast);
        }
    }
}
