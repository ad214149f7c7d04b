//! TensorFlow's C API, opened at run time, behind safe wrappers: [`Graph`], [`Session`],
//! [`Tensor`] own their TensorFlow objects and free them when dropped; a `TF_Status` lives only
//! inside one call here and becomes a `Result<_, String>` with TensorFlow's message.
//!
//! Why this module exists: no maintained crate gives TensorFlow's C API loaded at run time from
//! a path of our choosing. The `tensorflow` crate's `tensorflow_runtime_linking` feature
//! (`tensorflow-sys-runtime` 0.2) only searches for a library named `libtensorflow.so` by
//! name (`library::load()` takes no path; the tensorflow-cpu wheel ships
//! `libtensorflow_cc.so.2`), pins libloading 0.7, and is not in this build's crate cache. So
//! this is the one module of the crate with `unsafe`: it declares the few `TF_*` functions the
//! plug-in calls (from `tensorflow/c/c_api.h`, `tf_tensor.h`, `tf_status.h`, `tf_buffer.h` of
//! TensorFlow 2.21), looks them up once per process with `libloading`, and never unloads the
//! library.

#![allow(
    unsafe_code,
    reason = "the binding to TensorFlow's C library, opened at run time: every call into it and \
              every pointer it hands back is handled here, behind safe owning wrappers"
)]

use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::path::{Path, PathBuf};
use std::ptr::NonNull;
use std::sync::OnceLock;

/// `TF_Status`, `TF_Graph`, … : opaque.
#[repr(C)]
struct Opaque {
    _private: [u8; 0],
}

/// `TF_Output`.
#[repr(C)]
#[derive(Clone, Copy)]
struct TfOutput {
    oper: *mut Opaque,
    index: c_int,
}

/// `TF_OK`.
const TF_OK: c_int = 0;

/// The `TF_*` functions, as looked up in the library (which lives as long as the process).
struct Api {
    version: unsafe extern "C" fn() -> *const c_char,
    new_status: unsafe extern "C" fn() -> *mut Opaque,
    delete_status: unsafe extern "C" fn(*mut Opaque),
    get_code: unsafe extern "C" fn(*const Opaque) -> c_int,
    message: unsafe extern "C" fn(*const Opaque) -> *const c_char,
    new_buffer_from_string: unsafe extern "C" fn(*const c_void, usize) -> *mut Opaque,
    delete_buffer: unsafe extern "C" fn(*mut Opaque),
    new_graph: unsafe extern "C" fn() -> *mut Opaque,
    delete_graph: unsafe extern "C" fn(*mut Opaque),
    new_import_options: unsafe extern "C" fn() -> *mut Opaque,
    delete_import_options: unsafe extern "C" fn(*mut Opaque),
    import_graph_def: unsafe extern "C" fn(*mut Opaque, *const Opaque, *const Opaque, *mut Opaque),
    operation_by_name: unsafe extern "C" fn(*mut Opaque, *const c_char) -> *mut Opaque,
    operation_num_outputs: unsafe extern "C" fn(*mut Opaque) -> c_int,
    new_session_options: unsafe extern "C" fn() -> *mut Opaque,
    delete_session_options: unsafe extern "C" fn(*mut Opaque),
    new_session: unsafe extern "C" fn(*mut Opaque, *const Opaque, *mut Opaque) -> *mut Opaque,
    #[allow(
        clippy::type_complexity,
        reason = "the C signature, as declared in c_api.h"
    )]
    load_saved_model: unsafe extern "C" fn(
        *const Opaque,
        *const Opaque,
        *const c_char,
        *const *const c_char,
        c_int,
        *mut Opaque,
        *mut Opaque,
        *mut Opaque,
    ) -> *mut Opaque,
    close_session: unsafe extern "C" fn(*mut Opaque, *mut Opaque),
    delete_session: unsafe extern "C" fn(*mut Opaque, *mut Opaque),
    #[allow(
        clippy::type_complexity,
        reason = "the C signature, as declared in c_api.h"
    )]
    session_run: unsafe extern "C" fn(
        *mut Opaque,
        *const Opaque,
        *const TfOutput,
        *const *mut Opaque,
        c_int,
        *const TfOutput,
        *mut *mut Opaque,
        c_int,
        *const *const Opaque,
        c_int,
        *mut Opaque,
        *mut Opaque,
    ),
    allocate_tensor: unsafe extern "C" fn(c_int, *const i64, c_int, usize) -> *mut Opaque,
    delete_tensor: unsafe extern "C" fn(*mut Opaque),
    tensor_data: unsafe extern "C" fn(*const Opaque) -> *mut c_void,
    tensor_byte_size: unsafe extern "C" fn(*const Opaque) -> usize,
    tensor_type: unsafe extern "C" fn(*const Opaque) -> c_int,
    data_type_size: unsafe extern "C" fn(c_int) -> usize,
}

