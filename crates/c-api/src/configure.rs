//! Configuration and statistics (`wasmedge_configure.h`), and the engines they select.

use crate::ffi::{self, guard};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;
use wedge::{Config, Engine, Features, OptLevel, Proposal};

/// WasmEdge's `WasmEdge_Proposal` numbering (0.17).
const PROPOSALS: [(u32, Option<Proposal>); 18] = [
    (0, Some(Proposal::MutableGlobals)),
    (1, Some(Proposal::NonTrapFloatToInt)),
    (2, Some(Proposal::SignExtension)),
    (3, Some(Proposal::MultiValue)),
    (4, Some(Proposal::BulkMemory)),
    (5, Some(Proposal::ReferenceTypes)),
    (6, Some(Proposal::Simd)),
    (7, Some(Proposal::TailCall)),
    (8, Some(Proposal::ExtendedConst)),
    (9, Some(Proposal::FunctionReferences)),
    (10, Some(Proposal::Gc)),
    (11, Some(Proposal::MultiMemory)),
    (12, Some(Proposal::RelaxedSimd)),
    (13, None), // Annotations: text format only.
    (14, Some(Proposal::ExceptionHandling)),
    (15, Some(Proposal::Memory64)),
    (16, Some(Proposal::Threads)),
    (17, None), // Component model: not supported.
];

/// `WasmEdge_Proposal` numbers with dependencies between them.
const PROPOSAL_REFERENCE_TYPES: u32 = 5;
const PROPOSAL_FUNCTION_REFERENCES: u32 = 9;
const PROPOSAL_GC: u32 = 10;

/// `WasmEdge_RunMode` values.
pub(crate) const RUN_MODE_INTERPRETER: u32 = 0;
const RUN_MODE_JIT: u32 = 1;
const RUN_MODE_LAZY_JIT: u32 = 3;

/// `WasmEdge_HostRegistration_Wasi`.
pub(crate) const HOST_REGISTRATION_WASI: u32 = 0;

/// The settings of a `WasmEdge_ConfigureContext`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ConfData {
    /// Bit n set: proposal n enabled.
    pub(crate) proposals: u32,
    pub(crate) host_wasi: bool,
    pub(crate) max_memory_page: u32,
    pub(crate) count_instructions: bool,
    pub(crate) measure_cost: bool,
    pub(crate) measure_time: bool,
    pub(crate) run_mode: u32,
    pub(crate) opt_level: u32,
    pub(crate) output_format: u32,
    pub(crate) dump_ir: bool,
    pub(crate) generic_binary: bool,
    pub(crate) interruptible: bool,
    pub(crate) allow_af_unix: bool,
}

fn standard_bits(standard: u32) -> Option<u32> {
    Some(match standard {
        0 => 1,                               // WASM 1: mutable globals import/export
        1 => 0x7F,                            // WASM 2: proposals 0..=6
        2 => 0x7FFF & !(1 << 13) | (1 << 15), // WASM 3: all 3.0 proposals but annotations
        _ => return None,
    })
}

impl Default for ConfData {
    fn default() -> Self {
        ConfData {
            proposals: standard_bits(2).unwrap_or(0x7F),
            host_wasi: false,
            max_memory_page: 65536,
            count_instructions: false,
            measure_cost: false,
            measure_time: false,
            run_mode: 0,
            opt_level: 3,
            output_format: 1,
            dump_ir: false,
            generic_binary: false,
            interruptible: false,
            allow_af_unix: false,
        }
    }
}

impl ConfData {
    /// Enables proposal `prop` with those it depends on, as WasmEdge 0.17.1 keeps them: function
    /// references needs reference types, GC needs both. Unknown numbers are ignored.
    fn add_proposal(&mut self, prop: u32) {
        if prop as usize >= PROPOSALS.len() {
            return;
        }
        self.proposals |= 1 << prop;
        if prop == PROPOSAL_FUNCTION_REFERENCES {
            self.proposals |= 1 << PROPOSAL_REFERENCE_TYPES;
        }
        if prop == PROPOSAL_GC {
            self.proposals |= (1 << PROPOSAL_FUNCTION_REFERENCES) | (1 << PROPOSAL_REFERENCE_TYPES);
        }
    }

