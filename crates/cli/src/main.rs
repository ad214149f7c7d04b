//! `wedge`: the command-line WebAssembly runtime of the Wedge project, a drop-in for the
//! `wasmedge` tool. Like `wasmedge`, it is a `main` over the unified tool of the C API's
//! library (`WasmEdge_Driver_UniTool`); the command's code is `wedge-driver`.
//!
//! The binary exports the C API it links in (see `build.rs`), so the plug-ins it loads call
//! into this process's runtime.

use std::process::ExitCode;

fn main() -> ExitCode {
    // Keeps every C API function in the binary, for `-rdynamic` to export.
    wasmedge::embed::export_c_api();
    let status = wasmedge::driver::uni_tool(std::env::args_os());
    // The operating system keeps the low 8 bits of a status, as of WasmEdge's `exit(n)`.
    ExitCode::from(status as u8)
}
