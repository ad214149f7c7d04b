//! Type contexts (`wasmedge_ast.h`): limits, function, table, memory and global types.

use crate::abi::WasmEdge_ValType;
use crate::ffi::guard;
use crate::value::{valtype_from_c, valtype_to_c};
use wedge::{FuncType, GlobalType, Limits, MemoryType, Mutability, TableType, ValType};

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

/// `enum WasmEdge_Mutability` as C passes it (Const 0, Var 1).
pub type WasmEdge_Mutability = u32;
/// `WasmEdge_Mutability_Const`.
pub const MUTABILITY_CONST: WasmEdge_Mutability = 0;
/// `WasmEdge_Mutability_Var`.
pub const MUTABILITY_VAR: WasmEdge_Mutability = 1;

/// A shared reference to the context behind a C pointer, or None for NULL.
///
/// # Safety
/// `p` must be NULL or point to a live `T` that is not mutated while the reference is used.
pub(crate) unsafe fn as_ref<'a, T>(p: *const T) -> Option<&'a T> {
    // SAFETY: forwarded to the caller.
    unsafe { p.as_ref() }
}

/// Moves a context to the heap and hands its ownership to C.
pub(crate) fn into_c<T>(ctx: T) -> *mut T {
    Box::into_raw(Box::new(ctx))
}

/// Takes back and drops a context handed out by [`into_c`]; NULL is a no-op.
///
/// # Safety
/// `p` must be NULL or come from [`into_c`] with the same `T`, and not be used afterwards.
pub(crate) unsafe fn drop_c<T>(p: *mut T) {
    if !p.is_null() {
        // SAFETY: the caller guarantees `p` came from `Box::into_raw` in `into_c`.
        drop(unsafe { Box::from_raw(p) });
    }
}

/// Writes the C encodings of `types` into `list[..len]` (as many as fit) and returns how many
/// there are in all.
///
/// # Safety
/// `list` must be NULL or point to `len` writable `WasmEdge_ValType`s.
unsafe fn list_valtypes(types: &[ValType], list: *mut WasmEdge_ValType, len: u32) -> u32 {
    if !list.is_null() {
        for (i, ty) in types.iter().take(len as usize).enumerate() {
            // SAFETY: `i < len`, and the caller guarantees `len` writable entries.
            unsafe { list.add(i).write(valtype_to_c(*ty)) };
        }
    }
    types.len() as u32
}

/// The Wedge types of a C list, or None if the list is NULL while `len > 0` or holds a type
/// Wedge cannot represent.
///
/// # Safety
/// `list` must be NULL or point to `len` readable `WasmEdge_ValType`s.
unsafe fn read_valtypes(list: *const WasmEdge_ValType, len: u32) -> Option<Vec<ValType>> {
    if len == 0 {
        return Some(Vec::new());
    }
    if list.is_null() {
        return None;
    }
    // SAFETY: the caller guarantees `len` readable entries.
    let list = unsafe { std::slice::from_raw_parts(list, len as usize) };
    list.iter().map(|t| valtype_from_c(*t)).collect()
}

// >>>>>>>> Limits >>>>>>>>

/// `WasmEdge_LimitCreate`: a limit with a minimum and no maximum. Free it with
/// `WasmEdge_LimitDelete`.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_LimitCreate(
    Min: u64,
    Is64Bit: bool,
) -> *mut WasmEdge_LimitContext {
    guard(std::ptr::null_mut(), || {
        into_c(WasmEdge_LimitContext {
            limits: Limits {
                min: Min,
                max: None,
            },
            shared: false,
            is64: Is64Bit,
        })
    })
}

/// `WasmEdge_LimitCreateWithMax`: a limit with a minimum and a maximum (not checked against
/// each other here: validation does that). Free it with `WasmEdge_LimitDelete`.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_LimitCreateWithMax(
    Min: u64,
    Max: u64,
    Is64Bit: bool,
    IsShared: bool,
) -> *mut WasmEdge_LimitContext {
    guard(std::ptr::null_mut(), || {
        into_c(WasmEdge_LimitContext {
            limits: Limits {
                min: Min,
                max: Some(Max),
            },
            shared: IsShared,
            is64: Is64Bit,
        })
    })
}

