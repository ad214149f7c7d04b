//! The stream API: `deflate*` and `inflate*`, each on the guest's `z_stream` at `zs`.
//!
//! Every call reads the guest's `z_stream`, runs the host stream registered at that address and
//! writes the updated fields back. A `z_stream` address with no stream (never initialised, or
//! ended) gives `Z_STREAM_ERROR`, as zlib gives for a stream without state; WasmEdge traps
//! (`HostFuncError`) instead.

use wedge_plugin_sdk::{Caller, Error, Memory};
use zlib_rs::{DeflateFlush, InflateFlush};

use crate::deflate::{self, Deflater, GzHeaderOut, Params, Z_UNKNOWN};
use crate::errno::{Z_BUF_ERROR, Z_DATA_ERROR, Z_MEM_ERROR, Z_OK, Z_STREAM_ERROR, Z_VERSION_ERROR};
use crate::inflate::{self, HeaderEvent, Inflater};
use crate::state::{Stream, Zlib};
use crate::zstream::{self, CHUNK, GZ_HEADER_SIZE, Run, Sink, Z_STREAM_SIZE, ZStream};

/// A host function's caller.
type C<'a> = Caller<'a, Zlib>;

/// Dictionaries longer than this are refused with `Z_MEM_ERROR` (zlib uses at most the last
/// 32 KiB; the whole is read only for its Adler-32).
const MAX_DICTIONARY: u32 = 16 << 20;
/// gzip header strings and extra fields are read up to this length.
const MAX_HEADER_FIELD: usize = 1 << 16;

/// Whether the `*Init_` calls' `version` and `stream_size` match the wasm32 zlib the host
/// mirrors: `stream_size` 56 and a version string starting with zlib's major version, '1'.
fn version_ok(c: &C<'_>, version: u32, stream_size: i32) -> Result<bool, Error> {
    if stream_size != Z_STREAM_SIZE {
        return Ok(false);
    }
    if version == 0 {
        return Ok(false);
    }
    let memory = c.memory(0)?;
    Ok(memory
        .read_array::<1>(version.into())
        .is_ok_and(|b| b[0] == b'1'))
}

/// Registers `stream` at `zs` (replacing one left there) and resets the guest's fields as
/// zlib's init does.
fn register(c: &C<'_>, zs: u32, stream: Stream) -> Result<i32, Error> {
    if zs == 0 {
        return Ok(Z_STREAM_ERROR);
    }
    let memory = c.memory(0)?;
    let mut z = ZStream::read(&memory, zs)?;
    z.total_in = 0;
    z.total_out = 0;
    z.msg = 0;
    match &stream {
        Stream::Deflate(d) => {
            z.data_type = Z_UNKNOWN;
            z.adler = d.check;
        }
        Stream::Inflate(i) => {
            if let Some(check) = i.check {
                z.adler = check;
            }
        }
    }
    z.write(&memory, zs)?;
    c.state().streams().insert(zs, stream);
    Ok(Z_OK)
}

/// `deflateInit2` with checked arguments.
fn deflate_init(c: &C<'_>, zs: u32, params: Option<Params>) -> Result<i32, Error> {
    match params {
        Some(p) if zs != 0 => register(c, zs, Stream::Deflate(Box::new(Deflater::new(p)))),
        _ => Ok(Z_STREAM_ERROR),
    }
}

/// `inflateInit2` with `windowBits`.
fn inflate_init(c: &C<'_>, zs: u32, window_bits: i32) -> Result<i32, Error> {
    match inflate::window(window_bits) {
        Some((wrap, bits)) if zs != 0 => {
            register(c, zs, Stream::Inflate(Box::new(Inflater::new(wrap, bits))))
        }
        _ => Ok(Z_STREAM_ERROR),
    }
}

/// `deflateInit(strm, level)`.
pub fn deflate_init_plain(c: C<'_>, zs: u32, level: i32) -> Result<i32, Error> {
    deflate_init(&c, zs, Params::with_level(level))
}