/// The library and its functions, or why it could not be opened: looked up once per process.
static API: OnceLock<Result<Api, String>> = OnceLock::new();

/// Where TensorFlow's C library is looked for, in order: `$WEDGE_TENSORFLOW_LIB` alone when it
/// is set; else [`default_library`] when it exists, then `libtensorflow_cc.so.2` in the
/// system's library path.
#[must_use]
pub fn candidates() -> Vec<PathBuf> {
    if let Some(p) = std::env::var_os("WEDGE_TENSORFLOW_LIB").filter(|v| !v.is_empty()) {
        return vec![PathBuf::from(p)];
    }
    let mut paths: Vec<PathBuf> = default_library()
        .filter(|p| p.exists())
        .into_iter()
        .collect();
    paths.push(PathBuf::from("libtensorflow_cc.so.2"));
    paths
}

/// `~/.cache/wedge/nn/tensorflow/libtensorflow_cc.so.2` (under `$XDG_CACHE_HOME` when set), where
/// `scripts/nn-runtimes.sh` puts it.
#[must_use]
pub fn default_library() -> Option<PathBuf> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(cache.join("wedge/nn/tensorflow/libtensorflow_cc.so.2"))
}

/// Opens TensorFlow (the first call) and answers whether it is there, with its version, or why
/// not (every candidate path and its error).
pub fn open() -> Result<String, String> {
    let api = api()?;
    // SAFETY: `TF_Version` takes nothing and returns a static NUL-terminated string.
    let v = unsafe { CStr::from_ptr((api.version)()) };
    Ok(v.to_string_lossy().into_owned())
}

