//! Module `wasi_ephemeral_crypto_symmetric`: keys, states and tags of the hash functions,
//! MACs, HKDF and AEADs (28 functions; the managed-key ones answer `not_implemented`, as in
//! WasmEdge).
//!
//! | algorithm | key | absorb | squeeze | other |
//! |---|---|---|---|---|
//! | `SHA-256`, `SHA-512`, `SHA-512/256` | none (`key_not_supported`) | message | a prefix of the digest | clone |
//! | `HMAC/SHA-256`, `HMAC/SHA-512` | any length; generated 32/64 bytes | message | — | `squeeze_tag`, clone |
//! | `HKDF-EXTRACT/SHA-256`, `/SHA-512` | the input keying material | salt | — | `squeeze_key("HKDF-EXPAND/…")` gives the PRK |
//! | `HKDF-EXPAND/SHA-256`, `/SHA-512` | a PRK of 32/64 bytes (not generated) | info | output keying material | |
//! | `AES-128-GCM`, `AES-256-GCM`, `CHACHA20-POLY1305` | 16/32/32 bytes | associated data | — | encrypt, decrypt (and detached), 16-byte tags, a 12-byte `nonce` option |
//!
//! An AEAD state makes one encryption or decryption: as with WasmEdge's OpenSSL GCM contexts,
//! a second one (or more associated data after it) is `algorithm_failure`, so a nonce is never
//! used twice. (OpenSSL's ChaCha20-Poly1305 context encrypts again; here it does not.)

use std::sync::{Arc, Mutex};

use aes_gcm::aead::{AeadInPlace, KeyInit};
use aes_gcm::{Aes128Gcm, Aes256Gcm};
use chacha20poly1305::ChaCha20Poly1305;
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256, Sha512, Sha512_256};
use subtle::ConstantTimeEq;
use wedge_plugin_sdk::Caller;
use zeroize::Zeroizing;

use crate::common::{AlgorithmType, Shared, SymmetricOptions, to_size};
use crate::errno::{CryptoErrno, Result, errno};
use crate::guest::{Guest, size};
use crate::state::{Context, lock};

/// A symmetric algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymAlg {
    /// `SHA-256`.
    Sha256,
    /// `SHA-512`.
    Sha512,
    /// `SHA-512/256`.
    Sha512_256,
    /// `HMAC/SHA-256`.
    HmacSha256,
    /// `HMAC/SHA-512`.
    HmacSha512,
    /// `HKDF-EXTRACT/SHA-256`.
    HkdfExtractSha256,
    /// `HKDF-EXTRACT/SHA-512`.
    HkdfExtractSha512,
    /// `HKDF-EXPAND/SHA-256`.
    HkdfExpandSha256,
    /// `HKDF-EXPAND/SHA-512`.
    HkdfExpandSha512,
    /// `AES-128-GCM`.
    Aes128Gcm,
    /// `AES-256-GCM`.
    Aes256Gcm,
    /// `CHACHA20-POLY1305`.
    ChaCha20Poly1305,
}

/// The nonce size of every AEAD here.
const NONCE_LEN: usize = 12;
/// The tag size of every AEAD here.
const TAG_LEN: usize = 16;

/// The most bytes a state keeps of absorbed data it cannot process as it comes (HKDF salt and
/// info, AEAD associated data): past it `absorb` answers `algorithm_failure`, so repeated
/// calls cannot grow the host's memory without bound.
pub const MAX_ACCUMULATED: usize = 1 << 30;

impl SymAlg {
    /// The algorithm named `name` (in any case).
    pub fn parse(name: &[u8]) -> Result<Self> {
        Ok(
            match String::from_utf8_lossy(name).to_ascii_uppercase().as_str() {
                "SHA-256" => Self::Sha256,
                "SHA-512" => Self::Sha512,
                "SHA-512/256" => Self::Sha512_256,
                "HMAC/SHA-256" => Self::HmacSha256,
                "HMAC/SHA-512" => Self::HmacSha512,
                "HKDF-EXTRACT/SHA-256" => Self::HkdfExtractSha256,
                "HKDF-EXTRACT/SHA-512" => Self::HkdfExtractSha512,
                "HKDF-EXPAND/SHA-256" => Self::HkdfExpandSha256,
                "HKDF-EXPAND/SHA-512" => Self::HkdfExpandSha512,
                "AES-128-GCM" => Self::Aes128Gcm,
                "AES-256-GCM" => Self::Aes256Gcm,
                "CHACHA20-POLY1305" => Self::ChaCha20Poly1305,
                _ => return Err(CryptoErrno::UnsupportedAlgorithm),
            },
        )
    }

    fn is_hash(self) -> bool {
        matches!(self, Self::Sha256 | Self::Sha512 | Self::Sha512_256)
    }

    fn is_aead(self) -> bool {
        matches!(
            self,
            Self::Aes128Gcm | Self::Aes256Gcm | Self::ChaCha20Poly1305
        )
    }

    /// The size of a generated key (and the required size of an AEAD or HKDF-Expand key).
    fn key_len(self) -> usize {
        match self {
            Self::Aes128Gcm => 16,
            Self::HmacSha512 | Self::HkdfExtractSha512 | Self::HkdfExpandSha512 => 64,
            _ => 32,
        }
    }

