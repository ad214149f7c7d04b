//! Exit trampolines: native code with the wasm calling convention ([`WASM_CALL_CONV`], so
//! compiled code may also tail-call them) for functions that are not compiled (host functions,
//! interpreted wasm), so compiled code can call any function through its `VMFuncRef`. One per
//! signature; the runtime points the `VMFuncRef::wasm_call` of every
//! such function of that signature at it, and its `vmctx` at the `VMFuncRef` itself.

use crate::code::{CompiledModule, Piece};
use crate::{CompileError, WASM_CALL_CONV, clif_type, wasm_signature};
use cranelift_codegen::ir::{self, InstBuilder, MemFlagsData, types};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use std::fmt;
use wedge_environ::CodeImage;
use wedge_environ::FuncType;

/// What an exit trampoline calls: `(callee_vmctx, caller_vmctx, args_results)`. The arguments
/// are in 16-byte cells (value in the low bytes, the rest zero); the target writes the results
/// into the same cells. A target that fails stores its error in `VMRuntimeLimits::trap_code`
/// (reached through the caller's VM context) and returns; the trampoline then traps with
/// [`Trap::Pending`](crate::Trap::Pending).
pub type ExitTarget = unsafe extern "C" fn(*mut u8, *mut u8, *mut u128);

/// The code of one exit trampoline; valid while this value lives.
pub struct ExitTrampoline {
    code: CompiledModule,
}

impl fmt::Debug for ExitTrampoline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExitTrampoline")
            .field("code", &self.code())
            .finish()
    }
}

impl ExitTrampoline {
    /// The trampoline's code, with the wasm calling convention (Cranelift's `tail`) of its
    /// signature.
    pub fn code(&self) -> *const u8 {
        self.code.function(0)
    }
}

impl crate::CraneliftCompiler {
    /// An exit trampoline for functions of type `ty` that calls `target`, loaded.
    pub fn exit_trampoline(
        &self,
        ty: &FuncType,
        target: ExitTarget,
    ) -> Result<ExitTrampoline, CompileError> {
        let image = self.exit_trampoline_image(ty, target as usize)?;
        Ok(ExitTrampoline {
            code: crate::code::load(&image)?,
        })
    }

    /// The image of an exit trampoline for functions of type `ty` that calls the
    /// [`ExitTarget`] at address `target` ([`Compiler::compile_exit_trampoline`](crate::Compiler::compile_exit_trampoline)).
    pub fn exit_trampoline_image(
        &self,
        ty: &FuncType,
        target: usize,
    ) -> Result<CodeImage, CompileError> {
        let sig = wasm_signature(ty, WASM_CALL_CONV, None)?;
        let mut ctx = cranelift_codegen::Context::new();
        ctx.func.signature = sig;
        let mut fctx = FunctionBuilderContext::new();
        {
            let mut b = FunctionBuilder::new(&mut ctx.func, &mut fctx);
            let cells = ty.params().len().max(ty.results().len()).max(1);
            let slot = b.create_sized_stack_slot(ir::StackSlotData::new(
                ir::StackSlotKind::ExplicitSlot,
                (cells * 16) as u32,
                4,
            ));
            let entry = b.create_block();
            b.append_block_params_for_function_params(entry);
            b.switch_to_block(entry);
            b.seal_block(entry);
            let p = b.block_params(entry).to_vec();
            let flags = MemFlagsData::trusted();
            let addr = b.ins().stack_addr(types::I64, slot, 0);
            let zero = b.ins().iconst(types::I64, 0);
            for i in 0..cells {
                b.ins().store(flags, zero, addr, (i * 16) as i32);
                b.ins().store(flags, zero, addr, (i * 16 + 8) as i32);
            }
            for (i, &v) in p[2..].iter().enumerate() {
                b.ins().store(flags, v, addr, (i * 16) as i32);
            }
            // The target is Rust: the native convention.
            let mut tsig = ir::Signature::new(self.isa.default_call_conv());
            for _ in 0..3 {
                tsig.params.push(ir::AbiParam::new(types::I64));
            }
            let tsig = b.import_signature(tsig);
            let callee = b.ins().iconst(types::I64, target as i64);
            b.ins().call_indirect(tsig, callee, &[p[0], p[1], addr]);
            let offsets = wedge_environ::VMOffsets::header(self.isa.pointer_bytes().into());
            let limits = b
                .ins()
                .load(types::I64, flags, p[1], offsets.limits() as i32);
            let failed = b
                .ins()
                .load(types::I32, flags, limits, offsets.limits_trap_code() as i32);
            b.ins().trapnz(failed, crate::traps::CLIF_PENDING);
            let mut results = Vec::new();
            for (i, &t) in ty.results().iter().enumerate() {
                let t = clif_type(t).expect("checked by wasm_signature");
                results.push(b.ins().load(t, flags, addr, (i * 16) as i32));
            }
            b.ins().return_(&results);
            b.finalize(self.isa.frontend_config());
        }
        ctx.compile(
            &*self.isa,
            &mut cranelift_codegen::control::ControlPlane::default(),
        )
        .map_err(|e| CompileError::codegen(None, format!("{:?}", e.inner)))?;
        let piece = Piece::from_context(&ctx, &*self.isa, 0);
        crate::code::link(self.fingerprint(), 1, vec![piece], false)
    }
}
