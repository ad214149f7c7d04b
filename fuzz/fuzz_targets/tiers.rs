//! Differential fuzzing of Wedge's execution tiers.
//!
//! Each input becomes a `wasm-smith` module (with the proposals Wedge runs) whose every export
//! is called in turn, with arguments taken from the rest of the input, on
//!
//! 1. Wedge's interpreter (`Config::new()`),
//! 2. Wedge's JIT (`Config::jit(true)`),
//! 3. wasmi 1.1, the reference,
//!
//! and, with instruction counting and cost measuring on, on the interpreter and the JIT again.
//! After instantiation and after every call the engines must agree on: success or trap (and
//! the trap's kind), the results, the contents of every exported memory, the values of every
//! exported global and the size and null-ness of every exported table; the two metered runs
//! must also agree on the instruction count and total cost, and give the unmetered outcome.
//!
//! NaNs: the spec lets an operator return any arithmetic NaN, so engines may differ in NaN bits.
//! Most inputs have wasm-smith canonicalize every float result (then bits are compared
//! exactly, memory included); the others compare floats NaN-insensitively and skip what NaN
//! bits can reach unseen (integer results, memory, integer globals).

#![no_main]

use arbitrary::{Arbitrary, Result as ArbResult, Unstructured};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

/// Deepest guest call nesting. wasm-smith's fuel bounds recursion anyway; this keeps the
/// compiled tier (which recurses on the native stack) well inside the fuzzer's 8 MiB stack.
const MAX_CALL_DEPTH: usize = 2_000;

struct Engines {
    interp: wedge::Engine,
    jit: wedge::Engine,
    interp_metered: wedge::Engine,
    jit_metered: wedge::Engine,
    wasmi: wasmi::Engine,
}

fn engines() -> &'static Engines {
    static ENGINES: OnceLock<Engines> = OnceLock::new();
    ENGINES.get_or_init(|| {
        let wedge = |jit: bool, metered: bool| {
            let mut config = wedge::Config::new();
            config
                .jit(jit)
                .max_call_depth(MAX_CALL_DEPTH)
                // The interpreter allocates its whole value stack (16 Mi cells by default) for
                // each store; under AddressSanitizer freeing that dominated the time per input.
                .max_stack_values(1 << 16)
                .max_native_stack(1 << 20)
                .count_instructions(metered)
                .measure_cost(metered);
            if jit && metered {
                // Metering is added by Wedge's translation, before Cranelift optimizes: an
                // unoptimized compile checks it as well, and Cranelift's optimizer (most of
                // this target's time under the sanitizers) then runs once per input, for the
                // unmetered JIT.
                config.opt_level(wedge::OptLevel::None);
            }
            wedge::Engine::new(&config)
        };
        let mut wasmi_config = wasmi::Config::default();
        wasmi_config
            .wasm_mutable_global(true)
            .wasm_sign_extension(true)
            .wasm_saturating_float_to_int(true)
            .wasm_multi_value(true)
            .wasm_multi_memory(true)
            .wasm_bulk_memory(true)
            .wasm_reference_types(true)
            .wasm_tail_call(true)
            .wasm_extended_const(true)
            .wasm_simd(true)
            // Not generated (and not in Wedge's default feature set).
            .wasm_relaxed_simd(false)
            .wasm_wide_arithmetic(false)
            .wasm_memory64(false)
            .wasm_custom_page_sizes(false)
            .set_max_recursion_depth(MAX_CALL_DEPTH);
        Engines {
            interp: wedge(false, false),
            jit: wedge(true, false),
            interp_metered: wedge(false, true),
            jit_metered: wedge(true, true),
            wasmi: wasmi::Engine::new(&wasmi_config),
        }
    })
}

/// A generated module and how to compare its runs.
struct Generated {
    wasm: Vec<u8>,
    /// wasm-smith canonicalized every NaN: bits are deterministic, compare them exactly.
    canonical_nans: bool,
}

