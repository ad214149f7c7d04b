//! The wasi_nn plug-in's PyTorch backend (encoding 3): TorchScript models on libtorch 2.13
//! through the `tch` crate, built as `libwedge_nn_torch.so`, a backend library the plug-in opens
//! at run time (`plugins/wasi_nn/src/backend/pytorch.rs`) through the backend-library ABI
//! (`crates/nn-backend-abi`; [`abi`] implements it).
//!
//! This crate links libtorch, so it is a workspace of its own (`LIBTORCH` must name libtorch to
//! build it) and the main workspace never builds it: `scripts/nn/pytorch.sh` builds it and puts
//! the library next to libtorch (`~/.cache/wedge/nn/libtorch/lib/`, RUNPATH `$ORIGIN`).
//!
//! As WasmEdge 0.17.1's torch backend (`wasinn_torch.cpp`):
//!
//! - **load**: a TorchScript archive (exactly one builder:
//!   `Torch: Wrong GraphBuilder Length N, expect 1`). Target CPU runs on the CPU; GPU needs a
//!   CUDA device (`Torch: CUDA Unavailable. …`, `InvalidArgument`, when there is none); TPU and
//!   AUTO are `Torch: Unknown target device. …`, `InvalidArgument`. A model libtorch cannot read
//!   is `InvalidArgument` with `Torch: Failed when load the TorchScript model.`. An ELF file (an
//!   AOTInductor library) is refused as WasmEdge refuses one passed as bytes.
//! - **set_input**: F32 only (`Torch: Only F32 inputs and outputs are supported for now.`,
//!   `InvalidArgument`); any index is taken and the inputs grow to it (so the model is called
//!   with every input up to the largest index set), but only up to [`MAX_INPUTS`].
//! - **compute**: `InvalidArgument` when no input is set (`Torch: Input is not set!`) or one
//!   below the largest is not (`Torch: Input [i] is not set!`). The model's output must be a
//!   tensor, a list of tensors or a tuple of tensors; each becomes an output.
//! - **get_output**: output `index` (`Torch: The output index I exceeds the outputs number N.`),
//!   converted to F32, little-endian.
//!
//! Differences from WasmEdge, where it would crash or misbehave:
//!
//! - a refused target, a model libtorch cannot read and an AOTInductor file are errnos of
//!   `load` (WasmEdge logs the line but returns a graph without a model, which crashes later);
//! - data shorter or longer than the dimensions need is `InvalidArgument` (WasmEdge reads past
//!   it); an index above [`MAX_INPUTS`] is `InvalidArgument` (WasmEdge allocates for it);
//! - an exception of the model's forward is `RuntimeError` with libtorch's message (WasmEdge
//!   terminates); a tuple with an element that is not a tensor is `InvalidArgument` with the
//!   output line;
//! - each compute replaces the outputs (WasmEdge appends them to those of earlier computes,
//!   so its output 0 stays the first compute's).
//!
//! Log lines go to stderr as the plug-in's: `[WASI-NN] Torch: …`.

#![deny(unsafe_code)]

pub mod abi;

use std::sync::Arc;

use tch::{CModule, Cuda, Device, IValue, Kind};

/// The errnos this backend answers, as wasi-nn numbers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum ErrNo {
    /// 1: a bad argument, a model that does not load, a refused target.
    InvalidArgument = 1,
    /// 5: libtorch failed (an exception of the model's forward, say).
    RuntimeError = 5,
}

/// `Ok` or the errno the guest gets.
pub type TorchResult<T> = Result<T, ErrNo>;

/// The most inputs a context takes: `set_input` of a larger index is `InvalidArgument`.
pub const MAX_INPUTS: u32 = 1024;

/// wasi-nn's target numbers (the plug-in passes one of them to `load`).
pub mod target {
    /// CPU.
    pub const CPU: u32 = 0;
    /// GPU.
    pub const GPU: u32 = 1;
}

