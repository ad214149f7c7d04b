//! One-off measurement, not a test: SHA-256 and AES-256-GCM of a 1 MiB buffer with the same
//! RustCrypto code the plug-in calls, natively, and through the plug-in's context (the host
//! side of a call, without wasm). Compare with the guest's own timing:
//!
//! ```text
//! cargo bench -p wedge-plugin-crypto --bench throughput -- 200
//! wedge run plugins/wasi_crypto/tests/guests/crypto.wasm bench 200
//! ```
//!
//! Run both in the same profile (`--profile dev` here matches a debug `wedge`; dependencies
//! are optimized in both).

use std::time::Instant;

use aes_gcm::aead::{AeadInPlace, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use sha2::{Digest, Sha256};
use wedge_plugin_crypto::common::{AlgorithmType, Options};
use wedge_plugin_crypto::state::Context;
use wedge_plugin_crypto::symmetric::SymAlg;

const LEN: usize = 1 << 20;

fn report(what: &str, n: usize, secs: f64) {
    println!(
        "{what} 1 MiB x {n}: {secs:.3} s, {:.1} MiB/s",
        n as f64 / secs
    );
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100);
    let data: Vec<u8> = (0..LEN).map(|i| (i * 31 + 7) as u8).collect();

    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(Sha256::digest(&data));
    }
    report("native SHA-256", n, t.elapsed().as_secs_f64());

    let cipher = Aes256Gcm::new_from_slice(&[7; 32]).unwrap();
    let nonce = Nonce::from_slice(&[0; 12]);
    let mut buf = data.clone();
    let t = Instant::now();
    for _ in 0..n {
        buf.copy_from_slice(&data);
        std::hint::black_box(
            cipher
                .encrypt_in_place_detached(nonce, b"", &mut buf)
                .unwrap(),
        );
    }
    report("native AES-256-GCM", n, t.elapsed().as_secs_f64());

    let ctx = Context::default();
    let t = Instant::now();
    for _ in 0..n {
        let s = ctx
            .symmetric_state_open(SymAlg::Sha256, None, None)
            .unwrap();
        let state = ctx.symmetric_state(s).unwrap();
        state.absorb(&data).unwrap();
        std::hint::black_box(state.squeeze(32).unwrap());
        ctx.symmetric_states.close(s).unwrap();
    }
    report("context SHA-256", n, t.elapsed().as_secs_f64());

    let key = ctx.symmetric_key_generate(SymAlg::Aes256Gcm, None).unwrap();
    let options = ctx
        .options
        .insert(Options::new(AlgorithmType::Symmetric))
        .unwrap();
    ctx.options
        .get(options)
        .unwrap()
        .set(b"nonce", &[0; 12])
        .unwrap();
    let t = Instant::now();
    for _ in 0..n {
        let s = ctx
            .symmetric_state_open(SymAlg::Aes256Gcm, Some(key), Some(options))
            .unwrap();
        let state = ctx.symmetric_state(s).unwrap();
        std::hint::black_box(state.encrypt(LEN + 16, data.clone()).unwrap());
        ctx.symmetric_states.close(s).unwrap();
    }
    report("context AES-256-GCM", n, t.elapsed().as_secs_f64());
}
