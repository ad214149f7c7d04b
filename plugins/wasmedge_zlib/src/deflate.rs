//! One compression stream: zlib-rs's [`Deflate`] plus what zlib's `deflate*` calls keep around
//! it (the check value, the gzip framing, the window for `deflateGetDictionary`).
//!
//! zlib and raw streams are framed by zlib-rs. A gzip stream is compressed raw by zlib-rs and
//! framed here, header and trailer byte for byte as zlib writes them, so that
//! `deflateSetHeader`'s fields (which zlib-rs's safe API cannot take) are honoured.

use zlib_rs::{Deflate, DeflateConfig, DeflateFlush, Method, Strategy};

use crate::errno::{self, Z_BUF_ERROR, Z_OK, Z_STREAM_END, Z_STREAM_ERROR};
use crate::history::History;
use crate::replay::Log;

/// A call on the engine, recorded for `deflateCopy`.
#[derive(Debug, Clone)]
enum Op {
    /// `compress(input, output of this length, flush)`.
    Compress(Vec<u8>, usize, DeflateFlush),
    /// `set_dictionary`.
    Dictionary(Vec<u8>),
    /// `set_level`.
    Level(i32),
}

/// `Z_DEFAULT_COMPRESSION`.
const DEFAULT_LEVEL: i32 = -1;
/// zlib's `OS_CODE` on Unix, which the gzip header carries (WasmEdge runs zlib on the host).
const OS_UNIX: u8 = 3;
/// `Z_UNKNOWN`, the `data_type` before deflate has looked at the data.
pub const Z_UNKNOWN: i32 = 2;

/// The framing of a stream, from the sign and range of `windowBits`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wrap {
    /// No header or trailer (`windowBits` -8..-15).
    Raw,
    /// A zlib header and Adler-32 trailer (8..15).
    Zlib,
    /// A gzip header and CRC-32 trailer (24..31).
    Gzip,
}

/// The parameters of `deflateInit2`, checked as zlib checks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    /// 0..=9 (`Z_DEFAULT_COMPRESSION` is stored as 6).
    pub level: i32,
    /// The window's log2 size, 9..=15 (zlib turns 8 into 9).
    pub window_bits: i32,
    /// The framing.
    pub wrap: Wrap,
    /// 1..=9.
    pub mem_level: i32,
    /// 0..=4.
    pub strategy: i32,
}

impl Params {
    /// Checks `deflateInit2`'s arguments; `None` is zlib's `Z_STREAM_ERROR`.
    #[must_use]
    pub fn new(
        level: i32,
        method: i32,
        window_bits: i32,
        mem_level: i32,
        strategy: i32,
    ) -> Option<Self> {
        let level = if level == DEFAULT_LEVEL { 6 } else { level };
        let (wrap, bits) = if window_bits < 0 {
            (Wrap::Raw, window_bits.checked_neg()?)
        } else if window_bits > 15 {
            (Wrap::Gzip, window_bits - 16)
        } else {
            (Wrap::Zlib, window_bits)
        };
        let ok = method == 8
            && (1..=9).contains(&mem_level)
            && (8..=15).contains(&bits)
            && (0..=9).contains(&level)
            && (0..=4).contains(&strategy)
            && !(bits == 8 && wrap != Wrap::Zlib);
        ok.then_some(Self {
            level,
            window_bits: bits.max(9),
            wrap,
            mem_level,
            strategy,
        })
    }

    /// `deflateInit`'s parameters for `level`.
    #[must_use]
    pub fn with_level(level: i32) -> Option<Self> {
        Self::new(level, 8, 15, 8, 0)
    }

    /// zlib-rs's configuration: raw for gzip, which is framed here.
    fn config(&self) -> DeflateConfig {
        let bits = match self.wrap {
            Wrap::Zlib => self.window_bits,
            Wrap::Raw | Wrap::Gzip => -self.window_bits,
        };
        DeflateConfig {
            level: self.level,
            method: Method::Deflated,
            window_bits: bits,
            mem_level: self.mem_level,
            strategy: strategy(self.strategy),
        }
    }

