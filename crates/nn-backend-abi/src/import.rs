//! The plug-in side: opening a backend library and owning its graphs and contexts.

use std::ffi::c_void;
use std::path::Path;
use std::ptr::{self, NonNull};

use crate::{ABI_VERSION, AbiResult, Bytes, RUNTIME_ERROR};

type Compute = unsafe extern "C" fn(*mut c_void) -> u32;
type GetOutput = unsafe extern "C" fn(*mut c_void, u32, *mut *const u8, *mut usize) -> u32;
type SetInput =
    unsafe extern "C" fn(*mut c_void, u32, *const u32, usize, u32, *const u8, usize) -> u32;

/// An open backend library: its functions (see the crate's documentation for each one's
/// contract). Once opened it stays open for the life of the process: runtimes start threads and
/// register things that outlive any graph, and the function pointers point into it.
pub struct Library {
    load: unsafe extern "C" fn(*const Bytes, usize, u32, *mut *mut c_void) -> u32,
    init_context: unsafe extern "C" fn(*const c_void, *mut *mut c_void) -> u32,
    set_input: SetInput,
    compute: Compute,
    get_output: GetOutput,
    /// The streaming functions, all three or none.
    single: Option<(Compute, GetOutput, Compute)>,
    free_context: unsafe extern "C" fn(*mut c_void),
    free_graph: unsafe extern "C" fn(*mut c_void),
}

/// The loader's message (which names the file, and for `dlopen` the library it could not
/// find), not libloading's summary of it.
fn why(e: &libloading::Error) -> String {
    std::error::Error::source(e).map_or_else(|| e.to_string(), ToString::to_string)
}

impl Library {
    /// Opens the library at `path`, checks its ABI version and looks up every function. The
    /// error names the path and what is wrong (the loader's message names a missing
    /// dependency). Meant to be called once per library and process: the library is never
    /// closed.
    pub fn open(path: &Path) -> Result<&'static Self, String> {
        if !path.exists() {
            return Err(format!("{} does not exist", path.display()));
        }
        // SAFETY: opening the library runs its and its runtime's initialisers (static
        // registrations), which have no precondition on the process; each library is opened
        // once per process by its caller (the unit tests open small C libraries without
        // initialisers).
        let lib = unsafe { libloading::Library::new(path) }.map_err(|e| why(&e))?;
        // Never closed, whatever follows (see the type's documentation).
        let lib: &'static libloading::Library = Box::leak(Box::new(lib));
        let why = |e: libloading::Error| format!("{}: {}", path.display(), why(&e));
        // SAFETY: `wedge_nn_backend_abi_version` is `extern "C" fn() -> u32` in every version of
        // the ABI.
        let version =
            unsafe { lib.get::<unsafe extern "C" fn() -> u32>(b"wedge_nn_backend_abi_version\0") }
                .map_err(why)?;
        // SAFETY: the function takes nothing and returns a number.
        let version = unsafe { version() };
        if version != ABI_VERSION {
            return Err(format!(
                "{} has ABI version {version}, this plug-in needs {ABI_VERSION} (an older or \
                 newer build of the library)",
                path.display()
            ));
        }
        macro_rules! sym {
            ($name:literal) => {
                // SAFETY: the field's type is the function's signature in version ABI_VERSION of
                // the ABI, which the library just reported, and the library is never closed, so
                // the pointer stays valid.
                unsafe { lib.get($name) }.map(|s| *s)
            };
        }
        let single = match (
            sym!(b"wedge_nn_backend_compute_single\0"),
            sym!(b"wedge_nn_backend_get_output_single\0"),
            sym!(b"wedge_nn_backend_fini_single\0"),
        ) {
            (Ok(c), Ok(g), Ok(f)) => Some((c, g, f)),
            _ => None,
        };
        let library = Self {
            load: sym!(b"wedge_nn_backend_load\0").map_err(why)?,
            init_context: sym!(b"wedge_nn_backend_init_context\0").map_err(why)?,
            set_input: sym!(b"wedge_nn_backend_set_input\0").map_err(why)?,
            compute: sym!(b"wedge_nn_backend_compute\0").map_err(why)?,
            get_output: sym!(b"wedge_nn_backend_get_output\0").map_err(why)?,
            single,
            free_context: sym!(b"wedge_nn_backend_free_context\0").map_err(why)?,
            free_graph: sym!(b"wedge_nn_backend_free_graph\0").map_err(why)?,
        };
        Ok(Box::leak(Box::new(library)))
    }

    /// Whether the library streams (exports `compute_single` and the two others).
    #[must_use]
    pub const fn streams(&self) -> bool {
        self.single.is_some()
    }

    /// Loads a graph from `builders` for wasi-nn target number `target`.
    pub fn load(&'static self, builders: &[Vec<u8>], target: u32) -> AbiResult<LibGraph> {
        let list: Vec<Bytes> = builders
            .iter()
            .map(|b| Bytes {
                ptr: b.as_ptr(),
                len: b.len(),
            })
            .collect();
        let mut handle = ptr::null_mut();
        // SAFETY: `list` holds `list.len()` `Bytes`, each describing a live `Vec` of
        // `builders` for the call; `handle` is a local valid for a write.
        errno(unsafe { (self.load)(list.as_ptr(), list.len(), target, &mut handle) })?;
        let handle = NonNull::new(handle).ok_or(RUNTIME_ERROR)?;
        Ok(LibGraph { lib: self, handle })
    }
}