fn generate(u: &mut Unstructured<'_>) -> ArbResult<Generated> {
    // Swarm testing: an arbitrary configuration, then clamped to what the engines share and to
    // sizes that keep each input fast.
    let mut config = wasm_smith::Config::arbitrary(u)?;
    let canonical_nans = u.ratio(3, 4)?;
    config.canonicalize_nans = canonical_nans;

    // Features Wedge runs (its default feature set) and wasmi 1.1 supports: SIMD, multi-value,
    // bulk memory, reference types, tail calls, multi-memory, extended-const, sign-extension,
    // saturating float-to-int (the arbitrary config switches each on or off per input).
    // Off: what either engine does not run by default, or that this target does not compare.
    config.threads_enabled = false;
    config.gc_enabled = false;
    config.exceptions_enabled = false;
    config.memory64_enabled = false;
    config.relaxed_simd_enabled = false;
    config.custom_page_sizes_enabled = false;
    config.wide_arithmetic_enabled = false;
    config.compact_imports_enabled = false;
    config.shared_everything_threads_enabled = false;
    config.custom_descriptors_enabled = false;
    config.multibyte_array_access_enabled = false;
    config.acquire_release_atomics_enabled = false;
    config.allow_invalid_funcs = false;

    // No imports: every engine instantiates with nothing. Export everything so that all
    // functions are called and all state is compared.
    config.max_imports = 0;
    config.min_imports = 0;
    config.export_everything = true;

    // Bounded sizes: memories and tables always have a small maximum, so `memory.grow` and
    // `table.grow` cannot allocate without bound.
    config.max_memories = config.max_memories.min(4);
    config.min_memories = config.min_memories.min(config.max_memories as u32);
    config.max_memory32_bytes = config.max_memory32_bytes.min(8 << 16);
    config.memory_max_size_required = true;
    config.max_tables = config.max_tables.min(4);
    config.min_tables = config.min_tables.min(config.max_tables as u32);
    config.max_table_elements = config.max_table_elements.min(1_000);
    config.table_max_size_required = true;
    config.max_funcs = config.max_funcs.min(24);
    config.max_types = config.max_types.min(48);
    config.max_globals = config.max_globals.min(32);
    config.max_instructions = config.max_instructions.min(600);
    config.max_data_segments = config.max_data_segments.min(8);
    config.max_element_segments = config.max_element_segments.min(8);
    config.max_elements = config.max_elements.min(64);

    let mut module = wasm_smith::Module::new(config, u)?;
    // Fuel: every loop head and function entry decrements a global and traps (`unreachable`)
    // at zero, so every call ends. The fuel global is not exported and persists across calls.
    let fuel = u.int_in_range(50..=2_000)?;
    module
        .ensure_termination(fuel)
        .map_err(|_| arbitrary::Error::IncorrectFormat)?;
    Ok(Generated {
        wasm: module.to_bytes(),
        canonical_nans,
    })
}

/// A value, engine-neutral. References are reduced to null or not.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Value {
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
    V128(u128),
    Ref { null: bool },
}

impl Value {
    fn from_wedge(v: &wedge::Val) -> Value {
        match v {
            wedge::Val::I32(x) => Value::I32(*x),
            wedge::Val::I64(x) => Value::I64(*x),
            wedge::Val::F32(x) => Value::F32(*x),
            wedge::Val::F64(x) => Value::F64(*x),
            wedge::Val::V128(x) => Value::V128(*x),
            wedge::Val::FuncRef(f) => Value::Ref { null: f.is_none() },
            wedge::Val::ExternRef(e) => Value::Ref { null: e.is_none() },
        }
    }

    fn from_wasmi(v: &wasmi::Val) -> Value {
        match v {
            wasmi::Val::I32(x) => Value::I32(*x),
            wasmi::Val::I64(x) => Value::I64(*x),
            wasmi::Val::F32(x) => Value::F32(x.to_bits()),
            wasmi::Val::F64(x) => Value::F64(x.to_bits()),
            wasmi::Val::V128(x) => Value::V128(x.as_u128()),
            wasmi::Val::FuncRef(f) => Value::Ref { null: f.is_null() },
            wasmi::Val::ExternRef(e) => Value::Ref { null: e.is_null() },
        }
    }