/// `deflateInit_(strm, level, version, stream_size)`.
pub fn deflate_init_(c: C<'_>, zs: u32, level: i32, ver: u32, size: i32) -> Result<i32, Error> {
    if !version_ok(&c, ver, size)? {
        return Ok(Z_VERSION_ERROR);
    }
    deflate_init(&c, zs, Params::with_level(level))
}

/// `deflateInit2(strm, level, method, windowBits, memLevel, strategy)`.
pub fn deflate_init2(
    c: C<'_>,
    zs: u32,
    level: i32,
    method: i32,
    window_bits: i32,
    mem_level: i32,
    strategy: i32,
) -> Result<i32, Error> {
    let params = Params::new(level, method, window_bits, mem_level, strategy);
    deflate_init(&c, zs, params)
}

/// `deflateInit2_(strm, level, method, windowBits, memLevel, strategy, version, stream_size)`.
#[expect(clippy::too_many_arguments, reason = "zlib's signature")]
pub fn deflate_init2_(
    c: C<'_>,
    zs: u32,
    level: i32,
    method: i32,
    window_bits: i32,
    mem_level: i32,
    strategy: i32,
    ver: u32,
    size: i32,
) -> Result<i32, Error> {
    if !version_ok(&c, ver, size)? {
        return Ok(Z_VERSION_ERROR);
    }
    let params = Params::new(level, method, window_bits, mem_level, strategy);
    deflate_init(&c, zs, params)
}

/// `inflateInit(strm)`.
pub fn inflate_init_plain(c: C<'_>, zs: u32) -> Result<i32, Error> {
    inflate_init(&c, zs, 15)
}

/// `inflateInit_(strm, version, stream_size)`.
pub fn inflate_init_(c: C<'_>, zs: u32, ver: u32, size: i32) -> Result<i32, Error> {
    if !version_ok(&c, ver, size)? {
        return Ok(Z_VERSION_ERROR);
    }
    inflate_init(&c, zs, 15)
}

/// `inflateInit2(strm, windowBits)`.
pub fn inflate_init2(c: C<'_>, zs: u32, window_bits: i32) -> Result<i32, Error> {
    inflate_init(&c, zs, window_bits)
}

/// `inflateInit2_(strm, windowBits, version, stream_size)`.
pub fn inflate_init2_(c: C<'_>, zs: u32, wb: i32, ver: u32, size: i32) -> Result<i32, Error> {
    if !version_ok(&c, ver, size)? {
        return Ok(Z_VERSION_ERROR);
    }
    inflate_init(&c, zs, wb)
}

/// `inflateBackInit(strm, windowBits, window)`: a raw inflate stream (the guest cannot call
/// `inflateBack`, which WasmEdge does not export either).
pub fn inflate_back_init(c: C<'_>, zs: u32, window_bits: i32, window: u32) -> Result<i32, Error> {
    if zs == 0 || window == 0 || !(8..=15).contains(&window_bits) {
        return Ok(Z_STREAM_ERROR);
    }
    let stream = Inflater::new(inflate::Wrap::Raw, window_bits);
    register(&c, zs, Stream::Inflate(Box::new(stream)))
}

/// `inflateBackInit_(strm, windowBits, window, version, stream_size)`.
pub fn inflate_back_init_(
    c: C<'_>,
    zs: u32,
    window_bits: i32,
    window: u32,
    ver: u32,
    size: i32,
) -> Result<i32, Error> {
    if !version_ok(&c, ver, size)? {
        return Ok(Z_VERSION_ERROR);
    }
    inflate_back_init(c, zs, window_bits, window)
}