/// 0 as `Ok`, any other errno as `Err`.
const fn errno(code: u32) -> AbiResult<()> {
    match code {
        0 => Ok(()),
        e => Err(e),
    }
}

/// A graph of a library, freed when dropped.
pub struct LibGraph {
    lib: &'static Library,
    handle: NonNull<c_void>,
}

// SAFETY: a library's graphs may be used and freed from any thread (the ABI: `BackendGraph` is
// `Sync`, and contexts keep what they need of it alive).
unsafe impl Send for LibGraph {}
// SAFETY: as above; the only call on a graph, init_context, takes it shared.
unsafe impl Sync for LibGraph {}

impl Drop for LibGraph {
    fn drop(&mut self) {
        // SAFETY: the handle came from `load`, is owned by this value and is not used again.
        unsafe { (self.lib.free_graph)(self.handle.as_ptr()) };
    }
}

impl LibGraph {
    /// A new execution context.
    pub fn init_context(&self) -> AbiResult<LibContext> {
        let mut handle = ptr::null_mut();
        // SAFETY: `self.handle` is a live graph (freed only when `self` drops); `handle` is a
        // local valid for a write.
        errno(unsafe { (self.lib.init_context)(self.handle.as_ptr(), &mut handle) })?;
        let handle = NonNull::new(handle).ok_or(RUNTIME_ERROR)?;
        Ok(LibContext {
            lib: self.lib,
            handle,
        })
    }
}

/// A context of a library, freed when dropped. Every call takes `&mut self`, so calls never
/// overlap, as the ABI requires.
pub struct LibContext {
    lib: &'static Library,
    handle: NonNull<c_void>,
}

// SAFETY: a context may move between threads (`BackendContext` is `Send`); its calls take
// `&mut self`, so they never overlap.
unsafe impl Send for LibContext {}

impl Drop for LibContext {
    fn drop(&mut self) {
        // SAFETY: the handle came from `init_context`, is owned by this value and is not used
        // again.
        unsafe { (self.lib.free_context)(self.handle.as_ptr()) };
    }
}

impl LibContext {
    /// Sets input `index` (`ty`: the wasi-nn tensor type number).
    pub fn set_input(&mut self, index: u32, dims: &[u32], ty: u32, data: &[u8]) -> AbiResult<()> {
        // SAFETY: `self.handle` is a live context and `&mut self` keeps other calls off it;
        // `dims` and `data` are slices of the lengths passed, alive for the call.
        errno(unsafe {
            (self.lib.set_input)(
                self.handle.as_ptr(),
                index,
                dims.as_ptr(),
                dims.len(),
                ty,
                data.as_ptr(),
                data.len(),
            )
        })
    }

    /// Runs the graph.
    pub fn compute(&mut self) -> AbiResult<()> {
        // SAFETY: `self.handle` is a live context and `&mut self` keeps other calls off it.
        errno(unsafe { (self.lib.compute)(self.handle.as_ptr()) })
    }

    /// Output `index`, lent by the library until the next call on this context (which the
    /// borrow of `self` rules out).
    pub fn output(&mut self, index: u32) -> AbiResult<&[u8]> {
        self.lend(self.lib.get_output, index)
    }

