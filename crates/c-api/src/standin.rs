//! Stand-ins for WasmEdge's official plug-ins that are not installed.
//!
//! WasmEdge's VM always registers the modules of its official plug-ins (`wasi_nn`,
//! `wasi_crypto`, `wasmedge_process`, `wasmedge_tensorflow`, `wasmedge_tensorflowlite`,
//! `wasmedge_image`, `wasmedge_stablediffusion`; `wasi_logging` is built into Wedge). When one
//! is not installed, it registers a stand-in module with the same functions, so that guests
//! importing it still instantiate; each call logs "<name> plugin not installed. Please install
//! the plugin and restart WasmEdge." and returns 1, or, for `wasmedge_process`, fails with
//! `HostFuncError`. This module does the same, with WasmEdge 0.17.1's module names, function
//! names and types (its `include/host/mock/`), for every VM (`WasmEdge_VMCreate`) and for
//! `wedge run`.
//!
//! Installing the real plug-in replaces its stand-ins. A plug-in named by `--forbidden-plugin`
//! counts as not installed: its modules are kept from guests and the stand-ins take their place
//! (WasmEdge ignores `--forbidden-plugin` for its official plug-ins).

use crate::abi::{self, WasmEdge_Result, WasmEdge_String, WasmEdge_Value, code};
use crate::instance::{
    WasmEdge_CallingFrameContext, WasmEdge_FunctionInstanceCreate,
    WasmEdge_ModuleInstanceAddFunction, WasmEdge_ModuleInstanceContext,
    WasmEdge_ModuleInstanceCreate,
};
use crate::types::WasmEdge_FunctionTypeContext;
use core::ffi::c_void;
use wedge::{FuncType, ValType};
use wedge_plugin::{ForbiddenPlugins, PluginRegistry};

/// What a stand-in's function does when called, after logging.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OnCall {
    /// Returns the `i32` 1 (the plug-in's generic error).
    ReturnOne,
    /// Fails with `HostFuncError`.
    Trap,
}

