//! The `ethereum` host module (the EEI, [`wedge_eei`]) as a Wedge plug-in, so that `wedge` runs
//! an ewasm contract against a local chain kept in a JSON file:
//!
//! ```text
//! wedge --eei-state chain.json --eei-address 0xc0 --eei-caller 0x7fffffff \
//!       --eei-call-data 0x70a08231000...7fffffff --reactor erc20.wasm main
//! ```
//!
//! The module has the 35 functions of WasmEdge-EVMC's EEI with their gas ([`wedge_eei::Func`]).
//! The call comes from the options:
//!
//! | option | meaning | default |
//! |---|---|---|
//! | `--eei-state FILE` | the chain: accounts (balance, code, storage) and block ([`chain`]); written back after a run that succeeds | none: an empty chain, not kept |
//! | `--eei-address ADDR` | the contract's account (its storage, balance and code) | `0x1` |
//! | `--eei-caller ADDR` | the sender | `0x0` |
//! | `--eei-call-data HEX` | the call data | empty |
//! | `--eei-value N` | the value sent (decimal or `0x` hex) | `0` |
//! | `--eei-gas N` | the gas | 10000000 |
//!
//! How the run ends:
//! - `finish(data)` prints `0x` and the data in hex on stdout, writes the state back, and stops
//!   the guest as success (`proc_exit(0)` does the same); so does `selfDestruct` (no output);
//! - a return from `main` without `finish` succeeds too, with no output, and the state is
//!   written back when the module instance goes away;
//! - `revert(data)` prints `[ethereum] revert: 0x...` on stderr and stops the guest with a
//!   host-function error, as do running out of gas and breaking a rule of the EEI; the state
//!   file is left as it was.
//!
//! Logs go to stderr as they are emitted. A `wedge` run executes one contract: a call into
//! another contract's code, or a create, fails (result 1) and says so; value sent to an account
//! without code moves between the balances; `callStatic` to address 9 is Keccak-256. Running
//! contracts that call each other is what the EVMC VM (`libwedge-evmc.so`) is for.

#![forbid(unsafe_code)]

pub mod chain;

use std::sync::{Mutex, MutexGuard};

use chain::{LocalChain, hex, parse_bytes, parse_hex};
use wedge_eei::{Eei, Func, Message, Stop, Ty};
use wedge_plugin_sdk::{Caller, Error, Memory, Module, Plugin, ProgramOption, Version};

/// The plug-in's name.
pub const PLUGIN_NAME: &str = "ethereum";
/// The module's name, as ewasm contracts import it.
pub const MODULE_NAME: &str = "ethereum";

/// `--eei-state FILE`.
pub static EEI_STATE: ProgramOption<String> = ProgramOption::string(
    "eei-state",
    "JSON file of the chain an ewasm contract runs on (accounts, block); written back after a run that succeeds.",
    "",
);
/// `--eei-address ADDR`.
pub static EEI_ADDRESS: ProgramOption<String> =
    ProgramOption::string("eei-address", "The ewasm contract's account (hex).", "0x1");
/// `--eei-caller ADDR`.
pub static EEI_CALLER: ProgramOption<String> = ProgramOption::string(
    "eei-caller",
    "The sender of the call to the ewasm contract (hex).",
    "0x0",
);
/// `--eei-call-data HEX`.
pub static EEI_CALL_DATA: ProgramOption<String> = ProgramOption::string(
    "eei-call-data",
    "The call data given to the ewasm contract (hex).",
    "",
);
/// `--eei-value N`.
pub static EEI_VALUE: ProgramOption<String> = ProgramOption::string(
    "eei-value",
    "The value sent to the ewasm contract (decimal or 0x hex).",
    "0",
);
/// `--eei-gas N`.
pub static EEI_GAS: ProgramOption<i64> = ProgramOption::new(
    "eei-gas",
    "The gas given to the ewasm contract.",
    10_000_000,
);

