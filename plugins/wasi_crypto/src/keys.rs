//! Asymmetric algorithms, their keys and signatures, and the encodings WasmEdge accepts for
//! each: the library side of `asymmetric_common`, `signatures` and `kx`.
//!
//! | algorithm | public key | secret key | key pair | signature |
//! |---|---|---|---|---|
//! | ECDSA P-256, K-256, P-384 (signatures); P-256, P-384 (kx) | `sec` (uncompressed on export; compressed accepted), `pkcs8` (SubjectPublicKeyInfo DER), `pem` | `raw` (the scalar), `pkcs8`, `pem` | `raw`, `pkcs8`, `pem` | `raw` (r ‖ s), `der` |
//! | Ed25519 | `raw` | `raw` | `raw` (secret ‖ public) | `raw` |
//! | X25519 | `raw` | `raw` | `raw` (public ‖ secret) | — |
//! | RSA PKCS#1 v1.5 and PSS | `pkcs8`, `pem` | `pkcs8`, `pem` | `pkcs8`, `pem` | `raw` |
//!
//! Any other encoding is `unsupported_encoding` (an RSA `der` signature: `not_implemented`).
//! Secret keys and key pairs are exported as PKCS#8 (WasmEdge writes a key pair's `pkcs8` in
//! OpenSSL's traditional form, SEC1 or PKCS#1; we read both forms and write PKCS#8, which is
//! what the name says). Where WasmEdge's OpenSSL code has fixed 256-bit sizes, P-384 here has
//! its own: 48-byte scalars, 97-byte `sec` keys, 96-byte raw signatures, SHA-384 as the name
//! says, and a 48-byte shared secret.

use ed25519_dalek::Signer as _;
use rand_core::OsRng;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::{
    DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding,
};
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Sign, Pss, RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256, Sha384, Sha512};

use crate::common::AlgorithmType;
use crate::errno::{CryptoErrno, Result};

/// A SHA-2 function that an algorithm hashes its message with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sha {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

/// A running SHA-2 hash of a message being signed or verified.
#[derive(Clone)]
pub enum Hasher {
    /// SHA-256.
    Sha256(Sha256),
    /// SHA-384.
    Sha384(Sha384),
    /// SHA-512.
    Sha512(Sha512),
}

impl Hasher {
    /// A fresh hash.
    #[must_use]
    pub fn new(sha: Sha) -> Self {
        match sha {
            Sha::Sha256 => Self::Sha256(Sha256::new()),
            Sha::Sha384 => Self::Sha384(Sha384::new()),
            Sha::Sha512 => Self::Sha512(Sha512::new()),
        }
    }

    /// Hashes `data` in.
    pub fn update(&mut self, data: &[u8]) {
        match self {
            Self::Sha256(h) => h.update(data),
            Self::Sha384(h) => h.update(data),
            Self::Sha512(h) => h.update(data),
        }
    }

    /// The digest of everything so far (the hash goes on).
    #[must_use]
    pub fn digest(&self) -> Vec<u8> {
        match self {
            Self::Sha256(h) => h.clone().finalize().to_vec(),
            Self::Sha384(h) => h.clone().finalize().to_vec(),
            Self::Sha512(h) => h.clone().finalize().to_vec(),
        }
    }
}

/// An RSA signature algorithm: padding, modulus size and hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RsaAlg {
    /// PSS (else PKCS#1 v1.5).
    pub pss: bool,
    /// The modulus size in bits.
    pub bits: usize,
    /// The hash.
    pub sha: Sha,
}

/// A signature algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SigAlg {
    /// `ECDSA_P256_SHA256`.
    EcdsaP256Sha256,
    /// `ECDSA_K256_SHA256`.
    EcdsaK256Sha256,
    /// `ECDSA_P384_SHA384`.
    EcdsaP384Sha384,
    /// `Ed25519`.
    Ed25519,
    /// `RSA_PKCS1_<bits>_SHA<n>` and `RSA_PSS_<bits>_SHA<n>`.
    Rsa(RsaAlg),
}

/// WasmEdge's RSA algorithms: (name, bits, hash), each with PKCS1 and PSS.
const RSA_ALGS: [(&str, usize, Sha); 6] = [
    ("2048_SHA256", 2048, Sha::Sha256),
    ("2048_SHA384", 2048, Sha::Sha384),
    ("2048_SHA512", 2048, Sha::Sha512),
    ("3072_SHA384", 3072, Sha::Sha384),
    ("3072_SHA512", 3072, Sha::Sha512),
    ("4096_SHA512", 4096, Sha::Sha512),
];