    /// The algorithm of the keys `squeeze_key` makes from this algorithm's states.
    fn squeezed_key_alg(self) -> Self {
        match self {
            Self::HkdfExtractSha256 => Self::HkdfExpandSha256,
            Self::HkdfExtractSha512 => Self::HkdfExpandSha512,
            other => other,
        }
    }
}

/// A `symmetric_key`: raw bytes for one algorithm, wiped when closed.
pub struct SymmetricKey {
    alg: SymAlg,
    bytes: Zeroizing<Vec<u8>>,
}

impl SymmetricKey {
    /// `symmetric_key_generate`.
    pub fn generate(alg: SymAlg) -> Result<Self> {
        if alg.is_hash() {
            return Err(CryptoErrno::KeyNotSupported);
        }
        if matches!(alg, SymAlg::HkdfExpandSha256 | SymAlg::HkdfExpandSha512) {
            return Err(CryptoErrno::UnsupportedFeature);
        }
        let mut bytes = Zeroizing::new(vec![0; alg.key_len()]);
        OsRng.try_fill_bytes(&mut bytes)?;
        Ok(Self { alg, bytes })
    }

    /// `symmetric_key_import`: any length but for HKDF-Expand keys (an AEAD key of the wrong
    /// length is refused when a state is opened, as in WasmEdge).
    pub fn import(alg: SymAlg, raw: &[u8]) -> Result<Self> {
        if alg.is_hash() {
            return Err(CryptoErrno::KeyNotSupported);
        }
        if matches!(alg, SymAlg::HkdfExpandSha256 | SymAlg::HkdfExpandSha512)
            && raw.len() != alg.key_len()
        {
            return Err(CryptoErrno::InvalidKey);
        }
        Ok(Self {
            alg,
            bytes: Zeroizing::new(raw.to_vec()),
        })
    }

    /// The key's bytes (`symmetric_key_export`).
    #[must_use]
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

/// A `symmetric_tag`: a MAC or AEAD tag, compared in constant time.
pub struct Tag {
    bytes: Zeroizing<Vec<u8>>,
}

impl Tag {
    fn new(bytes: Vec<u8>) -> Self {
        Self {
            bytes: Zeroizing::new(bytes),
        }
    }

    /// `symmetric_tag_len`.
    #[must_use]
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the tag is empty (never: for clippy).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// `symmetric_tag_pull` into a buffer of `buf_len`: it must be the tag's length
    /// (`overflow` when smaller, `invalid_length` when larger).
    pub fn pull(&self, buf_len: usize) -> Result<&[u8]> {
        match buf_len.cmp(&self.bytes.len()) {
            core::cmp::Ordering::Greater => Err(CryptoErrno::InvalidLength),
            core::cmp::Ordering::Less => Err(CryptoErrno::Overflow),
            core::cmp::Ordering::Equal => Ok(&self.bytes),
        }
    }

