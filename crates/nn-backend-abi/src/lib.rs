//! The C ABI between the wasi_nn plug-in and a **backend library**: a shared library
//! `libwedge_nn_<name>.so` that links one heavy ML runtime (libtorch, llama.cpp), built outside
//! the main workspace by the runtime's script, and opened by the plug-in at the first load of
//! its encoding. The default build of the plug-in thus stays light, and one build of it serves
//! every runtime that is installed.
//!
//! Both sides live here, so that the contract is written once:
//! - **export** (the library): implement [`BackendGraph`] and [`BackendContext`] and invoke
//!   [`export!`] once; it defines the `extern "C"` functions below, each running its body under
//!   `catch_unwind`.
//! - **import** (the plug-in, feature `import`): [`import::Library::open`] checks the version
//!   and looks every function up; [`import::LibGraph`] and [`import::LibContext`] own the
//!   handles and free them when dropped.
//!
//! # The functions (version [`ABI_VERSION`])
//! Every library exports the same names; the plug-in opens each library `RTLD_LOCAL`, so they
//! never clash. Plain integers and pointers only; a function that can fail returns a wasi-nn
//! errno (0 on success) and has logged why.
//!
//! | symbol | signature |
//! |---|---|
//! | `wedge_nn_backend_abi_version` | `() -> u32` ([`ABI_VERSION`]) |
//! | `wedge_nn_backend_load` | `(builders: *const Bytes, n: usize, target: u32, graph: *mut *mut c_void) -> u32` |
//! | `wedge_nn_backend_init_context` | `(graph: *const c_void, context: *mut *mut c_void) -> u32` |
//! | `wedge_nn_backend_set_input` | `(context, index: u32, dims: *const u32, n_dims: usize, type: u32, data: *const u8, len: usize) -> u32` |
//! | `wedge_nn_backend_compute` | `(context) -> u32` |
//! | `wedge_nn_backend_get_output` | `(context, index: u32, data: *mut *const u8, len: *mut usize) -> u32` |
//! | `wedge_nn_backend_compute_single` | `(context) -> u32` (streaming libraries only) |
//! | `wedge_nn_backend_get_output_single` | as `get_output` (streaming libraries only) |
//! | `wedge_nn_backend_fini_single` | `(context) -> u32` (streaming libraries only) |
//! | `wedge_nn_backend_free_context` | `(context)` |
//! | `wedge_nn_backend_free_graph` | `(graph)` |
//!
//! - `target` and `type` are wasi-nn's numbers (targets 0 CPU, 1 GPU, 2 TPU, 3 AUTO; tensor
//!   types as since 2025-03: 0 F16, 1 F32, 2 F64, 3 U8, 4 I32, 5 I64).
//! - The output functions **lend** the bytes: `*data`/`*len` stay valid until the next call on
//!   that context, so the plug-in copies them once, into the guest.
//! - A graph and a context are owned by the caller until freed; a context keeps what it needs of
//!   its graph alive, so the two may be freed in either order.
//! - Calls on one context must not overlap; graphs may be used from any thread (the plug-in
//!   serializes every call on the contexts of one graph besides).

#![allow(
    unsafe_code,
    reason = "the two sides of a C ABI: the exports turn the caller's pointers into references \
              and slices, the importer calls through function pointers of a library opened at \
              run time"
)]

use std::ffi::c_void;
use std::panic::{AssertUnwindSafe, catch_unwind};

#[cfg(feature = "import")]
pub mod import;

/// The version of this ABI; a change of any function's signature or meaning bumps it.
pub const ABI_VERSION: u32 = 1;

/// wasi-nn's `InvalidArgument`.
pub const INVALID_ARGUMENT: u32 = 1;
/// wasi-nn's `RuntimeError`.
pub const RUNTIME_ERROR: u32 = 5;

/// One builder (a model file's bytes, a config), as the plug-in passes it.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct Bytes {
    /// The first byte (may dangle when `len` is 0).
    pub ptr: *const u8,
    /// The number of bytes.
    pub len: usize,
}

/// The result of a backend's step: `Err` is a wasi-nn errno (not 0), already logged.
pub type AbiResult<T> = Result<T, u32>;

