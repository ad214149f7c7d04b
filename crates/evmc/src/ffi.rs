//! The C side: EVMC's structures for ABI 7 and ABI 12, the create functions, `execute`, and the
//! EVMC host interface as an EEI [`Host`].
//!
//! The structures are declared from EVMC's ABI as its `evmc.h` of each version defines it
//! (7.5.0 and 12.1.0): the message gained `code_address`, `code` and `code_size` and renamed
//! `destination` to `recipient` (10); the result gained `gas_refund` (10); the transaction
//! context gained the base fees and blob fields (9-12) and renamed `block_difficulty` to
//! `block_prev_randao` (10); the host interface gained `access_account`, `access_storage` (8) and
//! transient storage (11), and `selfdestruct` returns a `bool` (9).
#![allow(unsafe_code)]

use std::ffi::{c_char, c_int, c_void};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;

use wedge_eei::{Address, Bytes32, CallKind, CallResult, Host, Message, Status, TxContext};

use crate::Vm;

/// `evmc_address`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct EvmcAddress(pub Address);
/// `evmc_bytes32` / `evmc_uint256be`.
#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct EvmcBytes32(pub Bytes32);

/// `EVMC_STATIC`.
const STATIC: u32 = 1;
/// `EVMC_CAPABILITY_EWASM`.
const CAPABILITY_EWASM: u32 = 1 << 1;
/// `EVMC_SET_OPTION_INVALID_NAME`.
const SET_OPTION_INVALID_NAME: c_int = 1;

/// The EVMC host context: opaque to the VM.
pub type Context = *mut c_void;

/// `evmc_message` of ABI 7.
#[repr(C)]
pub struct Message7 {
    kind: u32,
    flags: u32,
    depth: i32,
    gas: i64,
    destination: EvmcAddress,
    sender: EvmcAddress,
    input_data: *const u8,
    input_size: usize,
    value: EvmcBytes32,
    create2_salt: EvmcBytes32,
}

/// `evmc_message` of ABI 12.
#[repr(C)]
pub struct Message12 {
    kind: u32,
    flags: u32,
    depth: i32,
    gas: i64,
    recipient: EvmcAddress,
    sender: EvmcAddress,
    input_data: *const u8,
    input_size: usize,
    value: EvmcBytes32,
    create2_salt: EvmcBytes32,
    code_address: EvmcAddress,
    code: *const u8,
    code_size: usize,
}

/// `evmc_result` of ABI 7.
#[repr(C)]
pub struct Result7 {
    status_code: c_int,
    gas_left: i64,
    output_data: *const u8,
    output_size: usize,
    release: Option<unsafe extern "C" fn(*const Result7)>,
    create_address: EvmcAddress,
    padding: [u8; 4],
}

/// `evmc_result` of ABI 12.
#[repr(C)]
pub struct Result12 {
    status_code: c_int,
    gas_left: i64,
    gas_refund: i64,
    output_data: *const u8,
    output_size: usize,
    release: Option<unsafe extern "C" fn(*const Result12)>,
    create_address: EvmcAddress,
    padding: [u8; 4],
}

/// `evmc_tx_context` of ABI 7.
#[repr(C)]
pub struct TxContext7 {
    gas_price: EvmcBytes32,
    origin: EvmcAddress,
    coinbase: EvmcAddress,
    number: i64,
    timestamp: i64,
    gas_limit: i64,
    difficulty: EvmcBytes32,
    chain_id: EvmcBytes32,
}

/// `evmc_tx_context` of ABI 12.
#[repr(C)]
pub struct TxContext12 {
    gas_price: EvmcBytes32,
    origin: EvmcAddress,
    coinbase: EvmcAddress,
    number: i64,
    timestamp: i64,
    gas_limit: i64,
    prev_randao: EvmcBytes32,
    chain_id: EvmcBytes32,
    base_fee: EvmcBytes32,
    blob_base_fee: EvmcBytes32,
    blob_hashes: *const EvmcBytes32,
    blob_hashes_count: usize,
    initcodes: *const c_void,
    initcodes_count: usize,
}

