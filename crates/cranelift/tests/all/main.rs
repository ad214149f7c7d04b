//! Compiles small modules and runs them on a VM context built by hand from `VMOffsets`, the
//! way the runtime will.

#![allow(
    unsafe_code,
    reason = "the tests build VM contexts by hand and call compiled code"
)]
#![allow(
    clippy::vec_box,
    reason = "the VM context points into each box: the definitions must not move"
)]

use std::collections::HashMap;
use wedge_cranelift::{
    CompileErrorKind, CompiledModule, Compiler, CompilerSettings, CraneliftCompiler, ExitTarget,
    ExitTrampoline, Libcalls, OptLevel, Trap,
};
use wedge_environ::{
    ConstOp, DataMode, ElemMode, EntityIndex, FuncType, ModuleInfo, TrapCode, VMOffsets, ValType,
    wasmparser::WasmFeatures,
};

mod simd;
mod tail_call;

const PAGE: usize = 65536;

#[repr(C)]
struct MemDef {
    base: *mut u8,
    current_length: usize,
    /// Test-only: bytes reserved behind `base` (compiled code never reads this field).
    capacity: usize,
}

#[repr(C)]
struct TableDef {
    base: *mut u64,
    current_elements: u64,
}

#[repr(C, align(16))]
struct Global(u128);

#[repr(C)]
struct FuncRef {
    wasm_call: *const u8,
    vmctx: *mut u8,
    type_id: u32,
    func_id: u32,
}

#[repr(C)]
struct Limits {
    stack_limit: usize,
    trap_code: u32,
    _pad: u32,
    /// The store's interrupt flag (owned elsewhere, as the runtime's is).
    interrupt: *mut u32,
    /// The runtime functions compiled code calls.
    libcalls: *const Libcalls,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            stack_limit: 0,
            trap_code: 0,
            _pad: 0,
            interrupt: std::ptr::null_mut(),
            libcalls: std::ptr::null(),
        }
    }
}

/// A host function for imports, reached through an exit trampoline as the runtime's are.
struct HostFunc {
    target: ExitTarget,
    ty: FuncType,
}

/// An instance assembled by hand: everything the VM context points to is boxed and kept here.
struct Instance {
    compiled: CompiledModule,
    info: ModuleInfo,
    vmctx: Box<[u128]>,
    limits: Box<Limits>,
    /// What `limits.interrupt` points to.
    flag: Box<u32>,
    /// What `limits.libcalls` points to.
    _libcalls: Box<Libcalls>,
    _mem_bufs: Vec<Vec<u8>>,
    mems: Vec<Box<MemDef>>,
    _table_bufs: Vec<Vec<u64>>,
    _tables: Vec<Box<TableDef>>,
    _globals: Vec<Box<Global>>,
    funcrefs: Vec<Box<FuncRef>>,
    /// The exit trampolines of the imports.
    _exits: Vec<ExitTrampoline>,
}

fn type_id(ids: &mut HashMap<FuncType, u32>, ty: &FuncType) -> u32 {
    let n = ids.len() as u32;
    *ids.entry(ty.clone()).or_insert(n + 100)
}

fn sp_approx() -> usize {
    let x = 0u8;
    std::ptr::addr_of!(x) as usize
}

fn const_value(ops: &[ConstOp], funcs: &[*const FuncRef]) -> u128 {
    match ops {
        [ConstOp::I32Const(v)] => *v as u32 as u128,
        [ConstOp::I64Const(v)] => *v as u64 as u128,
        [ConstOp::F32Const(v)] => *v as u128,
        [ConstOp::F64Const(v)] => *v as u128,
        [ConstOp::V128Const(v)] => *v,
        [ConstOp::RefNull(_)] => 0,
        [ConstOp::RefFunc(f)] => funcs[*f as usize] as usize as u128,
        other => panic!("test harness: unsupported constant {other:?}"),
    }
}

fn instantiate(wat: &str, imports: &[HostFunc]) -> Instance {
    instantiate_with(wat, imports, &test_libcalls())
}

fn compile(wat: &str) -> Result<(ModuleInfo, Vec<u8>, CompiledModule), CompileErrorKind> {
    let wasm = wat::parse_str(wat).expect("valid wat");
    let info = ModuleInfo::parse(&wasm, WasmFeatures::all()).expect("valid module");
    let compiler = test_compiler();
    let compiled = compiler
        .compile(&info, &wasm)
        .map_err(|e| e.kind().clone())?;
    Ok((info, wasm, compiled))
}

/// The harness's compiler: interruptible (tests raise the interrupt flag), with memories
/// checked explicitly (the harness allocates them without guard regions).
fn test_compiler() -> CraneliftCompiler {
    CraneliftCompiler::with_settings(CompilerSettings {
        interruptible: true,
        ..CompilerSettings::default()
    })
    .expect("host supported")
}

fn instantiate_with(wat: &str, imports: &[HostFunc], libcalls: &Libcalls) -> Instance {
    let compiler = test_compiler();
    instantiate_compiled(wat, imports, libcalls, &compiler)
}

