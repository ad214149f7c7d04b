//! The 12 host functions of `wasi_ephemeral_nn`, with WasmEdge 0.17.1's signatures (all `i32`
//! parameters, an `i32` errno result) and its checks, in its order:
//!
//! - the caller has no memory: a `HostFuncError` trap (as WasmEdge);
//! - a pointer or length outside memory: `InvalidArgument` (1), never a trap;
//! - `load` with target AUTO or an unknown target: `InvalidArgument`; an encoding WasmEdge does
//!   not know (8, > 14): `InvalidEncoding` (2); so is Autodetect (5) on bytes it cannot tell
//!   (WasmEdge 0.17.1 refuses 5 always; see [`crate::backend::autodetect`]);
//! - an unknown or finalized context id, an unknown or unloaded graph id: `InvalidArgument`;
//! - `load_by_name` of a name not preloaded: `NotFound` (8).
//!
//! Every length is checked against memory before the host allocates for it.

use wedge_plugin_sdk::{Caller, Error, GuestMemory};

use crate::backend::Tensor;
use crate::env::NnState;
use crate::types::{Encoding, ErrNo, NnResult, Target, TensorType};

/// `InvalidArgument` with WasmEdge's "Failed when accessing the X memory." line.
fn bad_memory(what: &str) -> ErrNo {
    crate::log(&format!("Failed when accessing the {what} memory."));
    ErrNo::InvalidArgument
}

/// Checks that `len` bytes at `ptr` are in memory (a zero-length range always is).
fn check(mem: &dyn GuestMemory, ptr: u32, len: u64, what: &str) -> NnResult<()> {
    if len == 0 || mem.in_bounds(ptr.into(), len) {
        Ok(())
    } else {
        Err(bad_memory(what))
    }
}

/// The `len` bytes at `ptr`, copied after a bounds check.
fn read_bytes(mem: &dyn GuestMemory, ptr: u32, len: u32, what: &str) -> NnResult<Vec<u8>> {
    check(mem, ptr, len.into(), what)?;
    let mut buf = vec![0; len as usize];
    if len > 0 && !mem.read_into(ptr.into(), &mut buf) {
        return Err(bad_memory(what));
    }
    Ok(buf)
}

/// The `n` little-endian u32s at `ptr`.
fn read_u32s(mem: &dyn GuestMemory, ptr: u32, n: u32, what: &str) -> NnResult<Vec<u32>> {
    check(mem, ptr, u64::from(n) * 4, what)?;
    let bytes = read_bytes(mem, ptr, n.saturating_mul(4), what)?;
    Ok(bytes
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect())
}

fn write_u32(mem: &dyn GuestMemory, ptr: u32, value: u32, what: &str) -> NnResult<()> {
    if mem.write_from(ptr.into(), &value.to_le_bytes()) {
        Ok(())
    } else {
        Err(bad_memory(what))
    }
}

/// The errno of a step.
fn errno(r: NnResult<()>) -> u32 {
    match r {
        Ok(()) => ErrNo::Success.code(),
        Err(e) => e.code(),
    }
}

/// Runs `f` with the caller's memory 0; a caller without memory traps (`HostFuncError`), as in
/// WasmEdge.
fn with_memory(
    c: &Caller<'_, NnState>,
    f: impl FnOnce(&NnState, &dyn GuestMemory) -> NnResult<()>,
) -> Result<u32, Error> {
    let memory = c.memory(0).map_err(|_| Error::host_func_error())?;
    Ok(errno(f(c.state(), &memory)))
}

// ---- the steps, on any guest memory ----