/// `WasmEdge_LimitGetMin` (0 for NULL).
///
/// # Safety
/// `Cxt` must be NULL or a live limit context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_LimitGetMin(Cxt: *const WasmEdge_LimitContext) -> u64 {
    // SAFETY: the caller guarantees `Cxt` is NULL or live.
    guard(0, || unsafe { as_ref(Cxt) }.map_or(0, |l| l.limits.min))
}

/// `WasmEdge_LimitGetMax`: the maximum, or the minimum when there is none, as in WasmEdge
/// (0 for NULL).
///
/// # Safety
/// `Cxt` must be NULL or a live limit context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_LimitGetMax(Cxt: *const WasmEdge_LimitContext) -> u64 {
    guard(0, || {
        // SAFETY: the caller guarantees `Cxt` is NULL or live.
        unsafe { as_ref(Cxt) }.map_or(0, |l| l.limits.max.unwrap_or(l.limits.min))
    })
}

/// `WasmEdge_LimitHasMax` (false for NULL).
///
/// # Safety
/// `Cxt` must be NULL or a live limit context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_LimitHasMax(Cxt: *const WasmEdge_LimitContext) -> bool {
    guard(false, || {
        // SAFETY: the caller guarantees `Cxt` is NULL or live.
        unsafe { as_ref(Cxt) }.is_some_and(|l| l.limits.max.is_some())
    })
}

/// `WasmEdge_LimitIsShared` (false for NULL).
///
/// # Safety
/// `Cxt` must be NULL or a live limit context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_LimitIsShared(Cxt: *const WasmEdge_LimitContext) -> bool {
    // SAFETY: the caller guarantees `Cxt` is NULL or live.
    guard(false, || unsafe { as_ref(Cxt) }.is_some_and(|l| l.shared))
}

/// `WasmEdge_LimitIs64Bit` (false for NULL).
///
/// # Safety
/// `Cxt` must be NULL or a live limit context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_LimitIs64Bit(Cxt: *const WasmEdge_LimitContext) -> bool {
    // SAFETY: the caller guarantees `Cxt` is NULL or live.
    guard(false, || unsafe { as_ref(Cxt) }.is_some_and(|l| l.is64))
}

/// `WasmEdge_LimitIsEqual`: same minimum, maximum (or both without one), address width and
/// sharing; false if either is NULL.
///
/// # Safety
/// Each pointer must be NULL or a live limit context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_LimitIsEqual(
    Lim1: *const WasmEdge_LimitContext,
    Lim2: *const WasmEdge_LimitContext,
) -> bool {
    guard(false, || {
        // SAFETY: the caller guarantees both are NULL or live.
        match unsafe { (as_ref(Lim1), as_ref(Lim2)) } {
            (Some(a), Some(b)) => a == b,
            _ => false,
        }
    })
}

/// `WasmEdge_LimitDelete` (NULL is a no-op).
///
/// # Safety
/// `Cxt` must be NULL or come from a `WasmEdge_LimitCreate*` function, and not be used
/// afterwards. Never pass a limit borrowed from a table or memory type.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_LimitDelete(Cxt: *mut WasmEdge_LimitContext) {
    // SAFETY: the caller guarantees `Cxt` is NULL or owned by C and created here.
    guard((), || unsafe { drop_c(Cxt) })
}

// >>>>>>>> Function types >>>>>>>>

/// `WasmEdge_FunctionTypeCreate`: a function type with these parameters and results. NULL if
/// a list is NULL while its length is not 0, or holds a type Wedge cannot represent (typed
/// references, GC types). Free it with `WasmEdge_FunctionTypeDelete`.
///
/// # Safety
/// Each list must be NULL or point to its length of readable `WasmEdge_ValType`s.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_FunctionTypeCreate(
    ParamList: *const WasmEdge_ValType,
    ParamLen: u32,
    ReturnList: *const WasmEdge_ValType,
    ReturnLen: u32,
) -> *mut WasmEdge_FunctionTypeContext {
    guard(std::ptr::null_mut(), || {
        // SAFETY: the caller guarantees each list is NULL or has its length of entries.
        let (params, results) = unsafe {
            (
                read_valtypes(ParamList, ParamLen),
                read_valtypes(ReturnList, ReturnLen),
            )
        };
        match (params, results) {
            (Some(p), Some(r)) => into_c(WasmEdge_FunctionTypeContext::new(FuncType::new(p, r))),
            _ => std::ptr::null_mut(),
        }
    })
}

