//! Machine code as data, and loading it into executable memory.
//!
//! Compiling produces a [`CodeImage`]: one text section holding every compiled function and
//! host entry trampoline, with calls between them already resolved (they are PC-relative, so
//! the text can sit at any address), plus the few load-time relocations that remain (absolute
//! addresses of Cranelift's float-rounding helpers, which it calls on CPUs without SSE4.1).
//! The same image is what JIT compilation loads at once, what the code cache stores and what
//! AOT files carry ([`CodeImage::serialize`]). [`CodeImage::load`] copies it into fresh pages,
//! applies the relocations and makes the pages executable.
//!
//! # Serialized form (version [`CODE_FORMAT_VERSION`])
//!
//! All integers little-endian:
//! `b"WEDGECODE\0"`, `u32` format version, `u32`-length-prefixed UTF-8 fingerprint of the
//! compiler ([`CraneliftCompiler::fingerprint`](crate::CraneliftCompiler::fingerprint)),
//! `u32`-length-prefixed module key (chosen by the runtime: a hash of the wasm module),
//! `u32` function count and that many `u32` text offsets, `u32` trampoline count and offsets,
//! `u32` relocation count and per relocation `u32` offset, `u8` kind (1: absolute 64-bit),
//! `u8` target kind (1: text offset, 2: helper), `u32` target, `i64` addend; `u32` text length
//! and the text bytes.

use crate::{CODE_FORMAT_VERSION, CompileError};
use cranelift_codegen::FinalizedMachReloc;
use cranelift_codegen::FinalizedRelocTarget;
use cranelift_codegen::binemit::Reloc;
use cranelift_codegen::entity::EntityRef;
use cranelift_codegen::ir::{self, LibCall};
use cranelift_codegen::isa::TargetIsa;
use std::fmt;

const MAGIC: &[u8; 10] = b"WEDGECODE\0";

/// The symbols of a shared library written by [`CodeImage::write_object`]. Each data symbol
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
enum Target {
    /// An offset in the text section.
    Text(u32),
    /// A helper function of this crate (see [`Helper`]).
    Helper(Helper),
}

/// Functions Cranelift may call on its own (libcalls), which the loader links to.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
#[repr(u8)]
enum Helper {
    CeilF32 = 1,
    CeilF64,
    FloorF32,
    FloorF64,
    TruncF32,
    TruncF64,
    NearestF32,
    NearestF64,
    FmaF32,
    FmaF64,
}

impl Helper {
    const ALL: [Helper; 10] = [
        Helper::CeilF32,
        Helper::CeilF64,
        Helper::FloorF32,
        Helper::FloorF64,
        Helper::TruncF32,
        Helper::TruncF64,
        Helper::NearestF32,
        Helper::NearestF64,
        Helper::FmaF32,
        Helper::FmaF64,
    ];

    fn from_libcall(lc: LibCall) -> Option<Helper> {
        Some(match lc {
            LibCall::CeilF32 => Helper::CeilF32,
            LibCall::CeilF64 => Helper::CeilF64,
            LibCall::FloorF32 => Helper::FloorF32,
            LibCall::FloorF64 => Helper::FloorF64,
            LibCall::TruncF32 => Helper::TruncF32,
            LibCall::TruncF64 => Helper::TruncF64,
            LibCall::NearestF32 => Helper::NearestF32,
            LibCall::NearestF64 => Helper::NearestF64,
            LibCall::FmaF32 => Helper::FmaF32,
            LibCall::FmaF64 => Helper::FmaF64,
            _ => return None,
        })
    }

    fn from_u8(v: u8) -> Option<Helper> {
        Helper::ALL.into_iter().find(|h| *h as u8 == v)
    }

