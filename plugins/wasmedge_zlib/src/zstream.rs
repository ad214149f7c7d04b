//! The guest's wasm32 `z_stream` and `gz_header`, read from guest memory at each call and written
//! back after it, and the loop that runs a stream over the guest's buffers in bounded chunks.

use std::cell::RefCell;

use wedge_plugin_sdk::{Error, Memory};

use crate::deflate::Step;
use crate::errno::{Z_BUF_ERROR, Z_OK};

/// `sizeof(z_stream)` on wasm32, which the `*Init_` calls require as `stream_size`.
pub const Z_STREAM_SIZE: i32 = 56;
/// `sizeof(gz_header)` on wasm32.
pub const GZ_HEADER_SIZE: u64 = 52;

/// The most the host copies at once between guest memory and a stream; longer buffers are
/// worked through in pieces of this size, so a call allocates at most twice this.
pub const CHUNK: usize = 1 << 20;

/// The fields of a wasm32 `z_stream` the host reads and writes (pointers are guest offsets).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ZStream {
    /// `next_in` (offset 0).
    pub next_in: u32,
    /// `avail_in` (4).
    pub avail_in: u32,
    /// `total_in` (8).
    pub total_in: u32,
    /// `next_out` (12).
    pub next_out: u32,
    /// `avail_out` (16).
    pub avail_out: u32,
    /// `total_out` (20).
    pub total_out: u32,
    /// `msg` (24); only ever cleared.
    pub msg: u32,
    /// `data_type` (44).
    pub data_type: i32,
    /// `adler` (48).
    pub adler: u32,
}

/// The little-endian u32 at `at` of `b`.
fn word(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

impl ZStream {
    /// Reads the `z_stream` at `addr`; out of bounds is a trap.
    pub fn read(memory: &Memory<'_>, addr: u32) -> Result<Self, Error> {
        let b: [u8; 56] = memory.read_array(addr.into())?;
        Ok(Self {
            next_in: word(&b, 0),
            avail_in: word(&b, 4),
            total_in: word(&b, 8),
            next_out: word(&b, 12),
            avail_out: word(&b, 16),
            total_out: word(&b, 20),
            msg: word(&b, 24),
            data_type: word(&b, 44) as i32,
            adler: word(&b, 48),
        })
    }

    /// Writes the fields a zlib call updates back to the `z_stream` at `addr` (the others, such
    /// as `state` and the allocator fields, stay as the guest left them).
    pub fn write(&self, memory: &Memory<'_>, addr: u32) -> Result<(), Error> {
        let mut head = [0u8; 28];
        for (i, v) in [
            self.next_in,
            self.avail_in,
            self.total_in,
            self.next_out,
            self.avail_out,
            self.total_out,
            self.msg,
        ]
        .into_iter()
        .enumerate()
        {
            head[i * 4..i * 4 + 4].copy_from_slice(&v.to_le_bytes());
        }
        memory.write(addr.into(), &head)?;
        let mut tail = [0u8; 8];
        tail[..4].copy_from_slice(&self.data_type.to_le_bytes());
        tail[4..].copy_from_slice(&self.adler.to_le_bytes());
        memory.write(u64::from(addr) + 44, &tail)
    }

    /// zlib's pointer checks: no output buffer, or input announced without a buffer.
    #[must_use]
    pub fn buffers_missing(&self) -> bool {
        self.next_out == 0 || (self.avail_in != 0 && self.next_in == 0)
    }
}

/// Where a run's output goes.
pub enum Sink<'a> {
    /// Guest memory at `next_out`.
    Guest(&'a Memory<'a>),
    /// Nowhere (`uncompress` probing with an empty destination).
    Discard,
}

/// What a run did: the last step's code and whether any step made progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    /// The last step's zlib code.
    pub code: i32,
    /// Some input was consumed or some output produced.
    pub progress: bool,
}

impl Run {
    /// The code of the whole call: a step that found nothing left to do after others made
    /// progress ends the call with `Z_OK` (or `finish_code` when given, which is inflate's
    /// `Z_BUF_ERROR` under `Z_FINISH`).
    #[must_use]
    pub fn code(self, finish_code: Option<i32>) -> i32 {
        if self.code == Z_BUF_ERROR && self.progress {
            finish_code.unwrap_or(Z_OK)
        } else {
            self.code
        }
    }
}

