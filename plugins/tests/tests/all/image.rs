//! The `wasmedge_image` plug-in (`plugins/wasmedge_image`): its guest (`tests/guests/image.c`)
//! decodes the committed test images through both hosts, and the tensors it hashes are compared
//! with the plug-in's code called natively and with stb's own results (the references WasmEdge's
//! libraries give, `plugins/wasmedge_image/tests/reference/`).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use wedge_plugin_image::func::decode_to_size;

use crate::{
    PluginLib, assert_exit, both_hosts, c_host, guest, output, plugin_dir, repo_root, stdout,
};

const IMAGE: PluginLib = PluginLib {
    lib: "wedge_plugin_image",
    package: "wedge-plugin-image",
};

/// The plug-in's test images and references, preopened as `/img` and `/ref`.
fn dirs() -> (String, String) {
    let root = repo_root().join("plugins/wasmedge_image/tests");
    let img = format!("/img:{}", root.join("images").display());
    let reference = format!("/ref:{}", root.join("reference").display());
    (img, reference)
}

/// Both hosts running the image guest with `args`, `/img` and `/ref` preopened.
fn hosts(plugins: &Path, args: &[&str]) -> [(&'static str, Command); 2] {
    let (img, reference) = dirs();
    both_hosts(
        plugins,
        &["--dir", &img, "--dir", &reference],
        &["--dir", &img, "--dir", &reference],
        &guest("wasmedge_image", "image"),
        args,
    )
}

/// FNV-1a 64, as the guest hashes.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The tensor the plug-in's code gives natively.
fn native(image: &str, w: u32, h: u32, ty: u32) -> Vec<u8> {
    let path = repo_root()
        .join("plugins/wasmedge_image/tests/images")
        .join(image);
    let bytes = std::fs::read(path).unwrap();
    let mut out = Vec::new();
    decode_to_size(&bytes, w, h, ty, u64::MAX, &mut out).unwrap();
    out
}

/// The line `fnv HASH` the guest prints for the call.
fn guest_hash(plugins: &Path, func: &str, file: &str, w: u32, h: u32, ty: u32) -> Vec<String> {
    let (w, h, ty) = (w.to_string(), h.to_string(), ty.to_string());
    hosts(plugins, &["load", func, file, &w, &h, &ty])
        .into_iter()
        .map(|(host, mut cmd)| {
            let out = output(&mut cmd);
            assert_exit(host, &out, 0);
            let text = stdout(&out);
            assert!(text.starts_with("errno 0\n"), "{host}: {text}");
            text.lines().nth(1).unwrap_or_default().to_string()
        })
        .collect()
}

#[test]
fn images_decode_and_resize_to_every_type_as_the_native_code_does() {
    let plugins = plugin_dir("image_types", &[IMAGE]);
    for (func, file) in [
        ("load_png", "photo.png"),
        ("load_jpg", "photo.jpg"),
        ("load_image", "progressive.jpg"),
        // Each function takes any format, as in WasmEdge.
        ("load_jpg", "photo.bmp"),
        ("load_png", "photo.tga"),
    ] {
        for ty in 0..4 {
            let want = format!("fnv {:016x}", fnv(&native(file, 50, 60, ty)));
            for got in guest_hash(&plugins, func, &format!("/img/{file}"), 50, 60, ty) {
                assert_eq!(got, want, "{func} {file} type {ty}");
            }
        }
    }
}

#[test]
fn a_resized_png_equals_stbs_result_byte_for_byte() {
    // The reference is stb's RGB8 tensor stored as a PNG: loading it at its own size copies it.
    let plugins = plugin_dir("image_stb", &[IMAGE]);
    for (w, h) in [(50, 60), (20, 15), (100, 30)] {
        let ours = guest_hash(&plugins, "load_png", "/img/photo.png", w, h, 0);
        let theirs = guest_hash(
            &plugins,
            "load_png",
            &format!("/ref/photo_png_{w}x{h}.png"),
            w,
            h,
            0,
        );
        assert_eq!(ours, theirs, "{w}x{h}");
    }
}

#[test]
fn pixels_come_out_in_the_order_and_scale_of_the_type() {
    // photo.png at its own size: the first pixel is (39, 29, 127) as bytes, and as floats
    // stb_image's (v / 255) ^ 2.2.
    let expect = [
        (0, "first 39 29 127"),
        (1, "first 127 29 39"),
        (2, "first 0.016068 0.008373 0.215764"),
        (3, "first 0.215764 0.008373 0.016068"),
    ];
    let first = native("photo.png", 64, 48, 0);
    let plugins = plugin_dir("image_pixels", &[IMAGE]);
    assert_eq!(first[..3], [39, 29, 127]);
    for (ty, line) in expect {
        for (host, mut cmd) in hosts(
            &plugins,
            &[
                "load",
                "load_png",
                "/img/photo.png",
                "64",
                "48",
                &ty.to_string(),
            ],
        ) {
            let out = output(&mut cmd);
            assert_exit(host, &out, 0);
            assert!(
                stdout(&out).contains(line),
                "{host} type {ty}: {}",
                stdout(&out)
            );
        }
    }
}

#[test]
fn hostile_and_truncated_images_give_errno_1() {
    let plugins = plugin_dir("image_hostile", &[IMAGE]);
    for file in ["huge.png", "zero.png", "huge.jpg"] {
        for (host, mut cmd) in hosts(
            &plugins,
            &["load", "load_image", &format!("/img/{file}"), "8", "8", "0"],
        ) {
            let out = output(&mut cmd);
            assert_exit(host, &out, 0);
            assert_eq!(stdout(&out), "errno 1\n", "{host} {file}");
        }
    }
    for (host, mut cmd) in hosts(
        &plugins,
        &["load", "load_jpg", "/img/photo.jpg", "8", "8", "0", "600"],
    ) {
        let out = output(&mut cmd);
        assert_exit(host, &out, 0);
        assert_eq!(stdout(&out), "errno 1\n", "{host}");
    }
}

#[test]
fn buffers_past_memory_wrong_sizes_and_types_give_errno_1_not_a_trap() {
    let expect = "ok errno 0\n\
                  in_past_end errno 1\n\
                  in_len_huge errno 1\n\
                  out_past_end errno 1\n\
                  out_wraps errno 1\n\
                  out_short errno 1\n\
                  out_short_f32 errno 1\n\
                  huge_request errno 1\n\
                  wrapping_request errno 1\n\
                  bad_type errno 1\n\
                  zero_width errno 0\n\
                  empty_input errno 1\n\
                  truncated errno 1\n";
    let plugins = plugin_dir("image_bounds", &[IMAGE]);
    for (host, mut cmd) in hosts(&plugins, &["bounds", "/img/photo.png"]) {
        let out = output(&mut cmd);
        assert_exit(host, &out, 0);
        assert_eq!(stdout(&out), expect, "{host}");
    }
}

#[test]
fn two_threads_decode_at_once() {
    let plugins = plugin_dir("image_threads", &[IMAGE]);
    let (img, _) = dirs();
    let want = format!("fnv {:016x}", fnv(&native("photo.jpg", 224, 224, 2)));
    let out = output(
        c_host(&plugins)
            .args(["--threads", "2", "--dir", &img])
            .arg(guest("wasmedge_image", "image"))
            .args(["repeat", "/img/photo.jpg", "20"]),
    );
    assert_exit("C host --threads 2", &out, 0);
    assert_eq!(stdout(&out).matches(&want).count(), 2, "{}", stdout(&out));
}

/// The cost figure: a 1-megapixel JPEG decoded and resized to 224x224 RGB32F, through the guest
/// in `wedge` against the same code called natively. Prints the times; run with
/// `--ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a check"]
fn cost_of_a_1_megapixel_jpeg_through_the_guest() {
    let dir = crate::fresh_dir("image_cost");
    let jpg = dir.join("big.jpg");
    // 1024x1024 of the photo, enlarged natively and encoded by cjpeg.
    let rgb = native("photo.png", 1024, 1024, 0);
    let mut ppm = b"P6\n1024 1024\n255\n".to_vec();
    ppm.extend_from_slice(&rgb);
    let enc = Command::new("cjpeg")
        .args(["-quality", "90"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn();
    let Ok(mut enc) = enc else {
        eprintln!("cjpeg is not installed: skipped");
        return;
    };
    std::io::Write::write_all(enc.stdin.as_mut().unwrap(), &ppm).unwrap();
    drop(enc.stdin.take());
    let bytes = enc.wait_with_output().unwrap().stdout;
    std::fs::write(&jpg, &bytes).unwrap();
    let n = 10;
    let mut out = Vec::new();
    decode_to_size(&bytes, 224, 224, 2, u64::MAX, &mut out).unwrap(); // warm up
    let native_ms = (0..3)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..n {
                out.clear();
                decode_to_size(&bytes, 224, 224, 2, u64::MAX, &mut out).unwrap();
            }
            t.elapsed().as_secs_f64() * 1000.0 / f64::from(n)
        })
        .fold(f64::MAX, f64::min);
    let plugins = plugin_dir("image_cost_plugins", &[IMAGE]);
    let run = |count: &str| {
        let t = Instant::now();
        let out = output(
            crate::wedge(&plugins)
                .arg("run")
                .args(["--dir", &format!("/d:{}", dir.display())])
                .arg(guest("wasmedge_image", "image"))
                .args(["repeat", "/d/big.jpg", count]),
        );
        assert_exit("wedge", &out, 0);
        t.elapsed().as_secs_f64() * 1000.0
    };
    let guest_ms = (0..3)
        .map(|_| (run(&(n + 1).to_string()) - run("1")) / f64::from(n))
        .fold(f64::MAX, f64::min);
    eprintln!(
        "1024x1024 JPEG ({} bytes) -> 224x224 RGB32F: native {native_ms:.2} ms, through the guest {guest_ms:.2} ms",
        bytes.len()
    );
}
