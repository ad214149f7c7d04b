//! Compiled code as data ([`CodeImage`], defined in `wedge-environ`) and loading it.
//!
//! [`link`] lays the compiled functions out in one text section and resolves the calls
//! between them. [`load`] copies an image into fresh pages, applies its load-time relocations
//! (the float helpers' addresses), makes the pages executable and registers the trap sites
//! with the trap handler (`traps.rs`). [`write_object`] writes an image as an ELF object for a
//! shared library, and [`bind_library`] uses such a library's code once the system loader has
//! mapped it.

use crate::CompileError;
use cranelift_codegen::FinalizedMachReloc;
use cranelift_codegen::FinalizedRelocTarget;
use cranelift_codegen::binemit::Reloc;
use cranelift_codegen::entity::EntityRef;
use cranelift_codegen::ir::{self, LibCall};
use cranelift_codegen::isa::TargetIsa;
use std::fmt;
use wedge_environ::{CODE_FORMAT_VERSION, CodeImage, FloatHelper, LoadReloc, RelocTarget, symbols};

/// The float helper Cranelift's libcall `lc` is, if it is one.
fn helper_of_libcall(lc: LibCall) -> Option<FloatHelper> {
    Some(match lc {
        LibCall::CeilF32 => FloatHelper::CeilF32,
        LibCall::CeilF64 => FloatHelper::CeilF64,
        LibCall::FloorF32 => FloatHelper::FloorF32,
        LibCall::FloorF64 => FloatHelper::FloorF64,
        LibCall::TruncF32 => FloatHelper::TruncF32,
        LibCall::TruncF64 => FloatHelper::TruncF64,
        LibCall::NearestF32 => FloatHelper::NearestF32,
        LibCall::NearestF64 => FloatHelper::NearestF64,
        LibCall::FmaF32 => FloatHelper::FmaF32,
        LibCall::FmaF64 => FloatHelper::FmaF64,
        _ => return None,
    })
}

