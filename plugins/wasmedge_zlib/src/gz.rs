//! gz files: `gzopen` and the calls on a `gzFile` handle.
//!
//! A `gzFile` is a handle into the module instance's table. Handles count up from 8 (as
//! WasmEdge's do, from `sizeof(gzFile)` on the host) and are never reused; they stay below 1008
//! because `zlib.h`'s `gzgetc` macro reads the `gzFile_s` header at the handle's address in
//! guest memory, which must hold zeros for it to call the plug-in (low memory, below the data
//! wasm-ld places at 1024, does). So an instance opens at most 1000 gz files in its life; later
//! `gzopen`s return NULL.
//!
//! Paths are the guest's: `gzopen` opens a file only inside the guest's WASI preopened
//! directories, with WASI's sandbox (through [`Caller::open_guest_file`]). WasmEdge opens the
//! host path as given; `gzdopen`, which WasmEdge hands the guest's descriptor number to the
//! host's `gzdopen` (a host descriptor), returns NULL here.
//!
//! An unknown or closed handle gives zlib's answer for a NULL file (-1, or `Z_STREAM_ERROR` for
//! the close and flush calls, 0 for `gzeof`, `gzdirect`, `gzfread` and `gzfwrite`) where
//! WasmEdge traps.

use std::collections::HashMap;

use wedge_plugin_sdk::{Caller, Error, GuestOpenOptions, Memory};

use crate::errno::Z_STREAM_ERROR;
use crate::gzfile::{GzFile, Mode};
use crate::state::Zlib;
use crate::zstream::{CHUNK, read_c_string};

/// A host function's caller.
type C<'a> = Caller<'a, Zlib>;

/// The first handle.
const FIRST_HANDLE: u32 = 8;
/// Handles stay below this (see the module docs).
const END_HANDLE: u32 = 1008;
/// Paths are read up to this length (`PATH_MAX`).
const MAX_PATH: usize = 4096;
/// `gzputs` strings are read up to this length.
const MAX_PUTS: usize = 1 << 24;

/// The open gz files of one module instance.
pub struct GzFiles {
    next: u32,
    files: HashMap<u32, GzFile>,
}

impl Default for GzFiles {
    fn default() -> Self {
        Self {
            next: FIRST_HANDLE,
            files: HashMap::new(),
        }
    }
}

impl GzFiles {
    /// Adds `file`; its handle, or 0 when handles are used up.
    fn insert(&mut self, file: GzFile) -> u32 {
        if self.next >= END_HANDLE {
            return 0;
        }
        let h = self.next;
        self.next += 1;
        self.files.insert(h, file);
        h
    }
}

/// `gzopen(path, mode)`: a handle, or NULL (0).
pub fn gzopen(c: C<'_>, path: u32, mode: u32) -> Result<u32, Error> {
    if path == 0 || mode == 0 {
        return Ok(0);
    }
    let memory = c.memory(0)?;
    let path = read_c_string(&memory, path, MAX_PATH)?;
    let mode = read_c_string(&memory, mode, 64)?;
    let Some(m) = Mode::parse(&mode) else {
        return Ok(0);
    };
    let Ok(path) = String::from_utf8(path) else {
        return Ok(0);
    };
    let options = if m.read {
        GuestOpenOptions::new().read(true)
    } else if m.append {
        GuestOpenOptions::new().append(true).create(true)
    } else if m.exclusive {
        GuestOpenOptions::new().write(true).create_new(true)
    } else {
        GuestOpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
    };
    let file = match c.open_guest_file(&path, &options) {
        Ok(f) => f,
        Err(e) => {
            if e.kind() == std::io::ErrorKind::Unsupported {
                eprintln!("[wasmedge_zlib] gzopen: {e}");
            }
            return Ok(0);
        }
    };
    let Ok(gz) = GzFile::new(file, m) else {
        return Ok(0);
    };
    Ok(c.state().files().insert(gz))
}

/// `gzdopen(fd, mode)`: NULL (see the module docs).
pub fn gzdopen(_fd: i32, _mode: u32) -> u32 {
    0
}

/// Runs `f` on the open file `h`, or returns `missing`.
fn with_file<R>(c: &C<'_>, h: u32, missing: R, f: impl FnOnce(&mut GzFile) -> R) -> R {
    match c.state().files().files.get_mut(&h) {
        Some(g) => f(g),
        None => missing,
    }
}

/// `gzbuffer(file, size)`.
pub fn gzbuffer(c: C<'_>, h: u32, size: u32) -> i32 {
    with_file(&c, h, -1, |g| g.buffer(size))
}

