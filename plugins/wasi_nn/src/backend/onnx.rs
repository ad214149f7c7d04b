//! The ONNX backend (encoding 1), on ONNX Runtime through the `ort` crate, opened at first use.
//!
//! WasmEdge 0.17.1's ONNX backend is a stub that refuses every call; this one runs models.
//!
//! - **Runtime**: `libonnxruntime.so` 1.31 or later (the PyPI `onnxruntime` wheel ships it as
//!   `onnxruntime/capi/libonnxruntime.so.1.31.1`), looked for, in order, at `$ORT_DYLIB_PATH`,
//!   at [`default_library`] (`~/.cache/wedge/nn/onnxruntime/libonnxruntime.so`, where
//!   `scripts/nn-runtimes.sh` puts it), then as `libonnxruntime.so` in the system's library
//!   path. It is opened once per process, on the first `load` of an ONNX graph; when it cannot
//!   be opened, that and every later ONNX `load` answer `InvalidArgument` (WasmEdge's answer for
//!   a backend it does not have) with a log line saying what to install.
//! - **load**: exactly one builder, the model's bytes (a second one, `load_by_name_with_config`'s
//!   config, is refused: this backend takes no config yet). CPU and AUTO run on the CPU; GPU and
//!   TPU are `RuntimeError` (no execution provider for them is set up), as a framework that
//!   finds no such device answers in WasmEdge.
//! - **set_input**: index = the model's input number; F16, F32, U8 and I32 tensors (every type
//!   `set_input` accepts); the data's length must be the dimensions' product times the element
//!   size.
//! - **compute**: runs with the inputs set; a missing input or a shape the model rejects is
//!   `RuntimeError` with ONNX Runtime's message.
//! - **get_output**: index = the model's output number; the tensor's elements, little-endian.

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use ort::session::{Session, SessionInputValue};
use ort::value::{DynValue, TensorElementType, TensorRef};

use super::{Backend, Context, Graph, Tensor};
use crate::types::{ErrNo, NnResult, Target, TensorType};

/// The ONNX backend.
pub struct Onnx;

/// The ONNX Runtime environment of the process, or why there is none.
static RUNTIME: OnceLock<Result<ort::environment::Environment, String>> = OnceLock::new();

/// Where `scripts/nn-runtimes.sh` puts the runtime: `$XDG_CACHE_HOME/wedge/nn/onnxruntime/
/// libonnxruntime.so`, or under `$HOME/.cache` when `XDG_CACHE_HOME` is not set.
#[must_use]
pub fn default_library() -> Option<PathBuf> {
    super::runtime_cache().map(|c| c.join("onnxruntime/libonnxruntime.so"))
}

/// The library paths tried, in order.
fn candidates() -> Vec<PathBuf> {
    let mut paths = Vec::new();
    if let Some(p) = std::env::var_os("ORT_DYLIB_PATH").filter(|v| !v.is_empty()) {
        paths.push(PathBuf::from(p));
    } else {
        paths.extend(default_library().filter(|p| p.exists()));
        paths.push(PathBuf::from("libonnxruntime.so"));
    }
    paths
}

fn open_runtime() -> Result<ort::environment::Environment, String> {
    let mut errors = Vec::new();
    for path in candidates() {
        // `ort` opens a library given by a relative name next to the executable first; a bare
        // name otherwise goes to the system's search path.
        let attempt = std::panic::catch_unwind(|| {
            ort::init_from(&path)
                .map_err(|e| e.to_string())
                .and_then(|b| {
                    b.with_name("wedge-wasi-nn")
                        .build()
                        .map_err(|e| e.to_string())
                })
        });
        match attempt {
            Ok(Ok(env)) => return Ok(env),
            Ok(Err(e)) => errors.push(e),
            Err(_) => errors.push(format!("{}: opening it panicked", path.display())),
        }
        // `ort` keeps the first library it opened: trying another path cannot help.
        if errors.iter().any(|e| !e.contains("failed to load")) {
            break;
        }
    }
    Err(errors.join("; "))
}

