//! Metering: instruction counts, costs and the cost limit as WasmEdge's interpreter has them,
//! time limits and interrupts, statistics.
//!
//! The expected counts come from [`Flat`], a small model of WasmEdge's interpreter loop written
//! for these tests: it walks a function's operators one by one with a program counter, counts
//! and charges each before dispatching it, and jumps as WasmEdge does (a branch to a block lands
//! on its `end`, one to a loop on the `loop`, a false `if` on `else` + 1 or on `end`, an `else`
//! reached from the then-branch on the `end`). It knows only the i32 operators these tests use.

use super::{call1, module};
use std::time::{Duration, Instant};
use wasmparser::{BlockType, Operator, Parser, Payload};
use wedge::*;

/// One operator of the model, with its WasmEdge ordinal.
#[derive(Clone, Debug)]
enum Op {
    Unreachable,
    Nop,
    Block(usize),
    Loop(usize),
    If(usize),
    Else,
    End,
    Br(u32),
    BrIf(u32),
    BrTable(Vec<u32>, u32),
    Return,
    Call(u32),
    Drop,
    Select,
    LocalGet(u32),
    LocalSet(u32),
    LocalTee(u32),
    Const(i32),
    Eqz,
    Bin(fn(i32, i32) -> Option<i32>),
    Load(u32),
    Store(u32),
}

struct FlatFunc {
    params: usize,
    results: usize,
    locals: usize,
    ops: Vec<(Op, u16)>,
    /// For block, loop, if and else: the index of the matching `end`; for if: of its `else`.
    end: Vec<usize>,
    els: Vec<Option<usize>>,
}

#[derive(Debug, PartialEq)]
enum Stop {
    Trap(TrapCode),
}

/// The model of WasmEdge's interpreter (see the module docs).
struct Flat {
    funcs: Vec<FlatFunc>,
    exports: Vec<(String, u32)>,
    costs: Vec<u64>,
    limit: u64,
    count: u64,
    cost: u64,
    memory: Vec<u8>,
}