fn api() -> Result<&'static Api, String> {
    API.get_or_init(|| {
        let mut errors = Vec::new();
        for path in candidates() {
            match load(&path) {
                Ok(api) => return Ok(api),
                Err(e) => errors.push(e),
            }
        }
        Err(errors.join("; "))
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// Opens the library at `path` and looks up every function; the library is then kept open for
/// the life of the process (the function pointers point into it). The error is the loader's,
/// which names the path.
fn load(path: &Path) -> Result<Api, String> {
    // SAFETY: opening TensorFlow's library runs its initialisers (static registrations of ops
    // and kernels), which have no precondition on the process; it is opened once (`API`).
    let lib = unsafe { libloading::Library::new(path) }.map_err(|e| why(&e))?;
    macro_rules! sym {
        ($name:literal) => {
            // SAFETY: the field's type is the function's C signature as TensorFlow's headers
            // declare it, and the library is never unloaded (leaked below), so the pointer
            // stays valid.
            *unsafe { lib.get($name) }.map_err(|e| why(&e))?
        };
    }
    let api = Api {
        version: sym!(b"TF_Version\0"),
        new_status: sym!(b"TF_NewStatus\0"),
        delete_status: sym!(b"TF_DeleteStatus\0"),
        get_code: sym!(b"TF_GetCode\0"),
        message: sym!(b"TF_Message\0"),
        new_buffer_from_string: sym!(b"TF_NewBufferFromString\0"),
        delete_buffer: sym!(b"TF_DeleteBuffer\0"),
        new_graph: sym!(b"TF_NewGraph\0"),
        delete_graph: sym!(b"TF_DeleteGraph\0"),
        new_import_options: sym!(b"TF_NewImportGraphDefOptions\0"),
        delete_import_options: sym!(b"TF_DeleteImportGraphDefOptions\0"),
        import_graph_def: sym!(b"TF_GraphImportGraphDef\0"),
        operation_by_name: sym!(b"TF_GraphOperationByName\0"),
        operation_num_outputs: sym!(b"TF_OperationNumOutputs\0"),
        new_session_options: sym!(b"TF_NewSessionOptions\0"),
        delete_session_options: sym!(b"TF_DeleteSessionOptions\0"),
        new_session: sym!(b"TF_NewSession\0"),
        load_saved_model: sym!(b"TF_LoadSessionFromSavedModel\0"),
        close_session: sym!(b"TF_CloseSession\0"),
        delete_session: sym!(b"TF_DeleteSession\0"),
        session_run: sym!(b"TF_SessionRun\0"),
        allocate_tensor: sym!(b"TF_AllocateTensor\0"),
        delete_tensor: sym!(b"TF_DeleteTensor\0"),
        tensor_data: sym!(b"TF_TensorData\0"),
        tensor_byte_size: sym!(b"TF_TensorByteSize\0"),
        tensor_type: sym!(b"TF_TensorType\0"),
        data_type_size: sym!(b"TF_DataTypeSize\0"),
    };
    std::mem::forget(lib);
    Ok(api)
}

/// The dynamic loader's message for a libloading error (libloading's own is "dlopen failed").
fn why(e: &libloading::Error) -> String {
    std::error::Error::source(e).map_or_else(|| e.to_string(), ToString::to_string)
}

/// A `TF_Status` for one call.
struct Status<'a> {
    api: &'a Api,
    raw: NonNull<Opaque>,
}

impl<'a> Status<'a> {
    fn new(api: &'a Api) -> Result<Self, String> {
        // SAFETY: `TF_NewStatus` takes nothing; NULL (out of memory) is checked.
        let raw = NonNull::new(unsafe { (api.new_status)() })
            .ok_or_else(|| "TF_NewStatus failed".to_owned())?;
        Ok(Self { api, raw })
    }

    fn ptr(&self) -> *mut Opaque {
        self.raw.as_ptr()
    }

    /// `Ok`, or TensorFlow's message.
    fn check(&self) -> Result<(), String> {
        // SAFETY: `raw` is a live status; `TF_Message` returns a NUL-terminated string owned by
        // it, copied before the status can change.
        unsafe {
            if (self.api.get_code)(self.raw.as_ptr()) == TF_OK {
                Ok(())
            } else {
                Err(CStr::from_ptr((self.api.message)(self.raw.as_ptr()))
                    .to_string_lossy()
                    .into_owned())
            }
        }
    }
}

impl Drop for Status<'_> {
    fn drop(&mut self) {
        // SAFETY: `raw` came from `TF_NewStatus` and is deleted once.
        unsafe { (self.api.delete_status)(self.raw.as_ptr()) }
    }
}

/// A `TF_Graph`.
struct Graph {
    api: &'static Api,
    raw: NonNull<Opaque>,
}

impl Graph {
    fn new(api: &'static Api) -> Result<Self, String> {
        // SAFETY: `TF_NewGraph` takes nothing; NULL is checked.
        let raw = NonNull::new(unsafe { (api.new_graph)() })
            .ok_or_else(|| "TF_NewGraph failed".to_owned())?;
        Ok(Self { api, raw })
    }
}

impl Drop for Graph {
    fn drop(&mut self) {
        // SAFETY: `raw` came from `TF_NewGraph`; the session using it (if any) was deleted
        // first (`Session`'s field order), and it is deleted once.
        unsafe { (self.api.delete_graph)(self.raw.as_ptr()) }
    }
}

/// `TF_SessionOptions`, for one call.
struct SessionOptions {
    api: &'static Api,
    raw: NonNull<Opaque>,
}

