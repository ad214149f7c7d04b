//! The `wasmedge_httpsreq` plug-in (`plugins/httpsreq`).
