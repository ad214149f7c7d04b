//! The PyTorch backend (encoding 3): TorchScript models on libtorch 2.13, run by
//! `libwedge_nn_torch.so` (the crate `plugins/wasi_nn/torch`, which links libtorch through
//! `tch`), opened at the first load of encoding 3, once per process.
//!
//! - **Runtime**: `libwedge_nn_torch.so` is looked for at `$WEDGE_NN_TORCH_LIB` when it is set,
//!   else at [`default_library`] (`~/.cache/wedge/nn/libtorch/lib/libwedge_nn_torch.so`, next
//!   to libtorch, where `scripts/nn-runtimes.sh pytorch` puts it; its RUNPATH `$ORIGIN` finds
//!   libtorch there). Its ABI version ([`ABI_VERSION`]) must be this plug-in's. When it cannot be
//!   opened (absent, libtorch missing, another ABI version), that and every later PyTorch `load`
//!   answer `InvalidArgument` (WasmEdge's answer for a backend it was built without) with one
//!   log line naming what is missing and `scripts/nn-runtimes.sh pytorch`.
//! - **load**: exactly one builder, a TorchScript archive (`Torch: Wrong GraphBuilder Length N,
//!   expect 1`, checked here); everything else, with WasmEdge's torch backend's answers and log
//!   lines, is the library's: see the module doc of `plugins/wasi_nn/torch/src/lib.rs` (targets,
//!   F32 inputs only, inputs that grow to the largest index, outputs as F32, and where Wedge
//!   answers an errno where WasmEdge would crash).
//!
//! The library's graphs and contexts are owned by [`TorchGraph`] and [`TorchContext`], which
//! free them when dropped; calls on a context are serialized by the plug-in (see
//! [`crate::env`]), as the library requires.
//!
//! Cost (`scripts/nn/pytorch.sh --bench`: bench.pt, 4 x [256, 1024] @ [1024, 1024] + relu,
//! release `wedge` and plug-in, a quiet shared 2-core machine, four rounds of 50 runs, libtorch's
//! default 2 threads): a run through a guest (set_input + compute + get_output) 19.0-29.3 ms,
//! median 22.7, vs libtorch called natively through tch 20.1-26.2 ms, median 24.2; the first
//! load, opening `libwedge_nn_torch.so` and libtorch included, 340-512 ms, plus a first run of
//! 31-43 ms, vs 138-187 ms natively for load and first run (libtorch already linked). Per run
//! the library copies the input once into its tensor and the output once out of it, and this
//! loader copies the output once more into the plug-in's buffer.

#![allow(
    unsafe_code,
    reason = "the binding to libwedge_nn_torch.so, opened at run time: every call into it and \
              every handle it hands back is handled here, behind safe owning wrappers"
)]

use std::borrow::Cow;
use std::ffi::c_void;
use std::path::{Path, PathBuf};
use std::ptr::{self, NonNull};
use std::sync::OnceLock;

use super::{Backend, Context, Graph, Tensor};
use crate::types::{ErrNo, NnResult, Target, TensorType};

/// The version of the library's C ABI this plug-in calls (`wedge_nn_torch::abi::ABI_VERSION`).
pub const ABI_VERSION: u32 = 1;

/// The library's file name.
pub const LIBRARY: &str = "libwedge_nn_torch.so";

/// The PyTorch backend.
pub struct PyTorch;

/// The library's functions (see `plugins/wasi_nn/torch/src/abi.rs` for each one's contract), as
/// looked up in the library, which stays open for the life of the process.
struct Api {
    load: unsafe extern "C" fn(*const u8, usize, u32, *mut *mut c_void) -> u32,
    init_context: unsafe extern "C" fn(*const c_void, *mut *mut c_void) -> u32,
    #[allow(
        clippy::type_complexity,
        reason = "the C signature, as wedge_nn_torch::abi declares it"
    )]
    set_input:
        unsafe extern "C" fn(*mut c_void, u32, *const u32, usize, u32, *const u8, usize) -> u32,
    compute: unsafe extern "C" fn(*mut c_void) -> u32,
    output_len: unsafe extern "C" fn(*mut c_void, u32, *mut usize) -> u32,
    get_output: unsafe extern "C" fn(*mut c_void, u32, *mut u8, usize) -> u32,
    free_context: unsafe extern "C" fn(*mut c_void),
    free_graph: unsafe extern "C" fn(*mut c_void),
}

