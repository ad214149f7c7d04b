use super::*;
use std::collections::HashMap;

/// A host with storage, balances and a canned call result, recording the messages and logs.
#[derive(Default)]
struct TestHost {
    storage: HashMap<(Address, Bytes32), Bytes32>,
    balances: HashMap<Address, Bytes32>,
    calls: Vec<Message>,
    logs: Vec<(Address, Vec<u8>, Vec<Bytes32>)>,
    call_result: Option<CallResult>,
    tx: TxContext,
}

impl Host for TestHost {
    fn account_exists(&mut self, address: &Address) -> bool {
        self.balances.contains_key(address)
    }
    fn get_storage(&mut self, address: &Address, key: &Bytes32) -> Bytes32 {
        self.storage
            .get(&(*address, *key))
            .copied()
            .unwrap_or_default()
    }
    fn set_storage(&mut self, address: &Address, key: &Bytes32, value: &Bytes32) {
        self.storage.insert((*address, *key), *value);
    }
    fn get_balance(&mut self, address: &Address) -> Bytes32 {
        self.balances.get(address).copied().unwrap_or_default()
    }
    fn get_code_size(&mut self, _: &Address) -> usize {
        3
    }
    fn copy_code(&mut self, _: &Address, offset: usize, buf: &mut [u8]) -> usize {
        let code = [7u8, 8, 9];
        let n = buf.len().min(code.len().saturating_sub(offset));
        buf[..n].copy_from_slice(&code[offset..offset + n]);
        n
    }
    fn selfdestruct(&mut self, _: &Address, _: &Address) {}
    fn call(&mut self, message: &Message) -> CallResult {
        self.calls.push(message.clone());
        self.call_result.clone().unwrap_or(CallResult {
            status: Status::Success,
            gas_left: message.gas,
            output: vec![1, 2, 3],
            create_address: [0xCC; 20],
        })
    }
    fn tx_context(&mut self) -> TxContext {
        self.tx.clone()
    }
    fn block_hash(&mut self, number: i64) -> Bytes32 {
        if number == 5 { [5; 32] } else { [0; 32] }
    }
    fn emit_log(&mut self, address: &Address, data: &[u8], topics: &[Bytes32]) {
        self.logs.push((*address, data.to_vec(), topics.to_vec()));
    }
}

const ME: Address = [0xAA; 20];
const SENDER: Address = [0x55; 20];

fn eei(gas: i64) -> Eei<TestHost> {
    let message = Message {
        kind: Some(CallKind::Call),
        gas,
        recipient: ME,
        sender: SENDER,
        code_address: ME,
        input: (0..40).collect(),
        value: be(0x0102),
        ..Message::default()
    };
    Eei::new(TestHost::default(), message, b"\0asm code".to_vec())
}

fn be(n: u128) -> Bytes32 {
    let mut b = [0; 32];
    b[16..].copy_from_slice(&n.to_be_bytes());
    b
}

#[test]
fn the_module_has_35_functions_with_unique_names() {
    assert_eq!(Func::ALL.len(), 35);
    for f in Func::ALL {
        assert_eq!(Func::from_name(f.name()), Some(*f));
    }
    assert_eq!(
        Func::Call.params(),
        &[Ty::I64, Ty::I32, Ty::I32, Ty::I32, Ty::I32]
    );
    assert_eq!(Func::GetGasLeft.result(), Some(Ty::I64));
    assert_eq!(Func::Finish.result(), None);
}

#[test]
fn every_call_pays_its_fixed_cost_and_copies_pay_per_word() {
    let mut e = eei(10_000);
    let mut mem = vec![0u8; 256];
    assert_eq!(e.invoke(Func::GetCallDataSize, &mut mem[..], &[]), Ok(40));
    assert_eq!(e.gas_left(), 10_000 - 2);
    // 33 bytes are 2 words: 3 + 2 * 3.
    e.invoke(Func::CallDataCopy, &mut mem[..], &[100, 2, 33])
        .unwrap();
    assert_eq!(e.gas_left(), 10_000 - 2 - 9);
    assert_eq!(&mem[100..133], &(2..35).collect::<Vec<u8>>()[..]);
    assert_eq!(
        e.invoke(Func::GetGasLeft, &mut mem[..], &[]),
        Ok(10_000 - 11 - 2)
    );
    // Past the end of the call data fails, as it did in WasmEdge-EVMC.
    assert!(matches!(
        e.invoke(Func::CallDataCopy, &mut mem[..], &[0, 30, 11]),
        Err(Stop::Failed(_))
    ));
}

