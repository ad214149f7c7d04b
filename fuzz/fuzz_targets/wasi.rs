//! WASI's filesystem sandbox under arbitrary sequences of path and descriptor operations.
//!
//! Each input is a list of operations (`path_open` with any flags and rights, directory
//! creation and removal, symlinks, hard links, renames, unlinks, reads, writes, seeks,
//! `fd_readdir`, closes, stats...) on paths built from components such as `..`, `.`, `/`,
//! `sub` and symlinks that point out of the sandbox. They run through `wedge-wasi`'s host
//! functions, called by a small guest that imports each and re-exports it (as the crate's own
//! tests do), against a fresh preopened directory `outer/sandbox`. After the run nothing
//! outside the sandbox may have changed: the rest of `outer` (names, kinds, contents, link
//! counts, symlink targets) must be as it was, and the absolute names the guest can spell
//! (`/a`, `/sub`...) must not have appeared at the host's root. And nothing may panic.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::sync::OnceLock;
use wedge::{Engine, Instance, Linker, Module, Store, Val};
use wedge_wasi::{WasiCtx, WasiCtxBuilder};

/// The WASI functions the guest imports and re-exports, with their parameter types.
const IMPORTS: &[(&str, &str)] = &[
    ("fd_close", "i32"),
    ("fd_fdstat_get", "i32 i32"),
    ("fd_fdstat_set_flags", "i32 i32"),
    ("fd_filestat_get", "i32 i32"),
    ("fd_filestat_set_size", "i32 i64"),
    ("fd_pread", "i32 i32 i32 i64 i32"),
    ("fd_prestat_get", "i32 i32"),
    ("fd_pwrite", "i32 i32 i32 i64 i32"),
    ("fd_read", "i32 i32 i32 i32"),
    ("fd_readdir", "i32 i32 i32 i64 i32"),
    ("fd_renumber", "i32 i32"),
    ("fd_seek", "i32 i64 i32 i32"),
    ("fd_tell", "i32 i32"),
    ("fd_write", "i32 i32 i32 i32"),
    ("path_create_directory", "i32 i32 i32"),
    ("path_filestat_get", "i32 i32 i32 i32 i32"),
    ("path_filestat_set_times", "i32 i32 i32 i32 i64 i64 i32"),
    ("path_link", "i32 i32 i32 i32 i32 i32 i32"),
    ("path_open", "i32 i32 i32 i32 i32 i64 i64 i32 i32"),
    ("path_readlink", "i32 i32 i32 i32 i32 i32"),
    ("path_remove_directory", "i32 i32 i32"),
    ("path_rename", "i32 i32 i32 i32 i32 i32"),
    ("path_symlink", "i32 i32 i32 i32 i32"),
    ("path_unlink_file", "i32 i32 i32"),
];

/// Guest memory: where results, iovecs, paths and buffers go.
const OUT: u32 = 64;
const IOVS: u32 = 256;
const PATH: u32 = 1024;
const PATH2: u32 = 2048;
const BUF: u32 = 8192;
const BUF_MAX: u32 = 32 << 10;

/// Names the guest can spell that would land at the host's root if `/` escaped.
const ROOT_NAMES: &[&str] = &["a", "b", "sub", "file", "link"];

fn guest_wat() -> String {
    let mut wat = String::from("(module\n");
    for (name, params) in IMPORTS {
        wat += &format!(
            "  (import \"wasi_snapshot_preview1\" \"{name}\" (func ${name} (param {params}) (result i32)))\n"
        );
    }
    wat += "  (memory (export \"memory\") 1)\n";
    for (name, params) in IMPORTS {
        let gets: String = (0..params.split(' ').count())
            .map(|i| format!("local.get {i} "))
            .collect();
        wat += &format!(
            "  (func (export \"{name}\") (param {params}) (result i32) {gets}call ${name})\n"
        );
    }
    wat + ")\n"
}

