//! Loaded modules and their import and export descriptions (`wasmedge_ast.h`).

use crate::types::{
    WasmEdge_FunctionTypeContext, WasmEdge_GlobalTypeContext, WasmEdge_MemoryTypeContext,
    WasmEdge_TableTypeContext,
};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

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
    pub(crate) module: String,
    pub(crate) name: String,
    pub(crate) ty: ExternTypeCtx,
}

/// `WasmEdge_ExportTypeContext` (borrowed from its AST module).
pub struct WasmEdge_ExportTypeContext {
    pub(crate) name: String,
    pub(crate) ty: ExternTypeCtx,
}
