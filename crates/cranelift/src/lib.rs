//! `wedge-cranelift`: Wedge's compiled tier. It translates the defined functions of a module
//! (wasmparser operators) into Cranelift IR with `cranelift-frontend` and compiles them into
//! native code that works on the shared VM context laid out by [`wedge_environ::VMOffsets`].
//! [`CraneliftCompiler`] implements `wedge-environ`'s [`Compiler`] trait, the runtime's seam to
//! a backend: the code comes out as a relocatable [`CodeImage`], which is loaded into
//! executable memory at once ([`load`], for the JIT), serialized (the runtime's code cache and
//! universal wasm files) or written as an ELF object for a shared library ([`write_object`],
//! used through [`bind_library`]). Compiled code runs, and traps, through [`call_trampoline`].
//!
//! # ABI
//!
//! * Every compiled wasm function, and every exit trampoline, uses Cranelift's `tail` calling
//!   convention (the only one `return_call` works with; wasmtime does the same) with the
//!   signature `(callee_vmctx: *mut u8, caller_vmctx: *mut u8, wasm params...) -> wasm results`.
//!   On x86-64 its arguments go in the System V registers, up to eight integer results in
//!   registers, and the callee pops its stack arguments. Only Cranelift code calls it: host
//!   entry trampolines ([`CompiledModule::trampoline`]) have the native convention outside and
//!   call the function with `tail`; exit targets and libcalls keep the native convention.
//!   Any number of results is allowed: results that do not fit in registers go through an
//!   implicit return area (`enable_multi_ret_implicit_sret`), which a tail call forwards.
//!   Every function keeps a frame pointer (`preserve_frame_pointers`, which Cranelift's tail
//!   calls need).
//!   Wasm `i32`/`i64`/`f32`/`f64` are passed as such; `funcref`/`externref` are `i64` (the raw
//!   table element: a `*const VMFuncRef`, or `externref index + 1`, 0 for null).
//! * Traps are faulting instructions: explicit traps (`trapnz`, `trap`) and, with
//!   [`CompilerSettings::guard_regions`], loads and stores that hit a memory's guard region.
//!   The runtime enters compiled code through [`call_trampoline`], and a signal handler turns
//!   a fault at one of the code's trap sites into a return from that call with the trap
//!   (`traps.rs`), so calls need no check afterwards. A libcall or host function (behind an
//!   exit trampoline) that fails stores its error in `VMRuntimeLimits::trap_code`, and the
//!   compiled code that called it then traps with [`Trap::Pending`].
//! * The prologue of every function with a frame checks the stack pointer, less the frame it
//!   is about to allocate, against `VMRuntimeLimits::stack_limit` (Cranelift's own stack
//!   check, through the `stack_limit` global value; `CallStackExhausted`). With
//!   [`CompilerSettings::interruptible`] it also, like every loop head, polls the store's
//!   interrupt flag that `VMRuntimeLimits::interrupt` points to, with an atomic load
//!   (non-zero: it is reset to 0 and the function traps with `Interrupted`).
//! * With [`CompilerSettings::guard_regions`] (the runtime's memories are reserved as
//!   [`wedge_environ::MEMORY32_RESERVATION`] plus [`wedge_environ::MEMORY_GUARD_SIZE`]), a load
//!   or store whose static offset plus size fits in the guard has no bounds check: one beyond
//!   the memory's length faults. Other accesses, and all of them in metered code (whose
//!   counters live in registers, which a fault would lose), are checked explicitly against
//!   `current_length` (64-bit arithmetic, address + offset + access size).
//! * Operations that need the runtime call the [`Libcalls`] the runtime supplies, through the
//!   table `VMRuntimeLimits::libcalls` points to: the code embeds no process addresses. Calls
//!   between a module's functions are PC-relative and resolved when the image is linked; the
//!   only load-time relocations are the addresses of float helpers Cranelift calls on CPUs
//!   without SSE4.1. So an image can be stored and loaded anywhere; [`CraneliftCompiler::fingerprint`]
//!   (format, version, target, CPU features, settings) decides where it may run
//!   ([`check_compatible`]).
//! * Tail calls (`return_call`, `return_call_indirect`, also to imports and to functions behind
//!   exit trampolines) are Cranelift's `return_call`s: the callee replaces the caller's frame,
//!   so tail recursion runs in constant stack, and returns straight to the caller's caller.
//!   Metering counters are written before a tail call as before a return.
//! * A `v128` is an `i8x16` vector everywhere (params, results, locals, globals' 16-byte slots,
//!   the trampolines' 16-byte cells); lane 0 is the lowest-addressed byte, as in wasm memory.
//!   On x86-64 without SSE4.1 (the generic target) vector rounding calls the float helpers
//!   lane by lane, and without SSSE3 shuffles and swizzles go through memory a byte at a time.
//! * With [`CompilerSettings::metering`] on, the code counts instructions and charges each
//!   operator its cost from the table, failing with `CostLimitExceeded` at exactly the operator
//!   where the interpreter would (`metering.rs`). It keeps the counters in registers, writes
//!   them to `VMRuntimeLimits::instr_count`/`cost_left` before calls, returns and traps, and
//!   reads them back after calls.
//!
//! # Status
//!
//! Translated: every i32/i64/f32/f64 operator (float min/max/nearest/trunc with wasm
//! semantics, trapping and saturating float-to-int conversions, sign extension), locals,
//! globals, `select`, all structured control flow with multi-value blocks, `br_table`, direct,
//! imported and indirect calls, loads and stores of every width on any memory (multi-memory),
//! `memory.size/grow`, the bulk-memory and table operators, `ref.null/is_null/func`, and
//! every SIMD (`v128`) operator of Wasm 2.0 (`simd.rs`), instruction counting and cost-table
//! gas with the cost limit (`metering.rs`), and tail calls (`return_call`,
//! `return_call_indirect`).
//! Not yet: relaxed SIMD, atomics, memory64,
//! exceptions, GC.
//! Functions are translated and compiled in parallel on every core (handed out in batches of
//! eight); linking them into one image is serial.
//!
//! Calls out of compiled code into functions that are not compiled (host functions, the
//! interpreter) go through exit trampolines ([`CraneliftCompiler::exit_trampoline`], one per
//! signature), which the runtime points those functions' `VMFuncRef`s at.
//!
//! # Example
//!
//! ```
//! use wedge_cranelift::{CraneliftCompiler, OptLevel};
//! use wedge_environ::{ModuleInfo, wasmparser::WasmFeatures};
//! // (module (func (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
//! let wasm = [
//!     0, 97, 115, 109, 1, 0, 0, 0, 1, 7, 1, 96, 2, 127, 127, 1, 127, 3, 2, 1, 0, 10, 9, 1, 7,
//!     0, 32, 0, 32, 1, 106, 11,
//! ];
//! let info = ModuleInfo::parse(&wasm, WasmFeatures::WASM2).unwrap();
//! let compiler = CraneliftCompiler::new(OptLevel::Speed).unwrap();
//! let compiled = compiler.compile(&info, &wasm).unwrap();
//! assert!(!compiled.function(0).is_null());
//! assert!(!compiled.trampoline(0).is_null());
//! ```

