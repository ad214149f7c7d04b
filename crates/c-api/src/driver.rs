//! `wasmedge_tools.h`: the command-line tools. As WasmEdge's library carries its `wasmedge`
//! and `wasmedgec` tools, this one carries the `wedge` command's code (`wedge-driver`), run with
//! this library's plug-in host; the `wedge` binary is a `main` over [`uni_tool`].

use crate::embed;
use crate::ffi::guard;
use std::any::Any;
use std::ffi::{CStr, OsStr, OsString, c_char, c_int};
use std::os::unix::ffi::OsStrExt;
use wedge::{Linker, Store};
use wedge_driver::{FAILURE, PluginHost};
use wedge_plugin::ForbiddenPlugins;
use wedge_wasi::WasiCtx;

/// The tools' plug-in host: plug-ins load into the registry this library shares with its C
/// API, and build their modules by calling it.
#[derive(Clone, Copy, Debug, Default)]
pub struct CApiPlugins;

impl PluginHost for CApiPlugins {
    fn load_default_paths(&self) {
        embed::export_c_api();
        embed::load_default_paths();
    }

    fn define_modules(
        &self,
        linker: &mut Linker<WasiCtx>,
        store: &mut Store<WasiCtx>,
        forbidden: &ForbiddenPlugins,
    ) -> Result<Box<dyn Any>, wedge::Error> {
        let modules = embed::define_plugin_modules(linker, store, forbidden)?;
        Ok(Box::new(modules))
    }
}

/// The unified tool, `wasmedge [SUBCOMMAND] [OPTIONS] ...`, with this library's plug-ins:
/// `argv[0]` is the program's name. Returns the exit status (see [`wedge_driver::uni_tool`]).
pub fn uni_tool<A: Into<OsString>>(argv: impl IntoIterator<Item = A>) -> i32 {
    wedge_driver::uni_tool(argv, &CApiPlugins)
}

/// The runtime tool: `wasmedge run` without the word `run` (see [`wedge_driver::run_tool`]).
pub fn run_tool<A: Into<OsString>>(argv: impl IntoIterator<Item = A>) -> i32 {
    wedge_driver::run_tool(argv, &CApiPlugins)
}

/// The compiler tool, `wasmedgec [OPTIONS] IN OUT` (see [`wedge_driver::compile_tool`]).
pub fn compile_tool<A: Into<OsString>>(argv: impl IntoIterator<Item = A>) -> i32 {
    wedge_driver::compile_tool(argv, &CApiPlugins)
}

/// The words of a C command line: `argc` entries of `argv`, up to the first NULL one (none
/// for a NULL `argv` or an `argc` below 1).
///
/// # Safety
/// `argv` must be NULL or point to `argc` readable pointers, each NULL or a C string.
unsafe fn command_line(argc: c_int, argv: *const *const c_char) -> Vec<OsString> {
    if argv.is_null() {
        return Vec::new();
    }
    let count = usize::try_from(argc).unwrap_or(0);
    (0..count)
        // SAFETY: `i < argc`, and the caller guarantees `argc` readable entries.
        .map(|i| unsafe { *argv.add(i) })
        .take_while(|p| !p.is_null())
        .map(|p| {
            // SAFETY: a non-NULL entry is a C string (the caller's guarantee).
            let bytes = unsafe { CStr::from_ptr(p) }.to_bytes();
            OsStr::from_bytes(bytes).to_os_string()
        })
        .collect()
}

/// Runs the compiler tool (`wasmedgec`) on a command line; returns its exit status.
///
/// # Safety
/// `argv` must be NULL or point to `argc` readable pointers, each NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_Driver_Compiler(
    argc: c_int,
    argv: *const *const c_char,
) -> c_int {
    guard(FAILURE, || {
        // SAFETY: forwarded to the caller.
        compile_tool(unsafe { command_line(argc, argv) })
    })
}

/// Runs the runtime tool (`wasmedge run` without `run`) on a command line; returns its exit
/// status.
///
/// # Safety
/// `argv` must be NULL or point to `argc` readable pointers, each NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_Driver_Tool(argc: c_int, argv: *const *const c_char) -> c_int {
    guard(FAILURE, || {
        // SAFETY: forwarded to the caller.
        run_tool(unsafe { command_line(argc, argv) })
    })
}

/// Runs the unified tool (`wasmedge [SUBCOMMAND] ...`) on a command line; returns its exit
/// status.
///
/// # Safety
/// `argv` must be NULL or point to `argc` readable pointers, each NULL or a C string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn WasmEdge_Driver_UniTool(argc: c_int, argv: *const *const c_char) -> c_int {
    guard(FAILURE, || {
        // SAFETY: forwarded to the caller.
        uni_tool(unsafe { command_line(argc, argv) })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_c_command_line_ends_at_argc_or_the_first_null() {
        let words = [
            c"wedge".as_ptr(),
            c"run".as_ptr(),
            std::ptr::null(),
            c"x".as_ptr(),
        ];
        // SAFETY: four readable entries, NULL or C strings.
        let read = |argc| unsafe { command_line(argc, words.as_ptr()) };
        assert_eq!(read(2), ["wedge", "run"]);
        assert_eq!(read(4), ["wedge", "run"], "NULL ends the list");
        assert!(read(0).is_empty() && read(-1).is_empty());
        // SAFETY: NULL is allowed.
        assert!(unsafe { command_line(3, std::ptr::null()) }.is_empty());
    }
}
