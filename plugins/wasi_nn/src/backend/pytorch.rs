//! The PyTorch backend (encoding 3): TorchScript models on libtorch 2.13 through the `tch` crate.
//!
//! Only in the plug-in built with the `pytorch` feature (`scripts/nn/pytorch.sh` builds it,
//! linked with the libtorch of the PyPI `torch` 2.13.0 wheel; run it with that libtorch in
//! `LD_LIBRARY_PATH`). The default build answers encoding 3 as WasmEdge's plug-in built without
//! its PyTorch backend, and its log line says how to get this one.
//!
//! As WasmEdge 0.17.1's torch backend (`wasinn_torch.cpp`):
//!
//! - **load**: exactly one builder, a TorchScript archive (`Torch: Wrong GraphBuilder Length N,
//!   expect 1`). Target CPU runs on the CPU; GPU needs a CUDA device (`Torch: CUDA Unavailable.
//!   …`, `InvalidArgument`, when there is none); TPU and AUTO are `Torch: Unknown target
//!   device. …`, `InvalidArgument`. A model libtorch cannot read is `InvalidArgument` with
//!   `Torch: Failed when load the TorchScript model.`. An ELF file (an AOTInductor library) is
//!   refused as WasmEdge refuses one passed as bytes.
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
//! Cost (`scripts/nn/pytorch.sh --bench`: bench.pt, 4 x [256, 1024] @ [1024, 1024] + relu, on the
//! shared 2-core machine at load ~1, three interleaved runs of 30): a run through a guest
//! (set_input + compute + get_output) 29-35 ms vs libtorch called natively through tch 27-35 ms
//! with libtorch's default 2 threads, 42-48 ms vs 39-44 ms with `OMP_NUM_THREADS=1`; the first
//! call, load (reading the 16 MB model into the guest and libtorch's deserialization) 131-165 ms
//! plus a first run of 48-70 ms, vs 188-233 ms natively for load and first run. Per run the
//! backend copies the input once into its tensor and the output once out of it.

use std::sync::Arc;

use tch::{CModule, Cuda, Device, IValue, Kind};

use super::{Backend, Context, Graph, Tensor};
use crate::types::{ErrNo, NnResult, Target, TensorType};

/// The most inputs a context takes: `set_input` of a larger index is `InvalidArgument`.
pub const MAX_INPUTS: u32 = 1024;

/// The PyTorch backend.
pub struct PyTorch;

struct TorchGraph {
    module: Arc<CModule>,
    device: Device,
}

struct TorchContext {
    module: Arc<CModule>,
    device: Device,
    inputs: Vec<Option<tch::Tensor>>,
    outputs: Vec<tch::Tensor>,
}

fn log(message: &str) {
    crate::log(&format!("Torch: {message}"));
}

/// The first line of a libtorch error (the rest is its C++ backtrace).
fn first_line(e: &tch::TchError) -> String {
    e.to_string().lines().next().unwrap_or_default().to_owned()
}

/// The device `target` runs on, as WasmEdge's `TorchScript::setDevice`.
fn device(target: Target) -> NnResult<Device> {
    match target {
        Target::Cpu => Ok(Device::Cpu),
        Target::Gpu if Cuda::is_available() => Ok(Device::Cuda(0)),
        Target::Gpu => {
            log(
                "CUDA Unavailable. Please check if the installed Torch version or platform \
                 supports CUDA.",
            );
            Err(ErrNo::InvalidArgument)
        }
        Target::Tpu | Target::Auto => {
            log("Unknown target device. We currently support only CPU and GPU targets.");
            Err(ErrNo::InvalidArgument)
        }
    }
}

impl Backend for PyTorch {
    fn load(&self, builders: &[Vec<u8>], target: Target) -> NnResult<Box<dyn Graph>> {
        let [model] = builders else {
            log(&format!(
                "Wrong GraphBuilder Length {}, expect 1",
                builders.len()
            ));
            return Err(ErrNo::InvalidArgument);
        };
        if model.starts_with(b"\x7fELF") {
            log(
                "AOTInductor can not load by binary data. Please pass the share library name \
                 (*.so) in nn-preload",
            );
            crate::log("Torch: Wedge's PyTorch backend runs TorchScript models only.");
            return Err(ErrNo::InvalidArgument);
        }
        let device = device(target)?;
        let module = CModule::load_data_on_device(&mut model.as_slice(), device).map_err(|e| {
            log("Failed when load the TorchScript model.");
            log(&first_line(&e));
            ErrNo::InvalidArgument
        })?;
        Ok(Box::new(TorchGraph {
            module: Arc::new(module),
            device,
        }))
    }
}

impl Graph for TorchGraph {
    fn init_context(&self) -> NnResult<Box<dyn Context>> {
        Ok(Box::new(TorchContext {
            module: Arc::clone(&self.module),
            device: self.device,
            inputs: Vec::new(),
            outputs: Vec::new(),
        }))
    }
}

/// Checks the data's length against the dimensions (F32); returns the shape.
fn shape_of(tensor: &Tensor) -> NnResult<Vec<i64>> {
    let count = tensor
        .dims
        .iter()
        .try_fold(1u64, |n, &d| n.checked_mul(u64::from(d)));
    if count.and_then(|n| n.checked_mul(4)) != Some(tensor.data.len() as u64) {
        log(&format!(
            "the tensor's data has {} bytes, not what dimensions {:?} of F32 need.",
            tensor.data.len(),
            tensor.dims
        ));
        return Err(ErrNo::InvalidArgument);
    }
    Ok(tensor.dims.iter().map(|&d| i64::from(d)).collect())
}