fn engine_and_module() -> &'static (Engine, Module) {
    static ONCE: OnceLock<(Engine, Module)> = OnceLock::new();
    ONCE.get_or_init(|| {
        // The interpreter allocates its whole value stack (16 Mi cells by default) for each
        // store; under AddressSanitizer freeing it dominated the time per input.
        let engine = Engine::new(wedge::Config::new().max_stack_values(1 << 16));
        let wasm = wat::parse_str(guest_wat()).expect("guest WAT");
        let module = Module::new(&engine, wasm).expect("guest module");
        (engine, module)
    })
}

/// One path component.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Component {
    DotDot,
    Dot,
    /// An empty component: `a//b`, or a leading `/` (an absolute path).
    Empty,
    A,
    B,
    Sub,
    File,
    /// `link`: a name symlinks are often made at.
    Link,
    /// `out`: a symlink to `..` (out of the sandbox).
    Out,
    /// `abs`: a symlink to the outer directory's absolute path.
    Abs,
    /// `loop`: a symlink to itself.
    Loop,
    /// `secret.txt`, the file outside the sandbox.
    Secret,
}

impl Component {
    fn text(self) -> &'static str {
        match self {
            Component::DotDot => "..",
            Component::Dot => ".",
            Component::Empty => "",
            Component::A => "a",
            Component::B => "b",
            Component::Sub => "sub",
            Component::File => "file",
            Component::Link => "link",
            Component::Out => "out",
            Component::Abs => "abs",
            Component::Loop => "loop",
            Component::Secret => "secret.txt",
        }
    }
}

/// A path: up to a few components joined with `/`, or any short byte string.
#[derive(Arbitrary, Debug, Clone)]
enum PathSpec {
    Components(Vec<Component>),
    Raw(Vec<u8>),
}

impl PathSpec {
    fn bytes(&self) -> Vec<u8> {
        match self {
            PathSpec::Components(c) => c
                .iter()
                .take(8)
                .map(|c| c.text())
                .collect::<Vec<_>>()
                .join("/")
                .into_bytes(),
            PathSpec::Raw(b) => b.iter().take(64).copied().collect(),
        }
    }
}

/// A descriptor: one the run knows (the preopen, or the n-th opened), or any number.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Fd {
    Preopen,
    Opened(u8),
    Raw(u32),
}

#[derive(Arbitrary, Debug)]
enum Op {
    Open {
        dir: Fd,
        follow: bool,
        path: PathSpec,
        oflags: u8,
        base: u64,
        inheriting: u64,
        fdflags: u8,
    },
    CreateDirectory {
        dir: Fd,
        path: PathSpec,
    },
    RemoveDirectory {
        dir: Fd,
        path: PathSpec,
    },
    UnlinkFile {
        dir: Fd,
        path: PathSpec,
    },
    Symlink {
        target: PathSpec,
        dir: Fd,
        path: PathSpec,
    },
    Link {
        from_dir: Fd,
        follow: bool,
        from: PathSpec,
        to_dir: Fd,
        to: PathSpec,
    },
    Rename {
        from_dir: Fd,
        from: PathSpec,
        to_dir: Fd,
        to: PathSpec,
    },
    Readlink {
        dir: Fd,
        path: PathSpec,
        cap: u16,
    },
    FilestatGet {
        dir: Fd,
        follow: bool,
        path: PathSpec,
    },
    SetTimes {
        dir: Fd,
        follow: bool,
        path: PathSpec,
        atim: u64,
        mtim: u64,
        flags: u8,
    },
    Read {
        fd: Fd,
        len: u16,
    },
    Pread {
        fd: Fd,
        len: u16,
        offset: u32,
    },
    Write {
        fd: Fd,
        data: Vec<u8>,
    },
    Pwrite {
        fd: Fd,
        data: Vec<u8>,
        offset: u32,
    },
    Seek {
        fd: Fd,
        offset: i64,
        whence: u8,
    },
    Tell {
        fd: Fd,
    },
    Readdir {
        fd: Fd,
        len: u16,
        cookie: u64,
    },
    Close {
        fd: Fd,
    },
    Renumber {
        from: Fd,
        to: Fd,
    },
    FdstatGet {
        fd: Fd,
    },
    SetFlags {
        fd: Fd,
        flags: u8,
    },
    FilestatGetFd {
        fd: Fd,
    },
    SetSize {
        fd: Fd,
        size: u32,
    },
}

