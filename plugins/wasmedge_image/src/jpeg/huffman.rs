//! Huffman tables and the bit reader of an entropy-coded segment.

use super::Error;

/// Bits looked up at once; longer codes take the slow path.
const FAST_BITS: u32 = 9;

/// A Huffman table (ITU T.81 annex C), with a lookup of the codes up to `FAST_BITS` long.
#[derive(Clone)]
pub(super) struct Table {
    /// For each `FAST_BITS`-bit prefix: the code's length (0 for none) and its symbol.
    fast: Vec<(u8, u8)>,
    /// The largest code of each length (index 1..=16), -1 for none.
    max_code: [i32; 17],
    /// The offset into `symbols` minus the first code, per length.
    delta: [i32; 17],
    symbols: Vec<u8>,
}

impl Table {
    /// Builds a table from a DHT segment's 16 counts and its symbols.
    pub(super) fn new(counts: &[u8; 16], symbols: &[u8]) -> Result<Table, Error> {
        let mut fast = vec![(0u8, 0u8); 1 << FAST_BITS];
        let mut max_code = [-1i32; 17];
        let mut delta = [0i32; 17];
        let mut code = 0u32;
        let mut k = 0usize;
        for len in 1..=16u32 {
            let n = u32::from(counts[len as usize - 1]);
            delta[len as usize] = k as i32 - code as i32;
            for _ in 0..n {
                if code >= 1 << len {
                    return Err(Error("bad Huffman table"));
                }
                if len <= FAST_BITS {
                    let shift = FAST_BITS - len;
                    let first = (code << shift) as usize;
                    for e in &mut fast[first..first + (1 << shift)] {
                        *e = (len as u8, symbols[k]);
                    }
                }
                code += 1;
                k += 1;
            }
            if n > 0 {
                max_code[len as usize] = code as i32 - 1;
            }
            code <<= 1;
        }
        Ok(Table {
            fast,
            max_code,
            delta,
            symbols: symbols.to_vec(),
        })
    }
}

/// Reads the bits of an entropy-coded segment: undoes byte stuffing, and gives zero bits once
/// it reaches a marker or the end of the data (as stb_image and libjpeg do).
pub(super) struct Bits<'a> {
    data: &'a [u8],
    /// The next byte to read.
    pub(super) pos: usize,
    /// Bits not yet consumed, left-aligned.
    acc: u64,
    /// How many bits of `acc` are valid.
    count: u32,
    /// Reached a marker (or the end): only zeros follow.
    stopped: bool,
}

impl<'a> Bits<'a> {
    pub(super) fn new(data: &'a [u8], pos: usize) -> Bits<'a> {
        Bits {
            data,
            pos,
            acc: 0,
            count: 0,
            stopped: false,
        }
    }

    fn fill(&mut self) {
        while self.count <= 56 {
            let mut byte = 0u8;
            if !self.stopped {
                match self.data.get(self.pos) {
                    None => self.stopped = true,
                    Some(&0xFF) => {
                        if self.data.get(self.pos + 1) == Some(&0) {
                            self.pos += 2;
                            byte = 0xFF;
                        } else {
                            self.stopped = true;
                        }
                    }
                    Some(&b) => {
                        self.pos += 1;
                        byte = b;
                    }
                }
            }
            self.acc |= u64::from(byte) << (56 - self.count);
            self.count += 8;
        }
    }

    /// `n` (0..=16) bits as an unsigned number.
    pub(super) fn bits(&mut self, n: u32) -> u32 {
        if n == 0 {
            return 0;
        }
        if self.count < n {
            self.fill();
        }
        let v = (self.acc >> (64 - n)) as u32;
        self.acc <<= n;
        self.count -= n;
        v
    }

    pub(super) fn bit(&mut self) -> bool {
        self.bits(1) == 1
    }

    /// `n` bits as a signed coefficient (T.81's EXTEND of RECEIVE).
    pub(super) fn receive_extend(&mut self, n: u32) -> i32 {
        if n == 0 {
            return 0;
        }
        let v = self.bits(n) as i32;
        if v < 1 << (n - 1) {
            v - (1 << n) + 1
        } else {
            v
        }
    }

    /// One symbol of `table`.
    pub(super) fn decode(&mut self, table: &Table) -> Result<u8, Error> {
        if self.count < 16 {
            self.fill();
        }
        let (len, sym) = table.fast[(self.acc >> (64 - FAST_BITS)) as usize];
        if len != 0 {
            self.acc <<= len;
            self.count -= u32::from(len);
            return Ok(sym);
        }
        for len in FAST_BITS + 1..=16 {
            let code = (self.acc >> (64 - len)) as i32;
            if code <= table.max_code[len as usize] {
                self.acc <<= len;
                self.count -= len;
                let i = code + table.delta[len as usize];
                return table
                    .symbols
                    .get(i as usize)
                    .copied()
                    .ok_or(Error("bad Huffman code"));
            }
        }
        Err(Error("bad Huffman code"))
    }

    /// Drops the buffered bits and moves to the next marker (skipping what precedes it);
    /// returns the marker's code, without consuming it, or `None` at the end of the data.
    pub(super) fn next_marker(&mut self) -> Option<u8> {
        self.acc = 0;
        self.count = 0;
        self.stopped = false;
        while self.pos + 1 < self.data.len() {
            if self.data[self.pos] == 0xFF {
                let m = self.data[self.pos + 1];
                if m != 0 && m != 0xFF {
                    return Some(m);
                }
                self.pos += if m == 0 { 2 } else { 1 };
            } else {
                self.pos += 1;
            }
        }
        self.pos = self.data.len();
        None
    }
}
