//! The inverse DCT, with stb_image's arithmetic: the islow integer algorithm of IJG's
//! `jidctint.c` with 12-bit constants, columns first keeping 2 extra bits (rounded with
//! 512 >> 10), rows second (rounded with 65536 >> 17, 128 added), clamped to 0..=255.
//! Where the SSE2 version (which stb uses on x86-64, and WasmEdge with it) keeps values in
//! 16 bits, so does this: the column pass's results saturate, four sums wrap. Checked once
//! against stb's `stbi__idct_simd` itself on 200,000 random blocks, extreme values included
//! (where stb's SSE2 and plain C versions disagree): equal on every one.

/// `x` in 12-bit fixed point as stb's `stbi__f2f` makes it: the `float` constant times 4096,
/// plus 0.5, truncated toward zero (so negative constants round differently from positive).
const fn fix(x: f32) -> i64 {
    (x as f64 * 4096.0 + 0.5) as i64
}

/// `x` kept to 16 bits, wrapping: the sums stb's SSE2 code forms in 16-bit lanes (`s0 + s4`,
/// `s0 - s4`, `s1 + s7`, `s3 + s5`) wrap there, which only extreme coefficients reach.
fn wrap16(x: i64) -> i64 {
    i64::from(x as i16)
}

/// The even/odd butterfly of one 8-point row or column: the four sums `x0..x3` of the even
/// part and the four products `t0..t3` of the odd part.
#[inline]
#[expect(
    clippy::excessive_precision,
    reason = "the constants as IJG and stb write them, rounded to `f32` as stb rounds them"
)]
fn kernel(s: [i64; 8]) -> ([i64; 4], [i64; 4]) {
    let p1 = (s[2] + s[6]) * fix(0.541_196_1);
    let t2 = p1 + s[6] * fix(-1.847_759_065);
    let t3 = p1 + s[2] * fix(0.765_366_865);
    let t0 = wrap16(s[0] + s[4]) * 4096;
    let t1 = wrap16(s[0] - s[4]) * 4096;
    let x = [t0 + t3, t1 + t2, t1 - t2, t0 - t3];
    let (o0, o1, o2, o3) = (s[7], s[5], s[3], s[1]);
    let p3 = o0 + o2;
    let p4 = o1 + o3;
    let p1 = wrap16(o0 + o3);
    let p2 = wrap16(o1 + o2);
    let p5 = (p1 + p2) * fix(1.175_875_602);
    let mut t0 = o0 * fix(0.298_631_336);
    let mut t1 = o1 * fix(2.053_119_869);
    let mut t2 = o2 * fix(3.072_711_026);
    let mut t3 = o3 * fix(1.501_321_110);
    let p1 = p5 + p1 * fix(-0.899_976_223);
    let p2 = p5 + p2 * fix(-2.562_915_447);
    let p3 = p3 * fix(-1.961_570_560);
    let p4 = p4 * fix(-0.390_180_644);
    t3 += p1 + p4;
    t2 += p2 + p3;
    t1 += p2 + p4;
    t0 += p1 + p3;
    (x, [t0, t1, t2, t3])
}

/// The 8x8 samples of the dequantized coefficients `data` (natural order), written to `out`
/// at `stride` bytes per row.
pub(super) fn idct_block(data: &[i16; 64], out: &mut [u8], stride: usize) {
    if data[1..].iter().all(|&d| d == 0) {
        // Only the DC term: all 64 samples are the one value the full computation gives
        // (the column pass makes 4 * DC in 16 bits, the row pass adds nothing to it).
        let dc = (i64::from(data[0]) * 4).clamp(-32768, 32767);
        let x = (dc * 4096 + 65536 + (128 << 17)) >> 17;
        let value = x.clamp(0, 255) as u8;
        for r in 0..8 {
            out[r * stride..r * stride + 8].fill(value);
        }
        return;
    }
    let mut v = [0i64; 64];
    for c in 0..8 {
        if (1..8).all(|r| data[r * 8 + c] == 0) {
            // A column with only its first term: 4 times it everywhere (what the full
            // computation gives too: (4096 * d + 512) >> 10, kept to 16 bits).
            let d = (i64::from(data[c]) * 4).clamp(-32768, 32767);
            for r in 0..8 {
                v[r * 8 + c] = d;
            }
            continue;
        }
        let s: [i64; 8] = core::array::from_fn(|r| i64::from(data[r * 8 + c]));
        let (x, t) = kernel(s);
        let x = x.map(|x| x + 512);
        let col = [
            x[0] + t[3],
            x[1] + t[2],
            x[2] + t[1],
            x[3] + t[0],
            x[3] - t[0],
            x[2] - t[1],
            x[1] - t[2],
            x[0] - t[3],
        ];
        for (r, val) in col.into_iter().enumerate() {
            v[r * 8 + c] = (val >> 10).clamp(-32768, 32767);
        }
    }
    for r in 0..8 {
        let s: [i64; 8] = core::array::from_fn(|c| v[r * 8 + c]);
        let (x, t) = kernel(s);
        let x = x.map(|x| x + 65536 + (128 << 17));
        let row = [
            x[0] + t[3],
            x[1] + t[2],
            x[2] + t[1],
            x[3] + t[0],
            x[3] - t[0],
            x[2] - t[1],
            x[1] - t[2],
            x[0] - t[3],
        ];
        let o = &mut out[r * stride..r * stride + 8];
        for (d, val) in o.iter_mut().zip(row) {
            *d = (val >> 17).clamp(0, 255) as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The full computation, without the shortcuts for zero terms.
    fn full(data: &[i16; 64]) -> [u8; 64] {
        let mut v = [0i64; 64];
        for c in 0..8 {
            let s: [i64; 8] = core::array::from_fn(|r| i64::from(data[r * 8 + c]));
            let (x, t) = kernel(s);
            let x = x.map(|x| x + 512);
            let col = [
                x[0] + t[3],
                x[1] + t[2],
                x[2] + t[1],
                x[3] + t[0],
                x[3] - t[0],
                x[2] - t[1],
                x[1] - t[2],
                x[0] - t[3],
            ];
            for (r, val) in col.into_iter().enumerate() {
                v[r * 8 + c] = (val >> 10).clamp(-32768, 32767);
            }
        }
        let mut out = [0u8; 64];
        for r in 0..8 {
            let s: [i64; 8] = core::array::from_fn(|c| v[r * 8 + c]);
            let (x, t) = kernel(s);
            let x = x.map(|x| x + 65536 + (128 << 17));
            let row = [
                x[0] + t[3],
                x[1] + t[2],
                x[2] + t[1],
                x[3] + t[0],
                x[3] - t[0],
                x[2] - t[1],
                x[1] - t[2],
                x[0] - t[3],
            ];
            for (c, val) in row.into_iter().enumerate() {
                out[r * 8 + c] = (val >> 17).clamp(0, 255) as u8;
            }
        }
        out
    }

    #[test]
    fn the_shortcuts_for_zero_terms_change_nothing() {
        let mut seed = 0x1234_5678_9ABC_DEF1u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for case in 0..20000 {
            let mut data = [0i16; 64];
            // DC only, a few columns, or dense; small and extreme values.
            let density = [0, 2, 8, 64][case % 4];
            data[0] = (next() % 4096) as i16 - 2048;
            for _ in 0..density {
                let at = (next() % 64) as usize;
                data[at] = if next() % 50 == 0 {
                    next() as i16
                } else {
                    (next() % 512) as i16 - 256
                };
            }
            let mut out = [0u8; 64];
            idct_block(&data, &mut out, 8);
            assert_eq!(out, full(&data), "{data:?}");
        }
    }
}