#![allow(
    unsafe_code,
    reason = "compiled-code memory: freeing the JIT memory, sharing compiled code between threads"
)]

mod code;
mod exit;
mod libcalls;
mod translate;
mod traps;

pub use code::{CompiledModule, bind_library, load, load_text, write_object};
pub use exit::{ExitTarget, ExitTrampoline};
pub use libcalls::Libcalls;
pub use translate::Metering;
pub use traps::{Trap, call_trampoline, install_handlers};
pub use wedge_environ::{
    CODE_FORMAT_VERSION, CodeImage, CompileError, CompileErrorKind, Compiler, ImageError,
    check_compatible, symbols,
};

use code::{Piece, SymbolId};

use cranelift_codegen::ir::{self, InstBuilder, MemFlagsData, types};
use cranelift_codegen::isa::{CallConv, OwnedTargetIsa};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

/// The calling convention of every compiled wasm function and exit trampoline: Cranelift's
/// `tail`, the only one `return_call` works with. Host entry trampolines, exit targets and
/// libcalls keep the target's native convention.
pub(crate) const WASM_CALL_CONV: CallConv = CallConv::Tail;

use std::fmt;
use wedge_environ::{FuncType, ModuleInfo, VMOffsets, ValType};

/// How hard Cranelift optimizes.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum OptLevel {
    /// No optimization: fastest compile.
    None,
    /// Optimize for speed (the default).
    #[default]
    Speed,
    /// Optimize for speed and code size.
    SpeedAndSize,
}