    /// Whether two values agree. With `exact` false, NaNs of any bits are equal (in v128
    /// lanes too, read as f32x4 or as f64x2), and integers are not compared at all, since NaN
    /// bits can reach them through reinterpretations and lane extractions.
    fn agrees(&self, other: &Value, exact: bool) -> bool {
        if self == other
            || !exact
                && matches!(
                    (self, other),
                    (Value::I32(_), Value::I32(_)) | (Value::I64(_), Value::I64(_))
                )
        {
            return true;
        }
        if exact {
            return false;
        }
        let f32_nan = |b: u32| f32::from_bits(b).is_nan();
        let f64_nan = |b: u64| f64::from_bits(b).is_nan();
        match (self, other) {
            (Value::F32(a), Value::F32(b)) => f32_nan(*a) && f32_nan(*b),
            (Value::F64(a), Value::F64(b)) => f64_nan(*a) && f64_nan(*b),
            (Value::V128(a), Value::V128(b)) => {
                let lanes32 = (0..4).all(|i| {
                    let (x, y) = ((a >> (32 * i)) as u32, (b >> (32 * i)) as u32);
                    x == y || f32_nan(x) && f32_nan(y)
                });
                let lanes64 = (0..2).all(|i| {
                    let (x, y) = ((a >> (64 * i)) as u64, (b >> (64 * i)) as u64);
                    x == y || f64_nan(x) && f64_nan(y)
                });
                lanes32 || lanes64
            }
            _ => false,
        }
    }
}

/// How a trap is classified for comparison with the reference, whose trap codes are coarser.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum TrapKind {
    Unreachable,
    MemoryOutOfBounds,
    /// Table access out of bounds, or `call_indirect` past the table's end.
    TableOutOfBounds,
    /// `call_indirect` through a null entry.
    NullCall,
    IndirectCallTypeMismatch,
    IntegerOverflow,
    IntegerDivideByZero,
    InvalidConversionToInteger,
    StackExhausted,
    /// Anything else (an engine's own error: resource limits, unsupported...).
    Other,
}

impl TrapKind {
    fn from_wedge(e: &wedge::Error) -> TrapKind {
        use wedge::TrapCode as C;
        match e.trap_code() {
            Some(C::Unreachable) => TrapKind::Unreachable,
            Some(C::MemoryOutOfBounds) => TrapKind::MemoryOutOfBounds,
            Some(C::TableOutOfBounds | C::UndefinedElement) => TrapKind::TableOutOfBounds,
            Some(C::UninitializedElement) => TrapKind::NullCall,
            Some(C::IndirectCallTypeMismatch) => TrapKind::IndirectCallTypeMismatch,
            Some(C::IntegerOverflow) => TrapKind::IntegerOverflow,
            Some(C::IntegerDivideByZero) => TrapKind::IntegerDivideByZero,
            Some(C::InvalidConversionToInteger) => TrapKind::InvalidConversionToInteger,
            Some(C::CallStackExhausted) => TrapKind::StackExhausted,
            _ => TrapKind::Other,
        }
    }

    fn from_wasmi(e: &wasmi::Error) -> TrapKind {
        use wasmi::TrapCode as C;
        match e.as_trap_code() {
            Some(C::UnreachableCodeReached) => TrapKind::Unreachable,
            Some(C::MemoryOutOfBounds) => TrapKind::MemoryOutOfBounds,
            Some(C::TableOutOfBounds) => TrapKind::TableOutOfBounds,
            Some(C::IndirectCallToNull) => TrapKind::NullCall,
            Some(C::BadSignature) => TrapKind::IndirectCallTypeMismatch,
            Some(C::IntegerOverflow) => TrapKind::IntegerOverflow,
            Some(C::IntegerDivisionByZero) => TrapKind::IntegerDivideByZero,
            Some(C::BadConversionToInteger) => TrapKind::InvalidConversionToInteger,
            Some(C::StackOverflow) => TrapKind::StackExhausted,
            Some(_) => TrapKind::Other,
            // Instantiation reports segments that do not fit as errors, not trap codes.
            None => {
                use wasmi::errors::{
                    ErrorKind as K, InstantiationError as I, MemoryError, TableError,
                };
                match e.kind() {
                    K::Instantiation(I::ElementSegmentDoesNotFit { .. }) => {
                        TrapKind::TableOutOfBounds
                    }
                    K::Table(
                        TableError::InitOutOfBounds
                        | TableError::CopyOutOfBounds
                        | TableError::FillOutOfBounds
                        | TableError::SetOutOfBounds,
                    ) => TrapKind::TableOutOfBounds,
                    K::Memory(MemoryError::OutOfBoundsAccess) => TrapKind::MemoryOutOfBounds,
                    _ => TrapKind::Other,
                }
            }
        }
    }
}

