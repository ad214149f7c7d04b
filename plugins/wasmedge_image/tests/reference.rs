//! The plug-in's results against WasmEdge's: `tests/reference/` holds what stb_image and
//! stb_image_resize2 (the libraries WasmEdge 0.17.1 calls) give for the images in
//! `tests/images/`, written by `tests/reference/gen.sh`.

use std::path::{Path, PathBuf};

use wedge_plugin_image::errno::ErrNo;
use wedge_plugin_image::func::decode_to_size;

fn dir(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(sub)
}

/// The plug-in's tensor for `image` at `w` × `h` of type `ty`.
fn ours(image: &str, w: u32, h: u32, ty: u32) -> Vec<u8> {
    let bytes = std::fs::read(dir("images").join(image)).unwrap();
    let mut out = Vec::new();
    let r = decode_to_size(&bytes, w, h, ty, u64::MAX, &mut out).unwrap();
    assert_eq!(r, ErrNo::Success, "{image}");
    out
}

/// The stb reference for `image` at `w` × `h` as RGB8 (stored as a PNG).
fn reference_u8(image: &str, w: u32, h: u32) -> Vec<u8> {
    let name = format!("{}_{w}x{h}.png", image.replace('.', "_"));
    let png = std::fs::read(dir("reference").join(name)).unwrap();
    // The reference is a PNG of exactly the tensor: decoding it at its own size copies it.
    let mut out = Vec::new();
    decode_to_size(&png, w, h, 0, u64::MAX, &mut out).unwrap();
    out
}

/// The largest difference between two byte tensors, and how many bytes differ.
fn diff(a: &[u8], b: &[u8]) -> (u8, usize) {
    assert_eq!(a.len(), b.len());
    let d = a.iter().zip(b).map(|(x, y)| x.abs_diff(*y));
    (d.clone().max().unwrap_or(0), d.filter(|&d| d > 0).count())
}

const SIZES: [(u32, u32); 3] = [(50, 60), (20, 15), (100, 30)];

#[test]
fn png_images_resize_to_wasmedges_bytes() {
    for image in ["photo.png", "gray.png", "rgba.png", "rgb16.png"] {
        for (w, h) in SIZES {
            let (max, count) = diff(&ours(image, w, h, 0), &reference_u8(image, w, h));
            eprintln!("{image} {w}x{h}: max {max}, {count} bytes differ");
            assert_eq!(max, 0, "{image} {w}x{h}: off by {max}");
        }
    }
}

#[test]
fn bmp_pnm_and_tga_images_resize_to_wasmedges_bytes() {
    for image in ["photo.ppm", "photo.bmp", "photo.tga"] {
        for (w, h) in [(50, 60), (20, 15)] {
            let (max, count) = diff(&ours(image, w, h, 0), &reference_u8(image, w, h));
            eprintln!("{image} {w}x{h}: max {max}, {count} bytes differ");
            assert_eq!(max, 0, "{image} {w}x{h}: off by {max}");
        }
    }
}

#[test]
fn edge_cases_of_the_filters_give_wasmedges_bytes() {
    for (image, w, h) in [
        ("photo.png", 1, 1),
        ("photo.png", 63, 47),
        ("photo.png", 65, 49),
        ("photo.png", 7, 300),
        ("tiny.png", 7, 5),
        ("tiny.png", 1, 1),
        ("tiny.png", 200, 3),
    ] {
        let (max, count) = diff(&ours(image, w, h, 0), &reference_u8(image, w, h));
        eprintln!("{image} {w}x{h}: max {max}, {count} bytes differ");
        assert_eq!(max, 0, "{image} {w}x{h}: off by {max}");
    }
}

/// The largest difference in each of the three channels (R, G, B).
fn diff_per_channel(a: &[u8], b: &[u8]) -> [u8; 3] {
    assert_eq!(a.len(), b.len());
    let mut max = [0u8; 3];
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        max[i % 3] = max[i % 3].max(x.abs_diff(*y));
    }
    max
}

#[test]
fn jpeg_images_decode_and_resize_to_wasmedges_bytes() {
    // At the image's own size the tensor is the decoded image itself, so this compares the
    // decoder with stb_image's pixel for pixel; the other sizes add the resampler.
    let cases: &[(&str, &[(u32, u32)])] = &[
        ("photo.jpg", &[(64, 48), (50, 60), (20, 15), (100, 30)]),
        (
            "progressive.jpg",
            &[(64, 48), (50, 60), (20, 15), (100, 30)],
        ),
        ("gray.jpg", &[(64, 48), (50, 60), (20, 15), (100, 30)]),
        ("gray_progressive.jpg", &[(64, 48), (50, 60)]),
        ("photo_422.jpg", &[(64, 48), (50, 60)]),
        ("photo_440.jpg", &[(64, 48), (50, 60)]),
        ("photo_444.jpg", &[(64, 48), (50, 60)]),
        ("photo_411.jpg", &[(64, 48), (50, 60)]),
        ("photo_rgb.jpg", &[(64, 48), (50, 60)]),
        ("odd.jpg", &[(61, 45), (50, 60)]),
        ("odd_progressive.jpg", &[(61, 45), (50, 60)]),
    ];
    for &(image, sizes) in cases {
        for &(w, h) in sizes {
            let max = diff_per_channel(&ours(image, w, h, 0), &reference_u8(image, w, h));
            eprintln!("{image} {w}x{h}: max per channel {max:?}");
            assert_eq!(max, [0, 0, 0], "{image} {w}x{h}: off by {max:?}");
        }
    }
}

#[test]
fn a_jpeg_stb_does_not_read_fails() {
    // Arithmetic coding: stb_image fails ("unknown marker"), so WasmEdge's call gives errno 1.
    let bytes = std::fs::read(dir("images").join("arithmetic.jpg")).unwrap();
    let mut out = Vec::new();
    let r = decode_to_size(&bytes, 8, 8, 0, u64::MAX, &mut out).unwrap();
    assert_eq!(r, ErrNo::Fail);
}

#[test]
fn f32_tensors_match_wasmedges_gamma_floats() {
    for (image, w, h) in [
        ("photo.png", 20, 15),
        ("photo.png", 80, 20),
        ("progressive.jpg", 20, 15),
    ] {
        let name = format!("{}_{w}x{h}.f32", image.replace('.', "_"));
        let raw = std::fs::read(dir("reference").join(name)).unwrap();
        let theirs: Vec<f32> = raw
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
            .collect();
        let ours: Vec<f32> = ours(image, w, h, 2)
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
            .collect();
        let max = ours
            .iter()
            .zip(&theirs)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0f32, f32::max);
        eprintln!("{image} f32 {w}x{h}: max diff {max:e}");
        assert!(max < 1e-5, "{image} {w}x{h}: off by {max}");
    }
}
