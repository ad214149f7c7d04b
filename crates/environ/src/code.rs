//! The seam between the runtime and a compiler backend: the [`Compiler`] trait and what
//! crosses it, machine code as data ([`CodeImage`]).
//!
//! A backend compiles a module into a [`CodeImage`]: one text section holding every compiled
//! function and host entry trampoline, with calls between them already resolved (they are
//! PC-relative, so the text can sit at any address), the few load-time relocations that
//! remain (absolute addresses of float-rounding helpers, [`FloatHelper`], which Cranelift calls
//! on CPUs without SSE4.1) and the trap sites (instructions that fault on purpose, with the
//! [`TrapCode`] each stands for). The same image is what JIT compilation loads at once, what
//! the code cache stores and what AOT files carry ([`CodeImage::serialize`]). Loading it into
//! executable memory, running it and catching its traps is the backend crate's job
//! (`wedge-cranelift`'s `load`, `call_trampoline`), as is writing it as a shared library.
//!
//! Compiled code follows the ABI described in `wedge-cranelift`'s crate docs and works on the
//! VM context laid out by [`VMOffsets`](crate::VMOffsets).
//!
//! # Serialized form (version [`CODE_FORMAT_VERSION`])
//!
//! All integers little-endian:
//! `b"WEDGECODE\0"`, `u32` format version, `u32`-length-prefixed UTF-8 fingerprint of the
//! compiler ([`Compiler::fingerprint`]),
//! `u32`-length-prefixed module key (chosen by the runtime: a hash of the wasm module),
//! `u32` function count and that many `u32` text offsets, `u32` trampoline count and offsets,
//! `u32` relocation count and per relocation `u32` offset, `u8` kind (1: absolute 64-bit),
//! `u8` target kind (1: text offset, 2: helper), `u32` target, `i64` addend; `u32` trap-site
//! count and per site `u32` text offset and `u8` code ([`TrapCode`] number, or
//! [`TRAP_SITE_PENDING`]); `u32` text length and the text bytes.

use crate::{FuncType, ModuleInfo, TrapCode};
use std::fmt;

/// Version of the compiled-code ABI and of its serialized form; part of every fingerprint.
/// 2: wasm functions use Cranelift's `tail` calling convention.
/// 3: traps are faulting instructions with a trap-site table; no trap checks after calls.
/// 4: memory bases in the VM context; the stack check is Cranelift's, in the prologue.
pub const CODE_FORMAT_VERSION: u32 = 4;

/// Trap-site code for "the error is in `VMRuntimeLimits::trap_code`" (a libcall or a host
/// function failed, and the compiled caller then trapped); other codes are [`TrapCode`]
/// numbers.
pub const TRAP_SITE_PENDING: u8 = u8::MAX;

/// Whether `code` is a valid trap-site code.
pub fn valid_trap_site_code(code: u8) -> bool {
    code == TRAP_SITE_PENDING || TrapCode::from_index(code.into()).is_some()
}

/// A compiler backend: turns a module into a [`CodeImage`] for the runtime's VM layout.
/// `wedge-cranelift`'s `CraneliftCompiler` implements it.
pub trait Compiler: Send + Sync {
    /// Everything besides the module that decides the machine code, as `key=value` items
    /// separated by `; ` (format version, backend and version, target, flags, CPU features
    /// the code may use as `has_*` items, settings). Code is used only where
    /// [`check_compatible`] accepts its fingerprint against this one.
    fn fingerprint(&self) -> String;

    /// Compiles every defined function of `info` (decoded from `wasm`) and its host entry
    /// trampoline. `progress(done, total)` is called, from any thread, as functions finish.
    fn compile_module(
        &self,
        info: &ModuleInfo,
        wasm: &[u8],
        progress: &(dyn Fn(u32, u32) + Sync),
    ) -> Result<CodeImage, CompileError>;