/// One step of a stream: the input piece, the output piece, whether the piece holds all the
/// input left.
pub type StepFn<'a> = dyn FnMut(&[u8], &mut [u8], bool) -> Step + 'a;

/// Runs `step` over the guest's input (`memory` at `z.next_in`, `z.avail_in` bytes) and output
/// (`sink`, `z.avail_out` bytes) in pieces of at most [`CHUNK`], advancing `z` as zlib would.
/// `step` gets the input piece, the output piece and whether the piece holds all the input
/// left. It stops after one step when `single`, else when a step makes no progress, fails,
/// ends the stream or fills the output.
pub fn run(
    memory: &Memory<'_>,
    sink: &Sink<'_>,
    z: &mut ZStream,
    single: bool,
    step: &mut StepFn<'_>,
) -> Result<Run, Error> {
    // The buffers are the thread's, kept between calls (at most CHUNK each), so a guest that
    // streams in small pieces costs no allocation per call.
    let (mut input, mut output) = SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
    let result = run_in(memory, sink, z, single, step, &mut input, &mut output);
    SCRATCH.with(|s| *s.borrow_mut() = (input, output));
    result
}

thread_local! {
    /// Input and output buffers of [`run`], reused.
    static SCRATCH: RefCell<(Vec<u8>, Vec<u8>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// [`run`] with its buffers.
fn run_in(
    memory: &Memory<'_>,
    sink: &Sink<'_>,
    z: &mut ZStream,
    single: bool,
    step: &mut StepFn<'_>,
    input: &mut Vec<u8>,
    output: &mut Vec<u8>,
) -> Result<Run, Error> {
    let out_cap = (z.avail_out as usize).min(CHUNK);
    if output.len() < out_cap {
        output.resize(out_cap, 0);
    }
    let (mut pos, mut filled) = (0, 0);
    let mut progress = false;
    loop {
        if pos == filled && z.avail_in > 0 {
            filled = (z.avail_in as usize).min(CHUNK);
            if input.len() < filled {
                input.resize(filled, 0);
            }
            memory.read(z.next_in.into(), &mut input[..filled])?;
            pos = 0;
        }
        let piece = &input[pos..filled];
        let last = piece.len() as u64 >= u64::from(z.avail_in);
        let out_len = (z.avail_out as usize).min(CHUNK);
        let s = step(piece, &mut output[..out_len], last);
        let (consumed, produced) = (s.consumed.min(piece.len()), s.produced.min(out_len));
        if produced > 0
            && let Sink::Guest(m) = sink
        {
            m.write(z.next_out.into(), &output[..produced])?;
        }
        // Both fit in a u32: each is at most the matching `avail_*`.
        let (c, p) = (consumed as u32, produced as u32);
        z.next_in = z.next_in.wrapping_add(c);
        z.avail_in -= c;
        z.total_in = z.total_in.wrapping_add(c);
        z.next_out = z.next_out.wrapping_add(p);
        z.avail_out -= p;
        z.total_out = z.total_out.wrapping_add(p);
        pos += consumed;
        let moved = consumed > 0 || produced > 0;
        progress |= moved;
        let again =
            moved && !single && z.avail_out > 0 && (s.code == Z_OK || s.code == Z_BUF_ERROR);
        if !again {
            return Ok(Run {
                code: s.code,
                progress,
            });
        }
    }
}

/// The NUL-terminated string at `addr`, without its NUL, read in pieces and capped at `max`
/// bytes (longer strings are cut there).
pub fn read_c_string(memory: &Memory<'_>, addr: u32, max: usize) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    let mut at = u64::from(addr);
    let size = memory.size();
    while out.len() < max {
        let n = 256u64.min(size.saturating_sub(at));
        if n == 0 {
            return Err(Error::memory_out_of_bounds());
        }
        let piece = memory.read_vec(at, n)?;
        if let Some(end) = piece.iter().position(|&b| b == 0) {
            out.extend_from_slice(&piece[..end]);
            out.truncate(max);
            return Ok(out);
        }
        out.extend_from_slice(&piece);
        at += n;
    }
    out.truncate(max);
    Ok(out)
}
