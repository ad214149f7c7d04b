//! [`Tx`]: the transaction buffer of one module instance (the original's `StorageEnvironment`:
//! a key, a byte buffer and a read position), without the database.

use core::fmt;

/// The bytes of a key.
pub const KEY_LEN: usize = 32;
/// A key: the 32 bytes a guest points at.
pub type Key = [u8; KEY_LEN];
/// The most bytes a store transaction may gather (a `storeI32`/`storeI64` past it fails).
pub const MAX_VALUE_BYTES: usize = 64 << 20;

/// Why a transaction step failed; the guest sees a trap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TxError {
    /// `endStoreTx` with no `beginStoreTx` before it.
    NoStoreTx,
    /// A load of `want` bytes at `offset` of a value of `len` bytes.
    PastEnd {
        /// The read position.
        offset: usize,
        /// The bytes asked for (4 or 8).
        want: usize,
        /// The bytes in the buffer.
        len: usize,
    },
    /// A store would make the value longer than [`MAX_VALUE_BYTES`].
    TooLarge,
}

impl fmt::Display for TxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::NoStoreTx => f.write_str("endStoreTx without beginStoreTx"),
            Self::PastEnd { offset, want, len } => write!(
                f,
                "load of {want} bytes at offset {offset} is past the end of the {len}-byte value"
            ),
            Self::TooLarge => write!(f, "a stored value may not exceed {MAX_VALUE_BYTES} bytes"),
        }
    }
}

impl std::error::Error for TxError {}

/// One instance's transaction state. A store transaction appends to the buffer; a load
/// transaction replaces the buffer with a committed value and reads it in order.
#[derive(Debug, Default)]
pub struct Tx {
    /// The key of the last `beginStoreTx`/`beginLoadTx`.
    key: Option<Key>,
    /// Whether the last begin was a store (so `endStoreTx` has something to commit).
    storing: bool,
    buf: Vec<u8>,
    /// The next byte `load` reads.
    offset: usize,
}

impl Tx {
    /// `beginStoreTx(key)`: a store transaction for `key`, with an empty buffer.
    pub fn begin_store(&mut self, key: Key) {
        self.key = Some(key);
        self.storing = true;
        self.buf.clear();
        self.offset = 0;
    }

    /// `storeI32`/`storeI64`: appends `bytes` (little-endian) to the buffer.
    ///
    /// # Errors
    ///
    /// [`TxError::TooLarge`] when the buffer would pass [`MAX_VALUE_BYTES`].
    pub fn store(&mut self, bytes: &[u8]) -> Result<(), TxError> {
        if self.buf.len() + bytes.len() > MAX_VALUE_BYTES {
            return Err(TxError::TooLarge);
        }
        self.buf.extend_from_slice(bytes);
        Ok(())
    }

    /// `endStoreTx`: the key and value to commit. The transaction stays as it is (a second
    /// `endStoreTx` commits the same value again, as in the original).
    ///
    /// # Errors
    ///
    /// [`TxError::NoStoreTx`] when no store transaction was begun.
    pub fn to_commit(&self) -> Result<(&Key, &[u8]), TxError> {
        match &self.key {
            Some(key) if self.storing => Ok((key, &self.buf)),
            _ => Err(TxError::NoStoreTx),
        }
    }

    /// `beginLoadTx(key)` once the key's committed `value` is read: the buffer becomes the
    /// value, read from its start.
    pub fn begin_load(&mut self, key: Key, value: Vec<u8>) {
        self.key = Some(key);
        self.storing = false;
        self.buf = value;
        self.offset = 0;
    }

    /// `loadI32`/`loadI64`: the next `N` bytes of the buffer.
    ///
    /// # Errors
    ///
    /// [`TxError::PastEnd`] when fewer than `N` bytes are left; the position does not move.
    pub fn load<const N: usize>(&mut self) -> Result<[u8; N], TxError> {
        let bytes = self
            .buf
            .get(self.offset..)
            .and_then(|rest| rest.first_chunk::<N>())
            .copied()
            .ok_or(TxError::PastEnd {
                offset: self.offset,
                want: N,
                len: self.buf.len(),
            })?;
        self.offset += N;
        Ok(bytes)
    }

    /// `endLoadTx`: the next load reads from the start again.
    pub fn end_load(&mut self) {
        self.offset = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const K: Key = *b"00112233445566778899aabbccddeeff";

    #[test]
    fn stores_append_little_endian_and_commit_the_whole_buffer() {
        let mut tx = Tx::default();
        tx.begin_store(K);
        tx.store(&1u32.to_le_bytes()).unwrap();
        tx.store(&(-2i64).to_le_bytes()).unwrap();
        let (key, value) = tx.to_commit().unwrap();
        assert_eq!(key, &K);
        assert_eq!(
            value,
            [1, 0, 0, 0, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        );
    }

    #[test]
    fn begin_store_forgets_what_the_last_transaction_gathered() {
        let mut tx = Tx::default();
        tx.begin_store(K);
        tx.store(&[9; 8]).unwrap();
        tx.begin_store(K);
        tx.store(&[1; 4]).unwrap();
        assert_eq!(tx.to_commit().unwrap().1, [1; 4]);
    }

    #[test]
    fn end_store_without_begin_store_is_an_error() {
        let mut tx = Tx::default();
        assert_eq!(tx.to_commit(), Err(TxError::NoStoreTx));
        tx.begin_load(K, vec![1, 2, 3, 4]);
        assert_eq!(tx.to_commit(), Err(TxError::NoStoreTx));
    }

    #[test]
    fn loads_read_in_order_and_past_the_end_fails_without_moving() {
        let mut tx = Tx::default();
        let mut value = 7u32.to_le_bytes().to_vec();
        value.extend_from_slice(&u64::MAX.to_le_bytes());
        value.extend_from_slice(&3u32.to_le_bytes());
        tx.begin_load(K, value);
        assert_eq!(u32::from_le_bytes(tx.load().unwrap()), 7);
        assert_eq!(u64::from_le_bytes(tx.load().unwrap()), u64::MAX);
        assert_eq!(
            tx.load::<8>(),
            Err(TxError::PastEnd {
                offset: 12,
                want: 8,
                len: 16
            })
        );
        assert_eq!(u32::from_le_bytes(tx.load().unwrap()), 3);
        assert!(tx.load::<4>().is_err());
    }

    #[test]
    fn end_load_rewinds_to_the_start() {
        let mut tx = Tx::default();
        tx.begin_load(K, 5u32.to_le_bytes().to_vec());
        assert_eq!(u32::from_le_bytes(tx.load().unwrap()), 5);
        tx.end_load();
        assert_eq!(u32::from_le_bytes(tx.load().unwrap()), 5);
    }

    #[test]
    fn a_load_with_no_transaction_or_an_empty_value_is_past_the_end() {
        let mut tx = Tx::default();
        assert!(matches!(
            tx.load::<4>(),
            Err(TxError::PastEnd { len: 0, .. })
        ));
        tx.begin_load(K, Vec::new());
        assert!(tx.load::<4>().is_err());
    }

    #[test]
    fn a_value_may_not_grow_past_the_cap() {
        let mut tx = Tx::default();
        tx.begin_store(K);
        tx.store(&vec![0; MAX_VALUE_BYTES - 4]).unwrap();
        tx.store(&[0; 4]).unwrap();
        assert_eq!(tx.store(&[0; 4]), Err(TxError::TooLarge));
        assert_eq!(tx.to_commit().unwrap().1.len(), MAX_VALUE_BYTES);
    }
}
