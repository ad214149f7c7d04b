//! The resampler: the filters and weights of stb_image_resize2 2.14 (the version WasmEdge 0.17.1
//! builds with), so that an image resized here matches one resized by WasmEdge.
//!
//! What is matched, per axis: the filter choice (Catmull-Rom when enlarging, Mitchell-Netravali
//! when shrinking, a plain copy when the size does not change), the pixel-centre mapping
//! (`(n + 0.5) * in / out`), the support (2 pixels, widened by the shrink factor), the
//! normalisation of the weights to sum 1 (in `f64`, as stb does) and the clamped edges (weights
//! that fall outside the image are added to the edge pixel). Weights are computed with the same
//! `f32` operations. Channels are filtered as floats, in the values the caller maps the input
//! bytes to (0–255 for the `u8` outputs, stb_image's gamma-2.2 floats for the `f32` ones), and a
//! `u8` result is rounded as stb does (add 0.5, clamp to 0–255, truncate).
//!
//! What is not matched: the order of the two passes and of the additions inside a pass (stb picks
//! one by cost and uses SIMD), and stb's reuse of the weights of the first period for a rational
//! scale. These change results by a few `f32` ulps, so a `u8` channel can differ by 1 where the
//! exact value lies on a rounding boundary, and an `f32` channel by about 1e-6.

/// The weights of one axis: for output pixel `n`, `len[n]` weights from `weights[n * width]`,
/// applying to input pixels `first[n]`, `first[n] + 1`, …, all inside the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    first: Vec<usize>,
    len: Vec<usize>,
    width: usize,
    weights: Vec<f32>,
}

/// Below this a weight is zero (`stbir__small_float`, 2^-120).
const SMALL: f32 = 1.0 / (1u128 << 120) as f32;

/// The Catmull-Rom cubic (B = 0, C = 1/2), support 2: stb's filter for enlarging.
fn catmull_rom(x: f32) -> f32 {
    let x = x.abs();
    if x < 1.0 {
        1.0 - x * x * (2.5 - 1.5 * x)
    } else if x < 2.0 {
        2.0 - x * (4.0 + x * (0.5 * x - 2.5))
    } else {
        0.0
    }
}

/// The Mitchell-Netravali cubic (B = C = 1/3), support 2: stb's filter for shrinking.
fn mitchell(x: f32) -> f32 {
    let x = x.abs();
    if x < 1.0 {
        (16.0 + x * x * (21.0 * x - 36.0)) / 18.0
    } else if x < 2.0 {
        (32.0 + x * (-60.0 + x * (36.0 - 7.0 * x))) / 18.0
    } else {
        0.0
    }
}

/// `floor(v)` as an `i64` (the values here are small).
#[expect(
    clippy::cast_possible_truncation,
    reason = "pixel positions of images whose sides are at most 2^20"
)]
fn floor(v: f32) -> i64 {
    v.floor() as i64
}

/// An `i64` that is known to be in `0..=usize::MAX` here.
fn index(v: i64) -> usize {
    usize::try_from(v).unwrap_or(0)
}

/// Weights before they are clamped into the image: output `n` has `len[n]` weights from
/// `weights[n * width]` for input pixels from `first[n]`, which may lie outside the image.
struct Raw {
    first: Vec<i64>,
    len: Vec<usize>,
    width: usize,
    weights: Vec<f32>,
}

impl Raw {
    fn new(output: usize, width: usize) -> Raw {
        Raw {
            first: vec![0; output],
            len: vec![0; output],
            width,
            weights: vec![0.0; output * width],
        }
    }
}

