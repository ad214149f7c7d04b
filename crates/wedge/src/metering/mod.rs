//! Metering, as WasmEdge's statistics do it: counting executed wasm instructions, charging a
//! cost per operator against a limit, measuring wasm and host time, and stopping a running
//! guest at a deadline or on request.
//!
//! Everything here is opt-in through [`Config`](crate::Config): with no option on, the
//! translator emits no metering instructions and the interpreter runs exactly as without this
//! module. Counts follow WasmEdge's interpreter, which counts every operator it dispatches:
//!
//! * every operator on the path taken counts, `block`, `loop`, `end` and `nop` included, and so
//!   does the function's final `end` when control reaches it (a `return` skips it);
//! * a branch to a block lands on (and counts) the block's `end`; a branch to a loop lands on
//!   (and counts) the `loop` again; a branch out of the function counts the function's `end`;
//! * an `if` whose condition is false counts the `else` (charged as `else`) when there is one,
//!   and the `end` when there is none; a then-branch that runs into its `else` counts the `else`
//!   charged as `end`, then the `end`;
//! * constant expressions evaluated at instantiation count too (each with its `end`);
//! * a trapping operator counts; the operator that would pass the cost limit counts but adds no
//!   cost, and the total is left as it was before it.
//!
//! One deviation: WasmEdge charges an `else` taken from a false `if`, and host functions' costs,
//! even when neither counting nor cost measuring is on (only time measuring); Wedge counts and
//! charges only what is switched on.
//!
//! Cost tables are indexed by WasmEdge's opcode ordinals ([`OPCODES`]), not by binary encodings.

pub(crate) mod interrupt;
pub(crate) mod regions;

pub use interrupt::InterruptHandle;
pub use wedge_environ::opcodes::OPCODES;
pub(crate) use wedge_environ::opcodes::{self, named, ordinal_at};

use interrupt::{ArmedDeadline, InterruptFlag};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The cost-table index of the operator with text name `name` (`"i32.add"`); names that
/// WasmEdge gives to two encodings (`select`) give the first.
///
/// ```
/// assert_eq!(wedge::metering::ordinal("unreachable"), Some(0));
/// assert_eq!(wedge::metering::ordinal("end"), Some(8));
/// ```
pub fn ordinal(name: &str) -> Option<u16> {
    OPCODES
        .iter()
        .position(|&(n, _, _)| n == name)
        .map(|i| i as u16)
}

/// The ordinal of a constant-expression operator.
fn const_op_ordinal(op: &wedge_environ::ConstOp) -> u16 {
    use wedge_environ::ConstOp;
    let (prefix, code) = match op {
        ConstOp::I32Const(_) => (0, 0x41),
        ConstOp::I64Const(_) => (0, 0x42),
        ConstOp::F32Const(_) => (0, 0x43),
        ConstOp::F64Const(_) => (0, 0x44),
        ConstOp::V128Const(_) => (0xFD, 12),
        ConstOp::GlobalGet(_) => (0, 0x23),
        ConstOp::RefNull(_) => (0, 0xD0),
        ConstOp::RefFunc(_) => (0, 0xD2),
        ConstOp::I32Add => (0, 0x6A),
        ConstOp::I32Sub => (0, 0x6B),
        ConstOp::I32Mul => (0, 0x6C),
        ConstOp::I64Add => (0, 0x7C),
        ConstOp::I64Sub => (0, 0x7D),
        ConstOp::I64Mul => (0, 0x7E),
    };
    opcodes::ordinal(prefix, code).unwrap_or(0)
}

/// What a store's metering has measured: WasmEdge's statistics object.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Statistics {
    /// Wasm instructions executed (with [`Config::count_instructions`](crate::Config::count_instructions)).
    pub instr_count: u64,
    /// Cost charged (with [`Config::measure_cost`](crate::Config::measure_cost)).
    pub total_cost: u64,
    /// Time spent in wasm code (with [`Config::measure_time`](crate::Config::measure_time)).
    pub wasm_time: Duration,
    /// Time spent in host functions called from wasm.
    pub host_time: Duration,
}

impl Statistics {
    /// Wasm and host time together.
    pub fn total_time(&self) -> Duration {
        self.wasm_time + self.host_time
    }

    /// Instructions per second of wasm time (NaN when nothing ran, as in WasmEdge).
    pub fn instr_per_second(&self) -> f64 {
        self.instr_count as f64 / self.wasm_time.as_secs_f64()
    }
}

/// The metering options of a [`Config`](crate::Config).
#[derive(Clone, Debug)]
pub(crate) struct MeterConfig {
    pub(crate) count: bool,
    pub(crate) cost: bool,
    pub(crate) time: bool,
    pub(crate) interruptible: bool,
    /// Cost of each operator by ordinal; ordinals past the end cost 0.
    pub(crate) costs: Arc<[u64]>,
    /// The limit a new store starts with.
    pub(crate) cost_limit: u64,
}

