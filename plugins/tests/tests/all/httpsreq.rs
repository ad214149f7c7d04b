//! The `wasmedge_httpsreq` plug-in (`plugins/wasmedge_httpsreq`): its guest
//! (`tests/guests/httpsreq.c`) sends a raw HTTP request through both hosts to a TLS server on
//! loopback run by the test, with the committed test PKI (`tests/certs/`): a CA, a server
//! certificate it signed for `localhost` and 127.0.0.1, and a self-signed one.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Instant;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{ServerConfig, ServerConnection, StreamOwned};

use crate::{PluginLib, assert_exit, c_host, guest, output, plugin_dir, repo_root, stderr, stdout};

const HTTPSREQ: PluginLib = PluginLib {
    lib: "wedge_plugin_httpsreq",
    package: "wedge-plugin-httpsreq",
};

fn cert_path(name: &str) -> PathBuf {
    repo_root()
        .join("plugins/wasmedge_httpsreq/tests/certs")
        .join(name)
}

/// A TLS server on 127.0.0.1 answering `connections` connections, one after the other, with
/// `HTTP/1.1 200 OK`, a body naming the SNI it got and the request line, and `extra` bytes
/// after that; then it closes. The handle returns how many handshakes succeeded.
struct Server {
    port: u16,
    handle: JoinHandle<usize>,
}

fn serve(cert: &str, key: &str, connections: usize, extra: usize) -> Server {
    let certs = vec![CertificateDer::from_pem_file(cert_path(cert)).unwrap()];
    let key = PrivateKeyDer::from_pem_file(cert_path(key)).unwrap();
    #[expect(deprecated, reason = "the provider the plug-in uses")]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let mut served = 0;
        for _ in 0..connections {
            let Ok((tcp, _)) = listener.accept() else {
                break;
            };
            if answer(&config, tcp, extra).is_ok() {
                served += 1;
            }
        }
        served
    });
    Server { port, handle }
}

fn answer(config: &Arc<ServerConfig>, tcp: TcpStream, extra: usize) -> std::io::Result<()> {
    tcp.set_read_timeout(Some(std::time::Duration::from_secs(20)))?;
    let conn = ServerConnection::new(config.clone()).map_err(std::io::Error::other)?;
    let mut tls = StreamOwned::new(conn, tcp);
    let mut request = Vec::new();
    let mut buf = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = tls.read(&mut buf)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        request.extend_from_slice(&buf[..n]);
    }
    let line = String::from_utf8_lossy(&request);
    let line = line.lines().next().unwrap_or_default().to_string();
    let sni = tls.conn.server_name().unwrap_or("none").to_string();
    let body = format!("sni {sni}\nrequest {line}\n");
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len() + extra
    );
    tls.write_all(head.as_bytes())?;
    tls.write_all(body.as_bytes())?;
    let chunk = vec![b'x'; 1 << 16];
    let mut left = extra;
    while left > 0 {
        let n = left.min(chunk.len());
        if tls.write_all(&chunk[..n]).is_err() {
            break; // the client gave up
        }
        left -= n;
    }
    tls.conn.send_close_notify();
    let _ = tls.flush();
    Ok(())
}

/// `wedge run FLAGS httpsreq.wasm ARGS`.
fn wedge_run(plugins: &Path, flags: &[&str], args: &[&str]) -> Output {
    output(
        crate::wedge(plugins)
            .arg("run")
            .args(flags)
            .arg(guest("wasmedge_httpsreq", "httpsreq"))
            .args(args),
    )
}

/// The C host with `SSL_CERT_FILE` (the trust store of a host without a command line), if any.
fn host_run(plugins: &Path, cert_file: Option<&str>, flags: &[&str], args: &[&str]) -> Output {
    let mut cmd: Command = c_host(plugins);
    if let Some(f) = cert_file {
        cmd.env("SSL_CERT_FILE", cert_path(f));
    }
    output(
        cmd.args(flags)
            .arg(guest("wasmedge_httpsreq", "httpsreq"))
            .args(args),
    )
}

fn ok_reply(out: &Output, sni: &str, path: &str) {
    let text = stdout(out);
    assert!(text.starts_with("len "), "{text}\n{}", stderr(out));
    let body = text.split_once('\n').unwrap().1;
    assert_eq!(
        text.lines().next().unwrap(),
        format!("len {}", body.len()),
        "the length is the reply's"
    );
    assert!(
        body.starts_with("HTTP/1.1 200 OK\r\n"),
        "headers are part of the reply: {body}"
    );
    assert!(
        body.ends_with(&format!("sni {sni}\nrequest GET {path} HTTP/1.1\n")),
        "{body}"
    );
}

fn trapped(what: &str, out: &Output, log: &str) {
    assert!(
        !out.status.success(),
        "{what} should trap:\n{}",
        stdout(out)
    );
    assert!(!stdout(out).contains("returned"), "{what}: {}", stdout(out));
    assert!(
        stderr(out).contains(log),
        "{what}: stderr lacks {log:?}:\n{}",
        stderr(out)
    );
}