impl SigAlg {
    /// The algorithm named `name` (compared in upper case, as WasmEdge does).
    pub fn parse(name: &[u8]) -> Result<Self> {
        let name = String::from_utf8_lossy(name).to_ascii_uppercase();
        let alg = match name.as_str() {
            "ECDSA_P256_SHA256" => Self::EcdsaP256Sha256,
            "ECDSA_K256_SHA256" => Self::EcdsaK256Sha256,
            "ECDSA_P384_SHA384" => Self::EcdsaP384Sha384,
            "ED25519" => Self::Ed25519,
            other => {
                let (pss, rest) = if let Some(rest) = other.strip_prefix("RSA_PKCS1_") {
                    (false, rest)
                } else if let Some(rest) = other.strip_prefix("RSA_PSS_") {
                    (true, rest)
                } else {
                    return Err(CryptoErrno::UnsupportedAlgorithm);
                };
                let (_, bits, sha) = RSA_ALGS
                    .iter()
                    .find(|(n, ..)| *n == rest)
                    .ok_or(CryptoErrno::UnsupportedAlgorithm)?;
                Self::Rsa(RsaAlg {
                    pss,
                    bits: *bits,
                    sha: *sha,
                })
            }
        };
        Ok(alg)
    }
}

/// A key exchange algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KxAlg {
    /// `X25519`.
    X25519,
    /// `P256-SHA256`.
    P256Sha256,
    /// `P384-SHA384`.
    P384Sha384,
}

impl KxAlg {
    /// The algorithm named `name` (in any case).
    pub fn parse(name: &[u8]) -> Result<Self> {
        match String::from_utf8_lossy(name).to_ascii_uppercase().as_str() {
            "X25519" => Ok(Self::X25519),
            "P256-SHA256" => Ok(Self::P256Sha256),
            "P384-SHA384" => Ok(Self::P384Sha384),
            _ => Err(CryptoErrno::UnsupportedAlgorithm),
        }
    }
}

/// An asymmetric algorithm: what a key pair, public key or secret key is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AsymAlg {
    /// A signature algorithm.
    Sig(SigAlg),
    /// A key exchange algorithm.
    Kx(KxAlg),
}

impl AsymAlg {
    /// The algorithm `name` of `alg_type` (`invalid_operation` for the symmetric type).
    pub fn parse(alg_type: AlgorithmType, name: &[u8]) -> Result<Self> {
        match alg_type {
            AlgorithmType::Signatures => SigAlg::parse(name).map(Self::Sig),
            AlgorithmType::KeyExchange => KxAlg::parse(name).map(Self::Kx),
            AlgorithmType::Symmetric => Err(CryptoErrno::InvalidOperation),
        }
    }

    /// The algorithm type options for this algorithm must be of.
    #[must_use]
    pub fn alg_type(self) -> AlgorithmType {
        match self {
            Self::Sig(_) => AlgorithmType::Signatures,
            Self::Kx(_) => AlgorithmType::KeyExchange,
        }
    }

    fn family(self) -> Family {
        match self {
            Self::Sig(SigAlg::EcdsaP256Sha256) | Self::Kx(KxAlg::P256Sha256) => Family::P256,
            Self::Sig(SigAlg::EcdsaK256Sha256) => Family::K256,
            Self::Sig(SigAlg::EcdsaP384Sha384) | Self::Kx(KxAlg::P384Sha384) => Family::P384,
            Self::Sig(SigAlg::Ed25519) => Family::Ed25519,
            Self::Kx(KxAlg::X25519) => Family::X25519,
            Self::Sig(SigAlg::Rsa(r)) => Family::Rsa(r.bits),
        }
    }
}

/// The kind of key material an algorithm uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Family {
    P256,
    K256,
    P384,
    Ed25519,
    X25519,
    Rsa(usize),
}

/// An import or export encoding (the witx `*_encoding` enums together).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// `raw`.
    Raw,
    /// `pkcs8`.
    Pkcs8,
    /// `pem`.
    Pem,
    /// `sec` (public and secret keys).
    Sec,
    /// `local` (implementation-defined; WasmEdge supports it nowhere).
    Local,
    /// `der` (signatures).
    Der,
}