impl Default for MeterConfig {
    fn default() -> Self {
        MeterConfig {
            count: false,
            cost: false,
            time: false,
            interruptible: false,
            costs: vec![1; OPCODES.len()].into(),
            cost_limit: u64::MAX,
        }
    }
}

impl MeterConfig {
    /// Whether the translator emits charging instructions.
    pub(crate) fn charges(&self) -> bool {
        self.count || self.cost
    }
}

/// A store's metering state.
#[derive(Debug)]
pub(crate) struct Meter {
    pub(crate) instr_count: u64,
    pub(crate) total_cost: u64,
    pub(crate) cost_limit: u64,
    wasm_time: Duration,
    host_time: Duration,
    /// Measure time (from the config).
    time: bool,
    /// Charge host functions' costs (from the config).
    cost: bool,
    /// Count instructions (from the config).
    #[cfg_attr(
        not(feature = "cranelift"),
        allow(dead_code, reason = "read by compiled code's entry")
    )]
    count: bool,
    /// Calls in progress: only the outermost one is timed and watched.
    depth: u32,
    /// A host function is being timed.
    in_host: bool,
    pub(crate) interrupt: Arc<InterruptFlag>,
    deadline: Option<Instant>,
    /// The outermost call's deadline, watched while it runs (kept here rather than in the
    /// call's frame so that [`Meter::abandon_calls`] can disarm it).
    armed: Option<ArmedDeadline>,
}

/// What the outermost call started with.
pub(crate) struct TopCall {
    start: Option<Instant>,
    host_before: Duration,
}

impl Meter {
    pub(crate) fn new(config: &MeterConfig) -> Self {
        Meter {
            instr_count: 0,
            total_cost: 0,
            cost_limit: config.cost_limit,
            wasm_time: Duration::ZERO,
            host_time: Duration::ZERO,
            time: config.time,
            cost: config.cost,
            count: config.count,
            depth: 0,
            in_host: false,
            interrupt: Arc::default(),
            deadline: None,
            armed: None,
        }
    }

    /// Entering compiled code (or returning to it from the host or the interpreter): it
    /// charges into `limits` from here on.
    #[cfg(feature = "cranelift")]
    pub(crate) fn enter_compiled(&self, limits: &mut crate::vm::VMRuntimeLimits) {
        limits.cost_left = self.cost_limit.saturating_sub(self.total_cost);
        limits.instr_count = self.instr_count.wrapping_add(limits.cost_left);
        limits.total_cost_base = self.total_cost;
        limits.cost_left_base = limits.cost_left;
    }

    /// Leaving compiled code (returning, or calling the host or the interpreter): takes over
    /// what it charged.
    #[cfg(feature = "cranelift")]
    pub(crate) fn take_from_compiled(&mut self, limits: &crate::vm::VMRuntimeLimits) {
        if self.count {
            self.instr_count = limits.instr_count.wrapping_sub(limits.cost_left);
        }
        self.total_cost = limits.total_cost_base + (limits.cost_left_base - limits.cost_left);
    }

    /// Before compiled code goes on (entering it, or returning to it from a host function):
    /// when the total already exceeds the limit (a host function lowered it), the next
    /// operator fails, counted at no cost, as in the interpreter, whose next charge fails.
    /// Compiled code itself never passes the limit, so it need not check this.
    #[cfg(feature = "cranelift")]
    pub(crate) fn check_not_over(&mut self) -> Result<(), wedge_environ::TrapCode> {
        if self.cost && self.total_cost > self.cost_limit {
            if self.count {
                self.instr_count += 1;
            }
            return Err(wedge_environ::TrapCode::CostLimitExceeded);
        }
        Ok(())
    }

    pub(crate) fn statistics(&self) -> Statistics {
        Statistics {
            instr_count: self.instr_count,
            total_cost: self.total_cost,
            wasm_time: self.wasm_time,
            host_time: self.host_time,
        }
    }

    pub(crate) fn reset(&mut self) {
        self.instr_count = 0;
        self.total_cost = 0;
        self.wasm_time = Duration::ZERO;
        self.host_time = Duration::ZERO;
    }

    pub(crate) fn interrupt_handle(&self) -> InterruptHandle {
        InterruptHandle {
            flag: self.interrupt.clone(),
        }
    }

    /// The interrupt handle if anything else can raise the flag: the meter holds one reference
    /// to it, and every [`InterruptHandle`] and armed deadline one more.
    pub(crate) fn armed_interrupt_handle(&self) -> Option<InterruptHandle> {
        (Arc::strong_count(&self.interrupt) > 1).then(|| self.interrupt_handle())
    }

