//! The `wasmedge_image` plug-in (`plugins/image`).
