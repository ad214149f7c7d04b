//! Module `wasi_ephemeral_crypto_asymmetric_common`: key pairs, public keys and secret keys of
//! the signature and key exchange algorithms (20 functions; the managed-key ones answer
//! `not_implemented`, as in WasmEdge).

use wedge_plugin_sdk::Caller;

use crate::common::{AlgorithmType, Shared};
use crate::errno::{CryptoErrno, Result, errno};
use crate::guest::{Guest, size};
use crate::keys::{AsymAlg, Encoding, KeyPair, PublicKey, SecretKey};
use crate::state::Context;

impl Context {
    /// `keypair_generate`.
    pub fn keypair_generate(&self, alg: AsymAlg, options: Option<u32>) -> Result<u32> {
        self.options_of(options, alg.alg_type())?;
        self.key_pairs.insert(KeyPair::generate(alg)?)
    }

    /// `keypair_import`.
    pub fn keypair_import(&self, alg: AsymAlg, encoded: &[u8], enc: Encoding) -> Result<u32> {
        self.key_pairs.insert(KeyPair::import(alg, encoded, enc)?)
    }

    /// `keypair_export`.
    pub fn keypair_export(&self, kp: u32, enc: Encoding) -> Result<u32> {
        let bytes = self.key_pairs.get(kp)?.export(enc)?;
        self.output(bytes)
    }

    /// `keypair_publickey`.
    pub fn keypair_publickey(&self, kp: u32) -> Result<u32> {
        let pk = self.key_pairs.get(kp)?.public_key();
        self.public_keys.insert(pk)
    }

    /// `keypair_secretkey`.
    pub fn keypair_secretkey(&self, kp: u32) -> Result<u32> {
        let sk = self.key_pairs.get(kp)?.secret_key();
        self.secret_keys.insert(sk)
    }

    /// `keypair_from_pk_and_sk`: keys of two algorithms are `invalid_key`; otherwise WasmEdge
    /// answers `not_implemented` for every algorithm, and so does this.
    pub fn keypair_from_pk_and_sk(&self, pk: u32, sk: u32) -> Result<u32> {
        let pk = self.public_keys.get(pk)?;
        let sk = self.secret_keys.get(sk)?;
        if pk.alg != sk.alg {
            return Err(CryptoErrno::InvalidKey);
        }
        Err(CryptoErrno::NotImplemented)
    }

    /// `publickey_import`.
    pub fn publickey_import(&self, alg: AsymAlg, encoded: &[u8], enc: Encoding) -> Result<u32> {
        self.public_keys
            .insert(PublicKey::import(alg, encoded, enc)?)
    }

    /// `publickey_export`.
    pub fn publickey_export(&self, pk: u32, enc: Encoding) -> Result<u32> {
        let bytes = self.public_keys.get(pk)?.export(enc)?;
        self.output(bytes)
    }

    /// `publickey_from_secretkey`.
    pub fn publickey_from_secretkey(&self, sk: u32) -> Result<u32> {
        let pk = self.secret_keys.get(sk)?.public_key();
        self.public_keys.insert(pk)
    }

    /// `secretkey_import`.
    pub fn secretkey_import(&self, alg: AsymAlg, encoded: &[u8], enc: Encoding) -> Result<u32> {
        self.secret_keys
            .insert(SecretKey::import(alg, encoded, enc)?)
    }

    /// `secretkey_export`.
    pub fn secretkey_export(&self, sk: u32, enc: Encoding) -> Result<u32> {
        let bytes = self.secret_keys.get(sk)?.export(enc)?;
        self.output(bytes)
    }
}

/// Reads the algorithm type and name a function was given.
fn algorithm(g: &Guest<'_>, alg_type: u32, alg: u32, alg_len: u32) -> Result<AsymAlg> {
    let name = g.read(alg, alg_len)?;
    AsymAlg::parse(AlgorithmType::from_raw(alg_type)?, &name)
}

/// `keypair_generate(algorithm_type, alg, alg_len, *opt_options, *keypair) -> errno`.
pub fn keypair_generate(
    c: Caller<'_, Shared>,
    alg_type: u32,
    alg: u32,
    alg_len: u32,
    opt_options: u32,
    out: u32,
) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        let alg = algorithm(&g, alg_type, alg, alg_len)?;
        let options = g.read_opt_handle(opt_options)?;
        g.check(out, size::U32)?;
        let h = c.state().keypair_generate(alg, options)?;
        g.write_u32(out, h)
    })
}