/// What a compiler is set up to produce. Everything here changes the machine code, so it is
/// all part of [`CraneliftCompiler::fingerprint`], which AOT files and the code cache are
/// checked against.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CompilerSettings {
    /// How hard Cranelift optimizes.
    pub opt_level: OptLevel,
    /// Target the baseline CPU of the architecture instead of every feature of the host CPU
    /// (`wedge compile --generic-binary`): the code then runs on any CPU of the architecture.
    pub generic: bool,
    /// Instruction counting and cost charging compiled into the code (off by default).
    pub metering: Metering,
    /// Every linear memory the code accesses is reserved as
    /// [`wedge_environ::MEMORY32_RESERVATION`] plus [`wedge_environ::MEMORY_GUARD_SIZE`] bytes,
    /// inaccessible beyond its length, so unmetered code leaves out the bounds checks the guard
    /// covers. Off by default (every access is checked).
    pub guard_regions: bool,
    /// Poll the store's interrupt flag at function entries and loop heads (`wedge compile
    /// --interruptible`, `Config::interruptible` in the runtime). Code without polls runs
    /// anywhere but cannot be interrupted, as WasmEdge's AOT code compiled without the flag.
    pub interruptible: bool,
    /// The wasm features (`wasmparser::WasmFeatures` bits) modules are validated with before
    /// they are compiled. It does not change the code: it is recorded in the fingerprint (not
    /// compared by [`check_compatible`]) so that a runtime with the same features can load the
    /// code without validating the module's function bodies again
    /// ([`CodeImage::validated_features`]).
    pub wasm_features: u64,
}

/// Compiles modules to native code with Cranelift for the host CPU.
pub struct CraneliftCompiler {
    isa: OwnedTargetIsa,
    settings: CompilerSettings,
}

impl fmt::Debug for CraneliftCompiler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CraneliftCompiler")
            .field("triple", &self.isa.triple().to_string())
            .field("settings", &self.settings)
            .finish()
    }
}

impl CraneliftCompiler {
    /// A compiler for the host CPU (with all its detected features) at `opt_level`.
    pub fn new(opt_level: OptLevel) -> Result<Self, CompileError> {
        Self::with_settings(CompilerSettings {
            opt_level,
            ..CompilerSettings::default()
        })
    }

    /// A compiler for the host CPU with `settings`.
    pub fn with_settings(settings: CompilerSettings) -> Result<Self, CompileError> {
        if !traps::SUPPORTED {
            return Err(CompileError::host(
                "compiled code needs Linux on x86-64 or aarch64 (for its trap handling)",
            ));
        }
        let mut flags = settings::builder();
        let opt = match settings.opt_level {
            OptLevel::None => "none",
            OptLevel::Speed => "speed",
            OptLevel::SpeedAndSize => "speed_and_size",
        };
        let set = |flags: &mut settings::Builder, name: &str, value: &str| {
            flags
                .set(name, value)
                .map_err(|e| CompileError::host(format!("setting {name}={value}: {e}")))
        };
        set(&mut flags, "opt_level", opt)?;
        set(&mut flags, "enable_multi_ret_implicit_sret", "true")?;
        // Cranelift's tail calls rely on every function keeping a frame pointer.
        set(&mut flags, "preserve_frame_pointers", "true")?;
        // The code is position-independent by construction (calls between functions are
        // PC-relative, the runtime is reached through the libcall table), so no GOT is needed.
        set(&mut flags, "is_pic", "false")?;
        // Frames larger than a page probe the stack inline, so a big frame cannot jump over
        // the runtime's guard region before the entry stack check runs.
        set(&mut flags, "enable_probestack", "true")?;
        set(&mut flags, "probestack_strategy", "inline")?;
        set(
            &mut flags,
            "enable_verifier",
            if cfg!(debug_assertions) {
                "true"
            } else {
                "false"
            },
        )?;
        let isa_builder = if settings.generic {
            cranelift_codegen::isa::lookup(target_lexicon::Triple::host())
                .map_err(CompileError::host)?
        } else {
            cranelift_native::builder().map_err(CompileError::host)?
        };
        let isa = isa_builder
            .finish(settings::Flags::new(flags))
            .map_err(CompileError::host)?;
        if isa.pointer_type() != types::I64 {
            return Err(CompileError::host("only 64-bit targets are supported"));
        }
        Ok(CraneliftCompiler { isa, settings })
    }

