//! The C ABI the plug-in calls (`plugins/wasi_nn/src/backend/pytorch.rs` opens this library with
//! `libloading` and looks these functions up by name): plain integers and pointers only.
//!
//! Version [`ABI_VERSION`], which [`wedge_nn_torch_abi_version`] answers and the plug-in checks
//! before it looks up anything else. Every function that can fail returns an errno (0 on
//! success, else a wasi-nn errno: 1 `InvalidArgument`, 5 `RuntimeError`) and has logged the
//! reason. A graph and a context are opaque pointers, owned by the caller until it passes them
//! to [`wedge_nn_torch_free_graph`] / [`wedge_nn_torch_free_context`]; a context keeps its
//! graph's model alive, so the two may be freed in any order. Calls on one context must not
//! overlap (the plug-in serializes them); graphs may be used from any thread.
//!
//! Every entry point runs its body under `catch_unwind`: a panic is logged and answered 5 rather
//! than unwinding into the caller.

#![allow(
    unsafe_code,
    reason = "the C ABI of a library opened at run time: `no_mangle` exports, and the pointers \
              and lengths the caller passes turned into references and slices"
)]

use std::ffi::c_void;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::{ErrNo, TorchContext, TorchGraph, TorchResult, log};

/// The version of this ABI; a change of any function's signature or meaning bumps it.
pub const ABI_VERSION: u32 = 1;

/// Runs `f`, catching a panic: 0, the errno of `f`, or 5 (`RuntimeError`) after a panic.
fn guard(call: &str, f: impl FnOnce() -> TorchResult<()>) -> u32 {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => 0,
        Ok(Err(e)) => e as u32,
        Err(_) => {
            log(&format!("{call}: the backend panicked."));
            ErrNo::RuntimeError as u32
        }
    }
}

/// The slice of `len` elements at `ptr`; empty when `len` is 0 (`ptr` may then be null).
///
/// # Safety
///
/// When `len` is not 0, `ptr` must point to `len` initialized elements that stay valid and
/// unchanged for `'a`.
unsafe fn slice<'a, T>(ptr: *const T, len: usize) -> TorchResult<&'a [T]> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        log("a null pointer was passed for data.");
        return Err(ErrNo::InvalidArgument);
    }
    // SAFETY: non-null, and the caller guarantees `len` valid elements for 'a.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// The context behind a handle.
///
/// # Safety
///
/// `context` must be null or a handle from [`wedge_nn_torch_init_context`] not yet freed, with
/// no other call on it running.
unsafe fn context<'a>(context: *mut c_void) -> TorchResult<&'a mut TorchContext> {
    // SAFETY: by the caller's guarantee, a non-null handle is a live, unshared `TorchContext`.
    unsafe { context.cast::<TorchContext>().as_mut() }.ok_or_else(|| {
        log("a null context was passed.");
        ErrNo::InvalidArgument
    })
}

/// The version of this ABI ([`ABI_VERSION`]).
#[unsafe(no_mangle)]
pub extern "C" fn wedge_nn_torch_abi_version() -> u32 {
    ABI_VERSION
}

/// Loads the TorchScript archive of `len` bytes at `data` for `target` (a wasi-nn target
/// number); on success writes the graph's handle to `*graph`.
///
/// # Safety
///
/// `data` must point to `len` readable bytes (or `len` be 0); `graph` must be valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wedge_nn_torch_load(
    data: *const u8,
    len: usize,
    target: u32,
    graph: *mut *mut c_void,
) -> u32 {
    guard("load", || {
        // SAFETY: the caller guarantees `len` readable bytes at `data` for this call.
        let model = unsafe { slice(data, len) }?;
        if graph.is_null() {
            log("load: a null graph pointer was passed.");
            return Err(ErrNo::InvalidArgument);
        }
        let loaded = Box::new(TorchGraph::load(model, target)?);
        // SAFETY: non-null, and the caller guarantees it is valid for a write.
        unsafe { graph.write(Box::into_raw(loaded).cast()) };
        Ok(())
    })
}

/// A new execution context of `graph`, written to `*context`.
///
/// # Safety
///
/// `graph` must be a handle from [`wedge_nn_torch_load`] not yet freed; `context` must be valid
/// for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wedge_nn_torch_init_context(
    graph: *const c_void,
    context: *mut *mut c_void,
) -> u32 {
    guard("init_execution_context", || {
        // SAFETY: by the caller's guarantee, a non-null handle is a live `TorchGraph`, which is
        // only read (it is `Sync`).
        let Some(graph) = (unsafe { graph.cast::<TorchGraph>().as_ref() }) else {
            log("a null graph was passed.");
            return Err(ErrNo::InvalidArgument);
        };
        if context.is_null() {
            log("init_execution_context: a null context pointer was passed.");
            return Err(ErrNo::InvalidArgument);
        }
        let new = Box::new(graph.init_context());
        // SAFETY: non-null, and the caller guarantees it is valid for a write.
        unsafe { context.write(Box::into_raw(new).cast()) };
        Ok(())
    })
}

