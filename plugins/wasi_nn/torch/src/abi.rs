//! The backend-library ABI (`crates/nn-backend-abi`) the plug-in opens this library through:
//! [`TorchGraph`] and [`TorchContext`] as its graph and context, exported by
//! `wedge_nn_backend_abi::export!` (no streaming).

use wedge_nn_backend_abi::{AbiResult, BackendContext, BackendGraph};

use crate::{ErrNo, TorchContext, TorchGraph, log};

impl BackendGraph for TorchGraph {
    type Context = TorchContext;
    const NAME: &'static str = "Torch";

    /// Exactly one builder, the TorchScript archive.
    fn load(builders: &[&[u8]], target: u32) -> AbiResult<Self> {
        let [model] = builders else {
            log(&format!(
                "Wrong GraphBuilder Length {}, expect 1",
                builders.len()
            ));
            return Err(ErrNo::InvalidArgument as u32);
        };
        Self::load(model, target).map_err(|e| e as u32)
    }

    fn init_context(&self) -> AbiResult<TorchContext> {
        Ok(Self::init_context(self))
    }
}

impl BackendContext for TorchContext {
    fn set_input(&mut self, index: u32, dims: &[u32], ty: u32, data: &[u8]) -> AbiResult<()> {
        Self::set_input(self, index, dims, ty, data).map_err(|e| e as u32)
    }

    fn compute(&mut self) -> AbiResult<()> {
        Self::compute(self).map_err(|e| e as u32)
    }

    /// Output `index` as F32, copied once out of the tensor into the context's buffer, which
    /// the plug-in reads it from.
    fn output(&mut self, index: u32) -> AbiResult<&[u8]> {
        let len = self.output_len(index).map_err(|e| e as u32)?;
        let mut buf = std::mem::take(&mut self.lent);
        buf.resize(len, 0);
        let copied = self.copy_output(index, &mut buf);
        self.lent = buf;
        copied.map_err(|e| e as u32)?;
        Ok(&self.lent)
    }
}

wedge_nn_backend_abi::export!(TorchGraph);
