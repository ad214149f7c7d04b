//! Metered regions: how the translator charges wasm operators in bulk, and how the executor
//! finds the exact operator where a cost limit runs out.
//!
//! WasmEdge counts and charges every wasm operator as it dispatches it. Wedge charges a whole
//! straight-line run of operators (a *region*) with one instruction at its start: regions begin
//! at branch targets (loop heads, block ends that a branch reaches, the start of an `else`) and
//! after branches and calls, so every operator of a region runs once the region is entered,
//! unless one of them traps. When a region's charge would pass the limit, the executor's cold
//! path works out how many of its operators still fit, runs exactly their instructions and
//! then fails, so side effects, trap codes and statistics are those of per-operator metering.

use std::ops::Range;

/// Builds a function's [`RegionMap`] during translation.
#[derive(Debug)]
pub(crate) struct RegionBuilder<'a> {
    /// Cost of each operator by ordinal; operators past the end cost nothing.
    costs: &'a [u64],
    count: bool,
    cost: bool,
    /// Whether a region is open: operators charged now belong to it.
    open: bool,
    op_of: Vec<u32>,
    ops: Vec<(u32, u64)>,
    regions: Vec<(u32, u32)>,
}

/// What the executor needs to know about a function's regions, on its cold paths only.
#[derive(Debug)]
pub(crate) struct RegionMap {
    /// For each IR instruction, the index in `ops` of the operator it was emitted for.
    op_of: Box<[u32]>,
    /// The (count, cost) each charged operator adds, in translation order.
    ops: Box<[(u32, u64)]>,
    /// Each region: (index of its charging instruction, index in `ops` of its first operator).
    regions: Box<[(u32, u32)]>,
}

impl<'a> RegionBuilder<'a> {
    /// A builder charging `costs[ordinal]` per operator if `cost`, and 1 if `count`.
    pub(crate) fn new(costs: &'a [u64], count: bool, cost: bool) -> Self {
        RegionBuilder {
            costs,
            count,
            cost,
            open: false,
            op_of: Vec::new(),
            ops: Vec::new(),
            regions: Vec::new(),
        }
    }

    /// Whether cost is measured (a limit applies).
    pub(crate) fn measures_cost(&self) -> bool {
        self.cost
    }

    /// Whether a region is open.
    pub(crate) fn is_open(&self) -> bool {
        self.open
    }

    /// Opens a region whose charging instruction is instruction `at`.
    pub(crate) fn open(&mut self, at: usize) {
        self.regions.push((at as u32, self.ops.len() as u32));
        self.open = true;
    }

    /// Closes the open region; the next operator charged needs a new one.
    pub(crate) fn close(&mut self) {
        self.open = false;
    }

    /// Charges operator `ordinal` (dispatched normally) to the open region.
    pub(crate) fn charge(&mut self, ordinal: u16) {
        debug_assert!(self.open, "charging with no open region");
        let cost = self.costs.get(ordinal as usize).copied().unwrap_or(0);
        self.ops
            .push((u32::from(self.count), if self.cost { cost } else { 0 }));
    }

    /// Records that instruction `at` was emitted for the latest operator charged.
    pub(crate) fn emitted(&mut self, at: usize) {
        debug_assert_eq!(at, self.op_of.len());
        self.op_of.push(self.ops.len().saturating_sub(1) as u32);
    }

    /// Records that instruction `at` now belongs to the latest operator charged (a comparison
    /// fused into the branch that follows it).
    pub(crate) fn retag(&mut self, at: usize) {
        self.op_of[at] = self.ops.len().saturating_sub(1) as u32;
    }

