//! A baseline and progressive JPEG decoder whose output equals stb_image's
//! (`stbi_load_from_memory` with 3 channels, what WasmEdge calls): the coefficients are
//! decoded per ITU T.81, and the inverse DCT (`idct.rs`), the chroma upsampling and the
//! YCbCr to RGB conversion (`color.rs`) use stb's integer arithmetic and rounding, written
//! anew from its description.
//!
//! Like stb: 8-bit samples, Huffman coding (SOF0, SOF1, SOF2; not arithmetic coding or
//! lossless), 1, 3 or 4 components (grey, YCbCr or RGB, CMYK or YCCK per Adobe's APP14),
//! sampling factors 1..=4 that divide the largest, entropy data cut short read as zeros.
//! Unlike stb, every allocation is bounded first: the sides by `MAX_SIDE` and the memory
//! the decoder needs by `MAX_DECODE_BYTES` (`decode.rs`), and a progressive image by
//! `MAX_SCANS` scans. Damaged input gives an error, never a panic; where stb instead reads
//! on (an AC run past the 64th coefficient, a bad refinement code, an image with no scan)
//! this fails, and bytes between marker segments are skipped where stb stops there. On
//! well-formed images none of this differs.

mod color;
mod huffman;
mod idct;

use crate::decode::{MAX_DECODE_BYTES, MAX_SIDE};
use huffman::{Bits, Table};

/// The most scans an image may have (a progressive image has about 10).
pub const MAX_SCANS: usize = 256;

/// Why a JPEG did not decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Error(pub &'static str);

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "JPEG: {}", self.0)
    }
}

impl std::error::Error for Error {}

/// Whether `bytes` start as a JPEG does (stb_image's test: the SOI marker).
#[must_use]
pub fn is_jpeg(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xD8])
}

/// Zig-zag position to natural (row-major) position.
const ZIGZAG: [usize; 64] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20,
    13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59,
    52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

struct Component {
    id: u8,
    h: usize,
    v: usize,
    tq: usize,
    /// Samples across and down (before upsampling).
    x: usize,
    y: usize,
    /// Blocks across and down in `coefs`: whole MCUs.
    bw: usize,
    bh: usize,
    /// The coefficients, 64 per block in natural order, block rows of `bw`: dequantized in a
    /// sequential image, quantized in a progressive one until `finish`.
    coefs: Vec<i16>,
    dc_pred: i32,
    dc_table: usize,
    ac_table: usize,
}

struct Frame {
    width: usize,
    height: usize,
    progressive: bool,
    comps: Vec<Component>,
    hmax: usize,
    vmax: usize,
    mcux: usize,
    mcuy: usize,
}

/// The decoder's state between markers.
struct Decoder<'a> {
    data: &'a [u8],
    pos: usize,
    quant: [[u16; 64]; 4],
    dc: [Option<Table>; 4],
    ac: [Option<Table>; 4],
    restart_interval: usize,
    frame: Option<Frame>,
    jfif: bool,
    /// Adobe APP14's transform flag, -1 without one.
    adobe_transform: i32,
    scans: usize,
    eobrun: u32,
}