    /// The gzip header's `XFL` byte as zlib computes it.
    fn xfl(&self) -> u8 {
        if self.level == 9 {
            2
        } else if self.strategy >= 2 || self.level < 2 {
            4
        } else {
            0
        }
    }
}

/// zlib-rs's strategy for a checked 0..=4.
fn strategy(s: i32) -> Strategy {
    match s {
        1 => Strategy::Filtered,
        2 => Strategy::HuffmanOnly,
        3 => Strategy::Rle,
        4 => Strategy::Fixed,
        _ => Strategy::Default,
    }
}

/// A flush value of `deflate`, or `None` for one zlib rejects with `Z_STREAM_ERROR`.
#[must_use]
pub fn flush(value: i32) -> Option<DeflateFlush> {
    Some(match value {
        0 => DeflateFlush::NoFlush,
        1 => DeflateFlush::PartialFlush,
        2 => DeflateFlush::SyncFlush,
        3 => DeflateFlush::FullFlush,
        4 => DeflateFlush::Finish,
        5 => DeflateFlush::Block,
        _ => return None,
    })
}

/// The gzip header fields of `deflateSetHeader`, read from the guest when the header is
/// written (as zlib reads them at the first `deflate`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GzHeaderOut {
    /// `text`.
    pub text: bool,
    /// `time`.
    pub time: u32,
    /// `os`.
    pub os: u8,
    /// `extra` (its first `extra_len` bytes), when not NULL.
    pub extra: Option<Vec<u8>>,
    /// `name` without its NUL, when not NULL.
    pub name: Option<Vec<u8>>,
    /// `comment` without its NUL, when not NULL.
    pub comment: Option<Vec<u8>>,
    /// `hcrc`.
    pub hcrc: bool,
}

/// The result of one step: bytes consumed and produced, and zlib's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// Input bytes consumed.
    pub consumed: usize,
    /// Output bytes written.
    pub produced: usize,
    /// zlib's return code.
    pub code: i32,
}

/// A compression stream.
pub struct Deflater {
    engine: Deflate,
    params: Params,
    /// The parameters the engine was made with, and the calls made on it since.
    base: Params,
    log: Log<Op>,
    /// The gzip header to write, set by `deflateSetHeader` (the guest address of its
    /// `gz_header`, read when the header is written).
    pub header_at: Option<u32>,
    /// Whether the first `deflate` call happened (the header was written).
    started: bool,
    /// Framing bytes made here and not yet delivered.
    pending: Vec<u8>,
    /// The trailer was made: the stream is finished.
    finished: bool,
    /// `Z_FINISH` was given with all the input: zlib's `FINISH_STATE`, after which only
    /// `Z_FINISH` is accepted.
    finishing: bool,
    /// `strm->adler`: Adler-32 (zlib) or CRC-32 (gzip) of the input.
    pub check: u32,
    /// Bytes consumed since the last reset, for the gzip trailer.
    consumed: u64,
    /// The last window's worth of dictionary and input.
    history: History,
    /// `deflateSetDictionary` was called (the zlib header then names it).
    dictionary_set: bool,
}

impl Deflater {
    /// A new stream with `params`.
    #[must_use]
    pub fn new(params: Params) -> Self {
        Self {
            engine: Deflate::new_with_config(params.config()),
            params,
            base: params,
            log: Log::default(),
            header_at: None,
            started: false,
            pending: Vec::new(),
            finished: false,
            finishing: false,
            check: initial_check(params.wrap),
            consumed: 0,
            history: History::new(1 << params.window_bits),
            dictionary_set: false,
        }
    }

    /// The stream's parameters.
    #[must_use]
    pub fn params(&self) -> Params {
        self.params
    }

