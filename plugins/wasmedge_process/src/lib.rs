//! WasmEdge's `wasmedge_process` plug-in for Wedge: a guest runs a host command, chosen from an
//! allow-list, and reads back its exit code, stdout and stderr.
//!
//! Plug-in `wasmedge_process`, module `wasmedge_process`, with WasmEdge 0.17.1's 11 functions
//! (all parameters `i32`):
//!
//! | function | type | does |
//! |---|---|---|
//! | `wasmedge_process_set_prog_name` | `(ptr, len)` | appends the bytes to the program name |
//! | `wasmedge_process_add_arg` | `(ptr, len)` | adds an argument |
//! | `wasmedge_process_add_env` | `(kptr, klen, vptr, vlen)` | adds `KEY=VALUE` (a repeated key keeps its first value) |
//! | `wasmedge_process_add_stdin` | `(ptr, len)` | appends to what the command reads on stdin |
//! | `wasmedge_process_set_timeout` | `(ms)` | the time limit of the next run (default 10 000 ms) |
//! | `wasmedge_process_run` | `() -> i32` | runs the command, returns its exit code |
//! | `wasmedge_process_get_exit_code` | `() -> i32` | the last run's exit code (0 before any run) |
//! | `wasmedge_process_get_stdout_len` | `() -> i32` | bytes of the last run's stdout |
//! | `wasmedge_process_get_stdout` | `(ptr)` | copies the last run's stdout to `ptr` |
//! | `wasmedge_process_get_stderr_len` | `() -> i32` | bytes of the last run's stderr |
//! | `wasmedge_process_get_stderr` | `(ptr)` | copies the last run's stderr to `ptr` |
//!
//! # Running a command
//!
//! There is no shell: the program name and arguments go to the command as given, the name is
//! looked up in the host's `PATH` when it has no `/` (as `execvpe` does), and the command's
//! environment is exactly the variables the guest added (nothing is inherited). `run`:
//!
//! - refuses a program name not given to `--allow-command NAME` (compared as written: allowing
//!   `ls` does not allow `/bin/ls`) unless `--allow-command-all` is set: it returns -1 and the
//!   stderr of the run is WasmEdge's message, `Permission denied: Command "X" is not in the white
//!   list. Please use --allow-command=X or --allow-command-all to add "X" command into the white
//!   list.` followed by a newline. The allow-list is read when a module instance is created.
//! - returns the command's exit status as a signed byte (255 is -1), 0 when a signal killed it
//!   (what WasmEdge's `WEXITSTATUS` gives), -1 when the command cannot be started (its stderr
//!   then says `Command not found.`, `Permission denied.` or `Unknown error.`), and 110
//!   (`ETIMEDOUT`) when the time limit passed: the command is then killed with `SIGKILL`.
//! - then forgets the name, arguments, environment and stdin, and sets the time limit back to
//!   10 s, so each run starts afresh; the exit code and outputs stay until the next run.
//!
//! # Limits (Wedge's, not WasmEdge's)
//!
//! - Output: at most [`OUTPUT_CAP`] (16 MiB) of each of stdout and stderr is kept; the rest is
//!   read and dropped, so a command that floods its output neither blocks nor fills the host's
//!   memory.
//! - Input: at most [`MAX_COMMAND_BYTES`] (16 MiB) for the name, arguments and environment
//!   together, and [`MAX_STDIN_BYTES`] (256 MiB) of stdin, per run; a call that would pass either
//!   fails with `HostFuncError`. Every pointer and length is checked against the guest's memory
//!   before anything is copied.
//! - Stdin is written by a thread of its own, through a pipe the host also keeps a reader of, so a
//!   command that does not read its stdin can neither block the run nor make the host take a
//!   `SIGPIPE`.
//! - After the command exits (or is killed), its outputs are read until they close, or for at
//!   most 100 ms more (a background process it left may hold them open; WasmEdge waits for it).
//!
//! # Other differences from WasmEdge
//!
//! - A pointer or length outside the guest's memory is a `MemoryOutOfBounds` trap; WasmEdge
//!   silently copies nothing. `get_stdout`/`get_stderr` write the whole output, so a buffer that
//!   does not fit is such a trap too.
//! - A command that cannot be started has its message in the run's stderr; WasmEdge's child
//!   process logs it through WasmEdge's logger (to the run's stdout, with a time stamp).
//! - Calls from several threads on one module instance are serialised per call; a run does not
//!   block the other functions while it waits for the command.