/// Decodes a JPEG to `width * height` RGB pixels, as stb_image does with 3 channels
/// requested: returns the pixels, the width and the height.
pub fn decode(data: &[u8]) -> Result<(Vec<u8>, usize, usize), Error> {
    if !is_jpeg(data) {
        return Err(Error("no SOI marker"));
    }
    let mut d = Decoder {
        data,
        pos: 2,
        quant: [[0; 64]; 4],
        dc: [None, None, None, None],
        ac: [None, None, None, None],
        restart_interval: 0,
        frame: None,
        jfif: false,
        adobe_transform: -1,
        scans: 0,
        eobrun: 0,
    };
    // Data that ends without EOI keeps what was decoded, as stb does.
    while let Some(marker) = d.next_marker() {
        match marker {
            0xD9 => break,
            0xDA => d.scan()?,
            0xC0..=0xC2 => d.frame_header(marker == 0xC2)?,
            0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => {
                return Err(Error(
                    "unsupported coding (lossless, hierarchical or arithmetic)",
                ));
            }
            0xC4 => d.huffman_tables()?,
            0xDB => d.quant_tables()?,
            0xDD => {
                let seg = d.segment()?;
                if seg.len() != 2 {
                    return Err(Error("bad DRI length"));
                }
                d.restart_interval = usize::from(u16::from_be_bytes([seg[0], seg[1]]));
            }
            0xD0..=0xD7 => {}
            0xE0 => {
                let seg = d.segment()?;
                if seg.starts_with(b"JFIF\0") {
                    d.jfif = true;
                }
            }
            0xEE => {
                let seg = d.segment()?;
                if seg.len() >= 12 && seg.starts_with(b"Adobe") {
                    d.adobe_transform = i32::from(seg[11]);
                }
            }
            0x01 | 0xDC..=0xDF | 0xE1..=0xED | 0xEF..=0xFE => {
                d.segment()?;
            }
            _ => return Err(Error("unknown marker")),
        }
    }
    if d.scans == 0 {
        return Err(Error("no image data"));
    }
    let frame = d.frame.take().ok_or(Error("no frame"))?;
    let is_rgb = frame.comps.len() == 3
        && (frame.comps.iter().map(|c| c.id).eq(*b"RGB") || (d.adobe_transform == 0 && !d.jfif));
    let pixels = finish(&frame, &d.quant, is_rgb, d.adobe_transform)?;
    Ok((pixels, frame.width, frame.height))
}

impl<'a> Decoder<'a> {
    /// The next marker's code, skipping fill bytes; `None` at the end of the data.
    fn next_marker(&mut self) -> Option<u8> {
        let mut bits = Bits::new(self.data, self.pos);
        let m = bits.next_marker();
        self.pos = bits.pos + usize::from(m.is_some()) * 2;
        m
    }