    /// Whether the stream ended (`Z_STREAM_END` was reached).
    #[must_use]
    pub fn finished(&self) -> bool {
        self.finished && self.pending.is_empty()
    }

    /// Whether `Z_FINISH` was given (zlib then refuses other flush values).
    #[must_use]
    pub fn finishing(&self) -> bool {
        self.finishing || self.finished
    }

    /// Whether the stream was started (a `deflate` call wrote its header).
    #[must_use]
    pub fn started(&self) -> bool {
        self.started
    }

    /// `deflateReset`: a new stream with the same parameters (the gzip header stays set, as in
    /// zlib).
    pub fn reset(&mut self) {
        self.engine.reset();
        self.base = self.params;
        self.log.clear();
        self.started = false;
        self.pending.clear();
        self.finished = false;
        self.finishing = false;
        self.check = initial_check(self.params.wrap);
        self.consumed = 0;
        self.history.clear();
        self.dictionary_set = false;
    }

    /// One step of `deflate`: writes pending framing, then compresses. `header` is called, once,
    /// for the gzip header fields when `header_at` is set.
    pub fn step(
        &mut self,
        input: &[u8],
        output: &mut [u8],
        flush: DeflateFlush,
        header: &mut dyn FnMut(u32) -> Option<GzHeaderOut>,
    ) -> Step {
        let mut produced = 0;
        if !self.started {
            self.started = true;
            match self.params.wrap {
                Wrap::Gzip => {
                    let fields = self.header_at.and_then(&mut *header);
                    self.pending = gzip_header(&self.params, fields.as_ref());
                    self.check = 0;
                }
                // The zlib header is written now: from here the check is the input's.
                Wrap::Zlib => self.check = 1,
                Wrap::Raw => {}
            }
        }
        produced += drain(&mut self.pending, output);
        if !self.pending.is_empty() {
            return Step {
                consumed: 0,
                produced,
                code: Z_OK,
            };
        }
        if self.finished {
            let code = if !input.is_empty() {
                Z_BUF_ERROR
            } else if flush == DeflateFlush::Finish {
                Z_STREAM_END
            } else {
                Z_OK
            };
            return Step {
                consumed: 0,
                produced,
                code,
            };
        }
        let out = &mut output[produced..];
        if out.is_empty() {
            return Step {
                consumed: 0,
                produced,
                code: Z_BUF_ERROR,
            };
        }
        let (in0, out0) = (self.engine.total_in(), self.engine.total_out());
        if self.log.recording() {
            self.log
                .push(Op::Compress(input.to_vec(), out.len(), flush), input.len());
        }
        let result = self.engine.compress(input, out, flush);
        let consumed = usize::try_from(self.engine.total_in() - in0).unwrap_or(0);
        let made = usize::try_from(self.engine.total_out() - out0).unwrap_or(0);
        produced += made;
        let fed = &input[..consumed.min(input.len())];
        if flush == DeflateFlush::Finish && fed.len() == input.len() {
            self.finishing = true;
        }
        self.consumed += fed.len() as u64;
        self.history.push(fed);
        match self.params.wrap {
            Wrap::Zlib => self.check = zlib_rs::adler32::adler32(self.check, fed),
            Wrap::Gzip => self.check = zlib_rs::crc32::crc32(self.check, fed),
            Wrap::Raw => {}
        }
        let mut code = match result {
            Ok(s) => errno::status(s),
            Err(e) => errno::deflate_error(e),
        };
        if code == Z_STREAM_END {
            if self.params.wrap == Wrap::Gzip {
                self.pending.extend_from_slice(&self.check.to_le_bytes());
                // ISIZE is the input length modulo 2^32.
                self.pending
                    .extend_from_slice(&(self.consumed as u32).to_le_bytes());
                produced += drain(&mut self.pending, &mut output[produced..]);
                if !self.pending.is_empty() {
                    code = Z_OK;
                }
            }
            self.finished = true;
        }
        Step {
            consumed,
            produced,
            code,
        }
    }

