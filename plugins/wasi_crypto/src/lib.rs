//! WasmEdge's `wasi_crypto` plug-in for Wedge: the five modules of the ephemeral wasi-crypto
//! proposal, with WasmEdge 0.17.1's function names, wasm signatures, errno values and
//! behaviour.
//!
//! | module | functions |
//! |---|---|
//! | `wasi_ephemeral_crypto_common` | 10: options, array outputs, secrets manager |
//! | `wasi_ephemeral_crypto_asymmetric_common` | 20: key pairs, public and secret keys |
//! | `wasi_ephemeral_crypto_signatures` | 11: signing, verification, signatures |
//! | `wasi_ephemeral_crypto_symmetric` | 28: keys, states and tags |
//! | `wasi_ephemeral_crypto_kx` | 3: key exchange |
//!
//! Algorithms: signatures `ECDSA_P256_SHA256`, `ECDSA_K256_SHA256`, `ECDSA_P384_SHA384`,
//! `Ed25519`, `RSA_PKCS1_{2048_SHA256,2048_SHA384,2048_SHA512,3072_SHA384,3072_SHA512,
//! 4096_SHA512}` and the same six `RSA_PSS_*`; symmetric `SHA-256`, `SHA-512`,
//! `SHA-512/256`, `HMAC/SHA-256`, `HMAC/SHA-512`, `HKDF-EXTRACT/SHA-256`,
//! `HKDF-EXTRACT/SHA-512`, `HKDF-EXPAND/SHA-256`, `HKDF-EXPAND/SHA-512`, `AES-128-GCM`,
//! `AES-256-GCM`, `CHACHA20-POLY1305`; key exchange `X25519`, `P256-SHA256`, `P384-SHA384`
//! (names in any case). Key encodings are in [`keys`], symmetric behaviours in [`symmetric`].
//!
//! # Why RustCrypto
//!
//! WasmEdge builds this plug-in on OpenSSL. The Rust `wasi-crypto` host crate would give the
//! same algorithms, but it requires BoringSSL, whose vendored build needs cmake, libclang and
//! a C++ compiler and takes about seven minutes. The RustCrypto crates (`sha2`, `hmac`,
//! `hkdf`, `aes-gcm`, `chacha20poly1305`, `p256`, `p384`, `k256`, `ed25519-dalek`,
//! `x25519-dalek`, `rsa`) are pure Rust, build in seconds with the rest of the workspace, are
//! widely used and audited, and cover every algorithm WasmEdge offers; this crate writes no
//! cryptography of its own, only the glue. (`rsa` 0.9 carries advisory RUSTSEC-2023-0071, a
//! timing side channel in private-key operations; it signs here with blinding, and no fixed
//! release exists yet.)
//!
//! # Behaviour
//!
//! - The five modules share one context per process, as in WasmEdge: handles made through one
//!   module work in the others, and across module instances (and threads) of the process.
//! - A pointer or length outside the guest's memory is `algorithm_failure` (12), not a trap,
//!   as in WasmEdge; ranges are checked before the host allocates for them.
//! - A handle is never reused; a closed or unknown one is `invalid_handle` (15) when used and
//!   `closed` (14) when closed again (`keypair_close` and `secretkey_close` answer
//!   `algorithm_failure` instead, as WasmEdge does).
//! - Secrets managers and managed keys answer `not_implemented` (2), as in WasmEdge.
//!
//! Where WasmEdge's OpenSSL code is wrong, this is stricter or correct and says so where it
//! differs: P-384 sizes and hash ([`keys`]), tags compared over their whole length
//! ([`symmetric::Tag::verify`]), PKCS#8 key pair export, array outputs pulled in pieces
//! ([`common::ArrayOutput`]).
//!
//! # Example
//!
//! ```
//! use wedge_plugin_crypto::{keys::AsymAlg, common::AlgorithmType, state::Context};
//!
//! let ctx = Context::default();
//! let alg = AsymAlg::parse(AlgorithmType::Signatures, b"Ed25519").unwrap();
//! let kp = ctx.keypair_generate(alg, None).unwrap();
//! let state = ctx.signature_state_open(kp).unwrap();
//! ctx.sign_states.get(state).unwrap().update(b"hello").unwrap();
//! let sig = ctx.signature_state_sign(state).unwrap();
//! let pk = ctx.keypair_publickey(kp).unwrap();
//! let check = ctx.verification_state_open(pk).unwrap();
//! ctx.verification_states.get(check).unwrap().update(b"hello").unwrap();
//! assert_eq!(ctx.verification_state_verify(check, sig), Ok(()));
//! ```

#![forbid(unsafe_code)]

