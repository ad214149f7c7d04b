//! WasmEdge 0.17.1's wasi-nn numbers (`wasinntypes.h`): errnos, encodings, targets and tensor
//! types, and the errno table.

use std::fmt;

/// A wasi-nn errno, the `u32` every function returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum ErrNo {
    /// No error.
    Success = 0,
    /// The guest passed a bad argument (also: a bad pointer, an unknown handle, a backend that
    /// is not available).
    InvalidArgument = 1,
    /// An encoding number WasmEdge does not know.
    InvalidEncoding = 2,
    /// The caller has no memory export (WasmEdge traps instead; kept for backends).
    MissingMemory = 3,
    /// Device or resource busy.
    Busy = 4,
    /// The backend's runtime failed.
    RuntimeError = 5,
    /// The operation is not supported.
    UnsupportedOperation = 6,
    /// Too large.
    TooLarge = 7,
    /// Not found (`load_by_name` of a name not preloaded).
    NotFound = 8,
    /// End of sequence (streaming backends).
    EndOfSequence = 100,
    /// Context full (LLM backends).
    ContextFull = 101,
    /// Prompt too long (LLM backends).
    PromptTooLong = 102,
    /// Model not found (LLM backends).
    ModelNotFound = 103,
}

impl ErrNo {
    /// The number the guest sees.
    #[must_use]
    pub const fn code(self) -> u32 {
        self as u32
    }

    /// The errno numbered `code` (a backend library's answer); `RuntimeError` for a number
    /// wasi-nn does not have (and for 0, which is no error).
    #[must_use]
    pub const fn from_code(code: u32) -> Self {
        match code {
            1 => Self::InvalidArgument,
            2 => Self::InvalidEncoding,
            3 => Self::MissingMemory,
            4 => Self::Busy,
            6 => Self::UnsupportedOperation,
            7 => Self::TooLarge,
            8 => Self::NotFound,
            100 => Self::EndOfSequence,
            101 => Self::ContextFull,
            102 => Self::PromptTooLong,
            103 => Self::ModelNotFound,
            _ => Self::RuntimeError,
        }
    }
}

/// The result of the plug-in's internal steps: `Err` is the errno the guest gets.
pub type NnResult<T> = Result<T, ErrNo>;

/// A graph encoding: which backend runs the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// 0: OpenVINO IR (`.xml` + `.bin`).
    OpenVino,
    /// 1: ONNX.
    Onnx,
    /// 2: TensorFlow.
    Tensorflow,
    /// 3: PyTorch (TorchScript).
    PyTorch,
    /// 4: TensorFlow Lite.
    TensorflowLite,
    /// 5: pick the backend from the model.
    Autodetect,
    /// 6: GGML (llama.cpp).
    Ggml,
    /// 7: Neural Speed (removed upstream).
    NeuralSpeed,
    /// 9: whisper.cpp.
    Whisper,
    /// 10: Apple MLX.
    Mlx,
    /// 11: Piper text to speech.
    Piper,
    /// 12: ChatTTS.
    ChatTts,
    /// 13: OpenVINO GenAI.
    OpenVinoGenAi,
    /// 14: bitnet.cpp.
    BitNet,
}

impl Encoding {
    /// The encoding numbered `n`, or `None` for a number WasmEdge does not know (8 and > 14).
    #[must_use]
    pub const fn from_u32(n: u32) -> Option<Self> {
        Some(match n {
            0 => Self::OpenVino,
            1 => Self::Onnx,
            2 => Self::Tensorflow,
            3 => Self::PyTorch,
            4 => Self::TensorflowLite,
            5 => Self::Autodetect,
            6 => Self::Ggml,
            7 => Self::NeuralSpeed,
            9 => Self::Whisper,
            10 => Self::Mlx,
            11 => Self::Piper,
            12 => Self::ChatTts,
            13 => Self::OpenVinoGenAi,
            14 => Self::BitNet,
            _ => return None,
        })
    }

    /// The encoding named `name` in a `--nn-preload` spec (already lower-cased), as WasmEdge's
    /// table has them; `pytorchaoti` is PyTorch.
    #[must_use]
    pub fn from_preload_name(name: &str) -> Option<Self> {
        Some(match name {
            "openvino" => Self::OpenVino,
            "onnx" => Self::Onnx,
            "tensorflow" => Self::Tensorflow,
            "pytorch" | "pytorchaoti" => Self::PyTorch,
            "tensorflowlite" => Self::TensorflowLite,
            "autodetect" => Self::Autodetect,
            "ggml" => Self::Ggml,
            "neuralspeed" => Self::NeuralSpeed,
            "whisper" => Self::Whisper,
            "mlx" => Self::Mlx,
            "piper" => Self::Piper,
            "chattts" => Self::ChatTts,
            "openvinogenai" => Self::OpenVinoGenAi,
            "bitnet" => Self::BitNet,
            _ => return None,
        })
    }