/// A loaded graph of a backend library.
pub trait BackendGraph: Sized + Sync + 'static {
    /// Its execution contexts.
    type Context: BackendContext;
    /// The backend's name in log lines (`[WASI-NN] <NAME>: ...`).
    const NAME: &'static str;
    /// Loads a graph from the builders (WasmEdge's: model files' bytes, `preload:<path>` text,
    /// a config appended by `load_by_name_with_config`) for wasi-nn target `target`.
    fn load(builders: &[&[u8]], target: u32) -> AbiResult<Self>;
    /// A new execution context.
    fn init_context(&self) -> AbiResult<Self::Context>;
}

/// An execution context of a backend library. Its calls never overlap.
pub trait BackendContext: Sized + Send + 'static {
    /// Sets input `index`: `ty` is the wasi-nn tensor type number.
    fn set_input(&mut self, index: u32, dims: &[u32], ty: u32, data: &[u8]) -> AbiResult<()>;
    /// Runs the graph.
    fn compute(&mut self) -> AbiResult<()>;
    /// Output `index` of the last compute, lent until the next call.
    fn output(&mut self, index: u32) -> AbiResult<&[u8]>;
    /// One streaming step (only libraries exported with `streaming` call it).
    fn compute_single(&mut self) -> AbiResult<()> {
        Err(INVALID_ARGUMENT)
    }
    /// The output of the last streaming step, lent until the next call.
    fn output_single(&mut self, _index: u32) -> AbiResult<&[u8]> {
        Err(INVALID_ARGUMENT)
    }
    /// Ends a streaming compute.
    fn fini_single(&mut self) -> AbiResult<()> {
        Err(INVALID_ARGUMENT)
    }
}

/// Logs `[WASI-NN] <backend>: <message>` to stderr, as the plug-in's lines are.
pub fn log(backend: &str, message: &str) {
    eprintln!("[WASI-NN] {backend}: {message}");
}

/// The export side's bodies, generic over the library's graph type; [`export!`] defines the
/// `extern "C"` functions that call them. Not for direct use.
pub mod glue {
    use super::{
        AbiResult, AssertUnwindSafe, BackendContext, BackendGraph, Bytes, INVALID_ARGUMENT,
        RUNTIME_ERROR, c_void, catch_unwind, log,
    };

    /// Runs `f`, catching a panic: 0, the errno of `f`, or `RuntimeError` after a panic.
    fn guard<G: BackendGraph>(call: &str, f: impl FnOnce() -> AbiResult<()>) -> u32 {
        match catch_unwind(AssertUnwindSafe(f)) {
            Ok(Ok(())) => 0,
            Ok(Err(e)) => e,
            Err(_) => {
                log(G::NAME, &format!("{call}: the backend panicked."));
                RUNTIME_ERROR
            }
        }
    }

    /// The slice of `len` elements at `ptr`; empty when `len` is 0 (`ptr` may then be null).
    ///
    /// # Safety
    ///
    /// When `len` is not 0, `ptr` must point to `len` initialized elements that stay valid and
    /// unchanged for `'a`.
    unsafe fn slice<'a, T>(ptr: *const T, len: usize) -> AbiResult<&'a [T]> {
        if len == 0 {
            return Ok(&[]);
        }
        if ptr.is_null() {
            return Err(INVALID_ARGUMENT);
        }
        // SAFETY: non-null, and the caller guarantees `len` valid elements for 'a.
        Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
    }