/// `WasmEdge_FunctionTypeGetParametersLength` (0 for NULL).
///
/// # Safety
/// `Cxt` must be NULL or a live function type context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_FunctionTypeGetParametersLength(
    Cxt: *const WasmEdge_FunctionTypeContext,
) -> u32 {
    guard(0, || {
        // SAFETY: the caller guarantees `Cxt` is NULL or live.
        unsafe { as_ref(Cxt) }.map_or(0, |f| f.ty.params().len() as u32)
    })
}

/// `WasmEdge_FunctionTypeGetParameters`: writes at most `Len` parameter types into `List` and
/// returns the number of parameters (0 for NULL).
///
/// # Safety
/// `Cxt` must be NULL or a live function type context; `List` must be NULL or point to `Len`
/// writable `WasmEdge_ValType`s.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_FunctionTypeGetParameters(
    Cxt: *const WasmEdge_FunctionTypeContext,
    List: *mut WasmEdge_ValType,
    Len: u32,
) -> u32 {
    guard(0, || {
        // SAFETY: the caller guarantees `Cxt` is NULL or live.
        let Some(f) = (unsafe { as_ref(Cxt) }) else {
            return 0;
        };
        // SAFETY: the caller guarantees `List` is NULL or has `Len` writable entries.
        unsafe { list_valtypes(f.ty.params(), List, Len) }
    })
}

/// `WasmEdge_FunctionTypeGetReturnsLength` (0 for NULL).
///
/// # Safety
/// `Cxt` must be NULL or a live function type context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_FunctionTypeGetReturnsLength(
    Cxt: *const WasmEdge_FunctionTypeContext,
) -> u32 {
    guard(0, || {
        // SAFETY: the caller guarantees `Cxt` is NULL or live.
        unsafe { as_ref(Cxt) }.map_or(0, |f| f.ty.results().len() as u32)
    })
}

/// `WasmEdge_FunctionTypeGetReturns`: writes at most `Len` result types into `List` and
/// returns the number of results (0 for NULL).
///
/// # Safety
/// `Cxt` must be NULL or a live function type context; `List` must be NULL or point to `Len`
/// writable `WasmEdge_ValType`s.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_FunctionTypeGetReturns(
    Cxt: *const WasmEdge_FunctionTypeContext,
    List: *mut WasmEdge_ValType,
    Len: u32,
) -> u32 {
    guard(0, || {
        // SAFETY: the caller guarantees `Cxt` is NULL or live.
        let Some(f) = (unsafe { as_ref(Cxt) }) else {
            return 0;
        };
        // SAFETY: the caller guarantees `List` is NULL or has `Len` writable entries.
        unsafe { list_valtypes(f.ty.results(), List, Len) }
    })
}

/// `WasmEdge_FunctionTypeDelete` (NULL is a no-op).
///
/// # Safety
/// `Cxt` must be NULL or come from `WasmEdge_FunctionTypeCreate`, and not be used afterwards.
/// Never pass a type borrowed from a module or an instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_FunctionTypeDelete(Cxt: *mut WasmEdge_FunctionTypeContext) {
    // SAFETY: the caller guarantees `Cxt` is NULL or owned by C and created here.
    guard((), || unsafe { drop_c(Cxt) })
}

// >>>>>>>> Table types >>>>>>>>

