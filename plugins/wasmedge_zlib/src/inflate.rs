//! One decompression stream: zlib-rs's [`Inflate`] plus what zlib's `inflate*` calls keep around
//! it: the check value (`strm->adler`), the gzip header as it goes by (for
//! `inflateGetHeader`), the window (for `inflateGetDictionary`) and `inflateSync`'s search.

use zlib_rs::{Inflate, InflateError, InflateFlush};

use crate::deflate::Step;
use crate::errno::{self, Z_BUF_ERROR, Z_DATA_ERROR, Z_NEED_DICT, Z_OK};
use crate::history::History;
use crate::replay::Log;

/// A call on the engine, recorded for `inflateCopy`.
#[derive(Debug, Clone)]
enum Op {
    /// `decompress(input, output of this length, flush)`.
    Decompress(Vec<u8>, usize, InflateFlush),
    /// `set_dictionary`.
    Dictionary(Vec<u8>),
}

/// The framing an inflate stream expects, from `windowBits`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wrap {
    /// No header (-8..-15).
    Raw,
    /// zlib (0, 8..15).
    Zlib,
    /// gzip (16 + 0..15).
    Gzip,
    /// zlib or gzip, whichever the header says (32 + 0..15).
    Auto,
}

/// `inflateInit2`'s `windowBits`, checked as zlib's `inflateReset2` checks it: the framing and
/// the window's log2 size (0 for "from the zlib header").
#[must_use]
pub fn window(window_bits: i32) -> Option<(Wrap, i32)> {
    let (wrap, bits) = if window_bits < 0 {
        (Wrap::Raw, window_bits.checked_neg()?)
    } else {
        let wrap = match window_bits >> 4 {
            0 => Wrap::Zlib,
            1 => Wrap::Gzip,
            2 => Wrap::Auto,
            _ => return None,
        };
        (wrap, window_bits & 15)
    };
    let ok = if wrap == Wrap::Raw {
        (8..=15).contains(&bits)
    } else {
        bits == 0 || (8..=15).contains(&bits)
    };
    ok.then_some((wrap, bits))
}

/// A flush value of `inflate`, or `None` for one zlib rejects.
#[must_use]
pub fn flush(value: i32) -> Option<InflateFlush> {
    Some(match value {
        // Z_PARTIAL_FLUSH and Z_FULL_FLUSH act as Z_NO_FLUSH and Z_SYNC_FLUSH in inflate.
        0 | 1 => InflateFlush::NoFlush,
        2 | 3 => InflateFlush::SyncFlush,
        4 => InflateFlush::Finish,
        5 => InflateFlush::Block,
        6 => InflateFlush::Trees,
        _ => return None,
    })
}

/// A gzip header read from the stream, for `inflateGetHeader`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GzHeaderIn {
    /// FTEXT.
    pub text: bool,
    /// MTIME.
    pub time: u32,
    /// XFL.
    pub xflags: u8,
    /// OS.
    pub os: u8,
    /// The extra field, when FEXTRA.
    pub extra: Option<Vec<u8>>,
    /// The file name without its NUL, when FNAME.
    pub name: Option<Vec<u8>>,
    /// The comment without its NUL, when FCOMMENT.
    pub comment: Option<Vec<u8>>,
    /// FHCRC.
    pub hcrc: bool,
}

/// What the header watcher learned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderEvent {
    /// A complete gzip header.
    Gzip(GzHeaderIn),
    /// The stream is zlib, not gzip (auto-detection): zlib sets `done` to -1.
    NotGzip,
}

/// Where the watcher is in a gzip header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Magic,
    Fixed,
    ExtraLen,
    Extra(usize),
    Name,
    Comment,
    Crc,
    Done,
}

/// Watches the bytes inflate consumed and decodes the gzip header among them (zlib-rs parses
/// it too, but its safe API does not hand it out).
#[derive(Debug, Clone)]
struct HeaderWatch {
    field: Field,
    buf: Vec<u8>,
    flags: u8,
    header: GzHeaderIn,
    /// Only the first two bytes decide between zlib and gzip.
    auto: bool,
}

/// Names and comments are kept up to this many bytes (a guest sees at most `name_max`).
const MAX_STRING: usize = 1 << 16;

impl HeaderWatch {
    fn new(auto: bool) -> Self {
        Self {
            field: Field::Magic,
            buf: Vec::new(),
            flags: 0,
            header: GzHeaderIn::default(),
            auto,
        }
    }

