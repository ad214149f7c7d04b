//! OpenVINO for Wedge's ML plug-ins: the one place that opens the OpenVINO runtime.
//!
//! The `wasi_nn` plug-in (encodings 0 OpenVINO, 4 TensorFlow Lite and 5 Autodetect) and the
//! `wasmedge_tensorflowlite` plug-in run their models through this crate. It wraps the safe
//! [`openvino`] bindings (runtime linking: nothing is linked or downloaded at build time) with
//! what the plug-ins need and nothing else:
//!
//! - [`runtime`] opens the runtime **once per process**, at first use, and remembers the
//!   failure too: every later call gets the same [`ErrorKind::NotInstalled`] message, which says
//!   what was tried and what to install.
//! - [`Runtime::read_ir`], [`Runtime::read_onnx`] and [`Runtime::read_tflite`] read a [`Model`]
//!   from bytes (IR: the `.xml` and the weights `.bin`; ONNX: the `.onnx`; TFLite: the
//!   `.tflite`, written to a private temporary file for OpenVINO's TFLite frontend, which reads
//!   only files, and removed afterwards).
//! - [`Runtime::compile`] compiles a model for a [`Device`]. The CPU runs with the inference
//!   precision hint `f32` (set once on the runtime), so results match the framework's own
//!   exactly (the CPU plug-in's default on hosts with AVX512-BF16 is bf16, off by up to 1%).
//!   GPU and NPU are passed to OpenVINO as asked, and fail as OpenVINO fails when the device is
//!   absent ([`ErrorKind::OpenVino`] with step `"compile the model"`).
//! - [`CompiledModel::infer_request`] makes an [`InferRequest`]; its inputs and outputs are
//!   addressed by index or by name ([`PortRef`]), described by [`Port`] (name, element type,
//!   shape), set from bytes + dimensions + element type ([`InferRequest::set_input`]) and read
//!   back as bytes ([`InferRequest::output`]).
//!
//! # Where the runtime comes from
//!
//! In order, the first that exists is opened (see [`library_candidates`]):
//!
//! 1. `$WEDGE_OPENVINO_LIB`, when set: the path of `libopenvino_c.so*` (or its directory); when it
//!    is set, nothing else is tried.
//! 2. The cache `scripts/nn-runtimes.sh` fills: `$XDG_CACHE_HOME/wedge/nn/openvino/` (or
//!    `~/.cache/wedge/nn/openvino/`), a copy of or link to the PyPI `openvino` wheel's
//!    `openvino/libs/` directory; the file opened is `libopenvino_c.so`, else the newest
//!    versioned `libopenvino_c.so.NNNN` there ([`default_library_dir`]).
//! 3. The system's: `openvino-finder`'s search (`LD_LIBRARY_PATH`, `/opt/intel/openvino`, …)
//!    for the unversioned `libopenvino_c.so`.
//!
//! `libopenvino_c` finds its siblings (`libopenvino.so`, the CPU plug-in, the frontends) next to
//! itself. OpenVINO 2025.1 or later is needed (the bindings refuse older libraries).
//!
//! # Threads
//!
//! Every type here is `Send + Sync`. Reading and compiling models serialize on the runtime's
//! core (one lock); infer requests are independent of each other, and a plug-in serializes the
//! calls on one request itself (the methods that change a request take `&mut self`).
//!
//! # Example
//!
//! ```no_run
//! use wedge_nn_openvino::{Device, ElementType};
//!
//! # fn main() -> Result<(), wedge_nn_openvino::Error> {
//! let onnx = std::fs::read("mlp.onnx").unwrap();
//! let runtime = wedge_nn_openvino::runtime()?; // opens OpenVINO, once per process
//! let model = runtime.read_onnx(&onnx)?;
//! let compiled = runtime.compile(&model, Device::Cpu)?;
//! let mut request = compiled.infer_request()?;
//! let x: Vec<u8> = [0.5f32, -1.25, 2.0, 3.5].iter().flat_map(|v| v.to_le_bytes()).collect();
//! request.set_input(0, ElementType::F32, &[1, 4], &x)?; // or by name: "x"
//! request.infer()?;
//! let y = request.output("y")?;
//! assert_eq!((y.element_type, y.shape.as_slice()), (ElementType::F32, &[1u64, 3][..]));
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use openvino::{DeviceType, RwPropertyKey, Shape, Tensor};