impl Flat {
    fn new(wasm: &[u8]) -> Flat {
        let mut types = Vec::new();
        let mut func_types = Vec::new();
        let mut funcs = Vec::new();
        let mut exports = Vec::new();
        for payload in Parser::new(0).parse_all(wasm) {
            match payload.unwrap() {
                Payload::TypeSection(r) => {
                    for t in r.into_iter_err_on_gc_types() {
                        let t = t.unwrap();
                        types.push((t.params().len(), t.results().len()));
                    }
                }
                Payload::FunctionSection(r) => func_types.extend(r.into_iter().map(Result::unwrap)),
                Payload::ExportSection(r) => {
                    for e in r {
                        let e = e.unwrap();
                        if e.kind == wasmparser::ExternalKind::Func {
                            exports.push((e.name.to_string(), e.index));
                        }
                    }
                }
                Payload::CodeSectionEntry(body) => {
                    let (params, results) = types[func_types[funcs.len()] as usize];
                    let mut locals = params;
                    for l in body.get_locals_reader().unwrap() {
                        locals += l.unwrap().0 as usize;
                    }
                    let mut ops = Vec::new();
                    let mut reader = body.get_operators_reader().unwrap();
                    while !reader.eof() {
                        let (op, offset) = reader.read_with_offset().unwrap();
                        let ord = ordinal_of(&wasm[offset as usize..]);
                        let arity = |bt: BlockType| match bt {
                            BlockType::Empty => 0,
                            BlockType::Type(_) => 1,
                            BlockType::FuncType(t) => types[t as usize].1,
                        };
                        let op = match op {
                            Operator::Unreachable => Op::Unreachable,
                            Operator::Nop => Op::Nop,
                            Operator::Block { blockty } => Op::Block(arity(blockty)),
                            Operator::Loop { .. } => Op::Loop(0),
                            Operator::If { blockty } => Op::If(arity(blockty)),
                            Operator::Else => Op::Else,
                            Operator::End => Op::End,
                            Operator::Br { relative_depth } => Op::Br(relative_depth),
                            Operator::BrIf { relative_depth } => Op::BrIf(relative_depth),
                            Operator::BrTable { targets } => Op::BrTable(
                                targets.targets().map(Result::unwrap).collect(),
                                targets.default(),
                            ),
                            Operator::Return => Op::Return,
                            Operator::Call { function_index } => Op::Call(function_index),
                            Operator::Drop => Op::Drop,
                            Operator::Select => Op::Select,
                            Operator::LocalGet { local_index } => Op::LocalGet(local_index),
                            Operator::LocalSet { local_index } => Op::LocalSet(local_index),
                            Operator::LocalTee { local_index } => Op::LocalTee(local_index),
                            Operator::I32Const { value } => Op::Const(value),
                            Operator::I32Eqz => Op::Eqz,
                            Operator::I32Add => Op::Bin(|a, b| Some(a.wrapping_add(b))),
                            Operator::I32Sub => Op::Bin(|a, b| Some(a.wrapping_sub(b))),
                            Operator::I32Mul => Op::Bin(|a, b| Some(a.wrapping_mul(b))),
                            Operator::I32DivU => {
                                Op::Bin(|a, b| (a as u32).checked_div(b as u32).map(|v| v as i32))
                            }
                            Operator::I32LtS => Op::Bin(|a, b| Some((a < b) as i32)),
                            Operator::I32LtU => {
                                Op::Bin(|a, b| Some(((a as u32) < b as u32) as i32))
                            }
                            Operator::I32GtS => Op::Bin(|a, b| Some((a > b) as i32)),
                            Operator::I32Eq => Op::Bin(|a, b| Some((a == b) as i32)),
                            Operator::I32Ne => Op::Bin(|a, b| Some((a != b) as i32)),
                            Operator::I32And => Op::Bin(|a, b| Some(a & b)),
                            Operator::I32Load { memarg } => Op::Load(memarg.offset as u32),
                            Operator::I32Store { memarg } => Op::Store(memarg.offset as u32),
                            other => panic!("the model does not know {other:?}"),
                        };
                        ops.push((op, ord));
                    }
                    let (mut end, mut els) = (vec![0; ops.len()], vec![None; ops.len()]);
                    let mut open = Vec::new();
                    for (i, (op, _)) in ops.iter().enumerate() {
                        match op {
                            Op::Block(_) | Op::Loop(_) | Op::If(_) => open.push(i),
                            Op::Else => els[*open.last().unwrap()] = Some(i),
                            Op::End => {
                                if let Some(start) = open.pop() {
                                    end[start] = i;
                                    if let Some(e) = els[start] {
                                        end[e] = i;
                                    }
                                }
                            }
                            _ => {}
                        }
                    }
                    funcs.push(FlatFunc {
                        params,
                        results,
                        locals,
                        ops,
                        end,
                        els,
                    });
                }
                _ => {}
            }
        }
        Flat {
            funcs,
            exports,
            costs: vec![1; metering::OPCODES.len()],
            limit: u64::MAX,
            count: 0,
            cost: 0,
            memory: vec![0; 65536],
        }
    }

    /// Counts and charges operator `ord`, as WasmEdge's dispatch loop does before running it.
    fn charge(&mut self, ord: u16) -> Result<(), Stop> {
        self.count += 1;
        self.charge_cost(ord)
    }

    fn charge_cost(&mut self, ord: u16) -> Result<(), Stop> {
        let c = self.costs.get(ord as usize).copied().unwrap_or(0);
        match self.cost.checked_add(c) {
            Some(sum) if sum <= self.limit => {
                self.cost = sum;
                Ok(())
            }
            _ => Err(Stop::Trap(TrapCode::CostLimitExceeded)),
        }
    }

    fn call_export(&mut self, name: &str, args: &[i32]) -> Result<Vec<i32>, Stop> {
        let f = self.exports.iter().find(|(n, _)| n == name).unwrap().1;
        self.call(f, args.to_vec())
    }