    /// Feeds consumed bytes; returns an event when the header ends (or turns out not to be
    /// gzip).
    fn feed(&mut self, data: &[u8]) -> Option<HeaderEvent> {
        for &b in data {
            match self.field {
                Field::Magic => {
                    self.buf.push(b);
                    if self.buf.len() == 2 {
                        if self.buf != [0x1f, 0x8b] {
                            self.field = Field::Done;
                            return self.auto.then_some(HeaderEvent::NotGzip);
                        }
                        self.field = Field::Fixed;
                    }
                }
                Field::Fixed => {
                    self.buf.push(b);
                    if self.buf.len() == 10 {
                        let h = &mut self.header;
                        self.flags = self.buf[3];
                        h.text = self.flags & 1 != 0;
                        h.hcrc = self.flags & 2 != 0;
                        h.time = u32::from_le_bytes([
                            self.buf[4],
                            self.buf[5],
                            self.buf[6],
                            self.buf[7],
                        ]);
                        h.xflags = self.buf[8];
                        h.os = self.buf[9];
                        self.buf.clear();
                        if let Some(e) = self.next_after(Field::Fixed) {
                            return Some(e);
                        }
                    }
                }
                Field::ExtraLen => {
                    self.buf.push(b);
                    if self.buf.len() == 2 {
                        let n = usize::from(u16::from_le_bytes([self.buf[0], self.buf[1]]));
                        self.buf.clear();
                        self.header.extra = Some(Vec::with_capacity(n));
                        self.field = Field::Extra(n);
                        if n == 0
                            && let Some(e) = self.next_after(Field::Extra(0))
                        {
                            return Some(e);
                        }
                    }
                }
                Field::Extra(n) => {
                    let extra = self.header.extra.get_or_insert_with(Vec::new);
                    extra.push(b);
                    if extra.len() == n
                        && let Some(e) = self.next_after(Field::Extra(n))
                    {
                        return Some(e);
                    }
                }
                Field::Name | Field::Comment => {
                    let which = self.field;
                    let s = if which == Field::Name {
                        self.header.name.get_or_insert_with(Vec::new)
                    } else {
                        self.header.comment.get_or_insert_with(Vec::new)
                    };
                    if b == 0 {
                        if let Some(e) = self.next_after(which) {
                            return Some(e);
                        }
                    } else if s.len() < MAX_STRING {
                        s.push(b);
                    }
                }
                Field::Crc => {
                    self.buf.push(b);
                    if self.buf.len() == 2 {
                        self.field = Field::Done;
                        return Some(HeaderEvent::Gzip(self.header.clone()));
                    }
                }
                Field::Done => return None,
            }
        }
        None
    }

    /// Moves past `field` to the next one the flags call for; an event when the header ends.
    fn next_after(&mut self, field: Field) -> Option<HeaderEvent> {
        let order = [
            (Field::ExtraLen, 4u8),
            (Field::Name, 8),
            (Field::Comment, 16),
            (Field::Crc, 2),
        ];
        let start = match field {
            Field::Fixed => 0,
            Field::ExtraLen | Field::Extra(_) => 1,
            Field::Name => 2,
            Field::Comment => 3,
            _ => 4,
        };
        for &(next, bit) in &order[start..] {
            if self.flags & bit != 0 {
                self.field = next;
                if next == Field::Name {
                    self.header.name = Some(Vec::new());
                } else if next == Field::Comment {
                    self.header.comment = Some(Vec::new());
                }
                return None;
            }
        }
        self.field = Field::Done;
        Some(HeaderEvent::Gzip(self.header.clone()))
    }
}

/// A decompression stream.
pub struct Inflater {
    engine: Inflate,
    /// The framing and window the engine was made with, and the calls made on it since.
    base: (Wrap, i32),
    log: Log<Op>,
    wrap: Wrap,
    /// The window's log2 size given (0: from the zlib header).
    bits: i32,
    /// What the stream turned out to be (Auto is resolved by its first two bytes).
    detected: Option<Wrap>,
    watch: Option<HeaderWatch>,
    /// The guest's `gz_header` (its address) from `inflateGetHeader`.
    pub header_at: Option<u32>,
    /// The header event not yet written to the guest.
    event: Option<HeaderEvent>,
    /// `strm->adler`, when zlib would set it (`None` for raw streams, where it does not).
    pub check: Option<u32>,
    history: History,
    /// Bytes of the sync pattern 00 00 FF FF matched so far by `inflateSync`.
    sync_have: u8,
}

