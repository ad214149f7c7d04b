//! Version, logging, strings, bytes and results (`wasmedge_basic.h`).
//!
//! The log level and callback live here for the whole process; other modules report through
//! [`log`].

use crate::abi::{self, WasmEdge_Bytes, WasmEdge_Result, WasmEdge_String, code};
use crate::ffi::{self, guard};
use core::ffi::{CStr, c_char};
use std::io::Write;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};

// >>>>>>>> Version >>>>>>>>

/// The WasmEdge version this library stands in for.
const VERSION: &CStr = c"0.17.1";
const VERSION_MAJOR: u32 = 0;
const VERSION_MINOR: u32 = 17;
const VERSION_PATCH: u32 = 1;

/// `WasmEdge_VersionGet`: the version as a static NUL-terminated string (never freed).
///
/// # Safety
/// Always safe to call; the returned string must not be freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VersionGet() -> *const c_char {
    guard(VERSION.as_ptr(), || VERSION.as_ptr())
}

/// `WasmEdge_VersionGetMajor`.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VersionGetMajor() -> u32 {
    guard(0, || VERSION_MAJOR)
}

/// `WasmEdge_VersionGetMinor`.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VersionGetMinor() -> u32 {
    guard(0, || VERSION_MINOR)
}

/// `WasmEdge_VersionGetPatch`.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_VersionGetPatch() -> u32 {
    guard(0, || VERSION_PATCH)
}

// >>>>>>>> Logging >>>>>>>>

/// `enum WasmEdge_LogLevel` as C passes it.
pub type WasmEdge_LogLevel = u32;

/// A log message's severity, in WasmEdge's (spdlog's) order and numbering.
pub use wedge::log::Level as LogLevel;

/// `WasmEdge_LogMessage` (56 bytes), lent to the log callback for the duration of the call.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct WasmEdge_LogMessage {
    /// The message text (NUL-terminated, `Length` not counting the NUL).
    pub Message: WasmEdge_String,
    /// The logger's name ("WasmEdge").
    pub LoggerName: WasmEdge_String,
    /// A `WasmEdge_LogLevel`.
    pub Level: WasmEdge_LogLevel,
    /// Seconds since the Unix epoch (`time_t`).
    pub Time: i64,
    /// The logging thread's number.
    pub ThreadId: u64,
}

const _: () = {
    assert!(size_of::<WasmEdge_LogMessage>() == 56);
    assert!(core::mem::offset_of!(WasmEdge_LogMessage, Level) == 32);
    assert!(core::mem::offset_of!(WasmEdge_LogMessage, Time) == 40);
    assert!(core::mem::offset_of!(WasmEdge_LogMessage, ThreadId) == 48);
};

/// `WasmEdge_LogCallback_t`: NULL restores logging to stderr.
pub type WasmEdge_LogCallback_t = Option<unsafe extern "C" fn(*const WasmEdge_LogMessage)>;

/// The lowest level logged; [`LOG_OFF`] logs nothing.
static LOG_THRESHOLD: AtomicU8 = AtomicU8::new(LogLevel::Warn as u8);
/// The threshold meaning "off" (above every level).
const LOG_OFF: u8 = 6;
/// Where messages go instead of stderr, when set.
static LOG_CALLBACK: RwLock<WasmEdge_LogCallback_t> = RwLock::new(None);

fn set_threshold(threshold: u8) {
    LOG_THRESHOLD.store(threshold, Ordering::Relaxed);
}

/// Whether a message at `level` would be logged now.
pub fn log_enabled(level: LogLevel) -> bool {
    level as u8 >= LOG_THRESHOLD.load(Ordering::Relaxed)
}