    /// The C symbol with the same semantics (the C library's), used when the code is linked
    /// into a shared library.
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            Helper::CeilF32 => "ceilf",
            Helper::CeilF64 => "ceil",
            Helper::FloorF32 => "floorf",
            Helper::FloorF64 => "floor",
            Helper::TruncF32 => "truncf",
            Helper::TruncF64 => "trunc",
            Helper::NearestF32 => "nearbyintf",
            Helper::NearestF64 => "nearbyint",
            Helper::FmaF32 => "fmaf",
            Helper::FmaF64 => "fma",
        }
    }

    fn address(self) -> usize {
        // Wasm's rounding operators turn a NaN into an arithmetic (quiet) NaN; Rust's may hand
        // a signalling NaN back as it came.
        fn quiet32(x: f32, round: fn(f32) -> f32) -> f32 {
            if x.is_nan() {
                f32::from_bits(x.to_bits() | 0x0040_0000)
            } else {
                round(x)
            }
        }
        fn quiet64(x: f64, round: fn(f64) -> f64) -> f64 {
            if x.is_nan() {
                f64::from_bits(x.to_bits() | 0x0008_0000_0000_0000)
            } else {
                round(x)
            }
        }
        extern "C" fn ceilf(x: f32) -> f32 {
            quiet32(x, f32::ceil)
        }
        extern "C" fn ceil(x: f64) -> f64 {
            quiet64(x, f64::ceil)
        }
        extern "C" fn floorf(x: f32) -> f32 {
            quiet32(x, f32::floor)
        }
        extern "C" fn floor(x: f64) -> f64 {
            quiet64(x, f64::floor)
        }
        extern "C" fn truncf(x: f32) -> f32 {
            quiet32(x, f32::trunc)
        }
        extern "C" fn trunc(x: f64) -> f64 {
            quiet64(x, f64::trunc)
        }
        extern "C" fn nearestf(x: f32) -> f32 {
            quiet32(x, f32::round_ties_even)
        }
        extern "C" fn nearest(x: f64) -> f64 {
            quiet64(x, f64::round_ties_even)
        }
        extern "C" fn fmaf(a: f32, b: f32, c: f32) -> f32 {
            a.mul_add(b, c)
        }
        extern "C" fn fma(a: f64, b: f64, c: f64) -> f64 {
            a.mul_add(b, c)
        }
        match self {
            Helper::CeilF32 => ceilf as *const () as usize,
            Helper::CeilF64 => ceil as *const () as usize,
            Helper::FloorF32 => floorf as *const () as usize,
            Helper::FloorF64 => floor as *const () as usize,
            Helper::TruncF32 => truncf as *const () as usize,
            Helper::TruncF64 => trunc as *const () as usize,
            Helper::NearestF32 => nearestf as *const () as usize,
            Helper::NearestF64 => nearest as *const () as usize,
            Helper::FmaF32 => fmaf as *const () as usize,
            Helper::FmaF64 => fma as *const () as usize,
        }
    }
}

/// A relocation applied when the image is loaded: the absolute address of `target` plus
/// `addend`, written as 64 bits at `offset`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
struct LoadReloc {
    offset: u32,
    target: Target,
    addend: i64,
}

/// The symbols of a module's code, in order: every defined function, then its host entry
/// trampoline (`functions + def`), or a single exit trampoline.
pub(crate) type SymbolId = u32;

/// One function's compiled bytes and relocations, before linking.
pub(crate) struct Piece {
    pub(crate) symbol: SymbolId,
    pub(crate) alignment: u32,
    pub(crate) bytes: Vec<u8>,
    pub(crate) relocs: Vec<FinalizedMachReloc>,
    /// Maps the function's `UserExternalNameRef`s to symbols.
    pub(crate) names: Vec<SymbolId>,
    /// Trap sites: offset in `bytes` and trap-site code (`traps.rs`).
    pub(crate) traps: Vec<(u32, u8)>,
}