/// `gzsetparams(file, level, strategy)`.
pub fn gzsetparams(c: C<'_>, h: u32, level: i32, strategy: i32) -> i32 {
    with_file(&c, h, Z_STREAM_ERROR, |g| g.set_params(level, strategy))
}

/// Reads up to `len` decoded bytes into guest memory at `buf`; the count, or zlib's error.
fn read_into(
    memory: &Memory<'_>,
    g: &mut GzFile,
    buf: u32,
    len: u32,
) -> Result<Result<u32, i32>, Error> {
    if !memory.in_bounds(buf.into(), len.into()) {
        return Err(Error::memory_out_of_bounds());
    }
    let mut piece = vec![0u8; (len as usize).min(CHUNK)];
    let mut done = 0u32;
    while done < len {
        let want = ((len - done) as usize).min(CHUNK);
        match g.read(&mut piece[..want]) {
            Ok(0) => break,
            Ok(n) => {
                memory.write(u64::from(buf) + u64::from(done), &piece[..n])?;
                done += n as u32;
            }
            Err(e) => {
                if done == 0 {
                    return Ok(Err(e));
                }
                break;
            }
        }
    }
    Ok(Ok(done))
}

/// Writes `len` guest bytes at `buf`; the count, or zlib's error.
fn write_from(
    memory: &Memory<'_>,
    g: &mut GzFile,
    buf: u32,
    len: u32,
) -> Result<Result<u32, i32>, Error> {
    if !memory.in_bounds(buf.into(), len.into()) {
        return Err(Error::memory_out_of_bounds());
    }
    let mut piece = vec![0u8; (len as usize).min(CHUNK)];
    let mut done = 0u32;
    while done < len {
        let n = ((len - done) as usize).min(CHUNK);
        memory.read(u64::from(buf) + u64::from(done), &mut piece[..n])?;
        if let Err(e) = g.write(&piece[..n]) {
            return Ok(Err(e));
        }
        done += n as u32;
    }
    Ok(Ok(done))
}

/// `gzread(file, buf, len)`: bytes read, 0 at the end, -1 on error.
pub fn gzread(c: C<'_>, h: u32, buf: u32, len: u32) -> Result<i32, Error> {
    let memory = c.memory(0)?;
    let mut files = c.state().files();
    let Some(g) = files.files.get_mut(&h) else {
        return Ok(-1);
    };
    if i32::try_from(len).is_err() || !g.reading() {
        return Ok(-1);
    }
    Ok(read_into(&memory, g, buf, len)?.map_or(-1, |n| n as i32))
}

/// `gzfread(buf, size, nitems, file)`: whole items read.
pub fn gzfread(c: C<'_>, buf: u32, size: u32, nitems: u32, h: u32) -> Result<i32, Error> {
    let memory = c.memory(0)?;
    let mut files = c.state().files();
    let Some(g) = files.files.get_mut(&h) else {
        return Ok(0);
    };
    let Some(len) = size.checked_mul(nitems) else {
        return Ok(0);
    };
    if size == 0 || !g.reading() {
        return Ok(0);
    }
    Ok(read_into(&memory, g, buf, len)?.map_or(0, |n| (n / size) as i32))
}

/// `gzwrite(file, buf, len)`: bytes written, 0 on error.
pub fn gzwrite(c: C<'_>, h: u32, buf: u32, len: u32) -> Result<i32, Error> {
    let memory = c.memory(0)?;
    let mut files = c.state().files();
    let Some(g) = files.files.get_mut(&h) else {
        return Ok(0);
    };
    if i32::try_from(len).is_err() || g.reading() {
        return Ok(0);
    }
    Ok(write_from(&memory, g, buf, len)?.map_or(0, |n| n as i32))
}

/// `gzfwrite(buf, size, nitems, file)`: items written.
pub fn gzfwrite(c: C<'_>, buf: u32, size: u32, nitems: u32, h: u32) -> Result<i32, Error> {
    let memory = c.memory(0)?;
    let mut files = c.state().files();
    let Some(g) = files.files.get_mut(&h) else {
        return Ok(0);
    };
    let Some(len) = size.checked_mul(nitems) else {
        return Ok(0);
    };
    if size == 0 || g.reading() {
        return Ok(0);
    }
    Ok(write_from(&memory, g, buf, len)?.map_or(0, |n| (n / size) as i32))
}