/// Logs `msg` at `level`: to the callback set with `WasmEdge_LogSetCallback`, else to stderr
/// as `[level] msg`. Messages below the current level (warn unless set) are dropped.
pub fn log(level: LogLevel, msg: &str) {
    if !log_enabled(level) {
        return;
    }
    // Copy the callback out so that a callback which sets another one does not deadlock.
    let callback = *LOG_CALLBACK.read().unwrap_or_else(|e| e.into_inner());
    match callback {
        Some(cb) => {
            let msg = ffi::Name::new(msg);
            let message = WasmEdge_LogMessage {
                Message: ffi::borrow_string(&msg),
                LoggerName: ffi::borrow_string(c"WasmEdge"),
                Level: level as u32,
                Time: std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs() as i64),
                ThreadId: thread_number(),
            };
            // SAFETY: the callback was registered by the C host for exactly this call; the
            // message and the strings it borrows live until it returns.
            unsafe { cb(&message) };
        }
        None => {
            // A closed stderr leaves nowhere to report to.
            let _ = writeln!(std::io::stderr().lock(), "[{}] {msg}", level.name());
        }
    }
}

/// A small number identifying the calling thread, stable for its life.
fn thread_number() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    thread_local! {
        static NUMBER: u64 = NEXT.fetch_add(1, Ordering::Relaxed);
    }
    NUMBER.with(|n| *n)
}

/// `WasmEdge_LogSetErrorLevel`: log errors and above.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_LogSetErrorLevel() {
    guard((), || {
        set_threshold(LogLevel::Error as u8);
    })
}

/// `WasmEdge_LogSetDebugLevel`: log debug messages and above.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_LogSetDebugLevel() {
    guard((), || {
        set_threshold(LogLevel::Debug as u8);
    })
}

/// `WasmEdge_LogOff`: log nothing.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_LogOff() {
    guard((), || {
        set_threshold(LOG_OFF);
    })
}

/// `WasmEdge_LogSetLevel`: log `Level` and above; a value outside the enum is ignored.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_LogSetLevel(Level: WasmEdge_LogLevel) {
    guard((), || {
        if let Some(level) = LogLevel::from_u32(Level) {
            set_threshold(level as u8);
        }
    })
}

/// `WasmEdge_LogSetCallback`: send log messages to `Callback` instead of stderr (NULL restores
/// stderr).
///
/// # Safety
/// `Callback` must be NULL or a function that stays callable, from any thread, until it is
/// replaced.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_LogSetCallback(Callback: WasmEdge_LogCallback_t) {
    guard((), || {
        *LOG_CALLBACK.write().unwrap_or_else(|e| e.into_inner()) = Callback;
    })
}

// >>>>>>>> Strings >>>>>>>>

const EMPTY_STRING: WasmEdge_String = WasmEdge_String {
    Length: 0,
    Buf: std::ptr::null(),
};

/// `WasmEdge_StringCreateByCString`: an owned copy of a NUL-terminated string (`{0, NULL}` for
/// NULL or ""). Free it with `WasmEdge_StringDelete`.
///
/// # Safety
/// `Str` must be NULL or point to a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_StringCreateByCString(Str: *const c_char) -> WasmEdge_String {
    guard(EMPTY_STRING, || {
        if Str.is_null() {
            return EMPTY_STRING;
        }
        // SAFETY: the caller guarantees a NUL-terminated string.
        let bytes = unsafe { CStr::from_ptr(Str) }.to_bytes();
        match u32::try_from(bytes.len()) {
            Ok(_) => ffi::new_string(bytes),
            Err(_) => EMPTY_STRING,
        }
    })
}

/// `WasmEdge_StringCreateByBuffer`: an owned copy of `Len` bytes (`{0, NULL}` for NULL or 0).
/// Free it with `WasmEdge_StringDelete`.
///
/// # Safety
/// `Buf` must be NULL or point to `Len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_StringCreateByBuffer(
    Buf: *const c_char,
    Len: u32,
) -> WasmEdge_String {
    guard(EMPTY_STRING, || {
        // SAFETY: the caller guarantees `Buf` is NULL or has `Len` readable bytes.
        let bytes = unsafe { ffi::string_bytes(WasmEdge_StringWrap(Buf, Len)) };
        ffi::new_string(bytes)
    })
}