pub use openvino::ElementType;

/// The environment variable naming the OpenVINO C library (`libopenvino_c.so*`) to open.
pub const LIBRARY_ENV: &str = "WEDGE_OPENVINO_LIB";

/// What to do when the runtime is missing; every [`ErrorKind::NotInstalled`] message ends with it.
pub const INSTALL_HINT: &str = "Install it with scripts/nn-runtimes.sh (it puts the PyPI openvino \
     wheel's libraries in ~/.cache/wedge/nn/openvino), or `pip install openvino` and set \
     WEDGE_OPENVINO_LIB to the wheel's openvino/libs/libopenvino_c.so.NNNN.";

// ---- errors ----

/// An error of this crate: one word wide; see [`ErrorKind`].
pub struct Error(Box<ErrorKind>);

/// What went wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The runtime cannot be opened: what was tried, why it failed, and [`INSTALL_HINT`].
    NotInstalled(String),
    /// OpenVINO refused a step (`step`: "read the model", "compile the model", "infer", …);
    /// `message` is OpenVINO's.
    OpenVino {
        /// The step, in words.
        step: &'static str,
        /// OpenVINO's message.
        message: String,
    },
    /// No input (or output, with `output`) is at that index or has that name.
    NoSuchPort {
        /// Whether an output was asked for.
        output: bool,
        /// The index or name asked for.
        which: String,
        /// How many inputs (or outputs) the model has.
        count: usize,
    },
    /// A tensor's data does not fit its dimensions and element type (the message says how), or
    /// the element type has no whole byte size.
    BadTensor(String),
    /// The model's bytes could not be written to a temporary file (TFLite).
    Io(String),
}

impl Error {
    /// What went wrong.
    #[must_use]
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    #[cold]
    fn new(kind: ErrorKind) -> Self {
        Self(Box::new(kind))
    }

    #[cold]
    fn openvino(step: &'static str, e: impl fmt::Display) -> Self {
        Self::new(ErrorKind::OpenVino {
            step,
            message: e.to_string(),
        })
    }

    #[cold]
    fn bad_tensor(message: String) -> Self {
        Self::new(ErrorKind::BadTensor(message))
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotInstalled(why) => {
                write!(f, "OpenVINO is not installed ({why}). {INSTALL_HINT}")
            }
            Self::OpenVino { step, message } => write!(f, "OpenVINO failed to {step}: {message}"),
            Self::NoSuchPort {
                output,
                which,
                count,
            } => {
                let what = if *output { "output" } else { "input" };
                write!(
                    f,
                    "the model has no {what} {which} (it has {count} {what}s)"
                )
            }
            Self::BadTensor(m) | Self::Io(m) => f.write_str(m),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Error {}

/// This crate's results.
pub type Result<T, E = Error> = std::result::Result<T, E>;

// ---- opening the runtime ----

/// The opened runtime: OpenVINO's core, shared by the process. Get it with [`runtime`].
pub struct Runtime {
    core: Mutex<openvino::Core>,
    library: String,
    version: String,
}

/// The process's runtime, or why it could not be opened.
static RUNTIME: OnceLock<Result<Runtime, String>> = OnceLock::new();

/// The process's OpenVINO runtime, opened at the first call (see the crate's documentation for
/// where it is looked for). When it cannot be opened, this and every later call return
/// [`ErrorKind::NotInstalled`] with the same message.
pub fn runtime() -> Result<&'static Runtime> {
    match RUNTIME.get_or_init(|| Runtime::open(&library_candidates())) {
        Ok(rt) => Ok(rt),
        Err(why) => Err(Error::new(ErrorKind::NotInstalled(why.clone()))),
    }
}

/// The cache directory `scripts/nn-runtimes.sh` fills: `$XDG_CACHE_HOME/wedge/nn/openvino`, or
/// `$HOME/.cache/wedge/nn/openvino` when `XDG_CACHE_HOME` is not set.
#[must_use]
pub fn default_library_dir() -> Option<PathBuf> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(cache.join("wedge/nn/openvino"))
}