impl SessionOptions {
    fn new(api: &'static Api) -> Result<Self, String> {
        // SAFETY: takes nothing; NULL is checked.
        let raw = NonNull::new(unsafe { (api.new_session_options)() })
            .ok_or_else(|| "TF_NewSessionOptions failed".to_owned())?;
        Ok(Self { api, raw })
    }
}

impl Drop for SessionOptions {
    fn drop(&mut self) {
        // SAFETY: `raw` came from `TF_NewSessionOptions` and is deleted once (TensorFlow copies
        // the options into a session it creates).
        unsafe { (self.api.delete_session_options)(self.raw.as_ptr()) }
    }
}

/// A TensorFlow session with the graph it runs: made from a frozen `GraphDef`
/// ([`Session::from_graph_def`]) or a SavedModel directory ([`Session::from_saved_model`]).
pub struct Session {
    // Dropped before `graph`, which the session uses.
    raw: NonNull<Opaque>,
    graph: Graph,
}

// SAFETY: TensorFlow's `TF_Session` and `TF_Graph` may be used from any thread (the C API
// guards a graph with its own mutex and `TF_SessionRun` is thread-safe); this crate moreover
// keeps each session behind a `Mutex`.
unsafe impl Send for Session {}
// SAFETY: as for `Send`: every method takes `&self` only for calls TensorFlow documents as
// thread-safe (`TF_GraphOperationByName`, `TF_OperationNumOutputs`, `TF_SessionRun`).
unsafe impl Sync for Session {}

impl Session {
    /// Imports the serialized `GraphDef` `graph_def` into a new graph and opens a session on it
    /// with default options. TensorFlow's message when it refuses either.
    pub fn from_graph_def(graph_def: &[u8]) -> Result<Self, String> {
        let api = api()?;
        let graph = Graph::new(api)?;
        let status = Status::new(api)?;
        // SAFETY: `graph_def` is `len` readable bytes, which TF_NewBufferFromString copies; the
        // buffer and options are freed below, after the import that reads them.
        unsafe {
            let buffer = (api.new_buffer_from_string)(graph_def.as_ptr().cast(), graph_def.len());
            if buffer.is_null() {
                return Err("TF_NewBufferFromString failed".to_owned());
            }
            let options = (api.new_import_options)();
            if options.is_null() {
                (api.delete_buffer)(buffer);
                return Err("TF_NewImportGraphDefOptions failed".to_owned());
            }
            (api.import_graph_def)(graph.raw.as_ptr(), buffer, options, status.ptr());
            (api.delete_import_options)(options);
            (api.delete_buffer)(buffer);
        }
        status.check()?;
        let options = SessionOptions::new(api)?;
        // SAFETY: the graph and options are live; the status is checked, and NULL too.
        let raw =
            unsafe { (api.new_session)(graph.raw.as_ptr(), options.raw.as_ptr(), status.ptr()) };
        status.check()?;
        let raw = NonNull::new(raw).ok_or_else(|| "TF_NewSession failed".to_owned())?;
        Ok(Self { raw, graph })
    }

