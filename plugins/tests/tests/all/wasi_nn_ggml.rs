//! The `wasi_nn` plug-in's GGML backend (encoding 6): `nn_ggml.c` calls it as LlamaEdge and the
//! `wasmedge-ggml` examples do, on a tiny random llama model (`tiny.gguf`, written by
//! `scripts/nn/ggml_model.py`).
//!
//! The backend is the workspace's default build of the plug-in; it opens `libwedge_nn_ggml.so`
//! (`plugins/wasi_nn/ggml`, llama.cpp built in) at `$WEDGE_NN_GGML_LIB`, else in the cache
//! (`~/.cache/wedge/nn/ggml/lib/`), where `scripts/nn-runtimes.sh ggml` puts it. The reference
//! is llama.cpp itself: `llama_ref` (`plugins/wasi_nn/ggml/native/llama_ref.c`, built by the same
//! script against the same llama.cpp build) called natively on the same model, with greedy
//! sampling. The tests that need them are `#[ignore]`d (a runtime that is absent is never counted
//! as a pass) and fail naming the script when run without them.
//!
//! One test runs always: without `libwedge_nn_ggml.so`, encoding 6 answers `InvalidArgument`
//! with a line naming what to install.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::*;

const NN: PluginLib = PluginLib {
    lib: "wedge_plugin_wasi_nn",
    package: "wedge-plugin-wasi-nn",
};

const HOW: &str = "run scripts/nn-runtimes.sh --test ggml";

/// The prompt of most tests, and the threads every run uses.
const PROMPT: &str = "Once upon a time";
const THREADS: &str = "2";

fn nn_ggml() -> PathBuf {
    guest("wasi_nn", "nn_ggml")
}

/// `$VAR`, else `default` in the cache's `ggml` directory.
fn from_env_or_cache(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map_or_else(|| nn_cache().join("ggml").join(default), PathBuf::from)
}

/// A plug-in directory for `test` holding the workspace's build of the plug-in, after checking
/// that the backend's library, llama_ref and the model are there; and the models' directory.
fn ggml_setup(test: &str) -> (PathBuf, PathBuf) {
    let lib = from_env_or_cache("WEDGE_NN_GGML_LIB", "lib/libwedge_nn_ggml.so");
    assert!(
        lib.exists(),
        "{} is missing (the GGML backend's library; or set WEDGE_NN_GGML_LIB): {HOW}",
        lib.display()
    );
    let reference = llama_ref_path();
    assert!(
        reference.exists(),
        "{} is missing (llama.cpp's reference program; or set WEDGE_NN_GGML_REF): {HOW}",
        reference.display()
    );
    let models = nn_models(&["tiny.gguf"]);
    (plugin_dir(test, &[NN]), models)
}

fn llama_ref_path() -> PathBuf {
    from_env_or_cache("WEDGE_NN_GGML_REF", "bin/llama_ref")
}

/// llama.cpp's own greedy output for `prompt` on `model`: up to `n_predict` tokens in a context
/// of `ctx` tokens.
fn llama_cpp(model: &Path, prompt: &str, n_predict: u32, ctx: u32) -> Vec<u8> {
    let out = output(
        Command::new(llama_ref_path())
            .arg("generate")
            .arg(model)
            .args([prompt, &n_predict.to_string(), &ctx.to_string(), THREADS]),
    );
    assert_success("llama_ref generate", &out);
    out.stdout
}

/// The value of `key=` in the guest's output.
fn value<'a>(what: &str, text: &'a str, key: &str) -> &'a str {
    let prefix = format!("{key}=");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("{what}: no {key}= in\n{text}"))
}

/// The bytes of `key_hex=`.
fn hex(what: &str, text: &str, key: &str) -> Vec<u8> {
    let h = value(what, text, &format!("{key}_hex"));
    (0..h.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&h[i..i + 2], 16).expect("hex"))
        .collect()
}

/// Output 1's JSON, as `{"input_tokens": I, "output_tokens": O, ...}`.
fn metadata(input: usize, output: usize) -> String {
    format!(
        "{{\"input_tokens\": {input}, \"output_tokens\": {output}, \"llama_build_number\": 0, \
         \"llama_commit\": \"unknown\"}}"
    )
}