impl Axis {
    /// The weights for resizing `input` pixels to `output` pixels (both nonzero, at most 2^20).
    #[must_use]
    pub fn new(input: usize, output: usize) -> Axis {
        debug_assert!(input > 0 && output > 0);
        // stb: scale = out / in in f64, kept as f32; the inverse from the f64.
        let scale64 = output as f64 / input as f64;
        #[expect(
            clippy::cast_possible_truncation,
            reason = "stb keeps the scale as f32"
        )]
        let (scale, inv_scale) = (scale64 as f32, (1.0 / scale64) as f32);
        let mut raw = if scale >= 1.0 - SMALL {
            if scale <= 1.0 + SMALL {
                // Same size, no shift: stb point-samples, which copies.
                let mut raw = Raw::new(output, 1);
                for n in 0..output {
                    raw.first[n] = n as i64;
                    raw.len[n] = 1;
                    raw.weights[n] = 1.0;
                }
                raw
            } else {
                Self::enlarge(output, scale, inv_scale)
            }
        } else {
            Self::shrink(input, output, scale, inv_scale)
        };
        let width = raw.width;
        let mut axis = Axis {
            first: vec![0; output],
            len: vec![0; output],
            width,
            weights: vec![0.0; output * width],
        };
        for n in 0..output {
            let w = &mut raw.weights[n * width..][..raw.len[n]];
            normalise(w);
            let (first, len) = clamp_into(
                raw.first[n],
                w,
                input,
                &mut axis.weights[n * width..][..width],
            );
            axis.first[n] = first;
            axis.len[n] = len;
        }
        axis
    }

    /// stb's gather weights for enlarging: Catmull-Rom at the input pixels around each output
    /// pixel's centre, at most 4 of them.
    fn enlarge(output: usize, scale: f32, inv_scale: f32) -> Raw {
        const WIDTH: usize = 4; // ceil(support * 2)
        let mut raw = Raw::new(output, WIDTH);
        let radius = 2.0 * scale; // support(1/scale) * scale, in output pixels
        for n in 0..output {
            let center = n as f32 + 0.5;
            let in_center = center * inv_scale;
            let mut first = floor((center - radius) * inv_scale + 0.5);
            let last = floor((center + radius) * inv_scale - 0.5)
                .max(first)
                .min(first + WIDTH as i64 - 1);
            let w = &mut raw.weights[n * WIDTH..][..WIDTH];
            let mut len = 0;
            let mut i = first;
            while i <= last {
                let c = catmull_rom(in_center - (i as f32 + 0.5));
                if c.abs() < SMALL {
                    if len == 0 && i < last {
                        first += 1; // drop leading zeros
                        i += 1;
                        continue;
                    }
                    w[len] = 0.0;
                } else {
                    w[len] = c;
                }
                len += 1;
                i += 1;
            }
            while len > 1 && w[len - 1] == 0.0 {
                len -= 1;
            }
            raw.first[n] = first;
            raw.len[n] = len;
        }
        raw
    }

    /// stb's gather weights for shrinking: each input pixel (the image and a margin on both
    /// sides) spreads a Mitchell filter, scaled to output pixels, over the outputs it reaches.
    fn shrink(input: usize, output: usize, scale: f32, inv_scale: f32) -> Raw {
        let radius = 2.0 * inv_scale; // support(scale) * inv_scale, in input pixels
        #[expect(clippy::cast_possible_truncation, reason = "a small positive width")]
        let taps = (2.0f32 * 2.0 / scale).ceil() as i64; // stb's coefficient width
        let margin = taps / 2;
        let width = index(taps) + 2;
        let mut raw = Raw::new(output, width);
        let mut opened = 0; // outputs that have weights so far
        let last_out = output as i64 - 1;
        for in_pixel in -margin..input as i64 + margin {
            let in_center = in_pixel as f32 + 0.5;
            let out_center_of_in = in_center * scale;
            let first = floor((in_center - radius) * scale + 0.5).max(0);
            let last = floor((in_center + radius) * scale - 0.5).min(last_out);
            for o in first..=last {
                let x = (o as f32 + 0.5) - out_center_of_in;
                let mut c = mitchell(x) * scale;
                if c.abs() < SMALL {
                    c = 0.0;
                }
                let o = index(o);
                let w = &mut raw.weights[o * width..][..width];
                if o >= opened {
                    // stb reaches the outputs in order; one skipped keeps no weights.
                    opened = o + 1;
                    raw.first[o] = in_pixel;
                    raw.len[o] = 1;
                    w[0] = c;
                } else if raw.len[o] == 1 && w[0] == 0.0 {
                    raw.first[o] = in_pixel; // a zero first weight is replaced
                    w[0] = c;
                } else if raw.len[o] < width {
                    w[raw.len[o]] = c;
                    raw.len[o] += 1;
                }
            }
        }
        raw
    }

    /// The output size.
    #[must_use]
    pub fn len(&self) -> usize {
        self.first.len()
    }

    /// Whether there are no output pixels.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.first.is_empty()
    }

    /// Output pixel `n`'s first input pixel and weights.
    fn taps(&self, n: usize) -> (usize, &[f32]) {
        (
            self.first[n],
            &self.weights[n * self.width..][..self.len[n]],
        )
    }
}