#[test]
fn use_gas_runs_out_and_then_all_gas_is_used() {
    let mut e = eei(100);
    let mut mem = [0u8; 0];
    e.invoke(Func::UseGas, &mut mem[..], &[60]).unwrap();
    assert_eq!(e.gas_left(), 40);
    assert_eq!(
        e.invoke(Func::UseGas, &mut mem[..], &[41]),
        Err(Stop::OutOfGas)
    );
    assert_eq!(e.gas_left(), 0);
    assert_eq!(e.stopped(), Some(Stop::OutOfGas));
    // A negative i64 is a huge u64.
    let mut e = eei(100);
    assert_eq!(
        e.invoke(Func::UseGas, &mut mem[..], &[-1i64 as u64]),
        Err(Stop::OutOfGas)
    );
}

#[test]
fn values_are_128_bit_little_endian_in_memory() {
    let mut e = eei(10_000);
    let mut mem = [0u8; 64];
    e.invoke(Func::GetCallValue, &mut mem[..], &[0]).unwrap();
    assert_eq!(&mem[..16], &0x0102u128.to_le_bytes());
    e.host.balances.insert([1; 20], be(1u128 << 100));
    mem[20..40].copy_from_slice(&[1; 20]);
    e.invoke(Func::GetExternalBalance, &mut mem[..], &[20, 40])
        .unwrap();
    assert_eq!(&mem[40..56], &(1u128 << 100).to_le_bytes());
    // A balance above 2^128 cannot be written.
    let mut big = [0; 32];
    big[0] = 1;
    e.host.balances.insert([1; 20], big);
    assert!(
        e.invoke(Func::GetExternalBalance, &mut mem[..], &[20, 40])
            .is_err()
    );
}

#[test]
fn storage_store_pays_15000_more_to_set_a_zero_slot() {
    let mut e = eei(100_000);
    let mut mem = [0u8; 64];
    mem[0] = 1; // key 0x01..., value at 32
    mem[63] = 9;
    e.invoke(Func::StorageStore, &mut mem[..], &[0, 32])
        .unwrap();
    assert_eq!(e.gas_left(), 100_000 - 20_000);
    e.invoke(Func::StorageStore, &mut mem[..], &[0, 32])
        .unwrap();
    assert_eq!(e.gas_left(), 100_000 - 25_000);
    e.invoke(Func::StorageLoad, &mut mem[..], &[0, 32]).unwrap();
    assert_eq!(mem[63], 9);
    assert_eq!(e.gas_left(), 100_000 - 25_200);
}

#[test]
fn static_mode_forbids_stores_logs_self_destructs_and_value_calls() {
    let mut e = eei(100_000);
    e.message.is_static = true;
    let mut mem = [0u8; 128];
    for (f, args) in [
        (Func::StorageStore, vec![0, 32]),
        (Func::Log, vec![0, 4, 0, 0, 0, 0, 0]),
        (Func::SelfDestruct, vec![0]),
    ] {
        assert_eq!(e.invoke(f, &mut mem[..], &args), Err(STATIC), "{f:?}");
    }
    mem[64] = 1; // a nonzero value at 64
    assert_eq!(
        e.invoke(Func::Call, &mut mem[..], &[1000, 0, 64, 0, 0]),
        Err(STATIC)
    );
    // A call without value is fine, and stays static.
    assert_eq!(
        e.invoke(Func::Call, &mut mem[..], &[1000, 0, 96, 0, 0]),
        Ok(0)
    );
    assert!(e.host.calls[0].is_static);
}

#[test]
fn log_pays_per_topic_and_byte_and_passes_them_on() {
    let mut e = eei(100_000);
    let mut mem = [0u8; 128];
    mem[32] = 7;
    mem[64] = 8;
    e.invoke(Func::Log, &mut mem[..], &[0, 10, 2, 32, 64, 0, 0])
        .unwrap();
    assert_eq!(e.gas_left(), 100_000 - 375 - 2 * 375 - 80);
    let (address, data, topics) = &e.host.logs[0];
    assert_eq!(address, &ME);
    assert_eq!(data.len(), 10);
    assert_eq!(topics.len(), 2);
    assert_eq!((topics[0][0], topics[1][0]), (7, 8));
    assert!(
        e.invoke(Func::Log, &mut mem[..], &[0, 0, 5, 0, 0, 0, 0])
            .is_err()
    );
}

#[test]
fn call_static_to_address_9_is_keccak_256() {
    let mut e = eei(100_000);
    let mut mem = [0u8; 128];
    mem[19] = 9;
    mem[32..35].copy_from_slice(b"abc");
    assert_eq!(
        e.invoke(Func::CallStatic, &mut mem[..], &[0, 0, 32, 3]),
        Ok(0)
    );
    // Keccak-256("abc").
    let expected = "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45";
    let hex: String = e.return_data().iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, expected);
    assert!(e.host.calls.is_empty());
    assert_eq!(e.gas_left(), 100_000 - 700 - 3);
    e.invoke(Func::ReturnDataCopy, &mut mem[..], &[64, 0, 32])
        .unwrap();
    assert_eq!(&mem[64..96], e.return_data());
}

