//! The 11 host functions of `wasmedge_process` (WasmEdge's `processfunc.cpp`): setting up a
//! command, running it, and reading its results.

use wedge_plugin_sdk::{Caller, Error};

use crate::env::{Env, MAX_STDIN_BYTES, Process, denied_message};
use crate::run::{self, Outcome};

/// `len` bytes of the guest's memory at `ptr`, after checking that they fit there.
fn guest_bytes(c: &Caller<'_, Process>, ptr: u32, len: u32) -> Result<Vec<u8>, Error> {
    c.memory(0)?.read_vec(ptr.into(), len.into())
}

/// Fails unless `len` more bytes of name, arguments and environment fit this run (checked
/// before the guest's memory is read, and again when the bytes are added, under the lock).
fn check_command_room(env: &Env, len: usize) -> Result<(), Error> {
    if env.command_room(len) {
        Ok(())
    } else {
        Err(Error::host_func_error())
    }
}

/// `wasmedge_process_set_prog_name(ptr, len)`: appends the `len` bytes at `ptr` to the program
/// name (a second call extends the name, as in WasmEdge).
pub fn set_prog_name(c: Caller<'_, Process>, ptr: u32, len: u32) -> Result<(), Error> {
    check_command_room(&c.state().lock(), len as usize)?;
    let bytes = guest_bytes(&c, ptr, len)?;
    let mut env = c.state().lock();
    check_command_room(&env, bytes.len())?;
    env.command_bytes += bytes.len();
    env.name.extend_from_slice(&bytes);
    Ok(())
}

/// `wasmedge_process_add_arg(ptr, len)`: adds the argument of `len` bytes at `ptr`.
pub fn add_arg(c: Caller<'_, Process>, ptr: u32, len: u32) -> Result<(), Error> {
    check_command_room(&c.state().lock(), len as usize)?;
    let arg = guest_bytes(&c, ptr, len)?;
    let mut env = c.state().lock();
    check_command_room(&env, arg.len())?;
    env.command_bytes += arg.len();
    env.args.push(arg);
    Ok(())
}

/// `wasmedge_process_add_env(kptr, klen, vptr, vlen)`: adds the variable `KEY=VALUE`; a key
/// added before keeps its first value (WasmEdge's `emplace`).
pub fn add_env(
    c: Caller<'_, Process>,
    key_ptr: u32,
    key_len: u32,
    value_ptr: u32,
    value_len: u32,
) -> Result<(), Error> {
    check_command_room(&c.state().lock(), key_len as usize + value_len as usize)?;
    let key = guest_bytes(&c, key_ptr, key_len)?;
    let value = guest_bytes(&c, value_ptr, value_len)?;
    let mut env = c.state().lock();
    if env.envs.iter().all(|(k, _)| *k != key) {
        check_command_room(&env, key.len() + value.len())?;
        env.command_bytes += key.len() + value.len();
        env.envs.push((key, value));
    }
    Ok(())
}

/// `wasmedge_process_add_stdin(ptr, len)`: appends the `len` bytes at `ptr` to the command's
/// stdin.
pub fn add_stdin(c: Caller<'_, Process>, ptr: u32, len: u32) -> Result<(), Error> {
    let room = MAX_STDIN_BYTES.saturating_sub(c.state().lock().stdin.len());
    if len as usize > room {
        return Err(Error::host_func_error());
    }
    let bytes = guest_bytes(&c, ptr, len)?;
    let mut env = c.state().lock();
    if env.stdin.len() + bytes.len() > MAX_STDIN_BYTES {
        return Err(Error::host_func_error());
    }
    env.stdin.extend_from_slice(&bytes);
    Ok(())
}

/// `wasmedge_process_set_timeout(ms)`: the time limit of the next run, in milliseconds.
pub fn set_timeout(c: Caller<'_, Process>, ms: u32) {
    c.state().lock().timeout_ms = ms;
}

/// `wasmedge_process_run() -> exit code`: runs the command set up (see the crate docs), then
/// forgets it. The state is unlocked while the command runs.
pub fn run(c: Caller<'_, Process>) -> i32 {
    let (job, allowed) = {
        let mut env = c.state().lock();
        let job = env.take_job();
        let allowed = env.allows(&job.name);
        (job, allowed)
    };
    let outcome = if allowed {
        run::run(job)
    } else {
        Outcome {
            exit_code: -1,
            stdout: Vec::new(),
            stderr: denied_message(&job.name),
        }
    };
    let code = outcome.exit_code;
    c.state().lock().finish(outcome);
    code
}

/// `wasmedge_process_get_exit_code() -> i32`: the last run's exit code (0 before any run).
pub fn get_exit_code(c: Caller<'_, Process>) -> i32 {
    c.state().lock().exit_code
}

/// A length as the guest's `i32` (outputs are capped far below 2 GiB).
fn len_i32(len: usize) -> i32 {
    i32::try_from(len).unwrap_or(i32::MAX)
}

/// `wasmedge_process_get_stdout_len() -> i32`: bytes of the last run's stdout.
pub fn get_stdout_len(c: Caller<'_, Process>) -> i32 {
    len_i32(c.state().lock().stdout.len())
}

/// `wasmedge_process_get_stdout(ptr)`: writes the last run's whole stdout at `ptr`; a buffer
/// that does not fit in memory is an out-of-bounds trap and nothing is written.
pub fn get_stdout(c: Caller<'_, Process>, ptr: u32) -> Result<(), Error> {
    let memory = c.memory(0)?;
    let env = c.state().lock();
    memory.write(ptr.into(), &env.stdout)
}

