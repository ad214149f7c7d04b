//! Engine configuration: the WebAssembly feature set and resource limits.

use crate::metering::MeterConfig;
use wasmparser::WasmFeatures;

/// A WebAssembly proposal that can be switched on or off, named as WasmEdge's flags name it.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Proposal {
    /// Import/export of mutable globals (Wasm 1.0).
    MutableGlobals,
    /// Non-trapping float-to-int conversions (Wasm 2.0).
    NonTrapFloatToInt,
    /// Sign-extension operators (Wasm 2.0).
    SignExtension,
    /// Multi-value (Wasm 2.0).
    MultiValue,
    /// Bulk memory operations (Wasm 2.0).
    BulkMemory,
    /// Reference types (Wasm 2.0).
    ReferenceTypes,
    /// Fixed-width SIMD (Wasm 2.0).
    Simd,
    /// Tail calls (Wasm 3.0).
    TailCall,
    /// Extended constant expressions (Wasm 3.0).
    ExtendedConst,
    /// Typed function references (Wasm 3.0).
    FunctionReferences,
    /// Garbage collection (Wasm 3.0).
    Gc,
    /// Multiple memories (Wasm 3.0).
    MultiMemory,
    /// Relaxed SIMD (Wasm 3.0).
    RelaxedSimd,
    /// Exception handling (Wasm 3.0).
    ExceptionHandling,
    /// 64-bit memories (Wasm 3.0).
    Memory64,
    /// Threads: shared memories and atomics.
    Threads,
}

impl Proposal {
    /// Every proposal.
    pub const ALL: [Proposal; 16] = [
        Proposal::MutableGlobals,
        Proposal::NonTrapFloatToInt,
        Proposal::SignExtension,
        Proposal::MultiValue,
        Proposal::BulkMemory,
        Proposal::ReferenceTypes,
        Proposal::Simd,
        Proposal::TailCall,
        Proposal::ExtendedConst,
        Proposal::FunctionReferences,
        Proposal::Gc,
        Proposal::MultiMemory,
        Proposal::RelaxedSimd,
        Proposal::ExceptionHandling,
        Proposal::Memory64,
        Proposal::Threads,
    ];

