//! Published test vectors, run through the context as the host functions run them: FIPS 180
//! (SHA-2), RFC 4231 (HMAC), RFC 5869 (HKDF), the GCM specification's test cases (AES-GCM),
//! RFC 8439 (ChaCha20-Poly1305), RFC 8032 (Ed25519), RFC 7748 (X25519), RFC 6979 (ECDSA, whose
//! deterministic signatures RustCrypto makes), and keys and signatures made by the OpenSSL 3.0
//! command line (`tests/data/`), which WasmEdge's plug-in is built on.

use crate::common::{AlgorithmType, Options};
use crate::errno::CryptoErrno;
use crate::keys::{AsymAlg, Encoding, SigAlg};
use crate::state::Context;
use crate::symmetric::SymAlg;

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// The whole content of an array output.
fn pull(ctx: &Context, h: u32) -> Vec<u8> {
    let len = ctx.array_outputs.get(h).unwrap().len();
    ctx.array_output_pull(h, len).unwrap()
}

fn sym(name: &str) -> SymAlg {
    SymAlg::parse(name.as_bytes()).unwrap()
}

fn sig_alg(name: &str) -> AsymAlg {
    AsymAlg::parse(AlgorithmType::Signatures, name.as_bytes()).unwrap()
}

fn kx_alg(name: &str) -> AsymAlg {
    AsymAlg::parse(AlgorithmType::KeyExchange, name.as_bytes()).unwrap()
}

/// Hashes `msg` with `alg`, absorbed in two pieces.
fn hash(ctx: &Context, alg: &str, msg: &[u8], len: usize) -> Vec<u8> {
    let s = ctx.symmetric_state_open(sym(alg), None, None).unwrap();
    let state = ctx.symmetric_state(s).unwrap();
    let (a, b) = msg.split_at(msg.len() / 2);
    state.absorb(a).unwrap();
    state.absorb(b).unwrap();
    state.squeeze(len).unwrap()
}

