//! Tail calls (`return_call`, `return_call_indirect`) in compiled code: constant stack, the
//! arguments and results that go through memory, traps in tail-called functions, and tail calls
//! into imports. The spec suite (`wedge-wast`, `jit_tail_call`) checks the operators; these pin
//! the edges of the calling convention.

use super::*;

#[test]
fn a_million_tail_calls_run_in_constant_stack() {
    // The harness allows 512 KiB of stack: a million plain calls could not fit in it.
    let mut i = instantiate(
        r#"(module
            (import "env" "tick" (func $tick (param i32) (result i32)))
            (func $sum (export "sum") (param i64 i64) (result i64)
                (if (result i64) (i64.eqz (local.get 0))
                    (then (local.get 1))
                    (else (return_call $sum (i64.sub (local.get 0) (i64.const 1))
                                            (i64.add (local.get 1) (local.get 0))))))
            (func $plain (export "plain") (param i64 i64) (result i64)
                (if (result i64) (i64.eqz (local.get 0))
                    (then (local.get 1))
                    (else (call $plain (i64.sub (local.get 0) (i64.const 1))
                                       (i64.add (local.get 1) (local.get 0))))))
            (func $spin (export "spin") (param i32) (result i32)
                (return_call $spin (call $tick (i32.add (local.get 0) (i32.const 1)))))
        )"#,
        &[host(host_tick)],
    );
    let n = 1_000_000i64;
    assert_eq!(i.call_i64("sum", &[n, 0]), Ok(n * (n + 1) / 2));
    assert_eq!(
        i.call_i64("plain", &[n, 0]),
        Err(TrapCode::CallStackExhausted)
    );
    // An endless tail-call loop polls the interrupt flag at every entry: the host raises it
    // on its 1000th call.
    assert_eq!(i.call_i32("spin", &[0]), Err(TrapCode::Interrupted));
    assert_eq!(*i.flag, 0, "the flag is cleared by the trap");
}

#[test]
fn mutual_tail_recursion_through_return_call_indirect() {
    let mut i = instantiate(
        r#"(module
            (type $t (func (param i32) (result i32)))
            (table 2 funcref)
            (elem (i32.const 0) $even $odd)
            (func $even (export "even") (param i32) (result i32)
                (if (result i32) (i32.eqz (local.get 0))
                    (then (i32.const 1))
                    (else (return_call_indirect (type $t)
                        (i32.sub (local.get 0) (i32.const 1)) (i32.const 1)))))
            (func $odd (param i32) (result i32)
                (if (result i32) (i32.eqz (local.get 0))
                    (then (i32.const 0))
                    (else (return_call_indirect (type $t)
                        (i32.sub (local.get 0) (i32.const 1)) (i32.const 0)))))
            (func (export "wrong_type") (param i32) (result i64)
                (return_call_indirect (result i64) (local.get 0)))
            (func (export "out_of_table") (result i32)
                (return_call_indirect (type $t) (i32.const 0) (i32.const 2)))
        )"#,
        &[],
    );
    assert_eq!(i.call_i32("even", &[1_000_001]), Ok(0));
    assert_eq!(i.call_i32("even", &[1_000_000]), Ok(1));
    assert_eq!(
        i.call_i64("wrong_type", &[0]),
        Err(TrapCode::IndirectCallTypeMismatch)
    );
    assert_eq!(
        i.call_i32("out_of_table", &[]),
        Err(TrapCode::UndefinedElement)
    );
}