/// Reads the `gz_header` at `addr` for writing a gzip header.
fn read_header_out(memory: &Memory<'_>, addr: u32) -> Result<GzHeaderOut, Error> {
    let b: [u8; 52] = memory.read_array(addr.into())?;
    let w = |at: usize| u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
    let extra = match w(16) {
        0 => None,
        p => {
            let len = w(20).min(0xffff);
            Some(memory.read_vec(p.into(), len.into())?)
        }
    };
    let string = |p: u32| -> Result<Option<Vec<u8>>, Error> {
        if p == 0 {
            Ok(None)
        } else {
            zstream::read_c_string(memory, p, MAX_HEADER_FIELD).map(Some)
        }
    };
    Ok(GzHeaderOut {
        text: w(0) != 0,
        time: w(4),
        os: w(12) as u8,
        extra,
        name: string(w(28))?,
        comment: string(w(36))?,
        hcrc: w(44) != 0,
    })
}

/// Writes a header `inflate` read into the guest's `gz_header` at `addr`, as zlib fills it.
fn write_header_in(memory: &Memory<'_>, addr: u32, event: &HeaderEvent) -> Result<(), Error> {
    let mut b: [u8; 52] = memory.read_array(addr.into())?;
    let w = |b: &[u8; 52], at: usize| u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
    let put = |b: &mut [u8; 52], at: usize, v: u32| b[at..at + 4].copy_from_slice(&v.to_le_bytes());
    let h = match event {
        HeaderEvent::NotGzip => {
            put(&mut b, 48, u32::MAX);
            return memory.write(addr.into(), &b);
        }
        HeaderEvent::Gzip(h) => h,
    };
    put(&mut b, 0, u32::from(h.text));
    put(&mut b, 4, h.time);
    put(&mut b, 8, u32::from(h.xflags));
    put(&mut b, 12, u32::from(h.os));
    match &h.extra {
        None => put(&mut b, 16, 0),
        Some(e) => {
            put(&mut b, 20, e.len() as u32);
            let (p, max) = (w(&b, 16), w(&b, 24) as usize);
            if p != 0 {
                memory.write(p.into(), &e[..e.len().min(max)])?;
            }
        }
    }
    for (field, max_at, value) in [(28, 32, &h.name), (36, 40, &h.comment)] {
        match value {
            None => put(&mut b, field, 0),
            Some(s) => {
                let (p, max) = (w(&b, field), w(&b, max_at) as usize);
                if p != 0 {
                    let mut with_nul = s.clone();
                    with_nul.push(0);
                    memory.write(p.into(), &with_nul[..with_nul.len().min(max)])?;
                }
            }
        }
    }
    put(&mut b, 44, u32::from(h.hcrc));
    put(&mut b, 48, 1);
    memory.write(addr.into(), &b)
}

/// `deflate(strm, flush)`.
pub fn deflate(c: C<'_>, zs: u32, flush: i32) -> Result<i32, Error> {
    let Some(flush) = deflate::flush(flush) else {
        return Ok(Z_STREAM_ERROR);
    };
    let memory = c.memory(0)?;
    let mut streams = c.state().streams();
    let Some(Stream::Deflate(d)) = streams.get_mut(&zs) else {
        return Ok(Z_STREAM_ERROR);
    };
    let mut z = ZStream::read(&memory, zs)?;
    let code = run_deflate(&memory, &mut z, d, flush)?;
    z.write(&memory, zs)?;
    Ok(code)
}

/// One `deflate` call on `z`.
fn run_deflate(
    memory: &Memory<'_>,
    z: &mut ZStream,
    d: &mut Deflater,
    flush: DeflateFlush,
) -> Result<i32, Error> {
    if z.buffers_missing() || (d.finishing() && flush != DeflateFlush::Finish) {
        return Ok(Z_STREAM_ERROR);
    }
    let mut data_type = z.data_type;
    let mut header_error = None;
    let mut read_header = |at: u32| match read_header_out(memory, at) {
        Ok(h) => Some(h),
        Err(e) => {
            header_error = Some(e);
            None
        }
    };
    let run = zstream::run(
        memory,
        &Sink::Guest(memory),
        z,
        false,
        &mut |input, output, last| {
            let f = if last { flush } else { DeflateFlush::NoFlush };
            let s = d.step(input, output, f, &mut read_header);
            if data_type == Z_UNKNOWN && s.consumed > 0 && d.params().level > 0 {
                data_type = deflate::data_type(&input[..s.consumed]);
            }
            s
        },
    )?;
    if let Some(e) = header_error {
        return Err(e);
    }
    z.data_type = data_type;
    z.adler = d.check;
    Ok(run.code(None))
}