    /// `symmetric_tag_verify`: the whole tag, in constant time. (WasmEdge compares only as
    /// many bytes as the guest gives, so an empty tag verifies there; here it does not.)
    pub fn verify(&self, raw: &[u8]) -> Result<()> {
        if raw.len() == self.bytes.len() && bool::from(raw.ct_eq(&self.bytes)) {
            Ok(())
        } else {
            Err(CryptoErrno::InvalidTag)
        }
    }
}

/// A running hash.
#[derive(Clone)]
enum HashState {
    Sha256(Sha256),
    Sha512(Sha512),
    Sha512_256(Sha512_256),
}

/// A running HMAC.
#[derive(Clone)]
enum MacState {
    Sha256(Hmac<Sha256>),
    Sha512(Hmac<Sha512>),
}

/// What a state holds, by kind of algorithm.
enum Sym {
    Hash(HashState),
    Mac(MacState),
    /// HKDF-Extract: the input keying material and the salt absorbed so far.
    Extract {
        ikm: Zeroizing<Vec<u8>>,
        salt: Vec<u8>,
    },
    /// HKDF-Expand: the PRK and the info absorbed so far.
    Expand {
        prk: Zeroizing<Vec<u8>>,
        info: Vec<u8>,
    },
    /// An AEAD: key, nonce, associated data, and whether it has been used.
    Aead {
        key: Zeroizing<Vec<u8>>,
        nonce: [u8; NONCE_LEN],
        aad: Vec<u8>,
        used: bool,
    },
}

/// A `symmetric_state`.
pub struct SymmetricState {
    alg: SymAlg,
    inner: Mutex<Sym>,
}

/// Appends `data` to kept bytes, within [`MAX_ACCUMULATED`].
fn accumulate(kept: &mut Vec<u8>, data: &[u8]) -> Result<()> {
    accumulate_within(kept, data, MAX_ACCUMULATED)
}

/// Appends `data` to kept bytes if they stay within `limit` (else `algorithm_failure`, and
/// nothing is appended).
pub(crate) fn accumulate_within(kept: &mut Vec<u8>, data: &[u8], limit: usize) -> Result<()> {
    if kept.len().saturating_add(data.len()) > limit {
        return Err(CryptoErrno::AlgorithmFailure);
    }
    kept.extend_from_slice(data);
    Ok(())
}

/// Seals `buf` in place with an AEAD; the tag.
fn seal(
    alg: SymAlg,
    key: &[u8],
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    buf: &mut [u8],
) -> Result<Vec<u8>> {
    let nonce = aes_gcm::Nonce::from_slice(nonce);
    let tag = match alg {
        SymAlg::Aes128Gcm => Aes128Gcm::new_from_slice(key)
            .map_err(|_| CryptoErrno::InvalidKey)?
            .encrypt_in_place_detached(nonce, aad, buf)?,
        SymAlg::Aes256Gcm => Aes256Gcm::new_from_slice(key)
            .map_err(|_| CryptoErrno::InvalidKey)?
            .encrypt_in_place_detached(nonce, aad, buf)?,
        SymAlg::ChaCha20Poly1305 => ChaCha20Poly1305::new_from_slice(key)
            .map_err(|_| CryptoErrno::InvalidKey)?
            .encrypt_in_place_detached(nonce, aad, buf)?,
        _ => return Err(CryptoErrno::InvalidOperation),
    };
    Ok(tag.to_vec())
}

/// Opens `buf` in place with an AEAD (`invalid_tag` when the tag does not authenticate it).
fn open(
    alg: SymAlg,
    key: &[u8],
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    buf: &mut [u8],
    tag: &[u8],
) -> Result<()> {
    if tag.len() != TAG_LEN {
        return Err(CryptoErrno::InvalidTag);
    }
    let nonce = aes_gcm::Nonce::from_slice(nonce);
    let tag = aes_gcm::Tag::from_slice(tag);
    match alg {
        SymAlg::Aes128Gcm => Aes128Gcm::new_from_slice(key)
            .map_err(|_| CryptoErrno::InvalidKey)?
            .decrypt_in_place_detached(nonce, aad, buf, tag)?,
        SymAlg::Aes256Gcm => Aes256Gcm::new_from_slice(key)
            .map_err(|_| CryptoErrno::InvalidKey)?
            .decrypt_in_place_detached(nonce, aad, buf, tag)?,
        SymAlg::ChaCha20Poly1305 => ChaCha20Poly1305::new_from_slice(key)
            .map_err(|_| CryptoErrno::InvalidKey)?
            .decrypt_in_place_detached(nonce, aad, buf, tag)?,
        _ => return Err(CryptoErrno::InvalidOperation),
    }
    Ok(())
}

impl SymmetricState {
    /// `symmetric_state_open`: a key for every algorithm but the hashes (`key_required`,
    /// `key_not_supported`), of the same algorithm (`invalid_key`); AEADs need options with a
    /// 12-byte `nonce` (`nonce_required` without options, `invalid_nonce` otherwise) and a
    /// key of their size (`invalid_handle`, as WasmEdge answers).
    pub fn open(
        alg: SymAlg,
        key: Option<&SymmetricKey>,
        options: Option<&SymmetricOptions>,
    ) -> Result<Self> {
        let key = match (alg.is_hash(), key) {
            (true, Some(_)) => return Err(CryptoErrno::KeyNotSupported),
            (true, None) => None,
            (false, None) => return Err(CryptoErrno::KeyRequired),
            (false, Some(k)) if k.alg != alg => return Err(CryptoErrno::InvalidKey),
            (false, Some(k)) => Some(k.bytes.clone()),
        };
        let sym = match (alg, key) {
            (SymAlg::Sha256, _) => Sym::Hash(HashState::Sha256(Sha256::new())),
            (SymAlg::Sha512, _) => Sym::Hash(HashState::Sha512(Sha512::new())),
            (SymAlg::Sha512_256, _) => Sym::Hash(HashState::Sha512_256(Sha512_256::new())),
            (SymAlg::HmacSha256, Some(k)) => Sym::Mac(MacState::Sha256(
                <Hmac<_> as Mac>::new_from_slice(&k).map_err(|_| CryptoErrno::InvalidKey)?,
            )),
            (SymAlg::HmacSha512, Some(k)) => Sym::Mac(MacState::Sha512(
                <Hmac<_> as Mac>::new_from_slice(&k).map_err(|_| CryptoErrno::InvalidKey)?,
            )),
            (SymAlg::HkdfExtractSha256 | SymAlg::HkdfExtractSha512, Some(ikm)) => Sym::Extract {
                ikm,
                salt: Vec::new(),
            },
            (SymAlg::HkdfExpandSha256 | SymAlg::HkdfExpandSha512, Some(prk)) => Sym::Expand {
                prk,
                info: Vec::new(),
            },
            (_, Some(key)) => {
                let options = options.ok_or(CryptoErrno::NonceRequired)?;
                let nonce: [u8; NONCE_LEN] = options
                    .get("nonce")
                    .ok()
                    .and_then(|n| n.try_into().ok())
                    .ok_or(CryptoErrno::InvalidNonce)?;
                if key.len() != alg.key_len() {
                    return Err(CryptoErrno::InvalidHandle);
                }
                Sym::Aead {
                    key,
                    nonce,
                    aad: Vec::new(),
                    used: false,
                }
            }
            (_, None) => return Err(CryptoErrno::KeyRequired),
        };
        Ok(Self {
            alg,
            inner: Mutex::new(sym),
        })
    }