/// wasi-nn's number of the F32 tensor type, the only one this backend takes.
pub const TENSOR_F32: u32 = 1;

/// A loaded TorchScript model and the device it runs on.
pub struct TorchGraph {
    module: Arc<CModule>,
    device: Device,
}

/// One execution context: the inputs set and the outputs of the last compute.
pub struct TorchContext {
    module: Arc<CModule>,
    device: Device,
    inputs: Vec<Option<tch::Tensor>>,
    outputs: Vec<tch::Tensor>,
    /// The output last read, as F32 bytes, lent to the plug-in until the next call.
    lent: Vec<u8>,
}

/// Writes one log line to stderr, as the plug-in's `[WASI-NN] Torch: …` lines.
pub fn log(message: &str) {
    eprintln!("[WASI-NN] Torch: {message}");
}

/// The first line of a libtorch error (the rest is its C++ backtrace).
fn first_line(e: &tch::TchError) -> String {
    e.to_string().lines().next().unwrap_or_default().to_owned()
}

/// The device `target` runs on, as WasmEdge's `TorchScript::setDevice`.
fn device(target: u32) -> TorchResult<Device> {
    match target {
        target::CPU => Ok(Device::Cpu),
        target::GPU if Cuda::is_available() => Ok(Device::Cuda(0)),
        target::GPU => {
            log(
                "CUDA Unavailable. Please check if the installed Torch version or platform \
                 supports CUDA.",
            );
            Err(ErrNo::InvalidArgument)
        }
        _ => {
            log("Unknown target device. We currently support only CPU and GPU targets.");
            Err(ErrNo::InvalidArgument)
        }
    }
}

impl TorchGraph {
    /// Loads the TorchScript archive `model` for `target` (a wasi-nn target number).
    pub fn load(model: &[u8], target: u32) -> TorchResult<Self> {
        if model.starts_with(b"\x7fELF") {
            log(
                "AOTInductor can not load by binary data. Please pass the share library name \
                 (*.so) in nn-preload",
            );
            log("Wedge's PyTorch backend runs TorchScript models only.");
            return Err(ErrNo::InvalidArgument);
        }
        let device = device(target)?;
        let module = CModule::load_data_on_device(&mut &model[..], device).map_err(|e| {
            log("Failed when load the TorchScript model.");
            log(&first_line(&e));
            ErrNo::InvalidArgument
        })?;
        Ok(Self {
            module: Arc::new(module),
            device,
        })
    }

    /// A new execution context of this graph (it keeps the model alive).
    #[must_use]
    pub fn init_context(&self) -> TorchContext {
        TorchContext {
            module: Arc::clone(&self.module),
            device: self.device,
            inputs: Vec::new(),
            outputs: Vec::new(),
            lent: Vec::new(),
        }
    }
}

/// Checks the data's length against the dimensions (F32); returns the shape.
fn shape_of(dims: &[u32], data: &[u8]) -> TorchResult<Vec<i64>> {
    let count = dims
        .iter()
        .try_fold(1u64, |n, &d| n.checked_mul(u64::from(d)));
    if count.and_then(|n| n.checked_mul(4)) != Some(data.len() as u64) {
        log(&format!(
            "the tensor's data has {} bytes, not what dimensions {dims:?} of F32 need.",
            data.len(),
        ));
        return Err(ErrNo::InvalidArgument);
    }
    Ok(dims.iter().map(|&d| i64::from(d)).collect())
}

/// The model's result as outputs: a tensor, a list of tensors or a tuple of tensors.
fn outputs_of(result: IValue) -> TorchResult<Vec<tch::Tensor>> {
    let refuse = || {
        log(
            "The output can only be one of the following tensor types: a tensor, a list of \
             tensors, or a tuple of tensors.",
        );
        ErrNo::InvalidArgument
    };
    match result {
        IValue::Tensor(t) => Ok(vec![t]),
        IValue::TensorList(ts) => Ok(ts),
        IValue::Tuple(items) | IValue::GenericList(items) => items
            .into_iter()
            .map(|v| match v {
                IValue::Tensor(t) => Ok(t),
                _ => Err(refuse()),
            })
            .collect(),
        _ => Err(refuse()),
    }
}

