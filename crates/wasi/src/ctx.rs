//! The WASI context: what one guest may see and the table of its open descriptors.

use std::collections::BTreeMap;
use std::path::Path;

/// Everything a guest's WASI calls work on.
pub struct WasiCtx {
    pub(crate) args: Vec<Vec<u8>>,
    pub(crate) env: Vec<Vec<u8>>,
    pub(crate) fds: BTreeMap<u32, crate::fd::Descriptor>,
    /// Whether `sock_open` may create `AF_UNIX` sockets (WasmEdge's `--allow-af-unix`).
    pub(crate) allow_af_unix: bool,
}

impl WasiCtx {
    /// The host descriptor behind the guest's descriptor `fd` (WasmEdge's "native handler").
    pub fn native_fd(&self, fd: u32) -> Option<std::os::fd::RawFd> {
        use std::os::fd::AsRawFd;
        self.fds.get(&fd)?.host_fd().map(|f| f.as_raw_fd())
    }

    /// Installs `d` at the lowest free descriptor number and returns that number.
    pub(crate) fn insert(&mut self, d: crate::fd::Descriptor) -> Result<u32, crate::Errno> {
        let mut n = 0u32;
        for &k in self.fds.keys() {
            if k != n {
                break;
            }
            n = n.checked_add(1).ok_or(crate::Errno::Mfile)?;
        }
        self.fds.insert(n, d);
        Ok(n)
    }
}

impl std::fmt::Debug for WasiCtx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WasiCtx")
            .field("args", &self.args.len())
            .field("fds", &self.fds.len())
            .finish_non_exhaustive()
    }
}

/// Builds a [`WasiCtx`].
#[derive(Default)]
pub struct WasiCtxBuilder {
    args: Vec<Vec<u8>>,
    env: Vec<Vec<u8>>,
    preopens: Vec<(String, cap_std::fs::Dir, bool)>,
    allow_af_unix: bool,
    stdio: [Option<std::os::fd::OwnedFd>; 3],
}

impl WasiCtxBuilder {
    /// A context with no arguments, no environment and no preopened directories.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a command-line argument (the first is the program name).
    pub fn arg(mut self, arg: impl AsRef<[u8]>) -> Self {
        self.args.push(arg.as_ref().to_vec());
        self
    }

    /// Appends `NAME=VALUE` to the environment.
    pub fn env(mut self, name: impl AsRef<[u8]>, value: impl AsRef<[u8]>) -> Self {
        let mut v = name.as_ref().to_vec();
        v.push(b'=');
        v.extend_from_slice(value.as_ref());
        self.env.push(v);
        self
    }

    /// Lets the guest open `AF_UNIX` sockets with `sock_open` (off by default, as with
    /// WasmEdge's `--allow-af-unix`). Their paths are host paths, outside any preopen.
    pub fn allow_af_unix(mut self, allow: bool) -> Self {
        self.allow_af_unix = allow;
        self
    }

    /// Preopens host directory `host` as `guest` (read-only if `readonly`). Preopens get
    /// descriptors 3, 4, ... in the order given.
    pub fn preopen_dir(
        mut self,
        guest: impl Into<String>,
        host: impl AsRef<Path>,
        readonly: bool,
    ) -> std::io::Result<Self> {
        let dir = cap_std::fs::Dir::open_ambient_dir(host, cap_std::ambient_authority())?;
        self.preopens.push((guest.into(), dir, readonly));
        Ok(self)
    }

    /// Uses host descriptor `fd` as the guest's standard stream `stream` (0 stdin, 1 stdout,
    /// 2 stderr) instead of the host's own; other values of `stream` are ignored.
    pub fn stdio_fd(mut self, stream: u32, fd: std::os::fd::OwnedFd) -> Self {
        if let Some(slot) = self.stdio.get_mut(stream as usize) {
            *slot = Some(fd);
        }
        self
    }

    /// The context.
    pub fn build(self) -> WasiCtx {
        let mut fds = BTreeMap::new();
        crate::fd::install_stdio(&mut fds, self.stdio);
        for (i, (guest, dir, readonly)) in self.preopens.into_iter().enumerate() {
            fds.insert(
                3 + i as u32,
                crate::fd::Descriptor::preopen(guest, dir, readonly),
            );
        }
        WasiCtx {
            args: self.args,
            env: self.env,
            fds,
            allow_af_unix: self.allow_af_unix,
        }
    }
}