    fn call(&mut self, f: u32, args: Vec<i32>) -> Result<Vec<i32>, Stop> {
        let func = &self.funcs[f as usize];
        let (nresults, nlocals) = (func.results, func.locals);
        let mut locals = args;
        locals.resize(nlocals, 0);
        let mut stack: Vec<i32> = Vec::new();
        // (value stack height, branch arity, is loop, index of the block's start)
        let mut labels: Vec<(usize, usize, bool, usize)> = Vec::new();
        let mut pc = 0;
        loop {
            let (op, ord) = self.funcs[f as usize].ops[pc].clone();
            self.charge(ord)?;
            let mut branch = None;
            match op {
                Op::Unreachable => return Err(Stop::Trap(TrapCode::Unreachable)),
                Op::Nop => {}
                Op::Block(n) => labels.push((stack.len(), n, false, pc)),
                Op::Loop(n) => labels.push((stack.len(), n, true, pc)),
                Op::If(n) => {
                    let c = stack.pop().unwrap();
                    labels.push((stack.len(), n, false, pc));
                    if c == 0 {
                        let func = &self.funcs[f as usize];
                        match func.els[pc] {
                            Some(e) => {
                                // Counts and charges the `else` it jumps over.
                                self.charge(ELSE)?;
                                pc = e;
                            }
                            None => pc = func.end[pc] - 1,
                        }
                    }
                }
                Op::Else => {
                    // The then-branch ran into `else`: charged as an `end`, then on to `end`.
                    self.cost -= self.costs[ELSE as usize];
                    self.charge_cost(END)?;
                    pc = self.funcs[f as usize].end[pc] - 1;
                }
                Op::End => {
                    if labels.pop().is_none() {
                        return Ok(stack.split_off(stack.len() - nresults));
                    }
                }
                Op::Br(d) => branch = Some(d),
                Op::BrIf(d) => {
                    if stack.pop().unwrap() != 0 {
                        branch = Some(d);
                    }
                }
                Op::BrTable(targets, default) => {
                    let i = stack.pop().unwrap() as u32 as usize;
                    branch = Some(targets.get(i).copied().unwrap_or(default));
                }
                Op::Return => return Ok(stack.split_off(stack.len() - nresults)),
                Op::Call(g) => {
                    let n = self.funcs[g as usize].params;
                    let args = stack.split_off(stack.len() - n);
                    let r = self.call(g, args)?;
                    stack.extend(r);
                }
                Op::Drop => {
                    stack.pop();
                }
                Op::Select => {
                    let c = stack.pop().unwrap();
                    let b = stack.pop().unwrap();
                    let a = stack.pop().unwrap();
                    stack.push(if c != 0 { a } else { b });
                }
                Op::LocalGet(i) => stack.push(locals[i as usize]),
                Op::LocalSet(i) => locals[i as usize] = stack.pop().unwrap(),
                Op::LocalTee(i) => locals[i as usize] = *stack.last().unwrap(),
                Op::Const(v) => stack.push(v),
                Op::Eqz => {
                    let a = stack.pop().unwrap();
                    stack.push((a == 0) as i32);
                }
                Op::Bin(op) => {
                    let b = stack.pop().unwrap();
                    let a = stack.pop().unwrap();
                    let v = op(a, b).ok_or(Stop::Trap(TrapCode::IntegerDivideByZero))?;
                    stack.push(v);
                }
                Op::Load(offset) => {
                    let ea = stack.pop().unwrap() as u32 as usize + offset as usize;
                    let bytes = self
                        .memory
                        .get(ea..ea + 4)
                        .ok_or(Stop::Trap(TrapCode::MemoryOutOfBounds))?;
                    stack.push(i32::from_le_bytes(bytes.try_into().unwrap()));
                }
                Op::Store(offset) => {
                    let v = stack.pop().unwrap();
                    let ea = stack.pop().unwrap() as u32 as usize + offset as usize;
                    self.memory
                        .get_mut(ea..ea + 4)
                        .ok_or(Stop::Trap(TrapCode::MemoryOutOfBounds))?
                        .copy_from_slice(&v.to_le_bytes());
                }
            }
            if let Some(d) = branch {
                if d as usize == labels.len() {
                    // The function's label: its `end` runs next.
                    labels.clear();
                    let keep = stack.split_off(stack.len() - nresults);
                    stack = keep;
                    pc = self.funcs[f as usize].ops.len() - 1;
                    continue;
                }
                let (height, arity, is_loop, start) = labels[labels.len() - 1 - d as usize];
                let keep = stack.split_off(stack.len() - arity);
                stack.truncate(height);
                stack.extend(keep);
                // Land on the loop (which pushes its label again) or on the block's `end`
                // (which pops it).
                labels.truncate(labels.len() - d as usize - usize::from(is_loop));
                pc = if is_loop {
                    start
                } else {
                    self.funcs[f as usize].end[start]
                };
                continue;
            }
            pc += 1;
        }
    }
}

const ELSE: u16 = 5;
const END: u16 = 8;