    /// Loads the SavedModel in the host directory `dir` with the meta graph tagged `tags`.
    pub fn from_saved_model(dir: &Path, tags: &[String]) -> Result<Self, String> {
        let api = api()?;
        let dir = CString::new(dir.as_os_str().as_encoded_bytes())
            .map_err(|_| "the path has a NUL byte".to_owned())?;
        let tags = tags
            .iter()
            .map(|t| CString::new(t.as_bytes()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| "a tag has a NUL byte".to_owned())?;
        let tag_ptrs: Vec<*const c_char> = tags.iter().map(|t| t.as_ptr()).collect();
        let ntags = c_int::try_from(tag_ptrs.len()).map_err(|_| "too many tags".to_owned())?;
        let graph = Graph::new(api)?;
        let options = SessionOptions::new(api)?;
        let status = Status::new(api)?;
        // SAFETY: the options, graph and status are live; `dir` and the `ntags` tags are
        // NUL-terminated strings that outlive the call; run options and the meta graph output
        // may be NULL (c_api.h).
        let raw = unsafe {
            (api.load_saved_model)(
                options.raw.as_ptr(),
                std::ptr::null(),
                dir.as_ptr(),
                tag_ptrs.as_ptr(),
                ntags,
                graph.raw.as_ptr(),
                std::ptr::null_mut(),
                status.ptr(),
            )
        };
        status.check()?;
        let raw =
            NonNull::new(raw).ok_or_else(|| "TF_LoadSessionFromSavedModel failed".to_owned())?;
        Ok(Self { raw, graph })
    }

    /// How many outputs the operation `name` of the graph has; `None` when the graph has no
    /// such operation.
    #[must_use]
    pub fn operation_outputs(&self, name: &CStr) -> Option<usize> {
        let op = self.operation(name)?;
        // SAFETY: `op` belongs to the live graph.
        let n = unsafe { (self.graph.api.operation_num_outputs)(op.as_ptr()) };
        usize::try_from(n).ok()
    }

    fn operation(&self, name: &CStr) -> Option<NonNull<Opaque>> {
        // SAFETY: the graph is live and `name` NUL-terminated; the operation returned is owned
        // by the graph.
        NonNull::new(unsafe {
            (self.graph.api.operation_by_name)(self.graph.raw.as_ptr(), name.as_ptr())
        })
    }

    /// Runs the session: feeds `inputs` (operation name, output index, tensor) and fetches
    /// `outputs` (operation name, output index). Every operation must exist and every index be
    /// below its number of outputs ([`Session::operation_outputs`]), else an error. Returns the
    /// fetched tensors in order, or TensorFlow's message.
    pub fn run(
        &self,
        inputs: &[(&CStr, usize, &Tensor)],
        outputs: &[(&CStr, usize)],
    ) -> Result<Vec<Tensor>, String> {
        let api = self.graph.api;
        let endpoint = |name: &CStr, index: usize| -> Result<TfOutput, String> {
            let op = self
                .operation(name)
                .ok_or_else(|| format!("no operation {}", name.to_string_lossy()))?;
            let n = self.operation_outputs(name).unwrap_or(0);
            if index >= n {
                return Err(format!("{} has {n} outputs", name.to_string_lossy()));
            }
            Ok(TfOutput {
                oper: op.as_ptr(),
                index: c_int::try_from(index).map_err(|e| e.to_string())?,
            })
        };
        let in_ends = inputs
            .iter()
            .map(|(n, i, _)| endpoint(n, *i))
            .collect::<Result<Vec<_>, _>>()?;
        let in_values: Vec<*mut Opaque> = inputs.iter().map(|(_, _, t)| t.raw.as_ptr()).collect();
        let out_ends = outputs
            .iter()
            .map(|(n, i)| endpoint(n, *i))
            .collect::<Result<Vec<_>, _>>()?;
        let mut out_values: Vec<*mut Opaque> = vec![std::ptr::null_mut(); outputs.len()];
        let nin = c_int::try_from(inputs.len()).map_err(|e| e.to_string())?;
        let nout = c_int::try_from(outputs.len()).map_err(|e| e.to_string())?;
        let status = Status::new(api)?;
        // SAFETY: the session is live; the endpoints are operations of its graph with valid
        // indices (checked above); `in_values` holds `nin` live tensors, which TensorFlow only
        // reads; `out_values` has room for `nout` tensors, which TensorFlow fills with new
        // tensors the caller owns; no targets, run options or metadata.
        unsafe {
            (api.session_run)(
                self.raw.as_ptr(),
                std::ptr::null(),
                in_ends.as_ptr(),
                in_values.as_ptr(),
                nin,
                out_ends.as_ptr(),
                out_values.as_mut_ptr(),
                nout,
                std::ptr::null(),
                0,
                std::ptr::null_mut(),
                status.ptr(),
            );
        }
        // Own whatever TensorFlow returned, success or not, so it is freed.
        let owned: Vec<Option<Tensor>> = out_values
            .into_iter()
            .map(|p| NonNull::new(p).map(|raw| Tensor { api, raw }))
            .collect();
        status.check()?;
        owned
            .into_iter()
            .map(|t| t.ok_or_else(|| "TF_SessionRun returned no tensor".to_owned()))
            .collect()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let api = self.graph.api;
        if let Ok(status) = Status::new(api) {
            // SAFETY: `raw` came from TF_NewSession or TF_LoadSessionFromSavedModel; it is
            // closed then deleted once, before its graph (field order).
            unsafe {
                (api.close_session)(self.raw.as_ptr(), status.ptr());
                (api.delete_session)(self.raw.as_ptr(), status.ptr());
            }
        }
    }
}

/// The element types whose tensors are plain bytes (`TF_DataType` numbers): every type but
/// `TF_STRING` (7), `TF_RESOURCE` (20) and `TF_VARIANT` (21), whose elements are host objects.
pub const PLAIN_TYPES: [u32; 20] = [
    1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 22, 23,
];

/// The size of one element of `dtype` in bytes, for a [`PLAIN_TYPES`] type; `None` for the
/// others, or when TensorFlow is absent.
#[must_use]
pub fn element_size(dtype: u32) -> Option<usize> {
    if !PLAIN_TYPES.contains(&dtype) {
        return None;
    }
    let api = api().ok()?;
    let t = c_int::try_from(dtype).ok()?;
    // SAFETY: `TF_DataTypeSize` only reads its argument, a valid `TF_DataType`.
    let n = unsafe { (api.data_type_size)(t) };
    (n > 0).then_some(n)
}

/// A `TF_Tensor` this crate owns.
pub struct Tensor {
    api: &'static Api,
    raw: NonNull<Opaque>,
}

// SAFETY: a `TF_Tensor` is a heap object with no thread affinity; access to its bytes goes
// through `&self`/`&mut self`.
unsafe impl Send for Tensor {}
// SAFETY: `&Tensor` only reads.
unsafe impl Sync for Tensor {}

impl Tensor {
    /// A new tensor of `dtype` (one of [`PLAIN_TYPES`]) with dimensions `dims`, holding a copy of
    /// `data`, whose length must be the product of the dimensions times the element size.
    pub fn new(dtype: u32, dims: &[i64], data: &[u8]) -> Result<Self, String> {
        let api = api()?;
        let size = element_size(dtype).ok_or_else(|| format!("unsupported data type {dtype}"))?;
        let mut count: usize = 1;
        for &d in dims {
            let d = usize::try_from(d).map_err(|_| format!("negative dimension {d}"))?;
            count = count
                .checked_mul(d)
                .ok_or_else(|| "the dimensions overflow".to_owned())?;
        }
        let want = count
            .checked_mul(size)
            .ok_or_else(|| "the dimensions overflow".to_owned())?;
        if want != data.len() {
            return Err(format!(
                "{} bytes for dimensions {dims:?} of type {dtype}, which need {want}",
                data.len()
            ));
        }
        let ndims = c_int::try_from(dims.len()).map_err(|_| "too many dimensions".to_owned())?;
        let t = c_int::try_from(dtype).map_err(|e| e.to_string())?;
        // SAFETY: `dims` is `ndims` readable i64s (may be dangling when 0: TensorFlow reads
        // none); `len` matches the dimensions and type (checked above); NULL is checked.
        let raw =
            NonNull::new(unsafe { (api.allocate_tensor)(t, dims.as_ptr(), ndims, data.len()) })
                .ok_or_else(|| "TF_AllocateTensor failed".to_owned())?;
        let tensor = Self { api, raw };
        if !data.is_empty() {
            // SAFETY: the tensor's buffer holds `data.len()` bytes (allocated just above with
            // that length) and is not aliased.
            unsafe {
                let dst = (api.tensor_data)(raw.as_ptr()).cast::<u8>();
                if dst.is_null() {
                    return Err("TF_TensorData returned NULL".to_owned());
                }
                std::ptr::copy_nonoverlapping(data.as_ptr(), dst, data.len());
            }
        }
        Ok(tensor)
    }

