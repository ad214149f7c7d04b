//! The wasi_nn plug-in's GGML backend (encoding 6): large language models in GGUF files on
//! llama.cpp (through `llama-cpp-2`, which builds it from source), as the backend library
//! `libwedge_nn_ggml.so` that the plug-in opens at the first GGML load
//! (`crates/nn-backend-abi` is the ABI between them).
//!
//! Behaviour is WasmEdge 0.17.1's GGML backend (`plugins/wasi_nn/GGML/`):
//! - **load**: builder 0 is the model: `preload:<path>` (what `--nn-preload NAME:GGML:…:PATH`
//!   gives) is handed to llama.cpp as a path, which maps the file; other bytes are the GGUF file
//!   itself. Builder 1, when there is one, is the metadata JSON ([`config`]; what
//!   `load_by_name_with_config` appends). A path that does not exist is `ModelNotFound` (103); a
//!   file llama.cpp cannot load (corrupt, empty, not GGUF) is `InvalidArgument`. The target is
//!   ignored (this build of llama.cpp runs on the CPU).
//! - **set_input**: index 1 is metadata JSON; any other index is the prompt, tokenized with the
//!   model's special tokens added and special-token text parsed.
//! - **compute**: starts afresh (empty KV cache, sampler reset), evaluates the prompt in batches
//!   of `batch-size` (a prompt longer than the context less 4 is `PromptTooLong`, 102), then
//!   samples up to `n-predict` tokens; it stops at an end-of-generation token (unless
//!   `ignore-eos`) or once the output contains `reverse-prompt`, and a token that does not fit
//!   the context is `ContextFull` (101), with the output so far kept. Output 0 is the text
//!   (special tokens' text included), output 1 the JSON `{"input_tokens": I, "output_tokens": O,
//!   "llama_build_number": B, "llama_commit": "C"}`. With `embedding`, compute evaluates the
//!   prompt (no longer than `batch-size`) and output 0 is `{"n_embedding": N, "embedding": [...]}`,
//!   the sequence's embedding normalized to length 1.
//! - **compute_single** samples one token per call (the first call starts afresh and evaluates
//!   the prompt); `EndOfSequence` (100) after an end-of-generation token, `ContextFull` as above;
//!   after either the next call starts over. `get_output_single` is the last token's piece,
//!   `fini_single` clears the outputs.
//! - The contexts of one graph share its llama.cpp context (and KV cache), as in WasmEdge; each
//!   has its own sampler, prompt, outputs and [`config::Conf`]. The plug-in serializes their calls.
//!
//! Differences from WasmEdge, each where WasmEdge's behaviour is a defect:
//! - Model bytes passed to `load` go to a private temporary file (WasmEdge writes
//!   `ggml-model.bin` into the guest's current directory and never removes it).
//! - Metadata set through input 1 takes effect whenever it changes something: a change of
//!   `ctx-size`, `batch-size`, `ubatch-size`, `threads` or `embedding` makes a new llama.cpp
//!   context, of `n-gpu-layers`, `main-gpu` or `use-mmap` reloads the model, and of any sampling
//!   key makes a new sampler (WasmEdge makes a new context only for `embedding` and a new sampler
//!   only for 7 of the keys).
//! - A JSON schema llama.cpp cannot convert is `InvalidArgument` (WasmEdge aborts the process).
//!
//! Cost (`scripts/nn/ggml.sh --bench`: `bench.gguf`, a 70 MB F16 random llama, 512-dim, 8
//! layers; a 178-token prompt and 128 tokens at temp 0; 2 threads; release `wedge`; a shared
//! 2-core machine; medians of 20 runs a side, which side goes first alternating): through a
//! guest 1709 tokens/s of prompt and 157.1 of generation, vs 1643 and 149.6 for llama.cpp called
//! natively (`llama_ref`, the same llama.cpp build): level, within this machine's spread. Until
//! each compute emptied the KV cache without zeroing it ([`empty_kv_cache`]), the prompt ran
//! 5-13% behind. Memory: the model is mapped, not copied; the process's anonymous memory while
//! generating is 43.1 MB vs 42.4 MB natively (the KV cache is 33.5 MB of it), and its
//! file-backed memory holds the model.