#[test]
fn fips_180_sha2() {
    let ctx = Context::default();
    let two_blocks = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    assert_eq!(
        hash(&ctx, "SHA-256", b"abc", 32),
        hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    );
    assert_eq!(
        hash(&ctx, "sha-256", two_blocks, 32),
        hex("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    );
    assert_eq!(
        hash(&ctx, "SHA-512", b"abc", 64),
        hex(
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a
             2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
        )
    );
    assert_eq!(
        hash(&ctx, "SHA-512/256", b"abc", 32),
        hex("53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23")
    );
    // A shorter squeeze is a prefix; a longer one is invalid_length.
    assert_eq!(hash(&ctx, "SHA-256", b"abc", 4), hex("ba7816bf"));
    let s = ctx
        .symmetric_state_open(sym("SHA-256"), None, None)
        .unwrap();
    assert_eq!(
        ctx.symmetric_state(s).unwrap().squeeze(33),
        Err(CryptoErrno::InvalidLength)
    );
}

#[test]
fn a_hash_state_goes_on_after_squeeze_and_clones() {
    let ctx = Context::default();
    let s = ctx
        .symmetric_state_open(sym("SHA-256"), None, None)
        .unwrap();
    let state = ctx.symmetric_state(s).unwrap();
    state.absorb(b"a").unwrap();
    state.squeeze(32).unwrap();
    let copy = ctx.symmetric_state_clone(s).unwrap();
    assert_ne!(copy, s);
    state.absorb(b"bc").unwrap();
    let abc = hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_eq!(state.squeeze(32).unwrap(), abc);
    let copy = ctx.symmetric_state(copy).unwrap();
    copy.absorb(b"bc").unwrap();
    assert_eq!(copy.squeeze(32).unwrap(), abc);
}

/// HMAC of `data` under `key`, absorbed in two pieces; the tag's bytes.
fn hmac(ctx: &Context, alg: &str, key: &[u8], data: &[u8]) -> Vec<u8> {
    let k = ctx.symmetric_key_import(sym(alg), key).unwrap();
    let s = ctx.symmetric_state_open(sym(alg), Some(k), None).unwrap();
    let state = ctx.symmetric_state(s).unwrap();
    let (a, b) = data.split_at(3);
    state.absorb(a).unwrap();
    state.absorb(b).unwrap();
    let t = ctx.symmetric_state_squeeze_tag(s).unwrap();
    let tag = ctx.symmetric_tags.get(t).unwrap();
    let bytes = tag.pull(tag.len()).unwrap().to_vec();
    assert_eq!(tag.verify(&bytes), Ok(()));
    bytes
}

#[test]
fn rfc_4231_hmac() {
    let ctx = Context::default();
    let key1 = [0x0b; 20];
    assert_eq!(
        hmac(&ctx, "HMAC/SHA-256", &key1, b"Hi There"),
        hex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    );
    assert_eq!(
        hmac(&ctx, "HMAC/SHA-512", &key1, b"Hi There"),
        hex(
            "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde
             daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"
        )
    );
    let data2 = b"what do ya want for nothing?";
    assert_eq!(
        hmac(&ctx, "HMAC/SHA-256", b"Jefe", data2),
        hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    );
    assert_eq!(
        hmac(&ctx, "HMAC/SHA-512", b"Jefe", data2),
        hex(
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554
             9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
        )
    );
}

#[test]
fn tags_verify_only_whole_and_pull_only_exactly() {
    let ctx = Context::default();
    let k = ctx
        .symmetric_key_generate(sym("HMAC/SHA-256"), None)
        .unwrap();
    assert_eq!(pull(&ctx, ctx.symmetric_key_export(k).unwrap()).len(), 32);
    let s = ctx
        .symmetric_state_open(sym("HMAC/SHA-256"), Some(k), None)
        .unwrap();
    let t = ctx.symmetric_state_squeeze_tag(s).unwrap();
    let tag = ctx.symmetric_tags.get(t).unwrap();
    let bytes = tag.pull(32).unwrap().to_vec();
    assert_eq!(tag.pull(31).err(), Some(CryptoErrno::Overflow));
    assert_eq!(tag.pull(33).err(), Some(CryptoErrno::InvalidLength));
    assert_eq!(tag.verify(&bytes[..16]), Err(CryptoErrno::InvalidTag));
    assert_eq!(tag.verify(&[]), Err(CryptoErrno::InvalidTag));
    let mut wrong = bytes.clone();
    wrong[31] ^= 1;
    assert_eq!(tag.verify(&wrong), Err(CryptoErrno::InvalidTag));
    assert_eq!(ctx.symmetric_tags.close(t), Ok(()));
    assert_eq!(ctx.symmetric_tags.close(t), Err(CryptoErrno::Closed));
}

/// HKDF through an extract state and an expand state: (PRK, OKM).
fn hkdf(
    ctx: &Context,
    sha: &str,
    ikm: &[u8],
    salt: &[u8],
    info: &[u8],
    len: usize,
) -> (Vec<u8>, Vec<u8>) {
    let extract = sym(&format!("HKDF-EXTRACT/{sha}"));
    let expand = sym(&format!("HKDF-EXPAND/{sha}"));
    let k = ctx.symmetric_key_import(extract, ikm).unwrap();
    let s = ctx.symmetric_state_open(extract, Some(k), None).unwrap();
    ctx.symmetric_state(s).unwrap().absorb(salt).unwrap();
    let prk = ctx.symmetric_state_squeeze_key(s, expand).unwrap();
    let prk_bytes = pull(ctx, ctx.symmetric_key_export(prk).unwrap());
    let e = ctx.symmetric_state_open(expand, Some(prk), None).unwrap();
    let state = ctx.symmetric_state(e).unwrap();
    state.absorb(info).unwrap();
    (prk_bytes, state.squeeze(len).unwrap())
}

#[test]
fn rfc_5869_hkdf() {
    let ctx = Context::default();
    let ikm = [0x0b; 22];
    let (prk, okm) = hkdf(
        &ctx,
        "SHA-256",
        &ikm,
        &hex("000102030405060708090a0b0c"),
        &hex("f0f1f2f3f4f5f6f7f8f9"),
        42,
    );
    assert_eq!(
        prk,
        hex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5")
    );
    assert_eq!(
        okm,
        hex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
    );
    let (prk, okm) = hkdf(&ctx, "SHA-256", &ikm, b"", b"", 42);
    assert_eq!(
        prk,
        hex("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04")
    );
    assert_eq!(
        okm,
        hex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8")
    );
    // SHA-512 has no RFC vector; check the PRK is HMAC-SHA-512(salt, IKM) and the lengths.
    let (prk, okm) = hkdf(&ctx, "SHA-512", &ikm, b"salt", b"info", 100);
    assert_eq!(prk, hmac(&ctx, "HMAC/SHA-512", b"salt", &ikm));
    assert_eq!(okm.len(), 100);
}

#[test]
fn hkdf_errors_are_wasmedges() {
    let ctx = Context::default();
    let extract = sym("HKDF-EXTRACT/SHA-256");
    let expand = sym("HKDF-EXPAND/SHA-256");
    assert_eq!(
        ctx.symmetric_key_generate(expand, None).err(),
        Some(CryptoErrno::UnsupportedFeature)
    );
    assert_eq!(
        ctx.symmetric_key_import(expand, &[0; 31]).err(),
        Some(CryptoErrno::InvalidKey)
    );
    let k = ctx.symmetric_key_generate(extract, None).unwrap();
    assert_eq!(
        ctx.symmetric_state_open(extract, None, None).err(),
        Some(CryptoErrno::KeyRequired)
    );
    assert_eq!(
        ctx.symmetric_state_open(expand, Some(k), None).err(),
        Some(CryptoErrno::InvalidKey)
    );
    assert_eq!(
        ctx.symmetric_state_open(extract, Some(9999), None).err(),
        Some(CryptoErrno::InvalidHandle)
    );
    let s = ctx.symmetric_state_open(extract, Some(k), None).unwrap();
    let state = ctx.symmetric_state(s).unwrap();
    assert_eq!(state.squeeze(0).err(), Some(CryptoErrno::InvalidOperation));
    assert_eq!(
        state.squeeze_tag().err(),
        Some(CryptoErrno::InvalidOperation)
    );
    assert_eq!(
        state.max_tag_len().err(),
        Some(CryptoErrno::InvalidOperation)
    );
    assert_eq!(
        state.encrypt(0, Vec::new()).err(),
        Some(CryptoErrno::InvalidOperation)
    );
    assert_eq!(
        state.decrypt_detached(0, Vec::new(), &[]).err(),
        Some(CryptoErrno::InvalidOperation)
    );
    assert_eq!(state.try_clone().err(), Some(CryptoErrno::NotImplemented));
    assert_eq!(
        state.squeeze_key(sym("AES-128-GCM")).err(),
        Some(CryptoErrno::UnsupportedAlgorithm)
    );
    assert_eq!(
        state.squeeze_key(sym("HKDF-EXPAND/SHA-512")).err(),
        Some(CryptoErrno::UnsupportedAlgorithm)
    );
    assert_eq!(
        state.options_get(b"foo", 0).err(),
        Some(CryptoErrno::UnsupportedOption)
    );
    let prk = ctx.symmetric_state_squeeze_key(s, expand).unwrap();
    let e = ctx.symmetric_state_open(expand, Some(prk), None).unwrap();
    let e = ctx.symmetric_state(e).unwrap();
    assert_eq!(
        e.squeeze_key(expand).err(),
        Some(CryptoErrno::InvalidOperation)
    );
    assert_eq!(e.squeeze(255 * 32 + 1).err(), Some(CryptoErrno::InvalidKey));
    assert_eq!(e.squeeze(0).err(), Some(CryptoErrno::InvalidKey));
}

/// Encrypts `plain` with `aad` under `key` and `nonce`, attached and detached; checks both
/// against `expected` (ciphertext ‖ tag) and decrypts both back.
fn aead(
    ctx: &Context,
    alg: &str,
    key: &[u8],
    nonce: &[u8],
    aad: &[u8],
    plain: &[u8],
    expected: &[u8],
) {
    let alg = sym(alg);
    let k = ctx.symmetric_key_import(alg, key).unwrap();
    let o = ctx
        .options
        .insert(Options::new(AlgorithmType::Symmetric))
        .unwrap();
    ctx.options.get(o).unwrap().set(b"nonce", nonce).unwrap();
    let open = || {
        let s = ctx.symmetric_state_open(alg, Some(k), Some(o)).unwrap();
        let state = ctx.symmetric_state(s).unwrap();
        state.absorb(aad).unwrap();
        (s, state)
    };
    let (_, state) = open();
    assert_eq!(state.max_tag_len(), Ok(16));
    assert_eq!(state.options_get(b"nonce", 12).unwrap(), nonce);
    assert_eq!(
        state.options_get(b"nonce", 11).err(),
        Some(CryptoErrno::Overflow)
    );
    assert_eq!(
        state.encrypt(plain.len() + 15, plain.to_vec()).err(),
        Some(CryptoErrno::InvalidLength)
    );
    assert_eq!(
        state.encrypt(plain.len() + 16, plain.to_vec()).unwrap(),
        expected
    );
    // One operation per state: no nonce reuse.
    assert_eq!(
        state.encrypt(plain.len() + 16, plain.to_vec()).err(),
        Some(CryptoErrno::AlgorithmFailure)
    );
    assert_eq!(
        state.absorb(b"more").err(),
        Some(CryptoErrno::AlgorithmFailure)
    );

    let (s, _) = open();
    let (ciphertext, t) = ctx
        .symmetric_state_encrypt_detached(s, plain.len(), plain.to_vec())
        .unwrap();
    assert_eq!(ciphertext, expected[..plain.len()]);
    let tag = ctx.symmetric_tags.get(t).unwrap();
    assert_eq!(tag.pull(16).unwrap(), &expected[plain.len()..]);

    let (_, state) = open();
    assert_eq!(
        state.decrypt(plain.len(), expected.to_vec()).unwrap(),
        plain
    );
    let (_, state) = open();
    assert_eq!(
        state
            .decrypt_detached(plain.len(), ciphertext.clone(), &expected[plain.len()..])
            .unwrap(),
        plain
    );
    let (_, state) = open();
    let mut forged = expected.to_vec();
    forged[0] ^= 1;
    assert_eq!(
        state.decrypt(plain.len(), forged).err(),
        Some(CryptoErrno::InvalidTag)
    );
    // A failed decryption may be retried, as with OpenSSL's GCM.
    assert_eq!(
        state.decrypt(plain.len(), expected.to_vec()).unwrap(),
        plain
    );
    let (_, state) = open();
    assert_eq!(
        state.decrypt_detached(plain.len(), ciphertext, &[]).err(),
        Some(CryptoErrno::InvalidTag)
    );
}

#[test]
fn gcm_spec_test_cases() {
    let ctx = Context::default();
    let key128 = hex("feffe9928665731c6d6a8f9467308308");
    let iv = hex("cafebabefacedbaddecaf888");
    let plain64 = hex(
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72
         1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
    );
    // Test case 3 (AES-128, no associated data).
    let mut expected = hex(
        "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e
         21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
    );
    expected.extend(hex("4d5c2af327cd64a62cf35abd2ba6fab4"));
    aead(&ctx, "AES-128-GCM", &key128, &iv, b"", &plain64, &expected);
    // Test case 4 (AES-128, 60 bytes, associated data).
    let aad = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
    let mut expected = hex(
        "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e
         21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
    );
    expected.extend(hex("5bc94fbc3221a5db94fae95ae7121a47"));
    aead(
        &ctx,
        "AES-128-GCM",
        &key128,
        &iv,
        &aad,
        &plain64[..60],
        &expected,
    );
    // Test case 16 (AES-256, 60 bytes, associated data).
    let key256 = [key128.clone(), key128].concat();
    let mut expected = hex(
        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa
         8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
    );
    expected.extend(hex("76fc6ece0f4e1768cddf8853bb2d551b"));
    aead(
        &ctx,
        "AES-256-GCM",
        &key256,
        &iv,
        &aad,
        &plain64[..60],
        &expected,
    );
}

#[test]
fn rfc_8439_chacha20_poly1305() {
    let ctx = Context::default();
    let key = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
    let nonce = hex("070000004041424344454647");
    let aad = hex("50515253c0c1c2c3c4c5c6c7");
    let plain = b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
    let mut expected = hex(
        "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6
         3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36
         92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc
         3ff4def08e4b7a9de576d26586cec64b6116",
    );
    expected.extend(hex("1ae10b594f09e26a7e902ecbd0600691"));
    aead(
        &ctx,
        "CHACHA20-POLY1305",
        &key,
        &nonce,
        &aad,
        plain,
        &expected,
    );
}

#[test]
fn aead_open_errors_are_wasmedges() {
    let ctx = Context::default();
    let alg = sym("AES-256-GCM");
    let k = ctx.symmetric_key_generate(alg, None).unwrap();
    assert_eq!(
        ctx.symmetric_state_open(alg, Some(k), None).err(),
        Some(CryptoErrno::NonceRequired)
    );
    let o = ctx
        .options
        .insert(Options::new(AlgorithmType::Symmetric))
        .unwrap();
    assert_eq!(
        ctx.symmetric_state_open(alg, Some(k), Some(o)).err(),
        Some(CryptoErrno::InvalidNonce)
    );
    ctx.options.get(o).unwrap().set(b"nonce", &[0; 11]).unwrap();
    assert_eq!(
        ctx.symmetric_state_open(alg, Some(k), Some(o)).err(),
        Some(CryptoErrno::InvalidNonce)
    );
    ctx.options.get(o).unwrap().set(b"nonce", &[0; 12]).unwrap();
    let short = ctx.symmetric_key_import(alg, &[0; 16]).unwrap();
    assert_eq!(
        ctx.symmetric_state_open(alg, Some(short), Some(o)).err(),
        Some(CryptoErrno::InvalidHandle)
    );
    let other = ctx
        .symmetric_key_generate(sym("AES-128-GCM"), None)
        .unwrap();
    assert_eq!(
        ctx.symmetric_state_open(alg, Some(other), Some(o)).err(),
        Some(CryptoErrno::InvalidKey)
    );
    let sig_options = ctx
        .options
        .insert(Options::new(AlgorithmType::Signatures))
        .unwrap();
    assert_eq!(
        ctx.symmetric_state_open(alg, Some(k), Some(sig_options))
            .err(),
        Some(CryptoErrno::InvalidHandle)
    );
    assert_eq!(
        ctx.symmetric_state_open(sym("SHA-256"), Some(k), None)
            .err(),
        Some(CryptoErrno::KeyNotSupported)
    );
    let s = ctx.symmetric_state_open(alg, Some(k), Some(o)).unwrap();
    let state = ctx.symmetric_state(s).unwrap();
    assert_eq!(state.try_clone().err(), Some(CryptoErrno::NotImplemented));
    assert_eq!(
        state.squeeze_key(alg).err(),
        Some(CryptoErrno::InvalidOperation)
    );
    assert_eq!(
        state.squeeze_tag().err(),
        Some(CryptoErrno::InvalidOperation)
    );
    assert_eq!(
        state.options_get(b"foo", 12).err(),
        Some(CryptoErrno::UnsupportedOption)
    );
}

#[test]
fn rfc_8032_ed25519() {
    let ctx = Context::default();
    let alg = sig_alg("Ed25519");
    let cases = [
        (
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        ),
        (
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
        ),
    ];
    for (sk, pk, msg, sig) in cases {
        let kp_raw = [hex(sk), hex(pk)].concat();
        let kp = ctx.keypair_import(alg, &kp_raw, Encoding::Raw).unwrap();
        assert_eq!(
            pull(&ctx, ctx.keypair_export(kp, Encoding::Raw).unwrap()),
            kp_raw
        );
        let s = ctx.signature_state_open(kp).unwrap();
        ctx.sign_states.get(s).unwrap().update(&hex(msg)).unwrap();
        let signed = ctx.signature_state_sign(s).unwrap();
        assert_eq!(
            pull(&ctx, ctx.signature_export(signed, Encoding::Raw).unwrap()),
            hex(sig)
        );
        let p = ctx.publickey_import(alg, &hex(pk), Encoding::Raw).unwrap();
        let v = ctx.verification_state_open(p).unwrap();
        ctx.verification_states
            .get(v)
            .unwrap()
            .update(&hex(msg))
            .unwrap();
        let imported = ctx
            .signature_import(SigAlg::Ed25519, &hex(sig), Encoding::Raw)
            .unwrap();
        assert_eq!(ctx.verification_state_verify(v, imported), Ok(()));
        ctx.verification_states
            .get(v)
            .unwrap()
            .update(b"x")
            .unwrap();
        assert_eq!(
            ctx.verification_state_verify(v, imported),
            Err(CryptoErrno::VerificationFailed)
        );
    }
    assert_eq!(
        ctx.signature_import(SigAlg::Ed25519, &[0; 63], Encoding::Raw)
            .err(),
        Some(CryptoErrno::InvalidSignature)
    );
    assert_eq!(
        ctx.signature_import(SigAlg::Ed25519, &[0; 64], Encoding::Der)
            .err(),
        Some(CryptoErrno::UnsupportedEncoding)
    );
    assert_eq!(
        ctx.publickey_import(alg, &[0; 32], Encoding::Pem).err(),
        Some(CryptoErrno::UnsupportedEncoding)
    );
    assert_eq!(
        ctx.secretkey_import(alg, &[0; 31], Encoding::Raw).err(),
        Some(CryptoErrno::InvalidKey)
    );
}

#[test]
fn rfc_7748_x25519() {
    let ctx = Context::default();
    let alg = kx_alg("X25519");
    let a_sk = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    let a_pk = hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    let b_sk = hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    let b_pk = hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    let shared = hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    let ask = ctx.secretkey_import(alg, &a_sk, Encoding::Raw).unwrap();
    let bpk = ctx.publickey_import(alg, &b_pk, Encoding::Raw).unwrap();
    assert_eq!(pull(&ctx, ctx.kx_dh(bpk, ask).unwrap()), shared);
    // Bob's side, from a key pair (public ‖ secret) and the derived public key of Alice.
    let bkp = ctx
        .keypair_import(alg, &[b_pk.clone(), b_sk].concat(), Encoding::Raw)
        .unwrap();
    let bsk = ctx.keypair_secretkey(bkp).unwrap();
    let apk = ctx.publickey_from_secretkey(ask).unwrap();
    assert_eq!(
        pull(&ctx, ctx.publickey_export(apk, Encoding::Raw).unwrap()),
        a_pk
    );
    assert_eq!(pull(&ctx, ctx.kx_dh(apk, bsk).unwrap()), shared);
    assert_eq!(
        pull(&ctx, ctx.secretkey_export(ask, Encoding::Raw).unwrap()),
        a_sk
    );
    // A small-order point gives an all-zero secret: invalid_key, as OpenSSL refuses it.
    let zero = ctx.publickey_import(alg, &[0; 32], Encoding::Raw).unwrap();
    assert_eq!(ctx.kx_dh(zero, ask).err(), Some(CryptoErrno::InvalidKey));
    assert_eq!(
        ctx.kx_encapsulate(bpk).err(),
        Some(CryptoErrno::NotImplemented)
    );
    assert_eq!(
        ctx.kx_decapsulate(ask).err(),
        Some(CryptoErrno::NotImplemented)
    );
}

#[test]
fn nist_curve_key_exchange_agrees() {
    let ctx = Context::default();
    for (name, len) in [("P256-SHA256", 32), ("p384-sha384", 48)] {
        let alg = kx_alg(name);
        let a = ctx.keypair_generate(alg, None).unwrap();
        let b = ctx.keypair_generate(alg, None).unwrap();
        let ab = ctx
            .kx_dh(
                ctx.keypair_publickey(b).unwrap(),
                ctx.keypair_secretkey(a).unwrap(),
            )
            .unwrap();
        let ba = ctx
            .kx_dh(
                ctx.keypair_publickey(a).unwrap(),
                ctx.keypair_secretkey(b).unwrap(),
            )
            .unwrap();
        let ab = pull(&ctx, ab);
        assert_eq!(ab.len(), len);
        assert_eq!(ab, pull(&ctx, ba));
    }
    let x = ctx.keypair_generate(kx_alg("X25519"), None).unwrap();
    let p = ctx.keypair_generate(kx_alg("P256-SHA256"), None).unwrap();
    let s = ctx
        .keypair_generate(sig_alg("ECDSA_P256_SHA256"), None)
        .unwrap();
    let x_sk = ctx.keypair_secretkey(x).unwrap();
    assert_eq!(
        ctx.kx_dh(ctx.keypair_publickey(p).unwrap(), x_sk).err(),
        Some(CryptoErrno::InvalidKey)
    );
    assert_eq!(
        ctx.kx_dh(ctx.keypair_publickey(s).unwrap(), x_sk).err(),
        Some(CryptoErrno::InvalidHandle)
    );
    assert_eq!(
        ctx.signature_state_open(x).err(),
        Some(CryptoErrno::InvalidHandle)
    );
}

/// Signs "sample" with the key pair imported from `sk_raw`; the raw signature.
fn sign_sample(ctx: &Context, alg: &str, sk_raw: &[u8]) -> Vec<u8> {
    let kp = ctx
        .keypair_import(sig_alg(alg), sk_raw, Encoding::Raw)
        .unwrap();
    let s = ctx.signature_state_open(kp).unwrap();
    let state = ctx.sign_states.get(s).unwrap();
    state.update(b"sam").unwrap();
    state.update(b"ple").unwrap();
    let sig = ctx.signature_state_sign(s).unwrap();
    // It verifies, in DER and raw.
    let pk = ctx.keypair_publickey(kp).unwrap();
    let v = ctx.verification_state_open(pk).unwrap();
    ctx.verification_states
        .get(v)
        .unwrap()
        .update(b"sample")
        .unwrap();
    assert_eq!(ctx.verification_state_verify(v, sig), Ok(()));
    let raw = pull(ctx, ctx.signature_export(sig, Encoding::Raw).unwrap());
    let der = pull(ctx, ctx.signature_export(sig, Encoding::Der).unwrap());
    let from_raw = ctx
        .signature_import(SigAlg::parse(alg.as_bytes()).unwrap(), &raw, Encoding::Raw)
        .unwrap();
    assert_eq!(
        pull(ctx, ctx.signature_export(from_raw, Encoding::Der).unwrap()),
        der
    );
    assert_eq!(ctx.verification_state_verify(v, from_raw), Ok(()));
    raw
}

#[test]
fn rfc_6979_ecdsa() {
    let ctx = Context::default();
    let p256 = hex("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721");
    assert_eq!(
        sign_sample(&ctx, "ECDSA_P256_SHA256", &p256),
        hex(
            "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716
             F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"
        )
    );
    let p384 = hex(
        "6B9D3DAD2E1B8C1C05B19875B6659F4DE23C3B667BF297BA9AA47740787137D8
                    96D5724E4C70A825F872C9EA60D2EDF5",
    );
    assert_eq!(
        sign_sample(&ctx, "ECDSA_P384_SHA384", &p384),
        hex(
            "94EDBB92A5ECB8AAD4736E56C691916B3F88140666CE9FA73D64C4EA95AD133C
             81A648152E44ACF96E36DD1E80FABE46
             99EF4AEB15F178CEA1FE40DB2603138F130E740A19624526203B6351D0A3A94F
             A329C145786E679E7B82C71A38628AC8"
        )
    );
    // The P-256 public key of RFC 6979 A.2.5, in the three public encodings.
    let alg = sig_alg("ECDSA_P256_SHA256");
    let sk = ctx.secretkey_import(alg, &p256, Encoding::Raw).unwrap();
    let pk = ctx.publickey_from_secretkey(sk).unwrap();
    let sec = hex(
        "0460FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6
                   7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299",
    );
    assert_eq!(
        pull(&ctx, ctx.publickey_export(pk, Encoding::Sec).unwrap()),
        sec
    );
    let spki = pull(&ctx, ctx.publickey_export(pk, Encoding::Pkcs8).unwrap());
    assert_eq!(
        spki[..26],
        hex("3059301306072a8648ce3d020106082a8648ce3d030107034200")[..]
    );
    assert_eq!(spki[26..], sec[..]);
    let pem =
        String::from_utf8(pull(&ctx, ctx.publickey_export(pk, Encoding::Pem).unwrap())).unwrap();
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEYP7UuiVanTHJYet0xjVtaMBJuJI7\n"));
    // Compressed SEC is accepted too.
    let compressed = [&[0x03][..], &sec[1..33]].concat();
    let c = ctx
        .publickey_import(alg, &compressed, Encoding::Sec)
        .unwrap();
    assert_eq!(
        pull(&ctx, ctx.publickey_export(c, Encoding::Sec).unwrap()),
        sec
    );
    assert_eq!(
        ctx.publickey_import(alg, &sec, Encoding::Raw).err(),
        Some(CryptoErrno::UnsupportedEncoding)
    );
    assert_eq!(
        ctx.publickey_import(alg, &sec[..64], Encoding::Sec).err(),
        Some(CryptoErrno::InvalidKey)
    );
    assert_eq!(
        ctx.secretkey_import(alg, &p256[..31], Encoding::Raw).err(),
        Some(CryptoErrno::InvalidKey)
    );
    assert_eq!(
        ctx.publickey_verify_of(pk),
        Err(CryptoErrno::NotImplemented)
    );
}

impl Context {
    fn publickey_verify_of(&self, pk: u32) -> crate::errno::Result<()> {
        self.public_keys.get(pk)?.verify()
    }
}

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/");

fn data(name: &str) -> Vec<u8> {
    std::fs::read(format!("{DATA}{name}")).unwrap()
}

/// Verifies an OpenSSL signature (DER for ECDSA, raw for RSA) of "abc".
fn verify_abc(
    ctx: &Context,
    alg: &str,
    pk: u32,
    sig: &[u8],
    enc: Encoding,
) -> crate::errno::Result<()> {
    let s = ctx.signature_import(SigAlg::parse(alg.as_bytes()).unwrap(), sig, enc)?;
    let v = ctx.verification_state_open(pk).unwrap();
    ctx.verification_states
        .get(v)
        .unwrap()
        .update(b"abc")
        .unwrap();
    ctx.verification_state_verify(v, s)
}

#[test]
fn openssl_ecdsa_keys_and_signatures() {
    let ctx = Context::default();
    for (alg, key, sec1, pubkey, sig) in [
        (
            "ECDSA_P384_SHA384",
            "p384.pem",
            None,
            "p384.pub.pem",
            "p384-sha384-abc.der.sig",
        ),
        (
            "ECDSA_K256_SHA256",
            "k256.pem",
            Some("k256.sec1.pem"),
            "k256.pub.pem",
            "k256-sha256-abc.der.sig",
        ),
    ] {
        let a = sig_alg(alg);
        let pem = data(key);
        let kp = ctx.keypair_import(a, &pem, Encoding::Pem).unwrap();
        assert_eq!(
            pull(&ctx, ctx.keypair_export(kp, Encoding::Pem).unwrap()),
            pem
        );
        let sk = ctx.secretkey_import(a, &pem, Encoding::Pem).unwrap();
        assert_eq!(
            pull(&ctx, ctx.secretkey_export(sk, Encoding::Pem).unwrap()),
            pem
        );
        if let Some(sec1) = sec1 {
            // OpenSSL's traditional form is read too, and written as PKCS#8.
            let kp = ctx.keypair_import(a, &data(sec1), Encoding::Pem).unwrap();
            assert_eq!(
                pull(&ctx, ctx.keypair_export(kp, Encoding::Pem).unwrap()),
                pem
            );
        }
        let pub_pem = data(pubkey);
        let pk = ctx.publickey_import(a, &pub_pem, Encoding::Pem).unwrap();
        assert_eq!(
            pull(&ctx, ctx.publickey_export(pk, Encoding::Pem).unwrap()),
            pub_pem
        );
        let derived = ctx.keypair_publickey(kp).unwrap();
        assert_eq!(
            pull(&ctx, ctx.publickey_export(derived, Encoding::Pem).unwrap()),
            pub_pem
        );
        assert_eq!(verify_abc(&ctx, alg, pk, &data(sig), Encoding::Der), Ok(()));
        let mut bad = data(sig);
        let last = bad.len() - 1;
        bad[last] ^= 1;
        assert_eq!(
            verify_abc(&ctx, alg, pk, &bad, Encoding::Der),
            Err(CryptoErrno::VerificationFailed)
        );
        assert_eq!(
            verify_abc(&ctx, alg, pk, b"not der", Encoding::Der),
            Err(CryptoErrno::VerificationFailed)
        );
        // A key of another curve is refused.
        assert_eq!(
            ctx.publickey_import(sig_alg("ECDSA_P256_SHA256"), &pub_pem, Encoding::Pem)
                .err(),
            Some(CryptoErrno::InvalidKey)
        );
        let der = pull(&ctx, ctx.keypair_export(kp, Encoding::Pkcs8).unwrap());
        let again = ctx.keypair_import(a, &der, Encoding::Pkcs8).unwrap();
        assert_eq!(
            pull(&ctx, ctx.keypair_export(again, Encoding::Raw).unwrap()),
            pull(&ctx, ctx.keypair_export(kp, Encoding::Raw).unwrap())
        );
    }
}

#[test]
fn openssl_rsa_keys_and_signatures() {
    let ctx = Context::default();
    let pem = data("rsa2048.pem");
    let pkcs8 = data("rsa2048.pk8.der");
    let pkcs1 = data("rsa2048.pkcs1.der");
    let pub_pem = data("rsa2048.pub.pem");
    let pub_der = data("rsa2048.pub.der");
    let pkcs = sig_alg("RSA_PKCS1_2048_SHA256");
    let pss = sig_alg("rsa_pss_2048_sha256");
    let kp = ctx.keypair_import(pkcs, &pem, Encoding::Pem).unwrap();
    assert_eq!(
        pull(&ctx, ctx.keypair_export(kp, Encoding::Pem).unwrap()),
        pem
    );
    assert_eq!(
        pull(&ctx, ctx.keypair_export(kp, Encoding::Pkcs8).unwrap()),
        pkcs8
    );
    let from_pkcs1 = ctx.keypair_import(pkcs, &pkcs1, Encoding::Pkcs8).unwrap();
    assert_eq!(
        pull(
            &ctx,
            ctx.keypair_export(from_pkcs1, Encoding::Pkcs8).unwrap()
        ),
        pkcs8
    );
    let sk = ctx.secretkey_import(pss, &pkcs8, Encoding::Pkcs8).unwrap();
    assert_eq!(
        pull(&ctx, ctx.secretkey_export(sk, Encoding::Pem).unwrap()),
        pem
    );
    let pk = ctx
        .publickey_import(pkcs, &pub_der, Encoding::Pkcs8)
        .unwrap();
    assert_eq!(
        pull(&ctx, ctx.publickey_export(pk, Encoding::Pem).unwrap()),
        pub_pem
    );
    assert_eq!(ctx.publickey_verify_of(pk), Ok(()));
    let pss_pk = ctx.publickey_import(pss, &pub_pem, Encoding::Pem).unwrap();
    // A 2048-bit key is not a 3072-bit algorithm's; raw and sec are not RSA encodings.
    assert_eq!(
        ctx.publickey_import(sig_alg("RSA_PKCS1_3072_SHA384"), &pub_pem, Encoding::Pem)
            .err(),
        Some(CryptoErrno::InvalidKey)
    );
    assert_eq!(
        ctx.publickey_import(pkcs, &pub_der, Encoding::Sec).err(),
        Some(CryptoErrno::UnsupportedEncoding)
    );
    assert_eq!(
        ctx.keypair_import(pkcs, &pkcs8, Encoding::Raw).err(),
        Some(CryptoErrno::UnsupportedEncoding)
    );

    // PKCS#1 v1.5 is deterministic: the same signature as OpenSSL's.
    let s = ctx.signature_state_open(kp).unwrap();
    ctx.sign_states.get(s).unwrap().update(b"abc").unwrap();
    let sig = ctx.signature_state_sign(s).unwrap();
    let openssl_sig = data("rsa2048.pkcs1-sha256-abc.sig");
    assert_eq!(
        pull(&ctx, ctx.signature_export(sig, Encoding::Raw).unwrap()),
        openssl_sig
    );
    assert_eq!(
        ctx.signature_export(sig, Encoding::Der).err(),
        Some(CryptoErrno::NotImplemented)
    );
    assert_eq!(
        verify_abc(
            &ctx,
            "RSA_PKCS1_2048_SHA256",
            pk,
            &openssl_sig,
            Encoding::Raw
        ),
        Ok(())
    );
    assert_eq!(
        verify_abc(
            &ctx,
            "RSA_PKCS1_2048_SHA256",
            pk,
            &openssl_sig[1..],
            Encoding::Raw
        ),
        Err(CryptoErrno::InvalidSignature)
    );
    assert_eq!(
        verify_abc(
            &ctx,
            "RSA_PKCS1_2048_SHA256",
            pk,
            &openssl_sig,
            Encoding::Der
        ),
        Err(CryptoErrno::NotImplemented)
    );
    // A signature of another algorithm: invalid_signature.
    assert_eq!(
        verify_abc(&ctx, "RSA_PSS_2048_SHA256", pk, &openssl_sig, Encoding::Raw),
        Err(CryptoErrno::InvalidSignature)
    );
    // PSS signatures of OpenSSL 3.0 (largest salt) and with a digest-length salt both verify.
    for name in [
        "rsa2048.pss-default-sha256-abc.sig",
        "rsa2048.pss-digest-sha256-abc.sig",
    ] {
        assert_eq!(
            verify_abc(
                &ctx,
                "RSA_PSS_2048_SHA256",
                pss_pk,
                &data(name),
                Encoding::Raw
            ),
            Ok(()),
            "{name}"
        );
    }
    // And ours verify.
    let pss_kp = ctx.keypair_import(pss, &pem, Encoding::Pem).unwrap();
    let s = ctx.signature_state_open(pss_kp).unwrap();
    ctx.sign_states.get(s).unwrap().update(b"abc").unwrap();
    let sig = ctx.signature_state_sign(s).unwrap();
    let raw = pull(&ctx, ctx.signature_export(sig, Encoding::Raw).unwrap());
    assert_eq!(
        verify_abc(&ctx, "RSA_PSS_2048_SHA256", pss_pk, &raw, Encoding::Raw),
        Ok(())
    );
}

#[test]
fn generated_key_pairs_sign_and_verify_for_every_signature_algorithm() {
    let ctx = Context::default();
    // RSA generation is slow in a debug build; 2048 bits covers the code, the other sizes
    // are checked by name and key size above.
    for name in [
        "ECDSA_P256_SHA256",
        "ECDSA_K256_SHA256",
        "ECDSA_P384_SHA384",
        "Ed25519",
        "RSA_PSS_2048_SHA512",
    ] {
        let alg = sig_alg(name);
        let kp = ctx.keypair_generate(alg, None).unwrap();
        let s = ctx.signature_state_open(kp).unwrap();
        ctx.sign_states.get(s).unwrap().update(b"test").unwrap();
        ctx.sign_states.get(s).unwrap().update(b"test").unwrap();
        let sig = ctx.signature_state_sign(s).unwrap();
        let pk = ctx.keypair_publickey(kp).unwrap();
        let v = ctx.verification_state_open(pk).unwrap();
        ctx.verification_states
            .get(v)
            .unwrap()
            .update(b"testtest")
            .unwrap();
        assert_eq!(ctx.verification_state_verify(v, sig), Ok(()), "{name}");
        // The state goes on: a second signature covers more data.
        ctx.sign_states.get(s).unwrap().update(b"!").unwrap();
        let sig2 = ctx.signature_state_sign(s).unwrap();
        assert_eq!(
            ctx.verification_state_verify(v, sig2),
            Err(CryptoErrno::VerificationFailed),
            "{name}"
        );
        assert_eq!(
            ctx.keypair_from_pk_and_sk(pk, ctx.keypair_secretkey(kp).unwrap())
                .err(),
            Some(CryptoErrno::NotImplemented)
        );
    }
    let every = [
        "RSA_PKCS1_2048_SHA256",
        "RSA_PKCS1_2048_SHA384",
        "RSA_PKCS1_2048_SHA512",
        "RSA_PKCS1_3072_SHA384",
        "RSA_PKCS1_3072_SHA512",
        "RSA_PKCS1_4096_SHA512",
        "RSA_PSS_2048_SHA256",
        "RSA_PSS_2048_SHA384",
        "RSA_PSS_2048_SHA512",
        "RSA_PSS_3072_SHA384",
        "RSA_PSS_3072_SHA512",
        "RSA_PSS_4096_SHA512",
    ];
    for name in every {
        assert!(SigAlg::parse(name.as_bytes()).is_ok(), "{name}");
    }
    assert_eq!(
        SigAlg::parse(b"RSA_PSS_4096_SHA256").err(),
        Some(CryptoErrno::UnsupportedAlgorithm)
    );
    assert_eq!(
        AsymAlg::parse(AlgorithmType::Symmetric, b"Ed25519").err(),
        Some(CryptoErrno::InvalidOperation)
    );
    assert_eq!(
        AsymAlg::parse(AlgorithmType::KeyExchange, b"Ed25519").err(),
        Some(CryptoErrno::UnsupportedAlgorithm)
    );
}

#[test]
fn options_of_the_wrong_type_are_invalid_handles() {
    let ctx = Context::default();
    let sym_options = ctx
        .options
        .insert(Options::new(AlgorithmType::Symmetric))
        .unwrap();
    let kx_options = ctx
        .options
        .insert(Options::new(AlgorithmType::KeyExchange))
        .unwrap();
    assert_eq!(
        ctx.keypair_generate(sig_alg("Ed25519"), Some(sym_options))
            .err(),
        Some(CryptoErrno::InvalidHandle)
    );
    assert_eq!(
        ctx.keypair_generate(sig_alg("Ed25519"), Some(kx_options))
            .err(),
        Some(CryptoErrno::InvalidHandle)
    );
    assert!(
        ctx.keypair_generate(kx_alg("X25519"), Some(kx_options))
            .is_ok()
    );
    assert_eq!(
        ctx.symmetric_key_generate(sym("SHA-256"), Some(sym_options))
            .err(),
        Some(CryptoErrno::KeyNotSupported)
    );
    assert_eq!(
        ctx.symmetric_key_generate(sym("AES-128-GCM"), Some(kx_options))
            .err(),
        Some(CryptoErrno::InvalidHandle)
    );
}