/// The library and its functions, or why it could not be opened: opened once per process.
static API: OnceLock<Result<Api, String>> = OnceLock::new();

/// `libtorch/lib/libwedge_nn_torch.so` of the cache: under `$XDG_CACHE_HOME/wedge/nn`, or
/// `$HOME/.cache/wedge/nn` when `XDG_CACHE_HOME` is not set.
#[must_use]
pub fn default_library() -> Option<PathBuf> {
    super::runtime_cache().map(|c| c.join("libtorch/lib").join(LIBRARY))
}

/// The path the library is opened from: `$WEDGE_NN_TORCH_LIB` when set, else
/// [`default_library`].
#[must_use]
pub fn library_path() -> Option<PathBuf> {
    std::env::var_os("WEDGE_NN_TORCH_LIB")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(default_library)
}

/// The loader's message (which names the file, and for `dlopen` the library it could not
/// find), not libloading's summary of it.
fn why(e: &libloading::Error) -> String {
    std::error::Error::source(e).map_or_else(|| e.to_string(), ToString::to_string)
}

/// Opens the library at `path`, checks its ABI version and looks up every function; the library
/// then stays open for the life of the process (the function pointers point into it). The error
/// names the path and what is wrong (the loader's message names a missing libtorch).
fn open(path: &Path) -> Result<Api, String> {
    if !path.exists() {
        return Err(format!("{} does not exist", path.display()));
    }
    // SAFETY: opening the library runs its and libtorch's initialisers (static registrations of
    // operators), which have no precondition on the process; it is opened once per process
    // (`API`; the unit tests open small C libraries without initialisers).
    let lib = unsafe { libloading::Library::new(path) }.map_err(|e| why(&e))?;
    // Never closed, whatever follows: libtorch's threads and registrations outlive any graph, and
    // the function pointers below point into it.
    let lib = std::mem::ManuallyDrop::new(lib);
    let why = |e: libloading::Error| format!("{}: {}", path.display(), why(&e));
    // SAFETY: `wedge_nn_torch_abi_version` is declared `extern "C" fn() -> u32` by every
    // version of the ABI, and `lib` is open for this call.
    let version =
        unsafe { lib.get::<unsafe extern "C" fn() -> u32>(b"wedge_nn_torch_abi_version\0") }
            .map_err(why)?;
    // SAFETY: the function takes nothing and returns a number.
    let version = unsafe { version() };
    if version != ABI_VERSION {
        return Err(format!(
            "{} has ABI version {version}, this plug-in needs {ABI_VERSION} (an older or newer \
             build of the library)",
            path.display()
        ));
    }
    macro_rules! sym {
        ($name:literal) => {
            // SAFETY: the field's type is the function's signature in version ABI_VERSION of
            // the ABI, which the library just reported, and the library is never closed
            // (`ManuallyDrop` above), so the pointer stays valid.
            *unsafe { lib.get($name) }.map_err(why)?
        };
    }
    let api = Api {
        load: sym!(b"wedge_nn_torch_load\0"),
        init_context: sym!(b"wedge_nn_torch_init_context\0"),
        set_input: sym!(b"wedge_nn_torch_set_input\0"),
        compute: sym!(b"wedge_nn_torch_compute\0"),
        output_len: sym!(b"wedge_nn_torch_output_len\0"),
        get_output: sym!(b"wedge_nn_torch_get_output\0"),
        free_context: sym!(b"wedge_nn_torch_free_context\0"),
        free_graph: sym!(b"wedge_nn_torch_free_graph\0"),
    };
    Ok(api)
}

/// The process's library, opened on first use; `InvalidArgument` with a log line saying what
/// is missing and what to install when it cannot be opened.
fn api() -> NnResult<&'static Api> {
    let api = API.get_or_init(|| match library_path() {
        Some(path) => open(&path),
        None => Err("neither WEDGE_NN_TORCH_LIB nor HOME is set".to_owned()),
    });
    api.as_ref().map_err(|why| {
        crate::log(&format!(
            "PyTorch backend: {LIBRARY} (Wedge's PyTorch backend, with libtorch 2.13 next to \
             it) cannot be opened: {why}. Install both with scripts/nn-runtimes.sh pytorch, or \
             set WEDGE_NN_TORCH_LIB to the library's path."
        ));
        ErrNo::InvalidArgument
    })
}