/// The address of our implementation of `helper`.
fn helper_address(helper: FloatHelper) -> usize {
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
    match helper {
        FloatHelper::CeilF32 => ceilf as *const () as usize,
        FloatHelper::CeilF64 => ceil as *const () as usize,
        FloatHelper::FloorF32 => floorf as *const () as usize,
        FloatHelper::FloorF64 => floor as *const () as usize,
        FloatHelper::TruncF32 => truncf as *const () as usize,
        FloatHelper::TruncF64 => trunc as *const () as usize,
        FloatHelper::NearestF32 => nearestf as *const () as usize,
        FloatHelper::NearestF64 => nearest as *const () as usize,
        FloatHelper::FmaF32 => fmaf as *const () as usize,
        FloatHelper::FmaF64 => fma as *const () as usize,
    }
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
            .max(isa.function_alignment().preferred)
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
                FinalizedRelocTarget::Func(off) => RelocTarget::Text((base + *off as usize) as u32),
                FinalizedRelocTarget::ExternalName(ir::ExternalName::User(name)) => {
                    let sym = p.names.get(name.index()).copied().filter(|&s| s < symbols);
                    let sym = sym.ok_or_else(|| {
                        CompileError::codegen(None, "call to an undeclared function")
                    })?;
                    RelocTarget::Text(offsets[sym as usize] as u32)
                }
                FinalizedRelocTarget::ExternalName(ir::ExternalName::LibCall(lc)) => {
                    RelocTarget::Helper(helper_of_libcall(*lc).ok_or_else(|| {
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
                (Reloc::X86CallPCRel4 | Reloc::X86PCRel4, RelocTarget::Text(to)) => {
                    let delta = to as i64 + r.addend - at as i64;
                    let delta = i32::try_from(delta)
                        .map_err(|_| CompileError::codegen(None, "call out of range"))?;
                    text[at..at + 4].copy_from_slice(&delta.to_le_bytes());
                }
                (Reloc::Arm64Call, RelocTarget::Text(to)) => {
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
    Ok(CodeImage::from_parts(
        fingerprint,
        text,
        functions.to_vec(),
        trampolines.to_vec(),
        relocs,
        traps,
    ))
}

/// Copies the code into executable memory and links it.
pub fn load(image: &CodeImage) -> Result<CompiledModule, CompileError> {
    load_text(image, image.text())
}

/// [`load`] for an image whose code is `text`, kept apart from it
/// ([`CodeImage::deserialize_borrowed`]): the code is copied once, from where it was read.
pub fn load_text(image: &CodeImage, text: &[u8]) -> Result<CompiledModule, CompileError> {
    image
        .check_offsets(text.len())
        .map_err(|e| CompileError::codegen(None, e.to_string()))?;
    let memory = CodeMemory::new(text, |base, text| {
        for r in image.relocs() {
            let target = match r.target {
                RelocTarget::Text(o) => base + o as usize,
                RelocTarget::Helper(h) => helper_address(h),
            };
            let value = (target as i64).wrapping_add(r.addend) as u64;
            let at = r.offset as usize;
            text[at..at + 8].copy_from_slice(&value.to_le_bytes());
        }
    })?;
    let base = memory.base();
    Ok(bind(image, base, text.len(), Box::new(memory)))
}

/// The loaded module whose text (`text_len` bytes, this image's) is at `base`, kept
/// mapped by `owner`; its trap sites are registered while it lives.
fn bind(
    image: &CodeImage,
    base: *const u8,
    text_len: usize,
    owner: Box<dyn Send + Sync>,
) -> CompiledModule {
    CompiledModule {
        polls_for_interrupts: image.polls_for_interrupts(),
        validated_features: image.validated_features(),
        _registration: crate::traps::Registration::new(
            base as usize,
            text_len,
            image.trap_sites().into(),
        ),
        functions: image
            .function_offsets()
            .iter()
            .map(|&o| base.wrapping_add(o as usize))
            .collect(),
        trampolines: image
            .trampoline_offsets()
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
pub fn write_object(
    image: &CodeImage,
    module_key: &[u8],
    wasm: &[u8],
) -> Result<Vec<u8>, CompileError> {
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
    obj.append_section_data(text, image.text(), 64);
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
        image.text().len() as u64,
        SymbolKind::Text,
    );
    for (i, &o) in image.function_offsets().iter().enumerate() {
        global(
            &mut obj,
            format!("wedge_f{i}"),
            text,
            o.into(),
            0,
            SymbolKind::Text,
        );
    }
    for (i, &o) in image.trampoline_offsets().iter().enumerate() {
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
    for r in image.relocs() {
        let (symbol, addend) = match r.target {
            RelocTarget::Text(o) => (text_symbol, i64::from(o) + r.addend),
            RelocTarget::Helper(h) => {
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
    let description = image.description();
    let mut meta = Vec::new();
    description.serialize(module_key, &mut meta);
    let rodata = obj.section_id(StandardSection::ReadOnlyData);
    let text_size = (image.text().len() as u64).to_le_bytes();
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

/// Binds the code of a shared library (described by `image`, from
/// [`CodeImage::deserialize_library_meta`]) whose text the system loader mapped at `text`,
/// `text_len` bytes long; `owner` keeps the library loaded as long as the code is used.
///
/// # Safety
/// `text` must be the [`symbols::TEXT`] address of a loaded library written by
/// [`write_object`] from an image with this description, and stay mapped while `owner`
/// lives.
pub unsafe fn bind_library(
    image: &CodeImage,
    text: *const u8,
    text_len: usize,
    owner: Box<dyn Send + Sync>,
) -> CompiledModule {
    bind(image, text, text_len, owner)
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
    polls_for_interrupts: bool,
    validated_features: Option<u64>,
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

    /// Whether the code polls for interrupts (see [`CodeImage::polls_for_interrupts`]).
    pub fn polls_for_interrupts(&self) -> bool {
        self.polls_for_interrupts
    }

    /// The wasm features the module was validated with before it was compiled (see
    /// [`CodeImage::validated_features`]).
    pub fn validated_features(&self) -> Option<u64> {
        self.validated_features
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