    /// The settings this compiler was made with.
    pub fn settings(&self) -> &CompilerSettings {
        &self.settings
    }

    /// Everything that decides the machine code besides the module, as `key=value` items
    /// separated by `; `: the format version of compiled code, this crate's version, the
    /// target triple, Cranelift's shared flags, the CPU features the code may use (`has_*`)
    /// and the other [`CompilerSettings`]. Code is loaded only where
    /// [`check_compatible`] accepts its fingerprint.
    pub fn fingerprint(&self) -> String {
        let mut s = format!(
            "format={CODE_FORMAT_VERSION}; wedge-cranelift={}; target={}",
            env!("CARGO_PKG_VERSION"),
            self.isa.triple()
        );
        // The verifier (on in debug builds) only checks; it does not change the code.
        for v in self.isa.flags().iter().chain(self.isa.isa_flags()) {
            if v.name != "enable_verifier" {
                s.push_str(&format!("; {v}"));
            }
        }
        // `generic` only chose the CPU features listed above; the optimization level is the
        // Cranelift flag `opt_level` above; `interruptible` and `wasm_features` are items of
        // their own, which `check_compatible` does not compare.
        let settings = CompilerSettings {
            generic: false,
            opt_level: OptLevel::default(),
            interruptible: false,
            wasm_features: 0,
            ..self.settings.clone()
        };
        s.push_str(&format!(
            "; interruptible={}; wasm_features={:#x}; settings={settings:?}",
            u8::from(self.settings.interruptible),
            self.settings.wasm_features
        ));
        s
    }

    /// The VM context layout compiled code for `info` expects on this target.
    pub fn offsets(&self, info: &ModuleInfo) -> VMOffsets {
        VMOffsets::new(self.isa.pointer_bytes().into(), info)
    }

    /// Compiles every defined function of `info` (decoded from `wasm`) and its host entry
    /// trampoline, and loads the code. The code reaches the runtime through the `Libcalls`
    /// table of the store's `VMRuntimeLimits`.
    pub fn compile(&self, info: &ModuleInfo, wasm: &[u8]) -> Result<CompiledModule, CompileError> {
        code::load(&self.compile_image(info, wasm, &|_, _| {})?)
    }