/// What one step (instantiation or one call) left behind.
#[derive(Clone, Debug)]
struct Outcome {
    /// The results, or the trap.
    result: Result<Vec<Value>, TrapKind>,
    /// Wedge's exact trap code (to compare Wedge's tiers exactly), if it trapped.
    wedge_trap: Option<Option<wedge::TrapCode>>,
    state: State,
    /// Instruction count and total cost (metered Wedge runs only).
    stats: Option<(u64, u64)>,
}

/// The exported state after a step, by export name (engines list exports in different
/// orders: wasmi in the module's order, Wedge by name).
#[derive(Clone, Debug, Default)]
struct State {
    memories: Vec<(String, Vec<u8>)>,
    globals: Vec<(String, Value)>,
    tables: Vec<(String, Vec<bool>)>,
}

impl State {
    fn sort(&mut self) {
        self.memories.sort_by(|a, b| a.0.cmp(&b.0));
        self.globals.sort_by(|a, b| a.0.cmp(&b.0));
        self.tables.sort_by(|a, b| a.0.cmp(&b.0));
    }
}

/// One engine running one module: instantiate, then call exports.
trait Runner {
    /// Instantiates; `Err` carries the instantiation's outcome.
    fn instantiate(&mut self) -> Outcome;
    fn call(&mut self, name: &str, args: &[Value]) -> Outcome;
}

struct WedgeRunner {
    store: wedge::Store<()>,
    module: wedge::Module,
    instance: Option<wedge::Instance>,
    metered: bool,
}

fn to_wedge(v: &Value) -> wedge::Val {
    match v {
        Value::I32(x) => wedge::Val::I32(*x),
        Value::I64(x) => wedge::Val::I64(*x),
        Value::F32(x) => wedge::Val::F32(*x),
        Value::F64(x) => wedge::Val::F64(*x),
        Value::V128(x) => wedge::Val::V128(*x),
        Value::Ref { .. } => unreachable!("reference arguments are passed by type"),
    }
}

impl WedgeRunner {
    fn state(&self) -> State {
        let Some(instance) = &self.instance else {
            return State::default();
        };
        let mut state = State::default();
        for (name, ext) in instance.exports(&self.store) {
            match ext {
                wedge::Extern::Memory(m) => {
                    state.memories.push((name, m.data(&self.store).to_vec()))
                }
                wedge::Extern::Global(g) => state
                    .globals
                    .push((name, Value::from_wedge(&g.get(&self.store)))),
                wedge::Extern::Table(t) => {
                    let size = t.size(&self.store);
                    let nulls = (0..size)
                        .map(|i| match t.get(&self.store, i) {
                            Some(v) => Value::from_wedge(&v) == Value::Ref { null: true },
                            None => true,
                        })
                        .collect();
                    state.tables.push((name, nulls));
                }
                wedge::Extern::Func(_) => {}
            }
        }
        state.sort();
        state
    }

    fn outcome(&self, result: Result<Vec<Value>, &wedge::Error>) -> Outcome {
        let stats = self.metered.then(|| {
            let s = self.store.statistics();
            (s.instr_count, s.total_cost)
        });
        Outcome {
            wedge_trap: result.as_ref().err().map(|e| e.trap_code()),
            result: result.map_err(TrapKind::from_wedge),
            state: self.state(),
            stats,
        }
    }
}

impl Runner for WedgeRunner {
    fn instantiate(&mut self) -> Outcome {
        match wedge::Instance::new(&mut self.store, &self.module, &[]) {
            Ok(i) => {
                self.instance = Some(i);
                self.outcome(Ok(Vec::new()))
            }
            Err(e) => self.outcome(Err(&e)),
        }
    }

