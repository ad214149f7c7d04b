//! One exchange with a server: connect over IPv4, TLS handshake with SNI, send the guest's bytes
//! as they are, read until the server closes.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::pki_types::ServerName;
use rustls::{ClientConfig, ClientConnection, StreamOwned};

/// How long a TCP connection may take to open, per address.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long the server may stay silent (or not take our bytes) before we stop.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long the whole exchange, handshake to close, may take.
pub const TOTAL_TIMEOUT: Duration = Duration::from_secs(300);
/// The most bytes kept from a reply (headers included): a server that sends more makes the call
/// fail rather than exhaust the host's memory.
pub const MAX_REPLY: usize = 32 << 20;

/// Why an exchange failed; each is a trap for the guest, as WasmEdge's failures are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExchangeError {
    /// The host name does not resolve to an IPv4 address.
    Resolve(String),
    /// No address accepted the connection.
    Connect(String),
    /// The name is not one a certificate can be checked against.
    Name(String),
    /// The TLS handshake failed (an untrusted certificate among others).
    Handshake(String),
    /// The reply was longer than [`MAX_REPLY`].
    TooLong,
}

impl core::fmt::Display for ExchangeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            ExchangeError::Resolve(e) => write!(f, "cannot resolve the host: {e}"),
            ExchangeError::Connect(e) => write!(f, "cannot connect: {e}"),
            ExchangeError::Name(e) => write!(f, "invalid server name: {e}"),
            ExchangeError::Handshake(e) => write!(f, "TLS handshake failed: {e}"),
            ExchangeError::TooLong => write!(f, "the reply is longer than {MAX_REPLY} bytes"),
        }
    }
}

impl std::error::Error for ExchangeError {}

/// The IPv4 addresses of `host` at `port` (WasmEdge asks `getaddrinfo` for `AF_INET` only).
pub fn resolve(host: &str, port: u16) -> Result<Vec<SocketAddr>, ExchangeError> {
    let addrs: Vec<SocketAddr> = (host, port)
        .to_socket_addrs()
        .map_err(|e| ExchangeError::Resolve(e.to_string()))?
        .filter(SocketAddr::is_ipv4)
        .collect();
    if addrs.is_empty() {
        return Err(ExchangeError::Resolve(format!(
            "{host} has no IPv4 address"
        )));
    }
    Ok(addrs)
}

/// Sends `body` to `host`:`port` over TLS and returns everything the server sent back until it
/// closed the connection (or went silent for [`IDLE_TIMEOUT`], or [`TOTAL_TIMEOUT`] passed;
/// what came until then is kept, as WasmEdge keeps what came before a read error). A failure to
/// send the body is not an error, as in WasmEdge: the reply, if any, is read all the same.
pub fn exchange(
    config: Arc<ClientConfig>,
    host: &str,
    port: u16,
    body: &[u8],
) -> Result<Vec<u8>, ExchangeError> {
    let addrs = resolve(host, port)?;
    let mut last = String::new();
    let mut tcp = None;
    for addr in &addrs {
        match TcpStream::connect_timeout(addr, CONNECT_TIMEOUT) {
            Ok(s) => {
                tcp = Some(s);
                break;
            }
            Err(e) => last = e.to_string(),
        }
    }
    let tcp = tcp.ok_or(ExchangeError::Connect(last))?;
    let name =
        ServerName::try_from(host.to_owned()).map_err(|e| ExchangeError::Name(e.to_string()))?;
    let conn =
        ClientConnection::new(config, name).map_err(|e| ExchangeError::Handshake(e.to_string()))?;
    let start = Instant::now();
    let mut tls = StreamOwned::new(conn, tcp);
    set_timeouts(&tls.sock, start);
    while tls.conn.is_handshaking() {
        tls.conn
            .complete_io(&mut tls.sock)
            .map_err(|e| ExchangeError::Handshake(e.to_string()))?;
    }
    if let Err(e) = tls.write_all(body).and_then(|()| tls.flush()) {
        log(&format!("sending the request failed: {e}"));
    }
    let mut reply = Vec::new();
    let mut buf = vec![0u8; 16 << 10];
    loop {
        if !set_timeouts(&tls.sock, start) {
            log("the exchange took too long; keeping what came so far");
            break;
        }
        match tls.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                if reply.len() + n > MAX_REPLY {
                    return Err(ExchangeError::TooLong);
                }
                reply.extend_from_slice(&buf[..n]);
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => {
                // A close without close_notify, a reset or a timeout ends the reply.
                if !matches!(e.kind(), ErrorKind::UnexpectedEof) {
                    log(&format!("reading the reply stopped: {e}"));
                }
                break;
            }
        }
    }
    Ok(reply)
}

/// Sets the socket's timeouts to the idle timeout or what is left of the total one; `false`
/// when nothing is left.
fn set_timeouts(sock: &TcpStream, start: Instant) -> bool {
    let left = TOTAL_TIMEOUT.saturating_sub(start.elapsed());
    if left.is_zero() {
        return false;
    }
    let t = Some(left.min(IDLE_TIMEOUT));
    sock.set_read_timeout(t).is_ok() && sock.set_write_timeout(t).is_ok()
}

/// A line on stderr, as WasmEdge logs its errors.
pub fn log(message: &str) {
    eprintln!("[wasmedge_httpsreq] {message}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_ipv4_addresses_are_used() {
        let addrs = resolve("127.0.0.1", 443).unwrap();
        assert_eq!(addrs, ["127.0.0.1:443".parse::<SocketAddr>().unwrap()]);
        assert!(matches!(
            resolve("::1", 443),
            Err(ExchangeError::Resolve(_))
        ));
        assert!(matches!(
            resolve("no-such-host.invalid", 443),
            Err(ExchangeError::Resolve(_))
        ));
    }

    #[test]
    fn a_closed_port_is_a_connect_error() {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let config = crate::tls::build(&crate::tls::Trust {
            insecure: true,
            ca_file: String::new(),
        })
        .unwrap();
        let e = exchange(config, "127.0.0.1", port, b"GET / HTTP/1.0\r\n\r\n").unwrap_err();
        assert!(matches!(e, ExchangeError::Connect(_)), "{e:?}");
    }
}
