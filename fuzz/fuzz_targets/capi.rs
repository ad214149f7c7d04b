//! The C API's VM under arbitrary modules and call sequences.
//!
//! Each input configures a VM (proposals, run mode, statistics, a memory-page limit) and runs
//! a sequence of `WasmEdge_VM*` calls on it: loading arbitrary bytes or a built-in module,
//! validating, instantiating, registering, executing exports by any name (valid UTF-8 or not)
//! with any number and types of arguments and any room for results, listing functions, asking
//! for function types, cleaning up, and finally deleting the VM. Calls out of order must give
//! WasmEdge's error codes, never a crash or a panic (which the C API catches; an uncaught one
//! aborts the fuzzer).
//!
//! Only what the C API's contract asks of a caller is kept: every pointer passed is valid, and
//! reference arguments are null references (a non-null reference would be a pointer the
//! caller vouches for). A cost limit stops guests that loop.

#![no_main]
#![allow(
    unsafe_code,
    reason = "the C API is `extern \"C\"` and takes raw pointers: calling it is unsafe"
)]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use wasmedge::abi::{WasmEdge_Bytes, WasmEdge_String, WasmEdge_Value};
use wasmedge::basic::{WasmEdge_BytesWrap, WasmEdge_ResultOK, WasmEdge_StringWrap};
use wasmedge::configure::*;
use wasmedge::value::*;
use wasmedge::vm::*;

/// A module with a few exports of different signatures, some that trap, a memory, a table
/// and a start function, so that call sequences reach execution without a valid seed.
const BUILTIN: &str = r#"(module
  (memory (export "memory") 1 4)
  (global $g (export "g") (mut i32) (i32.const 0))
  (table (export "table") 2 funcref)
  (elem (i32.const 0) $add)
  (type $bin (func (param i32 i32) (result i32)))
  (func $add (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "wide") (param i64 f32 f64 v128) (result f64 i64 v128)
    (f64.add (f64.promote_f32 (local.get 1)) (local.get 2)) (local.get 0) (local.get 3))
  (func (export "refs") (param funcref externref) (result i32)
    (i32.add (ref.is_null (local.get 0)) (ref.is_null (local.get 1))))
  (func (export "store") (param i32 i64) (i64.store (local.get 0) (local.get 1)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "indirect") (param i32) (result i32)
    (call_indirect (type $bin) (i32.const 1) (i32.const 2) (local.get 0)))
  (func (export "spin") (loop (br 0)))
  (func $rec (export "rec") (param i32) (result i32)
    (if (result i32) (local.get 0)
      (then (i32.add (i32.const 1) (call $rec (i32.sub (local.get 0) (i32.const 1)))))
      (else (i32.const 0))))
  (func $start (global.set $g (i32.const 1)))
  (start $start))"#;

/// The export names of `BUILTIN`, for name choices that hit.
const NAMES: &[&str] = &[
    "add", "div", "wide", "refs", "store", "grow", "indirect", "spin", "rec", "memory", "g", "",
];

fn builtin() -> &'static [u8] {
    static WASM: OnceLock<Vec<u8>> = OnceLock::new();
    WASM.get_or_init(|| wat::parse_str(BUILTIN).expect("BUILTIN is valid text"))
}

#[derive(Arbitrary, Debug)]
enum Source {
    Builtin,
    Raw(Vec<u8>),
}

