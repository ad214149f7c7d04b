//! One gz file: zlib's `gzFile` state over a host file the guest was allowed to open. Reading
//! decodes gzip members one after another (a file that is not gzip is read as it is, as zlib's
//! "direct" mode does); writing makes one gzip member per open.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};

use zlib_rs::{DeflateFlush, InflateFlush};

use crate::deflate::{Deflater, Params};
use crate::errno::{Z_BUF_ERROR, Z_DATA_ERROR, Z_ERRNO, Z_OK, Z_STREAM_END, Z_STREAM_ERROR};
use crate::inflate::{Inflater, Wrap};

/// How many bytes are read from or written to the file at a time.
const IO_CHUNK: usize = 64 << 10;

/// What `gzopen`'s mode string asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mode {
    /// Reading (`r`), else writing (`w`) or appending (`a`).
    pub read: bool,
    /// `a`.
    pub append: bool,
    /// `x`: fail if the file exists.
    pub exclusive: bool,
    /// The digit given, or -1.
    pub level: i32,
    /// `f`, `h`, `R`, `F`, or 0.
    pub strategy: i32,
    /// `T`: write without compression.
    pub transparent: bool,
}

impl Mode {
    /// Parses a mode as zlib's `gz_open` does; `None` where it fails (no `r`, `w` or `a`, or a
    /// `+`).
    #[must_use]
    pub fn parse(mode: &[u8]) -> Option<Self> {
        let mut m = Mode {
            read: false,
            append: false,
            exclusive: false,
            level: -1,
            strategy: 0,
            transparent: false,
        };
        let mut which = None;
        for &c in mode {
            match c {
                b'0'..=b'9' => m.level = i32::from(c - b'0'),
                b'r' => which = Some(b'r'),
                b'w' => which = Some(b'w'),
                b'a' => which = Some(b'a'),
                b'+' => return None,
                b'x' => m.exclusive = true,
                b'f' => m.strategy = 1,
                b'h' => m.strategy = 2,
                b'R' => m.strategy = 3,
                b'F' => m.strategy = 4,
                b'T' => m.transparent = true,
                _ => {}
            }
        }
        match which? {
            b'r' => m.read = true,
            b'a' => m.append = true,
            _ => {}
        }
        Some(m)
    }
}

/// The reading side.
struct Reader {
    /// Compressed bytes read from the file and not yet consumed.
    input: Vec<u8>,
    in_pos: usize,
    /// Decoded bytes not yet given out (also where `gzungetc` pushes back).
    output: Vec<u8>,
    out_pos: usize,
    inflater: Inflater,
    /// Whether the first bytes were looked at (gzip or direct).
    looked: bool,
    /// The file is not gzip: bytes are copied.
    direct: bool,
    /// A member is being decoded.
    in_member: bool,
    /// The file has no more data.
    eof: bool,
    /// A read went past the end (`gzeof`).
    past: bool,
    /// Compressed bytes consumed from the file.
    consumed: u64,
}

/// The writing side.
struct Writer {
    deflater: Deflater,
    transparent: bool,
    /// Bytes written to the file by this open.
    written: u64,
    /// The file's length when it was opened for appending.
    start: u64,
}

/// An open gz file.
pub struct GzFile {
    file: File,
    reader: Option<Reader>,
    writer: Option<Writer>,
    /// Uncompressed position (`gztell`).
    pos: u64,
    /// zlib's error state (`Z_OK` when none); `gzclearerr` clears it.
    err: i32,
    /// A read or write happened (`gzbuffer` is then refused).
    used: bool,
    params: (i32, i32),
    /// The output buffer compression reuses (so `gzputc` in a loop allocates nothing).
    scratch: Vec<u8>,
}

impl GzFile {
    /// A gz file over `file`, opened as `mode` says.
    pub fn new(file: File, mode: Mode) -> Result<Self, i32> {
        let mut g = Self {
            file,
            reader: None,
            writer: None,
            pos: 0,
            err: Z_OK,
            used: false,
            params: (mode.level, mode.strategy),
            scratch: Vec::new(),
        };
        if mode.read {
            g.reader = Some(Reader {
                input: Vec::new(),
                in_pos: 0,
                output: Vec::new(),
                out_pos: 0,
                inflater: Inflater::new(Wrap::Gzip, 15),
                looked: false,
                direct: false,
                in_member: false,
                eof: false,
                past: false,
                consumed: 0,
            });
        } else {
            let params = Params::new(mode.level, 8, 31, 8, mode.strategy).ok_or(Z_STREAM_ERROR)?;
            let start = if mode.append {
                g.file.seek(SeekFrom::End(0)).map_err(|_| Z_ERRNO)?
            } else {
                0
            };
            g.writer = Some(Writer {
                deflater: Deflater::new(params),
                transparent: mode.transparent,
                written: 0,
                start,
            });
        }
        Ok(g)
    }

