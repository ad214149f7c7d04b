//! zlib's return codes, as the guest's `zlib.h` numbers them, and the table from zlib-rs's
//! results to them.

use zlib_rs::{DeflateError, InflateError, Status};

/// `Z_OK`.
pub const Z_OK: i32 = 0;
/// `Z_STREAM_END`.
pub const Z_STREAM_END: i32 = 1;
/// `Z_NEED_DICT`.
pub const Z_NEED_DICT: i32 = 2;
/// `Z_ERRNO`.
pub const Z_ERRNO: i32 = -1;
/// `Z_STREAM_ERROR`.
pub const Z_STREAM_ERROR: i32 = -2;
/// `Z_DATA_ERROR`.
pub const Z_DATA_ERROR: i32 = -3;
/// `Z_MEM_ERROR`.
pub const Z_MEM_ERROR: i32 = -4;
/// `Z_BUF_ERROR`.
pub const Z_BUF_ERROR: i32 = -5;
/// `Z_VERSION_ERROR`.
pub const Z_VERSION_ERROR: i32 = -6;

/// A successful step's code.
pub fn status(s: Status) -> i32 {
    match s {
        Status::Ok => Z_OK,
        Status::StreamEnd => Z_STREAM_END,
        Status::BufError => Z_BUF_ERROR,
    }
}

/// A failed deflate step's code.
pub fn deflate_error(e: DeflateError) -> i32 {
    match e {
        DeflateError::StreamError => Z_STREAM_ERROR,
        DeflateError::DataError => Z_DATA_ERROR,
        DeflateError::MemError => Z_MEM_ERROR,
    }
}

/// A failed inflate step's code (a needed dictionary is `Z_NEED_DICT`).
pub fn inflate_error(e: InflateError) -> i32 {
    match e {
        InflateError::NeedDict { .. } => Z_NEED_DICT,
        InflateError::StreamError => Z_STREAM_ERROR,
        InflateError::DataError => Z_DATA_ERROR,
        InflateError::MemError => Z_MEM_ERROR,
    }
}
