//! From component planes to RGB, as stb_image does it: its "fancy" chroma upsampling (a
//! triangle filter, 3/4 near and 1/4 far, each axis, rounded once at the end for 2x2),
//! nearest-neighbour for other ratios, and its fixed-point YCbCr to RGB.

/// One output row of a component `hs` times narrower than the image, from its `near` and
/// `far` rows (the same row for no vertical filtering), `w` samples each, into `out`.
pub(super) fn resample_row(
    out: &mut [u8],
    near: &[u8],
    far: &[u8],
    w: usize,
    hs: usize,
    vs: usize,
) {
    let div4 = |x: u32| (x >> 2) as u8;
    let div16 = |x: u32| (x >> 4) as u8;
    let (n, f) = (&near[..w], &far[..w]);
    match (hs, vs) {
        (1, 1) => out[..w].copy_from_slice(n),
        (1, 2) => {
            for ((o, &a), &b) in out.iter_mut().zip(n).zip(f) {
                *o = div4(3 * u32::from(a) + u32::from(b) + 2);
            }
        }
        (2, 1) => {
            if w == 1 {
                out[0] = n[0];
                out[1] = n[0];
                return;
            }
            out[0] = n[0];
            out[1] = div4(u32::from(n[0]) * 3 + u32::from(n[1]) + 2);
            for i in 1..w - 1 {
                let c = 3 * u32::from(n[i]) + 2;
                out[i * 2] = div4(c + u32::from(n[i - 1]));
                out[i * 2 + 1] = div4(c + u32::from(n[i + 1]));
            }
            out[(w - 1) * 2] = div4(u32::from(n[w - 2]) * 3 + u32::from(n[w - 1]) + 2);
            out[(w - 1) * 2 + 1] = n[w - 1];
        }
        (2, 2) => {
            let col = |i: usize| 3 * u32::from(n[i]) + u32::from(f[i]);
            let mut t1 = col(0);
            out[0] = div4(t1 + 2);
            if w == 1 {
                out[1] = out[0];
                return;
            }
            for i in 1..w {
                let t0 = t1;
                t1 = col(i);
                out[i * 2 - 1] = div16(3 * t0 + t1 + 8);
                out[i * 2] = div16(3 * t1 + t0 + 8);
            }
            out[w * 2 - 1] = div4(t1 + 2);
        }
        _ => {
            for (i, &v) in n.iter().enumerate() {
                out[i * hs..i * hs + hs].fill(v);
            }
        }
    }
}

/// stb's fixed-point constant: `x` * 4096 rounded, shifted left 8 (20 fraction bits).
const fn fixed(x: f32) -> i32 {
    ((x * 4096.0 + 0.5) as i32) << 8
}

/// One row of YCbCr samples to RGB pixels (3 bytes each) with stb's arithmetic.
pub(super) fn ycbcr_row(out: &mut [u8], y: &[u8], cb: &[u8], cr: &[u8]) {
    const CR_R: i32 = fixed(1.402_00);
    const CR_G: i32 = -fixed(0.714_14);
    const CB_G: i32 = -fixed(0.344_14);
    const CB_B: i32 = fixed(1.772_00);
    let n = (out.len() / 3).min(y.len()).min(cb.len()).min(cr.len());
    let (out, y, cb, cr) = (&mut out[..n * 3], &y[..n], &cb[..n], &cr[..n]);
    for i in 0..n {
        let yf = (i32::from(y[i]) << 20) + (1 << 19);
        let cr = i32::from(cr[i]) - 128;
        let cb = i32::from(cb[i]) - 128;
        let r = (yf + cr * CR_R) >> 20;
        let g = (yf + cr * CR_G + ((cb * CB_G) & !0xFFFF)) >> 20;
        let b = (yf + cb * CB_B) >> 20;
        out[i * 3] = r.clamp(0, 255) as u8;
        out[i * 3 + 1] = g.clamp(0, 255) as u8;
        out[i * 3 + 2] = b.clamp(0, 255) as u8;
    }
}

/// stb's `stbi__blinn_8x8`: `x * y / 255`, rounded.
pub(super) fn blinn(x: u8, y: u8) -> u8 {
    let t = u32::from(x) * u32::from(y) + 128;
    ((t + (t >> 8)) >> 8) as u8
}