/// The host functions both ABIs begin with, in the same order and with the same types.
#[repr(C)]
pub struct HostCommon {
    account_exists: Option<unsafe extern "C" fn(Context, *const EvmcAddress) -> bool>,
    get_storage: Option<
        unsafe extern "C" fn(Context, *const EvmcAddress, *const EvmcBytes32) -> EvmcBytes32,
    >,
    set_storage: Option<
        unsafe extern "C" fn(
            Context,
            *const EvmcAddress,
            *const EvmcBytes32,
            *const EvmcBytes32,
        ) -> c_int,
    >,
    get_balance: Option<unsafe extern "C" fn(Context, *const EvmcAddress) -> EvmcBytes32>,
    get_code_size: Option<unsafe extern "C" fn(Context, *const EvmcAddress) -> usize>,
    get_code_hash: Option<unsafe extern "C" fn(Context, *const EvmcAddress) -> EvmcBytes32>,
    copy_code:
        Option<unsafe extern "C" fn(Context, *const EvmcAddress, usize, *mut u8, usize) -> usize>,
}

type BlockHashFn = Option<unsafe extern "C" fn(Context, i64) -> EvmcBytes32>;
type EmitLogFn = Option<
    unsafe extern "C" fn(Context, *const EvmcAddress, *const u8, usize, *const EvmcBytes32, usize),
>;

/// `evmc_host_interface` of ABI 7.
#[repr(C)]
pub struct HostInterface7 {
    common: HostCommon,
    selfdestruct: Option<unsafe extern "C" fn(Context, *const EvmcAddress, *const EvmcAddress)>,
    call: Option<unsafe extern "C" fn(Context, *const Message7) -> Result7>,
    get_tx_context: Option<unsafe extern "C" fn(Context) -> TxContext7>,
    get_block_hash: BlockHashFn,
    emit_log: EmitLogFn,
}

/// `evmc_host_interface` of ABI 12 (the access and transient-storage functions, which the EEI
/// does not use, are not read).
#[repr(C)]
pub struct HostInterface12 {
    common: HostCommon,
    selfdestruct:
        Option<unsafe extern "C" fn(Context, *const EvmcAddress, *const EvmcAddress) -> bool>,
    call: Option<unsafe extern "C" fn(Context, *const Message12) -> Result12>,
    get_tx_context: Option<unsafe extern "C" fn(Context) -> TxContext12>,
    get_block_hash: BlockHashFn,
    emit_log: EmitLogFn,
}

/// `evmc_vm`, with `execute` typed for the ABI `E` belongs to.
#[repr(C)]
pub struct EvmcVm<E> {
    abi_version: c_int,
    name: *const c_char,
    version: *const c_char,
    destroy: unsafe extern "C" fn(*mut c_void),
    execute: E,
    get_capabilities: unsafe extern "C" fn(*mut c_void) -> u32,
    set_option: unsafe extern "C" fn(*mut c_void, *const c_char, *const c_char) -> c_int,
}

type Execute7 = unsafe extern "C" fn(
    *mut c_void,
    *const HostInterface7,
    Context,
    c_int,
    *const Message7,
    *const u8,
    usize,
) -> Result7;
type Execute12 = unsafe extern "C" fn(
    *mut c_void,
    *const HostInterface12,
    Context,
    c_int,
    *const Message12,
    *const u8,
    usize,
) -> Result12;

/// What a create function hands out: the public `evmc_vm` first, as EVMC allows, then the VM.
#[repr(C)]
struct Instance<E> {
    evmc: EvmcVm<E>,
    vm: &'static Vm,
}

/// One VM per process, shared by every instance (its engine and contract cache are
/// thread-safe).
fn shared_vm() -> &'static Vm {
    static VM: OnceLock<Vm> = OnceLock::new();
    VM.get_or_init(Vm::new)
}

/// The ABI a generic create function gives: 12, or what `WEDGE_EVMC_ABI` says.
fn default_abi_is_7() -> bool {
    std::env::var("WEDGE_EVMC_ABI").is_ok_and(|v| v.trim() == "7")
}

unsafe extern "C" fn destroy<E>(vm: *mut c_void) {
    if !vm.is_null() {
        // SAFETY: `vm` came from `Box::into_raw` of an `Instance<E>` in `create` (EVMC calls
        // destroy once per created VM), whose first field it is.
        drop(unsafe { Box::from_raw(vm.cast::<Instance<E>>()) });
    }
}