/// `WasmEdge_StringWrap`: a string borrowing `Buf` (never pass it to `WasmEdge_StringDelete`).
///
/// # Safety
/// Always safe to call; the result is valid while `Buf` is.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_StringWrap(Buf: *const c_char, Len: u32) -> WasmEdge_String {
    guard(EMPTY_STRING, || WasmEdge_String { Length: Len, Buf })
}

/// `WasmEdge_StringIsEqual`: whether the two strings hold the same bytes.
///
/// # Safety
/// Each string's `Buf` must be NULL or point to `Length` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_StringIsEqual(
    Str1: WasmEdge_String,
    Str2: WasmEdge_String,
) -> bool {
    guard(false, || {
        if Str1.Length != Str2.Length {
            return false;
        }
        // SAFETY: the caller guarantees both buffers hold `Length` readable bytes.
        unsafe { ffi::string_bytes(Str1) == ffi::string_bytes(Str2) }
    })
}

/// `WasmEdge_StringCopy`: zero-fills `Buf[..Len]`, copies at most `Len` bytes of `Str` into it
/// (not NUL-terminated when the string fills it) and returns the number copied.
///
/// # Safety
/// `Str.Buf` must be NULL or point to `Str.Length` readable bytes; `Buf` must be NULL or
/// point to `Len` writable bytes that do not overlap the string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_StringCopy(
    Str: WasmEdge_String,
    Buf: *mut c_char,
    Len: u32,
) -> u32 {
    guard(0, || {
        // SAFETY: the caller guarantees the string's bytes are readable.
        let src = unsafe { ffi::string_bytes(Str) };
        let n = src.len().min(Len as usize);
        if !Buf.is_null() {
            // SAFETY: the caller guarantees `Len` writable bytes at `Buf`.
            let dst = unsafe { std::slice::from_raw_parts_mut(Buf.cast::<u8>(), Len as usize) };
            dst.fill(0);
            dst[..n].copy_from_slice(&src[..n]);
        }
        n as u32
    })
}

/// `WasmEdge_StringDelete`: frees a string made by a `WasmEdge_StringCreate*` function (or
/// returned as owned by another API function). `{0, NULL}` is a no-op.
///
/// # Safety
/// `Str` must be empty or come from this library as an owned string, and not be freed twice.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_StringDelete(Str: WasmEdge_String) {
    // SAFETY: the caller guarantees the string is owned and was made by `ffi::new_string`.
    guard((), || unsafe { ffi::free_string(Str) })
}

// >>>>>>>> Bytes >>>>>>>>

const EMPTY_BYTES: WasmEdge_Bytes = WasmEdge_Bytes {
    Length: 0,
    Buf: std::ptr::null(),
};

/// `WasmEdge_BytesCreate`: an owned copy of `Len` bytes (`{0, NULL}` for NULL or 0). Free it
/// with `WasmEdge_BytesDelete`.
///
/// # Safety
/// `Buf` must be NULL or point to `Len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_BytesCreate(Buf: *const u8, Len: u32) -> WasmEdge_Bytes {
    guard(EMPTY_BYTES, || {
        // SAFETY: the caller guarantees `Buf` is NULL or has `Len` readable bytes.
        let s = unsafe { WasmEdge_StringCreateByBuffer(Buf.cast(), Len) };
        WasmEdge_Bytes {
            Length: s.Length,
            Buf: s.Buf.cast(),
        }
    })
}

/// `WasmEdge_BytesWrap`: bytes borrowing `Buf` (never pass them to `WasmEdge_BytesDelete`).
///
/// # Safety
/// Always safe to call; the result is valid while `Buf` is.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_BytesWrap(Buf: *const u8, Len: u32) -> WasmEdge_Bytes {
    guard(EMPTY_BYTES, || WasmEdge_Bytes { Length: Len, Buf })
}