/// `inflate(strm, flush)`.
pub fn inflate(c: C<'_>, zs: u32, flush: i32) -> Result<i32, Error> {
    let Some(flush) = inflate::flush(flush) else {
        return Ok(Z_STREAM_ERROR);
    };
    let memory = c.memory(0)?;
    let mut streams = c.state().streams();
    let Some(Stream::Inflate(i)) = streams.get_mut(&zs) else {
        return Ok(Z_STREAM_ERROR);
    };
    let mut z = ZStream::read(&memory, zs)?;
    if z.buffers_missing() {
        return Ok(Z_STREAM_ERROR);
    }
    let single = matches!(flush, InflateFlush::Block | InflateFlush::Trees);
    let run: Run = zstream::run(
        &memory,
        &Sink::Guest(&memory),
        &mut z,
        single,
        &mut |input, output, _| i.step(input, output, flush),
    )?;
    if let Some(check) = i.check {
        z.adler = check;
    }
    if let (Some(at), Some(event)) = (i.header_at, i.take_event()) {
        write_header_in(&memory, at, &event)?;
    }
    z.write(&memory, zs)?;
    Ok(run.code((flush == InflateFlush::Finish).then_some(Z_BUF_ERROR)))
}

/// Removes the stream at `zs`; `Z_STREAM_ERROR` when there is none of that kind.
fn end(c: &C<'_>, zs: u32, want_deflate: bool) -> i32 {
    let mut streams = c.state().streams();
    match streams.get(&zs) {
        Some(Stream::Deflate(d)) if want_deflate => {
            // zlib reports a stream ended in the middle of compressed data.
            let code = if d.started() && !d.finished() {
                Z_DATA_ERROR
            } else {
                Z_OK
            };
            streams.remove(&zs);
            code
        }
        Some(Stream::Inflate(_)) if !want_deflate => {
            streams.remove(&zs);
            Z_OK
        }
        _ => Z_STREAM_ERROR,
    }
}

/// `deflateEnd(strm)`.
pub fn deflate_end(c: C<'_>, zs: u32) -> i32 {
    end(&c, zs, true)
}

/// `inflateEnd(strm)`.
pub fn inflate_end(c: C<'_>, zs: u32) -> i32 {
    end(&c, zs, false)
}

/// `inflateBackEnd(strm)`.
pub fn inflate_back_end(c: C<'_>, zs: u32) -> i32 {
    end(&c, zs, false)
}

/// Reads a dictionary of `len` bytes at `ptr`, or the code to return instead.
fn read_dictionary(memory: &Memory<'_>, ptr: u32, len: u32) -> Result<Result<Vec<u8>, i32>, Error> {
    if ptr == 0 {
        return Ok(Err(Z_STREAM_ERROR));
    }
    if len > MAX_DICTIONARY {
        return Ok(Err(Z_MEM_ERROR));
    }
    Ok(Ok(memory.read_vec(ptr.into(), len.into())?))
}

/// `deflateSetDictionary(strm, dictionary, dictLength)`.
pub fn deflate_set_dictionary(c: C<'_>, zs: u32, dict: u32, len: u32) -> Result<i32, Error> {
    let memory = c.memory(0)?;
    let mut streams = c.state().streams();
    let Some(Stream::Deflate(d)) = streams.get_mut(&zs) else {
        return Ok(Z_STREAM_ERROR);
    };
    let bytes = match read_dictionary(&memory, dict, len)? {
        Ok(b) => b,
        Err(code) => return Ok(code),
    };
    let code = d.set_dictionary(&bytes);
    if code == Z_OK {
        let mut z = ZStream::read(&memory, zs)?;
        z.adler = d.check;
        z.write(&memory, zs)?;
    }
    Ok(code)
}