/// `keypair_import(algorithm_type, alg, alg_len, encoded, encoded_len, encoding, *keypair)`.
/// An encoding outside the witx enum is `algorithm_failure` here, as in WasmEdge.
#[allow(clippy::too_many_arguments, reason = "the witx function's parameters")]
pub fn keypair_import(
    c: Caller<'_, Shared>,
    alg_type: u32,
    alg: u32,
    alg_len: u32,
    encoded: u32,
    encoded_len: u32,
    encoding: u32,
    out: u32,
) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        let alg = algorithm(&g, alg_type, alg, alg_len)?;
        let encoded = g.read(encoded, encoded_len)?;
        let enc = Encoding::keypair(encoding).map_err(|_| CryptoErrno::AlgorithmFailure)?;
        g.check(out, size::U32)?;
        let h = c.state().keypair_import(alg, &encoded, enc)?;
        g.write_u32(out, h)
    })
}

/// `keypair_generate_managed(secrets_manager, algorithm_type, alg, alg_len, *opt_options,
/// *keypair)`: not implemented.
pub fn keypair_generate_managed(
    c: Caller<'_, Shared>,
    _secrets_manager: u32,
    alg_type: u32,
    alg: u32,
    alg_len: u32,
    opt_options: u32,
    out: u32,
) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        algorithm(&g, alg_type, alg, alg_len)?;
        g.check(opt_options, size::OPT)?;
        g.check(out, size::U32)?;
        Err(CryptoErrno::NotImplemented)
    })
}

/// `keypair_store_managed(secrets_manager, keypair, kp_id, kp_id_max_len)`: not implemented.
pub fn keypair_store_managed(
    c: Caller<'_, Shared>,
    _secrets_manager: u32,
    _kp: u32,
    kp_id: u32,
    kp_id_max_len: u32,
) -> u32 {
    errno(|| {
        Guest::of(&c)?.check(kp_id, kp_id_max_len)?;
        Err(CryptoErrno::NotImplemented)
    })
}

/// `keypair_replace_managed(secrets_manager, old, new, *version)`: not implemented.
pub fn keypair_replace_managed(
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

/// `keypair_id(keypair, kp_id, kp_id_max_len, *size, *version)`: not implemented.
pub fn keypair_id(
    c: Caller<'_, Shared>,
    _kp: u32,
    kp_id: u32,
    kp_id_max_len: u32,
    size_ptr: u32,
    version: u32,
) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(kp_id, kp_id_max_len)?;
        g.check(size_ptr, size::U32)?;
        g.check(version, size::U64)?;
        Err(CryptoErrno::NotImplemented)
    })
}

/// `keypair_from_id(secrets_manager, kp_id, kp_id_len, version: u64, *keypair)`: not
/// implemented.
pub fn keypair_from_id(
    c: Caller<'_, Shared>,
    _secrets_manager: u32,
    kp_id: u32,
    kp_id_len: u32,
    _version: u64,
    out: u32,
) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(kp_id, kp_id_len)?;
        g.check(out, size::U32)?;
        Err(CryptoErrno::NotImplemented)
    })
}

/// `keypair_from_pk_and_sk(publickey, secretkey, *keypair) -> errno`.
pub fn keypair_from_pk_and_sk(c: Caller<'_, Shared>, pk: u32, sk: u32, out: u32) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(out, size::U32)?;
        let h = c.state().keypair_from_pk_and_sk(pk, sk)?;
        g.write_u32(out, h)
    })
}

/// `keypair_export(keypair, encoding, *array_output) -> errno`.
pub fn keypair_export(c: Caller<'_, Shared>, kp: u32, encoding: u32, out: u32) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        let enc = Encoding::keypair(encoding)?;
        g.check(out, size::U32)?;
        let h = c.state().keypair_export(kp, enc)?;
        g.write_u32(out, h)
    })
}

/// `keypair_publickey(keypair, *publickey) -> errno`.
pub fn keypair_publickey(c: Caller<'_, Shared>, kp: u32, out: u32) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(out, size::U32)?;
        let h = c.state().keypair_publickey(kp)?;
        g.write_u32(out, h)
    })
}

/// `keypair_secretkey(keypair, *secretkey) -> errno`.
pub fn keypair_secretkey(c: Caller<'_, Shared>, kp: u32, out: u32) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(out, size::U32)?;
        let h = c.state().keypair_secretkey(kp)?;
        g.write_u32(out, h)
    })
}