/// Declares the plug-in.
#[must_use]
pub fn declare() -> Plugin {
    let mut module = Module::new(MODULE_NAME, EeiEnv::from_options)
        .description("The Ethereum Environment Interface for ewasm contracts.");
    for &f in Func::ALL {
        module = add(module, f);
    }
    Plugin::new(PLUGIN_NAME, Version::new(0, 1, 0, 0))
        .description(
            "The ethereum host module (EEI) for ewasm contracts, on a local chain in a JSON file.",
        )
        .option(&EEI_STATE)
        .option(&EEI_ADDRESS)
        .option(&EEI_CALLER)
        .option(&EEI_CALL_DATA)
        .option(&EEI_VALUE)
        .option(&EEI_GAS)
        .module(module)
}

wedge_plugin_sdk::plugin!(declare);

/// One module instance: the contract's EEI over the local chain, or why the options were bad.
pub struct EeiEnv {
    run: Mutex<Result<Eei<LocalChain>, String>>,
}

impl EeiEnv {
    /// The EEI of the call the options describe.
    #[must_use]
    pub fn from_options() -> Self {
        let eei = (|| {
            let state = EEI_STATE.get();
            let chain = if state.is_empty() {
                LocalChain::default()
            } else {
                LocalChain::load(state.as_ref())?
            };
            let message = Message {
                kind: Some(wedge_eei::CallKind::Call),
                gas: EEI_GAS.get(),
                recipient: parse_bytes(&EEI_ADDRESS.get())
                    .map_err(|e| format!("--eei-address {e}"))?,
                sender: parse_bytes(&EEI_CALLER.get()).map_err(|e| format!("--eei-caller {e}"))?,
                code_address: parse_bytes(&EEI_ADDRESS.get())
                    .map_err(|e| format!("--eei-address {e}"))?,
                input: parse_hex(&EEI_CALL_DATA.get())
                    .map_err(|e| format!("--eei-call-data {e}"))?,
                value: parse_bytes(&EEI_VALUE.get()).map_err(|e| format!("--eei-value {e}"))?,
                ..Message::default()
            };
            Ok(Self::with(chain, message))
        })();
        match eei {
            Ok(env) => env,
            Err(e) => EeiEnv {
                run: Mutex::new(Err(e)),
            },
        }
    }