    /// The name WasmEdge's log lines use.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::OpenVino => "OpenVINO",
            Self::Onnx => "ONNX",
            Self::Tensorflow => "Tensorflow",
            Self::PyTorch => "PyTorch",
            Self::TensorflowLite => "TensorflowLite",
            Self::Autodetect => "Autodetect",
            Self::Ggml => "GGML",
            Self::NeuralSpeed => "NeuralSpeed",
            Self::Whisper => "Whisper",
            Self::Mlx => "MLX",
            Self::Piper => "Piper",
            Self::ChatTts => "ChatTTS",
            Self::OpenVinoGenAi => "OpenVINOGenAI",
            Self::BitNet => "BitNet",
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An execution target (WasmEdge's `Device`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// 0.
    Cpu,
    /// 1.
    Gpu,
    /// 2.
    Tpu,
    /// 3: only a `--nn-preload` spec may ask for it; `load` refuses it.
    Auto,
}

impl Target {
    /// The target `n` accepts from a guest: CPU, GPU or TPU (AUTO and unknown numbers are `None`).
    #[must_use]
    pub const fn from_load(n: u32) -> Option<Self> {
        match n {
            0 => Some(Self::Cpu),
            1 => Some(Self::Gpu),
            2 => Some(Self::Tpu),
            _ => None,
        }
    }

    /// The target named in a `--nn-preload` spec (already lower-cased).
    #[must_use]
    pub fn from_preload_name(name: &str) -> Option<Self> {
        match name {
            "cpu" => Some(Self::Cpu),
            "gpu" => Some(Self::Gpu),
            "tpu" => Some(Self::Tpu),
            "auto" => Some(Self::Auto),
            _ => None,
        }
    }
}

/// A tensor element type, numbered as since 2025-03.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TensorType {
    /// 0.
    F16,
    /// 1.
    F32,
    /// 2 (before 2025-03, 2 was U8).
    F64,
    /// 3.
    U8,
    /// 4.
    I32,
    /// 5.
    I64,
}

impl TensorType {
    /// The type numbered `n`.
    #[must_use]
    pub const fn from_u32(n: u32) -> Option<Self> {
        Some(match n {
            0 => Self::F16,
            1 => Self::F32,
            2 => Self::F64,
            3 => Self::U8,
            4 => Self::I32,
            5 => Self::I64,
            _ => return None,
        })
    }

    /// The bytes of one element.
    #[must_use]
    pub const fn size(self) -> usize {
        match self {
            Self::U8 => 1,
            Self::F16 => 2,
            Self::F32 | Self::I32 => 4,
            Self::F64 | Self::I64 => 8,
        }
    }

    /// The type `set_input` takes from raw `n`, as WasmEdge: F16, F32, U8 and I32 only. Anything
    /// else is `InvalidArgument`, with a log line; for 2 (F64 now, U8 in the numbering before
    /// 2025-03) the line says the guest was likely built with the old numbering.
    pub fn for_input(n: u32) -> NnResult<Self> {
        match Self::from_u32(n) {
            Some(t @ (Self::F16 | Self::F32 | Self::U8 | Self::I32)) => Ok(t),
            Some(Self::F64) => {
                crate::log(
                    "set_input: tensor type 2 is F64, which set_input does not accept. Guests \
                     built with the numbering before 2025-03 (e.g. the wasi-nn 0.6 crate) send 2 \
                     for U8: U8 is 3 now; rebuild with wasmedge-wasi-nn 0.7 or later.",
                );
                Err(ErrNo::InvalidArgument)
            }
            _ => {
                crate::log(&format!("set_input: Unknown tensor type {n}."));
                Err(ErrNo::InvalidArgument)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_wasmedges() {
        assert_eq!(ErrNo::ModelNotFound.code(), 103);
        assert_eq!(ErrNo::NotFound.code(), 8);
        assert_eq!(Encoding::from_u32(1), Some(Encoding::Onnx));
        assert_eq!(Encoding::from_u32(8), None);
        assert_eq!(Encoding::from_u32(14), Some(Encoding::BitNet));
        assert_eq!(Encoding::from_u32(15), None);
        assert_eq!(Target::from_load(3), None);
        assert_eq!(Target::from_load(2), Some(Target::Tpu));
        assert_eq!(Target::from_preload_name("auto"), Some(Target::Auto));
    }

    #[test]
    fn set_input_takes_f16_f32_u8_i32_only() {
        assert_eq!(TensorType::for_input(0), Ok(TensorType::F16));
        assert_eq!(TensorType::for_input(1), Ok(TensorType::F32));
        assert_eq!(TensorType::for_input(3), Ok(TensorType::U8));
        assert_eq!(TensorType::for_input(4), Ok(TensorType::I32));
        for n in [2, 5, 6, u32::MAX] {
            assert_eq!(TensorType::for_input(n), Err(ErrNo::InvalidArgument));
        }
    }
}