/// `WasmEdge_BytesDelete`: frees bytes made by `WasmEdge_BytesCreate`. `{0, NULL}` is a no-op.
///
/// # Safety
/// `Bytes` must be empty or come from `WasmEdge_BytesCreate`, and not be freed twice.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_BytesDelete(Bytes: WasmEdge_Bytes) {
    let s = WasmEdge_String {
        Length: Bytes.Length,
        Buf: Bytes.Buf.cast(),
    };
    // SAFETY: `WasmEdge_BytesCreate` made these bytes with `ffi::new_string`.
    guard((), || unsafe { ffi::free_string(s) })
}

// >>>>>>>> Results >>>>>>>>

/// `enum WasmEdge_ErrCategory` as C passes it (WASM 0, UserLevelError 1).
pub type WasmEdge_ErrCategory = u32;

/// `WasmEdge_ResultOK`: true for category WASM with code Success or Terminated.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ResultOK(Res: WasmEdge_Result) -> bool {
    guard(false, || {
        Res.Code >> 24 == abi::CATEGORY_WASM
            && matches!(Res.Code & 0x00FF_FFFF, code::SUCCESS | code::TERMINATED)
    })
}

/// `WasmEdge_ResultGen`: `Category << 24 | (Code & 0xFFFFFF)`.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ResultGen(
    Category: WasmEdge_ErrCategory,
    Code: u32,
) -> WasmEdge_Result {
    guard(abi::result(code::RUNTIME_ERROR), || WasmEdge_Result {
        Code: (Category << 24).wrapping_add(Code & 0x00FF_FFFF),
    })
}

/// `WasmEdge_ResultGetCode`: the low 24 bits.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ResultGetCode(Res: WasmEdge_Result) -> u32 {
    guard(0, || Res.Code & 0x00FF_FFFF)
}

/// `WasmEdge_ResultGetCategory`: the high 8 bits.
///
/// # Safety
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ResultGetCategory(Res: WasmEdge_Result) -> WasmEdge_ErrCategory {
    guard(0, || Res.Code >> 24)
}

/// `WasmEdge_ResultGetMessage`: WasmEdge's static message for the code; "user defined error
/// code" for any category but WASM. Never freed.
///
/// # Safety
/// Always safe to call; the returned string must not be freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ResultGetMessage(Res: WasmEdge_Result) -> *const c_char {
    guard(UNKNOWN_CODE.as_ptr(), || {
        let message = if Res.Code >> 24 != abi::CATEGORY_WASM {
            USER_DEFINED
        } else {
            error_message(Res.Code & 0x00FF_FFFF)
        };
        message.as_ptr()
    })
}

const USER_DEFINED: &CStr = c"user defined error code";
const UNKNOWN_CODE: &CStr = c"unknown error code";