    /// `symmetric_state_clone`: hashes and MACs; `not_implemented` for HKDF and the AEADs
    /// (as in WasmEdge with OpenSSL 3).
    pub fn try_clone(&self) -> Result<Self> {
        let sym = match &*lock(&self.inner) {
            Sym::Hash(h) => Sym::Hash(h.clone()),
            Sym::Mac(m) => Sym::Mac(m.clone()),
            _ => return Err(CryptoErrno::NotImplemented),
        };
        Ok(Self {
            alg: self.alg,
            inner: Mutex::new(sym),
        })
    }

    /// `symmetric_state_options_get`: an AEAD's `nonce`, into a buffer of `max` bytes.
    pub fn options_get(&self, name: &[u8], max: usize) -> Result<Vec<u8>> {
        match &*lock(&self.inner) {
            Sym::Aead { nonce, .. } if name == b"nonce" => {
                if max < NONCE_LEN {
                    Err(CryptoErrno::Overflow)
                } else {
                    Ok(nonce.to_vec())
                }
            }
            _ => Err(CryptoErrno::UnsupportedOption),
        }
    }

    /// `symmetric_state_absorb`.
    pub fn absorb(&self, data: &[u8]) -> Result<()> {
        match &mut *lock(&self.inner) {
            Sym::Hash(HashState::Sha256(h)) => h.update(data),
            Sym::Hash(HashState::Sha512(h)) => h.update(data),
            Sym::Hash(HashState::Sha512_256(h)) => h.update(data),
            Sym::Mac(MacState::Sha256(m)) => m.update(data),
            Sym::Mac(MacState::Sha512(m)) => m.update(data),
            Sym::Extract { salt, .. } => accumulate(salt, data)?,
            Sym::Expand { info, .. } => accumulate(info, data)?,
            Sym::Aead { used: true, .. } => return Err(CryptoErrno::AlgorithmFailure),
            Sym::Aead { aad, .. } => accumulate(aad, data)?,
        }
        Ok(())
    }

    /// `symmetric_state_squeeze` into `len` bytes: a prefix of a digest (`invalid_length`
    /// past it), or HKDF-Expand output.
    pub fn squeeze(&self, len: usize) -> Result<Vec<u8>> {
        let inner = lock(&self.inner);
        let out = match &*inner {
            Sym::Hash(h) => {
                let digest = match h {
                    HashState::Sha256(h) => h.clone().finalize().to_vec(),
                    HashState::Sha512(h) => h.clone().finalize().to_vec(),
                    HashState::Sha512_256(h) => h.clone().finalize().to_vec(),
                };
                if len > digest.len() {
                    return Err(CryptoErrno::InvalidLength);
                }
                digest[..len].to_vec()
            }
            Sym::Expand { prk, info } => {
                // OpenSSL's derive refuses an empty output, and HKDF more than 255 hash
                // lengths; WasmEdge answers invalid_key. Checked before allocating.
                if len == 0 || len > 255 * self.alg.key_len() {
                    return Err(CryptoErrno::InvalidKey);
                }
                let mut okm = vec![0; len];
                if self.alg == SymAlg::HkdfExpandSha256 {
                    Hkdf::<Sha256>::from_prk(prk)
                        .map_err(|_| CryptoErrno::InvalidKey)?
                        .expand(info, &mut okm)?;
                } else {
                    Hkdf::<Sha512>::from_prk(prk)
                        .map_err(|_| CryptoErrno::InvalidKey)?
                        .expand(info, &mut okm)?;
                }
                okm
            }
            _ => return Err(CryptoErrno::InvalidOperation),
        };
        Ok(out)
    }

    /// `symmetric_state_squeeze_tag`: a MAC's tag of everything absorbed (the state goes on).
    pub fn squeeze_tag(&self) -> Result<Tag> {
        match &*lock(&self.inner) {
            Sym::Mac(MacState::Sha256(m)) => {
                Ok(Tag::new(m.clone().finalize().into_bytes().to_vec()))
            }
            Sym::Mac(MacState::Sha512(m)) => {
                Ok(Tag::new(m.clone().finalize().into_bytes().to_vec()))
            }
            _ => Err(CryptoErrno::InvalidOperation),
        }
    }

    /// `symmetric_state_squeeze_key` for `alg`: HKDF-Extract's PRK as an HKDF-Expand key of
    /// the same hash. Another algorithm than the one the state makes keys for is
    /// `unsupported_algorithm`; states that make no keys answer `invalid_operation`.
    pub fn squeeze_key(&self, alg: SymAlg) -> Result<SymmetricKey> {
        if alg != self.alg.squeezed_key_alg() {
            return Err(CryptoErrno::UnsupportedAlgorithm);
        }
        match &*lock(&self.inner) {
            Sym::Extract { ikm, salt } => {
                let prk = if self.alg == SymAlg::HkdfExtractSha256 {
                    Hkdf::<Sha256>::extract(Some(salt), ikm).0.to_vec()
                } else {
                    Hkdf::<Sha512>::extract(Some(salt), ikm).0.to_vec()
                };
                Ok(SymmetricKey {
                    alg,
                    bytes: Zeroizing::new(prk),
                })
            }
            _ => Err(CryptoErrno::InvalidOperation),
        }
    }