impl Piece {
    /// Takes the compiled code out of `ctx` (which must have been compiled).
    pub(crate) fn from_context(
        ctx: &cranelift_codegen::Context,
        isa: &dyn TargetIsa,
        symbol: SymbolId,
    ) -> Piece {
        let code = ctx.compiled_code().expect("compiled");
        let alignment = code
            .buffer
            .alignment
            .max(isa.function_alignment().minimum)
            .max(isa.symbol_alignment() as u32);
        let names = ctx
            .func
            .params
            .user_named_funcs()
            .values()
            .map(|n| n.index)
            .collect();
        let traps = code
            .buffer
            .traps()
            .iter()
            .filter_map(|t| Some((t.offset, crate::traps::site_code(t.code)?)))
            .collect();
        Piece {
            symbol,
            alignment,
            bytes: code.code_buffer().to_vec(),
            relocs: code.buffer.relocs().to_vec(),
            names,
            traps,
        }
    }
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
    /// Lays out `pieces` (symbols `0..symbols`) in one text section and resolves the
    /// relocations between them.
    pub(crate) fn link(
        fingerprint: String,
        functions: u32,
        mut pieces: Vec<Piece>,
        trampolines: bool,
    ) -> Result<CodeImage, CompileError> {
        pieces.sort_by_key(|p| p.symbol);
        let symbols = functions + if trampolines { functions } else { 0 };
        if pieces.len() != symbols as usize
            || pieces.iter().enumerate().any(|(i, p)| p.symbol != i as u32)
        {
            return Err(CompileError::codegen(
                None,
                "missing or duplicate compiled function",
            ));
        }
        let mut text = Vec::new();
        let mut offsets = Vec::with_capacity(pieces.len());
        for p in &pieces {
            let at = text.len().next_multiple_of(p.alignment as usize);
            text.resize(at, 0);
            offsets.push(at);
            text.extend_from_slice(&p.bytes);
        }
        if text.len() > u32::MAX as usize / 2 {
            return Err(CompileError::codegen(None, "more than 2 GiB of code"));
        }
        let mut relocs = Vec::new();
        let mut traps = Vec::new();
        for (p, &base) in pieces.iter().zip(&offsets) {
            traps.extend(p.traps.iter().map(|&(o, c)| (base as u32 + o, c)));
            for r in &p.relocs {
                let at = base + r.offset as usize;
                let target = match &r.target {
                    FinalizedRelocTarget::Func(off) => Target::Text((base + *off as usize) as u32),
                    FinalizedRelocTarget::ExternalName(ir::ExternalName::User(name)) => {
                        let sym = p.names.get(name.index()).copied().filter(|&s| s < symbols);
                        let sym = sym.ok_or_else(|| {
                            CompileError::codegen(None, "call to an undeclared function")
                        })?;
                        Target::Text(offsets[sym as usize] as u32)
                    }
                    FinalizedRelocTarget::ExternalName(ir::ExternalName::LibCall(lc)) => {
                        Target::Helper(Helper::from_libcall(*lc).ok_or_else(|| {
                            CompileError::codegen(None, format!("Cranelift needs the helper {lc}"))
                        })?)
                    }
                    other => {
                        return Err(CompileError::codegen(
                            None,
                            format!("unexpected relocation target {other:?}"),
                        ));
                    }
                };
                match (r.kind, target) {
                    (Reloc::X86CallPCRel4 | Reloc::X86PCRel4, Target::Text(to)) => {
                        let delta = to as i64 + r.addend - at as i64;
                        let delta = i32::try_from(delta)
                            .map_err(|_| CompileError::codegen(None, "call out of range"))?;
                        text[at..at + 4].copy_from_slice(&delta.to_le_bytes());
                    }
                    (Reloc::Arm64Call, Target::Text(to)) => {
                        let delta = to as i64 + r.addend - at as i64;
                        if delta % 4 != 0 || !(-(1 << 27)..(1 << 27)).contains(&delta) {
                            return Err(CompileError::codegen(None, "call out of range"));
                        }
                        let word = u32::from_le_bytes(text[at..at + 4].try_into().expect("4"));
                        let word = (word & !0x03ff_ffff) | ((delta >> 2) as u32 & 0x03ff_ffff);
                        text[at..at + 4].copy_from_slice(&word.to_le_bytes());
                    }
                    (Reloc::Abs8, target) => relocs.push(LoadReloc {
                        offset: at as u32,
                        target,
                        addend: r.addend,
                    }),
                    (kind, target) => {
                        return Err(CompileError::codegen(
                            None,
                            format!("unsupported relocation {kind:?} to {target:?}"),
                        ));
                    }
                }
            }
        }
        // Pieces are laid out in order, so this is nearly sorted already.
        traps.sort_by_key(|&(o, _)| o);
        traps.dedup_by_key(|&mut (o, _)| o);
        let offsets: Vec<u32> = offsets.into_iter().map(|o| o as u32).collect();
        let (functions, trampolines) = offsets.split_at(functions as usize);
        Ok(CodeImage {
            fingerprint,
            text,
            functions: functions.to_vec(),
            trampolines: trampolines.to_vec(),
            relocs,
            traps,
        })
    }

