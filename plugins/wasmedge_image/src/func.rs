//! `load_jpg`, `load_png`, `load_image`: decode, resize, and write a tensor into guest memory.
//!
//! The three are one function, as in WasmEdge: each takes an image in any format `decode` reads.

use wedge_plugin_sdk::{Caller, Error, Memory};

use crate::decode::{self, MAX_SIDE};
use crate::errno::ErrNo;
use crate::resize::{self, Source};

/// The output tensor's element type and channel order (WasmEdge's `DataType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutType {
    /// Bytes, R G B.
    Rgb8,
    /// Bytes, B G R.
    Bgr8,
    /// Little-endian `f32`, R G B.
    Rgb32F,
    /// Little-endian `f32`, B G R.
    Bgr32F,
}

impl OutType {
    /// The type for the guest's number, if it names one.
    #[must_use]
    pub fn from_code(code: u32) -> Option<OutType> {
        Some(match code {
            0 => OutType::Rgb8,
            1 => OutType::Bgr8,
            2 => OutType::Rgb32F,
            3 => OutType::Bgr32F,
            _ => return None,
        })
    }

    /// Bytes per channel.
    #[must_use]
    pub fn sample_bytes(self) -> u64 {
        match self {
            OutType::Rgb8 | OutType::Bgr8 => 1,
            OutType::Rgb32F | OutType::Bgr32F => 4,
        }
    }

    fn is_bgr(self) -> bool {
        matches!(self, OutType::Bgr8 | OutType::Bgr32F)
    }

    /// What each input byte is filtered as: the byte itself for the `u8` types; for the `f32`
    /// types, stb_image's `stbi_loadf` value for an 8-bit image, `(v / 255) ^ 2.2`.
    fn table(self) -> [f32; 256] {
        match self {
            OutType::Rgb8 | OutType::Bgr8 => core::array::from_fn(|v| f32::from(v as u8)),
            OutType::Rgb32F | OutType::Bgr32F => core::array::from_fn(|v| {
                let x = f64::from(f32::from(v as u8) / 255.0);
                #[expect(clippy::cast_possible_truncation, reason = "stb casts to float")]
                let y = x.powf(f64::from(2.2f32)) as f32;
                y
            }),
        }
    }
}

/// Output rows are written to the guest in chunks of about this many bytes.
const CHUNK: usize = 1 << 20;

/// The shared body of the three functions: the guest's image at `in_ptr` (`in_len` bytes)
/// becomes a `w` × `h` tensor of `out_type` at `out_ptr`, which has room for `out_len` bytes.
#[expect(clippy::too_many_arguments, reason = "WasmEdge's ABI")]
pub fn load(
    caller: Caller<'_, ()>,
    in_ptr: u32,
    in_len: u32,
    w: u32,
    h: u32,
    out_type: u32,
    out_ptr: u32,
    out_len: u32,
) -> Result<u32, Error> {
    let Ok(memory) = caller.memory(0) else {
        log("the calling module has no memory");
        return Ok(ErrNo::Fail.code());
    };
    if u64::from(in_len) > decode::MAX_DECODE_BYTES {
        log("the input image is larger than the decoding budget");
        return Ok(ErrNo::Fail.code());
    }
    let Ok(image) = memory.read_vec(in_ptr.into(), in_len.into()) else {
        log("the input image buffer is out of bounds");
        return Ok(ErrNo::Fail.code());
    };
    if !memory.in_bounds(out_ptr.into(), out_len.into()) {
        log("the output buffer is out of bounds");
        return Ok(ErrNo::Fail.code());
    }
    let mut sink = GuestSink {
        memory: &memory,
        at: out_ptr.into(),
    };
    Ok(decode_to_size(&image, w, h, out_type, out_len.into(), &mut sink)?.code())
}

/// Where the tensor's bytes go, in order.
pub trait Sink {
    /// Appends `bytes`.
    fn write(&mut self, bytes: &[u8]) -> Result<(), Error>;
}

/// Guest memory from an offset on, already checked to hold the whole tensor.
struct GuestSink<'a, 'm> {
    memory: &'a Memory<'m>,
    at: u64,
}

impl Sink for GuestSink<'_, '_> {
    fn write(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.memory.write(self.at, bytes)?;
        self.at += bytes.len() as u64;
        Ok(())
    }
}

impl Sink for Vec<u8> {
    fn write(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.extend_from_slice(bytes);
        Ok(())
    }
}