fn instantiate_compiled(
    wat: &str,
    imports: &[HostFunc],
    libcalls: &Libcalls,
    compiler: &CraneliftCompiler,
) -> Instance {
    let wasm = wat::parse_str(wat).expect("valid wat");
    let info = ModuleInfo::parse(&wasm, WasmFeatures::all()).expect("valid module");
    let compiled = compiler
        .compile(&info, &wasm)
        .unwrap_or_else(|e| panic!("compile: {e}"));
    let libcalls = Box::new(*libcalls);
    let offsets = VMOffsets::new(8, &info);
    let mut vmctx = vec![0u128; (offsets.size() as usize).div_ceil(16)].into_boxed_slice();
    let ctx = vmctx.as_mut_ptr().cast::<u8>();
    let mut flag = Box::new(0u32);
    let mut limits = Box::new(Limits {
        stack_limit: sp_approx() - 512 * 1024,
        interrupt: &mut *flag,
        libcalls: &*libcalls,
        ..Limits::default()
    });
    let mut ids = HashMap::new();
    // SAFETY: for every `put` below, the offset is one of VMOffsets' for this module, inside
    // the buffer of `offsets.size()` bytes, and 8-aligned (4 for type ids).
    let put = |off: u32, v: usize| unsafe { ctx.add(off as usize).cast::<usize>().write(v) };
    put(offsets.limits(), &mut *limits as *mut Limits as usize);

    let mut mem_bufs = Vec::new();
    let mut mems = Vec::new();
    for (i, m) in info.memories.iter().enumerate() {
        let cap = (m.limits.max.unwrap_or(4).min(16) as usize).max(m.limits.min as usize) * PAGE;
        let mut buf = vec![0u8; cap];
        let mut def = Box::new(MemDef {
            base: buf.as_mut_ptr(),
            current_length: m.limits.min as usize * PAGE,
            capacity: cap,
        });
        put(offsets.memory(i as u32), &mut *def as *mut MemDef as usize);
        put(offsets.memory_base_of(i as u32), def.base as usize);
        mem_bufs.push(buf);
        mems.push(def);
    }

    let mut funcrefs = Vec::new();
    let mut exits = Vec::new();
    let mut imported = imports.iter();
    for i in 0..info.funcs.len() as u32 {
        let ty = info.func_type(i).clone();
        let (code, fvmctx) = if i < info.num_imported_funcs {
            let h = imported.next().expect("an import per imported function");
            assert_eq!(h.ty, ty, "import {i} type");
            let exit = compiler
                .exit_trampoline(&ty, h.target)
                .unwrap_or_else(|e| panic!("exit trampoline: {e}"));
            let code = exit.code();
            exits.push(exit);
            (code, ctx)
        } else {
            (compiled.function(i - info.num_imported_funcs), ctx)
        };
        let f = Box::new(FuncRef {
            wasm_call: code,
            vmctx: fvmctx,
            type_id: type_id(&mut ids, &ty),
            func_id: i,
        });
        put(offsets.func(i), &*f as *const FuncRef as usize);
        funcrefs.push(f);
    }
    let func_ptrs: Vec<*const FuncRef> = funcrefs.iter().map(|f| &**f as *const FuncRef).collect();
    for (i, ty) in info.types.iter().enumerate() {
        let id = type_id(&mut ids, ty);
        // SAFETY: as for `put`, 4-byte slot.
        unsafe {
            ctx.add(offsets.type_id(i as u32) as usize)
                .cast::<u32>()
                .write(id)
        };
    }

    let mut globals = Vec::new();
    for (i, init) in info.global_inits.iter().enumerate() {
        let mut g = Box::new(Global(const_value(&init.ops, &func_ptrs)));
        put(offsets.global(i as u32), &mut *g as *mut Global as usize);
        globals.push(g);
    }

    let mut table_bufs = Vec::new();
    let mut tables = Vec::new();
    for (i, t) in info.tables.iter().enumerate() {
        let mut buf = vec![0u64; t.limits.min as usize];
        let mut def = Box::new(TableDef {
            base: buf.as_mut_ptr(),
            current_elements: t.limits.min,
        });
        put(offsets.table(i as u32), &mut *def as *mut TableDef as usize);
        table_bufs.push(buf);
        tables.push(def);
    }
    for e in &info.elems {
        if let ElemMode::Active { table, offset } = &e.mode {
            let at = const_value(&offset.ops, &func_ptrs) as usize;
            for (j, item) in e.items.iter().enumerate() {
                table_bufs[*table as usize][at + j] = const_value(&item.ops, &func_ptrs) as u64;
            }
        }
    }
    for d in &info.datas {
        if let DataMode::Active { memory, offset } = &d.mode {
            let at = const_value(&offset.ops, &func_ptrs) as usize;
            mem_bufs[*memory as usize][at..at + d.data.len()].copy_from_slice(&d.data);
        }
    }

    Instance {
        compiled,
        info,
        vmctx,
        limits,
        flag,
        _libcalls: libcalls,
        _mem_bufs: mem_bufs,
        mems,
        _table_bufs: table_bufs,
        _tables: tables,
        _globals: globals,
        funcrefs,
        _exits: exits,
    }
}

/// The trap a libcall or host function stored in `trap_code` (its number plus one).
fn trap_from_code(code: u32) -> TrapCode {
    TrapCode::from_index(code - 1).expect("a trap code")
}

impl Instance {
    fn ctx(&mut self) -> *mut u8 {
        self.vmctx.as_mut_ptr().cast()
    }

    /// Calls export `name` with raw 16-byte cells; the results, or the trap.
    fn call_raw(&mut self, name: &str, args: &[u128]) -> Result<Vec<u128>, TrapCode> {
        let Some(&EntityIndex::Func(index)) = self.info.export_map.get(name) else {
            panic!("no exported function {name}")
        };
        let ty = self.info.func_type(index).clone();
        assert_eq!(args.len(), ty.params().len(), "argument count of {name}");
        let mut cells = vec![0u128; ty.params().len().max(ty.results().len()).max(1)];
        cells[..args.len()].copy_from_slice(args);
        let tramp = self
            .compiled
            .trampoline(index - self.info.num_imported_funcs);
        self.limits.trap_code = 0;
        let ctx = self.ctx();
        // SAFETY: a host entry trampoline of `self.compiled` (loaded while `self` lives); the
        // VM context is fully built and everything it points to lives in `self`; `cells`
        // holds every param and result.
        let r = unsafe { wedge_cranelift::call_trampoline(tramp, ctx, ctx, cells.as_mut_ptr()) };
        match r {
            Ok(()) => {}
            Err(Trap::Code(code)) => return Err(code),
            Err(Trap::Pending) => return Err(trap_from_code(self.limits.trap_code)),
        }
        cells.truncate(ty.results().len());
        Ok(cells)
    }

    fn call_i32(&mut self, name: &str, args: &[i32]) -> Result<i32, TrapCode> {
        let args: Vec<u128> = args.iter().map(|&a| a as u32 as u128).collect();
        self.call_raw(name, &args).map(|r| r[0] as u32 as i32)
    }

    fn call_i64(&mut self, name: &str, args: &[i64]) -> Result<i64, TrapCode> {
        let args: Vec<u128> = args.iter().map(|&a| a as u64 as u128).collect();
        self.call_raw(name, &args).map(|r| r[0] as u64 as i64)
    }

    fn call_f64(&mut self, name: &str, args: &[f64]) -> Result<f64, TrapCode> {
        let args: Vec<u128> = args.iter().map(|&a| a.to_bits() as u128).collect();
        self.call_raw(name, &args)
            .map(|r| f64::from_bits(r[0] as u64))
    }

    fn call_f32(&mut self, name: &str, args: &[f32]) -> Result<f32, TrapCode> {
        let args: Vec<u128> = args.iter().map(|&a| a.to_bits() as u128).collect();
        self.call_raw(name, &args)
            .map(|r| f32::from_bits(r[0] as u32))
    }

    fn memory(&self) -> &[u8] {
        let m = &self.mems[0];
        // SAFETY: the definition describes a live buffer owned by `self`.
        unsafe { std::slice::from_raw_parts(m.base, m.current_length) }
    }
}

// ---- test libcalls --------------------------------------------------------------------------

/// Test libcalls know the fixed start of the memory array (8 + 2 * 8) and of the limits pointer.
const MEMORIES_BEGIN: usize = 24;
const LIMITS: usize = 16;

/// # Safety
/// `vmctx` is a context built by `instantiate_with` for a module with at least `mem + 1`
/// memories.
unsafe fn mem_def<'a>(vmctx: *mut u8, mem: u32) -> &'a mut MemDef {
    // SAFETY: by the contract above the slot holds a pointer to a live boxed MemDef.
    unsafe {
        &mut **vmctx
            .add(MEMORIES_BEGIN + 8 * mem as usize)
            .cast::<*mut MemDef>()
    }
}