    /// The fingerprint of the compiler that made the code.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
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
    #[cfg(test)]
    pub(crate) fn trap_sites(&self) -> &[(u32, u8)] {
        &self.traps
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
                Target::Text(o) => (1, o),
                Target::Helper(h) => (2, h as u32),
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
        Self::read(bytes, fingerprint, None)
    }

    /// [`CodeImage::deserialize`], or with `text_len`, the description of code mapped
    /// elsewhere (the serialized text is empty).
    fn read(
        bytes: &[u8],
        fingerprint: &str,
        text_len: Option<usize>,
    ) -> Result<(CodeImage, Vec<u8>), ImageError> {
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
                (1, 1) => Target::Text(t),
                (1, 2) => Target::Helper(
                    u8::try_from(t)
                        .ok()
                        .and_then(Helper::from_u8)
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
            if !crate::traps::valid_site_code(code) {
                return Err(ImageError::Malformed(format!("unknown trap code {code}")));
            }
            traps.push((offset, code));
        }
        let text = r.bytes()?.to_vec();
        if r.at != bytes.len() {
            return Err(ImageError::Malformed("trailing bytes".into()));
        }
        if text_len.is_some() && !(text.is_empty() && relocs.is_empty()) {
            return Err(ImageError::Malformed(
                "a library's description holds code".into(),
            ));
        }
        let len = text_len.unwrap_or(text.len()) as u64;
        let inside = |o: u32| (o as u64) < len;
        if !traps.is_sorted_by(|a, b| a.0 <= b.0) {
            return Err(ImageError::Malformed("trap sites out of order".into()));
        }
        if functions.len() != trampolines.len() && !trampolines.is_empty()
            || !traps.iter().all(|&(o, _)| inside(o))
            || !functions.iter().chain(&trampolines).all(|&o| inside(o))
            || !relocs.iter().all(|r| {
                r.offset as u64 + 8 <= len
                    && match r.target {
                        Target::Text(o) => inside(o),
                        Target::Helper(_) => true,
                    }
            })
        {
            return Err(ImageError::Malformed(
                "an offset lies outside the code".into(),
            ));
        }
        Ok((
            CodeImage {
                fingerprint: file_fp,
                text,
                functions,
                trampolines,
                relocs,
                traps,
            },
            key,
        ))
    }

    /// Copies the code into executable memory and links it.
    pub fn load(&self) -> Result<CompiledModule, CompileError> {
        let memory = CodeMemory::new(&self.text, |base, text| {
            for r in &self.relocs {
                let target = match r.target {
                    Target::Text(o) => base + o as usize,
                    Target::Helper(h) => h.address(),
                };
                let value = (target as i64).wrapping_add(r.addend) as u64;
                let at = r.offset as usize;
                text[at..at + 8].copy_from_slice(&value.to_le_bytes());
            }
        })?;
        let base = memory.base();
        Ok(self.bind(base, self.text.len(), Box::new(memory)))
    }

    /// The loaded module whose text (`text_len` bytes, this image's) is at `base`, kept
    /// mapped by `owner`; its trap sites are registered while it lives.
    fn bind(
        &self,
        base: *const u8,
        text_len: usize,
        owner: Box<dyn Send + Sync>,
    ) -> CompiledModule {
        CompiledModule {
            _registration: crate::traps::Registration::new(
                base as usize,
                text_len,
                self.traps.clone().into(),
            ),
            functions: self
                .functions
                .iter()
                .map(|&o| base.wrapping_add(o as usize))
                .collect(),
            trampolines: self
                .trampolines
                .iter()
                .map(|&o| base.wrapping_add(o as usize))
                .collect(),
            _owner: owner,
        }
    }