/// Sets input `index` of `context`: `ndims` dimensions at `dims`, tensor type `ty` (a wasi-nn
/// number), `len` bytes of elements at `data`.
///
/// # Safety
///
/// `context` as for every context call (a live handle, no other call on it running); `dims` must
/// point to `ndims` readable `u32`s and `data` to `len` readable bytes (or their lengths be 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wedge_nn_torch_set_input(
    context: *mut c_void,
    index: u32,
    dims: *const u32,
    ndims: usize,
    ty: u32,
    data: *const u8,
    len: usize,
) -> u32 {
    guard("set_input", || {
        // SAFETY: the caller guarantees a live handle that no other call uses.
        let context = unsafe { self::context(context) }?;
        // SAFETY: the caller guarantees `ndims` readable u32s at `dims` for this call.
        let dims = unsafe { slice(dims, ndims) }?;
        // SAFETY: the caller guarantees `len` readable bytes at `data` for this call.
        let data = unsafe { slice(data, len) }?;
        context.set_input(index, dims, ty, data)
    })
}

/// Runs `context`'s model on its inputs.
///
/// # Safety
///
/// `context` must be a live handle with no other call on it running.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wedge_nn_torch_compute(context: *mut c_void) -> u32 {
    guard("compute", || {
        // SAFETY: the caller guarantees a live handle that no other call uses.
        unsafe { self::context(context) }?.compute()
    })
}

/// Writes the length in bytes of output `index` (as F32) to `*len`.
///
/// # Safety
///
/// `context` must be a live handle with no other call on it running; `len` must be valid for a
/// write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wedge_nn_torch_output_len(
    context: *mut c_void,
    index: u32,
    len: *mut usize,
) -> u32 {
    guard("get_output", || {
        // SAFETY: the caller guarantees a live handle that no other call uses.
        let n = unsafe { self::context(context) }?.output_len(index)?;
        if len.is_null() {
            log("get_output: a null length pointer was passed.");
            return Err(ErrNo::InvalidArgument);
        }
        // SAFETY: non-null, and the caller guarantees it is valid for a write.
        unsafe { len.write(n) };
        Ok(())
    })
}

/// Copies output `index`, as F32 little-endian, into the `len` bytes at `buf`; `len` must be
/// what [`wedge_nn_torch_output_len`] answered.
///
/// # Safety
///
/// `context` must be a live handle with no other call on it running; `buf` must point to `len`
/// writable bytes that nothing else accesses during the call (or `len` be 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wedge_nn_torch_get_output(
    context: *mut c_void,
    index: u32,
    buf: *mut u8,
    len: usize,
) -> u32 {
    guard("get_output", || {
        // SAFETY: the caller guarantees a live handle that no other call uses.
        let context = unsafe { self::context(context) }?;
        let buf: &mut [u8] = if len == 0 {
            &mut []
        } else if buf.is_null() {
            log("get_output: a null buffer was passed.");
            return Err(ErrNo::InvalidArgument);
        } else {
            // SAFETY: non-null, and the caller guarantees `len` writable bytes, not otherwise
            // accessed, for this call.
            unsafe { std::slice::from_raw_parts_mut(buf, len) }
        };
        context.copy_output(index, buf)
    })
}

/// Frees a context (null is ignored).
///
/// # Safety
///
/// `context` must be null or a handle from [`wedge_nn_torch_init_context`], not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wedge_nn_torch_free_context(context: *mut c_void) {
    guard("finalize_execution_context", || {
        if !context.is_null() {
            // SAFETY: the caller passes ownership of a handle `Box::into_raw` made.
            drop(unsafe { Box::from_raw(context.cast::<TorchContext>()) });
        }
        Ok(())
    });
}

/// Frees a graph (null is ignored); its contexts stay usable.
///
/// # Safety
///
/// `graph` must be null or a handle from [`wedge_nn_torch_load`], not used again.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn wedge_nn_torch_free_graph(graph: *mut c_void) {
    guard("unload", || {
        if !graph.is_null() {
            // SAFETY: the caller passes ownership of a handle `Box::into_raw` made.
            drop(unsafe { Box::from_raw(graph.cast::<TorchGraph>()) });
        }
        Ok(())
    });
}