    /// An exit trampoline for functions of type `ty` (an image of one function, with no
    /// trampolines): compiled code calls it with the wasm convention, and it calls `target`,
    /// an `extern "C" fn(callee_vmctx, caller_vmctx, cells: *mut u128)` at that address, with
    /// the arguments in 16-byte cells, then reads the results from them; if `target` stored
    /// an error in `VMRuntimeLimits::trap_code`, it traps with [`TRAP_SITE_PENDING`].
    fn compile_exit_trampoline(
        &self,
        ty: &FuncType,
        target: usize,
    ) -> Result<CodeImage, CompileError>;

    /// A function that traps with `code` as soon as it is called, whatever its arguments (an
    /// image of one function): the runtime's stand-in for an exit trampoline it could not make.
    fn compile_trap_function(&self, code: TrapCode) -> Result<CodeImage, CompileError>;
}

/// Why a module could not be compiled.
#[derive(Debug)]
pub struct CompileError(Box<CompileErrorKind>);

/// What went wrong while compiling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompileErrorKind {
    /// The host is not supported by the backend, or a setting was refused.
    Host(String),
    /// The module uses an operator or a type the compiled tier does not support yet.
    Unsupported {
        /// Function index (in the function index space), if the problem is in a body.
        func_index: Option<u32>,
        /// Byte offset in the module.
        offset: u64,
        /// What is unsupported (an operator name, a type).
        what: String,
    },
    /// A function body could not be decoded (the module should have been validated).
    Malformed {
        /// Function index (in the function index space).
        func_index: u32,
        /// Byte offset in the module.
        offset: u64,
        /// The decoder's message.
        message: String,
    },
    /// The backend failed to compile or link a function.
    Codegen {
        /// Function index, if the failure is tied to one.
        func_index: Option<u32>,
        /// The backend's message.
        message: String,
    },
}

impl CompileError {
    /// What went wrong.
    pub fn kind(&self) -> &CompileErrorKind {
        &self.0
    }

    /// An error of kind `kind`.
    #[cold]
    pub fn new(kind: CompileErrorKind) -> Self {
        CompileError(Box::new(kind))
    }

    /// [`CompileErrorKind::Host`].
    #[cold]
    pub fn host(message: impl fmt::Display) -> Self {
        Self::new(CompileErrorKind::Host(message.to_string()))
    }

    /// [`CompileErrorKind::Codegen`].
    #[cold]
    pub fn codegen(func_index: Option<u32>, message: impl fmt::Display) -> Self {
        Self::new(CompileErrorKind::Codegen {
            func_index,
            message: message.to_string(),
        })
    }

    /// [`CompileErrorKind::Unsupported`].
    #[cold]
    pub fn unsupported(func_index: Option<u32>, offset: u64, what: impl Into<String>) -> Self {
        Self::new(CompileErrorKind::Unsupported {
            func_index,
            offset,
            what: what.into(),
        })
    }
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            CompileErrorKind::Host(m) => write!(f, "cannot compile for this host: {m}"),
            CompileErrorKind::Unsupported {
                func_index,
                offset,
                what,
            } => {
                write!(
                    f,
                    "not supported by the compiler yet: {what} (at offset {offset:#x}"
                )?;
                if let Some(i) = func_index {
                    write!(f, ", in function {i}")?;
                }
                f.write_str(")")
            }
            CompileErrorKind::Malformed {
                func_index,
                offset,
                message,
            } => write!(
                f,
                "malformed function body: {message} (at offset {offset:#x}, in function {func_index})"
            ),
            CompileErrorKind::Codegen {
                func_index,
                message,
            } => {
                f.write_str("code generation failed")?;
                if let Some(i) = func_index {
                    write!(f, " in function {i}")?;
                }
                write!(f, ": {message}")
            }
        }
    }
}

impl std::error::Error for CompileError {}

const MAGIC: &[u8; 10] = b"WEDGECODE\0";

/// The symbols of a shared library of compiled code (`wedge compile OUT.so`). Each data symbol
/// has a companion `<name>_size` (`u64`, little-endian) giving its size in bytes.
pub mod symbols {
    /// Start of the code; function offsets are relative to it. Its size is the data symbol
    /// `wedge_text_size` (a `u64`).
    pub const TEXT: &str = "wedge_text";
    /// The code format version, a little-endian `u32` (`CODE_FORMAT_VERSION`).
    pub const VERSION: &str = "wedge_code_version";
    /// The code's description: a serialized image without text.
    pub const META: &str = "wedge_code_meta";
    /// The wasm module the code was compiled from.
    pub const WASM: &str = "wedge_wasm";
}