#[derive(Arbitrary, Debug)]
struct Input {
    readonly: bool,
    ops: Vec<Op>,
}

struct Guest {
    store: Store<WasiCtx>,
    instance: Instance,
    memory: wedge::Memory,
    /// Descriptors `path_open` returned, in order.
    opened: Vec<u32>,
}

impl Guest {
    fn fd(&self, fd: Fd) -> i32 {
        match fd {
            Fd::Preopen => 3,
            Fd::Opened(i) if !self.opened.is_empty() => {
                self.opened[i as usize % self.opened.len()] as i32
            }
            Fd::Opened(_) => 3,
            // Standard input would block the fuzzer, and output would flood it: stay above 2.
            Fd::Raw(n) => n.max(3) as i32,
        }
    }

    fn poke(&mut self, at: u32, bytes: &[u8]) {
        let _ = self.memory.write(&mut self.store, at as usize, bytes);
    }

    /// Puts `path` at `at`; the (pointer, length) arguments.
    fn path(&mut self, at: u32, path: &PathSpec) -> [Val; 2] {
        let bytes = path.bytes();
        self.poke(at, &bytes);
        [Val::I32(at as i32), Val::I32(bytes.len() as i32)]
    }

    /// One iovec at `IOVS` for `len` bytes at `BUF`.
    fn iov(&mut self, len: u32) -> [Val; 2] {
        let mut iov = BUF.to_le_bytes().to_vec();
        iov.extend_from_slice(&len.min(BUF_MAX).to_le_bytes());
        self.poke(IOVS, &iov);
        [Val::I32(IOVS as i32), Val::I32(1)]
    }

    fn call(&mut self, name: &str, args: &[Val]) -> i32 {
        let f = self
            .instance
            .get_func(&self.store, name)
            .expect("exported wrapper");
        let mut results = [Val::I32(-1)];
        // A trap is not a sandbox question; the errno is what matters.
        match f.call(&mut self.store, args, &mut results) {
            Ok(()) => results[0].i32().unwrap_or(-1),
            Err(_) => -1,
        }
    }

