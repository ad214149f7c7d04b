//! The metadata JSON (WasmEdge's GGML options): passed as the second builder of `load` (which
//! `load_by_name_with_config` appends) and as input 1 of `set_input`.
//!
//! As in WasmEdge 0.17.1 (`GGML/metadata/metadata_parser.cpp`): every key is optional and keys
//! Wedge does not know are ignored; a document that does not parse is `InvalidEncoding` (2), a
//! key of the wrong JSON type `InvalidArgument` (1), and keys before the bad one stay applied.
//! "int" keys take JSON integers only; "double" keys take integers too; negative penalties and
//! temperatures are clamped to 0. Options of the model and of llama.cpp's context and sampler
//! ([`Params`]) belong to the graph, shared by its contexts; `n-predict`, `reverse-prompt` and
//! `stream-stdout` ([`Conf`]) belong to the context that set them (a context starts from the
//! graph's, as set at load).

use serde_json::{Map, Value};

use wedge_nn_backend_abi::{AbiResult, INVALID_ARGUMENT};

use crate::log_error;

/// wasi-nn's `InvalidEncoding`: WasmEdge's answer for metadata that is not JSON.
const INVALID_ENCODING: u32 = 2;

/// llama.cpp's `LLAMA_DEFAULT_SEED`: a random seed.
pub const DEFAULT_SEED: u32 = 0xFFFF_FFFF;

/// The graph's options: the model's, the llama.cpp context's and the sampler's.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// Log lines of the backend and of llama.cpp (`enable-log`).
    pub enable_log: bool,
    /// Debug lines of the backend (`enable-debug-log`).
    pub enable_debug_log: bool,
    /// The model's.
    pub model: ModelParams,
    /// The llama.cpp context's.
    pub context: ContextParams,
    /// The sampler's.
    pub sampling: Sampling,
}

/// Options that take a reload of the model when they change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelParams {
    /// Layers offloaded to the GPU (`n-gpu-layers`); -1: llama.cpp's default.
    pub n_gpu_layers: i64,
    /// The main GPU (`main-gpu`).
    pub main_gpu: i64,
    /// Map the model file rather than read it (`use-mmap`, default true).
    pub use_mmap: bool,
}

/// Options that take a new llama.cpp context when they change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContextParams {
    /// The context size in tokens (`ctx-size`); 0: the model's training context.
    pub ctx_size: u32,
    /// The logical batch size (`batch-size`, default 2048).
    pub batch_size: u32,
    /// The physical batch size (`ubatch-size`, default 512).
    pub ubatch_size: u32,
    /// Threads for generation and prompt processing (`threads`); <= 0: llama.cpp's default.
    pub threads: i64,
    /// Embeddings mode (`embedding`).
    pub embedding: bool,
}

/// The sampler's options (llama.cpp's `common_params_sampling` defaults).
#[derive(Clone, Debug, PartialEq)]
pub struct Sampling {
    /// `temp` (0.8); <= 0 picks the most likely token.
    pub temp: f64,
    /// `top-k` (40).
    pub top_k: i64,
    /// `top-p` (0.95).
    pub top_p: f64,
    /// `min-p` (0.05).
    pub min_p: f64,
    /// `repeat-penalty` (1.0, off).
    pub repeat_penalty: f64,
    /// `presence-penalty` (0, off).
    pub presence_penalty: f64,
    /// `frequency-penalty` (0, off).
    pub frequency_penalty: f64,
    /// `last-n-penalty`: how many tokens back the penalties look (64).
    pub last_n_penalty: i64,
    /// `seed` ([`DEFAULT_SEED`]: random).
    pub seed: u32,
    /// A GBNF grammar (`grammar`, or `json-schema` converted to one); empty: none.
    pub grammar: String,
    /// Go on past end-of-generation tokens (`ignore-eos`).
    pub ignore_eos: bool,
}