#[test]
fn a_server_of_an_unknown_ca_is_refused_by_default() {
    let plugins = plugin_dir("httpsreq_refused", &[HTTPSREQ]);
    let server = serve("server.pem", "server.key", 2, 0);
    let port = server.port.to_string();
    let out = wedge_run(&plugins, &[], &["get", "localhost", &port]);
    trapped("wedge", &out, "UnknownIssuer");
    let out = host_run(&plugins, None, &[], &["get", "localhost", &port]);
    assert_exit("C host", &out, 100);
    assert!(stderr(&out).contains("UnknownIssuer"), "{}", stderr(&out));
    assert_eq!(server.handle.join().unwrap(), 0, "no handshake succeeded");
}

#[test]
fn the_ca_file_option_or_ssl_cert_file_trusts_the_test_ca() {
    let plugins = plugin_dir("httpsreq_ca", &[HTTPSREQ]);
    let server = serve("server.pem", "server.key", 4, 0);
    let port = server.port.to_string();
    let ca = format!("--httpsreq-ca-file={}", cert_path("ca.pem").display());
    let out = wedge_run(&plugins, &[&ca], &["get", "localhost", &port, "/a"]);
    assert_exit("wedge --httpsreq-ca-file", &out, 0);
    ok_reply(&out, "localhost", "/a");
    // The value may also be the next word.
    let path = cert_path("ca.pem");
    let out = wedge_run(
        &plugins,
        &["--httpsreq-ca-file", path.to_str().unwrap()],
        &["get", "localhost", &port, "/b"],
    );
    assert_exit("wedge --httpsreq-ca-file PATH", &out, 0);
    ok_reply(&out, "localhost", "/b");
    // An IP address is checked against the certificate's IP name, and sends no SNI.
    let out = wedge_run(&plugins, &[&ca], &["get", "127.0.0.1", &port, "/c"]);
    assert_exit("wedge to 127.0.0.1", &out, 0);
    ok_reply(&out, "none", "/c");
    let out = host_run(
        &plugins,
        Some("ca.pem"),
        &[],
        &["get", "localhost", &port, "/d"],
    );
    assert_exit("C host with SSL_CERT_FILE", &out, 0);
    ok_reply(&out, "localhost", "/d");
    assert_eq!(server.handle.join().unwrap(), 4);
}

#[test]
fn insecure_accepts_a_self_signed_server_that_the_ca_file_does_not() {
    let plugins = plugin_dir("httpsreq_insecure", &[HTTPSREQ]);
    let server = serve("self.pem", "self.key", 2, 0);
    let port = server.port.to_string();
    let ca = format!("--httpsreq-ca-file={}", cert_path("ca.pem").display());
    let out = wedge_run(&plugins, &[&ca], &["get", "localhost", &port]);
    trapped("wedge with the CA file", &out, "TLS handshake failed");
    let out = wedge_run(
        &plugins,
        &["--httpsreq-insecure"],
        &["get", "localhost", &port],
    );
    assert_exit("wedge --httpsreq-insecure", &out, 0);
    ok_reply(&out, "localhost", "/");
    assert_eq!(server.handle.join().unwrap(), 1);
}

#[test]
fn an_unreadable_ca_file_traps_with_its_name() {
    let plugins = plugin_dir("httpsreq_bad_ca", &[HTTPSREQ]);
    let server = serve("server.pem", "server.key", 1, 0);
    let port = server.port.to_string();
    let out = wedge_run(
        &plugins,
        &["--httpsreq-ca-file=/nonexistent/ca.pem"],
        &["get", "localhost", &port],
    );
    trapped("wedge", &out, "cannot read the CA file /nonexistent/ca.pem");
    // The server gets no connection: free its thread.
    drop(TcpStream::connect(("127.0.0.1", server.port)));
    assert_eq!(server.handle.join().unwrap(), 0);
}

#[test]
fn a_refused_connection_traps_as_in_wasmedge() {
    let plugins = plugin_dir("httpsreq_closed", &[HTTPSREQ]);
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
        .to_string();
    let out = wedge_run(
        &plugins,
        &["--httpsreq-insecure"],
        &["get", "127.0.0.1", &port],
    );
    trapped("wedge", &out, "Connection refused");
    let out = host_run(&plugins, None, &[], &["get", "127.0.0.1", &port]);
    assert_exit("C host", &out, 100);
    assert!(
        stderr(&out).contains("Connection refused"),
        "{}",
        stderr(&out)
    );
    let out = wedge_run(
        &plugins,
        &["--httpsreq-insecure"],
        &["get", "no-such-host.invalid", "443"],
    );
    trapped("wedge, unknown host", &out, "cannot resolve");
}

