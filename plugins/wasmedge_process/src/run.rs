//! Running one command: finding the program, starting it with piped stdio, feeding its stdin,
//! collecting (and capping) its outputs, and enforcing the time limit.

use std::ffi::{OsStr, OsString};
use std::io::{self, ErrorKind, PipeReader, Read, Write};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// The time limit of a run unless the guest sets one, in milliseconds (WasmEdge's
/// `DEFAULT_TIMEOUT`).
pub const DEFAULT_TIMEOUT_MS: u32 = 10_000;
/// The exit code of a run whose command was killed at the time limit (Linux's `ETIMEDOUT`).
pub const ETIMEDOUT: i32 = 110;
/// The exit code when the command's status cannot be read (Linux's `EINVAL`, as WasmEdge gives
/// when `waitpid` fails).
const EINVAL: i32 = 22;
/// The most bytes kept of each of a run's stdout and stderr; the rest is read and dropped.
pub const OUTPUT_CAP: usize = 16 << 20;
/// How long the outputs are still read after the time limit, for a command that exited but left
/// a process holding them open.
const GRACE: Duration = Duration::from_millis(100);
/// Bytes per read of an output and per write to stdin.
const CHUNK: usize = 64 << 10;
/// glibc's search path when `PATH` is unset (`_CS_PATH`).
const DEFAULT_PATH: &[u8] = b"/bin:/usr/bin";

/// A command to run.
#[derive(Debug, Default)]
pub(crate) struct Job {
    pub(crate) name: Vec<u8>,
    pub(crate) args: Vec<Vec<u8>>,
    pub(crate) envs: Vec<(Vec<u8>, Vec<u8>)>,
    pub(crate) stdin: Vec<u8>,
    pub(crate) timeout_ms: u32,
}

/// What a run gives the guest.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Outcome {
    pub(crate) exit_code: i32,
    pub(crate) stdout: Vec<u8>,
    pub(crate) stderr: Vec<u8>,
}

impl Outcome {
    /// A run that could not start the command: exit code -1 and `message` on stderr.
    fn failed(message: &str) -> Self {
        Self {
            exit_code: -1,
            stdout: Vec::new(),
            stderr: message.as_bytes().to_vec(),
        }
    }

    /// The outcome for an error starting the command, with the message WasmEdge's child logs.
    fn spawn_error(e: &io::Error) -> Self {
        Self::failed(match e.kind() {
            ErrorKind::NotFound => "Command not found.\n",
            ErrorKind::PermissionDenied => "Permission denied.\n",
            _ => "Unknown error.\n",
        })
    }
}

/// The bytes up to the first NUL: what a C string made of them holds.
fn c_str(bytes: &[u8]) -> &OsStr {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    OsStr::from_bytes(&bytes[..end])
}

/// The file `execvpe` would run for `name`: `name` itself when it has a `/`, else the first
/// executable regular file `DIR/name` for the directories of the host's `PATH` (an empty entry
/// is the current directory), or failing that the first such file that exists (its start then
/// fails with permission denied). `NotFound` for an empty name or none found.
fn resolve(name: &OsStr) -> io::Result<PathBuf> {
    if name.is_empty() {
        return Err(ErrorKind::NotFound.into());
    }
    if name.as_bytes().contains(&b'/') {
        return Ok(PathBuf::from(name));
    }
    let path = std::env::var_os("PATH").unwrap_or_else(|| OsString::from_vec(DEFAULT_PATH.into()));
    let mut not_executable = None;
    for dir in path.as_bytes().split(|&b| b == b':') {
        let dir = if dir.is_empty() {
            Path::new(".")
        } else {
            Path::new(OsStr::from_bytes(dir))
        };
        let candidate = dir.join(name);
        match std::fs::metadata(&candidate) {
            Ok(m) if m.is_file() && m.permissions().mode() & 0o111 != 0 => return Ok(candidate),
            Ok(m) if m.is_file() => {
                not_executable.get_or_insert(candidate);
            }
            _ => {}
        }
    }
    not_executable.ok_or_else(|| ErrorKind::NotFound.into())
}