fn ordinal_of(bytes: &[u8]) -> u16 {
    let name = match bytes[0] {
        0x00 => "unreachable",
        0x01 => "nop",
        0x02 => "block",
        0x03 => "loop",
        0x04 => "if",
        0x05 => "else",
        0x0B => "end",
        0x0C => "br",
        0x0D => "br_if",
        0x0E => "br_table",
        0x0F => "return",
        0x10 => "call",
        0x1A => "drop",
        0x1B => "select",
        0x20 => "local.get",
        0x21 => "local.set",
        0x22 => "local.tee",
        0x28 => "i32.load",
        0x36 => "i32.store",
        0x41 => "i32.const",
        0x45 => "i32.eqz",
        0x46 => "i32.eq",
        0x47 => "i32.ne",
        0x48 => "i32.lt_s",
        0x49 => "i32.lt_u",
        0x4A => "i32.gt_s",
        0x6A => "i32.add",
        0x6B => "i32.sub",
        0x6C => "i32.mul",
        0x6E => "i32.div_u",
        0x71 => "i32.and",
        b => panic!("no name for opcode {b:#x}"),
    };
    metering::ordinal(name).unwrap()
}

/// Programs the model and Wedge both run, with arguments.
const PROGRAMS: &str = r#"(module
  (memory (export "memory") 1)
  (func (export "add") (result i32) i32.const 1 i32.const 2 i32.add)
  (func (export "sum") (param i32) (result i32) (local i32)
    (block
      (loop
        (br_if 1 (i32.eqz (local.get 0)))
        (local.set 1 (i32.add (local.get 1) (local.get 0)))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br 0)))
    (local.get 1))
  (func (export "pick") (param i32) (result i32)
    (if (result i32) (local.get 0) (then (i32.const 1)) (else (nop) (i32.const 2))))
  (func (export "half_if") (param i32) (result i32)
    (if (local.get 0) (then (local.set 0 (i32.const 7))))
    (local.get 0))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "early") (param i32) (result i32)
    (br_if 0 (i32.const 11) (local.get 0))
    (drop)
    (if (local.get 0) (then (return (i32.const 12))))
    (i32.const 13))
  (func (export "table") (param i32) (result i32)
    (block (block (block
      (br_table 0 1 2 (local.get 0)))
      (return (i32.const 100)))
      (return (i32.const 101)))
    (i32.const 102))
  (func (export "out") (param i32) (result i32)
    (block (result i32) (br_table 0 1 (i32.const 8) (local.get 0)))
    (i32.const 9)
    (i32.add))
  (func (export "stores") (param i32) (result i32) (local i32)
    (loop
      (i32.store (i32.mul (local.get 1) (i32.const 4)) (local.get 1))
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (br_if 0 (i32.lt_s (local.get 1) (local.get 0))))
    (i32.div_u (i32.load (i32.const 4)) (local.get 0)))
  (func (export "nested") (param i32) (result i32)
    (block (result i32)
      (block (result i32)
        (i32.const 5)
        (br_if 1 (i32.eq (local.get 0) (i32.const 1)))
        (drop)
        (i32.const 6))
      (select (i32.const 7) (local.get 0) (i32.and (local.get 0) (i32.const 2)))
      (i32.add)))
  (func (export "crash") (param i32) (result i32)
    (if (local.get 0) (then (unreachable)))
    (i32.const 3))
)"#;

const CALLS: &[(&str, &[i32])] = &[
    ("add", &[]),
    ("sum", &[0]),
    ("sum", &[1]),
    ("sum", &[10]),
    ("pick", &[0]),
    ("pick", &[1]),
    ("half_if", &[0]),
    ("half_if", &[5]),
    ("fib", &[0]),
    ("fib", &[7]),
    ("early", &[0]),
    ("early", &[1]),
    ("table", &[0]),
    ("table", &[1]),
    ("table", &[2]),
    ("table", &[9]),
    ("out", &[0]),
    ("out", &[1]),
    ("stores", &[1]),
    ("stores", &[6]),
    ("stores", &[0]),
    ("nested", &[0]),
    ("nested", &[1]),
    ("nested", &[2]),
    ("nested", &[3]),
    ("crash", &[0]),
    ("crash", &[1]),
];

fn metered_engine(count: bool, cost: bool) -> Engine {
    let mut config = Config::new();
    config.count_instructions(count).measure_cost(cost);
    Engine::new(&config)
}