/// What a load-time relocation points at.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum RelocTarget {
    /// An offset in the text section.
    Text(u32),
    /// A float helper the loader supplies.
    Helper(FloatHelper),
}

/// Float functions compiled code may call on its own (Cranelift's libcalls on CPUs without
/// SSE4.1), which the loader links to. Rounding turns a NaN into a quiet NaN, as wasm does.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum FloatHelper {
    #[allow(missing_docs)]
    CeilF32 = 1,
    #[allow(missing_docs)]
    CeilF64,
    #[allow(missing_docs)]
    FloorF32,
    #[allow(missing_docs)]
    FloorF64,
    #[allow(missing_docs)]
    TruncF32,
    #[allow(missing_docs)]
    TruncF64,
    #[allow(missing_docs)]
    NearestF32,
    #[allow(missing_docs)]
    NearestF64,
    #[allow(missing_docs)]
    FmaF32,
    #[allow(missing_docs)]
    FmaF64,
}

impl FloatHelper {
    /// Every helper.
    pub const ALL: [FloatHelper; 10] = [
        FloatHelper::CeilF32,
        FloatHelper::CeilF64,
        FloatHelper::FloorF32,
        FloatHelper::FloorF64,
        FloatHelper::TruncF32,
        FloatHelper::TruncF64,
        FloatHelper::NearestF32,
        FloatHelper::NearestF64,
        FloatHelper::FmaF32,
        FloatHelper::FmaF64,
    ];

    /// The helper numbered `v` (`helper as u8`).
    pub fn from_u8(v: u8) -> Option<FloatHelper> {
        FloatHelper::ALL.into_iter().find(|h| *h as u8 == v)
    }

    /// The C library function with the same semantics, which a shared library links to.
    pub fn symbol(self) -> &'static str {
        match self {
            FloatHelper::CeilF32 => "ceilf",
            FloatHelper::CeilF64 => "ceil",
            FloatHelper::FloorF32 => "floorf",
            FloatHelper::FloorF64 => "floor",
            FloatHelper::TruncF32 => "truncf",
            FloatHelper::TruncF64 => "trunc",
            FloatHelper::NearestF32 => "nearbyintf",
            FloatHelper::NearestF64 => "nearbyint",
            FloatHelper::FmaF32 => "fmaf",
            FloatHelper::FmaF64 => "fma",
        }
    }
}

/// A relocation applied when the image is loaded: the absolute address of `target` plus
/// `addend`, written as 64 bits at `offset`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct LoadReloc {
    /// Where in the text.
    pub offset: u32,
    /// What it points at.
    pub target: RelocTarget,
    /// Added to the target's address.
    pub addend: i64,
}

/// Relocatable machine code: see the module docs.
#[derive(Clone, PartialEq, Eq)]
pub struct CodeImage {
    fingerprint: String,
    text: Vec<u8>,
    functions: Vec<u32>,
    trampolines: Vec<u32>,
    relocs: Vec<LoadReloc>,
    /// Trap sites, sorted by offset in `text`: (offset, trap-site code).
    traps: Vec<(u32, u8)>,
}

impl fmt::Debug for CodeImage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CodeImage")
            .field("text", &self.text.len())
            .field("functions", &self.functions.len())
            .field("relocs", &self.relocs.len())
            .field("traps", &self.traps.len())
            .finish()
    }
}

/// Why serialized code cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageError {
    /// The bytes are not serialized code of a format this build reads.
    Malformed(String),
    /// The code was made by a compiler with other settings, or for another target or CPU: the
    /// first difference, as `what: file's value, here: this compiler's value`.
    Mismatch(String),
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImageError::Malformed(m) => write!(f, "malformed native code: {m}"),
            ImageError::Mismatch(m) => write!(f, "native code made for another setup: {m}"),
        }
    }
}

impl std::error::Error for ImageError {}