    /// Compiles every defined function of `info` (decoded from `wasm`) and its host entry
    /// trampoline into a relocatable [`CodeImage`], which can be loaded or serialized.
    /// `progress(done, total)` is called from the compiling threads as functions finish.
    pub fn compile_image(
        &self,
        info: &ModuleInfo,
        wasm: &[u8],
        progress: &(dyn Fn(u32, u32) + Sync),
    ) -> Result<CodeImage, CompileError> {
        let offsets = self.offsets(info);
        let defs = info.bodies.len() as u32;
        let env = translate::Env {
            info,
            offsets: &offsets,
            call_conv: WASM_CALL_CONV,
            native_call_conv: self.isa.default_call_conv(),
            pshufb: self.isa.triple().architecture != target_lexicon::Architecture::X86_64
                || self.isa.has_x86_pshufb_lowering(),
            metering: &self.settings.metering,
            guard_regions: self.settings.guard_regions,
            interruptible: self.settings.interruptible,
        };
        // Translate and compile on every core; linking is serial.
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(16)
            .min(defs.div_ceil(8).max(1) as usize);
        let next = std::sync::atomic::AtomicU32::new(0);
        let done = std::sync::atomic::AtomicU32::new(0);
        let results: Vec<Result<Vec<Piece>, CompileError>> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    let (env, next, done) = (&env, &next, &done);
                    scope.spawn(move || {
                        let mut worker = Worker::default();
                        let mut out = Vec::new();
                        // Functions are handed out in small batches so a few huge ones do
                        // not leave the other threads idle.
                        loop {
                            let start = next.fetch_add(8, std::sync::atomic::Ordering::Relaxed);
                            if start >= defs {
                                return Ok(out);
                            }
                            let end = (start + 8).min(defs);
                            for def in start..end {
                                self.compile_one(env, wasm, def, &mut worker, &mut out)?;
                            }
                            let n =
                                done.fetch_add(end - start, std::sync::atomic::Ordering::Relaxed);
                            progress(n + end - start, defs);
                        }
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|w| {
                    w.join()
                        .unwrap_or_else(|_| Err(CompileError::host("a compiler thread panicked")))
                })
                .collect()
        });
        let mut pieces = Vec::with_capacity(2 * defs as usize);
        for r in results {
            pieces.extend(r?);
        }
        code::link(self.fingerprint(), defs, pieces, true)
    }
}

impl Compiler for CraneliftCompiler {
    fn fingerprint(&self) -> String {
        CraneliftCompiler::fingerprint(self)
    }

    fn compile_module(
        &self,
        info: &ModuleInfo,
        wasm: &[u8],
        progress: &(dyn Fn(u32, u32) + Sync),
    ) -> Result<CodeImage, CompileError> {
        self.compile_image(info, wasm, progress)
    }

    fn compile_exit_trampoline(
        &self,
        ty: &FuncType,
        target: usize,
    ) -> Result<CodeImage, CompileError> {
        self.exit_trampoline_image(ty, target)
    }

    fn compile_trap_function(
        &self,
        code: wedge_environ::TrapCode,
    ) -> Result<CodeImage, CompileError> {
        // No parameters and no results: it never returns, so the caller's arguments (in
        // registers or on the stack, which the trap unwinds) do not matter.
        let mut ctx = cranelift_codegen::Context::new();
        ctx.func.signature = ir::Signature::new(WASM_CALL_CONV);
        let mut fctx = FunctionBuilderContext::new();
        let mut b = FunctionBuilder::new(&mut ctx.func, &mut fctx);
        let entry = b.create_block();
        b.switch_to_block(entry);
        b.seal_block(entry);
        b.ins().trap(traps::clif_trap(code));
        b.finalize(self.isa.frontend_config());
        self.finish(&mut ctx, 0, 0)
            .and_then(|piece| code::link(self.fingerprint(), 1, vec![piece], false))
    }
}

/// A compiling thread's reusable Cranelift state.
struct Worker {
    ctx: cranelift_codegen::Context,
    fctx: FunctionBuilderContext,
}

impl Default for Worker {
    fn default() -> Self {
        Worker {
            ctx: cranelift_codegen::Context::new(),
            fctx: FunctionBuilderContext::new(),
        }
    }
}

impl CraneliftCompiler {
    /// Translates and compiles defined function `def` and its entry trampoline into `out`.
    fn compile_one(
        &self,
        env: &translate::Env<'_>,
        wasm: &[u8],
        def: u32,
        w: &mut Worker,
        out: &mut Vec<Piece>,
    ) -> Result<(), CompileError> {
        let info = env.info;
        let defs = info.bodies.len() as u32;
        let index = info.num_imported_funcs + def;
        let ty = info.func_type(index);
        w.ctx.func.signature = wasm_signature(ty, env.call_conv, Some(index))?;
        translate::translate_function(
            env,
            &mut w.ctx.func,
            &mut w.fctx,
            index,
            wasm,
            self.isa.frontend_config(),
        )?;
        out.push(self.finish(&mut w.ctx, def, index)?);
        build_trampoline(
            &mut w.ctx.func,
            &mut w.fctx,
            ty,
            def,
            env.native_call_conv,
            self.isa.frontend_config(),
        )?;
        out.push(self.finish(&mut w.ctx, defs + def, index)?);
        Ok(())
    }

