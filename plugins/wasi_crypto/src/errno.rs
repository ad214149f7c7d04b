//! `crypto_errno`, the witx error codes every wasi-crypto function returns, and the one table
//! that maps the libraries' errors onto them.

use core::fmt;

/// The witx `crypto_errno` (a `u16` in the witx, returned as an `i32` by WasmEdge's host
/// functions). Values and order are the witx's exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u16)]
pub enum CryptoErrno {
    /// `success`.
    Success = 0,
    /// `guest_error`.
    GuestError = 1,
    /// `not_implemented`.
    NotImplemented = 2,
    /// `unsupported_feature`.
    UnsupportedFeature = 3,
    /// `prohibited_operation`.
    ProhibitedOperation = 4,
    /// `unsupported_encoding`.
    UnsupportedEncoding = 5,
    /// `unsupported_algorithm`.
    UnsupportedAlgorithm = 6,
    /// `unsupported_option`.
    UnsupportedOption = 7,
    /// `invalid_key`.
    InvalidKey = 8,
    /// `invalid_length`.
    InvalidLength = 9,
    /// `verification_failed`.
    VerificationFailed = 10,
    /// `rng_error`.
    RngError = 11,
    /// `algorithm_failure`: also what WasmEdge answers for a pointer or length past the
    /// guest's memory.
    AlgorithmFailure = 12,
    /// `invalid_signature`.
    InvalidSignature = 13,
    /// `closed`: closing a handle that is not open.
    Closed = 14,
    /// `invalid_handle`: using a handle that is not open, or of the wrong kind.
    InvalidHandle = 15,
    /// `overflow`: a guest buffer is too small.
    Overflow = 16,
    /// `internal_error`.
    InternalError = 17,
    /// `too_many_handles`.
    TooManyHandles = 18,
    /// `key_not_supported`.
    KeyNotSupported = 19,
    /// `key_required`.
    KeyRequired = 20,
    /// `invalid_tag`.
    InvalidTag = 21,
    /// `invalid_operation`.
    InvalidOperation = 22,
    /// `nonce_required`.
    NonceRequired = 23,
    /// `invalid_nonce`.
    InvalidNonce = 24,
    /// `option_not_set`.
    OptionNotSet = 25,
    /// `not_found`.
    NotFound = 26,
    /// `parameters_missing`.
    ParametersMissing = 27,
    /// `in_progress`.
    InProgress = 28,
    /// `incompatible_keys`.
    IncompatibleKeys = 29,
    /// `expired`.
    Expired = 30,
}

impl CryptoErrno {
    /// The number a host function returns.
    #[must_use]
    pub const fn code(self) -> u32 {
        self as u32
    }
}

impl fmt::Display for CryptoErrno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?} ({})", self.code())
    }
}

impl std::error::Error for CryptoErrno {}

/// What every operation returns.
pub type Result<T> = core::result::Result<T, CryptoErrno>;

/// Runs a host function's body and turns its outcome into the errno it returns.
pub fn errno(body: impl FnOnce() -> Result<()>) -> u32 {
    match body() {
        Ok(()) => CryptoErrno::Success.code(),
        Err(e) => e.code(),
    }
}

// The mapping from the libraries' errors: each says which errno a failure of that library
// becomes where the caller has nothing more specific to say (WasmEdge's `opensslCheck`, which
// answers `algorithm_failure`). Key parsing and signature checks map their own errors on the
// spot (`invalid_key`, `verification_failed`, ...), next to the call.

impl From<rand_core::Error> for CryptoErrno {
    fn from(_: rand_core::Error) -> Self {
        Self::RngError
    }
}

impl From<aes_gcm::Error> for CryptoErrno {
    /// An AEAD's only error: the tag does not authenticate the data.
    fn from(_: aes_gcm::Error) -> Self {
        Self::InvalidTag
    }
}

impl From<hkdf::InvalidLength> for CryptoErrno {
    /// HKDF-Expand asked for more than 255 hash lengths (OpenSSL's derive fails; WasmEdge
    /// answers `invalid_key`).
    fn from(_: hkdf::InvalidLength) -> Self {
        Self::InvalidKey
    }
}

impl From<rsa::Error> for CryptoErrno {
    fn from(_: rsa::Error) -> Self {
        Self::AlgorithmFailure
    }
}

impl From<ed25519_dalek::SignatureError> for CryptoErrno {
    fn from(_: ed25519_dalek::SignatureError) -> Self {
        Self::AlgorithmFailure
    }
}

impl From<p256::pkcs8::Error> for CryptoErrno {
    fn from(_: p256::pkcs8::Error) -> Self {
        Self::AlgorithmFailure
    }
}

impl From<p256::pkcs8::spki::Error> for CryptoErrno {
    fn from(_: p256::pkcs8::spki::Error) -> Self {
        Self::AlgorithmFailure
    }
}

impl From<core::fmt::Error> for CryptoErrno {
    fn from(_: core::fmt::Error) -> Self {
        Self::AlgorithmFailure
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_witx_values() {
        assert_eq!(CryptoErrno::Success.code(), 0);
        assert_eq!(CryptoErrno::NotImplemented.code(), 2);
        assert_eq!(CryptoErrno::AlgorithmFailure.code(), 12);
        assert_eq!(CryptoErrno::Closed.code(), 14);
        assert_eq!(CryptoErrno::InvalidHandle.code(), 15);
        assert_eq!(CryptoErrno::Overflow.code(), 16);
        assert_eq!(CryptoErrno::InvalidTag.code(), 21);
        assert_eq!(CryptoErrno::Expired.code(), 30);
    }

    #[test]
    fn errno_runs_the_body() {
        assert_eq!(errno(|| Ok(())), 0);
        assert_eq!(errno(|| Err(CryptoErrno::InvalidHandle)), 15);
    }
}