    fn call(&mut self, name: &str, args: &[Value]) -> Outcome {
        let instance = self.instance.as_ref().expect("instantiated");
        let func = instance
            .get_func(&self.store, name)
            .expect("exported function");
        let ty = func.ty(&self.store);
        let params: Vec<wedge::Val> = ty
            .params()
            .iter()
            .zip(args)
            .map(|(t, a)| {
                if t.is_ref() {
                    wedge::Val::default_for(*t)
                } else {
                    to_wedge(a)
                }
            })
            .collect();
        let mut results: Vec<wedge::Val> = ty
            .results()
            .iter()
            .map(|t| wedge::Val::default_for(*t))
            .collect();
        match func.call(&mut self.store, &params, &mut results) {
            Ok(()) => self.outcome(Ok(results.iter().map(Value::from_wedge).collect())),
            Err(e) => self.outcome(Err(&e)),
        }
    }
}

struct WasmiRunner {
    store: wasmi::Store<()>,
    module: wasmi::Module,
    instance: Option<wasmi::Instance>,
}

impl WasmiRunner {
    fn state(&self) -> State {
        let Some(instance) = &self.instance else {
            return State::default();
        };
        let mut state = State::default();
        let exports: Vec<(String, wasmi::Extern)> = instance
            .exports(&self.store)
            .map(|e| (e.name().to_string(), e.into_extern()))
            .collect();
        for (name, ext) in exports {
            match ext {
                wasmi::Extern::Memory(m) => {
                    state.memories.push((name, m.data(&self.store).to_vec()))
                }
                wasmi::Extern::Global(g) => state
                    .globals
                    .push((name, Value::from_wasmi(&g.get(&self.store)))),
                wasmi::Extern::Table(t) => {
                    let size = t.size(&self.store);
                    let nulls = (0..size)
                        .map(|i| {
                            t.get(&self.store, i)
                                .is_none_or(|v| Value::from_wasmi(&v) == Value::Ref { null: true })
                        })
                        .collect();
                    state.tables.push((name, nulls));
                }
                wasmi::Extern::Func(_) => {}
            }
        }
        state.sort();
        state
    }
}

impl Runner for WasmiRunner {
    fn instantiate(&mut self) -> Outcome {
        let result = match wasmi::Instance::new(&mut self.store, &self.module, &[]) {
            Ok(i) => {
                self.instance = Some(i);
                Ok(Vec::new())
            }
            Err(e) => Err(TrapKind::from_wasmi(&e)),
        };
        Outcome {
            result,
            wedge_trap: None,
            state: self.state(),
            stats: None,
        }
    }

    fn call(&mut self, name: &str, args: &[Value]) -> Outcome {
        let instance = self.instance.as_ref().expect("instantiated");
        let func = instance
            .get_func(&self.store, name)
            .expect("exported function");
        let ty = func.ty(&self.store);
        let params: Vec<wasmi::Val> = ty
            .params()
            .iter()
            .zip(args)
            .map(|(t, a)| match (t, a) {
                (wasmi::ValType::FuncRef, _) => wasmi::Val::FuncRef(wasmi::Ref::Null),
                (wasmi::ValType::ExternRef, _) => wasmi::Val::ExternRef(wasmi::Ref::Null),
                (_, Value::I32(x)) => wasmi::Val::I32(*x),
                (_, Value::I64(x)) => wasmi::Val::I64(*x),
                (_, Value::F32(x)) => wasmi::Val::F32(wasmi::F32::from_bits(*x)),
                (_, Value::F64(x)) => wasmi::Val::F64(wasmi::F64::from_bits(*x)),
                (_, Value::V128(x)) => wasmi::Val::V128(wasmi::V128::from(*x)),
                (_, Value::Ref { .. }) => unreachable!("reference arguments are passed by type"),
            })
            .collect();
        let mut results: Vec<wasmi::Val> = ty
            .results()
            .iter()
            .map(|t| wasmi::Val::default(*t))
            .collect();
        let result = match func.call(&mut self.store, &params, &mut results) {
            Ok(()) => Ok(results.iter().map(Value::from_wasmi).collect()),
            Err(e) => Err(TrapKind::from_wasmi(&e)),
        };
        Outcome {
            result,
            wedge_trap: None,
            state: self.state(),
            stats: None,
        }
    }
}

