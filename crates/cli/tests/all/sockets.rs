//! TCP between two guests over 127.0.0.1, on WasmEdge's socket extension: `tcp_server.c`
//! (V1 names, `sock_accept` through the V2 fallback) runs in the background, `tcp_client.c`
//! (the `_v2` functions) connects to it, and both outputs are checked.

use super::tiers::on_every_tier;
use super::wasi::{command, program, run};
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A port that was free a moment ago.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// The server process, killed if the test ends before it does.
struct Server {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Server {
    fn start(port: u16, connections: u32) -> Server {
        let mut child = command(&[
            program("tcp_server"),
            port.to_string(),
            connections.to_string(),
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the wedge binary runs");
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Server { child, lines }
    }

    /// The next line the server prints, waiting at most 30 s.
    fn line(&mut self) -> String {
        match self.lines.recv_timeout(Duration::from_secs(30)) {
            Ok(line) => line,
            Err(e) => {
                let mut stderr = String::new();
                if let Some(mut s) = self.child.stderr.take() {
                    let _ = self.child.kill();
                    let _ = s.read_to_string(&mut stderr);
                }
                panic!("no line from the server ({e}); its stderr: {stderr}")
            }
        }
    }

    /// Waits (at most 30 s) for the server to exit; returns its status.
    fn wait(&mut self) -> i32 {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn tcp_echo_between_two_guests() {
    on_every_tier(|| {
        let port = free_port();
        let mut server = Server::start(port, 2);
        assert_eq!(
            server.line(),
            format!("listening on 127.0.0.1:{port} (family 4)")
        );

        let texts = [
            "hello over TCP from one guest to another",
            "a second client, after the first",
        ];
        for (i, text) in texts.iter().enumerate() {
            run(&[program("tcp_client").as_str(), &port.to_string(), text])
                .assert_code(0)
                .assert_stdout(&format!(
                    "connected to 127.0.0.1, family 1, port matches: yes\nechoed: {text}\n"
                ));
            assert_eq!(server.line(), format!("served {}: {text}", i + 1));
        }
        assert_eq!(server.wait(), 0);
    });
}

#[test]
fn af_unix_sockets_need_the_flag() {
    on_every_tier(|| {
        run(&[program("tcp_client").as_str(), "unix-open"])
            .assert_code(0)
            .assert_stdout("unix socket: refused\n");
        run(&["--allow-af-unix", &program("tcp_client"), "unix-open"])
            .assert_code(0)
            .assert_stdout("unix socket: opened\n");
    });
}