#[test]
fn a_call_with_value_pays_the_transfer_and_forwards_all_but_a_64th() {
    let mut e = eei(100_000);
    e.host.balances.insert(ME, be(1000));
    e.host.balances.insert([1; 20], be(0));
    let mut mem = [0u8; 128];
    mem[..20].copy_from_slice(&[1; 20]);
    mem[32] = 10; // value 10, little-endian
    e.host.call_result = Some(CallResult {
        status: Status::Revert,
        gas_left: 1000,
        output: b"no".to_vec(),
        create_address: [0; 20],
    });
    assert_eq!(
        e.invoke(Func::Call, &mut mem[..], &[u64::MAX, 0, 32, 64, 4]),
        Ok(2)
    );
    let left = 100_000 - 700 - 9000;
    let forwarded = left - left / 64;
    let msg = &e.host.calls[0];
    assert_eq!(msg.gas, (forwarded + 2300) as i64);
    assert_eq!(msg.value, be(10));
    assert_eq!((msg.recipient, msg.sender, msg.depth), ([1; 20], ME, 1));
    assert_eq!(msg.input.len(), 4);
    assert_eq!(e.gas_left(), left - forwarded + 1000);
    assert_eq!(e.return_data(), b"no");
    // More value than the balance: result 1, nothing sent.
    let calls = std::mem::take(&mut e.host.calls);
    let mut e = Eei::new(e.host, e.message, Vec::new());
    e.host.calls = calls;
    mem[33] = 10;
    assert_eq!(
        e.invoke(Func::Call, &mut mem[..], &[1000, 0, 32, 64, 4]),
        Ok(1)
    );
    assert_eq!(e.host.calls.len(), 1);
}

#[test]
fn call_delegate_keeps_the_callers_sender_and_value() {
    let mut e = eei(100_000);
    let mut mem = [0u8; 64];
    mem[..20].copy_from_slice(&[3; 20]);
    assert_eq!(
        e.invoke(Func::CallDelegate, &mut mem[..], &[5000, 0, 0, 0]),
        Ok(0)
    );
    let msg = &e.host.calls[0];
    assert_eq!(msg.kind, Some(CallKind::DelegateCall));
    assert_eq!((msg.recipient, msg.code_address), (ME, [3; 20]));
    assert_eq!((msg.sender, msg.value), (SENDER, be(0x0102)));
    assert_eq!(msg.gas, 5000);
}

#[test]
fn create_writes_the_new_address_and_clears_the_return_data() {
    let mut e = eei(1_000_000);
    let mut mem = [0u8; 128];
    assert_eq!(e.invoke(Func::Create, &mut mem[..], &[0, 32, 8, 64]), Ok(0));
    assert_eq!(&mem[64..84], &[0xCC; 20]);
    assert!(e.return_data().is_empty());
    let msg = &e.host.calls[0];
    assert_eq!(msg.kind, Some(CallKind::Create));
    assert_eq!(msg.input.len(), 8);
}

#[test]
fn finish_and_revert_stop_with_their_data() {
    let mut e = eei(1000);
    let mut mem = *b"hello";
    assert_eq!(
        e.invoke(Func::Finish, &mut mem[..], &[1, 4]),
        Err(Stop::Finish)
    );
    assert_eq!(e.return_data(), b"ello");
    assert_eq!(
        e.invoke(Func::Revert, &mut mem[..], &[0, 2]),
        Err(Stop::Revert)
    );
    assert_eq!(e.return_data(), b"he");
    assert_eq!(
        e.invoke(Func::Finish, &mut mem[..], &[4, 2]),
        Err(OUT_OF_BOUNDS)
    );
    // A huge length fails before anything is allocated.
    assert_eq!(
        e.invoke(Func::Finish, &mut mem[..], &[0, u64::from(u32::MAX)]),
        Err(OUT_OF_BOUNDS)
    );
}

#[test]
fn block_hash_answers_1_for_an_unknown_block() {
    let mut e = eei(10_000);
    let mut mem = vec![0u8; 32];
    assert_eq!(e.invoke(Func::GetBlockHash, &mut mem[..], &[4, 0]), Ok(1));
    assert_eq!(e.invoke(Func::GetBlockHash, &mut mem[..], &[5, 0]), Ok(0));
    assert_eq!(mem, [5; 32]);
    assert_eq!(e.gas_left(), 10_000 - 1600);
}