/// Compares two outcomes of the same step; panics (a finding) when they disagree.
fn compare(
    step: &str,
    a_name: &str,
    a: &Outcome,
    b_name: &str,
    b: &Outcome,
    exact: bool,
    both_wedge: bool,
) {
    let fail = |what: &str| -> ! {
        panic!(
            "{step}: {a_name} and {b_name} disagree on {what}\n{a_name}: {:?}\n{b_name}: {:?}",
            a.result, b.result
        )
    };
    match (&a.result, &b.result) {
        (Ok(x), Ok(y)) => {
            if x.len() != y.len() || x.iter().zip(y).any(|(p, q)| !p.agrees(q, exact)) {
                fail("results");
            }
        }
        (Err(x), Err(y)) => {
            if both_wedge {
                if a.wedge_trap != b.wedge_trap {
                    panic!(
                        "{step}: {a_name} and {b_name} disagree on the trap: {:?} vs {:?}",
                        a.wedge_trap, b.wedge_trap
                    );
                }
            } else if x != y {
                fail("the trap");
            }
        }
        _ => fail("whether it trapped"),
    }
    if exact {
        let (ma, mb) = (&a.state.memories, &b.state.memories);
        if ma.len() != mb.len() {
            fail("the number of memories");
        }
        for ((name, x), (_, y)) in ma.iter().zip(mb) {
            if x != y {
                let first = x.iter().zip(y).position(|(p, q)| p != q);
                panic!(
                    "{step}: {a_name} and {b_name} disagree on memory {name:?}: sizes {} vs {}, first difference at {first:?} ({:?} vs {:?})",
                    x.len(),
                    y.len(),
                    first.map(|i| x[i]),
                    first.map(|i| y[i]),
                );
            }
        }
    }
    let (ga, gb) = (&a.state.globals, &b.state.globals);
    if ga.len() != gb.len() {
        fail("the number of globals");
    }
    for ((name, x), (name_b, y)) in ga.iter().zip(gb) {
        if name != name_b {
            fail("the exported globals' names");
        }
        if !x.agrees(y, exact) {
            panic!("{step}: {a_name} and {b_name} disagree on global {name:?}: {x:?} vs {y:?}");
        }
    }
    if a.state.tables != b.state.tables {
        panic!(
            "{step}: {a_name} and {b_name} disagree on tables: {:?} vs {:?}",
            a.state
                .tables
                .iter()
                .map(|(n, t)| (n, t.len()))
                .collect::<Vec<_>>(),
            b.state
                .tables
                .iter()
                .map(|(n, t)| (n, t.len()))
                .collect::<Vec<_>>()
        );
    }
}

fn exhausted(o: &Outcome) -> bool {
    o.result == Err(TrapKind::StackExhausted)
}