    /// `symmetric_state_max_tag_len`: 16 for the AEADs.
    pub fn max_tag_len(&self) -> Result<usize> {
        if self.alg.is_aead() {
            Ok(TAG_LEN)
        } else {
            Err(CryptoErrno::InvalidOperation)
        }
    }

    /// Runs `op` on an AEAD state's key, nonce and associated data, once: after it succeeds
    /// the state is used up (a decryption whose tag does not verify may be retried, as with
    /// OpenSSL's GCM).
    fn once<T>(&self, op: impl FnOnce(&[u8], &[u8; NONCE_LEN], &[u8]) -> Result<T>) -> Result<T> {
        match &mut *lock(&self.inner) {
            Sym::Aead { used: true, .. } => Err(CryptoErrno::AlgorithmFailure),
            Sym::Aead {
                key,
                nonce,
                aad,
                used,
            } => {
                let result = op(key, nonce, aad);
                *used = result.is_ok();
                result
            }
            _ => Err(CryptoErrno::InvalidOperation),
        }
    }

    /// `symmetric_state_encrypt` of `data` into a buffer of `out_len`, which must be the
    /// data's length plus the tag's (`invalid_length`): ciphertext ‖ tag.
    ///
    /// The data is encrypted in place (give it room for the tag to spare a copy).
    pub fn encrypt(&self, out_len: usize, mut data: Vec<u8>) -> Result<Vec<u8>> {
        let tag_len = self.max_tag_len()?;
        if out_len != data.len() + tag_len {
            return Err(CryptoErrno::InvalidLength);
        }
        let tag = self.once(|key, nonce, aad| seal(self.alg, key, nonce, aad, &mut data))?;
        data.extend_from_slice(&tag);
        Ok(data)
    }

    /// `symmetric_state_encrypt_detached`: the ciphertext (as long as the data) and the tag.
    pub fn encrypt_detached(&self, out_len: usize, mut data: Vec<u8>) -> Result<(Vec<u8>, Tag)> {
        if out_len != data.len() {
            return Err(CryptoErrno::InvalidLength);
        }
        let tag = self.once(|key, nonce, aad| seal(self.alg, key, nonce, aad, &mut data))?;
        Ok((data, Tag::new(tag)))
    }

    /// `symmetric_state_decrypt` of ciphertext ‖ tag into a buffer of `out_len`, which must
    /// be the data's length less the tag's (`invalid_length`).
    pub fn decrypt(&self, out_len: usize, mut data: Vec<u8>) -> Result<Vec<u8>> {
        let tag_len = self.max_tag_len()?;
        if data.len() != out_len + tag_len {
            return Err(CryptoErrno::InvalidLength);
        }
        let tag = data.split_off(out_len);
        self.once(|key, nonce, aad| open(self.alg, key, nonce, aad, &mut data, &tag))?;
        Ok(data)
    }

    /// `symmetric_state_decrypt_detached`.
    pub fn decrypt_detached(
        &self,
        out_len: usize,
        mut data: Vec<u8>,
        tag: &[u8],
    ) -> Result<Vec<u8>> {
        if out_len != data.len() {
            return Err(CryptoErrno::InvalidLength);
        }
        self.once(|key, nonce, aad| open(self.alg, key, nonce, aad, &mut data, tag))?;
        Ok(data)
    }
}

impl Context {
    /// `symmetric_key_generate`.
    pub fn symmetric_key_generate(&self, alg: SymAlg, options: Option<u32>) -> Result<u32> {
        self.options_of(options, AlgorithmType::Symmetric)?;
        self.symmetric_keys.insert(SymmetricKey::generate(alg)?)
    }

    /// `symmetric_key_import`.
    pub fn symmetric_key_import(&self, alg: SymAlg, raw: &[u8]) -> Result<u32> {
        self.symmetric_keys.insert(SymmetricKey::import(alg, raw)?)
    }

    /// `symmetric_key_export`.
    pub fn symmetric_key_export(&self, key: u32) -> Result<u32> {
        let bytes = self.symmetric_keys.get(key)?.bytes().to_vec();
        self.output(bytes)
    }

    /// `symmetric_state_open`.
    pub fn symmetric_state_open(
        &self,
        alg: SymAlg,
        key: Option<u32>,
        options: Option<u32>,
    ) -> Result<u32> {
        let key = key.map(|k| self.symmetric_keys.get(k)).transpose()?;
        let options = self
            .options_of(options, AlgorithmType::Symmetric)?
            .and_then(|o| o.symmetric());
        let state = SymmetricState::open(alg, key.as_deref(), options.as_ref())?;
        self.symmetric_states.insert(state)
    }

    /// `symmetric_state_clone`.
    pub fn symmetric_state_clone(&self, state: u32) -> Result<u32> {
        let copy = self.symmetric_states.get(state)?.try_clone()?;
        self.symmetric_states.insert(copy)
    }

