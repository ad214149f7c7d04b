//! `libwedge-evmc.so`: an [EVMC](https://github.com/ethereum/evmc) VM that runs ewasm contracts
//! on Wedge, so that an Ethereum client written against EVMC can load it as it loaded
//! second-state's WasmEdge-EVMC (`libwasmedge-evmc.so`, formerly `libssvm-evmc.so`).
//!
//! # What it runs
//!
//! An ewasm contract is a wasm module that exports its linear memory as `memory` and a function
//! `main` of type `[] -> []`, has no start function, and imports nothing but functions of the
//! `ethereum` module (the EEI, [`wedge_eei`]) with their right types. Anything else fails with
//! `EVMC_CONTRACT_VALIDATION_FAILURE`, and so does a create whose deployed code breaks the same
//! rules. [`Vm::execute`] instantiates the contract with the EEI bridged to the EVMC host, runs
//! `main` and reports:
//!
//! | how it ended | status | gas left | output |
//! |---|---|---|---|
//! | `finish`, or `main` returned | `EVMC_SUCCESS` | unused gas | `finish`'s data (none if `main` returned) |
//! | `selfDestruct` | `EVMC_SUCCESS` | unused gas | none |
//! | `revert` | `EVMC_REVERT` | unused gas | `revert`'s data |
//! | gas ran out | `EVMC_OUT_OF_GAS` | 0 | none |
//! | an EEI rule broken (memory out of bounds, a state change in static mode, ...) | `EVMC_FAILURE` | 0 | none |
//! | wasm `unreachable` | `EVMC_WASM_UNREACHABLE_INSTRUCTION` | 0 | none |
//! | another trap (memory out of bounds, division by zero, stack exhausted, ...) | `EVMC_WASM_TRAP` | 0 | none |
//! | not a valid ewasm contract | `EVMC_CONTRACT_VALIDATION_FAILURE` | 0 | none |
//!
//! WasmEdge-EVMC reported all of the failures as `EVMC_FAILURE`; EVMC hosts treat every status
//! but success and revert alike (all gas used), so the finer codes only say more.
//!
//! Gas is the EEI's: what the contract pays through its host calls and `useGas`, the metering
//! that ewasm tools inject into contracts. As in WasmEdge-EVMC, wasm instructions themselves
//! cost nothing, so a contract without injected metering is not stopped by its gas.
//!
//! # Loading, and the two EVMC ABIs
//!
//! EVMC hosts check that a VM speaks exactly their ABI version. WasmEdge-EVMC spoke ABI 7; EVMC
//! is at ABI 12 now, and the two differ in the message, result, transaction context and host
//! interface structures. One library serves both, choosing by the create function the host
//! calls (see [`ffi`]): EVMC's loader looks for `evmc_create_<file name>` before `evmc_create`,
//! so the file name picks the ABI.
//!
//! | loaded as | create function found | ABI |
//! |---|---|---|
//! | `libwedge-evmc.so` | `evmc_create_wedge_evmc` | 12 |
//! | `libwasmedge-evmc.so`, `libssvm-evmc.so` (links to the same file) | `evmc_create_wasmedge_evmc`, `evmc_create_ssvm_evmc` | 7 |
//! | a host that calls `evmc_create` or `evmc_create_wedge` itself | those | 12, or 7 with `WEDGE_EVMC_ABI=7` |
//!
//! The VM is named `wedge`, and reports `EVMC_CAPABILITY_EWASM`. `set_option` takes no options.

pub mod ffi;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use wedge::{Engine, Extern, ExternType, Func, FuncType, Linker, Module, Store, Val, ValType};
use wedge_eei::{Eei, Host, Message, Status, Stop};

pub use wedge_eei::{CallKind, CallResult, TxContext};

/// The EEI's module name.
pub const EEI_MODULE: &str = "ethereum";

/// How many compiled contracts a VM keeps (by code), so that calls to a contract do not decode
/// and validate it again.
const CACHE_LIMIT: usize = 64;

/// An EVMC VM: an engine, and the contracts it has compiled.
pub struct Vm {
    engine: Engine,
    cache: Mutex<HashMap<Arc<[u8]>, Module>>,
}

impl Default for Vm {
    fn default() -> Self {
        Self::new()
    }
}

impl Vm {
    /// A VM on Wedge's interpreter.
    #[must_use]
    pub fn new() -> Self {
        Vm {
            engine: Engine::new(&wedge::Config::new()),
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Runs `code` for `message` against `host`: EVMC's `execute`.
    pub fn execute<H: Host + 'static>(&self, host: H, message: Message, code: &[u8]) -> CallResult {
        let kind = message.kind;
        let (module, code) = match self.contract(code) {
            Ok(contract) => contract,
            Err(_) => return failed(Status::ContractValidationFailure),
        };
        let mut result = run(&module, Eei::new(host, message, code));
        if result.status == Status::Success
            && matches!(kind, Some(CallKind::Create | CallKind::Create2))
            && self.contract(&result.output).is_err()
        {
            result = failed(Status::ContractValidationFailure);
        }
        result
    }

    /// `code` compiled, if it is a valid ewasm contract, with the code as the cache keeps it
    /// (copied once, when first seen).
    fn contract(&self, code: &[u8]) -> Result<(Module, Arc<[u8]>), String> {
        let cached = self.cache.lock().ok().and_then(|c| {
            c.get_key_value(code)
                .map(|(code, module)| (module.clone(), code.clone()))
        });
        if let Some(contract) = cached {
            return Ok(contract);
        }
        let module = Module::new(&self.engine, code).map_err(|e| e.to_string())?;
        check_contract(&module, code)?;
        let code: Arc<[u8]> = code.into();
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() >= CACHE_LIMIT {
                cache.clear();
            }
            cache.insert(code.clone(), module.clone());
        }
        Ok((module, code))
    }
}

