//! The eleven host functions of `wasmedge_tensorflow`, in WasmEdge 0.17.1's order of checks:
//! the guest's memory, the session, then each buffer in turn. A failure logs one line on stderr
//! (`[WasmEdge-Tensorflow] …`, WasmEdge's words where it has some) and returns its errno.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use wedge_plugin_sdk::{Caller, GuestOpenOptions, Memory};

use crate::errno::{ErrNo, TfResult, code};
use crate::ffi::{self, Session, Tensor};
use crate::state::{self, Context, Endpoint, Shared, Tensorflow};

/// A host function's caller.
type C<'a> = Caller<'a, Tensorflow>;

/// Logs a failure.
pub fn log(message: &str) {
    eprintln!("[WasmEdge-Tensorflow] {message}");
}

/// Logs `message` and fails with `e`.
fn fail<T>(e: ErrNo, message: &str) -> TfResult<T> {
    log(message);
    Err(e)
}

/// The guest's first memory (WasmEdge's `MissingMemory` when it has none).
fn memory<'a>(c: &C<'a>) -> TfResult<Memory<'a>> {
    c.memory(0)
        .or_else(|_| fail(ErrNo::MissingMemory, "Memory instance not found."))
}

/// The `len` bytes at `ptr`, or `MissingMemory` with "Failed when accessing the `what` memory.".
fn read(m: &Memory<'_>, ptr: u32, len: u64, what: &str) -> TfResult<Vec<u8>> {
    m.read_vec(ptr.into(), len).or_else(|_| {
        fail(
            ErrNo::MissingMemory,
            &format!("Failed when accessing the {what} memory."),
        )
    })
}

/// The string of `len` bytes at `ptr` (invalid UTF-8 names nothing, so it is `InvalidArgument`).
fn read_str(m: &Memory<'_>, ptr: u32, len: u32, what: &str) -> TfResult<String> {
    String::from_utf8(read(m, ptr, len.into(), what)?)
        .or_else(|_| fail(ErrNo::InvalidArgument, &format!("The {what} is not UTF-8.")))
}

/// Checks that a `u32` result can be written at `ptr`.
fn check_u32(m: &Memory<'_>, ptr: u32, what: &str) -> TfResult {
    if m.in_bounds(ptr.into(), 4) {
        Ok(())
    } else {
        fail(
            ErrNo::MissingMemory,
            &format!("Failed when accessing the return {what} memory."),
        )
    }
}

/// Writes a `u32` result at `ptr` (checked before with [`check_u32`]).
fn write_u32(m: &Memory<'_>, ptr: u32, v: u32, what: &str) -> TfResult {
    m.write(ptr.into(), &v.to_le_bytes()).or_else(|_| {
        fail(
            ErrNo::MissingMemory,
            &format!("Failed when accessing the return {what} memory."),
        )
    })
}

/// The session `id`, or `InvalidArgument`.
fn session(c: &C<'_>, id: u32) -> TfResult<Shared> {
    c.state()
        .get(id)
        .map_or_else(|| fail(ErrNo::InvalidArgument, "Invalid session ID."), Ok)
}

/// Opens TensorFlow, or logs what to install and fails with `RuntimeError`.
fn runtime() -> TfResult {
    ffi::open().map(drop).or_else(|e| {
        fail(
            ErrNo::RuntimeError,
            &format!(
                "TensorFlow is not installed ({e}): run scripts/nn-runtimes.sh tensorflow, or set \
                 WEDGE_TENSORFLOW_LIB to libtensorflow_cc.so.2 of the tensorflow-cpu 2.21 wheel"
            ),
        )
    })
}

/// Registers a new session and writes its id.
fn add_session(c: &C<'_>, m: &Memory<'_>, session: Session, id_ptr: u32) -> TfResult {
    let Some(id) = c.state().add(Context::new(session)) else {
        return fail(ErrNo::MissingMemory, "Failed when allocating resources.");
    };
    write_u32(m, id_ptr, id, "SessionID")
}

