//! The sessions of one `wasmedge_tensorflowlite` instance, and the [`Interpreter`] each holds.
//!
//! Session ids count up from 0 and are never reused (WasmEdge recycles deleted ids), so a stale
//! id is an errno, never another guest's session. Calls on one session are serialized by its
//! lock; calls on different sessions run in parallel.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::ErrNo;

/// A TensorFlow Lite model ready to run: its input and output tensors, addressed by index
/// (`0..count`) as in TFLite's C API.
pub trait Interpreter: Send {
    /// The number of input tensors.
    fn input_count(&self) -> usize;
    /// The name of input `index` (TFLite's tensor name, such as `serving_default_x:0`).
    fn input_name(&self, index: usize) -> &str;
    /// The byte size of input `index` (its static shape's element count × element size).
    fn input_byte_size(&self, index: usize) -> usize;
    /// Copies `data`, exactly [`Interpreter::input_byte_size`] bytes, into input `index`.
    fn set_input(&mut self, index: usize, data: &[u8]) -> Result<(), String>;
    /// Runs the model on the inputs set.
    fn invoke(&mut self) -> Result<(), String>;
    /// The number of output tensors.
    fn output_count(&self) -> usize;
    /// The name of output `index`.
    fn output_name(&self, index: usize) -> &str;
    /// The byte size of output `index`.
    fn output_byte_size(&self, index: usize) -> usize;
    /// The bytes of output `index` (after an invoke; zeros before).
    fn output_data(&self, index: usize) -> Result<Vec<u8>, String>;
}

/// Builds an interpreter from a model's bytes: `InvalidArgument` for a model that does not
/// import, `Busy` for one that does but cannot run, `RuntimeError` when no runtime is installed.
pub type Engine = fn(&[u8]) -> Result<Box<dyn Interpreter>, ErrNo>;

/// A session's interpreter, shared by the calls that use it.
type Shared = Arc<Mutex<Box<dyn Interpreter>>>;

/// The state of one module instance.
pub struct Sessions {
    engine: Engine,
    table: Mutex<HashMap<u32, Shared>>,
    next: AtomicU32,
}

fn lock<T: ?Sized>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Sessions {
    /// No sessions; models are built by `engine`.
    #[must_use]
    pub fn new(engine: Engine) -> Self {
        Self {
            engine,
            table: Mutex::new(HashMap::new()),
            next: AtomicU32::new(0),
        }
    }

    /// Builds a session from a model; its id.
    pub fn create(&self, model: &[u8]) -> Result<u32, ErrNo> {
        let interp = (self.engine)(model)?;
        let id = self
            .next
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_add(1))
            .map_err(|_| {
                crate::log("Failed when allocating resources.");
                ErrNo::MissingMemory
            })?;
        lock(&self.table).insert(id, Arc::new(Mutex::new(interp)));
        Ok(id)
    }

    /// Deletes a session (an unknown id is not an error, as in WasmEdge). A call running on it
    /// finishes first.
    pub fn delete(&self, id: u32) {
        lock(&self.table).remove(&id);
    }

    /// Runs `f` on session `id`, holding its lock; `InvalidArgument` ("Invalid session ID.")
    /// when there is none.
    pub fn with<T>(
        &self,
        id: u32,
        f: impl FnOnce(&mut dyn Interpreter) -> Result<T, ErrNo>,
    ) -> Result<T, ErrNo> {
        let session = lock(&self.table).get(&id).cloned().ok_or_else(|| {
            crate::log("Invalid session ID.");
            ErrNo::InvalidArgument
        })?;
        let mut interp = lock(&session);
        f(interp.as_mut())
    }
}
