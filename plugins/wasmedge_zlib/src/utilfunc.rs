//! zlib's one-shot calls (`compress*`, `uncompress*`), the checksums and `zlibCompileFlags`.

use wedge_plugin_sdk::{Caller, Error, Memory};
use zlib_rs::{DeflateFlush, InflateFlush};

use crate::deflate::{self, Deflater, Params};
use crate::errno::{Z_BUF_ERROR, Z_DATA_ERROR, Z_NEED_DICT, Z_OK, Z_STREAM_END, Z_STREAM_ERROR};
use crate::inflate::{Inflater, Wrap};
use crate::state::Zlib;
use crate::zstream::{self, CHUNK, Sink, ZStream};

/// A host function's caller.
type C<'a> = Caller<'a, Zlib>;

/// `zlibCompileFlags()` of the host zlib WasmEdge links on x86-64 Linux: 32-bit `uInt`, 64-bit
/// `uLong`, `voidpf` and `z_off_t`, no optional features.
pub const COMPILE_FLAGS: i32 = 0xa9;

/// `zlibCompileFlags()`.
pub fn zlib_compile_flags() -> i32 {
    COMPILE_FLAGS
}

/// Reads the guest `uLong` (u32 on wasm32) at `at`.
fn read_len(memory: &Memory<'_>, at: u32) -> Result<u32, Error> {
    Ok(u32::from_le_bytes(memory.read_array(at.into())?))
}

/// Writes the guest `uLong` at `at`.
fn write_len(memory: &Memory<'_>, at: u32, v: u32) -> Result<(), Error> {
    memory.write(at.into(), &v.to_le_bytes())
}

/// `compress2` on guest buffers.
fn compress_with(
    c: &C<'_>,
    dest: u32,
    dest_len_at: u32,
    source: u32,
    source_len: u32,
    level: i32,
) -> Result<i32, Error> {
    let memory = c.memory(0)?;
    let Some(params) = Params::with_level(level) else {
        return Ok(Z_STREAM_ERROR);
    };
    let mut d = Deflater::new(params);
    let mut z = ZStream {
        next_in: source,
        avail_in: source_len,
        next_out: dest,
        avail_out: read_len(&memory, dest_len_at)?,
        ..ZStream::default()
    };
    let run = zstream::run(
        &memory,
        &Sink::Guest(&memory),
        &mut z,
        false,
        &mut |i, o, last| {
            let f = if last {
                DeflateFlush::Finish
            } else {
                DeflateFlush::NoFlush
            };
            d.step(i, o, f, &mut |_| None)
        },
    )?;
    write_len(&memory, dest_len_at, z.total_out)?;
    Ok(match run.code {
        Z_STREAM_END => Z_OK,
        Z_OK => Z_BUF_ERROR,
        code => code,
    })
}

/// `compress(dest, *destLen, source, sourceLen)`.
pub fn compress(c: C<'_>, dest: u32, dest_len: u32, src: u32, src_len: u32) -> Result<i32, Error> {
    compress_with(&c, dest, dest_len, src, src_len, -1)
}

/// `compress2(dest, *destLen, source, sourceLen, level)`.
pub fn compress2(
    c: C<'_>,
    dest: u32,
    dest_len: u32,
    src: u32,
    src_len: u32,
    level: i32,
) -> Result<i32, Error> {
    compress_with(&c, dest, dest_len, src, src_len, level)
}

/// `compressBound(sourceLen)`, zlib 1.2.13's, truncated to 32 bits.
pub fn compress_bound(source_len: u32) -> i32 {
    deflate::tight_len(source_len.into()) as u32 as i32
}

