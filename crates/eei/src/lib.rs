//! The Ethereum Environment Interface: the `ethereum` host module through which an ewasm
//! contract reads its call, its account and the chain, stores, logs, calls other contracts and
//! pays for gas. This crate is the module's behaviour, free of any runtime: [`Eei::invoke`] runs
//! one function over a guest memory ([`Memory`]) and an Ethereum client ([`Host`]). The EVMC VM
//! (`wedge-evmc`) and the `ethereum` plug-in bind it to a runtime.
//!
//! # As WasmEdge-EVMC defined it
//!
//! The functions, their signatures and their gas are those of second-state's WasmEdge-EVMC
//! (SSVM-EVMC), the EEI of the ewasm test networks (see [`Func`]):
//!
//! - Every call first pays the function's fixed cost ([`Func::cost`]).
//! - Copies (`callDataCopy`, `codeCopy`, `externalCodeCopy`, `returnDataCopy`, and the data a
//!   `callStatic` to the Keccak precompile hashes) pay 3 per 32-byte word.
//! - `log` pays 375 per topic and 8 per data byte; `storageStore` 15000 more when it turns a
//!   zero value nonzero; `selfDestruct` 25000 more when the beneficiary does not exist.
//! - A call with value pays 9000, and 25000 more when the target does not exist; it gives the
//!   callee 2300 more. The callee gets at most all but a 64th of the gas left; what it does not
//!   use comes back.
//! - `useGas(n)` pays `n`: the metering that ewasm tools inject into contracts.
//!
//! Numbers cross the boundary as WasmEdge-EVMC wrote them: call values, balances, gas price and
//! chain id as 128-bit little-endian, difficulty as 256-bit little-endian, `create2`'s salt read
//! as 256-bit little-endian; addresses, storage keys, storage values, topics and block hashes as
//! their bytes.
//!
//! # Where Wedge differs
//!
//! - **One gas counter.** WasmEdge-EVMC kept the fixed costs in the runtime's statistics and
//!   everything else (`useGas`, copies, storage, logs, calls) in a second counter, and reported
//!   as gas left only the message's gas minus the fixed costs: what `useGas` charged could run a
//!   contract out of gas but never showed in the result. Here every charge comes off the one
//!   counter that `getGasLeft` and the result report.
//! - **Its defects are not kept:** `callDelegate` passes on the caller's sender and value (the
//!   original sent the contract as sender and the value in the wrong byte order); `log`,
//!   `selfDestruct` and creates fail in static mode; the gas forwarded to a call is computed
//!   after the value-transfer charges, so the charges cannot overdraw the counter; a call's
//!   failure to pay is an out-of-gas, not ignored.
//! - A contract that returns from `main` without `finish` succeeds with no output (the original
//!   returned whatever the last call had left in its return buffer).

#![forbid(unsafe_code)]

mod func;
mod host;

pub use func::{Func, Ty};
pub use host::{Address, Bytes32, CallKind, CallResult, Host, Message, Status, TxContext};

use std::sync::Arc;

use sha3::{Digest, Keccak256};

/// The precompile the EEI answers itself: `callStatic` to address 9 hashes the data with
/// Keccak-256.
pub const KECCAK_PRECOMPILE: Address = {
    let mut a = [0; 20];
    a[19] = 9;
    a
};

/// The deepest call the EEI sends: a call at this depth fails (result 1) without running.
pub const MAX_DEPTH: i32 = 1024;

/// A guest's linear memory, as the EEI reads and writes it.
pub trait Memory {
    /// Copies `buf.len()` bytes at `offset` into `buf`; false, copying nothing, when out of
    /// bounds.
    fn read(&self, offset: u32, buf: &mut [u8]) -> bool;
    /// Copies `data` to `offset`; false, copying nothing, when out of bounds.
    fn write(&mut self, offset: u32, data: &[u8]) -> bool;
}

impl Memory for [u8] {
    fn read(&self, offset: u32, buf: &mut [u8]) -> bool {
        let start = offset as usize;
        match start
            .checked_add(buf.len())
            .and_then(|end| self.get(start..end))
        {
            Some(src) => {
                buf.copy_from_slice(src);
                true
            }
            None => false,
        }
    }