    /// `symmetric_state_squeeze_tag`.
    pub fn symmetric_state_squeeze_tag(&self, state: u32) -> Result<u32> {
        let tag = self.symmetric_states.get(state)?.squeeze_tag()?;
        self.symmetric_tags.insert(tag)
    }

    /// `symmetric_state_squeeze_key`.
    pub fn symmetric_state_squeeze_key(&self, state: u32, alg: SymAlg) -> Result<u32> {
        let key = self.symmetric_states.get(state)?.squeeze_key(alg)?;
        self.symmetric_keys.insert(key)
    }

    /// `symmetric_state_encrypt_detached`: the ciphertext and the tag's handle.
    pub fn symmetric_state_encrypt_detached(
        &self,
        state: u32,
        out_len: usize,
        data: Vec<u8>,
    ) -> Result<(Vec<u8>, u32)> {
        let (ciphertext, tag) = self
            .symmetric_states
            .get(state)?
            .encrypt_detached(out_len, data)?;
        Ok((ciphertext, self.symmetric_tags.insert(tag)?))
    }

    /// The state of `handle`.
    pub fn symmetric_state(&self, handle: u32) -> Result<Arc<SymmetricState>> {
        self.symmetric_states.get(handle)
    }
}

/// `symmetric_key_generate(alg, alg_len, *opt_options, *symmetric_key) -> errno`.
pub fn symmetric_key_generate(
    c: Caller<'_, Shared>,
    alg: u32,
    alg_len: u32,
    opt_options: u32,
    out: u32,
) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        let alg = SymAlg::parse(&g.read(alg, alg_len)?)?;
        let options = g.read_opt_handle(opt_options)?;
        g.check(out, size::U32)?;
        let h = c.state().symmetric_key_generate(alg, options)?;
        g.write_u32(out, h)
    })
}

/// `symmetric_key_import(alg, alg_len, raw, raw_len, *symmetric_key) -> errno`.
pub fn symmetric_key_import(
    c: Caller<'_, Shared>,
    alg: u32,
    alg_len: u32,
    raw: u32,
    raw_len: u32,
    out: u32,
) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        let alg = SymAlg::parse(&g.read(alg, alg_len)?)?;
        g.check(out, size::U32)?;
        let raw = Zeroizing::new(g.read(raw, raw_len)?);
        let h = c.state().symmetric_key_import(alg, &raw)?;
        g.write_u32(out, h)
    })
}

/// `symmetric_key_export(symmetric_key, *array_output) -> errno`.
pub fn symmetric_key_export(c: Caller<'_, Shared>, key: u32, out: u32) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(out, size::U32)?;
        let h = c.state().symmetric_key_export(key)?;
        g.write_u32(out, h)
    })
}

/// `symmetric_key_close(symmetric_key) -> errno`.
pub fn symmetric_key_close(c: Caller<'_, Shared>, key: u32) -> u32 {
    errno(|| c.state().symmetric_keys.close(key))
}

/// `symmetric_key_generate_managed(secrets_manager, alg, alg_len, *opt_options, *key)`: not
/// implemented.
pub fn symmetric_key_generate_managed(
    c: Caller<'_, Shared>,
    _secrets_manager: u32,
    alg: u32,
    alg_len: u32,
    opt_options: u32,
    out: u32,
) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        SymAlg::parse(&g.read(alg, alg_len)?)?;
        g.check(opt_options, size::OPT)?;
        g.check(out, size::U32)?;
        Err(CryptoErrno::NotImplemented)
    })
}

/// `symmetric_key_store_managed(secrets_manager, key, key_id, key_id_max_len)`: not
/// implemented.
pub fn symmetric_key_store_managed(
    c: Caller<'_, Shared>,
    _secrets_manager: u32,
    _key: u32,
    key_id: u32,
    key_id_max_len: u32,
) -> u32 {
    errno(|| {
        Guest::of(&c)?.check(key_id, key_id_max_len)?;
        Err(CryptoErrno::NotImplemented)
    })
}

/// `symmetric_key_replace_managed(secrets_manager, old, new, *version)`: not implemented.
pub fn symmetric_key_replace_managed(
    c: Caller<'_, Shared>,
    _secrets_manager: u32,
    _old: u32,
    _new: u32,
    version: u32,
) -> u32 {
    errno(|| {
        Guest::of(&c)?.check(version, size::U64)?;
        Err(CryptoErrno::NotImplemented)
    })
}

/// `symmetric_key_id(key, key_id, key_id_max_len, *size, *version)`: not implemented.
pub fn symmetric_key_id(
    c: Caller<'_, Shared>,
    _key: u32,
    key_id: u32,
    key_id_max_len: u32,
    size_ptr: u32,
    version: u32,
) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(key_id, key_id_max_len)?;
        g.check(size_ptr, size::U32)?;
        g.check(version, size::U64)?;
        Err(CryptoErrno::NotImplemented)
    })
}

/// `symmetric_key_from_id(secrets_manager, key_id, key_id_len, version: u64, *key)`: not
/// implemented.
pub fn symmetric_key_from_id(
    c: Caller<'_, Shared>,
    _secrets_manager: u32,
    key_id: u32,
    key_id_len: u32,
    _version: u64,
    out: u32,
) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(key_id, key_id_len)?;
        g.check(out, size::U32)?;
        Err(CryptoErrno::NotImplemented)
    })
}