    /// A marker segment's payload (after its length), moving past it.
    fn segment(&mut self) -> Result<&'a [u8], Error> {
        let d = self.data;
        let len = match d.get(self.pos..self.pos + 2) {
            Some(b) => usize::from(u16::from_be_bytes([b[0], b[1]])),
            None => return Err(Error("truncated segment")),
        };
        if len < 2 {
            return Err(Error("bad segment length"));
        }
        let seg = d
            .get(self.pos + 2..self.pos + len)
            .ok_or(Error("truncated segment"))?;
        self.pos += len;
        Ok(seg)
    }

    fn quant_tables(&mut self) -> Result<(), Error> {
        let mut seg = self.segment()?;
        while let Some((&pq_tq, rest)) = seg.split_first() {
            let (precision, id) = (pq_tq >> 4, usize::from(pq_tq & 15));
            if precision > 1 || id > 3 {
                return Err(Error("bad DQT"));
            }
            let n = 64 << precision;
            let values = rest.get(..n).ok_or(Error("bad DQT length"))?;
            for k in 0..64 {
                self.quant[id][ZIGZAG[k]] = if precision == 0 {
                    u16::from(values[k])
                } else {
                    u16::from_be_bytes([values[2 * k], values[2 * k + 1]])
                };
            }
            seg = &rest[n..];
        }
        Ok(())
    }

    fn huffman_tables(&mut self) -> Result<(), Error> {
        let mut seg = self.segment()?;
        while seg.len() >= 17 {
            let (class, id) = (seg[0] >> 4, usize::from(seg[0] & 15));
            if class > 1 || id > 3 {
                return Err(Error("bad DHT"));
            }
            let counts: [u8; 16] = seg[1..17].try_into().map_err(|_| Error("bad DHT"))?;
            let n: usize = counts.iter().map(|&c| usize::from(c)).sum();
            let symbols = seg.get(17..17 + n).ok_or(Error("bad DHT length"))?;
            let table = Some(Table::new(&counts, symbols)?);
            if class == 0 {
                self.dc[id] = table;
            } else {
                self.ac[id] = table;
            }
            seg = &seg[17 + n..];
        }
        if seg.is_empty() {
            Ok(())
        } else {
            Err(Error("bad DHT length"))
        }
    }

    fn frame_header(&mut self, progressive: bool) -> Result<(), Error> {
        if self.frame.is_some() {
            return Err(Error("more than one frame"));
        }
        let seg = self.segment()?;
        if seg.len() < 6 {
            return Err(Error("bad SOF length"));
        }
        if seg[0] != 8 {
            return Err(Error("only 8-bit samples are supported"));
        }
        let height = usize::from(u16::from_be_bytes([seg[1], seg[2]]));
        let width = usize::from(u16::from_be_bytes([seg[3], seg[4]]));
        let n = usize::from(seg[5]);
        if width == 0 || height == 0 {
            return Err(Error("no pixels (or a DNL height, unsupported)"));
        }
        if width > MAX_SIDE as usize || height > MAX_SIDE as usize {
            return Err(Error("too large"));
        }
        if n != 1 && n != 3 && n != 4 {
            return Err(Error("bad component count"));
        }
        if seg.len() != 6 + 3 * n {
            return Err(Error("bad SOF length"));
        }
        let mut comps = Vec::with_capacity(n);
        for c in seg[6..].chunks_exact(3) {
            let (h, v) = (usize::from(c[1] >> 4), usize::from(c[1] & 15));
            if !(1..=4).contains(&h) || !(1..=4).contains(&v) {
                return Err(Error("bad sampling factor"));
            }
            if c[2] > 3 {
                return Err(Error("bad quantization table id"));
            }
            comps.push(Component {
                id: c[0],
                h,
                v,
                tq: usize::from(c[2]),
                x: 0,
                y: 0,
                bw: 0,
                bh: 0,
                coefs: Vec::new(),
                dc_pred: 0,
                dc_table: 0,
                ac_table: 0,
            });
        }
        let hmax = comps.iter().map(|c| c.h).max().unwrap_or(1);
        let vmax = comps.iter().map(|c| c.v).max().unwrap_or(1);
        if comps.iter().any(|c| hmax % c.h != 0 || vmax % c.v != 0) {
            return Err(Error("sampling factors that do not divide the largest"));
        }
        let mcux = width.div_ceil(8 * hmax);
        let mcuy = height.div_ceil(8 * vmax);
        // What decoding needs: 2 bytes per coefficient, 1 per sample of the planes, and the
        // output; all checked before anything is allocated.
        let mut need = width as u64 * height as u64 * 3;
        for c in &comps {
            need += (mcux * c.h) as u64 * (mcuy * c.v) as u64 * 64 * 3;
        }
        if need > MAX_DECODE_BYTES {
            return Err(Error("the image needs more memory than allowed"));
        }
        for c in &mut comps {
            c.x = (width * c.h).div_ceil(hmax);
            c.y = (height * c.v).div_ceil(vmax);
            c.bw = mcux * c.h;
            c.bh = mcuy * c.v;
            c.coefs = vec![0; c.bw * c.bh * 64];
        }
        self.frame = Some(Frame {
            width,
            height,
            progressive,
            comps,
            hmax,
            vmax,
            mcux,
            mcuy,
        });
        Ok(())
    }

    /// A scan: its header, then its entropy-coded data.
    fn scan(&mut self) -> Result<(), Error> {
        self.scans += 1;
        if self.scans > MAX_SCANS {
            return Err(Error("too many scans"));
        }
        let seg = self.segment()?;
        let frame = self.frame.as_mut().ok_or(Error("SOS before SOF"))?;
        let n = usize::from(*seg.first().ok_or(Error("bad SOS length"))?);
        if n == 0 || n > 4 || n > frame.comps.len() || seg.len() != 4 + 2 * n {
            return Err(Error("bad SOS"));
        }
        let mut members = Vec::with_capacity(n);
        for s in seg[1..1 + 2 * n].chunks_exact(2) {
            let i = frame
                .comps
                .iter()
                .position(|c| c.id == s[0])
                .ok_or(Error("bad SOS component"))?;
            let (td, ta) = (usize::from(s[1] >> 4), usize::from(s[1] & 15));
            if td > 3 || ta > 3 || members.contains(&i) {
                return Err(Error("bad SOS component"));
            }
            frame.comps[i].dc_table = td;
            frame.comps[i].ac_table = ta;
            members.push(i);
        }
        let p = &seg[1 + 2 * n..];
        let (ss, se, ah, al) = (
            usize::from(p[0]),
            usize::from(p[1]),
            u32::from(p[2] >> 4),
            u32::from(p[2] & 15),
        );
        let spec = if frame.progressive {
            if ss > 63 || se > 63 || ss > se || ah > 13 || al > 13 || (ss == 0 && se != 0) {
                return Err(Error("bad progressive scan"));
            }
            if ss != 0 && n != 1 {
                return Err(Error("AC scan of more than one component"));
            }
            (ss, se, ah, al)
        } else {
            if ss != 0 || ah != 0 || al != 0 {
                return Err(Error("bad sequential scan"));
            }
            (0, 63, 0, 0)
        };
        for &i in &members {
            let c = &mut frame.comps[i];
            c.dc_pred = 0;
            let needs_dc = spec.0 == 0 && spec.2 == 0;
            let needs_ac = spec.1 > 0;
            if (needs_dc && self.dc[c.dc_table].is_none())
                || (needs_ac && self.ac[c.ac_table].is_none())
            {
                return Err(Error("missing Huffman table"));
            }
        }
        self.eobrun = 0;
        let mut bits = Bits::new(self.data, self.pos);
        let tables = Tables {
            dc: &self.dc,
            ac: &self.ac,
            quant: &self.quant,
        };
        entropy(
            frame,
            &members,
            spec,
            self.restart_interval,
            &mut bits,
            &tables,
            &mut self.eobrun,
        )?;
        self.pos = bits.pos;
        Ok(())
    }
}