/// The prompt's token count, as output 1 reports it after set_input.
fn input_tokens(what: &str, text: &str) -> usize {
    let meta = value(what, text, "meta_input");
    let n = meta
        .strip_prefix("{\"input_tokens\": ")
        .and_then(|r| r.split(',').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{what}: {meta}"));
    assert_eq!(meta, metadata(n, 0), "{what}");
    n
}

fn preload(models: &Path) -> String {
    format!("default:GGML:AUTO:{}", models.join("tiny.gguf").display())
}

/// Runs `nn_ggml ARGS` on both hosts with the tiny model preloaded as `default` (and
/// `extra_preloads`), `/m` the models' directory; checks each exits 0 and returns its output.
fn run_both(plugins: &Path, models: &Path, extra: &[&str], args: &[&str]) -> Vec<(String, Output)> {
    let dir = format!("/m:{}", models.display());
    let mut flags = vec![
        "--dir".to_owned(),
        dir,
        "--nn-preload".to_owned(),
        preload(models),
    ];
    flags.extend(extra.iter().map(|s| (*s).to_owned()));
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    both_hosts(plugins, &flags, &flags, &nn_ggml(), args)
        .into_iter()
        .map(|(host, mut cmd)| {
            let out = output(&mut cmd);
            assert_success(host, &out);
            (host.to_owned(), out)
        })
        .collect()
}

#[test]
#[ignore = "needs libwedge_nn_ggml.so (llama.cpp): run scripts/nn-runtimes.sh --test ggml"]
fn ggml_generates_what_llama_cpp_generates_token_for_token() {
    let (plugins, models) = ggml_setup("nn_ggml_chat");
    let model = models.join("tiny.gguf");
    let expected = llama_cpp(&model, PROMPT, 24, 128);
    assert!(!expected.is_empty());
    let config = r#"{"temp": 0, "n-predict": 24, "ctx-size": 128, "threads": 2}"#;
    for (host, out) in run_both(&plugins, &models, &[], &["chat", "default", PROMPT, config]) {
        let text = stdout(&out);
        assert_eq!(value(&host, &text, "compute"), "0", "{host}");
        assert_eq!(
            hex(&host, &text, "text"),
            expected,
            "{host}: not llama.cpp's text"
        );
        let n = input_tokens(&host, &text);
        assert_eq!(value(&host, &text, "meta"), metadata(n, 24), "{host}");
        assert_eq!(value(&host, &text, "unload"), "0", "{host}");
    }

    // The options from the guest's environment, as the examples read them.
    let expected = llama_cpp(&model, "Wedge runs models", 5, 256);
    let env = [
        "--env",
        "n_predict=5",
        "--env",
        "temp=0",
        "--env",
        "ctx_size=256",
        "--env",
        "threads=2",
    ];
    let args = ["chat", "default", "Wedge runs models", "env"];
    for (host, out) in run_both(&plugins, &models, &env, &args) {
        let text = stdout(&out);
        assert_eq!(hex(&host, &text, "text"), expected, "{host} (env)");
        let n = input_tokens(&host, &text);
        assert_eq!(value(&host, &text, "meta"), metadata(n, 5), "{host} (env)");
    }
}

#[test]
#[ignore = "needs libwedge_nn_ggml.so (llama.cpp): run scripts/nn-runtimes.sh --test ggml"]
fn ggml_streams_the_one_shot_text_until_the_context_is_full() {
    let (plugins, models) = ggml_setup("nn_ggml_stream");
    // llama.cpp rounds the context up to 256 tokens.
    let config = r#"{"temp": 0, "ctx-size": 64, "threads": 2}"#;
    let expected = llama_cpp(&models.join("tiny.gguf"), PROMPT, 1000, 256);
    for (host, out) in run_both(
        &plugins,
        &models,
        &[],
        &["stream", "default", PROMPT, config],
    ) {
        let text = stdout(&out);
        // The model never ends by itself (scripts/nn/ggml_model.py), so the stream runs into
        // the end of the context: the token that does not fit is sampled, counted and kept in
        // output 0, but not streamed.
        assert_eq!(value(&host, &text, "stream_end"), "101", "{host}");
        let streamed = hex(&host, &text, "stream");
        let n: usize = value(&host, &text, "stream_tokens").parse().unwrap();
        assert!(n > 200, "{host}: {n} tokens");
        assert!(
            expected.starts_with(&streamed),
            "{host}: the stream is not llama.cpp's text"
        );
        let meta = value(&host, &text, "meta_stream");
        assert!(
            meta.contains(&format!("\"output_tokens\": {}", n + 1)),
            "{host}: {meta}"
        );
        assert_eq!(value(&host, &text, "fini"), "0", "{host}");
        // As many tokens in one compute: the same text.
        assert_eq!(value(&host, &text, "oneshot"), "0", "{host}");
        assert_eq!(
            hex(&host, &text, "oneshot"),
            streamed,
            "{host}: one-shot != streamed"
        );
        // No limit: the context fills, 101 from compute, and the text is llama.cpp's, the
        // token that did not fit included.
        assert_eq!(value(&host, &text, "compute_unbounded"), "101", "{host}");
        assert_eq!(hex(&host, &text, "unbounded"), expected, "{host}");
        let meta = value(&host, &text, "meta_unbounded");
        assert!(
            meta.contains(&format!("\"output_tokens\": {}", n + 1)),
            "{host}: {meta}"
        );
        assert!(
            stderr(&out).contains("[WASI-NN] GGML backend: the context is full."),
            "{host}"
        );
    }
}

#[test]
#[ignore = "needs libwedge_nn_ggml.so (llama.cpp): run scripts/nn-runtimes.sh --test ggml"]
fn ggml_streams_until_end_of_sequence_where_a_grammar_ends() {
    let (plugins, models) = ggml_setup("nn_ggml_eos");
    // Once "ab" is out the grammar allows only the end of generation, which the model must
    // then pick: compute_single answers EndOfSequence (100), compute stops there.
    let config = r#"{"temp": 0, "grammar": "root ::= \"ab\"", "threads": 2}"#;
    for (host, out) in run_both(
        &plugins,
        &models,
        &[],
        &["stream", "default", PROMPT, config],
    ) {
        let text = stdout(&out);
        assert_eq!(value(&host, &text, "stream_end"), "100", "{host}");
        assert_eq!(hex(&host, &text, "stream"), b"ab", "{host}");
        let n: usize = value(&host, &text, "stream_tokens").parse().unwrap();
        // The end-of-sequence token is counted, not streamed.
        let meta = value(&host, &text, "meta_stream");
        assert!(
            meta.contains(&format!("\"output_tokens\": {}", n + 1)),
            "{host}: {meta}"
        );
        assert_eq!(value(&host, &text, "oneshot"), "0", "{host}");
        assert_eq!(hex(&host, &text, "oneshot"), b"ab", "{host}");
        // Without a limit compute stops at the end of sequence (0), whose text is kept.
        assert_eq!(value(&host, &text, "compute_unbounded"), "0", "{host}");
        assert_eq!(hex(&host, &text, "unbounded"), b"ab</s>", "{host}");
    }
}

#[test]
#[ignore = "needs libwedge_nn_ggml.so (llama.cpp): run scripts/nn-runtimes.sh --test ggml"]
fn ggml_errnos_graphs_contexts_embeddings_and_grammars() {
    let (plugins, models) = ggml_setup("nn_ggml_errors");
    let model = models.join("tiny.gguf");
    // A damaged copy: the header and part of the metadata only.
    let bytes = std::fs::read(&model).unwrap();
    let files = plugins.parent().unwrap().join("m");
    std::fs::create_dir_all(&files).unwrap();
    std::fs::copy(&model, files.join("tiny.gguf")).unwrap();
    std::fs::write(files.join("corrupt.gguf"), &bytes[..2000]).unwrap();
    let missing = format!("missing:GGML:AUTO:{}", files.join("nope.gguf").display());
    let long_prompt = "the ".repeat(300);
    let args = [
        "errors",
        "default",
        "missing",
        "/m/tiny.gguf",
        "/m/corrupt.gguf",
        PROMPT,
        &long_prompt,
    ];
    let greedy8 = llama_cpp(&model, PROMPT, 8, 128);
    for (host, out) in run_both(&plugins, &files, &["--nn-preload", &missing], &args) {
        let text = stdout(&out);
        for line in [
            "load_missing=103",
            "load_corrupt=1",
            "load_empty=1",
            "load_bytes=0",
            "compute_too_long=102",
            "single_too_long=102",
            "metadata_bad_json=2",
            "metadata_wrong_type=1",
            "metadata_resize=0",
            "compute_resized=0",
            "two_graphs_same=1",
            "two_contexts_same=1",
            "finalize_a2=0",
            "get_output_small=7",
            "metadata_embedding=0",
            "compute_embedding=0",
            "embedding_n=64 embedding_values=64 embedding_norm=1.0000",
            "metadata_no_embedding=0",
            "metadata_grammar=0",
            "compute_grammar=0",
            "metadata_schema=0",
            "compute_schema=0",
            "metadata_seed=0",
            "same_seed_same_text=1",
            "metadata_gpu_layers=0",
            "compute_reloaded=0",
            "reloaded_same=1",
            "unload=0",
            "compute_after_unload=1",
            "finalize=0",
            "finalize_again=1",
            "unload_b=0",
            "finalize_b=0",
        ] {
            assert!(
                text.lines().any(|l| l == line),
                "{host}: no {line:?} in\n{text}"
            );
        }
        // Two graphs (the preloaded path; the model's bytes) give llama.cpp's text.
        assert_eq!(hex(&host, &text, "text_a"), greedy8, "{host}");
        // root ::= [a-c]+, 6 tokens.
        let g = hex(&host, &text, "grammar");
        assert!(
            !g.is_empty() && g.iter().all(|b| b"abc".contains(b)),
            "{host}: {g:?}"
        );
        // The schema's grammar: an object whose first key is "a".
        let s = hex(&host, &text, "schema");
        assert!(
            s.starts_with(b"{\"a\":"),
            "{host}: {}",
            String::from_utf8_lossy(&s)
        );
        let err = stderr(&out);
        for line in [
            "[WASI-NN] GGML backend: load: model file not found.",
            "[WASI-NN] GGML backend: load: unable to init model",
            "[WASI-NN] GGML backend: the prompt is too long.",
            "[WASI-NN] GGML backend: Unable to retrieve the ctx-size option: it must be an integer.",
        ] {
            assert!(err.contains(line), "{host}: no {line:?} in\n{err}");
        }
    }
}

#[test]
#[ignore = "needs libwedge_nn_ggml.so (llama.cpp): run scripts/nn-runtimes.sh --test ggml"]
fn ggml_reverse_prompt_stream_stdout_and_logs() {
    let (plugins, models) = ggml_setup("nn_ggml_options");
    let full = llama_cpp(&models.join("tiny.gguf"), PROMPT, 24, 128);
    // A reverse prompt: the first two printable ASCII bytes in a row after the first byte.
    let at = (1..full.len() - 1)
        .find(|&i| {
            full[i..i + 2]
                .iter()
                .all(|b| b.is_ascii_graphic() && *b != b'"' && *b != b'\\')
        })
        .expect("two printable bytes in a row in llama.cpp's output");
    let reverse = std::str::from_utf8(&full[at..at + 2]).unwrap();
    let config = format!(
        r#"{{"temp": 0, "n-predict": 24, "ctx-size": 128, "threads": 2, "reverse-prompt": "{reverse}", "stream-stdout": true, "enable-log": true}}"#
    );
    for (host, out) in run_both(
        &plugins,
        &models,
        &[],
        &["chat", "default", PROMPT, &config],
    ) {
        let text = stdout(&out);
        let got = hex(&host, &text, "text");
        assert!(
            full.starts_with(&got),
            "{host}: not a prefix of llama.cpp's text"
        );
        let first = full
            .windows(2)
            .position(|w| w == reverse.as_bytes())
            .unwrap();
        assert!(
            got.len() >= first + 2 && got.len() < full.len(),
            "{host}: stopped at {} bytes, the reverse prompt ends at {}",
            got.len(),
            first + 2
        );
        // stream-stdout: the pieces went to stdout as they came, before the guest's lines.
        assert!(
            out.stdout.starts_with(&got),
            "{host}: {:?}",
            &out.stdout[..got.len().min(64)]
        );
        let err = stderr(&out);
        for line in [
            "[WASI-NN] GGML backend: LLAMA_COMMIT unknown",
            "[WASI-NN] GGML backend: LLAMA_BUILD_NUMBER 0",
            "[WASI-NN] llama.cpp: ",
        ] {
            assert!(err.contains(line), "{host}: no {line:?} in\n{err}");
        }
    }
}

#[test]
fn without_the_ggml_library_ggml_answers_1_and_names_the_script() {
    const NO_LIBRARY: &str = "/nonexistent/wedge-test/libwedge_nn_ggml.so";
    let plugins = plugin_dir("nn_ggml_absent", &[NN]);
    let models = plugins.parent().unwrap().join("m");
    std::fs::create_dir_all(&models).unwrap();
    std::fs::write(models.join("tiny.gguf"), b"GGUF not really a model").unwrap();
    let spec = preload(&models);
    for (host, mut cmd) in both_hosts(
        &plugins,
        &["--nn-preload", &spec],
        &["--nn-preload", &spec],
        &nn_ggml(),
        &["chat", "default", PROMPT, "{}"],
    ) {
        let out = output(cmd.env("WEDGE_NN_GGML_LIB", NO_LIBRARY));
        assert_exit(host, &out, 1);
        let err = stderr(&out);
        assert!(
            err.contains("nn_ggml: load_by_name_with_config failed with errno 1\n"),
            "{host}: {err}"
        );
        let line = err
            .lines()
            .find(|l| l.starts_with("[WASI-NN] GGML backend: libwedge_nn_ggml.so"))
            .unwrap_or_else(|| panic!("{host}: no line naming the library in\n{err}"));
        assert!(line.contains(NO_LIBRARY), "{host}: {line}");
        assert!(
            line.contains("scripts/nn-runtimes.sh ggml"),
            "{host}: {line}"
        );
    }
}
