//! WasmEdge's `wasmedge_httpsreq` plug-in for Wedge: a guest sends raw bytes (an HTTP request it
//! wrote itself) to a server over TLS and reads back everything the server answered, headers
//! included.
//!
//! Plug-in `wasmedge_httpsreq`, module `wasmedge_httpsreq` (WasmEdge removed the plug-in in
//! 2023; the ABI is that of commit `503a85d8`), all parameters `i32`:
//!
//! | function | does |
//! |---|---|
//! | `wasmedge_httpsreq_send_data(host_ptr, host_len, port, body_ptr, body_len)` | connects to the host (IPv4) on `port`, TLS with SNI, sends the body as it is, reads until the server closes |
//! | `wasmedge_httpsreq_get_rcv_len() -> len` | the length of the last reply |
//! | `wasmedge_httpsreq_get_rcv(buf)` | copies the last reply to `buf` |
//!
//! The reply is kept per module instance and replaced by the next `send_data` whose handshake
//! succeeds. A failure (no memory, a buffer out of bounds, a name that does not resolve, a
//! refused connection, a failed handshake) is a trap (`HostFuncError`) with a line on stderr,
//! as in WasmEdge; a failure to send the body, or a read error, only ends the exchange.
//!
//! What `send_data` does, called natively (it needs a server, so this example is not run):
//!
//! ```no_run
//! use wedge_plugin_httpsreq::{exchange::exchange, tls};
//!
//! let config = tls::build(&tls::Trust { insecure: false, ca_file: String::new() })?;
//! let request = b"GET / HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n";
//! let reply = exchange(config, "example.com", 443, request)?;
//! assert!(reply.starts_with(b"HTTP/1.1 "));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Differences from WasmEdge
//!
//! - **Certificates are checked.** WasmEdge's plug-in (OpenSSL) accepts any certificate. Here
//!   the server's certificate must chain to a trusted root and match the host name, or the
//!   handshake fails (a trap). The roots are the system's, read by `rustls-native-certs` (which
//!   honours `SSL_CERT_FILE` and `SSL_CERT_DIR`), or Mozilla's (`webpki-roots`) when the system
//!   has none. Two program options change that (flags of the runtime's command line):
//!   - `--httpsreq-ca-file PATH`: also trust the CA certificates in this PEM file;
//!   - `--httpsreq-insecure`: check no certificate, as WasmEdge (the handshake's signatures are
//!     still verified).
//!
//!   A host of the C API has no command line: there, `SSL_CERT_FILE` points at the roots.
//! - **Limits**: a reply longer than 32 MiB is a trap instead of growing without bound; a
//!   connection attempt gives up after 30 s per address; reading stops (keeping what came) when
//!   the server is silent for 30 s or the exchange has lasted 5 minutes. WasmEdge has no limit
//!   and no timeout.
//! - **Bounds**: the whole host and body ranges are checked (WasmEdge checks only their first
//!   byte and reads on), and so is the receive buffer (WasmEdge writes past it). The SNI name is
//!   the `host_len` bytes up to a NUL (WasmEdge passes the guest's pointer to OpenSSL as a C
//!   string). A port above 65535 is a trap.
//! - **SNI**: for a host given as an IP address no SNI is sent (rustls follows RFC 6066), and
//!   the certificate must name that address; OpenSSL, in WasmEdge, sends the address as SNI.
//! - TLS 1.2 and 1.3 with rustls' safe defaults (ring); OpenSSL's defaults may allow more.
//!
//! Cost (dev profile, 2-core machine): a request over loopback (TCP connect, TLS 1.3 handshake
//! with a P-256 certificate, a small reply) takes about 4 ms natively and about 4 ms through a
//! guest in `wedge` (`plugins/tests`, `httpsreq::cost_*`, ignored by default).

#![forbid(unsafe_code)]

pub mod exchange;
pub mod func;
pub mod state;
pub mod tls;

use wedge_plugin_sdk::{Module, Plugin, ProgramOption, package_version};

/// The plug-in's name.
pub const PLUGIN_NAME: &str = "wasmedge_httpsreq";
/// The module's name, which guests import.
pub const MODULE_NAME: &str = "wasmedge_httpsreq";

/// `--httpsreq-ca-file PATH`: a PEM file of CA certificates to trust besides the system's.
pub static CA_FILE: ProgramOption<String> = ProgramOption::string(
    "httpsreq-ca-file",
    "a PEM file of CA certificates to trust besides the system's",
    "",
);

/// `--httpsreq-insecure`: accept any server certificate, as WasmEdge's plug-in does.
pub static INSECURE: ProgramOption<bool> = ProgramOption::new(
    "httpsreq-insecure",
    "accept any server certificate (WasmEdge's behaviour)",
    false,
);

/// The trust the options ask for.
#[must_use]
pub fn trust() -> tls::Trust {
    tls::Trust {
        insecure: INSECURE.get(),
        ca_file: CA_FILE.get(),
    }
}

/// Declares the plug-in.
#[must_use]
pub fn declare() -> Plugin {
    Plugin::new(PLUGIN_NAME, package_version!())
        .description("HTTPS request plug-in for Wedge (WasmEdge's wasmedge_httpsreq)")
        .option(&CA_FILE)
        .option(&INSECURE)
        .module(
            Module::new(MODULE_NAME, state::Received::default)
                .description("send raw bytes over TLS and read the reply")
                .func("wasmedge_httpsreq_send_data", func::send_data)
                .func("wasmedge_httpsreq_get_rcv", func::get_rcv)
                .func("wasmedge_httpsreq_get_rcv_len", func::get_rcv_len),
        )
}

wedge_plugin_sdk::plugin!(declare);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plugin_declares_wasmedges_module_and_options() {
        let plugin = declare();
        assert_eq!(plugin.name(), "wasmedge_httpsreq");
        assert_eq!(
            plugin.module_names().collect::<Vec<_>>(),
            ["wasmedge_httpsreq"]
        );
        assert_eq!(
            trust(),
            tls::Trust {
                insecure: false,
                ca_file: String::new()
            }
        );
    }
}
