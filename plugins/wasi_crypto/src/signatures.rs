//! Module `wasi_ephemeral_crypto_signatures`: signing and verification states, and signatures
//! (11 functions).

use std::sync::Mutex;

use ed25519_dalek::Verifier as _;
use p256::ecdsa::signature::hazmat::{PrehashSigner, PrehashVerifier};
use wedge_plugin_sdk::Caller;

use crate::common::Shared;
use crate::errno::{CryptoErrno, Result, errno};
use crate::guest::{Guest, size};
use crate::keys::{
    AsymAlg, Encoding, Hasher, KeyPair, Public, PublicKey, Secret, SigAlg, Signature, ed25519_sign,
    rsa_sign, rsa_verify, sig_hash,
};
use crate::state::{Context, lock};

/// The most message bytes a state keeps for Ed25519 (which signs the whole message, so the
/// state holds it until it signs): past it `update` answers `algorithm_failure`, so repeated
/// updates cannot grow the host's memory without bound.
pub const MAX_MESSAGE: usize = 1 << 30;

/// Appends `data` to a kept message, within [`MAX_MESSAGE`].
fn append(msg: &mut Vec<u8>, data: &[u8]) -> Result<()> {
    crate::symmetric::accumulate_within(msg, data, MAX_MESSAGE)
}

/// A `signature_state`: the message absorbed so far and the key that signs it. It stays usable
/// after signing; a later signature covers everything absorbed since it was opened.
pub struct SignState {
    alg: SigAlg,
    inner: Mutex<Signer>,
}

enum Signer {
    /// ECDSA and RSA: the key and the running hash.
    Hashed(Secret, Box<Hasher>),
    /// Ed25519: the key and the whole message.
    Ed25519(Box<ed25519_dalek::SigningKey>, Vec<u8>),
}

/// Signs a prehashed message with one curve's ECDSA key; the signature in DER.
macro_rules! ecdsa_sign {
    ($krate:ident, $key:expr, $digest:expr) => {{
        let sig: $krate::ecdsa::Signature = $krate::ecdsa::SigningKey::from($key)
            .sign_prehash($digest)
            .map_err(|_| CryptoErrno::AlgorithmFailure)?;
        sig.to_der().as_bytes().to_vec()
    }};
}

impl SignState {
    /// A state signing with `kp`, a signature key pair.
    pub fn open(kp: &KeyPair) -> Result<Self> {
        let AsymAlg::Sig(alg) = kp.alg else {
            return Err(CryptoErrno::InvalidHandle);
        };
        let signer = match (&kp.secret, sig_hash(alg)) {
            (Secret::Ed25519(k), _) => Signer::Ed25519(k.clone(), Vec::new()),
            (secret, Some(sha)) => Signer::Hashed(secret.clone(), Box::new(Hasher::new(sha))),
            (_, None) => return Err(CryptoErrno::InvalidKey),
        };
        Ok(Self {
            alg,
            inner: Mutex::new(signer),
        })
    }

    /// `signature_state_update`.
    pub fn update(&self, data: &[u8]) -> Result<()> {
        match &mut *lock(&self.inner) {
            Signer::Hashed(_, h) => {
                h.update(data);
                Ok(())
            }
            Signer::Ed25519(_, msg) => append(msg, data),
        }
    }

    /// `signature_state_sign`.
    pub fn sign(&self) -> Result<Signature> {
        let bytes = match &*lock(&self.inner) {
            Signer::Ed25519(k, msg) => ed25519_sign(k, msg),
            Signer::Hashed(secret, h) => {
                let digest = h.digest();
                match (secret, self.alg) {
                    (Secret::P256(k), _) => ecdsa_sign!(p256, k, &digest),
                    (Secret::K256(k), _) => ecdsa_sign!(k256, k, &digest),
                    (Secret::P384(k), _) => ecdsa_sign!(p384, k, &digest),
                    (Secret::Rsa(k), SigAlg::Rsa(r)) => rsa_sign(k, r, &digest)?,
                    _ => return Err(CryptoErrno::InvalidKey),
                }
            }
        };
        Ok(Signature {
            alg: self.alg,
            bytes,
        })
    }
}