    /// Whether the file is open for reading.
    #[must_use]
    pub fn reading(&self) -> bool {
        self.reader.is_some()
    }

    // ---- reading ----

    /// Makes more decoded bytes available; `Ok(false)` at the end of the data.
    fn fill(&mut self) -> Result<bool, i32> {
        let Some(r) = self.reader.as_mut() else {
            return Err(Z_STREAM_ERROR);
        };
        r.output.clear();
        r.out_pos = 0;
        let mut starved = false;
        loop {
            if (starved || r.in_pos + 2 > r.input.len()) && !r.eof {
                starved = false;
                r.input.drain(..r.in_pos);
                r.in_pos = 0;
                let at = r.input.len();
                r.input.resize(at + IO_CHUNK, 0);
                let n = self.file.read(&mut r.input[at..]).map_err(|_| Z_ERRNO)?;
                r.input.truncate(at + n);
                if n == 0 {
                    r.eof = true;
                }
                continue;
            }
            let avail = &r.input[r.in_pos..];
            if !r.looked {
                r.looked = true;
                r.direct = !(avail.len() >= 2 && avail[..2] == [0x1f, 0x8b]);
            }
            if r.direct {
                if avail.is_empty() {
                    return Ok(false);
                }
                r.output.extend_from_slice(avail);
                r.consumed += avail.len() as u64;
                r.in_pos = r.input.len();
                return Ok(true);
            }
            if !r.in_member {
                // A further member starts only with the gzip magic; anything else ends the data.
                if avail.len() < 2 || avail[..2] != [0x1f, 0x8b] {
                    return Ok(false);
                }
                r.in_member = true;
                r.inflater.reset();
            }
            if avail.is_empty() {
                // The file ended inside a member.
                return Err(Z_BUF_ERROR);
            }
            r.output.resize(IO_CHUNK, 0);
            let s = r.inflater.step(avail, &mut r.output, InflateFlush::NoFlush);
            r.output.truncate(s.produced);
            r.in_pos += s.consumed;
            r.consumed += s.consumed as u64;
            match s.code {
                Z_STREAM_END => r.in_member = false,
                Z_OK | Z_BUF_ERROR if s.consumed == 0 && s.produced == 0 => {
                    if r.eof {
                        // The file ended inside a member.
                        return Err(Z_BUF_ERROR);
                    }
                    starved = true;
                }
                Z_OK | Z_BUF_ERROR => {}
                _ => return Err(Z_DATA_ERROR),
            }
            if !r.output.is_empty() {
                return Ok(true);
            }
        }
    }

    /// Reads up to `buf.len()` decoded bytes; 0 at the end. An error is remembered.
    pub fn read(&mut self, buf: &mut [u8]) -> Result<usize, i32> {
        if self.err != Z_OK && self.err != Z_BUF_ERROR {
            return Err(self.err);
        }
        self.used = true;
        let mut n = 0;
        while n < buf.len() {
            let Some(r) = self.reader.as_mut() else {
                return Err(Z_STREAM_ERROR);
            };
            if r.out_pos < r.output.len() {
                let k = (r.output.len() - r.out_pos).min(buf.len() - n);
                buf[n..n + k].copy_from_slice(&r.output[r.out_pos..r.out_pos + k]);
                r.out_pos += k;
                n += k;
                continue;
            }
            match self.fill() {
                Ok(true) => {}
                Ok(false) => {
                    if let Some(r) = self.reader.as_mut() {
                        r.past = true;
                    }
                    break;
                }
                Err(e) => {
                    self.err = e;
                    if n == 0 {
                        return Err(e);
                    }
                    break;
                }
            }
        }
        self.pos += n as u64;
        Ok(n)
    }

    /// `gzungetc`: pushes `c` back in front of the data.
    pub fn unget(&mut self, c: u8) -> Result<(), i32> {
        let r = self.reader.as_mut().ok_or(Z_STREAM_ERROR)?;
        if r.out_pos > 0 {
            r.out_pos -= 1;
            r.output[r.out_pos] = c;
        } else {
            r.output.insert(0, c);
        }
        r.past = false;
        self.pos = self.pos.saturating_sub(1);
        Ok(())
    }

    /// `gzeof`.
    #[must_use]
    pub fn eof(&self) -> bool {
        self.reader.as_ref().is_some_and(|r| r.past)
    }

