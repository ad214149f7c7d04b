//! The ONNX backend (encoding 1), on ONNX Runtime loaded at first use.
//!
//! Not written yet: every load answers `InvalidArgument` with a log line. (WasmEdge 0.17.1's ONNX
//! backend is a stub that refuses every call the same way.)

use super::{Backend, Graph};
use crate::types::{ErrNo, NnResult, Target};

/// The ONNX backend.
pub struct Onnx;

impl Backend for Onnx {
    fn load(&self, _builders: &[Vec<u8>], _target: Target) -> NnResult<Box<dyn Graph>> {
        crate::log("ONNX backend is not supported yet.");
        Err(ErrNo::InvalidArgument)
    }
}