/// `symmetric_state_open(alg, alg_len, *opt_symmetric_key, *opt_options, *state) -> errno`.
pub fn symmetric_state_open(
    c: Caller<'_, Shared>,
    alg: u32,
    alg_len: u32,
    opt_key: u32,
    opt_options: u32,
    out: u32,
) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        let alg = SymAlg::parse(&g.read(alg, alg_len)?)?;
        let key = g.read_opt_handle(opt_key)?;
        let options = g.read_opt_handle(opt_options)?;
        g.check(out, size::U32)?;
        let h = c.state().symmetric_state_open(alg, key, options)?;
        g.write_u32(out, h)
    })
}

/// `symmetric_state_clone(state, *state) -> errno`.
pub fn symmetric_state_clone(c: Caller<'_, Shared>, state: u32, out: u32) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(out, size::U32)?;
        let h = c.state().symmetric_state_clone(state)?;
        g.write_u32(out, h)
    })
}

/// `symmetric_state_options_get(state, name, name_len, value, value_max_len, *size)`.
pub fn symmetric_state_options_get(
    c: Caller<'_, Shared>,
    state: u32,
    name: u32,
    name_len: u32,
    value: u32,
    value_len: u32,
    size_ptr: u32,
) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        let name = g.read(name, name_len)?;
        g.check(value, value_len)?;
        g.check(size_ptr, size::U32)?;
        let bytes = c
            .state()
            .symmetric_state(state)?
            .options_get(&name, value_len as usize)?;
        g.write(value, &bytes)?;
        g.write_u32(size_ptr, to_size(bytes.len())?)
    })
}

/// `symmetric_state_options_get_u64(state, name, name_len, *u64)`: no symmetric state has a
/// `u64` option here, as in WasmEdge.
pub fn symmetric_state_options_get_u64(
    c: Caller<'_, Shared>,
    state: u32,
    name: u32,
    name_len: u32,
    out: u32,
) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.read(name, name_len)?;
        g.check(out, size::U64)?;
        c.state().symmetric_state(state)?;
        Err(CryptoErrno::UnsupportedOption)
    })
}

/// `symmetric_state_close(state) -> errno`.
pub fn symmetric_state_close(c: Caller<'_, Shared>, state: u32) -> u32 {
    errno(|| c.state().symmetric_states.close(state))
}

/// `symmetric_state_absorb(state, data, data_len) -> errno`.
pub fn symmetric_state_absorb(c: Caller<'_, Shared>, state: u32, data: u32, len: u32) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(data, len)?;
        let state = c.state().symmetric_state(state)?;
        g.read_chunks(data, len, |piece| state.absorb(piece))
    })
}

/// `symmetric_state_squeeze(state, out, out_len) -> errno`.
pub fn symmetric_state_squeeze(c: Caller<'_, Shared>, state: u32, out: u32, len: u32) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(out, len)?;
        let bytes = Zeroizing::new(c.state().symmetric_state(state)?.squeeze(len as usize)?);
        g.write(out, &bytes)
    })
}

/// `symmetric_state_squeeze_tag(state, *symmetric_tag) -> errno`.
pub fn symmetric_state_squeeze_tag(c: Caller<'_, Shared>, state: u32, out: u32) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(out, size::U32)?;
        let h = c.state().symmetric_state_squeeze_tag(state)?;
        g.write_u32(out, h)
    })
}

/// `symmetric_state_squeeze_key(state, alg, alg_len, *symmetric_key) -> errno`.
pub fn symmetric_state_squeeze_key(
    c: Caller<'_, Shared>,
    state: u32,
    alg: u32,
    alg_len: u32,
    out: u32,
) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        let alg = SymAlg::parse(&g.read(alg, alg_len)?)?;
        g.check(out, size::U32)?;
        let h = c.state().symmetric_state_squeeze_key(state, alg)?;
        g.write_u32(out, h)
    })
}

/// `symmetric_state_max_tag_len(state, *size) -> errno`.
pub fn symmetric_state_max_tag_len(c: Caller<'_, Shared>, state: u32, out: u32) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(out, size::U32)?;
        let len = c.state().symmetric_state(state)?.max_tag_len()?;
        g.write_u32(out, to_size(len)?)
    })
}

/// `symmetric_state_encrypt(state, out, out_len, data, data_len, *size) -> errno`.
pub fn symmetric_state_encrypt(
    c: Caller<'_, Shared>,
    state: u32,
    out: u32,
    out_len: u32,
    data: u32,
    data_len: u32,
    size_ptr: u32,
) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(out, out_len)?;
        let data = g.read_with_room(data, data_len, TAG_LEN)?;
        g.check(size_ptr, size::U32)?;
        let bytes = c
            .state()
            .symmetric_state(state)?
            .encrypt(out_len as usize, data)?;
        g.write(out, &bytes)?;
        g.write_u32(size_ptr, to_size(bytes.len())?)
    })
}

