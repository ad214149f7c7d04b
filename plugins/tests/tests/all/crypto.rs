//! The `wasi_crypto` plug-in (`plugins/wasi_crypto`): its guest `crypto.c` imports all 72
//! functions of the five `wasi_ephemeral_crypto_*` modules. `vectors` runs published test
//! vectors (FIPS 180, RFC 4231, RFC 5869, the GCM specification, RFC 8439, RFC 8032, RFC 6979,
//! RFC 7748) and round trips of every algorithm family; `errors` checks WasmEdge's errno for
//! unknown handles, double closes, buffers of the wrong size, pointers and lengths past memory,
//! and every function on unknown handles. Both through `wedge` and the C host, and with two
//! threads sharing the plug-in's handle tables.

use crate::{PluginLib, assert_exit, both_hosts, c_host, guest, output, plugin_dir, stdout};

const CRYPTO: PluginLib = PluginLib {
    lib: "wedge_plugin_crypto",
    package: "wedge-plugin-crypto",
};

/// Runs `crypto.wasm MODE` through both hosts; each must exit 0 and print "failures: 0".
fn run_both(test: &str, mode: &str) -> Vec<String> {
    let plugins = plugin_dir(test, &[CRYPTO]);
    let guest = guest("wasi_crypto", "crypto");
    both_hosts(&plugins, &[], &[], &guest, &[mode])
        .into_iter()
        .map(|(host, mut cmd)| {
            let out = output(&mut cmd);
            assert_exit(host, &out, 0);
            let text = stdout(&out);
            assert!(text.ends_with("failures: 0\n"), "{host}:\n{text}");
            assert!(!text.contains("FAIL"), "{host}:\n{text}");
            text
        })
        .collect()
}

#[test]
fn published_vectors_pass_from_wasm_through_both_hosts() {
    for text in run_both("crypto_vectors", "vectors") {
        for line in [
            "SHA-256 (FIPS 180 abc): ok",
            "SHA-512/256 (FIPS 180 abc): ok",
            "HMAC/SHA-512 (RFC 4231 case 2): ok",
            "HKDF-SHA-256 (RFC 5869 case 1): ok",
            "AES-128-GCM (GCM spec case 4): ok",
            "AES-256-GCM (GCM spec case 16): ok",
            "CHACHA20-POLY1305 (RFC 8439 2.8.2): ok",
            "Ed25519 (RFC 8032 test 2): ok",
            "ECDSA_P256_SHA256 (RFC 6979 A.2.5 sample): ok",
            "ECDSA_P384_SHA384 (RFC 6979 A.2.6 sample): ok",
            "RSA_PSS_2048_SHA256 generate/sign/verify: ok",
            "X25519 (RFC 7748 6.1): ok",
            "P384-SHA384 key exchange: ok",
        ] {
            assert!(text.contains(line), "missing {line:?} in:\n{text}");
        }
    }
}

#[test]
fn bad_handles_double_closes_small_buffers_and_wild_pointers_get_wasmedges_errnos() {
    let outputs = run_both("crypto_errors", "errors");
    for text in &outputs {
        for line in [
            "absorb into an unknown state: errno 15: ok",
            "options_close again: errno 14: ok",
            "keypair_close again (WasmEdge: algorithm_failure): errno 12: ok",
            "tag pull into 31 bytes: errno 16: ok",
            "tag verify with 16 of its 32 bytes: errno 21: ok",
            "a second encryption with the same nonce: errno 12: ok",
            "absorb from a pointer past memory: errno 12: ok",
            "absorb a length past memory: errno 12: ok",
            "options_open writing past memory: errno 12: ok",
            "key import of 4 GiB: errno 12: ok",
            "and gives SHA-256 of nothing: ok",
            "secrets_manager_open: errno 2: ok",
            "pulled 32 bytes in pieces of 10: ok",
            "the output is closed after it: errno 15: ok",
            "kx_decapsulate: errno 15: ok",
        ] {
            assert!(text.contains(line), "missing {line:?} in:\n{text}");
        }
    }
    assert_eq!(outputs[0], outputs[1], "both hosts print the same");
}

#[test]
fn two_threads_share_the_plugin_at_once() {
    let plugins = plugin_dir("crypto_threads", &[CRYPTO]);
    for mode in ["vectors", "errors"] {
        let mut cmd = c_host(&plugins);
        cmd.args(["--threads", "2"])
            .arg(guest("wasi_crypto", "crypto"))
            .arg(mode);
        let out = output(&mut cmd);
        assert_exit("C host, 2 threads", &out, 0);
        let text = stdout(&out);
        assert_eq!(text.matches("failures: 0").count(), 2, "{mode}:\n{text}");
    }
}

#[test]
fn without_the_plugin_the_vectors_do_not_pass() {
    // With an empty plug-in directory the imports do not resolve (or resolve to the
    // stand-ins): either way the vectors cannot pass.
    let plugins = plugin_dir("crypto_missing", &[]);
    let mut cmd = crate::wedge(&plugins);
    cmd.arg("run")
        .arg(guest("wasi_crypto", "crypto"))
        .arg("vectors");
    let out = output(&mut cmd);
    assert_ne!(out.status.code(), Some(0), "{}", stdout(&out));
}