/// `create_session(model_ptr, model_len, session_id_ptr) -> errno`: imports the frozen
/// `GraphDef` at `model_ptr` and opens a session on it.
pub fn create_session(c: C<'_>, model_ptr: u32, model_len: u32, id_ptr: u32) -> u32 {
    code((|| {
        let m = memory(&c)?;
        let model = read(&m, model_ptr, model_len.into(), "input model buffer")?;
        check_u32(&m, id_ptr, "SessionID")?;
        runtime()?;
        let session = Session::from_graph_def(&model).or_else(|e| {
            fail(
                ErrNo::InvalidArgument,
                &format!("Cannot import graph from buffer: {e}"),
            )
        })?;
        add_session(&c, &m, session, id_ptr)
    })())
}

/// `create_session_saved_model(path_ptr, path_len, tags_ptr, tags_len, session_id_ptr) ->
/// errno`: loads the SavedModel in the directory `path`, a path as the guest names it, with the
/// meta graph tagged by the `tags_len` strings at `tags_ptr` (each a `(ptr, len)` pair of
/// `u32`s).
///
/// The directory is read only through the guest's WASI preopened directories, with WASI's
/// sandbox ([`Caller::open_guest_file`]): `saved_model.pb` (or `.pbtxt`), `fingerprint.pb`,
/// `variables/variables.index` and its data shards are copied into a private temporary
/// directory, which TensorFlow loads. (WasmEdge hands the guest's string to TensorFlow as a host
/// path, outside any sandbox.) A SavedModel's `assets/` are not copied.
pub fn create_session_saved_model(
    c: C<'_>,
    path_ptr: u32,
    path_len: u32,
    tags_ptr: u32,
    tags_len: u32,
    id_ptr: u32,
) -> u32 {
    code((|| {
        let m = memory(&c)?;
        let path = read_str(&m, path_ptr, path_len, "model path buffer")?;
        let pairs = read(&m, tags_ptr, u64::from(tags_len) * 8, "tags")?;
        let mut tags = Vec::with_capacity(pairs.len() / 8);
        for pair in pairs.chunks_exact(8) {
            let p = u32::from_le_bytes([pair[0], pair[1], pair[2], pair[3]]);
            let l = u32::from_le_bytes([pair[4], pair[5], pair[6], pair[7]]);
            tags.push(read_str(&m, p, l, "tag name")?);
        }
        check_u32(&m, id_ptr, "SessionID")?;
        // The path is checked (and the model copied) first, so that a path outside the
        // preopens is refused whether or not TensorFlow is installed.
        let copy = SavedModelCopy::new(&c, &path)?;
        runtime()?;
        let session = Session::from_saved_model(copy.dir(), &tags).or_else(|e| {
            fail(
                ErrNo::InvalidArgument,
                &format!("Unable to create session: {e}"),
            )
        })?;
        drop(copy);
        add_session(&c, &m, session, id_ptr)
    })())
}

/// A SavedModel copied from the guest's files into a temporary directory, removed on drop.
struct SavedModelCopy(PathBuf);

impl SavedModelCopy {
    /// The most variable shards looked for.
    const MAX_SHARDS: u32 = 1024;

