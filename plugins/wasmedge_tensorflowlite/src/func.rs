//! The 7 host functions, with WasmEdge 0.17.1's signatures (all `i32` parameters, an `i32`
//! errno result) and its checks, in its order: the caller's memory (`MissingMemory` when it has
//! none), the session id (`InvalidArgument`), then each guest buffer and result pointer
//! (`MissingMemory` when out of bounds), then the call itself.
//!
//! Each function is a `do_*` step on any [`GuestMemory`], so that the unit tests can drive them
//! with a buffer, and a thin wrapper that takes the caller's memory 0.

use wedge_plugin_sdk::{Caller, GuestMemory};

use crate::session::{Interpreter, Sessions};
use crate::{ErrNo, log};

type Result<T> = std::result::Result<T, ErrNo>;

/// `MissingMemory` with WasmEdge's "Failed when accessing the X memory." line.
fn bad(what: &str) -> ErrNo {
    log(&format!("Failed when accessing the {what} memory."));
    ErrNo::MissingMemory
}

/// The `len` bytes at `ptr`, or `MissingMemory` naming `what`.
fn read(mem: &dyn GuestMemory, ptr: u32, len: u32, what: &str) -> Result<Vec<u8>> {
    mem.read_vec(ptr.into(), len.into())
        .ok_or_else(|| bad(what))
}

/// Checks that a `u32` result can be written at `ptr`.
fn check_u32(mem: &dyn GuestMemory, ptr: u32, what: &str) -> Result<()> {
    if mem.in_bounds(ptr.into(), 4) {
        Ok(())
    } else {
        Err(bad(what))
    }
}

fn write_u32(mem: &dyn GuestMemory, ptr: u32, value: u32, what: &str) -> Result<()> {
    if mem.write_u32(ptr.into(), value) {
        Ok(())
    } else {
        Err(bad(what))
    }
}

fn errno(r: Result<()>) -> u32 {
    r.err().unwrap_or(ErrNo::Success) as u32
}

/// Runs a step on the caller's memory 0; a caller without memory gets `MissingMemory`, as in
/// WasmEdge.
fn with_memory(
    c: &Caller<'_, Sessions>,
    f: impl FnOnce(&Sessions, &dyn GuestMemory) -> Result<()>,
) -> u32 {
    match c.memory(0) {
        Ok(memory) => errno(f(c.state(), &memory)),
        Err(_) => {
            log("Memory instance not found.");
            ErrNo::MissingMemory as u32
        }
    }
}

