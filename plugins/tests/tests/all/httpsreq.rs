//! The `wasmedge_httpsreq` plug-in (`plugins/wasmedge_httpsreq`).