/// A function: its name, parameter and result types.
type FuncSpec = (&'static str, &'static str, &'static str);
/// A module: its name and functions.
type ModuleSpec = (&'static str, &'static [FuncSpec]);

/// One official plug-in: its name, the name its log line uses, and its modules, each a name and
/// functions `(name, params, results)` with types spelled `i` (i32), `I` (i64), `f` (f32).
#[derive(Debug)]
struct StandIn {
    plugin: &'static str,
    display: &'static str,
    on_call: OnCall,
    modules: &'static [ModuleSpec],
}

/// WasmEdge 0.17.1's stand-ins, in the order its VM registers them.
static STAND_INS: &[StandIn] = &[
    StandIn {
        plugin: "wasi_nn",
        display: "WASI-NN",
        on_call: OnCall::ReturnOne,
        modules: &[(
            "wasi_ephemeral_nn",
            &[
                ("load", "iiiii", "i"),
                ("init_execution_context", "ii", "i"),
                ("set_input", "iii", "i"),
                ("get_output", "iiiii", "i"),
                ("compute", "i", "i"),
            ],
        )],
    },
    StandIn {
        plugin: "wasi_crypto",
        display: "WASI-Crypto",
        on_call: OnCall::ReturnOne,
        modules: &[
            (
                "wasi_ephemeral_crypto_common",
                &[
                    ("array_output_len", "ii", "i"),
                    ("array_output_pull", "iiii", "i"),
                    ("options_open", "ii", "i"),
                    ("options_close", "i", "i"),
                    ("options_set", "iiiii", "i"),
                    ("options_set_u64", "iiiI", "i"),
                    ("options_set_guest_buffer", "iiiii", "i"),
                    ("secrets_manager_open", "ii", "i"),
                    ("secrets_manager_close", "i", "i"),
                    ("secrets_manager_invalidate", "iiiI", "i"),
                ],
            ),
            (
                "wasi_ephemeral_crypto_asymmetric_common",
                &[
                    ("keypair_generate", "iiiii", "i"),
                    ("keypair_import", "iiiiiii", "i"),
                    ("keypair_generate_managed", "iiiiii", "i"),
                    ("keypair_store_managed", "iiii", "i"),
                    ("keypair_replace_managed", "iiii", "i"),
                    ("keypair_id", "iiiii", "i"),
                    ("keypair_from_id", "iiiIi", "i"),
                    ("keypair_from_pk_and_sk", "iii", "i"),
                    ("keypair_export", "iii", "i"),
                    ("keypair_publickey", "ii", "i"),
                    ("keypair_secretkey", "ii", "i"),
                    ("keypair_close", "i", "i"),
                    ("publickey_import", "iiiiiii", "i"),
                    ("publickey_export", "iii", "i"),
                    ("publickey_verify", "i", "i"),
                    ("publickey_from_secretkey", "ii", "i"),
                    ("publickey_close", "i", "i"),
                    ("secretkey_import", "iiiiiii", "i"),
                    ("secretkey_export", "iii", "i"),
                    ("secretkey_close", "i", "i"),
                ],
            ),
            (
                "wasi_ephemeral_crypto_kx",
                &[
                    ("kx_dh", "iii", "i"),
                    ("kx_encapsulate", "iii", "i"),
                    ("kx_decapsulate", "iiii", "i"),
                ],
            ),
            (
                "wasi_ephemeral_crypto_signatures",
                &[
                    ("signature_export", "iii", "i"),
                    ("signature_import", "iiiiii", "i"),
                    ("signature_state_open", "iiiii", "i"),
                    ("signature_state_update", "iii", "i"),
                    ("signature_state_sign", "ii", "i"),
                    ("signature_state_close", "i", "i"),
                    ("signature_verification_state_open", "ii", "i"),
                    ("signature_verification_state_update", "iii", "i"),
                    ("signature_verification_state_verify", "ii", "i"),
                    ("signature_verification_state_close", "i", "i"),
                    ("signature_close", "i", "i"),
                ],
            ),
            (
                "wasi_ephemeral_crypto_symmetric",
                &[
                    ("symmetric_key_generate", "iiii", "i"),
                    ("symmetric_key_import", "iiiii", "i"),
                    ("symmetric_key_export", "ii", "i"),
                    ("symmetric_key_close", "i", "i"),
                    ("symmetric_key_generate_managed", "iiiii", "i"),
                    ("symmetric_key_store_managed", "iiii", "i"),
                    ("symmetric_key_replace_managed", "iiii", "i"),
                    ("symmetric_key_id", "iiiii", "i"),
                    ("symmetric_key_from_id", "iiiIi", "i"),
                    ("symmetric_state_open", "iiiii", "i"),
                    ("symmetric_state_clone", "ii", "i"),
                    ("symmetric_state_options_get", "iiiiii", "i"),
                    ("symmetric_state_options_get_u64", "iiii", "i"),
                    ("symmetric_state_close", "i", "i"),
                    ("symmetric_state_absorb", "iii", "i"),
                    ("symmetric_state_squeeze", "iii", "i"),
                    ("symmetric_state_squeeze_tag", "ii", "i"),
                    ("symmetric_state_squeeze_key", "iiii", "i"),
                    ("symmetric_state_max_tag_len", "ii", "i"),
                    ("symmetric_state_encrypt", "iiiiii", "i"),
                    ("symmetric_state_encrypt_detached", "iiiiii", "i"),
                    ("symmetric_state_decrypt", "iiiiii", "i"),
                    ("symmetric_state_decrypt_detached", "iiiiiiii", "i"),
                    ("symmetric_state_ratchet", "i", "i"),
                    ("symmetric_tag_len", "ii", "i"),
                    ("symmetric_tag_pull", "iiii", "i"),
                    ("symmetric_tag_verify", "iii", "i"),
                    ("symmetric_tag_close", "i", "i"),
                ],
            ),
        ],
    },
    StandIn {
        plugin: "wasmedge_process",
        display: "WasmEdge-Process",
        on_call: OnCall::Trap,
        modules: &[(
            "wasmedge_process",
            &[
                ("wasmedge_process_set_prog_name", "ii", ""),
                ("wasmedge_process_add_arg", "ii", ""),
                ("wasmedge_process_add_env", "iiii", ""),
                ("wasmedge_process_add_stdin", "ii", ""),
                ("wasmedge_process_set_timeout", "i", ""),
                ("wasmedge_process_run", "", "i"),
                ("wasmedge_process_get_exit_code", "", "i"),
                ("wasmedge_process_get_stdout_len", "", "i"),
                ("wasmedge_process_get_stdout", "i", ""),
                ("wasmedge_process_get_stderr_len", "", "i"),
                ("wasmedge_process_get_stderr", "i", ""),
            ],
        )],
    },
    StandIn {
        plugin: "wasmedge_tensorflow",
        display: "WasmEdge-Tensorflow",
        on_call: OnCall::ReturnOne,
        modules: &[(
            "wasmedge_tensorflow",
            &[
                ("create_session", "iii", "i"),
                ("delete_session", "i", "i"),
                ("run_session", "i", "i"),
                ("get_output_tensor", "iiii", "i"),
                ("get_tensor_len", "iii", "i"),
                ("get_tensor_data", "iiiii", "i"),
                ("append_input", "iiiiiiii", "i"),
                ("append_output", "iii", "i"),
                ("clear_input", "i", "i"),
                ("clear_output", "i", "i"),
            ],
        )],
    },
    StandIn {
        plugin: "wasmedge_tensorflowlite",
        display: "WasmEdge-TensorflowLite",
        on_call: OnCall::ReturnOne,
        modules: &[(
            "wasmedge_tensorflowlite",
            &[
                ("create_session", "iii", "i"),
                ("delete_session", "i", "i"),
                ("run_session", "i", "i"),
                ("get_output_tensor", "iiii", "i"),
                ("get_tensor_len", "iii", "i"),
                ("get_tensor_data", "iiiii", "i"),
                ("append_input", "iiiii", "i"),
            ],
        )],
    },
    StandIn {
        plugin: "wasmedge_image",
        display: "WasmEdge-Image",
        on_call: OnCall::ReturnOne,
        modules: &[(
            "wasmedge_image",
            &[
                ("load_jpg", "iiiiiii", "i"),
                ("load_png", "iiiiiii", "i"),
                ("load_image", "iiiiiii", "i"),
            ],
        )],
    },
    StandIn {
        plugin: "wasmedge_stablediffusion",
        display: "WasmEdge-Stable-Diffusion",
        on_call: OnCall::ReturnOne,
        modules: &[(
            "wasmedge_stablediffusion",
            &[
                ("create_context", "iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii", "i"),
                ("text_to_image", "iiiiiiifiiifiiiiffiiiiiiiiifffiiiii", "i"),
                (
                    "image_to_image",
                    "iiiiifiiiiiiiiifiifiiffiiiiiiiiifffiiiii",
                    "i",
                ),
                ("convert", "iiiiiii", "i"),
            ],
        )],
    },
];

fn val_types(spec: &str) -> Vec<ValType> {
    spec.chars()
        .map(|c| match c {
            'I' => ValType::I64,
            'f' => ValType::F32,
            _ => ValType::I32,
        })
        .collect()
}

/// The stand-in modules for every official plug-in that is not loaded or is in `forbidden`.
#[allow(
    clippy::vec_box,
    reason = "module contexts stay boxed: C holds pointers to them, and the VM and the CLI keep \
              them as boxes"
)]
pub(crate) fn modules(forbidden: &ForbiddenPlugins) -> Vec<Box<WasmEdge_ModuleInstanceContext>> {
    let registry = PluginRegistry::global();
    STAND_INS
        .iter()
        .filter(|s| forbidden.contains(s.plugin) || registry.find(s.plugin).is_none())
        .flat_map(|s| {
            s.modules
                .iter()
                .map(move |(name, funcs)| module(s, name, funcs))
        })
        .collect()
}