impl CodeImage {
    /// An image from its parts: the compiler's fingerprint, the text, the text offsets of
    /// the functions and of their host entry trampolines (none, for an exit trampoline), the
    /// load-time relocations and the trap sites (sorted by offset).
    pub fn from_parts(
        fingerprint: String,
        text: Vec<u8>,
        functions: Vec<u32>,
        trampolines: Vec<u32>,
        relocs: Vec<LoadReloc>,
        traps: Vec<(u32, u8)>,
    ) -> CodeImage {
        CodeImage {
            fingerprint,
            text,
            functions,
            trampolines,
            relocs,
            traps,
        }
    }

    /// The fingerprint of the compiler that made the code.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Whether the code polls for interrupts at function entries and loop heads (compiled
    /// for an interruptible engine), so that a time limit or an interrupt can stop it.
    pub fn polls_for_interrupts(&self) -> bool {
        fingerprint_item(&self.fingerprint, "interruptible") == Some("1")
    }

    /// The wasm features (`wasmparser::WasmFeatures` bits) the module was validated with
    /// before it was compiled, where the fingerprint records them.
    pub fn validated_features(&self) -> Option<u64> {
        let hex = fingerprint_item(&self.fingerprint, "wasm_features")?.strip_prefix("0x")?;
        u64::from_str_radix(hex, 16).ok()
    }

    /// Number of compiled (defined) functions.
    pub fn functions(&self) -> usize {
        self.functions.len()
    }

    /// Size of the machine code in bytes.
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    /// The trap sites: offset in the text and trap-site code (`traps.rs`), sorted.
    /// The machine code.
    pub fn text(&self) -> &[u8] {
        &self.text
    }

    /// Text offset of each defined function.
    pub fn function_offsets(&self) -> &[u32] {
        &self.functions
    }

    /// Text offset of each defined function's host entry trampoline.
    pub fn trampoline_offsets(&self) -> &[u32] {
        &self.trampolines
    }

    /// The load-time relocations.
    pub fn relocs(&self) -> &[LoadReloc] {
        &self.relocs
    }

    /// The trap sites: text offset and trap-site code, sorted by offset.
    pub fn trap_sites(&self) -> &[(u32, u8)] {
        &self.traps
    }

    /// The image without its text and relocations: the description a shared library
    /// carries beside code the system loader maps and relocates.
    pub fn description(&self) -> CodeImage {
        CodeImage {
            text: Vec::new(),
            relocs: Vec::new(),
            ..self.clone()
        }
    }

    /// Appends the serialized image (see the module docs) to `out`, with `module_key`
    /// identifying the module it was compiled from.
    pub fn serialize(&self, module_key: &[u8], out: &mut Vec<u8>) {
        let u32_ = |out: &mut Vec<u8>, v: u32| out.extend_from_slice(&v.to_le_bytes());
        let bytes = |out: &mut Vec<u8>, b: &[u8]| {
            out.extend_from_slice(&(b.len() as u32).to_le_bytes());
            out.extend_from_slice(b);
        };
        out.extend_from_slice(MAGIC);
        u32_(out, CODE_FORMAT_VERSION);
        bytes(out, self.fingerprint.as_bytes());
        bytes(out, module_key);
        for list in [&self.functions, &self.trampolines] {
            u32_(out, list.len() as u32);
            for &o in list {
                u32_(out, o);
            }
        }
        u32_(out, self.relocs.len() as u32);
        for r in &self.relocs {
            u32_(out, r.offset);
            out.push(1);
            let (kind, target) = match r.target {
                RelocTarget::Text(o) => (1, o),
                RelocTarget::Helper(h) => (2, h as u32),
            };
            out.push(kind);
            u32_(out, target);
            out.extend_from_slice(&r.addend.to_le_bytes());
        }
        u32_(out, self.traps.len() as u32);
        for &(offset, code) in &self.traps {
            u32_(out, offset);
            out.push(code);
        }
        bytes(out, &self.text);
    }