/// A context's options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conf {
    /// Tokens to generate per compute (`n-predict`); negative: until the end or a full
    /// context.
    pub n_predict: i64,
    /// Stop once the output contains this (`reverse-prompt`); empty: never.
    pub reverse_prompt: String,
    /// Print each piece to stdout as it is generated (`stream-stdout`).
    pub stream_stdout: bool,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            enable_log: false,
            enable_debug_log: false,
            model: ModelParams {
                n_gpu_layers: -1,
                main_gpu: 0,
                use_mmap: true,
            },
            context: ContextParams {
                ctx_size: 0,
                batch_size: 2048,
                ubatch_size: 512,
                threads: -1,
                embedding: false,
            },
            sampling: Sampling {
                temp: 0.8,
                top_k: 40,
                top_p: 0.95,
                min_p: 0.05,
                repeat_penalty: 1.0,
                presence_penalty: 0.0,
                frequency_penalty: 0.0,
                last_n_penalty: 64,
                seed: DEFAULT_SEED,
                grammar: String::new(),
                ignore_eos: false,
            },
        }
    }
}

impl Default for Conf {
    fn default() -> Self {
        Self {
            n_predict: -1,
            reverse_prompt: String::new(),
            stream_stdout: false,
        }
    }
}

/// The key's value as a bool, or the wrong-type error.
fn boolean(key: &str, v: &Value) -> AbiResult<bool> {
    v.as_bool().ok_or_else(|| wrong(key, "a boolean"))
}

/// The key's value as an integer (a JSON integer, not `1.0`).
fn int(key: &str, v: &Value) -> AbiResult<i64> {
    v.as_i64().ok_or_else(|| wrong(key, "an integer"))
}

/// The key's value as a non-negative integer that fits a `u32`.
fn count(key: &str, v: &Value) -> AbiResult<u32> {
    u32::try_from(int(key, v)?).map_err(|_| wrong(key, "an integer from 0 to 4294967295"))
}

/// The key's value as a number (an integer is one too).
fn double(key: &str, v: &Value) -> AbiResult<f64> {
    v.as_f64().ok_or_else(|| wrong(key, "a number"))
}

/// The key's value as a string.
fn string(key: &str, v: &Value) -> AbiResult<String> {
    v.as_str()
        .map(str::to_owned)
        .ok_or_else(|| wrong(key, "a string"))
}

fn wrong(key: &str, what: &str) -> u32 {
    log_error(&format!("Unable to retrieve the {key} option: it must be {what}."));
    INVALID_ARGUMENT
}

/// Parses `json` (the metadata bytes) into an object, or `InvalidEncoding`.
pub fn parse(json: &[u8]) -> AbiResult<Map<String, Value>> {
    match serde_json::from_slice::<Value>(json) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => {
            log_error("parse metadata: the metadata must be a JSON object.");
            Err(INVALID_ENCODING)
        }
        Err(e) => {
            log_error(&format!("parse metadata: {e}"));
            Err(INVALID_ENCODING)
        }
    }
}

