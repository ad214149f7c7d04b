//! What every exported function leans on: catching panics at the C boundary, reading C strings
//! and turning Wedge errors into `WasmEdge_Result` codes.

use crate::abi::{self, WasmEdge_Result, WasmEdge_String, code};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Runs `f`, turning a panic into `fallback`: a panic never unwinds into C.
pub(crate) fn guard<R>(fallback: R, f: impl FnOnce() -> R) -> R {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            eprintln!("wedge: internal error in the C API (caught): {msg}");
            fallback
        }
    }
}

/// [`guard`] for functions returning a `WasmEdge_Result`: a panic becomes a runtime error.
pub(crate) fn guard_result(f: impl FnOnce() -> WasmEdge_Result) -> WasmEdge_Result {
    guard(abi::result(code::RUNTIME_ERROR), f)
}

/// Frees an owned context made with `Box::into_raw` (the `*Delete` functions); NULL is a no-op.
///
/// # Safety
/// `p` must be NULL or a pointer from `Box::into_raw` that was not freed and is not used after.
pub(crate) unsafe fn delete<T>(p: *mut T) {
    guard((), || {
        if !p.is_null() {
            // SAFETY: the caller guarantees an owned pointer from `Box::into_raw`.
            drop(unsafe { Box::from_raw(p) });
        }
    })
}

/// The bytes of a `WasmEdge_String` (empty for a NULL buffer).
///
/// # Safety
/// `s.Buf` must be NULL or point to `s.Length` readable bytes that outlive the returned slice.
pub(crate) unsafe fn string_bytes<'a>(s: WasmEdge_String) -> &'a [u8] {
    if s.Buf.is_null() || s.Length == 0 {
        return &[];
    }
    // SAFETY: the caller guarantees `Buf` points to `Length` readable bytes.
    unsafe { std::slice::from_raw_parts(s.Buf.cast::<u8>(), s.Length as usize) }
}

/// A `WasmEdge_String` read as UTF-8 (invalid sequences replaced).
///
/// # Safety
/// As for [`string_bytes`].
pub(crate) unsafe fn string_lossy(s: WasmEdge_String) -> String {
    // SAFETY: forwarded to the caller.
    String::from_utf8_lossy(unsafe { string_bytes(s) }).into_owned()
}

/// A NUL-terminated C string as a Rust string (None for NULL).
///
/// # Safety
/// `p` must be NULL or point to a NUL-terminated string.
pub(crate) unsafe fn cstr_lossy(p: *const core::ffi::c_char) -> Option<String> {
    if p.is_null() {
        return None;
    }
    // SAFETY: the caller guarantees a NUL-terminated string.
    Some(
        unsafe { std::ffi::CStr::from_ptr(p) }
            .to_string_lossy()
            .into_owned(),
    )
}

/// An owned `WasmEdge_String` holding a copy of `bytes` followed by a NUL byte that `Length`
/// does not count (`{0, NULL}` when empty), freed by `WasmEdge_StringDelete` through
/// [`free_string`]. The NUL lets hosts that read it as a C string (`CStr::from_ptr`, as the
/// Rust SDK does) stop at its end.
pub(crate) fn new_string(bytes: &[u8]) -> WasmEdge_String {
    if bytes.is_empty() {
        return WasmEdge_String {
            Length: 0,
            Buf: std::ptr::null(),
        };
    }
    let mut buf = Vec::with_capacity(bytes.len() + 1);
    buf.extend_from_slice(bytes);
    buf.push(0);
    let boxed = buf.into_boxed_slice();
    WasmEdge_String {
        Length: bytes.len() as u32,
        Buf: Box::into_raw(boxed).cast::<core::ffi::c_char>(),
    }
}

/// Frees a string made by [`new_string`].
///
/// # Safety
/// `s` must come from [`new_string`] and not have been freed.
pub(crate) unsafe fn free_string(s: WasmEdge_String) {
    if s.Buf.is_null() || s.Length == 0 {
        return;
    }
    let slice =
        std::ptr::slice_from_raw_parts_mut(s.Buf.cast_mut().cast::<u8>(), s.Length as usize + 1);
    // SAFETY: `new_string` made this pointer with `Box::<[u8]>::into_raw`, `Length` bytes
    // followed by the NUL.
    drop(unsafe { Box::from_raw(slice) });
}

/// A name the C API lends out as a `WasmEdge_String` (module, import, export and plug-in
/// names): its text stored with a NUL byte after it, as WasmEdge's `std::string`s are, so the
/// string lent out is NUL-terminated (`Buf[Length] == 0`) and reads correctly as a C string.
/// It dereferences to the text without the NUL.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(crate) struct Name(Box<str>);

impl Name {
    pub(crate) fn new(text: &str) -> Name {
        let mut s = String::with_capacity(text.len() + 1);
        s.push_str(text);
        s.push('\0');
        Name(s.into_boxed_str())
    }

    /// The text, without the NUL.
    pub(crate) fn as_str(&self) -> &str {
        &self.0[..self.0.len() - 1]
    }
}

impl std::ops::Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Name {
    fn from(text: &str) -> Name {
        Name::new(text)
    }
}

impl From<String> for Name {
    fn from(text: String) -> Name {
        let mut s = text;
        s.push('\0');
        Name(s.into_boxed_str())
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Ord for Name {
    fn cmp(&self, other: &Name) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for Name {
    fn partial_cmp(&self, other: &Name) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

/// Text stored with a NUL byte after it: what [`borrow_string`] lends out.
pub(crate) trait NulTerminated {
    /// The text followed by its NUL byte.
    fn bytes_with_nul(&self) -> &[u8];
}

impl NulTerminated for Name {
    fn bytes_with_nul(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl NulTerminated for core::ffi::CStr {
    fn bytes_with_nul(&self) -> &[u8] {
        self.to_bytes_with_nul()
    }
}

/// A borrowed `WasmEdge_String` over `s` (valid while `s` lives), NUL-terminated like every
/// string WasmEdge lends out: `Length` excludes the NUL, `Buf` is never NULL (an empty name
/// points at its NUL).
pub(crate) fn borrow_string<S: NulTerminated + ?Sized>(s: &S) -> WasmEdge_String {
    let bytes = s.bytes_with_nul();
    WasmEdge_String {
        Length: (bytes.len() - 1) as u32,
        Buf: bytes.as_ptr().cast(),
    }
}

/// The error a C host function returned, carried through wasm execution unchanged.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CResultError(pub(crate) WasmEdge_Result);

impl std::fmt::Display for CResultError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let category = self.0.Code >> 24;
        let code = self.0.Code & 0x00FF_FFFF;
        if category == abi::CATEGORY_WASM {
            write!(f, "host function failed with error code {code:#x}")
        } else {
            write!(
                f,
                "host function failed with user error {code:#x} (category {category})"
            )
        }
    }
}

impl std::error::Error for CResultError {}

/// The `WasmEdge_Result` for a Wedge error: a C host function's own result passes through; a
/// WASI `proc_exit` is `Terminated`; everything else carries WasmEdge's error code.
pub(crate) fn error_result(err: &wedge::Error) -> WasmEdge_Result {
    if let Some(c) = err.downcast_host::<CResultError>() {
        return c.0;
    }
    if err.downcast_host::<wedge_wasi::Exit>().is_some() {
        return abi::result(code::TERMINATED);
    }
    abi::result(err.wasmedge_code())
}

/// Reports an error the way WasmEdge's library logs one: through the log level and callback
/// set with `WasmEdge_Log*` (stderr by default).
pub(crate) fn log_error(msg: &str) {
    crate::basic::log(crate::basic::LogLevel::Error, msg);
}
