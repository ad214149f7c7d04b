//! The `wasmedge_process` plug-in (`plugins/wasmedge_process`).
