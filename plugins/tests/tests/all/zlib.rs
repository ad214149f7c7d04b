//! The `wasmedge_zlib` plug-in (`plugins/wasmedge_zlib`): its guests are ordinary zlib programs
//! compiled against Debian's `zlib.h` with zlib's functions imported from `wasmedge_zlib`.
//! `stream.c` prints the same lines through the plug-in as natively on C zlib
//! (`stream.expected`, written by `after-build.sh` when `scripts/build-guests.sh` runs), through both hosts, and with two threads at once;
//! `gzfile.c` writes and reads gz files inside a preopened directory and cannot leave it.

use std::fs;
use std::path::Path;
use std::time::Instant;

use crate::{
    PluginLib, assert_exit, both_hosts, c_host, fresh_dir, guest, output, plugin_dir, repo_root,
    stderr, stdout,
};

const ZLIB: PluginLib = PluginLib {
    lib: "wedge_plugin_zlib",
    package: "wedge-plugin-zlib",
};

/// What `stream.c` prints on C zlib.
fn expected() -> String {
    fs::read_to_string(repo_root().join("plugins/wasmedge_zlib/tests/guests/stream.expected"))
        .unwrap()
}

#[test]
fn the_stream_guest_prints_what_it_prints_on_c_zlib_through_both_hosts() {
    let plugins = plugin_dir("zlib_stream", &[ZLIB]);
    let expected = expected();
    for (host, mut cmd) in both_hosts(
        &plugins,
        &[],
        &[],
        &guest("wasmedge_zlib", "stream"),
        &["all"],
    ) {
        let out = output(&mut cmd);
        assert_exit(host, &out, 0);
        assert_eq!(stdout(&out), expected, "{host}");
    }
}

#[test]
fn two_threads_use_the_plugin_at_once() {
    let plugins = plugin_dir("zlib_threads", &[ZLIB]);
    let mut cmd = c_host(&plugins);
    cmd.args(["--threads", "2"])
        .arg(guest("wasmedge_zlib", "stream"))
        .arg("all");
    let out = output(&mut cmd);
    assert_exit("C host, 2 threads", &out, 0);
    assert!(stdout(&out).contains("failures: 0"), "{}", stdout(&out));
}

#[test]
fn unknown_streams_double_ends_and_bad_versions_are_errors_not_crashes() {
    let plugins = plugin_dir("zlib_errors", &[ZLIB]);
    for (host, mut cmd) in both_hosts(
        &plugins,
        &[],
        &[],
        &guest("wasmedge_zlib", "stream"),
        &["errors"],
    ) {
        let out = output(&mut cmd);
        assert_exit(host, &out, 0);
        let text = stdout(&out);
        for line in [
            "deflateInit_ wrong stream_size: Z_VERSION_ERROR: ok",
            "deflateInit2_ wrong version: Z_VERSION_ERROR: ok",
            "deflate on an unknown stream: Z_STREAM_ERROR: ok",
            "deflateEnd twice: Z_STREAM_ERROR: ok",
            "inflateEnd twice: Z_STREAM_ERROR: ok",
        ] {
            assert!(text.contains(line), "{host}: no {line:?} in\n{text}");
        }
    }
}

#[test]
fn buffers_past_the_end_of_memory_trap() {
    let plugins = plugin_dir("zlib_oob", &[ZLIB]);
    for mode in ["oob-stream", "oob-crc", "oob-zstream"] {
        for (host, mut cmd) in both_hosts(
            &plugins,
            &[],
            &[],
            &guest("wasmedge_zlib", "stream"),
            &[mode],
        ) {
            let out = output(&mut cmd);
            let code = out.status.code();
            assert!(
                code.is_some_and(|c| c != 0),
                "{host} {mode}: expected a trap, got {:?}\n{}",
                out.status,
                stderr(&out)
            );
            assert!(
                !stdout(&out).contains(" = "),
                "{host} {mode}: the call returned"
            );
            assert!(
                stderr(&out).contains("0x408") || stderr(&out).contains("out of bounds"),
                "{host} {mode}: {}",
                stderr(&out)
            );
        }
    }
}

/// One-off cost figure: deflate of 10 MiB through the guest (the guest's time includes filling
/// its buffer); compare with `cargo test -p wedge-plugin-zlib --release -- --ignored
/// native_deflate_10_mib --nocapture`.
#[test]
#[ignore = "a measurement, not a check"]
fn guest_deflate_10_mib() {
    let plugins = plugin_dir("zlib_bench", &[ZLIB]);
    for (host, mut cmd) in both_hosts(
        &plugins,
        &[],
        &[],
        &guest("wasmedge_zlib", "stream"),
        &["bench", "10"],
    ) {
        let start = Instant::now();
        let out = output(&mut cmd);
        assert_exit(host, &out, 0);
        eprintln!("{host}: {:?} {}", start.elapsed(), stdout(&out).trim());
    }
}

/// The gz guest's preopened directory for `test`, with a file outside it to try to reach.
fn gz_dirs(test: &str) -> (std::path::PathBuf, String) {
    let root = fresh_dir(test);
    let data = root.join("data");
    fs::create_dir_all(&data).unwrap();
    fs::write(root.join("outside.txt"), b"secret").unwrap();
    let dir = format!("/data:{}", data.display());
    (root, dir)
}

#[test]
fn gz_files_are_written_and_read_inside_the_preopened_directory() {
    let plugins = plugin_dir("zlib_gz", &[ZLIB]);
    let (root, dir) = gz_dirs("zlib_gz_files");
    for (host, mut cmd) in both_hosts(
        &plugins,
        &["--dir", &dir],
        &["--dir", &dir],
        &guest("wasmedge_zlib", "gzfile"),
        &["/data"],
    ) {
        let out = output(&mut cmd);
        assert_exit(host, &out, 0);
        assert!(
            stdout(&out).contains("failures: 0"),
            "{host}:\n{}",
            stdout(&out)
        );
        // The file is a real gzip file on the host.
        let gz = fs::read(root.join("data/test.gz")).unwrap();
        assert_eq!(&gz[..2], &[0x1f, 0x8b], "{host}");
        assert!(
            !Path::new(&root.join("escaped.gz")).exists(),
            "{host}: a file escaped"
        );
    }
}

#[test]
fn gzopen_without_a_preopened_directory_fails_cleanly() {
    let plugins = plugin_dir("zlib_gz_nodir", &[ZLIB]);
    for (host, mut cmd) in both_hosts(
        &plugins,
        &[],
        &[],
        &guest("wasmedge_zlib", "gzfile"),
        &["/data"],
    ) {
        let out = output(&mut cmd);
        let text = stdout(&out);
        assert!(
            text.contains("gzopen for writing: FAILED"),
            "{host}:\n{text}"
        );
        assert!(
            text.contains("gzopen through ..: NULL: ok"),
            "{host}:\n{text}"
        );
        // The guest ran to its end and counted its failures: no trap, no crash.
        assert!(
            text.contains("failures: "),
            "{host}:\n{text}\n{}",
            stderr(&out)
        );
        let code = out.status.code().unwrap_or(-1);
        assert!((1..100).contains(&code), "{host}: exit {code}");
    }
}