/// # Safety
/// `vmctx` is a context built by `instantiate_with`.
unsafe fn set_trap(vmctx: *mut u8, code: TrapCode) {
    // SAFETY: the limits slot holds a pointer to the instance's live boxed Limits.
    unsafe { (**vmctx.add(LIMITS).cast::<*mut Limits>()).trap_code = code as u32 + 1 }
}

unsafe extern "C" fn test_memory_grow(vmctx: *mut u8, mem: u32, delta: u64) -> i64 {
    // SAFETY: compiled code passes its own context and a valid memory index.
    let m = unsafe { mem_def(vmctx, mem) };
    let old = m.current_length / PAGE;
    let new = old as u64 + delta;
    if new * PAGE as u64 > m.capacity as u64 {
        return -1;
    }
    m.current_length = new as usize * PAGE;
    old as i64
}

unsafe extern "C" fn test_memory_fill(vmctx: *mut u8, mem: u32, dst: u64, val: u32, len: u64) {
    // SAFETY: as in `test_memory_grow`.
    let m = unsafe { mem_def(vmctx, mem) };
    if dst + len > m.current_length as u64 {
        // SAFETY: as above.
        unsafe { set_trap(vmctx, TrapCode::MemoryOutOfBounds) };
        return;
    }
    // SAFETY: the range was checked against the accessible length.
    unsafe { std::ptr::write_bytes(m.base.add(dst as usize), val as u8, len as usize) };
}

unsafe extern "C" fn test_memory_copy(
    vmctx: *mut u8,
    dst_mem: u32,
    src_mem: u32,
    dst: u64,
    src: u64,
    len: u64,
) {
    // SAFETY: as in `test_memory_grow`.
    let (d, s) = unsafe { (mem_def(vmctx, dst_mem), mem_def(vmctx, src_mem)) };
    if dst + len > d.current_length as u64 || src + len > s.current_length as u64 {
        // SAFETY: as above.
        unsafe { set_trap(vmctx, TrapCode::MemoryOutOfBounds) };
        return;
    }
    // SAFETY: both ranges were checked; `copy` allows overlap.
    unsafe {
        std::ptr::copy(
            s.base.add(src as usize),
            d.base.add(dst as usize),
            len as usize,
        )
    };
}

/// The test tables never grow in place: report the size and the arguments instead.
unsafe extern "C" fn test_table_grow(_vmctx: *mut u8, table: u32, init: u64, delta: u64) -> i64 {
    (table as i64) * 1_000_000 + (init as i64) * 1000 + delta as i64
}

fn test_libcalls() -> Libcalls {
    Libcalls {
        memory_grow: test_memory_grow,
        memory_fill: test_memory_fill,
        memory_copy: test_memory_copy,
        table_grow: test_table_grow,
        ..Libcalls::unavailable()
    }
}

// ---- the tests ------------------------------------------------------------------------------