pub mod config;
mod log;

use std::io::Write;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use llama_cpp_2::context::LlamaContext;
use llama_cpp_2::context::params::LlamaContextParams;
use llama_cpp_2::llama_backend::LlamaBackend;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::model::LlamaModel;
use llama_cpp_2::model::params::LlamaModelParams;
use llama_cpp_2::sampling::LlamaSampler;
use llama_cpp_2::token::LlamaToken;

use wedge_nn_backend_abi::{AbiResult, BackendContext, BackendGraph, INVALID_ARGUMENT, RUNTIME_ERROR};

use config::{Conf, ContextParams, ModelParams, Params, Sampling};

pub use log::{log_debug, log_error, log_info};

/// `EndOfSequence`.
pub const END_OF_SEQUENCE: u32 = 100;
/// `ContextFull`.
pub const CONTEXT_FULL: u32 = 101;
/// `PromptTooLong`.
pub const PROMPT_TOO_LONG: u32 = 102;
/// `ModelNotFound`.
pub const MODEL_NOT_FOUND: u32 = 103;

/// llama.cpp's build number, as its build records it: from the git history of its source,
/// which the source `llama-cpp-sys-2` vendors does not have, so llama.cpp's own fallback (0);
/// `llama-cpp-sys-2` 0.1.161 does not say which release it vendors.
pub const LLAMA_BUILD_NUMBER: u32 = 0;
/// llama.cpp's commit, as its build records it ("unknown" without git history, as above).
pub const LLAMA_COMMIT: &str = "unknown";

