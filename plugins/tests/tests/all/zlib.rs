//! The `wasmedge_zlib` plug-in (`plugins/wasmedge_zlib`).