/// Where a runtime is looked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Candidate {
    /// This file (or directory).
    Path(PathBuf),
    /// The system's search (`openvino-finder`).
    System,
}

/// The places [`runtime`] tries, in order: `$WEDGE_OPENVINO_LIB` alone when it is set; else the
/// C library in [`default_library_dir`] when there is one, then the system's.
#[must_use]
pub fn library_candidates() -> Vec<Candidate> {
    if let Some(p) = std::env::var_os(LIBRARY_ENV).filter(|v| !v.is_empty()) {
        return vec![Candidate::Path(PathBuf::from(p))];
    }
    let mut found: Vec<Candidate> = default_library_dir()
        .and_then(|d| c_library_in(&d))
        .map(Candidate::Path)
        .into_iter()
        .collect();
    found.push(Candidate::System);
    found
}

/// `dir/libopenvino_c.so`, else the versioned `libopenvino_c.so.NNNN` in `dir` with the highest
/// number (the PyPI wheel ships only that one).
fn c_library_in(dir: &Path) -> Option<PathBuf> {
    let plain = dir.join("libopenvino_c.so");
    if plain.exists() {
        return Some(plain);
    }
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let version = name.strip_prefix("libopenvino_c.so.")?;
            Some((version.parse::<u64>().unwrap_or(0), e.path()))
        })
        .max()
        .map(|(_, p)| p)
}

/// The C library inside `path` when it is a directory, else `path`.
fn library_file(path: &Path) -> PathBuf {
    if path.is_dir() {
        c_library_in(path).unwrap_or_else(|| path.join("libopenvino_c.so"))
    } else {
        path.to_path_buf()
    }
}

fn load_library(candidate: &Candidate) -> Result<String, String> {
    // The bindings' loader unwraps a lock and may panic on a broken library: contain it.
    let attempt = std::panic::catch_unwind(|| match candidate {
        Candidate::Path(p) => {
            let file = library_file(p);
            // Checked here: once a library is loaded, the bindings' `load_from` answers Ok for
            // any path (the process keeps the first library).
            if !file.exists() {
                return Err(format!("{}: no such file", file.display()));
            }
            openvino_sys::library::load_from(&file)
                .map(|()| file.display().to_string())
                .map_err(|e| format!("{}: {e}", file.display()))
        }
        Candidate::System => openvino_sys::library::load()
            .map(|()| "the system's libopenvino_c.so".to_owned())
            .map_err(|e| format!("no libopenvino_c.so in the system's library path: {e}")),
    });
    attempt.unwrap_or_else(|_| Err(format!("{candidate:?}: opening it panicked")))
}

impl Runtime {
    /// Opens the first candidate that loads, creates the core and sets the CPU's f32 hint.
    fn open(candidates: &[Candidate]) -> Result<Self, String> {
        let mut tried = Vec::new();
        let mut library = None;
        for c in candidates {
            match load_library(c) {
                Ok(l) => {
                    library = Some(l);
                    break;
                }
                Err(e) => tried.push(e),
            }
        }
        let Some(library) = library else {
            return Err(tried.join("; "));
        };
        let made = std::panic::catch_unwind(|| {
            let mut core = openvino::Core::new()
                .map_err(|e| format!("{library}: creating OpenVINO's core failed: {e}"))?;
            core.set_property(
                &DeviceType::CPU,
                &RwPropertyKey::HintInferencePrecision,
                "f32",
            )
            .map_err(|e| format!("{library}: OpenVINO's CPU plug-in cannot be set up: {e}"))?;
            let version = openvino::version().build_number;
            Ok((core, version))
        });
        let (core, version) =
            made.unwrap_or_else(|_| Err(format!("{library}: setting up OpenVINO panicked")))?;
        Ok(Self {
            core: Mutex::new(core),
            library,
            version,
        })
    }

