//! The `wasmedge_zlib` plug-in (`plugins/zlib`).
