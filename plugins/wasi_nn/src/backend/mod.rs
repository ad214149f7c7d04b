//! The backends: one module per framework, behind [`Backend`].
//!
//! A backend opens its framework's runtime library when first used, once per process. When the
//! runtime is not installed, every call for that encoding returns `InvalidArgument` (WasmEdge's
//! answer for a backend that is not built in) and logs one line naming what to install.
//!
//! Encodings without a backend in Wedge answer as WasmEdge's stubs do: `InvalidArgument` and the
//! line `<Name> backend is not built.`.

pub mod autodetect;
pub mod ggml;
pub mod library;
pub mod onnx;
pub mod openvino;
pub mod pytorch;

#[cfg(test)]
pub mod fake;

use std::borrow::Cow;
use std::path::PathBuf;

use crate::types::{Encoding, ErrNo, NnResult, Target, TensorType};

/// The cache `scripts/nn-runtimes.sh` fills with the runtimes: `$XDG_CACHE_HOME/wedge/nn`, or
/// `$HOME/.cache/wedge/nn` when `XDG_CACHE_HOME` is not set (or empty).
#[must_use]
pub fn runtime_cache() -> Option<PathBuf> {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(cache.join("wedge/nn"))
}

/// A tensor the guest passed to `set_input`, copied out of its memory.
#[derive(Clone, Debug, PartialEq)]
pub struct Tensor {
    /// The dimensions.
    pub dims: Vec<u32>,
    /// The element type (one of those `set_input` accepts).
    pub ty: TensorType,
    /// The elements' bytes, little-endian.
    pub data: Vec<u8>,
}

/// A framework that loads graphs.
pub trait Backend: Send + Sync {
    /// Builds a graph from the guest's builders (model files' bytes; `load_by_name_with_config`
    /// appends its config as the last builder, as WasmEdge does) for `target`.
    fn load(&self, builders: &[Vec<u8>], target: Target) -> NnResult<Box<dyn Graph>>;
}

/// A loaded graph.
pub trait Graph: Send + Sync {
    /// A new execution context of this graph.
    fn init_context(&self) -> NnResult<Box<dyn Context>>;
}

/// One execution context. Its calls are serialized by the plug-in (and calls of all contexts of
/// one graph too), so it needs no locking of its own.
pub trait Context: Send {
    /// Sets input `index`.
    fn set_input(&mut self, index: u32, tensor: Tensor) -> NnResult<()>;
    /// Runs the graph on the inputs set.
    fn compute(&mut self) -> NnResult<()>;
    /// The bytes of output `index` of the last compute: borrowed where the backend keeps them,
    /// so that they are copied once, into the guest.
    fn get_output(&mut self, index: u32) -> NnResult<Cow<'_, [u8]>>;
    /// One step of a streaming compute; only LLM backends have it.
    fn compute_single(&mut self) -> NnResult<()> {
        Err(not_streaming("compute_single"))
    }
    /// The output of the last streaming step; only LLM backends have it.
    fn get_output_single(&mut self, _index: u32) -> NnResult<Cow<'_, [u8]>> {
        Err(not_streaming("get_output_single"))
    }
    /// Ends a streaming compute; only LLM backends have it.
    fn fini_single(&mut self) -> NnResult<()> {
        Err(not_streaming("fini_single"))
    }
}

/// WasmEdge's answer to a streaming call (`call`) on a backend that does not stream: a log line
/// and `InvalidArgument`.
pub fn not_streaming(call: &str) -> ErrNo {
    crate::log(&format!(
        "{call}: Only GGML and BitNet backend supports {call}."
    ));
    ErrNo::InvalidArgument
}

/// The backend for `encoding`, or the errno (with its log line) when Wedge has none.
pub fn for_encoding(encoding: Encoding) -> NnResult<&'static dyn Backend> {
    match encoding {
        Encoding::OpenVino => Ok(&openvino::OpenVino),
        Encoding::Onnx => Ok(&onnx::Onnx),
        Encoding::TensorflowLite => Ok(&openvino::TensorflowLite),
        // WasmEdge 0.17.1 has no Autodetect backend (its dispatcher refuses 5); Wedge's does.
        Encoding::Autodetect => Ok(&autodetect::Autodetect),
        Encoding::PyTorch => Ok(&pytorch::PYTORCH),
        Encoding::Ggml => Ok(&ggml::GGML),
        other => {
            crate::log(&format!(
                "{other} backend is not built. Wedge's wasi_nn has no backend for it yet."
            ));
            Err(ErrNo::InvalidArgument)
        }
    }
}