    fn run(&mut self, op: &Op) {
        let i32_ = Val::I32;
        match op {
            Op::Open {
                dir,
                follow,
                path,
                oflags,
                base,
                inheriting,
                fdflags,
            } => {
                let [p, l] = self.path(PATH, path);
                let args = [
                    i32_(self.fd(*dir)),
                    i32_(*follow as i32),
                    p,
                    l,
                    i32_(i32::from(oflags & 0xf)),
                    Val::I64(*base as i64),
                    Val::I64(*inheriting as i64),
                    i32_(i32::from(fdflags & 0x1f)),
                    i32_(OUT as i32),
                ];
                if self.call("path_open", &args) == 0 {
                    let mut out = [0u8; 4];
                    if self
                        .memory
                        .read(&self.store, OUT as usize, &mut out)
                        .is_ok()
                    {
                        self.opened.push(u32::from_le_bytes(out));
                    }
                }
            }
            Op::CreateDirectory { dir, path }
            | Op::RemoveDirectory { dir, path }
            | Op::UnlinkFile { dir, path } => {
                let name = match op {
                    Op::CreateDirectory { .. } => "path_create_directory",
                    Op::RemoveDirectory { .. } => "path_remove_directory",
                    _ => "path_unlink_file",
                };
                let [p, l] = self.path(PATH, path);
                let d = i32_(self.fd(*dir));
                self.call(name, &[d, p, l]);
            }
            Op::Symlink { target, dir, path } => {
                let [t, tl] = self.path(PATH, target);
                let [p, l] = self.path(PATH2, path);
                let d = i32_(self.fd(*dir));
                self.call("path_symlink", &[t, tl, d, p, l]);
            }
            Op::Link {
                from_dir,
                follow,
                from,
                to_dir,
                to,
            } => {
                let [a, al] = self.path(PATH, from);
                let [b, bl] = self.path(PATH2, to);
                let (fd1, fd2) = (i32_(self.fd(*from_dir)), i32_(self.fd(*to_dir)));
                self.call("path_link", &[fd1, i32_(*follow as i32), a, al, fd2, b, bl]);
            }
            Op::Rename {
                from_dir,
                from,
                to_dir,
                to,
            } => {
                let [a, al] = self.path(PATH, from);
                let [b, bl] = self.path(PATH2, to);
                let (fd1, fd2) = (i32_(self.fd(*from_dir)), i32_(self.fd(*to_dir)));
                self.call("path_rename", &[fd1, a, al, fd2, b, bl]);
            }
            Op::Readlink { dir, path, cap } => {
                let [p, l] = self.path(PATH, path);
                let d = i32_(self.fd(*dir));
                let cap = i32_(u32::from(*cap).min(BUF_MAX) as i32);
                self.call(
                    "path_readlink",
                    &[d, p, l, i32_(BUF as i32), cap, i32_(OUT as i32)],
                );
            }
            Op::FilestatGet { dir, follow, path } => {
                let [p, l] = self.path(PATH, path);
                let d = i32_(self.fd(*dir));
                self.call(
                    "path_filestat_get",
                    &[d, i32_(*follow as i32), p, l, i32_(BUF as i32)],
                );
            }
            Op::SetTimes {
                dir,
                follow,
                path,
                atim,
                mtim,
                flags,
            } => {
                let [p, l] = self.path(PATH, path);
                let d = i32_(self.fd(*dir));
                let args = [
                    d,
                    i32_(*follow as i32),
                    p,
                    l,
                    Val::I64(*atim as i64),
                    Val::I64(*mtim as i64),
                    i32_(i32::from(flags & 0xf)),
                ];
                self.call("path_filestat_set_times", &args);
            }
            Op::Read { fd, len } | Op::Pread { fd, len, .. } => {
                let [iov, n] = self.iov(u32::from(*len));
                let f = i32_(self.fd(*fd));
                match op {
                    Op::Pread { offset, .. } => self.call(
                        "fd_pread",
                        &[f, iov, n, Val::I64(i64::from(*offset)), i32_(OUT as i32)],
                    ),
                    _ => self.call("fd_read", &[f, iov, n, i32_(OUT as i32)]),
                };
            }
            Op::Write { fd, data } | Op::Pwrite { fd, data, .. } => {
                let data = &data[..data.len().min(4096)];
                self.poke(BUF, data);
                let [iov, n] = self.iov(data.len() as u32);
                let f = i32_(self.fd(*fd));
                match op {
                    Op::Pwrite { offset, .. } => self.call(
                        "fd_pwrite",
                        &[f, iov, n, Val::I64(i64::from(*offset)), i32_(OUT as i32)],
                    ),
                    _ => self.call("fd_write", &[f, iov, n, i32_(OUT as i32)]),
                };
            }
            Op::Seek { fd, offset, whence } => {
                let f = i32_(self.fd(*fd));
                self.call(
                    "fd_seek",
                    &[
                        f,
                        Val::I64(*offset),
                        i32_(i32::from(whence % 4)),
                        i32_(OUT as i32),
                    ],
                );
            }
            Op::Tell { fd } => {
                let f = i32_(self.fd(*fd));
                self.call("fd_tell", &[f, i32_(OUT as i32)]);
            }
            Op::Readdir { fd, len, cookie } => {
                let f = i32_(self.fd(*fd));
                let len = i32_(u32::from(*len).min(BUF_MAX) as i32);
                self.call(
                    "fd_readdir",
                    &[
                        f,
                        i32_(BUF as i32),
                        len,
                        Val::I64(*cookie as i64),
                        i32_(OUT as i32),
                    ],
                );
            }
            Op::Close { fd } => {
                let f = self.fd(*fd);
                self.call("fd_close", &[i32_(f)]);
            }
            Op::Renumber { from, to } => {
                let (a, b) = (i32_(self.fd(*from)), i32_(self.fd(*to)));
                self.call("fd_renumber", &[a, b]);
            }
            Op::FdstatGet { fd } => {
                let f = i32_(self.fd(*fd));
                self.call("fd_fdstat_get", &[f, i32_(BUF as i32)]);
            }
            Op::SetFlags { fd, flags } => {
                let f = i32_(self.fd(*fd));
                self.call("fd_fdstat_set_flags", &[f, i32_(i32::from(flags & 0x1f))]);
            }
            Op::FilestatGetFd { fd } => {
                let f = i32_(self.fd(*fd));
                self.call("fd_filestat_get", &[f, i32_(BUF as i32)]);
            }
            Op::SetSize { fd, size } => {
                // Bounded: sparse, but keep files small anyway.
                let f = i32_(self.fd(*fd));
                self.call(
                    "fd_filestat_set_size",
                    &[f, Val::I64(i64::from(*size % (1 << 20)))],
                );
            }
        }
    }
}

