//! [`StorageEnv`]: the state of one `ssvm_native` or `wasmedge_native` module instance: where
//! its database is, its namespace, the database once opened, and its transaction.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use crate::db::{Storage, StorageError, default_dir};
use crate::tx::Tx;
use crate::{STORAGE_DIR, STORAGE_NAMESPACE};

/// One module instance's state. Every function locks it for the length of its call, so calls
/// from several threads on one instance take turns.
#[derive(Debug)]
pub struct StorageEnv {
    state: Mutex<State>,
}

/// The fields of [`StorageEnv`], behind its lock.
#[derive(Debug)]
pub(crate) struct State {
    /// The storage directory; `None` when no option or environment variable gives one.
    dir: Option<PathBuf>,
    namespace: String,
    /// The database, opened by the first transaction that needs it.
    storage: Option<Storage>,
    pub(crate) tx: Tx,
}

impl StorageEnv {
    /// An instance storing in `dir` (`None`: nowhere, every transaction fails) under
    /// `namespace`. Nothing is opened until a transaction needs the database.
    #[must_use]
    pub fn new(dir: Option<PathBuf>, namespace: impl Into<String>) -> Self {
        Self {
            state: Mutex::new(State {
                dir,
                namespace: namespace.into(),
                storage: None,
                tx: Tx::default(),
            }),
        }
    }

    /// An instance with `--storage-dir` (or [`default_dir`]) and `--storage-namespace`.
    #[must_use]
    pub fn from_options() -> Self {
        let dir = STORAGE_DIR.get();
        let dir = if dir.is_empty() {
            default_dir()
        } else {
            Some(PathBuf::from(dir))
        };
        Self::new(dir, STORAGE_NAMESPACE.get())
    }

    /// The state, locked (a panic while it was locked left it consistent: each update is a
    /// single assignment or append).
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl State {
    /// The database, opened now if it is not yet; a failure is not remembered, so a later
    /// transaction tries again.
    pub(crate) fn storage(&mut self) -> Result<&Storage, StorageError> {
        let storage = match self.storage.take() {
            Some(storage) => storage,
            None => {
                let Some(dir) = &self.dir else {
                    return Err(StorageError::new(
                        "no storage directory: give --storage-dir, or set XDG_DATA_HOME or HOME"
                            .to_owned(),
                    ));
                };
                Storage::open(dir, &self.namespace)?
            }
        };
        Ok(self.storage.insert(storage))
    }
}