    /// The context behind a handle.
    ///
    /// # Safety
    ///
    /// `context` must be null or a handle from [`init_context`] of the same `G`, not yet freed,
    /// with no other call on it running.
    unsafe fn context_ref<'a, G: BackendGraph>(
        context: *mut c_void,
    ) -> AbiResult<&'a mut G::Context> {
        // SAFETY: by the caller's guarantee, a non-null handle is a live, unshared context.
        unsafe { context.cast::<G::Context>().as_mut() }.ok_or(INVALID_ARGUMENT)
    }

    /// Writes `value` through `out`.
    ///
    /// # Safety
    ///
    /// `out` must be null or valid for a write.
    unsafe fn put<T>(out: *mut T, value: T) -> AbiResult<()> {
        if out.is_null() {
            return Err(INVALID_ARGUMENT);
        }
        // SAFETY: non-null, and the caller guarantees it is valid for a write.
        unsafe { out.write(value) };
        Ok(())
    }

    /// `wedge_nn_backend_load`.
    ///
    /// # Safety
    ///
    /// `builders` must point to `n` `Bytes`, each `len` readable bytes at `ptr` (or `len` 0),
    /// for the call; `graph` must be valid for a write.
    pub unsafe fn load<G: BackendGraph>(
        builders: *const Bytes,
        n: usize,
        target: u32,
        graph: *mut *mut c_void,
    ) -> u32 {
        guard::<G>("load", || {
            // SAFETY: the caller guarantees `n` `Bytes` at `builders`.
            let list = unsafe { slice(builders, n) }?;
            let mut views = Vec::with_capacity(list.len());
            for b in list {
                // SAFETY: the caller guarantees each builder's bytes for the call.
                views.push(unsafe { slice(b.ptr, b.len) }?);
            }
            let loaded = Box::new(G::load(&views, target)?);
            let raw = Box::into_raw(loaded).cast::<c_void>();
            // SAFETY: the caller guarantees `graph` is valid for a write.
            if let Err(e) = unsafe { put(graph, raw) } {
                // SAFETY: `raw` came from `Box::into_raw` just above and was not handed out.
                drop(unsafe { Box::from_raw(raw.cast::<G>()) });
                return Err(e);
            }
            Ok(())
        })
    }

    /// `wedge_nn_backend_init_context`.
    ///
    /// # Safety
    ///
    /// `graph` must be a handle from [`load`] of the same `G`, not yet freed; `context` must be
    /// valid for a write.
    pub unsafe fn init_context<G: BackendGraph>(
        graph: *const c_void,
        context: *mut *mut c_void,
    ) -> u32 {
        guard::<G>("init_execution_context", || {
            // SAFETY: by the caller's guarantee, a non-null handle is a live `G`, which is only
            // read here (it is `Sync`).
            let g = unsafe { graph.cast::<G>().as_ref() }.ok_or(INVALID_ARGUMENT)?;
            let made = Box::new(g.init_context()?);
            let raw = Box::into_raw(made).cast::<c_void>();
            // SAFETY: the caller guarantees `context` is valid for a write.
            if let Err(e) = unsafe { put(context, raw) } {
                // SAFETY: `raw` came from `Box::into_raw` just above and was not handed out.
                drop(unsafe { Box::from_raw(raw.cast::<G::Context>()) });
                return Err(e);
            }
            Ok(())
        })
    }

    /// `wedge_nn_backend_set_input`.
    ///
    /// # Safety
    ///
    /// `context` as for [`compute`]; `dims` must point to `n_dims` `u32` and `data` to `len`
    /// bytes (or the lengths be 0), readable for the call.
    pub unsafe fn set_input<G: BackendGraph>(
        context: *mut c_void,
        index: u32,
        dims: *const u32,
        n_dims: usize,
        ty: u32,
        data: *const u8,
        len: usize,
    ) -> u32 {
        guard::<G>("set_input", || {
            // SAFETY: the caller's guarantees, passed on.
            let (c, dims, data) = unsafe {
                (
                    context_ref::<G>(context)?,
                    slice(dims, n_dims)?,
                    slice(data, len)?,
                )
            };
            c.set_input(index, dims, ty, data)
        })
    }

    /// `wedge_nn_backend_compute` (`single`: `compute_single`; `fini`: `fini_single`).
    ///
    /// # Safety
    ///
    /// `context` must be null or a handle from [`init_context`] of the same `G`, not yet freed,
    /// with no other call on it running.
    pub unsafe fn compute<G: BackendGraph>(context: *mut c_void, step: Step) -> u32 {
        let call = match step {
            Step::Compute => "compute",
            Step::Single => "compute_single",
            Step::Fini => "fini_single",
        };
        guard::<G>(call, || {
            // SAFETY: the caller's guarantee.
            let c = unsafe { context_ref::<G>(context) }?;
            match step {
                Step::Compute => c.compute(),
                Step::Single => c.compute_single(),
                Step::Fini => c.fini_single(),
            }
        })
    }

    /// Which of the three computing calls.
    #[derive(Clone, Copy, Debug)]
    pub enum Step {
        /// `compute`.
        Compute,
        /// `compute_single`.
        Single,
        /// `fini_single`.
        Fini,
    }

    /// `wedge_nn_backend_get_output` (`single`: `get_output_single`).
    ///
    /// # Safety
    ///
    /// `context` as for [`compute`]; `data` and `len` must be valid for writes. The bytes lent
    /// stay valid until the next call on `context`.
    pub unsafe fn get_output<G: BackendGraph>(
        context: *mut c_void,
        index: u32,
        single: bool,
        data: *mut *const u8,
        len: *mut usize,
    ) -> u32 {
        let call = if single {
            "get_output_single"
        } else {
            "get_output"
        };
        guard::<G>(call, || {
            // SAFETY: the caller's guarantee.
            let c = unsafe { context_ref::<G>(context) }?;
            let bytes = if single {
                c.output_single(index)?
            } else {
                c.output(index)?
            };
            // SAFETY: the caller guarantees both are valid for writes; the bytes live in the
            // context, untouched until its next call.
            unsafe {
                put(data, bytes.as_ptr())?;
                put(len, bytes.len())
            }
        })
    }

    /// `wedge_nn_backend_free_context`.
    ///
    /// # Safety
    ///
    /// `context` must be null or a handle from [`init_context`] of the same `G`, not used again.
    pub unsafe fn free_context<G: BackendGraph>(context: *mut c_void) {
        if !context.is_null() {
            // SAFETY: the handle came from `Box::into_raw` in `init_context` and is given up.
            let c = unsafe { Box::from_raw(context.cast::<G::Context>()) };
            if catch_unwind(AssertUnwindSafe(|| drop(c))).is_err() {
                log(G::NAME, "finalize_execution_context: the backend panicked.");
            }
        }
    }

    /// `wedge_nn_backend_free_graph`.
    ///
    /// # Safety
    ///
    /// `graph` must be null or a handle from [`load`] of the same `G`, not used again.
    pub unsafe fn free_graph<G: BackendGraph>(graph: *mut c_void) {
        if !graph.is_null() {
            // SAFETY: the handle came from `Box::into_raw` in `load` and is given up.
            let g = unsafe { Box::from_raw(graph.cast::<G>()) };
            if catch_unwind(AssertUnwindSafe(|| drop(g))).is_err() {
                log(G::NAME, "unload: the backend panicked.");
            }
        }
    }
}

