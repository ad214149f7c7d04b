//! Module `wasi_ephemeral_crypto_common`: options, array outputs and the secrets manager
//! (10 functions).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use wedge_plugin_sdk::Caller;
use zeroize::Zeroizing;

use crate::errno::{CryptoErrno, Result, errno};
use crate::guest::{Guest, size};
use crate::state::{Context, lock};

/// The witx `algorithm_type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlgorithmType {
    /// `signatures` (0).
    Signatures,
    /// `symmetric` (1).
    Symmetric,
    /// `key_exchange` (2).
    KeyExchange,
}

impl AlgorithmType {
    /// The type a guest passed (WasmEdge keeps the low 16 bits), or `unsupported_algorithm`.
    pub fn from_raw(raw: u32) -> Result<Self> {
        match raw as u16 {
            0 => Ok(Self::Signatures),
            1 => Ok(Self::Symmetric),
            2 => Ok(Self::KeyExchange),
            _ => Err(CryptoErrno::UnsupportedAlgorithm),
        }
    }
}

/// An `array_output`: host bytes a guest reads with `array_output_len` and `array_output_pull`.
pub struct ArrayOutput {
    inner: Mutex<Pulled>,
}

struct Pulled {
    data: Zeroizing<Vec<u8>>,
    pos: usize,
}

impl ArrayOutput {
    /// An output holding `data` (wiped from host memory when closed).
    #[must_use]
    pub fn new(data: Vec<u8>) -> Self {
        Self {
            inner: Mutex::new(Pulled {
                data: Zeroizing::new(data),
                pos: 0,
            }),
        }
    }

    /// The length of the whole output.
    pub fn len(&self) -> usize {
        lock(&self.inner).data.len()
    }

    /// Whether the output is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The next at most `max` bytes, and whether this pull found nothing left (the output is
    /// then closed).
    pub fn pull(&self, max: usize) -> (Vec<u8>, bool) {
        let mut p = lock(&self.inner);
        let start = p.pos;
        let n = max.min(p.data.len() - start);
        p.pos += n;
        let bytes = p.data[start..start + n].to_vec();
        (bytes, start == p.data.len())
    }
}

/// An `options` set, of one algorithm type.
pub enum Options {
    /// Symmetric options: `context`, `salt`, `nonce`; `memory_limit`, `ops_limit`,
    /// `parallelism`; a guest `buffer`.
    Symmetric(Mutex<SymmetricOptions>),
    /// Signature options: none is supported.
    Signatures,
    /// Key exchange options: none is supported.
    KeyExchange,
}

/// The values of a symmetric options set.
#[derive(Default, Clone)]
pub struct SymmetricOptions {
    values: HashMap<String, Vec<u8>>,
    u64s: HashMap<String, u64>,
    /// `(pointer, length)` of the guest buffer set with `options_set_guest_buffer`; kept, as
    /// WasmEdge keeps it, and used by no algorithm.
    guest_buffer: Option<(u32, u32)>,
}

/// The names `options_set` accepts for symmetric options (compared in lower case).
const VALUE_NAMES: [&str; 3] = ["context", "salt", "nonce"];
/// The names `options_set_u64` accepts.
const U64_NAMES: [&str; 3] = ["memory_limit", "ops_limit", "parallelism"];

impl SymmetricOptions {
    /// The value `name` was set to, copied, or `option_not_set` (`unsupported_option` for a
    /// name no symmetric option has).
    pub fn get(&self, name: &str) -> Result<&[u8]> {
        let name = name.to_ascii_lowercase();
        if !VALUE_NAMES.contains(&name.as_str()) {
            return Err(CryptoErrno::UnsupportedOption);
        }
        self.values
            .get(&name)
            .map(Vec::as_slice)
            .ok_or(CryptoErrno::OptionNotSet)
    }

    /// The `u64` value `name` was set to.
    pub fn get_u64(&self, name: &str) -> Result<u64> {
        let name = name.to_ascii_lowercase();
        if !U64_NAMES.contains(&name.as_str()) {
            return Err(CryptoErrno::UnsupportedOption);
        }
        self.u64s
            .get(&name)
            .copied()
            .ok_or(CryptoErrno::OptionNotSet)
    }