/// `keypair_close(keypair) -> errno`: a handle that is not open is `algorithm_failure` (not
/// `closed`), as in WasmEdge.
pub fn keypair_close(c: Caller<'_, Shared>, kp: u32) -> u32 {
    errno(|| {
        c.state()
            .key_pairs
            .close(kp)
            .map_err(|_| CryptoErrno::AlgorithmFailure)
    })
}

/// Reads the arguments shared by `publickey_import` and `secretkey_import`.
#[allow(clippy::too_many_arguments, reason = "the witx function's parameters")]
fn key_import(
    c: &Caller<'_, Shared>,
    alg_type: u32,
    alg: u32,
    alg_len: u32,
    encoded: u32,
    encoded_len: u32,
    encoding: u32,
    out: u32,
    import: impl FnOnce(&Context, AsymAlg, &[u8], Encoding) -> Result<u32>,
) -> u32 {
    errno(|| {
        let g = Guest::of(c)?;
        let alg = algorithm(&g, alg_type, alg, alg_len)?;
        let encoded = g.read(encoded, encoded_len)?;
        let enc = Encoding::key(encoding)?;
        g.check(out, size::U32)?;
        let h = import(c.state(), alg, &encoded, enc)?;
        g.write_u32(out, h)
    })
}

/// `publickey_import(algorithm_type, alg, alg_len, encoded, encoded_len, encoding,
/// *publickey) -> errno`.
#[allow(clippy::too_many_arguments, reason = "the witx function's parameters")]
pub fn publickey_import(
    c: Caller<'_, Shared>,
    alg_type: u32,
    alg: u32,
    alg_len: u32,
    encoded: u32,
    encoded_len: u32,
    encoding: u32,
    out: u32,
) -> u32 {
    key_import(
        &c,
        alg_type,
        alg,
        alg_len,
        encoded,
        encoded_len,
        encoding,
        out,
        Context::publickey_import,
    )
}

/// `publickey_export(publickey, encoding, *array_output) -> errno`.
pub fn publickey_export(c: Caller<'_, Shared>, pk: u32, encoding: u32, out: u32) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        let enc = Encoding::key(encoding)?;
        g.check(out, size::U32)?;
        let h = c.state().publickey_export(pk, enc)?;
        g.write_u32(out, h)
    })
}

/// `publickey_verify(publickey) -> errno`.
pub fn publickey_verify(c: Caller<'_, Shared>, pk: u32) -> u32 {
    errno(|| c.state().public_keys.get(pk)?.verify())
}

/// `publickey_from_secretkey(secretkey, *publickey) -> errno`.
pub fn publickey_from_secretkey(c: Caller<'_, Shared>, sk: u32, out: u32) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(out, size::U32)?;
        let h = c.state().publickey_from_secretkey(sk)?;
        g.write_u32(out, h)
    })
}

/// `publickey_close(publickey) -> errno`.
pub fn publickey_close(c: Caller<'_, Shared>, pk: u32) -> u32 {
    errno(|| c.state().public_keys.close(pk))
}

/// `secretkey_import(algorithm_type, alg, alg_len, encoded, encoded_len, encoding,
/// *secretkey) -> errno`.
#[allow(clippy::too_many_arguments, reason = "the witx function's parameters")]
pub fn secretkey_import(
    c: Caller<'_, Shared>,
    alg_type: u32,
    alg: u32,
    alg_len: u32,
    encoded: u32,
    encoded_len: u32,
    encoding: u32,
    out: u32,
) -> u32 {
    key_import(
        &c,
        alg_type,
        alg,
        alg_len,
        encoded,
        encoded_len,
        encoding,
        out,
        Context::secretkey_import,
    )
}

/// `secretkey_export(secretkey, encoding, *array_output) -> errno`.
pub fn secretkey_export(c: Caller<'_, Shared>, sk: u32, encoding: u32, out: u32) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        let enc = Encoding::key(encoding)?;
        g.check(out, size::U32)?;
        let h = c.state().secretkey_export(sk, enc)?;
        g.write_u32(out, h)
    })
}

/// `secretkey_close(secretkey) -> errno`: `algorithm_failure` for a handle that is not open,
/// as in WasmEdge.
pub fn secretkey_close(c: Caller<'_, Shared>, sk: u32) -> u32 {
    errno(|| {
        c.state()
            .secret_keys
            .close(sk)
            .map_err(|_| CryptoErrno::AlgorithmFailure)
    })
}