/// The process's ONNX Runtime, opened on first use; `InvalidArgument` with a log line saying what
/// to install when it cannot be opened.
fn runtime() -> NnResult<&'static ort::environment::Environment> {
    match RUNTIME.get_or_init(open_runtime) {
        Ok(env) => Ok(env),
        Err(why) => {
            crate::log(&format!(
                "ONNX backend: ONNX Runtime 1.31 or later is not installed ({why}). Install it \
                 with scripts/nn-runtimes.sh (from the PyPI onnxruntime wheel) or set \
                 ORT_DYLIB_PATH to its libonnxruntime.so."
            ));
            Err(ErrNo::InvalidArgument)
        }
    }
}

fn runtime_error(what: &str, e: impl std::fmt::Display) -> ErrNo {
    crate::log(&format!("ONNX backend: {what}: {e}"));
    ErrNo::RuntimeError
}

struct OnnxGraph {
    session: Arc<Mutex<Session>>,
    inputs: usize,
    outputs: usize,
}

/// An input converted for ONNX Runtime.
enum Input {
    F32(Vec<i64>, Vec<f32>),
    U8(Vec<i64>, Vec<u8>),
    I32(Vec<i64>, Vec<i32>),
    F16(Vec<i64>, Vec<half::f16>),
}

struct OnnxContext {
    session: Arc<Mutex<Session>>,
    inputs: Vec<Option<Input>>,
    outputs: Vec<Vec<u8>>,
}

impl Backend for Onnx {
    fn load(&self, builders: &[Vec<u8>], target: Target) -> NnResult<Box<dyn Graph>> {
        let [model] = builders else {
            crate::log(&format!(
                "ONNX backend: Wrong GraphBuilder Length {}, expect 1.",
                builders.len()
            ));
            return Err(ErrNo::InvalidArgument);
        };
        if matches!(target, Target::Gpu | Target::Tpu) {
            crate::log(&format!(
                "ONNX backend: no {target:?} execution provider is available; use CPU."
            ));
            return Err(ErrNo::RuntimeError);
        }
        let env = runtime()?;
        let session = Session::builder(env)
            .and_then(|mut b| b.commit_from_memory(model))
            .map_err(|e| runtime_error("Model Load Exception", e))?;
        let (inputs, outputs) = (session.inputs().len(), session.outputs().len());
        Ok(Box::new(OnnxGraph {
            session: Arc::new(Mutex::new(session)),
            inputs,
            outputs,
        }))
    }
}

impl Graph for OnnxGraph {
    fn init_context(&self) -> NnResult<Box<dyn Context>> {
        Ok(Box::new(OnnxContext {
            session: Arc::clone(&self.session),
            inputs: (0..self.inputs).map(|_| None).collect(),
            outputs: vec![Vec::new(); self.outputs],
        }))
    }
}

/// The elements of `data`, `N` bytes each, little-endian.
fn elements<T, const N: usize>(data: &[u8], from: fn([u8; N]) -> T) -> Vec<T> {
    data.chunks_exact(N)
        .map(|c| {
            let mut b = [0; N];
            b.copy_from_slice(c);
            from(b)
        })
        .collect()
}

/// Checks the data's length against the dimensions and element size; returns the shape.
fn shape_of(tensor: &Tensor) -> NnResult<Vec<i64>> {
    let count = tensor
        .dims
        .iter()
        .try_fold(1u64, |n, &d| n.checked_mul(u64::from(d)));
    let bytes = count.and_then(|n| n.checked_mul(tensor.ty.size() as u64));
    if bytes != Some(tensor.data.len() as u64) {
        crate::log(&format!(
            "ONNX backend: the tensor's data has {} bytes, not what dimensions {:?} of {:?} need.",
            tensor.data.len(),
            tensor.dims,
            tensor.ty
        ));
        return Err(ErrNo::InvalidArgument);
    }
    Ok(tensor.dims.iter().map(|&d| i64::from(d)).collect())
}