/// A result with nothing left: every failure's.
fn failed(status: Status) -> CallResult {
    CallResult {
        status,
        gas_left: 0,
        output: Vec::new(),
        create_address: [0; 20],
    }
}

/// Checks the ewasm rules: `memory` and `main` exported, no start function, only EEI imports
/// with their types.
pub fn check_contract(module: &Module, code: &[u8]) -> Result<(), String> {
    if !matches!(module.get_export("memory"), Some(ExternType::Memory(_))) {
        return Err("the contract does not export its memory as `memory`".into());
    }
    match module.get_export("main") {
        Some(ExternType::Func(ty)) if ty.params().is_empty() && ty.results().is_empty() => {}
        _ => return Err("the contract does not export a function `main` of type [] -> []".into()),
    }
    for import in module.imports() {
        let func = (import.module == EEI_MODULE)
            .then(|| wedge_eei::Func::from_name(import.name))
            .flatten();
        match (func, &import.ty) {
            (Some(f), ExternType::Func(ty)) if *ty == func_type(f) => {}
            _ => {
                return Err(format!(
                    "the contract imports {}.{}, which is not an EEI function of that type",
                    import.module, import.name
                ));
            }
        }
    }
    for payload in wasmparser::Parser::new(0).parse_all(code) {
        if let Ok(wasmparser::Payload::StartSection { .. }) = payload {
            return Err("the contract has a start function".into());
        }
    }
    Ok(())
}

/// The wasm type of an EEI function.
#[must_use]
pub fn func_type(f: wedge_eei::Func) -> FuncType {
    let ty = |t: wedge_eei::Ty| match t {
        wedge_eei::Ty::I32 => ValType::I32,
        wedge_eei::Ty::I64 => ValType::I64,
    };
    FuncType::new(f.params().iter().map(|&t| ty(t)), f.result().map(ty))
}

/// Instantiates a checked contract over `eei`, runs `main` and reads the result.
fn run<H: Host + 'static>(module: &Module, eei: Eei<H>) -> CallResult {
    let mut store = Store::new(module.engine(), eei);
    let mut linker = Linker::new(module.engine());
    for import in module.imports() {
        let Some(f) = wedge_eei::Func::from_name(import.name) else {
            return failed(Status::ContractValidationFailure);
        };
        let func = Func::new(
            &mut store,
            func_type(f),
            move |mut caller, params, results| {
                let Some(Extern::Memory(memory)) = caller.get_export("memory") else {
                    return Err(wedge::Error::from_host(Stop::Failed("no memory")));
                };
                let mut args = [0u64; 7];
                for (arg, param) in args.iter_mut().zip(params) {
                    *arg = match *param {
                        Val::I32(v) => u64::from(v as u32),
                        Val::I64(v) => v as u64,
                        _ => 0,
                    };
                }
                let (bytes, eei) = memory.data_and_store_mut(&mut caller);
                let value = eei
                    .invoke(f, bytes, &args[..params.len()])
                    .map_err(wedge::Error::from_host)?;
                if let Some(slot) = results.first_mut() {
                    *slot = match f.result() {
                        Some(wedge_eei::Ty::I64) => Val::I64(value as i64),
                        _ => Val::I32(value as u32 as i32),
                    };
                }
                Ok(())
            },
        );
        if linker.define(import.module, import.name, func).is_err() {
            return failed(Status::ContractValidationFailure);
        }
    }
    let outcome = linker.instantiate(&mut store, module).and_then(|instance| {
        let main = instance
            .get_func(&store, "main")
            .ok_or_else(|| wedge::Error::host("no main"))?;
        main.call(&mut store, &[], &mut [])
    });
    let eei = store.data_mut();
    let status = match (&outcome, eei.stopped()) {
        (Ok(()), _) => Status::Success,
        (Err(_), Some(stop)) => stop.status(),
        (Err(e), None) => match e.trap_code() {
            Some(wedge::TrapCode::Unreachable) => Status::WasmUnreachable,
            Some(_) => Status::WasmTrap,
            None => Status::Failure,
        },
    };
    match status {
        Status::Success | Status::Revert => CallResult {
            status,
            gas_left: eei.gas_left() as i64,
            // `main` returning keeps nothing; `finish` and `revert` leave their data.
            output: if outcome.is_ok() || eei.stopped() == Some(Stop::SelfDestruct) {
                Vec::new()
            } else {
                eei.take_return_data()
            },
            create_address: [0; 20],
        },
        _ => failed(status),
    }
}

#[cfg(test)]
mod tests;
