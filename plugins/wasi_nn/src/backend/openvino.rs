//! The OpenVINO backend (encoding 0) and the TensorFlow Lite backend (encoding 4), both on
//! OpenVINO through [`wedge_nn_openvino`], which opens the runtime at first use (from
//! `$WEDGE_OPENVINO_LIB`, the cache `scripts/nn-runtimes.sh` fills from the PyPI `openvino`
//! wheel, or the system path). When it cannot be opened, `load` answers `InvalidArgument`
//! (WasmEdge's answer for a backend it does not have) with a log line saying what to install.
//!
//! Errnos and log lines are those of WasmEdge 0.17.1's `wasinn_openvino.cpp` and
//! `wasinn_tfl.cpp` wherever they have one.
//!
//! # OpenVINO (encoding 0)
//!
//! - **load**: exactly two builders, the IR's `.xml` and its `.bin` weights (`Wrong GraphBuilder
//!   Length N, expect 2`, `InvalidArgument`); a model OpenVINO cannot read is `RuntimeError`
//!   (`Model Load Exception: …`).
//! - **set_input**: at most 8 dimensions, F32 only (`Only F32 inputs and outputs are supported
//!   for now.`), an index below the model's input count, all `InvalidArgument` as WasmEdge; the
//!   data's length must fit the dimensions (`InvalidArgument`; WasmEdge reads past the data).
//!   As in WasmEdge, the model is compiled for the graph's target at the first `set_input`:
//!   CPU and AUTO run on OpenVINO's CPU (with the f32 precision hint), GPU on its GPU, and a GPU
//!   OpenVINO does not find fails there with `RuntimeError` (`Set Input Exception: …`); TPU is
//!   `InvalidArgument` (`Unsupported device type`). Unlike WasmEdge, which makes a new infer
//!   request at every `set_input` (so that setting input 1 forgets input 0), the model is
//!   compiled once per graph and each context keeps one request.
//! - **compute**: `RuntimeError` (`Infer Request Exception: …`) when OpenVINO fails (a shape or
//!   an input the model cannot take, no input set).
//! - **get_output**: the output's bytes; an index past the outputs is `InvalidArgument` (`The
//!   output index I exceeds the outputs number N.`).
//!
//! # TensorFlow Lite (encoding 4)
//!
//! No classic TensorFlow Lite C library (`TfLiteInterpreterCreate`…) is published in the
//! registries Wedge builds from (not in `tensorflow-cpu`, `tflite-runtime` or `ai-edge-litert`),
//! so the `.tflite` model runs through OpenVINO's TensorFlow Lite frontend, compiled for the CPU
//! with the f32 hint. Results match TFLite's own within float rounding; operators OpenVINO's
//! frontend does not convert fail at `load`.
//!
//! - **load**: CPU only (`TensorflowLite Only support CPU target.`, `InvalidArgument`), exactly
//!   one builder, the `.tflite` bytes (`Wrong GraphBuilder Length N, expect 1`); a model that
//!   does not import is `InvalidArgument` (`Cannot import TFLite model`), as WasmEdge.
//! - **set_input**: checked against the model's input as TFLite's interpreter does (`Invalid
//!   index id …`, `Expect tensor byte size …`, `… number of dimensions …`, `… dimension[i] …`,
//!   `Expect tensor type …`), each `InvalidArgument`.
//! - **compute**: `Busy` (`Invocation failed.`) when the inference fails, as WasmEdge.
//! - **get_output**: an index past the outputs is `InvalidArgument`.
//!
//! # Cost
//!
//! `scripts/nn/openvino.sh --bench`: onnx.sh's `bench.onnx` as IR (4 layers of [256, 1024] @
//! [1024, 1024] and relu, 2 GFLOP), release build, on the shared 2-core machine (load 2–4, so
//! ±30%):
//! set_input + compute + get_output through a guest took 60–96 ms a run (63 and 78 in the
//! quietest runs), OpenVINO's Python API on the same runtime, threads and f32 hint 65–101 ms
//! (65 and 70): no difference above the noise. First call through the guest: `load` (opening
//! the runtime, reading the 16 MB IR) 57–113 ms, then the first set_input + compute +
//! get_output (compiling, first inference) 197–383 ms; in Python, after an 850–900 ms
//! `import openvino`, core + read 36–116 ms and compile + first inference 440–770 ms.