impl TorchContext {
    /// Sets input `index` to a tensor of type `ty` (a wasi-nn tensor type number), dimensions
    /// `dims` and elements `data` (little-endian).
    pub fn set_input(&mut self, index: u32, dims: &[u32], ty: u32, data: &[u8]) -> TorchResult<()> {
        if index >= MAX_INPUTS {
            log(&format!(
                "The input index {index} exceeds the inputs Wedge takes ({MAX_INPUTS})."
            ));
            return Err(ErrNo::InvalidArgument);
        }
        // As WasmEdge: the inputs grow to the index before the type is checked.
        let slot = index as usize;
        if slot >= self.inputs.len() {
            self.inputs.resize_with(slot + 1, || None);
        }
        if ty != TENSOR_F32 {
            log("Only F32 inputs and outputs are supported for now.");
            return Err(ErrNo::InvalidArgument);
        }
        let shape = shape_of(dims, data)?;
        // One copy, from the guest's bytes into the tensor (x86-64 and aarch64 are
        // little-endian, as the guest's data).
        let input = tch::Tensor::f_from_data_size(data, &shape, Kind::Float)
            .and_then(|t| t.f_to_device(self.device))
            .map_err(|e| {
                log(&format!("Set Input Exception: {}", first_line(&e)));
                ErrNo::RuntimeError
            })?;
        self.inputs[slot] = Some(input);
        Ok(())
    }

    /// Runs the model on the inputs set; its outputs replace those of the last compute.
    pub fn compute(&mut self) -> TorchResult<()> {
        if self.inputs.is_empty() {
            log("Input is not set!");
            return Err(ErrNo::InvalidArgument);
        }
        let mut args = Vec::with_capacity(self.inputs.len());
        for (i, input) in self.inputs.iter().enumerate() {
            let Some(t) = input else {
                log(&format!("Input [{i}] is not set!"));
                return Err(ErrNo::InvalidArgument);
            };
            args.push(IValue::Tensor(t.shallow_clone()));
        }
        let result = tch::no_grad(|| self.module.forward_is(&args)).map_err(|e| {
            log(&format!("Infer Request Exception: {}", first_line(&e)));
            ErrNo::RuntimeError
        })?;
        self.outputs = outputs_of(result)?;
        Ok(())
    }

    fn output(&self, index: u32) -> TorchResult<&tch::Tensor> {
        self.outputs.get(index as usize).ok_or_else(|| {
            log(&format!(
                "The output index {index} exceeds the outputs number {}.",
                self.outputs.len()
            ));
            ErrNo::InvalidArgument
        })
    }

    /// The length in bytes of output `index` as F32.
    pub fn output_len(&self, index: u32) -> TorchResult<usize> {
        Ok(self.output(index)?.numel() * 4)
    }

    /// Copies output `index`, converted to F32 (little-endian), into `buf`, whose length must be
    /// [`output_len`](Self::output_len)'s.
    pub fn copy_output(&self, index: u32, buf: &mut [u8]) -> TorchResult<()> {
        let out = self.output(index)?;
        let fail = |e: tch::TchError| {
            log(&format!("Get Output Exception: {}", first_line(&e)));
            ErrNo::RuntimeError
        };
        let out = out
            .f_to_device(Device::Cpu)
            .and_then(|t| t.f_to_kind(Kind::Float))
            .map_err(fail)?;
        let numel = out.numel();
        if buf.len() != numel * 4 {
            log(&format!(
                "Get Output Exception: the buffer has {} bytes, the output {}.",
                buf.len(),
                numel * 4
            ));
            return Err(ErrNo::InvalidArgument);
        }
        out.f_copy_data_u8(buf, numel).map_err(fail)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