impl Encoding {
    /// A `keypair_encoding` (WasmEdge keeps the low 16 bits).
    pub fn keypair(raw: u32) -> Result<Self> {
        match raw as u16 {
            0 => Ok(Self::Raw),
            1 => Ok(Self::Pkcs8),
            2 => Ok(Self::Pem),
            3 => Ok(Self::Local),
            _ => Err(CryptoErrno::UnsupportedEncoding),
        }
    }

    /// A `publickey_encoding` or `secretkey_encoding`.
    pub fn key(raw: u32) -> Result<Self> {
        match raw as u16 {
            0 => Ok(Self::Raw),
            1 => Ok(Self::Pkcs8),
            2 => Ok(Self::Pem),
            3 => Ok(Self::Sec),
            4 => Ok(Self::Local),
            _ => Err(CryptoErrno::UnsupportedEncoding),
        }
    }

    /// A `signature_encoding`.
    pub fn signature(raw: u32) -> Result<Self> {
        match raw as u16 {
            0 => Ok(Self::Raw),
            1 => Ok(Self::Der),
            _ => Err(CryptoErrno::UnsupportedEncoding),
        }
    }
}

/// The text of a PEM document: from its `-----BEGIN` line (OpenSSL skips what comes before)
/// to the end, with one final newline.
fn pem_text(encoded: &[u8]) -> Result<String> {
    let text = core::str::from_utf8(encoded).map_err(|_| CryptoErrno::InvalidKey)?;
    let start = text.find("-----BEGIN").ok_or(CryptoErrno::InvalidKey)?;
    let mut doc = text[start..].trim_end().to_owned();
    doc.push('\n');
    Ok(doc)
}

/// Functions on one elliptic curve's keys, from its RustCrypto crate.
macro_rules! ec_curve {
    ($module:ident, $krate:ident, $field:expr) => {
        mod $module {
            use super::*;
            use $krate::elliptic_curve::sec1::ToEncodedPoint;
            pub use $krate::{PublicKey, SecretKey};

            /// The size of a scalar (and of a coordinate) in bytes.
            pub const FIELD: usize = $field;

            pub fn generate() -> SecretKey {
                SecretKey::random(&mut OsRng)
            }

            pub fn secret_import(b: &[u8], enc: Encoding) -> Result<SecretKey> {
                let key = match enc {
                    Encoding::Raw => {
                        if b.len() != FIELD {
                            return Err(CryptoErrno::InvalidKey);
                        }
                        SecretKey::from_slice(b).ok()
                    }
                    Encoding::Pkcs8 => SecretKey::from_pkcs8_der(b)
                        .ok()
                        .or_else(|| SecretKey::from_sec1_der(b).ok()),
                    Encoding::Pem => {
                        let text = pem_text(b)?;
                        SecretKey::from_pkcs8_pem(&text)
                            .ok()
                            .or_else(|| SecretKey::from_sec1_pem(&text).ok())
                    }
                    _ => return Err(CryptoErrno::UnsupportedEncoding),
                };
                key.ok_or(CryptoErrno::InvalidKey)
            }

            pub fn secret_export(sk: &SecretKey, enc: Encoding) -> Result<Vec<u8>> {
                match enc {
                    Encoding::Raw => Ok(sk.to_bytes().to_vec()),
                    Encoding::Pkcs8 => Ok(sk.to_pkcs8_der()?.as_bytes().to_vec()),
                    Encoding::Pem => Ok(sk.to_pkcs8_pem(LineEnding::LF)?.as_bytes().to_vec()),
                    _ => Err(CryptoErrno::UnsupportedEncoding),
                }
            }

            pub fn public_import(b: &[u8], enc: Encoding) -> Result<PublicKey> {
                let key = match enc {
                    Encoding::Pkcs8 => PublicKey::from_public_key_der(b).ok(),
                    Encoding::Pem => PublicKey::from_public_key_pem(&pem_text(b)?).ok(),
                    Encoding::Sec => PublicKey::from_sec1_bytes(b).ok(),
                    _ => return Err(CryptoErrno::UnsupportedEncoding),
                };
                key.ok_or(CryptoErrno::InvalidKey)
            }

            pub fn public_export(pk: &PublicKey, enc: Encoding) -> Result<Vec<u8>> {
                match enc {
                    Encoding::Sec => Ok(pk.to_encoded_point(false).as_bytes().to_vec()),
                    Encoding::Pkcs8 => Ok(pk.to_public_key_der()?.as_bytes().to_vec()),
                    Encoding::Pem => Ok(pk.to_public_key_pem(LineEnding::LF)?.into_bytes()),
                    _ => Err(CryptoErrno::UnsupportedEncoding),
                }
            }
        }
    };
}