    fn new(c: &C<'_>, guest_dir: &str) -> TfResult<Self> {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let dir = loop {
            let d = std::env::temp_dir().join(format!(
                "wedge-tf-{}-{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            ));
            match std::fs::create_dir(&d) {
                Ok(()) => break d,
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
                Err(e) => {
                    return fail(
                        ErrNo::RuntimeError,
                        &format!("Cannot create a temporary directory: {e}"),
                    );
                }
            }
        };
        let copy = Self(dir);
        let base = guest_dir.trim_end_matches('/');
        let base = if base.is_empty() { "/" } else { base };
        let guest = |rel: &str| format!("{}/{rel}", base.trim_end_matches('/'));
        // The graph: saved_model.pb, else saved_model.pbtxt.
        if !copy.file(c, &guest("saved_model.pb"), "saved_model.pb", true)? {
            copy.file(c, &guest("saved_model.pbtxt"), "saved_model.pbtxt", false)?;
        }
        copy.file(c, &guest("fingerprint.pb"), "fingerprint.pb", true)?;
        // The variables, when there are any: the index, and the shards, whose count is in
        // their names (`variables.data-00000-of-0000N`).
        if copy.file(
            c,
            &guest("variables/variables.index"),
            "variables/variables.index",
            true,
        )? {
            let shard = |i: u32, n: u32| format!("variables/variables.data-{i:05}-of-{n:05}");
            let n = (1..=Self::MAX_SHARDS)
                .find(|&n| {
                    c.open_guest_file(&guest(&shard(0, n)), &GuestOpenOptions::new().read(true))
                        .is_ok()
                })
                .map_or_else(
                    || fail(ErrNo::InvalidArgument, "Unable to create session: the SavedModel has variables.index but no variables.data shard."),
                    Ok,
                )?;
            for i in 0..n {
                copy.file(c, &guest(&shard(i, n)), &shard(i, n), false)?;
            }
        }
        Ok(copy)
    }

    fn dir(&self) -> &Path {
        &self.0
    }

    /// Copies the guest's file `guest` to `rel` under the directory; `Ok(false)` when it is
    /// missing and `optional`.
    fn file(&self, c: &C<'_>, guest: &str, rel: &str, optional: bool) -> TfResult<bool> {
        let mut src = match c.open_guest_file(guest, &GuestOpenOptions::new().read(true)) {
            Ok(f) => f,
            Err(e) if optional && e.kind() == ErrorKind::NotFound => return Ok(false),
            Err(e) => {
                let why = match e.kind() {
                    ErrorKind::PermissionDenied => {
                        "it is outside the guest's preopened directories".to_owned()
                    }
                    ErrorKind::Unsupported => {
                        "this runtime cannot open guest files (Wedge's runtime can)".to_owned()
                    }
                    ErrorKind::NotFound => "no such file".to_owned(),
                    _ => e.to_string(),
                };
                return fail(
                    ErrNo::InvalidArgument,
                    &format!("Unable to create session: cannot open {guest}: {why}"),
                );
            }
        };
        let dst = self.0.join(rel);
        let copied = dst
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::File::create(&dst))
            .and_then(|mut f| std::io::copy(&mut src, &mut f));
        match copied {
            Ok(_) => Ok(true),
            Err(e) => fail(
                ErrNo::RuntimeError,
                &format!("Unable to create session: cannot copy {guest}: {e}"),
            ),
        }
    }
}

impl Drop for SavedModelCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `delete_session(session_id) -> errno`: always 0, as in WasmEdge, for an unknown id too.
pub fn delete_session(c: C<'_>, id: u32) -> u32 {
    c.state().remove(id);
    ErrNo::Success.code()
}

/// `run_session(session_id) -> errno`: runs the session with the appended inputs, fetching the
/// appended outputs; a failed run is `Busy`, as in WasmEdge, and leaves no output tensors.
pub fn run_session(c: C<'_>, id: u32) -> u32 {
    code((|| {
        let s = session(&c, id)?;
        let mut cx = state::lock(&s);
        let cx = &mut *cx;
        for (_, t) in &mut cx.outputs {
            *t = None;
        }
        let inputs: Vec<_> = cx
            .inputs
            .iter()
            .map(|(e, t)| (e.op.as_c_str(), e.index, t))
            .collect();
        let outputs: Vec<_> = cx
            .outputs
            .iter()
            .map(|(e, _)| (e.op.as_c_str(), e.index))
            .collect();
        let results = cx
            .session
            .run(&inputs, &outputs)
            .or_else(|e| fail(ErrNo::Busy, &format!("Run session failed: {e}")))?;
        for ((_, slot), t) in cx.outputs.iter_mut().zip(results) {
            *slot = Some(t);
        }
        Ok(())
    })())
}