/// Runs `name(args)` in a fresh store; returns the result or trap and the statistics.
fn run_wedge(
    engine: &Engine,
    m: &Module,
    limit: u64,
    name: &str,
    args: &[i32],
) -> (Result<Vec<i32>, Stop>, Statistics, Vec<u8>) {
    let mut store = Store::new(engine, ());
    let inst = Instance::new(&mut store, m, &[]).unwrap();
    store.reset_statistics();
    store.set_cost_limit(limit);
    let f = inst.get_func(&store, name).unwrap();
    let mut results: Vec<Val> = f
        .ty(&store)
        .results()
        .iter()
        .map(|&t| Val::default_for(t))
        .collect();
    let args: Vec<Val> = args.iter().map(|&a| Val::I32(a)).collect();
    let r = match f.call(&mut store, &args, &mut results) {
        Ok(()) => Ok(results.iter().map(|v| v.i32().unwrap()).collect()),
        Err(e) => Err(Stop::Trap(e.trap_code().expect("a trap"))),
    };
    let mem = inst
        .get_memory(&store, "memory")
        .map_or_else(Vec::new, |mem| mem.data(&store)[..64].to_vec());
    (r, store.statistics(), mem)
}

#[test]
fn instruction_counts_match_wasmedges_interpreter() {
    let wasm = wat::parse_str(PROGRAMS).unwrap();
    let engine = metered_engine(true, false);
    let m = Module::new(&engine, &wasm).unwrap();
    for &(name, args) in CALLS {
        let mut flat = Flat::new(&wasm);
        let want = flat.call_export(name, args);
        let (got, stats, _) = run_wedge(&engine, &m, u64::MAX, name, args);
        assert_eq!(got, want, "{name}{args:?}");
        assert_eq!(stats.instr_count, flat.count, "{name}{args:?}");
        assert_eq!(stats.total_cost, 0, "cost is not measured");
    }
}

#[test]
fn simple_counts_by_hand() {
    let wasm = wat::parse_str(PROGRAMS).unwrap();
    let engine = metered_engine(true, true);
    let m = Module::new(&engine, &wasm).unwrap();
    let count = |name, args: &[i32]| run_wedge(&engine, &m, u64::MAX, name, args).1.instr_count;
    // i32.const, i32.const, i32.add, end.
    assert_eq!(count("add", &[]), 4);
    // block, loop, local.get, i32.eqz, br_if (lands on the block's end), end, local.get, end.
    assert_eq!(count("sum", &[0]), 8);
    // Each iteration: 12 operators, then the branch back counts the `loop` again.
    assert_eq!(count("sum", &[3]), 8 + 3 * 13);
    // local.get, if, (false: the else) else, nop, i32.const, end, end.
    assert_eq!(count("pick", &[0]), 7);
    // local.get, if, i32.const, else, end, end.
    assert_eq!(count("pick", &[1]), 6);
}

#[test]
fn else_and_end_costs_follow_wasmedges_if_rule() {
    let wasm = wat::parse_str(PROGRAMS).unwrap();
    let mut costs = vec![1u64; metering::OPCODES.len()];
    costs[ELSE as usize] = 100;
    costs[END as usize] = 10_000;
    let mut config = Config::new();
    config.measure_cost(true).cost_table(&costs);
    let engine = Engine::new(&config);
    let m = Module::new(&engine, &wasm).unwrap();
    let cost = |args: &[i32]| run_wedge(&engine, &m, u64::MAX, "pick", args).1.total_cost;
    // False: local.get, if, else (as else), nop, i32.const, end, end.
    assert_eq!(cost(&[0]), 1 + 1 + 100 + 1 + 1 + 10_000 + 10_000);
    // True: local.get, if, i32.const, else (as end), end, end.
    assert_eq!(cost(&[1]), 1 + 1 + 1 + 10_000 + 10_000 + 10_000);
    for &(name, args) in CALLS {
        let mut flat = Flat::new(&wasm);
        flat.costs = costs.clone();
        let want = flat.call_export(name, args);
        let (got, stats, _) = run_wedge(&engine, &m, u64::MAX, name, args);
        assert_eq!(got, want, "{name}{args:?}");
        assert_eq!(stats.total_cost, flat.cost, "{name}{args:?}");
        assert_eq!(stats.instr_count, 0, "instructions are not counted");
    }
}