    /// Reads a serialized image and its module key, checking its structure (every offset
    /// inside the text) and that it was made by a compiler compatible with `fingerprint`:
    /// the same settings and target, and only CPU features this host has
    /// ([`check_compatible`]).
    pub fn deserialize(
        bytes: &[u8],
        fingerprint: &str,
    ) -> Result<(CodeImage, Vec<u8>), ImageError> {
        let (mut image, key, text) = Self::read(bytes, fingerprint, None)?;
        image.text = text.to_vec();
        Ok((image, key))
    }

    /// [`CodeImage::deserialize`] without copying the code: the image returned has no text,
    /// and the code is the slice of `bytes` returned with it, which the image's offsets were
    /// checked against (for `wedge_cranelift::load_text`).
    pub fn deserialize_borrowed<'a>(
        bytes: &'a [u8],
        fingerprint: &str,
    ) -> Result<(CodeImage, Vec<u8>, &'a [u8]), ImageError> {
        Self::read(bytes, fingerprint, None)
    }

    /// The description, module key and text of a serialized image; with `text_len`, the
    /// description of code mapped elsewhere (the serialized text is empty).
    fn read<'a>(
        bytes: &'a [u8],
        fingerprint: &str,
        text_len: Option<usize>,
    ) -> Result<(CodeImage, Vec<u8>, &'a [u8]), ImageError> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            return Err(ImageError::Malformed("not Wedge native code".into()));
        }
        let version = r.u32()?;
        if version != CODE_FORMAT_VERSION {
            return Err(ImageError::Mismatch(format!(
                "format version: file's {version}, here {CODE_FORMAT_VERSION}"
            )));
        }
        let file_fp = std::str::from_utf8(r.bytes()?)
            .map_err(|_| ImageError::Malformed("fingerprint is not UTF-8".into()))?
            .to_owned();
        check_compatible(&file_fp, fingerprint).map_err(ImageError::Mismatch)?;
        let key = r.bytes()?.to_vec();
        let mut lists = [Vec::new(), Vec::new()];
        for list in &mut lists {
            let n = r.count(4)?;
            for _ in 0..n {
                list.push(r.u32()?);
            }
        }
        let [functions, trampolines] = lists;
        let n = r.count(18)?;
        let mut relocs = Vec::with_capacity(n);
        for _ in 0..n {
            let offset = r.u32()?;
            let kind = r.u8()?;
            let tkind = r.u8()?;
            let t = r.u32()?;
            let addend = i64::from_le_bytes(r.take(8)?.try_into().expect("8"));
            let target = match (kind, tkind) {
                (1, 1) => RelocTarget::Text(t),
                (1, 2) => RelocTarget::Helper(
                    u8::try_from(t)
                        .ok()
                        .and_then(FloatHelper::from_u8)
                        .ok_or_else(|| ImageError::Malformed(format!("unknown helper {t}")))?,
                ),
                _ => {
                    return Err(ImageError::Malformed(format!(
                        "unknown relocation {kind}/{tkind}"
                    )));
                }
            };
            relocs.push(LoadReloc {
                offset,
                target,
                addend,
            });
        }
        let n = r.count(5)?;
        let mut traps = Vec::with_capacity(n);
        for _ in 0..n {
            let offset = r.u32()?;
            let code = r.u8()?;
            if !valid_trap_site_code(code) {
                return Err(ImageError::Malformed(format!("unknown trap code {code}")));
            }
            traps.push((offset, code));
        }
        let text = r.bytes()?;
        if r.at != bytes.len() {
            return Err(ImageError::Malformed("trailing bytes".into()));
        }
        if text_len.is_some() && !(text.is_empty() && relocs.is_empty()) {
            return Err(ImageError::Malformed(
                "a library's description holds code".into(),
            ));
        }
        if !traps.is_sorted_by(|a, b| a.0 <= b.0) {
            return Err(ImageError::Malformed("trap sites out of order".into()));
        }
        let image = CodeImage {
            fingerprint: file_fp,
            text: Vec::new(),
            functions,
            trampolines,
            relocs,
            traps,
        };
        image.check_offsets(text_len.unwrap_or(text.len()))?;
        Ok((image, key, text))
    }

    /// Checks that every offset of the image (functions, trampolines, relocations and their
    /// targets, trap sites) lies inside code of `len` bytes.
    pub fn check_offsets(&self, len: usize) -> Result<(), ImageError> {
        let len = len as u64;
        let inside = |o: u32| (o as u64) < len;
        if self.functions.len() != self.trampolines.len() && !self.trampolines.is_empty()
            || !self.traps.iter().all(|&(o, _)| inside(o))
            || !self
                .functions
                .iter()
                .chain(&self.trampolines)
                .all(|&o| inside(o))
            || !self.relocs.iter().all(|r| {
                r.offset as u64 + 8 <= len
                    && match r.target {
                        RelocTarget::Text(o) => inside(o),
                        RelocTarget::Helper(_) => true,
                    }
            })
        {
            return Err(ImageError::Malformed(
                "an offset lies outside the code".into(),
            ));
        }
        Ok(())
    }

    /// Reads the description ([`CodeImage::description`]) put into a shared library (`meta`,
    /// for a text section of `text_len` bytes) and its module key, with the checks of
    /// [`CodeImage::deserialize`].
    pub fn deserialize_library_meta(
        meta: &[u8],
        text_len: usize,
        fingerprint: &str,
    ) -> Result<(CodeImage, Vec<u8>), ImageError> {
        let (image, key, _) = Self::read(meta, fingerprint, Some(text_len))?;
        Ok((image, key))
    }
}