    /// Disables proposal `prop`, unless an enabled proposal depends on it (then nothing
    /// changes, as in WasmEdge 0.17.1): function references while GC is on, reference types
    /// while GC or function references is on.
    fn remove_proposal(&mut self, prop: u32) {
        if prop as usize >= PROPOSALS.len() {
            return;
        }
        let on = |p: u32| self.proposals & (1 << p) != 0;
        let needed = match prop {
            PROPOSAL_FUNCTION_REFERENCES => on(PROPOSAL_GC),
            PROPOSAL_REFERENCE_TYPES => on(PROPOSAL_GC) || on(PROPOSAL_FUNCTION_REFERENCES),
            _ => false,
        };
        if !needed {
            self.proposals &= !(1 << prop);
        }
    }

    fn features(&self) -> Features {
        let mut f = Features::wasm1();
        for (bit, p) in PROPOSALS {
            if let Some(p) = p {
                if self.proposals & (1 << bit) != 0 {
                    f.enable(p);
                } else {
                    f.disable(p);
                }
            }
        }
        f
    }

    /// The Wedge engine for these settings and, when statistics are on, that cost table. Equal
    /// settings share one engine, so modules loaded once run in every store that uses them.
    pub(crate) fn engine(&self, cost_table: Option<&[u64]>) -> Engine {
        self.engine_for(cost_table, false)
    }

    /// The engine `WasmEdge_CompilerCompile` uses: as [`ConfData::engine`], except that the
    /// code polls for interrupts only with `ConfigureCompilerSetInterruptible`.
    pub(crate) fn compile_engine(&self) -> Engine {
        self.engine_for(None, true)
    }

    fn engine_for(&self, cost_table: Option<&[u64]>, compile: bool) -> Engine {
        type Cached = (ConfData, Option<Vec<u64>>, bool, Engine);
        static ENGINES: Mutex<Vec<Cached>> = Mutex::new(Vec::new());
        let table = if self.measure_cost {
            cost_table.map(<[u64]>::to_vec)
        } else {
            None
        };
        let mut engines = ENGINES.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, _, _, e)) = engines
            .iter()
            .find(|(c, t, k, _)| c == self && *t == table && *k == compile)
        {
            return e.clone();
        }
        let mut config = Config::new();
        config
            .set_features(self.features())
            .memory_page_limit(self.max_memory_page)
            .count_instructions(self.count_instructions)
            .measure_cost(self.measure_cost)
            .measure_time(self.measure_time)
            // WasmEdge's interpreter always honours cancellation (async cancel, time limits);
            // its compiler adds the polls only when asked to.
            .interruptible(!compile || self.interruptible)
            // JIT and lazy JIT compile in memory, using native code a universal wasm or
            // shared library carries; AOT runs only such native code and interprets the rest.
            .jit(matches!(self.run_mode, RUN_MODE_JIT | RUN_MODE_LAZY_JIT))
            .aot(self.run_mode != RUN_MODE_INTERPRETER)
            .opt_level(match self.opt_level {
                0 => OptLevel::None,
                4 | 5 => OptLevel::SpeedAndSize,
                _ => OptLevel::Speed,
            })
            .generic_cpu(self.generic_binary);
        if let Some(t) = &table {
            config.cost_table(t);
        }
        let engine = Engine::new(&config);
        engines.push((self.clone(), table, compile, engine.clone()));
        engine
    }
}

/// `WasmEdge_ConfigureContext`.
pub struct WasmEdge_ConfigureContext {
    pub(crate) data: Mutex<ConfData>,
}

impl WasmEdge_ConfigureContext {
    pub(crate) fn get(&self) -> MutexGuard<'_, ConfData> {
        self.data.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The settings of a configure context, or the defaults for NULL.
///
/// # Safety
/// `conf` must be NULL or a live configure context.
pub(crate) unsafe fn conf_of(conf: *const WasmEdge_ConfigureContext) -> ConfData {
    // SAFETY: forwarded to the caller.
    unsafe { conf.as_ref() }.map_or_else(ConfData::default, |c| c.get().clone())
}

/// Creates a configuration with WasmEdge's defaults (Wasm 3.0 proposals but annotations).
#[unsafe(no_mangle)]
pub extern "C" fn WasmEdge_ConfigureCreate() -> *mut WasmEdge_ConfigureContext {
    guard(std::ptr::null_mut(), || {
        Box::into_raw(Box::new(WasmEdge_ConfigureContext {
            data: Mutex::new(ConfData::default()),
        }))
    })
}

/// Deletes a configuration.
///
/// # Safety
/// `cxt` must be NULL or an owned configure context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_ConfigureDelete(cxt: *mut WasmEdge_ConfigureContext) {
    // SAFETY: forwarded to the caller.
    unsafe { ffi::delete(cxt) }
}