    /// A relocatable ELF object for a shared library: the code in `.text` (global symbols
    /// [`symbols::TEXT`], `wedge_f<N>` per defined function and `wedge_t<N>` per entry
    /// trampoline), its load-time relocations as ELF relocations (the float helpers resolve to
    /// the C library's `floor`, `ceilf`...), and in `.rodata` the format version, the image's
    /// description ([`CodeImage::serialize`] without the text, with `module_key`) and the
    /// module `wasm` itself, each with a `_size` symbol (see [`symbols`]).
    pub fn write_object(&self, module_key: &[u8], wasm: &[u8]) -> Result<Vec<u8>, CompileError> {
        use object::write::{Object, Relocation, StandardSection, Symbol, SymbolSection};
        use object::{
            Architecture, BinaryFormat, Endianness, RelocationEncoding, RelocationFlags,
            RelocationKind, SymbolFlags, SymbolKind, SymbolScope,
        };
        let arch = if cfg!(target_arch = "x86_64") {
            Architecture::X86_64
        } else if cfg!(target_arch = "aarch64") {
            Architecture::Aarch64
        } else {
            return Err(CompileError::host(
                "shared libraries are written for x86-64 and aarch64 only",
            ));
        };
        let mut obj = Object::new(BinaryFormat::Elf, arch, Endianness::Little);
        let text = obj.section_id(StandardSection::Text);
        obj.append_section_data(text, &self.text, 64);
        let global = |obj: &mut Object<'_>, name: String, section, value: u64, size: u64, kind| {
            obj.add_symbol(Symbol {
                name: name.into_bytes(),
                value,
                size,
                kind,
                scope: SymbolScope::Dynamic,
                weak: false,
                section: SymbolSection::Section(section),
                flags: SymbolFlags::None,
            })
        };
        global(
            &mut obj,
            symbols::TEXT.into(),
            text,
            0,
            self.text.len() as u64,
            SymbolKind::Text,
        );
        for (i, &o) in self.functions.iter().enumerate() {
            global(
                &mut obj,
                format!("wedge_f{i}"),
                text,
                o.into(),
                0,
                SymbolKind::Text,
            );
        }
        for (i, &o) in self.trampolines.iter().enumerate() {
            global(
                &mut obj,
                format!("wedge_t{i}"),
                text,
                o.into(),
                0,
                SymbolKind::Text,
            );
        }
        let text_symbol = obj.section_symbol(text);
        let mut helpers = std::collections::HashMap::new();
        for r in &self.relocs {
            let (symbol, addend) = match r.target {
                Target::Text(o) => (text_symbol, i64::from(o) + r.addend),
                Target::Helper(h) => {
                    let symbol = *helpers.entry(h as u8).or_insert_with(|| {
                        obj.add_symbol(Symbol {
                            name: h.symbol().as_bytes().to_vec(),
                            value: 0,
                            size: 0,
                            kind: SymbolKind::Text,
                            scope: SymbolScope::Dynamic,
                            weak: false,
                            section: SymbolSection::Undefined,
                            flags: SymbolFlags::None,
                        })
                    });
                    (symbol, r.addend)
                }
            };
            obj.add_relocation(
                text,
                Relocation {
                    offset: r.offset.into(),
                    symbol,
                    addend,
                    flags: RelocationFlags::Generic {
                        kind: RelocationKind::Absolute,
                        encoding: RelocationEncoding::Generic,
                        size: 64,
                    },
                },
            )
            .map_err(|e| CompileError::codegen(None, e))?;
        }
        let description = CodeImage {
            text: Vec::new(),
            relocs: Vec::new(),
            ..self.clone()
        };
        let mut meta = Vec::new();
        description.serialize(module_key, &mut meta);
        let rodata = obj.section_id(StandardSection::ReadOnlyData);
        let text_size = (self.text.len() as u64).to_le_bytes();
        for (name, bytes) in [
            ("wedge_text_size", &text_size[..]),
            (symbols::VERSION, &CODE_FORMAT_VERSION.to_le_bytes()[..]),
            (symbols::META, &meta),
            (symbols::WASM, wasm),
        ] {
            let at = obj.append_section_data(rodata, bytes, 8);
            global(
                &mut obj,
                name.into(),
                rodata,
                at,
                bytes.len() as u64,
                SymbolKind::Data,
            );
            let size = (bytes.len() as u64).to_le_bytes();
            let at = obj.append_section_data(rodata, &size, 8);
            global(
                &mut obj,
                format!("{name}_size"),
                rodata,
                at,
                8,
                SymbolKind::Data,
            );
        }
        obj.write().map_err(|e| CompileError::codegen(None, e))
    }

    /// Reads the description [`CodeImage::write_object`] put into a shared library (`meta`,
    /// for a text section of `text_len` bytes) and its module key, with the checks of
    /// [`CodeImage::deserialize`].
    pub fn deserialize_library_meta(
        meta: &[u8],
        text_len: usize,
        fingerprint: &str,
    ) -> Result<(CodeImage, Vec<u8>), ImageError> {
        Self::read(meta, fingerprint, Some(text_len))
    }

    /// Binds the code of a shared library (described by `self`, from
    /// [`CodeImage::deserialize_library_meta`]) whose text the system loader mapped at `text`;
    /// `text_len` bytes long; `owner` keeps the library loaded as long as the code is used.
    ///
    /// # Safety
    /// `text` must be the [`symbols::TEXT`] address of a loaded library written by
    /// [`CodeImage::write_object`] from an image with this description, and stay mapped while
    /// `owner` lives.
    pub unsafe fn bind_library(
        &self,
        text: *const u8,
        text_len: usize,
        owner: Box<dyn Send + Sync>,
    ) -> CompiledModule {
        self.bind(text, text_len, owner)
    }
}