#[test]
fn tail_calls_pass_stack_arguments_and_many_results() {
    // 14 i64 params do not fit in registers, nor do 12 results: the tail calls grow and
    // shrink the incoming argument area and forward the return area.
    let mut i = instantiate(
        r#"(module
            (type $many (func (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
                              (result i64)))
            (table 1 funcref)
            (elem (i32.const 0) $wide)
            (func $wide (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
                        (result i64)
                (if (result i64) (i64.eqz (local.get 0))
                    (then (i64.add (local.get 13) (local.get 1)))
                    (else (return_call $narrow (i64.sub (local.get 0) (i64.const 1))
                        (i64.add (local.get 1)
                            (i64.add (local.get 12) (local.get 13)))))))
            (func $narrow (param i64 i64) (result i64)
                (return_call_indirect (type $many)
                    (local.get 0) (local.get 1) (i64.const 2) (i64.const 3) (i64.const 4)
                    (i64.const 5) (i64.const 6) (i64.const 7) (i64.const 8) (i64.const 9)
                    (i64.const 10) (i64.const 11) (i64.const 12) (i64.const 13)
                    (i32.const 0)))
            (func (export "wide") (param i64) (result i64)
                (return_call $narrow (local.get 0) (i64.const 0)))
            (func $results (param i64)
                (result i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
                (local.get 0) (i64.const 1) (i64.const 2) (i64.const 3) (i64.const 4)
                (i64.const 5) (i64.const 6) (i64.const 7) (i64.const 8) (i64.const 9)
                (i64.const 10) (i64.const 11))
            (func $forward (export "results") (param i64)
                (result i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
                (return_call $results (i64.add (local.get 0) (i64.const 100))))
            (func (export "sum_results") (param i64) (result i64)
                (call $forward (local.get 0))
                (i64.add) (i64.add) (i64.add) (i64.add) (i64.add) (i64.add)
                (i64.add) (i64.add) (i64.add) (i64.add) (i64.add))
        )"#,
        &[],
    );
    // Each round adds 12 + 13 to the accumulator; the last adds 13.
    assert_eq!(i.call_i64("wide", &[100_000]), Ok(100_000 * 25 + 13));
    let expected: Vec<u128> = std::iter::once(107)
        .chain(1..12)
        .map(|v: u128| v as u64 as u128)
        .collect();
    assert_eq!(i.call_raw("results", &[7]), Ok(expected));
    assert_eq!(i.call_i64("sum_results", &[7]), Ok(107 + 66));
}

#[test]
fn traps_in_tail_called_functions_reach_the_caller_of_the_caller() {
    let mut i = instantiate(
        r#"(module
            (func $div (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
            (func $tail (param i32) (result i32)
                (return_call $div (i32.const 7) (local.get 0)))
            (func (export "outer") (param i32) (result i32)
                (i32.add (call $tail (local.get 0)) (i32.const 1)))
            (func (export "direct") (param i32) (result i32)
                (return_call $tail (local.get 0)))
        )"#,
        &[],
    );
    assert_eq!(i.call_i32("outer", &[7]), Ok(2));
    assert_eq!(
        i.call_i32("outer", &[0]),
        Err(TrapCode::IntegerDivideByZero)
    );
    assert_eq!(i.call_i32("direct", &[1]), Ok(7));
    assert_eq!(
        i.call_i32("direct", &[0]),
        Err(TrapCode::IntegerDivideByZero)
    );
}

#[test]
fn tail_calls_into_imports_go_through_the_exit_trampoline() {
    let wat = r#"(module
        (import "env" "f" (func $f (param i32) (result i32)))
        (type $t (func (param i32) (result i32)))
        (table 1 funcref)
        (elem (i32.const 0) $f)
        (func $g (export "direct") (param i32) (result i32)
            (return_call $f (i32.mul (local.get 0) (i32.const 2))))
        (func (export "indirect") (param i32) (result i32)
            (return_call_indirect (type $t) (local.get 0) (i32.const 0)))
        (func (export "nested") (param i32) (result i32)
            (i32.add (call $g (local.get 0)) (i32.const 1)))
    )"#;
    let mut ok = instantiate(wat, &[host(host_add_ten)]);
    assert_eq!(ok.call_i32("direct", &[5]), Ok(20));
    assert_eq!(ok.call_i32("indirect", &[5]), Ok(15));
    assert_eq!(ok.call_i32("nested", &[5]), Ok(21));
    let mut bad = instantiate(wat, &[host(host_fail)]);
    assert_eq!(bad.call_i32("direct", &[5]), Err(TrapCode::HostFuncError));
    assert_eq!(bad.call_i32("indirect", &[5]), Err(TrapCode::HostFuncError));
    assert_eq!(bad.call_i32("nested", &[5]), Err(TrapCode::HostFuncError));
}