    /// The library opened (a path, or "the system's libopenvino_c.so").
    #[must_use]
    pub fn library(&self) -> &str {
        &self.library
    }

    /// OpenVINO's build number, e.g. `2026.4.1-…`.
    #[must_use]
    pub fn version(&self) -> &str {
        &self.version
    }

    fn core(&self) -> MutexGuard<'_, openvino::Core> {
        self.core.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Reads an OpenVINO IR model: the `.xml` text and the `.bin` weights (empty for a model
    /// without constants).
    pub fn read_ir(&self, xml: &[u8], weights: &[u8]) -> Result<Model> {
        let weights = if weights.is_empty() {
            None
        } else {
            let shape = Shape::new(&[i64::try_from(weights.len()).unwrap_or(i64::MAX)])
                .map_err(|e| Error::openvino("read the model", e))?;
            let mut t = Tensor::new(ElementType::U8, &shape)
                .map_err(|e| Error::openvino("read the model", e))?;
            t.get_raw_data_mut()
                .map_err(|e| Error::openvino("read the model", e))?
                .copy_from_slice(weights);
            Some(t)
        };
        let model = self
            .core()
            .read_model_from_buffer(xml, weights.as_ref())
            .map_err(|e| Error::openvino("read the model", e))?;
        Model::new(model)
    }

    /// Reads an ONNX model from its bytes (OpenVINO's ONNX frontend).
    pub fn read_onnx(&self, model: &[u8]) -> Result<Model> {
        let model = self
            .core()
            .read_model_from_buffer(model, None)
            .map_err(|e| Error::openvino("read the model", e))?;
        Model::new(model)
    }

    /// Reads a TensorFlow Lite model (the `.tflite` flatbuffer) through OpenVINO's TFLite
    /// frontend. The frontend reads only files: the bytes go to a temporary file readable by
    /// this user only, removed before this returns.
    pub fn read_tflite(&self, model: &[u8]) -> Result<Model> {
        self.read_tflite_in(&std::env::temp_dir(), model)
    }

    /// [`read_tflite`](Self::read_tflite) with its temporary file in `dir`.
    fn read_tflite_in(&self, dir: &Path, model: &[u8]) -> Result<Model> {
        let io = |e: std::io::Error| {
            Error::new(ErrorKind::Io(format!(
                "cannot write the TFLite model to a temporary file: {e}"
            )))
        };
        let mut file = tempfile::Builder::new()
            .prefix("wedge-openvino-")
            .suffix(".tflite")
            .tempfile_in(dir)
            .map_err(io)?;
        file.write_all(model)
            .and_then(|()| file.flush())
            .map_err(io)?;
        let path = file.path().to_str().ok_or_else(|| {
            Error::new(ErrorKind::Io(format!(
                "the temporary file's path {} is not UTF-8",
                file.path().display()
            )))
        })?;
        let model = self
            .core()
            .read_model_from_file(path, "")
            .map_err(|e| Error::openvino("read the model", e))?;
        drop(file);
        Model::new(model)
    }

    /// Compiles `model` for `device`. The CPU runs with the `f32` inference precision hint; a
    /// device OpenVINO does not find is [`ErrorKind::OpenVino`] with step "compile the model".
    pub fn compile(&self, model: &Model, device: Device) -> Result<CompiledModel> {
        let compiled = self
            .core()
            .compile_model(&model.model, device.to_openvino())
            .map_err(|e| Error::openvino("compile the model", e))?;
        let ports = Ports {
            inputs: ports(compiled.get_input_size(), |i| {
                compiled.get_input_by_index(i)
            })?,
            outputs: ports(compiled.get_output_size(), |i| {
                compiled.get_output_by_index(i)
            })?,
        };
        // `create_infer_request` needs `&mut`: the lock makes the compiled model shareable.
        Ok(CompiledModel {
            compiled: Mutex::new(compiled),
            ports: Arc::new(ports),
        })
    }
}

// ---- models ----

/// A device to compile for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Device {
    /// OpenVINO's `CPU` (with the f32 precision hint).
    Cpu,
    /// OpenVINO's `GPU`.
    Gpu,
    /// OpenVINO's `NPU`.
    Npu,
}