/// The tables in force for a scan.
struct Tables<'t> {
    dc: &'t [Option<Table>; 4],
    ac: &'t [Option<Table>; 4],
    quant: &'t [[u16; 64]; 4],
}

/// Decodes one scan's entropy-coded data into the coefficients of its `members`.
fn entropy(
    frame: &mut Frame,
    members: &[usize],
    (ss, se, ah, al): (usize, usize, u32, u32),
    restart_interval: usize,
    bits: &mut Bits<'_>,
    tables: &Tables<'_>,
    eobrun: &mut u32,
) -> Result<(), Error> {
    // One component alone is not interleaved: its own blocks, not whole MCUs.
    let (units_x, units_y) = if members.len() == 1 {
        let c = &frame.comps[members[0]];
        (c.x.div_ceil(8), c.y.div_ceil(8))
    } else {
        (frame.mcux, frame.mcuy)
    };
    let progressive = frame.progressive;
    let mut todo = if restart_interval == 0 {
        usize::MAX
    } else {
        restart_interval
    };
    for uy in 0..units_y {
        for ux in 0..units_x {
            for &ci in members {
                let c = &mut frame.comps[ci];
                let (bh, bv) = if members.len() == 1 {
                    (1, 1)
                } else {
                    (c.h, c.v)
                };
                for by in 0..bv {
                    for bx in 0..bh {
                        let (x, y) = (ux * bh + bx, uy * bv + by);
                        let at = (y * c.bw + x) * 64;
                        let dc = tables.dc[c.dc_table].as_ref();
                        let ac = tables.ac[c.ac_table].as_ref();
                        let block: &mut [i16; 64] = (&mut c.coefs[at..at + 64])
                            .try_into()
                            .map_err(|_| Error("internal: block"))?;
                        if !progressive {
                            let (Some(dc), Some(ac)) = (dc, ac) else {
                                return Err(Error("missing Huffman table"));
                            };
                            block.fill(0);
                            decode_dc(bits, dc, &mut c.dc_pred, block, 0)?;
                            decode_ac_sequential(bits, ac, block)?;
                            // Dequantized now, with the tables of this scan, as stb does (a
                            // progressive image's are dequantized at the end).
                            let q = &tables.quant[c.tq];
                            for (v, &q) in block.iter_mut().zip(q) {
                                *v = v.wrapping_mul(q as i16);
                            }
                        } else if ss == 0 {
                            if ah == 0 {
                                let dc = dc.ok_or(Error("missing Huffman table"))?;
                                decode_dc(bits, dc, &mut c.dc_pred, block, al)?;
                            } else if bits.bit() {
                                block[0] |= (1i32 << al) as i16;
                            }
                        } else {
                            let ac = ac.ok_or(Error("missing Huffman table"))?;
                            if ah == 0 {
                                decode_ac_first(bits, ac, block, ss, se, al, eobrun)?;
                            } else {
                                decode_ac_refine(bits, ac, block, ss, se, al, eobrun)?;
                            }
                        }
                    }
                }
            }
            todo -= 1;
            if todo == 0 {
                todo = restart_interval;
                // A restart marker resets the predictions; without one the scan ends here.
                match bits.next_marker() {
                    Some(0xD0..=0xD7) => bits.pos += 2,
                    _ => return Ok(()),
                }
                *eobrun = 0;
                for &ci in members {
                    frame.comps[ci].dc_pred = 0;
                }
            }
        }
    }
    bits.next_marker();
    Ok(())
}

