//! The state of one instance of the `wasmedge_tensorflow` module: its sessions, each with the
//! inputs and outputs the guest appended, in a table whose ids are never reused.

use std::collections::HashMap;
use std::ffi::CString;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::ffi::{Session, Tensor};

/// A tensor name as the guest writes it, `operation:index` (`"x:0"`), split as WasmEdge splits
/// it: the operation is what comes before the first `:`; the index is the number after it as C's
/// `strtol` reads it (leading blanks and a sign allowed, 0 when no digits follow), and 0 when
/// there is no `:`. `None` for a name with a NUL byte or a negative index, which no operation
/// has.
#[must_use]
pub fn parse_name(name: &str) -> Option<(CString, usize)> {
    let (op, index) = match name.split_once(':') {
        None => (name, 0),
        Some((op, rest)) => (op, strtol(rest)?),
    };
    Some((CString::new(op).ok()?, index))
}

/// The leading integer of `s` as `strtol(s, NULL, 10)` reads it; `None` when negative.
fn strtol(s: &str) -> Option<usize> {
    let s = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let mut v: usize = 0;
    let mut any = false;
    for b in digits.bytes().take_while(u8::is_ascii_digit) {
        v = v.saturating_mul(10).saturating_add(usize::from(b - b'0'));
        any = true;
    }
    if negative && any && v != 0 {
        None
    } else {
        Some(v)
    }
}

/// A tensor endpoint the guest named: its name as written, and the operation and index.
pub struct Endpoint {
    /// The name as the guest wrote it, the key of [`Context::inputs`] and [`Context::outputs`].
    pub name: String,
    /// The operation.
    pub op: CString,
    /// The operation's output index.
    pub index: usize,
}

/// One session and what the guest set up for its next run.
pub struct Context {
    /// The TensorFlow session (and its graph).
    pub session: Session,
    /// The inputs, in the order first appended; appending a name again replaces its tensor.
    pub inputs: Vec<(Endpoint, Tensor)>,
    /// The outputs, in the order appended (a tensor id is an index here), with the tensor of the
    /// last run.
    pub outputs: Vec<(Endpoint, Option<Tensor>)>,
}

impl Context {
    /// A session with no inputs or outputs.
    #[must_use]
    pub fn new(session: Session) -> Self {
        Self {
            session,
            inputs: Vec::new(),
            outputs: Vec::new(),
        }
    }
}

/// A session, locked by the call using it.
pub type Shared = Arc<Mutex<Context>>;

/// One module instance's sessions. The table's lock is held only to find, add or remove a
/// session; each session has its own, held for the length of one call, so two sessions can run
/// at once.
#[derive(Default)]
pub struct Tensorflow {
    sessions: Mutex<Sessions>,
}

#[derive(Default)]
struct Sessions {
    /// The next id; ids are never reused (WasmEdge's are: it hands a deleted one out again).
    next: u32,
    table: HashMap<u32, Shared>,
}

impl Tensorflow {
    fn sessions(&self) -> MutexGuard<'_, Sessions> {
        self.sessions.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds a session and returns its id (WasmEdge's first is 0, as here); `None` when every
    /// id has been used.
    pub fn add(&self, context: Context) -> Option<u32> {
        let mut s = self.sessions();
        let id = s.next;
        s.next = id.checked_add(1)?;
        s.table.insert(id, Arc::new(Mutex::new(context)));
        Some(id)
    }

    /// The session `id`.
    #[must_use]
    pub fn get(&self, id: u32) -> Option<Shared> {
        self.sessions().table.get(&id).cloned()
    }

    /// Removes the session `id`; TensorFlow's objects are freed when the last call using it
    /// ends.
    pub fn remove(&self, id: u32) -> bool {
        self.sessions().table.remove(&id).is_some()
    }
}

/// Locks a session.
pub fn lock(s: &Shared) -> MutexGuard<'_, Context> {
    s.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_as_wasmedge_splits_them() {
        let p = |s: &str| parse_name(s).map(|(op, i)| (op.into_string().unwrap(), i));
        assert_eq!(p("x:0"), Some(("x".into(), 0)));
        assert_eq!(p("y"), Some(("y".into(), 0)));
        assert_eq!(
            p("StatefulPartitionedCall:1"),
            Some(("StatefulPartitionedCall".into(), 1))
        );
        assert_eq!(p("a:b:2"), Some(("a".into(), 0)));
        assert_eq!(p("x: 3junk"), Some(("x".into(), 3)));
        assert_eq!(p("x:+2"), Some(("x".into(), 2)));
        assert_eq!(p("x:"), Some(("x".into(), 0)));
        assert_eq!(p("x:-0"), Some(("x".into(), 0)));
        assert_eq!(p("x:-1"), None);
        assert_eq!(p("x\0y:0"), None);
    }

    #[test]
    fn an_empty_table_has_no_session() {
        let t = Tensorflow::default();
        assert!(t.get(0).is_none());
        assert!(!t.remove(0));
    }
}