/// Checks that code made by a compiler with fingerprint `file` runs correctly here, where the
/// compiler's fingerprint is `host`. Fingerprints are `key=value` items separated by `; `.
/// Every item must be equal, except CPU features (`has_*`): code may leave out features this
/// CPU has (code for a generic CPU runs on a newer one) but must not need one it lacks; and
/// the optimization level (`opt_level`), which changes how fast the code is, not what it does.
/// On a mismatch, says which item differs.
pub fn check_compatible(file: &str, host: &str) -> Result<(), String> {
    let items = |s: &str| -> Vec<(String, String)> {
        s.split("; ")
            .map(|i| {
                let (k, v) = i.split_once('=').unwrap_or((i, ""));
                (k.to_owned(), v.to_owned())
            })
            .collect()
    };
    let (f, h) = (items(file), items(host));
    let get = |list: &[(String, String)], k: &str| {
        list.iter().find(|(lk, _)| lk == k).map(|(_, v)| v.clone())
    };
    for (k, v) in &f {
        let here = get(&h, k);
        // Speed only; and code without interrupt polls runs, uninterruptible, as WasmEdge's.
        if k == "opt_level" || k == "interruptible" {
            continue;
        }
        if k.starts_with("has_") {
            let on = |v: &str| v == "1" || v == "true";
            if on(v) && !here.as_deref().is_some_and(on) {
                return Err(format!(
                    "the code needs the CPU feature {k}, which this CPU lacks"
                ));
            }
        } else if here.as_deref() != Some(v.as_str()) {
            return Err(format!(
                "{k}: the file's is {v}, here {}",
                here.as_deref().unwrap_or("(none)")
            ));
        }
    }
    if let Some((k, v)) = h
        .iter()
        .find(|(k, _)| !k.starts_with("has_") && k != "interruptible" && get(&f, k).is_none())
    {
        return Err(format!("{k}: the file has none, here {v}"));
    }
    Ok(())
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

/// Executable memory holding one image's text; unmapped on drop.
pub(crate) struct CodeMemory {
    ptr: *mut u8,
    len: usize,
}

impl CodeMemory {
    /// Maps fresh pages, copies `text` in, lets `fixup(base, text)` patch it, and makes the
    /// pages read-only and executable.
    pub(crate) fn new(
        text: &[u8],
        fixup: impl FnOnce(usize, &mut [u8]),
    ) -> Result<CodeMemory, CompileError> {
        if cfg!(not(any(target_arch = "x86_64", target_arch = "aarch64"))) {
            return Err(CompileError::host(
                "loading code is supported on x86-64 and aarch64 only",
            ));
        }
        let page = page_size();
        let len = text.len().max(1).next_multiple_of(page);
        // SAFETY: an anonymous private mapping of `len` bytes at an address the kernel picks;
        // it aliases nothing.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(CompileError::host(format!(
                "cannot map {len} bytes for code: {}",
                std::io::Error::last_os_error()
            )));
        }
        let memory = CodeMemory {
            ptr: ptr.cast(),
            len,
        };
        // SAFETY: the mapping is `len >= text.len()` bytes, readable and writable, and only
        // this function holds it.
        let dst = unsafe { std::slice::from_raw_parts_mut(memory.ptr, text.len()) };
        dst.copy_from_slice(text);
        fixup(memory.ptr as usize, dst);
        // SAFETY: changes the protection of exactly the pages mapped above.
        let rc = unsafe { libc::mprotect(ptr, len, libc::PROT_READ | libc::PROT_EXEC) };
        if rc != 0 {
            return Err(CompileError::host(format!(
                "cannot make code executable: {}",
                std::io::Error::last_os_error()
            )));
        }
        flush_icache(memory.ptr, text.len());
        Ok(memory)
    }

    pub(crate) fn base(&self) -> *const u8 {
        self.ptr
    }
}

fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    let n = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if n > 0 { n as usize } else { 4096 }
}

/// Makes freshly written code visible to instruction fetch (needed on aarch64; x86-64 keeps
/// the caches coherent).
#[allow(unused_variables, reason = "only aarch64 uses the range")]
fn flush_icache(ptr: *const u8, len: usize) {
    #[cfg(target_arch = "aarch64")]
    {
        let ctr: u64;
        // SAFETY: reading CTR_EL0 is allowed at EL0 on Linux.
        unsafe { std::arch::asm!("mrs {}, ctr_el0", out(reg) ctr) };
        let dline = 4usize << ((ctr >> 16) & 0xf);
        let iline = 4usize << (ctr & 0xf);
        let start = ptr as usize;
        let end = start + len;
        let mut a = start & !(dline - 1);
        while a < end {
            // SAFETY: cache maintenance on addresses of our own mapping.
            unsafe { std::arch::asm!("dc cvau, {}", in(reg) a) };
            a += dline;
        }
        // SAFETY: barriers have no memory operands.
        unsafe { std::arch::asm!("dsb ish") };
        let mut a = start & !(iline - 1);
        while a < end {
            // SAFETY: as above.
            unsafe { std::arch::asm!("ic ivau, {}", in(reg) a) };
            a += iline;
        }
        // SAFETY: barriers have no memory operands.
        unsafe { std::arch::asm!("dsb ish", "isb") };
    }
}

impl Drop for CodeMemory {
    fn drop(&mut self) {
        // SAFETY: unmaps exactly the pages `new` mapped; the code is documented to be valid
        // only while its owner lives, so none of it runs any more.
        unsafe { libc::munmap(self.ptr.cast(), self.len) };
    }
}

/// Native code for a module's defined functions, with host entry trampolines, loaded and
/// executable. The code stays valid as long as this value lives.
pub struct CompiledModule {
    functions: Vec<*const u8>,
    trampolines: Vec<*const u8>,
    /// The code's entry in the trap handler's registry (removed before the code goes).
    _registration: crate::traps::Registration,
    /// What keeps the code mapped: our own pages, or a loaded shared library.
    _owner: Box<dyn Send + Sync>,
}

impl fmt::Debug for CompiledModule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CompiledModule")
            .field("functions", &self.functions.len())
            .finish()
    }
}

impl CompiledModule {
    /// Number of compiled (defined) functions.
    pub fn len(&self) -> usize {
        self.functions.len()
    }

    /// Whether the module defines no function.
    pub fn is_empty(&self) -> bool {
        self.functions.is_empty()
    }

    /// The native code of defined function `def_index` (function index minus the number of
    /// imported functions), with the wasm ABI described in the crate docs.
    ///
    /// # Panics
    /// If `def_index` is out of range.
    pub fn function(&self, def_index: u32) -> *const u8 {
        self.functions[def_index as usize]
    }

    /// The host entry trampoline of defined function `def_index`:
    /// `extern "C" fn(callee_vmctx: *mut u8, caller_vmctx: *mut u8, args_results: *mut u128)`.
    ///
    /// # Panics
    /// If `def_index` is out of range.
    pub fn trampoline(&self, def_index: u32) -> *const u8 {
        self.trampolines[def_index as usize]
    }
}

// SAFETY: the code memory is immutable after loading and only unmapped on drop; the pointer
// tables are plain data, so the value can move to and be shared with other threads (the
// runtime's `Module` is `Send + Sync`).
unsafe impl Send for CompiledModule {}
// SAFETY: see above; `&CompiledModule` only reads the immutable pointer tables.
unsafe impl Sync for CompiledModule {}
// SAFETY: as for `CompiledModule`: the mapping is owned and immutable once made.
unsafe impl Send for CodeMemory {}
// SAFETY: as above.
unsafe impl Sync for CodeMemory {}

#[cfg(test)]
mod tests {
    use super::check_compatible;

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