/// An errno of the library as the plug-in's (the library answers only 1 and 5).
fn errno(code: u32) -> NnResult<()> {
    match code {
        0 => Ok(()),
        1 => Err(ErrNo::InvalidArgument),
        _ => Err(ErrNo::RuntimeError),
    }
}

/// The number the library takes for a target (wasi-nn's).
fn target_number(target: Target) -> u32 {
    match target {
        Target::Cpu => 0,
        Target::Gpu => 1,
        Target::Tpu => 2,
        Target::Auto => 3,
    }
}

/// The number the library takes for a tensor type (wasi-nn's, as since 2025-03).
fn tensor_number(ty: TensorType) -> u32 {
    match ty {
        TensorType::F16 => 0,
        TensorType::F32 => 1,
        TensorType::F64 => 2,
        TensorType::U8 => 3,
        TensorType::I32 => 4,
        TensorType::I64 => 5,
    }
}

/// A graph of the library, freed when dropped.
pub struct TorchGraph {
    api: &'static Api,
    handle: NonNull<c_void>,
}

// SAFETY: the library's graphs may be used and freed from any thread (its ABI: a graph is only
// read after load, and its model is reference-counted).
unsafe impl Send for TorchGraph {}
// SAFETY: as above; the only call on a graph, init_context, reads it.
unsafe impl Sync for TorchGraph {}

impl Drop for TorchGraph {
    fn drop(&mut self) {
        // SAFETY: the handle came from `load`, is owned by this value and is not used again;
        // contexts keep the model alive on their own.
        unsafe { (self.api.free_graph)(self.handle.as_ptr()) };
    }
}

/// A context of the library, freed when dropped.
pub struct TorchContext {
    api: &'static Api,
    handle: NonNull<c_void>,
}

// SAFETY: a context may move between threads; its calls take `&mut self`, so they never overlap
// (the ABI's one requirement), and the plug-in serializes them besides.
unsafe impl Send for TorchContext {}

impl Drop for TorchContext {
    fn drop(&mut self) {
        // SAFETY: the handle came from `init_context`, is owned by this value and is not used
        // again.
        unsafe { (self.api.free_context)(self.handle.as_ptr()) };
    }
}

impl Backend for PyTorch {
    fn load(&self, builders: &[Vec<u8>], target: Target) -> NnResult<Box<dyn Graph>> {
        let api = api()?;
        let [model] = builders else {
            crate::log(&format!(
                "Torch: Wrong GraphBuilder Length {}, expect 1",
                builders.len()
            ));
            return Err(ErrNo::InvalidArgument);
        };
        let mut handle = ptr::null_mut();
        // SAFETY: `model` is `model.len()` readable bytes for the call; `handle` is a local
        // valid for a write.
        errno(unsafe {
            (api.load)(
                model.as_ptr(),
                model.len(),
                target_number(target),
                &mut handle,
            )
        })?;
        let handle = NonNull::new(handle).ok_or(ErrNo::RuntimeError)?;
        Ok(Box::new(TorchGraph { api, handle }))
    }
}

impl Graph for TorchGraph {
    fn init_context(&self) -> NnResult<Box<dyn Context>> {
        let mut handle = ptr::null_mut();
        // SAFETY: `self.handle` is a live graph (freed only when `self` drops); `handle` is a
        // local valid for a write.
        errno(unsafe { (self.api.init_context)(self.handle.as_ptr(), &mut handle) })?;
        let handle = NonNull::new(handle).ok_or(ErrNo::RuntimeError)?;
        Ok(Box::new(TorchContext {
            api: self.api,
            handle,
        }))
    }
}

impl Context for TorchContext {
    fn set_input(&mut self, index: u32, tensor: Tensor) -> NnResult<()> {
        // SAFETY: `self.handle` is a live context and `&mut self` keeps other calls off it;
        // `dims` and `data` are slices of the lengths passed, alive for the call.
        errno(unsafe {
            (self.api.set_input)(
                self.handle.as_ptr(),
                index,
                tensor.dims.as_ptr(),
                tensor.dims.len(),
                tensor_number(tensor.ty),
                tensor.data.as_ptr(),
                tensor.data.len(),
            )
        })
    }

    fn compute(&mut self) -> NnResult<()> {
        // SAFETY: `self.handle` is a live context and `&mut self` keeps other calls off it.
        errno(unsafe { (self.api.compute)(self.handle.as_ptr()) })
    }