/// The process's llama.cpp backend, initialised at the first load.
fn backend() -> AbiResult<&'static LlamaBackend> {
    static BACKEND: OnceLock<Result<LlamaBackend, String>> = OnceLock::new();
    BACKEND
        .get_or_init(|| {
            log::init();
            LlamaBackend::init().map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| {
            log_error(&format!("load: llama.cpp's backend could not start: {e}"));
            RUNTIME_ERROR
        })
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The slot of a model's llama.cpp context: empty until first needed, and after a change of
/// its parameters.
type Slot<'a> = Option<LlamaContext<'a>>;

self_cell::self_cell!(
    /// A model and the llama.cpp context made from it.
    struct Llama {
        owner: LlamaModel,
        #[covariant]
        dependent: Slot,
    }
);

/// What the graph's contexts share, behind the graph's lock.
struct State {
    params: Params,
    /// The model and its context; `None` after a reload failed (the graph is then invalid).
    llama: Option<Llama>,
    /// The parameters the context in `llama` was made with.
    made_with: Option<ContextParams>,
}

/// A graph: a model file and what was loaded from it.
struct Shared {
    path: PathBuf,
    /// The temporary file the model's bytes were written to, when `load` got bytes.
    _temp: Option<tempfile::TempPath>,
    state: Mutex<State>,
    /// The options each new context starts from.
    conf: Conf,
}

/// A loaded GGML graph.
pub struct GgmlGraph(Arc<Shared>);

/// The model's load parameters.
fn model_params(p: &ModelParams) -> LlamaModelParams {
    let mut m = LlamaModelParams::default().with_use_mmap(p.use_mmap);
    if p.n_gpu_layers >= 0 {
        m = m.with_n_gpu_layers(u32::try_from(p.n_gpu_layers).unwrap_or(u32::MAX));
    }
    m.with_main_gpu(i32::try_from(p.main_gpu).unwrap_or(0))
}

/// The threads for `threads` (<= 0: the machine's).
fn threads(t: i64) -> i32 {
    if t > 0 {
        i32::try_from(t).unwrap_or(i32::MAX)
    } else {
        std::thread::available_parallelism().map_or(4, |n| i32::try_from(n.get()).unwrap_or(4))
    }
}

/// The llama.cpp context parameters.
fn context_params(p: &ContextParams) -> LlamaContextParams {
    let n = threads(p.threads);
    LlamaContextParams::default()
        .with_n_ctx(NonZeroU32::new(p.ctx_size))
        .with_n_batch(p.batch_size.max(1))
        .with_n_ubatch(p.ubatch_size.max(1))
        .with_n_threads(n)
        .with_n_threads_batch(n)
        .with_embeddings(p.embedding)
}

fn load_model(path: &PathBuf, p: &ModelParams) -> AbiResult<LlamaModel> {
    let backend = backend()?;
    LlamaModel::load_from_file(backend, path, &model_params(p)).map_err(|e| {
        log_error(&format!("load: unable to init model: {e}"));
        INVALID_ARGUMENT
    })
}

impl State {
    /// The model and its context, made (again) where missing or where `params` changed.
    fn ready(&mut self) -> AbiResult<&mut Llama> {
        let want = self.params.context.clone();
        let Some(llama) = self.llama.as_mut() else {
            log_error("Graph is invalid. Please reload again by passing metadata in set_input or unload graph.");
            return Err(INVALID_ARGUMENT);
        };
        if self.made_with.as_ref() != Some(&want) {
            llama.with_dependent_mut(|model, slot| {
                // Free the old context before making the new one.
                *slot = None;
                let backend = backend()?;
                let context = model.new_context(backend, context_params(&want)).map_err(|e| {
                    log_error(&format!("unable to init context: {e}"));
                    INVALID_ARGUMENT
                })?;
                *slot = Some(context);
                Ok::<_, u32>(())
            })?;
            self.made_with = Some(want);
        }
        Ok(llama)
    }
}

impl BackendGraph for GgmlGraph {
    type Context = GgmlContext;
    const NAME: &'static str = "GGML backend";

    fn load(builders: &[&[u8]], _target: u32) -> AbiResult<Self> {
        log_debug("load");
        let mut params = Params::default();
        let mut conf = Conf::default();
        if let Some(json) = builders.get(1) {
            let map = config::parse(json)?;
            config::apply(&map, &mut params, &mut conf)?;
        }
        log::set_enabled(params.enable_log, params.enable_debug_log);
        let Some(model) = builders.first() else {
            log_error("load: no model was passed.");
            return Err(INVALID_ARGUMENT);
        };
        let (path, temp) = if let Some(p) = model.strip_prefix(b"preload:") {
            log_debug("load: handling model path.");
            let path = PathBuf::from(String::from_utf8_lossy(p).into_owned());
            (path, None)
        } else {
            log_debug("load: handling model bytes.");
            let mut file = tempfile::Builder::new()
                .prefix("wedge-ggml-model-")
                .suffix(".gguf")
                .tempfile()
                .map_err(|e| {
                    log_error(&format!("load: cannot write the model to a temporary file: {e}"));
                    RUNTIME_ERROR
                })?;
            file.write_all(model).map_err(|e| {
                log_error(&format!("load: cannot write the model to a temporary file: {e}"));
                RUNTIME_ERROR
            })?;
            let temp = file.into_temp_path();
            (temp.to_path_buf(), Some(temp))
        };
        if !path.exists() {
            log_error("load: model file not found.");
            return Err(MODEL_NOT_FOUND);
        }
        log_info(&format!("LLAMA_COMMIT {LLAMA_COMMIT}"));
        log_info(&format!("LLAMA_BUILD_NUMBER {LLAMA_BUILD_NUMBER}"));
        let model = load_model(&path, &params.model)?;
        let mut state = State {
            params,
            llama: Some(Llama::new(model, |_| None)),
            made_with: None,
        };
        // The context is made now, as WasmEdge does, so that a context size llama.cpp refuses
        // fails the load.
        state.ready()?;
        log_debug("load: done.");
        Ok(Self(Arc::new(Shared {
            path,
            _temp: temp,
            state: Mutex::new(state),
            conf,
        })))
    }

    fn init_context(&self) -> AbiResult<GgmlContext> {
        Ok(GgmlContext {
            graph: Arc::clone(&self.0),
            conf: self.0.conf.clone(),
            sampler: None,
            prompt: Vec::new(),
            input_tokens: 0,
            output: Vec::new(),
            output_tokens: Vec::new(),
            n_pos: 0,
            single_started: false,
            metadata: Vec::new(),
            piece: Vec::new(),
            step: LlamaBatch::new(1, 1),
        })
    }
}

/// An execution context.
pub struct GgmlContext {
    graph: Arc<Shared>,
    conf: Conf,
    /// The sampler and the options it was made with.
    sampler: Option<(Sampling, LlamaSampler)>,
    /// The prompt's tokens.
    prompt: Vec<LlamaToken>,
    input_tokens: usize,
    /// The generated text (or the embedding's JSON).
    output: Vec<u8>,
    output_tokens: Vec<LlamaToken>,
    /// The next position in the KV cache.
    n_pos: i32,
    single_started: bool,
    /// Output 1, made when asked for.
    metadata: Vec<u8>,
    /// The last token's piece, for `get_output_single`.
    piece: Vec<u8>,
    /// The one-token batch each generated token is fed back in.
    step: LlamaBatch<'static>,
}

/// The sampler chain of llama.cpp's common sampler for these options: the grammar, then
/// penalties, top-k, top-p, min-p, temperature, and a draw from what is left (the only token
/// left when the temperature is 0).
fn make_sampler(model: &LlamaModel, s: &Sampling) -> AbiResult<LlamaSampler> {
    let mut chain = Vec::new();
    if !s.grammar.is_empty() {
        chain.push(LlamaSampler::grammar(model, &s.grammar, "root").map_err(|e| {
            log_error(&format!("the grammar is not one llama.cpp accepts: {e}"));
            INVALID_ARGUMENT
        })?);
    }
    chain.push(LlamaSampler::penalties(
        model.n_vocab(),
        i32::try_from(s.last_n_penalty).unwrap_or(64),
        s.repeat_penalty as f32,
        s.frequency_penalty as f32,
        s.presence_penalty as f32,
    ));
    chain.push(LlamaSampler::top_k(i32::try_from(s.top_k).unwrap_or(40)));
    chain.push(LlamaSampler::top_p(s.top_p as f32, 1));
    chain.push(LlamaSampler::min_p(s.min_p as f32, 1));
    chain.push(LlamaSampler::temp(s.temp as f32));
    chain.push(LlamaSampler::dist(s.seed));
    Ok(LlamaSampler::chain_simple(chain))
}

/// `%.10g`, as WasmEdge writes embeddings.
fn fmt_g10(v: f32) -> String {
    let v = f64::from(v);
    if v == 0.0 || !v.is_finite() {
        return if v == 0.0 { "0".into() } else { v.to_string() };
    }
    let sci = format!("{v:.9e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let trim = |s: &str| -> String {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_owned()
        } else {
            s.to_owned()
        }
    };
    if !(-4..10).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{}e{sign}{:02}", trim(mantissa), exp.abs())
    } else {
        let decimals = usize::try_from(9 - exp).unwrap_or(0);
        trim(&format!("{v:.decimals$}"))
    }
}