use std::borrow::Cow;
use std::sync::{Arc, Mutex, PoisonError};

use wedge_nn_openvino::{self as ov, CompiledModel, Device, ElementType, InferRequest};

use super::{Backend, Context, Graph, Tensor};
use crate::types::{ErrNo, NnResult, Target, TensorType};

/// The OpenVINO backend (IR models).
pub struct OpenVino;

/// The TensorFlow Lite backend, on OpenVINO's TFLite frontend.
pub struct TensorflowLite;

/// The process's OpenVINO; `InvalidArgument` and a log line saying what to install when absent.
fn runtime(backend: &str) -> NnResult<&'static ov::Runtime> {
    ov::runtime().map_err(|e| {
        crate::log(&format!("{backend} backend: {e}"));
        ErrNo::InvalidArgument
    })
}

/// The OpenVINO element type of a wasi-nn tensor type.
fn element_type(ty: TensorType) -> ElementType {
    match ty {
        TensorType::F16 => ElementType::F16,
        TensorType::F32 => ElementType::F32,
        TensorType::F64 => ElementType::F64,
        TensorType::U8 => ElementType::U8,
        TensorType::I32 => ElementType::I32,
        TensorType::I64 => ElementType::I64,
    }
}

/// The wasi-nn type of an OpenVINO element type, where TFLite's interpreter has one.
fn tensor_type(ty: ElementType) -> Option<TensorType> {
    Some(match ty {
        ElementType::U8 => TensorType::U8,
        ElementType::F16 => TensorType::F16,
        ElementType::F32 => TensorType::F32,
        ElementType::I32 => TensorType::I32,
        _ => return None,
    })
}

/// Checks the data's length against the dimensions and element size.
fn check_length(tensor: &Tensor) -> NnResult<Vec<u64>> {
    let dims: Vec<u64> = tensor.dims.iter().map(|&d| u64::from(d)).collect();
    let bytes = dims
        .iter()
        .try_fold(tensor.ty.size() as u64, |n, &d| n.checked_mul(d));
    if bytes != Some(tensor.data.len() as u64) {
        crate::log(&format!(
            "OpenVINO backend: the tensor's data has {} bytes, not what dimensions {:?} of {:?} \
             need.",
            tensor.data.len(),
            tensor.dims,
            tensor.ty
        ));
        return Err(ErrNo::InvalidArgument);
    }
    Ok(dims)
}

// ---- OpenVINO IR ----

/// An IR graph: the model, and its compiled form once a `set_input` has made it.
struct IrGraph {
    model: ov::Model,
    target: Target,
    compiled: Mutex<Option<Arc<CompiledModel>>>,
}

struct IrContext {
    graph: Arc<IrGraph>,
    request: Option<InferRequest>,
}

impl Backend for OpenVino {
    fn load(&self, builders: &[Vec<u8>], target: Target) -> NnResult<Box<dyn Graph>> {
        let [xml, weights] = builders else {
            crate::log(&format!(
                "Wrong GraphBuilder Length {}, expect 2",
                builders.len()
            ));
            return Err(ErrNo::InvalidArgument);
        };
        let model = runtime("OpenVINO")?.read_ir(xml, weights).map_err(|e| {
            crate::log(&format!("Model Load Exception: {e}"));
            ErrNo::RuntimeError
        })?;
        Ok(Box::new(Arc::new(IrGraph {
            model,
            target,
            compiled: Mutex::new(None),
        })))
    }
}

impl Graph for Arc<IrGraph> {
    fn init_context(&self) -> NnResult<Box<dyn Context>> {
        Ok(Box::new(IrContext {
            graph: Arc::clone(self),
            request: None,
        }))
    }
}

impl IrGraph {
    /// The compiled model, compiled for the graph's target at the first call.
    fn compiled(&self) -> NnResult<Arc<CompiledModel>> {
        let mut slot = self.compiled.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(c) = &*slot {
            return Ok(Arc::clone(c));
        }
        let device = match self.target {
            Target::Cpu | Target::Auto => Device::Cpu,
            Target::Gpu => Device::Gpu,
            Target::Tpu => {
                crate::log("Unsupported device type");
                return Err(ErrNo::InvalidArgument);
            }
        };
        let compiled = runtime("OpenVINO")?
            .compile(&self.model, device)
            .map_err(|e| set_input_exception(&e))?;
        Ok(Arc::clone(slot.insert(Arc::new(compiled))))
    }
}