    pub(crate) fn set_deadline(&mut self, deadline: Option<Instant>) {
        self.deadline = deadline;
    }

    /// Enters a call; for the outermost one, starts its clock and watches its deadline.
    #[inline]
    pub(crate) fn enter(&mut self) -> Option<TopCall> {
        self.depth += 1;
        if self.depth > 1 || !(self.time || self.deadline.is_some()) {
            return None;
        }
        Some(self.enter_top())
    }

    #[cold]
    fn enter_top(&mut self) -> TopCall {
        self.armed = self.deadline.map(|at| interrupt::arm(at, &self.interrupt));
        TopCall {
            start: self.time.then(Instant::now),
            host_before: self.host_time,
        }
    }

    /// Leaves a call entered with [`Meter::enter`].
    #[inline]
    pub(crate) fn leave(&mut self, top: Option<TopCall>) {
        self.depth -= 1;
        if self.depth == 0 {
            self.in_host = false;
        }
        if let Some(top) = top {
            self.leave_top(top);
        }
    }

    #[cold]
    fn leave_top(&mut self, top: TopCall) {
        self.armed = None;
        if let Some(start) = top.start {
            let host = self.host_time - top.host_before;
            self.wasm_time += start.elapsed().saturating_sub(host);
        }
    }

    /// Whether a call into the store is running (or was left without returning).
    pub(crate) fn in_call(&self) -> bool {
        self.depth > 0
    }

    /// Forgets the calls entered and never left (see `Store::forget_abandoned_calls`):
    /// no call runs afterwards, and their deadline no longer fires.
    pub(crate) fn abandon_calls(&mut self) {
        self.depth = 0;
        self.in_host = false;
        self.armed = None;
    }

    /// Charges a host function's cost before it runs.
    #[inline]
    pub(crate) fn charge_host(&mut self, cost: u64) -> Result<(), wedge_environ::TrapCode> {
        if self.cost && cost != 0 {
            match self.total_cost.checked_add(cost) {
                Some(sum) if sum <= self.cost_limit => self.total_cost = sum,
                _ => return Err(wedge_environ::TrapCode::CostLimitExceeded),
            }
        }
        Ok(())
    }

    /// Starts timing a host function, unless one is being timed already.
    #[inline]
    pub(crate) fn host_start(&mut self) -> Option<Instant> {
        if self.time && !self.in_host {
            self.in_host = true;
            Some(Instant::now())
        } else {
            None
        }
    }

    /// Stops timing a host function started with [`Meter::host_start`].
    #[inline]
    pub(crate) fn host_end(&mut self, start: Option<Instant>) {
        if let Some(start) = start {
            self.host_time += start.elapsed();
            self.in_host = false;
        }
    }

    /// Charges the constant expressions instantiating `info` evaluates, each with its `end`,
    /// in WasmEdge's order: globals, tables, element segments (items, then the offset of an
    /// active one), active data segments' offsets.
    pub(crate) fn charge_instantiation(
        &mut self,
        config: &MeterConfig,
        info: &wedge_environ::ModuleInfo,
    ) -> Result<(), wedge_environ::TrapCode> {
        use wedge_environ::{DataMode, ElemMode};
        if !config.charges() {
            return Ok(());
        }
        let globals = info.global_inits.iter();
        let tables = info.table_inits.iter().flatten();
        let elems = info.elems.iter().flat_map(|seg| {
            let offset = match &seg.mode {
                ElemMode::Active { offset, .. } => Some(offset),
                _ => None,
            };
            seg.items.iter().chain(offset)
        });
        let datas = info.datas.iter().filter_map(|seg| match &seg.mode {
            DataMode::Active { offset, .. } => Some(offset),
            _ => None,
        });
        for expr in globals.chain(tables).chain(elems).chain(datas) {
            self.charge_const_expr(config, expr.ops.iter().map(const_op_ordinal))?;
        }
        Ok(())
    }

    /// Charges a constant expression of operators `ordinals` and its `end`.
    fn charge_const_expr(
        &mut self,
        config: &MeterConfig,
        ordinals: impl Iterator<Item = u16>,
    ) -> Result<(), wedge_environ::TrapCode> {
        for ord in ordinals.chain(std::iter::once(named::END)) {
            if config.count {
                self.instr_count += 1;
            }
            if config.cost {
                let cost = config.costs.get(ord as usize).copied().unwrap_or(0);
                match self.total_cost.checked_add(cost) {
                    Some(sum) if sum <= self.cost_limit => self.total_cost = sum,
                    _ => return Err(wedge_environ::TrapCode::CostLimitExceeded),
                }
            }
        }
        Ok(())
    }
}