impl GgmlContext {
    /// Starts afresh: empty KV cache (see [`empty_kv_cache`] and [`Self::reset`]).
    fn clear(&mut self, llama: &mut Llama) {
        llama.with_dependent_mut(|_, slot| {
            if let Some(c) = slot.as_mut() {
                empty_kv_cache(c);
            }
        });
        self.reset();
    }

    /// Sampler reset, outputs cleared, back to position 0 (the KV cache is the caller's).
    fn reset(&mut self) {
        if let Some((_, s)) = self.sampler.as_mut() {
            s.reset();
        }
        self.n_pos = 0;
        self.output.clear();
        self.output_tokens.clear();
        self.piece.clear();
    }

    /// Makes the sampler again when the graph's sampling options changed since.
    fn sampler_for(&mut self, model: &LlamaModel, s: &Sampling) -> AbiResult<()> {
        if self.sampler.as_ref().map(|(made, _)| made) != Some(s) {
            self.sampler = Some((s.clone(), make_sampler(model, s)?));
        }
        Ok(())
    }

    /// Evaluates the prompt in batches of the context's `n_batch`, logits for its last token.
    fn evaluate(&mut self, context: &mut LlamaContext<'_>) -> AbiResult<()> {
        if self.prompt.is_empty() {
            log_error("llama input is not set!");
            return Err(INVALID_ARGUMENT);
        }
        let n_ctx = context.n_ctx() as usize;
        if self.prompt.len() > n_ctx.saturating_sub(4) {
            log_error(&format!(
                "the prompt is too long. Your input has {} tokens exceeds the context size \
                 {n_ctx}. Please reduce the input size or increase your context size.",
                self.prompt.len()
            ));
            return Err(PROMPT_TOO_LONG);
        }
        let n_batch = (context.n_batch() as usize).max(1);
        let last = self.prompt.len() - 1;
        let mut batch = LlamaBatch::new(n_batch.min(self.prompt.len()), 1);
        for (chunk_index, chunk) in self.prompt.chunks(n_batch).enumerate() {
            if self.n_pos as usize + chunk.len() > n_ctx {
                log_error("the context is full.");
                return Err(CONTEXT_FULL);
            }
            batch.clear();
            for (i, &token) in chunk.iter().enumerate() {
                let at = chunk_index * n_batch + i;
                batch
                    .add(token, self.n_pos + i as i32, &[0], at == last)
                    .map_err(|_| RUNTIME_ERROR)?;
            }
            decode(context, &mut batch)?;
            self.n_pos += chunk.len() as i32;
        }
        Ok(())
    }