/// Writes into `out` the weights `w` for input pixels from `first` (possibly outside the image
/// of `input` pixels) with those outside added to the edge pixels, as stb's clamp mode does:
/// the right edge first, outwards, then the left edge from -1 outwards. Returns the first input
/// pixel and the number of weights written (at most `w.len()`, trailing zeros dropped).
fn clamp_into(first: i64, w: &[f32], input: usize, out: &mut [f32]) -> (usize, usize) {
    if w.is_empty() {
        out[0] = 0.0;
        return (0, 1);
    }
    let last_in = input as i64 - 1;
    let end = first + w.len() as i64 - 1;
    let lo = first.clamp(0, last_in);
    let hi = end.clamp(0, last_in).max(lo);
    let len = index(hi - lo) + 1;
    for (k, p) in (lo..=hi).enumerate() {
        out[k] = if p >= first && p <= end {
            w[index(p - first)]
        } else {
            0.0
        };
    }
    if end > last_in {
        let at = index(last_in - lo);
        for p in (last_in + 1).max(first)..=end {
            out[at] += w[index(p - first)];
        }
    }
    if first < 0 {
        for p in (first..=end.min(-1)).rev() {
            out[0] += w[index(p - first)];
        }
    }
    let mut len = len;
    while len > 1 && out[len - 1] == 0.0 {
        len -= 1;
    }
    (index(lo), len)
}

/// Scales weights that do not sum to 1 so that they do (the sum and the factor in `f64`); weights
/// that sum to about zero become zero.
fn normalise(w: &mut [f32]) {
    let total: f64 = w.iter().map(|&c| f64::from(c)).sum();
    if total.abs() < f64::from(SMALL) {
        w.iter_mut().for_each(|c| *c = 0.0);
        return;
    }
    if total != 1.0 {
        let factor = 1.0 / total;
        #[expect(clippy::cast_possible_truncation, reason = "stb stores weights as f32")]
        w.iter_mut()
            .for_each(|c| *c = (f64::from(*c) * factor) as f32);
    }
}

/// A 3-channel image of bytes, row after row, that the resampler reads through a table mapping
/// each byte to the float it filters.
pub struct Source<'a> {
    /// The bytes, `width * height * 3`.
    pub rgb: &'a [u8],
    /// Pixels per row.
    pub width: usize,
    /// Rows.
    pub height: usize,
}

/// Resizes `src` to `out_w` × `out_h` (both nonzero), mapping its bytes through `table`, and
/// hands each output row (`out_w * 3` floats) to `row`, top to bottom.
///
/// It filters the columns into one input-width row, then that row into the output row, so it
/// holds two rows, whatever the sizes.
pub fn resize(
    src: &Source<'_>,
    table: &[f32; 256],
    out_w: usize,
    out_h: usize,
    mut row: impl FnMut(usize, &[f32]),
) {
    let across = Axis::new(src.width, out_w);
    let down = Axis::new(src.height, out_h);
    let in_stride = src.width * 3;
    let mut column = vec![0.0f32; in_stride];
    let mut out = vec![0.0f32; out_w * 3];
    for y in 0..out_h {
        let (first, weights) = down.taps(y);
        column.iter_mut().for_each(|v| *v = 0.0);
        for (k, &w) in weights.iter().enumerate() {
            let line = &src.rgb[(first + k) * in_stride..][..in_stride];
            for (acc, &b) in column.iter_mut().zip(line) {
                *acc += w * table[usize::from(b)];
            }
        }
        for (x, px) in out.chunks_exact_mut(3).enumerate() {
            let (first, weights) = across.taps(x);
            let mut acc = [0.0f32; 3];
            for (k, &w) in weights.iter().enumerate() {
                let p = &column[(first + k) * 3..][..3];
                acc[0] += w * p[0];
                acc[1] += w * p[1];
                acc[2] += w * p[2];
            }
            px.copy_from_slice(&acc);
        }
        row(y, &out);
    }
}