ec_curve!(p256_keys, p256, 32);
ec_curve!(k256_keys, k256, 32);
ec_curve!(p384_keys, p384, 48);

/// Secret key material.
#[derive(Clone)]
pub enum Secret {
    /// A P-256 scalar.
    P256(p256::SecretKey),
    /// A secp256k1 scalar.
    K256(k256::SecretKey),
    /// A P-384 scalar.
    P384(p384::SecretKey),
    /// An Ed25519 seed.
    Ed25519(Box<ed25519_dalek::SigningKey>),
    /// An X25519 scalar.
    X25519(x25519_dalek::StaticSecret),
    /// An RSA private key.
    Rsa(Box<RsaPrivateKey>),
}

/// Public key material.
#[derive(Clone)]
pub enum Public {
    /// A P-256 point.
    P256(p256::PublicKey),
    /// A secp256k1 point.
    K256(k256::PublicKey),
    /// A P-384 point.
    P384(p384::PublicKey),
    /// An Ed25519 point.
    Ed25519(ed25519_dalek::VerifyingKey),
    /// An X25519 point.
    X25519(x25519_dalek::PublicKey),
    /// An RSA public key.
    Rsa(Box<RsaPublicKey>),
}

/// Reads a 32-byte array (`invalid_key` for any other length).
fn bytes32(b: &[u8]) -> Result<[u8; 32]> {
    b.try_into().map_err(|_| CryptoErrno::InvalidKey)
}

/// Checks an RSA key has the algorithm's modulus size.
fn rsa_bits(n_bits: usize, bits: usize) -> Result<()> {
    if n_bits == bits {
        Ok(())
    } else {
        Err(CryptoErrno::InvalidKey)
    }
}

impl Secret {
    fn generate(family: Family) -> Result<Self> {
        Ok(match family {
            Family::P256 => Self::P256(p256_keys::generate()),
            Family::K256 => Self::K256(k256_keys::generate()),
            Family::P384 => Self::P384(p384_keys::generate()),
            Family::Ed25519 => {
                Self::Ed25519(Box::new(ed25519_dalek::SigningKey::generate(&mut OsRng)))
            }
            Family::X25519 => Self::X25519(x25519_dalek::StaticSecret::random_from_rng(OsRng)),
            Family::Rsa(bits) => Self::Rsa(Box::new(RsaPrivateKey::new(&mut OsRng, bits)?)),
        })
    }

    /// Secret key import (`secretkey_import`); key pairs use it for all but `raw`.
    fn import(family: Family, b: &[u8], enc: Encoding) -> Result<Self> {
        Ok(match family {
            Family::P256 => Self::P256(p256_keys::secret_import(b, enc)?),
            Family::K256 => Self::K256(k256_keys::secret_import(b, enc)?),
            Family::P384 => Self::P384(p384_keys::secret_import(b, enc)?),
            Family::Ed25519 | Family::X25519 => {
                if enc != Encoding::Raw {
                    return Err(CryptoErrno::UnsupportedEncoding);
                }
                let seed = bytes32(b)?;
                if family == Family::Ed25519 {
                    Self::Ed25519(Box::new(ed25519_dalek::SigningKey::from_bytes(&seed)))
                } else {
                    Self::X25519(x25519_dalek::StaticSecret::from(seed))
                }
            }
            Family::Rsa(bits) => {
                let key = match enc {
                    Encoding::Pkcs8 => RsaPrivateKey::from_pkcs8_der(b)
                        .ok()
                        .or_else(|| RsaPrivateKey::from_pkcs1_der(b).ok()),
                    Encoding::Pem => {
                        let text = pem_text(b)?;
                        RsaPrivateKey::from_pkcs8_pem(&text)
                            .ok()
                            .or_else(|| RsaPrivateKey::from_pkcs1_pem(&text).ok())
                    }
                    _ => return Err(CryptoErrno::UnsupportedEncoding),
                }
                .ok_or(CryptoErrno::InvalidKey)?;
                rsa_bits(key.n().bits(), bits)?;
                Self::Rsa(Box::new(key))
            }
        })
    }

