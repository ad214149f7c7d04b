//! ERC-20 transfers through the VM (`Vm::execute`, what EVMC's `execute` calls), with the state
//! in a Rust host: the test token (`tests/contracts/erc20.wasm`) moving one token back and forth
//! between two holders, so every transfer writes two nonzero balances (28698 - 15000 gas). Also
//! a `balanceOf`, the cheapest call that hashes and loads.
//!
//!     cargo bench -p wedge-evmc --bench erc20

#![allow(missing_docs, reason = "a test or benchmark binary, not an API")]

use std::cell::RefCell;
use std::collections::HashMap;
use std::hint::black_box;
use std::rc::Rc;

use criterion::{Criterion, criterion_group, criterion_main};
use wedge_eei::{Address, Bytes32, CallResult, Host, Message, Status, TxContext};
use wedge_evmc::{CallKind, Vm};

/// Storage of one contract, in a map shared by the executions (a client's state).
struct State {
    storage: Rc<RefCell<HashMap<Bytes32, Bytes32>>>,
}

impl Host for State {
    fn account_exists(&mut self, _: &Address) -> bool {
        true
    }
    fn get_storage(&mut self, _: &Address, key: &Bytes32) -> Bytes32 {
        self.storage.borrow().get(key).copied().unwrap_or_default()
    }
    fn set_storage(&mut self, _: &Address, key: &Bytes32, value: &Bytes32) {
        self.storage.borrow_mut().insert(*key, *value);
    }
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
        unreachable!("the token calls nothing")
    }
    fn tx_context(&mut self) -> TxContext {
        TxContext::default()
    }
    fn block_hash(&mut self, _: i64) -> Bytes32 {
        [0; 32]
    }
    fn emit_log(&mut self, _: &Address, _: &[u8], _: &[Bytes32]) {}
}

fn address(n: u8) -> Address {
    let mut a = [0; 20];
    a[19] = n;
    a
}

fn call_data(selector: u32, args: &[[u8; 32]]) -> Vec<u8> {
    let mut data = selector.to_be_bytes().to_vec();
    for a in args {
        data.extend_from_slice(a);
    }
    data
}

fn word_of_address(a: &Address) -> [u8; 32] {
    let mut w = [0; 32];
    w[12..].copy_from_slice(a);
    w
}

fn word(n: u64) -> [u8; 32] {
    let mut w = [0; 32];
    w[24..].copy_from_slice(&n.to_be_bytes());
    w
}

fn bench(c: &mut Criterion) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/contracts");
    let deploy = std::fs::read(dir.join("erc20_deploy.wasm")).unwrap();
    let vm = Vm::new();
    let storage = Rc::new(RefCell::new(HashMap::new()));
    let (alice, bob) = (address(1), address(2));
    let message = |sender: Address, kind, input: Vec<u8>| Message {
        kind: Some(kind),
        gas: 1_000_000,
        sender,
        recipient: address(0xc0),
        code_address: address(0xc0),
        input,
        ..Message::default()
    };
    let host = || State {
        storage: storage.clone(),
    };
    let code = vm.execute(
        host(),
        message(alice, CallKind::Create, Vec::new()),
        &deploy,
    );
    assert_eq!(code.status, Status::Success);
    let token = code.output;
    // Bob gets a token first, so that every benchmarked transfer writes nonzero balances.
    let to_bob = call_data(0xa9059cbb, &[word_of_address(&bob), word(1)]);
    let to_alice = call_data(0xa9059cbb, &[word_of_address(&alice), word(1)]);
    let r = vm.execute(
        host(),
        message(alice, CallKind::Call, to_bob.clone()),
        &token,
    );
    assert_eq!(r.status, Status::Success);

    let mut group = c.benchmark_group("erc20");
    // One transfer per iteration, alternately alice to bob and back.
    let mut back = false;
    group.bench_function("transfer", |b| {
        b.iter(|| {
            let (sender, data) = if back {
                (bob, &to_alice)
            } else {
                (alice, &to_bob)
            };
            back = !back;
            let r = vm.execute(
                host(),
                message(sender, CallKind::Call, data.clone()),
                &token,
            );
            assert_eq!(r.gas_left, 1_000_000 - 13_698);
            black_box(r);
        });
    });
    let balance_of = call_data(0x70a08231, &[word_of_address(&alice)]);
    group.bench_function("balanceOf", |b| {
        b.iter(|| {
            let r = vm.execute(
                host(),
                message(alice, CallKind::Call, balance_of.clone()),
                &token,
            );
            black_box(r);
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
