//! The `wasmedge_image` plug-in (`plugins/wasmedge_image`).