#[test]
fn buffers_past_memory_trap_and_an_empty_reply_copies_nothing() {
    let plugins = plugin_dir("httpsreq_bounds", &[HTTPSREQ]);
    let server = serve("server.pem", "server.key", 2, 0);
    let port = server.port.to_string();
    let ca = format!("--httpsreq-ca-file={}", cert_path("ca.pem").display());
    for mode in ["bad_host", "bad_body"] {
        let out = wedge_run(&plugins, &[&ca], &[mode, "localhost", &port]);
        trapped(mode, &out, "out of bounds");
        let out = host_run(&plugins, Some("ca.pem"), &[], &[mode, "localhost", &port]);
        assert_exit(mode, &out, 100);
    }
    let out = wedge_run(&plugins, &[&ca], &["bad_buf", "localhost", &port]);
    trapped("bad_buf", &out, "receive buffer is out of bounds");
    assert!(
        stdout(&out).starts_with("len "),
        "the reply came first: {}",
        stdout(&out)
    );
    let out = host_run(
        &plugins,
        Some("ca.pem"),
        &[],
        &["bad_buf", "localhost", &port],
    );
    assert_exit("C host bad_buf", &out, 100);
    for (host, out) in [
        ("wedge", wedge_run(&plugins, &[], &["empty_buf"])),
        ("C host", host_run(&plugins, None, &[], &["empty_buf"])),
    ] {
        assert_exit(host, &out, 0);
        assert_eq!(stdout(&out), "no trap, len 0\n", "{host}");
    }
    assert_eq!(server.handle.join().unwrap(), 2);
}

#[test]
fn the_next_request_replaces_the_reply() {
    let plugins = plugin_dir("httpsreq_twice", &[HTTPSREQ]);
    let server = serve("server.pem", "server.key", 2, 0);
    let port = server.port.to_string();
    let ca = format!("--httpsreq-ca-file={}", cert_path("ca.pem").display());
    let out = wedge_run(&plugins, &[&ca], &["twice", "localhost", &port]);
    assert_exit("wedge", &out, 0);
    let text = stdout(&out);
    let rest = text.split_once('\n').unwrap().1;
    assert!(text.starts_with("first len "), "{text}");
    assert!(rest.contains("request GET /second HTTP/1.1\n"), "{text}");
    assert!(!rest.contains("/first"), "{text}");
    assert_eq!(server.handle.join().unwrap(), 2);
}

#[test]
fn a_reply_over_32_mib_traps_instead_of_growing() {
    let plugins = plugin_dir("httpsreq_long", &[HTTPSREQ]);
    let server = serve("server.pem", "server.key", 1, 33 << 20);
    let port = server.port.to_string();
    let ca = format!("--httpsreq-ca-file={}", cert_path("ca.pem").display());
    let out = wedge_run(&plugins, &[&ca], &["get", "localhost", &port]);
    trapped("wedge", &out, "longer than 33554432 bytes");
    server.handle.join().unwrap();
}

#[test]
fn two_threads_send_at_once() {
    let plugins = plugin_dir("httpsreq_threads", &[HTTPSREQ]);
    let server = serve("server.pem", "server.key", 2, 100_000);
    let port = server.port.to_string();
    let out = host_run(
        &plugins,
        Some("ca.pem"),
        &["--threads", "2"],
        &["get", "localhost", &port],
    );
    assert_exit("C host --threads 2", &out, 0);
    assert_eq!(
        stdout(&out).matches("HTTP/1.1 200 OK").count(),
        2,
        "{}",
        stdout(&out)
    );
    assert_eq!(server.handle.join().unwrap(), 2);
}

/// The cost figure: requests over loopback through the guest in `wedge` against the plug-in's
/// exchange called natively. Run with `--ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a check"]
fn cost_of_a_request_through_the_guest() {
    use wedge_plugin_httpsreq::{exchange::exchange, tls};
    let n = 50;
    let server = serve("server.pem", "server.key", 2 * n + 1, 0);
    let port = server.port;
    let config = tls::build(&tls::Trust {
        insecure: false,
        ca_file: cert_path("ca.pem").to_string_lossy().into_owned(),
    })
    .unwrap();
    let request = b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    let t = Instant::now();
    for _ in 0..n {
        exchange(config.clone(), "localhost", port, request).unwrap();
    }
    let native_ms = t.elapsed().as_secs_f64() * 1000.0 / n as f64;
    let plugins = plugin_dir("httpsreq_cost", &[HTTPSREQ]);
    let ca = format!("--httpsreq-ca-file={}", cert_path("ca.pem").display());
    let p = port.to_string();
    let run = |count: usize| {
        let t = Instant::now();
        let out = wedge_run(
            &plugins,
            &[&ca],
            &["repeat", "localhost", &p, &count.to_string()],
        );
        assert_exit("wedge", &out, 0);
        t.elapsed().as_secs_f64() * 1000.0
    };
    let guest_ms = (run(n) - run(1)) / (n - 1) as f64;
    eprintln!(
        "one HTTPS request over loopback: native {native_ms:.2} ms, through the guest {guest_ms:.2} ms"
    );
    drop(server);
}