impl Inflater {
    /// A new stream for `window_bits` (checked with [`window`]).
    #[must_use]
    pub fn new(wrap: Wrap, bits: i32) -> Self {
        let mut s = Self {
            engine: engine(wrap, bits),
            base: (wrap, bits),
            log: Log::default(),
            wrap,
            bits,
            detected: None,
            watch: None,
            header_at: None,
            event: None,
            check: None,
            history: History::new(1 << if bits == 0 { 15 } else { bits }),
            sync_have: 0,
        };
        s.restart();
        s
    }

    /// The framing expected.
    #[must_use]
    pub fn wrap(&self) -> Wrap {
        self.wrap
    }

    /// Resets everything but the engine and the header address, as `inflateResetKeep` does.
    fn restart(&mut self) {
        self.detected = match self.wrap {
            Wrap::Auto => None,
            w => Some(w),
        };
        self.watch = match self.wrap {
            Wrap::Gzip => Some(HeaderWatch::new(false)),
            Wrap::Auto => Some(HeaderWatch::new(true)),
            _ => None,
        };
        self.event = None;
        self.check = match self.wrap {
            Wrap::Raw => None,
            Wrap::Gzip => Some(0),
            Wrap::Zlib | Wrap::Auto => Some(1),
        };
        self.sync_have = 0;
    }

    /// `inflateReset`.
    pub fn reset(&mut self) {
        self.engine = engine(self.wrap, self.bits);
        self.base = (self.wrap, self.bits);
        self.log.clear();
        self.history.clear();
        self.restart();
    }

    /// `inflateReset2`, with a `windowBits` already checked.
    pub fn reset2(&mut self, wrap: Wrap, bits: i32) {
        self.wrap = wrap;
        self.bits = bits;
        self.history = History::new(1 << if bits == 0 { 15 } else { bits });
        self.reset();
    }

    /// `inflateResetKeep`: a reset that keeps the window. A raw stream gets the window back as
    /// its dictionary; the others start with an empty one.
    pub fn reset_keep(&mut self) {
        let window = self.history.contents();
        self.engine = engine(self.wrap, self.bits);
        self.base = (self.wrap, self.bits);
        self.log.clear();
        if self.wrap == Wrap::Raw && !window.is_empty() {
            let _ = self.engine.set_dictionary(&window);
            let n = window.len();
            self.log.push(Op::Dictionary(window), n);
        }
        self.restart();
    }

    /// One step of `inflate`.
    pub fn step(&mut self, input: &[u8], output: &mut [u8], flush: InflateFlush) -> Step {
        let (in0, out0) = (self.engine.total_in(), self.engine.total_out());
        if self.log.recording() {
            self.log.push(
                Op::Decompress(input.to_vec(), output.len(), flush),
                input.len(),
            );
        }
        let result = self.engine.decompress(input, output, flush);
        let consumed = usize::try_from(self.engine.total_in() - in0)
            .unwrap_or(0)
            .min(input.len());
        let produced = usize::try_from(self.engine.total_out() - out0)
            .unwrap_or(0)
            .min(output.len());
        if let Some(watch) = &mut self.watch
            && let Some(event) = watch.feed(&input[..consumed])
        {
            match &event {
                HeaderEvent::Gzip(_) => {
                    self.detected = Some(Wrap::Gzip);
                    self.check = Some(0);
                }
                HeaderEvent::NotGzip => self.detected = Some(Wrap::Zlib),
            }
            self.watch = None;
            self.event = Some(event);
        }
        let out = &output[..produced];
        self.history.push(out);
        match (self.detected, &mut self.check) {
            (Some(Wrap::Zlib), Some(c)) => *c = zlib_rs::adler32::adler32(*c, out),
            (Some(Wrap::Gzip), Some(c)) => *c = zlib_rs::crc32::crc32(*c, out),
            _ => {}
        }
        let code = match result {
            Ok(s) => errno::status(s),
            Err(InflateError::NeedDict { dict_id }) => {
                self.check = Some(dict_id);
                Z_NEED_DICT
            }
            Err(e) => errno::inflate_error(e),
        };
        Step {
            consumed,
            produced,
            code,
        }
    }

    /// The header event not yet written to the guest, if a `gz_header` is registered.
    pub fn take_event(&mut self) -> Option<HeaderEvent> {
        if self.header_at.is_some() {
            self.event.take()
        } else {
            None
        }
    }