/// A `signature_verification_state`: the message absorbed so far and the public key.
pub struct VerificationState {
    alg: SigAlg,
    inner: Mutex<Checker>,
}

enum Checker {
    /// ECDSA and RSA: the key and the running hash.
    Hashed(Public, Box<Hasher>),
    /// Ed25519: the key and the whole message.
    Ed25519(ed25519_dalek::VerifyingKey, Vec<u8>),
}

/// Verifies a DER ECDSA signature of a digest with one curve's key.
macro_rules! ecdsa_verify {
    ($krate:ident, $key:expr, $digest:expr, $der:expr) => {{
        let sig = $krate::ecdsa::Signature::from_der($der)
            .map_err(|_| CryptoErrno::VerificationFailed)?;
        // OpenSSL accepts either s of a pair (s, n - s); k256 only the low one.
        let sig = sig.normalize_s().unwrap_or(sig);
        $krate::ecdsa::VerifyingKey::from($key)
            .verify_prehash($digest, &sig)
            .map_err(|_| CryptoErrno::VerificationFailed)
    }};
}

impl VerificationState {
    /// A state verifying with `pk`, a signature public key.
    pub fn open(pk: &PublicKey) -> Result<Self> {
        let AsymAlg::Sig(alg) = pk.alg else {
            return Err(CryptoErrno::InvalidHandle);
        };
        let checker = match (&pk.public, sig_hash(alg)) {
            (Public::Ed25519(k), _) => Checker::Ed25519(*k, Vec::new()),
            (public, Some(sha)) => Checker::Hashed(public.clone(), Box::new(Hasher::new(sha))),
            (_, None) => return Err(CryptoErrno::InvalidKey),
        };
        Ok(Self {
            alg,
            inner: Mutex::new(checker),
        })
    }

    /// `signature_verification_state_update`.
    pub fn update(&self, data: &[u8]) -> Result<()> {
        match &mut *lock(&self.inner) {
            Checker::Hashed(_, h) => {
                h.update(data);
                Ok(())
            }
            Checker::Ed25519(_, msg) => append(msg, data),
        }
    }

    /// `signature_verification_state_verify`: `invalid_signature` for a signature of another
    /// algorithm, `verification_failed` for one that does not verify.
    pub fn verify(&self, sig: &Signature) -> Result<()> {
        if sig.alg != self.alg {
            return Err(CryptoErrno::InvalidSignature);
        }
        match &*lock(&self.inner) {
            Checker::Ed25519(k, msg) => {
                let s = ed25519_dalek::Signature::from_slice(&sig.bytes)
                    .map_err(|_| CryptoErrno::VerificationFailed)?;
                k.verify(msg, &s)
                    .map_err(|_| CryptoErrno::VerificationFailed)
            }
            Checker::Hashed(public, h) => {
                let digest = h.digest();
                match (public, self.alg) {
                    (Public::P256(k), _) => ecdsa_verify!(p256, k, &digest, &sig.bytes),
                    (Public::K256(k), _) => ecdsa_verify!(k256, k, &digest, &sig.bytes),
                    (Public::P384(k), _) => ecdsa_verify!(p384, k, &digest, &sig.bytes),
                    (Public::Rsa(k), SigAlg::Rsa(r)) => rsa_verify(k, r, &digest, &sig.bytes),
                    _ => Err(CryptoErrno::VerificationFailed),
                }
            }
        }
    }
}

impl Context {
    /// `signature_state_open`: `invalid_handle` for a key pair that is not for signatures.
    pub fn signature_state_open(&self, kp: u32) -> Result<u32> {
        let state = SignState::open(&*self.key_pairs.get(kp)?)?;
        self.sign_states.insert(state)
    }

    /// `signature_state_sign`.
    pub fn signature_state_sign(&self, state: u32) -> Result<u32> {
        let sig = self.sign_states.get(state)?.sign()?;
        self.signatures.insert(sig)
    }

    /// `signature_verification_state_open`.
    pub fn verification_state_open(&self, pk: u32) -> Result<u32> {
        let state = VerificationState::open(&*self.public_keys.get(pk)?)?;
        self.verification_states.insert(state)
    }