    /// The name WasmEdge's `--enable-NAME` / `--disable-NAME` flags use.
    pub fn flag_name(self) -> &'static str {
        match self {
            Proposal::MutableGlobals => "import-export-mut-globals",
            Proposal::NonTrapFloatToInt => "non-trap-float-to-int",
            Proposal::SignExtension => "sign-extension-operators",
            Proposal::MultiValue => "multi-value",
            Proposal::BulkMemory => "bulk-memory",
            Proposal::ReferenceTypes => "reference-types",
            Proposal::Simd => "simd",
            Proposal::TailCall => "tail-call",
            Proposal::ExtendedConst => "extended-const",
            Proposal::FunctionReferences => "function-reference",
            Proposal::Gc => "gc",
            Proposal::MultiMemory => "multi-memory",
            Proposal::RelaxedSimd => "relaxed-simd",
            Proposal::ExceptionHandling => "exception-handling",
            Proposal::Memory64 => "memory64",
            Proposal::Threads => "threads",
        }
    }

    /// The proposal a flag name designates (accepting WasmEdge's spellings and old aliases).
    pub fn from_flag_name(name: &str) -> Option<Proposal> {
        let p = match name {
            "import-export-mut-globals" | "mutable-globals" => Proposal::MutableGlobals,
            "non-trap-float-to-int" | "saturating-float-to-int" => Proposal::NonTrapFloatToInt,
            "sign-extension-operators" | "sign-extension" => Proposal::SignExtension,
            "multi-value" => Proposal::MultiValue,
            "bulk-memory" => Proposal::BulkMemory,
            "reference-types" => Proposal::ReferenceTypes,
            "simd" => Proposal::Simd,
            "tail-call" => Proposal::TailCall,
            "extended-const" => Proposal::ExtendedConst,
            "function-reference" | "function-references" => Proposal::FunctionReferences,
            "gc" => Proposal::Gc,
            "multi-memory" => Proposal::MultiMemory,
            "relaxed-simd" => Proposal::RelaxedSimd,
            "exception-handling" => Proposal::ExceptionHandling,
            "memory64" => Proposal::Memory64,
            "threads" => Proposal::Threads,
            _ => return None,
        };
        Some(p)
    }

    fn wasmparser_features(self) -> WasmFeatures {
        match self {
            Proposal::MutableGlobals => WasmFeatures::MUTABLE_GLOBAL,
            Proposal::NonTrapFloatToInt => WasmFeatures::SATURATING_FLOAT_TO_INT,
            Proposal::SignExtension => WasmFeatures::SIGN_EXTENSION,
            Proposal::MultiValue => WasmFeatures::MULTI_VALUE,
            Proposal::BulkMemory => WasmFeatures::BULK_MEMORY | WasmFeatures::BULK_MEMORY_OPT,
            Proposal::ReferenceTypes => {
                WasmFeatures::REFERENCE_TYPES | WasmFeatures::CALL_INDIRECT_OVERLONG
            }
            Proposal::Simd => WasmFeatures::SIMD,
            Proposal::TailCall => WasmFeatures::TAIL_CALL,
            Proposal::ExtendedConst => WasmFeatures::EXTENDED_CONST,
            Proposal::FunctionReferences => WasmFeatures::FUNCTION_REFERENCES,
            Proposal::Gc => WasmFeatures::GC,
            Proposal::MultiMemory => WasmFeatures::MULTI_MEMORY,
            Proposal::RelaxedSimd => WasmFeatures::RELAXED_SIMD,
            Proposal::ExceptionHandling => WasmFeatures::EXCEPTIONS,
            Proposal::Memory64 => WasmFeatures::MEMORY64,
            Proposal::Threads => WasmFeatures::THREADS,
        }
    }
}

/// The set of enabled proposals.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Features {
    enabled: [bool; Proposal::ALL.len()],
}

impl Features {
    fn of(list: &[Proposal]) -> Self {
        let mut f = Features {
            enabled: [false; Proposal::ALL.len()],
        };
        for &p in list {
            f.enable(p);
        }
        f
    }

    /// WebAssembly 1.0 (MVP plus mutable-global import/export).
    pub fn wasm1() -> Self {
        Features::of(&[Proposal::MutableGlobals])
    }

    /// WebAssembly 2.0.
    pub fn wasm2() -> Self {
        Features::of(&[
            Proposal::MutableGlobals,
            Proposal::NonTrapFloatToInt,
            Proposal::SignExtension,
            Proposal::MultiValue,
            Proposal::BulkMemory,
            Proposal::ReferenceTypes,
            Proposal::Simd,
        ])
    }

    /// WebAssembly 3.0 (every 3.0 proposal, threads excluded).
    pub fn wasm3() -> Self {
        let mut f = Features::wasm2();
        for p in [
            Proposal::TailCall,
            Proposal::ExtendedConst,
            Proposal::FunctionReferences,
            Proposal::Gc,
            Proposal::MultiMemory,
            Proposal::RelaxedSimd,
            Proposal::ExceptionHandling,
            Proposal::Memory64,
        ] {
            f.enable(p);
        }
        f
    }

    /// Turns a proposal on.
    pub fn enable(&mut self, p: Proposal) -> &mut Self {
        self.enabled[p as usize] = true;
        self
    }

    /// Turns a proposal off.
    pub fn disable(&mut self, p: Proposal) -> &mut Self {
        self.enabled[p as usize] = false;
        self
    }

    /// Whether a proposal is on.
    pub fn is_enabled(&self, p: Proposal) -> bool {
        self.enabled[p as usize]
    }

    /// The feature set wasmparser validates with.
    pub fn to_wasmparser(&self) -> WasmFeatures {
        let mut f = WasmFeatures::MVP;
        for p in Proposal::ALL {
            if self.is_enabled(p) {
                f |= p.wasmparser_features();
            }
        }
        f
    }
}