    /// `gzdirect`: for reading, looks at the first bytes if not yet done.
    pub fn direct(&mut self) -> bool {
        if let Some(w) = &self.writer {
            return w.transparent;
        }
        if self.reader.as_ref().is_some_and(|r| !r.looked) {
            match self.fill() {
                Ok(_) => {}
                Err(e) => self.err = e,
            }
            // What `fill` decoded stays available: it was never given out.
        }
        self.reader.as_ref().is_some_and(|r| r.direct)
    }

    /// `gzrewind`: back to the start (reading only).
    pub fn rewind(&mut self) -> Result<(), i32> {
        let r = self.reader.as_mut().ok_or(Z_STREAM_ERROR)?;
        self.file.seek(SeekFrom::Start(0)).map_err(|_| Z_ERRNO)?;
        r.input.clear();
        r.in_pos = 0;
        r.output.clear();
        r.out_pos = 0;
        r.looked = false;
        r.direct = false;
        r.in_member = false;
        r.eof = false;
        r.past = false;
        r.consumed = 0;
        r.inflater.reset();
        self.pos = 0;
        self.err = Z_OK;
        Ok(())
    }

    /// `gzseek`: to an uncompressed position (`whence` 0 or 1; 2 is refused as in zlib).
    /// Reading moves back by rewinding and forward by decoding; writing moves only forward, by
    /// writing zeros.
    pub fn seek(&mut self, offset: i64, whence: i32) -> Result<u64, i32> {
        if self.err != Z_OK && self.err != Z_BUF_ERROR {
            return Err(self.err);
        }
        let target = match whence {
            0 => offset,
            1 => i64::try_from(self.pos).map_err(|_| Z_STREAM_ERROR)? + offset,
            _ => return Err(Z_STREAM_ERROR),
        };
        let target = u64::try_from(target).map_err(|_| Z_STREAM_ERROR)?;
        if self.reading() {
            if target < self.pos {
                self.rewind()?;
            }
            let mut skip = vec![0u8; IO_CHUNK];
            while self.pos < target {
                let want = usize::try_from(target - self.pos)
                    .unwrap_or(IO_CHUNK)
                    .min(IO_CHUNK);
                if self.read(&mut skip[..want])? == 0 {
                    break;
                }
            }
            Ok(self.pos)
        } else {
            if target < self.pos {
                return Err(Z_STREAM_ERROR);
            }
            let zeros = vec![0u8; IO_CHUNK];
            while self.pos < target {
                let n = usize::try_from(target - self.pos)
                    .unwrap_or(IO_CHUNK)
                    .min(IO_CHUNK);
                self.write(&zeros[..n])?;
            }
            Ok(self.pos)
        }
    }

    /// `gztell`.
    #[must_use]
    pub fn tell(&self) -> u64 {
        self.pos
    }

    /// `gzoffset`: the compressed bytes read, or written (after the start when appending).
    #[must_use]
    pub fn offset(&self) -> u64 {
        match (&self.reader, &self.writer) {
            (Some(r), _) => r.consumed,
            (_, Some(w)) => w.start + w.written,
            _ => 0,
        }
    }

    // ---- writing ----

    /// Compresses `data` with `flush` and writes what comes out.
    fn deflate(&mut self, data: &[u8], flush: DeflateFlush) -> Result<(), i32> {
        let w = self.writer.as_mut().ok_or(Z_STREAM_ERROR)?;
        if w.transparent {
            self.file.write_all(data).map_err(|_| Z_ERRNO)?;
            w.written += data.len() as u64;
            return Ok(());
        }
        let mut out = std::mem::take(&mut self.scratch);
        out.resize(IO_CHUNK, 0);
        let mut at = 0;
        let result = loop {
            let s = w.deflater.step(&data[at..], &mut out, flush, &mut |_| None);
            at += s.consumed;
            if self.file.write_all(&out[..s.produced]).is_err() {
                break Err(Z_ERRNO);
            }
            w.written += s.produced as u64;
            match s.code {
                Z_OK | Z_BUF_ERROR | Z_STREAM_END => {}
                e => break Err(e),
            }
            let done = at == data.len() && (s.produced < out.len() || s.code == Z_STREAM_END);
            if done || (s.consumed == 0 && s.produced == 0) {
                break Ok(());
            }
        };
        self.scratch = out;
        result
    }