/// `load`.
pub fn do_load(
    s: &NnState,
    mem: &dyn GuestMemory,
    builders_ptr: u32,
    builders_len: u32,
    encoding: u32,
    target: u32,
    graph_ptr: u32,
) -> NnResult<()> {
    check(mem, graph_ptr, 4, "return GraphID")?;
    let Some(target) = Target::from_load(target) else {
        crate::log(&format!("Unknown device {target}."));
        return Err(ErrNo::InvalidArgument);
    };
    let pairs = read_u32s(
        mem,
        builders_ptr,
        builders_len.saturating_mul(2),
        "GraphBuilder",
    )?;
    // Builders may overlap; together they may not exceed the memory's size.
    let total: u64 = pairs.chunks_exact(2).map(|p| u64::from(p[1])).sum();
    if total > mem.size() {
        crate::log("load: the builders together are larger than the guest's memory.");
        return Err(ErrNo::TooLarge);
    }
    let mut builders = Vec::with_capacity(pairs.len() / 2);
    for (i, p) in pairs.chunks_exact(2).enumerate() {
        builders.push(read_bytes(mem, p[0], p[1], &format!("Builder[{i}]"))?);
    }
    let Some(encoding) = Encoding::from_u32(encoding) else {
        crate::log(&format!("Unknown backend {encoding}."));
        return Err(ErrNo::InvalidEncoding);
    };
    let id = s.load(&builders, encoding, target)?;
    write_u32(mem, graph_ptr, id, "return GraphID")
}

/// `load_by_name` (with an empty config) and `load_by_name_with_config`.
pub fn do_load_by_name(
    s: &NnState,
    mem: &dyn GuestMemory,
    name: (u32, u32),
    config: (u32, u32),
    graph_ptr: u32,
) -> NnResult<()> {
    check(mem, graph_ptr, 4, "return GraphID")?;
    let name = read_bytes(mem, name.0, name.1, "return Name")?;
    let config = read_bytes(mem, config.0, config.1, "return Config")?;
    let name = String::from_utf8_lossy(&name);
    let id = s.load_by_name(&name, &config)?;
    write_u32(mem, graph_ptr, id, "return GraphID")
}

/// `init_execution_context`.
pub fn do_init_execution_context(
    s: &NnState,
    mem: &dyn GuestMemory,
    graph: u32,
    context_ptr: u32,
) -> NnResult<()> {
    check(mem, context_ptr, 4, "Context")?;
    let id = s.init_execution_context(graph)?;
    write_u32(mem, context_ptr, id, "Context")
}

/// Reads the 5-u32 tensor at `ptr`: dims pointer, dims count, type, data pointer, data length.
pub fn read_tensor(mem: &dyn GuestMemory, ptr: u32) -> NnResult<Tensor> {
    let t = read_u32s(mem, ptr, 5, "Tensor")?;
    let dims = read_u32s(mem, t[0], t[1], "Dimension")?;
    let data = read_bytes(mem, t[3], t[4], "TensorData")?;
    let ty = TensorType::for_input(t[2])?;
    Ok(Tensor { dims, ty, data })
}

/// `set_input`.
pub fn do_set_input(
    s: &NnState,
    mem: &dyn GuestMemory,
    context: u32,
    index: u32,
    tensor_ptr: u32,
) -> NnResult<()> {
    let tensor = read_tensor(mem, tensor_ptr)?;
    s.with_context(context, "set_input", |c| c.set_input(index, tensor))
}

/// `get_output` (or `get_output_single` with `single`).
#[allow(
    clippy::too_many_arguments,
    reason = "the wasm signature plus the memory and mode"
)]
pub fn do_get_output(
    s: &NnState,
    mem: &dyn GuestMemory,
    context: u32,
    index: u32,
    out_ptr: u32,
    out_max: u32,
    written_ptr: u32,
    single: bool,
) -> NnResult<()> {
    check(mem, out_ptr, out_max.into(), "Output Buffer")?;
    check(mem, written_ptr, 4, "BytesWritten")?;
    let call = if single {
        "get_output_single"
    } else {
        "get_output"
    };
    // The output is written to the guest while the context is held, so a backend can lend it.
    let len = s.with_context(context, call, |c| {
        let bytes = if single {
            c.get_output_single(index)
        } else {
            c.get_output(index)
        }?;
        if bytes.len() > out_max as usize {
            crate::log(&format!(
                "{call}: output {index} has {} bytes, more than the buffer's {out_max}.",
                bytes.len()
            ));
            return Err(ErrNo::TooLarge);
        }
        if !bytes.is_empty() && !mem.write_from(out_ptr.into(), &bytes) {
            return Err(bad_memory("Output Buffer"));
        }
        Ok(bytes.len())
    })?;
    // `len <= out_max`, a u32.
    write_u32(mem, written_ptr, len as u32, "BytesWritten")
}