/// `get_output_tensor(session_id, name_ptr, name_len, tensor_id_ptr) -> errno`: the id of the
/// appended output `name` (its place among the outputs).
pub fn get_output_tensor(c: C<'_>, id: u32, name_ptr: u32, name_len: u32, tid_ptr: u32) -> u32 {
    code((|| {
        let m = memory(&c)?;
        let s = session(&c, id)?;
        let name = read_str(&m, name_ptr, name_len, "output name buffer")?;
        check_u32(&m, tid_ptr, "TensorID")?;
        let cx = state::lock(&s);
        let Some(tid) = cx.outputs.iter().position(|(e, _)| e.name == name) else {
            return fail(
                ErrNo::InvalidArgument,
                &format!("Output tensor {name} not found."),
            );
        };
        let tid = u32::try_from(tid).unwrap_or(u32::MAX);
        write_u32(&m, tid_ptr, tid, "TensorID")
    })())
}

/// `get_tensor_len(session_id, tensor_id, len_ptr) -> errno`: the byte length of output
/// `tensor_id` of the last run (0 before a run).
pub fn get_tensor_len(c: C<'_>, id: u32, tid: u32, len_ptr: u32) -> u32 {
    code((|| {
        let m = memory(&c)?;
        let s = session(&c, id)?;
        check_u32(&m, len_ptr, "Length")?;
        let cx = state::lock(&s);
        let Some((_, t)) = usize::try_from(tid).ok().and_then(|i| cx.outputs.get(i)) else {
            return fail(ErrNo::InvalidArgument, "Invalid tensor ID.");
        };
        let len = t.as_ref().map_or(0, |t| t.bytes().len());
        write_u32(
            &m,
            len_ptr,
            u32::try_from(len).unwrap_or(u32::MAX),
            "Length",
        )
    })())
}

/// `get_tensor_data(session_id, tensor_id, buf_ptr, buf_len, written_ptr) -> errno`: copies up
/// to `buf_len` bytes of output `tensor_id` of the last run to `buf_ptr` and writes how many.
/// Before a run it writes 0 bytes (WasmEdge reads a NULL tensor there). A string, resource or
/// variant tensor, whose bytes are host pointers, is `InvalidArgument` (WasmEdge copies them).
pub fn get_tensor_data(
    c: C<'_>,
    id: u32,
    tid: u32,
    buf_ptr: u32,
    buf_len: u32,
    written_ptr: u32,
) -> u32 {
    code((|| {
        let m = memory(&c)?;
        let s = session(&c, id)?;
        if !m.in_bounds(buf_ptr.into(), buf_len.into()) {
            return fail(
                ErrNo::MissingMemory,
                "Failed when accessing the output tensor write buffer memory.",
            );
        }
        check_u32(&m, written_ptr, "WrittenBytes")?;
        let cx = state::lock(&s);
        let Some((_, t)) = usize::try_from(tid).ok().and_then(|i| cx.outputs.get(i)) else {
            return fail(ErrNo::InvalidArgument, "Invalid tensor ID.");
        };
        let bytes = match t {
            None => &[][..],
            Some(t) if !ffi::PLAIN_TYPES.contains(&t.dtype()) => {
                return fail(
                    ErrNo::InvalidArgument,
                    &format!(
                        "Output tensor {tid} has data type {}, whose bytes are not data.",
                        t.dtype()
                    ),
                );
            }
            Some(t) => t.bytes(),
        };
        let n = bytes.len().min(buf_len as usize);
        m.write(buf_ptr.into(), &bytes[..n]).or_else(|_| {
            fail(
                ErrNo::MissingMemory,
                "Failed when accessing the output tensor write buffer memory.",
            )
        })?;
        write_u32(
            &m,
            written_ptr,
            u32::try_from(n).unwrap_or(u32::MAX),
            "WrittenBytes",
        )
    })())
}