#[test]
fn cost_limit_stops_at_the_exact_operator() {
    let wasm = wat::parse_str(PROGRAMS).unwrap();
    let engine = metered_engine(true, true);
    let m = Module::new(&engine, &wasm).unwrap();
    // Every limit from 0 to past the full cost, for calls with stores, calls and branches: the
    // result or trap, the memory written, the count and the cost are those of per-operator
    // metering.
    for &(name, args) in CALLS {
        let mut full = Flat::new(&wasm);
        let _ = full.call_export(name, args);
        for limit in 0..=full.cost + 1 {
            let mut flat = Flat::new(&wasm);
            flat.limit = limit;
            let want = flat.call_export(name, args);
            let (got, stats, mem) = run_wedge(&engine, &m, limit, name, args);
            let what = format!("{name}{args:?} with limit {limit}");
            assert_eq!(got, want, "{what}");
            assert_eq!(mem, flat.memory[..64], "{what}");
            assert_eq!(stats.instr_count, flat.count, "{what}");
            assert_eq!(stats.total_cost, flat.cost, "{what}");
        }
    }
}

#[test]
fn cost_limit_exceeded_is_wasmedge_error_0x0003_and_the_sum_stays() {
    let engine = metered_engine(false, true);
    let m = module(&engine, PROGRAMS);
    let mut store = Store::new(&engine, ());
    let inst = Instance::new(&mut store, &m, &[]).unwrap();
    store.set_cost_limit(50);
    let e = call1(&mut store, &inst, "sum", &[Val::I32(100)]).unwrap_err();
    assert_eq!(e.trap_code(), Some(TrapCode::CostLimitExceeded));
    assert_eq!(e.wasmedge_code(), 0x0003);
    assert_eq!(
        store.statistics().total_cost,
        50,
        "one operator per cost unit"
    );
    // The store stays usable; the limit still holds.
    let e = call1(&mut store, &inst, "add", &[]).unwrap_err();
    assert_eq!(e.trap_code(), Some(TrapCode::CostLimitExceeded));
    store.set_cost_limit(54);
    assert_eq!(call1(&mut store, &inst, "add", &[]).unwrap().i32(), Some(3));
    assert_eq!(store.statistics().total_cost, 54);
}

#[test]
fn constant_expressions_count_at_instantiation() {
    let engine = metered_engine(true, true);
    let m = module(
        &engine,
        r#"(module (memory 1) (table 2 funcref)
            (global (mut i32) (i32.add (i32.const 1) (i32.const 2)))
            (func $f) (elem (i32.const 0) $f $f)
            (data (i32.const 8) "hi") (data "passive"))"#,
    );
    let mut store = Store::new(&engine, ());
    Instance::new(&mut store, &m, &[]).unwrap();
    // Global: 3 + end. Element items: 2 x (ref.func + end), offset: 2. Data offset: 2.
    assert_eq!(store.statistics().instr_count, 4 + 4 + 2 + 2);
    assert_eq!(store.statistics().total_cost, 12);
    let mut store = Store::new(&engine, ());
    store.set_cost_limit(5);
    let e = Instance::new(&mut store, &m, &[]).unwrap_err();
    assert_eq!(e.trap_code(), Some(TrapCode::CostLimitExceeded));
}

#[test]
fn host_functions_charge_their_cost() {
    let engine = metered_engine(true, true);
    let m = module(
        &engine,
        r#"(module (import "env" "h" (func $h))
            (func (export "go") (result i32) (call $h) (call $h) (i32.const 1)))"#,
    );
    let mut store = Store::new(&engine, ());
    let calls = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    let c = calls.clone();
    let h = Func::new_with_cost(&mut store, FuncType::new([], []), 1000, move |_, _, _| {
        c.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    });
    let inst = Instance::new(&mut store, &m, &[h.into()]).unwrap();
    assert_eq!(call1(&mut store, &inst, "go", &[]).unwrap().i32(), Some(1));
    // call, call, i32.const, end; and the host function twice.
    assert_eq!(store.statistics().instr_count, 4);
    assert_eq!(store.statistics().total_cost, 4 + 2000);
    store.reset_statistics();
    store.set_cost_limit(1500);
    let e = call1(&mut store, &inst, "go", &[]).unwrap_err();
    assert_eq!(e.trap_code(), Some(TrapCode::CostLimitExceeded));
    assert_eq!(
        calls.load(std::sync::atomic::Ordering::Relaxed),
        3,
        "the second call was refused"
    );
    assert_eq!(store.statistics().total_cost, 1002);
}