impl Device {
    fn to_openvino(self) -> DeviceType<'static> {
        match self {
            Self::Cpu => DeviceType::CPU,
            Self::Gpu => DeviceType::GPU,
            Self::Npu => DeviceType::NPU,
        }
    }
}

/// One input or output of a model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Port {
    /// Its name (OpenVINO's "any name"; empty when it has none).
    pub name: String,
    /// Its element type.
    pub element_type: ElementType,
    /// Its dimensions, `None` for a dynamic one; `None` as a whole when even the rank is dynamic.
    pub shape: Option<Vec<Option<u64>>>,
}

impl Port {
    /// Its dimensions when they are all static.
    #[must_use]
    pub fn static_shape(&self) -> Option<Vec<u64>> {
        self.shape.as_ref()?.iter().copied().collect()
    }

    /// The bytes of one tensor of this port, when its shape is static and its element type has a
    /// whole byte size.
    #[must_use]
    pub fn byte_size(&self) -> Option<u64> {
        let size = element_size(self.element_type)? as u64;
        self.static_shape()?
            .iter()
            .try_fold(size, |n, &d| n.checked_mul(d))
    }
}

/// An input or output, by index or by name; `From<usize>` and `From<&str>` make either.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortRef<'a> {
    /// The `n`th (from 0).
    Index(usize),
    /// The one with this name.
    Name(&'a str),
}

impl From<usize> for PortRef<'_> {
    fn from(i: usize) -> Self {
        Self::Index(i)
    }
}

impl<'a> From<&'a str> for PortRef<'a> {
    fn from(name: &'a str) -> Self {
        Self::Name(name)
    }
}

impl fmt::Display for PortRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Index(i) => write!(f, "{i}"),
            Self::Name(n) => write!(f, "{n:?}"),
        }
    }
}

/// The bytes of one element of `ty`; `None` for types narrower than a byte, strings and dynamic.
#[must_use]
pub fn element_size(ty: ElementType) -> Option<usize> {
    use ElementType as E;
    Some(match ty {
        E::Boolean | E::I8 | E::U8 | E::F8E4M3 | E::F8E5M3 | E::F8E8M0 => 1,
        E::Bf16 | E::F16 | E::I16 | E::U16 => 2,
        E::F32 | E::I32 | E::U32 => 4,
        E::F64 | E::I64 | E::U64 => 8,
        _ => return None,
    })
}

fn describe(node: &openvino::Node) -> Result<Port> {
    let step = "describe the model's inputs and outputs";
    // A port without a name makes OpenVINO throw; that is an empty name here.
    let name = node.get_name().unwrap_or_default();
    let element_type = node
        .get_element_type()
        .map_err(|e| Error::openvino(step, e))?;
    let partial = node
        .get_partial_shape()
        .map_err(|e| Error::openvino(step, e))?;
    let shape = if partial.get_rank().is_dynamic() {
        None
    } else {
        Some(
            partial
                .get_dimensions()
                .iter()
                .map(|d| {
                    if d.is_dynamic() {
                        None
                    } else {
                        u64::try_from(d.get_min()).ok()
                    }
                })
                .collect(),
        )
    };
    Ok(Port {
        name,
        element_type,
        shape,
    })
}

fn ports(
    len: openvino_result::Result<usize>,
    get: impl Fn(usize) -> openvino_result::Result<openvino::Node>,
) -> Result<Vec<Port>> {
    let step = "describe the model's inputs and outputs";
    let len = len.map_err(|e| Error::openvino(step, e))?;
    (0..len)
        .map(|i| describe(&get(i).map_err(|e| Error::openvino(step, e))?))
        .collect()
}

/// The bindings' result type (not exported by name).
mod openvino_result {
    pub type Result<T> = std::result::Result<T, openvino::InferenceError>;
}