    /// Secret key export (`secretkey_export`).
    fn export(&self, enc: Encoding) -> Result<Vec<u8>> {
        match self {
            Self::P256(k) => p256_keys::secret_export(k, enc),
            Self::K256(k) => k256_keys::secret_export(k, enc),
            Self::P384(k) => p384_keys::secret_export(k, enc),
            Self::Ed25519(k) if enc == Encoding::Raw => Ok(k.to_bytes().to_vec()),
            Self::X25519(k) if enc == Encoding::Raw => Ok(k.to_bytes().to_vec()),
            Self::Rsa(k) => match enc {
                Encoding::Pkcs8 => Ok(k.to_pkcs8_der()?.as_bytes().to_vec()),
                Encoding::Pem => Ok(k.to_pkcs8_pem(LineEnding::LF)?.as_bytes().to_vec()),
                _ => Err(CryptoErrno::UnsupportedEncoding),
            },
            Self::Ed25519(_) | Self::X25519(_) => Err(CryptoErrno::UnsupportedEncoding),
        }
    }

    /// The public key.
    #[must_use]
    pub fn public(&self) -> Public {
        match self {
            Self::P256(k) => Public::P256(k.public_key()),
            Self::K256(k) => Public::K256(k.public_key()),
            Self::P384(k) => Public::P384(k.public_key()),
            Self::Ed25519(k) => Public::Ed25519(k.verifying_key()),
            Self::X25519(k) => Public::X25519(x25519_dalek::PublicKey::from(k)),
            Self::Rsa(k) => Public::Rsa(Box::new(k.to_public_key())),
        }
    }
}

impl Public {
    fn import(family: Family, b: &[u8], enc: Encoding) -> Result<Self> {
        Ok(match family {
            Family::P256 => Self::P256(p256_keys::public_import(b, enc)?),
            Family::K256 => Self::K256(k256_keys::public_import(b, enc)?),
            Family::P384 => Self::P384(p384_keys::public_import(b, enc)?),
            Family::Ed25519 | Family::X25519 => {
                if enc != Encoding::Raw {
                    return Err(CryptoErrno::UnsupportedEncoding);
                }
                let raw = bytes32(b)?;
                if family == Family::Ed25519 {
                    Self::Ed25519(
                        ed25519_dalek::VerifyingKey::from_bytes(&raw)
                            .map_err(|_| CryptoErrno::InvalidKey)?,
                    )
                } else {
                    Self::X25519(x25519_dalek::PublicKey::from(raw))
                }
            }
            Family::Rsa(bits) => {
                let key = match enc {
                    Encoding::Pkcs8 => RsaPublicKey::from_public_key_der(b).ok(),
                    Encoding::Pem => RsaPublicKey::from_public_key_pem(&pem_text(b)?).ok(),
                    _ => return Err(CryptoErrno::UnsupportedEncoding),
                }
                .ok_or(CryptoErrno::InvalidKey)?;
                rsa_bits(key.n().bits(), bits)?;
                Self::Rsa(Box::new(key))
            }
        })
    }

    fn export(&self, enc: Encoding) -> Result<Vec<u8>> {
        match self {
            Self::P256(k) => p256_keys::public_export(k, enc),
            Self::K256(k) => k256_keys::public_export(k, enc),
            Self::P384(k) => p384_keys::public_export(k, enc),
            Self::Ed25519(k) if enc == Encoding::Raw => Ok(k.to_bytes().to_vec()),
            Self::X25519(k) if enc == Encoding::Raw => Ok(k.to_bytes().to_vec()),
            Self::Rsa(k) => match enc {
                Encoding::Pkcs8 => Ok(k.to_public_key_der()?.as_bytes().to_vec()),
                Encoding::Pem => Ok(k.to_public_key_pem(LineEnding::LF)?.into_bytes()),
                _ => Err(CryptoErrno::UnsupportedEncoding),
            },
            Self::Ed25519(_) | Self::X25519(_) => Err(CryptoErrno::UnsupportedEncoding),
        }
    }
}

/// A key pair (`keypair`): its secret, from which the public key is derived.
#[derive(Clone)]
pub struct KeyPair {
    /// What it is for.
    pub alg: AsymAlg,
    /// The secret.
    pub secret: Secret,
}