/// Builds one stand-in module through the C API, as a plug-in would.
fn module(
    standin: &'static StandIn,
    name: &str,
    funcs: &[(&str, &str, &str)],
) -> Box<WasmEdge_ModuleInstanceContext> {
    // SAFETY: `name` is a valid string for the duration of the call.
    let m = unsafe { WasmEdge_ModuleInstanceCreate(borrow(name)) };
    assert!(!m.is_null(), "creating the stand-in module `{name}`");
    for (func, params, results) in funcs {
        let ty =
            WasmEdge_FunctionTypeContext::new(FuncType::new(val_types(params), val_types(results)));
        let data: *const StandIn = standin;
        // SAFETY: a live type (copied by the call); `call` follows `WasmEdge_HostFunc_t` and
        // reads `data` as the `&'static StandIn` it is.
        let f =
            unsafe { WasmEdge_FunctionInstanceCreate(&ty, Some(call), data.cast_mut().cast(), 0) };
        // SAFETY: a live module; `f` is a fresh function the module takes over.
        unsafe { WasmEdge_ModuleInstanceAddFunction(m, borrow(func), f) };
    }
    // SAFETY: `m` was made by `WasmEdge_ModuleInstanceCreate`, which hands over a box.
    unsafe { Box::from_raw(m) }
}