/// The inputs and outputs of a model.
#[derive(Debug)]
struct Ports {
    inputs: Vec<Port>,
    outputs: Vec<Port>,
}

impl Ports {
    fn find(&self, which: PortRef<'_>, output: bool) -> Result<usize> {
        let list = if output { &self.outputs } else { &self.inputs };
        let found = match which {
            PortRef::Index(i) => (i < list.len()).then_some(i),
            PortRef::Name(n) => list.iter().position(|p| p.name == n),
        };
        found.ok_or_else(|| {
            Error::new(ErrorKind::NoSuchPort {
                output,
                which: which.to_string(),
                count: list.len(),
            })
        })
    }
}

/// A model read by the runtime, not yet compiled.
pub struct Model {
    model: openvino::Model,
    ports: Ports,
}

impl Model {
    fn new(model: openvino::Model) -> Result<Self> {
        let ports = Ports {
            inputs: ports(model.get_inputs_len(), |i| model.get_input_by_index(i))?,
            outputs: ports(model.get_outputs_len(), |i| model.get_output_by_index(i))?,
        };
        Ok(Self { model, ports })
    }

    /// Its inputs, in order.
    #[must_use]
    pub fn inputs(&self) -> &[Port] {
        &self.ports.inputs
    }

    /// Its outputs, in order.
    #[must_use]
    pub fn outputs(&self) -> &[Port] {
        &self.ports.outputs
    }
}

/// A model compiled for a device; makes infer requests.
pub struct CompiledModel {
    compiled: Mutex<openvino::CompiledModel>,
    ports: Arc<Ports>,
}

impl CompiledModel {
    /// Its inputs, in order.
    #[must_use]
    pub fn inputs(&self) -> &[Port] {
        &self.ports.inputs
    }

    /// Its outputs, in order.
    #[must_use]
    pub fn outputs(&self) -> &[Port] {
        &self.ports.outputs
    }

    /// A new infer request, with its own input and output tensors.
    pub fn infer_request(&self) -> Result<InferRequest> {
        let request = self
            .compiled
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .create_infer_request()
            .map_err(|e| Error::openvino("create an infer request", e))?;
        Ok(InferRequest {
            request,
            ports: Arc::clone(&self.ports),
        })
    }
}

/// An output tensor's contents, copied out of the request.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputTensor {
    /// Its element type.
    pub element_type: ElementType,
    /// Its dimensions.
    pub shape: Vec<u64>,
    /// Its elements' bytes, in OpenVINO's (the host's, little-endian) order.
    pub data: Vec<u8>,
}

/// One inference at a time on a compiled model: set inputs, [`infer`](Self::infer), read outputs.
pub struct InferRequest {
    request: openvino::InferRequest,
    ports: Arc<Ports>,
}

impl InferRequest {
    /// The model's inputs, in order.
    #[must_use]
    pub fn inputs(&self) -> &[Port] {
        &self.ports.inputs
    }

    /// The model's outputs, in order.
    #[must_use]
    pub fn outputs(&self) -> &[Port] {
        &self.ports.outputs
    }