    fn write(&mut self, offset: u32, data: &[u8]) -> bool {
        let start = offset as usize;
        match start
            .checked_add(data.len())
            .and_then(|end| self.get_mut(start..end))
        {
            Some(dst) => {
                dst.copy_from_slice(data);
                true
            }
            None => false,
        }
    }
}

/// Why a function stopped the contract instead of returning to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// `finish`: success, with the return data as output.
    Finish,
    /// `revert`: a revert, with the return data as output.
    Revert,
    /// `selfDestruct`: success, with no output.
    SelfDestruct,
    /// The gas ran out.
    OutOfGas,
    /// The contract broke a rule of the EEI (the reason, for a log).
    Failed(&'static str),
}

impl Stop {
    /// The EVMC status the contract's execution ends with.
    #[must_use]
    pub fn status(self) -> Status {
        match self {
            Stop::Finish | Stop::SelfDestruct => Status::Success,
            Stop::Revert => Status::Revert,
            Stop::OutOfGas => Status::OutOfGas,
            Stop::Failed(_) => Status::Failure,
        }
    }
}

impl core::fmt::Display for Stop {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Stop::Finish => f.write_str("finish"),
            Stop::Revert => f.write_str("revert"),
            Stop::SelfDestruct => f.write_str("selfDestruct"),
            Stop::OutOfGas => f.write_str("out of gas"),
            Stop::Failed(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for Stop {}

type R<T> = Result<T, Stop>;

const OUT_OF_BOUNDS: Stop = Stop::Failed("memory access out of bounds");
const STATIC: Stop = Stop::Failed("state change in static mode");

/// One contract execution's EEI: the message, the code, the gas and the return-data buffer,
/// over the host `H`.
pub struct Eei<H> {
    /// The Ethereum client.
    pub host: H,
    message: Message,
    code: Arc<[u8]>,
    return_data: Vec<u8>,
    gas_limit: u64,
    gas_used: u64,
    tx: Option<TxContext>,
    stop: Option<Stop>,
}

impl<H: Host> Eei<H> {
    /// The EEI of `message` running `code` (the contract's own, for `codeCopy`; shared, so a
    /// VM that keeps contracts need not copy it per execution); the gas is the message's (a
    /// negative gas is none).
    pub fn new(host: H, message: Message, code: impl Into<Arc<[u8]>>) -> Self {
        let code = code.into();
        Eei {
            host,
            gas_limit: u64::try_from(message.gas).unwrap_or(0),
            message,
            code,
            return_data: Vec::new(),
            gas_used: 0,
            tx: None,
            stop: None,
        }
    }

    /// The message being executed.
    pub fn message(&self) -> &Message {
        &self.message
    }

    /// Gas not yet used.
    pub fn gas_left(&self) -> u64 {
        self.gas_limit - self.gas_used
    }

    /// The output so far: what `finish` or `revert` returned (or the last call's output).
    pub fn return_data(&self) -> &[u8] {
        &self.return_data
    }

    /// Takes the output.
    pub fn take_return_data(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.return_data)
    }

    /// Why the contract stopped, if a function stopped it.
    pub fn stopped(&self) -> Option<Stop> {
        self.stop
    }

    /// Pays `gas`, or runs out (and then all gas is used).
    pub fn charge(&mut self, gas: u64) -> R<()> {
        if self.gas_left() < gas {
            self.gas_used = self.gas_limit;
            return Err(Stop::OutOfGas);
        }
        self.gas_used += gas;
        Ok(())
    }

    /// Gives back gas a callee did not use.
    fn refund(&mut self, gas: u64) {
        self.gas_used = self.gas_used.saturating_sub(gas);
    }

    /// Runs `func` with `args` (each `i32` zero-extended, each `i64` as its bits) over the
    /// calling contract's memory. Returns the result (0 for functions without one), or why the
    /// contract must stop; a stop is also remembered ([`Eei::stopped`]).
    pub fn invoke<M: Memory + ?Sized>(&mut self, func: Func, mem: &mut M, args: &[u64]) -> R<u64> {
        let result = self
            .charge(func.cost())
            .and_then(|()| self.run(func, mem, args));
        if let Err(stop) = result {
            self.stop = Some(stop);
        }
        result
    }

    fn tx(&mut self) -> &TxContext {
        if self.tx.is_none() {
            self.tx = Some(self.host.tx_context());
        }
        self.tx.get_or_insert_with(TxContext::default)
    }

    fn run<M: Memory + ?Sized>(&mut self, func: Func, mem: &mut M, a: &[u64]) -> R<u64> {
        // An argument as the i32 offset or length it is.
        let u = |i: usize| a.get(i).copied().unwrap_or(0) as u32;
        let me = self.message.recipient;
        match func {
            Func::Call | Func::CallCode => {
                let kind = if func == Func::Call {
                    CallKind::Call
                } else {
                    CallKind::CallCode
                };
                let target = read_address(mem, u(1))?;
                let value = read_u128(mem, u(2))?;
                let (recipient, sender) = if kind == CallKind::Call {
                    (target, me)
                } else {
                    (me, me)
                };
                let msg = Message {
                    kind: Some(kind),
                    is_static: self.message.is_static,
                    recipient,
                    sender,
                    code_address: target,
                    value,
                    ..Message::default()
                };
                self.call(mem, msg, a[0], u(3), u(4), None)
            }
            Func::CallDelegate => {
                let target = read_address(mem, u(1))?;
                let msg = Message {
                    kind: Some(CallKind::DelegateCall),
                    is_static: self.message.is_static,
                    recipient: me,
                    sender: self.message.sender,
                    code_address: target,
                    value: self.message.value,
                    ..Message::default()
                };
                self.call(mem, msg, a[0], u(2), u(3), None)
            }
            Func::CallStatic => {
                let target = read_address(mem, u(1))?;
                if target == KECCAK_PRECOMPILE {
                    self.charge_copy(u(3))?;
                    let data = read_vec(mem, u(2), u(3))?;
                    self.return_data = Keccak256::digest(&data).to_vec();
                    return Ok(0);
                }
                let msg = Message {
                    kind: Some(CallKind::Call),
                    is_static: true,
                    recipient: target,
                    sender: me,
                    code_address: target,
                    ..Message::default()
                };
                self.call(mem, msg, a[0], u(2), u(3), None)
            }
            Func::Create | Func::Create2 => {
                let value = read_u128(mem, u(0))?;
                let (kind, salt, result) = if func == Func::Create {
                    (CallKind::Create, [0; 32], u(3))
                } else {
                    let mut salt = [0; 32];
                    read(mem, u(3), &mut salt)?;
                    salt.reverse();
                    (CallKind::Create2, salt, u(4))
                };
                let msg = Message {
                    kind: Some(kind),
                    sender: me,
                    value,
                    salt,
                    ..Message::default()
                };
                self.call(mem, msg, u64::MAX, u(1), u(2), Some(result))
            }
            Func::CallDataCopy => {
                self.charge_copy(u(2))?;
                copy_out(mem, u(0), &self.message.input, u(1), u(2))
            }
            Func::CodeCopy => {
                self.charge_copy(u(2))?;
                copy_out(mem, u(0), &self.code, u(1), u(2))
            }
            Func::ReturnDataCopy => {
                self.charge_copy(u(2))?;
                copy_out(mem, u(0), &self.return_data, u(1), u(2))
            }
            Func::ExternalCodeCopy => {
                self.charge_copy(u(3))?;
                let address = read_address(mem, u(0))?;
                let mut buf = vec![0; u(3) as usize];
                let copied = self.host.copy_code(&address, u(2) as usize, &mut buf);
                if copied != buf.len() {
                    return Err(Stop::Failed("externalCodeCopy past the end of the code"));
                }
                write(mem, u(1), &buf).map(|()| 0)
            }
            Func::Finish | Func::Revert => {
                self.return_data = read_vec(mem, u(0), u(1))?;
                Err(if func == Func::Finish {
                    Stop::Finish
                } else {
                    Stop::Revert
                })
            }
            Func::GetAddress => write(mem, u(0), &me).map(|()| 0),
            Func::GetCaller => {
                let sender = self.message.sender;
                write(mem, u(0), &sender).map(|()| 0)
            }
            Func::GetCallValue => {
                let value = self.message.value;
                write_u128(mem, u(0), &value).map(|()| 0)
            }
            Func::GetCallDataSize => Ok(self.message.input.len() as u64),
            Func::GetCodeSize => Ok(self.code.len() as u64),
            Func::GetReturnDataSize => Ok(self.return_data.len() as u64),
            Func::GetGasLeft => Ok(self.gas_left()),
            Func::GetExternalBalance => {
                let address = read_address(mem, u(0))?;
                let balance = self.host.get_balance(&address);
                write_u128(mem, u(1), &balance).map(|()| 0)
            }
            Func::GetExternalCodeSize => {
                let address = read_address(mem, u(0))?;
                Ok(u64::from(self.host.get_code_size(&address) as u32))
            }
            Func::GetBlockCoinbase => {
                let coinbase = self.tx().coinbase;
                write(mem, u(0), &coinbase).map(|()| 0)
            }
            Func::GetTxOrigin => {
                let origin = self.tx().origin;
                write(mem, u(0), &origin).map(|()| 0)
            }
            Func::GetBlockDifficulty => {
                let mut difficulty = self.tx().difficulty;
                difficulty.reverse();
                write(mem, u(0), &difficulty).map(|()| 0)
            }
            Func::GetTxGasPrice => {
                let price = self.tx().gas_price;
                write_u128(mem, u(0), &price).map(|()| 0)
            }
            Func::GetChainId => {
                let id = self.tx().chain_id;
                write_u128(mem, u(0), &id).map(|()| 0)
            }
            Func::GetBlockGasLimit => Ok(self.tx().gas_limit as u64),
            Func::GetBlockNumber => Ok(self.tx().number as u64),
            Func::GetBlockTimestamp => Ok(self.tx().timestamp as u64),
            Func::GetBlockHash => {
                let hash = self.host.block_hash(a[0] as i64);
                if hash == [0; 32] {
                    return Ok(1);
                }
                write(mem, u(1), &hash).map(|()| 0)
            }
            Func::Log => {
                if self.message.is_static {
                    return Err(STATIC);
                }
                let (len, count) = (u(1), u(2));
                if count > 4 {
                    return Err(Stop::Failed("log with more than 4 topics"));
                }
                self.charge(375 * u64::from(count) + 8 * u64::from(len))?;
                let mut topics = [[0; 32]; 4];
                for (i, topic) in topics.iter_mut().take(count as usize).enumerate() {
                    read(mem, u(3 + i), topic)?;
                }
                let data = read_vec(mem, u(0), len)?;
                self.host.emit_log(&me, &data, &topics[..count as usize]);
                Ok(0)
            }
            Func::SelfDestruct => {
                if self.message.is_static {
                    return Err(STATIC);
                }
                let beneficiary = read_address(mem, u(0))?;
                if !self.host.account_exists(&beneficiary) {
                    self.charge(25000)?;
                }
                self.host.selfdestruct(&me, &beneficiary);
                Err(Stop::SelfDestruct)
            }
            Func::StorageLoad => {
                let mut key = [0; 32];
                read(mem, u(0), &mut key)?;
                let value = self.host.get_storage(&me, &key);
                write(mem, u(1), &value).map(|()| 0)
            }
            Func::StorageStore => {
                if self.message.is_static {
                    return Err(STATIC);
                }
                let (mut key, mut value) = ([0; 32], [0; 32]);
                read(mem, u(0), &mut key)?;
                read(mem, u(1), &mut value)?;
                if value != [0; 32] && self.host.get_storage(&me, &key) == [0; 32] {
                    self.charge(15000)?;
                }
                self.host.set_storage(&me, &key, &value);
                Ok(0)
            }
            Func::UseGas => self.charge(a[0]).map(|()| 0),
        }
    }

    /// Pays for copying `len` bytes: 3 per 32-byte word.
    fn charge_copy(&mut self, len: u32) -> R<()> {
        self.charge(3 * u64::from(len).div_ceil(32))
    }

    /// Sends `msg` with the data at `data`/`len` as input and at most `gas` (`u64::MAX` for a
    /// create: all it may have). Returns 0 on success, 1 on failure, 2 on revert; a create's
    /// new address goes to `create_result`.
    fn call<M: Memory + ?Sized>(
        &mut self,
        mem: &mut M,
        mut msg: Message,
        gas: u64,
        data: u32,
        len: u32,
        create_result: Option<u32>,
    ) -> R<u64> {
        let kind = msg.kind.unwrap_or(CallKind::Call);
        let creates = matches!(kind, CallKind::Create | CallKind::Create2);
        let transfers = matches!(kind, CallKind::Call | CallKind::CallCode) && msg.value != [0; 32];
        if self.message.is_static && (creates || (kind == CallKind::Call && transfers)) {
            return Err(STATIC);
        }
        msg.input = read_vec(mem, data, len)?;
        msg.depth = self.message.depth + 1;
        if self.message.depth >= MAX_DEPTH {
            return Ok(1);
        }
        if transfers {
            self.charge(9000)?;
            if !self.host.account_exists(&msg.code_address) {
                self.charge(25000)?;
            }
        }
        if transfers || creates {
            let balance = self.host.get_balance(&self.message.recipient);
            // Both big-endian, so the bytes compare as the numbers do.
            if balance < msg.value {
                return Ok(1);
            }
        }
        let left = self.gas_left();
        let forwarded = gas.min(left - left / 64);
        self.charge(forwarded)?;
        let stipend = if transfers { 2300 } else { 0 };
        msg.gas = (forwarded + stipend) as i64;

        let result = self.host.call(&msg);
        let Ok(gas_back) = u64::try_from(result.gas_left) else {
            return Err(Stop::Failed("a call returned negative gas"));
        };
        self.refund(gas_back);
        match create_result {
            Some(at) if result.status == Status::Success => {
                write(mem, at, &result.create_address)?;
                self.return_data.clear();
            }
            _ => self.return_data = result.output,
        }
        Ok(match result.status {
            Status::Success => 0,
            Status::Revert => 2,
            _ => 1,
        })
    }
}

fn read<M: Memory + ?Sized>(mem: &M, offset: u32, buf: &mut [u8]) -> R<()> {
    if mem.read(offset, buf) {
        Ok(())
    } else {
        Err(OUT_OF_BOUNDS)
    }
}

fn write<M: Memory + ?Sized>(mem: &mut M, offset: u32, data: &[u8]) -> R<()> {
    if mem.write(offset, data) {
        Ok(())
    } else {
        Err(OUT_OF_BOUNDS)
    }
}

fn read_vec<M: Memory + ?Sized>(mem: &M, offset: u32, len: u32) -> R<Vec<u8>> {
    // `len` is at most 4 GiB; a range past the memory fails before it is allocated only if the
    // memory says so, so check the last byte first.
    if len > 0 && !mem.read(offset.checked_add(len - 1).ok_or(OUT_OF_BOUNDS)?, &mut [0]) {
        return Err(OUT_OF_BOUNDS);
    }
    let mut buf = vec![0; len as usize];
    read(mem, offset, &mut buf)?;
    Ok(buf)
}

fn read_address<M: Memory + ?Sized>(mem: &M, offset: u32) -> R<Address> {
    let mut a = [0; 20];
    read(mem, offset, &mut a)?;
    Ok(a)
}

/// A 128-bit little-endian number in memory, as a big-endian 256-bit one.
fn read_u128<M: Memory + ?Sized>(mem: &M, offset: u32) -> R<Bytes32> {
    let mut le = [0; 16];
    read(mem, offset, &mut le)?;
    let mut be = [0; 32];
    for (dst, src) in be[16..].iter_mut().zip(le.iter().rev()) {
        *dst = *src;
    }
    Ok(be)
}

/// Writes a big-endian 256-bit number as 128-bit little-endian; a number that does not fit
/// fails.
fn write_u128<M: Memory + ?Sized>(mem: &mut M, offset: u32, be: &Bytes32) -> R<()> {
    if be[..16] != [0; 16] {
        return Err(Stop::Failed("a 256-bit value does not fit in 128 bits"));
    }
    let mut le = [0; 16];
    for (dst, src) in le.iter_mut().zip(be[16..].iter().rev()) {
        *dst = *src;
    }
    write(mem, offset, &le)
}

/// Copies `len` bytes of `src` from `from` into memory at `to`; a range past `src` fails, as it
/// did in WasmEdge-EVMC.
fn copy_out<M: Memory + ?Sized>(mem: &mut M, to: u32, src: &[u8], from: u32, len: u32) -> R<u64> {
    let start = from as usize;
    let bytes = start
        .checked_add(len as usize)
        .and_then(|end| src.get(start..end))
        .ok_or(Stop::Failed("copy past the end of its source"))?;
    write(mem, to, bytes).map(|()| 0)
}

#[cfg(test)]
mod tests;