    /// `inflateSetDictionary`.
    pub fn set_dictionary(&mut self, dictionary: &[u8]) -> i32 {
        self.log
            .push(Op::Dictionary(dictionary.to_vec()), dictionary.len());
        match self.engine.set_dictionary(dictionary) {
            Ok(_) => {
                if self.check.is_some() {
                    self.check = Some(1);
                }
                self.history.push(dictionary);
                Z_OK
            }
            Err(e) => errno::inflate_error(e),
        }
    }

    /// `inflateGetDictionary`: the window.
    #[must_use]
    pub fn dictionary(&self) -> Vec<u8> {
        self.history.contents()
    }

    /// `inflateSync` over `input`: returns the bytes skipped and zlib's code. When the pattern
    /// 00 00 FF FF is found, the stream goes on as raw deflate after it, without a check, as
    /// zlib's does.
    pub fn sync(&mut self, input: &[u8]) -> (usize, i32) {
        if input.is_empty() {
            return (0, Z_BUF_ERROR);
        }
        let mut got = self.sync_have;
        let mut next = 0;
        while next < input.len() && got < 4 {
            let b = input[next];
            let want = if got < 2 { 0 } else { 0xff };
            if b == want {
                got += 1;
            } else if b != 0 {
                got = 0;
            } else {
                got = 4 - got;
            }
            next += 1;
        }
        self.sync_have = got;
        if got != 4 {
            return (next, Z_DATA_ERROR);
        }
        let bits = if self.bits == 0 { 15 } else { self.bits };
        self.engine = engine(Wrap::Raw, bits);
        self.base = (Wrap::Raw, bits);
        self.log.clear();
        self.history.clear();
        self.detected = Some(Wrap::Raw);
        self.watch = None;
        self.sync_have = 0;
        (next, Z_OK)
    }

    /// `inflateCopy`: a stream in the same state, made by replaying the engine's calls; `None`
    /// once the stream was given more than the replay log keeps.
    #[must_use]
    pub fn try_clone(&self) -> Option<Self> {
        let ops = self.log.ops()?;
        let mut e = engine(self.base.0, self.base.1);
        let mut out = Vec::new();
        for op in ops {
            match op {
                Op::Decompress(input, len, flush) => {
                    out.resize(*len, 0);
                    let _ = e.decompress(input, &mut out, *flush);
                }
                Op::Dictionary(d) => {
                    let _ = e.set_dictionary(d);
                }
            }
        }
        Some(Self {
            engine: e,
            base: self.base,
            log: self.log.clone(),
            wrap: self.wrap,
            bits: self.bits,
            detected: self.detected,
            watch: self.watch.clone(),
            header_at: self.header_at,
            event: self.event.clone(),
            check: self.check,
            history: self.history.clone(),
            sync_have: self.sync_have,
        })
    }

    /// Whether `inflateGetHeader` may register a `gz_header` (zlib wants gzip in `wrap`).
    #[must_use]
    pub fn accepts_header(&self) -> bool {
        matches!(self.wrap, Wrap::Gzip | Wrap::Auto)
    }
}

