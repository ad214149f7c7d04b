//! The `wasmedge_process` plug-in (`plugins/process`).
