//! [`Storage`]: a namespace of the database in a storage directory, opened once per process and
//! directory.

use core::fmt;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};

use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};

use crate::tx::Key;

/// The database's file in the storage directory.
pub const DB_FILE: &str = "storage.redb";
/// The longest namespace name, in bytes.
const MAX_NAMESPACE: usize = 200;

/// Why the database could not be opened, read or written: a message naming the file or the
/// step, one word wide.
#[derive(Debug)]
pub struct StorageError(Box<Message>);

/// The text of a [`StorageError`].
#[derive(Debug)]
struct Message(String);

impl StorageError {
    #[cold]
    pub(crate) fn new(message: String) -> Self {
        Self(Box::new(Message(message)))
    }
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.0)
    }
}

impl std::error::Error for StorageError {}

/// The storage directory of a run without `--storage-dir`: `$XDG_DATA_HOME/wedge/storage` when
/// `XDG_DATA_HOME` is an absolute path, else `$HOME/.local/share/wedge/storage`; `None` without
/// either.
#[must_use]
pub fn default_dir() -> Option<PathBuf> {
    let xdg = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute());
    let data = xdg.or_else(|| {
        std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(|h| PathBuf::from(h).join(".local/share"))
    })?;
    Some(data.join("wedge/storage"))
}

/// The databases this process has open, by file, so that every module instance (of both
/// modules) uses one handle: redb refuses a second handle on a file, in this process as in
/// another. An entry goes when its last [`Storage`] is dropped, which closes the file.
fn open_databases() -> &'static Mutex<HashMap<PathBuf, Weak<Database>>> {
    static OPEN: std::sync::OnceLock<Mutex<HashMap<PathBuf, Weak<Database>>>> =
        std::sync::OnceLock::new();
    OPEN.get_or_init(Mutex::default)
}

/// One namespace of the database in one directory.
#[derive(Debug)]
pub struct Storage {
    db: Arc<Database>,
    /// The redb table holding the namespace's keys.
    table: String,
}

impl Storage {
    /// The namespace `namespace` of the database in `dir` (created, with the directory, if
    /// missing). The database is opened once per process: a second `Storage` on the same
    /// directory shares the handle.
    ///
    /// # Errors
    ///
    /// A namespace that is empty or longer than 200 bytes; a directory or database that cannot
    /// be created or opened, in particular one that another process has open (`Database already
    /// open. Cannot acquire lock.`). The message names the file.
    pub fn open(dir: &Path, namespace: &str) -> Result<Self, StorageError> {
        if namespace.is_empty() || namespace.len() > MAX_NAMESPACE {
            return Err(StorageError::new(format!(
                "the storage namespace must be 1 to {MAX_NAMESPACE} bytes, not {:?}",
                namespace
            )));
        }
        std::fs::create_dir_all(dir).map_err(|e| {
            StorageError::new(format!(
                "cannot create the storage directory {}: {e}",
                dir.display()
            ))
        })?;
        let file = dir.join(DB_FILE);
        let canonical = file
            .parent()
            .and_then(|d| d.canonicalize().ok())
            .map_or_else(|| file.clone(), |d| d.join(DB_FILE));
        let mut open = open_databases()
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let db = match open.get(&canonical).and_then(Weak::upgrade) {
            Some(db) => db,
            None => {
                let db = Arc::new(Database::create(&file).map_err(|e| {
                    StorageError::new(format!(
                        "cannot open the storage database {}: {e}",
                        file.display()
                    ))
                })?);
                open.retain(|_, w| w.strong_count() > 0);
                open.insert(canonical, Arc::downgrade(&db));
                db
            }
        };
        Ok(Self {
            db,
            table: format!("ns:{namespace}"),
        })
    }

    fn table(&self) -> TableDefinition<'_, &'static [u8], &'static [u8]> {
        TableDefinition::new(&self.table)
    }

    /// Stores `value` under `key`, replacing what was there, in one durable transaction: when
    /// this returns `Ok`, the value survives a crash.
    ///
    /// # Errors
    ///
    /// When redb cannot write or commit (the value is then not stored).
    pub fn commit(&self, key: &Key, value: &[u8]) -> Result<(), StorageError> {
        let fail = |e: &dyn fmt::Display| StorageError::new(format!("commit failed: {e}"));
        let tx = self.db.begin_write().map_err(|e| fail(&e))?;
        {
            let mut table = tx.open_table(self.table()).map_err(|e| fail(&e))?;
            table.insert(key.as_slice(), value).map_err(|e| fail(&e))?;
        }
        tx.commit().map_err(|e| fail(&e))
    }

    /// The value committed under `key`, `None` when there is none.
    ///
    /// # Errors
    ///
    /// When redb cannot read the database.
    pub fn load(&self, key: &Key) -> Result<Option<Vec<u8>>, StorageError> {
        let fail = |e: &dyn fmt::Display| StorageError::new(format!("load failed: {e}"));
        let tx = self.db.begin_read().map_err(|e| fail(&e))?;
        let table = match tx.open_table(self.table()) {
            Ok(table) => table,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
            Err(e) => return Err(fail(&e)),
        };
        let value = table.get(key.as_slice()).map_err(|e| fail(&e))?;
        Ok(value.map(|v| v.value().to_vec()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(test: &str) -> PathBuf {
        let dir = std::env::temp_dir()
            .join(format!("wedge-storage-{}", std::process::id()))
            .join(test);
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    const K: Key = *b"ffeeddccbbaa99887766554433221100";

    #[test]
    fn the_error_is_one_word_wide() {
        assert_eq!(size_of::<StorageError>(), size_of::<usize>());
    }

    #[test]
    fn a_committed_value_is_loaded_after_the_database_is_closed_and_reopened() {
        let d = dir("reopen");
        let s = Storage::open(&d, "a").unwrap();
        assert_eq!(s.load(&K).unwrap(), None);
        s.commit(&K, b"12345678").unwrap();
        s.commit(&K, b"abcd").unwrap();
        drop(s);
        let s = Storage::open(&d, "a").unwrap();
        assert_eq!(s.load(&K).unwrap().as_deref(), Some(&b"abcd"[..]));
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn namespaces_do_not_see_each_other_s_keys_and_share_one_handle() {
        let d = dir("namespaces");
        let a = Storage::open(&d, "a").unwrap();
        let b = Storage::open(&d, "b").unwrap();
        assert!(Arc::ptr_eq(&a.db, &b.db));
        a.commit(&K, b"in a").unwrap();
        assert_eq!(b.load(&K).unwrap(), None);
        b.commit(&K, b"in b").unwrap();
        assert_eq!(a.load(&K).unwrap().as_deref(), Some(&b"in a"[..]));
        assert_eq!(b.load(&K).unwrap().as_deref(), Some(&b"in b"[..]));
        drop((a, b));
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn an_empty_or_overlong_namespace_is_refused() {
        let d = dir("names");
        assert!(Storage::open(&d, "").is_err());
        assert!(Storage::open(&d, &"n".repeat(201)).is_err());
        assert!(Storage::open(&d, &"n".repeat(200)).is_ok());
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_directory_that_cannot_be_created_is_a_clear_error() {
        let d = dir("file");
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("plain"), b"").unwrap();
        let e = Storage::open(&d.join("plain/sub"), "a").unwrap_err();
        assert!(
            e.to_string()
                .contains("cannot create the storage directory"),
            "{e}"
        );
        std::fs::remove_dir_all(&d).unwrap();
    }
}