    /// `deflateSetDictionary`: `Z_STREAM_ERROR` where zlib gives it (gzip, or after the first
    /// `deflate` of a zlib stream).
    pub fn set_dictionary(&mut self, dictionary: &[u8]) -> i32 {
        match self.params.wrap {
            Wrap::Gzip => return Z_STREAM_ERROR,
            Wrap::Zlib if self.started => return Z_STREAM_ERROR,
            _ => {}
        }
        self.log
            .push(Op::Dictionary(dictionary.to_vec()), dictionary.len());
        match self.engine.set_dictionary(dictionary) {
            Ok(adler) => {
                if self.params.wrap == Wrap::Zlib {
                    self.check = adler;
                }
                self.dictionary_set = true;
                self.history.push(dictionary);
                Z_OK
            }
            Err(e) => errno::deflate_error(e),
        }
    }

    /// `deflateGetDictionary`: the last window's worth of dictionary and input.
    #[must_use]
    pub fn dictionary(&self) -> Vec<u8> {
        self.history.contents()
    }

    /// `deflateParams` once pending input was flushed: a new level (and strategy). Before any
    /// input, the stream is rebuilt with both, exactly; after, only the level can change
    /// (zlib-rs's safe API), and the strategy becomes the default one.
    pub fn set_params(&mut self, level: i32, strategy: i32) -> i32 {
        let level = if level == DEFAULT_LEVEL { 6 } else { level };
        if !(0..=9).contains(&level) || !(0..=4).contains(&strategy) {
            return Z_STREAM_ERROR;
        }
        if self.consumed == 0 && !self.dictionary_set && self.pending.is_empty() {
            let started = self.started;
            let check = self.check;
            self.params.level = level;
            self.params.strategy = strategy;
            self.engine = Deflate::new_with_config(self.params.config());
            self.base = self.params;
            self.log.clear();
            self.started = started;
            self.check = check;
            return Z_OK;
        }
        if level == self.params.level && strategy == self.params.strategy {
            return Z_OK;
        }
        self.log.push(Op::Level(level), 0);
        match self.engine.set_level(level) {
            Ok(s) => {
                self.params.level = level;
                self.params.strategy = 0;
                errno::status(s)
            }
            Err(e) => errno::deflate_error(e),
        }
    }

    /// `deflateCopy`: a stream in the same state, made by replaying the engine's calls; `None`
    /// once the stream was given more than the replay log keeps.
    #[must_use]
    pub fn try_clone(&self) -> Option<Self> {
        let ops = self.log.ops()?;
        let mut engine = Deflate::new_with_config(self.base.config());
        let mut out = Vec::new();
        for op in ops {
            match op {
                Op::Compress(input, len, flush) => {
                    out.resize(*len, 0);
                    let _ = engine.compress(input, &mut out, *flush);
                }
                Op::Dictionary(d) => {
                    let _ = engine.set_dictionary(d);
                }
                Op::Level(l) => {
                    let _ = engine.set_level(*l);
                }
            }
        }
        Some(Self {
            engine,
            params: self.params,
            base: self.base,
            log: self.log.clone(),
            header_at: self.header_at,
            started: self.started,
            pending: self.pending.clone(),
            finished: self.finished,
            finishing: self.finishing,
            check: self.check,
            consumed: self.consumed,
            history: self.history.clone(),
            dictionary_set: self.dictionary_set,
        })
    }

