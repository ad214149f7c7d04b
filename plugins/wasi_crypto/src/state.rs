//! The plug-in's state: one [`Context`] per process, shared by the five modules (a key pair made
//! through `wasi_ephemeral_crypto_asymmetric_common` signs through
//! `wasi_ephemeral_crypto_signatures`), holding one [`HandleTable`] per kind of host object.
//!
//! As in WasmEdge, the context lives while any instance of the modules lives, and a handle is
//! its table's type id in the low 8 bits and a counter in the high 24 bits, so the first
//! handles have WasmEdge's values. Unlike WasmEdge, whose counter wraps and may then hand out a
//! freed id again, a table never reuses an id: after 2^24 - 1 handles it answers
//! `too_many_handles`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};

use crate::common::{ArrayOutput, Options};
use crate::errno::{CryptoErrno, Result};
use crate::keys::{KeyPair, PublicKey, SecretKey, Signature};
use crate::signatures::{SignState, VerificationState};
use crate::symmetric::{SymmetricKey, SymmetricState, Tag};

/// The largest counter a handle can carry (24 bits).
const MAX_COUNTER: u32 = 0x00FF_FFFF;

/// Locks a mutex, carrying on after a panic elsewhere (the data is still consistent: every
/// operation either finishes its update or does not start it).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The open objects of one kind, by handle.
pub struct HandleTable<T> {
    type_id: u8,
    inner: Mutex<Table<T>>,
}

struct Table<T> {
    /// The counter of the last handle given out.
    last: u32,
    objects: HashMap<u32, Arc<T>>,
}

impl<T> HandleTable<T> {
    /// An empty table whose handles carry `type_id` (WasmEdge's ids).
    #[must_use]
    pub fn new(type_id: u8) -> Self {
        Self {
            type_id,
            inner: Mutex::new(Table {
                last: 0,
                objects: HashMap::new(),
            }),
        }
    }

    /// Stores `object` under a new handle.
    pub fn insert(&self, object: T) -> Result<u32> {
        let mut table = lock(&self.inner);
        if table.last >= MAX_COUNTER {
            return Err(CryptoErrno::TooManyHandles);
        }
        table.last += 1;
        let handle = table.last << 8 | u32::from(self.type_id);
        table.objects.insert(handle, Arc::new(object));
        Ok(handle)
    }

    /// The object of `handle`, or `invalid_handle`.
    pub fn get(&self, handle: u32) -> Result<Arc<T>> {
        lock(&self.inner)
            .objects
            .get(&handle)
            .cloned()
            .ok_or(CryptoErrno::InvalidHandle)
    }

    /// Closes `handle`, or answers `closed` when it is not open.
    pub fn close(&self, handle: u32) -> Result<()> {
        lock(&self.inner)
            .objects
            .remove(&handle)
            .map(drop)
            .ok_or(CryptoErrno::Closed)
    }

    /// How many objects are open.
    #[must_use]
    pub fn len(&self) -> usize {
        lock(&self.inner).objects.len()
    }

    /// Whether no object is open.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Every open host object of the process, by kind. The type ids are WasmEdge's.
pub struct Context {
    /// `array_output`s.
    pub array_outputs: HandleTable<ArrayOutput>,
    /// `options`.
    pub options: HandleTable<Options>,
    /// `signature_verification_state`s.
    pub verification_states: HandleTable<VerificationState>,
    /// `publickey`s.
    pub public_keys: HandleTable<PublicKey>,
    /// `secretkey`s.
    pub secret_keys: HandleTable<SecretKey>,
    /// `keypair`s.
    pub key_pairs: HandleTable<KeyPair>,
    /// `signature`s.
    pub signatures: HandleTable<Signature>,
    /// `signature_state`s.
    pub sign_states: HandleTable<SignState>,
    /// `symmetric_state`s.
    pub symmetric_states: HandleTable<SymmetricState>,
    /// `symmetric_key`s.
    pub symmetric_keys: HandleTable<SymmetricKey>,
    /// `symmetric_tag`s.
    pub symmetric_tags: HandleTable<Tag>,
}

impl Default for Context {
    fn default() -> Self {
        Self {
            array_outputs: HandleTable::new(0x00),
            options: HandleTable::new(0x01),
            verification_states: HandleTable::new(0x02),
            public_keys: HandleTable::new(0x03),
            secret_keys: HandleTable::new(0x04),
            key_pairs: HandleTable::new(0x05),
            signatures: HandleTable::new(0x06),
            sign_states: HandleTable::new(0x07),
            symmetric_states: HandleTable::new(0x08),
            symmetric_keys: HandleTable::new(0x09),
            symmetric_tags: HandleTable::new(0x0a),
        }
    }
}

/// The context the module instances alive now share.
static INSTANCE: Mutex<Weak<Context>> = Mutex::new(Weak::new());

impl Context {
    /// The process's context, made when no module instance holds one (what each module
    /// instance gets as its state).
    #[must_use]
    pub fn instance() -> Arc<Self> {
        let mut weak = lock(&INSTANCE);
        if let Some(ctx) = weak.upgrade() {
            return ctx;
        }
        let ctx = Arc::new(Self::default());
        *weak = Arc::downgrade(&ctx);
        ctx
    }

    /// Stores `data` as a new `array_output`.
    pub fn output(&self, data: Vec<u8>) -> Result<u32> {
        self.array_outputs.insert(ArrayOutput::new(data))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_carry_the_type_id_and_are_never_reused() {
        let table = HandleTable::new(0x05);
        let a = table.insert(1u8).unwrap();
        assert_eq!(a, 0x105);
        table.close(a).unwrap();
        let b = table.insert(2u8).unwrap();
        assert_eq!(b, 0x205);
        assert_eq!(table.get(a).err(), Some(CryptoErrno::InvalidHandle));
        assert_eq!(*table.get(b).unwrap(), 2);
    }

    #[test]
    fn closing_twice_answers_closed() {
        let table = HandleTable::new(0);
        let h = table.insert(()).unwrap();
        assert_eq!(table.close(h), Ok(()));
        assert_eq!(table.close(h), Err(CryptoErrno::Closed));
        assert_eq!(table.close(0xdead), Err(CryptoErrno::Closed));
    }

    #[test]
    fn a_full_table_answers_too_many_handles() {
        let table = HandleTable::new(1);
        lock(&table.inner).last = MAX_COUNTER - 1;
        let h = table.insert(()).unwrap();
        assert_eq!(h, 0xFFFF_FF01);
        assert_eq!(table.insert(()), Err(CryptoErrno::TooManyHandles));
    }

    #[test]
    fn instances_share_one_context_while_any_lives() {
        let a = Context::instance();
        let b = Context::instance();
        assert!(Arc::ptr_eq(&a, &b));
    }
}
