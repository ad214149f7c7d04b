//! What the EEI asks of its host: the Ethereum state and context, in EVMC's terms.

/// A 20-byte account address.
pub type Address = [u8; 20];
/// 32 bytes: a storage key or value, a hash, or a 256-bit number in big-endian order (EVMC's
/// `evmc_uint256be`).
pub type Bytes32 = [u8; 32];

/// The kind of a message (EVMC's `evmc_call_kind`, same numbers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum CallKind {
    /// `CALL` (also `callStatic`, with [`Message::is_static`]).
    Call = 0,
    /// `DELEGATECALL`: the target's code, in the caller's context, sender and value.
    DelegateCall = 1,
    /// `CALLCODE`: the target's code, in the caller's context.
    CallCode = 2,
    /// `CREATE`.
    Create = 3,
    /// `CREATE2`.
    Create2 = 4,
}

impl CallKind {
    /// The kind with EVMC number `n`.
    #[must_use]
    pub fn from_evmc(n: u32) -> Option<CallKind> {
        Some(match n {
            0 => CallKind::Call,
            1 => CallKind::DelegateCall,
            2 => CallKind::CallCode,
            3 => CallKind::Create,
            4 => CallKind::Create2,
            _ => return None,
        })
    }
}

/// A message: the call being executed, or one a contract sends.
///
/// EVMC before ABI 10 had one `destination`; from ABI 10 on it is split into the account whose
/// storage and balance the code runs with (`recipient`) and the account whose code runs
/// (`code_address`). They differ only for `DELEGATECALL` and `CALLCODE`, where the EEI sets the
/// recipient to the calling contract and the code address to the target; a host on the old ABI
/// is given the target as `destination`, as the EVMs of that time did.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Message {
    /// What kind of message.
    pub kind: Option<CallKind>,
    /// Static mode: no state changes (EVMC's `EVMC_STATIC` flag).
    pub is_static: bool,
    /// Call depth, 0 for the transaction's own call.
    pub depth: i32,
    /// Gas given to the message.
    pub gas: i64,
    /// The account the code runs as.
    pub recipient: Address,
    /// Who sent the message.
    pub sender: Address,
    /// The account whose code runs.
    pub code_address: Address,
    /// Call data, or the init code of a create.
    pub input: Vec<u8>,
    /// Value transferred, big-endian.
    pub value: Bytes32,
    /// The salt of a `CREATE2`.
    pub salt: Bytes32,
}

/// EVMC's status codes (`evmc_status_code`, same numbers) that the EEI and the VM report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i32)]
pub enum Status {
    /// Finished normally.
    Success = 0,
    /// Failed; all gas is gone.
    Failure = 1,
    /// Reverted: state changes undone, the unused gas and the output kept.
    Revert = 2,
    /// Ran out of gas.
    OutOfGas = 3,
    /// The code is not a valid ewasm contract.
    ContractValidationFailure = 13,
    /// The wasm code reached `unreachable`.
    WasmUnreachable = 15,
    /// Any other wasm trap.
    WasmTrap = 16,
    /// The VM itself failed.
    InternalError = -1,
}

impl Status {
    /// The status with EVMC number `n`; numbers the EEI does not name count as failures.
    #[must_use]
    pub fn from_evmc(n: i32) -> Status {
        match n {
            0 => Status::Success,
            2 => Status::Revert,
            3 => Status::OutOfGas,
            13 => Status::ContractValidationFailure,
            15 => Status::WasmUnreachable,
            16 => Status::WasmTrap,
            -1 => Status::InternalError,
            _ => Status::Failure,
        }
    }
}

/// What a message sent to the host came back with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallResult {
    /// How it ended.
    pub status: Status,
    /// Gas it did not use (negative is a host error).
    pub gas_left: i64,
    /// Its output (for a create: the deployed code, which the caller does not see).
    pub output: Vec<u8>,
    /// The new account of a successful create.
    pub create_address: Address,
}

/// The transaction and block a message runs in (EVMC's `evmc_tx_context`, the fields the EEI
/// reads).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct TxContext {
    /// Gas price, big-endian.
    pub gas_price: Bytes32,
    /// The transaction's sender.
    pub origin: Address,
    /// The block's miner.
    pub coinbase: Address,
    /// Block number.
    pub number: i64,
    /// Block timestamp.
    pub timestamp: i64,
    /// Block gas limit.
    pub gas_limit: i64,
    /// Block difficulty (from EVMC ABI 10 on, the previous RANDAO value), big-endian.
    pub difficulty: Bytes32,
    /// Chain id, big-endian.
    pub chain_id: Bytes32,
}

/// The Ethereum client the contract runs in: EVMC's host interface, the part the EEI uses.
pub trait Host {
    /// Whether the account exists.
    fn account_exists(&mut self, address: &Address) -> bool;
    /// The value under `key` in the account's storage (zero if none).
    fn get_storage(&mut self, address: &Address, key: &Bytes32) -> Bytes32;
    /// Sets a storage value.
    fn set_storage(&mut self, address: &Address, key: &Bytes32, value: &Bytes32);
    /// The account's balance, big-endian.
    fn get_balance(&mut self, address: &Address) -> Bytes32;
    /// The size of the account's code.
    fn get_code_size(&mut self, address: &Address) -> usize;
    /// Copies the account's code from `offset` into `buf`; returns how many bytes it copied.
    fn copy_code(&mut self, address: &Address, offset: usize, buf: &mut [u8]) -> usize;
    /// Destroys `address`, sending its balance to `beneficiary`.
    fn selfdestruct(&mut self, address: &Address, beneficiary: &Address);
    /// Runs a message (a call or a create) and returns its result.
    fn call(&mut self, message: &Message) -> CallResult;
    /// The transaction and block context.
    fn tx_context(&mut self) -> TxContext;
    /// The hash of block `number` (zero if unknown).
    fn block_hash(&mut self, number: i64) -> Bytes32;
    /// Records a log entry of `address`.
    fn emit_log(&mut self, address: &Address, data: &[u8], topics: &[Bytes32]);
}
