//! The nine host functions of the storage modules (the original's `storage_func.cpp`), shared by
//! `ssvm_native` and `wasmedge_native`.

use wedge_plugin_sdk::{Caller, Error};

use crate::env::StorageEnv;
use crate::log;
use crate::tx::{KEY_LEN, Key, TxError};

/// The key at `key_ptr`: its 32 bytes, all of which must be in the guest's memory.
fn guest_key(c: &Caller<'_, StorageEnv>, key_ptr: u32) -> Result<Key, Error> {
    c.memory(0)?.read_array::<KEY_LEN>(key_ptr.into())
}

/// Logs a transaction error and turns it into the guest's trap.
fn tx_failed(what: &str, e: TxError) -> Error {
    log(&format!("{what}: {e}"));
    Error::host_func_error()
}

/// A key for messages: as quoted text when all 32 bytes are printable ASCII, else in hex.
fn show_key(key: &Key) -> String {
    match std::str::from_utf8(key) {
        Ok(text) if text.bytes().all(|b| b.is_ascii_graphic()) => format!("\"{text}\""),
        _ => key.iter().map(|b| format!("{b:02x}")).collect(),
    }
}

/// `createUUID(key_ptr)`: writes a fresh random key, 32 lowercase hex characters (16 random
/// bytes), and a NUL at `key_ptr`.
pub fn create_uuid(c: Caller<'_, StorageEnv>, key_ptr: u32) -> Result<(), Error> {
    let memory = c.memory(0)?;
    if !memory.in_bounds(key_ptr.into(), KEY_LEN as u64 + 1) {
        return Err(Error::memory_out_of_bounds());
    }
    let mut random = [0u8; KEY_LEN / 2];
    getrandom::fill(&mut random).map_err(|e| {
        log(&format!("createUUID: no random bytes: {e}"));
        Error::host_func_error()
    })?;
    let mut text = [0u8; KEY_LEN + 1];
    for (pair, byte) in text.chunks_exact_mut(2).zip(random) {
        pair[0] = b"0123456789abcdef"[usize::from(byte >> 4)];
        pair[1] = b"0123456789abcdef"[usize::from(byte & 0xF)];
    }
    memory.write(key_ptr.into(), &text)
}

/// `beginStoreTx(key_ptr)`: starts a store transaction for the key at `key_ptr`.
pub fn begin_store_tx(c: Caller<'_, StorageEnv>, key_ptr: u32) -> Result<(), Error> {
    let key = guest_key(&c, key_ptr)?;
    c.state().lock().tx.begin_store(key);
    Ok(())
}

/// `beginLoadTx(key_ptr)`: reads the value committed under the key at `key_ptr`; a key with no
/// value, or a database that cannot be opened, traps.
pub fn begin_load_tx(c: Caller<'_, StorageEnv>, key_ptr: u32) -> Result<(), Error> {
    let key = guest_key(&c, key_ptr)?;
    let mut state = c.state().lock();
    let loaded = state.storage().and_then(|s| s.load(&key));
    match loaded {
        Ok(Some(value)) => {
            state.tx.begin_load(key, value);
            Ok(())
        }
        Ok(None) => {
            log(&format!(
                "beginLoadTx: no value is stored under the key {}",
                show_key(&key)
            ));
            Err(Error::host_func_error())
        }
        Err(e) => {
            log(&format!("beginLoadTx: {e}"));
            Err(Error::host_func_error())
        }
    }
}

/// `storeI32(value)`: appends the value's 4 bytes, little-endian.
pub fn store_i32(c: Caller<'_, StorageEnv>, value: i32) -> Result<(), Error> {
    let mut state = c.state().lock();
    state
        .tx
        .store(&value.to_le_bytes())
        .map_err(|e| tx_failed("storeI32", e))
}

/// `storeI64(value)`: appends the value's 8 bytes, little-endian.
pub fn store_i64(c: Caller<'_, StorageEnv>, value: i64) -> Result<(), Error> {
    let mut state = c.state().lock();
    state
        .tx
        .store(&value.to_le_bytes())
        .map_err(|e| tx_failed("storeI64", e))
}