    /// Framing bytes made and not yet delivered, for `deflatePending`.
    #[must_use]
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// `deflateBound` for this stream, as zlib 1.2.13 computes it.
    #[must_use]
    pub fn bound(&self, source_len: u64, header: Option<&GzHeaderOut>) -> u64 {
        let wrap_len = match self.params.wrap {
            Wrap::Raw => 0,
            Wrap::Zlib => {
                6 + if self.dictionary_set || self.consumed > 0 {
                    4
                } else {
                    0
                }
            }
            Wrap::Gzip => {
                let mut n = 18;
                if let Some(h) = header {
                    if let Some(e) = &h.extra {
                        n += 2 + e.len() as u64;
                    }
                    n += h.name.as_ref().map_or(0, |s| s.len() as u64 + 1);
                    n += h.comment.as_ref().map_or(0, |s| s.len() as u64 + 1);
                    if h.hcrc {
                        n += 2;
                    }
                }
                n
            }
        };
        let hash_bits = self.params.mem_level + 7;
        if self.params.window_bits != 15 || hash_bits != 15 {
            let base = if self.params.window_bits <= hash_bits && self.params.level != 0 {
                fixed_len(source_len)
            } else {
                stored_len(source_len)
            };
            return base + wrap_len;
        }
        tight_len(source_len) - 6 + wrap_len
    }
}

/// `strm->adler` after `deflateReset`.
fn initial_check(wrap: Wrap) -> u32 {
    match wrap {
        Wrap::Gzip => 0,
        Wrap::Zlib | Wrap::Raw => 1,
    }
}

/// Moves as much of `pending` as fits into `output`; returns the count.
fn drain(pending: &mut Vec<u8>, output: &mut [u8]) -> usize {
    let n = pending.len().min(output.len());
    output[..n].copy_from_slice(&pending[..n]);
    pending.drain(..n);
    n
}

/// The gzip header zlib writes for `params`, with `fields` from `deflateSetHeader` if any.
fn gzip_header(params: &Params, fields: Option<&GzHeaderOut>) -> Vec<u8> {
    let xfl = params.xfl();
    let Some(h) = fields else {
        return vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, OS_UNIX];
    };
    let flags = u8::from(h.text)
        | if h.hcrc { 2 } else { 0 }
        | if h.extra.is_some() { 4 } else { 0 }
        | if h.name.is_some() { 8 } else { 0 }
        | if h.comment.is_some() { 16 } else { 0 };
    let mut out = vec![0x1f, 0x8b, 8, flags];
    out.extend_from_slice(&h.time.to_le_bytes());
    out.push(xfl);
    out.push(h.os);
    if let Some(e) = &h.extra {
        let n = e.len().min(0xffff);
        out.extend_from_slice(&(n as u16).to_le_bytes());
        out.extend_from_slice(&e[..n]);
    }
    for s in [&h.name, &h.comment].into_iter().flatten() {
        out.extend_from_slice(s);
        out.push(0);
    }
    if h.hcrc {
        let crc = zlib_rs::crc32::crc32(0, &out);
        out.extend_from_slice(&(crc as u16).to_le_bytes());
    }
    out
}

/// zlib 1.2.13's bound for fixed blocks.
fn fixed_len(n: u64) -> u64 {
    n + (n >> 3) + (n >> 8) + (n >> 9) + 4
}

/// zlib 1.2.13's bound for stored blocks.
fn stored_len(n: u64) -> u64 {
    n + (n >> 5) + (n >> 7) + (n >> 11) + 7
}

/// zlib 1.2.13's `compressBound`, the tight bound for default parameters.
#[must_use]
pub fn tight_len(n: u64) -> u64 {
    n + (n >> 12) + (n >> 14) + (n >> 25) + 13
}

/// `deflateBound` without a stream: the larger conservative bound plus a zlib wrapper.
#[must_use]
pub fn bound_without_stream(n: u64) -> u64 {
    fixed_len(n).max(stored_len(n)) + 6
}