    /// The index of an input, or [`ErrorKind::NoSuchPort`].
    pub fn input_index<'a>(&self, which: impl Into<PortRef<'a>>) -> Result<usize> {
        self.ports.find(which.into(), false)
    }

    /// The index of an output, or [`ErrorKind::NoSuchPort`].
    pub fn output_index<'a>(&self, which: impl Into<PortRef<'a>>) -> Result<usize> {
        self.ports.find(which.into(), true)
    }

    /// Sets an input to `data`, the little-endian elements of a tensor of `element_type` with
    /// dimensions `dims`. `data`'s length must be the dimensions' product times the element size
    /// ([`ErrorKind::BadTensor`] otherwise). When the request's own tensor for that input
    /// already has this type and shape, the data is copied straight into it (no allocation);
    /// otherwise a new tensor is made and set. A type or shape the model cannot take is
    /// OpenVINO's error ([`ErrorKind::OpenVino`], step "set an input").
    pub fn set_input<'a>(
        &mut self,
        which: impl Into<PortRef<'a>>,
        element_type: ElementType,
        dims: &[u64],
        data: &[u8],
    ) -> Result<()> {
        let index = self.input_index(which)?;
        let size = element_size(element_type).ok_or_else(|| {
            Error::bad_tensor(format!(
                "tensors of element type {element_type} are not supported"
            ))
        })?;
        let bytes = dims.iter().try_fold(size as u64, |n, &d| n.checked_mul(d));
        if bytes != Some(data.len() as u64) {
            return Err(Error::bad_tensor(format!(
                "the tensor's data has {} bytes, not what dimensions {dims:?} of {element_type} \
                 need",
                data.len()
            )));
        }
        let step = "set an input";
        let shape: Vec<i64> = dims
            .iter()
            .map(|&d| {
                i64::try_from(d)
                    .map_err(|_| Error::bad_tensor(format!("dimension {d} is too large")))
            })
            .collect::<Result<_>>()?;
        // Reuse the request's own tensor when it already fits.
        let name = &self.ports.inputs[index].name;
        if !name.is_empty()
            && let Ok(mut own) = self.request.get_tensor(name)
            && own.get_element_type().ok() == Some(element_type)
            && own
                .get_shape()
                .is_ok_and(|s| s.get_dimensions() == shape.as_slice())
            && let Ok(buf) = own.get_raw_data_mut()
            && buf.len() == data.len()
        {
            buf.copy_from_slice(data);
            return Ok(());
        }
        let shape = Shape::new(&shape).map_err(|e| Error::openvino(step, e))?;
        let mut tensor = Tensor::new(element_type, &shape).map_err(|e| Error::openvino(step, e))?;
        tensor
            .get_raw_data_mut()
            .map_err(|e| Error::openvino(step, e))?
            .copy_from_slice(data);
        self.request
            .set_input_tensor_by_index(index, &tensor)
            .map_err(|e| Error::openvino(step, e))
    }

    /// Sets an input from bytes alone, with the model's element type and (static) shape for it,
    /// as TensorFlow Lite's interpreter takes inputs. A dynamic input is
    /// [`ErrorKind::BadTensor`]: use [`set_input`](Self::set_input).
    pub fn set_input_bytes<'a>(
        &mut self,
        which: impl Into<PortRef<'a>>,
        data: &[u8],
    ) -> Result<()> {
        let index = self.input_index(which)?;
        let port = &self.ports.inputs[index];
        let (ty, Some(dims)) = (port.element_type, port.static_shape()) else {
            return Err(Error::bad_tensor(format!(
                "input {index} has a dynamic shape: give its dimensions"
            )));
        };
        self.set_input(index, ty, &dims, data)
    }

    /// Runs the model on the inputs set (synchronously, on OpenVINO's threads).
    pub fn infer(&mut self) -> Result<()> {
        self.request
            .infer()
            .map_err(|e| Error::openvino("infer", e))
    }

    /// A copy of an output of the last [`infer`](Self::infer) (before any, OpenVINO's zeroed
    /// tensor).
    pub fn output<'a>(&self, which: impl Into<PortRef<'a>>) -> Result<OutputTensor> {
        let index = self.output_index(which)?;
        let step = "read an output";
        let tensor = self
            .request
            .get_output_tensor_by_index(index)
            .map_err(|e| Error::openvino(step, e))?;
        let element_type = tensor
            .get_element_type()
            .map_err(|e| Error::openvino(step, e))?;
        let shape = tensor
            .get_shape()
            .map_err(|e| Error::openvino(step, e))?
            .get_dimensions()
            .iter()
            .map(|&d| u64::try_from(d).unwrap_or(0))
            .collect();
        let data = tensor
            .get_raw_data()
            .map_err(|e| Error::openvino(step, e))?
            .to_vec();
        Ok(OutputTensor {
            element_type,
            shape,
            data,
        })
    }
}

#[cfg(test)]
mod tests;