/// Defines the library's `extern "C"` functions for graph type `$graph` (see the crate's
/// documentation); `export!(Graph, streaming)` adds the three streaming functions.
#[macro_export]
macro_rules! export {
    ($graph:ty) => {
        $crate::export!(@common $graph);
    };
    ($graph:ty, streaming) => {
        $crate::export!(@common $graph);

        /// `wedge_nn_backend_compute_single`.
        ///
        /// # Safety
        ///
        /// As `wedge_nn_backend_compute`.
        #[allow(unsafe_code, reason = "a C ABI export")]
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn wedge_nn_backend_compute_single(
            context: *mut ::std::ffi::c_void,
        ) -> u32 {
            // SAFETY: the caller's guarantees are the glue's.
            unsafe { $crate::glue::compute::<$graph>(context, $crate::glue::Step::Single) }
        }

        /// `wedge_nn_backend_get_output_single`.
        ///
        /// # Safety
        ///
        /// As `wedge_nn_backend_get_output`.
        #[allow(unsafe_code, reason = "a C ABI export")]
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn wedge_nn_backend_get_output_single(
            context: *mut ::std::ffi::c_void,
            index: u32,
            data: *mut *const u8,
            len: *mut usize,
        ) -> u32 {
            // SAFETY: the caller's guarantees are the glue's.
            unsafe { $crate::glue::get_output::<$graph>(context, index, true, data, len) }
        }

        /// `wedge_nn_backend_fini_single`.
        ///
        /// # Safety
        ///
        /// As `wedge_nn_backend_compute`.
        #[allow(unsafe_code, reason = "a C ABI export")]
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn wedge_nn_backend_fini_single(
            context: *mut ::std::ffi::c_void,
        ) -> u32 {
            // SAFETY: the caller's guarantees are the glue's.
            unsafe { $crate::glue::compute::<$graph>(context, $crate::glue::Step::Fini) }
        }
    };
    (@common $graph:ty) => {
        /// `wedge_nn_backend_abi_version`: the version of the ABI this library was built for.
        #[allow(unsafe_code, reason = "a C ABI export")]
        #[unsafe(no_mangle)]
        pub extern "C" fn wedge_nn_backend_abi_version() -> u32 {
            $crate::ABI_VERSION
        }

        /// `wedge_nn_backend_load`.
        ///
        /// # Safety
        ///
        /// `builders` must point to `n` `Bytes`, each `len` readable bytes at `ptr` (or `len` 0),
        /// for the call; `graph` must be valid for a write.
        #[allow(unsafe_code, reason = "a C ABI export")]
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn wedge_nn_backend_load(
            builders: *const $crate::Bytes,
            n: usize,
            target: u32,
            graph: *mut *mut ::std::ffi::c_void,
        ) -> u32 {
            // SAFETY: the caller's guarantees are the glue's.
            unsafe { $crate::glue::load::<$graph>(builders, n, target, graph) }
        }

        /// `wedge_nn_backend_init_context`.
        ///
        /// # Safety
        ///
        /// `graph` must be a live handle from `wedge_nn_backend_load`; `context` must be valid
        /// for a write.
        #[allow(unsafe_code, reason = "a C ABI export")]
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn wedge_nn_backend_init_context(
            graph: *const ::std::ffi::c_void,
            context: *mut *mut ::std::ffi::c_void,
        ) -> u32 {
            // SAFETY: the caller's guarantees are the glue's.
            unsafe { $crate::glue::init_context::<$graph>(graph, context) }
        }

        /// `wedge_nn_backend_set_input`.
        ///
        /// # Safety
        ///
        /// `context` must be a live handle with no other call on it running; `dims` and `data`
        /// must be readable for their lengths.
        #[allow(unsafe_code, reason = "a C ABI export")]
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn wedge_nn_backend_set_input(
            context: *mut ::std::ffi::c_void,
            index: u32,
            dims: *const u32,
            n_dims: usize,
            ty: u32,
            data: *const u8,
            len: usize,
        ) -> u32 {
            // SAFETY: the caller's guarantees are the glue's.
            unsafe {
                $crate::glue::set_input::<$graph>(context, index, dims, n_dims, ty, data, len)
            }
        }

        /// `wedge_nn_backend_compute`.
        ///
        /// # Safety
        ///
        /// `context` must be a live handle with no other call on it running.
        #[allow(unsafe_code, reason = "a C ABI export")]
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn wedge_nn_backend_compute(
            context: *mut ::std::ffi::c_void,
        ) -> u32 {
            // SAFETY: the caller's guarantees are the glue's.
            unsafe { $crate::glue::compute::<$graph>(context, $crate::glue::Step::Compute) }
        }

        /// `wedge_nn_backend_get_output`.
        ///
        /// # Safety
        ///
        /// `context` must be a live handle with no other call on it running; `data` and `len`
        /// must be valid for writes.
        #[allow(unsafe_code, reason = "a C ABI export")]
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn wedge_nn_backend_get_output(
            context: *mut ::std::ffi::c_void,
            index: u32,
            data: *mut *const u8,
            len: *mut usize,
        ) -> u32 {
            // SAFETY: the caller's guarantees are the glue's.
            unsafe { $crate::glue::get_output::<$graph>(context, index, false, data, len) }
        }

        /// `wedge_nn_backend_free_context`.
        ///
        /// # Safety
        ///
        /// `context` must be null or a handle not used again.
        #[allow(unsafe_code, reason = "a C ABI export")]
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn wedge_nn_backend_free_context(context: *mut ::std::ffi::c_void) {
            // SAFETY: the caller's guarantees are the glue's.
            unsafe { $crate::glue::free_context::<$graph>(context) }
        }

        /// `wedge_nn_backend_free_graph`.
        ///
        /// # Safety
        ///
        /// `graph` must be null or a handle not used again.
        #[allow(unsafe_code, reason = "a C ABI export")]
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn wedge_nn_backend_free_graph(graph: *mut ::std::ffi::c_void) {
            // SAFETY: the caller's guarantees are the glue's.
            unsafe { $crate::glue::free_graph::<$graph>(graph) }
        }
    };
}