/// `WasmEdge_TableTypeCreate`: a table of `RefType` with a copy of `Limit`. NULL if `Limit` is
/// NULL or `RefType` is not a reference type Wedge can represent. Free it with
/// `WasmEdge_TableTypeDelete`.
///
/// # Safety
/// `Limit` must be NULL or a live limit context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_TableTypeCreate(
    RefType: WasmEdge_ValType,
    Limit: *const WasmEdge_LimitContext,
) -> *mut WasmEdge_TableTypeContext {
    guard(std::ptr::null_mut(), || {
        // SAFETY: the caller guarantees `Limit` is NULL or live.
        let Some(limit) = (unsafe { as_ref(Limit) }) else {
            return std::ptr::null_mut();
        };
        match valtype_from_c(RefType) {
            Some(element) if element.is_ref() => into_c(WasmEdge_TableTypeContext {
                ty: TableType {
                    element,
                    limits: limit.limits,
                },
                // Kept as given (64-bit and shared flags included) so that it reads back.
                limit: *limit,
            }),
            _ => std::ptr::null_mut(),
        }
    })
}

/// `WasmEdge_TableTypeGetRefType`: the element type (`funcref` for NULL, as in WasmEdge).
///
/// # Safety
/// `Cxt` must be NULL or a live table type context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_TableTypeGetRefType(
    Cxt: *const WasmEdge_TableTypeContext,
) -> WasmEdge_ValType {
    let fallback = valtype_to_c(ValType::FuncRef);
    guard(fallback, || {
        // SAFETY: the caller guarantees `Cxt` is NULL or live.
        unsafe { as_ref(Cxt) }.map_or(fallback, |t| valtype_to_c(t.ty.element))
    })
}

/// `WasmEdge_TableTypeGetLimit`: the table's limit, borrowed from the table type (NULL for
/// NULL). Never pass it to `WasmEdge_LimitDelete`.
///
/// # Safety
/// `Cxt` must be NULL or a live table type context; the result lives as long as it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_TableTypeGetLimit(
    Cxt: *const WasmEdge_TableTypeContext,
) -> *const WasmEdge_LimitContext {
    guard(std::ptr::null(), || {
        // SAFETY: the caller guarantees `Cxt` is NULL or live.
        unsafe { as_ref(Cxt) }.map_or(std::ptr::null(), |t| &raw const t.limit)
    })
}

/// `WasmEdge_TableTypeDelete` (NULL is a no-op).
///
/// # Safety
/// `Cxt` must be NULL or come from `WasmEdge_TableTypeCreate`, and not be used afterwards.
/// Never pass a type borrowed from a module or an instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_TableTypeDelete(Cxt: *mut WasmEdge_TableTypeContext) {
    // SAFETY: the caller guarantees `Cxt` is NULL or owned by C and created here.
    guard((), || unsafe { drop_c(Cxt) })
}

// >>>>>>>> Memory types >>>>>>>>

/// `WasmEdge_MemoryTypeCreate`: a memory type with a copy of `Limit` (pages; its 64-bit flag
/// makes a memory64 type, its shared flag a shared memory). NULL if `Limit` is NULL. Free it
/// with `WasmEdge_MemoryTypeDelete`.
///
/// # Safety
/// `Limit` must be NULL or a live limit context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_MemoryTypeCreate(
    Limit: *const WasmEdge_LimitContext,
) -> *mut WasmEdge_MemoryTypeContext {
    guard(std::ptr::null_mut(), || {
        // SAFETY: the caller guarantees `Limit` is NULL or live.
        let Some(limit) = (unsafe { as_ref(Limit) }) else {
            return std::ptr::null_mut();
        };
        into_c(WasmEdge_MemoryTypeContext::new(MemoryType {
            limits: limit.limits,
            memory64: limit.is64,
            shared: limit.shared,
        }))
    })
}

/// `WasmEdge_MemoryTypeGetLimit`: the memory's limit, borrowed from the memory type (NULL for
/// NULL). Never pass it to `WasmEdge_LimitDelete`.
///
/// # Safety
/// `Cxt` must be NULL or a live memory type context; the result lives as long as it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_MemoryTypeGetLimit(
    Cxt: *const WasmEdge_MemoryTypeContext,
) -> *const WasmEdge_LimitContext {
    guard(std::ptr::null(), || {
        // SAFETY: the caller guarantees `Cxt` is NULL or live.
        unsafe { as_ref(Cxt) }.map_or(std::ptr::null(), |m| &raw const m.limit)
    })
}