/// Checks that code made by a compiler with fingerprint `file` runs correctly here, where the
/// compiler's fingerprint is `host`. Fingerprints are `key=value` items separated by `; `.
/// Every item must be equal, except CPU features (`has_*`): code may leave out features this
/// CPU has (code for a generic CPU runs on a newer one) but must not need one it lacks; and
/// the optimization level (`opt_level`), which changes how fast the code is, not what it does.
/// On a mismatch, says which item differs.
pub fn check_compatible(file: &str, host: &str) -> Result<(), String> {
    const IGNORED: [&str; 3] = ["opt_level", "interruptible", "wasm_features"];
    for (k, v) in fingerprint_items(file) {
        let here = fingerprint_item(host, k);
        // Speed only; code without interrupt polls runs, uninterruptible, as WasmEdge's; and
        // the features the module was validated with do not change the code.
        if IGNORED.contains(&k) {
            continue;
        }
        if k.starts_with("has_") {
            let on = |v: &str| v == "1" || v == "true";
            if on(v) && !here.is_some_and(on) {
                return Err(format!(
                    "the code needs the CPU feature {k}, which this CPU lacks"
                ));
            }
        } else if here != Some(v) {
            return Err(format!(
                "{k}: the file's is {v}, here {}",
                here.unwrap_or("(none)")
            ));
        }
    }
    if let Some((k, v)) = fingerprint_items(host).find(|&(k, _)| {
        !k.starts_with("has_") && !IGNORED.contains(&k) && fingerprint_item(file, k).is_none()
    }) {
        return Err(format!("{k}: the file has none, here {v}"));
    }
    Ok(())
}

/// The `key=value` items of a fingerprint (an item without `=` has an empty value).
fn fingerprint_items(fingerprint: &str) -> impl Iterator<Item = (&str, &str)> {
    fingerprint
        .split("; ")
        .map(|i| i.split_once('=').unwrap_or((i, "")))
}

/// The value of item `key` of a fingerprint.
fn fingerprint_item<'a>(fingerprint: &'a str, key: &str) -> Option<&'a str> {
    fingerprint_items(fingerprint).find_map(|(k, v)| (k == key).then_some(v))
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ImageError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| ImageError::Malformed("truncated".into()))?;
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }

    fn u8(&mut self) -> Result<u8, ImageError> {
        Ok(self.take(1)?[0])
    }

    fn u32(&mut self) -> Result<u32, ImageError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4")))
    }

    /// A count of items of at least `item_size` bytes each, checked against what is left.
    fn count(&mut self, item_size: usize) -> Result<usize, ImageError> {
        let n = self.u32()? as usize;
        if n.saturating_mul(item_size) > self.bytes.len() - self.at {
            return Err(ImageError::Malformed("truncated".into()));
        }
        Ok(n)
    }

    fn bytes(&mut self) -> Result<&'a [u8], ImageError> {
        let n = self.count(1)?;
        self.take(n)
    }
}