    /// The regions' charging instructions with what each charges: (instruction index, count,
    /// cost).
    pub(crate) fn finish(self) -> (RegionMap, Vec<(usize, u32, u64)>) {
        let mut charges = Vec::with_capacity(self.regions.len());
        for (r, &(at, _)) in self.regions.iter().enumerate() {
            let (count, cost) = self.ops[ops_range(&self.regions, self.ops.len(), r)]
                .iter()
                .fold((0u32, 0u64), |(n, c), &(dn, dc)| {
                    (n.saturating_add(dn), c.saturating_add(dc))
                });
            charges.push((at as usize, count, cost));
        }
        let map = RegionMap {
            op_of: self.op_of.into_boxed_slice(),
            ops: self.ops.into_boxed_slice(),
            regions: self.regions.into_boxed_slice(),
        };
        (map, charges)
    }
}

fn ops_range(regions: &[(u32, u32)], num_ops: usize, r: usize) -> Range<usize> {
    let start = regions[r].1 as usize;
    let end = regions.get(r + 1).map_or(num_ops, |&(_, s)| s as usize);
    start..end
}

/// Where a region's charge passed the limit.
#[derive(Debug)]
pub(crate) struct Exhausted {
    /// Instructions to run before failing: those of the operators that still fit.
    pub(crate) prefix: Range<usize>,
    /// The instruction count to add: the operators that fit and the one that did not.
    pub(crate) count: u64,
    /// The cost to add: the operators that fit.
    pub(crate) cost: u64,
    /// The operator that did not fit.
    pub(crate) failed_op: u32,
}

impl RegionMap {
    /// The region whose charging instruction is instruction `at`.
    fn region_charged_at(&self, at: usize) -> Option<usize> {
        self.regions
            .binary_search_by_key(&(at as u32), |&(a, _)| a)
            .ok()
    }

    fn ops_range(&self, r: usize) -> Range<usize> {
        ops_range(&self.regions, self.ops.len(), r)
    }

    /// The operator instruction `at` was emitted for.
    pub(crate) fn op_of(&self, at: usize) -> u32 {
        self.op_of.get(at).copied().unwrap_or(0)
    }

    /// How the region charged at instruction `at` runs out when `spent` of `limit` is spent:
    /// operators are charged one by one until one would take the total past the limit.
    pub(crate) fn exhaust(&self, at: usize, spent: u64, limit: u64) -> Option<Exhausted> {
        let ops = self.ops_range(self.region_charged_at(at)?);
        let mut cost = 0u64;
        let mut count = 0u64;
        let mut failed_op = ops.end;
        for i in ops.clone() {
            let (n, c) = self.ops[i];
            count += u64::from(n);
            match cost.checked_add(c) {
                Some(sum) if spent.checked_add(sum).is_some_and(|total| total <= limit) => {
                    cost = sum
                }
                _ => {
                    failed_op = i;
                    break;
                }
            }
        }
        // The operators' instructions come in operator order, right after the charge.
        let end = (at + 1..self.op_of.len())
            .find(|&i| self.op_of[i] as usize >= failed_op)
            .unwrap_or(self.op_of.len());
        Some(Exhausted {
            prefix: at + 1..end,
            count,
            cost,
            failed_op: failed_op as u32,
        })
    }

    /// The (count, cost) charged in advance for the operators after `op` in its region, which
    /// did not run because instruction `at` (emitted for `op`) trapped. Zero if the region's
    /// charge had not run yet.
    pub(crate) fn unrun(&self, at: usize, op: u32) -> (u64, u64) {
        let r = self
            .regions
            .partition_point(|&(_, first)| first <= op)
            .saturating_sub(1);
        let Some(&(charged_at, _)) = self.regions.get(r) else {
            return (0, 0);
        };
        if charged_at as usize > at {
            return (0, 0);
        }
        self.sum(op as usize + 1..self.ops_range(r).end)
    }

    /// The (count, cost) of operators `ops`.
    pub(crate) fn sum(&self, ops: Range<usize>) -> (u64, u64) {
        self.ops[ops].iter().fold((0, 0), |(n, c), &(dn, dc)| {
            (n + u64::from(dn), c.saturating_add(dc))
        })
    }
}