/// `WasmEdge_MemoryTypeDelete` (NULL is a no-op).
///
/// # Safety
/// `Cxt` must be NULL or come from `WasmEdge_MemoryTypeCreate`, and not be used afterwards.
/// Never pass a type borrowed from a module or an instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_MemoryTypeDelete(Cxt: *mut WasmEdge_MemoryTypeContext) {
    // SAFETY: the caller guarantees `Cxt` is NULL or owned by C and created here.
    guard((), || unsafe { drop_c(Cxt) })
}

// >>>>>>>> Global types >>>>>>>>

/// `WasmEdge_GlobalTypeCreate`: a global of `ValType`, constant or variable. NULL if Wedge
/// cannot represent the type or `Mut` is neither Const nor Var. Free it with
/// `WasmEdge_GlobalTypeDelete`.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_GlobalTypeCreate(
    ValType: WasmEdge_ValType,
    Mut: WasmEdge_Mutability,
) -> *mut WasmEdge_GlobalTypeContext {
    guard(std::ptr::null_mut(), || {
        let mutability = match Mut {
            MUTABILITY_CONST => Mutability::Const,
            MUTABILITY_VAR => Mutability::Var,
            _ => return std::ptr::null_mut(),
        };
        match valtype_from_c(ValType) {
            Some(content) => into_c(WasmEdge_GlobalTypeContext::new(GlobalType::new(
                content, mutability,
            ))),
            None => std::ptr::null_mut(),
        }
    })
}

/// `WasmEdge_GlobalTypeGetValType`: the value type (`i32` for NULL, as in WasmEdge).
///
/// # Safety
/// `Cxt` must be NULL or a live global type context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_GlobalTypeGetValType(
    Cxt: *const WasmEdge_GlobalTypeContext,
) -> WasmEdge_ValType {
    let fallback = valtype_to_c(ValType::I32);
    guard(fallback, || {
        // SAFETY: the caller guarantees `Cxt` is NULL or live.
        unsafe { as_ref(Cxt) }.map_or(fallback, |g| valtype_to_c(g.ty.content))
    })
}

/// `WasmEdge_GlobalTypeGetMutability` (Const for NULL).
///
/// # Safety
/// `Cxt` must be NULL or a live global type context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_GlobalTypeGetMutability(
    Cxt: *const WasmEdge_GlobalTypeContext,
) -> WasmEdge_Mutability {
    guard(MUTABILITY_CONST, || {
        // SAFETY: the caller guarantees `Cxt` is NULL or live.
        match unsafe { as_ref(Cxt) }.map(|g| g.ty.mutability) {
            Some(Mutability::Var) => MUTABILITY_VAR,
            _ => MUTABILITY_CONST,
        }
    })
}