unsafe extern "C" fn get_capabilities(_: *mut c_void) -> u32 {
    CAPABILITY_EWASM
}

unsafe extern "C" fn set_option(_: *mut c_void, _: *const c_char, _: *const c_char) -> c_int {
    SET_OPTION_INVALID_NAME
}

fn create<E>(abi_version: c_int, execute: E) -> *mut EvmcVm<E> {
    let instance = Box::new(Instance {
        evmc: EvmcVm {
            abi_version,
            name: c"wedge".as_ptr(),
            version: c"0.1.0".as_ptr(),
            destroy: destroy::<E>,
            execute,
            get_capabilities,
            set_option,
        },
        vm: shared_vm(),
    });
    Box::into_raw(instance).cast()
}

/// The VM of ABI 12.
#[unsafe(no_mangle)]
pub extern "C" fn evmc_create_wedge_evmc() -> *mut c_void {
    create::<Execute12>(12, execute12).cast()
}

/// The VM of ABI 7, under the name WasmEdge-EVMC's library file makes EVMC's loader look for.
#[unsafe(no_mangle)]
pub extern "C" fn evmc_create_wasmedge_evmc() -> *mut c_void {
    create::<Execute7>(7, execute7).cast()
}

/// The VM of ABI 7, for SSVM-EVMC's library name.
#[unsafe(no_mangle)]
pub extern "C" fn evmc_create_ssvm_evmc() -> *mut c_void {
    evmc_create_wasmedge_evmc()
}

/// The VM of ABI 12, or of ABI 7 with `WEDGE_EVMC_ABI=7`.
#[unsafe(no_mangle)]
pub extern "C" fn evmc_create_wedge() -> *mut c_void {
    if default_abi_is_7() {
        evmc_create_wasmedge_evmc()
    } else {
        evmc_create_wedge_evmc()
    }
}

/// EVMC's generic create function: as [`evmc_create_wedge`].
#[unsafe(no_mangle)]
pub extern "C" fn evmc_create() -> *mut c_void {
    evmc_create_wedge()
}

/// The `size` bytes at `data`, borrowed (none when null).
///
/// # Safety
/// `data` must be null or point to `size` bytes that stay readable and unchanged for `'a`.
unsafe fn borrowed<'a>(data: *const u8, size: usize) -> &'a [u8] {
    if data.is_null() || size == 0 {
        &[]
    } else {
        // SAFETY: the caller's contract.
        unsafe { std::slice::from_raw_parts(data, size) }
    }
}

/// Copies `size` bytes at `data`, none when null.
///
/// # Safety
/// As [`borrowed`], for the length of the call.
unsafe fn bytes(data: *const u8, size: usize) -> Vec<u8> {
    // SAFETY: the caller's contract.
    unsafe { borrowed(data, size) }.to_vec()
}

/// A result's output as a boxed slice the `release` function frees.
fn leak_output(output: Vec<u8>) -> (*const u8, usize) {
    if output.is_empty() {
        return (std::ptr::null(), 0);
    }
    let boxed = output.into_boxed_slice();
    let len = boxed.len();
    (Box::into_raw(boxed).cast::<u8>().cast_const(), len)
}

/// Frees what [`leak_output`] made.
///
/// # Safety
/// `(data, size)` must come from `leak_output`, once.
unsafe fn free_output(data: *const u8, size: usize) {
    if !data.is_null() {
        let slice = std::ptr::slice_from_raw_parts_mut(data.cast_mut(), size);
        // SAFETY: the caller's contract: a boxed slice of this length, not yet freed.
        drop(unsafe { Box::from_raw(slice) });
    }
}

unsafe extern "C" fn release7(result: *const Result7) {
    // SAFETY: EVMC calls `release` with the result this library returned, once.
    unsafe { free_output((*result).output_data, (*result).output_size) }
}

unsafe extern "C" fn release12(result: *const Result12) {
    // SAFETY: as `release7`.
    unsafe { free_output((*result).output_data, (*result).output_size) }
}