fn set_input_exception(e: &ov::Error) -> ErrNo {
    crate::log(&format!("Set Input Exception: {e}"));
    ErrNo::RuntimeError
}

impl Context for IrContext {
    fn set_input(&mut self, index: u32, tensor: Tensor) -> NnResult<()> {
        if tensor.dims.len() > 8 {
            crate::log(&format!(
                "Tensor dimension is out of range, expect it under 8-dim, but got {}-dim.",
                tensor.dims.len()
            ));
            return Err(ErrNo::InvalidArgument);
        }
        if tensor.ty != TensorType::F32 {
            crate::log("Only F32 inputs and outputs are supported for now.");
            return Err(ErrNo::InvalidArgument);
        }
        let inputs = self.graph.model.inputs().len();
        if index as usize >= inputs {
            crate::log(&format!(
                "The input index {index} exceeds the inputs number {inputs}."
            ));
            return Err(ErrNo::InvalidArgument);
        }
        let dims = check_length(&tensor)?;
        if self.request.is_none() {
            let compiled = self.graph.compiled()?;
            self.request = Some(
                compiled
                    .infer_request()
                    .map_err(|e| set_input_exception(&e))?,
            );
        }
        let Some(request) = self.request.as_mut() else {
            return Err(ErrNo::RuntimeError);
        };
        request
            .set_input(index as usize, element_type(tensor.ty), &dims, &tensor.data)
            .map_err(|e| set_input_exception(&e))
    }

    fn compute(&mut self) -> NnResult<()> {
        let Some(request) = self.request.as_mut() else {
            crate::log("Infer Request Exception: no input is set.");
            return Err(ErrNo::RuntimeError);
        };
        request.infer().map_err(|e| {
            crate::log(&format!("Infer Request Exception: {e}"));
            ErrNo::RuntimeError
        })
    }

    fn get_output(&mut self, index: u32) -> NnResult<Cow<'_, [u8]>> {
        let outputs = self.graph.model.outputs().len();
        if index as usize >= outputs {
            crate::log(&format!(
                "The output index {index} exceeds the outputs number {outputs}."
            ));
            return Err(ErrNo::InvalidArgument);
        }
        let Some(request) = self.request.as_ref() else {
            crate::log("Get Output Exception: no input is set and nothing was computed.");
            return Err(ErrNo::RuntimeError);
        };
        request
            .output(index as usize)
            .map(|t| Cow::Owned(t.data))
            .map_err(|e| {
                crate::log(&format!("Get Output Exception: {e}"));
                ErrNo::RuntimeError
            })
    }
}

// ---- TensorFlow Lite ----

struct TfliteGraph {
    compiled: Arc<CompiledModel>,
}

struct TfliteContext {
    request: InferRequest,
}

impl Backend for TensorflowLite {
    fn load(&self, builders: &[Vec<u8>], target: Target) -> NnResult<Box<dyn Graph>> {
        if target != Target::Cpu {
            crate::log("TensorflowLite Only support CPU target.");
            return Err(ErrNo::InvalidArgument);
        }
        let [model] = builders else {
            crate::log(&format!(
                "Wrong GraphBuilder Length {}, expect 1",
                builders.len()
            ));
            return Err(ErrNo::InvalidArgument);
        };
        let rt = runtime("TensorflowLite")?;
        let compiled = rt
            .read_tflite(model)
            .and_then(|m| rt.compile(&m, Device::Cpu))
            .map_err(|e| {
                crate::log(&format!("Cannot import TFLite model: {e}"));
                ErrNo::InvalidArgument
            })?;
        Ok(Box::new(TfliteGraph {
            compiled: Arc::new(compiled),
        }))
    }
}

impl Graph for TfliteGraph {
    fn init_context(&self) -> NnResult<Box<dyn Context>> {
        let request = self.compiled.infer_request().map_err(|e| {
            crate::log(&format!("Cannot create TFLite interpreter: {e}"));
            ErrNo::Busy
        })?;
        Ok(Box::new(TfliteContext { request }))
    }
}