    /// The `TF_DataType` number of its elements.
    #[must_use]
    pub fn dtype(&self) -> u32 {
        // SAFETY: the tensor is live.
        let t = unsafe { (self.api.tensor_type)(self.raw.as_ptr()) };
        u32::try_from(t).unwrap_or(u32::MAX)
    }

    /// Its bytes (for a [`PLAIN_TYPES`] type, the elements in row-major order, little-endian).
    #[must_use]
    pub fn bytes(&self) -> &[u8] {
        // SAFETY: the tensor is live for `&self`; its buffer holds `TF_TensorByteSize` bytes,
        // which nothing writes while `&self` is borrowed (this crate never hands the tensor to
        // TensorFlow for writing).
        unsafe {
            let len = (self.api.tensor_byte_size)(self.raw.as_ptr());
            let data = (self.api.tensor_data)(self.raw.as_ptr()).cast::<u8>();
            if len == 0 || data.is_null() {
                &[]
            } else {
                std::slice::from_raw_parts(data, len)
            }
        }
    }
}

impl Drop for Tensor {
    fn drop(&mut self) {
        // SAFETY: `raw` is a tensor this wrapper owns (allocated here or returned by
        // TF_SessionRun), deleted once.
        unsafe { (self.api.delete_tensor)(self.raw.as_ptr()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_library_is_in_the_wedge_cache() {
        let p = default_library().unwrap();
        assert!(
            p.ends_with("wedge/nn/tensorflow/libtensorflow_cc.so.2"),
            "{}",
            p.display()
        );
    }

    /// The models `scripts/nn-runtimes.sh tensorflow` makes.
    fn models() -> PathBuf {
        std::env::var_os("WEDGE_NN_MODELS").map_or_else(
            || default_library().unwrap().join("../../models"),
            PathBuf::from,
        )
    }

    fn f32s(b: &[u8]) -> Vec<f32> {
        b.chunks_exact(4)
            .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .collect()
    }

    #[test]
    #[ignore = "needs TensorFlow and the test models: run scripts/nn-runtimes.sh --test tensorflow"]
    fn the_mlp_runs_natively_as_tensorflow_runs_it() {
        let m = models();
        let session = Session::from_graph_def(&std::fs::read(m.join("mlp.pb")).unwrap()).unwrap();
        let input = std::fs::read(m.join("mlp.input.bin")).unwrap();
        let expected = f32s(&std::fs::read(m.join("mlp.tf.output.bin")).unwrap());
        let x = Tensor::new(1, &[1, 4], &input).unwrap();
        assert_eq!(x.dtype(), 1);
        assert_eq!(session.operation_outputs(c"x"), Some(1));
        assert_eq!(session.operation_outputs(c"nosuch"), None);
        // Fetch y twice and the constant b2: three tensors, in order.
        let out = session
            .run(&[(c"x", 0, &x)], &[(c"y", 0), (c"b2", 0), (c"y", 0)])
            .unwrap();
        assert_eq!(out.len(), 3);
        assert_eq!(f32s(out[0].bytes()), expected);
        assert_eq!(out[1].bytes().len(), 12);
        assert_eq!(out[2].bytes(), out[0].bytes());
        // Feeding a tensor that is also fetched is TensorFlow's error, not a crash.
        assert!(session.run(&[(c"x", 0, &x)], &[(c"x", 0)]).is_err());
        // An index past the operation's outputs is refused before TensorFlow sees it.
        assert!(session.run(&[(c"x", 0, &x)], &[(c"y", 1)]).is_err());
        assert!(Tensor::new(1, &[1, 4], &input[..12]).is_err());
        assert!(Session::from_graph_def(b"not a graph").is_err());
    }

    #[test]
    fn string_resource_and_variant_are_not_plain() {
        for t in [0, 7, 20, 21, 24, 99] {
            assert!(!PLAIN_TYPES.contains(&t));
            assert_eq!(element_size(t), None);
        }
    }
}
