//! Type contexts (`wasmedge_ast.h`): limits, function, table, memory and global types.

use wedge::{FuncType, GlobalType, Limits, MemoryType, TableType};

/// `WasmEdge_LimitContext`: size bounds with the shared and 64-bit flags (0.17's opaque limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WasmEdge_LimitContext {
    pub(crate) limits: Limits,
    pub(crate) shared: bool,
    pub(crate) is64: bool,
}

/// `WasmEdge_FunctionTypeContext`.
#[derive(Debug, Clone)]
pub struct WasmEdge_FunctionTypeContext {
    pub(crate) ty: FuncType,
}

/// `WasmEdge_TableTypeContext`; `limit` mirrors `ty.limits` so it can be lent out.
#[derive(Debug, Clone)]
pub struct WasmEdge_TableTypeContext {
    pub(crate) ty: TableType,
    pub(crate) limit: WasmEdge_LimitContext,
}

/// `WasmEdge_MemoryTypeContext`; `limit` mirrors `ty`'s limits and flags so it can be lent out.
#[derive(Debug, Clone)]
pub struct WasmEdge_MemoryTypeContext {
    pub(crate) ty: MemoryType,
    pub(crate) limit: WasmEdge_LimitContext,
}

/// `WasmEdge_GlobalTypeContext`.
#[derive(Debug, Clone)]
pub struct WasmEdge_GlobalTypeContext {
    pub(crate) ty: GlobalType,
}

impl WasmEdge_FunctionTypeContext {
    pub(crate) fn new(ty: FuncType) -> Self {
        WasmEdge_FunctionTypeContext { ty }
    }
}

impl WasmEdge_TableTypeContext {
    pub(crate) fn new(ty: TableType) -> Self {
        WasmEdge_TableTypeContext {
            ty,
            limit: WasmEdge_LimitContext {
                limits: ty.limits,
                shared: false,
                is64: false,
            },
        }
    }
}

impl WasmEdge_MemoryTypeContext {
    pub(crate) fn new(ty: MemoryType) -> Self {
        WasmEdge_MemoryTypeContext {
            ty,
            limit: WasmEdge_LimitContext {
                limits: ty.limits,
                shared: ty.shared,
                is64: ty.memory64,
            },
        }
    }
}

impl WasmEdge_GlobalTypeContext {
    pub(crate) fn new(ty: GlobalType) -> Self {
        WasmEdge_GlobalTypeContext { ty }
    }
}