    /// The guest buffer, if one was set.
    #[must_use]
    pub fn guest_buffer(&self) -> Option<(u32, u32)> {
        self.guest_buffer
    }
}

impl Options {
    /// An empty set for `alg_type`.
    #[must_use]
    pub fn new(alg_type: AlgorithmType) -> Self {
        match alg_type {
            AlgorithmType::Symmetric => Self::Symmetric(Mutex::default()),
            AlgorithmType::Signatures => Self::Signatures,
            AlgorithmType::KeyExchange => Self::KeyExchange,
        }
    }

    /// The algorithm type.
    #[must_use]
    pub fn alg_type(&self) -> AlgorithmType {
        match self {
            Self::Symmetric(_) => AlgorithmType::Symmetric,
            Self::Signatures => AlgorithmType::Signatures,
            Self::KeyExchange => AlgorithmType::KeyExchange,
        }
    }

    /// A copy of the symmetric values, or `None` for another type.
    #[must_use]
    pub fn symmetric(&self) -> Option<SymmetricOptions> {
        match self {
            Self::Symmetric(o) => Some(lock(o).clone()),
            _ => None,
        }
    }

    /// `options_set`.
    pub fn set(&self, name: &[u8], value: &[u8]) -> Result<()> {
        let Self::Symmetric(o) = self else {
            return Err(CryptoErrno::UnsupportedOption);
        };
        let name = lower(name);
        if !VALUE_NAMES.contains(&name.as_str()) {
            return Err(CryptoErrno::UnsupportedOption);
        }
        lock(o).values.insert(name, value.to_vec());
        Ok(())
    }

    /// `options_set_u64`.
    pub fn set_u64(&self, name: &[u8], value: u64) -> Result<()> {
        let Self::Symmetric(o) = self else {
            return Err(CryptoErrno::UnsupportedOption);
        };
        let name = lower(name);
        if !U64_NAMES.contains(&name.as_str()) {
            return Err(CryptoErrno::UnsupportedOption);
        }
        lock(o).u64s.insert(name, value);
        Ok(())
    }

    /// `options_set_guest_buffer`.
    pub fn set_guest_buffer(&self, name: &[u8], ptr: u32, len: u32) -> Result<()> {
        let Self::Symmetric(o) = self else {
            return Err(CryptoErrno::UnsupportedOption);
        };
        if lower(name) != "buffer" {
            return Err(CryptoErrno::UnsupportedOption);
        }
        lock(o).guest_buffer = Some((ptr, len));
        Ok(())
    }
}

/// A name in ASCII lower case (bytes that are not UTF-8 become U+FFFD, which match no name).
fn lower(name: &[u8]) -> String {
    String::from_utf8_lossy(name).to_ascii_lowercase()
}

impl Context {
    /// The options of `handle` if one is given, checked to be of `alg_type` (else
    /// `invalid_handle`, as WasmEdge answers).
    pub fn options_of(
        &self,
        handle: Option<u32>,
        alg_type: AlgorithmType,
    ) -> Result<Option<Arc<Options>>> {
        let Some(handle) = handle else {
            return Ok(None);
        };
        let options = self.options.get(handle)?;
        if options.alg_type() != alg_type {
            return Err(CryptoErrno::InvalidHandle);
        }
        Ok(Some(options))
    }

    /// `array_output_pull` on the host side: the bytes for a buffer of `max`.
    pub fn array_output_pull(&self, handle: u32, max: usize) -> Result<Vec<u8>> {
        let output = self.array_outputs.get(handle)?;
        let (bytes, exhausted) = output.pull(max);
        if exhausted {
            // The pull that finds nothing left closes the output (a pull that copies its last
            // bytes leaves it open, as WasmEdge does).
            let _ = self.array_outputs.close(handle);
        }
        Ok(bytes)
    }
}

/// The module's state: the shared context.
pub type Shared = Arc<Context>;

