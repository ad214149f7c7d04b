//! The state of one instance of the module: the last reply received.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// What `send_data` received last, for `get_rcv_len` and `get_rcv` (WasmEdge's `Env.Rcv`).
#[derive(Debug, Default)]
pub struct Received {
    reply: Mutex<Vec<u8>>,
}

impl Received {
    /// The reply, locked.
    pub fn lock(&self) -> MutexGuard<'_, Vec<u8>> {
        self.reply.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