// ---- the host functions ----

/// `load(builders, builders_len, encoding, target, *graph) -> errno`.
pub fn load(
    c: Caller<'_, NnState>,
    builders_ptr: u32,
    builders_len: u32,
    encoding: u32,
    target: u32,
    graph_ptr: u32,
) -> Result<u32, Error> {
    with_memory(&c, |s, m| {
        do_load(
            s,
            m,
            builders_ptr,
            builders_len,
            encoding,
            target,
            graph_ptr,
        )
    })
}

/// `load_by_name(name, name_len, *graph) -> errno`.
pub fn load_by_name(
    c: Caller<'_, NnState>,
    name_ptr: u32,
    name_len: u32,
    graph_ptr: u32,
) -> Result<u32, Error> {
    with_memory(&c, |s, m| {
        do_load_by_name(s, m, (name_ptr, name_len), (0, 0), graph_ptr)
    })
}

/// `load_by_name_with_config(name, name_len, config, config_len, *graph) -> errno`.
pub fn load_by_name_with_config(
    c: Caller<'_, NnState>,
    name_ptr: u32,
    name_len: u32,
    config_ptr: u32,
    config_len: u32,
    graph_ptr: u32,
) -> Result<u32, Error> {
    with_memory(&c, |s, m| {
        do_load_by_name(
            s,
            m,
            (name_ptr, name_len),
            (config_ptr, config_len),
            graph_ptr,
        )
    })
}

/// `init_execution_context(graph, *context) -> errno`.
pub fn init_execution_context(
    c: Caller<'_, NnState>,
    graph: u32,
    context_ptr: u32,
) -> Result<u32, Error> {
    with_memory(&c, |s, m| {
        do_init_execution_context(s, m, graph, context_ptr)
    })
}

/// `set_input(context, index, *tensor) -> errno`.
pub fn set_input(
    c: Caller<'_, NnState>,
    context: u32,
    index: u32,
    tensor_ptr: u32,
) -> Result<u32, Error> {
    with_memory(&c, |s, m| do_set_input(s, m, context, index, tensor_ptr))
}

/// `get_output(context, index, out, out_max, *written) -> errno`.
pub fn get_output(
    c: Caller<'_, NnState>,
    context: u32,
    index: u32,
    out_ptr: u32,
    out_max: u32,
    written_ptr: u32,
) -> Result<u32, Error> {
    with_memory(&c, |s, m| {
        do_get_output(s, m, context, index, out_ptr, out_max, written_ptr, false)
    })
}

/// `get_output_single(context, index, out, out_max, *written) -> errno`.
pub fn get_output_single(
    c: Caller<'_, NnState>,
    context: u32,
    index: u32,
    out_ptr: u32,
    out_max: u32,
    written_ptr: u32,
) -> Result<u32, Error> {
    with_memory(&c, |s, m| {
        do_get_output(s, m, context, index, out_ptr, out_max, written_ptr, true)
    })
}

/// `compute(context) -> errno`.
pub fn compute(c: Caller<'_, NnState>, context: u32) -> Result<u32, Error> {
    with_memory(&c, |s, _| s.compute(context, false))
}

/// `compute_single(context) -> errno`.
pub fn compute_single(c: Caller<'_, NnState>, context: u32) -> Result<u32, Error> {
    with_memory(&c, |s, _| s.compute(context, true))
}

/// `fini_single(context) -> errno`.
pub fn fini_single(c: Caller<'_, NnState>, context: u32) -> Result<u32, Error> {
    with_memory(&c, |s, _| {
        s.with_context(context, "fini_single", |c| c.fini_single())
    })
}

/// `unload(graph) -> errno`.
pub fn unload(c: Caller<'_, NnState>, graph: u32) -> Result<u32, Error> {
    with_memory(&c, |s, _| s.unload(graph))
}

/// `finalize_execution_context(context) -> errno`.
pub fn finalize_execution_context(c: Caller<'_, NnState>, context: u32) -> Result<u32, Error> {
    with_memory(&c, |s, _| s.finalize_execution_context(context))
}