/// `append_input(session_id, name_ptr, name_len, dims_ptr, dims_len, dtype, data_ptr,
/// data_len) -> errno`: sets the input `name` (`operation:index`) to a tensor of `TF_DataType`
/// `dtype` with the `dims_len` `i64` dimensions at `dims_ptr` and the bytes at `data_ptr`;
/// appending a name again replaces its tensor. Unlike WasmEdge, which hands any numbers to
/// `TF_AllocateTensor`, the type must be one whose elements are plain bytes and the data's
/// length must be the dimensions' product times the element size (`InvalidArgument`), and the
/// index must be below the operation's number of outputs.
#[allow(clippy::too_many_arguments, reason = "WasmEdge's signature")]
pub fn append_input(
    c: C<'_>,
    id: u32,
    name_ptr: u32,
    name_len: u32,
    dims_ptr: u32,
    dims_len: u32,
    dtype: u32,
    data_ptr: u32,
    data_len: u32,
) -> u32 {
    code((|| {
        let m = memory(&c)?;
        let s = session(&c, id)?;
        let data = read(&m, data_ptr, data_len.into(), "input tensor buffer")?;
        let dims: Vec<i64> = read(
            &m,
            dims_ptr,
            u64::from(dims_len) * 8,
            "input dimension buffer",
        )?
        .chunks_exact(8)
        .map(|b| i64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
        .collect();
        let name = read_str(&m, name_ptr, name_len, "input name buffer")?;
        let mut cx = state::lock(&s);
        let endpoint = endpoint(&cx, &name, "Input")?;
        let tensor = Tensor::new(dtype, &dims, &data).or_else(|e| {
            fail(
                ErrNo::InvalidArgument,
                &format!("Input tensor {name} is invalid: {e}"),
            )
        })?;
        match cx.inputs.iter_mut().find(|(e, _)| e.name == name) {
            Some((_, t)) => *t = tensor,
            None => cx.inputs.push((endpoint, tensor)),
        }
        Ok(())
    })())
}

/// The endpoint `name` of the session's graph, or `InvalidArgument` when it has no such
/// operation or output.
fn endpoint(cx: &Context, name: &str, what: &str) -> TfResult<Endpoint> {
    let found = state::parse_name(name).and_then(|(op, index)| {
        let outputs = cx.session.operation_outputs(&op)?;
        (index < outputs).then_some(Endpoint {
            name: name.to_owned(),
            op,
            index,
        })
    });
    found.map_or_else(
        || {
            fail(
                ErrNo::InvalidArgument,
                &format!("{what} operation {name} not found."),
            )
        },
        Ok,
    )
}

/// `append_output(session_id, name_ptr, name_len) -> errno`: fetches `name`
/// (`operation:index`) in the next runs; appending a name again changes nothing.
pub fn append_output(c: C<'_>, id: u32, name_ptr: u32, name_len: u32) -> u32 {
    code((|| {
        let m = memory(&c)?;
        let s = session(&c, id)?;
        let name = read_str(&m, name_ptr, name_len, "output name buffer")?;
        let mut cx = state::lock(&s);
        let endpoint = endpoint(&cx, &name, "Output")?;
        if !cx.outputs.iter().any(|(e, _)| e.name == name) {
            cx.outputs.push((endpoint, None));
        }
        Ok(())
    })())
}

/// `clear_input(session_id) -> errno`: forgets the inputs.
pub fn clear_input(c: C<'_>, id: u32) -> u32 {
    code(session(&c, id).map(|s| state::lock(&s).inputs.clear()))
}

/// `clear_output(session_id) -> errno`: forgets the outputs and their tensors.
pub fn clear_output(c: C<'_>, id: u32) -> u32 {
    code(session(&c, id).map(|s| state::lock(&s).outputs.clear()))
}