pub mod asymmetric_common;
pub mod common;
pub mod errno;
pub mod guest;
pub mod keys;
pub mod kx;
pub mod signatures;
pub mod state;
pub mod symmetric;

#[cfg(test)]
mod vectors;

use wedge_plugin_sdk::{Module, Plugin, Version};

use crate::state::Context;

/// The plug-in's name, as in WasmEdge.
pub const PLUGIN_NAME: &str = "wasi_crypto";

/// The modules' names, which guests import.
pub const MODULE_NAMES: [&str; 5] = [
    "wasi_ephemeral_crypto_asymmetric_common",
    "wasi_ephemeral_crypto_common",
    "wasi_ephemeral_crypto_kx",
    "wasi_ephemeral_crypto_signatures",
    "wasi_ephemeral_crypto_symmetric",
];

/// The modules' descriptor names, in the order of [`MODULE_NAMES`]: what the runtime lists for
/// the plug-in and `WasmEdge_PluginCreateModule` takes, as in WasmEdge.
pub const DESCRIPTOR_NAMES: [&str; 5] = [
    "wasi_crypto_asymmetric_common",
    "wasi_crypto_common",
    "wasi_crypto_kx",
    "wasi_crypto_signatures",
    "wasi_crypto_symmetric",
];

/// The plug-in's version: WasmEdge's wasi_crypto plug-in reports 0.10.1.0.
pub const VERSION: Version = Version::new(0, 10, 1, 0);

/// Declares the plug-in.
#[must_use]
pub fn declare() -> Plugin {
    Plugin::new(PLUGIN_NAME, VERSION)
        .description("wasi-crypto (ephemeral): signatures, symmetric operations, key exchange")
        .module(asymmetric_common_module())
        .module(common_module())
        .module(kx_module())
        .module(signatures_module())
        .module(symmetric_module())
}

/// `wasi_ephemeral_crypto_asymmetric_common`.
fn asymmetric_common_module() -> Module<common::Shared> {
    use crate::asymmetric_common as a;
    Module::new(MODULE_NAMES[0], Context::instance)
        .descriptor_name(DESCRIPTOR_NAMES[0])
        .func("keypair_generate", a::keypair_generate)
        .func("keypair_import", a::keypair_import)
        .func("keypair_generate_managed", a::keypair_generate_managed)
        .func("keypair_store_managed", a::keypair_store_managed)
        .func("keypair_replace_managed", a::keypair_replace_managed)
        .func("keypair_id", a::keypair_id)
        .func("keypair_from_id", a::keypair_from_id)
        .func("keypair_from_pk_and_sk", a::keypair_from_pk_and_sk)
        .func("keypair_export", a::keypair_export)
        .func("keypair_publickey", a::keypair_publickey)
        .func("keypair_secretkey", a::keypair_secretkey)
        .func("keypair_close", a::keypair_close)
        .func("publickey_import", a::publickey_import)
        .func("publickey_export", a::publickey_export)
        .func("publickey_verify", a::publickey_verify)
        .func("publickey_from_secretkey", a::publickey_from_secretkey)
        .func("publickey_close", a::publickey_close)
        .func("secretkey_import", a::secretkey_import)
        .func("secretkey_export", a::secretkey_export)
        .func("secretkey_close", a::secretkey_close)
}

/// `wasi_ephemeral_crypto_common`.
fn common_module() -> Module<common::Shared> {
    use crate::common as c;
    Module::new(MODULE_NAMES[1], Context::instance)
        .descriptor_name(DESCRIPTOR_NAMES[1])
        .func("array_output_len", c::array_output_len)
        .func("array_output_pull", c::array_output_pull)
        .func("options_open", c::options_open)
        .func("options_close", c::options_close)
        .func("options_set", c::options_set)
        .func("options_set_u64", c::options_set_u64)
        .func("options_set_guest_buffer", c::options_set_guest_buffer)
        .func("secrets_manager_open", c::secrets_manager_open)
        .func("secrets_manager_close", c::secrets_manager_close)
        .func("secrets_manager_invalidate", c::secrets_manager_invalidate)
}

/// `wasi_ephemeral_crypto_kx`.
fn kx_module() -> Module<common::Shared> {
    use crate::kx as k;
    Module::new(MODULE_NAMES[2], Context::instance)
        .descriptor_name(DESCRIPTOR_NAMES[2])
        .func("kx_dh", k::kx_dh)
        .func("kx_encapsulate", k::kx_encapsulate)
        .func("kx_decapsulate", k::kx_decapsulate)
}