macro_rules! conf_fn {
    ($(#[$doc:meta])* fn $name:ident(c $(, $arg:ident: $ty:ty)*) $body:expr) => {
        $(#[$doc])*
        ///
        /// # Safety
        /// `cxt` must be NULL or a live configure context.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name(cxt: *mut WasmEdge_ConfigureContext $(, $arg: $ty)*) {
            guard((), || {
                // SAFETY: the caller passes NULL or a live context.
                if let Some(cx) = unsafe { cxt.as_ref() } {
                    let f: &dyn Fn(&mut ConfData) = &$body;
                    f(&mut cx.get());
                }
            })
        }
    };
}

macro_rules! conf_get {
    ($(#[$doc:meta])* fn $name:ident(c $(, $arg:ident: $ty:ty)*) -> $ret:ty, $default:expr, $body:expr) => {
        $(#[$doc])*
        ///
        /// # Safety
        /// `cxt` must be NULL or a live configure context.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name(cxt: *const WasmEdge_ConfigureContext $(, $arg: $ty)*) -> $ret {
            guard($default, || {
                // SAFETY: the caller passes NULL or a live context.
                match unsafe { cxt.as_ref() } {
                    Some(cx) => {
                        let f: &dyn Fn(&ConfData) -> $ret = &$body;
                        f(&cx.get())
                    }
                    None => $default,
                }
            })
        }
    };
}

conf_fn!(
    /// Enables a proposal and those it depends on (GC: function references and reference
    /// types; function references: reference types).
    fn WasmEdge_ConfigureAddProposal(c, prop: u32) |d| d.add_proposal(prop)
);
conf_fn!(
    /// Disables a proposal; refused (nothing changes) while an enabled proposal depends on it.
    fn WasmEdge_ConfigureRemoveProposal(c, prop: u32) |d| d.remove_proposal(prop)
);
conf_get!(
    /// Whether a proposal is enabled.
    fn WasmEdge_ConfigureHasProposal(c, prop: u32) -> bool, false,
    |d| prop < 32 && d.proposals & (1 << prop) != 0
);
conf_fn!(
    /// Sets the proposals to those of a WebAssembly standard (WASM_1, WASM_2, WASM_3).
    fn WasmEdge_ConfigureSetWASMStandard(c, standard: u32) |d| if let Some(b) = standard_bits(standard) { d.proposals = b }
);
conf_fn!(
    /// Registers a built-in host module (WASI) in VMs made with this configuration.
    fn WasmEdge_ConfigureAddHostRegistration(c, host: u32) |d| if host == HOST_REGISTRATION_WASI { d.host_wasi = true }
);
conf_fn!(
    /// Stops registering a built-in host module.
    fn WasmEdge_ConfigureRemoveHostRegistration(c, host: u32) |d| if host == HOST_REGISTRATION_WASI { d.host_wasi = false }
);
conf_get!(
    /// Whether a built-in host module is registered.
    fn WasmEdge_ConfigureHasHostRegistration(c, host: u32) -> bool, false,
    |d| host == HOST_REGISTRATION_WASI && d.host_wasi
);
conf_fn!(
    /// Caps every memory at `page` 64 KiB pages.
    fn WasmEdge_ConfigureSetMaxMemoryPage(c, page: u64) |d| d.max_memory_page = page.min(65536) as u32
);
conf_get!(
    /// The memory page cap.
    fn WasmEdge_ConfigureGetMaxMemoryPage(c) -> u64, 0, |d| u64::from(d.max_memory_page)
);
conf_fn!(
    /// Sets the run mode: interpreter (0); JIT (1) and lazy JIT (3) compile modules in memory
    /// with Cranelift; AOT (2) runs the native code `WasmEdge_CompilerCompile` wrote and
    /// interprets modules without it. JIT modes use such native code too.
    fn WasmEdge_ConfigureSetRunMode(c, mode: u32) |d| d.run_mode = mode
);
conf_get!(
    /// The run mode.
    fn WasmEdge_ConfigureGetRunMode(c) -> u32, 0, |d| d.run_mode
);
conf_fn!(
    /// Allows `AF_UNIX` sockets in WASI.
    fn WasmEdge_ConfigureSetAllowAFUNIX(c, on: bool) |d| d.allow_af_unix = on
);
conf_get!(
    /// Whether `AF_UNIX` sockets are allowed.
    fn WasmEdge_ConfigureIsAllowAFUNIX(c) -> bool, false, |d| d.allow_af_unix
);
conf_fn!(
    /// The AOT optimization level (kept; no AOT compiler yet).
    fn WasmEdge_ConfigureCompilerSetOptimizationLevel(c, level: u32) |d| d.opt_level = level
);
conf_get!(
    /// The AOT optimization level.
    fn WasmEdge_ConfigureCompilerGetOptimizationLevel(c) -> u32, 0, |d| d.opt_level
);
conf_fn!(
    /// The AOT output format (kept; no AOT compiler yet).
    fn WasmEdge_ConfigureCompilerSetOutputFormat(c, format: u32) |d| d.output_format = format
);
conf_get!(
    /// The AOT output format.
    fn WasmEdge_ConfigureCompilerGetOutputFormat(c) -> u32, 0, |d| d.output_format
);
conf_fn!(
    /// Whether the AOT compiler dumps its IR (kept; no AOT compiler yet).
    fn WasmEdge_ConfigureCompilerSetDumpIR(c, on: bool) |d| d.dump_ir = on
);
conf_get!(
    /// Whether the AOT compiler dumps its IR.
    fn WasmEdge_ConfigureCompilerIsDumpIR(c) -> bool, false, |d| d.dump_ir
);
conf_fn!(
    /// Whether the AOT compiler targets a generic CPU (kept; no AOT compiler yet).
    fn WasmEdge_ConfigureCompilerSetGenericBinary(c, on: bool) |d| d.generic_binary = on
);
conf_get!(
    /// Whether the AOT compiler targets a generic CPU.
    fn WasmEdge_ConfigureCompilerIsGenericBinary(c) -> bool, false, |d| d.generic_binary
);
conf_fn!(
    /// Whether compiled code checks for interruption (the interpreter always does).
    fn WasmEdge_ConfigureCompilerSetInterruptible(c, on: bool) |d| d.interruptible = on
);
conf_get!(
    /// Whether compiled code checks for interruption.
    fn WasmEdge_ConfigureCompilerIsInterruptible(c) -> bool, false, |d| d.interruptible
);
conf_fn!(
    /// Counts executed instructions.
    fn WasmEdge_ConfigureStatisticsSetInstructionCounting(c, on: bool) |d| d.count_instructions = on
);
conf_get!(
    /// Whether instructions are counted.
    fn WasmEdge_ConfigureStatisticsIsInstructionCounting(c) -> bool, false, |d| d.count_instructions
);
conf_fn!(
    /// Charges the cost table and checks the cost limit.
    fn WasmEdge_ConfigureStatisticsSetCostMeasuring(c, on: bool) |d| d.measure_cost = on
);
conf_get!(
    /// Whether cost is measured.
    fn WasmEdge_ConfigureStatisticsIsCostMeasuring(c) -> bool, false, |d| d.measure_cost
);
conf_fn!(
    /// Measures time spent in wasm and in host functions.
    fn WasmEdge_ConfigureStatisticsSetTimeMeasuring(c, on: bool) |d| d.measure_time = on
);
conf_get!(
    /// Whether time is measured.
    fn WasmEdge_ConfigureStatisticsIsTimeMeasuring(c) -> bool, false, |d| d.measure_time
);

// ---------------------------------------------------------------------------------------------
// Statistics

/// The counters and settings of a `WasmEdge_StatisticsContext`.
#[derive(Clone, Debug)]
pub(crate) struct StatData {
    pub(crate) instr_count: u64,
    pub(crate) total_cost: u64,
    pub(crate) wasm_time: Duration,
    pub(crate) cost_table: Option<Vec<u64>>,
    pub(crate) cost_limit: u64,
}

/// `WasmEdge_StatisticsContext`.
pub struct WasmEdge_StatisticsContext {
    pub(crate) data: Mutex<StatData>,
}

impl WasmEdge_StatisticsContext {
    pub(crate) fn new() -> Self {
        WasmEdge_StatisticsContext {
            data: Mutex::new(StatData {
                instr_count: 0,
                total_cost: 0,
                wasm_time: Duration::ZERO,
                cost_table: None,
                cost_limit: u64::MAX,
            }),
        }
    }

    pub(crate) fn get(&self) -> MutexGuard<'_, StatData> {
        self.data.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Creates a statistics context.
#[unsafe(no_mangle)]
pub extern "C" fn WasmEdge_StatisticsCreate() -> *mut WasmEdge_StatisticsContext {
    guard(std::ptr::null_mut(), || {
        Box::into_raw(Box::new(WasmEdge_StatisticsContext::new()))
    })
}

macro_rules! stat_get {
    ($(#[$doc:meta])* fn $name:ident -> $ret:ty, $body:expr) => {
        $(#[$doc])*
        ///
        /// # Safety
        /// `cxt` must be NULL or a live statistics context.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name(cxt: *const WasmEdge_StatisticsContext) -> $ret {
            guard(<$ret>::default(), || {
                // SAFETY: the caller passes NULL or a live context.
                match unsafe { cxt.as_ref() } {
                    Some(s) => {
                        let f: &dyn Fn(&StatData) -> $ret = &$body;
                        f(&s.get())
                    }
                    None => <$ret>::default(),
                }
            })
        }
    };
}

stat_get!(
    /// Instructions executed.
    fn WasmEdge_StatisticsGetInstrCount -> u64, |d| d.instr_count
);
stat_get!(
    /// Instructions per second of wasm time, as WasmEdge divides them: NaN before anything ran
    /// (0 / 0), infinite for instructions counted in no measured time.
    fn WasmEdge_StatisticsGetInstrPerSecond -> f64, |d| d.instr_count as f64 / d.wasm_time.as_secs_f64()
);
stat_get!(
    /// Cost charged.
    fn WasmEdge_StatisticsGetTotalCost -> u64, |d| d.total_cost
);

/// Sets the cost table: `len` entries indexed by WasmEdge's opcode ordinal; the rest cost 0.
/// It applies to modules instantiated after it is set.
///
/// # Safety
/// `cxt` must be NULL or a live statistics context; `table` NULL or `len` readable entries.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_StatisticsSetCostTable(
    cxt: *mut WasmEdge_StatisticsContext,
    table: *const u64,
    len: u32,
) {
    guard((), || {
        // SAFETY: the caller passes NULL or a live context.
        let Some(s) = (unsafe { cxt.as_ref() }) else {
            return;
        };
        let mut costs = vec![0u64; wedge::metering::OPCODES.len().max(len as usize)];
        if !table.is_null() {
            // SAFETY: `table` holds `len` readable entries (the caller's contract).
            let src = unsafe { std::slice::from_raw_parts(table, len as usize) };
            costs[..src.len()].copy_from_slice(src);
        }
        s.get().cost_table = Some(costs);
    })
}

/// Sets the cost limit (applies to calls made after it is set).
///
/// # Safety
/// `cxt` must be NULL or a live statistics context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_StatisticsSetCostLimit(
    cxt: *mut WasmEdge_StatisticsContext,
    limit: u64,
) {
    guard((), || {
        // SAFETY: the caller passes NULL or a live context.
        if let Some(s) = unsafe { cxt.as_ref() } {
            s.get().cost_limit = limit;
        }
    })
}

/// Resets the count, the cost and the timers.
///
/// # Safety
/// `cxt` must be NULL or a live statistics context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_StatisticsClear(cxt: *mut WasmEdge_StatisticsContext) {
    guard((), || {
        // SAFETY: the caller passes NULL or a live context.
        if let Some(s) = unsafe { cxt.as_ref() } {
            let mut d = s.get();
            d.instr_count = 0;
            d.total_cost = 0;
            d.wasm_time = Duration::ZERO;
        }
    })
}

/// Deletes a statistics context.
///
/// # Safety
/// `cxt` must be NULL or an owned statistics context.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_StatisticsDelete(cxt: *mut WasmEdge_StatisticsContext) {
    // SAFETY: forwarded to the caller.
    unsafe { ffi::delete(cxt) }
}
