//! The state of one instance of the `wasmedge_zlib` module: its streams, keyed by the guest
//! address of their `z_stream` (as WasmEdge keys them), and its open gz files.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::deflate::Deflater;
use crate::gz::GzFiles;
use crate::inflate::Inflater;

/// A stream behind a guest `z_stream`.
pub enum Stream {
    /// Made by a `deflateInit*`.
    Deflate(Box<Deflater>),
    /// Made by an `inflateInit*` or `inflateBackInit*`.
    Inflate(Box<Inflater>),
}

/// One module instance's zlib objects. Host functions may run on several threads at once; each
/// table has its own lock, held for the length of one call.
#[derive(Default)]
pub struct Zlib {
    streams: Mutex<HashMap<u32, Stream>>,
    files: Mutex<GzFiles>,
}

impl Zlib {
    /// The streams, by `z_stream` address.
    pub fn streams(&self) -> MutexGuard<'_, HashMap<u32, Stream>> {
        self.streams.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The open gz files.
    pub fn files(&self) -> MutexGuard<'_, GzFiles> {
        self.files.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
