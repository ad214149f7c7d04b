//! The errno every `wasmedge_tensorflow` function returns, numbered as WasmEdge 0.17.1's
//! `WasmEdgeTensorflow::ErrNo`.

/// A host function's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
pub enum ErrNo {
    /// No error.
    Success = 0,
    /// The guest passed an invalid argument: an unknown session, tensor or operation name, a
    /// graph TensorFlow does not accept, a tensor whose bytes do not fit its shape.
    InvalidArgument = 1,
    /// Invalid encoding (WasmEdge declares it and never returns it).
    InvalidEncoding = 2,
    /// The guest has no memory, or a buffer it passed lies outside it.
    MissingMemory = 3,
    /// TensorFlow could not run the session (WasmEdge's answer for a failed `TF_SessionRun`),
    /// or could not allocate a tensor.
    Busy = 4,
    /// TensorFlow's library could not be opened.
    RuntimeError = 5,
}

impl ErrNo {
    /// The number the guest gets.
    #[must_use]
    pub fn code(self) -> u32 {
        self as u32
    }
}

/// A host function's result: success, or the errno to return (already logged).
pub type TfResult<T = ()> = Result<T, ErrNo>;

/// The errno a result gives the guest.
#[must_use]
pub fn code(r: TfResult) -> u32 {
    match r {
        Ok(()) => ErrNo::Success.code(),
        Err(e) => e.code(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_numbers_are_wasmedges() {
        assert_eq!(
            [
                ErrNo::Success,
                ErrNo::InvalidArgument,
                ErrNo::InvalidEncoding,
                ErrNo::MissingMemory,
                ErrNo::Busy,
                ErrNo::RuntimeError,
            ]
            .map(ErrNo::code),
            [0, 1, 2, 3, 4, 5]
        );
        assert_eq!(code(Err(ErrNo::Busy)), 4);
        assert_eq!(code(Ok(())), 0);
    }
}