#[test]
fn integer_arithmetic_matches_wasm_semantics() {
    let mut i = instantiate(
        r#"(module
            (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
            (func (export "sub64") (param i64 i64) (result i64) (i64.sub (local.get 0) (local.get 1)))
            (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
            (func (export "div_u") (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
            (func (export "rem_s") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
            (func (export "rem_s64") (param i64 i64) (result i64) (i64.rem_s (local.get 0) (local.get 1)))
            (func (export "div_s64") (param i64 i64) (result i64) (i64.div_s (local.get 0) (local.get 1)))
            (func (export "shl") (param i32 i32) (result i32) (i32.shl (local.get 0) (local.get 1)))
            (func (export "shr_s") (param i32 i32) (result i32) (i32.shr_s (local.get 0) (local.get 1)))
            (func (export "rotl") (param i32 i32) (result i32) (i32.rotl (local.get 0) (local.get 1)))
            (func (export "clz") (param i32) (result i32) (i32.clz (local.get 0)))
            (func (export "ctz64") (param i64) (result i64) (i64.ctz (local.get 0)))
            (func (export "popcnt") (param i32) (result i32) (i32.popcnt (local.get 0)))
            (func (export "lt_u") (param i32 i32) (result i32) (i32.lt_u (local.get 0) (local.get 1)))
            (func (export "eqz64") (param i64) (result i32) (i64.eqz (local.get 0)))
            (func (export "ext8") (param i32) (result i32) (i32.extend8_s (local.get 0)))
            (func (export "ext32") (param i64) (result i64) (i64.extend32_s (local.get 0)))
            (func (export "wrap") (param i64) (result i32) (i32.wrap_i64 (local.get 0)))
            (func (export "extend_u") (param i32) (result i64) (i64.extend_i32_u (local.get 0)))
            (func (export "select") (param i32 i32 i32) (result i32)
                (select (local.get 0) (local.get 1) (local.get 2)))
        )"#,
        &[],
    );
    assert_eq!(i.call_i32("add", &[i32::MAX, 1]), Ok(i32::MIN));
    assert_eq!(i.call_i64("sub64", &[0, 1]), Ok(-1));
    assert_eq!(i.call_i32("div_s", &[-7, 2]), Ok(-3));
    assert_eq!(i.call_i32("div_u", &[-1, 2]), Ok(i32::MAX));
    assert_eq!(i.call_i32("rem_s", &[-7, 2]), Ok(-1));
    assert_eq!(i.call_i32("rem_s", &[i32::MIN, -1]), Ok(0));
    assert_eq!(i.call_i64("rem_s64", &[i64::MIN, -1]), Ok(0));
    assert_eq!(i.call_i32("shl", &[1, 33]), Ok(2));
    assert_eq!(i.call_i32("shr_s", &[-8, 1]), Ok(-4));
    assert_eq!(i.call_i32("rotl", &[0x8000_0001u32 as i32, 1]), Ok(3));
    assert_eq!(i.call_i32("clz", &[1]), Ok(31));
    assert_eq!(i.call_i32("clz", &[0]), Ok(32));
    assert_eq!(i.call_i64("ctz64", &[0]), Ok(64));
    assert_eq!(i.call_i32("popcnt", &[-1]), Ok(32));
    assert_eq!(i.call_i32("lt_u", &[-1, 1]), Ok(0));
    assert_eq!(i.call_i64("eqz64", &[0]).map(|v| v as i32), Ok(1));
    assert_eq!(i.call_i32("ext8", &[0x80]), Ok(-128));
    assert_eq!(i.call_i64("ext32", &[0xFFFF_FFFF]), Ok(-1));
    assert_eq!(
        i.call_i64("wrap", &[0x1_0000_0005]).map(|v| v as i32),
        Ok(5)
    );
    assert_eq!(
        i.call_i32("extend_u", &[-1]).map(|v| v as u32),
        Ok(u32::MAX)
    );
    assert_eq!(i.call_i32("select", &[10, 20, 0]), Ok(20));
    assert_eq!(i.call_i32("select", &[10, 20, 7]), Ok(10));
}

#[test]
fn division_by_zero_and_overflow_trap_with_their_codes() {
    let mut i = instantiate(
        r#"(module
            (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
            (func (export "rem_u") (param i32 i32) (result i32) (i32.rem_u (local.get 0) (local.get 1)))
            (func (export "div_s64") (param i64 i64) (result i64) (i64.div_s (local.get 0) (local.get 1)))
        )"#,
        &[],
    );
    assert_eq!(
        i.call_i32("div_s", &[1, 0]),
        Err(TrapCode::IntegerDivideByZero)
    );
    assert_eq!(
        i.call_i32("rem_u", &[1, 0]),
        Err(TrapCode::IntegerDivideByZero)
    );
    assert_eq!(
        i.call_i32("div_s", &[i32::MIN, -1]),
        Err(TrapCode::IntegerOverflow)
    );
    assert_eq!(
        i.call_i64("div_s64", &[i64::MIN, -1]),
        Err(TrapCode::IntegerOverflow)
    );
    // The instance is usable after a trap.
    assert_eq!(i.call_i32("div_s", &[9, 3]), Ok(3));
}

/// A compiler for the architecture's baseline CPU (on x86-64: no SSE4.1, so float rounding
/// calls helpers).
fn generic_compiler() -> CraneliftCompiler {
    CraneliftCompiler::with_settings(CompilerSettings {
        generic: true,
        ..CompilerSettings::default()
    })
    .expect("host supported")
}

#[test]
fn rounding_on_the_baseline_cpu_turns_signalling_nans_quiet() {
    let mut i = instantiate_compiled(
        r#"(module
            (func (export "ceil") (param f32) (result f32) (f32.ceil (local.get 0)))
            (func (export "floor") (param f32) (result f32) (f32.floor (local.get 0)))
            (func (export "trunc64") (param f64) (result f64) (f64.trunc (local.get 0)))
            (func (export "nearest64") (param f64) (result f64) (f64.nearest (local.get 0)))
        )"#,
        &[],
        &test_libcalls(),
        &generic_compiler(),
    );
    let snan32 = f32::from_bits(0xff80_0001);
    let snan64 = f64::from_bits(0x7ff0_0000_0000_0001);
    for f in ["ceil", "floor"] {
        assert_eq!(
            i.call_f32(f, &[snan32]).map(f32::to_bits),
            Ok(0xffc0_0001),
            "{f}"
        );
    }
    for f in ["trunc64", "nearest64"] {
        assert_eq!(
            i.call_f64(f, &[snan64]).map(f64::to_bits),
            Ok(0x7ff8_0000_0000_0001),
            "{f}"
        );
    }
    assert_eq!(
        i.call_f32("ceil", &[-0.5]).map(f32::to_bits),
        Ok((-0.0f32).to_bits())
    );
    assert_eq!(i.call_f64("nearest64", &[2.5]), Ok(2.0));
}

#[test]
fn float_operators_follow_wasm_rules() {
    let mut i = instantiate(
        r#"(module
            (func (export "min") (param f64 f64) (result f64) (f64.min (local.get 0) (local.get 1)))
            (func (export "max32") (param f32 f32) (result f32) (f32.max (local.get 0) (local.get 1)))
            (func (export "nearest") (param f64) (result f64) (f64.nearest (local.get 0)))
            (func (export "trunc") (param f32) (result f32) (f32.trunc (local.get 0)))
            (func (export "copysign") (param f64 f64) (result f64) (f64.copysign (local.get 0) (local.get 1)))
            (func (export "sqrt") (param f64) (result f64) (f64.sqrt (local.get 0)))
            (func (export "lt") (param f64 f64) (result i32) (f64.lt (local.get 0) (local.get 1)))
            (func (export "ne") (param f64 f64) (result i32) (f64.ne (local.get 0) (local.get 1)))
            (func (export "demote") (param f64) (result f32) (f32.demote_f64 (local.get 0)))
            (func (export "conv_u") (param i64) (result f64) (f64.convert_i64_u (local.get 0)))
            (func (export "reinterpret") (param f64) (result i64) (i64.reinterpret_f64 (local.get 0)))
        )"#,
        &[],
    );
    assert_eq!(
        i.call_f64("min", &[0.0, -0.0]).map(|v| v.to_bits()),
        Ok((-0.0f64).to_bits())
    );
    assert!(i.call_f64("min", &[f64::NAN, 1.0]).unwrap().is_nan());
    assert!(i.call_f32("max32", &[1.0, f32::NAN]).unwrap().is_nan());
    assert_eq!(
        i.call_f32("max32", &[-0.0, 0.0]).map(|v| v.to_bits()),
        Ok(0.0f32.to_bits())
    );
    assert_eq!(i.call_f64("nearest", &[2.5]), Ok(2.0));
    assert_eq!(i.call_f64("nearest", &[-3.5]), Ok(-4.0));
    assert_eq!(i.call_f32("trunc", &[-1.7]), Ok(-1.0));
    assert_eq!(i.call_f64("copysign", &[3.0, -0.0]), Ok(-3.0));
    assert_eq!(i.call_f64("sqrt", &[16.0]), Ok(4.0));
    assert_eq!(
        i.call_raw("lt", &[f64::NAN.to_bits() as u128, 1f64.to_bits() as u128]),
        Ok(vec![0])
    );
    assert_eq!(
        i.call_raw(
            "ne",
            &[f64::NAN.to_bits() as u128, f64::NAN.to_bits() as u128]
        ),
        Ok(vec![1])
    );
    assert_eq!(i.call_f64("demote", &[1.5]).map(|_| ()), Ok(()));
    assert_eq!(
        i.call_raw("conv_u", &[u64::MAX as u128])
            .map(|r| f64::from_bits(r[0] as u64)),
        Ok(18446744073709551616.0)
    );
    assert_eq!(
        i.call_raw("reinterpret", &[1.0f64.to_bits() as u128]),
        Ok(vec![1.0f64.to_bits() as u128])
    );
}

#[test]
fn float_to_int_conversions_trap_on_nan_and_out_of_range() {
    let mut i = instantiate(
        r#"(module
            (func (export "i32_f64_s") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
            (func (export "i32_f32_u") (param f32) (result i32) (i32.trunc_f32_u (local.get 0)))
            (func (export "i64_f64_s") (param f64) (result i64) (i64.trunc_f64_s (local.get 0)))
            (func (export "i64_f32_u") (param f32) (result i64) (i64.trunc_f32_u (local.get 0)))
            (func (export "sat") (param f64) (result i32) (i32.trunc_sat_f64_s (local.get 0)))
        )"#,
        &[],
    );
    let f64s = |v: f64| vec![v.to_bits() as u128];
    let f32s = |v: f32| vec![v.to_bits() as u128];
    let i32r = |r: Result<Vec<u128>, TrapCode>| r.map(|r| r[0] as u32 as i32);
    assert_eq!(
        i32r(i.call_raw("i32_f64_s", &f64s(-2147483648.9))),
        Ok(i32::MIN)
    );
    assert_eq!(
        i32r(i.call_raw("i32_f64_s", &f64s(2147483647.9))),
        Ok(i32::MAX)
    );
    assert_eq!(
        i32r(i.call_raw("i32_f64_s", &f64s(2147483648.0))),
        Err(TrapCode::IntegerOverflow)
    );
    assert_eq!(
        i32r(i.call_raw("i32_f64_s", &f64s(-2147483649.0))),
        Err(TrapCode::IntegerOverflow)
    );
    assert_eq!(
        i32r(i.call_raw("i32_f64_s", &f64s(f64::NAN))),
        Err(TrapCode::InvalidConversionToInteger)
    );
    assert_eq!(i32r(i.call_raw("i32_f32_u", &f32s(-0.9))), Ok(0));
    assert_eq!(i32r(i.call_raw("i32_f32_u", &f32s(4294967040.0))), Ok(-256));
    assert_eq!(
        i32r(i.call_raw("i32_f32_u", &f32s(4294967296.0))),
        Err(TrapCode::IntegerOverflow)
    );
    assert_eq!(
        i32r(i.call_raw("i32_f32_u", &f32s(-1.0))),
        Err(TrapCode::IntegerOverflow)
    );
    assert_eq!(
        i.call_raw("i64_f64_s", &f64s(-9223372036854775808.0)),
        Ok(vec![i64::MIN as u64 as u128])
    );
    assert_eq!(
        i.call_raw("i64_f64_s", &f64s(9223372036854775808.0)),
        Err(TrapCode::IntegerOverflow)
    );
    assert_eq!(
        i.call_raw("i64_f32_u", &f32s(18446742974197923840.0)),
        Ok(vec![18446742974197923840u64 as u128])
    );
    assert_eq!(
        i.call_raw("i64_f32_u", &f32s(18446744073709551616.0)),
        Err(TrapCode::IntegerOverflow)
    );
    assert_eq!(i32r(i.call_raw("sat", &f64s(1e300))), Ok(i32::MAX));
    assert_eq!(i32r(i.call_raw("sat", &f64s(f64::NAN))), Ok(0));
}

#[test]
fn recursive_fib_and_loops_compute() {
    let mut i = instantiate(
        r#"(module
            (func $fib (export "fib") (param i32) (result i32)
                (if (result i32) (i32.lt_s (local.get 0) (i32.const 2))
                    (then (local.get 0))
                    (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                                   (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
            (func (export "sum") (param i32) (result i64) (local i64)
                (block $done
                    (loop $top
                        (br_if $done (i32.eqz (local.get 0)))
                        (local.set 1 (i64.add (local.get 1) (i64.extend_i32_u (local.get 0))))
                        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
                        (br $top)))
                (local.get 1))
            (func (export "fact") (param i64) (result i64) (local i64)
                (local.set 1 (i64.const 1))
                (loop $l
                    (local.set 1 (i64.mul (local.get 1) (local.get 0)))
                    (br_if $l (i64.gt_u (local.tee 0 (i64.sub (local.get 0) (i64.const 1))) (i64.const 1))))
                (local.get 1))
        )"#,
        &[],
    );
    assert_eq!(i.call_i32("fib", &[20]), Ok(6765));
    assert_eq!(i.call_i32("sum", &[100_000]).map(|_| ()), Ok(()));
    assert_eq!(i.call_raw("sum", &[100_000]), Ok(vec![5_000_050_000u128]));
    assert_eq!(i.call_i64("fact", &[20]), Ok(2_432_902_008_176_640_000));
}

#[test]
fn multi_value_blocks_br_table_and_many_results() {
    let mut i = instantiate(
        r#"(module
            (type $pair (func (param i32 i32) (result i32 i32)))
            (func (export "swap") (param i32 i32) (result i32 i32)
                (local.get 0) (local.get 1)
                (block (type $pair) (local.set 0) (local.set 1) (local.get 0) (local.get 1)))
            (func (export "loop_params") (param i32) (result i32)
                (i32.const 0) (local.get 0)
                (loop (param i32 i32) (result i32)
                    ;; acc n -> acc+n n-1, until n == 0
                    (local.set 0)
                    (i32.add (local.get 0))
                    (if (param i32) (result i32) (i32.eqz (local.get 0))
                        (then)
                        (else (i32.sub (local.get 0) (i32.const 1)) (br 1)))))
            (func (export "classify") (param i32) (result i32)
                (block $b2 (result i32)
                    (block $b1 (result i32)
                        (block $b0 (result i32)
                            (i32.const 100)
                            (br_table $b0 $b1 $b2 (local.get 0)))
                        (i32.add (i32.const 1))
                        (return))
                    (i32.add (i32.const 2))
                    (return))
                (i32.add (i32.const 3)))
            (func (export "many") (param i64) (result i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
                (local.get 0) (i64.const 1) (i64.const 2) (i64.const 3) (i64.const 4)
                (i64.const 5) (i64.const 6) (i64.const 7) (i64.const 8) (i64.const 9))
            (func $many_f (param f64) (result f64 f64 i32 f64 f64 f64 f64 f64 f64)
                (local.get 0) (f64.const 1) (i32.const 2) (f64.const 3) (f64.const 4)
                (f64.const 5) (f64.const 6) (f64.const 7) (f64.const 8))
            (func (export "sum_many") (param f64) (result f64) (local f64)
                (call $many_f (local.get 0))
                (f64.add) (f64.add) (f64.add) (f64.add) (f64.add)
                (local.set 1) (drop) (f64.add) (local.get 1) (f64.add))
            (func (export "if_no_else") (param i32 i32) (result i32)
                (local.get 1)
                (if (param i32) (result i32) (local.get 0) (then (i32.const 10) (i32.add))))
        )"#,
        &[],
    );
    assert_eq!(i.call_raw("swap", &[1, 2]), Ok(vec![2, 1]));
    assert_eq!(i.call_i32("loop_params", &[10]), Ok(55));
    assert_eq!(i.call_i32("classify", &[0]), Ok(101));
    assert_eq!(i.call_i32("classify", &[1]), Ok(102));
    assert_eq!(i.call_i32("classify", &[2]), Ok(103));
    assert_eq!(i.call_i32("classify", &[77]), Ok(103));
    assert_eq!(
        i.call_raw("many", &[42]),
        Ok(vec![42, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    );
    // 100 + 1 + 3 + 4 + 5 + 6 + 7 + 8 (the i32 is dropped).
    assert_eq!(i.call_f64("sum_many", &[100.0]), Ok(134.0));
    assert_eq!(i.call_i32("if_no_else", &[1, 5]), Ok(15));
    assert_eq!(i.call_i32("if_no_else", &[0, 5]), Ok(5));
}

#[test]
fn memory_accesses_of_every_width_and_bounds_traps() {
    let mut i = instantiate(
        r#"(module
            (memory 1 4)
            (data (i32.const 16) "\01\02\03\04\05\06\07\08\ff")
            (func (export "load8_s") (param i32) (result i32) (i32.load8_s (local.get 0)))
            (func (export "load8_u") (param i32) (result i32) (i32.load8_u (local.get 0)))
            (func (export "load16_u") (param i32) (result i32) (i32.load16_u offset=1 (local.get 0)))
            (func (export "load32") (param i32) (result i32) (i32.load (local.get 0)))
            (func (export "load64") (param i32) (result i64) (i64.load (local.get 0)))
            (func (export "load32_s64") (param i32) (result i64) (i64.load32_s (local.get 0)))
            (func (export "store64") (param i32 i64) (i64.store (local.get 0) (local.get 1)))
            (func (export "store16") (param i32 i32) (i32.store16 (local.get 0) (local.get 1)))
            (func (export "storef") (param i32 f32) (f32.store offset=4 (local.get 0) (local.get 1)))
            (func (export "loadf") (param i32) (result f32) (f32.load offset=4 (local.get 0)))
            (func (export "load_big_offset") (param i32) (result i32)
                (i32.load offset=0xffffffff (local.get 0)))
            (func (export "size") (result i32) (memory.size))
            (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
            (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
        )"#,
        &[],
    );
    assert_eq!(i.call_i32("load8_s", &[24]), Ok(-1));
    assert_eq!(i.call_i32("load8_u", &[24]), Ok(255));
    assert_eq!(i.call_i32("load16_u", &[16]), Ok(0x0302));
    assert_eq!(i.call_i32("load32", &[16]), Ok(0x04030201));
    assert_eq!(i.call_i64("load64", &[16]), Ok(0x0807060504030201));
    assert_eq!(
        i.call_i64("load32_s64", &[21]),
        Ok(0xff080706u32 as i32 as i64)
    );
    assert_eq!(
        i.call_raw("store64", &[100, 0x1122334455667788]),
        Ok(vec![])
    );
    assert_eq!(&i.memory()[100..108], &0x1122334455667788u64.to_le_bytes());
    assert_eq!(i.call_raw("store16", &[200, 0xABCDEF]), Ok(vec![]));
    assert_eq!(&i.memory()[200..203], &[0xEF, 0xCD, 0]);
    assert_eq!(
        i.call_raw("storef", &[300, 1.5f32.to_bits() as u128]),
        Ok(vec![])
    );
    assert_eq!(
        i.call_raw("loadf", &[300])
            .map(|r| f32::from_bits(r[0] as u32)),
        Ok(1.5)
    );
    // The last 4 bytes are readable, one byte further is not.
    assert_eq!(i.call_i32("load32", &[65532]), Ok(0));
    assert_eq!(
        i.call_i32("load32", &[65533]),
        Err(TrapCode::MemoryOutOfBounds)
    );
    assert_eq!(
        i.call_raw("load64", &[0xFFFF_FFFF]),
        Err(TrapCode::MemoryOutOfBounds)
    );
    assert_eq!(
        i.call_i32("load_big_offset", &[1]),
        Err(TrapCode::MemoryOutOfBounds)
    );
    assert_eq!(i.call_i32("size", &[]), Ok(1));
    assert_eq!(i.call_i32("grow", &[2]), Ok(1));
    assert_eq!(i.call_i32("size", &[]), Ok(3));
    assert_eq!(i.call_i32("load32", &[65533]), Ok(0));
    assert_eq!(i.call_i32("grow", &[2]), Ok(-1));
    assert_eq!(i.call_raw("fill", &[1000, 0x7f, 3]), Ok(vec![]));
    assert_eq!(&i.memory()[999..1004], &[0, 0x7f, 0x7f, 0x7f, 0]);
    assert_eq!(
        i.call_raw("fill", &[3 * 65536 - 2, 1, 3]),
        Err(TrapCode::MemoryOutOfBounds)
    );
}

#[test]
fn call_indirect_checks_bounds_null_and_signature() {
    let mut i = instantiate(
        r#"(module
            (type $ii (func (param i32) (result i32)))
            (type $v (func (result i32)))
            (table 4 funcref)
            (elem (i32.const 0) $double $seven $square)
            (func $double (type $ii) (i32.mul (local.get 0) (i32.const 2)))
            (func $seven (type $v) (i32.const 7))
            (func $square (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
            (func (export "call") (param i32 i32) (result i32)
                (call_indirect (type $ii) (local.get 1) (local.get 0)))
            (func (export "call_v") (param i32) (result i32)
                (call_indirect (type $v) (local.get 0)))
        )"#,
        &[],
    );
    assert_eq!(i.call_i32("call", &[0, 21]), Ok(42));
    assert_eq!(i.call_i32("call", &[2, 9]), Ok(81));
    assert_eq!(i.call_i32("call_v", &[1]), Ok(7));
    assert_eq!(
        i.call_i32("call", &[1, 0]),
        Err(TrapCode::IndirectCallTypeMismatch)
    );
    assert_eq!(
        i.call_i32("call", &[3, 0]),
        Err(TrapCode::UninitializedElement)
    );
    assert_eq!(i.call_i32("call", &[4, 0]), Err(TrapCode::UndefinedElement));
    assert_eq!(
        i.call_i32("call", &[-1, 0]),
        Err(TrapCode::UndefinedElement)
    );
}

#[test]
fn infinite_recursion_traps_with_stack_exhausted() {
    let mut i = instantiate(
        r#"(module
            (func $f (export "f") (param i64) (result i64)
                (i64.add (call $f (i64.add (local.get 0) (i64.const 1))) (i64.const 1)))
            (func $g (export "g") (param i32) (result i32)
                (call $g (local.get 0)))
        )"#,
        &[],
    );
    assert_eq!(i.call_i64("f", &[0]), Err(TrapCode::CallStackExhausted));
    assert_eq!(i.call_i32("g", &[0]), Err(TrapCode::CallStackExhausted));
}

/// The `i32` argument of an `(i32) -> i32` host function, from its cells.
///
/// # Safety
///
/// `cells` is the cell array an exit trampoline passes.
unsafe fn arg_i32(cells: *mut u128) -> i32 {
    // SAFETY: the exit trampoline passes at least one cell, holding the argument.
    unsafe { *cells as u32 as i32 }
}

/// Sets the result of an `(i32) -> i32` host function.
///
/// # Safety
///
/// As [`arg_i32`].
unsafe fn set_result_i32(cells: *mut u128, r: i32) {
    // SAFETY: the first cell holds the result.
    unsafe { *cells = r as u32 as u128 };
}

unsafe extern "C" fn host_add_ten(_callee: *mut u8, _caller: *mut u8, cells: *mut u128) {
    // SAFETY: called by an exit trampoline of type (i32) -> i32.
    unsafe { set_result_i32(cells, arg_i32(cells) + 10) };
}

unsafe extern "C" fn host_fail(_callee: *mut u8, caller: *mut u8, _cells: *mut u128) {
    // SAFETY: compiled code passes the calling instance's context, built by `instantiate_with`.
    unsafe { set_trap(caller, TrapCode::HostFuncError) };
}

/// Raises the interrupt flag on its 1000th call.
unsafe extern "C" fn host_tick(_callee: *mut u8, caller: *mut u8, cells: *mut u128) {
    // SAFETY: called by an exit trampoline of type (i32) -> i32.
    let x = unsafe { arg_i32(cells) };
    if x == 1000 {
        // SAFETY: as in `host_fail`.
        unsafe { *(**caller.add(LIMITS).cast::<*mut Limits>()).interrupt = 1 };
    }
    // SAFETY: as above.
    unsafe { set_result_i32(cells, x) };
}

fn host(target: ExitTarget) -> HostFunc {
    HostFunc {
        target,
        ty: FuncType::new([ValType::I32], [ValType::I32]),
    }
}

#[test]
fn the_trap_function_traps_with_its_code_whatever_the_signature() {
    let mut i = instantiate(
        r#"(module
            (import "env" "f" (func $f (param i32) (result i32)))
            (func (export "call") (param i32) (result i32) (call $f (local.get 0)))
            (func (export "tail") (param i32) (result i32) (return_call $f (local.get 0))))"#,
        &[host(host_tick)],
    );
    assert_eq!(i.call_i32("call", &[5]), Ok(5));
    let compiler = test_compiler();
    let image = compiler
        .compile_trap_function(TrapCode::HostFuncError)
        .expect("compiles");
    let trap = wedge_cranelift::load(&image).expect("loads");
    i.funcrefs[0].wasm_call = trap.function(0);
    assert_eq!(i.call_i32("call", &[5]), Err(TrapCode::HostFuncError));
    assert_eq!(i.call_i32("tail", &[5]), Err(TrapCode::HostFuncError));
}

#[test]
fn imported_calls_pass_arguments_and_propagate_traps() {
    let wat = r#"(module
        (import "env" "f" (func $f (param i32) (result i32)))
        (func $inner (param i32) (result i32)
            (i32.add (call $f (local.get 0)) (i32.const 1)))
        (func (export "run") (param i32) (result i32)
            (i32.mul (call $inner (local.get 0)) (i32.const 2)))
        (func (export "ref") (result i32)
            (call_indirect (param i32) (result i32) (i32.const 5) (i32.const 0)))
        (table 1 funcref)
        (elem (i32.const 0) $f)
    )"#;
    let mut ok = instantiate(wat, &[host(host_add_ten)]);
    assert_eq!(ok.call_i32("run", &[1]), Ok(24));
    assert_eq!(ok.call_i32("ref", &[]), Ok(15));
    let mut bad = instantiate(wat, &[host(host_fail)]);
    assert_eq!(bad.call_i32("run", &[1]), Err(TrapCode::HostFuncError));
    assert_eq!(bad.call_i32("ref", &[]), Err(TrapCode::HostFuncError));
}

#[test]
fn interrupt_flag_stops_at_entry_and_loop_heads() {
    let mut i = instantiate(
        r#"(module
            (import "env" "tick" (func $tick (param i32) (result i32)))
            (func (export "spin") (param i32) (result i32)
                (loop $l
                    (local.set 0 (call $tick (i32.add (local.get 0) (i32.const 1))))
                    (br $l))
                (unreachable))
            (func (export "id") (param i32) (result i32) (local.get 0))
        )"#,
        &[host(host_tick)],
    );
    assert_eq!(i.call_i32("spin", &[0]), Err(TrapCode::Interrupted));
    assert_eq!(*i.flag, 0, "the flag is cleared by the trap");
    *i.flag = 1;
    assert_eq!(i.call_i32("id", &[3]), Err(TrapCode::Interrupted));
    assert_eq!(i.call_i32("id", &[3]), Ok(3));
}

#[test]
fn unreachable_traps_and_dead_code_is_skipped() {
    let mut i = instantiate(
        r#"(module
            (func (export "u") (result i32)
                (unreachable)
                (block (result i32) (loop (br 0)) (i32.const 1))
                (i32.add))
            (func (export "early") (param i32) (result i32)
                (block (result i32)
                    (br 0 (i32.const 5))
                    (if (then (unreachable)) (else (nop)))
                    (i32.const 6))
                (return (i32.add (local.get 0)))
                (drop (i32.const 1)))
        )"#,
        &[],
    );
    assert_eq!(i.call_i32("u", &[]), Err(TrapCode::Unreachable));
    assert_eq!(i.call_i32("early", &[1]), Ok(6));
}

#[test]
fn globals_tables_and_references() {
    let mut i = instantiate(
        r#"(module
            (global $g (mut i64) (i64.const 40))
            (global $f (mut f32) (f32.const 1.5))
            (table $t 3 funcref)
            (elem declare func $one)
            (func $one (result i32) (i32.const 1))
            (func (export "bump") (result i64)
                (global.set $g (i64.add (global.get $g) (i64.const 2)))
                (global.get $g))
            (func (export "fl") (result f32) (global.get $f))
            (func (export "set_and_call") (param i32) (result i32)
                (table.set $t (local.get 0) (ref.func $one))
                (call_indirect $t (result i32) (local.get 0)))
            (func (export "is_null") (param i32) (result i32)
                (ref.is_null (table.get $t (local.get 0))))
            (func (export "size") (result i32) (table.size $t))
            (func (export "null_is_null") (result i32) (ref.is_null (ref.null extern)))
        )"#,
        &[],
    );
    assert_eq!(i.call_i64("bump", &[]), Ok(42));
    assert_eq!(i.call_i64("bump", &[]), Ok(44));
    assert_eq!(i.call_f32("fl", &[]), Ok(1.5));
    assert_eq!(i.call_i32("is_null", &[1]), Ok(1));
    assert_eq!(i.call_i32("set_and_call", &[1]), Ok(1));
    assert_eq!(i.call_i32("is_null", &[1]), Ok(0));
    assert_eq!(i.call_i32("is_null", &[3]), Err(TrapCode::TableOutOfBounds));
    assert_eq!(
        i.call_i32("set_and_call", &[3]),
        Err(TrapCode::TableOutOfBounds)
    );
    assert_eq!(i.call_i32("size", &[]), Ok(3));
    assert_eq!(i.call_i32("null_is_null", &[]), Ok(1));
}

#[test]
fn unsupported_operators_are_errors_naming_the_function() {
    let err = compile(
        r#"(module
            (func (result i32) (i32.const 1))
            (func (param v128) (result v128) (i8x16.relaxed_swizzle (local.get 0) (local.get 0))))"#,
    )
    .err();
    assert!(
        matches!(
            &err,
            Some(CompileErrorKind::Unsupported {
                func_index: Some(1),
                ..
            })
        ),
        "{err:?}"
    );
    let err = compile(
        r#"(module
            (memory 1 1 shared)
            (func (param i32) (result i32) (i32.atomic.load (local.get 0))))"#,
    )
    .err();
    match err {
        Some(CompileErrorKind::Unsupported {
            func_index: Some(0),
            what,
            ..
        }) => assert!(what.contains("I32AtomicLoad"), "{what}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn libcalls_receive_their_arguments_and_traps_propagate_through_callers() {
    let mut i = instantiate(
        r#"(module
            (memory 1)
            (table 1 2 externref)
            (data (i32.const 0) "abcdef")
            (func (export "copy") (param i32 i32 i32)
                (memory.copy (local.get 0) (local.get 1) (local.get 2)))
            (func $copy_oob (i32.const 0x10000) (i32.const 0) (i32.const 1) (memory.copy))
            (func (export "nested") (result i32) (call $copy_oob) (i32.const 1))
            (func (export "tgrow") (param i32) (result i32)
                (table.grow (ref.null extern) (local.get 0)))
        )"#,
        &[],
    );
    assert_eq!(i.call_raw("copy", &[2, 0, 4]), Ok(vec![]));
    assert_eq!(&i.memory()[..6], b"ababcd");
    assert_eq!(i.call_i32("nested", &[]), Err(TrapCode::MemoryOutOfBounds));
    assert_eq!(i.call_i32("tgrow", &[7]), Ok(7));
}

/// Not a check: prints how long a module with many functions takes to compile
/// (`cargo test -p wedge-cranelift --release -- --ignored --nocapture compile_time`).
#[test]
#[ignore]
fn compile_time_of_many_functions() {
    let mut wat = String::from("(module (memory 1) (table 1 funcref)\n");
    for f in 0..2000 {
        wat.push_str(&format!(
            "(func (export \"f{f}\") (param i32 i64 f64) (result i64) (local i32)
              (block $b (loop $l
                (local.set 3 (i32.add (local.get 3) (i32.load offset={o} (local.get 0))))
                (i64.store (local.get 0) (i64.mul (local.get 1) (i64.extend_i32_s (local.get 3))))
                (br_if $b (i32.gt_u (local.get 3) (i32.const 100)))
                (br_if $l (f64.lt (local.get 2) (f64.convert_i32_s (local.get 3))))))
              (if (result i64) (local.get 3)
                (then (i64.div_s (local.get 1) (i64.extend_i32_u (local.get 3))))
                (else (call_indirect (param i32 i64 f64) (result i64)
                  (local.get 0) (local.get 1) (local.get 2) (i32.const 0)))))\n",
            o = f % 64
        ));
    }
    wat.push(')');
    let wasm = wat::parse_str(&wat).expect("valid wat");
    let info = ModuleInfo::parse(&wasm, WasmFeatures::all()).expect("valid module");
    for level in [OptLevel::None, OptLevel::Speed] {
        let compiler = CraneliftCompiler::new(level).expect("host supported");
        let t = std::time::Instant::now();
        let compiled = compiler.compile(&info, &wasm).expect("compiles");
        println!(
            "{level:?}: {} functions, {} KiB of wasm, compiled in {:?}",
            compiled.len(),
            wasm.len() / 1024,
            t.elapsed()
        );
    }
}

#[test]
fn many_parameters_go_through_registers_and_the_stack() {
    let mut i = instantiate(
        r#"(module
            (func $sum (export "sum") (param i32 i64 f64 f32 i32 i64 f64 f32 i32 i64 f64 f32 i32 i64 f64 f32) (result f64)
                (f64.add
                    (f64.add
                        (f64.convert_i64_s (i64.add (i64.add (local.get 1) (local.get 5)) (i64.add (local.get 9) (local.get 13))))
                        (f64.convert_i32_s (i32.add (i32.add (local.get 0) (local.get 4)) (i32.add (local.get 8) (local.get 12)))))
                    (f64.add
                        (f64.add (f64.add (local.get 2) (local.get 6)) (f64.add (local.get 10) (local.get 14)))
                        (f64.promote_f32 (f32.add (f32.add (local.get 3) (local.get 7)) (f32.add (local.get 11) (local.get 15)))))))
            (func (export "direct") (result f64)
                (call $sum
                    (i32.const 1) (i64.const 2) (f64.const 3) (f32.const 4)
                    (i32.const 5) (i64.const 6) (f64.const 7) (f32.const 8)
                    (i32.const 9) (i64.const 10) (f64.const 11) (f32.const 12)
                    (i32.const 13) (i64.const 14) (f64.const 15) (f32.const 16)))
        )"#,
        &[],
    );
    assert_eq!(i.call_f64("direct", &[]), Ok(136.0));
    let mut args = Vec::new();
    for k in 0..4u32 {
        let base = (4 * k + 1) as f64;
        args.push(base as u128);
        args.push((base + 1.0) as u128);
        args.push((base + 2.0).to_bits() as u128);
        args.push(((base + 3.0) as f32).to_bits() as u128);
    }
    assert_eq!(
        i.call_raw("sum", &args)
            .map(|r| f64::from_bits(r[0] as u64)),
        Ok(136.0)
    );
}