/// `gzputs(file, s)`: bytes written, -1 on error.
pub fn gzputs(c: C<'_>, h: u32, s: u32) -> Result<i32, Error> {
    let memory = c.memory(0)?;
    let mut files = c.state().files();
    let Some(g) = files.files.get_mut(&h) else {
        return Ok(-1);
    };
    if g.reading() || s == 0 {
        return Ok(-1);
    }
    let text = read_c_string(&memory, s, MAX_PUTS)?;
    Ok(match g.write(&text) {
        Ok(n) => n as i32,
        Err(_) => -1,
    })
}

/// `gzputc(file, c)`: the byte written, -1 on error.
pub fn gzputc(c: C<'_>, h: u32, ch: i32) -> i32 {
    with_file(&c, h, -1, |g| {
        let b = ch as u8;
        if g.reading() {
            return -1;
        }
        match g.write(&[b]) {
            Ok(1) => i32::from(b),
            _ => -1,
        }
    })
}

/// `gzgetc(file)` and `gzgetc_`: the next byte, -1 at the end or on error.
pub fn gzgetc(c: C<'_>, h: u32) -> i32 {
    with_file(&c, h, -1, |g| {
        if !g.reading() {
            return -1;
        }
        let mut b = [0u8];
        match g.read(&mut b) {
            Ok(1) => i32::from(b[0]),
            _ => -1,
        }
    })
}

/// `gzungetc(c, file)`: `c`, or -1.
pub fn gzungetc(c: C<'_>, ch: i32, h: u32) -> i32 {
    with_file(&c, h, -1, |g| {
        if ch < 0 || !g.reading() {
            return -1;
        }
        match g.unget(ch as u8) {
            Ok(()) => ch,
            Err(_) => -1,
        }
    })
}

/// `gzflush(file, flush)`.
pub fn gzflush(c: C<'_>, h: u32, flush: i32) -> i32 {
    with_file(&c, h, Z_STREAM_ERROR, |g| g.flush(flush))
}

/// `gzseek(file, offset, whence)`: the new position, -1 on error.
pub fn gzseek(c: C<'_>, h: u32, offset: i32, whence: i32) -> i32 {
    with_file(&c, h, -1, |g| match g.seek(offset.into(), whence) {
        Ok(p) => i32::try_from(p).unwrap_or(-1),
        Err(_) => -1,
    })
}

/// `gzrewind(file)`: 0, or -1 (writing).
pub fn gzrewind(c: C<'_>, h: u32) -> i32 {
    with_file(&c, h, -1, |g| if g.rewind().is_ok() { 0 } else { -1 })
}

/// `gztell(file)`.
pub fn gztell(c: C<'_>, h: u32) -> i32 {
    with_file(&c, h, -1, |g| i32::try_from(g.tell()).unwrap_or(-1))
}

/// `gzoffset(file)`.
pub fn gzoffset(c: C<'_>, h: u32) -> i32 {
    with_file(&c, h, -1, |g| i32::try_from(g.offset()).unwrap_or(-1))
}

/// `gzeof(file)`.
pub fn gzeof(c: C<'_>, h: u32) -> i32 {
    with_file(&c, h, 0, |g| i32::from(g.eof()))
}

/// `gzdirect(file)`.
pub fn gzdirect(c: C<'_>, h: u32) -> i32 {
    with_file(&c, h, 0, |g| i32::from(g.direct()))
}

/// Closes `h` if `want` accepts it (reading or not); zlib's code.
fn close(c: &C<'_>, h: u32, want: fn(bool) -> bool) -> i32 {
    let mut files = c.state().files();
    match files.files.get(&h) {
        Some(g) if want(g.reading()) => {}
        _ => return Z_STREAM_ERROR,
    }
    let Some(g) = files.files.remove(&h) else {
        return Z_STREAM_ERROR;
    };
    drop(files);
    g.close()
}

/// `gzclose(file)`.
pub fn gzclose(c: C<'_>, h: u32) -> i32 {
    close(&c, h, |_| true)
}

/// `gzclose_r(file)`: reading files only.
pub fn gzclose_r(c: C<'_>, h: u32) -> i32 {
    close(&c, h, |reading| reading)
}

/// `gzclose_w(file)`: writing files only.
pub fn gzclose_w(c: C<'_>, h: u32) -> i32 {
    close(&c, h, |reading| !reading)
}

/// `gzclearerr(file)`.
pub fn gzclearerr(c: C<'_>, h: u32) {
    with_file(&c, h, (), GzFile::clear_error);
}