    /// Compiles the function in `ctx` as `symbol`, and clears `ctx`.
    fn finish(
        &self,
        ctx: &mut cranelift_codegen::Context,
        symbol: SymbolId,
        index: u32,
    ) -> Result<Piece, CompileError> {
        ctx.compile(
            &*self.isa,
            &mut cranelift_codegen::control::ControlPlane::default(),
        )
        .map_err(|e| CompileError::codegen(Some(index), format!("{:?}", e.inner)))?;
        let piece = Piece::from_context(ctx, &*self.isa, symbol);
        ctx.clear();
        Ok(piece)
    }
}

/// Declares, inside `func`, a call target that is symbol `symbol` of the module's code (a
/// defined function by its defined index).
pub(crate) fn declare_local_func(
    func: &mut ir::Function,
    symbol: SymbolId,
    sig: ir::Signature,
) -> ir::FuncRef {
    let signature = func.import_signature(sig);
    let name = func.declare_imported_user_function(ir::UserExternalName {
        namespace: 0,
        index: symbol,
    });
    func.import_function(ir::ExtFuncData {
        name: ir::ExternalName::user(name),
        signature,
        colocated: true,
        patchable: false,
    })
}

/// The Cranelift type of a wasm value type (references are raw `i64` table elements).
pub(crate) fn clif_type(ty: ValType) -> Option<ir::Type> {
    Some(match ty {
        ValType::I32 => types::I32,
        ValType::I64 | ValType::FuncRef | ValType::ExternRef => types::I64,
        ValType::F32 => types::F32,
        ValType::F64 => types::F64,
        ValType::V128 => types::I8X16,
    })
}

/// The native signature of a compiled wasm function of type `ty`.
pub(crate) fn wasm_signature(
    ty: &FuncType,
    call_conv: CallConv,
    func_index: Option<u32>,
) -> Result<ir::Signature, CompileError> {
    let mut sig = ir::Signature::new(call_conv);
    // The callee's VM context, marked so that the prologue's stack check can find it.
    sig.params.push(ir::AbiParam::special(
        types::I64,
        ir::ArgumentPurpose::VMContext,
    ));
    sig.params.push(ir::AbiParam::new(types::I64));
    let conv = |t: ValType| {
        clif_type(t)
            .map(ir::AbiParam::new)
            .ok_or_else(|| CompileError::unsupported(func_index, 0, format!("{t} in a signature")))
    };
    for &p in ty.params() {
        sig.params.push(conv(p)?);
    }
    for &r in ty.results() {
        sig.returns.push(conv(r)?);
    }
    Ok(sig)
}

/// `extern "C" fn(callee_vmctx, caller_vmctx, args_results: *mut u128)` (`call_conv`, the
/// native convention): loads the params from 16-byte cells, calls the function (with
/// [`WASM_CALL_CONV`]) and stores its results into the same cells (value in the low bytes, the
/// rest of the cell zeroed).
fn build_trampoline(
    func: &mut ir::Function,
    fctx: &mut FunctionBuilderContext,
    ty: &FuncType,
    callee: SymbolId,
    call_conv: CallConv,
    frontend: cranelift_codegen::isa::TargetFrontendConfig,
) -> Result<(), CompileError> {
    let mut sig = ir::Signature::new(call_conv);
    for _ in 0..3 {
        sig.params.push(ir::AbiParam::new(types::I64));
    }
    func.signature = sig;
    let callee_ref = declare_local_func(func, callee, wasm_signature(ty, WASM_CALL_CONV, None)?);
    let mut b = FunctionBuilder::new(func, fctx);
    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    b.seal_block(entry);
    let p = b.block_params(entry).to_vec();
    let flags = MemFlagsData::trusted();
    let mut args = vec![p[0], p[1]];
    for (i, &t) in ty.params().iter().enumerate() {
        let t = clif_type(t).expect("checked by wasm_signature");
        args.push(b.ins().load(t, flags, p[2], (i * 16) as i32));
    }
    let call = b.ins().call(callee_ref, &args);
    let results = b.inst_results(call).to_vec();
    // Each result overwrites its whole cell: the value in the low bytes, zeros above.
    let zero64 = b.ins().iconst(types::I64, 0);
    let zero32 = b.ins().iconst(types::I32, 0);
    for (i, r) in results.into_iter().enumerate() {
        let at = (i * 16) as i32;
        b.ins().store(flags, r, p[2], at);
        let bytes = b.func.dfg.value_type(r).bytes();
        if bytes == 4 {
            b.ins().store(flags, zero32, p[2], at + 4);
        }
        if bytes < 16 {
            b.ins().store(flags, zero64, p[2], at + 8);
        }
    }
    b.ins().return_(&[]);
    b.finalize(frontend);
    Ok(())
}