/// `array_output_len(array_output, *size) -> errno`.
pub fn array_output_len(c: Caller<'_, Shared>, handle: u32, size_ptr: u32) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(size_ptr, size::U32)?;
        let len = c.state().array_outputs.get(handle)?.len();
        g.write_u32(size_ptr, to_size(len)?)
    })
}

/// `array_output_pull(array_output, buf, buf_len, *size) -> errno`.
pub fn array_output_pull(
    c: Caller<'_, Shared>,
    handle: u32,
    buf: u32,
    buf_len: u32,
    size_ptr: u32,
) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(buf, buf_len)?;
        g.check(size_ptr, size::U32)?;
        let bytes = c.state().array_output_pull(handle, buf_len as usize)?;
        g.write(buf, &bytes)?;
        g.write_u32(size_ptr, to_size(bytes.len())?)
    })
}

/// `options_open(algorithm_type, *options) -> errno`.
pub fn options_open(c: Caller<'_, Shared>, alg_type: u32, out: u32) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        let alg_type = AlgorithmType::from_raw(alg_type)?;
        g.check(out, size::U32)?;
        let h = c.state().options.insert(Options::new(alg_type))?;
        g.write_u32(out, h)
    })
}

/// `options_close(options) -> errno`.
pub fn options_close(c: Caller<'_, Shared>, handle: u32) -> u32 {
    errno(|| c.state().options.close(handle))
}

/// `options_set(options, name, name_len, value, value_len) -> errno`.
pub fn options_set(
    c: Caller<'_, Shared>,
    handle: u32,
    name: u32,
    name_len: u32,
    value: u32,
    value_len: u32,
) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        let name = g.read(name, name_len)?;
        let value = g.read(value, value_len)?;
        c.state().options.get(handle)?.set(&name, &value)
    })
}

/// `options_set_u64(options, name, name_len, value: u64) -> errno`.
pub fn options_set_u64(
    c: Caller<'_, Shared>,
    handle: u32,
    name: u32,
    name_len: u32,
    value: u64,
) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        let name = g.read(name, name_len)?;
        c.state().options.get(handle)?.set_u64(&name, value)
    })
}

/// `options_set_guest_buffer(options, name, name_len, buf, buf_len) -> errno`.
pub fn options_set_guest_buffer(
    c: Caller<'_, Shared>,
    handle: u32,
    name: u32,
    name_len: u32,
    buf: u32,
    buf_len: u32,
) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        let name = g.read(name, name_len)?;
        g.check(buf, buf_len)?;
        c.state()
            .options
            .get(handle)?
            .set_guest_buffer(&name, buf, buf_len)
    })
}

/// `secrets_manager_open(*opt_options, *secrets_manager) -> errno`: not implemented, as in
/// WasmEdge.
pub fn secrets_manager_open(c: Caller<'_, Shared>, opt_options: u32, out: u32) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(opt_options, size::OPT)?;
        g.check(out, size::U32)?;
        Err(CryptoErrno::NotImplemented)
    })
}

/// `secrets_manager_close(secrets_manager) -> errno`: not implemented.
pub fn secrets_manager_close(_c: Caller<'_, Shared>, _handle: u32) -> u32 {
    CryptoErrno::NotImplemented.code()
}

/// `secrets_manager_invalidate(secrets_manager, key_id, key_id_len, version: u64) -> errno`:
/// not implemented.
pub fn secrets_manager_invalidate(
    c: Caller<'_, Shared>,
    _handle: u32,
    key_id: u32,
    key_id_len: u32,
    _version: u64,
) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(key_id, key_id_len)?;
        Err(CryptoErrno::NotImplemented)
    })
}