fn run(data: &[u8]) -> ArbResult<()> {
    let mut u = Unstructured::new(data);
    // WEDGE_FUZZ_WASM=file.wasm runs that module instead of a generated one (to check a
    // hand-reduced reproducer on every engine); the input then only gives the arguments.
    let generated = match std::env::var_os("WEDGE_FUZZ_WASM") {
        Some(path) => Generated {
            wasm: std::fs::read(path).expect("WEDGE_FUZZ_WASM names a readable file"),
            canonical_nans: true,
        },
        None => generate(&mut u)?,
    };
    let wasm = &generated.wasm;
    if let Some(path) = std::env::var_os("WEDGE_FUZZ_DUMP") {
        let _ = std::fs::write(path, wasm);
    }
    let exact = generated.canonical_nans;
    let e = engines();

    let wasmi_module = match wasmi::Module::new(&e.wasmi, wasm) {
        Ok(m) => m,
        // wasmi's own limits or a feature it lacks: not a question about Wedge.
        Err(_) => return Ok(()),
    };
    let wedge_module = |engine: &wedge::Engine, tier: &str| match wedge::Module::new(engine, wasm) {
        Ok(m) => {
            // WEDGE_FUZZ_STATS=1 says, per input, whether the JIT compiled the module or left
            // it to the interpreter (and why): a module it does not compile compares the
            // interpreter with itself.
            if tier.starts_with("jit") && std::env::var_os("WEDGE_FUZZ_STATS").is_some() {
                eprintln!("{tier}: {}", m.native_code());
            }
            m
        }
        Err(err) => panic!("{tier} rejects a module wasmi accepts: {err}"),
    };
    let interp_module = wedge_module(&e.interp, "interp");
    // The exported functions in export order, with their parameter types.
    let funcs: Vec<(String, Vec<wedge::ValType>)> = interp_module
        .exports()
        .filter_map(|x| match x.ty {
            wedge::ExternType::Func(f) => Some((x.name.to_string(), f.params().to_vec())),
            _ => None,
        })
        .collect();
    let mut runners: Vec<(&str, Box<dyn Runner>)> = vec![
        (
            "wasmi",
            Box::new(WasmiRunner {
                store: wasmi::Store::new(&e.wasmi, ()),
                module: wasmi_module,
                instance: None,
            }),
        ),
        (
            "interp",
            Box::new(WedgeRunner {
                store: wedge::Store::new(&e.interp, ()),
                module: interp_module,
                instance: None,
                metered: false,
            }),
        ),
        (
            "jit",
            Box::new(WedgeRunner {
                store: wedge::Store::new(&e.jit, ()),
                module: wedge_module(&e.jit, "jit"),
                instance: None,
                metered: false,
            }),
        ),
        (
            "interp-metered",
            Box::new(WedgeRunner {
                store: wedge::Store::new(&e.interp_metered, ()),
                module: wedge_module(&e.interp_metered, "interp-metered"),
                instance: None,
                metered: true,
            }),
        ),
        (
            "jit-metered",
            Box::new(WedgeRunner {
                store: wedge::Store::new(&e.jit_metered, ()),
                module: wedge_module(&e.jit_metered, "jit-metered"),
                instance: None,
                metered: true,
            }),
        ),
    ];

    // Step 0 is instantiation, then one call per exported function, with arguments from the
    // rest of the input (zeros once it runs out).
    let outcomes: Vec<Outcome> = runners.iter_mut().map(|(_, r)| r.instantiate()).collect();
    if !check_step("instantiate", &runners, &outcomes, exact) {
        return Ok(());
    }
    if outcomes[0].result.is_err() {
        return Ok(());
    }

    for (name, params) in funcs {
        let args: Vec<Value> = params
            .iter()
            .map(|t| -> ArbResult<Value> {
                Ok(match t {
                    wedge::ValType::I32 => Value::I32(u.arbitrary()?),
                    wedge::ValType::I64 => Value::I64(u.arbitrary()?),
                    wedge::ValType::F32 => Value::F32(u.arbitrary()?),
                    wedge::ValType::F64 => Value::F64(u.arbitrary()?),
                    wedge::ValType::V128 => Value::V128(u.arbitrary()?),
                    _ => Value::Ref { null: true },
                })
            })
            .collect::<ArbResult<_>>()?;
        let outcomes: Vec<Outcome> = runners
            .iter_mut()
            .map(|(_, r)| r.call(&name, &args))
            .collect();
        if !check_step(
            &format!("call {name:?} {args:?}"),
            &runners,
            &outcomes,
            exact,
        ) {
            return Ok(());
        }
    }
    Ok(())
}

/// Compares every runner's outcome of one step with the others'. Returns false when a stack
/// was exhausted somewhere (the engines' limits differ, so the states may now differ and the
/// input is not followed further).
fn check_step(
    step: &str,
    runners: &[(&str, Box<dyn Runner>)],
    outcomes: &[Outcome],
    exact: bool,
) -> bool {
    if outcomes.iter().any(exhausted) {
        return false;
    }
    let name = |i: usize| runners[i].0;
    // The reference against the interpreter, the interpreter against every other Wedge run.
    compare(
        step,
        name(0),
        &outcomes[0],
        name(1),
        &outcomes[1],
        exact,
        false,
    );
    for i in 2..outcomes.len() {
        compare(
            step,
            name(1),
            &outcomes[1],
            name(i),
            &outcomes[i],
            exact,
            true,
        );
    }
    let (m_interp, m_jit) = (&outcomes[3], &outcomes[4]);
    if m_interp.stats != m_jit.stats {
        panic!(
            "{step}: the metered interpreter and JIT disagree on (instructions, cost): {:?} vs {:?}",
            m_interp.stats, m_jit.stats
        );
    }
    true
}

fuzz_target!(|data: &[u8]| {
    let _ = run(data);
});