fn decode_dc(
    bits: &mut Bits<'_>,
    table: &Table,
    pred: &mut i32,
    block: &mut [i16; 64],
    al: u32,
) -> Result<(), Error> {
    let s = u32::from(bits.decode(table)?);
    if s > 15 {
        return Err(Error("bad DC code"));
    }
    let diff = bits.receive_extend(s);
    *pred = pred.checked_add(diff).ok_or(Error("bad DC"))?;
    block[0] = pred.wrapping_mul(1 << al) as i16;
    Ok(())
}

/// The AC coefficients of a sequential scan's block: any code of run 0..14 and size 0 ends it.
fn decode_ac_sequential(
    bits: &mut Bits<'_>,
    table: &Table,
    block: &mut [i16; 64],
) -> Result<(), Error> {
    let mut k = 1;
    while k <= 63 {
        let rs = bits.decode(table)?;
        let (r, s) = (usize::from(rs >> 4), u32::from(rs & 15));
        if s == 0 {
            if r < 15 {
                break;
            }
            k += 16;
            continue;
        }
        k += r;
        if k > 63 {
            return Err(Error("bad AC run"));
        }
        block[ZIGZAG[k]] = bits.receive_extend(s) as i16;
        k += 1;
    }
    Ok(())
}

/// AC coefficients `ss..=se` of a progressive first pass.
fn decode_ac_first(
    bits: &mut Bits<'_>,
    table: &Table,
    block: &mut [i16; 64],
    ss: usize,
    se: usize,
    al: u32,
    eobrun: &mut u32,
) -> Result<(), Error> {
    if *eobrun > 0 {
        *eobrun -= 1;
        return Ok(());
    }
    let mut k = ss;
    while k <= se {
        let rs = bits.decode(table)?;
        let (r, s) = (u32::from(rs >> 4), u32::from(rs & 15));
        if s == 0 {
            if r < 15 {
                *eobrun = (1 << r) - 1 + bits.bits(r);
                break;
            }
            k += 16;
            continue;
        }
        k += r as usize;
        if k > 63 {
            return Err(Error("bad AC run"));
        }
        block[ZIGZAG[k]] = (bits.receive_extend(s).wrapping_mul(1 << al)) as i16;
        k += 1;
    }
    Ok(())
}