/// Everything under `dir` except `skip`: path, kind with link count and modification time,
/// contents or symlink target.
fn snapshot(dir: &Path, skip: &Path, out: &mut Vec<(String, String, Vec<u8>)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path == skip {
            continue;
        }
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let name = path.to_string_lossy().into_owned();
        let stamp = |kind: &str| {
            format!(
                "{kind} nlink {} mtime {}.{:09}",
                meta.nlink(),
                meta.mtime(),
                meta.mtime_nsec()
            )
        };
        if meta.file_type().is_symlink() {
            let target = std::fs::read_link(&path).unwrap_or_default();
            out.push((
                name,
                stamp("symlink"),
                target.to_string_lossy().as_bytes().to_vec(),
            ));
        } else if meta.is_dir() {
            out.push((name, stamp("dir"), Vec::new()));
            snapshot(&path, skip, out);
        } else {
            let data = std::fs::read(&path).unwrap_or_default();
            out.push((name, stamp("file"), data));
        }
    }
    out.sort();
}

fn run(input: &Input) {
    let outer = tempfile::Builder::new()
        .prefix("wedge-fuzz-wasi")
        .tempdir()
        .expect("temp dir");
    let root = outer.path();
    let sandbox = root.join("sandbox");
    std::fs::create_dir(&sandbox).expect("sandbox");
    std::fs::write(root.join("secret.txt"), b"secret").expect("secret");
    std::fs::create_dir(root.join("outdir")).expect("outdir");
    std::fs::write(root.join("outdir/file"), b"outside").expect("outdir/file");
    std::fs::create_dir(sandbox.join("sub")).expect("sub");
    std::fs::write(sandbox.join("file"), b"inside").expect("file");
    std::os::unix::fs::symlink("..", sandbox.join("out")).expect("out");
    std::os::unix::fs::symlink(root, sandbox.join("abs")).expect("abs");
    std::os::unix::fs::symlink("loop", sandbox.join("loop")).expect("loop");
    std::os::unix::fs::symlink("../secret.txt", sandbox.join("sub/secret.txt")).expect("link");
    let mut before = Vec::new();
    snapshot(root, &sandbox, &mut before);
    let roots_before: Vec<bool> = ROOT_NAMES
        .iter()
        .map(|n| Path::new("/").join(n).exists())
        .collect();

    let (engine, module) = engine_and_module();
    let ctx = WasiCtxBuilder::new()
        .preopen_dir("/sandbox", &sandbox, input.readonly)
        .expect("preopen")
        .build();
    let mut store = Store::new(engine, ctx);
    let mut linker = Linker::new(engine);
    wedge_wasi::add_to_linker(&mut linker, &mut store, |ctx: &mut WasiCtx| ctx)
        .expect("add_to_linker");
    let instance = linker.instantiate(&mut store, module).expect("instantiate");
    let memory = instance.get_memory(&store, "memory").expect("memory");
    let mut guest = Guest {
        store,
        instance,
        memory,
        opened: Vec::new(),
    };
    for op in input.ops.iter().take(64) {
        guest.run(op);
    }
    drop(guest);

    let mut after = Vec::new();
    snapshot(root, &sandbox, &mut after);
    assert_eq!(before, after, "something outside the sandbox changed");
    let roots_after: Vec<bool> = ROOT_NAMES
        .iter()
        .map(|n| Path::new("/").join(n).exists())
        .collect();
    assert_eq!(
        roots_before, roots_after,
        "a name appeared at the host's root: {ROOT_NAMES:?}"
    );
}

fuzz_target!(|input: Input| {
    run(&input);
});