/// zlib-rs's engine for a checked framing and window size.
fn engine(wrap: Wrap, bits: i32) -> Inflate {
    // `window` checked the ranges, so these fit in a u8.
    let b = u8::try_from(bits).unwrap_or(15);
    match wrap {
        Wrap::Raw => Inflate::new(false, b),
        Wrap::Zlib => Inflate::new(true, b),
        Wrap::Gzip => Inflate::new(true, 16 + b),
        Wrap::Auto => Inflate::new(true, 32 + b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deflate::{Deflater, Params};
    use zlib_rs::DeflateFlush;

    fn deflate(window_bits: i32, data: &[u8]) -> Vec<u8> {
        let mut d = Deflater::new(Params::new(6, 8, window_bits, 8, 0).unwrap());
        let mut out = vec![0; 4096];
        let s = d.step(data, &mut out, DeflateFlush::Finish, &mut |_| None);
        out.truncate(s.produced);
        out
    }

    fn inflate(window_bits: i32, data: &[u8]) -> (Vec<u8>, Inflater, i32) {
        let (wrap, bits) = window(window_bits).unwrap();
        let mut i = Inflater::new(wrap, bits);
        let mut out = vec![0; 4096];
        let s = i.step(data, &mut out, InflateFlush::Finish);
        out.truncate(s.produced);
        (out, i, s.code)
    }

    #[test]
    fn window_bits_are_checked_as_zlib_checks_them() {
        assert_eq!(window(15), Some((Wrap::Zlib, 15)));
        assert_eq!(window(0), Some((Wrap::Zlib, 0)));
        assert_eq!(window(-8), Some((Wrap::Raw, 8)));
        assert_eq!(window(47), Some((Wrap::Auto, 15)));
        assert_eq!(window(-16), None);
        assert_eq!(window(7), None);
        assert_eq!(window(48), None);
        assert_eq!(window(i32::MIN), None);
    }

    #[test]
    fn every_window_zlib_accepts_makes_an_engine() {
        for wb in (-15..=-8)
            .chain(8..=15)
            .chain(24..=31)
            .chain(40..=47)
            .chain([0, 16, 32])
        {
            let (wrap, bits) = window(wb).unwrap();
            let _ = Inflater::new(wrap, bits);
        }
    }

    #[test]
    fn every_framing_round_trips_and_checks() {
        let data = b"the quick brown fox jumps over the lazy dog, twice: the quick brown fox";
        for (wb_out, wb_in) in [(15, 15), (31, 31), (31, 47), (15, 47), (-15, -15), (9, 0)] {
            let (out, i, code) = inflate(wb_in, &deflate(wb_out, data));
            assert_eq!(code, 1, "{wb_out} -> {wb_in}");
            assert_eq!(out, data);
            let expect = match i.detected {
                Some(Wrap::Zlib) => Some(zlib_rs::adler32::adler32(1, data)),
                Some(Wrap::Gzip) => Some(zlib_rs::crc32::crc32(0, data)),
                _ => None,
            };
            assert_eq!(i.check, expect, "{wb_out} -> {wb_in}");
        }
    }

    #[test]
    fn the_gzip_header_is_watched() {
        let mut d = Deflater::new(Params::new(6, 8, 31, 8, 0).unwrap());
        d.header_at = Some(0);
        let mut out = vec![0; 4096];
        let s = d.step(b"data", &mut out, DeflateFlush::Finish, &mut |_| {
            Some(crate::deflate::GzHeaderOut {
                text: true,
                time: 1234,
                os: 7,
                extra: Some(b"ex".to_vec()),
                name: Some(b"file.txt".to_vec()),
                comment: Some(b"hi".to_vec()),
                hcrc: true,
            })
        });
        out.truncate(s.produced);
        let (wrap, bits) = window(31).unwrap();
        let mut i = Inflater::new(wrap, bits);
        i.header_at = Some(0);
        let mut plain = vec![0; 64];
        let r = i.step(&out, &mut plain, InflateFlush::Finish);
        assert_eq!(r.code, 1);
        let Some(HeaderEvent::Gzip(h)) = i.take_event() else {
            panic!("no header")
        };
        assert!(h.text && h.hcrc);
        assert_eq!((h.time, h.os, h.xflags), (1234, 7, 0), "fields as written");
        assert_eq!(h.extra.as_deref(), Some(&b"ex"[..]));
        assert_eq!(h.name.as_deref(), Some(&b"file.txt"[..]));
        assert_eq!(h.comment.as_deref(), Some(&b"hi"[..]));
    }

    #[test]
    fn a_dictionary_is_asked_for_and_checked() {
        let dict = b"common words";
        let mut d = Deflater::new(Params::with_level(6).unwrap());
        assert_eq!(d.set_dictionary(dict), Z_OK);
        let mut out = vec![0; 256];
        let s = d.step(
            b"common words again",
            &mut out,
            DeflateFlush::Finish,
            &mut |_| None,
        );
        out.truncate(s.produced);
        let mut i = Inflater::new(Wrap::Zlib, 15);
        let mut plain = vec![0; 64];
        let r = i.step(&out, &mut plain, InflateFlush::NoFlush);
        assert_eq!(r.code, Z_NEED_DICT);
        assert_eq!(i.check, Some(zlib_rs::adler32::adler32(1, dict)));
        assert_eq!(i.set_dictionary(b"wrong"), Z_DATA_ERROR);
        assert_eq!(i.set_dictionary(dict), Z_OK);
        let r2 = i.step(&out[r.consumed..], &mut plain, InflateFlush::Finish);
        assert_eq!(r2.code, 1);
        assert_eq!(&plain[..r2.produced], b"common words again");
    }

    #[test]
    fn sync_finds_the_pattern_across_calls() {
        let mut i = Inflater::new(Wrap::Raw, 15);
        assert_eq!(i.sync(&[1, 2, 0, 0]), (4, Z_DATA_ERROR));
        assert_eq!(i.sync(&[0xff, 0xff, 9]), (2, Z_OK));
        assert_eq!(i.sync(&[]), (0, Z_BUF_ERROR));
    }
}