impl Default for Features {
    /// What Wedge executes today: WebAssembly 2.0 plus tail calls, extended constant
    /// expressions and multiple memories.
    fn default() -> Self {
        let mut f = Features::wasm2();
        f.enable(Proposal::TailCall)
            .enable(Proposal::ExtendedConst)
            .enable(Proposal::MultiMemory);
        f
    }
}

/// Configuration of an [`Engine`](crate::Engine).
#[derive(Clone, Debug)]
pub struct Config {
    pub(crate) features: Features,
    pub(crate) max_call_depth: usize,
    pub(crate) max_stack_values: usize,
    pub(crate) memory_page_limit: u32,
    pub(crate) max_table_elements: u32,
    pub(crate) metering: MeterConfig,
    pub(crate) jit: bool,
    pub(crate) aot: bool,
    pub(crate) code_cache: Option<std::path::PathBuf>,
    pub(crate) opt_level: OptLevel,
    pub(crate) generic_cpu: bool,
    pub(crate) max_native_stack: usize,
}

/// How hard the compiler optimizes (`wedge compile --optimize`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum OptLevel {
    /// No optimization: the fastest compile (`--optimize 0`).
    None,
    /// Optimize for speed (the default; `--optimize 1|2|3`).
    #[default]
    Speed,
    /// Optimize for speed and size (`--optimize s|z`).
    SpeedAndSize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            features: Features::default(),
            max_call_depth: 100_000,
            max_stack_values: 16 << 20,
            memory_page_limit: 65536,
            max_table_elements: 10_000_000,
            metering: MeterConfig::default(),
            jit: false,
            aot: false,
            code_cache: None,
            opt_level: OptLevel::Speed,
            generic_cpu: false,
            max_native_stack: 512 << 10,
        }
    }
}

impl Config {
    /// The default configuration.
    pub fn new() -> Self {
        Config::default()
    }

    /// Compiles every module to native code with Cranelift (WasmEdge's `--run-mode jit`). A module
    /// Cranelift cannot compile yet (SIMD, tail calls) runs in the interpreter, and compiled and
    /// interpreted functions call each other freely. Interrupts and deadlines stop compiled code
    /// too (at function entries and loop heads). Compiled code counts instructions and charges
    /// costs against the cost limit exactly as the interpreter does (the same statistics, the
    /// same error at the same operator), at some cost in speed. Without the `cranelift` feature
    /// this has no effect.
    pub fn jit(&mut self, on: bool) -> &mut Self {
        self.jit = on;
        self
    }

    /// Whether modules are compiled (see [`Config::jit`]).
    pub fn is_jit(&self) -> bool {
        self.jit && cfg!(feature = "cranelift")
    }

    /// Runs the native code `wedge compile` (or [`Engine::precompile`](crate::Engine::precompile))
    /// put into a module — a *universal wasm* — when it was made for this CPU and this
    /// configuration (WasmEdge's `--run-mode aot`). A module without usable native code is
    /// compiled if [`Config::jit`] is on and interpreted otherwise;
    /// [`Module::native_code`](crate::Module::native_code) says what happened and why.
    /// The native code is trusted like a native library: load only files you trust.
    /// Without the `cranelift` feature this has no effect.
    pub fn aot(&mut self, on: bool) -> &mut Self {
        self.aot = on;
        self
    }

    /// Whether native code in universal wasm files is used (see [`Config::aot`]).
    pub fn is_aot(&self) -> bool {
        self.aot && cfg!(feature = "cranelift")
    }

    /// Keeps JIT-compiled code in `dir` (created if needed), keyed by a hash of the module and
    /// of everything that decides the code (compiler version, CPU features, settings), so a
    /// module loaded again is not compiled again. `None` (the default) compiles every time.
    /// Entries are written atomically; a damaged or foreign entry is ignored and replaced;
    /// past [`CACHE_LIMIT`](crate::aot::CACHE_LIMIT) bytes the least recently used entries
    /// are removed. Entries are native code: the directory must be as trusted as the program.
    pub fn code_cache(&mut self, dir: Option<std::path::PathBuf>) -> &mut Self {
        self.code_cache = dir;
        self
    }