fn lock(s: &Mutex<Session>) -> std::sync::MutexGuard<'_, Session> {
    s.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The elements of an output tensor as little-endian bytes.
fn output_bytes(value: &DynValue) -> NnResult<Vec<u8>> {
    fn bytes<T: ort::value::PrimitiveTensorElementType + std::fmt::Debug, const N: usize>(
        value: &DynValue,
        to: fn(&T) -> [u8; N],
    ) -> NnResult<Vec<u8>> {
        let (_, data) = value
            .try_extract_tensor::<T>()
            .map_err(|e| runtime_error("Get Output Exception", e))?;
        Ok(data.iter().flat_map(to).collect())
    }
    let ty = value
        .dtype()
        .tensor_type()
        .ok_or_else(|| runtime_error("Get Output Exception", "the output is not a tensor"))?;
    match ty {
        TensorElementType::Float16 => bytes::<half::f16, 2>(value, |v| v.to_le_bytes()),
        TensorElementType::Float32 => bytes::<f32, 4>(value, |v| v.to_le_bytes()),
        TensorElementType::Float64 => bytes::<f64, 8>(value, |v| v.to_le_bytes()),
        TensorElementType::Uint8 => bytes::<u8, 1>(value, |v| [*v]),
        TensorElementType::Int8 => bytes::<i8, 1>(value, |v| v.to_le_bytes()),
        TensorElementType::Uint16 => bytes::<u16, 2>(value, |v| v.to_le_bytes()),
        TensorElementType::Int16 => bytes::<i16, 2>(value, |v| v.to_le_bytes()),
        TensorElementType::Int32 => bytes::<i32, 4>(value, |v| v.to_le_bytes()),
        TensorElementType::Uint32 => bytes::<u32, 4>(value, |v| v.to_le_bytes()),
        TensorElementType::Int64 => bytes::<i64, 8>(value, |v| v.to_le_bytes()),
        TensorElementType::Uint64 => bytes::<u64, 8>(value, |v| v.to_le_bytes()),
        TensorElementType::Bool => bytes::<bool, 1>(value, |v| [u8::from(*v)]),
        other => {
            crate::log(&format!(
                "ONNX backend: outputs of type {other:?} are not supported."
            ));
            Err(ErrNo::UnsupportedOperation)
        }
    }
}

impl Context for OnnxContext {
    fn set_input(&mut self, index: u32, tensor: Tensor) -> NnResult<()> {
        let Some(slot) = self.inputs.get_mut(index as usize) else {
            crate::log(&format!(
                "ONNX backend: The input index {index} exceeds the inputs number {}.",
                self.inputs.len()
            ));
            return Err(ErrNo::InvalidArgument);
        };
        let shape = shape_of(&tensor)?;
        *slot = Some(match tensor.ty {
            TensorType::F32 => Input::F32(shape, elements(&tensor.data, f32::from_le_bytes)),
            TensorType::U8 => Input::U8(shape, tensor.data),
            TensorType::I32 => Input::I32(shape, elements(&tensor.data, i32::from_le_bytes)),
            TensorType::F16 => Input::F16(shape, elements(&tensor.data, half::f16::from_le_bytes)),
            other => {
                crate::log(&format!(
                    "ONNX backend: {other:?} inputs are not supported; use F16, F32, U8 or I32."
                ));
                return Err(ErrNo::InvalidArgument);
            }
        });
        Ok(())
    }