/// `WasmEdge_GlobalTypeDelete` (NULL is a no-op).
///
/// # Safety
/// `Cxt` must be NULL or come from `WasmEdge_GlobalTypeCreate`, and not be used afterwards.
/// Never pass a type borrowed from a module or an instance.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_GlobalTypeDelete(Cxt: *mut WasmEdge_GlobalTypeContext) {
    // SAFETY: the caller guarantees `Cxt` is NULL or owned by C and created here.
    guard((), || unsafe { drop_c(Cxt) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::{make_valtype, tc};

    #[test]
    fn limits_read_back_what_they_were_made_with() {
        // SAFETY: each context is made here, used while live and deleted once.
        unsafe {
            let a = WasmEdge_LimitCreate(3, false);
            assert_eq!(WasmEdge_LimitGetMin(a), 3);
            assert_eq!(
                WasmEdge_LimitGetMax(a),
                3,
                "no maximum reads as the minimum"
            );
            assert!(!WasmEdge_LimitHasMax(a));
            assert!(!WasmEdge_LimitIsShared(a));
            assert!(!WasmEdge_LimitIs64Bit(a));

            let b = WasmEdge_LimitCreateWithMax(1, 1 << 40, true, true);
            assert_eq!(WasmEdge_LimitGetMin(b), 1);
            assert_eq!(WasmEdge_LimitGetMax(b), 1 << 40);
            assert!(WasmEdge_LimitHasMax(b));
            assert!(WasmEdge_LimitIsShared(b));
            assert!(WasmEdge_LimitIs64Bit(b));

            let c = WasmEdge_LimitCreate(3, false);
            let d = WasmEdge_LimitCreateWithMax(3, 3, false, false);
            let e = WasmEdge_LimitCreate(3, true);
            assert!(WasmEdge_LimitIsEqual(a, c));
            assert!(!WasmEdge_LimitIsEqual(a, d), "a maximum makes a difference");
            assert!(!WasmEdge_LimitIsEqual(a, e), "so does the address width");
            assert!(!WasmEdge_LimitIsEqual(a, std::ptr::null()));
            for l in [a, b, c, d, e] {
                WasmEdge_LimitDelete(l);
            }
        }
    }

    #[test]
    fn null_contexts_give_zero_null_or_false() {
        // SAFETY: NULL is allowed everywhere.
        unsafe {
            assert_eq!(WasmEdge_LimitGetMin(std::ptr::null()), 0);
            assert_eq!(WasmEdge_LimitGetMax(std::ptr::null()), 0);
            assert!(!WasmEdge_LimitHasMax(std::ptr::null()));
            assert_eq!(
                WasmEdge_FunctionTypeGetParametersLength(std::ptr::null()),
                0
            );
            assert_eq!(
                WasmEdge_FunctionTypeGetReturns(std::ptr::null(), std::ptr::null_mut(), 4),
                0
            );
            assert!(WasmEdge_TableTypeGetLimit(std::ptr::null()).is_null());
            assert!(WasmEdge_MemoryTypeGetLimit(std::ptr::null()).is_null());
            assert!(
                WasmEdge_TableTypeCreate(valtype_to_c(ValType::FuncRef), std::ptr::null())
                    .is_null()
            );
            assert!(WasmEdge_MemoryTypeCreate(std::ptr::null()).is_null());
            assert_eq!(
                WasmEdge_GlobalTypeGetMutability(std::ptr::null()),
                MUTABILITY_CONST
            );
            WasmEdge_LimitDelete(std::ptr::null_mut());
            WasmEdge_FunctionTypeDelete(std::ptr::null_mut());
            WasmEdge_TableTypeDelete(std::ptr::null_mut());
            WasmEdge_MemoryTypeDelete(std::ptr::null_mut());
            WasmEdge_GlobalTypeDelete(std::ptr::null_mut());
        }
    }

    #[test]
    fn function_types_report_lengths_and_truncate_lists() {
        let params = [
            valtype_to_c(ValType::I32),
            valtype_to_c(ValType::F64),
            valtype_to_c(ValType::ExternRef),
        ];
        let results = [valtype_to_c(ValType::V128)];
        // SAFETY: the lists are local and as long as the lengths passed; the type is deleted once.
        unsafe {
            let f = WasmEdge_FunctionTypeCreate(params.as_ptr(), 3, results.as_ptr(), 1);
            assert!(!f.is_null());
            assert_eq!(WasmEdge_FunctionTypeGetParametersLength(f), 3);
            assert_eq!(WasmEdge_FunctionTypeGetReturnsLength(f), 1);

            let mut out = [make_valtype(0xEE, 0xEE); 3];
            assert_eq!(
                WasmEdge_FunctionTypeGetParameters(f, out.as_mut_ptr(), 2),
                3
            );
            assert_eq!(out[0].Data, params[0].Data);
            assert_eq!(out[1].Data, params[1].Data);
            assert_eq!(
                out[2].Data,
                [0, 0, 0xEE, 0xEE, 0, 0, 0, 0],
                "past Len is untouched"
            );
            assert_eq!(
                WasmEdge_FunctionTypeGetParameters(f, std::ptr::null_mut(), 3),
                3
            );

            let mut ret = [make_valtype(0, 0); 2];
            assert_eq!(WasmEdge_FunctionTypeGetReturns(f, ret.as_mut_ptr(), 2), 1);
            assert_eq!(ret[0].Data, results[0].Data);
            WasmEdge_FunctionTypeDelete(f);

            let empty = WasmEdge_FunctionTypeCreate(std::ptr::null(), 0, std::ptr::null(), 0);
            assert_eq!(WasmEdge_FunctionTypeGetParametersLength(empty), 0);
            WasmEdge_FunctionTypeDelete(empty);
        }
    }

    #[test]
    fn types_wedge_cannot_represent_make_create_fail() {
        let typed_ref = make_valtype(tc::REF, tc::TYPE_INDEX);
        // SAFETY: the lists are local; whatever is created is deleted.
        unsafe {
            assert!(WasmEdge_FunctionTypeCreate(&typed_ref, 1, std::ptr::null(), 0).is_null());
            assert!(
                WasmEdge_FunctionTypeCreate(std::ptr::null(), 2, std::ptr::null(), 0).is_null()
            );
            assert!(WasmEdge_GlobalTypeCreate(typed_ref, MUTABILITY_VAR).is_null());
            assert!(WasmEdge_GlobalTypeCreate(valtype_to_c(ValType::I32), 2).is_null());
            let limit = WasmEdge_LimitCreate(1, false);
            assert!(WasmEdge_TableTypeCreate(valtype_to_c(ValType::I32), limit).is_null());
            assert!(WasmEdge_TableTypeCreate(typed_ref, limit).is_null());
            WasmEdge_LimitDelete(limit);
        }
    }

    #[test]
    fn table_and_memory_types_copy_and_lend_their_limit() {
        // SAFETY: each context is made here, used while live and deleted once.
        unsafe {
            let limit = WasmEdge_LimitCreateWithMax(2, 10, false, false);
            let t = WasmEdge_TableTypeCreate(valtype_to_c(ValType::ExternRef), limit);
            assert!(!t.is_null());
            assert!(crate::value::WasmEdge_ValTypeIsExternRef(
                WasmEdge_TableTypeGetRefType(t)
            ));
            let tl = WasmEdge_TableTypeGetLimit(t);
            assert!(WasmEdge_LimitIsEqual(tl, limit));
            assert_eq!((*t).ty.limits, (*limit).limits);

            let shared = WasmEdge_LimitCreateWithMax(1, 4, true, true);
            let m = WasmEdge_MemoryTypeCreate(shared);
            WasmEdge_LimitDelete(shared);
            let ml = WasmEdge_MemoryTypeGetLimit(m);
            assert_eq!(WasmEdge_LimitGetMin(ml), 1);
            assert_eq!(WasmEdge_LimitGetMax(ml), 4);
            assert!(WasmEdge_LimitIsShared(ml) && WasmEdge_LimitIs64Bit(ml));
            assert!((*m).ty.shared && (*m).ty.memory64);

            WasmEdge_LimitDelete(limit);
            assert_eq!(
                WasmEdge_LimitGetMax(tl),
                10,
                "the lent limit outlives the original"
            );
            WasmEdge_TableTypeDelete(t);
            WasmEdge_MemoryTypeDelete(m);
        }
    }

    #[test]
    fn global_types_keep_value_type_and_mutability() {
        // SAFETY: each context is made here, used while live and deleted once.
        unsafe {
            let g = WasmEdge_GlobalTypeCreate(valtype_to_c(ValType::F32), MUTABILITY_VAR);
            assert!(crate::value::WasmEdge_ValTypeIsF32(
                WasmEdge_GlobalTypeGetValType(g)
            ));
            assert_eq!(WasmEdge_GlobalTypeGetMutability(g), MUTABILITY_VAR);
            WasmEdge_GlobalTypeDelete(g);
            let c = WasmEdge_GlobalTypeCreate(valtype_to_c(ValType::FuncRef), MUTABILITY_CONST);
            assert_eq!(WasmEdge_GlobalTypeGetMutability(c), MUTABILITY_CONST);
            assert_eq!((*c).ty.content, ValType::FuncRef);
            WasmEdge_GlobalTypeDelete(c);
        }
    }
}