/// A secret key (`secretkey`).
#[derive(Clone)]
pub struct SecretKey {
    /// What it is for.
    pub alg: AsymAlg,
    /// The secret.
    pub secret: Secret,
}

/// A public key (`publickey`).
#[derive(Clone)]
pub struct PublicKey {
    /// What it is for.
    pub alg: AsymAlg,
    /// The key.
    pub public: Public,
}

impl KeyPair {
    /// A fresh key pair (`keypair_generate`).
    pub fn generate(alg: AsymAlg) -> Result<Self> {
        Ok(Self {
            alg,
            secret: Secret::generate(alg.family())?,
        })
    }

    /// `keypair_import`.
    pub fn import(alg: AsymAlg, b: &[u8], enc: Encoding) -> Result<Self> {
        let family = alg.family();
        let secret = match (family, enc) {
            (Family::Ed25519 | Family::X25519, Encoding::Raw) => {
                if b.len() != 64 {
                    return Err(CryptoErrno::InvalidKey);
                }
                // Ed25519 is secret ‖ public, X25519 public ‖ secret; the public half is not
                // checked (WasmEdge derives it from the secret too).
                let half = if family == Family::Ed25519 {
                    &b[..32]
                } else {
                    &b[32..]
                };
                Secret::import(family, half, Encoding::Raw)?
            }
            (Family::Rsa(_), Encoding::Raw) | (_, Encoding::Local) => {
                return Err(CryptoErrno::UnsupportedEncoding);
            }
            _ => Secret::import(family, b, enc)?,
        };
        Ok(Self { alg, secret })
    }

    /// `keypair_export`.
    pub fn export(&self, enc: Encoding) -> Result<Vec<u8>> {
        match (&self.secret, enc) {
            (Secret::Ed25519(k), Encoding::Raw) => Ok(k.to_keypair_bytes().to_vec()),
            (Secret::X25519(k), Encoding::Raw) => {
                let mut out = x25519_dalek::PublicKey::from(k).to_bytes().to_vec();
                out.extend_from_slice(&k.to_bytes());
                Ok(out)
            }
            (Secret::Rsa(_), Encoding::Raw) | (_, Encoding::Local) => {
                Err(CryptoErrno::UnsupportedEncoding)
            }
            (secret, enc) => secret.export(enc),
        }
    }

    /// `keypair_publickey`.
    #[must_use]
    pub fn public_key(&self) -> PublicKey {
        PublicKey {
            alg: self.alg,
            public: self.secret.public(),
        }
    }

    /// `keypair_secretkey`.
    #[must_use]
    pub fn secret_key(&self) -> SecretKey {
        SecretKey {
            alg: self.alg,
            secret: self.secret.clone(),
        }
    }
}

impl SecretKey {
    /// `secretkey_import`.
    pub fn import(alg: AsymAlg, b: &[u8], enc: Encoding) -> Result<Self> {
        if enc == Encoding::Sec || enc == Encoding::Local {
            return Err(CryptoErrno::UnsupportedEncoding);
        }
        Ok(Self {
            alg,
            secret: Secret::import(alg.family(), b, enc)?,
        })
    }

    /// `secretkey_export`.
    pub fn export(&self, enc: Encoding) -> Result<Vec<u8>> {
        self.secret.export(enc)
    }

    /// `publickey_from_secretkey`.
    #[must_use]
    pub fn public_key(&self) -> PublicKey {
        PublicKey {
            alg: self.alg,
            public: self.secret.public(),
        }
    }
}

impl PublicKey {
    /// `publickey_import`.
    pub fn import(alg: AsymAlg, b: &[u8], enc: Encoding) -> Result<Self> {
        if enc == Encoding::Local {
            return Err(CryptoErrno::UnsupportedEncoding);
        }
        Ok(Self {
            alg,
            public: Public::import(alg.family(), b, enc)?,
        })
    }

    /// `publickey_export`.
    pub fn export(&self, enc: Encoding) -> Result<Vec<u8>> {
        self.public.export(enc)
    }

    /// `publickey_verify`: RSA keys were checked when imported; for the others WasmEdge
    /// answers `not_implemented`.
    pub fn verify(&self) -> Result<()> {
        match self.public {
            Public::Rsa(_) => Ok(()),
            _ => Err(CryptoErrno::NotImplemented),
        }
    }
}