    fn compute(&mut self) -> NnResult<()> {
        let mut session = lock(&self.session);
        let names: Vec<String> = session
            .inputs()
            .iter()
            .map(|i| i.name().to_owned())
            .collect();
        let mut values: Vec<(Cow<'_, str>, SessionInputValue<'_>)> = Vec::new();
        for (name, input) in names.iter().zip(&self.inputs) {
            // Views of the context's buffers: no copy of the data.
            let value: SessionInputValue<'_> = match input {
                None => continue,
                Some(Input::F32(shape, data)) => {
                    TensorRef::from_array_view((shape.clone(), data.as_slice())).map(Into::into)
                }
                Some(Input::U8(shape, data)) => {
                    TensorRef::from_array_view((shape.clone(), data.as_slice())).map(Into::into)
                }
                Some(Input::I32(shape, data)) => {
                    TensorRef::from_array_view((shape.clone(), data.as_slice())).map(Into::into)
                }
                Some(Input::F16(shape, data)) => {
                    TensorRef::from_array_view((shape.clone(), data.as_slice())).map(Into::into)
                }
            }
            .map_err(|e| runtime_error("Set Input Exception", e))?;
            values.push((Cow::Owned(name.clone()), value));
        }
        let output_names: Vec<String> = session
            .outputs()
            .iter()
            .map(|o| o.name().to_owned())
            .collect();
        let outputs = session
            .run(values)
            .map_err(|e| runtime_error("Infer Request Exception", e))?;
        let mut results = Vec::with_capacity(output_names.len());
        for name in &output_names {
            let value = outputs
                .get(name)
                .ok_or_else(|| runtime_error("Infer Request Exception", "an output is missing"))?;
            results.push(output_bytes(value)?);
        }
        self.outputs = results;
        Ok(())
    }

    fn get_output(&mut self, index: u32) -> NnResult<Cow<'_, [u8]>> {
        let outputs = self.outputs.len();
        self.outputs
            .get(index as usize)
            .map(|o| Cow::Borrowed(o.as_slice()))
            .ok_or_else(|| {
                crate::log(&format!(
                    "ONNX backend: The output index {index} exceeds the outputs number {outputs}."
                ));
                ErrNo::InvalidArgument
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tensor(dims: &[u32], ty: TensorType, len: usize) -> Tensor {
        Tensor {
            dims: dims.to_vec(),
            ty,
            data: vec![0; len],
        }
    }

    #[test]
    fn data_length_must_match_the_dimensions() {
        assert_eq!(
            shape_of(&tensor(&[1, 4], TensorType::F32, 16)),
            Ok(vec![1, 4])
        );
        assert_eq!(
            shape_of(&tensor(&[2, 3], TensorType::U8, 6)),
            Ok(vec![2, 3])
        );
        assert_eq!(shape_of(&tensor(&[], TensorType::I32, 4)), Ok(vec![]));
        assert_eq!(
            shape_of(&tensor(&[1, 4], TensorType::F32, 12)),
            Err(ErrNo::InvalidArgument)
        );
        let huge = [u32::MAX, u32::MAX, u32::MAX];
        assert_eq!(
            shape_of(&tensor(&huge, TensorType::F32, 0)),
            Err(ErrNo::InvalidArgument)
        );
    }

    #[test]
    fn load_checks_its_arguments_before_opening_the_runtime() {
        let model = vec![b"m".to_vec()];
        let two = vec![b"m".to_vec(), b"{}".to_vec()];
        assert_eq!(
            Onnx.load(&[], Target::Cpu).err(),
            Some(ErrNo::InvalidArgument)
        );
        assert_eq!(
            Onnx.load(&two, Target::Cpu).err(),
            Some(ErrNo::InvalidArgument)
        );
        assert_eq!(
            Onnx.load(&model, Target::Gpu).err(),
            Some(ErrNo::RuntimeError)
        );
        assert_eq!(
            Onnx.load(&model, Target::Tpu).err(),
            Some(ErrNo::RuntimeError)
        );
    }

    #[test]
    fn elements_are_little_endian() {
        assert_eq!(
            elements(&[0, 0, 128, 63, 0, 0, 0, 64], f32::from_le_bytes),
            [1.0, 2.0]
        );
        assert_eq!(elements(&[255, 255, 255, 255], i32::from_le_bytes), [-1]);
    }
}