/// `wasi_ephemeral_crypto_signatures`.
fn signatures_module() -> Module<common::Shared> {
    use crate::signatures as s;
    Module::new(MODULE_NAMES[3], Context::instance)
        .descriptor_name(DESCRIPTOR_NAMES[3])
        .func("signature_export", s::signature_export)
        .func("signature_import", s::signature_import)
        .func("signature_state_open", s::signature_state_open)
        .func("signature_state_update", s::signature_state_update)
        .func("signature_state_sign", s::signature_state_sign)
        .func("signature_state_close", s::signature_state_close)
        .func(
            "signature_verification_state_open",
            s::signature_verification_state_open,
        )
        .func(
            "signature_verification_state_update",
            s::signature_verification_state_update,
        )
        .func(
            "signature_verification_state_verify",
            s::signature_verification_state_verify,
        )
        .func(
            "signature_verification_state_close",
            s::signature_verification_state_close,
        )
        .func("signature_close", s::signature_close)
}

/// `wasi_ephemeral_crypto_symmetric`.
fn symmetric_module() -> Module<common::Shared> {
    use crate::symmetric as y;
    Module::new(MODULE_NAMES[4], Context::instance)
        .descriptor_name(DESCRIPTOR_NAMES[4])
        .func("symmetric_key_generate", y::symmetric_key_generate)
        .func("symmetric_key_import", y::symmetric_key_import)
        .func("symmetric_key_export", y::symmetric_key_export)
        .func("symmetric_key_close", y::symmetric_key_close)
        .func(
            "symmetric_key_generate_managed",
            y::symmetric_key_generate_managed,
        )
        .func(
            "symmetric_key_store_managed",
            y::symmetric_key_store_managed,
        )
        .func(
            "symmetric_key_replace_managed",
            y::symmetric_key_replace_managed,
        )
        .func("symmetric_key_id", y::symmetric_key_id)
        .func("symmetric_key_from_id", y::symmetric_key_from_id)
        .func("symmetric_state_open", y::symmetric_state_open)
        .func("symmetric_state_clone", y::symmetric_state_clone)
        .func(
            "symmetric_state_options_get",
            y::symmetric_state_options_get,
        )
        .func(
            "symmetric_state_options_get_u64",
            y::symmetric_state_options_get_u64,
        )
        .func("symmetric_state_close", y::symmetric_state_close)
        .func("symmetric_state_absorb", y::symmetric_state_absorb)
        .func("symmetric_state_squeeze", y::symmetric_state_squeeze)
        .func(
            "symmetric_state_squeeze_tag",
            y::symmetric_state_squeeze_tag,
        )
        .func(
            "symmetric_state_squeeze_key",
            y::symmetric_state_squeeze_key,
        )
        .func(
            "symmetric_state_max_tag_len",
            y::symmetric_state_max_tag_len,
        )
        .func("symmetric_state_encrypt", y::symmetric_state_encrypt)
        .func(
            "symmetric_state_encrypt_detached",
            y::symmetric_state_encrypt_detached,
        )
        .func("symmetric_state_decrypt", y::symmetric_state_decrypt)
        .func(
            "symmetric_state_decrypt_detached",
            y::symmetric_state_decrypt_detached,
        )
        .func("symmetric_state_ratchet", y::symmetric_state_ratchet)
        .func("symmetric_tag_len", y::symmetric_tag_len)
        .func("symmetric_tag_pull", y::symmetric_tag_pull)
        .func("symmetric_tag_verify", y::symmetric_tag_verify)
        .func("symmetric_tag_close", y::symmetric_tag_close)
}

wedge_plugin_sdk::plugin!(declare);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plugin_declares_wasmedges_five_modules() {
        let plugin = declare();
        assert_eq!(plugin.name(), "wasi_crypto");
        assert_eq!(plugin.module_names().collect::<Vec<_>>(), DESCRIPTOR_NAMES);
    }

    #[test]
    fn each_module_has_wasmedges_function_count_and_no_name_twice() {
        let counts = [
            (asymmetric_common_module(), 20),
            (common_module(), 10),
            (kx_module(), 3),
            (signatures_module(), 11),
            (symmetric_module(), 28),
        ];
        let mut all = std::collections::HashSet::new();
        for (module, count) in &counts {
            assert_eq!(module.func_names().count(), *count, "{}", module.name());
            for name in module.func_names() {
                assert!(all.insert(name.to_owned()), "{name} twice");
            }
        }
        assert_eq!(all.len(), 72);
        for name in [
            "keypair_from_pk_and_sk",
            "options_set_guest_buffer",
            "kx_decapsulate",
            "signature_verification_state_verify",
            "symmetric_state_decrypt_detached",
        ] {
            assert!(all.contains(name), "{name}");
        }
    }
}