#[test]
fn metering_changes_no_result_of_the_benchmark_programs() {
    let plain = Engine::default();
    let mut config = Config::new();
    config
        .count_instructions(true)
        .measure_cost(true)
        .measure_time(true)
        .interruptible(true);
    let metered = Engine::new(&config);
    for (name, arg) in [
        ("fib", 15),
        ("matmul", 8),
        ("sieve", 1),
        ("sha256", 2),
        ("quicksort", 1),
        ("nbody", 100),
    ] {
        let path = format!(
            "{}/../../benches/programs/{name}.wasm",
            env!("CARGO_MANIFEST_DIR")
        );
        let bytes = std::fs::read(&path).unwrap();
        let run = |engine: &Engine| {
            let m = Module::new(engine, &bytes).unwrap();
            let mut store = Store::new(engine, ());
            let inst = Instance::new(&mut store, &m, &[]).unwrap();
            let v = call1(&mut store, &inst, "run", &[Val::I32(arg)]).unwrap();
            (format!("{v:?}"), store.statistics())
        };
        let (want, _) = run(&plain);
        let (got, stats) = run(&metered);
        assert_eq!(got, want, "{name}");
        assert!(stats.instr_count > 1000, "{name}: {stats:?}");
        assert_eq!(
            stats.instr_count, stats.total_cost,
            "{name}: default cost is 1"
        );
        assert!(stats.wasm_time > Duration::ZERO, "{name}");
    }
}

#[test]
fn statistics_stay_zero_without_metering() {
    let engine = Engine::default();
    let m = module(&engine, PROGRAMS);
    let mut store = Store::new(&engine, ());
    let inst = Instance::new(&mut store, &m, &[]).unwrap();
    call1(&mut store, &inst, "fib", &[Val::I32(10)]).unwrap();
    assert_eq!(store.statistics(), Statistics::default());
}

#[test]
fn time_measuring_splits_wasm_and_host_time() {
    let mut config = Config::new();
    config.measure_time(true).count_instructions(true);
    let engine = Engine::new(&config);
    let m = module(
        &engine,
        r#"(module (import "env" "sleep" (func $sleep))
            (func (export "go") (result i32) (local i32)
              (call $sleep)
              (loop (br_if 0 (i32.ne (local.tee 0 (i32.add (local.get 0) (i32.const 1)))
                                    (i32.const 200000))))
              (local.get 0)))"#,
    );
    let mut store = Store::new(&engine, ());
    let sleep = Func::new(&mut store, FuncType::new([], []), |_, _, _| {
        std::thread::sleep(Duration::from_millis(20));
        Ok(())
    });
    let inst = Instance::new(&mut store, &m, &[sleep.into()]).unwrap();
    call1(&mut store, &inst, "go", &[]).unwrap();
    let s = store.statistics();
    assert!(s.host_time >= Duration::from_millis(20), "{s:?}");
    assert!(
        s.wasm_time > Duration::ZERO && s.wasm_time < s.host_time * 50,
        "{s:?}"
    );
    assert_eq!(s.total_time(), s.wasm_time + s.host_time);
    assert!(s.instr_per_second() > 0.0);
    store.reset_statistics();
    assert_eq!(store.statistics(), Statistics::default());
}

const SPIN: &str = r#"(module
    (func (export "spin") (loop (br 0)))
    (func $tail (export "tail") (return_call $tail))
    (func (export "count") (local i32)
      (loop (br_if 0 (i32.ne (local.tee 0 (i32.add (local.get 0) (i32.const 1)))
                             (i32.const 0)))))
    (func $nop)
    (func (export "calls") (loop (call $nop) (br 0)))
    (func (export "quick") (result i32) (i32.const 1)))"#;

fn interruptible_engine() -> Engine {
    let mut config = Config::new();
    config.interruptible(true);
    Engine::new(&config)
}

/// Interruptible with metering: the checks ride on the metering instructions.
fn interruptible_metered_engine() -> Engine {
    let mut config = Config::new();
    config
        .interruptible(true)
        .count_instructions(true)
        .measure_cost(true);
    Engine::new(&config)
}

#[test]
fn time_limit_stops_an_infinite_loop_within_milliseconds() {
    for engine in [interruptible_engine(), interruptible_metered_engine()] {
        time_limit_stops(&engine);
    }
}