impl Source {
    fn bytes(&self) -> &[u8] {
        match self {
            Source::Builtin => builtin(),
            Source::Raw(b) => b,
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Name {
    Known(u8),
    Raw(Vec<u8>),
}

impl Name {
    fn bytes(&self) -> &[u8] {
        match self {
            Name::Known(i) => NAMES[*i as usize % NAMES.len()].as_bytes(),
            Name::Raw(b) => b,
        }
    }
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Param {
    I32(i32),
    I64(i64),
    F32(f32),
    F64(f64),
    V128(i128),
    NullFuncRef,
    NullExternRef,
}

impl Param {
    fn value(self) -> WasmEdge_Value {
        // SAFETY: value constructors take plain numbers (or NULL for a null reference).
        unsafe {
            match self {
                Param::I32(v) => WasmEdge_ValueGenI32(v),
                Param::I64(v) => WasmEdge_ValueGenI64(v),
                Param::F32(v) => WasmEdge_ValueGenF32(v),
                Param::F64(v) => WasmEdge_ValueGenF64(v),
                Param::V128(v) => WasmEdge_ValueGenV128(v),
                Param::NullFuncRef => WasmEdge_ValueGenFuncRef(std::ptr::null()),
                Param::NullExternRef => WasmEdge_ValueGenExternRef(std::ptr::null_mut()),
            }
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Op {
    Load(Source),
    Validate,
    Instantiate,
    Execute {
        name: Name,
        params: Vec<Param>,
        returns: u8,
    },
    RunFromBytes {
        source: Source,
        name: Name,
        params: Vec<Param>,
        returns: u8,
    },
    Register {
        module: Name,
        source: Source,
    },
    ExecuteRegistered {
        module: Name,
        name: Name,
        params: Vec<Param>,
        returns: u8,
    },
    FunctionType {
        name: Name,
    },
    FunctionList {
        len: u8,
    },
    Cleanup,
}

#[derive(Arbitrary, Debug)]
struct Input {
    /// Proposals (WasmEdge's numbering) to add or remove.
    proposals: Vec<(bool, u8)>,
    /// 0 interpreter, 1 JIT, 2 AOT (other values too).
    run_mode: u8,
    count: bool,
    cost: bool,
    max_pages: Option<u16>,
    ops: Vec<Op>,
}

/// `WasmEdge_String` borrowing `bytes`.
fn string(bytes: &[u8]) -> WasmEdge_String {
    // SAFETY: `WasmEdge_StringWrap` only packs the pointer and length; `bytes` outlives each
    // use, as every call below passes the string while `bytes` is borrowed.
    unsafe { WasmEdge_StringWrap(bytes.as_ptr().cast(), bytes.len() as u32) }
}

/// `WasmEdge_Bytes` borrowing `bytes`.
fn wasm_bytes(bytes: &[u8]) -> WasmEdge_Bytes {
    // SAFETY: as for `string`.
    unsafe { WasmEdge_BytesWrap(bytes.as_ptr(), bytes.len() as u32) }
}

fn run(input: &Input) {
    // SAFETY: every pointer below is NULL or made by the C API in this function and deleted
    // once, at its end; strings and byte buffers borrow Rust data that outlives each call;
    // `params` and `returns` hold exactly the lengths passed with them.
    unsafe {
        let conf = WasmEdge_ConfigureCreate();
        for &(add, p) in input.proposals.iter().take(8) {
            if add {
                WasmEdge_ConfigureAddProposal(conf, u32::from(p % 40));
            } else {
                WasmEdge_ConfigureRemoveProposal(conf, u32::from(p % 40));
            }
        }
        // The JIT compiles every module it loads: keep it to a quarter of the inputs.
        let run_mode = match input.run_mode {
            0..=191 => 0,
            m => u32::from(m % 4),
        };
        WasmEdge_ConfigureSetRunMode(conf, run_mode);
        WasmEdge_ConfigureStatisticsSetInstructionCounting(conf, input.count);
        // Cost measuring is always on: the cost limit below is what stops loops.
        let _ = input.cost;
        WasmEdge_ConfigureStatisticsSetCostMeasuring(conf, true);
        WasmEdge_ConfigureSetMaxMemoryPage(
            conf,
            u64::from(input.max_pages.unwrap_or(256).min(1024)),
        );
        let vm = WasmEdge_VMCreate(conf, std::ptr::null_mut());
        WasmEdge_ConfigureDelete(conf);
        if vm.is_null() {
            return;
        }
        let stats = WasmEdge_VMGetStatisticsContext(vm);
        let limit = || {
            WasmEdge_StatisticsClear(stats);
            WasmEdge_StatisticsSetCostLimit(stats, 200_000);
        };
        for op in input.ops.iter().take(32) {
            match op {
                Op::Load(source) => {
                    WasmEdge_VMLoadWasmFromBytes(vm, wasm_bytes(source.bytes()));
                }
                Op::Validate => {
                    WasmEdge_VMValidate(vm);
                }
                Op::Instantiate => {
                    limit();
                    WasmEdge_VMInstantiate(vm);
                }
                Op::Execute {
                    name,
                    params,
                    returns,
                } => {
                    let params: Vec<WasmEdge_Value> =
                        params.iter().take(16).map(|p| p.value()).collect();
                    let mut out = vec![WasmEdge_ValueGenI32(0); usize::from(*returns % 16)];
                    limit();
                    let r = WasmEdge_VMExecute(
                        vm,
                        string(name.bytes()),
                        params.as_ptr(),
                        params.len() as u32,
                        out.as_mut_ptr(),
                        out.len() as u32,
                    );
                    let _ = WasmEdge_ResultOK(r);
                }
                Op::RunFromBytes {
                    source,
                    name,
                    params,
                    returns,
                } => {
                    let params: Vec<WasmEdge_Value> =
                        params.iter().take(16).map(|p| p.value()).collect();
                    let mut out = vec![WasmEdge_ValueGenI32(0); usize::from(*returns % 16)];
                    limit();
                    WasmEdge_VMRunWasmFromBytes(
                        vm,
                        wasm_bytes(source.bytes()),
                        string(name.bytes()),
                        params.as_ptr(),
                        params.len() as u32,
                        out.as_mut_ptr(),
                        out.len() as u32,
                    );
                }
                Op::Register { module, source } => {
                    limit();
                    WasmEdge_VMRegisterModuleFromBytes(
                        vm,
                        string(module.bytes()),
                        wasm_bytes(source.bytes()),
                    );
                }
                Op::ExecuteRegistered {
                    module,
                    name,
                    params,
                    returns,
                } => {
                    let params: Vec<WasmEdge_Value> =
                        params.iter().take(16).map(|p| p.value()).collect();
                    let mut out = vec![WasmEdge_ValueGenI32(0); usize::from(*returns % 16)];
                    limit();
                    WasmEdge_VMExecuteRegistered(
                        vm,
                        string(module.bytes()),
                        string(name.bytes()),
                        params.as_ptr(),
                        params.len() as u32,
                        out.as_mut_ptr(),
                        out.len() as u32,
                    );
                }
                Op::FunctionType { name } => {
                    let _ = WasmEdge_VMGetFunctionType(vm, string(name.bytes()));
                }
                Op::FunctionList { len } => {
                    let len = usize::from(*len % 32);
                    let mut names = vec![string(b""); len];
                    let mut types = vec![std::ptr::null(); len];
                    let total = WasmEdge_VMGetFunctionList(
                        vm,
                        names.as_mut_ptr(),
                        types.as_mut_ptr(),
                        len as u32,
                    );
                    assert_eq!(
                        total,
                        WasmEdge_VMGetFunctionListLength(vm),
                        "the list's total is its length"
                    );
                }
                Op::Cleanup => WasmEdge_VMCleanup(vm),
            }
        }
        WasmEdge_VMDelete(vm);
    }
}

fuzz_target!(|input: Input| {
    run(&input);
});