/// An output of the command as it is read: what is kept, and whether the reader reached the end.
type Collected = Arc<Mutex<Vec<u8>>>;

/// Runs `job` to completion or to its time limit.
pub(crate) fn run(job: Job) -> Outcome {
    let start = Instant::now();
    let deadline = start + Duration::from_millis(job.timeout_ms.into());
    let name = c_str(&job.name);
    let program = match resolve(name) {
        Ok(p) => p,
        Err(e) => return Outcome::spawn_error(&e),
    };
    let mut command = Command::new(&program);
    command.arg0(name).env_clear();
    for arg in &job.args {
        command.arg(c_str(arg));
    }
    for (key, value) in &job.envs {
        command.env(c_str(key), c_str(value));
    }
    // Stdin is a pipe of which the host keeps a reader while it writes, so a write never meets
    // a pipe without readers (which would raise SIGPIPE in the host). No pipe: as WasmEdge,
    // exit code -1 and no message.
    let Ok((stdin_reader, stdin_writer)) = io::pipe() else {
        return Outcome::failed("");
    };
    let Ok(host_stdin_reader) = stdin_reader.try_clone() else {
        return Outcome::failed("");
    };
    command
        .stdin(stdin_reader)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let spawned = command.spawn();
    // The command holds the child's end of stdin; drop it so the child alone has it.
    drop(command);
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) => return Outcome::spawn_error(&e),
    };
    match collect(
        &mut child,
        job.stdin,
        stdin_writer,
        host_stdin_reader,
        deadline,
    ) {
        Ok(outcome) => outcome,
        Err(e) => {
            // A helper thread could not start: stop the command.
            let _ = child.kill();
            let _ = child.wait();
            Outcome::failed(&format!("Unknown error: {e}.\n"))
        }
    }
}

/// Feeds stdin, reads the outputs and waits for `child` (killing it at `deadline`).
fn collect(
    child: &mut Child,
    stdin: Vec<u8>,
    stdin_writer: io::PipeWriter,
    mut host_stdin_reader: PipeReader,
    deadline: Instant,
) -> io::Result<Outcome> {
    let stop_writing = Arc::new(AtomicBool::new(false));
    let writer = if stdin.is_empty() {
        // Closing the only writer gives the command an immediate end of file.
        drop(stdin_writer);
        None
    } else {
        let stop = Arc::clone(&stop_writing);
        Some(
            thread::Builder::new()
                .name("wasmedge_process stdin".into())
                .spawn(move || write_stdin(stdin_writer, &stdin, &stop))?,
        )
    };
    let (done_tx, done_rx) = mpsc::channel();
    let stdout = Collected::default();
    let stderr = Collected::default();
    if let Some(out) = child.stdout.take() {
        spawn_reader(out, Arc::clone(&stdout), done_tx.clone())?;
    }
    if let Some(err) = child.stderr.take() {
        spawn_reader(err, Arc::clone(&stderr), done_tx)?;
    }

    let mut readers_left = 2;
    let exit_code = match wait_until(child, &done_rx, &mut readers_left, deadline) {
        Ok(Some(status)) => exit_code(status),
        Ok(None) => {
            let _ = child.kill();
            let _ = child.wait();
            ETIMEDOUT
        }
        Err(_) => EINVAL,
    };
    // The outputs close when the command exits, unless a process it started holds them.
    wait_readers(&done_rx, &mut readers_left, Instant::now() + GRACE);

    // Unblock and end the stdin writer: it stops before its next chunk, and reading here frees
    // room for the one it may be blocked on, so it always finishes; then the pipe reaches its end.
    if let Some(writer) = writer {
        stop_writing.store(true, Ordering::Relaxed);
        let mut sink = vec![0; CHUNK];
        while matches!(host_stdin_reader.read(&mut sink), Ok(n) if n > 0) {}
        let _ = writer.join();
    }

    let take = |c: &Collected| std::mem::take(&mut *c.lock().unwrap_or_else(|p| p.into_inner()));
    Ok(Outcome {
        exit_code,
        stdout: take(&stdout),
        stderr: take(&stderr),
    })
}