    fn get_output(&mut self, index: u32) -> NnResult<Cow<'_, [u8]>> {
        let mut len = 0;
        // SAFETY: `self.handle` is a live context and `&mut self` keeps other calls off it;
        // `len` is a local valid for a write.
        errno(unsafe { (self.api.output_len)(self.handle.as_ptr(), index, &mut len) })?;
        let mut bytes = vec![0; len];
        // SAFETY: as above; `bytes` is `len` writable bytes that nothing else uses during the
        // call.
        errno(unsafe {
            (self.api.get_output)(self.handle.as_ptr(), index, bytes.as_mut_ptr(), len)
        })?;
        Ok(Cow::Owned(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_library_is_refused_naming_its_path() {
        let path = Path::new("/nonexistent/wedge-test/libwedge_nn_torch.so");
        let err = open(path).err().unwrap();
        assert!(
            err.contains("/nonexistent/wedge-test/libwedge_nn_torch.so"),
            "{err}"
        );
        assert!(err.contains("does not exist"), "{err}");
    }

    /// A fresh directory for one test.
    fn scratch(test: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("wedge-nn-torch-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Compiles the C source `c` with `cc` into the shared library `dir/name`, with `args`.
    fn cc_shared(dir: &Path, name: &str, c: &str, args: &[&str]) -> PathBuf {
        let src = dir.join(format!("{name}.c"));
        std::fs::write(&src, c).unwrap();
        let lib = dir.join(name);
        let compiler = std::env::var_os("CC").unwrap_or_else(|| "cc".into());
        let status = std::process::Command::new(compiler)
            .args(["-shared", "-fPIC", "-o"])
            .arg(&lib)
            .arg(&src)
            .args(args)
            .status()
            .expect("cc runs");
        assert!(status.success(), "cc failed on {c}");
        lib
    }

    #[test]
    fn a_library_without_the_abi_or_of_another_version_is_refused() {
        let dir = scratch("abi");
        let lib = cc_shared(
            &dir,
            "libnone.so",
            "int wedge_nn_torch_other(void) { return 0; }\n",
            &[],
        );
        let err = open(&lib).err().unwrap();
        assert!(err.contains("wedge_nn_torch_abi_version"), "{err}");
        assert!(err.contains(&*lib.to_string_lossy()), "{err}");

        let c = "unsigned wedge_nn_torch_abi_version(void) { return 99; }\n";
        let lib = cc_shared(&dir, LIBRARY, c, &[]);
        let err = open(&lib).err().unwrap();
        assert!(
            err.contains("has ABI version 99, this plug-in needs 1"),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_library_whose_dependency_is_missing_is_refused_naming_it() {
        // A stand-in for libwedge_nn_torch.so without libtorch next to it.
        let dir = scratch("dep");
        let c = "int wedge_test_dep(void) { return 1; }\n";
        let dep = cc_shared(&dir, "libwedge_test_torch_cpu.so", c, &[]);
        let c = "int wedge_test_dep(void);\n\
                 unsigned wedge_nn_torch_abi_version(void) { return (unsigned)wedge_test_dep(); }\n";
        let dir_arg = format!("-L{}", dir.display());
        let lib = cc_shared(&dir, LIBRARY, c, &[&dir_arg, "-lwedge_test_torch_cpu"]);
        std::fs::remove_file(&dep).unwrap();
        let err = open(&lib).err().unwrap();
        assert!(err.contains("libwedge_test_torch_cpu.so"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_cache_path_is_next_to_libtorch() {
        let p = default_library().unwrap();
        assert!(
            p.ends_with("wedge/nn/libtorch/lib/libwedge_nn_torch.so"),
            "{}",
            p.display()
        );
    }

    #[test]
    fn library_errnos_and_targets_are_wasi_nns() {
        assert_eq!(errno(0), Ok(()));
        assert_eq!(errno(1), Err(ErrNo::InvalidArgument));
        assert_eq!(errno(5), Err(ErrNo::RuntimeError));
        assert_eq!(target_number(Target::Cpu), 0);
        assert_eq!(target_number(Target::Gpu), 1);
        assert_eq!(Target::from_load(1), Some(Target::Gpu));
        for n in 0..6 {
            let ty = TensorType::from_u32(n).unwrap();
            assert_eq!(tensor_number(ty), n);
        }
    }
}