/// The model's result as outputs: a tensor, a list of tensors or a tuple of tensors.
fn outputs_of(result: IValue) -> NnResult<Vec<tch::Tensor>> {
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

impl Context for TorchContext {
    fn set_input(&mut self, index: u32, tensor: Tensor) -> NnResult<()> {
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
        if tensor.ty != TensorType::F32 {
            log("Only F32 inputs and outputs are supported for now.");
            return Err(ErrNo::InvalidArgument);
        }
        let shape = shape_of(&tensor)?;
        // One copy, from the guest's bytes into the tensor (x86-64 and aarch64 are
        // little-endian, as the guest's data).
        let input = tch::Tensor::f_from_data_size(&tensor.data, &shape, Kind::Float)
            .and_then(|t| t.f_to_device(self.device))
            .map_err(|e| {
                log(&format!("Set Input Exception: {}", first_line(&e)));
                ErrNo::RuntimeError
            })?;
        self.inputs[slot] = Some(input);
        Ok(())
    }

    fn compute(&mut self) -> NnResult<()> {
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

    fn get_output(&mut self, index: u32) -> NnResult<Vec<u8>> {
        let Some(out) = self.outputs.get(index as usize) else {
            log(&format!(
                "The output index {index} exceeds the outputs number {}.",
                self.outputs.len()
            ));
            return Err(ErrNo::InvalidArgument);
        };
        let fail = |e: tch::TchError| {
            log(&format!("Get Output Exception: {}", first_line(&e)));
            ErrNo::RuntimeError
        };
        let out = out
            .f_to_device(Device::Cpu)
            .and_then(|t| t.f_to_kind(Kind::Float))
            .map_err(fail)?;
        let numel = out.numel();
        let mut bytes = vec![0; numel * 4];
        out.f_copy_data_u8(&mut bytes, numel).map_err(fail)?;
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tensor(dims: &[u32], len: usize) -> Tensor {
        Tensor {
            dims: dims.to_vec(),
            ty: TensorType::F32,
            data: vec![0; len],
        }
    }

    #[test]
    fn data_length_must_match_the_dimensions() {
        assert_eq!(shape_of(&tensor(&[1, 4], 16)), Ok(vec![1, 4]));
        assert_eq!(shape_of(&tensor(&[], 4)), Ok(vec![]));
        assert_eq!(shape_of(&tensor(&[1, 4], 12)), Err(ErrNo::InvalidArgument));
        let huge = [u32::MAX, u32::MAX, u32::MAX];
        assert_eq!(shape_of(&tensor(&huge, 0)), Err(ErrNo::InvalidArgument));
    }

    #[test]
    fn load_refuses_bad_builders_and_targets() {
        let model = vec![b"m".to_vec()];
        let err = |b: &[Vec<u8>], t| PyTorch.load(b, t).err();
        assert_eq!(err(&[], Target::Cpu), Some(ErrNo::InvalidArgument));
        assert_eq!(
            err(&[b"a".to_vec(), b"b".to_vec()], Target::Cpu),
            Some(ErrNo::InvalidArgument)
        );
        assert_eq!(err(&model, Target::Tpu), Some(ErrNo::InvalidArgument));
        assert_eq!(err(&model, Target::Auto), Some(ErrNo::InvalidArgument));
        assert_eq!(err(&model, Target::Cpu), Some(ErrNo::InvalidArgument));
        assert_eq!(
            err(&[b"\x7fELF\x02\x01".to_vec()], Target::Cpu),
            Some(ErrNo::InvalidArgument)
        );
    }

    /// A traced y = x * 2 + 1, saved and loaded back as bytes.
    fn affine() -> Box<dyn Graph> {
        let x = tch::Tensor::from_slice(&[0f32; 3]);
        let traced =
            CModule::create_by_tracing("m", "forward", &[x], &mut |xs| vec![&xs[0] * 2.0 + 1.0])
                .unwrap();
        let dir = std::env::temp_dir().join(format!("wedge-torch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("affine.pt");
        traced.save(&path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        PyTorch.load(&[bytes], Target::Cpu).unwrap()
    }

    fn f32_bytes(v: &[f32]) -> Vec<u8> {
        v.iter().flat_map(|x| x.to_le_bytes()).collect()
    }

    #[test]
    fn a_traced_model_runs_and_bad_calls_are_errnos() {
        let graph = affine();
        let mut ctx = graph.init_context().unwrap();
        assert_eq!(ctx.compute(), Err(ErrNo::InvalidArgument));
        let input = |data: &[f32], ty| Tensor {
            dims: vec![3],
            ty,
            data: f32_bytes(data),
        };
        ctx.set_input(0, input(&[1.0, -2.0, 0.5], TensorType::F32))
            .unwrap();
        ctx.compute().unwrap();
        assert_eq!(ctx.get_output(0), Ok(f32_bytes(&[3.0, -3.0, 2.0])));
        assert_eq!(ctx.get_output(1), Err(ErrNo::InvalidArgument));
        // The inputs grow to index 2, even when its type is refused; compute then misses input 1.
        assert_eq!(
            ctx.set_input(2, input(&[1.0, 1.0, 1.0], TensorType::I32)),
            Err(ErrNo::InvalidArgument)
        );
        assert_eq!(ctx.compute(), Err(ErrNo::InvalidArgument));
        assert_eq!(
            ctx.set_input(MAX_INPUTS, input(&[0.0; 3], TensorType::F32)),
            Err(ErrNo::InvalidArgument)
        );
        // Three inputs for a model of one: libtorch's exception is an errno.
        for i in [1, 2] {
            ctx.set_input(i, input(&[0.0; 3], TensorType::F32)).unwrap();
        }
        assert_eq!(ctx.compute(), Err(ErrNo::RuntimeError));
    }
}