    /// One streaming step; `None` when the library does not stream.
    pub fn compute_single(&mut self) -> Option<AbiResult<()>> {
        let (compute, _, _) = self.lib.single?;
        // SAFETY: `self.handle` is a live context and `&mut self` keeps other calls off it.
        Some(errno(unsafe { compute(self.handle.as_ptr()) }))
    }

    /// The output of the last streaming step; `None` when the library does not stream.
    pub fn output_single(&mut self, index: u32) -> Option<AbiResult<&[u8]>> {
        let (_, get, _) = self.lib.single?;
        Some(self.lend(get, index))
    }

    /// Ends a streaming compute; `None` when the library does not stream.
    pub fn fini_single(&mut self) -> Option<AbiResult<()>> {
        let (_, _, fini) = self.lib.single?;
        // SAFETY: `self.handle` is a live context and `&mut self` keeps other calls off it.
        Some(errno(unsafe { fini(self.handle.as_ptr()) }))
    }

    fn lend(&mut self, get: GetOutput, index: u32) -> AbiResult<&[u8]> {
        let mut data = ptr::null();
        let mut len = 0;
        // SAFETY: `self.handle` is a live context and `&mut self` keeps other calls off it;
        // `data` and `len` are locals valid for writes.
        errno(unsafe { get(self.handle.as_ptr(), index, &mut data, &mut len) })?;
        if len == 0 {
            return Ok(&[]);
        }
        if data.is_null() {
            return Err(RUNTIME_ERROR);
        }
        // SAFETY: the ABI lends `len` bytes at `data` until the next call on the context; the
        // returned slice borrows `self` mutably, so no call can come before it is dropped.
        Ok(unsafe { std::slice::from_raw_parts(data, len) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// A fresh directory for one test.
    fn scratch(test: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("wedge-nn-abi-{}-{test}", std::process::id()));
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
    fn a_missing_library_is_refused_naming_its_path() {
        let path = Path::new("/nonexistent/wedge-test/libwedge_nn_x.so");
        let err = Library::open(path).err().unwrap();
        assert!(
            err.contains("/nonexistent/wedge-test/libwedge_nn_x.so"),
            "{err}"
        );
        assert!(err.contains("does not exist"), "{err}");
    }

    #[test]
    fn a_library_without_the_abi_or_of_another_version_is_refused() {
        let dir = scratch("abi");
        let lib = cc_shared(&dir, "libnone.so", "int other(void) { return 0; }\n", &[]);
        let err = Library::open(&lib).err().unwrap();
        assert!(err.contains("wedge_nn_backend_abi_version"), "{err}");
        assert!(err.contains(&*lib.to_string_lossy()), "{err}");

        let c = "unsigned wedge_nn_backend_abi_version(void) { return 99; }\n";
        let lib = cc_shared(&dir, "libv99.so", c, &[]);
        let err = Library::open(&lib).err().unwrap();
        assert!(
            err.contains("has ABI version 99, this plug-in needs 1"),
            "{err}"
        );

        // The right version, but a function missing: named.
        let c = "unsigned wedge_nn_backend_abi_version(void) { return 1; }\n";
        let lib = cc_shared(&dir, "libpart.so", c, &[]);
        let err = Library::open(&lib).err().unwrap();
        assert!(err.contains("wedge_nn_backend_load"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_library_whose_dependency_is_missing_is_refused_naming_it() {
        let dir = scratch("dep");
        let c = "int wedge_test_dep(void) { return 1; }\n";
        let dep = cc_shared(&dir, "libwedge_test_runtime.so", c, &[]);
        let c = "int wedge_test_dep(void);\n\
                 unsigned wedge_nn_backend_abi_version(void) { return (unsigned)wedge_test_dep(); }\n";
        let dir_arg = format!("-L{}", dir.display());
        let lib = cc_shared(&dir, "libdep.so", c, &[&dir_arg, "-lwedge_test_runtime"]);
        std::fs::remove_file(&dep).unwrap();
        let err = Library::open(&lib).err().unwrap();
        assert!(err.contains("libwedge_test_runtime.so"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A whole library in C: a graph counts its contexts, a context echoes its input 0 (with
    /// STREAMING defined, the streaming calls step through it a byte at a time) and errnos pass
    /// through.
    const ECHO: &str = r#"
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
typedef struct { const uint8_t *ptr; size_t len; } Bytes;
typedef struct { int contexts; } Graph;
typedef struct { uint8_t *in; size_t len; size_t pos; uint8_t out[1]; } Ctx;
unsigned wedge_nn_backend_abi_version(void) { return 1; }
unsigned wedge_nn_backend_load(const Bytes *b, size_t n, unsigned target, void **g) {
    if (n != 1 || b[0].len != 5 || memcmp(b[0].ptr, "model", 5) != 0) return 1;
    if (target != 0) return 103;
    *g = calloc(1, sizeof(Graph)); return 0;
}
unsigned wedge_nn_backend_init_context(const void *g, void **c) {
    ((Graph *)g)->contexts++; *c = calloc(1, sizeof(Ctx)); return 0;
}
unsigned wedge_nn_backend_set_input(void *c, unsigned i, const unsigned *d, size_t nd,
                                    unsigned ty, const uint8_t *data, size_t len) {
    Ctx *x = c; if (i != 0 || ty != 3 || nd != 1 || d[0] != len) return 1;
    free(x->in); x->in = malloc(len); memcpy(x->in, data, len); x->len = len; x->pos = 0;
    return 0;
}
unsigned wedge_nn_backend_compute(void *c) { return ((Ctx *)c)->in ? 0 : 5; }
unsigned wedge_nn_backend_get_output(void *c, unsigned i, const uint8_t **p, size_t *n) {
    Ctx *x = c; if (i != 0) return 1; *p = x->in; *n = x->len; return 0;
}
#ifdef STREAMING
unsigned wedge_nn_backend_compute_single(void *c) {
    Ctx *x = c; if (x->pos >= x->len) return 100; x->out[0] = x->in[x->pos++]; return 0;
}
unsigned wedge_nn_backend_get_output_single(void *c, unsigned i, const uint8_t **p, size_t *n) {
    *p = ((Ctx *)c)->out; *n = 1; return 0;
}
unsigned wedge_nn_backend_fini_single(void *c) { ((Ctx *)c)->pos = 0; return 0; }
#endif
void wedge_nn_backend_free_context(void *c) { free(((Ctx *)c)->in); free(c); }
void wedge_nn_backend_free_graph(void *g) { free(g); }
"#;

    #[test]
    fn a_library_is_driven_through_every_function() {
        let dir = scratch("echo");
        let path = cc_shared(&dir, "libecho.so", ECHO, &["-DSTREAMING"]);
        let lib = Library::open(&path).unwrap();
        assert!(lib.streams());
        assert_eq!(lib.load(&[b"other".to_vec()], 0).err(), Some(1));
        assert_eq!(lib.load(&[b"model".to_vec()], 1).err(), Some(103));
        let graph = lib.load(&[b"model".to_vec()], 0).unwrap();
        let mut c = graph.init_context().unwrap();
        assert_eq!(c.compute(), Err(5));
        assert_eq!(c.set_input(0, &[3], 3, b"abc"), Ok(()));
        assert_eq!(c.set_input(0, &[4], 3, b"abc"), Err(1));
        c.compute().unwrap();
        assert_eq!(c.output(0).unwrap(), b"abc");
        assert_eq!(c.output(1).err(), Some(1));
        let mut streamed = Vec::new();
        loop {
            match c.compute_single().unwrap() {
                Ok(()) => streamed.extend_from_slice(c.output_single(0).unwrap().unwrap()),
                Err(e) => {
                    assert_eq!(e, 100);
                    break;
                }
            }
        }
        assert_eq!(streamed, b"abc");
        assert_eq!(c.fini_single(), Some(Ok(())));
        // The graph may go before its context.
        drop(graph);
        assert_eq!(c.output(0).unwrap(), b"abc");
        drop(c);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_library_without_streaming_says_so() {
        let dir = scratch("nostream");
        let path = cc_shared(&dir, "libnostream.so", ECHO, &[]);
        let lib = Library::open(&path).unwrap();
        assert!(!lib.streams());
        let graph = lib.load(&[b"model".to_vec()], 0).unwrap();
        let mut ctx = graph.init_context().unwrap();
        assert!(ctx.compute_single().is_none());
        assert!(ctx.output_single(0).is_none());
        assert!(ctx.fini_single().is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