/// `loadI32()`: the next 4 bytes of the loaded value; past its end traps.
pub fn load_i32(c: Caller<'_, StorageEnv>) -> Result<i32, Error> {
    let mut state = c.state().lock();
    let bytes = state.tx.load().map_err(|e| tx_failed("loadI32", e))?;
    Ok(i32::from_le_bytes(bytes))
}

/// `loadI64()`: the next 8 bytes of the loaded value; past its end traps.
pub fn load_i64(c: Caller<'_, StorageEnv>) -> Result<i64, Error> {
    let mut state = c.state().lock();
    let bytes = state.tx.load().map_err(|e| tx_failed("loadI64", e))?;
    Ok(i64::from_le_bytes(bytes))
}

/// `endStoreTx()`: commits what the store transaction gathered, durably, as the key's value.
pub fn end_store_tx(c: Caller<'_, StorageEnv>) -> Result<(), Error> {
    let mut state = c.state().lock();
    let (key, value) = match state.tx.to_commit() {
        Ok((key, value)) => (*key, value.to_vec()),
        Err(e) => return Err(tx_failed("endStoreTx", e)),
    };
    let committed = state.storage().and_then(|s| s.commit(&key, &value));
    committed.map_err(|e| {
        log(&format!("endStoreTx: {e}"));
        Error::host_func_error()
    })
}

/// `endLoadTx()`: the next load reads the value from its start.
pub fn end_load_tx(c: Caller<'_, StorageEnv>) {
    c.state().lock().tx.end_load();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_calls_and_loads_without_a_guest_follow_the_transaction() {
        let env = StorageEnv::new(None, "t");
        let c = Caller::detached(&env);
        // A key needs guest memory: without one, MemoryOutOfBounds.
        assert_eq!(
            begin_store_tx(Caller::detached(&env), 0),
            Err(Error::memory_out_of_bounds())
        );
        assert_eq!(
            create_uuid(Caller::detached(&env), 0),
            Err(Error::memory_out_of_bounds())
        );
        // endStoreTx with no transaction, and loads with nothing loaded, trap.
        assert_eq!(
            end_store_tx(Caller::detached(&env)),
            Err(Error::host_func_error())
        );
        assert_eq!(
            load_i32(Caller::detached(&env)),
            Err(Error::host_func_error())
        );
        assert_eq!(
            load_i64(Caller::detached(&env)),
            Err(Error::host_func_error())
        );
        // With a transaction begun, the values go to the buffer, and a load reads them back
        // once the buffer is loaded.
        env.lock()
            .tx
            .begin_store(*b"0123456789abcdef0123456789abcdef");
        store_i32(Caller::detached(&env), -3).unwrap();
        store_i64(Caller::detached(&env), 1 << 40).unwrap();
        let value = env.lock().tx.to_commit().unwrap().1.to_vec();
        env.lock().tx.begin_load([0; KEY_LEN], value);
        assert_eq!(load_i32(Caller::detached(&env)), Ok(-3));
        assert_eq!(load_i64(Caller::detached(&env)), Ok(1 << 40));
        end_load_tx(c);
        assert_eq!(load_i32(Caller::detached(&env)), Ok(-3));
    }

    #[test]
    fn end_store_with_no_storage_directory_traps() {
        let env = StorageEnv::new(None, "t");
        env.lock().tx.begin_store([b'k'; KEY_LEN]);
        assert_eq!(
            end_store_tx(Caller::detached(&env)),
            Err(Error::host_func_error())
        );
    }

    #[test]
    fn keys_are_shown_as_text_when_printable_else_as_hex() {
        assert_eq!(
            show_key(&[b'a'; KEY_LEN]),
            format!("\"{}\"", "a".repeat(32))
        );
        assert_eq!(show_key(&[0; KEY_LEN]), "00".repeat(32));
    }
}