    /// The EEI of `message` on `chain`; the contract's code is the chain's code of its account.
    #[must_use]
    pub fn with(chain: LocalChain, message: Message) -> Self {
        let code = chain
            .accounts
            .get(&message.recipient)
            .map(|a| a.code.clone())
            .unwrap_or_default();
        EeiEnv {
            run: Mutex::new(Ok(Eei::new(chain, message, code))),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Result<Eei<LocalChain>, String>> {
        self.run.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Drop for EeiEnv {
    /// A contract that returned from `main` (or is dropped before it ran) keeps its changes.
    fn drop(&mut self) {
        if let Ok(eei) = &*self.lock()
            && eei.stopped().is_none()
            && let Err(e) = eei.host.save()
        {
            log(&e);
        }
    }
}

fn log(message: &str) {
    eprintln!("[{PLUGIN_NAME}] {message}");
}

/// The guest memory, or none (functions that do not touch memory still work without it).
enum GuestMem<'a> {
    Guest(Memory<'a>),
    None,
}

impl wedge_eei::Memory for GuestMem<'_> {
    fn read(&self, offset: u32, buf: &mut [u8]) -> bool {
        match self {
            GuestMem::Guest(m) => m.read(offset.into(), buf).is_ok(),
            GuestMem::None => buf.is_empty(),
        }
    }
    fn write(&mut self, offset: u32, data: &[u8]) -> bool {
        match self {
            GuestMem::Guest(m) => m.write(offset.into(), data).is_ok(),
            GuestMem::None => data.is_empty(),
        }
    }
}

/// Runs `f`; a stop ends the run as the module documentation says.
fn invoke(c: &Caller<'_, EeiEnv>, f: Func, args: &[u64]) -> Result<u64, Error> {
    let mut mem = c.memory(0).map_or(GuestMem::None, GuestMem::Guest);
    let mut run = c.state().lock();
    let eei = match &mut *run {
        Ok(eei) => eei,
        Err(e) => {
            log(e);
            return Err(Error::host_func_error());
        }
    };
    let logged = eei.host.logs.len();
    let result = eei.invoke(f, &mut mem, args);
    for (address, topics, data) in &eei.host.logs[logged..] {
        let topics: Vec<String> = topics.iter().map(|t| hex(t)).collect();
        log(&format!(
            "log {} [{}] {}",
            hex(address),
            topics.join(", "),
            hex(data)
        ));
    }
    match result {
        Ok(v) => Ok(v),
        Err(stop @ (Stop::Finish | Stop::SelfDestruct)) => {
            if stop == Stop::Finish {
                println!("{}", hex(eei.return_data()));
            }
            if let Err(e) = eei.host.save() {
                log(&e);
                return Err(Error::host_func_error());
            }
            Err(Error::terminate())
        }
        Err(Stop::Revert) => {
            log(&format!("revert: {}", hex(eei.return_data())));
            Err(Error::host_func_error())
        }
        Err(stop) => {
            log(&format!("{}: {stop}", f.name()));
            Err(Error::host_func_error())
        }
    }
}

/// Registers `f` with the Rust signature of its wasm type.
fn add(m: Module<EeiEnv>, f: Func) -> Module<EeiEnv> {
    use Ty::{I32, I64};
    macro_rules! reg {
        (($($a:ident: $t:ty),*) -> ()) => {
            m.func(f.name(), move |c: Caller<'_, EeiEnv>, $($a: $t),*| -> Result<(), Error> {
                invoke(&c, f, &[$($a as u64),*]).map(|_| ())
            })
        };
        (($($a:ident: $t:ty),*) -> $r:ty) => {
            m.func(f.name(), move |c: Caller<'_, EeiEnv>, $($a: $t),*| -> Result<$r, Error> {
                invoke(&c, f, &[$($a as u64),*]).map(|v| v as $r)
            })
        };
    }
    match (f.params(), f.result()) {
        ([I64, I32, I32, I32, I32], Some(I32)) => {
            reg!((a: i64, b: u32, c2: u32, d: u32, e: u32) -> u32)
        }
        ([I64, I32, I32, I32], Some(I32)) => reg!((a: i64, b: u32, c2: u32, d: u32) -> u32),
        ([I32, I32, I32, I32, I32], Some(I32)) => {
            reg!((a: u32, b: u32, c2: u32, d: u32, e: u32) -> u32)
        }
        ([I32, I32, I32, I32], Some(I32)) => reg!((a: u32, b: u32, c2: u32, d: u32) -> u32),
        ([I64, I32], Some(I32)) => reg!((a: i64, b: u32) -> u32),
        ([I32], Some(I32)) => reg!((a: u32) -> u32),
        ([], Some(I32)) => reg!(() -> u32),
        ([], Some(I64)) => reg!(() -> i64),
        ([I32, I32, I32, I32, I32, I32, I32], None) => {
            reg!((a: u32, b: u32, c2: u32, d: u32, e: u32, g: u32, h: u32) -> ())
        }
        ([I32, I32, I32, I32], None) => reg!((a: u32, b: u32, c2: u32, d: u32) -> ()),
        ([I32, I32, I32], None) => reg!((a: u32, b: u32, c2: u32) -> ()),
        ([I32, I32], None) => reg!((a: u32, b: u32) -> ()),
        ([I32], None) => reg!((a: u32) -> ()),
        ([I64], None) => reg!((a: i64) -> ()),
        (params, result) => unreachable!("no EEI function has type {params:?} -> {result:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_module_has_every_eei_function() {
        let plugin = declare();
        assert_eq!(plugin.module_names().collect::<Vec<_>>(), [MODULE_NAME]);
        let module = Func::ALL
            .iter()
            .fold(Module::new(MODULE_NAME, EeiEnv::from_options), |m, &f| {
                add(m, f)
            });
        let names: Vec<&str> = module.func_names().collect();
        assert_eq!(
            names,
            Func::ALL.iter().map(|f| f.name()).collect::<Vec<_>>()
        );
    }
}