/// A signature (`signature`): ECDSA signatures are kept in DER, as WasmEdge keeps them, the
/// others as raw bytes.
#[derive(Clone, Debug)]
pub struct Signature {
    /// The algorithm that made it, or that it was imported for.
    pub alg: SigAlg,
    /// The encoded signature.
    pub bytes: Vec<u8>,
}

/// Raw r ‖ s to DER, for one curve.
macro_rules! ecdsa_raw_to_der {
    ($krate:ident, $b:expr) => {
        $krate::ecdsa::Signature::from_slice($b)
            .map(|s| s.to_der().as_bytes().to_vec())
            .map_err(|_| CryptoErrno::InvalidSignature)
    };
}

/// DER to raw r ‖ s, for one curve.
macro_rules! ecdsa_der_to_raw {
    ($krate:ident, $b:expr) => {
        $krate::ecdsa::Signature::from_der($b)
            .map(|s| s.to_bytes().to_vec())
            .map_err(|_| CryptoErrno::AlgorithmFailure)
    };
}

impl Signature {
    /// `signature_import`.
    pub fn import(alg: SigAlg, b: &[u8], enc: Encoding) -> Result<Self> {
        let bytes = match (alg, enc) {
            (SigAlg::EcdsaP256Sha256 | SigAlg::EcdsaK256Sha256, Encoding::Raw) if b.len() != 64 => {
                return Err(CryptoErrno::InvalidSignature);
            }
            (SigAlg::EcdsaP384Sha384, Encoding::Raw) if b.len() != 96 => {
                return Err(CryptoErrno::InvalidSignature);
            }
            (SigAlg::EcdsaP256Sha256, Encoding::Raw) => ecdsa_raw_to_der!(p256, b)?,
            (SigAlg::EcdsaK256Sha256, Encoding::Raw) => ecdsa_raw_to_der!(k256, b)?,
            (SigAlg::EcdsaP384Sha384, Encoding::Raw) => ecdsa_raw_to_der!(p384, b)?,
            // WasmEdge keeps DER as given; a malformed one fails to verify.
            (SigAlg::EcdsaP256Sha256 | SigAlg::EcdsaK256Sha256 | SigAlg::EcdsaP384Sha384, _) => {
                b.to_vec()
            }
            (SigAlg::Ed25519, Encoding::Raw) => {
                if b.len() != 64 {
                    return Err(CryptoErrno::InvalidSignature);
                }
                b.to_vec()
            }
            (SigAlg::Ed25519, _) => return Err(CryptoErrno::UnsupportedEncoding),
            (SigAlg::Rsa(r), Encoding::Raw) => {
                if b.len() != r.bits / 8 {
                    return Err(CryptoErrno::InvalidSignature);
                }
                b.to_vec()
            }
            (SigAlg::Rsa(_), _) => return Err(CryptoErrno::NotImplemented),
        };
        Ok(Self { alg, bytes })
    }

    /// `signature_export`.
    pub fn export(&self, enc: Encoding) -> Result<Vec<u8>> {
        match (self.alg, enc) {
            (SigAlg::EcdsaP256Sha256, Encoding::Raw) => ecdsa_der_to_raw!(p256, &self.bytes),
            (SigAlg::EcdsaK256Sha256, Encoding::Raw) => ecdsa_der_to_raw!(k256, &self.bytes),
            (SigAlg::EcdsaP384Sha384, Encoding::Raw) => ecdsa_der_to_raw!(p384, &self.bytes),
            (SigAlg::EcdsaP256Sha256 | SigAlg::EcdsaK256Sha256 | SigAlg::EcdsaP384Sha384, _)
            | (SigAlg::Ed25519 | SigAlg::Rsa(_), Encoding::Raw) => Ok(self.bytes.clone()),
            (SigAlg::Ed25519, _) => Err(CryptoErrno::UnsupportedEncoding),
            (SigAlg::Rsa(_), _) => Err(CryptoErrno::NotImplemented),
        }
    }
}

/// The salt length of RSA-PSS signatures made here: the hash's length (what OpenSSL 3.1 and
/// later use by default).
fn pss_salt_len(sha: Sha) -> usize {
    match sha {
        Sha::Sha256 => 32,
        Sha::Sha384 => 48,
        Sha::Sha512 => 64,
    }
}

/// An RSA signature scheme with its hash.
enum RsaScheme {
    Pkcs1(Pkcs1v15Sign),
    Pss(Pss),
}