/// `symmetric_state_encrypt_detached(state, out, out_len, data, data_len, *tag) -> errno`.
pub fn symmetric_state_encrypt_detached(
    c: Caller<'_, Shared>,
    state: u32,
    out: u32,
    out_len: u32,
    data: u32,
    data_len: u32,
    tag_ptr: u32,
) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(out, out_len)?;
        let data = g.read(data, data_len)?;
        g.check(tag_ptr, size::U32)?;
        let (bytes, tag) =
            c.state()
                .symmetric_state_encrypt_detached(state, out_len as usize, data)?;
        g.write(out, &bytes)?;
        g.write_u32(tag_ptr, tag)
    })
}

/// `symmetric_state_decrypt(state, out, out_len, data, data_len, *size) -> errno`.
pub fn symmetric_state_decrypt(
    c: Caller<'_, Shared>,
    state: u32,
    out: u32,
    out_len: u32,
    data: u32,
    data_len: u32,
    size_ptr: u32,
) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(out, out_len)?;
        let data = g.read(data, data_len)?;
        g.check(size_ptr, size::U32)?;
        let bytes = Zeroizing::new(
            c.state()
                .symmetric_state(state)?
                .decrypt(out_len as usize, data)?,
        );
        g.write(out, &bytes)?;
        g.write_u32(size_ptr, to_size(bytes.len())?)
    })
}

/// `symmetric_state_decrypt_detached(state, out, out_len, data, data_len, raw_tag,
/// raw_tag_len, *size) -> errno`.
#[allow(clippy::too_many_arguments, reason = "the witx function's parameters")]
pub fn symmetric_state_decrypt_detached(
    c: Caller<'_, Shared>,
    state: u32,
    out: u32,
    out_len: u32,
    data: u32,
    data_len: u32,
    raw_tag: u32,
    raw_tag_len: u32,
    size_ptr: u32,
) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(out, out_len)?;
        let data = g.read(data, data_len)?;
        let tag = g.read(raw_tag, raw_tag_len)?;
        g.check(size_ptr, size::U32)?;
        let bytes = Zeroizing::new(c.state().symmetric_state(state)?.decrypt_detached(
            out_len as usize,
            data,
            &tag,
        )?);
        g.write(out, &bytes)?;
        g.write_u32(size_ptr, to_size(bytes.len())?)
    })
}

/// `symmetric_state_ratchet(state) -> errno`: no algorithm here ratchets.
pub fn symmetric_state_ratchet(c: Caller<'_, Shared>, state: u32) -> u32 {
    errno(|| {
        c.state().symmetric_state(state)?;
        Err(CryptoErrno::InvalidOperation)
    })
}

/// `symmetric_tag_len(tag, *size) -> errno`.
pub fn symmetric_tag_len(c: Caller<'_, Shared>, tag: u32, out: u32) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(out, size::U32)?;
        let len = c.state().symmetric_tags.get(tag)?.len();
        g.write_u32(out, to_size(len)?)
    })
}

/// `symmetric_tag_pull(tag, buf, buf_len, *size) -> errno`.
pub fn symmetric_tag_pull(c: Caller<'_, Shared>, tag: u32, buf: u32, len: u32, out: u32) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(buf, len)?;
        g.check(out, size::U32)?;
        let tag = c.state().symmetric_tags.get(tag)?;
        let bytes = tag.pull(len as usize)?;
        g.write(buf, bytes)?;
        g.write_u32(out, to_size(bytes.len())?)
    })
}

/// `symmetric_tag_verify(tag, raw_tag, raw_tag_len) -> errno`.
pub fn symmetric_tag_verify(c: Caller<'_, Shared>, tag: u32, raw: u32, len: u32) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        let raw = g.read(raw, len)?;
        c.state().symmetric_tags.get(tag)?.verify(&raw)
    })
}

/// `symmetric_tag_close(tag) -> errno`.
pub fn symmetric_tag_close(c: Caller<'_, Shared>, tag: u32) -> u32 {
    errno(|| c.state().symmetric_tags.close(tag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_data_stops_at_its_limit_without_growing() {
        let mut kept = Vec::new();
        assert_eq!(accumulate_within(&mut kept, b"abcd", 6), Ok(()));
        assert_eq!(
            accumulate_within(&mut kept, b"efg", 6),
            Err(CryptoErrno::AlgorithmFailure)
        );
        assert_eq!(kept, b"abcd");
        assert_eq!(accumulate_within(&mut kept, b"ef", 6), Ok(()));
        assert_eq!(accumulate_within(&mut kept, &[], usize::MAX), Ok(()));
    }

    #[test]
    fn names_are_case_insensitive_and_unknown_ones_unsupported() {
        assert_eq!(
            SymAlg::parse(b"chacha20-poly1305"),
            Ok(SymAlg::ChaCha20Poly1305)
        );
        assert_eq!(
            SymAlg::parse(b"Hkdf-Expand/Sha-512"),
            Ok(SymAlg::HkdfExpandSha512)
        );
        assert_eq!(
            SymAlg::parse(b"AES-192-GCM"),
            Err(CryptoErrno::UnsupportedAlgorithm)
        );
        assert_eq!(
            SymAlg::parse(&[0xff, 0xfe]),
            Err(CryptoErrno::UnsupportedAlgorithm)
        );
    }
}
