//! The `wasi_crypto` plug-in (`plugins/wasi_crypto`).
