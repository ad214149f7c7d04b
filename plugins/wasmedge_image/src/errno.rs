//! The errno the functions return, as WasmEdge's `WasmEdgeImage::ErrNo`.

/// What `load_jpg`, `load_png` and `load_image` return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u32)]
pub enum ErrNo {
    /// The image was decoded, resized and written.
    Success = 0,
    /// Anything else: no memory, a buffer out of bounds, an unknown output type, an image that
    /// does not decode, an output buffer too small, a size beyond the limits.
    Fail = 1,
}

impl ErrNo {
    /// The number the guest sees.
    #[must_use]
    pub const fn code(self) -> u32 {
        self as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_wasmedges() {
        assert_eq!(ErrNo::Success.code(), 0);
        assert_eq!(ErrNo::Fail.code(), 1);
    }
}