/// WasmEdge's exit code for a status: the exit status as a signed byte (`int8_t`), 0 for a
/// command a signal ended (`WEXITSTATUS` of such a status is 0).
fn exit_code(status: ExitStatus) -> i32 {
    match status.code() {
        Some(code) => i32::from(code as u8 as i8),
        None => {
            debug_assert!(status.signal().is_some());
            0
        }
    }
}

/// Waits for the child to exit, until `deadline`: its status, or `None` at the deadline. It
/// polls the child, between polls waiting on the output readers, whose ends (usually the
/// command's exit) wake it at once; the pause between polls grows from 10 us to 1 ms while
/// nothing happens.
fn wait_until(
    child: &mut Child,
    done: &Receiver<()>,
    readers_left: &mut usize,
    deadline: Instant,
) -> io::Result<Option<ExitStatus>> {
    const FIRST_PAUSE: Duration = Duration::from_micros(10);
    let mut pause = FIRST_PAUSE;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        let now = Instant::now();
        if now >= deadline {
            return Ok(None);
        }
        let slice = pause.min(deadline - now);
        if *readers_left > 0 {
            match done.recv_timeout(slice) {
                Ok(()) => {
                    *readers_left -= 1;
                    pause = FIRST_PAUSE;
                    continue;
                }
                Err(RecvTimeoutError::Timeout) => {}
                // A reader ended without reporting (it cannot, short of a panic).
                Err(RecvTimeoutError::Disconnected) => *readers_left = 0,
            }
        } else {
            thread::sleep(slice);
        }
        pause = (pause * 2).min(Duration::from_millis(1));
    }
}