/// Applies the keys of `map` to `params` and `conf`, in the document's order; stops at the first
/// key of the wrong type, keeping those before it.
pub fn apply(map: &Map<String, Value>, params: &mut Params, conf: &mut Conf) -> AbiResult<()> {
    for (key, v) in map {
        let k = key.as_str();
        let s = &mut params.sampling;
        match k {
            "enable-log" => params.enable_log = boolean(k, v)?,
            "enable-debug-log" => params.enable_debug_log = boolean(k, v)?,
            "n-gpu-layers" => params.model.n_gpu_layers = int(k, v)?,
            "main-gpu" => params.model.main_gpu = int(k, v)?,
            "use-mmap" => params.model.use_mmap = boolean(k, v)?,
            "ctx-size" => params.context.ctx_size = count(k, v)?,
            "batch-size" => params.context.batch_size = count(k, v)?,
            "ubatch-size" => params.context.ubatch_size = count(k, v)?,
            "threads" => params.context.threads = int(k, v)?,
            "embedding" => params.context.embedding = boolean(k, v)?,
            "temp" => s.temp = double(k, v)?.max(0.0),
            "top-k" => s.top_k = int(k, v)?,
            "top-p" => s.top_p = double(k, v)?.max(0.0),
            "min-p" => s.min_p = double(k, v)?,
            "repeat-penalty" => s.repeat_penalty = double(k, v)?.max(0.0),
            "presence-penalty" => s.presence_penalty = double(k, v)?.max(0.0),
            "frequency-penalty" => s.frequency_penalty = double(k, v)?.max(0.0),
            "last-n-penalty" => s.last_n_penalty = int(k, v)?,
            // WasmEdge casts the integer to 32 bits.
            "seed" => s.seed = int(k, v)? as u32,
            "grammar" => s.grammar = string(k, v)?,
            "json-schema" => {
                let schema = string(k, v)?;
                s.grammar = llama_cpp_2::json_schema_to_grammar(&schema).map_err(|e| {
                    log_error(&format!("json-schema: not a schema llama.cpp can convert: {e}"));
                    INVALID_ARGUMENT
                })?;
            }
            "ignore-eos" => s.ignore_eos = boolean(k, v)?,
            "n-predict" => conf.n_predict = int(k, v)?,
            "reverse-prompt" => conf.reverse_prompt = string(k, v)?,
            "stream-stdout" => conf.stream_stdout = boolean(k, v)?,
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applied(json: &str) -> (AbiResult<()>, Params, Conf) {
        let mut p = Params::default();
        let mut c = Conf::default();
        let r = parse(json.as_bytes()).and_then(|m| apply(&m, &mut p, &mut c));
        (r, p, c)
    }

    #[test]
    fn every_documented_key_is_read() {
        let (r, p, c) = applied(
            r#"{"ctx-size": 256, "n-predict": 12, "n-gpu-layers": 0, "batch-size": 64,
                "ubatch-size": 32, "threads": 2, "temp": 0.0, "top-p": 0.5,
                "repeat-penalty": 1.1, "presence-penalty": 0.2, "frequency-penalty": 0.3,
                "seed": 42, "reverse-prompt": "User:", "grammar": "root ::= \"a\"",
                "embedding": true, "enable-log": true, "enable-debug-log": true,
                "stream-stdout": true, "top-k": 5, "min-p": 0.1, "ignore-eos": true,
                "unknown-key": [1, 2]}"#,
        );
        r.unwrap();
        assert_eq!(p.context.ctx_size, 256);
        assert_eq!(p.context.batch_size, 64);
        assert_eq!(p.context.ubatch_size, 32);
        assert_eq!(p.context.threads, 2);
        assert!(p.context.embedding);
        assert_eq!(p.model.n_gpu_layers, 0);
        assert_eq!(p.sampling.temp, 0.0);
        assert_eq!(p.sampling.top_p, 0.5);
        assert_eq!(p.sampling.repeat_penalty, 1.1);
        assert_eq!(p.sampling.presence_penalty, 0.2);
        assert_eq!(p.sampling.frequency_penalty, 0.3);
        assert_eq!(p.sampling.seed, 42);
        assert_eq!(p.sampling.top_k, 5);
        assert_eq!(p.sampling.min_p, 0.1);
        assert!(p.sampling.ignore_eos);
        assert_eq!(p.sampling.grammar, "root ::= \"a\"");
        assert!(p.enable_log && p.enable_debug_log);
        assert_eq!(c.n_predict, 12);
        assert_eq!(c.reverse_prompt, "User:");
        assert!(c.stream_stdout);
    }

    #[test]
    fn bad_json_is_invalid_encoding_and_a_wrong_type_invalid_argument() {
        assert_eq!(applied("{not json").0, Err(2));
        assert_eq!(applied("[1]").0, Err(2));
        // An integer key given a float; the keys before it stay applied.
        let (r, p, _) = applied(r#"{"threads": 3, "ctx-size": 1.5, "batch-size": 8}"#);
        assert_eq!(r, Err(1));
        assert_eq!(p.context.threads, 3);
        assert_eq!(p.context.ctx_size, 0);
        assert_eq!(p.context.batch_size, 2048);
        assert_eq!(applied(r#"{"temp": "hot"}"#).0, Err(1));
        assert_eq!(applied(r#"{"stream-stdout": 1}"#).0, Err(1));
        assert_eq!(applied(r#"{"ctx-size": -1}"#).0, Err(1));
        // Doubles take integers; penalties and temperatures are clamped to 0.
        let (r, p, _) = applied(r#"{"temp": 1, "repeat-penalty": -2}"#);
        r.unwrap();
        assert_eq!(p.sampling.temp, 1.0);
        assert_eq!(p.sampling.repeat_penalty, 0.0);
    }
}
