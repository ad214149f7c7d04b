use super::*;
use wedge_eei::{Address, Bytes32};

/// A host with nothing in it.
struct Empty;

impl Host for Empty {
    fn account_exists(&mut self, _: &Address) -> bool {
        false
    }
    fn get_storage(&mut self, _: &Address, _: &Bytes32) -> Bytes32 {
        [0; 32]
    }
    fn set_storage(&mut self, _: &Address, _: &Bytes32, _: &Bytes32) {}
    fn get_balance(&mut self, _: &Address) -> Bytes32 {
        [0; 32]
    }
    fn get_code_size(&mut self, _: &Address) -> usize {
        0
    }
    fn copy_code(&mut self, _: &Address, _: usize, _: &mut [u8]) -> usize {
        0
    }
    fn selfdestruct(&mut self, _: &Address, _: &Address) {}
    fn call(&mut self, _: &Message) -> CallResult {
        failed(Status::Failure)
    }
    fn tx_context(&mut self) -> TxContext {
        TxContext::default()
    }
    fn block_hash(&mut self, _: i64) -> Bytes32 {
        [0; 32]
    }
    fn emit_log(&mut self, _: &Address, _: &[u8], _: &[Bytes32]) {}
}

fn exec(vm: &Vm, kind: CallKind, wat: &str, gas: i64) -> CallResult {
    let code = wat::parse_str(wat).unwrap();
    let message = Message {
        kind: Some(kind),
        gas,
        input: b"input".to_vec(),
        ..Message::default()
    };
    vm.execute(Empty, message, &code)
}

fn contract(body: &str) -> String {
    format!(
        r#"(module
  (import "ethereum" "finish" (func $finish (param i32 i32)))
  (import "ethereum" "revert" (func $revert (param i32 i32)))
  (import "ethereum" "useGas" (func $useGas (param i64)))
  (import "ethereum" "callDataCopy" (func $callDataCopy (param i32 i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "hello")
  (func (export "main") {body}))"#
    )
}

#[test]
fn finish_revert_and_return_give_their_statuses_gas_and_output() {
    let vm = Vm::new();
    let r = exec(
        &vm,
        CallKind::Call,
        &contract("(call $useGas (i64.const 100)) (call $finish (i32.const 0) (i32.const 5))"),
        1000,
    );
    assert_eq!(
        (r.status, r.gas_left, &r.output[..]),
        (Status::Success, 900, &b"hello"[..])
    );
    let r = exec(
        &vm,
        CallKind::Call,
        &contract(
            "(call $callDataCopy (i32.const 0) (i32.const 0) (i32.const 5)) (call $revert (i32.const 0) (i32.const 5))",
        ),
        1000,
    );
    assert_eq!(
        (r.status, r.gas_left, &r.output[..]),
        (Status::Revert, 994, &b"input"[..])
    );
    let r = exec(&vm, CallKind::Call, &contract(""), 1000);
    assert_eq!(
        (r.status, r.gas_left, r.output.len()),
        (Status::Success, 1000, 0)
    );
}

#[test]
fn running_out_of_gas_traps_and_failures_use_all_gas() {
    let vm = Vm::new();
    let r = exec(
        &vm,
        CallKind::Call,
        &contract("(call $useGas (i64.const 1001))"),
        1000,
    );
    assert_eq!((r.status, r.gas_left), (Status::OutOfGas, 0));
    let r = exec(&vm, CallKind::Call, &contract("unreachable"), 1000);
    assert_eq!((r.status, r.gas_left), (Status::WasmUnreachable, 0));
    let r = exec(
        &vm,
        CallKind::Call,
        &contract("(drop (i32.div_u (i32.const 1) (i32.const 0)))"),
        1000,
    );
    assert_eq!((r.status, r.gas_left), (Status::WasmTrap, 0));
    let r = exec(
        &vm,
        CallKind::Call,
        &contract("(call $finish (i32.const 65530) (i32.const 10))"),
        1000,
    );
    assert_eq!((r.status, r.gas_left), (Status::Failure, 0));
}

#[test]
fn only_valid_ewasm_contracts_run() {
    let vm = Vm::new();
    let bad = [
        "(module (func (export \"main\")))",
        "(module (memory (export \"memory\") 1))",
        "(module (memory (export \"memory\") 1) (func (export \"main\") (param i32)))",
        "(module (memory (export \"memory\") 1) (func $m (export \"main\")) (start $m))",
        "(module (import \"env\" \"f\" (func)) (memory (export \"memory\") 1) (func (export \"main\")))",
        "(module (import \"ethereum\" \"useGas\" (func (param i32))) (memory (export \"memory\") 1) (func (export \"main\")))",
        "(module (import \"ethereum\" \"nope\" (func)) (memory (export \"memory\") 1) (func (export \"main\")))",
    ];
    for wat in bad {
        let r = exec(&vm, CallKind::Call, wat, 1000);
        assert_eq!(
            (r.status, r.gas_left),
            (Status::ContractValidationFailure, 0),
            "{wat}"
        );
    }
    let message = Message {
        gas: 1000,
        ..Message::default()
    };
    let r = vm.execute(Empty, message, b"\0asm\x01\0\0\0garbage");
    assert_eq!(r.status, Status::ContractValidationFailure);
}

#[test]
fn a_create_must_deploy_a_valid_contract() {
    let vm = Vm::new();
    // Deploys "hello", which is not wasm.
    let r = exec(
        &vm,
        CallKind::Create,
        &contract("(call $finish (i32.const 0) (i32.const 5))"),
        1000,
    );
    assert_eq!(
        (r.status, r.gas_left),
        (Status::ContractValidationFailure, 0)
    );
    // A call may return anything.
    let r = exec(
        &vm,
        CallKind::Call,
        &contract("(call $finish (i32.const 0) (i32.const 5))"),
        1000,
    );
    assert_eq!(r.status, Status::Success);
}