    /// Samples one token from the last logits, appends it and its piece to the output, and
    /// returns it.
    fn sample(&mut self, context: &LlamaContext<'_>, model: &LlamaModel) -> LlamaToken {
        let (_, sampler) = self.sampler.as_mut().expect("made before sampling");
        let token = sampler.sample(context, -1);
        self.output_tokens.push(token);
        self.piece.clear();
        model
            .vocab()
            .token_to_piece_into(token, &mut self.piece, true, None);
        self.output.extend_from_slice(&self.piece);
        token
    }

    /// Feeds `token` back at the next position: `ContextFull` when it does not fit.
    fn advance(&mut self, context: &mut LlamaContext<'_>, token: LlamaToken) -> AbiResult<()> {
        if self.n_pos as u32 + 1 > context.n_ctx() {
            log_error("the context is full.");
            return Err(CONTEXT_FULL);
        }
        self.step.clear();
        self.step
            .add(token, self.n_pos, &[0], true)
            .map_err(|_| RUNTIME_ERROR)?;
        decode(context, &mut self.step)?;
        self.n_pos += 1;
        Ok(())
    }

    fn generate(&mut self, llama: &mut Llama, params: &Params) -> AbiResult<()> {
        let n_predict = if self.conf.n_predict < 0 {
            i64::from(i32::MAX)
        } else {
            self.conf.n_predict
        };
        llama.with_dependent_mut(|model, slot| {
            let context = slot.as_mut().ok_or(RUNTIME_ERROR)?;
            self.sampler_for(model, &params.sampling)?;
            self.evaluate(context)?;
            let vocab = model.vocab();
            for _ in 0..n_predict {
                let token = self.sample(context, model);
                if self.conf.stream_stdout {
                    let mut out = std::io::stdout().lock();
                    let _ = out.write_all(&self.piece);
                    let _ = out.flush();
                }
                if !self.conf.reverse_prompt.is_empty()
                    && ends_in(&self.output, self.piece.len(), self.conf.reverse_prompt.as_bytes())
                {
                    break;
                }
                if !params.sampling.ignore_eos && vocab.is_eog(token) {
                    break;
                }
                self.advance(context, token)?;
            }
            Ok(())
        })
    }

