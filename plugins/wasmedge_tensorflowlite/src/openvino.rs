//! The [`Interpreter`] on OpenVINO's TensorFlow Lite frontend (`wedge-nn-openvino`): the model
//! is read and compiled for the CPU when the session is created, and one infer request holds
//! its tensors, as a TFLite interpreter does.

use wedge_nn_openvino::{CompiledModel, Device, ErrorKind, InferRequest, Port};

use crate::session::Interpreter;
use crate::{ErrNo, log};

/// A compiled `.tflite` model and its infer request.
struct OpenVinoInterpreter {
    request: InferRequest,
    /// Kept for as long as the request runs on it.
    _compiled: CompiledModel,
}

/// Builds an interpreter: `RuntimeError` when OpenVINO is not installed, `InvalidArgument`
/// ("Cannot import TFLite model.") for bytes its frontend cannot read, `Busy` when the model
/// does not compile or has an input of dynamic shape.
pub fn create(model: &[u8]) -> Result<Box<dyn Interpreter>, ErrNo> {
    let runtime = wedge_nn_openvino::runtime().map_err(|e| {
        log(&format!(
            "The TensorFlow Lite runtime (OpenVINO) is not available: {e}"
        ));
        ErrNo::RuntimeError
    })?;
    // A TFLite flatbuffer carries the file identifier "TFL3" at offset 4; other bytes would be
    // tried by every OpenVINO frontend in turn.
    if model.get(4..8) != Some(b"TFL3".as_slice()) {
        log(
            "Cannot import TFLite model: the bytes are not a TFLite flatbuffer (no TFL3 identifier).",
        );
        return Err(ErrNo::InvalidArgument);
    }
    let model = runtime.read_tflite(model).map_err(|e| {
        log(&format!("Cannot import TFLite model: {e}"));
        ErrNo::InvalidArgument
    })?;
    let busy = |e: wedge_nn_openvino::Error| {
        log(&format!("Cannot create TFLite interpreter: {e}"));
        ErrNo::Busy
    };
    let compiled = runtime.compile(&model, Device::Cpu).map_err(busy)?;
    if let Some(p) = compiled.inputs().iter().find(|p| p.byte_size().is_none()) {
        log(&format!(
            "Cannot allocate tensors: input {} has no static shape.",
            p.name
        ));
        return Err(ErrNo::Busy);
    }
    let request = compiled.infer_request().map_err(busy)?;
    Ok(Box::new(OpenVinoInterpreter {
        request,
        _compiled: compiled,
    }))
}

fn size(port: &Port) -> usize {
    port.byte_size()
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(0)
}

impl Interpreter for OpenVinoInterpreter {
    fn input_count(&self) -> usize {
        self.request.inputs().len()
    }
    fn input_name(&self, index: usize) -> &str {
        &self.request.inputs()[index].name
    }
    fn input_byte_size(&self, index: usize) -> usize {
        size(&self.request.inputs()[index])
    }
    fn set_input(&mut self, index: usize, data: &[u8]) -> Result<(), String> {
        self.request
            .set_input_bytes(index, data)
            .map_err(|e| e.to_string())
    }
    fn invoke(&mut self) -> Result<(), String> {
        self.request.infer().map_err(|e| e.to_string())
    }
    fn output_count(&self) -> usize {
        self.request.outputs().len()
    }
    fn output_name(&self, index: usize) -> &str {
        &self.request.outputs()[index].name
    }
    fn output_byte_size(&self, index: usize) -> usize {
        match self.request.outputs()[index].byte_size() {
            Some(n) => usize::try_from(n).unwrap_or(0),
            // A dynamic output: the size of the last result.
            None => self.request.output(index).map_or(0, |t| t.data.len()),
        }
    }
    fn output_data(&self, index: usize) -> Result<Vec<u8>, String> {
        match self.request.output(index) {
            Ok(t) => Ok(t.data),
            Err(e) if matches!(e.kind(), ErrorKind::NoSuchPort { .. }) => {
                Err(format!("no output {index}"))
            }
            Err(e) => Err(e.to_string()),
        }
    }
}