/// Decodes `image`, resizes it to `w` × `h` and writes the tensor of type `out_type` to `sink`,
/// whose buffer holds `out_len` bytes. The checks come in WasmEdge's order: the type, the
/// image, the buffer's size. A zero width or height writes nothing and succeeds, as in
/// WasmEdge (stb_image_resize2 refuses it and WasmEdge ignores that).
pub fn decode_to_size(
    image: &[u8],
    w: u32,
    h: u32,
    out_type: u32,
    out_len: u64,
    sink: &mut impl Sink,
) -> Result<ErrNo, Error> {
    let Some(out_type) = OutType::from_code(out_type) else {
        log(&format!("unknown output type {out_type}"));
        return Ok(ErrNo::Fail);
    };
    let rgb = match decode::decode(image) {
        Ok(rgb) => rgb,
        Err(e) => {
            log(&format!("the image does not decode: {e}"));
            return Ok(ErrNo::Fail);
        }
    };
    let need = u64::from(w)
        .checked_mul(u64::from(h))
        .and_then(|n| n.checked_mul(3 * out_type.sample_bytes()));
    if need.is_none_or(|need| need > out_len) {
        log(&format!(
            "the output buffer of {out_len} bytes is too small for {w}x{h} pixels of {out_type:?}"
        ));
        return Ok(ErrNo::Fail);
    }
    if w == 0 || h == 0 {
        return Ok(ErrNo::Success);
    }
    if w > MAX_SIDE || h > MAX_SIDE {
        log(&format!("{w}x{h} is larger than {MAX_SIDE} pixels a side"));
        return Ok(ErrNo::Fail);
    }
    let (w, h) = (w as usize, h as usize);
    let src = Source {
        rgb: &rgb.bytes,
        width: rgb.width,
        height: rgb.height,
    };
    let table = out_type.table();
    let row_bytes = w * 3 * out_type.sample_bytes() as usize;
    let mut chunk = Vec::with_capacity(CHUNK.max(row_bytes));
    let mut result = Ok(());
    resize::resize(&src, &table, w, h, |_, row| {
        if result.is_err() {
            return;
        }
        let bgr = out_type.is_bgr();
        for px in row.chunks_exact(3) {
            let px = if bgr {
                [px[2], px[1], px[0]]
            } else {
                [px[0], px[1], px[2]]
            };
            match out_type.sample_bytes() {
                1 => chunk.extend(px.map(resize::to_u8)),
                _ => px.iter().for_each(|v| chunk.extend(v.to_le_bytes())),
            }
        }
        if chunk.len() >= CHUNK {
            result = sink.write(&chunk);
            chunk.clear();
        }
    });
    result?;
    if !chunk.is_empty() {
        sink.write(&chunk)?;
    }
    Ok(ErrNo::Success)
}

/// A line on stderr, as WasmEdge logs its errors.
fn log(message: &str) {
    eprintln!("[wasmedge_image] {message}");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(name: &str) -> Vec<u8> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/images/");
        std::fs::read(format!("{path}{name}")).unwrap()
    }

    fn run(bytes: &[u8], w: u32, h: u32, ty: u32, out_len: u64) -> (ErrNo, Vec<u8>) {
        let mut out = Vec::new();
        let e = decode_to_size(bytes, w, h, ty, out_len, &mut out).unwrap();
        (e, out)
    }

    #[test]
    fn each_type_writes_its_size_and_channel_order() {
        let png = image("photo.png");
        let (e, rgb) = run(&png, 7, 5, 0, 105);
        assert_eq!((e, rgb.len()), (ErrNo::Success, 105));
        let (_, bgr) = run(&png, 7, 5, 1, 105);
        for (a, b) in rgb.chunks_exact(3).zip(bgr.chunks_exact(3)) {
            assert_eq!([a[2], a[1], a[0]], b);
        }
        let (e, f) = run(&png, 7, 5, 2, 420);
        assert_eq!((e, f.len()), (ErrNo::Success, 420));
        let (_, fb) = run(&png, 7, 5, 3, 420);
        assert_eq!(f[0..4], fb[8..12]);
    }

    #[test]
    fn floats_are_stb_gamma_values() {
        // 254 is stb_image's 254 / 255 ^ 2.2 = 0.99139285 (the value WasmEdge's own test notes).
        let t = OutType::Rgb32F.table();
        assert!((t[254] - 0.991_392_85).abs() < 1e-7);
        assert_eq!(t[0], 0.0);
        assert_eq!(t[255], 1.0);
        assert_eq!(OutType::Rgb8.table()[200], 200.0);
    }

    #[test]
    fn hostile_images_fail_without_allocating_their_size() {
        for name in ["huge.png", "zero.png", "huge.jpg"] {
            assert_eq!(run(&image(name), 4, 4, 0, 48).0, ErrNo::Fail, "{name}");
        }
        let png = image("photo.png");
        assert_eq!(run(&png[..png.len() / 2], 4, 4, 0, 48).0, ErrNo::Fail);
        assert_eq!(run(&[], 4, 4, 0, 48).0, ErrNo::Fail);
    }

    #[test]
    fn sizes_types_and_buffers_are_checked() {
        let png = image("photo.png");
        assert_eq!(run(&png, 4, 4, 0, 47).0, ErrNo::Fail);
        assert_eq!(run(&png, 4, 4, 2, 191).0, ErrNo::Fail);
        assert_eq!(run(&png, 4, 4, 4, 1000).0, ErrNo::Fail);
        assert_eq!(run(&png, u32::MAX, u32::MAX, 3, u64::MAX).0, ErrNo::Fail);
        assert_eq!(run(&png, MAX_SIDE + 1, 1, 0, u64::MAX).0, ErrNo::Fail);
        // A zero side succeeds and writes nothing, as in WasmEdge.
        assert_eq!(run(&png, 0, 9, 0, 0), (ErrNo::Success, Vec::new()));
    }

    #[test]
    fn without_guest_memory_the_call_fails_with_errno_1() {
        let r = load(Caller::detached(&()), 0, 10, 4, 4, 0, 100, 48);
        assert_eq!(r, Ok(ErrNo::Fail.code()));
    }
}