fn time_limit_stops(engine: &Engine) {
    let m = module(engine, SPIN);
    let mut store = Store::new(engine, ());
    let inst = Instance::new(&mut store, &m, &[]).unwrap();
    for name in ["spin", "tail", "count", "calls"] {
        let limit = Duration::from_millis(30);
        let start = Instant::now();
        store.set_deadline(Some(start + limit));
        let f = inst.get_func(&store, name).unwrap();
        let e = f.call(&mut store, &[], &mut []).unwrap_err();
        let late = start.elapsed().saturating_sub(limit);
        assert_eq!(e.trap_code(), Some(TrapCode::Interrupted), "{name}");
        assert_eq!(e.wasmedge_code(), 0x0007);
        // A few milliseconds on an idle machine; generous here for loaded CI machines.
        assert!(
            late < Duration::from_millis(200),
            "{name}: stopped {late:?} late"
        );
    }
    // A deadline that passed does not leak into calls after it is removed.
    store.set_deadline(None);
    assert_eq!(
        call1(&mut store, &inst, "quick", &[]).unwrap().i32(),
        Some(1)
    );
    // A deadline not reached leaves calls alone.
    store.set_deadline(Some(Instant::now() + Duration::from_secs(60)));
    assert_eq!(
        call1(&mut store, &inst, "quick", &[]).unwrap().i32(),
        Some(1)
    );
}

#[test]
fn interrupt_handle_stops_a_guest_from_another_thread() {
    for engine in [interruptible_engine(), interruptible_metered_engine()] {
        interrupt_handle_stops(&engine);
    }
}

fn interrupt_handle_stops(engine: &Engine) {
    let m = module(engine, SPIN);
    let mut store = Store::new(engine, ());
    let inst = Instance::new(&mut store, &m, &[]).unwrap();
    let handle = store.interrupt_handle();
    let t = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(20));
        handle.interrupt();
    });
    let f = inst.get_func(&store, "spin").unwrap();
    let e = f.call(&mut store, &[], &mut []).unwrap_err();
    assert_eq!(e.trap_code(), Some(TrapCode::Interrupted));
    t.join().unwrap();
    // The request was consumed: the next call runs.
    assert_eq!(
        call1(&mut store, &inst, "quick", &[]).unwrap().i32(),
        Some(1)
    );
    // A request made while nothing runs stops the next call at its start, as in WasmEdge.
    store.interrupt_handle().interrupt();
    let e = call1(&mut store, &inst, "quick", &[]).unwrap_err();
    assert_eq!(e.trap_code(), Some(TrapCode::Interrupted));
    assert_eq!(
        call1(&mut store, &inst, "quick", &[]).unwrap().i32(),
        Some(1)
    );
}

#[test]
fn counting_ignores_interrupt_checks() {
    let mut config = Config::new();
    config.interruptible(true).count_instructions(true);
    let engine = Engine::new(&config);
    let wasm = wat::parse_str(PROGRAMS).unwrap();
    let m = Module::new(&engine, &wasm).unwrap();
    for &(name, args) in CALLS {
        let mut flat = Flat::new(&wasm);
        let want = flat.call_export(name, args);
        let (got, stats, _) = run_wedge(&engine, &m, u64::MAX, name, args);
        assert_eq!(got, want, "{name}{args:?}");
        assert_eq!(stats.instr_count, flat.count, "{name}{args:?}");
    }
}

#[test]
fn a_panicking_host_function_leaves_metering_consistent() {
    let mut config = Config::new();
    config.interruptible(true).measure_time(true);
    let engine = Engine::new(&config);
    let m = module(
        &engine,
        r#"(module (import "env" "boom" (func $boom))
            (func (export "boom") (call $boom))
            (func (export "spin") (loop (br 0))))"#,
    );
    let mut store = Store::new(&engine, ());
    let boom = Func::new(&mut store, FuncType::new([], []), |_, _, _| {
        panic!("host bug")
    });
    let inst = Instance::new(&mut store, &m, &[boom.into()]).unwrap();
    let f = inst.get_func(&store, "boom").unwrap();
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = f.call(&mut store, &[], &mut []);
    }));
    assert!(panicked.is_err());
    // The next call is an outermost call again: its deadline applies and it is timed.
    let before = store.statistics().wasm_time;
    store.set_deadline(Some(Instant::now() + Duration::from_millis(20)));
    let spin = inst.get_func(&store, "spin").unwrap();
    let e = spin.call(&mut store, &[], &mut []).unwrap_err();
    assert_eq!(e.trap_code(), Some(TrapCode::Interrupted));
    assert!(store.statistics().wasm_time >= before + Duration::from_millis(10));
}
