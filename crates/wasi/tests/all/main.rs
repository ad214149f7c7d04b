//! Tests of wedge-wasi through real guests: a WAT module imports the WASI functions and
//! exports each under the same name, and the tests call them with guest pointers into its
//! memory, against a fresh temporary directory.

#![allow(missing_docs, reason = "a test or benchmark binary, not an API")]

mod fs;
mod logging;
mod sandbox;
mod sys;
mod testsuite;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use wedge::{Engine, Instance, Linker, Memory, Module, Store, Val};
use wedge_wasi::{WasiCtx, WasiCtxBuilder};

/// The WASI functions the guest imports and re-exports, with their parameter types.
const IMPORTS: &[(&str, &str)] = &[
    ("fd_advise", "i32 i64 i64 i32"),
    ("fd_allocate", "i32 i64 i64"),
    ("fd_close", "i32"),
    ("fd_datasync", "i32"),
    ("fd_fdstat_get", "i32 i32"),
    ("fd_fdstat_set_flags", "i32 i32"),
    ("fd_fdstat_set_rights", "i32 i64 i64"),
    ("fd_filestat_get", "i32 i32"),
    ("fd_filestat_set_size", "i32 i64"),
    ("fd_filestat_set_times", "i32 i64 i64 i32"),
    ("fd_pread", "i32 i32 i32 i64 i32"),
    ("fd_prestat_get", "i32 i32"),
    ("fd_prestat_dir_name", "i32 i32 i32"),
    ("fd_pwrite", "i32 i32 i32 i64 i32"),
    ("fd_read", "i32 i32 i32 i32"),
    ("fd_readdir", "i32 i32 i32 i64 i32"),
    ("fd_renumber", "i32 i32"),
    ("fd_seek", "i32 i64 i32 i32"),
    ("fd_sync", "i32"),
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

/// The text of the guest module.
fn guest_wat() -> String {
    let mut wat = String::from("(module\n");
    for (name, params) in IMPORTS {
        wat += &format!(
            "  (import \"wasi_snapshot_preview1\" \"{name}\" (func ${name} (param {params}) (result i32)))\n"
        );
    }
    wat += "  (memory (export \"memory\") 4)\n";
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

/// A scratch directory under the system's temporary directory, removed when dropped. It holds
/// `secret.txt` (outside the sandbox) and `sandbox/`, the directory the guest gets.
pub struct Scratch {
    pub root: PathBuf,
}

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        static COUNT: AtomicU32 = AtomicU32::new(0);
        let n = COUNT.fetch_add(1, Ordering::Relaxed);
        let root =
            std::env::temp_dir().join(format!("wedge-wasi-{}-{name}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("sandbox")).expect("scratch directory");
        std::fs::write(root.join("secret.txt"), b"secret").expect("secret file");
        Scratch { root }
    }

    /// The directory the guest sees as its preopen.
    pub fn sandbox(&self) -> PathBuf {
        self.root.join("sandbox")
    }

    /// What is in the scratch root outside the sandbox, sorted, to check that nothing changed.
    pub fn outside(&self) -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<_> = std::fs::read_dir(&self.root)
            .expect("scratch root")
            .map(|e| e.expect("entry"))
            .filter(|e| e.file_name() != "sandbox")
            .map(|e| {
                let data = std::fs::read(e.path()).unwrap_or_default();
                (e.file_name().to_string_lossy().into_owned(), data)
            })
            .collect();
        v.sort();
        v
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// Guest memory addresses the tests use.
pub const PATH: u32 = 1024;
pub const PATH2: u32 = 2048;
pub const IOVS: u32 = 256;
pub const OUT: u32 = 64;
pub const BUF: u32 = 8192;

/// An instantiated guest with the scratch sandbox preopened as fd 3.
pub struct Guest {
    store: Store<WasiCtx>,
    instance: Instance,
    memory: Memory,
}

pub const SANDBOX_FD: u32 = 3;

impl Guest {
    /// A guest with `dir` preopened as `/sandbox` (fd 3).
    pub fn new(dir: &Path, readonly: bool) -> Guest {
        Guest::with_ctx(
            WasiCtxBuilder::new()
                .preopen_dir("/sandbox", dir, readonly)
                .expect("preopen")
                .build(),
        )
    }

    pub fn with_ctx(ctx: WasiCtx) -> Guest {
        let engine = Engine::default();
        let wasm = wat::parse_str(guest_wat()).expect("guest WAT");
        let module = Module::new(&engine, wasm).expect("guest module");
        let mut store = Store::new(&engine, ctx);
        let mut linker = Linker::new(&engine);
        wedge_wasi::add_to_linker(&mut linker, &mut store, |ctx: &mut WasiCtx| ctx)
            .expect("add_to_linker");
        let instance = linker
            .instantiate(&mut store, &module)
            .expect("instantiate");
        let memory = instance
            .get_memory(&store, "memory")
            .expect("memory export");
        Guest {
            store,
            instance,
            memory,
        }
    }

    /// Calls WASI function `name`; returns its errno.
    pub fn call(&mut self, name: &str, args: &[Val]) -> i32 {
        let f = self
            .instance
            .get_func(&self.store, name)
            .expect("exported wrapper");
        let mut results = [Val::I32(-1)];
        f.call(&mut self.store, args, &mut results).expect("call");
        match results[0] {
            Val::I32(e) => e,
            ref v => panic!("errno is not an i32: {v:?}"),
        }
    }

    pub fn poke(&mut self, at: u32, bytes: &[u8]) {
        self.memory
            .write(&mut self.store, at as usize, bytes)
            .expect("poke");
    }

    pub fn peek(&self, at: u32, len: u32) -> Vec<u8> {
        let mut buf = vec![0; len as usize];
        self.memory
            .read(&self.store, at as usize, &mut buf)
            .expect("peek");
        buf
    }

    pub fn u32_at(&self, at: u32) -> u32 {
        u32::from_le_bytes(self.peek(at, 4).try_into().expect("4 bytes"))
    }

    pub fn u64_at(&self, at: u32) -> u64 {
        u64::from_le_bytes(self.peek(at, 8).try_into().expect("8 bytes"))
    }

    /// Puts `path` at `at` and returns `(ptr, len)` arguments for it.
    pub fn path_at(&mut self, at: u32, path: &str) -> [Val; 2] {
        self.poke(at, path.as_bytes());
        [Val::I32(at as i32), Val::I32(path.len() as i32)]
    }

    /// `path_open` relative to `dirfd`: the new fd, or the errno.
    #[allow(clippy::too_many_arguments, reason = "path_open's own arguments")]
    pub fn open_full(
        &mut self,
        dirfd: u32,
        lookup: u32,
        path: &str,
        oflags: u32,
        base: u64,
        inheriting: u64,
        fdflags: u32,
    ) -> Result<u32, i32> {
        let [p, l] = self.path_at(PATH, path);
        let e = self.call(
            "path_open",
            &[
                Val::I32(dirfd as i32),
                Val::I32(lookup as i32),
                p,
                l,
                Val::I32(oflags as i32),
                Val::I64(base as i64),
                Val::I64(inheriting as i64),
                Val::I32(fdflags as i32),
                Val::I32(OUT as i32),
            ],
        );
        if e == 0 { Ok(self.u32_at(OUT)) } else { Err(e) }
    }

    /// `path_open` in the sandbox following symlinks, with all rights asked for.
    pub fn open(&mut self, path: &str, oflags: u32, fdflags: u32) -> Result<u32, i32> {
        self.open_full(
            SANDBOX_FD,
            1,
            path,
            oflags,
            ALL_FILE_RIGHTS,
            ALL_FILE_RIGHTS,
            fdflags,
        )
    }

    /// `path_open` for reading only, as wasi-libc asks for `O_RDONLY`.
    pub fn open_read(&mut self, path: &str) -> Result<u32, i32> {
        self.open_full(SANDBOX_FD, 1, path, 0, READ_RIGHTS, 0, 0)
    }

    /// `fd_write` of `data`: the count written, or the errno.
    pub fn write(&mut self, fd: u32, data: &[u8]) -> Result<u32, i32> {
        self.poke(BUF, data);
        self.poke(
            IOVS,
            &[BUF.to_le_bytes(), (data.len() as u32).to_le_bytes()].concat(),
        );
        let e = self.call(
            "fd_write",
            &[
                Val::I32(fd as i32),
                Val::I32(IOVS as i32),
                Val::I32(1),
                Val::I32(OUT as i32),
            ],
        );
        if e == 0 { Ok(self.u32_at(OUT)) } else { Err(e) }
    }

    /// `fd_read` of up to `len` bytes.
    pub fn read(&mut self, fd: u32, len: u32) -> Result<Vec<u8>, i32> {
        self.poke(IOVS, &[BUF.to_le_bytes(), len.to_le_bytes()].concat());
        let e = self.call(
            "fd_read",
            &[
                Val::I32(fd as i32),
                Val::I32(IOVS as i32),
                Val::I32(1),
                Val::I32(OUT as i32),
            ],
        );
        if e == 0 {
            let n = self.u32_at(OUT);
            Ok(self.peek(BUF, n))
        } else {
            Err(e)
        }
    }

    /// Calls a `path_*` function taking `(fd, path, path_len)`.
    pub fn path_call(&mut self, name: &str, dirfd: u32, path: &str) -> i32 {
        let [p, l] = self.path_at(PATH, path);
        self.call(name, &[Val::I32(dirfd as i32), p, l])
    }

    /// `path_filestat_get`: the 64-byte filestat or the errno.
    pub fn stat(&mut self, path: &str, follow: bool) -> Result<Vec<u8>, i32> {
        let [p, l] = self.path_at(PATH, path);
        let e = self.call(
            "path_filestat_get",
            &[
                Val::I32(SANDBOX_FD as i32),
                Val::I32(follow as i32),
                p,
                l,
                Val::I32(BUF as i32),
            ],
        );
        if e == 0 {
            Ok(self.peek(BUF, 64))
        } else {
            Err(e)
        }
    }

    /// `path_symlink(target, sandbox, link)`.
    pub fn symlink(&mut self, target: &str, link: &str) -> i32 {
        let [t, tl] = self.path_at(PATH, target);
        let [p, l] = self.path_at(PATH2, link);
        self.call("path_symlink", &[t, tl, Val::I32(SANDBOX_FD as i32), p, l])
    }

    /// `path_rename` within the sandbox.
    pub fn rename(&mut self, from: &str, to: &str) -> i32 {
        let [a, al] = self.path_at(PATH, from);
        let [b, bl] = self.path_at(PATH2, to);
        let fd = Val::I32(SANDBOX_FD as i32);
        self.call("path_rename", &[fd.clone(), a, al, fd, b, bl])
    }

    /// `path_link` within the sandbox.
    pub fn link(&mut self, from: &str, to: &str, follow: bool) -> i32 {
        let [a, al] = self.path_at(PATH, from);
        let [b, bl] = self.path_at(PATH2, to);
        let fd = Val::I32(SANDBOX_FD as i32);
        self.call(
            "path_link",
            &[fd.clone(), Val::I32(follow as i32), a, al, fd, b, bl],
        )
    }

    /// `path_readlink` into a buffer of `cap` bytes.
    pub fn readlink(&mut self, path: &str, cap: u32) -> Result<Vec<u8>, i32> {
        let [p, l] = self.path_at(PATH, path);
        let e = self.call(
            "path_readlink",
            &[
                Val::I32(SANDBOX_FD as i32),
                p,
                l,
                Val::I32(BUF as i32),
                Val::I32(cap as i32),
                Val::I32(OUT as i32),
            ],
        );
        if e == 0 {
            Ok(self.peek(BUF, self.u32_at(OUT)))
        } else {
            Err(e)
        }
    }
}

/// Rights bits used by the tests.
pub const FD_READ: u64 = 1 << 1;
pub const FD_SEEK: u64 = 1 << 2;
pub const FD_TELL: u64 = 1 << 5;
pub const FD_WRITE: u64 = 1 << 6;
pub const FD_READDIR: u64 = 1 << 14;
pub const PATH_CREATE_DIRECTORY: u64 = 1 << 9;
/// Every fd and path right, as Rust's standard library asks for them to open for writing.
pub const ALL_FILE_RIGHTS: u64 = (1 << 28) - 1;
/// What wasi-libc asks for to open a file read-only.
pub const READ_RIGHTS: u64 = FD_READ | FD_SEEK | FD_TELL | (1 << 7) | (1 << 21) | (1 << 27);

/// Errno values.
pub const BADF: i32 = 8;
pub const EXIST: i32 = 20;
pub const INVAL: i32 = 28;
pub const ISDIR: i32 = 31;
pub const LOOP: i32 = 32;
pub const NOENT: i32 = 44;
pub const NOTDIR: i32 = 54;
pub const NOTEMPTY: i32 = 55;
pub const NOTCAPABLE: i32 = 76;

/// Open flags.
pub const CREAT: u32 = 1;
pub const DIRECTORY: u32 = 2;
pub const EXCL: u32 = 4;
pub const TRUNC: u32 = 8;
pub const APPEND: u32 = 1;