#![forbid(unsafe_code)]

mod env;
mod func;
mod run;

pub use env::{MAX_COMMAND_BYTES, MAX_STDIN_BYTES, Process};
pub use func::{
    add_arg, add_env, add_stdin, get_exit_code, get_stderr, get_stderr_len, get_stdout,
    get_stdout_len, run, set_prog_name, set_timeout,
};
pub use run::{DEFAULT_TIMEOUT_MS, ETIMEDOUT, OUTPUT_CAP};

use wedge_plugin_sdk::{Module, Plugin, ProgramOption, Version};

/// The plug-in's name, as in WasmEdge.
pub const PLUGIN_NAME: &str = "wasmedge_process";
/// The module's name, which guests import.
pub const MODULE_NAME: &str = "wasmedge_process";

/// `--allow-command CMD` (repeatable; `--allow-command=CMD` too): a program name `run` may start.
/// One name per flag: a comma is part of the name, as in WasmEdge.
pub static ALLOW_COMMAND: ProgramOption<Vec<String>> = ProgramOption::string_list(
    "allow-command",
    "Allow commands called from wasmedge_process host functions. Each command can be specified as --allow-command `COMMAND`.",
);

/// `--allow-command-all`: `run` may start any program.
pub static ALLOW_COMMAND_ALL: ProgramOption<bool> = ProgramOption::new(
    "allow-command-all",
    "Allow all commands called from wasmedge_process host functions.",
    false,
);

/// Declares the plug-in.
#[must_use]
pub fn declare() -> Plugin {
    Plugin::new(PLUGIN_NAME, Version::new(0, 10, 0, 0))
        .option(&ALLOW_COMMAND)
        .option(&ALLOW_COMMAND_ALL)
        .module(module())
}

/// The module `wasmedge_process`; each instance reads the allow-list options when it is created.
#[must_use]
pub fn module() -> Module<Process> {
    Module::new(MODULE_NAME, Process::from_options)
        .func("wasmedge_process_set_prog_name", set_prog_name)
        .func("wasmedge_process_add_arg", add_arg)
        .func("wasmedge_process_add_env", add_env)
        .func("wasmedge_process_add_stdin", add_stdin)
        .func("wasmedge_process_set_timeout", set_timeout)
        .func("wasmedge_process_run", run)
        .func("wasmedge_process_get_exit_code", get_exit_code)
        .func("wasmedge_process_get_stdout_len", get_stdout_len)
        .func("wasmedge_process_get_stdout", get_stdout)
        .func("wasmedge_process_get_stderr_len", get_stderr_len)
        .func("wasmedge_process_get_stderr", get_stderr)
}

wedge_plugin_sdk::plugin!(declare);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_module_has_wasmedge_s_eleven_functions() {
        let plugin = declare();
        assert_eq!(plugin.module_names().collect::<Vec<_>>(), [MODULE_NAME]);
        let module = module();
        let names: Vec<&str> = module.func_names().collect();
        assert_eq!(
            names,
            [
                "wasmedge_process_set_prog_name",
                "wasmedge_process_add_arg",
                "wasmedge_process_add_env",
                "wasmedge_process_add_stdin",
                "wasmedge_process_set_timeout",
                "wasmedge_process_run",
                "wasmedge_process_get_exit_code",
                "wasmedge_process_get_stdout_len",
                "wasmedge_process_get_stdout",
                "wasmedge_process_get_stderr_len",
                "wasmedge_process_get_stderr",
            ]
        );
    }

    #[test]
    fn options_default_to_nothing_allowed() {
        assert!(ALLOW_COMMAND.get().is_empty());
        assert!(!ALLOW_COMMAND_ALL.get());
        assert_eq!(ALLOW_COMMAND.name(), "allow-command");
        assert_eq!(ALLOW_COMMAND_ALL.name(), "allow-command-all");
    }
}
