//! The `wasi_crypto` plug-in (`plugins/crypto`).