#[cfg(test)]
mod settings_tests {
    use super::*;

    #[test]
    fn fingerprint_tells_settings_apart() {
        let host = CraneliftCompiler::new(OptLevel::Speed).unwrap();
        let none = CraneliftCompiler::new(OptLevel::None).unwrap();
        let generic = CraneliftCompiler::with_settings(CompilerSettings {
            generic: true,
            ..CompilerSettings::default()
        })
        .unwrap();
        let fps = [
            host.fingerprint(),
            none.fingerprint(),
            generic.fingerprint(),
        ];
        assert!(
            fps[0].contains(&host.isa.triple().to_string()),
            "{}",
            fps[0]
        );
        assert_ne!(fps[0], fps[1]);
        assert_ne!(fps[0], fps[2]);
        assert_eq!(
            fps[0],
            CraneliftCompiler::new(OptLevel::Speed)
                .unwrap()
                .fingerprint()
        );
        let guarded = CraneliftCompiler::with_settings(CompilerSettings {
            guard_regions: true,
            ..CompilerSettings::default()
        })
        .unwrap();
        assert_ne!(fps[0], guarded.fingerprint());
    }

    #[test]
    fn guard_regions_leave_out_bounds_checks_the_guard_covers() {
        // (func (param i32) (result i32) (i32.add (i32.load offset=16 (local.get 0))
        //                                          (i32.load offset=0xfffffff0 (local.get 0))))
        let wasm = wat_free_module();
        let info = ModuleInfo::parse(&wasm, wasmparser::WasmFeatures::WASM2).unwrap();
        let image = |guard_regions| {
            CraneliftCompiler::with_settings(CompilerSettings {
                guard_regions,
                ..CompilerSettings::default()
            })
            .unwrap()
            .compile_image(&info, &wasm, &|_, _| {})
            .unwrap()
        };
        let oob = wedge_environ::TrapCode::MemoryOutOfBounds as u8;
        let count = |img: &CodeImage| img.trap_sites().iter().filter(|t| t.1 == oob).count();
        let (checked, guarded) = (image(false), image(true));
        // Checked: two explicit checks (trap instructions), the loads cannot fault. Guarded:
        // the first load faults instead of being checked; the far one keeps its check.
        assert_eq!(count(&checked), 2 + 2, "{checked:?}");
        assert_eq!(count(&guarded), 1 + 2, "{guarded:?}");
    }

    /// The module of `guard_regions_leave_out_bounds_checks_the_guard_covers`, by hand.
    fn wat_free_module() -> Vec<u8> {
        let body = [
            0x00, // no locals
            0x20, 0x00, 0x28, 0x02, 0x10, // local.get 0; i32.load align=4 offset=16
            0x20, 0x00, 0x28, 0x02, 0xf0, 0xff, 0xff, 0xff, 0x0f, // offset=0xfffffff0
            0x6a, 0x0b, // i32.add; end
        ];
        let mut wasm = vec![0, b'a', b's', b'm', 1, 0, 0, 0];
        wasm.extend([1, 6, 1, 0x60, 1, 0x7f, 1, 0x7f]); // type (i32) -> i32
        wasm.extend([3, 2, 1, 0]); // func 0: type 0
        wasm.extend([5, 3, 1, 0, 1]); // memory 1
        wasm.extend([10, body.len() as u8 + 2, 1, body.len() as u8]);
        wasm.extend(body);
        wasm
    }
}