/// A progressive refinement pass over AC coefficients `ss..=se`.
fn decode_ac_refine(
    bits: &mut Bits<'_>,
    table: &Table,
    block: &mut [i16; 64],
    ss: usize,
    se: usize,
    al: u32,
    eobrun: &mut u32,
) -> Result<(), Error> {
    let p1 = (1i32 << al) as i16;
    let m1 = (-1i32 << al) as i16;
    let refine = |bits: &mut Bits<'_>, coef: &mut i16| {
        if bits.bit() && (*coef & p1) == 0 {
            *coef = coef.wrapping_add(if *coef >= 0 { p1 } else { m1 });
        }
    };
    let mut k = ss;
    if *eobrun == 0 {
        while k <= se {
            let rs = bits.decode(table)?;
            let mut r = i32::from(rs >> 4);
            let s = rs & 15;
            let mut value = 0;
            if s != 0 {
                if s != 1 {
                    return Err(Error("bad refinement code"));
                }
                value = if bits.bit() { p1 } else { m1 };
            } else if r != 15 {
                *eobrun = (1 << r) + bits.bits(r as u32);
                break;
            }
            while k <= se {
                let coef = &mut block[ZIGZAG[k]];
                if *coef != 0 {
                    refine(bits, coef);
                } else {
                    if r == 0 {
                        break;
                    }
                    r -= 1;
                }
                k += 1;
            }
            if value != 0 {
                if k > 63 {
                    return Err(Error("bad refinement run"));
                }
                block[ZIGZAG[k]] = value;
            }
            k += 1;
        }
    }
    if *eobrun > 0 {
        while k <= se {
            let coef = &mut block[ZIGZAG[k]];
            if *coef != 0 {
                refine(bits, coef);
            }
            k += 1;
        }
        *eobrun -= 1;
    }
    Ok(())
}