    /// `signature_verification_state_verify`.
    pub fn verification_state_verify(&self, state: u32, sig: u32) -> Result<()> {
        let state = self.verification_states.get(state)?;
        let sig = self.signatures.get(sig)?;
        state.verify(&sig)
    }

    /// `signature_import`.
    pub fn signature_import(&self, alg: SigAlg, encoded: &[u8], enc: Encoding) -> Result<u32> {
        self.signatures
            .insert(Signature::import(alg, encoded, enc)?)
    }

    /// `signature_export`.
    pub fn signature_export(&self, sig: u32, enc: Encoding) -> Result<u32> {
        let bytes = self.signatures.get(sig)?.export(enc)?;
        self.output(bytes)
    }
}

/// `signature_export(signature, encoding, *array_output) -> errno`.
pub fn signature_export(c: Caller<'_, Shared>, sig: u32, encoding: u32, out: u32) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        let enc = Encoding::signature(encoding)?;
        g.check(out, size::U32)?;
        let h = c.state().signature_export(sig, enc)?;
        g.write_u32(out, h)
    })
}

/// `signature_import(alg, alg_len, encoded, encoded_len, encoding, *signature) -> errno`.
pub fn signature_import(
    c: Caller<'_, Shared>,
    alg: u32,
    alg_len: u32,
    encoded: u32,
    encoded_len: u32,
    encoding: u32,
    out: u32,
) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        let alg = SigAlg::parse(&g.read(alg, alg_len)?)?;
        let encoded = g.read(encoded, encoded_len)?;
        let enc = Encoding::signature(encoding)?;
        g.check(out, size::U32)?;
        let h = c.state().signature_import(alg, &encoded, enc)?;
        g.write_u32(out, h)
    })
}

/// `signature_state_open(keypair, *signature_state) -> errno`.
pub fn signature_state_open(c: Caller<'_, Shared>, kp: u32, out: u32) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(out, size::U32)?;
        let h = c.state().signature_state_open(kp)?;
        g.write_u32(out, h)
    })
}

/// `signature_state_update(signature_state, input, input_len) -> errno`.
pub fn signature_state_update(c: Caller<'_, Shared>, state: u32, input: u32, len: u32) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(input, len)?;
        let state = c.state().sign_states.get(state)?;
        g.read_chunks(input, len, |piece| state.update(piece))
    })
}

/// `signature_state_sign(signature_state, *signature) -> errno`.
pub fn signature_state_sign(c: Caller<'_, Shared>, state: u32, out: u32) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(out, size::U32)?;
        let h = c.state().signature_state_sign(state)?;
        g.write_u32(out, h)
    })
}

/// `signature_state_close(signature_state) -> errno`.
pub fn signature_state_close(c: Caller<'_, Shared>, state: u32) -> u32 {
    errno(|| {
        Guest::of(&c)?;
        c.state().sign_states.close(state)
    })
}

/// `signature_verification_state_open(publickey, *verification_state) -> errno`.
pub fn signature_verification_state_open(c: Caller<'_, Shared>, pk: u32, out: u32) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(out, size::U32)?;
        let h = c.state().verification_state_open(pk)?;
        g.write_u32(out, h)
    })
}

/// `signature_verification_state_update(state, input, input_len) -> errno`.
pub fn signature_verification_state_update(
    c: Caller<'_, Shared>,
    state: u32,
    input: u32,
    len: u32,
) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(input, len)?;
        let state = c.state().verification_states.get(state)?;
        g.read_chunks(input, len, |piece| state.update(piece))
    })
}

/// `signature_verification_state_verify(state, signature) -> errno`.
pub fn signature_verification_state_verify(c: Caller<'_, Shared>, state: u32, sig: u32) -> u32 {
    errno(|| c.state().verification_state_verify(state, sig))
}

/// `signature_verification_state_close(state) -> errno`.
pub fn signature_verification_state_close(c: Caller<'_, Shared>, state: u32) -> u32 {
    errno(|| c.state().verification_states.close(state))
}

/// `signature_close(signature) -> errno`.
pub fn signature_close(c: Caller<'_, Shared>, sig: u32) -> u32 {
    errno(|| c.state().signatures.close(sig))
}