/// The parts of a message that both ABIs share, read into an EEI message.
#[allow(clippy::too_many_arguments)]
fn message_in(
    kind: u32,
    flags: u32,
    depth: i32,
    gas: i64,
    recipient: Address,
    sender: Address,
    code_address: Address,
    input: Vec<u8>,
    value: Bytes32,
    salt: Bytes32,
) -> Message {
    Message {
        kind: CallKind::from_evmc(kind),
        is_static: flags & STATIC != 0,
        depth,
        gas,
        recipient,
        sender,
        code_address,
        input,
        value,
        salt,
    }
}

fn kind_out(message: &Message) -> u32 {
    message.kind.unwrap_or(CallKind::Call) as u32
}

/// Runs `f` (the VM's side of `execute`), turning a panic into `EVMC_INTERNAL_ERROR`.
fn guarded(f: impl FnOnce() -> CallResult) -> CallResult {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(CallResult {
        status: Status::InternalError,
        gas_left: 0,
        output: Vec::new(),
        create_address: [0; 20],
    })
}

/// The VM an instance pointer belongs to.
///
/// # Safety
/// `vm` must be a live instance made by `create`.
unsafe fn vm_of(vm: *mut c_void) -> &'static Vm {
    // SAFETY: the caller's contract; `Instance` starts with the `EvmcVm`, and its `vm` field
    // sits at the same offset whatever the ABI (the `EvmcVm` is seven pointer-sized fields).
    unsafe { (*vm.cast::<Instance<Execute12>>()).vm }
}

unsafe extern "C" fn execute7(
    vm: *mut c_void,
    host: *const HostInterface7,
    context: Context,
    _revision: c_int,
    msg: *const Message7,
    code: *const u8,
    code_size: usize,
) -> Result7 {
    let result = guarded(|| {
        // SAFETY: EVMC's contract for `execute`: a VM this library created, a host interface
        // and message valid for the call, `code_size` bytes at `code`.
        let (vm, host, msg, code) =
            unsafe { (vm_of(vm), &*host, &*msg, borrowed(code, code_size)) };
        let message = message_in(
            msg.kind,
            msg.flags,
            msg.depth,
            msg.gas,
            msg.destination.0,
            msg.sender.0,
            msg.destination.0,
            // SAFETY: the message's input is `input_size` bytes at `input_data`.
            unsafe { bytes(msg.input_data, msg.input_size) },
            msg.value.0,
            msg.create2_salt.0,
        );
        vm.execute(Host7 { host, context }, message, code)
    });
    let (output_data, output_size) = leak_output(result.output);
    Result7 {
        status_code: result.status as c_int,
        gas_left: result.gas_left,
        output_data,
        output_size,
        release: Some(release7),
        create_address: EvmcAddress(result.create_address),
        padding: [0; 4],
    }
}

unsafe extern "C" fn execute12(
    vm: *mut c_void,
    host: *const HostInterface12,
    context: Context,
    _revision: c_int,
    msg: *const Message12,
    code: *const u8,
    code_size: usize,
) -> Result12 {
    let result = guarded(|| {
        // SAFETY: as in `execute7`.
        let (vm, host, msg, code) =
            unsafe { (vm_of(vm), &*host, &*msg, borrowed(code, code_size)) };
        let message = message_in(
            msg.kind,
            msg.flags,
            msg.depth,
            msg.gas,
            msg.recipient.0,
            msg.sender.0,
            msg.code_address.0,
            // SAFETY: as in `execute7`.
            unsafe { bytes(msg.input_data, msg.input_size) },
            msg.value.0,
            msg.create2_salt.0,
        );
        vm.execute(Host12 { host, context }, message, code)
    });
    let (output_data, output_size) = leak_output(result.output);
    Result12 {
        status_code: result.status as c_int,
        gas_left: result.gas_left,
        gas_refund: 0,
        output_data,
        output_size,
        release: Some(release12),
        create_address: EvmcAddress(result.create_address),
        padding: [0; 4],
    }
}

/// The EVMC host of ABI 7, for the duration of one `execute`.
struct Host7 {
    host: &'static HostInterface7,
    context: Context,
}

/// The EVMC host of ABI 12, for the duration of one `execute`.
struct Host12 {
    host: &'static HostInterface12,
    context: Context,
}