/// `uncompress2` on guest buffers, with zlib's codes: returns the code, the bytes consumed and
/// the bytes written.
fn uncompress_with(
    memory: &Memory<'_>,
    dest: u32,
    dest_len: u32,
    source: u32,
    source_len: u32,
) -> Result<(i32, u32, u32), Error> {
    let probe = dest_len == 0;
    let mut z = ZStream {
        next_in: source,
        avail_in: source_len,
        next_out: dest,
        avail_out: if probe { 1 } else { dest_len },
        ..ZStream::default()
    };
    let mut i = Inflater::new(Wrap::Zlib, 15);
    let sink = if probe {
        Sink::Discard
    } else {
        Sink::Guest(memory)
    };
    let run = zstream::run(memory, &sink, &mut z, false, &mut |inp, out, _| {
        i.step(inp, out, InflateFlush::NoFlush)
    })?;
    // zlib's loop calls inflate again after Z_OK, which then finds nothing to do.
    let err = if run.code == Z_OK {
        Z_BUF_ERROR
    } else {
        run.code
    };
    let left = u32::from(probe && z.total_out > 0 && err == Z_BUF_ERROR);
    let code = match err {
        Z_STREAM_END => Z_OK,
        Z_NEED_DICT => Z_DATA_ERROR,
        Z_BUF_ERROR if left + z.avail_out != 0 => Z_DATA_ERROR,
        e => e,
    };
    Ok((code, source_len - z.avail_in, z.total_out))
}

/// `uncompress(dest, *destLen, source, sourceLen)`.
pub fn uncompress(
    c: C<'_>,
    dest: u32,
    dest_len_at: u32,
    src: u32,
    src_len: u32,
) -> Result<i32, Error> {
    let memory = c.memory(0)?;
    let dest_len = read_len(&memory, dest_len_at)?;
    let (code, _, written) = uncompress_with(&memory, dest, dest_len, src, src_len)?;
    if dest_len != 0 {
        write_len(&memory, dest_len_at, written)?;
    }
    Ok(code)
}

/// `uncompress2(dest, *destLen, source, *sourceLen)`.
pub fn uncompress2(
    c: C<'_>,
    dest: u32,
    dest_len_at: u32,
    src: u32,
    src_len_at: u32,
) -> Result<i32, Error> {
    let memory = c.memory(0)?;
    let dest_len = read_len(&memory, dest_len_at)?;
    let src_len = read_len(&memory, src_len_at)?;
    let (code, consumed, written) = uncompress_with(&memory, dest, dest_len, src, src_len)?;
    if dest_len != 0 {
        write_len(&memory, dest_len_at, written)?;
    }
    write_len(&memory, src_len_at, consumed)?;
    Ok(code)
}

/// Folds `f` over the `len` guest bytes at `buf`, a piece at a time.
fn fold(c: &C<'_>, buf: u32, len: u32, init: u32, f: fn(u32, &[u8]) -> u32) -> Result<u32, Error> {
    let memory = c.memory(0)?;
    if !memory.in_bounds(buf.into(), len.into()) {
        return Err(Error::memory_out_of_bounds());
    }
    let mut acc = init;
    let mut piece = vec![0u8; (len as usize).min(CHUNK)];
    let mut at = u64::from(buf);
    let mut left = len as usize;
    while left > 0 {
        let n = left.min(CHUNK);
        memory.read(at, &mut piece[..n])?;
        acc = f(acc, &piece[..n]);
        at += n as u64;
        left -= n;
    }
    Ok(acc)
}

/// `adler32(adler, buf, len)`: a NULL `buf` gives the initial value 1, as in zlib.
pub fn adler32(c: C<'_>, adler: u32, buf: u32, len: u32) -> Result<i32, Error> {
    if buf == 0 {
        return Ok(1);
    }
    Ok(fold(&c, buf, len, adler, zlib_rs::adler32::adler32)? as i32)
}

/// `crc32(crc, buf, len)`: a NULL `buf` gives the initial value 0, as in zlib.
pub fn crc32(c: C<'_>, crc: u32, buf: u32, len: u32) -> Result<i32, Error> {
    if buf == 0 {
        return Ok(0);
    }
    Ok(fold(&c, buf, len, crc, zlib_rs::crc32::crc32)? as i32)
}

/// `adler32_combine(adler1, adler2, len2)`: a negative `len2` gives 0xffffffff, as in zlib.
pub fn adler32_combine(a1: u32, a2: u32, len2: i32) -> i32 {
    match u64::try_from(len2) {
        Ok(n) => zlib_rs::adler32::adler32_combine(a1, a2, n) as i32,
        Err(_) => -1,
    }
}

/// `crc32_combine(crc1, crc2, len2)`: a negative `len2` gives 0xffffffff (zlib 1.2.13 loops
/// forever on it).
pub fn crc32_combine(c1: u32, c2: u32, len2: i32) -> i32 {
    match u64::try_from(len2) {
        Ok(n) => zlib_rs::crc32::crc32_combine(c1, c2, n) as i32,
        Err(_) => -1,
    }
}
