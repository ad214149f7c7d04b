//! The 35 functions of the `ethereum` module: names, wasm signatures and fixed gas costs.

/// A wasm value type of an EEI signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    /// `i32` (offsets, lengths, flags).
    I32,
    /// `i64` (gas, block numbers).
    I64,
}

use Ty::{I32, I64};

macro_rules! funcs {
    ($($variant:ident $name:literal ($($p:ident),*) -> [$($r:ident)?] $cost:literal;)*) => {
        /// One function of the `ethereum` module.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Func { $(#[doc = concat!("`", $name, "`")] $variant,)* }

        impl Func {
            /// Every function, in the order WasmEdge-EVMC registered them.
            pub const ALL: &'static [Func] = &[$(Func::$variant),*];

            /// The import name.
            #[must_use]
            pub const fn name(self) -> &'static str {
                match self { $(Func::$variant => $name,)* }
            }

            /// The parameter types.
            #[must_use]
            pub const fn params(self) -> &'static [Ty] {
                match self { $(Func::$variant => &[$($p),*],)* }
            }

            /// The result type, if any.
            #[must_use]
            pub const fn result(self) -> Option<Ty> {
                match self { $(Func::$variant => funcs!(@result $($r)?),)* }
            }

            /// The gas charged on every call, before the function runs (WasmEdge-EVMC's host
            /// function cost); what a function charges beyond it depends on its arguments.
            #[must_use]
            pub const fn cost(self) -> u64 {
                match self { $(Func::$variant => $cost,)* }
            }
        }
    };
    (@result) => { None };
    (@result $r:ident) => { Some($r) };
}

funcs! {
    Call "call" (I64, I32, I32, I32, I32) -> [I32] 700;
    CallCode "callCode" (I64, I32, I32, I32, I32) -> [I32] 700;
    CallDataCopy "callDataCopy" (I32, I32, I32) -> [] 3;
    CallDelegate "callDelegate" (I64, I32, I32, I32) -> [I32] 700;
    CallStatic "callStatic" (I64, I32, I32, I32) -> [I32] 700;
    CodeCopy "codeCopy" (I32, I32, I32) -> [] 3;
    Create "create" (I32, I32, I32, I32) -> [I32] 32000;
    Create2 "create2" (I32, I32, I32, I32, I32) -> [I32] 32000;
    ExternalCodeCopy "externalCodeCopy" (I32, I32, I32, I32) -> [] 700;
    Finish "finish" (I32, I32) -> [] 0;
    GetAddress "getAddress" (I32) -> [] 2;
    GetBlockCoinbase "getBlockCoinbase" (I32) -> [] 2;
    GetBlockDifficulty "getBlockDifficulty" (I32) -> [] 2;
    GetBlockGasLimit "getBlockGasLimit" () -> [I64] 2;
    GetBlockHash "getBlockHash" (I64, I32) -> [I32] 800;
    GetBlockNumber "getBlockNumber" () -> [I64] 2;
    GetBlockTimestamp "getBlockTimestamp" () -> [I64] 2;
    GetChainId "getChainId" (I32) -> [] 2;
    GetCallDataSize "getCallDataSize" () -> [I32] 2;
    GetCallValue "getCallValue" (I32) -> [] 2;
    GetCaller "getCaller" (I32) -> [] 2;
    GetCodeSize "getCodeSize" () -> [I32] 2;
    GetExternalBalance "getExternalBalance" (I32, I32) -> [] 400;
    GetExternalCodeSize "getExternalCodeSize" (I32) -> [I32] 700;
    GetGasLeft "getGasLeft" () -> [I64] 2;
    GetReturnDataSize "getReturnDataSize" () -> [I32] 2;
    GetTxGasPrice "getTxGasPrice" (I32) -> [] 2;
    GetTxOrigin "getTxOrigin" (I32) -> [] 2;
    Log "log" (I32, I32, I32, I32, I32, I32, I32) -> [] 375;
    ReturnDataCopy "returnDataCopy" (I32, I32, I32) -> [] 3;
    Revert "revert" (I32, I32) -> [] 0;
    SelfDestruct "selfDestruct" (I32) -> [] 5000;
    StorageLoad "storageLoad" (I32, I32) -> [] 200;
    StorageStore "storageStore" (I32, I32) -> [] 5000;
    UseGas "useGas" (I64) -> [] 0;
}

impl Func {
    /// The function called `name`.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Func> {
        Func::ALL.iter().copied().find(|f| f.name() == name)
    }
}