/// `wasmedge_process_get_stderr_len() -> i32`: bytes of the last run's stderr.
pub fn get_stderr_len(c: Caller<'_, Process>) -> i32 {
    len_i32(c.state().lock().stderr.len())
}

/// `wasmedge_process_get_stderr(ptr)`: as [`get_stdout`], for stderr.
pub fn get_stderr(c: Caller<'_, Process>, ptr: u32) -> Result<(), Error> {
    let memory = c.memory(0)?;
    let env = c.state().lock();
    memory.write(ptr.into(), &env.stderr)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::{DEFAULT_TIMEOUT_MS, ETIMEDOUT};

    fn setup(p: &Process, name: &str, args: &[&str]) {
        let mut env = p.lock();
        env.name = name.into();
        env.args = args.iter().map(|a| a.as_bytes().to_vec()).collect();
    }

    #[test]
    fn a_command_not_allowed_gets_minus_1_and_wasmedge_s_message() {
        let p = Process::new(["echo"], false);
        setup(&p, "c++", &["--version"]);
        p.lock().stdout = b"old".to_vec();
        assert_eq!(run(Caller::detached(&p)), -1);
        assert_eq!(get_exit_code(Caller::detached(&p)), -1);
        assert_eq!(get_stdout_len(Caller::detached(&p)), 0);
        let env = p.lock();
        assert_eq!(
            env.stderr,
            b"Permission denied: Command \"c++\" is not in the white list. Please use \
              --allow-command=c++ or --allow-command-all to add \"c++\" command into the white \
              list.\n"
        );
        // The inputs are reset even for a refused command.
        assert!(env.name.is_empty() && env.args.is_empty());
    }

    #[test]
    fn an_allowed_command_runs_and_the_inputs_reset_after_it() {
        let p = Process::new(["/bin/echo"], false);
        setup(&p, "/bin/echo", &["123456 test"]);
        set_timeout(Caller::detached(&p), 5000);
        p.lock().command_bytes = 20;
        assert_eq!(run(Caller::detached(&p)), 0);
        assert_eq!(get_stdout_len(Caller::detached(&p)), 12);
        assert_eq!(get_stderr_len(Caller::detached(&p)), 0);
        let env = p.lock();
        assert_eq!(env.stdout, b"123456 test\n");
        assert!(env.name.is_empty() && env.args.is_empty() && env.envs.is_empty());
        assert_eq!(env.timeout_ms, DEFAULT_TIMEOUT_MS);
        assert_eq!(env.command_bytes, 0);
    }

    #[test]
    fn allow_all_runs_anything_and_a_failing_command_gives_its_code_and_stderr() {
        let p = Process::new(Vec::<String>::new(), true);
        setup(&p, "ls", &["/wedge-no-such-dir"]);
        let code = run(Caller::detached(&p));
        assert_eq!(code, 2);
        assert!(get_stderr_len(Caller::detached(&p)) > 0);
    }

    #[test]
    fn set_timeout_applies_to_the_next_run_only() {
        let p = Process::new(["sleep"], false);
        setup(&p, "sleep", &["5"]);
        set_timeout(Caller::detached(&p), 100);
        assert_eq!(run(Caller::detached(&p)), ETIMEDOUT);
        assert_eq!(p.lock().timeout_ms, DEFAULT_TIMEOUT_MS);
    }

    #[test]
    fn functions_that_touch_memory_fail_without_one() {
        let p = Process::new(Vec::<String>::new(), false);
        let oob = Err(Error::memory_out_of_bounds());
        assert_eq!(set_prog_name(Caller::detached(&p), 0, 4), oob);
        assert_eq!(add_arg(Caller::detached(&p), 0, 4), oob);
        assert_eq!(add_env(Caller::detached(&p), 0, 4, 4, 6), oob);
        assert_eq!(add_stdin(Caller::detached(&p), 0, 4), oob);
        assert_eq!(get_stdout(Caller::detached(&p), 0), oob);
        assert_eq!(get_stderr(Caller::detached(&p), 0), oob);
        assert!(p.lock().name.is_empty());
    }

    #[test]
    fn lengths_past_the_caps_fail_before_memory_is_read() {
        let p = Process::new(Vec::<String>::new(), false);
        let too_big = Err(Error::host_func_error());
        assert_eq!(set_prog_name(Caller::detached(&p), 0, u32::MAX), too_big);
        assert_eq!(add_env(Caller::detached(&p), 0, 1 << 24, 0, 1), too_big);
        assert_eq!(add_stdin(Caller::detached(&p), 0, u32::MAX), too_big);
        p.lock().command_bytes = crate::MAX_COMMAND_BYTES;
        assert_eq!(add_arg(Caller::detached(&p), 0, 1), too_big);
    }

    #[test]
    fn exit_code_is_0_before_any_run() {
        let p = Process::new(Vec::<String>::new(), false);
        assert_eq!(get_exit_code(Caller::detached(&p)), 0);
        assert_eq!(get_stdout_len(Caller::detached(&p)), 0);
    }

    #[test]
    fn two_instances_run_at_once_on_two_threads() {
        let a = Process::new(["echo"], false);
        let b = Process::new(["echo"], false);
        setup(&a, "echo", &["a"]);
        setup(&b, "echo", &["b"]);
        std::thread::scope(|s| {
            s.spawn(|| run(Caller::detached(&a)));
            s.spawn(|| run(Caller::detached(&b)));
        });
        assert_eq!(a.lock().stdout, b"a\n");
        assert_eq!(b.lock().stdout, b"b\n");
    }
}