/// `inflateSetDictionary(strm, dictionary, dictLength)`.
pub fn inflate_set_dictionary(c: C<'_>, zs: u32, dict: u32, len: u32) -> Result<i32, Error> {
    let memory = c.memory(0)?;
    let mut streams = c.state().streams();
    let Some(Stream::Inflate(i)) = streams.get_mut(&zs) else {
        return Ok(Z_STREAM_ERROR);
    };
    let bytes = match read_dictionary(&memory, dict, len)? {
        Ok(b) => b,
        Err(code) => return Ok(code),
    };
    let code = i.set_dictionary(&bytes);
    if code == Z_OK
        && let Some(check) = i.check
    {
        let mut z = ZStream::read(&memory, zs)?;
        z.adler = check;
        z.write(&memory, zs)?;
    }
    Ok(code)
}

/// Writes a dictionary to `dict` (unless NULL) and its length to `len_at` (unless NULL).
fn put_dictionary(memory: &Memory<'_>, bytes: &[u8], dict: u32, len_at: u32) -> Result<(), Error> {
    if dict != 0 {
        memory.write(dict.into(), bytes)?;
    }
    if len_at != 0 {
        memory.write(len_at.into(), &(bytes.len() as u32).to_le_bytes())?;
    }
    Ok(())
}

/// `deflateGetDictionary(strm, dictionary, *dictLength)`.
pub fn deflate_get_dictionary(c: C<'_>, zs: u32, dict: u32, len_at: u32) -> Result<i32, Error> {
    let memory = c.memory(0)?;
    let streams = c.state().streams();
    let Some(Stream::Deflate(d)) = streams.get(&zs) else {
        return Ok(Z_STREAM_ERROR);
    };
    put_dictionary(&memory, &d.dictionary(), dict, len_at)?;
    Ok(Z_OK)
}

/// `inflateGetDictionary(strm, dictionary, *dictLength)`.
pub fn inflate_get_dictionary(c: C<'_>, zs: u32, dict: u32, len_at: u32) -> Result<i32, Error> {
    let memory = c.memory(0)?;
    let streams = c.state().streams();
    let Some(Stream::Inflate(i)) = streams.get(&zs) else {
        return Ok(Z_STREAM_ERROR);
    };
    put_dictionary(&memory, &i.dictionary(), dict, len_at)?;
    Ok(Z_OK)
}

/// `deflateCopy(dest, source)`: the guest's `z_stream` is copied as zlib copies it, and the
/// host stream is rebuilt in the same state by replaying its calls; `Z_MEM_ERROR` for a stream
/// that was given more than the replay keeps (4 MiB).
pub fn deflate_copy(c: C<'_>, dest: u32, source: u32) -> Result<i32, Error> {
    copy(&c, dest, source, true)
}

/// `inflateCopy(dest, source)`: as `deflateCopy`.
pub fn inflate_copy(c: C<'_>, dest: u32, source: u32) -> Result<i32, Error> {
    copy(&c, dest, source, false)
}

/// Both copies.
fn copy(c: &C<'_>, dest: u32, source: u32, deflate: bool) -> Result<i32, Error> {
    if dest == 0 {
        return Ok(Z_STREAM_ERROR);
    }
    let memory = c.memory(0)?;
    let mut streams = c.state().streams();
    let copied = match streams.get(&source) {
        Some(Stream::Deflate(d)) if deflate => d.try_clone().map(|d| Stream::Deflate(Box::new(d))),
        Some(Stream::Inflate(i)) if !deflate => i.try_clone().map(|i| Stream::Inflate(Box::new(i))),
        _ => return Ok(Z_STREAM_ERROR),
    };
    let Some(copied) = copied else {
        return Ok(Z_MEM_ERROR);
    };
    let z: [u8; 56] = memory.read_array(source.into())?;
    memory.write(dest.into(), &z)?;
    streams.insert(dest, copied);
    Ok(Z_OK)
}