/// Waits until `left` readers have reported their end, or until `deadline`.
fn wait_readers(done: &Receiver<()>, left: &mut usize, deadline: Instant) {
    while *left > 0 {
        let wait = deadline.saturating_duration_since(Instant::now());
        match done.recv_timeout(wait) {
            Ok(()) => *left -= 1,
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// Writes `data` in chunks until done, the command stops reading, or `stop` is set.
fn write_stdin(mut pipe: io::PipeWriter, data: &[u8], stop: &AtomicBool) {
    for chunk in data.chunks(CHUNK) {
        if stop.load(Ordering::Relaxed) || pipe.write_all(chunk).is_err() {
            return;
        }
    }
}

/// An output pipe of the command.
trait Output: Read + Send + 'static {}
impl Output for ChildStdout {}
impl Output for ChildStderr {}

/// Starts a thread reading `src` to its end, keeping at most [`OUTPUT_CAP`] bytes in `into`,
/// then sending on `done`.
fn spawn_reader(mut src: impl Output, into: Collected, done: Sender<()>) -> io::Result<()> {
    thread::Builder::new()
        .name("wasmedge_process output".into())
        .spawn(move || {
            let mut buf = vec![0; CHUNK];
            loop {
                match src.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        let mut kept = into.lock().unwrap_or_else(|p| p.into_inner());
                        let room = OUTPUT_CAP.saturating_sub(kept.len());
                        kept.extend_from_slice(&buf[..n.min(room)]);
                    }
                    Err(e) if e.kind() == ErrorKind::Interrupted => {}
                    Err(_) => break,
                }
            }
            let _ = done.send(());
        })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(name: &str, args: &[&str]) -> Job {
        Job {
            name: name.into(),
            args: args.iter().map(|a| a.as_bytes().to_vec()).collect(),
            timeout_ms: DEFAULT_TIMEOUT_MS,
            ..Job::default()
        }
    }

    #[test]
    fn echo_prints_its_arguments_as_given_without_a_shell() {
        let out = run(job("echo", &["123456 test", "$(pwd)", "*"]));
        assert_eq!(out.exit_code, 0);
        assert_eq!(out.stdout, b"123456 test $(pwd) *\n");
        assert!(out.stderr.is_empty());
    }

    #[test]
    fn exit_codes_are_signed_bytes_and_a_signal_gives_0() {
        assert_eq!(run(job("sh", &["-c", "exit 3"])).exit_code, 3);
        assert_eq!(run(job("sh", &["-c", "exit 255"])).exit_code, -1);
        assert_eq!(run(job("sh", &["-c", "exit 200"])).exit_code, -56);
        assert_eq!(run(job("sh", &["-c", "kill -9 $$"])).exit_code, 0);
        assert_eq!(run(job("false", &[])).exit_code, 1);
    }

    #[test]
    fn stdin_reaches_the_command_and_the_environment_is_only_the_guest_s() {
        let mut j = job("cat", &[]);
        j.stdin = b"hello, wasmedge\n".to_vec();
        assert_eq!(run(j).stdout, b"hello, wasmedge\n");

        let mut j = job("env", &[]);
        j.envs = vec![
            (b"A".to_vec(), b"1".to_vec()),
            (b"B".to_vec(), b"x=y".to_vec()),
        ];
        assert_eq!(run(j).stdout, b"A=1\nB=x=y\n");
    }

    #[test]
    fn a_command_that_ignores_a_large_stdin_neither_blocks_nor_raises_sigpipe() {
        let mut j = job("true", &[]);
        j.stdin = vec![b'x'; 8 << 20];
        let started = Instant::now();
        let out = run(j);
        assert_eq!(out.exit_code, 0);
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn the_time_limit_kills_the_command_with_etimedout() {
        let mut j = job("sleep", &["5"]);
        j.timeout_ms = 200;
        let started = Instant::now();
        let out = run(j);
        let took = started.elapsed();
        assert_eq!(out.exit_code, ETIMEDOUT);
        assert!(took >= Duration::from_millis(200), "{took:?}");
        assert!(took < Duration::from_millis(1500), "{took:?}");
    }

    #[test]
    fn a_background_process_holding_the_outputs_does_not_hold_the_run() {
        // The default time limit (10 s): the run ends shortly after `sh` does.
        let j = job("sh", &["-c", "echo started; sleep 5 & exit 7"]);
        let started = Instant::now();
        let out = run(j);
        assert_eq!(out.exit_code, 7);
        assert_eq!(out.stdout, b"started\n");
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn a_flood_is_capped_and_drained() {
        let out = run(job("head", &["-c", "50000000", "/dev/zero"]));
        assert_eq!(out.exit_code, 0);
        assert_eq!(out.stdout.len(), OUTPUT_CAP);
        let mut j = job("yes", &[]);
        j.timeout_ms = 300;
        let out = run(j);
        assert_eq!(out.exit_code, ETIMEDOUT);
        assert_eq!(out.stdout.len(), OUTPUT_CAP);
    }

    #[test]
    fn a_missing_or_empty_program_fails_with_minus_1_and_a_message() {
        let out = run(job("wedge-no-such-command", &[]));
        assert_eq!(out, Outcome::failed("Command not found.\n"));
        assert_eq!(run(job("", &[])).exit_code, -1);
        assert_eq!(run(job("/nonexistent/x", &[])).exit_code, -1);
        let file =
            std::env::temp_dir().join(format!("wedge-process-noexec-{}", std::process::id()));
        std::fs::write(&file, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let out = run(job(file.to_str().unwrap(), &[]));
        std::fs::remove_file(&file).unwrap();
        assert_eq!(out, Outcome::failed("Permission denied.\n"));
    }

    #[test]
    fn names_with_a_slash_run_directly_and_nul_ends_a_string() {
        let out = run(job("/bin/echo", &["a\0b"]));
        assert_eq!(out.stdout, b"a\n");
    }

    #[test]
    fn resolve_searches_path_for_a_bare_name() {
        let p = resolve(OsStr::new("sh")).unwrap();
        assert!(p.ends_with("sh") && p.is_absolute(), "{p:?}");
        assert_eq!(resolve(OsStr::new("./x")).unwrap(), PathBuf::from("./x"));
        assert_eq!(
            resolve(OsStr::new("")).unwrap_err().kind(),
            ErrorKind::NotFound
        );
    }
}