    fn embed(&mut self, llama: &mut Llama) -> AbiResult<()> {
        llama.with_dependent_mut(|model, slot| {
            let context = slot.as_mut().ok_or(RUNTIME_ERROR)?;
            let vocab = model.vocab();
            if self.prompt.last() != Some(&vocab.sep()) {
                log_info("embedding: the last token of the prompt is not SEP.");
            }
            if self.prompt.len() > context.n_batch() as usize {
                log_error(&format!(
                    "the prompt is too long. Your input has {} tokens exceeds the batch size \
                     {}. Please reduce the input size or increase your batch size.",
                    self.prompt.len(),
                    context.n_batch()
                ));
                return Err(PROMPT_TOO_LONG);
            }
            self.evaluate(context)?;
            let last = i32::try_from(self.prompt.len() - 1).unwrap_or(i32::MAX);
            let embedding = match context.embeddings_seq_ith(0) {
                Ok(e) => e.to_vec(),
                Err(_) => context
                    .embeddings_ith(last)
                    .map_err(|_| {
                        log_error("embedding: llama.cpp gave no embedding.");
                        RUNTIME_ERROR
                    })?
                    .to_vec(),
            };
            let norm = embedding.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>().sqrt();
            let scale = if norm > 0.0 { 1.0 / norm } else { 0.0 };
            let values: Vec<String> = embedding
                .iter()
                .map(|x| fmt_g10((f64::from(*x) * scale) as f32))
                .collect();
            self.output = format!(
                "{{\"n_embedding\": {}, \"embedding\": [{}]}}",
                embedding.len(),
                values.join(",")
            )
            .into_bytes();
            Ok(())
        })
    }

    fn metadata(&mut self) -> &[u8] {
        self.metadata = format!(
            "{{\"input_tokens\": {}, \"output_tokens\": {}, \"llama_build_number\": {}, \
             \"llama_commit\": \"{}\"}}",
            self.input_tokens,
            self.output_tokens.len(),
            LLAMA_BUILD_NUMBER,
            LLAMA_COMMIT
        )
        .into_bytes();
        &self.metadata
    }

    /// Applies metadata from input 1: see the crate's documentation for what it remakes.
    fn set_metadata(&mut self, json: &[u8]) -> AbiResult<()> {
        let map = config::parse(json)?;
        let mut state = lock(&self.graph.state);
        let before = state.params.model.clone();
        let result = config::apply(&map, &mut state.params, &mut self.conf);
        log::set_enabled(state.params.enable_log, state.params.enable_debug_log);
        result?;
        if state.params.model != before || state.llama.is_none() {
            log_debug("set_input: reloading the model.");
            state.llama = None;
            state.made_with = None;
            self.sampler = None;
            let model = load_model(&self.graph.path, &state.params.model)?;
            state.llama = Some(Llama::new(model, |_| None));
        }
        state.ready()?;
        Ok(())
    }
}

/// Empties the KV cache: every cell of every sequence is freed. The cells' data is left as it
/// is (a freed cell is never read, and the next decode overwrites it): `llama_memory_clear` with
/// data, which WasmEdge calls at every compute, also zeroes the whole buffer, 33.5 MB for the
/// benchmark's model and context, which cost 5-10 ms of every compute.
fn empty_kv_cache(context: &mut LlamaContext<'_>) {
    // The whole range of every sequence: llama.cpp removes it for any kind of cache.
    let _ = context.clear_kv_cache_seq(None, None, None);
}