#[cfg(test)]
mod tests {
    use super::{CodeImage, LoadReloc, RelocTarget, check_compatible};

    #[test]
    fn a_borrowed_image_is_the_serialized_one_without_its_text() {
        let fp = "format=1; target=x86_64; opt_level=speed; interruptible=1";
        let image = CodeImage::from_parts(
            fp.into(),
            (0..64).collect(),
            vec![0, 32],
            vec![16, 48],
            vec![LoadReloc {
                offset: 8,
                target: RelocTarget::Text(40),
                addend: -4,
            }],
            vec![(4, 1), (36, 2)],
        );
        let mut bytes = Vec::new();
        image.serialize(b"key", &mut bytes);
        let (copy, key) = CodeImage::deserialize(&bytes, fp).unwrap();
        let (borrowed, key2, text) = CodeImage::deserialize_borrowed(&bytes, fp).unwrap();
        assert_eq!(
            (key.as_slice(), key2.as_slice()),
            (&b"key"[..], &b"key"[..])
        );
        assert_eq!(text, image.text());
        assert_eq!(copy.text(), image.text());
        assert!(borrowed.text().is_empty());
        assert_eq!(borrowed.function_offsets(), image.function_offsets());
        assert_eq!(borrowed.trampoline_offsets(), image.trampoline_offsets());
        assert_eq!(borrowed.relocs(), image.relocs());
        assert_eq!(borrowed.trap_sites(), image.trap_sites());
        assert!(borrowed.polls_for_interrupts());
        assert_eq!(borrowed.validated_features(), None);
        let with = CodeImage::from_parts(
            format!("{fp}; wasm_features=0x1f"),
            vec![],
            vec![],
            vec![],
            vec![],
            vec![],
        );
        assert_eq!(with.validated_features(), Some(0x1f));
        // Every offset must lie inside the code it is loaded with.
        assert!(borrowed.check_offsets(64).is_ok());
        assert!(borrowed.check_offsets(48).is_err());
    }

    #[test]
    fn compatibility_allows_fewer_cpu_features_only() {
        let host = "format=1; target=x86_64; opt_level=speed; has_sse41=1; has_avx=1";
        assert_eq!(check_compatible(host, host), Ok(()));
        let generic = "format=1; target=x86_64; opt_level=speed; has_sse41=0; has_avx=0";
        assert_eq!(check_compatible(generic, host), Ok(()));
        let err = check_compatible(host, generic).unwrap_err();
        assert!(err.contains("has_sse41"), "{err}");
        let o0 = "format=1; target=x86_64; opt_level=none; has_sse41=1; has_avx=1";
        assert_eq!(check_compatible(o0, host), Ok(()));
        let polls = "format=1; target=x86_64; opt_level=speed; has_sse41=1; has_avx=1; \
                     interruptible=1";
        assert_eq!(check_compatible(polls, host), Ok(()));
        assert_eq!(check_compatible(host, polls), Ok(()));
        let simd = format!("{host}; wasm_features=0x3f");
        assert_eq!(check_compatible(&simd, host), Ok(()));
        assert_eq!(check_compatible(host, &simd), Ok(()));
        assert_eq!(
            check_compatible(&simd, &format!("{host}; wasm_features=0x1f")),
            Ok(())
        );
        let err = check_compatible("format=2; target=x86_64; opt_level=speed", host).unwrap_err();
        assert!(err.contains("format"), "{err}");
        let err = check_compatible("format=1; target=aarch64; opt_level=speed", host).unwrap_err();
        assert!(err.contains("target"), "{err}");
        let err = check_compatible("format=1; opt_level=speed", host).unwrap_err();
        assert!(err.contains("target"), "{err}");
        let err = check_compatible("format=1; target=x86_64; opt_level=speed; has_amx=1", host)
            .unwrap_err();
        assert!(err.contains("has_amx"), "{err}");
    }
}