/// Calls host function `$f` of `$self`'s interface (a missing one gives the default value).
macro_rules! host_call {
    ($self:ident . $($path:ident).+ ($($arg:expr),*)) => {
        match $self.host.$($path).+ {
            // SAFETY: the host interface and context EVMC passed to `execute`, which are valid
            // until it returns; `Host7`/`Host12` live only inside it. Pointer arguments point to
            // locals or buffers of the stated size.
            Some(f) => unsafe { f($self.context, $($arg),*) },
            None => Default::default(),
        }
    };
}

/// The host functions that are the same in both ABIs.
macro_rules! common_host {
    () => {
        fn account_exists(&mut self, address: &Address) -> bool {
            host_call!(self.common.account_exists(address.as_ptr().cast()))
        }
        fn get_storage(&mut self, address: &Address, key: &Bytes32) -> Bytes32 {
            let v: EvmcBytes32 = host_call!(
                self.common
                    .get_storage(address.as_ptr().cast(), key.as_ptr().cast())
            );
            v.0
        }
        fn set_storage(&mut self, address: &Address, key: &Bytes32, value: &Bytes32) {
            let _: c_int = host_call!(self.common.set_storage(
                address.as_ptr().cast(),
                key.as_ptr().cast(),
                value.as_ptr().cast()
            ));
        }
        fn get_balance(&mut self, address: &Address) -> Bytes32 {
            let v: EvmcBytes32 = host_call!(self.common.get_balance(address.as_ptr().cast()));
            v.0
        }
        fn get_code_size(&mut self, address: &Address) -> usize {
            host_call!(self.common.get_code_size(address.as_ptr().cast()))
        }
        fn copy_code(&mut self, address: &Address, offset: usize, buf: &mut [u8]) -> usize {
            let copied: usize = host_call!(self.common.copy_code(
                address.as_ptr().cast(),
                offset,
                buf.as_mut_ptr(),
                buf.len()
            ));
            copied.min(buf.len())
        }
        fn block_hash(&mut self, number: i64) -> Bytes32 {
            let v: EvmcBytes32 = host_call!(self.get_block_hash(number));
            v.0
        }
        fn emit_log(&mut self, address: &Address, data: &[u8], topics: &[Bytes32]) {
            host_call!(self.emit_log(
                address.as_ptr().cast(),
                data.as_ptr(),
                data.len(),
                topics.as_ptr().cast(),
                topics.len()
            ))
        }
    };
}

/// A result a host returned, copied, and released.
fn result_in(status: c_int, gas_left: i64, output: Vec<u8>, create_address: Address) -> CallResult {
    CallResult {
        status: Status::from_evmc(status),
        gas_left,
        output,
        create_address,
    }
}

/// An EVMC result of either ABI, as the EEI reads it.
trait EvmcResult: Sized {
    /// Status, gas left, output and new address.
    fn parts(&self) -> (c_int, i64, *const u8, usize, Address);
    /// The result's release function.
    fn release_fn(&self) -> Option<unsafe extern "C" fn(*const Self)>;
}

impl EvmcResult for Result7 {
    fn parts(&self) -> (c_int, i64, *const u8, usize, Address) {
        let r = self;
        (
            r.status_code,
            r.gas_left,
            r.output_data,
            r.output_size,
            r.create_address.0,
        )
    }
    fn release_fn(&self) -> Option<unsafe extern "C" fn(*const Self)> {
        self.release
    }
}

impl EvmcResult for Result12 {
    fn parts(&self) -> (c_int, i64, *const u8, usize, Address) {
        let r = self;
        (
            r.status_code,
            r.gas_left,
            r.output_data,
            r.output_size,
            r.create_address.0,
        )
    }
    fn release_fn(&self) -> Option<unsafe extern "C" fn(*const Self)> {
        self.release
    }
}

/// Sends `msg` through the host's `call` (a missing one fails), copies the result and releases
/// it.
fn send<M, R: EvmcResult>(
    call: Option<unsafe extern "C" fn(Context, *const M) -> R>,
    context: Context,
    msg: &M,
) -> CallResult {
    let Some(call) = call else {
        return result_in(Status::Failure as c_int, 0, Vec::new(), [0; 20]);
    };
    // SAFETY: as in `host_call!`; `msg` and its input outlive the call.
    let r = unsafe { call(context, msg) };
    let (status, gas_left, data, size, create_address) = r.parts();
    // SAFETY: the host's result owns `size` bytes at `data` until released.
    let output = unsafe { bytes(data, size) };
    if let Some(release) = r.release_fn() {
        // SAFETY: EVMC's contract: the receiver of a result releases it, once.
        unsafe { release(&r) };
    }
    result_in(status, gas_left, output, create_address)
}

