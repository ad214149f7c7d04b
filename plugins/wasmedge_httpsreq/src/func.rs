//! `wasmedge_httpsreq_send_data`, `wasmedge_httpsreq_get_rcv_len`, `wasmedge_httpsreq_get_rcv`.
//!
//! Every failure is a trap (`HostFuncError`), as in WasmEdge, with a line on stderr.

use wedge_plugin_sdk::{Caller, Error};

use crate::exchange::{self, ExchangeError, log};
use crate::state::Received;
use crate::tls;

/// `send_data(host_ptr, host_len, port, body_ptr, body_len)`: connects to the host named by the
/// `host_len` bytes at `host_ptr` (up to a NUL, if any) on `port`, sends the `body_len` bytes at
/// `body_ptr` over TLS as they are, and keeps what the server sends back until it closes,
/// replacing the last reply once the handshake has succeeded.
pub fn send_data(
    caller: Caller<'_, Received>,
    host_ptr: u32,
    host_len: u32,
    port: u32,
    body_ptr: u32,
    body_len: u32,
) -> Result<(), Error> {
    let memory = caller
        .memory(0)
        .map_err(|_| fail("the calling module has no memory"))?;
    let host = memory
        .read_vec(host_ptr.into(), host_len.into())
        .map_err(|_| fail("the host name is out of bounds"))?;
    let body = memory
        .read_vec(body_ptr.into(), body_len.into())
        .map_err(|_| fail("the body is out of bounds"))?;
    let host = host.split(|&b| b == 0).next().unwrap_or_default();
    let host = core::str::from_utf8(host).map_err(|_| fail("the host name is not UTF-8"))?;
    let port = u16::try_from(port).map_err(|_| fail(&format!("port {port} is out of range")))?;
    let config = tls::config(&crate::trust()).map_err(|e| fail(&e))?;
    // The lock is not held while talking to the server.
    match exchange::exchange(config, host, port, &body) {
        Ok(reply) => {
            *caller.state().lock() = reply;
            Ok(())
        }
        Err(e) => {
            if e == ExchangeError::TooLong {
                // The handshake succeeded, which in WasmEdge empties the last reply.
                caller.state().lock().clear();
            }
            Err(fail(&e.to_string()))
        }
    }
}

/// `get_rcv_len() -> len`: the length of the last reply (0 before any).
pub fn get_rcv_len(caller: Caller<'_, Received>) -> u32 {
    // A reply is at most MAX_REPLY bytes, far below 4 GiB.
    u32::try_from(caller.state().lock().len()).unwrap_or(u32::MAX)
}

/// `get_rcv(buf)`: copies the last reply to `buf`, which must hold `get_rcv_len()` bytes.
pub fn get_rcv(caller: Caller<'_, Received>, buf: u32) -> Result<(), Error> {
    let memory = caller
        .memory(0)
        .map_err(|_| fail("the calling module has no memory"))?;
    let reply = caller.state().lock();
    if reply.is_empty() {
        return Ok(()); // WasmEdge copies nothing, wherever `buf` points
    }
    memory
        .write(buf.into(), &reply)
        .map_err(|_| fail("the receive buffer is out of bounds"))
}

/// Logs `message` and returns WasmEdge's trap.
fn fail(message: &str) -> Error {
    log(message);
    Error::host_func_error()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_memory_the_calls_trap_and_the_length_is_zero() {
        let state = Received::default();
        assert_eq!(
            send_data(Caller::detached(&state), 0, 9, 443, 0, 0),
            Err(Error::host_func_error())
        );
        assert_eq!(get_rcv_len(Caller::detached(&state)), 0);
        assert_eq!(
            get_rcv(Caller::detached(&state), 0),
            Err(Error::host_func_error())
        );
        state.lock().extend_from_slice(b"HTTP/1.1 200 OK\r\n\r\n");
        assert_eq!(get_rcv_len(Caller::detached(&state)), 19);
    }
}