/// zlib's `detect_data_type` over `data`: `Z_BINARY` (0) or `Z_TEXT` (1).
#[must_use]
pub fn data_type(data: &[u8]) -> i32 {
    // Bytes 0..=6, 14..=25 and 28..=31 mark binary; 9, 10, 13 and 32.. mark text.
    const BLOCK: u32 = 0xf3ff_c07f;
    if data.iter().any(|&b| b < 32 && BLOCK & (1 << b) != 0) {
        return 0;
    }
    i32::from(data.iter().any(|&b| matches!(b, 9 | 10 | 13) || b >= 32))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(d: &mut Deflater, input: &[u8]) -> Vec<u8> {
        let mut out = vec![0; 4096];
        let s = d.step(input, &mut out, DeflateFlush::Finish, &mut |_| None);
        assert_eq!(s.code, Z_STREAM_END);
        out.truncate(s.produced);
        out
    }

    #[test]
    fn params_are_checked_as_zlib_checks_them() {
        assert!(Params::new(-1, 8, 15, 8, 0).is_some());
        assert!(Params::new(10, 8, 15, 8, 0).is_none());
        assert!(Params::new(6, 7, 15, 8, 0).is_none());
        assert!(Params::new(6, 8, 16 + 8, 8, 0).is_none());
        assert!(Params::new(6, 8, -8, 8, 0).is_none());
        assert_eq!(Params::new(6, 8, 8, 8, 0).map(|p| p.window_bits), Some(9));
        assert!(Params::new(6, 8, 15, 10, 0).is_none());
        assert!(Params::new(6, 8, 15, 8, 5).is_none());
        assert!(Params::new(6, 8, i32::MIN, 8, 0).is_none());
    }

    #[test]
    fn every_configuration_zlib_accepts_makes_an_engine() {
        for wb in (-15..=-9).chain(8..=15).chain(25..=31) {
            for mem in 1..=9 {
                for strategy in 0..=4 {
                    let p = Params::new(9, 8, wb, mem, strategy).unwrap();
                    let _ = Deflater::new(p);
                }
            }
        }
    }

    #[test]
    fn a_default_gzip_header_is_zlibs() {
        let mut d = Deflater::new(Params::new(6, 8, 31, 8, 0).unwrap());
        let out = run(&mut d, b"hello hello hello");
        assert_eq!(&out[..10], &[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
        let crc = zlib_rs::crc32::crc32(0, b"hello hello hello");
        assert_eq!(&out[out.len() - 8..out.len() - 4], &crc.to_le_bytes());
        assert_eq!(&out[out.len() - 4..], &17u32.to_le_bytes());
        assert_eq!(d.check, crc);
    }

    #[test]
    fn the_zlib_check_is_the_inputs_adler32() {
        let mut d = Deflater::new(Params::with_level(9).unwrap());
        let out = run(&mut d, b"abc");
        assert_eq!(d.check, 0x024d_0127);
        assert_eq!(&out[out.len() - 4..], &0x024d_0127u32.to_be_bytes());
    }

    #[test]
    fn a_copy_goes_on_as_the_original() {
        let data: Vec<u8> = (0..50_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut d = Deflater::new(Params::with_level(6).unwrap());
        let mut out = vec![0; 100_000];
        let s = d.step(
            &data[..20_000],
            &mut out,
            DeflateFlush::NoFlush,
            &mut |_| None,
        );
        let mut e = d.try_clone().unwrap();
        let mut a = vec![0; 100_000];
        let mut b = vec![0; 100_000];
        let sa = d.step(
            &data[s.consumed..],
            &mut a,
            DeflateFlush::Finish,
            &mut |_| None,
        );
        let sb = e.step(
            &data[s.consumed..],
            &mut b,
            DeflateFlush::Finish,
            &mut |_| None,
        );
        assert_eq!((sa.code, sa.produced), (sb.code, sb.produced));
        assert_eq!(a[..sa.produced], b[..sb.produced]);
        assert_eq!(d.check, e.check);
    }

    #[test]
    fn data_type_detection() {
        assert_eq!(data_type(b"plain text\n"), 1);
        assert_eq!(data_type(&[0, 1, 2]), 0);
        assert_eq!(data_type(b""), 0);
    }
}
