//! WasmEdge's `wasmedge_image` plug-in for Wedge: a guest hands over the bytes of a PNG or JPEG
//! (or BMP, PNM, TGA) image and gets back the image resized to the width and height it asks
//! for, as an RGB or BGR tensor of bytes or of `f32`, ready to feed a model.
//!
//! Plug-in `wasmedge_image`, module `wasmedge_image`, three functions with WasmEdge 0.17.1's
//! signature `(in_ptr, in_len, width, height, type, out_ptr, out_len) -> errno`, all `i32`:
//!
//! | function | does |
//! |---|---|
//! | `load_jpg` | decodes the image at `in_ptr`, resizes it to `width` × `height` and writes it at `out_ptr` |
//! | `load_png` | the same |
//! | `load_image` | the same |
//!
//! As in WasmEdge, the three are the same function and each takes any of the formats. `type` is
//! 0 RGB8, 1 BGR8, 2 RGB32F, 3 BGR32F; the tensor is `height` rows of `width` pixels of 3
//! channels, `f32` little-endian. The errno is 0 on success and 1 on any failure (no memory,
//! a buffer outside memory, an unknown type, an image that does not decode, an output buffer
//! shorter than `width * height * 3` (× 4 for `f32`)); a failure logs a line on stderr.
//!
//! The functions' work is [`func::decode_to_size`], which a host program can call too:
//!
//! ```
//! use wedge_plugin_image::func::decode_to_size;
//!
//! let png = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/images/photo.png"))?;
//! let mut tensor = Vec::new();
//! // 224x224, type 2 (RGB32F), into a buffer of 224 * 224 * 3 floats.
//! let errno = decode_to_size(&png, 224, 224, 2, 224 * 224 * 12, &mut tensor)?;
//! assert_eq!((errno.code(), tensor.len()), (0, 224 * 224 * 12));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What matches WasmEdge, and what does not
//!
//! WasmEdge decodes with stb_image (`stbi_load_from_memory` with 3 channels, or `stbi_loadf`
//! for the `f32` types) and resizes with stb_image_resize2 2.14's
//! `stbir_resize_{uint8,float}_linear` (stb commit `2dfbe86b`). This crate decodes JPEG with
//! its own decoder (`jpeg`), the other formats with the `image` crate (png, and its own BMP,
//! TGA and PNM), and resizes with its own port of stb's filters (`resize.rs`):
//!
//! - Same: the filters (Catmull-Rom to enlarge, Mitchell to shrink, a copy at the same size,
//!   chosen per axis), pixel centres, support, weight normalisation, clamped edges and the `u8`
//!   rounding; grey repeated to 3 channels, alpha dropped without blending, 16-bit samples cut
//!   to their high byte; and the `f32` values: stb_image's `stbi_loadf` turns 8-bit samples into
//!   `(v / 255) ^ 2.2` (its default gamma), not `v / 255`, and the resized floats are not
//!   clamped, so they can stray a little outside 0..1 near sharp edges.
//! - PNG: the same bytes. On the test images (RGB, grey, RGBA, 16-bit) the `u8` tensors equal
//!   stb's exactly at every size tried, and the `f32` ones are within 2e-6.
//! - JPEG: the same bytes. The decoder (`jpeg/`, baseline and progressive Huffman JPEG, as
//!   stb reads) follows stb_image's arithmetic: its integer inverse DCT (IJG's islow with
//!   12-bit constants and its rounding), its "fancy" chroma upsampling (rounded once per
//!   2x2, nearest neighbour for ratios other than 2), its fixed-point YCbCr to RGB, Adobe's
//!   RGB/CMYK/YCCK flags, and stb's choice of dequantization tables. On the test JPEGs (4:2:0
//!   baseline and progressive, 4:2:2, 4:4:0, 4:4:4, 4:1:1, RGB, grey baseline and progressive,
//!   61x45 with restart markers) the decoded pixels, and the tensors at every size tried,
//!   equal stb's exactly; so did 11 other JPEGs from the wild checked while writing it. (The
//!   `image` crate's zune-jpeg, used before, was within 3 of stb on colour images and 1 on
//!   grey.) CMYK and YCCK follow stb's formulas but no test image has them. An arithmetic-coded,
//!   lossless, hierarchical or 12-bit JPEG fails, as in stb. `tests/reference.rs` measures all
//!   of this against stb itself (`tests/reference/gen.sh` rebuilds the references).
//! - The order of additions in the filter differs from stb's SIMD code, so a resized `u8`
//!   channel can differ by 1 where the exact value lies on a rounding boundary.
//! - Formats: PNG, JPEG, BMP, binary PNM (P5, P6) and TGA, as stb_image (BMP, PNM and TGA give
//!   stb's bytes exactly on the test images; TGA, which has no signature, is tried last, as stb
//!   does). stb_image also reads GIF, PSD, PIC and HDR, which fail here with errno 1.
//! - Limits, where WasmEdge has none: an image is decoded only if its sides are at most 2^20
//!   pixels (stb allows 2^24), its bytes are at most 512 MiB and its decoding needs at most
//!   512 MiB (a JPEG: at most 256 scans, too); a requested side above
//!   2^20 fails. WasmEdge computes `width * height * 3` in 32 bits, so a huge request can wrap
//!   around, pass its size check and write past the buffer; here the product is checked in 64
//!   bits.
//! - A width or height of 0 succeeds and writes nothing, as in WasmEdge (stb refuses to resize
//!   and WasmEdge ignores its answer).
//!
//! Besides the decoded image, a call holds the filter weights of both axes (about 24 bytes per
//! pixel of a side) and two rows of floats, and writes the output to the guest 1 MiB at a time,
//! so its memory does not grow with the output's area.
//!
//! Cost (dev profile, a loaded 2-core machine): a 1024x1024 JPEG decoded and resized to
//! 224x224 RGB32F takes 45-95 ms called natively, about half of it the decoding (27-48 ms);
//! through a guest in `wedge` the call's own cost was lost in the noise when last measured
//! (`plugins/tests`, `image::cost_*`, ignored by default).

#![forbid(unsafe_code)]

pub mod decode;
pub mod errno;
pub mod func;
pub mod jpeg;
pub mod resize;

use wedge_plugin_sdk::{Module, Plugin, package_version};

/// The plug-in's name.
pub const PLUGIN_NAME: &str = "wasmedge_image";
/// The module's name, which guests import.
pub const MODULE_NAME: &str = "wasmedge_image";

/// Declares the plug-in. The module has no state: each call stands alone.
#[must_use]
pub fn declare() -> Plugin {
    Plugin::new(PLUGIN_NAME, package_version!())
        .description("Image loading plug-in for Wedge (WasmEdge's wasmedge_image)")
        .module(
            Module::new(MODULE_NAME, || ())
                .description("load_jpg, load_png, load_image: decode, resize, write a tensor")
                .func("load_jpg", func::load)
                .func("load_png", func::load)
                .func("load_image", func::load),
        )
}

wedge_plugin_sdk::plugin!(declare);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plugin_declares_wasmedges_module_and_functions() {
        let plugin = declare();
        assert_eq!(plugin.name(), "wasmedge_image");
        assert_eq!(
            plugin.module_names().collect::<Vec<_>>(),
            ["wasmedge_image"]
        );
    }
}
