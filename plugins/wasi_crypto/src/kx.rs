//! Module `wasi_ephemeral_crypto_kx`: Diffie-Hellman key exchange (3 functions; the KEM pair
//! answers `not_implemented` for every algorithm, as in WasmEdge).

use wedge_plugin_sdk::Caller;

use crate::common::Shared;
use crate::errno::{CryptoErrno, Result, errno};
use crate::guest::{Guest, size};
use crate::keys::{AsymAlg, diffie_hellman};
use crate::state::Context;

impl Context {
    /// `kx_dh`: the shared secret of a key exchange public key and secret key of one
    /// algorithm, as an `array_output`. Keys of a signature algorithm are `invalid_handle`,
    /// keys of two exchange algorithms `invalid_key`.
    pub fn kx_dh(&self, pk: u32, sk: u32) -> Result<u32> {
        let sk = self.secret_keys.get(sk)?;
        let AsymAlg::Kx(sk_alg) = sk.alg else {
            return Err(CryptoErrno::InvalidHandle);
        };
        let pk = self.public_keys.get(pk)?;
        let AsymAlg::Kx(pk_alg) = pk.alg else {
            return Err(CryptoErrno::InvalidHandle);
        };
        if pk_alg != sk_alg {
            return Err(CryptoErrno::InvalidKey);
        }
        let shared = diffie_hellman(&sk.secret, &pk.public)?;
        self.output(shared)
    }

    /// `kx_encapsulate`: not implemented once the key is known to be an exchange key.
    pub fn kx_encapsulate(&self, pk: u32) -> Result<()> {
        match self.public_keys.get(pk)?.alg {
            AsymAlg::Kx(_) => Err(CryptoErrno::NotImplemented),
            AsymAlg::Sig(_) => Err(CryptoErrno::InvalidHandle),
        }
    }

    /// `kx_decapsulate`: not implemented once the key is known to be an exchange key.
    pub fn kx_decapsulate(&self, sk: u32) -> Result<()> {
        match self.secret_keys.get(sk)?.alg {
            AsymAlg::Kx(_) => Err(CryptoErrno::NotImplemented),
            AsymAlg::Sig(_) => Err(CryptoErrno::InvalidHandle),
        }
    }
}

/// `kx_dh(publickey, secretkey, *array_output) -> errno`.
pub fn kx_dh(c: Caller<'_, Shared>, pk: u32, sk: u32, out: u32) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(out, size::U32)?;
        let h = c.state().kx_dh(pk, sk)?;
        g.write_u32(out, h)
    })
}

/// `kx_encapsulate(publickey, *secret, *encapsulated_secret) -> errno`.
pub fn kx_encapsulate(c: Caller<'_, Shared>, pk: u32, secret: u32, encapsulated: u32) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(secret, size::U32)?;
        g.check(encapsulated, size::U32)?;
        c.state().kx_encapsulate(pk)
    })
}

/// `kx_decapsulate(secretkey, encapsulated_secret, len, *secret) -> errno`.
pub fn kx_decapsulate(
    c: Caller<'_, Shared>,
    sk: u32,
    encapsulated: u32,
    encapsulated_len: u32,
    secret: u32,
) -> u32 {
    errno(|| {
        let g = Guest::of(&c)?;
        g.check(encapsulated, encapsulated_len)?;
        g.check(secret, size::U32)?;
        c.state().kx_decapsulate(sk)
    })
}
