//! Decoding a guest's image bytes into 3-channel bytes, as stb_image's `stbi_load_from_memory`
//! with 3 channels gives them to WasmEdge, within limits.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader, Limits};

/// The longest side of an image, decoded or requested: 2^20 pixels (stb_image allows 2^24).
/// The resampler keeps about 24 bytes of weights per pixel of a side, so this bounds them to
/// tens of MiB whatever a guest asks.
pub const MAX_SIDE: u32 = 1 << 20;

/// The most memory a decoder may take, the decoded image included (`image`'s default): larger
/// images fail to load instead of exhausting the host's memory.
pub const MAX_DECODE_BYTES: u64 = 512 << 20;

/// A decoded image: `width * height` pixels of 3 bytes (R, G, B), row after row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rgb {
    /// The samples.
    pub bytes: Vec<u8>,
    /// Pixels per row.
    pub width: usize,
    /// Rows.
    pub height: usize,
}

/// Why an image did not decode.
#[derive(Debug)]
pub enum DecodeError {
    /// The bytes are not an image in a format this decoder reads, or are damaged.
    Image(image::ImageError),
    /// A JPEG that does not decode (JPEG has its own decoder: `jpeg`).
    Jpeg(crate::jpeg::Error),
    /// The image has no pixels.
    Empty,
}

impl core::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            DecodeError::Image(e) => write!(f, "{e}"),
            DecodeError::Jpeg(e) => write!(f, "{e}"),
            DecodeError::Empty => f.write_str("the image has no pixels"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Decodes a PNG, JPEG, BMP, binary PNM or TGA image (whatever the function's name: WasmEdge's
/// three functions all take any format) into R, G, B bytes: grey is repeated, alpha is dropped (not blended), and 16-bit
/// samples keep their high byte, as stb_image does.
pub fn decode(bytes: &[u8]) -> Result<Rgb, DecodeError> {
    if crate::jpeg::is_jpeg(bytes) {
        // stb_image's own JPEG arithmetic, for stb's bytes (see `jpeg`); like stb, a JPEG
        // that fails is not tried as another format.
        let (bytes, width, height) = crate::jpeg::decode(bytes).map_err(DecodeError::Jpeg)?;
        return Ok(Rgb {
            bytes,
            width,
            height,
        });
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| DecodeError::Image(e.into()))?;
    if reader.format().is_none() {
        // TGA has no signature: stb_image tries it last, after the others' signatures.
        reader.set_format(ImageFormat::Tga);
    }
    reader.limits(limits);
    let image = reader.decode().map_err(DecodeError::Image)?;
    let (width, height) = (image.width() as usize, image.height() as usize);
    if width == 0 || height == 0 {
        return Err(DecodeError::Empty);
    }
    let bytes = match image {
        DynamicImage::ImageRgb8(b) => b.into_raw(),
        DynamicImage::ImageRgba8(b) => pick(b.as_raw(), 4, [0, 1, 2], |v: &u8| *v),
        DynamicImage::ImageLuma8(b) => pick(b.as_raw(), 1, [0, 0, 0], |v: &u8| *v),
        DynamicImage::ImageLumaA8(b) => pick(b.as_raw(), 2, [0, 0, 0], |v: &u8| *v),
        DynamicImage::ImageRgb16(b) => pick(b.as_raw(), 3, [0, 1, 2], high_byte),
        DynamicImage::ImageRgba16(b) => pick(b.as_raw(), 4, [0, 1, 2], high_byte),
        DynamicImage::ImageLuma16(b) => pick(b.as_raw(), 1, [0, 0, 0], high_byte),
        DynamicImage::ImageLumaA16(b) => pick(b.as_raw(), 2, [0, 0, 0], high_byte),
        other => other.into_rgb8().into_raw(),
    };
    Ok(Rgb {
        bytes,
        width,
        height,
    })
}

/// stb_image's 16-to-8-bit conversion: the high byte.
#[expect(clippy::trivially_copy_pass_by_ref, reason = "used as a sample mapper")]
fn high_byte(v: &u16) -> u8 {
    v.to_be_bytes()[0]
}

/// The samples at `channels` of each `stride`-sample pixel, mapped to bytes.
fn pick<T>(samples: &[T], stride: usize, channels: [usize; 3], map: impl Fn(&T) -> u8) -> Vec<u8> {
    let mut out = Vec::with_capacity(samples.len() / stride * 3);
    for px in samples.chunks_exact(stride) {
        out.extend(channels.iter().map(|&c| map(&px[c])));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_truncated_and_empty_inputs_fail() {
        assert!(decode(b"").is_err());
        assert!(decode(b"not an image at all").is_err());
        assert!(decode(&[0x89, b'P', b'N', b'G', 13, 10, 26, 10]).is_err());
        assert!(decode(&[0xFF, 0xD8, 0xFF]).is_err());
    }

    #[test]
    fn grey_alpha_and_16_bit_samples_map_as_stb_does() {
        assert_eq!(pick(&[7u8, 9], 2, [0, 0, 0], |v| *v), [7, 7, 7]);
        assert_eq!(
            pick(&[1u8, 2, 3, 4, 5, 6, 7, 8], 4, [0, 1, 2], |v| *v),
            [1, 2, 3, 5, 6, 7]
        );
        assert_eq!(high_byte(&0xABCD), 0xAB);
        assert_eq!(high_byte(&0x00FF), 0);
    }
}