/// A host length as a witx `size` (`algorithm_failure` past 4 GiB, as in WasmEdge).
pub fn to_size(len: usize) -> Result<u32> {
    u32::try_from(len).map_err(|_| CryptoErrno::AlgorithmFailure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn algorithm_types_keep_the_low_16_bits() {
        assert_eq!(AlgorithmType::from_raw(1), Ok(AlgorithmType::Symmetric));
        assert_eq!(
            AlgorithmType::from_raw(0x1_0002),
            Ok(AlgorithmType::KeyExchange)
        );
        assert_eq!(
            AlgorithmType::from_raw(3),
            Err(CryptoErrno::UnsupportedAlgorithm)
        );
    }

    #[test]
    fn symmetric_options_accept_wasmedges_names_in_any_case() {
        let o = Options::new(AlgorithmType::Symmetric);
        o.set(b"context", b"foo").unwrap();
        o.set(b"Salt", b"foo").unwrap();
        o.set(b"NONCE", b"12").unwrap();
        o.set_u64(b"memory_limit", 0).unwrap();
        o.set_u64(b"ops_limit", 0).unwrap();
        o.set_u64(b"parallelism", 0).unwrap();
        o.set_guest_buffer(b"buffer", 0, 0).unwrap();
        assert_eq!(o.set(b"foo", b""), Err(CryptoErrno::UnsupportedOption));
        assert_eq!(o.set_u64(b"foo", 0), Err(CryptoErrno::UnsupportedOption));
        assert_eq!(
            o.set_guest_buffer(b"foo", 0, 3),
            Err(CryptoErrno::UnsupportedOption)
        );
        let s = o.symmetric().unwrap();
        assert_eq!(s.get("nonce"), Ok(&b"12"[..]));
        assert_eq!(s.get("salt"), Ok(&b"foo"[..]));
        assert_eq!(s.get_u64("ops_limit"), Ok(0));
        assert_eq!(s.get("foo"), Err(CryptoErrno::UnsupportedOption));
        assert_eq!(s.guest_buffer(), Some((0, 0)));
        let empty = Options::new(AlgorithmType::Symmetric).symmetric().unwrap();
        assert_eq!(empty.get("context"), Err(CryptoErrno::OptionNotSet));
    }

    #[test]
    fn signature_and_kx_options_support_nothing() {
        for t in [AlgorithmType::Signatures, AlgorithmType::KeyExchange] {
            let o = Options::new(t);
            assert_eq!(o.set(b"foo", b"foo"), Err(CryptoErrno::UnsupportedOption));
            assert_eq!(o.set(b"nonce", b"foo"), Err(CryptoErrno::UnsupportedOption));
            assert_eq!(o.set_u64(b"foo", 0), Err(CryptoErrno::UnsupportedOption));
            assert_eq!(
                o.set_guest_buffer(b"buffer", 0, 3),
                Err(CryptoErrno::UnsupportedOption)
            );
        }
    }

    #[test]
    fn array_outputs_stream_and_close_when_a_pull_finds_nothing_left() {
        let ctx = Context::default();
        let h = ctx.output(b"0123456789".to_vec()).unwrap();
        assert_eq!(ctx.array_outputs.get(h).unwrap().len(), 10);
        assert_eq!(ctx.array_output_pull(h, 0).unwrap(), b"");
        assert_eq!(ctx.array_output_pull(h, 4).unwrap(), b"0123");
        assert_eq!(ctx.array_output_pull(h, 4).unwrap(), b"4567");
        assert_eq!(ctx.array_output_pull(h, 4).unwrap(), b"89");
        assert!(ctx.array_outputs.get(h).is_ok());
        assert_eq!(ctx.array_output_pull(h, 4).unwrap(), b"");
        assert_eq!(
            ctx.array_output_pull(h, 4).err(),
            Some(CryptoErrno::InvalidHandle)
        );
    }

    #[test]
    fn functions_without_guest_memory_answer_algorithm_failure() {
        let ctx = Arc::new(Context::default());
        assert_eq!(options_open(Caller::detached(&ctx), 1, 0), 12);
        assert_eq!(array_output_len(Caller::detached(&ctx), 0, 0), 12);
        assert_eq!(options_close(Caller::detached(&ctx), 0x101), 14);
        assert_eq!(secrets_manager_close(Caller::detached(&ctx), 0), 2);
    }
}
