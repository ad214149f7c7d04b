//! The state of one `wasmedge_process` module instance (WasmEdge's
//! `WasmEdgeProcessEnvironment`): the command being set up, the last run's results, and the
//! allow-list read from the program options when the instance was created.

use std::collections::HashSet;
use std::sync::{Mutex, MutexGuard};

use crate::run::{DEFAULT_TIMEOUT_MS, Job, Outcome};
use crate::{ALLOW_COMMAND, ALLOW_COMMAND_ALL};

/// The most bytes of program name, arguments and environment (keys and values) one run may
/// gather.
pub const MAX_COMMAND_BYTES: usize = 16 << 20;
/// The most bytes of stdin one run may gather.
pub const MAX_STDIN_BYTES: usize = 256 << 20;

/// One module instance's state. Every function locks it for the length of the call, except
/// that `run` releases it while the command runs.
#[derive(Debug)]
pub struct Process {
    env: Mutex<Env>,
}

/// The fields of [`Process`], behind its lock.
#[derive(Debug, Default)]
pub(crate) struct Env {
    /// The program name (appended to by each `set_prog_name`, as in WasmEdge).
    pub(crate) name: Vec<u8>,
    pub(crate) args: Vec<Vec<u8>>,
    /// `(key, value)` in the order added; a key is added once (the first value wins, as with
    /// WasmEdge's `unordered_map::emplace`).
    pub(crate) envs: Vec<(Vec<u8>, Vec<u8>)>,
    pub(crate) stdin: Vec<u8>,
    /// Bytes in `name`, `args` and `envs`, against [`MAX_COMMAND_BYTES`].
    pub(crate) command_bytes: usize,
    pub(crate) timeout_ms: u32,
    pub(crate) exit_code: i32,
    pub(crate) stdout: Vec<u8>,
    pub(crate) stderr: Vec<u8>,
    pub(crate) allowed: HashSet<Vec<u8>>,
    pub(crate) allow_all: bool,
}

impl Process {
    /// A fresh instance allowing `allowed` (or everything, with `allow_all`).
    #[must_use]
    pub fn new<I, S>(allowed: I, allow_all: bool) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            env: Mutex::new(Env {
                timeout_ms: DEFAULT_TIMEOUT_MS,
                allowed: allowed.into_iter().map(|s| s.into().into_bytes()).collect(),
                allow_all,
                ..Env::default()
            }),
        }
    }

    /// A fresh instance with the allow-list of `--allow-command` and `--allow-command-all`.
    #[must_use]
    pub fn from_options() -> Self {
        Self::new(ALLOW_COMMAND.get(), ALLOW_COMMAND_ALL.get())
    }

    /// The state, locked (a panic while it was locked left it consistent: every update is a
    /// single assignment or push).
    pub(crate) fn lock(&self) -> MutexGuard<'_, Env> {
        self.env
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Env {
    /// Whether `more` bytes of name, arguments or environment still fit this run.
    pub(crate) fn command_room(&self, more: usize) -> bool {
        self.command_bytes
            .checked_add(more)
            .is_some_and(|total| total <= MAX_COMMAND_BYTES)
    }

    /// Takes the command set up so far, leaving the inputs empty and the time limit at its
    /// default for the next run (WasmEdge resets them after each run).
    pub(crate) fn take_job(&mut self) -> Job {
        let job = Job {
            name: std::mem::take(&mut self.name),
            args: std::mem::take(&mut self.args),
            envs: std::mem::take(&mut self.envs),
            stdin: std::mem::take(&mut self.stdin),
            timeout_ms: self.timeout_ms,
        };
        self.command_bytes = 0;
        self.timeout_ms = DEFAULT_TIMEOUT_MS;
        job
    }

    /// Whether `name` may run.
    pub(crate) fn allows(&self, name: &[u8]) -> bool {
        self.allow_all || self.allowed.contains(name)
    }

    /// Records a run's results.
    pub(crate) fn finish(&mut self, outcome: Outcome) {
        self.exit_code = outcome.exit_code;
        self.stdout = outcome.stdout;
        self.stderr = outcome.stderr;
    }
}

/// WasmEdge's message for a program not in the allow-list, with the name's bytes as given.
pub(crate) fn denied_message(name: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(200 + 3 * name.len());
    m.extend_from_slice(b"Permission denied: Command \"");
    m.extend_from_slice(name);
    m.extend_from_slice(b"\" is not in the white list. Please use --allow-command=");
    m.extend_from_slice(name);
    m.extend_from_slice(b" or --allow-command-all to add \"");
    m.extend_from_slice(name);
    m.extend_from_slice(b"\" command into the white list.\n");
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_denied_message_is_wasmedge_s() {
        assert_eq!(
            denied_message(b"c++"),
            b"Permission denied: Command \"c++\" is not in the white list. Please use \
              --allow-command=c++ or --allow-command-all to add \"c++\" command into the white \
              list.\n"
        );
    }

    #[test]
    fn a_fresh_instance_has_the_default_time_limit_and_exit_code_0() {
        let p = Process::new(["ls"], false);
        let env = p.lock();
        assert_eq!(env.timeout_ms, 10_000);
        assert_eq!(env.exit_code, 0);
        assert!(env.allows(b"ls"));
        assert!(!env.allows(b"/bin/ls"));
        assert!(!env.allows(b"l"));
        assert!(
            Process::new(Vec::<String>::new(), true)
                .lock()
                .allows(b"anything")
        );
    }

    #[test]
    fn command_room_caps_the_total() {
        let p = Process::new(Vec::<String>::new(), false);
        let mut env = p.lock();
        assert!(env.command_room(MAX_COMMAND_BYTES));
        assert!(!env.command_room(MAX_COMMAND_BYTES + 1));
        env.command_bytes = MAX_COMMAND_BYTES - 1;
        assert!(env.command_room(1));
        assert!(!env.command_room(2));
        assert!(!env.command_room(usize::MAX));
    }
}