/// Runs `f` on the deflate stream at `zs` and the guest's `z_stream`, writing the latter back.
fn with_deflate(
    c: &C<'_>,
    zs: u32,
    f: impl FnOnce(&Memory<'_>, &mut ZStream, &mut Deflater) -> Result<i32, Error>,
) -> Result<i32, Error> {
    let memory = c.memory(0)?;
    let mut streams = c.state().streams();
    let Some(Stream::Deflate(d)) = streams.get_mut(&zs) else {
        return Ok(Z_STREAM_ERROR);
    };
    let mut z = ZStream::read(&memory, zs)?;
    let code = f(&memory, &mut z, d)?;
    z.write(&memory, zs)?;
    Ok(code)
}

/// Runs `f` on the inflate stream at `zs` and the guest's `z_stream`, writing the latter back.
fn with_inflate(
    c: &C<'_>,
    zs: u32,
    f: impl FnOnce(&Memory<'_>, &mut ZStream, &mut Inflater) -> Result<i32, Error>,
) -> Result<i32, Error> {
    let memory = c.memory(0)?;
    let mut streams = c.state().streams();
    let Some(Stream::Inflate(i)) = streams.get_mut(&zs) else {
        return Ok(Z_STREAM_ERROR);
    };
    let mut z = ZStream::read(&memory, zs)?;
    let code = f(&memory, &mut z, i)?;
    z.write(&memory, zs)?;
    Ok(code)
}

/// The guest fields a reset sets.
fn reset_fields(z: &mut ZStream, check: Option<u32>) {
    z.total_in = 0;
    z.total_out = 0;
    z.msg = 0;
    if let Some(check) = check {
        z.adler = check;
    }
}

/// `deflateReset(strm)`.
pub fn deflate_reset(c: C<'_>, zs: u32) -> Result<i32, Error> {
    with_deflate(&c, zs, |_, z, d| {
        d.reset();
        reset_fields(z, Some(d.check));
        z.data_type = Z_UNKNOWN;
        Ok(Z_OK)
    })
}

/// `deflateResetKeep(strm)`: as `deflateReset` (zlib keeps the window; zlib-rs's safe API
/// cannot).
pub fn deflate_reset_keep(c: C<'_>, zs: u32) -> Result<i32, Error> {
    deflate_reset(c, zs)
}

/// `deflateParams(strm, level, strategy)`: flushes the current block with `Z_BLOCK` into the
/// guest's buffer when the parameters change, as zlib does, then switches.
pub fn deflate_params(c: C<'_>, zs: u32, level: i32, strategy: i32) -> Result<i32, Error> {
    with_deflate(&c, zs, |memory, z, d| {
        let lvl = if level == -1 { 6 } else { level };
        if !(0..=9).contains(&lvl) || !(0..=4).contains(&strategy) {
            return Ok(Z_STREAM_ERROR);
        }
        let p = d.params();
        if (lvl != p.level || strategy != p.strategy) && d.started() {
            let code = run_deflate(memory, z, d, DeflateFlush::Block)?;
            if code == Z_STREAM_ERROR {
                return Ok(code);
            }
            if z.avail_in != 0 {
                return Ok(Z_BUF_ERROR);
            }
        }
        Ok(d.set_params(lvl, strategy))
    })
}

/// `deflateTune(strm, good_length, max_lazy, nice_length, max_chain)`: accepted and ignored
/// (zlib-rs's safe API has no tuning).
pub fn deflate_tune(c: C<'_>, zs: u32, _good: i32, _lazy: i32, _nice: i32, _chain: i32) -> i32 {
    match c.state().streams().get(&zs) {
        Some(Stream::Deflate(_)) => Z_OK,
        _ => Z_STREAM_ERROR,
    }
}

/// `deflateBound(strm, sourceLen)`, zlib 1.2.13's bounds, truncated to 32 bits.
pub fn deflate_bound(c: C<'_>, zs: u32, source_len: u32) -> Result<i32, Error> {
    let n = u64::from(source_len);
    let streams = c.state().streams();
    let bound = match streams.get(&zs) {
        Some(Stream::Deflate(d)) => {
            let header = match d.header_at {
                Some(at) => Some(read_header_out(&c.memory(0)?, at)?),
                None => None,
            };
            d.bound(n, header.as_ref())
        }
        _ => deflate::bound_without_stream(n),
    };
    Ok(bound as u32 as i32)
}

/// `deflatePending(strm, *pending, *bits)`: the framing bytes not yet delivered; bits is 0.
pub fn deflate_pending(c: C<'_>, zs: u32, pending_at: u32, bits_at: u32) -> Result<i32, Error> {
    let memory = c.memory(0)?;
    let streams = c.state().streams();
    let Some(Stream::Deflate(d)) = streams.get(&zs) else {
        return Ok(Z_STREAM_ERROR);
    };
    if pending_at != 0 {
        memory.write(pending_at.into(), &(d.pending() as u32).to_le_bytes())?;
    }
    if bits_at != 0 {
        memory.write(bits_at.into(), &0u32.to_le_bytes())?;
    }
    Ok(Z_OK)
}

/// `deflatePrime(strm, bits, value)`: zlib's range check (`Z_BUF_ERROR`); inserting zero bits
/// is `Z_OK`; inserting bits is not available on zlib-rs's safe API (`Z_STREAM_ERROR`).
pub fn deflate_prime(c: C<'_>, zs: u32, bits: i32, _value: i32) -> i32 {
    match c.state().streams().get(&zs) {
        Some(Stream::Deflate(_)) if !(0..=16).contains(&bits) => Z_BUF_ERROR,
        Some(Stream::Deflate(_)) if bits == 0 => Z_OK,
        _ => Z_STREAM_ERROR,
    }
}

/// `deflateSetHeader(strm, head)`: gzip streams only.
pub fn deflate_set_header(c: C<'_>, zs: u32, head: u32) -> Result<i32, Error> {
    let mut streams = c.state().streams();
    let Some(Stream::Deflate(d)) = streams.get_mut(&zs) else {
        return Ok(Z_STREAM_ERROR);
    };
    if d.params().wrap != deflate::Wrap::Gzip {
        return Ok(Z_STREAM_ERROR);
    }
    if head != 0 && !c.memory(0)?.in_bounds(head.into(), GZ_HEADER_SIZE) {
        return Err(Error::memory_out_of_bounds());
    }
    d.header_at = (head != 0).then_some(head);
    Ok(Z_OK)
}

/// `inflateGetHeader(strm, head)`: gzip-capable streams only; sets `head->done` to 0.
pub fn inflate_get_header(c: C<'_>, zs: u32, head: u32) -> Result<i32, Error> {
    let memory = c.memory(0)?;
    let mut streams = c.state().streams();
    let Some(Stream::Inflate(i)) = streams.get_mut(&zs) else {
        return Ok(Z_STREAM_ERROR);
    };
    if !i.accepts_header() {
        return Ok(Z_STREAM_ERROR);
    }
    if head != 0 {
        memory.write(u64::from(head) + 48, &0u32.to_le_bytes())?;
    }
    i.header_at = (head != 0).then_some(head);
    Ok(Z_OK)
}

/// `inflateSync(strm)`.
pub fn inflate_sync(c: C<'_>, zs: u32) -> Result<i32, Error> {
    with_inflate(&c, zs, |memory, z, i| {
        if z.avail_in == 0 {
            return Ok(Z_BUF_ERROR);
        }
        loop {
            let n = (z.avail_in as usize).min(CHUNK);
            let piece = memory.read_vec(z.next_in.into(), n as u64)?;
            let (skipped, code) = i.sync(&piece);
            let s = skipped as u32;
            z.next_in = z.next_in.wrapping_add(s);
            z.avail_in -= s;
            z.total_in = z.total_in.wrapping_add(s);
            if code != Z_DATA_ERROR || z.avail_in == 0 {
                return Ok(code);
            }
        }
    })
}

/// `inflateReset(strm)`.
pub fn inflate_reset(c: C<'_>, zs: u32) -> Result<i32, Error> {
    with_inflate(&c, zs, |_, z, i| {
        i.reset();
        reset_fields(z, i.check);
        Ok(Z_OK)
    })
}

/// `inflateResetKeep(strm)`.
pub fn inflate_reset_keep(c: C<'_>, zs: u32) -> Result<i32, Error> {
    with_inflate(&c, zs, |_, z, i| {
        i.reset_keep();
        reset_fields(z, i.check);
        Ok(Z_OK)
    })
}

/// `inflateReset2(strm, windowBits)`.
pub fn inflate_reset2(c: C<'_>, zs: u32, window_bits: i32) -> Result<i32, Error> {
    with_inflate(&c, zs, |_, z, i| {
        let Some((wrap, bits)) = inflate::window(window_bits) else {
            return Ok(Z_STREAM_ERROR);
        };
        i.reset2(wrap, bits);
        reset_fields(z, i.check);
        Ok(Z_OK)
    })
}

/// `inflatePrime(strm, bits, value)`: negative bits (clear the bit buffer) and zero bits are
/// `Z_OK`; inserting bits is not available on zlib-rs's safe API (`Z_STREAM_ERROR`).
pub fn inflate_prime(c: C<'_>, zs: u32, bits: i32, _value: i32) -> i32 {
    match c.state().streams().get(&zs) {
        Some(Stream::Inflate(_)) if bits <= 0 => Z_OK,
        _ => Z_STREAM_ERROR,
    }
}

/// `inflateMark(strm)`: zlib's -65536 for no stream; 0 otherwise (zlib-rs's safe API does
/// not expose the position).
pub fn inflate_mark(c: C<'_>, zs: u32) -> i32 {
    match c.state().streams().get(&zs) {
        Some(Stream::Inflate(_)) => 0,
        _ => -65536,
    }
}

/// `inflateSyncPoint(strm)`: 0 (not known on zlib-rs's safe API).
pub fn inflate_sync_point(c: C<'_>, zs: u32) -> i32 {
    match c.state().streams().get(&zs) {
        Some(Stream::Inflate(_)) => 0,
        _ => Z_STREAM_ERROR,
    }
}

/// `inflateUndermine(strm, subvert)`: `Z_DATA_ERROR`, as zlib built without
/// `INFLATE_ALLOW_INVALID_DISTANCE_TOOFAR_ARRR` (Debian's, WasmEdge's) answers.
pub fn inflate_undermine(c: C<'_>, zs: u32, _subvert: i32) -> i32 {
    match c.state().streams().get(&zs) {
        Some(Stream::Inflate(_)) => Z_DATA_ERROR,
        _ => Z_STREAM_ERROR,
    }
}

/// `inflateValidate(strm, check)`: `Z_OK`; the check is always verified (zlib-rs's safe API
/// cannot turn it off).
pub fn inflate_validate(c: C<'_>, zs: u32, _check: i32) -> i32 {
    match c.state().streams().get(&zs) {
        Some(Stream::Inflate(_)) => Z_OK,
        _ => Z_STREAM_ERROR,
    }
}

/// `inflateCodesUsed(strm)`: zlib's -1 for no stream; 0 otherwise (not exposed by zlib-rs's
/// safe API).
pub fn inflate_codes_used(c: C<'_>, zs: u32) -> i32 {
    match c.state().streams().get(&zs) {
        Some(Stream::Inflate(_)) => 0,
        _ => -1,
    }
}
