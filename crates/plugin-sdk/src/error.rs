//! [`Error`]: how a host function stops, as the `WasmEdge_Result` the runtime receives.

use core::fmt;
use core::num::NonZeroU32;

use crate::ffi::WasmEdge_Result;

/// `WasmEdge_ErrCategory_WASM`: the runtime's own codes.
const CATEGORY_WASM: u32 = 0;
/// `WasmEdge_ErrCategory_UserLevelError`: codes a host function makes up.
const CATEGORY_USER: u32 = 1;

/// `WasmEdge_ErrCode_Terminated`.
const TERMINATED: u32 = 0x01;
/// `WasmEdge_ErrCode_MemoryOutOfBounds`.
const MEMORY_OUT_OF_BOUNDS: u32 = 0x0408;
/// `WasmEdge_ErrCode_HostFuncError`.
const HOST_FUNC_ERROR: u32 = 0x040E;

/// Why a host function did not return normally: the `Err` of a host function's result.
///
/// The runtime sees it as a `WasmEdge_Result`: [`Error::user`] codes come out as category
/// `UserLevelError` with the same code, [`Error::terminate`] stops the guest the way `proc_exit`
/// does (WasmEdge counts that as success), and the others are WasmEdge's own error codes. It is a
/// 4-byte `Copy` value (and so is `Result<(), Error>`), so returning it costs nothing.
///
/// ```
/// use wedge_plugin_sdk::Error;
///
/// let e = Error::user(42);
/// assert_eq!(e.user_code(), Some(42));
/// assert!(!e.is_terminate());
/// assert!(Error::terminate().is_terminate());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Error {
    /// The packed `WasmEdge_Result` code; never 0, which is success.
    code: NonZeroU32,
}

impl Error {
    /// A user-level error with `code` (category `UserLevelError`). Only the low 24 bits of
    /// `code` fit in a `WasmEdge_Result`; higher bits are dropped, as `WasmEdge_ResultGen` does.
    #[must_use]
    pub const fn user(code: u32) -> Self {
        Self::packed(CATEGORY_USER, code)
    }

    /// Stops the guest: the call ends with WasmEdge's `Terminated`, which counts as success.
    #[must_use]
    pub const fn terminate() -> Self {
        Self::packed(CATEGORY_WASM, TERMINATED)
    }

    /// The guest passed memory the host function may not touch: an out-of-bounds range, or no
    /// memory at all (WasmEdge's `MemoryOutOfBounds`, a trap).
    #[must_use]
    pub const fn memory_out_of_bounds() -> Self {
        Self::packed(CATEGORY_WASM, MEMORY_OUT_OF_BOUNDS)
    }

    /// The host function failed (WasmEdge's `HostFuncError`, a trap). The SDK also reports a
    /// panic in a host function this way.
    #[must_use]
    pub const fn host_func_error() -> Self {
        Self::packed(CATEGORY_WASM, HOST_FUNC_ERROR)
    }

    /// Only called with a nonzero category or a nonzero code.
    const fn packed(category: u32, code: u32) -> Self {
        match NonZeroU32::new(category << 24 | (code & 0x00FF_FFFF)) {
            Some(code) => Self { code },
            None => panic!("an error is never a success code"),
        }
    }

    /// The code of an [`Error::user`] error, `None` for the others.
    #[must_use]
    pub const fn user_code(self) -> Option<u32> {
        if self.category() == CATEGORY_USER {
            Some(self.code.get() & 0x00FF_FFFF)
        } else {
            None
        }
    }

    /// Whether this is [`Error::terminate`].
    #[must_use]
    pub const fn is_terminate(self) -> bool {
        self.code.get() == TERMINATED
    }

    /// The `WasmEdge_Result` code the runtime receives: `category << 24 | code`.
    #[must_use]
    pub const fn result_code(self) -> u32 {
        self.code.get()
    }

    const fn category(self) -> u32 {
        self.code.get() >> 24
    }

    pub(crate) const fn to_result(self) -> WasmEdge_Result {
        WasmEdge_Result {
            Code: self.code.get(),
        }
    }
}

/// `WasmEdge_Result_Success`.
pub(crate) const SUCCESS: WasmEdge_Result = WasmEdge_Result { Code: 0 };

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Error({self}, code {:#x})", self.code.get())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.category(), self.code.get() & 0x00FF_FFFF) {
            (CATEGORY_USER, code) => write!(f, "user-level error {code}"),
            (CATEGORY_WASM, TERMINATED) => f.write_str("terminated"),
            (CATEGORY_WASM, MEMORY_OUT_OF_BOUNDS) => f.write_str("out of bounds memory access"),
            (CATEGORY_WASM, HOST_FUNC_ERROR) => f.write_str("host function failed"),
            (category, code) => write!(f, "error {code:#x} of category {category}"),
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_and_a_unit_result_are_four_bytes() {
        assert_eq!(size_of::<Error>(), 4);
        assert_eq!(size_of::<Result<(), Error>>(), 4);
    }

    #[test]
    fn user_errors_pack_category_one_and_the_low_24_bits() {
        assert_eq!(Error::user(7).result_code(), 0x0100_0007);
        assert_eq!(Error::user(0).result_code(), 0x0100_0000);
        assert_eq!(Error::user(0xAB12_3456).result_code(), 0x0112_3456);
        assert_eq!(Error::user(0xAB12_3456).user_code(), Some(0x12_3456));
        assert_eq!(Error::terminate().user_code(), None);
    }

    #[test]
    fn wasm_codes_are_wasmedges() {
        assert_eq!(Error::terminate().to_result(), WasmEdge_Result { Code: 1 });
        assert_eq!(Error::memory_out_of_bounds().result_code(), 0x0408);
        assert_eq!(Error::host_func_error().result_code(), 0x040E);
        assert!(
            !Error::user(1).is_terminate(),
            "user code 1 is not Terminated"
        );
    }

    #[test]
    fn display_names_the_error() {
        assert_eq!(Error::user(3).to_string(), "user-level error 3");
        assert_eq!(Error::terminate().to_string(), "terminated");
        assert_eq!(
            Error::memory_out_of_bounds().to_string(),
            "out of bounds memory access"
        );
    }
}