/// stb's rounding of a filtered 0–255 value to a byte: add 0.5, clamp, truncate.
#[must_use]
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "clamped to 0..=255 first"
)]
pub fn to_u8(v: f32) -> u8 {
    (v + 0.5).clamp(0.0, 255.0) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sums(axis: &Axis) -> Vec<f32> {
        (0..axis.len())
            .map(|n| axis.taps(n).1.iter().sum())
            .collect()
    }

    #[test]
    fn the_same_size_copies() {
        let a = Axis::new(5, 5);
        for n in 0..5 {
            assert_eq!(a.taps(n), (n, &[1.0f32][..]));
        }
    }

    #[test]
    fn weights_sum_to_one_and_stay_inside_the_image() {
        for (i, o) in [
            (30, 50),
            (50, 30),
            (1, 7),
            (7, 1),
            (640, 224),
            (3, 1000),
            (1000, 3),
        ] {
            let a = Axis::new(i, o);
            assert_eq!(a.len(), o);
            for s in sums(&a) {
                assert!((s - 1.0).abs() < 1e-5, "{i}->{o}: {s}");
            }
            for n in 0..o {
                let (first, w) = a.taps(n);
                assert!(first + w.len() <= i, "{i}->{o} pixel {n}");
            }
        }
    }

    #[test]
    fn enlarging_twice_uses_catmull_rom_at_quarter_offsets() {
        // Output pixel 2 of 4 (from 2) has its centre at input 1.25: taps -1..=2, clamped.
        let a = Axis::new(2, 4);
        let (first, w) = a.taps(2);
        assert_eq!(first, 0);
        let k = [
            catmull_rom(1.25 - 0.5),
            catmull_rom(1.25 - 1.5),
            catmull_rom(1.25 - 2.5),
        ];
        assert!((w[0] - (k[0] + catmull_rom(1.25 + 0.5))).abs() < 1e-6);
        assert!((w[1] - (k[1] + k[2])).abs() < 1e-6);
    }

    #[test]
    fn a_flat_image_stays_flat_and_rounds_like_stb() {
        let rgb = vec![200u8; 7 * 5 * 3];
        let src = Source {
            rgb: &rgb,
            width: 7,
            height: 5,
        };
        let table: [f32; 256] = core::array::from_fn(|i| i as f32);
        let mut rows = 0;
        resize(&src, &table, 13, 2, |_, row| {
            rows += 1;
            assert!(row.iter().all(|&v| to_u8(v) == 200), "{row:?}");
        });
        assert_eq!(rows, 2);
        assert_eq!(to_u8(-3.0), 0);
        assert_eq!(to_u8(254.49), 254);
        assert_eq!(to_u8(254.5), 255);
        assert_eq!(to_u8(300.0), 255);
    }

    #[test]
    fn kernels_are_interpolating_and_smoothing() {
        assert_eq!(catmull_rom(0.0), 1.0);
        assert_eq!(catmull_rom(1.0), 0.0);
        assert_eq!(catmull_rom(2.0), 0.0);
        assert!((mitchell(0.0) - 16.0 / 18.0).abs() < 1e-7);
        assert!((mitchell(1.0) - 1.0 / 18.0).abs() < 1e-7);
        assert_eq!(mitchell(2.5), 0.0);
    }
}