impl Context for TfliteContext {
    fn set_input(&mut self, index: u32, tensor: Tensor) -> NnResult<()> {
        let inputs = self.request.inputs();
        let Some(port) = inputs.get(index as usize) else {
            crate::log(&format!(
                "Invalid index id {index} for the input, only {} inputs are allowed",
                inputs.len()
            ));
            return Err(ErrNo::InvalidArgument);
        };
        if let Some(bytes) = port.byte_size()
            && bytes != tensor.data.len() as u64
        {
            crate::log(&format!(
                "Expect tensor byte size {bytes}, but got {}",
                tensor.data.len()
            ));
            return Err(ErrNo::InvalidArgument);
        }
        if let Some(shape) = &port.shape {
            if shape.len() != tensor.dims.len() {
                crate::log(&format!(
                    "Expect tensor number of dimensions {}, but got {}",
                    shape.len(),
                    tensor.dims.len()
                ));
                return Err(ErrNo::InvalidArgument);
            }
            for (i, (want, &got)) in shape.iter().zip(&tensor.dims).enumerate() {
                if let Some(want) = *want
                    && want != u64::from(got)
                {
                    crate::log(&format!(
                        "Expect tensor dimension[{i}] = {want}, but got {got}"
                    ));
                    return Err(ErrNo::InvalidArgument);
                }
            }
        }
        let Some(ty) = tensor_type(port.element_type) else {
            crate::log(&format!("Unsupported TFLite type: {}", port.element_type));
            return Err(ErrNo::InvalidArgument);
        };
        if ty != tensor.ty {
            crate::log(&format!(
                "Expect tensor type {ty:?}, but got {:?}",
                tensor.ty
            ));
            return Err(ErrNo::InvalidArgument);
        }
        let dims = check_length(&tensor)?;
        self.request
            .set_input(index as usize, element_type(ty), &dims, &tensor.data)
            .map_err(|e| {
                crate::log(&format!("Copy tensor memory failed: {e}"));
                ErrNo::Busy
            })
    }

    fn compute(&mut self) -> NnResult<()> {
        self.request.infer().map_err(|e| {
            crate::log(&format!("Invocation failed. {e}"));
            ErrNo::Busy
        })
    }

    fn get_output(&mut self, index: u32) -> NnResult<Cow<'_, [u8]>> {
        let outputs = self.request.outputs().len();
        if index as usize >= outputs {
            crate::log(&format!(
                "Invalid index id {index} for the input, only {outputs} outputs are allowed"
            ));
            return Err(ErrNo::InvalidArgument);
        }
        self.request
            .output(index as usize)
            .map(|t| Cow::Owned(t.data))
            .map_err(|e| {
                crate::log(&format!("TensorflowLite backend: {e}"));
                ErrNo::RuntimeError
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn load_checks_its_arguments_before_opening_the_runtime() {
        let one = vec![b"m".to_vec()];
        let three = vec![b"m".to_vec(), b"w".to_vec(), b"{}".to_vec()];
        assert_eq!(
            OpenVino.load(&one, Target::Cpu).err(),
            Some(ErrNo::InvalidArgument)
        );
        assert_eq!(
            OpenVino.load(&three, Target::Cpu).err(),
            Some(ErrNo::InvalidArgument)
        );
        for target in [Target::Gpu, Target::Tpu, Target::Auto] {
            assert_eq!(
                TensorflowLite.load(&one, target).err(),
                Some(ErrNo::InvalidArgument)
            );
        }
        assert_eq!(
            TensorflowLite.load(&three, Target::Cpu).err(),
            Some(ErrNo::InvalidArgument)
        );
    }

    #[test]
    fn data_length_must_match_the_dimensions() {
        let t = |dims: &[u32], len| Tensor {
            dims: dims.to_vec(),
            ty: TensorType::F32,
            data: vec![0; len],
        };
        assert_eq!(check_length(&t(&[1, 4], 16)), Ok(vec![1, 4]));
        assert_eq!(check_length(&t(&[1, 4], 12)), Err(ErrNo::InvalidArgument));
        assert_eq!(
            check_length(&t(&[u32::MAX; 4], 0)),
            Err(ErrNo::InvalidArgument)
        );
    }

    #[test]
    fn tflite_types_are_those_of_its_interpreter() {
        assert_eq!(tensor_type(ElementType::F32), Some(TensorType::F32));
        assert_eq!(tensor_type(ElementType::U8), Some(TensorType::U8));
        assert_eq!(tensor_type(ElementType::I64), None);
        assert_eq!(element_type(TensorType::I32), ElementType::I32);
    }
}