#[test]
fn control_flow_edge_cases_compile_and_run() {
    let mut i = instantiate(
        r#"(module
            (func (export "dead_nesting") (param i32) (result i32)
                (block $out (result i32)
                    (if (local.get 0)
                        (then (br $out (i32.const 1))
                              (if (i32.const 1) (then (br_table 0 1 (i32.const 0))) (else (nop)))
                              (loop (br 0)))
                        (else (return (i32.const 2))
                              (block (if (i32.const 0) (then) (else)))))
                    (unreachable)))
            (func (export "block_params") (param i32) (result i32)
                (local.get 0)
                (block (param i32) (result i32)
                    (br_if 0 (i32.add (i32.const 100)) (i32.eqz (local.get 0)))
                    (i32.const 1) (i32.add)))
            (func (export "loop_result") (result i32) (local i32)
                (loop (result i32)
                    (local.set 0 (i32.add (local.get 0) (i32.const 1)))
                    (br_if 0 (i32.lt_u (local.get 0) (i32.const 10)))
                    (local.get 0)))
            (func (export "if_dead_then") (param i32) (result i32)
                (if (result i32) (local.get 0)
                    (then (unreachable))
                    (else (i32.const 9))))
        )"#,
        &[],
    );
    assert_eq!(i.call_i32("dead_nesting", &[1]), Ok(1));
    assert_eq!(i.call_i32("dead_nesting", &[0]), Ok(2));
    assert_eq!(i.call_i32("block_params", &[0]), Ok(100));
    assert_eq!(i.call_i32("block_params", &[5]), Ok(106));
    assert_eq!(i.call_i32("loop_result", &[]), Ok(10));
    assert_eq!(i.call_i32("if_dead_then", &[0]), Ok(9));
    assert_eq!(i.call_i32("if_dead_then", &[1]), Err(TrapCode::Unreachable));
}