/// Dequantizes, inverse-transforms, upsamples and converts the decoded coefficients to RGB.
fn finish(
    frame: &Frame,
    quant: &[[u16; 64]; 4],
    is_rgb: bool,
    adobe_transform: i32,
) -> Result<Vec<u8>, Error> {
    // Each component's samples, whole blocks.
    let mut planes = Vec::with_capacity(frame.comps.len());
    for c in &frame.comps {
        let stride = c.bw * 8;
        let mut plane = vec![0u8; stride * c.bh * 8];
        // stb multiplies in `int` and keeps 16 bits: the same bits as a wrapping `i16` product.
        let q = if frame.progressive {
            quant[c.tq]
        } else {
            [1; 64]
        };
        for (b, coefs) in c.coefs.chunks_exact(64).enumerate() {
            let block: [i16; 64] = core::array::from_fn(|i| coefs[i].wrapping_mul(q[i] as i16));
            let (bx, by) = (b % c.bw, b / c.bw);
            idct::idct_block(&block, &mut plane[by * 8 * stride + bx * 8..], stride);
        }
        planes.push(plane);
    }
    let (w, h) = (frame.width, frame.height);
    let mut out = vec![0u8; w * h * 3];
    // Per component: the upsampling ratios and a row buffer.
    let comps: Vec<_> = frame
        .comps
        .iter()
        .map(|c| (frame.hmax / c.h, frame.vmax / c.v, c.bw * 8))
        .collect();
    let mut rows: Vec<Vec<u8>> = comps.iter().map(|_| vec![0u8; w + 3]).collect();
    for (j, out_row) in out.chunks_exact_mut(w * 3).enumerate() {
        for (k, c) in frame.comps.iter().enumerate() {
            let (hs, vs, stride) = comps[k];
            let w_lores = w.div_ceil(hs);
            // The source rows: for vertical upsampling by 2, the nearest row and the one
            // beyond it on that side (clamped at the edges); else the row itself.
            let (near, far) = if vs == 2 {
                let near = j / 2;
                let far = if j % 2 == 0 {
                    near.saturating_sub(1)
                } else {
                    (near + 1).min(c.y - 1)
                };
                (near.min(c.y - 1), far)
            } else {
                let r = (j / vs).min(c.y - 1);
                (r, r)
            };
            let p = &planes[k];
            color::resample_row(
                &mut rows[k],
                &p[near * stride..],
                &p[far * stride..],
                w_lores,
                hs,
                vs,
            );
        }
        let px = out_row.chunks_exact_mut(3);
        match frame.comps.len() {
            1 => {
                for (o, &y) in px.zip(&rows[0]) {
                    o.fill(y);
                }
            }
            3 if is_rgb => {
                for (i, o) in px.enumerate() {
                    o.copy_from_slice(&[rows[0][i], rows[1][i], rows[2][i]]);
                }
            }
            3 => color::ycbcr_row(out_row, &rows[0], &rows[1], &rows[2]),
            _ => match adobe_transform {
                0 => {
                    for (i, o) in px.enumerate() {
                        let m = rows[3][i];
                        o.copy_from_slice(&[
                            color::blinn(rows[0][i], m),
                            color::blinn(rows[1][i], m),
                            color::blinn(rows[2][i], m),
                        ]);
                    }
                }
                2 => {
                    color::ycbcr_row(out_row, &rows[0], &rows[1], &rows[2]);
                    for (i, o) in out_row.chunks_exact_mut(3).enumerate() {
                        let m = rows[3][i];
                        for v in o {
                            *v = color::blinn(255 - *v, m);
                        }
                    }
                }
                _ => color::ycbcr_row(out_row, &rows[0], &rows[1], &rows[2]),
            },
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/tests/images/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    const IMAGES: [&str; 6] = [
        "photo.jpg",
        "progressive.jpg",
        "gray.jpg",
        "photo_411.jpg",
        "odd.jpg",
        "odd_progressive.jpg",
    ];

    #[test]
    fn the_test_images_decode() {
        for name in IMAGES {
            let (px, w, h) = decode(&image(name)).unwrap();
            assert_eq!(px.len(), w * h * 3, "{name}");
        }
    }

    #[test]
    fn cut_short_images_decode_or_fail_without_panicking() {
        for name in IMAGES {
            let bytes = image(name);
            for len in 0..bytes.len() {
                if let Ok((px, w, h)) = decode(&bytes[..len]) {
                    assert_eq!(px.len(), w * h * 3, "{name} cut to {len}");
                }
            }
        }
    }

    #[test]
    fn damaged_images_decode_or_fail_without_panicking() {
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for name in IMAGES {
            let bytes = image(name);
            for _ in 0..1500 {
                let mut b = bytes.clone();
                for _ in 0..1 + next() % 4 {
                    let at = (next() % b.len() as u64) as usize;
                    b[at] = match next() % 3 {
                        0 => next() as u8,
                        1 => b[at] ^ (1 << (next() % 8)),
                        _ => 0xFF,
                    };
                }
                if let Ok((px, w, h)) = decode(&b) {
                    assert_eq!(px.len(), w * h * 3, "{name}");
                }
            }
        }
    }

    #[test]
    fn what_stb_does_not_read_fails() {
        assert_eq!(decode(b"").unwrap_err(), Error("no SOI marker"));
        assert!(decode(&[0xFF, 0xD8, 0xFF, 0xD9]).is_err());
        assert!(decode(&image("arithmetic.jpg")).is_err());
        // A frame larger than the memory allowed fails before anything is allocated.
        assert!(decode(&image("huge.jpg")).is_err());
    }

    #[test]
    fn huffman_codes_decode() {
        // Canonical codes 00, 01 and 100 for symbols 5, 6 and 7.
        let mut counts = [0u8; 16];
        counts[1] = 2;
        counts[2] = 1;
        let table = Table::new(&counts, &[5, 6, 7]).unwrap();
        let data = [0b0001_1000];
        let mut bits = Bits::new(&data, 0);
        let syms: Vec<u8> = (0..3).map(|_| bits.decode(&table).unwrap()).collect();
        assert_eq!(syms, [5, 6, 7]);
        // Too many codes for their lengths.
        counts[0] = 3;
        assert!(Table::new(&counts, &[1, 2, 3, 4, 5, 6]).is_err());
    }
}