    /// How hard the compiler optimizes (default [`OptLevel::Speed`]).
    pub fn opt_level(&mut self, level: OptLevel) -> &mut Self {
        self.opt_level = level;
        self
    }

    /// Compiles for the architecture's baseline CPU instead of using every feature of this
    /// one (`wedge compile --generic-binary`), so the code runs on any CPU of the
    /// architecture.
    pub fn generic_cpu(&mut self, on: bool) -> &mut Self {
        self.generic_cpu = on;
        self
    }

    /// How much native stack compiled code may use below the point where the host called into
    /// wasm; deeper recursion traps with "call stack exhausted". Default 512 KiB.
    pub fn max_native_stack(&mut self, bytes: usize) -> &mut Self {
        self.max_native_stack = bytes;
        self
    }

    /// The enabled proposals.
    pub fn features(&self) -> &Features {
        &self.features
    }

    /// The enabled proposals, to change them.
    pub fn features_mut(&mut self) -> &mut Features {
        &mut self.features
    }

    /// Replaces the feature set.
    pub fn set_features(&mut self, features: Features) -> &mut Self {
        self.features = features;
        self
    }

    /// The deepest guest call nesting before "call stack exhausted" (default 100 000).
    pub fn max_call_depth(&mut self, depth: usize) -> &mut Self {
        self.max_call_depth = depth.max(1);
        self
    }

    /// The most 16-byte value cells the guest's value stack may use (default 16 Mi, 256 MiB).
    pub fn max_stack_values(&mut self, cells: usize) -> &mut Self {
        self.max_stack_values = cells.max(1024);
        self
    }

    /// The most 64 KiB pages any memory may have (default 65536, the whole 32-bit space).
    pub fn memory_page_limit(&mut self, pages: u32) -> &mut Self {
        self.memory_page_limit = pages.min(65536);
        self
    }

    /// The most elements any table may have (default 10 million).
    pub fn max_table_elements(&mut self, n: u32) -> &mut Self {
        self.max_table_elements = n;
        self
    }

    /// Counts executed wasm instructions, as WasmEdge's instruction counting does (default off);
    /// read the count with [`Store::statistics`](crate::Store::statistics).
    pub fn count_instructions(&mut self, on: bool) -> &mut Self {
        self.metering.count = on;
        self
    }

    /// Charges each executed operator its cost from the [cost table](Config::cost_table) and
    /// stops the guest with [`TrapCode::CostLimitExceeded`](crate::TrapCode::CostLimitExceeded)
    /// when the store's cost limit would be passed (default off).
    pub fn measure_cost(&mut self, on: bool) -> &mut Self {
        self.metering.cost = on;
        self
    }

    /// Measures time spent in wasm code and in host functions (default off).
    pub fn measure_time(&mut self, on: bool) -> &mut Self {
        self.metering.time = on;
        self
    }

    /// Sets the cost of each operator, indexed by WasmEdge's opcode ordinal
    /// ([`metering::OPCODES`](crate::metering::OPCODES)); operators past the end of `costs`
    /// cost 0, as with WasmEdge's `StatisticsSetCostTable`. The default charges 1 each.
    pub fn cost_table(&mut self, costs: &[u64]) -> &mut Self {
        self.metering.costs = costs.into();
        self
    }

    /// The cost limit each new store starts with (default `u64::MAX`, no limit); see
    /// [`Store::set_cost_limit`](crate::Store::set_cost_limit).
    pub fn cost_limit(&mut self, limit: u64) -> &mut Self {
        self.metering.cost_limit = limit;
        self
    }

    /// Makes guest code check for interrupts at function entries and loop heads, so that an
    /// [`InterruptHandle`](crate::InterruptHandle) or a [deadline](crate::Store::set_deadline)
    /// can stop it (default off: without it, a running guest cannot be stopped).
    pub fn interruptible(&mut self, on: bool) -> &mut Self {
        self.metering.interruptible = on;
        self
    }
}