impl RsaScheme {
    /// The scheme of `r`, with `salt` bytes of salt for PSS.
    fn new(r: RsaAlg, salt: usize) -> Self {
        match (r.pss, r.sha) {
            (false, Sha::Sha256) => Self::Pkcs1(Pkcs1v15Sign::new::<Sha256>()),
            (false, Sha::Sha384) => Self::Pkcs1(Pkcs1v15Sign::new::<Sha384>()),
            (false, Sha::Sha512) => Self::Pkcs1(Pkcs1v15Sign::new::<Sha512>()),
            (true, Sha::Sha256) => Self::Pss(Pss::new_with_salt::<Sha256>(salt)),
            (true, Sha::Sha384) => Self::Pss(Pss::new_with_salt::<Sha384>(salt)),
            (true, Sha::Sha512) => Self::Pss(Pss::new_with_salt::<Sha512>(salt)),
        }
    }
}

/// Signs `digest` (the message's hash) with an RSA key.
pub fn rsa_sign(key: &RsaPrivateKey, r: RsaAlg, digest: &[u8]) -> Result<Vec<u8>> {
    let sig = match RsaScheme::new(r, pss_salt_len(r.sha)) {
        RsaScheme::Pkcs1(p) => key.sign_with_rng(&mut OsRng, p, digest)?,
        RsaScheme::Pss(p) => key.sign_with_rng(&mut OsRng, p, digest)?,
    };
    Ok(sig)
}

/// Verifies an RSA signature of `digest`. PSS signatures are accepted with the hash's length
/// of salt or with the largest salt the key allows (what OpenSSL 3.0 makes by default).
pub fn rsa_verify(key: &RsaPublicKey, r: RsaAlg, digest: &[u8], sig: &[u8]) -> Result<()> {
    let check = |salt: usize| match RsaScheme::new(r, salt) {
        RsaScheme::Pkcs1(p) => key.verify(p, digest, sig).is_ok(),
        RsaScheme::Pss(p) => key.verify(p, digest, sig).is_ok(),
    };
    let h_len = pss_salt_len(r.sha);
    let em_len = (key.n().bits() - 1).div_ceil(8);
    let max_salt = em_len.saturating_sub(h_len + 2);
    if check(h_len) || (r.pss && max_salt != h_len && check(max_salt)) {
        Ok(())
    } else {
        Err(CryptoErrno::VerificationFailed)
    }
}

/// Signs with Ed25519 (the whole message: Ed25519 hashes it twice).
#[must_use]
pub fn ed25519_sign(key: &ed25519_dalek::SigningKey, msg: &[u8]) -> Vec<u8> {
    key.sign(msg).to_bytes().to_vec()
}

/// The hash an ECDSA or RSA algorithm signs with (`None` for Ed25519).
#[must_use]
pub fn sig_hash(alg: SigAlg) -> Option<Sha> {
    match alg {
        SigAlg::EcdsaP256Sha256 | SigAlg::EcdsaK256Sha256 => Some(Sha::Sha256),
        SigAlg::EcdsaP384Sha384 => Some(Sha::Sha384),
        SigAlg::Ed25519 => None,
        SigAlg::Rsa(r) => Some(r.sha),
    }
}

/// The shared secret of `secret` and `public` (`kx_dh`): the x-coordinate for the NIST
/// curves; `invalid_key` for an X25519 point of small order (an all-zero secret, which
/// OpenSSL refuses too).
pub fn diffie_hellman(secret: &Secret, public: &Public) -> Result<Vec<u8>> {
    match (secret, public) {
        (Secret::X25519(s), Public::X25519(p)) => {
            let shared = s.diffie_hellman(p);
            if !shared.was_contributory() {
                return Err(CryptoErrno::InvalidKey);
            }
            Ok(shared.as_bytes().to_vec())
        }
        (Secret::P256(s), Public::P256(p)) => Ok(p256::ecdh::diffie_hellman(
            s.to_nonzero_scalar(),
            p.as_affine(),
        )
        .raw_secret_bytes()
        .to_vec()),
        (Secret::P384(s), Public::P384(p)) => Ok(p384::ecdh::diffie_hellman(
            s.to_nonzero_scalar(),
            p.as_affine(),
        )
        .raw_secret_bytes()
        .to_vec()),
        _ => Err(CryptoErrno::InvalidKey),
    }
}