fn borrow(s: &str) -> WasmEdge_String {
    WasmEdge_String {
        Length: u32::try_from(s.len()).unwrap_or(u32::MAX),
        Buf: s.as_ptr().cast(),
    }
}

/// Every stand-in function: logs that the plug-in is not installed, then returns 1 or fails.
unsafe extern "C" fn call(
    data: *mut c_void,
    _frame: *const WasmEdge_CallingFrameContext,
    _params: *const WasmEdge_Value,
    returns: *mut WasmEdge_Value,
) -> WasmEdge_Result {
    // SAFETY: `data` is the `&'static StandIn` given at creation (see `module`).
    let standin = unsafe { &*data.cast::<StandIn>() };
    crate::ffi::log_error(&format!(
        "{} plugin not installed. Please install the plugin and restart WasmEdge.",
        standin.display
    ));
    match standin.on_call {
        OnCall::Trap => abi::result(code::HOST_FUNC_ERROR),
        OnCall::ReturnOne => {
            // SAFETY: every `ReturnOne` function has one i32 result, so the runtime passes room
            // for one value.
            unsafe { returns.write(crate::value::WasmEdge_ValueGenI32(1)) };
            abi::result(code::SUCCESS)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_return_one_function_returns_one_i32() {
        for s in STAND_INS {
            for (_, funcs) in s.modules {
                for (name, _, results) in *funcs {
                    if s.on_call == OnCall::ReturnOne {
                        assert_eq!(*results, "i", "{}.{name}", s.plugin);
                    }
                }
            }
        }
    }

    #[test]
    fn the_table_has_wasmedge_0_17_1_function_counts() {
        let count = |p: &str| -> Vec<usize> {
            STAND_INS
                .iter()
                .find(|s| s.plugin == p)
                .unwrap()
                .modules
                .iter()
                .map(|(_, f)| f.len())
                .collect()
        };
        assert_eq!(count("wasi_nn"), [5]);
        assert_eq!(count("wasi_crypto"), [10, 20, 3, 11, 28]);
        assert_eq!(count("wasmedge_process"), [11]);
        assert_eq!(count("wasmedge_tensorflow"), [10]);
        assert_eq!(count("wasmedge_tensorflowlite"), [7]);
        assert_eq!(count("wasmedge_image"), [3]);
        assert_eq!(count("wasmedge_stablediffusion"), [4]);
    }
}