    /// `gzwrite`: compresses `data`; the bytes taken.
    pub fn write(&mut self, data: &[u8]) -> Result<usize, i32> {
        if self.err != Z_OK {
            return Err(self.err);
        }
        self.used = true;
        if let Err(e) = self.deflate(data, DeflateFlush::NoFlush) {
            self.err = e;
            return Err(e);
        }
        self.pos += data.len() as u64;
        Ok(data.len())
    }

    /// `gzflush`.
    pub fn flush(&mut self, flush: i32) -> i32 {
        if self.writer.is_none() {
            return Z_STREAM_ERROR;
        }
        if self.err != Z_OK {
            return self.err;
        }
        let Some(f) = crate::deflate::flush(flush) else {
            return Z_STREAM_ERROR;
        };
        match self.deflate(&[], f) {
            Ok(()) => Z_OK,
            Err(e) => {
                self.err = e;
                e
            }
        }
    }

    /// `gzsetparams`: the level and strategy of what follows.
    pub fn set_params(&mut self, level: i32, strategy: i32) -> i32 {
        if self.writer.is_none() {
            return Z_STREAM_ERROR;
        }
        if self.params == (level, strategy) {
            return Z_OK;
        }
        if let Err(e) = self.deflate(&[], DeflateFlush::Block) {
            self.err = e;
            return e;
        }
        let Some(w) = self.writer.as_mut() else {
            return Z_STREAM_ERROR;
        };
        let code = w.deflater.set_params(level, strategy);
        if code == Z_OK {
            self.params = (level, strategy);
        }
        code
    }

    /// `gzbuffer`: accepted before the first read or write (the host's buffers are fixed).
    pub fn buffer(&mut self, size: u32) -> i32 {
        if self.used || size.checked_mul(2).is_none() {
            -1
        } else {
            0
        }
    }

    /// `gzclearerr`.
    pub fn clear_error(&mut self) {
        self.err = Z_OK;
        if let Some(r) = self.reader.as_mut() {
            r.past = false;
            r.eof = false;
        }
    }

    /// Closes: for writing, finishes the member and flushes the file. zlib's code.
    pub fn close(mut self) -> i32 {
        if self.writer.is_some() {
            let mut code = if self.err == Z_OK { Z_OK } else { self.err };
            if code == Z_OK
                && let Err(e) = self.deflate(&[], DeflateFlush::Finish)
            {
                code = e;
            }
            if self.file.flush().is_err() {
                code = Z_ERRNO;
            }
            code
        } else if self.err == Z_BUF_ERROR {
            Z_BUF_ERROR
        } else {
            Z_OK
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("wedge-gz-{name}-{}", std::process::id()))
    }

    fn open(path: &std::path::Path, mode: &str) -> GzFile {
        let m = Mode::parse(mode.as_bytes()).unwrap();
        let file = if m.read {
            File::open(path).unwrap()
        } else {
            std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .append(m.append)
                .truncate(!m.append)
                .open(path)
                .unwrap()
        };
        GzFile::new(file, m).unwrap()
    }

    #[test]
    fn modes_parse_as_zlib_parses_them() {
        let m = Mode::parse(b"wb9h").unwrap();
        assert!(!m.read && m.level == 9 && m.strategy == 2);
        assert!(Mode::parse(b"r+").is_none());
        assert!(Mode::parse(b"b").is_none());
        assert!(Mode::parse(b"a").unwrap().append);
    }

    #[test]
    fn written_members_read_back_in_sequence() {
        let p = temp("members");
        let mut w = open(&p, "w6");
        assert_eq!(w.write(b"hello "), Ok(6));
        assert_eq!(w.close(), Z_OK);
        let mut a = open(&p, "a");
        assert_eq!(a.write(b"world"), Ok(5));
        assert_eq!(a.close(), Z_OK);
        let mut r = open(&p, "r");
        assert!(!r.direct());
        let mut buf = [0u8; 64];
        let n = r.read(&mut buf).unwrap();
        let mut all = buf[..n].to_vec();
        loop {
            let n = r.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            all.extend_from_slice(&buf[..n]);
        }
        assert_eq!(all, b"hello world");
        assert!(r.eof());
        assert_eq!(r.seek(6, 0), Ok(6));
        assert_eq!(r.read(&mut buf[..5]), Ok(5));
        assert_eq!(&buf[..5], b"world");
        let _ = std::fs::remove_file(&p);
    }

    #[test]
    fn a_plain_file_reads_directly() {
        let p = temp("plain");
        std::fs::write(&p, b"not compressed").unwrap();
        let mut r = open(&p, "r");
        assert!(r.direct());
        let mut buf = [0u8; 64];
        assert_eq!(r.read(&mut buf), Ok(14));
        let _ = std::fs::remove_file(&p);
    }
}