/// The EEI's transaction context from either ABI's (`$difficulty` names the field that holds
/// the difficulty, the previous RANDAO from ABI 10 on).
macro_rules! tx_in {
    ($t:expr, $difficulty:ident) => {{
        let t = $t;
        TxContext {
            gas_price: t.gas_price.0,
            origin: t.origin.0,
            coinbase: t.coinbase.0,
            number: t.number,
            timestamp: t.timestamp,
            gas_limit: t.gas_limit,
            difficulty: t.$difficulty.0,
            chain_id: t.chain_id.0,
        }
    }};
}

impl Host for Host7 {
    common_host!();

    fn selfdestruct(&mut self, address: &Address, beneficiary: &Address) {
        host_call!(self.selfdestruct(address.as_ptr().cast(), beneficiary.as_ptr().cast()))
    }

    fn call(&mut self, m: &Message) -> CallResult {
        // ABI 7 has one address: the target, whose code runs (for a delegate call or call code,
        // in the caller's context, as the host knows from the kind).
        let msg = Message7 {
            kind: kind_out(m),
            flags: if m.is_static { STATIC } else { 0 },
            depth: m.depth,
            gas: m.gas,
            destination: EvmcAddress(m.code_address),
            sender: EvmcAddress(m.sender),
            input_data: m.input.as_ptr(),
            input_size: m.input.len(),
            value: EvmcBytes32(m.value),
            create2_salt: EvmcBytes32(m.salt),
        };
        send(self.host.call, self.context, &msg)
    }

    fn tx_context(&mut self) -> TxContext {
        let Some(get) = self.host.get_tx_context else {
            return TxContext::default();
        };
        // SAFETY: as in `host_call!`.
        tx_in!(unsafe { get(self.context) }, difficulty)
    }
}

impl Host for Host12 {
    common_host!();

    fn selfdestruct(&mut self, address: &Address, beneficiary: &Address) {
        let _: bool =
            host_call!(self.selfdestruct(address.as_ptr().cast(), beneficiary.as_ptr().cast()));
    }

    fn call(&mut self, m: &Message) -> CallResult {
        let msg = Message12 {
            kind: kind_out(m),
            flags: if m.is_static { STATIC } else { 0 },
            depth: m.depth,
            gas: m.gas,
            recipient: EvmcAddress(m.recipient),
            sender: EvmcAddress(m.sender),
            input_data: m.input.as_ptr(),
            input_size: m.input.len(),
            value: EvmcBytes32(m.value),
            create2_salt: EvmcBytes32(m.salt),
            code_address: EvmcAddress(m.code_address),
            code: std::ptr::null(),
            code_size: 0,
        };
        send(self.host.call, self.context, &msg)
    }

    fn tx_context(&mut self) -> TxContext {
        let Some(get) = self.host.get_tx_context else {
            return TxContext::default();
        };
        // SAFETY: as in `host_call!`.
        tx_in!(unsafe { get(self.context) }, prev_randao)
    }
}

#[cfg(test)]
mod layout {
    use super::*;
    use std::mem::{offset_of, size_of};

    #[test]
    fn structures_have_evmcs_sizes_and_offsets() {
        assert_eq!(size_of::<Message7>(), 144);
        assert_eq!(offset_of!(Message7, input_data), 64);
        assert_eq!(size_of::<Message12>(), 184);
        assert_eq!(offset_of!(Message12, code_address), 144);
        assert_eq!(size_of::<Result7>(), 64);
        assert_eq!(offset_of!(Result7, create_address), 40);
        assert_eq!(size_of::<Result12>(), 72);
        assert_eq!(offset_of!(Result12, create_address), 48);
        assert_eq!(size_of::<TxContext7>(), 160);
        assert_eq!(size_of::<TxContext12>(), 256);
        assert_eq!(size_of::<HostInterface7>(), 12 * 8);
    }
}