/// A tensor name as the guest gave it (bytes that are not UTF-8 match no tensor).
fn name(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

// ---- the steps ----

/// `create_session`.
pub fn do_create_session(
    s: &Sessions,
    m: &dyn GuestMemory,
    model: (u32, u32),
    sid: u32,
) -> Result<()> {
    let bytes = read(m, model.0, model.1, "input model buffer")?;
    check_u32(m, sid, "return SessionID")?;
    let id = s.create(&bytes)?;
    write_u32(m, sid, id, "return SessionID")
}

/// `get_output_tensor`.
pub fn do_get_output_tensor(
    s: &Sessions,
    m: &dyn GuestMemory,
    session: u32,
    name_buf: (u32, u32),
    tid: u32,
) -> Result<()> {
    s.with(session, |interp| {
        let wanted = read(m, name_buf.0, name_buf.1, "output name buffer")?;
        check_u32(m, tid, "return TensorID")?;
        let wanted = name(&wanted);
        let index = (0..interp.output_count())
            .find(|&i| interp.output_name(i) == wanted)
            .ok_or_else(|| {
                log(&format!("Output tensor {wanted} not found."));
                ErrNo::InvalidArgument
            })?;
        write_u32(m, tid, index as u32, "return TensorID")
    })
}

/// Checks an output index.
fn output(interp: &dyn Interpreter, tensor: u32) -> Result<usize> {
    let index = tensor as usize;
    if index < interp.output_count() {
        Ok(index)
    } else {
        log("Invalid tensor ID.");
        Err(ErrNo::InvalidArgument)
    }
}

/// `get_tensor_len`.
pub fn do_get_tensor_len(
    s: &Sessions,
    m: &dyn GuestMemory,
    session: u32,
    tensor: u32,
    len: u32,
) -> Result<()> {
    s.with(session, |interp| {
        check_u32(m, len, "return Length")?;
        let index = output(interp, tensor)?;
        let size = u32::try_from(interp.output_byte_size(index)).map_err(|_| {
            log("The output tensor is larger than 4 GiB.");
            ErrNo::InvalidArgument
        })?;
        write_u32(m, len, size, "return Length")
    })
}

/// `get_tensor_data`.
pub fn do_get_tensor_data(
    s: &Sessions,
    m: &dyn GuestMemory,
    session: u32,
    tensor: u32,
    buf: (u32, u32),
    written: u32,
) -> Result<()> {
    s.with(session, |interp| {
        if !m.in_bounds(buf.0.into(), buf.1.into()) {
            return Err(bad("output tensor write buffer"));
        }
        check_u32(m, written, "return WrittenBytes")?;
        let index = output(interp, tensor)?;
        write_u32(m, written, 0, "return WrittenBytes")?;
        let size = interp.output_byte_size(index);
        if size != buf.1 as usize {
            log(&format!(
                "Unexpected buffer length: {}, output tensor size: {size}.",
                buf.1
            ));
            return Err(ErrNo::InvalidArgument);
        }
        let data = interp.output_data(index).map_err(|e| {
            log(&format!("Reading output tensor {index} failed: {e}"));
            ErrNo::Busy
        })?;
        if !m.write_from(buf.0.into(), &data) {
            return Err(bad("output tensor write buffer"));
        }
        write_u32(m, written, buf.1, "return WrittenBytes")
    })
}

/// `append_input`.
pub fn do_append_input(
    s: &Sessions,
    m: &dyn GuestMemory,
    session: u32,
    name_buf: (u32, u32),
    data: (u32, u32),
) -> Result<()> {
    s.with(session, |interp| {
        if !m.in_bounds(data.0.into(), data.1.into()) {
            return Err(bad("input tensor buffer"));
        }
        let wanted = read(m, name_buf.0, name_buf.1, "input name buffer")?;
        let wanted = name(&wanted);
        let index = (0..interp.input_count())
            .find(|&i| interp.input_name(i) == wanted)
            .ok_or_else(|| {
                log(&format!("Input tensor {wanted} not found."));
                ErrNo::InvalidArgument
            })?;
        let size = interp.input_byte_size(index);
        if size != data.1 as usize {
            log(&format!(
                "Unexpected buffer length: {}, input tensor size: {size}.",
                data.1
            ));
            return Err(ErrNo::InvalidArgument);
        }
        let bytes = read(m, data.0, data.1, "input tensor buffer")?;
        interp.set_input(index, &bytes).map_err(|e| {
            log(&format!("Copy data from tensor {wanted} failed: {e}"));
            ErrNo::Busy
        })
    })
}

/// `run_session`.
pub fn do_run_session(s: &Sessions, session: u32) -> Result<()> {
    s.with(session, |interp| {
        interp.invoke().map_err(|e| {
            log(&format!("Invocation failed: {e}"));
            ErrNo::Busy
        })
    })
}

// ---- the host functions ----

/// `create_session(model, model_len, *session) -> errno`.
pub fn create_session(c: Caller<'_, Sessions>, model: u32, model_len: u32, sid: u32) -> u32 {
    with_memory(&c, |s, m| do_create_session(s, m, (model, model_len), sid))
}

/// `delete_session(session) -> errno`: always 0, as in WasmEdge.
pub fn delete_session(c: Caller<'_, Sessions>, session: u32) -> u32 {
    c.state().delete(session);
    ErrNo::Success as u32
}

/// `run_session(session) -> errno`.
pub fn run_session(c: Caller<'_, Sessions>, session: u32) -> u32 {
    errno(do_run_session(c.state(), session))
}

/// `get_output_tensor(session, name, name_len, *tensor) -> errno`.
pub fn get_output_tensor(
    c: Caller<'_, Sessions>,
    session: u32,
    name: u32,
    name_len: u32,
    tid: u32,
) -> u32 {
    with_memory(&c, |s, m| {
        do_get_output_tensor(s, m, session, (name, name_len), tid)
    })
}

/// `get_tensor_len(session, tensor, *len) -> errno`.
pub fn get_tensor_len(c: Caller<'_, Sessions>, session: u32, tensor: u32, len: u32) -> u32 {
    with_memory(&c, |s, m| do_get_tensor_len(s, m, session, tensor, len))
}

/// `get_tensor_data(session, tensor, buf, buf_len, *written) -> errno`.
pub fn get_tensor_data(
    c: Caller<'_, Sessions>,
    session: u32,
    tensor: u32,
    buf: u32,
    buf_len: u32,
    written: u32,
) -> u32 {
    with_memory(&c, |s, m| {
        do_get_tensor_data(s, m, session, tensor, (buf, buf_len), written)
    })
}

/// `append_input(session, name, name_len, data, data_len) -> errno`.
pub fn append_input(
    c: Caller<'_, Sessions>,
    session: u32,
    name: u32,
    name_len: u32,
    data: u32,
    data_len: u32,
) -> u32 {
    with_memory(&c, |s, m| {
        do_append_input(s, m, session, (name, name_len), (data, data_len))
    })
}