/// Whether `needle` occurs in `hay` in a place that overlaps its last `new` bytes (where the
/// piece just appended could have completed it): checked after every token, so the output is
/// searched once in all, not once per token.
fn ends_in(hay: &[u8], new: usize, needle: &[u8]) -> bool {
    let from = hay.len().saturating_sub(new + needle.len() - 1);
    hay[from..].windows(needle.len()).any(|w| w == needle)
}

fn decode(context: &mut LlamaContext<'_>, batch: &mut LlamaBatch<'_>) -> AbiResult<()> {
    context.decode(batch).map_err(|e| {
        log_error(&format!("llama_decode failed: {e}"));
        RUNTIME_ERROR
    })
}

impl BackendContext for GgmlContext {
    fn set_input(&mut self, index: u32, _dims: &[u32], _ty: u32, data: &[u8]) -> AbiResult<()> {
        if index == 1 {
            return self.set_metadata(data);
        }
        let graph = Arc::clone(&self.graph);
        let mut state = lock(&graph.state);
        let llama = state.ready()?;
        self.prompt = llama.borrow_owner().vocab().tokenize(data, true, true);
        self.input_tokens = self.prompt.len();
        self.single_started = false;
        Ok(())
    }

    fn compute(&mut self) -> AbiResult<()> {
        log_debug("compute");
        let graph = Arc::clone(&self.graph);
        let mut state = lock(&graph.state);
        let params = state.params.clone();
        let llama = state.ready()?;
        self.clear(llama);
        if params.context.embedding {
            return self.embed(llama);
        }
        self.generate(llama, &params)
    }

    fn output(&mut self, index: u32) -> AbiResult<&[u8]> {
        if index == 1 {
            return Ok(self.metadata());
        }
        Ok(&self.output)
    }

    fn compute_single(&mut self) -> AbiResult<()> {
        let graph = Arc::clone(&self.graph);
        let mut state = lock(&graph.state);
        let params = state.params.clone();
        let llama = state.ready()?;
        let result = llama.with_dependent_mut(|model, slot| {
            let context = slot.as_mut().ok_or(RUNTIME_ERROR)?;
            if !self.single_started {
                self.single_started = true;
                empty_kv_cache(context);
                self.reset();
                self.evaluate(context)?;
            }
            self.sampler_for(model, &params.sampling)?;
            let token = self.sample(context, model);
            if !params.sampling.ignore_eos && model.vocab().is_eog(token) {
                return Err(END_OF_SEQUENCE);
            }
            self.advance(context, token)
        });
        if result.is_err() {
            self.single_started = false;
        }
        result
    }

    fn output_single(&mut self, index: u32) -> AbiResult<&[u8]> {
        if index == 1 {
            return Ok(self.metadata());
        }
        if self.output_tokens.is_empty() {
            return Ok(&[]);
        }
        Ok(&self.piece)
    }

    fn fini_single(&mut self) -> AbiResult<()> {
        self.reset();
        self.single_started = false;
        Ok(())
    }
}

wedge_nn_backend_abi::export!(GgmlGraph, streaming);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embeddings_are_written_as_printf_g10() {
        assert_eq!(fmt_g10(0.0), "0");
        assert_eq!(fmt_g10(1.0), "1");
        assert_eq!(fmt_g10(-0.5), "-0.5");
        assert_eq!(fmt_g10(0.123_456_79), "0.123456791");
        assert_eq!(fmt_g10(1.5e-5), "1.499999962e-05");
        assert_eq!(fmt_g10(12345.678), "12345.67773");
        assert_eq!(fmt_g10(3.0e12), "3.000000053e+12");
    }

    #[test]
    fn a_reverse_prompt_is_found_where_the_new_piece_completes_it() {
        assert!(ends_in(b"abc User: x", 3, b"User:"));
        assert!(ends_in(b"abc User:", 1, b"User:"));
        assert!(!ends_in(b"abc Use", 7, b"User:"));
        // Only a match the new piece completed counts (an older one stopped generation then).
        assert!(!ends_in(b"User: abcdef", 2, b"User:"));
    }
}