/// WasmEdge's message for an error code of category WASM.
pub(crate) fn error_message(code: u32) -> &'static CStr {
    wedge::errcode::message(code).unwrap_or(UNKNOWN_CODE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    fn message(res: WasmEdge_Result) -> &'static str {
        // SAFETY: the message is a static NUL-terminated string.
        unsafe { CStr::from_ptr(WasmEdge_ResultGetMessage(res)) }
            .to_str()
            .unwrap()
    }

    #[test]
    fn version_is_0_17_1() {
        // SAFETY: the version is a static NUL-terminated string.
        let v = unsafe { CStr::from_ptr(WasmEdge_VersionGet()) };
        assert_eq!(v.to_str().unwrap(), "0.17.1");
        // SAFETY: no arguments.
        let parts = unsafe {
            (
                WasmEdge_VersionGetMajor(),
                WasmEdge_VersionGetMinor(),
                WasmEdge_VersionGetPatch(),
            )
        };
        assert_eq!(parts, (0, 17, 1));
    }

    #[test]
    fn created_strings_are_owned_copies_that_compare_by_content() {
        let mut src = *b"hello\0";
        // SAFETY: `src` is NUL-terminated and outlives the calls.
        unsafe {
            let a = WasmEdge_StringCreateByCString(src.as_ptr().cast());
            let b = WasmEdge_StringCreateByBuffer(c"hello".as_ptr(), 5);
            let w = WasmEdge_StringWrap(c"help".as_ptr(), 4);
            assert_eq!(a.Length, 5);
            assert_ne!(a.Buf, src.as_ptr().cast());
            src[0] = b'j';
            assert!(WasmEdge_StringIsEqual(a, b));
            assert!(!WasmEdge_StringIsEqual(
                a,
                WasmEdge_StringWrap(src.as_ptr().cast(), 5)
            ));
            assert!(!WasmEdge_StringIsEqual(a, w));
            assert!(!WasmEdge_StringIsEqual(
                a,
                WasmEdge_StringWrap(c"hell".as_ptr(), 4)
            ));
            WasmEdge_StringDelete(a);
            WasmEdge_StringDelete(b);
        }
    }

    #[test]
    fn empty_or_null_input_makes_the_empty_string() {
        // SAFETY: NULL and empty inputs are allowed.
        unsafe {
            for s in [
                WasmEdge_StringCreateByCString(std::ptr::null()),
                WasmEdge_StringCreateByCString(c"".as_ptr()),
                WasmEdge_StringCreateByBuffer(std::ptr::null(), 4),
                WasmEdge_StringCreateByBuffer(c"abc".as_ptr(), 0),
            ] {
                assert_eq!((s.Length, s.Buf), (0, std::ptr::null()));
                assert!(WasmEdge_StringIsEqual(s, EMPTY_STRING));
                WasmEdge_StringDelete(s);
            }
        }
    }

    #[test]
    fn string_copy_zero_fills_and_truncates() {
        // SAFETY: the buffers are local and as long as the lengths passed.
        unsafe {
            let s = WasmEdge_StringWrap(c"abc".as_ptr(), 3);
            let mut buf = [0x55u8; 6];
            assert_eq!(WasmEdge_StringCopy(s, buf.as_mut_ptr().cast(), 6), 3);
            assert_eq!(&buf, b"abc\0\0\0");
            let mut small = [0x55u8; 2];
            assert_eq!(WasmEdge_StringCopy(s, small.as_mut_ptr().cast(), 2), 2);
            assert_eq!(&small, b"ab");
            assert_eq!(WasmEdge_StringCopy(s, std::ptr::null_mut(), 8), 3);
        }
    }

    #[test]
    fn bytes_create_copies_and_wrap_borrows() {
        let data = [1u8, 2, 3];
        // SAFETY: `data` outlives the calls.
        unsafe {
            let b = WasmEdge_BytesCreate(data.as_ptr(), 3);
            assert_eq!(b.Length, 3);
            assert_ne!(b.Buf, data.as_ptr());
            assert_eq!(std::slice::from_raw_parts(b.Buf, 3), &data);
            WasmEdge_BytesDelete(b);
            let w = WasmEdge_BytesWrap(data.as_ptr(), 3);
            assert_eq!(w.Buf, data.as_ptr());
            let e = WasmEdge_BytesCreate(std::ptr::null(), 3);
            assert_eq!((e.Length, e.Buf), (0, std::ptr::null()));
            WasmEdge_BytesDelete(e);
        }
    }

    #[test]
    fn only_success_and_terminated_of_category_wasm_are_ok() {
        // SAFETY: pure functions.
        unsafe {
            assert!(WasmEdge_ResultOK(abi::result(0)));
            assert!(WasmEdge_ResultOK(abi::result(1)));
            assert!(!WasmEdge_ResultOK(abi::result(2)));
            assert!(!WasmEdge_ResultOK(abi::result(code::WRONG_VM_WORKFLOW)));
            assert!(!WasmEdge_ResultOK(WasmEdge_ResultGen(
                abi::CATEGORY_USER,
                0
            )));
            assert!(!WasmEdge_ResultOK(WasmEdge_ResultGen(
                abi::CATEGORY_USER,
                1
            )));
        }
    }

    #[test]
    fn result_gen_packs_category_and_24_bit_code() {
        // SAFETY: pure functions.
        unsafe {
            let r = WasmEdge_ResultGen(abi::CATEGORY_USER, 0x1234_5678);
            assert_eq!(r.Code, 0x0134_5678);
            assert_eq!(WasmEdge_ResultGetCode(r), 0x34_5678);
            assert_eq!(WasmEdge_ResultGetCategory(r), abi::CATEGORY_USER);
            let w = WasmEdge_ResultGen(abi::CATEGORY_WASM, code::MEMORY_OUT_OF_BOUNDS);
            assert_eq!(WasmEdge_ResultGetCategory(w), abi::CATEGORY_WASM);
            assert_eq!(WasmEdge_ResultGetCode(w), 0x408);
        }
    }

    #[test]
    fn messages_follow_wasmedge() {
        assert_eq!(message(abi::OK), "success");
        assert_eq!(
            message(abi::result(code::WRONG_VM_WORKFLOW)),
            "wrong VM workflow"
        );
        assert_eq!(message(abi::result(0x0103)), "magic header not detected");
        assert_eq!(message(abi::result(0x022A)), "offset out of range");
        assert_eq!(message(abi::result(0x0302)), "unknown import");
        assert_eq!(message(abi::result(0x0408)), "out of bounds memory access");
        assert_eq!(message(abi::result(0x041A)), "pending exception");
        // SAFETY: pure function.
        let user = unsafe { WasmEdge_ResultGen(abi::CATEGORY_USER, 0x408) };
        assert_eq!(message(user), "user defined error code");
    }

    #[test]
    fn every_code_listed_in_the_abi_has_its_own_message() {
        // The consecutive ranges of the 0.17.1 error codes (reference §2.4).
        let ranges = [
            0x0000..=0x000F,
            0x0100..=0x011F,
            0x0200..=0x022A,
            0x0300..=0x0304,
            0x0400..=0x041A,
        ];
        for code in ranges.into_iter().flatten() {
            assert_ne!(error_message(code), UNKNOWN_CODE, "{code:#x}");
        }
        assert_eq!(error_message(0x0120), UNKNOWN_CODE);
    }

    static SEEN: std::sync::Mutex<Vec<(u32, String, String)>> = std::sync::Mutex::new(Vec::new());

    unsafe extern "C" fn record(msg: *const WasmEdge_LogMessage) {
        // SAFETY: the logger lends a valid message for the call.
        let msg = unsafe { &*msg };
        // SAFETY: the message's strings are valid for the call.
        let (text, name) = unsafe {
            (
                ffi::string_lossy(msg.Message),
                ffi::string_lossy(msg.LoggerName),
            )
        };
        SEEN.lock().unwrap().push((msg.Level, text, name));
    }

    #[test]
    fn log_level_filters_and_callback_receives_messages() {
        // SAFETY: `record` stays valid for the process.
        unsafe {
            WasmEdge_LogSetCallback(Some(record));
            WasmEdge_LogSetLevel(LogLevel::Warn as u32);
        }
        log(LogLevel::Info, "basic-test: dropped");
        log(LogLevel::Error, "basic-test: kept");
        // SAFETY: plain setters.
        unsafe { WasmEdge_LogOff() };
        log(LogLevel::Critical, "basic-test: off");
        // SAFETY: plain setters.
        unsafe { WasmEdge_LogSetDebugLevel() };
        log(LogLevel::Debug, "basic-test: debug");
        // SAFETY: plain setters; 99 is not a level and is ignored.
        unsafe {
            WasmEdge_LogSetLevel(99);
            WasmEdge_LogSetCallback(None);
            WasmEdge_LogSetLevel(LogLevel::Warn as u32);
        }
        // Other tests may log meanwhile: look at this test's messages only.
        let seen: Vec<_> = SEEN
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, text, _)| text.starts_with("basic-test: "))
            .cloned()
            .collect();
        assert_eq!(
            seen,
            [
                (4, "basic-test: kept".to_string(), "WasmEdge".to_string()),
                (1, "basic-test: debug".to_string(), "WasmEdge".to_string()),
            ]
        );
    }
}
